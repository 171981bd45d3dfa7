#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# CLI tests of `amtless neutralize`, `amtless verify` and the me_cleaner
# front end on synthetic images made by mkimage.
# usage: test_neutralize.sh AMTLESS MKIMAGE
set -u
AMTLESS=$1 MKIMAGE=$2
for x in "$AMTLESS" "$MKIMAGE"; do [ -x "$x" ] || { echo "Bail out! $x is missing"; exit 1; }; done
T=$(mktemp -d)
trap 'chmod -R u+w "$T"; rm -rf "$T"' EXIT

. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }
sum() { sha256sum "$1" | cut -d' ' -f1; }

for k in me11 full-me11 me-gen1 full-me4 update; do
	"$MKIMAGE" --kind "$k" "$T/$k.bin" >/dev/null || { echo "Bail out! mkimage $k"; exit 1; }
done
ln -s "$(readlink -f "$AMTLESS")" "$T/me_cleaner"
MC="$T/me_cleaner"

# ---- me_cleaner: command line like argparse ----
expect_rc 0 "me_cleaner -v" "$MC" -v
check "version text" has "$T/out" "me_cleaner 1.2"
expect_rc 0 "me_cleaner -h" "$MC" -h
check "help lists --soft-disable-only" has "$T/out" "--soft-disable-only"
expect_rc 2 "-S and -s exclude each other" "$MC" -S -s "$T/me11.bin"
check "argparse-style message" has "$T/err" "not allowed with argument"
expect_rc 2 "-w and -b exclude each other" "$MC" -w MFS -b NFTP "$T/me11.bin"
expect_rc 2 "no file" "$MC" -S
expect_rc 2 "unknown option" "$MC" --frobnicate "$T/me11.bin"
expect_rc 2 "two files" "$MC" "$T/me11.bin" "$T/me11.bin"
expect_rc 1 "-c with -S" "$MC" -c -S "$T/me11.bin"
check "-c rule message" has "$T/err" "-c can't be used with -S, -s, -r, -d, -t or -O"
expect_rc 1 "-s with -r" "$MC" -s -r "$T/full-me11.bin"
expect_rc 1 "-w with -r" "$MC" -w MFS -r -O "$T/x.bin" "$T/me11.bin"
check "-w -r wrote nothing" test ! -e "$T/x.bin"
expect_rc 1 "-S on a bare region" "$MC" -S -O "$T/x.bin" "$T/me11.bin"
check "require a full dump" has "$T/err" "-d, -D, -M, -S and -s require a full dump"
expect_rc 1 "update file" "$MC" -O "$T/x.bin" "$T/update.bin"
expect_rc 1 "missing file" "$MC" -O "$T/x.bin" "$T/nope.bin"

# ---- me_cleaner: outputs ----
before=$(sum "$T/me11.bin")
expect_rc 0 "me_cleaner -O on a bare ME 11 region" "$MC" -O "$T/mc1.bin" "$T/me11.bin"
check "input unchanged with -O" test "$(sum "$T/me11.bin")" = "$before"
check "prints Done" has "$T/out" "Done! Good luck!"
check "prints the signature check" has "$T/out" "Checking the FTPR RSA signature... VALID"
expect_rc 0 "amtless me_cleaner = invoked as me_cleaner" "$AMTLESS" me_cleaner -O "$T/mc2.bin" "$T/me11.bin"
check "same bytes both ways" test "$(sum "$T/mc1.bin")" = "$(sum "$T/mc2.bin")"
cp "$T/me11.bin" "$T/inplace.bin"
expect_rc 0 "without -O the file is replaced" "$MC" "$T/inplace.bin"
check "in-place result = -O result" test "$(sum "$T/inplace.bin")" = "$(sum "$T/mc1.bin")"
check "no temporary file left" bash -c "! ls -A '$T' | grep -q '^\.amtless-'"
cp "$T/me11.bin" "$T/ro.bin"
chmod 444 "$T/ro.bin"
expect_rc 1 "read-only file without -O is refused" "$MC" "$T/ro.bin"
check "read-only file unchanged" test "$(sum "$T/ro.bin")" = "$before"
expect_rc 0 "read-only input with -O is fine" "$MC" -O "$T/mc3.bin" "$T/ro.bin"
expect_rc 0 "me_cleaner -c" "$MC" -c "$T/me11.bin"
expect_rc 0 "me_cleaner -S -d -D -M -t -r on a full image" \
	"$MC" -S -d -D "$T/desc.bin" -M "$T/me.bin" -t -r -O "$T/full.bin" "$T/full-me11.bin"
