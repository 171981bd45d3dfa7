/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Test builder: Intel flash descriptors. Layout facts: doc/formats.md#descriptor. */
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
	uint32_t m1 = (o->fmba >> 4) | (o->nm & 7) << 8 | (o->fpsba >> 4) << 16 | (o->psl & 0xFF) << 24;
	uint32_t m2 = (o->fmsba >> 4) | (o->msl & 0xFF) << 8 | (o->iccriba & 0xFF) << 16;
	if (o->flmap2_raw_set)
		m2 = o->flmap2_raw;
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

/* Descriptor geometry of a platform (flashrom/flashprog guess_ich_chipset
 * fields), with the values of the real descriptors the corpus and the
 * boards' public blobs carry; CSSO is FLMAP2[11:2], so it follows from
 * FMSBA and MSL (FLMAP2[15:0]). */
struct geo_spec {
	const char *key;
	uint32_t iccriba, fmsba;
	unsigned msl, psl, nm;
	uint32_t flumap1;
};

#define MDTBA_C0 0xC0FF02DFu  /* FLUMAP1 of the Dasharo/Star Labs CNL+ descriptors */

static const struct geo_spec geos[] = {
	/* Sunrise Point: ICCRIBA 0x31, MDTBA 0 (x210, ThinkPad T480) */
	{ "spt", 0x31, 0x300, 3, 0x42, 2, 0x000002DF },
	/* Cannon/Comet Point: ICCRIBA 0x34, MDTBA 0xC0 (System76 darp6, Protectli vault_cml) */
	{ "cnp-lp", 0x34, 0x300, 3, 0x45, 2, MDTBA_C0 },
	{ "cnp-h", 0x34, 0x300, 3, 0x45, 2, MDTBA_C0 },
	{ "cmp-v", 0x34, 0x300, 3, 0x45, 2, MDTBA_C0 },
	/* Jasper Lake: CSSL 3, CSSO 0x6C, ISL 0x2A (Protectli V1210) */
	{ "jsp", 0x03, 0xB00, 1, 0x2A, 2, MDTBA_C0 },
	/* Elkhart Lake: CSSL 3, CSSO 0x58, ISL 0x38 (Protectli vault_ehl) */
	{ "mcc", 0x03, 0x600, 1, 0x38, 2, MDTBA_C0 },
	/* Tiger Point: CSSL 0x11; LP CSSO 0x68 ISL 0x46 (galp5), H CSSO 0x6C ISL 0x65 (Erying) */
	{ "tgp-lp", 0x11, 0xA00, 1, 0x46, 2, MDTBA_C0 },
	{ "tgp-h", 0x11, 0xB00, 1, 0x65, 2, MDTBA_C0 },
	/* Alder Point: CSSL 0x14; mobile CSSO 0x6C ISL 0x46, desktop CSSO 0x5C ISL 0x73 */
	{ "adp-p", 0x14, 0xB00, 1, 0x46, 2, MDTBA_C0 },
	{ "adp-n", 0x14, 0xB00, 1, 0x46, 2, MDTBA_C0 },
	{ "adp-pn", 0x14, 0xB00, 1, 0x46, 2, MDTBA_C0 },
	{ "adp-s", 0x14, 0x700, 1, 0x73, 2, MDTBA_C0 },
	{ "adp-s-a0", 0x14, 0x700, 1, 0x73, 2, MDTBA_C0 },
	/* Meteor Lake: CSSL 3, CSSO 0x70, ISL 0x82 (NovaCustom V5x0TU) */
	{ "mtl", 0x03, 0xC00, 1, 0x82, 2, MDTBA_C0 },
	/* Lewisburg: ICCRIBA 0x34, MDTBA 0, NM 6, ISL 0x8B (OCP Tioga Pass, Whitley RVPs) */
	{ "lbg", 0x34, 0x400, 1, 0x8B, 6, 0x000032DF },
	/* Apollo Lake: ICCRIBA 0, FLMAP2 0, ISL 19 (flashrom) */
	{ "apl", 0x00, 0x000, 0, 19, 2, 0x000002DF },
	/* Emmitsburg: ICCRIBA 0, NM 6, ISL 0x50 (ASRock SPC741D8, Archer City RVP) */
	{ "ebg", 0x00, 0x300, 2, 0x50, 6, MDTBA_C0 },
	/* 800 series Arrow Lake: ICCRIBA 0, ISL 0xB3, MSL 0x3A (flashprog) */
	{ "arl-s", 0x00, 0x600, 0x3A, 0xB3, 2, MDTBA_C0 },
	/* Lunar Lake: CSSL 3, CSSO 0x70, ISL 0x7E (flashprog) */
	{ "lnl", 0x03, 0xC00, 1, 0x7E, 2, MDTBA_C0 },
	/* Panther / Wildcat / Nova Lake: CSSL 3, CSSO 0x60, ISL 0x9A / 0x78 / 0xA9 */
	{ "ptl", 0x03, 0x800, 1, 0x9A, 2, MDTBA_C0 },
	{ "wcl", 0x03, 0x800, 1, 0x78, 2, MDTBA_C0 },
	{ "nvl", 0x03, 0x800, 1, 0xA9, 2, MDTBA_C0 },
	/* no geometry in the sources: CSSL 0x20, listed by no chipset guess */
	{ "icp-lp", 0x20, 0x300, 3, 0x50, 2, MDTBA_C0 },
	{ "icx-d", 0x20, 0x300, 3, 0x50, 2, MDTBA_C0 },
	{ "dnv", 0x20, 0x300, 3, 0x50, 2, MDTBA_C0 },
};

