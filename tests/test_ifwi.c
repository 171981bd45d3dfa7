/* SPDX-License-Identifier: GPL-2.0-or-later */
/* IFWI: CSE layout table 1.6/1.7, data $FPT, BPDT primary/secondary,
 * IFWI 2.0 BPDT images. */

#include "testutil.h"
#include "build_cse.h"
#include "corpus_split.h"

static const struct amt_partition *part(const struct amt_fw *fw, const char *name,
					amt_part_container cont)
{
	for (size_t i = 0; i < fw->npartitions; i++)
		if (!strcmp(fw->partitions[i].name, name) && fw->partitions[i].container == cont)
			return &fw->partitions[i];
	return NULL;
}

static struct tb_buf build(enum tb_ifwi_kind k, struct tb_cse_info *in)
{
	struct tb_cse_opts o;
	tb_cse_opts_default(&o);
	return tb_ifwi_region(k, &o, in);
}

static void common_bpdt_asserts(const struct amt_fw *fw, const struct tb_cse_info *in)
{
	const struct amt_partition *ftpr = part(fw, "FTPR", AMT_CONT_BPDT);
	assert_non_null(ftpr);
	assert_int_equal(ftpr->type, 2);
	assert_int_equal(ftpr->offset, in->ftpr);
	assert_int_equal(ftpr->size, 0x20000);
	assert_int_equal(ftpr->entry_offset, in->bpdt + 0x18 + 12);
	assert_true(ftpr->in_range);
	assert_true(ftpr->has_cpd);
	assert_int_equal(ftpr->nmodules, 7);
	assert_true(ftpr->manifest >= 0);
	assert_int_equal(fw->ftpr_manifest, ftpr->manifest);
	const struct amt_partition *nftp = part(fw, "NFTP", AMT_CONT_SBPDT);
	assert_non_null(nftp);
	assert_int_equal(nftp->type, 7);
	assert_int_equal(nftp->offset, in->nftp);
	assert_true(nftp->has_cpd);
	assert_true(nftp->manifest >= 0);
	const struct amt_partition *sb = part(fw, "SBPD", AMT_CONT_BPDT);
	assert_non_null(sb);
	assert_int_equal(sb->offset, in->sbpdt);
	const struct amt_partition *dl = part(fw, "DLMP", AMT_CONT_BPDT);
	assert_non_null(dl);
	assert_true(dl->empty);
	assert_int_equal(fw->ifwi.nbpdt, 2);
	assert_int_equal(fw->ifwi.bpdt_offset[0], in->bpdt);
	assert_int_equal(fw->ifwi.bpdt_offset[1], in->sbpdt);
	assert_int_equal(fw->manifests[fw->ftpr_manifest].sig, AMT_SIG_VALID);
}

static void test_layout16(void **state)
{
	(void)state;
	struct tb_cse_info in;
	struct tb_buf b = build(TB_IFWI_16, &in);
	assert_int_equal(amt_ifwi_probe(b.data, b.size, 0, b.size), AMT_LAYOUT_IFWI16);
	struct amt_image *img = tu_parse_fw(&b);
	const struct amt_fw *fw = &img->fw;
	assert_int_equal(img->kind, AMT_KIND_IFWI_REGION);
	assert_int_equal(fw->layout, AMT_LAYOUT_IFWI16);
	assert_int_equal(fw->generation, 3);
	assert_true(fw->ifwi.has_layout);
	assert_int_equal(fw->ifwi.layout_offset, 0);
	assert_int_equal(fw->ifwi.layout_version, 16);
	assert_int_equal(fw->ifwi.data_offset, 0x1000);
	assert_int_equal(fw->ifwi.data_size, 0x10000);
	assert_int_equal(fw->ifwi.nboot, 2);
	assert_int_equal(fw->ifwi.boot_offset[0], 0x11000);
	assert_int_equal(fw->ifwi.boot_size[0], 0x60000);
	assert_int_equal(fw->ifwi.boot_offset[1], 0x71000);
	assert_int_equal(fw->ifwi.bpdt_version, 1);
	common_bpdt_asserts(fw, &in);
	/* layout partitions and the data $FPT */
	const struct amt_partition *data = part(fw, "DATA", AMT_CONT_LAYOUT);
	assert_non_null(data);
	assert_int_equal(data->offset, 0x1000);
	assert_non_null(part(fw, "BP1", AMT_CONT_LAYOUT));
	assert_true(fw->has_fpt);
	assert_int_equal(fw->fpt.offset, 0x1000);
	const struct amt_partition *mfs = part(fw, "MFS", AMT_CONT_FPT);
	assert_non_null(mfs);
	assert_int_equal(mfs->offset, 0x2000);   /* relative to the data $FPT */
	const struct amt_check *c = tu_check(fw, "CSE layout 1.6 checksum");
	assert_non_null(c);
	assert_int_equal(c->ok, AMT_UNKNOWN);
	assert_int_equal(c->stored, 0x22);
	c = tu_check(fw, "BPDT@0x11000 checksum");
	assert_non_null(c);
	assert_int_equal(c->ok, AMT_UNKNOWN);
	assert_true(fw->version_known);
	assert_int_equal(fw->version.major, 14);
	assert_int_equal(fw->version.build, 1204);
	assert_int_equal(fw->family, AMT_FAM_CSME);
	assert_int_equal(fw->cse.ninit, 3);     /* R2 (0x1C) init entries */
	assert_int_equal(img->nproblems, 0);
	amt_image_free(img);
	tb_free(&b);
}

