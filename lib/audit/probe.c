/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * --probe: ask the ME over an MEI transport.
 *   MKHI (8e6a6715-...): GEN GET_FW_VERSION, FWCAPS GET_RULE 0 / 0x1D / 0x20.
 *   AMTHI (12f80028-...): GET_CODE_VERSIONS, GET_PROVISIONING_STATE.
 * Message formats: doc/formats.md#mei-clients (coreboot cse.h struct mkhi_hdr,
 * Linux bus-fixup.c struct mkhi_fw_ver_block, intel/lms MKHICommand.h,
 * GetFWCapsCommand.h, GetPlatformTypeCommand.h, AMTHIClient; mjg59
 * mei-amt-check.c). All answers are length-checked before use.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "audit_int.h"

#define RESP_MAX 4096

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static int xfer(const struct amt_mei_transport *t, const uint8_t *req, size_t len,
		uint8_t *resp, size_t cap, size_t *got)
{
	int r = t->send(t->ctx, req, len);
	if (r)
		return r;
	return t->recv(t->ctx, resp, cap, got);
}

/* MKHI reply header check: same group, command with the response bit, result 0. */
static bool mkhi_ok(struct amt_audit *a, const uint8_t *r, size_t got, uint8_t grp, uint8_t cmd,
		    const char *what)
{
	if (got < 4 || r[0] != grp || r[1] != (cmd | 0x80)) {
		audit_evidence(a, "mei:MKHI", "", "%s: malformed reply (%zu bytes)", what, got);
		return false;
	}
	if (r[3] != 0) {
		char v[8];
		snprintf(v, sizeof(v), "0x%02X", r[3]);
		audit_evidence(a, "mei:MKHI", v, "%s: ME returned an error result", what);
		return false;
	}
	return true;
}

static bool mkhi_rule(struct amt_audit *a, const struct amt_mei_transport *t, uint32_t rule,
		      uint32_t *out)
{
	uint8_t req[8] = { AMT_MKHI_GRP_FWCAPS, AMT_MKHI_FWCAPS_GET_RULE, 0, 0 };
	uint8_t resp[RESP_MAX];
	size_t got = 0;
	char what[32];

	snprintf(what, sizeof(what), "FWCAPS rule 0x%X", rule);
	wr32(req + 4, rule);
	int r = xfer(t, req, sizeof(req), resp, sizeof(resp), &got);
	if (r) {
		audit_evidence(a, "mei:MKHI", "", "%s: %s", what, strerror(-r));
		return false;
	}
	if (!mkhi_ok(a, resp, got, AMT_MKHI_GRP_FWCAPS, AMT_MKHI_FWCAPS_GET_RULE, what))
		return false;
	/* header, u32 rule id echoed, u8 length, data */
	if (got < 9 || rd32(resp + 4) != rule || resp[8] < 4 || got < 9u + resp[8]) {
		audit_evidence(a, "mei:MKHI", "", "%s: reply too short or for another rule", what);
		return false;
	}
	*out = rd32(resp + 9);
	return true;
}

