/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which chipset is this descriptor for, and where is its ME-disable
 * strap (MeDisable / AltMeDisable / HAP)?
 *
 * One table (rows[] below), each row citing its sources. Recognition, in
 * this order:
 *  1. the descriptor's geometry, read the way flashrom's and flashprog's
 *     guess_ich_chipset read it (FLMAP2 ICCRIBA / CSSL / CSSO, FLMAP1 ISL
 *     and NM, MSL, FLUMAP1 MDTBA) - classify() below;
 *  2. where one geometry holds several platforms (Cannon/Comet Point,
 *     Tiger Point, Alder Point), the strap patterns of Dasharo's and
 *     coreboot's ifdtool pick the member;
 *  3. the ME firmware, when the image holds it, must be one the platform
 *     runs; a platform that contradicts the firmware is refused.
 * Facts: doc/formats.md#disable-bits; each row names its sources.
 * Rule: never a guessed strap. When the sources do not
 * settle the platform or its strap, disable.located stays false and the
 * typed outcome is in platform.status. Messages name no command-line
 * option: the CLI adds its own hints from the status.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* ---- sources ------------------------------------------------------------ */

#define FLASHROM "flashrom ich_descriptors.c guess_ich_chipset_from_content (b946ca13, 2026-08)"
#define FLASHPROG "flashprog ich_descriptors.c guess_ich_chipset (79d5c664, 2026-07)"
#define DIFD "Dasharo coreboot util/ifdtool/ifdtool.c ifd2_platform_get_hap_location (6233d0e1)"
#define CBIFD_TS "coreboot util/ifdtool/ifdtool.c --topswapsize, 'fixed bits for ADL-P / ADL-N' " \
	"(f4271cad0a; f0f91182)"
#define DME(n) "Dasharo coreboot intelblocks/me_" n ".h HAP_OFFSET"
#define MEH(n) "intelblocks/me_" n ".h HAP_OFFSET"
#define MEC "me_cleaner.py (corna/me_cleaner 43612a6)"

#define SRC_HECI "Dasharo coreboot eabe888c53 'Disable HECI if ME in debug or disabled mode' " \
	"(EHL, MTL); Dasharo/dasharo-issues#1035, #1114 (00:16.0 still listed with HAP on MTL)"
#define SRC_S0IX "coreboot c5b3927f93 'soc/intel: disable S0ix when ME is disabled' (S0ix " \
	"requires an operational ME; Skylake to Meteor Lake, Apollo Lake); " \
	"linuxboot/heads#1871 (MTL); system76/firmware-open#547 (TGL)"
#define SRC_HSPHY "coreboot src/soc/intel/alderlake/Kconfig INCLUDE_HSPHY_IN_FMAP and " \
	"alderlake/hsphy.c (the CPU PCIe 5.0 PHY firmware is fetched from the ME); HSPHY_FW " \
	"region of mainboard/msi/ms7d25 and ms7e06"
#define SRC_CAPSULE "Dasharo/dasharo-issues#1302 (NovaCustom TGL, ADL, MTL), Dasharo/edk2#266 " \
	"('Capsule updates are only supported while Intel ME is in HAP mode'), " \
	"Dasharo/dasharo-issues#1727 (MSI Z690/Z790)"

#define NOSRC "no public source gives its HAP location: "

/* Firmware spans: any minor, or a minor range. */
#define FW(f, a, b) { (f), (a), (b), 0, 0xFFFF }
#define FWM(f, a, b, mi, mx) { (f), (a), (b), (mi), (mx) }

/* Geometry classes (flashrom/flashprog chipset guesses, merged). */
enum geo {
	G_NONE = 0, G_ICH, G_IBX, G_CPT, G_LPT, G_BYT, G_APL, G_GLK, G_EBG, G_ARL_S, G_LBG,
	G_SPT, G_SNR, G_CNP, G_TGP, G_ADP, G_EHL, G_JSL, G_MTL, G_LNL, G_PTL, G_WCL, G_NVL,
};

struct row {
	struct amt_platform_desc d;  /* first: amt_platform_get returns &row.d */
	enum geo geo;                /* geometry that shows it; G_NONE: none known */
	enum geo geo2;               /* a second one (APL or GLK) */
	bool disputed;               /* the sources name different straps: located only
					when the caller names the platform */
};

#define S0IX AMT_HAPFX_NO_S0IX
#define HECI AMT_HAPFX_HECI_VISIBLE
#define HSPHY AMT_HAPFX_HSPHY
#define CAPS AMT_HAPFX_CAPSULE

