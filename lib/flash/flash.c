/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The flash chip through libflashrom (see include/amtless/flash.h).
 *
 * libflashrom facts used here (flashrom 1.3, libflashrom.h):
 *  - flashrom_flash_probe returns 0 for one chip, 2 for none, 3 for several;
 *  - flashrom_image_write with a layout set touches only the erase blocks of
 *    the included regions; it returns 0, or 2/1 when it failed (2: the
 *    chip changed), 3 when nothing changed;
 *  - flashrom_set_log_callback is process-wide and passes no context;
 *  - the dummy programmer writes its image file at programmer shutdown;
 *  - flashrom_programmer_init does not set *flashprog (1.3: it stays as
 *    passed); flashrom_programmer_shutdown ignores it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libflashrom.h>

#include <amtless/diff.h>
#include <amtless/flash.h>

#include "internal.h"

struct amt_flash {
	struct flashrom_programmer *prog;
	bool prog_up;              /* flashrom_programmer_init succeeded (1.3 leaves
				      *flashprog unset: the pointer cannot tell) */
	struct flashrom_flashctx *ctx;
	size_t size;
	uint8_t *chip;             /* as read by amt_flash_read */
	bool have_chip;
	unsigned reads;            /* amt_flash_read calls: a plan is of one read */
	bool host_rules;
	amt_flash_log_fn log;
	void *log_ctx;
};

/*
 * libflashrom's log callback has no context argument and libflashrom drives
 * one programmer per process: the open session is the one place its
 * messages can go. This is the library's only file-scope state, forced by
 * libflashrom's API; it is set by amt_flash_open and cleared by
 * amt_flash_close.
 */
static struct amt_flash *active;

static int log_cb(enum flashrom_log_level level, const char *fmt, va_list ap)
{
	struct amt_flash *f = active;
	if (!f || !f->log)
		return 0;
	amt_flash_log_level l = level <= FLASHROM_MSG_ERROR ? AMT_FLASH_LOG_ERROR :
				level == FLASHROM_MSG_WARN ? AMT_FLASH_LOG_WARN :
				level == FLASHROM_MSG_INFO ? AMT_FLASH_LOG_INFO : AMT_FLASH_LOG_DEBUG;
	f->log(f->log_ctx, l, fmt, ap);
	return 0;
}

void amt_flash_opts_init(struct amt_flash_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->struct_size = sizeof(*o);
}

amt_status amt_flash_open(const struct amt_flash_opts *opts, struct amt_flash **out,
			  amt_error *err)
{
	if (!opts || !out || opts->struct_size < sizeof(struct amt_flash_opts))
		return amt_error_set(err, AMT_E_ARG, "flash", AMT_NO_OFFSET, "invalid options");
	*out = NULL;
	if (active)
		return amt_error_set(err, AMT_E_REFUSED, "flash", AMT_NO_OFFSET,
				     "a flash session is open already (libflashrom drives "
				     "one programmer at a time)");
	struct amt_flash *f = calloc(1, sizeof(*f));
	if (!f)
		return amt_error_set(err, AMT_E_NOMEM, "flash", AMT_NO_OFFSET, "out of memory");
	const char *prog = opts->programmer && *opts->programmer ? opts->programmer : "internal";
	f->log = opts->log;
	f->log_ctx = opts->log_ctx;
	f->host_rules = opts->host_rules == AMT_FLASH_HOST_ON ||
			(opts->host_rules == AMT_FLASH_HOST_AUTO && !strcmp(prog, "internal"));
	active = f;
	flashrom_set_log_callback(log_cb);
	if (flashrom_init(1) != 0) {
		active = NULL;
		free(f);
		return amt_error_set_reason(err, AMT_E_IO, AMT_R_FLASH_PROGRAMMER, "programmer",
					    AMT_NO_OFFSET, "libflashrom failed its self-check");
	}
	if (flashrom_programmer_init(&f->prog, prog, opts->params) != 0) {
		/* 1.3 can fail after the programmer registered its shutdown
		 * hooks (an unknown parameter): run them, as flashrom's own
		 * command line does on this path */
		flashrom_programmer_shutdown(f->prog);
		flashrom_shutdown();
		active = NULL;
		free(f);
		return amt_error_set_reason(err, AMT_E_IO, AMT_R_FLASH_PROGRAMMER, "programmer",
					    AMT_NO_OFFSET, "programmer '%s' could not be initialised",
					    prog);
	}
	f->prog_up = true;
	int r = flashrom_flash_probe(&f->ctx, f->prog, opts->chip);
	if (r != 0) {
		amt_flash_close(f);
		if (r == 3)
			return amt_error_set_reason(err, AMT_E_IO, AMT_R_FLASH_MANY_CHIPS, "chip",
						    AMT_NO_OFFSET, "several flash chip definitions "
						    "match the chip on '%s'", prog);
		if (opts->chip)
			return amt_error_set_reason(err, AMT_E_IO, AMT_R_FLASH_NO_CHIP, "chip",
						    AMT_NO_OFFSET, "no flash chip '%s' found on '%s'",
						    opts->chip, prog);
		return amt_error_set_reason(err, AMT_E_IO, AMT_R_FLASH_NO_CHIP, "chip", AMT_NO_OFFSET,
					    "no flash chip found on '%s'", prog);
	}
	f->size = flashrom_flash_getsize(f->ctx);
	if (f->size == 0) {
		amt_flash_close(f);
		return amt_error_set_reason(err, AMT_E_IO, AMT_R_FLASH_NO_CHIP, "chip", AMT_NO_OFFSET,
					    "the chip on '%s' reports size 0", prog);
	}
	*out = f;
	return AMT_OK;
}

