/* SPDX-License-Identifier: GPL-2.0-or-later */
/* STUB: to be written. */
#include "internal.h"
void amt_fw_mark_kept(struct amt_fw *fw) {}
