/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Flash descriptor: finding, every decoded field, malformed descriptors,
 * FDV; real descriptors from $AMTLESS_CORPUS when set. */

#include "testutil.h"
#include "build_ifd.h"
#include "corpus_split.h"

static struct amt_ifd ifd; /* large: keep off the stack */

static amt_status parse(const struct tb_buf *b, amt_error *e)
{
	int64_t sig = amt_ifd_find(b->data, b->size);
	if (sig < 0)
		return amt_error_set(e, AMT_E_UNKNOWN, "test", AMT_NO_OFFSET, "not found");
	return amt_ifd_parse(b->data, b->size, (uint64_t)sig, &ifd, e);
}

/* ---- finding ------------------------------------------------------- */

static void test_find_pch_at_0x10(void **state)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	struct tb_buf b = tb_ifd_build(&o);
	assert_int_equal(amt_ifd_find(b.data, b.size), 0x10);
	tb_free(&b);
}

static void test_find_ich_at_0(void **state)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults_ich(&o);
	struct tb_buf b = tb_ifd_build(&o);
	assert_int_equal(amt_ifd_find(b.data, b.size), 0);
	tb_free(&b);
}

static void test_find_scan_vendor_header(void **state)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	/* 0x200-byte vendor header in front, with random-looking bytes */
	struct tb_buf b = tb_ifd_image(&o, 0x200 + 0x2000, 0x200);
	for (int i = 0; i < 0x200; i++)
		b.data[i] = (uint8_t)(i * 37 + 11);
	assert_int_equal(amt_ifd_find(b.data, b.size), 0x210);
	amt_error e;
	assert_int_equal(amt_ifd_parse(b.data, b.size, 0x210, &ifd, &e), AMT_OK);
	assert_int_equal(ifd.offset, 0x200);
	assert_int_equal(ifd.sig_offset, 0x210);
	/* regions are relative to the descriptor (flash offset 0) */
	assert_true(ifd.region[AMT_RGN_ME].used);
	assert_int_equal(ifd.region[AMT_RGN_ME].base, 0x1000);
	assert_true(ifd.region[AMT_RGN_ME].in_file == false); /* 0x200+0x1FFFFF > size */
	tb_free(&b);

	/* ICH layout behind a header: descriptor starts at the signature */
	tb_ifd_defaults_ich(&o);
	b = tb_ifd_image(&o, 0x100 + 0x1000, 0x100);
	memset(b.data, 0, 0x100);
	assert_int_equal(amt_ifd_find(b.data, b.size), 0x100);
	assert_int_equal(amt_ifd_parse(b.data, b.size, 0x100, &ifd, &e), AMT_OK);
	assert_int_equal(ifd.offset, 0x100);
	assert_true(ifd.ich_layout);
	tb_free(&b);
}

static void test_find_none_and_false_positives(void **state)
{
	struct tb_buf b = tb_alloc(0x10000, 0);
	assert_int_equal(amt_ifd_find(b.data, b.size), -1);
	assert_int_equal(amt_ifd_find(b.data, 3), -1);
	assert_int_equal(amt_ifd_find(NULL, 0), -1);
	/* pseudo-random data with the signature planted every 0x400 bytes */
	uint32_t x = 0x12345678;
	for (size_t i = 0; i < b.size; i++) {
		x = x * 1103515245u + 12345u;
		b.data[i] = (uint8_t)(x >> 16);
	}
	for (size_t o = 0x40; o + 4 <= b.size; o += 0x400)
		amt_wr32(b.data + o, AMT_IFD_SIGNATURE);
	assert_int_equal(amt_ifd_find(b.data, b.size), -1);
	/* a plausible-looking map but FLREG0 not the descriptor region */
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	o.flreg[0] = 0x12345678;
	tb_ifd_write(&b, 0x4000, &o);
	assert_int_equal(amt_ifd_find(b.data, b.size), -1);
	/* a real one later on is found */
	tb_ifd_defaults(&o, 2);
	tb_ifd_write(&b, 0x8000, &o);
	assert_int_equal(amt_ifd_find(b.data, b.size), 0x8010);
	tb_free(&b);

	/* signature at 0 without the ICH layout is not a descriptor at 0 */
	b = tb_alloc(0x2000, 0xFF);
	amt_wr32(b.data, AMT_IFD_SIGNATURE);
	amt_wr32(b.data + 4, 0x00040003);
	assert_int_equal(amt_ifd_find(b.data, b.size), -1);
	amt_error e;
	assert_int_equal(amt_ifd_parse(b.data, b.size, 0, &ifd, &e), AMT_E_RANGE);
	assert_string_equal(e.structure, "FLMAP0");
	assert_int_equal(e.offset, 4);
	tb_free(&b);
}

