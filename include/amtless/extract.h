/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * amtless - the pieces of a parsed image that can be written out as files
 * (regions, ME partitions, modules), safe file names for them, and the
 * unpacking of LZMA-compressed modules. Pure functions: nothing here
 * touches the file system.
 */
#ifndef AMTLESS_EXTRACT_H
#define AMTLESS_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <amtless/error.h>
#include <amtless/image.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum amt_piece_kind {
	AMT_PIECE_REGION = 0,    /* a descriptor region */
	AMT_PIECE_PARTITION,     /* an $FPT / BPDT / layout-table partition */
	AMT_PIECE_MODULE,        /* a module or $CPD entry, as stored */
} amt_piece_kind;

const char *amt_piece_kind_str(amt_piece_kind k); /* "region", "partition", "module" */

/* Selection bits for amt_extract_list(). */
#define AMT_PIECES_REGIONS    0x1u
#define AMT_PIECES_PARTITIONS 0x2u
#define AMT_PIECES_MODULES    0x4u
#define AMT_PIECES_ALL        0x7u

#define AMT_PIECE_PATH_MAX 128

struct amt_piece {
	amt_piece_kind kind;
	char name[17];        /* as in the image ("ME", "FTPR", "kernel"): any byte */
	char group[5];        /* a module's partition as in the image; "" otherwise */
	char path[AMT_PIECE_PATH_MAX]; /* safe relative path: "me.bin",
				  * "partitions/FTPR.bin", "modules/FTPR/kernel.bin" */
	uint64_t offset;      /* absolute offset of the bytes in the image */
	uint64_t size;
	amt_compression comp; /* modules; AMT_COMP_NONE otherwise */
	uint32_t usize;       /* modules: uncompressed size from the model (0: unknown) */
	size_t index;         /* into ifd.region[] / fw.partitions[] / fw.modules[] */
	bool skipped;         /* nothing to write: see note */
	char note[112];       /* why skipped, or what is special about it */
};

struct amt_piece_list {
	size_t n;
	struct amt_piece *v;
};

/*
 * List the pieces of img selected by `kinds` (AMT_PIECES_*), in image
 * model order: regions (used ones, by id), partitions, modules. Every
 * path is unique within the list (a clash gets "-2", "-3", ... before its
 * extension); an exact duplicate (same kind, name, group, offset, size:
 * e.g. two $FPT entries naming the same $CPD) is listed skipped. Pieces
 * whose bytes are not in the file are listed skipped with the reason.
 * Fails only with AMT_E_NOMEM / AMT_E_ARG.
 */
amt_status amt_extract_list(const struct amt_image *img, unsigned kinds,
			    struct amt_piece_list *out, amt_error *err);
void amt_piece_list_free(struct amt_piece_list *l);

/*
 * Make a safe file-name component of the NUL-terminated name: letters,
 * digits and "._-+" are kept, every other byte becomes "_xNN" (lowercase
 * hex), and so does a '.' that would lead or follow another '.'; an empty
 * name becomes "_empty". The result never holds '/' or "..", never starts
 * with '.' and has no control bytes. Writes at most len bytes including the NUL
 * (truncating on an escape boundary); returns the length written, or 0
 * when len < 8.
 */
size_t amt_safe_name(char *dst, size_t len, const char *name);

/* Largest unpacked module accepted (bytes). */
#define AMT_UNPACK_MAX (64u << 20)

/*
 * Unpack a module's LZMA data (src, n bytes, found at absolute offset
 * `at` for error messages) into a malloc'ed buffer. The data is an LZMA
 * "alone" stream: properties byte, dictionary size u32, uncompressed size
 * u64 at +0x05 (all ones: unknown, then the stream must end with an end
 * marker). When it starts 36 00 40 00 00 and bytes +0x0E..+0x10 are zero,
 * those 3 bytes are not part of the stream and are dropped (MEA.py
 * mod_anl; doc/formats.md#lzma). At most `limit` bytes (<= AMT_UNPACK_MAX) are
 * produced. Errors: AMT_E_TRUNCATED (header or stream cut short),
 * AMT_E_BADMAGIC (bad properties byte), AMT_E_RANGE (declared size over
 * the limit), AMT_E_CHECKSUM (corrupt data), AMT_E_UNSUPPORTED
 * (dictionary over the memory limit), AMT_E_NOMEM.
 */
amt_status amt_lzma_unpack(const uint8_t *src, size_t n, uint64_t at, uint64_t limit,
			   uint8_t **out, size_t *outlen, amt_error *err);

/*
 * Huffman decompression of ME modules. The code books are public reverse-
 * engineered facts (lib/fw/huffman_books.txt names their sources); every
 * code is complete and canonical, read most significant bit first; each
 * chunk is coded on its own with one of two dictionaries of its book
 * ("code" or "data", chosen per chunk by its table entry).
 */
typedef enum amt_huff_book {
	AMT_HUFF_ME6 = 0,   /* ME 6 (LLUT chipset field "PCH ") */
	AMT_HUFF_ME7,       /* ME 7-10, SPS 3 (LLUT chipset field "CPT ") */
	AMT_HUFF_CSE11,     /* CSME 11, CSSPS 4, CSME 14.5 */
	AMT_HUFF_CSE12,     /* the other CSE firmware (CSME 12-16, ...) */
	AMT_HUFF__COUNT
} amt_huff_book;

typedef enum amt_huff_dict {
	AMT_HUFF_CODE = 0,  /* chunk flag 0x20 */
	AMT_HUFF_DATA = 1,  /* chunk flag 0x60 */
} amt_huff_dict;

