/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Is one image sound, and is its ME neutralized? (amt_verify, and the
 * first half of the verification of every neutralized output.)
 *
 * From the model alone:
 *  - the FTPR (CODE) manifest must be there and its signature valid;
 *    another manifest whose signature is invalid is a problem, one that
 *    cannot be checked is a note;
 *  - every checksum/CRC of a structure must match;
 *  - every code module that still holds code must match its hash; one
 *    whose hash cannot be checked is counted as unverified (a note);
 *    the hash of an erased (removed) module is a note, as is the signed
 *    hash of a partition (CSE extension 0x03) that does not match: its
 *    modules were removed, or the image was customised with Intel's FIT
 *    (MEA); the ME does not check it at boot - me_cleaner's removals
 *    break it on every ME 11 - and each module's own hash is checked;
 *  - the parser's problems are problems; overlaps that Intel's own layout
 *    has (ME 11: FTUP over NFTP, DLMP over FTPR and MFS) are not among them:
 *    the model lists them as facts (fw.layout_overlaps), reported as notes;
 *  - descriptor regions must not overlap or run past the flash;
 *  - neutralized: the disable bit, located from this image's own
 *    descriptor, is set; or only the boot modules hold code (stripped);
 *    or the ME region is erased, or disabled with no firmware left.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neutralize_int.h"

const char *amt_verdict_str(amt_verdict v)
{
	switch (v) {
	case AMT_VERDICT_NEUTRALIZED: return "neutralized";
	case AMT_VERDICT_NOT_NEUTRALIZED: return "not-neutralized";
	case AMT_VERDICT_PROBLEMS: break;
	}
	return "problems";
}

void amt_verify_opts_init(struct amt_verify_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->struct_size = sizeof(*o);
	o->platform = AMT_PLAT_UNKNOWN;
}

void amt_report_free(struct amt_report *r)
{
	if (!r)
		return;
	free(r->findings);
	free(r->notes);
	free(r->mods);
	free(r);
}

