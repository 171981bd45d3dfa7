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

/* Status codes. 0 is success; every other value is a failure class. */
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

typedef struct amt_error {
	amt_status code;
	char structure[32];  /* e.g. "$FPT", "FLMAP1", "$CPD FTPR" */
	uint64_t offset;     /* absolute offset in the input, or AMT_NO_OFFSET */
	char message[256];   /* human sentence, no trailing newline */
} amt_error;

/* Name of a status code ("truncated", "bad checksum", ...). Never NULL. */
const char *amt_status_str(amt_status st);

/* Fill *err (if err != NULL) and return code. printf-style message. */
amt_status amt_error_set(amt_error *err, amt_status code, const char *structure,
			 uint64_t offset, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
amt_status amt_error_vset(amt_error *err, amt_status code, const char *structure,
			  uint64_t offset, const char *fmt, va_list ap);

/* Reset to AMT_OK / empty. */
void amt_error_clear(amt_error *err);

#ifdef __cplusplus
}
#endif
#endif
