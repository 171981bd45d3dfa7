/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * amt_diff(): two images compared through the one model. Every structure
 * compared - straps, descriptor registers, regions, partitions, modules -
 * is where the model (lib/ifd/ifd.c, lib/ifd/platform.c, lib/fw/...) says
 * it is; the only bytes read here are the bytes those places hold, to
 * count what differs.
 *
 * Names: PCH straps are PCHSTRPn (ICHSTRPn on the ICH8-10 layout, as
 * me_cleaner and ifdtool call them); CPU straps are MCHSTRPn on IFDv1 and
 * PROCSTRPn on IFDv2 (coreboot ifdtool: "Processor Strap Section").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amtless/diff.h>
#include <amtless/extract.h>

#include "internal.h"

const char *amt_strap_section_str(amt_strap_section s)
{
	return s == AMT_STRAPS_CPU ? "cpu" : "pch";
}

const char *amt_diff_reg_kind_str(amt_diff_reg_kind k)
{
	switch (k) {
	case AMT_DREG_FLMAP: return "flmap";
	case AMT_DREG_FLREG: return "flreg";
	case AMT_DREG_FLMSTR: return "flmstr";
	}
	return "?";
}

const char *amt_diff_change_str(amt_diff_change c)
{
	switch (c) {
	case AMT_DCH_SAME: return "same";
	case AMT_DCH_CHANGED: return "changed";
	case AMT_DCH_ONLY_A: return "only-a";
	case AMT_DCH_ONLY_B: return "only-b";
	case AMT_DCH_UNKNOWN: return "unknown";
	}
	return "?";
}

const char *amt_diff_known_str(amt_diff_known k)
{
	switch (k) {
	case AMT_DK_NOT_ONE_BIT: return "not-one-bit";
	case AMT_DK_KNOWN: return "known";
	case AMT_DK_OTHER_PLACE: return "other-place";
	case AMT_DK_NO_SOURCE: return "no-source";
	case AMT_DK_PLATFORM_UNKNOWN: return "platform-unknown";
	case AMT_DK_PLATFORMS_DIFFER: return "platforms-differ";
	}
	return "?";
}

void amt_diff_free(struct amt_diff *d)
{
	if (!d)
		return;
	free(d->straps);
	free(d->regs);
	free(d->regions);
	free(d->items);
	free(d);
}

#define NOMEM() amt_error_set(err, AMT_E_NOMEM, "diff", AMT_NO_OFFSET, "out of memory")

static unsigned popcount32(uint32_t v)
{
	unsigned n = 0;
	for (; v; v &= v - 1)
		n++;
	return n;
}

/* ---- straps (both inputs have a descriptor) ------------------------- */

static const char *strap_prefix(const struct amt_ifd *f, amt_strap_section s)
{
	if (s == AMT_STRAPS_PCH)
		return f->ich_layout ? "ICHSTRP" : "PCHSTRP";
	return f->version >= 2 ? "PROCSTRP" : "MCHSTRP";
}

/* The disable bit located in f is bit `bit` of strap `index` of section s. */
static bool is_disable(const struct amt_ifd *f, amt_strap_section s, unsigned index, uint32_t bits)
{
	const struct amt_disable_bit *d = &f->disable;
	if (!d->located)
		return false;
	for (unsigned i = 0; i < d->nloc && i < 2; i++) {
		const struct amt_strap_bit *l = &d->loc[i];
		amt_strap_section ls = !strncmp(l->strap, "MCHSTRP", 7) ? AMT_STRAPS_CPU : AMT_STRAPS_PCH;
		if (ls == s && l->index == index && l->bit < 32 && (bits >> l->bit) & 1)
			return true;
	}
	return false;
}