static const struct row rows[] = {
	{ { .id = AMT_PLAT_ICH8_10, .key = "ich", .name = "ICH8-ICH10 (ME 2-5)",
	    .firmware = "ME 2-5",
	    .fingerprint = "ICH layout (signature at descriptor+0); ICCRIBA 0, ISL <= 10",
	    .fingerprint_source = FLASHROM "; MEA fd_anl; me_cleaner magic0",
	    .kind = AMT_DIS_MEDISABLE, .hap_known = true, .strap_index = 0, .bit = 0,
	    .source = MEC " generation 1 (ICHSTRP0 bit 0, MCHSTRP0 bit 0); coreboot ifdtool "
		      "fpsba_set_altmedisable",
	    .confidence = AMT_CONF_HIGH, .fw = { FW(AMT_FAM_ME, 2, 5) } }, G_ICH, G_NONE, false },
	{ { .id = AMT_PLAT_IBX_WPT, .key = "ibx",
	    .name = "Ibex Peak .. Wildcat Point (5-9 series, ME 6-10)", .firmware = "ME 6-10, SPS 2-3",
	    .fingerprint = "ICCRIBA 0, ISL 11-16 (Ibex Peak); or ICCRIBA < 0x31, FMSBA < 0x30, "
			   "MDTBA 0, MSL <= 1, ISL <= 21 (Cougar .. Lynx Point; MSL 0 with ISL <= 17 is "
			   "Bay Trail)",
	    .fingerprint_source = FLASHROM "; " FLASHPROG,
	    .kind = AMT_DIS_ALTMEDISABLE, .hap_known = true, .strap_index = 10, .bit = 7,
	    .source = MEC " generation 2 (PCHSTRP10 bit 7); coreboot ifdtool "
		      "fpsba_set_altmedisable; corna/me_cleaner#53 (ME 8: 'Alt Disable Mode')",
	    .confidence = AMT_CONF_HIGH,
	    .fw = { FW(AMT_FAM_ME, 6, 10), FW(AMT_FAM_SPS, 1, 3) } }, G_IBX, G_CPT, false },
	{ { .id = AMT_PLAT_BYT_BSW, .key = "byt", .name = "Bay Trail / Braswell SoC (TXE 1-2)",
	    .firmware = "TXE 1-2",
	    .fingerprint = "ICCRIBA < 0x31, FMSBA < 0x30, MDTBA 0, MSL 0, ISL <= 17",
	    .fingerprint_source = FLASHROM,
	    .kind = AMT_DIS_ALTMEDISABLE, .hap_known = true, .strap_index = 10, .bit = 7,
	    .source = MEC " sets PCHSTRP10 bit 7 for every generation-2 image, TXE 1/2 included",
	    .confidence = AMT_CONF_MEDIUM, .fw = { FW(AMT_FAM_TXE, 1, 2) } }, G_BYT, G_NONE, false },
	{ { .id = AMT_PLAT_SPT_KBP, .key = "spt",
	    .name = "Sunrise Point / Kaby Point (100/200 series, ME 11)", .firmware = "ME 11",
	    .fingerprint = "ICCRIBA 0x31, MDTBA 0, NM != 6",
	    .fingerprint_source = FLASHROM "; " FLASHPROG,
	    .kind = AMT_DIS_HAP, .hap_known = true, .strap_index = 0, .bit = 16,
	    .source = MEC " generation 3 (PCHSTRP0 bit 16); coreboot ifdtool; " DIFD
		      " (PLATFORM_SKLKBL); corna/me_cleaner#53",
	    .confidence = AMT_CONF_HIGH, .hap_consequences = S0IX,
	    .fw = { FW(AMT_FAM_CSME, 11, 11), FW(AMT_FAM_CSSPS, 4, 4) } }, G_SPT, G_NONE, false },
	{ { .id = AMT_PLAT_CNP_LP, .key = "cnp-lp",
	    .name = "Cannon Point-LP / Comet Point-LP (CFL-U, WHL, CML-U)",
	    .firmware = "CSME 12, 14.0-14.1",
	    .fingerprint = "ICCRIBA 0x34, MDTBA != 0 (Cannon Point; Comet Point shares it)",
	    .fingerprint_source = FLASHROM "; " FLASHPROG,
	    .straps = "PCHSTRP0 == 0, PCHSTRP28[15:4] == 0x1B", .straps_source = DIFD,
	    .kind = AMT_DIS_HAP, .hap_known = true, .strap_index = 28, .bit = 16,
	    .source = DIFD " (CNL/CFL/CML-LP); " DME("12") " COMETLAKE_1/2 (0x172); "
		      "corna/me_cleaner#282 (Yoga X390)",
	    .confidence = AMT_CONF_HIGH, .hap_consequences = S0IX,
	    .fw = { FW(AMT_FAM_CSME, 12, 12), FWM(AMT_FAM_CSME, 14, 14, 0, 4) } }, G_CNP, G_NONE, false },
	{ { .id = AMT_PLAT_CNP_H, .key = "cnp-h",
	    .name = "Cannon Point-H / Comet Point-H (300/400 series desktop, CML-H/S)",
	    .firmware = "CSME 12, 14.0-14.1",
	    .fingerprint = "ICCRIBA 0x34, MDTBA != 0 (Cannon Point; Comet Point shares it)",
	    .fingerprint_source = FLASHROM "; " FLASHPROG,
	    .straps = "PCHSTRP0 == 0, PCHSTRP28 == 0 (its comment adds PCHSTRP32[15:4] == 0x1B)",
	    .straps_source = DIFD,
	    .kind = AMT_DIS_HAP, .hap_known = true, .strap_index = 32, .bit = 16,
	    .source = DIFD " (CML-H/S); " DME("12") " COMETLAKE_S (0x182); dt-zero/me_cleaner "
		      "(corna/me_cleaner#282)",
	    .confidence = AMT_CONF_MEDIUM, .hap_consequences = S0IX,
	    .fw = { FW(AMT_FAM_CSME, 12, 12), FWM(AMT_FAM_CSME, 14, 14, 0, 4),
		    FW(AMT_FAM_CSSPS, 5, 5) } }, G_CNP, G_NONE, false },
	{ { .id = AMT_PLAT_CMP_V, .key = "cmp-v", .name = "Comet Point-V (CML-V)",
	    .firmware = "CSME 14.5",
	    .fingerprint = "ICCRIBA 0x34, MDTBA != 0 (Cannon Point; Comet Point shares it)",
	    .fingerprint_source = FLASHROM "; " FLASHPROG,
	    .straps = "PCHSTRP0 != 0, PCHSTRP28 == 0 (its comment adds PCHSTRP0[15:2] == 0, "
		      "PCHSTRP0[23:22] == 2)",
	    .straps_source = DIFD,
	    .kind = AMT_DIS_HAP, .hap_known = true, .strap_index = 0, .bit = 16,
	    .source = DIFD " (CML-V); " DME("12") " COMETLAKE_V (0x102)",
	    .confidence = AMT_CONF_MEDIUM, .hap_consequences = S0IX,
	    .fw = { FWM(AMT_FAM_CSME, 14, 14, 5, 5) } }, G_CNP, G_NONE, false },
	{ { .id = AMT_PLAT_JSP, .key = "jsp", .name = "Jasper Point (Jasper Lake, CSME 13.50)",
	    .firmware = "CSME 13.50", .fingerprint = "CSSL 0x03, CSSO 0x6C, MDTBA != 0",
	    .fingerprint_source = FLASHROM " (flashprog: Cannon Point compatible)",
	    .kind = AMT_DIS_HAP, .hap_known = true, .strap_index = 26, .bit = 16,
	    .source = DIFD " (PLATFORM_JSL); " DME("13") " JASPERLAKE (0x16A); intel_fw "
		      "docs/knowledge.md (FIT PCH_Strap_CSME_CSE_HAP_Mode: offset 0x68 bit 16)",
	    .confidence = AMT_CONF_HIGH, .hap_consequences = S0IX,
	    .fw = { FWM(AMT_FAM_CSME, 13, 13, 50, 50) } }, G_JSL, G_NONE, false },
	{ { .id = AMT_PLAT_ICP_LP, .key = "icp-lp", .name = "Ice Point-LP (Ice Lake, CSME 13)",
	    .firmware = "CSME 13.0",
	    .straps = "PCHSTRP30[8:1] == 0x98, PCHSTRP56 == 0x68070000", .straps_source = DIFD,
	    .kind = AMT_DIS_HAP, .hap_known = true, .strap_index = 30, .bit = 16,
	    .source = "sources conflict: " DIFD " recognises ICL-LP by PCHSTRP30 but returns "
		      "PCHSTRP37; MangoKiwiPlumGrape/me_cleaner_thinkpad claims PCHSTRP28",
	    .doubtful = true, .confidence = AMT_CONF_LOW,
	    .fw = { FWM(AMT_FAM_CSME, 13, 13, 0, 49) } }, G_NONE, G_NONE, true },
	{ { .id = AMT_PLAT_ICX_D, .key = "icx-d", .name = "Ice Lake-D", .firmware = "SPS",
	    .straps = "PCHSTRP56[8:1] == 0x98, PCHSTRP30 == 0", .straps_source = DIFD,
	    .kind = AMT_DIS_HAP, .hap_known = true, .strap_index = 56, .bit = 16,
	    .source = DIFD " (ICX-D, marked unconfirmed there)",
	    .doubtful = true, .confidence = AMT_CONF_LOW,
	    .fw = { FW(AMT_FAM_CSSPS, 0, 99) } }, G_NONE, G_NONE, false },
	{ { .id = AMT_PLAT_TGP_LP, .key = "tgp-lp",
	    .name = "Tiger Point-LP (TGL-U/UP3/UP4, CSME 15)", .firmware = "CSME 15.0",
	    .fingerprint = "CSSL 0x11, CSSO 0x68 (flashprog: CSSL 0x11)",
	    .fingerprint_source = FLASHROM "; " FLASHPROG,
	    .straps = "PCHSTRP31[8:1] == 0x18, PCHSTRP37[15:0] == 0 (the ifdtool comment; its code "
		      "tests PCHSTRP37[31:16], which real TGL-LP descriptors, PCHSTRP37 = "
		      "0x00010000, fail)",
	    .straps_source = DIFD,
	    .kind = AMT_DIS_HAP, .hap_known = true, .strap_index = 31, .bit = 16,
	    .source = DIFD " (TGL-LP); " DME("15") " TIGERLAKE (0x17E)",
	    .confidence = AMT_CONF_HIGH, .hap_consequences = S0IX | CAPS,
	    .fw = { FWM(AMT_FAM_CSME, 15, 15, 0, 39) } }, G_TGP, G_NONE, false },
	{ { .id = AMT_PLAT_TGP_H, .key = "tgp-h",
	    .name = "Tiger Point-H (TGL-H, Rocket Lake on 500 series)", .firmware = "CSME 15.0",
	    .fingerprint = "CSSL 0x11 (Tiger Point)", .fingerprint_source = FLASHPROG "; " FLASHROM,
	    .straps = "PCHSTRP31 == 0, PCHSTRP37[15:0] != 0 (the ifdtool comment; its code also "
		      "wants PCHSTRP37[8:1] == 0x18, real TGL-H descriptors hold 0x58)",
	    .straps_source = DIFD,
	    .kind = AMT_DIS_HAP, .hap_known = true, .strap_index = 37, .bit = 16,
	    .source = DIFD " (RKL-H/TGL-H); " DME("15") " TIGERLAKE_PCH_H (0x196); "
		      "corna/me_cleaner#384 (B560M, Z590: byte 0x196)",
	    .confidence = AMT_CONF_MEDIUM, .hap_consequences = S0IX,
	    .fw = { FWM(AMT_FAM_CSME, 15, 15, 0, 39), FW(AMT_FAM_CSSPS, 6, 6) } }, G_TGP, G_NONE, false },
	{ { .id = AMT_PLAT_MCC, .key = "mcc", .name = "Mule Creek Canyon (Elkhart Lake, CSME 15.40)",
	    .firmware = "CSME 15.40", .fingerprint = "CSSL 0x03, CSSO 0x58",
	    .fingerprint_source = FLASHROM "; " FLASHPROG,
	    .kind = AMT_DIS_HAP, .hap_known = true, .strap_index = 33, .bit = 16,
	    .source = DIFD " (PLATFORM_EHL); " DME("15") " ELKHARTLAKE (0x186)",
	    .confidence = AMT_CONF_MEDIUM, .hap_consequences = S0IX | HECI,
	    .fw = { FWM(AMT_FAM_CSME, 15, 15, 40, 40) } }, G_EHL, G_NONE, false },
	{ { .id = AMT_PLAT_ADP_P, .key = "adp-p",
	    .name = "Alder Point-P (ADL-P/H, RPL-P/H/U)", .firmware = "CSME 16.0-16.1",
	    .fingerprint = "CSSL 0x14, or CSSL 0x11 with CSSO 0x5C (Alder Point)",
	    .fingerprint_source = FLASHROM,
	    .straps = "PCHSTRP52 == 0x00000300, PCHSTRP31[8:1] == 0x18",
	    .straps_source = DIFD "; " CBIFD_TS,
	    .kind = AMT_DIS_HAP, .hap_known = true, .strap_index = 31, .bit = 16,
	    .source = DIFD " (RPL-P/ADL-P); " DME("16") " ALDERLAKE_PCH_P (0x17E); "
		      "corna/me_cleaner#403 (byte 0x17E)",
	    .confidence = AMT_CONF_HIGH, .hap_consequences = S0IX | CAPS,
	    .fw = { FW(AMT_FAM_CSME, 16, 16) } }, G_ADP, G_NONE, false },
	{ { .id = AMT_PLAT_ADP_S_B0, .key = "adp-s",
	    .name = "Alder Point-S B0 / Raptor Point-S (600/700 series desktop)",
	    .firmware = "CSME 16.0-16.1",
	    .fingerprint = "CSSL 0x14, or CSSL 0x11 with CSSO 0x5C (Alder Point)",
	    .fingerprint_source = FLASHROM,
	    .straps = "PCHSTRP52 == 0x10081008, PCHSTRP55[8:1] == 0x58", .straps_source = DIFD,
	    .kind = AMT_DIS_HAP, .hap_known = true, .strap_index = 55, .bit = 16,
	    .source = DIFD " (ADL-S B0/RPL-S); " DME("16") " ALDERLAKE_PCH_S (0x1DE)",
	    .confidence = AMT_CONF_HIGH, .hap_consequences = S0IX | HSPHY | CAPS,
	    .fw = { FW(AMT_FAM_CSME, 16, 16) } }, G_ADP, G_NONE, false },
	{ { .id = AMT_PLAT_ADP_S_A0, .key = "adp-s-a0", .name = "Alder Point-S A0",
	    .firmware = "CSME 16.0",
	    .fingerprint = "CSSL 0x14, or CSSL 0x11 with CSSO 0x5C (Alder Point)",
	    .fingerprint_source = FLASHROM,
	    .straps = "PCHSTRP52[8:1] == 0x58, PCHSTRP49 == 0x10081008", .straps_source = DIFD,
	    .kind = AMT_DIS_HAP, .hap_known = true, .strap_index = 52, .bit = 16,
	    .source = DIFD " (ADL-S A0) only; me_16.h has no A0 entry",
	    .confidence = AMT_CONF_MEDIUM, .hap_consequences = S0IX | HSPHY,
	    .fw = { FW(AMT_FAM_CSME, 16, 16) } }, G_ADP, G_NONE, false },
	{ { .id = AMT_PLAT_MTL, .key = "mtl", .name = "Meteor Lake-U/H (CSME 18)",
	    .firmware = "CSME 18",
	    .fingerprint = "CSSL 0x03, ISL 0x82, CSSO 0x70 (or 0x78, as on the NovaCustom NUC BOX "
			   "and Star Labs MTL descriptors: flashprog's ISL >= 0x82 rule)",
	    .fingerprint_source = FLASHROM "; " FLASHPROG,
	    .kind = AMT_DIS_HAP, .hap_known = true, .strap_index = 71, .bit = 16,
	    .source = "Dasharo coreboot c82793785d " MEH("18") " METEORLAKE_U_H (0x21E); " DIFD
		      " (PLATFORM_MTL); confirmed on hardware: Dasharo/dasharo-issues#1035",
	    .confidence = AMT_CONF_HIGH, .hap_consequences = HECI | S0IX | CAPS,
	    .fw = { FW(AMT_FAM_CSME, 18, 18) } }, G_MTL, G_NONE, false },
	{ { .id = AMT_PLAT_LBG, .key = "lbg", .name = "Lewisburg (C620 series)",
	    .firmware = "SPS 4-5, Ignition 1.x/4.x", .fingerprint = "ICCRIBA <= 0x34, MDTBA 0, NM 6",
	    .fingerprint_source = FLASHROM "; " FLASHPROG,
	    .kind = AMT_DIS_HAP, .hap_known = true, .strap_index = 53, .bit = 16,
	    .source = DIFD " (PLATFORM_LBG) only, unconfirmed",
	    .doubtful = true, .confidence = AMT_CONF_LOW,
	    .fw = { FW(AMT_FAM_CSSPS, 1, 5) } }, G_LBG, G_NONE, false },
	{ { .id = AMT_PLAT_DNV, .key = "dnv", .name = "Denverton", .firmware = "SPS / IE",
	    .kind = AMT_DIS_HAP, .hap_known = true, .strap_index = 14, .bit = 16,
	    .source = DIFD " (PLATFORM_DNV) only, unconfirmed",
	    .doubtful = true, .confidence = AMT_CONF_LOW,
	    .fw = { FW(AMT_FAM_CSSPS, 0, 99) } }, G_NONE, G_NONE, false },
	{ { .id = AMT_PLAT_APL_GLK, .key = "apl", .name = "Apollo Lake / Gemini Lake (TXE 3/4)",
	    .firmware = "TXE 3-4", .fingerprint = "ICCRIBA 0, FLMAP2 0, ISL 19 (APL) or 23 (GLK)",
	    .fingerprint_source = FLASHROM "; " FLASHPROG,
	    .kind = AMT_DIS_HAP, .hap_known = true, .strap_index = 11, .bit = 7,
	    .source = DIFD " (APL/GLK: \"can be only set through SMIP? Couldn't get it to work "
		      "on GLK\")",
	    .doubtful = true, .confidence = AMT_CONF_LOW, .hap_consequences = S0IX,
	    .fw = { FW(AMT_FAM_CSTXE, 3, 4) } }, G_APL, G_GLK, false },
	{ { .id = AMT_PLAT_ADP_N, .key = "adp-n",
	    .name = "Alder Point-N (ADL-N, Twin Lake, Amston Lake)", .firmware = "CSME 16.x",
	    .fingerprint = "CSSL 0x14, or CSSL 0x11 with CSSO 0x5C (Alder Point)",
	    .fingerprint_source = FLASHROM,
	    .straps = "PCHSTRP52 == 0x00000300, PCHSTRP31[8:1] == 0x51", .straps_source = CBIFD_TS,
	    .kind = AMT_DIS_HAP, .hap_known = true, .strap_index = 31, .bit = 16,
	    .source = "Dasharo coreboot f269b7d8b6 " MEH("16") " ALDERLAKE_PCH_N (0x17E); "
		      "daemon32/me_cleaner (PCHSTRP31, also PCHSTRP55); Twin Lake and Amston Lake "
		      "select ALDERLAKE_PCH_N (coreboot soc/intel/alderlake/Kconfig, "
		      "mainboard/siemens/fa_asl)",
	    .confidence = AMT_CONF_MEDIUM, .hap_consequences = S0IX,
	    .fw = { FW(AMT_FAM_CSME, 16, 16) } }, G_ADP, G_NONE, false },
	{ { .id = AMT_PLAT_ADP_PN, .key = "adp-pn",
	    .name = "Alder Point-P or -N (the straps do not say which)", .firmware = "CSME 16.x",
	    .fingerprint = "CSSL 0x14, or CSSL 0x11 with CSSO 0x5C (Alder Point)",
	    .fingerprint_source = FLASHROM,
	    .straps = "PCHSTRP52 == 0x00000300, PCHSTRP31[8:1] neither 0x18 (P) nor 0x51 (N)",
	    .straps_source = DIFD "; " CBIFD_TS,
	    .kind = AMT_DIS_HAP, .hap_known = true, .strap_index = 31, .bit = 16,
	    .source = DME("16") ": ALDERLAKE_PCH_P and ALDERLAKE_PCH_N both 0x17E (PCHSTRP31); "
		      "the fixed bits of PCHSTRP31 confirm neither variant",
	    .doubtful = true, .confidence = AMT_CONF_LOW, .hap_consequences = S0IX,
	    .fw = { FW(AMT_FAM_CSME, 16, 16) } }, G_ADP, G_NONE, false },
	{ { .id = AMT_PLAT_ARL_HU, .key = "arl-h", .name = "Arrow Lake-H/U (Core Ultra 200H/U)",
	    .firmware = "CSME 18-19 (unverified)",
	    .fingerprint = "not told apart from Meteor Lake by the descriptor",
	    .kind = AMT_DIS_HAP,
	    .source = NOSRC "coreboot uses Meteor Lake code with an IoT FSP for it and has no HAP "
		      "offset, Dasharo none; PCHSTRP71 as on MTL is only an inference",
	    .confidence = AMT_CONF_NONE }, G_MTL, G_NONE, false },
	{ { .id = AMT_PLAT_ARL_S, .key = "arl-s",
	    .name = "Arrow Lake-S/HX (Core Ultra 200S/HX, 800 series PCH)",
	    .firmware = "CSME 19 (third-party reports)",
	    .fingerprint = "ICCRIBA 0, ISL 0xB3, MSL 0x3A, NM != 6",
	    .fingerprint_source = FLASHPROG " (commit 612519b)",
	    .kind = AMT_DIS_HAP,
	    .source = NOSRC "not in coreboot, Dasharo, ifdtool or any me_cleaner fork",
	    .confidence = AMT_CONF_NONE }, G_ARL_S, G_NONE, false },
	{ { .id = AMT_PLAT_LNL, .key = "lnl", .name = "Lunar Lake (Core Ultra 200V, CSME 20)",
	    .firmware = "CSME 20", .fingerprint = "CSSL 0x03, CSSO 0x70, ISL 0x7D or 0x7E",
	    .fingerprint_source = FLASHPROG " (commit d5a61ef)",
	    .kind = AMT_DIS_HAP,
	    .source = NOSRC "not in coreboot, Dasharo or ifdtool (which has no Lunar Lake platform)",
	    .confidence = AMT_CONF_NONE }, G_LNL, G_NONE, false },
	{ { .id = AMT_PLAT_PTL, .key = "ptl", .name = "Panther Lake (Core Ultra series 3, CSME 21)",
	    .firmware = "CSME 21", .fingerprint = "CSSL 0x03, CSSO 0x60, ISL 0x9A",
	    .fingerprint_source = FLASHROM "; " FLASHPROG,
	    .kind = AMT_DIS_HAP,
	    .source = NOSRC "coreboot soc/intel/pantherlake and ifdtool's Panther Lake platform "
		      "have none, Dasharo none",
	    .confidence = AMT_CONF_NONE }, G_PTL, G_NONE, false },
	{ { .id = AMT_PLAT_WCL, .key = "wcl", .name = "Wildcat Lake", .firmware = "CSME 21 (inferred)",
	    .fingerprint = "CSSL 0x03, CSSO 0x60, ISL 0x78",
	    .fingerprint_source = FLASHROM " (9cfb8fe3); " FLASHPROG " (dfea68c)",
	    .kind = AMT_DIS_HAP,
	    .source = NOSRC "coreboot soc/intel/pantherlake (SOC_INTEL_WILDCATLAKE) has none",
	    .confidence = AMT_CONF_NONE }, G_WCL, G_NONE, false },
	{ { .id = AMT_PLAT_NVL, .key = "nvl", .name = "Nova Lake", .firmware = "CSME 21 (initial)",
	    .fingerprint = "CSSL 0x03, CSSO 0x60, ISL 0xA9",
	    .fingerprint_source = FLASHROM " (357aa9d6)",
	    .kind = AMT_DIS_HAP,
	    .source = NOSRC "coreboot soc/intel/novalake and ifdtool's Nova Lake platform have none",
	    .confidence = AMT_CONF_NONE }, G_NVL, G_NONE, false },
	{ { .id = AMT_PLAT_EBG, .key = "ebg", .name = "Emmitsburg (C740 series)", .firmware = "SPS 6",
	    .fingerprint = "ICCRIBA 0, NM 6, ISL 0x50-0x8B (flashrom: ISL 0x50)",
	    .fingerprint_source = FLASHPROG "; " FLASHROM,
	    .kind = AMT_DIS_HAP,
	    .source = NOSRC "not in Dasharo's ifdtool, coreboot or any me_cleaner fork",
	    .confidence = AMT_CONF_NONE }, G_EBG, G_NONE, false },
	{ { .id = AMT_PLAT_SNR, .key = "snr", .name = "Snow Ridge", .firmware = "SPS",
	    .fingerprint = "MDTBA != 0, FLMAP2 0xFFFFFFFF, ISL 0x8F",
	    .fingerprint_source = FLASHPROG,
	    .kind = AMT_DIS_HAP,
	    .source = NOSRC "not in Dasharo's ifdtool, coreboot or any me_cleaner fork",
	    .confidence = AMT_CONF_NONE }, G_SNR, G_NONE, false },
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

static const struct row *row_of(amt_platform_id id)
{
	for (size_t i = 0; i < NROWS; i++)
		if (rows[i].d.id == id)
			return &rows[i];
	return NULL;
}

const struct amt_platform_desc *amt_platform_get(amt_platform_id id)
{
	const struct row *r = row_of(id);
	return r ? &r->d : NULL;
}

const struct amt_platform_desc *amt_platform_describe(amt_platform_id id)
{
	return amt_platform_get(id);
}

/* Other names users may type for the same row. */
static const struct {
	const char *alias, *key;
} aliases[] = {
	{ "ich8", "ich" }, { "ich9", "ich" }, { "ich10", "ich" },
	{ "cpt", "ibx" }, { "ppt", "ibx" }, { "lpt", "ibx" }, { "wpt", "ibx" },
	{ "bsw", "byt" }, { "kbp", "spt" }, { "skl", "spt" }, { "kbl", "spt" },
	{ "cmp-lp", "cnp-lp" }, { "cml-u", "cnp-lp" }, { "cmp-h", "cnp-h" }, { "cmp-s", "cnp-h" },
	{ "cml-s", "cnp-h" }, { "cml-v", "cmp-v" }, { "jsl", "jsp" }, { "icl-lp", "icp-lp" },
	{ "tgl-lp", "tgp-lp" }, { "tgl-h", "tgp-h" }, { "rkl", "tgp-h" }, { "ehl", "mcc" },
	{ "rpl-p", "adp-p" }, { "adl-p", "adp-p" }, { "adl-n", "adp-n" }, { "twl", "adp-n" },
	{ "asl", "adp-n" }, { "rpl-s", "adp-s" }, { "adl-s", "adp-s" }, { "glk", "apl" },
	{ "arl-u", "arl-h" }, { "arl-hu", "arl-h" }, { "arl-hx", "arl-s" }, { "mtl-u", "mtl" },
	{ "mtl-h", "mtl" },
};

const struct amt_platform_desc *amt_platform_by_key(const char *key)
{
	if (!key)
		return NULL;
	for (size_t i = 0; i < NROWS; i++)
		if (!strcmp(rows[i].d.key, key))
			return &rows[i].d;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(aliases[i].alias, key))
			return amt_platform_by_key(aliases[i].key);
	return NULL;
}

