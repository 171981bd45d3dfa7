/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CSE firmware in an $FPT region (ME 11, SPS 4, TXE 3/4 regions) and the
 * common conclusions for every CSE layout (used by ifwi.c too): family,
 * version, SKU, AMT.
 *
 * Family (MEA get_variant, doc/formats.md#family): the known
 * signing key first; else module names ("bup_rcv", "sku_mgr", "manuf" =>
 * CSSPS; "fwupdate" => CSME); else the major version (3, 4 => CSTXE;
 * 11+ => CSME).
 * SKU (MEA get_csme12_sku; doc/formats.md#sku): type from Ext 0x0C
 * FWSKUAttrib[6:4] unless Ext 0x0F (R2, CSME 12+) names a SKU other than
 * CON/COR/ALL/NA/ATM; platform for CSME 11 from FWSKUAttrib[11:10] (0 H,
 * 1 LP; 11.0.0.1205 and later but build 7101), before that from the
 * unpacked FTPR kernel (below), for CSME 12+ from FWSKUCaps bit 8 (H) /
 * bit 9 (LP) (14.5 H => "V", 13 Slim LP => "N").
 * AMT: the image says AMT is present iff FWSKUCaps bit 2 (AMT) is set
 * (MEA main + skuc_dict); LOCL ("AMT localization") / WCOD partitions and
 * "amt*" modules corroborate (INFERRED, doc/formats.md#sku).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cse_int.h"
#include "fw/huffman_int.h"

amt_status amt_cse_parse_partitions(struct amt_parse_ctx *c, amt_error *err)
{
	struct amt_fw *fw = &c->img->fw;
	const uint8_t *d = c->data;

	for (size_t i = 0; i < fw->npartitions; i++) {
		struct amt_partition *p = &fw->partitions[i];
		if (p->empty || p->size == 0 || !amt_tag_at(d, c->size, p->offset, "$CPD"))
			continue;
		/* FTUP and NFTP (ME 11) point at the same bytes: parse once */
		size_t j;
		for (j = 0; j < i; j++)
			if (fw->partitions[j].has_cpd && fw->partitions[j].cpd_offset == p->offset)
				break;
		if (j < i) {
			const struct amt_partition *q = &fw->partitions[j];
			p->has_cpd = true;
			p->cpd_offset = q->cpd_offset;
			p->cpd_version = q->cpd_version;
			p->cpd_entries = q->cpd_entries;
			p->first_module = q->first_module;
			p->nmodules = q->nmodules;
			p->manifest = q->manifest;
			continue;
		}
		uint64_t limit = p->offset + p->size;
		uint64_t rend = fw->region_offset + fw->region_size;
		if (limit > rend)
			limit = rend;
		if (limit > c->size)
			limit = c->size;
		amt_error sub;
		amt_error_clear(&sub);
		amt_status st = amt_cpd_parse(c, i, p->offset, limit, &sub);
		if (st == AMT_E_NOMEM)
			return amt_error_set(err, st, sub.structure, sub.offset, "%s", sub.message);
		if (st != AMT_OK && amt_image_problem(c->img, &sub))
			return amt_error_set(err, AMT_E_NOMEM, "$CPD", p->offset, "out of memory");
	}
	return AMT_OK;
}

static bool has_module(const struct amt_fw *fw, const char *name, bool prefix)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < fw->nmodules; i++) {
		const struct amt_module *m = &fw->modules[i];
		if (m->kind != AMT_MOD_MODULE)
			continue;
		if (prefix ? !strncmp(m->name, name, n) : !strcmp(m->name, name))
			return true;
	}
	return false;
}

static const struct amt_partition *find_partition(const struct amt_fw *fw, const char *name)
{
	for (size_t i = 0; i < fw->npartitions; i++)
		if (!strcmp(fw->partitions[i].name, name) && !fw->partitions[i].empty &&
		    fw->partitions[i].size)
			return &fw->partitions[i];
	return NULL;
}

/* A known key names the family only for the majors it is known for: the
 * Whitley Ignition firmware (SPS 4.2.4.14, edk2-non-osi 6bda6bf) signs
 * FTPR.man with the key of the ME 8.0.0.1351 CRB image. */
static bool key_fits(const struct amt_key_info *k, const struct amt_fw *fw)
{
	if (!fw->version_known || k->major_max == 0)
		return true;
	return fw->version.major >= k->major_min && fw->version.major <= k->major_max;
}

static amt_family decide_family(const struct amt_fw *fw)
{
	if (fw->key && fw->key->known && fw->key->family != AMT_FAM_UNKNOWN && key_fits(fw->key, fw))
		return fw->key->family;
	if (has_module(fw, "bup_rcv", false) || has_module(fw, "sku_mgr", false) ||
	    has_module(fw, "manuf", false))
		return AMT_FAM_CSSPS;
	if (has_module(fw, "fwupdate", false))
		return AMT_FAM_CSME;
	if (!fw->version_known)
		return AMT_FAM_UNKNOWN;
	if (fw->version.major == 3 || fw->version.major == 4)
		return AMT_FAM_CSTXE;
	if (fw->version.major >= 11)
		return AMT_FAM_CSME;
	return AMT_FAM_UNKNOWN;
}

static const char *type_name(int t)
{
	switch (t) {
	case 0: return "Corporate";
	case 1: return "Consumer";
	case 2: return "Slim";
	case 3: return "Server";
	case 5: return "Chrome";
	default: return NULL;
	}
}

/* Ext 0x0F R2 FW SKU byte -> name (MEA CSE_Ext_0F_R2 ext15_fw_sku). */
static const char *pkg_sku_name(unsigned v)
{
	switch (v) {
	case 1: return "Corporate";
	case 2: return "Consumer";
	case 3: return "Slim";
	case 4: return "Lite";
	case 5: return "Server";
	default: return NULL;
	}
}

/*
 * CSME 11 before 11.0.0.1205 says H or LP only in its code (MEA.py, CSME
 * 11 "scan decompressed Huffman module FTPR > kernel"): after the bytes
 * 0F 22 D8 8D 65 F8 5B 5E 5D C3 55 B8 of the unpacked FTPR kernel, the byte
 * there and the one 0x17 further, read as a big-endian u16: 0x56AA or
 * 0x36AA (11.0.0.1126) => H; 0x60A0, 0x004D or 0x9C64 (11.0.0.1100,
 * 11.0.0.1109) => LP. -1 when the kernel does not say.
 */
static int kernel_platform(struct amt_parse_ctx *c)
{
	static const uint8_t pat[12] = { 0x0F, 0x22, 0xD8, 0x8D, 0x65, 0xF8,
					 0x5B, 0x5E, 0x5D, 0xC3, 0x55, 0xB8 };
	const struct amt_fw *fw = &c->img->fw;
	int plat = -1;

	for (size_t k = 0; k < fw->nmodules; k++) {
		const struct amt_module *m = &fw->modules[k];
		if (m->kind != AMT_MOD_MODULE || m->comp != AMT_COMP_HUFFMAN ||
		    strcmp(m->partition, "FTPR") || strcmp(m->name, "kernel"))
			continue;
		uint8_t *u = NULL;
		size_t n = 0;
		amt_huff_module_check(c->data, c->size, fw, k, NULL, 0, NULL, &u, &n, NULL);
		for (size_t i = 0; u && i + sizeof(pat) + 0x18 <= n; i++) {
			if (u[i] != 0x0F || memcmp(u + i, pat, sizeof(pat)))
				continue;
			const uint8_t *e = u + i + sizeof(pat);
			unsigned v = (unsigned)e[0] << 8 | e[0x17];
			plat = (v == 0x56AA || v == 0x36AA) ? 0 :
			       (v == 0x60A0 || v == 0x004D || v == 0x9C64) ? 1 : -1;
			break;
		}
		free(u);
		break;
	}
	return plat;
}

static void decide_sku(struct amt_parse_ctx *c)
{
	struct amt_fw *fw = &c->img->fw;
	struct amt_cse_info *ci = &fw->cse;
	const char *type = NULL, *plat = NULL;
	bool csme = fw->family == AMT_FAM_CSME;
	unsigned major = fw->version_known ? fw->version.major : 0;

	ci->sku_platform = -1;
	if (ci->has_skucaps) {
		type = type_name(ci->sku_type);
		fw->sku_raw = ci->fwsku_attrib;
	}
	/* 0x0F is R2 (meaningful) on CSME 12+ only; 1 COR, 2 CON, 0 NA,
	 * 6 ATM and 255 ALL are not decisive (early images hold 1) */
	if (ci->has_pkg_info && csme && major >= 12 && pkg_sku_name(ci->fw_sku) &&
	    ci->fw_sku != 1 && ci->fw_sku != 2)
		type = pkg_sku_name(ci->fw_sku);
	else if (!type && ci->has_pkg_info && csme && major >= 12)
		type = pkg_sku_name(ci->fw_sku);
	if (csme && ci->has_skucaps) {
		if (major == 11) {
			const struct amt_version *v = &fw->version;
			bool late = v->minor > 0 || v->hotfix > 0 ||
				    (v->build >= 1205 && v->build != 7101);
			if (late) {
				ci->sku_platform = (int)((ci->fwsku_attrib >> 10) & 3);
				fw->sku_platform_source = AMT_SKUPLAT_ATTRIB;
			} else {
				ci->sku_platform = kernel_platform(c);
				if (ci->sku_platform >= 0)
					fw->sku_platform_source = AMT_SKUPLAT_KERNEL;
			}
			plat = ci->sku_platform == 0 ? "H" : ci->sku_platform == 1 ? "LP" : NULL;
			if (!plat)
				fw->sku_platform_source = AMT_SKUPLAT_NONE;
		} else if (major >= 12) {
			if (ci->fwsku_caps & AMT_CAPS_H)
				plat = (major == 14 && fw->version.minor == 5) ? "V" : "H";
			else if (ci->fwsku_caps & AMT_CAPS_LP)
				plat = (major == 13 && type && !strcmp(type, "Slim")) ? "N" : "LP";
			if (plat)
				fw->sku_platform_source = AMT_SKUPLAT_CAPS;
		}
	}
	if (type) {
		snprintf(fw->sku, sizeof(fw->sku), "%s%s%s", type, plat ? " " : "",
			 plat ? plat : "");
		fw->sku_known = true;
	}
}

static amt_status decide_amt(struct amt_fw *fw)
{
	const struct amt_cse_info *ci = &fw->cse;
	const struct amt_manifest *ftpr =
		fw->ftpr_manifest >= 0 ? &fw->manifests[fw->ftpr_manifest] : NULL;
	int corroborating = 0;
	amt_status st;

	if (ci->has_skucaps) {
		bool amt = ci->fwsku_caps & AMT_CAPS_AMT;
		st = amt_fw_add_evidence(fw, "FWSKUCaps 0x%08x (Ext 0x0C in %s/%s at 0x%llx): "
					 "bit 2 (AMT) %s", ci->fwsku_caps,
					 ftpr ? ftpr->partition : "FTPR",
					 ftpr ? ftpr->name : "FTPR.man",
					 (unsigned long long)(ftpr ? ftpr->offset : 0),
					 amt ? "set" : "clear");
		if (st)
			return st;
		const char *t = type_name(ci->sku_type);
		st = amt_fw_add_evidence(fw, "FWSKUAttrib 0x%llx: SKU type %d (%s)%s",
					 (unsigned long long)ci->fwsku_attrib, ci->sku_type,
					 t ? t : "unknown",
					 ci->sku_type == 0 ? ": corporate SKUs carry AMT" : "");
		if (st)
			return st;
	}
	if (ci->has_pkg_info) {
		st = amt_fw_add_evidence(fw, "Ext 0x0F FW type %u, FW SKU %u%s", ci->fw_type,
					 ci->fw_sku, fw->version.major >= 12
					 ? "" : " (R1 layout: not used)");
		if (st)
			return st;
	}
	static const char *const amt_parts[] = { "LOCL", "WCOD" };
	for (size_t i = 0; i < 2; i++) {
		const struct amt_partition *p = find_partition(fw, amt_parts[i]);
		if (!p)
			continue;
		corroborating++;
		st = amt_fw_add_evidence(fw, "partition %s (%s) present at 0x%llx, 0x%llx bytes",
					 p->name, i == 0 ? "AMT localization" : "AMT web content",
					 (unsigned long long)p->offset, (unsigned long long)p->size);
		if (st)
			return st;
	}
	for (size_t i = 0; i < fw->nmodules; i++) {
		const struct amt_module *m = &fw->modules[i];
		if (m->kind != AMT_MOD_MODULE || strncmp(m->name, "amt", 3))
			continue;
		corroborating++;
		st = amt_fw_add_evidence(fw, "module %s/%s present at 0x%llx", m->partition,
					 m->name, (unsigned long long)m->offset);
		if (st)
			return st;
	}

	/* a corporate SKU type without the AMT capability bit is a conflict
	 * too: say so rather than guess */
	bool corp = ci->has_skucaps && ci->sku_type == 0;
	bool caps_amt = ci->has_skucaps && (ci->fwsku_caps & AMT_CAPS_AMT);
	if (caps_amt)
		fw->amt_present = AMT_YES;
	else if (ci->has_skucaps && !corroborating && !corp)
		fw->amt_present = AMT_NO;
	else if (!ci->has_skucaps && corroborating)
		fw->amt_present = AMT_YES;
	else
		fw->amt_present = AMT_UNKNOWN;
	if (ci->has_skucaps && !caps_amt && (corroborating || corp))
		return amt_fw_add_evidence(fw, "conflict: FWSKUCaps bit 2 says no AMT but %s",
					   corroborating ? "AMT partitions/modules are present"
					   : "the SKU type is corporate");
	if (!ci->has_skucaps)
		return amt_fw_add_evidence(fw, "no Ext 0x0C (FWSKUCaps) found in the FTPR manifest");
	return AMT_OK;
}

/* FTPR's manifest does not verify but a second one in the same $CPD
 * does (FTPR2.man of the Whitley SPS Ignition 4.2.4.14 image: FTPR.man is
 * signed with a pre-production key, MEA lists that signature as known
 * bad): the firmware is the one FTPR2.man signs. */
static void pick_ftpr2(struct amt_fw *fw)
{
	int i = fw->ftpr_manifest;
	if (i < 0 || (size_t)i >= fw->nmanifests || fw->manifests[i].sig != AMT_SIG_INVALID)
		return;
	const struct amt_manifest *a = &fw->manifests[i];
	for (size_t j = 0; j < fw->nmanifests; j++) {
		const struct amt_manifest *b = &fw->manifests[j];
		if ((int)j == i || b->sig != AMT_SIG_VALID || strcmp(b->partition, a->partition) ||
		    strcmp(b->name, "FTPR2.man") || memcmp(&a->version, &b->version, sizeof(a->version)))
			continue;
		fw->ftpr_manifest = (int)j;
		return;
	}
}

/*
 * Server firmware (SPS) checks the other CSE families do not share:
 *  - the R1 $CPD checksum-8 of SPS Ignition regions covers the 0x10-byte
 *    header only, not the entries: so on both public Ignition regions
 *    (edk2-non-osi c10580a Purley 1.0.2.43, 6bda6bf Whitley 4.2.4.14: FTPR
 *    stored 0xB2 / 0xB1, the header-only sums). MEA computes header +
 *    entries and lists exactly these two values as known bad
 *    (MEA.dat cse_known_bad_hashes "$CPD_CSSPS_1_0x000000B2",
 *    "$CPD_CSSPS_4_0x000000B1"); it has no rule for them.
 *  - the extension 0x03 partition hash never matches on SPS 1 and 4.2
 *    (MEA.py: "CSSPS 1/IGN" and "CSSPS 4.2/IGN Partition Hash is always
 *    wrong, ignore").
 */
static void sps_checks(struct amt_parse_ctx *c)
{
	struct amt_fw *fw = &c->img->fw;
	const uint8_t *d = c->data;
	unsigned major = fw->version_known ? fw->version.major : 0;
	unsigned minor = fw->version_known ? fw->version.minor : 0;
	for (size_t i = 0; i < fw->nchecks; i++) {
		struct amt_check *k = &fw->checks[i];
		if (k->ok != AMT_NO)
			continue;
		if (k->kind == AMT_CHECK_CPD && k->offset >= 0x0B &&
		    amt_tag_at(d, c->size, k->offset - 0x0B, "$CPD") && d[k->offset - 0x0B + 8] == 1 &&
		    amt_in(c->size, k->offset - 0x0B, 0x10)) {
			const uint8_t *h = d + k->offset - 0x0B;
			uint8_t want = (uint8_t)(0x100 - (uint8_t)(amt_sum8(h, 0x10) - h[0x0B]));
			if (want == h[0x0B]) {
				k->ok = AMT_YES;
				k->computed = want;
				snprintf(k->note, sizeof(k->note), "SPS rule: the header alone sums to 0 "
					 "(entries not covered)");
			}
		} else if (k->kind == AMT_CHECK_PARTITION_HASH && (major == 1 || (major == 4 && minor == 2))) {
			k->ok = AMT_UNKNOWN;
			snprintf(k->note, sizeof(k->note), "never matches on SPS %u.%u (MEA ignores it)",
				 major, minor);
		}
	}
}

/* BPDT entry types (coreboot cse_layout.h enum bpdt_entry_type; MEA). */
#define BPDT_RBEP 1u
#define BPDT_FTPR 2u

/* The manifest of the first primary-BPDT partition of a type, or -1. */
static int bpdt_manifest(const struct amt_fw *fw, uint32_t type, const struct amt_partition **part)
{
	for (size_t i = 0; i < fw->npartitions; i++) {
		const struct amt_partition *p = &fw->partitions[i];
		if (p->container != AMT_CONT_BPDT || p->type != type || p->manifest < 0 ||
		    (size_t)p->manifest >= fw->nmanifests)
			continue;
		if (part)
			*part = p;
		return p->manifest;
	}
	return -1;
}

/*
 * IFWI images: the firmware's manifest is the one of the partition the
 * primary BPDT types FTPR (2), not the first one found by name or by
 * position: CSME 21 images carry an OEMP partition with its own manifest
 * (version 21.0.0.7000) placed before or after RBEP/FTPR (UEFITool #467,
 * #470; doc/formats.md#csme-17-21).
 */
static amt_status pick_by_bpdt(struct amt_parse_ctx *c)
{
	struct amt_fw *fw = &c->img->fw;
	const struct amt_partition *p = NULL;
	if (fw->layout != AMT_LAYOUT_IFWI16 && fw->layout != AMT_LAYOUT_IFWI17 &&
	    fw->layout != AMT_LAYOUT_BPDT)
		return AMT_OK;
	int i = bpdt_manifest(fw, BPDT_FTPR, &p);
	if (i < 0)
		return AMT_OK;
	fw->ftpr_manifest = i;
	if (strcmp(fw->manifests[i].partition, "FTPR"))
		return amt_image_problemf(c->img, AMT_E_BADMAGIC, "BPDT", p->entry_offset,
					  "the BPDT's FTPR entry (type 2) holds a $CPD named \"%s\"; "
					  "its manifest is taken as FTPR's", fw->manifests[i].partition);
	return AMT_OK;
}

amt_status amt_cse_finish(struct amt_parse_ctx *c, amt_error *err)
{
	struct amt_fw *fw = &c->img->fw;
	amt_status st;

	st = pick_by_bpdt(c);
	if (st)
		return amt_error_set(err, st, "BPDT", AMT_NO_OFFSET, "out of memory");
	pick_ftpr2(fw);
	int rbep = fw->ftpr_manifest < 0 ? bpdt_manifest(fw, BPDT_RBEP, NULL) : -1;
	if (fw->ftpr_manifest >= 0 && (size_t)fw->ftpr_manifest < fw->nmanifests) {
		const struct amt_manifest *m = &fw->manifests[fw->ftpr_manifest];
		fw->key = &m->key;
		fw->version = m->version;
		fw->version_known = true;
	} else if (rbep >= 0) {
		/* no FTPR: RBEP, the other code partition of the primary BPDT,
		 * carries the same version and key */
		const struct amt_manifest *m = &fw->manifests[rbep];
		fw->key = &m->key;
		fw->version = m->version;
		fw->version_known = true;
		st = amt_image_problemf(c->img, AMT_E_RANGE, "FTPR", AMT_NO_OFFSET,
					"no FTPR manifest found: version and key taken from RBEP "
					"(BPDT type 1) at 0x%llx", (unsigned long long)m->offset);
		if (st)
			return amt_error_set(err, st, "FTPR", AMT_NO_OFFSET, "out of memory");
	} else {
		fw->key = NULL;
		st = amt_image_problemf(c->img, AMT_E_RANGE, "FTPR", AMT_NO_OFFSET,
					"no FTPR manifest found: version, family and SKU unknown");
		if (st)
			return amt_error_set(err, st, "FTPR", AMT_NO_OFFSET, "out of memory");
	}
	fw->family = decide_family(fw);
	if (fw->family == AMT_FAM_CSSPS)
		sps_checks(c);
	decide_sku(c);
	amt_cse_apply_init(fw);
	if (amt_cse_huffman(c))
		return amt_error_set(err, AMT_E_NOMEM, "Huffman", AMT_NO_OFFSET, "out of memory");
	st = decide_amt(fw);
	if (st)
		return amt_error_set(err, st, "AMT evidence", AMT_NO_OFFSET, "out of memory");
	return AMT_OK;
}

amt_status amt_cse_parse(struct amt_parse_ctx *c, amt_error *err)
{
	amt_status st = amt_cse_parse_partitions(c, err);
	if (st)
		return st;
	return amt_cse_finish(c, err);
}
