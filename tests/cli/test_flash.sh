#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# amtless flash through libflashrom's dummy programmer: an emulated SPI chip
# (MX25L6436 8 MiB, W25Q128FV 16 MiB, VARIABLE_SIZE 32 MiB) whose contents
# live in a file, written by flashrom when the programmer shuts down.
# Without --corpus: the synthetic sample images (mkimage). With --corpus:
# every assembled full image of $AMTLESS_CORPUS (skips, exit 77, when it is
# unset). Corpus files are only ever copied, never written.
# Expectations come from elsewhere: cmp with the original and with what
# 'amtless neutralize' writes, 'amtless verify' and 'amtless inspect' on the
# chip file, the descriptors' own access bits.
# usage: test_flash.sh AMTLESS MKIMAGE JSONTOOL [--corpus]
set -u
AMTLESS=$1 MKIMAGE=$2 JSONTOOL=$3 MODE=${4:-}
for x in "$AMTLESS" "$MKIMAGE" "$JSONTOOL"; do [ -x "$x" ] || { echo "Bail out! $x is missing"; exit 1; }; done
AMTLESS=$(realpath "$AMTLESS") MKIMAGE=$(realpath "$MKIMAGE") JSONTOOL=$(realpath "$JSONTOOL")
if [ "$MODE" = --corpus ] && [ -z "${AMTLESS_CORPUS:-}" ]; then
	echo "skip: AMTLESS_CORPUS is not set (the real-firmware suite needs the corpus directory)"
	exit 77
fi
T=$(realpath "$(mktemp -d)")
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }
cd "$T" || exit 1   # backups and chip files are named relative to it

MX="MX25L6436E/MX25L6445E/MX25L6465E/MX25L6473E/MX25L6473F"
# prog FILE [EXTRA]: the -p and -c arguments for a chip file of its size
prog() {
	local sz; sz=$(stat -c %s "$1")
	case $sz in
	8388608) P="dummy:emulate=MX25L6436,image=$1${2:+,$2}"; C=(-c "$MX") ;;
	16777216) P="dummy:emulate=W25Q128FV,image=$1${2:+,$2}"; C=() ;;
	*) P="dummy:emulate=VARIABLE_SIZE,size=$sz,image=$1${2:+,$2}"; C=() ;;
	esac
}
fl() { # fl CHIPFILE ARGS...: amtless flash on the emulated chip
	local f=$1; shift
	prog "$f"
	"$AMTLESS" flash -p "$P" "${C[@]}" "$@"
}
differ() { ! cmp -s "$1" "$2"; }
state() { "$AMTLESS" inspect --json "$1" >"$T/st.json" 2>/dev/null && jget "$T/st.json" descriptor.disable_bit.state; }