static void test_layout17(void **state)
{
	(void)state;
	struct tb_cse_info in;
	struct tb_buf b = build(TB_IFWI_17, &in);
	assert_int_equal(amt_ifwi_probe(b.data, b.size, 0, b.size), AMT_LAYOUT_IFWI17);
	struct amt_image *img = tu_parse_fw(&b);
	const struct amt_fw *fw = &img->fw;
	assert_int_equal(fw->layout, AMT_LAYOUT_IFWI17);
	assert_int_equal(fw->ifwi.layout_version, 17);
	assert_int_equal(fw->ifwi.data_offset, 0x1000);
	assert_int_equal(fw->ifwi.bpdt_version, 2);
	common_bpdt_asserts(fw, &in);
	const struct amt_check *c = tu_check(fw, "CSE layout 1.7 CRC-32");
	assert_non_null(c);
	assert_int_equal(c->ok, AMT_YES);
	assert_int_equal(c->offset, 0x14);
	assert_int_equal(tu_check(fw, "BPDT@0x11000 CRC-32")->ok, AMT_YES);
	assert_int_equal(tu_check(fw, "BPDT@0x41000 CRC-32")->ok, AMT_YES);
	assert_int_equal(tu_check(fw, "$CPD FTPR CRC-32")->ok, AMT_YES);
	const struct amt_manifest *m = &fw->manifests[fw->ftpr_manifest];
	assert_int_equal(m->kind, AMT_MAN_R2);
	assert_int_equal(fw->version.major, 16);
	assert_int_equal(fw->version.minor, 1);
	assert_int_equal(img->nproblems, 0);
	/* module hashes are SHA-384 with an R2 manifest */
	assert_non_null(tu_check(fw, "FTPR/kernel SHA-384"));
	assert_int_equal(tu_check(fw, "FTPR/kernel SHA-384")->ok, AMT_YES);
	amt_image_free(img);
	tb_free(&b);
}

static void test_bpdt_image(void **state)
{
	(void)state;
	struct tb_cse_info in;
	struct tb_buf b = build(TB_IFWI_BPDT, &in);
	assert_int_equal(amt_ifwi_probe(b.data, b.size, 0, b.size), AMT_LAYOUT_BPDT);
	struct amt_image *img = tu_parse_fw(&b);
	const struct amt_fw *fw = &img->fw;
	assert_int_equal(img->kind, AMT_KIND_BPDT);
	assert_int_equal(fw->layout, AMT_LAYOUT_BPDT);
	assert_false(fw->ifwi.has_layout);
	assert_false(fw->has_fpt);
	common_bpdt_asserts(fw, &in);
	assert_int_equal(fw->family, AMT_FAM_CSTXE);
	assert_int_equal(fw->version.major, 4);
	assert_int_equal(fw->version.build, 2083);
	assert_int_equal(img->nproblems, 0);
	amt_image_free(img);
	tb_free(&b);
}

static void test_probe_negative(void **state)
{
	(void)state;
	struct tb_cse_info in;
	struct tb_buf b = build(TB_IFWI_16, &in);
	assert_int_equal(amt_ifwi_probe(b.data, b.size, 0, 0x40), AMT_LAYOUT_NONE);
	assert_int_equal(amt_ifwi_probe(b.data, b.size, b.size, 0x100), AMT_LAYOUT_NONE);
	assert_int_equal(amt_ifwi_probe(b.data, b.size, 1, b.size - 1), AMT_LAYOUT_NONE);
	/* data pointer no longer at a $FPT */
	b.data[0x1000] = 'X';
	assert_int_equal(amt_ifwi_probe(b.data, b.size, 0, b.size), AMT_LAYOUT_NONE);
	b.data[0x1000] = '$';
	/* BP1 pointer past the region */
	amt_wr32(b.data + 0x18, 0x7FFFFFF0);
	assert_int_equal(amt_ifwi_probe(b.data, b.size, 0, b.size), AMT_LAYOUT_NONE);
	tb_free(&b);
	struct tb_buf z = tb_alloc(0x1000, 0xFF);
	assert_int_equal(amt_ifwi_probe(z.data, z.size, 0, z.size), AMT_LAYOUT_NONE);
	tb_free(&z);
}

