/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * amtless inspect FILE... / --recursive DIR: one line per file, the files
 * inspected in parallel (the library keeps no global state), the lines
 * printed in the order of the files. A file that fails gets a line that
 * says why (file, structure, offset) and the run goes on.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include <amtless/image.h>

#include "cli.h"
#include "inspect_many.h"
#include "neu_io.h"
#include "out.h"

#define INSPECT_ERROR_SCHEMA "amtless-inspect-error"
#define INSPECT_ERROR_VERSION 1

struct item {
	char *path;
	char *pre_error;   /* set while listing (a directory without --recursive,
			      an unreadable directory): reported, not read */
	char *line;        /* the rendered line, without its newline */
	bool failed, oom, done;
};

struct list {
	struct item *v;
	size_t n, cap;
	bool oom;
};

static void add(struct list *l, const char *path, const char *pre_error)
{
	if (l->oom)
		return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct item *v = realloc(l->v, cap * sizeof(*v));
		if (!v) {
			l->oom = true;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	struct item *it = &l->v[l->n];
	memset(it, 0, sizeof(*it));
	it->path = strdup(path);
	it->pre_error = pre_error ? strdup(pre_error) : NULL;
	if (!it->path || (pre_error && !it->pre_error)) {
		free(it->path);
		free(it->pre_error);
		l->oom = true;
		return;
	}
	l->n++;
}

static bool is_dir(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int no_dots(const struct dirent *e)
{
	return strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
}

/* The regular files under dir, in byte order of their names, depth first.
 * Symbolic links to regular files are inspected; links to directories are
 * not followed (no loops); sockets, FIFOs and devices are left out. */
static void walk(struct list *l, const char *dir)
{
	struct dirent **ents = NULL;
	int n = scandir(dir, &ents, no_dots, by_name);
	if (n < 0) {
		char msg[300];
		snprintf(msg, sizeof(msg), "cannot read the directory: %s", strerror(errno));
		add(l, dir, msg);
		return;
	}
	size_t dl = strlen(dir);
	bool slash = dl && dir[dl - 1] == '/';
	for (int i = 0; i < n; i++) {
		size_t len = dl + 1 + strlen(ents[i]->d_name) + 1;
		char *p = malloc(len);
		if (!p) {
			l->oom = true;
		} else {
			snprintf(p, len, "%s%s%s", dir, slash ? "" : "/", ents[i]->d_name);
			struct stat sb;
			if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
				walk(l, p);
			else if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode))
				add(l, p, NULL);
			free(p);
		}
		free(ents[i]);
	}
	free(ents);
}

/* ---- one file --------------------------------------------------------- */

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t ready, room;
	struct item *items;
	size_t n, next, printed, window;
	const struct inspect_many_opts *o;
	struct out_opts oopts;
};

/* The path as text: other bytes than printable ASCII and valid UTF-8
 * escaped, so that a name never breaks its line. */
static void put_path(FILE *f, const char *path)
{
	out_puts_esc(f, path, OUT_MSG);
}

/* The error's message; cli_read_file's messages start with the file name,
 * which the line already gives. */
static const char *err_msg(const char *path, const amt_error *err)
{
	const char *msg = err->message[0] ? err->message : amt_status_str(err->code);
	size_t pl = strlen(path);
	if (!strncmp(msg, path, pl) && !strncmp(msg + pl, ": ", 2))
		msg += pl + 2;
	return msg;
}

static void text_error(FILE *f, const char *path, const amt_error *err)
{
	const char *msg = err_msg(path, err);
	put_path(f, path);
	fputs(": error: ", f);
	if (err->structure[0])
		out_puts_esc(f, err->structure, OUT_MSG);
	if (err->offset != AMT_NO_OFFSET)
		fprintf(f, "%sat 0x%" PRIx64, err->structure[0] ? " " : "", err->offset);
	if (err->structure[0] || err->offset != AMT_NO_OFFSET)
		fputs(": ", f);
	out_puts_esc(f, msg, OUT_MSG);
}

static const char *kind_words(amt_input_kind k)
{
	switch (k) {
	case AMT_KIND_FULL: return "full image";
	case AMT_KIND_DESCRIPTOR_ONLY: return "descriptor only";
	case AMT_KIND_ME_REGION: return "ME region";
	case AMT_KIND_IFWI_REGION: return "IFWI region";
	case AMT_KIND_BPDT: return "IFWI image (BPDT)";
	case AMT_KIND_UPDATE: return "ME update file";
	case AMT_KIND_ERASED: return "erased";
	case AMT_KIND_UNKNOWN: break;
	}
	return "unknown input";
}

