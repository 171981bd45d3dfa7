#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark (not a test): `amtless inspect` over a directory of images, in
# one call (threads) against one process per file, in text and JSON Lines.
#
# usage: bench/bench_inspect_many.sh AMTLESS [DIR] [REPEAT] [RUNS]
#   AMTLESS  path to the amtless binary (build/cli/amtless)
#   DIR      default: $AMTLESS_CORPUS/images
#   REPEAT   the directory is given REPEAT times in one call (default 10),
#            so that a run lasts long enough to measure
#   RUNS     runs per measurement (default 5); the median is reported
#
# Prints files/s and ms per file (wall clock, median) for each way, the CPU
# time per file (user + system, one more run: it does not depend on what
# else the machine runs) and the peak RSS. For
# comparison, MEAnalyzer takes about 1.5 s per image (issue 10, measured
# over 206 real images).
set -u
AMTLESS=${1:?usage: bench_inspect_many.sh AMTLESS [DIR] [REPEAT] [RUNS]}
DIR=${2:-${AMTLESS_CORPUS:+$AMTLESS_CORPUS/images}}
REPEAT=${3:-10}
RUNS=${4:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
[ -n "$DIR" ] && [ -d "$DIR" ] || { echo "no directory: give DIR or set AMTLESS_CORPUS"; exit 1; }
cc -O2 -o "$T/runstat" "$HERE/runstat.c" || { echo "cannot build runstat"; exit 1; }

nfiles=$(find "$DIR" -type f | wc -l)
args=()
for _ in $(seq "$REPEAT"); do args+=("$DIR"); done
total=$((nfiles * REPEAT))
cpus=$(nproc)
echo "amtless $("$AMTLESS" --version | cut -d' ' -f2), $nfiles files in $DIR, given $REPEAT times" \
	"($total files a run), $cpus CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), median of $RUNS runs"
printf '%-44s %9s %9s %10s %12s %9s\n' "way" "seconds" "files/s" "ms/file" "CPU ms/file" "peak RSS"

row() {
	local what=$1 n=$2; shift 2
	local r med rss cpu
	r=$("$T/runstat" "$RUNS" "$@")
	med=$(echo "$r" | cut -d' ' -f1) rss=$(echo "$r" | cut -d' ' -f4)
	cpu=$( { TIMEFORMAT='%3U %3S'; time "$@" >/dev/null 2>&1; } 2>&1 | awk '{print ($1 + $2) * 1000}')
	awk -v w="$what" -v ms="$med" -v n="$n" -v rss="$rss" -v cpu="$cpu" 'BEGIN {
		printf "%-44s %9.3f %9.1f %10.2f %12.2f %6.0f MiB\n", w, ms / 1000, n / (ms / 1000), ms / n,
			cpu / n, rss / 1024 }'
}

row "inspect -r (text), -j $cpus" "$total" "$AMTLESS" inspect -r "${args[@]}"
row "inspect -r --json (JSON Lines), -j $cpus" "$total" "$AMTLESS" inspect -r --json "${args[@]}"
row "inspect -r --json, -j 1" "$total" "$AMTLESS" inspect -r --json -j 1 "${args[@]}"
row "inspect -r --json --no-verify, -j $cpus" "$total" "$AMTLESS" inspect -r --json --no-verify "${args[@]}"
# one process per file, as a loop over single-file calls does it
cat >"$T/loop.sh" <<EOF
find "$DIR" -type f -print0 | xargs -0 -n 1 "$AMTLESS" inspect --json >/dev/null 2>&1
exit 0
EOF
row "one process per file (inspect --json FILE)" "$nfiles" bash "$T/loop.sh"
echo "MEAnalyzer (issue 10): about 1.5 s per image, 0.7 files/s"
