/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which chipset is this descriptor for, and where is its ME-disable
 * strap (MeDisable / AltMeDisable / HAP)? Facts and their sources:
 * disable-bit-locations.md and anchors.md B1. Rule: when the straps and
 * the firmware do not identify the platform unambiguously, refuse to
 * guess (disable.located = false, reason in disable.note).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define DASHARO_HAP "Dasharo coreboot util/ifdtool/ifdtool.c ifd2_platform_get_hap_location"

static const struct amt_platform_desc platforms[] = {
	{ AMT_PLAT_ICH8_10, "ich", "ICH8-ICH10 (ME 2-5)", AMT_DIS_MEDISABLE, 0, 0,
	  "me_cleaner.py gen 1 (ICHSTRP0 bit 0 + MCHSTRP0 bit 0); ifdtool fpsba_set_altmedisable",
	  false },
	{ AMT_PLAT_IBX_WPT, "ibx", "Ibex Peak .. Wildcat Point (5-9 series, ME 6-10)",
	  AMT_DIS_ALTMEDISABLE, 10, 7,
	  "me_cleaner.py gen 2 (PCHSTRP10 bit 7); ifdtool; corna/me_cleaner#53", false },
	{ AMT_PLAT_BYT_BSW, "byt", "Bay Trail / Braswell SoC (TXE 1-2)", AMT_DIS_ALTMEDISABLE, 10, 7,
	  "me_cleaner.py sets PCHSTRP10 bit 7 for every generation-2 image, TXE 1/2 included "
	  "(me_cleaner.py @43612a6, gen == 2 branch)", false },
	{ AMT_PLAT_SPT_KBP, "spt", "Sunrise Point / Kaby Point (100/200 series, ME 11)", AMT_DIS_HAP,
	  0, 16, "me_cleaner.py gen 3; ifdtool; " DASHARO_HAP " (PLATFORM_SKLKBL); corna/me_cleaner#53",
	  false },
	{ AMT_PLAT_CNP_LP, "cnp-lp", "Cannon Point-LP / Comet Point-LP (CFL-U, WHL, CML-U)", AMT_DIS_HAP,
	  28, 16, DASHARO_HAP " (CNL-LP); Dasharo me_12.h; corna/me_cleaner#282", false },
	{ AMT_PLAT_CNP_H, "cnp-h", "Cannon Point-H / Comet Point-H (300 series, CML-H/S)", AMT_DIS_HAP,
	  32, 16, DASHARO_HAP " (CML-H/S); Dasharo me_12.h (COMETLAKE_S); corna/me_cleaner#282",
	  false },
	{ AMT_PLAT_CMP_V, "cmp-v", "Comet Point-V (CML-V)", AMT_DIS_HAP, 0, 16,
	  DASHARO_HAP " (CML-V); Dasharo me_12.h (COMETLAKE_V)", false },
	{ AMT_PLAT_JSP, "jsp", "Jasper Point (Jasper Lake, CSME 13.5)", AMT_DIS_HAP, 26, 16,
	  DASHARO_HAP " (PLATFORM_JSL); Dasharo me_13.h; intel_fw docs/knowledge.md", false },
	{ AMT_PLAT_ICP_LP, "icp-lp", "Ice Point-LP (Ice Lake, CSME 13)", AMT_DIS_HAP, 30, 16,
	  "CONFLICT: " DASHARO_HAP " detects ICL-LP via PCHSTRP30 but returns PCHSTRP37; "
	  "MangoKiwi fork claims PCHSTRP28 (disable-bit-locations.md)", true },
	{ AMT_PLAT_ICX_D, "icx-d", "Ice Lake-D", AMT_DIS_HAP, 56, 16,
	  DASHARO_HAP " (ICX-D, marked unconfirmed there)", true },
	{ AMT_PLAT_TGP_LP, "tgp-lp", "Tiger Point-LP (TGL-U/UP3/UP4, CSME 15)", AMT_DIS_HAP, 31, 16,
	  DASHARO_HAP " (TGL-LP); Dasharo me_15.h", false },
	{ AMT_PLAT_TGP_H, "tgp-h", "Tiger Point-H (TGL-H, RKL on 500 series)", AMT_DIS_HAP, 37, 16,
	  DASHARO_HAP " (TGL-H/RKL); Dasharo me_15.h; corna/me_cleaner#384", false },
	{ AMT_PLAT_MCC, "mcc", "Mule Creek Canyon (Elkhart Lake, CSME 15.40)", AMT_DIS_HAP, 33, 16,
	  DASHARO_HAP " (PLATFORM_EHL); Dasharo me_15.h", false },
	{ AMT_PLAT_ADP_P, "adp-p", "Alder Point-P/N (ADL-P/N, RPL-P)", AMT_DIS_HAP, 31, 16,
	  DASHARO_HAP " (RPL-P/ADL-N/P); Dasharo me_16.h; corna/me_cleaner#403", false },
	{ AMT_PLAT_ADP_S_B0, "adp-s", "Alder Point-S B0 / Raptor Point-S (600/700 series desktop)",
	  AMT_DIS_HAP, 55, 16, DASHARO_HAP " (ADL-S B0/RPL-S); Dasharo me_16.h (ALDERLAKE_PCH_S)",
	  false },
	{ AMT_PLAT_ADP_S_A0, "adp-s-a0", "Alder Point-S A0", AMT_DIS_HAP, 52, 16,
	  DASHARO_HAP " (ADL-S A0)", false },
	{ AMT_PLAT_MTL, "mtl", "Meteor Lake-U/H (CSME 18)", AMT_DIS_HAP, 71, 16,
	  DASHARO_HAP " (PLATFORM_MTL); Dasharo me_18.h", false },
	{ AMT_PLAT_LBG, "lbg", "Lewisburg (C620 series)", AMT_DIS_HAP, 53, 16,
	  DASHARO_HAP " (PLATFORM_LBG) only", false },
	{ AMT_PLAT_DNV, "dnv", "Denverton", AMT_DIS_HAP, 14, 16,
	  DASHARO_HAP " (PLATFORM_DNV) only", false },
	{ AMT_PLAT_APL_GLK, "apl", "Apollo Lake / Gemini Lake (TXE 3/4)", AMT_DIS_HAP, 11, 7,
	  DASHARO_HAP " (APL/GLK: \"can be only set through SMIP? Couldn't get it to work on GLK\")",
	  true },
};

