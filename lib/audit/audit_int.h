/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal helpers shared by the lib/audit sources (not installed). */
#ifndef AMTLESS_AUDIT_INT_H
#define AMTLESS_AUDIT_INT_H

#include <stddef.h>

#include <amtless/audit.h>

#define AUDIT_MAX_EVIDENCE 512
#define AUDIT_MAX_REASONS 64

/* Append an evidence item (silently capped at AUDIT_MAX_EVIDENCE; no memory
 * = dropped: evidence is best effort, the verdict does not depend on it). */
void audit_evidence(struct amt_audit *a, const char *path, const char *value,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Append a reason sentence. */
void audit_reason(struct amt_audit *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void audit_reasons_clear(struct amt_audit *a);

/* Match the firmware version against the advisory table (advisories.c). */
void audit_advisories(struct amt_audit *a);

/* Fill a->checks (checks.c); needs the state, SKU, major and advisories. */
void audit_checks(struct amt_audit *a);

/* Remove items whose path starts with prefix (used when a step is re-run). */
void audit_evidence_drop_prefix(struct amt_audit *a, const char *prefix);

#endif
