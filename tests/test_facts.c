/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The facts lib/fw/facts.c and the generation parsers conclude, one rule
 * at a time, on builder-made images: VCN where each generation keeps it,
 * release, stock / extracted / update, TXE 1.x product sizes, the CSME 11
 * platform from the FTPR kernel, Intel's layout overlaps as facts (and
 * inspect and verify agreeing on them), SKU bytes as stored. The expected
 * values are the bytes the tests write (or MEA.py's rules quoted in
 * lib/fw/facts.c), not the code's output.
 */
#include "testutil.h"
#include "build_cse.h"
#include "build_huff.h"
#include "build_me.h"
#include "build_sign.h"

#include <amtless/verify.h>

/* ---- generation 2 ---------------------------------------------------- */

static struct tb_buf gen2(unsigned major, unsigned minor, unsigned stride, struct tb_me_layout *l)
{
	struct tb_me_opts o;
	tb_me_opts_gen2(&o);
	o.major = major;
	o.minor = minor;
	if (stride) {
		o.stride = stride;
		o.huffman = false;
	}
	return tb_build_gen2(&o, l);
}

static void test_vcn_gen2(void **state)
{
	(void)state;
	static const struct {
		unsigned major, stride;
		bool has_vcn;   /* MEA: R0 +0x34 is a VCN on ME 8-10 and TXE */
	} t[] = {
		{ 6, 0, false }, { 7, 0, false }, { 8, 0, true }, { 9, 0, true }, { 10, 0, true },
		{ 1, 0x80, true }, { 2, 0x80, true },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct tb_me_layout l;
		struct tb_buf b = gen2(t[i].major, 1, t[i].stride, &l);
		amt_wr32(b.data + l.man_off + 0x34, 13 + (uint32_t)i);
		tb_sign_manifest(b.data, b.size, l.man_off, AMT_MAN_R0);
		struct amt_image *img = tu_parse(&b);
		const struct amt_fw *fw = &img->fw;
		if (fw->vcn_known != t[i].has_vcn)
			fail_msg("case %zu (major %u): vcn_known %d", i, t[i].major, fw->vcn_known);
		if (t[i].has_vcn) {
			assert_int_equal(fw->vcn, 13 + i);
			assert_int_equal(fw->manifests[fw->ftpr_manifest].vcn_offset, l.man_off + 0x34);
		} else {
			assert_int_equal(fw->vcn, 0);
			assert_false(fw->manifests[fw->ftpr_manifest].vcn_known);
		}
		amt_image_free(img);
		tb_free(&b);
	}
}

static void test_txe_sizes(void **state)
{
	(void)state;
	/* MEA.py TXE SKU: $SKU+8 byte 4 bits 3:0 in 0.5 MB units */
	static const struct {
		unsigned major, minor, size;
		const char *sku;   /* NULL: not named */
	} t[] = {
		{ 1, 1, 3, "1.375MB" }, { 1, 1, 4, "1.375MB" }, { 1, 0, 3, "1.25MB" },
		{ 1, 1, 2, "1MB N/W" }, { 1, 1, 5, "3MB" }, { 1, 1, 6, "3MB" }, { 2, 0, 3, "1.375MB" },
		{ 1, 1, 7, NULL }, { 2, 0, 4, NULL },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct tb_me_opts o;
		struct tb_me_layout l;
		tb_me_opts_gen2(&o);
		o.major = t[i].major;
		o.minor = t[i].minor;
		o.stride = 0x80;
		o.huffman = false;
		o.sku_words = 4;
		static const uint8_t base[8] = { 0x67, 0x5C, 0xFF, 0x0D, 0x00, 0x43, 0, 0 };
		memcpy(o.sku, base, 8);
		o.sku[4] = (uint8_t)t[i].size;
		struct tb_buf b = tb_build_gen2(&o, &l);
		struct amt_image *img = tu_parse(&b);
		const struct amt_fw *fw = &img->fw;
		assert_int_equal(fw->family, AMT_FAM_TXE);
		assert_int_equal(fw->sku_known, t[i].sku != NULL);
		if (t[i].sku)
			assert_string_equal(fw->sku, t[i].sku);
		/* the SKU field as stored, byte for byte */
		assert_int_equal(fw->sku_nbytes, 8);
		assert_int_equal(fw->sku_offset, l.sku_off + 8);
		assert_memory_equal(fw->sku_bytes, o.sku, 8);
		assert_int_equal(fw->amt_present, AMT_NO);
		amt_image_free(img);
		tb_free(&b);
	}
}

