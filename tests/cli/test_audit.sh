#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# CLI tests of `amtless audit`: every fixture tree (verdict + exit code +
# schema), usage errors, --probe without a device, --image, the live machine.
# usage: test_audit.sh AMTLESS JSONTOOL SCHEMA FIXTURES_DIR [MKIMAGE]
set -u
AMTLESS=$1 JSONTOOL=$2 SCHEMA=$3 FIX=$4 MKIMAGE=${5:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 checks=0

ok() { checks=$((checks + 1)); }
bad() { checks=$((checks + 1)); fails=$((fails + 1)); echo "FAIL: $*"; }

# fixture  verdict  exit  conditions(cpu,nic,corp)  me.state
expect=(
	"amd_cpu not_exposed 10 no,no,unknown absent_or_hidden"
	"vm_guest indeterminate 14 unknown,unknown,unknown absent_or_hidden"
	"consumer_z790 not_exposed 10 unlikely,no,no normal"
	"corporate_skl capable 12 likely,yes,yes normal"
	"hap_adlp not_exposed 10 likely,yes,no disabled_hap"
	"heci_hidden indeterminate 14 likely,yes,unknown absent_or_hidden"
	"soft_disabled capable_currently_disabled 13 likely,yes,yes disabled_soft"
	"me_error indeterminate 14 likely,yes,yes error"
	"security_override capable 12 likely,yes,yes security_override"
	"sps_server not_exposed 10 likely,no,no server_fw"
	"old_kernel_pch7 indeterminate 14 likely,yes,unknown normal"
	"old_kernel_pch7_amthi capable 12 likely,yes,yes normal"
	"ich9_q35 indeterminate 14 likely,yes,unknown unknown"
	"intel_v_nic_only not_exposed 10 likely,no,yes normal"
	"intel_v_plus_wifi capable 12 likely,likely,yes normal"
	"parsing_edges not_exposed 10 unlikely,likely,no normal"
	"iamt_wdt_only capable 12 likely,yes,yes normal"
	"two_mei not_exposed 10 unlikely,yes,no normal"
	"heci_no_driver indeterminate 14 likely,yes,unknown driver_not_bound"
	"no_sysfs indeterminate 14 likely,unknown,unknown unknown"
)

get() { "$JSONTOOL" get "$1" "$2"; }

for e in "${expect[@]}"; do
	read -r name verdict code conds state <<<"$e"
	out=$tmp/$name.json
	"$AMTLESS" audit --root "$FIX/$name" --json >"$out" 2>"$tmp/err"
	rc=$?
	[ "$rc" = "$code" ] && ok || bad "$name: exit $rc, want $code"
	[ "$(get "$out" verdict)" = "$verdict" ] && ok || bad "$name: verdict $(get "$out" verdict), want $verdict"
	[ "$(get "$out" exit_code)" = "$code" ] && ok || bad "$name: exit_code field"
	got="$(get "$out" conditions.cpu_vpro),$(get "$out" conditions.amt_nic),$(get "$out" conditions.corporate_me)"
	[ "$got" = "$conds" ] && ok || bad "$name: conditions $got, want $conds"
	[ "$(get "$out" me.state)" = "$state" ] && ok || bad "$name: me.state $(get "$out" me.state), want $state"
	"$JSONTOOL" validate "$SCHEMA" "$out" && ok || bad "$name: JSON does not match the schema"
	[ -s "$tmp/err" ] && bad "$name: stderr not empty: $(cat "$tmp/err")" || ok
	# the text form gives the same verdict and exit code
	"$AMTLESS" audit --root "$FIX/$name" >"$tmp/$name.txt" 2>&1
	rc2=$?
	[ "$rc2" = "$code" ] && ok || bad "$name: text exit $rc2"
	grep -q "^Verdict: .*($verdict, exit $code)" "$tmp/$name.txt" && ok || bad "$name: text verdict line"
	grep -q "^Evidence" "$tmp/$name.txt" && ok || bad "$name: text has no evidence"
done

# specific facts through the CLI
[ "$(get "$tmp/two_mei.json" me.mei_class_dev)" = "mei1" ] && ok || bad "two_mei: wrong MEI device"
[ "$(get "$tmp/corporate_skl.json" me.amt_redirection_functions.0.kind)" = "kt" ] && ok || bad "corporate_skl: KT function"
[ "$(get "$tmp/consumer_z790.json" me.hfsts.2)" = "0x00000020" ] && ok || bad "z790: HFSTS3"
[ "$(get "$tmp/consumer_z790.json" me.fw_version)" = "16.1.32.2473" ] && ok || bad "z790: fw_version"
[ "$(get "$tmp/sps_server.json" me.hfsts_source)" = "pci_config" ] && ok || bad "sps: hfsts source"
[ "$(get "$tmp/security_override.json" me.security_override)" = "true" ] && ok || bad "security override flag"
[ "$(get "$tmp/corporate_skl.json" amt.probed)" = "false" ] && ok || bad "probed without --probe"
[ "$(get "$tmp/corporate_skl.json" image)" = "null" ] && ok || bad "image without --image"

# usage and input errors
"$AMTLESS" audit --bogus >/dev/null 2>&1; [ $? = 2 ] && ok || bad "unknown option not exit 2"
"$AMTLESS" audit extra-arg >/dev/null 2>&1; [ $? = 2 ] && ok || bad "extra argument not exit 2"
"$AMTLESS" audit --root "$FIX/corporate_skl" --probe >/dev/null 2>&1; [ $? = 2 ] && ok || bad "--probe with --root without --mei-device"
"$AMTLESS" audit --mei-device /dev/null >/dev/null 2>&1; [ $? = 2 ] && ok || bad "--mei-device without --probe"
"$AMTLESS" audit --root /nonexistent/amtless >/dev/null 2>"$tmp/err"; [ $? = 3 ] && ok || bad "missing root not exit 3"
grep -q nonexistent "$tmp/err" && ok || bad "missing root not named"
"$AMTLESS" audit --root "$FIX/corporate_skl" --image /nonexistent/flash.bin >/dev/null 2>&1; [ $? = 3 ] && ok || bad "missing image not exit 3"
"$AMTLESS" audit --help >"$tmp/help"; [ $? = 0 ] && ok || bad "--help exit"
for c in 10 11 12 13 14; do grep -q "^ $c  " "$tmp/help" && ok || bad "--help lacks exit code $c"; done

# --probe with a device that cannot be opened: verdict stands, error reported
"$AMTLESS" audit --root "$FIX/corporate_skl" --probe --mei-device "$tmp/no-such-mei" --json >"$tmp/probe.json" 2>/dev/null
rc=$?
[ $rc = 12 ] && ok || bad "probe without device: exit $rc"
[ "$(get "$tmp/probe.json" amt.probed)" = "true" ] && ok || bad "probe: probed flag"
get "$tmp/probe.json" amt.error | grep -q "cannot open" && ok || bad "probe: error not reported"
"$JSONTOOL" validate "$SCHEMA" "$tmp/probe.json" && ok || bad "probe JSON vs schema"

# --image: a synthetic flash image (when the builder can make one)
if [ -n "$MKIMAGE" ] && "$MKIMAGE" --kind full-me11 "$tmp/flash.bin" >/dev/null 2>&1; then
	"$AMTLESS" audit --root "$FIX/heci_hidden" --image "$tmp/flash.bin" --json >"$tmp/img.json" 2>"$tmp/err"
	rc=$?
	if [ $rc -ge 10 ] && [ $rc -le 14 ]; then
		ok
		[ "$(get "$tmp/img.json" image.file)" = "$tmp/flash.bin" ] && ok || bad "image: file"
		"$JSONTOOL" validate "$SCHEMA" "$tmp/img.json" && ok || bad "image JSON vs schema"
	elif [ $rc = 4 ]; then
		echo "note: --image: the image parser does not accept the synthetic image yet ($(cat "$tmp/err"))"
	else
		bad "--image: exit $rc"
	fi
else
	echo "note: --image test skipped (no synthetic image builder available)"
fi

# the live machine (whatever it is): a verdict, schema-valid, no crash
"$AMTLESS" audit --json >"$tmp/live.json" 2>"$tmp/err"
rc=$?
[ $rc -ge 10 ] && [ $rc -le 14 ] && ok || bad "live audit: exit $rc ($(cat "$tmp/err"))"
"$JSONTOOL" validate "$SCHEMA" "$tmp/live.json" && ok || bad "live JSON vs schema"
if grep -qw hypervisor /proc/cpuinfo; then
	[ "$(get "$tmp/live.json" verdict)" = "indeterminate" ] && ok || bad "live VM verdict not indeterminate"
fi

echo "$checks checks, $fails failures"
[ $fails = 0 ]
