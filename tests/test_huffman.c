/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Huffman decoder (lib/fw/huffman.c): known code words from the published
 * dictionaries, every symbol of every book through the decoder, round
 * trips with the test encoder (tests/builder/build_huff.c), truncated and
 * hostile streams, CSE chunk tables and gen 2 LUTs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <amtless/extract.h>

#include "build_huff.h"
#include "internal.h"

static const amt_huff_book books[] = { AMT_HUFF_ME6, AMT_HUFF_ME7, AMT_HUFF_CSE11,
				       AMT_HUFF_CSE12 };
static const amt_huff_dict dicts[] = { AMT_HUFF_CODE, AMT_HUFF_DATA };

/* Decode a bit string written as '0'/'1' characters. */
static amt_status dec_bits(amt_huff_book b, amt_huff_dict d, const char *bits, uint8_t *out,
			   size_t outlen)
{
	uint8_t in[16];
	struct tb_bits w;
	tb_bits_init(&w, in, sizeof(in));
	for (const char *p = bits; *p; p++)
		tb_bits_put(&w, *p == '1', 1);
	return amt_huff_decode(b, d, in, tb_bits_bytes(&w), 0, out, outlen, NULL, NULL);
}

/* Facts read off the sources, not computed by the generator: unhuffme
 * dict_cpt_1.c ("len: 7": {1, 0xD0}, {2, 0x80, 0xE0}; "len: 8" first:
 * 15 zero bytes; shape_cpt 0xfc000000: the 7-bit code words are 1111111
 * and 1111110), dict_pch_2.c first symbol (8 zero bytes, 7 bits, ME 6
 * data), MEA Huffman.dat "11" code "1111111": "00000000", "11101100": 15
 * bytes of FF, "12" code length 17 exists. */
static void test_known_code_words(void **state)
{
	(void)state;
	uint8_t o[16];
	static const uint8_t z[15] = { 0 };
	static const uint8_t ff[15] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	assert_int_equal(dec_bits(AMT_HUFF_ME7, AMT_HUFF_CODE, "1111111", o, 1), AMT_OK);
	assert_int_equal(o[0], 0xD0);
	assert_int_equal(dec_bits(AMT_HUFF_ME7, AMT_HUFF_CODE, "1111110", o, 2), AMT_OK);
	assert_int_equal(o[0], 0x80);
	assert_int_equal(o[1], 0xE0);
	assert_int_equal(dec_bits(AMT_HUFF_ME7, AMT_HUFF_CODE, "11111011", o, 15), AMT_OK);
	assert_memory_equal(o, z, 15);
	assert_int_equal(dec_bits(AMT_HUFF_ME7, AMT_HUFF_DATA, "1111111", o, 1), AMT_OK);
	assert_int_equal(o[0], 0x08);
	assert_int_equal(dec_bits(AMT_HUFF_ME6, AMT_HUFF_DATA, "1111111", o, 8), AMT_OK);
	assert_memory_equal(o, z, 8);
	assert_int_equal(dec_bits(AMT_HUFF_CSE11, AMT_HUFF_CODE, "1111111", o, 4), AMT_OK);
	assert_memory_equal(o, z, 4);
	assert_int_equal(dec_bits(AMT_HUFF_CSE11, AMT_HUFF_CODE, "11101100", o, 15), AMT_OK);
	assert_memory_equal(o, ff, 15);
	/* two code words in a row, then the output is full */
	assert_int_equal(dec_bits(AMT_HUFF_ME7, AMT_HUFF_CODE, "11111111111110", o, 3), AMT_OK);
	assert_int_equal(o[0], 0xD0);
	assert_int_equal(o[1], 0x80);
	assert_int_equal(o[2], 0xE0);
}

/* Every symbol of every book, in a shuffled order, through the decoder;
 * symbols not known (unhuffme's empty entries) are refused. */
