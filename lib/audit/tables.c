/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tables for the live audit: HECI device IDs -> generation, Intel network
 * controllers -> AMT capability, AMT redirection functions, MEI client UUIDs.
 * Summary in doc/formats.md#hfsts and doc/formats.md#mei-clients; sources per table.
 */
#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include <amtless/audit.h>

const char amt_audit_heci_table_source[] =
	"Linux drivers/misc/mei/hw-me-regs.h + pci-me.c (IDs, fw_status register counts), "
	"pci.ids (names)";

const char amt_audit_nic_table_source[] =
	"Linux drivers/net/ethernet/intel/e1000e/hw.h (IDs, *_AMT macro names), "
	"pci.ids (names); -LM/-DM/-MM = manageability parts";

/*
 * HECI1 device IDs (Linux hw-me-regs.h, pci-me.c). me_major: lowest ME/CSME major of
 * the family (0 = TXE/IE, no AMT generation mapping). nregs = fw_status
 * lines of the kernel config (ICH 0, ICH10 1, PCH6/7 2, PCH8+ 6).
 */
static const struct amt_heci_id heci_ids[] = {
	{ 0x2974, "946GZ/GL (ME 2)", 2, 0, false, false },
	{ 0x2984, "G35 (ME 2)", 2, 0, false, false },
	{ 0x2994, "Q963/Q965 (ME 2)", 2, 0, false, false },
	{ 0x29A4, "P965/G965 (ME 2)", 2, 0, false, false },
	{ 0x2A04, "GM965/PM965 (ME 2)", 2, 0, false, false },
	{ 0x2A14, "GME965/GLE960 (ME 2)", 2, 0, false, false },
	{ 0x29B4, "Q35 / ICH9 Bearlake (ME 3)", 3, 0, false, false },
	{ 0x29C4, "G33/P35 / ICH9 Bearlake (ME 3)", 3, 0, false, false },
	{ 0x29D4, "Q33 / ICH9 Bearlake (ME 3)", 3, 0, false, false },
	{ 0x29E4, "X38 / ICH9 Bearlake (ME 3)", 3, 0, false, false },
	{ 0x29F4, "3200 / ICH9 Bearlake (ME 3)", 3, 0, false, false },
	{ 0x28B4, "Q45/Q43 Eaglelake (ME 4)", 4, 0, false, false },
	{ 0x28C4, "G45/G43 Eaglelake (ME 4)", 4, 0, false, false },
	{ 0x28D4, "G45/G43 Eaglelake (ME 4)", 4, 0, false, false },
	{ 0x28E4, "B43 Eaglelake (ME 4)", 4, 0, false, false },
	{ 0x28F4, "B43 Eaglelake (ME 4)", 4, 0, false, false },
	{ 0x2A44, "GM45 Cantiga (ME 4)", 4, 0, false, false },
	{ 0x2A54, "Cantiga (ME 4)", 4, 0, false, false },
	{ 0x2A64, "Cantiga (ME 4)", 4, 0, false, false },
	{ 0x2A74, "Cantiga (ME 4)", 4, 0, false, false },
	{ 0x2E04, "ICH10 Eaglelake (ME 5)", 5, 1, false, false },
	{ 0x2E14, "ICH10 Eaglelake (ME 5)", 5, 1, false, false },
	{ 0x2E24, "ICH10 Eaglelake (ME 5)", 5, 1, false, false },
	{ 0x2E34, "ICH10 Eaglelake (ME 5)", 5, 1, false, false },
	{ 0x3B64, "Ibex Peak (ME 6)", 6, 2, false, false },
	{ 0x3B65, "Ibex Peak (ME 6)", 6, 2, false, false },
	{ 0x1C3A, "Cougar Point (ME 7)", 7, 2, false, false },
	{ 0x1D3A, "Patsburg (ME 7 / SPS)", 7, 2, false, true },
	{ 0x1E3A, "Panther Point (ME 8)", 8, 2, false, false },
	{ 0x1CBA, "Panther Point (ME 8)", 8, 2, false, false },
	{ 0x1DBA, "Panther Point (ME 8)", 8, 2, false, false },
	{ 0x8C3A, "Lynx Point-H (ME 9)", 9, 6, false, false },
	{ 0x8D3A, "Wellsburg (ME 9 / SPS)", 9, 6, false, true },
	{ 0x8CBA, "Lynx Point-H refresh (ME 9)", 9, 6, false, false },
	{ 0x9C3A, "Lynx Point-LP (ME 9.5)", 9, 6, false, false },
	{ 0x9CBA, "Wildcat Point-LP (ME 10)", 10, 6, false, false },
	{ 0x9CBB, "Wildcat Point-LP (ME 10)", 10, 6, false, false },
	{ 0x9D3A, "Sunrise Point-LP (CSME 11)", 11, 6, false, false },
	{ 0x9D3B, "Sunrise Point-LP (CSME 11)", 11, 6, false, false },
	{ 0x9D3E, "Sunrise Point-LP (CSME 11)", 11, 6, false, false },
	{ 0xA13A, "Sunrise Point-H (CSME 11)", 11, 6, false, false },
	{ 0xA13B, "Sunrise Point-H (CSME 11)", 11, 6, false, false },
	{ 0xA1BA, "Lewisburg (server)", 11, 6, false, true },
	{ 0x1A9A, "Broxton (TXE)", 0, 6, false, false },
	{ 0x5A9A, "Apollo Lake (TXE)", 0, 6, false, false },
	{ 0x319A, "Gemini Lake (TXE)", 0, 6, false, false },
	{ 0x19E5, "Denverton (IE)", 0, 6, false, true },
	{ 0xA2BA, "Kaby Point / Union Point (CSME 11)", 11, 6, false, false },
	{ 0xA2BB, "Kaby Point / Union Point (CSME 11)", 11, 6, false, false },
	{ 0xA2BE, "Kaby Point / Union Point (CSME 11)", 11, 6, false, false },
	{ 0x9DE0, "Cannon Point-LP (CSME 12)", 12, 6, false, false },
	{ 0x9DE4, "Cannon Point-LP (CSME 12)", 12, 6, false, false },
	{ 0xA360, "Cannon Point-H (CSME 12)", 12, 6, false, false },
	{ 0xA364, "Cannon Point-H (CSME 12)", 12, 6, true, false },
	{ 0x02E0, "Comet Lake-LP (CSME 14)", 14, 6, false, false },
	{ 0x02E4, "Comet Lake-LP (CSME 14)", 14, 6, false, false },
	{ 0x06E0, "Comet Lake-H (CSME 14)", 14, 6, false, false },
	{ 0x06E4, "Comet Lake-H (CSME 14)", 14, 6, false, false },
	{ 0xA3BA, "Comet Lake-V (CSME 14)", 14, 6, false, false },
	{ 0x34E0, "Ice Lake-LP (CSME 13)", 13, 6, false, false },
	{ 0x38E0, "Ice Lake-N (CSME 13)", 13, 6, false, false },
	{ 0xA0E0, "Tiger Lake-LP (CSME 15)", 15, 6, false, false },
	{ 0x43E0, "Tiger Lake-H (CSME 15)", 15, 6, true, false },
	{ 0x4DE0, "Jasper Lake (CSME 15)", 15, 6, false, false },
	{ 0x4B70, "Elkhart Lake (CSME 15)", 15, 6, false, false },
	{ 0x4B75, "Elkhart Lake (CSME 15)", 15, 6, false, false },
	{ 0x18D3, "Cedar Fork (server)", 0, 6, false, true },
	{ 0x1BE0, "Emmitsburg (server)", 0, 6, true, true },
	{ 0x7AE8, "Alder Lake-S (CSME 16)", 16, 6, false, false },
	{ 0x7A60, "Alder Lake-S (CSME 16)", 16, 6, false, false },
	{ 0x51E0, "Alder Lake-P (CSME 16)", 16, 6, false, false },
	{ 0x54E0, "Alder Lake-N (CSME 16)", 16, 6, false, false },
	{ 0x7A68, "Raptor Lake-S (CSME 16)", 16, 6, true, false },
	{ 0x7E70, "Meteor Lake-M (CSME 18)", 18, 6, false, false },
	{ 0x7F68, "Arrow Lake-S/HX (CSME 19)", 19, 6, false, false }, /* 19.0.5.2095 on a P16 Gen 3, canonical/secboot#572 */
	{ 0x7770, "Arrow Lake-H (CSME 18)", 18, 6, false, false },
	{ 0xA870, "Lunar Lake-M (CSME 20)", 20, 6, false, false },  /* 20.0.0.1322, fwupd fu-intel-me-test.c */
	{ 0xE370, "Panther Lake-H (CSME 21)", 21, 6, false, false }, /* CSME 21: coreboot soc/intel/pantherlake ME_SPEC_21 */
	{ 0xE470, "Panther Lake-P (CSME 21)", 21, 6, false, false },
	{ 0x4D70, "Wildcat Lake-P (CSME 21)", 21, 6, false, false },
	{ 0x6E68, "Nova Lake-S (CSME 21+)", 21, 6, false, false },
};

