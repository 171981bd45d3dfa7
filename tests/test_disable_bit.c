/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The disable bit alone, as ifdtool offers it (-M 1 / -M 0), through the
 * one pipeline: set on a flash descriptor file alone (descriptor.bin, as
 * coreboot and Dasharo ship it), cleared on a descriptor alone and on a
 * full image (re-enabling the ME). Expectations come from the sources,
 * never from the code's table: the absolute byte whose bit holds the
 * disable bit, for FPSBA 0x100, is what Dasharo's intelblocks/me_*.h
 * HAP_OFFSET, me_cleaner.py and coreboot's ifdtool name (the same table
 * test_platform.c writes down); a round trip must give the input back
 * byte for byte, and the only byte that differs in between is that one.
 */
#include <stddef.h>

#include <amtless/neutralize.h>
#include <amtless/verify.h>

#include "testutil.h"
#include "build_ifd.h"
#include "build_neutralize.h"
#include "corpus_split.h"

/* ---- helpers ------------------------------------------------------------ */

static void op_opts(struct amt_neutralize_opts *o, amt_neu_operation op)
{
	amt_neutralize_opts_init(o);
	o->operation = op;
}

/* amt_neutralize with op on d/n: the output (malloc'ed, n bytes). */
static uint8_t *run_op(const uint8_t *d, size_t n, amt_neu_operation op, struct amt_plan *p)
{
	struct amt_neutralize_opts o;
	op_opts(&o, op);
	size_t on = 0;
	struct amt_plan plan;
	uint8_t *out = tu_neutralize_ok(d, n, &o, &plan, &on, NULL);
	assert_int_equal(on, n);
	if (p)
		*p = plan;
	else
		amt_plan_release(&plan);
	return out;
}

/* a and b (n bytes) differ in exactly one bit: at byte `at`, mask `m`. */
static void assert_one_bit(const uint8_t *a, const uint8_t *b, size_t n, uint64_t at, uint8_t m)
{
	size_t ndiff = 0;
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i]) {
			ndiff++;
			if (i != at)
				fail_msg("byte 0x%zx changed (0x%02x -> 0x%02x); only 0x%llx may",
					 i, a[i], b[i], (unsigned long long)at);
		}
	assert_int_equal(ndiff, 1);
	assert_int_equal(a[at] ^ b[at], m);
}

/* Set, then clear: one bit set at `at`/`m` in between, the input back
 * byte for byte at the end. */
static void round_trip(const uint8_t *d, size_t n, uint64_t at, uint8_t m, amt_input_kind kind)
{
	assert_int_equal(d[at] & m, 0);   /* stock: clear */
	struct amt_plan p;
	uint8_t *set = run_op(d, n, AMT_NEU_OP_SET_DISABLE_BIT, &p);
	assert_int_equal(p.kind, kind);
	assert_true(p.disable_known);
	assert_int_equal(p.disable_before, AMT_NO);
	assert_int_equal(p.disable_after, AMT_YES);
	assert_one_bit(d, set, n, at, m);
	amt_plan_release(&p);
	uint8_t *clr = run_op(set, n, AMT_NEU_OP_CLEAR_DISABLE_BIT, &p);
	assert_int_equal(p.disable_before, AMT_YES);
	assert_int_equal(p.disable_after, AMT_NO);
	assert_non_null(tu_event(&p, AMT_EV_CLEAR_DISABLE, NULL));
	assert_memory_equal(clr, d, n);
	amt_plan_release(&p);
	/* clearing a clear bit: nothing to change */
	uint8_t *again = run_op(d, n, AMT_NEU_OP_CLEAR_DISABLE_BIT, NULL);
	assert_memory_equal(again, d, n);
	free(again);
	free(set);
	free(clr);
}

