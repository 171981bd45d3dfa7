#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `amtless inspect --json` on every image of the real-firmware corpus
# (AMTLESS_CORPUS names the directory holding MANIFEST.tsv and images/).
# Update files must exit 5; every other image must exit 0, match
# doc/inspect.schema.json and report the version MANIFEST.tsv records
# (me_cleaner's column, or the FTPR manifest version of the last column
# where me_cleaner failed), and AMT present as the SKU column says.
# Skips (exit 77) when AMTLESS_CORPUS is unset.
# usage: test_inspect_corpus.sh AMTLESS JSONTOOL SCHEMA
set -u
AMTLESS=$1 JSONTOOL=$2 SCHEMA=$3
if [ -z "${AMTLESS_CORPUS:-}" ]; then
	echo "skip: AMTLESS_CORPUS is not set (the real-firmware suite needs the corpus directory)"
	exit 77
fi
M="$AMTLESS_CORPUS/MANIFEST.tsv"
if [ ! -r "$M" ]; then
	echo "not ok - $M cannot be read"
	exit 1
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }

while IFS=$'\037' read -r file _sha _size _repo _path _commit kind mcver _gen sku _ev _blob _sigchk cpdver; do
	[ "$file" = file ] && continue
	[ -n "$file" ] || continue
	img="$AMTLESS_CORPUS/$file"
	name=$(basename "$file")
	# expected version: me_cleaner's, else FTPR's from the $CPD column
	want=""
	if [[ $mcver =~ ^([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+)\  ]]; then
		want=${BASH_REMATCH[1]}
	elif [[ $cpdver =~ FTPR/FTPR\.man@0x[0-9a-f]+:\ ([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+) ]]; then
		want=${BASH_REMATCH[1]}
	fi
	"$AMTLESS" inspect --json "$img" >"$T/out.json" 2>"$T/err"
	rc=$?
	case $kind in
	*update*)
		if [ $rc -eq 5 ]; then ok "$name: update file refused (exit 5)"
		else bad "$name: update file: exit $rc, want 5"; fi
		continue ;;
	esac
	if [ $rc -ne 0 ]; then
		bad "$name: exit $rc: $(head -c 200 "$T/err")"
		continue
	fi
	if "$JSONTOOL" validate "$SCHEMA" "$T/out.json" 2>"$T/verr"; then
		ok "$name: JSON matches the schema"
	else
		bad "$name: schema: $(head -3 "$T/verr" | tr '\n' ' ')"
	fi
	got=$("$JSONTOOL" get "$T/out.json" firmware.version 2>/dev/null)
	if [ -n "$want" ]; then
		if [ "$got" = "$want" ]; then ok "$name: version $got"
		else bad "$name: version '$got', MANIFEST.tsv says $want"; fi
	else
		# descriptor-only files: no firmware in the file
		fw=$("$JSONTOOL" get "$T/out.json" firmware)
		if [ "$fw" = null ]; then ok "$name: no firmware, no version (as MANIFEST.tsv)"
		else bad "$name: MANIFEST.tsv records no version, inspect found firmware $got"; fi
	fi
	# AMT present as the SKU column says (corporate: yes; consumer: no)
	amt=$("$JSONTOOL" get "$T/out.json" firmware.amt.present 2>/dev/null)
	case $sku in
	corporate*) wamt=yes ;;
	consumer*) wamt=no ;;
	*) wamt="" ;;
	esac
	if [ -n "$wamt" ]; then
		if [ "$amt" = "$wamt" ]; then ok "$name: AMT present $amt ($sku)"
		else bad "$name: AMT present '$amt', MANIFEST.tsv SKU says $sku"; fi
	fi
	# the text form works too and shows the same version
	"$AMTLESS" inspect --no-color "$img" >"$T/out.txt" 2>"$T/err"
	rc=$?
	if [ $rc -eq 0 ] && { [ -z "$want" ] || grep -qE "^  Version +$want\$" "$T/out.txt"; }; then
		ok "$name: text output (exit 0)"
	else
		bad "$name: text output: exit $rc"
	fi
	# an unset $FPT owner (GLUT's is ff ff ff ff) reads "-", never escaped bytes
	if grep -q '^  GLUT ' "$T/out.txt"; then
		if grep -qE '^  GLUT +- ' "$T/out.txt"; then ok "$name: GLUT owner '-'"
		else bad "$name: GLUT owner: $(grep '^  GLUT ' "$T/out.txt" | head -1)"; fi
	fi
	if grep -q '\\xff\\xff\\xff\\xff' "$T/out.txt"; then bad "$name: \\xff\\xff\\xff\\xff in the text"
	else ok "$name: no unset field printed as escaped bytes"; fi
	# the answer first: AMT within the first lines
	if [ "$(head -1 "$T/out.txt")" = Summary ] && head -4 "$T/out.txt" | grep -qE '^  AMT +'; then
		ok "$name: the summary first, AMT on line 3-4"
	else
		bad "$name: the text does not open with the summary"
	fi
done < <(tr '\t' '\037' <"$M")

# The platform and its disable bit on the real descriptors. Expected key:
# the board's SoC in its coreboot/Dasharo Kconfig (MANIFEST.tsv names the
# board); expected byte: Dasharo me_*.h HAP_OFFSET for that SoC.
while read -r file key byte; do
	img="$AMTLESS_CORPUS/images/$file"
	[ -r "$img" ] || { bad "$file: missing"; continue; }
	"$AMTLESS" inspect --json "$img" >"$T/p.json" 2>/dev/null
	k=$("$JSONTOOL" get "$T/p.json" descriptor.platform.key)
	st=$("$JSONTOOL" get "$T/p.json" descriptor.platform.status)
	off=$("$JSONTOOL" get "$T/p.json" descriptor.disable_bit.locations.0.file_offset)
	if [ "$k" = "$key" ] && [ "$st" = recognised ] && [ "$off" = "$((byte))" ]; then
		ok "$file: $key, recognised, HAP byte $byte"
	else
		bad "$file: platform '$k' ($st), byte '$off'; want $key, recognised, $byte"
	fi
	"$AMTLESS" inspect --no-color "$img" >"$T/p.txt" 2>/dev/null
	if grep -q "source: " "$T/p.txt" && grep -qE "^  Platform .*\[$key\]" "$T/p.txt"; then
		ok "$file: text names the platform and its source"
	else
		bad "$file: text does not show the platform [$key] with a source"
	fi
done <<'EOF2'
ifd_g3_tgl-lp_galp5_heads.bin tgp-lp 0x17E
ifd_g3_adl-n_vp2430_dasharo.bin adp-n 0x17E
ifd_g3_mtl_nuc-box_dasharo.bin mtl 0x21E
ifd_g3_jsl_v1210_dasharo.bin jsp 0x16A
ifd_g3_cml_darp6_bluecmd.rom cnp-lp 0x172
ifd_g3_adl_ms7d25_dasharo.bin adp-s 0x1DE
EOF2

echo "1..$n"
[ "$n" -gt 0 ] && [ "$fails" -eq 0 ]
