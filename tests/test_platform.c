/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Platform recognition and the ME-disable strap table: a synthetic
 * descriptor for every platform, refusals, override, real descriptors. */

#include "testutil.h"
#include "build_ifd.h"

static struct amt_ifd ifd;

/* Parse b and identify with the given firmware hint / override. */
static void identify(const struct tb_buf *b, const struct amt_fw *fw, amt_platform_id ov)
{
	amt_error e;
	int64_t sig = amt_ifd_find(b->data, b->size);
	assert_true(sig >= 0);
	assert_int_equal(amt_ifd_parse(b->data, b->size, (uint64_t)sig, &ifd, &e), AMT_OK);
	amt_platform_identify(&ifd, b->data, b->size, fw, ov);
}

static struct amt_fw fw_hint(int gen, amt_family fam, int major, int minor)
{
	struct amt_fw fw;
	memset(&fw, 0, sizeof(fw));
	fw.generation = gen;
	fw.family = fam;
	fw.ftpr_manifest = -1;
	if (major >= 0) {
		fw.version_known = true;
		fw.version.major = (uint16_t)major;
		fw.version.minor = (uint16_t)minor;
	}
	return fw;
}

static void assert_hap(amt_platform_id id, unsigned strap, unsigned bit, uint32_t fpsba)
{
	char name[16];
	assert_int_equal(ifd.platform.id, id);
	assert_non_null(ifd.platform.name);
	assert_true(ifd.disable.located);
	assert_int_equal(ifd.disable.nloc, 1);
	snprintf(name, sizeof(name), "PCHSTRP%u", strap);
	assert_string_equal(ifd.disable.loc[0].strap, name);
	assert_int_equal(ifd.disable.loc[0].index, strap);
	assert_int_equal(ifd.disable.loc[0].bit, bit);
	assert_int_equal(ifd.disable.loc[0].file_offset, ifd.offset + fpsba + 4 * strap + bit / 8);
	assert_int_equal(ifd.disable.loc[0].byte_bit, bit % 8);
	assert_non_null(ifd.disable.source);
}

/* ---- the table ------------------------------------------------------------- */

static void test_table(void **state)
{
	unsigned n = 0;
	for (int id = AMT_PLAT_UNKNOWN + 1; id < AMT_PLAT__COUNT; id++) {
		const struct amt_platform_desc *p = amt_platform_get((amt_platform_id)id);
		assert_non_null(p);
		assert_int_equal(p->id, id);
		assert_non_null(p->key);
		assert_non_null(p->name);
		assert_non_null(p->source);
		assert_true(strlen(p->source) > 10);
		assert_ptr_equal(amt_platform_by_key(p->key), p);
		if (p->kind == AMT_DIS_HAP)
			assert_true(p->bit == 16 || id == AMT_PLAT_APL_GLK);
		n++;
	}
	assert_int_equal(n, AMT_PLAT__COUNT - 1);
	assert_null(amt_platform_get(AMT_PLAT_UNKNOWN));
	assert_null(amt_platform_get(AMT_PLAT__COUNT));
	assert_null(amt_platform_by_key("nope"));
	assert_null(amt_platform_by_key(NULL));
	/* spot checks of the facts (disable-bit-locations.md section 1) */
	const struct { const char *key; unsigned strap, bit; bool doubtful; } f[] = {
		{ "ibx", 10, 7, false }, { "byt", 10, 7, false }, { "spt", 0, 16, false },
		{ "cnp-lp", 28, 16, false }, { "cnp-h", 32, 16, false }, { "cmp-v", 0, 16, false },
		{ "jsp", 26, 16, false }, { "icp-lp", 30, 16, true }, { "icx-d", 56, 16, true },
		{ "tgp-lp", 31, 16, false }, { "tgp-h", 37, 16, false }, { "mcc", 33, 16, false },
		{ "adp-p", 31, 16, false }, { "adp-s", 55, 16, false }, { "adp-s-a0", 52, 16, false },
		{ "mtl", 71, 16, false }, { "lbg", 53, 16, false }, { "dnv", 14, 16, false },
		{ "apl", 11, 7, true },
	};
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		const struct amt_platform_desc *p = amt_platform_by_key(f[i].key);
		assert_non_null(p);
		assert_int_equal(p->strap_index, f[i].strap);
		assert_int_equal(p->bit, f[i].bit);
		assert_int_equal(p->doubtful, f[i].doubtful);
	}
	assert_int_equal(amt_platform_by_key("ich")->kind, AMT_DIS_MEDISABLE);
	/* aliases */
	assert_ptr_equal(amt_platform_by_key("cmp-lp"), amt_platform_get(AMT_PLAT_CNP_LP));
	assert_ptr_equal(amt_platform_by_key("rpl-s"), amt_platform_get(AMT_PLAT_ADP_S_B0));
	assert_ptr_equal(amt_platform_by_key("glk"), amt_platform_get(AMT_PLAT_APL_GLK));
	assert_ptr_equal(amt_platform_by_key("rkl"), amt_platform_get(AMT_PLAT_TGP_H));
	assert_null(amt_platform_by_key("CNP-LP")); /* keys are lower case */
}

