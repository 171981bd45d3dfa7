/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * amtless diff A B: what differs between two flash descriptors, flash
 * images or ME regions, strap by strap, register by register, region by
 * region and, in the ME firmware, partition by partition and module by
 * module. Both inputs are read through the image model only.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amtless/diff.h>
#include <amtless/image.h>

#include "cli.h"
#include "diff_out.h"
#include "out.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s diff [OPTIONS] A B\n"
		"\n"
		"Compare two flash descriptors (descriptor.bin), full flash images or ME\n"
		"regions: every strap that differs (PCH and CPU straps: the bits, old -> new),\n"
		"the descriptor's registers (FLMAP, FLREG base/limit, FLMSTR read/write), the\n"
		"other descriptor bytes, every region (how many bytes differ, the first and the\n"
		"last), and in the ME firmware the partitions and modules that differ. When\n"
		"exactly one strap bit differs - a stock descriptor against one saved with a\n"
		"vendor tool's \"disable ME\" option - it says which strap and bit, and whether\n"
		"the platform table already knows it as that platform's disable bit. Nothing\n"
		"is written.\n"
		"\n"
		"Options:\n"
		"  --json           print one JSON document (schema \"amtless-diff\", version 1;\n"
		"                   see doc/diff.schema.json)\n"
		"  --platform KEY   the platform of both, when the descriptors cannot tell it\n"
		"  -q, --quiet      print nothing; the exit status says it\n"
		"  -h, --help       this help\n"
		"\n"
		"Exit codes:\n"
		"  0  A and B are identical, byte for byte\n"
		"  1  A and B differ\n"
		"  2  usage error (also: an unknown --platform KEY)\n"
		"  3  A or B cannot be read\n"
		"  4  A or B is not recognised, or its top-level structure is malformed\n"
		"  5  A or B is an ME update file, not a flash region\n"
		" 70  internal error (out of memory)\n",
		cli_progname);
}

struct input {
	const char *path;
	uint8_t *data;
	size_t size;
	struct amt_image *img;
};

static int load(struct input *in, const struct amt_parse_opts *po)
{
	amt_error err;
	amt_error_clear(&err);
	amt_status st = cli_read_file(in->path, &in->data, &in->size, &err);
	if (st != AMT_OK) {
		cli_print_error(NULL, &err);
		return cli_exit_for(st);
	}
	st = amt_image_parse(in->data, in->size, po, &in->img, &err);
	if (st != AMT_OK) {
		cli_print_error(in->path, &err);
		return cli_exit_for(st);
	}
	return EXIT_OK;
}

int cmd_diff(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_PLATFORM };
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "platform", required_argument, NULL, OPT_PLATFORM },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false, quiet = false;
	struct amt_parse_opts po;
	amt_parse_opts_init(&po);
	/* bytes are compared, not signatures: no RSA work */
	po.verify_signatures = false;

	struct cli_getopt g = { .cmd = "diff" };
	int c;
	while ((c = cli_getopt(&g, argc, argv, "qh", longopts)) != -1) {
		switch (c) {
		case OPT_JSON:
			json = true;
			break;
		case OPT_PLATFORM:
			po.platform_override = amt_platform_from_key(optarg);
			if (po.platform_override == AMT_PLAT_UNKNOWN) {
				return cli_usage_error("diff", "unknown platform '%s' (see 'amtless inspect "
						       "--help' for the keys)", optarg);
			}
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("diff", "two files are needed, A and B");
	if (json && quiet)
		return cli_usage_error("diff", "--json and --quiet exclude each other");
	struct input in[2] = { { .path = argv[optind] }, { .path = argv[optind + 1] } };
	int rc = load(&in[0], &po);
	if (rc == EXIT_OK)
		rc = load(&in[1], &po);
	struct amt_diff *d = NULL;
	if (rc == EXIT_OK) {
		amt_error err;
		amt_status st = amt_diff(in[0].img, in[1].img, &d, &err);
		if (st != AMT_OK) {
			cli_print_error(NULL, &err);
			rc = cli_exit_for(st);
		}
	}
	if (rc == EXIT_OK) {
		rc = d->identical ? EXIT_OK : EXIT_DIFFERENT;
		if (json) {
			json_t *doc = out_json_diff(in[0].path, in[1].path, d);
			if (!doc || json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII |
							   JSON_PRESERVE_ORDER) < 0) {
				fprintf(stderr, "%s: diff: cannot build the JSON document (out of memory)\n",
					cli_progname);
				rc = EXIT_INTERNAL;
			} else {
				fputc('\n', stdout);
			}
			json_decref(doc);
		} else if (!quiet) {
			out_text_diff(stdout, in[0].path, in[1].path, d);
		}
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, "%s: diff: cannot write the output\n", cli_progname);
			rc = EXIT_OUTPUT;
		}
	}
	amt_diff_free(d);
	for (int i = 0; i < 2; i++) {
		amt_image_free(in[i].img);
		free(in[i].data);
	}
	return rc;
}
