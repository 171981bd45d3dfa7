/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amtless audit: is this machine exposed to Intel AMT? (live system) */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <amtless/audit.h>
#include <amtless/image.h>

#include "audit_out.h"
#include "cli.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s audit [OPTIONS]\n"
		"\n"
		"Is this machine exposed to Intel AMT? Checks the three pieces AMT needs\n"
		"(a vPro-capable Intel CPU, an AMT-capable Intel network controller, corporate\n"
		"ME firmware) and the state of the ME, from /proc/cpuinfo, /sys/bus/pci,\n"
		"/sys/class/mei, /sys/bus/mei and /sys/class/watchdog. No root needed.\n"
		"A file that is missing means 'not visible here' (old kernel, no driver,\n"
		"no privilege), never a hardware fact. The text output opens with a short\n"
		"summary (verdict, the three pieces, the ME state; when the ME reports\n"
		"itself stopped by HAP/AltMeDisable, that the disable bit is in effect),\n"
		"then the fwupd-style checks, the Intel advisories matching the firmware\n"
		"version, the reasons and every piece of evidence.\n"
		"\n"
		"Options:\n"
		"  --format FORMAT    text (default), json (one document, schema\n"
		"                     \"amtless-audit\" version %d, doc/audit.schema.json) or\n"
		"                     prometheus (text exposition format for node_exporter's\n"
		"                     textfile collector: amtless_* gauges)\n"
		"  --json             the same as --format json\n"
		"  --brief            text: print the summary only\n"
		"  --output FILE      write the output to FILE atomically (a temporary file in\n"
		"                     the same directory, renamed over FILE when complete)\n"
		"                     instead of standard output\n"
		"  --exit-zero        exit 0 whenever the audit ran, whatever the verdict (for\n"
		"                     Ansible facts.d, systemd, cron); the verdict stays in the\n"
		"                     output\n"
		"  --root DIR         read the tree under DIR instead of / (tests, chroots)\n"
		"  --probe            also ask the ME over /dev/mei0 (needs root): MKHI firmware\n"
		"                     version and capabilities, AMTHI code versions and\n"
		"                     provisioning state\n"
		"  --mei-device PATH  the MEI character device for --probe (default: /dev/ and\n"
		"                     the generic MEI device found, else /dev/mei0; required\n"
		"                     with --probe when --root is not /)\n"
		"  --image FILE       a flash dump of THIS machine: add its firmware SKU, AMT\n"
		"                     presence and disable bit to the evidence\n"
		"  -h, --help         this help\n"
		"\n"
		"Verdicts and exit codes (without --exit-zero):\n"
		" 10  not_exposed: a required piece is missing (not Intel, no AMT-capable\n"
		"     Intel NIC, consumer/lite/server firmware) or the ME is disabled by\n"
		"     HAP/AltMeDisable\n"
		" 11  exposed: AMT answers and is provisioned (or being provisioned)\n"
		" 12  capable: all three pieces present and the ME runs: AMT can be enabled\n"
		"     or provisioned (root on the machine can do it when the AMTHI client is\n"
		"     there and AMT is unprovisioned)\n"
		" 13  capable_currently_disabled: all pieces present, the ME or AMT is\n"
		"     disabled now in a reversible way (soft disable, AMT off in MEBx)\n"
		" 14  indeterminate: not enough evidence visible here (e.g. in a virtual\n"
		"     machine, HECI hidden by firmware, ME in recovery, old kernel)\n"
		"  0  with --exit-zero: the audit ran (any verdict)\n"
		"  2  usage error\n"
		"  3  --root or --image cannot be read\n"
		"  4  --image is not recognised or is malformed\n"
		"  7  --output cannot be written (nothing was)\n"
		" 70  internal error (out of memory)\n",
		cli_progname, AMT_AUDIT_SCHEMA_VERSION);
}

enum audit_format { FMT_TEXT, FMT_JSON, FMT_PROMETHEUS };

/* Render into memory, so that --output gets the whole document or nothing. */
static int render(const struct amt_audit *a, const struct audit_run *run, enum audit_format fmt,
		  bool brief, char **buf, size_t *len)
{
	FILE *m = open_memstream(buf, len);
	int rc = 0;

	if (!m)
		return -1;
	switch (fmt) {
	case FMT_TEXT:
		audit_print_text(a, run, brief, m);
		break;
	case FMT_JSON: {
		json_t *doc = audit_build_json(a, run);
		if (!doc || json_dumpf(doc, m, JSON_INDENT(2) | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER) < 0)
			rc = -1;
		fputc('\n', m);
		json_decref(doc);
		break;
	}
	case FMT_PROMETHEUS:
		rc = audit_print_prometheus(a, run, m);
		break;
	}
	if (ferror(m))
		rc = -1;
	if (fclose(m) != 0)
		rc = -1;
	return rc;
}

