/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The plan of a neutralization: an ordered list of edits (write, fill,
 * move, resize), its events, the view of the image through the edits,
 * and applying them to a copy.
 */
#include <stdlib.h>
#include <string.h>

#include "neutralize_int.h"

void amt_neutralize_opts_init(struct amt_neutralize_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->struct_size = sizeof(*o);
	o->policy = AMT_NEU_NATIVE;
	o->platform = AMT_PLAT_UNKNOWN;
}

amt_status amt_neutralize_parse_list(struct amt_neutralize_opts *o, bool black,
				     const char *list, amt_error *err)
{
	unsigned *n = black ? &o->nblacklist : &o->nwhitelist;
	char(*dst)[5] = black ? o->blacklist : o->whitelist;
	const char *p = list;

	if (!list)
		return amt_error_set(err, AMT_E_ARG, "option", AMT_NO_OFFSET, "no partition list");
	if (black)
		o->blacklist_given = true;
	for (;;) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);
		if (len > 4)
			return amt_error_set(err, AMT_E_ARG, "option", AMT_NO_OFFSET,
					     "partition name '%.*s' is longer than 4 characters",
					     (int)len, p);
		if (*n >= AMT_NEU_MAX_LIST)
			return amt_error_set(err, AMT_E_ARG, "option", AMT_NO_OFFSET,
					     "more than %d partition names", AMT_NEU_MAX_LIST);
		memcpy(dst[*n], p, len);
		dst[*n][len] = '\0';
		(*n)++;
		if (!c)
			break;
		p = c + 1;
	}
	return AMT_OK;
}

/* Names come from the image: control bytes become '?'. */
static void name_set(char *dst, size_t len, const char *src)
{
	size_t i = 0;
	for (; src && src[i] && i + 1 < len; i++)
		dst[i] = ((unsigned char)src[i] < 0x20 || (unsigned char)src[i] == 0x7f) ? '?' : src[i];
	dst[i] = '\0';
}

void amt_plan_release(struct amt_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nedits; i++) {
		free(p->edits[i].old_bytes);
		free(p->edits[i].new_bytes);
	}
	free(p->edits);
	free(p->events);
	memset(p, 0, sizeof(*p));
}

struct amt_event *amt_plan_event(struct amt_plan *p, amt_event_kind kind)
{
	struct amt_event *e = amt_grow((void **)&p->events, &p->nevents, sizeof(*e));
	if (e)
		e->kind = kind;
	return e;
}

static struct amt_edit *new_edit(struct amt_plan *p, amt_edit_kind k, amt_edit_why why,
				 const char *name, const char *part)
{
	struct amt_edit *e = amt_grow((void **)&p->edits, &p->nedits, sizeof(*e));
	if (!e)
		return NULL;
	e->kind = k;
	e->why = why;
	name_set(e->name, sizeof(e->name), name);
	name_set(e->part, sizeof(e->part), part);
	return e;
}

/* View of [off, off+len) after the first `upto` edits. */
static void view_read(const struct amt_plan *p, const uint8_t *in, size_t in_size,
		      uint64_t off, uint8_t *dst, size_t len, size_t upto)
{
	uint64_t end = off + len;
	for (size_t i = 0; i < len; i++)
		dst[i] = off + i < in_size ? in[off + i] : 0;
	for (size_t k = 0; k < upto; k++) {
		const struct amt_edit *e = &p->edits[k];
		uint64_t s, t;
		switch (e->kind) {
		case AMT_EDIT_WRITE:
			s = e->offset > off ? e->offset : off;
			t = e->offset + e->length < end ? e->offset + e->length : end;
			if (s < t)
				memcpy(dst + (s - off), e->new_bytes + (s - e->offset), t - s);
			break;
		case AMT_EDIT_FILL:
			s = e->offset > off ? e->offset : off;
			t = e->offset + e->length < end ? e->offset + e->length : end;
			if (s < t)
				memset(dst + (s - off), e->fill, t - s);
			break;
		case AMT_EDIT_MOVE:
			s = e->src > off ? e->src : off;
			t = e->src + e->length < end ? e->src + e->length : end;
			if (s < t)
				memset(dst + (s - off), e->fill, t - s);
			s = e->offset > off ? e->offset : off;
			t = e->offset + e->length < end ? e->offset + e->length : end;
			if (s < t)
				view_read(p, in, in_size, e->src + (s - e->offset), dst + (s - off),
					  t - s, k);
			break;
		case AMT_EDIT_RESIZE:
			for (uint64_t x = off; x < end; x++)
				if (x >= e->length)
					dst[x - off] = 0;
			break;
		}
	}
}

void amt_plan_read(const struct amt_plan *p, const uint8_t *in, size_t in_size, uint64_t off,
		   uint8_t *dst, size_t len)
{
	view_read(p, in, in_size, off, dst, len, p->nedits);
}

