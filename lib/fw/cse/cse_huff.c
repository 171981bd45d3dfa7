/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hashes of CSE Huffman modules (after every partition is parsed, when
 * the firmware version, which picks the code book, is known).
 *
 * - A module with a ".met" Module Attributes extension (0x0A): its hash
 *   (+0x18) is that of the uncompressed module (MEA mod_anl); encryption
 *   (+0x09) makes it uncheckable.
 * - CSME 12+ FTPR/NFTP modules have no .met: their hashes are in
 *   "metadata" tables inside two unpacked modules, RBEP/rbe and FTPR/pm
 *   (MEA get_rbe_pm_met, RBE_PM_Metadata R1-R4): entries found by the
 *   vendor id 8086 at +0x06 of three consecutive entries; +0x08
 *   uncompressed size, +0x0C compressed size, hash at +0x28 (R1: SHA-256,
 *   0x48-byte entries; R3: SHA-384, 0x58) or +0x10 (R2: SHA-256, 0x30;
 *   R4: SHA-384, 0x40). A module checks when an entry of a verified table
 *   has its uncompressed size and its hash (corpus CSME 12.0, 14.0, 16.1:
 *   rbe's 12 entries name the boot modules, pm's the rest). The tables
 *   carry no module names: a module whose hash is in no table is left
 *   unknown (no hash), not called bad.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <amtless/extract.h>

#include "cse_int.h"
#include "fw/huffman_int.h"

struct meta {
	uint32_t usize;
	unsigned hlen;
	uint8_t hash[48];
};

struct metas {
	size_t n, cap;
	struct meta *v;
};

/* Entry layouts: size, hash offset, hash length (MEA RBE_PM_Metadata*). */
static const struct {
	unsigned size, hoff, hlen;
} layouts[] = { { 0x48, 0x28, 32 }, { 0x30, 0x10, 32 }, { 0x58, 0x28, 48 }, { 0x40, 0x10, 48 } };

static bool vid_at(const uint8_t *u, size_t n, size_t o)
{
	return o + 8 <= n && u[o + 6] == 0x86 && u[o + 7] == 0x80;
}

/* Append the metadata table found in the unpacked module u (first layout
 * whose three consecutive entries carry 8086, as MEA searches). */
static bool collect(struct metas *t, const uint8_t *u, size_t n)
{
	for (size_t li = 0; li < sizeof(layouts) / sizeof(layouts[0]); li++) {
		unsigned es = layouts[li].size;
		for (size_t o = 0; o + 3 * (size_t)es <= n; o++) {
			if (!vid_at(u, n, o) || !vid_at(u, n, o + es) || !vid_at(u, n, o + 2 * es))
				continue;
			for (size_t e = o; e + es <= n && vid_at(u, n, e); e += es) {
				if (t->n == t->cap) {
					size_t nc = t->cap ? t->cap * 2 : 32;
					struct meta *nv = realloc(t->v, nc * sizeof(*nv));
					if (!nv)
						return false;
					t->v = nv;
					t->cap = nc;
				}
				struct meta *m = &t->v[t->n++];
				m->usize = amt_rd32(u + e + 8);
				m->hlen = layouts[li].hlen;
				memcpy(m->hash, u + e + layouts[li].hoff, m->hlen);
			}
			return true;
		}
	}
	return true;
}

static bool in_tables(const struct metas *t, const uint8_t *u, size_t n, uint32_t usize)
{
	uint8_t d256[32], d384[48], r[48];
	unsigned l = 0;
	bool have256 = false, have384 = false;
	for (size_t i = 0; i < t->n; i++) {
		const struct meta *m = &t->v[i];
		if (m->usize != usize)
			continue;
		const uint8_t *dig;
		if (m->hlen == 32) {
			if (!have256 && !(have256 = EVP_Digest(u, n, d256, &l, EVP_sha256(), NULL)))
				continue;
			dig = d256;
		} else {
			if (!have384 && !(have384 = EVP_Digest(u, n, d384, &l, EVP_sha384(), NULL)))
				continue;
			dig = d384;
		}
		for (unsigned k = 0; k < m->hlen; k++)
			r[k] = dig[m->hlen - 1 - k];
		if (!memcmp(m->hash, dig, m->hlen) || !memcmp(m->hash, r, m->hlen))
			return true;
	}
	return false;
}

static bool encrypted(const struct amt_parse_ctx *c, size_t k, bool *has_met)
{
	/* Module Attributes +0x09 and its hash, as the .met walker read them */
	const struct amt_module *m = &c->img->fw.modules[k];
	*has_met = m->has_met && m->hash_len != 0;
	return *has_met && m->encrypted;
}

