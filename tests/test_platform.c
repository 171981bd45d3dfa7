/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Platform recognition and the ME-disable strap table.
 *
 * The expectations below are written from the sources, independently of
 * lib/ifd/platform.c: where a source gives an absolute descriptor byte
 * (Dasharo's me_*.h HAP_OFFSET, me_cleaner's and ifdtool's fixed
 * straps) the test checks the byte the code computes from FPSBA = 0x100
 * against it. Real descriptors come from the corpus (AMTLESS_CORPUS);
 * every other row gets a synthetic descriptor with the geometry of real
 * descriptors of that platform (tests/builder/build_ifd.c).
 */

#include "testutil.h"
#include "build_ifd.h"
#include "corpus_split.h"

static struct amt_ifd ifd;

static void identify_ex(const struct tb_buf *b, const struct amt_fw *fw, amt_platform_id named,
			const struct amt_hap_override *hap)
{
	amt_error e;
	int64_t sig = amt_ifd_find(b->data, b->size);
	assert_true(sig >= 0);
	assert_int_equal(amt_ifd_parse(b->data, b->size, (uint64_t)sig, &ifd, &e), AMT_OK);
	amt_platform_identify2(&ifd, b->data, b->size, fw, named, hap);
}

static void identify(const struct tb_buf *b, const struct amt_fw *fw, amt_platform_id named)
{
	identify_ex(b, fw, named, NULL);
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

/* ---- the expectations, from the sources ------------------------------------- */

/* byte = absolute descriptor byte holding the bit with FPSBA 0x100 (0: no
 * public source). Sources: the ones each line names (doc/formats.md#disable-bits);
 * none of them gives a place for the "no public source" rows. */
struct expect {
	const char *key;
	amt_disable_kind kind;
	int strap;             /* -1: no public source */
	unsigned bit;
	unsigned byte;
	bool doubtful;         /* a source doubts it, or sources disagree */
	const char *src;
};

static const struct expect expects[] = {
	{ "ich", AMT_DIS_MEDISABLE, 0, 0, 0x100, false, "me_cleaner.py gen 1: ICHSTRP0 bit 0 (+ MCHSTRP0)" },
	{ "ibx", AMT_DIS_ALTMEDISABLE, 10, 7, 0x128, false, "me_cleaner.py gen 2: PCHSTRP10 bit 7" },
	{ "byt", AMT_DIS_ALTMEDISABLE, 10, 7, 0x128, false, "me_cleaner.py gen 2 (TXE included)" },
	{ "spt", AMT_DIS_HAP, 0, 16, 0x102, false, "me_cleaner.py gen 3: PCHSTRP0 bit 16" },
	{ "cnp-lp", AMT_DIS_HAP, 28, 16, 0x172, false, "Dasharo me_12.h COMETLAKE_1/2 0x172" },
	{ "cnp-h", AMT_DIS_HAP, 32, 16, 0x182, false, "Dasharo me_12.h COMETLAKE_S 0x182" },
	{ "cmp-v", AMT_DIS_HAP, 0, 16, 0x102, false, "Dasharo me_12.h COMETLAKE_V 0x102" },
	{ "jsp", AMT_DIS_HAP, 26, 16, 0x16A, false, "Dasharo me_13.h JASPERLAKE 0x16A" },
	{ "icp-lp", AMT_DIS_HAP, 30, 16, 0x17A, true, "Dasharo ifdtool detects by 0x78; sources disagree" },
	{ "icx-d", AMT_DIS_HAP, 56, 16, 0x1E2, true, "Dasharo ifdtool FPSBA+0xE0, 'unconfirmed'" },
	{ "tgp-lp", AMT_DIS_HAP, 31, 16, 0x17E, false, "Dasharo me_15.h TIGERLAKE 0x17E" },
	{ "tgp-h", AMT_DIS_HAP, 37, 16, 0x196, false, "Dasharo me_15.h TIGERLAKE_PCH_H 0x196" },
	{ "mcc", AMT_DIS_HAP, 33, 16, 0x186, false, "Dasharo me_15.h ELKHARTLAKE 0x186" },
	{ "adp-p", AMT_DIS_HAP, 31, 16, 0x17E, false, "Dasharo me_16.h ALDERLAKE_PCH_P 0x17E" },
	{ "adp-n", AMT_DIS_HAP, 31, 16, 0x17E, false, "Dasharo me_16.h ALDERLAKE_PCH_N 0x17E" },
	{ "adp-pn", AMT_DIS_HAP, 31, 16, 0x17E, true, "me_16.h: P and N both 0x17E; variant unconfirmed" },
	{ "adp-s", AMT_DIS_HAP, 55, 16, 0x1DE, false, "Dasharo me_16.h ALDERLAKE_PCH_S 0x1DE" },
	{ "adp-s-a0", AMT_DIS_HAP, 52, 16, 0x1D2, false, "Dasharo ifdtool FPSBA+0xD0" },
	{ "mtl", AMT_DIS_HAP, 71, 16, 0x21E, false, "Dasharo me_18.h METEORLAKE_U_H 0x21E" },
	{ "lbg", AMT_DIS_HAP, 53, 16, 0x1D6, true, "Dasharo ifdtool FPSBA+0xD4 only" },
	{ "dnv", AMT_DIS_HAP, 14, 16, 0x13A, true, "Dasharo ifdtool FPSBA+0x38 only" },
	{ "apl", AMT_DIS_HAP, 11, 7, 0x12C, true, "Dasharo ifdtool FPSBA+0x2C bit 7, 'couldn't get it to work'" },
	{ "arl-h", AMT_DIS_HAP, -1, 0, 0, false, "coreboot/Dasharo: no HAP offset; MTL place only inferred" },
	{ "arl-s", AMT_DIS_HAP, -1, 0, 0, false, "not in coreboot, Dasharo, ifdtool" },
	{ "lnl", AMT_DIS_HAP, -1, 0, 0, false, "not in coreboot, Dasharo, ifdtool" },
	{ "ptl", AMT_DIS_HAP, -1, 0, 0, false, "coreboot pantherlake, ifdtool -p ptl: none" },
	{ "wcl", AMT_DIS_HAP, -1, 0, 0, false, "coreboot pantherlake (WCL): none" },
	{ "nvl", AMT_DIS_HAP, -1, 0, 0, false, "coreboot novalake, ifdtool -p nvl: none" },
	{ "ebg", AMT_DIS_HAP, -1, 0, 0, false, "not in Dasharo ifdtool, coreboot, me_cleaner forks" },
	{ "snr", AMT_DIS_HAP, -1, 0, 0, false, "no HAP in any source" },
};
#define NEXPECT (sizeof(expects) / sizeof(expects[0]))

static const struct expect *expect_of(const char *key)
{
	for (size_t i = 0; i < NEXPECT; i++)
		if (!strcmp(expects[i].key, key))
			return &expects[i];
	return NULL;
}

/* The bit located where the expectation says, for a descriptor at `at`
 * with FPSBA `fpsba`. */
static void assert_at(const struct expect *x, uint64_t at, uint32_t fpsba)
{
	char name[16];
	assert_true(ifd.disable.located);
	assert_int_equal(ifd.disable.kind, x->kind);
	snprintf(name, sizeof(name), "%s%d", x->kind == AMT_DIS_MEDISABLE ? "ICHSTRP" : "PCHSTRP",
		 x->strap);
	assert_string_equal(ifd.disable.loc[0].strap, name);
	assert_int_equal(ifd.disable.loc[0].index, x->strap);
	assert_int_equal(ifd.disable.loc[0].bit, x->bit);
	/* the sources' byte is for FPSBA 0x100 */
	assert_int_equal(ifd.disable.loc[0].file_offset, at + x->byte + (fpsba - 0x100));
	assert_int_equal(ifd.disable.loc[0].byte_bit, x->bit % 8);
	assert_non_null(ifd.disable.source);
}

/* ---- the table ---------------------------------------------------------------- */

static void test_table_matches_sources(void **state)
{
	(void)state;
	unsigned n = 0;
	for (int id = AMT_PLAT_UNKNOWN + 1; id < AMT_PLAT__COUNT; id++) {
		const struct amt_platform_desc *p = amt_platform_describe((amt_platform_id)id);
		assert_non_null(p);
		assert_ptr_equal(p, amt_platform_get((amt_platform_id)id));
		assert_int_equal(p->id, id);
		assert_non_null(p->key);
		assert_non_null(p->name);
		assert_non_null(p->firmware);
		assert_non_null(p->source);
		assert_true(strlen(p->source) > 20);
		assert_ptr_equal(amt_platform_by_key(p->key), p);
		assert_int_equal(amt_platform_from_key(p->key), id);
		assert_string_equal(amt_platform_key((amt_platform_id)id), p->key);
		/* every row has an expectation written from the sources */
		const struct expect *x = expect_of(p->key);
		if (!x)
			fail_msg("row %s has no expectation in this test", p->key);
		assert_int_equal(p->kind, x->kind);
		assert_int_equal(p->hap_known, x->strap >= 0);
		if (x->strap >= 0) {
			assert_int_equal(p->strap_index, (unsigned)x->strap);
			assert_int_equal(p->bit, x->bit);
			/* the code's offset arithmetic agrees with the sources' bytes */
			if (x->kind != AMT_DIS_MEDISABLE)
				assert_int_equal(0x100 + 4 * p->strap_index + p->bit / 8, x->byte);
			assert_true(p->confidence >= AMT_CONF_LOW);
		} else {
			assert_int_equal(p->confidence, AMT_CONF_NONE);
			assert_non_null(strstr(p->source, "no public source"));
		}
		assert_int_equal(p->doubtful, x->doubtful);
		if (x->doubtful)
			assert_true(p->confidence <= AMT_CONF_LOW);
		/* a fingerprint always says where it comes from */
		if (p->fingerprint && strncmp(p->fingerprint, "not told", 8))
			assert_non_null(p->fingerprint_source);
		if (p->straps)
			assert_non_null(p->straps_source);
		n++;
	}
	assert_int_equal(n, NEXPECT);
	assert_null(amt_platform_describe(AMT_PLAT_UNKNOWN));
	assert_null(amt_platform_describe(AMT_PLAT__COUNT));
	assert_null(amt_platform_by_key("nope"));
	assert_null(amt_platform_by_key(NULL));
	assert_null(amt_platform_by_key("CNP-LP")); /* keys are lower case */
	/* aliases users type */
	const struct { const char *alias, *key; } al[] = {
		{ "cmp-lp", "cnp-lp" }, { "rpl-s", "adp-s" }, { "glk", "apl" }, { "rkl", "tgp-h" },
		{ "rpl-p", "adp-p" }, { "adl-n", "adp-n" }, { "twl", "adp-n" }, { "asl", "adp-n" },
		{ "tgl-lp", "tgp-lp" }, { "jsl", "jsp" }, { "ehl", "mcc" }, { "arl-u", "arl-h" },
		{ "arl-hx", "arl-s" },
	};
	for (size_t i = 0; i < sizeof(al) / sizeof(al[0]); i++)
		assert_ptr_equal(amt_platform_by_key(al[i].alias), amt_platform_by_key(al[i].key));
}

static void test_strings(void **state)
{
	(void)state;
	assert_string_equal(amt_platform_status_str(AMT_PST_RECOGNISED), "recognised");
	assert_string_equal(amt_platform_status_str(AMT_PST_CONTRADICTS_FW), "contradicts-firmware");
	assert_string_equal(amt_platform_status_str(AMT_PST_NO_PUBLIC_SOURCE), "no-public-source");
	assert_string_equal(amt_platform_status_str(AMT_PST_EXPERT_OVERRIDE), "expert-override");
	assert_string_equal(amt_platform_status_str(AMT_PST_TOO_FEW_STRAPS), "too-few-straps");
	assert_string_equal(amt_confidence_str(AMT_CONF_HIGH), "high");
	assert_string_equal(amt_confidence_str(AMT_CONF_NONE), "none");
	for (unsigned b = 1; b <= AMT_HAPFX__ALL; b <<= 1) {
		assert_non_null(amt_hap_consequence_str(b));
		assert_non_null(amt_hap_consequence_source(b));
	}
	assert_null(amt_hap_consequence_str(0x100));
	assert_null(amt_hap_consequence_source(3));
	/* no command-line option names in library text */
	for (int id = AMT_PLAT_UNKNOWN + 1; id < AMT_PLAT__COUNT; id++) {
		const struct amt_platform_desc *p = amt_platform_describe((amt_platform_id)id);
		assert_null(strstr(p->source, "--"));
		assert_null(strstr(p->name, "--"));
	}
}

/* Consequences of HAP, from their sources: Dasharo coreboot eabe888c53 and
 * dasharo-issues#1035 (HECI visible on MTL), coreboot c5b3927f93 (S0ix),
 * coreboot alderlake INCLUDE_HSPHY_IN_FMAP (HSPHY), Dasharo/edk2#266 (capsules). */
static void test_consequences(void **state)
{
	(void)state;
	const struct amt_platform_desc *mtl = amt_platform_by_key("mtl");
	assert_true(mtl->hap_consequences & AMT_HAPFX_HECI_VISIBLE); /* Dasharo#1035, eabe888c53 */
	assert_true(mtl->hap_consequences & AMT_HAPFX_NO_S0IX);      /* heads#1871 */
	assert_true(mtl->hap_consequences & AMT_HAPFX_CAPSULE);      /* dasharo-issues#1302 (V54/V56) */
	/* PCIe 5.0 HSPHY: alderlake/hsphy.c, CPU x16 PHY, desktop Alder/Raptor Lake-S */
	assert_true(amt_platform_by_key("adp-s")->hap_consequences & AMT_HAPFX_HSPHY);
	assert_false(amt_platform_by_key("adp-p")->hap_consequences & AMT_HAPFX_HSPHY);
	/* S0ix: coreboot c5b3927f93 covers Skylake through Meteor Lake */
	assert_true(amt_platform_by_key("tgp-lp")->hap_consequences & AMT_HAPFX_NO_S0IX);
	assert_true(amt_platform_by_key("spt")->hap_consequences & AMT_HAPFX_NO_S0IX);
	/* EHL hides HECI only with Dasharo's eabe888c53 too */
	assert_true(amt_platform_by_key("mcc")->hap_consequences & AMT_HAPFX_HECI_VISIBLE);
	/* gen 2: none of these */
	assert_int_equal(amt_platform_by_key("ibx")->hap_consequences, 0);
	/* identification carries them */
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	assert_true(tb_ifd_platform_straps(&o, "mtl"));
	struct tb_buf b = tb_ifd_build(&o);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.hap_consequences, mtl->hap_consequences);
	tb_free(&b);
}

