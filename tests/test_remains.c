/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What remains (<amtless/remains.h>) and the .met declarations it reads
 * (lib/fw/cse/met.c): synthetic .met extensions from the builder, and the
 * real images of the corpus checked against me_cleaner's own account of
 * what it keeps (reference/logs) and published facts. */

#include <amtless/neutralize.h>
#include <amtless/remains.h>

#include "testutil.h"
#include "build_cse.h"
#include "corpus.h"
#include "corpus_split.h"

static size_t mod_index(const struct amt_fw *fw, const char *part, const char *name)
{
	const struct amt_module *m = tu_mod(fw, part, name);
	assert_non_null(m);
	return (size_t)(m - fw->modules);
}

static unsigned count(const struct amt_fw *fw, size_t mod, amt_decl_kind k)
{
	unsigned n = 0;
	for (size_t i = 0; i < fw->ndecls; i++)
		n += fw->decls[i].module == mod && fw->decls[i].kind == k;
	return n;
}

static const struct amt_decl *nth(const struct amt_fw *fw, size_t mod, amt_decl_kind k,
				  unsigned n)
{
	for (size_t i = 0; i < fw->ndecls; i++)
		if (fw->decls[i].module == mod && fw->decls[i].kind == k && n-- == 0)
			return &fw->decls[i];
	return NULL;
}

static struct tb_buf region_decls(bool bad, struct tb_cse_info *in, struct tb_cpd_out *out)
{
	struct tb_cse_opts o;
	struct tb_cpd_spec s;
	tb_cse_opts_default(&o);
	o.unsigned_man = true;
	struct tb_buf b = tb_cse_region(&o, in);
	tb_cpd_spec_ftpr(&s);
	s.unsigned_man = true;
	s.met_decls = true;
	s.met_decls_bad = bad;
	tb_cpd_write(b.data, b.size, in->ftpr, 0x20000, &s, out);
	return b;
}

/* ---- synthetic -------------------------------------------------------- */