#define NPLATFORMS (sizeof(platforms) / sizeof(platforms[0]))

const struct amt_platform_desc *amt_platform_get(amt_platform_id id)
{
	for (size_t i = 0; i < NPLATFORMS; i++)
		if (platforms[i].id == id)
			return &platforms[i];
	return NULL;
}

/* Other names users may type for the same strap location. */
static const struct {
	const char *alias, *key;
} aliases[] = {
	{ "ich8", "ich" }, { "ich9", "ich" }, { "ich10", "ich" },
	{ "cpt", "ibx" }, { "ppt", "ibx" }, { "lpt", "ibx" }, { "wpt", "ibx" },
	{ "bsw", "byt" }, { "kbp", "spt" }, { "skl", "spt" }, { "kbl", "spt" },
	{ "cmp-lp", "cnp-lp" }, { "cml-u", "cnp-lp" }, { "cmp-h", "cnp-h" }, { "cmp-s", "cnp-h" },
	{ "cml-s", "cnp-h" }, { "cml-v", "cmp-v" }, { "jsl", "jsp" }, { "icl-lp", "icp-lp" },
	{ "tgl-lp", "tgp-lp" }, { "tgl-h", "tgp-h" }, { "rkl", "tgp-h" }, { "ehl", "mcc" },
	{ "adp-n", "adp-p" }, { "rpl-p", "adp-p" }, { "adl-p", "adp-p" }, { "adl-n", "adp-p" },
	{ "rpl-s", "adp-s" }, { "adl-s", "adp-s" }, { "glk", "apl" },
};

const struct amt_platform_desc *amt_platform_by_key(const char *key)
{
	if (!key)
		return NULL;
	for (size_t i = 0; i < NPLATFORMS; i++)
		if (!strcmp(platforms[i].key, key))
			return &platforms[i];
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(aliases[i].alias, key))
			return amt_platform_by_key(aliases[i].key);
	return NULL;
}

/* ---- strap discriminators (Dasharo ifdtool ifd2_platform_get_hap_location) ---- */

