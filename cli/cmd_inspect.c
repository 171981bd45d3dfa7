/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amtless inspect: show what a flash image, ME region or IFWI image holds. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amtless/image.h>

#include <amtless/neutralize.h>
#include <amtless/verify.h>

#include "answer.h"
#include "cli.h"
#include "inspect_many.h"
#include "neu_io.h"
#include "out.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s inspect [OPTIONS] IMAGE\n"
		"       %s inspect [OPTIONS] IMAGE... | --recursive DIR...\n"
		"\n"
		"Show what IMAGE contains: the region map, the ME firmware (kind,\n"
		"generation, version, signing key, SKU, whether AMT is present and why),\n"
		"the platform and its ME disable bit, manifests and their signatures,\n"
		"every checksum, partitions and modules, what the default neutralization\n"
		"would keep and what that code can touch (its role and what its .met\n"
		"declares: devices, MMIO ranges, files; network, AMT and HECI flags),\n"
		"and the problems found. IMAGE may be a full SPI flash dump,\n"
		"a bare ME/TXE/CSME region or an IFWI image. Nothing is written.\n"
		"The output opens with a summary that answers first: firmware family,\n"
		"version and SKU; AMT present or not; the disable bit (which, where, set or\n"
		"not); stripped or not; the code that remains and what neutralize keeps;\n"
		"safe to flash or the problems (the checks of amtless verify).\n"
		"\n"
		"Several IMAGEs (or a directory with --recursive): one line per file, in\n"
		"the order given (files under a directory in byte order of their names):\n"
		"  FILE: KIND, FAMILY VERSION SKU, AMT present|absent, disable bit (KIND)\n"
		"  set|clear, stripped|not stripped\n"
		"or, with --json, one JSON document per line (JSON Lines): the document\n"
		"of one IMAGE, compact. A file that cannot be inspected gets a line that\n"
		"says why (\"FILE: error: STRUCTURE at 0xOFFSET: ...\"; in JSON an\n"
		"\"amtless-inspect-error\" document, doc/inspect-error.schema.json) and\n"
		"the run goes on. The files are inspected in parallel.\n"
		"\n"
		"Options:\n"
		"  --json           print one JSON document (schema \"amtless-inspect\",\n"
		"                   version 1; see doc/inspect.schema.json)\n"
		"  --no-color       no colour (also: NO_COLOR set, or not a terminal)\n"
		"  --platform KEY   the platform, when the descriptor cannot tell it\n"
		"                   (e.g. spt, cnp-h, adp-p; see amtless(1))\n"
		"  --no-verify      do not verify RSA signatures (faster)\n"
		"  -r, --recursive  inspect the files under each directory given (symbolic\n"
		"                   links to directories are not followed)\n"
		"  -j, --jobs N     inspect N files at a time (default: one per CPU)\n"
		"  --one-line       one IMAGE in the one-line form of several\n"
		"  --brief          print the summary only\n"
		"  -h, --help       this help\n"
		"\n"
		"Exit codes:\n"
		"  0  the image was read and described (problems are listed, not fatal)\n"
		"  2  usage error (also: an unknown --platform KEY)\n"
		"  3  IMAGE cannot be read (missing, a directory, empty, I/O error)\n"
		"  4  IMAGE is not recognised, or its top-level structure is malformed\n"
		"  5  IMAGE is an ME update file, not a flash region\n"
		"  9  several IMAGEs: some could not be inspected (each line says why;\n"
		"     the others were described)\n"
		" 70  internal error (out of memory)\n",
		cli_progname, cli_progname);
}

