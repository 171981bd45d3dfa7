#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `amtless inspect -r` over the real-firmware corpus in one call: a line
# per image, in name order; each JSON line is the document `inspect --json
# IMAGE` prints for that image alone; each text line gives the version
# MANIFEST.tsv records (me_cleaner's column, else the FTPR manifest's), the
# update files fail on their own line (exit code 5 in their document) and
# the run exits 9 for them. Skips (exit 77) when AMTLESS_CORPUS is unset.
# usage: test_inspect_many_corpus.sh AMTLESS JSONTOOL INSPECT_SCHEMA ERROR_SCHEMA
set -u
AMTLESS=$1 JSONTOOL=$2 SCHEMA=$3 ESCHEMA=$4
if [ -z "${AMTLESS_CORPUS:-}" ]; then
	echo "1..0 # SKIP AMTLESS_CORPUS is not set (the real-firmware suite needs the corpus directory)"
	exit 77
fi
M="$AMTLESS_CORPUS/MANIFEST.tsv"
[ -r "$M" ] || { echo "Bail out! $M cannot be read"; exit 1; }
. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
D="$AMTLESS_CORPUS/images"

"$AMTLESS" inspect -r --json "$D" >"$T/lines" 2>"$T/err"
rc=$?
"$AMTLESS" inspect -r "$D" >"$T/text" 2>/dev/null
nupd=$(awk -F'\t' '$7 ~ /^ME update/' "$M" | wc -l)
nfiles=$(find "$D" -type f | wc -l)
if [ "$nupd" -gt 0 ]; then want_rc=9; else want_rc=0; fi
check "exit $want_rc ($nupd update files among $nfiles)" test "$rc" = "$want_rc"
check "one JSON line per image" test "$(wc -l <"$T/lines")" = "$nfiles"
check "one text line per image" test "$(wc -l <"$T/text")" = "$nfiles"
check "in byte order of the names" test "$(cut -d: -f1 "$T/text")" = \
	"$(find "$D" -type f | LC_ALL=C sort)"

i=0
while IFS= read -r l; do
	i=$((i + 1))
	printf '%s\n' "$l" >"$T/l$i.json"
done <"$T/lines"

while IFS=$'\t' read -r file _sha _size _repo _path _commit kind mcver _gen _sku _ev _blob _sigchk cpdver; do
	[ "$file" = file ] && continue
	[ -n "$file" ] || continue
	img="$D/${file#images/}"
	name=$(basename "$file")
	ln=$(grep -n -F -- "\"file\":\"$img\"" "$T/lines" | cut -d: -f1)
	[ -n "$ln" ] || { bad "$name: no JSON line"; continue; }
	tl=$(grep -F -- "$img: " "$T/text")
	if [[ $kind == "ME update"* ]]; then
		check "$name: update file, its own error line (exit code 5)" jis "$T/l$ln.json" exit_code 5
		check "$name: error document valid" "$JSONTOOL" validate "$ESCHEMA" "$T/l$ln.json"
		check "$name: text line says error" test "${tl#"$img: error: "}" != "$tl"
		continue
	fi
	"$AMTLESS" inspect --json "$img" >"$T/single.json" 2>/dev/null
	check "$name: the line is inspect --json IMAGE's document" \
		test "$("$JSONTOOL" canon "$T/l$ln.json")" = "$("$JSONTOOL" canon "$T/single.json")"
	want=""
	if [[ $mcver =~ ^([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+)\  ]]; then
		want=${BASH_REMATCH[1]}
	elif [[ $cpdver =~ FTPR/FTPR\.man@0x[0-9a-f]+:\ ([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+) ]]; then
		want=${BASH_REMATCH[1]}
	fi
	if [ -n "$want" ]; then
		check "$name: text line gives version $want" test "${tl/ $want/}" != "$tl"
	elif [[ $kind == "descriptor only" ]]; then
		check "$name: text line says descriptor only" test "${tl#"$img: descriptor only, "}" != "$tl"
	fi
done < <(tr -d '\r' <"$M")

tap_end
