/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Manifest RSA signatures (lib/fw/sig.c) and the known-key table (lib/fw/keys.c):
 * synthetic manifests signed with run-time test keys, negative cases
 * (tampered data/signature, suffix-only PKCS#1 forgery, PSS salt/hash,
 * truncation, bad key fields), and the real corpus when AMTLESS_CORPUS is set.
 */

#include <openssl/evp.h>

#include "testutil.h"
#include "build_sign.h"
#include "corpus_split.h"

#define MAN_OFF 0x100u
#define BODY 0x200u

static const int kinds[] = { AMT_MAN_GEN1, AMT_MAN_R0, AMT_MAN_R1, AMT_MAN_R2 };
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static uint32_t hdr_len(int kind)
{
	return kind == AMT_MAN_R2 ? 0x384 : 0x284;
}

/* A buffer with a manifest header at MAN_OFF, BODY bytes of extensions
 * after the header, and 0x100 unrelated bytes after the manifest. */
static struct tb_buf make_manifest(int kind)
{
	uint32_t hl = hdr_len(kind), msize = hl + BODY;
	struct tb_buf b = tb_alloc(MAN_OFF + msize + 0x100, 0xA5);
	uint8_t *m = b.data + MAN_OFF;

	memset(m, 0, hl);
	amt_wr32(m + 0x00, 4);
	amt_wr32(m + 0x04, hl / 4);
	amt_wr32(m + 0x08, kind == AMT_MAN_R2 ? 0x21000 : 0x10000);
	amt_wr32(m + 0x10, 0x8086);
	amt_wr32(m + 0x14, 0x20240131);
	amt_wr32(m + 0x18, msize / 4);
	memcpy(m + 0x1C, kind == AMT_MAN_GEN1 ? "$MAN" : "$MN2", 4);
	amt_wr16(m + 0x24, 11);
	for (uint32_t i = 0; i < BODY; i++)
		m[hl + i] = (uint8_t)(i * 7 + 3);
	return b;
}

static amt_sig_status verify_at(const uint8_t *d, size_t size, uint64_t off, int kind,
				struct amt_manifest *out)
{
	struct amt_manifest m;

	memset(&m, 0, sizeof(m));
	m.offset = off;
	m.kind = (amt_manifest_kind)kind;
	amt_manifest_verify(d, size, &m);
	assert_true(m.sig != AMT_SIG_NOT_CHECKED);
	assert_true(m.sig_detail[0] != '\0');
	if (out)
		*out = m;
	return m.sig;
}

static amt_sig_status verify(const struct tb_buf *b, int kind)
{
	return verify_at(b->data, b->size, MAN_OFF, kind, NULL);
}

static void test_valid_every_kind(void **state)
{
	for (size_t i = 0; i < NKINDS; i++) {
		struct tb_buf b = make_manifest(kinds[i]);
		struct amt_manifest m;

		tb_sign_manifest(b.data, b.size, MAN_OFF, kinds[i]);
		assert_int_equal(verify_at(b.data, b.size, MAN_OFF, kinds[i], &m), AMT_SIG_VALID);
		/* the key was read and fingerprinted on the way */
		assert_true(m.key.present);
		assert_int_equal(m.key.modulus_bits, kinds[i] == AMT_MAN_R2 ? 3072 : 2048);
		assert_int_equal(m.key.exponent, 0x10001);
		assert_false(m.key.known);
		/* signed with another kind's scheme it must not verify */
		int other = kinds[i] == AMT_MAN_GEN1 ? AMT_MAN_R0 : AMT_MAN_GEN1;
		if (kinds[i] != AMT_MAN_R2) {
			memcpy(b.data + MAN_OFF + 0x1C, other == AMT_MAN_GEN1 ? "$MAN" : "$MN2", 4);
			tb_sign_manifest(b.data, b.size, MAN_OFF, kinds[i]);
			assert_int_equal(verify(&b, other), AMT_SIG_INVALID);
		}
		tb_free(&b);
	}
}

static void test_tampered_data(void **state)
{
	for (size_t i = 0; i < NKINDS; i++) {
		int k = kinds[i];
		uint32_t hl = hdr_len(k);
		/* signed bytes: in the first 0x80, at the header end, at the last byte */
		const size_t at[] = { 0x24, 0x70, hl, hl + BODY - 1 };

		for (size_t j = 0; j < sizeof(at) / sizeof(at[0]); j++) {
			struct tb_buf b = make_manifest(k);

			tb_sign_manifest(b.data, b.size, MAN_OFF, k);
			b.data[MAN_OFF + at[j]] ^= 0x10;
			assert_int_equal(verify(&b, k), AMT_SIG_INVALID);
			tb_free(&b);
		}
		/* bytes outside the manifest are not covered */
		struct tb_buf b = make_manifest(k);
		tb_sign_manifest(b.data, b.size, MAN_OFF, k);
		b.data[MAN_OFF + hl + BODY] ^= 0xFF;
		b.data[MAN_OFF - 1] ^= 0xFF;
		assert_int_equal(verify(&b, k), AMT_SIG_VALID);
		tb_free(&b);
	}
}

