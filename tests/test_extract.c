/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/extract/extract.c: the piece list, safe names, LZMA unpacking and stored
 * hashes, on synthetic images; plus the corpus ME 11.8 image when
 * AMTLESS_CORPUS is set. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <lzma.h>

#include <amtless/extract.h>

#include "internal.h"
#include "builder.h"
#include "build_cse.h"
#include "build_ifd.h"
#include "build_me.h"
#include "corpus.h"
#include "corpus_split.h"

/* ---- helpers ---------------------------------------------------------- */

static struct amt_image *parse_ok(const struct tb_buf *b)
{
	struct amt_image *img = NULL;
	amt_error e;
	struct amt_parse_opts po;
	amt_parse_opts_init(&po);
	po.verify_signatures = false;
	amt_status st = amt_image_parse(b->data, b->size, &po, &img, &e);
	if (st != AMT_OK)
		fprintf(stderr, "parse failed: %s at 0x%llx: %s\n", e.structure,
			(unsigned long long)e.offset, e.message);
	assert_int_equal(st, AMT_OK);
	assert_non_null(img);
	return img;
}

/* Descriptor (IFDv2) + ME region at 0x1000 + BIOS: a 2 MiB full image. */
static struct tb_buf full_image(const struct tb_buf *me, size_t *me_base, size_t *me_size)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	size_t base = 0x1000, size = (me->size + 0xFFF) & ~(size_t)0xFFF;
	size_t bios = (base + size + 0xFFFF) & ~(size_t)0xFFFF, total = 2u << 20;
	assert_true(bios + 0x10000 <= total);
	o.flreg[AMT_RGN_ME] = tb_ifd_flreg((uint32_t)base, (uint32_t)(base + size - 1));
	o.flreg[AMT_RGN_BIOS] = tb_ifd_flreg((uint32_t)bios, (uint32_t)(total - 1));
	struct tb_buf img = tb_ifd_image(&o, total, 0);
	memcpy(img.data + base, me->data, me->size);
	*me_base = base;
	*me_size = size;
	return img;
}

static const struct amt_piece *find_path(const struct amt_piece_list *l, const char *path)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].path, path))
			return &l->v[i];
	return NULL;
}

static size_t find_module(const struct amt_fw *fw, amt_compression comp)
{
	for (size_t i = 0; i < fw->nmodules; i++)
		if (fw->modules[i].kind == AMT_MOD_MODULE && fw->modules[i].comp == comp)
			return i;
	fail_msg("no module with compression %s", amt_compression_str(comp));
	return 0;
}

static void assert_paths_safe_unique(const struct amt_piece_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const char *p = l->v[i].path;
		assert_true(p[0] != '\0' && p[0] != '/');
		assert_null(strstr(p, ".."));
		assert_null(strstr(p, "/."));
		assert_true(p[0] != '.');
		for (const char *c = p; *c; c++)
			assert_true((unsigned char)*c > 0x20 && (unsigned char)*c < 0x7F);
		for (size_t j = i + 1; j < l->n; j++)
			assert_string_not_equal(p, l->v[j].path);
	}
}

/* LZMA "alone" stream (lc 0, lp 1, pb 1, 16 KiB dictionary: the header
 * 36 00 40 00 00 of CSE modules) of src, size unknown in the header. */
static size_t pack(const uint8_t *src, size_t n, uint8_t *dst, size_t cap)
{
	lzma_options_lzma opt;
	lzma_stream s = LZMA_STREAM_INIT;
	assert_false(lzma_lzma_preset(&opt, 6));
	opt.lc = 0;
	opt.lp = 1;
	opt.pb = 1;
	opt.dict_size = 0x4000;
	assert_int_equal(lzma_alone_encoder(&s, &opt), LZMA_OK);
	s.next_in = src;
	s.avail_in = n;
	s.next_out = dst;
	s.avail_out = cap;
	assert_int_equal(lzma_code(&s, LZMA_FINISH), LZMA_STREAM_END);
	size_t out = (size_t)s.total_out;
	lzma_end(&s);
	return out;
}

