/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * amtless audit, Prometheus text exposition format 0.0.4, for
 * node_exporter's textfile collector (--collector.textfile.directory).
 *
 * Conventions (Prometheus docs "Exposition formats", node_exporter README):
 * every family has HELP and TYPE; all are gauges; an enumeration is one
 * sample per possible value with 1 for the current one and 0 for the others
 * (so series stay stable and "== 1" selects machines); no sample carries a
 * timestamp (the textfile collector refuses them): the time of the audit is
 * its own gauge, amtless_audit_timestamp_seconds. Label values escape \ " and
 * newline; HELP escapes \ and newline. The file ends with a newline.
 */
#include <stdio.h>
#include <string.h>

#include "audit_out.h"

#ifndef AMTLESS_VERSION
#define AMTLESS_VERSION "unknown"
#endif

struct lbuf {
	char s[1024];
	size_t n;
};

static void lb_reset(struct lbuf *b)
{
	b->n = 0;
	b->s[0] = 0;
}

/* Append name="value" (escaped) to a label set. */
static void lb_add(struct lbuf *b, const char *name, const char *value)
{
	size_t cap = sizeof(b->s);
	if (b->n + strlen(name) + 8 >= cap)
		return;
	b->n += (size_t)snprintf(b->s + b->n, cap - b->n, "%s%s=\"", b->n ? "," : "", name);
	for (const unsigned char *p = (const unsigned char *)value; *p && b->n + 4 < cap; p++) {
		if (*p == '\\' || *p == '"') {
			b->s[b->n++] = '\\';
			b->s[b->n++] = (char)*p;
		} else if (*p == '\n') {
			b->s[b->n++] = '\\';
			b->s[b->n++] = 'n';
		} else if (*p < 0x20 || *p == 0x7F) {
			b->s[b->n++] = '?'; /* control bytes: not meaningful in a label */
		} else {
			b->s[b->n++] = (char)*p;
		}
	}
	if (b->n + 2 < cap)
		b->s[b->n++] = '"';
	b->s[b->n] = 0;
}

