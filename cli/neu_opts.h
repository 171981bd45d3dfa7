/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The neutralization options the commands that neutralize share (neutralize,
 * flash; enable-me takes --platform, --expert-disable-bit and
 * --allow-signed-descriptor of them): one spelling, one parser, one set of
 * checks of how they combine.
 */
#ifndef AMTLESS_CLI_NEU_OPTS_H
#define AMTLESS_CLI_NEU_OPTS_H

#include <getopt.h>
#include <stdbool.h>

#include <amtless/neutralize.h>

/* getopt codes (above the commands' own, which start at 256) */
enum {
	NEU_O_NODIS = 0x400, NEU_O_DISONLY, NEU_O_KEEPMOD, NEU_O_KEEPP, NEU_O_REMP, NEU_O_RELOC,
	NEU_O_MASTER, NEU_O_PLAT, NEU_O_EXPERT, NEU_O_ALLOWFDV, NEU_O_REDUCE,
};

/* The long options, for a command's struct option table. */
#define NEU_LONG_OPTIONS                                                          \
	{ "no-disable-bit", no_argument, NULL, NEU_O_NODIS },                     \
	{ "disable-bit-only", no_argument, NULL, NEU_O_DISONLY },                 \
	{ "keep-modules", no_argument, NULL, NEU_O_KEEPMOD },                     \
	{ "keep-partitions", required_argument, NULL, NEU_O_KEEPP },              \
	{ "remove-partitions", required_argument, NULL, NEU_O_REMP },             \
	{ "relocate", no_argument, NULL, NEU_O_RELOC },                           \
	{ "restrict-me-access", no_argument, NULL, NEU_O_MASTER },                \
	{ "platform", required_argument, NULL, NEU_O_PLAT },                      \
	{ "expert-disable-bit", required_argument, NULL, NEU_O_EXPERT },          \
	{ "allow-signed-descriptor", no_argument, NULL, NEU_O_ALLOWFDV },         \
	{ "reduce-cse", no_argument, NULL, NEU_O_REDUCE }

/* What the options say beside struct amt_neutralize_opts. */
struct neu_flags {
	bool no_disable_bit;    /* --no-disable-bit */
	bool any;               /* one of the options was given */
};

/* Take option c (its argument arg) into o: NEU_OPT_NOT_MINE when c is not
 * one of them, 0 when taken, else the exit code of the usage error printed
 * (name: the command, as usage errors name it). */
#define NEU_OPT_NOT_MINE (-1)
int neu_opt(const char *name, int c, const char *arg, struct amt_neutralize_opts *o,
	    struct neu_flags *f);

/* After the options: refuse combinations that exclude each other (0, or
 * the exit code of the usage error printed) and set o->set_disable_bit. */
int neu_opts_finish(const char *name, struct amt_neutralize_opts *o, const struct neu_flags *f);

#endif
