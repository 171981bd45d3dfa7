/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Generation 1 (ME 2-5) parser (lib/gen1.c) and the $MAN manifest. */

#include <openssl/evp.h>

#include "testutil.h"
#include "build_me.h"
#include "build_sign.h"

static void test_fields(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen1(&o);
	struct tb_buf b = tb_build_gen1(&o, &l);
	tb_sign_manifest(b.data, b.size, l.man_off, AMT_MAN_GEN1);
	struct amt_image *img = tu_parse(&b);
	const struct amt_fw *fw = &img->fw;

	assert_true(img->has_fw);
	assert_int_equal(fw->layout, AMT_LAYOUT_GEN1);
	assert_int_equal(fw->generation, 1);
	assert_int_equal(fw->family, AMT_FAM_ME);
	assert_true(fw->version_known);
	assert_int_equal(fw->version.major, 4);
	assert_int_equal(fw->version.minor, 2);
	assert_int_equal(fw->version.hotfix, 21);
	assert_int_equal(fw->version.build, 1037);

	assert_true(fw->ftpr_manifest >= 0);
	const struct amt_manifest *m = &fw->manifests[fw->ftpr_manifest];
	assert_ptr_equal(fw->key, &m->key);
	assert_string_equal(m->partition, "CODE");
	assert_int_equal(m->kind, AMT_MAN_GEN1);
	assert_int_equal(m->offset, l.man_off);
	assert_int_equal(m->header_len, 0x284);
	assert_int_equal(m->size, l.man_size);
	assert_int_equal(m->header_version, 0x10000);
	assert_int_equal(m->vendor, 0x8086);
	assert_int_equal(m->date, 0x20240131);
	assert_int_equal(m->module_count, 3);
	assert_int_equal(m->svn, 3);
	assert_int_equal(m->key_bytes, 256);
	assert_int_equal(m->modulus_offset, l.man_off + 0x80);
	assert_int_equal(m->exponent_offset, l.man_off + 0x180);
	assert_int_equal(m->signature_offset, l.man_off + 0x184);
	assert_true(m->key.present);
	assert_int_equal(m->key.modulus_bits, 2048);
	assert_int_equal(m->key.exponent, 0x10001);
	uint8_t md5[16], sha[32], be[256];
	unsigned int ol;
	assert_int_equal(EVP_Digest(b.data + l.man_off + 0x80, 0x104, md5, &ol, EVP_md5(), NULL), 1);
	assert_memory_equal(m->key.me_cleaner_md5, md5, 16);
	for (int i = 0; i < 256; i++)
		be[i] = b.data[l.man_off + 0x80 + 255 - i];
	assert_int_equal(EVP_Digest(be, 256, sha, &ol, EVP_sha256(), NULL), 1);
	assert_memory_equal(m->key.modulus_sha256, sha, 32);
	assert_int_equal(m->sig, AMT_SIG_VALID);

	/* partition and modules */
	const struct amt_partition *code = NULL;
	for (size_t i = 0; i < fw->npartitions; i++)
		if (!strcmp(fw->partitions[i].name, "CODE"))
			code = &fw->partitions[i];
	assert_non_null(code);
	assert_int_equal(code->manifest, fw->ftpr_manifest);
	assert_int_equal(code->nmodules, 3);
	for (unsigned i = 0; i < 3; i++) {
		const struct amt_module *mod = &fw->modules[code->first_module + i];
		assert_string_equal(mod->name, l.mod_name[i]);
		assert_string_equal(mod->partition, "CODE");
		assert_int_equal(mod->header_offset, l.mme_off + i * 0x50);
		assert_int_equal(mod->offset, l.mod_off[i]);
		assert_int_equal(mod->size, l.mod_size[i]);
		assert_true(mod->in_range);
		assert_int_equal(mod->hash_ok, AMT_YES);
	}

	assert_true(fw->sku_known);
	assert_string_equal(fw->sku, "AMT");
	assert_int_equal(fw->sku_raw, 0x8C000000u);
	assert_int_equal(fw->amt_present, AMT_YES);
	assert_true(tu_evidence(fw, "0x8C000000"));
	assert_int_equal(img->nproblems, 0);
	amt_image_free(img);
	tb_free(&b);
}

static void test_sku_values(void **state)
{
	(void)state;
	static const struct {
		unsigned major;
		uint32_t v;
		amt_tristate amt;
	} t[] = {
		{ 2, 0x00000000, AMT_YES }, { 2, 0x02000000, AMT_NO },
		{ 3, 0x0E000000, AMT_YES }, { 3, 0x06000000, AMT_NO },
		{ 4, 0xAC200000, AMT_YES }, { 4, 0xA0200000, AMT_NO },
		{ 5, 0x3E080000, AMT_YES }, { 5, 0x060D0000, AMT_NO },
		{ 5, 0x06080000, AMT_NO },  { 5, 0x12345678, AMT_UNKNOWN },
		{ 4, 0x3E080000, AMT_UNKNOWN }, /* an ME 5 value on ME 4 */
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct tb_me_opts o;
		struct tb_me_layout l;
		tb_me_opts_gen1(&o);
		o.major = t[i].major;
		o.sku[0] = (uint8_t)(t[i].v >> 24);
		o.sku[1] = (uint8_t)(t[i].v >> 16);
		o.sku[2] = (uint8_t)(t[i].v >> 8);
		o.sku[3] = (uint8_t)t[i].v;
		struct tb_buf b = tb_build_gen1(&o, &l);
		struct amt_image *img = tu_parse(&b);
		assert_int_equal(img->fw.amt_present, t[i].amt);
		assert_int_equal(img->fw.sku_raw, t[i].v);
		char hex[16];
		snprintf(hex, sizeof(hex), "0x%08X", t[i].v);
		assert_true(tu_evidence(&img->fw, hex));
		assert_int_equal(img->fw.sku_known, t[i].amt != AMT_UNKNOWN);
		amt_image_free(img);
		tb_free(&b);
	}
}

