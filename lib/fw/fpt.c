/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * $FPT: the flash partition table of ME 2-11 regions and of CSE data
 * partitions.
 *
 * Header (MEA.py FPT_Header / FPT_Header_21; doc/formats.md#fpt):
 *   +0x00 "$FPT"  +0x04 entry count  +0x08 header version (0x10, 0x20, 0x21)
 *   +0x09 entry version  +0x0A header length
 *   v1.0/2.0: +0x0B checksum-8, +0x14 flags (u32), +0x18 FIT version 4 x u16
 *   v2.1:     +0x0B flags (u8, bit 0 redundancy), +0x14 CRC-32, +0x18 FIT version
 * Entries (0x20 bytes each) start at $FPT+0x20 (me_cleaner reads them at
 * fpt_offset + 0x20 whatever the header length is).
 */
#include <stdio.h>
#include <string.h>

#include <zlib.h>

#include "internal.h"

#define FPT_HDR_SIZE 0x20u
#define FPT_ENTRY_SIZE 0x20u
/* Real tables hold at most a few dozen entries; this bounds the work done
 * on a garbage count (the overlap check is quadratic). */
#define FPT_MAX_ENTRIES 256u

/*
 * "v2.1 with a v2.0 version tag" (MEA get_fpt: the FIT bug): version byte
 * 0x20 but the upper half of the CRC-32 field (+0x16..+0x17) is neither
 * 0x0000 nor 0xFFFF. On ME <= 10 headers (length 0x30) +0x14 is the flags
 * dword, whose upper half is 0x0000 or 0xFFFF on every image we have seen,
 * but we only apply the rule to 0x20-byte (CSE) headers to be safe.
 */
static bool fpt_is_v21(const uint8_t *h, bool *fit_bug)
{
	*fit_bug = false;
	if (h[8] == 0x21)
		return true;
	if (h[8] == 0x20 && h[0x0A] <= FPT_HDR_SIZE) {
		uint16_t hi = amt_rd16(h + 0x16);
		if (hi != 0x0000 && hi != 0xFFFF) {
			*fit_bug = true;
			return true;
		}
	}
	return false;
}

/* 8-bit checksum (v1.0 / v2.0). MEA's rule: the sum of HeaderLength bytes
 * starting at the ROM bypass block when HeaderLength > 0x20 (ME <= 10:
 * 0x30 bytes from the region start), else of the 0x20-byte header at the
 * $FPT tag (CSME 11, ME 2.x $FPT at region+0). me_cleaner writes the same:
 * bytes 0x00-0x2F for ME < 11, 0x10-0x2F for ME >= 11. All bytes including
 * the checksum byte at $FPT+0x0B must sum to 0. */
static amt_status fpt_checksum8(struct amt_parse_ctx *c, uint64_t fpt_off,
				uint64_t lo_bound, uint8_t hl)
{
	struct amt_fw *fw = &c->img->fw;
	const uint8_t *d = c->data;
	uint8_t stored = d[fpt_off + 0x0B];
	uint64_t start = fpt_off;
	uint64_t len = FPT_HDR_SIZE;
	const char *rule = "0x20-byte header from $FPT (MEA; me_cleaner ME>=11)";

	if (hl > FPT_HDR_SIZE) {
		uint64_t back = hl - FPT_HDR_SIZE;
		if (fpt_off < lo_bound + back)
			return amt_fw_check(fw, "$FPT checksum-8", fpt_off + 0x0B, AMT_UNKNOWN,
					    stored, 0,
					    "header length covers bytes before the region start");
		start = fpt_off - back;
		len = hl;
		rule = hl == 0x30 ? "0x30 bytes from region start incl. ROM bypass (ME<=10)"
				  : "header length bytes ending at $FPT+0x20 (MEA)";
	}
	uint8_t rest = (uint8_t)(amt_sum8(d + start, (size_t)len) - stored);
	uint8_t want = (uint8_t)(0x100 - rest);
	return amt_fw_check(fw, "$FPT checksum-8", fpt_off + 0x0B,
			    want == stored ? AMT_YES : AMT_NO, stored, want, rule);
}

/* CRC-32 over the header (CRC field zeroed, version byte 0x21) and all
 * entries (MEA checksum code for FPT v2.1). With the FIT bug the stored
 * version byte is 0x20; MEA computes with 0x21. We accept either and say
 * which one matched. */
static uint32_t fpt_crc_with(const uint8_t *hdr, const uint8_t *ent, size_t elen)
{
	uLong crc = crc32(0L, Z_NULL, 0);
	crc = crc32(crc, hdr, FPT_HDR_SIZE);
	crc = crc32(crc, ent, (uInt)elen);
	return (uint32_t)crc;
}

static amt_status fpt_crc32(struct amt_parse_ctx *c, uint64_t fpt_off, uint32_t nent,
			    bool fit_bug, bool all_fit)
{
	struct amt_fw *fw = &c->img->fw;
	const uint8_t *d = c->data;
	uint32_t stored = amt_rd32(d + fpt_off + 0x14);

	if (!all_fit || nent > 0x100000u)
		return amt_fw_check(fw, "$FPT CRC-32", fpt_off + 0x14, AMT_UNKNOWN, stored, 0,
				    "entries run past the region: CRC not computed");
	uint8_t hdr[FPT_HDR_SIZE];
	memcpy(hdr, d + fpt_off, FPT_HDR_SIZE);
	memset(hdr + 0x14, 0, 4);
	hdr[8] = 0x21;
	const uint8_t *ent = d + fpt_off + FPT_HDR_SIZE;
	size_t elen = (size_t)nent * FPT_ENTRY_SIZE;

	uint32_t crc = fpt_crc_with(hdr, ent, elen);
	if (crc != stored && fit_bug) {
		hdr[8] = d[fpt_off + 8];
		uint32_t crc2 = fpt_crc_with(hdr, ent, elen);
		if (crc2 == stored)
			return amt_fw_check(fw, "$FPT CRC-32", fpt_off + 0x14, AMT_YES, stored, crc2,
					    "v2.1 with 2.0 tag, matched with version byte 0x20");
	}
	return amt_fw_check(fw, "$FPT CRC-32", fpt_off + 0x14, crc == stored ? AMT_YES : AMT_NO,
			    stored, crc,
			    fit_bug ? "v2.1 with 2.0 tag (FIT bug), computed with version 0x21"
				    : "header (CRC field zeroed) + entries");
}

amt_status amt_fpt_parse(struct amt_parse_ctx *c, uint64_t fpt_off, uint64_t region_off,
			 uint64_t region_size, bool data_fpt, amt_error *err)
{
	struct amt_fw *fw = &c->img->fw;
	const uint8_t *d = c->data;
	amt_status st;

	/* The region end, clipped to the input. */
	if (region_off > c->size)
		return amt_error_set(err, AMT_E_RANGE, "$FPT", region_off,
				     "region starts past the end of the %zu-byte input", c->size);
	uint64_t region_end = region_size > c->size - region_off ? c->size
								: region_off + region_size;
	if (fpt_off < region_off || !amt_in(region_end, fpt_off, FPT_HDR_SIZE))
		return amt_error_set(err, AMT_E_TRUNCATED, "$FPT", fpt_off,
				     "the 0x20-byte $FPT header does not fit in the region "
				     "0x%llx-0x%llx",
				     (unsigned long long)region_off, (unsigned long long)region_end);
	if (memcmp(d + fpt_off, "$FPT", 4))
		return amt_error_set(err, AMT_E_BADMAGIC, "$FPT", fpt_off, "no \"$FPT\" tag here");

	const uint8_t *h = d + fpt_off;
	struct amt_fpt *f = &fw->fpt;
	bool fit_bug;
	bool v21 = fpt_is_v21(h, &fit_bug);

	memset(f, 0, sizeof(*f));
	f->offset = fpt_off;
	f->romb_offset = (!data_fpt && fpt_off >= region_off + 0x10) ? fpt_off - 0x10
								    : AMT_NO_OFFSET;
	f->nentries = amt_rd32(h + 4);
	f->header_version = h[8];
	f->entry_version = h[9];
	f->header_len = h[0x0A];
	f->v21 = v21;
	if (v21) {
		f->flags = h[0x0B];
		f->crc32 = amt_rd32(h + 0x14);
	} else {
		f->checksum = h[0x0B];
		f->flags = amt_rd32(h + 0x14);
	}
	f->fit_version.major = amt_rd16(h + 0x18);
	f->fit_version.minor = amt_rd16(h + 0x1A);
	f->fit_version.hotfix = amt_rd16(h + 0x1C);
	f->fit_version.build = amt_rd16(h + 0x1E);

	if (f->header_version != 0x10 && f->header_version != 0x20 && f->header_version != 0x21)
		amt_image_problemf(c->img, AMT_E_UNSUPPORTED, "$FPT", fpt_off + 8,
				   "unknown $FPT header version 0x%02x; parsed as %s",
				   f->header_version, v21 ? "2.1" : "1.0/2.0");

	/* How many entries fit in the region? */
	uint64_t ent_off = fpt_off + FPT_HDR_SIZE;
	uint64_t fit = (region_end - ent_off) / FPT_ENTRY_SIZE;
	uint32_t n = f->nentries;
	bool all_fit = n <= fit;
	if (!all_fit) {
		amt_image_problemf(c->img, AMT_E_TRUNCATED, "$FPT", fpt_off + 4,
				   "$FPT claims %u entries but only %llu fit before the region end "
				   "0x%llx; reading %llu",
				   n, (unsigned long long)fit, (unsigned long long)region_end,
				   (unsigned long long)(fit < FPT_MAX_ENTRIES ? fit : FPT_MAX_ENTRIES));
		n = (uint32_t)fit;
	}
	if (n > FPT_MAX_ENTRIES) {
		if (all_fit)
			amt_image_problemf(c->img, AMT_E_RANGE, "$FPT", fpt_off + 4,
					   "$FPT claims %u entries; reading only the first %u",
					   n, FPT_MAX_ENTRIES);
		n = FPT_MAX_ENTRIES;
	}

	if (v21)
		st = fpt_crc32(c, fpt_off, f->nentries, fit_bug, all_fit);
	else
		st = fpt_checksum8(c, fpt_off, data_fpt ? fpt_off : region_off, f->header_len);
	if (st != AMT_OK)
		return amt_error_set(err, st, "$FPT", fpt_off, "out of memory");

	uint64_t base = data_fpt ? fpt_off : region_off;
	size_t first = fw->npartitions;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = d + ent_off + (uint64_t)i * FPT_ENTRY_SIZE;
		struct amt_partition *p = amt_fw_add_partition(fw);
		if (!p)
			return amt_error_set(err, AMT_E_NOMEM, "$FPT", fpt_off, "out of memory");
		amt_name_copy(p->name, e, 4);
		amt_name_copy(p->owner, e + 4, 4);
		p->container = AMT_CONT_FPT;
		p->raw_flags = amt_rd32(e + 0x1C);
		p->type = p->raw_flags & 0x7F;
		p->valid = (p->raw_flags >> 24) != 0xFF;
		p->entry_offset = ent_off + (uint64_t)i * FPT_ENTRY_SIZE;
		uint32_t roff = amt_rd32(e + 8), rlen = amt_rd32(e + 0x0C);
		p->raw_offset = roff;
		p->raw_size = rlen;
		p->offset = base + roff;
		p->size = rlen;

		/* me_cleaner: type 2 = NVRAM, no data; offset 0 or length 0 = no
		 * data here; ME 6 (and gen 1 CODE/NFTP): length 0xFFFFFFFF on
		 * the last entry = up to the region end. */
		if (p->type == AMT_FPT_NVRAM || roff == 0 || roff == 0xFFFFFFFFu || rlen == 0) {
			p->empty = true;
			continue;
		}
		if (rlen == 0xFFFFFFFFu && p->offset < region_end)
			p->size = region_end - p->offset;
		p->in_range = p->offset >= region_off && amt_in(region_end, p->offset, p->size);
		if (!p->in_range)
			amt_image_problemf(c->img, AMT_E_RANGE, "$FPT entry", p->entry_offset,
					   "partition %s at 0x%llx, 0x%llx bytes, lies outside the "
					   "region 0x%llx-0x%llx",
					   p->name, (unsigned long long)p->offset,
					   (unsigned long long)p->size, (unsigned long long)region_off,
					   (unsigned long long)region_end);
	}

	/* Overlapping partitions (both with data in range). */
	for (size_t i = first; i < fw->npartitions; i++) {
		const struct amt_partition *a = &fw->partitions[i];
		if (a->empty || !a->in_range || a->size == 0)
			continue;
		for (size_t j = i + 1; j < fw->npartitions; j++) {
			const struct amt_partition *b = &fw->partitions[j];
			if (b->empty || !b->in_range || b->size == 0)
				continue;
			if (!(a->offset < b->offset + b->size && b->offset < a->offset + a->size))
				continue;
			/* Intel's own layout (FTUP over NFTP, DLMP): a fact */
			amt_overlap_why why = amt_overlap_by_design(a->name, b->name);
			if (why) {
				if (amt_fw_add_layout_overlap(fw, i, j, why))
					return amt_error_set(err, AMT_E_NOMEM, "$FPT entry",
							     b->entry_offset, "out of memory");
				continue;
			}
			amt_image_problemf(c->img, AMT_E_OVERLAP, "$FPT entry",
						   b->entry_offset,
						   "partition %s (0x%llx-0x%llx) overlaps %s "
						   "(0x%llx-0x%llx)",
						   b->name, (unsigned long long)b->offset,
						   (unsigned long long)(b->offset + b->size - 1),
						   a->name, (unsigned long long)a->offset,
						   (unsigned long long)(a->offset + a->size - 1));
		}
	}
	return AMT_OK;
}

