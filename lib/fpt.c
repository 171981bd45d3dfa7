/* SPDX-License-Identifier: GPL-2.0-or-later */
/* STUB: to be written. */
#include "internal.h"
amt_status amt_fpt_parse(struct amt_parse_ctx *c, uint64_t fpt_off, uint64_t region_off,
			 uint64_t region_size, bool data_fpt, amt_error *err)
{ return amt_error_set(err, AMT_E_UNSUPPORTED, "$FPT", fpt_off, "not written yet"); }
