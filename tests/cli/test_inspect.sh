#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# CLI tests of `amtless inspect` on synthetic images made by mkimage.
# usage: test_inspect.sh AMTLESS MKIMAGE JSONTOOL SCHEMA
set -u
AMTLESS=$1 MKIMAGE=$2 JSONTOOL=$3 SCHEMA=$4
for x in "$AMTLESS" "$MKIMAGE" "$JSONTOOL"; do [ -x "$x" ] || { echo "Bail out! $x is missing"; exit 1; }; done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
unset NO_COLOR

. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }

# ---- the validator itself must reject what the schema does not allow ----
"$MKIMAGE" --kind full-me11 "$T/full-me11.bin" >/dev/null || { echo "Bail out! mkimage failed"; exit 1; }
"$AMTLESS" inspect --json "$T/full-me11.bin" >"$T/good.json"
check "schema checker accepts the real document" "$JSONTOOL" validate "$SCHEMA" "$T/good.json"
sed 's/"schema": "amtless-inspect"/"schema": "x"/' "$T/good.json" >"$T/bad1.json"
check "schema checker rejects a wrong schema name" bash -c "! '$JSONTOOL' validate '$SCHEMA' '$T/bad1.json' 2>/dev/null"
sed '0,/{/s/{/{ "unexpected": 1,/' "$T/good.json" >"$T/bad2.json"
check "schema checker rejects an undocumented key" bash -c "! '$JSONTOOL' validate '$SCHEMA' '$T/bad2.json' 2>/dev/null"
sed 's/"layout": "cse-fpt"/"layout": 3/' "$T/good.json" >"$T/bad3.json"
check "schema checker rejects a wrong type" bash -c "! '$JSONTOOL' validate '$SCHEMA' '$T/bad3.json' 2>/dev/null"

