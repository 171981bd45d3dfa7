#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# README.md and man/amtless.1 list the platform table exactly as the
# library holds it: the text between their "platforms" markers must be
# what tests/gen_platform_doc prints (run it to regenerate them).
# usage: test_platform_doc.sh GEN_PLATFORM_DOC README MANPAGE
set -u
GEN=$1 README=$2 MAN=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }

"$GEN" --markdown >"$T/md" && "$GEN" --roff >"$T/roff"
check "the generator runs" test -s "$T/md" -a -s "$T/roff"
sed -n '/^<!-- BEGIN platforms -->$/,/^<!-- END platforms -->$/p' "$README" | sed '1d;$d' >"$T/readme"
sed -n '/^\.\\" BEGIN platforms$/,/^\.\\" END platforms$/p' "$MAN" | sed '1d;$d' >"$T/man"
check "README.md has the platforms block" test -s "$T/readme"
check "man/amtless.1 has the platforms block" test -s "$T/man"
check "README.md platform table matches the library's table" cmp -s "$T/md" "$T/readme"
diff "$T/md" "$T/readme" | head -5 | sed 's/^/#   /'
check "man/amtless.1 platform table matches the library's table" cmp -s "$T/roff" "$T/man"
diff "$T/roff" "$T/man" | head -5 | sed 's/^/#   /'
# every key appears in --help's keys of the man page text, no option names inside
check "no command-line option inside the table text" bash -c "! grep -q -- ' --[a-z]' '$T/md'"
tap_end
