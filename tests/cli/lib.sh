# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the CLI tests (bash): TAP output and the usual checks.
# Source it with  . "$(dirname "$0")/lib.sh" || exit 1
# expect_rc writes to "$T" (the caller's scratch directory); jget/jis use
# "$JSONTOOL". End the script with  tap_end  (prints the plan, sets the
# exit status).

n=0 fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
# check DESC CMD...: ok when CMD succeeds
check() { local d=$1; shift; if "$@"; then ok "$d"; else bad "$d"; fi; }
# skip_part DESC REASON: a part that cannot run here, as a TAP SKIP
# (tests/run-all then counts the whole test as skipped, not passed)
skip_part() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
# expect_rc WANT DESC CMD...: stdout in $T/out, stderr in $T/err
expect_rc() {
	local want=$1 d=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"
	local rc=$?
	if [ "$rc" = "$want" ]; then ok "$d (exit $rc)"; else
		bad "$d: exit $rc, want $want"; sed 's/^/#   /' "$T/err" | head -5; fi
}
has() { grep -qF -- "$2" "$1"; }
hasnt() { ! grep -qF -- "$2" "$1"; }
jget() { "$JSONTOOL" get "$1" "$2"; }
jis() { [ "$("$JSONTOOL" get "$1" "$2")" = "$3" ]; }
tap_end() { echo "1..$n"; [ "$fails" = 0 ]; }