static amt_status diff_section(struct amt_diff *d, const struct amt_image *ia,
			       const struct amt_image *ib, amt_strap_section s, amt_error *err)
{
	const struct amt_ifd *fa = &ia->ifd, *fb = &ib->ifd, *fn = fa;
	unsigned na = s == AMT_STRAPS_PCH ? fa->npchstrp : fa->nmchstrp;
	unsigned nb = s == AMT_STRAPS_PCH ? fb->npchstrp : fb->nmchstrp;
	unsigned n = na > nb ? na : nb;
	for (unsigned i = 0; i < n && i < AMT_IFD_MAX_STRAPS; i++) {
		bool ina = i < na, inb = i < nb;
		uint32_t va = ina ? (s == AMT_STRAPS_PCH ? fa->pchstrp[i] : fa->mchstrp[i]) : 0;
		uint32_t vb = inb ? (s == AMT_STRAPS_PCH ? fb->pchstrp[i] : fb->mchstrp[i]) : 0;
		if (ina && inb && va == vb)
			continue;
		struct amt_diff_strap *e = amt_grow((void **)&d->straps, &d->nstraps, sizeof(*e));
		if (!e)
			return NOMEM();
		e->section = s;
		e->index = i;
		snprintf(e->name, sizeof(e->name), "%s%u", strap_prefix(fn, s), i);
		e->in_a = ina;
		e->in_b = inb;
		e->a = va;
		e->b = vb;
		e->changed = va ^ vb;
		uint32_t base_a = s == AMT_STRAPS_PCH ? fa->fpsba : fa->fmsba;
		uint32_t base_b = s == AMT_STRAPS_PCH ? fb->fpsba : fb->fmsba;
		e->offset_a = ina ? fa->offset + base_a + 4ull * i : AMT_NO_OFFSET;
		e->offset_b = inb ? fb->offset + base_b + 4ull * i : AMT_NO_OFFSET;
		uint32_t bits = ina && inb ? e->changed : ina ? va : vb;
		e->disable_bit = is_disable(fa, s, i, bits) || is_disable(fb, s, i, bits);
		if (ina && inb)
			d->strap_bits += popcount32(e->changed);
		else
			d->straps_only_one++;
	}
	return AMT_OK;
}

/* The one strap bit: where it is and what the platform table says. */
static void one_bit(struct amt_diff *d, const struct amt_image *ia, const struct amt_image *ib)
{
	const struct amt_diff_strap *e = NULL;
	for (size_t i = 0; i < d->nstraps && !e; i++)
		if (d->straps[i].changed)
			e = &d->straps[i];
	if (!e)
		return;
	struct amt_diff_bit *b = &d->bit;
	unsigned bit = 0;
	while (!((e->changed >> bit) & 1))
		bit++;
	b->section = e->section;
	snprintf(b->strap, sizeof(b->strap), "%s", e->name);
	b->index = e->index;
	b->bit = bit;
	b->file_offset = e->offset_a + bit / 8;
	b->byte_bit = bit % 8;
	b->set_a = (e->a >> bit) & 1;
	b->set_b = (e->b >> bit) & 1;
	amt_platform_id pa = ia->ifd.platform.id, pb = ib->ifd.platform.id;
	b->platform = pa != AMT_PLAT_UNKNOWN ? pa : pb;
	if (pa != AMT_PLAT_UNKNOWN && pb != AMT_PLAT_UNKNOWN && pa != pb) {
		b->known = AMT_DK_PLATFORMS_DIFFER;
		return;
	}
	const struct amt_platform_desc *row = amt_platform_describe(b->platform);
	if (!row) {
		b->known = AMT_DK_PLATFORM_UNKNOWN;
		return;
	}
	if (!row->hap_known) {
		b->known = AMT_DK_NO_SOURCE;
		return;
	}
	b->table_located = true;
	b->table_kind = row->kind;
	bool match;
	if (row->kind == AMT_DIS_MEDISABLE) {
		/* ICHSTRP0 bit 0 and MCHSTRP0 bit 0 (me_cleaner generation 1) */
		snprintf(b->table_strap, sizeof(b->table_strap), "%s", "ICHSTRP0");
		b->table_bit = 0;
		match = b->index == 0 && bit == 0;
	} else {
		snprintf(b->table_strap, sizeof(b->table_strap), "PCHSTRP%u", row->strap_index & 0xFFFu);
		b->table_bit = row->bit;
		match = b->section == AMT_STRAPS_PCH && b->index == row->strap_index && bit == row->bit;
	}
	b->known = match ? AMT_DK_KNOWN : AMT_DK_OTHER_PLACE;
}

/* ---- registers ------------------------------------------------------ */