/* ---- fields ---------------------------------------------------------- */

static void test_v2_every_field(void **state)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	o.fcba = 0x30; o.frba = 0x50; o.fmba = 0x90; o.fpsba = 0x120; o.fmsba = 0x320;
	o.nc = 2;
	o.nm = 3;
	o.psl = 70;
	o.msl = 2;
	o.flcomp = (6u << 17) | 0x45; /* comp1 16 MiB (5), comp2 8 MiB (4) */
	o.flmap3_set = true;
	o.flmap3 = 0x00604000;
	o.flreg[2] = tb_ifd_flreg(0x3000, 0x7FFFFF);
	o.flreg[1] = tb_ifd_flreg(0x800000, 0x17FFFFF);
	o.flreg[3] = tb_ifd_flreg(0x1000, 0x2FFF);
	o.flreg[9] = tb_ifd_flreg(0x1800000, 0x17FFFFF) ; /* base > limit: unused */
	for (unsigned i = 0; i < o.psl; i++)
		o.pchstrp[i] = 0xA5000000u + i;
	o.mchstrp[0] = 0x11;
	o.mchstrp[1] = 0x22;
	struct tb_buf b = tb_ifd_image(&o, 0x1800000, 0);
	amt_error e;
	assert_int_equal(parse(&b, &e), AMT_OK);
	assert_int_equal(ifd.version, 2);
	assert_false(ifd.ich_layout);
	assert_int_equal(ifd.offset, 0);
	assert_int_equal(ifd.sig_offset, 0x10);
	assert_int_equal(ifd.fcba, 0x30);
	assert_int_equal(ifd.frba, 0x50);
	assert_int_equal(ifd.fmba, 0x90);
	assert_int_equal(ifd.fpsba, 0x120);
	assert_int_equal(ifd.fmsba, 0x320);
	assert_int_equal(ifd.nc, 2);
	assert_int_equal(ifd.nm, 3);
	assert_int_equal(ifd.psl, 70);
	assert_int_equal(ifd.msl, 2);
	assert_int_equal(ifd.flmap[0], 0x00050003 | 1u << 8);
	assert_int_equal(ifd.flmap[1], 0x46120309);
	assert_int_equal(ifd.flmap[2], 0x00310232 /* ICCRIBA 0x31 */);
	assert_true(ifd.has_flmap3);
	assert_int_equal(ifd.flmap[3], 0x00604000);
	/* FRBA 0x50 .. FMBA 0x90: 16 registers */
	assert_int_equal(ifd.nregions, 16);
	assert_int_equal(ifd.region[2].base, 0x3000);
	assert_int_equal(ifd.region[2].limit, 0x7FFFFF);
	assert_true(ifd.region[2].used);
	assert_true(ifd.region[2].in_file);
	assert_int_equal(ifd.region[1].base, 0x800000);
	assert_int_equal(ifd.region[1].limit, 0x17FFFFF); /* needs 15-bit fields */
	assert_true(ifd.region[1].in_file);
	assert_false(ifd.region[9].used);
	assert_false(ifd.region[9].in_file);
	assert_false(ifd.region[4].used); /* 0x00007FFF */
	assert_int_equal(ifd.region[4].raw, 0x00007FFF);
	/* masters FLMSTR1..6 (room 0x90..0x120) */
	assert_int_equal(ifd.nmasters, 6);
	assert_int_equal(ifd.master[0].read, 0x003);
	assert_int_equal(ifd.master[0].write, 0x002);
	assert_int_equal(ifd.master[1].read, 0x005);
	assert_int_equal(ifd.master[4].read, 0x101);
	assert_int_equal(ifd.master[4].write, 0x100);
	assert_false(ifd.extended_regions);
	/* straps */
	assert_int_equal(ifd.npchstrp, 70);
	for (unsigned i = 0; i < 70; i++)
		assert_int_equal(ifd.pchstrp[i], 0xA5000000u + i);
	assert_int_equal(ifd.nmchstrp, 2);
	assert_int_equal(ifd.mchstrp[1], 0x22);
	assert_int_equal(ifd.flash_size, 0x1800000);
	assert_false(ifd.fdv.present);
	tb_free(&b);
}

