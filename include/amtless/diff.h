/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * amtless - what differs between two flash images, two flash descriptors
 * or two ME regions, read through the one image model (amt_image_parse):
 *  - the straps, one dword at a time: PCH straps (PCHSTRPn, ICHSTRPn on
 *    ICH8-10) and CPU straps (MCHSTRPn on IFDv1, PROCSTRPn on IFDv2),
 *    the bits that changed and both values;
 *  - the descriptor's registers: FLMAP, the region registers (FLREGn, base
 *    and limit) and the master registers (FLMSTRn, read and write access);
 *    and how many other bytes of the descriptor differ;
 *  - every region: whether its bytes differ, how many, the first and last
 *    differing offsets;
 *  - in the ME firmware: which partitions and modules differ, or are in
 *    one image only.
 * It is how the HAP location of a new platform is found: a stock
 * descriptor against one saved with a vendor tool's "disable ME" option.
 * When exactly one strap bit differs, the result names it and says
 * whether the platform table already knows it as that platform's disable
 * bit (amt_diff.bit).
 *
 * The library allocates the result and may append fields to it; enum
 * values are stable, new ones appended.
 */
#ifndef AMTLESS_DIFF_H
#define AMTLESS_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <amtless/error.h>
#include <amtless/image.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum amt_strap_section {
	AMT_STRAPS_PCH = 0,   /* PCH straps (ICH straps on ICH8-10): FPSBA, ISL dwords */
	AMT_STRAPS_CPU,       /* MCH / processor straps: FMSBA, MSL dwords */
} amt_strap_section;

const char *amt_strap_section_str(amt_strap_section s); /* "pch", "cpu" */

/* One strap dword that differs, or that one descriptor has and the other
 * has not. */
struct amt_diff_strap {
	amt_strap_section section;
	char name[16];            /* "PCHSTRP31", "ICHSTRP0", "MCHSTRP0", "PROCSTRP0" */
	unsigned index;           /* dword index in its section */
	bool in_a, in_b;          /* the descriptor has this strap */
	uint32_t a, b;            /* the values (0 where absent) */
	uint32_t changed;         /* a ^ b: the bits that differ */
	uint64_t offset_a, offset_b; /* absolute offsets of the dword, or AMT_NO_OFFSET */
	bool disable_bit;         /* a changed bit is the disable bit located in A or B */
};

typedef enum amt_diff_reg_kind {
	AMT_DREG_FLMAP = 0,       /* FLMAP0-3: index 0-3 */
	AMT_DREG_FLREG,           /* region register: index = region id */
	AMT_DREG_FLMSTR,          /* master register: index n of FLMSTRn (1-based) */
} amt_diff_reg_kind;

const char *amt_diff_reg_kind_str(amt_diff_reg_kind k); /* "flmap", "flreg", "flmstr" */

/* One descriptor register that differs. */
struct amt_diff_reg {
	amt_diff_reg_kind kind;
	unsigned index;
	char name[16];            /* "FLMAP1", "FLREG2", "FLMSTR1" */
	bool in_a, in_b;
	uint32_t a, b;            /* raw values */
	/* FLREG: the region as it decodes (absolute flash offsets) */
	bool used_a, used_b;
	uint64_t base_a, limit_a, base_b, limit_b;
	/* FLMSTR: bit r: may read / write region r */
	uint32_t read_a, write_a, read_b, write_b;
};

/* A region of the flash, in both inputs. */
struct amt_diff_region {
	unsigned id;              /* AMT_RGN_* */
	bool used_a, used_b;      /* the descriptor gives it (a bare ME region: the file) */
	bool in_a, in_b;          /* its bytes are in that file */
	uint64_t base_a, end_a, base_b, end_b; /* absolute offsets in each file, [base, end) */
	bool compared;            /* in both files: the first min(len) bytes compared */
	uint64_t compared_len;
	bool same_place;          /* the same base and length in both */
	uint64_t ndiff;           /* bytes that differ over compared_len */
	uint64_t first, last;     /* region-relative offsets of the first and last
				     differing byte, or AMT_NO_OFFSET */
};

typedef enum amt_diff_change {
	AMT_DCH_SAME = 0,         /* (not listed) */
	AMT_DCH_CHANGED,          /* in both, its bytes (or size, or stored hash) differ */
	AMT_DCH_ONLY_A,           /* in A only */
	AMT_DCH_ONLY_B,           /* in B only */
	AMT_DCH_UNKNOWN,          /* in both, but neither its stored hash nor its chunks
				     can be read: not compared */
} amt_diff_change;

const char *amt_diff_change_str(amt_diff_change c); /* "same", "changed", "only-a", ... */

typedef enum amt_diff_item_kind {
	AMT_DITEM_PARTITION = 0,
	AMT_DITEM_MODULE,         /* a module or a $CPD entry */
} amt_diff_item_kind;

