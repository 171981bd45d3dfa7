/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * amtless neutralize IMAGE -o OUT: plan the neutralization, apply it in
 * memory, verify the result, and only then write it (temporary file in
 * the target directory, fsync, rename). The input is never modified,
 * except with --in-place, which keeps the old file as IMAGE.bak.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <amtless/image.h>
#include <amtless/neutralize.h>

#include "answer.h"
#include "cli.h"
#include "neu_io.h"
#include "neu_opts.h"
#include "report.h"
#include "remains.h"
#include "result_json.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: amtless neutralize IMAGE (-o OUTPUT | --in-place | --dry-run) [OPTIONS]\n\n"
		"Default on a full flash image: set the ME disable bit (AltMeDisable on ME 6-10,\n"
		"HAP on ME 11, MeDisable + ME region off on ME 2-5) and remove every partition\n"
		"but FTPR and every FTPR module the ME does not need to boot (me_cleaner -S).\n"
		"On a bare ME region: the removal only (the disable bit lives in the descriptor).\n"
		"CSME 12+ and TXE 3/4 IFWI: the HAP bit only, the firmware left byte for byte\n"
		"(module removal with --reduce-cse); a bare region of these is refused unless\n"
		"--reduce-cse. On a flash descriptor alone (descriptor.bin): the disable bit\n"
		"only, with --disable-bit-only. ME 2-5 bare regions, unknown platforms and\n"
		"signed descriptors are refused with the reason.\n"
		"Nothing is written unless the result, parsed again on its own, passes an\n"
		"independent verification: the disable bit (from its own descriptor) set, every\n"
		"checksum and valid signature kept, every module that still holds code holding\n"
		"its input bytes, nothing removed left, and no byte changed outside what the\n"
		"operation may touch. An image already neutralized is reported so (\"already\n"
		"neutralized: nothing changed\", exit 0): -o then writes a byte for byte copy of\n"
		"IMAGE, --in-place leaves IMAGE as it is.\n"
		"The output opens with a summary (what changed; firmware; AMT; the disable bit\n"
		"before -> after; what remains of the code; safe to flash), then the changes\n"
		"only: the disable bit, what was removed, one line for what stays unchanged.\n\n"
		"Output:\n"
		"  -o, --output FILE          write the result to FILE (atomically)\n"
		"      --in-place             replace IMAGE (the old file is kept as IMAGE.bak)\n"
		"  -n, --dry-run              print the plan (every edit: range, old -> new, why)\n"
		"                             and write nothing\n"
		"      --extract-descriptor F also write the (edited) descriptor to F\n"
		"      --extract-me F         also write the ME region (truncated with --truncate) to F\n"
		"      --layout F             also write the result's flashrom layout file to F:\n"
		"                             \"START:END NAME\" per region of its descriptor, hex\n"
		"                             (fd, bios, me, gbe, ...: ifdtool -f's names), for\n"
		"                             flashrom -l F -i me -w OUTPUT (full images)\n\n"
		"What to do:\n"
		"      --no-disable-bit       do not set the disable bit (removal only)\n"
		"      --disable-bit-only     only set the disable bit (me_cleaner -s, ifdtool -M 1),\n"
		"                             also on a flash descriptor file alone\n"
		"                             ('amtless enable-me' clears it again)\n"
		"      --keep-modules         keep every FTPR module (me_cleaner -k)\n"
		"      --keep-partitions L    also keep these partitions, comma-separated (-w)\n"
		"      --remove-partitions L  remove only these partitions (-b)\n"
		"      --relocate             move FTPR to the start of the ME region (-r)\n"
		"      --truncate             cut a bare ME region after what is kept (-t)\n"
		"      --shrink-region        full image: shrink the ME region in the descriptor to\n"
		"                             the new minimum size and give the space to the region\n"
		"                             that follows it\n"
		"      --restrict-me-access   remove the ME's read/write access to the other regions\n"
		"                             (FLMSTR2, mask per descriptor version; me_cleaner -d)\n"
		"      --platform KEY         name the platform when it cannot be recognised\n"
		"      --expert-disable-bit PCHSTRPn:BIT\n"
		"                             write the disable bit at that strap and bit, for a\n"
		"                             platform no public source covers: UNVERIFIED, at\n"
		"                             your own risk (the result still passes verification)\n"
		"      --reduce-cse           CSME 12+, TXE 3/4, IFWI: also remove the modules the image's\n"
		"                             InitScript marks removable / outside the HAP boot flow\n"
		"      --allow-signed-descriptor  edit a descriptor that carries an FDV signature\n"
		"      --brief                print the summary only\n"
		"      --json                 print one JSON document instead (schema\n"
		"                             \"amtless-neutralize\", version 1; see\n"
		"                             doc/neutralize.schema.json): the plan, the outcome\n"
		"                             and the verification of the result, also with\n"
		"                             --dry-run\n"
		"  -q, --quiet                print only errors\n"
		"  -h, --help                 this help\n\n"
		"Exit: 0 written (or planned with --dry-run, or already neutralized), 1 the result\n"
		"failed verification,\n"
		"2 usage, 3 input unreadable, 4 not recognised, 5 update file, 6 refused, 7 output\n"
		"not written, 70 internal error (out of memory).\n");
}

