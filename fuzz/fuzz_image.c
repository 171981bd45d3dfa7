/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness: amt_image_parse() on arbitrary bytes — input-kind
 * detection and the whole inspect model (descriptor, platform, $FPT,
 * manifests, $MME/LLUT, $CPD and extensions, IFWI layout/BPDT). Every
 * field of the resulting model is read and its invariants checked
 * (model_check.h); a broken invariant aborts, which libFuzzer reports.
 *
 * The first input byte picks the options (signature verification on/off,
 * a platform override) so both paths are explored; the image is the rest.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <amtless/image.h>

#include "model_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_image: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct amt_parse_opts opts;
	struct amt_image *img = NULL;
	amt_error err;
	const char *bad;

	if (size < 1)
		return 0;
	amt_parse_opts_init(&opts);
	/* Low bit: verify signatures (RSA is costly: verify one time in 4).
	 * Bit 7 set: bits 2..6 name a platform to override with, or (31) ask
	 * for an expert override of the disable bit's place. */
	opts.verify_signatures = (data[0] & 3) == 0;
	if (data[0] & 0x80) {
		unsigned v = (data[0] >> 2) & 0x1F;
		if (v < AMT_PLAT__COUNT) {
			opts.platform_override = (amt_platform_id)v;
		} else {
			/* the expert override of the disable bit's place */
			opts.hap_override.set = true;
			opts.hap_override.strap = 71;
			opts.hap_override.bit = 16;
		}
	}
	data++;
	size--;

	/* a private copy of exactly `size` bytes: ASan sees reads past the end */
	uint8_t *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);

	amt_status st = amt_image_parse(copy, size, &opts, &img, &err);
	if (st == AMT_OK) {
		if (!img)
			fail("AMT_OK without a model");
		bad = amt_model_check(img);
		if (bad)
			fail(bad);
		amt_image_free(img);
	} else {
		if (img)
			fail("a failed parse returned a model");
		bad = amt_error_check(st, &err);
		if (bad)
			fail(bad);
	}
	free(copy);
	return 0;
}
