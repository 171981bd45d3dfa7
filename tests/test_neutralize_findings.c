/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Regression tests for the findings of the review "One model, one planner,
 * an independent verifier" (issue 9), each built with the test builders:
 *  1. two essential (ROMP/BUP) Huffman modules whose chunks overlap: the
 *     gen 2 removal wrote past an array (a heap overflow in a dry run);
 *  2. the verifier read back the planner's own offset and mask, so a wrong
 *     bit was "verified": the bit is now located from the output's own
 *     descriptor, and a platform contradicting the firmware is refused;
 *  3. a relocation whose Huffman stream starts before the new base wrote a
 *     wrapped value (0xffffec40) that both verifications accepted;
 *  4. descriptor regions that overlap (ME reaching into BIOS) were not
 *     refused, so removals could erase BIOS bytes;
 *  5. verify exited 0 on a stock image as on a neutralized one, and did
 *     not count a changed byte of a kept module;
 *  6. ME 6 Ignition: neutralize wrote an erased region that its own verify
 *     and inspect rejected.
 */
#include <amtless/neutralize.h>
#include <amtless/verify.h>

#include "testutil.h"
#include "build_cse.h"
#include "build_ifd.h"
#include "build_me.h"
#include "build_neutralize.h"
#include "build_sign.h"

static void compat(struct amt_neutralize_opts *o)
{
	amt_neutralize_opts_init(o);
	o->policy = AMT_NEU_ME_CLEANER;
}

/* 1 ----------------------------------------------------------------- */

static void test_overlapping_essential_huffman(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf b = tn_gen2_region(8, &g);
	/* ROMP and BUP: the same load base, each spanning every chunk */
	for (int i = 0; i < 2; i++) {
		uint8_t *h = b.data + g.mod_hdr[i];
		amt_wr32(h + 0x34, g.addr_base + 0x10000000u);
		amt_wr32(h + 0x3C, 0x7000);
	}
	tb_sign_manifest(b.data, b.size, g.man_off, AMT_MAN_R0);
	for (int pol = 0; pol < 2; pol++) {
		for (int rel = 0; rel < 2; rel++) {
			struct amt_neutralize_opts o;
			amt_neutralize_opts_init(&o);
			o.policy = pol ? AMT_NEU_ME_CLEANER : AMT_NEU_NATIVE;
			o.relocate = rel;
			struct amt_neutralization *res = NULL;
			amt_error err;
			/* under ASan: no write outside any array */
			amt_status st = amt_neutralize(b.data, b.size, &o, &res, &err);
			assert_non_null(res);
			if (st == AMT_OK) {
				/* every chunk is ROMP's or BUP's: nothing of them erased */
				for (int k = 0; k < TN_CHUNKS; k++)
					if (g.chunk_len[k])
						assert_memory_equal(res->out + g.chunk_off[k],
								    b.data + g.chunk_off[k], g.chunk_len[k]);
				const struct amt_event *e = tu_event(&res->plan, AMT_EV_MODULE, "BUP");
				assert_non_null(e);
				assert_true(amt_disposition_kept(e->disp));
			} else {
				assert_true(err.message[0] != 0);
			}
			amt_neutralization_free(res);
		}
	}
	tb_free(&b);
}

/* 2 ----------------------------------------------------------------- */

static void test_disable_bit_from_output_descriptor(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf r = tn_gen2_region(8, &g);
	struct tb_buf b = tn_full_image(&r, 1, NULL, 0x200000);
	struct amt_neutralize_opts o;
	amt_neutralize_opts_init(&o);
	o.set_disable_bit = true;
	struct amt_plan p;
	size_t n;
	uint8_t *out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, NULL);
	/* AltMeDisable: PCHSTRP10 bit 7, FPSBA 0x100 (build_ifd.c defaults) */
	assert_int_equal(out[0x128] & 0x80, 0x80);
	/* the same output with another strap bit set instead: the verifier
	 * reads PCHSTRP10 from the output's descriptor, not the plan */
	out[0x128] &= 0x7F;
	out[0x100] |= 0x01;
	struct amt_report *rep = NULL;
	assert_int_equal(tu_verify(b.data, b.size, &o, out, n, &rep), AMT_E_VERIFY);
	assert_true(tu_finding(rep, AMT_F_DISABLE_BIT));
	assert_true(tu_finding(rep, AMT_F_DIFF_BOUND));
	amt_report_free(rep);
	free(out);
	amt_plan_release(&p);

	/* ME 8 firmware named as an ME 11 platform (HAP): refused */
	o.platform = AMT_PLAT_SPT_KBP;
	struct amt_neutralization *res = NULL;
	amt_error err;
	assert_int_equal(amt_neutralize(b.data, b.size, &o, &res, &err), AMT_E_PLATFORM);
	assert_int_equal(err.reason, AMT_R_PLATFORM_MISMATCH);
	assert_null(res->out);
	assert_null(strstr(err.message, "--"));
	amt_neutralization_free(res);
	tb_free(&b);
	tb_free(&r);
}

