/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IFWI: CSME 12+ regions that start with a CSE layout table, and IFWI 2.0
 * images (TXE 3/4) that start with a BPDT.
 *
 * CSE layout table 1.6 (CSME 12-14; MEA CSE_Layout_Table_16,
 * doc/formats.md#ifwi): ROM bypass[16], +0x10 data partition offset/size, +0x18..+0x3F
 * BP1..BP5 offset/size pairs, +0x40 "checksum". On the one 1.6 image of
 * the corpus (CSME 14.0.10.1204) +0x40 holds 0x22 followed by 0xFF: no
 * 8-bit sum, two's complement, 32-bit sum, XOR or CRC over +0x00/+0x10 ..
 * +0x3F reproduces it, MEA itself only uses the constant 0x22 to detect
 * the table, and coreboot's bpdt_1_6.c calls its (differently placed)
 * checksum "unused". So the byte is recorded as a check whose rule is
 * unknown (never a failure), and tables are accepted on their pointers.
 *
 * CSE layout table 1.7 (CSME 15+; MEA CSE_Layout_Table_17, coreboot
 * bpdt_1_7.c): ROM bypass[16], +0x10 size u16 (0x40, or 0x48 with ELog),
 * +0x12 flags, +0x14 CRC-32, +0x18 data offset/size, +0x20..+0x47
 * BP1..BP5, +0x48 temp pages, +0x50 ELog. The CRC-32 (zlib) covers the
 * `size` bytes from +0x10 with the CRC field zeroed: verified on the
 * corpus CSME 16.1 image (size 0x48, bytes +0x10..+0x57, 0x81D54C58).
 * (MEA's structure comment, "0x18-0x4F", does not match that image.)
 *
 * Offsets in the table are relative to the table (the region start).
 * The data partition is a $FPT without ROM bypass at its start; its
 * entries are relative to the $FPT. Boot partitions hold a BPDT.
 *
 * BPDT (coreboot bpdt_1_6.c / bpdt_1_7.c, MEA BPDT_Header_1/2): signature
 * 0x000055AA (bytes AA 55 00 00; recovery "yellow" AA 55 AA 00), +0x04
 * entry count u16, +0x06 version u16 (1, 2), +0x08 checksum (version 1:
 * reserved u16 + two checksum bytes whose rule is unknown - coreboot: TODO;
 * version 2: CRC-32 over the header + entries from +0x04 with the field
 * zeroed, verified on the corpus CSME 16.1 BPDTs), +0x0C IFWI version,
 * +0x10 FIT version, entries of 12 bytes from +0x18: type u16, flags u16,
 * offset, size. Entry offsets (also in a secondary BPDT, type 5) are
 * relative to the boot partition start: on the corpus TXE 4 IFWI, the
 * S-BPDT at 0x1D8000 lists NFTP at 0x1D9000 of the image.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cse_int.h"

#define BPDT_SIG_GREEN 0x000055AAu
#define BPDT_SIG_YELLOW 0x00AA55AAu
#define BPDT_HDR 0x18u
#define BPDT_ENTRY 12u
#define BPDT_MAX_ENTRIES 256u
#define BPDT_TYPE_SBPDT 5u
#define MAX_BPDT 8u

#define LT16_BP 0x18u
#define LT16_CSUM 0x40u
#define LT17_MIN 0x38u   /* size field must reach BP5 (+0x10 + 0x38 = +0x48) */
#define LT17_MAX 0x100u
#define LT17_BP 0x20u

static bool bpdt_sig(const uint8_t *d, size_t size, uint64_t off)
{
	if (!amt_in(size, off, 4))
		return false;
	uint32_t s = amt_rd32(d + off);
	return s == BPDT_SIG_GREEN || s == BPDT_SIG_YELLOW;
}

/* Pointer at +ptr (relative to off) leads, inside the region, to tag. */
static bool ptr_to(const uint8_t *d, size_t size, uint64_t off, uint64_t len, unsigned ptr,
		   bool fpt)
{
	uint32_t o = amt_rd32(d + off + ptr);
	if (o == 0 || o >= len || !amt_in(size, off + o, 4))
		return false;
	return fpt ? amt_tag_at(d, size, off + o, "$FPT") : bpdt_sig(d, size, off + o);
}

amt_layout amt_ifwi_probe(const uint8_t *data, size_t size, uint64_t off, uint64_t len)
{
	if (!data || off >= size)
		return AMT_LAYOUT_NONE;
	if (len > size - off)
		len = size - off;
	if (len >= BPDT_HDR && bpdt_sig(data, size, off))
		return AMT_LAYOUT_BPDT;
	if (len < 0x60)
		return AMT_LAYOUT_NONE;
	uint16_t sz17 = amt_rd16(data + off + 0x10);
	if (sz17 >= LT17_MIN && sz17 <= LT17_MAX && ptr_to(data, size, off, len, 0x18, true) &&
	    ptr_to(data, size, off, len, LT17_BP, false))
		return AMT_LAYOUT_IFWI17;
	if (ptr_to(data, size, off, len, 0x10, true) && ptr_to(data, size, off, len, LT16_BP, false))
		return AMT_LAYOUT_IFWI16;
	return AMT_LAYOUT_NONE;
}

/* Names of BPDT entry types (MEA bpdt_dict; coreboot cse_layout.h;
 * doc/formats.md#bpdt). Used when the sub-partition has no $CPD name. */
static void type_name(unsigned type, char out[5])
{
	static const char *const names[] = {
		"SMIP", "RBEP", "FTPR", "UCOD", "IBBP", "SBPD", "OBBP", "NFTP",
		"ISHC", "DLMP", "UEPB", "UTOK", "UFSP", "UFSG", "PMCP", "IUNP",
		"NVMC", "UEP", "WCOD", "LOCL", "OEMP", "FITC", "PAVP", "IOMP",
		"XPHY", "TBTP", "PLTS", NULL, NULL, NULL, NULL, "DPHY", "PCHC",
	};
	if (type < sizeof(names) / sizeof(names[0]) && names[type])
		snprintf(out, 5, "%s", names[type]);
	else
		snprintf(out, 5, "T%u", type % 1000);
}

struct walk {
	unsigned nvisited;
	uint64_t visited[MAX_BPDT];
};

static amt_status add_check_bpdt(struct amt_parse_ctx *c, uint64_t off, unsigned version,
				 uint64_t len)
{
	struct amt_fw *fw = &c->img->fw;
	const uint8_t *d = c->data;
	char what[48];

	if (version == 2) {
		uint32_t stored = amt_rd32(d + off + 8);
		uint32_t crc = amt_crc32_skip(d + off + 4, (size_t)len - 4, 4);
		snprintf(what, sizeof(what), "BPDT@0x%llx CRC-32", (unsigned long long)off);
		return amt_fw_check(fw, what, off + 8, stored == crc ? AMT_YES : AMT_NO, stored,
				    crc, stored == crc ? NULL
				    : "CRC-32 of header+entries from +4, field zeroed");
	}
	snprintf(what, sizeof(what), "BPDT@0x%llx checksum", (unsigned long long)off);
	return amt_fw_check(fw, what, off + 8, AMT_UNKNOWN, amt_rd32(d + off + 8), 0,
			    "BPDT 1 checksum bytes: rule unknown (coreboot: TODO)");
}

static amt_status parse_bpdt(struct amt_parse_ctx *c, struct walk *w, uint64_t off,
			     uint64_t base, uint64_t limit, bool secondary, amt_error *err)
{
	struct amt_fw *fw = &c->img->fw;
	const uint8_t *d = c->data;
	const char *what = secondary ? "S-BPDT" : "BPDT";

	for (unsigned i = 0; i < w->nvisited; i++)
		if (w->visited[i] == off)
			return amt_error_set(err, AMT_E_LOOP, what, off,
					     "%s at 0x%llx was already parsed: the BPDT chain loops",
					     what, (unsigned long long)off);
	if (w->nvisited >= MAX_BPDT)
		return amt_error_set(err, AMT_E_RANGE, what, off, "more than %u BPDTs", MAX_BPDT);
	if (!amt_in(limit, off, BPDT_HDR))
		return amt_error_set(err, AMT_E_TRUNCATED, what, off,
				     "%s header (0x18 bytes) runs past 0x%llx", what,
				     (unsigned long long)limit);
	if (!bpdt_sig(d, c->size, off))
		return amt_error_set(err, AMT_E_BADMAGIC, what, off,
				     "no BPDT signature (AA 55 00 00 / AA 55 AA 00) at 0x%llx",
				     (unsigned long long)off);
	/* version: u16 in BPDT 1 (MEA BPDT_Header_1); in BPDT 2 a byte followed
	 * by a flags byte, bit 0 = BPDT redundancy (MEA BPDT_Header_2,
	 * coreboot bpdt_1_7.c) */
	unsigned n = amt_rd16(d + off + 4), version = d[off + 6], bflags = d[off + 7];
	if ((version != 1 && version != 2) || (version == 1 && bflags))
		return amt_error_set(err, AMT_E_UNSUPPORTED, what, off + 6,
				     "%s version %u (known: 1, 2)", what,
				     version == 1 ? amt_rd16(d + off + 6) : version);
	uint64_t room = (limit - off - BPDT_HDR) / BPDT_ENTRY;
	if (n > room || n > BPDT_MAX_ENTRIES)
		return amt_error_set(err, AMT_E_RANGE, what, off + 4,
				     "%s entry count %u: %u bytes of entries do not fit in the "
				     "0x%llx bytes left", what, n, n * BPDT_ENTRY,
				     (unsigned long long)(limit - off - BPDT_HDR));
	w->visited[w->nvisited++] = off;
	if (fw->ifwi.nbpdt < MAX_BPDT) {
		if (fw->ifwi.nbpdt == 0) {
			struct amt_ifwi *iw = &fw->ifwi;
			iw->bpdt_version = version;
			iw->bpdt_flags = version == 2 ? bflags : 0;
			iw->bpdt_ifwi_version = amt_rd32(d + off + 0x0C);
			iw->bpdt_fit_version.major = amt_rd16(d + off + 0x10);
			iw->bpdt_fit_version.minor = amt_rd16(d + off + 0x12);
			iw->bpdt_fit_version.hotfix = amt_rd16(d + off + 0x14);
			iw->bpdt_fit_version.build = amt_rd16(d + off + 0x16);
		}
		fw->ifwi.bpdt_offset[fw->ifwi.nbpdt++] = off;
	}
	uint64_t dir_end = off + BPDT_HDR + (uint64_t)n * BPDT_ENTRY;
	if (add_check_bpdt(c, off, version, dir_end - off))
		return amt_error_set(err, AMT_E_NOMEM, what, off, "out of memory");

	size_t first = fw->npartitions;
	for (unsigned i = 0; i < n; i++) {
		uint64_t e = off + BPDT_HDR + (uint64_t)i * BPDT_ENTRY;
		struct amt_partition *p = amt_fw_add_partition(fw);
		if (!p)
			return amt_error_set(err, AMT_E_NOMEM, what, e, "out of memory");
		p->container = secondary ? AMT_CONT_SBPDT : AMT_CONT_BPDT;
		p->type = amt_rd16(d + e);
		p->raw_flags = amt_rd16(d + e + 2);
		p->entry_offset = e;
		p->raw_offset = amt_rd32(d + e + 4);
		p->raw_size = amt_rd32(d + e + 8);
		p->offset = base + p->raw_offset;
		p->size = p->raw_size;
		p->valid = true;
		p->manifest = -1;
		p->empty = p->size == 0;
		p->in_range = amt_in(limit, p->offset, p->size);
		if (p->in_range && p->size >= 0x10 && amt_tag_at(d, c->size, p->offset, "$CPD"))
			amt_name_copy(p->name, d + p->offset + 0x0C, 4);
		else
			type_name(p->type, p->name);
		if (!p->empty && !p->in_range) {
			char nm[5];
			memcpy(nm, p->name, sizeof(nm));
			uint64_t po = p->offset, ps = p->size;
			if (amt_image_problemf(c->img, AMT_E_RANGE, what, e + 4,
					       "%s entry %u (type %u, %s): 0x%llx bytes at 0x%llx "
					       "lie outside the boot partition (ends 0x%llx)", what,
					       i, amt_rd16(d + e), nm, (unsigned long long)ps,
					       (unsigned long long)po, (unsigned long long)limit))
				return amt_error_set(err, AMT_E_NOMEM, what, e, "out of memory");
		}
	}
	/* overlaps: entries with each other and with this table */
	for (size_t i = first; i < fw->npartitions; i++) {
		const struct amt_partition *a = &fw->partitions[i];
		if (a->empty || !a->in_range)
			continue;
		amt_status st = AMT_OK;
		if (a->offset < dir_end && off < a->offset + a->size)
			st = amt_image_problemf(c->img, AMT_E_OVERLAP, what, a->entry_offset,
						"%s entry %s (0x%llx-0x%llx) overlaps the table at 0x%llx",
						what, a->name, (unsigned long long)a->offset,
						(unsigned long long)(a->offset + a->size),
						(unsigned long long)off);
		for (size_t j = i + 1; j < fw->npartitions && st == AMT_OK; j++) {
			const struct amt_partition *b = &fw->partitions[j];
			if (b->empty || !b->in_range || b->offset >= a->offset + a->size ||
			    a->offset >= b->offset + b->size)
				continue;
			/* Intel's own layout (DLMP): a fact (MEA.py) */
			amt_overlap_why why = amt_overlap_by_design(a->name, b->name);
			if (why) {
				st = amt_fw_add_layout_overlap(fw, i, j, why);
				continue;
			}
			st = amt_image_problemf(c->img, AMT_E_OVERLAP, what, b->entry_offset,
						"%s entries %s (0x%llx-0x%llx) and %s (0x%llx-0x%llx) overlap",
						what, a->name, (unsigned long long)a->offset,
						(unsigned long long)(a->offset + a->size), b->name,
						(unsigned long long)b->offset,
						(unsigned long long)(b->offset + b->size));
		}
		if (st)
			return amt_error_set(err, st, what, a->entry_offset, "out of memory");
	}
	/* secondary tables */
	size_t last = fw->npartitions;
	for (size_t i = first; i < last; i++) {
		const struct amt_partition *p = &fw->partitions[i];
		if (p->type != BPDT_TYPE_SBPDT || p->empty || !p->in_range)
			continue;
		amt_error sub;
		amt_error_clear(&sub);
		amt_status st;
		if (secondary)
			st = amt_error_set(&sub, AMT_E_LOOP, "S-BPDT", p->entry_offset,
					   "S-BPDT entry inside a S-BPDT (at 0x%llx): not followed",
					   (unsigned long long)p->offset);
		else
			st = parse_bpdt(c, w, p->offset, base, limit, true, &sub);
		if (st == AMT_E_NOMEM)
			return amt_error_set(err, st, sub.structure, sub.offset, "%s", sub.message);
		if (st && amt_image_problem(c->img, &sub))
			return amt_error_set(err, AMT_E_NOMEM, what, off, "out of memory");
	}
	return AMT_OK;
}

static bool all_ff(const uint8_t *d, size_t size, uint64_t off, size_t n)
{
	if (!amt_in(size, off, n))
		return false;
	for (size_t i = 0; i < n; i++)
		if (d[off + i] != 0xFF)
			return false;
	return true;
}

static amt_status add_layout_part(struct amt_parse_ctx *c, const char *name, unsigned type,
				  uint64_t entry, uint64_t off, uint64_t size, bool in_range,
				  amt_error *err)
{
	struct amt_partition *p = amt_fw_add_partition(&c->img->fw);
	if (!p)
		return amt_error_set(err, AMT_E_NOMEM, "CSE layout", entry, "out of memory");
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->container = AMT_CONT_LAYOUT;
	p->type = type;
	p->entry_offset = entry;
	p->offset = off;
	p->size = size;
	p->valid = true;
	p->empty = size == 0;
	p->in_range = in_range;
	p->manifest = -1;
	return AMT_OK;
}

static amt_status parse_layout(struct amt_parse_ctx *c, uint64_t off, uint64_t end,
			       amt_layout l, amt_error *err)
{
	struct amt_fw *fw = &c->img->fw;
	struct amt_ifwi *w = &fw->ifwi;
	const uint8_t *d = c->data;
	bool v17 = l == AMT_LAYOUT_IFWI17;
	unsigned data_ptr = v17 ? 0x18 : 0x10, bp_ptr = v17 ? LT17_BP : LT16_BP;
	amt_status st;

	w->has_layout = true;
	w->layout_offset = off;
	w->layout_version = v17 ? 17 : 16;

	if (v17) {
		unsigned sz = amt_rd16(d + off + 0x10);
		if (sz < LT17_MIN || sz > LT17_MAX || !amt_in(end, off + 0x10, sz))
			return amt_error_set(err, AMT_E_TRUNCATED, "CSE layout", off + 0x10,
					     "layout 1.7 size 0x%x runs past the region", sz);
		/* +0x12 flags (bit 0: CSE redundancy, BP2 backs up BP1), +0x48
		 * temporary pages, +0x50 ELog when the size reaches it (MEA
		 * CSE_Layout_Table_17; coreboot cse_layout.h temp_base, flog) */
		w->layout_size = sz;
		w->redundancy = d[off + 0x12] & 1;
		uint32_t to = amt_rd32(d + off + 0x48), ts = amt_rd32(d + off + 0x4C);
		if (sz >= 0x40 && ts && to) {
			w->temp_offset = off + to;
			w->temp_size = ts;
		}
		if (sz >= 0x48) {
			uint32_t eo = amt_rd32(d + off + 0x50), es = amt_rd32(d + off + 0x54);
			if (es && eo && amt_in(end - off, eo, es)) {
				w->elog_offset = off + eo;
				w->elog_size = es;
			}
		}
		uint32_t stored = amt_rd32(d + off + 0x14);
		uint32_t crc = amt_crc32_skip(d + off + 0x10, sz, 4);
		st = amt_fw_check(fw, "CSE layout 1.7 CRC-32", off + 0x14,
				  stored == crc ? AMT_YES : AMT_NO, stored, crc,
				  stored == crc ? NULL : "CRC-32 of the table from +0x10, field zeroed");
	} else {
		st = amt_fw_check(fw, "CSE layout 1.6 checksum", off + LT16_CSUM, AMT_UNKNOWN,
				  d[off + LT16_CSUM], 0,
				  "rule unknown; MEA: constant 0x22 (see ifwi.c)");
	}
	if (st)
		return amt_error_set(err, st, "CSE layout", off, "out of memory");

	/* the data partition, BP1..BP5: inside the region, not overlapping */
	uint64_t lo[6], hi[6];
	const char *names[6] = { "DATA", "BP1", "BP2", "BP3", "BP4", "BP5" };
	for (unsigned i = 0; i < 6; i++) {
		uint64_t ent = off + (i == 0 ? data_ptr : bp_ptr + 8 * (i - 1));
		uint64_t o = amt_rd32(d + ent), s = amt_rd32(d + ent + 4);
		lo[i] = hi[i] = 0;
		if (s == 0)
			continue;
		bool in = amt_in(end - off, o, s);
		st = add_layout_part(c, names[i], i, ent, off + o, s, in, err);
		if (st)
			return st;
		if (!in) {
			if (amt_image_problemf(c->img, AMT_E_RANGE, "CSE layout", ent,
					       "%s: 0x%llx bytes at +0x%llx lie outside the "
					       "0x%llx-byte region", names[i], (unsigned long long)s,
					       (unsigned long long)o, (unsigned long long)(end - off)))
				return amt_error_set(err, AMT_E_NOMEM, "CSE layout", ent, "out of memory");
			continue;
		}
		lo[i] = off + o;
		hi[i] = off + o + s;
		for (unsigned j = 0; j < i; j++) {
			if (hi[j] == 0 || hi[j] <= lo[i] || hi[i] <= lo[j])
				continue;
			if (amt_image_problemf(c->img, AMT_E_OVERLAP, "CSE layout", ent,
					       "%s (0x%llx-0x%llx) overlaps %s (0x%llx-0x%llx)",
					       names[i], (unsigned long long)lo[i],
					       (unsigned long long)hi[i], names[j],
					       (unsigned long long)lo[j], (unsigned long long)hi[j]))
				return amt_error_set(err, AMT_E_NOMEM, "CSE layout", ent, "out of memory");
			lo[i] = hi[i] = 0;  /* do not parse an overlapping partition */
			break;
		}
		if (i == 0) {
			w->data_offset = lo[0];
			w->data_size = s;
		} else if (hi[i]) {
			w->boot_offset[i - 1] = lo[i];
			w->boot_size[i - 1] = s;
			w->nboot = i;
		}
	}

	/* data $FPT */
	if (hi[0]) {
		amt_error sub;
		amt_error_clear(&sub);
		st = amt_fpt_parse(c, lo[0], lo[0], hi[0] - lo[0], true, &sub);
		if (st == AMT_E_NOMEM)
			return amt_error_set(err, st, sub.structure, sub.offset, "%s", sub.message);
		if (st == AMT_OK)
			fw->has_fpt = true;
		else if (amt_image_problem(c->img, &sub))
			return amt_error_set(err, AMT_E_NOMEM, "CSE layout", off, "out of memory");
	}

	/* boot partitions */
	struct walk wk = { 0 };
	for (unsigned i = 1; i < 6; i++) {
		if (!hi[i])
			continue;
		if (!bpdt_sig(d, c->size, lo[i]) && all_ff(d, c->size, lo[i], 16))
			continue;  /* erased boot partition */
		amt_error sub;
		amt_error_clear(&sub);
		st = parse_bpdt(c, &wk, lo[i], lo[i], hi[i], false, &sub);
		if (st == AMT_E_NOMEM)
			return amt_error_set(err, st, sub.structure, sub.offset, "%s", sub.message);
		if (st && amt_image_problem(c->img, &sub))
			return amt_error_set(err, AMT_E_NOMEM, "CSE layout", off, "out of memory");
	}
	return AMT_OK;
}

amt_status amt_ifwi_parse(struct amt_parse_ctx *c, amt_error *err)
{
	struct amt_fw *fw = &c->img->fw;
	uint64_t off = fw->region_offset, end = off + fw->region_size;
	amt_status st;

	if (end > c->size || end < off)
		end = c->size;
	amt_layout l = amt_ifwi_probe(c->data, c->size, off, end - off);
	if (l == AMT_LAYOUT_NONE)
		return amt_error_set(err, AMT_E_UNKNOWN, "IFWI", off,
				     "neither a CSE layout table nor a BPDT at 0x%llx",
				     (unsigned long long)off);
	fw->layout = l;
	fw->generation = 3;
	if (l == AMT_LAYOUT_BPDT) {
		struct walk wk = { 0 };
		st = parse_bpdt(c, &wk, off, off, end, false, err);
	} else {
		st = parse_layout(c, off, end, l, err);
	}
	if (st)
		return st;
	st = amt_cse_parse_partitions(c, err);
	if (st)
		return st;
	return amt_cse_finish(c, err);
}
