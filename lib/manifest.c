/* SPDX-License-Identifier: GPL-2.0-or-later */
/* STUB: to be written. */
#include "internal.h"
amt_status amt_manifest_parse(struct amt_parse_ctx *c, uint64_t off, uint64_t limit,
			      const char *partition, const char *name, int *index,
			      amt_error *err)
{ return amt_error_set(err, AMT_E_UNSUPPORTED, "manifest", off, "not written yet"); }