static void rename_entry(uint8_t *r, size_t fpt, const char *from, const char *to)
{
	unsigned n = amt_rd32(r + fpt + 4);
	for (unsigned i = 0; i < n; i++) {
		uint8_t *e = r + fpt + 0x20 + i * 0x20;
		if (!memcmp(e, from, 4)) {
			memcpy(e, to, 4);
			return;
		}
	}
	fail_msg("no $FPT entry %s", from);
}

static void test_release(void **state)
{
	(void)state;
	struct tb_me_layout l;
	struct tb_buf b = gen2(8, 1, 0, &l);
	tb_sign_manifest(b.data, b.size, l.man_off, AMT_MAN_R0);
	struct amt_image *img = tu_parse(&b);
	assert_int_equal(img->fw.release, AMT_REL_PRODUCTION);
	assert_int_equal(img->fw.release_why, 0);
	amt_image_free(img);

	/* flags bit 31: debug-signed => Pre-Production (MEA.py) */
	amt_wr32(b.data + l.man_off + 0x0C, amt_rd32(b.data + l.man_off + 0x0C) | 0x80000000u);
	tb_sign_manifest(b.data, b.size, l.man_off, AMT_MAN_R0);
	img = tu_parse(&b);
	assert_int_equal(img->fw.release, AMT_REL_PREPRODUCTION);
	assert_int_equal(img->fw.release_why, AMT_RELWHY_DEBUG_FLAG);
	assert_string_equal(amt_release_str(img->fw.release), "Pre-Production");
	amt_image_free(img);

	/* a ROMB partition with data => ROM-Bypass */
	rename_entry(b.data, l.fpt_off, "NFTP", "ROMB");
	tb_fpt_fix_checksum(b.data, l.fpt_off);
	img = tu_parse(&b);
	assert_int_equal(img->fw.release, AMT_REL_ROM_BYPASS);
	assert_true(img->fw.release_why & AMT_RELWHY_ROMB);
	amt_image_free(img);
	tb_free(&b);
}

static void test_image_type(void **state)
{
	(void)state;
	struct tb_me_layout l;
	struct tb_buf b = gen2(8, 1, 0, &l);
	uint8_t *h = b.data + l.fpt_off;
	/* the builder's $FPT names FIT x.x.30.1234: built with FIT */
	struct amt_image *img = tu_parse(&b);
	assert_int_equal(img->fw.fw_type, AMT_FWT_EXTRACTED);
	assert_int_equal(img->fw.fw_type_rule, AMT_FWTR_FIT_VERSION);
	amt_image_free(img);

	/* FIT build 0 but FOVD (at 0x400, zeroed) holds data: extracted */
	amt_wr16(h + 0x1E, 0);
	tb_fpt_fix_checksum(b.data, l.fpt_off);
	img = tu_parse(&b);
	assert_int_equal(img->fw.fw_type, AMT_FWT_EXTRACTED);
	assert_int_equal(img->fw.fw_type_rule, AMT_FWTR_FOVD);
	amt_image_free(img);

	/* FOVD erased: Intel's stock region */
	memset(b.data + 0x400, 0xFF, 0xC00);
	img = tu_parse(&b);
	assert_int_equal(img->fw.fw_type, AMT_FWT_STOCK);
	assert_int_equal(img->fw.fw_type_rule, AMT_FWTR_CLEAN_FPT);
	amt_image_free(img);

	/* FIT build 0xFFFF is clean too */
	amt_wr16(h + 0x1E, 0xFFFF);
	tb_fpt_fix_checksum(b.data, l.fpt_off);
	img = tu_parse(&b);
	assert_int_equal(img->fw.fw_type, AMT_FWT_STOCK);
	amt_image_free(img);

	/* only FTPR, NFTP and FTUP hold data: an update image */
	memset(b.data + 0x400, 0, 0xC00);
	rename_entry(b.data, l.fpt_off, "FOVD", "FTUP");
	tb_fpt_fix_checksum(b.data, l.fpt_off);
	img = tu_parse(&b);
	assert_int_equal(img->fw.fw_type, AMT_FWT_UPDATE);
	assert_int_equal(img->fw.fw_type_rule, AMT_FWTR_UPDATE_PARTITIONS);
	amt_image_free(img);

	/* ME 6-7: no FITC record ("KRND\0") and FOVD clean: stock; with one: extracted */
	struct tb_me_layout l7;
	struct tb_buf c = gen2(7, 1, 0, &l7);
	memset(c.data + 0x400, 0xFF, 0xC00);
	img = tu_parse(&c);
	assert_int_equal(img->fw.fw_type, AMT_FWT_STOCK);
	assert_int_equal(img->fw.fw_type_rule, AMT_FWTR_NO_KRND);
	amt_image_free(img);
	memcpy(c.data + c.size - 0x100, "KRND", 5);
	img = tu_parse(&c);
	assert_int_equal(img->fw.fw_type, AMT_FWT_EXTRACTED);
	assert_int_equal(img->fw.fw_type_rule, AMT_FWTR_KRND);
	amt_image_free(img);
	tb_free(&c);
	tb_free(&b);
}

