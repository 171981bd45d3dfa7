/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The library's own version (amtless/version.h). */
#include <amtless/version.h>

const char *amt_lib_version(void)
{
	return AMT_VERSION_STRING;
}

unsigned amt_lib_version_number(void)
{
	return AMT_VERSION_NUMBER;
}
