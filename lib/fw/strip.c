/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Is the firmware stripped (neutralized)? The SKU says what the firmware
 * was built with; after me_cleaner or `amtless neutralize` the AMT code is
 * gone although the SKU still says corporate/5MB. The firmware is
 * stripped when
 *  - every code module outside the boot keep list (amt_fw_boot_module,
 *    lib/fw/boot.c: the one list the planner and the verifier use) is
 *    present == NO (lib/fw/present.c) - or there is none left at all while
 *    boot modules hold code (a region cut down to FTPR) - and
 *  - no other code partition without a module list ($FPT type code, not
 *    FTPR) holds a byte that is not 0xFF.
 * Then AMT present YES becomes NO, with an evidence line. When the only
 * doubt is modules whose presence is UNKNOWN, nothing is concluded and an
 * evidence line says so.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static bool part_holds_data(const struct amt_fw *fw, const struct amt_partition *p,
			    const uint8_t *d, size_t size)
{
	uint64_t end = fw->region_offset + fw->region_size;
	if (end < fw->region_offset || end > size)
		end = size;
	uint64_t phi = p->size > UINT64_MAX - p->offset ? UINT64_MAX : p->offset + p->size;
	return amt_stored_present(d, end, p->offset, phi, p->offset, p->size) != AMT_NO;
}

/* Append "NAME" to a list, within len; "..." once it is full. */
static void list_add(char *buf, size_t len, const char *name)
{
	size_t n = strlen(buf);
	if (n + 4 >= len)
		return;
	if (n + strlen(name) + 6 >= len) {
		snprintf(buf + n, len - n, "%s...", n ? ", " : "");
		return;
	}
	snprintf(buf + n, len - n, "%s%s", n ? ", " : "", name);
}

amt_status amt_fw_strip_check(struct amt_fw *fw, const uint8_t *d, size_t size)
{
	size_t ncode = 0, nhold = 0, nother = 0, nyes = 0, nunk = 0;
	char held[64] = "", unknown[64] = "";

	fw->stripped = false;
	for (size_t i = 0; i < fw->nmodules; i++) {
		const struct amt_module *m = &fw->modules[i];
		if (m->kind != AMT_MOD_MODULE)
			continue;
		ncode++;
		if (m->present == AMT_YES) {
			nhold++;
			list_add(held, sizeof(held), m->name);
		}
		if (amt_fw_boot_module(fw, m))
			continue;
		nother++;
		if (m->present == AMT_YES)
			nyes++;
		else if (m->present == AMT_UNKNOWN) {
			nunk++;
			list_add(unknown, sizeof(unknown), m->name);
		}
	}
	/* no module outside the keep-list at all: stripped when boot modules
	 * hold code and no other code partition is left (checked below) */
	if (nyes || (!nother && !nhold))
		return AMT_OK;
	for (size_t i = 0; i < fw->npartitions; i++) {
		const struct amt_partition *p = &fw->partitions[i];
		if (p->container != AMT_CONT_FPT || p->type != AMT_FPT_CODE || !p->valid ||
		    p->empty || p->nmodules || p->has_cpd || !strcmp(p->name, "FTPR"))
			continue;
		if (part_holds_data(fw, p, d, size))
			return AMT_OK;
	}
	if (nunk) {
		if (fw->amt_present != AMT_YES)
			return AMT_OK;
		return amt_fw_add_evidence(fw, "the other code modules are erased, but whether %zu "
					   "module(s) (%s) still hold code could not be checked: "
					   "AMT kept as the SKU says", nunk, unknown);
	}
	fw->stripped = true;
	if (fw->amt_present != AMT_YES)
		return AMT_OK;
	fw->amt_present = AMT_NO;
	return amt_fw_add_evidence(fw, "the SKU supports AMT but the AMT code is no longer in "
				   "the image: firmware stripped (neutralized), only %zu of %zu "
				   "modules hold code (%s)", nhold, ncode, nhold ? held : "none");
}