static struct amt_diff_reg *reg_add(struct amt_diff *d, amt_diff_reg_kind k, unsigned index)
{
	struct amt_diff_reg *r = amt_grow((void **)&d->regs, &d->nregs, sizeof(*r));
	if (r) {
		r->kind = k;
		r->index = index;
		snprintf(r->name, sizeof(r->name), "%s%u",
			 k == AMT_DREG_FLMAP ? "FLMAP" : k == AMT_DREG_FLREG ? "FLREG" : "FLMSTR",
			 index & 0xFFu);
	}
	return r;
}

static amt_status diff_regs(struct amt_diff *d, const struct amt_ifd *fa, const struct amt_ifd *fb,
			    amt_error *err)
{
	unsigned nmap_a = fa->has_flmap3 ? 4 : 3, nmap_b = fb->has_flmap3 ? 4 : 3;
	for (unsigned i = 0; i < 4; i++) {
		bool ina = i < nmap_a, inb = i < nmap_b;
		if (!ina && !inb)
			continue;
		uint32_t va = ina ? fa->flmap[i] : 0, vb = inb ? fb->flmap[i] : 0;
		if (ina && inb && va == vb)
			continue;
		struct amt_diff_reg *r = reg_add(d, AMT_DREG_FLMAP, i);
		if (!r)
			return NOMEM();
		r->in_a = ina;
		r->in_b = inb;
		r->a = va;
		r->b = vb;
	}
	unsigned nr = fa->nregions > fb->nregions ? fa->nregions : fb->nregions;
	for (unsigned i = 0; i < nr && i < AMT_IFD_MAX_REGIONS; i++) {
		bool ina = i < fa->nregions, inb = i < fb->nregions;
		const struct amt_ifd_region *ra = &fa->region[i], *rb = &fb->region[i];
		if (ina && inb && ra->raw == rb->raw)
			continue;
		struct amt_diff_reg *r = reg_add(d, AMT_DREG_FLREG, i);
		if (!r)
			return NOMEM();
		r->in_a = ina;
		r->in_b = inb;
		if (ina) {
			r->a = ra->raw;
			r->used_a = ra->used;
			r->base_a = ra->base;
			r->limit_a = ra->limit;
		}
		if (inb) {
			r->b = rb->raw;
			r->used_b = rb->used;
			r->base_b = rb->base;
			r->limit_b = rb->limit;
		}
	}
	unsigned nm = fa->nmasters > fb->nmasters ? fa->nmasters : fb->nmasters;
	for (unsigned i = 0; i < nm && i < AMT_IFD_MAX_MASTERS; i++) {
		bool ina = i < fa->nmasters, inb = i < fb->nmasters;
		const struct amt_ifd_master *ma = &fa->master[i], *mb = &fb->master[i];
		if (ina && inb && ma->raw == mb->raw)
			continue;
		struct amt_diff_reg *r = reg_add(d, AMT_DREG_FLMSTR, i + 1);
		if (!r)
			return NOMEM();
		r->in_a = ina;
		r->in_b = inb;
		if (ina) {
			r->a = ma->raw;
			r->read_a = ma->read;
			r->write_a = ma->write;
		}
		if (inb) {
			r->b = mb->raw;
			r->read_b = mb->read;
			r->write_b = mb->write;
		}
	}
	return AMT_OK;
}

/* Descriptor-relative [off, off+4) is a dword listed above (a strap, an
 * FLMAP, FLREG or FLMSTR of either descriptor). */
static bool listed_dword(const struct amt_ifd *f, uint64_t rel)
{
	uint64_t dw = rel & ~(uint64_t)3;
	if (dw >= f->sig_offset - f->offset + 4 && dw < f->sig_offset - f->offset + 4 + 16)
		return true;                        /* FLMAP0-3 */
	if (dw >= f->frba && dw < f->frba + 4ull * f->nregions)
		return true;
	if (dw >= f->fmba && dw < f->fmba + 4ull * f->nmasters)
		return true;
	if (dw >= f->fpsba && dw < f->fpsba + 4ull * f->npchstrp)
		return true;
	if (f->nmchstrp && dw >= f->fmsba && dw < f->fmsba + 4ull * f->nmchstrp)
		return true;
	return false;
}