/* Strap value, or false when the descriptor has fewer straps. */
static bool strap(const struct amt_ifd *ifd, unsigned i, uint32_t *v)
{
	if (i >= ifd->npchstrp)
		return false;
	*v = ifd->pchstrp[i];
	return true;
}

/* Bits 8:1 of a strap equal val. */
static bool s81(const struct amt_ifd *ifd, unsigned i, uint32_t val)
{
	uint32_t v = 0;
	return strap(ifd, i, &v) && ((v >> 1) & 0xFF) == val;
}

static bool seq(const struct amt_ifd *ifd, unsigned i, uint32_t val)
{
	uint32_t v = 0;
	return strap(ifd, i, &v) && v == val;
}

/* A rule: pattern of straps naming a platform. `strong` rules test
 * specific non-zero values; weak ones test only for zero/non-zero and
 * are used only when the firmware names the family. */
struct rule {
	amt_platform_id id;
	bool strong;
	const char *what;
	bool (*match)(const struct amt_ifd *ifd);
};

static bool m_cnp_lp(const struct amt_ifd *f)
{
	uint32_t v = 0;
	return seq(f, 0, 0) && strap(f, 28, &v) && ((v >> 4) & 0xFFF) == 0x1B;
}
static bool m_cmp_v(const struct amt_ifd *f)
{
	uint32_t v = 0;
	return strap(f, 0, &v) && v != 0 && seq(f, 28, 0);
}
static bool m_cnp_h(const struct amt_ifd *f)
{
	return seq(f, 0, 0) && seq(f, 28, 0);
}
static bool m_tgp_h(const struct amt_ifd *f)
{
	return s81(f, 37, 0x18) && seq(f, 31, 0);
}
static bool m_tgp_lp(const struct amt_ifd *f)
{
	uint32_t v = 0;
	return s81(f, 31, 0x18) && strap(f, 37, &v) && (v >> 16) == 0;
}
static bool m_adp_s_b0(const struct amt_ifd *f)
{
	return seq(f, 52, 0x10081008) && s81(f, 55, 0x58);
}
static bool m_adp_p(const struct amt_ifd *f)
{
	return seq(f, 52, 0x00000300) && s81(f, 31, 0x18);
}
static bool m_adp_s_a0(const struct amt_ifd *f)
{
	return !seq(f, 52, 0x10081008) && s81(f, 52, 0x58) && seq(f, 49, 0x10081008);
}
static bool m_icx_d(const struct amt_ifd *f)
{
	return s81(f, 56, 0x98) && seq(f, 30, 0);
}
static bool m_icp_lp(const struct amt_ifd *f)
{
	return s81(f, 30, 0x98) && seq(f, 56, 0x68070000);
}

enum family { F_NONE, F_CNL, F_TGL, F_ADL, F_ICL };

static const struct {
	enum family fam;
	struct rule r;
} rules[] = {
	/* CNL family: "prioritize CML-V detection" (Dasharo order) */
	{ F_CNL, { AMT_PLAT_CMP_V, false, "PCHSTRP0 != 0 and PCHSTRP28 == 0", m_cmp_v } },
	{ F_CNL, { AMT_PLAT_CNP_H, false, "PCHSTRP0 == 0 and PCHSTRP28 == 0", m_cnp_h } },
	{ F_CNL, { AMT_PLAT_CNP_LP, true, "PCHSTRP0 == 0 and PCHSTRP28[15:4] == 0x1B", m_cnp_lp } },
	{ F_TGL, { AMT_PLAT_TGP_H, true, "PCHSTRP37[8:1] == 0x18 and PCHSTRP31 == 0", m_tgp_h } },
	{ F_TGL, { AMT_PLAT_TGP_LP, true, "PCHSTRP31[8:1] == 0x18 and PCHSTRP37[31:16] == 0", m_tgp_lp } },
	{ F_ADL, { AMT_PLAT_ADP_S_B0, true, "PCHSTRP52 == 0x10081008 and PCHSTRP55[8:1] == 0x58", m_adp_s_b0 } },
	{ F_ADL, { AMT_PLAT_ADP_P, true, "PCHSTRP52 == 0x00000300 and PCHSTRP31[8:1] == 0x18", m_adp_p } },
	{ F_ADL, { AMT_PLAT_ADP_S_A0, true, "PCHSTRP52[8:1] == 0x58 and PCHSTRP49 == 0x10081008", m_adp_s_a0 } },
	{ F_ICL, { AMT_PLAT_ICX_D, true, "PCHSTRP56[8:1] == 0x98 and PCHSTRP30 == 0", m_icx_d } },
	{ F_ICL, { AMT_PLAT_ICP_LP, true, "PCHSTRP30[8:1] == 0x98 and PCHSTRP56 == 0x68070000", m_icp_lp } },
};
#define NRULES (sizeof(rules) / sizeof(rules[0]))