const char *amt_huff_book_str(amt_huff_book b); /* "ME 6", "ME 7-10", ... */

/*
 * Decode one chunk: exactly outlen bytes from the bit stream src (n bytes,
 * found at absolute offset `at` for error messages). *used (if not NULL)
 * receives the input bytes the code words took. Errors: AMT_E_TRUNCATED
 * (the stream ends inside a code word), AMT_E_CHECKSUM (the last symbol
 * runs past outlen: corrupt or not this book), AMT_E_UNSUPPORTED (a code
 * word whose symbol the book does not know), AMT_E_ARG.
 */
amt_status amt_huff_decode(amt_huff_book book, amt_huff_dict dict, const uint8_t *src,
			   size_t n, uint64_t at, uint8_t *out, size_t outlen, size_t *used,
			   amt_error *err);

/*
 * Unpack a CSE Huffman module (a $CPD entry's stored bytes, src/n at
 * absolute offset `at`) of usize uncompressed bytes (Module Attributes
 * 0x0A +0x0C): a table of usize / 4096 u32 (bits 24:0 chunk offset after
 * the table, bits 31:25 dictionary: 0x20 code, 0x60 data), then the chunks,
 * each decoding to 4096 bytes (MEA cse_huffman_decompress; ptresearch
 * unME11). Errors: AMT_E_RANGE (usize 0, not a multiple of 4096 or over
 * AMT_UNPACK_MAX), AMT_E_TRUNCATED, AMT_E_BADMAGIC (unknown chunk flag),
 * AMT_E_NOMEM, and those of amt_huff_decode.
 */
amt_status amt_huff_unpack_cse(amt_huff_book book, const uint8_t *src, size_t n, uint64_t at,
			       uint32_t usize, uint8_t **out, size_t *outlen, amt_error *err);

/*
 * Unpack a gen 2 (ME 6-10) Huffman module from a LUT (an "LLUT" or "GLUT"
 * header at absolute offset lut of d/size: +0x04 chunk count, +0x08 address
 * base - 0x10000000, +0x10 + +0x14 stream end, +0x30 chunk size, +0x40
 * entries: bits 24:0 chunk offset from rstart, bits 31:25 0x00 stored,
 * 0x20 code, 0x40 empty, 0x60 data; unhuffme pch_format.h, me_cleaner).
 * The module's pages are [base, base + usize) ($MME +0x34, +0x3C); a page
 * below the address base, past the table or marked empty is not stored and
 * not part of the module's hash: the result is the stored pages in order,
 * the last one cut at base + usize (unhuffme dump_huff_module). A base
 * inside a chunk (a chunk shared with the module before) starts that far
 * into the chunk's bytes. A chunk's bytes run to the next larger chunk
 * offset, the stream end or rend.
 * Errors: AMT_E_BADMAGIC (no LUT tag, unknown chunk flag), AMT_E_RANGE
 * (bad chunk size, base below the address base and off its chunk
 * boundaries, chunk outside
 * [rstart, rend), usize over AMT_UNPACK_MAX), AMT_E_TRUNCATED,
 * AMT_E_NOMEM, and those of amt_huff_decode.
 */
amt_status amt_huff_unpack_lut(amt_huff_book book, const uint8_t *d, size_t size, uint64_t lut,
			       uint64_t rstart, uint64_t rend, uint32_t base, uint32_t usize,
			       uint8_t **out, size_t *outlen, amt_error *err);

/* How a module's stored hash relates to its bytes. */
typedef enum amt_hash_match {
	AMT_HASH_NONE = 0,      /* the model has no hash for this module */
	AMT_HASH_UNPACKED,      /* the stored hash is that of the unpacked bytes */
	AMT_HASH_STORED,        /* ... of the bytes as stored (compressed) */
	AMT_HASH_MISMATCH,      /* matches neither */
} amt_hash_match;

const char *amt_hash_match_str(amt_hash_match h); /* "none", "unpacked", ... */

/*
 * The hash stored for module `mod` of img->fw: gen 2 $MME header +0x14
 * (SHA-256), CSE ".met" Module Attributes extension 0x0A +0x18 (SHA-256
 * or SHA-384, MEA.py mod_anl). Copies it (as stored, <= 48 bytes) to
 * hash, its length to *len and its absolute offset to *offset.
 * AMT_E_UNSUPPORTED when the model has none (gen 1, entries without
 * metadata), AMT_E_ARG for a bad index.
 */
amt_status amt_module_stored_hash(const struct amt_image *img, size_t mod, uint8_t hash[48],
				  unsigned *len, uint64_t *offset);

/*
 * Unpack module `mod` of img->fw into a malloc'ed buffer and compare its
 * stored hash (in either byte order, as the images keep it reversed)
 * with the unpacked and the stored bytes (*match). LZMA and Huffman
 * (gen 2 through its LLUT/GLUT, CSE through its chunk table; the code book
 * of the firmware version, or the other one of its generation when only
 * that one matches the stored hash). AMT_E_UNSUPPORTED for an encrypted
 * module, a Huffman module with no chunk table or a code book gap, and
 * unknown compression; AMT_E_ARG for an uncompressed module or a bad
 * index; AMT_E_RANGE when its bytes are not in the image; else as
 * amt_lzma_unpack / amt_huff_unpack_*.
 */
amt_status amt_module_unpack(const struct amt_image *img, size_t mod, uint8_t **out,
			     size_t *outlen, amt_hash_match *match, amt_error *err);

/* SHA-256 of n bytes. */
void amt_sha256(const uint8_t *p, size_t n, uint8_t out[32]);

#ifdef __cplusplus
}
#endif
#endif
