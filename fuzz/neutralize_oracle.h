/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The oracle shared by the neutralize harnesses: run the one pipeline
 * (amt_neutralize) and check, around the library's own independent
 * verifier, what must hold whatever the input:
 *  - a refusal leaves a clear error and no output; a failed verification
 *    leaves findings and no output;
 *  - a result handed back has no finding; the plan's view equals it;
 *  - it differs from the input only inside the input's descriptor and ME
 *    region (parsed here, separately), and only in size when a bare region
 *    was truncated;
 *  - amt_verify on it, with no input to compare with, does not find it
 *    broken; when the options set the disable bit, the bit read from the
 *    output's own descriptor is set; when they clear it, clear;
 *  - the disable bit alone (cleared, or set on a descriptor file alone)
 *    changes only the bits the input's own model locates, and the
 *    output's own model finds them all set, or all clear;
 *  - the extracts lie inside it.
 */
#ifndef AMTLESS_FUZZ_NEUTRALIZE_ORACLE_H
#define AMTLESS_FUZZ_NEUTRALIZE_ORACLE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amtless/image.h>
#include <amtless/neutralize.h>
#include <amtless/verify.h>

#include "neutralize/neutralize_int.h"

/* FUZZ_STATS=1: at exit, how the runs ended (how deep the inputs got). */
static unsigned long oracle_ends[4];   /* refused, failed verify, verified, check only */

static void oracle_stats(void)
{
	fprintf(stderr, "neutralize oracle: %lu refused, %lu failed verification, %lu verified "
		"outputs, %lu checks\n", oracle_ends[0], oracle_ends[1], oracle_ends[2],
		oracle_ends[3]);
}

static void oracle_count(int end)
{
	static int registered;
	if (!registered) {
		registered = 1;
		if (getenv("FUZZ_STATS"))
			atexit(oracle_stats);
	}
	oracle_ends[end]++;
}

static void oracle_fail(const char *what, const char *detail)
{
	fprintf(stderr, "neutralize oracle: %s%s%.250s\n", what, detail ? ": " : "",
		detail ? detail : "");
	abort();
}

static void oracle_check_err(amt_status st, const amt_error *err)
{
	if (st == AMT_OK || err->code != st)
		oracle_fail("error code does not match the status", err->message);
	if (!memchr(err->message, 0, sizeof(err->message)) || !err->message[0])
		oracle_fail("empty or unterminated error message", NULL);
}

/* Options from a 16-bit selector. */
static void oracle_opts(uint16_t sel, struct amt_neutralize_opts *o)
{
	amt_error err;
	amt_neutralize_opts_init(o);
	o->policy = sel & 1 ? AMT_NEU_ME_CLEANER : AMT_NEU_NATIVE;
	o->set_disable_bit = (sel >> 1) & 1;
	/* bits 2-3: 3 the disable bit only (as the operation, or as the
	 * boolean me_cleaner -s sets), 2 clear it (re-enable the ME) */
	if (((sel >> 2) & 3) == 3) {
		if (o->set_disable_bit)
			o->operation = AMT_NEU_OP_SET_DISABLE_BIT;
		else
			o->disable_bit_only = true;
	} else if (((sel >> 2) & 3) == 2) {
		o->operation = AMT_NEU_OP_CLEAR_DISABLE_BIT;
	}
	o->keep_modules = (sel >> 4) & 1;
	o->relocate = (sel >> 5) & 1;
	o->truncate = (sel >> 6) & 1;
	o->fix_master = (sel >> 7) & 1;
	o->shrink_region = o->policy == AMT_NEU_NATIVE && ((sel >> 8) & 1);
	o->want_descriptor = (sel >> 9) & 1;
	o->want_me = (sel >> 10) & 1;
	o->check_only = ((sel >> 11) & 7) == 7;
	switch ((sel >> 14) & 3) {
	case 1:
		if (amt_neutralize_parse_list(o, false, "FTPR,NFTP,LOCL,MFS", &err) != AMT_OK)
			oracle_fail("whitelist refused", err.message);
		break;
	case 2:
		if (amt_neutralize_parse_list(o, true, "WCOD,LOCL,NFTP", &err) != AMT_OK)
			oracle_fail("blacklist refused", err.message);
		break;
	default:
		break;
	}
	/* clearing takes no other edit option: mostly none (to reach the
	 * clear itself), all as selected when bits 14-15 are 3 (the refusal) */
	if (o->operation == AMT_NEU_OP_CLEAR_DISABLE_BIT && ((sel >> 14) & 3) != 3) {
		amt_neu_policy pol = o->policy;
		amt_neutralize_opts_init(o);
		o->policy = pol;
		o->operation = AMT_NEU_OP_CLEAR_DISABLE_BIT;
	}
}