static const char *family_name(enum family f)
{
	switch (f) {
	case F_CNL: return "Cannon Lake/Comet Lake";
	case F_TGL: return "Tiger Lake";
	case F_ADL: return "Alder Lake";
	case F_ICL: return "Ice Lake";
	default: return "?";
	}
}

/* First rule of the family that matches (Dasharo's order), or -1. */
static int match_family(const struct amt_ifd *ifd, enum family fam)
{
	for (size_t i = 0; i < NRULES; i++)
		if (rules[i].fam == fam && rules[i].r.match(ifd))
			return (int)i;
	return -1;
}

/* ---- result helpers ---- */

static void why(struct amt_ifd *ifd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void why(struct amt_ifd *ifd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ifd->platform.why, sizeof(ifd->platform.why), fmt, ap);
	va_end(ap);
}

static void note(struct amt_ifd *ifd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct amt_ifd *ifd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ifd->disable.note, sizeof(ifd->disable.note), fmt, ap);
	va_end(ap);
}

/* Refuse: platform unknown or ambiguous. */
static void refuse(struct amt_ifd *ifd, const char *reason)
{
	ifd->platform.id = AMT_PLAT_UNKNOWN;
	ifd->platform.name = NULL;
	why(ifd, "%s", reason);
	ifd->disable.located = false;
	ifd->disable.state = AMT_UNKNOWN;
	note(ifd, "disable bit not located: %s; refusing to guess (name the platform with --platform)",
	     reason);
}

static void set_loc(struct amt_strap_bit *b, const struct amt_ifd *ifd, const uint8_t *data,
		    size_t size, const char *sect, uint32_t base, unsigned index, unsigned bit)
{
	/* index < AMT_IFD_MAX_STRAPS: the mask only bounds the text */
	snprintf(b->strap, sizeof(b->strap), "%.8s%u", sect, index & 0xFFFu);
	b->index = index;
	b->bit = bit;
	b->file_offset = ifd->offset + base + 4ull * index + bit / 8;
	b->byte_bit = bit % 8;
	b->set = amt_in(size, b->file_offset, 1) && (data[b->file_offset] >> b->byte_bit) & 1;
}

/* Signed descriptor (FDV, anchors.md B1 / MEA.py): a strap byte outside
 * every exclusion range is covered by the descriptor hash, so changing
 * it breaks the signature. Say so in the note. */
static void fdv_check(struct amt_ifd *ifd)
{
	if (!ifd->fdv.present)
		return;
	struct amt_disable_bit *d = &ifd->disable;
	for (unsigned i = 0; i < d->nloc; i++) {
		uint64_t rel = d->loc[i].file_offset - ifd->offset;
		bool excluded = false;
		for (unsigned k = 0; k < ifd->fdv.nexcl && k < 8; k++)
			if (rel >= ifd->fdv.excl_start[k] && rel < ifd->fdv.excl_end[k])
				excluded = true;
		if (!excluded) {
			size_t l = strlen(d->note);
			snprintf(d->note + l, sizeof(d->note) - l,
				 "%ssigned descriptor (FDV manifest at 0x%llx): %s is inside the "
				 "hashed range, changing it invalidates the descriptor signature",
				 l ? "; " : "", (unsigned long long)ifd->fdv.manifest_offset,
				 d->loc[i].strap);
			return;
		}
	}
}