static void test_every_symbol(void **state)
{
	(void)state;
	for (size_t bi = 0; bi < 4; bi++)
		for (size_t di = 0; di < 2; di++) {
			amt_huff_book b = books[bi];
			amt_huff_dict d = dicts[di];
			size_t n = tb_huff_nsym(b, d), cap = n * 3 + 16, plain_len = 0, gaps = 0;
			uint8_t *bits = malloc(cap), *plain = malloc(n * 15), *out = malloc(n * 15 + 1);
			assert_non_null(bits);
			assert_non_null(plain);
			assert_non_null(out);
			struct tb_bits w;
			tb_bits_init(&w, bits, cap);
			size_t gap = SIZE_MAX;
			for (size_t i = 0; i < n; i++) {
				size_t k = (i * 7919) % n; /* 7919 is prime: a permutation */
				uint32_t code;
				unsigned nb, len;
				const uint8_t *sym;
				tb_huff_sym(b, d, k, &code, &nb, &sym, &len);
				if (!len) {
					gaps++;
					gap = k;
					continue;
				}
				tb_huff_put_sym(&w, b, d, k);
				memcpy(plain + plain_len, sym, len);
				plain_len += len;
			}
			assert_false(w.full);
			size_t used = 0;
			assert_int_equal(amt_huff_decode(b, d, bits, tb_bits_bytes(&w), 0, out,
							 plain_len, &used, NULL), AMT_OK);
			assert_memory_equal(out, plain, plain_len);
			assert_int_equal(used, tb_bits_bytes(&w));
			/* unhuffme left 105/127 (ME 6) and 10/6 (ME 7-10) symbols empty */
			static const size_t want_gaps[4][2] = { { 105, 127 }, { 10, 6 }, { 0, 0 }, { 0, 0 } };
			assert_int_equal(gaps, want_gaps[bi][di]);
			if (gap != SIZE_MAX) {
				amt_error e;
				tb_bits_init(&w, bits, cap);
				tb_huff_put_sym(&w, b, d, gap);
				assert_int_equal(amt_huff_decode(b, d, bits, tb_bits_bytes(&w), 0x1000, out,
								 1, NULL, &e), AMT_E_UNSUPPORTED);
				assert_non_null(strstr(e.message, "no known symbol"));
			}
			free(bits);
			free(plain);
			free(out);
		}
}

static uint32_t rng(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 16;
}

/* Pages like firmware: runs of zeros and 0xff, small integers, text,
 * random bytes. */
static void make_page(uint8_t *p, size_t n, uint32_t seed)
{
	uint32_t s = seed;
	for (size_t i = 0; i < n;) {
		size_t run = 1 + rng(&s) % 40;
		unsigned kind = rng(&s) % 5;
		for (size_t k = 0; k < run && i < n; k++, i++)
			p[i] = kind == 0 ? 0 : kind == 1 ? 0xff : kind == 2 ? (uint8_t)(rng(&s) % 4) :
			       kind == 3 ? (uint8_t)("firmware module "[k % 16]) : (uint8_t)rng(&s);
	}
}

static void test_round_trip_and_truncation(void **state)
{
	(void)state;
	uint8_t page[0x1000], enc[0x2000], out[0x1000 + 16];
	for (size_t bi = 0; bi < 4; bi++)
		for (size_t di = 0; di < 2; di++)
			for (uint32_t seed = 1; seed <= 3; seed++) {
				make_page(page, sizeof(page), seed * 77 + (uint32_t)bi);
				size_t n = tb_huff_encode(books[bi], dicts[di], page, sizeof(page), enc,
							  sizeof(enc));
				assert_true(n > 0);
				size_t used = 0;
				memset(out, 0xAA, sizeof(out));
				assert_int_equal(amt_huff_decode(books[bi], dicts[di], enc, n, 0, out,
								 sizeof(page), &used, NULL), AMT_OK);
				assert_memory_equal(out, page, sizeof(page));
				assert_int_equal(used, n);
				assert_int_equal(out[sizeof(page)], 0xAA); /* nothing past outlen */
				/* every shorter input ends inside a code word */
				for (size_t cut = 0; cut < n; cut += 1 + cut / 8) {
					amt_error e;
					assert_int_equal(amt_huff_decode(books[bi], dicts[di], enc, cut, 0x500,
									 out, sizeof(page), NULL, &e),
							 AMT_E_TRUNCATED);
					assert_int_equal(e.offset, 0x500 + cut);
				}
				/* extra input after the chunk is not read */
				assert_int_equal(amt_huff_decode(books[bi], dicts[di], enc, sizeof(enc), 0,
								 out, sizeof(page), &used, NULL), AMT_OK);
				assert_int_equal(used, n);
			}
}