/* 3 ----------------------------------------------------------------- */

static void test_relocation_never_wraps(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf b = tn_gen2_region(8, &g);
	/* the Huffman stream said to start at 0x800 of the region: FTPR moves
	 * down by more than that, so its new start would be negative */
	uint8_t *L = b.data + g.llut_off;
	uint32_t len = amt_rd32(L + 0x10), start = amt_rd32(L + 0x14);
	amt_wr32(L + 0x14, 0x800);
	amt_wr32(L + 0x10, len + start - 0x800);   /* the same end of stream */
	tb_sign_manifest(b.data, b.size, g.man_off, AMT_MAN_R0);
	for (int pol = 0; pol < 2; pol++) {
		struct amt_neutralize_opts o;
		amt_neutralize_opts_init(&o);
		o.policy = pol ? AMT_NEU_ME_CLEANER : AMT_NEU_NATIVE;
		o.relocate = true;
		struct amt_neutralization *res = NULL;
		amt_error err;
		assert_int_equal(amt_neutralize(b.data, b.size, &o, &res, &err), AMT_E_REFUSED);
		assert_int_equal(err.reason, AMT_R_RELOCATE_UNSAFE);
		assert_null(res->out);
		assert_int_equal(res->plan.nedits, 0);
		amt_neutralization_free(res);
	}
	tb_free(&b);

	/* a good relocation, then the wrapped value poked in: rejected */
	b = tn_gen2_region(8, &g);
	struct amt_neutralize_opts o;
	compat(&o);
	o.relocate = true;
	struct amt_plan p;
	size_t n;
	uint8_t *out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, NULL);
	uint64_t corr = (g.addr_base >> 8) & 0xFFFF;
	uint64_t want = (corr - g.llut_off - 0x40 + g.ftpr_off + 0x1F) & ~(uint64_t)0x1F;
	uint64_t nl = g.llut_off + want - g.ftpr_off;
	assert_memory_equal(out + nl, "LLUT", 4);
	amt_wr32(out + nl + 0x14, 0xffffec40u);
	struct amt_report *rep = NULL;
	assert_int_equal(tu_verify(b.data, b.size, &o, out, n, &rep), AMT_E_VERIFY);
	amt_report_free(rep);
	free(out);
	amt_plan_release(&p);
	tb_free(&b);
}

/* 4 ----------------------------------------------------------------- */

static void test_overlapping_regions_refused(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf r = tn_gen2_region(8, &g);
	struct tb_buf b = tn_full_image(&r, 1, NULL, 0x200000);
	/* the ME region reaches 64 KiB into the BIOS region */
	uint32_t me_end = 0x1000 + (uint32_t)r.size;
	amt_wr32(b.data + 0x48, tb_ifd_flreg(0x1000, me_end + 0x10000 - 1));
	for (int pol = 0; pol < 2; pol++) {
		struct amt_neutralize_opts o;
		amt_neutralize_opts_init(&o);
		o.policy = pol ? AMT_NEU_ME_CLEANER : AMT_NEU_NATIVE;
		o.set_disable_bit = true;
		struct amt_neutralization *res = NULL;
		amt_error err;
		assert_int_equal(amt_neutralize(b.data, b.size, &o, &res, &err), AMT_E_REFUSED);
		assert_int_equal(err.reason, AMT_R_REGIONS_OVERLAP);
		assert_int_equal(res->plan.nedits, 0);
		amt_neutralization_free(res);
	}
	/* verify names the overlap as a problem */
	struct amt_report *rep = NULL;
	amt_error err;
	assert_int_equal(amt_verify(b.data, b.size, NULL, &rep, &err), AMT_OK);
	assert_int_equal(rep->verdict, AMT_VERDICT_PROBLEMS);
	assert_true(tu_finding(rep, AMT_F_REGIONS));
	amt_report_free(rep);
	tb_free(&b);
	tb_free(&r);
}

