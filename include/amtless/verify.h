/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * amtless - is this image safe to flash, and is its ME neutralized?
 *
 * amt_verify() parses an image with the one model and answers with a
 * typed report: every manifest signature, every checksum/CRC, the hash of
 * every module that still holds code, the regions of the descriptor, the
 * disable bit located from the image's own descriptor, and what remains of
 * the firmware. Its verdict is one of three:
 *   AMT_VERDICT_NEUTRALIZED      sound, and the ME is neutralized (the
 *                                disable bit is set, or the firmware is
 *                                stripped to its boot modules, or the ME
 *                                region is wiped / disabled);
 *   AMT_VERDICT_NOT_NEUTRALIZED  sound, but the ME is not neutralized;
 *   AMT_VERDICT_PROBLEMS         something is broken (findings[] says
 *                                what): do not flash it.
 * Facts that are not problems (overlaps Intel's layout has by design,
 * hashes of removed modules, modules whose hash cannot be checked) are
 * notes[]. A module whose hash cannot be checked is counted as unverified,
 * never as sound.
 *
 * The same report is what amt_neutralize() (neutralize.h) gives for its
 * output, with the checks of the output against the input added.
 */
#ifndef AMTLESS_VERIFY_H
#define AMTLESS_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <amtless/error.h>
#include <amtless/image.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum amt_verdict {
	AMT_VERDICT_PROBLEMS = 0,
	AMT_VERDICT_NOT_NEUTRALIZED,
	AMT_VERDICT_NEUTRALIZED,
} amt_verdict;

const char *amt_verdict_str(amt_verdict v); /* "problems", "not-neutralized", "neutralized" */

/* A problem (findings[]) or a fact worth saying (notes[]). Values are
 * stable: new kinds are only ever appended. */
typedef enum amt_finding_kind {
	/* problems */
	AMT_F_PARSE = 1,        /* the image does not parse */
	AMT_F_STRUCTURE,        /* a structure is malformed (the parser's problem list) */
	AMT_F_NO_FIRMWARE,      /* the ME region holds no firmware we know */
	AMT_F_NO_FTPR,          /* no FTPR/CODE manifest */
	AMT_F_SIGNATURE,        /* the FTPR manifest signature does not verify, or
				   another one is invalid */
	AMT_F_CHECKSUM,         /* a checksum/CRC of a structure does not match */
	AMT_F_MODULE_HASH,      /* a module that holds code does not match its hash */
	AMT_F_REGIONS,          /* descriptor regions overlap or run past the flash */
	/* problems of a neutralized output measured against its input */
	AMT_F_DIFF_BOUND,       /* a byte changed outside what the operation may touch */
	AMT_F_KEPT_CHANGED,     /* bytes of a kept module or partition differ */
	AMT_F_KEPT_UNKNOWN,     /* a module holds code in the output but not in the input */
	AMT_F_DISABLE_BIT,      /* the disable bit is not set in the output */
	AMT_F_NOT_REMOVED,      /* code the operation removes still holds data */
	AMT_F_NOT_WIPED,        /* the wiped ME region still holds data */
	AMT_F_SIGNATURE_LOST,   /* a signature valid in the input is not in the output */
	AMT_F_SIZE,             /* the output has a size the operation cannot give */
	AMT_F_EXTRACT,          /* an extract (descriptor, ME region) is not sound */
	/* notes */
	AMT_N_OVERLAP = 100,    /* partitions that overlap as Intel lays them out */
	AMT_N_UNVERIFIED,       /* a module that holds code whose hash cannot be checked */
	AMT_N_REMOVED_HASH,     /* the hash of a removed (erased) module */
	AMT_N_STRIPPED_PARTITION_HASH, /* a partition hash over removed modules */
	AMT_N_TRUNCATED,        /* a region truncated after its kept data: checked as padded */
	AMT_N_SHRUNK,           /* an ME region shrunk after its kept data: checked as before */
	AMT_N_ERASED,           /* every byte 0xFF: no firmware (or a failed read) */
	AMT_N_SIGNATURE_UNCHECKED, /* a manifest other than FTPR's that cannot be checked */
	AMT_N_STRUCTURE,        /* a parser remark that does not make the image unsound */
	AMT_N_DISABLE_UNLOCATED,/* the disable bit cannot be located on this platform */
	AMT_N_PARTITION_HASH,   /* a signed partition hash (CSE extension 0x03) that does
				   not match: FIT-customised images differ (MEA), and the
				   ME does not check it at boot (me_cleaner's removals
				   break it on every ME 11) */
	AMT_N_REGIONS,          /* descriptor regions that share bytes as the vendor laid
				   them out (not descriptor, BIOS and ME among
				   themselves): amtless writes none of their bytes */
} amt_finding_kind;

struct amt_finding {
	amt_finding_kind kind;
	char structure[32];     /* "$FPT", "FTPR manifest", "FLREG2", ... */
	uint64_t offset;        /* absolute offset (in the image checked), or AMT_NO_OFFSET */
	char name[24];          /* what it is about: "FTPR/kernel", "MFS", "" */
	uint64_t stored, computed; /* checksums: the values */
	char message[224];      /* one sentence */
};

