/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Test-side manifest signing (see build_sign.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/rsa.h>

#include "internal.h"
#include "build_sign.h"

static EVP_PKEY *key2048, *key3072;

static void die(const char *what)
{
	fprintf(stderr, "test builder (sign): %s\n", what);
	abort();
}

EVP_PKEY *tb_sign_key(unsigned bits)
{
	EVP_PKEY **slot = bits == 3072 ? &key3072 : &key2048;

	if (bits != 2048 && bits != 3072)
		die("only 2048/3072-bit test keys");
	if (!*slot) {
		/* default public exponent of EVP_PKEY_Q_keygen is 0x10001 */
		*slot = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
		if (!*slot)
			die("RSA key generation failed");
	}
	return *slot;
}

unsigned tb_sign_key_bytes(int kind)
{
	return kind == AMT_MAN_R2 ? 384 : 256;
}

size_t tb_sign_sig_offset(int kind)
{
	return 0x84 + tb_sign_key_bytes(kind);
}

static const EVP_MD *kind_md(int kind, const char *md_name)
{
	const EVP_MD *md;

	if (md_name)
		md = EVP_get_digestbyname(md_name);
	else if (kind == AMT_MAN_GEN1)
		md = EVP_sha1();
	else if (kind == AMT_MAN_R2)
		md = EVP_sha384();
	else
		md = EVP_sha256();
	if (!md)
		die("unknown digest");
	return md;
}

/* Write key size, exponent size, modulus (LE), exponent; check fit. */
static EVP_PKEY *write_key(uint8_t *buf, size_t size, size_t man_off, int kind,
			   uint32_t *hl, uint32_t *msize)
{
	unsigned kb = tb_sign_key_bytes(kind);
	EVP_PKEY *k = tb_sign_key(kb * 8);
	BIGNUM *n = NULL, *e = NULL;
	uint8_t *man;

	if (!amt_in(size, man_off, 0x84 + 2 * kb))
		die("manifest header does not fit the buffer");
	man = buf + man_off;
	*hl = amt_rd32(man + 0x04) * 4;
	*msize = amt_rd32(man + 0x18) * 4;
	if (*hl < 0x84 + 2 * kb || *msize < *hl || !amt_in(size, man_off, *msize))
		die("header length/size fields do not fit");
	amt_wr32(man + 0x78, kb / 4);
	amt_wr32(man + 0x7C, 1);
	if (!EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_N, &n) ||
	    !EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_E, &e) ||
	    BN_bn2lebinpad(n, man + 0x80, (int)kb) != (int)kb)
		die("cannot read the test key");
	amt_wr32(man + 0x80 + kb, (uint32_t)BN_get_word(e));
	BN_free(n);
	BN_free(e);
	return k;
}

static unsigned digest_of(const uint8_t *man, uint32_t hl, uint32_t msize,
			  const EVP_MD *md, uint8_t *out)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned len = 0;

	if (!c || EVP_DigestInit_ex(c, md, NULL) != 1 ||
	    EVP_DigestUpdate(c, man, 0x80) != 1 ||
	    EVP_DigestUpdate(c, man + hl, msize - hl) != 1 ||
	    EVP_DigestFinal_ex(c, out, &len) != 1)
		die("digest failed");
	EVP_MD_CTX_free(c);
	return len;
}

unsigned tb_sign_digest(uint8_t *buf, size_t size, size_t man_off, int kind,
			const char *md_name, uint8_t *out)
{
	uint32_t hl, msize;

	write_key(buf, size, man_off, kind, &hl, &msize);
	return digest_of(buf + man_off, hl, msize, kind_md(kind, md_name), out);
}

/* Store a big-endian signature little-endian at its place. */
static void store_sig(uint8_t *man, int kind, const uint8_t *be, size_t len)
{
	unsigned kb = tb_sign_key_bytes(kind);
	uint8_t *s = man + tb_sign_sig_offset(kind);

	if (len > kb)
		die("signature longer than the key");
	memset(s, 0, kb);
	for (size_t i = 0; i < len; i++)
		s[i] = be[len - 1 - i];
}

void tb_sign_manifest_alg(uint8_t *buf, size_t size, size_t man_off, int kind,
			  const char *md_name, int pss_saltlen)
{
	uint32_t hl, msize;
	EVP_PKEY *k = write_key(buf, size, man_off, kind, &hl, &msize);
	const EVP_MD *md = kind_md(kind, md_name);
	uint8_t dg[EVP_MAX_MD_SIZE], sig[512];
	size_t siglen = sizeof(sig);
	unsigned dlen = digest_of(buf + man_off, hl, msize, md, dg);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, k, NULL);

	if (!ctx || EVP_PKEY_sign_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_signature_md(ctx, md) <= 0)
		die("sign init failed");
	if (kind == AMT_MAN_R2) {
		if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
		    EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) <= 0 ||
		    EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, pss_saltlen < 0 ?
						     RSA_PSS_SALTLEN_DIGEST : pss_saltlen) <= 0)
			die("PSS parameters refused");
	} else if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) <= 0) {
		die("PKCS#1 padding refused");
	}
	if (EVP_PKEY_sign(ctx, sig, &siglen, dg, dlen) <= 0)
		die("signing failed");
	EVP_PKEY_CTX_free(ctx);
	store_sig(buf + man_off, kind, sig, siglen);
}

void tb_sign_manifest(uint8_t *buf, size_t size, size_t man_off, int kind)
{
	tb_sign_manifest_alg(buf, size, man_off, kind, NULL, -1);
}

void tb_sign_manifest_raw(uint8_t *buf, size_t size, size_t man_off, int kind,
			  const uint8_t *block)
{
	uint32_t hl, msize;
	EVP_PKEY *k = write_key(buf, size, man_off, kind, &hl, &msize);
	unsigned kb = tb_sign_key_bytes(kind);
	uint8_t sig[512];
	size_t siglen = sizeof(sig);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, k, NULL);

	/* RSA_NO_PADDING private operation: sig = block^d mod n */
	if (!ctx || EVP_PKEY_sign_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING) <= 0 ||
	    EVP_PKEY_sign(ctx, sig, &siglen, block, kb) <= 0)
		die("raw RSA private operation failed");
	EVP_PKEY_CTX_free(ctx);
	store_sig(buf + man_off, kind, sig, siglen);
}

void tb_corrupt_signature(uint8_t *buf, size_t size, size_t man_off, int kind,
			  unsigned bit)
{
	size_t at = man_off + tb_sign_sig_offset(kind) + bit / 8;

	if (bit / 8 >= tb_sign_key_bytes(kind) || !amt_in(size, at, 1))
		die("signature bit outside the signature");
	buf[at] ^= (uint8_t)(1u << (bit % 8));
}
