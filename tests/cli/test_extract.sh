#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# CLI tests of `amtless extract` on synthetic images made by mkimage.
# usage: test_extract.sh AMTLESS MKIMAGE JSONTOOL SCHEMA
# With AMTLESS_CORPUS set, the --json output on each corpus image is also
# checked against SCHEMA (doc/extract.schema.json).
set -u
AMTLESS=$(realpath "$1") MKIMAGE=$(realpath "$2") JSONTOOL=$(realpath "$3") SCHEMA=$(realpath "$4")
for x in "$AMTLESS" "$MKIMAGE" "$JSONTOOL"; do [ -x "$x" ] || { echo "Bail out! $x is missing"; exit 1; }; done
[ -f "$SCHEMA" ] || { echo "Bail out! $SCHEMA is missing"; exit 1; }
. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }
T=$(mktemp -d)
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
cd "$T" || exit 1

sha() { sha256sum "$1" | cut -d' ' -f1; }
# bytes [off, off+len) of a file
slice() { tail -c +"$(($2 + 1))" "$1" | head -c "$3"; }

for k in full-me8 full-me11 me11 full-ifwi17; do
	"$MKIMAGE" --kind "$k" "$T/$k.bin" >/dev/null || { echo "Bail out! mkimage $k failed"; exit 1; }
done
"$MKIMAGE" --kind full-me8 --odd-name "$T/odd.bin" >/dev/null || { echo "Bail out! mkimage --odd-name"; exit 1; }

# ---- help and usage ----
expect_rc 0 "--help" "$AMTLESS" extract --help
check "help lists the exit codes" has "$T/out" "Exit codes:"
check "help documents --unpack" has "$T/out" "--unpack"
expect_rc 2 "no IMAGE" "$AMTLESS" extract
expect_rc 2 "unknown option" "$AMTLESS" extract --bogus full-me8.bin
expect_rc 2 "-d without DIR" "$AMTLESS" extract full-me8.bin -d
expect_rc 3 "missing IMAGE" "$AMTLESS" extract -d x "$T/nope.bin"
check "nothing created for a missing IMAGE" test ! -e x

# ---- default: everything, into IMAGE.extracted ----
expect_rc 0 "extract full-me8" "$AMTLESS" extract full-me8.bin
D=full-me8.bin.extracted
check "regions written" test -f $D/descriptor.bin -a -f $D/me.bin -a -f $D/bios.bin
check "partitions written" test -f $D/partitions/FTPR.bin
check "modules written" test -n "$(ls $D/modules/FTPR/)"
check "me.bin is the ME region (0x1000, 256 KiB)" \
	test "$(sha $D/me.bin)" = "$(slice full-me8.bin 4096 262144 | sha256sum | cut -d' ' -f1)"
check "descriptor.bin is the first 4 KiB" \
	test "$(sha $D/descriptor.bin)" = "$(slice full-me8.bin 0 4096 | sha256sum | cut -d' ' -f1)"
check "the listing names me.bin" has out "me.bin"
check "Huffman modules are skipped with a reason" has out "Huffman"
expect_rc 7 "refuses a non-empty DIR" "$AMTLESS" extract full-me8.bin
check "the refusal says --force" has err "--force"
before=$(sha $D/me.bin)
expect_rc 0 "--force writes into it" "$AMTLESS" extract --force full-me8.bin
check "same bytes after --force" test "$(sha $D/me.bin)" = "$before"

# ---- JSON listing: path, offset, size, sha256 of each file ----
expect_rc 0 "--json" "$AMTLESS" extract --json -d j full-me11.bin
cp out j.json
check "schema name" test "$(jget j.json schema)" = "amtless-extract"
check "written is true" test "$(jget j.json written)" = "true"
nf=$(grep -c '"path"' j.json)
i=0 allgood=1 nfiles=0
while [ $i -lt 400 ]; do
	p=$(jget j.json "files.$i.path" 2>/dev/null) || break
	want=$(jget j.json "files.$i.sha256")
	size=$(jget j.json "files.$i.size")
	[ -f "j/$p" ] && [ "$(sha "j/$p")" = "$want" ] && [ "$(stat -c %s "j/$p")" = "$size" ] || { allgood=0; echo "# $p"; }
	off=$(jget j.json "files.$i.offset")
	[ "$(slice full-me11.bin "$off" "$size" | sha256sum | cut -d' ' -f1)" = "$want" ] || { allgood=0; echo "# $p not at $off"; }
	i=$((i + 1)) nfiles=$((nfiles + 1))