/* ---- every row on a synthetic descriptor ------------------------------------- */

/* Geometry + straps of real descriptors of the platform; recognised
 * without firmware unless the sources give no way to. */
static void test_every_row_synthetic(void **state)
{
	(void)state;
	unsigned nlocated = 0, nrefused = 0;
	for (size_t i = 0; i < NEXPECT; i++) {
		const struct expect *x = &expects[i];
		const struct amt_platform_desc *p = amt_platform_by_key(x->key);
		struct tb_ifd_opts o;
		if (!strcmp(x->key, "ich")) {
			tb_ifd_defaults_ich(&o);
		} else if (!strcmp(x->key, "ibx")) {
			tb_ifd_defaults(&o, 1);      /* ICCRIBA 0x21, MSL 1, ISL 18: Cougar Point */
		} else if (!strcmp(x->key, "byt")) {
			tb_ifd_defaults(&o, 1);
			o.msl = 0;
			o.psl = 14;                  /* Bay Trail (flashrom: MSL 0, ISL <= 17) */
		} else if (!strcmp(x->key, "snr")) {
			tb_ifd_defaults(&o, 2);
			o.flmap2_raw_set = true;     /* flashprog: FLMAP2 0xFFFFFFFF, ISL 0x8F */
			o.flmap2_raw = 0xFFFFFFFF;
			o.psl = 0x8F;
			o.flumap1 = 0xC0FF02DF;
		} else {
			tb_ifd_defaults(&o, 2);
			assert_true(tb_ifd_platform_straps(&o, !strcmp(x->key, "arl-h") ? "mtl" : x->key));
		}
		o.fpsba = 0x120; /* not the usual 0x100: offsets must follow FPSBA */
		struct tb_buf b = tb_ifd_image(&o, 0x2000, 0x400); /* behind a header */
		identify(&b, NULL, AMT_PLAT_UNKNOWN);
		assert_int_equal(ifd.offset, 0x400);

		if (!strcmp(x->key, "arl-h")) {
			/* not told apart from Meteor Lake by the descriptor: only named */
			tb_free(&b);
			continue;
		}
		if (!strcmp(x->key, "dnv")) {
			/* no geometry and no strap pattern in any source */
			assert_false(ifd.disable.located);
			assert_int_equal(ifd.platform.status, AMT_PST_UNKNOWN);
			tb_free(&b);
			continue;
		}
		assert_int_equal(ifd.platform.id, p->id);
		assert_non_null(ifd.platform.name);
		assert_true(ifd.platform.why[0]);
		assert_null(strstr(ifd.platform.why, "--"));
		assert_null(strstr(ifd.disable.note, "--"));
		if (x->strap < 0) {
			assert_int_equal(ifd.platform.status, AMT_PST_NO_PUBLIC_SOURCE);
			assert_false(ifd.disable.located);
			assert_int_equal(ifd.disable.state, AMT_UNKNOWN);
			assert_non_null(strstr(ifd.platform.why, "no public source"));
			assert_true(ifd.platform.evidence & AMT_PEV_GEOMETRY);
			nrefused++;
		} else if (!strcmp(x->key, "icp-lp")) {
			/* sources disagree: refused unless named */
			assert_int_equal(ifd.platform.status, AMT_PST_DOUBTFUL);
			assert_false(ifd.disable.located);
			assert_true(ifd.platform.ambiguous);
			nrefused++;
		} else {
			assert_at(x, 0x400, 0x120);
			assert_int_equal(ifd.platform.status,
					 x->doubtful ? AMT_PST_DOUBTFUL : AMT_PST_RECOGNISED);
			assert_int_equal(ifd.platform.ambiguous, x->doubtful);
			assert_int_equal(ifd.platform.confidence, p->confidence);
			assert_false(ifd.platform.named);
			assert_int_equal(ifd.disable.state, AMT_NO);
			/* set the bit in the image: the state follows */
			b.data[ifd.disable.loc[0].file_offset] |= (uint8_t)(1u << (x->bit % 8));
			if (x->kind == AMT_DIS_MEDISABLE)
				b.data[ifd.disable.loc[1].file_offset] |= 1;
			identify(&b, NULL, AMT_PLAT_UNKNOWN);
			assert_int_equal(ifd.platform.id, p->id);
			assert_int_equal(ifd.disable.state, AMT_YES);
			nlocated++;
		}
		tb_free(&b);
	}
	assert_int_equal(nlocated, 20);
	assert_int_equal(nrefused, 8);
}

