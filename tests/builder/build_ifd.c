/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Test builder: Intel flash descriptors. Layout facts: anchors.md B1. */
#include <stdlib.h>
#include <string.h>

#include "build_ifd.h"

static void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

uint32_t tb_ifd_flreg(uint32_t base, uint32_t limit)
{
	return ((limit >> 12) & 0x7FFF) << 16 | ((base >> 12) & 0x7FFF);
}

uint32_t tb_ifd_flmstr(int version, bool extended, uint32_t rd, uint32_t wr)
{
	if (version == 1)
		return (rd & 0xFF) << 16 | (wr & 0xFF) << 24;
	uint32_t v = (rd & 0xFFF) << 8 | (wr & 0xFFF) << 20;
	if (extended)
		v |= ((rd >> 12) & 0xF) | ((wr >> 12) & 0xF) << 4;
	return v;
}

static void common_regions(struct tb_ifd_opts *o)
{
	o->nregions = 16;
	for (int i = 0; i < 16; i++)
		o->flreg[i] = TB_IFD_FLREG_UNUSED;
	o->flreg[0] = tb_ifd_flreg(0, 0xFFF);
	o->flreg[1] = tb_ifd_flreg(0x200000, 0x7FFFFF);
	o->flreg[2] = tb_ifd_flreg(0x1000, 0x1FFFFF);
}

void tb_ifd_defaults(struct tb_ifd_opts *o, int version)
{
	memset(o, 0, sizeof(*o));
	o->version = version;
	o->fcba = 0x30;
	o->frba = 0x40;
	o->fpsba = 0x100;
	o->nc = 1;
	o->nm = 2;
	/* VSCC table at 0xDF0 with one JID/VSCC pair, MDTBA 0: the value the
	 * corpus's Link and x210 descriptors carry (ifdtool find_flumap). */
	o->flumap1 = 0x000002DF;
	common_regions(o);
	if (version == 1) {
		o->fmba = 0x60;
		o->fmsba = 0x200;
		o->nr = 2;
		o->psl = 18;
		o->msl = 1;
		o->iccriba = 0x21;
		/* read clock 20 MHz (0), density 8 MiB (4) both components */
		o->flcomp = 0x00000024;
		o->nmasters = 3;
		o->flmstr[0] = tb_ifd_flmstr(1, false, 0x0B, 0x0A);
		o->flmstr[1] = tb_ifd_flmstr(1, false, 0x0D, 0x0C);
		o->flmstr[2] = tb_ifd_flmstr(1, false, 0x08, 0x08) | 0x118;
	} else {
		o->fmba = 0x80;
		o->fmsba = 0x300;
		o->nr = 0;
		o->psl = 120;
		o->msl = 3;
		/* ICCRIBA 0x31 as in the corpus's Sunrise Point (x210) descriptor:
		 * flashrom's descriptor parser takes 0x31 with MDTBA 0 for a
		 * 100-series one (ich_descriptors.c guess_ich_chipset_from_content) */
		o->iccriba = 0x31;
		/* read clock 17 MHz (6 << 17), component 1 8 MiB (4), component 2 unused (0xF) */
		o->flcomp = (6u << 17) | 0xF4;
		o->nmasters = 6;       /* FLMSTR1..6; FLMSTR4/6 zero */
		o->flmstr[0] = tb_ifd_flmstr(2, false, 0x003, 0x002);
		o->flmstr[1] = tb_ifd_flmstr(2, false, 0x005, 0x004);
		o->flmstr[2] = tb_ifd_flmstr(2, false, 0x009, 0x008);
		o->flmstr[3] = 0;
		o->flmstr[4] = tb_ifd_flmstr(2, false, 0x101, 0x100);
	}
}

void tb_ifd_defaults_ich(struct tb_ifd_opts *o)
{
	tb_ifd_defaults(o, 1);
	o->ich_layout = true;
	o->fcba = 0x10;
	o->psl = 2;
	o->iccriba = 0;
	o->nregions = 5;
}

void tb_ifd_write(struct tb_buf *b, size_t at, const struct tb_ifd_opts *o)
{
	if (at > b->size || b->size - at < 0x1000)
		abort();
	uint8_t *fd = b->data + at;
	memset(fd, 0xFF, 0x1000);
	size_t sig = o->ich_layout ? 0 : 0x10;
	wr32(fd + sig, 0x0FF0A55A);
	uint32_t m0 = (o->fcba >> 4) | ((o->nc - 1) & 3) << 8 | (o->frba >> 4) << 16 | (o->nr & 7) << 24;
	uint32_t m1 = (o->fmba >> 4) | (o->nm & 3) << 8 | (o->fpsba >> 4) << 16 | (o->psl & 0xFF) << 24;
	uint32_t m2 = (o->fmsba >> 4) | (o->msl & 0xFF) << 8 | (o->iccriba & 0xFF) << 16;
	wr32(fd + sig + 4, m0);
	wr32(fd + sig + 8, m1);
	wr32(fd + sig + 12, m2);
	if (o->flmap3_set)
		wr32(fd + sig + 16, o->flmap3);
	wr32(fd + o->fcba, o->flcomp);
	for (unsigned i = 0; i < o->nregions && o->frba + 4 * i + 4 <= 0x1000; i++)
		wr32(fd + o->frba + 4 * i, o->flreg[i]);
	for (unsigned i = 0; i < o->nmasters && i < 8; i++)
		wr32(fd + o->fmba + 4 * i, o->flmstr[i]);
	for (unsigned i = 0; i < o->psl && o->fpsba + 4 * i + 4 <= 0x1000; i++)
		wr32(fd + o->fpsba + 4 * i, o->pchstrp[i]);
	for (unsigned i = 0; i < o->msl && i < 16 && o->fmsba + 4 * i + 4 <= 0x1000; i++)
		wr32(fd + o->fmsba + 4 * i, o->mchstrp[i]);
	/* FLUMAP1 (descriptor + 0xEFC). Left 0xFF, the VSCC table would claim
	 * 0x7F entries past the 4 KiB descriptor and flashrom's --ifd refuses
	 * the descriptor. */
	wr32(fd + 0xEFC, o->flumap1);
}