/* Fill disable from the platform's table entry. */
static void locate(struct amt_ifd *ifd, const uint8_t *data, size_t size,
		   const struct amt_platform_desc *p)
{
	struct amt_disable_bit *d = &ifd->disable;
	d->kind = p->kind;
	d->source = p->source;
	d->nloc = 0;
	if (p->kind == AMT_DIS_MEDISABLE) {
		if (ifd->npchstrp < 1) {
			d->located = false;
			note(ifd, "%s: the descriptor has no ICH strap (ISL = 0)", p->name);
			return;
		}
		set_loc(&d->loc[d->nloc++], ifd, data, size, "ICHSTRP", ifd->fpsba, 0, 0);
		if (ifd->nmchstrp >= 1)
			set_loc(&d->loc[d->nloc++], ifd, data, size, "MCHSTRP", ifd->fmsba, 0, 0);
		else
			note(ifd, "no MCH strap section (MSL = 0): only ICHSTRP0 bit 0 is located");
	} else {
		if (p->strap_index >= ifd->npchstrp) {
			d->located = false;
			d->state = AMT_UNKNOWN;
			note(ifd, "%s keeps the disable bit in PCHSTRP%u, but this descriptor has only "
			     "%u PCH straps (PSL)", p->name, p->strap_index, ifd->npchstrp);
			return;
		}
		set_loc(&d->loc[d->nloc++], ifd, data, size, "PCHSTRP", ifd->fpsba,
			p->strap_index, p->bit);
	}
	d->located = true;
	unsigned nset = 0;
	for (unsigned i = 0; i < d->nloc; i++)
		nset += d->loc[i].set;
	d->state = nset == d->nloc ? AMT_YES : AMT_NO;
	if (nset && nset < d->nloc)
		note(ifd, "partially set: %s is set but %s is not",
		     d->loc[0].set ? d->loc[0].strap : d->loc[1].strap,
		     d->loc[0].set ? d->loc[1].strap : d->loc[0].strap);
	if (p->doubtful) {
		ifd->platform.ambiguous = true;
		note(ifd, "doubtful location (%s)", p->source);
	}
	fdv_check(ifd);
}

static void accept(struct amt_ifd *ifd, const uint8_t *data, size_t size, amt_platform_id id)
{
	const struct amt_platform_desc *p = amt_platform_get(id);
	ifd->platform.id = id;
	ifd->platform.name = p->name;
	ifd->platform.source = p->source;
	ifd->platform.ambiguous = p->doubtful;
	locate(ifd, data, size, p);
}

/* Pre-500-series PCHs have no FLMAP3 (ifdtool prints it for 500/600/800
 * series only) and the extended-region master encoding exists from CNL
 * on (ifdtool platform_has_extended_regions: CNL, JSL, TGL, ADL, MTL). */
static void refine_ifd(struct amt_ifd *ifd)
{
	switch (ifd->platform.id) {
	case AMT_PLAT_TGP_LP: case AMT_PLAT_TGP_H: case AMT_PLAT_ADP_P:
	case AMT_PLAT_ADP_S_B0: case AMT_PLAT_ADP_S_A0: case AMT_PLAT_MTL:
		break;
	case AMT_PLAT_UNKNOWN:
		return;
	default:
		ifd->has_flmap3 = false;
	}
	if (ifd->version != 2)
		return;
	switch (ifd->platform.id) {
	case AMT_PLAT_CNP_LP: case AMT_PLAT_CNP_H: case AMT_PLAT_CMP_V: case AMT_PLAT_JSP:
	case AMT_PLAT_TGP_LP: case AMT_PLAT_TGP_H: case AMT_PLAT_ADP_P:
	case AMT_PLAT_ADP_S_B0: case AMT_PLAT_ADP_S_A0: case AMT_PLAT_MTL:
		amt_ifd_decode_masters(ifd, true);
		break;
	default:
		amt_ifd_decode_masters(ifd, false);
	}
}

/* Apply a family's rules; fw_hint says the firmware named the family
 * (weak rules allowed). Returns true when accepted. */
static bool by_family(struct amt_ifd *ifd, const uint8_t *data, size_t size, enum family fam,
		      const char *hint)
{
	int r = match_family(ifd, fam);
	if (r < 0) {
		char buf[200];
		snprintf(buf, sizeof(buf), "%s; the PCH straps match none of the known %s "
			 "patterns (unusual descriptor)", hint, family_name(fam));
		refuse(ifd, buf);
		return false;
	}
	accept(ifd, data, size, rules[r].r.id);
	why(ifd, "%s; straps: %s (%s)", hint, rules[r].r.what, DASHARO_HAP);
	return true;
}

