#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Count the results of a meson test run for tests/run-all:
#   testlog_count.py BUILD/meson-logs/testlog.json  ->  "PASSED FAILED SKIPPED"
# (meson's testlog.json: one JSON object per test). A test that exited 77 is
# skipped; so is a test that passed but skipped a part of itself (a cmocka
# "[  SKIPPED ]" line, a TAP "# SKIP" directive or comment line): it is
# named on stderr and never counted as passed.
import json
import re
import sys

PART = re.compile(r'^\[  SKIPPED \]|^(?:ok\b[^#\n]*)?#\s*SKIP\b', re.I | re.M)

passed = failed = skipped = 0
with open(sys.argv[1]) as log:
    for line in log:
        t = json.loads(line)
        result = t['result']
        if result in ('OK', 'EXPECTEDFAIL'):
            out = (t.get('stdout') or '') + '\n' + (t.get('stderr') or '')
            m = PART.search(out)
            if m:
                skipped += 1
                print('skipped in part (counted as skipped): %s: %s'
                      % (t['name'], out[m.start():].split('\n')[0].strip()), file=sys.stderr)
            else:
                passed += 1
        elif result == 'SKIP':
            skipped += 1
        else:  # FAIL, TIMEOUT, UNEXPECTEDPASS, ERROR
            failed += 1
print(passed, failed, skipped)
