/* SPDX-License-Identifier: GPL-2.0-or-later */
/* $FPT parser (lib/fw/fpt.c): fields, checksum-8, CRC-32 (v2.1), entries,
 * and hostile tables. */

#include <zlib.h>

#include "testutil.h"
#include "build_me.h"

struct fx {
	struct amt_image *img;
	struct amt_parse_opts opts;
	struct amt_parse_ctx c;
};

static void fx_init(struct fx *f, const struct tb_buf *b)
{
	memset(f, 0, sizeof(*f));
	amt_parse_opts_init(&f->opts);
	f->img = calloc(1, sizeof(*f->img));
	assert_non_null(f->img);
	f->img->data = b->data;
	f->img->size = b->size;
	f->img->fw.ftpr_manifest = -1;
	f->c = (struct amt_parse_ctx){ .data = b->data, .size = b->size, .img = f->img,
				       .opts = &f->opts };
}

static void test_gen2_header_and_entries(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen2(&o);
	struct tb_buf b = tb_build_gen2(&o, &l);
	struct fx f;
	fx_init(&f, &b);
	amt_error e;
	assert_int_equal(amt_fpt_parse(&f.c, 0x10, 0, b.size, false, &e), AMT_OK);
	const struct amt_fw *fw = &f.img->fw;
	assert_int_equal(fw->fpt.offset, 0x10);
	assert_int_equal(fw->fpt.romb_offset, 0);
	assert_int_equal(fw->fpt.nentries, 4);
	assert_int_equal(fw->fpt.header_version, 0x20);
	assert_int_equal(fw->fpt.entry_version, 0x10);
	assert_int_equal(fw->fpt.header_len, 0x30);
	assert_int_equal(fw->fpt.checksum, b.data[0x1B]);
	assert_int_equal(fw->fpt.flags, 0xFFFFFC01u);
	assert_int_equal(fw->fpt.fit_version.major, 8);
	assert_int_equal(fw->fpt.fit_version.minor, 1);
	assert_int_equal(fw->fpt.fit_version.hotfix, 30);
	assert_int_equal(fw->fpt.fit_version.build, 1234);

	assert_int_equal(fw->npartitions, 4);
	const struct amt_partition *p = fw->partitions;
	assert_string_equal(p[0].name, "FOVD");
	assert_string_equal(p[0].owner, "KRID");
	assert_int_equal(p[0].type, AMT_FPT_GENERIC);
	assert_int_equal(p[0].container, AMT_CONT_FPT);
	assert_int_equal(p[0].entry_offset, 0x30);
	assert_int_equal(p[0].offset, 0x400);
	assert_int_equal(p[0].size, 0xC00);
	assert_true(p[0].valid && !p[0].empty && p[0].in_range);
	assert_int_equal(p[0].manifest, -1);
	assert_string_equal(p[1].name, "NVKR");
	assert_int_equal(p[1].type, AMT_FPT_NVRAM);
	assert_true(p[1].empty);
	assert_false(p[1].in_range);
	assert_string_equal(p[2].name, "FTPR");
	assert_int_equal(p[2].type, AMT_FPT_CODE);
	assert_int_equal(p[2].raw_flags, 0x2780);
	assert_int_equal(p[2].offset, 0x2000);
	assert_int_equal(p[2].entry_offset, 0x70);
	assert_true(p[2].in_range);

	const struct amt_check *ck = tu_check(fw, "$FPT checksum-8");
	assert_non_null(ck);
	assert_int_equal(ck->ok, AMT_YES);
	assert_int_equal(ck->offset, 0x1B);
	assert_int_equal(ck->stored, b.data[0x1B]);
	assert_int_equal(f.img->nproblems, 0);
	amt_image_free(f.img);
	tb_free(&b);
}