/* Named rows: the table's place (doubtful ones too), no-source ones refused. */
static void test_every_row_named(void **state)
{
	(void)state;
	for (size_t i = 0; i < NEXPECT; i++) {
		const struct expect *x = &expects[i];
		const struct amt_platform_desc *p = amt_platform_by_key(x->key);
		struct tb_ifd_opts o;
		if (x->kind == AMT_DIS_MEDISABLE)
			tb_ifd_defaults_ich(&o);
		else
			tb_ifd_defaults(&o, x->kind == AMT_DIS_HAP ? 2 : 1);
		/* geometry of the platform where known, else a neutral one */
		if (!tb_ifd_platform_geometry(&o, x->key) && x->kind == AMT_DIS_HAP && strcmp(x->key, "snr"))
			assert_true(tb_ifd_platform_geometry(&o, !strcmp(x->key, "arl-h") ? "mtl" : "dnv"));
		if (!strcmp(x->key, "snr"))
			assert_true(tb_ifd_platform_geometry(&o, "dnv"));
		o.psl = 100;
		struct tb_buf b = tb_ifd_build(&o);
		identify(&b, NULL, p->id);
		assert_true(ifd.platform.named);
		assert_true(ifd.platform.evidence & AMT_PEV_NAMED);
		assert_int_equal(ifd.platform.id, p->id);
		if (x->strap < 0) {
			assert_int_equal(ifd.platform.status, AMT_PST_NO_PUBLIC_SOURCE);
			assert_false(ifd.disable.located);
		} else {
			assert_at(x, 0, 0x100);
			assert_int_equal(ifd.platform.status,
					 x->doubtful ? AMT_PST_DOUBTFUL : AMT_PST_RECOGNISED);
			assert_int_equal(ifd.platform.ambiguous, x->doubtful);
			assert_non_null(strstr(ifd.disable.note, p->key));
		}
		tb_free(&b);
	}
}