check "descriptor extract is 4 KiB" test "$(stat -c %s "$T/desc.bin")" = 4096
check "ME extract was written" test -s "$T/me.bin"
check "extract names in the log" has "$T/out" "Extracting the descriptor to \"$T/desc.bin\""
expect_rc 0 "the full output verifies" "$AMTLESS" verify "$T/full.bin"
expect_rc 0 "the truncated ME extract verifies" "$AMTLESS" verify "$T/me.bin"
expect_rc 1 "gen 1 bare region is refused" "$MC" -O "$T/x.bin" "$T/me-gen1.bin"
check "gen 1 refusal says why" has "$T/err" "full flash image"
expect_rc 0 "gen 1 full image" "$MC" -O "$T/g1.bin" "$T/full-me4.bin"
check "gen 1 log" has "$T/out" "Wiping the ME region..."
expect_rc 0 "gen 1: the summary alone" "$AMTLESS" neutralize --brief --dry-run "$T/full-me4.bin"
check "gen 1: the outcome names the erased region" grep -q "^  Outcome  *would change: MeDisable set; ME region erased$" "$T/out"

# ---- neutralize ----
expect_rc 2 "neutralize needs -o, --in-place or --dry-run" "$AMTLESS" neutralize "$T/me11.bin"
before=$(sum "$T/full-me11.bin")
expect_rc 0 "dry run" "$AMTLESS" neutralize --dry-run "$T/full-me11.bin" -o "$T/never.bin"
check "dry run wrote nothing" test ! -e "$T/never.bin"
check "plan lists the HAP edit" has "$T/out" "set HAP (PCHSTRP0 bit 16)"
check "plan shows old -> new" has "$T/out" " -> "
expect_rc 0 "neutralize a full ME 11 image" "$AMTLESS" neutralize "$T/full-me11.bin" -o "$T/n11.bin"
check "input unchanged" test "$(sum "$T/full-me11.bin")" = "$before"
# the answer first: the summary opens the report (render/answer.c)
check "report opens with the summary" test "$(head -1 "$T/out")" = "Summary"
# mkimage's ME 11 sample: two partitions besides FTPR, every FTPR module a boot module
check "summary: what changed" grep -q "^  Outcome  *changed: HAP set; 2 partitions removed$" "$T/out"
check "summary: disable bit before -> after, where" has "$T/out" "HAP, PCHSTRP0 bit 16 (file byte 0x102 bit 0): not set -> set"
check "summary: code remains" grep -q "^  Code remains  .* of .*(.*%), .* of .* code modules$" "$T/out"
check "summary: safe to flash" grep -q "^  Safe to flash  *yes" "$T/out"
check "summary: written" grep -q "^  Written  *$T/n11.bin$" "$T/out"
check "summary before any detail" test "$(grep -n '^Changes:' "$T/out" | cut -d: -f1)" -gt "$(grep -n '^  Safe to flash' "$T/out" | cut -d: -f1)"
check "report: disable bit before -> after" has "$T/out" "disable bit HAP (PCHSTRP0 bit 16): not set -> set"
check "report: minimum size" has "$T/out" "Minimum ME region size: 0x"
check "report: kept modules on one line" grep -q "^Kept unchanged: partition FTPR; modules .*kernel" "$T/out"
check "report: what changed, not what did not" hasnt "$T/out" "  unchanged"
cp "$T/out" "$T/full.out"
expect_rc 0 "--brief" "$AMTLESS" neutralize --brief "$T/full-me11.bin" -o "$T/n11b.bin"
check "--brief prints the summary alone" test "$(wc -l <"$T/out")" = "$(($(grep -n '^  Written' "$T/full.out" | cut -d: -f1)))"
check "--brief is the opening of the full report" cmp -s "$T/out" <(head -n "$(wc -l <"$T/out")" "$T/full.out" | sed "s|$T/n11.bin|$T/n11b.bin|")
check "--brief wrote the same image" cmp -s "$T/n11.bin" "$T/n11b.bin"
# idempotence: neutralizing a neutralized image changes nothing, exit 0;
# -o writes a byte for byte copy (documented in --help and amtless(1))
expect_rc 0 "neutralize a neutralized image" "$AMTLESS" neutralize "$T/n11.bin" -o "$T/n11again.bin"
check "already neutralized: said first" grep -q "^  Outcome  *already neutralized: nothing changed$" "$T/out"
check "already neutralized: -o writes an identical copy" cmp -s "$T/n11.bin" "$T/n11again.bin"
check "already neutralized: no removal listed" hasnt "$T/out" "removed:"
expect_rc 0 "dry run on a neutralized image" "$AMTLESS" neutralize --dry-run "$T/n11.bin"
check "dry run: already neutralized" grep -q "^  Outcome  *already neutralized: nothing changed$" "$T/out"
check "dry run: no change listed on a neutralized image" bash -c "! grep -q 'removed:\|^Plan:' '$T/out'"
# a bare region stripped and truncated after its kept data (--truncate, me_cleaner
# -S -t): FTPR runs past the file; it is already what neutralize gives
for k in me11 me-gen2; do
	"$MKIMAGE" --kind "$k" "$T/tr-$k.bin" >/dev/null || { bad "mkimage $k"; continue; }
	expect_rc 0 "$k: neutralize --truncate" "$AMTLESS" neutralize --truncate "$T/tr-$k.bin" -o "$T/tr-$k.t.bin"
	check "$k: the result is shorter" test "$(stat -c %s "$T/tr-$k.t.bin")" -lt "$(stat -c %s "$T/tr-$k.bin")"
	expect_rc 0 "$k: neutralize the truncated region again" "$AMTLESS" neutralize "$T/tr-$k.t.bin" -o "$T/tr-$k.t2.bin"
	check "$k: already neutralized" grep -q "^  Outcome  *already neutralized: nothing changed$" "$T/out"
	check "$k: an identical copy" cmp -s "$T/tr-$k.t.bin" "$T/tr-$k.t2.bin"
	check "$k: what remains, as inspect previews it" test \
		"$(grep '^  Code remains' "$T/out" | sed 's/^  Code remains *//')" = \
		"$("$AMTLESS" inspect --brief "$T/tr-$k.t.bin" | grep '^  Neutralize keeps' | sed 's/^  Neutralize keeps *//')"
