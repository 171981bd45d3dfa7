/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test-side manifest signing: RSA test keys generated at run time (2048 and
 * 3072 bits, e = 0x10001, one of each per process) and signatures laid out
 * as in a $MAN / $MN2 manifest (see lib/fw/sig.c for the layout).
 *
 * `kind` is an amt_manifest_kind (AMT_MAN_GEN1, _R0, _R1, _R2). The caller
 * has already written the header length (+0x04, dwords), the size (+0x18,
 * dwords) and the tag (+0x1C) of the manifest at man_off; these functions
 * write the key size (+0x78), exponent size (+0x7C), modulus, exponent and
 * signature. They abort() on misuse (fields that do not fit the buffer).
 */
#ifndef AMTLESS_TEST_BUILD_SIGN_H
#define AMTLESS_TEST_BUILD_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

/* Cached test key of 2048 or 3072 bits (owned by the builder). */
EVP_PKEY *tb_sign_key(unsigned bits);

/* 256 for GEN1/R0/R1, 384 for R2. */
unsigned tb_sign_key_bytes(int kind);

/* Offset of the signature from the manifest start (0x184 or 0x204). */
size_t tb_sign_sig_offset(int kind);

/* Write key + a correct signature with the scheme the kind uses. */
void tb_sign_manifest(uint8_t *buf, size_t size, size_t man_off, int kind);

/*
 * Same with another digest and/or PSS salt length: md_name is an OpenSSL
 * digest name ("SHA1", "SHA256", "SHA384", ...) or NULL for the kind's
 * own; pss_saltlen (R2 only) a salt length in bytes or -1 for the
 * digest length.
 */
void tb_sign_manifest_alg(uint8_t *buf, size_t size, size_t man_off, int kind,
			  const char *md_name, int pss_saltlen);

/* Digest (kind's hash, or md_name) of the signed data of the manifest:
 * [0, 0x80) || [header_len, size). Writes the key fields first (they lie
 * in the signed range). Returns the digest length. */
unsigned tb_sign_digest(uint8_t *buf, size_t size, size_t man_off, int kind,
			const char *md_name, uint8_t *out);

/* Write key + signature := block^d mod n (raw RSA, no padding); block is
 * big-endian and tb_sign_key_bytes(kind) long (must be < n). */
void tb_sign_manifest_raw(uint8_t *buf, size_t size, size_t man_off, int kind,
			  const uint8_t *block);

/* Flip bit `bit` (0 = LSB of the first stored byte) of the stored signature. */
void tb_corrupt_signature(uint8_t *buf, size_t size, size_t man_off, int kind,
			  unsigned bit);

#endif
