/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * $CPD: the code partition directory of CSE firmware (ME 11+, TXE 3+,
 * SPS 4+).
 *
 * Header (MEA.py CPD_Header_R1/R2; doc/formats.md#cpd):
 *   +0x00 "$CPD"  +0x04 entry count  +0x08 header version (1 or 2)
 *   +0x09 entry version  +0x0A header length  +0x0C partition name[4]
 *   R1 (0x10 bytes): +0x0B checksum-8, header + entries sum to 0
 *   R2 (0x14 bytes): +0x0B reserved, +0x10 CRC-32 (zlib) over header +
 *                    entries with the CRC field zeroed
 * Entries (0x18 bytes) at header length: name[12], +0x0C offset/attributes
 * (bits 24:0 offset from "$CPD", bit 25 Huffman), +0x10 size, +0x14
 * reserved (MEA CPD_Entry; me_cleaner check_and_remove_modules_gen3).
 * The checksums above were confirmed on the corpus images (ME 11, TXE 3/4,
 * CSME 12/14: R1 sum 0; CSME 16: R2 CRC).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cse_int.h"

#define CPD_R1_HDR 0x10u
#define CPD_R2_HDR 0x14u
#define CPD_ENTRY 0x18u
/* Real directories hold < 100 entries; this bounds work on garbage. */
#define CPD_MAX_ENTRIES 1024u

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

static amt_module_kind entry_kind(const char *name)
{
	if (ends_with(name, ".man"))
		return AMT_MOD_MANIFEST;
	if (ends_with(name, ".met"))
		return AMT_MOD_METADATA;
	/* key and FIT configuration entries (rot.key, oem.key, intl.cfg,
	 * fitc.cfg): data, not code */
	if (ends_with(name, ".key") || ends_with(name, ".cfg") || ends_with(name, ".crt"))
		return AMT_MOD_OTHER;
	return AMT_MOD_MODULE;
}

/* LZMA stream as CSE stores it (MEA mod_anl: "36 00 40 00 00" is an LZMA
 * header with 3 extra zero bytes at +0x0E; "5D 00 00" the plain one). */
static bool looks_lzma(const uint8_t *d, size_t size, uint64_t off, uint64_t len)
{
	static const uint8_t cse[5] = { 0x36, 0x00, 0x40, 0x00, 0x00 };
	static const uint8_t std[3] = { 0x5D, 0x00, 0x00 };
	if (len < 13 || !amt_in(size, off, 13))
		return false;
	return !memcmp(d + off, cse, 5) || !memcmp(d + off, std, 3);
}

static amt_status record_sum(struct amt_parse_ctx *c, uint64_t off, uint64_t len,
			     const char *pname, unsigned version)
{
	struct amt_fw *fw = &c->img->fw;
	const uint8_t *d = c->data;
	char what[48];

	amt_status st;
	if (version == 1) {
		uint8_t stored = d[off + 0x0B];
		uint8_t rest = (uint8_t)(amt_sum8(d + off, (size_t)len) - stored);
		uint8_t want = (uint8_t)(0x100 - rest);
		snprintf(what, sizeof(what), "$CPD %s checksum-8", pname);
		st = amt_fw_check(fw, what, off + 0x0B, stored == want ? AMT_YES : AMT_NO,
				  stored, want, stored == want ? NULL
				  : "header + entries must sum to 0");
	} else {
		uint32_t stored = amt_rd32(d + off + 0x10);
		uint32_t crc = amt_crc32_skip(d + off, (size_t)len, 0x10);
		snprintf(what, sizeof(what), "$CPD %s CRC-32", pname);
		st = amt_fw_check(fw, what, off + 0x10, stored == crc ? AMT_YES : AMT_NO, stored,
				  crc, stored == crc ? NULL
				  : "CRC-32 of header + entries with the field zeroed");
	}
	if (st == AMT_OK)
		fw->checks[fw->nchecks - 1].kind = AMT_CHECK_CPD;
	return st;
}

struct span {
	uint64_t lo, hi;   /* absolute [lo, hi) */
	size_t idx;        /* module index */
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->hi < y->hi ? -1 : x->hi > y->hi;
}

/* Stored size of Huffman entries (the entry size is the uncompressed size:
 * the bytes end where the next entry starts), range and overlap checks. */
static amt_status check_entries(struct amt_parse_ctx *c, size_t first, size_t n,
				uint64_t dir_lo, uint64_t dir_hi, uint64_t limit,
				const char *pname)
{
	struct amt_fw *fw = &c->img->fw;
	struct span *s = calloc(n ? n : 1, sizeof(*s));
	size_t ns = 0;
	amt_status st = AMT_OK;

	if (!s)
		return AMT_E_NOMEM;
	for (size_t i = 0; i < n; i++) {
		struct amt_module *m = &fw->modules[first + i];
		if (m->size == 0 || !m->in_range)
			continue;
		s[ns].lo = m->offset;
		s[ns].hi = m->offset + m->size;
		s[ns].idx = first + i;
		ns++;
	}
	qsort(s, ns, sizeof(*s), span_cmp);
	for (size_t i = 0; i < ns; i++) {
		struct amt_module *m = &fw->modules[s[i].idx];
		if (m->comp != AMT_COMP_HUFFMAN)
			continue;
		uint64_t end = limit;
		for (size_t j = i + 1; j < ns; j++) {
			if (s[j].lo > s[i].lo) {
				end = s[j].lo;
				break;
			}
		}
		if (end > limit)
			end = limit;
		if (end < s[i].hi) {
			m->usize = m->size;
			m->size = (uint32_t)(end - s[i].lo);
			s[i].hi = end;
		}
	}
	for (size_t i = 0; i < ns && st == AMT_OK; i++) {
		const struct amt_module *a = &fw->modules[s[i].idx];
		if (s[i].lo < dir_hi && dir_lo < s[i].hi)
			st = amt_image_problemf(c->img, AMT_E_OVERLAP, "$CPD", a->header_offset,
						"%s entry %s (0x%llx-0x%llx) overlaps the directory",
						pname, a->name, (unsigned long long)s[i].lo,
						(unsigned long long)s[i].hi);
		for (size_t j = i + 1; j < ns && s[j].lo < s[i].hi && st == AMT_OK; j++) {
			const struct amt_module *b = &fw->modules[s[j].idx];
			st = amt_image_problemf(c->img, AMT_E_OVERLAP, "$CPD", b->header_offset,
						"%s entries %s (0x%llx-0x%llx) and %s (0x%llx-0x%llx) overlap",
						pname, a->name, (unsigned long long)s[i].lo,
						(unsigned long long)s[i].hi, b->name,
						(unsigned long long)s[j].lo,
						(unsigned long long)s[j].hi);
		}
	}
	free(s);
	return st;
}

/* Whether each entry still holds its bytes: the stored range (for a
 * Huffman entry, up to the next entry as check_entries() set it), inside
 * the partition as declared, read up to the region end (a truncated
 * region: entries past its end are NO). */
static void set_present(struct amt_parse_ctx *c, size_t part, size_t first, size_t n)
{
	struct amt_fw *fw = &c->img->fw;
	const struct amt_partition *p = &fw->partitions[part];
	uint64_t end = fw->region_offset + fw->region_size;
	if (end < fw->region_offset || end > c->size)
		end = c->size;
	uint64_t phi = p->size > UINT64_MAX - p->offset ? UINT64_MAX : p->offset + p->size;
	for (size_t i = first; i < first + n && i < fw->nmodules; i++) {
		struct amt_module *m = &fw->modules[i];
		uint64_t len = m->size;
		/* a Huffman entry's size may be its uncompressed size */
		if (m->comp == AMT_COMP_HUFFMAN && m->offset >= p->offset && m->offset < phi &&
		    len > phi - m->offset)
			len = phi - m->offset;
		m->present = amt_stored_present(c->data, end, p->offset, phi, m->offset, len);
	}
}

/* Parse the .man entry (manifest + its extensions). */
static amt_status parse_man(struct amt_parse_ctx *c, size_t part, size_t mod,
			    const char *pname, uint64_t limit, amt_error *err)
{
	struct amt_fw *fw = &c->img->fw;
	const struct amt_module *m = &fw->modules[mod];
	uint64_t off = m->offset, end = m->offset + m->size;
	char name[17];
	amt_error sub;
	int idx = -1;

	if (end > limit)
		end = limit;
	memcpy(name, m->name, sizeof(name));
	amt_error_clear(&sub);
	amt_status st = amt_manifest_parse(c, off, end, pname, name, &idx, &sub);
	if (st == AMT_E_NOMEM)
		return amt_error_set(err, st, sub.structure, sub.offset, "%s", sub.message);
	if (st != AMT_OK || idx < 0)
		return amt_image_problem(c->img, &sub) == AMT_E_NOMEM ? AMT_E_NOMEM : AMT_OK;
	if (fw->partitions[part].manifest < 0)
		fw->partitions[part].manifest = idx;
	if (!strcmp(pname, "FTPR") && fw->ftpr_manifest < 0)
		fw->ftpr_manifest = idx;
	return amt_cse_ext_manifest(c, idx, end, fw->partitions[part].cpd_offset, limit, err);
}

amt_status amt_cpd_parse(struct amt_parse_ctx *c, size_t part, uint64_t cpd_off,
			 uint64_t limit, amt_error *err)
{
	struct amt_fw *fw = &c->img->fw;
	const uint8_t *d = c->data;
	amt_status st;

	if (limit > c->size)
		limit = c->size;
	if (part >= fw->npartitions)
		return amt_error_set(err, AMT_E_ARG, "$CPD", cpd_off, "no partition %zu", part);
	if (cpd_off >= limit || !amt_in(limit, cpd_off, CPD_R1_HDR))
		return amt_error_set(err, AMT_E_TRUNCATED, "$CPD", cpd_off,
				     "$CPD header (0x10 bytes) runs past the partition end 0x%llx",
				     (unsigned long long)limit);
	if (!amt_tag_at(d, c->size, cpd_off, "$CPD"))
		return amt_error_set(err, AMT_E_BADMAGIC, "$CPD", cpd_off,
				     "no \"$CPD\" tag at the start of partition %s",
				     fw->partitions[part].name);

	uint32_t n = amt_rd32(d + cpd_off + 4);
	unsigned version = d[cpd_off + 8];
	unsigned hlen = d[cpd_off + 0x0A];
	char pname[5];
	amt_name_copy(pname, d + cpd_off + 0x0C, 4);

	unsigned want = version == 1 ? CPD_R1_HDR : version == 2 ? CPD_R2_HDR : 0;
	if (!want)
		return amt_error_set(err, AMT_E_UNSUPPORTED, "$CPD", cpd_off + 8,
				     "$CPD %s header version %u (known: 1, 2)", pname, version);
	if (!amt_in(limit, cpd_off, want))
		return amt_error_set(err, AMT_E_TRUNCATED, "$CPD", cpd_off,
				     "$CPD %s R%u header (0x%x bytes) runs past 0x%llx", pname,
				     version, want, (unsigned long long)limit);
	if (hlen != want) {
		st = amt_image_problemf(c->img, AMT_E_UNSUPPORTED, "$CPD", cpd_off + 0x0A,
					"$CPD %s R%u header length 0x%x, expected 0x%x: using 0x%x",
					pname, version, hlen, want, want);
		if (st)
			return amt_error_set(err, st, "$CPD", cpd_off, "out of memory");
		hlen = want;
	}
	uint64_t room = (limit - cpd_off - hlen) / CPD_ENTRY;
	if (n > room || n > CPD_MAX_ENTRIES)
		return amt_error_set(err, AMT_E_RANGE, "$CPD", cpd_off + 4,
				     "$CPD %s entry count %u: %llu bytes of entries do not fit "
				     "in the %llu bytes left in the partition%s", pname, n,
				     (unsigned long long)n * CPD_ENTRY,
				     (unsigned long long)(limit - cpd_off - hlen),
				     n > CPD_MAX_ENTRIES ? " (or exceed the limit of 1024)" : "");

	uint64_t dir_len = hlen + (uint64_t)n * CPD_ENTRY;
	if (record_sum(c, cpd_off, dir_len, pname, version))
		return amt_error_set(err, AMT_E_NOMEM, "$CPD", cpd_off, "out of memory");

	struct amt_partition *p = &fw->partitions[part];
	p->has_cpd = true;
	p->cpd_offset = cpd_off;
	p->cpd_version = version;
	p->cpd_entries = n;
	p->first_module = fw->nmodules;
	p->nmodules = 0;

	size_t first = fw->nmodules;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t e = cpd_off + hlen + (uint64_t)i * CPD_ENTRY;
		struct amt_module *m = amt_fw_add_module(fw);
		if (!m)
			return amt_error_set(err, AMT_E_NOMEM, "$CPD", e, "out of memory");
		uint32_t attr = amt_rd32(d + e + 0x0C);
		amt_name_copy(m->name, d + e, 12);
		memcpy(m->partition, pname, sizeof(m->partition));
		m->kind = entry_kind(m->name);
		m->header_offset = e;
		m->offset = cpd_off + (attr & 0x1FFFFFFu);
		m->size = amt_rd32(d + e + 0x10);
		m->flags = attr;
		m->comp = (attr >> 25) & 1 ? AMT_COMP_HUFFMAN : AMT_COMP_NONE;
		/* a Huffman entry's size is the uncompressed size: only its
		 * start must lie inside (check_entries() finds its end) */
		if (m->comp == AMT_COMP_HUFFMAN)
			m->in_range = m->offset < limit || (m->offset == limit && !m->size);
		else
			m->in_range = amt_in(limit, m->offset, m->size);
		if (m->in_range && m->kind != AMT_MOD_MANIFEST && m->kind != AMT_MOD_METADATA &&
		    m->comp == AMT_COMP_NONE && looks_lzma(d, c->size, m->offset, m->size))
			m->comp = AMT_COMP_LZMA;
		if (!m->in_range) {
			st = amt_image_problemf(c->img, AMT_E_RANGE, "$CPD", e + 0x0C,
						"$CPD %s entry %s: 0x%x bytes at +0x%x lie outside "
						"the partition (ends 0x%llx)", pname, m->name,
						m->size, attr & 0x1FFFFFFu,
						(unsigned long long)limit);
			if (st)
				return amt_error_set(err, st, "$CPD", e, "out of memory");
		}
	}
	fw->partitions[part].nmodules = n;

	if (check_entries(c, first, n, cpd_off, cpd_off + dir_len, limit, pname))
		return amt_error_set(err, AMT_E_NOMEM, "$CPD", cpd_off, "out of memory");
	set_present(c, part, first, n);

	/* manifests first (they carry the InitScript), then metadata */
	for (uint32_t i = 0; i < n; i++) {
		const struct amt_module *m = &fw->modules[first + i];
		if (m->kind != AMT_MOD_MANIFEST || !m->in_range || m->size == 0)
			continue;
		st = parse_man(c, part, first + i, pname, limit, err);
		if (st)
			return st;
	}
	for (uint32_t i = 0; i < n; i++) {
		const struct amt_module *met = &fw->modules[first + i];
		if (met->kind != AMT_MOD_METADATA || !met->in_range)
			continue;
		size_t stem = strlen(met->name) - 4;
		for (uint32_t j = 0; j < n; j++) {
			const struct amt_module *m = &fw->modules[first + j];
			if (j == i || strlen(m->name) != stem || memcmp(m->name, met->name, stem))
				continue;
			st = amt_cse_ext_met(c, first + j, met->offset, met->size, err);
			if (st)
				return st;
			break;
		}
	}
	return AMT_OK;
}

