/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hostile inputs through amt_image_parse(): degenerate buffers, structures
 * pointing outside the input, at themselves or at each other in loops,
 * huge counts, truncations and a deterministic mutation sweep. Every parse
 * must end (no timing asserts: the suite timeout bounds it), return either
 * a clear error or a model whose invariants hold (fuzz/model_check.h),
 * with a number of elements bounded by the input size.
 * Regression inputs found by fuzzing live in tests/regress/ (*.bin).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <amtless/image.h>
#include <amtless/neutralize.h>

#include "../fuzz/model_check.h"
#include "build_cse.h"
#include "build_ifd.h"
#include "build_me.h"
#include "hostile.h"
#include "neutralize/neutralize_int.h"

#ifndef REGRESS_DIR
#define REGRESS_DIR "tests/regress"
#endif

static unsigned long nparsed, nok;
static unsigned long neu_refused, neu_verified, neu_rejected;

/* With AMTLESS_HOSTILE_DUMP=DIR, a failing input is saved there in
 * fuzz_image's format (option byte first) for fuzz/ and tests/regress/. */
static void dump_input(const uint8_t *d, size_t n, bool verify)
{
	const char *dir = getenv("AMTLESS_HOSTILE_DUMP");
	if (!dir)
		return;
	char path[1024];
	snprintf(path, sizeof(path), "%s/hostile-%lu.bin", dir, nparsed);
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	fputc(verify ? 0x00 : 0x01, f);
	fwrite(d, 1, n, f);
	fclose(f);
	print_message("failing input saved as %s\n", path);
}

/* Parse and check whatever comes out. Returns the model (caller frees) or
 * NULL after a checked error; *stp gets the status. */
static struct amt_image *parse_checked(const uint8_t *d, size_t n, bool verify, amt_status *stp)
{
	struct amt_parse_opts o;
	struct amt_image *img = (struct amt_image *)1;
	amt_error err;
	amt_parse_opts_init(&o);
	o.verify_signatures = verify;
	/* an exact-size heap copy so ASan sees any read past the end */
	uint8_t *copy = malloc(n ? n : 1);
	assert_non_null(copy);
	if (n)
		memcpy(copy, d, n);
	amt_status st = amt_image_parse(n ? copy : NULL, n, &o, &img, &err);
	nparsed++;
	if (stp)
		*stp = st;
	if (st != AMT_OK) {
		assert_null(img);
		const char *bad = amt_error_check(st, &err);
		if (bad) {
			dump_input(d, n, verify);
			fail_msg("%zu-byte input: %s (status %s)", n, bad, amt_status_str(st));
		}
		free(copy);
		return NULL;
	}
	nok++;
	assert_non_null(img);
	const char *bad = amt_model_check(img);
	if (bad) {
		dump_input(d, n, verify);
		fail_msg("%zu-byte input: %s", n, bad);
	}
	/* bounded memory: never more model elements than input bytes allow */
	size_t cap = n / 4 + 64;
	assert_true(img->fw.npartitions <= cap);
	assert_true(img->fw.nmanifests <= cap);
	assert_true(img->fw.nmodules <= cap);
	assert_true(img->fw.nchecks <= cap);
	assert_true(img->fw.cse.ninit <= cap);
	assert_true(img->nproblems <= cap);
	/* the model borrows the buffer: point it back at the caller's bytes */
	img->data = d;
	free(copy);
	return img;
}

static void parse_any(const uint8_t *d, size_t n)
{
	struct amt_image *img = parse_checked(d, n, true, NULL);
	amt_image_free(img);
}

/* ---- degenerate inputs ---------------------------------------------- */

