/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Native neutralization of CSME 12+ and IFWI firmware (lib/neutralize/cse.c):
 * the HAP bit for every platform of the table (recognised from the straps,
 * ambiguous ones refused unless --platform names them, unknown ones
 * refused), signed descriptors, bare regions, and the --reduce-cse
 * reduction on synthetic IFWI 1.6 / 1.7 / BPDT (with a secondary BPDT)
 * images. Real firmware (AMTLESS_CORPUS): the assembled CSME 14 and 16
 * full images get exactly their HAP byte changed; CSME 12/14/16, TXE 3/4
 * and IFWI images parse completely; what is done to them is valid or
 * refused with a reason.
 */
#include <amtless/neutralize.h>

#include "testutil.h"
#include "build_cse.h"
#include "build_ifd.h"
#include "corpus_split.h"

#define ME_BASE 0x1000u
#define IMG_SIZE 0x800000u

static struct amt_image *parse(const uint8_t *d, size_t n)
{
	struct amt_parse_opts po;
	amt_parse_opts_init(&po);
	struct amt_image *img = NULL;
	amt_error err;
	amt_status st = amt_image_parse(d, n, &po, &img, &err);
	if (st != AMT_OK)
		fail_msg("parse: %s", err.message);
	return img;
}

static size_t count_bad_checks(const struct amt_image *img, bool hashes_too)
{
	size_t n = 0;
	for (size_t i = 0; i < img->fw.nchecks; i++) {
		const struct amt_check *c = &img->fw.checks[i];
		/* hashes: as amt_neutralize_verify, a removed module's hash is not
		 * structural */
		bool hash = strstr(c->what, "hash") || strstr(c->what, "SHA");
		if (c->ok == AMT_NO && (hashes_too || !hash))
			n++;
	}
	return n;
}

/* plan + snapshot + apply + verify, all expected to succeed */
/* A plan that must fail with code; returns the message (static). */
static amt_error perr;

/* The plan fails with code; returns the message (err.reason holds the
 * typed reason). Library messages never name command-line options. */
static const char *plan_fails(const uint8_t *d, size_t n, const struct amt_image *img,
			      const struct amt_neutralize_opts *o, amt_status code)
{
	(void)img;
	struct amt_plan p;
	amt_status st = tu_plan(d, n, o, &p, &perr);
	if (st != code)
		fail_msg("plan returned %d (%s), expected %d", st,
			 st == AMT_OK ? "ok" : perr.message, code);
	assert_int_equal(p.nedits, 0);
	amt_plan_release(&p);
	assert_true(strlen(perr.message) > 20);
	assert_null(strstr(perr.message, "--"));
	return perr.message;
}

static void native(struct amt_neutralize_opts *o, bool full)
{
	amt_neutralize_opts_init(o);
	o->set_disable_bit = full;   /* as the CLI does for a full image */
}

/* ------------------------------------------------------------------ */
/* synthetic images                                                   */

struct fw_pick {
	enum tb_ifwi_kind kind;
	uint16_t ver[4];
};

/* Firmware each platform runs (the table's firmware column). The CSE
 * builder makes client firmware only: server rows (SPS) and the rows
 * without a HAP source are checked as refusals. */
static struct fw_pick fw_for(amt_platform_id id)
{
	struct fw_pick f = { TB_IFWI_16, { 14, 0, 10, 1204 } };
	switch (id) {
	case AMT_PLAT_SPT_KBP: f.ver[0] = 11; f.ver[1] = 8; break;
	case AMT_PLAT_CMP_V: f.ver[1] = 5; break;
	case AMT_PLAT_JSP: f.ver[0] = 13; f.ver[1] = 50; break;
	case AMT_PLAT_ICP_LP: case AMT_PLAT_ICX_D: f.ver[0] = 13; break;
	case AMT_PLAT_TGP_LP: case AMT_PLAT_TGP_H:
		f.kind = TB_IFWI_17; f.ver[0] = 15; break;
	case AMT_PLAT_MCC: f.kind = TB_IFWI_17; f.ver[0] = 15; f.ver[1] = 40; break;
	case AMT_PLAT_ADP_P: case AMT_PLAT_ADP_S_B0: case AMT_PLAT_ADP_S_A0: case AMT_PLAT_ADP_N:
	case AMT_PLAT_ADP_PN:
		f.kind = TB_IFWI_17; f.ver[0] = 16; f.ver[1] = 1; break;
	case AMT_PLAT_MTL: case AMT_PLAT_ARL_HU: f.kind = TB_IFWI_17; f.ver[0] = 18; break;
	case AMT_PLAT_ARL_S: f.kind = TB_IFWI_17; f.ver[0] = 19; break;
	case AMT_PLAT_LNL: f.kind = TB_IFWI_17; f.ver[0] = 20; break;
	case AMT_PLAT_PTL: case AMT_PLAT_WCL: case AMT_PLAT_NVL:
		f.kind = TB_IFWI_17; f.ver[0] = 21; break;
	case AMT_PLAT_APL_GLK: f.kind = TB_IFWI_BPDT; f.ver[0] = 4; f.ver[1] = 0; break;
	default: break;
	}
	return f;
}