size_t amt_flash_size(const struct amt_flash *f)
{
	return f ? f->size : 0;
}

bool amt_flash_host_rules_apply(const struct amt_flash *f)
{
	return f && f->host_rules;
}

void amt_flash_close(struct amt_flash *f)
{
	if (!f)
		return;
	if (f->ctx)
		flashrom_flash_release(f->ctx);
	if (f->prog_up)
		flashrom_programmer_shutdown(f->prog);
	flashrom_shutdown();
	if (active == f)
		active = NULL;
	free(f->chip);
	free(f);
}

/* The whole chip into buf (no layout: every byte). */
static amt_status read_chip(struct amt_flash *f, uint8_t *buf, amt_error *err)
{
	flashrom_layout_set(f->ctx, NULL);
	if (flashrom_image_read(f->ctx, buf, f->size) != 0)
		return amt_error_set_reason(err, AMT_E_IO, AMT_R_FLASH_READ, "chip", AMT_NO_OFFSET,
					    "reading the %zu-byte chip failed", f->size);
	return AMT_OK;
}

amt_status amt_flash_read(struct amt_flash *f, const uint8_t **data, size_t *size, amt_error *err)
{
	if (!f || !data || !size)
		return amt_error_set(err, AMT_E_ARG, "flash", AMT_NO_OFFSET, "invalid argument");
	if (!f->chip) {
		f->chip = malloc(f->size);
		if (!f->chip)
			return amt_error_set(err, AMT_E_NOMEM, "flash", AMT_NO_OFFSET, "out of memory");
	}
	f->have_chip = false;
	f->reads++;
	amt_status st = read_chip(f, f->chip, err);
	if (st != AMT_OK)
		return st;
	/* a second read must agree (a loose clip, a chip in use): the backup
	 * and the plan are both made of this one */
	if (flashrom_image_verify(f->ctx, f->chip, f->size) != 0)
		return amt_error_set_reason(err, AMT_E_IO, AMT_R_FLASH_READ, "chip", AMT_NO_OFFSET,
					    "two reads of the %zu-byte chip differ (or the second "
					    "failed): the connection to the chip is not reliable",
					    f->size);
	f->have_chip = true;
	*data = f->chip;
	*size = f->size;
	return AMT_OK;
}

void amt_flash_plan_free(struct amt_flash_plan *p)
{
	if (!p)
		return;
	amt_neutralization_free(p->neutralization);
	if (p->kind == AMT_FLASH_RESTORE)
		free((void *)p->target);
	free(p);
}

/* Parse a chip image as a full image, descriptor at 0. */
static amt_status parse_full(const uint8_t *d, size_t n, const char *what, struct amt_image **img,
			     amt_error *err)
{
	struct amt_parse_opts po;
	amt_parse_opts_init(&po);
	po.verify_signatures = false;
	amt_status st = amt_image_parse(d, n, &po, img, err);
	if (st != AMT_OK)
		return st;
	if (!(*img)->has_ifd || (*img)->ifd.offset != 0) {
		amt_image_free(*img);
		*img = NULL;
		return amt_error_set_reason(err, AMT_E_REFUSED, AMT_R_FLASH_NOT_FULL, "descriptor", 0,
					    "%s holds no flash descriptor at offset 0", what);
	}
	return AMT_OK;
}

