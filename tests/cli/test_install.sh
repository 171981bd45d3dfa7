#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `meson install --destdir`: the program, the man page (with EXAMPLES and a
# SEE ALSO naming flashrom, ifdtool, me_cleaner, MEAnalyzer and fwupd,
# rendered by groff without a warning), the bash and zsh completions (the
# installed bash one completing with the installed program), and every
# doc/*.schema.json, each the same bytes as in the source tree.
# usage: test_install.sh MESON BUILD_DIR SOURCE_DIR BINDIR MANDIR LIBDIR BASHCOMPDIR ZSHCOMPDIR SCHEMADIR
set -u
MESON=$1 BUILD=$2 SRC=$3 BINDIR=$4 MANDIR=$5 LIBDIR=$6 BASHDIR=$7 ZSHDIR=$8 SCHEMADIR=$9
. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
D=$T/dest

"$MESON" install -C "$BUILD" --destdir "$D" --no-rebuild --quiet >"$T/install.log" 2>&1
rc=$?
[ $rc = 0 ] && ok "meson install --destdir" || { bad "meson install: exit $rc"; sed 's/^/#   /' "$T/install.log" | tail -5; tap_end; exit; }

check "program in $BINDIR" test -x "$D$BINDIR/amtless"
MAN=$D$MANDIR/man1/amtless.1
check "man page in $MANDIR/man1" cmp -s "$MAN" "$SRC/man/amtless.1"
check "man page: groff renders it without a warning" \
	bash -c "[ -z \"\$(groff -man -ww -z '$MAN' 2>&1)\" ]"
for s in EXAMPLES 'SEE ALSO' FILES 'EXIT STATUS'; do
	check "man page: a $s section" grep -qx "\.SH \"\?$s\"\?" "$MAN"
done
see=$(sed -n '/^\.SH SEE ALSO/,/^\.SH/p' "$MAN")
for w in 'flashrom (8)' ifdtool me_cleaner MEAnalyzer 'fwupd (8)'; do
	check "SEE ALSO names $w" grep -qF "$w" <<<"$see"
done
check "EXAMPLES use flashrom with a layout file" \
	bash -c "sed -n '/^\.SH EXAMPLES/,/^\.SH/p' '$MAN' | grep -q 'flashrom .*\\\\-l clean.layout'"

BC=$D$BASHDIR/amtless ZC=$D$ZSHDIR/_amtless
check "bash completion in $BASHDIR (named after the command)" cmp -s "$BC" "$SRC/data/completions/amtless.bash"
check "zsh completion in $ZSHDIR" cmp -s "$ZC" "$SRC/data/completions/_amtless"
check "zsh completion starts with #compdef amtless" test "$(head -1 "$ZC")" = "#compdef amtless"
# the installed completion with the installed program
export LD_LIBRARY_PATH="$D$LIBDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
got=$(bash -c ". '$BC'; COMP_WORDS=('$D$BINDIR/amtless' ins); COMP_CWORD=1; _amtless; echo \"\${COMPREPLY[*]}\"")
check "installed bash completion + program: 'amtless ins' -> inspect" test "$got" = inspect
if command -v zsh >/dev/null; then
	check "zsh parses the installed completion" zsh -n "$ZC"
fi

n_src=0
for f in "$SRC"/doc/*.schema.json; do
	n_src=$((n_src + 1))
	b=$(basename "$f")
	check "schema $b installed in $SCHEMADIR" cmp -s "$f" "$D$SCHEMADIR/$b"
done
check "every doc/*.schema.json is installed, nothing else ($n_src)" \
	test "$(ls "$D$SCHEMADIR" | wc -l)" = "$n_src"
tap_end