static void test_bad_layout_and_bpdt_crc(void **state)
{
	(void)state;
	struct tb_cse_info in;
	struct tb_buf b = build(TB_IFWI_17, &in);
	b.data[0x15] ^= 0x01;              /* layout CRC */
	b.data[in.bpdt + 9] ^= 0x10;       /* primary BPDT CRC */
	struct amt_image *img = tu_parse_fw(&b);
	const struct amt_check *c = tu_check(&img->fw, "CSE layout 1.7 CRC-32");
	assert_int_equal(c->ok, AMT_NO);
	assert_int_not_equal(c->stored, c->computed);
	assert_int_equal(tu_check(&img->fw, "BPDT@0x11000 CRC-32")->ok, AMT_NO);
	assert_int_equal(tu_check(&img->fw, "BPDT@0x41000 CRC-32")->ok, AMT_YES);
	assert_true(img->fw.version_known);  /* a bad CRC is reported, not fatal */
	amt_image_free(img);
	tb_free(&b);
}

static void test_sbpdt_loop(void **state)
{
	(void)state;
	struct tb_cse_info in;
	/* S-BPDT entry pointing back at the primary BPDT */
	struct tb_buf b = build(TB_IFWI_17, &in);
	amt_wr32(b.data + in.sbpdt_entry + 4, 0);
	amt_wr32(b.data + in.sbpdt_entry + 8, 0x800);
	tb_bpdt_fix(b.data, in.bpdt);
	struct amt_image *img = tu_parse_fw(&b);
	assert_true(tu_problem(img, AMT_E_LOOP, "loops"));
	assert_null(part(&img->fw, "NFTP", AMT_CONT_SBPDT));
	assert_true(img->fw.version_known);
	amt_image_free(img);
	tb_free(&b);

	/* S-BPDT that lists an S-BPDT (itself) */
	b = build(TB_IFWI_16, &in);
	amt_wr16(b.data + in.sbpdt + 0x18, 5);
	amt_wr32(b.data + in.sbpdt + 0x18 + 4, 0x30000);
	amt_wr32(b.data + in.sbpdt + 0x18 + 8, 0x1000);
	img = tu_parse_fw(&b);
	assert_true(tu_problem(img, AMT_E_LOOP, "S-BPDT entry inside a S-BPDT"));
	amt_image_free(img);
	tb_free(&b);
}

static void test_bpdt_count_overflow(void **state)
{
	(void)state;
	struct tb_cse_info in;
	/* in a layout image: the BP1 BPDT is dropped, reported */
	struct tb_buf b = build(TB_IFWI_16, &in);
	amt_wr16(b.data + in.bpdt + 4, 0xFFFF);
	struct amt_image *img = tu_parse_fw(&b);
	assert_true(tu_problem(img, AMT_E_RANGE, "entry count 65535"));
	assert_false(img->fw.version_known);
	assert_true(tu_problem(img, AMT_E_RANGE, "no FTPR manifest"));
	amt_image_free(img);
	tb_free(&b);

	/* a bare BPDT image whose only table is unusable: the parse fails */
	b = build(TB_IFWI_BPDT, &in);
	amt_wr16(b.data + 4, 0x9000);
	struct amt_image *bad = (struct amt_image *)1;
	amt_error e;
	assert_int_not_equal(amt_image_parse(b.data, b.size, NULL, &bad, &e), AMT_OK);
	assert_null(bad);
	tb_free(&b);
}

static void test_bpdt_outside_and_overlap(void **state)
{
	(void)state;
	struct tb_cse_info in;
	struct tb_buf b = build(TB_IFWI_16, &in);
	size_t ftpr_e = in.bpdt + 0x18 + 12;
	amt_wr32(b.data + ftpr_e + 4, 0x5F000);   /* + 0x20000 > BP1 size 0x60000 */
	struct amt_image *img = tu_parse_fw(&b);
	const struct amt_partition *p = part(&img->fw, "FTPR", AMT_CONT_BPDT);
	assert_non_null(p);
	assert_false(p->in_range);
	assert_false(p->has_cpd);
	assert_true(tu_problem(img, AMT_E_RANGE, "lie outside the boot partition"));
	amt_image_free(img);
	tb_free(&b);

	b = build(TB_IFWI_16, &in);
	amt_wr32(b.data + in.sbpdt_entry + 4, 0x1100);  /* S-BPDT inside FTPR */
	img = tu_parse_fw(&b);
	assert_true(tu_problem(img, AMT_E_OVERLAP, "overlap"));
	amt_image_free(img);
	tb_free(&b);
}

