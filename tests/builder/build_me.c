/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Synthetic gen 1 / gen 2 ME regions (see build_me.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lzma.h>
#include <openssl/evp.h>

#include "build_huff.h"
#include "build_me.h"
#include "internal.h"

#define G1_REGION 0x20000u
#define G2_REGION 0x40000u

void tb_me_opts_gen1(struct tb_me_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->major = 4;
	o->minor = 2;
	o->hotfix = 21;
	o->build = 1037;
	o->stride = 0x50;
	o->sku_words = 3;
	/* ME 4 "AMT" (0x8C000000, MEA) */
	o->sku[0] = 0x8C;
}

void tb_me_opts_gen2(struct tb_me_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->major = 8;
	o->minor = 1;
	o->hotfix = 20;
	o->build = 1336;
	o->stride = 0x60;
	o->huffman = true;
	o->sku_words = 4;
	/* ME 8 1.5MB: byte 4 = 0x03 (size 3 x 0.5MB), as on the corpus images */
	static const uint8_t v[8] = { 0xE0, 0x1C, 0x11, 0x41, 0x03, 0x22, 0x00, 0x00 };
	memcpy(o->sku, v, 8);
}

static void put_fpt_entry(uint8_t *e, const char *name, const char *owner, uint32_t off,
			  uint32_t len, uint32_t flags)
{
	memset(e, 0, 0x20);
	memcpy(e, name, 4);
	memcpy(e + 4, owner, 4);
	amt_wr32(e + 8, off);
	amt_wr32(e + 0x0C, len);
	amt_wr32(e + 0x10, 1);
	amt_wr32(e + 0x14, 1);
	amt_wr32(e + 0x1C, flags);
}

void tb_fpt_fix_checksum(uint8_t *r, size_t fpt_off)
{
	uint8_t hl = r[fpt_off + 0x0A];
	size_t start = fpt_off, len = 0x20;
	if (hl > 0x20 && (size_t)(hl - 0x20) <= fpt_off) {
		start = fpt_off - (hl - 0x20);
		len = hl;
	}
	r[fpt_off + 0x0B] = 0;
	r[fpt_off + 0x0B] = (uint8_t)(0x100 - amt_sum8(r + start, len));
}

void tb_sha256_rev(const uint8_t *p, size_t len, uint8_t out[32])
{
	uint8_t h[32];
	unsigned int olen;
	EVP_Digest(p, len, h, &olen, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		out[i] = h[31 - i];
}

void tb_me_fix_module_hash(uint8_t *r, size_t man_off, size_t hdr)
{
	uint32_t doff = amt_rd32(r + hdr + 0x38), size = amt_rd32(r + hdr + 0x40);
	tb_sha256_rev(r + man_off + doff, size, r + hdr + 0x14);
}

static void fill_pattern(uint8_t *p, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)((i * 7 + seed * 13 + (i >> 5)) & 0xFF);
}

size_t tb_lzma_pack(const uint8_t *src, size_t len, uint8_t *dst, size_t cap)
{
	lzma_options_lzma opt;
	lzma_stream s = LZMA_STREAM_INIT;
	if (lzma_lzma_preset(&opt, 6) || lzma_alone_encoder(&s, &opt) != LZMA_OK)
		abort();
	s.next_in = src;
	s.avail_in = len;
	s.next_out = dst;
	s.avail_out = cap;
	if (lzma_code(&s, LZMA_FINISH) != LZMA_STREAM_END)
		abort();
	size_t out = cap - s.avail_out;
	lzma_end(&s);
	return out;
}

static void put_manifest_header(uint8_t *m, const struct tb_me_opts *o, const char *tag,
				uint32_t nmod)
{
	amt_wr32(m + 0x00, 4);
	amt_wr32(m + 0x04, 0x284 / 4);
	amt_wr32(m + 0x08, 0x10000);
	amt_wr32(m + 0x0C, 0);
	amt_wr32(m + 0x10, 0x8086);
	amt_wr32(m + 0x14, 0x20240131);
	memcpy(m + 0x1C, tag, 4);
	amt_wr32(m + 0x20, nmod);
	amt_wr16(m + 0x24, (uint16_t)o->major);
	amt_wr16(m + 0x26, (uint16_t)o->minor);
	amt_wr16(m + 0x28, (uint16_t)o->hotfix);
	amt_wr16(m + 0x2A, (uint16_t)o->build);
	amt_wr32(m + 0x2C, 3);      /* SVN */
	amt_wr32(m + 0x34, 7);      /* VCN */
	amt_wr32(m + 0x78, 0x40);   /* key size, dwords */
	amt_wr32(m + 0x7C, 1);
	amt_wr32(m + 0x180, 0x11);  /* exponent */
}

static size_t put_sku(uint8_t *p, const struct tb_me_opts *o)
{
	memcpy(p, "$SKU", 4);
	amt_wr32(p + 4, o->sku_words);
	memcpy(p + 8, o->sku, o->sku_words > 3 ? 8 : 4);
	return (size_t)o->sku_words * 4;
}

/* ------------------------------------------------------------------ */

struct tb_buf tb_build_gen1(const struct tb_me_opts *o, struct tb_me_layout *l)
{
	struct tb_buf b = tb_alloc(G1_REGION, 0xFF);
	uint8_t *r = b.data;
	memset(l, 0, sizeof(*l));

	size_t fpt = o->fpt_at0 ? 0 : 0x10;
	if (!o->fpt_at0)
		memset(r, 0, 0x10);
	uint8_t *h = r + fpt;
	memset(h, 0, 0x20);
	memcpy(h, "$FPT", 4);
	amt_wr32(h + 4, 3);
	h[8] = o->fpt_at0 ? 0x10 : 0x20;
	h[9] = 0x10;
	h[0x0A] = o->fpt_at0 ? 0x20 : 0x30;
	amt_wr32(h + 0x14, o->fpt_at0 ? 0 : 0xFFFFFE07u);
	put_fpt_entry(r + fpt + 0x20, "FOVD", "KRID", 0x400, 0xC00, 0x783);
	put_fpt_entry(r + fpt + 0x40, "NVKR", "KRID", 0, 0x20000, 0x2882);
	put_fpt_entry(r + fpt + 0x60, "CODE", "\xff\xff\xff\xff", 0x2000, 0xFFFFFFFFu, 0x2780);
	memset(r + 0x400, 0, 0xC00);
	l->fpt_off = fpt;
	l->nentries = 3;
	l->ftpr_entry = fpt + 0x60;
	l->ftpr_off = 0x2000;
	l->ftpr_size = G1_REGION - 0x2000;

	static const char *const names[] = { "BRINGUP", "KernelPriv", "PMHWSEQ" };
	static const size_t sizes[] = { 0x400, 0x1000, 0x230 };
	unsigned n = 3;
	size_t man = 0x2000;
	uint8_t *m = r + man;
	memset(m, 0, 0x290 + n * 0x50 + 12);
	put_manifest_header(m, o, "$MAN", n);
	l->man_off = man;
	l->mme_off = man + 0x290;
	l->stride = 0x50;
	l->nmodules = n;
	size_t tab_end = 0x290 + n * 0x50;
	size_t msize = tab_end;
	if (!o->no_sku) {
		l->sku_off = man + tab_end;
		msize += put_sku(m + tab_end, o);
	}
	amt_wr32(m + 0x18, (uint32_t)(msize / 4));
	l->man_size = msize;

	size_t data = man + msize;
	for (unsigned i = 0; i < n; i++) {
		uint8_t *e = m + 0x290 + i * 0x50;
		memcpy(e, "$MME", 4);
		fill_pattern(e + 4, 16, i);
		amt_wr16(e + 0x14, (uint16_t)o->major);
		memcpy(e + 0x1C, names[i], strlen(names[i]));
		amt_wr32(e + 0x40, (uint32_t)sizes[i]);
		amt_wr32(e + 0x44, 0);
		uint8_t *md = r + data;
		memset(md, 0, 0x50);
		memcpy(md, "$MOD", 4);
		memcpy(md + 0x30, names[i], strlen(names[i]));
		fill_pattern(md + 0x50, sizes[i] - 0x50, i + 1);
		/* SHA-1 of the whole stored module, byte-reversed */
		uint8_t h1[20];
		unsigned int hl1;
		EVP_Digest(md, sizes[i], h1, &hl1, EVP_sha1(), NULL);
		for (int k = 0; k < 20; k++)
			e[0x2C + k] = h1[19 - k];
		l->mod_off[i] = data;
		l->mod_size[i] = sizes[i];
		l->mod_name[i] = names[i];
		data += sizes[i];
	}
	tb_fpt_fix_checksum(r, fpt);
	return b;
}

/* ------------------------------------------------------------------ */

/* One gen 2 module: header at hdr (stride bytes), data at region offset
 * *data (advanced), from the manifest at man. */
static void put_mme(uint8_t *r, size_t man, size_t hdr, const char *name, int comp,
		    size_t *data, unsigned seed, uint32_t base, size_t llut,
		    struct tb_me_layout *l, unsigned idx)
{
	uint8_t plain[0x1000];
	size_t usize = comp == 2 ? sizeof(plain) : 0x300 + seed * 0x40;
	fill_pattern(plain, usize, seed);
	if (comp == 1) {
		/* real Huffman code (ME 7-10 book, the LLUT says "CPT ") of a
		 * sparse page that fits the 0x100-byte chunk slot: chunk 0 */
		for (size_t i = 0; i < usize; i++)
			plain[i] = i % 64 ? 0 : (uint8_t)(seed + i / 64);
		size_t n = tb_huff_encode(AMT_HUFF_ME7, AMT_HUFF_CODE, plain, usize,
					  r + llut + 0x100, 0x100);
		if (!n) {
			fprintf(stderr, "build_me: Huffman chunk does not fit its slot\n");
			abort();
		}
		memset(r + llut + 0x100 + n, 0, 0x100 - n);
		amt_wr32(r + llut + 0x40, (uint32_t)(llut + 0x100) | 0x20u << 25);
	}
	uint8_t *e = r + hdr;
	memcpy(e, "$MME", 4);
	memcpy(e + 4, name, strlen(name));
	amt_wr32(e + 0x34, base);
	amt_wr32(e + 0x3C, (uint32_t)usize);
	amt_wr32(e + 0x50, (uint32_t)comp << 4 | 0x02);
	tb_sha256_rev(plain, usize, e + 0x14);
	size_t off, csize;
	if (comp == 1) {
		off = llut;
		csize = 0x400;          /* compressed bytes (fragmented in the chunks) */
	} else {
		off = *data;
		if (comp == 2)
			csize = tb_lzma_pack(plain, usize, r + off, 0x2000);
		else {
			memcpy(r + off, plain, usize);
			csize = usize;
		}
		*data = (off + csize + 0x3F) & ~(size_t)0x3F;
	}
	amt_wr32(e + 0x38, (uint32_t)(off - man));
	amt_wr32(e + 0x40, (uint32_t)csize);
	if (l) {
		l->mod_off[idx] = off;
		l->mod_size[idx] = csize;
		l->mod_name[idx] = name;
		l->mod_comp[idx] = comp;
	}
}

struct tb_buf tb_build_gen2(const struct tb_me_opts *o, struct tb_me_layout *l)
{
	struct tb_buf b = tb_alloc(G2_REGION, 0xFF);
	uint8_t *r = b.data;
	memset(l, 0, sizeof(*l));
	unsigned stride = o->stride ? o->stride : 0x60;

	memset(r, 0, 0x10); /* ROM bypass */
	size_t fpt = 0x10;
	uint8_t *h = r + fpt;
	memset(h, 0, 0x20);
	memcpy(h, "$FPT", 4);
	unsigned nent = o->no_nftp ? 3 : 4;
	amt_wr32(h + 4, nent);
	h[8] = 0x20;
	h[9] = 0x10;
	h[0x0A] = 0x30;
	amt_wr16(h + 0x0C, 7);
	amt_wr16(h + 0x0E, 100);
	amt_wr32(h + 0x14, 0xFFFFFC01u);
	amt_wr16(h + 0x18, (uint16_t)o->major);
	amt_wr16(h + 0x1A, (uint16_t)o->minor);
	amt_wr16(h + 0x1C, 30);
	amt_wr16(h + 0x1E, 1234);
	put_fpt_entry(r + 0x30, "FOVD", "KRID", 0x400, 0xC00, 0x783);
	put_fpt_entry(r + 0x50, "NVKR", "\xff\xff\xff\xff", 0xFFFFFFFFu, 0x5000, 0x2);
	put_fpt_entry(r + 0x70, "FTPR", "\xff\xff\xff\xff", 0x2000, 0x20000, 0x2780);
	if (!o->no_nftp)
		put_fpt_entry(r + 0x90, "NFTP", "\xff\xff\xff\xff", 0x22000, 0x1C000, 0x2780);
	memset(r + 0x400, 0, 0xC00);
	l->fpt_off = fpt;
	l->nentries = nent;
	l->ftpr_entry = 0x70;
	l->ftpr_off = 0x2000;
	l->ftpr_size = 0x20000;

	/* FTPR manifest + modules */
	size_t man = 0x2000;
	unsigned n = o->huffman ? 4 : 3;
	uint8_t *m = r + man;
	memset(m, 0, 0x290 + n * stride);
	put_manifest_header(m, o, "$MN2", n);
	l->man_off = man;
	l->mme_off = man + 0x290;
	l->stride = stride;
	l->nmodules = n;
	size_t tab_end = 0x290 + (size_t)n * stride;
	size_t msize = tab_end + stride; /* one unused stride of 0xFF */
	if (!o->no_sku) {
		l->sku_off = man + msize;
		msize += put_sku(m + msize, o);
	}
	amt_wr32(m + 0x18, (uint32_t)(msize / 4));
	l->man_size = msize;

	size_t data = (man + msize + 0x3F) & ~(size_t)0x3F;
	size_t llut = 0;
	if (o->huffman) {
		llut = data;
		unsigned chunks = 4;
		memset(r + llut, 0, 0x40 + chunks * 4);
		memcpy(r + llut, "LLUT", 4);
		amt_wr32(r + llut + 4, chunks);
		amt_wr32(r + llut + 8, 0x00100000);
		amt_wr32(r + llut + 0x0C, (uint32_t)(llut - 0x100));
		/* unhuffme LutHdr: +0x14 Huffman stream start, +0x10 its length;
		 * their sum is the stream end (me_cleaner get_chunks_offsets
		 * ends the last chunk there). The stream is the chunk area. */
		amt_wr32(r + llut + 0x10, chunks * 0x100);
		amt_wr32(r + llut + 0x14, (uint32_t)(llut + 0x100));
		amt_wr32(r + llut + 0x30, 0x400);
		memcpy(r + llut + 0x38, "CPT ", 4); /* the ME 7-10 code book */
		for (unsigned i = 0; i < chunks; i++) {
			amt_wr32(r + llut + 0x40 + i * 4, (uint32_t)(llut + 0x100 + i * 0x100));
			/* chunk data (not real Huffman code): not 0xFF, so the
			 * module reads as present (lib/fw/present.c) */
			for (unsigned k = 0; k < 0x100; k++)
				r[llut + 0x100 + i * 0x100 + k] = (uint8_t)(0x11 * (i + 1) + k);
		}
		l->llut_off = llut;
		l->llut_chunks = chunks;
		l->llut_chunk_size = 0x400;
		l->llut_addr_base = 0x00100000;
		l->llut_spi_base = (uint32_t)(llut - 0x100);
		data = llut + 0x100 + chunks * 0x100;
	}
	put_mme(r, man, man + 0x290, "ROMP", 0, &data, 1, 0x20010000, llut, l, 0);
	put_mme(r, man, man + 0x290 + stride, "BUP", 0, &data, 2, 0x20020000, llut, l, 1);
	put_mme(r, man, man + 0x290 + 2 * stride, "KERNEL", 2, &data, 3, 0x20030000, llut, l, 2);
	if (o->huffman)
		put_mme(r, man, man + 0x290 + 3 * stride, "POLICY", 1, &data, 4, 0x10100000,
			llut, l, 3);

	/* NFTP: a second code partition with its own manifest, one module */
	if (!o->no_nftp) {
		size_t nm = 0x22000;
		uint8_t *q = r + nm;
		memset(q, 0, 0x290 + 2 * stride);
		put_manifest_header(q, o, "$MN2", 1);
		size_t nsize = 0x290 + 2 * (size_t)stride;
		amt_wr32(q + 0x18, (uint32_t)(nsize / 4));
		size_t nd = nm + nsize;
		put_mme(r, nm, nm + 0x290, "CLS", 2, &nd, 5, 0x20100000, 0, NULL, 0);
		l->nftp_off = nm;
		l->nftp_man_off = nm;
	}
	tb_fpt_fix_checksum(r, fpt);
	return b;
}
