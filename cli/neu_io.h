/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Input and output of the neutralizing commands (neutralize, me_cleaner):
 * the input is mapped read-only (only the descriptor and the ME region
 * are touched), the edited bytes live in a small "window" at the start of
 * the image, and the output is the window followed by the rest of the
 * input copied by the kernel (copy_file_range), written atomically:
 * temporary file in the target directory, fsync, rename, fsync of the
 * directory.
 */
#ifndef AMTLESS_CLI_NEU_IO_H
#define AMTLESS_CLI_NEU_IO_H

#include <stddef.h>
#include <stdint.h>

#include <amtless/neutralize.h>

struct neu_in {
	int fd;
	const uint8_t *data;    /* read-only mapping of the whole file */
	size_t size;
};

/* Open and map a regular file (read-only; the file is never modified). */
amt_status neu_open(const char *path, struct neu_in *in, amt_error *err);
void neu_close(struct neu_in *in);

/* The output window: bytes [0, *wlen) of the output, edits applied; the
 * output is *out_size bytes, the rest equal to the input. *wlen covers
 * every edit and at least [0, min_len). */
amt_status neu_window(const struct amt_plan *p, const struct neu_in *in, uint64_t min_len,
		      uint8_t **win, size_t *wlen, size_t *out_size, amt_error *err);

/* Write window + input[wlen, out_size) to path atomically. */
amt_status neu_write(const char *path, const struct neu_in *in, const uint8_t *win, size_t wlen,
		     size_t out_size, amt_error *err);

#endif
