/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hand-made hostile images for test_hostile and the fuzz seed writer:
 * small, synthetic structures laid out by hand (no builder needed) whose
 * fields can then be pointed outside, at each other, or given huge counts.
 * Header-only. Offsets/fields: doc/formats.md#descriptor to doc/formats.md#bpdt.
 */
#ifndef AMTLESS_TEST_HOSTILE_H
#define AMTLESS_TEST_HOSTILE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static inline void h_wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}
static inline void h_wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* IFDv2 descriptor at 0: signature at 0x10, regions at 0x40, masters at
 * 0x80, straps at 0x100 (PSL 0x80 dwords). Region n = [base, limit]
 * (inclusive, 4 KiB granular); base > limit marks it unused. */
static inline void h_ifd(uint8_t *d, uint32_t me_base, uint32_t me_limit,
			 uint32_t bios_base, uint32_t bios_limit)
{
	memset(d, 0xff, 0x1000);
	memset(d, 0, 0x10);
	h_wr32(d + 0x10, 0x0FF0A55Au);
	/* FLMAP0: FCBA 0x30, NC 0, FRBA 0x40, NR 4 */
	h_wr32(d + 0x14, 0x03u | (0x04u << 16) | (4u << 24));
	/* FLMAP1: FMBA 0x80, NM 2, FPSBA 0x100, PSL 0x80 */
	h_wr32(d + 0x18, 0x08u | (2u << 8) | (0x10u << 16) | (0x80u << 24));
	/* FLMAP2: FMSBA 0x300, MSL 0 */
	h_wr32(d + 0x1c, 0x30u);
	/* FLCOMP: 8 MiB component density (5 = 16 MiB? keep 4 = 8 MiB) */
	h_wr32(d + 0x30, 0x4u);
	h_wr32(d + 0x40, 0x00000000u);   /* FD: 0-0xFFF */
	h_wr32(d + 0x44, (bios_base >> 12) | ((bios_limit >> 12) << 16));
	h_wr32(d + 0x48, (me_base >> 12) | ((me_limit >> 12) << 16));
	h_wr32(d + 0x4c, 0x00007fffu);   /* GbE unused */
	for (unsigned i = 4; i < 16; i++)
		h_wr32(d + 0x40 + 4 * i, 0x00007fffu);
	h_wr32(d + 0x80, 0x00a00b00u);   /* FLMSTR1 */
	h_wr32(d + 0x84, 0x00c00d00u);   /* FLMSTR2 */
	memset(d + 0x100, 0, 0x80 * 4);
}

/* $FPT at region+0x10 (ROM bypass zeros before), header 0x20 B, version
 * 0x20; entries follow. Checksum made valid by h_fpt_fix(). */
static inline uint8_t *h_fpt(uint8_t *region, uint32_t nentries)
{
	memset(region, 0, 0x10);
	uint8_t *f = region + 0x10;
	memset(f, 0, 0x20);
	memcpy(f, "$FPT", 4);
	h_wr32(f + 4, nentries);
	f[8] = 0x20;
	f[9] = 0x10;
	f[10] = 0x20;
	return f;
}

static inline void h_fpt_entry(uint8_t *region, unsigned i, const char *name,
			       uint32_t offset, uint32_t length, uint32_t flags)
{
	uint8_t *e = region + 0x30 + 0x20 * i;
	memset(e, 0, 0x20);
	memcpy(e, name, strlen(name) < 4 ? strlen(name) : 4);
	h_wr32(e + 8, offset);
	h_wr32(e + 12, length);
	h_wr32(e + 28, flags);
}

/* 8-bit checksum over ROMB + header (0x30 bytes) = 0. */
static inline void h_fpt_fix(uint8_t *region)
{
	uint8_t s = 0;
	region[0x1b] = 0;
	for (unsigned i = 0; i < 0x30; i++)
		s = (uint8_t)(s + region[i]);
	region[0x1b] = (uint8_t)(0x100 - s);
}

/* $MN2 (R0/R1) manifest header at m: header length 0xA1 dwords, size in
 * dwords, key size 0x40 dwords, module count. */
static inline void h_mn2(uint8_t *m, uint32_t size_dw, uint32_t nmodules, uint16_t major)
{
	memset(m, 0, 0x284);
	h_wr32(m + 0x00, 4);          /* type */
	h_wr32(m + 0x04, 0xa1);       /* header length (dwords) */
	h_wr32(m + 0x08, 0x10000);    /* header version */
	h_wr32(m + 0x10, 0x8086);     /* vendor */
	h_wr32(m + 0x14, 0x20200101); /* date */
	h_wr32(m + 0x18, size_dw);
	memcpy(m + 0x1c, "$MN2", 4);
	h_wr32(m + 0x20, nmodules);
	h_wr16(m + 0x24, major);
	h_wr16(m + 0x26, 0);
	h_wr16(m + 0x28, 1);
	h_wr16(m + 0x2a, 1000);
	h_wr32(m + 0x78, 0x40);       /* key size (dwords) */
	h_wr32(m + 0x7c, 1);          /* exponent size */
	memset(m + 0x80, 0xa5, 0x100);/* modulus */
	h_wr32(m + 0x180, 0x10001);
	memset(m + 0x184, 0x5a, 0x100);
}

