/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amtless - error reporting shared by every library function. */
#ifndef AMTLESS_ERROR_H
#define AMTLESS_ERROR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes. 0 is success; every other value is a failure class.
 * The values are stable: new codes are only ever appended. */
typedef enum amt_status {
	AMT_OK = 0,
	AMT_E_NOMEM,        /* allocation failed */
	AMT_E_TRUNCATED,    /* a structure runs past the end of its container */
	AMT_E_BADMAGIC,     /* a signature/tag is not what it must be */
	AMT_E_RANGE,        /* an offset/size/count points outside its container */
	AMT_E_OVERLAP,      /* two structures claim the same bytes */
	AMT_E_LOOP,         /* a chain of pointers loops */
	AMT_E_CHECKSUM,     /* a checksum/CRC does not match */
	AMT_E_SIGNATURE,    /* an RSA signature does not verify */
	AMT_E_UNSUPPORTED,  /* understood, but not handled by this version */
	AMT_E_UNKNOWN,      /* input not recognised at all */
	AMT_E_UPDATE_FILE,  /* an ME update file, not a flash region */
	AMT_E_PLATFORM,     /* platform not recognised / ambiguous: refuse to guess */
	AMT_E_REFUSED,      /* operation refused for safety (with a reason) */
	AMT_E_VERIFY,       /* verification of a result failed */
	AMT_E_IO,           /* file I/O failed */
	AMT_E_ARG,          /* invalid argument from the caller */
} amt_status;

/*
 * A precise error: what failed, in which structure, at which offset of the
 * input (absolute file offset, or AMT_NO_OFFSET when none applies).
 */
#define AMT_NO_OFFSET UINT64_MAX

/*
 * Why an operation was refused or could not be done, for callers that
 * act on it (a front end that offers an override, me_cleaner's wording).
 * The values are stable: new reasons are only ever appended.
 */