# ---- every kind mkimage offers: text and JSON ----
for kind in $("$MKIMAGE" --list); do
	f="$T/$kind.bin"
	"$MKIMAGE" --kind "$kind" "$f" >/dev/null || { bad "mkimage --kind $kind"; continue; }
	case $kind in
	update)
		expect_rc 5 "$kind: inspect refuses an update file" "$AMTLESS" inspect "$f"
		check "$kind: the error says update file" has "$T/err" "update file"
		check "$kind: nothing on stdout" test ! -s "$T/out"
		expect_rc 5 "$kind: --json too" "$AMTLESS" inspect --json "$f"
		continue ;;
	unknown)
		expect_rc 4 "$kind: inspect says unknown" "$AMTLESS" inspect "$f"
		check "$kind: the error names the file" has "$T/err" "$f"
		continue ;;
	esac
	expect_rc 0 "$kind: inspect" "$AMTLESS" inspect "$f"
	cp "$T/out" "$T/$kind.txt"
	check "$kind: text has the ME summary and problems" \
		bash -c "grep -q '^ME summary' '$T/$kind.txt' && grep -q '^Problems' '$T/$kind.txt'"
	check "$kind: no colour when not a terminal" bash -c "! grep -q $'\\033' '$T/$kind.txt'"
	expect_rc 0 "$kind: inspect --json" "$AMTLESS" inspect --json "$f"
	cp "$T/out" "$T/$kind.json"
	check "$kind: JSON matches doc/inspect.schema.json" "$JSONTOOL" validate "$SCHEMA" "$T/$kind.json"
	check "$kind: schema name and version" bash -c \
		"[ \"\$('$JSONTOOL' get '$T/$kind.json' schema)\" = amtless-inspect ] && [ \"\$('$JSONTOOL' get '$T/$kind.json' version)\" = 1 ]"
	check "$kind: file size" jis "$T/$kind.json" size "$(stat -c %s "$f")"
	if [ "$kind" != descriptor ]; then
		v=$(jget "$T/$kind.json" firmware.version)
		check "$kind: a firmware version ($v)" bash -c "[[ '$v' =~ ^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+\$ ]]"
		check "$kind: text shows version $v" grep -qE "^  Version +$v\$" "$T/$kind.txt"
		check "$kind: FTPR/CODE manifest has that version" bash -c \
			"i=\$('$JSONTOOL' get '$T/$kind.json' firmware.ftpr_manifest) && [ \"\$('$JSONTOOL' get '$T/$kind.json' firmware.manifests.\$i.version)\" = '$v' ]"
		check "$kind: partitions and modules listed" bash -c \
			"'$JSONTOOL' get '$T/$kind.json' firmware.partitions.0.name >/dev/null && '$JSONTOOL' get '$T/$kind.json' firmware.modules.0.name >/dev/null"
		check "$kind: signature of the FTPR manifest verified" bash -c \
			"i=\$('$JSONTOOL' get '$T/$kind.json' firmware.ftpr_manifest) && [ \"\$('$JSONTOOL' get '$T/$kind.json' firmware.manifests.\$i.signature.status)\" = valid ]"
		check "$kind: test key reported as unknown key with its fingerprint" bash -c \
			"[ \"\$('$JSONTOOL' get '$T/$kind.json' firmware.signing_key.known)\" = false ] && grep -q 'unknown key' '$T/$kind.txt' && grep -q \"me_cleaner MD5  \$('$JSONTOOL' get '$T/$kind.json' firmware.signing_key.me_cleaner_md5)\" '$T/$kind.txt'"
		check "$kind: tables in the text" bash -c \
			"grep -q '^Partitions' '$T/$kind.txt' && grep -q '^Modules' '$T/$kind.txt' && grep -q '^Checksums' '$T/$kind.txt' && grep -q '^Default neutralization would keep' '$T/$kind.txt'"
		nchecks=$(grep -c . < <("$JSONTOOL" get "$T/$kind.json" firmware.checks | tr '{' '\n' | grep '"what"'))
		check "$kind: every checksum printed ($nchecks)" bash -c \
			"[ \$(sed -n '/^Checksums/,/^\$/p' '$T/$kind.txt' | grep -cE '^  (ok|mismatch|unknown) ') -eq $nchecks ]"
	fi
	case $kind in
	full-*)
		check "$kind: region map drawn with the ME" grep -qE '^  \|D?M+' "$T/$kind.txt"
		check "$kind: JSON descriptor present" bash -c "[ \"\$('$JSONTOOL' get '$T/$kind.json' input.kind)\" = full ]"
		if [ "$(jget "$T/$kind.json" descriptor.disable_bit.located)" = true ]; then
			off=$(jget "$T/$kind.json" descriptor.disable_bit.locations.0.file_offset)
			check "$kind: disable bit strap, byte offset and state in the text" \
				grep -qE "^ +[A-Z]+STRP[0-9]+ bit [0-9]+ = file byte $(printf '0x%x' "$off") bit [0-7]: (set|clear)" "$T/$kind.txt"
		else
			check "$kind: says why the disable bit cannot be located" grep -q "cannot be located" "$T/$kind.txt"
		fi ;;
	descriptor)
		check "$kind: descriptor only, no firmware" bash -c \
			"[ \"\$('$JSONTOOL' get '$T/$kind.json' input.kind)\" = descriptor-only ] && [ \"\$('$JSONTOOL' get '$T/$kind.json' firmware)\" = null ]"
		check "$kind: text says the firmware is not in the file" grep -q "not in this file" "$T/$kind.txt" ;;
	*)
		check "$kind: bare region: no descriptor" jis "$T/$kind.json" descriptor null ;;
	esac
done

# ---- key facts ----
check "full-me11: CSME 11 layout" grep -qE '^  Firmware +CSME 11, generation 3' "$T/full-me11.txt"
check "full-me8: ME 8.1.20.1336 (builder default)" jis "$T/full-me8.json" firmware.version 8.1.20.1336
check "full-me4: ME 4.2.21.1037 (builder default)" jis "$T/full-me4.json" firmware.version 4.2.21.1037
check "full-me11-amt: AMT present yes" jis "$T/full-me11-amt.json" firmware.amt.present yes
check "full-me11-amt: text AMT yes with evidence" bash -c \
	"grep -qE '^  AMT present +yes' '$T/full-me11-amt.txt' && grep -A1 '^  AMT present' '$T/full-me11-amt.txt' | grep -q -- ' - '"