static void test_empty_and_tiny(void **state)
{
	struct amt_image *img = (struct amt_image *)1;
	amt_error err;
	/* NULL and zero-size: a clear error, *out cleared */
	assert_int_equal(amt_image_parse(NULL, 0, NULL, &img, &err), AMT_E_UNKNOWN);
	assert_null(img);
	assert_non_null(strstr(err.message, "empty"));

	static const uint8_t bytes[] = { 0x00, '$', 0x5a };
	amt_status st;
	for (size_t i = 0; i < sizeof(bytes); i++) {
		assert_null(parse_checked(&bytes[i], 1, true, &st));
		assert_int_equal(st, AMT_E_UNKNOWN);
	}
	/* one 0xFF byte is erased flash, not an ME region */
	static const uint8_t ff = 0xff;
	struct amt_image *e = parse_checked(&ff, 1, true, &st);
	assert_non_null(e);
	assert_int_equal(e->kind, AMT_KIND_ERASED);
	assert_false(e->has_fw);
	amt_image_free(e);
	/* tags cut short */
	static const char *const tails[] = { "$FPT", "$CPD", "$MN2", "\x5a\xa5\xf0\x0f",
					     "\x00\x00\x55\xaa" };
	for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		uint8_t b[0x20];
		for (size_t len = 1; len <= sizeof(b); len++) {
			memset(b, 0, sizeof(b));
			memcpy(b + (len >= 0x14 ? 0x10 : 0), tails[i], 4);
			parse_any(b, len);
			memset(b, 0, sizeof(b));
			memcpy(b, tails[i], 4);
			parse_any(b, len);
		}
	}
}

static void test_blank_images(void **state)
{
	amt_status st;
	uint8_t *b = malloc(0x40000);
	assert_non_null(b);
	/* erased flash (a wiped ME region): recognised as such, no firmware */
	memset(b, 0xff, 0x40000);
	struct amt_image *img = parse_checked(b, 0x40000, true, &st);
	assert_non_null(img);
	assert_int_equal(img->kind, AMT_KIND_ERASED);
	assert_false(img->has_fw);
	assert_false(img->has_ifd);
	amt_image_free(img);
	memset(b, 0x00, 0x40000);
	assert_null(parse_checked(b, 0x40000, true, &st));
	assert_int_equal(st, AMT_E_UNKNOWN);
	free(b);
}

/* ---- descriptor ----------------------------------------------------- */

static void test_ifd_me_region_outside(void **state)
{
	uint8_t d[0x2000];
	amt_status st;
	h_ifd(d, 0x100000, 0x2FFFFF, 0x300000, 0x7FFFFF);
	struct amt_image *img = parse_checked(d, sizeof(d), true, &st);
	assert_int_equal(st, AMT_OK);
	assert_true(img->has_ifd);
	assert_int_equal(img->kind, AMT_KIND_DESCRIPTOR_ONLY);
	assert_false(img->has_fw);
	assert_false(img->ifd.region[AMT_RGN_ME].in_file);
	amt_image_free(img);
}

static void test_ifd_hostile_maps(void **state)
{
	uint8_t d[0x1000];
	/* section bases past the end, counts at their maximum, limit < base */
	static const uint32_t flmap0[] = { 0xffffffffu, 0x07ff03ffu, 0x00ff0000u, 0x04040404u };
	static const uint32_t flmap1[] = { 0xffffffffu, 0xff00ff00u, 0x00000000u, 0x80ff07ffu };
	for (size_t i = 0; i < 4; i++) {
		for (size_t j = 0; j < 4; j++) {
			h_ifd(d, 0x1000, 0xFFF, 0x0, 0xFFFFFFF);
			h_wr32(d + 0x14, flmap0[i]);
			h_wr32(d + 0x18, flmap1[j]);
			h_wr32(d + 0x1c, flmap0[(i + j) & 3]);
			parse_any(d, sizeof(d));
			/* the same at the very end of the buffer: signature at size-4 */
			parse_any(d + 0x10, 0x8);
		}
	}
	/* ME region covering the descriptor itself and the whole file */
	uint8_t *big = calloc(1, 0x11000);
	assert_non_null(big);
	h_ifd(big, 0, 0x10FFF, 0, 0x10FFF);
	parse_any(big, 0x11000);
	/* ME region whose $FPT is the descriptor's own bytes */
	memcpy(big + 0x10, "$FPT", 4);
	parse_any(big, 0x11000);
	free(big);
}

/* ---- $FPT ----------------------------------------------------------- */

static void test_fpt_huge_count(void **state)
{
	uint8_t *r = calloc(1, H_REGION);
	assert_non_null(r);
	static const uint32_t counts[] = { 0xffffffffu, 0x80000000u, 0x10000u, 0x7ffu, 0x800u };
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		memset(r, 0, H_REGION);
		h_fpt(r, counts[i]);
		h_fpt_entry(r, 0, "FTPR", 0x1000, 0x1000, 0);
		h_fpt_fix(r);
		amt_status st;
		struct amt_image *img = parse_checked(r, H_REGION, true, &st);
		if (img) /* at most what fits in the region */
			assert_true(img->fw.npartitions <= (H_REGION - 0x30) / 0x20);
		amt_image_free(img);
	}
	free(r);
}

