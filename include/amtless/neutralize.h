/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * amtless - neutralization of the Intel ME, in one call.
 *
 *   amt_neutralize(in, size, opts, &result, &err)
 *
 * parses the input with the one image model, plans every edit from that
 * model (never from raw bytes of its own), applies the plan to a copy in
 * memory, and verifies the copy independently: the verifier parses the
 * whole output again and derives its own facts - the disable bit located
 * from the output's own descriptor, every checksum/CRC, every signature
 * that was valid in the input, the bytes of every module that still holds
 * code compared with the input's, and the difference between input and
 * output bounded to what the operation may touch (the input's ME region,
 * the disable bit, the descriptor registers the options name). It never
 * reads the plan's numbers. Only a result that passes is handed back: on
 * any failure result->out is NULL, so nothing can be written.
 *
 * Two policies share the one planner:
 *  - AMT_NEU_NATIVE (amtless neutralize): the platform's disable bit, the
 *    boot keep-list, $FPT checksum or CRC by table version, optional
 *    shrinking of the ME region, CSME 12+ firmware left whole unless
 *    reduction is asked for;
 *  - AMT_NEU_ME_CLEANER (amtless me_cleaner): what me_cleaner 1.2
 *    (corna/me_cleaner 43612a6) writes, byte for byte where that is sound;
 *    where me_cleaner breaks an image, the verifier refuses instead.
 * The operation (amt_neutralize_opts.operation) says what is done: the
 * neutralization above; the disable bit alone (also on a flash descriptor
 * file alone, as ifdtool -M 1 does); or clearing it (re-enabling the ME, as
 * ifdtool -M 0: a descriptor alone, or a full image whose ME firmware is
 * whole). The verifier's expectations follow the operation: for clearing,
 * the bit clear in the output's own descriptor and no other bit changed.
 * The plan carries typed events (what was found, what each partition and
 * module becomes) from which a front end prints its report, including
 * me_cleaner's messages; the library prints nothing.
 *
 * ABI: callers set up amt_neutralize_opts with amt_neutralize_opts_init
 * (struct_size); new fields are only appended, and a newer library reads
 * the fields an older program knows and keeps the defaults of the others.
 * The library allocates the result and may append fields to the
 * structures it allocates; enum values are stable, new ones appended.
 */
#ifndef AMTLESS_NEUTRALIZE_H
#define AMTLESS_NEUTRALIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <amtless/error.h>
#include <amtless/image.h>
#include <amtless/verify.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AMT_NEU_MAX_LIST 16

typedef enum amt_neu_policy {
	AMT_NEU_NATIVE = 0,
	AMT_NEU_ME_CLEANER = 1,
} amt_neu_policy;

/* What amt_neutralize() does. Every operation goes through the same plan ->
 * apply -> verify path, and the verifier's expectations follow it. */
typedef enum amt_neu_operation {
	AMT_NEU_OP_NEUTRALIZE = 0,      /* the policy's neutralization, as the other options
					   say (the default) */
	AMT_NEU_OP_SET_DISABLE_BIT,     /* the disable bit only, nothing else (disable_bit_only);
					   natively also on a flash descriptor file alone */
	AMT_NEU_OP_CLEAR_DISABLE_BIT,   /* clear the disable bit (re-enable the ME) on a flash
					   descriptor file alone or on a full image whose ME
					   firmware is whole; nothing else changes. Native
					   policy only; no other edit option may be set */
} amt_neu_operation;

