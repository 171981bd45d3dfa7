/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Neutralization planner/apply/verify on synthetic images of every
 * generation: partition removal (white/blacklist), module removal incl.
 * Huffman chunk sharing, relocation, truncation, descriptor edits, the
 * disable bits, refusals, and the safety checks of verification.
 */
#include <amtless/neutralize.h>

#include "testutil.h"
#include "build_cse.h"
#include "build_ifd.h"
#include "build_me.h"
#include "build_neutralize.h"
#include "build_sign.h"

static struct amt_image *parse(const uint8_t *d, size_t n, amt_platform_id plat)
{
	struct amt_parse_opts po;
	amt_parse_opts_init(&po);
	po.platform_override = plat;
	struct amt_image *img = NULL;
	amt_error err;
	assert_int_equal(amt_image_parse(d, n, &po, &img, &err), AMT_OK);
	return img;
}

/* plan + snapshot + apply + verify, all expected to succeed */
static void compat(struct amt_neutralize_opts *o)
{
	amt_neutralize_opts_init(o);
	o->policy = AMT_NEU_ME_CLEANER;
}

static uint8_t sum30(const uint8_t *r)
{
	uint8_t s = 0;
	for (int i = 0; i < 0x30; i++)
		s = (uint8_t)(s + r[i]);
	return s;
}

/* ------------------------------------------------------------------ */

static void test_gen2_region_default(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf b = tn_gen2_region(8, &g);
	struct amt_neutralize_opts o;
	compat(&o);
	struct amt_plan p;
	size_t n;
	uint8_t *out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, NULL);

	assert_int_equal(n, b.size);
	assert_int_equal(amt_rd32(out + 0x14), 1);                /* one entry left */
	assert_memory_equal(out + 0x30, "FTPR", 4);
	assert_memory_equal(out + 0x30, b.data + 0x90, 0x20);     /* FTPR entry verbatim */
	assert_true(tu_all_ff(out + 0x50, 0x80));                     /* other entries erased */
	assert_int_equal(amt_rd32(out + 0x24) & 1, 0);            /* EFFS flag cleared */
	assert_int_equal(sum30(out), 0);                           /* checksum-8 */
	assert_true(tu_all_ff(out + 0x400, 0xC00));                   /* FOVD */
	assert_true(tu_all_ff(out + g.mfs_off, g.mfs_size));          /* MFS */
	assert_true(tu_all_ff(out + g.nftp_off, 0x10000));            /* NFTP */
	assert_true(tu_all_ff(out + g.lzma_off, g.lzma_size));        /* UPDATE (LZMA) */
	/* manifest, module table and LLUT untouched */
	assert_memory_equal(out + g.man_off, b.data + g.man_off, 0x1000);
	/* Huffman: chunks 0-3 hold ROMP/BUP (3 shared with KERNEL): kept;
	 * 4 (KERNEL) and 5 (KERNEL/POLICY) removed */
	for (int i = 0; i < 4; i++)
		assert_memory_equal(out + g.chunk_off[i], b.data + g.chunk_off[i], g.chunk_len[i]);
	assert_true(tu_all_ff(out + g.chunk_off[4], g.chunk_len[4]));
	assert_true(tu_all_ff(out + g.chunk_off[5], g.chunk_len[5]));
	/* end of the last kept chunk 0x21b00 -> next page + 4 spare pages */
	assert_int_equal(g.chunk_off[3] + g.chunk_len[3], 0x21B00);
	assert_int_equal(p.min_me_size, 0x26000);
	assert_int_equal(p.generation, 2);
	assert_non_null(strstr(tu_mc_log(&p), "BUP              (Huffman, fragmented data, ~2 KiB   ): NOT removed, essential"));
	free(out);
	amt_plan_release(&p);
	tb_free(&b);
}

static void test_gen2_native_region_matches_compat(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf b = tn_gen2_region(8, &g);
	struct amt_image *img = parse(b.data, b.size, AMT_PLAT_UNKNOWN);
	struct amt_neutralize_opts o, c;
	amt_neutralize_opts_init(&o);
	compat(&c);
	struct amt_plan p1, p2;
	size_t n1, n2;
	uint8_t *a = tu_neutralize_ok(b.data, b.size, &o, &p1, &n1, NULL);
	uint8_t *z = tu_neutralize_ok(b.data, b.size, &c, &p2, &n2, NULL);
	/* FPT 2.0, no descriptor: both front ends write the same bytes */
	assert_int_equal(n1, n2);
	assert_memory_equal(a, z, n1);
	assert_false(p1.disable_known);
	free(a);
	free(z);
	amt_plan_release(&p1);
	amt_plan_release(&p2);
	amt_image_free(img);
	tb_free(&b);
}

static void test_gen2_keep_modules(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf b = tn_gen2_region(8, &g);
	struct amt_neutralize_opts o;
	compat(&o);
	o.keep_modules = true;
	struct amt_plan p;
	size_t n;
	uint8_t *out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, NULL);
	assert_memory_equal(out + g.ftpr_off, b.data + g.ftpr_off, g.ftpr_size);
	assert_true(tu_all_ff(out + g.mfs_off, g.mfs_size));
	/* end of FTPR 0x50000 -> 0x51000 + 4 pages */
	assert_int_equal(p.min_me_size, 0x55000);
	free(out);
	amt_plan_release(&p);
	tb_free(&b);
}

static void test_gen2_whitelist_blacklist(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf b = tn_gen2_region(8, &g);
	struct amt_neutralize_opts o;
	amt_error err;
	struct amt_plan p;
	size_t n;

	compat(&o);
	assert_int_equal(amt_neutralize_parse_list(&o, false, "MFS,EFFS", &err), AMT_OK);
	uint8_t *out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, NULL);
	assert_int_equal(amt_rd32(out + 0x14), 2);
	assert_memory_equal(out + 0x30, "MFS", 3);   /* table order kept: MFS, FTPR */
	assert_memory_equal(out + 0x50, "FTPR", 4);
	assert_memory_equal(out + g.mfs_off, b.data + g.mfs_off, g.mfs_size);
	assert_int_equal(amt_rd32(out + 0x24) & 1, 1); /* EFFS whitelisted: flag kept */
	assert_true(tu_all_ff(out + g.nftp_off, 0x10000));
	free(out);
	amt_plan_release(&p);

	compat(&o);
	assert_int_equal(amt_neutralize_parse_list(&o, true, "NFTP", &err), AMT_OK);
	out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, NULL);
	assert_int_equal(amt_rd32(out + 0x14), 3);      /* FOVD, MFS, FTPR */
	assert_memory_equal(out + 0x400, b.data + 0x400, 0xC00);
	assert_true(tu_all_ff(out + g.nftp_off, 0x10000));
	assert_int_equal(amt_rd32(out + 0x24) & 1, 1);  /* blacklist without EFFS: flag kept */
	assert_int_equal(sum30(out), 0);
	free(out);
	amt_plan_release(&p);

	/* a name longer than 4 characters is an argument error */
	compat(&o);
	assert_int_equal(amt_neutralize_parse_list(&o, false, "MFS,TOOLONG", &err), AMT_E_ARG);
	tb_free(&b);
}