/* amt_neutralize with op fails with st and reason. */
static void assert_refused(const uint8_t *d, size_t n, const struct amt_neutralize_opts *o,
			   amt_status st, amt_reason why)
{
	struct amt_neutralization *res = NULL;
	amt_error err;
	amt_status got = amt_neutralize(d, n, o, &res, &err);
	if (got != st || err.reason != why)
		fail_msg("status %d reason %d (%s), want %d / %d", got, err.reason, err.message, st,
			 why);
	assert_true(err.message[0] != '\0');
	if (res) {
		assert_null(res->out);
		assert_int_equal(res->plan.nedits, 0);
	}
	amt_neutralization_free(res);
}

static struct tb_buf plat(const char *key)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	assert_true(tb_ifd_platform_straps(&o, key));
	return tb_ifd_build(&o);
}

/* ---- real descriptors and images ------------------------------------------ */

/* The byte of the disable bit per board, from the sources (absolute, the
 * descriptor at 0 with FPSBA 0x100), and its mask. */
static const struct real {
	const char *name;
	uint64_t byte;
	uint8_t mask;
	amt_input_kind kind;
	const char *why;
} reals[] = {
	{ "ifd_g3_adl-n_vp2430_dasharo.bin", 0x17E, 0x01, AMT_KIND_DESCRIPTOR_ONLY,
	  "Protectli VP2430 (ADL-N): Dasharo me_16.h ALDERLAKE_PCH_N 0x17E" },
	{ "ifd_g3_tgl-lp_galp5_heads.bin", 0x17E, 0x01, AMT_KIND_DESCRIPTOR_ONLY,
	  "System76 galp5 (TGL-LP): Dasharo me_15.h TIGERLAKE 0x17E" },
	{ "ifd_g3_mtl_nuc-box_dasharo.bin", 0x21E, 0x01, AMT_KIND_DESCRIPTOR_ONLY,
	  "NovaCustom NUC BOX (MTL, 16 KiB descriptor): Dasharo me_18.h METEORLAKE_U_H 0x21E" },
	{ "ifd_g3_jsl_v1210_dasharo.bin", 0x16A, 0x01, AMT_KIND_DESCRIPTOR_ONLY,
	  "Protectli V1210 (JSL): Dasharo me_13.h JASPERLAKE 0x16A" },
	{ "ifd_g3_adl_ms7d25_dasharo.bin", 0x1DE, 0x01, AMT_KIND_DESCRIPTOR_ONLY,
	  "MSI Z690 (ADL-S): Dasharo me_16.h ALDERLAKE_PCH_S 0x1DE" },
	{ "ifd_g3_cml_darp6_bluecmd.rom", 0x172, 0x01, AMT_KIND_DESCRIPTOR_ONLY,
	  "System76 darp6 (CML-U): Dasharo me_12.h COMETLAKE_1/2 0x172" },
	{ "DERIVED-full_csme16_ms7d25.bin", 0x1DE, 0x01, AMT_KIND_FULL,
	  "CSME 16.1 full image, MSI Z690: me_16.h 0x1DE" },
	{ "DERIVED-full_csme14_darp6.bin", 0x172, 0x01, AMT_KIND_FULL,
	  "CSME 14.0 full image, darp6: me_12.h 0x172" },
	{ "DERIVED-full_me11.8.82.3838_x210.bin", 0x102, 0x01, AMT_KIND_FULL,
	  "ME 11.8 full image: me_cleaner.py PCHSTRP0 bit 16" },
	{ "DERIVED-full_me8.0.20.1513_link.bin", 0x128, 0x80, AMT_KIND_FULL,
	  "ME 8 full image: me_cleaner.py / ifdtool PCHSTRP10 bit 7 (AltMeDisable)" },
	{ "DERIVED-full_txe2.0.4.3098_fbg1701.bin", 0x128, 0x80, AMT_KIND_FULL,
	  "TXE 2 full image: me_cleaner.py PCHSTRP10 bit 7" },
};

