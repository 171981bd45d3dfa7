/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Seed writer for the fuzz harnesses: synthetic images of every
 * generation from the test builders (tests/builder, when their headers
 * exist) and the hand-made images of tests/hostile.h, each as a full
 * image (descriptor + region) and as a bare region.
 *
 *   fuzz_seeds HARNESS DIR
 *
 * fuzz_image inputs start with an option byte (see fuzz_image.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builder.h"
#include "../tests/hostile.h"

#if __has_include("build_ifd.h")
#include "build_ifd.h"
#define HAVE_BUILD_IFD 1
#endif
#if __has_include("build_me.h")
#include "build_me.h"
#define HAVE_BUILD_ME 1
#endif
#if __has_include("build_cse.h")
#include "build_cse.h"
#define HAVE_BUILD_CSE 1
#endif
/* weak: a builder whose header exists but whose source is not yet in the
 * builder library is skipped instead of breaking the link */
#ifdef HAVE_BUILD_IFD
#pragma weak tb_ifd_defaults
#pragma weak tb_ifd_defaults_ich
#pragma weak tb_ifd_build
#pragma weak tb_ifd_platform_straps
#endif
#ifdef HAVE_BUILD_ME
#pragma weak tb_me_opts_gen1
#pragma weak tb_me_opts_gen2
#pragma weak tb_build_gen1
#pragma weak tb_build_gen2
#endif
#ifdef HAVE_BUILD_CSE
#pragma weak tb_cse_opts_default
#pragma weak tb_cse_region
#pragma weak tb_ifwi_region
#pragma weak tb_cpd_spec_ftpr
#pragma weak tb_cpd_write
#endif

static const char *outdir;
static unsigned nseeds;
static int neutralize; /* fuzz_neutralize: a 2-byte option word first */
static int diff;       /* fuzz_diff: a pair (see fuzz_diff.c) */

static void emit1(const char *name, const uint8_t *pre, size_t npre, const uint8_t *d, size_t n)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/seed-%s", outdir, name);
	FILE *f = fopen(path, "wb");
	if (!f) {
		perror(path);
		exit(1);
	}
	fwrite(pre, 1, npre, f);
	fwrite(d, 1, n, f);
	if (fclose(f)) {
		perror(path);
		exit(1);
	}
	nseeds++;
}

/* fuzz_diff: the image against itself with one byte flipped, at 0x17E
 * (the HAP bit of PCHSTRP31 on a descriptor at 0) and near the start; the
 * platform named or not. */
static void emit_diff(const char *name, const uint8_t *d, size_t n)
{
	static const struct { uint8_t mode; uint16_t off; uint8_t x; } flips[] = {
		{ 1, 0x17E, 0x01 }, { 3, 0x1DE, 0x01 }, { 1, 0x44, 0x10 }, { 1, 0x0, 0x0 },
	};
	for (size_t i = 0; i < sizeof(flips) / sizeof(flips[0]); i++) {
		char nm[300];
		uint8_t h[5] = { flips[i].mode, 1, (uint8_t)flips[i].off, (uint8_t)(flips[i].off >> 8),
				 flips[i].x };
		snprintf(nm, sizeof(nm), "%s-d%zu", name, i);
		emit1(nm, h, sizeof(h), d, n);
	}
}

/* fuzz_diff: two images, A of its length, then B. */
static void emit_pair(const char *name, const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	uint8_t *buf = malloc(na + nb + 5);
	if (!buf)
		exit(1);
	buf[0] = 0;
	buf[1] = (uint8_t)na;
	buf[2] = (uint8_t)(na >> 8);
	buf[3] = (uint8_t)(na >> 16);
	buf[4] = (uint8_t)(na >> 24);
	memcpy(buf + 5, a, na);
	memcpy(buf + 5 + na, b, nb);
	emit1(name, buf, 5, buf + 5, na + nb);
	free(buf);
}

/* fuzz_image / fuzz_json: one option byte. fuzz_neutralize: the option
 * word of fuzz_neutralize.c: native, native -S + shrink, me_cleaner,
 * me_cleaner -S -t -d -k, the disable bit alone (operation), clearing it.
 * fuzz_diff: emit_diff. */
