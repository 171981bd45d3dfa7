/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The boot keep-list: the modules the ME needs to boot far enough to read
 * the disable bit and stop, which every neutralization keeps. One list,
 * read by the planner (both policies), the verifier, the "stripped" test
 * of the model (strip.c) and the preview (keep.c).
 *
 * Source: me_cleaner 1.2 (corna/me_cleaner 43612a6, me_cleaner.py):
 * generation 2 keeps ROMP and BUP (check_and_remove_modules:
 * `unremovable_modules = ("ROMP", "BUP")`); generation 3 keeps the modules
 * whose names start with rbe, kernel, syslib or bup
 * (`unremovable_modules_gen3`), and never removes the .man / .met entries
 * of the $CPD. Generation 1 keeps nothing: its region is wiped and
 * disabled in the descriptor. The list is known to be too short for
 * CSME 12+ (corna/me_cleaner#340), which is why the native policy leaves
 * that firmware whole unless asked.
 */
#include <string.h>

#include "internal.h"

static bool starts(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

static bool ends(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && !strcmp(s + n - m, suf);
}

bool amt_boot_module(int generation, const char *name)
{
	if (generation == 2)
		return !strcmp(name, "ROMP") || !strcmp(name, "BUP");
	if (generation == 3)
		return starts(name, "rbe") || starts(name, "kernel") || starts(name, "syslib") ||
		       starts(name, "bup");
	return false;
}

bool amt_fw_boot_module(const struct amt_fw *fw, const struct amt_module *m)
{
	if (fw->generation == 3 &&
	    (m->kind == AMT_MOD_MANIFEST || m->kind == AMT_MOD_METADATA || ends(m->name, ".man") ||
	     ends(m->name, ".met")))
		return true;
	return amt_boot_module(fw->generation, m->name);
}