static void test_corpus_round_trip(void **state)
{
	(void)state;
	if (!getenv("AMTLESS_CORPUS")) {
		print_message("AMTLESS_CORPUS not set: skipping the real descriptors and images\n");
		skip();
	}
	for (size_t i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
		size_t n;
		uint8_t *d = tu_corpus_image(reals[i].name, &n);
		assert_non_null(d);
		print_message("  %s\n", reals[i].why);
		round_trip(d, n, reals[i].byte, reals[i].mask, reals[i].kind);
		free(d);
	}
}

/* The ICH9 descriptor of libreboot's T400: MeDisable already set in both
 * straps (ICHSTRP0 bit 0 at 0x100, MCHSTRP0 bit 0 at 0x200) and the ME
 * region disabled: setting changes nothing, clearing is refused (no ME
 * firmware would be read at boot). */
static void test_corpus_ich_disabled(void **state)
{
	(void)state;
	if (!getenv("AMTLESS_CORPUS"))
		skip();
	size_t n;
	uint8_t *d = tu_corpus_image("ifd_g1_t400-8MB-ich9gen_john-sb312.bin", &n);
	assert_non_null(d);
	assert_int_equal(d[0x100] & 1, 1);
	assert_int_equal(d[0x200] & 1, 1);
	uint8_t *out = run_op(d, n, AMT_NEU_OP_SET_DISABLE_BIT, NULL);
	assert_memory_equal(out, d, n);
	free(out);
	struct amt_neutralize_opts o;
	op_opts(&o, AMT_NEU_OP_CLEAR_DISABLE_BIT);
	assert_refused(d, n, &o, AMT_E_REFUSED, AMT_R_ENABLE_NO_FIRMWARE);
	free(d);
}

/* A neutralized image (modules removed) is never re-enabled; the stock
 * one is, after its bit was set (the bit alone: nothing else differs). */
static void test_corpus_stripped_refused(void **state)
{
	(void)state;
	if (!getenv("AMTLESS_CORPUS"))
		skip();
	size_t n;
	uint8_t *d = tu_corpus_image("DERIVED-full_me11.8.82.3838_x210.bin", &n);
	assert_non_null(d);
	struct amt_neutralize_opts o;
	amt_neutralize_opts_init(&o);
	o.set_disable_bit = true;
	struct amt_plan p;
	size_t on;
	uint8_t *clean = tu_neutralize_ok(d, n, &o, &p, &on, NULL);
	amt_plan_release(&p);
	op_opts(&o, AMT_NEU_OP_CLEAR_DISABLE_BIT);
	assert_refused(clean, on, &o, AMT_E_REFUSED, AMT_R_ENABLE_NO_FIRMWARE);
	/* the platform contradicting the firmware (ME 11 named Apollo Lake) */
	o.platform = AMT_PLAT_APL_GLK;
	assert_refused(d, n, &o, AMT_E_PLATFORM, AMT_R_PLATFORM_MISMATCH);
	free(clean);
	free(d);
}

/* ---- synthetic descriptors: every row with a public location ---------------- */

/* Absolute byte (FPSBA 0x100) and mask per key, from the sources (see
 * test_platform.c's table of expectations). */
static const struct syn {
	const char *key;
	uint64_t byte;
	uint8_t mask;
} syns[] = {
	{ "spt", 0x102, 0x01 },     /* me_cleaner.py gen 3 */
	{ "cnp-lp", 0x172, 0x01 },  /* me_12.h COMETLAKE_1/2 */
	{ "cnp-h", 0x182, 0x01 },   /* me_12.h COMETLAKE_S */
	{ "jsp", 0x16A, 0x01 },     /* me_13.h JASPERLAKE */
	{ "tgp-lp", 0x17E, 0x01 },  /* me_15.h TIGERLAKE */
	{ "tgp-h", 0x196, 0x01 },   /* me_15.h TIGERLAKE_PCH_H */
	{ "mcc", 0x186, 0x01 },     /* me_15.h ELKHARTLAKE */
	{ "adp-p", 0x17E, 0x01 },   /* me_16.h ALDERLAKE_PCH_P */
	{ "adp-n", 0x17E, 0x01 },   /* me_16.h ALDERLAKE_PCH_N */
	{ "adp-s", 0x1DE, 0x01 },   /* me_16.h ALDERLAKE_PCH_S */
	{ "mtl", 0x21E, 0x01 },     /* me_18.h METEORLAKE_U_H */
};

