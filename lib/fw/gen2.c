/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Generation 2 firmware (ME 6-10, TXE 1-2, SPS 2-3): $FPT + code
 * partitions (FTPR, NFTP, MDMV, IGRT, ...) that start with a $MN2 R0
 * manifest followed by a $MME module table.
 *
 * Facts (doc/formats.md#mme; me_cleaner check_and_remove_modules /
 * remove_modules; MEA.py MME_Header_New, get_variant), checked on the
 * corpus ME 6.0, 7.1, 8.0, 8.1, 9.1, 9.5, 10.0 and TXE 1.1, 2.0 regions:
 * - $MME table at manifest+0x290, stride 0x60 (ME, SPS) or 0x80 (TXE).
 *   +0x04 name[16], +0x14 SHA-256 (stored byte-reversed; checked against
 *   the decompressed LZMA modules of the corpus), +0x34 load base, +0x38
 *   data offset from the manifest (= partition) start, +0x3C uncompressed
 *   size, +0x40 stored size, +0x50 flags (bits 6:4: 0 none, 1 Huffman,
 *   2 LZMA).
 * - After the table: one unused stride of 0xFF, an optional $MCP block
 *   (ME 7-10, TXE) and $SKU (+0x04 length in dwords: 3 on ME 6, 4 later).
 *   me_cleaner reads $SKU at +0x290 + (count + 1) * 0x60 on ME 6; we search
 *   from the table end to the manifest end.
 * - Huffman modules share the LLUT at the first Huffman module's data
 *   offset: +0x04 chunk count, +0x08 address base, +0x0C SPI base,
 *   +0x30 chunk size, +0x40 chunk table (4 bytes per chunk).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <amtless/extract.h>

#include "fw/huffman_int.h"
#include "internal.h"

#define MN2_MME_OFF 0x290u
/* Largest module we decompress to check its hash. */
#define MAX_CHECK_USIZE (16u << 20)

/* me_cleaner: 0x60 when a second $MME follows at +0x60 or there is one
 * module; 0x80 when it follows at +0x80. Also 0x50 (old headers). */
static unsigned mme_stride(const uint8_t *d, size_t size, uint64_t tab, uint32_t count)
{
	if (!amt_tag_at(d, size, tab, "$MME"))
		return 0;
	if (count == 1 || amt_tag_at(d, size, tab + 0x60, "$MME"))
		return 0x60;
	if (amt_tag_at(d, size, tab + 0x80, "$MME"))
		return 0x80;
	if (amt_tag_at(d, size, tab + 0x50, "$MME"))
		return 0x50;
	return 0;
}

static bool sha256(const uint8_t *p, size_t len, uint8_t out[32])
{
	unsigned int olen = 0;
	return EVP_Digest(p, len, out, &olen, EVP_sha256(), NULL) == 1;
}

/* Stored hash == SHA-256(data), in either byte order. */
static amt_tristate hash_matches(const uint8_t *p, size_t len, const uint8_t *stored)
{
	uint8_t h[32], r[32];
	if (!sha256(p, len, h))
		return AMT_UNKNOWN;
	for (int i = 0; i < 32; i++)
		r[i] = h[31 - i];
	return (!memcmp(h, stored, 32) || !memcmp(r, stored, 32)) ? AMT_YES : AMT_NO;
}

/* LZMA module hash. TXE 1-2 streams (and CSE ones, MEA mod_anl) carry 3
 * extra zero bytes at +0x0E after a "36 00 40 00 00" header: verified on
 * the corpus TXE 1.1 / 2.0 images, where the hash matches only without
 * them; amt_lzma_unpack (lib/extract/extract.c) drops them. A corrupt or cut
 * stream is a mismatch; one that cannot be unpacked here is unknown. */