enum {
	O_INPLACE = 256, O_XDESC, O_XME, O_TRUNC, O_SHRINK, O_LAYOUT, O_BRIEF, O_JSON,
};

/* The "amtless-neutralize" document on stdout; false when it cannot be built. */
static bool emit_json(const char *in, const struct amt_neutralization *res, bool dry,
		      const char *written)
{
	json_t *doc = out_json_neutralize(in, res, dry, written);
	bool ok = doc && json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII |
				    JSON_PRESERVE_ORDER) == 0;
	if (ok)
		fputc('\n', stdout);
	else
		fprintf(stderr, "%s: cannot build the JSON document (out of memory)\n", cli_progname);
	json_decref(doc);
	return ok;
}

/* Bytes of [s, e) that are not 0xff (erased flash): 64-byte blocks of
 * 0xff are skipped with one compare. */
static uint64_t nonff(const uint8_t *d, size_t size, uint64_t s, uint64_t e)
{
	static const uint8_t ff[64] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	uint64_t n = 0;
	if (e > size)
		e = size;
	uint64_t i = s;
	for (; i + 64 <= e; i += 64) {
		if (!memcmp(d + i, ff, 64))
			continue;
		for (unsigned k = 0; k < 64; k++)
			n += d[i + k] != 0xff;
	}
	for (; i < e; i++)
		n += d[i] != 0xff;
	return n;
}

/* "amtless neutralize" or "amtless enable-me": the command the messages name. */
static const char *cmd = "amtless neutralize";

/* What the verifier established for the disable bit alone. */
static const char *verified_bit(const struct amt_report *r, bool enable)
{
	if (enable)
		return r->disable_bit == AMT_NO ?
		       ": the disable bit is clear in the result's own descriptor, and no other "
		       "byte differs" : "";
	return r->disable_bit == AMT_YES ?
	       ": the disable bit is set in the result's own descriptor, and no other byte "
	       "differs" : "";
}

static void usage_enable(FILE *f)
{
	fprintf(f,
		"usage: amtless enable-me IMAGE (-o OUTPUT | --in-place | --dry-run) [OPTIONS]\n\n"
		"Re-enable the ME: clear the disable bit (HAP, AltMeDisable or MeDisable, as the\n"
		"platform uses) that 'amtless neutralize --disable-bit-only', me_cleaner -s/-S or\n"
		"ifdtool -M 1 set, and change nothing else (ifdtool -M 0). IMAGE is a full flash\n"
		"image whose ME firmware is whole, or a flash descriptor alone (descriptor.bin, as\n"
		"coreboot and Dasharo ship it). The bit is located exactly as neutralize locates\n"
		"it: an unknown, ambiguous or contradicted platform and a signed descriptor are\n"
		"refused with the reason; so is an image whose ME firmware is stripped, wiped or\n"
		"absent (an ME started without its firmware can stop the machine: restore the\n"
		"stock ME region first). Nothing is written unless the result, parsed again on\n"
		"its own, has the bit clear in its own descriptor and differs from IMAGE in\n"
		"that bit only.\n\n"
		"Options:\n"
		"  -o, --output FILE          write the result to FILE (atomically)\n"
		"      --in-place             replace IMAGE (the old file is kept as IMAGE.bak)\n"
		"  -n, --dry-run              print the plan and write nothing\n"
		"      --brief                print the summary only\n"
		"      --json                 print one JSON document (doc/neutralize.schema.json)\n"
		"      --platform KEY         name the platform when it cannot be recognised\n"
		"      --expert-disable-bit PCHSTRPn:BIT\n"
		"                             clear the bit at that strap and bit: UNVERIFIED\n"
		"      --allow-signed-descriptor  edit a descriptor that carries an FDV signature\n"
		"  -q, --quiet                print only errors\n"
		"  -h, --help                 this help\n\n"
		"Exit: 0 written (or planned, or the ME already enabled), 1 the result failed\n"
		"verification, 2 usage, 3 input unreadable, 4 not recognised, 6 refused,\n"
		"7 output not written, 70 internal error.\n");
}