static void test_gen2_relocate_truncate(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf b = tn_gen2_region(8, &g);
	struct amt_neutralize_opts o;
	compat(&o);
	o.relocate = true;
	o.truncate = true;
	struct amt_plan p;
	size_t n;
	uint8_t *out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, NULL);

	/* the LLUT constraint: corr = u16 at LLUT+9 = 0x1020;
	 * new = max(0x400, corr - llut - 0x40 + old) rounded to 0x20 */
	uint64_t corr = (g.addr_base >> 8) & 0xFFFF;
	uint64_t want = corr - g.llut_off - 0x40 + g.ftpr_off;
	want = (want + 0x1F) & ~(uint64_t)0x1F;
	assert_true(want > 0x400);
	assert_int_equal(amt_rd32(out + 0x38), want);
	int64_t diff = (int64_t)want - (int64_t)g.ftpr_off;
	uint64_t nl = g.llut_off + diff;
	assert_memory_equal(out + nl, "LLUT", 4);
	assert_int_equal(amt_rd32(out + nl + 0x0C), (uint32_t)(g.llut_off + diff + 0x40 - corr));
	assert_int_equal(amt_rd32(out + nl + 0x14), (uint32_t)(amt_rd32(b.data + g.llut_off + 0x14) + diff));
	for (int i = 0; i < TN_CHUNKS; i++) {
		uint32_t was = amt_rd32(b.data + g.llut_off + 0x40 + 4 * i);
		uint32_t now = amt_rd32(out + nl + 0x40 + 4 * i);
		if (was >> 24 == 0x80)
			assert_int_equal(now, was);
		else
			assert_int_equal(now & 0xFFFFFF, (uint32_t)((int64_t)(was & 0xFFFFFF) + diff));
	}
	/* kept chunks moved with FTPR, unchanged */
	assert_memory_equal(out + g.chunk_off[0] + diff, b.data + g.chunk_off[0], g.chunk_len[0]);
	assert_memory_equal(out + g.man_off + diff, b.data + g.man_off, 0x800);
	/* truncated after the moved end of the kept chunks */
	uint64_t end = (uint64_t)((int64_t)(g.chunk_off[3] + g.chunk_len[3]) + diff);
	assert_int_equal(n, (end / 0x1000 + 1) * 0x1000 + 0x4000);
	assert_int_equal(p.min_me_size, n);
	/* the output's FTPR manifest, found by the model, is where FTPR went */
	struct amt_image *oi = parse(out, n, AMT_PLAT_UNKNOWN);
	assert_true(oi->fw.ftpr_manifest >= 0);
	assert_int_equal(oi->fw.manifests[oi->fw.ftpr_manifest].offset, want);
	amt_image_free(oi);
	/* the old FTPR place is empty */
	assert_true(tu_all_ff(out + want + 0x2000, n - want - 0x2000 > 0x1000 ? 0x1000 : 0));
	free(out);
	amt_plan_release(&p);
	tb_free(&b);
}

static void test_gen2_full_soft_disable(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf r = tn_gen2_region(8, &g);
	struct tb_buf b = tn_full_image(&r, 1, NULL, 0x200000);
	struct amt_neutralize_opts o;
	struct amt_plan p;
	size_t n;

	/* -s: only the AltMeDisable bit (PCHSTRP10 bit 7 = FPSBA 0x100 + 0x28) */
	compat(&o);
	o.disable_bit_only = true;
	uint8_t *out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, NULL);
	assert_int_equal(p.nedits, 1);
	assert_int_equal(amt_rd32(out + 0x128), amt_rd32(b.data + 0x128) | 0x80);
	assert_int_equal(p.disable_before, AMT_NO);
	assert_int_equal(p.disable_after, AMT_YES);
	free(out);
	amt_plan_release(&p);

	/* -S: the bit and the removal */
	compat(&o);
	o.set_disable_bit = true;
	out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, NULL);
	assert_int_equal(amt_rd32(out + 0x128) & 0x80, 0x80);
	assert_int_equal(amt_rd32(out + 0x1000 + 0x14), 1);
	assert_true(tu_all_ff(out + 0x1000 + g.mfs_off, g.mfs_size));
	/* the BIOS region is never touched */
	assert_memory_equal(out + 0x1000 + r.size, b.data + 0x1000 + r.size,
			    b.size - 0x1000 - r.size);
	assert_int_equal(p.min_me_size, 0x26000);
	free(out);
	amt_plan_release(&p);
	tb_free(&b);
	tb_free(&r);
}

static void test_gen2_descriptor_edits(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf r = tn_gen2_region(8, &g);
	struct tb_buf b = tn_full_image(&r, 1, NULL, 0x200000);
	struct amt_neutralize_opts o;
	struct amt_plan p;
	size_t n;
	amt_error err;

	compat(&o);
	o.set_disable_bit = o.fix_master = o.want_descriptor = o.want_me = true;
	o.truncate = o.relocate = true;
	struct amt_neutralization *res = NULL;
	assert_int_equal(amt_neutralize(b.data, b.size, &o, &res, &err), AMT_OK);
	const uint8_t *out0 = res->out;
	n = res->out_size;
	/* -d on IFDv1: FLMSTR2 (FMBA 0x60 + 4) = (v | 0x04040000) & 0x0404ffff */
	uint32_t m2 = amt_rd32(b.data + 0x64);
	assert_int_equal(amt_rd32(out0 + 0x64), (m2 | 0x04040000u) & 0x0404FFFFu);
	/* -D with -t: FLREG1/FLREG2 of the extract give the freed space to BIOS */
	const uint8_t *d = res->descriptor;
	assert_int_equal(res->descriptor_size, 0x1000);
	uint64_t me_end = 0x1000 + res->plan.min_me_size;
	assert_int_equal(amt_rd32(d + 0x44), (uint32_t)((me_end >> 12) | ((0x1FFFFFu >> 12) << 16)));
	assert_int_equal(amt_rd32(d + 0x48), (uint32_t)(1 | (((me_end - 1) >> 12) << 16)));
	/* the full image keeps its own descriptor regions */
	assert_memory_equal(out0 + 0x40, b.data + 0x40, 0x10);
	/* -M with -t: the region cut after the new minimum size, its FTPR
	 * signature checked */
	assert_int_equal(res->me_size, res->plan.min_me_size);
	assert_memory_equal(res->me, out0 + 0x1000, res->me_size);
	assert_int_equal(res->me_sig, AMT_SIG_VALID);
	amt_neutralization_free(res);
	uint8_t *out;

	/* native --shrink-region edits the image's own descriptor */
	struct amt_image *img = parse(b.data, b.size, AMT_PLAT_IBX_WPT);
	amt_neutralize_opts_init(&o);
	o.shrink_region = true;
	o.platform = AMT_PLAT_IBX_WPT;
	out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, NULL);
	me_end = 0x1000 + p.min_me_size;
	assert_int_equal(amt_rd32(out + 0x48), (uint32_t)(1 | (((me_end - 1) >> 12) << 16)));
	assert_int_equal(amt_rd32(out + 0x44) & 0x7FFF, me_end >> 12);
	assert_true(tu_all_ff(out + me_end, 0x1000 + r.size - me_end));
	struct amt_image *o2 = parse(out, n, AMT_PLAT_IBX_WPT);
	assert_int_equal(o2->ifd.region[AMT_RGN_ME].limit, me_end - 1);
	assert_int_equal(o2->ifd.region[AMT_RGN_BIOS].base, me_end);
	assert_true(o2->has_fw);
	amt_image_free(o2);
	free(out);
	amt_plan_release(&p);
	amt_image_free(img);
	tb_free(&b);
	tb_free(&r);
}