static amt_tristate lzma_hash(const uint8_t *p, size_t len, uint32_t usize,
			      const uint8_t *stored)
{
	if (usize == 0 || usize > MAX_CHECK_USIZE)
		return AMT_UNKNOWN;
	uint8_t *u = NULL;
	size_t ulen = 0;
	amt_tristate r;
	switch (amt_lzma_unpack(p, len, 0, usize, &u, &ulen, NULL)) {
	case AMT_OK:
		r = hash_matches(u, ulen, stored);
		break;
	case AMT_E_CHECKSUM:
	case AMT_E_TRUNCATED:
	case AMT_E_BADMAGIC:
		r = AMT_NO;
		break;
	default:
		r = AMT_UNKNOWN;
	}
	free(u);
	return r;
}

/* Huffman modules of partition pi: unpacked through their LLUT/GLUT
 * (lib/fw/huffman.c) and compared with the $MME hash; an erased module
 * (present NO, lib/fw/present.c) is not checked. Modules of other
 * compressions that are gone say so too. */
static void huffman_hashes(struct amt_parse_ctx *c, size_t pi)
{
	struct amt_fw *fw = &c->img->fw;
	const struct amt_partition *p = &fw->partitions[pi];
	for (size_t k = p->first_module; k < p->first_module + p->nmodules && k < fw->nmodules; k++) {
		struct amt_module *m = &fw->modules[k];
		if (m->present == AMT_NO && m->hash_ok != AMT_YES) {
			m->hash_ok = AMT_UNKNOWN;
			m->unchecked = AMT_UNCHECKED_REMOVED;
		} else if (m->comp == AMT_COMP_HUFFMAN) {
			m->hash_ok = amt_huff_module_check(c->data, c->size, fw, k, m->stored_hash,
							   m->hash_len, &m->unchecked, NULL, NULL,
							   NULL);
		}
	}
}

/* Parse the $MME table of the manifest m (index mi) of partition pi.
 * Returns the offset just after the table (or the table start). */
/* End of the readable part of a partition: its end clipped to the
 * region and to the input. */
static uint64_t part_end(const struct amt_parse_ctx *c, const struct amt_partition *p)
{
	const struct amt_fw *fw = &c->img->fw;
	uint64_t end = p->offset + p->size;
	uint64_t rend = fw->region_offset + fw->region_size;
	if (end < p->offset || end > rend)
		end = rend;
	if (end > c->size)
		end = c->size;
	return end;
}

/* End of the region, clipped to the input. */
static uint64_t region_end(const struct amt_parse_ctx *c)
{
	const struct amt_fw *fw = &c->img->fw;
	uint64_t end = fw->region_offset + fw->region_size;
	return end < fw->region_offset || end > c->size ? c->size : end;
}

/* End of a partition as its $FPT entry declares it (not clipped). */
static uint64_t part_decl_end(const struct amt_partition *p)
{
	return p->size > UINT64_MAX - p->offset ? UINT64_MAX : p->offset + p->size;
}

