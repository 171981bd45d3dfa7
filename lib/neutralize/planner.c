/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one planner. It reads the model of the input (lib/image.c and the
 * parsers under lib/ifd and lib/fw) and nothing else: where the
 * descriptor, the ME region, the $FPT, the partitions, the manifests, the
 * modules and the LLUT chunks are, and what they hold. It records each
 * change as an edit of the plan, and what it found and decided as typed
 * events from which a front end prints its report (me_cleaner's messages
 * included). The two policies (policy.c) change a handful of decisions.
 *
 * The steps follow me_cleaner 1.2 (corna/me_cleaner 43612a6,
 * me_cleaner.py; its facts, our code) so that the me_cleaner policy
 * writes the same bytes:
 *  - gen 1 (ME 2-5, full image): MeDisable bits (ICHSTRP0 and MCHSTRP0
 *    bit 0), FLREG2 = 0x1FFF (region disabled), the region wiped;
 *  - ME 6 Ignition: the whole region wiped;
 *  - gen 2/3: every partition but FTPR (and those the options keep)
 *    erased and dropped from the $FPT; the modules of FTPR outside the
 *    boot keep-list erased (gen 2 Huffman modules: their LLUT chunks,
 *    except chunks shared with a kept module); optionally FTPR moved to
 *    the start of the region (its $FPT entry, LLUT fields and chunk
 *    offsets adjusted), the region truncated after what is kept, the
 *    disable bit set, the ME's access to other regions removed;
 *  - minimum size: the end of the kept data rounded up to the next 4 KiB
 *    page (always one more), plus 4 spare pages;
 *  - native CSME 12+ / IFWI: the HAP bit, the firmware left whole; with
 *    reduce_cse, the modules the image's InitScript lets go.
 * Where me_cleaner breaks an image (the $CPD directory of TXE 3/4 erased,
 * a relocation that wraps, an empty max()), the planner refuses or keeps
 * the bytes, and the verifier has the last word.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neutralize_int.h"

#define MIN_FTPR_OFFSET 0x400u
#define SPARED_BLOCKS 4u
#define FPT_ENTRY 0x20u
#define CPD_ENTRY 0x18u

struct pl {
	const struct amt_image *img;
	const struct amt_fw *fw;       /* &img->fw when img->has_fw, else NULL */
	const uint8_t *d;
	size_t size;
	const struct amt_neutralize_opts *o;
	const struct amt_policy *pol;
	struct amt_plan *p;
	amt_error *err;
	bool check;
	bool clearing;                 /* the operation clears the disable bit */

	bool full;
	bool map_untrusted;     /* descriptor regions overlap or run past the
				   flash: only descriptor edits are planned */
	bool region_on;
	uint64_t rs, re;               /* ME region [rs, re), absolute */
	uint64_t fd_start, fd_end, bios_start, bios_end;
	int gen;
	int ftpr;                      /* FTPR/CODE partition index */
	uint64_t ftpr_off, ftpr_len;   /* region-relative, from its $FPT entry */
	uint64_t mn2;                  /* FTPR manifest, relative to FTPR */
	uint64_t ftpr_content;         /* gen 3: bytes of FTPR its $CPD uses */
	amt_family variant;            /* me_cleaner's "ME" / "TXE" / "SPS" */
	bool ignition;
	int64_t end_addr;              /* region-relative end of what is kept */
	uint64_t extra_part_end;
	bool overlap_warned;

	/* the rewritten $FPT: kept partitions, in order, and their offsets */
	size_t *fpt_keep;
	uint32_t *fpt_off;
	size_t nfpt_keep;
	bool fpt_rewrite;
	bool clear_effs;
};

static amt_status nomem(struct pl *c)
{
	return amt_error_set(c->err, AMT_E_NOMEM, "plan", AMT_NO_OFFSET, "out of memory");
}

#define TRY(x) do { amt_status st_ = (x); if (st_ != AMT_OK) return st_; } while (0)

/* A table is rewritten only when its checksum/CRC matched in the input:
 * recomputing it over damaged entries would hide the damage. The check of
 * the model at that offset, or NULL. */
static const struct amt_check *check_at(const struct amt_fw *fw, uint64_t off)
{
	for (size_t i = 0; i < fw->nchecks; i++)
		if ((fw->checks[i].kind == AMT_CHECK_STRUCTURE || fw->checks[i].kind == AMT_CHECK_CPD) &&
		    fw->checks[i].offset == off)
			return &fw->checks[i];
	return NULL;
}
#define MEM(x) do { if ((x) != AMT_OK) return nomem(c); } while (0)

static struct amt_event *ev(struct pl *c, amt_event_kind k)
{
	return amt_plan_event(c->p, k);
}

#define EV(var, kind) struct amt_event *var = ev(c, kind); if (!var) return nomem(c)

