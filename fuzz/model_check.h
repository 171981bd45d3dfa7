/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Walk every field of a parsed image model and check the invariants the
 * model promises (image.h): strings terminated, indexes inside their
 * arrays, "in range" flags true only for byte ranges inside the input,
 * enum names never NULL. Shared by the fuzz harnesses and the hostile-input
 * tests. Header-only: include it once per program.
 *
 * amt_model_check() returns NULL when the model holds, else a static
 * sentence naming the first broken invariant.
 */
#ifndef AMTLESS_MODEL_CHECK_H
#define AMTLESS_MODEL_CHECK_H

#include <stdio.h>
#include <string.h>

#include <amtless/image.h>
#include <amtless/remains.h>

/* Touch every byte of a fixed-size string field: NUL must come in time. */
#define MC_STR(field)                                                          \
	do {                                                                   \
		if (memchr((field), '\0', sizeof(field)) == NULL)              \
			return "unterminated string: " #field;                 \
		mc_sink += (unsigned)strlen(field);                            \
	} while (0)

#define MC_REQ(cond)                                                           \
	do {                                                                   \
		if (!(cond))                                                   \
			return "invariant broken: " #cond;                     \
	} while (0)

static volatile unsigned mc_sink;

static inline int mc_in(uint64_t total, uint64_t off, uint64_t len)
{
	return off <= total && len <= total - off;
}

static inline const char *mc_name(const char *s)
{
	if (!s)
		return NULL;
	mc_sink += (unsigned)strlen(s);
	return s;
}

static const char *mc_key(const struct amt_key_info *k)
{
	if (k->known)
		MC_REQ(k->name != NULL);
	mc_name(k->name);
	mc_name(k->source);
	mc_sink += k->modulus_bits + k->exponent + k->modulus_sha256[31] + k->me_cleaner_md5[15];
	return NULL;
}

static const char *mc_ifd(const struct amt_image *img)
{
	const struct amt_ifd *ifd = &img->ifd;
	uint64_t n = img->size;

	MC_REQ(ifd->offset < n);
	MC_REQ(ifd->sig_offset < n && ifd->sig_offset + 4 <= n);
	MC_REQ(ifd->nregions <= AMT_IFD_MAX_REGIONS);
	MC_REQ(ifd->nmasters <= AMT_IFD_MAX_MASTERS);
	MC_REQ(ifd->npchstrp <= AMT_IFD_MAX_STRAPS);
	MC_REQ(ifd->nmchstrp <= AMT_IFD_MAX_STRAPS);
	for (unsigned i = 0; i < ifd->nregions; i++) {
		const struct amt_ifd_region *r = &ifd->region[i];
		MC_REQ(mc_name(amt_region_name(i)) != NULL);
		if (r->used)
			MC_REQ(r->base <= r->limit);
		if (r->in_file) {
			MC_REQ(r->used);
			/* regions are relative to the flash start: the
			 * descriptor's own offset or 0 */
			MC_REQ(mc_in(n, ifd->offset + r->base, r->limit - r->base + 1) ||
			       mc_in(n, r->base, r->limit - r->base + 1));
		}
	}
	for (unsigned i = 0; i < ifd->nmasters; i++)
		mc_sink += ifd->master[i].read ^ ifd->master[i].write;
	for (unsigned i = 0; i < ifd->npchstrp; i++)
		mc_sink += ifd->pchstrp[i];
	for (unsigned i = 0; i < ifd->nmchstrp; i++)
		mc_sink += ifd->mchstrp[i];

	const struct amt_platform_info *p = &ifd->platform;
	MC_REQ((unsigned)p->id < AMT_PLAT__COUNT);
	mc_name(p->name);
	mc_name(p->source);
	MC_STR(p->why);
	MC_REQ(mc_name(amt_platform_status_str(p->status)) != NULL);
	MC_REQ(mc_name(amt_confidence_str(p->confidence)) != NULL);
	MC_REQ((p->hap_consequences & ~(uint32_t)AMT_HAPFX__ALL) == 0);
	/* typed outcome and location agree (image.h amt_platform_status) */
	if (ifd->disable.located)
		MC_REQ(p->status == AMT_PST_RECOGNISED || p->status == AMT_PST_DOUBTFUL ||
		       p->status == AMT_PST_EXPERT_OVERRIDE);
	else
		MC_REQ(p->status != AMT_PST_RECOGNISED && p->status != AMT_PST_EXPERT_OVERRIDE);
	MC_REQ(p->ambiguous == (p->status == AMT_PST_AMBIGUOUS || p->status == AMT_PST_DOUBTFUL ||
				p->status == AMT_PST_EXPERT_OVERRIDE));
	if (p->status == AMT_PST_RECOGNISED || p->status == AMT_PST_DOUBTFUL)
		MC_REQ(p->id != AMT_PLAT_UNKNOWN);
	MC_REQ(p->expert_override == (p->status == AMT_PST_EXPERT_OVERRIDE) ||
	       p->status == AMT_PST_TOO_FEW_STRAPS);

	const struct amt_disable_bit *d = &ifd->disable;
	MC_REQ(mc_name(amt_disable_kind_str(d->kind)) != NULL);
	MC_REQ(mc_name(amt_tristate_str(d->state)) != NULL);
	MC_REQ(d->nloc <= 2);
	MC_STR(d->note);
	mc_name(d->source);
	if (d->located) {
		MC_REQ(d->nloc >= 1);
		for (unsigned i = 0; i < d->nloc; i++) {
			MC_STR(d->loc[i].strap);
			MC_REQ(d->loc[i].file_offset < n);
			MC_REQ(d->loc[i].byte_bit < 8);
			MC_REQ(d->loc[i].bit < 32);
		}
	} else {
		MC_REQ(d->state == AMT_UNKNOWN);
	}
	MC_REQ(ifd->fdv.nexcl <= 8);
	return NULL;
}

