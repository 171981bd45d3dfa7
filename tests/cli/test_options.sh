#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The command-line conventions of every subcommand: options before or after
# the operands (also with POSIXLY_CORRECT set), "--" ends the options, and
# one usage-error format: two lines on stderr,
#   amtless CMD: MESSAGE
#   Try 'amtless CMD --help'.
# nothing on stdout, exit 2. The me_cleaner front end keeps argparse's
# behaviour (options anywhere too, its own error format).
# usage: test_options.sh AMTLESS MKIMAGE AUDIT_FIXTURES
set -u
AMTLESS=$(realpath "$1") MKIMAGE=$(realpath "$2") FIX=$(realpath "$3")
for x in "$AMTLESS" "$MKIMAGE"; do [ -x "$x" ] || { echo "Bail out! $x is missing"; exit 1; }; done
[ -d "$FIX" ] || { echo "Bail out! $FIX is missing"; exit 1; }
. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
"$MKIMAGE" --kind full-me11 img.bin >/dev/null || { echo "Bail out! mkimage failed"; exit 1; }
"$MKIMAGE" --kind full-me8 me8.bin >/dev/null || { echo "Bail out! mkimage failed"; exit 1; }
# an image with the disable bit set, for enable-me
"$AMTLESS" neutralize -q --disable-bit-only img.bin -o clean-bit.bin || { echo "Bail out! neutralize"; exit 1; }

# same_run DESC CMD1 -- CMD2: both exit alike with the same stdout
same_run() {
	local d=$1; shift
	local a=() b=()
	while [ "$1" != "---" ]; do a+=("$1"); shift; done
	shift; b=("$@")
	"${a[@]}" >"$T/o1" 2>"$T/e1"; local r1=$?
	"${b[@]}" >"$T/o2" 2>"$T/e2"; local r2=$?
	if [ "$r1" = "$r2" ] && cmp -s "$T/o1" "$T/o2" && [ -s "$T/o1" ]; then ok "$d (exit $r1)"
	else bad "$d: exit $r1 vs $r2"; diff "$T/o1" "$T/o2" | head -5 | sed 's/^/#   /'; fi
}

# usage_err CMD DESC ARGS...: exit 2, stdout empty, stderr exactly the two
# lines of the format, the first naming what is wrong ($want_msg)
usage_err() {
	local cmd=$1 d=$2; shift 2
	"$AMTLESS" "$cmd" "$@" >"$T/out" 2>"$T/err"
	local rc=$? lines first second
	lines=$(wc -l <"$T/err")
	first=$(sed -n 1p "$T/err") second=$(sed -n 2p "$T/err")
	if [ "$rc" = 2 ] && [ ! -s "$T/out" ] && [ "$lines" = 2 ] &&
		[[ "$first" == "amtless $cmd: "* ]] && [[ "$first" == *"$want_msg"* ]] &&
		[ "$second" = "Try 'amtless $cmd --help'." ]; then
		ok "$cmd: $d (exit 2, the usage-error format)"
	else
		bad "$cmd: $d: exit $rc, stderr:"; sed 's/^/#   /' "$T/err" | head -4
	fi
}

# ---- options after the operand give the same result ----
same_run "inspect IMAGE --json = inspect --json IMAGE" \
	"$AMTLESS" inspect img.bin --json --- "$AMTLESS" inspect --json img.bin
same_run "inspect IMAGE --no-verify --json (options split around IMAGE)" \
	"$AMTLESS" inspect --no-verify img.bin --json --- "$AMTLESS" inspect --json --no-verify img.bin
same_run "neutralize IMAGE --dry-run = neutralize --dry-run IMAGE" \
	"$AMTLESS" neutralize img.bin --dry-run --- "$AMTLESS" neutralize --dry-run img.bin
same_run "neutralize IMAGE -n --keep-modules" \
	"$AMTLESS" neutralize img.bin -n --keep-modules --- "$AMTLESS" neutralize -n --keep-modules img.bin