/* Full image: IFDv2 descriptor at 0 with the platform's straps (HAP bit
 * cleared), the IFWI region as ME region at 0x1000. */
enum { BIT_KEEP, BIT_CLEAR, BIT_SET };

static struct tb_buf full_image(const char *key, struct fw_pick f, int bit_mode,
				struct tb_cse_info *info)
{
	struct tb_cse_opts co;
	tb_cse_opts_default(&co);
	memcpy(co.ver, f.ver, sizeof(co.ver));
	struct tb_buf r = tb_ifwi_region(f.kind, &co, info);
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	tb_ifd_platform_straps(&o, key ? key : "");
	const struct amt_platform_desc *d = key ? amt_platform_by_key(key) : NULL;
	if (d && bit_mode == BIT_CLEAR && d->strap_index < TB_IFD_MAX_STRAPS)
		o.pchstrp[d->strap_index] &= ~(1u << d->bit);
	if (d && bit_mode == BIT_SET && d->strap_index < TB_IFD_MAX_STRAPS)
		o.pchstrp[d->strap_index] |= 1u << d->bit;
	o.flreg[2] = tb_ifd_flreg(ME_BASE, ME_BASE + (uint32_t)r.size - 1);
	struct tb_buf b = tb_ifd_image(&o, IMG_SIZE, 0);
	memcpy(b.data + ME_BASE, r.data, r.size);
	tb_free(&r);
	return b;
}

/* Only the HAP byte differs, by its bit. */
static void only_bit_changed(const uint8_t *in, const uint8_t *out, size_t n, uint64_t byte,
			     unsigned bit)
{
	for (size_t i = 0; i < n; i++) {
		if (i == byte)
			assert_int_equal(in[i] ^ out[i], 1u << bit);
		else if (in[i] != out[i])
			fail_msg("byte 0x%zx changed (0x%02x -> 0x%02x), only 0x%llx should", i, in[i],
				 out[i], (unsigned long long)byte);
	}
}

/* Platforms the straps or the descriptor geometry recognise on the
 * builder's descriptors (tb_ifd_platform_straps). */
static bool has_pattern(amt_platform_id id)
{
	switch (id) {
	case AMT_PLAT_ICH8_10: case AMT_PLAT_IBX_WPT: case AMT_PLAT_BYT_BSW: case AMT_PLAT_DNV:
	case AMT_PLAT_SNR: case AMT_PLAT_ARL_HU:
		return false;
	default:
		return true;
	}
}

/* Rows whose firmware is server firmware (SPS): the builder's CSME
 * firmware contradicts them. */
static bool server_row(const struct amt_platform_desc *d)
{
	return d->fw[0].family == AMT_FAM_CSSPS;
}

/* Every row of the table: recognised -> bit set at the table's place;
 * doubtful -> refused, then honoured with --platform; rows without a
 * public source -> refused, named or not; rows whose firmware is not the
 * image's (non-HAP rows, server rows) named -> refused. */
