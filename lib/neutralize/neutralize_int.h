/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private contract of lib/neutralize/:
 *   policy.c   what each policy (native, me_cleaner) does differently: data
 *   edits.c    the plan's edit list, the view through it, applying it
 *   planner.c  the one planner: the model of the input -> edits + events
 *   check.c    soundness of one image (amt_verify): signatures, checksums,
 *              module hashes, regions, the disable bit, what remains
 *   verify.c   the independent verification of an output against its input
 *   pipeline.c amt_neutralize(): parse -> plan -> apply -> verify
 */
#ifndef AMTLESS_NEUTRALIZE_INT_H
#define AMTLESS_NEUTRALIZE_INT_H

#include <amtless/neutralize.h>
#include <amtless/verify.h>

#include "internal.h"

/* ---- policy.c ---------------------------------------------------------- */

struct amt_policy {
	amt_neu_policy id;
	/* the kept extent of a generation-3 FTPR that removals never touch:
	 * its whole $FPT range (native), or only what its $CPD uses
	 * (me_cleaner: removing DLMP of ME 11.8 erases the unused end of
	 * FTPR's range, which its -k output reflects) */
	bool ftpr_extent_cpd;
	/* CSME 12+ firmware in an $FPT region: removal with the generation-3
	 * keep-list (me_cleaner) or the firmware left whole (native: the list
	 * is too short for CSME 12+, corna/me_cleaner#340) */
	bool cse12_fixed_list;
	/* IFWI images (layout table, BPDT) are neutralized natively; me_cleaner
	 * does not know them */
	bool ifwi;
	/* refuse where me_cleaner 1.2 crashes (an empty max() for ROMP/BUP
	 * without a chunk) */
	bool refuse_mc_crash;
	/* shrinking the ME region in the descriptor (native only) */
	bool shrink;
	/* descriptor found by scanning (vendor header before it): me_cleaner
	 * only looks at 0 and 0x10 */
	bool scanned_descriptor;
};

const struct amt_policy *amt_policy_get(amt_neu_policy id);

/* The caller's options as this version reads them: a struct_size from an
 * older version gives the defaults of the fields appended since; the
 * operation AMT_NEU_OP_SET_DISABLE_BIT is disable_bit_only. False (out
 * untouched) when in is NULL, older than the first version, or names an
 * operation this version does not know. Every entry point (the pipeline,
 * the planner, the verifier) reads the options through it. */
bool amt_neu_opts_norm(const struct amt_neutralize_opts *in, struct amt_neutralize_opts *out);
/* The operation clears the disable bit (re-enables the ME). */
static inline bool amt_neu_clears(const struct amt_neutralize_opts *o)
{
	return o->operation == AMT_NEU_OP_CLEAR_DISABLE_BIT;
}

/* ---- edits.c ---------------------------------------------------------- */

/* Append an edit; the view (amt_plan_read) reflects it at once. Each
 * returns AMT_OK or AMT_E_NOMEM. */
amt_status amt_plan_write(struct amt_plan *p, const uint8_t *in, size_t in_size, uint64_t off,
			  const void *bytes, size_t len, amt_edit_why why, const char *name,
			  const char *part);
amt_status amt_plan_fill(struct amt_plan *p, uint64_t off, uint64_t len, uint8_t val,
			 amt_edit_why why, const char *name, const char *part);
amt_status amt_plan_move(struct amt_plan *p, uint64_t src, uint64_t dst, uint64_t len, uint8_t fill,
			 amt_edit_why why, const char *name);
amt_status amt_plan_resize(struct amt_plan *p, uint64_t new_size);
/* A new zeroed event of that kind, or NULL (out of memory). */
struct amt_event *amt_plan_event(struct amt_plan *p, amt_event_kind kind);
/* Read len bytes at off as they are after the edits (past the end of the
 * input: 0). */
void amt_plan_read(const struct amt_plan *p, const uint8_t *in, size_t in_size, uint64_t off,
		   uint8_t *dst, size_t len);
/* Apply to a fresh copy: *out (malloc'ed) of *out_size bytes. */
amt_status amt_plan_apply(const struct amt_plan *p, const uint8_t *in, size_t in_size,
			  uint8_t **out, size_t *out_size, amt_error *err);
void amt_plan_release(struct amt_plan *p);

/* ---- planner.c -------------------------------------------------------- */

/* Plan from the model img of in/size (parsed with opts->platform).
 * On failure the plan holds the events up to there. */
amt_status amt_plan_build(const struct amt_image *img, const struct amt_neutralize_opts *opts,
			  struct amt_plan *plan, amt_error *err);

/* ---- check.c ---------------------------------------------------------- */

/* Findings and notes of a report being built. */
amt_status amt_report_add(struct amt_report *r, amt_finding_kind kind, const char *structure,
			  uint64_t offset, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Check one parsed image (data/size: its bytes) into r: signatures,
 * checksums, module hashes, structural problems, regions, the disable
 * bit and what remains; sets r->verdict. */
amt_status amt_check_image(const struct amt_image *img, struct amt_report *r);

/* The image as it must be checked: a bare region truncated after its kept
 * data is padded back with 0xFF; a full image whose ME region was shrunk
 * after its kept data is given its old ME region back. *view is data or
 * a malloc'ed copy (free it when != data); *how is AMT_N_TRUNCATED,
 * AMT_N_SHRUNK or 0. Returns AMT_E_NOMEM or AMT_OK. */
amt_status amt_check_view(const struct amt_image *img, const uint8_t **view, size_t *view_size,
			  amt_finding_kind *how);

/* ---- verify.c --------------------------------------------------------- */

/* Verify out against in for the operation opts: into r (a fresh report). */
amt_status amt_verify_output(const uint8_t *in, size_t in_size, const struct amt_image *in_img,
			     const struct amt_neutralize_opts *opts, const uint8_t *out,
			     size_t out_size, struct amt_report *r);

#endif
