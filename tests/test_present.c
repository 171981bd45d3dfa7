/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which modules still hold code (amt_module.present, lib/fw/present.c) and
 * whether the firmware is stripped (amt_fw.stripped, lib/fw/strip.c): before
 * and after neutralization on synthetic images of each generation,
 * truncated regions, unreadable LLUTs, and the real corpus (an image
 * cleaned by me_cleaner, the unmodified ones, and neutralized ones).
 */
#include <amtless/neutralize.h>

#include "testutil.h"
#include "corpus.h"
#include "build_cse.h"
#include "build_me.h"
#include "build_neutralize.h"
#include "build_sign.h"
#include "corpus_split.h"

static struct amt_image *parse_buf(const uint8_t *d, size_t n)
{
	struct amt_parse_opts po;
	amt_parse_opts_init(&po);
	struct amt_image *img = NULL;
	amt_error err;
	if (amt_image_parse(d, n, &po, &img, &err) != AMT_OK)
		fail_msg("parse: %s at 0x%llx: %s", err.structure,
			 (unsigned long long)err.offset, err.message);
	assert_true(img->has_fw);
	return img;
}

static amt_tristate present(const struct amt_image *img, const char *part, const char *name)
{
	const struct amt_module *m = tu_mod(&img->fw, part, name);
	if (!m)
		fail_msg("no module %s/%s", part, name);
	return m->present;
}

static uint8_t *neutralize(const uint8_t *d, size_t n, bool compat, size_t *out_n)
{
	struct amt_neutralize_opts o;
	amt_neutralize_opts_init(&o);
	o.policy = compat ? AMT_NEU_ME_CLEANER : AMT_NEU_NATIVE;
	struct amt_plan p;
	uint8_t *out = tu_neutralize_ok(d, n, &o, &p, out_n, NULL);
	amt_plan_release(&p);
	return out;
}

static const char *const gen2_mods[TN_MODS] = { "ROMP", "BUP", "KERNEL", "UPDATE", "POLICY" };

/* ------------------------------------------------------------------ */
/* gen 2: Huffman modules through the LLUT                            */

static void test_gen2_before(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf b = tn_gen2_region(8, &g);
	struct amt_image *img = parse_buf(b.data, b.size);
	for (unsigned i = 0; i < TN_MODS; i++)
		assert_int_equal(present(img, "FTPR", gen2_mods[i]), AMT_YES);
	assert_false(img->fw.stripped);
	amt_image_free(img);
	tb_free(&b);
}

/* The builder's layout (chunk size 4 KiB): ROMP chunks 0-1, BUP 1-2 (+3,
 * me_cleaner's one chunk past it), KERNEL 3-5, POLICY 5. After the
 * default run chunk 3 (shared with BUP) and 0-2 are kept, chunk 4
 * (KERNEL's own) and 5 erased: KERNEL and POLICY are NO. */
static void check_gen2_after(const uint8_t *out, size_t n, const struct tn_gen2 *g)
{
	struct amt_image *img = parse_buf(out, n);
	assert_int_equal(present(img, "FTPR", "ROMP"), AMT_YES);
	assert_int_equal(present(img, "FTPR", "BUP"), AMT_YES);
	assert_int_equal(present(img, "FTPR", "KERNEL"), AMT_NO);
	assert_int_equal(present(img, "FTPR", "POLICY"), AMT_NO);
	assert_int_equal(present(img, "FTPR", "UPDATE"), AMT_NO);
	/* the rule matters: KERNEL's first chunk still holds data */
	assert_false(tu_all_ff(out + g->chunk_off[3], g->chunk_len[3]));
	assert_true(tu_all_ff(out + g->chunk_off[4], g->chunk_len[4]));
	assert_true(img->fw.stripped);
	amt_image_free(img);
}

static void test_gen2_after_compat(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf b = tn_gen2_region(8, &g);
	size_t n;
	uint8_t *out = neutralize(b.data, b.size, true, &n);
	check_gen2_after(out, n, &g);
	free(out);
	tb_free(&b);
}

static void test_gen2_after_native(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf b = tn_gen2_region(8, &g);
	size_t n;
	uint8_t *out = neutralize(b.data, b.size, false, &n);
	check_gen2_after(out, n, &g);
	free(out);
	tb_free(&b);
}

