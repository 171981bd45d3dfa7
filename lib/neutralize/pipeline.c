/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * amt_neutralize(): parse -> plan -> apply -> verify, in memory. The one
 * pipeline every front end uses (amtless neutralize, amtless me_cleaner,
 * amtless flash) and other programs can call: nothing is handed back to be
 * written unless the independent verification (verify.c) passed.
 */
#include <stdlib.h>
#include <string.h>

#include "neutralize_int.h"

void amt_neutralization_free(struct amt_neutralization *r)
{
	if (!r)
		return;
	amt_plan_release(&r->plan);
	free(r->out);
	free(r->descriptor);
	free(r->me);
	amt_report_free(r->report);
	free(r);
}

/* The FTPR signature of an ME region extract (padded back to its region
 * size when truncated: its $FPT entries keep their lengths). */
static amt_status extract_sig(const uint8_t *me, size_t len, size_t region, uint64_t man_off,
			      amt_sig_status *sig)
{
	*sig = AMT_SIG_NOT_CHECKED;
	uint8_t *buf = malloc(region > len ? region : len ? len : 1);
	if (!buf)
		return AMT_E_NOMEM;
	memcpy(buf, me, len);
	if (region > len)
		memset(buf + len, 0xFF, region - len);
	struct amt_parse_opts po;
	amt_parse_opts_init(&po);
	po.verify_signatures = true;
	struct amt_image *img = NULL;
	amt_error e;
	*sig = AMT_SIG_INVALID;
	if (amt_image_parse(buf, region > len ? region : len, &po, &img, &e) == AMT_OK && img->has_fw)
		for (size_t i = 0; i < img->fw.nmanifests; i++)
			if (img->fw.manifests[i].offset == man_off)
				*sig = img->fw.manifests[i].sig;
	amt_image_free(img);
	free(buf);
	return AMT_OK;
}

/* The extracts (-D, -M) of the verified output, each checked. */
static amt_status extracts(struct amt_neutralization *res, amt_error *err)
{
	const struct amt_plan *p = &res->plan;
	if (p->has_desc_extract) {
		uint64_t n = p->desc_size;
		uint64_t have = p->fd_start < res->out_size ? res->out_size - p->fd_start : 0;
		if (have < n)
			n = have;   /* a short file gives a short extract (me_cleaner) */
		res->descriptor = malloc(n ? n : 1);
		if (!res->descriptor)
			return amt_error_set(err, AMT_E_NOMEM, "descriptor", AMT_NO_OFFSET,
					     "out of memory");
		memcpy(res->descriptor, res->out + p->fd_start, n);
		res->descriptor_size = n;
		for (unsigned i = 0; i < p->desc_nflreg && i < 2; i++)
			if (p->desc_flreg_off[i] + 4 <= n)
				amt_wr32(res->descriptor + p->desc_flreg_off[i], p->desc_flreg_val[i]);
		/* the extract must read back as a descriptor whose ME region
		 * starts where the image's does */
		struct amt_ifd ifd;
		amt_error e;
		int64_t sig = amt_ifd_find(res->descriptor, n);
		if (sig < 0 || amt_ifd_parse(res->descriptor, n, (uint64_t)sig, &ifd, &e) != AMT_OK ||
		    (p->desc_nflreg &&
		     (ifd.nregions <= AMT_RGN_ME || !ifd.region[AMT_RGN_ME].used ||
		      ifd.region[AMT_RGN_ME].base != p->me_start - p->fd_start ||
		      ifd.region[AMT_RGN_ME].limit + 1 > p->me_end - p->fd_start)))
			return amt_error_set_reason(err, AMT_E_VERIFY, AMT_R_VERIFY_FAILED,
						    "descriptor extract", AMT_NO_OFFSET,
						    "the descriptor extract does not read back with "
						    "the ME region where it must be");
	}
	if (p->has_me_extract) {
		if (!amt_in(res->out_size, p->me_start, p->me_extract_size))
			return amt_error_set(err, AMT_E_RANGE, "ME region", p->me_start,
					     "the ME extract (0x%llx bytes) runs past the end of the image",
					     (unsigned long long)p->me_extract_size);
		res->me = malloc(p->me_extract_size ? p->me_extract_size : 1);
		if (!res->me)
			return amt_error_set(err, AMT_E_NOMEM, "ME region", AMT_NO_OFFSET, "out of memory");
		memcpy(res->me, res->out + p->me_start, p->me_extract_size);
		res->me_size = p->me_extract_size;
		if (!p->wipe && p->ftpr_manifest != AMT_NO_OFFSET) {
			/* FTPR's manifest, as the output holds it (relocation moves it) */
			struct amt_parse_opts po;
			amt_parse_opts_init(&po);
			po.verify_signatures = false;
			struct amt_image *oi = NULL;
			amt_error e;
			uint64_t man = AMT_NO_OFFSET;
			if (amt_image_parse(res->out, res->out_size, &po, &oi, &e) == AMT_OK &&
			    oi->has_fw && oi->fw.ftpr_manifest >= 0)
				man = oi->fw.manifests[oi->fw.ftpr_manifest].offset;
			amt_image_free(oi);
			if (man == AMT_NO_OFFSET || man < p->me_start ||
			    extract_sig(res->me, res->me_size, p->me_end - p->me_start,
					man - p->me_start, &res->me_sig))
				res->me_sig = AMT_SIG_INVALID;
			if (res->me_sig != AMT_SIG_VALID)
				return amt_error_set_reason(err, AMT_E_VERIFY, AMT_R_VERIFY_FAILED,
							    "ME extract", AMT_NO_OFFSET,
							    "the FTPR signature of the ME extract is %s",
							    amt_sig_status_str(res->me_sig));
		}
	}
	return AMT_OK;
}