const struct amt_heci_id *amt_heci_lookup(uint16_t device)
{
	for (size_t i = 0; i < sizeof(heci_ids) / sizeof(heci_ids[0]); i++)
		if (heci_ids[i].device == device)
			return &heci_ids[i];
	return NULL;
}

#define C AMT_NIC_AMT_CAPABLE
#define N AMT_NIC_NOT_AMT
#define P AMT_NIC_POSSIBLE
/* Linux e1000e hw.h IDs, pci.ids names. */
static const struct amt_nic_id nic_ids[] = {
	{ 0x108C, "82573E (AMT 1.0 on the NIC)", C },
	{ 0x1049, "82566MM (ICH8_IGP_M_AMT)", C },
	{ 0x104A, "82566DM (ICH8_IGP_AMT)", C },
	{ 0x10BD, "82566DM-2 (ICH9_IGP_AMT)", C },
	{ 0x10F5, "82567LM (ICH9_IGP_M_AMT)", C },
	{ 0x104B, "82566DC", N }, { 0x104D, "82566MC", N },
	{ 0x104C, "82562V", N }, { 0x10C0, "82562V-2", N }, { 0x294C, "82566DC-2", N },
	{ 0x10CC, "82567LM-2", C }, { 0x10DE, "82567LM-3", C }, { 0x10E5, "82567LM-4", C },
	{ 0x10CB, "82567V", N }, { 0x10CE, "82567V-2", N }, { 0x1525, "82567V-4", N },
	{ 0x1501, "82567V-3", N },
	{ 0x10BF, "82567LF", N }, { 0x10CD, "82567LF-2", N }, { 0x10DF, "82567LF-3", N },
	{ 0x10EA, "82577LM", C }, { 0x10EB, "82577LC", N },
	{ 0x10EF, "82578DM", C }, { 0x10F0, "82578DC", N },
	{ 0x1502, "82579LM", C }, { 0x1503, "82579V", N },
	{ 0x153A, "I217-LM", C }, { 0x153B, "I217-V", N },
	{ 0x155A, "I218-LM", C }, { 0x1559, "I218-V", N },
	{ 0x15A0, "I218-LM (2)", C }, { 0x15A1, "I218-V (2)", N },
	{ 0x15A2, "I218-LM (3)", C }, { 0x15A3, "I218-V (3)", N },
	{ 0x156F, "I219-LM", C }, { 0x1570, "I219-V", N },
	{ 0x15B7, "I219-LM (2)", C }, { 0x15B8, "I219-V (2)", N },
	{ 0x15B9, "I219-LM (3)", C },
	{ 0x15D7, "I219-LM (4)", C }, { 0x15D8, "I219-V (4)", N },
	{ 0x15E3, "I219-LM (5)", C }, { 0x15D6, "I219-V (5)", N },
	{ 0x15BD, "I219-LM (6)", C }, { 0x15BE, "I219-V (6)", N },
	{ 0x15BB, "I219-LM (7)", C }, { 0x15BC, "I219-V (7)", N },
	{ 0x15DF, "I219-LM (8)", C }, { 0x15E0, "I219-V (8)", N },
	{ 0x15E1, "I219-LM (9)", C }, { 0x15E2, "I219-V (9)", N },
	{ 0x0D4E, "I219-LM (10)", C }, { 0x0D4F, "I219-V (10)", N },
	{ 0x0D4C, "I219-LM (11)", C }, { 0x0D4D, "I219-V (11)", N },
	{ 0x0D53, "I219-LM (12)", C }, { 0x0D55, "I219-V (12)", N },
	{ 0x15FB, "I219-LM (13)", C }, { 0x15FC, "I219-V (13)", N },
	{ 0x15F9, "I219-LM (14)", C }, { 0x15FA, "I219-V (14)", N },
	{ 0x15F4, "I219-LM (15)", C }, { 0x15F5, "I219-V (15)", N },
	{ 0x1A1E, "I219-LM (16)", C }, { 0x1A1F, "I219-V (16)", N },
	{ 0x1A1C, "I219-LM (17)", C }, { 0x1A1D, "I219-V (17)", N },
	{ 0x550A, "I219-LM (18)", C }, { 0x550B, "I219-V (18)", N },
	{ 0x550C, "I219-LM (19)", C }, { 0x550D, "I219-V (19)", N },
	{ 0x550E, "I219-LM (20)", C }, { 0x550F, "I219-V (20)", N },
	{ 0x5510, "I219-LM (21)", C }, { 0x5511, "I219-V (21)", N },
	{ 0x0DC7, "I219-LM (22)", C }, { 0x0DC8, "I219-V (22)", N },
	{ 0x0DC5, "I219-LM (23)", C }, { 0x0DC6, "I219-V (23)", N },
	{ 0x57A0, "I219-LM (24)", C }, { 0x57A1, "I219-V (24)", N },
	{ 0x57B3, "I219-LM (25)", C }, { 0x57B4, "I219-V (25)", N },
	{ 0x57B5, "I219-LM (26)", C }, { 0x57B6, "I219-V (26)", N },
	{ 0x57B7, "I219-LM (27)", C }, { 0x57B8, "I219-V (27)", N },
	{ 0x57B9, "I219-LM (29)", C }, { 0x57BA, "I219-V (29)", N },
	/* discrete igb parts: no source lists them as AMT parts (unverified) */
	{ 0x1533, "I210", N }, { 0x1536, "I210", N }, { 0x1537, "I210", N },
	{ 0x1538, "I210", N }, { 0x157B, "I210", N }, { 0x157C, "I210", N },
	{ 0x1539, "I211", N },
	/* discrete 2.5GbE -LM parts marketed for vPro (no primary source) */
	{ 0x15F2, "I225-LM", P }, { 0x125B, "I226-LM", P },
	{ 0x15F3, "I225-V", N }, { 0x125C, "I226-V", N },
};
#undef C
#undef N
#undef P

