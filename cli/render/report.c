/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The text rendering of a verification report (amtless verify, and the
 * verification of what neutralize writes). */
#include <stdio.h>
#include <string.h>

#include "out.h"
#include "report.h"

static void line(FILE *f, const char *tag, const struct amt_finding *x)
{
	fprintf(f, "  %-7s ", tag);
	if (x->structure[0]) {
		out_puts_esc(f, x->structure, OUT_MSG);
		if (x->offset != AMT_NO_OFFSET)
			fprintf(f, " at 0x%llx", (unsigned long long)x->offset);
		fprintf(f, ": ");
	}
	out_puts_esc(f, x->message, OUT_MSG);
	fprintf(f, "\n");
}

const char *render_verdict_line(const struct amt_report *r)
{
	switch (r->verdict) {
	case AMT_VERDICT_NEUTRALIZED:
		return r->nmodules_unverified ? "neutralized (sound; some kept modules unverified)" :
						"neutralized (sound)";
	case AMT_VERDICT_NOT_NEUTRALIZED:
		return "NOT neutralized (sound)";
	case AMT_VERDICT_PROBLEMS:
		break;
	}
	return "PROBLEMS FOUND: do not flash it";
}

void render_report(FILE *f, const struct amt_report *r, bool quiet)
{
	if (!quiet && r->parses) {
		fprintf(f, "  checked  %u of %u signature%s valid, %u of %u checksum%s match",
			r->nsignatures_valid, r->nsignatures, r->nsignatures == 1 ? "" : "s",
			r->nchecks_ok, r->nchecks, r->nchecks == 1 ? "" : "s");
		if (r->nmodules)
			fprintf(f, "; %u of %u code module%s hold code: %u match their hash, %u "
				   "unverified; %u removed", r->nmodules_code, r->nmodules,
				r->nmodules == 1 ? "" : "s", r->nmodules_hash_ok, r->nmodules_unverified,
				r->nmodules_removed);
		fprintf(f, "\n");
	}
	for (size_t i = 0; i < r->nfindings; i++)
		line(f, "PROBLEM", &r->findings[i]);
	if (!quiet)
		for (size_t i = 0; i < r->nnotes; i++)
			line(f, "note", &r->notes[i]);
	if (quiet)
		return;
	fprintf(f, "Neutralization:\n");
	if (r->has_descriptor) {
		if (r->disable_located)
			fprintf(f, "  disable bit %s (%s bit %u): %s\n", amt_disable_kind_str(r->disable_kind),
				r->disable_loc[0].strap, r->disable_loc[0].bit,
				r->disable_bit == AMT_YES ? "set" : "not set");
		else
			fprintf(f, "  disable bit: not located on this platform\n");
		if (r->me_region_disabled)
			fprintf(f, "  ME region: disabled in the descriptor\n");
	} else {
		fprintf(f, "  disable bit: not in this file (no flash descriptor)\n");
	}
	if (r->wiped)
		fprintf(f, "  ME region: erased (every byte 0xFF)\n");
	if (r->has_fw) {
		/* the modules that still hold code, by name */
		fprintf(f, "  modules holding code: %u of %u", r->nmodules_code, r->nmodules);
		unsigned shown = 0;
		for (size_t i = 0; i < r->nmods && shown < 12; i++) {
			const struct amt_report_module *m = &r->mods[i];
			if (m->present == AMT_NO)
				continue;
			/* ME 6 Huffman headers store no packed size */
			bool packed = m->size || !m->usize;
			fprintf(f, "%s", shown ? ", " : " (");
			out_puts_esc(f, m->partition, OUT_NAME);
			fprintf(f, "/");
			out_puts_esc(f, m->name, OUT_NAME);
			fprintf(f, " %.1f KiB%s", (packed ? m->size : m->usize) / 1024.0,
				packed ? "" : " unpacked");
			shown++;
		}
		if (r->nmodules_code > shown)
			fprintf(f, " and %u more", r->nmodules_code - shown);
		fprintf(f, "%s\n", shown ? ")" : "");
		fprintf(f, "  modules removed (erased or truncated away): %u\n", r->nmodules_removed);
		fprintf(f, "  firmware stripped: %s\n", r->stripped ? "yes (only the boot modules hold "
			"code)" : "no");
		fprintf(f, "  AMT present: %s\n", amt_tristate_str(r->amt_present));
	}
}
