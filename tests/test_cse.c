/* SPDX-License-Identifier: GPL-2.0-or-later */
/* CSE regions ($FPT + $CPD): $CPD, manifest extensions, family/SKU/AMT;
 * plus the real CSE images of the corpus (AMTLESS_CORPUS). */

#include "testutil.h"
#include "build_cse.h"
#include "build_sign.h"
#include "corpus_split.h"

/* A problem with this code whose message contains text. */
/* ---- positive ------------------------------------------------------- */

static void test_region_fields(void **state)
{
	(void)state;
	struct tb_cse_opts o;
	struct tb_cse_info in;
	tb_cse_opts_default(&o);
	struct tb_buf b = tb_cse_region(&o, &in);
	struct amt_image *img = tu_parse_fw(&b);
	const struct amt_fw *fw = &img->fw;

	assert_int_equal(img->kind, AMT_KIND_ME_REGION);
	assert_int_equal(fw->layout, AMT_LAYOUT_CSE_FPT);
	assert_int_equal(fw->generation, 3);
	assert_int_equal(fw->family, AMT_FAM_CSME);
	assert_true(fw->version_known);
	assert_int_equal(fw->version.major, 11);
	assert_int_equal(fw->version.minor, 8);
	assert_int_equal(fw->version.hotfix, 50);
	assert_int_equal(fw->version.build, 3425);
	assert_string_equal(fw->sku, "Consumer H");
	assert_true(fw->sku_known);
	assert_int_equal(fw->amt_present, AMT_NO);
	assert_true(tu_evidence(fw, "bit 2 (AMT) clear"));
	assert_int_equal(img->nproblems, 0);

	const struct amt_partition *p = tu_part(fw, "FTPR");
	assert_non_null(p);
	assert_true(p->has_cpd);
	assert_int_equal(p->cpd_offset, in.ftpr);
	assert_int_equal(p->cpd_version, 1);
	assert_int_equal(p->cpd_entries, 7);
	assert_int_equal(p->nmodules, 7);
	assert_true(p->manifest >= 0);
	assert_int_equal(fw->ftpr_manifest, p->manifest);
	const struct amt_manifest *m = &fw->manifests[fw->ftpr_manifest];
	assert_int_equal(m->offset, in.ftpr_out.man);
	assert_string_equal(m->partition, "FTPR");
	assert_string_equal(m->name, "FTPR.man");
	assert_int_equal(m->kind, AMT_MAN_R1);
	assert_int_equal(m->sig, AMT_SIG_VALID);
	assert_ptr_equal(fw->key, &m->key);

	const struct amt_module *k = tu_mod(fw, "FTPR", "kernel");
	assert_non_null(k);
	assert_int_equal(k->kind, AMT_MOD_MODULE);
	assert_int_equal(k->offset, in.ftpr_out.mod[0]);
	assert_int_equal(k->header_offset, in.ftpr_out.entries + 0x18);
	assert_int_equal(k->size, 0x400);
	assert_int_equal(k->usize, 0x400);
	assert_int_equal(k->comp, AMT_COMP_NONE);
	assert_true(k->in_range);
	assert_int_equal(k->hash_ok, AMT_YES);
	assert_int_equal(k->removable, AMT_NO);
	assert_int_equal(k->hap_boot, AMT_YES);   /* boot flags 0x03 */
	const struct amt_module *bup = tu_mod(fw, "FTPR", "bup");
	assert_non_null(bup);
	assert_int_equal(bup->hap_boot, AMT_NO);  /* boot flags 0x01 */
	assert_int_equal(tu_mod(fw, "FTPR", "FTPR.man")->kind, AMT_MOD_MANIFEST);
	assert_int_equal(tu_mod(fw, "FTPR", "kernel.met")->kind, AMT_MOD_METADATA);
	/* NFTP modules are not in the init script */
	assert_int_equal(tu_mod(fw, "NFTP", "pavp")->removable, AMT_UNKNOWN);

	assert_int_equal(fw->cse.ninit, 3);
	assert_string_equal(fw->cse.init[0].partition, "FTPR");
	assert_string_equal(fw->cse.init[0].module, "kernel");
	assert_int_equal(fw->cse.init[0].init_flags, 0x05);
	assert_true(fw->cse.has_skucaps);
	assert_int_equal(fw->cse.fwsku_caps, 0x3111bdd0);
	assert_int_equal(fw->cse.fwsku_attrib, 0x2210);
	assert_int_equal(fw->cse.sku_type, 1);
	assert_int_equal(fw->cse.sku_platform, 0);
	assert_true(fw->cse.has_pkg_info);
	assert_int_equal(fw->cse.fw_type, 3);
	assert_int_equal(fw->cse.fw_sku, 2);

	const struct amt_check *c = tu_check(fw, "$CPD FTPR checksum-8");
	assert_non_null(c);
	assert_int_equal(c->ok, AMT_YES);
	assert_int_equal(c->offset, in.ftpr + 0x0B);
	assert_non_null(tu_check(fw, "FTPR/kernel SHA-256"));
	assert_int_equal(tu_check(fw, "FTPR/kernel SHA-256")->ok, AMT_YES);
	c = tu_check(fw, "FTPR partition hash (Ext 0x03)");
	assert_non_null(c);
	assert_int_equal(c->ok, AMT_YES);
	amt_image_free(img);
	tb_free(&b);
}

