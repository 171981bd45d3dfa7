/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Public access to the platform table's short keys (for --platform). */
#include "internal.h"

amt_platform_id amt_platform_from_key(const char *key)
{
	const struct amt_platform_desc *d = key ? amt_platform_by_key(key) : NULL;
	return d ? d->id : AMT_PLAT_UNKNOWN;
}

const char *amt_platform_key(amt_platform_id id)
{
	if (id <= AMT_PLAT_UNKNOWN || id >= AMT_PLAT__COUNT)
		return NULL;
	const struct amt_platform_desc *d = amt_platform_get(id);
	return d ? d->key : NULL;
}
