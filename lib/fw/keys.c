/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Known Intel manifest signing keys.
 *
 * Two fingerprints per key:
 *  - "md5": me_cleaner's fingerprint, MD5 of the 0x104 bytes at
 *    manifest + 0x80 (modulus + exponent for 2048-bit keys; only the first
 *    0x104 bytes of the modulus for 3072-bit keys) - me_cleaner.py
 *    `pubkeys_md5` and the same dictionary in its forks;
 *  - "sha": SHA-256 of the big-endian modulus; with it "mea": MEA's own
 *    fingerprint of the same key, SHA-256 of the modulus bytes as stored
 *    (little-endian), and the label MEA.dat gives it (platomav/MEAnalyzer
 *    089b991, MEA.dat RSAPKEY_* lines). The two SHA-256 values of a key
 *    were computed from one public firmware image signed with it whose
 *    manifest signature verifies.
 * A key matches when any fingerprint present in the entry matches.
 *
 * Pre-production keys: MEA.dat rsa_pre_keys (same MEA revision), by MEA's
 * fingerprint; a firmware signed with one is Pre-Production whatever its
 * manifest flags say (MEA.py release_fix).
 * TXE 0-1 variants: MEA.py names the SKU by key, "M/D" (6B8B1010...) or
 * "I/T" (613421A1...), by MEA's fingerprint.
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
#define SRC_MEA "MEA.dat (platomav/MEAnalyzer 089b991) "