/* The answer in one line, from the model's typed facts only. */
static void text_line(FILE *f, const char *path, const struct amt_image *img)
{
	const struct amt_fw *fw = &img->fw;
	char v[64];
	put_path(f, path);
	fprintf(f, ": %s, ", kind_words(img->kind));
	if (img->has_fw) {
		fprintf(f, "%s ", amt_family_str(fw->family));
		fputs(fw->version_known ? amt_version_fmt(&fw->version, v, sizeof(v)) :
		      "version unknown", f);
		if (fw->sku_known && fw->sku[0]) {
			fputc(' ', f);
			out_puts_esc(f, fw->sku, OUT_MSG);
		} else {
			fputs(" SKU unknown", f);
		}
		fprintf(f, ", AMT %s", fw->amt_present == AMT_YES ? "present" :
			fw->amt_present == AMT_NO ? "absent" : "unknown");
	} else if (img->me_erased) {
		fputs("ME region erased (wiped)", f);
	} else if (img->kind == AMT_KIND_DESCRIPTOR_ONLY) {
		fputs("ME firmware not in the file", f);
	} else {
		fputs("no ME firmware found", f);
	}
	if (img->has_ifd) {
		const struct amt_disable_bit *d = &img->ifd.disable;
		if (d->located)
			fprintf(f, ", disable bit (%s) %s", amt_disable_kind_str(d->kind),
				d->state == AMT_YES ? "set" : d->state == AMT_NO ? "clear" : "unknown");
		else
			fprintf(f, ", disable bit not located (platform %s)",
				amt_platform_status_str(img->ifd.platform.status));
	} else {
		fputs(", disable bit not in the file (no descriptor)", f);
	}
	if (img->has_fw)
		fputs(fw->stripped ? ", stripped" : ", not stripped", f);
}

static json_t *json_error(const char *path, amt_status st, const amt_error *err)
{
	json_t *e = json_object(), *doc = json_object();
	if (!e || !doc ||
	    json_object_set_new(doc, "schema", json_string(INSPECT_ERROR_SCHEMA)) < 0 ||
	    json_object_set_new(doc, "version", json_integer(INSPECT_ERROR_VERSION)) < 0 ||
	    json_object_set_new(doc, "file", out_json_nstr(path, OUT_MSG)) < 0 ||
	    json_object_set_new(doc, "exit_code", json_integer(cli_exit_for(st))) < 0 ||
	    json_object_set_new(e, "code", json_string(amt_status_str(err->code))) < 0 ||
	    json_object_set_new(e, "structure", out_json_nstr(err->structure, OUT_MSG)) < 0 ||
	    json_object_set_new(e, "offset", err->offset == AMT_NO_OFFSET ? json_null() :
				json_integer((json_int_t)err->offset)) < 0 ||
	    json_object_set_new(e, "message", out_json_nstr(err_msg(path, err), OUT_MSG)) < 0 ||
	    json_object_set(doc, "error", e) < 0) {
		json_decref(e);
		json_decref(doc);
		return NULL;
	}
	json_decref(e);
	return doc;
}

static void inspect_one(struct pool *p, struct item *it)
{
	const struct inspect_many_opts *o = p->o;
	char *buf = NULL;
	size_t len = 0;
	uint8_t *data = NULL;
	size_t size = 0;
	struct amt_image *img = NULL;
	amt_error err;
	amt_error_clear(&err);
	amt_status st;

	if (it->pre_error)
		st = amt_error_set(&err, AMT_E_IO, "file", AMT_NO_OFFSET, "%s", it->pre_error);
	else if ((st = cli_read_file(it->path, &data, &size, &err)) == AMT_OK)
		st = amt_image_parse(data, size, &o->popts, &img, &err);
	it->failed = st != AMT_OK;
	it->oom = st == AMT_E_NOMEM;

	if (o->json) {
		/* the minimum ME region size as inspect IMAGE --json gives it */
		struct out_opts oo = p->oopts;
		if (st == AMT_OK && img->has_fw)
			oo.min_region_known = neu_min_region(data, size, &o->popts, img->has_ifd,
							     &oo.min_region_size);
		json_t *doc = st == AMT_OK ? out_json_image(it->path, img, &oo) :
			      json_error(it->path, st, &err);
		it->line = doc ? json_dumps(doc, JSON_COMPACT | JSON_ENSURE_ASCII |
					    JSON_PRESERVE_ORDER) : NULL;
		json_decref(doc);
	} else {
		FILE *m = open_memstream(&buf, &len);
		if (m) {
			if (st == AMT_OK)
				text_line(m, it->path, img);
			else
				text_error(m, it->path, &err);
			if (fclose(m) == 0)
				it->line = buf;
			else
				free(buf);
		}
	}
	if (!it->line) {
		it->failed = it->oom = true;
	}
	amt_image_free(img);
	free(data);
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (p->next < p->n && p->next >= p->printed + p->window)
			pthread_cond_wait(&p->room, &p->mu);
		if (p->next >= p->n) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		size_t i = p->next++;
		pthread_mutex_unlock(&p->mu);

		inspect_one(p, &p->items[i]);

		pthread_mutex_lock(&p->mu);
		p->items[i].done = true;
		pthread_cond_broadcast(&p->ready);
		pthread_mutex_unlock(&p->mu);
	}
}