static void fill(uint8_t *p, size_t n, unsigned seed)
{
	uint32_t x = 0x12345678u ^ seed;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		/* compressible but not trivial */
		p[i] = (uint8_t)((i % 64) < 32 ? (x >> 24) & 0x0F : (uint8_t)i);
	}
}

/* ---- safe names --------------------------------------------------------- */

static void test_safe_name(void **state)
{
	(void)state;
	char b[80];
	assert_int_equal(amt_safe_name(b, sizeof(b), "kernel"), 6);
	assert_string_equal(b, "kernel");
	amt_safe_name(b, sizeof(b), "FTPR.man");
	assert_string_equal(b, "FTPR.man");
	amt_safe_name(b, sizeof(b), "../x");
	assert_string_equal(b, "_x2e._x2fx");
	amt_safe_name(b, sizeof(b), "..");
	assert_string_equal(b, "_x2e.");
	amt_safe_name(b, sizeof(b), "a...b.c");
	assert_string_equal(b, "a._x2e.b.c");
	amt_safe_name(b, sizeof(b), ".");
	assert_string_equal(b, "_x2e");
	amt_safe_name(b, sizeof(b), "a/b\\c");
	assert_string_equal(b, "a_x2fb_x5cc");
	amt_safe_name(b, sizeof(b), "\x01\xff\"odd");
	assert_string_equal(b, "_x01_xff_x22odd");
	amt_safe_name(b, sizeof(b), "a b\x7f");
	assert_string_equal(b, "a_x20b_x7f");
	amt_safe_name(b, sizeof(b), "");
	assert_string_equal(b, "_empty");
	/* truncation never cuts an escape in half */
	assert_int_equal(amt_safe_name(b, 8, "ab/////"), 6);
	assert_string_equal(b, "ab_x2f");
	assert_int_equal(amt_safe_name(b, 7, "x"), 0);
}

/* ---- the piece list ---------------------------------------------------- */

static void test_list_full_gen2(void **state)
{
	(void)state;
	struct tb_me_opts mo;
	struct tb_me_layout ml;
	tb_me_opts_gen2(&mo);
	mo.huffman = true;
	struct tb_buf me = tb_build_gen2(&mo, &ml);
	size_t base, size;
	struct tb_buf b = full_image(&me, &base, &size);
	struct amt_image *img = parse_ok(&b);
	assert_true(img->has_ifd && img->has_fw);

	struct amt_piece_list l;
	amt_error e;
	assert_int_equal(amt_extract_list(img, AMT_PIECES_ALL, &l, &e), AMT_OK);
	assert_paths_safe_unique(&l);

	const struct amt_piece *p = find_path(&l, "me.bin");
	assert_non_null(p);
	assert_int_equal(p->kind, AMT_PIECE_REGION);
	assert_string_equal(p->name, "ME");
	assert_int_equal(p->offset, base);
	assert_int_equal(p->size, size);
	assert_false(p->skipped);
	assert_memory_equal(b.data + p->offset, me.data, me.size);
	p = find_path(&l, "descriptor.bin");
	assert_non_null(p);
	assert_int_equal(p->offset, 0);
	assert_int_equal(p->size, 0x1000);
	p = find_path(&l, "bios.bin");
	assert_non_null(p);
	assert_int_equal(p->offset + p->size, b.size);
	assert_null(find_path(&l, "gbe.bin"));  /* unused region: not listed */

	p = find_path(&l, "partitions/FTPR.bin");
	assert_non_null(p);
	assert_int_equal(p->offset, base + ml.ftpr_off);
	assert_int_equal(p->size, ml.ftpr_size);
	assert_non_null(find_path(&l, "partitions/NFTP.bin"));

	/* every gen 2 module by name; Huffman ones skipped with a reason */
	unsigned nmod = 0, nhuff = 0;
	for (unsigned i = 0; i < ml.nmodules; i++) {
		char path[64];
		snprintf(path, sizeof(path), "modules/FTPR/%s.bin", ml.mod_name[i]);
		p = find_path(&l, path);
		assert_non_null(p);
		assert_int_equal(p->kind, AMT_PIECE_MODULE);
		assert_string_equal(p->group, "FTPR");
		if (ml.mod_comp[i] == 1) {
			assert_true(p->skipped);
			assert_non_null(strstr(p->note, "Huffman"));
			nhuff++;
		} else {
			assert_false(p->skipped);
			assert_int_equal(p->offset, base + ml.mod_off[i]);
			assert_int_equal(p->size, ml.mod_size[i]);
			nmod++;
		}
	}
	assert_true(nmod >= 2);
	assert_true(nhuff >= 1);

	/* selection */
	struct amt_piece_list r;
	assert_int_equal(amt_extract_list(img, AMT_PIECES_REGIONS, &r, &e), AMT_OK);
	for (size_t i = 0; i < r.n; i++)
		assert_int_equal(r.v[i].kind, AMT_PIECE_REGION);
	assert_true(r.n >= 3 && r.n < l.n);
	amt_piece_list_free(&r);
	assert_int_equal(amt_extract_list(img, AMT_PIECES_MODULES, &r, &e), AMT_OK);
	for (size_t i = 0; i < r.n; i++)
		assert_int_equal(r.v[i].kind, AMT_PIECE_MODULE);
	amt_piece_list_free(&r);

	amt_piece_list_free(&l);
	amt_image_free(img);
	tb_free(&b);
	tb_free(&me);
}

