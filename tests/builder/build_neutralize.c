/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test builder for the neutralization tests (build_neutralize.h). Layout
 * facts: doc/formats.md#fpt, #manifests, #mme, #llut (gen 2).
 */
#include <stdlib.h>
#include <string.h>

#include <amtless/image.h>

#include "build_huff.h"
#include "build_ifd.h"
#include "build_me.h"
#include "build_neutralize.h"
#include "build_sign.h"

#define REGION 0x80000u

static void w32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void w16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void pattern(uint8_t *p, size_t n, unsigned seed)
{
	uint32_t x = 0x9E3779B9u * (seed + 1);
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = (uint8_t)(x >> 16);
		if (p[i] == 0xFF)
			p[i] = 0x5A;
	}
}

static void entry(uint8_t *e, const char *name, uint32_t off, uint32_t len, uint32_t flags)
{
	memset(e, 0, 0x20);
	memcpy(e, name, strlen(name));
	memset(e + 4, 0xFF, 4);
	w32(e + 8, off);
	w32(e + 12, len);
	w32(e + 0x1C, flags);
}

static void manifest(uint8_t *m, uint16_t major, uint32_t nmod, size_t size)
{
	memset(m, 0, 0x290);
	w32(m + 0x00, 4);
	w32(m + 0x04, 0x284 / 4);
	w32(m + 0x08, 0x10000);
	w32(m + 0x10, 0x8086);
	w32(m + 0x14, 0x20240131);
	w32(m + 0x18, (uint32_t)(size / 4));
	memcpy(m + 0x1C, "$MN2", 4);
	w32(m + 0x20, nmod);
	w16(m + 0x24, major);
	w16(m + 0x26, 1);
	w16(m + 0x28, 20);
	w16(m + 0x2A, 1337);
}

static void fix_fpt(uint8_t *r)
{
	r[0x1B] = 0;
	uint8_t s = 0;
	for (int i = 0; i < 0x30; i++)
		s = (uint8_t)(s + r[i]);
	r[0x1B] = (uint8_t)(0x100 - s);
}

struct tb_buf tn_gen2_region(uint16_t major, struct tn_gen2 *in)
{
	struct tb_buf b = tb_alloc(REGION, 0xFF);
	uint8_t *r = b.data;
	memset(in, 0, sizeof(*in));
	in->size = REGION;

	memset(r, 0, 0x10);
	uint8_t *h = r + 0x10;
	memset(h, 0, 0x20);
	memcpy(h, "$FPT", 4);
	w32(h + 4, 5);
	h[8] = 0x20;
	h[9] = 0x10;
	h[0x0A] = 0x30;
	w32(h + 0x14, 0x00000001); /* EFFS present */
	w16(h + 0x18, major);
	entry(r + 0x30, "FOVD", 0x400, 0xC00, 0x1);
	entry(r + 0x50, "NVKR", 0xFFFFFFFFu, 0x5000, 0x2);
	entry(r + 0x70, "MFS", 0x3000, 0x10000, 0x1);
	entry(r + 0x90, "FTPR", 0x20000, 0x30000, 0x0);
	entry(r + 0xB0, "NFTP", 0x50000, 0x10000, 0x0);
	pattern(r + 0x400, 0xC00, 1);
	pattern(r + 0x3000, 0x10000, 2);
	in->mfs_off = 0x3000;
	in->mfs_size = 0x10000;

	/* FTPR */
	size_t ftpr = 0x20000, man = ftpr;
	in->ftpr_off = ftpr;
	in->ftpr_size = 0x30000;
	in->man_off = man;
	const unsigned nmod = TN_MODS;
	size_t msize = 0x290 + (nmod + 1) * 0x60 + 0x10;
	manifest(r + man, major, nmod, msize);
	memset(r + man + 0x290, 0, (nmod + 1) * 0x60);
	uint8_t *sku = r + man + 0x290 + (nmod + 1) * 0x60;
	memcpy(sku, "$SKU", 4);
	w32(sku + 4, 4);
	w32(sku + 8, major == 6 ? 0 : 0x701C0000u);
	w32(sku + 12, 0);

	/* LLUT at FTPR+0x800, Huffman stream at FTPR+0x1000 */
	size_t llut = ftpr + 0x800;
	in->llut_off = llut;
	in->addr_base = 0x00102000;
	uint8_t *L = r + llut;
	memset(L, 0, 0x40 + TN_CHUNKS * 4);
	memcpy(L, "LLUT", 4);
	w32(L + 4, TN_CHUNKS);
	w32(L + 8, in->addr_base);
	w32(L + 0x0C, (uint32_t)(llut - 0x100));
	/* the code book as real LLUTs name it: "PCH " ME 6, "CPT " ME 7-10
	 * (unhuffme pch_format.h) */
	memcpy(L + 0x38, major == 6 ? "PCH " : "CPT ", 4);
	amt_huff_book book = major == 6 ? AMT_HUFF_ME6 : AMT_HUFF_ME7;
	/* the pages: sparse code, each really Huffman-coded into its slot
	 * (the rest of the slot a pattern the decoder never reaches) */
	static uint8_t plain[TN_CHUNKS * 0x1000];
	memset(plain, 0, sizeof(plain));
	static const size_t len[TN_CHUNKS] = { 0x300, 0x280, 0x200, 0x380, 0x300, 0x200, 0 };
	size_t at = ftpr + 0x1000;
	for (unsigned i = 0; i < TN_CHUNKS; i++) {
		if (!len[i]) {
			w32(L + 0x40 + 4 * i, 0x80000000u);
			continue;
		}
		uint8_t *page = plain + i * 0x1000;
		for (size_t k = 0; k < 0x1000; k += 64)
			page[k] = (uint8_t)(0x11 * (i + 1) + k / 64);
		in->chunk_off[i] = at;
		in->chunk_len[i] = len[i];
		pattern(r + at, len[i], 10 + i);
		if (!tb_huff_encode(book, AMT_HUFF_CODE, page, 0x1000, r + at, len[i]))
			abort(); /* the page does not fit its slot */
		w32(L + 0x40 + 4 * i, (uint32_t)at | 0x20u << 25);
		at += len[i];
	}
	in->stream_end = at;
	w32(L + 0x10, (uint32_t)(at - (ftpr + 0x1000)));
	w32(L + 0x14, (uint32_t)(ftpr + 0x1000));
	w32(L + 0x30, 0x1000);

