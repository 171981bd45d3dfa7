/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading the real-firmware corpus (AMTLESS_CORPUS) for the tests. */
#ifndef AMTLESS_TEST_CORPUS_H
#define AMTLESS_TEST_CORPUS_H

#include <stddef.h>
#include <stdint.h>

struct corpus_row {
	char file[160];          /* "images/g2_..." */
	char kind[160];          /* MANIFEST kind column */
	char version[32];        /* expected version, "" when none */
	int generation;          /* 1, 2, 3, or 0 */
	char sha256[65];
};

/* Directory named by AMTLESS_CORPUS, or NULL when unset/empty. */
const char *corpus_dir(void);

/* Parse MANIFEST.tsv; returns the number of rows (malloc'ed *rows), or -1. */
int corpus_rows(struct corpus_row **rows);

/* Column n (0-based) of a tab-separated line into out (len bytes, cut to
 * fit; "" when the line has fewer columns). */
void corpus_field(const char *line, int n, char *out, size_t len);

/* Read a corpus file (path relative to the corpus dir) whole; NULL on error. */
uint8_t *corpus_read(const char *rel, size_t *size);

/* Lowercase hex SHA-256 of a buffer into out[65]. */
void corpus_sha256_hex(const uint8_t *d, size_t n, char out[65]);

#endif