static amt_status parse_modules(struct amt_parse_ctx *c, size_t pi, int mi, bool ftpr,
				unsigned *stride_out, uint64_t *tab_end, amt_error *err)
{
	struct amt_fw *fw = &c->img->fw;
	const uint8_t *d = c->data;
	const struct amt_manifest *m = &fw->manifests[mi];
	struct amt_partition *p = &fw->partitions[pi];
	uint64_t poff = p->offset, pend = part_end(c, p);
	uint64_t man_end = m->offset + m->size;
	if (man_end > pend)
		man_end = pend;
	uint64_t tab = m->offset + MN2_MME_OFF;
	uint32_t n = m->module_count;

	*stride_out = 0;
	*tab_end = tab;
	p->first_module = fw->nmodules;
	p->nmodules = 0;
	if (n == 0)
		return AMT_OK;
	unsigned stride = mme_stride(d, man_end, tab, n);
	if (!stride) {
		amt_image_problemf(c->img, AMT_E_BADMAGIC, "$MME", tab,
				   "%s: cannot find the $MME module header size (no $MME at "
				   "+0x290 followed by one at +0x60/+0x80)", p->name);
		return AMT_OK;
	}
	*stride_out = stride;
	uint64_t fit = man_end > tab ? (man_end - tab) / stride : 0;
	if (n > fit) {
		amt_image_problemf(c->img, AMT_E_RANGE, "$MN2", m->offset + 0x20,
				   "%s manifest claims %u modules but only %llu headers of 0x%x "
				   "bytes fit before its end 0x%llx", p->name, n,
				   (unsigned long long)fit, stride, (unsigned long long)man_end);
		n = (uint32_t)fit;
	}
	int llut = -1;
	bool llut_done = false;
	uint64_t llut_at = AMT_NO_OFFSET;   /* where the Huffman modules point */
	uint32_t i;
	for (i = 0; i < n; i++) {
		uint64_t ho = tab + (uint64_t)i * stride;
		const uint8_t *h = d + ho;
		if (memcmp(h, "$MME", 4)) {
			amt_image_problemf(c->img, AMT_E_BADMAGIC, "$MME", ho,
					   "%s: module header %u of %u has no $MME tag; stopping",
					   p->name, i, n);
			break;
		}
		struct amt_module *mod = amt_fw_add_module(fw);
		if (!mod)
			return amt_error_set(err, AMT_E_NOMEM, "$MME", ho, "out of memory");
		amt_name_copy(mod->name, h + 4, 16);
		snprintf(mod->partition, sizeof(mod->partition), "%s", p->name);
		mod->kind = AMT_MOD_MODULE;
		mod->header_offset = ho;
		mod->offset = m->offset + amt_rd32(h + 0x38);
		mod->usize = amt_rd32(h + 0x3C);
		mod->size = amt_rd32(h + 0x40);
		mod->flags = amt_rd32(h + 0x50);
		mod->load_base = amt_rd32(h + 0x34);
		mod->llut = -1;
		mod->removable = AMT_UNKNOWN;
		mod->hap_boot = AMT_UNKNOWN;
		mod->hash_ok = AMT_UNKNOWN;
		/* the stored hash, for every consumer (amt_fw_stored_hash) */
		memcpy(mod->stored_hash, h + 0x14, 32);
		mod->hash_len = 32;
		mod->hash_offset = ho + 0x14;
		switch ((mod->flags >> 4) & 7) {
		case 0: mod->comp = AMT_COMP_NONE; break;
		case 1: mod->comp = AMT_COMP_HUFFMAN; break;
		case 2: mod->comp = AMT_COMP_LZMA; break;
		default: mod->comp = AMT_COMP_UNKNOWN; break;
		}
		/* Huffman modules are fragmented: their offset is the shared
		 * LLUT, which must lie in the partition. */
		if (mod->comp == AMT_COMP_HUFFMAN)
			mod->in_range = mod->offset >= poff && amt_in(pend, mod->offset, 0x40);
		else
			mod->in_range = mod->offset >= poff && amt_in(pend, mod->offset, mod->size);
		if (mod->comp != AMT_COMP_HUFFMAN)
			mod->present = amt_stored_present(d, region_end(c), poff, part_decl_end(p),
							  mod->offset, mod->size);
		if (!mod->in_range) {
			amt_image_problemf(c->img, AMT_E_RANGE, "$MME", ho,
					   "%s module %s: data 0x%llx (+0x%x bytes) outside the "
					   "partition 0x%llx-0x%llx", p->name, mod->name,
					   (unsigned long long)mod->offset, mod->size,
					   (unsigned long long)poff, (unsigned long long)pend);
		} else if (mod->comp == AMT_COMP_NONE) {
			mod->hash_ok = hash_matches(d + mod->offset, mod->size, h + 0x14);
		} else if (mod->comp == AMT_COMP_LZMA) {
			mod->hash_ok = lzma_hash(d + mod->offset, mod->size, mod->usize, h + 0x14);
		}
		/* Huffman modules share the LLUT at the first one's data */
		if (mod->comp == AMT_COMP_HUFFMAN && !llut_done) {
			llut_done = true;
			llut_at = mod->offset;
			if (amt_llut_parse(c, pi, mod->offset, pend, &llut))
				return amt_error_set(err, AMT_E_NOMEM, "LLUT", mod->offset,
						     "out of memory");
			mod = &fw->modules[fw->nmodules - 1];
			if (ftpr && llut >= 0) {
				const struct amt_llut *l = &fw->lluts[llut];
				fw->has_llut = true;
				fw->llut_offset = l->offset;
				fw->llut_chunks = l->nchunks;
				fw->llut_addr_base = l->addr_base;
				fw->llut_spi_base = l->spi_base;
				fw->llut_chunk_size = l->chunk_size;
			}
		}
		/* (the LLUT there, or the GLUT partition standing in for it) */
		if (mod->comp == AMT_COMP_HUFFMAN && llut >= 0 && mod->offset == llut_at)
			mod->llut = llut;
		p = &fw->partitions[pi];
	}
	p->nmodules = fw->nmodules - p->first_module;
	*tab_end = tab + (uint64_t)i * stride;
	if (amt_gen2_huffman_present(c, pi))
		return amt_error_set(err, AMT_E_NOMEM, "LLUT", poff, "out of memory");
	huffman_hashes(c, pi);
	return AMT_OK;
}

