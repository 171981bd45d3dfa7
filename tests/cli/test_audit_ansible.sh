#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The audit inside Ansible, with the real ansible-core on localhost
# (connection local, nothing leaves the machine):
#  - the ad-hoc command of the docs, `ansible all -m setup -a
#    filter=ansible_local`, with the facts.d executable (build/data/amtless.fact)
#    pointed at fixture trees (AMTLESS_AUDIT_ROOT -> --root);
#  - the example playbook examples/ansible/amtless-fleet.yml over one host
#    per fixture tree (plus one host whose amtless is missing): every
#    verdict reaches the CSV and JSON summaries intact.
# Expectations come from `amtless audit --format json` run directly.
# usage: test_audit_ansible.sh AMTLESS JSONTOOL FACT_SCRIPT PLAYBOOK FIXTURES_DIR
set -u
AMTLESS=$1 JSONTOOL=$2 FACT=$3 PLAYBOOK=$4 FIX=$5
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh" || { echo "Bail out! lib.sh missing"; exit 1; }
for p in ansible ansible-playbook; do
	command -v "$p" >/dev/null || { echo "1..0 # SKIP $p is not installed (Debian package ansible-core; .ci/run installs it)"; exit 77; }
done
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)

# Ansible's own state stays in the scratch directory; no user or system config.
export ANSIBLE_CONFIG="$T/ansible.cfg" ANSIBLE_LOCAL_TEMP="$T/tmp-local" ANSIBLE_REMOTE_TMP="$T/tmp-remote"
export ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_PYTHON_INTERPRETER="$PY"
export ANSIBLE_DEPRECATION_WARNINGS=0 ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0
: >"$ANSIBLE_CONFIG"
mkdir -p "$T/facts.d" "$T/summary" "$T/direct"
cp "$FACT" "$T/facts.d/amtless.fact" && chmod 755 "$T/facts.d/amtless.fact"
FIX=$(cd "$FIX" && pwd)
case $AMTLESS in /*) ;; *) AMTLESS=$PWD/$AMTLESS ;; esac

fixtures=()
for d in "$FIX"/*/; do
	fx=$(basename "$d")
	fixtures+=("$fx")
	"$AMTLESS" audit --root "$d" --format json --exit-zero >"$T/direct/$fx.json" 2>/dev/null
done
check "fixture trees found" test "${#fixtures[@]}" -ge 20

# 1. the ad-hoc command, as the docs give it
for fx in hap_mtl corporate_adl_unprovisioned recovery_p14s; do
	rm -rf "$T/tree"
	AMTLESS="$AMTLESS" AMTLESS_AUDIT_ROOT="$FIX/$fx" \
		ansible all -i 'localhost,' -c local -m setup -a "filter=ansible_local fact_path=$T/facts.d" \
		-t "$T/tree" >"$T/adhoc.out" 2>&1
	rc=$?
	[ $rc = 0 ] && ok "ad-hoc setup on $fx" || { bad "ad-hoc setup on $fx: exit $rc"; sed 's/^/#   /' "$T/adhoc.out" | head -5; }
	f="$T/tree/localhost"
	for k in verdict exit_code me.state conditions.cpu_vpro conditions.amt_nic conditions.corporate_me \
		summary.me amt.root_can_provision; do
		want=$("$JSONTOOL" get "$T/direct/$fx.json" "$k")
		got=$("$JSONTOOL" get "$f" "ansible_facts.ansible_local.amtless.$k" 2>/dev/null)
		[ "$got" = "$want" ] && ok "ad-hoc $fx: $k" || bad "ad-hoc $fx: $k is '$got', want '$want'"
	done
done

