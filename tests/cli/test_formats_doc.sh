#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The repository stands on its own:
#  - no file outside doc/ refers to the research notes kept outside the
#    repository (anchors*.md, disable-bit-locations.md, live-audit*.md,
#    meanalyzer-notes.md, me_cleaner-issues.md, sources.md, shared/docs) or
#    to paths outside it (../shared, /work/): sources are cited by project
#    and file, facts by doc/formats.md#SECTION;
#  - every doc/formats.md#ANCHOR named anywhere (and every #anchor link
#    inside doc/formats.md) is a heading of doc/formats.md, by GitHub's
#    anchor rule, and no two headings give the same anchor.
# Files: git's tracked and new (not ignored) files; without git, every file
# but .git and build directories.
# usage: test_formats_doc.sh SOURCE_ROOT
set -u
ROOT=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }
cd "$ROOT" || { echo "Bail out! no source root $ROOT"; exit 1; }
SELF=tests/cli/test_formats_doc.sh
DOC=doc/formats.md

# What points outside the repository (extended regular expressions).
NOTES='\.\./shared|/work/|shared/docs|\banchors(-[0-9]{4}-[0-9]{2})?(\.md|[[:space:]]+(B[0-9]|[0-9]+\.[0-9]|section))|disable-bit-locations|meanalyzer-notes|live-audit|me_cleaner-issues|\bsources\.md'
# The one allowed use: .ci/run's default corpus location on the CI machine
# (a place to look for real images, not a source of facts).
ALLOW='^\.ci/run:[0-9]+:.*\.\./shared/corpus'

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard >"$T/files0"
else
	find . \( -name .git -o -path './build*' \) -prune -o -type f -print0 |
		sed -z 's|^\./||' >"$T/files0"
fi
tr '\0' '\n' <"$T/files0" | grep -v -x -e "$SELF" | while IFS= read -r f; do
	[ -f "$f" ] && printf '%s\0' "$f"; done >"$T/all0"
check "the file list is not empty" test -s "$T/all0"
tr '\0' '\n' <"$T/all0" | grep -v '^doc/' | tr '\n' '\0' >"$T/code0"

# The detector itself: it must catch each kind of reference, and not the
# references that are wanted.
printf '%s\n' "anchors.md B3" "(anchors B1)" "anchors-2026-12 1.1: UNKNOWN" "anchors-2026-12.md" \
	"anchors-2026-12 section 3" "../shared/docs/x.md" "/work/shared/corpus" "live-audit.md 2.1" \
	"meanalyzer-notes.md section 3" "disable-bit-locations.md" "sources.md" \
	"me_cleaner-issues.md" >"$T/bad"
printf '%s\n' "doc/formats.md#llut" "MEA.py MN2_Manifest_R0" "coreboot util/ifdtool/ifdtool.h" \
	"HTML anchors" "open sources" >"$T/good"
check "the detector catches every kind of outside reference" \
	test "$(grep -cE "$NOTES" "$T/bad")" = "$(wc -l <"$T/bad")"
check "the detector leaves primary sources and doc/formats.md alone" \
	bash -c "! grep -qE '$NOTES' '$T/good'"

xargs -0 -r grep -InE "$NOTES" -- <"$T/code0" | grep -vE "$ALLOW" >"$T/hits"
check "no file outside doc/ refers to the research notes, ../shared or /work/" \
	test ! -s "$T/hits"
head -20 "$T/hits" | sed 's/^/#   /'

# Anchors of doc/formats.md: GitHub's rule (lower case; letters, digits,
# spaces, '-' and '_' kept; spaces become '-'), headings in code fences
# skipped.
check "$DOC exists" test -s "$DOC"
awk '/^```/ { fence = !fence; next } !fence && /^#+ / { sub(/^#+ +/, ""); print }' "$DOC" |
	tr 'A-Z' 'a-z' | sed -e 's/[^a-z0-9 _-]//g' -e 's/ /-/g' >"$T/anchors"
check "$DOC has headings" test "$(wc -l <"$T/anchors")" -gt 10
sort "$T/anchors" | uniq -d >"$T/dups"
check "no two headings of $DOC give the same anchor" test ! -s "$T/dups"
sed 's/^/#   duplicate anchor: /' "$T/dups"

# References: doc/formats.md#X anywhere, and (#X) links inside the document.
xargs -0 -r grep -IhoE 'doc/formats\.md#[A-Za-z0-9_-]+' -- <"$T/all0" |
	sed 's/.*#//' >"$T/refs"
grep -oE '\]\(#[A-Za-z0-9_-]+\)' "$DOC" | sed -e 's/^](#//' -e 's/)$//' >>"$T/refs"
sort -u "$T/refs" >"$T/refs.u"
check "the sources refer to sections of $DOC" test "$(wc -l <"$T/refs.u")" -gt 10
sort -u "$T/anchors" >"$T/anchors.u"
comm -23 "$T/refs.u" "$T/anchors.u" >"$T/missing"
check "every doc/formats.md#ANCHOR named in the repository is a heading of $DOC" \
	test ! -s "$T/missing"
sed 's/^/#   no such heading: #/' "$T/missing"

check "README.md points to $DOC" grep -qF "($DOC)" README.md
tap_end