/* A partition or module of the ME firmware that differs. Partitions are
 * matched by name and container, modules by partition and name. Modules
 * stored as Huffman chunks behind an LLUT (ME 6-10) are compared by their
 * stored hash, presence and hash check (or, without a stored hash, by
 * their chunks); everything else byte for byte, as far as the files hold
 * the bytes (a part cut off in both at the same length is the same). */
struct amt_diff_item {
	amt_diff_item_kind kind;
	char partition[5];
	char name[17];            /* the module's name; the partition's for a partition */
	amt_diff_change change;
	uint64_t offset_a, offset_b; /* absolute, or AMT_NO_OFFSET */
	uint64_t size_a, size_b;
	uint64_t ndiff;           /* bytes that differ over the common length (0 when
				     compared by hash) */
	uint64_t first;           /* item-relative offset of the first differing byte,
				     or AMT_NO_OFFSET */
	bool by_hash;             /* compared by stored hash (gen 2 Huffman) */
};

/* Is the one strap bit that differs a known disable bit? */
typedef enum amt_diff_known {
	AMT_DK_NOT_ONE_BIT = 0,   /* not exactly one strap bit differs */
	AMT_DK_KNOWN,             /* the platform table gives this strap and bit as the
				     platform's disable bit */
	AMT_DK_OTHER_PLACE,       /* the table gives the platform's disable bit elsewhere */
	AMT_DK_NO_SOURCE,         /* the platform is recognised, but no public source
				     gives its disable bit: this may be it */
	AMT_DK_PLATFORM_UNKNOWN,  /* the platform is not recognised */
	AMT_DK_PLATFORMS_DIFFER,  /* A and B are recognised as different platforms */
} amt_diff_known;

/* "not-one-bit", "known", "other-place", "no-source", "platform-unknown",
 * "platforms-differ" */
const char *amt_diff_known_str(amt_diff_known k);

/* The one strap bit (amt_diff.one_strap_bit). */
struct amt_diff_bit {
	amt_strap_section section;
	char strap[16];           /* "PCHSTRP31" */
	unsigned index, bit;
	uint64_t file_offset;     /* absolute offset (in A) of the byte holding it */
	unsigned byte_bit;        /* bit within that byte */
	bool set_a, set_b;
	amt_diff_known known;
	amt_platform_id platform; /* the platform compared with (A's, else B's) */
	/* where the table puts that platform's disable bit, when it does */
	bool table_located;
	amt_disable_kind table_kind;
	char table_strap[16];
	unsigned table_bit;
};

struct amt_diff {
	/* the inputs */
	size_t size_a, size_b;
	amt_input_kind kind_a, kind_b;
	bool identical;           /* byte for byte (and the same size) */
	uint64_t ndiff_bytes;     /* bytes that differ over the common length, plus the
				     difference of the sizes */

	/* the descriptors */
	bool ifd_a, ifd_b;
	int ifd_version_a, ifd_version_b;
	amt_platform_id platform_a, platform_b;
	amt_platform_status platform_status_a, platform_status_b;
	size_t nstraps;
	struct amt_diff_strap *straps;   /* in section, then index order */
	unsigned strap_bits;      /* strap bits that differ (straps in both only) */
	unsigned straps_only_one; /* straps one descriptor has and the other has not */
	bool one_strap_bit;       /* exactly one strap bit differs, and no strap is in
				     one descriptor only */
	struct amt_diff_bit bit;  /* when one_strap_bit */
	size_t nregs;
	struct amt_diff_reg *regs;
	/* other descriptor bytes (the first min(descriptor region) bytes of each,
	 * outside every strap, FLMAP, FLREG and FLMSTR dword): component
	 * section, VSCC table, OEM section, a signed descriptor's manifest... */
	uint64_t desc_other_ndiff;
	uint64_t desc_other_first, desc_other_last; /* descriptor-relative, or AMT_NO_OFFSET */

	/* regions (every region used in A or B) */
	size_t nregions;
	struct amt_diff_region *regions;

	/* the ME firmware */
	bool fw_a, fw_b;
	amt_family family_a, family_b;
	bool version_known_a, version_known_b;
	struct amt_version version_a, version_b;
	size_t nitems;
	struct amt_diff_item *items;     /* what differs; partitions, then modules */
	unsigned same_partitions, same_modules;
};

/*
 * Compare two parsed images (amt_image_parse: each borrows its bytes,
 * which must stay alive during the call). Parse both with the same
 * options (a named platform, signature checks) to compare like with like.
 * *out is allocated on success (free with amt_diff_free); fails only with
 * AMT_E_NOMEM or AMT_E_ARG.
 */
amt_status amt_diff(const struct amt_image *a, const struct amt_image *b, struct amt_diff **out,
		    amt_error *err);

void amt_diff_free(struct amt_diff *d);

#ifdef __cplusplus
}
#endif
#endif
