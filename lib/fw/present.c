/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Does a module still hold code? (struct amt_module.present)
 *
 * Modules stored in one piece (gen 1, gen 2 uncompressed/LZMA, CSE $CPD
 * entries): the stored bytes, as far as they are in the input. A removed
 * module is filled with 0xFF (me_cleaner fill_range, amtless neutralize)
 * or cut off by truncation (me_cleaner -t, amtless --truncate).
 *
 * Gen 2 Huffman modules are stored as chunks behind the LLUT
 * (doc/formats.md#llut; me_cleaner get_chunks_offsets / remove_modules):
 *   LLUT +0x04 chunk count, +0x08 address base (+0x10000000), +0x10 and
 *   +0x14 sum to the end of the Huffman stream, +0x30 chunk size, +0x40
 *   table of 4-byte entries: bits 23:0 region offset of the chunk's data,
 *   top byte 0x80 = no data; a chunk's data runs to the next larger chunk
 *   offset (or the end of the stream).
 *   A module's chunks: first = (load base - address base) / chunk size,
 *   up to (load base - address base + uncompressed size - 1) / chunk size.
 * The rule (checked on the corpus: every module of the unmodified ME 6-10
 * images is YES, and the already-cleaned x230 ME 8 image is stripped):
 *  - counted chunks of a module: those with data whose offset no other
 *    LLUT entry repeats, and that lie in no other module's chunks. Two
 *    kinds are not counted because the default neutralization (me_cleaner
 *    and amtless alike) leaves them in place when it removes the module:
 *    (a) chunk offsets used by several entries: get_chunks_offsets gives
 *    them length 0, so they are never erased (the x230 image keeps 244
 *    bytes of KERNEL that way); (b) chunks shared with a neighbour: a
 *    module that does not end on a chunk boundary shares its last chunk,
 *    and me_cleaner keeps one chunk past a kept module (first + size /
 *    chunk size, inclusive), so both count as the neighbour's too;
 *  - a module is YES when a counted chunk holds a byte that is not 0xFF,
 *    NO when none does (erased, or past the end of the input);
 *  - a module without counted chunks (all shared) is judged on all its
 *    chunks the same way: a removed module that shares every chunk with a
 *    kept one therefore stays YES - its code is still there.
 * Anything that cannot be read (no LLUT, a chunk outside the partition,
 * a chunk whose end is unknown) gives UNKNOWN; so does a module that
 * starts below the address base and whose visible chunks hold no data.
 */
#include <stdlib.h>

#include "internal.h"

/* Work bound on hostile inputs: chunk visits over all modules. */
#define VISIT_BUDGET (1u << 24)

static bool any_not_ff(const uint8_t *p, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		if (p[i] != 0xFF)
			return true;
	return false;
}

amt_tristate amt_stored_present(const uint8_t *d, uint64_t end, uint64_t plo, uint64_t phi,
				uint64_t lo, uint64_t len)
{
	if (lo < plo || lo > phi || len > phi - lo)
		return AMT_UNKNOWN;
	if (lo >= end || len == 0)
		return AMT_NO;
	uint64_t hi = len > end - lo ? end : lo + len;
	return any_not_ff(d + lo, hi - lo) ? AMT_YES : AMT_NO;
}

/* Does chunk i hold data? Its bytes run from its offset to the next
 * larger offset of the table (or the end of the stream). */
static amt_tristate chunk_data(const struct amt_fw *fw, const struct amt_llut *l,
			       const uint8_t *d, uint64_t end, uint64_t plo, uint64_t phi,
			       uint8_t *state, uint32_t i)
{
	const struct amt_llut_chunk *k = &l->chunks[i];
	if (!k->offset)
		return AMT_NO;
	if (state[i])
		return (amt_tristate)(state[i] - 1);
	amt_tristate r;
	if (!k->end_known)
		r = AMT_UNKNOWN; /* at or past the end of the stream: length unknown */
	else
		r = amt_stored_present(d, end, plo, phi, fw->region_offset + k->offset,
				       (uint64_t)k->end - k->offset);
	state[i] = (uint8_t)(r + 1);
	return r;
}

/* Fold one chunk's answer into (yes, unknown). */
static void fold(amt_tristate t, bool *yes, bool *unk)
{
	if (t == AMT_YES)
		*yes = true;
	else if (t == AMT_UNKNOWN)
		*unk = true;
}

amt_status amt_gen2_huffman_present(struct amt_parse_ctx *c, size_t pi)
{
	struct amt_fw *fw = &c->img->fw;
	const uint8_t *d = c->data;
	const struct amt_partition *p = &fw->partitions[pi];
	size_t first = p->first_module, nmod = p->nmodules;
	int li = -1;

	if (first > fw->nmodules || nmod > fw->nmodules - first)
		return AMT_OK;
	for (size_t k = first; k < first + nmod; k++) {
		struct amt_module *mod = &fw->modules[k];
		if (mod->comp != AMT_COMP_HUFFMAN)
			continue;
		mod->present = AMT_UNKNOWN;
		if (li < 0)
			li = mod->llut;
	}
	if (li < 0 || !fw->lluts[li].table_ok || !fw->lluts[li].nchunks)
		return AMT_OK;
	const struct amt_llut *l = &fw->lluts[li];
	uint64_t end = fw->region_offset + fw->region_size;
	if (end < fw->region_offset || end > c->size)
		end = c->size;
	uint64_t plo = p->offset;
	uint64_t phi = p->size > UINT64_MAX - p->offset ? UINT64_MAX : p->offset + p->size;
	uint32_t n = l->nchunks;

	amt_status st = AMT_OK;
	uint8_t *state = calloc((size_t)n + 1, 1);
	int32_t *cover = calloc((size_t)n + 1, sizeof(*cover));
	uint64_t *lo = calloc(nmod ? nmod : 1, sizeof(*lo));
	uint64_t *hi = calloc(nmod ? nmod : 1, sizeof(*hi));
	bool *ok = calloc(nmod ? nmod : 1, sizeof(*ok));
	bool *below = calloc(nmod ? nmod : 1, sizeof(*below));
	if (!state || !cover || !lo || !hi || !ok || !below) {
		st = AMT_E_NOMEM;
		goto out;
	}
	/* chunk ranges of each module: [first, last] (its pages) and the
	 * neighbourhood [first, max(last, first + usize / cs)] */
	uint64_t base = (uint64_t)l->addr_base + 0x10000000u;
	uint32_t cs = l->chunk_size;
	for (size_t k = 0; k < nmod; k++) {
		const struct amt_module *mod = &fw->modules[first + k];
		if (mod->comp != AMT_COMP_HUFFMAN || mod->llut != li || !mod->usize)
			continue;
		uint64_t mbase = mod->load_base;
		uint64_t mend = mbase + mod->usize;
		if (mend <= base)
			continue;
		/* pages below the address base (NFTP "utilities" on ME 8/9
		 * starts 2 pages below it) are not in the LLUT: judge the
		 * visible chunks, and say UNKNOWN rather than NO (below) */
		below[k] = mbase < base;
		uint64_t f = below[k] ? 0 : (mbase - base) / cs;
		if (f >= n)
			continue;
		uint64_t t = (mend - 1 - base) / cs;
		uint64_t lmc = below[k] ? t : f + mod->usize / cs;
		uint64_t nb = lmc > t ? lmc : t;
		if (t >= n)
			t = n - 1;
		if (nb >= n)
			nb = n - 1;
		lo[k] = f;
		hi[k] = t;
		ok[k] = true;
		cover[f]++;
		cover[nb + 1]--;
	}
	for (uint32_t i = 1; i <= n; i++)
		cover[i] += cover[i - 1];

	uint64_t budget = VISIT_BUDGET;
	for (size_t k = 0; k < nmod; k++) {
		struct amt_module *mod = &fw->modules[first + k];
		if (!ok[k])
			continue;
		uint64_t span = hi[k] - lo[k] + 1;
		if (span * 2 > budget)
			break; /* the rest stay UNKNOWN */
		budget -= span * 2;
		bool yes = false, unk = false, counted = false;
		for (uint64_t i = lo[k]; i <= hi[k] && !yes; i++) {
			const struct amt_llut_chunk *ch = &l->chunks[i];
			if (!ch->offset || cover[i] != 1 || ch->repeated)
				continue;
			counted = true;
			fold(chunk_data(fw, l, d, end, plo, phi, state, (uint32_t)i), &yes, &unk);
		}
		if (!counted) {
			for (uint64_t i = lo[k]; i <= hi[k] && !yes; i++)
				if (l->chunks[i].offset)
					fold(chunk_data(fw, l, d, end, plo, phi, state, (uint32_t)i),
					     &yes, &unk);
		}
		mod->present = yes ? AMT_YES : unk || below[k] ? AMT_UNKNOWN : AMT_NO;
	}
out:
	free(state);
	free(cover);
	free(lo);
	free(hi);
	free(ok);
	free(below);
	return st;
}
