#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The owner's workflow with the real flashrom and its dummy programmer
# (an emulated SPI chip whose contents live in a file): read the flash,
# neutralize the dump, write it back (whole chip, and descriptor + ME
# region only with --ifd), then verify what the chip now holds.
# usage: test_flashrom.sh AMTLESS MKIMAGE JSONTOOL
# Skips (exit 77) when flashrom is not installed.
set -u
AMTLESS=$1 MKIMAGE=$2 JSONTOOL=$3
for x in "$AMTLESS" "$MKIMAGE" "$JSONTOOL"; do [ -x "$x" ] || { echo "Bail out! $x is missing"; exit 1; }; done
FLASHROM=$(command -v flashrom || true)
if [ -z "$FLASHROM" ]; then
	echo "1..0 # SKIP flashrom is not installed"
	exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }

# An 8 MiB Macronix chip; flashrom needs the exact definition named.
CHIP="MX25L6436E/MX25L6445E/MX25L6465E/MX25L6473E/MX25L6473F"
fr() { # fr CHIPFILE ARGS...: flashrom on the emulated chip backed by CHIPFILE
	local img=$1; shift
	"$FLASHROM" -p "dummy:emulate=MX25L6436,image=$img" -c "$CHIP" "$@" >"$T/fr.log" 2>&1
}
# bytes [off, off+len) of a file, as hex
span() { od -An -tx1 -v -j "$2" -N "$3" "$1" | tr -d ' \n'; }
me_region() { # me_region FILE -> "base limit" of the ME region (id 2) from inspect --json
	"$AMTLESS" inspect --json "$1" >"$T/r.json" 2>/dev/null
	echo "$(jget "$T/r.json" descriptor.regions.2.base) $(jget "$T/r.json" descriptor.regions.2.limit)"
}

for k in full-me11 full-me8 full-ifwi16 full-ifwi17 full-me4; do
	"$MKIMAGE" --kind "$k" "$T/orig.bin" >/dev/null || { echo "Bail out! mkimage $k"; exit 1; }
	cp "$T/orig.bin" "$T/chip.bin"

	# 1. read the whole chip
	check "$k: flashrom reads the chip" fr "$T/chip.bin" -r "$T/dump.bin"
	check "$k: the dump is the chip's content" cmp -s "$T/dump.bin" "$T/orig.bin"
	"$AMTLESS" inspect --json "$T/dump.bin" >"$T/before.json"
	check "$k: disable bit clear before" jis "$T/before.json" descriptor.disable_bit.state no

	# 2. neutralize the dump (the dump itself is never modified)
	cp "$T/dump.bin" "$T/dump.keep"
	expect_rc 0 "$k: neutralize the dump" "$AMTLESS" neutralize -q "$T/dump.bin" -o "$T/clean.bin"
	check "$k: the dump is untouched" cmp -s "$T/dump.bin" "$T/dump.keep"

	# 3. write the whole chip, then check what it holds
	check "$k: flashrom writes and verifies the chip" fr "$T/chip.bin" -w "$T/clean.bin"
	check "$k: the chip holds the neutralized image" cmp -s "$T/chip.bin" "$T/clean.bin"
	expect_rc 0 "$k: verify the chip's content" "$AMTLESS" verify "$T/chip.bin"
	"$AMTLESS" inspect --json "$T/chip.bin" >"$T/after.json"
	check "$k: disable bit set on the chip" jis "$T/after.json" descriptor.disable_bit.state yes

	# 4. descriptor + ME region only (a BIOS region that may be locked or
	#    that the owner does not want to rewrite stays as it was)
	[ "$k" = full-me4 ] && continue   # gen 1 disables the ME region itself
	cp "$T/orig.bin" "$T/chip.bin"
	printf 'OLD-BIOS' | dd of="$T/chip.bin" bs=1 seek=$(( $(stat -c %s "$T/chip.bin") - 64 )) conv=notrunc status=none
	check "$k: flashrom --ifd -i fd -i me writes" fr "$T/chip.bin" --ifd -i fd -i me -w "$T/clean.bin"
	read -r mb ml < <(me_region "$T/clean.bin")
	check "$k: ME region found in the descriptor" test -n "${mb:-}"
	if [ -n "${mb:-}" ]; then
		check "$k: descriptor written" test "$(span "$T/chip.bin" 0 4096)" = "$(span "$T/clean.bin" 0 4096)"
		check "$k: ME region written" test "$(span "$T/chip.bin" "$mb" $((ml - mb + 1)))" = "$(span "$T/clean.bin" "$mb" $((ml - mb + 1)))"
	fi
	check "$k: BIOS region left as it was" test "$(tail -c 64 "$T/chip.bin" | head -c 8)" = "OLD-BIOS"
	expect_rc 0 "$k: verify after the region-only write" "$AMTLESS" verify "$T/chip.bin"
done
tap_end