/* A region whose descriptor entry points past the end of the file. */
static void test_list_region_outside(void **state)
{
	(void)state;
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	o.flreg[AMT_RGN_BIOS] = tb_ifd_flreg(0x10000, 0x7FFFFF);  /* file is 64 KiB */
	o.flreg[AMT_RGN_ME] = tb_ifd_flreg(0x1000, 0xFFFF);
	struct tb_buf b = tb_ifd_image(&o, 0x10000, 0);
	struct amt_image *img = NULL;
	amt_error e;
	/* the ME region is blank: the parse may keep going without firmware */
	if (amt_image_parse(b.data, b.size, NULL, &img, &e) != AMT_OK)
		fail_msg("parse: %s", e.message);
	struct amt_piece_list l;
	assert_int_equal(amt_extract_list(img, AMT_PIECES_ALL, &l, &e), AMT_OK);
	const struct amt_piece *p = find_path(&l, "bios.bin");
	assert_non_null(p);
	assert_true(p->skipped);
	assert_non_null(strstr(p->note, "outside"));
	p = find_path(&l, "me.bin");
	assert_non_null(p);
	assert_false(p->skipped);
	amt_piece_list_free(&l);
	amt_image_free(img);
	tb_free(&b);
}

/* Hostile $CPD entry names: traversal, control bytes, a clash. */
static void test_list_hostile_names(void **state)
{
	(void)state;
	struct tb_cse_opts o;
	struct tb_cse_info in;
	tb_cse_opts_default(&o);
	o.unsigned_man = true;
	struct tb_buf b = tb_cse_region(&o, &in);
	size_t e0 = in.ftpr_out.entries;
	/* entries: 24 bytes, name[12] first; find two module entries */
	size_t ent[8], n = 0;
	for (size_t e = e0; n < 8 && amt_rd32(b.data + in.ftpr + 4) > (e - e0) / 24; e += 24) {
		const char *nm = (const char *)b.data + e;
		if (!memchr(nm, '.', 12))
			ent[n++] = e;
	}
	assert_true(n >= 3);
	memset(b.data + ent[0], 0, 12);
	memcpy(b.data + ent[0], "../../etc/x", 11);
	memset(b.data + ent[1], 0, 12);
	memcpy(b.data + ent[1], "\x01\x1b[2J\xff", 6);
	/* the third takes the name the first would have after escaping */
	memset(b.data + ent[2], 0, 12);
	memcpy(b.data + ent[2], "_x2e._x2f", 9);
	tb_cpd_fix(b.data, in.ftpr);

	struct amt_image *img = parse_ok(&b);
	struct amt_piece_list l;
	amt_error e;
	assert_int_equal(amt_extract_list(img, AMT_PIECES_MODULES, &l, &e), AMT_OK);
	assert_paths_safe_unique(&l);
	bool seen_trav = false, seen_ctl = false;
	for (size_t i = 0; i < l.n; i++) {
		const struct amt_piece *p = &l.v[i];
		char dir[16];
		snprintf(dir, sizeof(dir), "modules/%s/", p->group);
		assert_int_equal(strncmp(p->path, dir, strlen(dir)), 0);
		assert_null(strchr(p->path + strlen(dir), '/'));
		if (!strcmp(p->name, "../../etc/x")) {
			assert_string_equal(p->path, "modules/FTPR/_x2e._x2f._x2e_x2fetc_x2fx.bin");
			seen_trav = true;
		}
		if (!memcmp(p->name, "\x01\x1b", 2)) {
			assert_string_equal(p->path, "modules/FTPR/_x01_x1b_x5b2J_xff.bin");
			seen_ctl = true;
		}
	}
	assert_true(seen_trav && seen_ctl);
	amt_piece_list_free(&l);
	amt_image_free(img);
	tb_free(&b);
}

