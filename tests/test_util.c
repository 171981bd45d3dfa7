/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Byte helpers, model growth, error formatting, kind detection basics. */
#include "testutil.h"

static void test_reads(void **state)
{
	const uint8_t b[8] = { 0x5a, 0xa5, 0xf0, 0x0f, 1, 2, 3, 4 };
	assert_int_equal(amt_rd32(b), 0x0FF0A55A);
	assert_int_equal(amt_rd16(b + 4), 0x0201);
	assert_int_equal(amt_rd32be(b + 4), 0x01020304);
	assert_true(amt_rd64(b) == 0x040302010FF0A55Aull);
}

static void test_in_bounds(void **state)
{
	assert_true(amt_in(16, 0, 16));
	assert_true(amt_in(16, 16, 0));
	assert_false(amt_in(16, 17, 0));
	assert_false(amt_in(16, 8, 9));
	assert_false(amt_in(16, UINT64_MAX, 2)); /* no wrap-around */
	assert_false(amt_in(16, 1, UINT64_MAX));
}

static void test_sum_crc(void **state)
{
	const uint8_t b[] = "123456789";
	assert_int_equal(amt_crc32(b, 9), 0xCBF43926u); /* CRC-32 check value */
	assert_int_equal(amt_sum8(b, 9), (uint8_t)(0x31 + 0x32 + 0x33 + 0x34 + 0x35 + 0x36 + 0x37 + 0x38 + 0x39));
}

static void test_grow_many(void **state)
{
	struct amt_fw fw;
	memset(&fw, 0, sizeof(fw));
	for (int i = 0; i < 1000; i++) {
		struct amt_module *m = amt_fw_add_module(&fw);
		assert_non_null(m);
		m->size = (uint32_t)i;
	}
	assert_int_equal(fw.nmodules, 1000);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(fw.modules[i].size, (uint32_t)i);
	assert_int_equal(amt_fw_add_evidence(&fw, "bit %d", 2), AMT_OK);
	assert_string_equal(fw.amt_evidence[0].text, "bit 2");
	amt_fw_release(&fw);
}

static void test_error_format(void **state)
{
	amt_error e;
	amt_error_clear(&e);
	assert_int_equal(e.offset, AMT_NO_OFFSET);
	assert_int_equal(amt_error_set(&e, AMT_E_RANGE, "$FPT", 0x30, "entry %d past end", 3), AMT_E_RANGE);
	assert_string_equal(e.structure, "$FPT");
	assert_int_equal(e.offset, 0x30);
	assert_string_equal(e.message, "entry 3 past end");
}

static void test_empty_and_unknown(void **state)
{
	struct amt_image *img = (struct amt_image *)1;
	amt_error e;
	assert_int_equal(amt_image_parse(NULL, 0, NULL, &img, &e), AMT_E_UNKNOWN);
	assert_null(img);
	struct tb_buf b = tb_alloc(4096, 0x00);
	assert_int_equal(amt_image_parse(b.data, b.size, NULL, &img, &e), AMT_E_UNKNOWN);
	assert_null(img);
	assert_non_null(strstr(e.message, "looked for"));
	tb_free(&b);
}

/* Size-versioned options: a struct shorter than the first version, or not
 * set up, is refused; a program's longer struct (newer than the library)
 * is read up to what the library knows. */
static void test_options_versions(void **state)
{
	static const uint8_t one[16] = { 0 };
	struct amt_image *img = NULL;
	amt_error e;
	struct amt_parse_opts po;
	amt_parse_opts_init(&po);
	assert_int_equal(po.struct_size, sizeof(po));
	po.struct_size = 0;
	assert_int_equal(amt_image_parse(one, sizeof(one), &po, &img, &e), AMT_E_ARG);
	assert_null(img);
	po.struct_size = offsetof(struct amt_parse_opts, hap_override);
	assert_int_equal(amt_image_parse(one, sizeof(one), &po, &img, &e), AMT_E_ARG);
	/* a newer program: more fields after ours */
	struct {
		struct amt_parse_opts v1;
		uint64_t later[4];
	} big;
	memset(&big, 0xAB, sizeof(big));
	amt_parse_opts_init(&big.v1);
	big.v1.struct_size = sizeof(big);
	assert_int_not_equal(amt_image_parse(one, sizeof(one), &big.v1, &img, &e), AMT_E_ARG);
	amt_image_free(img);

	struct amt_neutralize_opts no;
	struct amt_neutralization *res = NULL;
	amt_neutralize_opts_init(&no);
	no.struct_size = sizeof(size_t);
	assert_int_equal(amt_neutralize(one, sizeof(one), &no, &res, &e), AMT_E_ARG);
	assert_null(res);
	assert_int_equal(amt_neutralize(one, sizeof(one), NULL, &res, &e), AMT_E_ARG);

	struct amt_verify_opts vo;
	struct amt_report *rep = NULL;
	amt_verify_opts_init(&vo);
	vo.struct_size = 1;
	assert_int_equal(amt_verify(one, sizeof(one), &vo, &rep, &e), AMT_E_ARG);
	assert_null(rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads),
		cmocka_unit_test(test_in_bounds),
		cmocka_unit_test(test_sum_crc),
		cmocka_unit_test(test_grow_many),
		cmocka_unit_test(test_error_format),
		cmocka_unit_test(test_empty_and_unknown),
		cmocka_unit_test(test_options_versions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