static uint64_t desc_len(const struct amt_image *img)
{
	const struct amt_ifd *f = &img->ifd;
	uint64_t len = f->region[AMT_RGN_FD].used ? f->region[AMT_RGN_FD].limit + 1 : AMT_IFD_SIZE;
	if (f->offset + len > img->size)
		len = img->size - f->offset;
	return len;
}

static void desc_other(struct amt_diff *d, const struct amt_image *ia, const struct amt_image *ib)
{
	const struct amt_ifd *fa = &ia->ifd, *fb = &ib->ifd;
	uint64_t la = desc_len(ia), lb = desc_len(ib), n = la < lb ? la : lb;
	const uint8_t *pa = ia->data + fa->offset, *pb = ib->data + fb->offset;
	d->desc_other_first = d->desc_other_last = AMT_NO_OFFSET;
	for (uint64_t i = 0; i < n; i++) {
		if (pa[i] == pb[i] || listed_dword(fa, i) || listed_dword(fb, i))
			continue;
		if (d->desc_other_first == AMT_NO_OFFSET)
			d->desc_other_first = i;
		d->desc_other_last = i;
		d->desc_other_ndiff++;
	}
}

/* ---- regions -------------------------------------------------------- */

/* Region id of img, absolute [base, end): from the descriptor, or a bare
 * ME region (its firmware's region, or the whole erased file). */
static bool region_of(const struct amt_image *img, unsigned id, uint64_t *base, uint64_t *end,
		      bool *in_file)
{
	if (img->has_ifd) {
		const struct amt_ifd *f = &img->ifd;
		if (id >= f->nregions || !f->region[id].used)
			return false;
		*base = f->offset + f->region[id].base;
		*end = f->offset + f->region[id].limit + 1;
		*in_file = f->region[id].in_file;
		return true;
	}
	if (id != AMT_RGN_ME)
		return false;
	if (img->has_fw) {
		*base = img->fw.region_offset;
		*end = img->fw.region_offset + img->fw.region_size;
	} else {
		*base = 0;
		*end = img->size;
	}
	*in_file = amt_in(img->size, *base, *end - *base);
	return true;
}

static amt_status diff_regions(struct amt_diff *d, const struct amt_image *ia,
			       const struct amt_image *ib, amt_error *err)
{
	for (unsigned id = 0; id < AMT_IFD_MAX_REGIONS; id++) {
		uint64_t ba = 0, ea = 0, bb = 0, eb = 0;
		bool fa = false, fb = false;
		bool ua = region_of(ia, id, &ba, &ea, &fa), ub = region_of(ib, id, &bb, &eb, &fb);
		if (!ua && !ub)
			continue;
		struct amt_diff_region *r = amt_grow((void **)&d->regions, &d->nregions, sizeof(*r));
		if (!r)
			return NOMEM();
		r->id = id;
		r->used_a = ua;
		r->used_b = ub;
		r->in_a = ua && fa;
		r->in_b = ub && fb;
		r->base_a = ba;
		r->end_a = ea;
		r->base_b = bb;
		r->end_b = eb;
		r->first = r->last = AMT_NO_OFFSET;
		r->same_place = ua && ub && ba == bb && ea == eb;
		if (!r->in_a || !r->in_b)
			continue;
		uint64_t la = ea - ba, lb = eb - bb;
		r->compared = true;
		r->compared_len = la < lb ? la : lb;
		r->ndiff = amt_count_diff(ia->data + ba, ib->data + bb, r->compared_len, &r->first,
				      &r->last);
	}
	return AMT_OK;
}

/* ---- firmware ------------------------------------------------------- */

static struct amt_diff_item *item_add(struct amt_diff *d, amt_diff_item_kind k, const char *part,
				      const char *name)
{
	struct amt_diff_item *it = amt_grow((void **)&d->items, &d->nitems, sizeof(*it));
	if (it) {
		it->kind = k;
		snprintf(it->partition, sizeof(it->partition), "%s", part);
		snprintf(it->name, sizeof(it->name), "%s", name);
		it->offset_a = it->offset_b = it->first = AMT_NO_OFFSET;
	}
	return it;
}