/* Region at a non-zero offset of the input: absolute offsets. */
static void test_region_offset(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen2(&o);
	struct tb_buf r = tb_build_gen2(&o, &l);
	struct tb_buf b = tb_alloc(r.size + 0x3000, 0xFF);
	memcpy(b.data + 0x3000, r.data, r.size);
	struct fx f;
	fx_init(&f, &b);
	amt_error e;
	assert_int_equal(amt_fpt_parse(&f.c, 0x3010, 0x3000, r.size, false, &e), AMT_OK);
	assert_int_equal(f.img->fw.fpt.romb_offset, 0x3000);
	assert_int_equal(f.img->fw.partitions[2].offset, 0x5000);
	assert_int_equal(f.img->fw.partitions[2].entry_offset, 0x3070);
	assert_int_equal(tu_check(&f.img->fw, "$FPT checksum-8")->ok, AMT_YES);
	amt_image_free(f.img);
	tb_free(&b);
	tb_free(&r);
}

static void test_bad_checksum(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen2(&o);
	struct tb_buf b = tb_build_gen2(&o, &l);
	uint8_t good = b.data[0x1B];
	b.data[0x05] ^= 0x01; /* a ROM-bypass byte: covered on ME <= 10 */
	struct fx f;
	fx_init(&f, &b);
	amt_error e;
	assert_int_equal(amt_fpt_parse(&f.c, 0x10, 0, b.size, false, &e), AMT_OK);
	const struct amt_check *ck = tu_check(&f.img->fw, "$FPT checksum-8");
	assert_non_null(ck);
	assert_int_equal(ck->ok, AMT_NO);
	assert_int_equal(ck->stored, good);
	assert_int_equal(ck->computed, (uint8_t)(good - 1));
	amt_image_free(f.img);
	tb_free(&b);
}

/* ME 2 style: $FPT at 0, v1.0, 0x20-byte header summed alone. */
static void test_gen1_fpt_at0(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen1(&o);
	o.fpt_at0 = true;
	struct tb_buf b = tb_build_gen1(&o, &l);
	struct fx f;
	fx_init(&f, &b);
	amt_error e;
	assert_int_equal(amt_fpt_parse(&f.c, 0, 0, b.size, false, &e), AMT_OK);
	const struct amt_fw *fw = &f.img->fw;
	assert_int_equal(fw->fpt.romb_offset, AMT_NO_OFFSET);
	assert_int_equal(fw->fpt.header_version, 0x10);
	assert_int_equal(tu_check(fw, "$FPT checksum-8")->ok, AMT_YES);
	/* CODE with length 0xFFFFFFFF: up to the region end */
	assert_string_equal(fw->partitions[2].name, "CODE");
	assert_int_equal(fw->partitions[2].size, b.size - 0x2000);
	assert_true(fw->partitions[2].in_range);
	/* NVKR: offset 0 = no data */
	assert_true(fw->partitions[1].empty);
	/* the checksum covers the header only: a change at 0x25 breaks it */
	amt_image_free(f.img);
	b.data[0x1F] ^= 0x40;
	fx_init(&f, &b);
	assert_int_equal(amt_fpt_parse(&f.c, 0, 0, b.size, false, &e), AMT_OK);
	assert_int_equal(tu_check(&f.img->fw, "$FPT checksum-8")->ok, AMT_NO);
	amt_image_free(f.img);
	tb_free(&b);
}

/* A CSE-style v2.1 data $FPT (offsets relative to the $FPT). */
static struct tb_buf make_v21(bool fit_bug, uint32_t *crc_out)
{
	struct tb_buf b = tb_alloc(0x8000, 0xFF);
	uint8_t *h = b.data + 0x1000;
	memset(h, 0, 0x60);
	memcpy(h, "$FPT", 4);
	amt_wr32(h + 4, 2);
	h[8] = fit_bug ? 0x20 : 0x21;
	h[9] = 0x10;
	h[0x0A] = 0x20;
	h[0x0B] = 0x01; /* redundancy flag */
	amt_wr16(h + 0x18, 12);
	memcpy(h + 0x20, "MFS\0", 4);
	amt_wr32(h + 0x28, 0x1000);
	amt_wr32(h + 0x2C, 0x2000);
	amt_wr32(h + 0x3C, 0x01);
	memcpy(h + 0x40, "FTUP", 4);
	amt_wr32(h + 0x48, 0x3000);
	amt_wr32(h + 0x4C, 0x2000);
	amt_wr32(h + 0x5C, 0x00);
	uint8_t tmp[0x60];
	memcpy(tmp, h, sizeof(tmp));
	tmp[8] = 0x21;
	memset(tmp + 0x14, 0, 4);
	uint32_t crc = (uint32_t)crc32(0, tmp, sizeof(tmp));
	amt_wr32(h + 0x14, crc);
	*crc_out = crc;
	return b;
}