static const char *mc_fw(const struct amt_image *img)
{
	const struct amt_fw *fw = &img->fw;
	uint64_t n = img->size;
	char vbuf[64];

	MC_REQ(mc_name(amt_layout_str(fw->layout)) != NULL);
	MC_REQ(mc_name(amt_family_str(fw->family)) != NULL);
	MC_REQ(fw->generation >= 0 && fw->generation <= 3);
	MC_REQ(mc_in(n, fw->region_offset, fw->region_size));
	mc_name(amt_version_fmt(&fw->version, vbuf, sizeof(vbuf)));
	MC_STR(fw->sku);
	MC_REQ(mc_name(amt_tristate_str(fw->amt_present)) != NULL);
	for (size_t i = 0; i < fw->namt_evidence; i++)
		MC_STR(fw->amt_evidence[i].text);

	if (fw->has_fpt) {
		MC_REQ(fw->fpt.offset < n);
		MC_REQ(fw->fpt.romb_offset == AMT_NO_OFFSET || fw->fpt.romb_offset < n);
		mc_name(amt_version_fmt(&fw->fpt.fit_version, vbuf, sizeof(vbuf)));
	}
	if (fw->ifwi.has_layout)
		MC_REQ(fw->ifwi.layout_offset < n);
	MC_REQ(fw->ifwi.nboot <= 5);
	MC_REQ(fw->ifwi.nbpdt <= 8);
	for (unsigned i = 0; i < fw->ifwi.nbpdt && i < 8; i++)
		MC_REQ(fw->ifwi.bpdt_offset[i] < n);

	for (size_t i = 0; i < fw->npartitions; i++) {
		const struct amt_partition *p = &fw->partitions[i];
		MC_STR(p->name);
		MC_STR(p->owner);
		MC_REQ(mc_name(amt_fpt_type_str(p->type)) != NULL);
		MC_REQ(p->manifest >= -1 && (p->manifest < 0 || (size_t)p->manifest < fw->nmanifests));
		if (p->in_range)
			MC_REQ(mc_in(n, p->offset, p->size));
		if (p->has_cpd)
			MC_REQ(p->cpd_offset < n);
		MC_REQ(p->first_module <= fw->nmodules);
		MC_REQ(p->nmodules <= fw->nmodules - p->first_module);
	}
	for (size_t i = 0; i < fw->nmanifests; i++) {
		const struct amt_manifest *m = &fw->manifests[i];
		MC_STR(m->partition);
		MC_STR(m->name);
		MC_STR(m->sig_detail);
		MC_REQ(m->offset < n);
		MC_REQ(mc_name(amt_sig_status_str(m->sig)) != NULL);
		mc_name(amt_version_fmt(&m->version, vbuf, sizeof(vbuf)));
		if (m->key.present) {
			MC_REQ(m->modulus_offset < n);
			MC_REQ(m->key_bytes == 0 || mc_in(n, m->modulus_offset, m->key_bytes));
		}
		const char *e = mc_key(&m->key);
		if (e)
			return e;
	}
	for (size_t i = 0; i < fw->nmodules; i++) {
		const struct amt_module *m = &fw->modules[i];
		MC_STR(m->name);
		MC_STR(m->partition);
		MC_REQ(mc_name(amt_compression_str(m->comp)) != NULL);
		MC_REQ(mc_name(amt_tristate_str(m->removable)) != NULL);
		MC_REQ(mc_name(amt_tristate_str(m->hap_boot)) != NULL);
		MC_REQ(mc_name(amt_tristate_str(m->hash_ok)) != NULL);
		/* Huffman modules: gen2.c/cpd.c keep the uncompressed size in
		 * `size` and only check the start (the LLUT / first chunk), so
		 * only the start is promised to be inside (reported to the lead:
		 * image.h says size = bytes stored) */
		if (m->in_range && m->comp == AMT_COMP_HUFFMAN)
			MC_REQ(m->offset <= n);
		else if (m->in_range)
			MC_REQ(mc_in(n, m->offset, m->size));
		/* the stored hash is the image's bytes at hash_offset */
		MC_REQ(m->hash_len == 0 || m->hash_len == 32 || m->hash_len == 48);
		MC_REQ((m->hash_len == 0) == (m->hash_offset == AMT_NO_OFFSET));
		MC_REQ(m->hash_len == 0 || (mc_in(n, m->hash_offset, m->hash_len) &&
					    !memcmp(img->data + m->hash_offset, m->stored_hash,
						    m->hash_len)));
		MC_REQ(!m->encrypted || m->has_met);
	}
	/* .met declarations: of a module, inside the input, named kinds */
	MC_REQ(fw->ndecls == 0 || fw->decls != NULL);
	for (size_t i = 0; i < fw->ndecls; i++) {
		const struct amt_decl *d = &fw->decls[i];
		MC_REQ(d->module < fw->nmodules);
		MC_REQ(d->offset < n);
		MC_REQ(strcmp(amt_decl_kind_str(d->kind), "unknown") != 0);
		if (d->kind == AMT_DECL_SPECIAL_FILE)
			MC_STR(d->u.file.name);
	}
	{
		/* what remains: the preview's kept code modules, their sums */
		struct amt_remains rs;
		amt_error re;
		if (amt_remains_collect(img, NULL, 0, &rs, &re) == AMT_OK) {
			uint64_t sum = 0;
			for (size_t i = 0; i < rs.n; i++) {
				const struct amt_remain *r = &rs.items[i];
				MC_REQ(r->module < fw->nmodules && fw->modules[r->module].kept);
				MC_REQ(fw->modules[r->module].kind == AMT_MOD_MODULE);
				MC_REQ((r->reach_declared & ~r->reach) == 0);
				MC_REQ(!r->role || (r->role->role && r->role->source));
				MC_REQ(i == 0 || rs.items[i - 1].module < r->module);
				sum += r->stored_bytes;
			}
			/* one measure: the table's totals are the preview's; a
			 * chunk modules share counts once in them, per module
			 * in stored_bytes */
			MC_REQ(rs.kept_bytes == fw->kept_bytes && rs.code_bytes == fw->code_bytes);
			MC_REQ(rs.kept_bytes <= sum && rs.kept_bytes <= rs.code_bytes);
			amt_remains_free(&rs);
		}
	}
	for (size_t i = 0; i < fw->nchecks; i++) {
		const struct amt_check *c = &fw->checks[i];
		MC_STR(c->what);
		MC_STR(c->note);
		MC_REQ(mc_name(amt_tristate_str(c->ok)) != NULL);
		MC_REQ(c->offset == AMT_NO_OFFSET || c->offset < n);
		/* whole hashes are the image's bytes */
		MC_REQ(c->hash_len == 0 || c->hash_len == 32 || c->hash_len == 48);
		MC_REQ(c->hash_len == 0 || (mc_in(n, c->offset, c->hash_len) &&
					    !memcmp(img->data + c->offset, c->stored_hash, c->hash_len)));
	}
	for (size_t i = 0; i < fw->nmanifests; i++) {
		const struct amt_manifest *m = &fw->manifests[i];
		MC_REQ(m->vcn_known || m->vcn == 0);
		MC_REQ(!m->vcn_known || mc_in(n, m->vcn_offset, 4));
		MC_REQ(m->pss_salt_len == -1 || (m->kind == AMT_MAN_R2 && m->sig == AMT_SIG_VALID &&
						 m->pss_salt_len >= 0 && m->pss_salt_len < 384));
	}
	MC_REQ(fw->vcn_known || fw->vcn == 0);
	MC_REQ(mc_name(amt_release_str(fw->release)) != NULL);
	MC_REQ(mc_name(amt_fw_type_str(fw->fw_type)) != NULL);
	MC_REQ(fw->sku_nbytes <= sizeof(fw->sku_bytes));
	MC_REQ(fw->sku_nbytes == 0 || (mc_in(n, fw->sku_offset, fw->sku_nbytes) &&
				       !memcmp(img->data + fw->sku_offset, fw->sku_bytes,
					       fw->sku_nbytes)));
	MC_REQ(fw->nlayout_overlaps == 0 || fw->layout_overlaps != NULL);
	for (size_t i = 0; i < fw->nlayout_overlaps; i++) {
		const struct amt_layout_overlap *o = &fw->layout_overlaps[i];
		MC_REQ(o->a < fw->npartitions && o->b < fw->npartitions && o->a != o->b);
		MC_REQ(o->start < o->end);
		MC_REQ(mc_name(amt_overlap_why_str(o->why)) != NULL);
	}
	MC_REQ(fw->cse.ninit == 0 || fw->cse.init != NULL);
	for (size_t i = 0; i < fw->cse.ninit; i++) {
		MC_STR(fw->cse.init[i].partition);
		MC_STR(fw->cse.init[i].module);
	}
	MC_REQ(fw->ftpr_manifest >= -1);
	MC_REQ(fw->ftpr_manifest < 0 || (size_t)fw->ftpr_manifest < fw->nmanifests);
	if (fw->key) {
		/* must point into the manifest array (a key of a parsed manifest) */
		int inside = 0;
		for (size_t i = 0; i < fw->nmanifests; i++)
			if (fw->key == &fw->manifests[i].key)
				inside = 1;
		MC_REQ(inside);
	}
	if (fw->has_llut)
		MC_REQ(fw->llut_offset < n);
	mc_sink += (unsigned)(fw->kept_bytes + fw->code_bytes + fw->min_region_size);
	return NULL;
}

