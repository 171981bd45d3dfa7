#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# CLI tests of `amtless audit`: every fixture tree (verdict + exit code +
# schema) in every format (text opening with the summary, --brief, JSON,
# prometheus, --exit-zero), the summary's claims (disable bit in effect only
# for HAP, recovery, HECI hidden, root can provision, advisories), --output
# written atomically, usage errors, --probe without a device, --image, the
# live machine.
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
	"heci_hidden indeterminate 14 likely,yes,unknown heci_hidden"
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
	"hap_mtl not_exposed 10 unlikely,likely,no disabled_hap"
	"recovery_p14s indeterminate 14 likely,yes,yes recovery"
	"heci_hidden_pch indeterminate 14 unlikely,likely,unknown heci_hidden"
	"corporate_adl_unprovisioned capable 12 likely,yes,yes normal"
	"corporate_arl_p16g3 capable 12 likely,likely,yes normal"
	"corporate_lnl_xps9350 capable 12 likely,likely,yes normal"
	"vulnerable_skl_11_6 capable 12 likely,yes,yes normal"
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
	# the answer first: the summary is the first lines, the same in --brief
	"$AMTLESS" audit --root "$FIX/$name" --brief >"$tmp/$name.brief" 2>&1
	[ $? = "$code" ] && ok || bad "$name: --brief exit"
	n=$(wc -l <"$tmp/$name.brief")
	[ "$n" -ge 8 ] && [ "$n" -le 16 ] && ok || bad "$name: --brief has $n lines"
	head -n "$n" "$tmp/$name.txt" | cmp -s - "$tmp/$name.brief" && ok || bad "$name: text does not open with the summary"
	grep -q "^Evidence\|^Why" "$tmp/$name.brief" && bad "$name: --brief prints details" || ok
	# the answer's lines right under the verdict (render/answer.c)
	sed -n 2,4p "$tmp/$name.brief" | awk '{print $1}' | tr '\n' ' ' | grep -qx "Firmware AMT Disable " && ok ||
		bad "$name: the answer's firmware, AMT and disable-bit lines do not follow the verdict"
	sed -n 8p "$tmp/$name.brief" | grep -qF "ME:                     $(get "$out" summary.me)" && ok ||
		bad "$name: text and JSON summary of the ME differ"
	# --exit-zero: exit 0, same verdict
	"$AMTLESS" audit --root "$FIX/$name" --format json --exit-zero >"$tmp/$name.ez.json" 2>/dev/null
	[ $? = 0 ] && ok || bad "$name: --exit-zero did not exit 0"
	[ "$(get "$tmp/$name.ez.json" verdict)" = "$verdict" ] && ok || bad "$name: --exit-zero changed the verdict"
	[ "$(get "$tmp/$name.ez.json" exit_code)" = "$code" ] && ok || bad "$name: --exit-zero changed exit_code"
	# prometheus: the verdict sample is 1
	"$AMTLESS" audit --root "$FIX/$name" --format prometheus >"$tmp/$name.prom" 2>/dev/null
	[ $? = "$code" ] && ok || bad "$name: prometheus exit"
	grep -qx "amtless_audit_verdict{verdict=\"$verdict\"} 1" "$tmp/$name.prom" && ok || bad "$name: prometheus verdict"
	grep -qx "amtless_me_state{state=\"$state\"} 1" "$tmp/$name.prom" && ok || bad "$name: prometheus ME state"
	[ "$(grep -c ' 1$' "$tmp/$name.prom" | tr -d ' ')" -gt 5 ] && ok || bad "$name: prometheus has few samples"
done

# the summary says when the disable bit is in effect, and only then
for name in hap_adlp hap_mtl; do
	grep -q "^  ME: .*disabled by the HAP strap (HFSTS1 0x80022054.*the disable bit is in effect" "$tmp/$name.brief" &&
		ok || bad "$name: summary does not prove the disable bit"
	grep -q "^  ME: .*the proof that a neutralized flash (amtless flash) took effect" "$tmp/$name.brief" &&
		ok || bad "$name: summary does not call it the proof the flash took effect"
	[ "$(get "$tmp/$name.json" me.disabled_by_strap)" = "true" ] && ok || bad "$name: disabled_by_strap"
	[ "$(get "$tmp/$name.json" me.heci_visible_while_disabled)" = "true" ] && ok || bad "$name: heci visible"
done
grep -q "Meteor Lake" "$tmp/hap_mtl.brief" && ok || bad "hap_mtl: HECI-visible note does not name Meteor Lake"
for name in recovery_p14s soft_disabled consumer_z790 heci_hidden_pch me_error; do
	grep -q "disable bit is in effect" "$tmp/$name.brief" && bad "$name: claims the disable bit" || ok
	[ "$(get "$tmp/$name.json" me.disabled_by_strap)" = "false" ] && ok || bad "$name: disabled_by_strap"