static void test_tampered_signature(void **state)
{
	for (size_t i = 0; i < NKINDS; i++) {
		int k = kinds[i];
		const unsigned bits[] = { 0, 9, tb_sign_key_bytes(k) * 8 - 9 };

		for (size_t j = 0; j < sizeof(bits) / sizeof(bits[0]); j++) {
			struct tb_buf b = make_manifest(k);

			tb_sign_manifest(b.data, b.size, MAN_OFF, k);
			tb_corrupt_signature(b.data, b.size, MAN_OFF, k, bits[j]);
			assert_int_equal(verify(&b, k), AMT_SIG_INVALID);
			tb_free(&b);
		}
		/* a flipped modulus bit (the key itself) must not verify either */
		struct tb_buf b = make_manifest(k);
		tb_sign_manifest(b.data, b.size, MAN_OFF, k);
		b.data[MAN_OFF + 0x80 + 17] ^= 0x04;
		assert_int_equal(verify(&b, k), AMT_SIG_INVALID);
		tb_free(&b);
	}
}

/* DigestInfo prefixes (RFC 8017 9.2 note 1) */
static const uint8_t di_sha1[] = { 0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
				   0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14 };
static const uint8_t di_sha256[] = { 0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86,
				     0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
				     0x00, 0x04, 0x20 };

/* 256-byte block = 00 01 FF.. 00 || prefix || digest (EMSA-PKCS1-v1_5). */
static void pkcs1_block(uint8_t *blk, const uint8_t *prefix, size_t plen,
			const uint8_t *dg, size_t dlen)
{
	size_t kb = 256, ps = kb - 3 - plen - dlen;

	blk[0] = 0x00;
	blk[1] = 0x01;
	memset(blk + 2, 0xFF, ps);
	blk[2 + ps] = 0x00;
	memcpy(blk + 3 + ps, prefix, plen);
	memcpy(blk + 3 + ps + plen, dg, dlen);
}

/*
 * me_cleaner only checks that the decrypted block ENDS with the digest.
 * Blocks with the right digest at the end but bad padding must be INVALID;
 * the correctly padded block written the same raw way is VALID (control).
 */
static void test_suffix_only_forgery(void **state)
{
	const int ks[] = { AMT_MAN_GEN1, AMT_MAN_R0, AMT_MAN_R1 };

	for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		int k = ks[i];
		const uint8_t *di = k == AMT_MAN_GEN1 ? di_sha1 : di_sha256;
		size_t dil = k == AMT_MAN_GEN1 ? sizeof(di_sha1) : sizeof(di_sha256);
		struct tb_buf b = make_manifest(k);
		uint8_t dg[EVP_MAX_MD_SIZE], blk[256];
		unsigned dlen = tb_sign_digest(b.data, b.size, MAN_OFF, k, NULL, dg);

		/* control: a proper PKCS#1 v1.5 block via the raw operation */
		pkcs1_block(blk, di, dil, dg, dlen);
		tb_sign_manifest_raw(b.data, b.size, MAN_OFF, k, blk);
		assert_int_equal(verify(&b, k), AMT_SIG_VALID);

		/* 1: zeros then the digest (no padding, no DigestInfo) */
		memset(blk, 0, sizeof(blk));
		memcpy(blk + 256 - dlen, dg, dlen);
		tb_sign_manifest_raw(b.data, b.size, MAN_OFF, k, blk);
		assert_memory_equal(blk + 256 - dlen, dg, dlen); /* suffix compare passes */
		assert_int_equal(verify(&b, k), AMT_SIG_INVALID);

		/* 2: right padding, wrong DigestInfo (other hash's OID), digest last */
		pkcs1_block(blk, k == AMT_MAN_GEN1 ? di_sha256 : di_sha1,
			    k == AMT_MAN_GEN1 ? sizeof(di_sha256) : sizeof(di_sha1), dg, dlen);
		tb_sign_manifest_raw(b.data, b.size, MAN_OFF, k, blk);
		assert_int_equal(verify(&b, k), AMT_SIG_INVALID);

		/* 3: right DigestInfo, one padding byte not FF */
		pkcs1_block(blk, di, dil, dg, dlen);
		blk[40] = 0xFE;
		tb_sign_manifest_raw(b.data, b.size, MAN_OFF, k, blk);
		assert_int_equal(verify(&b, k), AMT_SIG_INVALID);

		/* 4: block type 02 instead of 01 */
		pkcs1_block(blk, di, dil, dg, dlen);
		blk[1] = 0x02;
		tb_sign_manifest_raw(b.data, b.size, MAN_OFF, k, blk);
		assert_int_equal(verify(&b, k), AMT_SIG_INVALID);

		/* 5: garbage instead of the padding, digest at the end */
		for (size_t j = 1; j < 256 - dlen; j++)
			blk[j] = (uint8_t)(j * 31);
		blk[0] = 0;
		tb_sign_manifest_raw(b.data, b.size, MAN_OFF, k, blk);
		assert_int_equal(verify(&b, k), AMT_SIG_INVALID);
		tb_free(&b);
	}
}

