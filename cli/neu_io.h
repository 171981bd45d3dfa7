/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Input of the neutralizing commands (neutralize, me_cleaner): the input
 * file is mapped read-only, so it is never modified and a file truncated
 * underneath ends the program with nothing written.
 */
#ifndef AMTLESS_CLI_NEU_IO_H
#define AMTLESS_CLI_NEU_IO_H

#include <stddef.h>
#include <stdint.h>

#include <amtless/error.h>

struct neu_in {
	int fd;
	const uint8_t *data;    /* read-only mapping of the whole file */
	size_t size;
};

/* Open and map a regular file (read-only; the file is never modified). */
amt_status neu_open(const char *path, struct neu_in *in, amt_error *err);
void neu_close(struct neu_in *in);

#endif
