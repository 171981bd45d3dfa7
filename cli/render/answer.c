/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The answer first (answer.h): the summary of inspect, neutralize, verify
 * and audit, from typed library results. */
#include <inttypes.h>
#include <string.h>

#include "answer.h"
#include "out.h"
#include "report.h"

static void answer_init(struct answer *a)
{
	memset(a, 0, sizeof(*a));
	a->amt = AMT_UNKNOWN;
	a->bit = a->bit_before = AMT_UNKNOWN;
	amt_code_measure_init(&a->code);
	amt_code_measure_init(&a->preview);
}

void answer_from_report(struct answer *a, const struct amt_report *r)
{
	answer_init(a);
	a->kind = r->kind;
	a->has_fw = r->has_fw;
	a->wiped = r->wiped;
	a->family = r->family;
	a->version_known = r->version_known;
	a->version = r->version;
	snprintf(a->sku, sizeof(a->sku), "%s", r->sku);
	a->amt = r->amt_present;
	a->bit_applies = r->has_descriptor;
	a->bit_located = r->disable_located;
	a->bit_kind = r->disable_kind;
	a->nbit = r->ndisable > 2 ? 2 : r->ndisable;
	for (unsigned i = 0; i < a->nbit; i++)
		a->bit_loc[i] = r->disable_loc[i];
	a->bit = r->disable_bit;
	a->show_stripped = r->has_fw || r->wiped;
	a->stripped = r->stripped;
	a->code = r->code;
	a->show_safe = true;
	a->verdict = r->verdict;
	a->nproblems = r->nfindings;
	a->first_problem = r->nfindings ? r->findings[0].message : NULL;
}

void answer_from_image(struct answer *a, const struct amt_image *img)
{
	answer_init(a);
	a->kind = img->kind;
	a->has_fw = img->has_fw;
	a->wiped = img->me_erased;
	if (img->has_fw) {
		const struct amt_fw *fw = &img->fw;
		amt_error err;
		a->family = fw->family;
		a->version_known = fw->version_known;
		a->version = fw->version;
		if (fw->sku_known)
			snprintf(a->sku, sizeof(a->sku), "%s", fw->sku);
		a->amt = fw->amt_present;
		a->stripped = fw->stripped;
		if (amt_code_measure(img, AMT_CODE_PRESENT, &a->code, &err) != AMT_OK)
			a->code.known = false;
		if (amt_code_measure(img, AMT_CODE_DEFAULT_KEEP, &a->preview, &err) == AMT_OK)
			a->has_preview = a->preview.known;
	}
	a->show_stripped = img->has_fw || img->me_erased;
	if (img->has_ifd) {
		const struct amt_disable_bit *db = &img->ifd.disable;
		a->bit_applies = true;
		a->bit_located = db->located;
		a->bit_kind = db->kind;
		a->nbit = db->nloc > 2 ? 2 : db->nloc;
		for (unsigned i = 0; i < a->nbit; i++)
			a->bit_loc[i] = db->loc[i];
		a->bit = db->located ? db->state : AMT_UNKNOWN;
	}
	a->show_safe = true;
	a->safe_unchecked = true;
}

void answer_from_inspect(struct answer *a, const struct amt_image *img, const struct amt_report *r)
{
	answer_from_report(a, r);
	if (img->has_fw) {
		amt_error err;
		if (amt_code_measure(img, AMT_CODE_DEFAULT_KEEP, &a->preview, &err) == AMT_OK)
			a->has_preview = a->preview.known;
	}
}

void answer_from_neutralization(struct answer *a, const struct amt_neutralization *res,
				bool dry_run, bool clears)
{
	const struct amt_plan *p = &res->plan;
	if (res->report)
		answer_from_report(a, res->report);
	else
		answer_init(a);
	a->is_neutralization = true;
	a->outcome = res->outcome;
	a->dry_run = dry_run;
	a->clears = clears;
	a->bit_only = clears || p->kind == AMT_KIND_DESCRIPTOR_ONLY;
	/* the bit before and after, as the planner located it in the input */
	if (p->disable_known) {
		a->bit_applies = a->bit_located = true;
		a->bit_kind = p->disable_kind;
		a->nbit = p->ndisable > 2 ? 2 : p->ndisable;
		for (unsigned i = 0; i < a->nbit; i++)
			a->bit_loc[i] = p->disable_loc[i];
		a->bit_before = p->disable_before;
		if (a->bit == AMT_UNKNOWN)
			a->bit = p->disable_after;
		a->bit_changed = p->disable_before != p->disable_after;
	}
	for (size_t i = 0; i < p->nevents; i++) {
		const struct amt_event *e = &p->events[i];
		a->nremoved_modules += render_event_listed(e, AMT_EV_MODULE, false);
		a->nremoved_partitions += render_event_listed(e, AMT_EV_PARTITION, false);
	}
	a->erases = p->wipe;
	a->shrinks = p->shrunk;
	a->cuts = p->out_size < p->in_size;
	a->nedits = p->nedits;
	if (a->bit_only)
		a->show_stripped = false;
}

