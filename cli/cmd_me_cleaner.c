/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * amtless me_cleaner: a drop-in for scripts that call me_cleaner 1.2
 * (corna/me_cleaner 43612a6). Same options, same rules between them, same
 * exit classes (0 done, 1 error, 2 bad command line), same output bytes
 * where me_cleaner works. Unlike me_cleaner, the result is verified in
 * memory before anything is written, and files are replaced atomically.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <amtless/image.h>
#include <amtless/neutralize.h>

#include "cli.h"
#include "neu_io.h"
#include "report.h"

enum { MC_OK = 0, MC_ERR = 1, MC_USAGE = 2 };

static const char *mc_prog(void)
{
	return cli_progname && strcmp(cli_progname, "amtless") ? cli_progname : "me_cleaner";
}

static void mc_usage(FILE *f)
{
	fprintf(f, "usage: %s [-h] [-v] [-O output_file] [-S | -s] [-r] [-t] [-k]\n"
		   "       [-w whitelist | -b blacklist] [-d] [-D output_descriptor]\n"
		   "       [-M output_me_image] [-c]\n"
		   "       file\n", mc_prog());
}

static void mc_help(void)
{
	mc_usage(stdout);
	printf("\nTool to remove as much code as possible from Intel ME/TXE firmware images\n"
	       "(amtless: a me_cleaner 1.2 compatible front end; every result is verified\n"
	       "before it is written, and files are replaced atomically)\n\n"
	       "positional arguments:\n"
	       "  file                  ME/TXE image or full dump\n\n"
	       "optional arguments:\n"
	       "  -h, --help            show this help message and exit\n"
	       "  -v, --version         show program's version number and exit\n"
	       "  -O output_file, --output output_file\n"
	       "                        save the modified image in a separate file, instead\n"
	       "                        of modifying the original file\n"
	       "  -S, --soft-disable    in addition to the usual operations on the ME/TXE\n"
	       "                        firmware, set the MeAltDisable bit or the HAP bit\n"
	       "                        (requires a full dump)\n"
	       "  -s, --soft-disable-only\n"
	       "                        instead of the usual operations on the ME/TXE\n"
	       "                        firmware, just set the MeAltDisable bit or the HAP bit\n"
	       "                        (requires a full dump)\n"
	       "  -r, --relocate        relocate the FTPR partition to the top of the ME\n"
	       "                        region to save even more space\n"
	       "  -t, --truncate        truncate the empty part of the firmware (requires a\n"
	       "                        separated ME/TXE image or --extract-me)\n"
	       "  -k, --keep-modules    don't remove the FTPR modules, even when possible\n"
	       "  -w whitelist, --whitelist whitelist\n"
	       "                        Comma separated list of additional partitions to keep\n"
	       "  -b blacklist, --blacklist blacklist\n"
	       "                        Comma separated list of partitions to remove\n"
	       "  -d, --descriptor      remove the ME/TXE Read/Write permissions to the other\n"
	       "                        regions on the flash from the Intel Flash Descriptor\n"
	       "                        (requires a full dump)\n"
	       "  -D output_descriptor, --extract-descriptor output_descriptor\n"
	       "                        extract the flash descriptor from a full dump; when\n"
	       "                        used with --truncate save a descriptor with adjusted\n"
	       "                        regions start and end\n"
	       "  -M output_me_image, --extract-me output_me_image\n"
	       "                        extract the ME firmware from a full dump; when used\n"
	       "                        with --truncate save a truncated ME/TXE image\n"
	       "  -c, --check           verify the integrity of the fundamental parts of the\n"
	       "                        firmware and exit\n");
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	mc_usage(stderr);
	fprintf(stderr, "%s: error: ", mc_prog());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return MC_USAGE;
}

struct mc_args {
	struct amt_neutralize_opts o;
	const char *file, *output, *desc, *me, *white, *black;
	bool S, s;
};

static const struct {
	const char *lng;
	char shrt;
	bool value;
} mc_opts[] = {
	{ "help", 'h', false },          { "version", 'v', false },
	{ "output", 'O', true },         { "soft-disable", 'S', false },
	{ "soft-disable-only", 's', false }, { "relocate", 'r', false },
	{ "truncate", 't', false },      { "keep-modules", 'k', false },
	{ "whitelist", 'w', true },      { "blacklist", 'b', true },
	{ "descriptor", 'd', false },    { "extract-descriptor", 'D', true },
	{ "extract-me", 'M', true },     { "check", 'c', false },
};

