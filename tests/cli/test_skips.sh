#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Skips are counted as skips: every program with real-image cases, run with
# --corpus and no AMTLESS_CORPUS, exits 77 (meson's "skipped") and runs
# nothing; tests/testlog_count.py (run-all's closing line) counts a test
# that passed but skipped a part of itself as skipped, not passed.
# usage: test_skips.sh TESTLOG_COUNT PROGRAM...
set -u
COUNT=$1; shift
. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

for p in "$@"; do
	env -u AMTLESS_CORPUS "$p" --corpus >"$T/out" 2>&1
	rc=$?
	check "$(basename "$p") --corpus without a corpus: exit 77 (skipped)" test "$rc" = 77
	check "$(basename "$p") --corpus: runs no case" bash -c "! grep -q 'RUN' '$T/out'"
done

# a testlog.json as meson writes it: one object per test
cat >"$T/testlog.json" <<'JSON'
{"name": "s:full", "result": "OK", "stdout": "ok 1 - a\nok 2 - Huffman modules are skipped with a reason\n1..2\n", "stderr": ""}
{"name": "s:tap-part", "result": "OK", "stdout": "ok 1 - a\nok 2 - colour tests # SKIP no terminal\n1..2\n", "stderr": ""}
{"name": "s:cmocka-part", "result": "OK", "stdout": "[ RUN      ] t\n[  SKIPPED ] t\n", "stderr": "[  PASSED  ] 3 test(s).\n[  SKIPPED ] 1 test(s), listed below:\n"}
{"name": "s:comment-part", "result": "OK", "stdout": "# SKIP --image: no builder\n", "stderr": ""}
{"name": "s:whole", "result": "SKIP", "stdout": "1..0 # SKIP AMTLESS_CORPUS is not set\n", "stderr": ""}
{"name": "s:fail", "result": "FAIL", "stdout": "not ok 1 - x\n", "stderr": ""}
{"name": "s:timeout", "result": "TIMEOUT", "stdout": "", "stderr": ""}
{"name": "s:skipped-word", "result": "OK", "stdout": "ok 1 - 3 modules skipped (erased)\n# skipped: nothing\n", "stderr": null}
JSON
out=$(python3 "$COUNT" "$T/testlog.json" 2>"$T/err")
check "counts: 2 passed, 2 failed, 4 skipped" test "$out" = "2 2 4"
check "the parts skipped are named" test "$(grep -c '^skipped in part' "$T/err")" = 3
check "  with the line that says so" grep -q 'tap-part: ok 2 - colour tests # SKIP no terminal' "$T/err"
tap_end