static void test_v1_pch_fields(void **state)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 1);
	o.flreg[2] = 0x01FF0001; /* 15-bit raw: v1 masks 12 bits */
	o.flreg[1] = 0x87FF0200; /* bit 31 ignored in v1 */
	o.nc = 2;
	o.flcomp = 0x0000001B; /* comp1 3 = 4 MiB, comp2 3 = 4 MiB */
	for (unsigned i = 0; i < o.psl; i++)
		o.pchstrp[i] = i;
	o.mchstrp[0] = 0x5A;
	struct tb_buf b = tb_ifd_image(&o, 0x800000, 0);
	amt_error e;
	assert_int_equal(parse(&b, &e), AMT_OK);
	assert_int_equal(ifd.version, 1);
	assert_false(ifd.has_flmap3);
	assert_int_equal(ifd.nr, 2);
	/* FRBA 0x40 .. FMBA 0x60 = 8 registers, IFDv1 capped at 5 */
	assert_int_equal(ifd.nregions, 5);
	assert_int_equal(ifd.region[2].base, 0x1000);
	assert_int_equal(ifd.region[2].limit, 0x1FFFFF);
	assert_int_equal(ifd.region[1].base, 0x200000);
	assert_int_equal(ifd.region[1].limit, 0x7FFFFF);
	/* v1 master encoding: read [23:16], write [31:24]; NM+1 masters */
	assert_int_equal(ifd.nmasters, 3);
	assert_int_equal(ifd.master[0].read, 0x0B);
	assert_int_equal(ifd.master[0].write, 0x0A);
	assert_int_equal(ifd.master[1].read, 0x0D);
	assert_int_equal(ifd.master[2].raw, tb_ifd_flmstr(1, false, 8, 8) | 0x118);
	assert_int_equal(ifd.master[2].read, 0x08);
	assert_int_equal(ifd.npchstrp, 18);
	assert_int_equal(ifd.pchstrp[17], 17);
	assert_int_equal(ifd.nmchstrp, 1);
	assert_int_equal(ifd.mchstrp[0], 0x5A);
	assert_int_equal(ifd.flash_size, 0x800000);
	tb_free(&b);
}

static void test_v1_ich_layout(void **state)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults_ich(&o);
	o.flreg[2] = 0x00001FFF; /* ME region disabled (me_cleaner gen 1) */
	o.pchstrp[0] = 0x00186489;
	o.pchstrp[1] = 0x10F;
	struct tb_buf b = tb_ifd_build(&o);
	amt_error e;
	assert_int_equal(parse(&b, &e), AMT_OK);
	assert_true(ifd.ich_layout);
	assert_int_equal(ifd.version, 1);
	assert_int_equal(ifd.offset, 0);
	assert_int_equal(ifd.sig_offset, 0);
	assert_int_equal(ifd.fcba, 0x10);
	assert_false(ifd.region[AMT_RGN_ME].used);
	assert_true(ifd.region[AMT_RGN_FD].used);
	assert_true(ifd.region[AMT_RGN_FD].in_file);
	assert_false(ifd.region[AMT_RGN_BIOS].in_file); /* descriptor-only file */
	assert_int_equal(ifd.npchstrp, 2);
	assert_int_equal(ifd.pchstrp[0], 0x00186489);
	tb_free(&b);
}

static void test_v2_extended_masters(void **state)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	/* BIOS reads FD, BIOS, PTT (15); writes BIOS and region 13 */
	o.flmstr[0] = tb_ifd_flmstr(2, true, 0x8003, 0x2002);
	struct tb_buf b = tb_ifd_build(&o);
	amt_error e;
	assert_int_equal(parse(&b, &e), AMT_OK);
	assert_true(ifd.extended_regions);
	assert_int_equal(ifd.master[0].read, 0x8003);
	assert_int_equal(ifd.master[0].write, 0x2002);
	/* without the extended encoding the low byte is ignored */
	amt_ifd_decode_masters(&ifd, false);
	assert_false(ifd.extended_regions);
	assert_int_equal(ifd.master[0].read, 0x003);
	assert_int_equal(ifd.master[0].write, 0x002);
	tb_free(&b);
}

