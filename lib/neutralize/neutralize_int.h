/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal helpers of the neutralization planner (lib/neutralize_*.c). */
#ifndef AMTLESS_NEUTRALIZE_INT_H
#define AMTLESS_NEUTRALIZE_INT_H

#include <amtless/neutralize.h>

#include "internal.h"

/* Append an edit; the planner's view (amt_plan_read) reflects it at once.
 * Each returns AMT_OK or AMT_E_NOMEM. */
amt_status amt_plan_write(struct amt_plan *p, const uint8_t *in, size_t in_size,
			  uint64_t off, const void *bytes, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
amt_status amt_plan_fill(struct amt_plan *p, uint64_t off, uint64_t len, uint8_t val,
			 const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
amt_status amt_plan_move(struct amt_plan *p, uint64_t src, uint64_t dst, uint64_t len,
			 uint8_t fill, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
amt_status amt_plan_resize(struct amt_plan *p, uint64_t new_size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

amt_status amt_plan_logf(struct amt_plan *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
amt_status amt_plan_notef(struct amt_plan *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
amt_status amt_plan_keep(struct amt_plan *p, const char *name, uint64_t src, uint64_t len);
amt_status amt_plan_item(struct amt_plan *p, const char *name, const char *part, bool module,
			 bool kept, uint64_t off, uint64_t size, const char *why);

/* neutralize_cse.c: native plan for CSME 12+ and IFWI (CSME 12-16 layout
 * tables, TXE 3/4 BPDT) firmware: the platform's HAP bit, and with
 * opts->reduce_cse the modules the image itself lets go. */
amt_status amt_neutralize_plan_cse(const uint8_t *data, size_t size, const struct amt_image *img,
				   const struct amt_neutralize_opts *opts, struct amt_plan *plan,
				   amt_error *err);

/* Apply one edit to buf (cap bytes) in place. */
void amt_edit_apply(const struct amt_edit *e, uint8_t *buf, size_t size);

#endif