/* Check the whole model. */
static const char *amt_model_check(const struct amt_image *img)
{
	const char *e;

	if (!img)
		return "no model";
	MC_REQ(mc_name(amt_input_kind_str(img->kind)) != NULL);
	MC_STR(img->kind_detail);
	MC_REQ(img->nproblems == 0 || img->problems != NULL);
	for (size_t i = 0; i < img->nproblems; i++) {
		MC_STR(img->problems[i].structure);
		MC_STR(img->problems[i].message);
		MC_REQ(img->problems[i].code != AMT_OK);
		MC_REQ(mc_name(amt_status_str(img->problems[i].code)) != NULL);
	}
	MC_REQ(img->ntruncation_notes == 0 || (img->truncation_notes != NULL && img->truncated_to > img->size));
	for (size_t i = 0; i < img->ntruncation_notes; i++) {
		MC_STR(img->truncation_notes[i].message);
		MC_REQ(img->truncation_notes[i].code != AMT_OK);
	}
	if (img->has_ifd && (e = mc_ifd(img)) != NULL)
		return e;
	if (img->has_fw && (e = mc_fw(img)) != NULL)
		return e;
	if (!img->has_fw)
		MC_REQ(img->fw.npartitions == 0 && img->fw.nmodules == 0);
	return NULL;
}

/* Check an error returned by a failed parse. */
static const char *amt_error_check(amt_status st, const amt_error *err)
{
	MC_REQ(st != AMT_OK);
	MC_REQ(err->code == st);
	MC_STR(err->structure);
	MC_STR(err->message);
	MC_REQ(err->message[0] != '\0');
	MC_REQ(mc_name(amt_status_str(st)) != NULL);
	return NULL;
}

#undef MC_STR
#undef MC_REQ
#endif
