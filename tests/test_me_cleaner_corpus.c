/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The me_cleaner front end against what me_cleaner 1.2 did on the real
 * firmware of the corpus (AMTLESS_CORPUS/reference/me_cleaner.tsv).
 *
 * For each row:
 *  - me_cleaner exited 0 and its own -c accepted every output it wrote:
 *    our planner (me_cleaner mode) + apply must give the same sha256 for
 *    every output file (out.bin, desc.bin, me.bin), and our verification
 *    must accept it;
 *    except the deliberate differences below, each asserted exactly;
 *  - otherwise: we must refuse (a planning error or a failed verification),
 *    or write outputs that our verification accepts. The ME 6 Ignition
 *    rows (whole region wiped on purpose, README) must match byte for byte.
 * Deliberate differences (rows me_cleaner's check accepts, where its output
 * is broken; README "me_cleaner"):
 *  - generation 1 bare regions: me_cleaner exits 0 and writes the input
 *    unchanged (asserted: its out.bin sha256 is the input's); we refuse;
 *  - ME 11.8 (x210) -w MFS: DLMP (removed) overlaps the first 4 KiB of MFS
 *    (whitelisted); me_cleaner erases them. Asserted: the only bytes that
 *    differ are those of DLMP inside MFS, ours are the input's, and setting
 *    them to 0xff gives me_cleaner's output (its sha256).
 * Prints a table of the rows and what happened.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <amtless/image.h>
#include <amtless/neutralize.h>

#include "neutralize/neutralize_int.h"

#include "corpus.h"
#include "corpus_split.h"

struct tsv_row {
	char image[160], run[32], flags[128], outputs[600], checks[600];
	int exit_code;
};

/* "-S -w MFS -D desc.bin -O out.bin" -> options */
static void flags_to_opts(const char *flags, struct amt_neutralize_opts *o)
{
	char buf[128], *save = NULL;
	amt_error err;
	amt_neutralize_opts_init(o);
	o->policy = AMT_NEU_ME_CLEANER;
	snprintf(buf, sizeof(buf), "%s", flags);
	for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (!strcmp(t, "-c"))
			o->check_only = true;
		else if (!strcmp(t, "-S"))
			o->set_disable_bit = true;
		else if (!strcmp(t, "-s"))
			o->disable_bit_only = true;
		else if (!strcmp(t, "-r"))
			o->relocate = true;
		else if (!strcmp(t, "-t"))
			o->truncate = true;
		else if (!strcmp(t, "-k"))
			o->keep_modules = true;
		else if (!strcmp(t, "-d"))
			o->fix_master = true;
		else if (!strcmp(t, "-w"))
			amt_neutralize_parse_list(o, false, strtok_r(NULL, " ", &save), &err);
		else if (!strcmp(t, "-b"))
			amt_neutralize_parse_list(o, true, strtok_r(NULL, " ", &save), &err);
		else if (!strcmp(t, "-D")) {
			o->want_descriptor = true;
			strtok_r(NULL, " ", &save);
		} else if (!strcmp(t, "-M")) {
			o->want_me = true;
			strtok_r(NULL, " ", &save);
		} else if (!strcmp(t, "-O"))
			strtok_r(NULL, " ", &save);
	}
}

/* expected sha of output `name` ("out.bin") or NULL */
static bool expected_sha(const struct tsv_row *r, const char *name, char sha[65])
{
	const char *p = strstr(r->outputs, name);
	if (!p || p[strlen(name)] != '=')
		return false;
	p += strlen(name) + 1;
	memcpy(sha, p, 64);
	sha[64] = '\0';
	return true;
}

static bool reference_ok(const struct tsv_row *r)
{
	if (r->exit_code != 0 || !r->outputs[0] || !strcmp(r->run, "check"))
		return false;
	/* "desc.bin:not checked" is fine: me_cleaner never checks a descriptor;
	 * "out.bin:not checked" means it crashed before checking */
	return !strstr(r->checks, "INVALID") && !strstr(r->checks, "out.bin:not checked");
}

struct tally {
	int match, mismatch, refused_ok, verified_ok, bad, skipped, deliberate;
};

static bool is_g1_bare_region(const struct tsv_row *r)
{
	return !strncmp(r->image, "g1_", 3) && strstr(r->image, "_rgn");
}

/*
 * The -w MFS deviation (see the top): find the bytes where a removed
 * partition lies inside a whitelisted one (the plan's partition items, whose
 * offsets are the $FPT's), require exactly one such range, DLMP inside MFS;
 * our bytes there must be the input's (and not all 0xff: me_cleaner really
 * destroys something), and our output with them set to 0xff must have the
 * sha256 me_cleaner's output has. Returns NULL or what is wrong.
 */