check "full-me11: AMT present no" jis "$T/full-me11.json" firmware.amt.present no
check "full-me11: SKU known" jis "$T/full-me11.json" firmware.sku.known true
check "ME region offset in JSON" jis "$T/full-me11.json" firmware.region.offset 4096

# ---- disable bit: unknown platform, --platform, a set bit ----
check "descriptor: unknown platform, bit not located" bash -c \
	"[ \"\$('$JSONTOOL' get '$T/descriptor.json' descriptor.disable_bit.located)\" = false ] && [ \"\$('$JSONTOOL' get '$T/descriptor.json' descriptor.disable_bit.state)\" = unknown ]"
check "descriptor: text says why the bit cannot be located" bash -c \
	"grep -q '^  Disable bit *cannot be located' '$T/descriptor.txt' && grep -q 'refusing to guess\\|--platform\\|match no known' '$T/descriptor.txt'"
expect_rc 0 "descriptor --platform cnp-h" "$AMTLESS" inspect --json --platform cnp-h "$T/descriptor.bin"
check "--platform cnp-h: the bit is located" jis "$T/out" descriptor.disable_bit.located true
check "--platform cnp-h: the override is recorded" jis "$T/out" descriptor.platform.override cnp-h
off=$(jget "$T/full-me11.json" descriptor.disable_bit.locations.0.file_offset)
bit=$(jget "$T/full-me11.json" descriptor.disable_bit.locations.0.byte_bit)
check "full-me11: disable bit clear in the sample" jis "$T/full-me11.json" descriptor.disable_bit.state no
cp "$T/full-me11.bin" "$T/hap.bin"
byte=$(od -An -tu1 -j "$off" -N1 "$T/hap.bin" | tr -d ' ')
printf "$(printf '\\%03o' $((byte | (1 << bit))))" | dd of="$T/hap.bin" bs=1 seek="$off" conv=notrunc status=none
expect_rc 0 "HAP set by hand" "$AMTLESS" inspect --json "$T/hap.bin"
check "HAP set: state yes" jis "$T/out" descriptor.disable_bit.state yes
check "HAP set: location reads set" jis "$T/out" descriptor.disable_bit.locations.0.set true
expect_rc 0 "HAP set: text" "$AMTLESS" inspect "$T/hap.bin"
check "HAP set: text says set (ME disabled)" grep -qE '^  Disable bit +HAP: set \(ME disabled\)' "$T/out"

# ---- options ----
expect_rc 0 "--no-verify" "$AMTLESS" inspect --json --no-verify "$T/full-me11.bin"
check "--no-verify: signatures_verified false" jis "$T/out" signatures_verified false
check "--no-verify: manifests not checked" jis "$T/out" firmware.manifests.0.signature.status "not checked"
expect_rc 0 "--platform spt" "$AMTLESS" inspect --json --platform spt "$T/full-me11.bin"
check "--platform recorded" jis "$T/out" descriptor.platform.override spt
expect_rc 2 "--platform with an unknown key" "$AMTLESS" inspect --platform no-such-pch "$T/full-me11.bin"
check "unknown key: lists the known keys" has "$T/err" "spt"
expect_rc 0 "--help" "$AMTLESS" inspect --help
check "--help lists options and exit codes" bash -c \
	"grep -q -- '--json' '$T/out' && grep -q -- '--no-verify' '$T/out' && grep -q -- '--platform' '$T/out' && grep -q 'Exit codes' '$T/out'"
expect_rc 0 "options after IMAGE" "$AMTLESS" inspect "$T/full-me11.bin" --json --no-color
check "options after IMAGE: JSON printed" jis "$T/out" schema amtless-inspect
expect_rc 2 "no IMAGE" "$AMTLESS" inspect
expect_rc 0 "two IMAGEs (one line each: tests/cli/test_inspect_many.sh)" "$AMTLESS" inspect "$T/full-me11.bin" "$T/full-me11.bin"
check "two IMAGEs: two lines" test "$(wc -l <"$T/out")" = 2
expect_rc 2 "unknown option" "$AMTLESS" inspect --bogus "$T/full-me11.bin"
check "unknown option: named" has "$T/err" "--bogus"
expect_rc 2 "--platform without KEY" "$AMTLESS" inspect "$T/full-me11.bin" --platform
check "--platform without KEY: says so" has "$T/err" "needs an argument"

