/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amtless inspect over many files (inspect_many.c). */
#ifndef AMTLESS_INSPECT_MANY_H
#define AMTLESS_INSPECT_MANY_H

#include <stdbool.h>

#include <amtless/image.h>

struct inspect_many_opts {
	bool json;                     /* one compact JSON document per line */
	bool recursive;                /* walk directories */
	unsigned jobs;                 /* worker threads; 0: one per available CPU */
	struct amt_parse_opts popts;   /* as for one file (--platform, --no-verify) */
	const char *platform;          /* --platform KEY as given, or NULL */
};

/* Inspect the n operands (files, and directories with o->recursive): one
 * line per file on stdout, in the order given (directory entries in byte
 * order of their names), a file that fails reported on its own line.
 * Returns EXIT_OK, EXIT_SOME_FAILED, or EXIT_OUTPUT / EXIT_INTERNAL. */
int inspect_many(int n, char **operands, const struct inspect_many_opts *o);

#endif
