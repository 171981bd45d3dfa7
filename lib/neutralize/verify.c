/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The independent verification of a neutralized output. It never reads the
 * plan: it parses the whole output again with the same model, and derives
 * what must hold from the input's model and the options alone:
 *  - the output is sound (check.c: signatures, checksums, module hashes,
 *    structure, regions);
 *  - every signature that was valid in the input and whose manifest is
 *    still there is valid; FTPR's is there (unless the region is wiped);
 *  - every module that holds code in the output holds exactly the bytes it
 *    held in the input, wherever it now lies (relocation); a whitelisted
 *    partition holds its bytes;
 *  - the disable bit, located from the OUTPUT's own descriptor, is set
 *    when the operation sets it, and clear when it re-enables the ME (then
 *    nothing but that bit may differ);
 *  - what the operation removes is gone: only the boot keep-list (and the
 *    partitions the options keep) still hold code; a wiped region is all
 *    0xFF, and on generation 1 disabled in the descriptor;
 *  - the output differs from the input only where the operation may touch
 *    it: the input's ME region (when firmware is edited), the disable bit
 *    itself (its bits, not its dword), the ME region's and the next
 *    region's FLREG (shrinking, generation 1), FLMSTR2 (restricting the
 *    ME's access); its size changes only when a bare region is truncated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neutralize_int.h"

#define ADD(...) do { if (amt_report_add(r, __VA_ARGS__)) return AMT_E_NOMEM; } while (0)

/* What the operation is, from the input's model and the options. */
struct op {
	bool full;              /* the input has a descriptor and the ME region in it */
	bool cse_whole;         /* native CSME 12+ / IFWI: the firmware is left whole
				   unless reduced */
	bool edits_fw;          /* bytes of the ME region may change */
	bool strips;            /* modules outside the keep-list must be gone */
	bool wipe_gen1, wipe_ignition;
	bool sets_bit;
	bool clears_bit;        /* re-enabling the ME: the bit clear, nothing else changed */
	bool bit_alone;         /* only the disable bit changes (cleared, or a descriptor
				   file alone) */
	uint64_t rs, re;        /* the input's ME region, absolute [rs, re) */
	int gen;
};

struct range {
	uint64_t lo, hi;        /* [lo, hi) */
	uint32_t mask;          /* dword edits: the bits that may change (0: any) */
};

static bool is_ifwi(const struct amt_fw *fw)
{
	return fw->layout == AMT_LAYOUT_IFWI16 || fw->layout == AMT_LAYOUT_IFWI17 ||
	       fw->layout == AMT_LAYOUT_BPDT;
}

static void derive_op(const struct amt_image *in, const struct amt_neutralize_opts *o,
		      struct op *op)
{
	memset(op, 0, sizeof(*op));
	const struct amt_fw *fw = in->has_fw ? &in->fw : NULL;
	op->gen = fw ? fw->generation : in->has_ifd && in->ifd.ich_layout ? 1 : 0;
	bool desc = in->has_ifd &&
		    (in->kind == AMT_KIND_FULL || in->kind == AMT_KIND_DESCRIPTOR_ONLY);
	op->full = desc;
	if (in->has_ifd && in->ifd.nregions > AMT_RGN_ME && in->ifd.region[AMT_RGN_ME].used) {
		op->rs = in->ifd.offset + in->ifd.region[AMT_RGN_ME].base;
		op->re = in->ifd.offset + in->ifd.region[AMT_RGN_ME].limit + 1;
	} else if (fw) {
		op->rs = fw->region_offset;
		op->re = fw->region_offset + fw->region_size;
	}
	if (!in->has_ifd && fw) {
		op->rs = 0;
		op->re = in->size;
	}
	if (desc && amt_neu_clears(o)) {
		/* only the disable bit's own bits may change, to clear */
		op->clears_bit = true;
		op->bit_alone = true;
		return;
	}
	if (in->kind == AMT_KIND_DESCRIPTOR_ONLY) {
		/* a descriptor file alone: no firmware here to edit or wipe */
		op->bit_alone = true;
		op->sets_bit = desc && (o->set_disable_bit || o->disable_bit_only || op->gen == 1);
		return;
	}
	bool native = o->policy == AMT_NEU_NATIVE;
	op->cse_whole = native && fw &&
			(is_ifwi(fw) || (fw->generation == 3 && fw->version_known &&
					 fw->version.major >= 12));
	op->sets_bit = op->full && (o->set_disable_bit || o->disable_bit_only || op->gen == 1);
	if (op->cse_whole) {
		op->edits_fw = o->reduce_cse;
		return;
	}
	if (op->gen == 1) {
		op->wipe_gen1 = op->full;
		op->edits_fw = op->full;
		return;
	}
	op->wipe_ignition = fw && fw->ignition && !o->disable_bit_only;
	op->edits_fw = !o->disable_bit_only && fw != NULL;
	op->strips = op->edits_fw && !o->keep_modules && !op->wipe_ignition;
}

