#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# extract --layout and neutralize --layout against the real flashrom (its
# dummy programmer emulating an 8 MiB SPI chip):
#  - every line is "START:END NAME" (8 hex digits, ifdtool's names) and
#    flashrom -l accepts it: -i NAME reads the region;
#  - each region flashrom's own descriptor parser knows by the same name
#    (flashrom --ifd -i NAME: fd, bios, me, gbe, pd) covers exactly the
#    bytes the layout line gives: both reads of a chip filled with random
#    bytes around the descriptor are identical;
#  - neutralize's layout is the result's: after --shrink-region the ME and
#    BIOS lines move, and flashrom -l LAYOUT -i fd -i me -i bios -w OUT
#    onto a chip holding the original gives a chip that verifies.
# usage: test_layout.sh AMTLESS MKIMAGE JSONTOOL. Skips (exit 77) without flashrom.
set -u
AMTLESS=$(realpath "$1") MKIMAGE=$(realpath "$2") JSONTOOL=$(realpath "$3")
for x in "$AMTLESS" "$MKIMAGE" "$JSONTOOL"; do [ -x "$x" ] || { echo "Bail out! $x is missing"; exit 1; }; done
FLASHROM=$(command -v flashrom || true)
if [ -z "$FLASHROM" ]; then
	echo "1..0 # SKIP flashrom is not installed (Debian package flashrom; .ci/run installs it)"
	exit 77
fi
. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

CHIP="MX25L6436E/MX25L6445E/MX25L6465E/MX25L6473E/MX25L6473F"
fr() { # fr CHIPFILE ARGS...
	local img=$1; shift
	"$FLASHROM" -p "dummy:emulate=MX25L6436,image=$img" -c "$CHIP" "$@" >fr.log 2>&1
}
# the descriptor (first 4 KiB) of $1, then random bytes to 8 MiB: a read of
# any other range than the right one differs
random_chip() {
	head -c 4096 "$1" >"$2"
	head -c $((8 * 1024 * 1024 - 4096)) /dev/urandom >>"$2"
}
# names flashrom's --ifd gives the same regions (flashrom ich_descriptors.c)
ifd_name() { case $1 in fd | bios | me | gbe | pd) return 0 ;; esac; return 1; }

for k in full-me11 full-me8 full-me4 full-ifwi16 full-ifwi17; do
	"$MKIMAGE" --kind "$k" "$k.bin" >/dev/null || { echo "Bail out! mkimage $k"; exit 1; }
	expect_rc 0 "$k: extract --regions --layout L" "$AMTLESS" extract "$k.bin" --regions -d "x-$k" --layout "$k.layout"
	check "$k: the listing names the layout" has out "Layout (flashrom -l): $k.layout"
	check "$k: every line START:END NAME, 8 hex digits" \
		bash -c "! grep -vqE '^[0-9a-f]{8}:[0-9a-f]{8} (fd|bios|me|gbe|pd|devexp|bios2|res7|ec|devexp2|ie|10gbe_0|10gbe_1|res13|res14|ptt)$' '$k.layout'"
	check "$k: fd, bios and me are there" test "$(cut -d' ' -f2 "$k.layout" | sort | tr '\n' ' ')" != "" -a \
		"$(grep -cE ' (fd|bios|me)$' "$k.layout")" = 3
	random_chip "$k.bin" chip.bin
	while read -r range name; do
		s=$((16#${range%%:*})) e=$((16#${range##*:}))
		check "$k: $name: START <= END" test "$s" -le "$e"
		check "$k: flashrom -l L -i $name -r" fr chip.bin -l "$k.layout" -i "$name" -r "l-$name.bin"
		if ifd_name "$name"; then
			check "$k: flashrom --ifd -i $name -r" fr chip.bin --ifd -i "$name" -r "i-$name.bin"
			check "$k: $name: the layout's range is flashrom's descriptor range" cmp -s "l-$name.bin" "i-$name.bin"
		fi
		if [ -f "x-$k/$name.bin" ]; then
			check "$k: $name: extract wrote those bytes" \
				cmp -s <(tail -c +$((s + 1)) "$k.bin" | head -c $((e - s + 1))) "x-$k/$name.bin"
		fi
	done <"$k.layout"
	# neutralize: the same descriptor regions (the default changes no FLREG)
	expect_rc 0 "$k: neutralize -o OUT --layout L2" "$AMTLESS" neutralize "$k.bin" -o "$k.out" --layout "$k.l2"
	check "$k: the Written line names the layout" has out ", layout $k.l2"
	case $k in
	full-me4) # gen 1: the ME region is disabled in the descriptor
		check "$k: no me line once the region is disabled" bash -c "! grep -q ' me$' '$k.l2'"
		"$AMTLESS" inspect --json "$k.out" >o.json
		check "$k: the descriptor says so too" jis o.json descriptor.regions.2.used false ;;
	*)	check "$k: the result's layout is the input's" cmp -s "$k.layout" "$k.l2" ;;
	esac