/* Two entries with the same name but other bytes get distinct paths. */
static void test_list_clash(void **state)
{
	(void)state;
	struct tb_cse_opts o;
	struct tb_cse_info in;
	tb_cse_opts_default(&o);
	o.unsigned_man = true;
	struct tb_buf b = tb_cse_region(&o, &in);
	size_t e0 = in.ftpr_out.entries, first = 0;
	unsigned renamed = 0;
	for (size_t e = e0; renamed < 2 && amt_rd32(b.data + in.ftpr + 4) > (e - e0) / 24; e += 24) {
		if (memchr(b.data + e, '.', 12))
			continue;
		if (!first)
			first = e;
		memset(b.data + e, 0, 12);
		memcpy(b.data + e, "same", 4);
		renamed++;
	}
	assert_int_equal(renamed, 2);
	tb_cpd_fix(b.data, in.ftpr);
	struct amt_image *img = parse_ok(&b);
	struct amt_piece_list l;
	amt_error e;
	assert_int_equal(amt_extract_list(img, AMT_PIECES_MODULES, &l, &e), AMT_OK);
	assert_paths_safe_unique(&l);
	const struct amt_piece *a = find_path(&l, "modules/FTPR/same.bin");
	const struct amt_piece *c = find_path(&l, "modules/FTPR/same-2.bin");
	assert_non_null(a);
	assert_non_null(c);
	assert_false(a->skipped || c->skipped);
	assert_int_not_equal(a->offset, c->offset);
	amt_piece_list_free(&l);
	amt_image_free(img);
	tb_free(&b);
}

/* ---- LZMA --------------------------------------------------------------- */

