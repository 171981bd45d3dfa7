/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Write one of the hand-made images of hostile.h to a file, for the
 * CLI-level tests (test_cli_faults.sh):
 *   hostile_write KIND FILE     KIND: gen2, gen1, cse, bpdt, ifwi17,
 *                               full, evilnames
 * "evilnames": a gen2 region whose partition and module names hold
 * control bytes, escape sequences, format directives and bytes >= 0x80.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostile.h"

int main(int argc, char **argv)
{
	size_t n = 0;
	uint8_t *d = NULL;

	if (argc != 3) {
		fprintf(stderr, "usage: hostile_write KIND FILE\n");
		return 2;
	}
	const char *k = argv[1];
	if (!strcmp(k, "gen2") || !strcmp(k, "evilnames")) {
		d = h_img_gen2(&n, 3);
	} else if (!strcmp(k, "gen1")) {
		d = h_img_gen1(&n, 2);
	} else if (!strcmp(k, "cse")) {
		d = h_img_cse(&n, 3);
	} else if (!strcmp(k, "bpdt")) {
		d = h_img_bpdt(&n, 0x4000);
	} else if (!strcmp(k, "ifwi17")) {
		d = h_img_ifwi17(&n, 0x1000, 0x2000);
	} else if (!strcmp(k, "full")) {
		size_t rn;
		uint8_t *r = h_img_gen2(&rn, 3);
		d = h_img_full(&n, r, rn);
		free(r);
	} else {
		fprintf(stderr, "hostile_write: unknown kind %s\n", k);
		return 2;
	}
	if (!strcmp(k, "evilnames")) {
		/* partition names (4 bytes) and module names (16 bytes) */
		memcpy(d + 0x50, "\x1b[2J", 4);                 /* 2nd $FPT entry */
		uint8_t *m = d + 0x1000 + 0x290;
		memcpy(m + 0x04, "%n%s%x%n\x1b[31mEV", 16);
		memcpy(m + 0x64, "\"q\\\n\r\t\x7f\xff\xfe\x80<>&'/", 16);
		memcpy(m + 0xc4, "\xc3\xa9\xe2\x80\xae" "RLO\x01\x02\x03\x04\x05\x06\x07\x08", 16);
		h_fpt_fix(d);
	}
	FILE *f = fopen(argv[2], "wb");
	if (!f || fwrite(d, 1, n, f) != n || fclose(f)) {
		perror(argv[2]);
		return 1;
	}
	free(d);
	return 0;
}