static bool differs(const uint8_t *a, const uint8_t *b, uint64_t s, uint64_t e)
{
	return e > s && memcmp(a + s, b + s, (size_t)(e - s)) != 0;
}

/* Bytes that differ in [s, e). */
static uint64_t count_diff(const uint8_t *a, const uint8_t *b, uint64_t s, uint64_t e)
{
	uint64_t first, last;
	return e > s ? amt_count_diff(a + s, b + s, e - s, &first, &last) : 0;
}

/*
 * The regions of img's descriptor where before and after differ, in
 * address order; refuses a difference outside the descriptor and ME
 * regions, and (host rules) a region FLMSTR1 may not write.
 */
static amt_status plan_regions(struct amt_flash_plan *p, const struct amt_image *img,
			       const uint8_t *before, const uint8_t *after, size_t n, amt_error *err)
{
	const struct amt_ifd *ifd = &img->ifd;
	bool in_region[AMT_IFD_MAX_REGIONS] = { false };
	/* regions in address order */
	unsigned order[AMT_IFD_MAX_REGIONS], no = 0;
	for (unsigned r = 0; r < ifd->nregions && r < AMT_IFD_MAX_REGIONS; r++)
		if (ifd->region[r].used && ifd->region[r].limit < n)
			order[no++] = r;
	for (unsigned i = 1; i < no; i++)
		for (unsigned j = i; j > 0 && ifd->region[order[j]].base < ifd->region[order[j - 1]].base; j--) {
			unsigned t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	/* every differing byte must lie in the descriptor or ME region */
	for (size_t i = 0; i < n; i++) {
		if (before[i] == after[i])
			continue;
		bool ok = false;
		for (unsigned k = 0; k < no; k++) {
			const struct amt_ifd_region *rg = &ifd->region[order[k]];
			if (i >= rg->base && i <= rg->limit &&
			    (order[k] == AMT_RGN_FD || order[k] == AMT_RGN_ME)) {
				ok = true;
				in_region[order[k]] = true;
				break;
			}
		}
		if (!ok)
			return amt_error_set_reason(err, AMT_E_REFUSED, AMT_R_FLASH_OUTSIDE, "flash",
						    (uint64_t)i, "the change reaches byte 0x%zx, "
						    "outside the descriptor and ME regions", i);
	}
	p->nregions = 0;
	for (unsigned k = 0; k < no; k++) {
		unsigned id = order[k];
		if (!in_region[id])
			continue;
		const struct amt_ifd_region *rg = &ifd->region[id];
		struct amt_flash_region *fr = &p->regions[p->nregions++];
		fr->id = id;
		fr->start = rg->base;
		fr->end = rg->limit + 1;
		fr->ndiff = count_diff(before, after, fr->start, fr->end);
		fr->host_writable = ifd->nmasters > 0 && (ifd->master[0].write >> id & 1);
		fr->state = AMT_FRS_PLANNED;
	}
	if (p->host_rules)
		for (unsigned k = 0; k < p->nregions; k++)
			if (!p->regions[k].host_writable)
				return amt_error_set_reason(err, AMT_E_REFUSED, AMT_R_FLASH_LOCKED,
							    "FLMSTR1", AMT_NO_OFFSET,
							    "descriptor locked: the host (BIOS "
							    "master, FLMSTR1) may not write the %s "
							    "region: use an external programmer",
							    amt_region_name(p->regions[k].id));
	return AMT_OK;
}

/* Chip size against the descriptor's. */
static amt_status check_size(struct amt_flash_plan *p, const struct amt_image *img, amt_error *err)
{
	p->descriptor_flash_size = img->ifd.flash_size;
	if (!img->ifd.flash_size)
		return amt_error_set_reason(err, AMT_E_REFUSED, AMT_R_FLASH_SIZE, "FLCOMP",
					    AMT_NO_OFFSET, "the chip holds %zu bytes, its "
					    "descriptor gives no flash size", p->chip_size);
	if (img->ifd.flash_size != p->chip_size)
		return amt_error_set_reason(err, AMT_E_REFUSED, AMT_R_FLASH_SIZE, "FLCOMP",
					    AMT_NO_OFFSET, "the chip holds %zu bytes, its "
					    "descriptor says %llu", p->chip_size,
					    (unsigned long long)img->ifd.flash_size);
	return AMT_OK;
}

amt_status amt_flash_plan_neutralize(struct amt_flash *f, const struct amt_neutralize_opts *nopts,
				     struct amt_flash_plan **plan, amt_error *err)
{
	if (!f || !nopts || !plan)
		return amt_error_set(err, AMT_E_ARG, "flash", AMT_NO_OFFSET, "invalid argument");
	*plan = NULL;
	if (!f->have_chip)
		return amt_error_set(err, AMT_E_ARG, "flash", AMT_NO_OFFSET, "the chip was not read");
	struct amt_flash_plan *p = calloc(1, sizeof(*p));
	if (!p)
		return amt_error_set(err, AMT_E_NOMEM, "flash", AMT_NO_OFFSET, "out of memory");
	p->kind = AMT_FLASH_NEUTRALIZE;
	p->chip_size = f->size;
	p->host_rules = f->host_rules;
	p->failed_region = -1;
	p->first_diff = AMT_NO_OFFSET;
	struct amt_image *img = NULL;
	amt_status st = parse_full(f->chip, f->size, "the chip", &img, err);
	if (st != AMT_OK) {
		amt_flash_plan_free(p);
		return st;
	}
	*plan = p;
	st = check_size(p, img, err);
	if (st != AMT_OK)
		goto out;
	st = amt_neutralize(f->chip, f->size, nopts, &p->neutralization, err);
	if (st != AMT_OK)
		goto out;
	struct amt_neutralization *res = p->neutralization;
	if (!res->out || res->out_size != f->size) {
		st = amt_error_set_reason(err, AMT_E_REFUSED, AMT_R_FLASH_OUTSIDE, "flash",
					  AMT_NO_OFFSET, "the result is %zu bytes, the chip %zu: "
					  "a flash chip cannot change size", res->out_size, f->size);
		goto out;
	}
	p->target = res->out;
	p->target_size = res->out_size;
	p->nothing_to_do = !res->changed;
	st = plan_regions(p, img, f->chip, res->out, f->size, err);
	p->accepted = st == AMT_OK;
	p->read_gen = f->reads;
out:
	amt_image_free(img);
	return st;
}

amt_status amt_flash_match_backup(const uint8_t *chip, size_t chip_size, const uint8_t *backup,
				  size_t backup_size, amt_error *err)
{
	if (!chip || !backup)
		return amt_error_set(err, AMT_E_ARG, "flash", AMT_NO_OFFSET, "invalid argument");
	if (chip_size != backup_size)
		return amt_error_set_reason(err, AMT_E_REFUSED, AMT_R_FLASH_FOREIGN, "file",
					    AMT_NO_OFFSET, "the backup holds %zu bytes, the chip %zu",
					    backup_size, chip_size);
	struct amt_image *a = NULL, *b = NULL;
	struct amt_diff *d = NULL;
	amt_status st = parse_full(backup, backup_size, "the backup", &a, err);
	if (st != AMT_OK)
		return st;
	const struct amt_ifd *ia = &a->ifd;
	/* a chip whose descriptor cannot be read (a write stopped in it) is
	 * matched by the bytes outside the backup's descriptor and ME regions
	 * alone */
	amt_error perr;
	if (parse_full(chip, chip_size, "the chip", &b, &perr) != AMT_OK)
		goto bytes;
	st = amt_diff(a, b, &d, err);
	if (st != AMT_OK)
		goto out;
#define FOREIGN(s, off, ...) do { \
		st = amt_error_set_reason(err, AMT_E_REFUSED, AMT_R_FLASH_FOREIGN, s, off, __VA_ARGS__); \
		goto out; } while (0)
	/* descriptor registers: the map the same; only the ME's master and a
	 * disabled ME region (ME 2-5 neutralized) may differ */
	for (size_t i = 0; i < d->nregs; i++) {
		const struct amt_diff_reg *r = &d->regs[i];
		if (r->in_a == r->in_b && r->a == r->b)
			continue;
		if (r->kind == AMT_DREG_FLMSTR && r->index == 2 && r->in_a && r->in_b)
			continue;
		if (r->kind == AMT_DREG_FLREG && r->index == AMT_RGN_ME && r->used_a && !r->used_b)
			continue;
		FOREIGN(r->name, AMT_NO_OFFSET, "%s differs (backup 0x%08x, chip 0x%08x): another "
			"flash layout", r->name, r->a, r->b);
	}
	/* straps: only the disable bit(s) the backup's descriptor locates */
	for (size_t i = 0; i < d->nstraps; i++) {
		const struct amt_diff_strap *s = &d->straps[i];
		if (s->in_a != s->in_b)
			FOREIGN(s->name, s->offset_a, "%s is in one descriptor only", s->name);
		if (!s->changed)
			continue;
		uint32_t allowed = 0;
		const struct amt_disable_bit *db = &ia->disable;
		for (unsigned k = 0; db->located && k < db->nloc && k < 2; k++)
			if (!strcmp(db->loc[k].strap, s->name))
				allowed |= 1u << db->loc[k].bit;
		if (s->changed & ~allowed)
			FOREIGN(s->name, s->offset_a, "%s differs in bits 0x%08x, not only in the "
				"disable bit: another board's descriptor", s->name,
				s->changed & ~allowed);
	}
	if (d->desc_other_ndiff)
		FOREIGN("descriptor", d->desc_other_first, "%llu descriptor bytes differ from "
			"descriptor byte 0x%llx: another board's descriptor",
			(unsigned long long)d->desc_other_ndiff,
			(unsigned long long)d->desc_other_first);
bytes:;
	/* every byte outside the descriptor and ME regions (the backup's map) */
	uint64_t fd_s = ia->region[AMT_RGN_FD].base, fd_e = ia->region[AMT_RGN_FD].limit + 1;
	uint64_t me_s = 0, me_e = 0;
	if (ia->nregions > AMT_RGN_ME && ia->region[AMT_RGN_ME].used) {
		me_s = ia->region[AMT_RGN_ME].base;
		me_e = ia->region[AMT_RGN_ME].limit + 1;
	}
	for (size_t i = 0; i < chip_size; i++) {
		if ((i >= fd_s && i < fd_e) || (i >= me_s && i < me_e))
			continue;
		if (chip[i] != backup[i]) {
			const char *rn = "flash";
			for (unsigned r = 0; r < ia->nregions; r++)
				if (ia->region[r].used && i >= ia->region[r].base && i <= ia->region[r].limit)
					rn = amt_region_name(r);
			FOREIGN(rn, (uint64_t)i, "byte 0x%zx (%s) differs: the backup is of another "
				"flash, or this flash changed outside the descriptor and ME "
				"regions since", i, rn);
		}
	}
#undef FOREIGN
	st = AMT_OK;
out:
	amt_diff_free(d);
	amt_image_free(a);
	amt_image_free(b);
	return st;
}

