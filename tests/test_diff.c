/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * amt_diff(): two descriptors or images compared through the model.
 * Each "B" is made here from "A" by hand - one bit of one byte flipped at
 * the place a source names (Dasharo's intelblocks/me_*.h HAP_OFFSET,
 * me_cleaner.py, daemon32's ADL-N fork) - and the expectations are those
 * places, never the code's table: the diff must name that strap and bit,
 * say whether the table knows it, and list nothing else.
 */
#include <amtless/diff.h>
#include <amtless/neutralize.h>

#include "testutil.h"
#include "build_ifd.h"
#include "build_neutralize.h"
#include "corpus_split.h"

static struct amt_diff *diff_bytes(const uint8_t *a, size_t na, const uint8_t *b, size_t nb,
				   amt_platform_id named)
{
	struct amt_parse_opts po;
	amt_parse_opts_init(&po);
	po.verify_signatures = false;
	po.platform_override = named;
	struct amt_image *ia = NULL, *ib = NULL;
	amt_error e;
	assert_int_equal(amt_image_parse(a, na, &po, &ia, &e), AMT_OK);
	assert_int_equal(amt_image_parse(b, nb, &po, &ib, &e), AMT_OK);
	struct amt_diff *d = NULL;
	assert_int_equal(amt_diff(ia, ib, &d, &e), AMT_OK);
	assert_non_null(d);
	amt_image_free(ia);
	amt_image_free(ib);
	return d;
}

/* A copy of d/n with byte `at` XOR `m`. */
static uint8_t *flipped(const uint8_t *d, size_t n, size_t at, uint8_t m)
{
	uint8_t *c = malloc(n);
	assert_non_null(c);
	memcpy(c, d, n);
	c[at] ^= m;
	return c;
}

/* The diff of d against d with one bit flipped names exactly that bit. */
static void assert_one_bit(const struct amt_diff *d, const char *strap, unsigned index,
			   unsigned bit, uint64_t byte, bool set_b)
{
	assert_false(d->identical);
	assert_int_equal(d->ndiff_bytes, 1);
	assert_true(d->one_strap_bit);
	assert_int_equal(d->strap_bits, 1);
	assert_int_equal(d->nstraps, 1);
	assert_string_equal(d->straps[0].name, strap);
	assert_string_equal(d->bit.strap, strap);
	assert_int_equal(d->bit.index, index);
	assert_int_equal(d->bit.bit, bit);
	assert_int_equal(d->bit.file_offset, byte);
	assert_int_equal(d->bit.byte_bit, bit % 8);
	assert_int_equal(d->bit.set_b, set_b);
	assert_int_equal(d->bit.set_a, !set_b);
	assert_int_equal(d->straps[0].changed, 1u << bit);
	/* nothing but that */
	assert_int_equal(d->nregs, 0);
	assert_int_equal(d->desc_other_ndiff, 0);
	assert_int_equal(d->nitems, 0);
	for (size_t i = 0; i < d->nregions; i++) {
		const struct amt_diff_region *r = &d->regions[i];
		assert_true(r->same_place);
		if (r->id == AMT_RGN_FD) {
			assert_true(r->compared);
			assert_int_equal(r->ndiff, 1);
			assert_int_equal(r->first, byte);
			assert_int_equal(r->last, byte);
		} else {
			assert_int_equal(r->ndiff, 0);
		}
	}
}

/* ---- the community's use: a stock descriptor against a HAP-set one ------------ */

static const struct real {
	const char *name;
	const char *key;
	const char *strap;
	unsigned index;
	uint64_t byte;
	const char *src;
} reals[] = {
	{ "ifd_g3_adl-n_vp2430_dasharo.bin", "adp-n", "PCHSTRP31", 31, 0x17E, "me_16.h ALDERLAKE_PCH_N" },
	{ "ifd_g3_tgl-lp_galp5_heads.bin", "tgp-lp", "PCHSTRP31", 31, 0x17E, "me_15.h TIGERLAKE" },
	{ "ifd_g3_mtl_nuc-box_dasharo.bin", "mtl", "PCHSTRP71", 71, 0x21E, "me_18.h METEORLAKE_U_H" },
	{ "ifd_g3_jsl_v1210_dasharo.bin", "jsp", "PCHSTRP26", 26, 0x16A, "me_13.h JASPERLAKE" },
	{ "ifd_g3_adl_ms7d25_dasharo.bin", "adp-s", "PCHSTRP55", 55, 0x1DE, "me_16.h ALDERLAKE_PCH_S" },
	{ "ifd_g3_cml_darp6_bluecmd.rom", "cnp-lp", "PCHSTRP28", 28, 0x172, "me_12.h COMETLAKE_1/2" },
};

static void test_corpus_hap_set(void **state)
{
	(void)state;
	if (!getenv("AMTLESS_CORPUS")) {
		print_message("AMTLESS_CORPUS not set: skipping the real descriptors\n");
		skip();
	}
	for (size_t i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
		const struct real *r = &reals[i];
		size_t n;
		uint8_t *a = tu_corpus_image(r->name, &n);
		assert_non_null(a);
		print_message("  %s: %s bit 16 at 0x%llx (%s)\n", r->name, r->strap,
			      (unsigned long long)r->byte, r->src);
		uint8_t *b = flipped(a, n, r->byte, 0x01);
		struct amt_diff *d = diff_bytes(a, n, b, n, AMT_PLAT_UNKNOWN);
		assert_one_bit(d, r->strap, r->index, 16, r->byte, true);
		assert_int_equal(d->bit.known, AMT_DK_KNOWN);
		assert_int_equal(d->bit.platform, amt_platform_from_key(r->key));
		assert_true(d->bit.table_located);
		assert_int_equal(d->bit.table_kind, AMT_DIS_HAP);
		assert_string_equal(d->bit.table_strap, r->strap);
		assert_true(d->straps[0].disable_bit);
		amt_diff_free(d);
		/* the other way round: the bit cleared */
		d = diff_bytes(b, n, a, n, AMT_PLAT_UNKNOWN);
		assert_one_bit(d, r->strap, r->index, 16, r->byte, false);
		assert_int_equal(d->bit.known, AMT_DK_KNOWN);
		amt_diff_free(d);
		/* a descriptor against itself */
		d = diff_bytes(a, n, a, n, AMT_PLAT_UNKNOWN);
		assert_true(d->identical);
		assert_int_equal(d->nstraps + d->nregs + d->nitems + d->desc_other_ndiff, 0);
		assert_false(d->one_strap_bit);
		amt_diff_free(d);
		free(b);
		free(a);
	}
}

/* ADL-N: daemon32's me_cleaner fork sets PCHSTRP31 bit 16 and PCHSTRP55 bit
 * 16, as Intel's FIT flips both. PCHSTRP55 alone is not ADL-N's place (the
 * table's is PCHSTRP31); both together are two bits, one the disable bit. */
static void test_corpus_adl_n_two_places(void **state)
{
	(void)state;
	if (!getenv("AMTLESS_CORPUS"))
		skip();
	size_t n;
	uint8_t *a = tu_corpus_image("ifd_g3_adl-n_vp2430_dasharo.bin", &n);
	assert_non_null(a);
	uint8_t *b = flipped(a, n, 0x1DE, 0x01);          /* PCHSTRP55 bit 16 */
	struct amt_diff *d = diff_bytes(a, n, b, n, AMT_PLAT_UNKNOWN);
	assert_one_bit(d, "PCHSTRP55", 55, 16, 0x1DE, true);
	assert_int_equal(d->bit.known, AMT_DK_OTHER_PLACE);
	assert_string_equal(d->bit.table_strap, "PCHSTRP31");
	assert_int_equal(d->bit.table_bit, 16);
	assert_false(d->straps[0].disable_bit);
	amt_diff_free(d);
	b[0x17E] ^= 0x01;                                 /* and PCHSTRP31 bit 16 */
	d = diff_bytes(a, n, b, n, AMT_PLAT_UNKNOWN);
	assert_false(d->one_strap_bit);
	assert_int_equal(d->bit.known, AMT_DK_NOT_ONE_BIT);
	assert_int_equal(d->strap_bits, 2);
	assert_int_equal(d->nstraps, 2);
	assert_string_equal(d->straps[0].name, "PCHSTRP31");
	assert_true(d->straps[0].disable_bit);
	assert_string_equal(d->straps[1].name, "PCHSTRP55");
	assert_false(d->straps[1].disable_bit);
	amt_diff_free(d);
	free(b);
	free(a);
}

/* Two platforms: the Protectli VP2430 (ADL-N) against the MSI Z690
 * (ADL-S). The descriptors' own registers, read here from the bytes
 * (FRBA 0x40, FMBA 0x80 in both: FLMAP0/1 of the files), are what the
 * diff must report. */
static void test_corpus_two_platforms(void **state)
{
	(void)state;
	if (!getenv("AMTLESS_CORPUS"))
		skip();
	size_t na, nb;
	uint8_t *a = tu_corpus_image("ifd_g3_adl-n_vp2430_dasharo.bin", &na);
	uint8_t *b = tu_corpus_image("ifd_g3_adl_ms7d25_dasharo.bin", &nb);
	assert_non_null(a);
	assert_non_null(b);
	struct amt_diff *d = diff_bytes(a, na, b, nb, AMT_PLAT_UNKNOWN);
	assert_false(d->identical);
	assert_int_equal(d->platform_a, AMT_PLAT_ADP_N);
	assert_int_equal(d->platform_b, AMT_PLAT_ADP_S_B0);
	assert_false(d->one_strap_bit);
	assert_true(d->strap_bits > 1);
	/* ISL: 0x46 (70) straps against 0x73 (115): 45 in B only */
	assert_int_equal(d->straps_only_one, 115 - 70);
	/* FLREG1 (BIOS) and FLREG2 (ME) differ: 0x00500000 vs 0x00400000 */
	uint32_t bios_a = amt_rd32(a + 0x44), bios_b = amt_rd32(b + 0x44);
	uint32_t me_a = amt_rd32(a + 0x48), me_b = amt_rd32(b + 0x48);
	assert_int_not_equal(bios_a, bios_b);
	bool saw_bios = false, saw_me = false;
	for (size_t i = 0; i < d->nregs; i++) {
		const struct amt_diff_reg *r = &d->regs[i];
		if (r->kind == AMT_DREG_FLREG && r->index == 1) {
			saw_bios = true;
			assert_int_equal(r->a, bios_a);
			assert_int_equal(r->b, bios_b);
			assert_int_equal(r->base_a, 0x500000);
			assert_int_equal(r->base_b, 0x400000);
		}
		if (r->kind == AMT_DREG_FLREG && r->index == 2) {
			saw_me = true;
			assert_int_equal(r->a, me_a);
			assert_int_equal(r->b, me_b);
		}
	}
	assert_true(saw_bios);
	assert_true(saw_me == (me_a != me_b));
	/* every listed strap really differs, at the offset it names */
	for (size_t i = 0; i < d->nstraps; i++) {
		const struct amt_diff_strap *s = &d->straps[i];
		if (s->in_a)
			assert_int_equal(amt_rd32(a + s->offset_a), s->a);
		if (s->in_b)
			assert_int_equal(amt_rd32(b + s->offset_b), s->b);
		assert_true(!s->in_a || !s->in_b || s->a != s->b);
	}
	amt_diff_free(d);
	free(a);
	free(b);
}

/* A full image against its neutralized self: one strap bit (the disable
 * bit), the ME region; the boot modules me_cleaner keeps on ME 11 (rbe,
 * kernel, syslib, bup: me_cleaner.py) are the same, the partitions it
 * removes are in A only. */
static void test_corpus_full_neutralized(void **state)
{
	(void)state;
	if (!getenv("AMTLESS_CORPUS"))
		skip();
	size_t n;
	uint8_t *a = tu_corpus_image("DERIVED-full_me11.8.82.3838_x210.bin", &n);
	assert_non_null(a);
	struct amt_neutralize_opts o;
	amt_neutralize_opts_init(&o);
	o.set_disable_bit = true;
	struct amt_plan p;
	size_t on;
	uint8_t *b = tu_neutralize_ok(a, n, &o, &p, &on, NULL);
	amt_plan_release(&p);
	struct amt_diff *d = diff_bytes(a, n, b, on, AMT_PLAT_UNKNOWN);
	assert_true(d->one_strap_bit);
	assert_string_equal(d->bit.strap, "PCHSTRP0");
	assert_int_equal(d->bit.file_offset, 0x102);
	assert_int_equal(d->bit.known, AMT_DK_KNOWN);
	assert_true(d->fw_a && d->fw_b);
	bool me = false;
	for (size_t i = 0; i < d->nregions; i++) {
		const struct amt_diff_region *r = &d->regions[i];
		if (r->id == AMT_RGN_ME) {
			me = true;
			assert_true(r->ndiff > 0);
		} else if (r->id == AMT_RGN_BIOS) {
			assert_int_equal(r->ndiff, 0);
		}
	}
	assert_true(me);
	static const char *const kept[] = { "rbe", "kernel", "syslib", "bup" };
	bool mfs_gone = false;
	for (size_t i = 0; i < d->nitems; i++) {
		const struct amt_diff_item *it = &d->items[i];
		for (size_t k = 0; k < 4; k++)
			if (it->kind == AMT_DITEM_MODULE && !strcmp(it->partition, "FTPR"))
				assert_string_not_equal(it->name, kept[k]);
		if (it->kind == AMT_DITEM_PARTITION && !strcmp(it->name, "MFS")) {
			mfs_gone = true;
			assert_int_equal(it->change, AMT_DCH_ONLY_A);
		}
	}
	assert_true(mfs_gone);
	assert_true(d->same_modules >= 4);
	amt_diff_free(d);
	free(b);
	free(a);
}

/* ---- synthetic: the answers a new platform gets --------------------------------- */

static struct tb_buf plat(const char *key)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	assert_true(tb_ifd_platform_straps(&o, key));
	return tb_ifd_build(&o);
}