same_run "verify IMAGE -q = verify -q IMAGE" \
	"$AMTLESS" verify img.bin -q --- "$AMTLESS" verify -q img.bin
same_run "extract IMAGE --list = extract --list IMAGE" \
	"$AMTLESS" extract img.bin --list --- "$AMTLESS" extract --list img.bin
same_run "diff A B --json = diff --json A B" \
	"$AMTLESS" diff img.bin me8.bin --json --- "$AMTLESS" diff --json img.bin me8.bin
same_run "diff A --json B (an option between the operands)" \
	"$AMTLESS" diff img.bin --json me8.bin --- "$AMTLESS" diff --json img.bin me8.bin
same_run "enable-me IMAGE --dry-run = enable-me --dry-run IMAGE" \
	"$AMTLESS" enable-me clean-bit.bin --dry-run --- "$AMTLESS" enable-me --dry-run clean-bit.bin
same_run "audit --root DIR --json = audit --json --root DIR" \
	"$AMTLESS" audit --root "$FIX/corporate_skl" --json --- "$AMTLESS" audit --json --root "$FIX/corporate_skl"

# README's own example, which getopt's '+' used to refuse
expect_rc 0 "extract IMAGE -d xout --unpack (README's example)" "$AMTLESS" extract me8.bin -d xout --unpack
check "  it wrote into xout/ and unpacked" test -n "$(find xout -name '*.unpacked.bin' | head -1)"
expect_rc 0 "neutralize IMAGE -o OUT (option after the operand)" "$AMTLESS" neutralize img.bin -o clean.bin
check "  OUT written" test -s clean.bin
expect_rc 0 "verify OUT after neutralize" "$AMTLESS" verify clean.bin

# POSIXLY_CORRECT does not turn option permutation off
export POSIXLY_CORRECT=1
expect_rc 0 "POSIXLY_CORRECT: extract IMAGE -d out2 --regions" "$AMTLESS" extract me8.bin -d out2 --regions
check "  out2/me.bin written" test -f out2/me.bin
expect_rc 0 "POSIXLY_CORRECT: inspect IMAGE --json" "$AMTLESS" inspect img.bin --json
check "  JSON printed" has "$T/out" '"schema": "amtless-inspect"'
unset POSIXLY_CORRECT

# ---- "--" ends the options: an operand may start with '-' ----
cp img.bin ./-dash.bin
expect_rc 0 "inspect -- -dash.bin" "$AMTLESS" inspect --json -- -dash.bin
check "  the operand after -- is the file" has "$T/out" '"file": "-dash.bin"'
expect_rc 8 "verify -q -- -dash.bin (sound, not neutralized)" "$AMTLESS" verify -q -- -dash.bin
expect_rc 0 "neutralize --dry-run -- -dash.bin" "$AMTLESS" neutralize --dry-run -- -dash.bin
expect_rc 0 "extract --list -- -dash.bin" "$AMTLESS" extract --list -- -dash.bin
expect_rc 0 "diff -- -dash.bin img.bin (identical)" "$AMTLESS" diff -- -dash.bin img.bin
want_msg="unknown option '-d'"
usage_err verify "without --, -dash.bin is an option" -dash.bin
want_msg="only one IMAGE at a time"
usage_err verify "after --, -q is a second operand, not an option" img.bin -- -q

# ---- one usage-error format, every command ----
for cmd in inspect diff neutralize enable-me verify extract audit flash; do
	want_msg="unknown option '--bogus'"
	usage_err "$cmd" "unknown long option" --bogus
	want_msg="unknown option '-Z'"
	usage_err "$cmd" "unknown short option" -Z
	want_msg="takes no argument"
	usage_err "$cmd" "--help=x (an option without argument given one)" --help=x
	want_msg="unknown option '--bogus'"
	usage_err "$cmd" "unknown option after an operand" img.bin --bogus