static int run(int argc, char **argv, bool enable)
{
	static const struct option lo[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "in-place", no_argument, NULL, O_INPLACE },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "extract-descriptor", required_argument, NULL, O_XDESC },
		{ "extract-me", required_argument, NULL, O_XME },
		{ "layout", required_argument, NULL, O_LAYOUT },
		{ "truncate", no_argument, NULL, O_TRUNC },
		{ "shrink-region", no_argument, NULL, O_SHRINK },
		NEU_LONG_OPTIONS,
		{ "quiet", no_argument, NULL, 'q' },
		{ "brief", no_argument, NULL, O_BRIEF },
		{ "json", no_argument, NULL, O_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct amt_neutralize_opts o;
	amt_error err;
	const char *out = NULL, *xdesc = NULL, *xme = NULL, *layout = NULL;
	bool in_place = false, dry = false, quiet = false, brief = false, json = false;
	struct neu_flags nf = { 0 };
	const char *not_enable = NULL;   /* an option enable-me does not take */
	char not_enable_buf[48];
	amt_neutralize_opts_init(&o);
	cmd = enable ? "amtless enable-me" : "amtless neutralize";
	const char *name = enable ? "enable-me" : "neutralize";   /* in usage errors */
	void (*help)(FILE *) = enable ? usage_enable : usage;

	struct cli_getopt g = { .cmd = name };
	int c;
	while ((c = cli_getopt(&g, argc, argv, "o:nqh", lo)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case O_INPLACE: in_place = true; break;
		case 'n': dry = true; break;
		case O_XDESC: xdesc = optarg; break;
		case O_XME: xme = optarg; break;
		case O_LAYOUT: layout = optarg; break;
		case O_TRUNC: o.truncate = true; break;
		case O_SHRINK: o.shrink_region = true; break;
		case 'q': quiet = true; break;
		case O_BRIEF: brief = true; break;
		case O_JSON: json = true; break;
		case 'h': help(stdout); return EXIT_OK;
		default: {
			int r = neu_opt(name, c, optarg, &o, &nf);
			if (r == NEU_OPT_NOT_MINE)
				return EXIT_USAGE;
			if (r)
				return r;
		}
		}
		if (c != 'o' && c != O_INPLACE && c != 'n' && c != NEU_O_PLAT && c != NEU_O_EXPERT &&
		    c != NEU_O_ALLOWFDV && c != 'q' && c != O_BRIEF && c != O_JSON &&
		    !not_enable) {
			/* the option's name (not its argument) */
			not_enable = not_enable_buf;
			snprintf(not_enable_buf, sizeof(not_enable_buf), "--%s", "?");
			for (const struct option *l = lo; l->name; l++)
				if (l->val == c) {
					snprintf(not_enable_buf, sizeof(not_enable_buf), "--%s", l->name);
					break;
				}
		}
	}
	if (enable && not_enable)
		return cli_usage_error(name, "%s: re-enabling the ME changes only the disable bit; "
				       "this option belongs to 'amtless neutralize'", not_enable);
	if (enable)
		o.operation = AMT_NEU_OP_CLEAR_DISABLE_BIT;
	if (optind + 1 != argc)
		return cli_usage_error(name, "%s", optind == argc ? "no IMAGE given" :
				       "only one IMAGE at a time");
	const char *in = argv[optind];
	if (!dry && !out && !in_place)
		return cli_usage_error(name, "say where to write: -o OUTPUT, --in-place, or "
				       "--dry-run to only see the plan");
	if (out && in_place)
		return cli_usage_error(name, "-o and --in-place exclude each other");
	if (layout && dry)
		return cli_usage_error(name, "--dry-run writes nothing: --layout needs -o OUTPUT or "
				       "--in-place");
	if (quiet + brief + json > 1)
		return cli_usage_error(name, "--quiet, --brief and --json exclude each other");
	int urc = neu_opts_finish(name, &o, &nf);
	if (urc)
		return urc;
	struct stat sb, so;
	const char *outs[4] = { out, xdesc, xme, layout };
	for (int i = 0; i < 4; i++)
		if (outs[i] && stat(in, &sb) == 0 && stat(outs[i], &so) == 0 && sb.st_dev == so.st_dev &&
		    sb.st_ino == so.st_ino)
			return cli_usage_error(name, "%s is the input: use --in-place to replace it "
					       "(a backup is kept)", outs[i]);
	if (in_place && access(in, W_OK) != 0) {
		fprintf(stderr, "%s: %s: cannot replace it: %s\n", cmd, in, strerror(errno));
		return EXIT_OUTPUT;
	}
	if (in_place && stat(in, &sb) == 0 && !(sb.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH))) {
		fprintf(stderr, "%s: %s: the file is read-only: not replacing it "
				"(use -o OUTPUT)\n", cmd, in);
		return EXIT_OUTPUT;
	}

	struct neu_in fin;
	amt_status st = neu_open(in, &fin, &err);
	if (st != AMT_OK) {
		cli_print_error(NULL, &err);
		return cli_exit_for(st);
	}
	if (enable)
		o.set_disable_bit = false;
	o.want_descriptor = xdesc != NULL;
	o.want_me = xme != NULL;

	struct amt_neutralization *res = NULL;
	st = amt_neutralize(fin.data, fin.size, &o, &res, &err);
	if (st != AMT_OK && st != AMT_E_VERIFY) {
		cli_print_error(in, &err);
		const char *h = neu_hint(err.reason);
		if (h)
			fprintf(stderr, "%s: %s\n", cmd, h);
		amt_neutralization_free(res);
		neu_close(&fin);
		if (st == AMT_E_UNSUPPORTED)
			return EXIT_REFUSED;
		return cli_exit_for(st);
	}
	const struct amt_plan *plan = &res->plan;
	if (st == AMT_E_VERIFY) {
		fprintf(stderr, "%s: %s: the result failed verification; nothing was "
				"written:\n", cmd, in);
		if (res->report)
			render_report(stderr, res->report, true);
		else
			cli_print_error(in, &err);
		if (json)
			emit_json(in, res, dry, NULL);
		else if (dry)
			render_edits(stdout, plan, fin.data, fin.size);
		amt_neutralization_free(res);
		neu_close(&fin);
		return EXIT_FINDINGS;
	}
	/* the disable bit alone: re-enabling, or a descriptor file alone */
	bool bit_only = enable || plan->kind == AMT_KIND_DESCRIPTOR_ONLY;
	uint64_t before = bit_only ? 0 : nonff(fin.data, fin.size, plan->me_start, plan->me_end);
	uint64_t after = bit_only ? 0 : nonff(res->out, res->out_size, plan->me_start, plan->me_end);
	const char *unchanged = enable ? "The ME is already enabled (its disable bit is clear): "
					 "nothing to change" :
					 "Already neutralized: nothing to change";
	if (dry && json) {
		int jrc = emit_json(in, res, true, NULL) ? EXIT_OK : EXIT_INTERNAL;
		amt_neutralization_free(res);
		neu_close(&fin);
		return jrc;
	}
	if (dry) {
		struct answer a;
		answer_from_neutralization(&a, res, true, enable);
		answer_print(stdout, &a);
		if (brief) {
			printf("Dry run: nothing was written.\n");
			amt_neutralization_free(res);
			neu_close(&fin);
			return EXIT_OK;
		}
		printf("\n");
		if (!res->changed) {
			/* what changes: nothing (the plan's edits rewrite what is there) */
			printf("%s.\n", unchanged);
		} else {
			render_edits(stdout, plan, fin.data, fin.size);
			if (bit_only)
				render_bit_summary(stdout, plan);
			else
				render_neutralize_summary(stdout, plan, &res->report->code, before,
							  after);
			if (!bit_only)
				render_remains_plan(stdout, plan, fin.data, fin.size);
		}
		render_warnings(stdout, plan);
		printf("Verified in memory: %s%s.\n", render_verdict_line(res->report),
		       bit_only ? verified_bit(res->report, enable) : "");
		printf("Dry run: nothing was written.\n");
		amt_neutralization_free(res);
		neu_close(&fin);
		return EXIT_OK;
	}

	/* the layout of what is written: its own descriptor, parsed again */
	char *bak = NULL;          /* --in-place: the old file, kept */
	char *layout_text = NULL;
	if (layout) {
		struct amt_parse_opts lpo;
		struct amt_image *limg = NULL;
		amt_parse_opts_init(&lpo);
		lpo.verify_signatures = false;
		st = amt_image_parse(res->out, res->out_size, &lpo, &limg, &err);
		layout_text = st == AMT_OK ? cli_layout_text(limg) : NULL;
		bool has_ifd = st == AMT_OK && limg->has_ifd;
		amt_image_free(limg);
		if (!layout_text) {
			amt_neutralization_free(res);
			neu_close(&fin);
			if (st == AMT_OK && !has_ifd)
				return cli_usage_error(name, "%s has no flash descriptor: --layout needs "
						       "the full flash image; nothing was written", in);
			fprintf(stderr, "%s: %s: cannot build the layout (out of memory); nothing was "
					"written\n", cmd, in);
			return EXIT_INTERNAL;
		}
	}

	int rc = EXIT_OK;
	if (in_place && !res->changed) {
		if (layout && cli_write_atomic(layout, (const uint8_t *)layout_text,
					       strlen(layout_text), &err) != AMT_OK) {
			rc = EXIT_OUTPUT;
			goto done;
		}
		if (json) {
			if (!emit_json(in, res, false, NULL))
				rc = EXIT_INTERNAL;
		} else if (!quiet) {
			struct answer a;
			answer_from_neutralization(&a, res, false, enable);
			answer_print(stdout, &a);
			if (!brief)
				printf("\n%s; %s is left as it is%s%s.\n", unchanged, in,
				       layout ? "; layout written to " : "", layout ? layout : "");
		}
		goto done_noerr;
	}
	if (in_place) {
		bak = malloc(strlen(in) + 5);
		if (!bak) {
			rc = EXIT_INTERNAL;
			goto done_noerr;
		}
		sprintf(bak, "%s.bak", in);
		/* the backup is the old file itself (a hard link): the rename
		 * below then replaces only the name IMAGE */
		if (link(in, bak) != 0) {
			fprintf(stderr, "%s: %s: cannot keep the backup %s: %s; nothing was "
					"written\n", cmd, in, bak, strerror(errno));
			rc = EXIT_OUTPUT;
			goto done_noerr;
		}
		out = in;
	}
	if (cli_write_atomic(out, res->out, res->out_size, &err) != AMT_OK) {
		rc = EXIT_OUTPUT;
		goto done;
	}
	if (res->descriptor && cli_write_atomic(xdesc, res->descriptor, res->descriptor_size, &err) != AMT_OK) {
		rc = EXIT_OUTPUT;
		goto done;
	}
	if (res->me && cli_write_atomic(xme, res->me, res->me_size, &err) != AMT_OK) {
		rc = EXIT_OUTPUT;
		goto done;
	}
	if (layout && cli_write_atomic(layout, (const uint8_t *)layout_text, strlen(layout_text),
				       &err) != AMT_OK) {
		rc = EXIT_OUTPUT;
		goto done;
	}
	if (json) {
		if (!emit_json(in, res, false, out))
			rc = EXIT_INTERNAL;
		goto done_noerr;
	}
	if (!quiet) {
		struct answer a;
		answer_from_neutralization(&a, res, false, enable);
		a.written = out;
		a.backup = bak;
		answer_print(stdout, &a);
		if (brief)
			goto done_noerr;
		printf("\n");
		if (!res->changed)
			printf("%s (the output is a copy of the input).\n", unchanged);
		else if (bit_only) {
			render_bit_summary(stdout, plan);
			render_warnings(stdout, plan);
		} else {
			render_neutralize_summary(stdout, plan, &res->report->code, before, after);
			render_remains_plan(stdout, plan, fin.data, fin.size);
			render_warnings(stdout, plan);
		}
		if (bit_only)
			printf("Verified: %s%s.\n", render_verdict_line(res->report),
			       verified_bit(res->report, enable));
		else
			printf("Verified: %s; FTPR signature %s, checksums ok, kept bytes unchanged, "
			       "changes only where allowed%s.\n", render_verdict_line(res->report),
			       plan->wipe ? "n/a (region wiped)" :
			       amt_sig_status_str(res->report->ftpr_sig),
			       res->report->disable_bit == AMT_YES ? ", disable bit set" : "");
		printf("Written: %s (%zu bytes)%s%s%s%s%s%s\n", out, res->out_size,
		       res->descriptor ? ", " : "", res->descriptor ? xdesc : "", res->me ? ", " : "",
		       res->me ? xme : "", layout ? ", layout " : "", layout ? layout : "");
	}
	goto done_noerr;
done:
	cli_print_error(NULL, &err);
done_noerr:
	free(bak);
	free(layout_text);
	amt_neutralization_free(res);
	neu_close(&fin);
	return rc;
}

int cmd_neutralize(int argc, char **argv)
{
	return run(argc, argv, false);
}

int cmd_enable_me(int argc, char **argv)
{
	return run(argc, argv, true);
}