done
check "every listed file exists with its sha256, size and image bytes ($nfiles)" test $allgood = 1 -a $nfiles -gt 5
check "as many files on disk as listed" test "$(find j -type f | wc -l)" = "$nfiles"

# ---- --list writes nothing ----
expect_rc 0 "--list" "$AMTLESS" extract --list -d l full-me11.bin
check "--list creates no directory" test ! -e l
check "--list prints me.bin" has out "me.bin"
expect_rc 0 "--list --json" "$AMTLESS" extract --list --json -d l full-me11.bin
check "--list --json: written is false" test "$(jget out written)" = "false"
check "--list --json: nothing created" test ! -e l

# ---- selection ----
expect_rc 0 "--regions" "$AMTLESS" extract --regions -d r full-me11.bin
check "--regions: no partitions/ nor modules/" test -f r/me.bin -a ! -e r/partitions -a ! -e r/modules
expect_rc 0 "--modules --partitions" "$AMTLESS" extract --modules --partitions -d mp full-me11.bin
check "--modules --partitions: no regions" test ! -e mp/me.bin -a -d mp/modules -a -d mp/partitions
expect_rc 0 "--only ME" "$AMTLESS" extract --only ME -d o1 full-me11.bin
check "--only ME: me.bin alone" test "$(cd o1 && find . -type f)" = "./me.bin"
expect_rc 0 "--only bios (case-insensitive region)" "$AMTLESS" extract --only bios -d o2 full-me11.bin
check "--only bios: bios.bin" test -f o2/bios.bin
expect_rc 0 "--only FTPR/kernel" "$AMTLESS" extract --only FTPR/kernel -d o3 full-me11.bin
check "--only FTPR/kernel: that module alone" test "$(cd o3 && find . -type f)" = "./modules/FTPR/kernel.bin"
expect_rc 0 "--only partitions/FTPR.bin (a path)" "$AMTLESS" extract --only partitions/FTPR.bin -d o4 full-me11.bin
check "--only by path" test -f o4/partitions/FTPR.bin
expect_rc 2 "--only a name that is not there" "$AMTLESS" extract --only NOPE -d o5 full-me11.bin
check "the error says nothing is named so" has err "nothing named 'NOPE'"
check "nothing created" test ! -e o5
# a module name in two partitions: NFTP's first module renamed "kernel"
perl -0777 -pe 's/mca_srv\0/kernel\0\0/' full-me11.bin >amb.bin
expect_rc 2 "--only an ambiguous name" "$AMTLESS" extract --only kernel -d o6 amb.bin
check "the error lists both paths" bash -c "grep -qF modules/FTPR/kernel.bin '$T/err' && grep -qF modules/NFTP/kernel.bin '$T/err'"
check "nothing created" test ! -e o6
expect_rc 0 "--only NFTP/kernel disambiguates" "$AMTLESS" extract --only NFTP/kernel -d o7 amb.bin
check "--only NFTP/kernel: that module" test "$(cd o7 && find . -type f)" = "./modules/NFTP/kernel.bin"

# ---- --unpack ----
expect_rc 0 "--unpack on gen 2" "$AMTLESS" extract --unpack --json -d u full-me8.bin
cp out u.json
check "an unpacked module file exists" test -n "$(find u -name '*.unpacked.bin')"
check "its stored hash covers the unpacked bytes" has u.json '"hash": "unpacked"'
check "no hash mismatch" bash -c "! grep -q '\"hash\": \"mismatch\"' u.json"
check "the gen 2 Huffman module (LLUT chunks) is unpacked" test -f u/modules/FTPR/POLICY.unpacked.bin
check "its unpacked size is its one 0x400-byte page" test "$(stat -c %s u/modules/FTPR/POLICY.unpacked.bin)" = 1024
check "no Huffman module left packed" test -z "$(jget u.json huffman_not_unpacked.0 2>/dev/null)"

# ---- names from the image are made safe ----
expect_rc 0 "odd module name" "$AMTLESS" extract -d odd odd.bin
check "01 FF 22 'odd' escaped as _x01_xff_x22odd.bin" test -f "odd/modules/FTPR/_x01_xff_x22odd.bin"
check "no control byte in any name" bash -c "! find odd -name '*[[:cntrl:]]*' | grep -q ."