struct amt_neutralize_opts {
	size_t struct_size;      /* sizeof(struct amt_neutralize_opts): set by init */
	amt_neu_policy policy;
	bool check_only;         /* me_cleaner -c: plan nothing, report what is found */
	bool set_disable_bit;    /* full image: set the disable bit (+ removal) */
	bool disable_bit_only;   /* only the disable bit */
	bool keep_modules;       /* keep every module of FTPR */
	bool relocate;           /* move FTPR to the start of the ME region */
	bool truncate;           /* bare ME region: cut it after what is kept */
	bool fix_master;         /* remove the ME's access to the other regions (FLMSTR2) */
	bool shrink_region;      /* native, full image: shrink the ME region in the
				    descriptor, give the space to the next region */
	bool allow_signed_descriptor; /* write a disable bit that a signed descriptor hashes */
	bool want_descriptor;    /* also produce the descriptor (me_cleaner -D) */
	bool want_me;            /* also produce the ME region (me_cleaner -M) */
	bool reduce_cse;         /* native, CSME 12+ / TXE 3-4 / IFWI: remove the modules
				    the image's InitScript lets go */
	unsigned nwhitelist, nblacklist;  /* partitions to keep too / to remove only */
	bool blacklist_given;
	char whitelist[AMT_NEU_MAX_LIST][5];
	char blacklist[AMT_NEU_MAX_LIST][5];
	amt_platform_id platform; /* platform named by the user (AMT_PLAT_UNKNOWN: detect) */
	struct amt_hap_override hap_override; /* expert: the disable bit's place given
						 explicitly (UNVERIFIED) */
	/* appended in 0.2 (a caller built against 0.1, whose struct_size ends
	 * before it, gets AMT_NEU_OP_NEUTRALIZE) */
	amt_neu_operation operation;
	/* appended in 0.2, after operation: parse and plan only (nothing applied,
	 * nothing verified, result->out NULL, outcome AMT_NEU_OUTCOME_PLANNED):
	 * what the plan gives (its events, min_me_size) without the cost of
	 * applying and verifying it */
	bool plan_only;
};

void amt_neutralize_opts_init(struct amt_neutralize_opts *o);
/* Parse "A,B,C" into the whitelist or blacklist (names up to 4 chars). */
amt_status amt_neutralize_parse_list(struct amt_neutralize_opts *o, bool black,
				     const char *list, amt_error *err);

/* ---- edits ----------------------------------------------------------- */

typedef enum amt_edit_kind {
	AMT_EDIT_WRITE = 0,  /* new bytes */
	AMT_EDIT_FILL,       /* fill with one byte value */
	AMT_EDIT_MOVE,       /* move length bytes from src to offset; the source is filled */
	AMT_EDIT_RESIZE,     /* the output gets `length` bytes */
} amt_edit_kind;

/* Why an edit is made (name: the partition, module, strap or region). */
typedef enum amt_edit_why {
	AMT_W_DISABLE_BIT = 0,   /* name: the strap */
	AMT_W_PARTITION,         /* a partition removed */
	AMT_W_MODULE,            /* a module removed (part: its partition) */
	AMT_W_HUFFMAN_CHUNKS,    /* chunks of removed Huffman modules */
	AMT_W_FPT,               /* $FPT header and entries: kept partitions only */
	AMT_W_CPD,               /* a $CPD directory without the removed entries */
	AMT_W_RELOCATE_FPT,      /* FTPR's new offset in its $FPT entry */
	AMT_W_RELOCATE_LLUT,     /* LLUT fields and chunk offsets of a moved FTPR */
	AMT_W_RELOCATE,          /* FTPR moved to the start of the ME region */
	AMT_W_TRUNCATE,          /* the file cut after what is kept */
	AMT_W_FLREG_ME,          /* the ME region register (shrunk, or disabled on gen 1) */
	AMT_W_FLREG_NEXT,        /* the region after the ME region grows down */
	AMT_W_REGION_TAIL,       /* the bytes given to the next region are erased */
	AMT_W_FLMSTR_ME,         /* the ME's access to the other regions removed */
	AMT_W_WIPE,              /* the whole ME region erased (gen 1, ME 6 Ignition) */
	AMT_W_CLEAR_DISABLE_BIT, /* name: the strap whose disable bit is cleared */
} amt_edit_why;

struct amt_edit {
	amt_edit_kind kind;
	amt_edit_why why;
	char name[17];
	char part[5];
	uint64_t offset;        /* absolute destination offset */
	uint64_t length;
	uint64_t src;           /* MOVE */
	uint8_t fill;           /* FILL, and what MOVE leaves behind */
	uint8_t *old_bytes;     /* WRITE: bytes before */
	uint8_t *new_bytes;     /* WRITE: bytes after */
};

/* ---- events: what the planner found and decided, in order ------------ */