static void test_fpt_entries_outside(void **state)
{
	uint8_t *r = calloc(1, H_REGION);
	assert_non_null(r);
	h_fpt(r, 4);
	h_fpt_entry(r, 0, "FTPR", 0xfffff000u, 0x2000, 0);  /* offset+size wraps */
	h_fpt_entry(r, 1, "NFTP", 0x8000, 0xfffffff0u, 0);  /* size runs past */
	h_fpt_entry(r, 2, "MDMV", H_REGION, 1, 0);          /* starts at the end */
	h_fpt_entry(r, 3, "DLMP", 0x7fffffffu, 0x80000001u, 0);
	h_fpt_fix(r);
	amt_status st;
	struct amt_image *img = parse_checked(r, H_REGION, true, &st);
	if (img) {
		for (size_t i = 0; i < img->fw.npartitions; i++)
			assert_false(img->fw.partitions[i].in_range);
		amt_image_free(img);
	}
	/* the same inside a full image: must not reach the BIOS region */
	size_t n;
	uint8_t *full = h_img_full(&n, r, H_REGION);
	img = parse_checked(full, n, true, &st);
	if (img && img->has_fw)
		for (size_t i = 0; i < img->fw.npartitions; i++)
			assert_false(img->fw.partitions[i].in_range);
	amt_image_free(img);
	free(full);
	free(r);
}

static void test_fpt_self_and_overlap(void **state)
{
	uint8_t *r = calloc(1, H_REGION);
	assert_non_null(r);
	h_fpt(r, 3);
	h_fpt_entry(r, 0, "FTPR", 0x0, H_REGION, 0);   /* covers the $FPT itself */
	h_fpt_entry(r, 1, "NFTP", 0x10, 0x40, 0);      /* starts at the $FPT tag */
	h_fpt_entry(r, 2, "FTPR", 0x0, H_REGION, 0);   /* duplicate name */
	h_fpt_fix(r);
	parse_any(r, H_REGION);
	/* an entry pointing at a $CPD that is the $FPT's own bytes */
	memcpy(r + 0x10 + 0x30, "$CPD", 4);
	h_fpt_entry(r, 1, "FTPR", 0x40, 0x100, 0);
	h_fpt_fix(r);
	parse_any(r, H_REGION);
	free(r);
}

/* ---- gen 2: $MN2 / $MME / LLUT -------------------------------------- */

static void test_gen2_huge_module_count(void **state)
{
	static const uint32_t counts[] = { 3, 0, 0xffffffffu, 0x10000000u, 0x1000u };
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		size_t n;
		uint8_t *r = h_img_gen2(&n, counts[i]);
		parse_any(r, n);
		free(r);
	}
}

static void test_gen2_manifest_sizes(void **state)
{
	static const uint32_t sizes[] = { 0, 1, 0xa0, 0xa1, 0x3fffffffu, 0xffffffffu, 0x40000000u };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n;
		uint8_t *r = h_img_gen2(&n, 3);
		h_wr32(r + 0x1000 + 0x18, sizes[i]);          /* Size */
		parse_any(r, n);
		h_wr32(r + 0x1000 + 0x04, sizes[i]);          /* HeaderLength */
		parse_any(r, n);
		h_wr32(r + 0x1000 + 0x78, sizes[i]);          /* key size */
		h_wr32(r + 0x1000 + 0x7c, sizes[i]);          /* exponent size */
		parse_any(r, n);
		free(r);
	}
}

static void test_gen2_modules_outside(void **state)
{
	size_t n;
	uint8_t *r = h_img_gen2(&n, 3);
	/* module data outside the partition, wrapping, and at the manifest */
	h_mme(r + 0x1000 + 0x290, "BUP", 0xfffffff0u, 0x100, 0x100, 0);
	h_mme(r + 0x1000 + 0x290 + 0x60, "KERNEL", 0x0, 0xffffffffu, 0xffffffffu, 2);
	h_mme(r + 0x1000 + 0x290 + 0xc0, "AMT", 0x7fff, 0x80000000u, 0x80000000u, 1);
	amt_status st;
	struct amt_image *img = parse_checked(r, n, true, &st);
	if (img) {
		for (size_t i = 0; i < img->fw.nmodules; i++) {
			const struct amt_module *m = &img->fw.modules[i];
			if (m->in_range) /* only the one at the manifest may be */
				assert_true(m->offset + m->size <= n);
		}
		amt_image_free(img);
	}
	free(r);
}

