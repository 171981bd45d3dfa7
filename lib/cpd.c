/* SPDX-License-Identifier: GPL-2.0-or-later */
/* STUB: to be written. */
#include "internal.h"
amt_status amt_cpd_parse(struct amt_parse_ctx *c, size_t part, uint64_t cpd_off,
			 uint64_t limit, amt_error *err)
{ return amt_error_set(err, AMT_E_UNSUPPORTED, "$CPD", cpd_off, "not written yet"); }