/* The ranges the operation may change, from the input's model. */
static size_t allowed_ranges(const struct amt_image *in, const struct amt_neutralize_opts *o,
			     const struct op *op, struct range *a)
{
	size_t n = 0;
	if (op->edits_fw && op->re > op->rs)
		a[n++] = (struct range){ op->rs, op->re, 0 };
	if (!in->has_ifd)
		return n;
	const struct amt_ifd *ifd = &in->ifd;
	if ((op->sets_bit || op->clears_bit) && ifd->disable.located)
		for (unsigned i = 0; i < ifd->disable.nloc && i < 2; i++) {
			const struct amt_strap_bit *sb = &ifd->disable.loc[i];
			uint64_t dw = sb->file_offset & ~(uint64_t)3;
			a[n++] = (struct range){ dw, dw + 4,
						 1u << (sb->byte_bit + 8 * (unsigned)(sb->file_offset & 3)) };
		}
	uint64_t frba = ifd->offset + ifd->frba;
	if (op->wipe_gen1 || (o->shrink_region && o->policy == AMT_NEU_NATIVE && op->full))
		a[n++] = (struct range){ frba + 8, frba + 12, 0 };
	if (o->shrink_region && o->policy == AMT_NEU_NATIVE && op->full)
		for (unsigned r = 0; r < ifd->nregions && r < AMT_IFD_MAX_REGIONS; r++)
			if (r != AMT_RGN_ME && ifd->region[r].used &&
			    ifd->offset + ifd->region[r].base == op->re)
				a[n++] = (struct range){ frba + 4u * r, frba + 4u * r + 4, 0 };
	if (o->fix_master && op->full)
		a[n++] = (struct range){ ifd->offset + ifd->fmba + 4, ifd->offset + ifd->fmba + 8, 0 };
	return n;
}

static amt_status check_diff(const uint8_t *in, size_t in_size, const uint8_t *out,
			     size_t out_size, const struct range *a, size_t na, struct amt_report *r)
{
	size_t n = in_size < out_size ? in_size : out_size;
	uint64_t first = AMT_NO_OFFSET, count = 0;
	size_t i = 0;
	while (i < n) {
		/* skip a whole equal block fast */
		size_t blk = n - i < 4096 ? n - i : 4096;
		if (!memcmp(in + i, out + i, blk)) {
			i += blk;
			continue;
		}
		for (size_t k = i; k < i + blk; k++) {
			if (in[k] == out[k])
				continue;
			bool ok = false;
			for (size_t j = 0; j < na && !ok; j++) {
				if (k < a[j].lo || k >= a[j].hi)
					continue;
				if (!a[j].mask) {
					ok = true;
				} else {
					unsigned sh = 8 * (unsigned)(k - a[j].lo);
					uint8_t m = (uint8_t)(a[j].mask >> sh);
					ok = ((in[k] ^ out[k]) & (uint8_t)~m) == 0;
				}
			}
			if (!ok) {
				if (first == AMT_NO_OFFSET)
					first = k;
				count++;
			}
		}
		i += blk;
	}
	if (count)
		ADD(AMT_F_DIFF_BOUND, "image", first, "",
		    "%llu byte(s) changed outside what the operation may touch, the first at 0x%llx",
		    (unsigned long long)count, (unsigned long long)first);
	return AMT_OK;
}

static const struct amt_module *find_module(const struct amt_fw *fw, const char *part,
					    const char *name)
{
	for (size_t i = 0; i < fw->nmodules; i++)
		if (!strcmp(fw->modules[i].partition, part) && !strcmp(fw->modules[i].name, name))
			return &fw->modules[i];
	return NULL;
}

