#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# CLI tests of `amtless diff`: text, --json against doc/diff.schema.json,
# exit codes; synthetic images from mkimage, and the real descriptors of
# the corpus (with --corpus: a test of its own, skipped with exit 77 when
# AMTLESS_CORPUS is not set). Each "B" is made here by flipping one bit at
# the place a source names (Dasharo's intelblocks/me_*.h).
# usage: test_diff.sh AMTLESS MKIMAGE JSONTOOL SCHEMA [--corpus]
set -u
AMTLESS=$1 MKIMAGE=$2 JSONTOOL=$3 SCHEMA=$4 MODE=${5:-}
if [ "$MODE" = --corpus ] && { [ -z "${AMTLESS_CORPUS:-}" ] || [ ! -d "$AMTLESS_CORPUS/images" ]; }; then
	echo "1..0 # SKIP AMTLESS_CORPUS is not set (the real descriptors need the corpus directory)"
	exit 77
fi
for x in "$AMTLESS" "$MKIMAGE" "$JSONTOOL"; do [ -x "$x" ] || { echo "Bail out! $x is missing"; exit 1; }; done
[ -f "$SCHEMA" ] || { echo "Bail out! $SCHEMA is missing"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }

# flip BIT (0-7) of byte OFF of file IN into OUT
flip() {
	cp "$1" "$4"
	local v
	v=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "\\$(printf %o $((v ^ (1 << $3))))" | dd of="$4" bs=1 seek="$2" conv=notrunc status=none
}
valid() { "$JSONTOOL" validate "$SCHEMA" "$1"; }

for k in descriptor full-me11 update; do
	"$MKIMAGE" --kind "$k" "$T/$k.bin" >/dev/null || { echo "Bail out! mkimage $k"; exit 1; }
done

# the synthetic cases (not in --corpus mode), up to the real descriptors
if [ "$MODE" != --corpus ]; then

# ---- the schema checker itself rejects what the schema does not allow ----
"$AMTLESS" diff --json "$T/descriptor.bin" "$T/descriptor.bin" >"$T/same.json"
check "schema: accepts the real document" valid "$T/same.json"
sed 's/"schema": "amtless-diff"/"schema": "x"/' "$T/same.json" >"$T/bad1.json"
check "schema: rejects a wrong schema name" bash -c "! '$JSONTOOL' validate '$SCHEMA' '$T/bad1.json' 2>/dev/null"
sed 's/"identical": true/"identical": true, "extra": 1/' "$T/same.json" >"$T/bad2.json"
check "schema: rejects an undocumented key" bash -c "! '$JSONTOOL' validate '$SCHEMA' '$T/bad2.json' 2>/dev/null"
sed 's/"strap_bits": 0/"strap_bits": "0"/' "$T/same.json" >"$T/bad3.json"
check "schema: rejects a wrong type" bash -c "! '$JSONTOOL' validate '$SCHEMA' '$T/bad3.json' 2>/dev/null"

# ---- identical ----
expect_rc 0 "a descriptor against itself" "$AMTLESS" diff "$T/descriptor.bin" "$T/descriptor.bin"
check "identical: said first" grep -q '^A and B are identical' "$T/out"
check "identical: JSON says so" jis "$T/same.json" identical true

# ---- one strap bit on an unknown platform: PCHSTRP40 bit 16 = byte 0x1a2 ----
flip "$T/descriptor.bin" $((0x1a2)) 0 "$T/desc-b.bin"
expect_rc 1 "one bit: the inputs differ" "$AMTLESS" diff "$T/descriptor.bin" "$T/desc-b.bin"
check "one bit: the answer first" bash -c "head -1 '$T/out' | grep -q '^A and B differ: 1 strap bit in 1 strap'"
check "one bit: names the strap and bit" has "$T/out" "PCHSTRP40 bit 16 (A: file byte 0x1a2 bit 0), clear in A, set in B"
check "one bit: the platform is not recognised" has "$T/out" "The platform is not recognised"
check "one bit: the strap line" grep -Eq '^  PCHSTRP40 +0x[0-9a-f]{8} -> 0x[0-9a-f]{8}  bit 16 0->1$' "$T/out"
expect_rc 1 "one bit: --json" "$AMTLESS" diff --json "$T/descriptor.bin" "$T/desc-b.bin"
cp "$T/out" "$T/one.json"
check "one bit: JSON matches doc/diff.schema.json" valid "$T/one.json"
check "one bit: JSON strap" jis "$T/one.json" one_strap_bit.strap PCHSTRP40
check "one bit: JSON bit" jis "$T/one.json" one_strap_bit.bit 16
check "one bit: JSON byte" jis "$T/one.json" one_strap_bit.file_offset 418
check "one bit: JSON known" jis "$T/one.json" one_strap_bit.known platform-unknown
check "one bit: JSON straps[0]" jis "$T/one.json" straps.0.changed 0x00010000
expect_rc 1 "one bit: -q prints nothing" "$AMTLESS" diff -q "$T/descriptor.bin" "$T/desc-b.bin"
check "-q: no output" test ! -s "$T/out"
expect_rc 0 "identical: -q" "$AMTLESS" diff -q "$T/descriptor.bin" "$T/descriptor.bin"