static const char *check_kept_overlap(const struct tsv_row *r, const struct amt_plan *plan,
				      const uint8_t *in, size_t in_size, const uint8_t *out,
				      size_t out_size, uint64_t *ov_start, uint64_t *ov_end)
{
	char want[65], got[65];
	unsigned n = 0;
	*ov_start = *ov_end = 0;
	/* the partitions of the plan (their offsets are region-relative) */
	for (size_t i = 0; i < plan->nevents; i++) {
		const struct amt_event *k = &plan->events[i];
		if (k->kind != AMT_EV_PARTITION || !amt_disposition_kept(k->disp) ||
		    !strcmp(k->name, "FTPR") || !k->c)
			continue;
		for (size_t j = 0; j < plan->nevents; j++) {
			const struct amt_event *x = &plan->events[j];
			if (x->kind != AMT_EV_PARTITION || x->disp != AMT_DISP_REMOVED || !x->c)
				continue;
			uint64_t s = plan->me_start + (k->a > x->a ? k->a : x->a);
			uint64_t e = plan->me_start + (k->b < x->b ? k->b : x->b);
			if (s >= e)
				continue;
			n++;
			if (strcmp(k->name, "MFS") || strcmp(x->name, "DLMP"))
				return "a removed partition other than DLMP overlaps a kept one other "
				       "than MFS";
			*ov_start = s;
			*ov_end = e;
		}
	}
	if (n != 1)
		return "not exactly one removed/kept partition overlap";
	if (in_size != out_size || *ov_end > out_size)
		return "output size differs from the input";
	bool all_ff = true;
	for (uint64_t i = *ov_start; i < *ov_end; i++)
		all_ff &= in[i] == 0xff;
	if (all_ff)
		return "the overlap is all 0xff in the input: nothing to keep, must match";
	if (memcmp(out + *ov_start, in + *ov_start, *ov_end - *ov_start))
		return "the overlap bytes are not the input's";
	uint8_t *mc = malloc(out_size);
	if (!mc)
		return "out of memory";
	memcpy(mc, out, out_size);
	memset(mc + *ov_start, 0xff, *ov_end - *ov_start);
	corpus_sha256_hex(mc, out_size, got);
	free(mc);
	if (!expected_sha(r, "out.bin", want) || strcmp(got, want))
		return "outside the overlap the output differs from me_cleaner's";
	return NULL;
}