static void test_version_decision(void **state)
{
	struct tb_ifd_opts o;
	amt_error e;
	/* 500-series+: FLCOMP read clock field 0, NR 0, many straps => v2 */
	tb_ifd_defaults(&o, 2);
	o.flcomp = 0xF6;
	struct tb_buf b = tb_ifd_build(&o);
	assert_int_equal(parse(&b, &e), AMT_OK);
	assert_int_equal(ifd.version, 2);
	assert_int_equal(ifd.flash_size, 0x2000000);
	tb_free(&b);
	/* 30 MHz encoding => v2 even with few straps */
	tb_ifd_defaults(&o, 2);
	o.flcomp = (4u << 17) | 0xF4;
	o.psl = 10;
	b = tb_ifd_build(&o);
	assert_int_equal(parse(&b, &e), AMT_OK);
	assert_int_equal(ifd.version, 2);
	tb_free(&b);
	/* 20 MHz, few straps => v1 (and 0xF4 is then not a valid density) */
	o.flcomp = 0xF4;
	b = tb_ifd_build(&o);
	assert_int_equal(parse(&b, &e), AMT_OK);
	assert_int_equal(ifd.version, 1);
	assert_int_equal(ifd.flash_size, 0x800000); /* 3-bit field: 4 = 8 MiB */
	tb_free(&b);
	/* unknown density => 0 */
	tb_ifd_defaults(&o, 2);
	o.flcomp = (6u << 17) | 0xFE;
	b = tb_ifd_build(&o);
	assert_int_equal(parse(&b, &e), AMT_OK);
	assert_int_equal(ifd.flash_size, 0);
	tb_free(&b);
	/* two components, second unused => unknown total */
	tb_ifd_defaults(&o, 2);
	o.nc = 2;
	o.flcomp = (6u << 17) | 0xF4;
	b = tb_ifd_build(&o);
	assert_int_equal(parse(&b, &e), AMT_OK);
	assert_int_equal(ifd.flash_size, 0);
	tb_free(&b);
}

static void test_flmap3_erased(void **state)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	struct tb_buf b = tb_ifd_build(&o); /* descriptor+0x20 left 0xFF */
	amt_error e;
	assert_int_equal(parse(&b, &e), AMT_OK);
	assert_false(ifd.has_flmap3);
	tb_free(&b);
	/* no room: FCBA right after FLMAP2 */
	o.fcba = 0x20;
	o.flmap3_set = true;
	o.flmap3 = 0;
	b = tb_ifd_build(&o);
	assert_int_equal(parse(&b, &e), AMT_OK);
	assert_false(ifd.has_flmap3);
	tb_free(&b);
}

static void test_regions_outside_file(void **state)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	o.flreg[1] = tb_ifd_flreg(0x200000, 0x7FFFFF);
	o.flreg[2] = tb_ifd_flreg(0x1000, 0x1FFFFF);
	struct tb_buf b = tb_ifd_image(&o, 0x400000, 0);
	amt_error e;
	assert_int_equal(parse(&b, &e), AMT_OK);
	assert_true(ifd.region[2].in_file);
	assert_true(ifd.region[1].used);
	assert_false(ifd.region[1].in_file); /* ends past 4 MiB */
	/* all-ones register: reserved, not used */
	tb_free(&b);
	o.flreg[10] = 0xFFFFFFFF;
	b = tb_ifd_build(&o);
	assert_int_equal(parse(&b, &e), AMT_OK);
	assert_false(ifd.region[10].used);
	tb_free(&b);
}

/* ---- malformed ----------------------------------------------------------- */

static void test_truncated(void **state)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	struct tb_buf b = tb_ifd_build(&o);
	amt_error e;
	/* cut inside the 4 KiB */
	assert_int_equal(amt_ifd_parse(b.data, 0x800, 0x10, &ifd, &e), AMT_E_TRUNCATED);
	assert_string_equal(e.structure, "descriptor");
	assert_int_equal(e.offset, 0);
	/* cut inside the header */
	assert_int_equal(amt_ifd_parse(b.data, 0x18, 0x10, &ifd, &e), AMT_E_TRUNCATED);
	assert_string_equal(e.structure, "FLMAP0");
	assert_int_equal(e.offset, 0x14);
	/* the finder does not return a descriptor that is not whole when scanning */
	struct tb_buf c = tb_alloc(0x900, 0);
	memcpy(c.data + 0x100, b.data, 0x800);
	assert_int_equal(amt_ifd_find(c.data, c.size), -1);
	/* no signature */
	assert_int_equal(amt_ifd_parse(b.data, b.size, 0x14, &ifd, &e), AMT_E_BADMAGIC);
	assert_int_equal(amt_ifd_parse(b.data, b.size, 0xFFE, &ifd, &e), AMT_E_BADMAGIC);
	assert_int_equal(amt_ifd_parse(b.data, b.size, UINT64_MAX - 1, &ifd, &e), AMT_E_BADMAGIC);
	tb_free(&c);
	tb_free(&b);
}

