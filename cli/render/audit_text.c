/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amtless audit, text: the answer first (summary), then the details. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "answer.h"
#include "audit_out.h"
#include "out.h"

int audit_exit_for_verdict(amt_audit_verdict v)
{
	switch (v) {
	case AMT_VERDICT_NOT_EXPOSED: return EXIT_AUDIT_NOT_EXPOSED;
	case AMT_VERDICT_EXPOSED: return EXIT_AUDIT_EXPOSED;
	case AMT_VERDICT_CAPABLE: return EXIT_AUDIT_CAPABLE;
	case AMT_VERDICT_CAPABLE_DISABLED: return EXIT_AUDIT_CAPABLE_DISABLED;
	case AMT_VERDICT_INDETERMINATE: break;
	}
	return EXIT_AUDIT_INDETERMINATE;
}

void audit_time_str(time_t t, char *buf, size_t len)
{
	struct tm tm;
	if (!gmtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "1970-01-01T00:00:00Z");
}

/* ---- the summary ------------------------------------------------------ */

static const char *headline(amt_audit_verdict v)
{
	switch (v) {
	case AMT_VERDICT_NOT_EXPOSED: return "NOT EXPOSED to Intel AMT";
	case AMT_VERDICT_EXPOSED: return "EXPOSED: Intel AMT is present and provisioned";
	case AMT_VERDICT_CAPABLE: return "CAPABLE: Intel AMT can be enabled on this machine";
	case AMT_VERDICT_CAPABLE_DISABLED: return "CAPABLE, CURRENTLY DISABLED";
	case AMT_VERDICT_INDETERMINATE: break;
	}
	return "INDETERMINATE: not enough evidence visible here";
}