done
expect_rc 0 "the result verifies" "$AMTLESS" verify "$T/n11.bin"
check "verify reads the disable bit back" has "$T/out" "HAP (PCHSTRP0 bit 16): set"
check "verify opens with the summary" test "$(head -1 "$T/out")" = "Summary"
check "verify summary: the bit set, where" has "$T/out" "  Disable bit      HAP, PCHSTRP0 bit 16 (file byte 0x102 bit 0): set"
check "verify summary: stripped" grep -q "^  Stripped  *yes" "$T/out"
check "verify summary: safe to flash" grep -q "^  Safe to flash  *yes" "$T/out"
check "verify summary: the code that remains, as neutralize said" test \
	"$(grep '^  Code remains' "$T/out")" = "$(grep '^  Code remains' "$T/full.out")"
cp "$T/out" "$T/verify.out"
expect_rc 0 "verify --brief" "$AMTLESS" verify --brief "$T/n11.bin"
check "verify --brief = the opening of verify" cmp -s "$T/out" <(head -n "$(wc -l <"$T/out")" "$T/verify.out")
check "verify --brief: the summary alone" test "$(tail -1 "$T/out" | cut -c1-15)" = "  Safe to flash"
expect_rc 0 "bare region: removal only" "$AMTLESS" neutralize "$T/me11.bin" -o "$T/nr.bin"
check "says the disable bit needs the full image" has "$T/out" "the disable bit needs the full flash image"
expect_rc 2 "--disable-bit-only on a bare region" "$AMTLESS" neutralize --disable-bit-only "$T/me11.bin" -o "$T/x.bin"
expect_rc 6 "gen 1 bare region refused" "$AMTLESS" neutralize "$T/me-gen1.bin" -o "$T/x.bin"
expect_rc 5 "update file" "$AMTLESS" neutralize "$T/update.bin" -o "$T/x.bin"
expect_rc 7 "unwritable target: nothing written" "$AMTLESS" neutralize "$T/me11.bin" -o "$T/nodir/x.bin"
cp "$T/full-me11.bin" "$T/ip.bin"
expect_rc 0 "--in-place" "$AMTLESS" neutralize --in-place "$T/ip.bin"
check "backup is the original" test "$(sum "$T/ip.bin.bak")" = "$before"
check "in place = -o result" test "$(sum "$T/ip.bin")" = "$(sum "$T/n11.bin")"
check "--in-place: the summary first, the backup named in it" \
	bash -c "head -1 '$T/out' | grep -qx Summary && grep -q '^  Backup  *$T/ip.bin.bak (the old file)$' '$T/out'"