static void probe_mkhi(struct amt_audit *a, const struct amt_mei_transport *t)
{
	struct amt_audit_probe *p = &a->probe;
	uint8_t uuid[16], resp[RESP_MAX];
	uint32_t maxlen = 0;
	size_t got = 0;
	char v[64];

	amt_uuid_le_parse(AMT_UUID_MKHI, uuid);
	int r = t->connect(t->ctx, uuid, &maxlen);
	if (r) {
		audit_evidence(a, "mei:MKHI", "", "MKHI client connect failed: %s", strerror(-r));
		if (r == -EACCES || r == -EPERM || r == -ENOENT)
			snprintf(p->error, sizeof(p->error), "cannot open the MEI device: %s%s", strerror(-r),
				 r == -ENOENT ? "" : " (needs root)");
		return;
	}
	p->mkhi_connected = true;

	const uint8_t ver[4] = { AMT_MKHI_GRP_GEN, AMT_MKHI_GET_FW_VERSION, 0, 0 };
	r = xfer(t, ver, sizeof(ver), resp, sizeof(resp), &got);
	if (r) {
		audit_evidence(a, "mei:MKHI", "", "GET_FW_VERSION: %s", strerror(-r));
	} else if (mkhi_ok(a, resp, got, AMT_MKHI_GRP_GEN, AMT_MKHI_GET_FW_VERSION, "GET_FW_VERSION")) {
		if (got >= 12) {
			/* code block: minor u16, major u8, platform u8, build u16, hotfix u16 (bus-fixup.c) */
			p->fw_version_known = true;
			p->fw_minor = rd16(resp + 4);
			p->fw_major = resp[6];
			p->fw_build = rd16(resp + 8);
			p->fw_hotfix = rd16(resp + 10);
			snprintf(v, sizeof(v), "%u.%u.%u.%u", p->fw_major, p->fw_minor, p->fw_hotfix, p->fw_build);
			audit_evidence(a, "mei:MKHI GET_FW_VERSION", v, "ME firmware version (code partition)");
		} else {
			audit_evidence(a, "mei:MKHI GET_FW_VERSION", "", "reply too short");
		}
	}
	if ((p->caps_known = mkhi_rule(a, t, AMT_MKHI_RULE_FW_SKU, &p->caps))) {
		snprintf(v, sizeof(v), "0x%08X", p->caps);
		audit_evidence(a, "mei:MKHI rule 0 (FW capabilities)", v, "AMT capability bit 2 %s; KVM bit 18 %s",
			       p->caps & AMT_MKHI_CAP_AMT ? "set" : "clear", p->caps & (1u << 18) ? "set" : "clear");
	}
	if ((p->platform_known = mkhi_rule(a, t, AMT_MKHI_RULE_PLATFORM_TYPE, &p->platform))) {
		snprintf(v, sizeof(v), "0x%08X", p->platform);
		audit_evidence(a, "mei:MKHI rule 0x1D (platform type)", v, "image type %u (%s), brand %u (%s)",
			       amt_mkhi_image_type(p->platform),
			       amt_mkhi_image_type(p->platform) == 4 ? "corporate" :
			       amt_mkhi_image_type(p->platform) == 3 ? "consumer" : "other",
			       amt_mkhi_brand(p->platform), amt_mkhi_brand_str(amt_mkhi_brand(p->platform)));
	}
	if ((p->features_known = mkhi_rule(a, t, AMT_MKHI_RULE_FEATURE_STATE, &p->features))) {
		snprintf(v, sizeof(v), "0x%08X", p->features);
		audit_evidence(a, "mei:MKHI rule 0x20 (features enabled)", v, "AMT feature %s",
			       p->features & AMT_MKHI_CAP_AMT ? "enabled" : "not enabled");
	}
	t->disconnect(t->ctx);
}

/* AMTHI request: u8 major 1, u8 minor 1, u16 reserved, u32 command, u32 length. */
static int amthi_cmd(struct amt_audit *a, const struct amt_mei_transport *t, uint32_t cmd,
		     uint8_t *resp, size_t cap, size_t *payload_len, uint32_t *status)
{
	uint8_t req[12] = { 1, 1, 0, 0 };
	size_t got = 0;
	char what[40];

	snprintf(what, sizeof(what), "mei:AMTHI 0x%08X", cmd);
	wr32(req + 4, cmd);
	wr32(req + 8, 0);
	int r = xfer(t, req, sizeof(req), resp, cap, &got);
	if (r) {
		audit_evidence(a, what, "", "%s", strerror(-r));
		return r;
	}
	/* response header: version, reserved, command | 0x800000, length; then status */
	if (got < 16 || resp[0] != 1 || rd32(resp + 4) != (cmd | AMT_AMTHI_RESPONSE_BIT)) {
		audit_evidence(a, what, "", "malformed reply (%zu bytes)", got);
		return -EPROTO;
	}
	uint32_t len = rd32(resp + 8);
	if (len < 4 || len > got - 12) {
		audit_evidence(a, what, "", "reply length %u does not fit the %zu bytes received", len, got);
		return -EPROTO;
	}
	*status = rd32(resp + 12);
	*payload_len = len - 4; /* after the status */
	return 0;
}

static void copy_str20(char *dst, const uint8_t *src, uint16_t len)
{
	size_t n = len > 20 ? 20 : len;
	size_t j = 0;
	for (size_t i = 0; i < n && src[i]; i++)
		dst[j++] = (src[i] >= 0x20 && src[i] < 0x7F) ? (char)src[i] : '?';
	dst[j] = 0;
}

