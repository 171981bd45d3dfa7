#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `meson install` puts the fleet pieces in place and they work from there:
# the systemd service + timer (checked by systemd-analyze verify when it is
# there, and their ExecStart run against a fixture tree), the Ansible facts.d
# executable (run, its JSON validated), the example playbook.
# usage: test_audit_install.sh MESON BUILD_DIR PREFIX BINDIR LIBDIR DATADIR UNITDIR TEXTFILE_DIR
#        JSONTOOL SCHEMA FIXTURES_DIR
set -u
MESON=$1 BUILD=$2 PREFIX=$3 BINDIR=$4 LIBDIR=$5 DATADIR=$6 UNITDIR=$7 TEXTDIR=$8 JSONTOOL=$9
SCHEMA=${10} FIX=${11}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }
abs() { case $1 in /*) echo "$1" ;; *) echo "$PREFIX/$1" ;; esac; }
BINDIR=$(abs "$BINDIR") LIBDIR=$(abs "$LIBDIR") DATADIR=$(abs "$DATADIR")
D=$T/dest

"$MESON" install -C "$BUILD" --destdir "$D" --no-rebuild --quiet >"$T/install.log" 2>&1
rc=$?
[ $rc = 0 ] && ok "meson install --destdir" || { bad "meson install: exit $rc"; sed 's/^/#   /' "$T/install.log" | tail -5; tap_end; exit; }

SVC=$D$UNITDIR/amtless-audit.service TMR=$D$UNITDIR/amtless-audit.timer
FACT=$D$DATADIR/amtless/ansible/amtless.fact
check "service installed in $UNITDIR" test -f "$SVC"
check "timer installed in $UNITDIR" test -f "$TMR"
check "facts.d executable installed under the data directory" test -f "$FACT"
check "facts.d executable is mode 755" test "$(stat -c %a "$FACT")" = 755
check "example playbook installed" test -f "$D$DATADIR/doc/amtless/examples/ansible/amtless-fleet.yml"
check "program installed" test -x "$D$BINDIR/amtless"

want="ExecStart=$BINDIR/amtless audit --format prometheus --exit-zero --output $TEXTDIR/amtless.prom"
check "service ExecStart writes $TEXTDIR/amtless.prom with the installed program" grep -qx -- "$want" "$SVC"
check "service may write the textfile directory only" grep -qx "ReadWritePaths=$TEXTDIR" "$SVC"
check "service is a oneshot" grep -qx "Type=oneshot" "$SVC"
check "service skipped without the textfile directory" grep -qx "ConditionPathIsDirectory=$TEXTDIR" "$SVC"
check "timer is enabled by timers.target" grep -qx "WantedBy=timers.target" "$TMR"
check "fact script calls the installed program by default" grep -q "AMTLESS:-$BINDIR/amtless" "$FACT"
grep -q '@' "$SVC" "$FACT" && bad "an @VARIABLE@ was left unsubstituted" || ok "no @VARIABLE@ left"

export LD_LIBRARY_PATH="$D$LIBDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# the installed fact script, as Ansible runs it (no arguments)
AMTLESS="$D$BINDIR/amtless" AMTLESS_AUDIT_ROOT="$FIX/hap_mtl" "$FACT" >"$T/fact.json" 2>"$T/err"
rc=$?
[ $rc = 0 ] && ok "fact script exits 0 on a not_exposed machine" || bad "fact script: exit $rc ($(cat "$T/err"))"
check "fact script prints the audit document" "$JSONTOOL" validate "$SCHEMA" "$T/fact.json"
check "fact verdict" test "$("$JSONTOOL" get "$T/fact.json" verdict)" = not_exposed
AMTLESS=/nonexistent/amtless "$FACT" >/dev/null 2>"$T/err"
rc=$?
[ $rc = 127 ] && grep -q "not installed" "$T/err" && ok "fact script without amtless: exit 127, says why" || bad "fact script without amtless: exit $rc"

# the service's command line, pointed at the destdir and a fixture tree
mkdir "$T/textfile"
cmd=$(sed -n 's/^ExecStart=//p' "$SVC")
cmd=${cmd//$BINDIR/$D$BINDIR}
cmd=${cmd//$TEXTDIR/$T/textfile}
# shellcheck disable=SC2086
$cmd --root "$FIX/recovery_p14s" >"$T/out" 2>&1
rc=$?
[ $rc = 0 ] && ok "service command exits 0 (--exit-zero)" || bad "service command: exit $rc"
check "service command writes amtless.prom" grep -qx 'amtless_me_state{state="recovery"} 1' "$T/textfile/amtless.prom"
check "service command writes nothing else" test "$(ls -A "$T/textfile")" = amtless.prom
if command -v promtool >/dev/null; then
	check "service output passes promtool check metrics" promtool check metrics <"$T/textfile/amtless.prom"
fi

if ! command -v systemd-analyze >/dev/null; then
	ok "# SKIP systemd-analyze is not installed"
elif [ -d "$D/usr/lib/systemd" ] && [ ! -L "$D/usr/lib/systemd" ]; then
	ok "# SKIP systemd-analyze --root needs the system's units at $D/usr/lib/systemd (prefix /usr)"
else
	# systemd-analyze --root resolves ExecStart and the standard targets inside
	# the root: give it the system's unit directory and the textfile directory
	mkdir -p "$D/usr/lib" "$D$TEXTDIR"
	[ -e "$D/usr/lib/systemd" ] || ln -s /usr/lib/systemd "$D/usr/lib/systemd"
	systemd-analyze verify --man=no --root="$D" "$UNITDIR/amtless-audit.service" "$UNITDIR/amtless-audit.timer" \
		>"$T/verify" 2>&1
	rc=$?
	[ $rc = 0 ] && ok "systemd-analyze verify: service and timer" ||
		{ bad "systemd-analyze verify: exit $rc"; grep amtless "$T/verify" | sed 's/^/#   /' | head -5; }
fi
tap_end
