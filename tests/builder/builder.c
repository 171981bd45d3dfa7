/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builder.h"

struct tb_buf tb_alloc(size_t size, uint8_t fill)
{
	struct tb_buf b = { malloc(size ? size : 1), size };
	if (!b.data) {
		fprintf(stderr, "test builder: out of memory\n");
		abort();
	}
	memset(b.data, fill, size);
	return b;
}

void tb_free(struct tb_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->size = 0;
}