struct known_key {
	const char *md5;        /* 32 hex digits or NULL */
	const char *sha;        /* 64 hex digits or NULL */
	const char *mea;        /* MEA's fingerprint, 64 hex digits, or NULL */
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
	  "d23bcb9b4315589fefc1f414389feb04f57dc5fddabb48e622483691c924998e",
	  "Intel ME 2.0-2.2", AMT_FAM_ME, 2, 2,
	  SRC_CORNA "; " SRC_MEA "ME 2.0-2.2 PRD", "2.0.x.x, 2.1.x.x, 2.2.x.x" },
	{ "4c00dd06c28119b5c1e5bb8eb6f30596",
	  "4369fddacdf3fafa60287edbb8ef194e290e977ba4715db19ba130c2af10297c",
	  "d247545e4702d1783cefbbe200bc36e702674bc226b853e4dec7e06dca81273c",
	  "Intel ME 2.5-2.6", AMT_FAM_ME, 2, 2,
	  SRC_CORNA "; " SRC_MEA "ME 2.5-2.6 PRD", "2.5.x.x, 2.6.x.x" },
	{ "9c24077a7f7490967855e9c4c16c6b9e", NULL,
	  "af20391b22211a796b309b7b644807f670c3529c285b325e36548f3941fa2f1d",
	  "Intel ME 3.x", AMT_FAM_ME, 3, 3, SRC_CORNA, "3.x.x.x" },
	{ "bf41464be736f5520d80c67f6789020e",
	  "4fada9a2b92488501f28b9377db5bc26436565ffd0f120212a0d074ba92ae3e4",
	  "1ce7d46a35fd09b87c10335ca9f1c4bfc10515ae812826a2febf8cc746dd6c70",
	  "Intel ME 4.x", AMT_FAM_ME, 4, 4,
	  SRC_CORNA "; " SRC_MEA "ME 4 PRD", "4.x.x.x" },
	{ "5c7169b7e7065323fb7b3b5657b4d57a",
	  "13021f77d5d9653b9e3f7fe44f2928990a39d98c94b7a71f3635201a8501670b",
	  "3062f283403a1d561e58c51c595df8f52786a04814731f41aa33cba3f9dc25ab",
	  "Intel ME 5.x", AMT_FAM_ME, 5, 5,
	  SRC_CORNA "; " SRC_MEA "ME 5 PRD", "5.x.x.x" },
	{ "763e59ebe235e45a197a5b1a378dfa04",
	  "6d3947390b2ba8881d770e334fae2014363e4b6a6bb1f3cb8ca6937cc2935f23",
	  "636ca265ded86663f8b666e943d821b581fd8ddcee1458eafee8e97441565adc",
	  "Intel ME 6.x", AMT_FAM_ME, 6, 6,
	  SRC_CORNA "; " SRC_MEA "ME 6 PRD", "6.x.x.x" },
	{ "3a98c847d609c253e145bd36512629cb", NULL,
	  "908b683044fff49282b9a57f94da99de1a3b8950bc99b7f12bc9598c94821a45",
	  "Intel ME 6.0.50.x", AMT_FAM_ME, 6, 6, SRC_CORNA, "6.0.50.x" },
	{ "0903fc25b0f6bed8c4ed724aca02124c",
	  "86bfd244adc125abf8c978f2e2a1d176c496f37e3e2ce711f2096a832997721b",
	  "a356e3acc4ac8d87cf0d7ab0731de4e0a7755fc38d0068f31503aa4fb921a835",
	  "Intel ME 7.x-8.x", AMT_FAM_ME, 7, 8,
	  SRC_CORNA "; " SRC_MEA "ME 7-8 PRD", "7.x.x.x, 8.x.x.x" },
	/* Intel's pre-production key (MEA.dat: "ME 6-10, CSME 11, TXE 0-2
	 * PRE"; in rsa_pre_keys), unknown to me_cleaner; signs e.g. the ME
	 * 8.0.0.1351 image of Intel's Emerald Lake 2 board */
	{ "645f093c24ec0302df950e6dd1a51789",
	  "d03a318a51dba39d618279a080ddd4f081bdeb9da6603225b46c2d63d04bd721",
	  "86c0e5ef0cfeff6d810d68d83d8c6ecb68306a644c03c0446b646a3971d37894",
	  "Intel pre-production key (ME 6-10, TXE 0-2)", AMT_FAM_ME, 6, 10,
	  SRC_MEA "ME 6-10, CSME 11, TXE 0-2 PRE (pre-production); unknown to me_cleaner",
	  NULL },
	{ "2011ae6df87c40fba09e3f20459b1ce0",
	  "a40a3fa0200bb72fa1b1f960e911e4d80daa08b3e83069a3bba3d980d18e6f77",
	  "b41f8f516722bf6ed5e950e45fcfa6296a851f2bfb2a6608af74b33ee22dd06e",
	  "Intel ME 9.0-9.1", AMT_FAM_ME, 9, 9,
	  SRC_CORNA "; " SRC_MEA "ME 9.0-9.1 PRD", "9.0.x.x, 9.1.x.x" },
	{ "e8427c5691cf8b56bc5cdd82746957ed",
	  "988bc7fc30cd3d9cf3ea8a7942ff5e4ac780a5e2f27771ec3c4827c08a4fc3a5",
	  "0590fbe080cdfd4c0944a7dbe14af68163ef34fbcc6f0859d108d148ab05b7a1",
	  "Intel ME 9.5-10.x", AMT_FAM_ME, 9, 10,
	  SRC_CORNA "; " SRC_MEA "ME 9.5-10 PRD", "9.5.x.x, 10.x.x.x" },
	{ "986a78e481f185f7d54e4af06eb413f6",
	  "5dcbfed89490c1f69bd54267c0932a509dac1e97519ed7fd4be90458d173b544",
	  "69c77ef8082e2bd3142db2f63c361a85b43aa51fad5ced733b6b9ea22f7ca49e",
	  "Intel ME 11.x", AMT_FAM_CSME, 11, 11,
	  SRC_CORNA "; " SRC_MEA "CSME 11 PRD", "11.x.x.x" },
	{ "3efc26920b4bee901b624771c742887b",
	  "38ff861d4e6db256e0c73a1832e6bd17adb9495494be98f0b327717b1169e736",
	  "dd79bd23b6bd499ff89c43e92fc133ec2e69f7838836ca2b8eb4b819548a3c14",
	  "Intel CSME 12.x", AMT_FAM_CSME, 12, 12,
	  SRC_XUTAX "; " SRC_MEA "CSME 12 PRD", NULL },
	{ "8e4f834644da2bef03039d69d41ecf02",
	  "1bd716a4f48772b13fb058fa9714933787c9e57327ecfcd093a8c9cbec7bc6e9",
	  "de15892b631eac79b0b8464b719c2534fcc9162423762ddf6a00b7051bdb9ede",
	  "Intel CSME 14.x", AMT_FAM_CSME, 14, 14,
	  SRC_XUTAX "; " SRC_MEA "CSME 14.0 PRD", NULL },
	{ "b29411f89bf20ed177d411c46e8ec185", NULL, NULL,
	  "Intel CSME 15.x", AMT_FAM_CSME, 15, 15, SRC_XUTAX, NULL },
	{ "5887caf9b677601ffb257cc98a13d2a9", NULL, NULL,
	  "Intel CSME 16.x", AMT_FAM_CSME, 16, 16, SRC_XUTAX, NULL },
	{ "e7155f4342af9d1b7e4cac467190d382",
	  "7fc4f7d4e510e35fe05a33f74c1c3f39fe796fcd78ae5f42964af9173aa4bdee",
	  "be6a10cbeb031617757192a192a1df760b7940f2baae69e48c4fed2b55a7b08f",
	  "Intel CSME 16.1.x", AMT_FAM_CSME, 16, 16,
	  SRC_MANGO "; " SRC_MEA "CSME 16.1 PRD", NULL },
	{ "bda0b6bb8ca0bf0cac55ac4c4d55e0f2", NULL, NULL,
	  "Intel TXE 1.x", AMT_FAM_TXE, 1, 1, SRC_CORNA, "1.x.x.x" },
	{ "b726a2ab9cd59d4e62fe2bead7cf6997",
	  "ad8700177a78bba96244b39a00ff73dd9bc6b10e9a3864bcdc707df089c7cb62",
	  "613421a156443f1c038dde342ff6564513a1818e8cc23b0e1d7d7fb0612e04ac",
	  "Intel TXE 1.x", AMT_FAM_TXE, 1, 1,
	  SRC_CORNA "; " SRC_MEA "TXE 0-1 I/T PRD", "1.x.x.x" },
	{ "0633d7f951a3e7968ae7460861be9cfb",
	  "d3489a02ac58605bf4773e49ab66bbb57db9a45aa750ca16a1b27281cefe8eab",
	  "46e378312f389af5442a7b3e775f3078e8d0aa511f25c1b3b105e28c09cd68ab",
	  "Intel TXE 2.x", AMT_FAM_TXE, 2, 2,
	  SRC_CORNA "; " SRC_MEA "TXE 2 PRD", "2.x.x.x" },
	{ "1d0a36e9f5881540d8e4b382c6612ed8",
	  "1c777af485c7d1342ea2c3ac6f047e6968a0acd92775e6d438f36e616aa664bc",
	  "10c05a23a5a2debce1453d615cc62a9bc47fbec2259e7d0a415a7fd229ebb37b",
	  "Intel TXE 3.x", AMT_FAM_CSTXE, 3, 3,
	  SRC_CORNA "; " SRC_MEA "CSTXE 3.0-3.1 PRD", "3.x.x.x" },
	{ "95a0c8587bd5521ce8aaae9288f084e2",
	  "36be31e76d5426f016ab13d88d615ee2dcb2e62ad6c08ad69e2c9b9b5de8b153",
	  "ed0274fa0cb016e561dfe8e5aec8a8e4822da4836ae3391d7fd4e30eac3cea1f",
	  "Intel TXE 4.x", AMT_FAM_CSTXE, 4, 4,
	  SRC_MEA "CSTXE 4 PRD; unknown to me_cleaner", NULL },
	{ "be900fef868f770d266b1fc67e887e69", NULL, NULL,
	  "Intel SPS 2.x", AMT_FAM_SPS, 2, 2, SRC_CORNA, "2.x.x.x" },
	{ "4622e3f2cb212a89c90a4de3336d88d2", NULL, NULL,
	  "Intel SPS 3.x", AMT_FAM_SPS, 3, 3, SRC_CORNA, "3.x.x.x" },
	{ "31ef3d950eac99d18e187375c0764ca4", NULL, NULL,
	  "Intel SPS 4.x", AMT_FAM_CSSPS, 4, 4, SRC_CORNA, "4.x.x.x" },
};