static void test_met_declarations(void **state)
{
	(void)state;
	struct tb_cse_info in;
	struct tb_cpd_out out;
	struct tb_buf b = region_decls(false, &in, &out);
	struct amt_image *img = tu_parse_fw(&b);
	const struct amt_fw *fw = &img->fw;
	assert_int_equal(img->nproblems, 0);
	/* tb_cpd_spec_ftpr: kernel, bup, syslib (modules 0, 1, 2) */
	static const char *const names[] = { "kernel", "bup", "syslib" };
	for (unsigned i = 0; i < 3; i++) {
		size_t k = mod_index(fw, "FTPR", names[i]);
		const struct amt_module *m = &fw->modules[k];
		assert_true(m->has_met);
		assert_false(m->encrypted);
		assert_int_equal(m->met_module_id, 0x0001);
		assert_int_equal(m->met_vendor_id, 0x8086);
		assert_int_equal(m->hash_ok, AMT_YES);   /* 0x0A still read right */
		assert_int_equal(m->hash_len, 32);
		assert_int_equal(m->hash_offset, out.met[i] + 0x18);
		assert_memory_equal(m->stored_hash, b.data + out.met[i] + 0x18, 32);

		assert_int_equal(count(fw, k, AMT_DECL_PROCESS), 1);
		const struct amt_decl *d = nth(fw, k, AMT_DECL_PROCESS, 0);
		assert_int_equal(d->offset, out.met[i] + 0x38);
		assert_int_equal(d->u.process.flags, 0x6);
		assert_int_equal(d->u.process.user_id, 0x100 + i);
		assert_int_equal(d->u.process.syscalls[0], 0xE000C383u);
		assert_int_equal(count(fw, k, AMT_DECL_GROUP), 1);
		assert_int_equal(nth(fw, k, AMT_DECL_GROUP, 0)->u.group.id, 0x200 + i);
		assert_int_equal(count(fw, k, AMT_DECL_THREAD), 1);
		assert_int_equal(nth(fw, k, AMT_DECL_THREAD, 0)->u.thread.stack_size, 0x1000);

		assert_int_equal(count(fw, k, AMT_DECL_DEVICE), 2);
		assert_int_equal(nth(fw, k, AMT_DECL_DEVICE, 0)->u.device.id, 0x00020000u + i);
		assert_int_equal(nth(fw, k, AMT_DECL_DEVICE, 1)->u.device.id, 0x00030008u);

		assert_int_equal(count(fw, k, AMT_DECL_MMIO), 2);
		d = nth(fw, k, AMT_DECL_MMIO, 0);
		assert_int_equal(d->u.mmio.base, 0xF0000000u + i * 0x1000u);
		assert_int_equal(d->u.mmio.size, 0x1000);
		assert_int_equal(d->u.mmio.access, AMT_MMIO_RW);
		d = nth(fw, k, AMT_DECL_MMIO, 1);
		assert_int_equal(d->u.mmio.base, 0xF7000000u);
		assert_int_equal(d->u.mmio.size, 0x20000);
		assert_int_equal(d->u.mmio.access, AMT_MMIO_READ);

		assert_int_equal(count(fw, k, AMT_DECL_SPECIAL_FILE), 1);
		d = nth(fw, k, AMT_DECL_SPECIAL_FILE, 0);
		assert_string_equal(d->u.file.name, i == 1 ? "heci1" : i == 0 ? "file0" : "file2");
		assert_int_equal(d->u.file.major, 6 + i);
		assert_int_equal(d->u.file.mode, 0x1B0);
		assert_int_equal(d->u.file.user_id, 0x100 + i);
		assert_int_equal(d->u.file.group_id, 0x200 + i);
		assert_int_equal(d->u.file.minor, 1);

		assert_int_equal(count(fw, k, AMT_DECL_LOCKED_RANGE), 1);
		d = nth(fw, k, AMT_DECL_LOCKED_RANGE, 0);
		assert_int_equal(d->u.locked.base, 0x80000);
		assert_int_equal(d->u.locked.size, 0x1000u * (i + 1));
	}

	/* the remains: the preview keeps kernel, bup and syslib (ME 11) */
	struct amt_remains rs;
	amt_error e;
	assert_int_equal(amt_remains_collect(img, NULL, 0, &rs, &e), AMT_OK);
	assert_int_equal(rs.n, 3);
	assert_true(rs.declarations);
	for (size_t i = 0; i < rs.n; i++) {
		const struct amt_remain *r = &rs.items[i];
		const struct amt_module *m = &fw->modules[r->module];
		assert_non_null(r->role);   /* all three are in lib/fw/roles.c */
		assert_int_equal(r->ndevices, 2);
		assert_int_equal(r->nmmio, 2);
		assert_int_equal(r->nfiles, 1);
		assert_int_equal(r->nlocked, 1);
		assert_int_equal(r->ngroups, 1);
		assert_int_equal(r->nthreads, 1);
		assert_true(r->process);
		assert_int_equal(r->stored_bytes, m->size);
		/* only bup produces a heci* file here */
		bool heci = !strcmp(m->name, "bup");
		assert_int_equal(r->reach, heci ? AMT_REACH_HECI : 0);
		assert_int_equal(r->reach_declared, heci ? AMT_REACH_HECI : 0);
	}
	assert_int_equal(rs.reach, AMT_REACH_HECI);

	/* an explicit keep mask: bup only */
	bool kept[64] = { false };
	assert_true(fw->nmodules <= 64);
	kept[mod_index(fw, "FTPR", "bup")] = true;
	struct amt_remains r2;
	assert_int_equal(amt_remains_collect(img, kept, fw->nmodules, &r2, &e), AMT_OK);
	assert_int_equal(r2.n, 1);
	assert_int_equal(r2.kept_bytes, fw->modules[r2.items[0].module].size);
	assert_int_equal(r2.code_bytes, rs.code_bytes);
	amt_remains_free(&r2);
	/* a mask of the wrong size */
	assert_int_equal(amt_remains_collect(img, kept, fw->nmodules + 1, &r2, &e), AMT_E_ARG);
	amt_remains_free(&rs);
	amt_image_free(img);
	tb_free(&b);
}

static void test_met_bad_table(void **state)
{
	(void)state;
	struct tb_cse_info in;
	struct tb_cpd_out out;
	struct tb_buf b = region_decls(true, &in, &out);
	struct amt_image *img = tu_parse_fw(&b);
	const struct amt_fw *fw = &img->fw;
	/* the stray bytes are named, the whole entries still read, and the walk
	 * goes on to the extensions after it */
	assert_true(tu_problem(img, AMT_E_RANGE, "not a whole number of 0xc-byte entries"));
	size_t k = mod_index(fw, "FTPR", "kernel");
	assert_int_equal(count(fw, k, AMT_DECL_MMIO), 2);
	assert_int_equal(count(fw, k, AMT_DECL_LOCKED_RANGE), 1);
	amt_image_free(img);
	tb_free(&b);
}

