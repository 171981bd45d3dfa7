/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Generation 2 (ME 6-10, TXE 1-2, SPS 2-3) parser (lib/fw/gen2.c), the $MN2
 * manifest parser (lib/fw/manifest.c) for R0/R1/R2, and the real g1/g2
 * corpus images (when AMTLESS_CORPUS is set). */

#include "testutil.h"
#include "build_me.h"
#include "build_sign.h"
#include "corpus_split.h"

static void test_fields(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen2(&o);
	struct tb_buf b = tb_build_gen2(&o, &l);
	tb_sign_manifest(b.data, b.size, l.man_off, AMT_MAN_R0);
	tb_sign_manifest(b.data, b.size, l.nftp_man_off, AMT_MAN_R0);
	struct amt_image *img = tu_parse(&b);
	const struct amt_fw *fw = &img->fw;

	assert_int_equal(fw->layout, AMT_LAYOUT_GEN2);
	assert_int_equal(fw->generation, 2);
	assert_int_equal(fw->family, AMT_FAM_ME);
	assert_true(fw->version_known);
	assert_int_equal(fw->version.major, 8);
	assert_int_equal(fw->version.minor, 1);
	assert_int_equal(fw->version.hotfix, 20);
	assert_int_equal(fw->version.build, 1336);

	const struct amt_partition *ftpr = tu_part(fw, "FTPR"), *nftp = tu_part(fw, "NFTP");
	assert_non_null(ftpr);
	assert_non_null(nftp);
	assert_int_equal(ftpr->manifest, fw->ftpr_manifest);
	const struct amt_manifest *m = &fw->manifests[fw->ftpr_manifest];
	assert_ptr_equal(fw->key, &m->key);
	assert_int_equal(m->kind, AMT_MAN_R0);
	assert_string_equal(m->partition, "FTPR");
	assert_int_equal(m->offset, l.man_off);
	assert_int_equal(m->size, l.man_size);
	assert_int_equal(m->module_count, 4);
	assert_int_equal(m->svn, 3);
	assert_int_equal(m->vcn, 7);
	assert_int_equal(m->key_bytes, 256);
	assert_int_equal(m->key.modulus_bits, 2048);
	assert_int_equal(m->sig, AMT_SIG_VALID);
	assert_true(nftp->manifest >= 0 && nftp->manifest != fw->ftpr_manifest);
	assert_int_equal(fw->manifests[nftp->manifest].sig, AMT_SIG_VALID);
	assert_string_equal(fw->manifests[nftp->manifest].partition, "NFTP");
	assert_int_equal(nftp->nmodules, 1);
	assert_string_equal(fw->modules[nftp->first_module].name, "CLS");
	assert_int_equal(fw->modules[nftp->first_module].hash_ok, AMT_YES);

	assert_int_equal(ftpr->nmodules, 4);
	static const amt_compression comp[] = { AMT_COMP_NONE, AMT_COMP_NONE, AMT_COMP_LZMA,
						AMT_COMP_HUFFMAN };
	/* POLICY: one chunk of real Huffman code (tests/builder/build_huff.c) */
	static const amt_tristate hash[] = { AMT_YES, AMT_YES, AMT_YES, AMT_YES };
	for (unsigned i = 0; i < 4; i++) {
		const struct amt_module *mod = &fw->modules[ftpr->first_module + i];
		assert_string_equal(mod->name, l.mod_name[i]);
		assert_string_equal(mod->partition, "FTPR");
		assert_int_equal(mod->header_offset, l.mme_off + i * 0x60);
		assert_int_equal(mod->offset, l.mod_off[i]);
		assert_int_equal(mod->size, l.mod_size[i]);
		assert_int_equal(mod->comp, comp[i]);
		assert_int_equal(mod->hash_ok, hash[i]);
		assert_true(mod->in_range);
	}
	assert_int_equal(fw->modules[ftpr->first_module + 2].usize, 0x1000);

	assert_true(fw->has_llut);
	assert_int_equal(fw->llut_offset, l.llut_off);
	assert_int_equal(fw->llut_chunks, l.llut_chunks);
	assert_int_equal(fw->llut_chunk_size, l.llut_chunk_size);
	assert_int_equal(fw->llut_addr_base, l.llut_addr_base);
	assert_int_equal(fw->llut_spi_base, l.llut_spi_base);

	assert_true(fw->sku_known);
	assert_string_equal(fw->sku, "1.5MB");
	assert_int_equal(fw->amt_present, AMT_NO);
	assert_true(tu_evidence(fw, "E01C1141 03220000"));
	assert_int_equal(img->nproblems, 0);
	amt_image_free(img);
	tb_free(&b);
}