static void run_row(const struct tsv_row *r, struct tally *t)
{
	char path[256];
	snprintf(path, sizeof(path), "images/%s", r->image);
	size_t size = 0;
	uint8_t *data = corpus_read(path, &size);
	if (!data) {
		printf("%-52s %-14s SKIP (cannot read)\n", r->image, r->run);
		t->skipped++;
		return;
	}
	struct amt_neutralize_opts o;
	flags_to_opts(r->flags, &o);
	struct amt_neutralization *res = NULL;
	amt_error err;
	amt_status st = amt_neutralize(data, size, &o, &res, &err);
	assert_non_null(res);
	const struct amt_plan *pl = &res->plan;
	bool ref = reference_ok(r);
	/* ME 6 Ignition: wiping the whole region is intended (README) */
	bool ignition = strstr(r->image, "_IGN_") != NULL && r->exit_code == 0;
	/* Known me_cleaner breakage that its check does not see (README):
	 * generation-1 bare regions exit 0 unchanged; we refuse instead. */
	bool g1_bare = ref && is_g1_bare_region(r);
	if (g1_bare)
		ref = false;
	/* ME 11.8 (x210) -w MFS: DLMP (removed) overlaps the first 4 KiB of
	 * MFS, which the user keeps; me_cleaner erases them, we keep them.
	 * (-k gives me_cleaner's bytes: DLMP only overlaps the unused end of
	 * FTPR's $FPT range, none of its $CPD content.) */
	bool deviation = ref && strstr(r->image, "11.8.82.3838_x210") && !strcmp(r->run, "f_w");
	if (deviation)
		ref = false;
	const char *verdict;

	if (o.check_only) {
		/* -c: no output; we must agree on accept/refuse of the input
		 * where me_cleaner could tell (exit 0 = accepted) */
		verdict = st == AMT_OK ? "check ok" : "check refused";
		if ((st == AMT_OK) == (r->exit_code == 0) || r->exit_code != 0)
			t->refused_ok += st != AMT_OK, t->verified_ok += st == AMT_OK;
		else
			t->bad++;
		printf("%-52s %-14s me_cleaner=%d  %s\n", r->image, r->run, r->exit_code, verdict);
		amt_neutralization_free(res);
		free(data);
		return;
	}
	if (st != AMT_OK && st != AMT_E_VERIFY) {
		char in_sha[65], want[65];
		if (ref || ignition || deviation) {
			t->mismatch++;
			verdict = "MISMATCH (refused)";
		} else if (g1_bare) {
			/* the reason to differ: me_cleaner wrote the input back */
			corpus_sha256_hex(data, size, in_sha);
			if (expected_sha(r, "out.bin", want) && !strcmp(in_sha, want)) {
				t->deliberate++;
				verdict = "refused (deliberate: me_cleaner writes it back unchanged)";
			} else {
				t->bad++;
				verdict = "WRONG: refused, but me_cleaner did change this bare region";
			}
		} else {
			t->refused_ok++;
			verdict = "refused";
		}
		printf("%-52s %-14s me_cleaner=%d  %s: %s\n", r->image, r->run, r->exit_code, verdict,
		       err.message);
		amt_neutralization_free(res);
		free(data);
		return;
	}
	/* the bytes of the plan, verified or not (the library hands back only
	 * verified ones) */
	amt_status vst = st;
	uint8_t *out = NULL;
	size_t out_size = 0;
	amt_error e2;
	assert_int_equal(amt_plan_apply(pl, data, size, &out, &out_size, &e2), AMT_OK);
	if (vst == AMT_OK)
		assert_memory_equal(out, res->out, out_size);

	char got[65], want[65];
	bool all_match = true, any = false;
	corpus_sha256_hex(out, out_size, got);
	if (expected_sha(r, "out.bin", want)) {
		any = true;
		all_match &= !strcmp(got, want);
	}
	if (res->descriptor) {
		corpus_sha256_hex(res->descriptor, res->descriptor_size, got);
		if (expected_sha(r, "desc.bin", want))
			all_match &= !strcmp(got, want);
	} else if (pl->has_desc_extract && expected_sha(r, "desc.bin", want)) {
		all_match = false;
	}
	if (res->me) {
		corpus_sha256_hex(res->me, res->me_size, got);
		if (expected_sha(r, "me.bin", want))
			all_match &= !strcmp(got, want);
	} else if (pl->has_me_extract && expected_sha(r, "me.bin", want)) {
		all_match = false;
	}
	if (g1_bare) {
		t->bad++;
		verdict = "WRONG: a generation 1 bare region must be refused";
	} else if (deviation) {
		uint64_t os, oe;
		const char *why = check_kept_overlap(r, pl, data, size, out, out_size, &os, &oe);
		if (!why && vst == AMT_OK) {
			t->deliberate++;
			printf("%-52s %-14s me_cleaner=%d  deliberate: only 0x%llx-0x%llx (DLMP inside "
			       "MFS) differs: the input's bytes kept, me_cleaner erases them\n",
			       r->image, r->run, r->exit_code, (unsigned long long)os,
			       (unsigned long long)oe);
			free(out);
			amt_neutralization_free(res);
			free(data);
			return;
		}
		t->mismatch++;
		verdict = why ? why : "MISMATCH: our verification refuses it";
	} else if (ref || ignition) {
		if (any && all_match && vst == AMT_OK) {
			t->match++;
			verdict = "MATCH";
		} else if (any && all_match) {
			/* same bytes, but our verification refuses: a finding */
			t->mismatch++;
			verdict = "MATCH but verify refused";
		} else {
			t->mismatch++;
			verdict = "MISMATCH";
		}
	} else if (vst == AMT_OK) {
		t->verified_ok++;
		verdict = "written, verified";
	} else {
		t->refused_ok++;
		verdict = "verification refused it";
	}
	printf("%-52s %-14s me_cleaner=%d  %s%s%s\n", r->image, r->run, r->exit_code, verdict,
	       vst != AMT_OK ? ": " : "", vst != AMT_OK ? err.message : "");
	free(out);
	amt_neutralization_free(res);
	free(data);
}

static void test_me_cleaner_reference(void **state)
{
	(void)state;
	const char *dir = corpus_dir();
	if (!dir) {
		printf("AMTLESS_CORPUS is not set: skipping the me_cleaner corpus suite\n");
		skip();
	}
	char path[512];
	snprintf(path, sizeof(path), "%s/reference/me_cleaner.tsv", dir);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[2048];
	struct tally t = { 0 };
	const char *only = getenv("AMTLESS_MC_ONLY");
	bool header = true;
	while (fgets(line, sizeof(line), f)) {
		if (header) {
			header = false;
			continue;
		}
		struct tsv_row r;
		char code[8];
		corpus_field(line, 0, r.image, sizeof(r.image));
		corpus_field(line, 1, r.run, sizeof(r.run));
		corpus_field(line, 2, r.flags, sizeof(r.flags));
		corpus_field(line, 3, code, sizeof(code));
		corpus_field(line, 4, r.outputs, sizeof(r.outputs));
		corpus_field(line, 5, r.checks, sizeof(r.checks));
		r.exit_code = atoi(code);
		if (only && !strstr(r.image, only))
			continue;
		run_row(&r, &t);
	}
	fclose(f);
	printf("\nme_cleaner parity: %d rows byte-identical, %d deliberate differences (asserted), "
	       "%d mismatches; other rows: %d refused, %d written and verified; %d wrong; "
	       "%d skipped\n",
	       t.match, t.deliberate, t.mismatch, t.refused_ok, t.verified_ok, t.bad, t.skipped);
	assert_int_equal(t.mismatch, 0);
	assert_int_equal(t.bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_me_cleaner_reference),
	};
	return corpus_only_run(tests, NULL, NULL);
}
