/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Huffman decompression of ME firmware modules: ME 6-10 (gen 2, pages
 * mapped by an LLUT or GLUT) and CSE (ME 11+, a chunk table at the start
 * of the $CPD entry).
 *
 * Facts (sources of the code books: lib/fw/huffman_books.txt):
 * - Each chunk is coded on its own with a static canonical Huffman code,
 *   code words of 7..19 bits read most significant bit first, standing for
 *   symbols of 1..15 bytes; the chunk decodes to exactly the chunk size
 *   (4096 bytes on CSE; the LLUT's chunk size on gen 2: 0x400 or 0x1000
 *   in the corpus). Two dictionaries per book, picked per chunk by the
 *   table entry: 0x20 code, 0x60 data (unhuffme pch_format.h; MEA
 *   cse_huffman_decompress; ptresearch unME11 HuffDec11). The ME hardware
 *   decodes; a chunk whose last symbol would overrun the chunk is corrupt.
 * - Gen 2: the LUT (+0x38 chipset "PCH " for the ME 6 book, "CPT " for
 *   ME 7-10) maps 0x10000000 + address base + i * chunk size to entry i.
 *   Pages marked empty (0x40) or outside the table are not stored and not
 *   hashed: the $MME hash is that of the stored pages in order (unhuffme
 *   dump_huff_module; checked on every Huffman module of the corpus ME
 *   6.0, 7.1, 8.0, 8.1, 9.1, 9.5 and 10.0 images). Partitions whose
 *   Huffman modules have no LLUT of their own use the GLUT partition (ME 6
 *   5 MB NFTP; the model links them, lib/fw/llut.c); an LLUT followed by
 *   another LUT header uses that one
 *   (unhuffme dump_modules). Every table is read by the one LLUT reader
 *   (lib/fw/llut.c amt_llut_read); the model's LLUTs are used as parsed.
 *
 * The decoder keeps a 64-bit window (most significant bit first), refills
 * it 8 bytes at a time, resolves code words of up to 11 bits with one
 * table look-up and longer ones by comparing the window with the code
 * limits, and copies symbols 16 bytes at a time while the chunk has room.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "fw/huffman_int.h"
#include "internal.h"

#define CSE_CHUNK 0x1000u
#define GEN2_VBASE 0x10000000u

const char *amt_huff_book_str(amt_huff_book b)
{
	switch (b) {
	case AMT_HUFF_ME6: return "ME 6";
	case AMT_HUFF_ME7: return "ME 7-10";
	case AMT_HUFF_CSE11: return "CSE 11";
	case AMT_HUFF_CSE12: return "CSE 12";
	case AMT_HUFF__COUNT: break;
	}
	return "unknown";
}

static inline uint64_t load_be64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return __builtin_bswap64(v);
}

/* The code word at the top of the window: its length, symbol length and
 * symbol offset; false for bits that start no code word (not with the
 * complete codes of the books; kept as a guard). */
static inline bool lookup(const struct amt_huff_table *t, uint32_t top, unsigned *bits,
			  unsigned *len, unsigned *off)
{
	const struct amt_huff_fast *f = &t->fast[top >> (32 - AMT_HUFF_FAST_BITS)];
	if (f->bits) {
		*bits = f->bits;
		*len = f->len;
		*off = f->off;
		return true;
	}
	unsigned L = AMT_HUFF_FAST_BITS + 1;
	while (L <= t->max_bits && top < t->limit[L])
		L++;
	if (L > t->max_bits)
		return false;
	uint32_t k = t->first[L] + (t->maxcode[L] - (top >> (32 - L)));
	*bits = L;
	*len = t->sym[k].len;
	*off = t->sym[k].off;
	return true;
}

