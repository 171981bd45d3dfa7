/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which modules of the input model a plan keeps, read from the plan's
 * events (the planner's own decisions, never a second keep rule): a
 * module with an AMT_EV_MODULE event is kept when its disposition is a
 * kept one; a module without one (a partition the planner did not open,
 * gen 2 NFTP, or a partition kept on request) follows its partition's
 * AMT_EV_PARTITION event; no event at all: removed (a wiped region).
 */
#include <string.h>

#include <amtless/neutralize.h>
#include <amtless/remains.h>

#include "internal.h"

amt_status amt_plan_kept_modules(const struct amt_plan *p, const struct amt_image *img,
				 bool *kept, size_t nkept)
{
	if (!p || !img || !img->has_fw || nkept != img->fw.nmodules)
		return AMT_E_ARG;
	const struct amt_fw *fw = &img->fw;
	for (size_t i = 0; i < fw->nmodules; i++) {
		const struct amt_module *m = &fw->modules[i];
		int mod = -1, part = -1;
		for (size_t k = 0; k < p->nevents; k++) {
			const struct amt_event *e = &p->events[k];
			if (e->kind == AMT_EV_MODULE && !strcmp(e->part, m->partition) &&
			    !strcmp(e->name, m->name))
				mod = amt_disposition_kept(e->disp);
			else if (e->kind == AMT_EV_PARTITION && !strcmp(e->name, m->partition))
				part = amt_disposition_kept(e->disp);
		}
		kept[i] = mod >= 0 ? mod == 1 : part == 1;
	}
	return AMT_OK;
}