static void family(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void sample(FILE *f, const char *name, const struct lbuf *l, double v)
{
	if (l && l->n)
		fprintf(f, "%s{%s} %.17g\n", name, l->s, v);
	else
		fprintf(f, "%s %.17g\n", name, v);
}

static void one(FILE *f, const char *name, const char *help, double v)
{
	family(f, name, help);
	sample(f, name, NULL, v);
}

/* One-hot enumeration: one sample per value, 1 for cur. */
static void onehot(FILE *f, const char *name, const char *extra_label, const char *extra_value,
		   const char *label, const char *const *values, size_t n, const char *cur)
{
	struct lbuf l;
	for (size_t i = 0; i < n; i++) {
		lb_reset(&l);
		if (extra_label)
			lb_add(&l, extra_label, extra_value);
		lb_add(&l, label, values[i]);
		sample(f, name, &l, !strcmp(values[i], cur));
	}
}

static const char *const tri_values[] = { "yes", "likely", "unlikely", "no", "unknown" };
#define NTRI (sizeof(tri_values) / sizeof(tri_values[0]))

int audit_print_prometheus(const struct amt_audit *a, const struct audit_run *run, FILE *f)
{
	const struct amt_audit_me *me = &a->me;
	struct lbuf l;
	char b[64];

	family(f, "amtless_audit_info", "amtless version, audit document schema version and the root read.");
	lb_reset(&l);
	lb_add(&l, "amtless_version", AMTLESS_VERSION);
	snprintf(b, sizeof(b), "%d", AMT_AUDIT_SCHEMA_VERSION);
	lb_add(&l, "schema_version", b);
	lb_add(&l, "root", a->root);
	sample(f, "amtless_audit_info", &l, 1);

	one(f, "amtless_audit_timestamp_seconds",
	    "Unix time of the audit that wrote these metrics (node_textfile_mtime_seconds tells when the file changed).",
	    (double)run->when);

	static const char *const verdicts[] = { "not_exposed", "exposed", "capable",
						"capable_currently_disabled", "indeterminate" };
	family(f, "amtless_audit_verdict",
	       "Intel AMT exposure verdict: 1 for this machine's verdict, 0 for the others.");
	onehot(f, "amtless_audit_verdict", NULL, NULL, "verdict", verdicts, 5, amt_audit_verdict_str(a->verdict));
	one(f, "amtless_audit_verdict_code",
	    "Exit code of the verdict: 10 not_exposed, 11 exposed, 12 capable, 13 capable_currently_disabled, 14 indeterminate.",
	    audit_exit_for_verdict(a->verdict));

	family(f, "amtless_amt_piece",
	       "The three pieces Intel AMT needs (piece: cpu_vpro, amt_nic, corporate_me), each yes/likely/unlikely/no/unknown: 1 for the current state.");
	onehot(f, "amtless_amt_piece", "piece", "cpu_vpro", "state", tri_values, NTRI, amt_audit_tri_str(a->cpu_vpro));
	onehot(f, "amtless_amt_piece", "piece", "amt_nic", "state", tri_values, NTRI, amt_audit_tri_str(a->amt_nic));
	onehot(f, "amtless_amt_piece", "piece", "corporate_me", "state", tri_values, NTRI,
	       amt_audit_tri_str(a->corporate_me));

	/* every state of the enum (contiguous, AMT_ME_HECI_HIDDEN last) */
	const char *states[AMT_ME_HECI_HIDDEN + 1];
	for (int i = 0; i <= AMT_ME_HECI_HIDDEN; i++)
		states[i] = amt_me_state_str((amt_me_state)i);
	family(f, "amtless_me_state", "State of the Intel ME from its HFSTS registers: 1 for the current state.");
	onehot(f, "amtless_me_state", NULL, NULL, "state", states, AMT_ME_HECI_HIDDEN + 1,
	       amt_me_state_str(me->state));
	one(f, "amtless_me_disabled_by_strap",
	    "1 when the running ME reports itself stopped by the HAP/AltMeDisable strap: the disable bit is in effect.",
	    amt_me_disabled_by_strap(me->state));
	one(f, "amtless_me_heci_visible", "1 when the ME host interface (HECI) is on PCI.", me->pci_present);
	one(f, "amtless_me_security_override",
	    "1 when the ME reports a security override (operation mode 4 or 5): flash protection is overridden.",
	    me->security_override);

	family(f, "amtless_me_firmware_info", "ME firmware: version (fw_ver), SKU, generation and HECI PCI device.");
	lb_reset(&l);
	if (me->fw_ver_known)
		snprintf(b, sizeof(b), "%u.%u.%u.%u", me->fw_major, me->fw_minor, me->fw_hotfix, me->fw_build);
	else
		snprintf(b, sizeof(b), "unknown");
	lb_add(&l, "version", b);
	lb_add(&l, "sku", amt_fw_sku_str(me->sku));
	lb_add(&l, "generation", me->gen ? me->gen->name : "unknown");
	if (me->pci_present)
		snprintf(b, sizeof(b), "0x%04x", me->pci_device);
	else
		snprintf(b, sizeof(b), "none");
	lb_add(&l, "pci_device", b);
	sample(f, "amtless_me_firmware_info", &l, 1);

	if (me->nhfsts) {
		family(f, "amtless_me_hfsts", "Raw ME host firmware status registers HFSTS1-6 (register: 1-6).");
		for (unsigned i = 0; i < me->nhfsts; i++) {
			lb_reset(&l);
			snprintf(b, sizeof(b), "%u", i + 1);
			lb_add(&l, "register", b);
			sample(f, "amtless_me_hfsts", &l, me->hfsts[i]);
		}
	}

	family(f, "amtless_amt_root_can_provision",
	       "Corporate firmware, an AMT-capable NIC and the AMTHI client present, AMT not provisioned: root on this machine can provision AMT (yes/likely/unlikely/no/unknown, 1 for the current one).");
	onehot(f, "amtless_amt_root_can_provision", NULL, NULL, "state", tri_values, NTRI,
	       amt_audit_tri_str(a->root_can_provision));

	static const char *const provs[] = { "not_probed", "unprovisioned", "being_provisioned", "provisioned", "unknown" };
	const char *prov = a->probe.prov == AMT_PROV_NONE ? "not_probed" : amt_prov_state_str(a->probe.prov);
	family(f, "amtless_amt_provisioning_state",
	       "AMT provisioning state as AMTHI reports it (--probe, root); not_probed without it. 1 for the current one.");
	onehot(f, "amtless_amt_provisioning_state", NULL, NULL, "state", provs, 5, prov);

	static const char *const statuses[] = { "pass", "fail", "unknown", "not_applicable" };
	family(f, "amtless_check",
	       "fwupd-style checks on the same registers (manufacturing mode, SPI protection, security override, Boot Guard, firmware version): 1 for the current status.");
	for (int i = 0; i < AMT_CHECK_COUNT; i++)
		onehot(f, "amtless_check", "check", amt_check_name((amt_check_id)i), "status", statuses, 4,
		       amt_check_status_str(a->checks[i].status));
	family(f, "amtless_check_result_info",
	       "Result of each check in fwupd HSI words (result), and what fwupd computes from the same registers (fwupd_result); none when there is no result.");
	for (int i = 0; i < AMT_CHECK_COUNT; i++) {
		const char *hsi = amt_check_hsi_id((amt_check_id)i);
		const char *r = amt_hsi_result_str(a->checks[i].result);
		const char *fw = amt_hsi_result_str(a->checks[i].fwupd);
		lb_reset(&l);
		lb_add(&l, "check", amt_check_name((amt_check_id)i));
		lb_add(&l, "hsi_id", hsi ? hsi : "none");
		lb_add(&l, "result", r ? r : "none");
		lb_add(&l, "fwupd_result", fw ? fw : "none");
		sample(f, "amtless_check_result_info", &l, 1);
	}

	one(f, "amtless_advisories_checked",
	    "1 when a firmware version was available to check against the Intel advisory table.", a->fw_version_known);
	unsigned affected = 0;
	for (unsigned i = 0; i < a->nadvisories; i++)
		affected += a->advisories[i].applies == AMT_TRI_YES;
	one(f, "amtless_advisories_affected",
	    "Number of Intel security advisories whose affected versions include this firmware.", affected);
	if (a->nadvisories) {
		family(f, "amtless_advisory_affected",
		       "One sample per matching Intel security advisory (applies: yes, or unknown when it needs manageability firmware not proven here).");
		for (unsigned i = 0; i < a->nadvisories; i++) {
			const struct amt_advisory *r = a->advisories[i].row;
			lb_reset(&l);
			lb_add(&l, "advisory", r->id);
			lb_add(&l, "applies", amt_audit_tri_str(a->advisories[i].applies));
			lb_add(&l, "fixed_in", r->fixed_in ? r->fixed_in : "see advisory");
			sample(f, "amtless_advisory_affected", &l, 1);
		}
	}
	return ferror(f) ? -1 : 0;
}