expect_rc 0 "--in-place again: already neutralized" "$AMTLESS" neutralize --in-place "$T/ip.bin"
check "already neutralized is said" has "$T/out" "Already neutralized"
check "the backup is still the original" test "$(sum "$T/ip.bin.bak")" = "$before"
check "the image is left as it was" test "$(sum "$T/ip.bin")" = "$(sum "$T/n11.bin")"
cp "$T/full-me11.bin" "$T/ip2.bin"
touch "$T/ip2.bin.bak"
expect_rc 7 "--in-place refuses to overwrite an old backup" "$AMTLESS" neutralize --in-place "$T/ip2.bin"
check "nothing written when the backup exists" test "$(sum "$T/ip2.bin")" = "$before"
check "refused in-place left the file alone" test "$(sum "$T/ip.bin")" = "$(sum "$T/n11.bin")"
cp "$T/me11.bin" "$T/same.bin"
expect_rc 2 "-o naming the input is refused" "$AMTLESS" neutralize "$T/same.bin" -o "$T/same.bin"
check "the input is untouched" cmp -s "$T/same.bin" "$T/me11.bin"
expect_rc 2 "unknown platform key" "$AMTLESS" neutralize --platform nosuch "$T/full-me11.bin" -o "$T/x.bin"
expect_rc 0 "--disable-bit-only" "$AMTLESS" neutralize --disable-bit-only "$T/full-me11.bin" -o "$T/dis.bin"
check "only the strap dword differs" test "$(cmp -l "$T/full-me11.bin" "$T/dis.bin" | wc -l)" = 1

# this sample has no region right after the ME region: nothing to give the space to
expect_rc 6 "--shrink-region without a following region" \
	"$AMTLESS" neutralize --shrink-region "$T/full-me11.bin" -o "$T/shr.bin"
check "says why" has "$T/err" "no region starts right after the ME region"
check "nothing written" test ! -e "$T/shr.bin"
# me_cleaner's -D/-M with -t, put back together as one would flash them
expect_rc 0 "me_cleaner -D -M -t -r" "$MC" -S -D "$T/d2.bin" -M "$T/m2.bin" -t -r -O "$T/o2.bin" "$T/full-me11.bin"
cp "$T/o2.bin" "$T/flashed.bin"
dd if="$T/d2.bin" of="$T/flashed.bin" conv=notrunc status=none
dd if="$T/m2.bin" of="$T/flashed.bin" bs=4096 seek=1 conv=notrunc status=none
expect_rc 0 "descriptor + truncated ME flashed together verify" "$AMTLESS" verify "$T/flashed.bin"

# ---- verify finds damage ----
cp "$T/n11.bin" "$T/bad.bin"
off=$(grep -obUaP '\$MN2' "$T/bad.bin" | head -1 | cut -d: -f1)
printf '\x5a' | dd of="$T/bad.bin" bs=1 seek=$((off + 0x08)) conv=notrunc status=none  # version, signed
expect_rc 1 "verify: a changed manifest" "$AMTLESS" verify "$T/bad.bin"
check "verify names the problem" has "$T/out" "PROBLEM"
check "verify summary: not safe to flash, the first problem" grep -q "^  Safe to flash  *NO: [0-9]* problems\?, first: " "$T/out"
expect_rc 3 "verify: missing file" "$AMTLESS" verify "$T/nope.bin"

# ---- every mkimage kind: neutralize + verify, or a documented refusal ----
# Neutralized and verified: the full flash images (ME 4 via the descriptor
# straps, ME 8 and ME 11 via the HAP/AltMeDisable bit + module removal,
# CSME 14/16 IFWI via the HAP bit) and the bare gen 2/3 ME regions
# (modules removed; the disable bit needs the descriptor).
differs() { ! cmp -s "$1" "$2"; }
for k in full-me11 full-me11-amt full-me8 full-me4 me11 me-gen2 full-ifwi16 full-ifwi17; do
	"$MKIMAGE" --kind "$k" "$T/k-$k.bin" >/dev/null || { bad "mkimage $k"; continue; }
	expect_rc 0 "kind $k: neutralize --dry-run" "$AMTLESS" neutralize --dry-run "$T/k-$k.bin"
	expect_rc 0 "kind $k: neutralize" "$AMTLESS" neutralize "$T/k-$k.bin" -o "$T/k-$k.out"
	expect_rc 0 "kind $k: verify the result" "$AMTLESS" verify "$T/k-$k.out"
	check "kind $k: output differs from the input" differs "$T/k-$k.bin" "$T/k-$k.out"