static void test_every_platform_row(void **state)
{
	(void)state;
	unsigned nset = 0, nrefused = 0, noverride = 0, nnamed_refused = 0;
	for (int id = AMT_PLAT_UNKNOWN + 1; id < AMT_PLAT__COUNT; id++) {
		const struct amt_platform_desc *d = amt_platform_get((amt_platform_id)id);
		assert_non_null(d);
		struct tb_cse_info info;
		struct tb_buf b = full_image(d->key, fw_for(d->id), BIT_CLEAR, &info);
		struct amt_image *img = parse(b.data, b.size);
		assert_int_equal(img->kind, AMT_KIND_FULL);
		assert_true(img->has_fw);
		uint64_t byte = img->ifd.offset + img->ifd.fpsba + 4ull * d->strap_index + d->bit / 8;
		bool writable = d->kind == AMT_DIS_HAP && d->hap_known && !server_row(d);
		struct amt_neutralize_opts o;
		struct amt_plan p;
		struct amt_report *rep = NULL;
		size_t n;

		/* recognised from geometry / straps / firmware */
		native(&o, true);
		if (has_pattern(d->id) && d->kind == AMT_DIS_HAP) {
			if (d->doubtful || !writable) {
				const char *m = plan_fails(b.data, b.size, img, &o, AMT_E_PLATFORM);
				(void)m;
				assert_true(perr.reason == AMT_R_PLATFORM_UNKNOWN ||
					    perr.reason == AMT_R_PLATFORM_AMBIGUOUS ||
					    perr.reason == AMT_R_PLATFORM_MISMATCH ||
					    perr.reason == AMT_R_PLATFORM_NO_SOURCE);
				nrefused++;
			} else {
				assert_int_equal(img->ifd.platform.id, d->id);
				uint8_t *out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, &rep);
				assert_int_equal(p.ndisable, 1);
				assert_int_equal(p.disable_before, AMT_NO);
				assert_int_equal(rep->disable_bit, AMT_YES);
				assert_int_equal(rep->ftpr_sig, AMT_SIG_VALID);
				only_bit_changed(b.data, out, n, byte, d->bit % 8);
				amt_report_free(rep);
				rep = NULL;
				free(out);
				amt_plan_release(&p);
				nset++;
			}
		}
		/* named with --platform */
		native(&o, true);
		o.platform = d->id;
		if (writable) {
			uint8_t *out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, &rep);
			only_bit_changed(b.data, out, n, byte, d->bit % 8);
			assert_int_equal(rep->disable_bit, AMT_YES);
			if (d->doubtful)
				assert_non_null(strstr(tu_notes(&p), "doubtful"));
			amt_report_free(rep);
			rep = NULL;
			free(out);
			amt_plan_release(&p);
			noverride++;
		} else {
			const char *m = plan_fails(b.data, b.size, img, &o, AMT_E_PLATFORM);
			if (d->kind != AMT_DIS_HAP)
				assert_non_null(strstr(m, "HAP"));
			else if (!d->hap_known)
				assert_non_null(strstr(m, "no public source"));
			else
				assert_non_null(strstr(m, "contradicts")); /* server row, CSME firmware */
			nnamed_refused++;
		}
		amt_image_free(img);
		tb_free(&b);
	}
	/* 13 recognised and written (spt, cnp-lp, cnp-h, cmp-v, jsp, tgp-lp,
	 * tgp-h, mcc, adp-p, adp-n, adp-s, adp-s-a0, mtl); refused unnamed:
	 * icp-lp, icx-d, lbg, apl, adp-pn (doubtful or server) and arl-s,
	 * lnl, ptl, wcl, nvl, ebg (no source); named: the 16 client HAP rows
	 * written, 14 refused (ich/ibx/byt, lbg/dnv/icx-d, 8 without source) */
	assert_int_equal(nset, 13);
	assert_int_equal(nrefused, 11);
	assert_int_equal(noverride, 16);
	assert_int_equal(nnamed_refused, 14);
}

static void test_unknown_descriptor_refused(void **state)
{
	(void)state;
	struct tb_cse_info info;
	/* CSME 16 firmware, straps that match no Alder Lake pattern */
	struct fw_pick f = fw_for(AMT_PLAT_ADP_P);
	struct tb_buf b = full_image(NULL, f, BIT_KEEP, &info);
	struct amt_image *img = parse(b.data, b.size);
	assert_false(img->ifd.disable.located);
	struct amt_neutralize_opts o;
	native(&o, true);
	const char *m = plan_fails(b.data, b.size, img, &o, AMT_E_PLATFORM);
	assert_non_null(strstr(m, "guess"));
	amt_image_free(img);
	tb_free(&b);
}

static void test_already_set(void **state)
{
	(void)state;
	struct tb_cse_info info;
	struct tb_buf b = full_image("adp-s", fw_for(AMT_PLAT_ADP_S_B0), BIT_SET, &info);
	struct amt_image *img = parse(b.data, b.size);
	assert_int_equal(img->ifd.disable.state, AMT_YES);
	struct amt_neutralize_opts o;
	native(&o, true);
	struct amt_plan p;
	struct amt_report *rep = NULL;
	size_t n;
	uint8_t *out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, &rep);
	assert_int_equal(p.nedits, 0);
	assert_int_equal(p.disable_before, AMT_YES);
	assert_memory_equal(out, b.data, n);
	amt_report_free(rep);
	rep = NULL;
	free(out);
	amt_plan_release(&p);
	amt_image_free(img);
	tb_free(&b);
}

static void test_fdv(void **state)
{
	(void)state;
	struct tb_cse_info info;
	struct tb_buf b = full_image("cnp-lp", fw_for(AMT_PLAT_CNP_LP), BIT_CLEAR, &info);
	tb_ifd_add_fdv(&b, 0, 0, NULL, NULL);
	struct amt_image *img = parse(b.data, b.size);
	assert_true(img->ifd.fdv.present);
	struct amt_neutralize_opts o;
	native(&o, true);
	const char *m = plan_fails(b.data, b.size, img, &o, AMT_E_REFUSED);
	assert_non_null(strstr(m, "signed"));
	assert_int_equal(perr.reason, AMT_R_SIGNED_DESCRIPTOR);

	o.allow_signed_descriptor = true;
	struct amt_plan p;
	struct amt_report *rep = NULL;
	size_t n;
	uint8_t *out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, &rep);
	assert_non_null(strstr(tu_notes(&p), "signature is now invalid"));
	only_bit_changed(b.data, out, n, 0x172, 0);
	amt_report_free(rep);
	rep = NULL;
	free(out);
	amt_plan_release(&p);
	amt_image_free(img);

	/* the HAP byte inside an exclusion range: no override needed */
	uint16_t s[1] = { 0x170 }, e[1] = { 0x174 };
	tb_ifd_add_fdv(&b, 0, 1, s, e);
	img = parse(b.data, b.size);
	assert_true(img->ifd.fdv.present);
	assert_int_equal(img->ifd.fdv.nexcl >= 1, 1);
	native(&o, true);
	out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, &rep);
	assert_non_null(strstr(tu_notes(&p), "exclusion range"));
	only_bit_changed(b.data, out, n, 0x172, 0);
	amt_report_free(rep);
	rep = NULL;
	free(out);
	amt_plan_release(&p);
	amt_image_free(img);
	tb_free(&b);
}