typedef enum amt_reason {
	AMT_R_NONE = 0,
	/* options */
	AMT_R_OPT_NEEDS_FULL_IMAGE,   /* disable bit, descriptor edits, extracts: need a descriptor */
	AMT_R_OPT_CHECK_COMBINED,     /* check only, combined with an edit */
	AMT_R_OPT_DISABLE_ONLY_COMBINED, /* disable bit only, combined with relocate/truncate */
	AMT_R_OPT_RELOCATE_LISTS,     /* relocation with a partition keep/remove list */
	AMT_R_OPT_CONFLICT,           /* two options exclude each other */
	AMT_R_OPT_NOT_OFFERED,        /* not offered for this firmware (see the message) */
	/* input */
	AMT_R_UNKNOWN_IMAGE,          /* neither an ME region nor a full image */
	AMT_R_ME_FIRMWARE_MISSING,    /* the descriptor's ME region holds no firmware we know */
	AMT_R_DESCRIPTOR_ONLY,        /* the ME region is not in the file */
	AMT_R_NO_FTPR,                /* no FTPR/CODE partition entry */
	AMT_R_NO_FTPR_MANIFEST,       /* FTPR's $CPD names no FTPR.man */
	AMT_R_FTPR_MANIFEST_TAG,      /* no $MN2/$MAN tag where FTPR's manifest must be */
	AMT_R_ME_REGION_DISABLED,     /* the ME region is disabled in the descriptor */
	AMT_R_FTPR_OUTSIDE_REGION,    /* FTPR runs past the region: already truncated */
	AMT_R_GEN1_BARE_REGION,       /* ME 2-5 are neutralized through the descriptor */
	AMT_R_FPT_WITHOUT_ROM_BYPASS, /* $FPT at the region start */
	AMT_R_REGIONS_OVERLAP,        /* descriptor regions overlap or run past the flash */
	AMT_R_UPDATE_FILE,            /* an ME update file */
	/* platform and descriptor */
	AMT_R_PLATFORM_UNKNOWN,       /* the disable bit cannot be located */
	AMT_R_PLATFORM_AMBIGUOUS,     /* sources dispute the location: name the platform */
	AMT_R_PLATFORM_MISMATCH,      /* the named platform contradicts the firmware */
	AMT_R_SIGNED_DESCRIPTOR,      /* the bit is hashed by a signed descriptor (FDV) */
	/* the operation */
	AMT_R_NOTHING_TO_DO,          /* the options ask for no change on this firmware */
	AMT_R_REDUCE_UNTRUSTED,       /* the InitScript's manifest does not verify */
	AMT_R_REDUCE_NOTHING,         /* the image lets no module go */
	AMT_R_RELOCATE_UNSAFE,        /* the relocation would overlap or wrap */
	AMT_R_RELOCATE_NO_ENTRY,      /* no partition entry left to relocate */
	AMT_R_NO_BOOT_CHUNK,          /* ROMP/BUP have no Huffman chunk (me_cleaner crashes) */
	AMT_R_TRUNCATE_UNKNOWN_END,   /* where the kept data ends is unknown */
	AMT_R_SHRINK_NO_NEXT_REGION,  /* no region starts after the ME region */
	AMT_R_VERIFY_FAILED,          /* the result failed its verification */
	AMT_R_MODULE_TABLE,           /* a module table cannot be read whole */
	AMT_R_PLATFORM_NO_SOURCE,     /* the platform is known, but no public source gives
					 where its disable bit is */
	AMT_R_ENABLE_NO_FIRMWARE,     /* clearing the disable bit: the ME firmware is stripped,
					 wiped or absent, or its region disabled: an ME that
					 cannot run would be started */
	/* amt_flash_* (the flash chip through libflashrom) */
	AMT_R_FLASH_PROGRAMMER,       /* the programmer could not be initialised */
	AMT_R_FLASH_NO_CHIP,          /* no flash chip found */
	AMT_R_FLASH_MANY_CHIPS,       /* several chip definitions match: name one */
	AMT_R_FLASH_READ,             /* reading the chip failed */
	AMT_R_FLASH_NOT_FULL,         /* the chip holds no flash descriptor at 0 */
	AMT_R_FLASH_SIZE,             /* the chip size differs from the descriptor's */
	AMT_R_FLASH_LOCKED,           /* the descriptor gives the host (FLMSTR1) no write
					 access to a region that must change */
	AMT_R_FLASH_OUTSIDE,          /* a byte outside the descriptor and ME regions
					 would change */
	AMT_R_FLASH_BACKUP,           /* the backup read back is not what was read */
	AMT_R_FLASH_FOREIGN,          /* the backup does not belong to this chip */
	AMT_R_FLASH_WRITE,            /* writing the chip failed */
	AMT_R_FLASH_READBACK,         /* the chip read back is not what was meant */
} amt_reason;

typedef struct amt_error {
	amt_status code;
	char structure[32];  /* e.g. "$FPT", "FLMAP1", "$CPD FTPR" */
	uint64_t offset;     /* absolute offset in the input, or AMT_NO_OFFSET */
	char message[256];   /* human sentence, no trailing newline */
	amt_reason reason;   /* AMT_R_NONE unless a typed reason applies */
	uint32_t reserved[7];/* zero; room for fields added later */
} amt_error;

/* Name of a status code ("truncated", "bad checksum", ...). Never NULL. */
const char *amt_status_str(amt_status st);

/* Fill *err (if err != NULL) and return code. printf-style message. */
amt_status amt_error_set(amt_error *err, amt_status code, const char *structure,
			 uint64_t offset, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
amt_status amt_error_vset(amt_error *err, amt_status code, const char *structure,
			  uint64_t offset, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

/* The same, with a typed reason. */
amt_status amt_error_set_reason(amt_error *err, amt_status code, amt_reason reason,
				const char *structure, uint64_t offset, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Reset to AMT_OK / empty. */
void amt_error_clear(amt_error *err);

#ifdef __cplusplus
}
#endif
#endif