typedef enum amt_disposition {
	AMT_DISP_NONE = 0,
	AMT_DISP_KEPT,              /* FTPR, or a module of the boot keep-list */
	AMT_DISP_KEPT_WHITELISTED,  /* a partition the options keep */
	AMT_DISP_KEPT_MANIFEST,     /* a $CPD .man entry */
	AMT_DISP_KEPT_METADATA,     /* a $CPD .met entry */
	AMT_DISP_KEPT_IN_DIRECTORY, /* its range overlaps the $CPD directory (kept: me_cleaner
				       erases the directory there) */
	AMT_DISP_KEPT_UNKNOWN_COMPRESSION,
	AMT_DISP_KEPT_ALL,          /* every module kept (keep_modules) */
	AMT_DISP_KEPT_UNCHANGED,    /* CSME 12+: the firmware is left whole */
	AMT_DISP_KEPT_HAP_FLOW,     /* CSME reduction: in the HAP boot flow */
	AMT_DISP_KEPT_NOT_FLAGGED,  /* CSME reduction: the InitScript does not let it go */
	AMT_DISP_REMOVED,
	AMT_DISP_REMOVED_REMOVABLE, /* CSME reduction: InitScript "Removable" */
	AMT_DISP_REMOVED_NOT_HAP,   /* CSME reduction: outside the HAP boot flow */
	AMT_DISP_NVRAM,             /* an NVRAM partition: no data in flash */
	AMT_DISP_NO_DATA,           /* no data here (offset or length 0, or outside the region) */
} amt_disposition;

static inline bool amt_disposition_kept(amt_disposition d)
{
	return d >= AMT_DISP_KEPT && d <= AMT_DISP_KEPT_NOT_FLAGGED;
}

