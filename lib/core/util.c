/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Model growth helpers, names of enum values, small byte utilities. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "internal.h"

void amt_name_copy(char *dst, const uint8_t *src, size_t n)
{
	size_t i;
	for (i = 0; i < n && src[i]; i++)
		dst[i] = (char)src[i];
	dst[i] = '\0';
}

uint8_t amt_sum8(const uint8_t *p, size_t len)
{
	uint8_t s = 0;
	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + p[i]);
	return s;
}

uint32_t amt_crc32(const uint8_t *p, size_t len)
{
	uLong crc = crc32(0L, Z_NULL, 0);
	while (len > 0) {
		uInt chunk = len > 0x40000000u ? 0x40000000u : (uInt)len;
		crc = crc32(crc, p, chunk);
		p += chunk;
		len -= chunk;
	}
	return (uint32_t)crc;
}

uint32_t amt_crc32_skip(const uint8_t *p, size_t len, size_t field)
{
	static const uint8_t zero[4];
	uLong crc = crc32(0L, Z_NULL, 0);
	crc = crc32(crc, p, (uInt)field);
	crc = crc32(crc, zero, 4);
	return (uint32_t)crc32(crc, p + field + 4, (uInt)(len - field - 4));
}

/* Grow *arr (element size esz) by one zeroed element. */
void *amt_grow(void **arr, size_t *n, size_t esz)
{
	size_t cnt = *n + 1;
	/* capacity is the next power of two: full when *n is 0 or a power of two */
	if ((*n & (*n - 1)) == 0) {
		size_t cap = 1;
		while (cap < cnt)
			cap <<= 1;
		if (cap > SIZE_MAX / esz)
			return NULL;
		void *p = realloc(*arr, cap * esz);
		if (!p)
			return NULL;
		*arr = p;
	}
	void *el = (char *)*arr + *n * esz;
	memset(el, 0, esz);
	*n = cnt;
	return el;
}

struct amt_partition *amt_fw_add_partition(struct amt_fw *fw)
{
	struct amt_partition *p =
		amt_grow((void **)&fw->partitions, &fw->npartitions, sizeof(*p));
	if (p)
		p->manifest = -1;
	return p;
}

struct amt_manifest *amt_fw_add_manifest(struct amt_fw *fw)
{
	return amt_grow((void **)&fw->manifests, &fw->nmanifests, sizeof(struct amt_manifest));
}

struct amt_module *amt_fw_add_module(struct amt_fw *fw)
{
	struct amt_module *m = amt_grow((void **)&fw->modules, &fw->nmodules,
					sizeof(struct amt_module));
	if (m) {
		m->llut = -1;
		m->hash_offset = AMT_NO_OFFSET;
	}
	return m;
}

void amt_fw_sku_bytes(struct amt_fw *fw, const uint8_t *d, uint64_t off, unsigned n)
{
	if (n > sizeof(fw->sku_bytes))
		n = sizeof(fw->sku_bytes);
	memcpy(fw->sku_bytes, d + off, n);
	fw->sku_nbytes = n;
	fw->sku_offset = off;
}

struct amt_check *amt_fw_add_check(struct amt_fw *fw)
{
	return amt_grow((void **)&fw->checks, &fw->nchecks, sizeof(struct amt_check));
}

amt_status amt_fw_add_evidence(struct amt_fw *fw, const char *fmt, ...)
{
	struct amt_evidence *e =
		amt_grow((void **)&fw->amt_evidence, &fw->namt_evidence, sizeof(*e));
	if (!e)
		return AMT_E_NOMEM;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof(e->text), fmt, ap);
	va_end(ap);
	return AMT_OK;
}

amt_status amt_fw_check(struct amt_fw *fw, const char *what, uint64_t offset,
			amt_tristate ok, uint64_t stored, uint64_t computed,
			const char *note)
{
	struct amt_check *c = amt_fw_add_check(fw);
	if (!c)
		return AMT_E_NOMEM;
	snprintf(c->what, sizeof(c->what), "%s", what);
	c->kind = AMT_CHECK_STRUCTURE;
	c->module = -1;
	c->partition = -1;
	c->offset = offset;
	c->ok = ok;
	c->stored = stored;
	c->computed = computed;
	snprintf(c->note, sizeof(c->note), "%s", note ? note : "");
	return AMT_OK;
}