amt_status amt_report_add(struct amt_report *r, amt_finding_kind kind, const char *structure,
			  uint64_t offset, const char *name, const char *fmt, ...)
{
	bool note = kind >= AMT_N_OVERLAP;
	struct amt_finding *f = note ? amt_grow((void **)&r->notes, &r->nnotes, sizeof(*f))
				     : amt_grow((void **)&r->findings, &r->nfindings, sizeof(*f));
	if (!f)
		return AMT_E_NOMEM;
	f->kind = kind;
	snprintf(f->structure, sizeof(f->structure), "%s", structure ? structure : "");
	f->offset = offset;
	snprintf(f->name, sizeof(f->name), "%s", name ? name : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
	va_end(ap);
	if (!note)
		r->verdict = AMT_VERDICT_PROBLEMS;
	return AMT_OK;
}

#define ADD(...) do { if (amt_report_add(r, __VA_ARGS__)) return AMT_E_NOMEM; } while (0)

/* A partition some of whose code modules were removed: erased in place,
 * or dropped from its $CPD while the signed InitScript still names them. */
static bool partition_stripped(const struct amt_fw *fw, int pi)
{
	if (pi < 0 || (size_t)pi >= fw->npartitions)
		return false;
	const struct amt_partition *p = &fw->partitions[pi];
	for (size_t j = p->first_module; j < p->first_module + p->nmodules && j < fw->nmodules; j++)
		if (fw->modules[j].kind == AMT_MOD_MODULE && fw->modules[j].present == AMT_NO)
			return true;
	for (size_t i = 0; i < fw->cse.ninit; i++) {
		const struct amt_init_entry *ie = &fw->cse.init[i];
		if (strcmp(ie->partition, p->name))
			continue;
		bool listed = false;
		for (size_t j = p->first_module; j < p->first_module + p->nmodules && j < fw->nmodules &&
						 !listed; j++)
			listed = !strcmp(fw->modules[j].name, ie->module);
		if (!listed)
			return true;
	}
	return false;
}

static amt_status check_fw(const struct amt_image *img, struct amt_report *r)
{
	const struct amt_fw *fw = &img->fw;
	char nm[24];

	for (size_t i = 0; i < fw->nmanifests; i++) {
		const struct amt_manifest *m = &fw->manifests[i];
		bool ftpr = (int)i == fw->ftpr_manifest;
		snprintf(nm, sizeof(nm), "%.4s/%.12s", m->partition, m->name);
		r->nsignatures++;
		if (m->sig == AMT_SIG_VALID)
			r->nsignatures_valid++;
		else if (m->sig == AMT_SIG_INVALID || ftpr)
			ADD(AMT_F_SIGNATURE, "manifest", m->offset, nm,
			    "the %s manifest signature is %s%s%s", ftpr ? "FTPR" : m->partition,
			    amt_sig_status_str(m->sig), m->sig_detail[0] ? ": " : "", m->sig_detail);
		else
			ADD(AMT_N_SIGNATURE_UNCHECKED, "manifest", m->offset, nm,
			    "the signature of %s cannot be checked (%s%s%s)", m->partition,
			    amt_sig_status_str(m->sig), m->sig_detail[0] ? ": " : "", m->sig_detail);
	}
	if (fw->ftpr_manifest < 0)
		ADD(AMT_F_NO_FTPR, "FTPR", AMT_NO_OFFSET, "", "no FTPR/CODE manifest was found");
	else
		r->ftpr_sig = fw->manifests[fw->ftpr_manifest].sig;

	for (size_t i = 0; i < fw->nchecks; i++) {
		const struct amt_check *k = &fw->checks[i];
		if (k->kind == AMT_CHECK_MODULE_HASH)
			continue;   /* counted with the modules below */
		r->nchecks++;
		if (k->ok == AMT_YES)
			r->nchecks_ok++;
		if (k->ok != AMT_NO)
			continue;
		if (k->kind == AMT_CHECK_PARTITION_HASH) {
			bool stripped = partition_stripped(fw, k->partition);
			const char *pn = k->partition >= 0 ? fw->partitions[k->partition].name : "";
			if (stripped)
				ADD(AMT_N_STRIPPED_PARTITION_HASH, k->what, k->offset, pn,
				    "the signed hash of %s covers modules that were removed: it "
				    "cannot match", pn);
			else
				ADD(AMT_N_PARTITION_HASH, k->what, k->offset, pn,
				    "the signed hash of %s does not match its bytes (FIT-customised "
				    "images differ; the ME does not check it at boot)", pn);
			r->notes[r->nnotes - 1].stored = k->stored;
			r->notes[r->nnotes - 1].computed = k->computed;
			continue;
		}
		ADD(AMT_F_CHECKSUM, k->what, k->offset, "",
		    "%s does not match (stored 0x%llx, computed 0x%llx)%s%s", k->what,
		    (unsigned long long)k->stored, (unsigned long long)k->computed,
		    k->note[0] ? ": " : "", k->note);
		r->findings[r->nfindings - 1].stored = k->stored;
		r->findings[r->nfindings - 1].computed = k->computed;
	}

	for (size_t i = 0; i < fw->nmodules; i++) {
		const struct amt_module *m = &fw->modules[i];
		if (m->kind != AMT_MOD_MODULE)
			continue;
		snprintf(nm, sizeof(nm), "%.4s/%.16s", m->partition, m->name);
		r->nmodules++;
		struct amt_report_module *rm = amt_grow((void **)&r->mods, &r->nmods, sizeof(*rm));
		if (!rm)
			return AMT_E_NOMEM;
		snprintf(rm->name, sizeof(rm->name), "%s", m->name);
		snprintf(rm->partition, sizeof(rm->partition), "%s", m->partition);
		rm->comp = m->comp;
		rm->size = m->size;
		rm->usize = m->usize;
		rm->present = m->present;
		rm->hash_ok = m->hash_ok;
		rm->boot = amt_fw_boot_module(fw, m);
		if (m->present == AMT_NO) {
			r->nmodules_removed++;
			if (m->hash_ok == AMT_NO)
				ADD(AMT_N_REMOVED_HASH, "module", m->header_offset, nm,
				    "%s was removed (its bytes are erased): its hash is not checked", nm);
			continue;
		}
		r->nmodules_code++;
		if (m->hash_ok == AMT_YES)
			r->nmodules_hash_ok++;
		else if (m->hash_ok == AMT_NO)
			ADD(AMT_F_MODULE_HASH, "module", m->offset, nm,
			    "%s holds code that does not match its hash", nm);
		else {
			r->nmodules_unverified++;
			ADD(AMT_N_UNVERIFIED, "module", m->offset, nm,
			    "the hash of %s (%s) cannot be checked: unverified", nm,
			    amt_compression_str(m->comp));
		}
	}
	return AMT_OK;
}

amt_status amt_check_image(const struct amt_image *img, struct amt_report *r)
{
	r->kind = img->kind;
	r->parses = true;
	r->disable_bit = AMT_UNKNOWN;
	r->ftpr_sig = AMT_SIG_NOT_CHECKED;
	r->amt_present = AMT_UNKNOWN;
	amt_code_measure_init(&r->code);
	amt_error ce;
	if (amt_code_measure(img, AMT_CODE_PRESENT, &r->code, &ce) != AMT_OK)
		return AMT_E_NOMEM;
	if (img->has_fw && img->fw.sku_known)
		snprintf(r->sku, sizeof(r->sku), "%s", img->fw.sku);

	for (size_t i = 0; i < img->nproblems; i++) {
		const amt_error *e = &img->problems[i];
		bool regions = !strcmp(e->structure, "FLREG");
		ADD(regions ? AMT_F_REGIONS : AMT_F_STRUCTURE, e->structure, e->offset, "", "%s",
		    e->message);
	}
	/* partitions that overlap as Intel lays out ME 11 (FTUP over NFTP,
	 * DLMP over FTPR and MFS): facts of the model, not defects */
	for (size_t i = 0; img->has_fw && i < img->fw.nlayout_overlaps; i++) {
		const struct amt_layout_overlap *o = &img->fw.layout_overlaps[i];
		const struct amt_partition *a = &img->fw.partitions[o->a], *b = &img->fw.partitions[o->b];
		ADD(AMT_N_OVERLAP, b->container == AMT_CONT_FPT ? "$FPT entry" : "BPDT entry",
		    b->entry_offset, b->name, "partition %s (0x%llx-0x%llx) overlaps %s "
		    "(0x%llx-0x%llx): %s", b->name, (unsigned long long)b->offset,
		    (unsigned long long)(b->offset + b->size - 1), a->name,
		    (unsigned long long)a->offset, (unsigned long long)(a->offset + a->size - 1),
		    amt_overlap_why_str(o->why));
	}
	if (img->has_ifd) {
		const struct amt_ifd *ifd = &img->ifd;
		const struct amt_disable_bit *db = &ifd->disable;
		r->has_descriptor = true;
		r->disable_located = db->located;
		r->disable_kind = db->kind;
		r->ndisable = db->nloc > 2 ? 2 : db->nloc;
		for (unsigned i = 0; i < r->ndisable; i++)
			r->disable_loc[i] = db->loc[i];
		r->disable_bit = db->located ? db->state : AMT_UNKNOWN;
		if (!db->located)
			ADD(AMT_N_DISABLE_UNLOCATED, "descriptor", ifd->offset, "",
			    "the disable bit cannot be located on this platform: %s",
			    db->note[0] ? db->note : ifd->platform.why[0] ? ifd->platform.why :
			    "platform not recognised");
		r->me_region_disabled = ifd->nregions > AMT_RGN_ME && !ifd->region[AMT_RGN_ME].used;
		if (ifd->regions_overlap && !ifd->primary_overlap)
			ADD(AMT_N_REGIONS, "FLREG", ifd->offset + ifd->frba + 4u * ifd->overlap_b, "",
			    "the %s region (0x%llx-0x%llx) shares bytes with the %s region "
			    "(0x%llx-0x%llx), as this descriptor lays them out: amtless edits "
			    "only the descriptor of such an image",
			    amt_region_name(ifd->overlap_b),
			    (unsigned long long)ifd->region[ifd->overlap_b].base,
			    (unsigned long long)ifd->region[ifd->overlap_b].limit,
			    amt_region_name(ifd->overlap_a),
			    (unsigned long long)ifd->region[ifd->overlap_a].base,
			    (unsigned long long)ifd->region[ifd->overlap_a].limit);
	}
	if (img->me_erased || img->kind == AMT_KIND_ERASED) {
		r->wiped = true;
		if (img->kind == AMT_KIND_ERASED)
			ADD(AMT_N_ERASED, "image", 0, "",
			    "every byte is 0xFF: no firmware and no descriptor (a wiped ME region, "
			    "or a failed read of a flash chip)");
	}
	if (img->has_fw) {
		const struct amt_fw *fw = &img->fw;
		r->has_fw = true;
		r->family = fw->family;
		r->version_known = fw->version_known;
		r->version = fw->version;
		r->amt_present = fw->amt_present;
		r->stripped = fw->stripped;
		if (check_fw(img, r))
			return AMT_E_NOMEM;
	} else if (img->has_ifd && !img->me_erased && !r->me_region_disabled &&
		   img->kind == AMT_KIND_FULL) {
		ADD(AMT_F_NO_FIRMWARE, "ME region", AMT_NO_OFFSET, "",
		    "no ME firmware was found in the ME region");
	}
	if (r->nfindings) {
		r->verdict = AMT_VERDICT_PROBLEMS;
	} else {
		bool neutralized = r->disable_bit == AMT_YES || r->stripped || r->wiped ||
				   (r->me_region_disabled && !r->has_fw);
		r->verdict = neutralized ? AMT_VERDICT_NEUTRALIZED : AMT_VERDICT_NOT_NEUTRALIZED;
	}
	return AMT_OK;
}

/* A bare region truncated after its kept data keeps the original lengths
 * in its $FPT entries (me_cleaner -t writes it so): the padded size, or 0. */
static uint64_t truncated_to(const struct amt_image *img)
{
	return amt_image_truncated_size(img);  /* lib/image.c: the model's rule */
}

/* A full image whose ME region was shrunk after its kept data (native
 * shrink, or me_cleaner's -D/-M with -t flashed together): its $FPT
 * entries run past the region into the next one. The end of the last
 * such partition (rounded to 4 KiB), or 0. */
static uint64_t shrunk_to(const struct amt_image *img)
{
	if (img->kind != AMT_KIND_FULL || !img->has_fw || !img->has_ifd ||
	    img->ifd.nregions <= AMT_RGN_ME || !img->ifd.region[AMT_RGN_ME].used ||
	    img->fw.layout == AMT_LAYOUT_IFWI16 || img->fw.layout == AMT_LAYOUT_IFWI17 ||
	    img->fw.layout == AMT_LAYOUT_BPDT)
		return 0;
	uint64_t rs = img->fw.region_offset, re = rs + img->fw.region_size, need = 0;
	for (size_t i = 0; i < img->fw.npartitions; i++) {
		const struct amt_partition *p = &img->fw.partitions[i];
		uint64_t len = p->raw_size;
		if (p->container != AMT_CONT_FPT || len == 0 || len >= 0xffffffffu)
			continue;
		if (p->offset >= rs && p->offset < re && p->offset + len > re &&
		    p->offset + len > need && p->offset + len <= img->size)
			need = p->offset + len;
	}
	need = (need + 0xfff) & ~(uint64_t)0xfff;
	return need <= img->size ? need : 0;
}

amt_status amt_check_view(const struct amt_image *img, const uint8_t **view, size_t *view_size,
			  amt_finding_kind *how)
{
	*view = img->data;
	*view_size = img->size;
	*how = 0;
	uint64_t pad = truncated_to(img);
	if (pad) {
		uint8_t *v = malloc((size_t)pad);
		if (!v)
			return AMT_E_NOMEM;
		memcpy(v, img->data, img->size);
		memset(v + img->size, 0xFF, (size_t)(pad - img->size));
		*view = v;
		*view_size = (size_t)pad;
		*how = AMT_N_TRUNCATED;
		return AMT_OK;
	}
	uint64_t ext = shrunk_to(img);
	if (ext) {
		const struct amt_ifd *ifd = &img->ifd;
		uint64_t me_end = img->fw.region_offset + img->fw.region_size;
		uint64_t flreg2 = ifd->offset + ifd->frba + 8;
		if (flreg2 + 4 > ext || me_end > ext)
			return AMT_OK;
		uint8_t *v = malloc((size_t)ext);
		if (!v)
			return AMT_E_NOMEM;
		memcpy(v, img->data, (size_t)ext);
		memset(v + me_end, 0xFF, (size_t)(ext - me_end));
		uint64_t base = ifd->region[AMT_RGN_ME].base;
		uint64_t lim = ext - 1 - ifd->offset;
		amt_wr32(v + flreg2, (uint32_t)((base >> 12) & 0x7fff) |
					     (uint32_t)(((lim >> 12) & 0x7fff) << 16));
		/* the region that grew down into the old ME region starts where
		 * it started before */
		for (unsigned r = 0; r < ifd->nregions && r < AMT_IFD_MAX_REGIONS; r++) {
			const struct amt_ifd_region *g = &ifd->region[r];
			if (r == AMT_RGN_ME || !g->used || ifd->offset + g->base != me_end ||
			    ifd->offset + g->limit + 1 <= ext)
				continue;
			uint64_t fl = ifd->offset + ifd->frba + 4u * r;
			amt_wr32(v + fl, (uint32_t)(((ext - ifd->offset) >> 12) & 0x7fff) |
					 (uint32_t)(((g->limit >> 12) & 0x7fff) << 16));
		}
		*view = v;
		*view_size = (size_t)ext;
		*how = AMT_N_SHRUNK;
	}
	return AMT_OK;
}

amt_status amt_verify(const uint8_t *data, size_t size, const struct amt_verify_opts *opts,
		      struct amt_report **out, amt_error *err)
{
	struct amt_verify_opts o;
	*out = NULL;
	amt_error_clear(err);
	amt_verify_opts_init(&o);
	if (opts && !amt_opts_take(&o, sizeof(o), opts,
				   AMT_OPTS_V1_END(struct amt_verify_opts, hap_override)))
		return amt_error_set(err, AMT_E_ARG, "verify", AMT_NO_OFFSET,
				     "options not set up by amt_verify_opts_init");
	opts = &o;
	struct amt_parse_opts po;
	amt_parse_opts_init(&po);
	po.verify_signatures = true;
	po.platform_override = opts->platform;
	po.hap_override = opts->hap_override;
	struct amt_image *img = NULL;
	amt_status st = amt_image_parse(data, size, &po, &img, err);
	if (st != AMT_OK)
		return st;
	struct amt_report *r = calloc(1, sizeof(*r));
	if (!r) {
		amt_image_free(img);
		return amt_error_set(err, AMT_E_NOMEM, "verify", AMT_NO_OFFSET, "out of memory");
	}
	const uint8_t *view;
	size_t vsize;
	amt_finding_kind how;
	st = amt_check_view(img, &view, &vsize, &how);
	if (st == AMT_OK && how) {
		struct amt_image *vi = NULL;
		amt_error e2;
		if (amt_image_parse(view, vsize, &po, &vi, &e2) == AMT_OK && vi->has_fw) {
			uint64_t me_end = img->fw.region_offset + img->fw.region_size;
			st = amt_report_add(r, how, "ME region", img->fw.region_offset, "",
					    how == AMT_N_TRUNCATED ?
					    "a region truncated after its kept data (0x%zx bytes): "
					    "checked as padded with 0xFF to 0x%zx" :
					    "the ME region was shrunk after its kept data (it ends at "
					    "0x%zx): its partitions are checked as if it reached 0x%zx",
					    how == AMT_N_TRUNCATED ? size : (size_t)me_end, vsize);
			amt_image_free(img);
			img = vi;
		} else {
			amt_image_free(vi);
		}
	}
	if (st == AMT_OK)
		st = amt_check_image(img, r);
	amt_image_free(img);
	if (view != data)
		free((void *)view);
	if (st != AMT_OK) {
		amt_report_free(r);
		return amt_error_set(err, AMT_E_NOMEM, "verify", AMT_NO_OFFSET, "out of memory");
	}
	*out = r;
	return AMT_OK;
}
