#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `amtless inspect` over many files: several IMAGEs, a directory with
# --recursive, one line per file (text) or one JSON document per line
# (JSON Lines), in the order of the files, a broken file reported on its
# own line without stopping the run, exit 9 when some file failed, the same
# output with one worker or several.
# usage: test_inspect_many.sh AMTLESS MKIMAGE JSONTOOL INSPECT_SCHEMA ERROR_SCHEMA
set -u
AMTLESS=$(realpath "$1") MKIMAGE=$(realpath "$2") JSONTOOL=$(realpath "$3")
SCHEMA=$(realpath "$4") ESCHEMA=$(realpath "$5")
for x in "$AMTLESS" "$MKIMAGE" "$JSONTOOL"; do [ -x "$x" ] || { echo "Bail out! $x is missing"; exit 1; }; done
. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

mk() { "$MKIMAGE" --kind "$1" "$2" >/dev/null || { echo "Bail out! mkimage $1"; exit 1; }; }
mkdir -p d/sub d/sub/deeper
mk full-me11 d/a-full-me11.bin
mk full-me11-amt d/b-full-me11-amt.bin
mk full-me8 d/c-full-me8.bin
"$AMTLESS" neutralize -q d/a-full-me11.bin -o d/d-neutralized.bin || { echo "Bail out! neutralize"; exit 1; }
mk me11 d/e-region-me11.bin
mk unknown d/f-unknown.bin
mk update d/g-update.bin
: >d/h-empty.bin
mk me-gen1 d/sub/i-region-me4.bin
mk bpdt d/sub/deeper/j-bpdt.bin
ln -s a-full-me11.bin d/k-link-to-file.bin
ln -s sub d/l-link-to-dir
mkfifo d/m-fifo
# the files --recursive finds, in byte order of their names, depth first
# (the FIFO is left out, the link to a directory is not followed)
files="d/a-full-me11.bin d/b-full-me11-amt.bin d/c-full-me8.bin d/d-neutralized.bin
d/e-region-me11.bin d/f-unknown.bin d/g-update.bin d/h-empty.bin d/k-link-to-file.bin
d/sub/deeper/j-bpdt.bin d/sub/i-region-me4.bin"

# ---- text: one line per file ----
expect_rc 9 "inspect -r d (three files cannot be inspected)" "$AMTLESS" inspect -r d
cp out text.out
check "one line per file, in order" test "$(cut -d: -f1 text.out)" = "$(echo $files | tr ' ' '\n')"
check "the run went on after the broken files" has text.out "d/sub/i-region-me4.bin: "
check "stderr counts the failures" test "$(cat err)" = \
	"amtless inspect: 3 of 11 files could not be inspected (each says why on its line)"
line() { grep -F -- "$1: " text.out; }
# the facts of the synthetic images, as tests/builder makes them: CSME
# 11.8.50.3425 consumer H / corporate H (build_cse.c), ME 8.1.20.1336
# 1.5MB (build_me.c), ME 4.2.21.1037 with AMT, the HAP bit of SPT at
# PCHSTRP0 bit 16 clear in the descriptor the builder writes
check "full ME 11: the answer in one line" test "$(line d/a-full-me11.bin)" = \
	"d/a-full-me11.bin: full image, CSME 11.8.50.3425 Consumer H, AMT absent, disable bit (HAP) clear, not stripped"
check "corporate ME 11: AMT present" test "$(line d/b-full-me11-amt.bin)" = \
	"d/b-full-me11-amt.bin: full image, CSME 11.8.50.3425 Corporate H, AMT present, disable bit (HAP) clear, not stripped"
check "ME 8: AltMeDisable" test "$(line d/c-full-me8.bin)" = \
	"d/c-full-me8.bin: full image, ME 8.1.20.1336 1.5MB, AMT absent, disable bit (AltMeDisable) clear, not stripped"
check "neutralized: HAP set, stripped" test "$(line d/d-neutralized.bin)" = \
	"d/d-neutralized.bin: full image, CSME 11.8.50.3425 Consumer H, AMT absent, disable bit (HAP) set, stripped"
check "bare region: no descriptor" test "$(line d/e-region-me11.bin)" = \
	"d/e-region-me11.bin: ME region, CSME 11.8.50.3425 Consumer H, AMT absent, disable bit not in the file (no descriptor), not stripped"
check "ME 4 region found under sub/" has text.out "d/sub/i-region-me4.bin: ME region, ME 4.2.21.1037 "
check "TXE 4 BPDT image found two levels down" has text.out "d/sub/deeper/j-bpdt.bin: IFWI image (BPDT), CSTXE 4."
check "the link to a file is inspected" test "$(line d/k-link-to-file.bin)" = \
	"d/k-link-to-file.bin: full image, CSME 11.8.50.3425 Consumer H, AMT absent, disable bit (HAP) clear, not stripped"
check "not recognised: its line says error, structure, why" \
	has text.out "d/f-unknown.bin: error: image: unknown image: "
check "update file: its line says error, structure and offset" \
	grep -qE '^d/g-update\.bin: error: image at 0x[0-9a-f]+: this is an ME update file' text.out