bool tb_ifd_platform_geometry(struct tb_ifd_opts *o, const char *key)
{
	for (size_t i = 0; i < sizeof(geos) / sizeof(geos[0]); i++) {
		const struct geo_spec *g = &geos[i];
		if (strcmp(g->key, key))
			continue;
		o->iccriba = g->iccriba;
		o->fmsba = g->fmsba;
		o->msl = g->msl;
		o->psl = g->psl;
		o->nm = g->nm;
		o->flumap1 = g->flumap1;
		return true;
	}
	return false;
}

/* PCH strap patterns per platform (Dasharo ifdtool
 * ifd2_platform_get_hap_location discriminators, coreboot ifdtool's
 * ADL-N fixed bits), with the values real descriptors carry where the
 * corpus has one; the geometry from tb_ifd_platform_geometry(). */
bool tb_ifd_platform_straps(struct tb_ifd_opts *o, const char *key)
{
	uint32_t *s = o->pchstrp;
	if (!tb_ifd_platform_geometry(o, key))
		return false;
	memset(s, 0, sizeof(o->pchstrp));
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
		s[31] = 0x00000830;       /* galp5 */
		s[37] = 0x00010000;
		s[52] = 0x00000300;
	} else if (!strcmp(key, "tgp-h")) {
		s[37] = 0x800000B0;       /* Erying TGL-H; PCHSTRP31 == 0 */
	} else if (!strcmp(key, "adp-p")) {
		s[0] = 0x1ff00000;
		s[31] = 0x40000030;       /* NovaCustom NS5x ADL */
		s[37] = 0x00010000;
		s[52] = 0x00000300;
	} else if (!strcmp(key, "adp-n")) {
		s[31] = 0x400000A2;       /* Protectli VP2430 */
		s[37] = 0x00010000;
		s[52] = 0x00000300;
	} else if (!strcmp(key, "adp-pn")) {
		s[31] = 0x40000020;       /* low byte neither 0x30/0x31 nor 0xA2/0xA3 */
		s[37] = 0x00010000;
		s[52] = 0x00000300;
	} else if (!strcmp(key, "adp-s")) {
		s[0] = 0x1ff00000;
		s[52] = 0x10081008;
		s[55] = 0xC21000B0;       /* [8:1] = 0x58 */
	} else if (!strcmp(key, "adp-s-a0")) {
		s[0] = 0x1ff00000;
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
	} else if (!strcmp(key, "mtl")) {
		s[71] = 0x401000B2;       /* every real MTL descriptor */
	}
	return true;
}
