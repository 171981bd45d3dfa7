#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The audit inside Prometheus, with the real engines on loopback:
#  - promtool (Debian package prometheus) `check metrics` on the output of
#    `amtless audit --format prometheus` for every fixture tree, and for a
#    root whose name needs escaping in a label;
#  - node_exporter (Debian package prometheus-node-exporter) reading a
#    textfile directory that `amtless audit --format prometheus --output`
#    writes, scraped over 127.0.0.1: for every fixture the scraped amtless_*
#    samples equal the file's, node_textfile_scrape_error is 0, and the
#    verdict, ME state and pieces equal `amtless audit --format json`'s.
# usage: test_audit_prometheus.sh AMTLESS JSONTOOL FIXTURES_DIR PROMNORM
set -u
AMTLESS=$1 JSONTOOL=$2 FIX=$3 NORM=$4
T=$(mktemp -d)
NE_PID=
cleanup() {
	if [ -n "$NE_PID" ]; then kill "$NE_PID" 2>/dev/null; wait "$NE_PID" 2>/dev/null; fi
	rm -rf "$T"
}
trap cleanup EXIT
. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }
skip() { echo "1..0 # SKIP $1 (.ci/run installs it)"; exit 77; }
command -v promtool >/dev/null || skip "promtool is not installed (Debian package prometheus)"
NE=$(command -v prometheus-node-exporter || command -v node_exporter) ||
	skip "node_exporter is not installed (Debian package prometheus-node-exporter)"
command -v curl >/dev/null || skip "curl is not installed"
PY=$(command -v python3) || skip "python3 is not installed"