static void test_pss_params(void **state)
{
	const int k = AMT_MAN_R2;
	struct tb_buf b = make_manifest(k);
	struct amt_manifest m;

	/* the 48-byte salt Intel uses on its own manifests */
	tb_sign_manifest_alg(b.data, b.size, MAN_OFF, k, "SHA384", 48);
	assert_int_equal(verify_at(b.data, b.size, MAN_OFF, k, &m), AMT_SIG_VALID);
	assert_int_equal(m.pss_salt_len, 48);
	/* the 32-byte salt of OEM-signed manifests (OEMP of Alder Lake-P
	 * products), signed by OpenSSL itself: valid, the salt length recovered */
	tb_sign_manifest_alg(b.data, b.size, MAN_OFF, k, "SHA384", 32);
	assert_int_equal(verify_at(b.data, b.size, MAN_OFF, k, &m), AMT_SIG_VALID);
	assert_int_equal(m.pss_salt_len, 32);
	assert_non_null(strstr(m.sig_detail, "32-byte salt"));
	/* ... and one flipped bit of it still fails */
	tb_corrupt_signature(b.data, b.size, MAN_OFF, k, 77);
	assert_int_equal(verify_at(b.data, b.size, MAN_OFF, k, &m), AMT_SIG_INVALID);
	assert_int_equal(m.pss_salt_len, -1);
	/* any salt length the signer chose (RFC 8017 9.1), even none */
	tb_sign_manifest_alg(b.data, b.size, MAN_OFF, k, "SHA384", 0);
	assert_int_equal(verify_at(b.data, b.size, MAN_OFF, k, &m), AMT_SIG_VALID);
	assert_int_equal(m.pss_salt_len, 0);
	tb_sign_manifest_alg(b.data, b.size, MAN_OFF, k, "SHA384", 20);
	assert_int_equal(verify_at(b.data, b.size, MAN_OFF, k, &m), AMT_SIG_VALID);
	assert_int_equal(m.pss_salt_len, 20);
	/* data changed after a 32-byte-salt signature: invalid */
	tb_sign_manifest_alg(b.data, b.size, MAN_OFF, k, "SHA384", 32);
	b.data[MAN_OFF + 0x24] ^= 1;
	assert_int_equal(verify(&b, k), AMT_SIG_INVALID);
	b.data[MAN_OFF + 0x24] ^= 1;
	assert_int_equal(verify(&b, k), AMT_SIG_VALID);
	/* wrong hash (digest and MGF1) */
	tb_sign_manifest_alg(b.data, b.size, MAN_OFF, k, "SHA256", 48);
	assert_int_equal(verify_at(b.data, b.size, MAN_OFF, k, &m), AMT_SIG_INVALID);
	assert_null(strstr(m.sig_detail, "salt"));
	tb_sign_manifest_alg(b.data, b.size, MAN_OFF, k, "SHA512", 48);
	assert_int_equal(verify(&b, k), AMT_SIG_INVALID);
	/* a PKCS#1 v1.5 block raw-signed with the 3072-bit key is not PSS */
	{
		uint8_t dg[EVP_MAX_MD_SIZE], blk[384];
		unsigned dlen = tb_sign_digest(b.data, b.size, MAN_OFF, k, NULL, dg);

		/* 00 01 FF.. || digest || BC: PSS trailer, but no valid DB */
		memset(blk, 0xFF, sizeof(blk));
		blk[0] = 0;
		blk[1] = 1;
		memcpy(blk + 384 - dlen - 1, dg, dlen);
		blk[383] = 0xBC;
		tb_sign_manifest_raw(b.data, b.size, MAN_OFF, k, blk);
		assert_int_equal(verify(&b, k), AMT_SIG_INVALID);
	}
	/* R0 (SHA-256) signed over SHA-1: wrong hash for PKCS#1 too */
	{
		struct tb_buf c = make_manifest(AMT_MAN_R0);
		tb_sign_manifest_alg(c.data, c.size, MAN_OFF, AMT_MAN_R0, "SHA1", -1);
		assert_int_equal(verify(&c, AMT_MAN_R0), AMT_SIG_INVALID);
		tb_free(&c);
	}
	tb_free(&b);
}

/* Verify the first `len` bytes copied into an exact-size heap buffer, so
 * that any read past the end is caught by the sanitizers/valgrind. */
static amt_sig_status verify_cut(const struct tb_buf *b, size_t len, int kind)
{
	uint8_t *c = malloc(len ? len : 1);
	amt_sig_status st;

	assert_non_null(c);
	memcpy(c, b->data, len);
	st = verify_at(c, len, MAN_OFF, kind, NULL);
	free(c);
	return st;
}

