#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `amtless verify --json` and `amtless neutralize --json` (plan and report,
# also with --dry-run) against doc/verify.schema.json and
# doc/neutralize.schema.json, on the builder's samples; with --corpus, on
# every image of the real-firmware corpus: "code kept" has one source, so
# inspect's preview of the default neutralization, neutralize's report (on
# the output it wrote) and verify (run on that output) give the same bytes,
# and inspect shows the minimum ME region size neutralize gives.
# The corpus mode skips (exit 77) when AMTLESS_CORPUS is unset.
# usage: test_results_json.sh AMTLESS MKIMAGE JSONTOOL VERIFY_SCHEMA NEUTRALIZE_SCHEMA [--corpus]
set -u
AMTLESS=$1 MKIMAGE=$2 JSONTOOL=$3 VSCHEMA=$4 NSCHEMA=$5 MODE=${6:-}
if [ "$MODE" = --corpus ] && [ -z "${AMTLESS_CORPUS:-}" ]; then
	echo "skip: AMTLESS_CORPUS is not set (the real-firmware suite needs the corpus directory)"
	exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }
vvalid() { "$JSONTOOL" validate "$VSCHEMA" "$1"; }
nvalid() { "$JSONTOOL" validate "$NSCHEMA" "$1"; }

if [ "$MODE" != --corpus ]; then
	"$MKIMAGE" --kind full-me11 "$T/f.bin" >/dev/null || { bad "mkimage"; tap_end; exit; }
	# ---- neutralize --json --dry-run: the plan, nothing written ----
	expect_rc 0 "neutralize --json --dry-run" "$AMTLESS" neutralize --json --dry-run "$T/f.bin"
	cp "$T/out" "$T/dry.json"
	check "dry run: schema" nvalid "$T/dry.json"
	check "dry run: said so" jis "$T/dry.json" dry_run true
	check "dry run: nothing written" jis "$T/dry.json" written null
	check "dry run: outcome changed" jis "$T/dry.json" outcome changed
	check "dry run: the HAP edit is planned" grep -q '"why": "disable-bit"' "$T/dry.json"
	check "dry run: bit before" jis "$T/dry.json" plan.disable_bit.before false
	check "dry run: bit after" jis "$T/dry.json" plan.disable_bit.after true
	# PCHSTRP0 bit 16 of the sample: the strap section at 0x100, the bit in byte 0x102
	check "dry run: where the bit is" jis "$T/dry.json" plan.disable_bit.locations.0.file_offset 258
	check "dry run: stdout is JSON only" bash -c "! grep -q '^Summary' '$T/dry.json'"
	# ---- neutralize --json -o ----
	expect_rc 0 "neutralize --json -o" "$AMTLESS" neutralize --json "$T/f.bin" -o "$T/n.bin"
	cp "$T/out" "$T/n.json"
	check "neutralize: schema" nvalid "$T/n.json"
	check "neutralize: written named" jis "$T/n.json" written "$T/n.bin"
	check "neutralize: the output exists" test -s "$T/n.bin"
	check "neutralize: the report says neutralized" jis "$T/n.json" report.verdict neutralized
	check "neutralize: safe to flash" jis "$T/n.json" report.safe_to_flash true
	check "neutralize: the plan's edits = the dry run's" test \
		"$("$JSONTOOL" get "$T/n.json" plan.edits)" = "$("$JSONTOOL" get "$T/dry.json" plan.edits)"
	# ---- again: already neutralized, an identical copy ----
	expect_rc 0 "neutralize --json a neutralized image" "$AMTLESS" neutralize --json "$T/n.bin" -o "$T/n2.bin"
	cp "$T/out" "$T/n2.json"
	check "again: schema" nvalid "$T/n2.json"
	check "again: already done" jis "$T/n2.json" outcome already-done
	check "again: not changed" jis "$T/n2.json" changed false
	check "again: -o wrote an identical copy" cmp -s "$T/n.bin" "$T/n2.bin"
	# ---- verify --json ----
	expect_rc 0 "verify --json (neutralized)" "$AMTLESS" verify --json "$T/n.bin"
	cp "$T/out" "$T/v.json"
	check "verify: schema" vvalid "$T/v.json"
	check "verify: neutralized" jis "$T/v.json" report.verdict neutralized
	check "verify: the disable bit set" jis "$T/v.json" report.disable_bit.set true
	check "verify's code = neutralize's report's code" test \
		"$("$JSONTOOL" get "$T/v.json" report.code)" = "$("$JSONTOOL" get "$T/n.json" report.code)"
	expect_rc 8 "verify --json (stock: not neutralized)" "$AMTLESS" verify --json "$T/f.bin"
	check "verify stock: schema" vvalid "$T/out"
	check "verify stock: bit not set" jis "$T/out" report.disable_bit.set false
	# a damaged manifest: problems, exit 1, safe_to_flash false
	cp "$T/n.bin" "$T/bad.bin"
	off=$(grep -obUaP '\$MN2' "$T/bad.bin" | head -1 | cut -d: -f1)
	printf '\x5a' | dd of="$T/bad.bin" bs=1 seek=$((off + 0x08)) conv=notrunc status=none
	expect_rc 1 "verify --json (damaged)" "$AMTLESS" verify --json "$T/bad.bin"
	check "damaged: schema" vvalid "$T/out"
	check "damaged: not safe" jis "$T/out" report.safe_to_flash false
	check "damaged: a problem listed" "$JSONTOOL" get "$T/out" report.problems.0.kind
	# ---- the schema checker rejects what the schemas do not allow ----
	sed 's/"amtless-verify"/"amtless-other"/' "$T/v.json" >"$T/x1.json"
	check "schema rejects a wrong name" bash -c "! '$JSONTOOL' validate '$VSCHEMA' '$T/x1.json' 2>/dev/null"
	sed 's/"outcome": "changed"/"outcome": "maybe"/' "$T/n.json" >"$T/x2.json"
	check "schema rejects an unknown outcome" bash -c "! '$JSONTOOL' validate '$NSCHEMA' '$T/x2.json' 2>/dev/null"
	# ---- usage ----
	expect_rc 2 "verify: --json and --brief exclude each other" "$AMTLESS" verify --json --brief "$T/n.bin"
	expect_rc 2 "neutralize: --json and --quiet exclude each other" "$AMTLESS" neutralize --json -q --dry-run "$T/f.bin"
	tap_end
	exit