static void test_gen1_full(void **state)
{
	(void)state;
	size_t rs;
	struct tb_buf b = tn_gen1_full(0x200000, &rs);
	struct amt_neutralize_opts o;
	struct amt_plan p;
	size_t n;
	compat(&o);
	uint8_t *out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, NULL);
	/* ICH layout: FISBA 0x100 (ICHSTRP0), FMSBA 0x200 (MCHSTRP0), FRBA 0x40 */
	assert_int_equal(amt_rd32(out + 0x100) & 1, 1);
	assert_int_equal(amt_rd32(out + 0x200) & 1, 1);
	assert_int_equal(amt_rd32(out + 0x48), 0x1FFF);
	assert_true(tu_all_ff(out + 0x1000, rs));
	assert_true(p.wipe);
	assert_int_equal(p.ndisable, 2);

	/* the bare gen 1 region: refused (me_cleaner leaves it unchanged) */
	struct amt_plan q;
	amt_error err;
	assert_int_equal(tu_plan(b.data + 0x1000, rs, &o, &q, &err), AMT_E_REFUSED);
	assert_non_null(strstr(err.message, "full flash image"));
	amt_plan_release(&q);
	free(out);
	amt_plan_release(&p);
	tb_free(&b);
}

/* The builder's ME 11 region (FTPR and NFTP) in a 4 MiB full image (IFD v2,
 * ME region from 0x1000); *ci: where its parts lie in the region. */
static struct tb_buf me11_full_image(struct tb_cse_info *ci)
{
	struct tb_cse_opts co;
	tb_cse_opts_default(&co);
	co.with_nftp = true;
	struct tb_buf r = tb_cse_region(&co, ci);
	size_t rs = (r.size + 0xFFF) & ~(size_t)0xFFF;
	struct tb_buf rr = tb_alloc(rs, 0xFF);
	memcpy(rr.data, r.data, r.size);
	struct tb_buf b = tn_full_image(&rr, 2, NULL, 0x400000);
	tb_free(&rr);
	tb_free(&r);
	return b;
}

static void test_me11_full_native(void **state)
{
	(void)state;
	struct tb_cse_info ci;
	struct tb_buf b = me11_full_image(&ci);
	struct amt_image *img = parse(b.data, b.size, AMT_PLAT_SPT_KBP);
	assert_true(img->has_fw);
	assert_true(img->ifd.disable.located);

	struct amt_neutralize_opts o;
	amt_neutralize_opts_init(&o);
	o.set_disable_bit = true;
	o.fix_master = true;
	o.platform = AMT_PLAT_SPT_KBP;
	struct amt_plan p;
	size_t n;
	uint8_t *out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, NULL);
	/* HAP: PCHSTRP0 bit 16 (FPSBA 0x100) */
	assert_int_equal(amt_rd32(out + 0x100) & 0x10000, 0x10000);
	/* IFDv2 master: ME reads FD + ME, writes ME */
	assert_int_equal(amt_rd32(out + 0x84), 0x00400500);
	/* FTPR kept (its modules are all essential), NFTP wiped */
	assert_memory_equal(out + 0x1000 + ci.ftpr, b.data + 0x1000 + ci.ftpr, ci.ftpr_out.size);
	assert_true(tu_all_ff(out + 0x1000 + ci.nftp, ci.nftp_out.size));
	assert_int_equal(p.generation, 3);
	assert_int_equal(p.disable_after, AMT_YES);
	free(out);
	amt_plan_release(&p);

	/* without a recognised platform the native front end refuses */
	struct amt_image *img2 = parse(b.data, b.size, AMT_PLAT_UNKNOWN);
	if (!img2->ifd.disable.located) {
		amt_neutralize_opts_init(&o);
		o.set_disable_bit = true;
		amt_error err;
		assert_int_equal(tu_plan(b.data, b.size, &o, &p, &err), AMT_E_PLATFORM);
		amt_plan_release(&p);
	}
	amt_image_free(img2);

	/* a signed descriptor (FDV) is refused unless allowed */
	tb_ifd_add_fdv(&b, 0, 0, NULL, NULL);
	struct amt_image *img3 = parse(b.data, b.size, AMT_PLAT_SPT_KBP);
	if (img3->ifd.fdv.present) {
		amt_neutralize_opts_init(&o);
		o.set_disable_bit = true;
		o.platform = AMT_PLAT_SPT_KBP;
		amt_error err;
		assert_int_equal(tu_plan(b.data, b.size, &o, &p, &err), AMT_E_REFUSED);
		amt_plan_release(&p);
		o.allow_signed_descriptor = true;
		assert_int_equal(tu_plan(b.data, b.size, &o, &p, &err), AMT_OK);
		amt_plan_release(&p);
	}
	amt_image_free(img3);
	amt_image_free(img);
	tb_free(&b);
}

/* A bare region already stripped and truncated is "already neutralized"
 * for the default operation, but an option that needs the full image is
 * refused on it as on any bare region (not skipped as already done). */
