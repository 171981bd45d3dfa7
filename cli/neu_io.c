/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The mapped input of the neutralizing commands (see neu_io.h). */
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

#include <amtless/image.h>
#include <amtless/neutralize.h>

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


bool neu_min_region(const uint8_t *data, size_t size, const struct amt_parse_opts *po,
		    bool full_image, uint64_t *min)
{
	struct amt_neutralize_opts no;
	struct amt_neutralization *res = NULL;
	amt_error err;
	amt_neutralize_opts_init(&no);
	no.set_disable_bit = full_image;
	no.platform = po->platform_override;
	no.hap_override = po->hap_override;
	no.plan_only = true;
	bool ok = amt_neutralize(data, size, &no, &res, &err) == AMT_OK && res &&
		  res->outcome == AMT_NEU_OUTCOME_PLANNED;
	*min = ok ? res->plan.min_me_size : 0;
	amt_neutralization_free(res);
	return ok;
}

const char *neu_hint(amt_reason r)
{
	switch (r) {
	case AMT_R_PLATFORM_UNKNOWN:
	case AMT_R_PLATFORM_AMBIGUOUS:
	case AMT_R_PLATFORM_MISMATCH:
		return "if you know the platform, name it with --platform KEY "
		       "(keys: amtless inspect --help)";
	case AMT_R_PLATFORM_NO_SOURCE:
		return "no public source gives this platform's disable bit; if you know it "
		       "(e.g. from a vendor tool's descriptor, see amtless diff), "
		       "--expert-disable-bit PCHSTRPn:BIT writes it, unverified";
	case AMT_R_SIGNED_DESCRIPTOR:
		return "--allow-signed-descriptor writes it anyway (the platform may not boot)";
	case AMT_R_DESCRIPTOR_ONLY:
		return "on a flash descriptor alone, --disable-bit-only sets only the disable bit "
		       "(and 'amtless enable-me' clears it)";
	case AMT_R_OPT_NEEDS_FULL_IMAGE:
		return "the disable bit needs the flash descriptor (the full image, or the "
		       "descriptor alone with --disable-bit-only); --restrict-me-access, "
		       "--shrink-region and --extract-* need the full flash image";
	case AMT_R_REDUCE_NOTHING:
	case AMT_R_NOTHING_TO_DO:
		return "on a full image the HAP bit alone neutralizes it (the default)";
	default:
		return NULL;
	}
}