/* A region that shares bytes with the ME region as a vendor lays it out
 * (Meteor Lake: DevExp2, FLREG9, reaching into the ME region): verify says
 * so as a fact; only descriptor edits are planned (the disable bit), never
 * an erase by that map. */
static void test_vendor_overlap_descriptor_edits_only(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf r = tn_gen2_region(8, &g);
	struct tb_buf b = tn_full_image(&r, 1, NULL, 0x200000);
	/* PDR (FLREG4; on Meteor Lake it is DevExp2, FLREG9) from the last
	 * 64 KiB of the ME region on */
	uint32_t me_end = 0x1000 + (uint32_t)r.size;
	struct amt_image *img = NULL;
	amt_error err;
	assert_int_equal(amt_image_parse(b.data, b.size, NULL, &img, &err), AMT_OK);
	assert_true(img->ifd.nregions > AMT_RGN_PDR);
	uint64_t fl4 = img->ifd.offset + img->ifd.frba + 4 * AMT_RGN_PDR;
	amt_image_free(img);
	amt_wr32(b.data + fl4, tb_ifd_flreg(me_end - 0x10000, me_end + 0x10000 - 1));
	assert_int_equal(amt_image_parse(b.data, b.size, NULL, &img, &err), AMT_OK);
	assert_true(img->ifd.regions_overlap);
	assert_false(img->ifd.primary_overlap);
	amt_image_free(img);

	/* verify: sound, the overlap a note */
	struct amt_report *rep = NULL;
	assert_int_equal(amt_verify(b.data, b.size, NULL, &rep, &err), AMT_OK);
	assert_int_not_equal(rep->verdict, AMT_VERDICT_PROBLEMS);
	bool noted = false;
	for (size_t i = 0; i < rep->nnotes; i++)
		noted |= rep->notes[i].kind == AMT_N_REGIONS;
	assert_true(noted);
	assert_false(tu_finding(rep, AMT_F_REGIONS));
	amt_report_free(rep);

	/* removal by that map: refused */
	struct amt_neutralize_opts o;
	amt_neutralize_opts_init(&o);
	o.set_disable_bit = true;
	struct amt_neutralization *res = NULL;
	assert_int_equal(amt_neutralize(b.data, b.size, &o, &res, &err), AMT_E_REFUSED);
	assert_int_equal(err.reason, AMT_R_REGIONS_OVERLAP);
	assert_int_equal(res->plan.nedits, 0);
	amt_neutralization_free(res);

	/* the disable bit alone: planned, verified, one bit changed */
	amt_neutralize_opts_init(&o);
	o.disable_bit_only = true;
	res = NULL;
	assert_int_equal(amt_neutralize(b.data, b.size, &o, &res, &err), AMT_OK);
	assert_non_null(res->out);
	size_t ndiff = 0;
	for (size_t i = 0; i < b.size; i++)
		ndiff += res->out[i] != b.data[i];
	assert_int_equal(ndiff, 1);
	assert_int_equal(res->report->disable_bit, AMT_YES);
	amt_neutralization_free(res);
	tb_free(&b);
	tb_free(&r);
}

/* 5 ----------------------------------------------------------------- */

static void test_verify_verdicts(void **state)
{
	(void)state;
	struct tb_cse_opts co;
	struct tb_cse_info ci;
	tb_cse_opts_default(&co);
	co.with_nftp = true;
	struct tb_buf r = tb_cse_region(&co, &ci);
	struct amt_report *rep = NULL;
	amt_error err;

	/* stock: sound, not neutralized */
	assert_int_equal(amt_verify(r.data, r.size, NULL, &rep, &err), AMT_OK);
	assert_int_equal(rep->verdict, AMT_VERDICT_NOT_NEUTRALIZED);
	assert_int_equal(rep->nfindings, 0);
	assert_true(rep->nmodules_hash_ok > 0);
	amt_report_free(rep);

	/* neutralized (stripped): sound and neutralized */
	struct amt_neutralize_opts o;
	amt_neutralize_opts_init(&o);
	struct amt_plan p;
	size_t n;
	uint8_t *out = tu_neutralize_ok(r.data, r.size, &o, &p, &n, NULL);
	assert_int_equal(amt_verify(out, n, NULL, &rep, &err), AMT_OK);
	assert_int_equal(rep->verdict, AMT_VERDICT_NEUTRALIZED);
	assert_true(rep->stripped);
	amt_report_free(rep);

	/* a byte of a kept module (FTPR kernel) changed: a problem, in the
	 * stock image and in the neutralized one */
	const struct amt_image *img = tu_parse(&r);
	const struct amt_module *k = tu_mod(&img->fw, "FTPR", "kernel");
	assert_non_null(k);
	uint64_t at = k->offset + k->size / 2;
	amt_image_free((struct amt_image *)img);
	for (int pass = 0; pass < 2; pass++) {
		uint8_t *d = pass ? out : r.data;
		size_t dn = pass ? n : r.size;
		d[at] ^= 0x40;
		assert_int_equal(amt_verify(d, dn, NULL, &rep, &err), AMT_OK);
		assert_int_equal(rep->verdict, AMT_VERDICT_PROBLEMS);
		assert_true(tu_finding(rep, AMT_F_MODULE_HASH));
		amt_report_free(rep);
		d[at] ^= 0x40;
	}
	free(out);
	amt_plan_release(&p);
	tb_free(&r);
}