# ---- a full image against its neutralized self ----
"$AMTLESS" neutralize -q "$T/full-me11.bin" -o "$T/full-clean.bin" || bad "neutralize full-me11"
expect_rc 1 "full image vs neutralized" "$AMTLESS" diff "$T/full-me11.bin" "$T/full-clean.bin"
check "full: the ME region differs" grep -Eq '^  ME +0x[0-9a-f]+-0x[0-9a-f]+ +same place +[0-9]+ of 0x' "$T/out"
check "full: firmware items listed" grep -q '^  partition ' "$T/out"
expect_rc 1 "full: --json" "$AMTLESS" diff --json "$T/full-me11.bin" "$T/full-clean.bin"
check "full: JSON matches the schema" valid "$T/out"
check "full: JSON firmware compared" jis "$T/out" firmware.compared true

# ---- errors ----
expect_rc 2 "one file only" "$AMTLESS" diff "$T/descriptor.bin"
expect_rc 2 "unknown option" "$AMTLESS" diff --frobnicate "$T/descriptor.bin" "$T/desc-b.bin"
expect_rc 2 "unknown platform" "$AMTLESS" diff --platform nope "$T/descriptor.bin" "$T/desc-b.bin"
expect_rc 3 "missing file" "$AMTLESS" diff "$T/descriptor.bin" "$T/nope.bin"
check "missing: names the file" has "$T/err" "nope.bin"
expect_rc 5 "an update file" "$AMTLESS" diff "$T/update.bin" "$T/descriptor.bin"
expect_rc 0 "--help" "$AMTLESS" diff --help
check "--help: exit code 1 documented" has "$T/out" "1  A and B differ"

fi

# ---- real descriptors: the known HAP bits (--corpus) ----
if [ "$MODE" = --corpus ]; then
	I=$AMTLESS_CORPUS/images
	# file:byte:strap:key (Dasharo me_16.h, me_15.h, me_18.h, me_13.h, me_12.h)
	for row in ifd_g3_adl-n_vp2430_dasharo.bin:0x17e:PCHSTRP31:adp-n \
		ifd_g3_tgl-lp_galp5_heads.bin:0x17e:PCHSTRP31:tgp-lp \
		ifd_g3_mtl_nuc-box_dasharo.bin:0x21e:PCHSTRP71:mtl \
		ifd_g3_jsl_v1210_dasharo.bin:0x16a:PCHSTRP26:jsp \
		ifd_g3_adl_ms7d25_dasharo.bin:0x1de:PCHSTRP55:adp-s \
		ifd_g3_cml_darp6_bluecmd.rom:0x172:PCHSTRP28:cnp-lp; do
		IFS=: read -r f byte strap key <<<"$row"
		flip "$I/$f" $((byte)) 0 "$T/hap.bin"
		expect_rc 1 "$f: stock vs HAP set" "$AMTLESS" diff --json "$I/$f" "$T/hap.bin"
		check "$f: JSON matches the schema" valid "$T/out"
		check "$f: $strap bit 16" jis "$T/out" one_strap_bit.strap "$strap"
		check "$f: the table knows it" jis "$T/out" one_strap_bit.known known
		check "$f: platform $key" jis "$T/out" one_strap_bit.platform "$key"
		"$AMTLESS" diff "$I/$f" "$T/hap.bin" >"$T/out"
		check "$f: text says the table knows it" has "$T/out" "The platform table knows it"
	done
	expect_rc 1 "two platforms (ADL-N, ADL-S)" "$AMTLESS" diff --json "$I/ifd_g3_adl-n_vp2430_dasharo.bin" "$I/ifd_g3_adl_ms7d25_dasharo.bin"
	check "two platforms: JSON matches the schema" valid "$T/out"
	check "two platforms: no single bit" jis "$T/out" one_strap_bit null
	check "two platforms: A adp-n" jis "$T/out" a.platform adp-n
	check "two platforms: B adp-s" jis "$T/out" b.platform adp-s
	expect_rc 1 "full image vs its bare ME region" "$AMTLESS" diff --json "$I/DERIVED-full_me8.0.20.1513_link.bin" "$I/g2_me8.0.20.1513_link_coreboot-blobs.bin"
	check "full vs region: JSON matches the schema" valid "$T/out"
fi

tap_end