static amt_status decode_table(const struct amt_huff_table *t, const uint8_t *src, size_t n,
			       uint64_t at, uint8_t *out, size_t outlen, size_t *used,
			       amt_error *err)
{
	const uint8_t *p = src, *end = src + n;
	uint64_t win = 0;      /* next bits, most significant first; zeros past the input */
	unsigned cnt = 0;      /* bits of the input in win */
	size_t o = 0;
	unsigned bits, len, off;

	/* Fast loop: 8 input bytes and 32 output bytes to spare. A refill
	 * leaves at least 56 bits, enough for two code words (19 bits at
	 * most), and two symbols (15 bytes at most) fit: no bound is hit. */
	while (outlen - o >= 32 && end - p >= 8) {
		win |= load_be64(p) >> cnt;
		p += (63 - cnt) >> 3;
		cnt |= 56;
		for (int twice = 0; twice < 2; twice++) {
			if (!lookup(t, (uint32_t)(win >> 32), &bits, &len, &off))
				goto bad_code;
			if (!len)
				goto gap;
			memcpy(out + o, t->bytes + off, 16);
			o += len;
			win <<= bits;
			cnt -= bits;
		}
	}
	/* Careful loop: the end of the input or of the output is near. */
	while (o < outlen) {
		if (cnt < 32) {
			if (end - p >= 8) {
				win |= load_be64(p) >> cnt;
				p += (63 - cnt) >> 3;
				cnt |= 56;
			} else {
				while (cnt <= 56 && p < end) {
					win |= (uint64_t)*p++ << (56 - cnt);
					cnt += 8;
				}
			}
		}
		if (!lookup(t, (uint32_t)(win >> 32), &bits, &len, &off))
			goto bad_code;
		if (bits > cnt) {
			size_t got = (size_t)(p - src);
			return amt_error_set(err, AMT_E_TRUNCATED, "Huffman", at + n,
					     "the stream ends inside a code word: all %zu bytes read, "
					     "%zu of %zu bytes decoded (%s)", got, o, outlen, t->name);
		}
		if (!len)
			goto gap;
		if (len > outlen - o)
			return amt_error_set(err, AMT_E_CHECKSUM, "Huffman",
					     at + (uint64_t)(p - src) - cnt / 8,
					     "a %u-byte symbol runs past the chunk end (%zu of "
					     "%zu bytes decoded, %s): corrupt data or another code "
					     "book", len, o, outlen, t->name);
		if (outlen - o >= 16)
			memcpy(out + o, t->bytes + off, 16);
		else
			memcpy(out + o, t->bytes + off, len);
		o += len;
		win <<= bits;
		cnt -= bits;
	}
	if (used)
		*used = (size_t)(p - src) - cnt / 8;
	return AMT_OK;
gap:
	return amt_error_set(err, AMT_E_UNSUPPORTED, "Huffman", at + (uint64_t)(p - src) - cnt / 8,
			     "a %u-bit code word of %s has no known symbol (a gap in the public "
			     "code book)", bits, t->name);
bad_code:
	return amt_error_set(err, AMT_E_CHECKSUM, "Huffman", at + (uint64_t)(p - src) - cnt / 8,
			     "no %s code word starts with these bits", t->name);
}

static const struct amt_huff_table *table_of(amt_huff_book book, amt_huff_dict dict)
{
	if ((unsigned)book >= AMT_HUFF__COUNT || (dict != AMT_HUFF_CODE && dict != AMT_HUFF_DATA))
		return NULL;
	return &amt_huff_tables[(unsigned)book * 2 + (unsigned)dict];
}

amt_status amt_huff_decode(amt_huff_book book, amt_huff_dict dict, const uint8_t *src,
			   size_t n, uint64_t at, uint8_t *out, size_t outlen, size_t *used,
			   amt_error *err)
{
	const struct amt_huff_table *t = table_of(book, dict);
	if (used)
		*used = 0;
	if (!t || (!src && n) || (!out && outlen))
		return amt_error_set(err, AMT_E_ARG, "Huffman", at, "bad arguments");
	return decode_table(t, src, n, at, out, outlen, used, err);
}