/* MEA.dat rsa_pre_keys (platomav/MEAnalyzer 089b991): MEA's fingerprints
 * (SHA-256 of the modulus as stored) of Intel's pre-production keys. */
static const char *const pre_keys[] = {
	"0efa4e47b05819533eccc4c09ee6b628f117c64ecd51bb1685ea90a52de784b9",
	"543ca971f2e53a3e8ab3a3305487ea4a00426bf556bc617f995b09aab3623769",
	"d5d0e7408b39d603861cc22ebc68af7a2d36f659eebc1c387679cf91f8ef0f61",
	"f00916f0080505a5a377d5f013dab6c82eb2952ac6aeadccc104662ca206ba70",
	"b48b05eab48710fc0a0ec30aebade252d5ce4669e27244feeb861c7e16688345",
	"6f4bde36cb1dd10a797cce74bea122f7609ba29630458e93586b2b447e58c38c",
	"c3416bff2a9a85414f584263ce6bc0083979dc90fc702fcb671ea497994ba1a7",
	"86c0e5ef0cfeff6d810d68d83d8c6ecb68306a644c03c0446b646a3971d37894",
	"ba93eee4b70bae2554ff8b5b9b1556341e5e5e3e41d7a2271ab00e65b560ec76",
	"2bdb4349feff80f6f6341db7ad40e2568363ac9ed96a0daa950f26dad4e4f71a",
	"5d18e09f0135fad8840989401f50c39a47a5e783cedfc7ab1e1b11600425808f",
	"8f4337ee7bce88e0536fd735ed0631dacc666d088de6400c86f06e4c14c39ecd",
	"0ac9cc6d0a58dd8cd830e29106b4274a5d424eb3665fc6047592dd42082cef25",
	"7c9c81380a1b62bcc7e0f7d7f54e16c94728a4351b305355180427781e3846b2",
	"01de3ba4760ccaa7d7633bbb3ee0df9223c24cf3fff8042aac9461cdf06b987a",
	"921a87206b3a9b2d1b60d9acf797187962d103649fcca9d789f4b5123a84731e",
};

