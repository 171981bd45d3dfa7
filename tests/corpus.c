/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "corpus.h"

const char *corpus_dir(void)
{
	const char *d = getenv("AMTLESS_CORPUS");
	return d && d[0] ? d : NULL;
}

void corpus_field(const char *line, int n, char *out, size_t len)
{
	const char *p = line;
	for (int i = 0; i < n && p; i++) {
		p = strchr(p, '\t');
		if (p)
			p++;
	}
	out[0] = '\0';
	if (!p)
		return;
	size_t k = strcspn(p, "\t\n");
	if (k >= len)
		k = len - 1;
	memcpy(out, p, k);
	out[k] = '\0';
}

/* First dotted version a.b.c.d found in s (after `after` if given). */
static void find_version(const char *s, char *out, size_t len)
{
	out[0] = '\0';
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)*p) || (p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '.')))
			continue;
		unsigned a, b, c, d;
		int n = 0;
		if (sscanf(p, "%u.%u.%u.%u%n", &a, &b, &c, &d, &n) == 4 && n > 0) {
			snprintf(out, len, "%u.%u.%u.%u", a, b, c, d);
			return;
		}
	}
}

int corpus_rows(struct corpus_row **rows)
{
	const char *dir = corpus_dir();
	if (!dir)
		return -1;
	char path[4096];
	snprintf(path, sizeof(path), "%s/MANIFEST.tsv", dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char *line = NULL;
	size_t cap = 0;
	int n = 0, alloc = 0;
	struct corpus_row *r = NULL;

	if (getline(&line, &cap, f) < 0) {
		fclose(f);
		return -1;
	}
	while (getline(&line, &cap, f) > 0) {
		if (line[0] == '\n' || line[0] == '#')
			continue;
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			r = realloc(r, (size_t)alloc * sizeof(*r));
		}
		struct corpus_row *row = &r[n++];
		memset(row, 0, sizeof(*row));
		char tmp[1024];
		corpus_field(line, 0, row->file, sizeof(row->file));
		corpus_field(line, 1, row->sha256, sizeof(row->sha256));
		corpus_field(line, 6, row->kind, sizeof(row->kind));
		corpus_field(line, 7, tmp, sizeof(tmp));
		if (isdigit((unsigned char)tmp[0]))
			find_version(tmp, row->version, sizeof(row->version));
		if (!row->version[0]) {
			corpus_field(line, 13, tmp, sizeof(tmp));
			char *ftpr = strstr(tmp, "FTPR/FTPR.man");
			if (ftpr) {
				char *colon = strchr(ftpr, ':');
				if (colon)
					find_version(colon + 1, row->version, sizeof(row->version));
			}
		}
		corpus_field(line, 8, tmp, sizeof(tmp));
		row->generation = isdigit((unsigned char)tmp[0]) ? tmp[0] - '0' : 0;
	}

	free(line);
	fclose(f);
	*rows = r;
	return n;
}

uint8_t *corpus_read(const char *rel, size_t *size)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", corpus_dir(), rel);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *d = malloc(n > 0 ? (size_t)n : 1);
	if (!d || fread(d, 1, (size_t)n, f) != (size_t)n) {
		free(d);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*size = (size_t)n;
	return d;
}

void corpus_sha256_hex(const uint8_t *d, size_t n, char out[65])
{
	unsigned char md[32];
	unsigned int len = 0;
	EVP_Digest(d, n, md, &len, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
	out[64] = '\0';
}