int cmd_inspect(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_NOCOLOR, OPT_PLATFORM, OPT_NOVERIFY, OPT_ONELINE, OPT_BRIEF };
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "no-color", no_argument, NULL, OPT_NOCOLOR },
		{ "no-colour", no_argument, NULL, OPT_NOCOLOR },
		{ "platform", required_argument, NULL, OPT_PLATFORM },
		{ "no-verify", no_argument, NULL, OPT_NOVERIFY },
		{ "recursive", no_argument, NULL, 'r' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "one-line", no_argument, NULL, OPT_ONELINE },
		{ "brief", no_argument, NULL, OPT_BRIEF },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false, color = true, one_line = false, brief = false;
	struct inspect_many_opts many = { 0 };
	struct amt_parse_opts popts;
	struct out_opts oopts = { 0 };
	amt_parse_opts_init(&popts);

	struct cli_getopt g = { .cmd = "inspect" };
	int c;
	while ((c = cli_getopt(&g, argc, argv, "rj:h", longopts)) != -1) {
		switch (c) {
		case OPT_JSON:
			json = true;
			break;
		case OPT_NOCOLOR:
			color = false;
			break;
		case OPT_PLATFORM: {
			amt_platform_id id = amt_platform_from_key(optarg);
			if (id == AMT_PLAT_UNKNOWN) {
				char known[1024] = "";
				for (int p = 1; p < AMT_PLAT__COUNT; p++) {
					const char *k = amt_platform_key((amt_platform_id)p);
					if (k)
						snprintf(known + strlen(known), sizeof(known) - strlen(known),
							 " %s", k);
				}
				return cli_usage_error("inspect", "unknown platform '%s'; known:%s",
						       optarg, known);
			}
			popts.platform_override = id;
			oopts.platform = optarg;
			break;
		}
		case OPT_NOVERIFY:
			popts.verify_signatures = false;
			break;
		case 'r':
			many.recursive = true;
			break;
		case 'j': {
			char *end;
			unsigned long j = strtoul(optarg, &end, 10);
			if (!*optarg || *end || j < 1 || j > 256)
				return cli_usage_error("inspect", "--jobs takes a number from 1 to 256, "
						       "not '%s'", optarg);
			many.jobs = (unsigned)j;
			break;
		}
		case OPT_ONELINE:
			one_line = true;
			break;
		case OPT_BRIEF:
			brief = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind < 1)
		return cli_usage_error("inspect", "no IMAGE given");
	if (brief && json)
		return cli_usage_error("inspect", "--brief is a text summary: it excludes --json");
	if (brief && (one_line || many.recursive || argc - optind > 1))
		return cli_usage_error("inspect", "--brief is for one IMAGE (several get one line each)");
	if (one_line || many.recursive || argc - optind > 1) {
		/* several files: one line each (inspect_many.c) */
		many.json = json;
		many.popts = popts;
		many.platform = oopts.platform;
		return inspect_many(argc - optind, argv + optind, &many);
	}
	const char *path = argv[optind];

	uint8_t *data = NULL;
	size_t size = 0;
	amt_error err;
	amt_error_clear(&err);
	amt_status st = cli_read_file(path, &data, &size, &err);
	if (st != AMT_OK) {
		/* cli_read_file's messages already name the file */
		cli_print_error(NULL, &err);
		return cli_exit_for(st);
	}
	struct amt_image *img = NULL;
	st = amt_image_parse(data, size, &popts, &img, &err);
	if (st != AMT_OK) {
		cli_print_error(path, &err);
		free(data);
		return cli_exit_for(st);
	}

	oopts.verify = popts.verify_signatures;
	/* the smallest ME region as neutralize gives it: the planner's number,
	 * asked of the library explicitly (the model does not plan) */
	if (img->has_fw && !brief)
		oopts.min_region_known = neu_min_region(data, size, &popts, img->has_ifd,
							&oopts.min_region_size);
	oopts.color = !json && color && cli_use_color(stdout);
	int rc = EXIT_OK;
	if (json) {
		json_t *doc = out_json_image(path, img, &oopts);
		if (!doc || json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII |
						   JSON_PRESERVE_ORDER) < 0) {
			fprintf(stderr, "%s: inspect: cannot build the JSON document (out of memory)\n",
				cli_progname);
			rc = EXIT_INTERNAL;
		} else {
			fputc('\n', stdout);
		}
		json_decref(doc);
	} else {
		/* the answer first: the checks of amtless verify, on the same bytes */
		struct amt_verify_opts vo;
		struct amt_report *r = NULL;
		amt_error verr;
		amt_verify_opts_init(&vo);
		vo.platform = popts.platform_override;
		vo.hap_override = popts.hap_override;
		struct answer a;
		bool have = true;
		if (!popts.verify_signatures)
			answer_from_image(&a, img);
		else if (amt_verify(data, size, &vo, &r, &verr) == AMT_OK)
			answer_from_inspect(&a, img, r);
		else
			have = false;
		if (have) {
			answer_print(stdout, &a);
			if (!brief)
				fputc('\n', stdout);
		}
		amt_report_free(r);
		if (!brief)
			out_text_image(stdout, path, img, &oopts);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: inspect: cannot write the output\n", cli_progname);
		rc = rc ? rc : EXIT_OUTPUT;
	}
	amt_image_free(img);
	free(data);
	return rc;
}
