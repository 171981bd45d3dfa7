/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The real-firmware suite for the image model: for every file of the
 * corpus MANIFEST, amt_image_parse succeeds or fails as the file's kind
 * says, reports the generation and version the manifest records, and
 * every FTPR/CODE manifest signature verifies. Skipped when AMTLESS_CORPUS
 * is unset.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <amtless/image.h>

#include "corpus.h"
#include "corpus_split.h"

static int failures;

static void fail_row(const char *file, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void fail_row(const char *file, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char buf[512];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	print_message("FAIL %s: %s\n", file, buf);
	failures++;
}

static void check_row(const struct corpus_row *r)
{
	size_t size = 0;
	uint8_t *d = corpus_read(r->file, &size);
	if (!d) {
		fail_row(r->file, "cannot read");
		return;
	}
	char sha[65];
	corpus_sha256_hex(d, size, sha);
	if (strcmp(sha, r->sha256))
		fail_row(r->file, "sha256 %s differs from MANIFEST", sha);

	struct amt_image *img = NULL;
	amt_error err;
	amt_status st = amt_image_parse(d, size, NULL, &img, &err);
	bool is_update = strstr(r->kind, "update") != NULL;
	bool is_desc = strstr(r->kind, "descriptor only") != NULL;

	if (is_update) {
		if (st != AMT_E_UPDATE_FILE)
			fail_row(r->file, "expected an update-file error, got %s", amt_status_str(st));
		else if (!strstr(err.message, "update file"))
			fail_row(r->file, "message does not name an update file: %s", err.message);
		goto out;
	}
	if (st != AMT_OK) {
		fail_row(r->file, "parse failed: %s at 0x%llx: %s", err.structure,
			 (unsigned long long)err.offset, err.message);
		goto out;
	}
	if (is_desc) {
		if (img->kind != AMT_KIND_DESCRIPTOR_ONLY)
			fail_row(r->file, "kind %s, expected descriptor", amt_input_kind_str(img->kind));
		if (!img->has_ifd)
			fail_row(r->file, "no descriptor model");
		goto out;
	}
	if (!img->has_fw) {
		fail_row(r->file, "no firmware found (kind %s; %zu problems%s%s)",
			 amt_input_kind_str(img->kind), img->nproblems,
			 img->nproblems ? ": " : "", img->nproblems ? img->problems[0].message : "");
		goto out;
	}
	if (strstr(r->kind, "ASSEMBLED") && img->kind != AMT_KIND_FULL)
		fail_row(r->file, "kind %s, expected a full image", amt_input_kind_str(img->kind));
	if (r->generation && img->fw.generation != r->generation)
		fail_row(r->file, "generation %d, expected %d", img->fw.generation, r->generation);
	char v[40];
	amt_version_fmt(&img->fw.version, v, sizeof(v));
	if (r->version[0] && (!img->fw.version_known || strcmp(v, r->version)))
		fail_row(r->file, "version %s, expected %s", v, r->version);
	if (img->fw.ftpr_manifest < 0 || (size_t)img->fw.ftpr_manifest >= img->fw.nmanifests) {
		fail_row(r->file, "no FTPR/CODE manifest");
	} else {
		const struct amt_manifest *m = &img->fw.manifests[img->fw.ftpr_manifest];
		if (m->sig != AMT_SIG_VALID)
			fail_row(r->file, "FTPR signature %s (%s)", amt_sig_status_str(m->sig), m->sig_detail);
	}
	/* Every manifest that is signed by Intel verifies (none are modified). */
	for (size_t i = 0; i < img->fw.nmanifests; i++) {
		const struct amt_manifest *m = &img->fw.manifests[i];
		if (m->sig == AMT_SIG_INVALID)
			fail_row(r->file, "manifest %s/%s at 0x%llx: signature invalid (%s)",
				 m->partition, m->name, (unsigned long long)m->offset, m->sig_detail);
	}
	if (img->fw.amt_present == AMT_YES && img->fw.namt_evidence == 0)
		fail_row(r->file, "AMT present without evidence");
out:
	amt_image_free(img);
	free(d);
}

static void test_corpus_images(void **state)
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
		check_row(&rows[i]);
	print_message("%d corpus images, %d failures\n", n, failures);
	free(rows);
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_images),
	};
	return corpus_only_run(tests, NULL, NULL);
}
