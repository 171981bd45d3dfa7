/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Known Intel manifest signing keys.
 *
 * Two fingerprints per key:
 *  - "md5": me_cleaner's fingerprint, MD5 of the 0x104 bytes at
 *    manifest + 0x80 (modulus + exponent for 2048-bit keys; only the first
 *    0x104 bytes of the modulus for 3072-bit keys) - me_cleaner.py
 *    `pubkeys_md5` and the same dictionary in its forks;
 *  - "sha": SHA-256 of the big-endian modulus (the way MEA fingerprints
 *    keys), computed by us from the corpus image named in `sha_src` when
 *    that image holds the key and its manifest signature verifies.
 * A key matches when either fingerprint present in the entry matches.
 *
 * Family mapping: me_cleaner maps every key to "ME", "TXE" or "SPS"; here
 * ME 2-10 -> ME, ME 11+ -> CSME, TXE 1-2 -> TXE, TXE 3-4 -> CSTXE,
 * SPS 2-3 -> SPS, SPS 4 -> CSSPS (the CSE split follows MEA's variant names).
 */
#include <openssl/evp.h>

#include "internal.h"

#define SRC_CORNA "me_cleaner.py pubkeys_md5 (corna/me_cleaner 43612a6)"
#define SRC_XUTAX "me_cleaner.py pubkeys_md5 (XutaxKamay/me_cleaner f20532d)"
#define SRC_MANGO "me_cleaner.py pubkeys_md5 (MangoKiwiPlumGrape/me_cleaner_thinkpad d7a51b5)"

struct known_key {
	const char *md5;        /* 32 hex digits or NULL */
	const char *sha;        /* 64 hex digits or NULL */
	const char *name;
	amt_family family;
	unsigned major_min, major_max;
	const char *source;
	/* me_cleaner 1.2's label for this md5 ("firmware versions ..."), when
	 * the key is in its own table (corna/me_cleaner 43612a6 pubkeys_md5) */
	const char *mc_versions;
};

static const struct known_key known_keys[] = {
	{ "8431285d43b0f2a2f520d7cab3d34178",
	  "4894ccedccea6348369eb9bca2ade0fa953f0c0c6fe7ff5a8e5f8ac5a0fd99fe",
	  "Intel ME 2.0-2.2", AMT_FAM_ME, 2, 2,
	  SRC_CORNA "; modulus SHA-256 computed from corpus g1_me2.2.30.1046_AMT_upd.bin",
	  "2.0.x.x, 2.1.x.x, 2.2.x.x" },
	{ "4c00dd06c28119b5c1e5bb8eb6f30596",
	  "4369fddacdf3fafa60287edbb8ef194e290e977ba4715db19ba130c2af10297c",
	  "Intel ME 2.5-2.6", AMT_FAM_ME, 2, 2,
	  SRC_CORNA "; modulus SHA-256 computed from corpus g1_me2.6.0.1025_AMT_rgn.bin",
	  "2.5.x.x, 2.6.x.x" },
	{ "9c24077a7f7490967855e9c4c16c6b9e", NULL,
	  "Intel ME 3.x", AMT_FAM_ME, 3, 3, SRC_CORNA,
	  "3.x.x.x" },
	{ "bf41464be736f5520d80c67f6789020e",
	  "4fada9a2b92488501f28b9377db5bc26436565ffd0f120212a0d074ba92ae3e4",
	  "Intel ME 4.x", AMT_FAM_ME, 4, 4,
	  SRC_CORNA "; modulus SHA-256 computed from corpus g1_me4.2.21.1037_TPM_rgn.bin",
	  "4.x.x.x" },
	{ "5c7169b7e7065323fb7b3b5657b4d57a",
	  "13021f77d5d9653b9e3f7fe44f2928990a39d98c94b7a71f3635201a8501670b",
	  "Intel ME 5.x", AMT_FAM_ME, 5, 5,
	  SRC_CORNA "; modulus SHA-256 computed from corpus g1_me5.0.0.1081_DHBC_rgn.bin",
	  "5.x.x.x" },
	{ "763e59ebe235e45a197a5b1a378dfa04",
	  "6d3947390b2ba8881d770e334fae2014363e4b6a6bb1f3cb8ca6937cc2935f23",
	  "Intel ME 6.x", AMT_FAM_ME, 6, 6,
	  SRC_CORNA "; modulus SHA-256 computed from corpus g2_me6.0.30.1199_IGN_rgn.bin",
	  "6.x.x.x" },
	{ "3a98c847d609c253e145bd36512629cb", NULL,
	  "Intel ME 6.0.50.x", AMT_FAM_ME, 6, 6, SRC_CORNA,
	  "6.0.50.x" },
	{ "0903fc25b0f6bed8c4ed724aca02124c",
	  "86bfd244adc125abf8c978f2e2a1d176c496f37e3e2ce711f2096a832997721b",
	  "Intel ME 7.x-8.x", AMT_FAM_ME, 7, 8,
	  SRC_CORNA "; modulus SHA-256 computed from corpus g2_me8.0.20.1513_link_coreboot-blobs.bin",
	  "7.x.x.x, 8.x.x.x" },
	{ "645f093c24ec0302df950e6dd1a51789",
	  "d03a318a51dba39d618279a080ddd4f081bdeb9da6603225b46c2d63d04bd721",
	  "Intel ME 8.0.0.1351 key (one corpus image)", AMT_FAM_ME, 8, 8,
	  "observed: corpus image g2_me8.0.0.1351_emeraldlake2_coreboot-blobs.bin "
	  "(FTPR at 0x4d000), manifest signature verified, version 8.0.0.1351; "
	  "unknown to me_cleaner", NULL },
	{ "2011ae6df87c40fba09e3f20459b1ce0",
	  "a40a3fa0200bb72fa1b1f960e911e4d80daa08b3e83069a3bba3d980d18e6f77",
	  "Intel ME 9.0-9.1", AMT_FAM_ME, 9, 9,
	  SRC_CORNA "; modulus SHA-256 computed from corpus g2_me9.1.20.1035_mbp11-3-good_mojo_thor.bin",
	  "9.0.x.x, 9.1.x.x" },
	{ "e8427c5691cf8b56bc5cdd82746957ed",
	  "988bc7fc30cd3d9cf3ea8a7942ff5e4ac780a5e2f27771ec3c4827c08a4fc3a5",
	  "Intel ME 9.5-10.x", AMT_FAM_ME, 9, 10,
	  SRC_CORNA "; modulus SHA-256 computed from corpus g2_me10.0.55.3000_1.5MB_rgn.bin",
	  "9.5.x.x, 10.x.x.x" },
	{ "986a78e481f185f7d54e4af06eb413f6",
	  "5dcbfed89490c1f69bd54267c0932a509dac1e97519ed7fd4be90458d173b544",
	  "Intel ME 11.x", AMT_FAM_CSME, 11, 11,
	  SRC_CORNA "; modulus SHA-256 computed from corpus g3_me11.8.82.3838_x210_harrykipper.bin",
	  "11.x.x.x" },
	{ "3efc26920b4bee901b624771c742887b",
	  "38ff861d4e6db256e0c73a1832e6bd17adb9495494be98f0b327717b1169e736",
	  "Intel CSME 12.x", AMT_FAM_CSME, 12, 12,
	  SRC_XUTAX "; modulus SHA-256 computed from corpus g3_csme12.0.47.1524_CON-H_extr.bin", NULL },
	{ "8e4f834644da2bef03039d69d41ecf02",
	  "1bd716a4f48772b13fb058fa9714933787c9e57327ecfcd093a8c9cbec7bc6e9",
	  "Intel CSME 14.x", AMT_FAM_CSME, 14, 14,
	  SRC_XUTAX "; modulus SHA-256 computed from corpus g3_csme14_darp6_bluecmd.rom", NULL },
	{ "b29411f89bf20ed177d411c46e8ec185", NULL,
	  "Intel CSME 15.x", AMT_FAM_CSME, 15, 15, SRC_XUTAX, NULL },
	{ "5887caf9b677601ffb257cc98a13d2a9", NULL,
	  "Intel CSME 16.x", AMT_FAM_CSME, 16, 16, SRC_XUTAX, NULL },
	{ "e7155f4342af9d1b7e4cac467190d382",
	  "7fc4f7d4e510e35fe05a33f74c1c3f39fe796fcd78ae5f42964af9173aa4bdee",
	  "Intel CSME 16.1.x", AMT_FAM_CSME, 16, 16,
	  SRC_MANGO "; modulus SHA-256 computed from corpus g3_csme16_ms7d25_dasharo.bin", NULL },
	{ "bda0b6bb8ca0bf0cac55ac4c4d55e0f2", NULL,
	  "Intel TXE 1.x", AMT_FAM_TXE, 1, 1, SRC_CORNA,
	  "1.x.x.x" },
	{ "b726a2ab9cd59d4e62fe2bead7cf6997",
	  "ad8700177a78bba96244b39a00ff73dd9bc6b10e9a3864bcdc707df089c7cb62",
	  "Intel TXE 1.x", AMT_FAM_TXE, 1, 1,
	  SRC_CORNA "; modulus SHA-256 computed from corpus g2_txe1.1.4.1145_minnowmax_dasharo.bin",
	  "1.x.x.x" },
	{ "0633d7f951a3e7968ae7460861be9cfb",
	  "d3489a02ac58605bf4773e49ab66bbb57db9a45aa750ca16a1b27281cefe8eab",
	  "Intel TXE 2.x", AMT_FAM_TXE, 2, 2,
	  SRC_CORNA "; modulus SHA-256 computed from corpus g2_txe2.0.4.3098_fbg1701_coreboot-blobs.bin",
	  "2.x.x.x" },
	{ "1d0a36e9f5881540d8e4b382c6612ed8",
	  "1c777af485c7d1342ea2c3ac6f047e6968a0acd92775e6d438f36e616aa664bc",
	  "Intel TXE 3.x", AMT_FAM_CSTXE, 3, 3,
	  SRC_CORNA "; modulus SHA-256 computed from corpus g3_txe3.1.92.2881_starlabs-lite-apl_StarLabsLtd.bin",
	  "3.x.x.x" },
	{ "95a0c8587bd5521ce8aaae9288f084e2",
	  "36be31e76d5426f016ab13d88d615ee2dcb2e62ad6c08ad69e2c9b9b5de8b153",
	  "Intel TXE 4.0 key (corpus images)", AMT_FAM_CSTXE, 4, 4,
	  "observed: corpus images g3_txe4.0.45.1848_starlabs-lite-glk_StarLabsLtd.bin "
	  "(FTPR.man at 0x1130) and g3_txe4-ifwi_protectli-vault-glk_dasharo.bin, "
	  "manifest signatures verified, versions 4.0.45.1848 and 4.0.50.2083; "
	  "unknown to me_cleaner", NULL },
	{ "be900fef868f770d266b1fc67e887e69", NULL,
	  "Intel SPS 2.x", AMT_FAM_SPS, 2, 2, SRC_CORNA,
	  "2.x.x.x" },
	{ "4622e3f2cb212a89c90a4de3336d88d2", NULL,
	  "Intel SPS 3.x", AMT_FAM_SPS, 3, 3, SRC_CORNA,
	  "3.x.x.x" },
	{ "31ef3d950eac99d18e187375c0764ca4", NULL,
	  "Intel SPS 4.x", AMT_FAM_CSSPS, 4, 4, SRC_CORNA,
	  "4.x.x.x" },
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* True when hex (2*n digits) spells exactly the n bytes at b. */
static bool hex_eq(const char *hex, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int hi = hexval(hex[2 * i]), lo;

		if (hi < 0)
			return false;
		lo = hexval(hex[2 * i + 1]);
		if (lo < 0 || (unsigned)(hi << 4 | lo) != b[i])
			return false;
	}
	return hex[2 * n] == '\0';
}

void amt_key_identify(struct amt_key_info *key)
{
	key->known = false;
	key->me_cleaner_known = false;
	key->me_cleaner_versions = NULL;
	key->me_cleaner_variant = AMT_FAM_UNKNOWN;
	key->name = NULL;
	key->source = NULL;
	key->family = AMT_FAM_UNKNOWN;
	key->major_min = key->major_max = 0;
	if (!key->present)
		return;
	for (size_t i = 0; i < sizeof(known_keys) / sizeof(known_keys[0]); i++) {
		const struct known_key *k = &known_keys[i];

		if ((k->sha && hex_eq(k->sha, key->modulus_sha256, 32)) ||
		    (k->md5 && hex_eq(k->md5, key->me_cleaner_md5, 16))) {
			key->known = true;
			key->name = k->name;
			key->source = k->source;
			key->family = k->family;
			key->major_min = k->major_min;
			key->major_max = k->major_max;
			if (k->mc_versions && k->md5 && hex_eq(k->md5, key->me_cleaner_md5, 16)) {
				key->me_cleaner_known = true;
				key->me_cleaner_versions = k->mc_versions;
				key->me_cleaner_variant = k->family == AMT_FAM_CSME ? AMT_FAM_ME :
							  k->family == AMT_FAM_CSTXE ? AMT_FAM_TXE :
							  k->family == AMT_FAM_CSSPS ? AMT_FAM_SPS :
							  k->family;
			}
			return;
		}
	}
}

amt_family amt_key_family(const struct amt_key_info *key, unsigned major)
{
	if (key && key->known && key->family != AMT_FAM_UNKNOWN)
		return key->family;
	/* me_cleaner.py (corna 43612a6): unknown key -> "ME" if major >= 6,
	 * else "TXE". Its "ME" covers CSME for majors >= 11. */
	if (major >= 11)
		return AMT_FAM_CSME;
	if (major >= 6)
		return AMT_FAM_ME;
	return AMT_FAM_TXE;
}

static bool digest(const char *md, const uint8_t *p, size_t n, uint8_t *out)
{
	const EVP_MD *m = strcmp(md, "md5") == 0 ? EVP_md5() : EVP_sha256();
	unsigned int len = 0;

	return EVP_Digest(p, n, out, &len, m, NULL) == 1;
}

void amt_key_read(const uint8_t *data, size_t size, uint64_t man_off,
		  struct amt_key_info *key)
{
	uint8_t be[384];
	uint32_t kdw;
	unsigned kb;

	memset(key, 0, sizeof(*key));
	/* key size (dwords) at +0x78; modulus at +0x80; exponent after it
	 * (MEA MN2_Manifest_R0/R2; doc/formats.md#manifests) */
	if (!amt_in(size, man_off, 0x80))
		return;
	kdw = amt_rd32(data + man_off + 0x78);
	if (kdw != 0x40 && kdw != 0x60)
		return;
	kb = kdw * 4;
	if (!amt_in(size, man_off + 0x80, (uint64_t)kb + 4) ||
	    !amt_in(size, man_off + 0x80, 0x104))
		return;
	for (unsigned i = 0; i < kb; i++)
		be[i] = data[man_off + 0x80 + kb - 1 - i];
	key->modulus_bits = kb * 8;
	key->exponent = amt_rd32(data + man_off + 0x80 + kb);
	if (!digest("sha256", be, kb, key->modulus_sha256) ||
	    !digest("md5", data + man_off + 0x80, 0x104, key->me_cleaner_md5))
		return;
	key->present = true;
}
