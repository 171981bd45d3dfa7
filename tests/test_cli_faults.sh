#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The amtless program under hostile conditions:
#  - inputs that are not images (missing, directory, FIFO, /dev/zero, empty,
#    1 byte, 1 GiB sparse, symlinks, read-only) get a clear error, the
#    documented exit code, and finish (no hang: each run has a time limit);
#  - names read from images (any byte) are escaped in text and JSON output,
#    and nothing from an image reaches a format string;
#  - outputs (neutralize, me_cleaner, once they exist): a read-only target
#    directory, a symlink at the destination, input == output; the
#    destination is the old file or the complete new one, no temp files.
# Any sanitizer report on stderr fails the case.
#
#   test_cli_faults.sh AMTLESS HOSTILE_WRITE [MKIMAGE]
set -u
A=$1
HW=$2
MK=${3:-}
T=$(mktemp -d "${TMPDIR:-/tmp}/amtless-cli-XXXXXX")
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT INT TERM

pass=0
fail=0
skip=0
ok() { pass=$((pass + 1)); echo "ok   - $*"; }
bad() { fail=$((fail + 1)); echo "FAIL - $*"; }
skipped() { skip=$((skip + 1)); echo "skip - $*"; }

# run NAME ARGS...: run with a time limit; sets rc, out, err files.
run() {
	name=$1
	shift
	out=$T/$name.out
	err=$T/$name.err
	if command -v timeout >/dev/null 2>&1; then
		timeout 60 "$@" >"$out" 2>"$err" </dev/null
	else
		"$@" >"$out" 2>"$err" </dev/null
	fi
	rc=$?
	if grep -q -E 'runtime error:|Sanitizer|LeakSanitizer' "$err"; then
		bad "$name: sanitizer report"
		sed -n 1,20p "$err"
		rc=999
	fi
	if [ $rc -eq 124 ]; then
		bad "$name: did not finish within 60 s"
	fi
}

# expect NAME RC WORDS ARGS...: exit code RC, stderr containing WORDS.
expect() {
	ename=$1
	erc=$2
	words=$3
	shift 3
	run "$ename" "$@"
	[ $rc -eq 999 ] || [ $rc -eq 124 ] && return
	if [ $rc -ne "$erc" ]; then
		bad "$ename: exit $rc, expected $erc ($(head -c 300 "$err"))"
	elif [ -n "$words" ] && ! grep -q -F -- "$words" "$err"; then
		bad "$ename: stderr lacks '$words': $(head -c 300 "$err")"
	else
		ok "$ename (exit $rc)"
	fi
}

# json_ok FILE: a JSON document (python3 when available)
json_ok() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$1"
	else
		return 0
	fi
}

# ---- inputs: amtless inspect ---------------------------------------------

run probe "$A" inspect --help
if grep -q "not available yet" "$err"; then
	skipped "inspect: not available yet"
	have_inspect=no
else
	have_inspect=yes
fi