check "empty file: its line says so" grep -qE '^d/h-empty\.bin: error: file: .*empty' text.out
check "the FIFO is left out" hasnt text.out "m-fifo"
check "the link to a directory is not followed" hasnt text.out "l-link-to-dir"

# ---- the same with one worker, and with four ----
expect_rc 9 "inspect -r -j 1 d" "$AMTLESS" inspect -r -j 1 d
check "-j 1 prints the same lines" cmp -s out text.out
expect_rc 9 "inspect -r --jobs 4 d" "$AMTLESS" inspect -r --jobs 4 d
check "--jobs 4 prints the same lines" cmp -s out text.out
expect_rc 9 "inspect -r d -j 2 (option after the operand)" "$AMTLESS" inspect -r d -j 2
check "the same lines" cmp -s out text.out

# ---- JSON Lines ----
expect_rc 9 "inspect -r --json d" "$AMTLESS" inspect -r --json d
cp out lines.out
check "one JSON document per line, one per file" test "$(wc -l <lines.out)" = 11
i=0 valid=1 order=1 nerr=0
while IFS= read -r l; do
	i=$((i + 1))
	printf '%s\n' "$l" >"line$i.json"
	want=$(echo $files | cut -d' ' -f$i)
	[ "$(jget "line$i.json" file)" = "$want" ] || order=0
	case $(jget "line$i.json" schema) in
	amtless-inspect) "$JSONTOOL" validate "$SCHEMA" "line$i.json" || valid=0 ;;
	amtless-inspect-error) nerr=$((nerr + 1)); "$JSONTOOL" validate "$ESCHEMA" "line$i.json" || valid=0 ;;
	*) valid=0 ;;
	esac
done <lines.out
check "every line validates (doc/inspect.schema.json, doc/inspect-error.schema.json)" test "$valid" = 1
check "the lines are in the order of the files" test "$order" = 1
check "three error documents" test "$nerr" = 3
check "error document: the exit code inspect gives the update file alone (5)" \
	jis line7.json exit_code 5
check "error document: structure and offset of the update file" \
	test "$(jget line7.json error.structure)" = image -a "$(jget line7.json error.offset)" != null
check "error document: the empty file is unreadable (3)" jis line8.json exit_code 3
"$AMTLESS" inspect --json d/a-full-me11.bin >single.json
check "a line holds the same document as inspect --json FILE" \
	test "$("$JSONTOOL" canon single.json)" = "$("$JSONTOOL" canon line1.json)"
check "inspect --json FILE stays one indented document" test "$(wc -l <single.json)" -gt 10

# ---- several IMAGEs, a directory without --recursive, --one-line ----
expect_rc 0 "inspect A B (two files, both fine)" "$AMTLESS" inspect d/c-full-me8.bin d/a-full-me11.bin
check "two lines, in the order given" test "$(cut -d: -f1 out | tr '\n' ' ')" = "d/c-full-me8.bin d/a-full-me11.bin "
check "nothing on stderr when every file was inspected" test ! -s err
expect_rc 9 "inspect FILE d (a directory without --recursive)" "$AMTLESS" inspect d/c-full-me8.bin d
check "its line says to use --recursive" test "$(sed -n 2p out)" = \
	"d: error: file: is a directory (--recursive inspects the files under it)"
expect_rc 3 "inspect d (one directory, no --recursive: as for one IMAGE)" "$AMTLESS" inspect d
expect_rc 0 "inspect --one-line FILE" "$AMTLESS" inspect --one-line d/c-full-me8.bin
check "one line, as for several files" test "$(cat out)" = "$(line d/c-full-me8.bin)"
expect_rc 0 "inspect --one-line --json FILE" "$AMTLESS" inspect --one-line --json d/a-full-me11.bin
check "one compact JSON line" test "$(wc -l <out)" = 1 -a "$("$JSONTOOL" canon out)" = "$("$JSONTOOL" canon single.json)"
expect_rc 9 "inspect FILE MISSING" "$AMTLESS" inspect d/c-full-me8.bin nope.bin
check "the missing file's line" test "$(sed -n 2p out)" = "nope.bin: error: file: cannot open: No such file or directory"
mkdir empty
expect_rc 0 "inspect -r EMPTY_DIR" "$AMTLESS" inspect -r empty
check "no line, a note on stderr" test ! -s out -a -s err
expect_rc 2 "--jobs 0" "$AMTLESS" inspect -j 0 d
expect_rc 2 "--jobs x" "$AMTLESS" inspect --jobs x d

# a name with a newline stays on its line (escaped), in text and JSON
cp d/e-region-me11.bin "$(printf 'nl\nname.bin')"
expect_rc 0 "a file name holding a newline" "$AMTLESS" inspect --one-line "$(printf 'nl\nname.bin')"
check "one line, the newline escaped" test "$(wc -l <out)" = 1 -a "$(cut -d: -f1 out)" = 'nl\x0aname.bin'
expect_rc 0 "the same in JSON" "$AMTLESS" inspect --one-line --json "$(printf 'nl\nname.bin')"
check "one line, the name whole" test "$(wc -l <out)" = 1 -a "$(jget out file)" = "$(printf 'nl\nname.bin')"

tap_end
