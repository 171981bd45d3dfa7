/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amtless: subcommand dispatch. */
#include <stdio.h>
#include <string.h>

#include <amtless/version.h>

#include "cli.h"

const char *cli_progname = "amtless";

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;
} commands[] = {
	{ "inspect", cmd_inspect, "show what a flash image or ME region contains" },
	{ "diff", cmd_diff, "compare two descriptors or images: straps, regions, modules" },
	{ "neutralize", cmd_neutralize, "set the ME disable bit and strip the ME firmware" },
	{ "enable-me", cmd_enable_me, "clear the ME disable bit again (full image or descriptor)" },
	{ "flash", cmd_flash, "neutralize this machine's flash chip: backup, write, read back" },
	{ "verify", cmd_verify, "check signatures, checksums and the neutralization of an image" },
	{ "extract", cmd_extract, "write regions, partitions or modules to files" },
	{ "audit", cmd_audit, "is this machine exposed to Intel AMT? (live system)" },
	{ "me_cleaner", cmd_me_cleaner, "me_cleaner 1.2 compatible front end" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: amtless COMMAND [OPTIONS] ...\n\n"
		   "Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'amtless COMMAND --help' describes a command; 'amtless --version'\n"
		   "prints the version. Invoked as me_cleaner or me_cleaner.py, the program\n"
		   "is the me_cleaner front end.\n\n"
		   "Exit codes:\n"
		   "  0  success (verify: the image is sound)\n"
		   "  1  verify found problems / a result failed verification;\n"
		   "     diff: the inputs differ\n"
		   "  2  usage error\n"
		   "  3  input cannot be read\n"
		   "  4  input not recognised or malformed\n"
		   "  5  input is an ME update file, not a flash region\n"
		   "  6  refused for safety (unknown platform, signed descriptor, ...)\n"
		   "  7  output could not be written (neutralize: nothing was written;\n"
		   "     extract: stops at that file)\n"
		   "  8  verify: sound, but the ME is not neutralized\n"
		   "  9  inspect with several files: some could not be inspected\n"
		   "  10-14 audit verdicts (see 'amtless audit --help')\n"
		   " 16  flash: the programmer or the chip cannot be used (nothing written)\n"
		   " 17  flash: a write failed or the chip does not read back as meant\n"
		   "     (recover with 'amtless flash --restore BACKUP')\n"
		   " 70  internal error\n");
}

int main(int argc, char **argv)
{
	const char *base = argv[0] ? strrchr(argv[0], '/') : NULL;
	base = base ? base + 1 : (argv[0] ? argv[0] : "amtless");

	/* Invoked as me_cleaner / me_cleaner.py: behave as the drop-in. */
	if (!strcmp(base, "me_cleaner") || !strcmp(base, "me_cleaner.py")) {
		cli_progname = base;
		return cmd_me_cleaner(argc, argv);
	}
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (argv[1][0] == '-' && strcmp(argv[1], "-h") && strcmp(argv[1], "--help") &&
	    strcmp(argv[1], "--version") && strcmp(argv[1], "-V")) {
		fprintf(stderr, "amtless: '%s': the COMMAND comes first (amtless COMMAND [OPTIONS] "
			"...)\nTry 'amtless --help'.\n", argv[1]);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		/* the library it runs with, when not the one it was built with */
		if (strcmp(amt_lib_version(), AMT_VERSION_STRING))
			printf("amtless %s (libamtless %s)\n", AMT_VERSION_STRING,
			       amt_lib_version());
		else
			printf("amtless %s\n", AMT_VERSION_STRING);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "amtless: unknown command '%s'\nTry 'amtless --help'.\n", argv[1]);
	return EXIT_USAGE;
}