if [ $have_inspect = yes ]; then
	expect missing 3 "$T/nope" "$A" inspect "$T/nope"
	expect directory 3 "directory" "$A" inspect "$T"
	mkfifo "$T/fifo"
	expect fifo 3 "not a regular file" "$A" inspect "$T/fifo"
	if [ -c /dev/zero ]; then
		expect dev-zero 3 "not a regular file" "$A" inspect /dev/zero
	fi
	: >"$T/empty"
	expect empty 3 "empty" "$A" inspect "$T/empty"
	printf 'Z' >"$T/one"
	expect one-byte 4 "" "$A" inspect "$T/one"
	if truncate -s 1G "$T/sparse" 2>/dev/null; then
		expect sparse-1g 3 "larger than any SPI flash" "$A" inspect "$T/sparse"
		rm -f "$T/sparse"
	else
		skipped "sparse-1g: cannot create a sparse file"
	fi
	ln -s "$T/nowhere" "$T/dangling"
	expect dangling-symlink 3 "cannot open" "$A" inspect "$T/dangling"
	ln -s /dev/zero "$T/zlink"
	expect symlink-to-device 3 "not a regular file" "$A" inspect "$T/zlink"

	# every hand-made image: a model or a clear error, never a crash
	for k in gen2 gen1 cse bpdt ifwi17 full; do
		"$HW" "$k" "$T/$k.bin" || { bad "hostile_write $k"; continue; }
		run "image-$k" "$A" inspect --no-color "$T/$k.bin"
		case $rc in
		0 | 1 | 4 | 5 | 6) ok "image-$k (exit $rc)" ;;
		999 | 124) ;;
		*) bad "image-$k: exit $rc: $(head -c 300 "$err")" ;;
		esac
		run "json-$k" "$A" inspect --json "$T/$k.bin"
		if [ $rc -eq 0 ]; then
			if json_ok "$out"; then ok "json-$k parses"; else bad "json-$k: invalid JSON"; fi
		fi
	done

	# a symlink to an image and a read-only copy read like the image itself
	cp "$T/full.bin" "$T/ro.bin"
	chmod 0444 "$T/ro.bin"
	ln -s "$T/full.bin" "$T/link.bin"
	run direct "$A" inspect --no-color --json "$T/full.bin"
	drc=$rc
	run via-symlink "$A" inspect --no-color --json "$T/link.bin"
	[ $rc -eq $drc ] && ok "symlink input (exit $rc)" || bad "symlink input: exit $rc, direct $drc"
	run read-only "$A" inspect --no-color --json "$T/ro.bin"
	[ $rc -eq $drc ] && ok "read-only input (exit $rc)" || bad "read-only input: exit $rc, direct $drc"

	# names with control bytes, escape sequences, format directives
	"$HW" evilnames "$T/evil.bin" || bad "hostile_write evilnames"
	run evil-text "$A" inspect --no-color "$T/evil.bin"
	if [ $rc -eq 999 ] || [ $rc -eq 124 ]; then
		:
	elif [ $rc -ne 0 ]; then
		bad "evil-text: exit $rc: $(head -c 300 "$err")"
	else
		# no ESC, DEL, C0 control (other than tab/newline) in stdout
		if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$out"; then
			bad "evil-text: raw control bytes reach the terminal"
		else
			ok "evil-text: control bytes escaped"
		fi
		if grep -q -F '%n%s%x%n' "$out"; then
			ok "evil-text: format directives printed literally"
		else
			bad "evil-text: the module name '%n%s%x%n...' is missing from the text output"
		fi
	fi
	run evil-json "$A" inspect --json "$T/evil.bin"
	if [ $rc -eq 0 ]; then
		if json_ok "$out"; then ok "evil-json parses"; else bad "evil-json: invalid JSON"; fi
		# JSON forbids raw C0 controls in strings (DEL is allowed)
		if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037]')" "$out"; then
			bad "evil-json: raw control bytes in JSON"
		else
			ok "evil-json: control bytes escaped"
		fi
		grep -q -F '%n%s%x%n' "$out" && ok "evil-json: format directives literal" ||
			bad "evil-json: module name missing"
	elif [ $rc -ne 999 ] && [ $rc -ne 124 ]; then
		bad "evil-json: exit $rc"
	fi
fi

# ---- outputs: neutralize / me_cleaner --------------------------------------

# no_temps DIR: no temporary file left behind
no_temps() {
	if ls -a "$1" | grep -q '^\.amtless-'; then
		bad "$2: temporary file left in $1"
	else
		ok "$2: no temporary file left"
	fi
}

# run_out MODE NAME INPUT OUTPUT [PREFIX...]: run the writing subcommand
run_out() {
	rmode=$1
	rname=$2
	rin=$3
	rout=$4
	shift 4
	case $rmode in
	neutralize) run "$rname" "$@" "$A" neutralize "$rin" -o "$rout" ;;
	me_cleaner) run "$rname" "$@" "$A" me_cleaner -O "$rout" "$rin" ;;
	esac
}