static void test_met_truncated_process(void **state)
{
	(void)state;
	struct tb_cse_info in;
	struct tb_cpd_out out;
	struct tb_buf b = region_decls(false, &in, &out);
	/* kernel's 0x05 shrunk to 0x20 bytes: too short; a 0x20-byte filler
	 * extension (tag 0x7F) takes the rest of its old room */
	size_t p = out.met[0] + 0x38;
	amt_wr32(b.data + p + 4, 0x20);
	amt_wr32(b.data + p + 0x20, 0x7F);
	amt_wr32(b.data + p + 0x24, 0x26);
	tb_cpd_fix(b.data, in.ftpr);
	struct amt_image *img = tu_parse_fw(&b);
	const struct amt_fw *fw = &img->fw;
	assert_true(tu_problem(img, AMT_E_TRUNCATED, "Process Manifest extension of 0x20"));
	size_t k = mod_index(fw, "FTPR", "kernel");
	assert_int_equal(count(fw, k, AMT_DECL_PROCESS), 0);
	assert_int_equal(count(fw, k, AMT_DECL_GROUP), 0);
	assert_int_equal(count(fw, k, AMT_DECL_MMIO), 2);   /* the walk goes on */
	amt_image_free(img);
	tb_free(&b);
}

static void test_roles(void **state)
{
	(void)state;
	assert_non_null(amt_module_role(2, "ROMP"));
	assert_non_null(amt_module_role(2, "BUP"));
	assert_non_null(amt_module_role(3, "kernel"));
	assert_non_null(amt_module_role(3, "bup"));
	assert_non_null(amt_module_role(3, "rbe"));
	assert_non_null(amt_module_role(3, "syslib"));
	assert_non_null(amt_module_role(3, "dal_ivm"));  /* a prefix row */
	assert_null(amt_module_role(3, "ROMP"));         /* generation matters */
	assert_null(amt_module_role(2, "nosuchmodule"));
	assert_null(amt_module_role(2, NULL));
	assert_int_equal(amt_module_role(2, "NET_STACK")->reach, AMT_REACH_NETWORK);
	assert_int_equal(amt_module_role(2, "HOSTCOMM")->reach, AMT_REACH_HECI);
	/* every row names its source */
	static const char *const all[] = { "ROMP", "BUP", "KERNEL", "POLICY", "HOSTCOMM",
					   "NET_STACK", "TDT", "ICC", "PAVP", "MCTP", "fTPM" };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		const struct amt_module_role *r = amt_module_role(2, all[i]);
		assert_non_null(r);
		assert_true(r->source && *r->source && r->role && *r->role);
	}
	assert_string_equal(amt_reach_str(AMT_REACH_NETWORK), "network");
	assert_string_equal(amt_reach_str(AMT_REACH_HOST_AMT), "host-amt");
	assert_string_equal(amt_reach_str(AMT_REACH_HECI), "heci");
	assert_null(amt_reach_str(3));
	assert_string_equal(amt_decl_kind_str(AMT_DECL_MMIO), "mmio");
}

/* ---- the corpus -------------------------------------------------------- */

/* me_cleaner 1.2's default run (reference/logs/NAME.a_default.log): the
 * module lines it ends with "NOT removed, essential", as "name\n..." */
static size_t mc_essential(const char *image, char names[][17], size_t max)
{
	char rel[512];
	size_t n = 0, size;
	snprintf(rel, sizeof(rel), "reference/logs/%s.a_default.log", image);
	uint8_t *d = corpus_read(rel, &size);
	if (!d)
		return 0;
	char *text = malloc(size + 1);
	assert_non_null(text);
	memcpy(text, d, size);
	text[size] = 0;
	free(d);
	for (char *line = strtok(text, "\n"); line && n < max; line = strtok(NULL, "\n")) {
		char name[64];
		if (!strstr(line, "NOT removed, essential") || !strchr(line, '(') ||
		    sscanf(line, " %63s", name) != 1 || strlen(name) > 16)
			continue;
		snprintf(names[n++], 17, "%s", name);
	}
	free(text);
	return n;
}

