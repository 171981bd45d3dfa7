/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness: amt_neutralize() on arbitrary bytes with every option
 * combination. The first two input bytes choose the options (policy,
 * disable bit, keep modules, relocate, truncate, ME access, shrink,
 * extracts, check only, a keep or remove list); the rest is the image.
 * The oracle (neutralize_oracle.h) checks the result around the library's
 * own independent verifier.
 */
#include <stdint.h>

#include "neutralize_oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	uint16_t sel = (uint16_t)(data[0] | (data[1] << 8));
	struct amt_neutralize_opts o;
	oracle_opts(sel, &o);
	/* an exact-size copy: ASan sees every read past the end */
	uint8_t *copy = malloc(size - 2);
	if (!copy)
		return 0;
	memcpy(copy, data + 2, size - 2);
	oracle_run(copy, size - 2, &o);
	free(copy);
	return 0;
}
