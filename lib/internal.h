/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal helpers and the contract between the parsers of libamtless.
 * Not installed. Every parser reads through amt_in()/amt_rdNN() and never
 * touches bytes outside [0, ctx->size).
 */
#ifndef AMTLESS_INTERNAL_H
#define AMTLESS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <amtless/image.h>
#include <amtless/verify.h>

/* ---- bytes ---------------------------------------------------------- */

static inline uint16_t amt_rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}
static inline uint32_t amt_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}
static inline uint64_t amt_rd64(const uint8_t *p)
{
	return (uint64_t)amt_rd32(p) | ((uint64_t)amt_rd32(p + 4) << 32);
}
static inline uint32_t amt_rd32be(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) |
	       (uint32_t)p[3];
}
static inline void amt_wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}
static inline void amt_wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* True when [off, off+len) lies inside a buffer of `total` bytes (no overflow). */
static inline bool amt_in(uint64_t total, uint64_t off, uint64_t len)
{
	return off <= total && len <= total - off;
}

/* True when the 4 bytes at off equal tag (bounds-checked). */
static inline bool amt_tag_at(const uint8_t *d, size_t size, uint64_t off, const char tag[4])
{
	return amt_in(size, off, 4) && memcmp(d + off, tag, 4) == 0;
}

/* Copy up to n bytes of a fixed-size name field, stopping at NUL; the
 * result is NUL-terminated (dst has n+1 bytes). Bytes are kept as they
 * are: printing code escapes them. */
void amt_name_copy(char *dst, const uint8_t *src, size_t n);

/* 8-bit sum of len bytes. */
uint8_t amt_sum8(const uint8_t *p, size_t len);

/* CRC-32 (IEEE, as zlib) of len bytes. */
uint32_t amt_crc32(const uint8_t *p, size_t len);
/* The same, with the 4-byte CRC field at p+field read as zero (the rule of
 * every CRC-protected CSE structure). Needs field + 4 <= len <= 4 GiB. */
uint32_t amt_crc32_skip(const uint8_t *p, size_t len, size_t field);

/* Bytes that differ between a[0..n) and b[0..n), compared a block at a
 * time; *first / *last: the first and last differing index (AMT_NO_OFFSET
 * when none). Used by amt_diff and by flash's plan and read-back. */
uint64_t amt_count_diff(const uint8_t *a, const uint8_t *b, uint64_t n, uint64_t *first,
			uint64_t *last);

/* ---- growing the model --------------------------------------------- */

/* Append one zeroed element of esz bytes to the array *arr of *n elements
 * (capacity doubles); returns it, or NULL (no memory: *arr, *n unchanged). */
void *amt_grow(void **arr, size_t *n, size_t esz);