/* The stored bytes of a module: one range, or its LLUT chunks. */
static bool same_module_bytes(const struct amt_image *ii, const struct amt_module *mi,
			      const uint8_t *out, size_t out_size, const struct amt_fw *fo,
			      const struct amt_module *mo)
{
	const struct amt_fw *fi = &ii->fw;
	if (mi->comp == AMT_COMP_HUFFMAN && mi->llut >= 0) {
		uint64_t f1, l1, f2, l2;
		if (!amt_llut_module_chunks(fi, mi, AMT_CHUNKS_VISIBLE, &f1, &l1) ||
		    !amt_llut_module_chunks(fo, mo, AMT_CHUNKS_VISIBLE, &f2, &l2) || f1 != f2 ||
		    l1 != l2)
			return false;
		const struct amt_llut *a = &fi->lluts[mi->llut], *b = &fo->lluts[mo->llut];
		for (uint64_t k = f1; k <= l1; k++) {
			const struct amt_llut_chunk *x = &a->chunks[k], *y = &b->chunks[k];
			if (!x->offset && !y->offset)
				continue;
			uint64_t lx = x->end - x->offset, ly = y->end - y->offset;
			uint64_t ax = fi->region_offset + x->offset, ay = fo->region_offset + y->offset;
			if (!x->offset || !y->offset || !x->end_known || !y->end_known || lx != ly ||
			    !amt_in(ii->size, ax, lx) || !amt_in(out_size, ay, ly) ||
			    memcmp(ii->data + ax, out + ay, lx))
				return false;
		}
		return true;
	}
	uint64_t n = mi->size;
	if (mo->size != n || !amt_in(ii->size, mi->offset, n))
		return false;
	if (!amt_in(out_size, mo->offset, n))
		return false;
	return !memcmp(ii->data + mi->offset, out + mo->offset, n);
}

static bool partition_whitelisted(const struct amt_neutralize_opts *o, const char *name)
{
	if (o->keep_modules && !strcmp(name, "FTPR"))
		return true;
	for (unsigned i = 0; i < o->nwhitelist; i++)
		if (!strcmp(o->whitelist[i], name))
			return true;
	if (o->blacklist_given) {
		for (unsigned i = 0; i < o->nblacklist; i++)
			if (!strcmp(o->blacklist[i], name))
				return false;
		return true;
	}
	return false;
}

static amt_status check_kept(const struct amt_image *ii, const struct amt_image *io,
			     const uint8_t *out, size_t out_size, const struct amt_neutralize_opts *o,
			     const struct op *op, struct amt_report *r)
{
	const struct amt_fw *fi = &ii->fw, *fo = &io->fw;
	char nm[24];

	for (size_t i = 0; i < fo->nmodules; i++) {
		const struct amt_module *mo = &fo->modules[i];
		if (mo->present != AMT_YES)
			continue;
		snprintf(nm, sizeof(nm), "%.4s/%.16s", mo->partition, mo->name);
		const struct amt_module *mi = find_module(fi, mo->partition, mo->name);
		if (!mi) {
			ADD(AMT_F_KEPT_UNKNOWN, "module", mo->offset, nm,
			    "%s holds code in the output but is not in the input", nm);
			continue;
		}
		if (!same_module_bytes(ii, mi, out, out_size, fo, mo))
			ADD(AMT_F_KEPT_CHANGED, "module", mo->offset, nm,
			    "the bytes of %s are not those it had in the input (at 0x%llx)", nm,
			    (unsigned long long)mi->offset);
		if (op->strips && mo->kind == AMT_MOD_MODULE && !amt_fw_boot_module(fo, mo) &&
		    !partition_whitelisted(o, mo->partition))
			ADD(AMT_F_NOT_REMOVED, "module", mo->offset, nm,
			    "%s is not on the boot keep-list but still holds code", nm);
	}
	/* partitions the options keep, and the manifests that remain */
	for (size_t i = 0; i < fo->npartitions; i++) {
		const struct amt_partition *po = &fo->partitions[i];
		if (po->container != AMT_CONT_FPT || po->empty || !po->in_range || po->nmodules ||
		    po->has_cpd || !partition_whitelisted(o, po->name) || !strcmp(po->name, "FTPR"))
			continue;
		for (size_t j = 0; j < fi->npartitions; j++) {
			const struct amt_partition *pi = &fi->partitions[j];
			if (pi->container != AMT_CONT_FPT || strcmp(pi->name, po->name) ||
			    pi->size != po->size)
				continue;
			/* bytes another removed partition overlapped may be kept
			 * or not: compare those of the partition alone */
			if (!amt_in(ii->size, pi->offset, pi->size) ||
			    !amt_in(out_size, po->offset, po->size))
				break;
			if (memcmp(ii->data + pi->offset, out + po->offset, po->size))
				ADD(AMT_F_KEPT_CHANGED, "partition", po->offset, po->name,
				    "the kept partition %s differs from the input", po->name);
			break;
		}
	}
	for (size_t i = 0; i < fi->nmanifests; i++) {
		const struct amt_manifest *mi = &fi->manifests[i];
		if (mi->sig != AMT_SIG_VALID)
			continue;
		for (size_t j = 0; j < fo->nmanifests; j++) {
			const struct amt_manifest *mo = &fo->manifests[j];
			if (strcmp(mo->partition, mi->partition) || strcmp(mo->name, mi->name))
				continue;
			if (mo->sig != AMT_SIG_VALID)
				ADD(AMT_F_SIGNATURE_LOST, "manifest", mo->offset, mo->partition,
				    "the %s manifest signature was valid in the input and is %s in "
				    "the output", mi->partition, amt_sig_status_str(mo->sig));
			break;
		}
	}
	return AMT_OK;
}

