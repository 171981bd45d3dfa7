#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# README.md's table of what remains (between its remains-table markers) is
# what bench/remains_table.py prints over the real-firmware corpus.
# Skips (exit 77) when AMTLESS_CORPUS is unset.
# usage: test_remains_table.sh AMTLESS SCRIPT README
set -u
AMTLESS=$1 SCRIPT=$2 README=$3
if [ -z "${AMTLESS_CORPUS:-}" ]; then
	echo "skip: AMTLESS_CORPUS is not set (the table is measured on the corpus)"
	exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }

if python3 "$SCRIPT" --amtless "$AMTLESS" --corpus "$AMTLESS_CORPUS" >"$T/table" 2>"$T/err"; then
	ok "bench/remains_table.py ran over the corpus"
else
	bad "bench/remains_table.py failed: $(head -3 "$T/err" | tr '\n' ' ')"
fi
sed -n '/<!-- remains-table:begin -->/,/<!-- remains-table:end -->/p' "$README" |
	sed '1d;$d' >"$T/readme"
check "README.md has the remains table" test -s "$T/readme"
if cmp -s "$T/table" "$T/readme"; then
	ok "README.md's remains table is what the script measures"
else
	bad "README.md's remains table differs from the script's: $(diff "$T/readme" "$T/table" | head -6 | tr '\n' ' ')"
fi
check "the table has the four generations of the issue" \
	grep -q '^| ME 6–10 |' "$T/table"
check "ME 11, CSME 12–16 and TXE rows" \
	bash -c "grep -q '^| ME 11 |' '$T/table' && grep -q '^| CSME 12–16 |' '$T/table' && grep -q '^| TXE 1–4 |' '$T/table'"
tap_end