static void test_truncated_region_options(void **state)
{
	(void)state;
	for (int kind = 0; kind < 2; kind++) {
		struct tb_buf r;
		if (kind == 0) {
			struct tb_cse_opts co;
			struct tb_cse_info ci;
			tb_cse_opts_default(&co);
			co.with_nftp = true;
			r = tb_cse_region(&co, &ci);
		} else {
			struct tn_gen2 g;
			r = tn_gen2_region(8, &g);
		}
		struct amt_neutralize_opts o;
		amt_neutralize_opts_init(&o);
		o.set_disable_bit = false;
		o.truncate = true;
		struct amt_neutralization *t = NULL, *again = NULL;
		amt_error err;
		assert_int_equal(amt_neutralize(r.data, r.size, &o, &t, &err), AMT_OK);
		assert_true(t->out_size < r.size);
		/* gen 2: FTPR declared past the end of the truncated file (the
		 * model pads it); CSE: the file ends after FTPR's kept data */
		struct amt_image *ti = parse(t->out, t->out_size, AMT_PLAT_UNKNOWN);
		assert_true(ti->fw.stripped);
		if (kind == 1)
			assert_true(ti->truncated_to > t->out_size);
		amt_image_free(ti);
		o.truncate = false;
		assert_int_equal(amt_neutralize(t->out, t->out_size, &o, &again, &err), AMT_OK);
		assert_int_equal(again->outcome, AMT_NEU_OUTCOME_ALREADY_DONE);
		amt_neutralization_free(again);
		for (int k = 0; k < 3; k++) {
			struct amt_neutralize_opts ok = o;
			if (k == 0)
				ok.shrink_region = true;
			else if (k == 1)
				ok.fix_master = true;
			else
				ok.disable_bit_only = true;
			struct amt_neutralization *x = NULL;
			amt_status st = amt_neutralize(t->out, t->out_size, &ok, &x, &err);
			assert_int_not_equal(st, AMT_OK);
			assert_int_equal(err.reason, AMT_R_OPT_NEEDS_FULL_IMAGE);
			assert_true(!x || x->outcome != AMT_NEU_OUTCOME_ALREADY_DONE);
			amt_neutralization_free(x);
		}
		amt_neutralization_free(t);
		tb_free(&r);
	}
}

/* The typed outcome: changed, then already neutralized (nothing changed,
 * the output a copy of the input), and check_only; the code measure of the
 * output (what remains) is the preview's measure of the input. */
static void test_outcome_idempotent(void **state)
{
	(void)state;
	struct tb_cse_info ci;
	struct tb_buf b = me11_full_image(&ci);

	struct amt_neutralize_opts o;
	amt_neutralize_opts_init(&o);
	o.set_disable_bit = true;
	o.platform = AMT_PLAT_SPT_KBP;
	struct amt_neutralization *res = NULL, *again = NULL, *chk = NULL;
	amt_error err;
	assert_int_equal(amt_neutralize(b.data, b.size, &o, &res, &err), AMT_OK);
	assert_int_equal(res->outcome, AMT_NEU_OUTCOME_CHANGED);
	assert_true(res->changed);
	assert_non_null(res->out);

	/* the code measure: the preview of the input = what remains in the output */
	struct amt_image *in = parse(b.data, b.size, AMT_PLAT_SPT_KBP);
	struct amt_code_measure pre;
	amt_code_measure_init(&pre);
	assert_int_equal(amt_code_measure(in, AMT_CODE_DEFAULT_KEEP, &pre, &err), AMT_OK);
	assert_true(pre.known);
	assert_int_equal(pre.kept, res->report->code.kept);
	assert_int_equal(pre.total, res->report->code.total);
	assert_int_equal(pre.nkept, res->report->code.nkept);
	/* FTPR's modules are all boot modules in the builder's sample: all kept */
	assert_int_equal(pre.kept, pre.total);
	amt_image_free(in);

	assert_int_equal(amt_neutralize(res->out, res->out_size, &o, &again, &err), AMT_OK);
	assert_int_equal(again->outcome, AMT_NEU_OUTCOME_ALREADY_DONE);
	assert_false(again->changed);
	assert_int_equal(again->out_size, res->out_size);
	assert_memory_equal(again->out, res->out, res->out_size);

	struct amt_neutralize_opts oc = o;
	oc.check_only = true;
	oc.set_disable_bit = false;   /* checking only: no edit asked */
	assert_int_equal(amt_neutralize(b.data, b.size, &oc, &chk, &err), AMT_OK);
	assert_int_equal(chk->outcome, AMT_NEU_OUTCOME_CHECK_ONLY);
	assert_null(chk->out);

	/* plan only: the plan (its minimum size), nothing applied */
	struct amt_neutralization *pl = NULL;
	struct amt_neutralize_opts op = o;
	op.plan_only = true;
	assert_int_equal(amt_neutralize(b.data, b.size, &op, &pl, &err), AMT_OK);
	assert_int_equal(pl->outcome, AMT_NEU_OUTCOME_PLANNED);
	assert_null(pl->out);
	assert_null(pl->report);
	assert_int_equal(pl->plan.min_me_size, res->plan.min_me_size);
	assert_int_equal(pl->plan.nedits, res->plan.nedits);
	amt_neutralization_free(pl);

	amt_neutralization_free(res);
	amt_neutralization_free(again);
	amt_neutralization_free(chk);
	tb_free(&b);
}

static void test_gen3_cpd_directory_kept(void **state)
{
	(void)state;
	/* TXE 3/4 carry $CPD entries with offset 0: me_cleaner erases the
	 * $CPD header from there to the next entry; we must not */
	struct tb_cse_opts co;
	struct tb_cse_info ci;
	tb_cse_opts_default(&co);
	struct tb_buf r = tb_cse_region(&co, &ci);
	size_t cpd = ci.ftpr;
	uint32_t cnt = amt_rd32(r.data + cpd + 4);
	/* rename the last entry to a non-essential module at offset 0, size 0
	 * (as the FTPR oem.key / fitc.cfg entries of the public TXE 3.1 and
	 * 4.0 regions are) */
	uint8_t *e = r.data + cpd + 0x10 + (cnt - 1) * 0x18;
	memset(e, 0, 12);
	memcpy(e, "fitc.cfg", 8);
	amt_wr32(e + 12, 0);
	amt_wr32(e + 16, 0);
	tb_cpd_fix(r.data, cpd);
	struct amt_neutralize_opts o;
	compat(&o);
	struct amt_plan p;
	size_t n;
	uint8_t *out = tu_neutralize_ok(r.data, r.size, &o, &p, &n, NULL);
	assert_memory_equal(out + cpd, r.data + cpd, 0x10 + cnt * 0x18);
	assert_non_null(strstr(tu_mc_log(&p), "overlaps the $CPD directory"));
	free(out);
	amt_plan_release(&p);
	tb_free(&r);
}

/*
 * A removed partition that starts inside FTPR's $FPT range (ME 11.8: DLMP
 * over the end of FTPR). me_cleaner mode with -k: only what FTPR's $CPD
 * uses is protected, so the unused tail of FTPR's range is erased as
 * me_cleaner erases it; $CPD content under the removed partition is never
 * erased. Native mode: FTPR's whole range is protected.
 */
