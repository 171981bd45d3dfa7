/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What kind of input is this, where is the ME firmware, and which parser
 * reads it. The parsers for each structure live in their own files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A $MN2/$MAN manifest header: vendor 0x8086 at tag-0x0C (MEA's pattern). */
static bool manifest_tag_at(const uint8_t *d, size_t size, uint64_t tag_off)
{
	if (tag_off < 0x1C || !amt_in(size, tag_off, 4))
		return false;
	if (memcmp(d + tag_off, "$MN2", 4) && memcmp(d + tag_off, "$MAN", 4))
		return false;
	return amt_rd32(d + tag_off - 0x0C) == 0x8086;
}

/* Every byte of [off, off+len) is 0xFF (erased flash). */
static bool all_ff(const uint8_t *d, uint64_t off, uint64_t len)
{
	for (uint64_t i = 0; i < len; i++)
		if (d[off + i] != 0xFF)
			return false;
	return true;
}

/* First manifest tag in [from, size), or -1. */
static int64_t find_manifest(const uint8_t *d, size_t size, uint64_t from)
{
	for (uint64_t o = from; o + 4 <= size; o += 4) {
		if (d[o] == '$' && manifest_tag_at(d, size, o))
			return (int64_t)o;
	}
	return -1;
}

static int64_t find_tag(const uint8_t *d, size_t size, const char tag[4], uint64_t step)
{
	for (uint64_t o = 0; o + 4 <= size; o += step)
		if (memcmp(d + o, tag, 4) == 0)
			return (int64_t)o;
	return -1;
}

/* Which generation does an $FPT-based region hold? (me_cleaner's rule:
 * a CODE partition or $MAN means gen 1; FTPR starting with $CPD means a
 * CSE layout; otherwise gen 2.) */
static amt_layout fpt_layout(const struct amt_fw *fw, const uint8_t *d, size_t size)
{
	for (size_t i = 0; i < fw->npartitions; i++) {
		const struct amt_partition *p = &fw->partitions[i];
		if (!strcmp(p->name, "CODE"))
			return AMT_LAYOUT_GEN1;
	}
	/* A partition that runs past the end of a truncated region (me_cleaner
	 * -t output keeps the original lengths) still shows its first bytes:
	 * look at the tags whenever they are in the input. */
	for (size_t i = 0; i < fw->npartitions; i++) {
		const struct amt_partition *p = &fw->partitions[i];
		if (p->empty)
			continue;
		if (amt_tag_at(d, size, p->offset, "$CPD"))
			return AMT_LAYOUT_CSE_FPT;
	}
	for (size_t i = 0; i < fw->npartitions; i++) {
		const struct amt_partition *p = &fw->partitions[i];
		if (p->empty)
			continue;
		if (amt_tag_at(d, size, p->offset + 0x1C, "$MAN"))
			return AMT_LAYOUT_GEN1;
	}
	return AMT_LAYOUT_GEN2;
}

/* Parse the ME firmware in [off, off+len). Returns AMT_E_UNKNOWN when no
 * known structure starts there. */
static amt_status parse_region(struct amt_parse_ctx *c, uint64_t off, uint64_t len,
			       amt_error *err)
{
	struct amt_fw *fw = &c->img->fw;
	const uint8_t *d = c->data;
	amt_status st;

	fw->region_offset = off;
	fw->region_size = len;
	fw->ftpr_manifest = -1;

	uint64_t fpt = AMT_NO_OFFSET;
	if (amt_in(off + len, off + 0x10, 4) && amt_tag_at(d, c->size, off + 0x10, "$FPT"))
		fpt = off + 0x10;
	else if (amt_tag_at(d, c->size, off, "$FPT"))
		fpt = off;

	if (fpt != AMT_NO_OFFSET) {
		st = amt_fpt_parse(c, fpt, off, len, false, err);
		if (st != AMT_OK)
			return st;
		fw->has_fpt = true;
		fw->layout = fpt_layout(fw, d, c->size);
		switch (fw->layout) {
		case AMT_LAYOUT_GEN1:
			fw->generation = 1;
			return amt_gen1_parse(c, err);
		case AMT_LAYOUT_CSE_FPT:
			fw->generation = 3;
			return amt_cse_parse(c, err);
		default:
			fw->generation = 2;
			return amt_gen2_parse(c, err);
		}
	}

	amt_layout l = amt_ifwi_probe(d, c->size, off, len);
	if (l != AMT_LAYOUT_NONE) {
		fw->layout = l;
		fw->generation = 3;
		return amt_ifwi_parse(c, err);
	}
	return amt_error_set(err, AMT_E_UNKNOWN, "ME region", off,
			     "no $FPT at +0x0 or +0x10, no CSE layout table and no BPDT");
}

/* Name what a file without a descriptor or a region start is. */
static amt_status classify_other(struct amt_image *img, amt_error *err)
{
	const uint8_t *d = img->data;
	size_t size = img->size;
	int64_t man = find_manifest(d, size, 0);
	int64_t fpt = find_tag(d, size, "$FPT", 4);
	int64_t cpd = find_tag(d, size, "$CPD", 4);

	if (man >= 0 || fpt >= 0) {
		img->kind = AMT_KIND_UPDATE;
		char buf[120] = "";
		int n = 0;
		if (man >= 0)
			n += snprintf(buf + n, sizeof(buf) - n, "%.4s manifest at 0x%llx",
				      (const char *)d + man, (unsigned long long)man);
		if (fpt >= 0)
			n += snprintf(buf + n, sizeof(buf) - n, "%s$FPT at 0x%llx",
				      n ? ", " : "", (unsigned long long)fpt);
		snprintf(img->kind_detail, sizeof(img->kind_detail),
			 "update file: %s, no flash descriptor and no $FPT at 0x0/0x10", buf);
		return amt_error_set(err, AMT_E_UPDATE_FILE, "image", man >= 0 ? (uint64_t)man : (uint64_t)fpt,
				     "this is an ME update file, not a flash region "
				     "(%s; no flash descriptor, no $FPT at 0x0 or 0x10): "
				     "use a dump of the SPI flash or of its ME region", buf);
	}
	if (cpd == 0) {
		img->kind = AMT_KIND_UPDATE;
		snprintf(img->kind_detail, sizeof(img->kind_detail),
			 "a single $CPD partition (update or extracted partition)");
		return amt_error_set(err, AMT_E_UPDATE_FILE, "$CPD", 0,
				     "this is a single CSE partition ($CPD at 0x0), "
				     "not a flash region: use a dump of the SPI flash or of its ME region");
	}
	img->kind = AMT_KIND_UNKNOWN;
	return amt_error_set(err, AMT_E_UNKNOWN, "image", AMT_NO_OFFSET,
			     "unknown image: looked for a flash descriptor (0x0FF0A55A at 0x0, 0x10 "
			     "or any 4-byte step), $FPT at 0x0/0x10, a CSE layout table, a BPDT "
			     "(0xAA550000) and $MN2/$MAN/$FPT/$CPD tags anywhere; found none");
}

static amt_status parse_with_ifd(struct amt_parse_ctx *c, uint64_t sig, amt_error *err)
{
	struct amt_image *img = c->img;
	amt_status st = amt_ifd_parse(c->data, c->size, sig, &img->ifd, err);
	if (st != AMT_OK)
		return st;
	img->has_ifd = true;
	const struct amt_ifd *f = &img->ifd;
	/* (an overlap with another region is a fact of the map, ifd.c) */
	if (f->primary_overlap &&
	    amt_image_problemf(img, AMT_E_OVERLAP, "FLREG", f->offset + f->frba + 4u * f->overlap_b,
			       "%s region (0x%llx-0x%llx) overlaps the %s region (0x%llx-0x%llx)",
			       amt_region_name(f->overlap_b),
			       (unsigned long long)f->region[f->overlap_b].base,
			       (unsigned long long)f->region[f->overlap_b].limit,
			       amt_region_name(f->overlap_a),
			       (unsigned long long)f->region[f->overlap_a].base,
			       (unsigned long long)f->region[f->overlap_a].limit))
		return amt_error_set(err, AMT_E_NOMEM, "FLREG", f->offset, "out of memory");
	if (f->region_past_flash &&
	    amt_image_problemf(img, AMT_E_RANGE, "FLREG",
			       f->offset + f->frba + 4u * f->past_flash_region,
			       "%s region (0x%llx-0x%llx) ends past the 0x%llx-byte flash the "
			       "descriptor's components give", amt_region_name(f->past_flash_region),
			       (unsigned long long)f->region[f->past_flash_region].base,
			       (unsigned long long)f->region[f->past_flash_region].limit,
			       (unsigned long long)f->flash_size))
		return amt_error_set(err, AMT_E_NOMEM, "FLREG", f->offset, "out of memory");

	const struct amt_ifd_region *me =
		img->ifd.nregions > AMT_RGN_ME ? &img->ifd.region[AMT_RGN_ME] : NULL;
	uint64_t base = img->ifd.offset;  /* regions are relative to the flash start */

	if (me && me->used && amt_in(c->size, base + me->base, me->limit - me->base + 1)) {
		img->kind = AMT_KIND_FULL;
		amt_error sub;
		amt_error_clear(&sub);
		st = parse_region(c, base + me->base, me->limit - me->base + 1, &sub);
		if (st == AMT_E_NOMEM)
			return amt_error_set(err, st, sub.structure, sub.offset, "%s", sub.message);
		if (st == AMT_OK) {
			img->has_fw = true;
		} else if (st == AMT_E_UNKNOWN &&
			   all_ff(c->data, base + me->base, me->limit - me->base + 1)) {
			/* wiped: the neutralized state of ME 6 Ignition and gen 1 */
			img->me_erased = true;
			amt_fw_release(&img->fw);
		} else {
			amt_image_problem(img, &sub);
			amt_fw_release(&img->fw);
		}
		snprintf(img->kind_detail, sizeof(img->kind_detail),
			 "flash descriptor at 0x%llx, ME region 0x%llx-0x%llx%s",
			 (unsigned long long)img->ifd.offset,
			 (unsigned long long)(base + me->base),
			 (unsigned long long)(base + me->limit),
			 img->me_erased ? " (erased: every byte 0xFF)" : "");
	} else if (me && !me->used) {
		/* No ME region: TXE 3/4 keep an IFWI (BPDT) in the BIOS region. */
		const struct amt_ifd_region *bios = &img->ifd.region[AMT_RGN_BIOS];
		bool full = bios->used && bios->in_file;
		img->kind = full ? AMT_KIND_FULL : AMT_KIND_DESCRIPTOR_ONLY;
		snprintf(img->kind_detail, sizeof(img->kind_detail),
			 "flash descriptor at 0x%llx, ME region disabled in the descriptor",
			 (unsigned long long)img->ifd.offset);
		if (full) {
			uint64_t b = base + bios->base, l = bios->limit - bios->base + 1;
			if (amt_ifwi_probe(c->data, c->size, b, l) == AMT_LAYOUT_BPDT) {
				amt_error sub;
				amt_error_clear(&sub);
				st = parse_region(c, b, l, &sub);
				if (st == AMT_OK)
					img->has_fw = true;
				else {
					amt_image_problem(img, &sub);
					amt_fw_release(&img->fw);
				}
			}
		}
	} else {
		img->kind = AMT_KIND_DESCRIPTOR_ONLY;
		snprintf(img->kind_detail, sizeof(img->kind_detail),
			 "flash descriptor at 0x%llx; its ME region lies outside this %zu-byte file",
			 (unsigned long long)img->ifd.offset, c->size);
	}
	amt_platform_identify2(&img->ifd, c->data, c->size, img->has_fw ? &img->fw : NULL,
			       c->opts->platform_override, &c->opts->hap_override);
	return AMT_OK;
}

/* The size a truncated bare region's $FPT partitions declare (bounded to
 * 64 MiB), or 0 when none runs past the end of the file. */
uint64_t amt_image_truncated_size(const struct amt_image *img)
{
	if (img->kind != AMT_KIND_ME_REGION || !img->has_fw)
		return 0;
	uint64_t need = 0;
	for (size_t i = 0; i < img->fw.npartitions; i++) {
		const struct amt_partition *p = &img->fw.partitions[i];
		if (p->empty || !p->valid || p->container != AMT_CONT_FPT)
			continue;
		if (p->offset < img->size && p->offset + p->size > img->size &&
		    p->offset + p->size > need && p->offset + p->size <= (64u << 20))
			need = p->offset + p->size;
	}
	return need > img->size ? need : 0;
}

static amt_status parse_one(const uint8_t *data, size_t size, const struct amt_parse_opts *opts,
			    struct amt_image **out, amt_error *err, bool padded);

/* A truncated region: the remarks the padded file does not give are the
 * truncation's, not problems (the same view verify checks). */
static amt_status split_truncation(struct amt_image *img, const struct amt_parse_opts *opts)
{
	uint64_t pad = amt_image_truncated_size(img);
	if (!pad || !img->nproblems)
		return AMT_OK;
	img->truncated_to = pad;
	uint8_t *v = malloc((size_t)pad);
	if (!v)
		return AMT_E_NOMEM;
	memcpy(v, img->data, img->size);
	memset(v + img->size, 0xFF, (size_t)(pad - img->size));
	struct amt_parse_opts po = *opts;
	po.verify_signatures = false;
	struct amt_image *pi = NULL;
	amt_error e;
	amt_status st = parse_one(v, (size_t)pad, &po, &pi, &e, true);
	if (st == AMT_E_NOMEM) {
		free(v);
		return st;
	}
	if (st == AMT_OK && pi->has_fw) {
		size_t keep = 0;
		for (size_t i = 0; i < img->nproblems; i++) {
			const amt_error *p = &img->problems[i];
			bool also = false;
			for (size_t j = 0; j < pi->nproblems && !also; j++)
				also = p->code == pi->problems[j].code &&
				       !strcmp(p->message, pi->problems[j].message);
			if (also) {
				img->problems[keep++] = *p;
				continue;
			}
			amt_error *n = amt_grow((void **)&img->truncation_notes,
						&img->ntruncation_notes, sizeof(*n));
			if (!n) {
				st = AMT_E_NOMEM;
				break;
			}
			*n = *p;
		}
		if (st == AMT_OK)
			img->nproblems = keep;
	}
	amt_image_free(pi);
	free(v);
	return st == AMT_E_NOMEM ? st : AMT_OK;
}

amt_status amt_image_parse(const uint8_t *data, size_t size,
			   const struct amt_parse_opts *opts,
			   struct amt_image **out, amt_error *err)
{
	return parse_one(data, size, opts, out, err, false);
}

static amt_status parse_one(const uint8_t *data, size_t size, const struct amt_parse_opts *opts,
			    struct amt_image **out, amt_error *err, bool padded)
{
	struct amt_parse_opts o;
	amt_status st;

	*out = NULL;
	amt_error_clear(err);
	amt_parse_opts_init(&o);
	if (opts && !amt_opts_take(&o, sizeof(o), opts,
				   AMT_OPTS_V1_END(struct amt_parse_opts, hap_override)))
		return amt_error_set(err, AMT_E_ARG, "parse", AMT_NO_OFFSET,
				     "options not set up by amt_parse_opts_init");
	opts = &o;
	if (!data || size == 0)
		return amt_error_set(err, AMT_E_UNKNOWN, "image", 0, "the input is empty");

	struct amt_image *img = calloc(1, sizeof(*img));
	if (!img)
		return amt_error_set(err, AMT_E_NOMEM, "image", AMT_NO_OFFSET, "out of memory");
	img->data = data;
	img->size = size;
	img->fw.ftpr_manifest = -1;

	struct amt_parse_ctx c = { .data = data, .size = size, .img = img, .opts = opts };

	int64_t sig = amt_ifd_find(data, size);
	if (sig >= 0) {
		st = parse_with_ifd(&c, (uint64_t)sig, err);
	} else {
		st = parse_region(&c, 0, size, err);
		if (st == AMT_OK) {
			img->has_fw = true;
			switch (img->fw.layout) {
			case AMT_LAYOUT_IFWI16:
			case AMT_LAYOUT_IFWI17:
				img->kind = AMT_KIND_IFWI_REGION;
				break;
			case AMT_LAYOUT_BPDT:
				img->kind = AMT_KIND_BPDT;
				break;
			default:
				img->kind = AMT_KIND_ME_REGION;
			}
			snprintf(img->kind_detail, sizeof(img->kind_detail), "%s, %s",
				 amt_input_kind_str(img->kind), amt_layout_str(img->fw.layout));
		} else if (st == AMT_E_UNKNOWN && all_ff(data, 0, size)) {
			amt_fw_release(&img->fw);
			amt_error_clear(err);
			st = AMT_OK;
			img->kind = AMT_KIND_ERASED;
			snprintf(img->kind_detail, sizeof(img->kind_detail),
				 "%zu bytes, every one 0xFF: erased flash (a wiped ME region holds "
				 "no firmware)", size);
		} else if (st == AMT_E_UNKNOWN) {
			amt_fw_release(&img->fw);
			st = classify_other(img, err);
		}
	}
	if (st != AMT_OK) {
		amt_image_free(img);
		return st;
	}
	if (img->has_fw) {
		amt_fw_facts(&img->fw, data, size);
		amt_fw_mark_kept(&img->fw);
		if (amt_fw_strip_check(&img->fw, data, size) != AMT_OK ||
		    (!padded && split_truncation(img, opts) != AMT_OK)) {
			amt_image_free(img);
			return amt_error_set(err, AMT_E_NOMEM, "AMT evidence", AMT_NO_OFFSET,
					     "out of memory");
		}
		if (img->truncated_to) {
			/* truncated after its kept data: FTPR runs past the file and
			 * what remains of it is what the neutralization keeps */
			img->fw.truncated = true;
			amt_fw_mark_kept(&img->fw);
		}
	}
	*out = img;
	return AMT_OK;
}

void amt_image_free(struct amt_image *img)
{
	if (!img)
		return;
	amt_fw_release(&img->fw);
	free(img->problems);
	free(img->truncation_notes);
	free(img);
}