static void test_fdv_warning(void **state)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	assert_true(tb_ifd_platform_straps(&o, "adp-s"));
	struct tb_buf b = tb_ifd_build(&o);
	/* exclusion range around the FLMSTRs only: PCHSTRP55 is hashed */
	uint16_t s0 = 0x80, e0 = 0xA0;
	tb_ifd_add_fdv(&b, 0, 1, &s0, &e0);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_hap(AMT_PLAT_ADP_S_B0, 55, 16, 0x100);
	assert_true(ifd.fdv.present);
	assert_non_null(strstr(ifd.disable.note, "signed descriptor"));
	assert_non_null(strstr(ifd.disable.note, "PCHSTRP55"));
	/* range covering the strap byte 0x1DE: no warning */
	uint16_t s1[2] = { 0x80, 0x1D0 }, e1[2] = { 0xA0, 0x1E0 };
	tb_ifd_add_fdv(&b, 0, 2, s1, e1);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_true(ifd.fdv.present);
	assert_int_equal(ifd.fdv.nexcl, 2);
	assert_null(strstr(ifd.disable.note, "signed descriptor"));
	tb_free(&b);
}

/* ---- strap-recognised platforms, descriptor only ------------------------- */

static void strap_platform(const char *key, amt_platform_id id, unsigned strap, bool doubtful)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	o.fpsba = 0x120; /* not the usual 0x100: offsets must follow FPSBA */
	assert_true(tb_ifd_platform_straps(&o, key));
	struct tb_buf b = tb_ifd_image(&o, 0x2000, 0x400); /* behind a header */
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_hap(id, strap, 16, 0x120);
	assert_int_equal(ifd.offset, 0x400);
	assert_int_equal(ifd.platform.ambiguous, doubtful);
	assert_int_equal(ifd.disable.kind, AMT_DIS_HAP);
	assert_int_equal(ifd.disable.state, AMT_NO);
	assert_false(ifd.disable.loc[0].set);
	assert_non_null(strstr(ifd.platform.why, "straps"));

	/* set the bit in the image: the state follows */
	b.data[ifd.disable.loc[0].file_offset] |= 1;
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, id);
	assert_true(ifd.disable.loc[0].set);
	assert_int_equal(ifd.disable.state, AMT_YES);
	tb_free(&b);
}

static void test_cnp_lp(void **state) { strap_platform("cnp-lp", AMT_PLAT_CNP_LP, 28, false); }
static void test_tgp_lp(void **state) { strap_platform("tgp-lp", AMT_PLAT_TGP_LP, 31, false); }
static void test_tgp_h(void **state) { strap_platform("tgp-h", AMT_PLAT_TGP_H, 37, false); }
static void test_adp_p(void **state) { strap_platform("adp-p", AMT_PLAT_ADP_P, 31, false); }
static void test_adp_s(void **state) { strap_platform("adp-s", AMT_PLAT_ADP_S_B0, 55, false); }
static void test_adp_s_a0(void **state) { strap_platform("adp-s-a0", AMT_PLAT_ADP_S_A0, 52, false); }
static void test_icx_d(void **state) { strap_platform("icx-d", AMT_PLAT_ICX_D, 56, true); }

/* ---- platforms that need the firmware as a hint ------------------------ */

