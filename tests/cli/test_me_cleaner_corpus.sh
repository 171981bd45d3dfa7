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
# Known, documented deviations (README "me_cleaner"), each asserted exactly:
#  - generation 1 bare regions: me_cleaner exits 0 and writes the input back
#    unchanged (asserted: its out.bin sha256 is the input's); we refuse;
#  - ME 11.8 (x210) -w MFS: DLMP (removed) overlaps the first 4 KiB of MFS
#    (whitelisted) and me_cleaner erases them; we keep them. Asserted: those
#    bytes are the input's (not all 0xff), and our output with them set to
#    0xff is me_cleaner's output (its sha256): nothing else differs.
# (ME 11.8 -k is byte-identical: DLMP only overlaps the unused end of FTPR's
# $FPT range, none of its $CPD content.)
# usage: test_me_cleaner_corpus.sh AMTLESS
set -u
AMTLESS=$1
if [ -z "${AMTLESS_CORPUS:-}" ]; then
	echo "1..0 # SKIP AMTLESS_CORPUS is not set"
	exit 77
fi
TSV=$AMTLESS_CORPUS/reference/me_cleaner.tsv
[ -f "$TSV" ] || { echo "Bail out! $TSV missing"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
ln -s "$(readlink -f "$AMTLESS")" "$T/me_cleaner"

. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }
match=0 logs=0 deliberate=0

# "START END" (END exclusive) of the part of DLMP inside MFS, from the
# overlap by Intel's design amtless inspect lists under the partitions
mfs_dlmp_overlap() {
	"$AMTLESS" inspect --no-color --no-verify "$1" 2>/dev/null |
		sed -n 's/^  MFS overlaps DLMP (\(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)).*/\1 \2/p' |
		head -1 | { read -r a b && [ -n "$b" ] && echo "$((a)) $((b + 1))"; }
}

# bytes [start, end) of a file
slice() { tail -c +"$(($2 + 1))" "$1" | head -c "$(($3 - $2))"; }

# the -w MFS deviation on $img: prints nothing when it holds, else why not
check_mfs_deviation() {
	local out=$1 want=$2 r s e mc
	r=$(mfs_dlmp_overlap "$img")
	[ -n "$r" ] || { echo "no DLMP/MFS overlap reported"; return; }
	read -r s e <<<"$r"
	[ "$(slice "$img" "$s" "$e" | tr -d '\377' | wc -c)" -gt 0 ] ||
		{ echo "overlap all 0xff in the input"; return; }
	cmp -s <(slice "$out" "$s" "$e") <(slice "$img" "$s" "$e") ||
		{ echo "overlap bytes are not the input's"; return; }
	mc=$T/mc.bin
	cp "$out" "$mc"
	head -c "$((e - s))" /dev/zero | tr '\0' '\377' |
		dd of="$mc" bs=4096 seek="$s" oflag=seek_bytes conv=notrunc status=none
	[ "$(sha256sum "$mc" | cut -d' ' -f1)" = "$want" ] ||
		echo "outside $(printf '0x%x-0x%x' "$s" "$e") the output differs from me_cleaner's"
}

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
	g1bare=0 mfsdev=0
	if [ "$ref" = 1 ]; then
		case "$image" in g1_*_rgn*) ref=0 g1bare=1 ;; esac
		case "$image/$run" in *11.8.82.3838_x210*/f_w) ref=0 mfsdev=1 ;; esac
	fi
	ign=0
	case "$image" in *_IGN_*) [ "$code" = 0 ] && ign=1 ;; esac
	if [ "$g1bare" = 1 ]; then
		want=${outputs#out.bin=}
		if [ "$rc" != 0 ] && [ ! -e "$d/out.bin" ] &&
			[ "$(sha256sum "$img" | cut -d' ' -f1)" = "$want" ]; then
			deliberate=$((deliberate + 1))
			ok "$name: refused (deliberate: me_cleaner writes the region back unchanged)"
		else
			bad "$name: exit $rc; a generation 1 bare region must be refused (and me_cleaner must have left it unchanged)"
		fi
	elif [ "$mfsdev" = 1 ]; then
		why=bad
		[ "$rc" = 0 ] && [ -f "$d/out.bin" ] && why=$(check_mfs_deviation "$d/out.bin" "${outputs#out.bin=}")
		if [ -z "$why" ] && "$AMTLESS" verify -q "$d/out.bin" >/dev/null 2>&1; then
			deliberate=$((deliberate + 1))
			ok "$name: deliberate: only the DLMP bytes inside MFS differ (kept)"
		else
			bad "$name: exit $rc: ${why:-amtless verify rejects the output}"
		fi
	elif [ "$ref" = 1 ] || [ "$ign" = 1 ]; then
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
	else
		# sound: neutralized (0) or not (8: e.g. TXE 3/4, whose modules
		# me_cleaner's list would erase with the $CPD directory, are kept)
		"$AMTLESS" verify -q "$d/out.bin" >/dev/null 2>&1
		vr=$?
		if [ "$vr" = 0 ] || [ "$vr" = 8 ]; then
			ok "$name: written, amtless verify finds it sound (exit $vr)"
		else
			bad "$name: exit 0 but amtless verify rejects the output (exit $vr)"
		fi
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
echo "# $match runs byte-identical to me_cleaner 1.2, $deliberate deliberate differences (asserted); $logs runs print exactly what it printed"
tap_end