/* ---- strap families ---------------------------------------------------------- */

static struct tb_buf plat(const char *key)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	assert_true(tb_ifd_platform_straps(&o, key));
	return tb_ifd_build(&o);
}

/* Cannon/Comet Point: Dasharo's zero tests count alone only with the
 * fuller pattern of its comment, or with firmware that confirms them. */
static void test_cnp_weak_rules(void **state)
{
	(void)state;
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	assert_true(tb_ifd_platform_straps(&o, "cnp-h"));
	o.pchstrp[32] = 0x00020000;   /* PCHSTRP32[15:4] != 0x1B: the code's rule only */
	struct tb_buf b = tb_ifd_build(&o);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_CNP_H);
	assert_int_equal(ifd.platform.status, AMT_PST_DOUBTFUL);
	assert_true(ifd.disable.located);
	struct amt_fw fw = fw_hint(3, AMT_FAM_CSME, 14, 1);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.status, AMT_PST_RECOGNISED);
	assert_true(ifd.platform.evidence & AMT_PEV_FIRMWARE);
	assert_non_null(strstr(ifd.platform.why, "CSME 14.1"));
	/* CML-V firmware (14.5) contradicts the CNP-H pattern */
	fw = fw_hint(3, AMT_FAM_CSME, 14, 5);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.status, AMT_PST_CONTRADICTS_FW);
	assert_false(ifd.disable.located);
	tb_free(&b);

	/* CML-V pattern on a CSME 12 image: contradicts too */
	b = plat("cmp-v");
	fw = fw_hint(3, AMT_FAM_CSME, 12, 0);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.status, AMT_PST_CONTRADICTS_FW);
	fw = fw_hint(3, AMT_FAM_CSME, 14, 5);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.status, AMT_PST_RECOGNISED);
	assert_int_equal(ifd.platform.id, AMT_PLAT_CMP_V);
	tb_free(&b);

	/* Cannon Point geometry, straps of no member */
	tb_ifd_defaults(&o, 2);
	assert_true(tb_ifd_platform_straps(&o, "cnp-lp"));
	o.pchstrp[28] = 0x12345678;
	b = tb_ifd_build(&o);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.status, AMT_PST_UNKNOWN);
	assert_false(ifd.disable.located);
	assert_non_null(strstr(ifd.platform.why, "Cannon/Comet Point"));
	assert_non_null(strstr(ifd.disable.note, "guessed"));
	tb_free(&b);
}

/* Tiger Point: real TGL-LP has PCHSTRP37 = 0x00010000 and real TGL-H
 * PCHSTRP37[8:1] = 0x58: both fail Dasharo's code, match its comments. */