# ---- colour ----
if script -qec true /dev/null >/dev/null 2>&1; then
	script -qec "env -u NO_COLOR '$AMTLESS' inspect '$T/full-me11.bin'" /dev/null >"$T/tty.txt" 2>&1
	check "colour on a terminal" grep -q $'\033\\[' "$T/tty.txt"
	script -qec "env NO_COLOR=1 '$AMTLESS' inspect '$T/full-me11.bin'" /dev/null >"$T/tty2.txt" 2>&1
	check "NO_COLOR honoured on a terminal" bash -c "! grep -q $'\\033\\[' '$T/tty2.txt'"
	script -qec "env -u NO_COLOR '$AMTLESS' inspect --no-color '$T/full-me11.bin'" /dev/null >"$T/tty3.txt" 2>&1
	check "--no-color honoured on a terminal" bash -c "! grep -q $'\\033\\[' '$T/tty3.txt'"
	script -qec "env -u NO_COLOR '$AMTLESS' inspect --json '$T/full-me11.bin'" /dev/null >"$T/tty4.txt" 2>&1
	check "no colour in JSON on a terminal" bash -c "! grep -q $'\\033\\[' '$T/tty4.txt'"
else
	skip_part "colour tests" "script(1) cannot allocate a terminal here"
fi

# ---- escaping of names read from images ----
for kind in me-gen2 full-me4; do
	f="$T/odd-$kind.bin"
	"$MKIMAGE" --kind "$kind" --odd-name "$f" >/dev/null
	expect_rc 0 "odd name ($kind): inspect" "$AMTLESS" inspect "$f"
	check "odd name ($kind): text escapes 01 ff and keeps the quote" has "$T/out" '\x01\xff"odd'
	check "odd name ($kind): no raw control or 0xff byte in the text" bash -c "! LC_ALL=C grep -q $'[\\x01\\xff]' '$T/out'"
	expect_rc 0 "odd name ($kind): inspect --json" "$AMTLESS" inspect --json "$f"
	check "odd name ($kind): JSON \\u0001\\u00FF\\\" escapes" has "$T/out" '"\u0001\u00FF\"odd"'
	check "odd name ($kind): JSON still valid" "$JSONTOOL" validate "$SCHEMA" "$T/out"
	check "odd name ($kind): module name decodes to U+0001 U+00FF '\"odd'" bash -c \
		"[ \"\$('$JSONTOOL' get '$T/out' firmware.modules.0.name | od -An -tx1 | tr -d ' \\n')\" = 01c3bf226f64640a ]"
done

# ---- input errors ----
expect_rc 3 "missing file" "$AMTLESS" inspect "$T/does-not-exist.bin"
check "missing file: message names it" has "$T/err" "does-not-exist.bin"
mkdir "$T/dir"
expect_rc 3 "directory" "$AMTLESS" inspect "$T/dir"
check "directory: says so" has "$T/err" "directory"
: >"$T/empty.bin"
expect_rc 3 "empty file" "$AMTLESS" inspect "$T/empty.bin"
check "empty file: says so" has "$T/err" "empty"
head -c 65536 /dev/zero >"$T/zeros.bin"
expect_rc 4 "zeros: unknown image" "$AMTLESS" inspect --json "$T/zeros.bin"
check "unknown image: nothing on stdout" test ! -s "$T/out"