static void test_synthetic_round_trip(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(syns) / sizeof(syns[0]); i++) {
		struct tb_buf b = plat(syns[i].key);
		round_trip(b.data, b.size, syns[i].byte, syns[i].mask, AMT_KIND_DESCRIPTOR_ONLY);
		tb_free(&b);
	}
}

/* A generation 2 full image (ME 8 on a Panther Point descriptor): set,
 * clear, byte for byte; the set through the full-image path. */
static void test_synthetic_full_image(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf r = tn_gen2_region(8, &g);
	struct tb_buf f = tn_full_image(&r, 1, "ibx", 0x200000);
	/* AltMeDisable: PCHSTRP10 bit 7 (me_cleaner.py, ifdtool) */
	round_trip(f.data, f.size, 0x128, 0x80, AMT_KIND_FULL);
	/* the ME 8 firmware on a platform named HAP (Sunrise Point): refused */
	struct amt_neutralize_opts o;
	op_opts(&o, AMT_NEU_OP_CLEAR_DISABLE_BIT);
	o.platform = AMT_PLAT_SPT_KBP;
	assert_refused(f.data, f.size, &o, AMT_E_PLATFORM, AMT_R_PLATFORM_MISMATCH);
	/* a bare ME region has no disable bit */
	op_opts(&o, AMT_NEU_OP_CLEAR_DISABLE_BIT);
	assert_refused(r.data, r.size, &o, AMT_E_ARG, AMT_R_OPT_NEEDS_FULL_IMAGE);
	tb_free(&f);
	tb_free(&r);
}

/* ---- refusals --------------------------------------------------------------- */

