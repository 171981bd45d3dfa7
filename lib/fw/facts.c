/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Facts about a parsed firmware that need the whole model (family,
 * version, partitions, the FTPR manifest): its Version Control Number, its
 * release (production or not) and whether it is Intel's stock region, a
 * region built for a board, or an update. The rules are MEA's (MEA.py at
 * platomav/MEAnalyzer 089b991); the code is ours.
 *
 * VCN (MEA.py: "Version Control Number" row; mn2_ftpr_hdr.VCN for ME 8+
 * and TXE, ext_anl of the FTPR manifest for the CSE families): R0 $MN2
 * +0x34 is a VCN on ME 8-10 and TXE 0-2 only (ME 6/7, SPS: no such field);
 * CSE manifests carry it in an extension (cse_ext.c).
 *
 * Release (MEA.py "Detect Firmware Release", release_fix): a ROMB
 * partition with data => ROM-Bypass; FTPR manifest flags bit 31
 * (DebugSigned) => Pre-Production; else Production, unless the FTPR key is
 * one of MEA's pre-production keys (MEA.dat rsa_pre_keys; keys.c).
 *
 * Type (MEA.py "Firmware Type detection"):
 *  - IFWI images (layout table / BPDT) are built by Intel's FIT: extracted;
 *  - SPS 2-3 regions are always built by hand: extracted;
 *  - ME 2-7: a non-empty FOVD partition (ME 3+) or NVKR data (ME 2) =>
 *    extracted; else a FITC configuration record ("KRND\0" anywhere) =>
 *    extracted (MEA leaves ME 4 with one to a finer test: not decided here);
 *    else stock on ME 4-7 (ME 2-3 need MEA's finer tests: not decided).
 *    ME 6 Ignition: stock when the clean $MINIFAD checksum pattern
 *    (12 zero bytes, 6D 3C 75 6D) occurs at least twice, else extracted;
 *  - ME 8+, TXE and the CSE families: a $FPT whose only partitions with data
 *    are FTPR, FTUP and NFTP => update; $FPT FIT build 0 or 0xFFFF => stock,
 *    unless FOVD holds data, or (CSTXE) the $FPT header bytes are FIT
 *    placeholders (0xFF), or (CSME 13+) the ROM bypass vectors are 0xFF
 *    (FWUpdate output): extracted; any other FIT build => extracted.
 */
#include <string.h>

#include "internal.h"

static bool all_ff(const uint8_t *d, size_t size, uint64_t off, uint64_t len)
{
	if (!amt_in(size, off, len))
		return false;
	for (uint64_t i = 0; i < len; i++)
		if (d[off + i] != 0xFF)
			return false;
	return true;
}

/* MEA's "empty" partition: no offset, no size, or every byte 0xFF. */
static bool part_has_data(const struct amt_partition *p, const uint8_t *d, size_t size)
{
	if (p->empty || p->size == 0 || p->raw_offset == 0 || p->raw_offset == 0xFFFFFFFFu)
		return false;
	uint64_t len = p->size;
	if (!amt_in(size, p->offset, 1))
		return false;
	if (!amt_in(size, p->offset, len))
		len = size - p->offset;
	return !all_ff(d, size, p->offset, len);
}

static const struct amt_partition *fpt_part(const struct amt_fw *fw, const char *name)
{
	for (size_t i = 0; i < fw->npartitions; i++)
		if (fw->partitions[i].container == AMT_CONT_FPT && !strcmp(fw->partitions[i].name, name))
			return &fw->partitions[i];
	return NULL;
}

static bool mem_has(const uint8_t *d, size_t size, const uint8_t *pat, size_t n)
{
	for (size_t i = 0; i + n <= size; i++)
		if (d[i] == pat[0] && !memcmp(d + i, pat, n))
			return true;
	return false;
}

static void decide_vcn(struct amt_fw *fw)
{
	unsigned major = fw->version_known ? fw->version.major : 0;
	bool r0_vcn = (fw->family == AMT_FAM_ME && major >= 8) || fw->family == AMT_FAM_TXE;

	for (size_t i = 0; i < fw->nmanifests; i++) {
		struct amt_manifest *m = &fw->manifests[i];
		if (m->kind == AMT_MAN_R0) {
			m->vcn_known = r0_vcn;
			if (!r0_vcn) {
				m->vcn = 0;
				m->vcn_offset = 0;
			}
		}
	}
	if (fw->ftpr_manifest >= 0 && (size_t)fw->ftpr_manifest < fw->nmanifests) {
		const struct amt_manifest *m = &fw->manifests[fw->ftpr_manifest];
		fw->vcn_known = m->vcn_known;
		fw->vcn = m->vcn_known ? m->vcn : 0;
	}
}

static void decide_release(struct amt_fw *fw, const uint8_t *d, size_t size)
{
	const struct amt_manifest *m = fw->ftpr_manifest >= 0 &&
		(size_t)fw->ftpr_manifest < fw->nmanifests ? &fw->manifests[fw->ftpr_manifest] : NULL;
	const struct amt_partition *romb = fpt_part(fw, "ROMB");

	fw->release = AMT_REL_UNKNOWN;
	fw->release_why = 0;
	if (!m)
		return;
	if (m->flags & AMT_MAN_FLAG_DEBUG)
		fw->release_why |= AMT_RELWHY_DEBUG_FLAG;
	if (m->key.present && m->key.preproduction)
		fw->release_why |= AMT_RELWHY_PRE_KEY;
	if (romb && part_has_data(romb, d, size))
		fw->release_why |= AMT_RELWHY_ROMB;
	if (fw->release_why & AMT_RELWHY_ROMB)
		fw->release = AMT_REL_ROM_BYPASS;
	else if (fw->release_why & (AMT_RELWHY_DEBUG_FLAG | AMT_RELWHY_PRE_KEY))
		fw->release = AMT_REL_PREPRODUCTION;
	else
		fw->release = AMT_REL_PRODUCTION;
}

static void set_type(struct amt_fw *fw, amt_fw_type t, amt_fwt_rule r)
{
	fw->fw_type = t;
	fw->fw_type_rule = r;
}

static void decide_type(struct amt_fw *fw, const uint8_t *d, size_t size)
{
	unsigned major = fw->version_known ? fw->version.major : 0;
	static const uint8_t krnd[5] = { 'K', 'R', 'N', 'D', 0 };

	set_type(fw, AMT_FWT_UNKNOWN, AMT_FWTR_NONE);
	if (fw->layout == AMT_LAYOUT_IFWI16 || fw->layout == AMT_LAYOUT_IFWI17 ||
	    fw->layout == AMT_LAYOUT_BPDT) {
		set_type(fw, AMT_FWT_EXTRACTED, AMT_FWTR_IFWI);
		return;
	}
	if (!fw->has_fpt || !fw->version_known)
		return;
	if (fw->family == AMT_FAM_SPS) {
		set_type(fw, AMT_FWT_EXTRACTED, AMT_FWTR_SPS);
		return;
	}
	const struct amt_partition *fovd = fpt_part(fw, "FOVD");
	if (fw->family == AMT_FAM_ME && major >= 2 && major <= 7) {
		if (major == 2) {
			/* NVKR: 3-byte size at +0x19, data from +0x1C (MEA fovd_clean "old") */
			const struct amt_partition *nvkr = fpt_part(fw, "NVKR");
			if (nvkr && !nvkr->empty && amt_in(size, nvkr->offset, 0x1C)) {
				const uint8_t *p = d + nvkr->offset;
				uint32_t n = (uint32_t)p[0x19] | (uint32_t)p[0x1A] << 8 |
					     (uint32_t)p[0x1B] << 16;
				uint64_t len = n;
				if (!amt_in(size, nvkr->offset + 0x1C, len))
					len = size > nvkr->offset + 0x1C ? size - nvkr->offset - 0x1C : 0;
				if (!all_ff(d, size, nvkr->offset + 0x1C, len) && len) {
					set_type(fw, AMT_FWT_EXTRACTED, AMT_FWTR_FOVD);
					return;
				}
			}
		} else if (fovd && part_has_data(fovd, d, size)) {
			set_type(fw, AMT_FWT_EXTRACTED, AMT_FWTR_FOVD);
			return;
		}
		if (mem_has(d, size, krnd, sizeof(krnd))) {
			if (major != 4)
				set_type(fw, AMT_FWT_EXTRACTED, AMT_FWTR_KRND);
		} else if (major >= 4) {
			set_type(fw, AMT_FWT_STOCK, AMT_FWTR_NO_KRND);
		}
		if (major == 6 && fw->ignition) {
			static const uint8_t minifad[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
							     0x6D, 0x3C, 0x75, 0x6D };
			unsigned n = 0;
			for (size_t i = 0; i + sizeof(minifad) <= size && n < 2; i++)
				if (d[i + 12] == 0x6D && !memcmp(d + i, minifad, sizeof(minifad)))
					n++;
			set_type(fw, n < 2 ? AMT_FWT_EXTRACTED : AMT_FWT_STOCK, AMT_FWTR_MINIFAD);
		}
		return;
	}
	bool late = (fw->family == AMT_FAM_ME && major >= 8) || fw->family == AMT_FAM_TXE ||
		    fw->family == AMT_FAM_CSME || fw->family == AMT_FAM_CSTXE ||
		    fw->family == AMT_FAM_CSSPS;
	if (!late)
		return;
	/* update: FTPR, FTUP and NFTP are the only partitions with data */
	bool ftpr = false, ftup = false, nftp = false, other = false;
	for (size_t i = 0; i < fw->npartitions; i++) {
		const struct amt_partition *p = &fw->partitions[i];
		if (p->container != AMT_CONT_FPT || !part_has_data(p, d, size))
			continue;
		if (!strcmp(p->name, "FTPR"))
			ftpr = true;
		else if (!strcmp(p->name, "FTUP"))
			ftup = true;
		else if (!strcmp(p->name, "NFTP"))
			nftp = true;
		else
			other = true;
	}
	if (ftpr && ftup && nftp && !other) {
		set_type(fw, AMT_FWT_UPDATE, AMT_FWTR_UPDATE_PARTITIONS);
		return;
	}
	uint16_t fit_build = fw->fpt.fit_version.build;
	if (fit_build != 0 && fit_build != 0xFFFF) {
		set_type(fw, AMT_FWT_EXTRACTED, AMT_FWTR_FIT_VERSION);
		return;
	}
	set_type(fw, AMT_FWT_STOCK, AMT_FWTR_CLEAN_FPT);
	if (fovd && part_has_data(fovd, d, size)) {
		set_type(fw, AMT_FWT_EXTRACTED, AMT_FWTR_FOVD);
		return;
	}
	uint64_t start = fw->fpt.romb_offset != AMT_NO_OFFSET ? fw->fpt.romb_offset : fw->fpt.offset;
	if (fw->family == AMT_FAM_CSTXE && all_ff(d, size, start, 0x10) &&
	    all_ff(d, size, start + 0x1C, 0x14)) {
		set_type(fw, AMT_FWT_EXTRACTED, AMT_FWTR_FIT_PLACEHOLDER);
		return;
	}
	if (fw->family == AMT_FAM_CSME && major >= 13 && all_ff(d, size, start, 0x10))
		set_type(fw, AMT_FWT_EXTRACTED, AMT_FWTR_ROMB_ERASED);
}

void amt_fw_facts(struct amt_fw *fw, const uint8_t *d, size_t size)
{
	decide_vcn(fw);
	decide_release(fw, d, size);
	decide_type(fw, d, size);
}

/* MEA.py ($FPT and BPDT partition overlap checks): FTUP, the "combo"
 * update partition, spans NFTP, WCOD and LOCL; DLMP's entry overlaps its
 * neighbours "by Intel design". Any other overlap is a problem. */
amt_overlap_why amt_overlap_by_design(const char *a, const char *b)
{
	static const char *const in_ftup[] = { "NFTP", "WCOD", "LOCL" };

	if (!strcmp(a, "DLMP") || !strcmp(b, "DLMP"))
		return AMT_OVL_DLMP;
	for (size_t i = 0; i < sizeof(in_ftup) / sizeof(in_ftup[0]); i++)
		if ((!strcmp(a, "FTUP") && !strcmp(b, in_ftup[i])) ||
		    (!strcmp(b, "FTUP") && !strcmp(a, in_ftup[i])))
			return AMT_OVL_FTUP;
	return (amt_overlap_why)0;
}

amt_status amt_fw_add_layout_overlap(struct amt_fw *fw, size_t a, size_t b, amt_overlap_why why)
{
	struct amt_layout_overlap *o = amt_grow((void **)&fw->layout_overlaps,
						&fw->nlayout_overlaps, sizeof(*o));
	if (!o)
		return AMT_E_NOMEM;
	const struct amt_partition *pa = &fw->partitions[a], *pb = &fw->partitions[b];
	o->a = a;
	o->b = b;
	o->why = why;
	o->start = pa->offset > pb->offset ? pa->offset : pb->offset;
	uint64_t ea = pa->offset + pa->size, eb = pb->offset + pb->size;
	o->end = ea < eb ? ea : eb;
	return AMT_OK;
}