static void test_lzma_roundtrip(void **state)
{
	(void)state;
	static uint8_t plain[0x3000], packed[0x4000], cse[0x4000];
	fill(plain, sizeof(plain), 1);
	size_t n = pack(plain, sizeof(plain), packed, sizeof(packed));
	assert_memory_equal(packed, "\x36\x00\x40\x00\x00", 5);
	uint8_t *out;
	size_t outn;
	amt_error e;

	/* size unknown in the header, end marker */
	assert_int_equal(amt_lzma_unpack(packed, n, 0x1000, AMT_UNPACK_MAX, &out, &outn, &e), AMT_OK);
	assert_int_equal(outn, sizeof(plain));
	assert_memory_equal(out, plain, sizeof(plain));
	free(out);

	/* CSE form: 3 zero bytes inserted at +0x0E */
	memcpy(cse, packed, 0x0E);
	memset(cse + 0x0E, 0, 3);
	memcpy(cse + 0x11, packed + 0x0E, n - 0x0E);
	assert_int_equal(amt_lzma_unpack(cse, n + 3, 0, AMT_UNPACK_MAX, &out, &outn, &e), AMT_OK);
	assert_int_equal(outn, sizeof(plain));
	assert_memory_equal(out, plain, sizeof(plain));
	free(out);

	/* the same with a known size in the header (u64 at +0x05) */
	amt_wr32(cse + 5, sizeof(plain));
	amt_wr32(cse + 9, 0);
	assert_int_equal(amt_lzma_unpack(cse, n + 3, 0, AMT_UNPACK_MAX, &out, &outn, &e), AMT_OK);
	assert_int_equal(outn, sizeof(plain));
	assert_memory_equal(out, plain, sizeof(plain));
	free(out);

	/* the inserted bytes are dropped only when zero */
	cse[0x0F] = 0x5A;
	assert_int_not_equal(amt_lzma_unpack(cse, n + 3, 0, AMT_UNPACK_MAX, &out, &outn, &e), AMT_OK);
	assert_null(out);
}

static void test_lzma_errors(void **state)
{
	(void)state;
	static uint8_t plain[0x2000], packed[0x3000], bad[0x3000];
	fill(plain, sizeof(plain), 2);
	size_t n = pack(plain, sizeof(plain), packed, sizeof(packed));
	uint8_t *out = (uint8_t *)1;
	size_t outn = 1;
	amt_error e;

	/* header cut short */
	assert_int_equal(amt_lzma_unpack(packed, 12, 0x500, AMT_UNPACK_MAX, &out, &outn, &e),
			 AMT_E_TRUNCATED);
	assert_null(out);
	assert_int_equal(outn, 0);
	assert_int_equal(e.offset, 0x500);
	assert_string_equal(e.structure, "LZMA");

	/* stream cut short */
	assert_int_equal(amt_lzma_unpack(packed, n / 2, 0x500, AMT_UNPACK_MAX, &out, &outn, &e),
			 AMT_E_TRUNCATED);
	assert_null(out);
	assert_non_null(strstr(e.message, "ends early"));

	/* known size, stream cut short */
	memcpy(bad, packed, n);
	amt_wr32(bad + 5, sizeof(plain));
	amt_wr32(bad + 9, 0);
	assert_int_equal(amt_lzma_unpack(bad, n / 2, 0, AMT_UNPACK_MAX, &out, &outn, &e),
			 AMT_E_TRUNCATED);
	assert_non_null(strstr(e.message, "declared"));

	/* bad properties byte */
	memcpy(bad, packed, n);
	bad[0] = 0xE1;
	assert_int_equal(amt_lzma_unpack(bad, n, 0x40, AMT_UNPACK_MAX, &out, &outn, &e),
			 AMT_E_BADMAGIC);
	assert_int_equal(e.offset, 0x40);

	/* declared size over the limit (and absurd sizes) */
	memcpy(bad, packed, n);
	amt_wr32(bad + 5, 0x10000);
	amt_wr32(bad + 9, 0);
	assert_int_equal(amt_lzma_unpack(bad, n, 0x40, 0x8000, &out, &outn, &e), AMT_E_RANGE);
	assert_int_equal(e.offset, 0x45);
	amt_wr32(bad + 9, 0x7FFFFFFF);
	assert_int_equal(amt_lzma_unpack(bad, n, 0x40, AMT_UNPACK_MAX, &out, &outn, &e),
			 AMT_E_RANGE);

	/* unknown size, output over the limit */
	assert_int_equal(amt_lzma_unpack(packed, n, 0, 0x1000, &out, &outn, &e), AMT_E_RANGE);
	assert_null(out);

	/* corrupt data: every outcome is an error, never a crash or a result */
	memcpy(bad, packed, n);
	for (size_t i = 0x20; i < n - 8; i += 7)
		bad[i] ^= 0xA5;
	amt_status st = amt_lzma_unpack(bad, n, 0, AMT_UNPACK_MAX, &out, &outn, &e);
	if (st == AMT_OK) {
		/* a corrupted stream that still decodes must differ */
		assert_false(outn == sizeof(plain) && !memcmp(out, plain, outn));
		free(out);
	} else {
		assert_null(out);
		assert_true(e.message[0] != '\0');
	}

	/* huge dictionary: refused by the memory limit, not allocated */
	memcpy(bad, packed, n);
	amt_wr32(bad + 1, 0xFFFFFFF0u);
	assert_int_equal(amt_lzma_unpack(bad, n, 0x80, AMT_UNPACK_MAX, &out, &outn, &e),
			 AMT_E_UNSUPPORTED);
	assert_null(out);
	assert_int_equal(e.offset, 0x81);
	assert_non_null(strstr(e.message, "dictionary"));
}