/* $MME module header (gen2, stride 0x60) at h. */
static inline void h_mme(uint8_t *h, const char *name, uint32_t data_off,
			 uint32_t usize, uint32_t csize, uint32_t comp)
{
	memset(h, 0, 0x60);
	memcpy(h, "$MME", 4);
	memcpy(h + 4, name, strlen(name) < 16 ? strlen(name) : 16);
	h_wr32(h + 0x38, data_off);
	h_wr32(h + 0x3c, usize);
	h_wr32(h + 0x40, csize);
	h_wr32(h + 0x50, comp << 4);
}

/* $CPD R1 header at c with n entries named part; entries follow at +0x10. */
static inline void h_cpd(uint8_t *c, uint32_t n, const char *part)
{
	memset(c, 0, 0x10);
	memcpy(c, "$CPD", 4);
	h_wr32(c + 4, n);
	c[8] = 1;
	c[9] = 1;
	c[10] = 0x10;
	memcpy(c + 12, part, strlen(part) < 4 ? strlen(part) : 4);
}

static inline void h_cpd_entry(uint8_t *c, unsigned i, const char *name,
			       uint32_t offset, uint32_t size)
{
	uint8_t *e = c + 0x10 + 0x18 * i;
	memset(e, 0, 0x18);
	memcpy(e, name, strlen(name) < 12 ? strlen(name) : 12);
	h_wr32(e + 12, offset);
	h_wr32(e + 16, size);
}

/* $CPD checksum-8: header + entries sum to 0 (byte at +0x0B). */
static inline void h_cpd_fix(uint8_t *c, uint32_t n)
{
	uint8_t s = 0;
	c[11] = 0;
	for (uint32_t i = 0; i < 0x10 + 0x18 * n; i++)
		s = (uint8_t)(s + c[i]);
	c[11] = (uint8_t)(0x100 - s);
}

/* BPDT header (version 1, 0x18 B) at b with n entries (12 B each). */
static inline void h_bpdt(uint8_t *b, uint16_t n)
{
	memset(b, 0, 0x18);
	h_wr32(b, 0xAA550000u);
	h_wr16(b + 4, n);
	h_wr16(b + 6, 1);
}

static inline void h_bpdt_entry(uint8_t *b, unsigned i, uint32_t type,
				uint32_t offset, uint32_t size)
{
	uint8_t *e = b + 0x18 + 12 * i;
	h_wr32(e, type);
	h_wr32(e + 4, offset);
	h_wr32(e + 8, size);
}

/* ---- whole hostile-or-valid-shaped images (malloc'ed, *n = size) ---- */

#define H_REGION 0x10000u

/* Gen 2 ME region: $FPT with FTPR holding a $MN2 + nmod $MME headers. */
static inline uint8_t *h_img_gen2(size_t *n, uint32_t nmod_field)
{
	uint8_t *r = calloc(1, H_REGION);
	h_fpt(r, 2);
	h_fpt_entry(r, 0, "FTPR", 0x1000, 0x8000, 0);
	h_fpt_entry(r, 1, "NVCL", 0x9000, 0x1000, 2);
	h_fpt_fix(r);
	h_mn2(r + 0x1000, 0x2000, nmod_field, 9);
	for (unsigned i = 0; i < 3; i++)
		h_mme(r + 0x1000 + 0x290 + 0x60 * i, i == 0 ? "BUP" : i == 1 ? "KERNEL" : "AMT",
		      0x1000 + 0x800 * i, 0x800, 0x800, i == 2 ? 1 : 0);
	memcpy(r + 0x1000 + 0x290 + 0x60 * 3, "$SKU", 4);
	/* an LLUT where the Huffman module's data starts */
	memcpy(r + 0x1000 + 0x2000, "LLUT", 4);
	h_wr32(r + 0x1000 + 0x2004, 4);
	h_wr32(r + 0x1000 + 0x2030, 0x1000);
	*n = H_REGION;
	return r;
}

/* CSE ($FPT + $CPD) ME region: FTPR holds a $CPD with a .man and modules. */
static inline uint8_t *h_img_cse(size_t *n, uint32_t ncpd_field)
{
	uint8_t *r = calloc(1, H_REGION);
	h_fpt(r, 1);
	r[0x18] = 0x20;
	h_fpt_entry(r, 0, "FTPR", 0x1000, 0x8000, 0);
	h_fpt_fix(r);
	uint8_t *c = r + 0x1000;
	h_cpd(c, ncpd_field, "FTPR");
	h_cpd_entry(c, 0, "FTPR.man", 0x100, 0x400);
	h_cpd_entry(c, 1, "kernel", 0x500, 0x200);
	h_cpd_entry(c, 2, "kernel.met", 0x700, 0x40);
	h_cpd_fix(c, 3);
	h_mn2(c + 0x100, 0x100, 0, 11);
	/* one extension 0x0C after the header: caps with AMT bit */
	h_wr32(c + 0x100 + 0x284, 0x0c);
	h_wr32(c + 0x100 + 0x288, 0x38);
	h_wr32(c + 0x100 + 0x28c, 0x4);
	*n = H_REGION;
	return r;
}