/*
 * The $CPD writer: the directory of partition pi without the entries
 * removed[j] marks (j: index into fw->modules), the count updated and the
 * checksum-8 (R1) or CRC-32 (R2) recomputed by the rules record_sum()
 * checks. buf receives the new directory (*len bytes, at most the old
 * directory's length, which *old_len receives: the caller erases the
 * rest). The kept entries are copied as they are.
 */
amt_status amt_cpd_write(const uint8_t *data, size_t size, const struct amt_fw *fw, size_t pi,
			 const bool *removed, uint8_t *buf, size_t *len, size_t *old_len,
			 unsigned *nkept, amt_error *err)
{
	const struct amt_partition *pt = &fw->partitions[pi];
	uint64_t cpd = pt->cpd_offset, hlen = pt->cpd_version == 2 ? CPD_R2_HDR : CPD_R1_HDR;
	uint64_t old = hlen + (uint64_t)pt->cpd_entries * CPD_ENTRY;
	if (!pt->has_cpd || !amt_in(size, cpd, old))
		return amt_error_set(err, AMT_E_RANGE, "$CPD", cpd, "$CPD %s lies outside the input",
				     pt->name);
	memcpy(buf, data + cpd, (size_t)hlen);
	uint64_t n = hlen;
	unsigned kept = 0;
	for (size_t j = pt->first_module; j < pt->first_module + pt->nmodules && j < fw->nmodules; j++) {
		const struct amt_module *m = &fw->modules[j];
		if (removed[j])
			continue;
		if (m->header_offset < cpd + hlen || !amt_in(size, m->header_offset, CPD_ENTRY))
			return amt_error_set(err, AMT_E_RANGE, "$CPD", m->header_offset,
					     "$CPD %s entry %s is not in its directory", pt->name,
					     m->name);
		memcpy(buf + n, data + m->header_offset, CPD_ENTRY);
		n += CPD_ENTRY;
		kept++;
	}
	amt_wr32(buf + 4, kept);
	if (pt->cpd_version == 2) {
		amt_wr32(buf + 0x10, 0);
		amt_wr32(buf + 0x10, amt_crc32(buf, (size_t)n));
	} else {
		buf[0x0B] = 0;
		buf[0x0B] = (uint8_t)(0x100 - amt_sum8(buf, (size_t)n));
	}
	*len = (size_t)n;
	*old_len = (size_t)old;
	*nkept = kept;
	return AMT_OK;
}