static void test_tgp(void **state)
{
	(void)state;
	struct tb_buf b = plat("tgp-lp");
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_TGP_LP);
	assert_int_equal(ifd.platform.status, AMT_PST_RECOGNISED);
	assert_int_equal(ifd.disable.loc[0].file_offset, 0x17E);
	tb_free(&b);
	b = plat("tgp-h");
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_TGP_H);
	assert_int_equal(ifd.disable.loc[0].file_offset, 0x196);
	/* Tiger Point firmware is CSME 15.0: 15.40 (EHL) contradicts it */
	struct amt_fw fw = fw_hint(3, AMT_FAM_CSME, 15, 40);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.status, AMT_PST_CONTRADICTS_FW);
	tb_free(&b);
	/* the TGL-LP straps behind Alder Point geometry name ADL-P (the same
	 * strap, the right name) and vice versa */
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	assert_true(tb_ifd_platform_straps(&o, "tgp-lp"));
	assert_true(tb_ifd_platform_geometry(&o, "adp-p"));
	b = tb_ifd_build(&o);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_ADP_P);
	tb_free(&b);
}

/* Alder Point: P by 0x18, N by 0x51 (coreboot ifdtool), anything else
 * under PCHSTRP52 == 0x300 located but doubtful. */
static void test_adp(void **state)
{
	(void)state;
	struct tb_buf b = plat("adp-n");
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_ADP_N);
	assert_int_equal(ifd.platform.status, AMT_PST_RECOGNISED);
	assert_non_null(strstr(ifd.platform.name, "Twin Lake"));
	tb_free(&b);
	/* PCHSTRP31 low byte 0xA3 (HAP and bit 0 of the field): still N */
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	assert_true(tb_ifd_platform_straps(&o, "adp-n"));
	o.pchstrp[31] = 0x401100A3;
	b = tb_ifd_build(&o);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_ADP_N);
	assert_int_equal(ifd.disable.state, AMT_YES);
	tb_free(&b);
	/* low byte 0x20 (reported on some ADL-N / Twin Lake boards) */
	b = plat("adp-pn");
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_ADP_PN);
	assert_int_equal(ifd.platform.status, AMT_PST_DOUBTFUL);
	assert_true(ifd.disable.located);
	assert_int_equal(ifd.disable.loc[0].file_offset, 0x17E);
	/* named as N by the user: located, not doubtful */
	identify(&b, NULL, AMT_PLAT_ADP_N);
	assert_int_equal(ifd.platform.status, AMT_PST_RECOGNISED);
	assert_int_equal(ifd.disable.loc[0].file_offset, 0x17E);
	tb_free(&b);
	/* ADL-S with too few straps to hold PCHSTRP55 */
	tb_ifd_defaults(&o, 2);
	assert_true(tb_ifd_platform_straps(&o, "adp-s"));
	o.psl = 56;
	o.pchstrp[55] = 0;
	b = tb_ifd_build(&o);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_false(ifd.disable.located);
	tb_free(&b);
	tb_ifd_defaults(&o, 2);
	assert_true(tb_ifd_platform_straps(&o, "adp-s"));
	b = tb_ifd_build(&o);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_ADP_S_B0);
	o.psl = 55;
	tb_free(&b);
	b = tb_ifd_build(&o);
	identify(&b, NULL, AMT_PLAT_ADP_S_B0);
	assert_int_equal(ifd.platform.status, AMT_PST_TOO_FEW_STRAPS);
	assert_false(ifd.disable.located);
	assert_non_null(strstr(ifd.platform.why, "PCHSTRP55"));
	tb_free(&b);
}

/* Meteor Lake's geometry with CSME 19+: not MTL, Arrow Lake-H/U (no source). */
static void test_mtl_and_arrow_lake_h(void **state)
{
	(void)state;
	struct tb_buf b = plat("mtl");
	struct amt_fw fw = fw_hint(3, AMT_FAM_CSME, 18, 0);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_MTL);
	assert_int_equal(ifd.platform.status, AMT_PST_RECOGNISED);
	assert_int_equal(ifd.platform.evidence, AMT_PEV_GEOMETRY | AMT_PEV_FIRMWARE);
	fw = fw_hint(3, AMT_FAM_CSME, 19, 0);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_ARL_HU);
	assert_int_equal(ifd.platform.status, AMT_PST_NO_PUBLIC_SOURCE);
	assert_false(ifd.disable.located);
	assert_non_null(strstr(ifd.platform.why, "Arrow Lake"));
	fw = fw_hint(3, AMT_FAM_CSME, 16, 1);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.status, AMT_PST_CONTRADICTS_FW);
	tb_free(&b);
	/* CSSO 0x78 with ISL 0x82, as every real MTL descriptor in the corpus */
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	assert_true(tb_ifd_platform_straps(&o, "mtl"));
	o.fmsba = 0xE00;
	b = tb_ifd_build(&o);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_MTL);
	assert_int_equal(ifd.platform.status, AMT_PST_RECOGNISED);
	tb_free(&b);
	/* ...but not with another strap count */
	o.psl = 0x83;
	b = tb_ifd_build(&o);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.status, AMT_PST_UNKNOWN);
	assert_false(ifd.disable.located);
	tb_free(&b);
}

/* ---- named platforms that contradict the firmware or the descriptor ---------- */

static void test_contradicts_firmware(void **state)
{
	(void)state;
	/* an ME 11 image named "apl" (TXE 3/4 strap) */
	struct tb_buf b = plat("spt");
	struct amt_fw fw = fw_hint(3, AMT_FAM_CSME, 11, 8);
	identify(&b, &fw, AMT_PLAT_APL_GLK);
	assert_int_equal(ifd.platform.status, AMT_PST_CONTRADICTS_FW);
	assert_int_equal(ifd.platform.id, AMT_PLAT_APL_GLK);
	assert_true(ifd.platform.named);
	assert_false(ifd.disable.located);
	assert_int_equal(ifd.disable.state, AMT_UNKNOWN);
	assert_non_null(strstr(ifd.platform.why, "CSME 11.8"));
	assert_non_null(strstr(ifd.platform.why, "contradicts"));
	/* the same image named "spt": fine */
	identify(&b, &fw, AMT_PLAT_SPT_KBP);
	assert_int_equal(ifd.platform.status, AMT_PST_RECOGNISED);
	assert_true(ifd.disable.located);
	tb_free(&b);

	/* an ME 8 image (AltMeDisable) named "spt" (HAP) */
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 1);
	b = tb_ifd_build(&o);
	fw = fw_hint(2, AMT_FAM_ME, 8, 1);
	identify(&b, &fw, AMT_PLAT_SPT_KBP);
	assert_int_equal(ifd.platform.status, AMT_PST_CONTRADICTS_FW);
	assert_false(ifd.disable.located);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_IBX_WPT);
	assert_int_equal(ifd.platform.status, AMT_PST_RECOGNISED);
	/* a TXE 2 image named "ibx": TXE is Bay Trail's row */
	fw = fw_hint(2, AMT_FAM_TXE, 2, 0);
	identify(&b, &fw, AMT_PLAT_IBX_WPT);
	assert_int_equal(ifd.platform.status, AMT_PST_CONTRADICTS_FW);
	/* generation-1 firmware behind a PCH descriptor */
	fw = fw_hint(1, AMT_FAM_ME, 5, 0);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.status, AMT_PST_CONTRADICTS_FW);
	assert_false(ifd.disable.located);
	tb_free(&b);

	/* CSME 16 behind Cannon Point geometry and straps */
	b = plat("cnp-lp");
	fw = fw_hint(3, AMT_FAM_CSME, 16, 0);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.status, AMT_PST_CONTRADICTS_FW);
	assert_false(ifd.disable.located);
	tb_free(&b);
}