/* Make the synthetic region a 5MB (AMT) ME 8 SKU and re-sign FTPR. */
static void make_corporate(struct tb_buf *b, const struct tn_gen2 *g)
{
	size_t sku = g->man_off + 0x290 + (TN_MODS + 1) * 0x60;
	assert_memory_equal(b->data + sku, "$SKU", 4);
	b->data[sku + 8 + 4] = 0x0A; /* size 10 x 0.5MB */
	tb_sign_manifest(b->data, b->size, g->man_off, AMT_MAN_R0);
}

static void test_gen2_corporate_stripped(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf b = tn_gen2_region(8, &g);
	make_corporate(&b, &g);
	struct amt_image *img = parse_buf(b.data, b.size);
	assert_int_equal(img->fw.amt_present, AMT_YES);
	assert_false(img->fw.stripped);
	assert_false(tu_evidence(&img->fw, "no longer in the image"));
	amt_image_free(img);

	size_t n;
	uint8_t *out = neutralize(b.data, b.size, true, &n);
	img = parse_buf(out, n);
	assert_true(img->fw.stripped);
	assert_int_equal(img->fw.amt_present, AMT_NO);
	assert_true(tu_evidence(&img->fw, "no longer in the image"));
	assert_true(tu_evidence(&img->fw, "ROMP, BUP"));
	assert_string_equal(img->fw.sku, "5MB");     /* the SKU itself is unchanged */
	amt_image_free(img);

	/* an unreadable LLUT (chunk size 0): Huffman modules UNKNOWN, so
	 * nothing is concluded and the evidence says why */
	out[g.llut_off + 0x30] = 0;
	out[g.llut_off + 0x31] = 0;
	img = parse_buf(out, n);
	assert_int_equal(present(img, "FTPR", "KERNEL"), AMT_UNKNOWN);
	assert_int_equal(present(img, "FTPR", "UPDATE"), AMT_NO);
	assert_false(img->fw.stripped);
	assert_int_equal(img->fw.amt_present, AMT_YES);
	assert_true(tu_evidence(&img->fw, "could not be checked"));
	amt_image_free(img);
	free(out);
	tb_free(&b);
}

/* A region cut after the Huffman stream's first chunks: what lies past
 * the end of the input is NO, what is inside YES. */
static void test_gen2_truncated(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf b = tn_gen2_region(8, &g);
	/* chunks 0-3 start before the cut, KERNEL's own chunk 4 and POLICY's
	 * chunk 5 after it, the LZMA module too */
	size_t cut = g.chunk_off[3] + 0x10;
	assert_true(cut < g.chunk_off[4] && cut < g.lzma_off);
	struct amt_image *img = parse_buf(b.data, cut);
	assert_int_equal(present(img, "FTPR", "ROMP"), AMT_YES);
	assert_int_equal(present(img, "FTPR", "BUP"), AMT_YES);
	assert_int_equal(present(img, "FTPR", "KERNEL"), AMT_NO);
	assert_int_equal(present(img, "FTPR", "POLICY"), AMT_NO);
	assert_int_equal(present(img, "FTPR", "UPDATE"), AMT_NO);
	assert_true(img->fw.stripped);
	amt_image_free(img);
	tb_free(&b);
}

/* A chunk shared by every module (the same LLUT offset repeated) and a
 * module with no chunk of its own: judged on the shared chunks. */