/* ---- modules ------------------------------------------------------------ */

static void test_module_unpack_gen2(void **state)
{
	(void)state;
	struct tb_me_opts mo;
	struct tb_me_layout ml;
	tb_me_opts_gen2(&mo);
	mo.huffman = true;
	struct tb_buf b = tb_build_gen2(&mo, &ml);
	struct amt_image *img = parse_ok(&b);
	const struct amt_fw *fw = &img->fw;
	uint8_t *out;
	size_t n;
	amt_hash_match match;
	amt_error e;

	size_t lz = find_module(fw, AMT_COMP_LZMA);
	assert_int_equal(amt_module_unpack(img, lz, &out, &n, &match, &e), AMT_OK);
	assert_int_equal(n, 0x1000);  /* the builder's LZMA module size */
	assert_int_equal(match, AMT_HASH_UNPACKED);
	/* the stored hash is the byte-reversed SHA-256 of what we unpacked */
	uint8_t h[48], sha[32];
	unsigned hl;
	uint64_t hoff;
	assert_int_equal(amt_module_stored_hash(img, lz, h, &hl, &hoff), AMT_OK);
	assert_int_equal(hl, 32);
	assert_int_equal(hoff, fw->modules[lz].header_offset + 0x14);
	amt_sha256(out, n, sha);
	for (unsigned i = 0; i < 32; i++)
		assert_int_equal(h[i], sha[31 - i]);
	free(out);

	/* a wrong stored hash: mismatch, bytes still returned (the model
	 * holds the hash the parse read: parse the changed bytes again) */
	uint64_t hbyte = fw->modules[lz].header_offset + 0x14;
	b.data[hbyte] ^= 1;
	struct amt_image *img2 = parse_ok(&b);
	assert_int_equal(img2->fw.modules[lz].stored_hash[0], b.data[hbyte]);
	assert_int_equal(amt_module_unpack(img2, lz, &out, &n, &match, &e), AMT_OK);
	assert_int_equal(match, AMT_HASH_MISMATCH);
	free(out);
	amt_image_free(img2);
	b.data[hbyte] ^= 1;

	/* Huffman (one real chunk behind the LLUT, tests/builder/build_me.c):
	 * unpacked to its 0x400 bytes, which its $MME hash covers */
	size_t hf = find_module(fw, AMT_COMP_HUFFMAN);
	assert_int_equal(amt_module_unpack(img, hf, &out, &n, &match, &e), AMT_OK);
	assert_int_equal(n, 0x400);
	assert_int_equal(match, AMT_HASH_UNPACKED);
	amt_sha256(out, n, sha);
	for (unsigned i = 0; i < 32; i++)
		assert_int_equal(b.data[fw->modules[hf].header_offset + 0x14 + i], sha[31 - i]);
	free(out);
	/* its chunk corrupted: a precise error, nothing returned */
	uint64_t llut = fw->modules[hf].offset;
	uint32_t c0 = amt_rd32(b.data + llut + 0x40) & 0x1FFFFFFu;
	uint8_t keep[0x100];
	memcpy(keep, b.data + c0, sizeof(keep));
	memset(b.data + c0, 0xFF, 0x100); /* all ones: 7-bit code words of 2 bytes */
	assert_int_not_equal(amt_module_unpack(img, hf, &out, &n, &match, &e), AMT_OK);
	assert_null(out);
	assert_non_null(strstr(e.message, fw->modules[hf].name));
	memcpy(b.data + c0, keep, sizeof(keep));

	/* uncompressed: nothing to unpack */
	size_t un = find_module(fw, AMT_COMP_NONE);
	assert_int_equal(amt_module_unpack(img, un, &out, &n, &match, &e), AMT_E_ARG);
	/* bad index */
	assert_int_equal(amt_module_unpack(img, fw->nmodules, &out, &n, &match, &e), AMT_E_ARG);

	/* a corrupted LZMA module: a precise error naming it */
	size_t off = fw->modules[lz].offset;
	memset(b.data + off + 20, 0xFF, fw->modules[lz].size - 20);
	amt_status st = amt_module_unpack(img, lz, &out, &n, &match, &e);
	assert_int_not_equal(st, AMT_OK);
	assert_null(out);
	assert_non_null(strstr(e.message, fw->modules[lz].name));
	assert_true(e.offset >= off && e.offset <= off + fw->modules[lz].size);

	amt_image_free(img);
	tb_free(&b);
}

