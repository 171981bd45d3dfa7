/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The real MEI transport: /dev/meiN. One open() per client connection,
 * IOCTL_MEI_CONNECT_CLIENT = _IOWR('H', 0x01, 16-byte union) (uapi
 * linux/mei.h; 0xC0104801 on x86-64), then one message per write()/read().
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <amtless/audit.h>

union mei_connect_data {
	uint8_t in_uuid[16];
	struct {
		uint32_t max_msg_length;
		uint8_t protocol_version;
		uint8_t reserved[3];
	} out;
};

#define AMT_IOCTL_MEI_CONNECT_CLIENT _IOWR('H', 0x01, union mei_connect_data)

struct meidev {
	struct amt_mei_transport t;
	char path[256];
	int fd;
	int timeout_ms;
};

static void md_disconnect(void *ctx)
{
	struct meidev *m = ctx;
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
}

static int md_connect(void *ctx, const uint8_t uuid[16], uint32_t *max_len)
{
	struct meidev *m = ctx;
	union mei_connect_data d;

	md_disconnect(m);
	m->fd = open(m->path, O_RDWR | O_CLOEXEC);
	if (m->fd < 0)
		return -errno;
	memset(&d, 0, sizeof(d));
	memcpy(d.in_uuid, uuid, 16);
	if (ioctl(m->fd, AMT_IOCTL_MEI_CONNECT_CLIENT, &d) < 0) {
		int e = -errno;
		md_disconnect(m);
		return e;
	}
	if (max_len)
		*max_len = d.out.max_msg_length;
	return 0;
}

static int md_send(void *ctx, const uint8_t *buf, size_t len)
{
	struct meidev *m = ctx;
	ssize_t r;

	if (m->fd < 0)
		return -ENOTCONN;
	do
		r = write(m->fd, buf, len);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	return (size_t)r == len ? 0 : -EIO;
}

static int md_recv(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
	struct meidev *m = ctx;
	struct pollfd pfd;
	ssize_t r;
	int pr;

	if (m->fd < 0)
		return -ENOTCONN;
	pfd.fd = m->fd;
	pfd.events = POLLIN;
	do
		pr = poll(&pfd, 1, m->timeout_ms);
	while (pr < 0 && errno == EINTR);
	if (pr < 0)
		return -errno;
	if (pr == 0)
		return -ETIMEDOUT;
	do
		r = read(m->fd, buf, cap);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	*got = (size_t)r;
	return 0;
}

struct amt_mei_transport *amt_mei_dev_transport_new(const char *path, int timeout_ms)
{
	struct meidev *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	snprintf(m->path, sizeof(m->path), "%s", path ? path : "/dev/mei0");
	m->fd = -1;
	m->timeout_ms = timeout_ms > 0 ? timeout_ms : 2000;
	m->t.ctx = m;
	m->t.connect = md_connect;
	m->t.send = md_send;
	m->t.recv = md_recv;
	m->t.disconnect = md_disconnect;
	return &m->t;
}

void amt_mei_dev_transport_free(struct amt_mei_transport *t)
{
	if (!t)
		return;
	md_disconnect(t->ctx);
	free(t->ctx);
}