amt_status amt_flash_plan_restore(struct amt_flash *f, const uint8_t *backup, size_t size,
				  struct amt_flash_plan **plan, amt_error *err)
{
	if (!f || !backup || !plan)
		return amt_error_set(err, AMT_E_ARG, "flash", AMT_NO_OFFSET, "invalid argument");
	*plan = NULL;
	if (!f->have_chip)
		return amt_error_set(err, AMT_E_ARG, "flash", AMT_NO_OFFSET, "the chip was not read");
	amt_status st = amt_flash_match_backup(f->chip, f->size, backup, size, err);
	if (st != AMT_OK)
		return st;
	struct amt_flash_plan *p = calloc(1, sizeof(*p));
	uint8_t *copy = malloc(size);
	if (!p || !copy) {
		free(p);
		free(copy);
		return amt_error_set(err, AMT_E_NOMEM, "flash", AMT_NO_OFFSET, "out of memory");
	}
	memcpy(copy, backup, size);
	p->kind = AMT_FLASH_RESTORE;
	p->chip_size = f->size;
	p->host_rules = f->host_rules;
	p->failed_region = -1;
	p->first_diff = AMT_NO_OFFSET;
	p->target = copy;
	p->target_size = size;
	p->nothing_to_do = !memcmp(copy, f->chip, size);
	*plan = p;
	/* the regions from the backup's descriptor (the one being restored) */
	struct amt_image *img = NULL;
	st = parse_full(copy, size, "the backup", &img, err);
	if (st != AMT_OK)
		return st;
	st = check_size(p, img, err);
	if (st == AMT_OK)
		st = plan_regions(p, img, f->chip, copy, size, err);
	p->accepted = st == AMT_OK;
	p->read_gen = f->reads;
	amt_image_free(img);
	return st;
}