typedef enum amt_event_kind {
	/* detection (a, b: offsets; see each) */
	AMT_EV_INPUT_REGION = 1,    /* a bare ME/TXE region */
	AMT_EV_INPUT_FULL,          /* a full image (flash descriptor) */
	AMT_EV_ME_REGION_DISABLED,  /* the descriptor disables the ME region */
	AMT_EV_FPT,                 /* a: absolute offset of $FPT */
	AMT_EV_PARTITION_COUNT,     /* a: entries in the $FPT */
	AMT_EV_FTPR,                /* a, b: FTPR start and end, region-relative */
	AMT_EV_FTPR_MANIFEST,       /* a: FTPR manifest, region-relative (CSE) */
	AMT_EV_VERSION,             /* version, generation */
	AMT_EV_KEY,                 /* flag: known to me_cleaner; family: its variant;
				       label: its versions; md5: the fingerprint */
	/* the disable bit and wiping */
	AMT_EV_DISABLE_STATE,       /* name: strap; disable_kind; flag: set; flag2: will set */
	AMT_EV_ME_REGION_DISABLE,   /* gen 1: FLREG2 disables the ME region */
	AMT_EV_ME_REGION_WIPE,      /* gen 1: the ME region erased */
	AMT_EV_IGNITION,            /* ME 6 Ignition: the whole region erased */
	/* partitions */
	AMT_EV_READ_PARTITIONS,
	AMT_EV_PARTITION,           /* name; disp; a start, b end (region-relative), c length */
	AMT_EV_FPT_ENTRIES,         /* the removed entries leave the $FPT */
	AMT_EV_EFFS_FLAG,           /* the EFFS presence flag is cleared */
	AMT_EV_FPT_CHECKSUM,        /* a: new checksum-8; flag: CRC-32 (FPT 2.1) instead */
	/* modules */
	AMT_EV_READ_MODULES,
	AMT_EV_MODULES_NO_STRIDE,   /* gen 2: module header size not found: none removed */
	AMT_EV_MODULES_SHORT,       /* gen 2: fewer module headers than the manifest says */
	AMT_EV_MODULE,              /* name, part; comp; disp; gen 2: a start, b end
				       (region-relative), or for Huffman a: its chunk bytes;
				       CSE: a start, b end (next entry) */
	/* relocation */
	AMT_EV_RELOCATE,            /* name; a old start, b old end, c new start, d new end */
	AMT_EV_RELOCATE_FPT,
	AMT_EV_RELOCATE_LUT_START,
	AMT_EV_RELOCATE_HUFFMAN_START,
	AMT_EV_RELOCATE_CHUNKS,
	AMT_EV_RELOCATE_NO_HUFFMAN,
	AMT_EV_RELOCATE_MOVE,
	/* sizes */
	AMT_EV_MIN_SIZE,            /* a: smallest ME region that holds what is kept */
	AMT_EV_REDUCIBLE,           /* a: ME start, b: last byte of the smallest region */
	AMT_EV_TRUNCATE,            /* a: new file size */
	/* descriptor */
	AMT_EV_SET_DISABLE,         /* name: strap; disable_kind */
	AMT_EV_FIX_MASTER,
	AMT_EV_EXTRACT_DESCRIPTOR,
	AMT_EV_DESCRIPTOR_REGIONS,  /* the extract's regions: a ME start, b old ME end,
				       c new ME end, d BIOS start, e new BIOS start,
				       f BIOS end (ends exclusive) */
	AMT_EV_BIOS_NOT_ADJACENT,   /* a: BIOS start, b: ME end */
	AMT_EV_EXTRACT_ME,          /* flag: truncated */
	AMT_EV_INPUT_DESCRIPTOR,    /* a flash descriptor alone (its ME region is not in the file) */
	AMT_EV_CLEAR_DISABLE,       /* name: strap; disable_kind: the bit is cleared */

	/* warnings for the user (native report) */
	AMT_EV_WARN_OVERLAP_KEPT = 200, /* name: removed partition; part: the kept one;
				       a, b: the bytes kept */
	AMT_EV_WARN_FDV_EXCLUDED,   /* name: strap; a: FDV manifest; b, c: exclusion range */
	AMT_EV_WARN_FDV_BROKEN,     /* name: strap; a: FDV manifest: the signature breaks */
	AMT_EV_WARN_PLATFORM_NAMED, /* the platform was named, not recognised;
				       flag: its location is doubtful */
	AMT_EV_WARN_PARTITION_HASH, /* name: partition; flag: it matched before */
	AMT_EV_WARN_REDUCE_SHARED,  /* name, part: flagged removable but shares its bytes */
	AMT_EV_WARN_REDUCE_DIRECTORY, /* name: partition whose kept entry lies in its directory */
	AMT_EV_WARN_REDUCE_NOTHING, /* a: amt_reduce_why */
	AMT_EV_WARN_REDUCE_DONE,    /* a: modules removed, b: bytes */
	AMT_EV_WARN_NO_DISABLE_BIT, /* the disable bit was not asked for */
	AMT_EV_WARN_REGION_SHRUNK,  /* a: ME start, b: old end, c: new end; name: next region */
	AMT_EV_WARN_BARE_REGION,    /* a bare region: the disable bit lives in the descriptor */
	AMT_EV_WARN_CSE_WHOLE,      /* CSME 12+: the firmware stays whole (no fixed keep-list) */
	AMT_EV_WARN_EXPERT_OVERRIDE, /* name: strap; a: bit: the place was given, not known */
	AMT_EV_WARN_HAP_CONSEQUENCE, /* a: one AMT_HAPFX_* bit of the platform; flag: it is
				       what clearing the bit does (AMT_HAPFX_CAPSULE) */
	AMT_EV_WARN_DESCRIPTOR_ALONE, /* a descriptor file alone: the platform is recognised
				       from it alone, no firmware was checked against it;
				       flag: clearing (the ME runs again only if the ME region
				       it is flashed with holds complete firmware) */
	AMT_EV_WARN_REGIONS_OVERLAP, /* the disable bit alone on a descriptor whose regions
				       overlap (flag; a, b: the two region ids) or run past
				       the flash (a: the region): left as they are */
} amt_event_kind;

/* Why a CSME reduction removes nothing (AMT_EV_WARN_REDUCE_NOTHING a). */
typedef enum amt_reduce_why {
	AMT_REDUCE_ESSENTIAL_OR_SHARED = 1, /* the flagged modules are essential or shared */
	AMT_REDUCE_NO_SAFE_MODULE,          /* nothing outside the HAP flow can go safely */
	AMT_REDUCE_NO_HAP_FLAGS,            /* the InitScript never sets the HAP flag */
	AMT_REDUCE_NO_INITSCRIPT,           /* no InitScript extension */
} amt_reduce_why;

struct amt_event {
	amt_event_kind kind;
	char name[17];
	char part[5];
	amt_compression comp;
	amt_disposition disp;
	amt_disable_kind disable_kind;
	int generation;
	struct amt_version version;
	amt_family family;
	const char *label;          /* static text from a table (a key's versions) */
	uint8_t md5[16];
	bool flag, flag2;
	uint64_t a, b, c, d, e, f;
};

/* ---- the plan --------------------------------------------------------- */

struct amt_plan {
	size_t nedits;
	struct amt_edit *edits;
	size_t nevents;
	struct amt_event *events;
	uint64_t in_size, out_size;

