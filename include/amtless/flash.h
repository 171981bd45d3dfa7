/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * amtless - neutralize the ME of the flash chip itself, through libflashrom.
 *
 *   amt_flash_open(opts, &f, &err)          programmer up, chip probed
 *   amt_flash_read(f, &data, &size, &err)   the whole chip into memory
 *   amt_flash_plan_neutralize(f, nopts, &plan, &err)
 *   amt_flash_plan_restore(f, backup, n, &plan, &err)
 *   amt_flash_write(f, plan, backup, n, &err)
 *   amt_flash_plan_free(plan); amt_flash_close(f);
 *
 * The plan is made from what was read: the neutralization goes through
 * amt_neutralize() (parse, plan, apply, independent verification), and the
 * regions to write are the descriptor regions, read through the one image
 * model, whose bytes differ. A plan refuses (AMT_E_REFUSED, typed reason)
 * when the chip size differs from the descriptor's, when a byte outside the
 * descriptor and the ME region would change, and - with host rules (the
 * internal programmer) - when the descriptor's BIOS master (FLMSTR1) may not
 * write a region that must change.
 *
 * amt_flash_write() takes the backup as it was read back from disk: it
 * refuses to touch the chip unless those bytes are exactly what was read from
 * the chip (a neutralization plan) or exactly the image being restored (a
 * restore plan). It writes the changing regions one at a time in address
 * order, then reads the whole chip back and records, for every region, what
 * it holds now (the old bytes, the new bytes, or neither), and counts the
 * bytes outside them that changed. Only when the chip holds exactly the plan's
 * target does it return AMT_OK.
 *
 * The library prints nothing: libflashrom's messages go to opts->log when
 * given (libflashrom has one process-wide log callback and allows one
 * programmer at a time, so there is one session at a time: a second
 * amt_flash_open() while one is open is refused).
 */
#ifndef AMTLESS_FLASH_H
#define AMTLESS_FLASH_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <amtless/error.h>
#include <amtless/image.h>
#include <amtless/neutralize.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum amt_flash_log_level {
	AMT_FLASH_LOG_ERROR = 0,
	AMT_FLASH_LOG_WARN,
	AMT_FLASH_LOG_INFO,
	AMT_FLASH_LOG_DEBUG,
} amt_flash_log_level;

/* libflashrom's messages, one printf-style piece at a time. */
typedef void (*amt_flash_log_fn)(void *ctx, amt_flash_log_level level, const char *fmt, va_list ap);

typedef enum amt_flash_host_rules {
	AMT_FLASH_HOST_AUTO = 0,   /* apply them with the internal programmer only */
	AMT_FLASH_HOST_ON,         /* apply them whatever the programmer (a rehearsal
				      on an emulated chip of what -p internal does) */
	AMT_FLASH_HOST_OFF,        /* an external programmer: the descriptor's access
				      rules bind the host only */
} amt_flash_host_rules;

struct amt_flash_opts {
	size_t struct_size;        /* sizeof(struct amt_flash_opts): set by init */
	const char *programmer;    /* flashrom programmer name ("internal" when NULL) */
	const char *params;        /* its parameters ("emulate=...,image=..."), or NULL */
	const char *chip;          /* chip definition to probe for, or NULL: every one */
	amt_flash_host_rules host_rules;
	amt_flash_log_fn log;      /* libflashrom's messages, or NULL: dropped */
	void *log_ctx;
};

void amt_flash_opts_init(struct amt_flash_opts *o);

struct amt_flash;

/* Initialise libflashrom and the programmer and probe the chip. Errors:
 * AMT_E_IO with AMT_R_FLASH_PROGRAMMER, AMT_R_FLASH_NO_CHIP or
 * AMT_R_FLASH_MANY_CHIPS; AMT_E_REFUSED when a session is open already. */
amt_status amt_flash_open(const struct amt_flash_opts *opts, struct amt_flash **out,
			  amt_error *err);
/* Size of the chip in bytes. */
size_t amt_flash_size(const struct amt_flash *f);
/* Do the descriptor's host access rules apply (opts->host_rules resolved)? */
bool amt_flash_host_rules_apply(const struct amt_flash *f);
/* Read the whole chip, then have libflashrom read it again and compare
 * (AMT_E_IO, AMT_R_FLASH_READ when a read fails or the two differ: the
 * backup and the plan must not be made of a misread). The bytes belong to
 * the session and stay valid until amt_flash_close(). */
amt_status amt_flash_read(struct amt_flash *f, const uint8_t **data, size_t *size, amt_error *err);
/* Release the chip and shut the programmer down (the dummy programmer
 * writes its image file then). NULL is accepted. */
