/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The neutralization planner. It follows the steps of me_cleaner 1.2
 * (corna/me_cleaner 43612a6, me_cleaner.py; facts only, our own code) so
 * that the me_cleaner front end writes the same bytes, and records each
 * change as an edit of the plan instead of writing it. The native front end
 * runs the same steps with its corrections (platform-aware disable bit,
 * CRC-32 for FPT 2.1, master masks by descriptor version, region shrink).
 *
 * Facts used (me_cleaner.py unless said otherwise; anchors.md B1-B4):
 *  - descriptor: FLMAP0 at sig+4: FRBA = bits 23:16 * 16; FLMAP1: FMBA =
 *    bits 7:0 * 16, FPSBA/FISBA = bits 23:16 * 16; FLMAP2: FMSBA = bits 7:0
 *    * 16; FLREGn at FRBA+4n: base = (v & 0x7fff) << 12, end = ((v >> 4) &
 *    0x7fff000 | 0xfff) + 1 (15-bit fields for every version).
 *  - gen 1 (signature at 0): MeDisable = bit 0 of ICHSTRP0 (FISBA) and of
 *    MCHSTRP0 (FMSBA); the ME region is disabled with FLREG2 = 0x1fff and
 *    wiped with 0xff.
 *  - gen 2: AltMeDisable = PCHSTRP10 bit 7 (FPSBA + 0x28); gen 3: HAP =
 *    PCHSTRP0 bit 16 (me_cleaner; right for ME 11 only).
 *  - $FPT: count at +4, entries of 0x20 bytes at +0x20 (region +0x30),
 *    flags at +0x14 (bit 0: EFFS present), checksum-8 at region +0x1b over
 *    region 0x00-0x2f (gen 2) or 0x10-0x2f (gen 3).
 *  - gen 2 $MME headers at FTPR+0x290, 0x60 or 0x80 bytes each; name +4,
 *    load base +0x34, data offset +0x38, uncompressed size +0x3c, stored
 *    size +0x40, flags +0x50 (compression bits 6:4: 0 none, 1 Huffman,
 *    2 LZMA). Huffman modules share the LLUT at the first one's data:
 *    chunk count +4, address base +8 (+0x10000000), SPI base +0xc, two
 *    dwords +0x10/+0x14 whose sum is the end of the stream, chunk size
 *    +0x30, chunk table +0x40 (24-bit offsets, top byte 0x80 = empty).
 *  - gen 3: $CPD count +4, entries of 0x18 from +0x10: name[12], offset
 *    bits 24:0, bit 25 Huffman.
 *  - min size: end of what is kept, rounded up to the next 4 KiB page
 *    (always one more page), plus 4 spare pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "neutralize_int.h"

#define FD_SIG 0x0FF0A55Au
#define MIN_FTPR_OFFSET 0x400u
#define SPARED_BLOCKS 4u

static const struct {
	const char *md5;
	const char *variant;
	const char *versions;
} mc_keys[] = {
	/* me_cleaner.py pubkeys_md5 */
	{ "8431285d43b0f2a2f520d7cab3d34178", "ME", "2.0.x.x, 2.1.x.x, 2.2.x.x" },
	{ "4c00dd06c28119b5c1e5bb8eb6f30596", "ME", "2.5.x.x, 2.6.x.x" },
	{ "9c24077a7f7490967855e9c4c16c6b9e", "ME", "3.x.x.x" },
	{ "bf41464be736f5520d80c67f6789020e", "ME", "4.x.x.x" },
	{ "5c7169b7e7065323fb7b3b5657b4d57a", "ME", "5.x.x.x" },
	{ "763e59ebe235e45a197a5b1a378dfa04", "ME", "6.x.x.x" },
	{ "3a98c847d609c253e145bd36512629cb", "ME", "6.0.50.x" },
	{ "0903fc25b0f6bed8c4ed724aca02124c", "ME", "7.x.x.x, 8.x.x.x" },
	{ "2011ae6df87c40fba09e3f20459b1ce0", "ME", "9.0.x.x, 9.1.x.x" },
	{ "e8427c5691cf8b56bc5cdd82746957ed", "ME", "9.5.x.x, 10.x.x.x" },
	{ "986a78e481f185f7d54e4af06eb413f6", "ME", "11.x.x.x" },
	{ "bda0b6bb8ca0bf0cac55ac4c4d55e0f2", "TXE", "1.x.x.x" },
	{ "b726a2ab9cd59d4e62fe2bead7cf6997", "TXE", "1.x.x.x" },
	{ "0633d7f951a3e7968ae7460861be9cfb", "TXE", "2.x.x.x" },
	{ "1d0a36e9f5881540d8e4b382c6612ed8", "TXE", "3.x.x.x" },
	{ "be900fef868f770d266b1fc67e887e69", "SPS", "2.x.x.x" },
	{ "4622e3f2cb212a89c90a4de3336d88d2", "SPS", "3.x.x.x" },
	{ "31ef3d950eac99d18e187375c0764ca4", "SPS", "4.x.x.x" },
};

