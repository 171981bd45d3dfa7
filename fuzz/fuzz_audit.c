/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness: the audit's readers of sysfs/procfs text and of the
 * ME's MKHI/AMTHI answers. The input is cut at each "\xff\xfe" pair: the
 * first pieces become the contents of the files of a fixed fake tree
 * (cpuinfo, osrelease, PCI attributes and config space of 00:16.0, the
 * mei class attributes, a MEI bus client uuid, a watchdog identity), the
 * remaining pieces are the answers of a fake MEI transport. Then collect,
 * probe, decide; every evidence/reason/check string must be terminated.
 * The three renderings run too (cli/render/audit_*.c): the text has no raw
 * control byte but newlines, the JSON document builds and serialises, and
 * every Prometheus line is a HELP/TYPE line or one well-formed sample (name,
 * labels with balanced quotes, a number), ending with a newline.
 */
#include <errno.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include <amtless/audit.h>

#include "render/audit_out.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[256];

#define PCI "sys/bus/pci/devices/0000:00:16.0"
#define MEI "sys/class/mei/mei0"
static const char *const files[] = {
	"proc/cpuinfo",
	"proc/sys/kernel/osrelease",
	PCI "/vendor",
	PCI "/device",
	PCI "/class",
	PCI "/config",
	MEI "/kind",
	MEI "/dev_state",
	MEI "/hbm_ver",
	MEI "/fw_ver",
	MEI "/fw_status",
	"sys/bus/mei/devices/0000:00:16.0-8e6a6715-9abc-4043-88ef-9e39c6f63e0f/uuid",
	"sys/class/watchdog/watchdog0/identity",
	"sys/bus/pci/devices/0000:00:1f.0/vendor",
	"sys/bus/pci/devices/0000:00:1f.0/device",
	"sys/bus/pci/devices/0000:00:1f.0/class",
};
#define NFILES (sizeof(files) / sizeof(files[0]))

static void mkdirs(const char *path)
{
	char tmp[512];
	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p == '/') {
			*p = 0;
			mkdir(tmp, 0755);
			*p = '/';
		}
	}
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	return remove(path);
}

static void cleanup(void)
{
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *t = getenv("TMPDIR");
	snprintf(root, sizeof(root), "%s/amtless-fuzz-audit-%ld", t && t[0] ? t : "/tmp",
		 (long)getpid());
	char p[512];
	for (size_t i = 0; i < NFILES; i++) {
		snprintf(p, sizeof(p), "%s/%s", root, files[i]);
		mkdirs(p);
	}
	/* the mei device's "device" link points at the PCI function */
	snprintf(p, sizeof(p), "%s/" MEI "/device", root);
	if (symlink("../../../bus/pci/devices/0000:00:16.0", p) < 0 && errno != EEXIST)
		perror(p);
	atexit(cleanup);
	return 0;
}

/* ---- fake MEI transport -------------------------------------------- */

struct fake {
	const uint8_t *piece[32];
	size_t len[32];
	unsigned n, next;
};

static int f_connect(void *ctx, const uint8_t uuid[16], uint32_t *max)
{
	struct fake *f = ctx;
	*max = 4096;
	if (f->next < f->n && f->len[f->next] == 1 && f->piece[f->next][0] == 'X') {
		f->next++;
		return -ENOTTY; /* client not in the firmware */
	}
	return 0;
}
static int f_send(void *ctx, const uint8_t *buf, size_t len) { return 0; }
static int f_recv(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
	struct fake *f = ctx;
	if (f->next >= f->n)
		return -ETIMEDOUT;
	size_t l = f->len[f->next] < cap ? f->len[f->next] : cap;
	memcpy(buf, f->piece[f->next], l);
	*got = l;
	f->next++;
	return 0;
}
static void f_disconnect(void *ctx) {}

static void check_str(const char *s, size_t cap, const char *what)
{
	if (s && !memchr(s, 0, cap)) {
		fprintf(stderr, "fuzz_audit: unterminated %s\n", what);
		abort();
	}
}