/* The last symbol may not run past the chunk end. */
static void test_overrun(void **state)
{
	(void)state;
	uint8_t o[16];
	amt_error e;
	/* ME 7-10 code "1111110" is 2 bytes: 80 E0 */
	assert_int_equal(dec_bits(AMT_HUFF_ME7, AMT_HUFF_CODE, "1111110", o, 1), AMT_E_CHECKSUM);
	uint8_t in[1] = { 0xFC }; /* 1111110 0 */
	assert_int_equal(amt_huff_decode(AMT_HUFF_ME7, AMT_HUFF_CODE, in, 1, 0, o, 1, NULL, &e),
			 AMT_E_CHECKSUM);
	assert_non_null(strstr(e.message, "runs past the chunk end"));
	/* bad arguments */
	assert_int_equal(amt_huff_decode(AMT_HUFF__COUNT, AMT_HUFF_CODE, in, 1, 0, o, 1, NULL, NULL),
			 AMT_E_ARG);
	assert_int_equal(amt_huff_decode(AMT_HUFF_ME7, (amt_huff_dict)2, in, 1, 0, o, 1, NULL, NULL),
			 AMT_E_ARG);
	/* an empty output needs no input */
	assert_int_equal(amt_huff_decode(AMT_HUFF_ME7, AMT_HUFF_CODE, NULL, 0, 0, o, 0, NULL, NULL),
			 AMT_OK);
}

/* Random bytes: every book decodes or fails cleanly, never past outlen. */
static void test_hostile_streams(void **state)
{
	(void)state;
	uint32_t s = 99;
	uint8_t in[600], out[0x1000 + 32];
	for (unsigned iter = 0; iter < 400; iter++) {
		size_t n = rng(&s) % sizeof(in), outlen = 1 + rng(&s) % 0x1000;
		for (size_t i = 0; i < n; i++)
			in[i] = (uint8_t)rng(&s);
		memset(out, 0x5A, sizeof(out));
		amt_status st = amt_huff_decode(books[iter % 4], dicts[(iter / 4) % 2], in, n, 0, out,
						outlen, NULL, NULL);
		assert_true(st == AMT_OK || st == AMT_E_TRUNCATED || st == AMT_E_CHECKSUM ||
			    st == AMT_E_UNSUPPORTED);
		for (size_t i = outlen; i < sizeof(out); i++)
			assert_int_equal(out[i], 0x5A);
	}
}

