/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RSA signature of a $MAN / $MN2 manifest, verified with OpenSSL libcrypto.
 *
 * Layout (MEA MN2_Manifest_R0/R1/R2; doc/formats.md#manifests), offsets from the
 * manifest header:
 *   +0x04 header length (dwords)    +0x18 size (dwords)    +0x1C tag
 *   +0x78 key size (dwords: 0x40 = 2048 bits, 0x60 = 3072 bits)
 *   +0x7C exponent size (dwords, 1)
 *   +0x80 modulus, kb bytes, LITTLE-endian
 *   +0x80+kb exponent (u32)
 *   +0x84+kb signature, kb bytes, LITTLE-endian
 * Signed data = manifest[0x00:0x80] || manifest[header_len:size]
 * (me_cleaner check_partition_signature; MEA rsa_sig_val).
 *
 * Schemes:
 *   $MAN (ME 2-5)      RSA-2048 PKCS#1 v1.5, SHA-1   (MEA rsa_sig_val)
 *   $MN2 R0/R1         RSA-2048 PKCS#1 v1.5, SHA-256
 *   $MN2 R2 (CSME 15+) RSA-3072 RSASSA-PSS, SHA-384, MGF1-SHA-384 (MEA pss_verify)
 * The whole PKCS#1 v1.5 block is checked by OpenSSL (00 01 FF.. 00
 * DigestInfo digest), not only its tail as me_cleaner does.
 *
 * PSS salt length: the one the signature carries. Intel signs its own
 * manifests with a 48-byte salt (the SHA-384 length), but OEM-signed
 * manifests (e.g. the OEMP partition of Alder Lake-P products) use 32
 * bytes, and RFC 8017 9.1 leaves the length to the signer: MEA (pss_verify)
 * recovers it from the decoded block, OpenSSL does the same with
 * RSA_PSS_SALTLEN_AUTO. After a good verification the salt length is
 * recovered from the block (EMSA-PSS-DECODE, RFC 8017 9.1.2) and kept in
 * m->pss_salt_len.
 */
#include <stdarg.h>
#include <stdio.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include "internal.h"

#define MAN_KEY_OFF 0x80u
#define MAX_KEY_BYTES 384u