static amt_status refuse(struct pl *c, amt_status code, amt_reason why, const char *structure,
			 uint64_t off, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static amt_status refuse(struct pl *c, amt_status code, amt_reason why, const char *structure,
			 uint64_t off, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return amt_error_set_reason(c->err, code, why, structure, off, "%s", msg);
}

static void rd(struct pl *c, uint64_t abs, void *buf, size_t n)
{
	amt_plan_read(c->p, c->d, c->size, abs, buf, n);
}

static uint32_t rd32(struct pl *c, uint64_t abs)
{
	uint8_t b[4];
	rd(c, abs, b, 4);
	return amt_rd32(b);
}

static amt_status wr(struct pl *c, uint64_t abs, const void *b, size_t n, amt_edit_why why,
		     const char *name, const char *part)
{
	if (!amt_in(c->size, abs, n))
		return refuse(c, AMT_E_RANGE, AMT_R_NONE, "image", abs,
			      "a write of %zu bytes at 0x%llx runs past the end of the %zu-byte file",
			      n, (unsigned long long)abs, c->size);
	MEM(amt_plan_write(c->p, c->d, c->size, abs, b, n, why, name, part));
	return AMT_OK;
}

static amt_status wr32(struct pl *c, uint64_t abs, uint32_t v, amt_edit_why why, const char *name)
{
	uint8_t b[4];
	amt_wr32(b, v);
	return wr(c, abs, b, 4, why, name, NULL);
}

/* Fill region-relative [start, end) with 0xFF (me_cleaner fill_range):
 * nothing when start >= end; bytes past the end of the file do not exist. */
static amt_status rfill(struct pl *c, uint64_t start, uint64_t end, amt_edit_why why,
			const char *name, const char *part)
{
	if (c->rs + end > c->re)
		return refuse(c, AMT_E_RANGE, AMT_R_NONE, "ME region", c->rs + start,
			      "%s %s: 0x%llx-0x%llx lies outside the ME region", part ? part : "",
			      name ? name : "", (unsigned long long)start, (unsigned long long)end);
	if (start >= end)
		return AMT_OK;
	uint64_t s = c->rs + start, t = c->rs + end;
	if (t > c->size)
		t = c->size;
	if (s >= t)
		return AMT_OK;
	MEM(amt_plan_fill(c->p, s, t - s, 0xFF, why, name, part));
	return AMT_OK;
}

static bool in_list(const char list[][5], unsigned n, const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

static bool ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && !strcmp(s + n - m, suf);
}

/* A name from the image as me_cleaner decodes it: ASCII up to the first
 * NUL, else "????" (it would stop with a UnicodeDecodeError). */
static bool ascii_name(const char *in, char *out, size_t len)
{
	size_t i = 0;
	for (; in[i] && i + 1 < len; i++) {
		if ((unsigned char)in[i] >= 0x80) {
			snprintf(out, len, "????");
			return false;
		}
		out[i] = in[i];
	}
	out[i] = '\0';
	return true;
}

static uint32_t flreg_make(uint64_t start, uint64_t end)
{
	/* FLREG: base [14:0] and limit [30:16] in 4 KiB pages (end exclusive) */
	return (uint32_t)(((start & 0x7fff000) >> 12) | (((end - 1) & 0x7fff000) << 4));
}

/* ------------------------------------------------------------------ */
/* the disable bit: one planner for every generation                  */

static amt_disable_kind kind_for(int gen)
{
	return gen == 1 ? AMT_DIS_MEDISABLE : gen == 2 ? AMT_DIS_ALTMEDISABLE : AMT_DIS_HAP;
}

/* Where the disable bit of firmware generation gen is, by every rule:
 * located from the descriptor and the firmware (the platform table), not
 * ambiguous unless the user named the platform, of the kind the firmware
 * needs, and inside the exclusion ranges of a signed descriptor unless
 * the user allows breaking it. need: the operation writes it (else a
 * bit that cannot be located is only left unknown). */
static amt_status plan_disable_locate(struct pl *c, int gen, bool need)
{
	const struct amt_image *img = c->img;
	struct amt_plan *p = c->p;
	if (!img->has_ifd) {
		if (need)
			return refuse(c, AMT_E_ARG, AMT_R_OPT_NEEDS_FULL_IMAGE, "image", AMT_NO_OFFSET,
				      "the disable bit lives in the flash descriptor, which is not in "
				      "this file");
		return AMT_OK;
	}
	const struct amt_ifd *ifd = &img->ifd;
	const struct amt_disable_bit *db = &ifd->disable;
	const char *pname = ifd->platform.name ? ifd->platform.name : "not recognised";
	bool named = c->o->platform != AMT_PLAT_UNKNOWN;

	if (!db->located || db->nloc < 1) {
		if (!need)
			return AMT_OK;
		amt_platform_status ps = ifd->platform.status;
		amt_reason why = ps == AMT_PST_CONTRADICTS_FW || ps == AMT_PST_CONTRADICTS_DESCRIPTOR ?
				 AMT_R_PLATFORM_MISMATCH :
				 ps == AMT_PST_AMBIGUOUS ? AMT_R_PLATFORM_AMBIGUOUS :
				 ps == AMT_PST_NO_PUBLIC_SOURCE ? AMT_R_PLATFORM_NO_SOURCE :
				 AMT_R_PLATFORM_UNKNOWN;
		/* the platform's own account names it and says why; the
		 * refusal comes first, in case the sentence is cut */
		if (ifd->platform.why[0])
			return refuse(c, AMT_E_PLATFORM, why, "descriptor", ifd->offset,
				      "not writing a guessed strap: %s", ifd->platform.why);
		return refuse(c, AMT_E_PLATFORM, why, "descriptor", ifd->offset,
			      "not writing a guessed strap: the disable bit cannot be located "
			      "(platform %s, %s): %s", pname, amt_platform_status_str(ps),
			      db->note[0] ? db->note : "no rule matches this descriptor");
	}
	bool expert = ifd->platform.expert_override;
	if (ifd->platform.ambiguous && !named && !expert) {
		if (!need)
			return AMT_OK;
		return refuse(c, AMT_E_PLATFORM, AMT_R_PLATFORM_AMBIGUOUS, "descriptor", ifd->offset,
			      "%s: the sources dispute or doubt where its disable bit is (%s); "
			      "nothing is written unless the platform is named", pname,
			      db->source ? db->source : "no source");
	}
	if (gen && db->kind != kind_for(gen) && !expert) {
		if (!need)
			return AMT_OK;
		return refuse(c, AMT_E_PLATFORM, AMT_R_PLATFORM_MISMATCH, "descriptor", ifd->offset,
			      "%s uses %s, but generation-%d firmware is disabled through %s: the "
			      "platform does not match the firmware", pname,
			      amt_disable_kind_str(db->kind), gen,
			      amt_disable_kind_str(kind_for(gen)));
	}
	p->disable_known = true;
	p->disable_kind = db->kind;
	p->ndisable = db->nloc > 2 ? 2 : db->nloc;
	for (unsigned i = 0; i < p->ndisable; i++)
		p->disable_loc[i] = db->loc[i];
	p->disable_before = db->state;
	p->disable_after = db->state;
	p->platform = ifd->platform.id;
	p->platform_named = named;

	if (need && ifd->fdv.present) {
		for (unsigned i = 0; i < p->ndisable; i++) {
			const struct amt_strap_bit *sb = &p->disable_loc[i];
			uint64_t rel = sb->file_offset - ifd->offset;
			int ex = -1;
			for (unsigned k = 0; k < ifd->fdv.nexcl && k < 8; k++)
				if (rel >= ifd->fdv.excl_start[k] && rel < ifd->fdv.excl_end[k])
					ex = (int)k;
			if (ex < 0 && !c->o->allow_signed_descriptor)
				return refuse(c, AMT_E_REFUSED, AMT_R_SIGNED_DESCRIPTOR, "descriptor",
					      ifd->fdv.manifest_offset,
					      "the descriptor is signed (FDV manifest at 0x%llx) and %s "
					      "(byte 0x%llx) is outside its %u exclusion range(s): setting "
					      "the bit would invalidate the signature (the platform may "
					      "not boot)", (unsigned long long)ifd->fdv.manifest_offset,
					      sb->strap, (unsigned long long)rel, ifd->fdv.nexcl);
			EV(w, ex < 0 ? AMT_EV_WARN_FDV_BROKEN : AMT_EV_WARN_FDV_EXCLUDED);
			snprintf(w->name, sizeof(w->name), "%s", sb->strap);
			w->a = ifd->fdv.manifest_offset;
			if (ex >= 0) {
				w->b = ifd->fdv.excl_start[ex];
				w->c = ifd->fdv.excl_end[ex];
			}
		}
	}
	if (need && expert) {
		EV(w, AMT_EV_WARN_EXPERT_OVERRIDE);
		snprintf(w->name, sizeof(w->name), "%s", p->disable_loc[0].strap);
		w->a = p->disable_loc[0].bit;
	} else if (need && named) {
		EV(w, AMT_EV_WARN_PLATFORM_NAMED);
		w->flag = ifd->platform.ambiguous;
		w->disable_kind = db->kind;
	}
	/* what setting the bit does on this platform besides stopping the ME;
	 * clearing it: only what depends on the bit staying set (Dasharo's
	 * capsule updates) */
	for (unsigned b = 0; need && b < 32; b++)
		if (ifd->platform.hap_consequences & (1u << b) &&
		    (!c->clearing || (1u << b) == AMT_HAPFX_CAPSULE)) {
			EV(w, AMT_EV_WARN_HAP_CONSEQUENCE);
			w->a = 1u << b;
			w->flag = c->clearing;
		}
	return AMT_OK;
}

/* Set (or clear: re-enable the ME) the located bit(s). */
static amt_status plan_disable(struct pl *c, bool set)
{
	struct amt_plan *p = c->p;
	for (unsigned i = 0; i < p->ndisable; i++) {
		const struct amt_strap_bit *sb = &p->disable_loc[i];
		uint64_t dw = sb->file_offset & ~(uint64_t)3;
		uint32_t mask = 1u << (sb->byte_bit + 8 * (unsigned)(sb->file_offset & 3));
		if (dw < c->fd_start || dw + 4 > c->fd_end || !amt_in(c->size, dw, 4))
			return refuse(c, AMT_E_RANGE, AMT_R_NONE, "descriptor", dw,
				      "%s lies outside the descriptor region or the file", sb->strap);
		uint32_t v = rd32(c, dw);
		if (set && !(v & mask))
			TRY(wr32(c, dw, v | mask, AMT_W_DISABLE_BIT, sb->strap));
		else if (!set && (v & mask))
			TRY(wr32(c, dw, v & ~mask, AMT_W_CLEAR_DISABLE_BIT, sb->strap));
	}
	p->disable_after = set ? AMT_YES : AMT_NO;
	return AMT_OK;
}

static amt_status plan_disable_set(struct pl *c)
{
	return plan_disable(c, true);
}

/* ------------------------------------------------------------------ */
/* the disable bit alone: set on a descriptor file alone, or cleared  */

/* Why the ME of this image cannot run again (clearing the bit would start
 * firmware that is not there), or NULL. */
static const char *cannot_run(const struct amt_image *img)
{
	const struct amt_ifd *ifd = &img->ifd;
	bool me_used = ifd->nregions > AMT_RGN_ME && ifd->region[AMT_RGN_ME].used;
	if (img->kind == AMT_KIND_DESCRIPTOR_ONLY)
		/* TXE 3/4 descriptors have no ME region by design: their
		 * firmware is in the BIOS region; an ICH descriptor without one
		 * has had its ME removed (me_cleaner on ME 2-5) */
		return !me_used && ifd->ich_layout ?
		       "the ME region is disabled in this descriptor (FLREG2): no ME firmware "
		       "is read at boot" : NULL;
	if (img->me_erased)
		return "the ME region is erased (every byte 0xFF)";
	if (!img->has_fw)
		return me_used ? "the ME region holds no ME firmware this model knows" :
				 "the ME region is disabled in the descriptor and no firmware was "
				 "found elsewhere";
	if (img->fw.stripped)
		return "the ME firmware is stripped to its boot modules (me_cleaner-style "
		       "removal): it cannot run whole";
	return NULL;
}

/* The disable bit alone, through the same rules as every neutralization:
 * set on a descriptor file alone (native), or cleared (re-enabling the
 * ME) on a descriptor file alone or a full image whose firmware is whole.
 * Nothing but the located bit(s) changes. */
static amt_status plan_bit_only(struct pl *c, bool set)
{
	const struct amt_image *img = c->img;
	struct amt_plan *p = c->p;
	const char *what = set ? "setting only the disable bit" : "re-enabling the ME";

	if (!img->has_ifd || (img->kind != AMT_KIND_FULL && img->kind != AMT_KIND_DESCRIPTOR_ONLY))
		return refuse(c, AMT_E_ARG, AMT_R_OPT_NEEDS_FULL_IMAGE, "image", AMT_NO_OFFSET,
			      "%s: the disable bit lives in the flash descriptor, which is not in "
			      "this %s", what, amt_input_kind_str(img->kind));
	const struct amt_ifd *ifd = &img->ifd;
	bool alone = img->kind == AMT_KIND_DESCRIPTOR_ONLY;
	EV(in, alone ? AMT_EV_INPUT_DESCRIPTOR : AMT_EV_INPUT_FULL);
	(void)in;
	if (ifd->regions_overlap || ifd->region_past_flash) {
		/* removals are planned from the region map and refused on such
		 * a map; the disable bit alone only needs the descriptor region
		 * (checked below), and the verifier holds every FLREG unchanged */
		EV(w, AMT_EV_WARN_REGIONS_OVERLAP);
		w->flag = ifd->regions_overlap;
		w->a = ifd->regions_overlap ? ifd->overlap_a : ifd->past_flash_region;
		w->b = ifd->regions_overlap ? ifd->overlap_b : ifd->past_flash_region;
	}
	const struct amt_ifd_region *r0 = &ifd->region[AMT_RGN_FD];
	c->fd_start = ifd->offset + (r0->used ? r0->base : 0);
	c->fd_end = ifd->offset + (r0->used ? r0->limit + 1 : AMT_IFD_SIZE);
	c->full = !alone;
	p->full_image = !alone;
	p->fd_start = c->fd_start;
	p->fd_end = c->fd_end;
	if (ifd->nregions > AMT_RGN_ME && ifd->region[AMT_RGN_ME].used) {
		p->me_start = ifd->offset + ifd->region[AMT_RGN_ME].base;
		p->me_end = ifd->offset + ifd->region[AMT_RGN_ME].limit + 1;
	}
	const struct amt_fw *fw = img->has_fw ? &img->fw : NULL;
	int gen = fw ? fw->generation : ifd->ich_layout ? 1 : 0;
	if (fw) {
		p->generation = fw->generation;
		p->family = fw->family;
		p->version = fw->version;
		p->version_known = fw->version_known;
	}
	if (!set) {
		const char *why = cannot_run(img);
		if (why)
			return refuse(c, AMT_E_REFUSED, AMT_R_ENABLE_NO_FIRMWARE, "ME region",
				      p->me_start < p->me_end ? p->me_start : AMT_NO_OFFSET,
				      "not clearing the disable bit: %s; an ME started without its "
				      "firmware can stop the machine (restore the stock ME region "
				      "first)", why);
	}
	TRY(plan_disable_locate(c, gen, true));
	EV(st, AMT_EV_DISABLE_STATE);
	st->disable_kind = p->disable_kind;
	st->flag = p->disable_before == AMT_YES;
	st->flag2 = set;
	snprintf(st->name, sizeof(st->name), "%s", p->disable_loc[0].strap);
	if (alone) {
		EV(w, AMT_EV_WARN_DESCRIPTOR_ALONE);
		w->flag = !set;
	}
	EV(e, set ? AMT_EV_SET_DISABLE : AMT_EV_CLEAR_DISABLE);
	e->disable_kind = p->disable_kind;
	snprintf(e->name, sizeof(e->name), "%s", p->disable_loc[0].strap);
	return plan_disable(c, set);
}

/* ------------------------------------------------------------------ */
/* detection: what me_cleaner would see, from the model                */

static amt_status detect(struct pl *c)
{
	const struct amt_image *img = c->img;
	const struct amt_neutralize_opts *o = c->o;
	struct amt_plan *p = c->p;

	if (img->kind == AMT_KIND_ME_REGION) {
		EV(e, AMT_EV_INPUT_REGION);
		(void)e;
		/* natively, "set the disable bit" means "where there is one": a
		 * bare region has none (AMT_EV_WARN_BARE_REGION says so) */
		if (o->fix_master || o->want_descriptor || o->want_me || o->disable_bit_only ||
		    o->shrink_region ||
		    (o->set_disable_bit && c->pol->id == AMT_NEU_ME_CLEANER))
			return refuse(c, AMT_E_ARG, AMT_R_OPT_NEEDS_FULL_IMAGE, "image", AMT_NO_OFFSET,
				      "this is a bare ME region: the disable bit, descriptor edits "
				      "and extracts need the full flash image");
		c->full = false;
		c->rs = 0;
		c->re = c->size;
		c->region_on = true;
	} else if ((img->kind == AMT_KIND_FULL || img->kind == AMT_KIND_DESCRIPTOR_ONLY) &&
		   img->has_ifd &&
		   (c->pol->scanned_descriptor || img->ifd.sig_offset == 0 ||
		    img->ifd.sig_offset == 0x10)) {
		const struct amt_ifd *ifd = &img->ifd;
		EV(e, AMT_EV_INPUT_FULL);
		(void)e;
		c->map_untrusted = ifd->regions_overlap || ifd->region_past_flash;
		const struct amt_ifd_region *r0 = &ifd->region[AMT_RGN_FD];
		c->fd_start = ifd->offset + (r0->used ? r0->base : 0);
		c->fd_end = ifd->offset + (r0->used ? r0->limit + 1 : AMT_IFD_SIZE);
		const struct amt_ifd_region *r1 = &ifd->region[AMT_RGN_BIOS];
		c->bios_start = ifd->offset + (r1->used ? r1->base : 0);
		c->bios_end = ifd->offset + (r1->used ? r1->limit + 1 : 0);
		c->full = true;
		const struct amt_ifd_region *me =
			ifd->nregions > AMT_RGN_ME ? &ifd->region[AMT_RGN_ME] : NULL;
		if (!me || !me->used) {
			EV(d, AMT_EV_ME_REGION_DISABLED);
			(void)d;
			c->region_on = false;
			if (me) {  /* as the register decodes (a disabled gen 1 region: 0x1000) */
				c->rs = ifd->offset + me->base;
				c->re = ifd->offset + me->limit + 1;
			}
		} else {
			c->region_on = true;
			c->rs = ifd->offset + me->base;
			c->re = ifd->offset + me->limit + 1;
		}
		if (ifd->ich_layout)
			c->gen = 1;
	} else {
		return refuse(c, AMT_E_UNKNOWN, AMT_R_UNKNOWN_IMAGE, "image", AMT_NO_OFFSET,
			      "%s: neither an ME/TXE region ($FPT at 0 or 0x10) nor a full image "
			      "(flash descriptor at 0 or 0x10)", amt_input_kind_str(img->kind));
	}
	p->full_image = c->full;
	p->me_start = c->rs;
	p->me_end = c->re;
	p->fd_start = c->fd_start;
	p->fd_end = c->fd_end;
	return AMT_OK;
}

/* The partition of the region's $FPT named CODE or FTPR (me_cleaner: the
 * first such entry), or -1. */
static int find_ftpr(const struct amt_fw *fw)
{
	for (size_t i = 0; i < fw->npartitions; i++) {
		const struct amt_partition *q = &fw->partitions[i];
		if (q->container == AMT_CONT_FPT && q->entry_offset < fw->fpt.offset + 0x20 +
		    (uint64_t)fw->fpt.nentries * FPT_ENTRY &&
		    (!strcmp(q->name, "CODE") || !strcmp(q->name, "FTPR")))
			return (int)i;
	}
	return -1;
}

/* What of FTPR its $CPD uses: the directory and every entry's bytes. */
static uint64_t cpd_content(const struct amt_fw *fw, const struct amt_partition *pt)
{
	uint64_t end = pt->cpd_offset + (pt->cpd_version == 2 ? 0x14 : 0x10) +
		       (uint64_t)pt->cpd_entries * CPD_ENTRY;
	for (size_t j = pt->first_module; j < pt->first_module + pt->nmodules && j < fw->nmodules; j++) {
		const struct amt_module *m = &fw->modules[j];
		if (m->offset + m->size > end)
			end = m->offset + m->size;
	}
	return end - pt->offset;
}

static amt_status find_firmware(struct pl *c)
{
	const struct amt_image *img = c->img;
	struct amt_plan *p = c->p;

	if (!c->region_on)
		return AMT_OK;
	const struct amt_fw *fw = c->fw;
	if (!fw || !fw->has_fpt || fw->layout == AMT_LAYOUT_IFWI16 ||
	    fw->layout == AMT_LAYOUT_IFWI17 || fw->layout == AMT_LAYOUT_BPDT) {
		const char *why = img->me_erased ? "every byte of it is 0xFF (erased)" :
				  fw ? "its firmware is laid out as IFWI, which this policy does "
				       "not handle" :
				  img->nproblems ? img->problems[0].message : "no $FPT was found";
		return refuse(c, AMT_E_UNKNOWN, AMT_R_ME_FIRMWARE_MISSING, "ME region", c->rs,
			      "the ME region 0x%llx-0x%llx holds no firmware this policy handles: %s",
			      (unsigned long long)c->rs, (unsigned long long)(c->re - 1), why);
	}
	EV(f, AMT_EV_FPT);
	f->a = fw->fpt.offset;
	EV(n, AMT_EV_PARTITION_COUNT);
	n->a = fw->fpt.nentries;

	c->ftpr = find_ftpr(fw);
	if (c->ftpr < 0)
		return refuse(c, AMT_E_UNKNOWN, AMT_R_NO_FTPR, "$FPT", fw->fpt.offset,
			      "the $FPT has no FTPR or CODE partition");
	const struct amt_partition *pt = &fw->partitions[c->ftpr];
	if (!strcmp(pt->name, "CODE"))
		c->gen = 1;
	c->ftpr_off = pt->raw_offset;
	c->ftpr_len = pt->raw_size;
	EV(ft, AMT_EV_FTPR);
	ft->a = c->ftpr_off;
	ft->b = c->ftpr_off + c->ftpr_len;
	if (c->rs + c->ftpr_off + 0x10 > c->re || c->rs + c->ftpr_off + 0x10 > c->size)
		return refuse(c, AMT_E_RANGE, AMT_R_FTPR_OUTSIDE_REGION, "FTPR", c->rs + c->ftpr_off,
			      "the FTPR partition starts outside the ME region");

	amt_manifest_kind want;
	if (c->gen != 1 && pt->has_cpd && pt->cpd_offset == pt->offset) {
		c->gen = 3;
		int man = -1;
		for (size_t j = pt->first_module; j < pt->first_module + pt->nmodules &&
						     j < fw->nmodules; j++)
			if (!strcmp(fw->modules[j].name, "FTPR.man")) {
				man = (int)j;
				break;
			}
		if (man < 0)
			return refuse(c, AMT_E_UNKNOWN, AMT_R_NO_FTPR_MANIFEST, "$CPD FTPR", pt->offset,
				      "FTPR's $CPD has no FTPR.man entry");
		c->mn2 = fw->modules[man].offset - pt->offset;
		c->ftpr_content = cpd_content(fw, pt);
		EV(m, AMT_EV_FTPR_MANIFEST);
		m->a = c->ftpr_off + c->mn2;
		want = AMT_MAN_R1;
	} else if (c->gen != 1 && fw->generation == 3) {
		return refuse(c, AMT_E_UNKNOWN, AMT_R_NO_FTPR_MANIFEST, "$CPD FTPR", pt->offset,
			      "FTPR holds no readable $CPD directory");
	} else {
		c->mn2 = 0;
		if (!c->gen)
			c->gen = 2;
		want = c->gen == 1 ? AMT_MAN_GEN1 : AMT_MAN_R0;
	}
	uint64_t mo = c->rs + c->ftpr_off + c->mn2;
	const struct amt_manifest *man = NULL;
	for (size_t i = 0; i < fw->nmanifests; i++)
		if (fw->manifests[i].offset == mo)
			man = &fw->manifests[i];
	bool kind_ok = man && (want == AMT_MAN_GEN1 ? man->kind == AMT_MAN_GEN1 :
			       man->kind != AMT_MAN_GEN1);
	if (!kind_ok)
		return refuse(c, AMT_E_BADMAGIC, AMT_R_FTPR_MANIFEST_TAG, "FTPR manifest", mo,
			      "no %s manifest where FTPR's must be (0x%llx)",
			      want == AMT_MAN_GEN1 ? "$MAN" : "$MN2", (unsigned long long)mo);
	EV(v, AMT_EV_VERSION);
	v->version = man->version;
	v->generation = c->gen;
	p->version = man->version;
	p->version_known = true;
	p->generation = c->gen;
	p->family = fw->family;
	p->ftpr_manifest = mo;
	p->ftpr_sig = man->sig;

	EV(k, AMT_EV_KEY);
	k->flag = man->key.me_cleaner_known;
	memcpy(k->md5, man->key.me_cleaner_md5, 16);
	if (man->key.me_cleaner_known) {
		k->family = man->key.me_cleaner_variant;
		k->label = man->key.me_cleaner_versions;
	} else {
		/* me_cleaner: "Assuming Intel ME" from major 6 on, else TXE */
		k->family = man->version.major >= 6 ? AMT_FAM_ME : AMT_FAM_TXE;
	}
	k->version = man->version;
	c->variant = k->family;
	return AMT_OK;
}

/* ------------------------------------------------------------------ */
/* partitions                                                         */

static bool whitelisted(struct pl *c, const char *name)
{
	const struct amt_neutralize_opts *o = c->o;
	if (!strcmp(name, "FTPR"))
		return true;
	if (o->blacklist_given)
		return !in_list(o->blacklist, o->nblacklist, name);
	return in_list(o->whitelist, o->nwhitelist, name);
}

/* A partition of the $FPT that keeps its data, and the region-relative
 * bytes removals never touch for it. */
static bool kept_extent(struct pl *c, const struct amt_partition *q, uint64_t *ks, uint64_t *ke)
{
	char name[5];
	ascii_name(q->name, name, sizeof(name));
	uint64_t start = q->raw_offset, len = q->raw_size;
	if (q->type == AMT_FPT_NVRAM || start == 0 || len == 0 || start + len > c->re ||
	    !whitelisted(c, name))
		return false;
	*ks = start;
	*ke = start + len;
	if (c->pol->ftpr_extent_cpd && c->gen == 3 && c->ftpr_content && !strcmp(name, "FTPR") &&
	    start == c->ftpr_off)
		*ke = start + c->ftpr_content;
	return true;
}

/* Erase a removed partition, but never the bytes of a kept partition
 * that overlaps it (ME 11: DLMP overlaps the start of MFS). */
static amt_status fill_clipped(struct pl *c, const char *name, uint64_t start, uint64_t end)
{
	const struct amt_fw *fw = c->fw;
	uint64_t s = start;
	while (s < end) {
		uint64_t t = end;
		bool skip = false;
		const char *kname = NULL;
		for (size_t i = 0; i < fw->npartitions; i++) {
			const struct amt_partition *q = &fw->partitions[i];
			uint64_t ks, ke;
			if (q->container != AMT_CONT_FPT || !kept_extent(c, q, &ks, &ke))
				continue;
			if (ks <= s && s < ke) {
				skip = true;
				t = ke < end ? ke : end;
				kname = q->name;
				break;
			}
			if (ks > s && ks < t)
				t = ks;
		}
		if (skip && !c->overlap_warned) {
			c->overlap_warned = true;
			EV(w, AMT_EV_WARN_OVERLAP_KEPT);
			snprintf(w->name, sizeof(w->name), "%s", name);
			snprintf(w->part, sizeof(w->part), "%s", kname);
			w->a = c->rs + s;
			w->b = c->rs + t;
		}
		if (!skip)
			TRY(rfill(c, s, t, AMT_W_PARTITION, name, NULL));
		s = t;
	}
	return AMT_OK;
}

static amt_status remove_partitions(struct pl *c)
{
	const struct amt_fw *fw = c->fw;
	const struct amt_neutralize_opts *o = c->o;
	bool black = o->blacklist_given;

	EV(rp, AMT_EV_READ_PARTITIONS);
	(void)rp;
	c->fpt_keep = calloc(fw->npartitions + 1, sizeof(*c->fpt_keep));
	c->fpt_off = calloc(fw->npartitions + 1, sizeof(*c->fpt_off));
	if (!c->fpt_keep || !c->fpt_off)
		return nomem(c);
	bool ftpr_kept = false;
	for (size_t i = 0; i < fw->npartitions; i++) {
		const struct amt_partition *q = &fw->partitions[i];
		if (q->container != AMT_CONT_FPT)
			continue;
		char name[5];
		ascii_name(q->name, name, sizeof(name));
		uint64_t start = q->raw_offset, len = q->raw_size;
		/* me_cleaner: the last entry of ME 6 may say 0xFFFFFFFF: to the end */
		if (c->variant == AMT_FAM_ME && c->p->version.major == 6 &&
		    q->entry_offset + FPT_ENTRY == fw->fpt.offset + 0x20 +
		    (uint64_t)fw->fpt.nentries * FPT_ENTRY && len == 0xFFFFFFFFu)
			len = c->re - c->rs - start;
		uint64_t end = start + len;
		EV(e, AMT_EV_PARTITION);
		snprintf(e->name, sizeof(e->name), "%s", name);
		e->a = start;
		e->b = end;
		e->c = len;
		if (q->type == AMT_FPT_NVRAM) {
			e->disp = AMT_DISP_NVRAM;
		} else if (start == 0 || len == 0 || end > c->re) {
			/* me_cleaner compares the region-relative end with the
			 * absolute end of the region */
			e->disp = AMT_DISP_NO_DATA;
			if (!strcmp(name, "FTPR"))
				return refuse(c, AMT_E_REFUSED, AMT_R_FTPR_OUTSIDE_REGION, "FTPR",
					      c->rs + start,
					      "the FTPR partition (0x%llx-0x%llx) does not lie inside the "
					      "0x%llx-byte ME region: the image was truncated (already "
					      "cleaned?); dropping FTPR from the $FPT would leave an image "
					      "that cannot boot", (unsigned long long)start,
					      (unsigned long long)end, (unsigned long long)(c->re - c->rs));
		} else {
			bool keep = !strcmp(name, "FTPR") ||
				    (!black && in_list(o->whitelist, o->nwhitelist, name)) ||
				    (black && !in_list(o->blacklist, o->nblacklist, name));
			if (keep) {
				c->fpt_off[c->nfpt_keep] = q->raw_offset;
				c->fpt_keep[c->nfpt_keep++] = i;
				if (strcmp(name, "FTPR")) {
					if (end > c->extra_part_end)
						c->extra_part_end = end;
					e->disp = AMT_DISP_KEPT_WHITELISTED;
				} else {
					ftpr_kept = true;
					e->disp = AMT_DISP_KEPT;
				}
			} else {
				e->disp = AMT_DISP_REMOVED;
				c->p->strips = true;
				TRY(fill_clipped(c, name, start, end));
			}
		}
	}
	if (!ftpr_kept)
		return refuse(c, AMT_E_REFUSED, AMT_R_NO_FTPR, "$FPT", fw->fpt.offset,
			      "no FTPR partition with data was found in the $FPT");
	const struct amt_check *fk = check_at(fw, fw->fpt.offset + (fw->fpt.v21 ? 0x14 : 0x0B));
	if (fk && fk->ok == AMT_NO)
		return refuse(c, AMT_E_CHECKSUM, AMT_R_NONE, "$FPT", fk->offset,
			      "the $FPT %s does not match in the input (stored 0x%llx, computed 0x%llx): "
			      "the table is damaged and is not rewritten", fw->fpt.v21 ? "CRC-32" :
			      "checksum-8", (unsigned long long)fk->stored,
			      (unsigned long long)fk->computed);
	EV(fe, AMT_EV_FPT_ENTRIES);
	(void)fe;
	c->fpt_rewrite = true;
	bool effs_white = in_list(o->whitelist, o->nwhitelist, "EFFS");
	bool effs_black = in_list(o->blacklist, o->nblacklist, "EFFS");
	bool v21 = fw->fpt.v21;
	if (((!black && !effs_white) || (black && effs_black)) && !v21) {
		c->clear_effs = true;
		EV(ef, AMT_EV_EFFS_FLAG);
		(void)ef;
	}
	/* the checksum-8 covers the header only (not the entries), so its
	 * value is known now; the table itself is written at the end */
	uint8_t *buf = malloc(0x30 + (size_t)fw->fpt.nentries * FPT_ENTRY);
	if (!buf)
		return nomem(c);
	uint64_t start;
	size_t len;
	uint32_t sum;
	bool crc;
	amt_status st = amt_fpt_write(c->d, c->size, fw, c->fpt_keep, c->nfpt_keep, c->fpt_off,
				      c->clear_effs, buf, &start, &len, &sum, &crc, c->err);
	free(buf);
	if (st != AMT_OK)
		return st;
	EV(ck, AMT_EV_FPT_CHECKSUM);
	ck->a = sum;
	ck->flag = crc;
	return AMT_OK;
}

/* Write the rewritten $FPT (after a relocation changed FTPR's offset). */
static amt_status write_fpt(struct pl *c)
{
	const struct amt_fw *fw = c->fw;
	uint8_t *buf = malloc(0x30 + (size_t)fw->fpt.nentries * FPT_ENTRY);
	if (!buf)
		return nomem(c);
	uint64_t start;
	size_t len;
	uint32_t sum;
	bool crc;
	amt_status st = amt_fpt_write(c->d, c->size, fw, c->fpt_keep, c->nfpt_keep, c->fpt_off,
				      c->clear_effs, buf, &start, &len, &sum, &crc, c->err);
	if (st == AMT_OK)
		st = wr(c, start, buf, len, AMT_W_FPT, "$FPT", NULL);
	free(buf);
	return st;
}

/* ------------------------------------------------------------------ */
/* gen 2 modules                                                      */

static amt_status remove_modules2(struct pl *c, const struct amt_partition *pt, int64_t *end_out)
{
	const struct amt_fw *fw = c->fw;
	struct amt_plan *p = c->p;
	int64_t end_addr = 0;
	const struct amt_llut *l = NULL;
	bool *kept_chunk = NULL;
	size_t nkept_chunks = 0;
	uint64_t me_end = c->re; /* me_cleaner passes the absolute end */

	for (size_t j = pt->first_module; j < pt->first_module + pt->nmodules; j++) {
		const struct amt_module *m = &fw->modules[j];
		char name[17];
		if (!ascii_name(m->name, name, sizeof(name))) {
			free(kept_chunk);
			return refuse(c, AMT_E_BADMAGIC, AMT_R_MODULE_TABLE, "$MME", m->header_offset,
				      "a module name is not ASCII");
		}
		uint64_t offset = m->offset - c->rs, size = m->size;
		unsigned comp = (m->flags >> 4) & 7;
		bool ess = amt_boot_module(2, name);
		EV(e, AMT_EV_MODULE);
		snprintf(e->name, sizeof(e->name), "%s", name);
		snprintf(e->part, sizeof(e->part), "%s", pt->name);
		if (comp == 0 || comp == 2) {
			e->comp = comp == 0 ? AMT_COMP_NONE : AMT_COMP_LZMA;
			e->a = offset;
			e->b = offset + size;
			p->code_before += size;
			if (ess) {
				p->code_after += size;
				e->disp = AMT_DISP_KEPT;
				if ((int64_t)(offset + size) > end_addr)
					end_addr = (int64_t)(offset + size);
			} else {
				e->disp = AMT_DISP_REMOVED;
				p->strips = true;
				uint64_t end = offset + size < me_end ? offset + size : me_end;
				amt_status st = rfill(c, offset, end, AMT_W_MODULE, name, pt->name);
				if (st != AMT_OK) {
					free(kept_chunk);
					return st;
				}
			}
		} else if (comp == 1) {
			e->comp = AMT_COMP_HUFFMAN;
			if (m->llut < 0 || !fw->lluts[m->llut].table_ok) {
				free(kept_chunk);
				return refuse(c, AMT_E_BADMAGIC, AMT_R_MODULE_TABLE, "LLUT", m->offset,
					      "Huffman module %s has no readable LLUT", name);
			}
			l = &fw->lluts[m->llut];
			if (!kept_chunk) {
				kept_chunk = calloc(l->nchunks + 1, 1);
				if (!kept_chunk)
					return nomem(c);
			}
			uint64_t first, last;
			if (!amt_llut_module_chunks(fw, m, AMT_CHUNKS_ME_CLEANER, &first, &last)) {
				free(kept_chunk);
				return refuse(c, AMT_E_RANGE, AMT_R_MODULE_TABLE, "$MME", m->header_offset,
					      "Huffman module %s lies outside its LLUT's chunks", name);
			}
			uint64_t huff = 0;
			for (uint64_t k = first; k <= last; k++)
				if (!l->chunks[k].repeated)
					huff += l->chunks[k].end - l->chunks[k].offset;
			e->a = huff;
			if (ess) {
				e->disp = AMT_DISP_KEPT;
				for (uint64_t k = first; k <= last; k++)
					if (l->chunks[k].offset && !kept_chunk[k]) {
						kept_chunk[k] = true;
						nkept_chunks++;
					}
			} else {
				e->disp = AMT_DISP_REMOVED;
				p->strips = true;
			}
		} else {
			/* me_cleaner: "unknown compression, skipping" */
			e->comp = AMT_COMP_UNKNOWN;
			e->a = offset;
			e->b = offset + size;
			e->disp = AMT_DISP_KEPT_UNKNOWN_COMPRESSION;
		}
	}

	if (l) {
		for (uint32_t i = 0; i < l->nchunks; i++) {
			const struct amt_llut_chunk *ch = &l->chunks[i];
			uint64_t cs = ch->offset, ce = ch->repeated ? ch->offset : ch->end;
			if (!cs)
				continue;
			if (ce > cs)
				p->code_before += ce - cs;
			bool removable = true;
			for (uint32_t k = 0; k < l->nchunks && removable; k++) {
				if (!kept_chunk[k])
					continue;
				const struct amt_llut_chunk *u = &l->chunks[k];
				uint64_t us = u->offset, ue = u->repeated ? u->offset : u->end;
				if ((us <= cs && cs < ue) || (us < ce && ce <= ue))
					removable = false;
			}
			if (!removable && ce > cs)
				p->code_after += ce - cs;
			if (removable && ce > cs) {
				amt_status st = rfill(c, cs, ce < me_end ? ce : me_end,
						      AMT_W_HUFFMAN_CHUNKS, "Huffman chunks", pt->name);
				if (st != AMT_OK) {
					free(kept_chunk);
					return st;
				}
			}
		}
		if (!nkept_chunks && c->pol->refuse_mc_crash) {
			free(kept_chunk);
			return refuse(c, AMT_E_REFUSED, AMT_R_NO_BOOT_CHUNK, "LLUT", l->offset,
				      "ROMP and BUP have no Huffman chunk: nothing would be kept of them");
		}
		uint64_t mx = 0;
		for (uint32_t k = 0; k < l->nchunks; k++)
			if (kept_chunk[k]) {
				const struct amt_llut_chunk *u = &l->chunks[k];
				uint64_t ue = u->repeated ? u->offset : u->end;
				if (ue > mx)
					mx = ue;
			}
		if ((int64_t)mx > end_addr)
			end_addr = (int64_t)mx;
	}
	free(kept_chunk);
	*end_out = end_addr;
	return AMT_OK;
}

/* me_cleaner relocate_partition: FTPR to new_off (at least), adjusting its
 * $FPT entry, the LLUT fields and the chunk offsets; *new_off_io receives
 * where it goes. */
static amt_status relocate(struct pl *c, const struct amt_partition *pt, uint64_t *new_off_io)
{
	const struct amt_fw *fw = c->fw;
	uint64_t new_offset = *new_off_io;
	uint64_t old = c->ftpr_off, psize = c->ftpr_len;
	const struct amt_llut *l = NULL;
	uint64_t llut = 0;   /* region-relative */

	if (c->gen == 2)
		for (size_t j = pt->first_module; j < pt->first_module + pt->nmodules; j++) {
			const struct amt_module *m = &fw->modules[j];
			if (((m->flags >> 4) & 7) == 1) {
				llut = m->offset - c->rs;
				if (m->llut >= 0)
					l = &fw->lluts[m->llut];
				break;
			}
		}
	uint64_t corr = 0;
	if (llut) {
		if (!l)
			return refuse(c, AMT_E_BADMAGIC, AMT_R_RELOCATE_UNSAFE, "LLUT", c->rs + llut,
				      "Huffman modules present but no LLUT found");
		/* me_cleaner reads the u16 at LLUT+9: the middle bytes of the
		 * address base */
		corr = (l->addr_base >> 8) & 0xFFFF;
		int64_t need = (int64_t)corr - (int64_t)llut - 0x40 + (int64_t)old;
		if (need > (int64_t)new_offset)
			new_offset = (uint64_t)need;
		new_offset = (new_offset + 0x1f) / 0x20 * 0x20;
	}
	int64_t diff = (int64_t)new_offset - (int64_t)old;
	EV(r, AMT_EV_RELOCATE);
	snprintf(r->name, sizeof(r->name), "%s", pt->name);
	r->a = old;
	r->b = old + psize;
	r->c = new_offset;
	r->d = new_offset + psize;
	EV(rf, AMT_EV_RELOCATE_FPT);
	(void)rf;
	for (size_t k = 0; k < c->nfpt_keep; k++)
		if (c->fpt_keep[k] == (size_t)c->ftpr)
			c->fpt_off[k] = (uint32_t)new_offset;

	if (c->gen == 2) {
		if (l) {
			EV(a, AMT_EV_RELOCATE_LUT_START);
			(void)a;
			int64_t lut = (int64_t)llut + diff + 0x40 - (int64_t)corr;
			if (lut < 0 || lut > (int64_t)UINT32_MAX)
				return refuse(c, AMT_E_REFUSED, AMT_R_RELOCATE_UNSAFE, "LLUT",
					      l->offset + 0x0C,
					      "the relocated LLUT SPI base would be %lld", (long long)lut);
			TRY(wr32(c, l->offset + 0x0C, (uint32_t)lut, AMT_W_RELOCATE_LLUT, "LLUT"));
			EV(b, AMT_EV_RELOCATE_HUFFMAN_START);
			(void)b;
			int64_t hs = (int64_t)l->stream_start + diff;
			if (hs < 0 || hs > (int64_t)UINT32_MAX)
				return refuse(c, AMT_E_REFUSED, AMT_R_RELOCATE_UNSAFE, "LLUT",
					      l->offset + 0x14,
					      "the Huffman stream starts at 0x%x, before the new place of "
					      "FTPR can hold it: moving it by %lld bytes would wrap its "
					      "offset", l->stream_start, (long long)diff);
			TRY(wr32(c, l->offset + 0x14, (uint32_t)hs, AMT_W_RELOCATE_LLUT, "LLUT"));
			EV(ch, AMT_EV_RELOCATE_CHUNKS);
			(void)ch;
			uint64_t tl = (uint64_t)l->nchunks * 4;
			uint8_t *tab = malloc(tl ? tl : 1);
			if (!tab)
				return nomem(c);
			rd(c, l->offset + 0x40, tab, tl);
			for (uint32_t i = 0; i < l->nchunks; i++) {
				uint8_t *e = tab + 4 * (uint64_t)i;
				if (e[3] == 0x80)
					continue;
				int64_t v = (int64_t)(e[0] | e[1] << 8 | (uint32_t)e[2] << 16) + diff;
				if (v < 0 || v > 0xFFFFFF) {
					free(tab);
					return refuse(c, AMT_E_REFUSED, AMT_R_RELOCATE_UNSAFE, "LLUT",
						      l->offset + 0x40 + 4 * (uint64_t)i,
						      "chunk %u would move to offset %lld", i, (long long)v);
				}
				e[0] = (uint8_t)v;
				e[1] = (uint8_t)(v >> 8);
				e[2] = (uint8_t)(v >> 16);
			}
			amt_status st = wr(c, l->offset + 0x40, tab, tl, AMT_W_RELOCATE_LLUT, "LLUT", NULL);
			free(tab);
			TRY(st);
		} else {
			EV(nh, AMT_EV_RELOCATE_NO_HUFFMAN);
			(void)nh;
		}
	}
	EV(mv, AMT_EV_RELOCATE_MOVE);
	(void)mv;
	uint64_t rlen = c->re - c->rs;
	if (rlen - old < psize)
		psize = rlen - old;
	if (c->rs + old + psize > c->re || c->rs + new_offset + psize > c->re ||
	    c->rs + old + psize > c->size)
		return refuse(c, AMT_E_RANGE, AMT_R_RELOCATE_UNSAFE, "FTPR", c->rs + old,
			      "the relocated FTPR would lie outside the ME region");
	if (new_offset > old && new_offset - old < psize)
		return refuse(c, AMT_E_REFUSED, AMT_R_RELOCATE_UNSAFE, "FTPR", c->rs + old,
			      "the relocation would move FTPR up over itself (0x%llx -> 0x%llx)",
			      (unsigned long long)old, (unsigned long long)new_offset);
	MEM(amt_plan_move(c->p, c->rs + old, c->rs + new_offset, psize, 0xFF, AMT_W_RELOCATE,
			  pt->name));
	*new_off_io = new_offset;
	return AMT_OK;
}

static amt_status modules_gen2(struct pl *c, int64_t *end_out, uint64_t *off_io)
{
	const struct amt_fw *fw = c->fw;
	const struct amt_partition *pt = &fw->partitions[c->ftpr];
	uint64_t offset = *off_io;

	*end_out = -1;
	const struct amt_manifest *man = NULL;
	for (size_t i = 0; i < fw->nmanifests; i++)
		if (fw->manifests[i].offset == c->rs + c->ftpr_off)
			man = &fw->manifests[i];
	unsigned stride = man && fw->ftpr_manifest >= 0 &&
			  &fw->manifests[fw->ftpr_manifest] == man ? fw->mme_stride : 0;
	if (!stride) {
		EV(e, AMT_EV_MODULES_NO_STRIDE);
		(void)e;
		return AMT_OK;
	}
	if (pt->nmodules != man->module_count) {
		EV(e, AMT_EV_MODULES_SHORT);
		(void)e;
		return AMT_OK;
	}
	int64_t end_addr = -1;
	if (c->o->keep_modules) {
		end_addr = (int64_t)(offset + c->ftpr_len);
	} else {
		TRY(remove_modules2(c, pt, &end_addr));
	}
	if (c->o->relocate) {
		uint64_t nw = MIN_FTPR_OFFSET;
		TRY(relocate(c, pt, &nw));
		end_addr += (int64_t)nw - (int64_t)offset;
		offset = nw;
	}
	*end_out = end_addr;
	*off_io = offset;
	return AMT_OK;
}

/* ------------------------------------------------------------------ */
/* gen 3 modules                                                      */

struct cpdmod {
	char name[13];
	uint64_t off;        /* relative to $CPD (= FTPR) */
	bool huffman;
	bool sentinel;
};

static amt_status modules_gen3(struct pl *c, int64_t *end_out, uint64_t *off_io)
{
	const struct amt_fw *fw = c->fw;
	const struct amt_partition *pt = &fw->partitions[c->ftpr];
	struct amt_plan *p = c->p;
	uint64_t po = *off_io, plen = c->ftpr_len;
	int64_t end_data = 0;

	if (c->o->keep_modules) {
		end_data = (int64_t)(po + plen);
	} else {
		size_t n = pt->nmodules;
		uint64_t hlen = pt->cpd_version == 2 ? 0x14 : 0x10;
		uint64_t dir_end = po + hlen + (uint64_t)pt->cpd_entries * CPD_ENTRY;
		struct cpdmod *m = calloc(n + 1, sizeof(*m));
		if (!m)
			return nomem(c);
		/* stable order: the "end" sentinel first among equals, then the
		 * entries in table order (me_cleaner sorts a list that starts
		 * with it; Python's sort is stable) */
		snprintf(m[0].name, sizeof(m[0].name), "end");
		m[0].off = plen;
		m[0].sentinel = true;
		for (size_t i = 0; i < n; i++) {
			const struct amt_module *mod = &fw->modules[pt->first_module + i];
			if (!ascii_name(mod->name, m[i + 1].name, sizeof(m[i + 1].name))) {
				free(m);
				return refuse(c, AMT_E_BADMAGIC, AMT_R_MODULE_TABLE, "$CPD FTPR",
					      mod->header_offset, "a $CPD entry name is not ASCII");
			}
			m[i + 1].off = mod->flags & 0x01ffffffu;
			m[i + 1].huffman = (mod->flags >> 25) & 1;
		}
		for (size_t i = 1; i <= n; i++) {
			struct cpdmod t = m[i];
			size_t j = i;
			while (j > 0 && m[j - 1].off > t.off) {
				m[j] = m[j - 1];
				j--;
			}
			m[j] = t;
		}
		for (size_t i = 0; i < n; i++) {
			/* me_cleaner goes over all but the last of the sorted list;
			 * the "end" sentinel is not a module (an entry past the end
			 * of FTPR follows it) */
			if (m[i].sentinel)
				continue;
			const char *name = m[i].name;
			uint64_t off = po + m[i].off, end = po + m[i + 1].off;
			bool man = ends_with(name, ".man"), met = ends_with(name, ".met");
			struct amt_event *e = ev(c, AMT_EV_MODULE);
			if (!e) {
				free(m);
				return nomem(c);
			}
			snprintf(e->name, sizeof(e->name), "%s", name);
			snprintf(e->part, sizeof(e->part), "%s", pt->name);
			e->comp = man || met ? AMT_COMP_NONE : m[i].huffman ? AMT_COMP_HUFFMAN :
										AMT_COMP_LZMA;
			e->flag = man || met;   /* "uncompressed" in me_cleaner's words */
			e->a = off;
			e->b = end;
			bool removed = false;
			if (man)
				e->disp = AMT_DISP_KEPT_MANIFEST;
			else if (met)
				e->disp = AMT_DISP_KEPT_METADATA;
			else if (amt_boot_module(3, name))
				e->disp = AMT_DISP_KEPT;
			else if (off < dir_end && end > off)
				/* me_cleaner erases the $CPD directory here (TXE 3/4:
				 * entries with offset 0); it is kept */
				e->disp = AMT_DISP_KEPT_IN_DIRECTORY;
			else {
				e->disp = AMT_DISP_REMOVED;
				removed = true;
				p->strips = true;
				amt_status st = rfill(c, off, end < c->re ? end : c->re, AMT_W_MODULE, name,
						      pt->name);
				if (st != AMT_OK) {
					free(m);
					return st;
				}
			}
			if (!man && !met && end > off) {
				p->code_before += end - off;
				if (!removed)
					p->code_after += end - off;
			}
			if (!removed && (int64_t)end > end_data)
				end_data = (int64_t)end;
		}
		free(m);
	}
	if (c->o->relocate) {
		uint64_t nw = MIN_FTPR_OFFSET;
		TRY(relocate(c, pt, &nw));
		end_data += (int64_t)nw - (int64_t)po;
		po = nw;
	}
	*end_out = end_data;
	*off_io = po;
	return AMT_OK;
}

/* ------------------------------------------------------------------ */
/* sizes, descriptor                                                  */

/* Shrink the ME region to ea bytes; the region that starts right after it
 * grows down. */
static amt_status shrink_region(struct pl *c, uint64_t ea)
{
	const struct amt_ifd *ifd = &c->img->ifd;
	int next = -1;
	for (unsigned r = 0; r < ifd->nregions && r < AMT_IFD_MAX_REGIONS; r++)
		if (r != AMT_RGN_ME && ifd->region[r].used && ifd->offset + ifd->region[r].base == c->re)
			next = (int)r;
	if (next < 0)
		return refuse(c, AMT_E_REFUSED, AMT_R_SHRINK_NO_NEXT_REGION, "descriptor", AMT_NO_OFFSET,
			      "no region starts right after the ME region (0x%llx): the ME region "
			      "cannot be shrunk", (unsigned long long)c->re);
	uint64_t new_end = c->rs + ea;
	if (new_end >= c->re)
		return AMT_OK;
	uint64_t frba = ifd->offset + ifd->frba;
	const struct amt_ifd_region *nr = &ifd->region[next];
	TRY(rfill(c, ea, c->re - c->rs, AMT_W_REGION_TAIL, amt_region_name((unsigned)next), NULL));
	TRY(wr32(c, frba + 8, flreg_make(c->rs - ifd->offset, new_end - ifd->offset),
		 AMT_W_FLREG_ME, "FLREG2"));
	char fl[17];
	snprintf(fl, sizeof(fl), "FLREG%d", next);
	TRY(wr32(c, frba + 4u * (unsigned)next, flreg_make(new_end - ifd->offset, nr->limit + 1),
		 AMT_W_FLREG_NEXT, fl));
	c->p->shrunk = true;
	c->p->next_region = next;
	EV(w, AMT_EV_WARN_REGION_SHRUNK);
	snprintf(w->name, sizeof(w->name), "%s", amt_region_name((unsigned)next));
	w->a = c->rs;
	w->b = c->re;
	w->c = new_end;
	return AMT_OK;
}

static amt_status remove_all(struct pl *c)
{
	const struct amt_neutralize_opts *o = c->o;
	struct amt_plan *p = c->p;

	TRY(remove_partitions(c));
	EV(rm, AMT_EV_READ_MODULES);
	(void)rm;
	uint64_t off = c->ftpr_off;
	int64_t end_addr = -1;
	if (c->gen == 3)
		TRY(modules_gen3(c, &end_addr, &off));
	else
		TRY(modules_gen2(c, &end_addr, &off));
	TRY(write_fpt(c));
	c->ftpr_off = off;
	c->end_addr = end_addr;
	if (end_addr > 0) {
		uint64_t ea = (uint64_t)end_addr;
		if (c->extra_part_end > ea)
			ea = c->extra_part_end;
		ea = (ea / 0x1000 + 1) * 0x1000;
		ea += SPARED_BLOCKS * 0x1000;
		c->end_addr = (int64_t)ea;
		p->min_me_size = ea;
		EV(ms, AMT_EV_MIN_SIZE);
		ms->a = ea;
		if (c->rs > 0) {
			EV(rd2, AMT_EV_REDUCIBLE);
			rd2->a = c->rs;
			rd2->b = c->rs + ea - 1;
			if (o->shrink_region && c->pol->shrink)
				TRY(shrink_region(c, ea));
		} else if (o->truncate) {
			EV(t, AMT_EV_TRUNCATE);
			t->a = ea;
			MEM(amt_plan_resize(p, ea));
		}
	} else if ((o->truncate || o->shrink_region) && c->pol->id == AMT_NEU_NATIVE) {
		return refuse(c, AMT_E_REFUSED, AMT_R_TRUNCATE_UNKNOWN_END, "FTPR", AMT_NO_OFFSET,
			      "where the kept data ends is unknown: the region cannot be cut");
	}
	return AMT_OK;
}

static amt_status descriptor_edits(struct pl *c)
{
	const struct amt_neutralize_opts *o = c->o;
	struct amt_plan *p = c->p;
	const struct amt_ifd *ifd = &c->img->ifd;

	if (o->fix_master) {
		EV(e, AMT_EV_FIX_MASTER);
		(void)e;
		uint64_t mo = ifd->offset + ifd->fmba + 4;
		if (ifd->nmasters < 2 || !amt_in(c->size, mo, 4) || mo + 4 > c->fd_end)
			return refuse(c, AMT_E_RANGE, AMT_R_NONE, "FLMSTR2", mo,
				      "FLMSTR2 lies outside the descriptor");
		/* IFDv2: the ME reads the descriptor and its region, writes its
		 * region (me_cleaner after #154); IFDv1: the ME reads and writes
		 * its region only, its requester id kept */
		uint32_t v = ifd->version >= 2 ? 0x00400500u :
			     ((ifd->master[1].raw | 0x04040000u) & 0x0404ffffu);
		TRY(wr32(c, mo, v, AMT_W_FLMSTR_ME, "FLMSTR2"));
	}
	if (o->want_descriptor) {
		EV(e, AMT_EV_EXTRACT_DESCRIPTOR);
		(void)e;
		p->has_desc_extract = true;
		p->desc_size = c->fd_end - c->fd_start;
		if (o->truncate) {
			if (c->bios_start == c->re && c->end_addr > 0) {
				uint64_t ea = (uint64_t)c->end_addr;
				EV(r, AMT_EV_DESCRIPTOR_REGIONS);
				r->a = c->rs;
				r->b = c->re;
				r->c = c->rs + ea;
				r->d = c->bios_start;
				r->e = c->rs + ea;
				r->f = c->bios_end;
				uint64_t base = ifd->offset;
				p->desc_flreg_off[0] = ifd->frba + 4;
				p->desc_flreg_val[0] = flreg_make(c->rs + ea - base, c->bios_end - base);
				p->desc_nflreg = 1;
				if (c->gen != 1) {
					p->desc_flreg_off[1] = ifd->frba + 8;
					p->desc_flreg_val[1] = flreg_make(c->rs - base, c->rs + ea - base);
					p->desc_nflreg = 2;
				}
			} else {
				EV(w, AMT_EV_BIOS_NOT_ADJACENT);
				w->a = c->bios_start;
				w->b = c->re;
			}
		}
	}
	if (o->want_me && c->gen != 1) {
		EV(e, AMT_EV_EXTRACT_ME);
		e->flag = o->truncate;
		p->has_me_extract = true;
		p->me_extract_size = o->truncate && c->end_addr > 0 ? (uint64_t)c->end_addr :
				     c->re - c->rs;
	}
	return AMT_OK;
}

/* ------------------------------------------------------------------ */
/* native: CSME 12+ and IFWI                                          */

static bool overlaps(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
	return an && bn && a < b + bn && b < a + an;
}

static uint64_t cpd_dir_len(const struct amt_partition *pt)
{
	return (pt->cpd_version == 2 ? 0x14u : 0x10u) + (uint64_t)pt->cpd_entries * CPD_ENTRY;
}

/* Why a module may go (a removal disposition), or AMT_DISP_NONE. */
static amt_disposition may_go(const struct amt_module *m, bool hap_used)
{
	if (m->kind != AMT_MOD_MODULE || !m->in_range || m->size == 0 ||
	    amt_boot_module(3, m->name))
		return AMT_DISP_NONE;
	if (m->removable == AMT_YES)
		return AMT_DISP_REMOVED_REMOVABLE;
	if (hap_used && m->hap_boot == AMT_NO)
		return AMT_DISP_REMOVED_NOT_HAP;
	return AMT_DISP_NONE;
}

static amt_status cse_reduce(struct pl *c, bool *removed, size_t *nremoved, uint64_t *rbytes)
{
	const struct amt_fw *fw = c->fw;
	bool hap_used = false;
	unsigned nrem_flag = 0;

	/* the flags come from the signed FTPR manifest: trusted only then */
	if (fw->ftpr_manifest >= 0 && (size_t)fw->ftpr_manifest < fw->nmanifests &&
	    fw->manifests[fw->ftpr_manifest].sig == AMT_SIG_INVALID)
		return refuse(c, AMT_E_REFUSED, AMT_R_REDUCE_UNTRUSTED, "FTPR manifest",
			      fw->manifests[fw->ftpr_manifest].offset,
			      "the FTPR manifest signature does not verify, so its InitScript "
			      "flags are not trusted: nothing is removed");
	for (size_t i = 0; i < fw->nmodules; i++) {
		hap_used = hap_used || fw->modules[i].hap_boot == AMT_YES;
		nrem_flag += fw->modules[i].removable == AMT_YES;
	}
	for (size_t pi = 0; pi < fw->npartitions; pi++) {
		const struct amt_partition *pt = &fw->partitions[pi];
		if (!pt->has_cpd || !pt->nmodules)
			continue;
		bool seen = false;   /* partitions that share a $CPD: once */
		for (size_t q = 0; q < pi; q++)
			seen = seen || (fw->partitions[q].has_cpd &&
					fw->partitions[q].cpd_offset == pt->cpd_offset);
		if (seen)
			continue;
		size_t lo = pt->first_module, hi = pt->first_module + pt->nmodules;
		if (hi > fw->nmodules)
			continue;
		uint64_t dl = cpd_dir_len(pt);
		size_t n = 0;
		for (size_t j = lo; j < hi; j++) {
			const struct amt_module *m = &fw->modules[j];
			if (!may_go(m, hap_used) || !amt_in(c->size, m->offset, m->size))
				continue;
			bool shared = overlaps(m->offset, m->size, pt->cpd_offset, dl);
			for (size_t k = lo; k < hi && !shared; k++) {
				const struct amt_module *o = &fw->modules[k];
				if (k != j && o->in_range && !may_go(o, hap_used) &&
				    overlaps(m->offset, m->size, o->offset, o->size))
					shared = true;
			}
			if (shared) {
				EV(w, AMT_EV_WARN_REDUCE_SHARED);
				snprintf(w->name, sizeof(w->name), "%s", m->name);
				snprintf(w->part, sizeof(w->part), "%s", m->partition);
				continue;
			}
			removed[j] = true;
			n++;
		}
		if (!n)
			continue;
		bool in_dir = false;
		for (size_t j = lo; j < hi; j++) {
			const struct amt_module *m = &fw->modules[j];
			if (!removed[j] && m->in_range && overlaps(m->offset, m->size, pt->cpd_offset, dl))
				in_dir = true;
		}
		if (in_dir) {
			for (size_t j = lo; j < hi; j++)
				removed[j] = false;
			EV(w, AMT_EV_WARN_REDUCE_DIRECTORY);
			snprintf(w->name, sizeof(w->name), "%s", pt->name);
			continue;
		}
		for (size_t j = lo; j < hi; j++) {   /* each removed module's .met too */
			const struct amt_module *m = &fw->modules[j];
			if (!removed[j] || m->kind != AMT_MOD_MODULE)
				continue;
			size_t nl = strlen(m->name);
			for (size_t k = lo; k < hi; k++) {
				const struct amt_module *t = &fw->modules[k];
				if (t->kind == AMT_MOD_METADATA && strlen(t->name) == nl + 4 &&
				    !strncmp(t->name, m->name, nl))
					removed[k] = true;
			}
		}
		const struct amt_check *ck = check_at(fw, pt->cpd_offset +
						      (pt->cpd_version == 2 ? 0x10 : 0x0B));
		if (ck && ck->ok == AMT_NO)
			return refuse(c, AMT_E_CHECKSUM, AMT_R_NONE, "$CPD", ck->offset,
				      "the $CPD of %s does not match its %s in the input: the "
				      "directory is damaged and is not rewritten", pt->name,
				      pt->cpd_version == 2 ? "CRC-32" : "checksum-8");
		uint8_t *buf = malloc((size_t)dl);
		if (!buf)
			return nomem(c);
		size_t len, old;
		unsigned kept;
		amt_status st = amt_cpd_write(c->d, c->size, fw, pi, removed, buf, &len, &old, &kept,
					      c->err);
		if (st == AMT_OK)
			st = wr(c, pt->cpd_offset, buf, len, AMT_W_CPD, pt->name, NULL);
		free(buf);
		TRY(st);
		MEM(amt_plan_fill(c->p, pt->cpd_offset + len, old - len, 0xFF, AMT_W_CPD, pt->name,
				  NULL));
		for (size_t j = lo; j < hi; j++) {
			const struct amt_module *m = &fw->modules[j];
			if (!removed[j] || m->kind != AMT_MOD_MODULE)
				continue;
			MEM(amt_plan_fill(c->p, m->offset, m->size, 0xFF, AMT_W_MODULE, m->name,
					  m->partition));
			(*nremoved)++;
			*rbytes += m->size;
		}
		amt_tristate was = AMT_UNKNOWN;
		char what[48];
		snprintf(what, sizeof(what), "%s partition hash (Ext 0x03)", pt->name);
		for (size_t k = 0; k < fw->nchecks; k++)
			if (!strcmp(fw->checks[k].what, what))
				was = fw->checks[k].ok;
		EV(w, AMT_EV_WARN_PARTITION_HASH);
		snprintf(w->name, sizeof(w->name), "%s", pt->name);
		w->flag = was == AMT_YES;
	}
	if (!*nremoved) {
		amt_reduce_why why = nrem_flag ? AMT_REDUCE_ESSENTIAL_OR_SHARED :
				     hap_used ? AMT_REDUCE_NO_SAFE_MODULE :
				     fw->cse.ninit ? AMT_REDUCE_NO_HAP_FLAGS : AMT_REDUCE_NO_INITSCRIPT;
		if (!c->full)
			return refuse(c, AMT_E_REFUSED, AMT_R_REDUCE_NOTHING, "InitScript", AMT_NO_OFFSET,
				      "nothing can be removed from this image: %s; no module is "
				      "removed on a guess",
				      why == AMT_REDUCE_ESSENTIAL_OR_SHARED ?
				      "the modules flagged Removable are essential or share their bytes" :
				      why == AMT_REDUCE_NO_SAFE_MODULE ?
				      "no module outside the HAP boot flow can be removed safely" :
				      why == AMT_REDUCE_NO_HAP_FLAGS ?
				      "its InitScript flags no module Removable and never sets the HAP "
				      "boot flag" : "no InitScript (extension 0x01) was found");
		EV(w, AMT_EV_WARN_REDUCE_NOTHING);
		w->a = why;
	} else {
		EV(w, AMT_EV_WARN_REDUCE_DONE);
		w->a = *nremoved;
		w->b = *rbytes;
	}
	return AMT_OK;
}

static amt_status plan_cse(struct pl *c)
{
	const struct amt_image *img = c->img;
	const struct amt_fw *fw = c->fw;
	const struct amt_neutralize_opts *o = c->o;
	struct amt_plan *p = c->p;

	const char *bad = o->relocate ? "relocation" : o->truncate ? "truncation" :
			  o->shrink_region ? "shrinking the ME region" :
			  o->nwhitelist ? "a partition keep-list" :
			  o->blacklist_given ? "a partition remove-list" :
			  o->fix_master ? "restricting the ME's access" : NULL;
	if (bad)
		return refuse(c, AMT_E_UNSUPPORTED, AMT_R_OPT_NOT_OFFERED, "options", AMT_NO_OFFSET,
			      "%s is not offered for %s firmware (%s layout): partitions are not "
			      "moved, cut or removed; only the HAP bit and, on request, the modules "
			      "the image lets go", bad, amt_family_str(fw->family),
			      amt_layout_str(fw->layout));
	if (o->keep_modules && o->reduce_cse)
		return refuse(c, AMT_E_ARG, AMT_R_OPT_CONFLICT, "options", AMT_NO_OFFSET,
			      "keeping every module and reducing exclude each other");
	if (o->disable_bit_only && o->reduce_cse)
		return refuse(c, AMT_E_ARG, AMT_R_OPT_CONFLICT, "options", AMT_NO_OFFSET,
			      "the disable bit only and reducing exclude each other");
	c->full = img->kind == AMT_KIND_FULL && img->has_ifd;
	bool want_bit = c->full && (o->set_disable_bit || o->disable_bit_only);
	if (!c->full && !o->reduce_cse)
		return refuse(c, AMT_E_REFUSED, AMT_R_OPT_NEEDS_FULL_IMAGE, "image", AMT_NO_OFFSET,
			      "%s, %s %u.%u (%s): the HAP disable bit lives in the flash descriptor, "
			      "not in this file, and this firmware is only reduced on request",
			      amt_input_kind_str(img->kind), amt_family_str(fw->family),
			      fw->version.major, fw->version.minor, amt_layout_str(fw->layout));
	if (c->full && !want_bit && !o->reduce_cse)
		return refuse(c, AMT_E_REFUSED, AMT_R_NOTHING_TO_DO, "image", AMT_NO_OFFSET,
			      "%s %u.%u firmware: without the disable bit and without reduction "
			      "there is nothing to do", amt_family_str(fw->family),
			      fw->version.major, fw->version.minor);

	p->full_image = c->full;
	p->generation = 3;
	p->family = fw->family;
	p->version = fw->version;
	p->version_known = fw->version_known;
	p->me_start = fw->region_offset;
	p->me_end = fw->region_offset + fw->region_size;
	if (c->full) {
		const struct amt_ifd *ifd = &img->ifd;
		c->map_untrusted = ifd->regions_overlap || ifd->region_past_flash;
		const struct amt_ifd_region *r0 = &ifd->region[AMT_RGN_FD];
		c->fd_start = p->fd_start = ifd->offset + (r0->used ? r0->base : 0);
		c->fd_end = p->fd_end = ifd->offset + (r0->used ? r0->limit + 1 : AMT_IFD_SIZE);
	}
	if (fw->ftpr_manifest >= 0 && (size_t)fw->ftpr_manifest < fw->nmanifests) {
		p->ftpr_manifest = fw->manifests[fw->ftpr_manifest].offset;
		p->ftpr_sig = fw->manifests[fw->ftpr_manifest].sig;
	}
	if (c->full)
		TRY(plan_disable_locate(c, 3, want_bit));
	if (want_bit)
		TRY(plan_disable_set(c));
	else if (c->full) {
		EV(w, AMT_EV_WARN_NO_DISABLE_BIT);
		(void)w;
	}

	bool *removed = calloc(fw->nmodules + 1, sizeof(*removed));
	if (!removed)
		return nomem(c);
	size_t nremoved = 0;
	uint64_t rbytes = 0;
	amt_status st = AMT_OK;
	if (o->reduce_cse)
		st = cse_reduce(c, removed, &nremoved, &rbytes);
	if (st == AMT_OK && !o->reduce_cse) {
		struct amt_event *w = ev(c, AMT_EV_WARN_CSE_WHOLE);
		if (!w)
			st = nomem(c);
	}
	for (size_t pi = 0; st == AMT_OK && pi < fw->npartitions; pi++) {
		const struct amt_partition *pt = &fw->partitions[pi];
		if (pt->empty || !pt->in_range || pt->container == AMT_CONT_LAYOUT)
			continue;
		struct amt_event *e = ev(c, AMT_EV_PARTITION);
		if (!e) {
			st = nomem(c);
			break;
		}
		snprintf(e->name, sizeof(e->name), "%s", pt->name);
		e->a = pt->offset;
		e->b = pt->offset + pt->size;
		e->c = pt->size;
		e->disp = AMT_DISP_KEPT_UNCHANGED;
	}
	for (size_t i = 0; st == AMT_OK && i < fw->nmodules; i++) {
		const struct amt_module *m = &fw->modules[i];
		if (m->kind != AMT_MOD_MODULE)
			continue;
		p->code_before += m->size;
		struct amt_event *e = ev(c, AMT_EV_MODULE);
		if (!e) {
			st = nomem(c);
			break;
		}
		snprintf(e->name, sizeof(e->name), "%s", m->name);
		snprintf(e->part, sizeof(e->part), "%s", m->partition);
		e->comp = m->comp;
		e->a = m->offset;
		e->b = m->offset + m->size;
		if (removed[i]) {
			e->disp = may_go(m, true) != AMT_DISP_NONE && m->removable != AMT_YES ?
				  AMT_DISP_REMOVED_NOT_HAP : AMT_DISP_REMOVED_REMOVABLE;
			p->strips = true;
			continue;
		}
		if (m->in_range)
			p->code_after += m->size;
		e->disp = !o->reduce_cse ? AMT_DISP_KEPT_UNCHANGED :
			  amt_boot_module(3, m->name) ? AMT_DISP_KEPT :
			  m->hap_boot == AMT_YES ? AMT_DISP_KEPT_HAP_FLOW : AMT_DISP_KEPT_NOT_FLAGGED;
	}
	free(removed);
	TRY(st);
	if (o->want_descriptor && c->full) {
		p->has_desc_extract = true;
		p->desc_size = p->fd_end - p->fd_start;
	}
	if (o->want_me && c->full) {
		p->has_me_extract = true;
		p->me_extract_size = fw->region_size;
	}
	return AMT_OK;
}

/* ------------------------------------------------------------------ */

static amt_status check_options(struct pl *c)
{
	const struct amt_neutralize_opts *o = c->o;
	if (c->clearing) {
		const char *bad = o->check_only ? "checking only" :
				  o->set_disable_bit || o->disable_bit_only ? "setting the disable bit" :
				  o->keep_modules ? "keeping modules" :
				  o->relocate ? "relocation" : o->truncate ? "truncation" :
				  o->fix_master ? "restricting the ME's access" :
				  o->shrink_region ? "shrinking the ME region" :
				  o->reduce_cse ? "reducing the firmware" :
				  o->nwhitelist || o->blacklist_given ? "a partition list" :
				  o->want_descriptor || o->want_me ? "an extract" : NULL;
		if (bad)
			return refuse(c, AMT_E_ARG, AMT_R_OPT_CONFLICT, "options", AMT_NO_OFFSET,
				      "re-enabling the ME (clearing the disable bit) changes nothing "
				      "else: it cannot be combined with %s", bad);
		if (c->pol->id != AMT_NEU_NATIVE)
			return refuse(c, AMT_E_ARG, AMT_R_OPT_NOT_OFFERED, "options", AMT_NO_OFFSET,
				      "me_cleaner has no operation that clears the disable bit");
	}
	if (o->check_only && (o->set_disable_bit || o->disable_bit_only || o->relocate ||
			      o->fix_master || o->truncate))
		return refuse(c, AMT_E_ARG, AMT_R_OPT_CHECK_COMBINED, "options", AMT_NO_OFFSET,
			      "checking only cannot be combined with an edit");
	if (o->disable_bit_only && (o->relocate || o->truncate))
		return refuse(c, AMT_E_ARG, AMT_R_OPT_DISABLE_ONLY_COMBINED, "options", AMT_NO_OFFSET,
			      "setting only the disable bit cannot be combined with relocation or "
			      "truncation");
	if ((o->nwhitelist || o->blacklist_given) && o->relocate)
		return refuse(c, AMT_E_ARG, AMT_R_OPT_RELOCATE_LISTS, "options", AMT_NO_OFFSET,
			      "relocation assumes FTPR is the only partition left: it cannot be "
			      "combined with a partition keep or remove list");
	if (o->nwhitelist && o->blacklist_given)
		return refuse(c, AMT_E_ARG, AMT_R_OPT_CONFLICT, "options", AMT_NO_OFFSET,
			      "a keep-list and a remove-list exclude each other");
	return AMT_OK;
}

static amt_status run(struct pl *c)
{
	const struct amt_image *img = c->img;
	const struct amt_neutralize_opts *o = c->o;
	struct amt_plan *p = c->p;

	TRY(check_options(c));
	if (c->clearing)
		return plan_bit_only(c, false);
	/* the disable bit alone on a descriptor file alone (as ifdtool offers
	 * it); me_cleaner does not read such a file */
	if (c->pol->id == AMT_NEU_NATIVE && o->disable_bit_only && img->has_ifd &&
	    img->kind == AMT_KIND_DESCRIPTOR_ONLY)
		return plan_bit_only(c, true);
	if (c->pol->ifwi && c->fw &&
	    (c->fw->layout == AMT_LAYOUT_IFWI16 || c->fw->layout == AMT_LAYOUT_IFWI17 ||
	     c->fw->layout == AMT_LAYOUT_BPDT))
		return plan_cse(c);
	if (c->pol->id == AMT_NEU_NATIVE && img->kind == AMT_KIND_DESCRIPTOR_ONLY && img->has_ifd &&
	    img->ifd.nregions > AMT_RGN_ME && img->ifd.region[AMT_RGN_ME].used)
		return refuse(c, AMT_E_UNKNOWN, AMT_R_DESCRIPTOR_ONLY, "descriptor", AMT_NO_OFFSET,
			      "this %zu-byte file holds a flash descriptor whose ME region "
			      "(0x%llx-0x%llx) is not in the file: the full flash image is needed",
			      c->size, (unsigned long long)img->ifd.region[AMT_RGN_ME].base,
			      (unsigned long long)img->ifd.region[AMT_RGN_ME].limit);
	TRY(detect(c));
	bool erased_ok = c->full && c->region_on && img->me_erased && c->pol->id == AMT_NEU_NATIVE;
	if (erased_ok) {
		/* a wiped ME region (a neutralized ME 6 Ignition / gen 1 image):
		 * only the disable bit is left to do */
		c->region_on = false;
		p->wipe = true;
	} else {
		TRY(find_firmware(c));
	}
	if (c->gen == 1 && !c->full && c->region_on && !c->check)
		return refuse(c, AMT_E_REFUSED, AMT_R_GEN1_BARE_REGION, "ME region", 0,
			      "generation 1 firmware (ME %u.%u) is neutralized through the flash "
			      "descriptor (MeDisable straps, ME region disabled, region wiped): run "
			      "it on the full flash image; this bare region is left unchanged",
			      p->version.major, p->version.minor);
	if (c->pol->id == AMT_NEU_NATIVE && c->region_on && c->gen == 3 && p->version.major >= 12)
		return plan_cse(c);
	const struct amt_fw *fw = c->fw;
	if (c->region_on && c->gen != 1 && fw->fpt.offset != c->rs + 0x10 && !c->check &&
	    !o->disable_bit_only)
		return refuse(c, AMT_E_REFUSED, AMT_R_FPT_WITHOUT_ROM_BYPASS, "$FPT", fw->fpt.offset,
			      "the $FPT is at the start of the region (no ROM bypass): its entries "
			      "are rewritten only at +0x10");
	if (!c->region_on && c->gen != 1 && !c->check && !erased_ok)
		return refuse(c, AMT_E_UNSUPPORTED, AMT_R_ME_REGION_DISABLED, "descriptor",
			      img->has_ifd ? img->ifd.offset + img->ifd.frba + 8 : AMT_NO_OFFSET,
			      "the ME region is disabled in the descriptor and holds no firmware "
			      "(TXE 3/4 keep theirs in the BIOS region as IFWI)");

	c->end_addr = c->gen == 1 ? 0 : (int64_t)c->re;

	/* the descriptor: the disable bit, the gen 1 wipe */
	if (c->full && (c->rs > 0 || !c->region_on)) {
		/* a wiped region: any located kind (the firmware is gone) */
		int gen = erased_ok ? 0 : c->gen;
		bool need = !c->check && (gen == 1 || o->set_disable_bit || o->disable_bit_only);
		TRY(plan_disable_locate(c, gen, need));
		if (c->gen == 1) {
			for (unsigned i = 0; i < p->ndisable; i++) {
				EV(e, AMT_EV_DISABLE_STATE);
				snprintf(e->name, sizeof(e->name), "%s", p->disable_loc[i].strap);
				e->disable_kind = AMT_DIS_MEDISABLE;
				e->flag = p->disable_loc[i].set;
				e->flag2 = !c->check;
			}
			if (!c->check)
				TRY(plan_disable_set(c));
			if (c->region_on && !c->check) {
				EV(d, AMT_EV_ME_REGION_DISABLE);
				(void)d;
				TRY(wr32(c, img->ifd.offset + img->ifd.frba + 8, 0x1fff, AMT_W_FLREG_ME,
					 "FLREG2"));
				EV(w, AMT_EV_ME_REGION_WIPE);
				(void)w;
				uint64_t t = c->re < c->size ? c->re : c->size;
				MEM(amt_plan_fill(p, c->rs, t - c->rs, 0xFF, AMT_W_WIPE, "ME", NULL));
				p->wipe = true;
				p->strips = true;
			}
		} else if (!erased_ok) {
			EV(e, AMT_EV_DISABLE_STATE);
			if (p->disable_known) {
				e->disable_kind = p->disable_kind;
				e->flag = p->disable_before == AMT_YES;
				snprintf(e->name, sizeof(e->name), "%s", p->disable_loc[0].strap);
			} else {
				/* me_cleaner's own fixed place, for what it prints only */
				const struct amt_ifd *ifd = &img->ifd;
				e->disable_kind = c->gen == 2 ? AMT_DIS_ALTMEDISABLE : AMT_DIS_HAP;
				unsigned idx = c->gen == 2 ? 10 : 0;
				uint32_t mask = c->gen == 2 ? 1u << 7 : 1u << 16;
				e->flag = idx < ifd->npchstrp && (ifd->pchstrp[idx] & mask);
				snprintf(e->name, sizeof(e->name), "PCHSTRP%u", idx);
			}
		}
	} else if (!c->full && !c->check && c->pol->id == AMT_NEU_NATIVE) {
		EV(w, AMT_EV_WARN_BARE_REGION);
		(void)w;
	}

	/* ME 6 Ignition: wipe everything */
	if (c->gen == 2 && c->region_on && !c->check && !o->disable_bit_only &&
	    c->variant == AMT_FAM_ME && p->version.major == 6 && fw->ignition) {
		EV(e, AMT_EV_IGNITION);
		(void)e;
		uint64_t t = c->re < c->size ? c->re : c->size;
		MEM(amt_plan_fill(p, c->rs, t - c->rs, 0xFF, AMT_W_WIPE, "ME", NULL));
		c->ignition = true;
		p->wipe = true;
		p->strips = true;
	}

	if (c->gen != 1 && !c->check && c->region_on) {
		if (!o->disable_bit_only && !c->ignition)
			TRY(remove_all(c));
	}
	if (c->gen != 1 && !c->check && c->full && (o->set_disable_bit || o->disable_bit_only)) {
		if (!p->disable_known)
			return refuse(c, AMT_E_PLATFORM, AMT_R_PLATFORM_UNKNOWN, "descriptor",
				      AMT_NO_OFFSET, "the disable bit could not be located");
		EV(e, AMT_EV_SET_DISABLE);
		e->disable_kind = p->disable_kind;
		snprintf(e->name, sizeof(e->name), "%s", p->disable_loc[0].strap);
		TRY(plan_disable_set(c));
	}
	if (!c->check && c->full)
		TRY(descriptor_edits(c));
	return AMT_OK;
}

/* A descriptor whose regions share bytes (or run past the flash) is no map
 * to erase or move by: the strap and master edits inside the descriptor
 * stand, anything else is refused. */
static amt_status untrusted_map_edits(struct pl *c)
{
	const struct amt_plan *p = c->p;
	const struct amt_ifd *ifd = &c->img->ifd;
	bool outside = p->out_size != p->in_size;
	for (size_t i = 0; i < p->nedits && !outside; i++) {
		const struct amt_edit *e = &p->edits[i];
		outside = e->offset < c->fd_start || e->offset + e->length > c->fd_end ||
			  (e->kind == AMT_EDIT_MOVE &&
			   (e->src < c->fd_start || e->src + e->length > c->fd_end));
	}
	if (!outside)
		return AMT_OK;
	if (ifd->regions_overlap)
		return refuse(c, AMT_E_REFUSED, AMT_R_REGIONS_OVERLAP, "FLREG",
			      ifd->offset + ifd->frba + 4u * ifd->overlap_b,
			      "descriptor regions %s and %s share bytes: erasing or moving "
			      "firmware by this map could erase the other region's bytes; only "
			      "the descriptor can be edited", amt_region_name(ifd->overlap_a),
			      amt_region_name(ifd->overlap_b));
	return refuse(c, AMT_E_REFUSED, AMT_R_REGIONS_OVERLAP, "FLREG",
		      ifd->offset + ifd->frba + 4u * ifd->past_flash_region,
		      "the %s region ends past the flash size: erasing or moving firmware by "
		      "this map cannot be trusted; only the descriptor can be edited",
		      amt_region_name(ifd->past_flash_region));
}

amt_status amt_plan_build(const struct amt_image *img, const struct amt_neutralize_opts *opts,
			  struct amt_plan *plan, amt_error *err)
{
	memset(plan, 0, sizeof(*plan));
	amt_error_clear(err);
	struct amt_neutralize_opts on;
	if (!img || !amt_neu_opts_norm(opts, &on))
		return amt_error_set(err, AMT_E_ARG, "plan", AMT_NO_OFFSET,
				     "no image, or options not set up by amt_neutralize_opts_init "
				     "(or an unknown operation)");
	opts = &on;
	struct pl c = {
		.img = img,
		.fw = img->has_fw ? &img->fw : NULL,
		.d = img->data,
		.size = img->size,
		.o = opts,
		.pol = amt_policy_get(opts->policy),
		.p = plan,
		.err = err,
		.check = opts->check_only,
		.clearing = amt_neu_clears(opts),
		.ftpr = -1,
	};
	plan->in_size = plan->out_size = img->size;
	plan->kind = img->kind;
	plan->ftpr_manifest = AMT_NO_OFFSET;
	plan->disable_before = plan->disable_after = AMT_UNKNOWN;
	plan->next_region = -1;
	amt_status st = run(&c);
	if (st == AMT_OK && c.map_untrusted)
		st = untrusted_map_edits(&c);
	free(c.fpt_keep);
	free(c.fpt_off);
	if (st != AMT_OK) {
		/* a refused plan keeps its events (what was found up to the
		 * refusal), never edits */
		for (size_t i = 0; i < plan->nedits; i++) {
			free(plan->edits[i].old_bytes);
			free(plan->edits[i].new_bytes);
		}
		free(plan->edits);
		plan->edits = NULL;
		plan->nedits = 0;
	}
	if (st == AMT_OK && c.fw && !plan->version_known && c.fw->version_known) {
		plan->version = c.fw->version;
		plan->version_known = true;
		plan->family = c.fw->family;
	}
	return st;
}