# 2. the example playbook over the whole fleet of fixtures
{
	echo "[fleet]"
	for fx in "${fixtures[@]}"; do
		printf "%s ansible_connection=local amtless_fact_path=%s amtless_environment='{\"AMTLESS\": \"%s\", \"AMTLESS_AUDIT_ROOT\": \"%s\"}'\n" \
			"$fx" "$T/facts.d" "$AMTLESS" "$FIX/$fx"
	done
	printf "broken-host ansible_connection=local amtless_fact_path=%s amtless_environment='{\"AMTLESS\": \"/nonexistent/amtless\"}'\n" "$T/facts.d"
} >"$T/inventory"
ansible-playbook -i "$T/inventory" "$PLAYBOOK" -e "amtless_summary_dir=$T/summary" -f 4 >"$T/playbook.out" 2>&1
rc=$?
[ $rc = 0 ] && ok "example playbook ran" || { bad "example playbook: exit $rc"; tail -20 "$T/playbook.out" | sed 's/^/#   /'; }
J=$T/summary/amtless-fleet.json C=$T/summary/amtless-fleet.csv
check "JSON summary written" test -s "$J"
check "CSV summary written" test -s "$C"
check "CSV: header + one row per host" test "$(wc -l <"$C")" -eq $(( ${#fixtures[@]} + 2 ))
head -1 "$C" | grep -q '^host,verdict,exit_code,cpu_vpro,amt_nic,corporate_me,me_state,' && ok "CSV header" || bad "CSV header"

# rows are sorted by host; find each host's row by name
i=0
rows=$("$JSONTOOL" get "$J" "" | grep -o '"host": *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/')
for host in $rows; do
	idx[$i]=$host
	i=$((i + 1))
done
fails_before=$fails
for ((k = 0; k < i; k++)); do
	host=${idx[$k]}
	[ "$host" = broken-host ] && continue
	d=$T/direct/$host.json
	for pair in verdict:verdict exit_code:exit_code me_state:me.state cpu_vpro:conditions.cpu_vpro \
		amt_nic:conditions.amt_nic corporate_me:conditions.corporate_me fw_sku:me.fw_sku \
		root_can_provision:amt.root_can_provision me_summary:summary.me; do
		want=$("$JSONTOOL" get "$d" "${pair#*:}")
		got=$("$JSONTOOL" get "$J" "$k.${pair%%:*}")
		[ "$got" = "$want" ] || bad "summary $host: ${pair%%:*} is '$got', want '$want'"
	done
	want=$("$JSONTOOL" get "$d" me.fw_version); [ "$want" = null ] && want=""
	[ "$("$JSONTOOL" get "$J" "$k.fw_version")" = "$want" ] || bad "summary $host: fw_version"
	line=$(grep "^\"$host\"," "$C")
	[ "$(echo "$line" | cut -d, -f2)" = "$("$JSONTOOL" get "$d" verdict)" ] || bad "CSV $host: verdict"
	[ "$(echo "$line" | cut -d, -f7)" = "$("$JSONTOOL" get "$d" me.state)" ] || bad "CSV $host: me_state"
	[ "$(echo "$line" | cut -d, -f8)" = "$("$JSONTOOL" get "$d" me.disabled_by_strap)" ] || bad "CSV $host: disable bit"
done
[ "$fails" = "$fails_before" ] && ok "every fixture's verdict, pieces and ME state reach the summaries intact ($((i - 1)) hosts)"
check "every fixture is in the summary" test "$i" -eq $(( ${#fixtures[@]} + 1 ))
grep -q '^"hap_mtl",not_exposed,10,.*,disabled_hap,true,' "$C" && ok "CSV: HAP host, disable bit in effect" || bad "CSV: hap_mtl row"
grep -q '^"vulnerable_skl_11_6",.*"INTEL-SA-00075 INTEL-SA-00086 INTEL-SA-00295"' "$C" && ok "CSV: advisories" || bad "CSV: advisories"
grep -q '^"broken-host",no_data,' "$C" && ok "CSV: a host whose fact script fails says no_data" || bad "CSV: broken host"
k=$(( i - 1 )); while [ $k -ge 0 ] && [ "${idx[$k]}" != broken-host ]; do k=$((k - 1)); done
"$JSONTOOL" get "$J" "$k.error" | grep -q "not installed" && ok "JSON: the broken host's error is kept" || bad "JSON: broken host error"
tap_end
