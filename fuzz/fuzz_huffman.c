/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness: the Huffman decoder (lib/fw/huffman.c). The first
 * byte picks the book (bits 0-1), the dictionary (bit 2) and the mode
 * (bits 3-4); the rest is the input.
 *
 *  mode 0: amt_huff_decode of the bytes as a stream (output length from the
 *          next two bytes). Oracles: a status of the documented set; on
 *          success the input used is within the input, decoding just the
 *          used bytes gives the same output, nothing is written past the
 *          output length.
 *  mode 1: round trip: the bytes (up to 3 chunks) as plain text, encoded by
 *          the test encoder as a CSE module (tests/builder/build_huff.c),
 *          unpacked by amt_huff_unpack_cse: OK, the declared size, and the
 *          SHA-256 of the plain text (the hash oracle).
 *  mode 2: amt_huff_unpack_cse of the bytes as a stored module (usize from
 *          the next two bytes, in chunks): on success exactly usize bytes.
 *  mode 3: amt_huff_unpack_lut of the bytes as a region with the LUT at 0
 *          (base and usize from the next eight bytes): on success at most
 *          usize bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amtless/extract.h>

#include "build_huff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_huffman: %s\n", what);
	abort();
}

static bool documented(amt_status st)
{
	return st == AMT_OK || st == AMT_E_TRUNCATED || st == AMT_E_CHECKSUM ||
	       st == AMT_E_UNSUPPORTED || st == AMT_E_RANGE || st == AMT_E_BADMAGIC ||
	       st == AMT_E_NOMEM;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void mode_decode(amt_huff_book b, amt_huff_dict d, const uint8_t *in, size_t n)
{
	if (n < 2)
		return;
	size_t outlen = (size_t)(in[0] | in[1] << 8) % 0x2001;
	in += 2;
	n -= 2;
	uint8_t *copy = malloc(n ? n : 1), *out = malloc(outlen + 64), *out2 = malloc(outlen + 64);
	if (!copy || !out || !out2)
		goto done;
	memcpy(copy, in, n);
	memset(out, 0xA5, outlen + 64);
	size_t used = 0;
	amt_error e;
	amt_status st = amt_huff_decode(b, d, copy, n, 0, out, outlen, &used, &e);
	if (!documented(st) || st == AMT_E_RANGE || st == AMT_E_BADMAGIC)
		fail("undocumented status");
	for (size_t i = outlen; i < outlen + 64; i++)
		if (out[i] != 0xA5)
			fail("wrote past the output length");
	if (st == AMT_OK) {
		if (used > n)
			fail("used more input than given");
		size_t used2 = 0;
		if (amt_huff_decode(b, d, copy, used, 0, out2, outlen, &used2, NULL) != AMT_OK ||
		    used2 != used || memcmp(out, out2, outlen))
			fail("decoding the used bytes alone differs");
	} else if (e.code != st || !e.message[0]) {
		fail("error without a message");
	}
done:
	free(copy);
	free(out);
	free(out2);
}

static void mode_round_trip(amt_huff_book b, const uint8_t *in, size_t n)
{
	if (b < AMT_HUFF_CSE11)
		b = (amt_huff_book)(b + 2); /* CSE chunk tables: the CSE books */
	uint32_t usize = (uint32_t)((n + 0xFFF) / 0x1000 * 0x1000);
	if (!usize || usize > 3 * 0x1000)
		return;
	uint8_t *plain = calloc(usize, 1), *mod = malloc(usize * 3 + 64);
	if (!plain || !mod)
		goto done;
	memcpy(plain, in, n);
	size_t m = tb_huff_cse_module(b, plain, usize, (n & 1) != 0, mod, usize * 3 + 64);
	if (!m)
		fail("the encoder ran out of room");
	uint8_t *out = NULL;
	size_t ol = 0;
	amt_status st = amt_huff_unpack_cse(b, mod, m, 0, usize, &out, &ol, NULL);
	if (st == AMT_E_NOMEM)
		goto done;
	if (st != AMT_OK || ol != usize)
		fail("round trip: not unpacked to its size");
	uint8_t h1[32], h2[32];
	amt_sha256(plain, usize, h1);
	amt_sha256(out, ol, h2);
	if (memcmp(h1, h2, 32))
		fail("round trip: hash differs");
	free(out);
done:
	free(plain);
	free(mod);
}

static void mode_cse(amt_huff_book b, const uint8_t *in, size_t n)
{
	if (n < 2)
		return;
	uint32_t usize = (uint32_t)(in[0] | in[1] << 8) % 17 * 0x1000;
	in += 2;
	n -= 2;
	uint8_t *copy = malloc(n ? n : 1);
	if (!copy)
		return;
	memcpy(copy, in, n);
	uint8_t *out = NULL;
	size_t ol = 0;
	amt_status st = amt_huff_unpack_cse(b, copy, n, 0, usize, &out, &ol, NULL);
	if (!documented(st))
		fail("undocumented status");
	if (st == AMT_OK && (ol != usize || !out))
		fail("unpacked size differs from the declared one");
	if (st != AMT_OK && out)
		fail("output on failure");
	free(out);
	free(copy);
}

static void mode_lut(amt_huff_book b, const uint8_t *in, size_t n)
{
	if (n < 8)
		return;
	uint32_t base = rd32(in), usize = rd32(in + 4) % 0x40000;
	in += 8;
	n -= 8;
	uint8_t *copy = malloc(n ? n : 1);
	if (!copy)
		return;
	memcpy(copy, in, n);
	uint8_t *out = NULL;
	size_t ol = 0;
	amt_status st = amt_huff_unpack_lut(b, copy, n, 0, 0, n, base, usize, &out, &ol, NULL);
	if (!documented(st))
		fail("undocumented status");
	if (st == AMT_OK && ol > usize)
		fail("more bytes than the module size");
	if (st != AMT_OK && out)
		fail("output on failure");
	free(out);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	amt_huff_book b = (amt_huff_book)(data[0] & 3);
	amt_huff_dict d = (data[0] >> 2) & 1 ? AMT_HUFF_DATA : AMT_HUFF_CODE;
	switch ((data[0] >> 3) & 3) {
	case 0: mode_decode(b, d, data + 1, size - 1); break;
	case 1: mode_round_trip(b, data + 1, size - 1); break;
	case 2: mode_cse(b, data + 1, size - 1); break;
	default: mode_lut(b, data + 1, size - 1); break;
	}
	return 0;
}
