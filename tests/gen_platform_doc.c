/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Print the platform table of libamtless (amt_platform_describe) as the
 * Markdown block of README.md (--markdown) or the roff block of
 * man/amtless.1 (--roff). tests/cli/test_platform_doc.sh checks that the
 * two documents hold exactly this output between their "platforms"
 * markers; run this program to regenerate them after a table change.
 */
#include <stdio.h>
#include <string.h>

#include <amtless/image.h>

static void md_cell(const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			fputs("\\|", stdout);
		else
			putchar(*s);
	}
}

/* roff: '-' as \-, a backslash doubled, '.' or '\'' never first on a line */
static void roff(const char *s)
{
	for (; s && *s; s++) {
		if (*s == '-')
			fputs("\\-", stdout);
		else if (*s == '\\')
			fputs("\\e", stdout);
		else
			putchar(*s);
	}
}

static void where(const struct amt_platform_desc *d, char *buf, size_t len)
{
	if (!d->hap_known)
		snprintf(buf, len, "none (refused)");
	else if (d->kind == AMT_DIS_MEDISABLE)
		snprintf(buf, len, "ICHSTRP0 bit 0 + MCHSTRP0 bit 0");
	else
		snprintf(buf, len, "PCHSTRP%u bit %u (byte 0x%X)", d->strap_index, d->bit,
			 0x100 + 4 * d->strap_index + d->bit / 8);
}

static void recognised_by(const struct amt_platform_desc *d, char *buf, size_t len)
{
	const char *fp = d->fingerprint ? d->fingerprint : "no geometry in the sources";
	if (d->straps)
		snprintf(buf, len, "%s; straps: %s", fp, d->straps);
	else
		snprintf(buf, len, "%s", fp);
}

int main(int argc, char **argv)
{
	bool md = argc == 2 && !strcmp(argv[1], "--markdown");
	bool rf = argc == 2 && !strcmp(argv[1], "--roff");
	if (!md && !rf) {
		fprintf(stderr, "usage: gen_platform_doc --markdown | --roff\n");
		return 2;
	}
	char w[96], by[640];
	if (md) {
		puts("| Key | Platform | Firmware | Recognised by | Disable bit | Confidence | Source of the location |");
		puts("|---|---|---|---|---|---|---|");
	}
	for (int id = AMT_PLAT_UNKNOWN + 1; id < AMT_PLAT__COUNT; id++) {
		const struct amt_platform_desc *d = amt_platform_describe((amt_platform_id)id);
		if (!d)
			return 1;
		where(d, w, sizeof(w));
		recognised_by(d, by, sizeof(by));
		const char *conf = amt_confidence_str(d->confidence);
		if (md) {
			printf("| `%s` | ", d->key);
			md_cell(d->name);
			fputs(" | ", stdout);
			md_cell(d->firmware);
			fputs(" | ", stdout);
			md_cell(by);
			fputs(" | ", stdout);
			md_cell(w);
			printf(" | %s%s | ", conf, d->doubtful ? " (doubtful)" : "");
			md_cell(d->source);
			puts(" |");
		} else {
			puts(".TP");
			fputs(".B ", stdout);
			roff(d->key);
			putchar('\n');
			roff(d->name);
			fputs(" (", stdout);
			roff(d->firmware);
			fputs("): ", stdout);
			roff(w);
			printf("; confidence %s%s.\n", conf, d->doubtful ? ", doubtful" : "");
			fputs("Recognised by: ", stdout);
			roff(by);
			fputs(".\n", stdout);
			fputs("Source: ", stdout);
			roff(d->source);
			fputs(".\n", stdout);
		}
	}
	return 0;
}
