/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the cmocka unit tests: the cmocka include block, parsing a
 * built image, looking things up in the parsed model, and reading files
 * (the real-firmware corpus named by AMTLESS_CORPUS).
 */
#ifndef AMTLESS_TEST_TESTUTIL_H
#define AMTLESS_TEST_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <amtless/neutralize.h>

#include "internal.h"
#include "neutralize/neutralize_int.h"
#include "builder.h"

/* amt_image_parse with the default options; a failure fails the test,
 * naming the structure, offset and message. */
struct amt_image *tu_parse(const struct tb_buf *b);
/* The same, and the image must hold firmware. */
struct amt_image *tu_parse_fw(const struct tb_buf *b);

/* A problem with this code (and, unless text is NULL, whose message
 * contains text). */
bool tu_problem(const struct amt_image *img, amt_status code, const char *text);
/* The first partition / check / module of that name, or NULL. */
const struct amt_partition *tu_part(const struct amt_fw *fw, const char *name);
const struct amt_check *tu_check(const struct amt_fw *fw, const char *what);
const struct amt_module *tu_mod(const struct amt_fw *fw, const char *partition,
				const char *name);
/* An AMT evidence line contains text. */
bool tu_evidence(const struct amt_fw *fw, const char *text);

/* Every byte of p[0..n) is 0xff. */
bool tu_all_ff(const uint8_t *p, size_t n);

/* amt_neutralize(), expected to succeed (a failure fails the test with
 * the message and the report's findings); returns a copy of the output
 * (malloc'ed, *out_size bytes), the plan in *p (release it with
 * amt_plan_release) and, unless rep is NULL, the report (free it with
 * amt_report_free). */
uint8_t *tu_neutralize_ok(const uint8_t *d, size_t n, const struct amt_neutralize_opts *o,
			  struct amt_plan *p, size_t *out_size, struct amt_report **rep);
/* Only the planner: parse d/n (with o->platform) and plan. */
amt_status tu_plan(const uint8_t *d, size_t n, const struct amt_neutralize_opts *o,
		   struct amt_plan *p, amt_error *err);
/* The independent verification of out against in (d/n) for o: AMT_OK
 * when the report has no finding, else AMT_E_VERIFY; *rep (when not NULL)
 * receives the report. */
amt_status tu_verify(const uint8_t *d, size_t n, const struct amt_neutralize_opts *o,
		     const uint8_t *out, size_t out_size, struct amt_report **rep);
/* The report has a finding of that kind. */
bool tu_finding(const struct amt_report *r, amt_finding_kind kind);
/* The plan's events as me_cleaner prints them / its warnings as the
 * native front end prints them (a static buffer, valid until the next
 * call). */
const char *tu_mc_log(const struct amt_plan *p);
const char *tu_notes(const struct amt_plan *p);
/* The first event of that kind (and, unless name is NULL, that name). */
const struct amt_event *tu_event(const struct amt_plan *p, amt_event_kind kind, const char *name);

/* A whole file, malloc'ed with a NUL byte after its *n bytes; NULL when it
 * cannot be read. */
uint8_t *tu_read_file(const char *path, size_t *n);
/* $AMTLESS_CORPUS/rel: NULL when AMTLESS_CORPUS is unset or empty; a file
 * that cannot be read fails the test. */
uint8_t *tu_corpus_read(const char *rel, size_t *n);
/* The same for $AMTLESS_CORPUS/images/name. */
uint8_t *tu_corpus_image(const char *name, size_t *n);

#endif