/* A bare region already stripped and truncated after its kept data (what
 * me_cleaner -S -t and amtless --truncate write): its $FPT declares FTPR
 * past the end of the file, so the planner could only refuse it; it already
 * is what the default neutralization gives. The model reads it padded with
 * 0xFF (truncated_to) and says it is stripped. */
static bool already_truncated(const struct amt_image *img, const struct amt_neutralize_opts *o)
{
	return o->policy == AMT_NEU_NATIVE && o->operation == AMT_NEU_OP_NEUTRALIZE &&
	       !o->check_only && !o->keep_modules && !o->relocate && !o->disable_bit_only &&
	       !o->fix_master && !o->shrink_region &&
	       !o->nwhitelist && !o->blacklist_given && !o->reduce_cse && !o->want_descriptor &&
	       !o->want_me && !img->has_ifd && img->has_fw && img->truncated_to &&
	       img->fw.stripped;
}

/* Verify out (out_size bytes, taken) as the result of in (img: its model,
 * taken) into res->report: on success res->out holds it and *result is
 * left to the caller (work may follow that frees res). A failed
 * verification sets *result = res (its report says why) and fails with
 * AMT_E_VERIFY; no memory frees res. */
static amt_status verify_result(struct amt_neutralization *res, const uint8_t *in, size_t size,
				struct amt_image *img, const struct amt_neutralize_opts *opts,
				uint8_t *out, size_t out_size, struct amt_neutralization **result,
				amt_error *err)
{
	res->report = calloc(1, sizeof(*res->report));
	amt_status st = res->report ? amt_verify_output(in, size, img, opts, out, out_size,
							res->report) : AMT_E_NOMEM;
	amt_image_free(img);
	if (st != AMT_OK) {
		free(out);
		amt_neutralization_free(res);
		return amt_error_set(err, AMT_E_NOMEM, "verify", AMT_NO_OFFSET, "out of memory");
	}
	if (res->report->nfindings) {
		const struct amt_finding *f = &res->report->findings[0];
		free(out);
		*result = res;
		return amt_error_set_reason(err, AMT_E_VERIFY, AMT_R_VERIFY_FAILED, f->structure,
					    f->offset, "the result failed verification: %s%s",
					    f->message, res->report->nfindings > 1 ? " (and more)" : "");
	}
	res->out = out;
	res->out_size = out_size;
	return AMT_OK;
}

/* Nothing to change: the output is a copy of the input, verified as any
 * output is (the same bound, the padded view, the boot modules intact). */
static amt_status truncated_done(const uint8_t *in, size_t size, struct amt_image *img,
				 const struct amt_neutralize_opts *opts,
				 struct amt_neutralization *res,
				 struct amt_neutralization **result, amt_error *err)
{
	struct amt_plan *p = &res->plan;
	const struct amt_fw *fw = &img->fw;
	p->in_size = p->out_size = size;
	p->kind = img->kind;
	p->generation = fw->generation;
	p->family = fw->family;
	p->version = fw->version;
	p->version_known = fw->version_known;
	p->me_start = 0;
	p->me_end = size;
	p->ftpr_manifest = AMT_NO_OFFSET;
	p->ftpr_sig = AMT_SIG_NOT_CHECKED;
	p->disable_kind = AMT_DIS_NONE;
	p->disable_before = p->disable_after = AMT_UNKNOWN;
	if (opts->plan_only) {
		/* nothing to plan: no edit, no smaller region to offer */
		amt_image_free(img);
		res->outcome = AMT_NEU_OUTCOME_PLANNED;
		*result = res;
		return AMT_OK;
	}
	uint8_t *out = malloc(size ? size : 1);
	if (!out) {
		amt_image_free(img);
		amt_neutralization_free(res);
		return amt_error_set(err, AMT_E_NOMEM, "neutralize", AMT_NO_OFFSET, "out of memory");
	}
	memcpy(out, in, size);
	amt_status st = verify_result(res, in, size, img, opts, out, size, result, err);
	if (st != AMT_OK)
		return st;
	res->changed = false;
	res->outcome = AMT_NEU_OUTCOME_ALREADY_DONE;
	*result = res;
	return AMT_OK;
}

