/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Synthetic CSE firmware: $CPD partitions with $MN2 R1/R2 manifests and
 * extensions, ME 11-style regions ($FPT + $CPD) and IFWI regions (CSE
 * layout table 1.6/1.7 + data $FPT + BPDT primary/secondary, or a bare
 * IFWI 2.0 BPDT image). Every checksum/CRC is correct; manifests are
 * signed with the test keys of build_sign.h unless `unsigned_man`.
 * Offsets reported in struct tb_cse_info let tests corrupt structures.
 */
#ifndef AMTLESS_TEST_BUILD_CSE_H
#define AMTLESS_TEST_BUILD_CSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "builder.h"

#define TB_CSE_MAX_MODS 6

struct tb_cpd_spec {
	char name[5];              /* partition name, "FTPR" */
	unsigned cpd_version;      /* 1 or 2 */
	bool r2_manifest;          /* $MN2 R2 (3072-bit key, 0x384 header) */
	bool unsigned_man;
	uint16_t ver[4];           /* manifest version */
	unsigned nmods;            /* modules (each with a .met) */
	const char *mods[TB_CSE_MAX_MODS];
	bool huffman_first;        /* first module flagged Huffman (no hash) */
	/* .met declarations after Module Attributes (tb_met_decls), module i:
	 * 0x05 process (user 0x100 + i, flags 0x6, one group 0x200 + i),
	 * 0x06 one thread (stack 0x1000), 0x07 devices 0x00020000 + i and
	 * 0x00030008, 0x08 MMIO 0xF0000000 + i * 0x1000 +0x1000 rw and
	 * 0xF7000000 +0x20000 ro, 0x09 major 6 + i with one file ("heci1" for
	 * module 1, "file<i>" otherwise), 0x0B locked 0x80000 +0x1000 * (i+1) */
	bool met_decls;
	bool met_decls_bad;        /* the 0x08 of every .met has 4 bytes too many */
	/* extensions of the .man */
	bool ext_init;             /* 0x01 InitScript naming every module */
	unsigned init_entry_size;  /* 0x18 or 0x1C */
	uint32_t init_flags_first; /* InitFlowFlags of the first module */
	uint32_t boot_flags_first; /* BootTypeFlags of the first module */
	bool ext_skucaps;          /* 0x0C */
	uint32_t caps;
	uint64_t attrib;
	bool ext_pkg;              /* 0x0F */
	uint8_t fw_type, fw_sku;
};

struct tb_cpd_out {
	size_t cpd;                /* $CPD offset */
	size_t size;               /* bytes used */
	size_t man;                /* manifest offset */
	size_t ext_first;          /* first extension (manifest + header len) */
	size_t ext_init, ext_0c;   /* offsets of those extensions (0 if none) */
	size_t mod[TB_CSE_MAX_MODS];  /* module data offsets */
	size_t met[TB_CSE_MAX_MODS];  /* .met data offsets */
	size_t entries;            /* first entry */
};

/* Defaults for a CSME 11 FTPR ("kernel", "bup", "syslib"). */
void tb_cpd_spec_ftpr(struct tb_cpd_spec *s);

/* Write a $CPD partition at off (must fit in `room` bytes); aborts on
 * misuse. */
void tb_cpd_write(uint8_t *buf, size_t size, size_t off, size_t room,
		  const struct tb_cpd_spec *s, struct tb_cpd_out *out);

/* The .met declarations tb_cpd_spec.met_decls describes, for module i,
 * written at p (0xCA bytes, 0xCE when bad). */
void tb_met_decls(uint8_t *p, unsigned i, bool bad);

/* Recompute a $CPD's checksum-8 (R1) or CRC-32 (R2) after an edit. */
void tb_cpd_fix(uint8_t *buf, size_t cpd);

