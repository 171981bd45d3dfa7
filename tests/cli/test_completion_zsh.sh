#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# data/completions/_amtless in a real interactive zsh (on a pseudo-terminal,
# zsh/zpty): compinit loads it from fpath, a line is typed and completed
# with TAB, and the line zsh made of it is checked.
# usage: test_completion_zsh.sh AMTLESS COMPLETION_DIR. Skips (77) without zsh.
set -u
AMTLESS=$(realpath "$1") COMPDIR=$(realpath "$2")
ZSH=$(command -v zsh || true)
if [ -z "$ZSH" ]; then
	echo "1..0 # SKIP zsh is not installed (Debian package zsh; .ci/run installs it)"
	exit 77
fi
. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
mkdir sub
: >x.bin
: >clean.layout
mkdir bin && ln -s "$AMTLESS" bin/amtless

# typed line (completed with one TAB) | the line zsh made of it
cases=(
	"amtless ins|amtless inspect "
	"amtless inspect --recu|amtless inspect --recursive "
	"amtless inspect x.bin --one|amtless inspect x.bin --one-line "
	"amtless verify --platform cnp-l|amtless verify --platform cnp-lp "
	"amtless audit --format prom|amtless audit --format prometheus "
	"amtless extract x.bin -d su|amtless extract x.bin -d sub/"
	"amtless neutralize x.bin --lay|amtless neutralize x.bin --layout "
	"amtless neutralize x.bin --layout=cl|amtless neutralize x.bin --layout=clean.layout "
	"amtless me_cleaner --soft-disable-o|amtless me_cleaner --soft-disable-only "
	"amtless inspect -- x|amtless inspect -- x.bin "
	"amtless enable-|amtless enable-me "
	"amtless diff x.bin --js|amtless diff x.bin --json "
	"amtless fla|amtless flash "
	"amtless flash --resto|amtless flash --restore "
	"amtless flash --restore cl|amtless flash --restore clean.layout "
)
printf '%s\n' "${cases[@]}" | cut -d'|' -f1 >typed
cat >drive.zsh <<'ZSH'
zmodload zsh/zpty || exit 2
compdir=$1 bindir=$2 out=$3 typed=$4
: >$out
drain() { local l; while zpty -rt z l 2>/dev/null; do :; done }
zpty z "zsh -f -i"
zpty -w z "PS1='' RPROMPT=''; unsetopt beep; fpath=($compdir \$fpath); path=($bindir \$path); autoload -Uz compinit; compinit -u -D"
# ^Y writes the line as zle has it, then clears it
zpty -w z "pb() { print -r -- \$BUFFER >>$out; BUFFER= }; zle -N pb; bindkey '^Y' pb"
n=0
for line in ${(f)"$(<$typed)"}; do
  zpty -w -n z "$line"$'\t\x19'
  (( n++ ))
  # wait (up to 20 s) for zle to complete and hand the line over
  for i in {1..200}; do
    drain
    (( $(wc -l <$out) >= n )) && break
    sleep 0.1
  done
done
zpty -w z 'exit'
drain
zpty -d z
ZSH
"$ZSH" -f drive.zsh "$COMPDIR" "$T/bin" "$T/got" "$T/typed"
check "zsh ran the completion of every line" test "$(wc -l <got 2>/dev/null)" = "${#cases[@]}"
i=0
while IFS= read -r got; do
	want=${cases[$i]#*|}
	typed=${cases[$i]%%|*}
	check "zsh: '$typed' + TAB -> '$want'" test "$got" = "$want"
	i=$((i + 1))
done <got
tap_end
