/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What `amtless extract` writes: the list of pieces (regions, partitions,
 * modules) with safe relative paths, the stored hash of a module, and
 * the unpacking of LZMA modules. No file system access here.
 *
 * Facts:
 * - CSE LZMA modules: an LZMA "alone" stream (props, dict size u32,
 *   uncompressed size u64 at +0x05); when it starts 36 00 40 00 00 the 3
 *   zero bytes at +0x0E are not part of it (MEA.py mod_anl; doc/formats.md#lzma;
 *   the same holds on the corpus TXE 1.1 / 2.0 regions, see gen2.c).
 * - Stored module hashes: read by the parser into the model (amt_module
 *   stored_hash: gen 2 $MME header +0x14 in gen2.c, CSE ".met" Module
 *   Attributes 0x0A +0x18 in cse_ext.c); nothing here reads them raw. The corpus images
 *   store them byte-reversed. For CSE LZMA modules the hash normally
 *   covers the stored (compressed) bytes; NFTP/ish_bup of the corpus
 *   ME 11.8 image is hashed unpacked (cse_ext.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lzma.h>
#include <openssl/evp.h>

#include <amtless/extract.h>

#include "fw/huffman_int.h"
#include "internal.h"

#define LZMA_HDR 13u
#define LZMA_MEMLIMIT (128u << 20)

const char *amt_piece_kind_str(amt_piece_kind k)
{
	switch (k) {
	case AMT_PIECE_REGION: return "region";
	case AMT_PIECE_PARTITION: return "partition";
	case AMT_PIECE_MODULE: return "module";
	}
	return "unknown";
}

const char *amt_hash_match_str(amt_hash_match h)
{
	switch (h) {
	case AMT_HASH_NONE: return "none";
	case AMT_HASH_UNPACKED: return "unpacked";
	case AMT_HASH_STORED: return "stored";
	case AMT_HASH_MISMATCH: return "mismatch";
	}
	return "unknown";
}

/* ---- safe names ----------------------------------------------------- */

static bool safe_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '.' || ch == '_' || ch == '-' || ch == '+';
}

size_t amt_safe_name(char *dst, size_t len, const char *name)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (!dst || len < 8)
		return 0;
	if (!name || !name[0]) {
		snprintf(dst, len, "_empty");
		return strlen(dst);
	}
	for (size_t i = 0; name[i]; i++) {
		unsigned char ch = (unsigned char)name[i];
		/* no leading '.', no ".." anywhere */
		if (safe_char(ch) && !(ch == '.' && (o == 0 || dst[o - 1] == '.'))) {
			if (o + 1 >= len)
				break;
			dst[o++] = (char)ch;
		} else {
			if (o + 4 >= len)
				break;
			dst[o++] = '_';
			dst[o++] = 'x';
			dst[o++] = hex[ch >> 4];
			dst[o++] = hex[ch & 15];
		}
	}
	dst[o] = '\0';
	return o;
}

/* ---- the list of pieces --------------------------------------------- */

struct list_build {
	struct amt_piece_list *l;
	size_t cap;
};

static struct amt_piece *add_piece(struct list_build *b)
{
	if (b->l->n == b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 32;
		struct amt_piece *v = realloc(b->l->v, nc * sizeof(*v));
		if (!v)
			return NULL;
		b->l->v = v;
		b->cap = nc;
	}
	struct amt_piece *p = &b->l->v[b->l->n++];
	memset(p, 0, sizeof(*p));
	return p;
}

