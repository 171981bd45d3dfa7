/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amtless command-line program: shared declarations. */
#ifndef AMTLESS_CLI_H
#define AMTLESS_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <amtless/error.h>

/*
 * Exit codes, shared by every subcommand (documented in --help and
 * amtless(1); audit adds its verdict codes, see cmd_audit.c).
 */
enum {
	EXIT_OK = 0,          /* done; for verify: sound and neutralized */
	EXIT_FINDINGS = 1,    /* verify: problems found; neutralize: result failed verification */
	EXIT_DIFFERENT = 1,   /* diff: the inputs differ */
	EXIT_USAGE = 2,       /* bad command line */
	EXIT_INPUT = 3,       /* input cannot be read (missing, directory, I/O error) */
	EXIT_UNKNOWN = 4,     /* input not recognised, or malformed */
	EXIT_UPDATE = 5,      /* input is an ME update file, not a flash region */
	EXIT_REFUSED = 6,     /* refused for safety (unknown platform, signed descriptor, ...) */
	EXIT_OUTPUT = 7,      /* output could not be written (nothing was) */
	EXIT_NOT_NEUTRALIZED = 8, /* verify: sound, but the ME is not neutralized */
	EXIT_SOME_FAILED = 9, /* inspect, several files: some could not be inspected */
	EXIT_INTERNAL = 70,   /* out of memory / bug */
};

/* Map a library status to an exit code. */
int cli_exit_for(amt_status st);

/* Subcommands: argv[0] is the subcommand name. */
int cmd_inspect(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_neutralize(int argc, char **argv);
int cmd_enable_me(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_me_cleaner(int argc, char **argv);
int cmd_flash(int argc, char **argv);

/* ---- command-line conventions (args.c) ---------------------------- */

/*
 * getopt_long for the subcommands: options before or after the operands
 * (whatever POSIXLY_CORRECT says), "--" ends the options. Use:
 *	struct cli_getopt g = { .cmd = "inspect" };
 *	while ((c = cli_getopt(&g, argc, argv, "o:h", longopts)) != -1)
 * It returns the option as getopt_long does, or '?' after printing the
 * usage error (unknown, ambiguous or argument missing): the caller then
 * returns EXIT_USAGE. After -1 the operands, in their order, are
 * argv[optind..argc).
 */
struct cli_getopt {
	const char *cmd;       /* "inspect": names the command in messages */
	bool started;
	int nops;
	char spec[64];
};
int cli_getopt(struct cli_getopt *g, int argc, char **argv, const char *shortopts,
	       const struct option *lo);

/* The one usage-error format: "amtless CMD: MESSAGE" and
 * "Try 'amtless CMD --help'." on stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- file I/O (fileio.c) ------------------------------------------ */

/* Read a whole regular file (or block device) into memory. Refuses
 * directories, FIFOs and character devices, and files that change size
 * while being read. On failure *err names the file. */
amt_status cli_read_file(const char *path, uint8_t **data, size_t *size, amt_error *err);

/* Write atomically: temp file created exclusively in the target's
 * directory, full write, fsync, rename over path, fsync of the directory.
 * On any failure the temp file is removed and path is untouched. */
amt_status cli_write_atomic(const char *path, const uint8_t *data, size_t size, amt_error *err);

/* The same, but never replacing: fails (EEXIST, path untouched) when path
 * exists, also when it appeared while writing; and a directory that cannot
 * be fsynced is an error (for a backup, whose name must survive). */
amt_status cli_write_new(const char *path, const uint8_t *data, size_t size, amt_error *err);

/* The same as cli_write_atomic, with the bytes produced by fn, which writes everything to fd
 * and returns 0, or -1 with errno set. */
typedef int (*cli_writer)(int fd, void *ctx);
amt_status cli_write_atomic_with(const char *path, cli_writer fn, void *ctx, amt_error *err);

/* write() all n bytes (EINTR retried); 0, or -1 with errno set. */
int cli_write_all(int fd, const uint8_t *p, size_t n);

/* ---- flashrom layout files (layout.c) -------------------------------- */

struct amt_image;
/* "START:END NAME\n" for each region the image's descriptor defines (hex,
 * 8 digits, ifdtool's names); malloc'ed, NULL without a descriptor or
 * memory. */
char *cli_layout_text(const struct amt_image *img);
/* ifdtool's name of region id, or NULL. */
const char *cli_layout_region_name(unsigned id);
/* Write cli_layout_text(img) to path atomically. */
amt_status cli_write_layout(const char *path, const struct amt_image *img, amt_error *err);

/* Print an amt_error as "amtless: FILE: STRUCTURE at 0xOFF: message". */
void cli_print_error(const char *file, const amt_error *err);

/* Terminal colour: on when stdout is a tty and NO_COLOR is unset. */
bool cli_use_color(FILE *f);

extern const char *cli_progname;

#endif
