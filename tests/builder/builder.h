/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Synthetic image builder for the tests: umbrella header. Each area has
 * its own header (build_*.h) and source. Buffers are malloc'ed; free(). */
#ifndef AMTLESS_TEST_BUILDER_H
#define AMTLESS_TEST_BUILDER_H

#include <stddef.h>
#include <stdint.h>

struct tb_buf {
	uint8_t *data;
	size_t size;
};

/* Allocate size bytes filled with fill. Aborts on OOM (tests only). */
struct tb_buf tb_alloc(size_t size, uint8_t fill);
void tb_free(struct tb_buf *b);

#endif