static void test_refusals(void **state)
{
	(void)state;
	struct amt_neutralize_opts o;

	/* no row fits (an IFDv2 geometry no source lists, no strap pattern):
	 * refused for both, and the expert override places it, UNVERIFIED */
	struct tb_ifd_opts io;
	tb_ifd_defaults(&io, 2);
	assert_true(tb_ifd_platform_geometry(&io, "dnv"));
	struct tb_buf b = tb_ifd_build(&io);
	for (int op = AMT_NEU_OP_SET_DISABLE_BIT; op <= AMT_NEU_OP_CLEAR_DISABLE_BIT; op++) {
		op_opts(&o, (amt_neu_operation)op);
		assert_refused(b.data, b.size, &o, AMT_E_PLATFORM, AMT_R_PLATFORM_UNKNOWN);
	}
	op_opts(&o, AMT_NEU_OP_SET_DISABLE_BIT);
	o.hap_override = (struct amt_hap_override){ .set = true, .strap = 20, .bit = 16 };
	struct amt_plan p;
	size_t on;
	uint8_t *out = tu_neutralize_ok(b.data, b.size, &o, &p, &on, NULL);
	assert_one_bit(b.data, out, b.size, 0x100 + 20 * 4 + 2, 0x01);
	assert_non_null(tu_event(&p, AMT_EV_WARN_EXPERT_OVERRIDE, "PCHSTRP20"));
	amt_plan_release(&p);
	o.operation = AMT_NEU_OP_CLEAR_DISABLE_BIT;
	uint8_t *back = tu_neutralize_ok(out, on, &o, &p, &on, NULL);
	assert_memory_equal(back, b.data, b.size);
	amt_plan_release(&p);
	free(out);
	free(back);
	tb_free(&b);

	/* the newest platforms: named, refused, never a guessed strap */
	static const char *const newest[] = { "arl-s", "lnl", "ptl", "nvl" };
	for (size_t i = 0; i < sizeof(newest) / sizeof(newest[0]); i++) {
		b = plat(newest[i]);
		for (int op = AMT_NEU_OP_SET_DISABLE_BIT; op <= AMT_NEU_OP_CLEAR_DISABLE_BIT; op++) {
			op_opts(&o, (amt_neu_operation)op);
			assert_refused(b.data, b.size, &o, AMT_E_PLATFORM, AMT_R_PLATFORM_NO_SOURCE);
		}
		tb_free(&b);
	}

	/* a signed descriptor whose hash covers the bit (PCHSTRP55, byte
	 * 0x1DE): refused unless allowed; inside an exclusion range: fine */
	b = plat("adp-s");
	b.data[0x1DE] |= 1;
	uint16_t s0 = 0x80, e0 = 0xA0;
	tb_ifd_add_fdv(&b, 0, 1, &s0, &e0);
	op_opts(&o, AMT_NEU_OP_CLEAR_DISABLE_BIT);
	assert_refused(b.data, b.size, &o, AMT_E_REFUSED, AMT_R_SIGNED_DESCRIPTOR);
	o.allow_signed_descriptor = true;
	out = tu_neutralize_ok(b.data, b.size, &o, &p, &on, NULL);
	assert_one_bit(b.data, out, b.size, 0x1DE, 0x01);
	assert_non_null(tu_event(&p, AMT_EV_WARN_FDV_BROKEN, "PCHSTRP55"));
	amt_plan_release(&p);
	free(out);
	uint16_t s1[2] = { 0x80, 0x1D0 }, e1[2] = { 0xA0, 0x1E0 };
	tb_ifd_add_fdv(&b, 0, 2, s1, e1);
	op_opts(&o, AMT_NEU_OP_CLEAR_DISABLE_BIT);
	out = tu_neutralize_ok(b.data, b.size, &o, &p, &on, NULL);
	assert_one_bit(b.data, out, b.size, 0x1DE, 0x01);
	assert_non_null(tu_event(&p, AMT_EV_WARN_FDV_EXCLUDED, "PCHSTRP55"));
	amt_plan_release(&p);
	free(out);

	/* clearing changes nothing else: every other edit option is refused */
	op_opts(&o, AMT_NEU_OP_CLEAR_DISABLE_BIT);
	o.relocate = true;
	assert_refused(b.data, b.size, &o, AMT_E_ARG, AMT_R_OPT_CONFLICT);
	op_opts(&o, AMT_NEU_OP_CLEAR_DISABLE_BIT);
	o.set_disable_bit = true;
	assert_refused(b.data, b.size, &o, AMT_E_ARG, AMT_R_OPT_CONFLICT);
	op_opts(&o, AMT_NEU_OP_CLEAR_DISABLE_BIT);
	o.fix_master = true;
	assert_refused(b.data, b.size, &o, AMT_E_ARG, AMT_R_OPT_CONFLICT);
	/* me_cleaner has no such operation */
	op_opts(&o, AMT_NEU_OP_CLEAR_DISABLE_BIT);
	o.policy = AMT_NEU_ME_CLEANER;
	assert_refused(b.data, b.size, &o, AMT_E_ARG, AMT_R_OPT_NOT_OFFERED);
	tb_free(&b);

	/* a descriptor alone: the default neutralization (removal) is still
	 * refused; the bit alone is the way */
	b = plat("adp-p");
	amt_neutralize_opts_init(&o);
	o.set_disable_bit = true;
	assert_refused(b.data, b.size, &o, AMT_E_UNKNOWN, AMT_R_DESCRIPTOR_ONLY);
	tb_free(&b);
}

/* ---- the options' ABI ------------------------------------------------------- */