# ---- never through symlinks, never outside DIR ----
mkdir -p outside s1
ln -s "$T/outside" s1/modules
expect_rc 7 "a symlinked subdirectory stops the extraction" "$AMTLESS" extract --force -d s1 full-me11.bin
check "the error names the file" has err "s1/modules/"
check "the error says symbolic link" has err "symbolic link"
check "nothing written through it" test -z "$(ls outside)"
mkdir -p s2 && echo secret >outside/target && ln -s "$T/outside/target" s2/me.bin
expect_rc 7 "an existing symlink file without --force" "$AMTLESS" extract --only ME -d s2/ full-me11.bin
expect_rc 0 "--force replaces the symlink itself" "$AMTLESS" extract --force --only ME -d s2 full-me11.bin
check "the symlink's target is untouched" test "$(cat outside/target)" = secret
check "me.bin is now a regular file" test -f s2/me.bin -a ! -L s2/me.bin
mkdir -p s3 && echo x >s3/partitions
expect_rc 7 "a file where a directory must go" "$AMTLESS" extract --force -d s3 full-me11.bin
check "the error names the file" has err "s3/partitions/"
check "the error says it stopped" has err "stopped"
echo x >notadir
expect_rc 7 "DIR is a file" "$AMTLESS" extract -d notadir full-me11.bin

# ---- inputs ----
"$MKIMAGE" --kind update "$T/upd.bin" >/dev/null
expect_rc 5 "an update file" "$AMTLESS" extract -d upd upd.bin
check "nothing created for an update file" test ! -e upd
"$MKIMAGE" --kind unknown "$T/unk.bin" >/dev/null
expect_rc 4 "an unknown file" "$AMTLESS" extract -d unk unk.bin
expect_rc 0 "a bare region has no regions, only partitions/modules" "$AMTLESS" extract -d bare me11.bin
check "bare region: no me.bin" test ! -e bare/me.bin -a -d bare/partitions
expect_rc 0 "an IFWI image" "$AMTLESS" extract -d ifwi full-ifwi17.bin
check "IFWI: partitions written" test -n "$(ls ifwi/partitions)"

# ---- every --json document matches doc/extract.schema.json ----
valid() { "$JSONTOOL" validate "$SCHEMA" "$1"; }
invalid() { ! "$JSONTOOL" validate "$SCHEMA" "$1" 2>/dev/null; }
check "schema: --json -d (written)" valid j.json
check "schema: --unpack --json (unpacked files)" valid u.json
sed 's/"schema": "amtless-extract"/"schema": "x"/' j.json >bad1.json
check "schema checker rejects a wrong schema name" invalid bad1.json
sed '0,/"kind": "region"/s//"kind": "region", "extra": 1/' j.json >bad2.json
check "schema checker rejects an undocumented file key" invalid bad2.json
sed '0,/"offset": \([0-9]*\)/s//"offset": "\1"/' j.json >bad3.json
check "schema checker rejects a string offset" invalid bad3.json
sed '0,/"hash": "unpacked"/s//"hash": "maybe"/' u.json >bad4.json
check "schema checker rejects an unknown hash verdict" invalid bad4.json
sed '0,/"path": "[^"]*"/s//"path": "..\/x.bin"/' j.json >bad5.json
check "schema checker rejects a path leaving DIR" invalid bad5.json
for k in $("$MKIMAGE" --list); do
	"$MKIMAGE" --kind "$k" "$T/s-$k.bin" >/dev/null || { bad "mkimage $k"; continue; }
	"$AMTLESS" extract --list --unpack --json "$T/s-$k.bin" >"$T/s-$k.json" 2>/dev/null
	rc=$?
	case $k in
	update | unknown)       # refused before any listing: no JSON
		check "kind $k: refused (exit $rc), no JSON" test "$rc" -ne 0 -a ! -s "$T/s-$k.json" ;;
	*)
		check "kind $k: --list --unpack --json matches the schema (exit $rc)" valid "$T/s-$k.json" ;;
	esac
done
"$AMTLESS" extract --list --json odd.bin >odd.json 2>/dev/null
check "odd names: JSON matches the schema" valid odd.json
check "odd names: escaped in the JSON path" has odd.json '_x01_xff_x22odd.bin'
if [ -n "${AMTLESS_CORPUS:-}" ] && [ -d "$AMTLESS_CORPUS/images" ]; then
	for f in "$AMTLESS_CORPUS"/images/*; do
		"$AMTLESS" extract --list --unpack --json "$f" >c.json 2>/dev/null
		rc=$?
		if [ -s c.json ]; then
			check "corpus ${f##*/}: JSON matches the schema (exit $rc)" valid c.json
		else
			check "corpus ${f##*/}: no JSON only when refused (exit $rc)" test "$rc" -ne 0
		fi
	done
else
	echo "# AMTLESS_CORPUS not set: corpus JSON not checked against the schema"
fi

tap_end