static void test_region_amt(void **state)
{
	(void)state;
	struct tb_cse_opts o;
	struct tb_cse_info in;
	tb_cse_opts_default(&o);
	o.amt = true;
	o.with_locl = true;
	struct tb_buf b = tb_cse_region(&o, &in);
	struct amt_image *img = tu_parse_fw(&b);
	const struct amt_fw *fw = &img->fw;
	assert_int_equal(fw->amt_present, AMT_YES);
	assert_string_equal(fw->sku, "Corporate H");
	assert_true(tu_evidence(fw, "bit 2 (AMT) set"));
	assert_true(tu_evidence(fw, "partition LOCL"));
	assert_true(tu_evidence(fw, "module NFTP/amt"));
	assert_true(tu_part(fw, "LOCL")->has_cpd);
	amt_image_free(img);
	tb_free(&b);
}

/* caps say no AMT, but an "amt" module exists: not a confident NO */
static void test_region_amt_conflict(void **state)
{
	(void)state;
	struct tb_cse_opts o;
	struct tb_cse_info in;
	tb_cse_opts_default(&o);
	o.amt = true;
	struct tb_buf b = tb_cse_region(&o, &in);
	struct tb_cpd_spec s;
	tb_cpd_spec_ftpr(&s);   /* consumer caps */
	struct tb_cpd_out out;
	tb_cpd_write(b.data, b.size, in.ftpr, 0x20000, &s, &out);
	struct amt_image *img = tu_parse_fw(&b);
	assert_int_equal(img->fw.amt_present, AMT_UNKNOWN);
	assert_true(tu_evidence(&img->fw, "conflict"));
	assert_true(tu_evidence(&img->fw, "AMT partitions/modules are present"));
	amt_image_free(img);
	tb_free(&b);

	/* corporate SKU type without the AMT capability bit */
	tb_cse_opts_default(&o);
	b = tb_cse_region(&o, &in);
	tb_cpd_spec_ftpr(&s);
	s.attrib &= ~0x70ull;
	tb_cpd_write(b.data, b.size, in.ftpr, 0x20000, &s, &out);
	img = tu_parse_fw(&b);
	assert_string_equal(img->fw.sku, "Corporate H");
	assert_int_equal(img->fw.amt_present, AMT_UNKNOWN);
	assert_true(tu_evidence(&img->fw, "the SKU type is corporate"));
	amt_image_free(img);
	tb_free(&b);
}

/* Custom FTPR specs written over the default region's FTPR. */
static struct tb_buf region_with(const struct tb_cpd_spec *s, struct tb_cse_info *in,
				 struct tb_cpd_out *out)
{
	struct tb_cse_opts o;
	tb_cse_opts_default(&o);
	struct tb_buf b = tb_cse_region(&o, in);
	tb_cpd_write(b.data, b.size, in->ftpr, 0x20000, s, out);
	return b;
}

static void test_init_r2_removable(void **state)
{
	(void)state;
	struct tb_cpd_spec s;
	struct tb_cse_info in;
	struct tb_cpd_out out;
	tb_cpd_spec_ftpr(&s);
	s.init_entry_size = 0x1C;
	s.init_flags_first = 0x07;   /* IBL + Removable + InitImmediately */
	s.boot_flags_first = 0x01;
	s.ver[0] = 12;
	s.ver[1] = 0;
	struct tb_buf b = region_with(&s, &in, &out);
	struct amt_image *img = tu_parse_fw(&b);
	const struct amt_fw *fw = &img->fw;
	assert_int_equal(fw->cse.ninit, 3);
	assert_int_equal(fw->cse.init[0].init_flags, 0x07);
	assert_int_equal(tu_mod(fw, "FTPR", "kernel")->removable, AMT_YES);
	assert_int_equal(tu_mod(fw, "FTPR", "kernel")->hap_boot, AMT_NO);
	assert_int_equal(tu_mod(fw, "FTPR", "syslib")->removable, AMT_NO);
	/* CSME 12: platform from caps bit 8 */
	assert_string_equal(fw->sku, "Consumer H");
	assert_int_equal(img->nproblems, 0);
	amt_image_free(img);
	tb_free(&b);
}