static void test_txe_no_huffman(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen2(&o);
	o.stride = 0x80;
	o.major = 1;
	o.minor = 1;
	o.huffman = false;
	struct tb_buf b = tb_build_gen2(&o, &l);
	struct amt_image *img = tu_parse(&b);
	const struct amt_fw *fw = &img->fw;
	assert_int_equal(fw->family, AMT_FAM_TXE);
	assert_false(fw->has_llut);
	assert_int_equal(fw->amt_present, AMT_NO);
	const struct amt_partition *ftpr = tu_part(fw, "FTPR");
	assert_int_equal(ftpr->nmodules, 3);
	assert_int_equal(fw->modules[ftpr->first_module + 2].header_offset, l.mme_off + 2 * 0x80);
	assert_int_equal(fw->modules[ftpr->first_module + 2].hash_ok, AMT_YES);
	/* unsigned manifest: the signature check fails but parsing goes on */
	assert_int_not_equal(fw->manifests[fw->ftpr_manifest].sig, AMT_SIG_VALID);
	amt_image_free(img);
	tb_free(&b);
}

struct sku_case {
	unsigned major, words;
	uint8_t v[8];
	amt_tristate amt;
	const char *sku;
	amt_family fam;
};

static void test_sku_values(void **state)
{
	(void)state;
	static const struct sku_case t[] = {
		{ 6, 3, { 0, 0, 0, 0 }, AMT_NO, "Ignition", AMT_FAM_ME },
		{ 6, 3, { 0x70, 0x1C, 0, 0 }, AMT_NO, "1.5MB", AMT_FAM_ME },
		{ 6, 3, { 0x77, 0xFC, 0x6E, 0 }, AMT_YES, "5MB desktop", AMT_FAM_ME },
		{ 6, 3, { 0xF7, 0xFE, 0xFE, 0 }, AMT_YES, "5MB mobile", AMT_FAM_ME },
		{ 6, 3, { 0x12, 0x34, 0x56, 0x78 }, AMT_UNKNOWN, NULL, AMT_FAM_ME },
		{ 7, 4, { 0x70, 0x1C, 0x10, 0x01, 0x83, 0x22, 0, 0 }, AMT_NO, "1.5MB", AMT_FAM_ME },
		{ 7, 4, { 0x70, 0x1C, 0x10, 0x81, 0x83, 0x22, 0, 0 }, AMT_NO, "Slim", AMT_FAM_ME },
		{ 8, 4, { 0xFF, 0x5C, 0xFF, 0xCD, 0x0A, 0x43, 0, 0 }, AMT_YES, "5MB", AMT_FAM_ME },
		{ 8, 4, { 0xFF, 0x5C, 0xFF, 0xCD, 0x07, 0x43, 0, 0 }, AMT_UNKNOWN, NULL, AMT_FAM_ME },
		{ 9, 4, { 0xE0, 0x99, 0x11, 0xD1, 0x0A, 0x22, 0, 0 }, AMT_YES, "Corporate", AMT_FAM_ME },
		{ 9, 4, { 0xE0, 0x99, 0x11, 0xD1, 0x13, 0x22, 0, 0 }, AMT_NO, "Consumer", AMT_FAM_ME },
		{ 10, 4, { 0x40, 0x1A, 0x00, 0x11, 0x23, 0x22, 0, 0 }, AMT_NO, "Slim", AMT_FAM_ME },
		{ 10, 4, { 0x40, 0x1A, 0x00, 0x11, 0x53, 0x22, 0, 0 }, AMT_UNKNOWN, NULL, AMT_FAM_ME },
		{ 3, 3, { 0x2F, 0xE4, 0x01, 0x00 }, AMT_NO, "SPS", AMT_FAM_SPS },
		{ 2, 3, { 0x08, 0x00, 0x00, 0x00 }, AMT_NO, "SPS", AMT_FAM_SPS },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct tb_me_opts o;
		struct tb_me_layout l;
		tb_me_opts_gen2(&o);
		o.major = t[i].major;
		o.sku_words = t[i].words;
		memcpy(o.sku, t[i].v, 8);
		struct tb_buf b = tb_build_gen2(&o, &l);
		struct amt_image *img = tu_parse(&b);
		const struct amt_fw *fw = &img->fw;
		if (fw->amt_present != t[i].amt)
			fail_msg("case %zu: AMT %s, expected %s", i,
				 amt_tristate_str(fw->amt_present), amt_tristate_str(t[i].amt));
		assert_int_equal(fw->family, t[i].fam);
		if (t[i].sku)
			assert_string_equal(fw->sku, t[i].sku);
		assert_int_equal(fw->sku_known, t[i].sku != NULL);
		assert_true(fw->namt_evidence >= 1);
		assert_true(tu_evidence(fw, "$SKU at 0x"));
		amt_image_free(img);
		tb_free(&b);
	}
}