done
# verify says which modules still hold code; an ME 8 image stripped of all
# but ROMP and BUP is reported stripped, by verify and by inspect
"$AMTLESS" verify "$T/k-full-me8.out" >"$T/out" 2>&1
check "verify: modules holding code named" has "$T/out" "modules holding code: 2 of 4 (FTPR/ROMP"
check "verify: removed modules counted" has "$T/out" "modules removed (erased or truncated away): 2"
check "verify: firmware stripped" has "$T/out" "firmware stripped: yes"
"$AMTLESS" verify "$T/k-full-me8.bin" >"$T/out" 2>&1
check "verify: unmodified image not stripped" has "$T/out" "firmware stripped: no"
check "verify: unmodified image, nothing removed" has "$T/out" "modules removed (erased or truncated away): 0"
"$AMTLESS" inspect --no-color "$T/k-full-me8.out" >"$T/out" 2>&1
check "inspect: Stripped line" has "$T/out" "Stripped        yes"
check "inspect: Data column" grep -qE '^  FTPR +KERNEL +module .* erased ' "$T/out"
# Refused, with the exit code that says why:
#  me-gen1: a bare gen 1 region is neutralized only through the descriptor (6)
#  ifwi16, ifwi17, bpdt: bare IFWI/BPDT, the HAP bit lives in the descriptor (6)
#  descriptor: the ME region is not in the file (4); unknown: no structure (4)
#  update: an ME update file, not a flash image (5)
for kr in me-gen1:6 ifwi16:6 ifwi17:6 bpdt:6 descriptor:4 unknown:4 update:5; do
	k=${kr%%:*} want=${kr#*:}
	"$MKIMAGE" --kind "$k" "$T/k-$k.bin" >/dev/null || { bad "mkimage $k"; continue; }
	expect_rc "$want" "kind $k: neutralize refused" "$AMTLESS" neutralize "$T/k-$k.bin" -o "$T/k-$k.out"
	check "kind $k: nothing written" test ! -e "$T/k-$k.out"
done
# every kind mkimage knows is covered by one of the two lists above
for k in $("$MKIMAGE" --list); do
	case " full-me11 full-me11-amt full-me8 full-me4 me11 me-gen2 full-ifwi16 full-ifwi17 me-gen1 ifwi16 ifwi17 bpdt descriptor unknown update " in
	*" $k "*) ;;
	*) bad "mkimage kind $k has no neutralize expectation" ;;
	esac
done

# ---- the disable bit alone: a descriptor file (as ifdtool -M), enable-me ----
# the unknown-platform descriptor of mkimage: refused, then placed by the
# expert override at PCHSTRP31 bit 16 (byte 0x17e, the Alder/Tiger Lake-LP
# place of Dasharo's me_16.h/me_15.h), and cleared back byte for byte
"$MKIMAGE" --kind descriptor "$T/bit0.bin" >/dev/null || { echo "Bail out! mkimage descriptor"; exit 1; }
nbytes() { cmp -l "$1" "$2" | wc -l; }
firstbyte() { cmp -l "$1" "$2" | awk 'NR == 1 { printf "0x%x", $1 - 1 }'; }
expect_rc 6 "descriptor alone, unknown platform: --disable-bit-only refused" \
	"$AMTLESS" neutralize --disable-bit-only "$T/bit0.bin" -o "$T/bit1.bin"
check "refused: nothing written" test ! -e "$T/bit1.bin"
check "refused: says it does not guess" has "$T/err" "not writing a guessed strap"
check "refused: offers --platform" has "$T/err" "--platform KEY"
expect_rc 0 "descriptor alone: --disable-bit-only --expert-disable-bit" \
	"$AMTLESS" neutralize --disable-bit-only --expert-disable-bit PCHSTRP31:16 "$T/bit0.bin" -o "$T/bit1.bin"