static void test_huffman_and_cpd_r2(void **state)
{
	(void)state;
	struct tb_cpd_spec s;
	struct tb_cse_info in;
	struct tb_cpd_out out;
	tb_cpd_spec_ftpr(&s);
	s.huffman_first = true;
	s.cpd_version = 2;
	struct tb_buf b = region_with(&s, &in, &out);
	struct amt_image *img = tu_parse_fw(&b);
	const struct amt_fw *fw = &img->fw;
	const struct amt_module *k = tu_mod(fw, "FTPR", "kernel");
	assert_int_equal(k->comp, AMT_COMP_HUFFMAN);
	assert_int_equal(k->usize, 0x800);
	assert_int_equal(k->size, 0x400);      /* stored (compressed) bytes */
	assert_true(k->in_range);
	/* not real Huffman data, and 0x800 is no whole number of 4 KiB chunks */
	assert_int_equal(k->hash_ok, AMT_NO);
	assert_int_equal(tu_part(fw, "FTPR")->cpd_version, 2);
	const struct amt_check *c = tu_check(fw, "$CPD FTPR CRC-32");
	assert_non_null(c);
	assert_int_equal(c->ok, AMT_YES);
	assert_int_equal(c->offset, in.ftpr + 0x10);
	assert_int_equal(img->nproblems, 0);
	amt_image_free(img);
	tb_free(&b);
}

static void test_family_by_major(void **state)
{
	(void)state;
	/* unknown (test) key: TXE 3 by major, CSSPS by module names */
	struct tb_cpd_spec s;
	struct tb_cse_info in;
	struct tb_cpd_out out;
	tb_cpd_spec_ftpr(&s);
	s.ver[0] = 3;
	s.ver[1] = 1;
	struct tb_buf b = region_with(&s, &in, &out);
	struct amt_image *img = tu_parse_fw(&b);
	assert_int_equal(img->fw.family, AMT_FAM_CSTXE);
	assert_string_equal(img->fw.sku, "Consumer");
	amt_image_free(img);
	tb_free(&b);

	s.ver[0] = 4;
	s.mods[1] = "bup_rcv";
	b = region_with(&s, &in, &out);
	img = tu_parse_fw(&b);
	assert_int_equal(img->fw.family, AMT_FAM_CSSPS);
	amt_image_free(img);
	tb_free(&b);
}

/* ---- negative ------------------------------------------------------- */

static void test_bad_cpd_checksum(void **state)
{
	(void)state;
	struct tb_cse_opts o;
	struct tb_cse_info in;
	tb_cse_opts_default(&o);
	struct tb_buf b = tb_cse_region(&o, &in);
	b.data[in.ftpr + 0x0B] ^= 0x5A;
	struct amt_image *img = tu_parse_fw(&b);
	const struct amt_check *c = tu_check(&img->fw, "$CPD FTPR checksum-8");
	assert_non_null(c);
	assert_int_equal(c->ok, AMT_NO);
	assert_int_not_equal(c->stored, c->computed);
	assert_true(img->fw.version_known);   /* still parsed */
	amt_image_free(img);
	tb_free(&b);

	struct tb_cpd_spec s;
	struct tb_cpd_out out;
	tb_cpd_spec_ftpr(&s);
	s.cpd_version = 2;
	b = region_with(&s, &in, &out);
	b.data[in.ftpr + 0x11] ^= 1;
	img = tu_parse_fw(&b);
	c = tu_check(&img->fw, "$CPD FTPR CRC-32");
	assert_non_null(c);
	assert_int_equal(c->ok, AMT_NO);
	amt_image_free(img);
	tb_free(&b);
}

/* amt_cpd_parse directly on a model holding one partition. */
static amt_status cpd_direct(struct tb_buf *b, uint64_t cpd, uint64_t limit,
			     struct amt_image *img, amt_error *e)
{
	memset(img, 0, sizeof(*img));
	img->data = b->data;
	img->size = b->size;
	img->fw.ftpr_manifest = -1;
	img->fw.generation = 3;
	struct amt_parse_opts opts;
	amt_parse_opts_init(&opts);
	struct amt_parse_ctx c = { b->data, b->size, img, &opts };
	struct amt_partition *p = amt_fw_add_partition(&img->fw);
	assert_non_null(p);
	p->manifest = -1;
	p->offset = cpd;
	p->size = limit - cpd;
	amt_error_clear(e);
	return amt_cpd_parse(&c, 0, cpd, limit, e);
}

