/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Replay driver: runs a harness's LLVMFuzzerTestOneInput over the files
 * named (a directory: each regular file in it), without libFuzzer. The
 * normal and sanitizer builds link every harness with it, so a harness
 * that no longer builds is seen at once, and `meson test fuzz_replay`
 * runs each harness's oracle over its seeds and the regression inputs.
 * An oracle violation aborts, as under libFuzzer.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

/* libFuzzer's default -max_len for these harnesses (fuzz/run-fuzzers) */
#define MAX_LEN 1100000u

static unsigned long ninputs;

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	uint8_t *buf = malloc(MAX_LEN);
	if (!buf) {
		fclose(f);
		return -1;
	}
	size_t n = fread(buf, 1, MAX_LEN, f);
	int err = ferror(f);
	fclose(f);
	if (err) {
		perror(path);
		free(buf);
		return -1;
	}
	/* an exact-size copy, so that ASan sees a read past the input */
	uint8_t *in = malloc(n ? n : 1);
	if (!in) {
		free(buf);
		return -1;
	}
	memcpy(in, buf, n);
	free(buf);
	LLVMFuzzerTestOneInput(in, n);
	free(in);
	ninputs++;
	return 0;
}

static int run_path(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	DIR *d = opendir(path);
	if (!d) {
		perror(path);
		return -1;
	}
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		char p[4096];
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", path, e->d_name);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && run_file(p) < 0)
			rc = -1;
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	int rc = 0;
	for (int i = 1; i < argc; i++)
		if (run_path(argv[i]) < 0)
			rc = 1;
	printf("%lu inputs\n", ninputs);
	return rc;
}
