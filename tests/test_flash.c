/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/flash: whether a backup belongs to a chip (amt_flash_match_backup)
 * on synthetic full images changed by hand, and the library's own refusals
 * on libflashrom's dummy programmer (an emulated 8 MiB chip whose contents
 * live in a temporary file): no write without the backup proof, a locked
 * descriptor refused with host rules, a chip without a descriptor, a plan
 * written and read back. The expectations are the bytes changed here and
 * the chip file compared after the programmer shut down.
 */
#include <unistd.h>

#include <amtless/flash.h>

#include "testutil.h"
#include "build_cse.h"
#include "build_neutralize.h"

#define SIZE (8u * 1024 * 1024)

static struct tb_buf full_image(void)
{
	struct tb_cse_opts o;
	struct tb_cse_info info;
	tb_cse_opts_default(&o);
	o.with_nftp = true;
	struct tb_buf me = tb_cse_region(&o, &info);
	struct tb_buf img = tn_full_image(&me, 2, "spt", SIZE);
	tb_free(&me);
	assert_non_null(img.data);
	assert_int_equal(img.size, SIZE);
	return img;
}

static uint8_t *copy(const struct tb_buf *b)
{
	uint8_t *c = malloc(b->size);
	assert_non_null(c);
	memcpy(c, b->data, b->size);
	return c;
}

/* The verified neutralization of img (the one pipeline). */
static uint8_t *neutralized(const struct tb_buf *img, bool fix_master)
{
	struct amt_neutralize_opts o;
	amt_neutralize_opts_init(&o);
	o.set_disable_bit = true;
	o.fix_master = fix_master;
	struct amt_neutralization *r = NULL;
	amt_error e;
	assert_int_equal(amt_neutralize(img->data, img->size, &o, &r, &e), AMT_OK);
	assert_non_null(r->out);
	assert_int_equal(r->out_size, img->size);
	uint8_t *c = malloc(r->out_size);
	assert_non_null(c);
	memcpy(c, r->out, r->out_size);
	amt_neutralization_free(r);
	return c;
}

static void assert_foreign(const uint8_t *chip, size_t nc, const uint8_t *backup, size_t nb,
			   uint64_t offset)
{
	amt_error e;
	assert_int_equal(amt_flash_match_backup(chip, nc, backup, nb, &e), AMT_E_REFUSED);
	assert_int_equal(e.reason, AMT_R_FLASH_FOREIGN);
	if (offset != AMT_NO_OFFSET)
		assert_int_equal(e.offset, offset);
}

static void test_match(void **state)
{
	(void)state;
	struct tb_buf img = full_image();
	amt_error e;

	/* itself, its neutralization, and with the ME's access removed too */
	assert_int_equal(amt_flash_match_backup(img.data, SIZE, img.data, SIZE, &e), AMT_OK);
	uint8_t *n = neutralized(&img, false);
	assert_true(memcmp(n, img.data, SIZE) != 0);
	assert_int_equal(amt_flash_match_backup(n, SIZE, img.data, SIZE, &e), AMT_OK);
	free(n);
	n = neutralized(&img, true);
	assert_int_equal(amt_flash_match_backup(n, SIZE, img.data, SIZE, &e), AMT_OK);

	/* one BIOS byte (the BIOS region ends the flash): foreign, at that byte */
	uint8_t *c = copy(&img);
	c[SIZE - 16] ^= 0x5a;
	assert_foreign(c, SIZE, img.data, SIZE, SIZE - 16);
	assert_foreign(img.data, SIZE, c, SIZE, SIZE - 16);
	free(c);

	/* a strap bit that is not the disable bit: another board's descriptor */
	struct amt_image *m = tu_parse(&img);
	assert_true(m->ifd.disable.located);
	unsigned k = m->ifd.disable.loc[0].index == 1 ? 2 : 1;
	uint64_t at = m->ifd.offset + m->ifd.fpsba + 4u * k;
	amt_image_free(m);
	c = copy(&img);
	c[at] ^= 0x08;
	assert_foreign(c, SIZE, img.data, SIZE, AMT_NO_OFFSET);
	free(c);

	/* sizes differ */
	assert_foreign(img.data, SIZE / 2, img.data, SIZE, AMT_NO_OFFSET);

	/* the chip's descriptor erased (a write stopped in it): the bytes
	 * outside the descriptor and ME regions decide */
	c = copy(&img);
	memset(c, 0xff, 0x1000);
	assert_int_equal(amt_flash_match_backup(c, SIZE, img.data, SIZE, &e), AMT_OK);
	c[SIZE - 1] ^= 1;
	assert_foreign(c, SIZE, img.data, SIZE, SIZE - 1);
	free(c);

	/* a backup that is not a full image */
	c = copy(&img);
	memset(c, 0xff, 0x1000);
	assert_int_not_equal(amt_flash_match_backup(img.data, SIZE, c, SIZE, &e), AMT_OK);
	free(c);
	assert_int_equal(amt_flash_match_backup(NULL, 0, img.data, SIZE, &e), AMT_E_ARG);
	free(n);
	tb_free(&img);
}