static void test_truncated_and_bounds(void **state)
{
	for (size_t i = 0; i < NKINDS; i++) {
		int k = kinds[i];
		uint32_t hl = hdr_len(k);
		struct tb_buf b = make_manifest(k);

		tb_sign_manifest(b.data, b.size, MAN_OFF, k);
		assert_int_equal(verify_cut(&b, MAN_OFF + hl + BODY, k), AMT_SIG_VALID);
		/* cut: inside the body, inside the signature, inside the header */
		assert_int_equal(verify_cut(&b, MAN_OFF + hl + BODY - 1, k), AMT_SIG_UNSUPPORTED);
		assert_int_equal(verify_cut(&b, MAN_OFF + hl - 1, k), AMT_SIG_UNSUPPORTED);
		assert_int_equal(verify_cut(&b, MAN_OFF + 0x100, k), AMT_SIG_UNSUPPORTED);
		assert_int_equal(verify_cut(&b, MAN_OFF + 0x7F, k), AMT_SIG_UNSUPPORTED);
		assert_int_equal(verify_cut(&b, 0, k), AMT_SIG_UNSUPPORTED);
		/* offsets outside / wrapping */
		assert_int_equal(verify_at(b.data, b.size, b.size, k, NULL), AMT_SIG_UNSUPPORTED);
		assert_int_equal(verify_at(b.data, b.size, UINT64_MAX - 0x10, k, NULL),
				 AMT_SIG_UNSUPPORTED);

		/* size field past the buffer, huge, or smaller than the header */
		const uint32_t sizes[] = { (uint32_t)((b.size - MAN_OFF) / 4 + 1), 0xFFFFFFFFu,
					   0x40000001u, hl / 4 - 1, 0 };
		for (size_t j = 0; j < sizeof(sizes) / sizeof(sizes[0]); j++) {
			struct tb_buf c = make_manifest(k);
			tb_sign_manifest(c.data, c.size, MAN_OFF, k);
			amt_wr32(c.data + MAN_OFF + 0x18, sizes[j]);
			assert_int_equal(verify(&c, k), AMT_SIG_UNSUPPORTED);
			tb_free(&c);
		}
		/* header length overlapping the signature, or huge */
		const uint32_t hls[] = { 0x80 / 4, hl / 4 - 1, 0xFFFFFFFFu, 0 };
		for (size_t j = 0; j < sizeof(hls) / sizeof(hls[0]); j++) {
			struct tb_buf c = make_manifest(k);
			tb_sign_manifest(c.data, c.size, MAN_OFF, k);
			amt_wr32(c.data + MAN_OFF + 0x04, hls[j]);
			assert_int_equal(verify(&c, k), AMT_SIG_UNSUPPORTED);
			tb_free(&c);
		}
		tb_free(&b);
	}
}

static void test_bad_key_fields(void **state)
{
	for (size_t i = 0; i < NKINDS; i++) {
		int k = kinds[i];
		struct tb_buf b = make_manifest(k);
		struct amt_manifest m;

		tb_sign_manifest(b.data, b.size, MAN_OFF, k);
		uint8_t *man = b.data + MAN_OFF;
		const uint32_t key_dw[] = { 0, 0x20, 0x80, 0xFFFFFFFFu,
					    k == AMT_MAN_R2 ? 0x40u : 0x60u };

		for (size_t j = 0; j < sizeof(key_dw) / sizeof(key_dw[0]); j++) {
			uint32_t save = amt_rd32(man + 0x78);
			amt_wr32(man + 0x78, key_dw[j]);
			assert_int_equal(verify_at(b.data, b.size, MAN_OFF, k, &m),
					 AMT_SIG_UNSUPPORTED);
			assert_non_null(strstr(m.sig_detail, "key size"));
			amt_wr32(man + 0x78, save);
		}
		/* exponent size and absurd exponents */
		amt_wr32(man + 0x7C, 2);
		assert_int_equal(verify(&b, k), AMT_SIG_UNSUPPORTED);
		amt_wr32(man + 0x7C, 1);
		unsigned kb = tb_sign_key_bytes(k);
		const uint32_t es[] = { 0, 1, 2, 0x10000 };
		for (size_t j = 0; j < sizeof(es) / sizeof(es[0]); j++) {
			amt_wr32(man + 0x80 + kb, es[j]);
			assert_int_equal(verify(&b, k), AMT_SIG_UNSUPPORTED);
		}
		/* another odd exponent: a well-formed key that does not match */
		amt_wr32(man + 0x80 + kb, 3);
		assert_int_equal(verify(&b, k), AMT_SIG_INVALID);
		amt_wr32(man + 0x80 + kb, 0x10001);
		assert_int_equal(verify(&b, k), AMT_SIG_VALID);
		/* zero / even modulus */
		uint8_t save[384];
		memcpy(save, man + 0x80, kb);
		memset(man + 0x80, 0, kb);
		assert_int_equal(verify(&b, k), AMT_SIG_UNSUPPORTED);
		memcpy(man + 0x80, save, kb);
		man[0x80] ^= 1;
		assert_int_equal(verify(&b, k), AMT_SIG_UNSUPPORTED);
		man[0x80] ^= 1;
		/* wrong tag for the kind */
		memcpy(man + 0x1C, "$XYZ", 4);
		assert_int_equal(verify(&b, k), AMT_SIG_UNSUPPORTED);
		tb_free(&b);
	}
	/* all-0xFF and all-zero garbage: never VALID, never a crash */
	struct tb_buf g = tb_alloc(0x1000, 0xFF);
	for (size_t i = 0; i < NKINDS; i++)
		assert_int_equal(verify_at(g.data, g.size, 0, kinds[i], NULL), AMT_SIG_UNSUPPORTED);
	memset(g.data, 0, g.size);
	for (size_t i = 0; i < NKINDS; i++)
		assert_int_equal(verify_at(g.data, g.size, 0, kinds[i], NULL), AMT_SIG_UNSUPPORTED);
	tb_free(&g);
}

