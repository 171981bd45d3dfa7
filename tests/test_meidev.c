/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The real /dev/mei transport (lib/audit/meidev.c) against the emulated MEI
 * peer: meidev.c is compiled into this program and open/ioctl/write/poll/
 * read/close are wrapped (-Wl,--wrap; open is open64 with meson's default
 * _FILE_OFFSET_BITS=64) so that a fake device path reaches the
 * peer. Checks the connect ioctl number and UUID byte order, message
 * passing, timeouts and the errors a real device gives.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <amtless/audit.h>

#include "audit_peer.h"

#ifndef AUDIT_FIXTURES_DIR
#define AUDIT_FIXTURES_DIR "tests/fixtures/audit"
#endif

#define FAKE_DEV "/fake/dev/mei0"

static struct audit_peer peer;
static int fake_fd = -1;
static bool never_answer;
static unsigned long last_ioctl;
static uint8_t first_uuid[16];
static int nioctl;

int __real_open64(const char *path, int flags, ...);
int __real_ioctl(int fd, unsigned long req, ...);
ssize_t __real_write(int fd, const void *buf, size_t n);
ssize_t __real_read(int fd, void *buf, size_t n);
int __real_poll(struct pollfd *fds, nfds_t n, int timeout);
int __real_close(int fd);
int __wrap_open64(const char *path, int flags, ...);
int __wrap_ioctl(int fd, unsigned long req, ...);
ssize_t __wrap_write(int fd, const void *buf, size_t n);
ssize_t __wrap_read(int fd, void *buf, size_t n);
int __wrap_poll(struct pollfd *fds, nfds_t n, int timeout);
int __wrap_close(int fd);

int __wrap_open64(const char *path, int flags, ...)
{
	mode_t mode = 0;
	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (strcmp(path, FAKE_DEV))
		return __real_open64(path, flags, mode);
	if (peer.open_error) {
		errno = -peer.open_error;
		return -1;
	}
	fake_fd = __real_open64("/dev/null", O_RDWR);
	return fake_fd;
}

int __wrap_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	va_start(ap, req);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	if (fd != fake_fd || fd < 0)
		return __real_ioctl(fd, req, arg);
	uint8_t *d = arg;
	uint32_t max = 0;
	last_ioctl = req;
	if (nioctl++ == 0)
		memcpy(first_uuid, d, 16);
	int r = peer.t.connect(peer.t.ctx, d, &max);
	if (r) {
		errno = -r;
		return -1;
	}
	memset(d, 0, 16);
	d[0] = (uint8_t)max; d[1] = (uint8_t)(max >> 8);
	d[4] = 1; /* protocol version */
	return 0;
}

ssize_t __wrap_write(int fd, const void *buf, size_t n)
{
	if (fd != fake_fd || fd < 0)
		return __real_write(fd, buf, n);
	int r = peer.t.send(peer.t.ctx, buf, n);
	if (r) {
		errno = -r;
		return -1;
	}
	return (ssize_t)n;
}

int __wrap_poll(struct pollfd *fds, nfds_t n, int timeout)
{
	if (n != 1 || fds[0].fd != fake_fd || fake_fd < 0)
		return __real_poll(fds, n, timeout);
	if (never_answer || !peer.reply_ready)
		return 0; /* timeout */
	fds[0].revents = POLLIN;
	return 1;
}

ssize_t __wrap_read(int fd, void *buf, size_t n)
{
	if (fd != fake_fd || fd < 0)
		return __real_read(fd, buf, n);
	size_t got = 0;
	int r = peer.t.recv(peer.t.ctx, buf, n, &got);
	if (r) {
		errno = -r;
		return -1;
	}
	return (ssize_t)got;
}

int __wrap_close(int fd)
{
	if (fd == fake_fd && fd >= 0) {
		peer.t.disconnect(peer.t.ctx);
		fake_fd = -1;
	}
	return __real_close(fd);
}

static struct amt_audit *load(const char *name)
{
	char root[512];
	struct amt_audit *a = NULL;
	amt_error err;
	snprintf(root, sizeof(root), "%s/%s", AUDIT_FIXTURES_DIR, name);
	assert_int_equal(amt_audit_collect(root, &a, &err), AMT_OK);
	return a;
}

static bool has_evidence(const struct amt_audit *a, const char *path_part, const char *finding_part)
{
	for (size_t i = 0; i < a->nevidence; i++)
		if (strstr(a->evidence[i].path, path_part) && strstr(a->evidence[i].finding, finding_part))
			return true;
	return false;
}

static int setup(void **state)
{
	audit_peer_init_amt(&peer);
	fake_fd = -1;
	never_answer = false;
	last_ioctl = 0;
	nioctl = 0;
	memset(first_uuid, 0, sizeof(first_uuid));
	return 0;
}

static void test_probe_through_device(void **state)
{
	struct amt_mei_transport *t = amt_mei_dev_transport_new(FAKE_DEV, 50);
	struct amt_audit *a = load("corporate_skl");
	uint8_t mkhi[16];

	amt_audit_probe(a, t);
	/* _IOWR('H', 0x01, 16 bytes) as in uapi linux/mei.h */
	assert_int_equal(last_ioctl, 0xC0104801ul);
	amt_uuid_le_parse(AMT_UUID_MKHI, mkhi);
	assert_memory_equal(first_uuid, mkhi, 16);
	assert_int_equal(nioctl, 2);                 /* MKHI, then AMTHI */
	assert_int_equal(peer.bad_requests, 0);
	assert_true(a->probe.fw_version_known);
	assert_int_equal(a->probe.fw_major, 11);
	assert_int_equal(a->probe.prov, AMT_PROV_PROVISIONED);
	assert_string_equal(a->probe.amt_version, "11.8.93");
	assert_int_equal(a->verdict, AMT_VERDICT_EXPOSED);
	assert_int_equal(fake_fd, -1);               /* every connection closed */
	amt_mei_dev_transport_free(t);
	amt_audit_free(a);
}

static void test_device_errors(void **state)
{
	struct amt_mei_transport *t = amt_mei_dev_transport_new(FAKE_DEV, 50);
	struct amt_audit *a = load("corporate_skl");

	peer.open_error = -EACCES;                 /* crw------- root root */
	amt_audit_probe(a, t);
	assert_non_null(strstr(a->probe.error, "needs root"));
	assert_int_equal(nioctl, 0);
	assert_int_equal(a->verdict, AMT_VERDICT_CAPABLE);
	amt_audit_free(a);

	/* no AMTHI client: the ioctl fails with ENOTTY */
	setup(NULL);
	peer.has_amthi = false;
	a = load("corporate_skl");
	amt_audit_probe(a, t);
	assert_int_equal(a->probe.amthi_connect, -ENOTTY);
	assert_int_equal(a->probe.present, AMT_TRI_NO);
	amt_audit_free(a);

	/* the ME never answers: every request times out, nothing invented */
	setup(NULL);
	never_answer = true;
	a = load("old_kernel_pch7");
	amt_audit_probe(a, t);
	assert_true(a->probe.mkhi_connected);
	assert_false(a->probe.fw_version_known);
	assert_false(a->probe.caps_known);
	assert_int_equal(a->probe.prov, AMT_PROV_NONE);
	assert_true(has_evidence(a, "mei:MKHI", strerror(ETIMEDOUT)));
	assert_int_equal(fake_fd, -1);
	amt_audit_free(a);
	amt_mei_dev_transport_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_probe_through_device, setup),
		cmocka_unit_test_setup(test_device_errors, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
