/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Renderings of amt_diff() (render/diff.c): text for people, answer
 * first, and the "amtless-diff" JSON document, version 1
 * (doc/diff.schema.json).
 */
#ifndef AMTLESS_RENDER_DIFF_OUT_H
#define AMTLESS_RENDER_DIFF_OUT_H

#include <stdio.h>

#include <jansson.h>

#include <amtless/diff.h>

#define OUT_DIFF_SCHEMA "amtless-diff"
#define OUT_DIFF_VERSION 1

/* The one-line answer, then the differences, section by section. */
void out_text_diff(FILE *f, const char *file_a, const char *file_b, const struct amt_diff *d);
/* The JSON document, or NULL (out of memory). */
json_t *out_json_diff(const char *file_a, const char *file_b, const struct amt_diff *d);

#endif