static uint8_t *keep_with_nftp_at(const struct tb_buf *r, const struct tb_cse_info *ci,
				  uint32_t start, bool me_cleaner, struct tb_buf *in)
{
	*in = tb_alloc(r->size, 0);
	memcpy(in->data, r->data, r->size);
	uint32_t n = amt_rd32(in->data + ci->fpt + 4);
	uint8_t *q = NULL;
	for (uint32_t i = 0; i < n; i++)
		if (!memcmp(in->data + ci->fpt + 0x20 + i * 0x20, "NFTP", 4))
			q = in->data + ci->fpt + 0x20 + i * 0x20;
	assert_non_null(q);
	uint32_t end = amt_rd32(q + 8) + amt_rd32(q + 12);
	amt_wr32(q + 8, start);
	amt_wr32(q + 12, end - start);
	tb_fpt_fix(in->data, ci->fpt);
	struct amt_neutralize_opts o;
	if (me_cleaner)
		compat(&o);
	else
		amt_neutralize_opts_init(&o);
	o.keep_modules = true;
	struct amt_plan p;
	size_t on;
	struct amt_image *img = me_cleaner ? NULL : parse(in->data, in->size, AMT_PLAT_UNKNOWN);
	uint8_t *out = tu_neutralize_ok(in->data, in->size, &o, &p, &on, NULL);
	assert_int_equal(on, in->size);
	amt_plan_release(&p);
	amt_image_free(img);
	return out;
}

static void test_gen3_removed_partition_inside_ftpr_range(void **state)
{
	(void)state;
	struct tb_cse_opts co;
	struct tb_cse_info ci;
	tb_cse_opts_default(&co);
	co.with_nftp = true;
	struct tb_buf r = tb_cse_region(&co, &ci);
	size_t ftpr = ci.ftpr;
	uint32_t ftpr_end = 0, content = 0;
	uint32_t np = amt_rd32(r.data + ci.fpt + 4);
	for (uint32_t i = 0; i < np; i++) {
		const uint8_t *q = r.data + ci.fpt + 0x20 + i * 0x20;
		if (!memcmp(q, "FTPR", 4))
			ftpr_end = amt_rd32(q + 8) + amt_rd32(q + 12);
	}
	uint32_t cnt = amt_rd32(r.data + ftpr + 4);
	for (uint32_t i = 0; i < cnt; i++) {
		const uint8_t *e = r.data + ftpr + 0x10 + i * 0x18;
		uint32_t t = (amt_rd32(e + 12) & 0x1ffffff) + amt_rd32(e + 16);
		if (t > content)
			content = t;
	}
	content += (uint32_t)ftpr;
	/* the builder leaves FTPR's range mostly unused: room for the test */
	assert_true(ftpr_end >= content + 0x2000);
	uint32_t tail = ftpr_end - 0x1000;
	/* not all 0xff, so that erasing it shows */
	memset(r.data + tail, 0x5a, 0x1000);

	/* me_cleaner -k: the unused tail under NFTP is erased, as me_cleaner does */
	struct tb_buf in;
	uint8_t *out = keep_with_nftp_at(&r, &ci, tail, true, &in);
	assert_true(tu_all_ff(out + tail, ftpr_end - tail));
	assert_memory_equal(out + ftpr, in.data + ftpr, content - ftpr);
	free(out);
	tb_free(&in);

	/* native: the whole FTPR range is kept */
	out = keep_with_nftp_at(&r, &ci, tail, false, &in);
	assert_memory_equal(out + tail, in.data + tail, ftpr_end - tail);
	free(out);
	tb_free(&in);

	/* me_cleaner -k, NFTP over the last 0x80 bytes of $CPD content: those
	 * stay (me_cleaner would erase kept modules), the rest is erased */
	uint32_t s = content - 0x80;
	out = keep_with_nftp_at(&r, &ci, s, true, &in);
	assert_memory_equal(out + ftpr, in.data + ftpr, content - ftpr);
	assert_true(tu_all_ff(out + content, ftpr_end - content));
	free(out);
	tb_free(&in);
	tb_free(&r);
}

static void test_refusals(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf b = tn_gen2_region(8, &g);
	struct amt_neutralize_opts o;
	struct amt_plan p;
	amt_error err;

	/* me_cleaner's rules between options */
	compat(&o);
	o.check_only = o.set_disable_bit = true;
	assert_int_equal(tu_plan(b.data, b.size, &o, &p, &err), AMT_E_ARG);
	amt_plan_release(&p);
	compat(&o);
	o.disable_bit_only = o.relocate = true;
	assert_int_equal(tu_plan(b.data, b.size, &o, &p, &err), AMT_E_ARG);
	amt_plan_release(&p);
	compat(&o);
	o.relocate = true;
	amt_neutralize_parse_list(&o, false, "MFS", &err);
	assert_int_equal(tu_plan(b.data, b.size, &o, &p, &err), AMT_E_ARG);
	amt_plan_release(&p);
	/* the disable bit needs the descriptor */
	compat(&o);
	o.set_disable_bit = true;
	assert_int_equal(tu_plan(b.data, b.size, &o, &p, &err), AMT_E_ARG);
	amt_plan_release(&p);
	assert_int_equal(err.reason, AMT_R_OPT_NEEDS_FULL_IMAGE);
	/* an already truncated region whose FTPR runs past the end */
	compat(&o);
	assert_int_equal(tu_plan(b.data, 0x30000, &o, &p, &err), AMT_E_REFUSED);
	amt_plan_release(&p);
	assert_non_null(strstr(err.message, "FTPR"));
	/* no structure at all */
	uint8_t junk[0x100];
	memset(junk, 0x11, sizeof(junk));
	assert_int_equal(tu_plan(junk, sizeof(junk), &o, &p, &err), AMT_E_UNKNOWN);
	amt_plan_release(&p);
	/* an FPT entry count that runs past the region */
	struct tb_buf c = tb_alloc(b.size, 0);
	memcpy(c.data, b.data, b.size);
	amt_wr32(c.data + 0x14, 0x10000000);
	assert_int_not_equal(tu_plan(c.data, c.size, &o, &p, &err), AMT_OK);
	assert_int_equal(p.nedits, 0);
	assert_true(err.message[0] != 0);
	amt_plan_release(&p);
	/* the same with the checksum made right: the table does not fit */
	tb_fpt_fix_checksum(c.data, 0x10);
	assert_int_equal(tu_plan(c.data, c.size, &o, &p, &err), AMT_E_RANGE);
	amt_plan_release(&p);
	/* a descriptor whose strap section base is 0 (FISBA = the signature
	 * dword): me_cleaner would set bit 0 of the signature; refused */
	struct tb_buf f = tb_alloc(0x2000, 0xFF);
	amt_wr32(f.data, 0x0FF0A55A);          /* ICH layout: gen 1 */
	amt_wr32(f.data + 4, 0x00040000);      /* FRBA 0x40 */
	amt_wr32(f.data + 8, 0x00000006);      /* FMBA 0x60, FISBA 0 */
	amt_wr32(f.data + 12, 0x00000020);     /* FMSBA 0x200 */
	amt_wr32(f.data + 0x40, 0x00000000);
	amt_wr32(f.data + 0x48, 0x00001FFF);   /* ME region disabled */
	compat(&o);
	assert_int_not_equal(tu_plan(f.data, f.size, &o, &p, &err), AMT_OK);
	assert_true(err.message[0] != 0);
	assert_int_equal(p.nedits, 0);
	amt_plan_release(&p);
	tb_free(&f);
	/* options not set up by amt_neutralize_opts_init */
	struct amt_neutralize_opts z;
	memset(&z, 0, sizeof(z));
	struct amt_neutralization *res = (struct amt_neutralization *)1;
	assert_int_equal(amt_neutralize(b.data, b.size, &z, &res, &err), AMT_E_ARG);
	assert_null(res);
	tb_free(&c);
	tb_free(&b);
}