	/* what the planner saw (from the model of the input) */
	amt_input_kind kind;
	bool full_image;
	int generation;             /* 1, 2, 3; 0 unknown */
	amt_family family;
	struct amt_version version;
	bool version_known;
	uint64_t me_start, me_end;  /* absolute, [start, end) */
	uint64_t fd_start, fd_end;
	uint64_t ftpr_manifest;     /* absolute offset in the input, or AMT_NO_OFFSET */
	amt_sig_status ftpr_sig;    /* of the input */

	/* disable bit */
	bool disable_known;
	amt_disable_kind disable_kind;
	unsigned ndisable;
	struct amt_strap_bit disable_loc[2];
	amt_tristate disable_before, disable_after;
	amt_platform_id platform;
	bool platform_named;

	/* what the operation does */
	bool wipe;                  /* the ME region is erased (gen 1, ME 6 Ignition) */
	bool strips;                /* partitions or modules are removed */
	uint64_t min_me_size;       /* smallest ME region holding what is kept (0: unknown) */
	uint64_t code_before, code_after;  /* the planner's own tally (me_cleaner's module
					      ends); the "code kept" figure users see is
					      amt_code_measure() (verify.h) of the result:
					      result->report->code */
	bool shrunk;                /* the ME region shrinks to me_start + min_me_size */
	int next_region;            /* the region that grows down (shrunk) */

	/* extracts */
	bool has_desc_extract;
	uint64_t desc_size;
	unsigned desc_nflreg;
	uint64_t desc_flreg_off[2]; /* descriptor-relative */
	uint32_t desc_flreg_val[2];
	bool has_me_extract;
	uint64_t me_extract_size;
};

/* ---- the one call ------------------------------------------------------ */

/* What the call did with the input (appended in 0.2, after operation; stable values). */
typedef enum amt_neu_outcome {
	AMT_NEU_OUTCOME_CHANGED = 0,  /* the verified output differs from the input */
	AMT_NEU_OUTCOME_ALREADY_DONE, /* nothing to change: the input already is what the
					 operation gives (already neutralized; for clearing,
					 the ME already enabled). out is a verified, byte for
					 byte copy of the input */
	AMT_NEU_OUTCOME_CHECK_ONLY,   /* opts->check_only: planned, nothing applied */
	AMT_NEU_OUTCOME_NONE,         /* refused, or the result failed verification: no out */
	AMT_NEU_OUTCOME_PLANNED,      /* opts->plan_only: planned, nothing applied or verified */
} amt_neu_outcome;

struct amt_neutralization {
	struct amt_plan plan;
	bool changed;               /* the output differs from the input */
	uint8_t *out;               /* the verified output (NULL unless it verified) */
	size_t out_size;
	uint8_t *descriptor;        /* want_descriptor: the descriptor extract */
	size_t descriptor_size;
	uint8_t *me;                /* want_me: the ME region extract */
	size_t me_size;
	amt_sig_status me_sig;      /* FTPR signature of the ME extract */
	struct amt_report *report;  /* the independent verification of out */
	/* appended in 0.2, after operation (the library allocates this structure) */
	amt_neu_outcome outcome;    /* CHANGED exactly when changed is true and out is set */
};

/*
 * Neutralize in/size (never modified). *result is set in every case but
 * AMT_E_NOMEM and AMT_E_ARG: on a refusal it holds the events up to the
 * refusal (err says why, err->reason typed); on a failed verification it
 * holds the report (AMT_E_VERIFY, reason AMT_R_VERIFY_FAILED) and no
 * output. With opts->check_only nothing is applied (result->out NULL).
 * Free with amt_neutralization_free().
 */
amt_status amt_neutralize(const uint8_t *in, size_t size, const struct amt_neutralize_opts *opts,
			  struct amt_neutralization **result, amt_error *err);

void amt_neutralization_free(struct amt_neutralization *r);

/* Which modules of img (the model of the plan's input) the plan keeps:
 * kept[i] for fw.modules[i] (nkept == fw.nmodules), from the plan's
 * module and partition events (lib/neutralize/remains.c); feed it to
 * amt_remains_collect (<amtless/remains.h>). AMT_E_ARG on a mismatch. */
amt_status amt_plan_kept_modules(const struct amt_plan *p, const struct amt_image *img,
				 bool *kept, size_t nkept);

#ifdef __cplusplus
}
#endif
#endif