/* The part of [off, off+len) that file img holds. */
static uint64_t visible(const struct amt_image *img, uint64_t off, uint64_t len)
{
	if (off >= img->size)
		return 0;
	return len < img->size - off ? len : img->size - off;
}

/* Compare [oa, oa+sa) of a with [ob, ob+sb) of b into it, as far as the
 * files hold them: a part cut off in both at the same length is the same
 * as far as they go (me_cleaner -t truncates both alike). */
static void compare_bytes(struct amt_diff_item *it, const struct amt_image *ia, uint64_t oa,
			  uint64_t sa, const struct amt_image *ib, uint64_t ob, uint64_t sb)
{
	it->offset_a = oa;
	it->offset_b = ob;
	it->size_a = sa;
	it->size_b = sb;
	uint64_t va = visible(ia, oa, sa), vb = visible(ib, ob, sb), n = va < vb ? va : vb;
	uint64_t last;
	it->ndiff = amt_count_diff(ia->data + (n ? oa : 0), ib->data + (n ? ob : 0), n, &it->first, &last);
	it->change = it->ndiff || sa != sb || va != vb ? AMT_DCH_CHANGED : AMT_DCH_SAME;
}

/* A gen 2 Huffman module whose stored hash cannot be read: its LLUT
 * chunks, as the model maps them, compared as far as the files hold them;
 * AMT_DCH_UNKNOWN when the model cannot map them. */
static amt_diff_change compare_chunks(const struct amt_image *ia, const struct amt_module *ma,
				      const struct amt_image *ib, const struct amt_module *mb)
{
	const struct amt_fw *fa = &ia->fw, *fb = &ib->fw;
	uint64_t f1, l1, f2, l2;
	if (ma->llut < 0 || mb->llut < 0 ||
	    !amt_llut_module_chunks(fa, ma, AMT_CHUNKS_VISIBLE, &f1, &l1) ||
	    !amt_llut_module_chunks(fb, mb, AMT_CHUNKS_VISIBLE, &f2, &l2))
		return AMT_DCH_UNKNOWN;
	if (f1 != f2 || l1 != l2)
		return AMT_DCH_CHANGED;
	const struct amt_llut *x = &fa->lluts[ma->llut], *y = &fb->lluts[mb->llut];
	for (uint64_t k = f1; k <= l1; k++) {
		const struct amt_llut_chunk *cx = &x->chunks[k], *cy = &y->chunks[k];
		uint64_t lx = cx->end_known ? cx->end - cx->offset : 0;
		uint64_t ly = cy->end_known ? cy->end - cy->offset : 0;
		if (!cx->offset != !cy->offset || cx->end_known != cy->end_known || lx != ly)
			return AMT_DCH_CHANGED;
		uint64_t ax = fa->region_offset + cx->offset, ay = fb->region_offset + cy->offset;
		uint64_t vx = visible(ia, ax, lx), vy = visible(ib, ay, ly), first, last;
		if (vx != vy || (vx && amt_count_diff(ia->data + ax, ib->data + ay, vx, &first, &last)))
			return AMT_DCH_CHANGED;
	}
	return AMT_DCH_SAME;
}

static bool partition_data(const struct amt_partition *p)
{
	return !p->empty && p->size;
}

