#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The shared library exports exactly the (non-inline) functions declared in
# the public headers: nothing internal leaks, nothing public is missing.
# usage: test_exports.sh LIBAMTLESS_SO INCLUDE_DIR
set -u
SO=$1 INC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }
command -v nm >/dev/null || { echo "1..0 # SKIP nm is not installed"; exit 77; }

nm -D --defined-only "$SO" | awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' | sort -u >"$T/exported"
# declarations: "name(" in the headers (and the template of the generated
# version.h), minus static inline helpers
cat "$INC"/amtless/*.h "$INC"/amtless/*.h.in | grep -v 'static inline' | grep -oE '\bamt_[a-z0-9_]+[[:space:]]*\(' |
	tr -d '( \t' | sort -u >"$T/declared"
check "every exported symbol is declared in a public header" \
	test -z "$(comm -23 "$T/exported" "$T/declared")"
comm -23 "$T/exported" "$T/declared" | sed 's/^/#   internal but exported: /'
check "every public function is exported" test -z "$(comm -13 "$T/exported" "$T/declared")"
comm -13 "$T/exported" "$T/declared" | sed 's/^/#   declared but not exported: /'
check "the library exports something" test -s "$T/exported"
tap_end
