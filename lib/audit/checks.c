/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checks fwupd users expect, on the audit's evidence (the HFSTS
 * registers and the firmware version), each with amtless's reading and the
 * result fwupd computes from the same registers.
 *
 * fwupd: libfwupdplugin/fu-intel-me-device.c and fu-intel-me.rs @6e950496
 * (families by major: 1-5 TXE, 6-10 ME, 11-15 CSME11, 16-17 CSME16, 18+
 * CSME18; HFSTS6 Boot Guard bits for CSME11/16, HFSTS5/6 for CSME18).
 *
 * HFSTS1 bit 4, where the sources disagree:
 *  - ME 6 .. CSME 14: manufacturing mode. coreboot (skylake/me.h, me_12/13.h,
 *    cse_spec.c "ME_SPEC <= 13"), fwupd (CSME11 family) and chipsec
 *    (common.me_mfg_mode) all read it so.
 *  - CSME 15 (Tiger Lake) on: SPI protection mode, set when the flash
 *    descriptor is not protected. coreboot cse.c: "Starting from TGL
 *    platform, HFSTS1.spi_protection_mode replaces mfg_mode"; fwupd agrees
 *    from CSME 16 ("repurposed to indicate whether BIOS has write access to
 *    the flash descriptor") and names the field spi_protection_mode on
 *    CSME 18, yet still reports it as Mei.ManufacturingMode there; chipsec
 *    reads it as manufacturing mode on every generation. amtless follows
 *    coreboot: from CSME 15 the end of manufacturing is HFSTS6 bit 30 (FPF
 *    SoC lock committed, coreboot cse_spec.c), and bit 4 is reported as its
 *    own check (spi_protection). HFSTS6 bit 21 (manufacturing lock, which
 *    coreboot also requires from ME spec 16) is not used: it stays clear on
 *    fused, shipped Lenovo machines using Intel's Flexible EOM, and fwupd
 *    removed the same test (canonical/secboot#572, fwupd#8318).
 *  - Operation mode 2 on CSME 18+: fwupd scores it as debug mode
 *    (Mei.ManufacturingMode not-valid). With working state Disabled and
 *    error Disabled it is the HAP/AltMeDisable stop (coreboot bd82x6x
 *    me_status.c "Debug or Disabled by AltDisableBit"; Dasharo#883/#1035 on
 *    Meteor Lake), which amtless reports as such.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "audit_int.h"

#define BIT(v, n) (((v) >> (n)) & 1u)

const char *amt_check_name(amt_check_id id)
{
	switch (id) {
	case AMT_CHECK_MANUFACTURING_MODE: return "manufacturing_mode";
	case AMT_CHECK_SPI_PROTECTION: return "spi_protection";
	case AMT_CHECK_OVERRIDE_STRAP: return "override_strap";
	case AMT_CHECK_BOOTGUARD_ENABLED: return "bootguard_enabled";
	case AMT_CHECK_BOOTGUARD_VERIFIED: return "bootguard_verified";
	case AMT_CHECK_BOOTGUARD_ACM: return "bootguard_acm";
	case AMT_CHECK_BOOTGUARD_POLICY: return "bootguard_policy";
	case AMT_CHECK_BOOTGUARD_OTP: return "bootguard_otp";
	case AMT_CHECK_ME_VERSION: return "me_version";
	case AMT_CHECK_COUNT: break;
	}
	return "unknown";
}

const char *amt_check_hsi_id(amt_check_id id)
{
	switch (id) {
	case AMT_CHECK_MANUFACTURING_MODE: return "org.fwupd.hsi.Mei.ManufacturingMode";
	case AMT_CHECK_OVERRIDE_STRAP: return "org.fwupd.hsi.Mei.OverrideStrap";
	case AMT_CHECK_BOOTGUARD_ENABLED: return "org.fwupd.hsi.IntelBootguard.Enabled";
	case AMT_CHECK_BOOTGUARD_VERIFIED: return "org.fwupd.hsi.IntelBootguard.Verified";
	case AMT_CHECK_BOOTGUARD_ACM: return "org.fwupd.hsi.IntelBootguard.Acm";
	case AMT_CHECK_BOOTGUARD_POLICY: return "org.fwupd.hsi.IntelBootguard.Policy";
	case AMT_CHECK_BOOTGUARD_OTP: return "org.fwupd.hsi.IntelBootguard.Otp";
	case AMT_CHECK_ME_VERSION: return "org.fwupd.hsi.Mei.Version";
	case AMT_CHECK_SPI_PROTECTION: case AMT_CHECK_COUNT: break;
	}
	return NULL;
}

const char *amt_check_status_str(amt_check_status s)
{
	switch (s) {
	case AMT_CHECK_PASS: return "pass";
	case AMT_CHECK_FAIL: return "fail";
	case AMT_CHECK_UNKNOWN: return "unknown";
	case AMT_CHECK_NOT_APPLICABLE: break;
	}
	return "not_applicable";
}

const char *amt_hsi_result_str(amt_hsi_result r)
{
	switch (r) {
	case AMT_HSI_VALID: return "valid";
	case AMT_HSI_NOT_VALID: return "not-valid";
	case AMT_HSI_ENABLED: return "enabled";
	case AMT_HSI_NOT_ENABLED: return "not-enabled";
	case AMT_HSI_LOCKED: return "locked";
	case AMT_HSI_NOT_LOCKED: return "not-locked";
	case AMT_HSI_NOT_SUPPORTED: return "not-supported";
	case AMT_HSI_NONE: break;
	}
	return NULL;
}

/* ---- fwupd's version table (Mei.Version) ---------------------------- */

/* fu-intel-me-device.c verdata[]: "data from
 * https://downloadcenter.intel.com/download/28632" (Intel CSME Version
 * Detection Tool); fwupd names no advisory for these rows. */
enum fw_family { FAM_UNKNOWN, FAM_TXE, FAM_ME, FAM_CSME11, FAM_CSME16, FAM_CSME18 };

static const struct { enum fw_family fam; unsigned major, minor, patch_ge; } csmevdt[] = {
	{ FAM_TXE, 3, 1, 92 }, { FAM_TXE, 4, 0, 45 },
	{ FAM_CSME11, 11, 8, 92 }, { FAM_CSME11, 11, 12, 92 }, { FAM_CSME11, 11, 22, 92 },
	{ FAM_CSME11, 12, 0, 90 }, { FAM_CSME11, 13, 0, 60 }, { FAM_CSME11, 13, 30, 30 },
	{ FAM_CSME11, 13, 50, 20 }, { FAM_CSME11, 14, 1, 65 }, { FAM_CSME11, 14, 5, 45 },
	{ FAM_CSME11, 15, 0, 40 }, { FAM_CSME11, 15, 40, 20 },
};

static enum fw_family family_of(int major)
{
	if (major <= 0) return FAM_UNKNOWN;
	if (major <= 5) return FAM_TXE;  /* fwupd: "not completely true" */
	if (major <= 10) return FAM_ME;
	if (major <= 15) return FAM_CSME11;
	if (major <= 17) return FAM_CSME16;
	return FAM_CSME18;
}

/* 1 vulnerable, 0 patched or not in the table (fwupd: "not vulnerable") */
static int csmevdt_vulnerable(const unsigned v[4], unsigned *fixed_patch)
{
	enum fw_family fam = family_of((int)v[0]);
	for (size_t i = 0; i < sizeof(csmevdt) / sizeof(csmevdt[0]); i++)
		if (csmevdt[i].fam == fam && csmevdt[i].major == v[0] && csmevdt[i].minor == v[1]) {
			*fixed_patch = csmevdt[i].patch_ge;
			return v[2] < csmevdt[i].patch_ge;
		}
	return 0;
}

/* ---- Boot Guard, as fwupd decodes it ----------------------------------- */

/* CSME 11-17 (HFSTS6); returns the result for one Boot Guard check */
static amt_hsi_result bg_csme11(amt_check_id id, uint32_t h6)
{
	if (BIT(h6, 28)) /* boot_guard_disable */
		return AMT_HSI_NOT_ENABLED;
	switch (id) {
	case AMT_CHECK_BOOTGUARD_ENABLED: return AMT_HSI_ENABLED;
	case AMT_CHECK_BOOTGUARD_VERIFIED: return BIT(h6, 9) ? AMT_HSI_VALID : AMT_HSI_NOT_VALID;
	case AMT_CHECK_BOOTGUARD_ACM: return BIT(h6, 0) ? AMT_HSI_VALID : AMT_HSI_NOT_VALID;
	case AMT_CHECK_BOOTGUARD_POLICY: {
		unsigned pol = (h6 >> 6) & 3; /* 2 shutdown now, 3 shutdown after 30 min */
		return pol == 2 || pol == 3 ? AMT_HSI_VALID : AMT_HSI_NOT_VALID;
	}
	case AMT_CHECK_BOOTGUARD_OTP: return BIT(h6, 30) ? AMT_HSI_VALID : AMT_HSI_NOT_VALID;
	default: break;
	}
	return AMT_HSI_NONE;
}

/* CSME 18+ (HFSTS5 Boot Guard status, HFSTS6 FPF lock) */
static amt_hsi_result bg_csme18(amt_check_id id, uint32_t h5, uint32_t h6)
{
	switch (id) {
	case AMT_CHECK_BOOTGUARD_ENABLED: return BIT(h5, 1) ? AMT_HSI_ENABLED : AMT_HSI_NOT_ENABLED;
	case AMT_CHECK_BOOTGUARD_ACM:
		if (!BIT(h5, 0))
			return AMT_HSI_NOT_VALID;
		return BIT(h5, 8) ? AMT_HSI_VALID : AMT_HSI_NOT_ENABLED;
	case AMT_CHECK_BOOTGUARD_OTP: return BIT(h6, 30) ? AMT_HSI_VALID : AMT_HSI_NOT_VALID;
	default: break;
	}
	return AMT_HSI_NONE;
}

/* What fwupd reports, from the same registers. fwupd takes the family from
 * the firmware version (fw_ver) and reads all six registers (as root). */
static bool fwupd_view(const struct amt_audit *a, amt_hsi_result out[AMT_CHECK_COUNT])
{
	const struct amt_audit_me *me = &a->me;
	enum fw_family fam = a->fw_version_known ? family_of((int)a->fw_version[0]) : FAM_UNKNOWN;
	uint32_t h1 = me->hfsts[0], h5 = me->hfsts[4], h6 = me->hfsts[5];

	for (int i = 0; i < AMT_CHECK_COUNT; i++)
		out[i] = AMT_HSI_NONE;
	if ((fam == FAM_CSME11 || fam == FAM_CSME16) && me->nhfsts >= 6) {
		if (fam == FAM_CSME11)
			out[AMT_CHECK_MANUFACTURING_MODE] = BIT(h1, 4) ? AMT_HSI_NOT_LOCKED : AMT_HSI_LOCKED;
		out[AMT_CHECK_OVERRIDE_STRAP] = ((h1 >> 16) & 0xF) == 4 ? AMT_HSI_NOT_LOCKED : AMT_HSI_LOCKED;
		for (int i = AMT_CHECK_BOOTGUARD_ENABLED; i <= AMT_CHECK_BOOTGUARD_OTP; i++)
			out[i] = bg_csme11((amt_check_id)i, h6);
	} else if (fam == FAM_CSME18 && me->nhfsts >= 6) {
		unsigned mode = (h1 >> 16) & 0xF;
		out[AMT_CHECK_MANUFACTURING_MODE] = BIT(h1, 4) ? AMT_HSI_NOT_LOCKED :
						    mode == 2 || mode == 7 ? AMT_HSI_NOT_VALID : AMT_HSI_LOCKED;
		out[AMT_CHECK_OVERRIDE_STRAP] = mode == 4 ? AMT_HSI_NOT_LOCKED : AMT_HSI_LOCKED;
		out[AMT_CHECK_BOOTGUARD_ENABLED] = bg_csme18(AMT_CHECK_BOOTGUARD_ENABLED, h5, h6);
		out[AMT_CHECK_BOOTGUARD_ACM] = bg_csme18(AMT_CHECK_BOOTGUARD_ACM, h5, h6);
		out[AMT_CHECK_BOOTGUARD_OTP] = bg_csme18(AMT_CHECK_BOOTGUARD_OTP, h5, h6);
	} else {
		out[AMT_CHECK_BOOTGUARD_ENABLED] = AMT_HSI_NOT_SUPPORTED;
		return false; /* fwupd adds no Mei.Version either */
	}
	unsigned fixed;
	if ((h1 & 0xF) == 4)
		out[AMT_CHECK_ME_VERSION] = AMT_HSI_NOT_ENABLED; /* "disabled, perhaps HAP?" */
	else
		out[AMT_CHECK_ME_VERSION] = csmevdt_vulnerable(a->fw_version, &fixed) ?
					    AMT_HSI_NOT_VALID : AMT_HSI_VALID;
	return true;
}

/* ---- amtless's readings ---------------------------------------------- */

static void set(struct amt_audit_check *c, amt_check_status st, amt_hsi_result r, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void set(struct amt_audit_check *c, amt_check_status st, amt_hsi_result r, const char *fmt, ...)
{
	va_list ap;
	c->status = st;
	c->result = r;
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
	va_end(ap);
}

static void append(struct amt_audit_check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void append(struct amt_audit_check *c, const char *fmt, ...)
{
	size_t n = strlen(c->detail);
	va_list ap;
	if (n + 2 >= sizeof(c->detail))
		return;
	va_start(ap, fmt);
	vsnprintf(c->detail + n, sizeof(c->detail) - n, fmt, ap);
	va_end(ap);
}

static amt_check_status status_of(amt_hsi_result r)
{
	switch (r) {
	case AMT_HSI_VALID: case AMT_HSI_ENABLED: case AMT_HSI_LOCKED: return AMT_CHECK_PASS;
	case AMT_HSI_NOT_VALID: case AMT_HSI_NOT_ENABLED: case AMT_HSI_NOT_LOCKED: return AMT_CHECK_FAIL;
	case AMT_HSI_NOT_SUPPORTED: return AMT_CHECK_NOT_APPLICABLE;
	case AMT_HSI_NONE: break;
	}
	return AMT_CHECK_UNKNOWN;
}

static void check_mfg(struct amt_audit *a, struct amt_audit_check *c)
{
	const struct amt_audit_me *me = &a->me;
	uint32_t h1 = me->hfsts[0];

	if (me->nhfsts == 0) {
		set(c, AMT_CHECK_UNKNOWN, AMT_HSI_NONE, "HFSTS1 not visible");
		return;
	}
	switch (me->bit4_meaning) {
	case AMT_BIT4_MANUFACTURING_MODE:
		if (BIT(h1, 4))
			set(c, AMT_CHECK_FAIL, AMT_HSI_NOT_LOCKED,
			    "ME in manufacturing mode (HFSTS1 bit 4 set, its meaning up to CSME 14)");
		else
			set(c, AMT_CHECK_PASS, AMT_HSI_LOCKED, "not in manufacturing mode (HFSTS1 bit 4 clear)");
		break;
	case AMT_BIT4_SPI_PROTECTION_MODE:
		if (me->nhfsts < 6) {
			set(c, AMT_CHECK_UNKNOWN, AMT_HSI_NONE,
			    "from CSME 15 the end of manufacturing shows in HFSTS6, which is not visible here");
		} else if (BIT(me->hfsts[5], 30)) {
			set(c, AMT_CHECK_PASS, AMT_HSI_LOCKED,
			    "end of manufacturing done: field programmable fuses committed (HFSTS6 bit 30, coreboot cse_spec.c)");
		} else {
			set(c, AMT_CHECK_FAIL, AMT_HSI_NOT_LOCKED,
			    "end of manufacturing not done: field programmable fuses not committed (HFSTS6 bit 30 clear)");
		}
		break;
	case AMT_BIT4_UNKNOWN:
		set(c, AMT_CHECK_UNKNOWN, AMT_HSI_NONE,
		    "generation unknown: HFSTS1 bit 4 is manufacturing mode up to CSME 14, SPI protection mode from CSME 15");
		break;
	}
}

static void check_spi(struct amt_audit *a, struct amt_audit_check *c)
{
	const struct amt_audit_me *me = &a->me;

	if (me->nhfsts == 0) {
		set(c, AMT_CHECK_UNKNOWN, AMT_HSI_NONE, "HFSTS1 not visible");
	} else if (me->bit4_meaning == AMT_BIT4_MANUFACTURING_MODE) {
		set(c, AMT_CHECK_NOT_APPLICABLE, AMT_HSI_NONE,
		    "before CSME 15 HFSTS1 bit 4 is manufacturing mode, not SPI protection");
	} else if (me->bit4_meaning == AMT_BIT4_UNKNOWN) {
		set(c, AMT_CHECK_UNKNOWN, AMT_HSI_NONE, "generation unknown");
	} else if (BIT(me->hfsts[0], 4)) {
		set(c, AMT_CHECK_FAIL, AMT_HSI_NOT_LOCKED,
		    "SPI protection mode off (HFSTS1 bit 4 set): the host has write access to the flash descriptor (coreboot cse.c)");
	} else {
		set(c, AMT_CHECK_PASS, AMT_HSI_LOCKED, "SPI protection mode on (HFSTS1 bit 4 clear): the flash descriptor is protected");
	}
}

static void check_override(struct amt_audit *a, struct amt_audit_check *c)
{
	const struct amt_audit_me *me = &a->me;
	unsigned mode = (me->hfsts[0] >> 16) & 0xF;

	if (me->nhfsts == 0)
		set(c, AMT_CHECK_UNKNOWN, AMT_HSI_NONE, "HFSTS1 not visible");
	else if (mode == 4)
		set(c, AMT_CHECK_FAIL, AMT_HSI_NOT_LOCKED,
		    "security override by the jumper/strap (operation mode 4, HDA_SDO / FDOPSS): flash protection overridden");
	else if (mode == 5)
		set(c, AMT_CHECK_FAIL, AMT_HSI_NOT_LOCKED,
		    "security override by an MEI message (operation mode 5, HMRFPO): flash protection overridden");
	else
		set(c, AMT_CHECK_PASS, AMT_HSI_LOCKED, "no security override (operation mode %u)", mode);
}

static void check_bootguard(struct amt_audit *a, amt_check_id id, struct amt_audit_check *c)
{
	const struct amt_audit_me *me = &a->me;
	int major = me->major;

	if (major < 0) {
		set(c, AMT_CHECK_UNKNOWN, AMT_HSI_NONE, "generation unknown");
	} else if (major < 11) {
		set(c, AMT_CHECK_NOT_APPLICABLE, AMT_HSI_NONE, "Boot Guard status is read from HFSTS5/6 on CSME 11 and later only");
	} else if (me->nhfsts < 6) {
		set(c, AMT_CHECK_UNKNOWN, AMT_HSI_NONE, "HFSTS5/HFSTS6 not visible");
	} else if (major >= 18) {
		amt_hsi_result r = bg_csme18(id, me->hfsts[4], me->hfsts[5]);
		if (r == AMT_HSI_NONE)
			set(c, AMT_CHECK_NOT_APPLICABLE, AMT_HSI_NONE, "not reported on CSME 18 and later");
		else
			set(c, status_of(r), r, "from %s (CSME 18 layout, fwupd fu-intel-me.rs)",
			    id == AMT_CHECK_BOOTGUARD_OTP ? "HFSTS6" : "HFSTS5");
	} else {
		amt_hsi_result r = bg_csme11(id, me->hfsts[5]);
		set(c, status_of(r), r, "from HFSTS6 (CSME 11-17 layout, fwupd fu-intel-me.rs)%s",
		    BIT(me->hfsts[5], 28) ? ": Boot Guard disabled (bit 28)" : "");
	}
}

static void check_version(struct amt_audit *a, struct amt_audit_check *c)
{
	const struct amt_audit_me *me = &a->me;
	char ids[160] = "";
	bool yes = false, maybe = false;
	unsigned fixed;

	for (unsigned i = 0; i < a->nadvisories; i++) {
		size_t n = strlen(ids);
		snprintf(ids + n, sizeof(ids) - n, "%s%s", n ? ", " : "", a->advisories[i].row->id);
		yes |= a->advisories[i].applies == AMT_TRI_YES;
		maybe |= a->advisories[i].applies != AMT_TRI_YES;
	}
	if (amt_me_disabled_by_strap(me->state)) {
		set(c, AMT_CHECK_PASS, AMT_HSI_NOT_ENABLED,
		    "the ME is stopped by the disable strap: its firmware does not run past hardware init");
		if (a->nadvisories)
			append(c, " (the version is in %s)", ids);
		return;
	}
	if (!a->fw_version_known) {
		set(c, AMT_CHECK_UNKNOWN, AMT_HSI_NONE,
		    "firmware version not reported (fw_ver missing or zero); asking the ME over MEI (as root) gives it");
		return;
	}
	int vuln = csmevdt_vulnerable(a->fw_version, &fixed);
	if (yes) {
		set(c, AMT_CHECK_FAIL, AMT_HSI_NOT_VALID, "%u.%u.%u.%u is affected by %s",
		    a->fw_version[0], a->fw_version[1], a->fw_version[2], a->fw_version[3], ids);
	} else if (vuln) {
		set(c, AMT_CHECK_FAIL, AMT_HSI_NOT_VALID,
		    "%u.%u.%u.%u is below %u.%u.%u, the fixed version of Intel's CSME Version Detection Tool table as fwupd carries it (no advisory named there)",
		    a->fw_version[0], a->fw_version[1], a->fw_version[2], a->fw_version[3],
		    a->fw_version[0], a->fw_version[1], fixed);
	} else if (maybe) {
		set(c, AMT_CHECK_UNKNOWN, AMT_HSI_NONE,
		    "%u.%u.%u.%u is affected by %s if this is manageability (AMT/ISM/SBT) firmware, which is not proven here",
		    a->fw_version[0], a->fw_version[1], a->fw_version[2], a->fw_version[3], ids);
	} else {
		set(c, AMT_CHECK_PASS, AMT_HSI_VALID,
		    "%u.%u.%u.%u: in no row of amtless's advisory table (INTEL-SA-00075, -00082, -00086, -00295) nor below fwupd's fixed versions",
		    a->fw_version[0], a->fw_version[1], a->fw_version[2], a->fw_version[3]);
	}
}

/* Where fwupd's result differs, say why. (When fwupd has no view at all,
 * the renderers say so once, from fwupd_has_view.) */
static void explain_fwupd(struct amt_audit *a, amt_check_id id, struct amt_audit_check *c)
{
	const struct amt_audit_me *me = &a->me;
	unsigned mode = (me->hfsts[0] >> 16) & 0xF;
	int vmajor = a->fw_version_known ? (int)a->fw_version[0] : -1;

	c->differs = c->fwupd != AMT_HSI_NONE && c->fwupd != AMT_HSI_NOT_SUPPORTED &&
		     c->result != AMT_HSI_NONE && c->fwupd != c->result;
	if (!a->fwupd_has_view)
		return;
	if (c->fwupd == AMT_HSI_NONE && c->result != AMT_HSI_NONE &&
	    id == AMT_CHECK_MANUFACTURING_MODE && family_of(vmajor) == FAM_CSME16) {
		append(c, "; fwupd reports no manufacturing mode on CSME 16/17");
		return;
	}
	if (!c->differs)
		return;
	switch (id) {
	case AMT_CHECK_MANUFACTURING_MODE:
		if (family_of(vmajor) == FAM_CSME18 && !BIT(me->hfsts[0], 4) && mode == 2 &&
		    amt_me_disabled_by_strap(me->state))
			append(c, "; fwupd scores operation mode 2 as debug mode (not-valid), but with working state Disabled and error Disabled it is the HAP/AltMeDisable stop (coreboot bd82x6x me_status.c; Dasharo#883, #1035)");
		else if (BIT(me->hfsts[0], 4) && me->bit4_meaning == AMT_BIT4_SPI_PROTECTION_MODE)
			append(c, "; fwupd reads HFSTS1 bit 4 as manufacturing mode (not-locked), but from CSME 15 it is the SPI protection mode (coreboot cse.c), reported by spi_protection%s",
			       mode == 2 && amt_me_disabled_by_strap(me->state) ?
			       "; and operation mode 2 is the HAP stop here, not debug mode" : "");
		else
			append(c, "; fwupd reads HFSTS1 bit 4 alone");
		break;
	case AMT_CHECK_OVERRIDE_STRAP:
		append(c, "; fwupd flags only the jumper (operation mode 4), not an override by MEI message (5)");
		break;
	case AMT_CHECK_ME_VERSION:
		if (c->result == AMT_HSI_NOT_VALID)
			append(c, "; fwupd's table (Intel CSME Version Detection Tool) has no row for this version");
		else
			append(c, "; fwupd says %s", amt_hsi_result_str(c->fwupd));
		break;
	default:
		append(c, "; fwupd decodes the generation of firmware version %d, amtless the generation %d", vmajor, me->major);
		break;
	}
}

void audit_checks(struct amt_audit *a)
{
	amt_hsi_result fw[AMT_CHECK_COUNT];

	memset(a->checks, 0, sizeof(a->checks));
	check_mfg(a, &a->checks[AMT_CHECK_MANUFACTURING_MODE]);
	check_spi(a, &a->checks[AMT_CHECK_SPI_PROTECTION]);
	check_override(a, &a->checks[AMT_CHECK_OVERRIDE_STRAP]);
	for (int i = AMT_CHECK_BOOTGUARD_ENABLED; i <= AMT_CHECK_BOOTGUARD_OTP; i++)
		check_bootguard(a, (amt_check_id)i, &a->checks[i]);
	check_version(a, &a->checks[AMT_CHECK_ME_VERSION]);
	a->fwupd_has_view = fwupd_view(a, fw);
	for (int i = 0; i < AMT_CHECK_COUNT; i++) {
		a->checks[i].fwupd = fw[i];
		explain_fwupd(a, (amt_check_id)i, &a->checks[i]);
	}
}