const char *amt_me_cleaner_key_variant(const uint8_t md5[16], const char **versions)
{
	char hex[33];
	for (int i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", md5[i]);
	for (size_t i = 0; i < sizeof(mc_keys) / sizeof(mc_keys[0]); i++)
		if (!strcmp(hex, mc_keys[i].md5)) {
			if (versions)
				*versions = mc_keys[i].versions;
			return mc_keys[i].variant;
		}
	return NULL;
}

struct eng {
	const uint8_t *d;
	size_t size;
	const struct amt_image *img;
	const struct amt_neutralize_opts *o;
	struct amt_plan *p;
	amt_error *err;
	bool compat;

	bool full;
	bool region_on;
	uint64_t rs, re;              /* ME region [rs, re), absolute */
	uint64_t fd_start, fd_end, bios_start, bios_end;
	uint32_t frba, fmba, fisba, fmsba, fpsba;
	int gen;
	uint64_t fpt;                 /* region-relative */
	uint32_t entries;
	uint8_t *parts;
	uint64_t ftpr_off, ftpr_len, mn2;
	uint64_t ftpr_content;        /* gen 3: bytes of FTPR its $CPD uses */
	uint16_t ver[4];
	const char *variant;
	uint8_t fpt_hver;
	bool ignition;
	int64_t end_addr;             /* region-relative (me_cleaner's end_addr) */
	uint64_t extra_part_end;
	bool compat_note_done;
};

#define OOR(e, what) \
	amt_error_set((e)->err, AMT_E_RANGE, what, AMT_NO_OFFSET, \
		      "%s lies outside the ME region (me_cleaner: OutOfRegionException)", what)

static void rd(struct eng *e, uint64_t abs, void *buf, size_t n)
{
	amt_plan_read(e->p, e->d, e->size, abs, buf, n);
}

static uint32_t rd32a(struct eng *e, uint64_t abs)
{
	uint8_t b[4];
	rd(e, abs, b, 4);
	return amt_rd32(b);
}

/* RegionFile.read bounds: [rel, rel+n) must end by the region end. */
static bool rf_ok(struct eng *e, uint64_t rel, uint64_t n)
{
	return e->rs + rel + n <= e->re;
}

/* RegionFile.fill_range(start, end, 0xff): nothing when start >= end. */
static amt_status rf_fill(struct eng *e, uint64_t start, uint64_t end, const char *why)
{
	if (e->rs + end > e->re)
		return amt_error_set(e->err, AMT_E_RANGE, "ME region", e->rs + start,
				     "%s: 0x%llx-0x%llx lies outside the ME region", why,
				     (unsigned long long)start, (unsigned long long)end);
	if (start >= end)
		return AMT_OK;
	/* bytes past the end of the file do not exist: nothing to fill */
	uint64_t s = e->rs + start, t = e->rs + end;
	if (t > e->size)
		t = e->size;
	if (s >= t)
		return AMT_OK;
	if (amt_plan_fill(e->p, s, t - s, 0xff, "%s", why) != AMT_OK)
		return amt_error_set(e->err, AMT_E_NOMEM, "plan", AMT_NO_OFFSET, "out of memory");
	return AMT_OK;
}

static amt_status wr(struct eng *e, uint64_t abs, const void *b, size_t n, const char *why)
{
	if (!amt_in(e->size, abs, n))
		return amt_error_set(e->err, AMT_E_RANGE, "image", abs,
				     "%s: the write runs past the end of the file", why);
	/* a write that changes nothing is left out of the plan */
	uint8_t cur[64];
	if (n <= sizeof(cur)) {
		rd(e, abs, cur, n);
		if (!memcmp(cur, b, n))
			return AMT_OK;
	}
	if (amt_plan_write(e->p, e->d, e->size, abs, b, n, "%s", why) != AMT_OK)
		return amt_error_set(e->err, AMT_E_NOMEM, "plan", AMT_NO_OFFSET, "out of memory");
	return AMT_OK;
}

static amt_status wr32(struct eng *e, uint64_t abs, uint32_t v, const char *why)
{
	uint8_t b[4];
	amt_wr32(b, v);
	return wr(e, abs, b, 4, why);
}

static amt_status nomem(struct eng *e)
{
	return amt_error_set(e->err, AMT_E_NOMEM, "plan", AMT_NO_OFFSET, "out of memory");
}

#define LOG(...) do { if (amt_plan_logf(e->p, __VA_ARGS__) != AMT_OK) return nomem(e); } while (0)
#define TRY(x) do { amt_status st_ = (x); if (st_ != AMT_OK) return st_; } while (0)

/* Python's round() (half to even) of n/1024. */
static unsigned long long kib_round(unsigned long long n)
{
	unsigned long long q = n / 1024, r = n % 1024;
	if (r * 2 > 1024 || (r * 2 == 1024 && (q & 1)))
		q++;
	return q;
}

static bool ascii_name(const uint8_t *p, size_t n, char *out)
{
	size_t len = n;
	while (len > 0 && p[len - 1] == 0)
		len--;
	for (size_t i = 0; i < len; i++) {
		if (p[i] >= 0x80)
			return false;
		out[i] = (char)p[i];
	}
	out[len] = '\0';
	return true;
}

static bool in_list(char list[][5], unsigned n, const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

static uint64_t flreg_start(uint32_t v)
{
	return (uint64_t)(v & 0x7fff) << 12;
}
static uint64_t flreg_end(uint32_t v)
{
	return (uint64_t)(((v >> 4) & 0x7fff000) | 0xfff) + 1;
}
static uint32_t flreg_make(uint64_t start, uint64_t end)
{
	return (uint32_t)(((start & 0x7fff000) >> 12) | (((end - 1) & 0x7fff000) << 4));
}

/* ------------------------------------------------------------------ */
/* detection                                                          */

static amt_status detect(struct eng *e)
{
	const struct amt_neutralize_opts *o = e->o;
	uint32_t magic0 = e->size >= 4 ? amt_rd32(e->d) : 0;
	uint32_t magic10 = e->size >= 0x14 ? amt_rd32(e->d + 0x10) : 0;
	bool fpt0 = e->size >= 4 && !memcmp(e->d, "$FPT", 4);
	bool fpt10 = e->size >= 0x14 && !memcmp(e->d + 0x10, "$FPT", 4);

	if (fpt0 || fpt10) {
		LOG("ME/TXE image detected\n");
		if (o->fix_master || o->want_descriptor || o->want_me || o->set_disable_bit ||
		    o->disable_bit_only)
			return amt_error_set(e->err, AMT_E_ARG, "image", AMT_NO_OFFSET,
					     "-d, -D, -M, -S and -s require a full dump");
		e->full = false;
		e->rs = 0;
		e->re = e->size;
		e->region_on = true;
	} else if (magic0 == FD_SIG || magic10 == FD_SIG) {
		LOG("Full image detected\n");
		uint64_t m = magic0 == FD_SIG ? 4 : 0x14;
		if (e->size < m + 12)
			return amt_error_set(e->err, AMT_E_TRUNCATED, "FLMAP", m, "the descriptor is cut short");
		uint32_t flmap0 = amt_rd32(e->d + m), flmap1 = amt_rd32(e->d + m + 4),
			 flmap2 = amt_rd32(e->d + m + 8);
		e->frba = flmap0 >> 12 & 0xff0;
		e->fmba = (flmap1 & 0xff) << 4;
		e->fisba = flmap1 >> 12 & 0xff0;
		e->fmsba = (flmap2 & 0xff) << 4;
		e->fpsba = e->fisba;
		if (!amt_in(e->size, e->frba, 12))
			return amt_error_set(e->err, AMT_E_RANGE, "FLREG", e->frba,
					     "the region table lies outside the file");
		uint32_t r0 = amt_rd32(e->d + e->frba), r1 = amt_rd32(e->d + e->frba + 4),
			 r2 = amt_rd32(e->d + e->frba + 8);
		/* the sections must lie in the descriptor, past its header: a
		 * strap "at FISBA 0" would be the signature itself */
		uint32_t secs[4] = { e->frba, e->fmba, e->fisba, magic0 == FD_SIG ? e->fmsba : 0x20 };
		for (int i = 0; i < 4; i++)
			if (secs[i] < 0x20 || secs[i] >= 0x1000)
				return amt_error_set(e->err, AMT_E_BADMAGIC, "FLMAP", m,
						     "malformed flash descriptor: a section base (0x%x) "
						     "lies in its header or outside its 4 KiB", secs[i]);
		e->fd_start = flreg_start(r0);
		e->fd_end = flreg_end(r0);
		e->bios_start = flreg_start(r1);
		e->bios_end = flreg_end(r1);
		e->rs = flreg_start(r2);
		e->re = flreg_end(r2);
		e->full = true;
		if (e->rs >= e->re) {
			LOG("The ME region in this image has already been disabled\n");
			e->region_on = false;
		} else {
			e->region_on = true;
		}
		if (magic0 == FD_SIG)
			e->gen = 1;
	} else {
		return amt_error_set(e->err, AMT_E_UNKNOWN, "image", AMT_NO_OFFSET, "Unknown image");
	}
	e->p->full_image = e->full;
	e->p->me_start = e->rs;
	e->p->me_end = e->re;
	e->p->fd_start = e->fd_start;
	e->p->fd_end = e->fd_end;
	return AMT_OK;
}

/*
 * How many bytes from the start of FTPR its $CPD (n entries) really uses:
 * the directory and the data of every entry (name[12], offset & 0x1ffffff,
 * bit 25 = Huffman, size; anchors.md $CPD). The size of a Huffman entry is
 * its uncompressed size, so its stored data is taken to run to the next
 * entry's offset (me_cleaner's view of a module's range), or, for the last
 * one, for its uncompressed size. Read from the input before any edit.
 * Falls back to the FPT length when an entry cannot be read or the
 * directory is implausibly large. Never less than the directory itself.
 */
#define CPD_MAX_ENTRIES 1024
static uint64_t cpd_content_len(struct eng *e, uint32_t n)
{
	uint64_t end = 0x10 + (uint64_t)n * 0x18;
	uint64_t whole = e->ftpr_len > end ? e->ftpr_len : end;
	if (n > CPD_MAX_ENTRIES || !rf_ok(e, e->ftpr_off, end) ||
	    !amt_in(e->size, e->rs + e->ftpr_off, end))
		return whole;
	const uint8_t *dir = e->d + e->rs + e->ftpr_off + 0x10;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *ent = dir + (size_t)i * 0x18;
		uint32_t ob = amt_rd32(ent + 12);
		uint64_t off = ob & 0x01ffffff, t = off + amt_rd32(ent + 16);
		if (ob & 0x02000000) {
			for (uint32_t j = 0; j < n; j++) {
				uint64_t o2 = amt_rd32(dir + (size_t)j * 0x18 + 12) & 0x01ffffff;
				if (o2 > off && o2 < t)
					t = o2;
			}
		}
		if (t > end)
			end = t;
	}
	return end;
}

static amt_status find_ftpr(struct eng *e)
{
	uint8_t b[0x20];

	if (!e->region_on)
		return AMT_OK;
	rd(e, e->rs, b, 4);
	bool have = e->rs + 4 <= e->size;
	if (have && !memcmp(b, "$FPT", 4)) {
		e->fpt = 0;
	} else {
		rd(e, e->rs + 0x10, b, 4);
		if (e->rs + 0x14 <= e->size && !memcmp(b, "$FPT", 4)) {
			e->fpt = 0x10;
		} else if (e->rs > 0) {
			amt_layout l = e->img && e->img->has_fw ? e->img->fw.layout : AMT_LAYOUT_NONE;
			if (l == AMT_LAYOUT_IFWI16 || l == AMT_LAYOUT_IFWI17 || l == AMT_LAYOUT_BPDT)
				return amt_error_set(e->err, AMT_E_UNSUPPORTED, "ME region", e->rs,
						     "The ME/TXE region holds CSME 12+ IFWI firmware "
						     "(%s), which this version does not neutralize",
						     amt_layout_str(l));
			return amt_error_set(e->err, AMT_E_UNKNOWN, "ME region", e->rs,
					     "The ME/TXE region is valid but the firmware is "
					     "corrupted or missing");
		} else {
			return amt_error_set(e->err, AMT_E_UNKNOWN, "ME region", e->rs, "Unknown error");
		}
	}
	LOG("Found FPT header at 0x%llx\n", (unsigned long long)(e->rs + e->fpt));
	if (!rf_ok(e, e->fpt + 4, 4))
		return OOR(e, "$FPT");
	e->entries = rd32a(e, e->rs + e->fpt + 4);
	LOG("Found %u partition(s)\n", e->entries);
	uint64_t plen = (uint64_t)e->entries * 0x20;
	if (!rf_ok(e, e->fpt + 0x20, plen) || e->rs + e->fpt + 0x20 + plen > e->size)
		return amt_error_set(e->err, AMT_E_RANGE, "$FPT", e->rs + e->fpt,
				     "%u partition entries run past the end of the ME region",
				     e->entries);
	e->parts = malloc(plen ? plen : 1);
	if (!e->parts)
		return nomem(e);
	rd(e, e->rs + e->fpt + 0x20, e->parts, plen);
	e->fpt_hver = e->d[e->rs + e->fpt + 8];

	const uint8_t *ftpr = NULL;
	for (uint32_t i = 0; i < e->entries; i++) {
		const uint8_t *q = e->parts + i * 0x20;
		if (!memcmp(q, "CODE", 4) || !memcmp(q, "FTPR", 4)) {
			ftpr = q;
			break;
		}
	}
	if (!ftpr)
		return amt_error_set(e->err, AMT_E_UNKNOWN, "$FPT", e->rs + e->fpt,
				     "FTPR header not found, this image doesn't seem to be valid");
	if (!memcmp(ftpr, "CODE", 4))
		e->gen = 1;
	e->ftpr_off = amt_rd32(ftpr + 8);
	e->ftpr_len = amt_rd32(ftpr + 12);
	LOG("Found FTPR header: FTPR partition spans from 0x%llx to 0x%llx\n",
	    (unsigned long long)e->ftpr_off, (unsigned long long)(e->ftpr_off + e->ftpr_len));

	if (!rf_ok(e, e->ftpr_off, 0x10) || e->rs + e->ftpr_off + 0x10 > e->size)
		return amt_error_set(e->err, AMT_E_RANGE, "FTPR", e->rs + e->ftpr_off,
				     "the FTPR partition starts outside the ME region");
	rd(e, e->rs + e->ftpr_off, b, 8);
	const char *expected;
	if (!memcmp(b, "$CPD", 4)) {
		e->gen = 3;
		uint32_t n = amt_rd32(b + 4);
		int64_t man = -1;
		for (uint32_t i = 0; i < n; i++) {
			uint64_t eo = e->ftpr_off + 0x10 + (uint64_t)i * 0x18;
			if (!rf_ok(e, eo, 0x18) || e->rs + eo + 0x18 > e->size)
				return amt_error_set(e->err, AMT_E_RANGE, "$CPD FTPR", e->rs + eo,
						     "the $CPD entries run past the ME region");
			uint8_t ent[0x18];
			char name[13];
			rd(e, e->rs + eo, ent, 0x18);
			if (!ascii_name(ent, 12, name))
				return amt_error_set(e->err, AMT_E_BADMAGIC, "$CPD FTPR", e->rs + eo,
						     "a $CPD entry name is not ASCII");
			if (!strcmp(name, "FTPR.man")) {
				man = ent[12] | ent[13] << 8 | ent[14] << 16;
				break;
			}
		}
		if (man < 0)
			return amt_error_set(e->err, AMT_E_UNKNOWN, "$CPD FTPR", e->rs + e->ftpr_off,
					     "Can't find the manifest of the FTPR partition");
		e->mn2 = (uint64_t)man;
		expected = "$MN2";
		e->ftpr_content = cpd_content_len(e, n);
	} else {
		e->mn2 = 0;
		expected = e->gen == 1 ? "$MAN" : "$MN2";
	}
	uint64_t mo = e->ftpr_off + e->mn2;
	if (!rf_ok(e, mo + 0x1c, 4) || e->rs + mo + 0x184 > e->size)
		return amt_error_set(e->err, AMT_E_RANGE, "FTPR manifest", e->rs + mo,
				     "the FTPR manifest lies outside the ME region");
	rd(e, e->rs + mo + 0x1c, b, 4);
	if (memcmp(b, expected, 4)) {
		char shown[20];
		snprintf(shown, sizeof(shown), "%02x %02x %02x %02x", b[0], b[1], b[2], b[3]);
		return amt_error_set(e->err, AMT_E_BADMAGIC, "FTPR manifest", e->rs + mo + 0x1c,
				     "Wrong FTPR manifest tag (%s), this image may be corrupted",
				     shown);
	}
	if (e->gen == 3)
		LOG("Found FTPR manifest at 0x%llx\n", (unsigned long long)mo);
	if (!e->gen)
		e->gen = 2;
	rd(e, e->rs + mo + 0x24, b, 8);
	for (int i = 0; i < 4; i++)
		e->ver[i] = amt_rd16(b + 2 * i);
	LOG("ME/TXE firmware version %u.%u.%u.%u (generation %d)\n", e->ver[0], e->ver[1],
	    e->ver[2], e->ver[3], e->gen);
	e->p->version = (struct amt_version){ e->ver[0], e->ver[1], e->ver[2], e->ver[3] };

	uint8_t key[0x104], md5[16];
	unsigned int mdlen = 0;
	rd(e, e->rs + mo + 0x80, key, sizeof(key));
	if (!EVP_Digest(key, sizeof(key), md5, &mdlen, EVP_md5(), NULL))
		return amt_error_set(e->err, AMT_E_UNSUPPORTED, "FTPR manifest", AMT_NO_OFFSET,
				     "MD5 is not available from libcrypto");
	const char *versions = NULL;
	e->variant = amt_me_cleaner_key_variant(md5, &versions);
	if (e->variant) {
		LOG("Public key match: Intel %s, firmware versions %s\n", e->variant, versions);
	} else {
		char hex[33];
		for (int i = 0; i < 16; i++)
			snprintf(hex + 2 * i, 3, "%02x", md5[i]);
		e->variant = e->ver[0] >= 6 ? "ME" : "TXE";
		LOG("WARNING Unknown public key %s\n        Assuming Intel %s\n        Please "
		    "report this warning to the project's maintainer!\n", hex, e->variant);
	}
	snprintf(e->p->variant, sizeof(e->p->variant), "%s", e->variant);
	e->p->generation = e->gen;
	return AMT_OK;
}

/* ------------------------------------------------------------------ */
/* gen 2 modules                                                      */

struct chunk {
	uint64_t start, end;
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* me_cleaner get_chunks_offsets: each chunk ends where the next higher
 * offset (or the end of the Huffman stream) begins. */
static amt_status chunk_offsets(struct eng *e, const uint8_t *llut, uint32_t count,
				struct chunk *out)
{
	uint64_t stream_end = (uint64_t)amt_rd32(llut + 0x10) + amt_rd32(llut + 0x14);
	uint64_t *nz = malloc(((size_t)count + 1) * sizeof(*nz));
	if (!nz)
		return nomem(e);
	size_t nn = 0;
	nz[nn++] = stream_end;
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *c = llut + 0x40 + 4 * i;
		uint64_t off = 0;
		if (c[3] != 0x80)
			off = c[0] | c[1] << 8 | (uint32_t)c[2] << 16;
		out[i].start = off;
		out[i].end = 0;
		if (off)
			nz[nn++] = off;
	}
	qsort(nz, nn, sizeof(*nz), cmp_u64);
	for (uint32_t i = 0; i < count; i++) {
		if (!out[i].start)
			continue;
		size_t k = 0;
		while (k < nn && nz[k] != out[i].start)
			k++;
		if (k + 1 >= nn) {
			free(nz);
			return amt_error_set(e->err, AMT_E_RANGE, "LLUT", AMT_NO_OFFSET,
					     "chunk %u (0x%llx) starts at or after the end of the Huffman "
					     "stream (0x%llx, LLUT +0x10 + +0x14): its length is unknown",
					     i, (unsigned long long)out[i].start,
					     (unsigned long long)stream_end);
		}
		out[i].end = nz[k + 1];
	}
	free(nz);
	return AMT_OK;
}

static bool is_essential2(const char *name)
{
	return !strcmp(name, "ROMP") || !strcmp(name, "BUP");
}

static amt_status remove_modules2(struct eng *e, const uint8_t *hdrs, uint32_t n, size_t hsz,
				  int64_t *end_out)
{
	static const char *const comp_str[] = { "uncomp.", "Huffman", "LZMA" };
	struct chunk *chunks = NULL;
	uint32_t nchunks = 0;
	uint64_t base = 0, chunk_size = 0;
	int64_t end_addr = 0;
	struct chunk *keep = NULL;
	size_t nkeep = 0;
	uint64_t me_end = e->re; /* me_cleaner passes the absolute end */
	amt_status st = AMT_OK;

	for (uint32_t m = 0; m < n; m++) {
		const uint8_t *h = hdrs + m * hsz;
		char name[17];
		if (!ascii_name(h + 4, 16, name)) {
			st = amt_error_set(e->err, AMT_E_BADMAGIC, "$MME", AMT_NO_OFFSET,
					   "module %u has a name that is not ASCII", m);
			goto out;
		}
		uint64_t offset = amt_rd32(h + 0x38) + e->ftpr_off;
		uint64_t size = amt_rd32(h + 0x40);
		unsigned comp = amt_rd32(h + 0x50) >> 4 & 7;

		if (comp == 0 || comp == 2) {
			if (amt_plan_logf(e->p, " %-16s (%-7s, 0x%06llx - 0x%06llx       ): ", name,
					  comp_str[comp], (unsigned long long)offset,
					  (unsigned long long)(offset + size)) != AMT_OK)
				goto oom;
			bool ess = is_essential2(name);
			e->p->code_before += size;
			if (ess)
				e->p->code_after += size;
			if (ess) {
				if ((int64_t)(offset + size) > end_addr)
					end_addr = (int64_t)(offset + size);
				amt_plan_logf(e->p, "NOT removed, essential\n");
				amt_plan_keep(e->p, name, e->rs + offset, size);
			} else {
				uint64_t end = offset + size < me_end ? offset + size : me_end;
				char why[64];
				snprintf(why, sizeof(why), "FTPR module %s removed", name);
				st = rf_fill(e, offset, end, why);
				if (st != AMT_OK)
					goto out;
				amt_plan_logf(e->p, "removed\n");
			}
			amt_plan_item(e->p, name, "FTPR", true, ess, e->rs + offset, size,
				      ess ? "essential" : "removed");
		} else if (comp == 1) {
			if (amt_plan_logf(e->p, " %-16s (%-7s, ", name, comp_str[comp]) != AMT_OK)
				goto oom;
			if (!chunks) {
				uint8_t hdr[0x40];
				if (!rf_ok(e, offset, 0x40)) {
					st = OOR(e, "LLUT");
					goto out;
				}
				rd(e, e->rs + offset, hdr, 0x40);
				if (memcmp(hdr, "LLUT", 4)) {
					st = amt_error_set(e->err, AMT_E_BADMAGIC, "LLUT", e->rs + offset,
							   "Huffman modules found, but LLUT is not present");
					goto out;
				}
				nchunks = amt_rd32(hdr + 4);
				base = (uint64_t)amt_rd32(hdr + 8) + 0x10000000;
				chunk_size = amt_rd32(hdr + 0x30);
				uint64_t tl = 0x40 + (uint64_t)nchunks * 4;
				if (!rf_ok(e, offset, tl) || e->rs + offset + tl > e->size ||
				    chunk_size == 0) {
					st = amt_error_set(e->err, AMT_E_RANGE, "LLUT", e->rs + offset,
							   "the LLUT (%u chunks of 0x%llx) does not fit the ME region",
							   nchunks, (unsigned long long)chunk_size);
					goto out;
				}
				uint8_t *llut = malloc(tl);
				chunks = calloc(nchunks ? nchunks : 1, sizeof(*chunks));
				keep = calloc(nchunks ? nchunks : 1, sizeof(*keep));
				if (!llut || !chunks || !keep) {
					free(llut);
					goto oom;
				}
				rd(e, e->rs + offset, llut, tl);
				st = chunk_offsets(e, llut, nchunks, chunks);
				free(llut);
				if (st != AMT_OK)
					goto out;
			}
			uint64_t mbase = amt_rd32(h + 0x34), msize = amt_rd32(h + 0x3c);
			if (mbase < base) {
				st = amt_error_set(e->err, AMT_E_RANGE, "$MME", AMT_NO_OFFSET,
						   "module %s lies below the LLUT address base", name);
				goto out;
			}
			uint64_t first = (mbase - base) / chunk_size;
			uint64_t last = first + msize / chunk_size;
			uint64_t huff = 0;
			for (uint64_t c = first; c <= last && c < nchunks; c++)
				huff += chunks[c].end - chunks[c].start;
			char sz[24];
			snprintf(sz, sizeof(sz), "~%llu KiB", kib_round(huff));
			amt_plan_logf(e->p, "fragmented data, %-9s): ", sz);
			bool ess = is_essential2(name);
			if (ess) {
				amt_plan_logf(e->p, "NOT removed, essential\n");
				for (uint64_t c = first; c <= last && c < nchunks; c++)
					if (chunks[c].start != 0) {
						keep[nkeep++] = chunks[c];
						if (nkeep >= nchunks)
							break;
					}
			} else {
				amt_plan_logf(e->p, "removed\n");
			}
			amt_plan_item(e->p, name, "FTPR", true, ess, AMT_NO_OFFSET, huff,
				      ess ? "essential (Huffman)" : "removed (Huffman)");
		} else {
			amt_plan_logf(e->p, " %-16s (%-7s, ", name, "?");
			/* me_cleaner prints this without a newline */
			amt_plan_logf(e->p, "0x%06llx - 0x%06llx): unknown compression, skipping",
				      (unsigned long long)offset, (unsigned long long)(offset + size));
			amt_plan_item(e->p, name, "FTPR", true, true, e->rs + offset, size,
				      "unknown compression, kept");
		}
	}

	if (chunks) {
		for (uint32_t i = 0; i < nchunks; i++) {
			struct chunk c = chunks[i];
			bool removable = true;
			if (c.end > c.start)
				e->p->code_before += c.end - c.start;
			for (size_t k = 0; k < nkeep; k++) {
				struct chunk u = keep[k];
				if ((u.start <= c.start && c.start < u.end) ||
				    (u.start < c.end && c.end <= u.end)) {
					removable = false;
					break;
				}
			}
			if (!removable && c.end > c.start)
				e->p->code_after += c.end - c.start;
			if (removable && c.end > c.start) {
				uint64_t end = c.end < me_end ? c.end : me_end;
				st = rf_fill(e, c.start, end, "Huffman chunk of removed FTPR modules");
				if (st != AMT_OK)
					goto out;
			}
		}
		if (!nkeep && e->compat) {
			st = amt_error_set(e->err, AMT_E_REFUSED, "LLUT", AMT_NO_OFFSET,
					   "ROMP and BUP have no Huffman chunk: me_cleaner 1.2 crashes "
					   "here (max() of an empty list); use amtless neutralize");
			goto out;
		}
		uint64_t mx = 0;
		for (size_t k = 0; k < nkeep; k++) {
			if (keep[k].end > mx)
				mx = keep[k].end;
			amt_plan_keep(e->p, "Huffman chunk", e->rs + keep[k].start,
				      keep[k].end - keep[k].start);
		}
		if ((int64_t)mx > end_addr)
			end_addr = (int64_t)mx;
	}
	*end_out = end_addr;
out:
	free(chunks);
	free(keep);
	return st;
oom:
	st = nomem(e);
	goto out;
}

/* me_cleaner relocate_partition; returns the new offset. */
static amt_status relocate(struct eng *e, const uint8_t *hdrs, uint32_t n, size_t hsz,
			   uint64_t *new_off_io)
{
	uint8_t ent[0x10];
	char name[5];
	uint64_t new_offset = *new_off_io;

	if (!rf_ok(e, 0x30, 0x10))
		return OOR(e, "FPT entry");
	rd(e, e->rs + 0x30, ent, 0x10);
	if (!ascii_name(ent, 4, name))
		return amt_error_set(e->err, AMT_E_REFUSED, "$FPT", e->rs + 0x30,
				     "no partition entry is left at the start of the $FPT to relocate "
				     "(me_cleaner crashes here: UnicodeDecodeError)");
	uint64_t old = amt_rd32(ent + 8), psize = amt_rd32(ent + 12);
	uint64_t llut = 0;
	for (uint32_t m = 0; m < n; m++) {
		const uint8_t *h = hdrs + m * hsz;
		if ((amt_rd32(h + 0x50) >> 4 & 7) == 1) {
			llut = amt_rd32(h + 0x38) + old;
			break;
		}
	}
	uint64_t corr = 0;
	if (n && llut) {
		uint8_t b[2];
		if (!rf_ok(e, llut + 9, 2))
			return OOR(e, "LLUT");
		rd(e, e->rs + llut + 9, b, 2);
		corr = amt_rd16(b);
		int64_t need = (int64_t)corr - (int64_t)llut - 0x40 + (int64_t)old;
		if (need > (int64_t)new_offset)
			new_offset = (uint64_t)need;
		new_offset = (new_offset + 0x1f) / 0x20 * 0x20;
	}
	int64_t diff = (int64_t)new_offset - (int64_t)old;
	LOG("Relocating %s from 0x%llx - 0x%llx to 0x%llx - 0x%llx...\n", name,
	    (unsigned long long)old, (unsigned long long)(old + psize),
	    (unsigned long long)new_offset, (unsigned long long)(new_offset + psize));
	LOG(" Adjusting FPT entry...\n");
	TRY(wr32(e, e->rs + 0x38, (uint32_t)new_offset, "relocation: FTPR offset in the $FPT entry"));

	if (n) {
		if (llut) {
			uint8_t hdr[0x40];
			if (!rf_ok(e, llut, 0x40))
				return OOR(e, "LLUT");
			rd(e, e->rs + llut, hdr, 0x40);
			if (memcmp(hdr, "LLUT", 4))
				return amt_error_set(e->err, AMT_E_BADMAGIC, "LLUT", e->rs + llut,
						     "Huffman modules present but no LLUT found!");
			LOG(" Adjusting LUT start offset...\n");
			int64_t lut = (int64_t)llut + diff + 0x40 - (int64_t)corr;
			TRY(wr32(e, e->rs + llut + 0x0c, (uint32_t)lut, "relocation: LLUT SPI base"));
			LOG(" Adjusting Huffman start offset...\n");
			uint32_t hs = amt_rd32(hdr + 0x14);
			TRY(wr32(e, e->rs + llut + 0x14, (uint32_t)((int64_t)hs + diff),
				 "relocation: Huffman stream start"));
			LOG(" Adjusting chunks offsets...\n");
			uint32_t cnt = amt_rd32(hdr + 4);
			uint64_t tl = (uint64_t)cnt * 4;
			if (!rf_ok(e, llut + 0x40, tl))
				return OOR(e, "LLUT chunks");
			uint8_t *c = malloc(tl ? tl : 1);
			if (!c)
				return nomem(e);
			rd(e, e->rs + llut + 0x40, c, tl);
			for (uint64_t i = 0; i < tl; i += 4) {
				if (c[i + 3] == 0x80)
					continue;
				int64_t v = (int64_t)(c[i] | c[i + 1] << 8 | (uint32_t)c[i + 2] << 16) + diff;
				if (v < 0) {
					free(c);
					return amt_error_set(e->err, AMT_E_RANGE, "LLUT", e->rs + llut + 0x40 + i,
							     "a chunk offset would become negative");
				}
				c[i] = (uint8_t)v;
				c[i + 1] = (uint8_t)(v >> 8);
				c[i + 2] = (uint8_t)(v >> 16);
			}
			amt_status st = wr(e, e->rs + llut + 0x40, c, tl, "relocation: Huffman chunk offsets");
			free(c);
			if (st != AMT_OK)
				return st;
		} else {
			LOG(" No Huffman modules found\n");
		}
	}
	LOG(" Moving data...\n");
	uint64_t me_end = e->re;
	if (me_end - old < psize)
		psize = me_end - old;
	if (e->rs + old + psize > e->re || e->rs + new_offset + psize > e->re ||
	    e->rs + old + psize > e->size)
		return amt_error_set(e->err, AMT_E_RANGE, "FTPR", e->rs + old,
				     "the relocated FTPR would lie outside the ME region");
	if (new_offset > old && new_offset - old < psize)
		return amt_error_set(e->err, AMT_E_REFUSED, "FTPR", e->rs + old,
				     "relocation would move FTPR up over itself (0x%llx -> 0x%llx)",
				     (unsigned long long)old, (unsigned long long)new_offset);
	if (amt_plan_move(e->p, e->rs + old, e->rs + new_offset, psize, 0xff,
			  "relocation: FTPR moved to the start of the ME region") != AMT_OK)
		return nomem(e);
	for (size_t i = 0; i < e->p->nkept; i++) {
		struct amt_kept_range *k = &e->p->kept[i];
		if (k->src >= e->rs + old && k->src + k->length <= e->rs + old + psize)
			k->dst = k->src - (e->rs + old) + e->rs + new_offset;
	}
	*new_off_io = new_offset;
	return AMT_OK;
}

static amt_status modules_gen2(struct eng *e, int64_t *end_out, uint64_t *off_io)
{
	uint64_t offset = *off_io;
	uint8_t data[0x84];

	if (!rf_ok(e, offset + 0x20, 4) || !rf_ok(e, offset + 0x290, 0x84))
		return OOR(e, "FTPR module table");
	uint32_t n = rd32a(e, e->rs + offset + 0x20);
	rd(e, e->rs + offset + 0x290, data, sizeof(data));
	size_t hsz = 0;
	if (!memcmp(data, "$MME", 4)) {
		if (!memcmp(data + 0x60, "$MME", 4) || n == 1)
			hsz = 0x60;
		else if (!memcmp(data + 0x80, "$MME", 4))
			hsz = 0x80;
	}
	*end_out = -1;
	if (!hsz) {
		LOG("Can't find the module header size; skipping modules removal\n");
		return AMT_OK;
	}
	uint64_t tl = (uint64_t)n * hsz;
	if (!rf_ok(e, offset + 0x290, tl) || e->rs + offset + 0x290 + tl > e->size)
		return OOR(e, "FTPR module headers");
	uint8_t *h = malloc(tl ? tl : 1);
	if (!h)
		return nomem(e);
	rd(e, e->rs + offset + 0x290, h, tl);
	bool all = true;
	for (uint32_t i = 0; i < n; i++)
		if (memcmp(h + i * hsz, "$MME", 4))
			all = false;
	amt_status st = AMT_OK;
	if (!all) {
		LOG("Found less modules than expected in the FTPR partition; skipping modules removal\n");
		free(h);
		return AMT_OK;
	}
	int64_t end_addr = -1;
	if (e->o->keep_modules) {
		end_addr = (int64_t)(offset + e->ftpr_len);
		amt_plan_keep(e->p, "FTPR", e->rs + offset, e->ftpr_len);
	} else {
		/* the manifest and the module table are never touched */
		amt_plan_keep(e->p, "FTPR manifest", e->rs + offset, 0x290 + tl);
		st = remove_modules2(e, h, n, hsz, &end_addr);
	}
	if (st == AMT_OK && e->o->relocate) {
		uint64_t nw = MIN_FTPR_OFFSET;
		st = relocate(e, h, n, hsz, &nw);
		if (st == AMT_OK) {
			end_addr += (int64_t)nw - (int64_t)offset;
			offset = nw;
		}
	}
	free(h);
	*end_out = end_addr;
	*off_io = offset;
	return st;
}

/* ------------------------------------------------------------------ */
/* gen 3 modules                                                      */

struct cpdmod {
	char name[13];
	uint64_t off;
	unsigned comp;
};

static int cmp_mod(const void *a, const void *b)
{
	const struct cpdmod *x = a, *y = b;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return 0;
}

static bool is_essential3(const char *name)
{
	static const char *const keep[] = { "rbe", "kernel", "syslib", "bup" };
	for (size_t i = 0; i < 4; i++)
		if (!strncmp(name, keep[i], strlen(keep[i])))
			return true;
	return false;
}

static amt_status modules_gen3(struct eng *e, int64_t *end_out, uint64_t *off_io)
{
	static const char *const comp_str[] = { "LZMA/uncomp.", "Huffman" };
	uint64_t po = *off_io, plen = e->ftpr_len;
	int64_t end_data = 0;

	if (e->o->keep_modules) {
		end_data = (int64_t)(po + plen);
		/* me_cleaner mode: what FTPR's $CPD uses (kept_extent()) */
		amt_plan_keep(e->p, "FTPR", e->rs + po,
			      e->compat && e->ftpr_content ? e->ftpr_content : plen);
	} else {
		if (!rf_ok(e, po + 4, 4))
			return OOR(e, "$CPD");
		uint32_t n = rd32a(e, e->rs + po + 4);
		uint64_t dir_end = po + 0x10 + (uint64_t)n * 0x18;
		if (!rf_ok(e, po + 0x10, (uint64_t)n * 0x18) || e->rs + dir_end > e->size)
			return OOR(e, "$CPD entries");
		struct cpdmod *m = calloc((size_t)n + 1, sizeof(*m));
		if (!m)
			return nomem(e);
		/* stable order: "end" first, then the entries (Python's sort is stable) */
		snprintf(m[0].name, sizeof(m[0].name), "end");
		m[0].off = plen;
		for (uint32_t i = 0; i < n; i++) {
			uint8_t ent[0x18];
			rd(e, e->rs + po + 0x10 + (uint64_t)i * 0x18, ent, 0x18);
			if (!ascii_name(ent, 12, m[i + 1].name)) {
				free(m);
				return amt_error_set(e->err, AMT_E_BADMAGIC, "$CPD FTPR", AMT_NO_OFFSET,
						     "a $CPD entry name is not ASCII");
			}
			uint32_t ob = amt_rd32(ent + 12);
			m[i + 1].off = ob & 0x01ffffff;
			m[i + 1].comp = (ob & 0x02000000) >> 25;
		}
		/* insertion sort: stable */
		for (uint32_t i = 1; i <= n; i++) {
			struct cpdmod t = m[i];
			uint32_t j = i;
			while (j > 0 && cmp_mod(&m[j - 1], &t) > 0) {
				m[j] = m[j - 1];
				j--;
			}
			m[j] = t;
		}
		amt_plan_keep(e->p, "$CPD FTPR", e->rs + po, dir_end - po);
		for (uint32_t i = 0; i < n; i++) {
			const char *name = m[i].name;
			uint64_t off = po + m[i].off, end = po + m[i + 1].off;
			size_t nl = strlen(name);
			bool man = nl >= 4 && !strcmp(name + nl - 4, ".man");
			bool met = nl >= 4 && !strcmp(name + nl - 4, ".met");
			const char *comp = man || met ? "uncompressed" : comp_str[m[i].comp];
			LOG(" %-12s (%-12s, 0x%06llx - 0x%06llx): ", name, comp,
			    (unsigned long long)off, (unsigned long long)end);
			bool removed = false;
			const char *why;
			if (man) {
				why = "NOT removed, partition manif.";
			} else if (met) {
				why = "NOT removed, module metadata";
			} else if (is_essential3(name)) {
				why = "NOT removed, essential";
			} else if (off < dir_end && end > off) {
				/* me_cleaner erases the $CPD directory here (TXE 3/4:
				 * entries with offset 0); we keep it */
				why = "NOT removed, its range overlaps the $CPD directory";
			} else {
				removed = true;
				why = "removed";
				char w[64];
				snprintf(w, sizeof(w), "FTPR module %s removed", name);
				amt_status st = rf_fill(e, off, end < e->re ? end : e->re, w);
				if (st != AMT_OK) {
					free(m);
					return st;
				}
			}
			LOG("%s\n", why);
			if (!man && !met && end > off) {
				e->p->code_before += end - off;
				if (!removed)
					e->p->code_after += end - off;
			}
			amt_plan_item(e->p, name, "FTPR", true, !removed, e->rs + off, end - off,
				      removed ? "removed" : why + (why[0] == 'N' ? 13 : 0));
			if (!removed) {
				if ((int64_t)end > end_data)
					end_data = (int64_t)end;
				if (off >= dir_end)
					amt_plan_keep(e->p, name, e->rs + off, end - off);
			}
		}
		free(m);
	}
	if (e->o->relocate) {
		uint64_t nw = MIN_FTPR_OFFSET;
		TRY(relocate(e, NULL, 0, 0, &nw));
		end_data += (int64_t)nw - (int64_t)po;
		po = nw;
	}
	*end_out = end_data;
	*off_io = po;
	return AMT_OK;
}

/* ------------------------------------------------------------------ */
/* disable bit                                                        */

static amt_status set_bit(struct eng *e, uint64_t off, uint32_t mask, const char *what)
{
	if (off + 4 > e->fd_end || off < e->fd_start)
		return amt_error_set(e->err, AMT_E_RANGE, "descriptor", off,
				     "%s lies outside the descriptor region", what);
	if (!amt_in(e->size, off, 4))
		return amt_error_set(e->err, AMT_E_RANGE, "descriptor", off,
				     "%s lies outside the file", what);
	struct amt_plan *p = e->p;
	if (p->ndisable < 2) {
		p->disable_off[p->ndisable] = off;
		p->disable_mask[p->ndisable] = mask;
		p->ndisable++;
	}
	uint32_t v = rd32a(e, off);
	if (v & mask)
		return AMT_OK;
	char why[80];
	snprintf(why, sizeof(why), "set %s", what);
	return wr32(e, off, v | mask, why);
}

/* native: the disable bit the platform code located. */
static amt_status native_disable_loc(struct eng *e, uint64_t *off, uint32_t *mask)
{
	const struct amt_image *img = e->img;
	if (!img || !img->has_ifd)
		return amt_error_set(e->err, AMT_E_PLATFORM, "descriptor", AMT_NO_OFFSET,
				     "no parsed flash descriptor: cannot locate the disable bit");
	const struct amt_disable_bit *db = &img->ifd.disable;
	if (!db->located || db->nloc < 1)
		return amt_error_set(e->err, AMT_E_PLATFORM, "descriptor", AMT_NO_OFFSET,
				     "the disable bit cannot be located on this platform (%s): %s; "
				     "name the platform with --platform if you know it",
				     img->ifd.platform.name ? img->ifd.platform.name : "unknown",
				     db->note[0] ? db->note : "platform not recognised");
	const struct amt_strap_bit *sb = &db->loc[0];
	uint64_t byte = sb->file_offset;
	unsigned bit = sb->byte_bit + 8 * (unsigned)(byte & 3);
	*off = byte & ~(uint64_t)3;
	*mask = 1u << bit;
	snprintf(e->p->disable_what, sizeof(e->p->disable_what), "%s (%s bit %u)",
		 amt_disable_kind_str(db->kind), sb->strap, sb->bit);
	return AMT_OK;
}

/* native: shrink the ME region in the descriptor to ea bytes and give
 * the space to the region that starts right after it. */
static amt_status shrink_region(struct eng *e, uint64_t ea)
{
	const struct amt_image *img = e->img;
	if (!img || !img->has_ifd)
		return amt_error_set(e->err, AMT_E_REFUSED, "descriptor", AMT_NO_OFFSET,
				     "no parsed descriptor: cannot shrink the ME region");
	const struct amt_ifd *ifd = &img->ifd;
	int next = -1;
	for (unsigned r = 0; r < ifd->nregions && r < AMT_IFD_MAX_REGIONS; r++)
		if (r != AMT_RGN_ME && ifd->region[r].used &&
		    ifd->offset + ifd->region[r].base == e->re)
			next = (int)r;
	if (next < 0)
		return amt_error_set(e->err, AMT_E_REFUSED, "descriptor", AMT_NO_OFFSET,
				     "no region starts right after the ME region (0x%llx): the ME "
				     "region cannot be shrunk", (unsigned long long)e->re);
	uint64_t new_end = e->rs + ea;
	if (new_end >= e->re)
		return AMT_OK;
	uint64_t fl = e->frba + 4u * (unsigned)next;
	const struct amt_ifd_region *nr = &ifd->region[next];
	TRY(rf_fill(e, ea, e->re - e->rs, "ME region: space given to the next region"));
	e->p->nshrink = 2;
	e->p->shrink_off[0] = e->frba + 8;
	e->p->shrink_old[0] = rd32a(e, e->frba + 8);
	e->p->shrink_off[1] = fl;
	e->p->shrink_old[1] = rd32a(e, fl);
	TRY(wr32(e, e->frba + 8, flreg_make(e->rs, new_end), "FLREG2: ME region shrunk"));
	char w[64];
	snprintf(w, sizeof(w), "FLREG%d: %s region grows down to the new ME end", next,
		 amt_region_name((unsigned)next));
	TRY(wr32(e, fl, flreg_make(new_end, ifd->offset + nr->limit + 1), w));
	amt_plan_notef(e->p, "ME region 0x%llx-0x%llx -> 0x%llx-0x%llx; %s region now starts at 0x%llx",
		       (unsigned long long)e->rs, (unsigned long long)(e->re - 1),
		       (unsigned long long)e->rs, (unsigned long long)(new_end - 1),
		       amt_region_name((unsigned)next), (unsigned long long)new_end);
	return AMT_OK;
}

/* ------------------------------------------------------------------ */
/* partitions                                                         */

/* FPT 2.1 (CRC-32 at +0x14): version 0x21, or 0x20 with a 0x20-byte
 * header whose +0x16 half is neither 0 nor 0xffff (MEA get_fpt, "FIT
 * bug"; same rule as lib/fw/fpt.c). */
static bool fpt_v21(struct eng *e)
{
	uint8_t h[0x20];
	rd(e, e->rs + e->fpt, h, sizeof(h));
	if (h[8] == 0x21)
		return true;
	uint16_t hi = amt_rd16(h + 0x16);
	return h[8] == 0x20 && h[0x0A] <= 0x20 && hi != 0 && hi != 0xFFFF;
}

static amt_status fix_fpt_checksum(struct eng *e)
{
	struct amt_plan *p = e->p;
	if (!e->compat && fpt_v21(e)) {
		/* FPT 2.1: CRC-32 at +0x14 over the header (field zeroed) and
		 * the entries (MEA FPT_Header_21; anchors.md B4) */
		uint32_t cnt = rd32a(e, e->rs + e->fpt + 4);
		uint64_t n = 0x20 + (uint64_t)cnt * 0x20;
		uint8_t *b = malloc(n);
		if (!b)
			return nomem(e);
		rd(e, e->rs + e->fpt, b, n);
		memset(b + 0x14, 0, 4);
		b[8] = 0x21; /* MEA computes with the 2.1 version byte */
		uint32_t crc = amt_crc32(b, n);
		free(b);
		return wr32(e, e->rs + e->fpt + 0x14, crc, "$FPT CRC-32 (FPT 2.1)");
	}
	uint8_t h[0x30];
	uint8_t sum = 0;
	if (e->gen == 3) {
		rd(e, e->rs + 0x10, h, 0x20);
		h[0x0b] = 0;
		for (int i = 0; i < 0x20; i++)
			sum = (uint8_t)(sum + h[i]);
	} else {
		rd(e, e->rs, h, 0x30);
		h[0x1b] = 0;
		for (int i = 0; i < 0x30; i++)
			sum = (uint8_t)(sum + h[i]);
	}
	uint8_t ck = (uint8_t)(0x100 - sum);
	LOG("Correcting checksum (0x%02x)...\n", ck);
	(void)p;
	return wr(e, e->rs + 0x1b, &ck, 1, "$FPT checksum-8");
}

/* Is partition entry q kept (FTPR, whitelisted, not blacklisted)? */
static bool part_kept(struct eng *e, const uint8_t *q)
{
	const struct amt_neutralize_opts *o = e->o;
	char name[5];
	if (!ascii_name(q, 4, name))
		snprintf(name, sizeof(name), "????");
	uint64_t start = amt_rd32(q + 8), len = amt_rd32(q + 12);
	if ((amt_rd32(q + 0x1c) & 0x7f) == 2 || start == 0 || len == 0 || start + len > e->re)
		return false;
	if (!strcmp(name, "FTPR"))
		return true;
	if (o->blacklist_given)
		return !in_list((char(*)[5])o->blacklist, o->nblacklist, name);
	return in_list((char(*)[5])o->whitelist, o->nwhitelist, name);
}

/*
 * The bytes [*ks, *ke) (region-relative) a removal must not touch for the
 * kept partition entry q. Natively: its whole FPT range. In me_cleaner
 * mode, for a generation 3 FTPR: only what its $CPD uses (directory,
 * manifest, metadata, modules). ME 11.8 (x210 corpus image): the FPT gives
 * FTPR 0x1000-0xa8000 while DLMP (0xa6000-0xa9000) starts inside it; FTPR's
 * $CPD ends near 0xa4600, so me_cleaner's erasing of DLMP damages nothing
 * of FTPR and -k must give its bytes.
 */
static void kept_extent(struct eng *e, const uint8_t *q, uint64_t *ks, uint64_t *ke)
{
	*ks = amt_rd32(q + 8);
	*ke = *ks + amt_rd32(q + 12);
	if (e->compat && e->gen == 3 && e->ftpr_content && !memcmp(q, "FTPR", 4) &&
	    *ks == e->ftpr_off)
		*ke = *ks + e->ftpr_content;
}

/* Fill a removed partition, but never the bytes of a kept partition that
 * overlaps it (ME 11 DLMP overlaps the start of MFS: me_cleaner erases
 * them, which breaks -w MFS). */
static amt_status fill_clipped(struct eng *e, uint64_t start, uint64_t end, const char *why)
{
	uint64_t s = start;
	while (s < end) {
		uint64_t t = end;
		bool skip = false;
		for (uint32_t i = 0; i < e->entries; i++) {
			const uint8_t *q = e->parts + (size_t)i * 0x20;
			if (!part_kept(e, q))
				continue;
			uint64_t ks, ke;
			kept_extent(e, q, &ks, &ke);
			if (ks <= s && s < ke) {
				skip = true;
				t = ke < end ? ke : end;
				break;
			}
			if (ks > s && ks < t)
				t = ks;
		}
		if (!skip) {
			if (t < end && !e->compat_note_done) {
				e->compat_note_done = true;
				amt_plan_notef(e->p, "%s overlaps a kept partition: the overlapping bytes are kept "
					       "(me_cleaner 1.2 erases them)", why);
			}
			TRY(rf_fill(e, s, t, why));
		}
		s = t;
	}
	return AMT_OK;
}

static amt_status remove_partitions_and_modules(struct eng *e)
{
	const struct amt_neutralize_opts *o = e->o;
	struct amt_plan *p = e->p;
	bool black = o->blacklist_given;
	uint64_t me_end = e->re;   /* me_cleaner compares relative ends with it */

	LOG("Reading partitions list...\n");
	uint8_t *kept = malloc((size_t)e->entries * 0x20 + 1);
	if (!kept)
		return nomem(e);
	size_t nkept = 0;
	bool ftpr_kept = false;
	for (uint32_t i = 0; i < e->entries; i++) {
		const uint8_t *q = e->parts + (size_t)i * 0x20;
		uint32_t flags = amt_rd32(q + 0x1c);
		char name[5];
		if (!ascii_name(q, 4, name))
			snprintf(name, sizeof(name), "????");
		uint64_t start = amt_rd32(q + 8), len = amt_rd32(q + 12);
		if (!strcmp(e->variant, "ME") && e->ver[0] == 6 && i == e->entries - 1 &&
		    len == 0xffffffffu)
			len = e->re - e->rs - start;
		uint64_t end = start + len;
		if ((flags & 0x7f) == 2) {
			if (amt_plan_logf(p, " %-4s (%-24s, 0x%08llx total bytes): nothing to remove\n",
					  name, "NVRAM partition, no data", (unsigned long long)len))
				goto oom;
			amt_plan_item(p, name, NULL, false, false, AMT_NO_OFFSET, len, "NVRAM, no data");
		} else if (start == 0 || len == 0 || end > me_end) {
			if (amt_plan_logf(p, " %-4s (%-24s, 0x%08llx total bytes): nothing to remove\n",
					  name, "      no data here      ", (unsigned long long)len))
				goto oom;
			if (!strcmp(name, "FTPR")) {
				free(kept);
				return amt_error_set(e->err, AMT_E_REFUSED, "FTPR", e->rs + start,
						     "the FTPR partition (0x%llx-0x%llx) does not lie inside "
						     "the 0x%llx-byte ME region: the image was truncated "
						     "(already cleaned?); me_cleaner would drop FTPR from the "
						     "$FPT and leave an image that cannot boot",
						     (unsigned long long)start, (unsigned long long)end,
						     (unsigned long long)(e->re - e->rs));
			}
			amt_plan_item(p, name, NULL, false, false, AMT_NO_OFFSET, len, "no data");
		} else {
			if (amt_plan_logf(p, " %-4s (0x%08llx - 0x%09llx, 0x%08llx total bytes): ", name,
					  (unsigned long long)start, (unsigned long long)end,
					  (unsigned long long)len))
				goto oom;
			bool keep = !strcmp(name, "FTPR") ||
				    (!black && in_list((char(*)[5])o->whitelist, o->nwhitelist, name)) ||
				    (black && !in_list((char(*)[5])o->blacklist, o->nblacklist, name));
			if (keep) {
				memcpy(kept + nkept * 0x20, q, 0x20);
				nkept++;
				if (strcmp(name, "FTPR")) {
					if (end > e->extra_part_end)
						e->extra_part_end = end;
					amt_plan_keep(p, name, e->rs + start,
						      e->rs + end <= e->size ? len : 0);
				} else {
					ftpr_kept = true;
				}
				LOG("NOT removed\n");
			} else {
				char w[48];
				snprintf(w, sizeof(w), "partition %s removed", name);
				amt_status st = fill_clipped(e, start, end, w);
				if (st != AMT_OK) {
					free(kept);
					return st;
				}
				LOG("removed\n");
			}
			amt_plan_item(p, name, NULL, false, keep, e->rs + start, len,
				      keep ? (strcmp(name, "FTPR") ? "whitelisted" : "essential") : "removed");
		}
	}
	if (!ftpr_kept) {
		free(kept);
		return amt_error_set(e->err, AMT_E_REFUSED, "$FPT", e->rs + e->fpt,
				     "no FTPR partition with data was found in the $FPT");
	}
	LOG("Removing partition entries in FPT...\n");
	amt_status st = AMT_OK;
	if (nkept)
		st = wr(e, e->rs + 0x30, kept, nkept * 0x20, "$FPT: entries of the kept partitions");
	free(kept);
	TRY(st);
	TRY(wr32(e, e->rs + 0x14, (uint32_t)nkept, "$FPT: partition count"));
	TRY(rf_fill(e, 0x30 + nkept * 0x20, 0x30 + (uint64_t)e->entries * 0x20,
		    "$FPT: entries of removed partitions"));
	bool effs_white = in_list((char(*)[5])o->whitelist, o->nwhitelist, "EFFS");
	bool effs_black = in_list((char(*)[5])o->blacklist, o->nblacklist, "EFFS");
	if ((!black && !effs_white) || (black && effs_black)) {
		if (!e->compat && fpt_v21(e)) {
			/* FPT 2.1 has its CRC-32 at +0x14: no EFFS flag to clear */
		} else {
			LOG("Removing EFFS presence flag...\n");
			uint32_t fl = rd32a(e, e->rs + 0x24);
			TRY(wr32(e, e->rs + 0x24, fl & ~1u, "$FPT flags: EFFS presence bit cleared"));
		}
	}
	TRY(fix_fpt_checksum(e));

	LOG("Reading FTPR modules list...\n");
	uint64_t off = e->ftpr_off;
	int64_t end_addr = -1;
	if (e->gen == 3)
		TRY(modules_gen3(e, &end_addr, &off));
	else
		TRY(modules_gen2(e, &end_addr, &off));
	e->ftpr_off = off;
	p->ftpr_manifest = e->rs + e->ftpr_off + e->mn2;
	e->end_addr = end_addr;
	if (end_addr > 0) {
		uint64_t ea = (uint64_t)end_addr;
		if (e->extra_part_end > ea)
			ea = e->extra_part_end;
		ea = (ea / 0x1000 + 1) * 0x1000;
		ea += SPARED_BLOCKS * 0x1000;
		e->end_addr = (int64_t)ea;
		p->min_me_size = ea;
		LOG("The ME minimum size should be %llu bytes (0x%llx bytes)\n",
		    (unsigned long long)ea, (unsigned long long)ea);
		if (e->rs > 0) {
			LOG("The ME region can be reduced up to:\n %08llx:%08llx me\n",
			    (unsigned long long)e->rs, (unsigned long long)(e->rs + ea - 1));
			if (o->shrink_region && !e->compat)
				TRY(shrink_region(e, ea));
		} else if (o->truncate) {
			LOG("Truncating file at 0x%llx...\n", (unsigned long long)ea);
			if (amt_plan_resize(p, ea, "truncate the ME region after what is kept") != AMT_OK)
				return nomem(e);
		}
	} else if (o->truncate && !e->compat) {
		return amt_error_set(e->err, AMT_E_REFUSED, "FTPR", AMT_NO_OFFSET,
				     "the end of the kept data is unknown: cannot truncate");
	}
	return AMT_OK;
oom:
	free(kept);
	return nomem(e);
}

/* ------------------------------------------------------------------ */

static amt_status run(struct eng *e)
{
	const struct amt_neutralize_opts *o = e->o;
	struct amt_plan *p = e->p;
	bool check = o->check_only;

	if (!e->compat && e->img) {
		const struct amt_image *img = e->img;
		amt_layout l = img->has_fw ? img->fw.layout : AMT_LAYOUT_NONE;
		if (l == AMT_LAYOUT_IFWI16 || l == AMT_LAYOUT_IFWI17 || l == AMT_LAYOUT_BPDT)
			return amt_neutralize_plan_cse(e->d, e->size, img, o, p, e->err);
		if (img->kind == AMT_KIND_DESCRIPTOR_ONLY && img->has_ifd &&
		    img->ifd.nregions > AMT_RGN_ME && img->ifd.region[AMT_RGN_ME].used)
			return amt_error_set(e->err, AMT_E_UNKNOWN, "descriptor", AMT_NO_OFFSET,
					     "this %zu-byte file holds a flash descriptor whose ME region "
					     "(0x%llx-0x%llx) is not in the file: use the full flash image",
					     e->size, (unsigned long long)img->ifd.region[AMT_RGN_ME].base,
					     (unsigned long long)img->ifd.region[AMT_RGN_ME].limit);
	}
	TRY(detect(e));
	TRY(find_ftpr(e));

	if (e->gen == 1 && !e->full && e->region_on && !check)
		return amt_error_set(e->err, AMT_E_REFUSED, "ME region", 0,
				     "generation 1 firmware (ME %u.%u) is neutralized through the flash "
				     "descriptor (MeDisable straps, ME region disabled, region wiped): "
				     "run on the full flash image; this bare region is left unchanged "
				     "(me_cleaner 1.2 exits 0 here without changing anything)",
				     e->ver[0], e->ver[1]);
	if (!e->compat && e->region_on && e->gen == 3 && e->ver[0] >= 12)
		return amt_neutralize_plan_cse(e->d, e->size, e->img, o, p, e->err);
	if (e->region_on && e->gen != 1 && e->fpt != 0x10 && !check && !o->disable_bit_only)
		return amt_error_set(e->err, AMT_E_REFUSED, "$FPT", e->rs + e->fpt,
				     "the $FPT is at the start of the region (no ROM bypass): the "
				     "entry rewrite of me_cleaner assumes it at +0x10");
	if (!e->region_on && e->gen != 1 && !check)
		return amt_error_set(e->err, AMT_E_UNSUPPORTED, "descriptor", e->frba + 8,
				     "the ME region is disabled in the descriptor and holds no "
				     "firmware (TXE 3/4 keep theirs in the BIOS region as IFWI); "
				     "not supported (me_cleaner 1.2 crashes here)");
	if (e->full && !e->compat && e->img && e->img->has_ifd && e->img->ifd.fdv.present &&
	    !o->allow_signed_descriptor && !check &&
	    (o->set_disable_bit || o->disable_bit_only || o->fix_master || o->shrink_region ||
	     e->gen == 1))
		return amt_error_set(e->err, AMT_E_REFUSED, "descriptor", e->img->ifd.fdv.manifest_offset,
				     "the flash descriptor is signed (FDV manifest): editing it may "
				     "stop the platform from booting; --allow-signed-descriptor to go on");

	p->ftpr_manifest = e->region_on ? e->rs + e->ftpr_off + e->mn2 : AMT_NO_OFFSET;
	e->end_addr = e->gen == 1 ? 0 : (int64_t)e->re;

	/* descriptor: disable bits, gen 1 wipe */
	uint64_t dis_off = 0;
	uint32_t dis_mask = 0;
	if (e->full && e->rs > 0) {
		if (e->gen == 1) {
			p->disable_known = true;
			snprintf(p->disable_what, sizeof(p->disable_what), "MeDisable (ICHSTRP0/MCHSTRP0 bit 0)");
			const uint32_t bas[2] = { e->fisba, e->fmsba };
			const char *names[2] = { "ICHSTRP0", "MCHSTRP0" };
			bool all = true;
			for (int i = 0; i < 2; i++) {
				uint32_t v = rd32a(e, bas[i]);
				if (!(v & 1))
					all = false;
			}
			p->disable_before = all ? AMT_YES : AMT_NO;
			for (int i = 0; i < 2; i++) {
				uint32_t v = rd32a(e, bas[i]);
				LOG("The meDisable bit in %s is ", names[i]);
				if (v & 1) {
					LOG("SET\n");
				} else if (check) {
					LOG("NOT SET\n");
				} else {
					LOG("NOT SET, setting it now...\n");
				}
				if (!check) {
					char w[40];
					snprintf(w, sizeof(w), "MeDisable bit 0 of %s", names[i]);
					TRY(set_bit(e, bas[i], 1, w));
				}
			}
			if (!check)
				p->disable_after = AMT_YES;
			if (e->region_on && !check) {
				LOG("Disabling the ME region...\n");
				TRY(wr32(e, e->frba + 8, 0x1fff, "FLREG2: disable the ME region (gen 1)"));
				LOG("Wiping the ME region...\n");
				uint64_t t = e->re < e->size ? e->re : e->size;
				if (amt_plan_fill(p, e->rs, t - e->rs, 0xff, "wipe the ME region (gen 1)") != AMT_OK)
					return nomem(e);
				p->gen1_wiped = true;
				p->ftpr_manifest = AMT_NO_OFFSET;
			}
		} else {
			if (e->compat) {
				dis_off = e->gen == 2 ? e->fpsba + 0x28 : e->fpsba;
				dis_mask = e->gen == 2 ? 1u << 7 : 1u << 16;
				snprintf(p->disable_what, sizeof(p->disable_what), "%s",
					 e->gen == 2 ? "AltMeDisable (PCHSTRP10 bit 7)" :
						       "HAP (PCHSTRP0 bit 16)");
			} else {
				amt_status st = native_disable_loc(e, &dis_off, &dis_mask);
				if (st != AMT_OK && (o->set_disable_bit || o->disable_bit_only))
					return st;
				if (st != AMT_OK)
					dis_off = 0;
			}
			if (dis_off) {
				p->disable_known = true;
				uint32_t v = rd32a(e, dis_off);
				p->disable_before = v & dis_mask ? AMT_YES : AMT_NO;
				p->disable_after = p->disable_before;
			}
			if (e->gen == 2)
				LOG("The AltMeDisable bit is %s\n",
				    rd32a(e, e->fpsba + 0x28) & 1u << 7 ? "SET" : "NOT SET");
			else
				LOG("The HAP bit is %s\n", rd32a(e, e->fpsba) & 1u << 16 ? "SET" : "NOT SET");
		}
	}

	/* ME 6 Ignition: wipe everything */
	if (e->gen == 2 && !check && !o->disable_bit_only && !strcmp(e->variant, "ME") &&
	    e->ver[0] == 6) {
		uint32_t nm = rd32a(e, e->rs + e->ftpr_off + 0x20);
		uint64_t so = e->ftpr_off + 0x290 + ((uint64_t)nm + 1) * 0x60;
		uint8_t sku[12];
		if (rf_ok(e, so, 12) && e->rs + so + 12 <= e->size) {
			rd(e, e->rs + so, sku, 12);
			if (!memcmp(sku, "$SKU", 4) && !memcmp(sku + 8, "\0\0\0\0", 4)) {
				LOG("ME 6 Ignition firmware detected, removing everything...\n");
				uint64_t t = e->re < e->size ? e->re : e->size;
				if (amt_plan_fill(p, e->rs, t - e->rs, 0xff,
						  "ME 6 Ignition: the whole region is wiped") != AMT_OK)
					return nomem(e);
				e->ignition = true;
				p->ignition_wiped = true;
				p->ftpr_manifest = AMT_NO_OFFSET;
			}
		}
	}

	if (e->gen != 1 && !check) {
		if (!o->disable_bit_only && !e->ignition)
			TRY(remove_partitions_and_modules(e));
		if (o->set_disable_bit || o->disable_bit_only) {
			if (e->compat) {
				if (e->gen == 3)
					LOG("Setting the HAP bit in PCHSTRP0 to disable Intel ME...\n");
				else
					LOG("Setting the AltMeDisable bit in PCHSTRP10 to disable Intel ME...\n");
			}
			if (!dis_off)
				return amt_error_set(e->err, AMT_E_PLATFORM, "descriptor", AMT_NO_OFFSET,
						     "the disable bit could not be located");
			TRY(set_bit(e, dis_off, dis_mask, p->disable_what));
			p->disable_after = AMT_YES;
		}
	}

	if (o->fix_master && !check) {
		LOG("Removing ME/TXE R/W access to the other flash regions...\n");
		bool v2;
		if (e->compat || !e->img || !e->img->has_ifd)
			v2 = e->gen == 3;
		else
			v2 = e->img->ifd.version >= 2;
		uint64_t mo = e->fmba + 4;
		if (!amt_in(e->size, mo, 4) || mo + 4 > e->fd_end)
			return amt_error_set(e->err, AMT_E_RANGE, "FLMSTR2", mo, "FLMSTR2 lies outside the descriptor");
		uint32_t v = v2 ? 0x00400500u : ((rd32a(e, mo) | 0x04040000u) & 0x0404ffffu);
		/* IFDv2: ME reads FD and ME, writes ME (me_cleaner after #154);
		 * IFDv1: ME reads and writes ME only, requester id kept */
		TRY(wr32(e, mo, v, v2 ? "FLMSTR2: ME may read FD+ME and write ME only (IFDv2)" :
					"FLMSTR2: ME may read and write ME only (IFDv1)"));
	}

	if (o->want_descriptor && !check) {
		p->has_desc_extract = true;
		p->desc_size = e->fd_end - e->fd_start;
		if (o->truncate) {
			LOG("Extracting the descriptor to \"%s\"...\n", o->descriptor_name ? o->descriptor_name : "");
			if (e->bios_start == e->re) {
				uint64_t ea = (uint64_t)e->end_addr;
				LOG("Modifying the regions of the extracted descriptor...\n");
				LOG(" %08llx:%08llx me   --> %08llx:%08llx me\n", (unsigned long long)e->rs,
				    (unsigned long long)(e->re - 1), (unsigned long long)e->rs,
				    (unsigned long long)(e->rs + ea - 1));
				LOG(" %08llx:%08llx bios --> %08llx:%08llx bios\n",
				    (unsigned long long)e->bios_start, (unsigned long long)(e->bios_end - 1),
				    (unsigned long long)(e->rs + ea), (unsigned long long)(e->bios_end - 1));
				p->desc_flreg_edit = true;
				p->desc_flreg_off[0] = e->frba + 4;
				p->desc_flreg_val[0] = flreg_make(e->rs + ea, e->bios_end);
				p->desc_nflreg = 1;
				if (e->gen != 1) {
					p->desc_flreg_off[1] = e->frba + 8;
					p->desc_flreg_val[1] = flreg_make(e->rs, e->rs + ea);
					p->desc_nflreg = 2;
				}
			} else {
				LOG("\nWARNING:\nThe start address of the BIOS region (0x%08llx) isn't equal "
				    "to the end address\nof the ME region (0x%08llx): if you want to recover "
				    "the space from the ME \nregion you have to manually modify the "
				    "descriptor.\n\n", (unsigned long long)e->bios_start,
				    (unsigned long long)e->re);
			}
		} else {
			LOG("Extracting the descriptor to \"%s\"...\n", o->descriptor_name ? o->descriptor_name : "");
		}
	}
	if (o->want_me && !check && e->gen != 1) {
		p->has_me_extract = true;
		if (o->truncate) {
			LOG("Extracting and truncating the ME image to \"%s\"...\n", o->me_name ? o->me_name : "");
			p->me_extract_size = (uint64_t)e->end_addr;
		} else {
			LOG("Extracting the ME image to \"%s\"...\n", o->me_name ? o->me_name : "");
			p->me_extract_size = e->re - e->rs;
		}
	}
	return AMT_OK;
}

amt_status amt_neutralize_plan(const uint8_t *data, size_t size,
			       const struct amt_image *img,
			       const struct amt_neutralize_opts *opts,
			       struct amt_plan *plan, amt_error *err)
{
	struct eng e;
	memset(&e, 0, sizeof(e));
	memset(plan, 0, sizeof(*plan));
	amt_error_clear(err);
	e.d = data;
	e.size = size;
	e.img = img;
	e.o = opts;
	e.p = plan;
	e.err = err;
	e.compat = opts->me_cleaner_compat;
	plan->in_size = plan->out_size = size;
	plan->ftpr_manifest = AMT_NO_OFFSET;
	if (!e.compat && !img)
		return amt_error_set(err, AMT_E_ARG, "plan", AMT_NO_OFFSET,
				     "native neutralization needs the parsed image");
	if (opts->check_only && (opts->set_disable_bit || opts->disable_bit_only || opts->relocate ||
				 opts->fix_master || opts->truncate))
		return amt_error_set(err, AMT_E_ARG, "options", AMT_NO_OFFSET,
				     "-c can't be used with -S, -s, -r, -d, -t or -O");
	if (opts->disable_bit_only && (opts->relocate || opts->truncate))
		return amt_error_set(err, AMT_E_ARG, "options", AMT_NO_OFFSET,
				     "-s can't be used with -r or -t");
	if ((opts->nwhitelist || opts->blacklist_given) && opts->relocate)
		return amt_error_set(err, AMT_E_ARG, "options", AMT_NO_OFFSET,
				     "Relocation is not yet supported with custom whitelist or blacklist");
	amt_status st = run(&e);
	free(e.parts);
	if (st != AMT_OK && err) {
		for (char *c = err->message; *c; c++)
			if ((unsigned char)*c < 0x20 || (unsigned char)*c == 0x7f)
				*c = '?';
	}
	if (st != AMT_OK) {
		char *log = plan->log;
		size_t ll = plan->log_len, lc = plan->log_cap;
		plan->log = NULL;
		amt_plan_free(plan);
		/* keep what was printed up to the failure */
		plan->log = log;
		plan->log_len = ll;
		plan->log_cap = lc;
		return st;
	}
	/* code bytes: what FTPR/CODE holds before and after */
	return AMT_OK;
}
