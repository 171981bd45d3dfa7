/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Input of the neutralizing commands (neutralize, me_cleaner): the input
 * file is mapped read-only, so it is never modified and a file truncated
 * underneath ends the program with nothing written. And what they share
 * to say: the override a refusal calls for.
 */
#ifndef AMTLESS_CLI_NEU_IO_H
#define AMTLESS_CLI_NEU_IO_H

#include <stdbool.h>
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

struct amt_parse_opts;
/* The smallest ME region the default neutralization gives for data (its
 * plan's min_me_size, 0 when it offers none), asked of the planner
 * (amt_neutralize, plan_only): false when no plan can be made (refused). */
bool neu_min_region(const uint8_t *data, size_t size, const struct amt_parse_opts *po,
		    bool full_image, uint64_t *min);

/* The override a refusal of the planner calls for, as the neutralizing
 * commands (neutralize, enable-me, flash) spell it; NULL: none. */
const char *neu_hint(amt_reason r);

#endif