static void emit(const char *name, uint8_t opt, const uint8_t *d, size_t n)
{
	static const uint16_t words[] = { 0x0000, 0x0102, 0x0001, 0x06d3, 0x000e, 0x0008 };
	if (diff) {
		emit_diff(name, d, n);
		return;
	}
	if (!neutralize) {
		emit1(name, &opt, 1, d, n);
		return;
	}
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		char nm[300];
		uint8_t w[2] = { (uint8_t)words[i], (uint8_t)(words[i] >> 8) };
		snprintf(nm, sizeof(nm), "%s-o%04x", name, words[i]);
		emit1(nm, w, 2, d, n);
	}
}

/* A bare region and the same behind a descriptor (one with signature
 * checks on: option byte 0x00). */
static void emit_region(const char *name, const uint8_t *r, size_t n)
{
	char nm[256];
	emit(name, 0x01, r, n);
	size_t fn;
	uint8_t *full = h_img_full(&fn, r, n);
	snprintf(nm, sizeof(nm), "%s-full", name);
	emit(nm, 0x00, full, fn);
	free(full);
}

static void hand_made(void)
{
	size_t n;
	uint8_t *r;

	r = h_img_gen2(&n, 3);
	emit_region("hand-gen2", r, n);
	free(r);
	r = h_img_gen1(&n, 2);
	emit_region("hand-gen1", r, n);
	free(r);
	r = h_img_cse(&n, 3);
	emit_region("hand-cse", r, n);
	free(r);
	r = h_img_bpdt(&n, 0x4000);
	emit_region("hand-bpdt", r, n);
	free(r);
	r = h_img_ifwi17(&n, 0x1000, 0x2000);
	emit_region("hand-ifwi17", r, n);
	free(r);
	uint8_t d[0x2000];
	h_ifd(d, 0x100000, 0x2FFFFF, 0x300000, 0x7FFFFF);
	emit("hand-ifd-only", 0x01, d, sizeof(d));
}

#ifdef HAVE_BUILD_ME
static void from_builder(void)
{
	struct tb_me_opts o;
	struct tb_me_layout l;
	struct tb_buf b;

	if (!tb_build_gen1 || !tb_build_gen2)
		return;
	tb_me_opts_gen1(&o);
	b = tb_build_gen1(&o, &l);
	emit_region("tb-gen1", b.data, b.size);
	tb_free(&b);
	tb_me_opts_gen1(&o);
	o.fpt_at0 = true;
	b = tb_build_gen1(&o, &l);
	emit_region("tb-gen1-fpt0", b.data, b.size);
	tb_free(&b);

	tb_me_opts_gen2(&o);
	b = tb_build_gen2(&o, &l);
	emit_region("tb-gen2", b.data, b.size);
	tb_free(&b);
	tb_me_opts_gen2(&o);
	o.huffman = true;
	b = tb_build_gen2(&o, &l);
	emit_region("tb-gen2-huffman", b.data, b.size);
	tb_free(&b);
	tb_me_opts_gen2(&o);
	o.stride = 0x80;
	o.major = 1;
	o.no_nftp = true;
	b = tb_build_gen2(&o, &l);
	emit_region("tb-txe", b.data, b.size);
	tb_free(&b);
}
#endif