static void test_contradicts_descriptor(void **state)
{
	(void)state;
	struct tb_buf b = plat("cnp-lp");
	identify(&b, NULL, AMT_PLAT_ADP_S_B0);
	assert_int_equal(ifd.platform.status, AMT_PST_CONTRADICTS_DESCRIPTOR);
	assert_false(ifd.disable.located);
	assert_non_null(strstr(ifd.platform.why, "Cannon/Comet Point"));
	/* a member of the same geometry family: accepted */
	identify(&b, NULL, AMT_PLAT_CNP_H);
	assert_int_equal(ifd.platform.status, AMT_PST_RECOGNISED);
	assert_int_equal(ifd.disable.loc[0].file_offset, 0x182);
	tb_free(&b);
}

/* ---- the newest platforms: recognised, named, refused --------------------------- */

static void test_newest_refused(void **state)
{
	(void)state;
	static const char *const keys[] = { "arl-s", "lnl", "ptl", "wcl", "nvl", "ebg" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct tb_buf b = plat(keys[i]);
		identify(&b, NULL, AMT_PLAT_UNKNOWN);
		assert_int_equal(ifd.platform.id, amt_platform_from_key(keys[i]));
		assert_int_equal(ifd.platform.status, AMT_PST_NO_PUBLIC_SOURCE);
		assert_false(ifd.disable.located);
		assert_int_equal(ifd.disable.kind, AMT_DIS_HAP);
		assert_non_null(strstr(ifd.disable.note, "guessed"));
		/* firmware does not change that */
		struct amt_fw fw = fw_hint(3, AMT_FAM_CSME, 21, 0);
		identify(&b, &fw, AMT_PLAT_UNKNOWN);
		assert_int_equal(ifd.platform.status, AMT_PST_NO_PUBLIC_SOURCE);
		tb_free(&b);
	}
	/* Arrow Lake-S: the 800-series fingerprint of flashprog */
	struct tb_buf b = plat("arl-s");
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_non_null(strstr(ifd.platform.why, "ISL 0xB3"));
	assert_non_null(strstr(ifd.platform.name, "Arrow Lake"));
	tb_free(&b);
}

/* ---- expert override ----------------------------------------------------------- */

static void test_expert_override(void **state)
{
	(void)state;
	struct tb_buf b = plat("ptl");
	struct amt_hap_override hap = { .set = true, .strap = 40, .bit = 16 };
	b.data[0x100 + 40 * 4 + 2] |= 1;
	identify_ex(&b, NULL, AMT_PLAT_UNKNOWN, &hap);
	assert_int_equal(ifd.platform.status, AMT_PST_EXPERT_OVERRIDE);
	assert_true(ifd.platform.expert_override);
	assert_int_equal(ifd.platform.id, AMT_PLAT_PTL);   /* still named */
	assert_int_equal(ifd.platform.confidence, AMT_CONF_NONE);
	assert_true(ifd.platform.ambiguous);
	assert_true(ifd.disable.located);
	assert_string_equal(ifd.disable.loc[0].strap, "PCHSTRP40");
	assert_int_equal(ifd.disable.loc[0].file_offset, 0x1A2);
	assert_int_equal(ifd.disable.state, AMT_YES);
	assert_non_null(strstr(ifd.disable.note, "UNVERIFIED"));
	assert_non_null(strstr(ifd.platform.why, "no-public-source"));
	/* on a known platform: says where the table puts it */
	tb_free(&b);
	b = plat("adp-p");
	hap.strap = 55;
	identify_ex(&b, NULL, AMT_PLAT_UNKNOWN, &hap);
	assert_int_equal(ifd.platform.status, AMT_PST_EXPERT_OVERRIDE);
	assert_non_null(strstr(ifd.disable.note, "PCHSTRP31 bit 16"));
	/* past the straps, or a bit past 31 */
	hap.strap = 200;
	identify_ex(&b, NULL, AMT_PLAT_UNKNOWN, &hap);
	assert_int_equal(ifd.platform.status, AMT_PST_TOO_FEW_STRAPS);
	assert_false(ifd.disable.located);
	hap.strap = 3;
	hap.bit = 32;
	identify_ex(&b, NULL, AMT_PLAT_UNKNOWN, &hap);
	assert_false(ifd.disable.located);
	/* not set: no effect */
	hap.set = false;
	identify_ex(&b, NULL, AMT_PLAT_UNKNOWN, &hap);
	assert_int_equal(ifd.platform.status, AMT_PST_RECOGNISED);
	assert_false(ifd.platform.expert_override);
	tb_free(&b);
}

/* ---- fallbacks: geometry the sources do not list ------------------------------- */