static void release(struct amt_image *img)
{
	amt_fw_release(&img->fw);
	free(img->problems);
}

static void test_cpd_truncated_and_magic(void **state)
{
	(void)state;
	struct tb_cse_opts o;
	struct tb_cse_info in;
	struct amt_image img;
	amt_error e;
	tb_cse_opts_default(&o);
	struct tb_buf b = tb_cse_region(&o, &in);

	/* header cut */
	assert_int_equal(cpd_direct(&b, in.ftpr, in.ftpr + 8, &img, &e), AMT_E_TRUNCATED);
	assert_int_equal(e.offset, in.ftpr);
	release(&img);
	/* entry table cut (7 entries need 0xA8 bytes) */
	assert_int_equal(cpd_direct(&b, in.ftpr, in.ftpr + 0x40, &img, &e), AMT_E_RANGE);
	assert_non_null(strstr(e.message, "entry count 7"));
	release(&img);
	/* whole partition: fine, manifest found */
	assert_int_equal(cpd_direct(&b, in.ftpr, in.ftpr + 0x20000, &img, &e), AMT_OK);
	assert_int_equal(img.fw.partitions[0].nmodules, 7);
	assert_true(img.fw.ftpr_manifest >= 0);
	release(&img);
	/* no tag */
	b.data[in.ftpr] = 'X';
	assert_int_equal(cpd_direct(&b, in.ftpr, in.ftpr + 0x20000, &img, &e), AMT_E_BADMAGIC);
	release(&img);
	/* unknown header version */
	b.data[in.ftpr] = '$';
	b.data[in.ftpr + 8] = 7;
	assert_int_equal(cpd_direct(&b, in.ftpr, in.ftpr + 0x20000, &img, &e), AMT_E_UNSUPPORTED);
	release(&img);
	tb_free(&b);
}

static void test_cpd_count_overflow(void **state)
{
	(void)state;
	struct tb_cse_opts o;
	struct tb_cse_info in;
	tb_cse_opts_default(&o);
	struct tb_buf b = tb_cse_region(&o, &in);
	amt_wr32(b.data + in.ftpr + 4, 0xFFFFFFFFu);  /* rejected before the checksum */
	struct amt_image *img = tu_parse_fw(&b);
	assert_true(tu_problem(img, AMT_E_RANGE, "entry count 4294967295"));
	assert_true(tu_problem(img, AMT_E_RANGE, "no FTPR manifest"));
	assert_false(img->fw.version_known);
	assert_false(tu_part(&img->fw, "FTPR")->has_cpd);
	assert_true(tu_part(&img->fw, "NFTP")->has_cpd);   /* the rest still parsed */
	amt_image_free(img);
	tb_free(&b);
}

static void test_cpd_offset_outside_and_overlap(void **state)
{
	(void)state;
	struct tb_cse_opts o;
	struct tb_cse_info in;
	tb_cse_opts_default(&o);
	struct tb_buf b = tb_cse_region(&o, &in);
	size_t bup = in.ftpr_out.entries + 3 * 0x18;   /* bup entry */
	amt_wr32(b.data + bup + 0x0C, 0x1FFFF00);
	size_t syslib = in.ftpr_out.entries + 5 * 0x18;
	amt_wr32(b.data + syslib + 0x0C, (uint32_t)(in.ftpr_out.mod[0] - in.ftpr + 0x10));
	tb_cpd_fix(b.data, in.ftpr);
	struct amt_image *img = tu_parse_fw(&b);
	const struct amt_module *m = tu_mod(&img->fw, "FTPR", "bup");
	assert_false(m->in_range);
	assert_int_equal(m->hash_ok, AMT_UNKNOWN);
	assert_true(tu_problem(img, AMT_E_RANGE, "entry bup"));
	assert_true(tu_problem(img, AMT_E_OVERLAP, "kernel"));
	/* syslib's .met hash no longer matches its (moved) bytes */
	assert_int_equal(tu_mod(&img->fw, "FTPR", "syslib")->hash_ok, AMT_NO);
	assert_int_equal(tu_check(&img->fw, "FTPR/syslib SHA-256")->ok, AMT_NO);
	amt_image_free(img);
	tb_free(&b);
}