static void test_v21_crc(void **state)
{
	(void)state;
	for (int bug = 0; bug < 2; bug++) {
		uint32_t crc;
		struct tb_buf b = make_v21(bug, &crc);
		if (bug)
			assert_true((crc >> 16) != 0 && (crc >> 16) != 0xFFFF);
		struct fx f;
		fx_init(&f, &b);
		amt_error e;
		assert_int_equal(amt_fpt_parse(&f.c, 0x1000, 0x1000, 0x6000, true, &e), AMT_OK);
		const struct amt_fw *fw = &f.img->fw;
		const struct amt_check *ck = tu_check(fw, "$FPT CRC-32");
		assert_non_null(ck);
		assert_int_equal(ck->ok, AMT_YES);
		assert_int_equal(ck->stored, crc);
		assert_int_equal(fw->fpt.crc32, crc);
		assert_int_equal(fw->fpt.flags, 0x01);
		assert_null(tu_check(fw, "$FPT checksum-8"));
		assert_int_equal(fw->fpt.romb_offset, AMT_NO_OFFSET);
		/* offsets relative to the $FPT */
		assert_int_equal(fw->partitions[0].offset, 0x2000);
		assert_int_equal(fw->partitions[1].offset, 0x4000);
		assert_true(fw->partitions[1].in_range);
		amt_image_free(f.img);

		/* an entry byte changed: CRC mismatch */
		b.data[0x1000 + 0x4C] ^= 0x10;
		fx_init(&f, &b);
		assert_int_equal(amt_fpt_parse(&f.c, 0x1000, 0x1000, 0x6000, true, &e), AMT_OK);
		assert_int_equal(tu_check(&f.img->fw, "$FPT CRC-32")->ok, AMT_NO);
		amt_image_free(f.img);
		tb_free(&b);
	}
}

static void test_truncated_and_magic(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen2(&o);
	struct tb_buf b = tb_build_gen2(&o, &l);
	struct fx f;
	amt_error e;
	/* every region length that cuts the header */
	for (uint64_t len = 0; len < 0x30; len++) {
		fx_init(&f, &b);
		assert_int_equal(amt_fpt_parse(&f.c, 0x10, 0, len, false, &e), AMT_E_TRUNCATED);
		assert_string_equal(e.structure, "$FPT");
		assert_int_equal(f.img->fw.npartitions, 0);
		amt_image_free(f.img);
	}
	/* input shorter than the header */
	struct tb_buf s = { b.data, 0x20 };
	fx_init(&f, &s);
	assert_int_equal(amt_fpt_parse(&f.c, 0x10, 0, b.size, false, &e), AMT_E_TRUNCATED);
	amt_image_free(f.img);
	/* region start past the input */
	fx_init(&f, &b);
	assert_int_equal(amt_fpt_parse(&f.c, b.size + 0x10, b.size + 1, 0x100, false, &e),
			 AMT_E_RANGE);
	amt_image_free(f.img);
	/* wrong tag */
	b.data[0x11] = 'X';
	fx_init(&f, &b);
	assert_int_equal(amt_fpt_parse(&f.c, 0x10, 0, b.size, false, &e), AMT_E_BADMAGIC);
	assert_int_equal(e.offset, 0x10);
	amt_image_free(f.img);
	tb_free(&b);
}

