/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CSE manifest extensions: a sequence of {tag u32, size u32 (bytes, incl.
 * this 8-byte header), body} between a manifest's header length and its
 * size, and in a module's ".met" entry (MEA.py ext_anl; doc/formats.md#extensions).
 *
 * Used here:
 *   0x01 InitScript: +0x08 reserved, +0x0C module count, then entries of
 *        0x18 bytes (R1, ME 11 / TXE 3-4) or 0x1C bytes (R2, CSME 12+):
 *        partition[4], module[12], +0x10 InitFlowFlags (b1 Removable),
 *        +0x14 BootTypeFlags (b1 HAP) (MEA CSE_Ext_01 / CSE_Ext_01_Mod_R2).
 *        The entry size is taken from the extension size: on the corpus,
 *        ME 11 (40 entries, 0x3D0) and TXE 3 use 0x18, CSME 12/14 0x1C.
 *   0x03 Partition Info: +0x08 partition name[4], +0x0C length, +0x10 hash
 *        (SHA-256 R1 / SHA-384 R2), then the VCN (+0x30 R1, +0x40 R2).
 *   0x0F and 0x23 Signed Package Info: +0x0C VCN (MEA ext_anl: 0x03's VCN
 *        is preferred over 0x0F's; 0x23 sets it).
 *   0x0A Module Attributes: +0x08 compression (0 none, 1 Huffman, 2 LZMA),
 *        +0x09 encryption, +0x0C uncompressed size, +0x10 compressed size,
 *        +0x14 module id u16 (MEA "DEV_ID"), +0x16 vendor id u16, +0x18 hash (SHA-256 0x20 B / SHA-384 0x30 B)
 *        of the stored data for uncompressed and LZMA modules, of the
 *        uncompressed data for Huffman ones (MEA mod_anl). The corpus
 *        images (ME 11.8, TXE 3.1, CSME 16.1) store it byte-reversed.
 *        Exception seen on the corpus ME 11.8 image: NFTP/ish_bup (LZMA)
 *        is hashed uncompressed, so an LZMA module whose stored bytes do not
 *        match is unpacked (liblzma) and its uncompressed bytes compared.
 *   0x04-0x09, 0x0B in a .met: what the module declares (met.c).
 *   0x0C Client System Info: +0x08 FWSKUCaps u32, +0x28 FWSKUAttrib u64.
 *   0x0F Signed Package Info: +0x08 name[4], +0x24 FW type u8, +0x25 FW
 *        SKU u8 (meaningful in R2, CSME 12+: MEA CSE_Ext_0F_R2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <amtless/extract.h>

#include "cse_int.h"

#define EXT_HDR 8u
#define EXT_MAX 512u   /* bound on extensions per manifest */

typedef amt_status (*ext_fn)(struct amt_parse_ctx *c, void *arg, uint32_t tag,
			     uint64_t off, uint32_t size);

/* Walk [start, end): stops at the first malformed extension (recorded as
 * a problem). Returns AMT_OK or AMT_E_NOMEM. */
static amt_status walk(struct amt_parse_ctx *c, const char *what, uint64_t start,
		       uint64_t end, ext_fn fn, void *arg)
{
	const uint8_t *d = c->data;
	uint64_t o = start;
	unsigned count = 0;
	amt_status st;

	if (end > c->size)
		end = c->size;
	while (o < end && amt_in(end, o, EXT_HDR)) {
		uint32_t tag = amt_rd32(d + o), size = amt_rd32(d + o + 4);
		if (tag == 0xFFFFFFFFu && size == 0xFFFFFFFFu)
			return AMT_OK;  /* padding */
		if (size < EXT_HDR)
			return amt_image_problemf(c->img, AMT_E_RANGE, "CSE extension", o + 4,
						  "%s: extension 0x%x has size %u (less than its "
						  "8-byte header): walk stopped", what, tag, size);
		if (!amt_in(end, o, size))
			return amt_image_problemf(c->img, AMT_E_TRUNCATED, "CSE extension", o + 4,
						  "%s: extension 0x%x (0x%x bytes) runs past the "
						  "end 0x%llx: walk stopped", what, tag, size,
						  (unsigned long long)end);
		if (++count > EXT_MAX)
			return amt_image_problemf(c->img, AMT_E_RANGE, "CSE extension", o,
						  "%s: more than %u extensions: walk stopped", what,
						  EXT_MAX);
		st = fn(c, arg, tag, o, size);
		if (st)
			return st;
		o += size;
	}
	return AMT_OK;
}

/* ---- manifest extensions -------------------------------------------- */

struct man_arg {
	const struct amt_manifest *m;
	int man;      /* its index in fw.manifests */
	bool vcn_03;  /* the VCN came from extension 0x03 */
	bool ftpr;
	uint64_t cpd, part_limit;
};

static bool md_digest(const EVP_MD *md, const uint8_t *a, size_t na, const uint8_t *b,
		      size_t nb, uint8_t *out, unsigned *len)
{
	EVP_MD_CTX *x = EVP_MD_CTX_new();
	bool ok = x && EVP_DigestInit_ex(x, md, NULL) && EVP_DigestUpdate(x, a, na) &&
		  EVP_DigestUpdate(x, b, nb) && EVP_DigestFinal_ex(x, out, len);
	EVP_MD_CTX_free(x);
	return ok;
}

/* Ext 0x03 partition hash: SHA-256 (R1) / SHA-384 (R2) of the partition
 * without its manifest: [$CPD, manifest) + [manifest end, $CPD + length)
 * (MEA; doc/formats.md#extensions). Matches on real ME 11.8
 * FTPR/NFTP/DLMP; FIT-customised images legitimately differ (MEA). */
static amt_status ext_part_hash(struct amt_parse_ctx *c, const struct man_arg *a,
				uint64_t off, uint32_t size)
{
	const struct amt_manifest *m = a->m;
	unsigned hlen = m->kind == AMT_MAN_R2 ? 48 : 32;
	uint64_t len = amt_rd32(c->data + off + 0x0C);
	uint64_t mend = m->offset + m->size;
	uint8_t dig[EVP_MAX_MD_SIZE], rev[EVP_MAX_MD_SIZE];
	unsigned dl = 0;
	char what[48];

	if (size < 0x10 + hlen || m->offset < a->cpd || mend > a->cpd + len ||
	    !amt_in(a->part_limit, a->cpd, len))
		return AMT_OK;
	if (!md_digest(hlen == 32 ? EVP_sha256() : EVP_sha384(), c->data + a->cpd,
		       (size_t)(m->offset - a->cpd), c->data + mend,
		       (size_t)(a->cpd + len - mend), dig, &dl) || dl != hlen)
		return AMT_OK;
	for (unsigned i = 0; i < dl; i++)
		rev[i] = dig[dl - 1 - i];
	const uint8_t *h = c->data + off + 0x10;
	bool zero = true;
	for (unsigned i = 0; i < hlen; i++)
		zero = zero && !h[i];
	snprintf(what, sizeof(what), "%s partition hash (Ext 0x03)", m->partition);
	struct amt_fw *fw = &c->img->fw;
	amt_status st;
	bool as_is = !memcmp(h, dig, dl), ok = as_is || !memcmp(h, rev, dl);
	if (zero)  /* e.g. PMCP of the corpus TXE 4 IFWI */
		st = amt_fw_check(fw, what, off + 0x10, AMT_UNKNOWN, 0, 0,
				  "hash field is zero (not set)");
	else
		st = amt_fw_check(fw, what, off + 0x10, ok ? AMT_YES : AMT_NO,
				  amt_rd64(h), amt_rd64(as_is ? dig : rev),
				  ok ? NULL : "partition bytes differ from the signed hash "
				  "(FIT-customised images do, MEA)");
	if (st == AMT_OK) {
		struct amt_check *k = &fw->checks[fw->nchecks - 1];
		k->kind = AMT_CHECK_PARTITION_HASH;
		if (!zero) {  /* the whole digests, in the stored byte order */
			k->hash_len = hlen;
			memcpy(k->stored_hash, h, hlen);
			memcpy(k->computed_hash, as_is ? dig : rev, hlen);
		}
		for (size_t i = 0; i < fw->npartitions; i++)
			if (fw->partitions[i].has_cpd && fw->partitions[i].cpd_offset == a->cpd) {
				k->partition = (int)i;
				break;
			}
	}
	return st;
}

static amt_status ext_init(struct amt_parse_ctx *c, const struct man_arg *a, uint64_t off,
			   uint32_t size)
{
	struct amt_fw *fw = &c->img->fw;
	const uint8_t *d = c->data;

	if (size < 0x10)
		return amt_image_problemf(c->img, AMT_E_TRUNCATED, "InitScript", off,
					  "%s: InitScript extension of %u bytes (header is 16)",
					  a->m->name, size);
	uint32_t n = amt_rd32(d + off + 0x0C), body = size - 0x10;
	unsigned esz;
	if (n == 0)
		return AMT_OK;
	if ((uint64_t)n * 0x1C == body)
		esz = 0x1C;
	else if ((uint64_t)n * 0x18 == body)
		esz = 0x18;
	else
		return amt_image_problemf(c->img, AMT_E_RANGE, "InitScript", off + 0x0C,
					  "%s: InitScript count %u does not fill its 0x%x bytes "
					  "with 0x18- or 0x1C-byte entries", a->m->name, n, body);

	struct amt_init_entry *ne = realloc(fw->cse.init, (fw->cse.ninit + n) * sizeof(*ne));
	if (!ne)
		return AMT_E_NOMEM;
	fw->cse.init = ne;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = d + off + 0x10 + (uint64_t)i * esz;
		struct amt_init_entry *ie = &fw->cse.init[fw->cse.ninit++];
		memset(ie, 0, sizeof(*ie));
		amt_name_copy(ie->partition, e, 4);
		amt_name_copy(ie->module, e + 4, 12);
		ie->init_flags = amt_rd32(e + 0x10);
		ie->boot_flags = amt_rd32(e + 0x14);
	}
	return AMT_OK;
}

static amt_status ext_fn_man(struct amt_parse_ctx *c, void *arg, uint32_t tag, uint64_t off,
			     uint32_t size)
{
	const struct man_arg *a = arg;
	struct amt_fw *fw = &c->img->fw;
	struct amt_cse_info *ci = &fw->cse;
	const uint8_t *d = c->data;

	switch (tag) {
	case 0x01:
		return ext_init(c, a, off, size);
	case 0x03: {
		char name[5];
		if (size < 0x10)
			return amt_image_problemf(c->img, AMT_E_TRUNCATED, "Partition Info", off,
						  "%s: partition info extension of %u bytes",
						  a->m->name, size);
		amt_name_copy(name, d + off + 8, 4);
		if (strcmp(name, a->m->partition))
			return amt_image_problemf(c->img, AMT_E_BADMAGIC, "Partition Info",
						  off + 8, "%s: partition info names \"%s\", the "
						  "$CPD names \"%s\"", a->m->name, name,
						  a->m->partition);
		{
			/* VCN after the hash (MEA CSE_Ext_03 / CSE_Ext_03_R2) */
			uint64_t vo = a->m->kind == AMT_MAN_R2 ? 0x40 : 0x30;
			if (size >= vo + 4) {
				struct amt_manifest *mm = &fw->manifests[a->man];
				mm->vcn_known = true;
				mm->vcn = amt_rd32(d + off + vo);
				mm->vcn_offset = off + vo;
				((struct man_arg *)arg)->vcn_03 = true;
			}
		}
		return ext_part_hash(c, a, off, size);
	}
	case 0x23:
		if (size >= 0x10) {
			struct amt_manifest *mm = &fw->manifests[a->man];
			mm->vcn_known = true;
			mm->vcn = amt_rd32(d + off + 0x0C);
			mm->vcn_offset = off + 0x0C;
		}
		return AMT_OK;
	case 0x0C:
		if (size < 0x30)
			return amt_image_problemf(c->img, AMT_E_TRUNCATED, "Client System Info",
						  off, "%s: client system info extension of %u "
						  "bytes (needs 0x30)", a->m->name, size);
		if (!a->ftpr && ci->has_skucaps)
			return AMT_OK;
		ci->has_skucaps = true;
		amt_fw_sku_bytes(fw, d, off + 0x28, 8); /* FWSKUAttrib as stored */
		ci->fwsku_caps = amt_rd32(d + off + 0x08);
		ci->fwsku_attrib = amt_rd64(d + off + 0x28);
		ci->sku_type = (int)((ci->fwsku_attrib >> 4) & 7);
		return AMT_OK;
	case 0x0F:
		if (size < 0x28)
			return amt_image_problemf(c->img, AMT_E_TRUNCATED, "Signed Package Info",
						  off, "%s: signed package info extension of %u "
						  "bytes", a->m->name, size);
		if (!a->vcn_03) {
			struct amt_manifest *mm = &fw->manifests[a->man];
			mm->vcn_known = true;
			mm->vcn = amt_rd32(d + off + 0x0C);
			mm->vcn_offset = off + 0x0C;
		}
		if (!a->ftpr || ci->has_pkg_info)
			return AMT_OK;
		ci->has_pkg_info = true;
		ci->fw_type = d[off + 0x24];
		ci->fw_sku = d[off + 0x25];
		return AMT_OK;
	default:
		return AMT_OK;
	}
}

amt_status amt_cse_ext_manifest(struct amt_parse_ctx *c, int man, uint64_t limit,
				uint64_t cpd, uint64_t part_limit, amt_error *err)
{
	struct amt_fw *fw = &c->img->fw;
	const struct amt_manifest *m = &fw->manifests[man];
	struct man_arg a = { .m = m, .man = man, .ftpr = !strcmp(m->partition, "FTPR"), .cpd = cpd,
			     .part_limit = part_limit };
	char what[40];

	if (m->kind != AMT_MAN_R1 && m->kind != AMT_MAN_R2)
		return AMT_OK;
	uint64_t start = m->offset + m->header_len, end = m->offset + m->size;
	if (end > limit)
		end = limit;
	snprintf(what, sizeof(what), "%s/%s", m->partition, m->name);
	if (walk(c, what, start, end, ext_fn_man, &a))
		return amt_error_set(err, AMT_E_NOMEM, "CSE extension", start, "out of memory");
	return AMT_OK;
}

/* ---- module metadata ------------------------------------------------ */

static bool digest_matches(const uint8_t *p, size_t n, const EVP_MD *md, const uint8_t *want,
			   unsigned hlen, bool *as_is, uint8_t *dig_out)
{
	uint8_t dig[EVP_MAX_MD_SIZE];
	unsigned dlen = 0;

	if (!EVP_Digest(p, n, dig, &dlen, md, NULL) || dlen != hlen)
		return false;
	*as_is = !memcmp(want, dig, dlen);
	for (unsigned i = 0; i < dlen; i++)
		dig_out[i] = *as_is ? dig[i] : dig[dlen - 1 - i];
	return *as_is || !memcmp(want, dig_out, dlen);
}

static amt_status check_hash(struct amt_parse_ctx *c, struct amt_module *m, uint64_t hoff,
			     uint32_t hlen)
{
	const EVP_MD *md = hlen == 32 ? EVP_sha256() : hlen == 48 ? EVP_sha384() : NULL;
	const uint8_t *d = c->data;
	uint8_t dig[EVP_MAX_MD_SIZE] = { 0 };
	bool as_is = false, ok;
	const char *how = NULL;
	char what[48];

	if (!md || !m->in_range || !amt_in(c->size, m->offset, m->size))
		return AMT_OK;
	ok = digest_matches(d + m->offset, m->size, md, d + hoff, hlen, &as_is, dig);
	if (!ok && m->comp == AMT_COMP_LZMA) {
		uint8_t *u = NULL;
		size_t ulen = 0;
		/* amt_lzma_unpack (lib/extract/extract.c) knows the CSE stream quirk */
		if (m->usize && amt_lzma_unpack(d + m->offset, m->size, m->offset, m->usize,
						&u, &ulen, NULL) == AMT_OK && ulen == m->usize) {
			uint8_t dig2[EVP_MAX_MD_SIZE];
			bool as_is2 = false;
			if (digest_matches(u, m->usize, md, d + hoff, hlen, &as_is2, dig2)) {
				ok = true;
				as_is = as_is2;
				memcpy(dig, dig2, hlen);
				how = "hash of the unpacked LZMA data";
			}
		}
		free(u);
	}
	m->hash_ok = ok ? AMT_YES : AMT_NO;
	snprintf(what, sizeof(what), "%s/%s %s", m->partition, m->name,
		 hlen == 32 ? "SHA-256" : "SHA-384");
	/* stored/computed: the first 8 bytes as stored (byte-reversed digest) */
	struct amt_fw *fw = &c->img->fw;
	amt_status st = amt_fw_check(fw, what, hoff, m->hash_ok, amt_rd64(d + hoff),
				     amt_rd64(dig), !ok ? "module bytes do not match the .met hash"
				     : how ? how : as_is ? "digest stored in order" : NULL);
	if (st == AMT_OK) {
		struct amt_check *k = &fw->checks[fw->nchecks - 1];
		k->kind = AMT_CHECK_MODULE_HASH;
		k->module = (int)(m - fw->modules);
		k->hash_len = hlen;  /* the whole digests, in the stored byte order */
		memcpy(k->stored_hash, d + hoff, hlen);
		memcpy(k->computed_hash, dig, hlen);
	}
	return st;
}

static amt_status ext_fn_met(struct amt_parse_ctx *c, void *arg, uint32_t tag, uint64_t off,
			     uint32_t size)
{
	struct amt_module *m = &c->img->fw.modules[*(size_t *)arg];
	const uint8_t *d = c->data;

	if (tag != 0x0A)
		return amt_cse_met_decl(c, *(size_t *)arg, tag, off, size);
	if (size < 0x18)
		return amt_image_problemf(c->img, AMT_E_TRUNCATED, "Module Attributes", off,
					  "%s.met: module attributes extension of %u bytes",
					  m->name, size);
	uint8_t comp = d[off + 8], enc = d[off + 9];
	uint32_t usize = amt_rd32(d + off + 0x0C), csize = amt_rd32(d + off + 0x10);
	m->comp = comp == 0 ? AMT_COMP_NONE : comp == 1 ? AMT_COMP_HUFFMAN
		: comp == 2 ? AMT_COMP_LZMA : AMT_COMP_UNKNOWN;
	m->usize = usize;
	m->has_met = true;
	m->encrypted = enc != 0;
	m->met_module_id = amt_rd16(d + off + 0x14);
	m->met_vendor_id = amt_rd16(d + off + 0x16);
	if (size - 0x18 == 32 || size - 0x18 == 48) {
		/* the stored hash, for every consumer (amt_fw_stored_hash) */
		m->hash_len = size - 0x18;
		memcpy(m->stored_hash, d + off + 0x18, m->hash_len);
		m->hash_offset = off + 0x18;
	}
	if (m->comp == AMT_COMP_HUFFMAN) {
		/* the entry size is the uncompressed size; csize is stored */
		if (csize && csize <= m->size)
			m->size = csize;
		return AMT_OK;  /* hash covers the uncompressed data */
	}
	if (enc || m->comp == AMT_COMP_UNKNOWN)
		return AMT_OK;
	return check_hash(c, m, off + 0x18, size - 0x18);
}

amt_status amt_cse_ext_met(struct amt_parse_ctx *c, size_t mod, uint64_t off,
			   uint64_t len, amt_error *err)
{
	char what[40];
	snprintf(what, sizeof(what), "%s/%s.met", c->img->fw.modules[mod].partition,
		 c->img->fw.modules[mod].name);
	if (len > c->size)
		len = c->size;
	if (walk(c, what, off, off + len, ext_fn_met, &mod))
		return amt_error_set(err, AMT_E_NOMEM, "CSE extension", off, "out of memory");
	return AMT_OK;
}

void amt_cse_apply_init(struct amt_fw *fw)
{
	for (size_t i = 0; i < fw->cse.ninit; i++) {
		const struct amt_init_entry *ie = &fw->cse.init[i];
		for (size_t j = 0; j < fw->nmodules; j++) {
			struct amt_module *m = &fw->modules[j];
			if (m->kind == AMT_MOD_MANIFEST || m->kind == AMT_MOD_METADATA ||
			    strcmp(m->partition, ie->partition) || strcmp(m->name, ie->module))
				continue;
			m->removable = ie->init_flags & AMT_INIT_REMOVABLE ? AMT_YES : AMT_NO;
			m->hap_boot = ie->boot_flags & AMT_BOOT_HAP ? AMT_YES : AMT_NO;
		}
	}
}
