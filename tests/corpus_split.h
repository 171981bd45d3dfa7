/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One test program, two meson tests: the synthetic cases, and (argument
 * --corpus) the cases on real images, whose names contain "corpus". The
 * second exits 77 (meson's "skipped") when AMTLESS_CORPUS is not set, so a
 * missing corpus is counted as skipped, never as passed.
 *
 *	int main(int argc, char **argv)
 *	{
 *		const struct CMUnitTest tests[] = { ... };
 *		return corpus_split_run(tests, NULL, NULL, argc, argv);
 *	}
 *
 * A program whose every case needs the corpus ends with
 *	return corpus_only_run(tests, NULL, NULL);
 *
 * A program whose every case needs the corpus ends with
 *	return corpus_only_run(tests, NULL, NULL);
 *
 * Include after <cmocka.h>.
 */
#ifndef AMTLESS_TESTS_CORPUS_SPLIT_H
#define AMTLESS_TESTS_CORPUS_SPLIT_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* meson's exit status for a skipped test */
#define TEST_SKIPPED 77

/* true, or false after saying why (suites that need the corpus) */
static inline bool corpus_available(void)
{
	const char *d = getenv("AMTLESS_CORPUS");
	if (d && *d)
		return true;
	printf("1..0 # SKIP AMTLESS_CORPUS is not set (the real-image cases need the corpus "
	       "directory)\n");
	return false;
}

static inline int corpus_split_run_(const char *group, const struct CMUnitTest *tests, size_t n,
				    CMFixtureFunction setup, CMFixtureFunction teardown,
				    int argc, char **argv)
{
	bool corpus = argc > 1 && !strcmp(argv[1], "--corpus");
	if (argc > 2 || (argc == 2 && !corpus)) {
		fprintf(stderr, "usage: %s [--corpus]\n", argv[0]);
		return 2;
	}
	if (corpus && !corpus_available())
		return TEST_SKIPPED;
	struct CMUnitTest *sel = calloc(n ? n : 1, sizeof(*sel));
	if (!sel)
		return 1;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if ((strstr(tests[i].name, "corpus") != NULL) == corpus)
			sel[k++] = tests[i];
	int rc = 0;
	if (k)
		rc = _cmocka_run_group_tests(group, sel, k, setup, teardown);
	else if (corpus)
		printf("no real-image case in %s\n", group);
	free(sel);
	return rc;
}

/* A program whose every case needs the corpus: skipped (77) without it. */
#define corpus_only_run(tests, setup, teardown)                                             \
	(corpus_available() ? cmocka_run_group_tests(tests, setup, teardown) : TEST_SKIPPED)

/* A program whose every case needs the corpus: skipped (77) without it. */
#define corpus_only_run(tests, setup, teardown)                                             \
	(corpus_available() ? cmocka_run_group_tests(tests, setup, teardown) : TEST_SKIPPED)

#define corpus_split_run(tests, setup, teardown, argc, argv)                                 \
	corpus_split_run_(#tests, (tests), sizeof(tests) / sizeof((tests)[0]), (setup),     \
			  (teardown), (argc), (argv))

#endif