static void test_bad_maps(void **state)
{
	struct tb_ifd_opts o;
	amt_error e;
	struct tb_buf b;

	tb_ifd_defaults(&o, 2);
	o.frba = 0; /* points at the header */
	o.nregions = 0;
	b = tb_ifd_build(&o);
	assert_int_equal(amt_ifd_parse(b.data, b.size, 0x10, &ifd, &e), AMT_E_RANGE);
	assert_string_equal(e.structure, "FLMAP0");
	assert_int_equal(e.offset, 0x14);
	assert_non_null(strstr(e.message, "FRBA"));
	tb_free(&b);

	tb_ifd_defaults(&o, 2);
	o.fpsba = o.fmba; /* two sections at one place */
	b = tb_ifd_build(&o);
	assert_int_equal(amt_ifd_parse(b.data, b.size, 0x10, &ifd, &e), AMT_E_OVERLAP);
	assert_string_equal(e.structure, "FLMAP1");
	assert_int_equal(e.offset, 0x18);
	tb_free(&b);

	tb_ifd_defaults(&o, 2);
	o.fmba = 0xF00; /* in the OEM section */
	b = tb_ifd_build(&o);
	assert_int_equal(amt_ifd_parse(b.data, b.size, 0x10, &ifd, &e), AMT_E_RANGE);
	assert_string_equal(e.structure, "FLMAP1");
	tb_free(&b);

	tb_ifd_defaults(&o, 2);
	o.fmsba = 0xF80; /* in the OEM section while MSL > 0 */
	b = tb_ifd_build(&o);
	assert_int_equal(amt_ifd_parse(b.data, b.size, 0x10, &ifd, &e), AMT_E_RANGE);
	assert_string_equal(e.structure, "FLMAP2");
	assert_int_equal(e.offset, 0x1C);
	tb_free(&b);

	/* FRBA just before FLUMAP1: 3 registers fit, the rest is not read */
	tb_ifd_defaults(&o, 2);
	o.frba = 0xEF0;
	o.nregions = 3;
	b = tb_ifd_build(&o);
	assert_int_equal(amt_ifd_parse(b.data, b.size, 0x10, &ifd, &e), AMT_OK);
	assert_int_equal(ifd.nregions, 3);
	assert_true(ifd.region[AMT_RGN_ME].used);
	tb_free(&b);

	/* FRBA and FCBA in one place */
	tb_ifd_defaults(&o, 2);
	o.frba = o.fcba;
	o.nregions = 0;
	b = tb_ifd_build(&o);
	assert_int_equal(amt_ifd_parse(b.data, b.size, 0x10, &ifd, &e), AMT_E_OVERLAP);
	assert_string_equal(e.structure, "FLMAP0");
	assert_int_equal(e.offset, 0x14);
	tb_free(&b);

	/* the same descriptor behind a vendor header: absolute offsets */
	tb_ifd_defaults(&o, 2);
	o.frba = 0;
	o.nregions = 0;
	b = tb_ifd_image(&o, 0x3000, 0x1000);
	assert_int_equal(amt_ifd_parse(b.data, b.size, 0x1010, &ifd, &e), AMT_E_RANGE);
	assert_int_equal(e.offset, 0x1014);
	tb_free(&b);
}

static void test_psl_overflow(void **state)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	o.fpsba = 0xE00;
	o.psl = 255;
	struct tb_buf b = tb_ifd_build(&o);
	amt_error e;
	assert_int_equal(parse(&b, &e), AMT_OK);
	assert_int_equal(ifd.psl, 255);
	/* 0xE00 .. FLUMAP1 (0xEFC): 63 dwords */
	assert_int_equal(ifd.npchstrp, 63);
	tb_free(&b);

	tb_ifd_defaults(&o, 2);
	o.fmsba = 0xEF0;
	o.msl = 200;
	b = tb_ifd_build(&o);
	assert_int_equal(parse(&b, &e), AMT_OK);
	assert_int_equal(ifd.nmchstrp, 3);
	tb_free(&b);
}