static void test_opts_abi(void **state)
{
	(void)state;
	struct tb_buf b = plat("adp-p");
	struct amt_neutralize_opts o;
	struct amt_neutralization *res = NULL;
	amt_error err;
	/* a caller of the first version: its struct ends before `operation`
	 * (whatever lies there is not read): the default operation */
	amt_neutralize_opts_init(&o);
	o.struct_size = offsetof(struct amt_neutralize_opts, operation);
	o.operation = AMT_NEU_OP_CLEAR_DISABLE_BIT;
	o.disable_bit_only = true;
	assert_int_equal(amt_neutralize(b.data, b.size, &o, &res, &err), AMT_OK);
	assert_true(res->changed);
	assert_int_equal(res->plan.disable_after, AMT_YES);
	assert_int_equal(res->out[0x17E] & 1, 1);
	amt_neutralization_free(res);
	/* too short, or an operation this version does not know */
	o.struct_size = offsetof(struct amt_neutralize_opts, operation) - 1;
	res = NULL;
	assert_int_equal(amt_neutralize(b.data, b.size, &o, &res, &err), AMT_E_ARG);
	assert_null(res);
	amt_neutralize_opts_init(&o);
	o.operation = (amt_neu_operation)7;
	assert_int_equal(amt_neutralize(b.data, b.size, &o, &res, &err), AMT_E_ARG);
	assert_null(res);
	tb_free(&b);
}

/* ---- the verifier, on outputs it did not plan ------------------------------ */

static void test_verifier_follows_operation(void **state)
{
	(void)state;
	struct tb_buf b = plat("tgp-h");
	b.data[0x196] |= 1;            /* HAP set: PCHSTRP37 bit 16 (me_15.h 0x196) */
	struct amt_neutralize_opts o;
	op_opts(&o, AMT_NEU_OP_CLEAR_DISABLE_BIT);
	struct amt_report *r = NULL;
	uint8_t *out = malloc(b.size);
	assert_non_null(out);

	/* the right output */
	memcpy(out, b.data, b.size);
	out[0x196] &= 0xFE;
	assert_int_equal(tu_verify(b.data, b.size, &o, out, b.size, &r), AMT_OK);
	assert_int_equal(r->disable_bit, AMT_NO);
	amt_report_free(r);
	/* the bit left set */
	memcpy(out, b.data, b.size);
	assert_int_equal(tu_verify(b.data, b.size, &o, out, b.size, &r), AMT_E_VERIFY);
	assert_true(tu_finding(r, AMT_F_DISABLE_BIT));
	amt_report_free(r);
	/* cleared, and another bit of the same byte changed */
	memcpy(out, b.data, b.size);
	out[0x196] = (uint8_t)((out[0x196] & 0xFE) ^ 0x02);
	assert_int_equal(tu_verify(b.data, b.size, &o, out, b.size, &r), AMT_E_VERIFY);
	assert_true(tu_finding(r, AMT_F_DIFF_BOUND));
	amt_report_free(r);
	/* cleared, and a byte far from the straps changed (an FLMSTR) */
	memcpy(out, b.data, b.size);
	out[0x196] &= 0xFE;
	out[0x84] ^= 0x10;
	assert_int_equal(tu_verify(b.data, b.size, &o, out, b.size, &r), AMT_E_VERIFY);
	assert_true(tu_finding(r, AMT_F_DIFF_BOUND));
	amt_report_free(r);
	/* a wrong bit "cleared": TGL-LP's place (0x17E) on a TGL-H descriptor */
	memcpy(out, b.data, b.size);
	out[0x17E] ^= 0x01;
	assert_int_equal(tu_verify(b.data, b.size, &o, out, b.size, &r), AMT_E_VERIFY);
	assert_true(tu_finding(r, AMT_F_DIFF_BOUND));
	assert_true(tu_finding(r, AMT_F_DISABLE_BIT));
	amt_report_free(r);
	free(out);
	tb_free(&b);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_round_trip),
		cmocka_unit_test(test_corpus_ich_disabled),
		cmocka_unit_test(test_corpus_stripped_refused),
		cmocka_unit_test(test_synthetic_round_trip),
		cmocka_unit_test(test_synthetic_full_image),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_opts_abi),
		cmocka_unit_test(test_verifier_follows_operation),
	};
	return corpus_split_run(tests, NULL, NULL, argc, argv);
}