static void fw_platform(const char *key, const struct amt_fw *fw, amt_platform_id id,
			unsigned strap, bool refused_without_fw)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	if (!tb_ifd_platform_straps(&o, key)) {
		for (unsigned i = 0; i < o.psl; i++)
			o.pchstrp[i] = 0x40 + i; /* no pattern matches */
	}
	struct tb_buf b = tb_ifd_build(&o);
	if (refused_without_fw) {
		identify(&b, NULL, AMT_PLAT_UNKNOWN);
		assert_int_equal(ifd.platform.id, AMT_PLAT_UNKNOWN);
		assert_false(ifd.disable.located);
		assert_int_equal(ifd.disable.state, AMT_UNKNOWN);
		assert_non_null(strstr(ifd.disable.note, "refusing to guess"));
	}
	identify(&b, fw, AMT_PLAT_UNKNOWN);
	assert_hap(id, strap, 16, 0x100);
	tb_free(&b);
}

static void test_cnp_h_needs_fw(void **state)
{
	struct amt_fw fw = fw_hint(3, AMT_FAM_CSME, 12, 0);
	fw_platform("cnp-h", &fw, AMT_PLAT_CNP_H, 32, true);
	fw = fw_hint(3, AMT_FAM_CSME, 14, 1);
	fw_platform("cnp-h", &fw, AMT_PLAT_CNP_H, 32, true);
}

static void test_cmp_v_needs_fw(void **state)
{
	struct amt_fw fw = fw_hint(3, AMT_FAM_CSME, 14, 5);
	fw_platform("cmp-v", &fw, AMT_PLAT_CMP_V, 0, true);
}

static void test_cnp_lp_with_fw(void **state)
{
	struct amt_fw fw = fw_hint(3, AMT_FAM_CSME, 14, 1);
	fw_platform("cnp-lp", &fw, AMT_PLAT_CNP_LP, 28, false);
	assert_non_null(strstr(ifd.platform.why, "CSME 14.1"));
}

static void test_fw_only_platforms(void **state)
{
	struct amt_fw fw = fw_hint(3, AMT_FAM_CSME, 13, 50);
	fw_platform("none", &fw, AMT_PLAT_JSP, 26, true);
	fw = fw_hint(3, AMT_FAM_CSME, 15, 40);
	fw_platform("none", &fw, AMT_PLAT_MCC, 33, true);
	fw = fw_hint(3, AMT_FAM_CSME, 18, 0);
	fw_platform("none", &fw, AMT_PLAT_MTL, 71, true);
	fw = fw_hint(3, AMT_FAM_CSME, 11, 8);
	fw_platform("none", &fw, AMT_PLAT_SPT_KBP, 0, true);
	/* the firmware picks the family; the straps pick the member */
	fw = fw_hint(3, AMT_FAM_CSME, 16, 1);
	fw_platform("adp-p", &fw, AMT_PLAT_ADP_P, 31, false);
	fw = fw_hint(3, AMT_FAM_CSME, 15, 0);
	fw_platform("tgp-h", &fw, AMT_PLAT_TGP_H, 37, false);
	/* server firmware: only the Ice Lake-D pattern is accepted */
	fw = fw_hint(3, AMT_FAM_CSSPS, 5, 0);
	fw_platform("icx-d", &fw, AMT_PLAT_ICX_D, 56, false);
	assert_true(ifd.platform.ambiguous); /* "unconfirmed" in Dasharo */
}

static void test_apl_doubtful(void **state)
{
	struct amt_fw fw = fw_hint(3, AMT_FAM_CSTXE, 3, 1);
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	o.pchstrp[11] = 0x80;
	struct tb_buf b = tb_ifd_build(&o);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_hap(AMT_PLAT_APL_GLK, 11, 7, 0x100);
	assert_int_equal(ifd.disable.loc[0].file_offset, 0x12C);
	assert_int_equal(ifd.disable.loc[0].byte_bit, 7);
	assert_true(ifd.disable.loc[0].set);
	assert_true(ifd.platform.ambiguous);
	assert_non_null(strstr(ifd.disable.note, "doubtful"));
	tb_free(&b);
}

/* ---- gen 1 / gen 2 ----------------------------------------------------------- */

