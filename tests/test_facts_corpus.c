/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Facts of real images, against MEAnalyzer: VCN, release, stock or
 * extracted, SKU names, H/LP, the PSS salt of Intel's R2 manifests; and,
 * over every corpus image, that inspect (the model's problems) and verify
 * (the report's findings) agree on what is a problem, Intel's layout
 * overlaps being facts in both. Skipped when AMTLESS_CORPUS is unset.
 *
 * The expected values below are what ME Analyzer printed for each image
 * (platomav/MEAnalyzer 089b991, MEA v1.311.0 r377, run on the corpus
 * files: its "Version Control Number", "Release", "Type" and "SKU" rows),
 * written down as data. Where MEA says "Stock" on ME 2-4 by a finer test
 * of its own that amtless does not make, amtless may say it does not
 * know, never "extracted".
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <amtless/image.h>
#include <amtless/verify.h>

#include "corpus.h"
#include "corpus_split.h"

enum want_type { W_STOCK, W_EXTRACTED, W_STOCK_OR_UNDECIDED };

struct mea_row {
	const char *file;
	const char *version;
	long vcn;                 /* -1: MEA prints no VCN row */
	amt_release release;
	enum want_type type;
	const char *sku;          /* MEA's SKU, NULL: amtless names it otherwise */
	const char *platform;     /* CSME 11+: "H" / "LP" (last word of MEA's SKU) */
};

static const struct mea_row rows[] = {
	{ "DERIVED-full_csme14_darp6.bin", "14.0.10.1204", 2, AMT_REL_PRODUCTION, W_EXTRACTED,
	  "Consumer LP", "LP" },
	{ "DERIVED-full_csme16_ms7d25.bin", "16.1.30.2307", 16, AMT_REL_PRODUCTION, W_EXTRACTED,
	  "Consumer H", "H" },
	{ "DERIVED-full_me11.8.82.3838_x210.bin", "11.8.82.3838", 290, AMT_REL_PRODUCTION,
	  W_EXTRACTED, "Consumer LP", "LP" },
	{ "DERIVED-full_me8.0.20.1513_link.bin", "8.0.20.1513", 2, AMT_REL_PRODUCTION, W_EXTRACTED,
	  "1.5MB", NULL },
	{ "DERIVED-full_txe2.0.4.3098_fbg1701.bin", "2.0.4.3098", 5, AMT_REL_PRODUCTION,
	  W_EXTRACTED, "1.375MB", NULL },
	{ "g1_me2.6.0.1025_AMT_rgn.bin", "2.6.0.1025", -1, AMT_REL_PRODUCTION,
	  W_STOCK_OR_UNDECIDED, "AMT", NULL },
	{ "g1_me4.2.21.1037_TPM_rgn.bin", "4.2.21.1037", -1, AMT_REL_PRODUCTION,
	  W_STOCK_OR_UNDECIDED, "TPM", NULL },
	{ "g1_me5.0.0.1081_DHBC_rgn.bin", "5.0.0.1081", -1, AMT_REL_PRODUCTION, W_STOCK, NULL,
	  NULL },
	{ "g2_me10.0.55.3000_1.5MB_rgn.bin", "10.0.55.3000", 6, AMT_REL_PRODUCTION, W_STOCK, NULL,
	  NULL },
	{ "g2_me6.0.30.1199_IGN_rgn.bin", "6.0.30.1199", -1, AMT_REL_PRODUCTION, W_STOCK, NULL,
	  NULL },
	{ "g2_me6.0.30.1203_5MB-DT_rgn.bin", "6.0.30.1203", -1, AMT_REL_PRODUCTION, W_STOCK, NULL,
	  NULL },
	{ "g2_me7.1.40.1161_lumpy_coreboot-blobs.bin", "7.1.40.1161", -1, AMT_REL_PRODUCTION,
	  W_EXTRACTED, "1.5MB", NULL },
	{ "g2_me8.0.0.1351_emeraldlake2_coreboot-blobs.bin", "8.0.0.1351", 2,
	  AMT_REL_PREPRODUCTION, W_EXTRACTED, "1.5MB", NULL },
	{ "g2_me8.0.20.1513_link_coreboot-blobs.bin", "8.0.20.1513", 2, AMT_REL_PRODUCTION,
	  W_EXTRACTED, "1.5MB", NULL },
	{ "g2_me8.1.40.1416_ALREADY-CLEANED_x230_skollrc.bin", "8.1.40.1416", 2,
	  AMT_REL_PRODUCTION, W_EXTRACTED, "5MB", NULL },
	{ "g2_me9.1.20.1035_mbp11-3-good_mojo_thor.bin", "9.1.20.1035", 11, AMT_REL_PRODUCTION,
	  W_EXTRACTED, NULL, NULL },
	{ "g2_me9.5.3.1526_SLM_extr.bin", "9.5.3.1526", 2, AMT_REL_PRODUCTION, W_EXTRACTED, "Slim",
	  NULL },
	{ "g2_txe1.1.4.1145_minnowmax_dasharo.bin", "1.1.4.1145", 13, AMT_REL_PRODUCTION, W_STOCK,
	  "1.375MB I/T", NULL },
	{ "g2_txe2.0.4.3098_fbg1701_coreboot-blobs.bin", "2.0.4.3098", 5, AMT_REL_PRODUCTION,
	  W_EXTRACTED, "1.375MB", NULL },
	{ "g3_csme12.0.47.1524_CON-H_extr.bin", "12.0.47.1524", 19, AMT_REL_PRODUCTION,
	  W_EXTRACTED, "Consumer H", "H" },
	{ "g3_csme14_darp6_bluecmd.rom", "14.0.10.1204", 2, AMT_REL_PRODUCTION, W_EXTRACTED,
	  "Consumer LP", "LP" },
	{ "g3_csme16_ms7d25_dasharo.bin", "16.1.30.2307", 16, AMT_REL_PRODUCTION, W_EXTRACTED,
	  "Consumer H", "H" },
	{ "g3_me11.0.0.1205_CON-H_rgn.bin", "11.0.0.1205", 12, AMT_REL_PRODUCTION, W_STOCK,
	  "Consumer H", "H" },
	{ "g3_me11.8.82.3838_x210_harrykipper.bin", "11.8.82.3838", 290, AMT_REL_PRODUCTION,
	  W_EXTRACTED, "Consumer LP", "LP" },
	{ "g3_txe3.1.92.2881_starlabs-lite-apl_StarLabsLtd.bin", "3.1.92.2881", 101,
	  AMT_REL_PRODUCTION, W_STOCK, NULL, NULL },
	{ "g3_txe4-ifwi_protectli-vault-glk_dasharo.bin", "4.0.50.2083", 52, AMT_REL_PRODUCTION,
	  W_EXTRACTED, NULL, NULL },
	{ "g3_txe4.0.45.1848_starlabs-lite-glk_StarLabsLtd.bin", "4.0.45.1848", 41,
	  AMT_REL_PRODUCTION, W_STOCK, NULL, NULL },
};

static int failures;

static void report_fail(const char *file, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void report_fail(const char *file, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	print_message("FAIL %s: %s\n", file, buf);
	failures++;
}

static struct amt_image *load(const char *file, uint8_t **data, size_t *size)
{
	char rel[256];
	snprintf(rel, sizeof(rel), "images/%s", file);
	*data = corpus_read(rel, size);
	if (!*data) {
		report_fail(file, "cannot read");
		return NULL;
	}
	struct amt_image *img = NULL;
	amt_error err;
	if (amt_image_parse(*data, *size, NULL, &img, &err) != AMT_OK) {
		report_fail(file, "does not parse: %s", err.message);
		return NULL;
	}
	return img;
}

static void test_mea_facts(void **state)
{
	(void)state;
	if (!corpus_dir()) {
		print_message("corpus facts test skipped: AMTLESS_CORPUS is not set\n");
		skip();
	}
	failures = 0;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct mea_row *r = &rows[i];
		uint8_t *d = NULL;
		size_t n = 0;
		struct amt_image *img = load(r->file, &d, &n);
		if (!img || !img->has_fw) {
			if (img)
				report_fail(r->file, "no firmware found");
			amt_image_free(img);
			free(d);
			continue;
		}
		const struct amt_fw *fw = &img->fw;
		char v[48];
		amt_version_fmt(&fw->version, v, sizeof(v));
		if (!fw->version_known || strcmp(v, r->version))
			report_fail(r->file, "version %s, MEA %s", v, r->version);
		if (r->vcn < 0 && fw->vcn_known)
			report_fail(r->file, "VCN %u where MEA shows none", fw->vcn);
		if (r->vcn >= 0 && (!fw->vcn_known || fw->vcn != (uint32_t)r->vcn))
			report_fail(r->file, "VCN %s%u, MEA %ld", fw->vcn_known ? "" : "unknown ", fw->vcn,
			     r->vcn);
		/* the FTPR manifest carries the firmware's VCN */
		if (fw->vcn_known && (fw->ftpr_manifest < 0 ||
				      !fw->manifests[fw->ftpr_manifest].vcn_known ||
				      fw->manifests[fw->ftpr_manifest].vcn != fw->vcn))
			report_fail(r->file, "firmware VCN is not its FTPR manifest's");
		if (fw->release != r->release)
			report_fail(r->file, "release %s, MEA %s", amt_release_str(fw->release),
			     amt_release_str(r->release));
		bool type_ok = r->type == W_STOCK ? fw->fw_type == AMT_FWT_STOCK :
			       r->type == W_EXTRACTED ? fw->fw_type == AMT_FWT_EXTRACTED :
			       fw->fw_type == AMT_FWT_STOCK || fw->fw_type == AMT_FWT_UNKNOWN;
		if (!type_ok)
			report_fail(r->file, "image type %s (rule %d), MEA %s", amt_fw_type_str(fw->fw_type),
			     (int)fw->fw_type_rule, r->type == W_EXTRACTED ? "Extracted" : "Stock");
		if (r->sku && (!fw->sku_known || strcmp(fw->sku, r->sku)))
			report_fail(r->file, "SKU \"%s\", MEA \"%s\"", fw->sku, r->sku);
		if (r->platform) {
			const char *sp = strrchr(fw->sku, ' ');
			if (!sp || strcmp(sp + 1, r->platform))
				report_fail(r->file, "SKU platform of \"%s\", MEA %s", fw->sku, r->platform);
			if (fw->version.major == 11 && fw->sku_platform_source != AMT_SKUPLAT_ATTRIB)
				report_fail(r->file, "CSME 11.0.0.1205+ platform not from FWSKUAttrib");
		}
		/* the SKU field is kept as stored */
		if (fw->sku_nbytes && memcmp(d + fw->sku_offset, fw->sku_bytes, fw->sku_nbytes))
			report_fail(r->file, "SKU bytes differ from the image at 0x%llx",
			     (unsigned long long)fw->sku_offset);
		/* Intel signs its R2 manifests with a 48-byte PSS salt */
		for (size_t k = 0; k < fw->nmanifests; k++) {
			const struct amt_manifest *m = &fw->manifests[k];
			if (m->kind == AMT_MAN_R2 && m->sig == AMT_SIG_VALID && m->key.known &&
			    m->pss_salt_len != 48)
				report_fail(r->file, "%s: PSS salt %d, Intel signs with 48", m->partition,
				     m->pss_salt_len);
			if (m->kind != AMT_MAN_R2 && m->pss_salt_len != -1)
				report_fail(r->file, "%s: a PSS salt on a PKCS#1 manifest", m->partition);
		}
		/* whole hashes: every module hash check carries the whole digest */
		for (size_t k = 0; k < fw->nchecks; k++) {
			const struct amt_check *c = &fw->checks[k];
			if (c->kind == AMT_CHECK_MODULE_HASH && c->hash_len != 32 && c->hash_len != 48)
				report_fail(r->file, "%s: hash of %u bytes", c->what, c->hash_len);
			if (c->hash_len && memcmp(d + c->offset, c->stored_hash, c->hash_len))
				report_fail(r->file, "%s: stored hash differs from the image", c->what);
		}
		amt_image_free(img);
		free(d);
	}
	print_message("%zu images compared with MEAnalyzer, %d failures\n",
		      sizeof(rows) / sizeof(rows[0]), failures);
	assert_int_equal(failures, 0);
}

/* Expected overlaps by Intel's design, read in each image's $FPT: ME 11.0
 * FTUP = NFTP; ME 11.8 also DLMP over the end of FTPR and the start of MFS. */
static unsigned want_overlaps(const char *file)
{
	if (strstr(file, "me11.0.0.1205"))
		return 1;
	if (strstr(file, "me11.8.82.3838"))
		return 3;
	return 0;
}

static void test_inspect_verify_agree(void **state)
{
	(void)state;
	struct corpus_row *cr = NULL;
	int nr = corpus_rows(&cr);
	if (nr < 0) {
		print_message("corpus agreement test skipped: AMTLESS_CORPUS is not set\n");
		skip();
	}
	failures = 0;
	int checked = 0;
	for (int i = 0; i < nr; i++) {
		const char *file = cr[i].file;
		size_t n = 0;
		uint8_t *d = corpus_read(file, &n);
		if (!d) {
			report_fail(file, "cannot read");
			continue;
		}
		struct amt_image *img = NULL;
		amt_error err;
		if (amt_image_parse(d, n, NULL, &img, &err) != AMT_OK) {
			free(d);  /* update files: no model, nothing to compare */
			continue;
		}
		struct amt_report *rep = NULL;
		if (amt_verify(d, n, NULL, &rep, &err) != AMT_OK || !rep) {
			report_fail(file, "verify failed: %s", err.message);
			amt_image_free(img);
			free(d);
			continue;
		}
		checked++;
		/* every problem inspect lists is a finding of verify, and verify's
		 * structure findings are exactly inspect's problems */
		size_t nstruct = 0, nover = 0;
		for (size_t k = 0; k < rep->nfindings; k++)
			nstruct += rep->findings[k].kind == AMT_F_STRUCTURE ||
				   rep->findings[k].kind == AMT_F_REGIONS;
		if (nstruct != img->nproblems)
			report_fail(file, "inspect lists %zu problems, verify %zu", img->nproblems, nstruct);
		for (size_t p = 0; p < img->nproblems; p++) {
			bool found = false;
			for (size_t k = 0; k < rep->nfindings && !found; k++)
				found = !strcmp(rep->findings[k].message, img->problems[p].message);
			if (!found)
				report_fail(file, "inspect problem not a verify finding: %s",
				     img->problems[p].message);
		}
		for (size_t k = 0; k < rep->nnotes; k++)
			nover += rep->notes[k].kind == AMT_N_OVERLAP;
		size_t nlo = img->has_fw ? img->fw.nlayout_overlaps : 0;
		if (nover != nlo)
			report_fail(file, "%zu layout overlaps, %zu overlap notes in verify", nlo, nover);
		if (nlo != want_overlaps(file))
			report_fail(file, "%zu layout overlaps, the $FPT has %u", nlo, want_overlaps(file));
		/* none of Intel's own overlaps is a problem anywhere */
		for (size_t p = 0; p < img->nproblems; p++)
			if (img->problems[p].code == AMT_E_OVERLAP &&
			    (strstr(img->problems[p].message, "DLMP") ||
			     strstr(img->problems[p].message, "FTUP")))
				report_fail(file, "by-design overlap listed as a problem: %s",
				     img->problems[p].message);
		amt_report_free(rep);
		amt_image_free(img);
		free(d);
	}
	free(cr);
	print_message("%d images: inspect and verify compared, %d failures\n", checked, failures);
	assert_true(checked > 20);
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mea_facts),
		cmocka_unit_test(test_inspect_verify_agree),
	};
	return corpus_only_run(tests, NULL, NULL);
}