/* Random values in the header fields verification reads, in an exact-size
 * buffer: never VALID once a signed/key field changed, never out of bounds. */
static void test_random_fields(void **state)
{
	uint32_t x = 0x12345678u;

	for (size_t i = 0; i < NKINDS; i++) {
		int k = kinds[i];
		unsigned kb = tb_sign_key_bytes(k);
		const uint32_t fields[] = { 0x04, 0x18, 0x1C, 0x78, 0x7C, 0x80 + kb };
		struct tb_buf b = make_manifest(k);
		size_t len = MAN_OFF + hdr_len(k) + BODY;
		uint8_t *c = malloc(len);

		assert_non_null(c);
		tb_sign_manifest(b.data, b.size, MAN_OFF, k);
		for (int it = 0; it < 600; it++) {
			uint32_t f, v, old;

			memcpy(c, b.data, len);
			x = x * 1103515245u + 12345u;
			f = fields[(x >> 16) % (sizeof(fields) / sizeof(fields[0]))];
			x = x * 1103515245u + 12345u;
			/* small values (near the real ones) or any 32-bit value */
			v = (it & 1) ? x : (x >> 20);
			old = amt_rd32(c + MAN_OFF + f);
			if (v == old)
				continue;
			amt_wr32(c + MAN_OFF + f, v);
			amt_sig_status st = verify_at(c, len, MAN_OFF, k, NULL);
			assert_true(st == AMT_SIG_INVALID || st == AMT_SIG_UNSUPPORTED);
		}
		free(c);
		tb_free(&b);
	}
}