# out_failed: the last run failed as an output error should: amtless
# exits 7; the me_cleaner drop-in exits non-zero (me_cleaner's convention)
out_failed() {
	if [ "$oname" = neutralize ]; then
		[ $rc -eq 7 ]
	else
		[ $rc -ne 0 ] && [ $rc -lt 64 ]
	fi
}

# out_cases MODE
out_cases() {
	oname=$1
	if [ "$oname" = neutralize ]; then want_rc=7; else want_rc="non-zero"; fi
	d=$T/out-$oname
	mkdir -p "$d"
	# a valid image from the test builder when there is one: the first
	# kind the subcommand accepts (baseline below)
	"$HW" full "$d/in.bin" || bad "hostile_write full"
	base_kind=hand-made
	if [ -n "$MK" ]; then
		for kind in full-me11 full-me8 full-me4; do
			"$MK" --kind $kind "$d/try.bin" >/dev/null 2>&1 || continue
			run_out "$oname" "$oname-try-$kind" "$d/try.bin" "$d/try-out.bin"
			if [ $rc -eq 0 ]; then
				mv "$d/try.bin" "$d/in.bin"
				base_kind=$kind
				break
			fi
		done
		rm -f "$d/try.bin" "$d/try-out.bin"
	fi
	cp "$d/in.bin" "$d/orig.bin"

	# names from the image never reach the terminal raw (progress output)
	"$HW" evilnames "$d/evil.bin" || bad "hostile_write evilnames"
	cp "$d/orig.bin" "$d/base-in.bin"
	run_out "$oname" "$oname-evil-names" "$d/evil.bin" "$d/evil-out.bin"
	if cat "$out" "$err" | LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')"; then
		bad "$oname-evil-names: raw control bytes from module names printed (exit $rc): $(cat "$out" "$err" | LC_ALL=C grep "$(printf '[\001-\010\013-\037\177]')" | head -2 | cat -v)"
	else
		ok "$oname-evil-names: names escaped (exit $rc)"
	fi

	# baseline: the subcommand must succeed on this input for the output
	# failure cases below to mean anything
	run_out "$oname" "$oname-baseline" "$d/in.bin" "$d/base-out.bin"
	if [ $rc -ne 0 ]; then
		skipped "$oname output cases: baseline run failed (exit $rc: $(head -c 200 "$err"))"
		return
	fi
	ok "$oname-baseline ($base_kind)"
	no_temps "$d" "$oname-baseline"

	# a symlink at the destination is replaced, never followed
	printf 'victim: must not change' >"$d/victim"
	ln -s "$d/victim" "$d/out-link.bin"
	run_out "$oname" "$oname-symlink" "$d/in.bin" "$d/out-link.bin"
	if [ "$(cat "$d/victim")" = "victim: must not change" ] && [ $rc -eq 0 ] &&
		[ ! -L "$d/out-link.bin" ] && cmp -s "$d/out-link.bin" "$d/base-out.bin"; then
		ok "$oname-symlink: symlink replaced by the result, its target untouched"
	else
		bad "$oname-symlink: exit $rc, or wrote through the symlink, or a different result"
	fi
	no_temps "$d" "$oname-symlink"

	# input == output: the old file or the complete new one
	cp "$d/orig.bin" "$d/same.bin"
	run_out "$oname" "$oname-same-path" "$d/same.bin" "$d/same.bin"
	if [ $rc -ne 0 ] && ! cmp -s "$d/same.bin" "$d/orig.bin"; then
		bad "$oname-same-path: failed (exit $rc) and the input changed"
	elif [ $rc -eq 0 ] && ! cmp -s "$d/same.bin" "$d/base-out.bin"; then
		bad "$oname-same-path: the result differs from writing to another file"
	else
		ok "$oname-same-path (exit $rc: old file or the complete new one)"
	fi
	no_temps "$d" "$oname-same-path"

	# a read-only target directory: exit 7, nothing written
	mkdir -p "$d/ro"
	cp "$d/orig.bin" "$d/ro/old.bin"
	chmod 0555 "$d/ro"
	if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
		chmod 0755 "$T" "$d"
		chmod 0644 "$d/in.bin"
		run_out "$oname" "$oname-ro-dir" "$d/in.bin" "$d/ro/old.bin" setpriv --reuid=65534 --regid=65534 --clear-groups
		ro_tested=yes
	elif [ "$(id -u)" -ne 0 ]; then
		run_out "$oname" "$oname-ro-dir" "$d/in.bin" "$d/ro/old.bin"
		ro_tested=yes
	else
		skipped "$oname-ro-dir: root without setpriv ignores directory permissions"
		ro_tested=no
	fi
	if [ $ro_tested = yes ]; then
		if out_failed && cmp -s "$d/ro/old.bin" "$d/orig.bin" && grep -q -F "$d/ro" "$err"; then
			ok "$oname-ro-dir: exit $rc, old file intact"
		else
			bad "$oname-ro-dir: exit $rc (expected $want_rc), or the old file changed, or no message naming the output: $(head -c 200 "$err")"
		fi
		no_temps "$d/ro" "$oname-ro-dir"
	fi
	chmod 0755 "$d/ro"

	# the output is a directory: exit 7
	mkdir -p "$d/isdir"
	run_out "$oname" "$oname-out-dir" "$d/in.bin" "$d/isdir"
	if out_failed && [ -d "$d/isdir" ]; then ok "$oname-out-dir: exit $rc"; else bad "$oname-out-dir: exit $rc (expected $want_rc)"; fi
	no_temps "$d" "$oname-out-dir"
}

