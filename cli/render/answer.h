/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The answer first: the short summary that opens inspect, neutralize,
 * verify and audit (and is all that --brief prints). It is filled from the
 * library's typed results only (the verification report, the neutralization
 * outcome and plan, the code measure, the audit model) and printed in one
 * format:
 *
 *   Summary
 *     Firmware       CSME 16.1.30.2307, SKU Consumer H
 *     AMT            not present
 *     Disable bit    HAP, PCHSTRP55 bit 16 (file byte 0x1de bit 0): not set
 *     Stripped       no
 *     Code remains   2.03 MiB of 2.03 MiB (100.0%)
 *     Safe to flash  yes (no problem found)
 *
 * Lines a command cannot answer say so ("unknown", "not in this file").
 */
#ifndef AMTLESS_RENDER_ANSWER_H
#define AMTLESS_RENDER_ANSWER_H

#include <stdbool.h>
#include <stdio.h>

#include <amtless/audit.h>
#include <amtless/image.h>
#include <amtless/neutralize.h>
#include <amtless/verify.h>

struct answer {
	/* the firmware */
	amt_input_kind kind;
	bool has_fw, wiped;
	amt_family family;
	bool version_known;
	struct amt_version version;
	char sku[48];                /* "" unknown */
	amt_tristate amt;
	/* the disable bit */
	bool bit_applies;            /* the file holds a descriptor */
	bool bit_located;
	amt_disable_kind bit_kind;
	unsigned nbit;
	struct amt_strap_bit bit_loc[2];
	amt_tristate bit;            /* now (after, for a neutralization) */
	bool bit_changed;            /* a neutralization: bit_before -> bit */
	amt_tristate bit_before;
	/* stripping, code */
	bool show_stripped;
	bool stripped;
	struct amt_code_measure code; /* what remains (PRESENT) */
	bool has_preview;            /* inspect: what the default neutralization keeps */
	struct amt_code_measure preview;
	/* safe to flash */
	bool show_safe;
	bool safe_unchecked;         /* inspect --no-verify: nothing verified */
	amt_verdict verdict;
	size_t nproblems;
	const char *first_problem;   /* message of the first one */
	/* a neutralization */
	bool is_neutralization;
	amt_neu_outcome outcome;
	bool dry_run, bit_only, clears;
	size_t nremoved_partitions, nremoved_modules;
	bool erases, shrinks, cuts;  /* ME region erased, shrunk; the file cut */
	size_t nedits;               /* the plan's edits */
	const char *written;         /* the file written, or NULL */
	const char *backup;          /* --in-place: where the old file is kept, or NULL */
	/* audit: its verdict headline; the firmware as the running ME reports it */
	const char *headline;
	bool from_machine;
	const char *machine_sku;     /* amt_fw_sku_str */
	const char *bit_kind_name;   /* the disable bit named by the audit image, or NULL */
	bool no_header;              /* the caller printed its own first line (audit's
					"Verdict: ..."): the lines only */
};

/* From the verification report of an image (verify; inspect runs the same
 * verification for its summary). */
void answer_from_report(struct answer *a, const struct amt_report *r);
/* inspect: the report, and the preview of the default neutralization. */
void answer_from_inspect(struct answer *a, const struct amt_image *img, const struct amt_report *r);
/* inspect --no-verify: the model alone (no signature checked: "Safe to flash"
 * says not checked). */
void answer_from_image(struct answer *a, const struct amt_image *img);
/* neutralize / enable-me: the result (its report is the verification of the
 * output), before: the disable bit of the input. */
void answer_from_neutralization(struct answer *a, const struct amt_neutralization *res,
				bool dry_run, bool clears);
/* audit: the running machine (and the image given with --image). */
void answer_from_audit(struct answer *a, const struct amt_audit *au, const char *headline);

void answer_print(FILE *f, const struct answer *a);

#endif
