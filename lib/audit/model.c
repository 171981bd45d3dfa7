/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Evidence/reason lists, enum names, freeing. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_int.h"

static void copy_trunc(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

void audit_evidence(struct amt_audit *a, const char *path, const char *value,
		    const char *fmt, ...)
{
	if (a->nevidence >= AUDIT_MAX_EVIDENCE)
		return;
	if ((a->nevidence & (a->nevidence - 1)) == 0) { /* grow at powers of two */
		size_t cap = a->nevidence ? a->nevidence * 2 : 16;
		struct amt_audit_item *n = realloc(a->evidence, cap * sizeof(*n));
		if (!n)
			return;
		a->evidence = n;
	}
	struct amt_audit_item *it = &a->evidence[a->nevidence++];
	va_list ap;

	copy_trunc(it->path, sizeof(it->path), path);
	copy_trunc(it->value, sizeof(it->value), value);
	va_start(ap, fmt);
	vsnprintf(it->finding, sizeof(it->finding), fmt, ap);
	va_end(ap);
}

void audit_evidence_drop_prefix(struct amt_audit *a, const char *prefix)
{
	size_t j = 0, n = strlen(prefix);

	for (size_t i = 0; i < a->nevidence; i++)
		if (strncmp(a->evidence[i].path, prefix, n))
			a->evidence[j++] = a->evidence[i];
	a->nevidence = j;
}

void audit_reason(struct amt_audit *a, const char *fmt, ...)
{
	char buf[320];
	va_list ap;

	if (a->nreasons >= AUDIT_MAX_REASONS)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < a->nreasons; i++)  /* no duplicates */
		if (!strcmp(a->reasons[i], buf))
			return;
	char **n = realloc(a->reasons, (a->nreasons + 1) * sizeof(*n));
	if (!n)
		return;
	a->reasons = n;
	if (!(n[a->nreasons] = strdup(buf)))
		return;
	a->nreasons++;
}

void audit_reasons_clear(struct amt_audit *a)
{
	for (size_t i = 0; i < a->nreasons; i++)
		free(a->reasons[i]);
	free(a->reasons);
	a->reasons = NULL;
	a->nreasons = 0;
}

void amt_audit_free(struct amt_audit *a)
{
	if (!a)
		return;
	audit_reasons_clear(a);
	free(a->evidence);
	free(a);
}

const char *amt_audit_verdict_str(amt_audit_verdict v)
{
	switch (v) {
	case AMT_VERDICT_NOT_EXPOSED: return "not_exposed";
	case AMT_VERDICT_EXPOSED: return "exposed";
	case AMT_VERDICT_CAPABLE: return "capable";
	case AMT_VERDICT_CAPABLE_DISABLED: return "capable_currently_disabled";
	case AMT_VERDICT_INDETERMINATE: return "indeterminate";
	}
	return "indeterminate";
}

const char *amt_audit_tri_str(amt_audit_tri t)
{
	switch (t) {
	case AMT_TRI_NO: return "no";
	case AMT_TRI_UNLIKELY: return "unlikely";
	case AMT_TRI_LIKELY: return "likely";
	case AMT_TRI_YES: return "yes";
	case AMT_TRI_UNKNOWN: break;
	}
	return "unknown";
}

const char *amt_nic_class_str(amt_nic_class c)
{
	switch (c) {
	case AMT_NIC_AMT_CAPABLE: return "amt_capable";
	case AMT_NIC_NOT_AMT: return "not_amt";
	case AMT_NIC_WIFI_INTEL: return "wifi_intel";
	case AMT_NIC_POSSIBLE: return "possible";
	case AMT_NIC_UNKNOWN: break;
	}
	return "unknown";
}

const char *amt_me_state_str(amt_me_state s)
{
	switch (s) {
	case AMT_ME_NORMAL: return "normal";
	case AMT_ME_DISABLED_HAP: return "disabled_hap";
	case AMT_ME_DISABLED_ALTMEDISABLE: return "disabled_altmedisable";
	case AMT_ME_DISABLED_STRAP: return "disabled_strap";
	case AMT_ME_DISABLED_SOFT: return "disabled_soft";
	case AMT_ME_DISABLED_OTHER: return "disabled_other";
	case AMT_ME_SECURITY_OVERRIDE: return "security_override";
	case AMT_ME_ERROR: return "error";
	case AMT_ME_SERVER_FW: return "server_fw";
	case AMT_ME_ABSENT_OR_HIDDEN: return "absent_or_hidden";
	case AMT_ME_DRIVER_NOT_BOUND: return "driver_not_bound";
	case AMT_ME_RECOVERY: return "recovery";
	case AMT_ME_HECI_HIDDEN: return "heci_hidden";
	case AMT_ME_UNKNOWN: break;
	}
	return "unknown";
}

const char *amt_fw_sku_str(amt_fw_sku s)
{
	switch (s) {
	case AMT_SKU_CONSUMER: return "consumer";
	case AMT_SKU_CORPORATE: return "corporate";
	case AMT_SKU_LITE: return "lite";
	case AMT_SKU_IGN: return "ign";
	case AMT_SKU_SPS: return "sps";
	case AMT_SKU_CORPORATE_INFERRED: return "corporate_inferred";
	case AMT_SKU_UNKNOWN: break;
	}
	return "unknown";
}

const char *amt_prov_state_str(amt_prov_state p)
{
	switch (p) {
	case AMT_PROV_UNPROVISIONED: return "unprovisioned";
	case AMT_PROV_BEING_PROVISIONED: return "being_provisioned";
	case AMT_PROV_PROVISIONED: return "provisioned";
	case AMT_PROV_UNKNOWN: return "unknown";
	case AMT_PROV_NONE: break;
	}
	return NULL;
}

/* LMS GetPlatformTypeCommand.h Brand field */
const char *amt_mkhi_brand_str(unsigned brand)
{
	switch (brand) {
	case 0: return "none";
	case 1: return "amt";
	case 2: return "standard_manageability";
	case 3: return "l3";
	case 4: return "rpat";
	case 5: return "sbt";
	}
	return "unknown";
}