static void test_gen2_duplicate_chunks(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf b = tn_gen2_region(8, &g);
	/* KERNEL's own chunk 4 points at chunk 0's data (repeated offset):
	 * KERNEL keeps only shared chunks, judged on them (YES); erasing
	 * the repeated data makes it NO */
	memcpy(b.data + g.llut_off + 0x40 + 4 * 4, b.data + g.llut_off + 0x40, 4);
	struct amt_image *img = parse_buf(b.data, b.size);
	assert_int_equal(present(img, "FTPR", "KERNEL"), AMT_YES);
	amt_image_free(img);
	/* erase KERNEL's chunks 3 and 5 (shared with neighbours): it still
	 * holds chunk 0's bytes through the repeated offset - those chunks
	 * count because it has no chunk of its own */
	memset(b.data + g.chunk_off[3], 0xFF, g.chunk_len[3]);
	memset(b.data + g.chunk_off[5], 0xFF, g.chunk_len[5]);
	img = parse_buf(b.data, b.size);
	assert_int_equal(present(img, "FTPR", "KERNEL"), AMT_YES);
	amt_image_free(img);
	memset(b.data + g.chunk_off[0], 0xFF, g.chunk_len[0]);
	img = parse_buf(b.data, b.size);
	/* chunk 3 now runs up to chunk 5 (no entry points at chunk 4's old
	 * bytes any more), and those bytes still hold data */
	assert_int_equal(present(img, "FTPR", "KERNEL"), AMT_YES);
	amt_image_free(img);
	memset(b.data + g.chunk_off[4], 0xFF, g.chunk_len[4]);
	img = parse_buf(b.data, b.size);
	assert_int_equal(present(img, "FTPR", "KERNEL"), AMT_NO);
	amt_image_free(img);
	tb_free(&b);
}

/* Hostile LLUTs: a chunk outside the partition, a huge chunk count, a
 * load base below the address base. */
static void test_gen2_hostile_llut(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf b = tn_gen2_region(8, &g);
	uint8_t *L = b.data + g.llut_off;

	/* KERNEL's own chunk 4 points past the partition: UNKNOWN (unless
	 * another counted chunk has data - none has) */
	amt_wr32(L + 0x40 + 4 * 4, (uint32_t)(g.nftp_off + 0x100));
	struct amt_image *img = parse_buf(b.data, b.size);
	assert_int_equal(present(img, "FTPR", "KERNEL"), AMT_UNKNOWN);
	assert_int_equal(present(img, "FTPR", "ROMP"), AMT_YES);
	amt_image_free(img);
	amt_wr32(L + 0x40 + 4 * 4, (uint32_t)g.chunk_off[4]);

	/* a chunk count whose table runs past the input: UNKNOWN, no read */
	amt_wr32(L + 4, 0x40000000u);
	img = parse_buf(b.data, b.size);
	for (unsigned i = 0; i < TN_MODS; i++)
		if (strcmp(gen2_mods[i], "UPDATE"))
			assert_int_equal(present(img, "FTPR", gen2_mods[i]), AMT_UNKNOWN);
	amt_image_free(img);
	amt_wr32(L + 4, TN_CHUNKS);

	/* ROMP loaded entirely below the address base: no chunk, UNKNOWN */
	amt_wr32(b.data + g.mod_hdr[0] + 0x34, 0x10000000u + g.addr_base - 0x10000);
	img = parse_buf(b.data, b.size);
	assert_int_equal(present(img, "FTPR", "ROMP"), AMT_UNKNOWN);
	/* BUP starting 1 page below it: judged on the visible chunks */
	amt_image_free(img);
	amt_wr32(b.data + g.mod_hdr[1] + 0x34, 0x10000000u + g.addr_base - 0x1000);
	img = parse_buf(b.data, b.size);
	assert_int_equal(present(img, "FTPR", "BUP"), AMT_YES);
	amt_image_free(img);
	tb_free(&b);
}

/* ------------------------------------------------------------------ */
/* gen 1 and CSE                                                      */

static void test_gen1(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen1(&o);
	struct tb_buf b = tb_build_gen1(&o, &l);
	struct amt_image *img = parse_buf(b.data, b.size);
	assert_true(img->fw.nmodules >= 2);
	for (size_t i = 0; i < img->fw.nmodules; i++)
		assert_int_equal(img->fw.modules[i].present, AMT_YES);
	const char *name0 = l.mod_name[0];
	amt_image_free(img);
	memset(b.data + l.mod_off[0], 0xFF, l.mod_size[0]);
	img = parse_buf(b.data, b.size);
	assert_int_equal(present(img, img->fw.modules[0].partition, name0), AMT_NO);
	assert_int_equal(img->fw.modules[1].present, AMT_YES);
	assert_false(img->fw.stripped);
	amt_image_free(img);
	tb_free(&b);
}