static int set_opt(struct mc_args *a, char c, const char *val)
{
	switch (c) {
	case 'h':
		mc_help();
		exit(MC_OK);
	case 'v':
		printf("%s 1.2\n", mc_prog());
		exit(MC_OK);
	case 'O': a->output = val; break;
	case 'S':
		if (a->s)
			return usage_error("argument -S/--soft-disable: not allowed with argument %s%s",
					   "-s/--soft-disable-only", "");
		a->S = true;
		break;
	case 's':
		if (a->S)
			return usage_error("argument -s/--soft-disable-only: not allowed with argument %s%s",
					   "-S/--soft-disable", "");
		a->s = true;
		break;
	case 'r': a->o.relocate = true; break;
	case 't': a->o.truncate = true; break;
	case 'k': a->o.keep_modules = true; break;
	case 'w':
		if (a->black)
			return usage_error("argument -w/--whitelist: not allowed with argument %s%s",
					   "-b/--blacklist", "");
		a->white = val;
		break;
	case 'b':
		if (a->white)
			return usage_error("argument -b/--blacklist: not allowed with argument %s%s",
					   "-w/--whitelist", "");
		a->black = val;
		break;
	case 'd': a->o.fix_master = true; break;
	case 'D': a->desc = val; break;
	case 'M': a->me = val; break;
	case 'c': a->o.check_only = true; break;
	}
	return MC_OK;
}

static int parse_args(int argc, char **argv, struct mc_args *a)
{
	bool only_pos = false;
	for (int i = 1; i < argc; i++) {
		const char *t = argv[i];
		if (only_pos || t[0] != '-' || !t[1]) {
			if (a->file)
				return usage_error("unrecognized arguments: %s%s", t, "");
			a->file = t;
			continue;
		}
		if (!strcmp(t, "--")) {
			only_pos = true;
			continue;
		}
		if (t[1] == '-') {
			const char *name = t + 2;
			const char *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			int hit = -1, nhit = 0;
			for (size_t k = 0; k < sizeof(mc_opts) / sizeof(mc_opts[0]); k++) {
				if (!strncmp(mc_opts[k].lng, name, len)) {
					if (strlen(mc_opts[k].lng) == len) {
						hit = (int)k;
						nhit = 1;
						break;
					}
					hit = (int)k;
					nhit++;
				}
			}
			if (nhit == 0)
				return usage_error("unrecognized arguments: %s%s", t, "");
			if (nhit > 1)
				return usage_error("ambiguous option: %s could match several options%s", t, "");
			const char *val = NULL;
			if (mc_opts[hit].value) {
				if (eq)
					val = eq + 1;
				else if (i + 1 < argc)
					val = argv[++i];
				else
					return usage_error("argument --%s: expected one argument%s",
							   mc_opts[hit].lng, "");
			} else if (eq) {
				return usage_error("argument --%s: ignored explicit argument%s",
						   mc_opts[hit].lng, "");
			}
			int r = set_opt(a, mc_opts[hit].shrt, val);
			if (r)
				return r;
			continue;
		}
		/* short options, possibly grouped: -Sk, -wMFS */
		for (const char *c = t + 1; *c; c++) {
			int hit = -1;
			for (size_t k = 0; k < sizeof(mc_opts) / sizeof(mc_opts[0]); k++)
				if (mc_opts[k].shrt == *c)
					hit = (int)k;
			if (hit < 0) {
				char bad[3] = { '-', *c, 0 };
				return usage_error("unrecognized arguments: %s%s", bad, "");
			}
			const char *val = NULL;
			if (mc_opts[hit].value) {
				if (c[1])
					val = c + 1;
				else if (i + 1 < argc)
					val = argv[++i];
				else
					return usage_error("argument -%c: expected one argument", *c);
				int r = set_opt(a, *c, val);
				if (r)
					return r;
				break;
			}
			int r = set_opt(a, *c, NULL);
			if (r)
				return r;
		}
	}
	if (!a->file)
		return usage_error("the following arguments are required: file%s%s", "", "");
	return MC_OK;
}

static int fail(const char *msg)
{
	fflush(stdout);
	fprintf(stderr, "%s\n", msg);
	return MC_ERR;
}

