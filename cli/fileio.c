/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading inputs whole, writing outputs atomically, printing errors. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* Largest input accepted: SPI flashes are at most 64 MiB today; leave room. */
#define MAX_INPUT (256u * 1024 * 1024)

int cli_exit_for(amt_status st)
{
	switch (st) {
	case AMT_OK: return EXIT_OK;
	case AMT_E_IO: return EXIT_INPUT;
	case AMT_E_UPDATE_FILE: return EXIT_UPDATE;
	case AMT_E_PLATFORM:
	case AMT_E_REFUSED: return EXIT_REFUSED;
	case AMT_E_VERIFY:
	case AMT_E_CHECKSUM:
	case AMT_E_SIGNATURE: return EXIT_FINDINGS;
	case AMT_E_ARG: return EXIT_USAGE;
	case AMT_E_NOMEM: return EXIT_INTERNAL;
	default: return EXIT_UNKNOWN;
	}
}

amt_status cli_read_file(const char *path, uint8_t **data, size_t *size, amt_error *err)
{
	*data = NULL;
	*size = 0;
	int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return amt_error_set(err, AMT_E_IO, "file", AMT_NO_OFFSET, "%s: cannot open: %s",
				     path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return amt_error_set(err, AMT_E_IO, "file", AMT_NO_OFFSET, "%s: %s", path, strerror(e));
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return amt_error_set(err, AMT_E_IO, "file", AMT_NO_OFFSET, "%s: is a directory", path);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return amt_error_set(err, AMT_E_IO, "file", AMT_NO_OFFSET,
				     "%s: not a regular file (a FIFO, socket or device): "
				     "copy the image into a file first", path);
	}
	if (st.st_size == 0) {
		close(fd);
		return amt_error_set(err, AMT_E_IO, "file", AMT_NO_OFFSET, "%s: the file is empty", path);
	}
	if ((uint64_t)st.st_size > MAX_INPUT) {
		close(fd);
		return amt_error_set(err, AMT_E_IO, "file", AMT_NO_OFFSET,
				     "%s: %lld bytes is larger than any SPI flash (limit %u MiB)",
				     path, (long long)st.st_size, MAX_INPUT >> 20);
	}
	/* back to blocking reads */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	size_t want = (size_t)st.st_size;
	uint8_t *buf = malloc(want + 1);
	if (!buf) {
		close(fd);
		return amt_error_set(err, AMT_E_NOMEM, "file", AMT_NO_OFFSET, "%s: out of memory", path);
	}
	size_t got = 0;
	while (got < want + 1) {
		ssize_t n = read(fd, buf + got, want + 1 - got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			close(fd);
			return amt_error_set(err, AMT_E_IO, "file", got, "%s: read error: %s", path, strerror(e));
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got != want) {
		free(buf);
		return amt_error_set(err, AMT_E_IO, "file", AMT_NO_OFFSET,
				     "%s: the file changed size while being read (%zu bytes expected, %s)",
				     path, want, got > want ? "more found" : "fewer read");
	}
	*data = buf;
	*size = want;
	return AMT_OK;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n > (1u << 30) ? (1u << 30) : n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

amt_status cli_write_atomic(const char *path, const uint8_t *data, size_t size, amt_error *err)
{
	char *dup = strdup(path);
	if (!dup)
		return amt_error_set(err, AMT_E_NOMEM, "output", AMT_NO_OFFSET, "out of memory");
	char *dir = dirname(dup);
	size_t tlen = strlen(dir) + 32;
	char *tmp = malloc(tlen);
	if (!tmp) {
		free(dup);
		return amt_error_set(err, AMT_E_NOMEM, "output", AMT_NO_OFFSET, "out of memory");
	}
	snprintf(tmp, tlen, "%s/.amtless-XXXXXX", dir);
	int fd = mkostemp(tmp, O_CLOEXEC); /* O_EXCL: never follows an existing name */
	if (fd < 0) {
		int e = errno;
		amt_error_set(err, AMT_E_IO, "output", AMT_NO_OFFSET,
			      "%s: cannot create a temporary file in %s: %s", path, dir, strerror(e));
		free(tmp);
		free(dup);
		return AMT_E_IO;
	}
	const char *step = "write";
	if (fchmod(fd, 0644) < 0) {
		step = "chmod";
		goto fail;
	}
	if (write_all(fd, data, size) < 0)
		goto fail;
	step = "fsync";
	if (fsync(fd) < 0)
		goto fail;
	step = "close";
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	step = "rename";
	/* rename() replaces a symlink at path, never the file it points to */
	if (rename(tmp, path) < 0)
		goto fail;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(tmp);
	free(dup);
	return AMT_OK;
fail: {
	int e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	amt_error_set(err, AMT_E_IO, "output", AMT_NO_OFFSET, "%s: %s failed: %s; nothing was written",
		      path, step, strerror(e));
	free(tmp);
	free(dup);
	return AMT_E_IO;
}
}

void cli_print_error(const char *file, const amt_error *err)
{
	fprintf(stderr, "%s: ", cli_progname);
	if (file)
		fprintf(stderr, "%s: ", file);
	if (err->structure[0])
		fprintf(stderr, "%s", err->structure);
	if (err->offset != AMT_NO_OFFSET)
		fprintf(stderr, "%sat 0x%llx", err->structure[0] ? " " : "", (unsigned long long)err->offset);
	if (err->structure[0] || err->offset != AMT_NO_OFFSET)
		fprintf(stderr, ": ");
	fprintf(stderr, "%s\n", err->message[0] ? err->message : amt_status_str(err->code));
}

bool cli_use_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR");
	if (nc && nc[0])
		return false;
	return isatty(fileno(f));
}