/* ---- strings --------------------------------------------------------------- */

const char *amt_platform_status_str(amt_platform_status s)
{
	switch (s) {
	case AMT_PST_UNKNOWN: return "unknown";
	case AMT_PST_RECOGNISED: return "recognised";
	case AMT_PST_AMBIGUOUS: return "ambiguous";
	case AMT_PST_DOUBTFUL: return "doubtful";
	case AMT_PST_CONTRADICTS_FW: return "contradicts-firmware";
	case AMT_PST_CONTRADICTS_DESCRIPTOR: return "contradicts-descriptor";
	case AMT_PST_NO_PUBLIC_SOURCE: return "no-public-source";
	case AMT_PST_TOO_FEW_STRAPS: return "too-few-straps";
	case AMT_PST_EXPERT_OVERRIDE: return "expert-override";
	}
	return "?";
}

const char *amt_confidence_str(amt_confidence c)
{
	switch (c) {
	case AMT_CONF_NONE: return "none";
	case AMT_CONF_LOW: return "low";
	case AMT_CONF_MEDIUM: return "medium";
	case AMT_CONF_HIGH: return "high";
	}
	return "?";
}

const char *amt_hap_consequence_str(unsigned bit)
{
	switch (bit) {
	case AMT_HAPFX_HECI_VISIBLE:
		return "the ME's PCI function (HECI, 00:16.0) stays visible with HAP set unless the "
		       "firmware hides it: its presence does not mean the ME runs";
	case AMT_HAPFX_NO_S0IX:
		return "S0ix (modern standby) needs a running ME: with HAP set the platform loses its "
		       "deepest idle state (suspend may fail or drain the battery)";
	case AMT_HAPFX_HSPHY:
		return "the PCIe 5.0 root port's HSPHY firmware is loaded from the ME: with HAP set "
		       "the port works only if the firmware caches that blob in flash";
	case AMT_HAPFX_CAPSULE:
		return "Dasharo firmware on this platform accepts update capsules only while the ME is "
		       "HAP-disabled: clearing HAP later blocks capsule updates";
	}
	return NULL;
}

