/* SPDX-License-Identifier: GPL-2.0-or-later */
/* JSON documents of verify and neutralize (render/result_json.c). */
#ifndef AMTLESS_RENDER_RESULT_JSON_H
#define AMTLESS_RENDER_RESULT_JSON_H

#include <stdbool.h>

#include <jansson.h>

#include <amtless/neutralize.h>
#include <amtless/verify.h>

#define OUT_VERIFY_SCHEMA "amtless-verify"
#define OUT_VERIFY_VERSION 1
#define OUT_NEUTRALIZE_SCHEMA "amtless-neutralize"
#define OUT_NEUTRALIZE_VERSION 1

/* The verification report as one object (verify's and neutralize's "report"). */
json_t *out_json_report(const struct amt_report *r);
/* "amtless-verify", version 1 (doc/verify.schema.json); NULL: out of memory. */
json_t *out_json_verify(const char *file, const struct amt_report *r);
/* "amtless-neutralize", version 1 (doc/neutralize.schema.json): the plan, the
 * outcome, the verification of the output; written: the file written or NULL. */
json_t *out_json_neutralize(const char *file, const struct amt_neutralization *res, bool dry_run,
			    const char *written);

#endif
