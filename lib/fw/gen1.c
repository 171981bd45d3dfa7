/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Generation 1 firmware (ME 2-5, ICH8-ICH10): $FPT + partition "CODE"
 * starting with a $MAN manifest.
 *
 * Layout (checked on real ME 2.6, 4.2 and 5.0 regions; doc/formats.md#gen1;
 * MEA.py MME_Header_Old):
 *   CODE+0x000 $MAN manifest header (0x284 bytes, 2048-bit key)
 *   CODE+0x290 old $MME module headers, 0x50 bytes each:
 *              +0x04 GUID, +0x14 version 4 x u16, +0x1C name[16],
 *              +0x2C SHA-1, +0x40 size, +0x44 flags
 *   right after the table: $SKU (+0x04 length in dwords, +0x08 value BE)
 *   CODE+Size*4: the modules' data, one after the other in table order,
 *              each starting with a "$MOD" header (size includes it).
 *   The SHA-1 at $MME+0x2C is the hash of the whole stored module ($MOD
 *   header included), byte-reversed: checked on every module of the three
 *   corpus regions.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "internal.h"

#define MAN_MME_OFF 0x290u
#define MME_OLD_SIZE 0x50u

struct sku_name {
	unsigned major;
	uint32_t value;
	const char *name;
	amt_tristate amt;
};

/* $SKU values of ME 2-5 (MEA.py SKU analysis, doc/formats.md#sku). */
static const struct sku_name sku_table[] = {
	{ 2, 0x00000000, "AMT", AMT_YES },
	{ 2, 0x02000000, "QST", AMT_NO },
	{ 3, 0x0E000000, "AMT", AMT_YES },
	{ 3, 0x00000000, "AMT", AMT_YES },
	{ 3, 0x06000000, "ASF", AMT_NO },
	{ 3, 0x02000000, "QST", AMT_NO },
	{ 4, 0xAC200000, "AMT + TPM", AMT_YES },
	{ 4, 0xAC000000, "AMT + TPM", AMT_YES },
	{ 4, 0x04000000, "AMT + TPM", AMT_YES },
	{ 4, 0x8C200000, "AMT", AMT_YES },
	{ 4, 0x8C000000, "AMT", AMT_YES },
	{ 4, 0x0C000000, "AMT", AMT_YES },
	{ 4, 0xA0200000, "TPM", AMT_NO },
	{ 4, 0xA0000000, "TPM", AMT_NO },
	{ 5, 0x3E080000, "Digital Office", AMT_YES },
	{ 5, 0x060D0000, "Base Consumer", AMT_NO },
	/* MEA: "Digital Home or Base Corporate"; neither carries AMT. */
	{ 5, 0x06080000, "Digital Home / Base Corporate", AMT_NO },
};

/* SHA-1 of p equals the stored hash (byte-reversed, or as is). */
static amt_tristate sha1_matches(const uint8_t *p, size_t len, const uint8_t *stored)
{
	uint8_t h[20], r[20];
	unsigned int olen = 0;
	if (EVP_Digest(p, len, h, &olen, EVP_sha1(), NULL) != 1)
		return AMT_UNKNOWN;
	for (int i = 0; i < 20; i++)
		r[i] = h[19 - i];
	return (!memcmp(r, stored, 20) || !memcmp(h, stored, 20)) ? AMT_YES : AMT_NO;
}

/* End of the region, clipped to the input. */
static uint64_t region_end(const struct amt_parse_ctx *c)
{
	const struct amt_fw *fw = &c->img->fw;
	uint64_t end = fw->region_offset + fw->region_size;
	return end < fw->region_offset || end > c->size ? c->size : end;
}

/* Find the CODE partition (me_cleaner: "CODE" entry), or one whose data
 * starts with a $MAN manifest (image.c's fallback rule). */
static int find_code(const struct amt_fw *fw, const uint8_t *d, size_t size)
{
	for (size_t i = 0; i < fw->npartitions; i++) {
		const struct amt_partition *p = &fw->partitions[i];
		if (!strcmp(p->name, "CODE") && !p->empty && p->in_range)
			return (int)i;
	}
	for (size_t i = 0; i < fw->npartitions; i++) {
		const struct amt_partition *p = &fw->partitions[i];
		if (!p->empty && p->in_range && amt_tag_at(d, size, p->offset + 0x1C, "$MAN"))
			return (int)i;
	}
	return -1;
}