/* 6 ----------------------------------------------------------------- */

static void test_ignition_full_native(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf r = tn_gen2_region(6, &g);
	struct tb_buf b = tn_full_image(&r, 1, NULL, 0x200000);
	struct amt_neutralize_opts o;
	amt_neutralize_opts_init(&o);
	o.set_disable_bit = true;
	struct amt_plan p;
	size_t n;
	struct amt_report *rep = NULL;
	uint8_t *out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, &rep);
	assert_true(p.wipe);
	assert_true(tu_all_ff(out + 0x1000, r.size));
	assert_int_equal(rep->verdict, AMT_VERDICT_NEUTRALIZED);
	amt_report_free(rep);
	/* its own verify accepts it */
	amt_error err;
	assert_int_equal(amt_verify(out, n, NULL, &rep, &err), AMT_OK);
	assert_int_equal(rep->verdict, AMT_VERDICT_NEUTRALIZED);
	assert_true(rep->wiped);
	assert_int_equal(rep->disable_bit, AMT_YES);
	amt_report_free(rep);
	/* and a second run changes nothing */
	struct amt_neutralization *res = NULL;
	assert_int_equal(amt_neutralize(out, n, &o, &res, &err), AMT_OK);
	assert_false(res->changed);
	assert_memory_equal(res->out, out, n);
	amt_neutralization_free(res);
	free(out);
	amt_plan_release(&p);
	tb_free(&b);
	tb_free(&r);
}

/* Fuzzing finding (fuzz_neutralize_gen2): a kept partition reaching the
 * end of the ME region makes the "minimum size" larger than the region;
 * with -D -t the descriptor extract then gave the ME region bytes of the
 * BIOS region. Its verification refuses it, with a finding. */
static void test_extract_past_region_refused(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf r = tn_gen2_region(8, &g);
	/* NFTP (entry 5 at 0xB0) now runs to the end of the 0x80000 region */
	amt_wr32(r.data + 0xB0 + 12, (uint32_t)(r.size - 0x50000));
	struct tb_buf b = tn_full_image(&r, 1, NULL, 0x200000);
	struct amt_neutralize_opts o;
	compat(&o);
	o.truncate = o.want_descriptor = true;
	amt_neutralize_parse_list(&o, false, "NFTP", NULL);
	struct amt_neutralization *res = NULL;
	amt_error err;
	assert_int_equal(amt_neutralize(b.data, b.size, &o, &res, &err), AMT_E_VERIFY);
	assert_int_equal(err.reason, AMT_R_VERIFY_FAILED);
	assert_true(res->plan.min_me_size > r.size);
	assert_null(res->out);
	assert_null(res->descriptor);
	assert_true(tu_finding(res->report, AMT_F_EXTRACT));
	amt_neutralization_free(res);
	/* without the extract, the image itself is sound */
	o.want_descriptor = false;
	struct amt_plan p;
	size_t n;
	uint8_t *out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, NULL);
	free(out);
	amt_plan_release(&p);
	tb_free(&b);
	tb_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overlapping_essential_huffman),
		cmocka_unit_test(test_disable_bit_from_output_descriptor),
		cmocka_unit_test(test_relocation_never_wraps),
		cmocka_unit_test(test_overlapping_regions_refused),
		cmocka_unit_test(test_verify_verdicts),
		cmocka_unit_test(test_ignition_full_native),
		cmocka_unit_test(test_extract_past_region_refused),
		cmocka_unit_test(test_vendor_overlap_descriptor_edits_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