/* ---- FDV ------------------------------------------------------------------- */

static void test_fdv(void **state)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	struct tb_buf b = tb_ifd_image(&o, 0x3000, 0x1000);
	const uint16_t s[3] = { 0x80, 0x0, 0x170 }, x[3] = { 0xC0, 0x0, 0x180 };
	tb_ifd_add_fdv(&b, 0x1000, 3, s, x);
	amt_error e;
	assert_int_equal(parse(&b, &e), AMT_OK);
	assert_true(ifd.fdv.present);
	assert_int_equal(ifd.fdv.manifest_offset, 0x1800);
	assert_int_equal(ifd.fdv.nexcl, 2); /* the empty range is dropped */
	assert_int_equal(ifd.fdv.excl_start[0], 0x80);
	assert_int_equal(ifd.fdv.excl_end[0], 0xC0);
	assert_int_equal(ifd.fdv.excl_start[1], 0x170);
	assert_int_equal(ifd.fdv.excl_end[1], 0x180);

	/* broken extension length: manifest seen, no ranges, no crash */
	amt_wr32(b.data + 0x1800 + 0x284 + 4, 0xFFFFFFF0);
	assert_int_equal(parse(&b, &e), AMT_OK);
	assert_true(ifd.fdv.present);
	assert_int_equal(ifd.fdv.nexcl, 0);
	/* header length pointing far outside */
	amt_wr32(b.data + 0x1800 + 4, 0x40000000);
	assert_int_equal(parse(&b, &e), AMT_OK);
	assert_true(ifd.fdv.present);
	assert_int_equal(ifd.fdv.nexcl, 0);
	/* wrong vendor: not a manifest */
	amt_wr32(b.data + 0x1810, 0x1234);
	assert_int_equal(parse(&b, &e), AMT_OK);
	assert_false(ifd.fdv.present);
	tb_free(&b);
}

/* ---- real descriptors ------------------------------------------------------ */

#define CORPUS_OR_SKIP(name, d, n)                                                   \
	do {                                                                         \
		if (!getenv("AMTLESS_CORPUS")) {                                     \
			print_message("AMTLESS_CORPUS not set: skipping %s\n", name); \
			skip();                                                      \
		}                                                                    \
		d = tu_corpus_image(name, &n);                                           \
		assert_non_null(d);                                                  \
	} while (0)

static void test_corpus_ich9(void **state)
{
	uint8_t *d;
	size_t n;
	CORPUS_OR_SKIP("ifd_g1_t400-8MB-ich9gen_john-sb312.bin", d, n);
	amt_error e;
	assert_int_equal(amt_ifd_find(d, n), 0);
	assert_int_equal(amt_ifd_parse(d, n, 0, &ifd, &e), AMT_OK);
	assert_true(ifd.ich_layout);
	assert_int_equal(ifd.version, 1);
	assert_int_equal(ifd.nregions, 5);
	assert_false(ifd.region[AMT_RGN_ME].used);   /* FLREG2 0x00001FFF */
	assert_int_equal(ifd.region[AMT_RGN_BIOS].base, 0x3000);
	assert_int_equal(ifd.region[AMT_RGN_BIOS].limit, 0x7FFFFF);
	assert_int_equal(ifd.region[AMT_RGN_GBE].base, 0x1000);
	assert_int_equal(ifd.flash_size, 0x800000);
	assert_int_equal(ifd.npchstrp, 2);
	assert_int_equal(ifd.nmchstrp, 1);
	assert_int_equal(ifd.nmasters, 3);
	assert_int_equal(ifd.master[0].read, 0x1F);
	assert_false(ifd.fdv.present);
	free(d);
}

struct corpus_v2 {
	const char *name;
	size_t size;
	uint32_t psl;
	uint64_t flash;
	uint64_t me_base, me_limit;
};