static void test_bare_region_refused(void **state)
{
	(void)state;
	static const enum tb_ifwi_kind kinds[] = { TB_IFWI_16, TB_IFWI_17, TB_IFWI_BPDT };
	for (size_t k = 0; k < 3; k++) {
		struct tb_cse_opts co;
		struct tb_cse_info info;
		tb_cse_opts_default(&co);
		struct tb_buf b = tb_ifwi_region(kinds[k], &co, &info);
		struct amt_image *img = parse(b.data, b.size);
		struct amt_neutralize_opts o;
		native(&o, false);
		const char *m = plan_fails(b.data, b.size, img, &o, AMT_E_REFUSED);
		assert_non_null(strstr(m, "descriptor"));
		/* the synthetic InitScript: kernel HAP, bup/syslib (essential)
		 * not: nothing may go */
		o.reduce_cse = true;
		m = plan_fails(b.data, b.size, img, &o, AMT_E_REFUSED);
		assert_non_null(strstr(m, "nothing can be removed"));
		/* options that move partitions are not offered */
		native(&o, false);
		o.truncate = true;
		plan_fails(b.data, b.size, img, &o, AMT_E_UNSUPPORTED);
		amt_image_free(img);
		tb_free(&b);
	}
}

/* Rewrite FTPR with an InitScript that lets modules go. */
static void ftpr_with_flags(struct tb_buf *b, enum tb_ifwi_kind kind, const struct tb_cse_info *info,
			    const char *const *mods, unsigned nmods, uint32_t init0, uint32_t boot0,
			    struct tb_cpd_out *out)
{
	struct tb_cpd_spec s;
	tb_cpd_spec_ftpr(&s);
	s.nmods = nmods;
	for (unsigned i = 0; i < nmods; i++)
		s.mods[i] = mods[i];
	s.init_flags_first = init0;
	s.boot_flags_first = boot0;
	s.cpd_version = kind == TB_IFWI_17 ? 2 : 1;
	s.r2_manifest = kind == TB_IFWI_17;
	s.init_entry_size = kind == TB_IFWI_BPDT ? 0x18 : 0x1C;
	static const uint16_t v14[4] = { 14, 0, 10, 1204 }, v16[4] = { 16, 1, 30, 2307 },
			      v4[4] = { 4, 0, 50, 2083 };
	memcpy(s.ver, kind == TB_IFWI_16 ? v14 : kind == TB_IFWI_17 ? v16 : v4, sizeof(s.ver));
	memset(b->data + info->ftpr, 0xFF, 0x20000);
	tb_cpd_write(b->data, b->size, info->ftpr, 0x20000, &s, out);
}

static const struct amt_module *find_mod(const struct amt_image *img, const char *part,
					 const char *name)
{
	for (size_t i = 0; i < img->fw.nmodules; i++)
		if (!strcmp(img->fw.modules[i].partition, part) &&
		    !strcmp(img->fw.modules[i].name, name))
			return &img->fw.modules[i];
	return NULL;
}

