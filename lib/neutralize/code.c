/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * "Code kept": the one computation behind every figure of how much ME code
 * an image holds or keeps (inspect's preview of the default neutralization,
 * neutralize's report of what it wrote, verify's account of an image).
 *
 * The code of a firmware is its code modules (AMT_MOD_MODULE; manifests and
 * metadata are not code): those of the FTPR / CODE partition, and on CSME
 * 12+ / IFWI layouts (where the default neutralization keeps the firmware
 * whole) those of every partition. Why FTPR alone: the partition the boot
 * needs and the only one a stripped image still describes, so that the
 * same figure can be read from an image before and after neutralization
 * (the other partitions are removed whole, leaving no trace of their
 * size). A module counts with its stored bytes (amt_code_module_bytes):
 *  - its stored size (uncompressed, LZMA, CSE Huffman entries);
 *  - a generation-2 Huffman module (whose stored size is 0: its code lies
 *    in chunks of the partition's LLUT stream) with the bytes of its LLUT
 *    chunks as me_cleaner takes them (first chunk + unpacked size / chunk
 *    size); in a total each chunk counts once however many modules share
 *    it, and repeated / empty chunks (no bytes of their own) not at all.
 * Which modules count as kept (a module without code in the image never):
 *  - a caller's mask (the modules a plan keeps: the what-remains table);
 *  - AMT_CODE_PRESENT: those that hold code in this image (present YES or
 *    UNKNOWN: lib/fw/present.c), so a neutralized output tells what remains;
 *  - AMT_CODE_DEFAULT_KEEP: those the default neutralization keeps (the
 *    boot keep-list of lib/fw/boot.c on FTPR, everything on CSME 12+,
 *    nothing where the region is wiped: lib/fw/keep.c marks them) and that
 *    hold code now.
 */
#include <stdlib.h>
#include <string.h>

#include <amtless/neutralize.h>

#include "internal.h"

static bool code_module(const struct amt_module *m, bool whole)
{
	if (m->kind != AMT_MOD_MODULE)
		return false;
	if (whole)
		return true;
	return !strcmp(m->partition, "FTPR") || !strcmp(m->partition, "CODE");
}

/* CSME 12+ / IFWI: every partition's modules are code the default keeps. */
static bool whole_firmware(const struct amt_fw *fw)
{
	return fw->layout == AMT_LAYOUT_IFWI16 || fw->layout == AMT_LAYOUT_IFWI17 ||
	       fw->layout == AMT_LAYOUT_BPDT ||
	       (fw->generation == 3 && fw->version_known && fw->version.major >= 12);
}

amt_code_scope amt_code_scope_of(const struct amt_fw *fw)
{
	return whole_firmware(fw) ? AMT_CODE_SCOPE_FIRMWARE : AMT_CODE_SCOPE_BOOT_PARTITION;
}

static bool counts_kept(const struct amt_module *m, size_t i, bool default_keep,
			const bool *mask)
{
	if (m->present == AMT_NO)
		return false;
	if (mask)
		return mask[i];
	return !default_keep || m->kept;
}

/* the LLUT chunks [first, last] of a gen 2 Huffman module; false: none */
static bool huffman_chunks(const struct amt_fw *fw, const struct amt_module *m, uint64_t *first,
			   uint64_t *last)
{
	return m->llut >= 0 && (size_t)m->llut < fw->nlluts && fw->lluts[m->llut].table_ok &&
	       amt_llut_module_chunks(fw, m, AMT_CHUNKS_ME_CLEANER, first, last);
}

static bool gen2_huffman(const struct amt_fw *fw, const struct amt_module *m)
{
	return fw->generation == 2 && m->comp == AMT_COMP_HUFFMAN;
}

static uint64_t chunk_bytes(const struct amt_llut_chunk *ch)
{
	return !ch->offset || ch->repeated || ch->end <= ch->offset ? 0 : ch->end - ch->offset;
}

uint64_t amt_code_module_bytes(const struct amt_fw *fw, const struct amt_module *m)
{
	if (m->kind != AMT_MOD_MODULE)
		return 0;
	if (!gen2_huffman(fw, m))
		return m->size;
	uint64_t first, last, n = 0;
	if (!huffman_chunks(fw, m, &first, &last))
		return 0;
	const struct amt_llut *l = &fw->lluts[m->llut];
	for (uint64_t c = first; c <= last && c < l->nchunks; c++)
		n += chunk_bytes(&l->chunks[c]);
	return n;
}

amt_status amt_code_tally(const struct amt_fw *fw, bool default_keep, const bool *mask,
			  uint64_t *total, uint64_t *kept, unsigned *nmodules, unsigned *nkept)
{
	*total = *kept = 0;
	*nmodules = *nkept = 0;
	bool whole = whole_firmware(fw);
	/* per LLUT, which chunks are counted (total) and kept */
	uint8_t **seen = NULL;
	if (fw->nlluts) {
		seen = calloc(fw->nlluts, sizeof(*seen));
		if (!seen)
			return AMT_E_NOMEM;
	}
	amt_status st = AMT_OK;
	for (size_t i = 0; i < fw->nmodules && st == AMT_OK; i++) {
		const struct amt_module *m = &fw->modules[i];
		if (!code_module(m, whole))
			continue;
		bool k = counts_kept(m, i, default_keep, mask);
		(*nmodules)++;
		if (k)
			(*nkept)++;
		if (!gen2_huffman(fw, m)) {
			*total += m->size;
			if (k)
				*kept += m->size;
			continue;
		}
		uint64_t first, last;
		if (!huffman_chunks(fw, m, &first, &last))
			continue;
		const struct amt_llut *l = &fw->lluts[m->llut];
		if (!seen[m->llut]) {
			/* bit 0: counted in total, bit 1: counted as kept */
			seen[m->llut] = calloc(l->nchunks + 1, 1);
			if (!seen[m->llut]) {
				st = AMT_E_NOMEM;
				break;
			}
		}
		uint8_t *s = seen[m->llut];
		for (uint64_t c = first; c <= last && c < l->nchunks; c++) {
			uint64_t n = chunk_bytes(&l->chunks[c]);
			if (!n)
				continue;
			if (!(s[c] & 1)) {
				s[c] |= 1;
				*total += n;
			}
			if (k && !(s[c] & 2)) {
				s[c] |= 2;
				*kept += n;
			}
		}
	}
	for (size_t i = 0; i < fw->nlluts && seen; i++)
		free(seen[i]);
	free(seen);
	return st;
}

void amt_code_measure_init(struct amt_code_measure *m)
{
	memset(m, 0, sizeof(*m));
	m->struct_size = sizeof(*m);
}

amt_status amt_code_measure(const struct amt_image *img, amt_code_basis basis,
			    struct amt_code_measure *out, amt_error *err)
{
	amt_error_clear(err);
	if (!img || !out || out->struct_size < sizeof(*out) ||
	    (basis != AMT_CODE_PRESENT && basis != AMT_CODE_DEFAULT_KEEP))
		return amt_error_set(err, AMT_E_ARG, "code", AMT_NO_OFFSET,
				     "no image, or a measure not set up by amt_code_measure_init");
	size_t ss = out->struct_size;
	memset(out, 0, sizeof(*out));
	out->struct_size = ss;
	out->basis = basis;
	if (!img->has_fw)
		return AMT_OK;
	amt_status st = amt_code_tally(&img->fw, basis == AMT_CODE_DEFAULT_KEEP, NULL, &out->total,
				       &out->kept, &out->nmodules, &out->nkept);
	if (st != AMT_OK)
		return amt_error_set(err, st, "code", AMT_NO_OFFSET, "out of memory");
	out->known = out->nmodules > 0;
	out->scope = amt_code_scope_of(&img->fw);
	return AMT_OK;
}
