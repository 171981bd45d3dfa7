/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Does a module still hold code? (struct amt_module.present)
 *
 * Modules stored in one piece (gen 1, gen 2 uncompressed/LZMA, CSE $CPD
 * entries): the stored bytes, as far as they are in the input. A removed
 * module is filled with 0xFF (me_cleaner fill_range, amtless neutralize)
 * or cut off by truncation (me_cleaner -t, amtless --truncate).
 *
 * Gen 2 Huffman modules are stored as chunks behind the LLUT (anchors.md
 * B3; me_cleaner get_chunks_offsets / remove_modules):
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
#include <string.h>

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

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

struct llut_map {
	const uint8_t *d;
	uint64_t rs, end;        /* region start; region end clipped to the input */
	uint64_t plo, phi;       /* partition as declared (absolute) */
	uint32_t n;              /* chunks */
	uint32_t *ptr;           /* per chunk: region offset, 0 = no data */
	uint32_t *u;             /* sorted distinct offsets + stream end */
	uint32_t *mult;          /* per distinct offset: entries using it */
	uint8_t *state;          /* per distinct offset: 0 not computed, else tristate+1 */
	size_t nu;
};

static size_t find_u(const struct llut_map *m, uint32_t v)
{
	size_t lo = 0, hi = m->nu;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->u[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Does chunk i hold data? */
static amt_tristate chunk_data(struct llut_map *m, uint32_t i)
{
	uint32_t p = m->ptr[i];
	if (!p)
		return AMT_NO;
	size_t j = find_u(m, p);
	if (j >= m->nu || m->u[j] != p)
		return AMT_UNKNOWN;
	if (m->state[j])
		return (amt_tristate)(m->state[j] - 1);
	amt_tristate r;
	if (j + 1 >= m->nu)
		r = AMT_UNKNOWN; /* at or past the end of the stream: length unknown */
	else
		r = amt_stored_present(m->d, m->end, m->plo, m->phi, m->rs + p,
				       (uint64_t)m->u[j + 1] - p);
	m->state[j] = (uint8_t)(r + 1);
	return r;
}

static bool chunk_unique(const struct llut_map *m, uint32_t i)
{
	size_t j = find_u(m, m->ptr[i]);
	return j < m->nu && m->u[j] == m->ptr[i] && m->mult[j] == 1;
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
	uint64_t llut = AMT_NO_OFFSET;

	if (first > fw->nmodules || nmod > fw->nmodules - first)
		return AMT_OK;
	for (size_t k = first; k < first + nmod; k++) {
		struct amt_module *mod = &fw->modules[k];
		if (mod->comp != AMT_COMP_HUFFMAN)
			continue;
		mod->present = AMT_UNKNOWN;
		if (llut == AMT_NO_OFFSET)
			llut = mod->offset;
	}
	if (llut == AMT_NO_OFFSET || !amt_in(c->size, llut, 0x40) ||
	    !amt_tag_at(d, c->size, llut, "LLUT"))
		return AMT_OK;

	struct llut_map m = { .d = d, .rs = fw->region_offset };
	m.end = fw->region_offset + fw->region_size;
	if (m.end < m.rs || m.end > c->size)
		m.end = c->size;
	m.plo = p->offset;
	m.phi = p->size > UINT64_MAX - p->offset ? UINT64_MAX : p->offset + p->size;
	m.n = amt_rd32(d + llut + 4);
	uint64_t base = (uint64_t)amt_rd32(d + llut + 8) + 0x10000000u;
	uint64_t stream_end = (uint64_t)amt_rd32(d + llut + 0x10) + amt_rd32(d + llut + 0x14);
	uint32_t cs = amt_rd32(d + llut + 0x30);
	if (!cs || !m.n || !amt_in(c->size, llut + 0x40, (uint64_t)m.n * 4))
		return AMT_OK;

	amt_status st = AMT_OK;
	m.ptr = malloc((size_t)m.n * sizeof(*m.ptr));
	m.u = malloc(((size_t)m.n + 1) * sizeof(*m.u));
	m.mult = calloc((size_t)m.n + 1, sizeof(*m.mult));
	m.state = calloc((size_t)m.n + 1, 1);
	int32_t *cover = calloc((size_t)m.n + 1, sizeof(*cover));
	if (!m.ptr || !m.u || !m.mult || !m.state || !cover) {
		st = AMT_E_NOMEM;
		goto out;
	}
	size_t nz = 0;
	for (uint32_t i = 0; i < m.n; i++) {
		const uint8_t *e = d + llut + 0x40 + 4 * (uint64_t)i;
		m.ptr[i] = e[3] == 0x80 ? 0 : (uint32_t)e[0] | (uint32_t)e[1] << 8 |
						     (uint32_t)e[2] << 16;
		if (m.ptr[i])
			m.u[nz++] = m.ptr[i];
	}
	/* the stream end bounds the last chunk (not counted as an entry below) */
	if (stream_end <= UINT32_MAX)
		m.u[nz++] = (uint32_t)stream_end;
	qsort(m.u, nz, sizeof(*m.u), cmp_u32);
	for (size_t i = 0; i < nz; i++) {
		if (m.nu && m.u[m.nu - 1] == m.u[i]) {
			m.mult[m.nu - 1]++;
			continue;
		}
		m.u[m.nu] = m.u[i];
		m.mult[m.nu] = 1;
		m.nu++;
	}
	if (stream_end <= UINT32_MAX) {
		size_t j = find_u(&m, (uint32_t)stream_end);
		if (j < m.nu && m.u[j] == stream_end)
			m.mult[j]--; /* the stream end itself is not an entry */
	}

	/* chunk ranges of each module: [first, last] (its pages) and the
	 * neighbourhood [first, max(last, first + usize / cs)] */
	uint64_t *lo = calloc(nmod ? nmod : 1, sizeof(*lo));
	uint64_t *hi = calloc(nmod ? nmod : 1, sizeof(*hi));
	bool *ok = calloc(nmod ? nmod : 1, sizeof(*ok));
	bool *below = calloc(nmod ? nmod : 1, sizeof(*below));
	if (!lo || !hi || !ok || !below) {
		free(lo);
		free(hi);
		free(ok);
		free(below);
		st = AMT_E_NOMEM;
		goto out;
	}
	for (size_t k = 0; k < nmod; k++) {
		const struct amt_module *mod = &fw->modules[first + k];
		if (mod->comp != AMT_COMP_HUFFMAN || mod->offset != llut || !mod->usize ||
		    !amt_in(c->size, mod->header_offset, 0x38))
			continue;
		uint64_t mbase = amt_rd32(d + mod->header_offset + 0x34);
		uint64_t mend = mbase + mod->usize;
		if (mend <= base)
			continue;
		/* pages below the address base (NFTP "utilities" on ME 8/9
		 * starts 2 pages below it) are not in the LLUT: judge the
		 * visible chunks, and say UNKNOWN rather than NO (below) */
		below[k] = mbase < base;
		uint64_t f = below[k] ? 0 : (mbase - base) / cs;
		if (f >= m.n)
			continue;
		uint64_t l = (mend - 1 - base) / cs;
		uint64_t lmc = below[k] ? l : f + mod->usize / cs;
		uint64_t nb = lmc > l ? lmc : l;
		if (l >= m.n)
			l = m.n - 1;
		if (nb >= m.n)
			nb = m.n - 1;
		lo[k] = f;
		hi[k] = l;
		ok[k] = true;
		cover[f]++;
		cover[nb + 1]--;
	}
	for (uint32_t i = 1; i <= m.n; i++)
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
			if (!m.ptr[i] || cover[i] != 1 || !chunk_unique(&m, (uint32_t)i))
				continue;
			counted = true;
			fold(chunk_data(&m, (uint32_t)i), &yes, &unk);
		}
		if (!counted) {
			for (uint64_t i = lo[k]; i <= hi[k] && !yes; i++)
				if (m.ptr[i])
					fold(chunk_data(&m, (uint32_t)i), &yes, &unk);
		}
		mod->present = yes ? AMT_YES : unk || below[k] ? AMT_UNKNOWN : AMT_NO;
	}
	free(lo);
	free(hi);
	free(ok);
	free(below);
out:
	free(m.ptr);
	free(m.u);
	free(m.mult);
	free(m.state);
	free(cover);
	return st;
}
