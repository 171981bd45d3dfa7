/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the CLI printing helpers (cli/render/text.c, cli/render/json.c):
 * escaping of names read from images, sizes, the JSON byte mapping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "out.h"

static void test_esc_name(void **state)
{
	(void)state;
	char buf[128];
	const char name[] = "\x01\xff\"odd\\x";
	assert_string_equal(out_esc(name, sizeof(name), OUT_NAME, buf, sizeof(buf)),
			    "\\x01\\xff\"odd\\\\x");
	/* stops at NUL and at n */
	assert_string_equal(out_esc("abc\0def", 7, OUT_NAME, buf, sizeof(buf)), "abc");
	assert_string_equal(out_esc("abcdef", 3, OUT_NAME, buf, sizeof(buf)), "abc");
	/* DEL and every control byte are escaped */
	assert_string_equal(out_esc("\x7f\t\n", 3, OUT_NAME, buf, sizeof(buf)), "\\x7f\\x09\\x0a");
	/* a valid UTF-8 sequence is escaped in a name ... */
	assert_string_equal(out_esc("\xc3\xa9", 2, OUT_NAME, buf, sizeof(buf)), "\\xc3\\xa9");
	/* ... and kept in a message, unless it is a C1 control or malformed */
	assert_string_equal(out_esc("\xc3\xa9", 2, OUT_MSG, buf, sizeof(buf)), "\xc3\xa9");
	assert_string_equal(out_esc("\xc2\x85", 2, OUT_MSG, buf, sizeof(buf)), "\\xc2\\x85");
	assert_string_equal(out_esc("\xe2\x82", 2, OUT_MSG, buf, sizeof(buf)), "\\xe2\\x82");
	assert_string_equal(out_esc("\xed\xa0\x80", 3, OUT_MSG, buf, sizeof(buf)),
			    "\\xed\\xa0\\x80"); /* surrogate */
	assert_string_equal(out_esc("\xe2\x82\xac", 3, OUT_MSG, buf, sizeof(buf)), "\xe2\x82\xac");
}

static void test_esc_truncation(void **state)
{
	(void)state;
	char buf[6];
	/* "\x01" needs 4 bytes: "ab" + "\x01" = 6 > 5 usable: stops before it */
	assert_string_equal(out_esc("ab\x01z", 4, OUT_NAME, buf, sizeof(buf)), "ab");
	assert_string_equal(out_esc("a\x01z", 3, OUT_NAME, buf, sizeof(buf)), "a\\x01");
	char one[1];
	assert_string_equal(out_esc("abc", 3, OUT_NAME, one, sizeof(one)), "");
	/* 4n+1 never truncates */
	char name[17], big[4 * 17 + 1];
	memset(name, 0xFF, 16);
	name[16] = '\0';
	out_esc(name, sizeof(name), OUT_NAME, big, sizeof(big));
	assert_int_equal(strlen(big), 64);
}

static void test_json_bytes(void **state)
{
	(void)state;
	const char name[] = "\x01\xff\"odd";
	json_t *j = out_json_str(name, sizeof(name), OUT_NAME);
	assert_non_null(j);
	/* U+0001 U+00FF '"' 'o' 'd' 'd' as UTF-8 */
	assert_int_equal(json_string_length(j), 7);
	assert_memory_equal(json_string_value(j), "\x01\xc3\xbf\"odd", 7);
	char *dump = json_dumps(j, JSON_ENCODE_ANY | JSON_ENSURE_ASCII);
	assert_string_equal(dump, "\"\\u0001\\u00FF\\\"odd\"");
	free(dump);
	json_decref(j);

	/* a message keeps valid UTF-8 and maps stray bytes */
	j = out_json_str("\xe2\x82\xac \xff", 5, OUT_MSG);
	assert_non_null(j);
	assert_memory_equal(json_string_value(j), "\xe2\x82\xac \xc3\xbf", 6);
	json_decref(j);
	/* the same bytes as a name: every byte mapped on its own */
	j = out_json_str("\xe2\x82\xac", 3, OUT_NAME);
	assert_int_equal(json_string_length(j), 6);
	json_decref(j);

	j = out_json_nstr(NULL, OUT_MSG);
	assert_true(json_is_null(j));
	json_decref(j);
}

static void test_size_hex(void **state)
{
	(void)state;
	char buf[32];
	assert_string_equal(out_size(512, buf, sizeof(buf)), "512 B");
	assert_string_equal(out_size(4096, buf, sizeof(buf)), "4 KiB");
	assert_string_equal(out_size(1536, buf, sizeof(buf)), "1.5 KiB");
	assert_string_equal(out_size(8u << 20, buf, sizeof(buf)), "8 MiB");
	const uint8_t b[3] = { 0x00, 0xab, 0xff };
	char hx[7];
	assert_string_equal(out_hex(b, 3, hx), "00abff");
}

static void test_keys(void **state)
{
	(void)state;
	assert_string_equal(out_kind_key(AMT_KIND_FULL), "full");
	assert_string_equal(out_kind_key(AMT_KIND_UPDATE), "update");
	assert_string_equal(out_layout_key(AMT_LAYOUT_IFWI17), "ifwi17");
	assert_string_equal(out_check_result(AMT_NO), "mismatch");
	assert_string_equal(out_manifest_kind_str(AMT_MAN_R2), "r2");
	assert_string_equal(out_container_str(AMT_CONT_SBPDT), "sbpdt");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_esc_name),
		cmocka_unit_test(test_esc_truncation),
		cmocka_unit_test(test_json_bytes),
		cmocka_unit_test(test_size_hex),
		cmocka_unit_test(test_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