static void test_ich(void **state)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults_ich(&o);
	o.fmsba = 0x220;
	o.pchstrp[0] = 0x00186489; /* bit 0 set */
	o.mchstrp[0] = 0xFFFFFF7C; /* bit 0 clear */
	struct tb_buf b = tb_ifd_build(&o);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_ICH8_10);
	assert_int_equal(ifd.disable.kind, AMT_DIS_MEDISABLE);
	assert_true(ifd.disable.located);
	assert_int_equal(ifd.disable.nloc, 2);
	assert_string_equal(ifd.disable.loc[0].strap, "ICHSTRP0");
	assert_int_equal(ifd.disable.loc[0].file_offset, 0x100);
	assert_true(ifd.disable.loc[0].set);
	assert_string_equal(ifd.disable.loc[1].strap, "MCHSTRP0");
	assert_int_equal(ifd.disable.loc[1].file_offset, 0x220);
	assert_false(ifd.disable.loc[1].set);
	assert_int_equal(ifd.disable.state, AMT_NO); /* partially set */
	assert_non_null(strstr(ifd.disable.note, "partially"));
	b.data[0x220] |= 1;
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.disable.state, AMT_YES);
	/* generation-2 firmware behind an ICH layout: conflict, refused */
	struct amt_fw fw = fw_hint(2, AMT_FAM_ME, 6, 0);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_false(ifd.disable.located);
	assert_int_equal(ifd.platform.id, AMT_PLAT_UNKNOWN);
	tb_free(&b);
}

static void test_gen2(void **state)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 1);
	o.pchstrp[10] = 0x80;
	struct tb_buf b = tb_ifd_build(&o);
	struct amt_fw fw = fw_hint(2, AMT_FAM_ME, 8, 1);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.disable.kind, AMT_DIS_ALTMEDISABLE);
	assert_hap(AMT_PLAT_IBX_WPT, 10, 7, 0x100);
	assert_int_equal(ifd.disable.loc[0].file_offset, 0x128);
	assert_int_equal(ifd.disable.state, AMT_YES);
	fw = fw_hint(2, AMT_FAM_TXE, 2, 0);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_hap(AMT_PLAT_BYT_BSW, 10, 7, 0x100);
	/* descriptor only: still generation 2, Bay Trail guessed from counts */
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_hap(AMT_PLAT_IBX_WPT, 10, 7, 0x100);
	tb_free(&b);
	o.msl = 0;
	o.psl = 14;
	b = tb_ifd_build(&o);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_hap(AMT_PLAT_BYT_BSW, 10, 7, 0x100);
	tb_free(&b);
	/* generation-1 firmware behind a PCH layout: refused */
	b = tb_ifd_build(&o);
	fw = fw_hint(1, AMT_FAM_ME, 5, 0);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_false(ifd.disable.located);
	tb_free(&b);
}

/* ---- refusals ------------------------------------------------------------------ */

static void test_refusals(void **state)
{
	struct tb_ifd_opts o;
	struct tb_buf b;
	struct amt_fw fw;

	/* Ice Lake-LP: sources conflict */
	tb_ifd_defaults(&o, 2);
	assert_true(tb_ifd_platform_straps(&o, "icp-lp"));
	b = tb_ifd_build(&o);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_false(ifd.disable.located);
	assert_true(ifd.platform.ambiguous);
	assert_non_null(strstr(ifd.platform.why, "Ice Lake"));
	fw = fw_hint(3, AMT_FAM_CSME, 13, 0);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_false(ifd.disable.located);
	assert_true(ifd.platform.ambiguous);
	tb_free(&b);

	/* unknown straps (all zero but strap 5), no firmware */
	tb_ifd_defaults(&o, 2);
	o.pchstrp[5] = 1;
	b = tb_ifd_build(&o);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_false(ifd.disable.located);
	assert_int_equal(ifd.platform.id, AMT_PLAT_UNKNOWN);
	assert_non_null(strstr(ifd.platform.why, "no known pattern"));
	/* CSME 16 but the straps match no Alder Lake pattern */
	fw = fw_hint(3, AMT_FAM_CSME, 16, 0);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_false(ifd.disable.located);
	assert_non_null(strstr(ifd.platform.why, "Alder Lake"));
	/* server firmware: refused */
	fw = fw_hint(3, AMT_FAM_CSSPS, 4, 0);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_false(ifd.disable.located);
	/* unknown CSME major */
	fw = fw_hint(3, AMT_FAM_CSME, 17, 0);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_false(ifd.disable.located);
	tb_free(&b);

	/* two strong patterns at once (TGP-LP and ADP-P): ambiguous */
	tb_ifd_defaults(&o, 2);
	assert_true(tb_ifd_platform_straps(&o, "adp-p"));
	o.pchstrp[37] = 0;
	b = tb_ifd_build(&o);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_false(ifd.disable.located);
	assert_true(ifd.platform.ambiguous);
	assert_non_null(strstr(ifd.platform.why, "tgp-lp"));
	assert_non_null(strstr(ifd.platform.why, "adp-p"));
	/* ...which the firmware settles */
	fw = fw_hint(3, AMT_FAM_CSME, 16, 0);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_hap(AMT_PLAT_ADP_P, 31, 16, 0x100);
	tb_free(&b);

	/* ADL-S pattern but too few straps to hold PCHSTRP55 */
	tb_ifd_defaults(&o, 2);
	assert_true(tb_ifd_platform_straps(&o, "adp-s"));
	o.psl = 54;
	b = tb_ifd_build(&o);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_false(ifd.disable.located);
	tb_free(&b);
}

