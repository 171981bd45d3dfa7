/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ME firmware versions affected by published Intel security advisories.
 *
 * Only advisories for which a public table gives the affected versions,
 * each row with its source. Versions are major.minor.hotfix.build as the
 * kernel's fw_ver and MKHI GET_FW_VERSION report them; "from" and "to" are
 * both inclusive, 65535 stands for "any". Left out on purpose:
 *  - INTEL-SA-00404 (CVE-2020-8758): the sources read disagree on the
 *    bound (Greenbone 1.3.6.1.4.1.25623.1.0.144540: "prior to 11.8.79,
 *    11.12.79, 11.22.79, 12.0.68, 14.0.39"; other write-ups: up to and
 *    including those versions, or before 11.8.80 / 12.0.70 / 14.0.45);
 *  - CVE-2019-14598 (CSME 12.0 < 12.0.49, 13.0 < 13.0.21, 14.0 < 14.0.11,
 *    Tom's Hardware / ZDNet, February 2020): no source read names its
 *    advisory number;
 *  - TXE and SPS rows (the live audit cannot tell a TXE 3.0 or SPS 4.0
 *    version from an ME one by the version alone).
 */
#include <string.h>

#include "audit_int.h"

#define ANY 65535

static const char SRC_SA75[] =
	"Intel INTEL-SA-00075; fixed versions per branch as listed by Tenable Nessus plugin 97998 "
	"(\"Intel manageability firmware 6.x prior to 6.2.61.3535 ... 11.5.x or 11.6.x prior to "
	"11.6.27.3264\"); Intel: consumer firmware is not affected";
static const char SRC_SA82[] =
	"Intel INTEL-SA-00082 as listed by Greenbone NVT 1.3.6.1.4.1.25623.1.0.811809 "
	"(AMT 11.0.25.3001 and 11.0.26.3000)";
static const char SRC_SA86[] =
	"Intel INTEL-SA-00086 (\"ME Firmware versions 11.0/11.5/11.6/11.7/11.10/11.20\"), "
	"as quoted from US-CERT and by Greenbone NVT 1.3.6.1.4.1.25623.1.0.812221";
static const char SRC_SA295[] =
	"Intel support article 000056594 (INTEL-SA-00295, 2020-06-08): updated version / "
	"replaces versions table for CSME, AMT, DAL and Standard Manageability";

#define CVE75 "CVE-2017-5689"
#define CVE82 "CVE-2017-5698"
#define CVE86 "CVE-2017-5705, CVE-2017-5706, CVE-2017-5707, CVE-2017-5708, CVE-2017-5709, " \
	      "CVE-2017-5710, CVE-2017-5711, CVE-2017-5712"
#define CVE295 "CVE-2020-0531, CVE-2020-0532, CVE-2020-0534 ... CVE-2020-0596, CVE-2020-8674 " \
	       "(see the advisory)"

static const struct amt_advisory table[] = {
	/* INTEL-SA-00075: AMT / ISM / SBT only */
	{ "INTEL-SA-00075", CVE75, { 6, 0, 0, 0 }, { 6, 2, 61, 3534 }, "6.2.61.3535", AMT_ADV_MANAGEABILITY_ONLY, SRC_SA75 },
	{ "INTEL-SA-00075", CVE75, { 7, 0, 0, 0 }, { 7, 1, 91, 3271 }, "7.1.91.3272", AMT_ADV_MANAGEABILITY_ONLY, SRC_SA75 },
	{ "INTEL-SA-00075", CVE75, { 8, 0, 0, 0 }, { 8, 1, 71, 3607 }, "8.1.71.3608", AMT_ADV_MANAGEABILITY_ONLY, SRC_SA75 },
	{ "INTEL-SA-00075", CVE75, { 9, 0, 0, 0 }, { 9, 1, 41, 3023 }, "9.1.41.3024", AMT_ADV_MANAGEABILITY_ONLY, SRC_SA75 },
	{ "INTEL-SA-00075", CVE75, { 9, 5, 0, 0 }, { 9, 5, 61, 3011 }, "9.5.61.3012", AMT_ADV_MANAGEABILITY_ONLY, SRC_SA75 },
	{ "INTEL-SA-00075", CVE75, { 10, 0, 0, 0 }, { 10, 0, 55, 2999 }, "10.0.55.3000", AMT_ADV_MANAGEABILITY_ONLY, SRC_SA75 },
	/* 11.0: the 11.0.18 and 11.0.22 lines got their own fixed builds */
	{ "INTEL-SA-00075", CVE75, { 11, 0, 0, 0 }, { 11, 0, 17, ANY }, "11.0.25.3001", AMT_ADV_MANAGEABILITY_ONLY, SRC_SA75 },
	{ "INTEL-SA-00075", CVE75, { 11, 0, 18, 0 }, { 11, 0, 18, 3002 }, "11.0.18.3003", AMT_ADV_MANAGEABILITY_ONLY, SRC_SA75 },
	{ "INTEL-SA-00075", CVE75, { 11, 0, 19, 0 }, { 11, 0, 21, ANY }, "11.0.25.3001", AMT_ADV_MANAGEABILITY_ONLY, SRC_SA75 },
	{ "INTEL-SA-00075", CVE75, { 11, 0, 22, 0 }, { 11, 0, 22, 3000 }, "11.0.22.3001", AMT_ADV_MANAGEABILITY_ONLY, SRC_SA75 },
	{ "INTEL-SA-00075", CVE75, { 11, 0, 23, 0 }, { 11, 0, 25, 3000 }, "11.0.25.3001", AMT_ADV_MANAGEABILITY_ONLY, SRC_SA75 },
	/* 11.5 / 11.6: the 11.6.12 line got its own fixed build */
	{ "INTEL-SA-00075", CVE75, { 11, 5, 0, 0 }, { 11, 6, 11, ANY }, "11.6.27.3264", AMT_ADV_MANAGEABILITY_ONLY, SRC_SA75 },
	{ "INTEL-SA-00075", CVE75, { 11, 6, 12, 0 }, { 11, 6, 12, 3201 }, "11.6.12.3202", AMT_ADV_MANAGEABILITY_ONLY, SRC_SA75 },
	{ "INTEL-SA-00075", CVE75, { 11, 6, 13, 0 }, { 11, 6, 27, 3263 }, "11.6.27.3264", AMT_ADV_MANAGEABILITY_ONLY, SRC_SA75 },

	/* INTEL-SA-00082: two AMT builds */
	{ "INTEL-SA-00082", CVE82, { 11, 0, 25, 3001 }, { 11, 0, 25, 3001 }, NULL, AMT_ADV_MANAGEABILITY_ONLY, SRC_SA82 },
	{ "INTEL-SA-00082", CVE82, { 11, 0, 26, 3000 }, { 11, 0, 26, 3000 }, NULL, AMT_ADV_MANAGEABILITY_ONLY, SRC_SA82 },

	/* INTEL-SA-00086: every build of these minors; the fixes came as later
	 * minors (11.8, 11.11, 11.21), which the source does not list */
	{ "INTEL-SA-00086", CVE86, { 11, 0, 0, 0 }, { 11, 0, ANY, ANY }, NULL, AMT_ADV_ALL_FIRMWARE, SRC_SA86 },
	{ "INTEL-SA-00086", CVE86, { 11, 5, 0, 0 }, { 11, 7, ANY, ANY }, NULL, AMT_ADV_ALL_FIRMWARE, SRC_SA86 },
	{ "INTEL-SA-00086", CVE86, { 11, 10, 0, 0 }, { 11, 10, ANY, ANY }, NULL, AMT_ADV_ALL_FIRMWARE, SRC_SA86 },
	{ "INTEL-SA-00086", CVE86, { 11, 20, 0, 0 }, { 11, 20, ANY, ANY }, NULL, AMT_ADV_ALL_FIRMWARE, SRC_SA86 },

	/* INTEL-SA-00295 */
	{ "INTEL-SA-00295", CVE295, { 11, 0, 0, 0 }, { 11, 8, 76, ANY }, "11.8.77", AMT_ADV_ALL_FIRMWARE, SRC_SA295 },
	{ "INTEL-SA-00295", CVE295, { 11, 10, 0, 0 }, { 11, 11, 76, ANY }, "11.11.77", AMT_ADV_ALL_FIRMWARE, SRC_SA295 },
	{ "INTEL-SA-00295", CVE295, { 11, 20, 0, 0 }, { 11, 22, 76, ANY }, "11.22.77", AMT_ADV_ALL_FIRMWARE, SRC_SA295 },
	{ "INTEL-SA-00295", CVE295, { 12, 0, 0, 0 }, { 12, 0, 63, ANY }, "12.0.64", AMT_ADV_ALL_FIRMWARE, SRC_SA295 },
	{ "INTEL-SA-00295", CVE295, { 13, 0, 0, 0 }, { 13, 0, 31, ANY }, "13.0.32", AMT_ADV_ALL_FIRMWARE, SRC_SA295 },
	{ "INTEL-SA-00295", CVE295, { 14, 0, 0, 0 }, { 14, 0, 32, ANY }, "14.0.33", AMT_ADV_ALL_FIRMWARE, SRC_SA295 },
	{ "INTEL-SA-00295", CVE295, { 14, 5, 11, 0 }, { 14, 5, 11, ANY }, "14.5.12", AMT_ADV_ALL_FIRMWARE, SRC_SA295 },
};

const struct amt_advisory *amt_advisory_table(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

static int cmp4(const unsigned v[4], const uint16_t w[4])
{
	for (int i = 0; i < 4; i++)
		if (v[i] != w[i])
			return v[i] < w[i] ? -1 : 1;
	return 0;
}

void audit_advisories(struct amt_audit *a)
{
	const struct amt_audit_me *me = &a->me;

	a->nadvisories = 0;
	a->fw_version_known = false;
	memset(a->fw_version, 0, sizeof(a->fw_version));
	if (me->fw_ver_known) {
		a->fw_version_known = true;
		a->fw_version[0] = me->fw_major;
		a->fw_version[1] = me->fw_minor;
		a->fw_version[2] = me->fw_hotfix;
		a->fw_version[3] = me->fw_build;
	} else if (a->probe.fw_version_known) {
		a->fw_version_known = true;
		a->fw_version[0] = a->probe.fw_major;
		a->fw_version[1] = a->probe.fw_minor;
		a->fw_version[2] = a->probe.fw_hotfix;
		a->fw_version[3] = a->probe.fw_build;
	}
	if (!a->fw_version_known || me->state == AMT_ME_SERVER_FW)
		return;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct amt_advisory *r = &table[i];
		if (cmp4(a->fw_version, r->from) < 0 || cmp4(a->fw_version, r->to) > 0)
			continue;
		amt_audit_tri applies = AMT_TRI_YES;
		if (r->scope == AMT_ADV_MANAGEABILITY_ONLY) {
			if (me->sku == AMT_SKU_CONSUMER || me->sku == AMT_SKU_LITE ||
			    a->corporate_me == AMT_TRI_NO)
				continue; /* consumer firmware carries no AMT code */
			if (a->corporate_me != AMT_TRI_YES)
				applies = AMT_TRI_UNKNOWN;
		}
		bool dup = false;
		for (unsigned k = 0; k < a->nadvisories; k++)
			dup |= !strcmp(a->advisories[k].row->id, r->id);
		if (dup || a->nadvisories >= AMT_AUDIT_MAX_ADVISORIES)
			continue;
		a->advisories[a->nadvisories].row = r;
		a->advisories[a->nadvisories].applies = applies;
		a->nadvisories++;
	}
}