static void test_layout_ranges(void **state)
{
	(void)state;
	struct tb_cse_info in;
	/* BP2 outside the region, 1.7 with a correct CRC */
	struct tb_buf b = build(TB_IFWI_17, &in);
	amt_wr32(b.data + 0x28, 0xF0000);
	tb_layout17_fix(b.data, 0);
	struct amt_image *img = tu_parse_fw(&b);
	assert_true(tu_problem(img, AMT_E_RANGE, "BP2"));
	assert_int_equal(tu_check(&img->fw, "CSE layout 1.7 CRC-32")->ok, AMT_YES);
	assert_true(img->fw.version_known);
	amt_image_free(img);
	tb_free(&b);

	/* BP2 overlapping BP1 */
	b = build(TB_IFWI_16, &in);
	amt_wr32(b.data + 0x20, 0x20000);
	img = tu_parse_fw(&b);
	assert_true(tu_problem(img, AMT_E_OVERLAP, "BP2"));
	amt_image_free(img);
	tb_free(&b);

	/* region cut inside BP1 */
	b = build(TB_IFWI_16, &in);
	b.size = 0x30000;
	img = tu_parse_fw(&b);
	assert_true(tu_problem(img, AMT_E_RANGE, "BP1"));
	assert_false(img->fw.version_known);
	amt_image_free(img);
	tb_free(&b);

	/* a 1.7 region cut before its data partition: not recognised */
	b = build(TB_IFWI_17, &in);
	b.size = 0x1000;
	struct amt_image *none = NULL;
	amt_error e;
	assert_int_not_equal(amt_image_parse(b.data, b.size, NULL, &none, &e), AMT_OK);
	tb_free(&b);
}


/* ---- CSME 17-21: the firmware's version through the BPDT type ---------------- */

/* CSME 21 images carry an OEMP partition with its own manifest (version
 * 21.0.0.7000) before or after RBEP/FTPR; UEFITool took the first $MN2 and
 * reported 21.0.0.7000 (LongSoft/UEFITool#467, #470). The version must be
 * FTPR's (BPDT type 2), or RBEP's (type 1) when FTPR is missing. */
static void test_csme21_version_by_bpdt_type(void **state)
{
	(void)state;
	for (int order = 0; order < 2; order++) {
		struct tb_ifwi21_opts o = { .oemp_first = order == 0, .with_ftpr = true };
		struct tb_cse_info in;
		struct tb_buf b = tb_ifwi21_region(&o, &in);
		struct amt_image *img = tu_parse_fw(&b);
		const struct amt_fw *fw = &img->fw;
		assert_int_equal(fw->layout, AMT_LAYOUT_IFWI17);
		assert_true(fw->version_known);
		assert_int_equal(fw->version.major, 21);
		assert_int_equal(fw->version.minor, 50);
		assert_int_equal(fw->version.build, 1278);
		assert_int_equal(fw->family, AMT_FAM_CSME);
		const struct amt_partition *f = part(fw, "FTPR", AMT_CONT_BPDT);
		assert_non_null(f);
		assert_int_equal(f->type, 2);
		assert_int_equal(fw->ftpr_manifest, f->manifest);
		/* the OEMP manifest was parsed, with its own version */
		const struct amt_partition *oe = part(fw, "OEMP", AMT_CONT_BPDT);
		assert_non_null(oe);
		assert_int_equal(oe->type, 20);
		assert_true(oe->manifest >= 0);
		assert_int_equal(fw->manifests[oe->manifest].version.minor, 0);
		assert_int_equal(fw->manifests[oe->manifest].version.build, 7000);
		if (order == 0)
			assert_true(oe->manifest < f->manifest);   /* OEMP's comes first */
		/* layout 1.7 as these generations fill it */
		assert_int_equal(fw->ifwi.layout_size, 0x48);
		assert_int_equal(fw->ifwi.elog_offset, 0xF000);
		assert_int_equal(fw->ifwi.elog_size, 0x1000);
		assert_false(fw->ifwi.redundancy);
		assert_int_equal(fw->ifwi.bpdt_version, 2);
		assert_int_equal(fw->ifwi.bpdt_fit_version.major, 14);  /* the builder's FIT */
		assert_int_equal(img->nproblems, 0);
		amt_image_free(img);
		tb_free(&b);
	}
	/* no FTPR: the version is RBEP's, never OEMP's, and said so */
	struct tb_ifwi21_opts o = { .oemp_first = true, .with_ftpr = false };
	struct tb_cse_info in;
	struct tb_buf b = tb_ifwi21_region(&o, &in);
	struct amt_image *img = tu_parse_fw(&b);
	assert_true(img->fw.version_known);
	assert_int_equal(img->fw.version.minor, 50);
	assert_int_equal(img->fw.version.build, 1278);
	assert_int_equal(img->fw.ftpr_manifest, -1);
	assert_true(tu_problem(img, AMT_E_RANGE, "RBEP"));
	amt_image_free(img);
	tb_free(&b);
}