fi

# ---- corpus: the three "code kept" numbers agree on every image ----
agree=0 neutralized=0 refused=0 mins=0
for img in "$AMTLESS_CORPUS"/images/*; do
	name=$(basename "$img")
	"$AMTLESS" inspect --json "$img" >"$T/i.json" 2>/dev/null
	rc=$?
	[ "$rc" = 0 ] || { ok "$name: not inspected (exit $rc): nothing to compare"; continue; }
	has_fw=$("$JSONTOOL" get "$T/i.json" firmware)
	[ "$has_fw" != null ] || { ok "$name: no firmware: nothing to compare"; continue; }
	pre_total=$("$JSONTOOL" get "$T/i.json" firmware.neutralization.code_bytes)
	pre_kept=$("$JSONTOOL" get "$T/i.json" firmware.neutralization.kept_bytes)
	pre_min=$("$JSONTOOL" get "$T/i.json" firmware.neutralization.min_region_size)
	gen=$("$JSONTOOL" get "$T/i.json" firmware.generation 2>/dev/null)
	rm -f "$T/o.bin"
	"$AMTLESS" neutralize --json "$img" -o "$T/o.bin" >"$T/n.json" 2>"$T/n.err"
	rc=$?
	if [ "$rc" != 0 ]; then
		# a documented refusal (exit 6: CSME 12+ bare region, gen 1 region, unknown
		# platform, ...): there is no report to compare
		[ "$rc" = 6 ] && { refused=$((refused + 1)); ok "$name: neutralize refused (exit 6)"; continue; }
		bad "$name: neutralize exit $rc: $(head -1 "$T/n.err")"
		continue
	fi
	neutralized=$((neutralized + 1))
	nvalid "$T/n.json" || bad "$name: neutralize JSON does not match the schema"
	"$AMTLESS" verify --json "$T/o.bin" >"$T/v.json" 2>/dev/null
	vvalid "$T/v.json" || bad "$name: verify JSON does not match the schema"
	n_code=$("$JSONTOOL" get "$T/n.json" report.code)
	v_code=$("$JSONTOOL" get "$T/v.json" report.code)
	if [ "$n_code" = null ]; then
		# the region wiped (gen 1, ME 6 Ignition): no code remains, as the preview says
		n_total=null n_kept=0
	else
		n_total=$("$JSONTOOL" get "$T/n.json" report.code.total_bytes)
		n_kept=$("$JSONTOOL" get "$T/n.json" report.code.kept_bytes)
	fi
	if [ "$v_code" = null ]; then
		v_total=null v_kept=0
	else
		v_total=$("$JSONTOOL" get "$T/v.json" report.code.total_bytes)
		v_kept=$("$JSONTOOL" get "$T/v.json" report.code.kept_bytes)
	fi
	if [ "$pre_kept" = "$n_kept" ] && [ "$n_kept" = "$v_kept" ] &&
	   { [ "$n_total" = null ] || { [ "$pre_total" = "$n_total" ] && [ "$n_total" = "$v_total" ]; }; }; then
		agree=$((agree + 1))
		ok "$name: code kept $pre_kept of $pre_total in inspect, neutralize and verify"
	else
		bad "$name: code kept differs: inspect $pre_kept/$pre_total, neutralize $n_kept/$n_total, verify $v_kept/$v_total"
	fi
	n_min=$("$JSONTOOL" get "$T/n.json" plan.min_me_region_size)
	if [ "$pre_min" = "$n_min" ]; then
		ok "$name: minimum ME region size $n_min in inspect and neutralize"
		[ "$n_min" != null ] && mins=$((mins + 1))
	else
		bad "$name: minimum ME region size: inspect $pre_min, neutralize $n_min"
	fi
	# generation 2, not wiped, and not already cut down (a region truncated after
	# its kept data has no smaller size to offer)
	if [ "$gen" = 2 ] && [ "$("$JSONTOOL" get "$T/n.json" plan.wipe)" = false ] &&
	   [ "$("$JSONTOOL" get "$T/n.json" outcome)" = changed ]; then
		check "$name: generation 2: inspect shows the minimum size" test "$pre_min" != null
	fi
done
echo "# code kept agrees on $agree of $neutralized neutralized images ($refused refused); minimum size shown on $mins"
check "some images neutralized" test "$neutralized" -gt 0
tap_end