/* Move the AMT_F_REGIONS findings of r to its notes (as AMT_N_STRUCTURE)
 * and settle the verdict again. */
static amt_status regions_as_notes(struct amt_report *r)
{
	size_t k = 0;
	for (size_t i = 0; i < r->nfindings; i++) {
		struct amt_finding f = r->findings[i];
		if (f.kind != AMT_F_REGIONS) {
			r->findings[k++] = f;
			continue;
		}
		if (amt_report_add(r, AMT_N_STRUCTURE, f.structure, f.offset, f.name,
				   "%.160s (as in the input; the disable bit alone does not depend "
				   "on the region map)", f.message))
			return AMT_E_NOMEM;
	}
	r->nfindings = k;
	if (!k)
		r->verdict = r->disable_bit == AMT_YES || r->stripped || r->wiped ||
			     (r->me_region_disabled && !r->has_fw) ?
			     AMT_VERDICT_NEUTRALIZED : AMT_VERDICT_NOT_NEUTRALIZED;
	return AMT_OK;
}

amt_status amt_verify_output(const uint8_t *in, size_t in_size, const struct amt_image *ii,
			     const struct amt_neutralize_opts *o, const uint8_t *out,
			     size_t out_size, struct amt_report *r)
{
	struct amt_neutralize_opts on;
	if (!amt_neu_opts_norm(o, &on))
		amt_neutralize_opts_init(&on);   /* the pipeline checked them */
	o = &on;
	struct op op;
	derive_op(ii, o, &op);
	r->verdict = AMT_VERDICT_NOT_NEUTRALIZED;

	/* the difference, bounded */
	if (out_size != in_size) {
		bool may = o->truncate && !ii->has_ifd && out_size < in_size && out_size > 0;
		if (!may)
			ADD(AMT_F_SIZE, "image", AMT_NO_OFFSET, "",
			    "the output has %zu bytes, the input %zu: only truncating a bare region "
			    "may change the size", out_size, in_size);
	}
	struct range a[8];
	size_t na = allowed_ranges(ii, o, &op, a);
	if (check_diff(in, in_size, out, out_size, a, na, r))
		return AMT_E_NOMEM;

	/* the output on its own */
	struct amt_parse_opts po;
	amt_parse_opts_init(&po);
	po.verify_signatures = true;
	po.platform_override = o->platform;
	po.hap_override = o->hap_override;
	struct amt_image *io = NULL;
	amt_error e;
	if (amt_image_parse(out, out_size, &po, &io, &e) != AMT_OK) {
		r->parses = false;
		ADD(AMT_F_PARSE, e.structure, e.offset, "", "the output does not parse: %s",
		    e.message);
		return AMT_OK;
	}
	const uint8_t *view;
	size_t vsize;
	amt_finding_kind how;
	if (amt_check_view(io, &view, &vsize, &how)) {
		amt_image_free(io);
		return AMT_E_NOMEM;
	}
	if (how) {
		struct amt_image *vi = NULL;
		if (amt_image_parse(view, vsize, &po, &vi, &e) == AMT_OK && vi->has_fw) {
			amt_image_free(io);
			io = vi;
			if (amt_report_add(r, how, "ME region", AMT_NO_OFFSET, "", "%s",
					   how == AMT_N_TRUNCATED ?
					   "the output region is truncated after its kept data: "
					   "checked as padded with 0xFF" :
					   "the output's ME region is shrunk after its kept data: "
					   "checked as it was before")) {
				amt_image_free(io);
				free((void *)view);
				return AMT_E_NOMEM;
			}
		} else {
			amt_image_free(vi);
		}
	}
	amt_status st = amt_check_image(io, r);
	/* the disable bit alone on a descriptor whose region map overlaps (or
	 * runs past the flash): the map is the input's, byte for byte (the
	 * bound above holds every FLREG), and the edit does not depend on
	 * it: a note, not a problem of this result */
	if (st == AMT_OK && op.bit_alone && ii->has_ifd &&
	    (ii->ifd.regions_overlap || ii->ifd.region_past_flash))
		st = regions_as_notes(r);

	/* the disable bit, from the output's own descriptor */
	if (st == AMT_OK && op.sets_bit) {
		const struct amt_disable_bit *db = io->has_ifd ? &io->ifd.disable : NULL;
		if (!db || !db->located)
			st = amt_report_add(r, AMT_F_DISABLE_BIT, "descriptor", AMT_NO_OFFSET, "",
					    "the disable bit cannot be located in the output's "
					    "descriptor");
		else if (db->state != AMT_YES)
			st = amt_report_add(r, AMT_F_DISABLE_BIT, "descriptor", db->loc[0].file_offset,
					    db->loc[0].strap, "the disable bit (%s %s bit %u) is not "
					    "set in the output", amt_disable_kind_str(db->kind),
					    db->loc[0].strap, db->loc[0].bit);
	}
	/* re-enabling: every located bit clear in the output's own descriptor */
	if (st == AMT_OK && op.clears_bit) {
		const struct amt_disable_bit *db = io->has_ifd ? &io->ifd.disable : NULL;
		if (!db || !db->located || !db->nloc)
			st = amt_report_add(r, AMT_F_DISABLE_BIT, "descriptor", AMT_NO_OFFSET, "",
					    "the disable bit cannot be located in the output's "
					    "descriptor");
		for (unsigned i = 0; st == AMT_OK && db && db->located && i < db->nloc && i < 2; i++)
			if (db->loc[i].set)
				st = amt_report_add(r, AMT_F_DISABLE_BIT, "descriptor",
						    db->loc[i].file_offset, db->loc[i].strap,
						    "the disable bit (%s %s bit %u) is still set in "
						    "the output", amt_disable_kind_str(db->kind),
						    db->loc[i].strap, db->loc[i].bit);
	}
	/* wiped regions */
	if (st == AMT_OK && (op.wipe_gen1 || op.wipe_ignition)) {
		uint64_t end = op.re < out_size ? op.re : out_size;
		bool ff = true;
		for (uint64_t k = op.rs; k < end && ff; k++)
			ff = out[k] == 0xFF;
		if (!ff)
			st = amt_report_add(r, AMT_F_NOT_WIPED, "ME region", op.rs, "",
					    "the ME region 0x%llx-0x%llx is not completely erased",
					    (unsigned long long)op.rs, (unsigned long long)(op.re - 1));
		if (st == AMT_OK && op.wipe_gen1 && io->has_ifd &&
		    io->ifd.nregions > AMT_RGN_ME && io->ifd.region[AMT_RGN_ME].used)
			st = amt_report_add(r, AMT_F_NOT_WIPED, "FLREG2", AMT_NO_OFFSET, "",
					    "the ME region is still enabled in the descriptor");
	}
	/* what is kept, against the input */
	if (st == AMT_OK && ii->has_fw && io->has_fw && !op.wipe_gen1 && !op.wipe_ignition) {
		st = check_kept(ii, io, view, vsize, o, &op, r);
		if (st == AMT_OK) {
			const struct amt_fw *fi = &ii->fw;
			bool had = fi->ftpr_manifest >= 0 &&
				   fi->manifests[fi->ftpr_manifest].sig == AMT_SIG_VALID;
			if (had && io->fw.ftpr_manifest < 0)
				st = amt_report_add(r, AMT_F_SIGNATURE_LOST, "FTPR", AMT_NO_OFFSET, "",
						    "the FTPR manifest is not in the output");
		}
	} else if (st == AMT_OK && ii->has_fw && !io->has_fw && !op.wipe_gen1 && !op.wipe_ignition) {
		st = amt_report_add(r, AMT_F_NO_FIRMWARE, "ME region", AMT_NO_OFFSET, "",
				    "the output holds no ME firmware");
	}
	amt_image_free(io);
	if (view != out)
		free((void *)view);
	if (st == AMT_OK && r->nfindings)
		r->verdict = AMT_VERDICT_PROBLEMS;
	return st;
}
