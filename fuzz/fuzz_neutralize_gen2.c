/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness, structure-aware: the input is a recipe from which a
 * CONSISTENT generation-2 image is built - an $FPT whose partitions may
 * overlap or nest, an FTPR with a signed manifest and up to 8 modules
 * (uncompressed, LZMA or Huffman), an LLUT whose chunks may repeat, be
 * empty or be shared by several modules (ROMP and BUP on the same chunks:
 * the heap overflow of issue 9 lived there), a $SKU, checksums right -
 * optionally behind a flash descriptor whose regions may overlap. Random
 * bytes rarely get past the $FPT checksum and the manifest signature;
 * these images do, so the planner and the verifier are exercised deep:
 * the chunks hold real Huffman code (the book the firmware major uses) of
 * pages whose plain text the harness knows, and every module's $MME hash
 * is that of its bytes (unpacked, for Huffman modules, as the stored pages
 * in order), so kept modules hash right and a verified output is possible.
 * The oracle is neutralize_oracle.h (the library's own verifier inside).
 *
 * Layout facts: lib/fw/gen2.c and lib/fw/llut.c.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "build_huff.h"
#include "build_ifd.h"
#include "build_me.h"
#include "build_sign.h"
#include "builder.h"

#include "neutralize_oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct rd {
	const uint8_t *p;
	size_t n;
};

static unsigned take(struct rd *r, unsigned mod)
{
	unsigned v = 0;
	if (r->n) {
		v = r->p[0];
		r->p++;
		r->n--;
	}
	return mod ? v % mod : v;
}

static uint32_t take16(struct rd *r)
{
	return (uint32_t)take(r, 0) | (uint32_t)take(r, 0) << 8;
}

static void w32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void fill(uint8_t *p, size_t n, unsigned seed)
{
	uint32_t x = 0x9E3779B9u * (seed + 1);
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = (uint8_t)(x >> 16);
	}
}

#define REGION 0x60000u
#define FTPR 0x10000u
#define FTPR_LEN 0x30000u

/* FUZZ_DUMP=FILE: write the image built from the input (to reproduce a
 * finding with the command-line tool). */
static void dump(const uint8_t *d, size_t n)
{
	const char *f = getenv("FUZZ_DUMP");
	FILE *o = f ? fopen(f, "wb") : NULL;
	if (o) {
		fwrite(d, 1, n, o);
		fclose(o);
	}
}

/* The test encoder is a greedy search (about 100 pages/s): each page's
 * code, made once per book, seed and chunk index, is kept for later runs. */
static size_t encoded(amt_huff_book book, unsigned seed, unsigned i, const uint8_t *plain,
		      uint8_t *out, size_t cap)
{
	static uint8_t *code[2][256][24];
	static uint16_t len[2][256][24];
	unsigned b = book == AMT_HUFF_ME6;
	if (!code[b][seed & 255][i]) {
		uint8_t tmp[0x1000];
		size_t n = tb_huff_encode(book, AMT_HUFF_CODE, plain, 0x1000, tmp, sizeof(tmp));
		uint8_t *c = n ? malloc(n) : NULL;
		if (!c)
			return 0;
		memcpy(c, tmp, n);
		code[b][seed & 255][i] = c;
		len[b][seed & 255][i] = (uint16_t)n;
	}
	size_t n = len[b][seed & 255][i];
	if (n > cap)
		return 0;
	memcpy(out, code[b][seed & 255][i], n);
	return n;
}