static void test_no_sku(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen1(&o);
	o.no_sku = true;
	struct tb_buf b = tb_build_gen1(&o, &l);
	struct amt_image *img = tu_parse(&b);
	assert_int_equal(img->fw.amt_present, AMT_UNKNOWN);
	assert_false(img->fw.sku_known);
	assert_true(tu_evidence(&img->fw, "no $SKU"));
	assert_true(img->fw.version_known);
	amt_image_free(img);
	tb_free(&b);
}

static void test_fpt_at0(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen1(&o);
	o.fpt_at0 = true;
	o.major = 2;
	o.minor = 6;
	struct tb_buf b = tb_build_gen1(&o, &l);
	struct amt_image *img = tu_parse(&b);
	assert_int_equal(img->fw.layout, AMT_LAYOUT_GEN1);
	assert_int_equal(img->fw.version.major, 2);
	assert_int_equal(img->fw.version.minor, 6);
	assert_int_equal(img->fw.fpt.offset, 0);
	amt_image_free(img);
	tb_free(&b);
}

/* $MME count past the manifest end: capped, problem recorded. */
static void test_count_past_manifest(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen1(&o);
	struct tb_buf b = tb_build_gen1(&o, &l);
	amt_wr32(b.data + l.man_off + 0x20, 0xFFFFFFFFu);
	struct amt_image *img = tu_parse(&b);
	assert_true(tu_problem(img, AMT_E_RANGE, NULL));
	assert_true(img->fw.nmodules <= 3);
	assert_int_equal(img->fw.manifests[0].module_count, 0xFFFFFFFFu);
	amt_image_free(img);
	tb_free(&b);
}

static void test_bad_mme_and_mod(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen1(&o);
	struct tb_buf b = tb_build_gen1(&o, &l);
	b.data[l.mod_off[2] + 0x60] ^= 0x20; /* data of module 2: SHA-1 mismatch */
	b.data[l.mod_off[1]] = 'X'; /* $MOD of module 1 */
	struct amt_image *img = tu_parse(&b);
	assert_int_equal(img->fw.modules[0].hash_ok, AMT_YES);
	assert_int_equal(img->fw.modules[1].hash_ok, AMT_UNKNOWN);
	assert_int_equal(img->fw.modules[2].hash_ok, AMT_NO);
	assert_int_equal(img->fw.nmodules, 3);
	assert_true(img->fw.modules[0].in_range);
	assert_false(img->fw.modules[1].in_range);
	assert_true(tu_problem(img, AMT_E_RANGE, NULL));
	amt_image_free(img);

	b.data[l.mme_off + 0x50] = 'X'; /* second $MME header */
	img = tu_parse(&b);
	assert_int_equal(img->fw.nmodules, 1);
	assert_true(tu_problem(img, AMT_E_BADMAGIC, NULL));
	amt_image_free(img);
	tb_free(&b);
}

/* Truncation at every structure: the parse never fails on a bad
 * manifest, it records a problem. */
static void test_truncated(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen1(&o);
	struct tb_buf b = tb_build_gen1(&o, &l);
	/* CODE runs to the region end: cut the input inside the manifest,
	 * the module table, the $SKU and the module data */
	size_t cuts[] = { l.man_off + 0x10, l.man_off + 0x200, l.man_off + 0x283,
			  l.mme_off + 0x30, l.sku_off + 6, l.mod_off[0] + 4, l.mod_off[2] + 8 };
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		struct amt_image *img = NULL;
		amt_error e;
		amt_status st = amt_image_parse(b.data, cuts[i], NULL, &img, &e);
		assert_int_equal(st, AMT_OK);
		assert_true(img->has_fw);
		if (cuts[i] < l.man_off + 0x284) {
			assert_false(img->fw.version_known);
			assert_true(tu_problem(img, AMT_E_TRUNCATED, NULL));
		} else {
			assert_true(img->fw.version_known);
			assert_true(img->nproblems > 0);
		}
		amt_image_free(img);
	}
	/* manifest tag broken */
	memcpy(b.data + l.man_off + 0x1C, "$MAX", 4);
	struct amt_image *img = tu_parse(&b);
	assert_false(img->fw.version_known);
	assert_true(tu_problem(img, AMT_E_BADMAGIC, NULL));
	assert_int_equal(img->fw.ftpr_manifest, -1);
	amt_image_free(img);
	tb_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_sku_values),
		cmocka_unit_test(test_no_sku),
		cmocka_unit_test(test_fpt_at0),
		cmocka_unit_test(test_count_past_manifest),
		cmocka_unit_test(test_bad_mme_and_mod),
		cmocka_unit_test(test_truncated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