amt_status amt_image_problem(struct amt_image *img, const amt_error *e)
{
	amt_error *p = amt_grow((void **)&img->problems, &img->nproblems, sizeof(*p));
	if (!p)
		return AMT_E_NOMEM;
	*p = *e;
	return AMT_OK;
}

amt_status amt_image_problemf(struct amt_image *img, amt_status code,
			      const char *structure, uint64_t offset,
			      const char *fmt, ...)
{
	amt_error e;
	va_list ap;
	va_start(ap, fmt);
	amt_error_vset(&e, code, structure, offset, fmt, ap);
	va_end(ap);
	return amt_image_problem(img, &e);
}

void amt_fw_release(struct amt_fw *fw)
{
	free(fw->partitions);
	free(fw->manifests);
	free(fw->modules);
	free(fw->checks);
	free(fw->decls);
	free(fw->amt_evidence);
	free(fw->cse.init);
	free(fw->layout_overlaps);
	amt_llut_release(fw);
	memset(fw, 0, sizeof(*fw));
}

char *amt_version_fmt(const struct amt_version *v, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", v->major, v->minor, v->hotfix, v->build);
	return buf;
}

/* ---- names ---------------------------------------------------------- */

const char *amt_release_str(amt_release r)
{
	switch (r) {
	case AMT_REL_PRODUCTION: return "Production";
	case AMT_REL_PREPRODUCTION: return "Pre-Production";
	case AMT_REL_ROM_BYPASS: return "ROM-Bypass";
	case AMT_REL_UNKNOWN: break;
	}
	return "unknown";
}

const char *amt_fw_type_str(amt_fw_type t)
{
	switch (t) {
	case AMT_FWT_STOCK: return "stock";
	case AMT_FWT_EXTRACTED: return "extracted";
	case AMT_FWT_UPDATE: return "update";
	case AMT_FWT_UNKNOWN: break;
	}
	return "unknown";
}

const char *amt_overlap_why_str(amt_overlap_why w)
{
	switch (w) {
	case AMT_OVL_FTUP: return "FTUP, the update partition, spans NFTP, WCOD and LOCL";
	case AMT_OVL_DLMP: return "DLMP's entry overlaps its neighbours by Intel's design";
	}
	return "unknown";
}

const char *amt_tristate_str(amt_tristate t)
{
	return t == AMT_YES ? "yes" : t == AMT_NO ? "no" : "unknown";
}

const char *amt_input_kind_str(amt_input_kind k)
{
	switch (k) {
	case AMT_KIND_FULL: return "full flash image";
	case AMT_KIND_DESCRIPTOR_ONLY: return "flash descriptor";
	case AMT_KIND_ME_REGION: return "ME region";
	case AMT_KIND_IFWI_REGION: return "CSE region (IFWI layout)";
	case AMT_KIND_BPDT: return "IFWI image (BPDT)";
	case AMT_KIND_UPDATE: return "ME update file";
	case AMT_KIND_ERASED: return "erased flash (every byte 0xFF)";
	case AMT_KIND_UNKNOWN: break;
	}
	return "unknown";
}

const char *amt_region_name(unsigned id)
{
	static const char *names[16] = {
		"Descriptor", "BIOS", "ME", "GbE", "PDR", "DevExp1", "BIOS2", "Region 7",
		"EC", "DevExp2", "IE", "10GbE0", "10GbE1", "Region 13", "Region 14", "PTT",
	};
	return id < 16 ? names[id] : "Region ?";
}

const char *amt_disable_kind_str(amt_disable_kind k)
{
	switch (k) {
	case AMT_DIS_MEDISABLE: return "MeDisable";
	case AMT_DIS_ALTMEDISABLE: return "AltMeDisable";
	case AMT_DIS_HAP: return "HAP";
	case AMT_DIS_NONE: break;
	}
	return "none";
}

const char *amt_family_str(amt_family f)
{
	switch (f) {
	case AMT_FAM_ME: return "ME";
	case AMT_FAM_TXE: return "TXE";
	case AMT_FAM_SPS: return "SPS";
	case AMT_FAM_CSME: return "CSME";
	case AMT_FAM_CSTXE: return "CSTXE";
	case AMT_FAM_CSSPS: return "CSSPS";
	case AMT_FAM_UNKNOWN: break;
	}
	return "unknown";
}