static void test_no_sku(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen2(&o);
	o.no_sku = true;
	struct tb_buf b = tb_build_gen2(&o, &l);
	struct amt_image *img = tu_parse(&b);
	assert_int_equal(img->fw.amt_present, AMT_UNKNOWN);
	assert_true(tu_evidence(&img->fw, "no $SKU"));
	amt_image_free(img);
	tb_free(&b);
}

static void test_module_hash_mismatch(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen2(&o);
	struct tb_buf b = tb_build_gen2(&o, &l);
	b.data[l.mod_off[0] + 5] ^= 1;            /* uncompressed ROMP */
	b.data[l.mod_off[2] + l.mod_size[2] / 2] ^= 0x55; /* inside the LZMA stream */
	struct amt_image *img = tu_parse(&b);
	const struct amt_partition *ftpr = tu_part(&img->fw, "FTPR");
	assert_int_equal(img->fw.modules[ftpr->first_module + 0].hash_ok, AMT_NO);
	assert_int_equal(img->fw.modules[ftpr->first_module + 1].hash_ok, AMT_YES);
	assert_int_equal(img->fw.modules[ftpr->first_module + 2].hash_ok, AMT_NO);
	amt_image_free(img);
	/* fixing the stored hash makes it match again */
	tb_me_fix_module_hash(b.data, l.man_off, l.mme_off);
	img = tu_parse(&b);
	assert_int_equal(img->fw.modules[tu_part(&img->fw, "FTPR")->first_module].hash_ok, AMT_YES);
	amt_image_free(img);
	tb_free(&b);
}

static void test_count_past_manifest(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen2(&o);
	struct tb_buf b = tb_build_gen2(&o, &l);
	amt_wr32(b.data + l.man_off + 0x20, 0x10000);
	struct amt_image *img = tu_parse(&b);
	assert_true(tu_problem(img, AMT_E_RANGE, NULL));
	const struct amt_partition *ftpr = tu_part(&img->fw, "FTPR");
	/* what fits before the manifest end: the 4 modules + 1 unused slot */
	assert_true(ftpr->nmodules <= 5);
	assert_true(ftpr->nmodules >= 4);
	amt_image_free(img);
	tb_free(&b);
}

static void test_module_outside(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen2(&o);
	struct tb_buf b = tb_build_gen2(&o, &l);
	amt_wr32(b.data + l.mme_off + 0x38, 0xFFFFFF00u);           /* ROMP data offset */
	amt_wr32(b.data + l.mme_off + 0x60 + 0x40, 0x7FFFFFFFu);   /* BUP size */
	struct amt_image *img = tu_parse(&b);
	const struct amt_partition *ftpr = tu_part(&img->fw, "FTPR");
	assert_false(img->fw.modules[ftpr->first_module].in_range);
	assert_false(img->fw.modules[ftpr->first_module + 1].in_range);
	assert_int_equal(img->fw.modules[ftpr->first_module].hash_ok, AMT_UNKNOWN);
	assert_true(img->fw.modules[ftpr->first_module + 2].in_range);
	assert_true(tu_problem(img, AMT_E_RANGE, NULL));
	amt_image_free(img);
	tb_free(&b);
}