/* Read the chip back and record what each region holds. */
static amt_status read_back(struct amt_flash *f, struct amt_flash_plan *p, amt_error *err)
{
	uint8_t *now = malloc(f->size);
	if (!now)
		return amt_error_set(err, AMT_E_NOMEM, "flash", AMT_NO_OFFSET, "out of memory");
	amt_status st = read_chip(f, now, err);
	if (st != AMT_OK) {
		for (unsigned k = 0; k < p->nregions; k++)
			p->regions[k].state = AMT_FRS_UNKNOWN;
		free(now);
		return st;
	}
	p->read_back = true;
	uint64_t last;
	p->matches_target = amt_count_diff(now, p->target, f->size, &p->first_diff, &last) == 0;
	p->matches_before = !memcmp(now, f->chip, f->size);
	p->outside_ndiff = 0;
	uint64_t pos = 0;
	for (unsigned k = 0; k < p->nregions; k++) {
		struct amt_flash_region *r = &p->regions[k];
		p->outside_ndiff += count_diff(now, f->chip, pos, r->start);
		pos = r->end;
		if (!differs(now, p->target, r->start, r->end))
			r->state = AMT_FRS_WRITTEN;
		else if (!differs(now, f->chip, r->start, r->end))
			r->state = AMT_FRS_UNCHANGED;
		else
			r->state = AMT_FRS_PARTIAL;
	}
	p->outside_ndiff += count_diff(now, f->chip, pos, f->size);
	free(now);
	return AMT_OK;
}