/* ---- CSE ------------------------------------------------------------- */

/* Offset of the first extension `tag` of the manifest at man, or 0. */
static size_t find_ext(const uint8_t *d, size_t man, uint32_t tag)
{
	size_t o = man + amt_rd32(d + man + 4) * 4, end = man + amt_rd32(d + man + 0x18) * 4;
	while (o + 8 <= end) {
		uint32_t t = amt_rd32(d + o), s = amt_rd32(d + o + 4);
		if (t == tag)
			return o;
		if (s < 8)
			break;
		o += s;
	}
	return 0;
}

static void test_vcn_cse(void **state)
{
	(void)state;
	struct tb_cse_opts co;
	struct tb_cse_info ci;
	tb_cse_opts_default(&co);
	co.with_nftp = true;
	struct tb_buf b = tb_cse_region(&co, &ci);
	size_t man = ci.ftpr_out.man;
	size_t e03 = find_ext(b.data, man, 0x03), e0f = find_ext(b.data, man, 0x0F);
	assert_true(e03 && e0f);
	/* Ext 0x03 (R1: VCN at +0x30) is preferred over 0x0F (+0x0C) (MEA) */
	amt_wr32(b.data + e03 + 0x30, 290);
	amt_wr32(b.data + e0f + 0x0C, 77);
	tb_sign_manifest(b.data, b.size, man, AMT_MAN_R1);
	struct amt_image *img = tu_parse(&b);
	assert_true(img->fw.vcn_known);
	assert_int_equal(img->fw.vcn, 290);
	assert_int_equal(img->fw.manifests[img->fw.ftpr_manifest].vcn_offset, e03 + 0x30);
	amt_image_free(img);

	/* without 0x03: 0x0F's */
	amt_wr32(b.data + e03, 0x7E);
	tb_sign_manifest(b.data, b.size, man, AMT_MAN_R1);
	img = tu_parse(&b);
	assert_true(img->fw.vcn_known);
	assert_int_equal(img->fw.vcn, 77);
	amt_image_free(img);

	/* neither: no VCN, never 0 */
	amt_wr32(b.data + e0f, 0x7F);
	tb_sign_manifest(b.data, b.size, man, AMT_MAN_R1);
	img = tu_parse(&b);
	assert_false(img->fw.vcn_known);
	assert_false(img->fw.manifests[img->fw.ftpr_manifest].vcn_known);
	amt_image_free(img);
	tb_free(&b);
}