fixtures=()
for d in "$FIX"/*/; do fixtures+=("$(basename "$d")"); done
check "fixture trees found" test "${#fixtures[@]}" -ge 20

# 1. promtool check metrics on every fixture's output (lint included)
fam_total=0 smp_total=0 bad_lint=0
for fx in "${fixtures[@]}"; do
	"$AMTLESS" audit --root "$FIX/$fx" --format prometheus >"$T/$fx.prom" 2>"$T/err"
	rc=$?
	[ $rc -ge 10 ] && [ $rc -le 14 ] || bad "$fx: prometheus output exit $rc"
	if ! promtool check metrics <"$T/$fx.prom" >"$T/lint" 2>&1 || [ -s "$T/lint" ]; then
		bad_lint=$((bad_lint + 1))
		bad "promtool check metrics: $fx"
		sed 's/^/#   /' "$T/lint" | head -5
	fi
	fam_total=$((fam_total + $(grep -c '^# TYPE ' "$T/$fx.prom")))
	smp_total=$((smp_total + $(grep -vc '^#' "$T/$fx.prom")))
done
[ $bad_lint = 0 ] && ok "promtool check metrics: ${#fixtures[@]} fixtures clean ($fam_total families, $smp_total samples)"
echo "# per fixture: $((fam_total / ${#fixtures[@]})) metric families, $((smp_total / ${#fixtures[@]})) samples on average"

# a root whose name needs escaping in a label value (quote, backslash, newline)
weird="$T/we\"ird\\root
name"
cp -r "$FIX/hap_mtl" "$weird"
"$AMTLESS" audit --root "$weird" --format prometheus >"$T/weird.prom" 2>/dev/null
check "escaped label values pass promtool" promtool check metrics <"$T/weird.prom"
grep -q 'root="[^"]*we\\"ird\\\\root\\nname"' "$T/weird.prom" && ok "root label escaped" || bad "root label not escaped"

# 2. node_exporter on loopback, textfile collector only
mkdir "$T/textfile"
up=0
for attempt in 1 2 3; do
	PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
	"$NE" --web.listen-address="127.0.0.1:$PORT" --collector.disable-defaults --collector.textfile \
		--collector.textfile.directory="$T/textfile" >"$T/ne.log" 2>&1 &
	NE_PID=$!
	for _ in $(seq 50); do
		curl -sf "http://127.0.0.1:$PORT/metrics" >/dev/null 2>&1 && { up=1; break; }
		kill -0 "$NE_PID" 2>/dev/null || break
		sleep 0.1
	done
	[ $up = 1 ] && break
	kill "$NE_PID" 2>/dev/null; wait "$NE_PID" 2>/dev/null; NE_PID=
done
if [ $up != 1 ]; then
	bad "node_exporter did not come up on 127.0.0.1"
	sed 's/^/#   /' "$T/ne.log" | tail -5
	tap_end
	exit
fi
ok "node_exporter listening on 127.0.0.1:$PORT"

fails_before=$fails
for fx in "${fixtures[@]}"; do
	"$AMTLESS" audit --root "$FIX/$fx" --format json --exit-zero >"$T/$fx.json" 2>/dev/null
	"$AMTLESS" audit --root "$FIX/$fx" --format prometheus --exit-zero --output "$T/textfile/amtless.prom" 2>"$T/err" ||
		bad "$fx: --output failed: $(cat "$T/err")"
	curl -sf "http://127.0.0.1:$PORT/metrics" >"$T/scrape" || { bad "$fx: scrape failed"; continue; }
	grep -qx 'node_textfile_scrape_error 0' "$T/scrape" || bad "$fx: node_textfile_scrape_error is not 0"
	grep -q '^node_textfile_mtime_seconds{file=".*amtless.prom"}' "$T/scrape" || bad "$fx: no mtime for amtless.prom"
	"$PY" "$NORM" amtless_ <"$T/textfile/amtless.prom" >"$T/a.norm" || bad "$fx: file does not parse"
	"$PY" "$NORM" amtless_ <"$T/scrape" >"$T/b.norm" || bad "$fx: scrape does not parse"
	cmp -s "$T/a.norm" "$T/b.norm" || { bad "$fx: node_exporter serves other samples than the file";
		diff "$T/a.norm" "$T/b.norm" | head -5 | sed 's/^/#   /'; }
	[ "$(wc -l <"$T/b.norm")" -gt 80 ] || bad "$fx: only $(wc -l <"$T/b.norm") samples scraped"
	v=$("$JSONTOOL" get "$T/$fx.json" verdict)
	grep -qx "amtless_audit_verdict{verdict=\"$v\"} 1" "$T/scrape" || bad "$fx: verdict $v not in the scrape"
	[ "$(grep -c '^amtless_audit_verdict{.*} 1$' "$T/scrape")" = 1 ] || bad "$fx: not exactly one verdict at 1"
	s=$("$JSONTOOL" get "$T/$fx.json" me.state)
	grep -qx "amtless_me_state{state=\"$s\"} 1" "$T/scrape" || bad "$fx: ME state $s not in the scrape"
	for p in cpu_vpro amt_nic corporate_me; do
		t=$("$JSONTOOL" get "$T/$fx.json" "conditions.$p")
		grep -qx "amtless_amt_piece{piece=\"$p\",state=\"$t\"} 1" "$T/scrape" || bad "$fx: piece $p=$t not in the scrape"
	done
	fw=$("$JSONTOOL" get "$T/$fx.json" me.fw_version); [ "$fw" = null ] && fw=unknown
	grep -q "^amtless_me_firmware_info{.*version=\"$fw\"" "$T/scrape" || bad "$fx: firmware version $fw not in the scrape"
	c=$("$JSONTOOL" get "$T/$fx.json" exit_code)
	grep -qx "amtless_audit_verdict_code $c" "$T/scrape" || bad "$fx: verdict code $c"
done
[ "$fails" = "$fails_before" ] && ok "every fixture's verdict reaches node_exporter intact (${#fixtures[@]} scrapes)"
grep -q '^amtless_audit_timestamp_seconds ' "$T/scrape" && ok "audit time exported" || bad "no audit time"
tap_end