/* Each returns a pointer to a zeroed new element, or NULL (no memory). */
struct amt_partition *amt_fw_add_partition(struct amt_fw *fw);
struct amt_manifest *amt_fw_add_manifest(struct amt_fw *fw);
struct amt_module *amt_fw_add_module(struct amt_fw *fw);
struct amt_check *amt_fw_add_check(struct amt_fw *fw);
/* Keep the n (<= 8) SKU bytes at d + off as stored (fw->sku_bytes). */
void amt_fw_sku_bytes(struct amt_fw *fw, const uint8_t *d, uint64_t off, unsigned n);
/* Adds a formatted AMT evidence line. */
amt_status amt_fw_add_evidence(struct amt_fw *fw, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Record a check in one call. */
amt_status amt_fw_check(struct amt_fw *fw, const char *what, uint64_t offset,
			amt_tristate ok, uint64_t stored, uint64_t computed,
			const char *note);
/* Record a non-fatal problem (copied). */
amt_status amt_image_problem(struct amt_image *img, const amt_error *e);
/* Shorthand: format and record a problem. */
amt_status amt_image_problemf(struct amt_image *img, amt_status code,
			      const char *structure, uint64_t offset,
			      const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

void amt_fw_release(struct amt_fw *fw);

/* ---- size-versioned options ------------------------------------------ */

/* The end of the first published version of an options struct: the last
 * field it had. A caller built against it passes that struct_size. */
#define AMT_OPTS_V1_END(type, last) (offsetof(type, last) + sizeof(((type *)0)->last))

/* Read a caller's options struct (struct_size, its first field, says how
 * long it is) into *dst, which holds the defaults: the fields the caller
 * knows are taken, newer ones keep their defaults. False when src is NULL
 * or shorter than the first version (v1_size). */
bool amt_opts_take(void *dst, size_t dst_size, const void *src, size_t v1_size);

/* ---- parse context -------------------------------------------------- */

struct amt_parse_ctx {
	const uint8_t *data;     /* the whole input */
	size_t size;
	struct amt_image *img;   /* the model being filled */
	const struct amt_parse_opts *opts;
};

/* extract.c: amt_module_stored_hash on a model being built (no has_fw). */
amt_status amt_fw_stored_hash(const uint8_t *d, size_t dsize, const struct amt_fw *fw,
			      size_t mod, uint8_t hash[48], unsigned *len, uint64_t *offset);

/* ---- parsers (one file each) ---------------------------------------- */

/* ifd.c: find the descriptor signature (0x0, 0x10, then a scan on 4-byte
 * steps); returns the absolute signature offset or -1. */
int64_t amt_ifd_find(const uint8_t *data, size_t size);
/* ifd.c: parse the descriptor whose signature is at sig_offset into *ifd. */
amt_status amt_ifd_parse(const uint8_t *data, size_t size, uint64_t sig_offset,
			 struct amt_ifd *ifd, amt_error *err);
/* ifd.c: (re)decode the FLMSTR read/write masks; `extended`: CNL+
 * encoding with regions 12-15 in [3:0]/[7:4] (IFDv2 only). */
void amt_ifd_decode_masters(struct amt_ifd *ifd, bool extended);

/* platform.c: recognise the platform from the descriptor geometry
 * (flashrom/flashprog guess_ich_chipset), confirm it with strap patterns
 * and the ME firmware (when known), and locate + read the disable bit.
 * Fills ifd->platform and ifd->disable. Never fails: a platform that
 * cannot be settled leaves disable.located = false, the reason in
 * platform.why / disable.note and the typed outcome in platform.status.
 * `named`: a platform the caller names (AMT_PLAT_UNKNOWN: detect);
 * `hap`: an expert override of the location (NULL or !set: none). */
void amt_platform_identify2(struct amt_ifd *ifd, const uint8_t *data, size_t size,
			    const struct amt_fw *fw, amt_platform_id named,
			    const struct amt_hap_override *hap);
/* The same without an expert override. */
void amt_platform_identify(struct amt_ifd *ifd, const uint8_t *data, size_t size,
			   const struct amt_fw *fw, amt_platform_id override);
/* platform.c: the table row of a platform (amt_platform_describe), or by
 * key / alias. */
const struct amt_platform_desc *amt_platform_get(amt_platform_id id);
const struct amt_platform_desc *amt_platform_by_key(const char *key);

/* fpt.c: parse the $FPT at fpt_off (absolute); the region spans
 * [region_off, region_off+region_size). Partition offsets in the entries
 * are relative to region_off. `data_fpt`: a CSE data partition $FPT (no
 * ROM bypass, offsets relative to the $FPT). Fills fw->fpt, adds
 * partitions and the checksum/CRC check. */
amt_status amt_fpt_parse(struct amt_parse_ctx *c, uint64_t fpt_off, uint64_t region_off,
			 uint64_t region_size, bool data_fpt, amt_error *err);

/* fpt.c: the $FPT writer (see fpt.c): header and entries keeping only
 * fw->partitions[keep[k]], with their offsets replaced by new_off[k]. */
amt_status amt_fpt_write(const uint8_t *data, size_t size, const struct amt_fw *fw,
			 const size_t *keep, size_t nkeep, const uint32_t *new_off,
			 bool clear_effs, uint8_t *buf, uint64_t *start, size_t *len,
			 uint32_t *sum, bool *is_crc, amt_error *err);

/* manifest.c: parse a $MAN/$MN2 manifest header at off (absolute), which
 * must end by limit (absolute); identifies the key and (if opts say so)
 * verifies the signature. Appends to fw->manifests, returns its index
 * through *index. */
amt_status amt_manifest_parse(struct amt_parse_ctx *c, uint64_t off, uint64_t limit,
			      const char *partition, const char *name, int *index,
			      amt_error *err);

/* sig.c: verify a parsed manifest's RSA signature with OpenSSL; sets
 * m->sig and m->sig_detail. */
void amt_manifest_verify(const uint8_t *data, size_t size, struct amt_manifest *m);

/* keys.c: read the public key of the manifest at man_off (absolute) -
 * key size, exponent, modulus - into *key and compute its fingerprints
 * (me_cleaner MD5 of the 0x104 bytes at +0x80, SHA-256 of the big-endian
 * modulus). key->present stays false when the key fields are outside the
 * buffer or the key size is not 2048/3072 bits. Does not identify it. */
void amt_key_read(const uint8_t *data, size_t size, uint64_t man_off,
		  struct amt_key_info *key);
/* keys.c: the family a key implies; for an unknown key, me_cleaner's
 * fallback on the firmware major (>= 6: ME, else TXE), mapped to CSME for
 * majors >= 11. */
amt_family amt_key_family(const struct amt_key_info *key, unsigned major);
/* keys.c: the TXE 0-1 variant a key names ("M/D", "I/T"; MEA.py), or NULL. */
const char *amt_key_txe_variant(const struct amt_key_info *key);

/* image.c: the size a truncated bare region's $FPT partitions declare, or 0. */
uint64_t amt_image_truncated_size(const struct amt_image *img);

/* facts.c: VCN, release and image type of a parsed firmware (needs the
 * family, version, partitions and FTPR manifest). */
void amt_fw_facts(struct amt_fw *fw, const uint8_t *data, size_t size);

/* facts.c: whether partitions a and b (names) overlap by Intel's design
 * (MEA.py's $FPT/BPDT overlap checks ignore these): 0 when not. */
amt_overlap_why amt_overlap_by_design(const char *a, const char *b);
/* facts.c: record such an overlap (AMT_E_NOMEM or AMT_OK). */
amt_status amt_fw_add_layout_overlap(struct amt_fw *fw, size_t a, size_t b,
				     amt_overlap_why why);

/* gen1.c / gen2.c / cse.c / ifwi.c: after the region is located (and the
 * $FPT parsed where there is one), parse the firmware: manifests, modules,
 * SKU, family, version, AMT evidence. */
amt_status amt_gen1_parse(struct amt_parse_ctx *c, amt_error *err);
amt_status amt_gen2_parse(struct amt_parse_ctx *c, amt_error *err);
amt_status amt_cse_parse(struct amt_parse_ctx *c, amt_error *err);
amt_status amt_ifwi_parse(struct amt_parse_ctx *c, amt_error *err);

/* ifwi.c: which IFWI layout starts at off (a CSE layout table 1.6/1.7
 * whose pointers lead to a $FPT and a BPDT, or a BPDT signature), or
 * AMT_LAYOUT_NONE. len is the region length from off. */
amt_layout amt_ifwi_probe(const uint8_t *data, size_t size, uint64_t off, uint64_t len);

/* cpd.c: parse a $CPD directory at cpd_off (absolute) that must end by
 * limit; its modules are appended to fw->modules and attached to
 * partition index part. Manifests inside are parsed too. */
amt_status amt_cpd_parse(struct amt_parse_ctx *c, size_t part, uint64_t cpd_off,
			 uint64_t limit, amt_error *err);

/* llut.c: the one reader of a gen 2 chunk table: the LLUT (or GLUT)
 * header at off (absolute) of d, its table ending by end, into *l (chunks
 * allocated; the caller frees l->chunks). Errors: AMT_E_BADMAGIC (no
 * ?LUT tag), AMT_E_RANGE (chunk size 0, too many chunks), AMT_E_TRUNCATED
 * (table past end), AMT_E_NOMEM; *l then has table_ok false and no chunks. */
amt_status amt_llut_read(const uint8_t *d, uint64_t end, uint64_t off, struct amt_llut *l,
			 amt_error *err);
/* llut.c: parse the LLUT at off (absolute) of gen 2 partition pi, which
 * ends at pend, into fw->lluts (once per offset); *index is its index, or
 * -1 when there is none (recorded as a problem). Fails only with
 * AMT_E_NOMEM. */
amt_status amt_llut_parse(struct amt_parse_ctx *c, size_t pi, uint64_t off, uint64_t pend,
			  int *index);
/* llut.c: the chunks [*first, *last] of a gen 2 Huffman module, by one of
 * three rules; false when it cannot be told. */
typedef enum amt_chunk_rule {
	AMT_CHUNKS_PAGES,       /* the chunks its pages occupy */
	AMT_CHUNKS_ME_CLEANER,  /* first + usize / chunk size: one chunk past a
				   module that ends on a chunk boundary (the
				   chunk me_cleaner keeps) */
	AMT_CHUNKS_VISIBLE,     /* its pages, those below the address base left
				   out (NFTP utilities on ME 8/9) */
} amt_chunk_rule;
bool amt_llut_module_chunks(const struct amt_fw *fw, const struct amt_module *m,
			    amt_chunk_rule rule, uint64_t *first, uint64_t *last);
void amt_llut_release(struct amt_fw *fw);

/* cpd.c: the $CPD writer (see cpd.c): the directory of partition pi
 * without the entries removed[] marks. buf holds the old directory size. */
amt_status amt_cpd_write(const uint8_t *data, size_t size, const struct amt_fw *fw, size_t pi,
			 const bool *removed, uint8_t *buf, size_t *len, size_t *old_len,
			 unsigned *nkept, amt_error *err);

/* neutralize/code.c: the code measure of fw (amt_code_measure): total and
 * kept bytes and modules; kept: mask[i] for module i when mask is not NULL,
 * else with default_keep the modules marked kept (keep.c), else those that
 * hold code. Fails only with AMT_E_NOMEM. */
amt_status amt_code_tally(const struct amt_fw *fw, bool default_keep, const bool *mask,
			  uint64_t *total, uint64_t *kept, unsigned *nmodules, unsigned *nkept);
/* The stored bytes of one code module as the code measure counts them
 * (0 for what is not a code module), whatever the measure's scope: a
 * partition kept on request outside FTPR lists its modules' sizes too. */
uint64_t amt_code_module_bytes(const struct amt_fw *fw, const struct amt_module *m);
/* Which code the measure of fw counts. */
amt_code_scope amt_code_scope_of(const struct amt_fw *fw);
/* keep.c: mark what the default neutralization keeps; fill code_bytes and
 * kept_bytes (the code measure); min_region_size stays 0 (the planner's). */
void amt_fw_mark_kept(struct amt_fw *fw);
/* boot.c: the boot keep-list (gen 2: ROMP, BUP; gen 3: rbe*, kernel*,
 * syslib*, bup*; gen 1: none); amt_fw_boot_module adds the gen 3 .man and
 * .met entries. */
bool amt_boot_module(int generation, const char *name);
bool amt_fw_boot_module(const struct amt_fw *fw, const struct amt_module *m);

/* present.c: whether stored bytes [lo, lo+len) hold data. UNKNOWN when the
 * range does not lie inside [plo, phi) (where it belongs: its partition as
 * declared); otherwise YES when a byte of it below `end` (region end,
 * clipped to the input) is not 0xFF, NO when none is (erased, empty, or
 * entirely past `end`: truncated away). */
amt_tristate amt_stored_present(const uint8_t *d, uint64_t end, uint64_t plo, uint64_t phi,
				uint64_t lo, uint64_t len);
/* present.c: set `present` of the Huffman modules of gen 2 partition pi
 * from the LLUT chunk map. Returns AMT_E_NOMEM or AMT_OK. */
amt_status amt_gen2_huffman_present(struct amt_parse_ctx *c, size_t pi);

/* strip.c: after the firmware parse, decide fw->stripped and, when the SKU
 * says AMT but its code is gone, turn amt_present to NO with an evidence
 * line. Returns AMT_E_NOMEM or AMT_OK. */
amt_status amt_fw_strip_check(struct amt_fw *fw, const uint8_t *d, size_t size);

#endif