/*
 * The $FPT writer: the header and entries of the region's $FPT keeping
 * only the partitions keep[0..nkeep) (indexes into fw->partitions, in the
 * order to write them), each with its offset field replaced by
 * new_off[k] when new_off is not NULL; the freed entries are erased (0xFF),
 * the count updated, the EFFS presence flag (flags bit 0, v1.0/2.0 only:
 * 2.1 has its CRC there) cleared when clear_effs, and the checksum-8 or
 * CRC-32 recomputed by the rules of the parser above (the same bytes it
 * checks). *start receives the absolute offset of buf[0]: the ROM bypass
 * when the checksum covers it, else the $FPT; *len the number of bytes
 * (up to the end of the old entries). *sum receives the new checksum-8,
 * or the CRC-32 with *is_crc set. buf must hold 0x30 + nentries * 0x20.
 */
amt_status amt_fpt_write(const uint8_t *data, size_t size, const struct amt_fw *fw,
			 const size_t *keep, size_t nkeep, const uint32_t *new_off,
			 bool clear_effs, uint8_t *buf, uint64_t *start, size_t *len,
			 uint32_t *sum, bool *is_crc, amt_error *err)
{
	const struct amt_fpt *f = &fw->fpt;
	uint64_t fpt = f->offset;
	bool fit_bug;
	if (!amt_in(size, fpt, FPT_HDR_SIZE))
		return amt_error_set(err, AMT_E_RANGE, "$FPT", fpt, "the $FPT lies outside the input");
	bool v21 = fpt_is_v21(data + fpt, &fit_bug);
	uint64_t back = !v21 && f->header_len > FPT_HDR_SIZE ? f->header_len - FPT_HDR_SIZE : 0;
	if (back && fpt < fw->region_offset + back)
		back = 0;
	uint64_t n = f->nentries;
	uint64_t total = back + FPT_HDR_SIZE + n * FPT_ENTRY_SIZE;
	if (n > FPT_MAX_ENTRIES || nkeep > n || !amt_in(size, fpt - back, total))
		return amt_error_set(err, AMT_E_RANGE, "$FPT", fpt,
				     "the $FPT entries (%llu) do not lie whole in the input",
				     (unsigned long long)n);
	memcpy(buf, data + fpt - back, (size_t)total);
	uint8_t *h = buf + back;
	uint8_t *ent = h + FPT_HDR_SIZE;
	for (size_t k = 0; k < nkeep; k++) {
		const struct amt_partition *p = &fw->partitions[keep[k]];
		if (p->container != AMT_CONT_FPT || !amt_in(size, p->entry_offset, FPT_ENTRY_SIZE))
			return amt_error_set(err, AMT_E_RANGE, "$FPT entry", p->entry_offset,
					     "partition %s has no $FPT entry in the input", p->name);
		memcpy(ent + k * FPT_ENTRY_SIZE, data + p->entry_offset, FPT_ENTRY_SIZE);
		if (new_off)
			amt_wr32(ent + k * FPT_ENTRY_SIZE + 8, new_off[k]);
	}
	memset(ent + nkeep * FPT_ENTRY_SIZE, 0xFF, (size_t)((n - nkeep) * FPT_ENTRY_SIZE));
	amt_wr32(h + 4, (uint32_t)nkeep);
	if (v21) {
		/* CRC over the header (field zeroed, version byte 0x21: MEA) and
		 * the entries now in the table */
		uint8_t hdr[FPT_HDR_SIZE];
		memcpy(hdr, h, FPT_HDR_SIZE);
		memset(hdr + 0x14, 0, 4);
		hdr[8] = 0x21;
		uint32_t crc = fpt_crc_with(hdr, ent, nkeep * FPT_ENTRY_SIZE);
		amt_wr32(h + 0x14, crc);
		*sum = crc;
		*is_crc = true;
	} else {
		if (clear_effs)
			amt_wr32(h + 0x14, amt_rd32(h + 0x14) & ~1u);
		uint64_t clen = back ? f->header_len : FPT_HDR_SIZE;
		h[0x0B] = 0;
		uint8_t s8 = (uint8_t)(0x100 - amt_sum8(buf + (back ? 0 : back), (size_t)clen));
		h[0x0B] = s8;
		*sum = s8;
		*is_crc = false;
	}
	*start = fpt - back;
	*len = (size_t)total;
	return AMT_OK;
}
