/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test builder for the neutralization tests: a generation 2 ME region
 * whose FTPR modules are Huffman-compressed behind an LLUT the way ME 6-10
 * lay them out (ROMP, BUP, KERNEL share boundary chunks; one empty chunk),
 * plus full images assembled from a descriptor and a region.
 */
#ifndef AMTLESS_TEST_BUILD_NEUTRALIZE_H
#define AMTLESS_TEST_BUILD_NEUTRALIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "builder.h"

#define TN_CHUNKS 7
#define TN_MODS 5

struct tn_gen2 {
	size_t size;            /* region size */
	size_t ftpr_off, ftpr_size, man_off, nftp_off, mfs_off, mfs_size;
	size_t llut_off;        /* region offset of the LLUT */
	uint32_t addr_base;     /* LLUT +8 */
	size_t chunk_off[TN_CHUNKS];   /* region offsets (0 for the empty one) */
	size_t chunk_len[TN_CHUNKS];
	size_t stream_end;
	size_t mod_hdr[TN_MODS];        /* $MME headers */
	const char *mod_name[TN_MODS];
	size_t lzma_off, lzma_size;     /* the LZMA-flagged module's data */
};

/* Build the region: ROM bypass, $FPT v2.0 at 0x10 with FOVD (data), NVKR
 * (NVRAM), MFS (data), FTPR, NFTP; FTPR = signed $MN2 + 5 $MME (ROMP,
 * BUP, KERNEL Huffman; UPDATE LZMA; POLICY Huffman) + $SKU + LLUT. The
 * six chunks are real Huffman code (ME 6 book for major 6, else ME 7-10)
 * of sparse pages; modules after ROMP start inside the previous module's
 * last page, and every module's $MME hash is that of its unpacked bytes. */
struct tb_buf tn_gen2_region(uint16_t major, struct tn_gen2 *info);

/* Full image: descriptor (IFDv1 PCH layout for gen 2 / IFDv2 for ME 11)
 * at 0, ME region at 0x1000, BIOS region right after it up to `size`.
 * platform_key selects strap patterns ("spt" ...) or NULL. */
struct tb_buf tn_full_image(const struct tb_buf *region, int ifd_version, const char *platform_key,
			    size_t size);

/* A generation 1 full image (ICH descriptor, CODE partition) of `size`
 * bytes with the ME region at 0x1000; its length in *me_size. */
struct tb_buf tn_gen1_full(size_t size, size_t *me_size);

#endif