/* one Prometheus sample line: name{label="v",...} number */
static bool prom_sample_ok(const char *l)
{
	const char *p = l;
	if (strncmp(p, "amtless_", 8))
		return false;
	while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')
		p++;
	if (*p == '{') {
		p++;
		while (*p != '}') {
			while ((*p >= 'a' && *p <= 'z') || *p == '_')
				p++;
			if (p[0] != '=' || p[1] != '"')
				return false;
			for (p += 2; *p != '"'; p++) {
				if (!*p || (unsigned char)*p < 0x20)
					return false;
				if (*p == '\\' && !*++p)
					return false;
			}
			p++;
			if (*p == ',')
				p++;
			else if (*p != '}')
				return false;
		}
		p++;
	}
	if (*p++ != ' ')
		return false;
	char *end;
	strtod(p, &end);
	return end != p && !*end;
}

static void render_all(const struct amt_audit *a)
{
	struct audit_run run = { .when = 1764694320, .exit_status = 10 };
	char *buf = NULL;
	size_t len = 0;
	FILE *m;

	for (int brief = 0; brief < 2; brief++) {
		m = open_memstream(&buf, &len);
		audit_print_text(a, &run, brief, m);
		fclose(m);
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)buf[i] < 0x20 && buf[i] != '\n') {
				fprintf(stderr, "fuzz_audit: raw control byte 0x%02x in the text\n", buf[i]);
				abort();
			}
		free(buf);
	}
	json_t *doc = audit_build_json(a, &run);
	char *js = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	if (!js) {
		fprintf(stderr, "fuzz_audit: JSON document not built\n");
		abort();
	}
	free(js);
	json_decref(doc);

	m = open_memstream(&buf, &len);
	if (audit_print_prometheus(a, &run, m) < 0)
		abort();
	fclose(m);
	if (!len || buf[len - 1] != '\n')
		abort();
	for (char *line = buf, *nl; (nl = memchr(line, '\n', len - (size_t)(line - buf))); line = nl + 1) {
		*nl = 0;
		if (strncmp(line, "# HELP amtless_", 15) && strncmp(line, "# TYPE amtless_", 15) &&
		    !prom_sample_ok(line)) {
			fprintf(stderr, "fuzz_audit: bad Prometheus line: %s\n", line);
			abort();
		}
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *piece[64];
	size_t len[64];
	unsigned n = 0;
	size_t start = 0;
	for (size_t i = 0; i + 1 < size && n < 63; i++) {
		if (data[i] == 0xff && data[i + 1] == 0xfe) {
			piece[n] = data + start;
			len[n++] = i - start;
			start = i + 2;
			i++;
		}
	}
	piece[n] = data + start;
	len[n++] = size - start;

	char p[512];
	for (size_t i = 0; i < NFILES; i++) {
		snprintf(p, sizeof(p), "%s/%s", root, files[i]);
		FILE *f = fopen(p, "wb");
		if (!f)
			abort();
		if (i < n && len[i])
			fwrite(piece[i], 1, len[i], f);
		fclose(f);
	}

	struct amt_audit *a = NULL;
	amt_error err;
	if (amt_audit_collect(root, &a, &err) != AMT_OK)
		abort(); /* the root exists: only no memory may fail */

	struct fake fk = { .n = 0, .next = 0 };
	for (unsigned i = NFILES; i < n && fk.n < 32; i++) {
		fk.piece[fk.n] = piece[i];
		fk.len[fk.n++] = len[i];
	}
	struct amt_mei_transport t = { &fk, f_connect, f_send, f_recv, f_disconnect };
	amt_audit_probe(a, &t);
	amt_audit_decide(a);
	amt_audit_decide(a); /* idempotent */

	if (!amt_audit_verdict_str(a->verdict))
		abort();
	check_str(a->kernel_release, sizeof(a->kernel_release), "kernel_release");
	for (size_t i = 0; i < a->nreasons; i++)
		(void)strlen(a->reasons[i]);
	for (size_t i = 0; i < a->nevidence; i++) {
		check_str(a->evidence[i].path, sizeof(a->evidence[i].path), "evidence path");
		check_str(a->evidence[i].value, sizeof(a->evidence[i].value), "evidence value");
		check_str(a->evidence[i].finding, sizeof(a->evidence[i].finding), "evidence finding");
	}
	for (int i = 0; i < AMT_CHECK_COUNT; i++) {
		check_str(a->checks[i].detail, sizeof(a->checks[i].detail), "check detail");
		if (!amt_check_status_str(a->checks[i].status))
			abort();
	}
	render_all(a);
	amt_audit_free(a);
	return 0;
}
