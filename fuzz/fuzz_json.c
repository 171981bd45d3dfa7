/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness: the renderings of the inspect model. Arbitrary bytes
 * are parsed (as fuzz_image); the model is rendered as JSON
 * (out_json_image) and as text (out_text_image, colour off). Checks:
 *  - the JSON document serialises, parses back, and has the schema keys;
 *  - the text holds no raw control byte (names from the image escaped):
 *    only newline and tab may appear below 0x20, and no DEL.
 * Also renders the error of a failed parse as the CLI does.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <amtless/image.h>

#include "../cli/render/out.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_json: %s%s%.200s\n", what, detail ? ": " : "", detail ? detail : "");
	abort();
}

static void check_text(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)buf[i];
		if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f) {
			size_t from = i > 60 ? i - 60 : 0;
			char ctx[160];
			snprintf(ctx, sizeof(ctx), "byte 0x%02x at %zu after \"%.*s\"", ch, i,
				 (int)(i - from), buf + from);
			fail("raw control byte in the text output", ctx);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct amt_parse_opts opts;
	struct amt_image *img = NULL;
	amt_error err;

	if (size < 1)
		return 0;
	amt_parse_opts_init(&opts);
	opts.verify_signatures = (data[0] & 3) == 0;
	data++;
	size--;

	if (amt_image_parse(data, size, &opts, &img, &err) != AMT_OK)
		return 0;

	struct out_opts oo = { .color = false, .verify = opts.verify_signatures, .platform = NULL };

	json_t *doc = out_json_image("fuzz.bin", img, &oo);
	if (!doc)
		fail("out_json_image returned NULL", NULL);
	char *s = json_dumps(doc, JSON_COMPACT);
	if (!s)
		fail("json_dumps failed (invalid UTF-8 in a string?)", NULL);
	json_error_t jerr;
	json_t *back = json_loads(s, 0, &jerr);
	if (!back)
		fail("the JSON document does not parse back", jerr.text);
	if (!json_equal(doc, back))
		fail("the JSON document changes through a round trip", NULL);
	json_decref(back);
	free(s);
	json_decref(doc);

	char *text = NULL;
	size_t tlen = 0;
	FILE *f = open_memstream(&text, &tlen);
	if (!f)
		fail("open_memstream", NULL);
	out_text_image(f, "fuzz.bin", img, &oo);
	fclose(f);
	check_text(text, tlen);
	free(text);

	amt_image_free(img);
	return 0;
}
