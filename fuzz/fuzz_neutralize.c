/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness: neutralize, plan -> apply -> verify, on arbitrary
 * bytes with every option combination. The first two input bytes choose
 * the options (me_cleaner compatible or native, -S, -s, -k, -r, -t, -d,
 * region shrinking, -D/-M extracts, a white/blacklist); the rest is the
 * image. Checks:
 *  - a failed plan leaves a clear error;
 *  - every edit lies inside the output; apply and apply-in-place give the
 *    same bytes of the planned size; amt_plan_read agrees with them;
 *  - verify ends with AMT_OK or AMT_E_VERIFY and a report, and a result
 *    verified as sound parses again;
 *  - extracts (when asked for) lie inside the output.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amtless/image.h>
#include <amtless/neutralize.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_neutralize: %s%s%.250s\n", what, detail ? ": " : "",
		detail ? detail : "");
	abort();
}

static void check_err(amt_status st, const amt_error *err)
{
	if (st == AMT_OK || err->code != st)
		fail("error code does not match the status", err->message);
	if (!memchr(err->message, 0, sizeof(err->message)) || !err->message[0])
		fail("empty or unterminated error message", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	uint16_t sel = (uint16_t)(data[0] | (data[1] << 8));
	data += 2;
	size -= 2;

	struct amt_neutralize_opts o;
	amt_neutralize_opts_init(&o);
	o.me_cleaner_compat = sel & 1;
	o.set_disable_bit = (sel >> 1) & 1;
	o.disable_bit_only = ((sel >> 2) & 3) == 3;
	o.keep_modules = (sel >> 4) & 1;
	o.relocate = (sel >> 5) & 1;
	o.truncate = (sel >> 6) & 1;
	o.fix_master = (sel >> 7) & 1;
	o.shrink_region = !o.me_cleaner_compat && ((sel >> 8) & 1);
	o.want_descriptor = (sel >> 9) & 1;
	o.want_me = (sel >> 10) & 1;
	o.check_only = ((sel >> 11) & 7) == 7;
	amt_error err;
	amt_error_clear(&err);
	switch ((sel >> 14) & 3) {
	case 1:
		if (amt_neutralize_parse_list(&o, false, "FTPR,NFTP,LOCL", &err) != AMT_OK)
			fail("whitelist refused", err.message);
		break;
	case 2:
		if (amt_neutralize_parse_list(&o, true, "WCOD,LOCL,NFTP", &err) != AMT_OK)
			fail("blacklist refused", err.message);
		break;
	default:
		break;
	}

	struct amt_parse_opts po;
	amt_parse_opts_init(&po);
	po.verify_signatures = false; /* the planner's verify step checks RSA */
	struct amt_image *img = NULL;
	amt_status st = amt_image_parse(data, size, &po, &img, &err);
	if (st != AMT_OK && !o.me_cleaner_compat)
		return 0; /* native mode needs a model */

	struct amt_plan plan;
	memset(&plan, 0, sizeof(plan));
	amt_error_clear(&err);
	st = amt_neutralize_plan(data, size, img, &o, &plan, &err);
	if (st != AMT_OK) {
		check_err(st, &err);
		amt_plan_free(&plan);
		amt_image_free(img);
		return 0;
	}
	if (plan.in_size != size)
		fail("plan.in_size differs from the input size", NULL);
	if (plan.out_size > (uint64_t)size + (1u << 26))
		fail("planned output is absurdly large", NULL);
	for (size_t i = 0; i < plan.nedits; i++) {
		const struct amt_edit *e = &plan.edits[i];
		if (!memchr(e->reason, 0, sizeof(e->reason)))
			fail("unterminated edit reason", NULL);
		if (e->kind == AMT_EDIT_RESIZE)
			continue;
		if (e->offset > plan.out_size || e->length > plan.out_size - e->offset)
			fail("an edit lies outside the output", e->reason);
		if (e->kind == AMT_EDIT_MOVE &&
		    (e->src > size || e->length > size - e->src))
			fail("a move reads outside the input", e->reason);
	}

	uint8_t *out = NULL;
	size_t out_size = 0;
	st = amt_plan_apply(&plan, data, size, &out, &out_size, &err);
	if (st != AMT_OK) {
		check_err(st, &err);
		goto done;
	}
	if (out_size != plan.out_size)
		fail("output size differs from the plan", NULL);

	/* in place on a private copy: the same bytes */
	uint8_t *buf = malloc(size);
	if (!buf)
		goto done;
	memcpy(buf, data, size);
	size_t bsize = size;
	/* A kept range outside the input is a planner bug (reported: the
	 * me_cleaner-compatible planner on truncated images); what must hold
	 * whatever the plan is that such an output never verifies. */
	bool bad_kept = amt_plan_snapshot(&plan, buf, size, &err) != AMT_OK;
	st = amt_plan_apply_inplace(&plan, &buf, &bsize, &err);
	if (st != AMT_OK)
		fail("apply in place failed where apply succeeded", err.message);
	if (bsize != out_size || memcmp(buf, out, out_size) != 0)
		fail("apply and apply in place disagree", NULL);
	free(buf);

	/* amt_plan_read over a few windows */
	uint8_t win[64];
	for (uint64_t off = 0; off < out_size; off += out_size / 7 + 1) {
		size_t len = out_size - off < sizeof(win) ? (size_t)(out_size - off) : sizeof(win);
		amt_plan_read(&plan, data, size, off, win, len);
		if (memcmp(win, out + off, len) != 0)
			fail("amt_plan_read disagrees with the applied output", NULL);
	}

	struct amt_neutralize_report rep;
	memset(&rep, 0, sizeof(rep));
	amt_error_clear(&err);
	st = amt_neutralize_verify(&plan, &o, out, out_size, &rep, &err);
	if (st != AMT_OK && st != AMT_E_VERIFY)
		check_err(st, &err);
	if (st == AMT_E_VERIFY && rep.nfailures == 0)
		fail("verification failed without a listed failure", err.message);
	if (st == AMT_OK && bad_kept)
		fail("an output whose kept ranges lie outside the input verified as sound", NULL);
	if (st == AMT_OK && rep.nfailures != 0)
		fail("verified as sound with failures listed", rep.failures[0]);
	/* (me_cleaner mode also takes inputs amt_image_parse refuses: then
	 * the output need not parse either) */
	/* (an ME 6 Ignition or gen 1 region is wiped whole: nothing to parse) */
	if (st == AMT_OK && !o.check_only && out_size > 0 && img && !plan.ignition_wiped &&
	    !plan.gen1_wiped) {
		struct amt_image *again = NULL;
		amt_error e2;
		if (amt_image_parse(out, out_size, &po, &again, &e2) != AMT_OK)
			fail("output verified as sound does not parse", e2.message);
		amt_image_free(again);
	}
	if (o.want_descriptor && plan.has_desc_extract) {
		uint8_t *x = NULL;
		size_t xl = 0;
		if (amt_plan_extract_descriptor(&plan, out, out_size, &x, &xl, &err) == AMT_OK &&
		    xl > out_size)
			fail("descriptor extract larger than the output", NULL);
		free(x);
	}
	if (o.want_me && plan.has_me_extract) {
		uint8_t *x = NULL;
		size_t xl = 0;
		if (amt_plan_extract_me(&plan, out, out_size, &x, &xl, &err) == AMT_OK &&
		    xl > out_size)
			fail("ME extract larger than the output", NULL);
		free(x);
	}
done:
	free(out);
	amt_plan_free(&plan);
	amt_image_free(img);
	return 0;
}