static void test_native_bare_ifwi_refused(void **state)
{
	(void)state;
	struct tb_cse_opts co;
	struct tb_cse_info ci;
	tb_cse_opts_default(&co);
	struct tb_buf r = tb_ifwi_region(TB_IFWI_16, &co, &ci);
	struct amt_image *img = parse(r.data, r.size, AMT_PLAT_UNKNOWN);
	struct amt_neutralize_opts o;
	amt_neutralize_opts_init(&o);
	struct amt_plan p;
	amt_error err;
	/* a bare IFWI region: the HAP bit is not in it and the default
	 * keeps every module (lib/neutralize/cse.c): nothing to do, refused */
	assert_int_not_equal(tu_plan(r.data, r.size, &o, &p, &err), AMT_OK);
	assert_true(err.message[0] != 0);
	amt_plan_release(&p);
	amt_image_free(img);
	tb_free(&r);
}

static void test_ignition_wiped(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf b = tn_gen2_region(6, &g);
	/* ME 6 with a key me_cleaner does not know counts as "ME" (major >= 6) */
	struct amt_neutralize_opts o;
	compat(&o);
	struct amt_plan p;
	size_t n;
	uint8_t *out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, NULL);
	assert_true(p.wipe);
	assert_non_null(tu_event(&p, AMT_EV_IGNITION, NULL));
	assert_true(tu_all_ff(out, n));
	/* the wiped region is a recognised, neutralized state */
	struct amt_report *r = NULL;
	amt_error e;
	assert_int_equal(amt_verify(out, n, NULL, &r, &e), AMT_OK);
	assert_int_equal(r->verdict, AMT_VERDICT_NEUTRALIZED);
	assert_true(r->wiped);
	amt_report_free(r);
	free(out);
	amt_plan_release(&p);
	tb_free(&b);
}

static void test_verify_catches_damage(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf r = tn_gen2_region(8, &g);
	struct tb_buf b = tn_full_image(&r, 1, NULL, 0x200000);
	struct amt_neutralize_opts o;
	compat(&o);
	o.set_disable_bit = true;
	struct amt_plan p;
	size_t n;
	struct amt_report *rep = NULL;
	uint8_t *out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, NULL);

	/* a kept Huffman chunk changed */
	out[0x1000 + g.chunk_off[1] + 5] ^= 1;
	assert_int_equal(tu_verify(b.data, b.size, &o, out, n, &rep), AMT_E_VERIFY);
	assert_true(tu_finding(rep, AMT_F_KEPT_CHANGED));
	amt_report_free(rep);
	out[0x1000 + g.chunk_off[1] + 5] ^= 1;
	/* the disable bit cleared */
	out[0x128] &= 0x7F;
	assert_int_equal(tu_verify(b.data, b.size, &o, out, n, &rep), AMT_E_VERIFY);
	assert_int_equal(rep->disable_bit, AMT_NO);
	assert_true(tu_finding(rep, AMT_F_DISABLE_BIT));
	amt_report_free(rep);
	out[0x128] |= 0x80;
	/* the manifest signed part changed: signature invalid */
	out[0x1000 + g.man_off + 0x30] ^= 0xFF;
	assert_int_equal(tu_verify(b.data, b.size, &o, out, n, &rep), AMT_E_VERIFY);
	assert_int_not_equal(rep->ftpr_sig, AMT_SIG_VALID);
	assert_true(tu_finding(rep, AMT_F_SIGNATURE));
	amt_report_free(rep);
	out[0x1000 + g.man_off + 0x30] ^= 0xFF;
	/* the $FPT checksum wrong */
	out[0x1000 + 0x1B] ^= 1;
	assert_int_equal(tu_verify(b.data, b.size, &o, out, n, &rep), AMT_E_VERIFY);
	assert_true(tu_finding(rep, AMT_F_CHECKSUM));
	amt_report_free(rep);
	out[0x1000 + 0x1B] ^= 1;
	assert_int_equal(tu_verify(b.data, b.size, &o, out, n, NULL), AMT_OK);
	/* a byte outside the ME region (in the BIOS region) changed */
	out[n - 1] ^= 0x01;
	assert_int_equal(tu_verify(b.data, b.size, &o, out, n, &rep), AMT_E_VERIFY);
	assert_true(tu_finding(rep, AMT_F_DIFF_BOUND));
	amt_report_free(rep);
	out[n - 1] ^= 0x01;
	/* another bit of the disable bit's strap changed */
	out[0x128] ^= 0x01;
	assert_int_equal(tu_verify(b.data, b.size, &o, out, n, &rep), AMT_E_VERIFY);
	assert_true(tu_finding(rep, AMT_F_DIFF_BOUND));
	amt_report_free(rep);
	out[0x128] ^= 0x01;
	/* a kept chunk of ROMP changed */
	out[0x1000 + g.chunk_off[0] + 1] ^= 0x10;
	assert_int_equal(tu_verify(b.data, b.size, &o, out, n, &rep), AMT_E_VERIFY);
	assert_true(tu_finding(rep, AMT_F_KEPT_CHANGED));
	amt_report_free(rep);
	free(out);
	amt_plan_release(&p);
	tb_free(&b);
	tb_free(&r);
}

