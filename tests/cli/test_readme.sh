#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# README's first two commands, as a new user runs them:
#  - line 1 refreshes the package lists before installing (a machine whose
#    lists were never fetched), through sudo for a normal user and without
#    it in a root shell (where sudo may not exist), installs what .ci/run
#    installs to build, builds in build/, and makes its sample under build/
#    (never in the checkout); run here with a fake apt-get, sudo and id, and
#    its demo part run for real in a scratch tree;
#  - line 2 is tests/run-all, which .ci/run runs.
# usage: test_readme.sh README CI_RUN AMTLESS MKIMAGE
set -u
README=$(realpath "$1") CIRUN=$(realpath "$2") AMTLESS=$(realpath "$3") MKIMAGE=$(realpath "$4")
. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# the first fenced block
block=$(awk '/^```/ { if (inb) exit; inb = 1; next } inb' "$README")
first=$(sed -n 1p <<<"$block") second=$(sed -n 2p <<<"$block")
check "README opens with a two-line sh block" test "$(wc -l <<<"$block")" = 2 -a -n "$first"
check "line 2 is tests/run-all" test "$second" = "tests/run-all"
check ".ci/run ends by running it" test "$(grep -v '^\s*#' "$CIRUN" | grep -c '^exec tests/run-all$')" = 1

# ---- line 1: its parts ----
# the build: set up once (a second run of the line must not fail on the
# build directory it made), then ninja
setup='{ [ -f build/build.ninja ] || meson setup build; } && ninja -C build'
install=${first%% && "$setup"*}
demo=${first#"$install && "}
check "line 1 builds with: $setup" test "${demo:0:${#setup}}" = "$setup"
check "apt-get update comes before apt-get install" \
	grep -qE '\$S apt-get update && \$S apt-get install -y ' <<<"$install"
check "no bare sudo (a root shell may have none)" bash -c '! grep -qE "(^|[;&] *)sudo " <<<"$1"' _ "$install"
pk_readme=$(sed 's/.*apt-get install -y //' <<<"$install" | tr ' ' '\n' | sort | tr '\n' ' ')
pk_ci=$(sed -n 's/^pkgs="\(.*\)"$/\1/p' "$CIRUN" | tr ' ' '\n' | sort | tr '\n' ' ')
check "it installs what .ci/run installs to build ($pk_ci)" test -n "$pk_ci" -a "$pk_readme" = "$pk_ci"

# ---- the install part, with a fake apt-get, sudo and id ----
mkdir -p "$T/root" "$T/user"
for who in root user; do
	b=$T/$who
	cat >"$b/apt-get" <<EOF
#!$BASH
echo "apt-get \$* via=\${VIA:-direct}" >>"$b/log"
EOF
	cat >"$b/id" <<EOF
#!$BASH
[ "\$1" = -u ] && echo $([ $who = root ] && echo 0 || echo 1000)
EOF
	chmod +x "$b/apt-get" "$b/id"
done
# a normal user has sudo; the root shell has none on its PATH
cat >"$T/user/sudo" <<EOF
#!$BASH
VIA=sudo exec "\$@"
EOF
chmod +x "$T/user/sudo"
for who in root user; do
	PATH=$T/$who "$BASH" -c "$install" >/dev/null 2>&1
	check "$who: the install part runs" test $? = 0
	via=direct; [ $who = user ] && via=sudo
	check "$who: apt-get update, then install, $via" test "$(cut -d' ' -f2,3 "$T/$who/log" | tr '\n' '|')" = "update via=$via|install -y|"
	check "$who: both $via" test "$(grep -c "via=$via$" "$T/$who/log")" = 2
done
# a failed update stops it (no install from stale lists)
cat >"$T/root/apt-get" <<EOF
#!$BASH
echo "apt-get \$*" >>"$T/root/log2"
[ "\$1" != update ]
EOF
PATH=$T/root "$BASH" -c "$install" >/dev/null 2>&1
check "a failed apt-get update stops the command" test $? != 0 -a "$(cat "$T/root/log2")" = "apt-get update"

# ---- the demo part, for real, in a scratch tree whose build/ holds the programs ----
demo_run=${demo#"$setup && "}
# the setup part, twice, on a small project: the second run reuses build/
P=$T/proj
mkdir -p "$P"
printf "project('p', 'c')\n" >"$P/meson.build"
(cd "$P" && "$BASH" -c "$setup") >/dev/null 2>&1
check "the build part runs on a fresh tree" test $? = 0 -a -f "$P/build/build.ninja"
(cd "$P" && "$BASH" -c "$setup") >/dev/null 2>&1
check "and again on the tree it set up" test $? = 0
check "the demo starts with build/tests/mkimage" test "${demo_run%% *}" = "build/tests/mkimage"
paths=$(grep -oE '(^| )[^ -][^ ]*\.bin' <<<"$demo_run" | tr -d ' ' | sort -u)
check "its sample is under build/ ($paths)" test "$paths" = "build/sample.bin"
S=$T/checkout
mkdir -p "$S/build/tests" "$S/build/cli"
ln -s "$MKIMAGE" "$S/build/tests/mkimage"
ln -s "$AMTLESS" "$S/build/cli/amtless"
(cd "$S" && "$BASH" -c "$demo_run") >"$T/demo.out" 2>&1
check "the demo runs (exit 0)" test $? = 0
check "it wrote build/sample.bin" test -s "$S/build/sample.bin"
check "nothing outside build/" test "$(cd "$S" && ls -A)" = build
check "it showed the image and the plan" grep -q "Dry run: nothing was written." "$T/demo.out"
(cd "$S" && "$BASH" -c "$demo_run") >/dev/null 2>&1
check "and runs again on the same tree" test $? = 0

tap_end