/* Gen 1 ME region: $FPT at 0 with CODE partition holding a $MAN. */
static inline uint8_t *h_img_gen1(size_t *n, uint32_t nmod_field)
{
	uint8_t *r = calloc(1, H_REGION);
	memcpy(r, "$FPT", 4);
	h_wr32(r + 4, 1);
	r[8] = 0x10;
	r[9] = 0x10;
	r[10] = 0x20;
	/* entries at $FPT+0x20 */
	memcpy(r + 0x20, "CODE", 4);
	h_wr32(r + 0x28, 0x1000);
	h_wr32(r + 0x2c, 0x4000);
	h_mn2(r + 0x1000, 0x1000, nmod_field, 5);
	memcpy(r + 0x1000 + 0x1c, "$MAN", 4);
	for (unsigned i = 0; i < 2; i++) {
		uint8_t *h = r + 0x1000 + 0x290 + 0x50 * i;
		memcpy(h, "$MME", 4);
		memcpy(h + 0x1c, i ? "KERNEL" : "ROMP", i ? 6 : 4);
		h_wr32(h + 0x40, 0x400);
	}
	*n = H_REGION;
	return r;
}

/* IFWI 2.0 image: a BPDT at 0 with FTPR ($CPD) and an S-BPDT entry. */
static inline uint8_t *h_img_bpdt(size_t *n, uint32_t sbpdt_off)
{
	uint8_t *r = calloc(1, H_REGION);
	h_bpdt(r, 2);
	h_bpdt_entry(r, 0, 2, 0x1000, 0x2000);  /* FTPR */
	h_bpdt_entry(r, 1, 5, sbpdt_off, 0x100); /* S-BPDT */
	uint8_t *c = r + 0x1000;
	h_cpd(c, 1, "FTPR");
	h_cpd_entry(c, 0, "FTPR.man", 0x100, 0x400);
	h_cpd_fix(c, 1);
	h_mn2(c + 0x100, 0x100, 0, 3);
	if (sbpdt_off >= 0x30 && sbpdt_off <= H_REGION - 0x30) {
		h_bpdt(r + sbpdt_off, 1);
		h_bpdt_entry(r + sbpdt_off, 0, 5, 0, 0x100); /* back to the primary */
	}
	*n = H_REGION;
	return r;
}

/* CSE layout table 1.7 at 0: data $FPT at 0x1000, BP1 = BPDT at 0x2000. */
static inline uint8_t *h_img_ifwi17(size_t *n, uint32_t data_off, uint32_t bp1_off)
{
	uint8_t *r = calloc(1, H_REGION);
	h_wr16(r + 0x10, 0x40);
	h_wr32(r + 0x18, data_off);
	h_wr32(r + 0x1c, 0x1000);
	h_wr32(r + 0x20, bp1_off);
	h_wr32(r + 0x24, 0x8000);
	uint8_t *f = r + 0x1000;
	memcpy(f, "$FPT", 4);
	h_wr32(f + 4, 1);
	f[8] = 0x20;
	f[9] = 0x10;
	f[10] = 0x20;
	memcpy(f + 0x20, "FITC", 4);
	h_wr32(f + 0x28, 0x100);
	h_wr32(f + 0x2c, 0x100);
	uint8_t *b = r + 0x2000;
	h_bpdt(b, 1);
	b[6] = 2;
	h_bpdt_entry(b, 0, 2, 0x1000, 0x2000);
	uint8_t *c = b + 0x1000;
	h_cpd(c, 1, "FTPR");
	h_cpd_entry(c, 0, "FTPR.man", 0x100, 0x500);
	h_cpd_fix(c, 1);
	h_mn2(c + 0x100, 0x140, 0, 15);
	*n = H_REGION;
	return r;
}

/* Full image: descriptor + BIOS + the given ME region. */
static inline uint8_t *h_img_full(size_t *n, const uint8_t *me, size_t me_size)
{
	size_t total = 0x1000 + me_size + 0x1000;
	uint8_t *d = malloc(total);
	memset(d, 0xff, total);
	h_ifd(d, 0x1000, (uint32_t)(0x1000 + me_size - 1), (uint32_t)(0x1000 + me_size),
	      (uint32_t)(total - 1));
	memcpy(d + 0x1000, me, me_size);
	*n = total;
	return d;
}

#endif
