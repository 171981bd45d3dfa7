/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * $MAN / $MN2 manifest headers (all kinds).
 *
 * Common header (MEA.py MN2_Manifest_R0/R1/R2; doc/formats.md#manifests):
 *   +0x04 header length (dwords)  +0x08 header version (0x10000; 0x21000 = R2)
 *   +0x0C flags  +0x10 vendor (0x8086)  +0x14 date  +0x18 size (dwords)
 *   +0x1C tag "$MAN" (gen 1) / "$MN2"  +0x20 module count (gen 1, R0) or
 *   build tag (R1/R2)  +0x24 version major/minor/hotfix/build (u16)
 *   +0x2C SVN (ME 9+, CSE)  +0x30 SVN (ME 8)  +0x34 VCN (R0: ME 8-10, TXE 0-2;
 *   MEA.py MN2_Manifest_R0 and its "Version Control Number" row; the
 *   generation parser, which knows the family, says whether it holds one)
 *   +0x78 key size (dwords)  +0x7C exponent size (dwords)
 *   2048-bit: modulus +0x80 (0x100 B, little-endian), exponent +0x180,
 *             signature +0x184 (0x100 B), header ends at 0x284
 *   3072-bit (R2): modulus +0x80 (0x180 B), exponent +0x200,
 *             signature +0x204 (0x180 B), header ends at 0x384
 * Gen 1 $MAN uses the 2048-bit layout with the tag at +0x1C (me_cleaner
 * check_mn2_tag; checked on real ME 2.6/4.2/5.0 images: key size
 * 0x40 dwords, exponent 0x11 at +0x180, header length 0xA1 dwords).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "internal.h"

static bool digest(const EVP_MD *md, const uint8_t *p, size_t len, uint8_t *out)
{
	unsigned int olen = 0;
	return EVP_Digest(p, len, out, &olen, md, NULL) == 1;
}

static void fill_key(struct amt_manifest *m, const uint8_t *d, size_t size)
{
	struct amt_key_info *k = &m->key;
	uint8_t be[0x180];
	unsigned n = m->key_bytes;

	if (!amt_in(size, m->modulus_offset, n) || !amt_in(size, m->exponent_offset, 4) ||
	    n > sizeof(be))
		return;
	const uint8_t *mod = d + m->modulus_offset;
	for (unsigned i = 0; i < n; i++)
		be[i] = mod[n - 1 - i];
	unsigned bits = 0;
	/* exact bit length of the big-endian modulus */
	for (unsigned i = 0; i < n; i++) {
		if (be[i]) {
			unsigned b = 8;
			while (!(be[i] & (1u << (b - 1))))
				b--;
			bits = (n - i - 1) * 8 + b;
			break;
		}
	}
	k->modulus_bits = bits;
	k->exponent = amt_rd32(d + m->exponent_offset);
	bool ok = digest(EVP_sha256(), be, n, k->modulus_sha256) &&
		  digest(EVP_sha256(), mod, n, k->stored_sha256); /* MEA's fingerprint */
	/* me_cleaner's fingerprint: MD5 of the 0x104 bytes at manifest+0x80
	 * (modulus + exponent on 2048-bit manifests). */
	if (amt_in(size, m->offset + 0x80, 0x104))
		ok = digest(EVP_md5(), d + m->offset + 0x80, 0x104, k->me_cleaner_md5) && ok;
	k->present = ok;
}

amt_status amt_manifest_parse(struct amt_parse_ctx *c, uint64_t off, uint64_t limit,
			      const char *partition, const char *name, int *index,
			      amt_error *err)
{
	struct amt_fw *fw = &c->img->fw;
	const uint8_t *d = c->data;
	struct amt_manifest m;

	if (index)
		*index = -1;
	if (limit > c->size)
		limit = c->size;
	memset(&m, 0, sizeof(m));
	m.offset = off;
	m.pss_salt_len = -1;
	snprintf(m.partition, sizeof(m.partition), "%s", partition ? partition : "");
	snprintf(m.name, sizeof(m.name), "%s", name ? name : "");

	if (!amt_in(limit, off, 0x80))
		return amt_error_set(err, AMT_E_TRUNCATED, "manifest", off,
				     "manifest header of %s runs past 0x%llx",
				     m.partition[0] ? m.partition : "?", (unsigned long long)limit);
	const uint8_t *h = d + off;
	bool man = !memcmp(h + 0x1C, "$MAN", 4);
	if (!man && memcmp(h + 0x1C, "$MN2", 4))
		return amt_error_set(err, AMT_E_BADMAGIC, "manifest", off + 0x1C,
				     "no $MN2/$MAN tag at +0x1C of %s",
				     m.partition[0] ? m.partition : "the partition");

	m.header_len = (uint32_t)((uint64_t)amt_rd32(h + 4) * 4);
	uint64_t size64 = (uint64_t)amt_rd32(h + 0x18) * 4;
	m.size = size64 > UINT32_MAX ? UINT32_MAX : (uint32_t)size64;
	m.header_version = amt_rd32(h + 8);
	m.flags = amt_rd32(h + 0x0C);
	m.vendor = amt_rd32(h + 0x10);
	m.date = amt_rd32(h + 0x14);
	m.version.major = amt_rd16(h + 0x24);
	m.version.minor = amt_rd16(h + 0x26);
	m.version.hotfix = amt_rd16(h + 0x28);
	m.version.build = amt_rd16(h + 0x2A);

	uint32_t keysz = amt_rd32(h + 0x78);
	bool big = false;
	if (man)
		m.kind = AMT_MAN_GEN1;
	else if (m.header_version == 0x21000)
		m.kind = AMT_MAN_R2;
	else if (fw->generation >= 3 || (strlen(m.name) > 4 &&
					 !strcmp(m.name + strlen(m.name) - 4, ".man")))
		m.kind = AMT_MAN_R1; /* CSE: in a $CPD (".man" entry) or a gen 3 image */
	else
		m.kind = AMT_MAN_R0;
	/* Layout by the key size field (MEA: a 0x180-byte key means R2), else
	 * by the header version. */
	if (keysz == 0x60)
		big = true;
	else if (keysz == 0x40)
		big = false;
	else {
		big = m.kind == AMT_MAN_R2;
		amt_image_problemf(c->img, AMT_E_UNSUPPORTED, "manifest", off + 0x78,
				   "%s manifest key size 0x%x dwords (expected 0x40 or 0x60); "
				   "assuming a %u-bit key", m.partition, keysz, big ? 3072 : 2048);
	}
	if (big && m.kind != AMT_MAN_R2)
		amt_image_problemf(c->img, AMT_E_UNSUPPORTED, "manifest", off + 0x08,
				   "%s manifest has a 3072-bit key but header version 0x%x",
				   m.partition, m.header_version);
	m.key_bytes = big ? 0x180 : 0x100;
	m.modulus_offset = off + 0x80;
	m.exponent_offset = off + 0x80 + m.key_bytes;
	m.signature_offset = m.exponent_offset + 4;
	uint64_t hdr_end = 0x80 + 2ull * m.key_bytes + 4; /* 0x284 / 0x384 */

	if (!amt_in(limit, off, hdr_end))
		return amt_error_set(err, AMT_E_TRUNCATED, "manifest", off,
				     "%s manifest header (0x%llx bytes) runs past 0x%llx",
				     m.partition, (unsigned long long)hdr_end,
				     (unsigned long long)limit);

	if (m.kind == AMT_MAN_GEN1 || m.kind == AMT_MAN_R0) {
		m.module_count = amt_rd32(h + 0x20);
		m.svn = amt_rd32(h + 0x2C);
		if (m.kind == AMT_MAN_R0 && m.svn == 0 && m.version.major == 8)
			m.svn = amt_rd32(h + 0x30); /* ME 8 keeps it at +0x30 (MEA) */
		if (m.kind == AMT_MAN_R0) {
			m.vcn = amt_rd32(h + 0x34); /* vcn_known: set by gen2.c */
			m.vcn_offset = off + 0x34;
		}
	} else {
		m.svn = amt_rd32(h + 0x2C);
	}

	bool sizes_ok = true;
	/* An unsigned placeholder (seen on the OEM SMIP partition of a TXE 4
	 * IFWI image): vendor 0, modulus and exponent all zero. Not Intel's,
	 * not broken: it is reported as unsigned, not as a problem. */
	fill_key(&m, d, c->size);
	bool placeholder = m.vendor == 0 && m.key.modulus_bits == 0 && m.key.exponent == 0 &&
			   amt_in(c->size, m.modulus_offset, m.key_bytes);
	if (m.vendor != 0x8086 && !placeholder)
		amt_image_problemf(c->img, AMT_E_BADMAGIC, "manifest", off + 0x10,
				   "%s manifest vendor 0x%x (expected 0x8086)", m.partition,
				   m.vendor);
	if (m.header_len < hdr_end) {
		amt_image_problemf(c->img, AMT_E_RANGE, "manifest", off + 4,
				   "%s manifest header length 0x%x is shorter than its key and "
				   "signature (0x%llx)", m.partition, m.header_len,
				   (unsigned long long)hdr_end);
		sizes_ok = false;
	}
	if (size64 < m.header_len) {
		amt_image_problemf(c->img, AMT_E_RANGE, "manifest", off + 0x18,
				   "%s manifest size 0x%llx is smaller than its header length 0x%x",
				   m.partition, (unsigned long long)size64, m.header_len);
		sizes_ok = false;
	} else if (!amt_in(limit, off, size64)) {
		amt_image_problemf(c->img, AMT_E_TRUNCATED, "manifest", off + 0x18,
				   "%s manifest size 0x%llx runs past 0x%llx", m.partition,
				   (unsigned long long)size64, (unsigned long long)limit);
		sizes_ok = false;
	}

	if (m.key.present && !placeholder)
		amt_key_identify(&m.key);
	if (placeholder) {
		m.sig = AMT_SIG_UNSUPPORTED;
		snprintf(m.sig_detail, sizeof(m.sig_detail),
			 "unsigned: vendor, key and exponent are empty (placeholder manifest)");
	} else if (!sizes_ok) {
		m.sig = AMT_SIG_INVALID;
		snprintf(m.sig_detail, sizeof(m.sig_detail),
			 "manifest sizes out of range: signed data not defined");
	} else if (c->opts && c->opts->verify_signatures) {
		amt_manifest_verify(d, c->size, &m);
	} else {
		m.sig = AMT_SIG_NOT_CHECKED;
	}

	struct amt_manifest *slot = amt_fw_add_manifest(fw);
	if (!slot)
		return amt_error_set(err, AMT_E_NOMEM, "manifest", off, "out of memory");
	*slot = m;
	if (index)
		*index = (int)(fw->nmanifests - 1);
	return AMT_OK;
}
