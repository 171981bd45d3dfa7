/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What remains (<amtless/remains.h>): the kept code modules with their
 * role (roles.c) and a summary of what their .met declares (met.c, in the
 * model as fw.decls). Reads the model only: which modules are kept is the
 * caller's (the preview amt_module.kept, or a plan's).
 *
 * Reach:
 *  - from the role table (a module whose public role is a network stack,
 *    or the host communication over HECI);
 *  - from the declarations: a special file whose name starts "heci" is a
 *    HECI device node the module produces (ME 11 heci.met: heci1, heci2,
 *    heci3), so the module serves the host-visible HECI interface.
 * The .met "Device IDs" are the ME's own device numbers and its MMIO
 * ranges addresses in the ME's own address space: no public source maps
 * them to PCI devices, so no network controller is inferred from them.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <amtless/remains.h>

#include "internal.h"

void amt_remains_free(struct amt_remains *r)
{
	if (!r)
		return;
	free(r->items);
	memset(r, 0, sizeof(*r));
}

amt_status amt_remains_collect(const struct amt_image *img, const bool *kept, size_t nkept,
			       struct amt_remains *out, amt_error *err)
{
	memset(out, 0, sizeof(*out));
	if (!img || !img->has_fw)
		return amt_error_set(err, AMT_E_ARG, "firmware", AMT_NO_OFFSET,
				     "no ME firmware in the image");
	const struct amt_fw *fw = &img->fw;
	if (kept && nkept != fw->nmodules)
		return amt_error_set(err, AMT_E_ARG, "modules", AMT_NO_OFFSET,
				     "%zu kept flags for %zu modules", nkept, fw->nmodules);

	/* the totals: the one code measure (lib/neutralize/code.c) */
	unsigned nmod, nk;
	if (amt_code_tally(fw, true, kept, &out->code_bytes, &out->kept_bytes, &nmod, &nk) != AMT_OK)
		return amt_error_set(err, AMT_E_NOMEM, "remains", AMT_NO_OFFSET, "out of memory");
	out->scope = amt_code_scope_of(fw);
	size_t n = 0;
	for (size_t i = 0; i < fw->nmodules; i++)
		if (fw->modules[i].kind == AMT_MOD_MODULE && (kept ? kept[i] : fw->modules[i].kept))
			n++;
	for (size_t i = 0; i < fw->nmodules; i++)
		out->declarations = out->declarations ||
				    (fw->modules[i].kind == AMT_MOD_MODULE && fw->modules[i].has_met);
	if (!n)
		return AMT_OK;
	out->items = calloc(n, sizeof(*out->items));
	if (!out->items)
		return amt_error_set(err, AMT_E_NOMEM, "remains", AMT_NO_OFFSET, "out of memory");
	for (size_t i = 0; i < fw->nmodules; i++) {
		const struct amt_module *m = &fw->modules[i];
		if (m->kind != AMT_MOD_MODULE || !(kept ? kept[i] : m->kept))
			continue;
		struct amt_remain *r = &out->items[out->n++];
		r->module = i;
		r->role = amt_module_role(fw->generation, m->name);
		if (r->role)
			r->reach |= r->role->reach;
		r->stored_bytes = amt_code_module_bytes(fw, m);
	}
	/* one pass over the declarations; items are in module order */
	for (size_t k = 0; k < fw->ndecls; k++) {
		const struct amt_decl *d = &fw->decls[k];
		size_t lo = 0, hi = out->n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (out->items[mid].module < d->module)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == out->n || out->items[lo].module != d->module)
			continue;
		struct amt_remain *r = &out->items[lo];
		switch (d->kind) {
		case AMT_DECL_PROCESS: r->process = true; break;
		case AMT_DECL_SHARED_LIB: r->shared_lib = true; break;
		case AMT_DECL_GROUP: r->ngroups++; break;
		case AMT_DECL_THREAD: r->nthreads++; break;
		case AMT_DECL_DEVICE: r->ndevices++; break;
		case AMT_DECL_MMIO: r->nmmio++; break;
		case AMT_DECL_LOCKED_RANGE: r->nlocked++; break;
		case AMT_DECL_SPECIAL_FILE:
			r->nfiles++;
			if (!strncasecmp(d->u.file.name, "heci", 4)) {
				r->reach |= AMT_REACH_HECI;
				r->reach_declared |= AMT_REACH_HECI;
			}
			break;
		}
	}
	for (size_t i = 0; i < out->n; i++)
		out->reach |= out->items[i].reach;
	return AMT_OK;
}
