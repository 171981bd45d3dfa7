/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Emulated MEI peer: see audit_peer.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "audit_peer.h"

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int peer_connect(void *ctx, const uint8_t uuid[16], uint32_t *max_len)
{
	struct audit_peer *p = ctx;
	uint8_t mkhi[16], amthi[16];

	p->connects++;
	p->connected = 0;
	p->reply_ready = false;
	if (p->open_error)
		return p->open_error;
	amt_uuid_le_parse(AMT_UUID_MKHI, mkhi);
	amt_uuid_le_parse(AMT_UUID_AMTHI, amthi);
	if (!memcmp(uuid, mkhi, 16) && p->has_mkhi) {
		p->connected = 1;
		snprintf(p->last_client, sizeof(p->last_client), "%s", AMT_UUID_MKHI);
	} else if (!memcmp(uuid, amthi, 16) && p->has_amthi) {
		p->connected = 2;
		snprintf(p->last_client, sizeof(p->last_client), "%s", AMT_UUID_AMTHI);
	} else {
		return -ENOTTY; /* main.c: unknown client UUID */
	}
	if (max_len)
		*max_len = 512;
	return 0;
}

static void mkhi_reply(struct audit_peer *p, const uint8_t *req, size_t len)
{
	uint8_t *r = p->reply;

	if (len < 4 || req[2] != 0 || req[3] != 0 || (req[1] & 0x80)) {
		p->bad_requests++;
		return;
	}
	r[0] = req[0];
	r[1] = (uint8_t)(req[1] | (p->wrong_response_bit ? 0 : 0x80));
	r[2] = 0;
	r[3] = 0;
	if (req[0] == AMT_MKHI_GRP_GEN && req[1] == AMT_MKHI_GET_FW_VERSION && len == 4) {
		/* code, recovery, FITC: minor u16, major u8, platform u8, build u16, hotfix u16 */
		for (int i = 0; i < 3; i++) {
			uint8_t *b = r + 4 + 8 * i;
			put16(b, p->fw_minor);
			b[2] = (uint8_t)p->fw_major;
			b[3] = 0;
			put16(b + 4, p->fw_build);
			put16(b + 6, p->fw_hotfix);
		}
		p->reply_len = 4 + 24;
	} else if (req[0] == AMT_MKHI_GRP_FWCAPS && req[1] == AMT_MKHI_FWCAPS_GET_RULE && len == 8) {
		uint32_t rule = get32(req + 4), v;
		if (rule == AMT_MKHI_RULE_FW_SKU)
			v = p->caps;
		else if (rule == AMT_MKHI_RULE_PLATFORM_TYPE)
			v = p->platform;
		else if (rule == AMT_MKHI_RULE_FEATURE_STATE)
			v = p->features;
		else {
			r[3] = 0x89; /* some non-success result */
			p->reply_len = 4;
			p->reply_ready = true;
			return;
		}
		put32(r + 4, rule);
		r[8] = 4;
		put32(r + 9, v);
		p->reply_len = 13;
	} else {
		p->bad_requests++;
		r[3] = 0x89;
		p->reply_len = 4;
	}
	p->reply_ready = true;
}

static void put_str20(uint8_t *b, const char *s)
{
	size_t n = strlen(s);
	if (n > 20)
		n = 20;
	put16(b, (uint16_t)n);
	memset(b + 2, 0, 20);
	memcpy(b + 2, s, n);
}

static void amthi_reply(struct audit_peer *p, const uint8_t *req, size_t len)
{
	uint8_t *r = p->reply;

	if (len != 12 || req[0] != 1 || req[1] != 1 || get32(req + 8) != 0) {
		p->bad_requests++;
		return;
	}
	uint32_t cmd = get32(req + 4);
	r[0] = 1; r[1] = 1; r[2] = 0; r[3] = 0;
	put32(r + 4, cmd | (p->wrong_response_bit ? 0 : AMT_AMTHI_RESPONSE_BIT));
	put32(r + 12, p->amthi_status);
	size_t payload = 0;
	if (p->amthi_status == 0 && cmd == AMT_AMTHI_GET_CODE_VERSIONS) {
		static const char *const desc[] = { "Flash", "Netstack", "AMTApps", "AMT", "Sku", "VendorID", "Build Number" };
		const char *ver[] = { p->amt_version, p->amt_version, p->amt_version, p->amt_version, "16392", "8086", "4323" };
		uint8_t *q = r + 16;
		memset(q, 0, 65);
		memcpy(q, "N1CET91W", 8);             /* BIOS version string[65] */
		put32(q + 65, 7);
		q += 69;
		for (int i = 0; i < 7; i++, q += 44) {
			put_str20(q, desc[i]);
			put_str20(q + 22, ver[i]);
		}
		payload = 65 + 4 + 7 * 44;
	} else if (p->amthi_status == 0 && cmd == AMT_AMTHI_GET_PROVISIONING_STATE) {
		put32(r + 16, p->prov_state);          /* state, low byte */
		payload = 4;
	} else if (p->amthi_status == 0) {
		put32(r + 12, 1);                      /* internal error for anything else */
	}
	put32(r + 8, (uint32_t)(4 + payload + (p->lie_length ? 100 : 0)));
	p->reply_len = 16 + payload;
	p->reply_ready = true;
}

static int peer_send(void *ctx, const uint8_t *buf, size_t len)
{
	struct audit_peer *p = ctx;

	if (!p->connected)
		return -ENODEV;
	p->requests++;
	p->reply_ready = false;
	if (p->connected == 1)
		mkhi_reply(p, buf, len);
	else
		amthi_reply(p, buf, len);
	return 0;
}

static int peer_recv(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
	struct audit_peer *p = ctx;

	if (!p->connected)
		return -ENODEV;
	if (!p->reply_ready)
		return -ETIMEDOUT; /* a real ME does not answer a malformed request */
	size_t n = p->reply_len;
	if (p->truncate_to && n > p->truncate_to)
		n = p->truncate_to;
	if (n > cap)
		return -EFBIG;
	memcpy(buf, p->reply, n);
	*got = n;
	p->reply_ready = false;
	return 0;
}

static void peer_disconnect(void *ctx)
{
	struct audit_peer *p = ctx;
	p->connected = 0;
}

void audit_peer_init_amt(struct audit_peer *p)
{
	memset(p, 0, sizeof(*p));
	p->t.ctx = p;
	p->t.connect = peer_connect;
	p->t.send = peer_send;
	p->t.recv = peer_recv;
	p->t.disconnect = peer_disconnect;
	p->has_mkhi = p->has_amthi = true;
	p->fw_major = 11; p->fw_minor = 8; p->fw_hotfix = 93; p->fw_build = 4323;
	p->caps = AMT_MKHI_CAP_AMT | (1u << 18) | (1u << 12);          /* AMT, KVM, PAVP */
	p->platform = (1u << 1) | (1u << 7) | (4u << 8) | (1u << 12);  /* desktop, prod, corporate, brand AMT */
	p->features = AMT_MKHI_CAP_AMT;
	p->amthi_status = 0;
	p->prov_state = 2;
	p->amt_version = "11.8.93";
}