static amt_status diff_partitions(struct amt_diff *d, const struct amt_image *ia,
				  const struct amt_image *ib, amt_error *err)
{
	const struct amt_fw *a = &ia->fw, *b = &ib->fw;
	bool *used = calloc(b->npartitions + 1, 1);
	if (!used)
		return NOMEM();
	amt_status st = AMT_OK;
	for (size_t i = 0; i < a->npartitions && st == AMT_OK; i++) {
		const struct amt_partition *pa = &a->partitions[i];
		const struct amt_partition *pb = NULL;
		for (size_t j = 0; j < b->npartitions && !pb; j++)
			if (!used[j] && b->partitions[j].container == pa->container &&
			    !strcmp(b->partitions[j].name, pa->name)) {
				pb = &b->partitions[j];
				used[j] = true;
			}
		struct amt_diff_item tmp;
		memset(&tmp, 0, sizeof(tmp));
		tmp.offset_a = tmp.offset_b = tmp.first = AMT_NO_OFFSET;
		if (!pb) {
			tmp.change = AMT_DCH_ONLY_A;
			tmp.offset_a = pa->offset;
			tmp.size_a = pa->size;
		} else if (!partition_data(pa) && !partition_data(pb)) {
			tmp.change = AMT_DCH_SAME;
		} else {
			compare_bytes(&tmp, ia, pa->offset, partition_data(pa) ? pa->size : 0, ib,
				      pb->offset, partition_data(pb) ? pb->size : 0);
		}
		if (tmp.change == AMT_DCH_SAME) {
			d->same_partitions++;
			continue;
		}
		struct amt_diff_item *it = item_add(d, AMT_DITEM_PARTITION, pa->name, pa->name);
		if (!it) {
			st = NOMEM();
			break;
		}
		tmp.kind = it->kind;
		memcpy(tmp.partition, it->partition, sizeof(tmp.partition));
		memcpy(tmp.name, it->name, sizeof(tmp.name));
		*it = tmp;
	}
	for (size_t j = 0; j < b->npartitions && st == AMT_OK; j++) {
		if (used[j])
			continue;
		const struct amt_partition *pb = &b->partitions[j];
		struct amt_diff_item *it = item_add(d, AMT_DITEM_PARTITION, pb->name, pb->name);
		if (!it) {
			st = NOMEM();
			break;
		}
		it->change = AMT_DCH_ONLY_B;
		it->offset_b = pb->offset;
		it->size_b = pb->size;
	}
	free(used);
	return st;
}

/* A gen 2 module stored as Huffman chunks behind an LLUT. */
static bool chunked(const struct amt_module *m)
{
	return m->comp == AMT_COMP_HUFFMAN && m->llut >= 0;
}

static amt_status diff_modules(struct amt_diff *d, const struct amt_image *ia,
			       const struct amt_image *ib, amt_error *err)
{
	const struct amt_fw *a = &ia->fw, *b = &ib->fw;
	bool *used = calloc(b->nmodules + 1, 1);
	if (!used)
		return NOMEM();
	amt_status st = AMT_OK;
	for (size_t i = 0; i < a->nmodules && st == AMT_OK; i++) {
		const struct amt_module *ma = &a->modules[i];
		const struct amt_module *mb = NULL;
		size_t jb = 0;
		for (size_t j = 0; j < b->nmodules && !mb; j++)
			if (!used[j] && !strcmp(b->modules[j].partition, ma->partition) &&
			    !strcmp(b->modules[j].name, ma->name)) {
				mb = &b->modules[j];
				jb = j;
				used[j] = true;
			}
		struct amt_diff_item tmp;
		memset(&tmp, 0, sizeof(tmp));
		tmp.offset_a = tmp.offset_b = tmp.first = AMT_NO_OFFSET;
		if (!mb) {
			tmp.change = AMT_DCH_ONLY_A;
			tmp.offset_a = ma->offset;
			tmp.size_a = ma->size;
		} else if (chunked(ma) || chunked(mb)) {
			/* scattered chunks: the stored hash (of the unpacked code),
			 * whether the code is there, whether it matches */
			uint8_t ha[48], hb[48];
			unsigned la = 0, lb = 0;
			uint64_t oa, ob;
			bool ka = amt_module_stored_hash(ia, i, ha, &la, &oa) == AMT_OK;
			bool kb = amt_module_stored_hash(ib, jb, hb, &lb, &ob) == AMT_OK;
			tmp.by_hash = true;
			tmp.offset_a = ma->offset;
			tmp.offset_b = mb->offset;
			tmp.size_a = ma->size;
			tmp.size_b = mb->size;
			if (!ka || !kb)
				tmp.change = ma->present != mb->present || ma->size != mb->size ?
					     AMT_DCH_CHANGED : compare_chunks(ia, ma, ib, mb);
			else
				tmp.change = la != lb || memcmp(ha, hb, la) || ma->size != mb->size ||
					     ma->present != mb->present || ma->hash_ok != mb->hash_ok ?
					     AMT_DCH_CHANGED : AMT_DCH_SAME;
		} else {
			compare_bytes(&tmp, ia, ma->offset, ma->size, ib, mb->offset, mb->size);
		}
		if (tmp.change == AMT_DCH_SAME) {
			d->same_modules++;
			continue;
		}
		struct amt_diff_item *it = item_add(d, AMT_DITEM_MODULE, ma->partition, ma->name);
		if (!it) {
			st = NOMEM();
			break;
		}
		tmp.kind = it->kind;
		memcpy(tmp.partition, it->partition, sizeof(tmp.partition));
		memcpy(tmp.name, it->name, sizeof(tmp.name));
		*it = tmp;
	}
	for (size_t j = 0; j < b->nmodules && st == AMT_OK; j++) {
		if (used[j])
			continue;
		const struct amt_module *mb = &b->modules[j];
		struct amt_diff_item *it = item_add(d, AMT_DITEM_MODULE, mb->partition, mb->name);
		if (!it) {
			st = NOMEM();
			break;
		}
		it->change = AMT_DCH_ONLY_B;
		it->offset_b = mb->offset;
		it->size_b = mb->size;
	}
	free(used);
	return st;
}