static void hex_to(const char *hex, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static void test_key_table(void **state)
{
	struct amt_key_info k;

	/* me_cleaner fingerprints, looked up by MD5 only */
	const struct {
		const char *md5;
		amt_family fam;
		unsigned major;
		const char *src;
	} cases[] = {
		{ "986a78e481f185f7d54e4af06eb413f6", AMT_FAM_CSME, 11, "corna/me_cleaner" },
		{ "0903fc25b0f6bed8c4ed724aca02124c", AMT_FAM_ME, 8, "corna/me_cleaner" },
		{ "bda0b6bb8ca0bf0cac55ac4c4d55e0f2", AMT_FAM_TXE, 1, "corna/me_cleaner" },
		{ "1d0a36e9f5881540d8e4b382c6612ed8", AMT_FAM_CSTXE, 3, "corna/me_cleaner" },
		{ "4622e3f2cb212a89c90a4de3336d88d2", AMT_FAM_SPS, 3, "corna/me_cleaner" },
		{ "31ef3d950eac99d18e187375c0764ca4", AMT_FAM_CSSPS, 4, "corna/me_cleaner" },
		{ "5887caf9b677601ffb257cc98a13d2a9", AMT_FAM_CSME, 16, "XutaxKamay" },
		{ "e7155f4342af9d1b7e4cac467190d382", AMT_FAM_CSME, 16, "MangoKiwiPlumGrape" },
		{ "645f093c24ec0302df950e6dd1a51789", AMT_FAM_ME, 8, "MEA.dat" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&k, 0, sizeof(k));
		k.present = true;
		hex_to(cases[i].md5, k.me_cleaner_md5, 16);
		amt_key_identify(&k);
		assert_true(k.known);
		assert_non_null(k.name);
		assert_non_null(k.source);
		assert_non_null(strstr(k.source, cases[i].src));
		assert_int_equal(k.family, cases[i].fam);
		assert_true(k.major_min <= cases[i].major && cases[i].major <= k.major_max);
		assert_int_equal(amt_key_family(&k, 99), cases[i].fam);
	}
	/* by modulus SHA-256 alone (MD5 left zero) */
	memset(&k, 0, sizeof(k));
	k.present = true;
	hex_to("7fc4f7d4e510e35fe05a33f74c1c3f39fe796fcd78ae5f42964af9173aa4bdee",
	       k.modulus_sha256, 32);
	amt_key_identify(&k);
	assert_true(k.known);
	assert_string_equal(k.name, "Intel CSME 16.1.x");
	assert_false(k.preproduction);

	/* by MEA's fingerprint alone (SHA-256 of the modulus as stored), and
	 * MEA.dat's pre-production list (rsa_pre_keys) */
	memset(&k, 0, sizeof(k));
	k.present = true;
	hex_to("86c0e5ef0cfeff6d810d68d83d8c6ecb68306a644c03c0446b646a3971d37894",
	       k.stored_sha256, 32);
	amt_key_identify(&k);
	assert_true(k.known);
	assert_true(k.preproduction);
	assert_non_null(strstr(k.source, "MEA.dat"));
	assert_null(strstr(k.name, "corpus"));
	/* a pre-production key MEA lists but names no family for */
	memset(&k, 0, sizeof(k));
	k.present = true;
	hex_to("921a87206b3a9b2d1b60d9acf797187962d103649fcca9d789f4b5123a84731e",
	       k.stored_sha256, 32);
	amt_key_identify(&k);
	assert_true(k.preproduction);
	assert_false(k.known);
	/* production: MEA's ME 7-8 key */
	memset(&k, 0, sizeof(k));
	k.present = true;
	hex_to("a356e3acc4ac8d87cf0d7ab0731de4e0a7755fc38d0068f31503aa4fb921a835",
	       k.stored_sha256, 32);
	amt_key_identify(&k);
	assert_true(k.known);
	assert_false(k.preproduction);
	assert_string_equal(k.name, "Intel ME 7.x-8.x");
	/* TXE 0-1 variants by key (MEA.py) */
	assert_null(amt_key_txe_variant(&k));
	/* TXE 0-1 variants by key (MEA.py): I/T and M/D */
	memset(&k, 0, sizeof(k));
	k.present = true;
	hex_to("613421a156443f1c038dde342ff6564513a1818e8cc23b0e1d7d7fb0612e04ac",
	       k.stored_sha256, 32);
	amt_key_identify(&k);
	assert_string_equal(amt_key_txe_variant(&k), "I/T");
	hex_to("6b8b10107e20dfd45f6c521100b950b78969b4ac9245d90de3833e0a082df374",
	       k.stored_sha256, 32);
	assert_string_equal(amt_key_txe_variant(&k), "M/D");
	/* no key description names a test file */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&k, 0, sizeof(k));
		k.present = true;
		hex_to(cases[i].md5, k.me_cleaner_md5, 16);
		amt_key_identify(&k);
		assert_null(strstr(k.source, "corpus"));
		assert_null(strstr(k.name, "corpus"));
		assert_null(strstr(k.source, ".bin"));
	}

	/* every me_cleaner (and fork) fingerprint and every corpus-observed one */
	static const char *const all_md5[] = {
		"8431285d43b0f2a2f520d7cab3d34178", "4c00dd06c28119b5c1e5bb8eb6f30596",
		"9c24077a7f7490967855e9c4c16c6b9e", "bf41464be736f5520d80c67f6789020e",
		"5c7169b7e7065323fb7b3b5657b4d57a", "763e59ebe235e45a197a5b1a378dfa04",
		"3a98c847d609c253e145bd36512629cb", "0903fc25b0f6bed8c4ed724aca02124c",
		"2011ae6df87c40fba09e3f20459b1ce0", "e8427c5691cf8b56bc5cdd82746957ed",
		"986a78e481f185f7d54e4af06eb413f6", "3efc26920b4bee901b624771c742887b",
		"8e4f834644da2bef03039d69d41ecf02", "b29411f89bf20ed177d411c46e8ec185",
		"5887caf9b677601ffb257cc98a13d2a9", "e7155f4342af9d1b7e4cac467190d382",
		"bda0b6bb8ca0bf0cac55ac4c4d55e0f2", "b726a2ab9cd59d4e62fe2bead7cf6997",
		"0633d7f951a3e7968ae7460861be9cfb", "1d0a36e9f5881540d8e4b382c6612ed8",
		"be900fef868f770d266b1fc67e887e69", "4622e3f2cb212a89c90a4de3336d88d2",
		"31ef3d950eac99d18e187375c0764ca4", "645f093c24ec0302df950e6dd1a51789",
		"95a0c8587bd5521ce8aaae9288f084e2",
	};
	for (size_t i = 0; i < sizeof(all_md5) / sizeof(all_md5[0]); i++) {
		memset(&k, 0, sizeof(k));
		k.present = true;
		hex_to(all_md5[i], k.me_cleaner_md5, 16);
		amt_key_identify(&k);
		assert_true(k.known);
		assert_true(k.family != AMT_FAM_UNKNOWN);
		assert_true(k.major_min >= 1 && k.major_min <= k.major_max);
	}

	/* one bit off, a random fingerprint, or no key: not known */
	memset(&k, 0, sizeof(k));
	k.present = true;
	hex_to("986a78e481f185f7d54e4af06eb413f7", k.me_cleaner_md5, 16);
	amt_key_identify(&k);
	assert_false(k.known);
	assert_null(k.name);
	assert_int_equal(k.family, AMT_FAM_UNKNOWN);
	for (int i = 0; i < 16; i++)
		k.me_cleaner_md5[i] = (uint8_t)(i * 37 + 11);
	amt_key_identify(&k);
	assert_false(k.known);
	k.present = false;
	hex_to("986a78e481f185f7d54e4af06eb413f6", k.me_cleaner_md5, 16);
	amt_key_identify(&k);
	assert_false(k.known);

	/* me_cleaner's fallback for unknown keys */
	memset(&k, 0, sizeof(k));
	assert_int_equal(amt_key_family(&k, 8), AMT_FAM_ME);
	assert_int_equal(amt_key_family(&k, 6), AMT_FAM_ME);
	assert_int_equal(amt_key_family(&k, 4), AMT_FAM_TXE);
	assert_int_equal(amt_key_family(&k, 12), AMT_FAM_CSME);
	assert_int_equal(amt_key_family(NULL, 3), AMT_FAM_TXE);
}