static void test_cse_module(void **state)
{
	(void)state;
	enum { USIZE = 3 * 0x1000 };
	static uint8_t plain[USIZE], mod[0x8000];
	make_page(plain, USIZE, 5);
	for (size_t bi = 2; bi < 4; bi++) {
		size_t n = tb_huff_cse_module(books[bi], plain, USIZE, false, mod, sizeof(mod));
		assert_true(n > 12);
		uint8_t *out = NULL;
		size_t ol = 0;
		assert_int_equal(amt_huff_unpack_cse(books[bi], mod, n, 0x4000, USIZE, &out, &ol, NULL),
				 AMT_OK);
		assert_int_equal(ol, USIZE);
		assert_memory_equal(out, plain, USIZE);
		free(out);
		amt_error e;
		/* the stream of the last chunk cut short */
		assert_int_equal(amt_huff_unpack_cse(books[bi], mod, n - 1, 0x4000, USIZE, &out, &ol, &e),
				 AMT_E_TRUNCATED);
		assert_null(out);
		/* sizes that are no whole number of chunks, zero, over the limit */
		assert_int_equal(amt_huff_unpack_cse(books[bi], mod, n, 0, USIZE - 1, &out, &ol, &e),
				 AMT_E_RANGE);
		assert_int_equal(amt_huff_unpack_cse(books[bi], mod, n, 0, 0, &out, &ol, &e), AMT_E_RANGE);
		assert_int_equal(amt_huff_unpack_cse(books[bi], mod, n, 0, AMT_UNPACK_MAX + 0x1000, &out,
						     &ol, &e), AMT_E_RANGE);
		/* the chunk table cut */
		assert_int_equal(amt_huff_unpack_cse(books[bi], mod, 11, 0, USIZE, &out, &ol, &e),
				 AMT_E_TRUNCATED);
		/* an unknown chunk flag */
		uint32_t e1 = amt_rd32(mod + 4);
		amt_wr32(mod + 4, (e1 & 0x1FFFFFFu) | 0x40u << 25);
		assert_int_equal(amt_huff_unpack_cse(books[bi], mod, n, 0x4000, USIZE, &out, &ol, &e),
				 AMT_E_BADMAGIC);
		assert_int_equal(e.offset, 0x4004);
		/* a chunk past the data */
		amt_wr32(mod + 4, 0x1FFFFFFu | 0x20u << 25);
		assert_int_equal(amt_huff_unpack_cse(books[bi], mod, n, 0, USIZE, &out, &ol, &e),
				 AMT_E_RANGE);
		amt_wr32(mod + 4, e1);
		/* the other book does not give the same bytes */
		amt_huff_book other = books[bi] == AMT_HUFF_CSE11 ? AMT_HUFF_CSE12 : AMT_HUFF_CSE11;
		if (amt_huff_unpack_cse(other, mod, n, 0, USIZE, &out, &ol, NULL) == AMT_OK) {
			assert_memory_not_equal(out, plain, USIZE);
			free(out);
		}
	}
}

/* A gen 2 region: LUT at 0x100, chunk size 0x400, address base 0x10000
 * (pages at 0x10010000 + i * 0x400). Module pages 0..4 (base 0x10010000,
 * usize 0x1200): page 0 empty, 1 code, 2 stored, 3 data, 4 code (the last
 * 0x200 bytes). Result: pages 1, 2, 3 and half of 4 (unhuffme). */
