/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * amtless flash [-p PROGRAMMER[:PARAMS]]: read the whole chip, keep a
 * backup (written atomically, fsynced, read back), neutralize in memory
 * through the one verified pipeline, write only the regions that change,
 * read the chip back and compare. amtless flash --restore BACKUP writes a
 * backup back after checking that it belongs to this chip. The library
 * (lib/flash) does the work and the checks; this file reads the options,
 * writes the backup file and says what happened.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <amtless/flash.h>
#include <amtless/image.h>
#include <amtless/neutralize.h>

#include "answer.h"
#include "cli.h"
#include "neu_io.h"
#include "neu_opts.h"
#include "report.h"

/* Exit codes of flash beyond the shared ones (README, amtless(1)). */
enum {
	EXIT_DEVICE = 16,       /* the programmer or the chip cannot be used: nothing written */
	EXIT_WRITE_FAILED = 17, /* a write failed or the chip does not read back as meant:
				   recover with --restore */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: amtless flash [-p PROGRAMMER[:PARAMS]] [-c CHIP] [--backup FILE] [OPTIONS]\n"
		"       amtless flash --restore BACKUP [-p PROGRAMMER[:PARAMS]] [-c CHIP]\n\n"
		"Neutralize the ME of this machine's flash chip in one step, through libflashrom:\n"
		"read the whole chip; keep a backup (written atomically and fsynced, then read\n"
		"back from disk and compared, before anything is written to the chip);\n"
		"neutralize in memory exactly as 'amtless neutralize' does (verified\n"
		"independently); write only the regions that change (descriptor, ME) as the\n"
		"chip's own descriptor lays them out; read the whole chip back and compare it,\n"
		"byte for byte, with what was meant.\n"
		"Refused before anything is written: a descriptor that gives the host (BIOS\n"
		"master, FLMSTR1) no write access to a region that must change (with -p\n"
		"internal: use an external programmer), a chip whose size differs from its\n"
		"descriptor's, a change outside the descriptor and ME regions, anything that\n"
		"does not verify. An image already neutralized is left as it is (exit 0).\n"
		"If a write fails, the regions written are named with the backup and the\n"
		"exact --restore command.\n\n"
		"Options:\n"
		"  -p, --programmer P[:PARAMS]  flashrom programmer (default: internal), e.g.\n"
		"                             ch341a_spi, linux_spi:dev=/dev/spidev0.0,\n"
		"                             dummy:emulate=MX25L6436,image=chip.bin\n"
		"  -c, --chip NAME            the chip definition when several match (flashrom -c)\n"
		"      --backup FILE          where to keep the backup (default:\n"
		"                             amtless-backup-PROGRAMMER-SIZE-YYYYmmdd-HHMMSS.bin\n"
		"                             in the current directory; never overwritten)\n"
		"      --restore BACKUP       write BACKUP back (it must belong to this chip:\n"
		"                             same size and layout, same descriptor but the\n"
		"                             disable bit and the ME's access, same bytes outside\n"
		"                             the descriptor and ME regions)\n"
		"  -n, --dry-run              read the chip and plan; write nothing (no backup)\n"
		"      --as-internal          apply -p internal's check of the descriptor's host\n"
		"                             write access with any programmer (to rehearse on an\n"
		"                             emulated chip what the machine itself would refuse)\n"
		"  -v, --verbose              also print libflashrom's messages\n"
		"  -q, --quiet                print only errors and the recovery steps\n"
		"  -h, --help                 this help\n\n"
		"What to do (as amtless neutralize):\n"
		"      --no-disable-bit       do not set the disable bit (removal only)\n"
		"      --disable-bit-only     only set the disable bit\n"
		"      --keep-modules         keep every FTPR module\n"
		"      --keep-partitions L    also keep these partitions, comma-separated\n"
		"      --remove-partitions L  remove only these partitions\n"
		"      --relocate             move FTPR to the start of the ME region\n"
		"      --restrict-me-access   remove the ME's access to the other regions (FLMSTR2)\n"
		"      --platform KEY         name the platform when it cannot be recognised\n"
		"      --expert-disable-bit PCHSTRPn:BIT  the disable bit's place: UNVERIFIED\n"
		"      --reduce-cse           CSME 12+, TXE 3/4: also remove the modules the\n"
		"                             image's InitScript lets go\n"
		"      --allow-signed-descriptor  edit a descriptor that carries an FDV signature\n\n"
		"After the next boot, 'amtless audit' reads the ME's status registers (HFSTS)\n"
		"from the running system: the ME reporting itself disabled (HAP/AltMeDisable)\n"
		"is the proof that the flash took effect.\n\n"
		"Exit: 0 written and read back as meant (or already neutralized, or the chip\n"
		"already holds the backup, or a dry run), 1 the result failed verification\n"
		"(nothing written), 2 usage, 3 the backup to restore cannot be read, 4 the\n"
		"chip's content is not recognised, 6 refused (descriptor locked, size, foreign\n"
		"backup, ...: nothing written), 7 the backup could not be written (nothing\n"
		"written to the chip), 16 the programmer or the chip cannot be used (nothing\n"
		"written, or a write failed before a byte changed), 17 a write failed or the chip does not read back as meant (the\n"
		"message names the regions written and the --restore command), 70 internal\n"
		"error.\n");
}