static void check_v2(const struct corpus_v2 *c)
{
	uint8_t *d;
	size_t n;
	CORPUS_OR_SKIP(c->name, d, n);
	assert_int_equal(n, c->size);
	amt_error e;
	assert_int_equal(amt_ifd_find(d, n), 0x10);
	assert_int_equal(amt_ifd_parse(d, n, 0x10, &ifd, &e), AMT_OK);
	assert_int_equal(ifd.offset, 0);
	assert_int_equal(ifd.version, 2);
	assert_int_equal(ifd.fpsba, 0x100);
	assert_int_equal(ifd.psl, c->psl);
	assert_int_equal(ifd.npchstrp, c->psl);
	assert_int_equal(ifd.nregions, 16);
	assert_int_equal(ifd.flash_size, c->flash);
	assert_true(ifd.region[AMT_RGN_ME].used);
	assert_int_equal(ifd.region[AMT_RGN_ME].base, c->me_base);
	assert_int_equal(ifd.region[AMT_RGN_ME].limit, c->me_limit);
	assert_int_equal(ifd.region[AMT_RGN_ME].in_file, n > 0x1000);
	assert_false(ifd.fdv.present);
	free(d);
}

static void test_corpus_cml(void **state)
{
	const struct corpus_v2 c = { "ifd_g3_cml_darp6_bluecmd.rom", 4096, 69, 0x1000000, 0x1000, 0x3FFFFF };
	check_v2(&c);
}

static void test_corpus_adl(void **state)
{
	const struct corpus_v2 c = { "ifd_g3_adl_ms7d25_dasharo.bin", 4096, 115, 0x2000000, 0x1000, 0x3D8FFF };
	check_v2(&c);
	/* extended master encoding (low byte in use) */
	assert_true(ifd.extended_regions);
	assert_int_equal(ifd.master[0].read, 0xFFFF);
	assert_true(ifd.region[AMT_RGN_DEVEXP2].used);
}

static void test_corpus_full_images(void **state)
{
	const struct corpus_v2 v2[] = {
		{ "DERIVED-full_csme14_darp6.bin", 0x1000000, 69, 0x1000000, 0x1000, 0x3FFFFF },
		{ "DERIVED-full_csme16_ms7d25.bin", 0x2000000, 115, 0x2000000, 0x1000, 0x3D8FFF },
		{ "DERIVED-full_me11.8.82.3838_x210.bin", 0x800000, 66, 0x800000, 0x1000, 0x1FFFFF },
	};
	for (size_t i = 0; i < sizeof(v2) / sizeof(v2[0]); i++)
		check_v2(&v2[i]);
	/* x210: FLREG10-15 are 0xFFFFFFFF, reserved */
	for (unsigned r = 10; r < 16; r++)
		assert_false(ifd.region[r].used);

	const char *v1[] = { "DERIVED-full_me8.0.20.1513_link.bin",
			     "DERIVED-full_txe2.0.4.3098_fbg1701.bin" };
	for (size_t i = 0; i < 2; i++) {
		uint8_t *d;
		size_t n;
		CORPUS_OR_SKIP(v1[i], d, n);
		amt_error e;
		assert_int_equal(amt_ifd_find(d, n), 0x10);
		assert_int_equal(amt_ifd_parse(d, n, 0x10, &ifd, &e), AMT_OK);
		assert_int_equal(ifd.version, 1);
		assert_false(ifd.ich_layout);
		assert_int_equal(ifd.nregions, 5);
		assert_int_equal(ifd.region[AMT_RGN_ME].base, 0x1000);
		assert_int_equal(ifd.region[AMT_RGN_ME].limit, 0x1FFFFF);
		assert_true(ifd.region[AMT_RGN_ME].in_file);
		assert_int_equal(ifd.flash_size, 0x800000);
		assert_int_equal(ifd.nmasters, 3);
		free(d);
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_pch_at_0x10),
		cmocka_unit_test(test_find_ich_at_0),
		cmocka_unit_test(test_find_scan_vendor_header),
		cmocka_unit_test(test_find_none_and_false_positives),
		cmocka_unit_test(test_v2_every_field),
		cmocka_unit_test(test_v1_pch_fields),
		cmocka_unit_test(test_v1_ich_layout),
		cmocka_unit_test(test_v2_extended_masters),
		cmocka_unit_test(test_version_decision),
		cmocka_unit_test(test_flmap3_erased),
		cmocka_unit_test(test_regions_outside_file),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_maps),
		cmocka_unit_test(test_psl_overflow),
		cmocka_unit_test(test_fdv),
		cmocka_unit_test(test_corpus_ich9),
		cmocka_unit_test(test_corpus_cml),
		cmocka_unit_test(test_corpus_adl),
		cmocka_unit_test(test_corpus_full_images),
	};
	return corpus_split_run(tests, NULL, NULL, argc, argv);
}