static void test_gen2_llut_hostile(void **state)
{
	static const uint32_t chunks[] = { 0xffffffffu, 0x01000000u, 0 };
	static const uint32_t csize[] = { 0, 1, 0xffffffffu };
	for (size_t i = 0; i < 3; i++) {
		for (size_t j = 0; j < 3; j++) {
			size_t n;
			uint8_t *r = h_img_gen2(&n, 3);
			uint8_t *l = r + 0x1000 + 0x2000;
			h_wr32(l + 0x04, chunks[i]);
			h_wr32(l + 0x30, csize[j]);
			h_wr32(l + 0x08, 0xffffffffu);
			h_wr32(l + 0x10, 0xfffffff0u);
			h_wr32(l + 0x14, 0x20u);
			parse_any(r, n);
			/* the LLUT at the very end of the region */
			h_mme(r + 0x1000 + 0x290 + 0xc0, "AMT", H_REGION - 0x1000 - 4, 0x800, 0x800, 1);
			memcpy(r + H_REGION - 4, "LLUT", 4);
			parse_any(r, n);
			free(r);
		}
	}
}

/* ---- gen 1 ---------------------------------------------------------- */

static void test_gen1_hostile(void **state)
{
	static const uint32_t counts[] = { 2, 0xffffffffu, 0x8000000u };
	for (size_t i = 0; i < 3; i++) {
		size_t n;
		uint8_t *r = h_img_gen1(&n, counts[i]);
		parse_any(r, n);
		h_wr32(r + 0x2c, 0xffffffffu);            /* CODE length */
		parse_any(r, n);
		h_wr32(r + 0x28, 0xfffff000u);            /* CODE offset */
		parse_any(r, n);
		free(r);
	}
}

/* ---- CSE: $CPD and manifest extensions ------------------------------ */

static void test_cpd_hostile(void **state)
{
	static const uint32_t counts[] = { 3, 0, 0xffffffffu, 0x10000000u, 0x555u };
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		size_t n;
		uint8_t *r = h_img_cse(&n, counts[i]);
		parse_any(r, n);
		free(r);
	}
	size_t n;
	uint8_t *r = h_img_cse(&n, 3);
	uint8_t *c = r + 0x1000;
	/* entries outside, wrapping, at the $CPD header itself */
	h_cpd_entry(c, 0, "FTPR.man", 0x01ffffffu, 0x400);
	h_cpd_entry(c, 1, "kernel", 0x0, 0xffffffffu);
	h_cpd_entry(c, 2, "kernel.met", 0x7ff0, 0x20);
	h_cpd_fix(c, 3);
	amt_status st;
	struct amt_image *img = parse_checked(r, n, true, &st);
	if (img)
		for (size_t i = 0; i < img->fw.nmodules; i++)
			if (img->fw.modules[i].in_range)
				assert_true(img->fw.modules[i].offset + img->fw.modules[i].size <= n);
	amt_image_free(img);
	/* a .man entry whose manifest is a $CPD (points back at the directory) */
	h_cpd_entry(c, 0, "FTPR.man", 0x0, 0x400);
	h_cpd_fix(c, 3);
	parse_any(r, n);
	/* header length field larger than the partition */
	c[10] = 0xff;
	parse_any(r, n);
	free(r);
}