static void test_llut_missing(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen2(&o);
	struct tb_buf b = tb_build_gen2(&o, &l);
	b.data[l.llut_off] = 'X';
	struct amt_image *img = tu_parse(&b);
	assert_false(img->fw.has_llut);
	assert_true(tu_problem(img, AMT_E_BADMAGIC, NULL));
	amt_image_free(img);
	/* chunk count past the partition */
	b.data[l.llut_off] = 'L';
	amt_wr32(b.data + l.llut_off + 4, 0x40000000u);
	img = tu_parse(&b);
	assert_true(img->fw.has_llut);
	assert_true(tu_problem(img, AMT_E_TRUNCATED, NULL));
	amt_image_free(img);
	tb_free(&b);
}

static void test_manifest_problems(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen2(&o);
	struct tb_buf b = tb_build_gen2(&o, &l);
	tb_sign_manifest(b.data, b.size, l.man_off, AMT_MAN_R0);

	/* size past the partition: signature not checkable */
	amt_wr32(b.data + l.man_off + 0x18, 0x40000000u);
	struct amt_image *img = tu_parse(&b);
	assert_true(tu_problem(img, AMT_E_TRUNCATED, NULL));
	assert_int_equal(img->fw.manifests[img->fw.ftpr_manifest].sig, AMT_SIG_INVALID);
	assert_true(img->fw.version_known);
	amt_image_free(img);

	/* header length shorter than the key */
	amt_wr32(b.data + l.man_off + 0x18, (uint32_t)(l.man_size / 4));
	amt_wr32(b.data + l.man_off + 0x04, 0x10);
	img = tu_parse(&b);
	assert_true(tu_problem(img, AMT_E_RANGE, NULL));
	amt_image_free(img);
	amt_wr32(b.data + l.man_off + 0x04, 0xA1);

	/* FTPR too short for the manifest header */
	amt_wr32(b.data + l.ftpr_entry + 0x0C, 0x200);
	tb_fpt_fix_checksum(b.data, l.fpt_off);
	img = tu_parse(&b);
	assert_false(img->fw.version_known);
	assert_true(tu_problem(img, AMT_E_TRUNCATED, NULL));
	amt_image_free(img);
	amt_wr32(b.data + l.ftpr_entry + 0x0C, (uint32_t)l.ftpr_size);

	/* broken tag */
	memcpy(b.data + l.man_off + 0x1C, "$MNX", 4);
	tb_fpt_fix_checksum(b.data, l.fpt_off);
	img = tu_parse(&b);
	assert_false(img->fw.version_known);
	assert_true(tu_problem(img, AMT_E_BADMAGIC, NULL));
	amt_image_free(img);
	memcpy(b.data + l.man_off + 0x1C, "$MN2", 4);

	/* no FTPR entry at all */
	memcpy(b.data + l.ftpr_entry, "XXXX", 4);
	tb_fpt_fix_checksum(b.data, l.fpt_off);
	img = tu_parse(&b);
	assert_false(img->fw.version_known);
	assert_int_equal(img->fw.ftpr_manifest, -1);
	assert_null(img->fw.key);
	assert_true(tu_problem(img, AMT_E_RANGE, NULL));
	amt_image_free(img);
	tb_free(&b);
}

/* Input cut at every structure of the FTPR partition: never a crash, a
 * problem instead. */
static void test_truncated_everywhere(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen2(&o);
	o.no_nftp = true;
	struct tb_buf b = tb_build_gen2(&o, &l);
	for (size_t cut = 0x40; cut < l.mod_off[2] + 0x40; cut += 0x1C) {
		struct amt_image *img = NULL;
		amt_error e;
		amt_status st = amt_image_parse(b.data, cut, NULL, &img, &e);
		if (st != AMT_OK)
			continue; /* $FPT itself cut: refused with an error */
		/* said either way: a problem, or a fact of a region truncated
		 * after its $FPT's partitions (read as padded, as verify reads it) */
		assert_true(img->nproblems > 0 || img->ntruncation_notes > 0);
		if (img->ntruncation_notes)
			assert_true(img->truncated_to > cut);
		amt_image_free(img);
	}
	tb_free(&b);
}

