/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the unit tests (see testutil.h). */
#include "testutil.h"
#include "report.h"

struct amt_image *tu_parse(const struct tb_buf *b)
{
	struct amt_image *img = NULL;
	amt_error e;
	amt_status st = amt_image_parse(b->data, b->size, NULL, &img, &e);
	if (st != AMT_OK)
		fail_msg("parse failed: %s at 0x%llx: %s", e.structure,
			 (unsigned long long)e.offset, e.message);
	assert_non_null(img);
	return img;
}

struct amt_image *tu_parse_fw(const struct tb_buf *b)
{
	struct amt_image *img = tu_parse(b);
	assert_true(img->has_fw);
	return img;
}

bool tu_problem(const struct amt_image *img, amt_status code, const char *text)
{
	for (size_t i = 0; i < img->nproblems; i++)
		if (img->problems[i].code == code &&
		    (!text || strstr(img->problems[i].message, text)))
			return true;
	return false;
}

const struct amt_partition *tu_part(const struct amt_fw *fw, const char *name)
{
	for (size_t i = 0; i < fw->npartitions; i++)
		if (!strcmp(fw->partitions[i].name, name))
			return &fw->partitions[i];
	return NULL;
}

const struct amt_check *tu_check(const struct amt_fw *fw, const char *what)
{
	for (size_t i = 0; i < fw->nchecks; i++)
		if (!strcmp(fw->checks[i].what, what))
			return &fw->checks[i];
	return NULL;
}

const struct amt_module *tu_mod(const struct amt_fw *fw, const char *partition,
				const char *name)
{
	for (size_t i = 0; i < fw->nmodules; i++)
		if (!strcmp(fw->modules[i].partition, partition) &&
		    !strcmp(fw->modules[i].name, name))
			return &fw->modules[i];
	return NULL;
}

bool tu_evidence(const struct amt_fw *fw, const char *text)
{
	for (size_t i = 0; i < fw->namt_evidence; i++)
		if (strstr(fw->amt_evidence[i].text, text))
			return true;
	return false;
}

bool tu_all_ff(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0xFF)
			return false;
	return true;
}

uint8_t *tu_neutralize_ok(const uint8_t *d, size_t n, const struct amt_neutralize_opts *o,
			  struct amt_plan *p, size_t *out_size, struct amt_report **rep)
{
	struct amt_neutralization *res = NULL;
	amt_error err;
	amt_status st = amt_neutralize(d, n, o, &res, &err);
	if (st != AMT_OK) {
		if (res && res->report)
			for (size_t i = 0; i < res->report->nfindings; i++)
				print_message("  finding: %s\n", res->report->findings[i].message);
		fail_msg("neutralize: %s (%s at 0x%llx)", err.message, err.structure,
			 (unsigned long long)err.offset);
	}
	assert_non_null(res->out);
	uint8_t *out = malloc(res->out_size ? res->out_size : 1);
	assert_non_null(out);
	memcpy(out, res->out, res->out_size);
	*out_size = res->out_size;
	*p = res->plan;
	memset(&res->plan, 0, sizeof(res->plan));
	if (rep) {
		*rep = res->report;
		res->report = NULL;
	}
	amt_neutralization_free(res);
	return out;
}

amt_status tu_plan(const uint8_t *d, size_t n, const struct amt_neutralize_opts *o,
		   struct amt_plan *p, amt_error *err)
{
	struct amt_parse_opts po;
	amt_parse_opts_init(&po);
	po.platform_override = o->platform;
	struct amt_image *img = NULL;
	memset(p, 0, sizeof(*p));
	amt_status st = amt_image_parse(d, n, &po, &img, err);
	if (st != AMT_OK)
		return st;
	st = amt_plan_build(img, o, p, err);
	amt_image_free(img);
	return st;
}

amt_status tu_verify(const uint8_t *d, size_t n, const struct amt_neutralize_opts *o,
		     const uint8_t *out, size_t out_size, struct amt_report **rep)
{
	struct amt_parse_opts po;
	amt_parse_opts_init(&po);
	po.platform_override = o->platform;
	struct amt_image *img = NULL;
	amt_error err;
	assert_int_equal(amt_image_parse(d, n, &po, &img, &err), AMT_OK);
	struct amt_report *r = calloc(1, sizeof(*r));
	assert_non_null(r);
	assert_int_equal(amt_verify_output(d, n, img, o, out, out_size, r), AMT_OK);
	amt_image_free(img);
	amt_status st = r->nfindings ? AMT_E_VERIFY : AMT_OK;
	if (rep)
		*rep = r;
	else
		amt_report_free(r);
	return st;
}

bool tu_finding(const struct amt_report *r, amt_finding_kind kind)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (r->findings[i].kind == kind)
			return true;
	return false;
}

static const char *render(const struct amt_plan *p, bool log)
{
	static char *buf;
	static size_t len;
	free(buf);
	buf = NULL;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	if (log)
		render_mc_log(f, p, "desc.bin", "me.bin");
	else
		render_warnings(f, p);
	fclose(f);
	return buf;
}

const char *tu_mc_log(const struct amt_plan *p)
{
	return render(p, true);
}

const char *tu_notes(const struct amt_plan *p)
{
	return render(p, false);
}

const struct amt_event *tu_event(const struct amt_plan *p, amt_event_kind kind, const char *name)
{
	for (size_t i = 0; i < p->nevents; i++)
		if (p->events[i].kind == kind && (!name || !strcmp(p->events[i].name, name)))
			return &p->events[i];
	return NULL;
}

uint8_t *tu_read_file(const char *path, size_t *n)
{
	*n = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	uint8_t *d = NULL;
	long len = -1;
	if (fseek(f, 0, SEEK_END) == 0)
		len = ftell(f);
	if (len >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		d = malloc((size_t)len + 1);
		if (d && fread(d, 1, (size_t)len, f) != (size_t)len) {
			free(d);
			d = NULL;
		}
	}
	fclose(f);
	if (!d)
		return NULL;
	d[len] = 0;
	*n = (size_t)len;
	return d;
}

uint8_t *tu_corpus_read(const char *rel, size_t *n)
{
	const char *dir = getenv("AMTLESS_CORPUS");
	*n = 0;
	if (!dir || !dir[0])
		return NULL;
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	uint8_t *d = tu_read_file(path, n);
	if (!d)
		fail_msg("%s cannot be read", path);
	return d;
}

uint8_t *tu_corpus_image(const char *name, size_t *n)
{
	char rel[1024];
	snprintf(rel, sizeof(rel), "images/%s", name);
	return tu_corpus_read(rel, n);
}