static void test_cse_extensions_hostile(void **state)
{
	/* extension sizes 0 (would loop forever), 1..7 (shorter than its
	 * header), huge, and one that ends exactly at the manifest end */
	static const uint32_t esz[] = { 0, 1, 4, 7, 8, 0xffffffffu, 0x80000000u, 0x7c };
	static const uint32_t tags[] = { 0x00, 0x01, 0x03, 0x0a, 0x0c, 0x0f, 0x14, 0x17, 0xff };
	for (size_t i = 0; i < sizeof(esz) / sizeof(esz[0]); i++) {
		for (size_t t = 0; t < sizeof(tags) / sizeof(tags[0]); t++) {
			size_t n;
			uint8_t *r = h_img_cse(&n, 3);
			uint8_t *m = r + 0x1000 + 0x100;
			h_wr32(m + 0x284, tags[t]);
			h_wr32(m + 0x288, esz[i]);
			/* InitScript-shaped body: a huge module count */
			h_wr32(m + 0x284 + 0x0c, 0xffffffffu);
			parse_any(r, n);
			free(r);
		}
	}
}

/* ---- IFWI: layout table and BPDT ------------------------------------ */

static void test_bpdt_loops(void **state)
{
	/* S-BPDT pointing at the primary (0), at itself, outside, wrapping */
	static const uint32_t soff[] = { 0x0, 0x4000, 0xfff0, 0x10000, 0xffffffffu, 0x18 };
	for (size_t i = 0; i < sizeof(soff) / sizeof(soff[0]); i++) {
		size_t n;
		uint8_t *r = h_img_bpdt(&n, soff[i]);
		parse_any(r, n);
		if (soff[i] == 0x4000) {
			/* the secondary points at itself */
			h_bpdt_entry(r + 0x4000, 0, 5, 0x4000, 0x100);
			parse_any(r, n);
		}
		/* huge entry count */
		h_wr16(r + 4, 0xffff);
		parse_any(r, n);
		free(r);
	}
}

static void test_ifwi_layout_hostile(void **state)
{
	static const uint32_t offs[] = { 0x0, 0x1000, 0x2000, 0xffff, 0x10000, 0xffffffffu };
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		for (size_t j = 0; j < sizeof(offs) / sizeof(offs[0]); j++) {
			size_t n;
			uint8_t *r = h_img_ifwi17(&n, offs[i], offs[j]);
			parse_any(r, n);
			/* the BPDT's FTPR entry pointing back at the layout table */
			h_bpdt_entry(r + 0x2000, 0, 2, 0xffffe000u, 0x2000);
			parse_any(r, n);
			free(r);
		}
	}
	/* as the ME region of a full image, and a 1.6 table (size field 0) */
	size_t n, fn;
	uint8_t *r = h_img_ifwi17(&n, 0x1000, 0x2000);
	uint8_t *full = h_img_full(&fn, r, n);
	parse_any(full, fn);
	h_wr16(full + 0x1000 + 0x10, 0);
	parse_any(full, fn);
	free(full);
	free(r);
}

/* ---- truncation and mutation sweeps --------------------------------- */

typedef uint8_t *(*maker)(size_t *n);
static uint8_t *mk_gen2(size_t *n) { return h_img_gen2(n, 3); }
static uint8_t *mk_gen1(size_t *n) { return h_img_gen1(n, 2); }
static uint8_t *mk_cse(size_t *n) { return h_img_cse(n, 3); }
static uint8_t *mk_bpdt(size_t *n) { return h_img_bpdt(n, 0x4000); }
static uint8_t *mk_ifwi(size_t *n) { return h_img_ifwi17(n, 0x1000, 0x2000); }
static uint8_t *mk_full(size_t *n)
{
	size_t rn;
	uint8_t *r = h_img_gen2(&rn, 3);
	uint8_t *f = h_img_full(n, r, rn);
	free(r);
	return f;
}
static const maker makers[] = { mk_gen2, mk_gen1, mk_cse, mk_bpdt, mk_ifwi, mk_full };

static void test_truncations(void **state)
{
	for (size_t k = 0; k < sizeof(makers) / sizeof(makers[0]); k++) {
		size_t n;
		uint8_t *d = makers[k](&n);
		/* every size up to 0x400, then every 0x100 (structure edges) */
		for (size_t len = 1; len < n; len += len < 0x400 ? 1 : 0xfc) {
			struct amt_image *img = parse_checked(d, len, false, NULL);
			amt_image_free(img);
		}
		free(d);
	}
}