static void test_plan_view_and_inplace(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf b = tn_gen2_region(8, &g);
	struct amt_neutralize_opts o;
	compat(&o);
	o.relocate = true;
	struct amt_plan p;
	size_t n;
	uint8_t *out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, NULL);
	/* the planner's view equals the applied output everywhere */
	uint8_t *view = malloc(n);
	amt_plan_read(&p, b.data, b.size, 0, view, n);
	assert_memory_equal(view, out, n);
	/* applying the plan again gives the same bytes */
	uint8_t *buf = NULL;
	size_t sz = 0;
	amt_error err;
	assert_int_equal(amt_plan_apply(&p, b.data, b.size, &buf, &sz, &err), AMT_OK);
	assert_int_equal(sz, n);
	assert_memory_equal(buf, out, n);
	/* writes keep their old bytes and change something */
	for (size_t i = 0; i < p.nedits; i++)
		if (p.edits[i].kind == AMT_EDIT_WRITE) {
			assert_non_null(p.edits[i].old_bytes);
			assert_memory_not_equal(p.edits[i].old_bytes, p.edits[i].new_bytes,
						p.edits[i].length);
		}
	free(buf);
	free(view);
	free(out);
	amt_plan_release(&p);
	tb_free(&b);
}

/* Golden: the $FPT of the default result (no signature bytes in it). */
static void test_golden_fpt(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf b = tn_gen2_region(8, &g);
	struct amt_neutralize_opts o;
	compat(&o);
	struct amt_plan p;
	size_t n;
	uint8_t *out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, NULL);
	static const uint8_t golden[0x50] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		'$', 'F', 'P', 'T', 1, 0, 0, 0, 0x20, 0x10, 0x30, 0x89, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0,
		'F', 'T', 'P', 'R', 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 2, 0, 0, 0, 3, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	};
	assert_memory_equal(out, golden, sizeof(golden));
	free(out);
	amt_plan_release(&p);
	tb_free(&b);
}


/* FPT 2.1: the native front end rewrites the CRC-32 (not an 8-bit sum,
 * and not the EFFS bit, which would land in the CRC). */
static void test_fpt21_crc(void **state)
{
	(void)state;
	struct tb_cse_opts co;
	struct tb_cse_info ci;
	tb_cse_opts_default(&co);
	co.with_nftp = true;
	struct tb_buf r = tb_cse_region(&co, &ci);
	uint8_t *h = r.data + ci.fpt;
	uint32_t cnt = amt_rd32(h + 4);
	h[8] = 0x21;
	memset(h + 0x14, 0, 4);
	amt_wr32(h + 0x14, amt_crc32(h, 0x20 + cnt * 0x20));
	struct amt_image *img = parse(r.data, r.size, AMT_PLAT_UNKNOWN);
	bool crc_ok = false;
	for (size_t i = 0; i < img->fw.nchecks; i++)
		if (strstr(img->fw.checks[i].what, "CRC") && img->fw.checks[i].offset == ci.fpt + 0x14)
			crc_ok = img->fw.checks[i].ok == AMT_YES;
	assert_true(crc_ok);
	struct amt_neutralize_opts o;
	amt_neutralize_opts_init(&o);
	struct amt_plan p;
	size_t n;
	uint8_t *out = tu_neutralize_ok(r.data, r.size, &o, &p, &n, NULL);
	uint8_t hdr[0x20 + 0x20 * 8];
	uint32_t left = amt_rd32(out + ci.fpt + 4);
	assert_int_equal(left, 1);
	memcpy(hdr, out + ci.fpt, 0x20 + left * 0x20);
	memset(hdr + 0x14, 0, 4);
	assert_int_equal(amt_rd32(out + ci.fpt + 0x14), amt_crc32(hdr, 0x20 + left * 0x20));
	assert_int_equal(out[ci.fpt + 0x0B], r.data[ci.fpt + 0x0B]); /* no 8-bit sum written */
	free(out);
	amt_plan_release(&p);

	/* me_cleaner would write the 8-bit sum over the CRC (breaking it): the
	 * one $FPT writer follows the table's own rule in both policies */
	struct amt_neutralize_opts c;
	compat(&c);
	uint8_t *o2 = tu_neutralize_ok(r.data, r.size, &c, &p, &n, NULL);
	assert_int_equal(amt_rd32(o2 + ci.fpt + 0x14), amt_crc32(hdr, 0x20 + left * 0x20));
	assert_int_equal(o2[ci.fpt + 0x0B], r.data[ci.fpt + 0x0B]);
	const struct amt_event *ck = tu_event(&p, AMT_EV_FPT_CHECKSUM, NULL);
	assert_non_null(ck);
	assert_true(ck->flag);   /* a CRC, not a checksum-8 */
	free(o2);
	amt_plan_release(&p);
	amt_image_free(img);
	tb_free(&r);
}

/* The inspect preview (keep.c) agrees with what the planner keeps. */
static void test_keep_preview_agrees(void **state)
{
	(void)state;
	struct tb_cse_opts co;
	struct tb_cse_info ci;
	tb_cse_opts_default(&co);
	co.with_nftp = true;
	struct tb_buf r = tb_cse_region(&co, &ci);
	struct amt_image *img = parse(r.data, r.size, AMT_PLAT_UNKNOWN);
	struct amt_neutralize_opts o;
	amt_neutralize_opts_init(&o);
	struct amt_plan p;
	size_t n;
	uint8_t *out = tu_neutralize_ok(r.data, r.size, &o, &p, &n, NULL);
	const struct amt_fw *fw = &img->fw;
	unsigned kept_parts = 0;
	for (size_t i = 0; i < fw->npartitions; i++) {
		if (!fw->partitions[i].kept)
			continue;
		kept_parts++;
		assert_string_equal(fw->partitions[i].name, "FTPR");
	}
	assert_int_equal(kept_parts, 1);
	/* every module the preview keeps is kept by the plan, and the reverse */
	for (size_t i = 0; i < fw->nmodules; i++) {
		const struct amt_module *m = &fw->modules[i];
		if (strcmp(m->partition, "FTPR"))
			continue;
		bool planned = false, seen = false;
		for (size_t k = 0; k < p.nevents; k++)
			if (p.events[k].kind == AMT_EV_MODULE && !strcmp(p.events[k].name, m->name)) {
				seen = true;
				planned = amt_disposition_kept(p.events[k].disp);
			}
		if (seen)
			assert_int_equal(planned, m->kept);
	}
	/* the model does not plan: the smallest region is the plan's number */
	assert_int_equal(fw->min_region_size, 0);
	assert_true(p.min_me_size > 0);
	assert_true(fw->kept_bytes <= fw->code_bytes);
	free(out);
	amt_plan_release(&p);
	amt_image_free(img);
	tb_free(&r);

	/* gen 2 with Huffman: only the planner knows the chunk ends */
	struct tn_gen2 g;
	struct tb_buf b = tn_gen2_region(8, &g);
	img = parse(b.data, b.size, AMT_PLAT_UNKNOWN);
	bool romp = false;
	for (size_t i = 0; i < img->fw.nmodules; i++)
		if (!strcmp(img->fw.modules[i].name, "ROMP"))
			romp = img->fw.modules[i].kept;
	assert_true(romp);
	amt_image_free(img);
	tb_free(&b);
}

/* Truncated and corrupted inputs: the planner refuses or plans edits that
 * stay inside the image; applying never writes out of bounds (ASan). */
