/* SPDX-License-Identifier: GPL-2.0-or-later */
/* STUB: to be written. */
#include "internal.h"
amt_status amt_ifwi_parse(struct amt_parse_ctx *c, amt_error *err)
{ return amt_error_set(err, AMT_E_UNSUPPORTED, "ifwi", AMT_NO_OFFSET, "not written yet"); }
amt_layout amt_ifwi_probe(const uint8_t *data, size_t size, uint64_t off, uint64_t len) { return AMT_LAYOUT_NONE; }
