/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Test builder: Intel flash descriptors (IFDv1 ICH/PCH layout, IFDv2). */
#ifndef AMTLESS_TEST_BUILD_IFD_H
#define AMTLESS_TEST_BUILD_IFD_H

#include <stdbool.h>
#include <stdint.h>

#include "builder.h"

#define TB_IFD_MAX_STRAPS 256

struct tb_ifd_opts {
	int version;          /* 1 or 2 */
	bool ich_layout;      /* IFDv1 only: signature at descriptor+0, FCBA 0x10 */
	/* section bases relative to the descriptor start (multiples of 16) */
	uint32_t fcba, frba, fmba, fpsba, fmsba;
	unsigned nc;          /* 1 or 2 components */
	unsigned nr;          /* FLMAP0 NR [26:24] (IFDv1: 2, IFDv2: 0) */
	unsigned nm;          /* FLMAP1 NM [10:8] */
	unsigned psl, msl;
	uint32_t iccriba;     /* FLMAP2 [23:16] (CSSL from Tiger Point on) */
	bool flmap2_raw_set;  /* write flmap2_raw as FLMAP2 instead */
	uint32_t flmap2_raw;
	uint32_t flumap1;     /* FLUMAP1 at descriptor+0xEFC (VSCC table base/length; MDTBA) */
	bool flmap3_set;      /* write flmap3 at descriptor+0x20 (IFDv2) */
	uint32_t flmap3;
	uint32_t flcomp;      /* FLCOMP as written */
	unsigned nregions;    /* FLREG0..nregions-1 written; the rest 0x00007FFF / 0x00001FFF */
	uint32_t flreg[16];
	unsigned nmasters;
	uint32_t flmstr[8];
	uint32_t pchstrp[TB_IFD_MAX_STRAPS];
	uint32_t mchstrp[16];
};

/* Defaults like a real descriptor of that version: v1 PCH layout
 * (FCBA 0x30, FRBA 0x40, FMBA 0x60, FPSBA 0x100, FMSBA 0x200, 18 straps),
 * or v2 (FCBA 0x30, FRBA 0x40, FMBA 0x80, FPSBA 0x100, FMSBA 0x300,
 * 120 straps, read clock 17 MHz). Regions: FD, BIOS, ME, GbE unused;
 * 8 MiB flash; masters host/ME/GbE. */
void tb_ifd_defaults(struct tb_ifd_opts *o, int version);
/* Same, ICH8-10 layout (signature at +0, FCBA 0x10, FRBA 0x40, FMBA
 * 0x60, FISBA 0x100, FMSBA 0x200, 2 ICH straps, 1 MCH strap). */
void tb_ifd_defaults_ich(struct tb_ifd_opts *o);

/* FLREG value for [base, limit] (bytes, 4 KiB aligned); unused: 0x00007FFF. */
uint32_t tb_ifd_flreg(uint32_t base, uint32_t limit);
#define TB_IFD_FLREG_UNUSED 0x00007FFFu

/* FLMSTR value: IFDv1 read [23:16] write [31:24]; IFDv2 read [19:8]
 * write [31:20] (+ regions 12-15 in [3:0]/[7:4] when extended). */
uint32_t tb_ifd_flmstr(int version, bool extended, uint32_t read_mask, uint32_t write_mask);

/* Write a descriptor into b at byte `at` (4 KiB must fit). */
void tb_ifd_write(struct tb_buf *b, size_t at, const struct tb_ifd_opts *o);
/* A 4 KiB buffer holding only the descriptor (rest 0xFF). */
struct tb_buf tb_ifd_build(const struct tb_ifd_opts *o);
/* A `size`-byte image (0xFF) with the descriptor at `at`. */
struct tb_buf tb_ifd_image(const struct tb_ifd_opts *o, size_t size, size_t at);

/* Add a signed-descriptor manifest ($MN2 at descriptor+0x800) with a
 * CSE extension 0x17 carrying n (<= 8) exclusion ranges. */
void tb_ifd_add_fdv(struct tb_buf *b, size_t desc_at, unsigned n, const uint16_t *start,
		    const uint16_t *end);

/* Set the descriptor geometry (ICCRIBA/CSSL, FMSBA+MSL = CSSO, ISL, NM,
 * FLUMAP1) of a platform key ("spt", "cnp-lp", "mtl", "arl-s", ...) as
 * real descriptors of that platform carry it. False for a key without a
 * geometry (ich, ibx, byt: use the IFDv1 defaults). */
bool tb_ifd_platform_geometry(struct tb_ifd_opts *o, const char *key);
/* The geometry plus strap values that the platform's strap patterns
 * accept (Dasharo ifdtool; doc/formats.md#platforms), on a v2 descriptor. False for a key
 * without a geometry. */
bool tb_ifd_platform_straps(struct tb_ifd_opts *o, const char *key);

#endif