static void test_ext_size_zero_and_past_end(void **state)
{
	(void)state;
	struct tb_cse_opts o;
	struct tb_cse_info in;
	tb_cse_opts_default(&o);
	struct tb_buf b = tb_cse_region(&o, &in);
	amt_wr32(b.data + in.ftpr_out.ext_init + 4, 0);
	struct amt_image *img = tu_parse_fw(&b);
	assert_true(tu_problem(img, AMT_E_RANGE, "extension 0x1 has size 0"));
	assert_false(img->fw.cse.has_skucaps);   /* the walk stopped before 0x0C */
	assert_int_equal(img->fw.amt_present, AMT_UNKNOWN);
	assert_int_equal(img->fw.cse.ninit, 0);
	amt_image_free(img);
	tb_free(&b);

	b = tb_cse_region(&o, &in);
	amt_wr32(b.data + in.ftpr_out.ext_0c + 4, 0x10000);
	img = tu_parse_fw(&b);
	assert_true(tu_problem(img, AMT_E_TRUNCATED, "extension 0xc (0x10000 bytes) runs past"));
	assert_false(img->fw.cse.has_skucaps);
	assert_int_equal(img->fw.cse.ninit, 3);  /* before the bad one: kept */
	amt_image_free(img);
	tb_free(&b);

	/* InitScript count that does not fit its size */
	b = tb_cse_region(&o, &in);
	amt_wr32(b.data + in.ftpr_out.ext_init + 0x0C, 0x40000000);
	img = tu_parse_fw(&b);
	assert_true(tu_problem(img, AMT_E_RANGE, "InitScript count 1073741824"));
	assert_int_equal(img->fw.cse.ninit, 0);
	assert_true(img->fw.cse.has_skucaps);    /* next extensions still read */
	amt_image_free(img);
	tb_free(&b);
}

static void test_module_hash_mismatch(void **state)
{
	(void)state;
	struct tb_cse_opts o;
	struct tb_cse_info in;
	tb_cse_opts_default(&o);
	struct tb_buf b = tb_cse_region(&o, &in);
	b.data[in.ftpr_out.mod[1] + 5] ^= 0x80;
	struct amt_image *img = tu_parse_fw(&b);
	assert_int_equal(tu_mod(&img->fw, "FTPR", "bup")->hash_ok, AMT_NO);
	assert_int_equal(tu_mod(&img->fw, "FTPR", "kernel")->hash_ok, AMT_YES);
	const struct amt_check *c = tu_check(&img->fw, "FTPR/bup SHA-256");
	assert_non_null(c);
	assert_int_equal(c->ok, AMT_NO);
	assert_int_equal(c->offset, in.ftpr_out.met[1] + 0x18);
	assert_int_equal(tu_check(&img->fw, "FTPR partition hash (Ext 0x03)")->ok, AMT_NO);
	assert_int_equal(tu_check(&img->fw, "NFTP partition hash (Ext 0x03)")->ok, AMT_YES);
	amt_image_free(img);
	tb_free(&b);
}

/* ---- corpus --------------------------------------------------------- */

struct corpus_case {
	const char *file;
	amt_layout layout;
	amt_family family;
	amt_tristate amt;
};

static const struct corpus_case cases[] = {
	{ "g3_me11.0.0.1205_CON-H_rgn.bin", AMT_LAYOUT_CSE_FPT, AMT_FAM_CSME, AMT_NO },
	{ "g3_me11.8.82.3838_x210_harrykipper.bin", AMT_LAYOUT_CSE_FPT, AMT_FAM_CSME, AMT_NO },
	{ "g3_txe3.1.92.2881_starlabs-lite-apl_StarLabsLtd.bin", AMT_LAYOUT_CSE_FPT, AMT_FAM_CSTXE, AMT_NO },
	{ "g3_txe4.0.45.1848_starlabs-lite-glk_StarLabsLtd.bin", AMT_LAYOUT_CSE_FPT, AMT_FAM_CSTXE, AMT_NO },
	{ "g3_csme12.0.47.1524_CON-H_extr.bin", AMT_LAYOUT_CSE_FPT, AMT_FAM_CSME, AMT_NO },
	{ "g3_csme14_darp6_bluecmd.rom", AMT_LAYOUT_IFWI16, AMT_FAM_CSME, AMT_NO },
	{ "g3_csme16_ms7d25_dasharo.bin", AMT_LAYOUT_IFWI17, AMT_FAM_CSME, AMT_NO },
	{ "g3_txe4-ifwi_protectli-vault-glk_dasharo.bin", AMT_LAYOUT_BPDT, AMT_FAM_CSTXE, AMT_NO },
	{ "DERIVED-full_me11.8.82.3838_x210.bin", AMT_LAYOUT_CSE_FPT, AMT_FAM_CSME, AMT_NO },
	{ "DERIVED-full_csme14_darp6.bin", AMT_LAYOUT_IFWI16, AMT_FAM_CSME, AMT_NO },
	{ "DERIVED-full_csme16_ms7d25.bin", AMT_LAYOUT_IFWI17, AMT_FAM_CSME, AMT_NO },
};