run nprobe "$A" neutralize --help
if grep -q "not available yet" "$err"; then
	skipped "neutralize output cases: not available yet"
elif ! grep -q -- "-o" "$out" "$err"; then
	skipped "neutralize output cases: no -o option in --help"
else
	out_cases neutralize
fi
run mprobe "$A" me_cleaner --help
if grep -q "not available yet" "$err"; then
	skipped "me_cleaner output cases: not available yet"
else
	out_cases me_cleaner
fi

# ---- extract: symlinks planted in the output directory -------------------

run xprobe "$A" extract --help
if grep -q "not available yet" "$err"; then
	skipped "extract cases: not available yet"
elif [ -z "$MK" ]; then
	skipped "extract cases: no mkimage"
else
	x=$T/extract
	mkdir -p "$x/out" "$x/elsewhere"
	"$MK" --kind full-me11 "$x/in.bin" >/dev/null 2>&1 || bad "mkimage full-me11"
	printf 'victim: must not change' >"$x/victim"
	ln -s "$x/victim" "$x/out/descriptor.bin"
	ln -s "$x/elsewhere" "$x/out/partitions"
	ln -s "$x/elsewhere" "$x/out/modules"
	run extract-symlinks "$A" extract --force -d "$x/out" "$x/in.bin"
	if [ "$(cat "$x/victim")" != "victim: must not change" ]; then
		bad "extract-symlinks: wrote through a symlink at descriptor.bin (exit $rc)"
	elif [ -n "$(ls -A "$x/elsewhere")" ]; then
		bad "extract-symlinks: wrote through a symlinked directory into $(ls -A "$x/elsewhere" | head -3 | tr '\n' ' ')"
	else
		ok "extract-symlinks: nothing written through planted symlinks (exit $rc)"
	fi
	# names from the image cannot climb out of the directory
	"$HW" evilnames "$x/evil.bin" || bad "hostile_write evilnames"
	mkdir -p "$x/out2"
	run extract-evil "$A" extract -d "$x/out2" "$x/evil.bin"
	outside=$(find "$x" -newer "$x/evil.bin" -type f ! -path "$x/out2/*" ! -name '*.out' ! -name '*.err' | head -3)
	if [ -n "$outside" ]; then
		bad "extract-evil: files written outside the directory: $outside"
	elif find "$x/out2" -name '*[[:cntrl:]]*' | grep -q .; then
		bad "extract-evil: control bytes in a file name"
	else
		ok "extract-evil: names made safe, nothing outside the directory (exit $rc)"
	fi
fi

echo "# $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ] || exit 1
[ $pass -eq 0 ] && exit 77
exit 0