static struct amt_image *bare_img(const uint8_t *d, size_t size, int gen)
{
	struct amt_image *img = calloc(1, sizeof(*img));
	assert_non_null(img);
	img->data = d;
	img->size = size;
	img->fw.generation = gen;
	img->fw.ftpr_manifest = -1;
	return img;
}

static void test_manifest_kinds(void **state)
{
	(void)state;
	struct amt_parse_opts opts;
	amt_parse_opts_init(&opts);
	static const struct {
		int kind, gen;
		uint32_t hv;
		unsigned kb;
		const char *name;
	} t[] = {
		{ AMT_MAN_R0, 2, 0x10000, 256, "" },
		{ AMT_MAN_R1, 3, 0x10000, 256, "" },          /* gen 3 image */
		{ AMT_MAN_R1, 2, 0x10000, 256, "FTPR.man" },  /* a $CPD .man entry */
		{ AMT_MAN_R2, 3, 0x21000, 384, "FTPR.man" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct tb_buf b = tb_alloc(0x1000, 0);
		uint8_t *m = b.data + 0x100;
		uint32_t hl = 0x80 + 2 * t[i].kb + 4;
		amt_wr32(m + 4, hl / 4);
		amt_wr32(m + 8, t[i].hv);
		amt_wr32(m + 0x10, 0x8086);
		amt_wr32(m + 0x18, (hl + 0x40) / 4);
		memcpy(m + 0x1C, "$MN2", 4);
		amt_wr16(m + 0x24, 16);
		amt_wr16(m + 0x2A, 2000);
		tb_sign_manifest(b.data, b.size, 0x100, t[i].kind);
		struct amt_image *img = bare_img(b.data, b.size, t[i].gen);
		struct amt_parse_ctx c = { b.data, b.size, img, &opts };
		amt_error e;
		int idx;
		assert_int_equal(amt_manifest_parse(&c, 0x100, b.size, "FTPR", t[i].name, &idx, &e),
				 AMT_OK);
		const struct amt_manifest *mm = &img->fw.manifests[idx];
		assert_int_equal(mm->kind, t[i].kind);
		assert_string_equal(mm->name, t[i].name);
		assert_string_equal(mm->partition, "FTPR");
		assert_int_equal(mm->key_bytes, t[i].kb);
		assert_int_equal(mm->key.modulus_bits, t[i].kb * 8);
		assert_int_equal(mm->modulus_offset, 0x180);
		assert_int_equal(mm->exponent_offset, 0x180 + t[i].kb);
		assert_int_equal(mm->signature_offset, 0x184 + t[i].kb);
		assert_int_equal(mm->key.exponent, 0x10001);
		assert_int_equal(mm->version.major, 16);
		assert_int_equal(mm->version.build, 2000);
		assert_int_equal(mm->sig, AMT_SIG_VALID);
		assert_int_equal(mm->module_count, 0);
		amt_image_free(img);

		/* every limit that cuts the header */
		for (uint64_t lim = 0x100; lim < 0x100 + hl; lim += 7) {
			img = bare_img(b.data, b.size, t[i].gen);
			c.img = img;
			assert_int_equal(amt_manifest_parse(&c, 0x100, lim, "FTPR", "", &idx, &e),
					 AMT_E_TRUNCATED);
			assert_int_equal(idx, -1);
			assert_int_equal(img->fw.nmanifests, 0);
			amt_image_free(img);
		}
		/* offset past the input */
		img = bare_img(b.data, b.size, t[i].gen);
		c.img = img;
		assert_int_equal(amt_manifest_parse(&c, UINT64_MAX - 8, UINT64_MAX, "FTPR", "", &idx,
						    &e), AMT_E_TRUNCATED);
		amt_image_free(img);
		tb_free(&b);
	}
}

/* ---- real images --------------------------------------------------- */

/* Every g1_* / g2_* image of MANIFEST.tsv: the version me_cleaner reports,
 * an FTPR/CODE manifest with a valid signature; update files refused. */
static void test_corpus(void **state)
{
	(void)state;
	const char *dir = getenv("AMTLESS_CORPUS");
	if (!dir || !*dir) {
		print_message("AMTLESS_CORPUS not set: skipping the real-image g1/g2 test\n");
		skip();
		return;
	}
	char path[1024];
	snprintf(path, sizeof(path), "%s/MANIFEST.tsv", dir);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[4096];
	unsigned checked = 0, updates = 0;
	while (fgets(line, sizeof(line), f)) {
		char *cols[9] = { 0 };
		char *save = NULL, *p = line;
		for (int i = 0; i < 9; i++) {
			cols[i] = strtok_r(p, "\t", &save);
			p = NULL;
			if (!cols[i])
				break;
		}
		if (!cols[7] || (strncmp(cols[0], "images/g1_", 10) && strncmp(cols[0], "images/g2_", 10)))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, cols[0]);
		size_t n = 0;
		uint8_t *d = tu_read_file(path, &n);
		assert_non_null(d);
		struct amt_image *img = NULL;
		amt_error e;
		amt_status st = amt_image_parse(d, n, NULL, &img, &e);
		unsigned a, b2, c2, d2;
		if (sscanf(cols[7], "%u.%u.%u.%u (generation", &a, &b2, &c2, &d2) != 4) {
			/* update files: me_cleaner -c failed */
			assert_int_equal(st, AMT_E_UPDATE_FILE);
			updates++;
			free(d);
			continue;
		}
		if (st != AMT_OK)
			fail_msg("%s: %s", cols[0], e.message);
		const struct amt_fw *fw = &img->fw;
		char want[48], got[48];
		snprintf(want, sizeof(want), "%u.%u.%u.%u", a, b2, c2, d2);
		amt_version_fmt(&fw->version, got, sizeof(got));
		if (!fw->version_known || strcmp(want, got))
			fail_msg("%s: version %s, me_cleaner says %s", cols[0], got, want);
		assert_true(fw->ftpr_manifest >= 0);
		const struct amt_manifest *m = &fw->manifests[fw->ftpr_manifest];
		if (m->sig != AMT_SIG_VALID)
			fail_msg("%s: FTPR signature %s (%s)", cols[0], amt_sig_status_str(m->sig),
				 m->sig_detail);
		/* every stored module hash we can check matches */
		unsigned hashed = 0, checkable = 0;
		for (size_t i = 0; i < fw->nmodules; i++) {
			const struct amt_module *mod = &fw->modules[i];
			if (mod->hash_ok == AMT_NO)
				fail_msg("%s: module %s hash mismatch", cols[0], mod->name);
			hashed += mod->hash_ok == AMT_YES;
			/* gen 1: all in-range modules; gen 2: uncompressed and LZMA */
			checkable += mod->in_range && mod->comp != AMT_COMP_HUFFMAN;
		}
		/* TXE 2 NFTP "PAVP" is flagged LZMA but is no LZMA stream
		 * (encrypted?): its hash stays unknown */
		assert_true(hashed + 1 >= checkable);
		if (checkable)
			assert_true(hashed > 0);
		int gen = cols[8][0] - '0';
		assert_int_equal(fw->generation, gen);
		print_message("%s: %s gen %d sku \"%s\" AMT %s, %u module hashes ok\n", cols[0] + 7,
			      got, gen, fw->sku, amt_tristate_str(fw->amt_present), hashed);
		checked++;
		amt_image_free(img);
		free(d);
	}
	fclose(f);
	assert_true(checked >= 14);
	assert_true(updates >= 2);
}