/* Chunk flags (bits 31:25 of a table entry). */
static bool dict_of(uint32_t flags, amt_huff_dict *dict)
{
	if (flags == 0x20)
		*dict = AMT_HUFF_CODE;
	else if (flags == 0x60)
		*dict = AMT_HUFF_DATA;
	else
		return false;
	return true;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Sorted distinct values; returns their count. */
static size_t sort_unique(uint32_t *v, size_t n)
{
	size_t k = 0;
	qsort(v, n, sizeof(*v), cmp_u32);
	for (size_t i = 0; i < n; i++)
		if (!k || v[k - 1] != v[i])
			v[k++] = v[i];
	return k;
}

/* The smallest value of v (sorted, nv) larger than x, or dflt. */
static uint64_t next_above(const uint32_t *v, size_t nv, uint32_t x, uint64_t dflt)
{
	size_t lo = 0, hi = nv;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < nv ? v[lo] : dflt;
}

amt_status amt_huff_unpack_cse(amt_huff_book book, const uint8_t *src, size_t n, uint64_t at,
			       uint32_t usize, uint8_t **out, size_t *outlen, amt_error *err)
{
	*out = NULL;
	*outlen = 0;
	if ((unsigned)book >= AMT_HUFF__COUNT || (!src && n))
		return amt_error_set(err, AMT_E_ARG, "Huffman", at, "bad arguments");
	if (!usize || usize % CSE_CHUNK || usize > AMT_UNPACK_MAX)
		return amt_error_set(err, AMT_E_RANGE, "Huffman", at,
				     "uncompressed size %u is not a multiple of 4096 up to %u",
				     usize, AMT_UNPACK_MAX);
	size_t nch = usize / CSE_CHUNK, tab = nch * 4;
	if (n < tab)
		return amt_error_set(err, AMT_E_TRUNCATED, "Huffman", at,
				     "the chunk table of %zu entries (0x%zx bytes) runs past the "
				     "0x%zx stored bytes", nch, tab, n);
	size_t dlen = n - tab;
	uint32_t *starts = malloc(nch * sizeof(*starts));
	uint8_t *buf = malloc(usize);
	if (!starts || !buf) {
		free(starts);
		free(buf);
		return amt_error_set(err, AMT_E_NOMEM, "Huffman", at, "out of memory");
	}
	for (size_t i = 0; i < nch; i++)
		starts[i] = amt_rd32(src + 4 * i) & 0x1FFFFFFu;
	size_t nu = sort_unique(starts, nch);
	amt_status st = AMT_OK;
	for (size_t i = 0; i < nch && st == AMT_OK; i++) {
		uint32_t e = amt_rd32(src + 4 * i), off = e & 0x1FFFFFFu;
		amt_huff_dict dict;
		if (!dict_of(e >> 25, &dict)) {
			st = amt_error_set(err, AMT_E_BADMAGIC, "Huffman", at + 4 * i,
					   "chunk %zu has flags 0x%02x (0x20 code or 0x60 data "
					   "expected)", i, e >> 25);
			break;
		}
		if (off > dlen) {
			st = amt_error_set(err, AMT_E_RANGE, "Huffman", at + 4 * i,
					   "chunk %zu starts at 0x%x, past the 0x%zx bytes of data",
					   i, off, dlen);
			break;
		}
		uint64_t cend = next_above(starts, nu, off, dlen);
		if (cend > dlen)
			cend = dlen;
		st = decode_table(table_of(book, dict), src + tab + off, (size_t)(cend - off),
				  at + tab + off, buf + i * CSE_CHUNK, CSE_CHUNK, NULL, err);
	}
	free(starts);
	if (st != AMT_OK) {
		free(buf);
		return st;
	}
	*out = buf;
	*outlen = usize;
	return AMT_OK;
}

/* Unpack the pages [base, base + usize) through the chunk table l (read
 * by the one LLUT reader, lib/fw/llut.c) of the region [rstart, rend). */
static amt_status unpack_llut(amt_huff_book book, const uint8_t *d, const struct amt_llut *l,
			      uint64_t rstart, uint64_t rend, uint32_t base, uint32_t usize,
			      uint8_t **out, size_t *outlen, amt_error *err)
{
	uint64_t lut = l->offset;
	uint32_t n = l->nchunks, cs = l->chunk_size;
	uint64_t abase = (uint64_t)l->addr_base + GEN2_VBASE;
	if (cs < 0x100 || cs > 0x10000 || (cs & (cs - 1)))
		return amt_error_set(err, AMT_E_RANGE, "LLUT", lut + 0x30,
				     "chunk size 0x%x (a power of two from 0x100 to 0x10000 "
				     "expected)", cs);
	if (usize > AMT_UNPACK_MAX)
		return amt_error_set(err, AMT_E_RANGE, "LLUT", lut,
				     "module of %u bytes is over the limit of %u", usize,
				     AMT_UNPACK_MAX);
	uint64_t mb = base, me = mb + usize;
	/* a module may start inside a chunk it shares with the module before
	 * it (its bytes then start that far into the chunk); below the
	 * address base only whole chunks line up */
	if (mb < abase && (abase - mb) % cs)
		return amt_error_set(err, AMT_E_RANGE, "LLUT", lut + 8,
				     "module base 0x%08x is below the address base 0x%08llx "
				     "and not on a 0x%x-byte chunk boundary of it", base,
				     (unsigned long long)abase, cs);
	size_t skip = mb >= abase ? (size_t)((mb - abase) % cs) : 0;
	uint64_t rlen = rend - rstart;
	uint8_t *buf = malloc(usize ? usize : 1);
	uint8_t *tmp = malloc(cs);
	if (!buf || !tmp) {
		free(buf);
		free(tmp);
		return amt_error_set(err, AMT_E_NOMEM, "LLUT", lut, "out of memory");
	}
	amt_status st = AMT_OK;
	size_t o = 0;
	for (uint64_t pg = mb - skip; pg < me && st == AMT_OK; pg += cs, skip = 0) {
		if (pg < abase || (pg - abase) / cs >= n)
			continue; /* not in this table: not stored */
		uint64_t i = (pg - abase) / cs;
		uint64_t eo = lut + 0x40 + 4 * i;
		const struct amt_llut_chunk *k = &l->chunks[i];
		uint32_t fl = k->flags, off = k->offset;
		size_t take = (me - pg < cs ? (size_t)(me - pg) : cs) - skip;
		amt_huff_dict dict;
		if (fl == 0x40)
			continue; /* empty */
		/* the chunk's bytes end at the next chunk or the stream end, the
		 * last one at the end of the region */
		uint64_t cend = k->end_known ? k->end : rlen;
		if (off >= rlen || cend > rlen || cend < off) {
			st = amt_error_set(err, AMT_E_RANGE, "LLUT", eo,
					   "chunk %llu at 0x%x lies outside the region (0x%llx bytes)",
					   (unsigned long long)i, off, (unsigned long long)rlen);
			break;
		}
		const uint8_t *src = d + rstart + off;
		size_t clen = (size_t)(cend - off);
		if (fl == 0x00) {
			if (clen < skip + take) {
				st = amt_error_set(err, AMT_E_TRUNCATED, "LLUT", eo,
						   "stored chunk %llu has %zu of %zu bytes",
						   (unsigned long long)i, clen, skip + take);
				break;
			}
			memcpy(buf + o, src + skip, take);
		} else if (dict_of(fl, &dict)) {
			st = decode_table(table_of(book, dict), src, clen, rstart + off, tmp, cs,
					  NULL, err);
			if (st == AMT_OK)
				memcpy(buf + o, tmp + skip, take);
		} else {
			st = amt_error_set(err, AMT_E_BADMAGIC, "LLUT", eo,
					   "chunk %llu has flags 0x%02x (0x00 stored, 0x20 code, "
					   "0x40 empty or 0x60 data expected)",
					   (unsigned long long)i, fl);
		}
		o += take;
	}
	free(tmp);
	if (st != AMT_OK) {
		free(buf);
		return st;
	}
	*out = buf;
	*outlen = o;
	return AMT_OK;
}

amt_status amt_huff_unpack_lut(amt_huff_book book, const uint8_t *d, size_t size, uint64_t lut,
			       uint64_t rstart, uint64_t rend, uint32_t base, uint32_t usize,
			       uint8_t **out, size_t *outlen, amt_error *err)
{
	*out = NULL;
	*outlen = 0;
	if ((unsigned)book >= AMT_HUFF__COUNT || !d)
		return amt_error_set(err, AMT_E_ARG, "LLUT", lut, "bad arguments");
	if (rend > size)
		rend = size;
	if (rstart > rend)
		return amt_error_set(err, AMT_E_ARG, "LLUT", lut, "bad region bounds");
	struct amt_llut l;
	amt_status st = amt_llut_read(d, size, lut, &l, err);
	if (st == AMT_OK)
		st = unpack_llut(book, d, &l, rstart, rend, base, usize, out, outlen, err);
	free(l.chunks);
	return st;
}

/* ---- the model ------------------------------------------------------- */

amt_huff_book amt_huff_cse_book(const struct amt_fw *fw)
{
	unsigned major = fw->version.major, minor = fw->version.minor;
	if (fw->version_known &&
	    ((fw->family == AMT_FAM_CSME && (major == 11 || (major == 14 && minor == 5))) ||
	     (fw->family == AMT_FAM_CSSPS && major == 4)))
		return AMT_HUFF_CSE11;
	return AMT_HUFF_CSE12;
}


/* The partition whose module range holds mod, or NULL. */
static const struct amt_partition *part_of(const struct amt_fw *fw, size_t mod)
{
	for (size_t i = 0; i < fw->npartitions; i++) {
		const struct amt_partition *p = &fw->partitions[i];
		if (mod >= p->first_module && mod - p->first_module < p->nmodules)
			return p;
	}
	return NULL;
}

const struct amt_llut *amt_huff_gen2_lut(const uint8_t *d, size_t size, const struct amt_fw *fw,
					 size_t mod, struct amt_llut *scratch)
{
	memset(scratch, 0, sizeof(*scratch));
	if (mod >= fw->nmodules)
		return NULL;
	const struct amt_module *m = &fw->modules[mod];
	if (m->llut >= 0 && (size_t)m->llut < fw->nlluts && fw->lluts[m->llut].table_ok) {
		const struct amt_llut *own = &fw->lluts[m->llut];
		/* another LUT header right after the LLUT's table maps the
		 * pages instead (unhuffme dump_modules; no corpus image has one) */
		uint64_t next = own->offset + 0x40 + 4 * (uint64_t)own->nchunks;
		if (amt_llut_read(d, size, next, scratch, NULL) == AMT_OK)
			return scratch;
		free(scratch->chunks);
		memset(scratch, 0, sizeof(*scratch));
		return own;
	}
	return NULL;
}

amt_huff_book amt_huff_gen2_book(const struct amt_llut *l, unsigned major)
{
	if (l->book == AMT_LLUT_BOOK_PCH)
		return AMT_HUFF_ME6;
	if (l->book == AMT_LLUT_BOOK_CPT)
		return AMT_HUFF_ME7;
	return major == 6 ? AMT_HUFF_ME6 : AMT_HUFF_ME7;
}

/* Stored hash == digest of p, in either byte order. */
static bool digest_is(const uint8_t *p, size_t n, const uint8_t *want, unsigned hlen)
{
	const EVP_MD *md = hlen == 32 ? EVP_sha256() : hlen == 48 ? EVP_sha384() : NULL;
	uint8_t dig[EVP_MAX_MD_SIZE];
	unsigned dl = 0;
	bool fwd = true, rev = true;
	if (!md || !EVP_Digest(p, n, dig, &dl, md, NULL) || dl != hlen)
		return false;
	for (unsigned i = 0; i < hlen; i++) {
		fwd &= dig[i] == want[i];
		rev &= dig[hlen - 1 - i] == want[i];
	}
	return fwd || rev;
}

struct job {
	const uint8_t *d;
	size_t size;
	bool gen2;
	const struct amt_llut *lut;     /* gen 2 */
	uint64_t rstart, rend;
	uint32_t base;
	const uint8_t *src;             /* CSE */
	size_t n;
	uint64_t at;
	uint32_t usize;
};

static amt_status run(const struct job *j, amt_huff_book b, uint8_t **out, size_t *outlen,
		      amt_error *err)
{
	if (j->gen2)
		return unpack_llut(b, j->d, j->lut, j->rstart, j->rend, j->base, j->usize, out,
				   outlen, err);
	return amt_huff_unpack_cse(b, j->src, j->n, j->at, j->usize, out, outlen, err);
}

static amt_tristate check_module(const uint8_t *d, size_t size, const struct amt_fw *fw,
				 size_t mod, const uint8_t *want, unsigned hlen,
				 amt_unchecked *why, uint8_t **out, size_t *outlen,
				 amt_error *err, struct amt_llut *scratch)
{
	amt_unchecked dummy;
	if (!why)
		why = &dummy;
	*why = AMT_UNCHECKED_NONE;
	if (out) {
		*out = NULL;
		*outlen = 0;
	}
	if (mod >= fw->nmodules || fw->modules[mod].comp != AMT_COMP_HUFFMAN) {
		amt_error_set(err, AMT_E_ARG, "Huffman", AMT_NO_OFFSET, "not a Huffman module");
		*why = AMT_UNCHECKED_COMPRESSION;
		return AMT_UNKNOWN;
	}
	const struct amt_module *m = &fw->modules[mod];
	struct job j = { .d = d, .size = size };
	amt_huff_book first, other;
	uint64_t rend = fw->region_offset + fw->region_size;
	if (rend < fw->region_offset || rend > size)
		rend = size;

	if (fw->generation == 2) {
		j.lut = amt_huff_gen2_lut(d, size, fw, mod, scratch);
		if (!j.lut) {
			amt_error_set(err, AMT_E_UNSUPPORTED, "LLUT", m->offset,
				      "%s/%s: no LLUT or GLUT maps this module's pages",
				      m->partition, m->name);
			*why = AMT_UNCHECKED_NO_CHUNK_TABLE;
			return AMT_UNKNOWN;
		}
		j.gen2 = true;
		j.rstart = fw->region_offset;
		j.rend = rend;
		j.base = m->load_base;
		j.usize = m->usize;
		first = amt_huff_gen2_book(j.lut, fw->version.major);
		other = first == AMT_HUFF_ME6 ? AMT_HUFF_ME7 : AMT_HUFF_ME6;
	} else {
		const struct amt_partition *p = part_of(fw, mod);
		uint64_t pend = p ? p->offset + p->size : rend;
		if (pend > rend || pend < m->offset)
			pend = rend;
		j.usize = m->usize ? m->usize : m->size;
		j.at = m->offset;
		/* the stored bytes; an entry whose end is unknown (usize 0: the
		 * entry size is the uncompressed size) runs to its partition end */
		uint64_t n = m->usize ? m->size : (pend > m->offset ? pend - m->offset : 0);
		if (!m->in_range || !amt_in(size, m->offset, n)) {
			amt_error_set(err, AMT_E_RANGE, "Huffman", m->offset,
				      "%s/%s: its bytes are not in the input", m->partition, m->name);
			*why = AMT_UNCHECKED_OUT_OF_RANGE;
			return AMT_UNKNOWN;
		}
		j.src = d + m->offset;
		j.n = (size_t)n;
		first = amt_huff_cse_book(fw);
		other = first == AMT_HUFF_CSE11 ? AMT_HUFF_CSE12 : AMT_HUFF_CSE11;
	}
	if (j.usize > AMT_UNPACK_MAX) {
		*why = AMT_UNCHECKED_TOO_LARGE;
		amt_error_set(err, AMT_E_RANGE, "Huffman", m->offset, "%s/%s: %u bytes unpacked is "
			      "over the limit", m->partition, m->name, j.usize);
		return AMT_UNKNOWN;
	}

	uint8_t *u = NULL;
	size_t ulen = 0;
	amt_error e1;
	amt_status st = run(&j, first, &u, &ulen, &e1);
	if (st == AMT_E_NOMEM) {
		if (err)
			*err = e1;
		return AMT_UNKNOWN;
	}
	if (st == AMT_OK && want && digest_is(u, ulen, want, hlen))
		goto yes;
	/* the other book of this generation: the hash decides */
	if (want) {
		uint8_t *u2 = NULL;
		size_t ulen2 = 0;
		if (run(&j, other, &u2, &ulen2, NULL) == AMT_OK && digest_is(u2, ulen2, want, hlen)) {
			free(u);
			u = u2;
			ulen = ulen2;
			goto yes;
		}
		free(u2);
	}
	if (err)
		*err = e1;
	if (st == AMT_E_UNSUPPORTED) {
		*why = AMT_UNCHECKED_CODE_BOOK_GAP;
		free(u);
		return AMT_UNKNOWN;
	}
	if (st != AMT_OK) {
		/* corrupt data or a table that does not fit: a mismatch */
		free(u);
		return want ? AMT_NO : AMT_UNKNOWN;
	}
	if (out) {
		*out = u;
		*outlen = ulen;
	} else {
		free(u);
	}
	if (!want) {
		*why = AMT_UNCHECKED_NO_HASH;
		return AMT_UNKNOWN;
	}
	if (j.gen2 && first == AMT_HUFF_ME6 && !strcmp(m->name, "VE_FW_NAND")) {
		*why = AMT_UNCHECKED_KNOWN_BAD_HASH;
		return AMT_UNKNOWN;
	}
	amt_error_set(err, AMT_E_CHECKSUM, "Huffman", m->header_offset,
		      "%s/%s: the unpacked bytes do not match the stored hash", m->partition,
		      m->name);
	return AMT_NO;
yes:
	if (out) {
		*out = u;
		*outlen = ulen;
	} else {
		free(u);
	}
	return AMT_YES;
}

amt_tristate amt_huff_module_check(const uint8_t *d, size_t size, const struct amt_fw *fw,
				   size_t mod, const uint8_t *want, unsigned hlen,
				   amt_unchecked *why, uint8_t **out, size_t *outlen,
				   amt_error *err)
{
	struct amt_llut scratch = { 0 };
	amt_tristate r = check_module(d, size, fw, mod, want, hlen, why, out, outlen, err,
				      &scratch);
	free(scratch.chunks);
	return r;
}
