/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * amtless verify IMAGE: is it safe to flash, and is the ME neutralized?
 * The library answers (amt_verify); this command renders the answer and
 * maps the verdict to an exit status.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amtless/verify.h>

#include "answer.h"
#include "cli.h"
#include "out.h"
#include "report.h"
#include "result_json.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: amtless verify [-q | --brief | --json] [--platform KEY] IMAGE\n\n"
		   "Is IMAGE safe to flash, and is its ME neutralized? Checks every manifest\n"
		   "signature, every checksum/CRC, the hash of every module that still holds\n"
		   "code, the structure and the descriptor regions, then reads the disable bit\n"
		   "from the image's own descriptor and what remains of the firmware.\n"
		   "A module whose hash cannot be checked is reported as unverified, never as\n"
		   "sound. A bare ME region truncated after its kept data (me_cleaner -t,\n"
		   "amtless --truncate) is checked as if padded back with 0xff; a full image\n"
		   "whose ME region was shrunk after its kept data as the region was before.\n\n"
		   "The output opens with a summary (firmware, AMT, the disable bit, what\n"
		   "remains of the code, safe to flash or not); the details follow.\n\n"
		   "  -q, --quiet        print only the problems and the verdict\n"
		   "      --brief        print the summary only\n"
		   "      --json         print one JSON document (schema \"amtless-verify\",\n"
		   "                     version 1; see doc/verify.schema.json)\n"
		   "      --platform KEY name the platform when the descriptor cannot tell\n"
		   "  -h, --help         this help\n\n"
		   "Exit: 0 sound and neutralized (the disable bit is set, or the firmware is\n"
		   "stripped to its boot modules, or the ME region is wiped or disabled),\n"
		   "8 sound but not neutralized, 1 problems found (do not flash it), 2 usage,\n"
		   "3 unreadable, 4 not recognised, 5 update file, 70 internal error.\n");
}

int cmd_verify(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "platform", required_argument, NULL, 'P' },
		{ "brief", no_argument, NULL, 'B' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct amt_verify_opts vo;
	amt_verify_opts_init(&vo);
	bool quiet = false, brief = false, json = false;
	int c;
	struct cli_getopt g = { .cmd = "verify" };
	while ((c = cli_getopt(&g, argc, argv, "qh", lo)) != -1) {
		switch (c) {
		case 'q': quiet = true; break;
		case 'B': brief = true; break;
		case 'J': json = true; break;
		case 'P':
			vo.platform = amt_platform_from_key(optarg);
			if (vo.platform == AMT_PLAT_UNKNOWN) {
				return cli_usage_error("verify", "unknown platform '%s' (see 'amtless "
						       "inspect --help' for the keys)", optarg);
			}
			break;
		case 'h': usage(stdout); return EXIT_OK;
		default: return EXIT_USAGE;
		}
	}
	if (quiet + brief + json > 1)
		return cli_usage_error("verify", "--quiet, --brief and --json exclude each other");
	if (optind + 1 != argc)
		return cli_usage_error("verify", "%s", optind == argc ? "no IMAGE given" :
				       "only one IMAGE at a time");
	const char *in = argv[optind];
	amt_error err;
	uint8_t *data = NULL;
	size_t size = 0;
	amt_status st = cli_read_file(in, &data, &size, &err);
	if (st != AMT_OK) {
		cli_print_error(NULL, &err);
		return cli_exit_for(st);
	}
	struct amt_report *r = NULL;
	st = amt_verify(data, size, &vo, &r, &err);
	free(data);
	if (st != AMT_OK) {
		cli_print_error(in, &err);
		return cli_exit_for(st);
	}
	int rc = r->verdict == AMT_VERDICT_NEUTRALIZED ? EXIT_OK :
		 r->verdict == AMT_VERDICT_NOT_NEUTRALIZED ? EXIT_NOT_NEUTRALIZED : EXIT_FINDINGS;
	if (json) {
		json_t *doc = out_json_verify(in, r);
		if (!doc || json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII |
						   JSON_PRESERVE_ORDER) < 0) {
			fprintf(stderr, "%s: verify: cannot build the JSON document (out of memory)\n",
				cli_progname);
			rc = EXIT_INTERNAL;
		} else {
			fputc('\n', stdout);
		}
		json_decref(doc);
		amt_report_free(r);
		return rc;
	}
	if (brief || !quiet) {
		struct answer a;
		answer_from_report(&a, r);
		answer_print(stdout, &a);
	}
	if (brief) {
		amt_report_free(r);
		return rc;
	}
	if (!quiet) {
		printf("\n%s: %s", in, amt_input_kind_str(r->kind));
		if (r->has_fw && r->version_known)
			printf(", %s %u.%u.%u.%u", amt_family_str(r->family), r->version.major,
			       r->version.minor, r->version.hotfix, r->version.build);
		printf("\n");
	}
	render_report(stdout, r, quiet);
	printf("%s: %s\n", in, render_verdict_line(r));
	amt_report_free(r);
	return rc;
}
