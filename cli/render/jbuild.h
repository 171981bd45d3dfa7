/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The few jansson builders every JSON renderer uses. An allocation failure
 * anywhere in a document sets jb_oom instead of being checked at each call;
 * a renderer opens its document with jb_begin and asks jb_end once at the
 * end (documents nest: verify's holds the report's). The flag is per
 * thread: inspect renders several files in parallel.
 */
#ifndef AMTLESS_CLI_JBUILD_H
#define AMTLESS_CLI_JBUILD_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

extern _Thread_local bool jb_oom;

/* o[k] = v, taking v (a NULL v or a failed set marks the document broken) */
void jb_put(json_t *o, const char *k, json_t *v);
/* append v to the array a, taking v */
void jb_add(json_t *a, json_t *v);
/* an offset or size (inputs are at most 256 MiB, never near 2^63) */
json_t *jb_int(uint64_t v);
/* an offset, null when AMT_NO_OFFSET */
json_t *jb_off(uint64_t v);
/* "0x" + digits hex digits (at least) */
json_t *jb_hex(uint64_t v, int digits);

/* Start a document: clears jb_oom and returns its outer value. */
bool jb_begin(void);
/* End it: whether an allocation failed in it; jb_oom keeps the outer
 * document's failure. */
bool jb_end(bool outer);

#endif