static size_t find(const struct amt_fw *fw, const char *part, const char *name)
{
	for (size_t k = 0; k < fw->nmodules; k++)
		if (fw->modules[k].kind == AMT_MOD_MODULE && fw->modules[k].comp == AMT_COMP_HUFFMAN &&
		    !strcmp(fw->modules[k].partition, part) && !strcmp(fw->modules[k].name, name))
			return k;
	return SIZE_MAX;
}

amt_status amt_cse_huffman(struct amt_parse_ctx *c)
{
	struct amt_fw *fw = &c->img->fw;
	struct metas t = { 0 };
	bool nomem = false;

	/* 1. modules with a .met hash (rbe among them) */
	for (size_t k = 0; k < fw->nmodules; k++) {
		struct amt_module *m = &fw->modules[k];
		bool has_met;
		if (m->kind != AMT_MOD_MODULE || m->comp != AMT_COMP_HUFFMAN)
			continue;
		if (encrypted(c, k, &has_met)) {
			m->hash_ok = AMT_UNKNOWN;
			m->unchecked = AMT_UNCHECKED_ENCRYPTED;
			continue;
		}
		if (!has_met)
			continue;
		uint8_t h[48];
		unsigned hl;
		uint64_t ho;
		if (amt_fw_stored_hash(c->data, c->size, fw, k, h, &hl, &ho) != AMT_OK)
			continue;
		m->hash_ok = amt_huff_module_check(c->data, c->size, fw, k, h, hl, &m->unchecked,
						   NULL, NULL, NULL);
	}

	/* 2. the metadata tables of verified rbe, then of pm once it checks */
	static const char *const holders[][2] = { { "RBEP", "rbe" }, { "FTPR", "pm" } };
	for (size_t i = 0; i < 2 && !nomem; i++) {
		size_t k = find(fw, holders[i][0], holders[i][1]);
		if (k == SIZE_MAX)
			continue;
		struct amt_module *m = &fw->modules[k];
		uint8_t *u = NULL;
		size_t ul = 0;
		amt_huff_module_check(c->data, c->size, fw, k, NULL, 0, NULL, &u, &ul, NULL);
		if (!u)
			continue;
		if (m->hash_ok != AMT_YES && m->unchecked == AMT_UNCHECKED_NONE &&
		    in_tables(&t, u, ul, (uint32_t)ul))
			m->hash_ok = AMT_YES;
		if (m->hash_ok == AMT_YES && !collect(&t, u, ul))
			nomem = true;
		free(u);
	}

	/* 3. modules without .met: in a table, or no hash */
	for (size_t k = 0; k < fw->nmodules && !nomem; k++) {
		struct amt_module *m = &fw->modules[k];
		bool has_met;
		if (m->kind != AMT_MOD_MODULE || m->comp != AMT_COMP_HUFFMAN ||
		    m->hash_ok != AMT_UNKNOWN || m->unchecked != AMT_UNCHECKED_NONE ||
		    encrypted(c, k, &has_met) || has_met)
			continue;
		uint8_t *u = NULL;
		size_t ul = 0;
		amt_tristate r = amt_huff_module_check(c->data, c->size, fw, k, NULL, 0,
						       &m->unchecked, &u, &ul, NULL);
		if (!u) {
			/* corrupt (or not this book) and no hash to say which */
			if (m->unchecked == AMT_UNCHECKED_NONE && r == AMT_UNKNOWN)
				m->unchecked = AMT_UNCHECKED_NO_HASH;
			continue;
		}
		bool ok = in_tables(&t, u, ul, (uint32_t)ul);
		if (!ok) {
			/* the other book of this generation, as for .met hashes */
			amt_huff_book b = amt_huff_cse_book(fw) == AMT_HUFF_CSE11 ? AMT_HUFF_CSE12
										   : AMT_HUFF_CSE11;
			uint8_t *u2 = NULL;
			size_t ul2 = 0;
			uint64_t n = m->usize ? m->size : ul; /* as amt_huff_module_check */
			if (m->usize && amt_in(c->size, m->offset, n) &&
			    amt_huff_unpack_cse(b, c->data + m->offset, (size_t)n, m->offset,
						m->usize, &u2, &ul2, NULL) == AMT_OK)
				ok = in_tables(&t, u2, ul2, (uint32_t)ul2);
			free(u2);
		}
		free(u);
		m->hash_ok = ok ? AMT_YES : AMT_UNKNOWN;
		m->unchecked = ok ? AMT_UNCHECKED_NONE : AMT_UNCHECKED_NO_HASH;
	}
	free(t.v);
	return nomem ? AMT_E_NOMEM : AMT_OK;
}