/* A chip file holding data, and the options of the dummy programmer on it. */
struct chip {
	char path[64];
	char params[160];
};

static void chip_new(struct chip *c, const uint8_t *d, size_t n)
{
	snprintf(c->path, sizeof(c->path), "/tmp/amtless-test-flash-XXXXXX");
	int fd = mkstemp(c->path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, d, n), (ssize_t)n);
	close(fd);
	snprintf(c->params, sizeof(c->params), "emulate=VARIABLE_SIZE,size=%zu,image=%s", n, c->path);
}

static uint8_t *chip_read(const struct chip *c, size_t n)
{
	FILE *f = fopen(c->path, "rb");
	assert_non_null(f);
	uint8_t *d = malloc(n);
	assert_non_null(d);
	assert_int_equal(fread(d, 1, n, f), n);
	fclose(f);
	return d;
}

static struct amt_flash *open_chip(const struct chip *c, amt_flash_host_rules rules)
{
	struct amt_flash_opts fo;
	amt_flash_opts_init(&fo);
	fo.programmer = "dummy";
	fo.params = c->params;
	fo.host_rules = rules;
	struct amt_flash *f = NULL;
	amt_error e;
	assert_int_equal(amt_flash_open(&fo, &f, &e), AMT_OK);
	assert_int_equal(amt_flash_size(f), SIZE);
	return f;
}

