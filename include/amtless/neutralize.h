/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * amtless - neutralization of the Intel ME: plan, apply, verify.
 *
 *   amt_neutralize_plan()   reads the input (never modifies it) and lists
 *                           every edit: range, old -> new, why;
 *   amt_plan_apply()        applies the edits to a copy (or, with
 *                           amt_plan_apply_inplace(), to a buffer the caller
 *                           owns and no longer needs);
 *   amt_neutralize_verify() parses the result and checks it: it parses, the
 *                           FTPR manifest signature verifies, checksums are
 *                           right, kept bytes are unchanged, the disable bit
 *                           reads back as set.
 *
 * Two behaviours share the planner:
 *  - native (amtless neutralize): platform-aware disable bit (refuses an
 *    unknown platform), CRC-32 for FPT 2.1, masks per descriptor version,
 *    optional shrinking of the ME region in the descriptor;
 *  - me_cleaner 1.2 compatible (amtless me_cleaner): reproduces what
 *    corna/me_cleaner 43612a6 writes, byte for byte, where that works;
 *    where me_cleaner breaks (erases the $CPD header, drops FTPR, crashes,
 *    leaves a generation-1 region unchanged) it refuses with a reason.
 */
#ifndef AMTLESS_NEUTRALIZE_H
#define AMTLESS_NEUTRALIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <amtless/error.h>
#include <amtless/image.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AMT_NEU_MAX_LIST 16

struct amt_neutralize_opts {
	bool me_cleaner_compat;  /* reproduce me_cleaner 1.2 (its quirks included) */
	bool check_only;         /* me_cleaner -c: plan nothing, log only */
	bool set_disable_bit;    /* -S: disable bit + removal */
	bool disable_bit_only;   /* -s: only the disable bit */
	bool keep_modules;       /* -k: keep every module of FTPR */
	bool relocate;           /* -r: move FTPR to the start of the ME region */
	bool truncate;           /* -t: truncate a bare ME region after what is kept */
	bool fix_master;         /* -d: remove the ME's access to other regions */
	bool shrink_region;      /* native: shrink the ME region in the descriptor,
				    give the space to the region that follows */
	bool allow_signed_descriptor; /* edit a descriptor that carries an FDV manifest */
	bool want_descriptor;    /* -D: produce the descriptor extract */
	bool want_me;            /* -M: produce the ME region extract */
	const char *descriptor_name; /* -D file name, for the log only (may be NULL) */
	const char *me_name;     /* -M file name, for the log only (may be NULL) */
	unsigned nwhitelist, nblacklist;   /* -w / -b partition names */
	bool blacklist_given;
	char whitelist[AMT_NEU_MAX_LIST][5];
	char blacklist[AMT_NEU_MAX_LIST][5];
	amt_platform_id platform; /* native: platform override (AMT_PLAT_UNKNOWN = detect) */
	bool reduce_cse;         /* native, CSME 12+ / TXE 3/4 IFWI: also remove the modules
				    the image marks removable or outside the HAP boot flow */
};

void amt_neutralize_opts_init(struct amt_neutralize_opts *o);
/* Parse "A,B,C" into the whitelist/blacklist (names up to 4 chars). */
amt_status amt_neutralize_parse_list(struct amt_neutralize_opts *o, bool black,
				     const char *list, amt_error *err);

typedef enum amt_edit_kind {
	AMT_EDIT_WRITE = 0,  /* new bytes */
	AMT_EDIT_FILL,       /* fill with one byte value */
	AMT_EDIT_MOVE,       /* move len bytes from src to offset, src filled */
	AMT_EDIT_RESIZE,     /* the output gets `length` bytes (zero-extended) */
} amt_edit_kind;

struct amt_edit {
	amt_edit_kind kind;
	uint64_t offset;        /* absolute destination offset */
	uint64_t length;
	uint64_t src;           /* MOVE */
	uint8_t fill;           /* FILL, and what MOVE leaves behind */
	uint8_t *old_bytes;     /* WRITE: bytes before (length) */
	uint8_t *new_bytes;     /* WRITE: bytes after (length) */
	char reason[112];
};

/* A range that must survive unchanged (maybe moved): kept module/manifest. */
struct amt_kept_range {
	char name[20];
	uint64_t src, dst, length;  /* absolute offsets in input / output */
	bool hashed;
	uint8_t sha256[32];         /* of the input bytes (amt_plan_snapshot) */
};

struct amt_neu_item {           /* report line: a partition or module */
	char name[17];
	char part[5];
	bool is_module;
	bool kept;
	uint64_t offset, size;      /* absolute, in the input */
	char why[48];
};

struct amt_plan {
	size_t nedits;
	struct amt_edit *edits;
	uint64_t in_size, out_size;

	/* what the planner saw */
	bool full_image;
	int generation;             /* 1, 2, 3; 0 unknown */
	char variant[8];            /* "ME", "TXE", "SPS" */
	struct amt_version version;
	uint64_t me_start, me_end;  /* absolute, [start, end) */
	uint64_t fd_start, fd_end;
	uint64_t ftpr_manifest;     /* absolute offset in the OUTPUT, or AMT_NO_OFFSET */
	bool ignition_wiped;        /* ME 6 Ignition: whole region wiped */
	bool gen1_wiped;            /* gen 1: region wiped and disabled */
	uint64_t min_me_size;       /* new minimum ME size (0: unknown) */
	uint64_t code_before, code_after;  /* code bytes of FTPR/CODE before/after */