static void add_fpt_entry(uint8_t *r, size_t fpt, const char *name, uint32_t off, uint32_t size)
{
	unsigned n = amt_rd32(r + fpt + 4);
	uint8_t *e = r + fpt + 0x20 + n * 0x20;
	memset(e, 0, 0x20);
	memcpy(e, name, 4);
	memset(e + 4, 0xFF, 4);
	amt_wr32(e + 8, off);
	amt_wr32(e + 0x0C, size);
	amt_wr32(r + fpt + 4, n + 1);
	tb_fpt_fix(r, fpt);
}

static void test_layout_overlaps(void **state)
{
	(void)state;
	struct tb_cse_opts co;
	struct tb_cse_info ci;
	tb_cse_opts_default(&co);
	co.with_nftp = true;
	struct tb_buf b = tb_cse_region(&co, &ci);
	/* Intel's layout: FTUP = NFTP; DLMP over the end of FTPR and the start
	 * of NFTP (so of FTUP too). Not Intel's: IVBP over the start of MFS. */
	add_fpt_entry(b.data, ci.fpt, "FTUP", 0x21000, 0x20000);
	add_fpt_entry(b.data, ci.fpt, "DLMP", 0x20000, 0x2000);
	add_fpt_entry(b.data, ci.fpt, "IVBP", 0x4F000, 0x2000);
	struct amt_image *img = tu_parse(&b);
	const struct amt_fw *fw = &img->fw;
	assert_int_equal(fw->nlayout_overlaps, 4);
	unsigned ftup = 0, dlmp = 0;
	for (size_t i = 0; i < fw->nlayout_overlaps; i++) {
		const struct amt_layout_overlap *o = &fw->layout_overlaps[i];
		ftup += o->why == AMT_OVL_FTUP;
		dlmp += o->why == AMT_OVL_DLMP;
		if (o->why == AMT_OVL_FTUP) {
			assert_int_equal(o->start, 0x21000);
			assert_int_equal(o->end, 0x41000);
		}
	}
	assert_int_equal(ftup, 1);
	assert_int_equal(dlmp, 3);
	/* the one overlap that is not Intel's is the one problem */
	size_t nover = 0;
	for (size_t i = 0; i < img->nproblems; i++)
		if (img->problems[i].code == AMT_E_OVERLAP) {
			nover++;
			assert_non_null(strstr(img->problems[i].message, "IVBP"));
		}
	assert_int_equal(nover, 1);

	/* verify says the same: four overlap notes, one structure finding */
	struct amt_report *r = NULL;
	amt_error e;
	assert_int_equal(amt_verify(b.data, b.size, NULL, &r, &e), AMT_OK);
	size_t notes = 0, found = 0;
	for (size_t i = 0; i < r->nnotes; i++)
		notes += r->notes[i].kind == AMT_N_OVERLAP;
	for (size_t i = 0; i < r->nfindings; i++)
		if (r->findings[i].kind == AMT_F_STRUCTURE) {
			found++;
			assert_non_null(strstr(r->findings[i].message, "IVBP"));
		}
	assert_int_equal(notes, 4);
	assert_int_equal(found, img->nproblems);
	assert_int_equal(r->verdict, AMT_VERDICT_PROBLEMS);
	amt_report_free(r);
	amt_image_free(img);
	tb_free(&b);
}

/* CSME 11 before 11.0.0.1205: H or LP from the unpacked FTPR kernel (MEA.py:
 * after 0F 22 D8 8D 65 F8 5B 5E 5D C3 55 B8, bytes +0 and +0x17 as a
 * big-endian u16: 56AA/36AA H; 60A0/004D/9C64 LP). */