# ---- inspect never writes ----
mkdir "$T/w"
cp "$T/full-me11.bin" "$T/w/image.bin"
sum1=$(sha256sum "$T/w/image.bin" | cut -c1-64)
{ ls -lA --time-style=full-iso "$T/w"; stat -c %y "$T/w"; } >"$T/ls1"
"$AMTLESS" inspect "$T/w/image.bin" >/dev/null 2>&1
"$AMTLESS" inspect --json "$T/w/image.bin" >/dev/null 2>&1
{ ls -lA --time-style=full-iso "$T/w"; stat -c %y "$T/w"; } >"$T/ls2"
check "input unchanged" test "$sum1" = "$(sha256sum "$T/w/image.bin" | cut -c1-64)"
check "no file created or touched next to the input" cmp -s "$T/ls1" "$T/ls2"

# ---- the answer first (render/answer.c) ----
"$AMTLESS" inspect --no-color "$T/full-me11.bin" >"$T/ans.txt" 2>&1
check "inspect opens with the summary" test "$(head -1 "$T/ans.txt")" = "Summary"
summary_end=$(grep -n '^  Safe to flash' "$T/ans.txt" | cut -d: -f1)
check "the summary ends before the descriptor details" test "$summary_end" -lt "$(grep -n '^Flash descriptor' "$T/ans.txt" | cut -d: -f1)"
for l in Firmware AMT "Disable bit" Stripped "Code remains" "Neutralize keeps" "Safe to flash"; do
	check "summary line: $l" bash -c "head -n '$summary_end' '$T/ans.txt' | grep -q '^  $l '"
done
# mkimage's ME 11 sample: firmware CSME 11.8.50.3425 (builder default), HAP at PCHSTRP0 bit 16
check "summary: family and version" grep -q "^  Firmware  *CSME 11.8.50.3425" "$T/ans.txt"
check "summary: AMT not present (first lines)" bash -c "head -4 '$T/ans.txt' | grep -q '^  AMT  *not present$'"
check "summary: the disable bit, where, not set" grep -q "^  Disable bit  *HAP, PCHSTRP0 bit 16 (file byte 0x102 bit 0): not set$" "$T/ans.txt"
check "summary: stock firmware is not stripped" grep -q "^  Stripped  *no$" "$T/ans.txt"
check "summary: safe to flash" grep -q "^  Safe to flash  *yes" "$T/ans.txt"
"$AMTLESS" inspect --no-color "$T/full-me11-amt.bin" >"$T/ans-amt.txt" 2>&1
check "summary: AMT present (AMT sample)" grep -q "^  AMT  *present$" "$T/ans-amt.txt"
expect_rc 0 "inspect --brief" "$AMTLESS" inspect --brief --no-color "$T/full-me11.bin"
check "--brief is the summary alone" test "$(wc -l <"$T/out")" = "$summary_end"
check "--brief = the opening of the full output" cmp -s "$T/out" <(head -n "$summary_end" "$T/ans.txt")
check "--brief: no details" hasnt "$T/out" "Partitions"
"$AMTLESS" inspect --brief --no-verify "$T/full-me11.bin" >"$T/nv.txt" 2>&1
check "--no-verify: the summary says nothing was checked" grep -q "^  Safe to flash  *not checked" "$T/nv.txt"
check "--no-verify: the same code measure" test "$(grep '^  Code remains' "$T/nv.txt")" = "$(grep '^  Code remains' "$T/ans.txt")"
expect_rc 2 "inspect --brief --json" "$AMTLESS" inspect --brief --json "$T/full-me11.bin"
expect_rc 2 "inspect --brief over several files" "$AMTLESS" inspect --brief "$T/full-me11.bin" "$T/full-me11.bin"
# a damaged manifest: the summary says not safe, as verify does
cp "$T/full-me11.bin" "$T/dmg.bin"
off=$(grep -obUaP '\$MN2' "$T/dmg.bin" | head -1 | cut -d: -f1)
printf '\x5a' | dd of="$T/dmg.bin" bs=1 seek=$((off + 0x08)) conv=notrunc status=none
"$AMTLESS" inspect --brief "$T/dmg.bin" >"$T/dmg.txt" 2>&1
check "summary: a damaged image is not safe to flash" grep -q "^  Safe to flash  *NO: " "$T/dmg.txt"
"$AMTLESS" verify "$T/dmg.bin" >/dev/null 2>&1
check "verify agrees (exit 1)" test $? = 1

tap_end