static void reduce_case(enum tb_ifwi_kind kind, bool removable_flag)
{
	struct tb_cse_opts co;
	struct tb_cse_info info;
	tb_cse_opts_default(&co);
	struct tb_buf b = tb_ifwi_region(kind, &co, &info);
	struct tb_cpd_out fo;
	/* Removable: touch_fw flagged (no module HAP); HAP flow: kernel HAP,
	 * the others not (bup essential, dal_ivm goes) */
	static const char *const rm_mods[] = { "touch_fw", "kernel", "bup" };
	static const char *const hap_mods[] = { "kernel", "bup", "dal_ivm" };
	const char *gone = removable_flag ? "touch_fw" : "dal_ivm";
	unsigned gi = removable_flag ? 0 : 2;
	if (removable_flag)
		ftpr_with_flags(&b, kind, &info, rm_mods, 3, 0x06, 0x01, &fo);
	else
		ftpr_with_flags(&b, kind, &info, hap_mods, 3, 0x05, 0x03, &fo);
	struct amt_image *img = parse(b.data, b.size);
	assert_int_equal(count_bad_checks(img, true), 0);
	assert_int_equal(img->nproblems, 0);
	const struct amt_module *m = find_mod(img, "FTPR", gone);
	assert_non_null(m);
	uint64_t moff = m->offset, msize = m->size;
	unsigned before;
	size_t ftpr_part = 0;
	for (size_t i = 0; i < img->fw.npartitions; i++)
		if (img->fw.partitions[i].has_cpd && img->fw.partitions[i].cpd_offset == info.ftpr)
			ftpr_part = i;
	before = img->fw.partitions[ftpr_part].cpd_entries;
	assert_int_equal(moff, fo.mod[gi]);

	struct amt_neutralize_opts o;
	native(&o, false);
	o.reduce_cse = true;
	struct amt_plan p;
	struct amt_report *rep = NULL;
	size_t n;
	uint8_t *out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, &rep);
	assert_int_equal(n, b.size);
	assert_int_equal(rep->ftpr_sig, AMT_SIG_VALID);
	assert_true(!tu_finding(rep, AMT_F_CHECKSUM));
	assert_true(tu_all_ff(out + moff, msize));
	assert_memory_equal(out + info.ftpr, "$CPD", 4);
	assert_memory_equal(out + info.ftpr + 0x0C, "FTPR", 4);
	/* the manifest, every kept module, NFTP, layout/BPDT untouched */
	assert_memory_equal(out + fo.man, b.data + fo.man, 0x200);
	for (unsigned i = 0; i < 3; i++)
		if (i != gi)
			assert_memory_equal(out + fo.mod[i], b.data + fo.mod[i], 0x100);
	assert_memory_equal(out + info.nftp, b.data + info.nftp, 0x1000);
	assert_memory_equal(out + info.bpdt, b.data + info.bpdt, 0x100);
	assert_memory_equal(out + info.sbpdt, b.data + info.sbpdt, 0x100);
	if (kind != TB_IFWI_BPDT)
		assert_memory_equal(out, b.data, 0x1000 + 0x200);   /* layout + data $FPT */

	struct amt_image *r = parse(out, n);
	assert_int_equal(r->nproblems, 0);
	assert_null(find_mod(r, "FTPR", gone));
	char met[20];
	snprintf(met, sizeof(met), "%s.met", gone);
	assert_null(find_mod(r, "FTPR", met));
	assert_non_null(find_mod(r, "FTPR", "kernel"));
	assert_non_null(find_mod(r, "FTPR", "bup"));
	assert_non_null(find_mod(r, "NFTP", "pavp"));
	for (size_t i = 0; i < r->fw.npartitions; i++)
		if (r->fw.partitions[i].has_cpd && r->fw.partitions[i].cpd_offset == info.ftpr)
			assert_int_equal(r->fw.partitions[i].cpd_entries, before - 2);
	/* structural checks all match; only the signed partition hash of
	 * FTPR (Ext 0x03) cannot */
	assert_int_equal(count_bad_checks(r, false), 0);
	for (size_t i = 0; i < r->fw.nchecks; i++)
		if (r->fw.checks[i].ok == AMT_NO)
			assert_non_null(strstr(r->fw.checks[i].what, "FTPR partition hash"));
	for (size_t i = 0; i < r->fw.nmanifests; i++)
		assert_int_equal(r->fw.manifests[i].sig, AMT_SIG_VALID);
	assert_non_null(strstr(tu_notes(&p), "1 module removed"));
	amt_image_free(r);
	amt_report_free(rep);
	rep = NULL;
	free(out);
	amt_plan_release(&p);
	amt_image_free(img);
	tb_free(&b);
}

static void test_reduce_ifwi16(void **state)
{
	(void)state;
	reduce_case(TB_IFWI_16, true);
	reduce_case(TB_IFWI_16, false);
}

static void test_reduce_ifwi17(void **state)
{
	(void)state;
	reduce_case(TB_IFWI_17, true);
	reduce_case(TB_IFWI_17, false);
}

static void test_reduce_bpdt(void **state)
{
	(void)state;
	reduce_case(TB_IFWI_BPDT, true);
	reduce_case(TB_IFWI_BPDT, false);
}

/* Damaged directories and InitScripts: the plan is refused with a reason,
 * or its result verifies (and then parses again), or verification rejects
 * it; never a crash or a write outside the image. */