static void test_kernel_platform(void **state)
{
	(void)state;
	static const struct {
		uint8_t b0, b17;
		const char *sku;
		amt_skuplat_src src;
	} t[] = {
		{ 0x56, 0xAA, "Consumer H", AMT_SKUPLAT_KERNEL },
		{ 0x36, 0xAA, "Consumer H", AMT_SKUPLAT_KERNEL },
		{ 0x60, 0xA0, "Consumer LP", AMT_SKUPLAT_KERNEL },
		{ 0x9C, 0x64, "Consumer LP", AMT_SKUPLAT_KERNEL },
		{ 0x12, 0x34, "Consumer", AMT_SKUPLAT_NONE },
	};
	static const uint8_t pat[12] = { 0x0F, 0x22, 0xD8, 0x8D, 0x65, 0xF8,
					 0x5B, 0x5E, 0x5D, 0xC3, 0x55, 0xB8 };
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct tb_cse_opts co;
		struct tb_cse_info ci;
		tb_cse_opts_default(&co);
		co.ver[0] = 11;
		co.ver[1] = 0;
		co.ver[2] = 0;
		co.ver[3] = 1170;
		struct tb_buf b = tb_cse_region(&co, &ci);
		/* the FTPR module "kernel": replace the first module's data by a
		 * Huffman-packed page holding the pattern, flag it Huffman */
		uint8_t plain[4096];
		memset(plain, 0, sizeof(plain));
		memcpy(plain + 0x800, pat, sizeof(pat));
		plain[0x800 + 12] = t[i].b0;
		plain[0x800 + 12 + 0x17] = t[i].b17;
		uint8_t packed[8192];
		size_t n = tb_huff_cse_module(AMT_HUFF_CSE11, plain, sizeof(plain), false, packed,
					      sizeof(packed));
		assert_true(n > 0 && n <= 0x400); /* fits the builder's module slot */
		struct amt_image *img0 = tu_parse(&b);
		const struct amt_module *k = NULL;
		for (size_t m = 0; m < img0->fw.nmodules; m++)
			if (img0->fw.modules[m].kind == AMT_MOD_MODULE &&
			    !strcmp(img0->fw.modules[m].partition, "FTPR")) {
				k = &img0->fw.modules[m];
				break;
			}
		assert_non_null(k);
		uint64_t hdr = k->header_offset, data = k->offset, met = 0;
		char metname[24];
		snprintf(metname, sizeof(metname), "%s.met", k->name);
		for (size_t m = 0; m < img0->fw.nmodules; m++)
			if (!strcmp(img0->fw.modules[m].name, metname) &&
			    !strcmp(img0->fw.modules[m].partition, "FTPR"))
				met = img0->fw.modules[m].header_offset;
		assert_true(met != 0);
		amt_image_free(img0);
		/* its .met: name, Module Attributes compression 1 (Huffman), sizes */
		uint32_t mo = amt_rd32(b.data + met + 0x0C) & 0x1FFFFFF;
		memset(b.data + met, 0, 12);
		memcpy(b.data + met, "kernel.met", 10);
		uint8_t *ma = b.data + ci.ftpr + mo;
		assert_int_equal(amt_rd32(ma), 0x0A);
		ma[8] = 1;
		amt_wr32(ma + 0x0C, sizeof(plain));
		amt_wr32(ma + 0x10, (uint32_t)n);
		/* entry: name "kernel", Huffman flag (bit 25), packed size */
		memset(b.data + hdr, 0, 12);
		memcpy(b.data + hdr, "kernel", 6);
		amt_wr32(b.data + hdr + 0x0C, (uint32_t)(data - ci.ftpr) | 1u << 25);
		amt_wr32(b.data + hdr + 0x10, sizeof(plain));
		memcpy(b.data + data, packed, n);
		tb_cpd_fix(b.data, ci.ftpr);
		struct amt_image *img = tu_parse(&b);
		const struct amt_fw *fw = &img->fw;
		assert_int_equal(fw->version.build, 1170);
		if (strcmp(fw->sku, t[i].sku) || fw->sku_platform_source != t[i].src)
			fail_msg("case %zu: SKU \"%s\" (source %d), expected \"%s\"", i, fw->sku,
				 (int)fw->sku_platform_source, t[i].sku);
		amt_image_free(img);
		tb_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vcn_gen2),
		cmocka_unit_test(test_txe_sizes),
		cmocka_unit_test(test_release),
		cmocka_unit_test(test_image_type),
		cmocka_unit_test(test_vcn_cse),
		cmocka_unit_test(test_layout_overlaps),
		cmocka_unit_test(test_kernel_platform),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