amt_status amt_plan_write(struct amt_plan *p, const uint8_t *in, size_t in_size, uint64_t off,
			  const void *bytes, size_t len, amt_edit_why why, const char *name,
			  const char *part)
{
	if (len == 0)
		return AMT_OK;
	uint8_t *old = malloc(len);
	if (!old)
		return AMT_E_NOMEM;
	view_read(p, in, in_size, off, old, len, p->nedits);
	if (!memcmp(old, bytes, len)) {
		free(old);  /* a write that changes nothing is left out */
		return AMT_OK;
	}
	struct amt_edit *e = new_edit(p, AMT_EDIT_WRITE, why, name, part);
	uint8_t *nb = e ? malloc(len) : NULL;
	if (!e || !nb) {
		free(old);
		if (e)
			p->nedits--;
		return AMT_E_NOMEM;
	}
	memcpy(nb, bytes, len);
	e->offset = off;
	e->length = len;
	e->old_bytes = old;
	e->new_bytes = nb;
	return AMT_OK;
}

amt_status amt_plan_fill(struct amt_plan *p, uint64_t off, uint64_t len, uint8_t val,
			 amt_edit_why why, const char *name, const char *part)
{
	if (len == 0)
		return AMT_OK;
	/* merge with an adjacent fill of the same value and cause */
	if (p->nedits) {
		struct amt_edit *l = &p->edits[p->nedits - 1];
		char nm[17], pt[5];
		name_set(nm, sizeof(nm), name);
		name_set(pt, sizeof(pt), part);
		if (l->kind == AMT_EDIT_FILL && l->fill == val && l->offset + l->length == off &&
		    l->why == why && !strcmp(l->name, nm) && !strcmp(l->part, pt)) {
			l->length += len;
			return AMT_OK;
		}
	}
	struct amt_edit *e = new_edit(p, AMT_EDIT_FILL, why, name, part);
	if (!e)
		return AMT_E_NOMEM;
	e->offset = off;
	e->length = len;
	e->fill = val;
	return AMT_OK;
}

amt_status amt_plan_move(struct amt_plan *p, uint64_t src, uint64_t dst, uint64_t len, uint8_t fill,
			 amt_edit_why why, const char *name)
{
	struct amt_edit *e = new_edit(p, AMT_EDIT_MOVE, why, name, NULL);
	if (!e)
		return AMT_E_NOMEM;
	e->src = src;
	e->offset = dst;
	e->length = len;
	e->fill = fill;
	return AMT_OK;
}

amt_status amt_plan_resize(struct amt_plan *p, uint64_t new_size)
{
	struct amt_edit *e = new_edit(p, AMT_EDIT_RESIZE, AMT_W_TRUNCATE, NULL, NULL);
	if (!e)
		return AMT_E_NOMEM;
	e->offset = new_size;
	e->length = new_size;
	p->out_size = new_size;
	return AMT_OK;
}

/* me_cleaner's RegionFile.move_range: 4 KiB blocks in ascending order,
 * each read, its source filled, then written at the destination. */
static void apply_move(const struct amt_edit *e, uint8_t *buf)
{
	uint8_t block[4096];
	for (uint64_t i = 0; i < e->length; i += 4096) {
		uint64_t n = e->length - i < 4096 ? e->length - i : 4096;
		uint64_t s = e->src + i, d = e->offset + i;
		memcpy(block, buf + s, n);
		memset(buf + s, e->fill, n);
		memcpy(buf + d, block, n);
	}
}

amt_status amt_plan_apply(const struct amt_plan *p, const uint8_t *in, size_t in_size,
			  uint8_t **out, size_t *out_size, amt_error *err)
{
	*out = NULL;
	*out_size = 0;
	/* every edit inside the image as it is at that point */
	uint64_t size = in_size, cap = in_size;
	for (size_t i = 0; i < p->nedits; i++) {
		const struct amt_edit *e = &p->edits[i];
		bool ok = true;
		switch (e->kind) {
		case AMT_EDIT_WRITE:
		case AMT_EDIT_FILL:
			ok = amt_in(size, e->offset, e->length);
			break;
		case AMT_EDIT_MOVE:
			ok = amt_in(size, e->offset, e->length) && amt_in(size, e->src, e->length);
			break;
		case AMT_EDIT_RESIZE:
			size = e->length;
			if (size > cap)
				cap = size;
			break;
		}
		if (!ok)
			return amt_error_set(err, AMT_E_RANGE, "plan", e->offset,
					     "edit %zu lies outside the %llu-byte image", i,
					     (unsigned long long)size);
	}
	uint8_t *b = malloc(cap ? cap : 1);
	if (!b)
		return amt_error_set(err, AMT_E_NOMEM, "plan", AMT_NO_OFFSET, "out of memory");
	memcpy(b, in, in_size);
	if (cap > in_size)
		memset(b + in_size, 0, cap - in_size);
	size = in_size;
	for (size_t i = 0; i < p->nedits; i++) {
		const struct amt_edit *e = &p->edits[i];
		switch (e->kind) {
		case AMT_EDIT_WRITE:
			memcpy(b + e->offset, e->new_bytes, e->length);
			break;
		case AMT_EDIT_FILL:
			memset(b + e->offset, e->fill, e->length);
			break;
		case AMT_EDIT_MOVE:
			apply_move(e, b);
			break;
		case AMT_EDIT_RESIZE:
			if (e->length > size)
				memset(b + size, 0, e->length - size);
			size = e->length;
			break;
		}
	}
	*out = b;
	*out_size = (size_t)size;
	return AMT_OK;
}
