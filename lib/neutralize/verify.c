/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Verification of a neutralized output before anything is written: it
 * parses, the FTPR manifest signature verifies, every structural checksum
 * matches, every kept range has the bytes it had, and the disable bit
 * reads back as set.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>

#include "neutralize_int.h"

static void failf(struct amt_neutralize_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void failf(struct amt_neutralize_report *r, const char *fmt, ...)
{
	if (r->nfailures < sizeof(r->failures) / sizeof(r->failures[0])) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(r->failures[r->nfailures], sizeof(r->failures[0]), fmt, ap);
		va_end(ap);
	}
	r->nfailures++;
}

static bool all_ff(const uint8_t *p, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		if (p[i] != 0xff)
			return false;
	return true;
}

/* A stored checksum/CRC of a structure (not a module hash: removed
 * modules keep their hashes in the manifests; kept modules are compared
 * byte for byte instead). */
static bool structural(const struct amt_check *c)
{
	return !strstr(c->what, "hash") && !strstr(c->what, "Hash") && !strstr(c->what, "SHA");
}

static void check_disable(const struct amt_plan *plan, const uint8_t *out, size_t out_size,
			  struct amt_neutralize_report *r)
{
	if (!plan->ndisable) {
		r->disable_bit = AMT_UNKNOWN;
		return;
	}
	bool all = true;
	for (unsigned i = 0; i < plan->ndisable; i++) {
		if (!amt_in(out_size, plan->disable_off[i], 4)) {
			all = false;
			continue;
		}
		if ((amt_rd32(out + plan->disable_off[i]) & plan->disable_mask[i]) !=
		    plan->disable_mask[i])
			all = false;
	}
	r->disable_bit = all ? AMT_YES : AMT_NO;
	if (plan->disable_after == AMT_YES && !all)
		failf(r, "the disable bit (%s) does not read back as set", plan->disable_what);
}

static void check_kept(const struct amt_plan *plan, const uint8_t *out, size_t out_size,
		       struct amt_neutralize_report *r)
{
	r->kept_ok = true;
	for (size_t i = 0; i < plan->nkept; i++) {
		const struct amt_kept_range *k = &plan->kept[i];
		bool by_ref = !k->hashed && plan->ref_in && amt_in(plan->ref_size, k->src, k->length);
		if (!k->hashed && !by_ref)
			continue;
		uint8_t h[32];
		if (!amt_in(out_size, k->dst, k->length)) {
			r->kept_ok = false;
			failf(r, "kept %s (0x%llx bytes) is not in the output at 0x%llx", k->name,
			      (unsigned long long)k->length, (unsigned long long)k->dst);
			continue;
		}
		bool same;
		if (by_ref) {
			same = !memcmp(out + k->dst, plan->ref_in + k->src, k->length);
		} else {
			SHA256(out + k->dst, k->length, h);
			same = !memcmp(h, k->sha256, 32);
		}
		if (!same) {
			r->kept_ok = false;
			failf(r, "kept %s changed (0x%llx bytes at 0x%llx, from 0x%llx)", k->name,
			      (unsigned long long)k->length, (unsigned long long)k->dst,
			      (unsigned long long)k->src);
		}
	}
}

amt_status amt_neutralize_verify(const struct amt_plan *plan,
				 const struct amt_neutralize_opts *opts,
				 const uint8_t *out, size_t out_size,
				 struct amt_neutralize_report *report, amt_error *err)
{
	struct amt_neutralize_report local;
	struct amt_neutralize_report *r = report ? report : &local;
	memset(r, 0, sizeof(*r));
	r->ftpr_sig = AMT_SIG_NOT_CHECKED;
	(void)opts;

	check_kept(plan, out, out_size, r);
	check_disable(plan, out, out_size, r);