amt_status amt_flash_write(struct amt_flash *f, struct amt_flash_plan *p, const uint8_t *backup,
			   size_t size, amt_error *err)
{
	if (!f || !p || !backup || !f->have_chip || p->chip_size != f->size || !p->target ||
	    p->target_size != f->size)
		return amt_error_set(err, AMT_E_ARG, "flash", AMT_NO_OFFSET, "invalid argument");
	if (!p->accepted || p->read_gen != f->reads)
		return amt_error_set(err, AMT_E_ARG, "flash", AMT_NO_OFFSET,
				     "the plan was refused, or made of an earlier read of the "
				     "chip: nothing written");
	const uint8_t *proof = p->kind == AMT_FLASH_RESTORE ? p->target : f->chip;
	if (size != f->size || memcmp(backup, proof, size))
		return amt_error_set_reason(err, AMT_E_REFUSED, AMT_R_FLASH_BACKUP, "backup",
					    AMT_NO_OFFSET, p->kind == AMT_FLASH_RESTORE ?
					    "the backup read back from disk is not the image to "
					    "restore: nothing written" :
					    "the backup read back from disk is not what was read "
					    "from the chip: nothing written");
	if (p->nothing_to_do || p->nregions == 0)
		return AMT_OK;
	/* flashrom may alter the buffer it writes from (full verification) */
	uint8_t *buf = malloc(f->size);
	if (!buf)
		return amt_error_set(err, AMT_E_NOMEM, "flash", AMT_NO_OFFSET, "out of memory");
	amt_status st = AMT_OK;
	for (unsigned k = 0; k < p->nregions; k++) {
		struct amt_flash_region *r = &p->regions[k];
		struct flashrom_layout *lay = NULL;
		if (flashrom_layout_new(&lay) != 0 ||
		    flashrom_layout_add_region(lay, (size_t)r->start, (size_t)r->end - 1, "w") != 0 ||
		    flashrom_layout_include_region(lay, "w") != 0) {
			flashrom_layout_release(lay);
			st = amt_error_set(err, AMT_E_NOMEM, "flash", AMT_NO_OFFSET, "out of memory");
			break;
		}
		memcpy(buf, p->target, f->size);
		flashrom_layout_set(f->ctx, lay);
		p->write_started = true;
		int rc = flashrom_image_write(f->ctx, buf, f->size, NULL);
		flashrom_layout_set(f->ctx, NULL);
		flashrom_layout_release(lay);
		if (rc != 0) {
			p->failed_region = (int)k;
			st = amt_error_set_reason(err, AMT_E_IO, AMT_R_FLASH_WRITE, amt_region_name(r->id),
						  r->start, "writing the %s region (0x%llx-0x%llx) "
						  "failed", amt_region_name(r->id),
						  (unsigned long long)r->start,
						  (unsigned long long)r->end - 1);
			break;
		}
	}
	free(buf);
	amt_error rb;
	amt_error_clear(&rb);
	amt_status rst = read_back(f, p, &rb);
	if (st != AMT_OK)
		return st;
	if (rst != AMT_OK) {
		if (err)
			*err = rb;
		return rst;
	}
	if (!p->matches_target)
		return amt_error_set_reason(err, AMT_E_VERIFY, AMT_R_FLASH_READBACK, "chip",
					    p->first_diff, "the chip read back differs from what "
					    "was written, from byte 0x%llx",
					    (unsigned long long)p->first_diff);
	return AMT_OK;
}