static void test_unlisted_geometry(void **state)
{
	(void)state;
	/* strong strap pattern alone: located, doubtful */
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	assert_true(tb_ifd_platform_straps(&o, "adp-s"));
	assert_true(tb_ifd_platform_geometry(&o, "dnv"));   /* unlisted */
	struct tb_buf b = tb_ifd_build(&o);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_ADP_S_B0);
	assert_int_equal(ifd.platform.status, AMT_PST_DOUBTFUL);
	assert_int_equal(ifd.platform.evidence, AMT_PEV_STRAPS);
	/* with firmware that agrees: recognised */
	struct amt_fw fw = fw_hint(3, AMT_FAM_CSME, 16, 1);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.status, AMT_PST_RECOGNISED);
	tb_free(&b);
	/* TGL-LP straps without geometry: ADL-P's too, ambiguous */
	tb_ifd_defaults(&o, 2);
	assert_true(tb_ifd_platform_straps(&o, "tgp-lp"));
	assert_true(tb_ifd_platform_geometry(&o, "dnv"));
	b = tb_ifd_build(&o);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.status, AMT_PST_AMBIGUOUS);
	assert_false(ifd.disable.located);
	assert_true(ifd.platform.ambiguous);
	fw = fw_hint(3, AMT_FAM_CSME, 15, 0);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_TGP_LP);
	assert_int_equal(ifd.platform.status, AMT_PST_RECOGNISED);
	tb_free(&b);
	/* the firmware alone (CSME 13.50: Jasper Lake) */
	tb_ifd_defaults(&o, 2);
	assert_true(tb_ifd_platform_geometry(&o, "dnv"));
	b = tb_ifd_build(&o);
	fw = fw_hint(3, AMT_FAM_CSME, 13, 50);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_JSP);
	assert_int_equal(ifd.platform.status, AMT_PST_DOUBTFUL);
	assert_int_equal(ifd.platform.evidence, AMT_PEV_FIRMWARE);
	/* nothing at all */
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.status, AMT_PST_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_UNKNOWN);
	assert_false(ifd.disable.located);
	tb_free(&b);
	/* Ice Lake-LP pattern: refused (sources disagree), located when named */
	b = plat("icp-lp");
	fw = fw_hint(3, AMT_FAM_CSME, 13, 0);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_ICP_LP);
	assert_false(ifd.disable.located);
	assert_true(ifd.platform.ambiguous);
	identify(&b, &fw, AMT_PLAT_ICP_LP);
	assert_true(ifd.disable.located);
	assert_int_equal(ifd.platform.status, AMT_PST_DOUBTFUL);
	assert_non_null(strstr(ifd.disable.note, "doubtful"));
	tb_free(&b);
}

static void test_fdv_warning(void **state)
{
	(void)state;
	struct tb_buf b = plat("adp-s");
	/* exclusion range around the FLMSTRs only: PCHSTRP55 is hashed */
	uint16_t s0 = 0x80, e0 = 0xA0;
	tb_ifd_add_fdv(&b, 0, 1, &s0, &e0);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_ADP_S_B0);
	assert_true(ifd.fdv.present);
	assert_non_null(strstr(ifd.disable.note, "signed descriptor"));
	assert_non_null(strstr(ifd.disable.note, "PCHSTRP55"));
	/* range covering the strap byte 0x1DE: no warning */
	uint16_t s1[2] = { 0x80, 0x1D0 }, e1[2] = { 0xA0, 0x1E0 };
	tb_ifd_add_fdv(&b, 0, 2, s1, e1);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.fdv.nexcl, 2);
	assert_null(strstr(ifd.disable.note, "signed descriptor"));
	tb_free(&b);
}

static void test_ich_partial(void **state)
{
	(void)state;
	struct tb_ifd_opts o;
	tb_ifd_defaults_ich(&o);
	o.fmsba = 0x220;
	o.pchstrp[0] = 0x00186489; /* bit 0 set */
	o.mchstrp[0] = 0xFFFFFF7C; /* bit 0 clear */
	struct tb_buf b = tb_ifd_build(&o);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_ICH8_10);
	assert_int_equal(ifd.disable.nloc, 2);
	assert_int_equal(ifd.disable.loc[1].file_offset, 0x220);
	assert_int_equal(ifd.disable.state, AMT_NO);
	assert_non_null(strstr(ifd.disable.note, "partially"));
	b.data[0x220] |= 1;
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.disable.state, AMT_YES);
	/* generation-2 firmware behind an ICH layout: contradicts */
	struct amt_fw fw = fw_hint(2, AMT_FAM_ME, 6, 0);
	identify(&b, &fw, AMT_PLAT_UNKNOWN);
	assert_false(ifd.disable.located);
	assert_int_equal(ifd.platform.status, AMT_PST_CONTRADICTS_FW);
	tb_free(&b);
}

static void test_refines_ifd(void **state)
{
	(void)state;
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
	assert_true(tb_ifd_platform_straps(&o, "spt"));
	o.flmstr[0] = tb_ifd_flmstr(2, true, 0x8003, 0x0002);
	b = tb_ifd_build(&o);
	identify(&b, NULL, AMT_PLAT_UNKNOWN);
	assert_int_equal(ifd.platform.id, AMT_PLAT_SPT_KBP);
	assert_false(ifd.extended_regions);
	assert_int_equal(ifd.master[0].read, 0x003);
	tb_free(&b);
}

/* ---- real descriptors ------------------------------------------------------------ */

/* Expected platform of each corpus descriptor: from MANIFEST.tsv (the
 * board) and the board's coreboot/Dasharo Kconfig SoC selection; the
 * byte from the me_*.h of that SoC (or me_cleaner for gen 1/2). */
struct real {
	const char *name;
	const char *key;
	uint64_t byte;
	const char *why;
};