static uint32_t rng_state = 0x12345678;
static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void test_mutations(void **state)
{
	static const uint32_t vals[] = { 0, 1, 0x7fffffffu, 0x80000000u, 0xffffffffu,
					 0xfffffff0u, 0x10000u, 0x1000u, 0x0fffu, 0x20 };
	for (size_t k = 0; k < sizeof(makers) / sizeof(makers[0]); k++) {
		size_t n;
		uint8_t *seed = makers[k](&n);
		uint8_t *d = malloc(n);
		assert_non_null(d);
		for (unsigned it = 0; it < 300; it++) {
			memcpy(d, seed, n);
			unsigned nmut = 1 + rnd() % 4;
			for (unsigned m = 0; m < nmut; m++) {
				/* mostly hit the first 0x3000 bytes: the headers */
				size_t at = (rnd() % 4 ? rnd() % 0x3000 : rnd() % n) & ~(size_t)3;
				if (at + 4 > n)
					continue;
				if (rnd() & 1)
					h_wr32(d + at, vals[rnd() % (sizeof(vals) / sizeof(vals[0]))]);
				else
					d[at + rnd() % 4] = (uint8_t)rnd();
			}
			struct amt_image *img = parse_checked(d, n, (it & 7) == 0, NULL);
			amt_image_free(img);
		}
		free(d);
		free(seed);
	}
}

/* ---- neutralize on truncated and damaged images --------------------- */

/* Descriptor at 0 + region at 0x1000 + 64 KiB of BIOS (small: fast). */
static struct tb_buf with_descriptor(struct tb_buf *me)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	size_t me_size = (me->size + 0xfff) & ~(size_t)0xfff;
	size_t total = 0x1000 + me_size + 0x10000;
	o.flreg[AMT_RGN_ME] = tb_ifd_flreg(0x1000, (uint32_t)(0x1000 + me_size - 1));
	o.flreg[AMT_RGN_BIOS] = tb_ifd_flreg((uint32_t)(0x1000 + me_size), (uint32_t)(total - 1));
	struct tb_buf img = tb_ifd_image(&o, total, 0);
	memcpy(img.data + 0x1000, me->data, me->size);
	tb_free(me);
	return img;
}

/*
 * Whatever the input, neutralize must end with a refusal for a clear
 * reason, or an output that verifies -- and then it parses and a second,
 * separate verification against the input agrees -- or a result the
 * verifier rejects (and then no output is handed back).
 */
static void neutralize_checked(const uint8_t *d, size_t n, const struct amt_neutralize_opts *o)
{
	struct amt_parse_opts po;
	amt_parse_opts_init(&po);
	po.verify_signatures = false;
	amt_error err;
	amt_error_clear(&err);
	/* an exact-size copy so ASan sees any read past the end */
	uint8_t *copy = malloc(n ? n : 1);
	assert_non_null(copy);
	memcpy(copy, d, n);
	struct amt_neutralization *res = NULL;
	amt_status st = amt_neutralize(copy, n, o, &res, &err);
	if (st == AMT_E_VERIFY) {
		neu_rejected++;
		assert_non_null(res);
		assert_null(res->out);
		assert_non_null(res->report);
		assert_true(res->report->nfindings > 0);
	} else if (st != AMT_OK) {
		assert_null(amt_error_check(st, &err));
		neu_refused++;
	} else if (!o->check_only) {
		neu_verified++;
		assert_non_null(res->out);
		assert_int_equal(res->report->nfindings, 0);
		assert_int_equal(res->out_size, res->plan.out_size);
		struct amt_image *again = NULL;
		assert_int_equal(amt_image_parse(res->out, res->out_size, &po, &again, &err), AMT_OK);
		amt_image_free(again);
		/* the plan's view of the bytes is the output */
		if (res->out_size <= n) {
			uint8_t *view = malloc(res->out_size ? res->out_size : 1);
			assert_non_null(view);
			amt_plan_read(&res->plan, copy, n, 0, view, res->out_size);
			assert_memory_equal(view, res->out, res->out_size);
			free(view);
		}
	}
	amt_neutralization_free(res);
	free(copy);
}