const char *amt_layout_str(amt_layout l)
{
	switch (l) {
	case AMT_LAYOUT_GEN1: return "gen1 ($FPT, CODE, $MAN)";
	case AMT_LAYOUT_GEN2: return "gen2 ($FPT, $MN2, $MME)";
	case AMT_LAYOUT_CSE_FPT: return "CSE ($FPT, $CPD)";
	case AMT_LAYOUT_IFWI16: return "IFWI (CSE layout 1.6, BPDT)";
	case AMT_LAYOUT_IFWI17: return "IFWI (CSE layout 1.7, BPDT)";
	case AMT_LAYOUT_BPDT: return "IFWI 2.0 (BPDT)";
	case AMT_LAYOUT_NONE: break;
	}
	return "none";
}

const char *amt_sig_status_str(amt_sig_status s)
{
	switch (s) {
	case AMT_SIG_VALID: return "valid";
	case AMT_SIG_INVALID: return "invalid";
	case AMT_SIG_UNSUPPORTED: return "unsupported";
	case AMT_SIG_NOT_CHECKED: break;
	}
	return "not checked";
}

const char *amt_unchecked_str(amt_unchecked u)
{
	switch (u) {
	case AMT_UNCHECKED_NONE: return "none";
	case AMT_UNCHECKED_NO_HASH: return "no hash";
	case AMT_UNCHECKED_ENCRYPTED: return "encrypted";
	case AMT_UNCHECKED_REMOVED: return "removed";
	case AMT_UNCHECKED_OUT_OF_RANGE: return "out of range";
	case AMT_UNCHECKED_NO_CHUNK_TABLE: return "no chunk table";
	case AMT_UNCHECKED_CODE_BOOK_GAP: return "code book gap";
	case AMT_UNCHECKED_TOO_LARGE: return "too large";
	case AMT_UNCHECKED_COMPRESSION: return "unknown compression";
	case AMT_UNCHECKED_KNOWN_BAD_HASH: return "known bad hash";
	}
	return "unknown";
}

const char *amt_compression_str(amt_compression c)
{
	switch (c) {
	case AMT_COMP_NONE: return "none";
	case AMT_COMP_HUFFMAN: return "huffman";
	case AMT_COMP_LZMA: return "lzma";
	case AMT_COMP_UNKNOWN: break;
	}
	return "unknown";
}

const char *amt_fpt_type_str(uint32_t type)
{
	switch (type) {
	case AMT_FPT_CODE: return "code";
	case AMT_FPT_DATA: return "data";
	case AMT_FPT_NVRAM: return "nvram";
	case AMT_FPT_GENERIC: return "generic";
	case AMT_FPT_EFFS: return "effs";
	case AMT_FPT_ROM: return "rom";
	}
	return "unknown";
}

bool amt_opts_take(void *dst, size_t dst_size, const void *src, size_t v1_size)
{
	size_t n;
	if (!src)
		return false;
	memcpy(&n, src, sizeof(n));
	if (n < v1_size)
		return false;
	memcpy(dst, src, n < dst_size ? n : dst_size);
	memcpy(dst, &dst_size, sizeof(dst_size));
	return true;
}

void amt_parse_opts_init(struct amt_parse_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->struct_size = sizeof(*o);
	o->verify_signatures = true;
	o->platform_override = AMT_PLAT_UNKNOWN;
}

/* Bytes that differ between a[0..n) and b[0..n); first and last index
 * (AMT_NO_OFFSET when none). */
uint64_t amt_count_diff(const uint8_t *a, const uint8_t *b, uint64_t n, uint64_t *first,
			uint64_t *last)
{
	uint64_t c = 0;
	*first = *last = AMT_NO_OFFSET;
	uint64_t i = 0;
	while (i < n) {
		uint64_t blk = n - i < 4096 ? n - i : 4096;
		if (!memcmp(a + i, b + i, (size_t)blk)) {
			i += blk;
			continue;
		}
		for (uint64_t k = i; k < i + blk; k++)
			if (a[k] != b[k]) {
				if (*first == AMT_NO_OFFSET)
					*first = k;
				*last = k;
				c++;
			}
		i += blk;
	}
	return c;
}