static void test_gen2_lut(void **state)
{
	(void)state;
	static uint8_t r[0x4000];
	uint8_t pages[5][0x400];
	memset(r, 0xFF, sizeof(r));
	uint64_t lut = 0x100;
	memset(r + lut, 0, 0x40 + 8 * 4);
	memcpy(r + lut, "LLUT", 4);
	amt_wr32(r + lut + 4, 8);
	amt_wr32(r + lut + 8, 0x00010000);
	amt_wr32(r + lut + 0x30, 0x400);
	memcpy(r + lut + 0x38, "CPT ", 4);
	size_t pos = 0x200;
	for (unsigned i = 0; i < 5; i++) {
		make_page(pages[i], 0x400, 40 + i);
		uint32_t fl = i == 0 ? 0x40 : i == 2 ? 0x00 : i == 3 ? 0x60 : 0x20;
		amt_wr32(r + lut + 0x40 + 4 * i, (uint32_t)pos | fl << 25);
		if (fl == 0x40)
			continue;
		size_t n = fl == 0x00 ? 0x400 :
			   tb_huff_encode(AMT_HUFF_ME7, fl == 0x60 ? AMT_HUFF_DATA : AMT_HUFF_CODE,
					  pages[i], 0x400, r + pos, sizeof(r) - pos);
		if (fl == 0x00)
			memcpy(r + pos, pages[i], 0x400);
		assert_true(n > 0);
		pos += n;
	}
	for (unsigned i = 5; i < 8; i++)
		amt_wr32(r + lut + 0x40 + 4 * i, 0x40u << 25);
	amt_wr32(r + lut + 0x14, 0x200);                  /* stream start */
	amt_wr32(r + lut + 0x10, (uint32_t)(pos - 0x200)); /* and length */

	uint8_t *out = NULL;
	size_t ol = 0;
	assert_int_equal(amt_huff_unpack_lut(AMT_HUFF_ME7, r, sizeof(r), lut, 0, sizeof(r),
					     0x10010000, 0x1200, &out, &ol, NULL), AMT_OK);
	assert_int_equal(ol, 0x400 * 3 + 0x200);
	assert_memory_equal(out, pages[1], 0x400);
	assert_memory_equal(out + 0x400, pages[2], 0x400);
	assert_memory_equal(out + 0x800, pages[3], 0x400);
	assert_memory_equal(out + 0xC00, pages[4], 0x200);
	free(out);
	/* a module starting one page below the address base: that page is not stored */
	assert_int_equal(amt_huff_unpack_lut(AMT_HUFF_ME7, r, sizeof(r), lut, 0, sizeof(r),
					     0x1000FC00, 0x800, &out, &ol, NULL), AMT_OK);
	assert_int_equal(ol, 0); /* page -1 not in the table, page 0 empty */
	free(out);

	/* a module starting inside page 1 (sharing it with the module before):
	 * its bytes start that far into the page and run on into page 2 */
	assert_int_equal(amt_huff_unpack_lut(AMT_HUFF_ME7, r, sizeof(r), lut, 0, sizeof(r),
					     0x10010600, 0x400, &out, &ol, NULL), AMT_OK);
	assert_int_equal(ol, 0x400);
	assert_memory_equal(out, pages[1] + 0x200, 0x200);
	assert_memory_equal(out + 0x200, pages[2], 0x200);
	free(out);

	amt_error e;
	/* below the address base and off its chunk boundaries */
	assert_int_equal(amt_huff_unpack_lut(AMT_HUFF_ME7, r, sizeof(r), lut, 0, sizeof(r),
					     0x1000FE00, 0x400, &out, &ol, &e), AMT_E_RANGE);
	/* no LUT there */
	assert_int_equal(amt_huff_unpack_lut(AMT_HUFF_ME7, r, sizeof(r), lut + 4, 0, sizeof(r),
					     0x10010000, 0x400, &out, &ol, &e), AMT_E_BADMAGIC);
	/* the region ends inside page 3's chunk */
	uint32_t p3 = amt_rd32(r + lut + 0x40 + 12) & 0x1FFFFFFu;
	assert_int_not_equal(amt_huff_unpack_lut(AMT_HUFF_ME7, r, sizeof(r), lut, 0, p3 + 4,
						 0x10010000, 0x1200, &out, &ol, &e), AMT_OK);
	assert_null(out);
	/* a chunk size that is no power of two */
	amt_wr32(r + lut + 0x30, 0x401);
	assert_int_equal(amt_huff_unpack_lut(AMT_HUFF_ME7, r, sizeof(r), lut, 0, sizeof(r),
					     0x10010000, 0x400, &out, &ol, &e), AMT_E_RANGE);
	amt_wr32(r + lut + 0x30, 0x400);
	/* an unknown chunk flag */
	uint32_t e1 = amt_rd32(r + lut + 0x44);
	amt_wr32(r + lut + 0x44, (e1 & 0x1FFFFFFu) | 0x10u << 25);
	assert_int_equal(amt_huff_unpack_lut(AMT_HUFF_ME7, r, sizeof(r), lut, 0, sizeof(r),
					     0x10010000, 0x1200, &out, &ol, &e), AMT_E_BADMAGIC);
	assert_int_equal(e.offset, lut + 0x44);
	amt_wr32(r + lut + 0x44, e1);
	/* a chunk table longer than the input */
	amt_wr32(r + lut + 4, 0x10000);
	assert_int_equal(amt_huff_unpack_lut(AMT_HUFF_ME7, r, sizeof(r), lut, 0, sizeof(r),
					     0x10010000, 0x400, &out, &ol, &e), AMT_E_TRUNCATED);
	amt_wr32(r + lut + 4, 8);
	/* the ME 6 book does not give these pages */
	if (amt_huff_unpack_lut(AMT_HUFF_ME6, r, sizeof(r), lut, 0, sizeof(r), 0x10010000, 0x1200,
				&out, &ol, NULL) == AMT_OK) {
		assert_memory_not_equal(out, pages[1], 0x400);
		free(out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_code_words),
		cmocka_unit_test(test_every_symbol),
		cmocka_unit_test(test_round_trip_and_truncation),
		cmocka_unit_test(test_overrun),
		cmocka_unit_test(test_hostile_streams),
		cmocka_unit_test(test_cse_module),
		cmocka_unit_test(test_gen2_lut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