/* The disable bit alone: the input's own model (parsed here, with the
 * options' platform) says where the bit is; the output may differ only in
 * those bits, and its own model must find them all set (set) or all clear
 * (clear). Regions that overlap in the input are allowed to stay a
 * problem of the output (the operation holds every FLREG unchanged). */
static void oracle_bit_alone(const uint8_t *d, size_t n, const uint8_t *out, size_t on,
			     const struct amt_neutralize_opts *o, bool set)
{
	struct amt_parse_opts po;
	amt_parse_opts_init(&po);
	po.verify_signatures = false;
	po.platform_override = o->platform;
	po.hap_override = o->hap_override;
	struct amt_image *in = NULL, *oi = NULL;
	amt_error e;
	if (on != n)
		oracle_fail("the disable bit alone changed the size", NULL);
	if (amt_image_parse(d, n, &po, &in, &e) != AMT_OK || !in->has_ifd || !in->ifd.disable.located)
		oracle_fail("the disable bit alone on an input whose bit is not located", NULL);
	uint8_t *mask = calloc(n ? n : 1, 1);
	if (!mask)
		abort();
	for (unsigned i = 0; i < in->ifd.disable.nloc && i < 2; i++) {
		const struct amt_strap_bit *l = &in->ifd.disable.loc[i];
		if (l->file_offset < n)
			mask[l->file_offset] |= (uint8_t)(1u << l->byte_bit);
	}
	for (size_t i = 0; i < n; i++)
		if ((d[i] ^ out[i]) & ~mask[i]) {
			char at[32];
			snprintf(at, sizeof(at), "0x%zx", i);
			oracle_fail("the disable bit alone changed another bit", at);
		}
	free(mask);
	if (amt_image_parse(out, on, &po, &oi, &e) != AMT_OK || !oi->has_ifd ||
	    !oi->ifd.disable.located)
		oracle_fail("the output's own descriptor does not locate the disable bit", NULL);
	for (unsigned i = 0; i < oi->ifd.disable.nloc && i < 2; i++)
		if (oi->ifd.disable.loc[i].set != set)
			oracle_fail(set ? "the output's disable bit is not set" :
				    "the output's disable bit is still set", oi->ifd.disable.loc[i].strap);
	amt_image_free(in);
	amt_image_free(oi);
}

/* Bytes the operation may ever change: the input's descriptor and ME
 * region (absolute [lo, hi) pairs), from a parse of the input made here. */
static size_t oracle_bounds(const uint8_t *d, size_t n, uint64_t lo[2], uint64_t hi[2])
{
	struct amt_parse_opts po;
	amt_parse_opts_init(&po);
	po.verify_signatures = false;
	struct amt_image *img = NULL;
	amt_error e;
	size_t k = 0;
	if (amt_image_parse(d, n, &po, &img, &e) != AMT_OK)
		return 0;
	if (img->has_ifd) {
		lo[k] = img->ifd.offset;
		hi[k++] = img->ifd.offset + AMT_IFD_SIZE;
		if (img->ifd.nregions > AMT_RGN_ME && img->ifd.region[AMT_RGN_ME].used) {
			lo[k] = img->ifd.offset + img->ifd.region[AMT_RGN_ME].base;
			hi[k++] = img->ifd.offset + img->ifd.region[AMT_RGN_ME].limit + 1;
		}
	} else if (img->has_fw) {
		lo[k] = 0;
		hi[k++] = n;
	}
	amt_image_free(img);
	return k;
}