static unsigned fw_major(const struct amt_fw *fw)
{
	return fw && fw->version_known ? fw->version.major : 0;
}

void amt_platform_identify(struct amt_ifd *ifd, const uint8_t *data, size_t size,
			   const struct amt_fw *fw, amt_platform_id override)
{
	memset(&ifd->platform, 0, sizeof(ifd->platform));
	memset(&ifd->disable, 0, sizeof(ifd->disable));
	ifd->disable.state = AMT_UNKNOWN;

	if (override != AMT_PLAT_UNKNOWN) {
		const struct amt_platform_desc *p = amt_platform_get(override);
		if (!p) {
			refuse(ifd, "the platform given with --platform is not in the table");
			return;
		}
		accept(ifd, data, size, override);
		why(ifd, "given by the user (--platform %s), not detected", p->key);
		if (ifd->disable.located && !p->doubtful)
			note(ifd, "location from --platform %s (%s)", p->key, p->source);
		else if (ifd->disable.located)
			note(ifd, "location from --platform %s, DOUBTFUL: %s", p->key, p->source);
		refine_ifd(ifd);
		return;
	}

	int gen = fw ? fw->generation : 0;
	amt_family fam = fw ? fw->family : AMT_FAM_UNKNOWN;
	unsigned major = fw_major(fw);
	unsigned minor = fw && fw->version_known ? fw->version.minor : 0;

	/* ICH8-10: ICH layout (signature at descriptor+0). */
	if (ifd->ich_layout) {
		if (gen >= 2) {
			refuse(ifd, "ICH8-10 descriptor layout but the ME firmware is not generation 1: conflicting");
			return;
		}
		accept(ifd, data, size, AMT_PLAT_ICH8_10);
		why(ifd, "ICH layout (signature at descriptor+0, FCBA 0x10; MEA.py, me_cleaner magic0)%s",
		    gen == 1 ? " and generation-1 firmware" : "");
		refine_ifd(ifd);
		return;
	}
	if (gen == 1) {
		refuse(ifd, "generation-1 firmware behind a PCH-layout descriptor: conflicting");
		return;
	}

	/* Generation 2 (ME 6-10, TXE 1-2, SPS 2-3): me_cleaner's rule. */
	if (gen == 2) {
		amt_platform_id id = fam == AMT_FAM_TXE ? AMT_PLAT_BYT_BSW : AMT_PLAT_IBX_WPT;
		accept(ifd, data, size, id);
		why(ifd, "generation-2 %s firmware (me_cleaner: PCHSTRP10 bit 7 for all of generation 2)%s",
		    fam == AMT_FAM_TXE ? "TXE" : "ME/SPS",
		    ifd->version == 2 ? "; note: the descriptor looks like IFDv2" : "");
		refine_ifd(ifd);
		return;
	}

	/* IFDv1 PCH descriptor without firmware: generation 2 chipsets. */
	if (!fw && ifd->version == 1) {
		/* ifdtool ifd1_guess_chipset: ICCRIBA < 0x31, FMSBA < 0x300,
		 * MSL 0 and ISL <= 17 => Bay Trail. Same bit either way. */
		uint32_t iccriba = (ifd->flmap[2] >> 16) & 0xFF;
		bool byt = iccriba && iccriba < 0x31 && ifd->fmsba < 0x300 && ifd->msl == 0 &&
			   ifd->psl <= 17;
		accept(ifd, data, size, byt ? AMT_PLAT_BYT_BSW : AMT_PLAT_IBX_WPT);
		why(ifd, "IFDv1 PCH-layout descriptor, no firmware: 5-9 series PCH or Bay Trail/Braswell "
		    "(%s per ifdtool ifd1_guess_chipset); both use PCHSTRP10 bit 7",
		    byt ? "Bay Trail" : "not Bay Trail");
		refine_ifd(ifd);
		return;
	}

	if (fw && gen == 3) {
		if (fam == AMT_FAM_CSTXE || (fam == AMT_FAM_TXE && major >= 3)) {
			accept(ifd, data, size, AMT_PLAT_APL_GLK);
			why(ifd, "TXE %u firmware: Apollo Lake / Gemini Lake", major);
			refine_ifd(ifd);
			return;
		}
		if (fam == AMT_FAM_CSSPS || fam == AMT_FAM_SPS) {
			int r = match_family(ifd, F_ICL);
			if (r >= 0 && rules[r].r.id == AMT_PLAT_ICX_D) {
				by_family(ifd, data, size, F_ICL, "SPS firmware");
				refine_ifd(ifd);
				return;
			}
			refuse(ifd, "server (SPS) firmware: Lewisburg, Denverton or a server PCH; no strap "
			       "pattern tells them apart");
			return;
		}
		if (major == 11) {
			accept(ifd, data, size, AMT_PLAT_SPT_KBP);
			why(ifd, "ME 11 firmware: Sunrise Point / Kaby Point (100/200 series)");
			refine_ifd(ifd);
			return;
		}
		char hint[64];
		snprintf(hint, sizeof(hint), "CSME %u.%u firmware", major, minor);
		switch (major) {
		case 12:
		case 14:
			by_family(ifd, data, size, F_CNL, hint);
			break;
		case 13:
			if (minor == 50) {
				accept(ifd, data, size, AMT_PLAT_JSP);
				why(ifd, "%s: Jasper Lake (no strap discriminator known)", hint);
			} else if (by_family(ifd, data, size, F_ICL, hint) &&
				   ifd->platform.id == AMT_PLAT_ICP_LP) {
				refuse(ifd, "Ice Lake-LP: sources conflict on the HAP strap (PCHSTRP28, 30 or 37)");
				ifd->platform.ambiguous = true;
			}
			break;
		case 15:
			if (minor == 40) {
				accept(ifd, data, size, AMT_PLAT_MCC);
				why(ifd, "%s: Elkhart Lake (no strap discriminator known)", hint);
			} else {
				by_family(ifd, data, size, F_TGL, hint);
			}
			break;
		case 16:
			by_family(ifd, data, size, F_ADL, hint);
			break;
		case 18:
			accept(ifd, data, size, AMT_PLAT_MTL);
			why(ifd, "%s: Meteor Lake (no strap discriminator known)", hint);
			break;
		default:
			/* version unknown (or an unlisted major): strong patterns only */
			break;
		}
		if (ifd->platform.id != AMT_PLAT_UNKNOWN || ifd->platform.why[0]) {
			refine_ifd(ifd);
			return;
		}
	}

	/* Descriptor alone (or firmware that names no family): only strong
	 * strap patterns, and only when exactly one matches. */
	int hit = -1, nhit = 0;
	char names[120] = "";
	size_t nl = 0;
	for (size_t i = 0; i < NRULES; i++) {
		if (!rules[i].r.strong || !rules[i].r.match(ifd))
			continue;
		nhit++;
		hit = (int)i;
		nl += (size_t)snprintf(names + nl, nl < sizeof(names) ? sizeof(names) - nl : 0, "%s%s",
				       nl ? ", " : "", amt_platform_get(rules[i].r.id)->key);
		if (nl >= sizeof(names))
			nl = sizeof(names) - 1;
	}
	if (nhit == 1 && rules[hit].r.id != AMT_PLAT_ICP_LP) {
		accept(ifd, data, size, rules[hit].r.id);
		why(ifd, "%s; straps: %s (%s)", fw ? "firmware does not name the chipset" :
		    "descriptor only", rules[hit].r.what, DASHARO_HAP);
		refine_ifd(ifd);
		return;
	}
	char buf[200];
	if (nhit == 1) {
		snprintf(buf, sizeof(buf), "straps look like Ice Lake-LP, whose HAP strap sources "
			 "disagree (PCHSTRP28, 30 or 37)");
		refuse(ifd, buf);
		ifd->platform.ambiguous = true;
	} else if (nhit > 1) {
		snprintf(buf, sizeof(buf), "straps match several platforms (%s): ambiguous", names);
		refuse(ifd, buf);
		ifd->platform.ambiguous = true;
	} else {
		snprintf(buf, sizeof(buf), "IFDv%d descriptor %s; its PCH straps match no known pattern",
			 ifd->version, fw ? "and firmware that does not name the chipset" :
			 "without ME firmware");
		refuse(ifd, buf);
	}
}
