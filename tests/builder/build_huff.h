/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Huffman encoder for synthetic ME modules, with the same code books as
 * the decoder (lib/fw/huffman_books.txt): canonical code words (the
 * largest of the shortest length all ones; the largest of length L+1 is
 * 2 * the smallest of length L - 1), written most significant bit first,
 * the last byte padded with zero bits. Test use only.
 */
#ifndef AMTLESS_TEST_BUILD_HUFF_H
#define AMTLESS_TEST_BUILD_HUFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <amtless/extract.h>

/* A bit writer over out[cap]. */
struct tb_bits {
	uint8_t *out;
	size_t cap;
	uint64_t nbits;
	bool full;       /* a write did not fit */
};

void tb_bits_init(struct tb_bits *w, uint8_t *out, size_t cap);
void tb_bits_put(struct tb_bits *w, uint32_t code, unsigned bits);
size_t tb_bits_bytes(const struct tb_bits *w); /* bytes used so far */

/* Symbols of a book/dictionary: their count, and symbol k's code word,
 * its length in bits and its bytes (len 0: not known). */
size_t tb_huff_nsym(amt_huff_book book, amt_huff_dict dict);
void tb_huff_sym(amt_huff_book book, amt_huff_dict dict, size_t k, uint32_t *code,
		 unsigned *bits, const uint8_t **bytes, unsigned *len);

/* Write the code word of symbol k. */
void tb_huff_put_sym(struct tb_bits *w, amt_huff_book book, amt_huff_dict dict, size_t k);

/* Encode in[len] (greedy: the longest known symbol that matches, the
 * shortest code word among equal ones) into out[cap]; returns the bytes
 * written, 0 when out is too small. */
size_t tb_huff_encode(amt_huff_book book, amt_huff_dict dict, const uint8_t *in, size_t len,
		      uint8_t *out, size_t cap);

/*
 * A CSE Huffman module: the chunk table (usize / 4096 entries, dictionary
 * of chunk i: code when (i & 1) == 0 and !all_data, else data) then the
 * chunks. Returns its stored size, 0 when it does not fit in cap.
 */
size_t tb_huff_cse_module(amt_huff_book book, const uint8_t *plain, uint32_t usize,
			  bool all_data, uint8_t *out, size_t cap);

#endif
