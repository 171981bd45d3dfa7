#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The me_cleaner front end (the binary, invoked as me_cleaner) on every row
# of $AMTLESS_CORPUS/reference/me_cleaner.tsv:
#  - me_cleaner exited 0 and its own -c accepted every output: the same
#    flags must write files with the same sha256 (out.bin, desc.bin, me.bin);
#  - -c rows: the same exit code;
#  - both: the same messages (stdout + stderr = reference/logs/*.log);
#  - any other row: a non-zero exit, or outputs that `amtless verify` accepts
#    (ME 6 Ignition: the wiped region must match, as the README says).
# Known, documented deviations (README "me_cleaner"): generation 1 bare
# regions (refused) and ME 11.8 -k / -w MFS (DLMP overlap kept).
# usage: test_me_cleaner_corpus.sh AMTLESS
set -u
AMTLESS=$1
if [ -z "${AMTLESS_CORPUS:-}" ]; then
	echo "1..0 # SKIP AMTLESS_CORPUS is not set"
	exit 0
fi
TSV=$AMTLESS_CORPUS/reference/me_cleaner.tsv
[ -f "$TSV" ] || { echo "Bail out! $TSV missing"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
ln -s "$(readlink -f "$AMTLESS")" "$T/me_cleaner"

. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }
match=0 logs=0

while IFS=$'\t' read -r image run flags code outputs checks last; do
	[ "$image" = image ] && continue
	img=$AMTLESS_CORPUS/images/$image
	d=$T/run
	rm -rf "$d"
	mkdir "$d"
	# shellcheck disable=SC2086
	(cd "$d" && "$T/me_cleaner" $flags "$img" >combined 2>&1)
	rc=$?
	cp "$d/combined" "$d/stderr"
	name="$image $run ($flags)"
	# what it prints (stdout + stderr) is me_cleaner's, word for word,
	# except where it deliberately does something else
	log=$AMTLESS_CORPUS/reference/logs/$image.$run.log
	same_log=skip
	if [ -f "$log" ]; then
		if cmp -s "$d/combined" "$log"; then same_log=yes; logs=$((logs + 1)); else same_log=no; fi
	fi
	if [ "$run" = check ]; then
		if [ "$rc" = "$code" ] && [ "$same_log" != no ]; then ok "$name: exit $rc and output as me_cleaner"; else
			bad "$name: exit $rc (me_cleaner $code), same output: $same_log"; fi
		continue
	fi
	ref=1
	[ "$code" = 0 ] && [ -n "$outputs" ] || ref=0
	case "$checks" in *INVALID*|*"out.bin:not checked"*) ref=0 ;; esac
	case "$image" in g1_*_rgn*) ref=0 ;; esac
	case "$image/$run" in *11.8.82.3838_x210*/e_k|*11.8.82.3838_x210*/f_w) ref=0 ;; esac
	ign=0
	case "$image" in *_IGN_*) [ "$code" = 0 ] && ign=1 ;; esac
	if [ "$ref" = 1 ] || [ "$ign" = 1 ]; then
		good=1
		[ "$rc" = 0 ] || good=0
		for o in $outputs; do
			f=${o%%=*} want=${o#*=}
			got=$(sha256sum "$d/$f" 2>/dev/null | cut -d' ' -f1)
			[ "$got" = "$want" ] || good=0
		done
		[ "$same_log" != no ] || good=0
		if [ "$good" = 1 ]; then match=$((match + 1)); ok "$name: byte-identical, same messages"; else
			bad "$name: exit $rc, outputs differ"; sed 's/^/#   /' "$d/stderr" | head -3; fi
	elif [ "$rc" != 0 ]; then
		ok "$name: refused (exit $rc): $(head -c 100 "$d/stderr" | tr '\n' ' ')"
	elif "$AMTLESS" verify -q "$d/out.bin" >/dev/null 2>&1; then
		ok "$name: written, amtless verify accepts it"
	else
		bad "$name: exit 0 but amtless verify rejects the output"
	fi
done <"$TSV"
# native: every assembled full image the native front end takes, with every
# descriptor edit; the results must verify
for img in "$AMTLESS_CORPUS"/images/DERIVED-full_*; do
	b=$(basename "$img")
	rm -f "$T/nat.bin"
	"$AMTLESS" neutralize -q --relocate --shrink-region --restrict-me-access "$img" -o "$T/nat.bin" \
		>"$T/nat.out" 2>"$T/nat.err"
	rc=$?
	if [ "$rc" = 0 ]; then
		if "$AMTLESS" verify -q "$T/nat.bin" >/dev/null 2>&1; then ok "native $b: shrunk, verified"; else
			bad "native $b: written but amtless verify rejects it"; fi
	elif [ "$rc" = 6 ] && [ ! -e "$T/nat.bin" ]; then
		ok "native $b: refused (exit 6): $(head -c 100 "$T/nat.err" | tr '\n' ' ')"
	else
		bad "native $b: exit $rc: $(head -c 200 "$T/nat.err")"
	fi
done
echo "# $match runs byte-identical to me_cleaner 1.2; $logs runs print exactly what it printed"
tap_end