amt_status amt_neutralize(const uint8_t *in, size_t size, const struct amt_neutralize_opts *opts,
			  struct amt_neutralization **result, amt_error *err)
{
	*result = NULL;
	amt_error_clear(err);
	struct amt_neutralize_opts on;
	if (!in || !amt_neu_opts_norm(opts, &on))
		return amt_error_set(err, AMT_E_ARG, "neutralize", AMT_NO_OFFSET,
				     "no input, or options not set up by amt_neutralize_opts_init "
				     "(or an unknown operation)");
	opts = &on;
	struct amt_neutralization *res = calloc(1, sizeof(*res));
	if (!res)
		return amt_error_set(err, AMT_E_NOMEM, "neutralize", AMT_NO_OFFSET, "out of memory");
	res->me_sig = AMT_SIG_NOT_CHECKED;
	res->outcome = AMT_NEU_OUTCOME_NONE;

	struct amt_parse_opts po;
	amt_parse_opts_init(&po);
	po.verify_signatures = true;
	po.platform_override = opts->platform;
	po.hap_override = opts->hap_override;
	struct amt_image *img = NULL;
	amt_status st = amt_image_parse(in, size, &po, &img, err);
	if (st != AMT_OK) {
		res->plan.in_size = res->plan.out_size = size;
		if (st == AMT_E_NOMEM) {
			free(res);
			return st;
		}
		/* me_cleaner's word for what it cannot read */
		if (opts->policy == AMT_NEU_ME_CLEANER && st != AMT_E_IO)
			err->reason = st == AMT_E_UPDATE_FILE ? AMT_R_UPDATE_FILE : AMT_R_UNKNOWN_IMAGE;
		*result = res;
		return st;
	}
	if (already_truncated(img, opts))
		return truncated_done(in, size, img, opts, res, result, err);
	st = amt_plan_build(img, opts, &res->plan, err);
	if (st == AMT_OK && opts->check_only)
		res->outcome = AMT_NEU_OUTCOME_CHECK_ONLY;
	else if (st == AMT_OK && opts->plan_only)
		res->outcome = AMT_NEU_OUTCOME_PLANNED;
	if (st != AMT_OK || opts->check_only || opts->plan_only) {
		amt_image_free(img);
		if (st == AMT_E_NOMEM) {
			amt_neutralization_free(res);
			return st;
		}
		*result = res;   /* the events up to the refusal */
		return st;
	}
	uint8_t *out = NULL;
	size_t out_size = 0;
	st = amt_plan_apply(&res->plan, in, size, &out, &out_size, err);
	if (st != AMT_OK) {
		amt_image_free(img);
		*result = res;
		return st;
	}
	st = verify_result(res, in, size, img, opts, out, out_size, result, err);
	if (st != AMT_OK)
		return st;
	res->changed = out_size != size || memcmp(out, in, size);
	res->outcome = res->changed ? AMT_NEU_OUTCOME_CHANGED : AMT_NEU_OUTCOME_ALREADY_DONE;
	st = extracts(res, err);
	if (st != AMT_OK) {
		res->outcome = AMT_NEU_OUTCOME_NONE;
		free(res->out);
		res->out = NULL;
		res->out_size = 0;
		free(res->descriptor);
		res->descriptor = NULL;
		free(res->me);
		res->me = NULL;
		if (st == AMT_E_NOMEM ||
		    amt_report_add(res->report, AMT_F_EXTRACT, err->structure, err->offset, "",
				   "%s", err->message)) {
			amt_neutralization_free(res);
			return amt_error_set(err, AMT_E_NOMEM, "neutralize", AMT_NO_OFFSET,
					     "out of memory");
		}
		res->report->verdict = AMT_VERDICT_PROBLEMS;
		st = amt_error_set_reason(err, AMT_E_VERIFY, AMT_R_VERIFY_FAILED, err->structure,
					  err->offset, "the result failed verification: %s",
					  res->report->findings[res->report->nfindings - 1].message);
	}
	*result = res;
	return st;
}