void answer_from_audit(struct answer *a, const struct amt_audit *au, const char *headline)
{
	answer_init(a);
	a->headline = headline;
	a->from_machine = true;
	a->no_header = true;
	const struct amt_audit_me *me = &au->me;
	if (me->fw_ver_known) {
		a->has_fw = a->version_known = true;
		a->version.major = (uint16_t)me->fw_major;
		a->version.minor = (uint16_t)me->fw_minor;
		a->version.hotfix = (uint16_t)me->fw_hotfix;
		a->version.build = (uint16_t)me->fw_build;
	}
	a->machine_sku = amt_fw_sku_str(me->sku);
	/* AMT: the firmware's own answer first, then the image's */
	amt_audit_tri t = au->probe.probed && au->probe.present != AMT_TRI_UNKNOWN ? au->probe.present :
			  au->image.given ? au->image.amt_present : AMT_TRI_UNKNOWN;
	a->amt = t == AMT_TRI_YES ? AMT_YES : t == AMT_TRI_NO ? AMT_NO : AMT_UNKNOWN;
	if (au->image.given) {
		a->bit_applies = true;
		a->bit_located = au->image.disable_set != AMT_TRI_UNKNOWN;
		a->bit = au->image.disable_set == AMT_TRI_YES ? AMT_YES :
			 au->image.disable_set == AMT_TRI_NO ? AMT_NO : AMT_UNKNOWN;
		a->bit_kind_name = au->image.disable_kind[0] ? au->image.disable_kind : NULL;
	}
}

static void label(FILE *f, const char *l)
{
	fprintf(f, "  %-17s", l);
}

static void print_bit_loc(FILE *f, const struct answer *a)
{
	fprintf(f, "%s", amt_disable_kind_str(a->bit_kind));
	for (unsigned i = 0; i < a->nbit; i++) {
		char s[20];
		fprintf(f, "%s %s bit %u (file byte 0x%" PRIx64 " bit %u)", i ? " and" : ",",
			out_esc(a->bit_loc[i].strap, sizeof(a->bit_loc[i].strap), OUT_NAME, s,
				sizeof(s)), a->bit_loc[i].bit, a->bit_loc[i].file_offset,
			a->bit_loc[i].byte_bit);
	}
}

static const char *set_str(amt_tristate t)
{
	return t == AMT_YES ? "set" : t == AMT_NO ? "not set" : "unknown";
}

static void print_code(FILE *f, const struct amt_code_measure *m)
{
	char a[32], b[32];
	fprintf(f, "%s of %s%s (%.1f%%), %u of %u code module%s", out_size(m->kept, a, sizeof(a)),
		out_size(m->total, b, sizeof(b)), out_code_scope_text(m->scope),
		m->total ? 100.0 * (double)m->kept / (double)m->total : 0.0, m->nkept, m->nmodules,
		m->nmodules == 1 ? "" : "s");
}

static void print_outcome(FILE *f, const struct answer *a)
{
	label(f, "Outcome");
	switch (a->outcome) {
	case AMT_NEU_OUTCOME_ALREADY_DONE:
		fprintf(f, "%s: nothing changed\n", a->clears ? "the ME is already enabled" :
			"already neutralized");
		return;
	case AMT_NEU_OUTCOME_CHANGED: {
		const char *sep = "";
		fprintf(f, "%s", a->dry_run ? "would change: " : "changed: ");
		if (a->bit_changed) {
			fprintf(f, "%s %s", amt_disable_kind_str(a->bit_kind),
				a->bit == AMT_YES ? "set" : "cleared");
			sep = "; ";
		}
		if (a->nremoved_partitions) {
			fprintf(f, "%s%zu partition%s removed", sep, a->nremoved_partitions,
				a->nremoved_partitions == 1 ? "" : "s");
			sep = "; ";
		}
		if (a->nremoved_modules) {
			fprintf(f, "%s%zu module%s removed", sep, a->nremoved_modules,
				a->nremoved_modules == 1 ? "" : "s");
			sep = "; ";
		}
		if (a->erases) {
			fprintf(f, "%sME region erased", sep);
			sep = "; ";
		}
		if (a->shrinks) {
			fprintf(f, "%sME region shrunk", sep);
			sep = "; ";
		}
		if (a->cuts) {
			fprintf(f, "%sfile cut short", sep);
			sep = "; ";
		}
		if (!*sep)   /* a relocation, access rights: the edits say which */
			fprintf(f, "%zu edit%s", a->nedits, a->nedits == 1 ? "" : "s");
		fputc('\n', f);
		return;
	}
	case AMT_NEU_OUTCOME_CHECK_ONLY:
	case AMT_NEU_OUTCOME_PLANNED:
		fprintf(f, "checked only: nothing applied\n");
		return;
	case AMT_NEU_OUTCOME_NONE:
		break;
	}
	fprintf(f, "nothing written: the result did not verify\n");
}