done

# ---- a layout that changes: --shrink-region ----
# full-me11 with its BIOS region moved down to start right after the ME
# region (FLREG1 = 0x07ff0081: base 0x81000, limit 0x7fffff; IFDv2 fields
# as coreboot ifdtool.c get_region reads them), so the ME region can shrink
"$MKIMAGE" --kind full-me11 s.bin >/dev/null
frba=$(( ($(od -An -tu4 -j $((0x14)) -N4 s.bin) >> 16 & 0xff) << 4 ))
printf '\x81\x00\xff\x07' | dd of=s.bin bs=1 seek=$((frba + 4)) conv=notrunc status=none
expect_rc 0 "shrink: extract --layout (before)" "$AMTLESS" extract s.bin --regions -d xs --layout s.layout
check "shrink: BIOS starts at 0x81000 before" grep -qx '00081000:007fffff bios' s.layout
expect_rc 0 "shrink: neutralize --shrink-region --layout" "$AMTLESS" neutralize s.bin --shrink-region -o s.out --layout s.l2
check "shrink: the ME line moved" bash -c "! cmp -s <(grep ' me$' s.layout) <(grep ' me$' s.l2)"
read -r me_range _ < <(grep ' me$' s.l2)
read -r bios_range _ < <(grep ' bios$' s.l2)
check "shrink: BIOS starts right after the new ME end" \
	test $((16#${me_range##*:} + 1)) = $((16#${bios_range%%:*}))
random_chip s.out chip.bin
fr chip.bin -l s.l2 -i me -r l-me.bin && fr chip.bin --ifd -i me -r i-me.bin
check "shrink: the new me line is flashrom's --ifd range on the result" cmp -s l-me.bin i-me.bin
# the owner's workflow: the chip holds the original; write fd, me and bios
cp s.bin chip.bin
check "shrink: flashrom -l L2 -i fd -i me -i bios -w OUT" fr chip.bin -l s.l2 -i fd -i me -i bios -w s.out
check "shrink: the chip holds OUT" cmp -s chip.bin s.out
expect_rc 0 "shrink: the chip verifies" "$AMTLESS" verify chip.bin

# ---- refusals: nothing written ----
"$MKIMAGE" --kind me11 r.bin >/dev/null
expect_rc 2 "bare region: extract --layout refused" "$AMTLESS" extract r.bin -d xr --layout r.layout
check "  nothing written" test ! -e xr -a ! -e r.layout
check "  it says why" has err "has no flash descriptor"
expect_rc 2 "bare region: neutralize --layout refused" "$AMTLESS" neutralize r.bin -o r.out --layout r.layout
check "  nothing written" test ! -e r.out -a ! -e r.layout
expect_rc 2 "neutralize --dry-run --layout" "$AMTLESS" neutralize s.bin --dry-run --layout x.layout
expect_rc 2 "extract --list --layout" "$AMTLESS" extract s.bin --list --layout x.layout
"$MKIMAGE" --kind descriptor d.bin >/dev/null
expect_rc 0 "a descriptor alone: extract --layout" "$AMTLESS" extract d.bin --regions -d xd --layout d.layout
check "  its regions" test "$(grep -cE ' (fd|bios|me)$' d.layout)" = 3
expect_rc 0 "extract --json --layout" "$AMTLESS" extract s.bin --json --regions -d xj --layout j.layout
check "  the JSON names the layout" has out '"layout": "j.layout"'

tap_end