static void test_stored_hash_cse(void **state)
{
	(void)state;
	struct tb_cse_opts o;
	struct tb_cse_info in;
	tb_cse_opts_default(&o);
	o.unsigned_man = true;
	struct tb_buf b = tb_cse_region(&o, &in);
	struct amt_image *img = parse_ok(&b);
	const struct amt_fw *fw = &img->fw;
	unsigned checked = 0;
	for (size_t i = 0; i < fw->nmodules; i++) {
		const struct amt_module *m = &fw->modules[i];
		uint8_t h[48], sha[32];
		unsigned hl;
		uint64_t hoff;
		amt_status st = amt_module_stored_hash(img, i, h, &hl, &hoff);
		if (m->kind != AMT_MOD_MODULE) {
			assert_int_equal(st, AMT_E_UNSUPPORTED);
			continue;
		}
		if (m->comp != AMT_COMP_NONE || st != AMT_OK)
			continue;
		/* the hash lies in this module's .met, and matches its bytes */
		assert_int_equal(hl, 32);
		assert_memory_equal(h, b.data + hoff, 32);
		amt_sha256(b.data + m->offset, m->size, sha);
		bool fwd = !memcmp(h, sha, 32), rev = true;
		for (unsigned k = 0; k < 32; k++)
			rev &= h[k] == sha[31 - k];
		assert_true(fwd || rev);
		assert_int_equal(m->hash_ok, AMT_YES);  /* the parser agrees */
		checked++;
	}
	assert_true(checked >= 2);
	assert_int_equal(amt_module_stored_hash(img, fw->nmodules, NULL, &(unsigned){ 0 },
						&(uint64_t){ 0 }), AMT_E_ARG);
	amt_image_free(img);
	tb_free(&b);
}

/* ---- the corpus ME 11.8 image ------------------------------------------ */

