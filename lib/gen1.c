/* SPDX-License-Identifier: GPL-2.0-or-later */
/* STUB: to be written. */
#include "internal.h"
amt_status amt_gen1_parse(struct amt_parse_ctx *c, amt_error *err)
{ return amt_error_set(err, AMT_E_UNSUPPORTED, "gen1", AMT_NO_OFFSET, "not written yet"); }
