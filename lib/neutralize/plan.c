/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The plan of a neutralization: an ordered list of edits (write, fill,
 * move, resize), the view of the image through them, applying them to a
 * copy or in place, and the -D/-M extracts.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>

#include "neutralize_int.h"

void amt_neutralize_opts_init(struct amt_neutralize_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->platform = AMT_PLAT_UNKNOWN;
}

amt_status amt_neutralize_parse_list(struct amt_neutralize_opts *o, bool black,
				     const char *list, amt_error *err)
{
	unsigned *n = black ? &o->nblacklist : &o->nwhitelist;
	char(*dst)[5] = black ? o->blacklist : o->whitelist;
	const char *p = list;

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

/* Replace control bytes (from image names) with '?'. */
static void sanitize(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
			*s = '?';
}

void amt_plan_free(struct amt_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nedits; i++) {
		free(p->edits[i].old_bytes);
		free(p->edits[i].new_bytes);
	}
	free(p->edits);
	free(p->kept);
	free(p->items);
	free(p->log);
	free(p->notes);
	memset(p, 0, sizeof(*p));
}

static struct amt_edit *new_edit(struct amt_plan *p, amt_edit_kind k, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
static struct amt_edit *new_edit(struct amt_plan *p, amt_edit_kind k, const char *fmt, va_list ap)
{
	struct amt_edit *e = amt_grow((void **)&p->edits, &p->nedits, sizeof(*e));
	if (!e)
		return NULL;
	e->kind = k;
	vsnprintf(e->reason, sizeof(e->reason), fmt, ap);
	sanitize(e->reason);
	return e;
}

static void drop_last(struct amt_plan *p)
{
	p->nedits--;
}

void amt_plan_read(const struct amt_plan *plan, const uint8_t *in, size_t in_size,
		   uint64_t off, uint8_t *dst, size_t len);

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

void amt_plan_read(const struct amt_plan *plan, const uint8_t *in, size_t in_size,
		   uint64_t off, uint8_t *dst, size_t len)
{
	view_read(plan, in, in_size, off, dst, len, plan->nedits);
}

amt_status amt_plan_write(struct amt_plan *p, const uint8_t *in, size_t in_size,
			  uint64_t off, const void *bytes, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct amt_edit *e = new_edit(p, AMT_EDIT_WRITE, fmt, ap);
	va_end(ap);
	if (!e)
		return AMT_E_NOMEM;
	e->offset = off;
	e->length = len;
	e->old_bytes = malloc(len ? len : 1);
	e->new_bytes = malloc(len ? len : 1);
	if (!e->old_bytes || !e->new_bytes) {
		free(e->old_bytes);
		free(e->new_bytes);
		drop_last(p);
		return AMT_E_NOMEM;
	}
	view_read(p, in, in_size, off, e->old_bytes, len, p->nedits - 1);
	memcpy(e->new_bytes, bytes, len);
	return AMT_OK;
}

amt_status amt_plan_fill(struct amt_plan *p, uint64_t off, uint64_t len, uint8_t val,
			 const char *fmt, ...)
{
	char reason[112];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	sanitize(reason);
	if (len == 0)
		return AMT_OK;
	/* merge with an adjacent fill of the same value and reason */
	if (p->nedits) {
		struct amt_edit *l = &p->edits[p->nedits - 1];
		if (l->kind == AMT_EDIT_FILL && l->fill == val && l->offset + l->length == off &&
		    !strcmp(l->reason, reason)) {
			l->length += len;
			return AMT_OK;
		}
	}
	struct amt_edit *e = amt_grow((void **)&p->edits, &p->nedits, sizeof(*e));
	if (!e)
		return AMT_E_NOMEM;
	e->kind = AMT_EDIT_FILL;
	e->offset = off;
	e->length = len;
	e->fill = val;
	memcpy(e->reason, reason, sizeof(reason));
	return AMT_OK;
}

amt_status amt_plan_move(struct amt_plan *p, uint64_t src, uint64_t dst, uint64_t len,
			 uint8_t fill, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct amt_edit *e = new_edit(p, AMT_EDIT_MOVE, fmt, ap);
	va_end(ap);
	if (!e)
		return AMT_E_NOMEM;
	e->src = src;
	e->offset = dst;
	e->length = len;
	e->fill = fill;
	return AMT_OK;
}

amt_status amt_plan_resize(struct amt_plan *p, uint64_t new_size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct amt_edit *e = new_edit(p, AMT_EDIT_RESIZE, fmt, ap);
	va_end(ap);
	if (!e)
		return AMT_E_NOMEM;
	e->offset = new_size;
	e->length = new_size;
	p->out_size = new_size;
	return AMT_OK;
}

static amt_status vappend(char **buf, size_t *len, size_t *cap, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
static amt_status vappend(char **buf, size_t *len, size_t *cap, const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return AMT_E_ARG;
	if (*len + (size_t)n + 1 > *cap) {
		size_t nc = (*cap ? *cap * 2 : 1024);
		while (nc < *len + (size_t)n + 1)
			nc *= 2;
		char *q = realloc(*buf, nc);
		if (!q)
			return AMT_E_NOMEM;
		*buf = q;
		*cap = nc;
	}
	vsnprintf(*buf + *len, (size_t)n + 1, fmt, ap);
	/* names come from the image: no control bytes reach a terminal */
	for (size_t i = *len; i < *len + (size_t)n; i++) {
		unsigned char c = (unsigned char)(*buf)[i];
		if ((c < 0x20 && c != '\n') || c == 0x7f)
			(*buf)[i] = '?';
	}
	*len += (size_t)n;
	return AMT_OK;
}

static amt_status appendf(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static amt_status appendf(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	amt_status st = vappend(buf, len, cap, fmt, ap);
	va_end(ap);
	return st;
}

static amt_status amt_plan_logf_nl(char **buf, size_t *len, size_t *cap)
{
	return appendf(buf, len, cap, "%s", "\n");
}

amt_status amt_plan_logf(struct amt_plan *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	amt_status st = vappend(&p->log, &p->log_len, &p->log_cap, fmt, ap);
	va_end(ap);
	return st;
}

amt_status amt_plan_notef(struct amt_plan *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	amt_status st = vappend(&p->notes, &p->notes_len, &p->notes_cap, fmt, ap);
	va_end(ap);
	if (st != AMT_OK)
		return st;
	return amt_plan_logf_nl(&p->notes, &p->notes_len, &p->notes_cap);
}

amt_status amt_plan_keep(struct amt_plan *p, const char *name, uint64_t src, uint64_t len)
{
	/* only bytes the input has can be kept (a truncated image) */
	if (p->in_size && src >= p->in_size)
		return AMT_OK;
	if (p->in_size && len > p->in_size - src)
		len = p->in_size - src;
	if (len == 0)
		return AMT_OK;
	struct amt_kept_range *k = amt_grow((void **)&p->kept, &p->nkept, sizeof(*k));
	if (!k)
		return AMT_E_NOMEM;
	snprintf(k->name, sizeof(k->name), "%s", name);
	sanitize(k->name);
	k->src = k->dst = src;
	k->length = len;
	return AMT_OK;
}

amt_status amt_plan_item(struct amt_plan *p, const char *name, const char *part, bool module,
			 bool kept, uint64_t off, uint64_t size, const char *why)
{
	struct amt_neu_item *it = amt_grow((void **)&p->items, &p->nitems, sizeof(*it));
	if (!it)
		return AMT_E_NOMEM;
	snprintf(it->name, sizeof(it->name), "%s", name);
	snprintf(it->part, sizeof(it->part), "%s", part ? part : "");
	sanitize(it->name);
	sanitize(it->part);
	it->is_module = module;
	it->kept = kept;
	it->offset = off;
	it->size = size;
	snprintf(it->why, sizeof(it->why), "%s", why);
	return AMT_OK;
}

/* me_cleaner's RegionFile.move_range: 4 KiB blocks in ascending order,
 * each read, its source filled, then written at the destination. */
static void apply_move(const struct amt_edit *e, uint8_t *buf, size_t size)
{
	uint8_t block[4096];
	for (uint64_t i = 0; i < e->length; i += 4096) {
		uint64_t n = e->length - i < 4096 ? e->length - i : 4096;
		uint64_t s = e->src + i, d = e->offset + i;
		if (s + n > size || d + n > size)
			return; /* checked by the planner; never here */
		memcpy(block, buf + s, n);
		memset(buf + s, e->fill, n);
		memcpy(buf + d, block, n);
	}
}

void amt_edit_apply(const struct amt_edit *e, uint8_t *buf, size_t size)
{
	switch (e->kind) {
	case AMT_EDIT_WRITE:
		if (amt_in(size, e->offset, e->length))
			memcpy(buf + e->offset, e->new_bytes, e->length);
		break;
	case AMT_EDIT_FILL:
		if (amt_in(size, e->offset, e->length))
			memset(buf + e->offset, e->fill, e->length);
		break;
	case AMT_EDIT_MOVE:
		apply_move(e, buf, size);
		break;
	case AMT_EDIT_RESIZE:
		break;
	}
}

static amt_status check_edits(const struct amt_plan *plan, size_t in_size, amt_error *err)
{
	uint64_t size = in_size;
	for (size_t i = 0; i < plan->nedits; i++) {
		const struct amt_edit *e = &plan->edits[i];
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
			break;
		}
		if (!ok)
			return amt_error_set(err, AMT_E_RANGE, "plan", e->offset,
					     "edit %zu (%s) lies outside the %llu-byte image", i,
					     e->reason, (unsigned long long)size);
	}
	return AMT_OK;
}

amt_status amt_plan_apply_inplace(const struct amt_plan *plan, uint8_t **buf, size_t *size,
				  amt_error *err)
{
	amt_status st = check_edits(plan, *size, err);
	if (st != AMT_OK)
		return st;
	for (size_t i = 0; i < plan->nedits; i++) {
		const struct amt_edit *e = &plan->edits[i];
		if (e->kind == AMT_EDIT_RESIZE) {
			if (e->length > *size) {
				uint8_t *q = realloc(*buf, e->length);
				if (!q)
					return amt_error_set(err, AMT_E_NOMEM, "plan", AMT_NO_OFFSET,
							     "out of memory");
				memset(q + *size, 0, e->length - *size);
				*buf = q;
			}
			*size = e->length;
			continue;
		}
		amt_edit_apply(e, *buf, *size);
	}
	return AMT_OK;
}

amt_status amt_plan_apply(const struct amt_plan *plan, const uint8_t *in, size_t in_size,
			  uint8_t **out, size_t *out_size, amt_error *err)
{
	*out = NULL;
	*out_size = 0;
	uint8_t *b = malloc(in_size ? in_size : 1);
	if (!b)
		return amt_error_set(err, AMT_E_NOMEM, "plan", AMT_NO_OFFSET, "out of memory");
	memcpy(b, in, in_size);
	size_t sz = in_size;
	amt_status st = amt_plan_apply_inplace(plan, &b, &sz, err);
	if (st != AMT_OK) {
		free(b);
		return st;
	}
	*out = b;
	*out_size = sz;
	return AMT_OK;
}

amt_status amt_plan_snapshot(struct amt_plan *plan, const uint8_t *in, size_t in_size,
			     amt_error *err)
{
	for (size_t i = 0; i < plan->nkept; i++) {
		struct amt_kept_range *k = &plan->kept[i];
		if (!amt_in(in_size, k->src, k->length))
			return amt_error_set(err, AMT_E_RANGE, "plan", k->src,
					     "kept range %s lies outside the input", k->name);
		SHA256(in + k->src, k->length, k->sha256);
		k->hashed = true;
	}
	return AMT_OK;
}

amt_status amt_plan_extract_descriptor(const struct amt_plan *plan, const uint8_t *out,
				       size_t out_size, uint8_t **buf, size_t *len,
				       amt_error *err)
{
	*buf = NULL;
	*len = 0;
	if (!plan->has_desc_extract)
		return amt_error_set(err, AMT_E_ARG, "descriptor", AMT_NO_OFFSET,
				     "no descriptor extract was planned");
	uint64_t n = plan->desc_size;
	uint8_t *b = malloc(n ? n : 1);
	if (!b)
		return amt_error_set(err, AMT_E_NOMEM, "descriptor", AMT_NO_OFFSET, "out of memory");
	/* bytes past the end of the file: me_cleaner's save() writes what it
	 * can read; a short file gives a short extract */
	uint64_t have = plan->fd_start < out_size ? out_size - plan->fd_start : 0;
	if (have < n)
		n = have;
	memcpy(b, out + plan->fd_start, n);
	if (plan->desc_flreg_edit)
		for (unsigned i = 0; i < plan->desc_nflreg; i++)
			if (plan->desc_flreg_off[i] + 4 <= n)
				amt_wr32(b + plan->desc_flreg_off[i], plan->desc_flreg_val[i]);
	*buf = b;
	*len = n;
	return AMT_OK;
}

amt_status amt_plan_extract_me(const struct amt_plan *plan, const uint8_t *out,
			       size_t out_size, uint8_t **buf, size_t *len, amt_error *err)
{
	*buf = NULL;
	*len = 0;
	if (!plan->has_me_extract)
		return amt_error_set(err, AMT_E_ARG, "ME region", AMT_NO_OFFSET,
				     "no ME extract was planned");
	if (!amt_in(out_size, plan->me_start, plan->me_extract_size))
		return amt_error_set(err, AMT_E_RANGE, "ME region", plan->me_start,
				     "the ME extract (0x%llx bytes) runs past the end of the image",
				     (unsigned long long)plan->me_extract_size);
	uint8_t *b = malloc(plan->me_extract_size ? plan->me_extract_size : 1);
	if (!b)
		return amt_error_set(err, AMT_E_NOMEM, "ME region", AMT_NO_OFFSET, "out of memory");
	memcpy(b, out + plan->me_start, plan->me_extract_size);
	*buf = b;
	*len = plan->me_extract_size;
	return AMT_OK;
}

amt_platform_id amt_neutralize_platform_by_key(const char *key)
{
	const struct amt_platform_desc *d = amt_platform_by_key(key);
	return d ? d->id : AMT_PLAT_UNKNOWN;
}

void amt_plan_reference(struct amt_plan *plan, const uint8_t *in, size_t in_size)
{
	plan->ref_in = in;
	plan->ref_size = in_size;
}