/* ---- override --------------------------------------------------------------- */

static void test_override(void **state)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	assert_true(tb_ifd_platform_straps(&o, "cnp-lp"));
	o.pchstrp[53] = 0x10000;
	struct tb_buf b = tb_ifd_build(&o);
	identify(&b, NULL, AMT_PLAT_LBG);
	assert_hap(AMT_PLAT_LBG, 53, 16, 0x100);
	assert_int_equal(ifd.disable.state, AMT_YES);
	assert_non_null(strstr(ifd.platform.why, "--platform lbg"));
	assert_non_null(strstr(ifd.disable.note, "--platform lbg"));
	identify(&b, NULL, AMT_PLAT_DNV);
	assert_hap(AMT_PLAT_DNV, 14, 16, 0x100);
	/* doubtful entry named by the user: located, still flagged */
	identify(&b, NULL, AMT_PLAT_ICP_LP);
	assert_hap(AMT_PLAT_ICP_LP, 30, 16, 0x100);
	assert_true(ifd.platform.ambiguous);
	assert_non_null(strstr(ifd.disable.note, "DOUBTFUL"));
	/* bad id */
	identify(&b, NULL, (amt_platform_id)99);
	assert_false(ifd.disable.located);
	tb_free(&b);
	/* override to a strap the descriptor does not have */
	o.psl = 40;
	b = tb_ifd_build(&o);
	identify(&b, NULL, AMT_PLAT_MTL);
	assert_false(ifd.disable.located);
	assert_non_null(strstr(ifd.disable.note, "PCHSTRP71"));
	tb_free(&b);
}

static void test_refines_ifd(void **state)
{
	/* CNL: extended master encoding, no FLMAP3; ADL keeps FLMAP3 */
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	assert_true(tb_ifd_platform_straps(&o, "cnp-lp"));
	o.flmap3_set = true;
	o.flmap3 = 0x00200000;
	o.flmstr[0] = tb_ifd_flmstr(2, true, 0x8003, 0x0002);
	struct tb_buf b = tb_ifd_build(&o);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_CNP_LP);
	assert_false(ifd.has_flmap3);
	assert_true(ifd.extended_regions);
	assert_int_equal(ifd.master[0].read, 0x8003);
	tb_free(&b);
	assert_true(tb_ifd_platform_straps(&o, "adp-s"));
	b = tb_ifd_build(&o);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_ADP_S_B0);
	assert_true(ifd.has_flmap3);
	tb_free(&b);
	/* SPT: no extended encoding */
	tb_ifd_defaults(&o, 2);
	o.flmstr[0] = tb_ifd_flmstr(2, true, 0x8003, 0x0002);
	b = tb_ifd_build(&o);
	struct amt_fw fw = fw_hint(3, AMT_FAM_CSME, 11, 0);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_SPT_KBP);
	assert_false(ifd.extended_regions);
	assert_int_equal(ifd.master[0].read, 0x003);
	tb_free(&b);
}

/* ---- real descriptors ---------------------------------------------------------- */

static bool load(const char *name, struct tb_buf *b)
{
	size_t n;
	uint8_t *d = tu_corpus_image(name, &n);
	if (!d)
		return false;
	*b = (struct tb_buf){ .data = d, .size = n };
	return true;
}

struct real {
	const char *name;
	const struct amt_fw *fw;      /* hint as the firmware parser would give */
	amt_platform_id id;
	amt_disable_kind kind;
	unsigned strap, bit;
	uint64_t byte;
};