/* MEA.py (TXE 0-1 SKU): the key names the variant. */
static const struct { const char *mea, *variant; } txe_variants[] = {
	{ "6b8b10107e20dfd45f6c521100b950b78969b4ac9245d90de3833e0a082df374", "M/D" },
	{ "613421a156443f1c038dde342ff6564513a1818e8cc23b0e1d7d7fb0612e04ac", "I/T" },
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
	key->preproduction = false;
	if (!key->present)
		return;
	for (size_t i = 0; i < sizeof(pre_keys) / sizeof(pre_keys[0]); i++)
		if (hex_eq(pre_keys[i], key->stored_sha256, 32))
			key->preproduction = true;
	for (size_t i = 0; i < sizeof(known_keys) / sizeof(known_keys[0]); i++) {
		const struct known_key *k = &known_keys[i];

		if ((k->sha && hex_eq(k->sha, key->modulus_sha256, 32)) ||
		    (k->mea && hex_eq(k->mea, key->stored_sha256, 32)) ||
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

const char *amt_key_txe_variant(const struct amt_key_info *key)
{
	if (!key || !key->present)
		return NULL;
	for (size_t i = 0; i < sizeof(txe_variants) / sizeof(txe_variants[0]); i++)
		if (hex_eq(txe_variants[i].mea, key->stored_sha256, 32))
			return txe_variants[i].variant;
	return NULL;
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
	    !digest("sha256", data + man_off + 0x80, kb, key->stored_sha256) ||
	    !digest("md5", data + man_off + 0x80, 0x104, key->me_cleaner_md5))
		return;
	key->present = true;
}
