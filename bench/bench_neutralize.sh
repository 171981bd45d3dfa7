#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark (not a test): `amtless neutralize` on the 32 MiB assembled image
# against cp (the I/O floor) and, when given, against me_cleaner.
#
# usage: bench/bench_neutralize.sh AMTLESS [ME_CLEANER_PY] [IMAGE] [RUNS]
#   AMTLESS        path to the amtless binary (build/cli/amtless)
#   ME_CLEANER_PY  path to me_cleaner.py (optional; "" to skip)
#   IMAGE          default: $AMTLESS_CORPUS/images/DERIVED-full_csme16_ms7d25.bin
#   RUNS           runs per command (default 7); the median is reported
#
# amtless does not neutralize CSME 16 (it refuses, as it should): when the
# image is refused, the benchmark uses a 32 MiB image assembled from the
# ME 11 one of the corpus (DERIVED-full_me11.8.82.3838_x210.bin padded with
# 0xff to 32 MiB) and says so. Targets: <= 1.5x cp, >= 20x faster than
# me_cleaner, peak RSS <= image size + 4 MiB.
set -u
AMTLESS=${1:?usage: bench_neutralize.sh AMTLESS [ME_CLEANER_PY] [IMAGE] [RUNS]}
MC=${2:-}
CORPUS=${AMTLESS_CORPUS:-}
IMAGE=${3:-${CORPUS:+$CORPUS/images/DERIVED-full_csme16_ms7d25.bin}}
RUNS=${4:-7}
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

cc -O2 -o "$T/runstat" "$HERE/runstat.c" || { echo "cannot build runstat"; exit 1; }
[ -n "$IMAGE" ] && [ -f "$IMAGE" ] || { echo "no image: give IMAGE or set AMTLESS_CORPUS"; exit 1; }

cp "$IMAGE" "$T/in.bin"
chmod 644 "$T/in.bin"
if ! "$AMTLESS" neutralize -q "$T/in.bin" -o "$T/probe.bin" >/dev/null 2>"$T/err"; then
	echo "note: $(basename "$IMAGE") is refused by amtless neutralize:"
	sed 's/^/  /' "$T/err" | head -2
	ME11=${CORPUS:+$CORPUS/images/DERIVED-full_me11.8.82.3838_x210.bin}
	[ -n "$ME11" ] && [ -f "$ME11" ] || { echo "no ME 11 image to assemble from"; exit 1; }
	size=$(stat -c %s "$IMAGE")
	[ "$size" -ge 33554432 ] || size=33554432
	cp "$ME11" "$T/in.bin"
	chmod 644 "$T/in.bin"
	cur=$(stat -c %s "$T/in.bin")
	head -c $((size - cur)) /dev/zero | tr '\0' '\377' >>"$T/in.bin"
	echo "using instead: $(basename "$ME11") padded with 0xff to $size bytes"
fi
SIZE=$(stat -c %s "$T/in.bin")
echo "image: $SIZE bytes ($((SIZE / 1048576)) MiB), $RUNS runs each, medians"
sync

row() { # LABEL CMD...
	local label=$1; shift
	read -r med min max rss rc < <("$T/runstat" "$RUNS" "$@")
	printf "%-34s %9s ms  (min %s, max %s)  peak RSS %7s KiB  exit %s\n" "$label" "$med" "$min" "$max" "$rss" "$rc"
	echo "$med $rss" >"$T/last"
}

row "cp" cp "$T/in.bin" "$T/cp.bin"
CP=$(cut -d' ' -f1 "$T/last")
row "cp + fsync (dd conv=fsync)" dd if="$T/in.bin" of="$T/dd.bin" bs=1M conv=fsync status=none
row "amtless neutralize -o" "$AMTLESS" neutralize -q "$T/in.bin" -o "$T/out.bin"
AM=$(cut -d' ' -f1 "$T/last")
AMRSS=$(cut -d' ' -f2 "$T/last")
row "amtless me_cleaner -S -O" "$AMTLESS" me_cleaner -S -O "$T/mc_am.bin" "$T/in.bin"
row "amtless neutralize --dry-run" "$AMTLESS" neutralize -q --dry-run "$T/in.bin"
if [ -n "$MC" ] && [ -f "$MC" ]; then
	row "me_cleaner.py -S -O" python3 "$MC" -S -O "$T/mc.bin" "$T/in.bin"
	MCT=$(cut -d' ' -f1 "$T/last")
	if cmp -s "$T/mc.bin" "$T/mc_am.bin"; then echo "me_cleaner.py and amtless me_cleaner wrote the same bytes"; else echo "me_cleaner.py and amtless me_cleaner outputs DIFFER"; fi
	awk -v a="$AM" -v m="$MCT" 'BEGIN { printf "speed-up over me_cleaner: %.1fx (target >= 20x)\n", m / a }'
fi
awk -v a="$AM" -v c="$CP" 'BEGIN { printf "amtless / cp: %.2fx (target <= 1.5x; amtless also fsyncs, cp does not)\n", a / c }'
awk -v r="$AMRSS" -v s="$SIZE" 'BEGIN { printf "peak RSS: %.1f MiB for a %.1f MiB image: image + %.1f MiB (target <= image + 4 MiB)\n", r / 1024, s / 1048576, r / 1024 - s / 1048576 }'