static void build_region(struct rd *r, uint8_t *g)
{
	static const char *const pnames[] = { "NFTP", "MFS", "EFFS", "FOVD", "NVKR", "DLMP",
					      "GLUT", "IVBP" };
	static const char *const mnames[] = { "ROMP", "BUP", "KERNEL", "POLICY", "HOSTCOMM",
					      "RSA", "TDT", "UPDATE" };
	memset(g, 0xFF, REGION);
	memset(g, 0, 0x10);
	uint8_t *h = g + 0x10;
	memset(h, 0, 0x20);
	memcpy(h, "$FPT", 4);
	h[8] = 0x20;
	h[9] = 0x10;
	h[0x0A] = 0x30;
	w32(h + 0x14, take(r, 2));       /* EFFS flag */
	unsigned np = 1 + take(r, 7);
	w32(h + 4, np);
	unsigned ftpr_at = take(r, np);
	unsigned other = 0;
	for (unsigned i = 0; i < np; i++) {
		uint8_t *e = g + 0x30 + 0x20 * i;
		memset(e, 0, 0x20);
		memset(e + 4, 0xFF, 4);
		if (i == ftpr_at) {
			memcpy(e, "FTPR", 4);
			w32(e + 8, FTPR);
			w32(e + 12, FTPR_LEN);
			continue;
		}
		const char *nm = pnames[other++ % 8];
		memcpy(e, nm, strlen(nm));
		/* anywhere in the region, 4 KiB pages; may overlap FTPR or others */
		uint32_t off = 0x1000u * (1 + take(r, REGION / 0x1000 - 1));
		uint32_t len = 0x1000u * (1 + take(r, 16));
		if (take(r, 8) == 0)
			len = 0xFFFFFFFFu;
		w32(e + 8, off);
		w32(e + 12, len);
		w32(e + 0x1C, take(r, 4) == 0 ? 2 : take(r, 2));   /* NVRAM, code or data */
		if (off < REGION)
			fill(g + off, (REGION - off) < 0x400 ? REGION - off : 0x400, i);
	}
	/* FTPR: manifest, $MME table, $SKU, LLUT at +0x800, stream at +0x1000 */
	uint8_t *m = g + FTPR;
	unsigned nmod = 1 + take(r, 8);
	size_t msize = 0x290 + (nmod + 1) * 0x60 + 0x10;
	memset(m, 0, msize);
	w32(m + 0x00, 4);
	w32(m + 0x04, 0x284 / 4);
	w32(m + 0x08, 0x10000);
	w32(m + 0x10, 0x8086);
	w32(m + 0x14, 0x20240131);
	w32(m + 0x18, (uint32_t)(msize / 4));
	memcpy(m + 0x1C, "$MN2", 4);
	w32(m + 0x20, nmod);
	m[0x24] = (uint8_t)(6 + take(r, 5));   /* ME 6-10 */
	m[0x26] = 1;
	uint8_t *sku = m + 0x290 + (nmod + 1) * 0x60;
	memcpy(sku, "$SKU", 4);
	w32(sku + 4, 4);
	w32(sku + 8, take(r, 4) == 0 ? 0 : 0x701C0000u);

	uint8_t *L = m + 0x800;
	unsigned nch = 1 + take(r, 24);
	uint32_t base = 0x00102000;
	unsigned major = m[0x24];
	amt_huff_book book = major == 6 ? AMT_HUFF_ME6 : AMT_HUFF_ME7;
	memset(L, 0, 0x40 + 4 * nch);
	memcpy(L, "LLUT", 4);
	w32(L + 4, nch);
	w32(L + 8, base);
	w32(L + 0x0C, FTPR + 0x700);
	w32(L + 0x30, 0x1000);
	/* page[i]: the plain text chunk i decodes to; stored[i]: it has one */
	static uint8_t page[24][0x1000];
	bool stored[24] = { false };
	uint32_t at = FTPR + 0x1000, first = at, prev = at;
	int prev_i = -1;
	for (unsigned i = 0; i < nch; i++) {
		unsigned k = take(r, 8);
		if (k == 0) {
			w32(L + 0x40 + 4 * i, 0x80000000u);  /* no data */
			continue;
		}
		if (k == 1 && prev_i >= 0) {
			/* a repeated offset: the same bytes, the same page */
			w32(L + 0x40 + 4 * i, prev | 0x20u << 25);
			memcpy(page[i], page[prev_i], 0x1000);
			stored[i] = true;
			continue;
		}
		/* sparse code: one byte in 64 set, from the recipe */
		memset(page[i], 0, 0x1000);
		unsigned seed = take(r, 0);
		for (size_t b = 0; b < 0x1000; b += 64)
			page[i][b] = (uint8_t)(seed + i + b / 64);
		size_t n = encoded(book, seed, i, page[i], g + at, FTPR + FTPR_LEN - at);
		if (!n) {   /* no room left: no data */
			w32(L + 0x40 + 4 * i, 0x80000000u);
			continue;
		}
		uint32_t len = 0x40u * (1 + take(r, 32));
		if (len < n)
			len = (uint32_t)((n + 0x3F) & ~(size_t)0x3F);
		fill(g + at + n, len - n, 100 + i);   /* never decoded */
		w32(L + 0x40 + 4 * i, at | 0x20u << 25);
		stored[i] = true;
		prev = at;
		prev_i = (int)i;
		at += len;
	}
	w32(L + 0x10, at - first);
	w32(L + 0x14, first - (take(r, 16) == 0 ? 0x800 : 0));   /* sometimes off */

	for (unsigned i = 0; i < nmod; i++) {
		uint8_t *e = m + 0x290 + i * 0x60;
		memcpy(e, "$MME", 4);
		const char *nm = mnames[(i + take(r, 2) * 2) % 8];
		memcpy(e + 4, nm, strlen(nm));
		unsigned comp = take(r, 3);   /* none, Huffman, LZMA */
		if (comp == 1) {
			uint32_t pg = take(r, nch + 2);
			uint32_t below = take(r, 16) ? 0 : 0x2000;
			uint32_t mb = base + 0x10000000u + 0x1000u * pg - below;
			w32(e + 0x34, mb);
			w32(e + 0x38, 0x800);
			uint32_t us = 0x400u * (1 + take(r, 24));
			w32(e + 0x3C, us);
			w32(e + 0x40, us / 2);
			/* the hash: the stored pages of [mb, mb + us) in order, the
			 * last one cut (pages below the base or past the table,
			 * and empty ones, are not stored) */
			EVP_MD_CTX *ctx = EVP_MD_CTX_new();
			uint8_t hsh[32];
			unsigned hl = 0;
			EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
			for (uint64_t a = mb; a < (uint64_t)mb + us; a += 0x1000) {
				uint64_t lo = (uint64_t)base + 0x10000000u;
				if (a < lo || (a - lo) / 0x1000 >= nch || !stored[(a - lo) / 0x1000])
					continue;
				uint64_t left = (uint64_t)mb + us - a;
				EVP_DigestUpdate(ctx, page[(a - lo) / 0x1000],
						 left < 0x1000 ? (size_t)left : 0x1000);
			}
			EVP_DigestFinal_ex(ctx, hsh, &hl);
			EVP_MD_CTX_free(ctx);
			for (int b = 0; b < 32; b++)
				e[0x14 + b] = hsh[31 - b];
		} else {
			uint32_t off = 0x8000u + 0x800u * take(r, 32);
			uint32_t len = 0x100u * (1 + take(r, 16));
			w32(e + 0x34, 0x20300000u);
			w32(e + 0x38, off);
			w32(e + 0x3C, len);
			w32(e + 0x40, len);
			fill(m + off, len, 200 + i);
			if (comp == 0)
				tb_sha256_rev(m + off, len, e + 0x14);
		}
		w32(e + 0x50, comp << 4 | 0x02);
	}
	tb_sign_manifest(g, REGION, FTPR, 1 /* AMT_MAN_R0 */);
	/* the checksum-8 of the ROM bypass and the header */
	h[0x0B] = 0;
	uint8_t s = 0;
	for (int i = 0; i < 0x30; i++)
		s = (uint8_t)(s + g[i]);
	h[0x0B] = (uint8_t)(0x100 - s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4)
		return 0;
	struct rd r = { data, size };
	uint16_t sel = (uint16_t)take16(&r);
	struct amt_neutralize_opts o;
	oracle_opts(sel, &o);
	unsigned full = take(&r, 4);

	static uint8_t region[REGION];
	build_region(&r, region);
	if (!full) {
		dump(region, REGION);
		oracle_run(region, REGION, &o);
		return 0;
	}
	/* behind a descriptor (IFDv1, AltMeDisable at PCHSTRP10): ME at 0x1000,
	 * BIOS after it; sometimes the ME region reaches into the BIOS one */
	struct tb_ifd_opts io;
	tb_ifd_defaults(&io, 1);
	size_t total = 0x100000;
	uint32_t me_end = 0x1000 + REGION;
	uint32_t me_lim = me_end - 1 + (full == 3 ? 0x10000 : 0);
	io.flreg[1] = tb_ifd_flreg(me_end, (uint32_t)total - 1);
	io.flreg[2] = tb_ifd_flreg(0x1000, me_lim);
	struct tb_buf img = tb_ifd_image(&io, total, 0);
	memcpy(img.data + 0x1000, region, REGION);
	fill(img.data + total - 0x1000, 0x1000, 7);
	if (full == 2)
		o.platform = AMT_PLAT_SPT_KBP;   /* contradicts the firmware */
	dump(img.data, img.size);
	oracle_run(img.data, img.size, &o);
	tb_free(&img);
	return 0;
}