images=()
if [ "$MODE" = --corpus ]; then
	for f in "$AMTLESS_CORPUS"/images/DERIVED-full_*.bin; do [ -f "$f" ] && images+=("$f"); done
	[ ${#images[@]} -gt 0 ] || { echo "Bail out! no full image in $AMTLESS_CORPUS/images"; exit 1; }
else
	for k in full-me11 full-me8 full-ifwi16; do
		"$MKIMAGE" --kind "$k" "$T/$k.bin" >/dev/null || { echo "Bail out! mkimage $k"; exit 1; }
		images+=("$T/$k.bin")
	done
fi

flashed=0
for src in "${images[@]}"; do
	k=$(basename "$src" .bin)
	cp "$src" orig.bin; chmod u+w orig.bin
	# the host's (FLMSTR1) write access to descriptor and ME, from inspect
	"$AMTLESS" inspect --json orig.bin >i.json
	hostw=$(jget i.json descriptor.masters.0.write)
	locked=no
	case $hostw in *'"Descriptor"'*) ;; *) locked=yes ;; esac
	case $hostw in *'"ME"'*) ;; *) locked=yes ;; esac

	# the reference: what amtless neutralize writes for the same image
	expect_rc 0 "$k: neutralize -o (the reference)" "$AMTLESS" neutralize -q orig.bin -o ref.bin

	# 1. dry run: the chip stays byte for byte, no backup
	cp orig.bin chip.bin
	expect_rc 0 "$k: flash --dry-run" fl chip.bin --dry-run --backup dry.bin
	check "$k: dry run leaves the chip as it was" cmp -s chip.bin orig.bin
	check "$k: dry run writes no backup" test ! -e dry.bin
	check "$k: dry run names the regions" has "$T/out" "Regions to write"

	# 2. flash (an external programmer: the descriptor's host rules do not apply)
	rm -f b1.bin
	start=$(date +%s.%N)
	expect_rc 0 "$k: flash" fl chip.bin --backup b1.bin
	end=$(date +%s.%N)
	echo "# $k: flash took $(echo "$end - $start" | bc) s ($(stat -c %s orig.bin) bytes)"
	check "$k: says it read back" has "$T/out" "Read back: the whole chip holds exactly"
	check "$k: backup is the chip as it was" cmp -s b1.bin orig.bin
	check "$k: the chip holds what neutralize writes" cmp -s chip.bin ref.bin
	expect_rc 0 "$k: amtless verify: the chip is neutralized" "$AMTLESS" verify chip.bin
	check "$k: disable bit set on the chip" test "$(state chip.bin)" = yes
	[ "$(cmp chip.bin ref.bin 2>&1)" = "" ] && flashed=$((flashed + 1))

	# 3. a second flash: already neutralized, nothing written, no backup
	cp chip.bin chip.keep
	expect_rc 0 "$k: second flash" fl chip.bin --backup b2.bin
	check "$k: second flash says already" has "$T/out" "Already neutralized"
	check "$k: second flash leaves the chip" cmp -s chip.bin chip.keep
	check "$k: second flash writes no backup" test ! -e b2.bin

	# 4. restore the backup: the original, byte for byte
	expect_rc 0 "$k: flash --restore" fl chip.bin --restore b1.bin
	check "$k: restored byte for byte" cmp -s chip.bin orig.bin
	expect_rc 0 "$k: restore again: the chip holds it already" fl chip.bin --restore b1.bin
	check "$k: ... says so" has "$T/out" "already holds"

	# 5. a foreign backup: one BIOS byte differs (another board, or a BIOS
	#    updated since): refused, the chip untouched
	cp ref.bin chip.bin
	cp b1.bin foreign.bin
	sz=$(stat -c %s foreign.bin)
	printf 'X' | dd of=foreign.bin bs=1 seek=$((sz - 16)) conv=notrunc status=none
	expect_rc 6 "$k: foreign backup (BIOS byte) refused" fl chip.bin --restore foreign.bin
	check "$k: ... names the byte" has "$T/err" "0x$(printf %x $((sz - 16)))"
	check "$k: ... chip untouched" cmp -s chip.bin ref.bin

	# 6. the host rules (-p internal, rehearsed with --as-internal)
	cp orig.bin chip.bin
	if [ $locked = yes ]; then
		expect_rc 6 "$k: locked descriptor refused (--as-internal)" fl chip.bin --as-internal --backup b3.bin
		check "$k: ... says descriptor locked" has "$T/err" "descriptor locked"
		check "$k: ... and external programmer" has "$T/err" "use an external programmer"
		check "$k: ... chip untouched" cmp -s chip.bin orig.bin
		check "$k: ... no backup" test ! -e b3.bin
	else
		expect_rc 0 "$k: host may write descriptor and ME (--as-internal)" fl chip.bin --as-internal --backup b3.bin
		check "$k: ... the chip holds what neutralize writes" cmp -s chip.bin ref.bin
	fi
	rm -f b3.bin
done