check "set: one byte differs" test "$(nbytes "$T/bit0.bin" "$T/bit1.bin")" = 1
check "set: it is 0x17e" test "$(firstbyte "$T/bit0.bin" "$T/bit1.bin")" = 0x17e
check "set: the override is called UNVERIFIED" has "$T/out" "UNVERIFIED"
check "set: the output is verified" has "$T/out" "the disable bit is set in the result's own descriptor"
expect_rc 6 "enable-me without the override: unknown platform" "$AMTLESS" enable-me "$T/bit1.bin" -o "$T/bit2.bin"
check "enable-me refused: nothing written" test ! -e "$T/bit2.bin"
expect_rc 2 "enable-me takes no removal option" "$AMTLESS" enable-me --relocate "$T/bit1.bin" -o "$T/bit2.bin"
check "enable-me: names the option" has "$T/err" "--relocate"
expect_rc 0 "enable-me --dry-run" "$AMTLESS" enable-me --dry-run --expert-disable-bit PCHSTRP31:16 "$T/bit1.bin"
check "dry run: the edit shown" has "$T/out" "clear HAP (PCHSTRP31 bit 16)"
check "dry run: nothing written" test ! -e "$T/bit2.bin"
expect_rc 0 "enable-me with the override" "$AMTLESS" enable-me --expert-disable-bit PCHSTRP31:16 "$T/bit1.bin" -o "$T/bit2.bin"
check "round trip: the descriptor back byte for byte" cmp -s "$T/bit0.bin" "$T/bit2.bin"
check "enable-me: before -> after" has "$T/out" "yes -> no (ME enabled)"
expect_rc 0 "enable-me on an enabled ME" "$AMTLESS" enable-me --expert-disable-bit PCHSTRP31:16 "$T/bit0.bin" -o "$T/bit3.bin"
check "already enabled: said" has "$T/out" "already enabled"
check "already enabled: a copy" cmp -s "$T/bit0.bin" "$T/bit3.bin"
cp "$T/bit1.bin" "$T/bit4.bin"
expect_rc 0 "enable-me --in-place" "$AMTLESS" enable-me --in-place --expert-disable-bit PCHSTRP31:16 "$T/bit4.bin"
check "in place: cleared" cmp -s "$T/bit0.bin" "$T/bit4.bin"
check "in place: the backup is the set file" cmp -s "$T/bit1.bin" "$T/bit4.bin.bak"
# a full image: set the bit alone, clear it, the image back byte for byte;
# a stripped image is never re-enabled; a bare region has no disable bit
expect_rc 0 "full image: --disable-bit-only" "$AMTLESS" neutralize --disable-bit-only "$T/full-me11.bin" -o "$T/bitf1.bin"
check "full image: one byte differs" test "$(nbytes "$T/full-me11.bin" "$T/bitf1.bin")" = 1
expect_rc 0 "full image: enable-me" "$AMTLESS" enable-me "$T/bitf1.bin" -o "$T/bitf2.bin"
check "full image: back byte for byte" cmp -s "$T/full-me11.bin" "$T/bitf2.bin"
expect_rc 0 "full image: neutralize (removal)" "$AMTLESS" neutralize "$T/full-me11.bin" -o "$T/bitf3.bin"
expect_rc 6 "stripped image: enable-me refused" "$AMTLESS" enable-me "$T/bitf3.bin" -o "$T/bitf4.bin"
check "stripped: says why" has "$T/err" "stripped"
check "stripped: nothing written" test ! -e "$T/bitf4.bin"
expect_rc 2 "bare region: enable-me refused" "$AMTLESS" enable-me "$T/me11.bin" -o "$T/bitf4.bin"
check "bare region: nothing written" test ! -e "$T/bitf4.bin"

# ---- top-level --help: every subcommand and every exit code ----
expect_rc 0 "amtless --help" "$AMTLESS" --help
cp "$T/out" "$T/top-help"
cmds=$(awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }' "$T/top-help")
check "--help lists the nine subcommands" test "$(echo $cmds)" = "inspect diff neutralize enable-me flash verify extract audit me_cleaner"
for c in $cmds; do
	expect_rc 0 "amtless $c --help" "$AMTLESS" "$c" --help
done
for code in 0 1 2 3 4 5 6 7 10-14 16 17 70; do
	check "--help lists exit code $code" grep -Eq "^ *$code " "$T/top-help"
done
expect_rc 0 "amtless --version" "$AMTLESS" --version
check "--version prints the version" grep -Eq '^amtless [0-9]' "$T/out"
expect_rc 0 "verify --help" "$AMTLESS" verify --help
check "verify --help lists exit code 2" has "$T/out" "2 usage"
check "verify --help lists exit code 70" has "$T/out" "70 internal error"
expect_rc 0 "neutralize --help" "$AMTLESS" neutralize --help
check "neutralize --help lists exit code 70" has "$T/out" "70 internal error"

tap_end