static void test_hostile_inputs(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf r = tn_gen2_region(8, &g);
	struct tb_buf b = tn_full_image(&r, 1, NULL, 0x200000);
	struct amt_neutralize_opts o;
	struct amt_plan p;
	amt_error err;
	unsigned planned = 0, refused = 0;
	/* truncations of the full image and of the region */
	for (size_t len = 0x10; len < 0x90000; len += 0x3F00) {
		for (int which = 0; which < 2; which++) {
			const uint8_t *d = which ? r.data : b.data;
			if (len > (which ? r.size : b.size))
				continue;
			compat(&o);
			o.relocate = which;
			o.truncate = which;
			if (tu_plan(d, len, &o, &p, &err) == AMT_OK) {
				uint8_t *out;
				size_t n;
				assert_int_equal(amt_plan_apply(&p, d, len, &out, &n, &err), AMT_OK);
				free(out);
				planned++;
			} else {
				refused++;
				assert_true(err.message[0] != 0);
			}
			amt_plan_release(&p);
		}
	}
	/* random corruption of the $FPT, the module table and the LLUT */
	uint32_t x = 12345;
	struct tb_buf c = tb_alloc(r.size, 0);
	for (int it = 0; it < 300; it++) {
		memcpy(c.data, r.data, r.size);
		for (int k = 0; k < 4; k++) {
			x = x * 1103515245u + 12345u;
			size_t where[3] = { 0x10 + (x >> 8) % 0xC0, g.man_off + 0x290 + (x >> 8) % (TN_MODS * 0x60),
					    g.llut_off + (x >> 8) % (0x40 + TN_CHUNKS * 4) };
			c.data[where[k % 3]] = (uint8_t)(x >> 24);
		}
		compat(&o);
		o.relocate = it & 1;
		o.truncate = it & 2;
		if (tu_plan(c.data, c.size, &o, &p, &err) == AMT_OK) {
			uint8_t *out;
			size_t n;
			assert_int_equal(amt_plan_apply(&p, c.data, c.size, &out, &n, &err), AMT_OK);
			free(out);
			planned++;
		} else {
			refused++;
		}
		amt_plan_release(&p);
	}
	assert_true(planned > 0);
	assert_true(refused > 0);
	tb_free(&c);
	tb_free(&b);
	tb_free(&r);
}

/* Golden: the whole plan of -r -t on the synthetic gen 2 region (kind,
 * offset, length, source, why, name). It does not depend on the run-time
 * signing keys. Reviewed by hand against the builder's layout
 * (build_neutralize.c): FOVD/MFS/NFTP wiped, UPDATE (LZMA) wiped, Huffman
 * chunks 4+5 (KERNEL/POLICY only) wiped as one range, the LLUT's SPI base,
 * stream start and chunk offsets moved with FTPR, FTPR moved to 0x7e0 (the
 * LLUT bound), the $FPT (ROM bypass + header + 5 entries) rewritten with
 * one entry, the file cut at 0x7000. */
static void test_golden_plan(void **state)
{
	(void)state;
	static const char golden[] =
	"1 000400 000c00 000000 partition FOVD\n"
	"1 003000 010000 000000 partition MFS\n"
	"1 050000 010000 000000 partition NFTP\n"
	"1 023000 001000 000000 module UPDATE\n"
	"1 021b00 000500 000000 huffman Huffman chunks\n"
	"0 02080c 000004 000000 relocate-llut LLUT\n"
	"0 020814 000004 000000 relocate-llut LLUT\n"
	"0 020840 00001c 000000 relocate-llut LLUT\n"
	"2 0007e0 030000 020000 relocate FTPR\n"
	"0 000000 0000d0 000000 fpt $FPT\n"
	"3 007000 007000 000000 truncate \n";
	static const char *const why[] = {
		[AMT_W_DISABLE_BIT] = "disable-bit", [AMT_W_PARTITION] = "partition",
		[AMT_W_MODULE] = "module", [AMT_W_HUFFMAN_CHUNKS] = "huffman",
		[AMT_W_FPT] = "fpt", [AMT_W_CPD] = "cpd", [AMT_W_RELOCATE_FPT] = "relocate-fpt",
		[AMT_W_RELOCATE_LLUT] = "relocate-llut", [AMT_W_RELOCATE] = "relocate",
		[AMT_W_TRUNCATE] = "truncate", [AMT_W_FLREG_ME] = "flreg-me",
		[AMT_W_FLREG_NEXT] = "flreg-next", [AMT_W_REGION_TAIL] = "region-tail",
		[AMT_W_FLMSTR_ME] = "flmstr", [AMT_W_WIPE] = "wipe",
	};
	struct tn_gen2 g;
	struct tb_buf b = tn_gen2_region(8, &g);
	struct amt_neutralize_opts o;
	compat(&o);
	o.relocate = o.truncate = true;
	struct amt_plan p;
	amt_error err;
	assert_int_equal(tu_plan(b.data, b.size, &o, &p, &err), AMT_OK);
	char got[4096] = "";
	size_t n = 0;
	for (size_t i = 0; i < p.nedits && n < sizeof(got); i++) {
		const struct amt_edit *x = &p.edits[i];
		n += (size_t)snprintf(got + n, sizeof(got) - n, "%d %06llx %06llx %06llx %s %s\n",
				      x->kind, (unsigned long long)x->offset,
				      (unsigned long long)x->length, (unsigned long long)x->src,
				      why[x->why], x->name);
	}
	assert_string_equal(got, golden);
	amt_plan_release(&p);
	tb_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gen2_region_default),
		cmocka_unit_test(test_gen2_native_region_matches_compat),
		cmocka_unit_test(test_gen2_keep_modules),
		cmocka_unit_test(test_gen2_whitelist_blacklist),
		cmocka_unit_test(test_gen2_relocate_truncate),
		cmocka_unit_test(test_gen2_full_soft_disable),
		cmocka_unit_test(test_gen2_descriptor_edits),
		cmocka_unit_test(test_gen1_full),
		cmocka_unit_test(test_me11_full_native),
		cmocka_unit_test(test_outcome_idempotent),
		cmocka_unit_test(test_truncated_region_options),
		cmocka_unit_test(test_gen3_cpd_directory_kept),
		cmocka_unit_test(test_gen3_removed_partition_inside_ftpr_range),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_native_bare_ifwi_refused),
		cmocka_unit_test(test_ignition_wiped),
		cmocka_unit_test(test_verify_catches_damage),
		cmocka_unit_test(test_plan_view_and_inplace),
		cmocka_unit_test(test_golden_fpt),
		cmocka_unit_test(test_golden_plan),
		cmocka_unit_test(test_fpt21_crc),
		cmocka_unit_test(test_keep_preview_agrees),
		cmocka_unit_test(test_hostile_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