const char *amt_hap_consequence_source(unsigned bit)
{
	switch (bit) {
	case AMT_HAPFX_HECI_VISIBLE: return SRC_HECI;
	case AMT_HAPFX_NO_S0IX: return SRC_S0IX;
	case AMT_HAPFX_HSPHY: return SRC_HSPHY;
	case AMT_HAPFX_CAPSULE: return SRC_CAPSULE;
	}
	return NULL;
}

/* ---- descriptor geometry (flashrom / flashprog guess_ich_chipset) ---------- */

struct geometry {
	enum geo g;
	char what[160];      /* the fields read and the rule that fired */
};

static void geof(struct geometry *g, enum geo cls, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void geof(struct geometry *g, enum geo cls, const char *fmt, ...)
{
	va_list ap;
	g->g = cls;
	va_start(ap, fmt);
	vsnprintf(g->what, sizeof(g->what), fmt, ap);
	va_end(ap);
}

/*
 * The decision tree of flashprog's guess_ich_chipset merged with
 * flashrom's guess_ich_chipset_from_content (the newest rows of each).
 * Their "peculiar descriptor, assuming X" fallbacks are not taken as a
 * recognition, except MTL's ISL 0x82 with CSSO 0x78, seen on every real
 * MTL descriptor the sources list (flashprog reaches MTL by ISL >= 0x82).
 */
static void classify(const struct amt_ifd *f, struct geometry *g)
{
	uint32_t m2 = f->flmap[2];
	unsigned isl = (f->flmap[1] >> 24) & 0xFF;
	unsigned nm = (f->flmap[1] >> 8) & 7;       /* 3 bits in flashrom's struct */
	unsigned msl = (m2 >> 8) & 0xFF;
	unsigned fmsba = m2 & 0xFF;                 /* raw field, as flashrom compares it */
	unsigned cssl = f->iccriba, csso = f->csso;

	memset(g, 0, sizeof(*g));
	if (f->ich_layout) {
		geof(g, G_ICH, "ICH layout (signature at descriptor+0), ICCRIBA 0x%02X, ISL %u",
		     f->iccriba, isl);
		return;
	}
	if (f->iccriba == 0) {
		if (isl <= 10)
			geof(g, G_ICH, "ICCRIBA 0, ISL %u, MSL %u: ICH%s", isl, msl,
			     msl == 0 && isl <= 2 ? "8" : isl <= 2 ? "9" : "10");
		else if (isl <= 16)
			geof(g, G_IBX, "ICCRIBA 0, ISL %u: 5 series Ibex Peak", isl);
		else if (m2 == 0 && isl == 19)
			geof(g, G_APL, "ICCRIBA 0, FLMAP2 0, ISL 19: Apollo Lake");
		else if (m2 == 0 && isl == 23)
			geof(g, G_GLK, "ICCRIBA 0, FLMAP2 0, ISL 23: Gemini Lake");
		else if (m2 != 0 && nm == 6 && isl >= 0x50 && isl <= 0x8B)
			geof(g, G_EBG, "ICCRIBA 0, NM 6, ISL 0x%02X: C740 series Emmitsburg", isl);
		else if (m2 != 0 && nm != 6 && isl == 0xB3 && msl == 0x3A)
			geof(g, G_ARL_S, "ICCRIBA 0, ISL 0xB3, MSL 0x3A: 800 series Arrow Lake");
		else
			geof(g, G_NONE, "ICCRIBA 0, ISL 0x%02X, MSL 0x%02X, NM %u, FLMAP2 0x%08X: no "
			     "listed chipset", isl, msl, nm, m2);
		return;
	}
	if (f->mdtba == 0) {
		if (f->iccriba < 0x31 && fmsba < 0x30) {
			if (msl == 0 && isl <= 17)
				geof(g, G_BYT, "ICCRIBA 0x%02X, MDTBA 0, MSL 0, ISL %u: Bay Trail",
				     f->iccriba, isl);
			else if (msl <= 1 && isl <= 18)
				geof(g, G_CPT, "ICCRIBA 0x%02X, MDTBA 0, MSL %u, ISL %u: 6 series "
				     "Cougar Point", f->iccriba, msl, isl);
			else if (msl <= 1 && isl <= 21)
				geof(g, G_LPT, "ICCRIBA 0x%02X, MDTBA 0, MSL %u, ISL %u: 8 series "
				     "Lynx Point", f->iccriba, msl, isl);
			else
				geof(g, G_NONE, "ICCRIBA 0x%02X, MDTBA 0, MSL %u, ISL %u: no listed "
				     "chipset", f->iccriba, msl, isl);
		} else if (nm == 6) {
			if (f->iccriba <= 0x34)
				geof(g, G_LBG, "ICCRIBA 0x%02X, MDTBA 0, NM 6: C620 series Lewisburg",
				     f->iccriba);
			else
				geof(g, G_NONE, "ICCRIBA 0x%02X, MDTBA 0, NM 6: no listed chipset",
				     f->iccriba);
		} else if (f->iccriba == 0x31) {
			geof(g, G_SPT, "ICCRIBA 0x31, MDTBA 0: 100 series Sunrise Point");
		} else {
			geof(g, G_NONE, "ICCRIBA 0x%02X, MDTBA 0, FMSBA 0x%02X: no listed chipset",
			     f->iccriba, fmsba);
		}
		return;
	}
	if (m2 == 0xFFFFFFFFu) {
		if (isl == 0x8F)
			geof(g, G_SNR, "MDTBA 0x%02X, FLMAP2 0xFFFFFFFF, ISL 0x8F: Snow Ridge", f->mdtba);
		else
			geof(g, G_NONE, "MDTBA 0x%02X, FLMAP2 0xFFFFFFFF, ISL 0x%02X: no listed chipset",
			     f->mdtba, isl);
		return;
	}
	if (f->iccriba == 0x34) {
		geof(g, G_CNP, "ICCRIBA 0x34, MDTBA 0x%02X: 300 series Cannon Point", f->mdtba);
	} else if (cssl == 0x11 && csso == 0x5C) {
		geof(g, G_ADP, "CSSL 0x11, CSSO 0x5C: 600 series Alder Point");
	} else if (cssl == 0x11) {
		geof(g, G_TGP, "CSSL 0x11, CSSO 0x%02X, ISL 0x%02X: 500 series Tiger Point", csso, isl);
	} else if (cssl == 0x14) {
		geof(g, G_ADP, "CSSL 0x14, CSSO 0x%02X, ISL 0x%02X: 600 series Alder Point", csso, isl);
	} else if (cssl == 0x03 && csso == 0x58) {
		geof(g, G_EHL, "CSSL 0x03, CSSO 0x58: Elkhart Lake");
	} else if (cssl == 0x03 && csso == 0x6C) {
		geof(g, G_JSL, "CSSL 0x03, CSSO 0x6C: Jasper Lake");
	} else if (cssl == 0x03 && csso == 0x70 && (isl == 0x7D || isl == 0x7E)) {
		geof(g, G_LNL, "CSSL 0x03, CSSO 0x70, ISL 0x%02X: Lunar Lake", isl);
	} else if (cssl == 0x03 && (csso == 0x70 || csso == 0x78) && isl == 0x82) {
		geof(g, G_MTL, "CSSL 0x03, CSSO 0x%02X, ISL 0x82: Meteor Lake", csso);
	} else if (cssl == 0x03 && csso == 0x60) {
		if (isl == 0x78)
			geof(g, G_WCL, "CSSL 0x03, CSSO 0x60, ISL 0x78: Wildcat Lake");
		else if (isl == 0xA9)
			geof(g, G_NVL, "CSSL 0x03, CSSO 0x60, ISL 0xA9: Nova Lake");
		else
			geof(g, G_PTL, "CSSL 0x03, CSSO 0x60, ISL 0x%02X: Panther Lake%s", isl,
			     isl == 0x9A ? "" : " family (unlisted strap count)");
	} else {
		geof(g, G_NONE, "CSSL 0x%02X, CSSO 0x%02X, ISL 0x%02X, MDTBA 0x%02X: no listed chipset",
		     cssl, csso, isl, f->mdtba);
	}
}

/* ---- strap patterns (Dasharo / coreboot ifdtool) ---------------------------- */

static bool strap(const struct amt_ifd *f, unsigned i, uint32_t *v)
{
	if (i >= f->npchstrp)
		return false;
	*v = f->pchstrp[i];
	return true;
}

static bool s81(const struct amt_ifd *f, unsigned i, uint32_t val)
{
	uint32_t v = 0;
	return strap(f, i, &v) && ((v >> 1) & 0xFF) == val;
}

static bool seq(const struct amt_ifd *f, unsigned i, uint32_t val)
{
	uint32_t v = 0;
	return strap(f, i, &v) && v == val;
}

static bool m_cnp_lp(const struct amt_ifd *f)
{
	uint32_t v = 0;
	return seq(f, 0, 0) && strap(f, 28, &v) && ((v >> 4) & 0xFFF) == 0x1B;
}
static bool m_cnp_h(const struct amt_ifd *f)
{
	return seq(f, 0, 0) && seq(f, 28, 0);
}
static bool c_cnp_h(const struct amt_ifd *f)   /* the comment's fuller pattern */
{
	uint32_t v = 0;
	return strap(f, 32, &v) && ((v >> 4) & 0xFFF) == 0x1B;
}
static bool m_cmp_v(const struct amt_ifd *f)
{
	uint32_t v = 0;
	return strap(f, 0, &v) && v != 0 && seq(f, 28, 0);
}
static bool c_cmp_v(const struct amt_ifd *f)
{
	uint32_t v = 0;
	return strap(f, 0, &v) && ((v >> 2) & 0x3FFF) == 0 && ((v >> 22) & 3) == 2;
}
static bool m_tgp_lp(const struct amt_ifd *f)
{
	uint32_t v = 0;
	return s81(f, 31, 0x18) && strap(f, 37, &v) && (v & 0xFFFF) == 0;
}
static bool m_tgp_h(const struct amt_ifd *f)
{
	uint32_t v = 0;
	return seq(f, 31, 0) && strap(f, 37, &v) && (v & 0xFFFF) != 0;
}
static bool m_adp_s_b0(const struct amt_ifd *f)
{
	return seq(f, 52, 0x10081008) && s81(f, 55, 0x58);
}
static bool m_adp_p(const struct amt_ifd *f)
{
	return seq(f, 52, 0x00000300) && s81(f, 31, 0x18);
}
static bool m_adp_n(const struct amt_ifd *f)
{
	return seq(f, 52, 0x00000300) && s81(f, 31, 0x51);
}
static bool m_adp_pn(const struct amt_ifd *f)
{
	uint32_t v = 0;
	return seq(f, 52, 0x00000300) && strap(f, 31, &v) && !s81(f, 31, 0x18) && !s81(f, 31, 0x51);
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

/* A rule names a row inside its geometry family. `strong` rules test
 * specific values; weak ones (zero tests) count as strong when `confirm`
 * (the fuller pattern the source's comment gives) holds too. `anywhere`
 * rules test values specific enough to be tried on a descriptor whose
 * geometry the sources do not list. */
struct rule {
	amt_platform_id id;
	enum geo fam;
	bool strong, anywhere;
	const char *what;
	bool (*match)(const struct amt_ifd *f);
	bool (*confirm)(const struct amt_ifd *f);
};

/* Dasharo's order inside each family ("prioritize CML-V detection"). */
static const struct rule rules[] = {
	{ AMT_PLAT_CMP_V, G_CNP, false, false, "PCHSTRP0 != 0 and PCHSTRP28 == 0", m_cmp_v, c_cmp_v },
	{ AMT_PLAT_CNP_H, G_CNP, false, false, "PCHSTRP0 == 0 and PCHSTRP28 == 0", m_cnp_h, c_cnp_h },
	{ AMT_PLAT_CNP_LP, G_CNP, true, true, "PCHSTRP0 == 0 and PCHSTRP28[15:4] == 0x1B",
	  m_cnp_lp, NULL },
	/* Tiger Point: PCHSTRP31 == 0 (H) and PCHSTRP31[8:1] == 0x18 (LP)
	 * exclude each other */
	{ AMT_PLAT_TGP_H, G_TGP, true, false, "PCHSTRP31 == 0 and PCHSTRP37[15:0] != 0",
	  m_tgp_h, NULL },
	{ AMT_PLAT_TGP_LP, G_TGP, true, true, "PCHSTRP31[8:1] == 0x18 and PCHSTRP37[15:0] == 0",
	  m_tgp_lp, NULL },
	{ AMT_PLAT_ADP_S_B0, G_ADP, true, true, "PCHSTRP52 == 0x10081008 and PCHSTRP55[8:1] == 0x58",
	  m_adp_s_b0, NULL },
	{ AMT_PLAT_ADP_P, G_ADP, true, true, "PCHSTRP52 == 0x00000300 and PCHSTRP31[8:1] == 0x18",
	  m_adp_p, NULL },
	{ AMT_PLAT_ADP_N, G_ADP, true, true, "PCHSTRP52 == 0x00000300 and PCHSTRP31[8:1] == 0x51",
	  m_adp_n, NULL },
	{ AMT_PLAT_ADP_PN, G_ADP, false, false, "PCHSTRP52 == 0x00000300, PCHSTRP31[8:1] neither "
	  "0x18 nor 0x51", m_adp_pn, NULL },
	{ AMT_PLAT_ADP_S_A0, G_ADP, true, true, "PCHSTRP52[8:1] == 0x58 and PCHSTRP49 == 0x10081008",
	  m_adp_s_a0, NULL },
	/* Ice Lake: no geometry in the sources; looked at wherever the
	 * geometry leaves room (Cannon Point's, or none) */
	{ AMT_PLAT_ICX_D, G_NONE, true, true, "PCHSTRP56[8:1] == 0x98 and PCHSTRP30 == 0",
	  m_icx_d, NULL },
	{ AMT_PLAT_ICP_LP, G_NONE, true, true, "PCHSTRP30[8:1] == 0x98 and PCHSTRP56 == 0x68070000",
	  m_icp_lp, NULL },
};
#define NRULES (sizeof(rules) / sizeof(rules[0]))

static bool rule_strong(const struct rule *r, const struct amt_ifd *f)
{
	return r->strong || (r->confirm && r->confirm(f));
}

/* ---- firmware --------------------------------------------------------------- */

struct fwinfo {
	bool present;
	int gen;
	amt_family fam;          /* normalised: CSE families for CSE versions */
	bool version_known;
	unsigned major, minor;
	char text[40];           /* "CSME 16.1", "ME 8", "firmware of unknown family" */
};

static void fw_info(const struct amt_fw *fw, struct fwinfo *w)
{
	memset(w, 0, sizeof(*w));
	if (!fw)
		return;
	w->present = true;
	w->gen = fw->generation;
	w->fam = fw->family;
	w->version_known = fw->version_known;
	w->major = fw->version_known ? fw->version.major : 0;
	w->minor = fw->version_known ? fw->version.minor : 0;
	if (w->version_known) {
		if (w->fam == AMT_FAM_ME && w->major >= 11)
			w->fam = AMT_FAM_CSME;
		else if (w->fam == AMT_FAM_TXE && w->major >= 3)
			w->fam = AMT_FAM_CSTXE;
		else if (w->fam == AMT_FAM_SPS && w->major >= 4)
			w->fam = AMT_FAM_CSSPS;
	}
	if (w->fam == AMT_FAM_UNKNOWN)
		snprintf(w->text, sizeof(w->text), "generation-%d firmware of unknown family", w->gen);
	else if (w->version_known)
		snprintf(w->text, sizeof(w->text), "%s %u.%u", amt_family_str(w->fam), w->major,
			 w->minor);
	else
		snprintf(w->text, sizeof(w->text), "%s firmware of unknown version",
			 amt_family_str(w->fam));
}

static amt_disable_kind kind_of_gen(int gen)
{
	return gen == 1 ? AMT_DIS_MEDISABLE : gen == 2 ? AMT_DIS_ALTMEDISABLE
	       : gen == 3 ? AMT_DIS_HAP : AMT_DIS_NONE;
}

/* 1: the row runs this firmware; 0: it cannot; -1: cannot tell. */
static int fw_fits(const struct amt_platform_desc *d, const struct fwinfo *w)
{
	if (!w->present)
		return -1;
	amt_disable_kind k = kind_of_gen(w->gen);
	if (k != AMT_DIS_NONE && d->kind != AMT_DIS_NONE && k != d->kind)
		return 0;
	if (w->fam == AMT_FAM_UNKNOWN || d->fw[0].family == AMT_FAM_UNKNOWN)
		return -1;
	for (size_t i = 0; i < 3 && d->fw[i].family != AMT_FAM_UNKNOWN; i++) {
		const struct amt_fw_span *s = &d->fw[i];
		if (s->family != w->fam)
			continue;
		if (!w->version_known)
			return 1;
		if (w->major >= s->major_min && w->major <= s->major_max &&
		    w->minor >= s->minor_min && w->minor <= s->minor_max)
			return 1;
	}
	return 0;
}

/* ---- result helpers ---------------------------------------------------------- */

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

static void note_add(struct amt_ifd *ifd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note_add(struct amt_ifd *ifd, const char *fmt, ...)
{
	struct amt_disable_bit *d = &ifd->disable;
	size_t l = strlen(d->note);
	if (l + 3 >= sizeof(d->note))
		return;
	if (l) {
		memcpy(d->note + l, "; ", 3);
		l += 2;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->note + l, sizeof(d->note) - l, fmt, ap);
	va_end(ap);
}

/* Name the platform (row facts) without locating anything. */
static void set_row(struct amt_ifd *ifd, const struct amt_platform_desc *d)
{
	ifd->platform.id = d->id;
	ifd->platform.name = d->name;
	ifd->platform.hap_consequences = d->hap_consequences;
	ifd->disable.kind = d->kind;
	ifd->disable.source = d->source;
}

/* Refuse: the disable bit is not located. The platform named so far
 * (if any) stays named. */
static void refuse(struct amt_ifd *ifd, amt_platform_status st, const char *reason)
{
	/* a platform that is not this board's says nothing about what HAP does */
	if (st == AMT_PST_CONTRADICTS_FW || st == AMT_PST_CONTRADICTS_DESCRIPTOR ||
	    st == AMT_PST_AMBIGUOUS || st == AMT_PST_UNKNOWN)
		ifd->platform.hap_consequences = 0;
	ifd->platform.status = st;
	ifd->platform.confidence = AMT_CONF_NONE;
	ifd->platform.ambiguous = st == AMT_PST_AMBIGUOUS;
	why(ifd, "%s", reason);
	ifd->disable.located = false;
	ifd->disable.nloc = 0;
	ifd->disable.state = AMT_UNKNOWN;
	note(ifd, "disable bit not located: %s; nothing is written to a guessed strap", reason);
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

/* Signed descriptor (FDV, MEA.py CSE_Ext_17; doc/formats.md#fdv): a strap byte outside
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
			note_add(ifd, "signed descriptor (FDV manifest at 0x%llx): %s is inside the "
				 "hashed range, changing it invalidates the descriptor signature",
				 (unsigned long long)ifd->fdv.manifest_offset, d->loc[i].strap);
			return;
		}
	}
}

static void read_state(struct amt_ifd *ifd)
{
	struct amt_disable_bit *d = &ifd->disable;
	unsigned nset = 0;
	for (unsigned i = 0; i < d->nloc; i++)
		nset += d->loc[i].set;
	d->state = nset == d->nloc ? AMT_YES : AMT_NO;
	if (nset && nset < d->nloc)
		note_add(ifd, "partially set: %s is set but %s is not",
			 d->loc[0].set ? d->loc[0].strap : d->loc[1].strap,
			 d->loc[0].set ? d->loc[1].strap : d->loc[0].strap);
}

/* Locate the row's bit. Sets status (RECOGNISED, DOUBTFUL for a doubtful
 * row, NO_PUBLIC_SOURCE, TOO_FEW_STRAPS); `why` must be set by the caller
 * before (it is kept unless the row is refused). */
static void locate(struct amt_ifd *ifd, const uint8_t *data, size_t size,
		   const struct amt_platform_desc *p)
{
	struct amt_disable_bit *d = &ifd->disable;
	const struct row *r = row_of(p->id);
	char buf[480];
	set_row(ifd, p);
	d->nloc = 0;
	if (!p->hap_known) {
		snprintf(buf, sizeof(buf), "%s%s%s; %s", p->name, ifd->platform.why[0] ? ": " : "",
			 ifd->platform.why, p->source);
		refuse(ifd, AMT_PST_NO_PUBLIC_SOURCE, buf);
		return;
	}
	if (r && r->disputed && !ifd->platform.named) {
		snprintf(buf, sizeof(buf), "%s (%s), but its HAP strap is disputed: %s", p->name,
			 ifd->platform.why, p->source);
		refuse(ifd, AMT_PST_DOUBTFUL, buf);
		ifd->platform.ambiguous = true;
		return;
	}
	if (p->kind == AMT_DIS_MEDISABLE) {
		if (ifd->npchstrp < 1) {
			snprintf(buf, sizeof(buf), "%s: the descriptor has no ICH strap (ISL 0)",
				 p->name);
			refuse(ifd, AMT_PST_TOO_FEW_STRAPS, buf);
			return;
		}
		set_loc(&d->loc[d->nloc++], ifd, data, size, "ICHSTRP", ifd->fpsba, 0, 0);
		if (ifd->nmchstrp >= 1)
			set_loc(&d->loc[d->nloc++], ifd, data, size, "MCHSTRP", ifd->fmsba, 0, 0);
		else
			note(ifd, "no MCH strap section (MSL 0): only ICHSTRP0 bit 0 is located");
	} else {
		if (p->strap_index >= ifd->npchstrp) {
			snprintf(buf, sizeof(buf), "%s keeps the disable bit in PCHSTRP%u, but this "
				 "descriptor has only %u PCH straps", p->name, p->strap_index,
				 ifd->npchstrp);
			refuse(ifd, AMT_PST_TOO_FEW_STRAPS, buf);
			return;
		}
		set_loc(&d->loc[d->nloc++], ifd, data, size, "PCHSTRP", ifd->fpsba,
			p->strap_index, p->bit);
	}
	d->located = true;
	read_state(ifd);
	ifd->platform.status = p->doubtful ? AMT_PST_DOUBTFUL : AMT_PST_RECOGNISED;
	ifd->platform.ambiguous = p->doubtful;
	ifd->platform.confidence = p->confidence;
	if (p->doubtful)
		note_add(ifd, "doubtful location (%s)", p->source);
	fdv_check(ifd);
}

/* Weaken a located result to DOUBTFUL (one weak signal only). */
static void doubt(struct amt_ifd *ifd, const char *reason)
{
	if (!ifd->disable.located)
		return;
	ifd->platform.status = AMT_PST_DOUBTFUL;
	ifd->platform.ambiguous = true;
	note_add(ifd, "doubtful: %s", reason);
}

/* ---- descriptor-section details that depend on the platform ------------------- */

/* Pre-500-series PCHs have no FLMAP3 (ifdtool prints it for 500/600/800/
 * 900 series only) and the extended-region master encoding exists from
 * CNL on (ifdtool platform_has_extended_regions: CNL, JSL, TGL, ADL, MTL,
 * PTL, NVL). Platforms the sources do not list keep the parser's guess. */
static void refine_ifd(struct amt_ifd *ifd)
{
	switch (ifd->platform.id) {
	case AMT_PLAT_TGP_LP: case AMT_PLAT_TGP_H: case AMT_PLAT_ADP_P: case AMT_PLAT_ADP_N:
	case AMT_PLAT_ADP_PN: case AMT_PLAT_ADP_S_B0: case AMT_PLAT_ADP_S_A0: case AMT_PLAT_MTL:
	case AMT_PLAT_ARL_HU: case AMT_PLAT_ARL_S: case AMT_PLAT_LNL: case AMT_PLAT_PTL:
	case AMT_PLAT_WCL: case AMT_PLAT_NVL: case AMT_PLAT_EBG: case AMT_PLAT_SNR:
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
	case AMT_PLAT_TGP_LP: case AMT_PLAT_TGP_H: case AMT_PLAT_ADP_P: case AMT_PLAT_ADP_N:
	case AMT_PLAT_ADP_PN: case AMT_PLAT_ADP_S_B0: case AMT_PLAT_ADP_S_A0: case AMT_PLAT_MTL:
	case AMT_PLAT_PTL: case AMT_PLAT_WCL: case AMT_PLAT_NVL:
		amt_ifd_decode_masters(ifd, true);
		break;
	case AMT_PLAT_ARL_HU: case AMT_PLAT_ARL_S: case AMT_PLAT_LNL: case AMT_PLAT_EBG:
	case AMT_PLAT_SNR:
		break;
	default:
		amt_ifd_decode_masters(ifd, false);
	}
}

/* ---- recognition --------------------------------------------------------------- */

static amt_platform_id geo_row(enum geo g)
{
	switch (g) {
	case G_ICH: return AMT_PLAT_ICH8_10;
	case G_IBX: case G_CPT: case G_LPT: return AMT_PLAT_IBX_WPT;
	case G_BYT: return AMT_PLAT_BYT_BSW;
	case G_APL: case G_GLK: return AMT_PLAT_APL_GLK;
	case G_EBG: return AMT_PLAT_EBG;
	case G_ARL_S: return AMT_PLAT_ARL_S;
	case G_LBG: return AMT_PLAT_LBG;
	case G_SPT: return AMT_PLAT_SPT_KBP;
	case G_SNR: return AMT_PLAT_SNR;
	case G_EHL: return AMT_PLAT_MCC;
	case G_JSL: return AMT_PLAT_JSP;
	case G_MTL: return AMT_PLAT_MTL;
	case G_LNL: return AMT_PLAT_LNL;
	case G_PTL: return AMT_PLAT_PTL;
	case G_WCL: return AMT_PLAT_WCL;
	case G_NVL: return AMT_PLAT_NVL;
	default: return AMT_PLAT_UNKNOWN;   /* G_NONE and the strap families */
	}
}

static bool geo_family(enum geo g)
{
	return g == G_CNP || g == G_TGP || g == G_ADP;
}

static const char *geo_family_name(enum geo g)
{
	switch (g) {
	case G_CNP: return "Cannon/Comet Point";
	case G_TGP: return "Tiger Point";
	case G_ADP: return "Alder Point";
	default: return "?";
	}
}

/* Does the row's geometry agree with the one seen? (true when either is
 * not known) */
static bool geo_agrees(const struct row *r, enum geo seen)
{
	if (seen == G_NONE || r->geo == G_NONE)
		return true;
	if (r->geo == seen || r->geo2 == seen)
		return true;
	/* gen 2: one row for Ibex Peak, Cougar and Lynx Point */
	if (r->d.id == AMT_PLAT_IBX_WPT && (seen == G_IBX || seen == G_CPT || seen == G_LPT))
		return true;
	return false;
}

/* Refuse a recognised row whose firmware does not fit. */
static bool check_fw(struct amt_ifd *ifd, const struct amt_platform_desc *d,
		     const struct fwinfo *w, const char *how)
{
	int fit = fw_fits(d, w);
	if (fit == 1)
		ifd->platform.evidence |= AMT_PEV_FIRMWARE;
	if (fit != 0)
		return true;
	char buf[480];
	amt_disable_kind k = kind_of_gen(w->gen);
	set_row(ifd, d);
	snprintf(buf, sizeof(buf), "%s %s (%s), which runs %s, but the image holds %s%s%s%s: the "
		 "platform contradicts the firmware", how, d->name, amt_disable_kind_str(d->kind),
		 d->firmware ? d->firmware : "?", w->text, k != AMT_DIS_NONE ? " (" : "",
		 k != AMT_DIS_NONE ? amt_disable_kind_str(k) : "", k != AMT_DIS_NONE ? ")" : "");
	refuse(ifd, AMT_PST_CONTRADICTS_FW, buf);
	return false;
}

/* The rows of a geometry family whose rule matches. */
static size_t family_matches(const struct amt_ifd *f, enum geo fam, const struct rule **out,
			     size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < NRULES && n < cap; i++) {
		if (rules[i].fam != fam && !(fam == G_CNP && rules[i].fam == G_NONE))
			continue;
		if (rules[i].match(f))
			out[n++] = &rules[i];
	}
	return n;
}

static void named_list(char *buf, size_t len, const struct rule *const *r, size_t n)
{
	size_t l = 0;
	buf[0] = 0;
	for (size_t i = 0; i < n && l < len; i++) {
		int k = snprintf(buf + l, len - l, "%s%s", i ? ", " : "",
				 amt_platform_get(r[i]->id)->name);
		if (k < 0)
			break;
		l += (size_t)k;
	}
}

/* Geometry family (several rows): the strap patterns pick the member,
 * the firmware settles what they leave open. */
static void by_family(struct amt_ifd *ifd, const uint8_t *data, size_t size,
		      const struct geometry *g, const struct fwinfo *w)
{
	const struct rule *m[NRULES];
	size_t n = family_matches(ifd, g->g, m, NRULES);
	char buf[480], names[160];

	/* the firmware drops members it contradicts */
	size_t k = 0;
	const struct rule *fit[NRULES];
	for (size_t i = 0; i < n; i++)
		if (fw_fits(amt_platform_get(m[i]->id), w) != 0)
			fit[k++] = m[i];
	if (n == 0) {
		snprintf(buf, sizeof(buf), "descriptor geometry %s, but the PCH straps match none "
			 "of the %s patterns", g->what, geo_family_name(g->g));
		refuse(ifd, AMT_PST_UNKNOWN, buf);
		return;
	}
	if (k == 0) {
		/* every candidate contradicts the firmware */
		const struct amt_platform_desc *d = amt_platform_get(m[0]->id);
		ifd->platform.evidence = AMT_PEV_GEOMETRY | AMT_PEV_STRAPS;
		check_fw(ifd, d, w, n == 1 ? "the descriptor shows" : "the descriptor shows, among others,");
		return;
	}
	if (k > 1) {
		named_list(names, sizeof(names), fit, k);
		snprintf(buf, sizeof(buf), "descriptor geometry %s; the straps match several "
			 "platforms (%.140s)%s", g->what, names,
			 w->present ? " and the firmware does not settle it" : "");
		refuse(ifd, AMT_PST_AMBIGUOUS, buf);
		return;
	}
	const struct rule *r = fit[0];
	const struct amt_platform_desc *d = amt_platform_get(r->id);
	bool strong = rule_strong(r, ifd);
	int fw = fw_fits(d, w);
	ifd->platform.evidence = AMT_PEV_GEOMETRY | AMT_PEV_STRAPS | (fw == 1 ? AMT_PEV_FIRMWARE : 0);
	ifd->platform.source = d->straps_source ? d->straps_source : d->fingerprint_source;
	why(ifd, "descriptor geometry %s; straps: %s%s%s%s", g->what, r->what,
	    strong ? "" : " (a zero test only)", fw == 1 ? "; firmware: " : "",
	    fw == 1 ? w->text : "");
	locate(ifd, data, size, d);
	if (!ifd->disable.located)
		return;
	if (d->doubtful)
		return;   /* already flagged */
	if (n > k)
		note_add(ifd, "the firmware ruled out %zu other pattern(s)", n - k);
	if (!strong && fw != 1)
		doubt(ifd, "only zero tests of the straps name it and no firmware confirms it");
}

/* Descriptor geometry not in the sources' tables: the firmware and the
 * strong strap patterns may still point at one row, but that is a weaker
 * recognition (DOUBTFUL), except for generations 1 and 2 where one bit
 * serves every chipset. */
static void by_fallback(struct amt_ifd *ifd, const uint8_t *data, size_t size,
			const struct geometry *g, const struct fwinfo *w)
{
	char buf[480], names[160];

	if (w->present && w->gen == 1) {
		const struct amt_platform_desc *d = amt_platform_get(AMT_PLAT_ICH8_10);
		set_row(ifd, d);
		snprintf(buf, sizeof(buf), "generation-1 firmware behind a PCH-layout descriptor "
			 "(%s): contradictory", g->what);
		refuse(ifd, AMT_PST_CONTRADICTS_FW, buf);
		return;
	}
	if (w->present && w->gen == 2) {
		amt_platform_id id = w->fam == AMT_FAM_TXE ? AMT_PLAT_BYT_BSW : AMT_PLAT_IBX_WPT;
		const struct amt_platform_desc *d = amt_platform_get(id);
		ifd->platform.evidence = AMT_PEV_FIRMWARE;
		ifd->platform.source = MEC;
		why(ifd, "%s (me_cleaner: PCHSTRP10 bit 7 for all of generation 2); descriptor "
		    "geometry %s", w->text, g->what);
		locate(ifd, data, size, d);
		return;
	}
	if (!w->present && ifd->version == 1) {
		const struct amt_platform_desc *d = amt_platform_get(AMT_PLAT_IBX_WPT);
		ifd->platform.evidence = 0;
		ifd->platform.source = MEC;
		why(ifd, "IFDv1 PCH-layout descriptor (%s) without firmware: a 5-9 series PCH or "
		    "Bay Trail, which all keep AltMeDisable in PCHSTRP10 bit 7", g->what);
		locate(ifd, data, size, d);
		doubt(ifd, "the descriptor geometry is not one the sources list");
		return;
	}

	/* strong strap patterns, filtered by the firmware */
	const struct rule *m[NRULES];
	size_t n = 0;
	for (size_t i = 0; i < NRULES; i++)
		if (rules[i].anywhere && rules[i].match(ifd) &&
		    fw_fits(amt_platform_get(rules[i].id), w) != 0)
			m[n++] = &rules[i];
	/* rows the firmware names on its own (no strap pattern) */
	amt_platform_id fw_only = AMT_PLAT_UNKNOWN;
	size_t nfw = 0;
	if (w->present && w->version_known) {
		for (size_t i = 0; i < NROWS; i++) {
			const struct amt_platform_desc *d = &rows[i].d;
			if (d->straps || !d->hap_known || fw_fits(d, w) != 1)
				continue;
			fw_only = d->id;
			nfw++;
		}
	}
	if (n == 1) {
		const struct amt_platform_desc *d = amt_platform_get(m[0]->id);
		int fw = fw_fits(d, w);
		ifd->platform.evidence = AMT_PEV_STRAPS | (fw == 1 ? AMT_PEV_FIRMWARE : 0);
		ifd->platform.source = d->straps_source;
		why(ifd, "descriptor geometry %s; straps: %s%s%s", g->what, m[0]->what,
		    fw == 1 ? "; firmware: " : "", fw == 1 ? w->text : "");
		locate(ifd, data, size, d);
		if (fw != 1)
			doubt(ifd, "a strap pattern alone names it (the descriptor geometry is not one "
			      "the sources list)");
		return;
	}
	if (n > 1) {
		named_list(names, sizeof(names), m, n);
		snprintf(buf, sizeof(buf), "descriptor geometry %s; the straps match several "
			 "platforms (%.140s)", g->what, names);
		refuse(ifd, AMT_PST_AMBIGUOUS, buf);
		return;
	}
	if (nfw == 1) {
		const struct amt_platform_desc *d = amt_platform_get(fw_only);
		ifd->platform.evidence = AMT_PEV_FIRMWARE;
		ifd->platform.source = d->source;
		why(ifd, "%s names %s; the descriptor geometry (%s) is not one the sources list",
		    w->text, d->name, g->what);
		locate(ifd, data, size, d);
		doubt(ifd, "the firmware alone names the platform");
		return;
	}
	snprintf(buf, sizeof(buf), "descriptor geometry %s%s%s; no strap pattern of the table "
		 "matches", g->what, w->present ? "; " : "", w->present ? w->text : "");
	refuse(ifd, AMT_PST_UNKNOWN, buf);
}

static void detect(struct amt_ifd *ifd, const uint8_t *data, size_t size,
		   const struct geometry *g, const struct fwinfo *w)
{
	if (geo_family(g->g)) {
		by_family(ifd, data, size, g, w);
		return;
	}
	amt_platform_id id = geo_row(g->g);
	if (id == AMT_PLAT_UNKNOWN) {
		by_fallback(ifd, data, size, g, w);
		return;
	}
	const struct amt_platform_desc *d = amt_platform_get(id);
	ifd->platform.evidence = AMT_PEV_GEOMETRY;
	ifd->platform.source = d->fingerprint_source;

	/* Meteor Lake's geometry with firmware newer than CSME 18 */
	if (id == AMT_PLAT_MTL && w->present && w->fam == AMT_FAM_CSME && w->version_known &&
	    w->major > 18) {
		const struct amt_platform_desc *a = amt_platform_get(AMT_PLAT_ARL_HU);
		char buf[480];
		set_row(ifd, a);
		ifd->platform.evidence |= AMT_PEV_FIRMWARE;
		snprintf(buf, sizeof(buf), "Meteor Lake descriptor geometry (%s) with %s, which "
			 "Meteor Lake does not run: taken for %s; %s", g->what, w->text, a->name,
			 a->source);
		refuse(ifd, AMT_PST_NO_PUBLIC_SOURCE, buf);
		return;
	}
	if (!check_fw(ifd, d, w, "the descriptor geometry shows"))
		return;
	why(ifd, "descriptor geometry %s%s%s", g->what,
	    ifd->platform.evidence & AMT_PEV_FIRMWARE ? "; firmware: " : "",
	    ifd->platform.evidence & AMT_PEV_FIRMWARE ? w->text : "");
	locate(ifd, data, size, d);
}

/* The caller names the platform. */
static void named(struct amt_ifd *ifd, const uint8_t *data, size_t size,
		  const struct geometry *g, const struct fwinfo *w, amt_platform_id id)
{
	const struct row *r = row_of(id);
	char buf[480];
	ifd->platform.named = true;
	ifd->platform.evidence = AMT_PEV_NAMED;
	if (!r) {
		refuse(ifd, AMT_PST_UNKNOWN, "the named platform is not in the table");
		return;
	}
	const struct amt_platform_desc *d = &r->d;
	set_row(ifd, d);
	ifd->platform.source = d->source;
	if (!d->hap_known) {
		snprintf(buf, sizeof(buf), "named: %s; %s", d->name, d->source);
		refuse(ifd, AMT_PST_NO_PUBLIC_SOURCE, buf);
		return;
	}
	if (!check_fw(ifd, d, w, "named"))
		return;
	if (!geo_agrees(r, g->g)) {
		amt_platform_id seen = geo_row(g->g);
		snprintf(buf, sizeof(buf), "named %s, but the descriptor geometry (%s) is %s",
			 d->name, g->what, seen != AMT_PLAT_UNKNOWN ? amt_platform_get(seen)->name
								  : geo_family_name(g->g));
		refuse(ifd, AMT_PST_CONTRADICTS_DESCRIPTOR, buf);
		return;
	}
	if (g->g != G_NONE)
		ifd->platform.evidence |= AMT_PEV_GEOMETRY;
	why(ifd, "named by the user (%s), not detected; descriptor geometry %s", d->key, g->what);
	locate(ifd, data, size, d);
	if (ifd->disable.located)
		note_add(ifd, "location of the named platform %s (%s)", d->key, d->source);
}

/* Expert override: the location as given, UNVERIFIED. */
static void expert(struct amt_ifd *ifd, const uint8_t *data, size_t size,
		   const struct amt_hap_override *o)
{
	struct amt_disable_bit *d = &ifd->disable;
	const struct amt_platform_desc *row = amt_platform_get(ifd->platform.id);
	char was[320];
	snprintf(was, sizeof(was), "%s%s%s", amt_platform_status_str(ifd->platform.status),
		 ifd->platform.name ? ": " : "", ifd->platform.name ? ifd->platform.name : "");
	ifd->platform.expert_override = true;
	if (o->bit > 31 || o->strap >= ifd->npchstrp) {
		char buf[480];
		snprintf(buf, sizeof(buf), "the expert override names PCHSTRP%u bit %u, but the "
			 "descriptor has %u PCH straps of 32 bits", o->strap, o->bit, ifd->npchstrp);
		refuse(ifd, AMT_PST_TOO_FEW_STRAPS, buf);
		return;
	}
	d->kind = row && row->kind == AMT_DIS_ALTMEDISABLE ? AMT_DIS_ALTMEDISABLE : AMT_DIS_HAP;
	d->nloc = 1;
	set_loc(&d->loc[0], ifd, data, size, "PCHSTRP", ifd->fpsba, o->strap, o->bit);
	d->located = true;
	d->source = "expert override: strap and bit given explicitly, no source confirms them";
	d->note[0] = 0;
	read_state(ifd);
	note_add(ifd, "UNVERIFIED: PCHSTRP%u bit %u was given explicitly; no source confirms it",
		 o->strap, o->bit);
	if (row && row->hap_known && row->kind != AMT_DIS_MEDISABLE &&
	    (row->strap_index != o->strap || row->bit != o->bit))
		note_add(ifd, "the table says PCHSTRP%u bit %u for %s", row->strap_index, row->bit,
			 row->name);
	fdv_check(ifd);
	why(ifd, "location given by an expert override, UNVERIFIED (recognition: %s)", was);
	ifd->platform.status = AMT_PST_EXPERT_OVERRIDE;
	ifd->platform.confidence = AMT_CONF_NONE;
	ifd->platform.ambiguous = true;
}

void amt_platform_identify2(struct amt_ifd *ifd, const uint8_t *data, size_t size,
			    const struct amt_fw *fw, amt_platform_id id,
			    const struct amt_hap_override *hap)
{
	struct geometry g;
	struct fwinfo w;

	memset(&ifd->platform, 0, sizeof(ifd->platform));
	memset(&ifd->disable, 0, sizeof(ifd->disable));
	ifd->disable.state = AMT_UNKNOWN;
	classify(ifd, &g);
	fw_info(fw, &w);

	if (id != AMT_PLAT_UNKNOWN)
		named(ifd, data, size, &g, &w, id);
	else
		detect(ifd, data, size, &g, &w);
	if (hap && hap->set)
		expert(ifd, data, size, hap);
	refine_ifd(ifd);
}

void amt_platform_identify(struct amt_ifd *ifd, const uint8_t *data, size_t size,
			   const struct amt_fw *fw, amt_platform_id override)
{
	amt_platform_identify2(ifd, data, size, fw, override, NULL);
}