/* Find the $CPD entry named exactly `name`; its offset or 0. */
static size_t cpd_entry(const uint8_t *d, size_t cpd, const char *name)
{
	uint32_t n = amt_rd32(d + cpd + 4);
	size_t hl = d[cpd + 0x0A];
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = d + cpd + hl + (size_t)i * 0x18;
		char nm[13] = "";
		memcpy(nm, e, 12);
		if (!strcmp(nm, name))
			return (size_t)(e - d);
	}
	return 0;
}

static void test_cse(void **state)
{
	(void)state;
	struct tb_cse_opts o;
	struct tb_cse_info info;
	tb_cse_opts_default(&o);
	o.amt = true;
	o.with_nftp = true;
	struct tb_buf b = tb_cse_region(&o, &info);
	struct amt_image *img = parse_buf(b.data, b.size);
	assert_int_equal(img->fw.amt_present, AMT_YES);
	for (size_t i = 0; i < img->fw.nmodules; i++)
		if (img->fw.modules[i].kind == AMT_MOD_MODULE)
			assert_int_equal(img->fw.modules[i].present, AMT_YES);
	assert_false(img->fw.stripped);
	amt_image_free(img);

	/* rename FTPR "syslib" to "ptt" (a module the default neutralization
	 * removes; $CPD entries are not signed) */
	size_t e = cpd_entry(b.data, info.ftpr, "syslib");
	assert_true(e != 0);
	memset(b.data + e, 0, 12);
	memcpy(b.data + e, "ptt", 3);
	tb_cpd_fix(b.data, info.ftpr);
	img = parse_buf(b.data, b.size);
	assert_int_equal(present(img, "FTPR", "ptt"), AMT_YES);
	amt_image_free(img);

	size_t n;
	uint8_t *out = neutralize(b.data, b.size, false, &n);
	img = parse_buf(out, n);
	assert_int_equal(present(img, "FTPR", "ptt"), AMT_NO);
	assert_int_equal(present(img, "FTPR", "kernel"), AMT_YES);
	assert_int_equal(present(img, "FTPR", "bup"), AMT_YES);
	assert_true(img->fw.stripped);
	assert_int_equal(img->fw.amt_present, AMT_NO);
	assert_true(tu_evidence(&img->fw, "no longer in the image"));
	amt_image_free(img);

	/* the region cut right after the FTPR directory: every entry's
	 * bytes lie past the end (NO), nothing UNKNOWN */
	img = parse_buf(b.data, info.ftpr + 0x200);
	size_t nmod = 0;
	for (size_t i = 0; i < img->fw.nmodules; i++) {
		const struct amt_module *m = &img->fw.modules[i];
		if (strcmp(m->partition, "FTPR") || m->kind != AMT_MOD_MODULE)
			continue;
		nmod++;
		assert_int_equal(m->present, AMT_NO);
	}
	assert_true(nmod >= 3);
	amt_image_free(img);
	free(out);
	tb_free(&b);
}

/* ------------------------------------------------------------------ */
/* Real images                                                        */

#define NEED_CORPUS()                                                             \
	do {                                                                      \
		if (!corpus_dir()) {                                              \
			print_message("skipped: AMTLESS_CORPUS is not set\n");    \
			skip();                                                   \
		}                                                                 \
	} while (0)

static const char cleaned[] = "g2_me8.1.40.1416_ALREADY-CLEANED_x230_skollrc.bin";

static void test_corpus_cleaned(void **state)
{
	(void)state;
	NEED_CORPUS();
	size_t n;
	uint8_t *d = tu_corpus_image(cleaned, &n);
	struct amt_image *img = parse_buf(d, n);
	assert_string_equal(img->fw.sku, "5MB");
	assert_true(img->fw.stripped);
	assert_int_equal(img->fw.amt_present, AMT_NO);
	assert_int_equal(present(img, "FTPR", "ROMP"), AMT_YES);
	assert_int_equal(present(img, "FTPR", "BUP"), AMT_YES);
	/* KERNEL keeps 244 bytes behind repeated LLUT offsets (me_cleaner
	 * never erases those): still NO */
	assert_int_equal(present(img, "FTPR", "KERNEL"), AMT_NO);
	size_t yes = 0;
	for (size_t i = 0; i < img->fw.nmodules; i++)
		yes += img->fw.modules[i].present == AMT_YES;
	assert_int_equal(yes, 2);
	amt_image_free(img);
	free(d);
}