static void test_synthetic_answers(void **state)
{
	(void)state;
	/* Panther Lake: no public source; the bit found is offered, not known */
	struct tb_buf b = plat("ptl");
	uint8_t *c = flipped(b.data, b.size, 0x100 + 40 * 4 + 2, 0x01);
	struct amt_diff *d = diff_bytes(b.data, b.size, c, b.size, AMT_PLAT_UNKNOWN);
	assert_one_bit(d, "PCHSTRP40", 40, 16, 0x1A2, true);
	assert_int_equal(d->bit.known, AMT_DK_NO_SOURCE);
	assert_int_equal(d->bit.platform, AMT_PLAT_PTL);
	assert_false(d->bit.table_located);
	amt_diff_free(d);
	free(c);
	tb_free(&b);

	/* a geometry no row fits: nothing to compare with */
	struct tb_ifd_opts io;
	tb_ifd_defaults(&io, 2);
	assert_true(tb_ifd_platform_geometry(&io, "dnv"));
	b = tb_ifd_build(&io);
	c = flipped(b.data, b.size, 0x100 + 12 * 4 + 2, 0x01);
	d = diff_bytes(b.data, b.size, c, b.size, AMT_PLAT_UNKNOWN);
	assert_one_bit(d, "PCHSTRP12", 12, 16, 0x132, true);
	assert_int_equal(d->bit.known, AMT_DK_PLATFORM_UNKNOWN);
	amt_diff_free(d);
	/* ... unless the platform is named (Denverton: PCHSTRP14 bit 16 in
	 * Dasharo's ifdtool, so PCHSTRP12 is another place) */
	d = diff_bytes(b.data, b.size, c, b.size, AMT_PLAT_DNV);
	assert_int_equal(d->bit.known, AMT_DK_OTHER_PLACE);
	assert_string_equal(d->bit.table_strap, "PCHSTRP14");
	amt_diff_free(d);
	free(c);
	tb_free(&b);

	/* ICH8-10: MCHSTRP0 bit 0, the second MeDisable bit (me_cleaner gen 1),
	 * a CPU-section strap */
	tb_ifd_defaults_ich(&io);
	b = tb_ifd_build(&io);
	uint64_t mch = io.fmsba;
	c = flipped(b.data, b.size, mch, 0x01);
	d = diff_bytes(b.data, b.size, c, b.size, AMT_PLAT_UNKNOWN);
	assert_one_bit(d, "MCHSTRP0", 0, 0, mch, !(b.data[mch] & 1));
	assert_int_equal(d->bit.section, AMT_STRAPS_CPU);
	assert_int_equal(d->straps[0].section, AMT_STRAPS_CPU);
	assert_int_equal(d->bit.known, AMT_DK_KNOWN);
	assert_int_equal(d->bit.table_kind, AMT_DIS_MEDISABLE);
	amt_diff_free(d);
	free(c);
	tb_free(&b);

	/* two different platforms' geometry: not compared with the table */
	struct tb_buf x = plat("tgp-lp"), y = plat("adp-p");
	d = diff_bytes(x.data, x.size, y.data, y.size, AMT_PLAT_UNKNOWN);
	assert_int_equal(d->platform_a, AMT_PLAT_TGP_LP);
	assert_int_equal(d->platform_b, AMT_PLAT_ADP_P);
	if (d->one_strap_bit)
		assert_int_equal(d->bit.known, AMT_DK_PLATFORMS_DIFFER);
	amt_diff_free(d);
	tb_free(&x);
	tb_free(&y);

	/* other descriptor bytes and the master registers: the OEM section
	 * (0xF00) and FLMSTR1 (FMBA 0x80) */
	b = plat("adp-p");
	c = flipped(b.data, b.size, 0xF10, 0x40);
	c[0x80 + 1] ^= 0x01;                 /* FLMSTR1 read bit of region 0 (IFDv2 [19:8]) */
	d = diff_bytes(b.data, b.size, c, b.size, AMT_PLAT_UNKNOWN);
	assert_false(d->one_strap_bit);
	assert_int_equal(d->nstraps, 0);
	assert_int_equal(d->desc_other_ndiff, 1);
	assert_int_equal(d->desc_other_first, 0xF10);
	assert_int_equal(d->nregs, 1);
	assert_int_equal(d->regs[0].kind, AMT_DREG_FLMSTR);
	assert_int_equal(d->regs[0].index, 1);
	assert_string_equal(d->regs[0].name, "FLMSTR1");
	assert_int_equal(d->regs[0].read_a ^ d->regs[0].read_b, 1);
	amt_diff_free(d);
	free(c);
	tb_free(&b);
}

