/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Huffman encoder for synthetic modules (build_huff.h). */
#include <stdlib.h>
#include <string.h>

#include "build_huff.h"
#include "fw/huffman_int.h"
#include "internal.h"

void tb_bits_init(struct tb_bits *w, uint8_t *out, size_t cap)
{
	w->out = out;
	w->cap = cap;
	w->nbits = 0;
	w->full = false;
	memset(out, 0, cap);
}

void tb_bits_put(struct tb_bits *w, uint32_t code, unsigned bits)
{
	for (unsigned i = bits; i-- > 0;) {
		uint64_t byte = w->nbits / 8;
		if (byte >= w->cap) {
			w->full = true;
			return;
		}
		if ((code >> i) & 1)
			w->out[byte] |= (uint8_t)(0x80u >> (w->nbits % 8));
		w->nbits++;
	}
}

size_t tb_bits_bytes(const struct tb_bits *w)
{
	return (size_t)((w->nbits + 7) / 8);
}

static const struct amt_huff_table *tab(amt_huff_book book, amt_huff_dict dict)
{
	return &amt_huff_tables[(unsigned)book * 2 + (unsigned)dict];
}

size_t tb_huff_nsym(amt_huff_book book, amt_huff_dict dict)
{
	return tab(book, dict)->nsym;
}

void tb_huff_sym(amt_huff_book book, amt_huff_dict dict, size_t k, uint32_t *code,
		 unsigned *bits, const uint8_t **bytes, unsigned *len)
{
	const struct amt_huff_table *t = tab(book, dict);
	unsigned L = t->max_bits;
	/* the length whose symbols hold index k: first[L] <= k */
	for (unsigned l = t->min_bits; l <= t->max_bits; l++) {
		unsigned next = l < t->max_bits ? t->first[l + 1] : t->nsym;
		if (k >= t->first[l] && k < next) {
			L = l;
			break;
		}
	}
	*bits = L;
	*code = t->maxcode[L] - (uint32_t)(k - t->first[L]);
	*bytes = t->bytes + t->sym[k].off;
	*len = t->sym[k].len;
}

void tb_huff_put_sym(struct tb_bits *w, amt_huff_book book, amt_huff_dict dict, size_t k)
{
	uint32_t code;
	unsigned bits, len;
	const uint8_t *b;
	tb_huff_sym(book, dict, k, &code, &bits, &b, &len);
	tb_bits_put(w, code, bits);
}

size_t tb_huff_encode(amt_huff_book book, amt_huff_dict dict, const uint8_t *in, size_t len,
		      uint8_t *out, size_t cap)
{
	size_t n = tb_huff_nsym(book, dict);
	/* symbols by first byte: start[b] .. start[b + 1] in idx */
	size_t start[257] = { 0 }, *idx = malloc(n * sizeof(*idx)), fill[256];
	if (!idx)
		return 0;
	for (size_t k = 0; k < n; k++) {
		uint32_t code;
		unsigned bits, sl;
		const uint8_t *b;
		tb_huff_sym(book, dict, k, &code, &bits, &b, &sl);
		if (sl)
			start[b[0] + 1]++;
	}
	for (unsigned b = 0; b < 256; b++) {
		start[b + 1] += start[b];
		fill[b] = start[b];
	}
	for (size_t k = 0; k < n; k++) {
		uint32_t code;
		unsigned bits, sl;
		const uint8_t *b;
		tb_huff_sym(book, dict, k, &code, &bits, &b, &sl);
		if (sl)
			idx[fill[b[0]]++] = k;
	}
	struct tb_bits w;
	tb_bits_init(&w, out, cap);
	for (size_t i = 0; i < len;) {
		size_t best = SIZE_MAX;
		unsigned blen = 0, bbits = 99;
		for (size_t j = start[in[i]]; j < start[in[i] + 1]; j++) {
			uint32_t code;
			unsigned bits, sl;
			const uint8_t *b;
			tb_huff_sym(book, dict, idx[j], &code, &bits, &b, &sl);
			if (sl > len - i || memcmp(b, in + i, sl))
				continue;
			if (sl > blen || (sl == blen && bits < bbits)) {
				best = idx[j];
				blen = sl;
				bbits = bits;
			}
		}
		if (best == SIZE_MAX) {
			free(idx);
			return 0; /* not with these books: every byte value is a symbol */
		}
		tb_huff_put_sym(&w, book, dict, best);
		i += blen;
	}
	free(idx);
	return w.full ? 0 : tb_bits_bytes(&w);
}

size_t tb_huff_cse_module(amt_huff_book book, const uint8_t *plain, uint32_t usize,
			  bool all_data, uint8_t *out, size_t cap)
{
	size_t nch = usize / 0x1000, tabsz = nch * 4, pos = tabsz;
	if (usize % 0x1000 || cap < tabsz)
		return 0;
	for (size_t i = 0; i < nch; i++) {
		amt_huff_dict d = all_data || (i & 1) ? AMT_HUFF_DATA : AMT_HUFF_CODE;
		size_t n = tb_huff_encode(book, d, plain + i * 0x1000, 0x1000, out + pos, cap - pos);
		if (!n)
			return 0;
		amt_wr32(out + 4 * i, (uint32_t)(pos - tabsz) | (d == AMT_HUFF_DATA ? 0x60u : 0x20u) << 25);
		pos += n;
	}
	return pos;
}