done
grep -q "in recovery (HFSTS1 0x94000642" "$tmp/recovery_p14s.brief" && ok || bad "recovery summary"
grep -q "HECI hidden by firmware" "$tmp/heci_hidden_pch.brief" && ok || bad "heci_hidden summary"
grep -q "root on this machine can provision it" "$tmp/corporate_adl_unprovisioned.brief" && ok || bad "root-provision note"
[ "$(get "$tmp/corporate_adl_unprovisioned.json" amt.root_can_provision)" = "likely" ] && ok || bad "root_can_provision"
grep -qx 'amtless_amt_root_can_provision{state="likely"} 1' "$tmp/corporate_adl_unprovisioned.prom" && ok || bad "root-provision metric"
grep -q "INTEL-SA-00075" "$tmp/vulnerable_skl_11_6.brief" && ok || bad "advisory note in the summary"
[ "$(get "$tmp/vulnerable_skl_11_6.json" advisories.matches.0.id)" = "INTEL-SA-00075" ] && ok || bad "advisory in JSON"
grep -qx 'amtless_advisories_affected 3' "$tmp/vulnerable_skl_11_6.prom" && ok || bad "advisory count metric"
[ "$(get "$tmp/hap_mtl.json" checks.0.differs_from_fwupd)" = "true" ] && ok || bad "hap_mtl: fwupd disagreement"
[ "$(get "$tmp/hap_mtl.json" checks.0.fwupd_result)" = "not-locked" ] && ok || bad "hap_mtl: fwupd result"
grep -qx 'amtless_check{check="spi_protection",status="fail"} 1' "$tmp/hap_mtl.prom" && ok || bad "check metric"

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
"$AMTLESS" audit --format yaml >/dev/null 2>&1; [ $? = 2 ] && ok || bad "unknown format not exit 2"
"$AMTLESS" audit --brief --json >/dev/null 2>&1; [ $? = 2 ] && ok || bad "--brief --json not exit 2"
"$AMTLESS" audit --json --format prometheus >/dev/null 2>&1; [ $? = 2 ] && ok || bad "--json vs --format not exit 2"
"$AMTLESS" audit --output "" >/dev/null 2>&1; [ $? = 2 ] && ok || bad "empty --output not exit 2"
"$AMTLESS" audit --json --format json --root "$FIX/amd_cpu" >/dev/null 2>&1; [ $? = 10 ] && ok || bad "--json --format json"

# --output: written atomically, the same document, mode of the file replaced
mkdir "$tmp/out"
"$AMTLESS" audit --root "$FIX/hap_mtl" --format prometheus --output "$tmp/out/amtless.prom" >"$tmp/stdout" 2>&1
[ $? = 10 ] && ok || bad "--output exit"
[ -s "$tmp/stdout" ] && bad "--output also wrote to stdout" || ok
grep -v '^amtless_audit_timestamp_seconds' "$tmp/out/amtless.prom" >"$tmp/a.prom"
grep -v '^amtless_audit_timestamp_seconds' "$tmp/hap_mtl.prom" >"$tmp/b.prom"
cmp -s "$tmp/a.prom" "$tmp/b.prom" && ok || bad "--output content differs from stdout"
[ "$(tail -c1 "$tmp/out/amtless.prom" | od -An -c | tr -d ' ')" = '\n' ] && ok || bad "prom file does not end with a newline"
chmod 640 "$tmp/out/amtless.prom"
"$AMTLESS" audit --root "$FIX/consumer_z790" --format json --exit-zero --output "$tmp/out/amtless.prom" 2>/dev/null
[ $? = 0 ] && ok || bad "--output --exit-zero exit"
[ "$(stat -c %a "$tmp/out/amtless.prom")" = 640 ] && ok || bad "--output did not keep the mode of the replaced file"
[ "$(get "$tmp/out/amtless.prom" verdict)" = not_exposed ] && ok || bad "--output JSON content"
[ "$(ls -A "$tmp/out" | wc -l)" = 1 ] && ok || bad "--output left temporary files: $(ls -A "$tmp/out")"
# an output that cannot be written: exit 7, nothing written, no leftovers
"$AMTLESS" audit --root "$FIX/consumer_z790" --output "$tmp/no-such-dir/x.prom" >/dev/null 2>"$tmp/err"
[ $? = 7 ] && ok || bad "unwritable --output not exit 7"
grep -q "no-such-dir" "$tmp/err" && ok || bad "unwritable --output not named"
if [ "$(id -u)" != 0 ]; then
	chmod 555 "$tmp/out"
	"$AMTLESS" audit --root "$FIX/hap_mtl" --output "$tmp/out/amtless.prom" >/dev/null 2>&1
	[ $? = 7 ] && ok || bad "read-only dir --output not exit 7"
	[ "$(get "$tmp/out/amtless.prom" verdict)" = not_exposed ] && ok || bad "failed --output touched the old file"
	chmod 755 "$tmp/out"
fi

"$AMTLESS" audit --help >"$tmp/help"; [ $? = 0 ] && ok || bad "--help exit"
for o in --format --json --brief --output --exit-zero prometheus; do grep -q -- "$o" "$tmp/help" && ok || bad "--help lacks $o"; done
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
		echo "# SKIP --image: the image parser does not accept the synthetic image yet ($(cat "$tmp/err"))"
	else
		bad "--image: exit $rc"
	fi
else
	echo "# SKIP --image: no synthetic image builder available"
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