/* Ground truth from MANIFEST.tsv: the "FTPR/FTPR.man@0xOFF: A.B.C.D" part of
 * the manifest_version_via_CPD_parse column of the row for file. */
static bool manifest_truth(const char *tsv, const char *file, unsigned long long *off,
			   unsigned v[4])
{
	char key[160];
	snprintf(key, sizeof(key), "images/%s\t", file);
	const char *row = strstr(tsv, key);
	if (!row)
		return false;
	const char *eol = strchr(row, '\n');
	const char *f = strstr(row, "FTPR/FTPR.man@");
	if (!f || (eol && f > eol))
		return false;
	return sscanf(f, "FTPR/FTPR.man@%llx: %u.%u.%u.%u", off, &v[0], &v[1], &v[2], &v[3]) == 5;
}

static void test_corpus(void **state)
{
	(void)state;
	const char *dir = getenv("AMTLESS_CORPUS");
	if (!dir || !*dir) {
		fprintf(stderr, "AMTLESS_CORPUS not set: skipping the CSE corpus test\n");
		skip();
	}
	char path[1024];
	size_t n;
	snprintf(path, sizeof(path), "%s/MANIFEST.tsv", dir);
	char *tsv = (char *)tu_read_file(path, &n);
	assert_non_null(tsv);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct corpus_case *cc = &cases[i];
		unsigned long long man_off;
		unsigned v[4];
		snprintf(path, sizeof(path), "%s/images/%s", dir, cc->file);
		fprintf(stderr, "corpus: %s\n", cc->file);
		assert_true(manifest_truth(tsv, cc->file, &man_off, v));
		uint8_t *d = tu_read_file(path, &n);
		assert_non_null(d);
		struct amt_image *img = NULL;
		amt_error e;
		assert_int_equal(amt_image_parse(d, n, NULL, &img, &e), AMT_OK);
		const struct amt_fw *fw = &img->fw;
		assert_true(img->has_fw);
		assert_int_equal(fw->layout, cc->layout);
		assert_int_equal(fw->family, cc->family);
		assert_int_equal(fw->amt_present, cc->amt);
		assert_true(fw->ftpr_manifest >= 0);
		const struct amt_manifest *m = &fw->manifests[fw->ftpr_manifest];
		assert_int_equal(m->offset, man_off);
		assert_true(fw->version_known);
		assert_int_equal(fw->version.major, v[0]);
		assert_int_equal(fw->version.minor, v[1]);
		assert_int_equal(fw->version.hotfix, v[2]);
		assert_int_equal(fw->version.build, v[3]);
		assert_true(fw->sku_known);
		assert_true(fw->cse.has_skucaps);
		/* every $CPD directory checks, every .man became a manifest */
		size_t ncpd = 0;
		for (size_t j = 0; j < fw->npartitions; j++) {
			const struct amt_partition *p = &fw->partitions[j];
			if (!p->has_cpd)
				continue;
			ncpd++;
			for (size_t k = p->first_module; k < p->first_module + p->nmodules; k++) {
				assert_true(fw->modules[k].in_range);
				if (fw->modules[k].kind == AMT_MOD_MANIFEST)
					assert_true(p->manifest >= 0);
				assert_int_not_equal(fw->modules[k].hash_ok, AMT_NO);
			}
		}
		assert_true(ncpd >= 2);
		for (size_t j = 0; j < fw->nchecks; j++)
			assert_int_not_equal(fw->checks[j].ok, AMT_NO);
		for (size_t j = 0; j < img->nproblems; j++) {
			assert_string_not_equal(img->problems[j].structure, "$CPD");
			assert_string_not_equal(img->problems[j].structure, "CSE extension");
			assert_string_not_equal(img->problems[j].structure, "BPDT");
			assert_string_not_equal(img->problems[j].structure, "CSE layout");
		}
		amt_image_free(img);
		free(d);
	}
	free(tsv);
}