struct tb_cse_opts {
	bool amt;                  /* corporate: FWSKUCaps bit 2, SKU type 0 */
	bool with_nftp;            /* an NFTP partition (module "amt" if amt) */
	bool with_locl;            /* a LOCL partition ($CPD) */
	bool unsigned_man;
	uint16_t ver[4];
};

struct tb_cse_info {
	size_t fpt;                /* $FPT offset */
	size_t ftpr, nftp, locl;   /* partition ($CPD) offsets */
	struct tb_cpd_out ftpr_out, nftp_out;
	/* IFWI */
	size_t layout;             /* layout table offset (0) */
	size_t data;               /* data $FPT */
	size_t bp1, bp2;           /* boot partition offsets */
	size_t bpdt, sbpdt;        /* primary / secondary BPDT */
	size_t sbpdt_entry;        /* primary's entry pointing to the S-BPDT */
};

void tb_cse_opts_default(struct tb_cse_opts *o);

/* ME 11-style region: ROM bypass, $FPT at 0x10 (v2.0), FTPR (+ NFTP,
 * LOCL) $CPD partitions, an MFS data partition. */
struct tb_buf tb_cse_region(const struct tb_cse_opts *o, struct tb_cse_info *info);

/* Fix the $FPT checksum-8 (v2.0, 0x20-byte header at fpt). */
void tb_fpt_fix(uint8_t *buf, size_t fpt);

enum tb_ifwi_kind {
	TB_IFWI_16,                /* layout 1.6, BPDT version 1 */
	TB_IFWI_17,                /* layout 1.7 (CRC), BPDT version 2 (CRC) */
	TB_IFWI_BPDT,              /* IFWI 2.0: BPDT at 0 (TXE 3/4) */
};

/* IFWI region: layout table, data $FPT, BP1 = primary BPDT (FTPR +
 * S-BPDT -> NFTP), BP2 = erased. CSME 14 / 16 / TXE 4 versions. */
struct tb_buf tb_ifwi_region(enum tb_ifwi_kind kind, const struct tb_cse_opts *o,
			     struct tb_cse_info *info);

enum tb_sps_kind {
	TB_SPS_WHITLEY_IGN,        /* SPS Ignition 4.2.4.14: FTPR.man invalid, FTPR2.man valid */
	TB_SPS_PURLEY_IGN,         /* SPS Ignition 1.0.2.43: FTPR.man only */
};

struct tb_sps_info {
	size_t fpt, ftpr;
	struct tb_cpd_out ftpr_out;
	size_t ftpr2_man;          /* Whitley: FTPR2.man offset */
};

/* A region laid out as Intel's public SPS Ignition regions (see
 * build_cse.c): $FPT with FTPR/FTUP/DLMP/MFS/FPTB/MFSB/FLOG/UTOK/FCP,
 * FTPR $CPD R1 with rbe and manuf and a checksum-8 over the header only. */
struct tb_buf tb_sps_region(enum tb_sps_kind kind, struct tb_sps_info *info);

struct tb_ifwi21_opts {
	bool oemp_first;           /* OEMP before RBEP/FTPR in the BPDT (else after) */
	bool with_ftpr;            /* false: the FTPR entry is empty */
	bool redundancy;           /* layout 1.7 flags bit 0 */
	uint8_t bpdt_flags;        /* BPDT 2 +0x07 */
};

/* CSME 21-like IFWI region (layout 1.7 with ELog, BPDT 2 with OEMP, RBEP,
 * FTPR; see build_cse.c). info: bpdt, sbpdt, ftpr, nftp; locl = the OEMP
 * $CPD, bp2 = the RBEP $CPD. */
struct tb_buf tb_ifwi21_region(const struct tb_ifwi21_opts *o, struct tb_cse_info *info);

/* Recompute the layout 1.7 CRC / a version-2 BPDT CRC after an edit. */
void tb_layout17_fix(uint8_t *buf, size_t layout);
void tb_bpdt_fix(uint8_t *buf, size_t bpdt);

#endif
