/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * amtless audit: the three renderings of one audit (struct amt_audit):
 * text for people (render/audit_text.c, the summary first, then the
 * details), one JSON document (render/audit_json.c, doc/audit.schema.json)
 * and the Prometheus text exposition format for node_exporter's textfile
 * collector (render/audit_prom.c). All three say the same things: the
 * summary lines are built once (audit_summarize) and shared.
 */
#ifndef AMTLESS_AUDIT_OUT_H
#define AMTLESS_AUDIT_OUT_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include <jansson.h>

#include <amtless/audit.h>

/* Exit codes of the verdicts (cli.h reserves 10-14). */
enum {
	EXIT_AUDIT_NOT_EXPOSED = 10,
	EXIT_AUDIT_EXPOSED = 11,
	EXIT_AUDIT_CAPABLE = 12,
	EXIT_AUDIT_CAPABLE_DISABLED = 13,
	EXIT_AUDIT_INDETERMINATE = 14,
};

int audit_exit_for_verdict(amt_audit_verdict v);

/* What the run adds to the audit: when, and the exit status the process
 * will return (the verdict's code, or 0 with --exit-zero). */
struct audit_run {
	time_t when;
	int exit_status;
};

#define AUDIT_SUMMARY_MAX_NOTES 8

/* The answer first: verdict, the three pieces, the ME state, and the few
 * facts a reader must not miss (disable bit in effect, HECI still visible,
 * root can provision AMT, red flags, advisories, failing checks). */
struct audit_summary {
	char headline[96];                  /* "NOT EXPOSED to Intel AMT" */
	char cpu[160], nic[160], corporate[160];
	char me[480];
	unsigned nnotes;
	char notes[AUDIT_SUMMARY_MAX_NOTES][400];
};

void audit_summarize(const struct amt_audit *a, struct audit_summary *s);

/* Text: summary, then (unless brief) the details and the evidence. */
void audit_print_text(const struct amt_audit *a, const struct audit_run *run, bool brief, FILE *f);

/* JSON document (schema "amtless-audit"); NULL when out of memory. */
json_t *audit_build_json(const struct amt_audit *a, const struct audit_run *run);

/* Prometheus text exposition format (version 0.0.4). Returns 0, or -1 on
 * a write error. */
int audit_print_prometheus(const struct amt_audit *a, const struct audit_run *run, FILE *f);

/* "2026-12-02T16:52:00Z" */
void audit_time_str(time_t t, char *buf, size_t len);

#endif