static void test_corpus_me11(void **state)
{
	(void)state;
	if (!corpus_dir()) {
		print_message("corpus test skipped: AMTLESS_CORPUS is not set\n");
		skip();
	}
	size_t size;
	uint8_t *d = corpus_read("images/DERIVED-full_me11.8.82.3838_x210.bin", &size);
	assert_non_null(d);
	struct tb_buf b = { d, size };
	struct amt_image *img = parse_ok(&b);
	struct amt_piece_list l;
	amt_error e;
	assert_int_equal(amt_extract_list(img, AMT_PIECES_ALL, &l, &e), AMT_OK);
	assert_paths_safe_unique(&l);

	/* me.bin = the ME region's bytes */
	const struct amt_piece *p = find_path(&l, "me.bin");
	assert_non_null(p);
	assert_false(p->skipped);
	assert_int_equal(p->offset, img->fw.region_offset);
	assert_int_equal(p->size, img->fw.region_size);
	const struct amt_ifd_region *r = &img->ifd.region[AMT_RGN_ME];
	assert_int_equal(p->offset, img->ifd.offset + r->base);
	assert_int_equal(p->size, r->limit - r->base + 1);
	assert_non_null(find_path(&l, "partitions/FTPR.bin"));
	assert_non_null(find_path(&l, "modules/FTPR/FTPR.man"));

	/* every LZMA module unpacks; its stored hash matches either the
	 * unpacked bytes (ish_bup) or the stored ones; never neither */
	unsigned unpacked = 0, by_unpacked = 0, by_stored = 0, encrypted = 0;
	bool ish_bup = false;
	for (size_t i = 0; i < img->fw.nmodules; i++) {
		const struct amt_module *m = &img->fw.modules[i];
		if (m->comp != AMT_COMP_LZMA || m->kind != AMT_MOD_MODULE)
			continue;
		uint8_t *out;
		size_t n;
		amt_hash_match match;
		amt_status st = amt_module_unpack(img, i, &out, &n, &match, &e);
		if (st == AMT_E_UNSUPPORTED && strstr(e.message, "encrypted")) {
			encrypted++;  /* NFTP/pavp */
			continue;
		}
		assert_int_equal(st, AMT_OK);
		assert_true(n > m->size / 2);
		if (m->usize)
			assert_true(n <= m->usize);
		unpacked++;
		if (match == AMT_HASH_UNPACKED) {
			by_unpacked++;
			uint8_t h[48], sha[32];
			unsigned hl;
			uint64_t hoff;
			assert_int_equal(amt_module_stored_hash(img, i, h, &hl, &hoff), AMT_OK);
			assert_int_equal(hl, 32);
			amt_sha256(out, n, sha);
			bool fwd = !memcmp(h, sha, 32), rev = true;
			for (unsigned k = 0; k < 32; k++)
				rev &= h[k] == sha[31 - k];
			assert_true(fwd || rev);
			if (!strcmp(m->name, "ish_bup"))
				ish_bup = true;
		} else {
			assert_int_equal(match, AMT_HASH_STORED);
			by_stored++;
		}
		free(out);
	}
	print_message("ME 11.8: %u LZMA modules unpacked (%u hashed unpacked, %u as stored), "
		      "%u encrypted\n", unpacked, by_unpacked, by_stored, encrypted);
	assert_true(unpacked >= 30);
	assert_true(ish_bup);
	assert_true(by_stored >= 30);
	assert_int_equal(encrypted, 1);

	amt_piece_list_free(&l);
	amt_image_free(img);
	free(d);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_safe_name),
		cmocka_unit_test(test_list_full_gen2),
		cmocka_unit_test(test_list_region_outside),
		cmocka_unit_test(test_list_hostile_names),
		cmocka_unit_test(test_list_clash),
		cmocka_unit_test(test_lzma_roundtrip),
		cmocka_unit_test(test_lzma_errors),
		cmocka_unit_test(test_module_unpack_gen2),
		cmocka_unit_test(test_stored_hash_cse),
		cmocka_unit_test(test_corpus_me11),
	};
	return corpus_split_run(tests, NULL, NULL, argc, argv);
}