/* "Region 7" -> "region-7", "GbE" -> "gbe" */
static void region_stem(char *dst, size_t len, unsigned id)
{
	char tmp[32];
	size_t i;
	const char *n = amt_region_name(id);
	for (i = 0; n[i] && i + 1 < sizeof(tmp); i++) {
		char ch = n[i];
		tmp[i] = ch == ' ' ? '-' : (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
	}
	tmp[i] = '\0';
	amt_safe_name(dst, len, tmp);
}

static void list_regions(const struct amt_image *img, struct list_build *b, bool *nomem)
{
	const struct amt_ifd *ifd = &img->ifd;
	unsigned n = ifd->nregions < AMT_IFD_MAX_REGIONS ? ifd->nregions : AMT_IFD_MAX_REGIONS;

	for (unsigned i = 0; i < n && !*nomem; i++) {
		const struct amt_ifd_region *r = &ifd->region[i];
		if (!r->used)
			continue;
		struct amt_piece *p = add_piece(b);
		if (!p) {
			*nomem = true;
			return;
		}
		char stem[64];
		p->kind = AMT_PIECE_REGION;
		snprintf(p->name, sizeof(p->name), "%s", amt_region_name(i));
		region_stem(stem, sizeof(stem), i);
		snprintf(p->path, sizeof(p->path), "%s.bin", stem);
		p->index = i;
		p->offset = ifd->offset + r->base;
		p->size = r->limit - r->base + 1;
		if (p->offset < ifd->offset || !amt_in(img->size, p->offset, p->size)) {
			p->skipped = true;
			snprintf(p->note, sizeof(p->note),
				 "0x%llx-0x%llx lies outside this %zu-byte file",
				 (unsigned long long)r->base, (unsigned long long)r->limit, img->size);
		}
	}
}

static void list_partitions(const struct amt_image *img, struct list_build *b, bool *nomem)
{
	const struct amt_fw *fw = &img->fw;

	for (size_t i = 0; i < fw->npartitions && !*nomem; i++) {
		const struct amt_partition *q = &fw->partitions[i];
		if (q->empty || q->size == 0)
			continue;  /* no data in flash: nothing to write */
		struct amt_piece *p = add_piece(b);
		if (!p) {
			*nomem = true;
			return;
		}
		char safe[32];
		p->kind = AMT_PIECE_PARTITION;
		memcpy(p->name, q->name, sizeof(q->name));
		amt_safe_name(safe, sizeof(safe), q->name);
		snprintf(p->path, sizeof(p->path), "partitions/%s.bin", safe);
		p->index = i;
		p->offset = q->offset;
		p->size = q->size;
		if (!q->in_range || !amt_in(img->size, q->offset, q->size)) {
			p->skipped = true;
			snprintf(p->note, sizeof(p->note),
				 "data 0x%llx (+0x%llx bytes) lies outside the region or file",
				 (unsigned long long)q->offset, (unsigned long long)q->size);
		}
	}
}

static void list_modules(const struct amt_image *img, struct list_build *b, bool *nomem)
{
	const struct amt_fw *fw = &img->fw;

	for (size_t i = 0; i < fw->nmodules && !*nomem; i++) {
		const struct amt_module *m = &fw->modules[i];
		/* ME 6 $MME headers keep no stored size for Huffman modules */
		if (m->size == 0 && !(m->comp == AMT_COMP_HUFFMAN && m->usize))
			continue;
		struct amt_piece *p = add_piece(b);
		if (!p) {
			*nomem = true;
			return;
		}
		char dir[32], file[80];
		p->kind = AMT_PIECE_MODULE;
		memcpy(p->name, m->name, sizeof(m->name));
		memcpy(p->group, m->partition, sizeof(m->partition));
		amt_safe_name(dir, sizeof(dir), m->partition);
		amt_safe_name(file, sizeof(file), m->name);
		/* $CPD ".man"/".met"/".key" entries keep their own name */
		snprintf(p->path, sizeof(p->path), "modules/%s/%s%s", dir, file,
			 m->kind == AMT_MOD_MODULE ? ".bin" : "");
		p->index = i;
		p->offset = m->offset;
		p->size = m->size;
		p->comp = m->comp;
		p->usize = m->usize;
		if (m->comp == AMT_COMP_HUFFMAN &&
		    amt_tag_at(img->data, img->size, m->header_offset, "$MME")) {
			p->skipped = true;
			snprintf(p->note, sizeof(p->note),
				 "gen 2 Huffman module: its bytes are chunks spread through the "
				 "partition (LLUT), not one range");
		} else if (!m->in_range || !amt_in(img->size, m->offset, m->size)) {
			p->skipped = true;
			snprintf(p->note, sizeof(p->note),
				 "data 0x%llx (+0x%x bytes) lies outside its partition or the file",
				 (unsigned long long)m->offset, m->size);
		}
	}
}

static int cmp_path(const void *a, const void *b)
{
	const struct amt_piece *const *x = a, *const *y = b;
	int c = strcmp((*x)->path, (*y)->path);
	if (c)
		return c;
	return *x < *y ? -1 : *x > *y;  /* stable: list order */
}

static int cmp_key(const void *key, const void *elt)
{
	const struct amt_piece *const *y = elt;
	return strcmp(key, (*y)->path);
}

static bool same_piece(const struct amt_piece *a, const struct amt_piece *b)
{
	return a->kind == b->kind && a->offset == b->offset && a->size == b->size &&
	       !strcmp(a->name, b->name) && !strcmp(a->group, b->group);
}

/* Make every path unique (see extract.h). Returns false on no memory. */
static bool unique_paths(struct amt_piece_list *l)
{
	struct amt_piece **s = malloc((l->n ? l->n : 1) * sizeof(*s));
	if (!s)
		return false;
	for (size_t i = 0; i < l->n; i++)
		s[i] = &l->v[i];
	qsort(s, l->n, sizeof(*s), cmp_path);

	/* new paths are decided on the sorted originals, then applied */
	char (*newpath)[AMT_PIECE_PATH_MAX] = calloc(l->n ? l->n : 1, AMT_PIECE_PATH_MAX);
	if (!newpath) {
		free(s);
		return false;
	}
	for (size_t g = 0; g < l->n;) {
		size_t e = g + 1;
		while (e < l->n && !strcmp(s[e]->path, s[g]->path))
			e++;
		unsigned k = 2;
		for (size_t j = g + 1; j < e; j++) {
			struct amt_piece *p = s[j];
			if (same_piece(p, s[g])) {
				p->skipped = true;
				snprintf(p->note, sizeof(p->note), "the same bytes as %.90s", s[g]->path);
				continue;
			}
			const char *slash = strrchr(p->path, '/');
			const char *dot = strrchr(slash ? slash + 1 : p->path, '.');
			size_t stem = dot && dot != (slash ? slash + 1 : p->path)
				? (size_t)(dot - p->path) : strlen(p->path);
			for (;; k++) {
				char cand[AMT_PIECE_PATH_MAX];
				int w = snprintf(cand, sizeof(cand), "%.*s-%u%s", (int)stem, p->path, k,
						 p->path + stem);
				if (w < 0 || (size_t)w >= sizeof(cand))
					break;  /* cannot happen: paths are short */
				if (!bsearch(cand, s, l->n, sizeof(*s), cmp_key)) {
					memcpy(newpath[p - l->v], cand, sizeof(cand));
					k++;
					break;
				}
			}
		}
		g = e;
	}
	for (size_t i = 0; i < l->n; i++)
		if (newpath[i][0])
			memcpy(l->v[i].path, newpath[i], AMT_PIECE_PATH_MAX);
	free(newpath);
	free(s);
	return true;
}

amt_status amt_extract_list(const struct amt_image *img, unsigned kinds,
			    struct amt_piece_list *out, amt_error *err)
{
	struct list_build b = { .l = out, .cap = 0 };
	bool nomem = false;

	if (!out)
		return amt_error_set(err, AMT_E_ARG, "extract", AMT_NO_OFFSET, "no output list");
	out->n = 0;
	out->v = NULL;
	if (!img)
		return amt_error_set(err, AMT_E_ARG, "extract", AMT_NO_OFFSET, "no image");
	if ((kinds & AMT_PIECES_REGIONS) && img->has_ifd)
		list_regions(img, &b, &nomem);
	if ((kinds & AMT_PIECES_PARTITIONS) && img->has_fw && !nomem)
		list_partitions(img, &b, &nomem);
	if ((kinds & AMT_PIECES_MODULES) && img->has_fw && !nomem)
		list_modules(img, &b, &nomem);
	if (nomem || !unique_paths(out)) {
		amt_piece_list_free(out);
		return amt_error_set(err, AMT_E_NOMEM, "extract", AMT_NO_OFFSET, "out of memory");
	}
	return AMT_OK;
}

void amt_piece_list_free(struct amt_piece_list *l)
{
	if (!l)
		return;
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* ---- LZMA ------------------------------------------------------------ */

/* Offset in the original bytes of position pos in the (maybe stripped) copy. */
static uint64_t orig_pos(uint64_t pos, bool stripped)
{
	return stripped && pos >= 0x0E ? pos + 3 : pos;
}

amt_status amt_lzma_unpack(const uint8_t *src, size_t n, uint64_t at, uint64_t limit,
			   uint8_t **out, size_t *outlen, amt_error *err)
{
	static const uint8_t cse[5] = { 0x36, 0x00, 0x40, 0x00, 0x00 };
	const uint8_t *in = src;
	uint8_t *copy = NULL, *buf = NULL;
	size_t inlen = n, cap;
	bool stripped = false;
	amt_status st = AMT_OK;

	*out = NULL;
	*outlen = 0;
	if (limit > AMT_UNPACK_MAX)
		limit = AMT_UNPACK_MAX;
	if (!src || n < LZMA_HDR)
		return amt_error_set(err, AMT_E_TRUNCATED, "LZMA", at,
				     "%zu bytes: an LZMA header needs %u", src ? n : 0, LZMA_HDR);
	if (src[0] >= 9 * 5 * 5)
		return amt_error_set(err, AMT_E_BADMAGIC, "LZMA", at,
				     "properties byte 0x%02x is not lc/lp/pb (must be < 0xe1)", src[0]);
	if (n >= 0x11 && !memcmp(src, cse, 5) && !src[0x0E] && !src[0x0F] && !src[0x10]) {
		copy = malloc(n - 3);
		if (!copy)
			return amt_error_set(err, AMT_E_NOMEM, "LZMA", at, "out of memory");
		memcpy(copy, src, 0x0E);
		memcpy(copy + 0x0E, src + 0x11, n - 0x11);
		in = copy;
		inlen = n - 3;
		stripped = true;
	}
	uint64_t declared = amt_rd64(in + 5);
	bool known = declared != UINT64_MAX;
	if (known && declared > limit) {
		free(copy);
		return amt_error_set(err, AMT_E_RANGE, "LZMA", at + 5,
				     "the header declares %llu unpacked bytes, more than the "
				     "limit of %llu%s", (unsigned long long)declared,
				     (unsigned long long)limit, declared >> 38 ?
				     " (encrypted, or not an LZMA stream?)" : "");
	}
	if (known)
		cap = (size_t)declared;
	else
		cap = (size_t)(limit < (uint64_t)inlen * 4 + 0x10000 ? limit
			       : (uint64_t)inlen * 4 + 0x10000);

	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret r = lzma_alone_decoder(&s, LZMA_MEMLIMIT);
	if (r != LZMA_OK) {
		free(copy);
		return amt_error_set(err, r == LZMA_MEM_ERROR ? AMT_E_NOMEM : AMT_E_UNSUPPORTED,
				     "LZMA", at, "cannot start the LZMA decoder (liblzma error %d)",
				     (int)r);
	}
	buf = malloc(cap ? cap : 1);
	if (!buf) {
		st = amt_error_set(err, AMT_E_NOMEM, "LZMA", at, "out of memory (%zu bytes)", cap);
		goto done;
	}
	s.next_in = in;
	s.avail_in = inlen;
	s.next_out = buf;
	s.avail_out = cap;
	for (;;) {
		r = lzma_code(&s, LZMA_FINISH);
		size_t got = (size_t)s.total_out;
		uint64_t pos = orig_pos(inlen - s.avail_in, stripped);
		if (r == LZMA_STREAM_END) {
			*out = buf;
			*outlen = got;
			buf = NULL;
			break;
		}
		if (r == LZMA_OK || (r == LZMA_BUF_ERROR && s.avail_out == 0)) {
			if (s.avail_out != 0)
				continue;
			if (known) {
				/* all declared bytes out, the decoder wants more */
				*out = buf;
				*outlen = got;
				buf = NULL;
				break;
			}
			if (cap >= limit) {
				st = amt_error_set(err, AMT_E_RANGE, "LZMA", at + pos,
						   "the stream unpacks to more than the limit of "
						   "%llu bytes", (unsigned long long)limit);
				break;
			}
			size_t nc = (uint64_t)cap * 2 > limit ? (size_t)limit : cap * 2;
			uint8_t *nb = realloc(buf, nc);
			if (!nb) {
				st = amt_error_set(err, AMT_E_NOMEM, "LZMA", at, "out of memory");
				break;
			}
			buf = nb;
			s.next_out = buf + got;
			s.avail_out = nc - got;
			cap = nc;
			continue;
		}
		switch (r) {
		case LZMA_BUF_ERROR:
			if (known)
				st = amt_error_set(err, AMT_E_TRUNCATED, "LZMA", at + n,
						   "the stream ends early: all %zu bytes read, "
						   "%zu of %llu declared bytes unpacked", n, got,
						   (unsigned long long)declared);
			else
				st = amt_error_set(err, AMT_E_TRUNCATED, "LZMA", at + n,
						   "the stream ends early: all %zu bytes read, "
						   "%zu unpacked and no end marker", n, got);
			break;
		case LZMA_MEMLIMIT_ERROR:
			st = amt_error_set(err, AMT_E_UNSUPPORTED, "LZMA", at + 1,
					   "dictionary of %u bytes needs more than %u MiB",
					   amt_rd32(in + 1), LZMA_MEMLIMIT >> 20);
			break;
		case LZMA_MEM_ERROR:
			st = amt_error_set(err, AMT_E_NOMEM, "LZMA", at, "out of memory");
			break;
		case LZMA_FORMAT_ERROR:
		case LZMA_OPTIONS_ERROR:
			st = amt_error_set(err, AMT_E_BADMAGIC, "LZMA", at,
					   "not an LZMA stream (liblzma rejects the header)");
			break;
		default:
			st = amt_error_set(err, AMT_E_CHECKSUM, "LZMA", at + pos,
					   "corrupt LZMA data after %llu input bytes, %zu unpacked",
					   (unsigned long long)pos, got);
			break;
		}
		break;
	}
done:
	lzma_end(&s);
	free(buf);
	free(copy);
	return st;
}

/* ---- hashes ------------------------------------------------------------ */

void amt_sha256(const uint8_t *p, size_t n, uint8_t out[32])
{
	unsigned len = 0;
	if (!EVP_Digest(p, n, out, &len, EVP_sha256(), NULL))
		memset(out, 0, 32);
}

/* Does stored (len bytes, either byte order) equal the digest of p? */
static bool hash_is(const uint8_t *p, size_t n, const uint8_t *stored, unsigned len)
{
	const EVP_MD *md = len == 32 ? EVP_sha256() : len == 48 ? EVP_sha384() : NULL;
	uint8_t dig[EVP_MAX_MD_SIZE];
	unsigned dlen = 0;
	bool fwd = true, rev = true;

	if (!md || !EVP_Digest(p, n, dig, &dlen, md, NULL) || dlen != len)
		return false;
	for (unsigned i = 0; i < len; i++) {
		fwd &= dig[i] == stored[i];
		rev &= dig[len - 1 - i] == stored[i];
	}
	return fwd || rev;
}

amt_status amt_module_stored_hash(const struct amt_image *img, size_t mod, uint8_t hash[48],
				  unsigned *len, uint64_t *offset)
{
	*len = 0;
	*offset = AMT_NO_OFFSET;
	if (!img || !img->has_fw)
		return AMT_E_ARG;
	return amt_fw_stored_hash(img->data, img->size, &img->fw, mod, hash, len, offset);
}

amt_status amt_fw_stored_hash(const uint8_t *d, size_t dsize, const struct amt_fw *fw,
			      size_t mod, uint8_t hash[48], unsigned *len, uint64_t *offset)
{
	(void)d;
	(void)dsize;
	*len = 0;
	*offset = AMT_NO_OFFSET;
	if (mod >= fw->nmodules)
		return AMT_E_ARG;
	const struct amt_module *m = &fw->modules[mod];

	if (m->kind != AMT_MOD_MODULE)
		return AMT_E_UNSUPPORTED;
	/* read by the parser (gen2.c $MME +0x14, cse_ext.c .met 0x0A +0x18) */
	if (m->hash_len != 32 && m->hash_len != 48)
		return AMT_E_UNSUPPORTED;
	memcpy(hash, m->stored_hash, m->hash_len);
	*len = m->hash_len;
	*offset = m->hash_offset;
	return AMT_OK;
}

/* Huffman: lib/fw/huffman.c through the model (LLUT/GLUT or chunk table,
 * the code book of the firmware). The hash result is that of the parse
 * where the image keeps the hash outside the module's own metadata
 * (CSME 12+ rbe/pm tables). */
static amt_status huffman_unpack(const struct amt_image *img, size_t mod, uint8_t **out,
				 size_t *outlen, amt_hash_match *match, amt_error *err)
{
	const struct amt_module *m = &img->fw.modules[mod];
	if (m->encrypted)
		return amt_error_set(err, AMT_E_UNSUPPORTED, "module", m->offset,
				     "%s/%s is encrypted (its .met Module Attributes say so): it "
				     "cannot be unpacked", m->partition, m->name);
	if (m->present == AMT_NO)
		return amt_error_set(err, AMT_E_UNSUPPORTED, "module", m->offset,
				     "%s/%s is erased or cut off: nothing to unpack", m->partition,
				     m->name);
	uint8_t h[48];
	unsigned hl = 0;
	uint64_t ho;
	bool has = amt_module_stored_hash(img, mod, h, &hl, &ho) == AMT_OK;
	amt_unchecked why = AMT_UNCHECKED_NONE;
	amt_error e;
	amt_error_clear(&e);
	amt_tristate r = amt_huff_module_check(img->data, img->size, &img->fw, mod,
					       has ? h : NULL, hl, &why, out, outlen, &e);
	if (!*out) {
		amt_status st = e.code != AMT_OK ? e.code : AMT_E_UNSUPPORTED;
		if (why == AMT_UNCHECKED_NO_CHUNK_TABLE || why == AMT_UNCHECKED_CODE_BOOK_GAP)
			st = AMT_E_UNSUPPORTED;
		return amt_error_set(err, st, e.structure[0] ? e.structure : "module",
				     e.offset != AMT_NO_OFFSET ? e.offset : m->offset, "%s/%s: %.200s",
				     m->partition, m->name, e.message[0] ? e.message :
				     "cannot be unpacked");
	}
	if (match)
		*match = r == AMT_YES ? AMT_HASH_UNPACKED :
			 r == AMT_NO || why == AMT_UNCHECKED_KNOWN_BAD_HASH ? AMT_HASH_MISMATCH :
			 m->hash_ok == AMT_YES ? AMT_HASH_UNPACKED :
			 m->hash_ok == AMT_NO ? AMT_HASH_MISMATCH : AMT_HASH_NONE;
	return AMT_OK;
}

amt_status amt_module_unpack(const struct amt_image *img, size_t mod, uint8_t **out,
			     size_t *outlen, amt_hash_match *match, amt_error *err)
{
	*out = NULL;
	*outlen = 0;
	if (match)
		*match = AMT_HASH_NONE;
	if (!img || !img->has_fw || mod >= img->fw.nmodules)
		return amt_error_set(err, AMT_E_ARG, "module", AMT_NO_OFFSET, "no module #%zu", mod);
	const struct amt_module *m = &img->fw.modules[mod];
	switch (m->comp) {
	case AMT_COMP_LZMA:
		break;
	case AMT_COMP_HUFFMAN:
		return huffman_unpack(img, mod, out, outlen, match, err);
	case AMT_COMP_NONE:
		return amt_error_set(err, AMT_E_ARG, "module", m->offset,
				     "%s/%s is not compressed", m->partition, m->name);
	default:
		return amt_error_set(err, AMT_E_UNSUPPORTED, "module", m->offset,
				     "%s/%s uses an unknown compression", m->partition, m->name);
	}
	if (m->encrypted)
		/* Module Attributes +0x09: encryption (MEA CSE_Ext_0A) */
		return amt_error_set(err, AMT_E_UNSUPPORTED, "module", m->offset,
				     "%s/%s is encrypted (its .met Module Attributes say so): it "
				     "cannot be unpacked", m->partition, m->name);
	if (!m->in_range || !amt_in(img->size, m->offset, m->size))
		return amt_error_set(err, AMT_E_RANGE, "module", m->offset,
				     "%s/%s: 0x%x bytes at 0x%llx are not in the image", m->partition,
				     m->name, m->size, (unsigned long long)m->offset);
	amt_status st = amt_lzma_unpack(img->data + m->offset, m->size, m->offset, AMT_UNPACK_MAX,
					out, outlen, err);
	if (st != AMT_OK) {
		/* name the module in the message */
		if (err) {
			char msg[sizeof(err->message)];
			snprintf(msg, sizeof(msg), "%s/%s: %.200s", m->partition, m->name, err->message);
			memcpy(err->message, msg, sizeof(msg));
		}
		return st;
	}
	if (match) {
		uint8_t h[48];
		unsigned hl;
		uint64_t hoff;
		if (amt_module_stored_hash(img, mod, h, &hl, &hoff) == AMT_OK) {
			if (hash_is(*out, *outlen, h, hl))
				*match = AMT_HASH_UNPACKED;
			else if (hash_is(img->data + m->offset, m->size, h, hl))
				*match = AMT_HASH_STORED;
			else
				*match = AMT_HASH_MISMATCH;
		}
	}
	return AMT_OK;
}
