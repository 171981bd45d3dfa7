/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The JSON builders (jbuild.h). */
#include "jbuild.h"

#include <inttypes.h>
#include <stdio.h>

#include <amtless/image.h>

_Thread_local bool jb_oom;

void jb_put(json_t *o, const char *k, json_t *v)
{
	if (!v || json_object_set_new(o, k, v) < 0)
		jb_oom = true;
}

void jb_add(json_t *a, json_t *v)
{
	if (!v || json_array_append_new(a, v) < 0)
		jb_oom = true;
}

json_t *jb_int(uint64_t v)
{
	return json_integer(v > INT64_MAX ? INT64_MAX : (json_int_t)v);
}

json_t *jb_off(uint64_t v)
{
	return v == AMT_NO_OFFSET ? json_null() : jb_int(v);
}

json_t *jb_hex(uint64_t v, int digits)
{
	char b[24];
	snprintf(b, sizeof(b), "0x%0*" PRIx64, digits, v);
	return json_string(b);
}

bool jb_begin(void)
{
	bool outer = jb_oom;
	jb_oom = false;
	return outer;
}

bool jb_end(bool outer)
{
	bool failed = jb_oom;
	jb_oom = outer || failed;
	return failed;
}