static void test_corpus(void **state)
{
	if (!getenv("AMTLESS_CORPUS")) {
		print_message("AMTLESS_CORPUS not set: skipping the real descriptors\n");
		skip();
	}
	struct amt_fw me8 = fw_hint(2, AMT_FAM_ME, 8, 0);
	struct amt_fw txe2 = fw_hint(2, AMT_FAM_TXE, 2, 0);
	struct amt_fw me11 = fw_hint(3, AMT_FAM_CSME, 11, 8);
	struct amt_fw csme14 = fw_hint(3, AMT_FAM_CSME, 14, 0);
	struct amt_fw csme16 = fw_hint(3, AMT_FAM_CSME, 16, 0);
	const struct real r[] = {
		{ "ifd_g3_cml_darp6_bluecmd.rom", NULL, AMT_PLAT_CNP_LP, AMT_DIS_HAP, 28, 16, 0x172 },
		{ "ifd_g3_adl_ms7d25_dasharo.bin", NULL, AMT_PLAT_ADP_S_B0, AMT_DIS_HAP, 55, 16, 0x1DE },
		{ "DERIVED-full_csme14_darp6.bin", &csme14, AMT_PLAT_CNP_LP, AMT_DIS_HAP, 28, 16, 0x172 },
		{ "DERIVED-full_csme16_ms7d25.bin", &csme16, AMT_PLAT_ADP_S_B0, AMT_DIS_HAP, 55, 16, 0x1DE },
		{ "DERIVED-full_me11.8.82.3838_x210.bin", &me11, AMT_PLAT_SPT_KBP, AMT_DIS_HAP, 0, 16, 0x102 },
		{ "DERIVED-full_me8.0.20.1513_link.bin", &me8, AMT_PLAT_IBX_WPT, AMT_DIS_ALTMEDISABLE, 10, 7, 0x128 },
		{ "DERIVED-full_txe2.0.4.3098_fbg1701.bin", &txe2, AMT_PLAT_BYT_BSW, AMT_DIS_ALTMEDISABLE, 10, 7, 0x128 },
	};
	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		struct tb_buf b;
		assert_true(load(r[i].name, &b));
		identify(&b, r[i].fw, AMT_PLAT_UNKNOWN);
		assert_int_equal(ifd.platform.id, r[i].id);
		assert_false(ifd.platform.ambiguous);
		assert_int_equal(ifd.disable.kind, r[i].kind);
		assert_hap(r[i].id, r[i].strap, r[i].bit, 0x100);
		assert_int_equal(ifd.disable.loc[0].file_offset, r[i].byte);
		/* none of these images has the bit set */
		assert_int_equal(ifd.disable.state, AMT_NO);
		tb_free(&b);
	}

	/* the same descriptors without firmware */
	struct tb_buf b;
	assert_true(load("DERIVED-full_csme14_darp6.bin", &b));
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_CNP_LP);
	tb_free(&b);
	/* SKL descriptor alone: no strap pattern, refused */
	assert_true(load("DERIVED-full_me11.8.82.3838_x210.bin", &b));
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_false(ifd.disable.located);
	/* ADL straps with a CNL-family hint: Dasharo's CML-V rule would fire
	 * on ADL, so only a CSME 12/14 hint allows the weak rules */
	tb_free(&b);
	assert_true(load("ifd_g3_adl_ms7d25_dasharo.bin", &b));
	identify(&b, &csme16, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_ADP_S_B0);
	tb_free(&b);

	/* ICH9 (ME region disabled): MeDisable set in both straps */
	assert_true(load("ifd_g1_t400-8MB-ich9gen_john-sb312.bin", &b));
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_ICH8_10);
	assert_int_equal(ifd.disable.kind, AMT_DIS_MEDISABLE);
	assert_int_equal(ifd.disable.nloc, 2);
	assert_int_equal(ifd.disable.loc[0].file_offset, 0x100);
	assert_int_equal(ifd.disable.loc[1].file_offset, 0x200);
	assert_int_equal(ifd.disable.state, AMT_YES);
	tb_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_cnp_lp),
		cmocka_unit_test(test_tgp_lp),
		cmocka_unit_test(test_tgp_h),
		cmocka_unit_test(test_adp_p),
		cmocka_unit_test(test_adp_s),
		cmocka_unit_test(test_adp_s_a0),
		cmocka_unit_test(test_icx_d),
		cmocka_unit_test(test_cnp_h_needs_fw),
		cmocka_unit_test(test_cmp_v_needs_fw),
		cmocka_unit_test(test_cnp_lp_with_fw),
		cmocka_unit_test(test_fw_only_platforms),
		cmocka_unit_test(test_apl_doubtful),
		cmocka_unit_test(test_ich),
		cmocka_unit_test(test_gen2),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_override),
		cmocka_unit_test(test_refines_ifd),
		cmocka_unit_test(test_fdv_warning),
		cmocka_unit_test(test_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
