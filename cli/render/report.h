/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Renderings of the neutralization plan, its events and warnings, and the
 * verification report (render/neutralize.c, render/report.c), and of what
 * me_cleaner prints (render/mecleaner.c).
 */
#ifndef AMTLESS_RENDER_REPORT_H
#define AMTLESS_RENDER_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include <amtless/neutralize.h>
#include <amtless/verify.h>

/* Whether event e is one of the partitions or modules (kind) the renderings
 * list as kept (kept) or removed (!kept): NVRAM kept as is, what holds no
 * data, and a kept manifest or metadata entry are not listed. */
static inline bool render_event_listed(const struct amt_event *e, amt_event_kind kind, bool kept)
{
	return e->kind == kind && e->disp != AMT_DISP_NVRAM && e->disp != AMT_DISP_NO_DATA &&
	       e->disp != AMT_DISP_NONE && amt_disposition_kept(e->disp) == kept &&
	       e->disp != AMT_DISP_KEPT_MANIFEST && e->disp != AMT_DISP_KEPT_METADATA;
}

/* me_cleaner 1.2's messages for the events (desc_name / me_name: the -D
 * and -M file names it names). */
void render_mc_log(FILE *f, const struct amt_plan *p, const char *desc_name, const char *me_name);
/* me_cleaner's sentence for a typed refusal, or NULL (print err->message). */
const char *render_mc_error(const amt_error *err);

/* Every edit of the plan that changes a byte of in (size bytes; NULL: all):
 * range, old -> new, why; the count of those that change nothing. */
void render_edits(FILE *f, const struct amt_plan *p, const uint8_t *in, size_t size);
/* What changed (the disable bit, the removals), one line for what stays,
 * the code that remains (code: the measure of the verified output, or NULL)
 * and sizes; `before`/`after`: the non-0xFF bytes of the ME region in the
 * input / output (0: unknown). */
void render_neutralize_summary(FILE *f, const struct amt_plan *p, const struct amt_code_measure *code,
			       uint64_t before, uint64_t after);
/* The disable bit alone (set or cleared): where, before -> after. */
void render_bit_summary(FILE *f, const struct amt_plan *p);
/* The warnings of the plan (FDV, named platform, overlaps, reduction...). */
void render_warnings(FILE *f, const struct amt_plan *p);

/* The verification report: findings, notes (all unless quiet), facts. */
void render_report(FILE *f, const struct amt_report *r, bool quiet);
/* One line: what the verdict means. */
const char *render_verdict_line(const struct amt_report *r);

#endif
