/* SPDX-License-Identifier: GPL-2.0-or-later */
/* STUB: to be written. */
#include "internal.h"
void amt_key_identify(struct amt_key_info *key) { key->known = false; }