enum {
	O_BACKUP = 256, O_RESTORE, O_ASINT,
};

static bool verbose;

__attribute__((format(printf, 3, 0)))
static void log_to_stderr(void *ctx, amt_flash_log_level level, const char *fmt, va_list ap)
{
	(void)ctx;
	if (!verbose || level > AMT_FLASH_LOG_INFO)
		return;
	vfprintf(stderr, fmt, ap);
}

/* Quote s for a POSIX shell when it needs it (into buf). */
static const char *shq(const char *s, char *buf, size_t n)
{
	if (s[0] && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			      "_-.,/:=+@%") == strlen(s)) {
		snprintf(buf, n, "%s", s);
		return buf;
	}
	size_t o = 0;
	if (o + 1 < n)
		buf[o++] = '\'';
	for (const char *p = s; *p && o + 5 < n; p++) {
		if (*p == '\'') {
			memcpy(buf + o, "'\\''", 4);
			o += 4;
		} else
			buf[o++] = *p;
	}
	if (o + 1 < n)
		buf[o++] = '\'';
	buf[o] = 0;
	return buf;
}

struct ctx {
	const char *prog_arg;   /* -p as given (NULL: internal) */
	const char *chip;
	bool as_internal;
	bool quiet;
};

/* The exact command that writes BACKUP back. */
static void print_restore_cmd(FILE *f, const struct ctx *c, const char *backup)
{
	char b1[4200], b2[4200], b3[600];
	fprintf(f, "  amtless flash --restore %s -p %s", shq(backup, b1, sizeof(b1)),
		shq(c->prog_arg ? c->prog_arg : "internal", b2, sizeof(b2)));
	if (c->chip)
		fprintf(f, " -c %s", shq(c->chip, b3, sizeof(b3)));
	if (c->as_internal)
		fprintf(f, " --as-internal");
	fprintf(f, "\n");
}

static const char *state_str(amt_flash_region_state s)
{
	switch (s) {
	case AMT_FRS_PLANNED: return "not written";
	case AMT_FRS_UNCHANGED: return "not written (holds its old bytes)";
	case AMT_FRS_WRITTEN: return "written (holds the new bytes)";
	case AMT_FRS_PARTIAL: return "PARTLY WRITTEN (holds neither the old nor the new bytes)";
	case AMT_FRS_UNKNOWN: return "unknown (the chip could not be read back)";
	}
	return "?";
}

static void print_regions(FILE *f, const struct amt_flash_plan *p, bool after)
{
	for (unsigned k = 0; k < p->nregions; k++) {
		const struct amt_flash_region *r = &p->regions[k];
		fprintf(f, "  %-10s 0x%08llx-0x%08llx  %llu bytes change", amt_region_name(r->id),
			(unsigned long long)r->start, (unsigned long long)r->end - 1,
			(unsigned long long)r->ndiff);
		if (after)
			fprintf(f, ": %s", state_str(r->state));
		fprintf(f, "\n");
	}
}

/* What to say when a write failed or did not read back as meant. */
static void print_recovery(const struct ctx *c, const struct amt_flash_plan *p, const char *backup,
			   const amt_error *err)
{
	fprintf(stderr, "amtless flash: %s\n", err->message);
	if (p->read_back) {
		fprintf(stderr, "amtless flash: the chip, read back after the failure:\n");
		print_regions(stderr, p, true);
		if (p->outside_ndiff)
			fprintf(stderr, "  %llu bytes outside these regions changed too\n",
				(unsigned long long)p->outside_ndiff);
	} else {
		fprintf(stderr, "amtless flash: the chip could not be read back; the regions it "
				"was being written:\n");
		print_regions(stderr, p, false);
	}
	fprintf(stderr, "amtless flash: do NOT power off or reboot. The backup of the chip as it "
			"was is %s (verified on disk). To write it back:\n", backup);
	print_restore_cmd(stderr, c, backup);
	fprintf(stderr, "amtless flash: if that fails too, write %s with an external programmer "
			"(flashrom -p PROGRAMMER -w %s).\n", backup, backup);
}

