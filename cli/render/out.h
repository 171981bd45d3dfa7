/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * amtless command-line program: printing helpers shared by the subcommands
 * (escaping of strings read from images, colour, sizes) and the two
 * renderings of the image model (text: render/text.c, JSON: render/json.c).
 *
 * Strings in the model are byte strings: names copied from images (module,
 * partition, manifest names) may hold any byte, and library messages may
 * quote them. Two escaping modes:
 *  - names (OUT_NAME): every byte outside 0x20-0x7E is written \xNN in text,
 *    and in JSON each byte b becomes the code point U+00bb (Latin-1 mapping:
 *    ASCII stays as is, any byte can be recovered from the code point);
 *  - messages (OUT_MSG): as names, except that well-formed UTF-8 sequences
 *    (U+00A0 and above) are kept as they are.
 * In text a backslash is doubled, so the escaped form is unambiguous.
 */
#ifndef AMTLESS_OUT_H
#define AMTLESS_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include <amtless/image.h>
#include <amtless/verify.h>

enum out_mode {
	OUT_NAME = 0,   /* bytes from an image: only printable ASCII is literal */
	OUT_MSG = 1,    /* human text: valid UTF-8 passes, other bytes escaped */
};

/* Escaped text form of the first n bytes of s (stops at NUL) into buf,
 * always NUL-terminated; truncated on a whole escape, never inside one.
 * Returns buf. A buffer of 4*n+1 bytes never truncates. */
char *out_esc(const char *s, size_t n, enum out_mode mode, char *buf, size_t len);

/* Length of the well-formed UTF-8 sequence at p (at most avail bytes)
 * that encodes a code point >= U+00A0, or 0. */
size_t out_utf8_seq(const unsigned char *p, size_t avail);

/* Print s (NUL-terminated) escaped to f. */
void out_puts_esc(FILE *f, const char *s, enum out_mode mode);

/* A JSON string for the first n bytes of s (stops at NUL), encoded as
 * described above; never NULL on success, NULL only when out of memory. */
json_t *out_json_str(const char *s, size_t n, enum out_mode mode);
/* Same, or JSON null when s is NULL. */
json_t *out_json_nstr(const char *s, enum out_mode mode);

/* "4 KiB", "1.5 MiB", "123 B" into buf. */
char *out_size(uint64_t bytes, char *buf, size_t len);

/* Lowercase hex of n bytes into buf (2n+1 bytes). */
char *out_hex(const uint8_t *p, size_t n, char *buf);
/* n bytes read as a little-endian number, "0x" + 2n hex digits into buf
 * (2n + 3 bytes): whole hash values as the model's other values print. */
char *out_hash_le(const uint8_t *p, size_t n, char *buf);

/* Terminal colours (empty strings when colour is off). */
struct out_style {
	bool color;
	const char *bold, *dim, *red, *green, *yellow, *cyan, *reset;
};
void out_style_init(struct out_style *s, bool color);

/* Stable JSON keys of the model's enums. */
const char *out_kind_key(amt_input_kind k);     /* "full", "me-region", ... */
const char *out_layout_key(amt_layout l);       /* "gen1", "cse-fpt", ... */
const char *out_manifest_kind_str(amt_manifest_kind k); /* "gen1", "r0", ... */
const char *out_container_str(amt_part_container c);    /* "fpt", "bpdt", ... */
const char *out_module_kind_str(amt_module_kind k);     /* "module", ... */
const char *out_check_result(amt_tristate ok);          /* "ok", "mismatch", "unknown" */
const char *out_code_scope_key(amt_code_scope s);       /* "boot-partition", "firmware" */
/* Text after "X of Y" of the code measure: " FTPR code" or "". */
const char *out_code_scope_text(amt_code_scope s);

/* Renderings of a parsed image (file is the name to show). */
struct out_opts {
	bool color;
	bool verify;            /* signatures were verified */
	const char *platform;   /* --platform given by the user, or NULL */
	uint64_t min_region_size; /* the smallest ME region the default neutralization
				     gives (its plan's min_me_size), 0: none / not run */
	bool min_region_known;    /* min_region_size was asked of the planner */
};
void out_text_image(FILE *f, const char *file, const struct amt_image *img,
		    const struct out_opts *o);
/* The "amtless-inspect" document, version 1 (doc/inspect.schema.json). */
json_t *out_json_image(const char *file, const struct amt_image *img,
		       const struct out_opts *o);

#define OUT_INSPECT_SCHEMA "amtless-inspect"
#define OUT_INSPECT_VERSION 1

#endif
