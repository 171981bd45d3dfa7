/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HFSTS1 decoding. Bit layout identical in coreboot
 * southbridge/intel/{ibexpeak,bd82x6x,lynxpoint}/me.h,
 * soc/intel/common/block/include/intelblocks/me_*.h and fwupd
 * libfwupdplugin/fu-intel-me.rs (doc/formats.md#hfsts).
 */
#include <amtless/audit.h>

void amt_hfsts1_decode(uint32_t v, struct amt_hfsts1 *o)
{
	o->working_state = v & 0xF;
	o->bit4 = (v >> 4) & 1;
	o->fpt_bad = (v >> 5) & 1;
	o->operation_state = (v >> 6) & 7;
	o->init_complete = (v >> 9) & 1;
	o->bup_load_failure = (v >> 10) & 1;
	o->update_in_progress = (v >> 11) & 1;
	o->error_code = (v >> 12) & 0xF;
	o->operation_mode = (v >> 16) & 0xF;
}

const char *amt_hfsts1_working_state_str(unsigned cws)
{
	static const char *const n[] = {
		"Reset", "Initializing", "Recovery", "Test", "Disabled", "Normal",
		"Platform disable wait", "Operational state transition", "Invalid CPU plugged in",
	};
	if (cws < sizeof(n) / sizeof(n[0]))
		return n[cws];
	if (cws == 0xE)
		return "Halt"; /* fwupd */
	return "reserved";
}

const char *amt_hfsts1_op_mode_str(unsigned mode)
{
	switch (mode) {
	case 0: return "Normal";
	case 2: return "Debug / Alt Disable (HAP, AltMeDisable)";
	case 3: return "Soft temporary disable";
	case 4: return "Security override via jumper";
	case 5: return "Security override via MEI message";
	case 7: return "Enhanced debug";
	case 0xF: return "Server Platform Services";
	}
	return "reserved";
}

const char *amt_hfsts1_error_str(unsigned err)
{
	switch (err) {
	case 0: return "no error";
	case 1: return "uncategorized failure";
	case 2: return "disabled";
	case 3: return "image failure";
	case 4: return "debug failure";
	}
	return "reserved";
}
