/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private contract between the CSE parsers: cpd.c ($CPD directories),
 * cse_ext.c (manifest extensions), cse.c ($FPT-based CSE regions) and
 * ifwi.c (layout table + BPDT). Not installed.
 */
#ifndef AMTLESS_CSE_INT_H
#define AMTLESS_CSE_INT_H

#include "internal.h"

/* Walk the extensions of the CSE manifest fw->manifests[man] (between its
 * header length and its size, never past limit): InitScript (0x01),
 * partition info (0x03), client system info (0x0C), signed package info
 * (0x0F). cpd/part_limit: the partition (for the 0x03 hash). Problems
 * (zero sizes, extensions past the end) are recorded and end the walk;
 * only running out of memory fails. */
amt_status amt_cse_ext_manifest(struct amt_parse_ctx *c, int man, uint64_t limit,
				uint64_t cpd, uint64_t part_limit, amt_error *err);

/* Walk the extensions of a module's .met entry [off, off+len) and apply
 * module attributes (0x0A) to fw->modules[mod]: compression, sizes, hash. */
amt_status amt_cse_ext_met(struct amt_parse_ctx *c, size_t mod, uint64_t off,
			   uint64_t len, amt_error *err);

/* One extension (tag 0x04-0x09 or 0x0B; others are ignored) of the .met
 * of fw->modules[mod], [off, off+size) inside the input: its declarations
 * are appended to fw->decls (met.c). Malformed bodies are recorded as
 * problems; only running out of memory fails. */
amt_status amt_cse_met_decl(struct amt_parse_ctx *c, size_t mod, uint32_t tag, uint64_t off,
			    uint32_t size);

/* Copy the InitScript flags (fw->cse.init) to the modules they name:
 * removable / hap_boot become YES or NO for listed modules. */
void amt_cse_apply_init(struct amt_fw *fw);

/* Parse the $CPD at the start of every partition that has one (each
 * distinct offset once; partitions sharing an offset share the result).
 * Problems are recorded; only running out of memory fails. */
amt_status amt_cse_parse_partitions(struct amt_parse_ctx *c, amt_error *err);

/* After all partitions are parsed: FTPR manifest, key, family, version,
 * SKU, AMT decision and evidence, InitScript flags on modules. */
amt_status amt_cse_finish(struct amt_parse_ctx *c, amt_error *err);

/* Hashes of the Huffman modules (.met 0x0A, or the rbe/pm metadata tables
 * of CSME 12+), once version and family are known (cse_huff.c). Only
 * running out of memory fails. */
amt_status amt_cse_huffman(struct amt_parse_ctx *c);

/* InitScript flag bits (MEA CSE_Ext_01 module flags; doc/formats.md#extensions). */
#define AMT_INIT_REMOVABLE (1u << 1)
#define AMT_BOOT_HAP (1u << 1)
/* FWSKUCaps bits (MEA CSE_Ext_0C skuc_dict; doc/formats.md#extensions). */
#define AMT_CAPS_AMT (1u << 2)
#define AMT_CAPS_H (1u << 8)
#define AMT_CAPS_LP (1u << 9)
#define AMT_CAPS_HAP (1u << 16)

#endif