# foreign images of the same size: another board's backup
if [ "$MODE" = --corpus ]; then
	a=$(ls "$AMTLESS_CORPUS"/images/DERIVED-full_*.bin | while read -r f; do echo "$(stat -c %s "$f") $f"; done |
		sort -n | awk '{ if ($1 == s) { print p; print $2; exit } s = $1; p = $2 }')
	set -- $a
	if [ $# = 2 ]; then
		cp "$1" chip.bin; chmod u+w chip.bin; cp "$2" other.bin; chmod u+w other.bin
		expect_rc 6 "another board's image of the same size refused as backup" fl chip.bin --restore other.bin
		check "... chip untouched" cmp -s chip.bin "$1"
		check "... says it does not belong" has "$T/err" "does not belong to this chip"
	else
		skip_part "another board's image of the same size" "no two corpus images share a size"
	fi
fi

# the chip larger than the descriptor says: an 8 MiB image on a 16 MiB chip
src=${images[0]}
[ "$MODE" = --corpus ] && src=$(ls "$AMTLESS_CORPUS"/images/DERIVED-full_*.bin | head -1)
cp "$src" small.bin; chmod u+w small.bin
if [ "$(stat -c %s small.bin)" -lt 16777216 ]; then
	{ cat small.bin; head -c $((16777216 - $(stat -c %s small.bin))) /dev/zero | tr '\0' '\377'; } >chip16.bin
	cp chip16.bin chip16.keep
	expect_rc 6 "chip size differs from the descriptor's: refused" fl chip16.bin --backup b4.bin
	check "... says the sizes" has "$T/err" "its descriptor says"
	check "... chip untouched" cmp -s chip16.bin chip16.keep
	check "... no backup" test ! -e b4.bin
fi

# a write that fails midway: W25Q128FV with its write protection emulated
# (hwwp=yes; status SR1 0xE4 = SRP0, SEC, TB, BP0 and SR2 0x40 = CMP: every
# block but the lowest 4 KiB is protected), so the descriptor is written and
# the ME region is not. flashrom's man page: dummy hwwp, spi_status;
# W25Q128FV datasheet: SEC/TB/BP with CMP.
if [ "$MODE" = --corpus ]; then
	mid=$(ls "$AMTLESS_CORPUS"/images/DERIVED-full_csme14_*.bin 2>/dev/null | head -1)
	extra=--reduce-cse
else
	mid=""
fi
if [ -n "$mid" ]; then
	cp "$mid" orig.bin; chmod u+w orig.bin; cp orig.bin chip.bin; rm -f b5.bin
	prog chip.bin "hwwp=yes,spi_status=0x40E4"
	expect_rc 17 "write failing in the ME region: exit 17" "$AMTLESS" flash -p "$P" $extra --backup b5.bin
	check "... the backup is on disk, the chip as it was" cmp -s b5.bin orig.bin
	check "... names the descriptor as written" grep -q "Descriptor.*: written" "$T/err"
	check "... names the ME region as not written" grep -q "ME .*: not written" "$T/err"
	check "... gives the backup path (absolute)" has "$T/err" "$T/b5.bin (verified on disk)"
	check "... gives the restore command" has "$T/err" "amtless flash --restore $T/b5.bin -p $P"
	check "... the chip holds a new descriptor" test "$(state chip.bin)" = yes
	# run the printed command as printed
	cmd=$(grep '^  amtless flash --restore' "$T/err" | head -1 | sed "s|^  amtless|\"\$AMTLESS\"|")
	expect_rc 0 "the printed --restore command restores" eval "$cmd"
	check "... byte for byte" cmp -s chip.bin orig.bin
	# every block protected (SR1 0x9C = SRP0, BP2-BP0: the whole W25Q128FV;
	# its datasheet): the first write fails before a byte changes
	rm -f b6.bin
	prog chip.bin "hwwp=yes,spi_status=0x9C"
	expect_rc 16 "a write that changes nothing: exit 16" "$AMTLESS" flash -p "$P" $extra --backup b6.bin
	check "... says nothing was changed" has "$T/err" "holds exactly what it held before: nothing was changed"
	check "... no recovery alarm" bash -c "! grep -q 'do NOT power off' '$T/err'"
	check "... the chip as it was" cmp -s chip.bin orig.bin
else
	# a programmer that refuses the page program command (dummy
	# spi_blacklist=02, flashrom's man page): the first region's block is
	# erased, its write fails; restored with a programmer that works
	cp "${images[0]}" orig.bin; cp orig.bin chip.bin; rm -f b5.bin
	prog chip.bin "spi_blacklist=02"
	expect_rc 17 "a programmer that fails to write: exit 17" "$AMTLESS" flash -p "$P" "${C[@]}" --backup b5.bin
	check "... the backup is on disk, the chip as it was" cmp -s b5.bin orig.bin
	check "... names the descriptor region" grep -q "Descriptor.*: PARTLY WRITTEN\|Descriptor.*: not written" "$T/err"
	check "... the chip changed (erased, not written)" differ chip.bin orig.bin
	check "... gives the restore command" has "$T/err" "amtless flash --restore $T/b5.bin -p $P"
	prog chip.bin
	expect_rc 0 "--restore with a programmer that works" "$AMTLESS" flash --restore b5.bin -p "$P" "${C[@]}"
	check "... byte for byte" cmp -s chip.bin orig.bin
fi

# usage
expect_rc 2 "an operand is a usage error" "$AMTLESS" flash image.bin
check "... one usage-error format" has "$T/err" "Try 'amtless flash --help'."
expect_rc 2 "--restore with neutralization options" "$AMTLESS" flash --restore x.bin --reduce-cse
expect_rc 0 "--help" "$AMTLESS" flash --help
check "--help lists the exit codes" has "$T/out" "17 a write failed"
expect_rc 3 "--restore of a missing file" "$AMTLESS" flash --restore "$T/nonexistent.bin" -p dummy
expect_rc 16 "a programmer that does not exist" "$AMTLESS" flash -p nosuchprogrammer --dry-run
expect_rc 16 "no chip on the programmer" "$AMTLESS" flash -p "dummy:emulate=MX25L6436,image=$T/none.bin" -c NOSUCHCHIP --dry-run
echo "# images flashed and read back as meant: $flashed of ${#images[@]}"
tap_end
