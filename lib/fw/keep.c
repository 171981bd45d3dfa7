/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Preview of the default neutralization (what `inspect` shows): which
 * partitions and modules `amtless neutralize` keeps, with the same rules
 * as the planner (lib/neutralize/engine.c, after me_cleaner 1.2):
 *  - partitions: FTPR only (NVRAM and empty entries are dropped from the
 *    $FPT, the others wiped);
 *  - gen 2 modules: ROMP and BUP; ME 6 Ignition: nothing (region wiped);
 *  - gen 3 modules (ME 11, TXE 3, SPS 4): .man and .met entries, and the
 *    modules whose names start with rbe, kernel, syslib, bup;
 *  - gen 1: nothing (the region is wiped and disabled in the descriptor);
 *  - CSME 12+ / IFWI (lib/neutralize/cse.c): the HAP bit only by default,
 *    so everything is kept and no smaller region size is offered.
 * code_bytes / kept_bytes are the code measure (lib/neutralize/code.c,
 * amt_code_measure AMT_CODE_DEFAULT_KEEP: the one computation behind
 * every "code kept" figure). min_region_size is left 0: the smallest ME
 * region is the planner's number (struct amt_plan min_me_size; ask it with
 * amt_neutralize and plan_only), the model does not plan. Formerly: end of the
 * last kept byte, rounded up to the next 4 KiB page (always one more),
 * plus 4 spare pages. Huffman modules of gen 2 are counted by their
 * stored size; their real extent (LLUT chunks) is known to the planner
 * only, which reports the exact minimum size.
 */
#include <string.h>

#include "internal.h"

static bool keep_module(const struct amt_fw *fw, const struct amt_module *m)
{
	return amt_fw_boot_module(fw, m);
}

static bool ignition(const struct amt_fw *fw)
{
	return fw->generation == 2 && fw->version_known && fw->version.major == 6 &&
	       fw->family == AMT_FAM_ME && !strcmp(fw->sku, "Ignition");
}

/* code_bytes / kept_bytes: the one code measure (no memory: left 0) */
static void tally(struct amt_fw *fw)
{
	unsigned n, k;
	if (amt_code_tally(fw, true, NULL, &fw->code_bytes, &fw->kept_bytes, &n, &k) != AMT_OK)
		fw->code_bytes = fw->kept_bytes = 0;
}

void amt_fw_mark_kept(struct amt_fw *fw)
{
	fw->code_bytes = fw->kept_bytes = fw->min_region_size = 0;
	for (size_t i = 0; i < fw->npartitions; i++)
		fw->partitions[i].kept = false;
	for (size_t i = 0; i < fw->nmodules; i++)
		fw->modules[i].kept = false;
	if (fw->layout == AMT_LAYOUT_NONE)
		return;
	if (fw->layout == AMT_LAYOUT_IFWI16 || fw->layout == AMT_LAYOUT_IFWI17 ||
	    fw->layout == AMT_LAYOUT_BPDT ||
	    (fw->generation == 3 && fw->version_known && fw->version.major >= 12)) {
		/* lib/neutralize/cse.c: by default only the HAP bit; the firmware
		 * is left byte for byte (module removal is an explicit option) */
		for (size_t i = 0; i < fw->npartitions; i++) {
			struct amt_partition *p = &fw->partitions[i];
			p->kept = !p->empty && p->in_range;
		}
		for (size_t i = 0; i < fw->nmodules; i++) {
			struct amt_module *m = &fw->modules[i];
			m->kept = true;
		}
		tally(fw);
		return;
	}

	bool wipe = fw->generation == 1 || ignition(fw);
	for (size_t i = 0; i < fw->npartitions; i++) {
		struct amt_partition *p = &fw->partitions[i];
		bool code = !strcmp(p->name, "FTPR") || !strcmp(p->name, "CODE");
		/* a region truncated after its kept data: FTPR runs past the file,
		 * and what remains of it is what is kept */
		if (code && !wipe && !strcmp(p->name, "FTPR") && !p->empty &&
		    (p->in_range || fw->truncated))
			p->kept = true;
		if (!code)
			continue;
		/* modules of this partition, sorted by offset for "next entry" ends */
		for (size_t k = p->first_module; k < p->first_module + p->nmodules && k < fw->nmodules; k++) {
			struct amt_module *m = &fw->modules[k];
			if (!p->kept || !keep_module(fw, m))
				continue;
			m->kept = true;
		}
	}
	tally(fw);
}
