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
	if (S_ISBLK(st.st_mode)) {
		/* a block device (an MTD block device, a loop device): its size */
		off_t end = lseek(fd, 0, SEEK_END);
		if (end < 0 || lseek(fd, 0, SEEK_SET) < 0) {
			int e = errno;
			close(fd);
			return amt_error_set(err, AMT_E_IO, "file", AMT_NO_OFFSET,
					     "%s: cannot size the block device: %s", path, strerror(e));
		}
		st.st_size = end;
	} else if (!S_ISREG(st.st_mode)) {
		close(fd);
		return amt_error_set(err, AMT_E_IO, "file", AMT_NO_OFFSET,
				     "%s: not a regular file (a FIFO, socket or character device): "
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

int cli_write_all(int fd, const uint8_t *p, size_t n)
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

/* Mode for the new file: the mode of the file it replaces (a regular file,
 * not followed through a symlink), else 0666 minus the umask. */
static mode_t output_mode(const char *path)
{
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
		return st.st_mode & 07777;
	mode_t um = umask(022);
	umask(um);
	return 0666 & ~um;
}

/* Fill fd through the writer and make it durable. Returns the failing
 * step or NULL. */
static const char *fill(int fd, mode_t mode, cli_writer fn, void *ctx)
{
	if (fchmod(fd, mode) < 0)
		return "chmod";
	if (fn(fd, ctx) < 0)
		return "write";
	if (fsync(fd) < 0)
		return "fsync";
	return NULL;
}

/* 0, or -1 (errno set) when the directory could not be fsynced */
static int sync_dir(const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	int rc = fsync(dfd);
	int e = errno;
	close(dfd);
	errno = e;
	return rc;
}

/* Give the complete temp file its name: rename() over path (replacing a
 * symlink at path, never the file it points to), or with no_replace
 * without ever replacing (EEXIST when path exists): renameat2's
 * RENAME_NOREPLACE; where the filesystem has no such rename, link() and
 * unlink(); where it has no hard links either (vfat, as on a USB stick),
 * a check then rename() (a file appearing in between would be replaced:
 * the only way left). */
static int place(const char *tmp, const char *path, bool no_replace)
{
	if (!no_replace)
		return rename(tmp, path);
#ifdef RENAME_NOREPLACE
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		return -1;
#endif
	if (link(tmp, path) == 0) {
		unlink(tmp);
		return 0;
	}
	if (errno != EPERM && errno != EOPNOTSUPP && errno != ENOSYS)
		return -1;
	if (access(path, F_OK) == 0) {
		errno = EEXIST;
		return -1;
	}
	return rename(tmp, path);
}

/* After placing: the directory made durable; a failure only matters when
 * the caller needs the name to survive a power loss (a backup). */
static amt_status finish_dir(const char *path, const char *dir, bool no_replace, amt_error *err)
{
	if (sync_dir(dir) < 0 && no_replace) {
		int e = errno;
		return amt_error_set(err, AMT_E_IO, "output", AMT_NO_OFFSET,
				     "%s: written, but its directory %s could not be fsynced: %s",
				     path, dir, strerror(e));
	}
	return AMT_OK;
}

#ifdef O_TMPFILE
/*
 * Preferred path: an unnamed O_TMPFILE in the target directory. A process
 * killed while writing leaves nothing behind; the file gets a name only
 * once complete and durable, just before the rename.
 * Returns 1 when done (status in *st), 0 to fall back to a named temp file.
 */
static int write_tmpfile(const char *path, const char *dir, mode_t mode, bool no_replace,
			 cli_writer fn, void *ctx, amt_status *st, amt_error *err)
{
	int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0)
		return 0; /* not supported here (filesystem, kernel): fall back */
	const char *step = fill(fd, mode, fn, ctx);
	if (step) {
		int e = errno;
		close(fd);
		*st = amt_error_set(err, AMT_E_IO, "output", AMT_NO_OFFSET,
				    "%s: %s failed: %s; nothing was written", path, step, strerror(e));
		return 1;
	}
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	size_t tlen = strlen(dir) + 32;
	char *tmp = malloc(tlen);
	if (!tmp) {
		close(fd);
		*st = amt_error_set(err, AMT_E_NOMEM, "output", AMT_NO_OFFSET, "out of memory");
		return 1;
	}
	int linked = -1;
	for (unsigned try = 0; try < 100 && linked < 0; try++) {
		snprintf(tmp, tlen, "%s/.amtless-%ld-%u", dir, (long)getpid(), try);
		linked = linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW);
		if (linked < 0 && errno != EEXIST)
			break;
	}
	if (linked < 0) {
		/* no /proc, or the filesystem refuses links: fall back */
		free(tmp);
		close(fd);
		return 0;
	}
	close(fd);
	if (place(tmp, path, no_replace) < 0) {
		int e = errno;
		unlink(tmp);
		*st = amt_error_set(err, AMT_E_IO, "output", AMT_NO_OFFSET,
				    "%s: %s failed: %s; nothing was written", path,
				    no_replace ? "placing the new file" : "rename", strerror(e));
		free(tmp);
		return 1;
	}
	free(tmp);
	*st = finish_dir(path, dir, no_replace, err);
	return 1;
}
#endif

struct buf_ctx {
	const uint8_t *data;
	size_t size;
};

static int write_buf(int fd, void *ctx)
{
	const struct buf_ctx *b = ctx;
	return cli_write_all(fd, b->data, b->size);
}

static amt_status write_atomic(const char *path, bool no_replace, cli_writer fn, void *ctx,
				amt_error *err);

amt_status cli_write_atomic(const char *path, const uint8_t *data, size_t size, amt_error *err)
{
	struct buf_ctx b = { data, size };
	return write_atomic(path, false, write_buf, &b, err);
}

amt_status cli_write_new(const char *path, const uint8_t *data, size_t size, amt_error *err)
{
	struct buf_ctx b = { data, size };
	return write_atomic(path, true, write_buf, &b, err);
}

amt_status cli_write_atomic_with(const char *path, cli_writer fn, void *ctx, amt_error *err)
{
	return write_atomic(path, false, fn, ctx, err);
}

static amt_status write_atomic(const char *path, bool no_replace, cli_writer fn, void *ctx,
				amt_error *err)
{
	amt_status result;
	char *dup = strdup(path);
	if (!dup)
		return amt_error_set(err, AMT_E_NOMEM, "output", AMT_NO_OFFSET, "out of memory");
	char *dir = dirname(dup);
	mode_t mode = output_mode(path);

#ifdef O_TMPFILE
	if (write_tmpfile(path, dir, mode, no_replace, fn, ctx, &result, err)) {
		free(dup);
		return result;
	}
#endif
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
		result = amt_error_set(err, AMT_E_IO, "output", AMT_NO_OFFSET,
				       "%s: cannot create a temporary file in %s: %s",
				       path, dir, strerror(e));
		free(tmp);
		free(dup);
		return result;
	}
	const char *step = fill(fd, mode, fn, ctx);
	if (!step) {
		step = "close";
		int rc = close(fd);
		fd = -1;
		if (rc == 0) {
			step = no_replace ? "placing the new file" : "rename";
			if (place(tmp, path, no_replace) == 0)
				step = NULL;
		}
	}
	if (step) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		result = amt_error_set(err, AMT_E_IO, "output", AMT_NO_OFFSET,
				       "%s: %s failed: %s; nothing was written",
				       path, step, strerror(e));
	} else {
		result = finish_dir(path, dir, no_replace, err);
	}
	free(tmp);
	free(dup);
	return result;
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