static void set(struct amt_manifest *m, amt_sig_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set(struct amt_manifest *m, amt_sig_status st, const char *fmt, ...)
{
	va_list ap;

	m->sig = st;
	va_start(ap, fmt);
	vsnprintf(m->sig_detail, sizeof(m->sig_detail), fmt, ap);
	va_end(ap);
}

/* Public RSA key from a little-endian modulus and an exponent. */
static EVP_PKEY *make_key(const uint8_t *mod_le, unsigned kb, uint32_t e)
{
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *kctx = NULL;
	EVP_PKEY *pkey = NULL;
	BIGNUM *n = BN_lebin2bn(mod_le, (int)kb, NULL);
	BIGNUM *bn_e = BN_new();

	if (!n || !bn_e || !BN_set_word(bn_e, e))
		goto out;
	bld = OSSL_PARAM_BLD_new();
	if (!bld || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	kctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	if (!params || !kctx || EVP_PKEY_fromdata_init(kctx) <= 0 ||
	    EVP_PKEY_fromdata(kctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		pkey = NULL;
out:
	EVP_PKEY_CTX_free(kctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(bn_e);
	BN_free(n);
	return pkey;
}

/* Digest of manifest[0:0x80] || manifest[hl:msize]. */
static bool signed_digest(const uint8_t *man, uint32_t hl, uint32_t msize,
			  const EVP_MD *md, uint8_t *out, unsigned *outlen)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	bool ok = c && EVP_DigestInit_ex(c, md, NULL) == 1 &&
		  EVP_DigestUpdate(c, man, 0x80) == 1 &&
		  EVP_DigestUpdate(c, man + hl, msize - hl) == 1 &&
		  EVP_DigestFinal_ex(c, out, outlen) == 1;

	EVP_MD_CTX_free(c);
	return ok;
}

/* MGF1 (RFC 8017 B.2.1) with md: mask of len bytes from seed. */
static bool mgf1(const EVP_MD *md, const uint8_t *seed, size_t slen, uint8_t *mask, size_t len)
{
	uint8_t blk[EVP_MAX_MD_SIZE];
	unsigned hl = 0;
	size_t done = 0;

	for (uint32_t ctr = 0; done < len; ctr++) {
		uint8_t c[4] = { (uint8_t)(ctr >> 24), (uint8_t)(ctr >> 16), (uint8_t)(ctr >> 8),
				 (uint8_t)ctr };
		EVP_MD_CTX *x = EVP_MD_CTX_new();
		bool ok = x && EVP_DigestInit_ex(x, md, NULL) == 1 &&
			  EVP_DigestUpdate(x, seed, slen) == 1 && EVP_DigestUpdate(x, c, 4) == 1 &&
			  EVP_DigestFinal_ex(x, blk, &hl) == 1;
		EVP_MD_CTX_free(x);
		if (!ok || hl == 0)
			return false;
		for (unsigned i = 0; i < hl && done < len; i++)
			mask[done++] = blk[i];
	}
	return true;
}

/* The salt length of a PSS signature that verified: the raw RSA result
 * EM = maskedDB || H || 0xBC, DB = MGF1(H) ^ maskedDB = 00.. 01 || salt
 * (RFC 8017 9.1.2). -1 when the block does not decode. */
static int pss_salt_len(EVP_PKEY *pkey, const EVP_MD *md, const uint8_t *sig, size_t siglen)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	uint8_t em[MAX_KEY_BYTES], mask[MAX_KEY_BYTES];
	size_t emlen = sizeof(em);
	int hl = EVP_MD_get_size(md), salt = -1;

	if (!c || EVP_PKEY_verify_recover_init(c) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_padding(c, RSA_NO_PADDING) <= 0 ||
	    EVP_PKEY_verify_recover(c, em, &emlen, sig, siglen) <= 0 || hl <= 0 ||
	    emlen != siglen || emlen < (size_t)hl + 2 || em[emlen - 1] != 0xBC)
		goto out;
	size_t dblen = emlen - (size_t)hl - 1;
	if (!mgf1(md, em + dblen, (size_t)hl, mask, dblen))
		goto out;
	for (size_t i = 0; i < dblen; i++)
		em[i] ^= mask[i];
	em[0] &= 0x7F;  /* emBits = modBits - 1 (a whole number of bytes here) */
	for (size_t i = 0; i < dblen; i++) {
		if (em[i] == 0)
			continue;
		if (em[i] == 1)
			salt = (int)(dblen - i - 1);
		break;
	}
out:
	EVP_PKEY_CTX_free(c);
	return salt;
}

void amt_manifest_verify(const uint8_t *data, size_t size, struct amt_manifest *m)
{
	const uint64_t off = m->offset;
	const uint8_t *man;
	const char *want_tag, *scheme;
	const EVP_MD *md;
	unsigned want_kb, kb, dlen = 0;
	uint32_t hl, msize, edw, e;
	uint64_t hdr_end;
	uint8_t dg[EVP_MAX_MD_SIZE], sig_be[MAX_KEY_BYTES];
	EVP_PKEY *pkey = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	int r;

	m->sig_detail[0] = '\0';
	m->pss_salt_len = -1;
	switch (m->kind) {
	case AMT_MAN_GEN1:
		want_tag = "$MAN"; want_kb = 256; md = EVP_sha1();
		scheme = "RSA-2048 PKCS#1 v1.5 SHA-1";
		break;
	case AMT_MAN_R0:
	case AMT_MAN_R1:
		want_tag = "$MN2"; want_kb = 256; md = EVP_sha256();
		scheme = "RSA-2048 PKCS#1 v1.5 SHA-256";
		break;
	case AMT_MAN_R2:
		want_tag = "$MN2"; want_kb = 384; md = EVP_sha384();
		scheme = "RSA-3072 PSS SHA-384";
		break;
	default:
		set(m, AMT_SIG_UNSUPPORTED, "unknown manifest kind %d", (int)m->kind);
		return;
	}

	if (!amt_in(size, off, 0x80)) {
		set(m, AMT_SIG_UNSUPPORTED, "manifest header outside the buffer");
		return;
	}
	man = data + off;
	if (memcmp(man + 0x1C, want_tag, 4) != 0) {
		set(m, AMT_SIG_UNSUPPORTED, "tag is not %s", want_tag);
		return;
	}
	kb = amt_rd32(man + 0x78);
	edw = amt_rd32(man + 0x7C);
	if (kb != want_kb / 4) {
		set(m, AMT_SIG_UNSUPPORTED, "key size field 0x%x dwords, %s needs 0x%x",
		    kb, scheme, want_kb / 4);
		return;
	}
	kb = want_kb;
	if (edw != 1) {
		set(m, AMT_SIG_UNSUPPORTED, "exponent size field %u dwords, not 1", edw);
		return;
	}
	hdr_end = MAN_KEY_OFF + kb + 4 + kb;  /* 0x284 or 0x384 */
	if (!amt_in(size, off, hdr_end)) {
		set(m, AMT_SIG_UNSUPPORTED, "key/signature run past the buffer end");
		return;
	}
	/* header_len and size as stored (both are in the signed first 0x80 bytes) */
	hl = amt_rd32(man + 0x04);
	msize = amt_rd32(man + 0x18);
	if (hl > UINT32_MAX / 4 || msize > UINT32_MAX / 4) {
		set(m, AMT_SIG_UNSUPPORTED, "header length/size fields overflow");
		return;
	}
	hl *= 4;
	msize *= 4;
	if (hl < hdr_end) {
		set(m, AMT_SIG_UNSUPPORTED, "header length 0x%x < key+signature end 0x%x",
		    hl, (unsigned)hdr_end);
		return;
	}
	if (msize < hl) {
		set(m, AMT_SIG_UNSUPPORTED, "size 0x%x < header length 0x%x", msize, hl);
		return;
	}
	if (!amt_in(size, off, msize)) {
		set(m, AMT_SIG_UNSUPPORTED, "manifest (0x%x bytes) runs past the buffer end",
		    msize);
		return;
	}
	e = amt_rd32(man + MAN_KEY_OFF + kb);
	if (e < 3 || !(e & 1)) {
		set(m, AMT_SIG_UNSUPPORTED, "public exponent %u is not usable", e);
		return;
	}
	/* LE modulus: top byte is the last stored one; odd means low byte odd */
	if (man[MAN_KEY_OFF + kb - 1] == 0 || !(man[MAN_KEY_OFF] & 1)) {
		set(m, AMT_SIG_UNSUPPORTED, "modulus is not an odd %u-bit number", kb * 8);
		return;
	}

	if (!m->key.present) {
		amt_key_read(data, size, off, &m->key);
		amt_key_identify(&m->key);
	}

	if (!signed_digest(man, hl, msize, md, dg, &dlen)) {
		set(m, AMT_SIG_UNSUPPORTED, "digest failed (libcrypto)");
		goto out;
	}
	for (unsigned i = 0; i < kb; i++)
		sig_be[i] = man[MAN_KEY_OFF + kb + 4 + kb - 1 - i];

	pkey = make_key(man + MAN_KEY_OFF, kb, e);
	ctx = pkey ? EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL) : NULL;
	if (!ctx || EVP_PKEY_verify_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_signature_md(ctx, md) <= 0) {
		set(m, AMT_SIG_UNSUPPORTED, "libcrypto refused the key");
		goto out;
	}
	if (m->kind == AMT_MAN_R2) {
		if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
		    EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) <= 0 ||
		    EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_AUTO) <= 0) {
			set(m, AMT_SIG_UNSUPPORTED, "libcrypto refused PSS parameters");
			goto out;
		}
	} else if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) <= 0) {
		set(m, AMT_SIG_UNSUPPORTED, "libcrypto refused PKCS#1 padding");
		goto out;
	}
	r = EVP_PKEY_verify(ctx, sig_be, kb, dg, dlen);
	if (r == 1 && m->kind == AMT_MAN_R2) {
		m->pss_salt_len = pss_salt_len(pkey, md, sig_be, kb);
		if (m->pss_salt_len >= 0)
			set(m, AMT_SIG_VALID, "%s, %d-byte salt", scheme, m->pss_salt_len);
		else
			set(m, AMT_SIG_VALID, "%s", scheme);
	} else if (r == 1)
		set(m, AMT_SIG_VALID, "%s", scheme);
	else
		set(m, AMT_SIG_INVALID, "%s does not verify", scheme);
out:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	ERR_clear_error();  /* leave no libcrypto errors in this thread's queue */
}