done
want_msg="needs an argument"
usage_err inspect "--platform without KEY" img.bin --platform
usage_err neutralize "-o without FILE" img.bin -o
usage_err neutralize "--output without FILE" img.bin --output
usage_err verify "--platform without KEY" img.bin --platform
usage_err extract "-d without DIR" img.bin -d
usage_err audit "--root without DIR" --root
usage_err diff "--platform without KEY" img.bin --platform
usage_err enable-me "-o without FILE" img.bin -o
usage_err flash "-p without PROGRAMMER" -p
usage_err flash "--restore without BACKUP" --restore
want_msg="is ambiguous"
usage_err inspect "--no (abbreviates --no-color and --no-verify)" --no img.bin
usage_err neutralize "--re (--relocate, --remove-partitions, ...)" --re img.bin
want_msg="no IMAGE given"
usage_err inspect "no IMAGE" --json
usage_err neutralize "no IMAGE" --dry-run
usage_err verify "no IMAGE" -q
usage_err extract "no IMAGE" --list
usage_err enable-me "no IMAGE" --dry-run
want_msg="two files are needed, A and B"
usage_err diff "one file" img.bin
usage_err diff "three files" img.bin me8.bin img.bin
want_msg="only one IMAGE at a time"
usage_err neutralize "two IMAGEs" --dry-run img.bin me8.bin
usage_err enable-me "two IMAGEs" --dry-run img.bin me8.bin
usage_err verify "two IMAGEs" img.bin me8.bin
usage_err extract "two IMAGEs" --list img.bin me8.bin
want_msg="no operand expected ('img.bin')"
usage_err flash "an operand (the image is the chip)" -p dummy img.bin
want_msg="unexpected argument 'img.bin'"
usage_err audit "an operand" --root "$FIX/corporate_skl" img.bin
want_msg="unknown platform 'nosuch'"
usage_err inspect "unknown --platform KEY" --platform nosuch img.bin
usage_err neutralize "unknown --platform KEY" --dry-run --platform nosuch img.bin
usage_err verify "unknown --platform KEY" --platform nosuch img.bin
usage_err diff "unknown --platform KEY" --platform nosuch img.bin me8.bin
usage_err enable-me "unknown --platform KEY" --dry-run --platform nosuch img.bin
want_msg="--keep-modules: re-enabling the ME changes only the disable bit"
usage_err enable-me "a neutralize option (named, not its argument)" --dry-run --keep-modules img.bin
want_msg="--keep-partitions: re-enabling the ME changes only the disable bit"
usage_err enable-me "an option with an argument (named, not its argument)" --dry-run --keep-partitions MFS img.bin
want_msg="exclude each other"
usage_err neutralize "-o and --in-place" img.bin -o x.bin --in-place
want_msg="unknown format 'xml'"
usage_err audit "--format xml" --format xml
want_msg="nothing named 'nosuch'"
usage_err extract "--only NAME that names nothing" --list --only nosuch img.bin

# the command itself
expect_rc 2 "amtless (no command)" "$AMTLESS"
expect_rc 2 "amtless nosuch" "$AMTLESS" nosuch
check "  says so and where to look" test "$(cat "$T/err")" = "amtless: unknown command 'nosuch'
Try 'amtless --help'."
expect_rc 2 "amtless --json inspect (an option before the command)" "$AMTLESS" --json inspect img.bin
check "  says the command comes first" has "$T/err" "the COMMAND comes first"

# ---- the me_cleaner front end: argparse's rules, its own format ----
expect_rc 0 "me_cleaner -c FILE" "$AMTLESS" me_cleaner -c img.bin
cp "$T/out" mc1
expect_rc 0 "me_cleaner FILE -c (argparse takes options after the positional)" "$AMTLESS" me_cleaner img.bin -c
check "  same output" cmp -s mc1 "$T/out"
expect_rc 0 "me_cleaner -c -- -dash.bin" "$AMTLESS" me_cleaner -c -- -dash.bin
expect_rc 2 "me_cleaner --bogus FILE" "$AMTLESS" me_cleaner --bogus img.bin
check "  argparse's wording (unrecognized arguments)" has "$T/err" "error: unrecognized arguments: --bogus"

tap_end
