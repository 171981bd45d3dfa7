/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private layout of the Huffman code book tables (generated at build time
 * by lib/fw/gen_huffman_books.py from lib/fw/huffman_books.txt) and the
 * model-level Huffman helpers shared by gen2.c, cse/ and extract.c.
 * Not installed.
 */
#ifndef AMTLESS_HUFFMAN_INT_H
#define AMTLESS_HUFFMAN_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <amtless/extract.h>
#include <amtless/image.h>

#define AMT_HUFF_FAST_BITS 13
#define AMT_HUFF_TABLES 8   /* AMT_HUFF__COUNT books x (code, data) */

/* A symbol: its bytes at table->bytes + off, len of them (0: not known). */
struct amt_huff_sym {
	uint16_t off;
	uint8_t len;
};

/* What a FAST_BITS-bit prefix starts with: a code word of `bits` bits
 * (0: longer than FAST_BITS) standing for the symbol at off, len bytes. */
struct amt_huff_fast {
	uint16_t off;
	uint8_t bits;
	uint8_t len;
};

struct amt_huff_table {
	const char *name;             /* "me7-code", ... */
	uint8_t min_bits, max_bits;
	uint16_t nsym, unknown;       /* symbols; of which not known */
	/* per code length L: the smallest code word left-aligned in 32 bits
	 * (a window >= limit[L] holds a code word of at most L bits), the
	 * index of the largest code word's symbol and that code word */
	uint32_t limit[33];
	uint16_t first[33];
	uint32_t maxcode[33];
	const struct amt_huff_sym *sym;   /* nsym, canonical order */
	const struct amt_huff_fast *fast; /* 1 << AMT_HUFF_FAST_BITS */
	const uint8_t *bytes;             /* symbol bytes + 16 bytes of padding */
};

/* [book * 2 + dict] */
extern const struct amt_huff_table amt_huff_tables[AMT_HUFF_TABLES];

/* The code book a CSE firmware version uses (MEA cse_huffman_dictionary_load:
 * "11" for CSME 11, CSSPS 4 and CSME 14.5, "12" otherwise). */
amt_huff_book amt_huff_cse_book(const struct amt_fw *fw);

/* Gen 2: the chunk table that maps module `mod`'s pages: the model's LLUT
 * (or GLUT) of the module, or one read by the one LLUT reader into
 * *scratch (a LUT header right after that table's entries). NULL when
 * none. The caller frees scratch->chunks. */
const struct amt_llut *amt_huff_gen2_lut(const uint8_t *d, size_t size, const struct amt_fw *fw,
					 size_t mod, struct amt_llut *scratch);

/* Gen 2: the code book a LUT names (+0x38 "PCH " / "CPT "), else the one
 * of the firmware major (6: ME 6 book, else ME 7-10). */
amt_huff_book amt_huff_gen2_book(const struct amt_llut *l, unsigned major);

/*
 * Unpack Huffman module `mod` of the model (any generation) and compare
 * the hash `want` (hlen bytes, either byte order) with it, trying the
 * expected code book first and the other book of the same generation
 * after a mismatch. *why says why no comparison was made (result
 * AMT_UNKNOWN); *out (if out) receives the unpacked bytes of the book that
 * matched (else the expected book's).
 */
amt_tristate amt_huff_module_check(const uint8_t *d, size_t size, const struct amt_fw *fw,
				   size_t mod, const uint8_t *want, unsigned hlen,
				   amt_unchecked *why, uint8_t **out, size_t *outlen,
				   amt_error *err);

#endif