int cmd_audit(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_ROOT, OPT_PROBE, OPT_IMAGE, OPT_MEIDEV, OPT_FORMAT, OPT_BRIEF,
	       OPT_OUTPUT, OPT_EXIT_ZERO };
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "brief", no_argument, NULL, OPT_BRIEF },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "exit-zero", no_argument, NULL, OPT_EXIT_ZERO },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "probe", no_argument, NULL, OPT_PROBE },
		{ "mei-device", required_argument, NULL, OPT_MEIDEV },
		{ "image", required_argument, NULL, OPT_IMAGE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false, probe = false, brief = false, exit_zero = false;
	const char *root = "/", *image = NULL, *meidev = NULL, *format = NULL, *output = NULL;
	enum audit_format fmt = FMT_TEXT;

	struct cli_getopt g = { .cmd = "audit" };
	int c;
	while ((c = cli_getopt(&g, argc, argv, "h", longopts)) != -1) {
		switch (c) {
		case OPT_JSON: json = true; break;
		case OPT_FORMAT: format = optarg; break;
		case OPT_BRIEF: brief = true; break;
		case OPT_OUTPUT: output = optarg; break;
		case OPT_EXIT_ZERO: exit_zero = true; break;
		case OPT_ROOT: root = optarg; break;
		case OPT_PROBE: probe = true; break;
		case OPT_MEIDEV: meidev = optarg; break;
		case OPT_IMAGE: image = optarg; break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error("audit", "unexpected argument '%s' (audit reads the running "
				       "machine; --image FILE names a flash dump)", argv[optind]);
	if (!root[0])
		return cli_usage_error("audit", "--root needs a directory");
	if (format) {
		if (!strcmp(format, "text"))
			fmt = FMT_TEXT;
		else if (!strcmp(format, "json"))
			fmt = FMT_JSON;
		else if (!strcmp(format, "prometheus"))
			fmt = FMT_PROMETHEUS;
		else
			return cli_usage_error("audit", "unknown format '%s' (text, json or prometheus)",
					       format);
		if (json && fmt != FMT_JSON)
			return cli_usage_error("audit", "--json contradicts --format %s", format);
	} else if (json) {
		fmt = FMT_JSON;
	}
	if (brief && fmt != FMT_TEXT)
		return cli_usage_error("audit", "--brief applies to the text format only");
	if (output && !output[0])
		return cli_usage_error("audit", "--output needs a file name");
	if (probe && !meidev && strcmp(root, "/"))
		return cli_usage_error("audit", "--probe talks to the live ME; with --root name the "
				       "device with --mei-device");
	if (meidev && !probe)
		return cli_usage_error("audit", "--mei-device needs --probe");

	amt_error err;
	amt_error_clear(&err);
	struct amt_audit *a = NULL;
	amt_status st = amt_audit_collect(root, &a, &err);
	if (st != AMT_OK) {
		cli_print_error(NULL, &err);
		return st == AMT_E_NOMEM ? EXIT_INTERNAL : EXIT_INPUT;
	}
	if (image) {
		uint8_t *data = NULL;
		size_t size = 0;
		struct amt_image *img = NULL;
		struct amt_parse_opts popts;
		st = cli_read_file(image, &data, &size, &err);
		if (st != AMT_OK) {
			cli_print_error(NULL, &err);
			amt_audit_free(a);
			return cli_exit_for(st);
		}
		amt_parse_opts_init(&popts);
		popts.verify_signatures = false; /* presence facts only */
		st = amt_image_parse(data, size, &popts, &img, &err);
		if (st != AMT_OK) {
			cli_print_error(image, &err);
			free(data);
			amt_audit_free(a);
			return cli_exit_for(st);
		}
		amt_audit_add_image(a, img, image);
		amt_image_free(img);
		free(data);
	}
	if (probe) {
		/* default: the character device of the generic MEI device chosen
		 * (mei1 when mei0 is an iTouch instance), else /dev/mei0 */
		char devpath[64];
		snprintf(devpath, sizeof(devpath), "/dev/%s", a->me.mei_dev[0] ? a->me.mei_dev : "mei0");
		struct amt_mei_transport *t = amt_mei_dev_transport_new(meidev ? meidev : devpath, 2000);
		if (!t) {
			amt_audit_free(a);
			return EXIT_INTERNAL;
		}
		amt_audit_probe(a, t);
		amt_mei_dev_transport_free(t);
	}

	struct audit_run run = { .when = time(NULL) };
	int rc = audit_exit_for_verdict(a->verdict);
	if (exit_zero)
		rc = EXIT_OK;
	run.exit_status = rc;

	char *buf = NULL;
	size_t len = 0;
	if (render(a, &run, fmt, brief, &buf, &len) < 0) {
		fprintf(stderr, "%s: audit: cannot build the output (out of memory)\n", cli_progname);
		free(buf);
		amt_audit_free(a);
		return EXIT_INTERNAL;
	}
	if (output) {
		amt_error_clear(&err);
		if (cli_write_atomic(output, (const uint8_t *)buf, len, &err) != AMT_OK) {
			cli_print_error(NULL, &err);
			rc = EXIT_OUTPUT;
		}
	} else if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0) {
		rc = EXIT_INTERNAL;
	}
	free(buf);
	amt_audit_free(a);
	return rc;
}