/* lib/image.c fpt_layout(): me_cleaner -t cuts the region after the kept
 * FTPR bytes but keeps the $FPT lengths, so FTPR runs past the end of the
 * input. The $CPD at its start still makes it a CSE (gen 3) layout. */
static void test_truncated_ftpr_still_cse(void **state)
{
	(void)state;
	struct tb_cse_opts o;
	struct tb_cse_info in;
	tb_cse_opts_default(&o);
	struct tb_buf b = tb_cse_region(&o, &in);
	const size_t cuts[] = { in.ftpr + in.ftpr_out.size, in.ftpr + 0x1000, in.ftpr + 4 };
	for (size_t k = 0; k < sizeof(cuts) / sizeof(cuts[0]); k++) {
		size_t n = cuts[k];
		assert_true(n < b.size);
		/* an exact-size copy, so that a read past the end is caught by ASan */
		uint8_t *d = malloc(n);
		assert_non_null(d);
		memcpy(d, b.data, n);
		struct amt_image *img = NULL;
		amt_error e;
		assert_int_equal(amt_image_parse(d, n, NULL, &img, &e), AMT_OK);
		assert_non_null(img);
		assert_true(img->has_fw);
		assert_int_equal(img->fw.layout, AMT_LAYOUT_CSE_FPT);
		assert_int_equal(img->fw.generation, 3);
		const struct amt_partition *p = tu_part(&img->fw, "FTPR");
		assert_non_null(p);
		assert_int_equal(p->offset, in.ftpr);
		assert_true(p->offset + p->size > n);   /* the $FPT length was kept */
		assert_false(p->in_range);
		amt_image_free(img);
		free(d);
	}
	/* cut before the $CPD tag is complete: nothing says CSE any more */
	size_t n = in.ftpr + 3;
	uint8_t *d = malloc(n);
	assert_non_null(d);
	memcpy(d, b.data, n);
	struct amt_image *img = NULL;
	amt_error e;
	assert_int_equal(amt_image_parse(d, n, NULL, &img, &e), AMT_OK);
	assert_int_equal(img->fw.layout, AMT_LAYOUT_GEN2);
	assert_int_equal(img->fw.generation, 2);
	amt_image_free(img);
	free(d);
	tb_free(&b);
}


/* ---- server firmware (SPS Ignition) ------------------------------------------ */

/* The rules were read off Intel's two public Ignition regions
 * (edk2-non-osi c10580a Purley 1.0.2.43, 6bda6bf Whitley 4.2.4.14): FTPR
 * $CPD checksum-8 0xB2 / 0xB1 = the two's complement of the 0x10-byte
 * header alone (MEA computes 0x3F / 0x05 over header + entries and lists
 * the stored values as known bad); MEA ignores their Ext 0x03 partition
 * hash ("CSSPS 1/IGN", "CSSPS 4.2/IGN ... always wrong"). The synthetic
 * regions follow their layout (tests/builder/build_cse.c). */
static void test_sps_ignition_whitley(void **state)
{
	(void)state;
	struct tb_sps_info in;
	struct tb_buf b = tb_sps_region(TB_SPS_WHITLEY_IGN, &in);
	struct amt_image *img = tu_parse_fw(&b);
	const struct amt_fw *fw = &img->fw;
	assert_int_equal(fw->layout, AMT_LAYOUT_CSE_FPT);
	assert_int_equal(fw->family, AMT_FAM_CSSPS);   /* "manuf": MEA get_variant */
	assert_string_equal(amt_family_str(fw->family), "CSSPS");
	assert_int_equal(fw->version.major, 4);
	assert_int_equal(fw->version.minor, 2);
	assert_int_equal(fw->version.build, 14);
	/* FTPR.man does not verify, FTPR2.man does: the firmware's manifest */
	assert_int_equal(fw->nmanifests, 2);
	assert_int_equal(fw->manifests[0].sig, AMT_SIG_INVALID);
	assert_true(fw->ftpr_manifest >= 0);
	const struct amt_manifest *m = &fw->manifests[fw->ftpr_manifest];
	assert_string_equal(m->name, "FTPR2.man");
	assert_int_equal(m->offset, in.ftpr2_man);
	assert_int_equal(m->sig, AMT_SIG_VALID);
	assert_ptr_equal(fw->key, &m->key);
	/* the header-only $CPD checksum is accepted, typed */
	const struct amt_check *c = tu_check(fw, "$CPD FTPR checksum-8");
	assert_non_null(c);
	assert_int_equal(c->kind, AMT_CHECK_CPD);
	assert_int_equal(c->ok, AMT_YES);
	assert_int_equal(c->stored, b.data[in.ftpr + 0x0B]);
	assert_non_null(strstr(c->note, "header alone"));
	/* no check fails; the partition hashes are not checkable */
	unsigned nhash = 0;
	for (size_t i = 0; i < fw->nchecks; i++) {
		assert_int_not_equal(fw->checks[i].ok, AMT_NO);
		if (fw->checks[i].kind == AMT_CHECK_PARTITION_HASH) {
			assert_int_equal(fw->checks[i].ok, AMT_UNKNOWN);
			assert_non_null(strstr(fw->checks[i].note, "SPS 4.2"));
			nhash++;
		}
	}
	assert_int_equal(nhash, 2);
	assert_int_equal(img->nproblems, 0);
	amt_image_free(img);

	/* FTPR2.man broken too: nothing to fall back on */
	tb_corrupt_signature(b.data, b.size, in.ftpr2_man, AMT_MAN_R1, 3);
	img = tu_parse_fw(&b);
	assert_string_equal(img->fw.manifests[img->fw.ftpr_manifest].name, "FTPR.man");
	assert_int_equal(img->fw.manifests[img->fw.ftpr_manifest].sig, AMT_SIG_INVALID);
	amt_image_free(img);

	/* a checksum that fits neither rule stays a mismatch */
	b.data[in.ftpr + 0x0B] ^= 0x40;
	img = tu_parse_fw(&b);
	c = tu_check(&img->fw, "$CPD FTPR checksum-8");
	assert_int_equal(c->ok, AMT_NO);
	amt_image_free(img);
	tb_free(&b);
}

