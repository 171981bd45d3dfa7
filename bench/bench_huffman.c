/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Benchmark (not a test): Huffman decompression throughput on the Huffman
 * modules of real images.
 *
 *   bench_huffman [-r ROUNDS] IMAGE...   (default: every file of $AMTLESS_CORPUS/images)
 *
 * For every Huffman module of every image: "decode" times the decoder alone
 * (amt_huff_unpack_lut / amt_huff_unpack_cse with the code book the model
 * picks), "unpack+hash" times amt_module_unpack (decode, SHA-256 and the
 * comparison with the stored hash, what inspect and extract do). Prints
 * MB/s of unpacked output (10^6 bytes per second), the best of ROUNDS
 * rounds (default 5) over all modules, per family and in total.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <amtless/extract.h>
#include <amtless/image.h>

#include "fw/huffman_int.h"
#include "internal.h"

struct mod {
	const struct amt_image *img;
	size_t idx;
	char fam[24];
};

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint8_t *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long sz = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *d = sz > 0 ? malloc((size_t)sz) : NULL;
	if (d && fread(d, 1, (size_t)sz, f) != (size_t)sz) {
		free(d);
		d = NULL;
	}
	fclose(f);
	*n = (size_t)sz;
	return d;
}

/* The decoder alone, as amt_huff_module_check drives it. */
static size_t decode_only(const struct amt_image *img, size_t k)
{
	const struct amt_fw *fw = &img->fw;
	const struct amt_module *m = &fw->modules[k];
	uint8_t *out = NULL;
	size_t ol = 0;
	if (fw->generation == 2) {
		struct amt_llut scratch;
		const struct amt_llut *l = amt_huff_gen2_lut(img->data, img->size, fw, k, &scratch);
		if (l)
			amt_huff_unpack_lut(amt_huff_gen2_book(l, fw->version.major), img->data,
					    img->size, l->offset, fw->region_offset,
					    fw->region_offset + fw->region_size, m->load_base,
					    m->usize, &out, &ol, NULL);
		free(scratch.chunks);
		if (!l)
			return 0;
	} else if (m->usize) {
		amt_huff_unpack_cse(amt_huff_cse_book(fw), img->data + m->offset, m->size, m->offset,
				    m->usize, &out, &ol, NULL);
	} else {
		return 0;
	}
	free(out);
	return ol;
}

static size_t unpack_hash(const struct amt_image *img, size_t k)
{
	uint8_t *out = NULL;
	size_t ol = 0;
	amt_hash_match match;
	if (amt_module_unpack(img, k, &out, &ol, &match, NULL) != AMT_OK)
		return 0;
	free(out);
	return ol;
}

int main(int argc, char **argv)
{
	int rounds = 5, first = 1;
	if (argc > 2 && !strcmp(argv[1], "-r")) {
		rounds = atoi(argv[2]);
		first = 3;
	}
	if (rounds < 1)
		rounds = 1;
	char **files = NULL;
	size_t nfiles = 0;
	if (first < argc) {
		files = argv + first;
		nfiles = (size_t)(argc - first);
	} else {
		const char *c = getenv("AMTLESS_CORPUS");
		char dir[4096];
		if (!c || !*c) {
			fprintf(stderr, "usage: bench_huffman [-r ROUNDS] IMAGE... (or set AMTLESS_CORPUS)\n");
			return 2;
		}
		snprintf(dir, sizeof(dir), "%s/images", c);
		DIR *d = opendir(dir);
		if (!d) {
			perror(dir);
			return 2;
		}
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			files = realloc(files, (nfiles + 1) * sizeof(*files));
			size_t l = strlen(dir) + strlen(e->d_name) + 2;
			files[nfiles] = malloc(l);
			snprintf(files[nfiles++], l, "%s/%s", dir, e->d_name);
		}
		closedir(d);
	}

	struct mod *mods = NULL;
	size_t nmods = 0;
	struct amt_image **imgs = calloc(nfiles ? nfiles : 1, sizeof(*imgs));
	uint8_t **bufs = calloc(nfiles ? nfiles : 1, sizeof(*bufs));
	for (size_t i = 0; i < nfiles; i++) {
		size_t n = 0;
		struct amt_parse_opts o;
		amt_parse_opts_init(&o);
		o.verify_signatures = false;
		bufs[i] = slurp(files[i], &n);
		if (!bufs[i] || amt_image_parse(bufs[i], n, &o, &imgs[i], NULL) != AMT_OK ||
		    !imgs[i]->has_fw)
			continue;
		const struct amt_fw *fw = &imgs[i]->fw;
		for (size_t k = 0; k < fw->nmodules; k++) {
			const struct amt_module *m = &fw->modules[k];
			if (m->comp != AMT_COMP_HUFFMAN || m->kind != AMT_MOD_MODULE ||
			    m->hash_ok != AMT_YES)
				continue;
			mods = realloc(mods, (nmods + 1) * sizeof(*mods));
			mods[nmods].img = imgs[i];
			mods[nmods].idx = k;
			snprintf(mods[nmods].fam, sizeof(mods[nmods].fam), "%s",
				 amt_tag_at(imgs[i]->data, imgs[i]->size, m->header_offset, "$MME") ?
				 "ME 6-10" : "CSE");
			nmods++;
		}
	}
	if (!nmods) {
		fprintf(stderr, "bench_huffman: no Huffman module whose hash checks\n");
		return 1;
	}
	static const char *const fams[] = { "ME 6-10", "CSE", NULL };
	printf("Huffman modules: %zu (hash checked); best of %d rounds\n", nmods, rounds);
	printf("%-10s %8s %12s %14s %16s\n", "family", "modules", "MB unpacked", "decode MB/s",
	       "unpack+hash MB/s");
	for (int f = 0; f < 3; f++) {
		double best_d = 1e30, best_u = 1e30;
		size_t bytes = 0, count = 0;
		for (int r = 0; r < rounds; r++) {
			size_t b = 0;
			count = 0;
			double t0 = now();
			for (size_t i = 0; i < nmods; i++)
				if (!fams[f] || !strcmp(mods[i].fam, fams[f])) {
					b += decode_only(mods[i].img, mods[i].idx);
					count++;
				}
			double t1 = now();
			for (size_t i = 0; i < nmods; i++)
				if (!fams[f] || !strcmp(mods[i].fam, fams[f]))
					unpack_hash(mods[i].img, mods[i].idx);
			double t2 = now();
			bytes = b;
			if (t1 - t0 < best_d)
				best_d = t1 - t0;
			if (t2 - t1 < best_u)
				best_u = t2 - t1;
		}
		if (!count)
			continue;
		printf("%-10s %8zu %12.2f %14.0f %16.0f\n", fams[f] ? fams[f] : "all", count,
		       (double)bytes / 1e6, (double)bytes / 1e6 / best_d,
		       (double)bytes / 1e6 / best_u);
	}
	for (size_t i = 0; i < nfiles; i++) {
		amt_image_free(imgs[i]);
		free(bufs[i]);
	}
	free(imgs);
	free(bufs);
	free(mods);
	return 0;
}
