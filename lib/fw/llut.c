/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The LLUT of generation-2 firmware (ME 6-10, TXE 1-2): the one reader of
 * the Huffman chunk table. Everything that needs to know where a Huffman
 * module's bytes are (presence, neutralization, relocation, verification)
 * reads this model, never the table itself.
 *
 * Layout (doc/formats.md#llut; me_cleaner get_chunks_offsets / remove_modules /
 * relocate_partition, corna/me_cleaner 43612a6):
 *   +0x00 "LLUT"  +0x04 chunk count  +0x08 address base  +0x0C SPI base
 *   +0x10 stream length  +0x14 stream start (region-relative; the two sum
 *   to the end of the Huffman stream)  +0x30 chunk size
 *   +0x40 chunk table, 4 bytes per chunk: bits 24:0 region-relative offset
 *   of the chunk's bytes (unhuffme; me_cleaner reads 23:0, the same on
 *   every real image), bits 31:25 flags, top byte 0x80 = the chunk holds
 *   no data (me_cleaner).
 * A chunk's bytes run to the next larger offset of the table, or to the
 * end of the stream for the last one. For an offset the table repeats,
 * me_cleaner finds no length (index() finds the first of the equal
 * offsets, whose successor is the repeat itself; the same for an offset
 * equal to the end of the stream): `repeated` says so.
 * Chunk i holds the code loaded at 0x10000000 + address base + i * size.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Upper bound on the chunk count we materialise (a 16 MiB region of
 * 4 KiB chunks has 4096; this bounds work on garbage). */
#define LLUT_MAX_CHUNKS (1u << 16)

/* Fill the chunks' ends (see the top of the file). */
static void chunk_ends(struct amt_llut *l, struct amt_llut_chunk *ch, uint32_t *sorted)
{
	size_t nz = 0;
	for (uint32_t i = 0; i < l->nchunks; i++)
		if (ch[i].offset)
			sorted[nz++] = ch[i].offset;
	qsort(sorted, nz, sizeof(*sorted), cmp_u32);
	for (uint32_t i = 0; i < l->nchunks; i++) {
		struct amt_llut_chunk *k = &ch[i];
		k->end = k->offset;
		if (!k->offset)
			continue;
		/* first element >= offset (it exists: offset is in the list) */
		size_t lo = 0, hi = nz;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (sorted[mid] < k->offset)
				lo = mid + 1;
			else
				hi = mid;
		}
		size_t nx = lo + 1;
		k->repeated = (nx < nz && sorted[nx] == k->offset) || l->stream_end == k->offset;
		while (nx < nz && sorted[nx] == k->offset)
			nx++;
		uint64_t e = nx < nz ? sorted[nx] : UINT64_MAX;
		if (l->stream_end > k->offset && l->stream_end < e)
			e = l->stream_end;
		if (e != UINT64_MAX) {
			k->end = (uint32_t)e;
			k->end_known = true;
		}
	}
}

amt_status amt_llut_read(const uint8_t *d, uint64_t end, uint64_t off, struct amt_llut *l,
			 amt_error *err)
{
	memset(l, 0, sizeof(*l));
	l->offset = off;
	if (!amt_in(end, off, 0x40) || memcmp(d + off + 1, "LUT", 3) ||
	    (d[off] != 'L' && d[off] != 'G'))
		return amt_error_set(err, AMT_E_BADMAGIC, "LLUT", off,
				     "no LLUT (or GLUT) header at 0x%llx", (unsigned long long)off);
	l->nchunks = amt_rd32(d + off + 4);
	l->addr_base = amt_rd32(d + off + 8);
	l->spi_base = amt_rd32(d + off + 0x0C);
	l->stream_len = amt_rd32(d + off + 0x10);
	l->stream_start = amt_rd32(d + off + 0x14);
	l->stream_end = (uint64_t)l->stream_len + l->stream_start;
	l->chunk_size = amt_rd32(d + off + 0x30);
	l->book = !memcmp(d + off + 0x38, "PCH ", 4) ? AMT_LLUT_BOOK_PCH :
		  !memcmp(d + off + 0x38, "CPT ", 4) ? AMT_LLUT_BOOK_CPT : AMT_LLUT_BOOK_UNNAMED;

	if (l->chunk_size == 0)
		return amt_error_set(err, AMT_E_RANGE, "LLUT", off + 0x30, "LLUT chunk size is 0");
	if (!amt_in(end, off + 0x40, (uint64_t)l->nchunks * 4))
		return amt_error_set(err, AMT_E_TRUNCATED, "LLUT", off + 4,
				     "LLUT chunk table (%u chunks) runs past the end "
				     "0x%llx", l->nchunks, (unsigned long long)end);
	if (l->nchunks > LLUT_MAX_CHUNKS)
		return amt_error_set(err, AMT_E_RANGE, "LLUT", off + 4,
				     "LLUT claims %u chunks (more than %u)", l->nchunks,
				     LLUT_MAX_CHUNKS);
	struct amt_llut_chunk *ch = calloc(l->nchunks ? l->nchunks : 1, sizeof(*ch));
	uint32_t *sorted = malloc(((size_t)l->nchunks + 1) * sizeof(*sorted));
	if (!ch || !sorted) {
		free(ch);
		free(sorted);
		return amt_error_set(err, AMT_E_NOMEM, "LLUT", off, "out of memory");
	}
	for (uint32_t i = 0; i < l->nchunks; i++) {
		uint32_t e = amt_rd32(d + off + 0x40 + 4 * (uint64_t)i);
		ch[i].flags = (uint8_t)(e >> 25);
		/* me_cleaner: top byte 0x80, no data */
		ch[i].offset = e >> 24 == 0x80 ? 0 : e & 0x1FFFFFFu;
	}
	chunk_ends(l, ch, sorted);
	free(sorted);
	l->chunks = ch;
	l->table_ok = true;
	return AMT_OK;
}