int cmd_me_cleaner(int argc, char **argv)
{
	struct mc_args a;
	amt_error err;
	memset(&a, 0, sizeof(a));
	amt_neutralize_opts_init(&a.o);
	a.o.policy = AMT_NEU_ME_CLEANER;

	int r = parse_args(argc, argv, &a);
	if (r)
		return r;
	a.o.set_disable_bit = a.S;
	a.o.disable_bit_only = a.s;
	a.o.want_descriptor = a.desc != NULL;
	a.o.want_me = a.me != NULL;
	if (a.white && amt_neutralize_parse_list(&a.o, false, a.white, &err) != AMT_OK)
		return usage_error("argument -w/--whitelist: %s%s", err.message, "");
	if (a.black && amt_neutralize_parse_list(&a.o, true, a.black, &err) != AMT_OK)
		return usage_error("argument -b/--blacklist: %s%s", err.message, "");

	/* me_cleaner's rules between options (sys.exit: status 1) */
	if (a.o.check_only && (a.s || a.S || a.o.relocate || a.o.fix_master || a.o.truncate || a.output))
		return fail("-c can't be used with -S, -s, -r, -d, -t or -O");
	if (a.s && (a.o.relocate || a.o.truncate))
		return fail("-s can't be used with -r or -t");
	if ((a.white || a.black) && a.o.relocate)
		return fail("Relocation is not yet supported with custom whitelist or blacklist");

	bool in_place = !a.o.check_only && !a.output;
	struct stat sb;
	if (in_place && stat(a.file, &sb) == 0 &&
	    (access(a.file, W_OK) != 0 || !(sb.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)))) {
		fprintf(stderr, "%s: %s: the file is read-only: without -O me_cleaner modifies it in "
				"place; use -O OUTPUT\n", mc_prog(), a.file);
		return MC_ERR;
	}

	struct neu_in fin;
	if (neu_open(a.file, &fin, &err) != AMT_OK) {
		fprintf(stderr, "%s: %s\n", mc_prog(), err.message);
		return MC_ERR;
	}
	struct amt_neutralization *res = NULL;
	amt_status st = amt_neutralize(fin.data, fin.size, &a.o, &res, &err);
	if (res)
		render_mc_log(stdout, &res->plan, a.desc, a.me);
	fflush(stdout);
	if (st == AMT_E_VERIFY) {
		fprintf(stderr, "%s: refusing to write: %s\n", mc_prog(), err.message);
		if (res && res->report)
			for (size_t i = 1; i < res->report->nfindings && i < 8; i++)
				fprintf(stderr, "  also: %s\n", res->report->findings[i].message);
		fprintf(stderr, "Nothing was written.\n");
		amt_neutralization_free(res);
		neu_close(&fin);
		return MC_ERR;
	}
	if (st != AMT_OK) {
		const char *mc = render_mc_error(&err);
		fprintf(stderr, "%s\n", mc ? mc : err.message);
		amt_neutralization_free(res);
		neu_close(&fin);
		return MC_ERR;
	}
	const struct amt_plan *plan = &res->plan;
	if (a.o.check_only) {
		int rc = MC_OK;
		if (plan->generation != 1 && plan->ftpr_manifest != AMT_NO_OFFSET) {
			printf("Checking the FTPR RSA signature... ");
			if (plan->ftpr_sig == AMT_SIG_VALID) {
				printf("VALID\n");
			} else {
				printf("INVALID!!\n");
				fflush(stdout);
				fprintf(stderr, "The FTPR partition signature is not valid (%s). Is the "
						"input ME/TXE image valid?\n", amt_sig_status_str(plan->ftpr_sig));
				rc = MC_ERR;
			}
		}
		amt_neutralization_free(res);
		neu_close(&fin);
		return rc;
	}

	const char *target = a.output ? a.output : a.file;
	if (cli_write_atomic(target, res->out, res->out_size, &err) != AMT_OK)
		goto out_err;
	if (res->descriptor && cli_write_atomic(a.desc, res->descriptor, res->descriptor_size, &err) != AMT_OK)
		goto out_err;
	if (res->me) {
		if (cli_write_atomic(a.me, res->me, res->me_size, &err) != AMT_OK)
			goto out_err;
		if (res->me_sig == AMT_SIG_VALID)
			printf("Checking the FTPR RSA signature of the extracted ME image... VALID\n");
	}
	if (plan->generation != 1 && !plan->wipe && plan->ftpr_manifest != AMT_NO_OFFSET)
		printf("Checking the FTPR RSA signature... VALID\n");
	printf("Done! Good luck!\n");
	amt_neutralization_free(res);
	neu_close(&fin);
	return MC_OK;

out_err:
	fflush(stdout);
	fprintf(stderr, "%s: %s\n", mc_prog(), err.message);
	amt_neutralization_free(res);
	neu_close(&fin);
	return MC_ERR;
}
