/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Synthetic generation 1 (ME 2-5) and generation 2 (ME 6-10, TXE 1-2,
 * SPS 2-3) ME regions: $FPT with a correct checksum, a CODE/FTPR partition
 * whose manifest ($MAN / $MN2 R0) is followed by a module table and a
 * $SKU, module data (uncompressed, LZMA, Huffman behind an LLUT), and a
 * second code partition (NFTP) with its own manifest (gen 2).
 *
 * The manifests' key and signature fields are left zero: sign them with
 * tb_sign_manifest() (build_sign.h) at layout.man_off if needed, then call
 * nothing else (the signature does not cover the $FPT).
 */
#ifndef AMTLESS_TEST_BUILD_ME_H
#define AMTLESS_TEST_BUILD_ME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "builder.h"

#define TB_ME_MAX_MODS 8

struct tb_me_opts {
	unsigned major, minor, hotfix, build;
	unsigned stride;        /* gen 2: $MME header size 0x60 (ME/SPS) or 0x80 (TXE) */
	bool fpt_at0;           /* gen 1: $FPT at region+0 (ME 2 style, v1.0, 0x20 header) */
	bool huffman;           /* gen 2: add Huffman modules and the LLUT */
	bool no_sku;            /* leave $SKU out */
	unsigned sku_words;     /* $SKU length in dwords: 3 (ME 2-6) or 4 (ME 7-10/TXE) */
	uint8_t sku[8];         /* $SKU value bytes as stored at $SKU+8 */
	bool no_nftp;           /* gen 2: no second code partition */
};

/* Where things are (offsets in the region buffer). */
struct tb_me_layout {
	size_t fpt_off;
	unsigned nentries;
	size_t ftpr_entry;      /* offset of the FTPR/CODE $FPT entry */
	size_t ftpr_off, ftpr_size;
	size_t man_off;         /* FTPR/CODE manifest */
	size_t man_size;
	size_t mme_off;         /* first module header */
	unsigned stride, nmodules;
	size_t sku_off;         /* 0 when absent */
	size_t llut_off;        /* 0 when absent */
	unsigned llut_chunks, llut_chunk_size;
	uint32_t llut_addr_base, llut_spi_base;
	size_t mod_off[TB_ME_MAX_MODS]; /* data of each module */
	size_t mod_size[TB_ME_MAX_MODS];
	const char *mod_name[TB_ME_MAX_MODS];
	int mod_comp[TB_ME_MAX_MODS];   /* 0 none, 1 Huffman, 2 LZMA */
	size_t nftp_off, nftp_man_off;  /* 0 when absent */
};

/* Defaults: ME 8.1.20.1336 style (gen 2) / ME 4.2.21.1037 style (gen 1). */
void tb_me_opts_gen1(struct tb_me_opts *o);
void tb_me_opts_gen2(struct tb_me_opts *o);

struct tb_buf tb_build_gen1(const struct tb_me_opts *o, struct tb_me_layout *l);
struct tb_buf tb_build_gen2(const struct tb_me_opts *o, struct tb_me_layout *l);

/* Recompute the $FPT 8-bit checksum (0x30 bytes from region start when
 * the header length is 0x30, else the 0x20-byte header). */
void tb_fpt_fix_checksum(uint8_t *region, size_t fpt_off);

/* Recompute the stored SHA-256 (byte-reversed) of an uncompressed gen 2
 * module whose header is at hdr (after editing its data). */
void tb_me_fix_module_hash(uint8_t *region, size_t man_off, size_t hdr);

/* SHA-256 of p[len], byte-reversed (as $MME +0x14 stores it). */
void tb_sha256_rev(const uint8_t *p, size_t len, uint8_t out[32]);

/* LZMA "alone" stream of src (size unknown in the header, end marker) into
 * dst[cap]; returns its length (aborts when it does not fit). */
size_t tb_lzma_pack(const uint8_t *src, size_t len, uint8_t *dst, size_t cap);

#endif
