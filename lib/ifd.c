/* SPDX-License-Identifier: GPL-2.0-or-later */
/* STUB: to be written. */
#include "internal.h"
int64_t amt_ifd_find(const uint8_t *data, size_t size) { (void)data; (void)size; return -1; }
amt_status amt_ifd_parse(const uint8_t *data, size_t size, uint64_t sig_offset,
			 struct amt_ifd *ifd, amt_error *err)
{ return amt_error_set(err, AMT_E_UNSUPPORTED, "descriptor", sig_offset, "not written yet"); }