void answer_print(FILE *f, const struct answer *a)
{
	char v[64], s[4 * 48 + 1];
	if (!a->no_header)
		fprintf(f, "Summary\n");
	if (a->headline && !a->no_header) {
		label(f, "Verdict");
		fprintf(f, "%s\n", a->headline);
	}
	if (a->is_neutralization)
		print_outcome(f, a);

	label(f, "Firmware");
	if (a->has_fw && a->version_known)
		fprintf(f, "%s%s%s", a->from_machine ? "" : amt_family_str(a->family),
			a->from_machine ? "" : " ", amt_version_fmt(&a->version, v, sizeof(v)));
	else if (a->has_fw)
		fprintf(f, "%s, version unknown", amt_family_str(a->family));
	else if (a->from_machine)
		fprintf(f, "version not reported by the running ME");
	else if (a->wiped)
		fprintf(f, "none: the ME region is erased");
	else if (a->kind == AMT_KIND_DESCRIPTOR_ONLY)
		fprintf(f, "not in this file (a flash descriptor alone)");
	else
		fprintf(f, "none found");
	if (a->from_machine && a->machine_sku)
		fprintf(f, "%sSKU %s", a->has_fw ? ", " : "; ", a->machine_sku);
	else if (a->sku[0])
		fprintf(f, ", SKU %s", out_esc(a->sku, sizeof(a->sku), OUT_NAME, s, sizeof(s)));
	fputc('\n', f);

	label(f, "AMT");
	fprintf(f, "%s%s\n", a->amt == AMT_YES ? "present" : a->amt == AMT_NO ? "not present" :
		"unknown", a->from_machine && a->amt == AMT_UNKNOWN ?
		" (neither asked of the ME, --probe, nor read from an image, --image)" : "");

	label(f, "Disable bit");
	if (a->from_machine && !a->bit_applies)
		fprintf(f, "not read: no flash image given (--image FILE reads it; the running "
			   "ME's state is under ME)\n");
	else if (!a->bit_applies)
		fprintf(f, "not in this file (it lives in the flash descriptor)\n");
	else if (!a->bit_located)
		fprintf(f, "not located on this platform\n");
	else {
		if (a->bit_kind_name)
			fprintf(f, "%s", a->bit_kind_name);
		else
			print_bit_loc(f, a);
		/* before -> after only when the planner located it in the input
		 * (with --no-disable-bit on an unrecognised platform only the
		 * result's own descriptor says where it is) */
		if (a->is_neutralization && a->bit_before != AMT_UNKNOWN)
			fprintf(f, ": %s -> %s\n", set_str(a->bit_before), set_str(a->bit));
		else
			fprintf(f, ": %s\n", set_str(a->bit));
	}

	if (a->show_stripped) {
		label(f, "Stripped");
		fprintf(f, "%s\n", a->wiped ? "wiped (the ME region is erased)" :
			a->stripped ? "yes (only the boot modules hold code)" : "no");
		label(f, "Code remains");
		if (a->code.known)
			print_code(f, &a->code);
		else
			fprintf(f, "%s", a->wiped ? "none" : "unknown (no code modules listed)");
		fputc('\n', f);
	}
	if (a->has_preview) {
		label(f, "Neutralize keeps");
		print_code(f, &a->preview);
		fputc('\n', f);
	}
	if (a->show_safe) {
		label(f, "Safe to flash");
		if (a->safe_unchecked)
			fprintf(f, "not checked (--no-verify: amtless verify checks it)\n");
		else if (a->verdict != AMT_VERDICT_PROBLEMS)
			fprintf(f, "%s\n", a->is_neutralization ? "yes (the result verified)" :
				"yes (no problem found)");
		else {
			fprintf(f, "NO: %zu problem%s", a->nproblems, a->nproblems == 1 ? "" : "s");
			if (a->first_problem) {
				fprintf(f, ", first: ");
				out_puts_esc(f, a->first_problem, OUT_MSG);
			}
			fputc('\n', f);
		}
	}
	if (a->written) {
		label(f, "Written");
		out_puts_esc(f, a->written, OUT_MSG);
		fputc('\n', f);
	}
	if (a->backup) {
		label(f, "Backup");
		out_puts_esc(f, a->backup, OUT_MSG);
		fputs(" (the old file)\n", f);
	}
}