	/* disable bit */
	bool disable_known;
	char disable_what[40];      /* "AltMeDisable (PCHSTRP10 bit 7)" */
	amt_tristate disable_before, disable_after;
	unsigned ndisable;          /* 1, or 2 for gen 1 */
	uint64_t disable_off[2];    /* absolute offset of the dword */
	uint32_t disable_mask[2];

	/* --shrink-region: the FLREG dwords changed in the image and their old
	 * values (verification parses the output with them restored: the
	 * $FPT entries keep their lengths, as after me_cleaner -t) */
	unsigned nshrink;
	uint64_t shrink_off[2];
	uint32_t shrink_old[2];

	/* extracts (-D, -M), taken from the output after apply */
	bool has_desc_extract;
	uint64_t desc_size;
	bool desc_flreg_edit;
	uint64_t desc_flreg_off[2];
	uint32_t desc_flreg_val[2];
	unsigned desc_nflreg;
	bool has_me_extract;
	uint64_t me_extract_size;

	size_t nkept;
	struct amt_kept_range *kept;
	size_t nitems;
	struct amt_neu_item *items;

	/* amt_plan_reference(): the input, kept alive by the caller, that
	 * verification compares the kept ranges with (instead of hashes) */
	const uint8_t *ref_in;
	size_t ref_size;

	/* what me_cleaner would print (stdout), '\n'-separated */
	char *log;
	size_t log_len, log_cap;
	/* warnings for the native front end */
	char *notes;
	size_t notes_len, notes_cap;
};

void amt_plan_free(struct amt_plan *p);

/*
 * Plan the neutralization of data/size. img is the parsed model of the same
 * bytes: required in native mode (platform, disable bit, FPT version), may
 * be NULL in me_cleaner mode. On failure nothing is planned and err says
 * why (AMT_E_ARG, AMT_E_UNKNOWN, AMT_E_PLATFORM, AMT_E_REFUSED, ...);
 * plan->log still holds what me_cleaner would have printed up to there:
 * call amt_plan_free() in every case.
 */
amt_status amt_neutralize_plan(const uint8_t *data, size_t size,
			       const struct amt_image *img,
			       const struct amt_neutralize_opts *opts,
			       struct amt_plan *plan, amt_error *err);

/* Apply to a fresh copy: *out (malloc'ed) of *out_size bytes. */
amt_status amt_plan_apply(const struct amt_plan *plan, const uint8_t *in, size_t in_size,
			  uint8_t **out, size_t *out_size, amt_error *err);
/* Apply to *buf (malloc'ed, in_size bytes) in place; may realloc it. */
amt_status amt_plan_apply_inplace(const struct amt_plan *plan, uint8_t **buf, size_t *size,
				  amt_error *err);
/* Record the hashes of the kept ranges of the input (call before an
 * in-place apply). */
amt_status amt_plan_snapshot(struct amt_plan *plan, const uint8_t *in, size_t in_size,
			     amt_error *err);

/* Or: verification compares the kept ranges with `in` itself, which the
 * caller keeps alive and unchanged until amt_neutralize_verify() returns
 * (cheaper than hashing when the input stays mapped). */
void amt_plan_reference(struct amt_plan *plan, const uint8_t *in, size_t in_size);

/* -D / -M extracts of an applied output (malloc'ed). */
amt_status amt_plan_extract_descriptor(const struct amt_plan *plan, const uint8_t *out,
				       size_t out_size, uint8_t **buf, size_t *len,
				       amt_error *err);
amt_status amt_plan_extract_me(const struct amt_plan *plan, const uint8_t *out,
			       size_t out_size, uint8_t **buf, size_t *len, amt_error *err);

/* Read len bytes at off as they are after the edits (bytes past the end
 * of the input read as 0). For tests and the dry-run display. */
void amt_plan_read(const struct amt_plan *plan, const uint8_t *in, size_t in_size,
		   uint64_t off, uint8_t *dst, size_t len);

struct amt_neutralize_report {
	bool parses;
	amt_sig_status ftpr_sig;
	bool checks_ok;             /* every checksum/CRC that can be checked matches */
	bool kept_ok;               /* kept ranges unchanged */
	amt_tristate disable_bit;   /* as read back */
	unsigned nfailures;
	char failures[8][160];
};

/*
 * Verify an output against its plan (and opts). Returns AMT_OK when it is
 * sound, AMT_E_VERIFY (with the first failure in err) otherwise; report
 * lists every failure.
 */
amt_status amt_neutralize_verify(const struct amt_plan *plan,
				 const struct amt_neutralize_opts *opts,
				 const uint8_t *out, size_t out_size,
				 struct amt_neutralize_report *report, amt_error *err);

/* Platform for a --platform key ("cnp-h", "spt", ...); AMT_PLAT_UNKNOWN
 * when unknown. */
amt_platform_id amt_neutralize_platform_by_key(const char *key);

/* me_cleaner's table: variant and versions for the MD5 of the 0x104 key
 * bytes at manifest+0x80; NULL when unknown. */
const char *amt_me_cleaner_key_variant(const uint8_t md5[16], const char **versions);

#ifdef __cplusplus
}
#endif
#endif
