/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Real-image suite for Huffman modules (AMTLESS_CORPUS): every Huffman
 * module of every image of the corpus hashes right against the hash the
 * image itself stores ($MME, .met 0x0A, CSME 12+ rbe/pm tables). A module
 * left unchecked must name why, and only for reasons that are real
 * (erased by me_cleaner, encrypted, the named VE_FW_NAND exception); a
 * mismatch fails. amt_module_unpack (extract --unpack) agrees with the
 * parse. Prints the counts per firmware family and major version.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <amtless/extract.h>
#include <amtless/image.h>

#include "corpus.h"
#include "corpus_split.h"

#define NFAM 32

struct tally {
	char fam[24];
	unsigned modules, ok, bad, unknown, images;
};

static struct tally tallies[NFAM];
static int failures;

static struct tally *tally_of(const char *fam)
{
	for (int i = 0; i < NFAM; i++) {
		if (!tallies[i].fam[0])
			snprintf(tallies[i].fam, sizeof(tallies[i].fam), "%s", fam);
		if (!strcmp(tallies[i].fam, fam))
			return &tallies[i];
	}
	return &tallies[NFAM - 1];
}

static void check_image(const char *rel)
{
	size_t size = 0;
	uint8_t *d = corpus_read(rel, &size);
	struct amt_image *img = NULL;
	struct amt_parse_opts o;
	amt_parse_opts_init(&o);
	o.verify_signatures = false;
	if (!d || amt_image_parse(d, size, &o, &img, NULL) != AMT_OK || !img->has_fw) {
		amt_image_free(img);
		free(d);
		return; /* descriptors, update files: nothing to check here */
	}
	const struct amt_fw *fw = &img->fw;
	char fam[24];
	snprintf(fam, sizeof(fam), "%s %u", amt_family_str(fw->family), fw->version.major);
	struct tally *t = tally_of(fam);
	bool any = false;
	for (size_t k = 0; k < fw->nmodules; k++) {
		const struct amt_module *m = &fw->modules[k];
		if (m->comp != AMT_COMP_HUFFMAN || m->kind != AMT_MOD_MODULE)
			continue;
		any = true;
		t->modules++;
		if (m->hash_ok == AMT_YES) {
			t->ok++;
			uint8_t *u = NULL;
			size_t n = 0;
			amt_hash_match match = AMT_HASH_NONE;
			amt_error e;
			if (amt_module_unpack(img, k, &u, &n, &match, &e) != AMT_OK ||
			    match != AMT_HASH_UNPACKED) {
				print_error("%s: %s/%s: the parse checks its hash but unpack says %s\n", rel,
					    m->partition, m->name, amt_hash_match_str(match));
				failures++;
			}
			free(u);
		} else if (m->hash_ok == AMT_NO) {
			t->bad++;
			print_error("%s: %s/%s: Huffman module does not hash right\n", rel, m->partition,
				    m->name);
			failures++;
		} else {
			t->unknown++;
			bool named = m->unchecked == AMT_UNCHECKED_REMOVED ||
				     m->unchecked == AMT_UNCHECKED_ENCRYPTED ||
				     (m->unchecked == AMT_UNCHECKED_KNOWN_BAD_HASH &&
				      !strcmp(m->name, "VE_FW_NAND"));
			print_message("%s: %s/%s: not checked: %s\n", rel, m->partition, m->name,
				      amt_unchecked_str(m->unchecked));
			if (!named) {
				print_error("%s: %s/%s: Huffman module unchecked without a named reason "
					    "(%s)\n", rel, m->partition, m->name,
					    amt_unchecked_str(m->unchecked));
				failures++;
			}
		}
	}
	if (any)
		t->images++;
	amt_image_free(img);
	free(d);
}

static void test_huffman_corpus(void **state)
{
	(void)state;
	if (!corpus_dir()) {
		print_message("real-image suite skipped: AMTLESS_CORPUS is not set\n");
		skip();
	}
	struct corpus_row *rows = NULL;
	int n = corpus_rows(&rows);
	assert_true(n > 0);
	for (int i = 0; i < n; i++)
		check_image(rows[i].file);
	free(rows);
	unsigned total = 0, ok = 0;
	print_message("Huffman modules per family (images: modules = hash ok / mismatch / "
		      "unchecked with a reason):\n");
	for (int i = 0; i < NFAM && tallies[i].fam[0]; i++) {
		const struct tally *t = &tallies[i];
		if (!t->modules)
			continue;
		print_message("  %-10s %2u images: %3u = %3u / %u / %u\n", t->fam, t->images,
			      t->modules, t->ok, t->bad, t->unknown);
		total += t->modules;
		ok += t->ok;
	}
	print_message("  all: %u Huffman modules, %u hash right\n", total, ok);
	/* the corpus holds Huffman modules of ME 6-10 and of CSE: each checks */
	assert_true(total > 0);
	assert_true(ok > 0);
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_huffman_corpus),
	};
	return corpus_only_run(tests, NULL, NULL);
}