/* A generation 2 image: the Huffman modules of FTPR are compared by their
 * stored hash; a full image against its bare ME region compares the ME
 * regions and nothing of the descriptor. */
static void test_synthetic_firmware(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf r = tn_gen2_region(8, &g);
	struct tb_buf f = tn_full_image(&r, 1, "ibx", 0x200000);
	struct amt_diff *d = diff_bytes(f.data, f.size, r.data, r.size, AMT_PLAT_UNKNOWN);
	assert_false(d->identical);
	assert_true(d->ifd_a);
	assert_false(d->ifd_b);
	assert_int_equal(d->nstraps, 0);
	assert_int_equal(d->nitems, 0);
	bool me = false;
	for (size_t i = 0; i < d->nregions; i++)
		if (d->regions[i].id == AMT_RGN_ME) {
			me = true;
			assert_true(d->regions[i].compared);
			assert_int_equal(d->regions[i].ndiff, 0);
			assert_int_equal(d->regions[i].compared_len, r.size);
		}
	assert_true(me);
	amt_diff_free(d);

	/* the region neutralized (me_cleaner -k keeps every FTPR module; the
	 * default removes KERNEL, POLICY, UPDATE of FTPR: ROMP and BUP stay) */
	struct amt_neutralize_opts o;
	amt_neutralize_opts_init(&o);
	struct amt_plan p;
	size_t on;
	uint8_t *clean = tu_neutralize_ok(r.data, r.size, &o, &p, &on, NULL);
	amt_plan_release(&p);
	d = diff_bytes(r.data, r.size, clean, on, AMT_PLAT_UNKNOWN);
	bool kernel = false;
	for (size_t i = 0; i < d->nitems; i++) {
		const struct amt_diff_item *it = &d->items[i];
		if (it->kind != AMT_DITEM_MODULE)
			continue;
		assert_string_not_equal(it->name, "ROMP");
		assert_string_not_equal(it->name, "BUP");
		if (!strcmp(it->name, "KERNEL")) {
			kernel = true;
			assert_int_equal(it->change, AMT_DCH_CHANGED);
			assert_true(it->by_hash);
		}
	}
	assert_true(kernel);
	amt_diff_free(d);
	free(clean);
	tb_free(&f);
	tb_free(&r);
}