/* ---- the whole ------------------------------------------------------ */

amt_status amt_diff(const struct amt_image *a, const struct amt_image *b, struct amt_diff **out,
		    amt_error *err)
{
	amt_error_clear(err);
	if (!out)
		return amt_error_set(err, AMT_E_ARG, "diff", AMT_NO_OFFSET, "no result pointer");
	*out = NULL;
	if (!a || !b || !a->data || !b->data)
		return amt_error_set(err, AMT_E_ARG, "diff", AMT_NO_OFFSET, "an image is missing");
	struct amt_diff *d = calloc(1, sizeof(*d));
	if (!d)
		return NOMEM();
	d->size_a = a->size;
	d->size_b = b->size;
	d->kind_a = a->kind;
	d->kind_b = b->kind;
	uint64_t f, l, n = a->size < b->size ? a->size : b->size;
	d->ndiff_bytes = amt_count_diff(a->data, b->data, n, &f, &l) +
			 (a->size > b->size ? a->size - b->size : b->size - a->size);
	d->identical = d->ndiff_bytes == 0;
	d->desc_other_first = d->desc_other_last = AMT_NO_OFFSET;

	amt_status st = AMT_OK;
	d->ifd_a = a->has_ifd;
	d->ifd_b = b->has_ifd;
	if (a->has_ifd) {
		d->ifd_version_a = a->ifd.version;
		d->platform_a = a->ifd.platform.id;
		d->platform_status_a = a->ifd.platform.status;
	}
	if (b->has_ifd) {
		d->ifd_version_b = b->ifd.version;
		d->platform_b = b->ifd.platform.id;
		d->platform_status_b = b->ifd.platform.status;
	}
	if (a->has_ifd && b->has_ifd) {
		st = diff_section(d, a, b, AMT_STRAPS_PCH, err);
		if (st == AMT_OK)
			st = diff_section(d, a, b, AMT_STRAPS_CPU, err);
	}
	if (st == AMT_OK && a->has_ifd && b->has_ifd) {
		d->one_strap_bit = d->strap_bits == 1 && !d->straps_only_one;
		if (d->one_strap_bit)
			one_bit(d, a, b);
		st = diff_regs(d, &a->ifd, &b->ifd, err);
		if (st == AMT_OK)
			desc_other(d, a, b);
	}
	if (st == AMT_OK)
		st = diff_regions(d, a, b, err);

	d->fw_a = a->has_fw;
	d->fw_b = b->has_fw;
	if (a->has_fw) {
		d->family_a = a->fw.family;
		d->version_known_a = a->fw.version_known;
		d->version_a = a->fw.version;
	}
	if (b->has_fw) {
		d->family_b = b->fw.family;
		d->version_known_b = b->fw.version_known;
		d->version_b = b->fw.version;
	}
	if (st == AMT_OK && a->has_fw && b->has_fw) {
		st = diff_partitions(d, a, b, err);
		if (st == AMT_OK)
			st = diff_modules(d, a, b, err);
	}
	if (st != AMT_OK) {
		amt_diff_free(d);
		return st;
	}
	*out = d;
	return AMT_OK;
}
