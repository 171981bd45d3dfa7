/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Native neutralization of CSME 12+ firmware and of IFWI images (CSE
 * layout table 1.6 / 1.7 regions of CSME 12-16, IFWI 2.0 BPDT images of
 * TXE 3/4).
 *
 * Default: the platform's HAP bit in the flash descriptor and nothing
 * else (the firmware is left byte for byte). me_cleaner's generation-3
 * keep list (rbe, kernel, syslib, bup) is too short for CSME 12+ (anchors.md
 * B4, corna/me_cleaner#340) and its removal erases the FTPR $CPD header
 * of TXE 3/4 (corpus reference/me_cleaner.tsv), so no fixed list is used.
 *
 * With opts->reduce_cse, modules go only where the image itself says so,
 * in the InitScript extension 0x01 of the signed manifest (MEA CSE_Ext_01;
 * anchors.md B4): InitFlowFlags bit 1 "Removable", or BootTypeFlags bit 1
 * "HAP" clear while the same InitScript marks other modules HAP (an image
 * whose InitScript never sets the HAP flag - TXE 3/4 on the corpus - says
 * nothing about the HAP flow, so nothing goes). The modules of me_cleaner's
 * list are never removed. For each partition that loses modules:
 *  - the module bytes are filled with 0xFF;
 *  - its $CPD entries (and the ".met" entries of the removed modules) are
 *    dropped from the directory, the count updated, the freed tail of the
 *    directory filled with 0xFF, and the checksum-8 (R1) or CRC-32 (R2)
 *    recomputed (cpd.c for the rules);
 *  - the manifests are not touched (their RSA signature stays valid);
 *    the layout table, the BPDTs and the data $FPT do not change (no
 *    partition moves or changes size), so their checksums stay right.
 * What cannot stay valid: the partition hash of extension 0x03 (signed,
 * covering the whole partition but its manifest) no longer matches for a
 * partition that lost modules - exactly as with me_cleaner's removals on
 * ME 11. Whether the CSE firmware tolerates entries missing from a $CPD
 * that its InitScript names is not known from any source: the reduction
 * is therefore an explicit option, never the default.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neutralize_int.h"

#define CPD_ENTRY 0x18u

struct cse {
	const uint8_t *d;
	size_t size;
	const struct amt_image *img;
	const struct amt_fw *fw;
	const struct amt_neutralize_opts *o;
	struct amt_plan *p;
	amt_error *err;
	bool full;
	bool *removed;          /* per fw->modules index */
	size_t nremoved;
	uint64_t removed_bytes;
};

static amt_status nomem(struct cse *c)
{
	return amt_error_set(c->err, AMT_E_NOMEM, "plan", AMT_NO_OFFSET, "out of memory");
}

#define TRY(x) do { amt_status st_ = (x); if (st_ != AMT_OK) return st_; } while (0)
#define MEM(x) do { if ((x) != AMT_OK) return nomem(c); } while (0)

static const char *fw_name(const struct amt_fw *fw, char *buf, size_t len)
{
	if (fw->version_known)
		snprintf(buf, len, "%s %u.%u.%u.%u", amt_family_str(fw->family), fw->version.major,
			 fw->version.minor, fw->version.hotfix, fw->version.build);
	else
		snprintf(buf, len, "%s", amt_family_str(fw->family));
	return buf;
}

/* Options that move or cut partitions: the layout table and the BPDTs
 * place partitions across the whole region (and TXE 3/4 IFWI images live
 * in the BIOS region), so none of them is offered. */
static amt_status check_opts(struct cse *c)
{
	const struct amt_neutralize_opts *o = c->o;
	const char *bad = o->relocate ? "--relocate" : o->truncate ? "--truncate" :
			  o->shrink_region ? "--shrink-region" :
			  o->nwhitelist ? "--keep-partitions" :
			  o->blacklist_given ? "--remove-partitions" :
			  o->fix_master ? "--restrict-me-access" : NULL;
	if (bad)
		return amt_error_set(c->err, AMT_E_UNSUPPORTED, "options", AMT_NO_OFFSET,
				     "%s is not offered for %s firmware (%s layout): partitions are "
				     "not moved, cut or removed; only the HAP bit and, with "
				     "--reduce-cse, the modules the image lets go",
				     bad, amt_family_str(c->fw->family), amt_layout_str(c->fw->layout));
	if (o->keep_modules && o->reduce_cse)
		return amt_error_set(c->err, AMT_E_ARG, "options", AMT_NO_OFFSET,
				     "--keep-modules and --reduce-cse exclude each other");
	return AMT_OK;
}

/* ------------------------------------------------------------------ */
/* disable bit                                                        */

static amt_status plan_disable(struct cse *c)
{
	const struct amt_image *img = c->img;
	struct amt_plan *p = c->p;
	bool named = c->o->platform != AMT_PLAT_UNKNOWN;
	struct amt_ifd ifd = img->ifd;

	/* the model may have been parsed without the user's platform */
	if (named)
		amt_platform_identify(&ifd, c->d, c->size, c->fw, c->o->platform);
	const struct amt_disable_bit *db = &ifd.disable;
	const char *pname = ifd.platform.name ? ifd.platform.name : "platform not recognised";

	if (!db->located || db->nloc < 1)
		return amt_error_set(c->err, AMT_E_PLATFORM, "descriptor", ifd.offset,
				     "the disable bit cannot be located, nothing is written to a "
				     "guessed strap (name the platform with --platform KEY): %s",
				     ifd.platform.why[0] ? ifd.platform.why :
				     db->note[0] ? db->note : pname);
	if (ifd.platform.ambiguous && !named)
		return amt_error_set(c->err, AMT_E_PLATFORM, "descriptor", ifd.offset,
				     "%s: the sources dispute or doubt its HAP location: refusing "
				     "without an explicit --platform %s (source: %.70s)", pname,
				     amt_platform_key(ifd.platform.id) ? amt_platform_key(ifd.platform.id)
								       : "KEY",
				     db->source ? db->source : "?");
	if (db->kind != AMT_DIS_HAP)
		return amt_error_set(c->err, AMT_E_PLATFORM, "descriptor", ifd.offset,
				     "%s uses %s, but %s firmware is disabled through the HAP bit: "
				     "the platform does not match the firmware", pname,
				     amt_disable_kind_str(db->kind), amt_family_str(c->fw->family));

	const struct amt_strap_bit *sb = &db->loc[0];
	uint64_t dword = sb->file_offset - sb->bit / 8;
	uint32_t mask = 1u << (sb->bit & 31);
	if (dword < ifd.offset || dword + 4 > ifd.offset + AMT_IFD_SIZE || !amt_in(c->size, dword, 4))
		return amt_error_set(c->err, AMT_E_RANGE, "descriptor", dword,
				     "%s (byte 0x%llx) lies outside the descriptor or the file",
				     sb->strap, (unsigned long long)sb->file_offset);

	/* signed descriptor (FDV): the byte must be in an exclusion range */
	if (ifd.fdv.present) {
		uint64_t rel = sb->file_offset - ifd.offset;
		int ex = -1;
		for (unsigned k = 0; k < ifd.fdv.nexcl && k < 8; k++)
			if (rel >= ifd.fdv.excl_start[k] && rel < ifd.fdv.excl_end[k])
				ex = (int)k;
		if (ex < 0 && !c->o->allow_signed_descriptor)
			return amt_error_set(c->err, AMT_E_REFUSED, "descriptor",
					     ifd.fdv.manifest_offset,
					     "signed descriptor (FDV at 0x%llx): %s (byte 0x%llx) is outside "
					     "its %u exclusion range(s), so setting HAP invalidates the "
					     "descriptor signature (the platform may not boot); "
					     "--allow-signed-descriptor to write it anyway",
					     (unsigned long long)ifd.fdv.manifest_offset, sb->strap,
					     (unsigned long long)rel, ifd.fdv.nexcl);
		if (ex < 0)
			MEM(amt_plan_notef(p, "WARNING: signed descriptor (FDV at 0x%llx): %s is "
					   "hashed, its signature is now invalid "
					   "(--allow-signed-descriptor)",
					   (unsigned long long)ifd.fdv.manifest_offset, sb->strap));
		else
			MEM(amt_plan_notef(p, "signed descriptor (FDV at 0x%llx): %s lies in "
					   "exclusion range %d (0x%x-0x%x): the signature is not "
					   "affected", (unsigned long long)ifd.fdv.manifest_offset,
					   sb->strap, ex, ifd.fdv.excl_start[ex], ifd.fdv.excl_end[ex]));
	}

	uint8_t b[4];
	amt_plan_read(p, c->d, c->size, dword, b, 4);
	uint32_t v = amt_rd32(b);
	p->disable_known = true;
	snprintf(p->disable_what, sizeof(p->disable_what), "HAP (%s bit %u)", sb->strap, sb->bit);
	p->disable_before = v & mask ? AMT_YES : AMT_NO;
	p->ndisable = 1;
	p->disable_off[0] = dword;
	p->disable_mask[0] = mask;
	if (!(v & mask)) {
		amt_wr32(b, v | mask);
		MEM(amt_plan_write(p, c->d, c->size, dword, b, 4, "set HAP: %s bit %u (byte 0x%llx "
				   "bit %u), %s", sb->strap, sb->bit,
				   (unsigned long long)sb->file_offset, sb->byte_bit,
				   amt_platform_key(ifd.platform.id) ? amt_platform_key(ifd.platform.id)
								     : "?"));
	}
	p->disable_after = AMT_YES;
	MEM(amt_plan_notef(p, "HAP bit: %s bit %u = byte 0x%llx bit %u; platform %s (%s); source: %s",
			   sb->strap, sb->bit, (unsigned long long)sb->file_offset, sb->byte_bit,
			   pname, named ? "named with --platform" : "recognised from the straps",
			   db->source ? db->source : "?"));
	if (named && ifd.platform.ambiguous)
		MEM(amt_plan_notef(p, "WARNING: the HAP location of %s is doubtful (%s); it is "
				   "written because --platform named it", pname,
				   db->source ? db->source : "?"));
	return AMT_OK;
}

/* ------------------------------------------------------------------ */
/* reduction                                                          */

/* me_cleaner's generation-3 keep list: never removed, whatever the flags. */
static bool essential(const char *name)
{
	static const char *const pre[] = { "rbe", "kernel", "syslib", "bup" };
	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
		if (!strncmp(name, pre[i], strlen(pre[i])))
			return true;
	return false;
}

static bool overlaps(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
	return an && bn && a < b + bn && b < a + an;
}

static uint64_t dir_len(const struct amt_partition *pt)
{
	return (pt->cpd_version == 2 ? 0x14u : 0x10u) + (uint64_t)pt->cpd_entries * CPD_ENTRY;
}

/* Why a module may go, or NULL. */
static const char *may_go(const struct amt_module *m, bool hap_used)
{
	if (m->kind != AMT_MOD_MODULE || !m->in_range || m->size == 0 || essential(m->name))
		return NULL;
	if (m->removable == AMT_YES)
		return "InitScript: Removable";
	if (hap_used && m->hap_boot == AMT_NO)
		return "InitScript: not in HAP boot flow";
	return NULL;
}

/* Rewrite the $CPD of partition pt without the removed entries. */
static amt_status rewrite_cpd(struct cse *c, const struct amt_partition *pt)
{
	const struct amt_fw *fw = c->fw;
	uint64_t cpd = pt->cpd_offset, hlen = pt->cpd_version == 2 ? 0x14 : 0x10;
	uint64_t old = dir_len(pt);
	if (!amt_in(c->size, cpd, old))
		return amt_error_set(c->err, AMT_E_RANGE, "$CPD", cpd, "$CPD %s lies outside the file",
				     pt->name);
	uint8_t *nd = malloc((size_t)old);
	if (!nd)
		return nomem(c);
	memcpy(nd, c->d + cpd, (size_t)hlen);
	uint64_t len = hlen;
	unsigned kept = 0;
	for (size_t j = pt->first_module; j < pt->first_module + pt->nmodules && j < fw->nmodules; j++) {
		const struct amt_module *m = &fw->modules[j];
		if (c->removed[j])
			continue;
		if (m->header_offset < cpd + hlen || !amt_in(c->size, m->header_offset, CPD_ENTRY)) {
			free(nd);
			return amt_error_set(c->err, AMT_E_RANGE, "$CPD", m->header_offset,
					     "$CPD %s entry %s is not in its directory", pt->name, m->name);
		}
		memcpy(nd + len, c->d + m->header_offset, CPD_ENTRY);
		len += CPD_ENTRY;
		kept++;
	}
	amt_wr32(nd + 4, kept);
	if (pt->cpd_version == 2) {
		amt_wr32(nd + 0x10, 0);
		amt_wr32(nd + 0x10, amt_crc32(nd, (size_t)len));
	} else {
		nd[0x0B] = 0;
		nd[0x0B] = (uint8_t)(0x100 - amt_sum8(nd, (size_t)len));
	}
	amt_status st = amt_plan_write(c->p, c->d, c->size, cpd, nd, (size_t)len,
				       "$CPD %s: %u of %u entries kept, %s recomputed", pt->name, kept,
				       pt->cpd_entries, pt->cpd_version == 2 ? "CRC-32" : "checksum-8");
	free(nd);
	MEM(st);
	MEM(amt_plan_fill(c->p, cpd + len, old - len, 0xFF, "$CPD %s: freed directory tail",
			  pt->name));
	return AMT_OK;
}

static amt_status plan_reduce(struct cse *c)
{
	const struct amt_fw *fw = c->fw;
	struct amt_plan *p = c->p;
	bool hap_used = false;
	unsigned nrem_flag = 0;

	/* the flags come from the signed FTPR manifest: trust them only then */
	if (fw->ftpr_manifest >= 0 && (size_t)fw->ftpr_manifest < fw->nmanifests &&
	    fw->manifests[fw->ftpr_manifest].sig == AMT_SIG_INVALID)
		return amt_error_set(c->err, AMT_E_REFUSED, "FTPR manifest",
				     fw->manifests[fw->ftpr_manifest].offset,
				     "--reduce-cse: the FTPR manifest signature does not verify, so "
				     "its InitScript flags are not trusted: nothing is removed");
	for (size_t i = 0; i < fw->nmodules; i++) {
		hap_used = hap_used || fw->modules[i].hap_boot == AMT_YES;
		nrem_flag += fw->modules[i].removable == AMT_YES;
	}
	for (size_t pi = 0; pi < fw->npartitions; pi++) {
		const struct amt_partition *pt = &fw->partitions[pi];
		if (!pt->has_cpd || !pt->nmodules)
			continue;
		/* partitions that share a $CPD: handle it once */
		bool seen = false;
		for (size_t q = 0; q < pi; q++)
			seen = seen || (fw->partitions[q].has_cpd &&
					fw->partitions[q].cpd_offset == pt->cpd_offset);
		if (seen)
			continue;
		size_t lo = pt->first_module, hi = pt->first_module + pt->nmodules;
		if (hi > fw->nmodules)
			continue;
		uint64_t dl = dir_len(pt);
		size_t n = 0;
		for (size_t j = lo; j < hi; j++) {
			const struct amt_module *m = &fw->modules[j];
			if (!may_go(m, hap_used) || !amt_in(c->size, m->offset, m->size))
				continue;
			/* its bytes must belong to it alone */
			bool shared = overlaps(m->offset, m->size, pt->cpd_offset, dl);
			for (size_t k = lo; k < hi && !shared; k++) {
				const struct amt_module *o = &fw->modules[k];
				if (k != j && o->in_range && !may_go(o, hap_used) &&
				    overlaps(m->offset, m->size, o->offset, o->size))
					shared = true;
			}
			if (shared) {
				MEM(amt_plan_notef(p, "%s/%s is flagged removable but its bytes are "
						   "shared with what is kept: kept", m->partition,
						   m->name));
				continue;
			}
			c->removed[j] = true;
			n++;
		}
		if (!n)
			continue;
		/* a kept entry inside the directory would be overwritten */
		bool in_dir = false;
		for (size_t j = lo; j < hi; j++) {
			const struct amt_module *m = &fw->modules[j];
			if (!c->removed[j] && m->in_range &&
			    overlaps(m->offset, m->size, pt->cpd_offset, dl))
				in_dir = true;
		}
		if (in_dir) {
			for (size_t j = lo; j < hi; j++)
				c->removed[j] = false;
			MEM(amt_plan_notef(p, "%s: a kept entry lies inside the $CPD directory, which "
					   "would have to be rewritten: nothing removed there", pt->name));
			continue;
		}
		/* the .met of each removed module goes with it */
		for (size_t j = lo; j < hi; j++) {
			const struct amt_module *m = &fw->modules[j];
			if (!c->removed[j] || m->kind != AMT_MOD_MODULE)
				continue;
			size_t nl = strlen(m->name);
			for (size_t k = lo; k < hi; k++) {
				const struct amt_module *t = &fw->modules[k];
				if (t->kind == AMT_MOD_METADATA && strlen(t->name) == nl + 4 &&
				    !strncmp(t->name, m->name, nl))
					c->removed[k] = true;
			}
		}
		TRY(rewrite_cpd(c, pt));
		for (size_t j = lo; j < hi; j++) {
			const struct amt_module *m = &fw->modules[j];
			if (!c->removed[j] || m->kind != AMT_MOD_MODULE)
				continue;
			const char *why = may_go(m, hap_used);
			MEM(amt_plan_fill(p, m->offset, m->size, 0xFF, "%s/%s removed (%s)",
					  m->partition, m->name, why));
			MEM(amt_plan_item(p, m->name, m->partition, true, false, m->offset, m->size,
					  why));
			c->nremoved++;
			c->removed_bytes += m->size;
		}
		/* the signed partition hash (Ext 0x03) covers the removed bytes */
		char what[48];
		amt_tristate was = AMT_UNKNOWN;
		snprintf(what, sizeof(what), "%s partition hash (Ext 0x03)", pt->name);
		for (size_t k = 0; k < fw->nchecks; k++)
			if (!strcmp(fw->checks[k].what, what))
				was = fw->checks[k].ok;
		MEM(amt_plan_notef(p, "%s: the partition hash of its manifest (extension 0x03) %s: "
				   "it is signed and covers the removed bytes (as with me_cleaner's "
				   "removals); the manifest and its RSA signature are unchanged",
				   pt->name, was == AMT_YES ? "matched and no longer matches" :
				   "was not checkable in this image and cannot match now"));
	}
	if (!c->nremoved) {
		const char *why = nrem_flag ? "the modules flagged Removable are essential or share "
					      "their bytes with what is kept" :
				  hap_used ? "no module outside the HAP boot flow can be removed "
					     "safely" :
				  fw->cse.ninit ? "its InitScript flags no module Removable and never "
						  "sets the HAP boot flag, so it says nothing about "
						  "the HAP flow" :
				  "no InitScript (extension 0x01) was found in its manifests";
		if (!c->full)
			return amt_error_set(c->err, AMT_E_REFUSED, "InitScript", AMT_NO_OFFSET,
					     "--reduce-cse: nothing can be removed from this image: %s; "
					     "no module is removed on a guess", why);
		MEM(amt_plan_notef(p, "--reduce-cse: nothing removed: %s", why));
	} else {
		MEM(amt_plan_notef(p, "--reduce-cse: %zu module(s) removed (%.1f KiB), as the "
				   "image's InitScript allows; the HAP bit must be set for the ME "
				   "to boot without them", c->nremoved, c->removed_bytes / 1024.0));
	}
	return AMT_OK;
}

/* ------------------------------------------------------------------ */

static amt_status report(struct cse *c)
{
	const struct amt_fw *fw = c->fw;
	struct amt_plan *p = c->p;
	unsigned nkept = 0, nmod = 0;

	for (size_t pi = 0; pi < fw->npartitions; pi++) {
		const struct amt_partition *pt = &fw->partitions[pi];
		if (pt->empty || !pt->in_range || pt->container == AMT_CONT_LAYOUT)
			continue;
		bool reduced = false;
		for (size_t j = 0; j < fw->nmodules; j++)
			reduced = reduced || (c->removed[j] && pt->has_cpd &&
					      !strcmp(fw->modules[j].partition, pt->name));
		MEM(amt_plan_item(p, pt->name, NULL, false, true, pt->offset, pt->size,
				  reduced ? "kept, modules removed" : "unchanged partition"));
	}
	for (size_t i = 0; i < fw->nmodules; i++) {
		const struct amt_module *m = &fw->modules[i];
		if (m->kind == AMT_MOD_MODULE) {
			nmod++;
			p->code_before += m->size;
		}
		if (c->removed[i] || !m->in_range || m->size == 0)
			continue;
		if (m->kind == AMT_MOD_MODULE) {
			nkept++;
			p->code_after += m->size;
			MEM(amt_plan_item(p, m->name, m->partition, true, true, m->offset, m->size,
					  !c->o->reduce_cse ? "unchanged" :
					  essential(m->name) ? "essential (me_cleaner's list)" :
					  m->hap_boot == AMT_YES ? "InitScript: HAP boot flow" :
					  "not flagged by the InitScript"));
		}
		char nm[20];
		snprintf(nm, sizeof(nm), "%.4s/%.12s", m->partition, m->name);
		MEM(amt_plan_keep(p, nm, m->offset, m->size));
	}
	if (!c->nremoved && fw->region_size)
		MEM(amt_plan_keep(p, "ME region", fw->region_offset, fw->region_size));
	MEM(amt_plan_notef(p, "remains: every partition; %u of %u modules (%.1f of %.1f KiB); "
			   "layout table, BPDTs and data $FPT unchanged", nkept, nmod,
			   p->code_after / 1024.0, p->code_before / 1024.0));
	return AMT_OK;
}

amt_status amt_neutralize_plan_cse(const uint8_t *data, size_t size, const struct amt_image *img,
				   const struct amt_neutralize_opts *opts, struct amt_plan *plan,
				   amt_error *err)
{
	char fwn[64];
	if (!img || !img->has_fw || !opts || !plan)
		return amt_error_set(err, AMT_E_ARG, "plan", AMT_NO_OFFSET,
				     "CSE neutralization needs the parsed image");
	const struct amt_fw *fw = &img->fw;
	struct cse c = {
		.d = data, .size = size, .img = img, .fw = fw, .o = opts, .p = plan, .err = err,
		.full = img->kind == AMT_KIND_FULL && img->has_ifd,
	};
	TRY(check_opts(&c));
	fw_name(fw, fwn, sizeof(fwn));

	bool want_bit = c.full && (opts->set_disable_bit || opts->disable_bit_only);
	if (!c.full && !opts->reduce_cse)
		return amt_error_set(err, AMT_E_REFUSED, "image", AMT_NO_OFFSET,
				     "%s, %s (%s): the HAP disable bit lives in the flash descriptor, "
				     "not in this file: neutralize the full flash image (modules are "
				     "removed only with --reduce-cse, where the image allows it)",
				     amt_input_kind_str(img->kind), fwn, amt_layout_str(fw->layout));
	if (c.full && !want_bit && !opts->reduce_cse)
		return amt_error_set(err, AMT_E_REFUSED, "image", AMT_NO_OFFSET,
				     "%s firmware: without the disable bit and without --reduce-cse "
				     "there is nothing to do", fwn);
	if (opts->disable_bit_only && opts->reduce_cse)
		return amt_error_set(err, AMT_E_ARG, "options", AMT_NO_OFFSET,
				     "--disable-bit-only and --reduce-cse exclude each other");

	plan->full_image = c.full;
	plan->generation = 3;
	snprintf(plan->variant, sizeof(plan->variant), "%s",
		 fw->family == AMT_FAM_CSTXE || fw->family == AMT_FAM_TXE ? "TXE" : "ME");
	plan->version = fw->version;
	plan->me_start = fw->region_offset;
	plan->me_end = fw->region_offset + fw->region_size;
	if (c.full && img->ifd.nregions > AMT_RGN_FD && img->ifd.region[AMT_RGN_FD].used) {
		plan->fd_start = img->ifd.offset + img->ifd.region[AMT_RGN_FD].base;
		plan->fd_end = img->ifd.offset + img->ifd.region[AMT_RGN_FD].limit + 1;
	} else if (c.full) {
		plan->fd_start = img->ifd.offset;
		plan->fd_end = img->ifd.offset + AMT_IFD_SIZE;
	}
	plan->ftpr_manifest = fw->ftpr_manifest >= 0 && (size_t)fw->ftpr_manifest < fw->nmanifests ?
			      fw->manifests[fw->ftpr_manifest].offset : AMT_NO_OFFSET;

	c.removed = calloc(fw->nmodules ? fw->nmodules : 1, sizeof(*c.removed));
	if (!c.removed)
		return nomem(&c);
	amt_status st = AMT_OK;
	if (want_bit)
		st = plan_disable(&c);
	if (st == AMT_OK && opts->reduce_cse)
		st = plan_reduce(&c);
	if (st == AMT_OK)
		st = report(&c);
	free(c.removed);
	if (st != AMT_OK)
		return st;
	if (c.full && !want_bit && amt_plan_notef(plan, "the disable bit was not set "
						  "(--no-disable-bit)") != AMT_OK)
		return amt_error_set(err, AMT_E_NOMEM, "plan", AMT_NO_OFFSET, "out of memory");
	if (opts->want_descriptor && c.full) {
		plan->has_desc_extract = true;
		plan->desc_size = plan->fd_end - plan->fd_start;
	}
	if (opts->want_me && c.full) {
		plan->has_me_extract = true;
		plan->me_extract_size = fw->region_size;
	}
	return AMT_OK;
}