	/* modules: virtual bases from AddrBase + 0x10000000, 4 KiB pages;
	 * BUP, KERNEL and POLICY start inside a page the module before uses */
	static const char *const names[TN_MODS] = { "ROMP", "BUP", "KERNEL", "UPDATE", "POLICY" };
	static const uint32_t voff[TN_MODS] = { 0, 0x1800, 0x3800, 0, 0x5800 };
	static const uint32_t usz[TN_MODS] = { 0x1800, 0x2000, 0x2000, 0x1000, 0x800 };
	static const int comp[TN_MODS] = { 1, 1, 1, 2, 1 };
	in->lzma_off = ftpr + 0x3000;
	in->lzma_size = 0x1000;
	uint8_t upd[0x1000];
	for (size_t k = 0; k < sizeof(upd); k++)
		upd[k] = (uint8_t)(k / 16 * 3);
	pattern(r + in->lzma_off, in->lzma_size, 30);
	tb_lzma_pack(upd, sizeof(upd), r + in->lzma_off, in->lzma_size);
	for (unsigned i = 0; i < nmod; i++) {
		uint8_t *e = r + man + 0x290 + i * 0x60;
		memcpy(e, "$MME", 4);
		memcpy(e + 4, names[i], strlen(names[i]));
		in->mod_hdr[i] = man + 0x290 + i * 0x60;
		in->mod_name[i] = names[i];
		uint32_t base = comp[i] == 1 ? in->addr_base + 0x10000000u + voff[i] : 0x20300000u;
		w32(e + 0x34, base);
		w32(e + 0x38, (uint32_t)((comp[i] == 1 ? llut : in->lzma_off) - man));
		w32(e + 0x3C, usz[i]);
		w32(e + 0x40, comp[i] == 1 ? usz[i] / 2 : (uint32_t)in->lzma_size);
		w32(e + 0x50, (uint32_t)comp[i] << 4 | 0x02);
		tb_sha256_rev(comp[i] == 1 ? plain + voff[i] : upd, usz[i], e + 0x14);
	}
	tb_sign_manifest(r, REGION, man, AMT_MAN_R0);

	/* NFTP: a manifest without modules */
	size_t nm = 0x50000;
	in->nftp_off = nm;
	manifest(r + nm, major, 0, 0x290);
	tb_sign_manifest(r, REGION, nm, AMT_MAN_R0);
	pattern(r + nm + 0x400, 0x2000, 40);

	fix_fpt(r);
	return b;
}

struct tb_buf tn_full_image(const struct tb_buf *region, int ifd_version, const char *platform_key,
			    size_t size)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, ifd_version);
	if (platform_key)
		tb_ifd_platform_straps(&o, platform_key);
	uint32_t me_end = 0x1000 + (uint32_t)region->size;
	o.flreg[1] = tb_ifd_flreg(me_end, (uint32_t)size - 1);
	o.flreg[2] = tb_ifd_flreg(0x1000, me_end - 1);
	struct tb_buf img = tb_ifd_image(&o, size, 0);
	memcpy(img.data + 0x1000, region->data, region->size);
	/* something in the BIOS region, at its top */
	pattern(img.data + size - 0x1000, 0x1000, 77);
	return img;
}

struct tb_buf tn_gen1_full(size_t size, size_t *me_size)
{
	struct tb_me_opts mo;
	struct tb_me_layout ml;
	tb_me_opts_gen1(&mo);
	struct tb_buf region = tb_build_gen1(&mo, &ml);
	tb_sign_manifest(region.data, region.size, ml.man_off, AMT_MAN_GEN1);
	size_t rs = (region.size + 0xFFF) & ~(size_t)0xFFF;
	struct tb_ifd_opts o;
	tb_ifd_defaults_ich(&o);
	o.flreg[2] = tb_ifd_flreg(0x1000, (uint32_t)(0x1000 + rs - 1));
	o.flreg[1] = tb_ifd_flreg((uint32_t)(0x1000 + rs), (uint32_t)size - 1);
	struct tb_buf img = tb_ifd_image(&o, size, 0);
	memcpy(img.data + 0x1000, region.data, region.size);
	*me_size = rs;
	tb_free(&region);
	return img;
}