static unsigned cpus(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return (unsigned)CPU_COUNT(&set);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

int inspect_many(int n, char **operands, const struct inspect_many_opts *o)
{
	struct list l = { 0 };
	for (int i = 0; i < n; i++) {
		if (is_dir(operands[i])) {
			if (o->recursive)
				walk(&l, operands[i]);
			else
				add(&l, operands[i], "is a directory (--recursive inspects the files "
				    "under it)");
		} else {
			add(&l, operands[i], NULL);
		}
	}
	if (l.oom) {
		fprintf(stderr, "%s inspect: out of memory listing the files\n", cli_progname);
		for (size_t i = 0; i < l.n; i++) {
			free(l.v[i].path);
			free(l.v[i].pre_error);
		}
		free(l.v);
		return EXIT_INTERNAL;
	}

	struct pool p = {
		.mu = PTHREAD_MUTEX_INITIALIZER,
		.ready = PTHREAD_COND_INITIALIZER,
		.room = PTHREAD_COND_INITIALIZER,
		.items = l.v, .n = l.n, .o = o,
		.oopts = { .color = false, .verify = o->popts.verify_signatures,
			   .platform = o->platform },
	};
	unsigned jobs = o->jobs ? o->jobs : cpus();
	if (jobs > l.n)
		jobs = l.n ? (unsigned)l.n : 1;
	/* results wait for their turn to be printed: keep a few per worker */
	p.window = 4 * (size_t)jobs;
	pthread_t *tid = calloc(jobs, sizeof(*tid));
	unsigned started = 0;
	for (unsigned i = 0; tid && i < jobs; i++) {
		if (pthread_create(&tid[i], NULL, worker, &p) != 0)
			break;
		started++;
	}
	if (!started) {
		/* no thread: do the work here, then print */
		p.window = p.n;
		worker(&p);
	}

	size_t nfailed = 0;
	bool oom = false;
	for (size_t i = 0; i < p.n; i++) {
		struct item *it = &p.items[i];
		pthread_mutex_lock(&p.mu);
		while (!it->done)
			pthread_cond_wait(&p.ready, &p.mu);
		pthread_mutex_unlock(&p.mu);
		if (it->line) {
			fputs(it->line, stdout);
			fputc('\n', stdout);
		} else {
			put_path(stdout, it->path);
			fputs(": error: out of memory\n", stdout);
		}
		nfailed += it->failed;
		oom |= it->oom;
		free(it->line);
		it->line = NULL;
		pthread_mutex_lock(&p.mu);
		p.printed = i + 1;
		pthread_cond_broadcast(&p.room);
		pthread_mutex_unlock(&p.mu);
	}
	for (unsigned i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	free(tid);
	for (size_t i = 0; i < l.n; i++) {
		free(l.v[i].path);
		free(l.v[i].pre_error);
	}
	free(l.v);

	int rc = EXIT_OK;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s inspect: cannot write the output\n", cli_progname);
		rc = EXIT_OUTPUT;
	} else if (oom) {
		rc = EXIT_INTERNAL;
	} else if (nfailed) {
		rc = EXIT_SOME_FAILED;
	}
	if (nfailed)
		fprintf(stderr, "%s inspect: %zu of %zu file%s could not be inspected (each says why "
			"on its line)\n", cli_progname, nfailed, p.n, p.n == 1 ? "" : "s");
	else if (!p.n)
		fprintf(stderr, "%s inspect: no file to inspect under %s\n", cli_progname,
			n == 1 ? operands[0] : "the directories given");
	return rc;
}