	if (plan->ignition_wiped || plan->gen1_wiped) {
		uint64_t end = plan->me_end < out_size ? plan->me_end : out_size;
		if (plan->me_start < end && !all_ff(out + plan->me_start, end - plan->me_start))
			failf(r, "the ME region is not completely wiped");
		r->parses = true;
		r->checks_ok = true;
		if (plan->gen1_wiped) {
			struct amt_image *img = NULL;
			amt_error e2;
			struct amt_parse_opts po;
			amt_parse_opts_init(&po);
			po.verify_signatures = false;
			if (amt_image_parse(out, out_size, &po, &img, &e2) == AMT_OK && img->has_ifd &&
			    img->ifd.nregions > AMT_RGN_ME && img->ifd.region[AMT_RGN_ME].used)
				failf(r, "the ME region is still enabled in the descriptor");
			amt_image_free(img);
		}
	} else if (plan->ftpr_manifest != AMT_NO_OFFSET) {
		struct amt_image *img = NULL;
		amt_error e2;
		struct amt_parse_opts po;
		amt_parse_opts_init(&po);
		po.verify_signatures = true;
		/* A truncated bare region keeps the original lengths in its
		 * $FPT entries (me_cleaner -t writes it so, and the ME accepts
		 * it): parse it as if padded back to its size with 0xff. */
		const uint8_t *view = out;
		uint8_t *padded = NULL;
		size_t view_size = out_size;
		if (plan->full_image && plan->nshrink) {
			/* the shrunk ME region: parse with the old FLREGs (its
			 * tail is 0xff) and check the new ones separately */
			padded = malloc(out_size ? out_size : 1);
			if (!padded)
				return amt_error_set(err, AMT_E_NOMEM, "verify", AMT_NO_OFFSET, "out of memory");
			memcpy(padded, out, out_size);
			for (unsigned i = 0; i < plan->nshrink && i < 2; i++)
				if (amt_in(out_size, plan->shrink_off[i], 4))
					amt_wr32(padded + plan->shrink_off[i], plan->shrink_old[i]);
			view = padded;
			struct amt_image *ni = NULL;
			amt_error e3;
			struct amt_parse_opts np;
			amt_parse_opts_init(&np);
			np.verify_signatures = false;
			if (amt_image_parse(out, out_size, &np, &ni, &e3) != AMT_OK || !ni->has_ifd ||
			    ni->ifd.nregions <= AMT_RGN_ME || !ni->ifd.region[AMT_RGN_ME].used ||
			    ni->ifd.offset + ni->ifd.region[AMT_RGN_ME].base != plan->me_start ||
			    ni->ifd.offset + ni->ifd.region[AMT_RGN_ME].limit + 1 !=
				    plan->me_start + plan->min_me_size)
				failf(r, "the shrunk ME region does not read back as 0x%llx-0x%llx",
				      (unsigned long long)plan->me_start,
				      (unsigned long long)(plan->me_start + plan->min_me_size - 1));
			amt_image_free(ni);
		} else if (!plan->full_image && out_size < plan->in_size) {
			padded = malloc(plan->in_size);
			if (!padded)
				return amt_error_set(err, AMT_E_NOMEM, "verify", AMT_NO_OFFSET, "out of memory");
			memcpy(padded, out, out_size);
			memset(padded + out_size, 0xff, plan->in_size - out_size);
			view = padded;
			view_size = plan->in_size;
		}
		amt_status st = amt_image_parse(view, view_size, &po, &img, &e2);
		if (st != AMT_OK) {
			failf(r, "the output does not parse: %s", e2.message);
		} else if (!img->has_fw) {
			r->parses = false;
			failf(r, "no ME firmware is found in the output%s%s",
			      img->nproblems ? ": " : "", img->nproblems ? img->problems[0].message : "");
		} else {
			r->parses = true;
			const struct amt_fw *fw = &img->fw;
			const struct amt_manifest *m = NULL;
			for (size_t i = 0; i < fw->nmanifests; i++)
				if (fw->manifests[i].offset == plan->ftpr_manifest)
					m = &fw->manifests[i];
			if (!m && fw->ftpr_manifest >= 0 && (size_t)fw->ftpr_manifest < fw->nmanifests)
				m = &fw->manifests[fw->ftpr_manifest];
			if (!m) {
				failf(r, "the FTPR manifest (0x%llx) is not found in the output",
				      (unsigned long long)plan->ftpr_manifest);
			} else {
				r->ftpr_sig = m->sig;
				if (m->sig != AMT_SIG_VALID)
					failf(r, "the FTPR manifest signature is %s%s%s",
					      amt_sig_status_str(m->sig), m->sig_detail[0] ? ": " : "",
					      m->sig_detail);
			}
			r->checks_ok = true;
			for (size_t i = 0; i < fw->nchecks; i++) {
				const struct amt_check *c = &fw->checks[i];
				if (c->ok == AMT_NO && structural(c)) {
					r->checks_ok = false;
					failf(r, "%s at 0x%llx does not match (stored 0x%llx, computed 0x%llx)",
					      c->what, (unsigned long long)c->offset,
					      (unsigned long long)c->stored, (unsigned long long)c->computed);
				}
			}
		}
		amt_image_free(img);
		free(padded);
	} else {
		/* descriptor-only edits: the descriptor must still read back */
		struct amt_image *img = NULL;
		amt_error e2;
		struct amt_parse_opts po;
		amt_parse_opts_init(&po);
		po.verify_signatures = false;
		if (plan->full_image) {
			if (amt_image_parse(out, out_size, &po, &img, &e2) != AMT_OK || !img->has_ifd)
				failf(r, "the flash descriptor does not parse after the edits");
			else
				r->parses = true;
			amt_image_free(img);
		} else {
			r->parses = true;
		}
		r->checks_ok = true;
	}
	if (r->nfailures)
		return amt_error_set(err, AMT_E_VERIFY, "verify", AMT_NO_OFFSET,
				     "the result failed verification: %s%s", r->failures[0],
				     r->nfailures > 1 ? " (and more)" : "");
	return AMT_OK;
}