/* Fuzzing finding (fuzz_diff, RELIABILITY.md): partitions and modules that
 * run past the end of a cut file were listed as differing ("unknown") in a
 * diff of the file against itself. What both files hold alike is the
 * same; a file that holds more of it than the other differs. */
static void test_truncated(void **state)
{
	(void)state;
	struct tn_gen2 g;
	struct tb_buf r = tn_gen2_region(8, &g);
	size_t cut = g.ftpr_off + g.ftpr_size / 2;   /* inside FTPR */
	struct amt_diff *d = diff_bytes(r.data, cut, r.data, cut, AMT_PLAT_UNKNOWN);
	assert_true(d->identical);
	assert_int_equal(d->nitems, 0);
	amt_diff_free(d);
	/* the whole region against the cut one: FTPR and what lies past the
	 * cut differ (the whole one holds more of them) */
	d = diff_bytes(r.data, r.size, r.data, cut, AMT_PLAT_UNKNOWN);
	assert_false(d->identical);
	assert_int_equal(d->ndiff_bytes, r.size - cut);
	bool ftpr = false;
	for (size_t i = 0; i < d->nitems; i++) {
		const struct amt_diff_item *it = &d->items[i];
		if (it->kind == AMT_DITEM_PARTITION && !strcmp(it->name, "FTPR")) {
			ftpr = true;
			assert_int_equal(it->change, AMT_DCH_CHANGED);
			assert_int_equal(it->ndiff, 0);
		}
	}
	assert_true(ftpr);
	amt_diff_free(d);
	tb_free(&r);
}

static void test_args(void **state)
{
	(void)state;
	struct amt_diff *d = (struct amt_diff *)1;
	amt_error e;
	assert_int_equal(amt_diff(NULL, NULL, &d, &e), AMT_E_ARG);
	assert_null(d);
	amt_diff_free(NULL);
	assert_string_equal(amt_diff_known_str(AMT_DK_NO_SOURCE), "no-source");
	assert_string_equal(amt_diff_change_str(AMT_DCH_ONLY_B), "only-b");
	assert_string_equal(amt_strap_section_str(AMT_STRAPS_CPU), "cpu");
	assert_string_equal(amt_diff_reg_kind_str(AMT_DREG_FLMSTR), "flmstr");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_hap_set),
		cmocka_unit_test(test_corpus_adl_n_two_places),
		cmocka_unit_test(test_corpus_two_platforms),
		cmocka_unit_test(test_corpus_full_neutralized),
		cmocka_unit_test(test_synthetic_answers),
		cmocka_unit_test(test_synthetic_firmware),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_args),
	};
	return corpus_split_run(tests, NULL, NULL, argc, argv);
}
