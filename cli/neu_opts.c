/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The shared neutralization options (neu_opts.h). */
#include <stdio.h>

#include "cli.h"
#include "neu_opts.h"

int neu_opt(const char *name, int c, const char *arg, struct amt_neutralize_opts *o,
	    struct neu_flags *f)
{
	amt_error err;
	switch (c) {
	case NEU_O_NODIS: f->no_disable_bit = true; break;
	case NEU_O_DISONLY: o->disable_bit_only = true; break;
	case NEU_O_KEEPMOD: o->keep_modules = true; break;
	case NEU_O_KEEPP:
	case NEU_O_REMP:
		if (amt_neutralize_parse_list(o, c == NEU_O_REMP, arg, &err) != AMT_OK)
			return cli_usage_error(name, "%s", err.message);
		break;
	case NEU_O_RELOC: o->relocate = true; break;
	case NEU_O_MASTER: o->fix_master = true; break;
	case NEU_O_PLAT:
		o->platform = amt_platform_from_key(arg);
		if (o->platform == AMT_PLAT_UNKNOWN)
			return cli_usage_error(name, "unknown platform '%s' (see 'amtless "
					       "inspect --help' for the keys)", arg);
		break;
	case NEU_O_ALLOWFDV: o->allow_signed_descriptor = true; break;
	case NEU_O_EXPERT: {
		unsigned idx, bit;
		char tail;
		if (sscanf(arg, "PCHSTRP%u:%u%c", &idx, &bit, &tail) != 2 || bit > 31 ||
		    idx >= AMT_IFD_MAX_STRAPS)
			return cli_usage_error(name, "--expert-disable-bit takes PCHSTRPn:BIT "
					       "(n < %d, BIT 0-31), not '%s'", AMT_IFD_MAX_STRAPS,
					       arg);
		o->hap_override.set = true;
		o->hap_override.strap = idx;
		o->hap_override.bit = bit;
		break;
	}
	case NEU_O_REDUCE: o->reduce_cse = true; break;
	default: return NEU_OPT_NOT_MINE;
	}
	f->any = true;
	return 0;
}

int neu_opts_finish(const char *name, struct amt_neutralize_opts *o, const struct neu_flags *f)
{
	if (f->no_disable_bit && o->disable_bit_only)
		return cli_usage_error(name, "--no-disable-bit and --disable-bit-only exclude "
				       "each other");
	if (o->disable_bit_only) {
		const char *other = o->relocate ? "--relocate" : o->truncate ? "--truncate" :
				    o->keep_modules ? "--keep-modules" :
				    o->nwhitelist ? "--keep-partitions" :
				    o->blacklist_given ? "--remove-partitions" : NULL;
		if (other)
			return cli_usage_error(name, "--disable-bit-only changes nothing else: it "
					       "cannot be combined with %s", other);
	}
	if ((o->nwhitelist || o->blacklist_given) && o->relocate)
		return cli_usage_error(name, "--relocate assumes FTPR is the only partition "
				       "left: it cannot be combined with "
				       "--keep-partitions/--remove-partitions");
	if (o->nwhitelist && o->blacklist_given)
		return cli_usage_error(name, "--keep-partitions and --remove-partitions "
				       "exclude each other");
	o->set_disable_bit = !f->no_disable_bit && !o->disable_bit_only;
	return 0;
}