struct tb_buf tb_ifd_build(const struct tb_ifd_opts *o)
{
	struct tb_buf b = tb_alloc(0x1000, 0xFF);
	tb_ifd_write(&b, 0, o);
	return b;
}

struct tb_buf tb_ifd_image(const struct tb_ifd_opts *o, size_t size, size_t at)
{
	struct tb_buf b = tb_alloc(size, 0xFF);
	tb_ifd_write(&b, at, o);
	return b;
}

void tb_ifd_add_fdv(struct tb_buf *b, size_t desc_at, unsigned n, const uint16_t *start,
		    const uint16_t *end)
{
	uint8_t *m = b->data + desc_at + 0x800;
	const uint32_t hdr = 0x284;           /* CSE R1 header: 0x80 + key + exponent + signature */
	const uint32_t ext = 0x48;            /* MEA CSE_Ext_17 size */
	memset(m, 0, hdr + ext);
	wr32(m + 0x00, 4);                    /* header type */
	wr32(m + 0x04, hdr / 4);              /* header length in dwords */
	wr32(m + 0x08, 0x10000);              /* header version */
	wr32(m + 0x10, 0x8086);               /* vendor */
	wr32(m + 0x18, (hdr + ext) / 4);      /* size in dwords */
	memcpy(m + 0x1C, "$MN2", 4);
	uint8_t *e = m + hdr;
	wr32(e, 0x17);
	wr32(e + 4, ext);
	for (unsigned k = 0; k < n && k < 8; k++) {
		wr16(e + 8 + 4 * k, start[k]);
		wr16(e + 10 + 4 * k, end[k]);
	}
}

/* PCH strap patterns per platform (Dasharo ifdtool
 * ifd2_platform_get_hap_location discriminators; anchors.md B1). */
bool tb_ifd_platform_straps(struct tb_ifd_opts *o, const char *key)
{
	uint32_t *s = o->pchstrp;
	memset(s, 0, sizeof(o->pchstrp));
	if (o->psl < 120)
		o->psl = 120;
	/* neutral, non-zero filler in straps no rule looks at */
	s[1] = 0x34;
	s[3] = 0x18;
	if (!strcmp(key, "cnp-lp")) {
		s[28] = 0x800201B8;       /* [15:4] = 0x01B */
	} else if (!strcmp(key, "cnp-h")) {
		/* PCHSTRP0 == 0, PCHSTRP28 == 0 */
		s[32] = 0x000201B0;
	} else if (!strcmp(key, "cmp-v")) {
		s[0] = 0x00800000;        /* [23:22] = 2 */
	} else if (!strcmp(key, "tgp-lp")) {
		s[0] = 0x1;
		s[28] = 0x5;
		s[31] = 0x18 << 1;
		s[37] = 0x0000ABCD;
	} else if (!strcmp(key, "tgp-h")) {
		s[0] = 0x1;
		s[28] = 0x5;
		s[37] = 0x00020000 | 0x18 << 1;
	} else if (!strcmp(key, "adp-p")) {
		s[0] = 0x1ff00000;
		s[28] = 0x5;
		s[31] = 0x18 << 1;
		s[37] = 0x12340000;       /* breaks the TGP-LP pattern */
		s[52] = 0x00000300;
	} else if (!strcmp(key, "adp-s")) {
		s[0] = 0x1ff00000;
		s[28] = 0x5;
		s[52] = 0x10081008;
		s[55] = 0xC21000B0;       /* [8:1] = 0x58 */
	} else if (!strcmp(key, "adp-s-a0")) {
		s[0] = 0x1ff00000;
		s[28] = 0x5;
		s[49] = 0x10081008;
		s[52] = 0x002000B0;       /* [8:1] = 0x58, HAP (bit 16) clear */
	} else if (!strcmp(key, "icx-d")) {
		s[0] = 0x1;
		s[28] = 0x5;
		s[56] = 0x98 << 1;
	} else if (!strcmp(key, "icp-lp")) {
		s[0] = 0x1;
		s[28] = 0x5;
		s[30] = 0x98 << 1;
		s[56] = 0x68070000;
	} else {
		return false;
	}
	return true;
}