static void test_reduce_damaged(void **state)
{
	(void)state;
	struct tb_cse_opts co;
	struct tb_cse_info info;
	tb_cse_opts_default(&co);
	struct tb_buf b = tb_ifwi_region(TB_IFWI_16, &co, &info);
	struct tb_cpd_out fo;
	static const char *const mods[] = { "kernel", "bup", "dal_ivm" };
	ftpr_with_flags(&b, TB_IFWI_16, &info, mods, 3, 0x05, 0x03, &fo);
	struct amt_parse_opts po;
	amt_parse_opts_init(&po);
	po.verify_signatures = false;
	unsigned refused = 0, verified = 0, rejected = 0;
	/* $CPD header + entries, then the InitScript */
	size_t spots[2][2] = { { info.ftpr, 0x10 + 7 * 0x18 }, { fo.ext_init, 0x10 + 3 * 0x1C } };
	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < spots[s][1]; i++) {
			static const uint8_t vals[3] = { 0x00, 0xFF, 0x41 };
			for (int v = 0; v < 3; v++) {
				size_t at = spots[s][0] + i;
				uint8_t keep = b.data[at];
				uint8_t sum = b.data[info.ftpr + 0x0B];
				b.data[at] = vals[v] == keep ? (uint8_t)(keep ^ 0x80) : vals[v];
				/* a damaged directory whose checksum was made to match
				 * again (every other one is refused: a table whose
				 * checksum fails is never rewritten) */
				if (s == 0 && (v & 1) && (i < 4 || i >= 8))
					tb_cpd_fix(b.data, info.ftpr);
				struct amt_image *img = NULL;
				amt_error err;
				if (amt_image_parse(b.data, b.size, &po, &img, &err) == AMT_OK) {
					struct amt_neutralize_opts o;
					native(&o, false);
					o.reduce_cse = true;
					struct amt_plan p;
					amt_status st = tu_plan(b.data, b.size, &o, &p, &err);
					if (st != AMT_OK) {
						assert_true(strlen(err.message) > 10);
						refused++;
					} else {
						uint8_t *out = NULL;
						size_t on = 0;
						assert_int_equal(amt_plan_apply(&p, b.data, b.size, &out, &on, &err),
								 AMT_OK);
						assert_int_equal(on, b.size);
						struct amt_report *rep = NULL;
						if (tu_verify(b.data, b.size, &o, out, on, &rep) == AMT_OK) {
							struct amt_image *again = NULL;
							assert_int_equal(amt_image_parse(out, on, &po, &again, &err),
									 AMT_OK);
							amt_image_free(again);
							verified++;
						} else {
							assert_true(rep->nfindings > 0);
							rejected++;
						}
						amt_report_free(rep);
						free(out);
					}
					amt_plan_release(&p);
					amt_image_free(img);
				}
				b.data[at] = keep;
				b.data[info.ftpr + 0x0B] = sum;
			}
		}
	}
	print_message("damaged: %u refused, %u verified, %u rejected by verify\n", refused, verified,
		      rejected);
	assert_true(refused > 0 && verified > 0);
	/* a damaged signed InitScript, parsed with signatures: refused */
	b.data[fo.ext_init + 0x10 + 0x1C + 0x14] ^= 0x02;
	struct amt_image *img = parse(b.data, b.size);
	struct amt_neutralize_opts o;
	native(&o, false);
	o.reduce_cse = true;
	const char *m = plan_fails(b.data, b.size, img, &o, AMT_E_REFUSED);
	assert_non_null(strstr(m, "signature"));
	amt_image_free(img);
	tb_free(&b);
}

/* Full image: HAP bit and reduction together; --keep-modules conflicts. */
static void test_full_with_reduce(void **state)
{
	(void)state;
	struct tb_cse_info info;
	struct tb_buf b = full_image("tgp-h", fw_for(AMT_PLAT_TGP_H), BIT_CLEAR, &info);
	struct amt_image *img = parse(b.data, b.size);
	struct amt_neutralize_opts o;
	native(&o, true);
	o.reduce_cse = true;
	struct amt_plan p;
	struct amt_report *rep = NULL;
	size_t n;
	/* nothing may go in the synthetic image: the bit alone, said so */
	uint8_t *out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, &rep);
	assert_non_null(strstr(tu_notes(&p), "nothing removed"));
	only_bit_changed(b.data, out, n, 0x100 + 4 * 37 + 2, 0);
	amt_report_free(rep);
	rep = NULL;
	free(out);
	amt_plan_release(&p);
	o.keep_modules = true;
	plan_fails(b.data, b.size, img, &o, AMT_E_ARG);
	native(&o, false);   /* --no-disable-bit, no reduction: nothing to do */
	plan_fails(b.data, b.size, img, &o, AMT_E_REFUSED);
	amt_image_free(img);
	tb_free(&b);
}

/* TXE 3/4 full image: the IFWI lives in the BIOS region, the ME region is
 * disabled; the APL/GLK location is doubtful: only with --platform apl. */
static void test_txe_full_image(void **state)
{
	(void)state;
	struct tb_cse_opts co;
	struct tb_cse_info info;
	tb_cse_opts_default(&co);
	struct tb_buf r = tb_ifwi_region(TB_IFWI_BPDT, &co, &info);
	struct tb_ifd_opts io;
	tb_ifd_defaults(&io, 2);
	assert_true(tb_ifd_platform_geometry(&io, "apl"));   /* ICCRIBA 0, FLMAP2 0, ISL 19 */
	io.flreg[2] = TB_IFD_FLREG_UNUSED;
	io.pchstrp[11] = 0x12345600;   /* bit 7 clear */
	struct tb_buf b = tb_ifd_image(&io, IMG_SIZE, 0);
	memcpy(b.data + 0x200000, r.data, r.size);
	tb_free(&r);
	struct amt_image *img = parse(b.data, b.size);
	assert_true(img->has_fw);
	assert_int_equal(img->fw.layout, AMT_LAYOUT_BPDT);
	assert_int_equal(img->ifd.platform.id, AMT_PLAT_APL_GLK);
	struct amt_neutralize_opts o;
	native(&o, true);
	const char *m = plan_fails(b.data, b.size, img, &o, AMT_E_PLATFORM);
	assert_int_equal(perr.reason, AMT_R_PLATFORM_AMBIGUOUS);
	(void)m;
	o.platform = AMT_PLAT_APL_GLK;
	struct amt_plan p;
	struct amt_report *rep = NULL;
	size_t n;
	uint8_t *out = tu_neutralize_ok(b.data, b.size, &o, &p, &n, &rep);
	only_bit_changed(b.data, out, n, 0x100 + 4 * 11, 7);
	assert_int_equal(rep->ftpr_sig, AMT_SIG_VALID);
	amt_report_free(rep);
	rep = NULL;
	free(out);
	amt_plan_release(&p);
	amt_image_free(img);
	tb_free(&b);
}