static void test_sps_ignition_purley(void **state)
{
	(void)state;
	struct tb_sps_info in;
	struct tb_buf b = tb_sps_region(TB_SPS_PURLEY_IGN, &in);
	struct amt_image *img = tu_parse_fw(&b);
	const struct amt_fw *fw = &img->fw;
	assert_int_equal(fw->family, AMT_FAM_CSSPS);
	assert_int_equal(fw->version.major, 1);
	assert_int_equal(fw->nmanifests, 1);
	assert_int_equal(fw->manifests[fw->ftpr_manifest].sig, AMT_SIG_VALID);
	const struct amt_check *c = tu_check(fw, "$CPD FTPR checksum-8");
	assert_int_equal(c->ok, AMT_YES);
	for (size_t i = 0; i < fw->nchecks; i++)
		assert_int_not_equal(fw->checks[i].ok, AMT_NO);
	amt_image_free(img);
	tb_free(&b);
}

/* The header-only rule is SPS's: a CSME $CPD that sums over its header
 * alone is still a mismatch. */
static void test_header_only_checksum_not_for_csme(void **state)
{
	(void)state;
	struct tb_cse_opts o;
	struct tb_cse_info in;
	tb_cse_opts_default(&o);
	struct tb_buf b = tb_cse_region(&o, &in);
	uint8_t *cpd = b.data + in.ftpr;
	cpd[0x0B] = 0;
	cpd[0x0B] = (uint8_t)(0x100 - amt_sum8(cpd, 0x10));
	struct amt_image *img = tu_parse_fw(&b);
	assert_int_equal(img->fw.family, AMT_FAM_CSME);
	const struct amt_check *c = tu_check(&img->fw, "$CPD FTPR checksum-8");
	assert_int_equal(c->kind, AMT_CHECK_CPD);
	assert_int_equal(c->ok, AMT_NO);
	amt_image_free(img);
	tb_free(&b);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_region_fields),
		cmocka_unit_test(test_region_amt),
		cmocka_unit_test(test_region_amt_conflict),
		cmocka_unit_test(test_init_r2_removable),
		cmocka_unit_test(test_huffman_and_cpd_r2),
		cmocka_unit_test(test_family_by_major),
		cmocka_unit_test(test_bad_cpd_checksum),
		cmocka_unit_test(test_cpd_truncated_and_magic),
		cmocka_unit_test(test_cpd_count_overflow),
		cmocka_unit_test(test_cpd_offset_outside_and_overlap),
		cmocka_unit_test(test_ext_size_zero_and_past_end),
		cmocka_unit_test(test_module_hash_mismatch),
		cmocka_unit_test(test_truncated_ftpr_still_cse),
		cmocka_unit_test(test_sps_ignition_whitley),
		cmocka_unit_test(test_sps_ignition_purley),
		cmocka_unit_test(test_header_only_checksum_not_for_csme),
		cmocka_unit_test(test_corpus),
	};
	return corpus_split_run(tests, NULL, NULL, argc, argv);
}