amt_status amt_llut_parse(struct amt_parse_ctx *c, size_t pi, uint64_t off, uint64_t pend,
			  int *index)
{
	struct amt_fw *fw = &c->img->fw;
	const uint8_t *d = c->data;

	*index = -1;
	if (!amt_in(pend, off, 0x40) || !amt_tag_at(d, c->size, off, "LLUT")) {
		/* no LLUT of its own: the GLUT partition (FPT partition type 2,
		 * MEA.py p_type_dict) maps the pages of every partition without
		 * one (the NFTP of ME 6 5 MB firmware) */
		for (size_t i = 0; i < fw->npartitions; i++) {
			const struct amt_partition *g = &fw->partitions[i];
			if (!strcmp(g->name, "GLUT") && g->valid && amt_tag_at(d, c->size, g->offset,
									       "GLUT")) {
				off = g->offset;
				pend = g->offset + g->size;
				pi = i;
				break;
			}
		}
	}
	for (size_t i = 0; i < fw->nlluts; i++)
		if (fw->lluts[i].offset == off) {
			*index = (int)i;
			return AMT_OK;
		}
	if (!amt_in(pend, off, 0x40) || (!amt_tag_at(d, c->size, off, "LLUT") &&
					 !amt_tag_at(d, c->size, off, "GLUT")))
		return amt_image_problemf(c->img, AMT_E_BADMAGIC, "LLUT", off,
					  "Huffman modules present but no LLUT (nor a GLUT "
					  "partition) at 0x%llx", (unsigned long long)off);
	struct amt_llut *l = amt_grow((void **)&fw->lluts, &fw->nlluts, sizeof(*l));
	if (!l)
		return AMT_E_NOMEM;
	*index = (int)(fw->nlluts - 1);
	amt_error e;
	amt_status st = amt_llut_read(d, pend, off, l, &e);
	l->partition = pi;
	if (st == AMT_E_NOMEM)
		return st;
	if (st != AMT_OK)
		return amt_image_problem(c->img, &e);
	if (l->stream_end > fw->region_size &&
	    amt_image_problemf(c->img, AMT_E_RANGE, "LLUT", off + 0x10,
			       "the Huffman stream (start 0x%x + length 0x%x) ends past the "
			       "0x%llx-byte region", l->stream_start, l->stream_len,
			       (unsigned long long)fw->region_size))
		return AMT_E_NOMEM;
	return AMT_OK;
}

bool amt_llut_module_chunks(const struct amt_fw *fw, const struct amt_module *m,
			    amt_chunk_rule rule, uint64_t *first, uint64_t *last)
{
	if (m->comp != AMT_COMP_HUFFMAN || m->llut < 0 || (size_t)m->llut >= fw->nlluts)
		return false;
	const struct amt_llut *l = &fw->lluts[m->llut];
	bool mc = rule == AMT_CHUNKS_ME_CLEANER;
	if (!l->table_ok || !l->nchunks || (!m->usize && !mc))
		return false;
	uint64_t base = (uint64_t)l->addr_base + 0x10000000u;
	uint64_t mend = (uint64_t)m->load_base + m->usize;
	uint64_t f;
	if (m->load_base >= base)
		f = ((uint64_t)m->load_base - base) / l->chunk_size;
	else if (rule == AMT_CHUNKS_VISIBLE && mend > base)
		f = 0;   /* pages below the address base are not in the LLUT */
	else
		return false;
	/* (usize 0: the me_cleaner rule gives its first chunk) */
	uint64_t t = mc ? f + m->usize / l->chunk_size : (mend - 1 - base) / l->chunk_size;
	if (f >= l->nchunks)
		return false;
	if (t >= l->nchunks)
		t = l->nchunks - 1;
	*first = f;
	*last = t;
	return true;
}

void amt_llut_release(struct amt_fw *fw)
{
	for (size_t i = 0; i < fw->nlluts; i++)
		free(fw->lluts[i].chunks);
	free(fw->lluts);
	fw->lluts = NULL;
	fw->nlluts = 0;
}