/* Every other image as published: not stripped, and no entry NO unless
 * it stores nothing or its verified hash covers 0xFF bytes (ME 11
 * "fptemp", a scratch area shipped erased). */
static void test_corpus_unmodified(void **state)
{
	(void)state;
	NEED_CORPUS();
	struct corpus_row *rows = NULL;
	int nr = corpus_rows(&rows);
	assert_true(nr > 0);
	unsigned checked = 0;
	for (int r = 0; r < nr; r++) {
		const char *f = rows[r].file;
		if (strncmp(f, "images/", 7) || strstr(f, "ALREADY-CLEANED"))
			continue;
		size_t n;
		uint8_t *d = tu_corpus_read(f, &n);
		struct amt_parse_opts po;
		amt_parse_opts_init(&po);
		po.verify_signatures = false;
		struct amt_image *img = NULL;
		amt_error err;
		if (amt_image_parse(d, n, &po, &img, &err) != AMT_OK || !img->has_fw) {
			amt_image_free(img);
			free(d);
			continue;
		}
		checked++;
		if (img->fw.stripped)
			fail_msg("%s: reported stripped", f);
		for (size_t i = 0; i < img->fw.nmodules; i++) {
			const struct amt_module *m = &img->fw.modules[i];
			if (m->present == AMT_NO && m->size && m->hash_ok != AMT_YES)
				fail_msg("%s: %s/%s reported erased", f, m->partition, m->name);
		}
		amt_image_free(img);
		free(d);
	}
	print_message("%u unmodified images checked\n", checked);
	assert_true(checked >= 20);
	free(rows);
}

static void neutralized_corpus(const char *name, amt_tristate amt_before)
{
	size_t n;
	uint8_t *d = tu_corpus_image(name, &n);
	struct amt_image *img = parse_buf(d, n);
	assert_int_equal(img->fw.amt_present, amt_before);
	assert_false(img->fw.stripped);
	amt_image_free(img);
	size_t on;
	uint8_t *out = neutralize(d, n, false, &on);
	img = parse_buf(out, on);
	if (!img->fw.stripped || img->fw.amt_present != AMT_NO)
		fail_msg("%s neutralized: stripped %d, AMT %s", name, img->fw.stripped,
			 amt_tristate_str(img->fw.amt_present));
	size_t boot = 0;
	for (size_t i = 0; i < img->fw.nmodules; i++) {
		const struct amt_module *m = &img->fw.modules[i];
		if (m->kind != AMT_MOD_MODULE)
			continue;
		if (amt_fw_boot_module(&img->fw, m)) {
			boot++;
			assert_int_equal(m->present, AMT_YES);
		} else {
			assert_int_equal(m->present, AMT_NO);
		}
	}
	assert_true(boot >= 1);
	amt_image_free(img);
	free(out);
	free(d);
}

static void test_corpus_neutralized(void **state)
{
	(void)state;
	NEED_CORPUS();
	neutralized_corpus("g2_me6.0.30.1203_5MB-DT_rgn.bin", AMT_YES);
	neutralized_corpus("DERIVED-full_me8.0.20.1513_link.bin", AMT_NO);
	neutralized_corpus("DERIVED-full_me11.8.82.3838_x210.bin", AMT_NO);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gen2_before),
		cmocka_unit_test(test_gen2_after_compat),
		cmocka_unit_test(test_gen2_after_native),
		cmocka_unit_test(test_gen2_corporate_stripped),
		cmocka_unit_test(test_gen2_truncated),
		cmocka_unit_test(test_gen2_duplicate_chunks),
		cmocka_unit_test(test_gen2_hostile_llut),
		cmocka_unit_test(test_gen1),
		cmocka_unit_test(test_cse),
		cmocka_unit_test(test_corpus_cleaned),
		cmocka_unit_test(test_corpus_unmodified),
		cmocka_unit_test(test_corpus_neutralized),
	};
	return corpus_split_run(tests, NULL, NULL, argc, argv);
}
