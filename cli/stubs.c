/* SPDX-License-Identifier: GPL-2.0-or-later */
/* STUBS: each moves to its own file when written. */
#include <stdio.h>

#include "cli.h"

#define STUB(fn) int fn(int argc, char **argv) { (void)argc; fprintf(stderr, "amtless: %s: not available yet\n", argv[0]); return EXIT_USAGE; }