/* BPDT 2 keeps a flags byte after the version byte (redundancy): a set
 * flag is not an unknown version; the layout 1.7 redundancy flag is read. */
static void test_bpdt2_flags_and_redundancy(void **state)
{
	(void)state;
	struct tb_ifwi21_opts o = { .with_ftpr = true, .redundancy = true, .bpdt_flags = 1 };
	struct tb_cse_info in;
	struct tb_buf b = tb_ifwi21_region(&o, &in);
	struct amt_image *img = tu_parse_fw(&b);
	assert_int_equal(img->fw.ifwi.bpdt_version, 2);
	assert_int_equal(img->fw.ifwi.bpdt_flags, 1);
	assert_true(img->fw.ifwi.redundancy);
	assert_int_equal(img->fw.ifwi.nbpdt, 2);
	assert_int_equal(img->nproblems, 0);
	assert_int_equal(img->fw.version.major, 21);
	amt_image_free(img);
	/* BPDT 1 has a 16-bit version: a non-zero high byte is unknown */
	tb_free(&b);
	struct tb_cse_opts co;
	tb_cse_opts_default(&co);
	b = tb_ifwi_region(TB_IFWI_16, &co, &in);
	b.data[in.bpdt + 7] = 1;
	img = tu_parse_fw(&b);
	assert_true(tu_problem(img, AMT_E_UNSUPPORTED, "version 257"));
	amt_image_free(img);
	tb_free(&b);
}

/* The corpus CSME 16.1 image: layout 1.7 of 0x48 bytes with its ELog,
 * BPDT 2 with FIT 16.1.30.2319 (bytes read off the image). */
static void test_corpus_layout17_fields(void **state)
{
	(void)state;
	if (!getenv("AMTLESS_CORPUS"))
		skip();
	size_t n;
	uint8_t *d = tu_corpus_image("g3_csme16_ms7d25_dasharo.bin", &n);
	assert_non_null(d);
	struct amt_image *img = NULL;
	amt_error e;
	assert_int_equal(amt_image_parse(d, n, NULL, &img, &e), AMT_OK);
	const struct amt_ifwi *w = &img->fw.ifwi;
	assert_int_equal(w->layout_size, 0x48);
	assert_false(w->redundancy);
	assert_int_equal(w->elog_offset, 0x214000);
	assert_int_equal(w->elog_size, 0x1000);
	assert_int_equal(w->temp_size, 0);
	assert_int_equal(w->bpdt_fit_version.major, 16);
	assert_int_equal(w->bpdt_fit_version.minor, 1);
	assert_int_equal(w->bpdt_fit_version.hotfix, 30);
	assert_int_equal(w->bpdt_fit_version.build, 2319);
	/* version through BPDT type 2 */
	const struct amt_partition *f = part(&img->fw, "FTPR", AMT_CONT_BPDT);
	assert_non_null(f);
	assert_int_equal(img->fw.ftpr_manifest, f->manifest);
	assert_int_equal(img->fw.version.build, 2307);
	amt_image_free(img);
	free(d);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout16),
		cmocka_unit_test(test_layout17),
		cmocka_unit_test(test_bpdt_image),
		cmocka_unit_test(test_probe_negative),
		cmocka_unit_test(test_bad_layout_and_bpdt_crc),
		cmocka_unit_test(test_sbpdt_loop),
		cmocka_unit_test(test_bpdt_count_overflow),
		cmocka_unit_test(test_bpdt_outside_and_overlap),
		cmocka_unit_test(test_layout_ranges),
		cmocka_unit_test(test_csme21_version_by_bpdt_type),
		cmocka_unit_test(test_bpdt2_flags_and_redundancy),
		cmocka_unit_test(test_corpus_layout17_fields),
	};
	return corpus_split_run(tests, NULL, NULL, argc, argv);
}
