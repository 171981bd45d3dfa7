/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Command-line conventions shared by the subcommands (not the me_cleaner
 * front end, which follows Python's argparse): options before or after the
 * operands, "--" ends the options, one usage-error format.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s %s: ", cli_progname, cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s %s --help'.\n", cli_progname, cmd);
	return EXIT_USAGE;
}

/* The long options an argument "--name[=value]" can abbreviate, and the
 * one it names exactly (or the only one it abbreviates). */
static int long_matches(const struct option *lo, const char *arg, const struct option **hit)
{
	const char *name = arg + 2;
	size_t len = strcspn(name, "=");
	int n = 0;
	*hit = NULL;
	for (const struct option *o = lo; o && o->name; o++) {
		if (strncmp(o->name, name, len))
			continue;
		if (strlen(o->name) == len) {
			*hit = o;
			return 1;
		}
		/* aliases (--no-color, --no-colour) share a value: one option */
		if (!*hit || (*hit)->val != o->val || (*hit)->has_arg != o->has_arg)
			n++;
		if (!*hit)
			*hit = o;
	}
	return n;
}

/* getopt_long's '?' and ':' as one line naming the option; arg is the
 * element it was reading. */
static void bad_option(const char *cmd, int c, const char *arg, const struct option *lo)
{
	if (!arg || strncmp(arg, "--", 2)) {
		if (c == ':')
			cli_usage_error(cmd, "option '-%c' needs an argument", optopt);
		else
			cli_usage_error(cmd, "unknown option '-%c'", optopt);
		return;
	}
	size_t len = strcspn(arg, "=");
	const struct option *o;
	int n = long_matches(lo, arg, &o);
	if (c == ':')
		cli_usage_error(cmd, "option '--%s' needs an argument", o ? o->name : arg + 2);
	else if (n > 1)
		cli_usage_error(cmd, "option '%.*s' is ambiguous (it abbreviates several options)",
				(int)len, arg);
	else if (n == 1 && o->has_arg == no_argument && arg[len] == '=')
		cli_usage_error(cmd, "option '--%s' takes no argument", o->name);
	else
		cli_usage_error(cmd, "unknown option '%.*s'", (int)len, arg);
}

int cli_getopt(struct cli_getopt *g, int argc, char **argv, const char *shortopts,
	       const struct option *lo)
{
	if (!g->started) {
		/* "-": operands come back in order (as option 1), whatever
		 * POSIXLY_CORRECT says; ":": a missing argument is ':' */
		while (*shortopts == '+' || *shortopts == '-' || *shortopts == ':')
			shortopts++;
		snprintf(g->spec, sizeof(g->spec), "-:%s", shortopts);
		g->started = true;
		g->nops = 0;
		optind = 0;  /* glibc: reinitialise fully */
		opterr = 0;
	}
	for (;;) {
		/* no permutation in this mode: the element getopt reads now is
		 * argv[optind] (1 on the first call) */
		int at = optind ? optind : 1;
		int c = getopt_long(argc, argv, g->spec, lo, NULL);
		if (c == 1) {
			/* Every element before optind - 1 has been read: keep the
			 * operands, in order, at argv[1..nops]. */
			argv[1 + g->nops++] = optarg;
			continue;
		}
		if (c == -1) {
			/* after "--" or at the end: argv[optind..argc) are operands;
			 * put the ones collected before them right in front */
			int first = optind - g->nops;
			memmove(&argv[first], &argv[1], (size_t)g->nops * sizeof(*argv));
			optind = first;
			return -1;
		}
		if (c == '?' || c == ':') {
			bad_option(g->cmd, c, at < argc ? argv[at] : NULL, lo);
			return '?';
		}
		return c;
	}
}
