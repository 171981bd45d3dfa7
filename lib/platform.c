/* SPDX-License-Identifier: GPL-2.0-or-later */
/* STUB: to be written. */
#include "internal.h"
void amt_platform_identify(struct amt_ifd *ifd, const uint8_t *data, size_t size,
			   const struct amt_fw *fw, amt_platform_id override) {}
const struct amt_platform_desc *amt_platform_get(amt_platform_id id) { return NULL; }
const struct amt_platform_desc *amt_platform_by_key(const char *key) { return NULL; }