static void test_key_read(void **state)
{
	for (size_t i = 0; i < NKINDS; i++) {
		int kd = kinds[i];
		struct tb_buf b = make_manifest(kd);
		struct amt_key_info k;
		unsigned kb = tb_sign_key_bytes(kd), len;
		uint8_t be[384], md[EVP_MAX_MD_SIZE];

		tb_sign_manifest(b.data, b.size, MAN_OFF, kd);
		amt_key_read(b.data, b.size, MAN_OFF, &k);
		assert_true(k.present);
		assert_int_equal(k.modulus_bits, kb * 8);
		assert_int_equal(k.exponent, 0x10001);
		for (unsigned j = 0; j < kb; j++)
			be[j] = b.data[MAN_OFF + 0x80 + kb - 1 - j];
		assert_int_equal(EVP_Digest(be, kb, md, &len, EVP_sha256(), NULL), 1);
		assert_memory_equal(md, k.modulus_sha256, 32);
		assert_int_equal(EVP_Digest(b.data + MAN_OFF + 0x80, 0x104, md, &len,
					    EVP_md5(), NULL), 1);
		assert_memory_equal(md, k.me_cleaner_md5, 16);
		/* the modulus must be the test key's: big-endian top bit set */
		assert_true(be[0] & 0x80);
		/* truncated before the end of the key: not present */
		amt_key_read(b.data, MAN_OFF + 0x80 + kb + 3, MAN_OFF, &k);
		assert_false(k.present);
		amt_key_read(b.data, b.size, b.size - 0x10, &k);
		assert_false(k.present);
		amt_wr32(b.data + MAN_OFF + 0x78, 0x41);
		amt_key_read(b.data, b.size, MAN_OFF, &k);
		assert_false(k.present);
		tb_free(&b);
	}
}

/* ---- real corpus ---------------------------------------------------- */

/* Locate the FTPR/CODE manifest directly (independent of lib/ parsers):
 * ME region from the descriptor (or the whole file), $FPT at +0 or +0x10,
 * CODE/FTPR entry, then "$CPD" -> FTPR.man or the manifest at the start. */
static bool locate_ftpr(const uint8_t *d, size_t n, uint64_t *man, int *kind)
{
	uint64_t rs = 0, fpt, poff;
	uint32_t cnt;

	for (uint64_t s = 0; s <= 0x10; s += 0x10) {
		if (amt_in(n, s, 4) && amt_rd32(d + s) == 0x0FF0A55Au) {
			/* FLMAP0 FRBA; FLREG2 (me_cleaner flreg_to_start_end) */
			uint32_t fl0 = amt_rd32(d + s + 4), frba = (fl0 >> 12) & 0xFF0, r;
			if (!amt_in(n, frba + 8, 4))
				return false;
			r = amt_rd32(d + frba + 8);
			rs = (uint64_t)(r & 0x7FFF) << 12;
			if ((r >> 16 & 0x7FFF) < (r & 0x7FFF))
				return false;
		}
	}
	if (amt_tag_at(d, n, rs, "$FPT"))
		fpt = rs;
	else if (amt_tag_at(d, n, rs + 0x10, "$FPT"))
		fpt = rs + 0x10;
	else
		return false;
	cnt = amt_rd32(d + fpt + 4);
	for (uint32_t i = 0; i < cnt && i < 64; i++) {
		uint64_t e = fpt + 0x20 + (uint64_t)i * 0x20;
		if (!amt_in(n, e, 0x20))
			return false;
		if (memcmp(d + e, "CODE", 4) && memcmp(d + e, "FTPR", 4))
			continue;
		poff = rs + amt_rd32(d + e + 8);
		if (amt_tag_at(d, n, poff, "$CPD")) {
			uint32_t ne = amt_rd32(d + poff + 4);
			/* entries at +0x10 (R1) or +0x14 (R2) */
			uint64_t first = d[poff + 8] == 2 ? 0x14 : 0x10;
			for (uint32_t j = 0; j < ne && j < 256; j++) {
				uint64_t ce = poff + first + (uint64_t)j * 0x18;
				if (!amt_in(n, ce, 0x18))
					return false;
				if (memcmp(d + ce, "FTPR.man", 9) == 0) {
					*man = poff + (amt_rd32(d + ce + 12) & 0x1FFFFFF);
					break;
				}
			}
			if (!amt_in(n, *man, 0x80))
				return false;
			*kind = amt_rd32(d + *man + 8) == 0x21000 ? AMT_MAN_R2 : AMT_MAN_R1;
		} else {
			*man = poff;
			if (amt_tag_at(d, n, poff + 0x1C, "$MAN"))
				*kind = AMT_MAN_GEN1;
			else if (amt_tag_at(d, n, poff + 0x1C, "$MN2"))
				*kind = AMT_MAN_R0;
			else
				return false;
		}
		return true;
	}
	return false;
}