/* SPS (MEA get_variant): "$SKU" 03000000 2FE40100 or 03000000 08000000. */
static bool sku_is_sps(const uint8_t *s)
{
	static const uint8_t a[8] = { 3, 0, 0, 0, 0x2F, 0xE4, 0x01, 0x00 };
	static const uint8_t b[8] = { 3, 0, 0, 0, 0x08, 0x00, 0x00, 0x00 };
	return !memcmp(s + 4, a, 8) || !memcmp(s + 4, b, 8);
}

static amt_status evid(struct amt_fw *fw, amt_error *err, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static amt_status evid(struct amt_fw *fw, amt_error *err, uint64_t off, const char *fmt, ...)
{
	char buf[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (amt_fw_add_evidence(fw, "%s", buf))
		return amt_error_set(err, AMT_E_NOMEM, "$SKU", off, "out of memory");
	return AMT_OK;
}

static void set_sku(struct amt_fw *fw, const char *name, amt_tristate amt)
{
	snprintf(fw->sku, sizeof(fw->sku), "%s", name);
	fw->sku_known = true;
	fw->amt_present = amt;
}

/* ME 6 4-byte $SKU values (MEA.py SKU analysis; doc/formats.md#sku). */
static amt_status sku_me6(struct amt_fw *fw, uint64_t so, uint32_t v, amt_error *err)
{
	const char *name = NULL;
	amt_tristate amt = AMT_UNKNOWN;
	switch (v) {
	case 0x00000000: name = "Ignition"; amt = AMT_NO; fw->ignition = true; break;
	case 0x701C0000: name = "1.5MB"; amt = AMT_NO; break;
	case 0x77DCEE00: case 0x77FCEE00: case 0xF7FEFE00:
		name = "5MB mobile"; amt = AMT_YES; break;
	case 0x77DC6E00: case 0x77FC6E00: case 0xF7FE7E00:
		name = "5MB desktop"; amt = AMT_YES; break;
	}
	if (!name) {
		snprintf(fw->sku, sizeof(fw->sku), "unknown (0x%08X)", v);
		fw->amt_present = AMT_UNKNOWN;
		return evid(fw, err, so, "$SKU at 0x%llx = 0x%08X (ME 6): not a known ME 6 SKU "
			    "value => AMT unknown", (unsigned long long)so, v);
	}
	set_sku(fw, name, amt);
	return evid(fw, err, so, "$SKU at 0x%llx = 0x%08X (ME 6): %s SKU => AMT %s "
		    "(ME 6 SKU values from MEA.py)", (unsigned long long)so, v, name,
		    amt == AMT_YES ? "present" : "absent");
}

/* ME 7-10 / TXE: 8 bytes at $SKU+8; byte 4 bits 3:0 size in 0.5 MB units,
 * bits 6:4 type (ME 9-10), byte 3 bit 7 slim (ME 7) (MEA SKU_Attributes,
 * doc/formats.md#sku). */
static amt_status sku_me7(struct amt_fw *fw, uint64_t so, const uint8_t *v, amt_error *err)
{
	unsigned major = fw->version.major;
	unsigned size = v[4] & 0x0F, type = (v[4] >> 4) & 7;
	char raw[24];
	snprintf(raw, sizeof(raw), "%02X%02X%02X%02X %02X%02X%02X%02X", v[0], v[1], v[2], v[3],
		 v[4], v[5], v[6], v[7]);
	fw->sku_raw = amt_rd64(v);
	amt_fw_sku_bytes(fw, v, 0, 8);
	fw->sku_offset = so + 8;

	if (fw->family == AMT_FAM_TXE) {
		/* Intel's product names (MEA.py TXE SKU): TXE 0-1 size 2 x 0.5MB
		 * "1MB N/W", 3-4 "1.25MB" (x.0) / "1.375MB", 5-6 "3MB", then the
		 * variant the signing key names (" M/D", " I/T"); TXE 2 size 3
		 * "1.375MB". Any other size: not named. */
		const char *name = NULL, *var = NULL;
		if (major <= 1) {
			name = size == 2 ? "1MB N/W" : (size == 3 || size == 4) ?
			       (fw->version.minor == 0 ? "1.25MB" : "1.375MB") :
			       (size == 5 || size == 6) ? "3MB" : NULL;
			var = amt_key_txe_variant(fw->ftpr_manifest >= 0 ?
						  &fw->manifests[fw->ftpr_manifest].key : NULL);
		} else if (major == 2 && size == 3) {
			name = "1.375MB";
		}
		if (name) {
			snprintf(fw->sku, sizeof(fw->sku), "%s%s%s", name, var ? " " : "",
				 var ? var : "");
			fw->sku_known = true;
		} else {
			snprintf(fw->sku, sizeof(fw->sku), "unknown (size %u x 0.5MB)", size);
			fw->sku_known = false;
		}
		fw->amt_present = AMT_NO;
		return evid(fw, err, so, "TXE firmware (module header stride 0x80): TXE has no "
			    "AMT; $SKU at 0x%llx = %s, size %u x 0.5MB",
			    (unsigned long long)so, raw, size);
	}
	if (major >= 9) {
		static const char *const tn[] = { "Corporate", "Consumer", "Slim" };
		if (type <= 2) {
			amt_tristate amt = type == 0 ? AMT_YES : AMT_NO;
			set_sku(fw, tn[type], amt);
			return evid(fw, err, so, "$SKU at 0x%llx = %s (ME %u): SKU type %u (%s, byte 4 "
				    "bits 6:4) => AMT %s (only the corporate SKU has AMT)",
				    (unsigned long long)so, raw, major, type, tn[type],
				    amt == AMT_YES ? "present" : "absent");
		}
	} else {
		bool slim = major == 7 && (v[3] & 0x80);
		if (slim) {
			set_sku(fw, "Slim", AMT_NO);
			return evid(fw, err, so, "$SKU at 0x%llx = %s (ME 7): slim bit (byte 3 bit 7) "
				    "=> AMT absent", (unsigned long long)so, raw);
		}
		if (size == 3 || size == 10) {
			amt_tristate amt = size == 10 ? AMT_YES : AMT_NO;
			set_sku(fw, size == 10 ? "5MB" : "1.5MB", amt);
			return evid(fw, err, so, "$SKU at 0x%llx = %s (ME %u): SKU size %u x 0.5MB "
				    "(byte 4 bits 3:0) = %s => AMT %s (AMT only in the 5MB SKU)",
				    (unsigned long long)so, raw, major, size, fw->sku,
				    amt == AMT_YES ? "present" : "absent");
		}
	}
	snprintf(fw->sku, sizeof(fw->sku), "unknown (%s)", raw);
	fw->amt_present = AMT_UNKNOWN;
	return evid(fw, err, so, "$SKU at 0x%llx = %s (ME %u): size %u, type %u not "
		    "understood => AMT unknown", (unsigned long long)so, raw, major, size, type);
}

static amt_status gen2_sku(struct amt_parse_ctx *c, uint64_t from, uint64_t end,
			   amt_error *err)
{
	struct amt_fw *fw = &c->img->fw;
	const uint8_t *d = c->data;
	uint64_t so = AMT_NO_OFFSET;

	for (uint64_t o = from; o + 12 <= end; o += 4)
		if (amt_tag_at(d, c->size, o, "$SKU")) {
			so = o;
			break;
		}
	if (so == AMT_NO_OFFSET) {
		fw->amt_present = AMT_UNKNOWN;
		return evid(fw, err, from, "no $SKU after the FTPR module table (searched "
			    "0x%llx-0x%llx) => AMT unknown", (unsigned long long)from,
			    (unsigned long long)end);
	}
	const uint8_t *s = d + so;
	uint32_t words = amt_rd32(s + 4);
	amt_fw_sku_bytes(fw, d, so + 8, 4);
	if (sku_is_sps(s)) {
		fw->family = AMT_FAM_SPS;
		fw->sku_raw = amt_rd32be(s + 8);
		set_sku(fw, "SPS", AMT_NO);
		return evid(fw, err, so, "$SKU at 0x%llx = 03000000 %08X: SPS firmware (MEA "
			    "get_variant pattern); SPS (server) firmware has no AMT",
			    (unsigned long long)so, amt_rd32be(s + 8));
	}
	if (fw->version.major == 6 && fw->family == AMT_FAM_ME) {
		fw->sku_raw = amt_rd32be(s + 8);
		return sku_me6(fw, so, amt_rd32be(s + 8), err);
	}
	if (words < 4 || !amt_in(end, so, 16)) {
		fw->sku_raw = amt_rd32be(s + 8);
		snprintf(fw->sku, sizeof(fw->sku), "unknown (0x%08X)", amt_rd32be(s + 8));
		fw->amt_present = AMT_UNKNOWN;
		return evid(fw, err, so, "$SKU at 0x%llx has %u dwords (expected 4 on ME 7-10/TXE) "
			    "=> AMT unknown", (unsigned long long)so, words);
	}
	return sku_me7(fw, so, s + 8, err); /* keeps all 8 bytes */
}

/* A partition with data in range, or (already-truncated regions, where
 * me_cleaner -t cut the region but kept the FTPR entry's length) one that
 * starts inside the region: it is then read up to the region end. */
static int find_part(const struct amt_fw *fw, const char *name)
{
	for (size_t i = 0; i < fw->npartitions; i++) {
		const struct amt_partition *p = &fw->partitions[i];
		if (!strcmp(p->name, name) && p->valid && !p->empty && p->in_range)
			return (int)i;
	}
	for (size_t i = 0; i < fw->npartitions; i++) {
		const struct amt_partition *p = &fw->partitions[i];
		if (!strcmp(p->name, name) && p->valid && !p->empty &&
		    p->offset >= fw->region_offset &&
		    p->offset < fw->region_offset + fw->region_size)
			return (int)i;
	}
	return -1;
}

/* Parse the manifest + modules of partition pi. */
static amt_status parse_code_partition(struct amt_parse_ctx *c, size_t pi, bool ftpr,
				       int *mi, unsigned *stride, uint64_t *tab_end,
				       amt_error *err)
{
	struct amt_fw *fw = &c->img->fw;
	amt_error sub;
	amt_error_clear(&sub);
	char name[5];
	memcpy(name, fw->partitions[pi].name, sizeof(name));
	uint64_t poff = fw->partitions[pi].offset, pend = part_end(c, &fw->partitions[pi]);
	if (!fw->partitions[pi].in_range)
		amt_image_problemf(c->img, AMT_E_TRUNCATED, "$FPT entry",
				   fw->partitions[pi].entry_offset,
				   "partition %s runs past the region end; reading it up to 0x%llx",
				   name, (unsigned long long)pend);

	*mi = -1;
	amt_status st = amt_manifest_parse(c, poff, pend, name, "", mi, &sub);
	if (st == AMT_E_NOMEM)
		return amt_error_set(err, st, sub.structure, sub.offset, "%s", sub.message);
	if (st != AMT_OK) {
		amt_image_problem(c->img, &sub);
		*mi = -1;
		return AMT_OK;
	}
	fw->partitions[pi].manifest = *mi;
	return parse_modules(c, pi, *mi, ftpr, stride, tab_end, err);
}

amt_status amt_gen2_parse(struct amt_parse_ctx *c, amt_error *err)
{
	struct amt_fw *fw = &c->img->fw;
	const uint8_t *d = c->data;
	amt_status st;

	fw->family = AMT_FAM_ME;
	fw->amt_present = AMT_UNKNOWN;

	int fi = find_part(fw, "FTPR");
	if (fi < 0)
		amt_image_problemf(c->img, AMT_E_RANGE, "$FPT", fw->fpt.offset,
				   "no FTPR partition with data in the region: firmware version "
				   "and SKU unknown");
	unsigned stride = 0;
	uint64_t tab_end = 0;
	int mi = -1;
	if (fi >= 0) {
		st = parse_code_partition(c, (size_t)fi, true, &mi, &stride, &tab_end, err);
		if (st)
			return st;
	}
	if (mi >= 0) {
		const struct amt_manifest *m = &fw->manifests[mi];
		fw->ftpr_manifest = mi;
		fw->mme_stride = stride;
		fw->version = m->version;
		fw->version_known = true;
		if (stride == 0x80)
			fw->family = AMT_FAM_TXE; /* MEA get_variant: $MME spacing 0x80 */
		else if (m->key.known && m->key.family == AMT_FAM_TXE)
			fw->family = AMT_FAM_TXE;
		else if (m->key.known && m->key.family == AMT_FAM_SPS)
			fw->family = AMT_FAM_SPS;
	}

	/* Other code partitions that start with a manifest. */
	for (size_t i = 0; i < fw->npartitions; i++) {
		const struct amt_partition *p = &fw->partitions[i];
		if ((int)i == fi || !p->valid || p->empty || !p->in_range)
			continue;
		if (!amt_tag_at(d, c->size, p->offset + 0x1C, "$MN2") ||
		    !amt_in(c->size, p->offset + 0x10, 4) || amt_rd32(d + p->offset + 0x10) != 0x8086)
			continue;
		int omi;
		unsigned ostride;
		uint64_t oend;
		st = parse_code_partition(c, i, false, &omi, &ostride, &oend, err);
		if (st)
			return st;
	}

	if (mi >= 0) {
		const struct amt_manifest *m = &fw->manifests[mi];
		uint64_t man_end = m->offset + m->size;
		uint64_t pend = part_end(c, &fw->partitions[fi]);
		if (man_end > pend)
			man_end = pend;
		st = gen2_sku(c, tab_end, man_end, err);
		if (st)
			return st;
		fw->key = &fw->manifests[fw->ftpr_manifest].key;
	}
	return AMT_OK;
}
