/* SPDX-License-Identifier: GPL-2.0-or-later */
/* STUB: to be written. */
#include "internal.h"
void amt_manifest_verify(const uint8_t *data, size_t size, struct amt_manifest *m) { m->sig = AMT_SIG_UNSUPPORTED; }