static void test_corpus_me_cleaner_valid(void **state)
{
	const char *dir = getenv("AMTLESS_CORPUS");
	char line[4096];
	FILE *f;
	unsigned nvalid = 0, nskip = 0;

	if (!dir || !*dir) {
		print_message("corpus signature test skipped: AMTLESS_CORPUS is not set\n");
		skip();
	}
	snprintf(line, sizeof(line), "%s/reference/me_cleaner.tsv", dir);
	f = fopen(line, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *img = strtok(line, "\t"), *run = strtok(NULL, "\t");
		char *flags = strtok(NULL, "\t"), *rc = strtok(NULL, "\t");
		char rel[512];
		size_t n = 0;
		uint8_t *d;
		uint64_t off = 0;
		int kind = 0;
		struct amt_manifest m;

		(void)flags;
		if (!img || !run || !rc || strcmp(run, "check") || strcmp(rc, "0"))
			continue;
		snprintf(rel, sizeof(rel), "images/%s", img);
		d = tu_corpus_read(rel, &n);
		assert_non_null(d);
		if (!locate_ftpr(d, n, &off, &kind)) {
			/* only the descriptor-only image (ME region disabled) may lack one */
			print_message("  %s: no FTPR/CODE manifest (skipped)\n", img);
			assert_non_null(strstr(img, "ifd_"));
			nskip++;
			free(d);
			continue;
		}
		verify_at(d, n, off, kind, &m);
		print_message("  %s: manifest 0x%llx kind %d: %s (%s); key %s\n", img,
			      (unsigned long long)off, kind, amt_sig_status_str(m.sig),
			      m.sig_detail, m.key.known ? m.key.name : "unknown");
		assert_int_equal(m.sig, AMT_SIG_VALID);
		assert_true(m.key.present);
		assert_true(m.key.known);
		nvalid++;
		free(d);
	}
	fclose(f);
	print_message("corpus: %u FTPR/CODE manifests VALID, %u skipped\n", nvalid, nskip);
	assert_true(nvalid >= 20);
}

/* Every manifest MANIFEST.tsv lists in its last column ("FTPR/FTPR.man@0x622cc:
 * 16.1.30.2307; ...") verifies, including CSME 14 and the R2 CSME 16 ones. */
static void test_corpus_listed_manifests(void **state)
{
	const char *dir = getenv("AMTLESS_CORPUS");
	static char line[16384];
	FILE *f;
	unsigned nvalid = 0, nr2 = 0;

	if (!dir || !*dir) {
		print_message("corpus signature test skipped: AMTLESS_CORPUS is not set\n");
		skip();
	}
	snprintf(line, sizeof(line), "%s/MANIFEST.tsv", dir);
	f = fopen(line, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *file = line, *last = strrchr(line, '\t'), *p;
		size_t n = 0;
		uint8_t *d;

		if (!last || strncmp(line, "images/", 7))
			continue;
		*strchr(line, '\t') = '\0';
		last++;
		if (!strstr(last, ".man@"))
			continue;
		d = tu_corpus_read(file, &n);
		assert_non_null(d);
		for (p = strstr(last, ".man@"); p; p = strstr(p + 1, ".man@")) {
			unsigned long long off = strtoull(p + 5, NULL, 16);
			struct amt_manifest m;
			int kind;

			assert_true(amt_in(n, off, 0x80));
			kind = amt_rd32(d + off + 8) == 0x21000 ? AMT_MAN_R2 : AMT_MAN_R1;
			verify_at(d, n, off, kind, &m);
			print_message("  %s @0x%llx: %s (%s); key %s\n", file, off,
				      amt_sig_status_str(m.sig), m.sig_detail,
				      m.key.known ? m.key.name : "unknown");
			assert_int_equal(m.sig, AMT_SIG_VALID);
			nvalid++;
			if (kind == AMT_MAN_R2) {
				nr2++;
				assert_int_equal(m.key.modulus_bits, 3072);
			}
		}
		free(d);
	}
	fclose(f);
	print_message("corpus: %u listed manifests VALID (%u RSA-3072 PSS)\n", nvalid, nr2);
	assert_true(nvalid >= 10);
	assert_true(nr2 >= 4);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_every_kind),
		cmocka_unit_test(test_tampered_data),
		cmocka_unit_test(test_tampered_signature),
		cmocka_unit_test(test_suffix_only_forgery),
		cmocka_unit_test(test_pss_params),
		cmocka_unit_test(test_truncated_and_bounds),
		cmocka_unit_test(test_bad_key_fields),
		cmocka_unit_test(test_random_fields),
		cmocka_unit_test(test_key_table),
		cmocka_unit_test(test_key_read),
		cmocka_unit_test(test_corpus_me_cleaner_valid),
		cmocka_unit_test(test_corpus_listed_manifests),
	};
	return corpus_split_run(tests, NULL, NULL, argc, argv);
}