/* Entries cut by the region end: count capped, CRC/problem recorded. */
static void test_count_overflow(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen2(&o);
	struct tb_buf b = tb_build_gen2(&o, &l);
	amt_wr32(b.data + 0x14, 0xFFFFFFFFu);
	tb_fpt_fix_checksum(b.data, 0x10);
	struct fx f;
	fx_init(&f, &b);
	amt_error e;
	assert_int_equal(amt_fpt_parse(&f.c, 0x10, 0, b.size, false, &e), AMT_OK);
	assert_int_equal(f.img->fw.fpt.nentries, 0xFFFFFFFFu);
	assert_true(f.img->fw.npartitions <= 256);
	assert_true(tu_problem(f.img, AMT_E_TRUNCATED, NULL));
	assert_string_equal(f.img->fw.partitions[2].name, "FTPR");
	amt_image_free(f.img);

	/* a region so short that only 2 entries fit */
	amt_wr32(b.data + 0x14, 4);
	tb_fpt_fix_checksum(b.data, 0x10);
	fx_init(&f, &b);
	assert_int_equal(amt_fpt_parse(&f.c, 0x10, 0, 0x30 + 2 * 0x20 + 0x1F, false, &e), AMT_OK);
	assert_int_equal(f.img->fw.npartitions, 2);
	assert_true(tu_problem(f.img, AMT_E_TRUNCATED, NULL));
	amt_image_free(f.img);
	tb_free(&b);
}

static void test_outside_overlap_invalid(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen2(&o);
	struct tb_buf b = tb_build_gen2(&o, &l);
	/* FTPR length past the region end */
	amt_wr32(b.data + 0x70 + 0x0C, (uint32_t)b.size);
	/* NFTP overlaps FOVD */
	amt_wr32(b.data + 0x90 + 0x08, 0x800);
	amt_wr32(b.data + 0x90 + 0x0C, 0x1000);
	/* FOVD marked invalid */
	b.data[0x30 + 0x1F] = 0xFF;
	/* an entry with offset + length wrapping 32 bits */
	tb_fpt_fix_checksum(b.data, 0x10);
	struct fx f;
	fx_init(&f, &b);
	amt_error e;
	assert_int_equal(amt_fpt_parse(&f.c, 0x10, 0, b.size, false, &e), AMT_OK);
	const struct amt_fw *fw = &f.img->fw;
	assert_false(fw->partitions[0].valid);
	assert_false(fw->partitions[2].in_range);
	assert_true(tu_problem(f.img, AMT_E_RANGE, NULL));
	assert_true(tu_problem(f.img, AMT_E_OVERLAP, NULL));
	assert_int_equal(tu_check(fw, "$FPT checksum-8")->ok, AMT_YES);
	amt_image_free(f.img);

	/* offset near 4 GiB: no wrap, out of range */
	amt_wr32(b.data + 0x70 + 0x08, 0xFFFFF000u);
	amt_wr32(b.data + 0x70 + 0x0C, 0x2000);
	fx_init(&f, &b);
	assert_int_equal(amt_fpt_parse(&f.c, 0x10, 0, b.size, false, &e), AMT_OK);
	assert_false(f.img->fw.partitions[2].in_range);
	assert_int_equal(f.img->fw.partitions[2].offset, 0xFFFFF000u);
	amt_image_free(f.img);
	tb_free(&b);
}

/* Through amt_image_parse: the checksum check is in the model. */
static void test_via_image_parse(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen2(&o);
	struct tb_buf b = tb_build_gen2(&o, &l);
	struct amt_image *img;
	amt_error e;
	assert_int_equal(amt_image_parse(b.data, b.size, NULL, &img, &e), AMT_OK);
	assert_true(img->fw.has_fpt);
	assert_int_equal(img->fw.layout, AMT_LAYOUT_GEN2);
	assert_int_equal(tu_check(&img->fw, "$FPT checksum-8")->ok, AMT_YES);
	amt_image_free(img);
	tb_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gen2_header_and_entries),
		cmocka_unit_test(test_region_offset),
		cmocka_unit_test(test_bad_checksum),
		cmocka_unit_test(test_gen1_fpt_at0),
		cmocka_unit_test(test_v21_crc),
		cmocka_unit_test(test_truncated_and_magic),
		cmocka_unit_test(test_count_overflow),
		cmocka_unit_test(test_outside_overlap_invalid),
		cmocka_unit_test(test_via_image_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