/* A code module of the image checked, and what is known of it. */
struct amt_report_module {
	char name[17];
	char partition[5];
	amt_compression comp;
	uint32_t size, usize;      /* stored / unpacked bytes (0: unknown) */
	amt_tristate present;      /* holds code (YES), removed (NO) */
	amt_tristate hash_ok;      /* matches its hash; UNKNOWN: unverified */
	bool boot;                 /* on the boot keep-list */
};

/* ---- code kept: the one measure (lib/neutralize/code.c) --------------- */

/* Which code the measure counts. */
typedef enum amt_code_scope {
	AMT_CODE_SCOPE_BOOT_PARTITION = 0, /* FTPR / CODE's modules */
	AMT_CODE_SCOPE_FIRMWARE,           /* every partition's (CSME 12+, IFWI) */
} amt_code_scope;

/* Which modules count as kept. */
typedef enum amt_code_basis {
	AMT_CODE_PRESENT = 0,      /* those that hold code in this image (what remains) */
	AMT_CODE_DEFAULT_KEEP,     /* those the default neutralization keeps (a preview) */
} amt_code_basis;

/* The code of a firmware: its code modules (FTPR / CODE, the one partition
 * a stripped image still describes; every partition's on CSME 12+ / IFWI),
 * each with its stored bytes (gen 2 Huffman modules: the
 * bytes of their LLUT chunks, each chunk once). inspect's preview, neutralize's
 * report (on its verified output), verify and the what-remains table
 * (<amtless/remains.h>) all give this measure.
 * Size-versioned (amt_code_measure_init). */
struct amt_code_measure {
	size_t struct_size;        /* sizeof(struct amt_code_measure): set by init */
	amt_code_basis basis;
	bool known;                /* the image lists code modules */
	uint64_t total;            /* bytes of every code module */
	uint64_t kept;             /* bytes of the kept ones (basis) */
	unsigned nmodules, nkept;  /* code modules, and the kept ones */
	amt_code_scope scope;      /* which code total counts */
};

void amt_code_measure_init(struct amt_code_measure *m);
/* Measure img (a parsed model). Fails only with AMT_E_ARG or AMT_E_NOMEM. */
amt_status amt_code_measure(const struct amt_image *img, amt_code_basis basis,
			    struct amt_code_measure *out, amt_error *err);

struct amt_report {
	amt_verdict verdict;
	amt_input_kind kind;
	bool parses;

	/* the firmware */
	bool has_fw;
	amt_family family;
	bool version_known;
	struct amt_version version;
	amt_sig_status ftpr_sig;
	amt_tristate amt_present;

	/* neutralization, derived from the image itself */
	bool has_descriptor;
	bool disable_located;
	amt_disable_kind disable_kind;
	unsigned ndisable;
	struct amt_strap_bit disable_loc[2];
	amt_tristate disable_bit;   /* YES set, NO clear, UNKNOWN not located */
	bool me_region_disabled;    /* the descriptor disables the ME region */
	bool wiped;                 /* the ME region is erased (every byte 0xFF) */
	bool stripped;              /* only the boot modules hold code */

	/* counts */
	unsigned nsignatures, nsignatures_valid;
	unsigned nchecks, nchecks_ok;
	unsigned nmodules;          /* code modules */
	unsigned nmodules_code;     /* ... that hold code */
	unsigned nmodules_hash_ok;  /* ... whose hash matches */
	unsigned nmodules_unverified; /* ... whose hash cannot be checked */
	unsigned nmodules_removed;  /* ... erased or truncated away */

	size_t nfindings;
	struct amt_finding *findings;
	size_t nnotes;
	struct amt_finding *notes;
	size_t nmods;
	struct amt_report_module *mods;   /* every code module, in image order */

	/* appended in 0.2 (the library allocates the report) */
	struct amt_code_measure code;     /* what remains: AMT_CODE_PRESENT of the image
					     checked (for a neutralization: its output) */
	char sku[48];                     /* the firmware's SKU as the model names it
					     ("" when unknown) */
};

struct amt_verify_opts {
	size_t struct_size;          /* sizeof(struct amt_verify_opts): set by init */
	amt_platform_id platform;    /* platform named by the user (AMT_PLAT_UNKNOWN: detect) */
	struct amt_hap_override hap_override; /* expert: the disable bit's place */
};

void amt_verify_opts_init(struct amt_verify_opts *o);

/*
 * Verify data/size. *out receives a report (free it with amt_report_free)
 * whenever the status is AMT_OK; an image that does not parse gives
 * AMT_OK and a report whose verdict is AMT_VERDICT_PROBLEMS with an
 * AMT_F_PARSE finding. Fails only for AMT_E_NOMEM / AMT_E_ARG.
 */
amt_status amt_verify(const uint8_t *data, size_t size, const struct amt_verify_opts *opts,
		      struct amt_report **out, amt_error *err);

void amt_report_free(struct amt_report *r);

#ifdef __cplusplus
}
#endif
#endif
