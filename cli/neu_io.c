/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Mapped input, edit window and spliced atomic output (see neu_io.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "neu_io.h"

#define MAX_INPUT (256u * 1024 * 1024)

/* The mapping is only read before anything is written: a file truncated
 * underneath us (SIGBUS) ends the program with nothing written. */
static void on_sigbus(int sig)
{
	(void)sig;
	static const char msg[] = "amtless: the input file changed while being read; nothing was written\n";
	ssize_t r = write(2, msg, sizeof(msg) - 1);
	(void)r;
	_exit(EXIT_INPUT);
}

amt_status neu_open(const char *path, struct neu_in *in, amt_error *err)
{
	memset(in, 0, sizeof(*in));
	in->fd = -1;
	int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return amt_error_set(err, AMT_E_IO, "file", AMT_NO_OFFSET, "%s: cannot open: %s", path,
				     strerror(errno));
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return amt_error_set(err, AMT_E_IO, "file", AMT_NO_OFFSET, "%s: %s", path, strerror(e));
	}
	const char *why = NULL;
	if (S_ISDIR(st.st_mode))
		why = "is a directory";
	else if (!S_ISREG(st.st_mode))
		why = "not a regular file (a FIFO, socket or device): copy the image into a file first";
	else if (st.st_size == 0)
		why = "the file is empty";
	else if ((uint64_t)st.st_size > MAX_INPUT)
		why = "larger than any SPI flash (limit 256 MiB)";
	if (why) {
		close(fd);
		return amt_error_set(err, AMT_E_IO, "file", AMT_NO_OFFSET, "%s: %s", path, why);
	}
	void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED) {
		int e = errno;
		close(fd);
		return amt_error_set(err, AMT_E_IO, "file", AMT_NO_OFFSET, "%s: cannot map: %s", path,
				     strerror(e));
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigbus;
	sigaction(SIGBUS, &sa, NULL);
	in->fd = fd;
	in->data = m;
	in->size = (size_t)st.st_size;
	return AMT_OK;
}

void neu_close(struct neu_in *in)
{
	if (in->data)
		munmap((void *)in->data, in->size);
	if (in->fd >= 0)
		close(in->fd);
	in->data = NULL;
	in->fd = -1;
}

amt_status neu_window(const struct amt_plan *p, const struct neu_in *in, uint64_t min_len,
		      uint8_t **win, size_t *wlen, size_t *out_size, amt_error *err)
{
	uint64_t w = min_len, size = in->size;
	for (size_t i = 0; i < p->nedits; i++) {
		const struct amt_edit *e = &p->edits[i];
		uint64_t end = e->offset + e->length;
		if (e->kind == AMT_EDIT_RESIZE) {
			size = e->length;
			end = e->length;
		}
		if (e->kind == AMT_EDIT_MOVE && e->src + e->length > end)
			end = e->src + e->length;
		if (end > w)
			w = end;
	}
	if (w > in->size && w > size)
		w = in->size > size ? in->size : size;
	/* the window holds whole 4 KiB pages where it can */
	uint64_t wp = (w + 0xFFF) & ~(uint64_t)0xFFF;
	if (wp <= in->size && wp <= size)
		w = wp;
	size_t copy = w < in->size ? (size_t)w : in->size;
	uint8_t *b = malloc(w ? w : 1);
	if (!b)
		return amt_error_set(err, AMT_E_NOMEM, "window", AMT_NO_OFFSET, "out of memory");
	memcpy(b, in->data, copy);
	if (w > copy)
		memset(b + copy, 0, w - copy);
	size_t bl = (size_t)w;
	/* apply: a RESIZE here only changes the total size */
	struct amt_plan q = *p;
	amt_status st = amt_plan_apply_inplace(&q, &b, &bl, err);
	if (st != AMT_OK) {
		free(b);
		return st;
	}
	*win = b;
	*wlen = bl < size ? bl : (size_t)size;
	*out_size = (size_t)size;
	return AMT_OK;
}

/* Copy in[off, off+len) to the current position of out: in the kernel when
 * it can, else through a buffer. */
static int splice_rest(int in, int out, uint64_t off, uint64_t len)
{
	loff_t io = (loff_t)off;
	while (len > 0) {
		ssize_t n = copy_file_range(in, &io, out, NULL, len > (1u << 30) ? (1u << 30) : len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP ||
			    errno == EPERM)
				break;
			return -1;
		}
		if (n == 0) {
			errno = EIO; /* the input shrank */
			return -1;
		}
		len -= (uint64_t)n;
	}
	uint8_t buf[1 << 16];
	while (len > 0) {
		size_t want = len > sizeof(buf) ? sizeof(buf) : (size_t)len;
		ssize_t n = pread(in, buf, want, (off_t)io);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		if (cli_write_all(out, buf, (size_t)n) < 0)
			return -1;
		io += n;
		len -= (uint64_t)n;
	}
	return 0;
}

struct out_ctx {
	const struct neu_in *in;
	const uint8_t *win;
	size_t wlen, out_size;
};

/* The edited window, then the rest of the input copied unchanged. */
static int write_output(int fd, void *ctx)
{
	const struct out_ctx *o = ctx;
	if (cli_write_all(fd, o->win, o->wlen < o->out_size ? o->wlen : o->out_size) < 0)
		return -1;
	if (o->out_size > o->wlen && splice_rest(o->in->fd, fd, o->wlen, o->out_size - o->wlen) < 0)
		return -1;
	return 0;
}

amt_status neu_write(const char *path, const struct neu_in *in, const uint8_t *win, size_t wlen,
		     size_t out_size, amt_error *err)
{
	struct out_ctx o = { in, win, wlen, out_size };
	return cli_write_atomic_with(path, write_output, &o, err);
}