static void note(struct audit_summary *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct audit_summary *s, const char *fmt, ...)
{
	va_list ap;
	if (s->nnotes >= AUDIT_SUMMARY_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(s->notes[s->nnotes++], sizeof(s->notes[0]), fmt, ap);
	va_end(ap);
}

static void me_sentence(const struct amt_audit *a, char *buf, size_t len)
{
	const struct amt_audit_me *me = &a->me;
	uint32_t h1 = me->nhfsts ? me->hfsts[0] : 0;
	char ver[48] = "";

	if (me->fw_ver_known)
		snprintf(ver, sizeof(ver), ", firmware %u.%u.%u.%u", me->fw_major, me->fw_minor,
			 me->fw_hotfix, me->fw_build);
	switch (me->state) {
	case AMT_ME_DISABLED_HAP:
	case AMT_ME_DISABLED_ALTMEDISABLE:
	case AMT_ME_DISABLED_STRAP:
		snprintf(buf, len, "disabled by the %s (HFSTS1 0x%08X: working state Disabled, error Disabled, operation mode Alt-Disable): the disable bit is in effect, the proof that a neutralized flash (amtless flash) took effect",
			 me->state == AMT_ME_DISABLED_HAP ? "HAP strap" :
			 me->state == AMT_ME_DISABLED_ALTMEDISABLE ? "AltMeDisable strap" :
			 "disable strap (HAP or AltMeDisable; generation unknown)", h1);
		break;
	case AMT_ME_NORMAL:
		snprintf(buf, len, "running normally (HFSTS1 0x%08X: working state Normal)%s", h1, ver);
		break;
	case AMT_ME_SECURITY_OVERRIDE:
		snprintf(buf, len, "running with its security override set (HFSTS1 0x%08X, operation mode %u): flash protection is overridden%s",
			 h1, me->h1.operation_mode, ver);
		break;
	case AMT_ME_DISABLED_SOFT:
		snprintf(buf, len, "soft-disabled for now (HFSTS1 0x%08X, operation mode 3): not the disable bit; BIOS or software can turn it back on",
			 h1);
		break;
	case AMT_ME_DISABLED_OTHER:
		snprintf(buf, len, "reports itself disabled (HFSTS1 0x%08X, working state Disabled) without the HAP/AltMeDisable pattern: cause not recognised",
			 h1);
		break;
	case AMT_ME_RECOVERY:
		snprintf(buf, len, "in recovery (HFSTS1 0x%08X: working state Recovery%s): a recovery loader runs, not the firmware; this is not the disable bit",
			 h1, ver);
		break;
	case AMT_ME_ERROR:
		snprintf(buf, len, "reports an error (HFSTS1 0x%08X: working state %s, error %s)", h1,
			 amt_hfsts1_working_state_str(me->h1.working_state), amt_hfsts1_error_str(me->h1.error_code));
		break;
	case AMT_ME_SERVER_FW:
		snprintf(buf, len, "server firmware (SPS/IGN), which has no AMT");
		break;
	case AMT_ME_HECI_HIDDEN:
		snprintf(buf, len, "HECI hidden by firmware: the Intel PCH (8086:%04x at %s) holds an ME but its interface is not on PCI; whether the ME runs is not visible from here",
			 me->pch_device, me->pch_bdf);
		break;
	case AMT_ME_ABSENT_OR_HIDDEN:
		snprintf(buf, len, "no ME interface on PCI (no ME, or hidden)");
		break;
	case AMT_ME_DRIVER_NOT_BOUND:
		snprintf(buf, len, "interface on PCI (8086:%04x), no driver bound: its state needs root (PCI config space)",
			 me->pci_device);
		break;
	case AMT_ME_UNKNOWN:
		snprintf(buf, len, "state not visible here%s", ver);
		break;
	}
}

static const char *first_nic(const struct amt_audit *a, amt_nic_class want)
{
	for (unsigned i = 0; i < a->nnics; i++)
		if (a->nics[i].cls == want && a->nics[i].name)
			return a->nics[i].name;
	return NULL;
}

void audit_summarize(const struct amt_audit *a, struct audit_summary *s)
{
	const struct amt_audit_me *me = &a->me;
	const char *nic;

	memset(s, 0, sizeof(*s));
	snprintf(s->headline, sizeof(s->headline), "%s", headline(a->verdict));
	snprintf(s->cpu, sizeof(s->cpu), "%s%s", amt_audit_tri_str(a->cpu_vpro),
		 a->cpu.hypervisor ? " (virtual machine: the host's CPU is not visible)" :
		 a->cpu.visible && strcmp(a->cpu.vendor, "GenuineIntel") && a->cpu.vendor[0] ? " (not Intel)" :
		 a->cpu.smx ? " (SMX/TXT present; no CPU bit proves vPro)" : "");
	if ((nic = first_nic(a, AMT_NIC_AMT_CAPABLE)) || (nic = first_nic(a, AMT_NIC_WIFI_INTEL)) ||
	    (nic = first_nic(a, AMT_NIC_POSSIBLE)))
		snprintf(s->nic, sizeof(s->nic), "%s (%s)", amt_audit_tri_str(a->amt_nic), nic);
	else
		snprintf(s->nic, sizeof(s->nic), "%s", amt_audit_tri_str(a->amt_nic));
	if (me->sku != AMT_SKU_UNKNOWN)
		snprintf(s->corporate, sizeof(s->corporate), "%s (firmware SKU %s)",
			 amt_audit_tri_str(a->corporate_me), amt_fw_sku_str(me->sku));
	else
		snprintf(s->corporate, sizeof(s->corporate), "%s", amt_audit_tri_str(a->corporate_me));
	me_sentence(a, s->me, sizeof(s->me));

	if (amt_me_disabled_by_strap(me->state) && me->pci_present)
		note(s, "the ME interface stays on PCI (8086:%04x at %s)%s: the disable bit stops the ME, not its PCI function",
		     me->pci_device, me->pci_bdf,
		     me->gen && strstr(me->gen->name, "Meteor Lake") ?
		     ", as expected on Meteor Lake, whose firmware leaves it enumerated (Dasharo#1035)" : "");
	if (a->root_can_provision == AMT_TRI_YES || a->root_can_provision == AMT_TRI_LIKELY)
		note(s, "AMT-capable and unprovisioned: root on this machine can provision it (%s)",
		     a->root_can_provision == AMT_TRI_YES ? "AMTHI reports unprovisioned" :
		     "provisioning state not asked; --probe as root tells");
	if (me->security_override)
		note(s, "red flag: security override (operation mode %u): flash protection is overridden",
		     me->h1.operation_mode);
	if (a->nadvisories) {
		char ids[160] = "";
		bool sure = false;
		for (unsigned i = 0; i < a->nadvisories; i++) {
			size_t n = strlen(ids);
			snprintf(ids + n, sizeof(ids) - n, "%s%s", n ? ", " : "", a->advisories[i].row->id);
			sure |= a->advisories[i].applies == AMT_TRI_YES;
		}
		note(s, "firmware %u.%u.%u.%u is %s by %s", a->fw_version[0], a->fw_version[1],
		     a->fw_version[2], a->fw_version[3], sure ? "affected" : "possibly affected", ids);
	}
	char failing[200] = "";
	for (int i = 0; i < AMT_CHECK_COUNT; i++) {
		if (a->checks[i].status != AMT_CHECK_FAIL)
			continue;
		size_t n = strlen(failing);
		snprintf(failing + n, sizeof(failing) - n, "%s%s", n ? ", " : "", amt_check_name((amt_check_id)i));
	}
	if (failing[0])
		note(s, "checks failing: %s (see Checks)", failing);
}

/* ---- text ------------------------------------------------------------ */

static void put(FILE *f, const char *s)
{
	out_puts_esc(f, s, OUT_MSG);
}

static void print_summary(const struct audit_summary *s, const struct amt_audit *a,
			  const struct audit_run *run, FILE *f)
{
	fprintf(f, "Verdict: %s (%s, exit %d)\n", s->headline, amt_audit_verdict_str(a->verdict),
		run->exit_status);
	/* the answer's lines (render/answer.c): firmware, AMT, the disable bit */
	struct answer ans;
	answer_from_audit(&ans, a, s->headline);
	answer_print(f, &ans);
	fprintf(f, "  vPro-capable CPU:       ");
	put(f, s->cpu);
	fprintf(f, "\n  AMT-capable Intel NIC:  ");
	put(f, s->nic);
	fprintf(f, "\n  corporate ME firmware:  ");
	put(f, s->corporate);
	fprintf(f, "\n  ME:                     ");
	put(f, s->me);
	fputc('\n', f);
	for (unsigned i = 0; i < s->nnotes; i++) {
		fprintf(f, "  * ");
		put(f, s->notes[i]);
		fputc('\n', f);
	}
}

static void print_checks(const struct amt_audit *a, FILE *f)
{
	fprintf(f, "\nChecks (from the same registers; fwupd's result where fwupd has the check):\n");
	if (!a->fwupd_has_view)
		fprintf(f, "  fwupd takes the generation from the firmware version (fw_ver) and decodes CSME 11\n"
			   "  and later only: %s, so it would report only IntelBootguard.Enabled\n"
			   "  not-supported. amtless takes the generation from the HECI device ID.\n",
			a->fw_version_known ? "this is an older generation" : "this ME reports no version");
	for (int i = 0; i < AMT_CHECK_COUNT; i++) {
		const struct amt_audit_check *c = &a->checks[i];
		const char *r = amt_hsi_result_str(c->result), *fw = amt_hsi_result_str(c->fwupd);
		fprintf(f, "  %-19s %-15s %-12s", amt_check_name((amt_check_id)i),
			amt_check_status_str(c->status), r ? r : "-");
		if (amt_check_hsi_id((amt_check_id)i))
			fprintf(f, " fwupd: %s%s", fw ? fw : "(none)", c->differs ? " (differs)" : "");
		fprintf(f, "\n      ");
		put(f, c->detail);
		fputc('\n', f);
	}
}

/* "11.6.27.3264", with 65535 (any) written x: "11.7.x.x" */
static void version_range_end(const uint16_t v[4], char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = 0;
	for (int i = 0; i < 4 && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, v[i] == 65535 ? "%sx" : "%s%u", i ? "." : "", v[i]);
}

static void print_advisories(const struct amt_audit *a, FILE *f)
{
	fprintf(f, "\nAdvisories (Intel security advisories by firmware version):\n");
	if (!a->fw_version_known) {
		fprintf(f, "  firmware version not reported: not checked\n");
		return;
	}
	fprintf(f, "  firmware %u.%u.%u.%u: ", a->fw_version[0], a->fw_version[1], a->fw_version[2],
		a->fw_version[3]);
	if (!a->nadvisories) {
		fprintf(f, "in no row of the table\n");
		return;
	}
	fprintf(f, "%u match%s\n", a->nadvisories, a->nadvisories == 1 ? "" : "es");
	for (unsigned i = 0; i < a->nadvisories; i++) {
		const struct amt_advisory *r = a->advisories[i].row;
		char from[32], to[32];
		version_range_end(r->from, from, sizeof(from));
		version_range_end(r->to, to, sizeof(to));
		fprintf(f, "  %s%s (%s): %s to %s, fixed in %s%s\n      source: ", r->id,
			a->advisories[i].applies == AMT_TRI_YES ? "" : " (if manageability firmware)", r->cves,
			from, to, r->fixed_in ? r->fixed_in : "a later branch (see the advisory)",
			r->scope == AMT_ADV_MANAGEABILITY_ONLY ? "; AMT/ISM/SBT firmware only" : "");
		put(f, r->source);
		fputc('\n', f);
	}
}

void audit_print_text(const struct amt_audit *a, const struct audit_run *run, bool brief, FILE *f)
{
	const struct amt_audit_me *me = &a->me;
	const struct amt_audit_probe *p = &a->probe;
	struct audit_summary s;

	audit_summarize(a, &s);
	print_summary(&s, a, run, f);
	if (brief)
		return;

	fprintf(f, "\nME: state %s", amt_me_state_str(me->state));
	if (me->pci_present) {
		fprintf(f, ", HECI %s 8086:%04x (%s)", me->pci_bdf, me->pci_device,
			me->gen ? me->gen->name : "unknown generation");
		fprintf(f, ", driver %s", me->driver[0] ? me->driver : "none");
	}
	fprintf(f, "\n    firmware SKU %s", amt_fw_sku_str(me->sku));
	if (me->fw_ver_known)
		fprintf(f, ", version %u.%u.%u.%u", me->fw_major, me->fw_minor, me->fw_hotfix, me->fw_build);
	if (me->mei_dev[0])
		fprintf(f, ", %s", me->mei_dev);
	if (me->dev_state[0]) {
		fprintf(f, " (");
		put(f, me->dev_state);
		fprintf(f, ")");
	}
	fprintf(f, "\n");
	if (me->nhfsts) {
		fprintf(f, "    HFSTS (%s):", me->hfsts_source == AMT_HFSTS_SYSFS ? "fw_status" : "PCI config");
		for (unsigned i = 0; i < me->nhfsts; i++)
			fprintf(f, " %08X", me->hfsts[i]);
		fprintf(f, "\n    HFSTS1 bit 4 (%s here): %s\n",
			me->bit4_meaning == AMT_BIT4_SPI_PROTECTION_MODE ? "SPI protection mode" :
			me->bit4_meaning == AMT_BIT4_MANUFACTURING_MODE ? "manufacturing mode" : "meaning unknown",
			me->h1.bit4 ? "set" : "clear");
	}
	fprintf(f, "    root on this machine can provision AMT: %s\n", amt_audit_tri_str(a->root_can_provision));
	if (p->probed) {
		fprintf(f, "\nProbe (MEI):");
		if (p->error[0]) {
			fputc(' ', f);
			put(f, p->error);
		} else {
			if (p->fw_version_known)
				fprintf(f, " firmware %u.%u.%u.%u;", p->fw_major, p->fw_minor, p->fw_hotfix, p->fw_build);
			fprintf(f, " AMT present %s, enabled %s", amt_audit_tri_str(p->present),
				amt_audit_tri_str(p->enabled));
			if (p->prov != AMT_PROV_NONE)
				fprintf(f, ", %s", amt_prov_state_str(p->prov));
			if (p->amt_version[0]) {
				fprintf(f, ", AMT ");
				put(f, p->amt_version);
			}
		}
		fprintf(f, "\n");
	}
	print_checks(a, f);
	print_advisories(a, f);
	fprintf(f, "\nWhy:\n");
	for (size_t i = 0; i < a->nreasons; i++) {
		fprintf(f, "  - ");
		put(f, a->reasons[i]);
		fputc('\n', f);
	}
	fprintf(f, "\nEvidence (under ");
	put(f, a->root);
	fprintf(f, "):\n");
	for (size_t i = 0; i < a->nevidence; i++) {
		const struct amt_audit_item *it = &a->evidence[i];
		fprintf(f, "  ");
		put(f, it->path);
		if (it->value[0]) {
			fprintf(f, " = ");
			put(f, it->value);
		}
		fprintf(f, "\n      ");
		put(f, it->finding);
		fputc('\n', f);
	}
	fprintf(f, "\nA live audit can prove presence (AMT answering, AMT-only firmware clients,\n"
		   "corporate SKU register) and some absences (non-Intel CPU, consumer/server\n"
		   "firmware, HAP). It cannot see a BIOS-hidden ME or NIC, and cannot prove vPro.\n");
}