#ifdef HAVE_BUILD_CSE
static void from_cse_builder(void)
{
	struct tb_cse_opts o;
	struct tb_cse_info info;
	struct tb_buf b;

	if (!tb_cse_region || !tb_ifwi_region)
		return;
	tb_cse_opts_default(&o);
	b = tb_cse_region(&o, &info);
	emit_region("tb-me11", b.data, b.size);
	tb_free(&b);
	tb_cse_opts_default(&o);
	o.amt = o.with_nftp = o.with_locl = true;
	b = tb_cse_region(&o, &info);
	emit_region("tb-me11-amt", b.data, b.size);
	tb_free(&b);
	if (tb_cpd_spec_ftpr && tb_cpd_write) {
		/* every .met with declarations (lib/fw/cse/met.c) */
		struct tb_cpd_spec s;
		tb_cse_opts_default(&o);
		o.unsigned_man = true;
		b = tb_cse_region(&o, &info);
		tb_cpd_spec_ftpr(&s);
		s.unsigned_man = true;
		s.met_decls = true;
		tb_cpd_write(b.data, b.size, info.ftpr, 0x20000, &s, &info.ftpr_out);
		emit_region("tb-me11-met-decls", b.data, b.size);
		tb_free(&b);
	}
	static const struct { enum tb_ifwi_kind k; const char *name; } kinds[] = {
		{ TB_IFWI_16, "tb-ifwi16" }, { TB_IFWI_17, "tb-ifwi17" }, { TB_IFWI_BPDT, "tb-bpdt" },
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		tb_cse_opts_default(&o);
		o.amt = true;
		b = tb_ifwi_region(kinds[i].k, &o, &info);
		emit_region(kinds[i].name, b.data, b.size);
		tb_free(&b);
	}
}
#endif

#ifdef HAVE_BUILD_IFD
static void from_ifd_builder(void)
{
	static const char *const keys[] = { "spt", "cnp-h", "cnp-lp", "tgp-lp", "tgp-h", "adp-s", "adp-p",
					     "adp-n", "adp-pn", "jsp", "mcc", "mtl", "lbg", "apl", "arl-s",
					     "lnl", "ptl", "ebg" };
	struct tb_ifd_opts o;
	if (!tb_ifd_build || !tb_ifd_platform_straps)
		return;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		tb_ifd_defaults(&o, 2);
		if (!tb_ifd_platform_straps(&o, keys[i]))
			continue;
		struct tb_buf b = tb_ifd_build(&o);
		char nm[64];
		snprintf(nm, sizeof(nm), "tb-ifd-%s", keys[i]);
		emit(nm, 0x01, b.data, b.size);
		tb_free(&b);
	}
	tb_ifd_defaults(&o, 1);
	struct tb_buf b = tb_ifd_build(&o);
	emit("tb-ifd-v1", 0x01, b.data, b.size);
	tb_free(&b);
	tb_ifd_defaults_ich(&o);
	b = tb_ifd_build(&o);
	emit("tb-ifd-ich", 0x01, b.data, b.size);
	tb_free(&b);
	if (diff) {
		/* pairs of platforms */
		for (size_t i = 0; i + 1 < sizeof(keys) / sizeof(keys[0]); i += 2) {
			struct tb_ifd_opts p, q;
			tb_ifd_defaults(&p, 2);
			tb_ifd_defaults(&q, 2);
			if (!tb_ifd_platform_straps(&p, keys[i]) || !tb_ifd_platform_straps(&q, keys[i + 1]))
				continue;
			struct tb_buf x = tb_ifd_build(&p), y = tb_ifd_build(&q);
			char nm[64];
			snprintf(nm, sizeof(nm), "tb-pair-%s-%s", keys[i], keys[i + 1]);
			emit_pair(nm, x.data, x.size, y.data, y.size);
			tb_free(&x);
			tb_free(&y);
		}
	}
}
#endif

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: fuzz_seeds HARNESS DIR\n");
		return 2;
	}
	outdir = argv[2];
	neutralize = !strcmp(argv[1], "fuzz_neutralize");
	diff = !strcmp(argv[1], "fuzz_diff") || !strcmp(argv[1], "fuzz_flash_match");
	if (!strcmp(argv[1], "fuzz_image") || !strcmp(argv[1], "fuzz_json") || neutralize || diff) {
		hand_made();
#ifdef HAVE_BUILD_ME
		from_builder();
#endif
#ifdef HAVE_BUILD_IFD
		from_ifd_builder();
#endif
#ifdef HAVE_BUILD_CSE
		from_cse_builder();
#endif
	}
	printf("%u seeds in %s\n", nseeds, outdir);
	return 0;
}