static const char *hint(amt_reason r)
{
	switch (r) {
	case AMT_R_FLASH_MANY_CHIPS:
		return "name the chip with -c NAME (flashrom -p PROGRAMMER lists the candidates)";
	case AMT_R_FLASH_LOCKED:
		return "read and write the chip with an external programmer (a clip on the SPI "
		       "chip: -p ch341a_spi and the like)";
	case AMT_R_FLASH_READ:
		return "with -p internal the chipset may deny the host read access to a region "
		       "(the ME region, as the descriptor sets it): use an external programmer";
	case AMT_R_FLASH_NOT_FULL:
		return "the chip does not start with an Intel flash descriptor: there is no ME "
		       "region to neutralize on it";
	default:
		return neu_hint(r);
	}
}

/* Default backup name: amtless-backup-PROG-SIZE-YYYYmmdd-HHMMSS.bin. */
static void default_backup(char *buf, size_t n, const char *prog, const char *chip, size_t size)
{
	char who[64];
	snprintf(who, sizeof(who), "%s", chip ? chip : prog);
	for (char *p = who; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_'))
			*p = '_';
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	char ts[32];
	strftime(ts, sizeof(ts), "%Y%m%d-%H%M%S", &tm);
	if (size % (1024 * 1024) == 0)
		snprintf(buf, n, "amtless-backup-%s-%zuMiB-%s.bin", who, size / (1024 * 1024), ts);
	else
		snprintf(buf, n, "amtless-backup-%s-%zu-%s.bin", who, size, ts);
}

static int exit_for_error(const amt_error *err, amt_status st)
{
	switch (err->reason) {
	case AMT_R_FLASH_PROGRAMMER:
	case AMT_R_FLASH_NO_CHIP:
	case AMT_R_FLASH_MANY_CHIPS:
	case AMT_R_FLASH_READ:
		return EXIT_DEVICE;
	case AMT_R_FLASH_NOT_FULL:
	case AMT_R_FLASH_SIZE:
	case AMT_R_FLASH_LOCKED:
	case AMT_R_FLASH_OUTSIDE:
	case AMT_R_FLASH_FOREIGN:
	case AMT_R_FLASH_BACKUP:
		return EXIT_REFUSED;
	default:
		break;
	}
	if (st == AMT_E_UNSUPPORTED)
		return EXIT_REFUSED;
	if (st == AMT_E_IO)
		return EXIT_DEVICE;
	return cli_exit_for(st);
}

int cmd_flash(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "programmer", required_argument, NULL, 'p' },
		{ "chip", required_argument, NULL, 'c' },
		{ "backup", required_argument, NULL, O_BACKUP },
		{ "restore", required_argument, NULL, O_RESTORE },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "as-internal", no_argument, NULL, O_ASINT },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		NEU_LONG_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *name = "flash";
	struct amt_neutralize_opts o;
	amt_error err;
	amt_error_clear(&err);
	amt_neutralize_opts_init(&o);
	struct ctx cx = { 0 };
	const char *backup = NULL, *restore = NULL;
	bool dry = false;
	struct neu_flags nf = { 0 };
	verbose = false;

	struct cli_getopt g = { .cmd = name };
	int c;
	while ((c = cli_getopt(&g, argc, argv, "p:c:nvqh", lo)) != -1) {
		switch (c) {
		case 'p': cx.prog_arg = optarg; break;
		case 'c': cx.chip = optarg; break;
		case O_BACKUP: backup = optarg; break;
		case O_RESTORE: restore = optarg; break;
		case 'n': dry = true; break;
		case O_ASINT: cx.as_internal = true; break;
		case 'v': verbose = true; break;
		case 'q': cx.quiet = true; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: {
			int r = neu_opt(name, c, optarg, &o, &nf);
			if (r == NEU_OPT_NOT_MINE)
				return EXIT_USAGE;
			if (r)
				return r;
		}
		}
	}
	if (optind != argc)
		return cli_usage_error(name, "no operand expected ('%s'): the image is the chip "
				       "(-p PROGRAMMER); --restore BACKUP names a backup",
				       argv[optind]);
	if (restore && backup)
		return cli_usage_error(name, "--restore writes BACKUP back: --backup does not apply");
	if (restore && nf.any)
		return cli_usage_error(name, "--restore writes the backup as it is: the "
				       "neutralization options do not apply");
	if (backup && !dry && access(backup, F_OK) == 0)
		return cli_usage_error(name, "%s exists: a backup is never overwritten (choose "
				       "another --backup FILE)", backup);
	int urc = neu_opts_finish(name, &o, &nf);
	if (urc)
		return urc;

	/* the backup to restore is read before the chip is touched */
	uint8_t *rbuf = NULL;
	size_t rsize = 0;
	if (restore) {
		amt_status st = cli_read_file(restore, &rbuf, &rsize, &err);
		if (st != AMT_OK) {
			cli_print_error(NULL, &err);
			return cli_exit_for(st);
		}
	}

	/* -p NAME[:PARAMS] */
	char *progbuf = NULL;
	const char *prog = "internal", *params = NULL;
	if (cx.prog_arg) {
		progbuf = strdup(cx.prog_arg);
		if (!progbuf) {
			free(rbuf);
			return EXIT_INTERNAL;
		}
		char *colon = strchr(progbuf, ':');
		if (colon) {
			*colon = 0;
			params = colon + 1;
		}
		prog = progbuf;
	}
	struct amt_flash_opts fo;
	amt_flash_opts_init(&fo);
	fo.programmer = prog;
	fo.params = params;
	fo.chip = cx.chip;
	fo.host_rules = cx.as_internal ? AMT_FLASH_HOST_ON : AMT_FLASH_HOST_AUTO;
	fo.log = log_to_stderr;

	int rc = EXIT_OK;
	struct amt_flash *f = NULL;
	struct amt_flash_plan *plan = NULL;
	uint8_t *bdisk = NULL;
	size_t bdisk_size = 0;
	char defname[256];
	const uint8_t *chip = NULL;
	size_t chip_size = 0;
	bool held = false;
	char *babs = NULL;

	amt_status st = amt_flash_open(&fo, &f, &err);
	if (st == AMT_OK)
		st = amt_flash_read(f, &chip, &chip_size, &err);
	if (st != AMT_OK) {
		fprintf(stderr, "amtless flash: %s; nothing was written\n", err.message);
		const char *h = hint(err.reason);
		if (h)
			fprintf(stderr, "amtless flash: %s\n", h);
		rc = exit_for_error(&err, st);
		goto done;
	}
	if (!cx.quiet)
		printf("Chip: %zu bytes (%zu KiB) on %s; read whole.\n", chip_size, chip_size / 1024,
		       prog);

	if (restore)
		st = amt_flash_plan_restore(f, rbuf, rsize, &plan, &err);
	else
		st = amt_flash_plan_neutralize(f, &o, &plan, &err);
	if (st != AMT_OK) {
		if (st == AMT_E_VERIFY && plan && plan->neutralization &&
		    plan->neutralization->report) {
			fprintf(stderr, "amtless flash: the neutralized image failed verification; "
					"nothing was written:\n");
			render_report(stderr, plan->neutralization->report, true);
			rc = EXIT_FINDINGS;
			goto done;
		}
		cli_print_error(restore ? restore : "chip", &err);
		const char *h = hint(err.reason);
		if (h)
			fprintf(stderr, "amtless flash: %s\n", h);
		if (err.reason == AMT_R_FLASH_FOREIGN)
			fprintf(stderr, "amtless flash: %s does not belong to this chip: nothing was "
					"written\n", restore);
		else
			fprintf(stderr, "amtless flash: nothing was written\n");
		rc = exit_for_error(&err, st);
		goto done;
	}
	const struct amt_neutralization *res = plan->neutralization;
	if (plan->nothing_to_do) {
		if (restore)
			printf("The chip already holds %s: nothing was written.\n", restore);
		else
			printf("Already neutralized: nothing was written (the chip is left as it "
			       "is).\n");
		goto done;
	}
	if (!cx.quiet) {
		if (res) {
			struct answer a;
			answer_from_neutralization(&a, res, true, false);
			answer_print(stdout, &a);
			printf("\n");
			render_neutralize_summary(stdout, &res->plan, &res->report->code, 0, 0);
			render_warnings(stdout, &res->plan);
			printf("Verified in memory: %s.\n", render_verdict_line(res->report));
		} else {
			printf("%s belongs to this chip (same size and layout, same descriptor but "
			       "the disable bit and the ME's access, same bytes outside the "
			       "descriptor and ME regions).\n", restore);
		}
		printf("Regions to write%s:\n", plan->host_rules ?
		       " (the descriptor lets the host write each)" : "");
		print_regions(stdout, plan, false);
	}
	if (dry) {
		printf("Dry run: nothing was written (no backup, nothing to the chip).\n");
		goto done;
	}

	/* the backup: written atomically, fsynced, read back from disk */
	const char *bpath = restore;
	if (!restore) {
		if (!backup) {
			default_backup(defname, sizeof(defname), prog, cx.chip, chip_size);
			backup = defname;
			if (access(backup, F_OK) == 0) {
				fprintf(stderr, "amtless flash: %s exists: nothing was written "
						"(choose --backup FILE)\n", backup);
				rc = EXIT_OUTPUT;
				goto done;
			}
		}
		if (cli_write_new(backup, chip, chip_size, &err) != AMT_OK) {
			cli_print_error(NULL, &err);
			fprintf(stderr, "amtless flash: the backup could not be written: nothing was "
					"written to the chip\n");
			rc = EXIT_OUTPUT;
			goto done;
		}
		bpath = backup;
	}
	st = cli_read_file(bpath, &bdisk, &bdisk_size, &err);
	if (st != AMT_OK) {
		cli_print_error(NULL, &err);
		fprintf(stderr, "amtless flash: the backup %s cannot be read back: nothing was "
				"written to the chip\n", bpath);
		rc = EXIT_OUTPUT;
		goto done;
	}
	/* named absolutely from here on: the --restore command must work from
	 * any directory */
	babs = realpath(bpath, NULL);
	if (babs)
		bpath = babs;
	if (!restore && !cx.quiet)
		printf("Backup: %s (%zu bytes, fsynced, read back and compared).\n", bpath,
		       bdisk_size);

	/* from here until the programmer is shut down (the dummy programmer
	 * writes its image file then), an interrupt would leave the chip
	 * half-written with nobody told how: hold the usual signals back */
	sigset_t hold;
	sigemptyset(&hold);
	sigaddset(&hold, SIGINT);
	sigaddset(&hold, SIGTERM);
	sigaddset(&hold, SIGHUP);
	sigaddset(&hold, SIGQUIT);
	sigaddset(&hold, SIGTSTP);
	/* a closed pipe on stdout or stderr (amtless flash -v 2>&1 | tee log,
	 * tee killed): EPIPE on the write instead of death mid-erase */
	sigaddset(&hold, SIGPIPE);
	sigprocmask(SIG_BLOCK, &hold, NULL);
	held = true;
	st = amt_flash_write(f, plan, bdisk, bdisk_size, &err);
	if (st != AMT_OK) {
		if (!plan->write_started) {
			cli_print_error(bpath, &err);
			fprintf(stderr, "amtless flash: nothing was written to the chip\n");
			rc = st == AMT_E_NOMEM ? EXIT_INTERNAL : EXIT_OUTPUT;
			goto done;
		}
		if (plan->read_back && plan->matches_before) {
			/* the write failed before a byte changed: nothing to recover */
			cli_print_error(NULL, &err);
			fprintf(stderr, "amtless flash: the chip, read back, holds exactly what it "
					"held before: nothing was changed\n");
			rc = EXIT_DEVICE;
			goto done;
		}
		print_recovery(&cx, plan, bpath, &err);
		rc = EXIT_WRITE_FAILED;
		goto done;
	}
	if (!cx.quiet) {
		printf("Written and read back:\n");
		print_regions(stdout, plan, true);
		printf("Read back: the whole chip holds exactly %s (%zu bytes compared).\n",
		       restore ? "the backup" : "the verified neutralized image", chip_size);
		if (restore)
			printf("Restored %s.\n", restore);
		else {
			printf("Keep %s: 'amtless flash --restore' writes it back.\n", bpath);
			printf("After the next boot, 'amtless audit' confirms from the running system "
			       "that the ME reports itself disabled (HFSTS).\n");
		}
	}
done:
	amt_flash_plan_free(plan);
	amt_flash_close(f);   /* the dummy programmer writes its image file here */
	if (held) {
		sigset_t pend;
		sigpending(&pend);
		if (sigismember(&pend, SIGINT) || sigismember(&pend, SIGTERM) ||
		    sigismember(&pend, SIGHUP) || sigismember(&pend, SIGQUIT) ||
		    sigismember(&pend, SIGTSTP))
			fprintf(stderr, "amtless flash: an interrupt arrived while the chip was "
					"being written: it was held back until the chip was read back "
					"and the programmer shut down\n");
		/* the held signals stay blocked: the exit status says what happened */
	}
	free(babs);
	free(bdisk);
	free(rbuf);
	free(progbuf);
	return rc;
}
