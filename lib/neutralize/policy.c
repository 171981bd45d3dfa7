/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The two policies of the one planner, as data. Everything else - the
 * boot keep-list (lib/fw/boot.c), the disable bit (the platform table,
 * lib/ifd/platform.c), the $FPT and $CPD rules (lib/fw/fpt.c,
 * lib/fw/cse/cpd.c) - is the same for both.
 *
 * me_cleaner 1.2 facts: corna/me_cleaner 43612a6, me_cleaner.py.
 */
#include <stddef.h>
#include <string.h>

#include "neutralize_int.h"

static const struct amt_policy policies[] = {
	{
		.id = AMT_NEU_NATIVE,
		.ftpr_extent_cpd = false,
		.cse12_fixed_list = false,
		.ifwi = true,
		.refuse_mc_crash = false,
		.shrink = true,
		.scanned_descriptor = true,
	},
	{
		.id = AMT_NEU_ME_CLEANER,
		/* me_cleaner erases a removed partition over the unused end of
		 * FTPR's $FPT range (ME 11.8: DLMP); what FTPR's $CPD uses is
		 * never touched */
		.ftpr_extent_cpd = true,
		/* check_and_remove_modules_gen3 for every $CPD firmware */
		.cse12_fixed_list = true,
		/* "Unknown image" / "The ME/TXE region is valid but the
		 * firmware is corrupted or missing" */
		.ifwi = false,
		/* remove_modules: max() over the kept chunks raises on an
		 * empty list */
		.refuse_mc_crash = true,
		.shrink = false,
		/* the descriptor signature only at 0 or 0x10 */
		.scanned_descriptor = false,
	},
};

const struct amt_policy *amt_policy_get(amt_neu_policy id)
{
	return &policies[id == AMT_NEU_ME_CLEANER ? 1 : 0];
}

bool amt_neu_opts_norm(const struct amt_neutralize_opts *in, struct amt_neutralize_opts *out)
{
	/* the first version ended with hap_override */
	struct amt_neutralize_opts o;
	amt_neutralize_opts_init(&o);
	if (!amt_opts_take(&o, sizeof(o), in,
			   AMT_OPTS_V1_END(struct amt_neutralize_opts, hap_override)))
		return false;
	if ((unsigned)o.operation > AMT_NEU_OP_CLEAR_DISABLE_BIT)
		return false;
	if (o.operation == AMT_NEU_OP_SET_DISABLE_BIT)
		o.disable_bit_only = true;
	*out = o;
	return true;
}