const struct amt_nic_id *amt_nic_lookup(uint16_t device)
{
	for (size_t i = 0; i < sizeof(nic_ids) / sizeof(nic_ids[0]); i++)
		if (nic_ids[i].device == device)
			return &nic_ids[i];
	return NULL;
}

/*
 * AMT redirection functions on 00:16.x: IDE-R ("PT IDER", "IDE-r") and
 * KT/SOL ("KT Controller", "AMT SOL Redirection"). Names from pci.ids
 * 2023.04.10 (/usr/share/misc/pci.ids); 9C3D also from pci.ids ("8 Series HECI KT").
 */
static const struct { uint16_t device; amt_redir_kind kind; } redir_ids[] = {
	{ 0x1084, AMT_REDIR_IDER }, { 0x2976, AMT_REDIR_IDER }, { 0x2996, AMT_REDIR_IDER }, { 0x29A6, AMT_REDIR_IDER },
	{ 0x29B6, AMT_REDIR_IDER }, { 0x29C6, AMT_REDIR_IDER }, { 0x29D6, AMT_REDIR_IDER }, { 0x29E6, AMT_REDIR_IDER },
	{ 0x29F6, AMT_REDIR_IDER }, { 0x2A06, AMT_REDIR_IDER }, { 0x2A16, AMT_REDIR_IDER }, { 0x2A46, AMT_REDIR_IDER },
	{ 0x2A52, AMT_REDIR_IDER }, { 0x2E06, AMT_REDIR_IDER }, { 0x2E16, AMT_REDIR_IDER }, { 0x2E26, AMT_REDIR_IDER },
	{ 0x2E36, AMT_REDIR_IDER }, { 0x2E46, AMT_REDIR_IDER }, { 0x2E96, AMT_REDIR_IDER }, { 0x3B66, AMT_REDIR_IDER },
	{ 0x1C3C, AMT_REDIR_IDER }, { 0x1D3C, AMT_REDIR_IDER }, { 0x1E3C, AMT_REDIR_IDER }, { 0x8C3C, AMT_REDIR_IDER },
	{ 0x8CBC, AMT_REDIR_IDER }, { 0x8D3C, AMT_REDIR_IDER }, { 0x9C3C, AMT_REDIR_IDER }, { 0x9CBC, AMT_REDIR_IDER },
	{ 0xA1FA, AMT_REDIR_IDER },
	{ 0x1085, AMT_REDIR_KT }, { 0x108F, AMT_REDIR_KT }, { 0x19D5, AMT_REDIR_KT }, { 0x2977, AMT_REDIR_KT },
	{ 0x2997, AMT_REDIR_KT }, { 0x29A7, AMT_REDIR_KT }, { 0x29B7, AMT_REDIR_KT }, { 0x29C7, AMT_REDIR_KT },
	{ 0x29D7, AMT_REDIR_KT }, { 0x29E7, AMT_REDIR_KT }, { 0x29F7, AMT_REDIR_KT }, { 0x2A07, AMT_REDIR_KT },
	{ 0x2A17, AMT_REDIR_KT }, { 0x2A47, AMT_REDIR_KT }, { 0x2A53, AMT_REDIR_KT }, { 0x2E07, AMT_REDIR_KT },
	{ 0x2E17, AMT_REDIR_KT }, { 0x2E27, AMT_REDIR_KT }, { 0x2E37, AMT_REDIR_KT }, { 0x2E47, AMT_REDIR_KT },
	{ 0x3B67, AMT_REDIR_KT }, { 0x1C3D, AMT_REDIR_KT }, { 0x1D3D, AMT_REDIR_KT }, { 0x1E3D, AMT_REDIR_KT },
	{ 0x8C3D, AMT_REDIR_KT }, { 0x8CBD, AMT_REDIR_KT }, { 0x8D3D, AMT_REDIR_KT }, { 0x9C3D, AMT_REDIR_KT },
	{ 0x9CBD, AMT_REDIR_KT }, { 0x9D3D, AMT_REDIR_KT }, { 0xA0E3, AMT_REDIR_KT }, { 0xA13D, AMT_REDIR_KT },
	{ 0xA1BD, AMT_REDIR_KT }, { 0xA1FB, AMT_REDIR_KT }, { 0xA363, AMT_REDIR_KT }, { 0x51E3, AMT_REDIR_KT },
	{ 0x06E3, AMT_REDIR_KT },
};

