#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The fuzz_replay test: each harness, linked with fuzz/replay.c instead of
# libFuzzer, runs its oracle over its seeds (fuzz/make-seeds: synthetic
# images, hostile images, regression inputs, audit fixtures; no real
# images). TAP, one line per harness.
#   replay-seeds.sh FUZZ_SEEDS HARNESS...
set -u
seedbin=$1
shift
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
here=$(cd "$(dirname "$0")" && pwd)
echo "1..$#"
n=0 rc=0
for exe in "$@"; do
	n=$((n + 1))
	h=$(basename "$exe")
	if ! "$here/make-seeds" "$seedbin" "$h" "$T/$h" >"$T/log" 2>&1; then
		echo "not ok $n - $h: make-seeds failed: $(tail -3 "$T/log" | tr '\n' ' ')"
		rc=1
		continue
	fi
	count=$(find "$T/$h" -type f | wc -l)
	if [ "$count" -eq 0 ]; then
		echo "not ok $n - $h: no seeds"
		rc=1
		continue
	fi
	if "$exe" "$T/$h" >"$T/log" 2>&1; then
		echo "ok $n - $h: $(tail -1 "$T/log") of $count, every oracle held"
	else
		echo "not ok $n - $h: exit $? on its seeds"
		sed 's/^/# /' "$T/log" | tail -20
		rc=1
	fi
done
exit $rc