static void probe_amthi(struct amt_audit *a, const struct amt_mei_transport *t)
{
	struct amt_audit_probe *p = &a->probe;
	uint8_t uuid[16], resp[RESP_MAX];
	uint32_t maxlen = 0, status = 0;
	size_t plen = 0;
	char v[64];

	amt_uuid_le_parse(AMT_UUID_AMTHI, uuid);
	int r = t->connect(t->ctx, uuid, &maxlen);
	p->amthi_connect = r;
	if (r) {
		if (r == -ENOTTY && p->mkhi_connected) {
			p->present = AMT_TRI_NO;
			audit_evidence(a, "mei:AMTHI", "ENOTTY", "the firmware has no AMTHI client: no AMT");
		} else {
			audit_evidence(a, "mei:AMTHI", "", "connect failed: %s", strerror(-r));
		}
		return;
	}
	p->present = AMT_TRI_YES;
	audit_evidence(a, "mei:AMTHI", "connected", "AMT host interface client exists: AMT firmware present");

	if (!amthi_cmd(a, t, AMT_AMTHI_GET_CODE_VERSIONS, resp, sizeof(resp), &plen, &status)) {
		p->amthi_status = status;
		if (status == AMT_AMTHI_STATUS_DISABLED) {
			p->enabled = AMT_TRI_NO;
		} else if (status == 0 && plen >= 65 + 4) {
			const uint8_t *q = resp + 16 + 65;
			uint32_t count = rd32(q);
			q += 4;
			size_t avail = plen - 65 - 4;
			p->enabled = AMT_TRI_YES;
			for (uint32_t i = 0; i < count && i < 50 && avail >= 44; i++, q += 44, avail -= 44) {
				char d[21], ver[21];
				copy_str20(d, q + 2, rd16(q));
				copy_str20(ver, q + 24, rd16(q + 22));
				if (p->nversions < AMT_AUDIT_MAX_VERSIONS) {
					snprintf(p->versions[p->nversions].desc, 21, "%s", d);
					snprintf(p->versions[p->nversions].ver, 21, "%s", ver);
					p->nversions++;
				}
				if (!strcmp(d, "AMT"))
					snprintf(p->amt_version, sizeof(p->amt_version), "%s", ver);
				else if (!strcmp(d, "Sku"))
					snprintf(p->sku_string, sizeof(p->sku_string), "%s", ver);
			}
			audit_evidence(a, "mei:AMTHI GET_CODE_VERSIONS", p->amt_version,
				       "AMT version (%u version entries)", p->nversions);
		}
	}
	if (p->enabled != AMT_TRI_NO &&
	    !amthi_cmd(a, t, AMT_AMTHI_GET_PROVISIONING_STATE, resp, sizeof(resp), &plen, &status)) {
		p->amthi_status = status;
		if (status == AMT_AMTHI_STATUS_DISABLED) {
			p->enabled = AMT_TRI_NO;
		} else if (status == 0 && plen >= 1) {
			unsigned st = resp[16];
			p->enabled = AMT_TRI_YES;
			p->prov = st == 0 ? AMT_PROV_UNPROVISIONED : st == 1 ? AMT_PROV_BEING_PROVISIONED :
				  st == 2 ? AMT_PROV_PROVISIONED : AMT_PROV_UNKNOWN;
			snprintf(v, sizeof(v), "%u", st);
			audit_evidence(a, "mei:AMTHI GET_PROVISIONING_STATE", v, "AMT %s",
				       amt_prov_state_str(p->prov));
		} else {
			snprintf(v, sizeof(v), "0x%X", status);
			audit_evidence(a, "mei:AMTHI GET_PROVISIONING_STATE", v, "AMTHI status not success");
		}
	}
	if (p->enabled == AMT_TRI_NO)
		audit_evidence(a, "mei:AMTHI", "status 0x4000", "AMT is present but disabled");
	t->disconnect(t->ctx);
}

void amt_audit_probe(struct amt_audit *a, const struct amt_mei_transport *t)
{
	memset(&a->probe, 0, sizeof(a->probe));
	audit_evidence_drop_prefix(a, "mei:");
	a->probe.probed = true;
	a->probe.amthi_connect = 1; /* not tried */
	if (!t || !t->connect || !t->send || !t->recv || !t->disconnect) {
		snprintf(a->probe.error, sizeof(a->probe.error), "no MEI transport");
		amt_audit_decide(a);
		return;
	}
	probe_mkhi(a, t);
	if (!a->probe.error[0])
		probe_amthi(a, t);
	amt_audit_decide(a);
}