void amt_flash_close(struct amt_flash *f);

typedef enum amt_flash_kind {
	AMT_FLASH_NEUTRALIZE = 0,  /* write the verified neutralization */
	AMT_FLASH_RESTORE,         /* write a backup back */
} amt_flash_kind;

/* What a region holds after amt_flash_write(). */
typedef enum amt_flash_region_state {
	AMT_FRS_PLANNED = 0,       /* not written yet */
	AMT_FRS_UNCHANGED,         /* read back: the bytes it held before (not written) */
	AMT_FRS_WRITTEN,           /* read back: exactly the new bytes */
	AMT_FRS_PARTIAL,           /* read back: neither (a write stopped in it) */
	AMT_FRS_UNKNOWN,           /* the chip could not be read back */
} amt_flash_region_state;

struct amt_flash_region {
	unsigned id;               /* AMT_RGN_* (from the descriptor of the chip) */
	uint64_t start, end;       /* [start, end) */
	uint64_t ndiff;            /* bytes that change */
	bool host_writable;        /* FLMSTR1 lets the host write it */
	amt_flash_region_state state;
};

struct amt_flash_plan {
	amt_flash_kind kind;
	size_t chip_size;
	uint64_t descriptor_flash_size; /* what the chip's descriptor says */
	bool host_rules;           /* the host access rules were applied */
	bool nothing_to_do;        /* already neutralized / the chip holds the backup */
	unsigned nregions;         /* regions to write, in address order */
	struct amt_flash_region regions[AMT_IFD_MAX_REGIONS];
	/* AMT_FLASH_NEUTRALIZE: the verified result (plan, events, report) */
	struct amt_neutralization *neutralization;
	const uint8_t *target;     /* what the chip must hold afterwards */
	size_t target_size;

	/* filled by amt_flash_write() */
	bool write_started;        /* the chip may have changed */
	int failed_region;         /* index into regions[] whose write failed, or -1 */
	bool read_back;            /* the whole chip was read back */
	bool matches_target;       /* ... and holds exactly target */
	bool matches_before;       /* ... and still holds what was read before */
	uint64_t outside_ndiff;    /* bytes outside regions[] that changed */
	uint64_t first_diff;       /* first byte that differs from target, or AMT_NO_OFFSET */

	/* set by the planner: amt_flash_write() writes only a plan that was
	 * accepted, made of the session's latest read */
	bool accepted;
	unsigned read_gen;
};

/* Plan the neutralization of what amt_flash_read() read. *plan is set
 * whenever it could be built, also on a refusal or a failed verification
 * (then it says what would change; never write it). */
amt_status amt_flash_plan_neutralize(struct amt_flash *f, const struct amt_neutralize_opts *nopts,
				     struct amt_flash_plan **plan, amt_error *err);

/* Plan writing backup back: it must belong to this chip
 * (amt_flash_match_backup); the plan's target is a copy of it. */
amt_status amt_flash_plan_restore(struct amt_flash *f, const uint8_t *backup, size_t size,
				  struct amt_flash_plan **plan, amt_error *err);

/* Write the plan's regions; backup/size: the backup file as read back from
 * disk (see above). AMT_E_REFUSED with AMT_R_FLASH_BACKUP before anything
 * is written when it is not the proof asked for; AMT_E_IO with
 * AMT_R_FLASH_WRITE when a write failed, AMT_E_VERIFY with
 * AMT_R_FLASH_READBACK when the chip does not hold the target: the plan's
 * regions[].state then says what each region holds. */
amt_status amt_flash_write(struct amt_flash *f, struct amt_flash_plan *plan, const uint8_t *backup,
			   size_t size, amt_error *err);

void amt_flash_plan_free(struct amt_flash_plan *plan);

/*
 * Does backup belong to the flash whose contents are chip? Both are read
 * through the image model and compared with amt_diff(): the same size and
 * region map (the ME region may be disabled on the chip, as neutralizing
 * ME 2-5 does), no strap bit different but the disable bit, no master
 * register different but the ME's (FLMSTR2), no other descriptor byte
 * different, and every byte outside the descriptor and the ME region the
 * same. When the chip's own descriptor cannot be read (a write stopped in
 * it), only the bytes outside the backup's descriptor and ME regions are
 * compared. AMT_OK when it belongs; AMT_E_REFUSED with AMT_R_FLASH_FOREIGN and
 * the first difference (structure, offset) when not; AMT_E_UNKNOWN & co.
 * when either cannot be read as a full image.
 */
amt_status amt_flash_match_backup(const uint8_t *chip, size_t chip_size, const uint8_t *backup,
				  size_t backup_size, amt_error *err);

#ifdef __cplusplus
}
#endif
#endif