static bool in_list(char names[][17], size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

/* The kept set of the preview and of a real neutralization plan are the
 * modules me_cleaner 1.2 itself calls essential on the same image. */
static void test_corpus_kept_as_me_cleaner(void **state)
{
	(void)state;
	struct corpus_row *rows;
	int nr = corpus_rows(&rows);
	assert_true(nr > 0);
	unsigned compared = 0;
	for (int i = 0; i < nr; i++) {
		const char *file = rows[i].file;
		const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
		if (strncmp(base, "g2_", 3) && strncmp(base, "g3_", 3))
			continue;
		char mc[32][17];
		size_t nmc = mc_essential(base, mc, 32);
		if (!nmc)
			continue;
		size_t size;
		uint8_t *d = corpus_read(file, &size);
		assert_non_null(d);
		struct tb_buf b = { d, size };
		struct amt_image *img = tu_parse(&b);
		const struct amt_fw *fw = &img->fw;
		/* CSME 12+ is left whole by default (me_cleaner's list is too
		 * short there); an already cleaned image keeps what is left */
		if (!img->has_fw || fw->stripped ||
		    (fw->generation == 3 && fw->version_known && fw->version.major >= 12) ||
		    fw->layout == AMT_LAYOUT_IFWI16 || fw->layout == AMT_LAYOUT_IFWI17 ||
		    fw->layout == AMT_LAYOUT_BPDT) {
			amt_image_free(img);
			free(d);
			continue;
		}
		struct amt_remains rs;
		amt_error e;
		assert_int_equal(amt_remains_collect(img, NULL, 0, &rs, &e), AMT_OK);
		if (rs.n != nmc)
			fail_msg("%s: %zu kept modules, me_cleaner keeps %zu", base, rs.n, nmc);
		for (size_t k = 0; k < rs.n; k++) {
			const char *name = fw->modules[rs.items[k].module].name;
			if (!in_list(mc, nmc, name))
				fail_msg("%s: %s kept, me_cleaner does not keep it", base, name);
		}
		/* the same set from the plan of a neutralization */
		struct amt_neutralize_opts o;
		amt_neutralize_opts_init(&o);
		struct amt_neutralization *res = NULL;
		amt_status st = amt_neutralize(d, size, &o, &res, &e);
		if (st == AMT_OK) {
			bool *kept = calloc(fw->nmodules + 1, sizeof(bool));
			assert_non_null(kept);
			assert_int_equal(amt_plan_kept_modules(&res->plan, img, kept, fw->nmodules),
					 AMT_OK);
			struct amt_remains rp;
			assert_int_equal(amt_remains_collect(img, kept, fw->nmodules, &rp, &e), AMT_OK);
			if (rp.n != nmc)
				fail_msg("%s: the plan keeps %zu modules, me_cleaner %zu", base, rp.n,
					 nmc);
			for (size_t k = 0; k < rp.n; k++)
				assert_true(in_list(mc, nmc, fw->modules[rp.items[k].module].name));
			amt_remains_free(&rp);
			free(kept);
		}
		amt_neutralization_free(res);
		amt_remains_free(&rs);
		amt_image_free(img);
		free(d);
		compared++;
	}
	free(rows);
	print_message("%u images compared with me_cleaner's essential modules\n", compared);
	assert_true(compared >= 8);
}

/* ME 11.8: the declarations tile each .met exactly as far as me_cleaner
 * 1.2's log says the entry reaches; every module names Intel's PCI
 * vendor id 0x8086 (PCI-SIG); heci produces one device node per HECI
 * function of the 100-series PCH (HECI #1, #2, #3: Intel 100 Series
 * Chipset Family PCH Datasheet, vol. 1, D22:F0/F1/F4). */
static void test_corpus_me11_met(void **state)
{
	(void)state;
	const char *image = "g3_me11.8.82.3838_x210_harrykipper.bin";
	char rel[256];
	snprintf(rel, sizeof(rel), "images/%s", image);
	size_t size;
	uint8_t *d = corpus_read(rel, &size);
	assert_non_null(d);
	struct tb_buf b = { d, size };
	struct amt_image *img = tu_parse(&b);
	const struct amt_fw *fw = &img->fw;

	/* the .met extents of me_cleaner's log: "name.met (uncompressed,
	 * 0xSTART - 0xEND)" */
	snprintf(rel, sizeof(rel), "reference/logs/%s.a_default.log", image);
	size_t ls;
	uint8_t *log = corpus_read(rel, &ls);
	assert_non_null(log);
	char *text = calloc(1, ls + 1);
	assert_non_null(text);
	memcpy(text, log, ls);
	free(log);
	/* the modules whose .met holds only extensions amtless reads (vfs has
	 * 0x0D, ptt an empty 0x09: left out) */
	static const char *const mods[] = { "rbe", "kernel", "syslib", "bup", "heci", "gpio",
					    "crypto", "fpf", "prtc", "busdrv", "policy",
					    "storage", "pmdrv", "maestro", "loadmgr" };
	for (size_t i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
		char key[40];
		snprintf(key, sizeof(key), " %s.met ", mods[i]);
		const char *l = strstr(text, key);
		assert_non_null(l);
		unsigned long a, z;
		assert_int_equal(sscanf(strchr(l, ',') + 1, " 0x%lx - 0x%lx", &a, &z), 2);
		size_t k = mod_index(fw, "FTPR", mods[i]);
		const struct amt_module *m = &fw->modules[k];
		assert_true(m->has_met);
		assert_int_equal(m->met_vendor_id, 0x8086);
		/* 0x0A (0x18 + hash) then each declared table */
		uint64_t sum = 0x18 + m->hash_len;
		unsigned n;
		if (count(fw, k, AMT_DECL_PROCESS))
			sum += 0x44 + 2 * count(fw, k, AMT_DECL_GROUP);
		if (count(fw, k, AMT_DECL_SHARED_LIB))
			sum += 0x1C;
		if ((n = count(fw, k, AMT_DECL_THREAD)))
			sum += 8 + 0x10 * n;
		if ((n = count(fw, k, AMT_DECL_DEVICE)))
			sum += 8 + 8 * n;
		if ((n = count(fw, k, AMT_DECL_MMIO)))
			sum += 8 + 0x0C * n;
		if ((n = count(fw, k, AMT_DECL_LOCKED_RANGE)))
			sum += 8 + 8 * n;
		/* one 0x09 per major number */
		uint32_t majors[16];
		unsigned nmaj = 0;
		for (size_t j = 0; j < fw->ndecls; j++) {
			const struct amt_decl *x = &fw->decls[j];
			if (x->module != k || x->kind != AMT_DECL_SPECIAL_FILE)
				continue;
			bool seen = false;
			for (unsigned q = 0; q < nmaj; q++)
				seen = seen || majors[q] == x->u.file.major;
			if (!seen && nmaj < 16)
				majors[nmaj++] = x->u.file.major;
			sum += 0x18;
		}
		sum += 0x0C * nmaj;
		if (sum != z - a)
			fail_msg("%s.met: declarations cover 0x%llx bytes, me_cleaner's entry 0x%lx",
				 mods[i], (unsigned long long)sum, z - a);
	}
	free(text);

	size_t heci = mod_index(fw, "FTPR", "heci");
	unsigned hn = 0;
	for (size_t j = 0; j < fw->ndecls; j++)
		if (fw->decls[j].module == heci && fw->decls[j].kind == AMT_DECL_SPECIAL_FILE &&
		    !strncmp(fw->decls[j].u.file.name, "heci", 4) &&
		    strlen(fw->decls[j].u.file.name) == 5)
			hn++;
	assert_int_equal(hn, 3);   /* heci1, heci2, heci3 */

	/* what remains: me_cleaner's four, none a network stack; the HECI
	 * driver is not among them */
	struct amt_remains rs;
	amt_error e;
	assert_int_equal(amt_remains_collect(img, NULL, 0, &rs, &e), AMT_OK);
	assert_int_equal(rs.n, 4);
	assert_int_equal(rs.reach & (AMT_REACH_NETWORK | AMT_REACH_HECI), 0);
	amt_remains_free(&rs);
	amt_image_free(img);
	free(d);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_met_declarations),
		cmocka_unit_test(test_met_bad_table),
		cmocka_unit_test(test_met_truncated_process),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_corpus_kept_as_me_cleaner),
		cmocka_unit_test(test_corpus_me11_met),
	};
	return corpus_split_run(tests, NULL, NULL, argc, argv);
}