/* ------------------------------------------------------------------ */
/* real firmware                                                      */

#define NEED_CORPUS() \
	do { \
		const char *d_ = getenv("AMTLESS_CORPUS"); \
		if (!d_ || !*d_) { \
			print_message("corpus test skipped: AMTLESS_CORPUS is not set\n"); \
			skip(); \
		} \
	} while (0)

static const char *const cse_files[] = {
	"DERIVED-full_csme14_darp6.bin",
	"DERIVED-full_csme16_ms7d25.bin",
	"g3_csme12.0.47.1524_CON-H_extr.bin",
	"g3_csme14_darp6_bluecmd.rom",
	"g3_csme16_ms7d25_dasharo.bin",
	"g3_txe3.1.92.2881_starlabs-lite-apl_StarLabsLtd.bin",
	"g3_txe4.0.45.1848_starlabs-lite-glk_StarLabsLtd.bin",
	"g3_txe4-ifwi_protectli-vault-glk_dasharo.bin",
};
#define NCSE (sizeof(cse_files) / sizeof(cse_files[0]))

static void test_corpus_parse_complete(void **state)
{
	(void)state;
	NEED_CORPUS();
	for (size_t i = 0; i < NCSE; i++) {
		size_t n;
		uint8_t *d = tu_corpus_image(cse_files[i], &n);
		struct amt_image *img = parse(d, n);
		/* every .man entry parsed as a manifest, every $CPD partition
		 * parsed, every check matching (problems are allowed only when
		 * they are notes on a parsed manifest: the TXE 4 IFWI's OEM
		 * SMIP manifest has vendor 0) */
		size_t nman = 0, ncpd = 0, nparsed = 0;
		for (size_t k = 0; k < img->fw.nmodules; k++)
			nman += img->fw.modules[k].kind == AMT_MOD_MANIFEST;
		for (size_t k = 0; k < img->fw.npartitions; k++) {
			const struct amt_partition *pt = &img->fw.partitions[k];
			if (!pt->empty && pt->in_range && pt->size >= 4 &&
			    amt_tag_at(d, n, pt->offset, "$CPD")) {
				ncpd++;
				nparsed += pt->has_cpd;
			}
		}
		for (size_t k = 0; k < img->nproblems; k++)
			print_message("%s: note: %s\n", cse_files[i], img->problems[k].message);
		if (!img->has_fw || img->fw.generation != 3 || count_bad_checks(img, true) ||
		    img->fw.ftpr_manifest < 0 || nman != img->fw.nmanifests || ncpd != nparsed ||
		    !ncpd || img->nproblems > 1)
			fail_msg("%s: not parsed completely (fw %d, gen %d, %zu/%zu manifests, %zu/%zu "
				 "$CPD, %zu problems)", cse_files[i], img->has_fw, img->fw.generation,
				 img->fw.nmanifests, nman, nparsed, ncpd, img->nproblems);
		for (size_t k = 0; k < img->nproblems; k++)
			assert_non_null(strstr(img->problems[k].message, "manifest vendor"));
		assert_int_equal(img->fw.manifests[img->fw.ftpr_manifest].sig, AMT_SIG_VALID);
		assert_true(img->fw.nmodules > 5);
		amt_image_free(img);
		free(d);
	}
}

static void corpus_full(const char *name, uint64_t byte, const char *strap)
{
	size_t n;
	uint8_t *d = tu_corpus_image(name, &n);
	struct amt_image *img = parse(d, n);
	assert_int_equal(img->ifd.disable.state, AMT_NO);
	struct amt_neutralize_opts o;
	native(&o, true);
	struct amt_plan p;
	struct amt_report *rep = NULL;
	size_t on;
	uint8_t *out = tu_neutralize_ok(d, n, &o, &p, &on, &rep);
	assert_int_equal(on, n);
	only_bit_changed(d, out, n, byte, 0);
	/* strap: "PCHSTRP28 bit 16" */
	char want[40];
	snprintf(want, sizeof(want), "%s bit %u", p.disable_loc[0].strap, p.disable_loc[0].bit);
	assert_string_equal(want, strap);
	assert_int_equal(rep->disable_bit, AMT_YES);
	assert_int_equal(rep->ftpr_sig, AMT_SIG_VALID);
	assert_true(!tu_finding(rep, AMT_F_CHECKSUM) && !tu_finding(rep, AMT_F_KEPT_CHANGED) && rep->parses);
	struct amt_image *r = parse(out, on);
	assert_int_equal(r->ifd.disable.state, AMT_YES);
	assert_int_equal(r->nproblems, 0);
	assert_int_equal(count_bad_checks(r, true), 0);
	amt_image_free(r);
	amt_report_free(rep);
	rep = NULL;
	free(out);
	amt_plan_release(&p);
	amt_image_free(img);
	free(d);
}