static void test_neutralize_hostile(void **state)
{
	struct tb_buf imgs[4];
	struct tb_me_opts mo;
	struct tb_me_layout ml;
	struct tb_cse_opts co;
	struct tb_cse_info ci;
	struct tb_buf r;

	tb_me_opts_gen1(&mo);
	r = tb_build_gen1(&mo, &ml);
	imgs[0] = with_descriptor(&r);
	tb_me_opts_gen2(&mo);
	r = tb_build_gen2(&mo, &ml);
	imgs[1] = with_descriptor(&r);
	tb_cse_opts_default(&co);
	co.with_nftp = true;
	r = tb_cse_region(&co, &ci);
	imgs[2] = with_descriptor(&r);
	tb_cse_opts_default(&co);
	r = tb_ifwi_region(TB_IFWI_16, &co, &ci);
	imgs[3] = with_descriptor(&r);

	for (size_t k = 0; k < 4; k++) {
		const uint8_t *d = imgs[k].data;
		size_t n = imgs[k].size;
		for (unsigned mode = 0; mode < 4; mode++) {
			struct amt_neutralize_opts o;
			amt_neutralize_opts_init(&o);
			o.policy = mode & 1 ? AMT_NEU_ME_CLEANER : AMT_NEU_NATIVE;
			o.set_disable_bit = true;
			o.truncate = o.fix_master = o.relocate = (mode & 2) != 0;
			o.shrink_region = o.policy == AMT_NEU_NATIVE && (mode & 2);
			/* whole, then cut inside the ME region at several points */
			static const unsigned cuts[] = { 0, 2, 3, 5, 8, 16, 64 };
			for (size_t c = 0; c < sizeof(cuts) / sizeof(cuts[0]); c++) {
				size_t len = cuts[c] ? n / cuts[c] : n;
				if (len > 0x1000 + 0x200)
					neutralize_checked(d, len, &o);
			}
			/* and a few damaged copies: a dword overwritten in the headers */
			uint8_t *m = malloc(n);
			assert_non_null(m);
			for (unsigned it = 0; it < 40; it++) {
				memcpy(m, d, n);
				size_t at = (0x1000 + rnd() % 0x3000) & ~(size_t)3;
				h_wr32(m + at, (rnd() & 1) ? 0xffffffffu : rnd());
				neutralize_checked(m, n, &o);
			}
			free(m);
		}
		tb_free(&imgs[k]);
	}
}

/* ---- regression inputs from fuzzing --------------------------------- */

static void test_regressions(void **state)
{
	const char *dir = getenv("AMTLESS_REGRESS_DIR");
	if (!dir)
		dir = REGRESS_DIR;
	DIR *dh = opendir(dir);
	if (!dh) {
		print_message("no regression directory %s\n", dir);
		skip();
	}
	struct dirent *e;
	unsigned count = 0;
	while ((e = readdir(dh)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".bin"))
			continue;
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		uint8_t *buf = malloc(1 << 16);
		assert_non_null(buf);
		size_t n = fread(buf, 1, 1 << 16, f);
		fclose(f);
		/* fuzz_image's format: first byte = options, then the image */
		if (n > 1) {
			struct amt_image *img = parse_checked(buf + 1, n - 1, (buf[0] & 3) == 0, NULL);
			amt_image_free(img);
		}
		free(buf);
		count++;
	}
	closedir(dh);
	print_message("%u regression input(s) from %s\n", count, dir);
}

static int report(void **state)
{
	print_message("%lu inputs parsed, %lu produced a model\n", nparsed, nok);
	print_message("neutralize: %lu refused, %lu outputs verified, %lu rejected by verify\n",
		      neu_refused, neu_verified, neu_rejected);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_and_tiny),
		cmocka_unit_test(test_blank_images),
		cmocka_unit_test(test_ifd_me_region_outside),
		cmocka_unit_test(test_ifd_hostile_maps),
		cmocka_unit_test(test_fpt_huge_count),
		cmocka_unit_test(test_fpt_entries_outside),
		cmocka_unit_test(test_fpt_self_and_overlap),
		cmocka_unit_test(test_gen2_huge_module_count),
		cmocka_unit_test(test_gen2_manifest_sizes),
		cmocka_unit_test(test_gen2_modules_outside),
		cmocka_unit_test(test_gen2_llut_hostile),
		cmocka_unit_test(test_gen1_hostile),
		cmocka_unit_test(test_cpd_hostile),
		cmocka_unit_test(test_cse_extensions_hostile),
		cmocka_unit_test(test_bpdt_loops),
		cmocka_unit_test(test_ifwi_layout_hostile),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_neutralize_hostile),
		cmocka_unit_test(test_regressions),
	};
	return cmocka_run_group_tests(tests, NULL, report);
}
