#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# data/completions/amtless.bash in bash: the commands of amtless --help,
# every long option each command's option table defines (cli/cmd_*.c) and
# nothing the command refuses, option arguments (platform keys, formats,
# directories, files, "--opt=value"), and no option after "--".
# usage: test_completion_bash.sh AMTLESS COMPLETION CLI_SOURCE_DIR
set -u
AMTLESS=$(realpath "$1") COMP=$(realpath "$2") SRC=$(realpath "$3")
. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir "$T/w" && cd "$T/w" || exit 1
mkdir sub other
: >a.bin
: >b.layout
: >./-dash.bin
# shellcheck disable=SC1090
. "$COMP" || { echo "Bail out! cannot source $COMP"; exit 1; }
check "complete -F _amtless amtless is registered" bash -c ". '$COMP'; complete -p amtless | grep -q -- '-F _amtless'"

# comp WORD...: COMPREPLY for the command line WORD... (the last is the word
# being completed), sorted, one line
comp() {
	COMP_WORDS=("$AMTLESS" "$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_amtless
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
}

# ---- commands ----
cmds=$("$AMTLESS" --help | sed -n '/^Commands:/,/^$/p' | awk 'NF > 1 {print $1}' | sort | tr '\n' ' ')
check "the commands of amtless --help ($cmds)" test "$(comp "")" = "$cmds"
check "they include the nine of this version" bash -c "for c in inspect diff neutralize enable-me verify extract audit me_cleaner flash; do [[ ' $cmds' == *\" \$c \"* ]] || exit 1; done"
check "'in' -> inspect" test "$(comp in)" = "inspect "
check "'-' before the command -> --help --version" test "$(comp -)" = "--help --version "

# ---- options: each command's option table, nothing refused ----
for c in inspect diff neutralize enable-me verify extract audit flash; do
	offered=" $(comp "$c" -) "
	missing=
	# the long options of the command's getopt table (aliases excepted)
	# enable-me shares neutralize's table and takes a few of its options
	[ "$c" = enable-me ] && opts=(--output --in-place --dry-run --platform --expert-disable-bit
		--allow-signed-descriptor --quiet --help) ||
		mapfile -t opts < <(sed -n 's/^[[:space:]]*{ "\([a-z0-9-]*\)", \(no\|required\|optional\)_argument.*/--\1/p' "$SRC/cmd_$c.c")
	for o in "${opts[@]}"; do
		o=${o#--}
		[ "$o" = no-colour ] && continue
		[[ $offered == *" --$o "* ]] || missing="$missing --$o"
	done
	check "$c: every long option of cmd_$c.c is offered${missing:+ (missing:$missing)}" test -z "$missing"
	refused=
	for o in $offered; do
		# the option last and no IMAGE: an accepted option ends in its help,
		# "needs an argument" or "no IMAGE given", nothing runs (audit reads
		# a root that does not exist)
		pre=(); [ "$c" = audit ] && pre=(--root "$T/no-root")
		# flash: a programmer that does not exist (no chip is touched)
		[ "$c" = flash ] && pre=(-p no-such-programmer)
		"$AMTLESS" "$c" "${pre[@]}" "$o" >/dev/null 2>"$T/err" </dev/null
		grep -q "unknown option\|is ambiguous" "$T/err" && refused="$refused $o"
	done
	check "$c: every option offered is accepted${refused:+ (refused:$refused)}" test -z "$refused"
done
check "inspect --re -> --recursive" test "$(comp inspect --re)" = "--recursive "
check "me_cleaner: argparse's options (--soft-disable-o)" test "$(comp me_cleaner --soft-disable-o)" = "--soft-disable-only "
check "options after the operand too" test "$(comp neutralize a.bin --lay)" = "--layout "

# ---- option arguments ----
keys=$(comp inspect --platform "")
check "--platform: the platform keys (spt, cnp-h, adp-p among them)" \
	bash -c "[[ ' $keys' == *' spt '* && ' $keys' == *' cnp-h '* && ' $keys' == *' adp-p '* ]]"
for k in $keys; do
	"$AMTLESS" inspect --platform "$k" a.bin >/dev/null 2>"$T/err"
	grep -q "unknown platform" "$T/err" && { bad "--platform $k is refused"; continue 2; }
done
ok "every key offered is accepted by --platform"
check "--platform cnp- -> cnp-h cnp-lp" test "$(comp verify --platform cnp-)" = "cnp-h cnp-lp "
check "audit --format -> text json prometheus" test "$(comp audit --format "")" = "json prometheus text "
check "extract -d -> directories only" test "$(comp extract a.bin -d "")" = "other sub "
check "audit --root -> directories only" test "$(comp audit --root s)" = "sub "
check "neutralize --layout -> files" test "$(comp neutralize a.bin --layout b)" = "b.layout "
check "enable-me -o -> files" test "$(comp enable-me a.bin -o b)" = "b.layout "
check "flash --restore -> files" test "$(comp flash --restore b)" = "b.layout "
check "flash -p -> nothing to guess" test "$(comp flash -p "")" = " "
check "flash takes no operand" test "$(comp flash "")" = " "
check "--layout=VALUE -> files" test "$(comp neutralize a.bin --layout = b)" = "b.layout "
check "inspect -j -> 1..CPUs" test "$(comp inspect -j "")" = "$(seq 1 "$(nproc)" | sort | tr '\n' ' ')"
check "neutralize --keep-partitions -> nothing to guess" test "$(comp neutralize --keep-partitions "")" = " "
check "me_cleaner -d is a flag, not a directory (next word: an operand)" \
	test "$(comp me_cleaner -d a)" = "a.bin "

# ---- operands ----
got=$(comp inspect "")
check "inspect IMAGE -> files and directories ($got)" test "$got" = "$(printf "%s\n" -dash.bin a.bin b.layout other sub | sort | tr "\n" " ")"
check "after --, '-' completes files, not options" test "$(comp inspect -- -)" = "-dash.bin "

tap_end