/* lib/fw/manifest.c: a manifest with vendor 0 and an all-zero modulus and
 * exponent is an unsigned placeholder (the OEM SMIP partition of a TXE 4
 * IFWI): signature UNSUPPORTED, "unsigned: ...", and no problem. Vendor 0
 * with a real key is a wrong vendor: a problem at +0x10. */
static void test_placeholder_manifest(void **state)
{
	(void)state;
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen2(&o);
	struct tb_buf b = tb_build_gen2(&o, &l);
	tb_sign_manifest(b.data, b.size, l.man_off, AMT_MAN_R0);
	tb_sign_manifest(b.data, b.size, l.nftp_man_off, AMT_MAN_R0);
	uint8_t *m = b.data + l.man_off;
	struct amt_parse_opts po;
	amt_parse_opts_init(&po);
	po.verify_signatures = true;

	/* the signed image: no problem at all (the baseline of the checks below) */
	struct amt_image *img = tu_parse(&b);
	assert_int_equal(img->nproblems, 0);
	assert_int_not_equal(img->fw.manifests[img->fw.ftpr_manifest].sig, AMT_SIG_UNSUPPORTED);
	amt_image_free(img);

	/* vendor 0 and the signed key kept: a wrong vendor, recorded */
	amt_wr32(m + 0x10, 0);
	tb_sign_manifest(b.data, b.size, l.man_off, AMT_MAN_R0);
	img = tu_parse(&b);
	assert_true(tu_problem(img, AMT_E_BADMAGIC, NULL));
	bool at_vendor = false;
	for (size_t i = 0; i < img->nproblems; i++)
		if (img->problems[i].offset == l.man_off + 0x10 &&
		    strstr(img->problems[i].message, "vendor 0x0"))
			at_vendor = true;
	assert_true(at_vendor);
	const struct amt_manifest *mf = &img->fw.manifests[img->fw.ftpr_manifest];
	assert_int_equal(mf->vendor, 0);
	assert_int_not_equal(mf->sig, AMT_SIG_UNSUPPORTED);
	assert_null(strstr(mf->sig_detail, "unsigned"));
	amt_image_free(img);

	/* vendor 0, modulus and exponent zero: the placeholder, not a problem,
	 * with or without signature checks */
	memset(m + 0x80, 0, 0x104);
	for (int verify = 0; verify < 2; verify++) {
		amt_error e;
		img = NULL;
		po.verify_signatures = verify;
		assert_int_equal(amt_image_parse(b.data, b.size, &po, &img, &e), AMT_OK);
		assert_int_equal(img->nproblems, 0);
		mf = &img->fw.manifests[img->fw.ftpr_manifest];
		assert_int_equal(mf->vendor, 0);
		assert_int_equal(mf->sig, AMT_SIG_UNSUPPORTED);
		assert_ptr_equal(strstr(mf->sig_detail, "unsigned: "), mf->sig_detail);
		assert_true(img->fw.version_known);
		amt_image_free(img);
	}

	/* a zero key with a non-zero vendor is no placeholder: a problem */
	amt_wr32(m + 0x10, 0x1234);
	img = tu_parse(&b);
	assert_true(tu_problem(img, AMT_E_BADMAGIC, NULL));
	assert_null(strstr(img->fw.manifests[img->fw.ftpr_manifest].sig_detail, "placeholder"));
	amt_image_free(img);
	/* ... and neither is vendor 0 with only the exponent set */
	amt_wr32(m + 0x10, 0);
	amt_wr32(m + 0x180, 0x11);
	img = tu_parse(&b);
	assert_true(tu_problem(img, AMT_E_BADMAGIC, NULL));
	assert_null(strstr(img->fw.manifests[img->fw.ftpr_manifest].sig_detail, "placeholder"));
	amt_image_free(img);
	tb_free(&b);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_txe_no_huffman),
		cmocka_unit_test(test_sku_values),
		cmocka_unit_test(test_no_sku),
		cmocka_unit_test(test_module_hash_mismatch),
		cmocka_unit_test(test_count_past_manifest),
		cmocka_unit_test(test_module_outside),
		cmocka_unit_test(test_llut_missing),
		cmocka_unit_test(test_manifest_problems),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_manifest_kinds),
		cmocka_unit_test(test_placeholder_manifest),
		cmocka_unit_test(test_corpus),
	};
	return corpus_split_run(tests, NULL, NULL, argc, argv);
}