static amt_status gen1_sku(struct amt_parse_ctx *c, const struct amt_manifest *m,
			   uint64_t from, uint64_t end, amt_error *err)
{
	struct amt_fw *fw = &c->img->fw;
	const uint8_t *d = c->data;
	uint64_t sku = AMT_NO_OFFSET;

	for (uint64_t o = from; o + 12 <= end; o += 4) {
		if (amt_tag_at(d, c->size, o, "$SKU")) {
			sku = o;
			break;
		}
	}
	if (sku == AMT_NO_OFFSET || !amt_in(c->size, sku, 12)) {
		fw->amt_present = AMT_UNKNOWN;
		if (amt_fw_add_evidence(fw, "no $SKU in the CODE manifest (searched 0x%llx-0x%llx): "
				       "AMT capability unknown",
				       (unsigned long long)from, (unsigned long long)end))
			return amt_error_set(err, AMT_E_NOMEM, "$SKU", from, "out of memory");
		return AMT_OK;
	}
	uint32_t v = amt_rd32be(d + sku + 8);
	fw->sku_raw = v;
	amt_fw_sku_bytes(fw, d, sku + 8, 4);
	const struct sku_name *hit = NULL;
	for (size_t i = 0; i < sizeof(sku_table) / sizeof(sku_table[0]); i++)
		if (sku_table[i].major == m->version.major && sku_table[i].value == v)
			hit = &sku_table[i];
	amt_status st;
	if (hit) {
		snprintf(fw->sku, sizeof(fw->sku), "%s", hit->name);
		fw->sku_known = true;
		fw->amt_present = hit->amt;
		st = amt_fw_add_evidence(fw, "$SKU at 0x%llx = 0x%08X (ME %u): %s => AMT %s "
					 "(ME 2-5 SKU values from MEA.py)",
					 (unsigned long long)sku, v, m->version.major, hit->name,
					 hit->amt == AMT_YES ? "present" : "absent");
	} else {
		snprintf(fw->sku, sizeof(fw->sku), "unknown (0x%08X)", v);
		fw->amt_present = AMT_UNKNOWN;
		st = amt_fw_add_evidence(fw, "$SKU at 0x%llx = 0x%08X (ME %u): value not in the "
					 "known ME 2-5 SKU list => AMT unknown",
					 (unsigned long long)sku, v, m->version.major);
	}
	if (st)
		return amt_error_set(err, st, "$SKU", sku, "out of memory");
	return AMT_OK;
}

amt_status amt_gen1_parse(struct amt_parse_ctx *c, amt_error *err)
{
	struct amt_fw *fw = &c->img->fw;
	const uint8_t *d = c->data;
	amt_status st;

	fw->family = AMT_FAM_ME;
	fw->amt_present = AMT_UNKNOWN;
	int pi = find_code(fw, d, c->size);
	if (pi < 0) {
		amt_image_problemf(c->img, AMT_E_RANGE, "$FPT", fw->fpt.offset,
				   "no CODE partition with data in the region: firmware version "
				   "and SKU unknown");
		return AMT_OK;
	}
	uint64_t poff = fw->partitions[pi].offset;
	uint64_t pend = poff + fw->partitions[pi].size;

	int mi;
	amt_error sub;
	amt_error_clear(&sub);
	st = amt_manifest_parse(c, poff, pend, fw->partitions[pi].name, "", &mi, &sub);
	if (st == AMT_E_NOMEM)
		return amt_error_set(err, st, sub.structure, sub.offset, "%s", sub.message);
	if (st != AMT_OK) {
		amt_image_problem(c->img, &sub);
		return AMT_OK;
	}
	fw->partitions[pi].manifest = mi;
	fw->ftpr_manifest = mi;
	const struct amt_manifest *m = &fw->manifests[mi];
	fw->version = m->version;
	fw->version_known = true;

	/* Old $MME table. */
	uint64_t man_end = poff + m->size;
	if (man_end > pend)
		man_end = pend;
	uint64_t tab = poff + MAN_MME_OFF;
	uint32_t n = m->module_count;
	uint64_t fit = man_end > tab ? (man_end - tab) / MME_OLD_SIZE : 0;
	if (n > fit) {
		amt_image_problemf(c->img, AMT_E_RANGE, "$MAN", poff + 0x20,
				   "the manifest claims %u modules but only %llu module headers fit "
				   "before its end 0x%llx", n, (unsigned long long)fit,
				   (unsigned long long)man_end);
		n = (uint32_t)fit;
	}
	fw->partitions[pi].first_module = fw->nmodules;
	uint64_t data = poff + m->size; /* module data follows the manifest */
	uint32_t found = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t ho = tab + (uint64_t)i * MME_OLD_SIZE;
		const uint8_t *h = d + ho;
		if (memcmp(h, "$MME", 4)) {
			amt_image_problemf(c->img, AMT_E_BADMAGIC, "$MME", ho,
					   "module header %u of %u has no $MME tag; stopping", i, n);
			break;
		}
		struct amt_module *mod = amt_fw_add_module(fw);
		if (!mod)
			return amt_error_set(err, AMT_E_NOMEM, "$MME", ho, "out of memory");
		amt_name_copy(mod->name, h + 0x1C, 16);
		snprintf(mod->partition, sizeof(mod->partition), "%s", fw->partitions[pi].name);
		mod->kind = AMT_MOD_MODULE;
		mod->header_offset = ho;
		mod->size = amt_rd32(h + 0x40);
		mod->flags = amt_rd32(h + 0x44);
		mod->comp = AMT_COMP_UNKNOWN; /* gen 1 compression flags not documented */
		mod->hash_ok = AMT_UNKNOWN;
		mod->removable = AMT_UNKNOWN;
		mod->hap_boot = AMT_UNKNOWN;
		mod->offset = data;
		mod->in_range = amt_in(pend, data, mod->size) && amt_tag_at(d, c->size, data, "$MOD");
		mod->present = amt_stored_present(d, region_end(c), poff,
						  poff + fw->partitions[pi].size, data, mod->size);
		if (mod->in_range)
			mod->hash_ok = sha1_matches(d + data, mod->size, h + 0x2C);
		else
			amt_image_problemf(c->img, AMT_E_RANGE, "$MME", ho,
					   "module %s: no $MOD data at 0x%llx (0x%x bytes) inside %s",
					   mod->name, (unsigned long long)data, mod->size,
					   fw->partitions[pi].name);
		data += mod->size;
		found++;
	}
	fw->partitions[pi].nmodules = found;

	st = gen1_sku(c, &fw->manifests[mi], tab + (uint64_t)found * MME_OLD_SIZE, man_end, err);
	fw->key = &fw->manifests[fw->ftpr_manifest].key;
	return st;
}