static void test_corpus_csme14_full(void **state)
{
	(void)state;
	NEED_CORPUS();
	corpus_full("DERIVED-full_csme14_darp6.bin", 0x172, "PCHSTRP28 bit 16");
}

static void test_corpus_csme16_full(void **state)
{
	(void)state;
	NEED_CORPUS();
	corpus_full("DERIVED-full_csme16_ms7d25.bin", 0x1DE, "PCHSTRP55 bit 16");
}

/* Bare CSE regions: the default is refused (the bit is in the
 * descriptor) or, for TXE 3/4 $FPT regions, the generation-3 removal of
 * the engine; with --reduce-cse the InitScript decides. Whatever is done
 * must verify, reparse and keep the FTPR $CPD header. */
static void test_corpus_regions(void **state)
{
	(void)state;
	NEED_CORPUS();
	unsigned nvalid = 0, nrefused = 0, nreduced = 0;
	for (size_t i = 2; i < NCSE; i++) {
		for (int reduce = 0; reduce < 2; reduce++) {
			size_t n;
			uint8_t *d = tu_corpus_image(cse_files[i], &n);
			struct amt_image *img = parse(d, n);
			int fp = img->fw.ftpr_manifest;
			uint64_t ftpr_cpd = 0;
			for (size_t k = 0; k < img->fw.npartitions; k++)
				if (!strcmp(img->fw.partitions[k].name, "FTPR") &&
				    img->fw.partitions[k].has_cpd)
					ftpr_cpd = img->fw.partitions[k].cpd_offset;
			assert_true(fp >= 0 && ftpr_cpd);
			struct amt_neutralize_opts o;
			native(&o, false);
			o.reduce_cse = reduce;
			struct amt_plan p;
			amt_error err;
			amt_status st = tu_plan(d, n, &o, &p, &err);
			if (st != AMT_OK) {
				if (st != AMT_E_REFUSED && st != AMT_E_UNSUPPORTED)
					fail_msg("%s: plan failed %d: %s", cse_files[i], st, err.message);
				assert_true(strlen(err.message) > 30);
				nrefused++;
			} else {
				struct amt_report *rep = NULL;
				uint8_t *out = NULL;
				size_t on;
				assert_int_equal(amt_plan_apply(&p, d, n, &out, &on, &err), AMT_OK);
				if (tu_verify(d, n, &o, out, on, &rep) != AMT_OK)
					fail_msg("%s: verify: %s", cse_files[i], rep->findings[0].message);
				assert_memory_equal(out + ftpr_cpd, "$CPD", 4);
				assert_memory_equal(out + ftpr_cpd + 0x0C, d + ftpr_cpd + 0x0C, 4);
				amt_report_free(rep);
				struct amt_image *r = parse(out, on);
				assert_true(r->has_fw);
				assert_int_equal(r->fw.manifests[r->fw.ftpr_manifest].sig, AMT_SIG_VALID);
				assert_int_equal(count_bad_checks(r, false), 0);
				if (reduce && img->fw.layout != AMT_LAYOUT_CSE_FPT) {
					nreduced++;
				} else if (reduce && img->fw.version.major >= 12) {
					nreduced++;
				}
				amt_image_free(r);
				free(out);
				nvalid++;
			}
			amt_plan_release(&p);
			amt_image_free(img);
			free(d);
		}
	}
	/* CSME 12 and CSME 14 regions: NFTP modules outside the HAP flow go */
	assert_int_equal(nreduced, 2);
	print_message("corpus regions: %u valid results, %u refused with a reason\n", nvalid,
		      nrefused);
	assert_true(nvalid >= 4);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_platform_row),
		cmocka_unit_test(test_unknown_descriptor_refused),
		cmocka_unit_test(test_already_set),
		cmocka_unit_test(test_fdv),
		cmocka_unit_test(test_bare_region_refused),
		cmocka_unit_test(test_reduce_ifwi16),
		cmocka_unit_test(test_reduce_ifwi17),
		cmocka_unit_test(test_reduce_bpdt),
		cmocka_unit_test(test_full_with_reduce),
		cmocka_unit_test(test_reduce_damaged),
		cmocka_unit_test(test_txe_full_image),
		cmocka_unit_test(test_corpus_parse_complete),
		cmocka_unit_test(test_corpus_csme14_full),
		cmocka_unit_test(test_corpus_csme16_full),
		cmocka_unit_test(test_corpus_regions),
	};
	return corpus_split_run(tests, NULL, NULL, argc, argv);
}