static const struct real reals[] = {
	{ "ifd_g3_tgl-lp_galp5_heads.bin", "tgp-lp", 0x17E,
	  "System76 galp5: SOC_INTEL_TIGERLAKE; me_15.h 0x17E" },
	{ "ifd_g3_adl-n_vp2430_dasharo.bin", "adp-n", 0x17E,
	  "Protectli VP2430: SOC_INTEL_ALDERLAKE_PCH_N; me_16.h 0x17E" },
	{ "ifd_g3_mtl_nuc-box_dasharo.bin", "mtl", 0x21E,
	  "NovaCustom NUC BOX: METEORLAKE_U_H; me_18.h 0x21E" },
	{ "ifd_g3_jsl_v1210_dasharo.bin", "jsp", 0x16A,
	  "Protectli V1210: SOC_INTEL_JASPERLAKE; me_13.h 0x16A" },
	{ "ifd_g3_cml_darp6_bluecmd.rom", "cnp-lp", 0x172,
	  "System76 darp6 (Comet Lake-U): me_12.h COMETLAKE_1/2 0x172" },
	{ "ifd_g3_adl_ms7d25_dasharo.bin", "adp-s", 0x1DE,
	  "MSI Z690 (ADL-S): me_16.h ALDERLAKE_PCH_S 0x1DE" },
	{ "ifd_g1_t400-8MB-ich9gen_john-sb312.bin", "ich", 0x100, "ThinkPad T400: ICH9M" },
	{ "DERIVED-full_csme14_darp6.bin", "cnp-lp", 0x172, "CSME 14.0 + darp6 descriptor" },
	{ "DERIVED-full_csme16_ms7d25.bin", "adp-s", 0x1DE, "CSME 16.1 + MSI Z690 descriptor" },
	{ "DERIVED-full_me11.8.82.3838_x210.bin", "spt", 0x102, "ME 11.8 + x210 (Kaby Lake-R)" },
	{ "DERIVED-full_me8.0.20.1513_link.bin", "ibx", 0x128, "ME 8 + Chromebook Pixel (Panther Point)" },
	{ "DERIVED-full_txe2.0.4.3098_fbg1701.bin", "byt", 0x128, "TXE 2 + fbg1701 (Braswell)" },
};

static void test_corpus(void **state)
{
	(void)state;
	if (!getenv("AMTLESS_CORPUS")) {
		print_message("AMTLESS_CORPUS not set: skipping the real descriptors\n");
		skip();
	}
	for (size_t i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
		const struct real *r = &reals[i];
		size_t n;
		uint8_t *d = tu_corpus_image(r->name, &n);
		assert_non_null(d);
		/* through the model's front door: the firmware as parsed */
		struct amt_image *img = NULL;
		amt_error e;
		assert_int_equal(amt_image_parse(d, n, NULL, &img, &e), AMT_OK);
		assert_true(img->has_ifd);
		const struct amt_ifd *f = &img->ifd;
		const struct amt_platform_desc *p = amt_platform_by_key(r->key);
		if (f->platform.id != p->id)
			fail_msg("%s (%s): recognised as %s (%s)", r->name, r->why,
				 f->platform.name ? f->platform.name : "nothing", f->platform.why);
		assert_int_equal(f->platform.status, AMT_PST_RECOGNISED);
		assert_false(f->platform.ambiguous);
		assert_true(f->platform.evidence & AMT_PEV_GEOMETRY);
		assert_true(f->disable.located);
		assert_int_equal(f->disable.loc[0].file_offset, r->byte);
		assert_int_equal(f->disable.loc[0].byte_bit, r->byte == 0x128 ? 7 : 0);
		if (!strcmp(r->key, "ich")) {
			/* ME region disabled: MeDisable set in both straps */
			assert_int_equal(f->disable.nloc, 2);
			assert_int_equal(f->disable.loc[1].file_offset, 0x200);
			assert_int_equal(f->disable.state, AMT_YES);
		} else {
			assert_int_equal(f->disable.state, AMT_NO);
		}
		if (img->has_fw)
			assert_true(f->platform.evidence & AMT_PEV_FIRMWARE);
		amt_image_free(img);

		/* the descriptor alone (no firmware): same answer */
		struct tb_buf b = { .data = d, .size = n };
		identify(&b, NULL, AMT_PLAT_UNKNOWN);
		assert_int_equal(ifd.platform.id, p->id);
		assert_int_equal(ifd.disable.loc[0].file_offset, r->byte);
		free(d);
	}
}

/* The contradiction rule on real images, through amt_image_parse. */
static void test_corpus_contradictions(void **state)
{
	(void)state;
	if (!getenv("AMTLESS_CORPUS"))
		skip();
	static const struct { const char *name, *key; } c[] = {
		{ "DERIVED-full_me11.8.82.3838_x210.bin", "apl" },  /* ME 11 named TXE 3/4 */
		{ "DERIVED-full_me8.0.20.1513_link.bin", "spt" },   /* ME 8 named HAP */
		{ "DERIVED-full_csme16_ms7d25.bin", "mtl" },         /* CSME 16 named CSME 18 */
		{ "DERIVED-full_csme14_darp6.bin", "cmp-v" },        /* CSME 14.0 named 14.5 */
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		size_t n;
		uint8_t *d = tu_corpus_image(c[i].name, &n);
		assert_non_null(d);
		struct amt_parse_opts po;
		amt_parse_opts_init(&po);
		po.platform_override = amt_platform_from_key(c[i].key);
		struct amt_image *img = NULL;
		amt_error e;
		assert_int_equal(amt_image_parse(d, n, &po, &img, &e), AMT_OK);
		assert_int_equal(img->ifd.platform.status, AMT_PST_CONTRADICTS_FW);
		assert_false(img->ifd.disable.located);
		assert_true(img->ifd.platform.named);
		amt_image_free(img);
		free(d);
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_matches_sources),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_consequences),
		cmocka_unit_test(test_every_row_synthetic),
		cmocka_unit_test(test_every_row_named),
		cmocka_unit_test(test_cnp_weak_rules),
		cmocka_unit_test(test_tgp),
		cmocka_unit_test(test_adp),
		cmocka_unit_test(test_mtl_and_arrow_lake_h),
		cmocka_unit_test(test_contradicts_firmware),
		cmocka_unit_test(test_contradicts_descriptor),
		cmocka_unit_test(test_newest_refused),
		cmocka_unit_test(test_expert_override),
		cmocka_unit_test(test_unlisted_geometry),
		cmocka_unit_test(test_fdv_warning),
		cmocka_unit_test(test_ich_partial),
		cmocka_unit_test(test_refines_ifd),
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_corpus_contradictions),
	};
	return corpus_split_run(tests, NULL, NULL, argc, argv);
}