amt_redir_kind amt_redir_lookup(uint16_t device)
{
	for (size_t i = 0; i < sizeof(redir_ids) / sizeof(redir_ids[0]); i++)
		if (redir_ids[i].device == device)
			return redir_ids[i].kind;
	return AMT_REDIR_NONE;
}

const char AMT_UUID_MKHI[] = "8e6a6715-9abc-4043-88ef-9e39c6f63e0f";
const char AMT_UUID_AMTHI[] = "12f80028-b4b7-4b2d-aca8-46e0ff65814c";

/* intel/lms HECI_if.h, Linux bus-fixup.c, mei_wdt.c, DAL (doc/formats.md#mei-clients). */
static const struct amt_mei_client_id clients[] = {
	{ "12f80028-b4b7-4b2d-aca8-46e0ff65814c", "AMTHI (AMT host interface)", true },
	{ "6733a4db-0476-4e7b-b3af-bcfc29bee7a7", "LME (AMT local manageability)", true },
	{ "05b79a6f-4628-4d7f-899d-a91514cb32ab", "iAMT watchdog", true },
	{ "bb875e12-cb58-4d14-ae93-8566183c66c7", "ASF", true },
	{ "8e6a6715-9abc-4043-88ef-9e39c6f63e0f", "MKHI", false },
	{ "55213584-9a29-4916-badf-0fb7ed682aeb", "MKHI fix (fw_ver)", false },
	{ "309dcde8-ccb1-4062-8f78-600115a34327", "FW update", false },
	{ "082ee5a7-7c25-470a-9643-0c06f0466ea1", "HOTHAM", false },
	{ "dd17041c-09ea-4b17-a271-5b989867ec65", "MCHI/MCA", false },
	{ "92136c79-5fea-4cfd-980e-23be07fa5e9f", "UPID", false },
	{ "ed6703fa-d312-4e8b-9ddd-2155bb2dee65", "PSR", false },
	{ "3c4852d6-d47b-4f46-b05e-b5edc1aa440e", "DAL IVM", false },
	{ "b638ab7e-94e2-4ea2-a552-d1c54b627f04", "HDCP", false },
	{ "fbf6fcf1-96cf-4e2e-a6a6-1bab8cbe36b1", "PAVP/PXP", false },
	{ "42b3ce2f-bd9f-485a-96ae-26406230b1ff", "ICC", false },
	{ "6861ec7b-d07a-4673-856c-7f22b4d55769", "MCHI #1", false },
	{ "d2de1625-382d-417d-48a4-efabba8a1206", "NFC info", false },
	{ "0bb17a78-2a8e-4c50-94d4-50266723775c", "NFC HCI", false },
};

const struct amt_mei_client_id *amt_mei_client_lookup(const char *uuid)
{
	if (!uuid)
		return NULL;
	for (size_t i = 0; i < sizeof(clients) / sizeof(clients[0]); i++)
		if (!strcasecmp(clients[i].uuid, uuid))
			return &clients[i];
	return NULL;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

bool amt_uuid_le_parse(const char *text, uint8_t out[16])
{
	uint8_t be[16];
	unsigned n = 0;

	if (!text || strlen(text) != 36)
		return false;
	for (size_t i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (text[i] != '-')
				return false;
			continue;
		}
		int hi = hexval((unsigned char)text[i]), lo;
		if (hi < 0 || i + 1 >= 36 || (lo = hexval((unsigned char)text[i + 1])) < 0)
			return false;
		be[n++] = (uint8_t)(hi << 4 | lo);
		i++;
	}
	if (n != 16)
		return false;
	/* uuid_le: first three fields little-endian (uapi mei.h) */
	out[0] = be[3]; out[1] = be[2]; out[2] = be[1]; out[3] = be[0];
	out[4] = be[5]; out[5] = be[4];
	out[6] = be[7]; out[7] = be[6];
	memcpy(out + 8, be + 8, 8);
	return true;
}