static void oracle_run(const uint8_t *d, size_t n, const struct amt_neutralize_opts *o)
{
	struct amt_neutralization *res = NULL;
	amt_error err;
	amt_error_clear(&err);
	amt_status st = amt_neutralize(d, n, o, &res, &err);
	if (st == AMT_E_NOMEM || (st == AMT_E_ARG && !res)) {
		amt_neutralization_free(res);
		return;
	}
	if (!res)
		oracle_fail("no result for a status that must give one", err.message);
	if (st == AMT_E_VERIFY) {
		oracle_count(1);
		if (res->out || !res->report || !res->report->nfindings)
			oracle_fail("a failed verification with an output or without a finding",
				    err.message);
		amt_neutralization_free(res);
		return;
	}
	if (st != AMT_OK) {
		oracle_count(0);
		oracle_check_err(st, &err);
		if (res->out || res->plan.nedits)
			oracle_fail("a refusal with an output or edits", err.message);
		amt_neutralization_free(res);
		return;
	}
	if (o->check_only) {
		oracle_count(3);
		if (res->out)
			oracle_fail("check only gave an output", NULL);
		amt_neutralization_free(res);
		return;
	}
	oracle_count(2);
	if (!res->out || !res->report || res->report->nfindings)
		oracle_fail("a result without output or with findings", NULL);
	const uint8_t *out = res->out;
	size_t on = res->out_size;
	if (on != n && !(o->truncate && on < n))
		oracle_fail("the output size changed without truncation", NULL);
	/* the plan's view is the output */
	if (on <= n) {
		uint8_t win[64];
		for (uint64_t off = 0; off < on; off += on / 7 + 1) {
			size_t len = on - off < sizeof(win) ? (size_t)(on - off) : sizeof(win);
			amt_plan_read(&res->plan, d, n, off, win, len);
			if (memcmp(win, out + off, len))
				oracle_fail("the plan's view disagrees with the output", NULL);
		}
	}
	/* the difference lies inside the descriptor and the ME region */
	uint64_t lo[2], hi[2];
	size_t nb = oracle_bounds(d, n, lo, hi);
	size_t cmp = on < n ? on : n;
	for (size_t i = 0; i < cmp; i++) {
		if (d[i] == out[i])
			continue;
		bool in = false;
		for (size_t k = 0; k < nb && !in; k++)
			in = i >= lo[k] && i < hi[k];
		if (!in) {
			char at[32];
			snprintf(at, sizeof(at), "0x%zx", i);
			oracle_fail("a byte changed outside the descriptor and the ME region", at);
		}
	}
	/* the disable bit alone: re-enabling, or a descriptor file alone */
	bool clears = o->operation == AMT_NEU_OP_CLEAR_DISABLE_BIT;
	bool alone = clears || ((o->disable_bit_only || o->operation == AMT_NEU_OP_SET_DISABLE_BIT) &&
				o->policy == AMT_NEU_NATIVE &&
				res->plan.kind == AMT_KIND_DESCRIPTOR_ONLY);
	if (alone)
		oracle_bit_alone(d, n, out, on, o, !clears);
	/* verified on its own */
	struct amt_report *r = NULL;
	amt_error e2;
	struct amt_verify_opts vo;
	amt_verify_opts_init(&vo);
	vo.platform = o->platform;
	vo.hap_override = o->hap_override;
	if (amt_verify(out, on, &vo, &r, &e2) != AMT_OK)
		oracle_fail("amt_verify cannot read the verified output", e2.message);
	if (r->verdict == AMT_VERDICT_PROBLEMS) {
		/* the bit alone leaves an overlapping region map as it was */
		bool regions_only = alone;
		for (size_t i = 0; i < r->nfindings && regions_only; i++)
			regions_only = r->findings[i].kind == AMT_F_REGIONS;
		if (!regions_only)
			oracle_fail("amt_verify finds the verified output broken",
				    r->nfindings ? r->findings[0].message : NULL);
	}
	amt_report_free(r);
	if (res->report->disable_bit != AMT_YES && res->plan.disable_after == AMT_YES)
		oracle_fail("the plan set the disable bit, the output's descriptor does not say so",
			    NULL);
	if (res->report->disable_bit != AMT_NO && res->plan.disable_after == AMT_NO)
		oracle_fail("the plan cleared the disable bit, the output's descriptor does not say so",
			    NULL);
	if (res->descriptor && res->descriptor_size > on)
		oracle_fail("descriptor extract larger than the output", NULL);
	if (res->me && res->me_size > on)
		oracle_fail("ME extract larger than the output", NULL);
	amt_neutralization_free(res);
}

#endif