static void test_dummy(void **state)
{
	(void)state;
	struct tb_buf img = full_image();
	uint8_t *want = neutralized(&img, false);
	struct chip c;
	chip_new(&c, img.data, SIZE);
	struct amt_neutralize_opts no;
	amt_neutralize_opts_init(&no);
	no.set_disable_bit = true;
	amt_error e;
	const uint8_t *d;
	size_t n;

	/* one session at a time */
	struct amt_flash *f = open_chip(&c, AMT_FLASH_HOST_OFF);
	struct amt_flash_opts fo;
	amt_flash_opts_init(&fo);
	fo.programmer = "dummy";
	struct amt_flash *g = NULL;
	assert_int_equal(amt_flash_open(&fo, &g, &e), AMT_E_REFUSED);
	assert_null(g);
	assert_false(amt_flash_host_rules_apply(f));

	/* no write without the backup proof: nothing on the chip changes */
	assert_int_equal(amt_flash_read(f, &d, &n, &e), AMT_OK);
	assert_int_equal(n, SIZE);
	struct amt_flash_plan *p = NULL;
	assert_int_equal(amt_flash_plan_neutralize(f, &no, &p, &e), AMT_OK);
	assert_false(p->nothing_to_do);
	assert_true(p->nregions >= 1);
	assert_int_equal(p->regions[0].id, AMT_RGN_FD);
	uint8_t *wrong = copy(&img);
	wrong[SIZE - 1] ^= 1;
	assert_int_equal(amt_flash_write(f, p, wrong, SIZE, &e), AMT_E_REFUSED);
	assert_int_equal(e.reason, AMT_R_FLASH_BACKUP);
	assert_false(p->write_started);
	assert_int_equal(amt_flash_write(f, p, img.data, SIZE - 1, &e), AMT_E_REFUSED);
	free(wrong);
	amt_flash_plan_free(p);
	amt_flash_close(f);
	uint8_t *now = chip_read(&c, SIZE);
	assert_memory_equal(now, img.data, SIZE);
	free(now);

	/* host rules: the builder's descriptor gives FLMSTR1 no write access
	 * to the ME region (as vendors ship it) */
	struct amt_image *m = tu_parse(&img);
	bool host_me = m->ifd.master[0].write >> AMT_RGN_ME & 1;
	amt_image_free(m);
	f = open_chip(&c, AMT_FLASH_HOST_ON);
	assert_true(amt_flash_host_rules_apply(f));
	assert_int_equal(amt_flash_read(f, &d, &n, &e), AMT_OK);
	assert_false(host_me);
	assert_int_equal(amt_flash_plan_neutralize(f, &no, &p, &e), AMT_E_REFUSED);
	assert_int_equal(e.reason, AMT_R_FLASH_LOCKED);
	assert_non_null(strstr(e.message, "descriptor locked"));
	/* the refused plan still says what would change, but is never written */
	assert_non_null(p);
	assert_true(p->nregions >= 1);
	assert_int_equal(amt_flash_write(f, p, img.data, SIZE, &e), AMT_E_ARG);
	assert_false(p->write_started);
	amt_flash_plan_free(p);
	amt_flash_close(f);
	now = chip_read(&c, SIZE);
	assert_memory_equal(now, img.data, SIZE);
	free(now);

	/* a plan made of an earlier read is not written either */
	f = open_chip(&c, AMT_FLASH_HOST_OFF);
	assert_int_equal(amt_flash_read(f, &d, &n, &e), AMT_OK);
	assert_int_equal(amt_flash_plan_neutralize(f, &no, &p, &e), AMT_OK);
	assert_int_equal(amt_flash_read(f, &d, &n, &e), AMT_OK);
	assert_int_equal(amt_flash_write(f, p, img.data, SIZE, &e), AMT_E_ARG);
	assert_false(p->write_started);
	amt_flash_plan_free(p);
	amt_flash_close(f);

	/* written with the proof, read back: the chip holds the neutralization */
	f = open_chip(&c, AMT_FLASH_HOST_OFF);
	assert_int_equal(amt_flash_read(f, &d, &n, &e), AMT_OK);
	assert_int_equal(amt_flash_plan_neutralize(f, &no, &p, &e), AMT_OK);
	assert_int_equal(amt_flash_write(f, p, img.data, SIZE, &e), AMT_OK);
	assert_true(p->read_back);
	assert_true(p->matches_target);
	assert_int_equal(p->outside_ndiff, 0);
	for (unsigned i = 0; i < p->nregions; i++)
		assert_int_equal(p->regions[i].state, AMT_FRS_WRITTEN);
	amt_flash_plan_free(p);
	amt_flash_close(f);
	now = chip_read(&c, SIZE);
	assert_memory_equal(now, want, SIZE);
	free(now);

	/* again: nothing to do; then the backup restored */
	f = open_chip(&c, AMT_FLASH_HOST_OFF);
	assert_int_equal(amt_flash_read(f, &d, &n, &e), AMT_OK);
	assert_int_equal(amt_flash_plan_neutralize(f, &no, &p, &e), AMT_OK);
	assert_true(p->nothing_to_do);
	assert_int_equal(p->nregions, 0);
	amt_flash_plan_free(p);
	assert_int_equal(amt_flash_plan_restore(f, img.data, SIZE, &p, &e), AMT_OK);
	assert_false(p->nothing_to_do);
	/* the proof of a restore is the image restored */
	assert_int_equal(amt_flash_write(f, p, want, SIZE, &e), AMT_E_REFUSED);
	assert_int_equal(amt_flash_write(f, p, img.data, SIZE, &e), AMT_OK);
	amt_flash_plan_free(p);
	amt_flash_close(f);
	now = chip_read(&c, SIZE);
	assert_memory_equal(now, img.data, SIZE);
	free(now);

	/* a chip without a descriptor: refused, typed */
	uint8_t *blank = malloc(SIZE);
	assert_non_null(blank);
	memset(blank, 0xff, SIZE);
	unlink(c.path);
	chip_new(&c, blank, SIZE);
	f = open_chip(&c, AMT_FLASH_HOST_OFF);
	assert_int_equal(amt_flash_read(f, &d, &n, &e), AMT_OK);
	assert_int_not_equal(amt_flash_plan_neutralize(f, &no, &p, &e), AMT_OK);
	amt_flash_plan_free(p);
	amt_flash_close(f);
	free(blank);

	/* programmer errors are typed */
	fo.programmer = "no-such-programmer";
	assert_int_equal(amt_flash_open(&fo, &g, &e), AMT_E_IO);
	assert_int_equal(e.reason, AMT_R_FLASH_PROGRAMMER);
	unlink(c.path);
	free(want);
	tb_free(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_dummy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
