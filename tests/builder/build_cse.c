/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Synthetic CSE firmware (see build_cse.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "build_cse.h"
#include "build_sign.h"
#include "internal.h"

#define MOD_SIZE 0x400u

static void need(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "test builder (cse): %s\n", what);
		abort();
	}
}

static size_t align(size_t v, size_t a)
{
	return (v + a - 1) / a * a;
}

void tb_cpd_spec_ftpr(struct tb_cpd_spec *s)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->name, "FTPR", 5);
	s->cpd_version = 1;
	s->ver[0] = 11;
	s->ver[1] = 8;
	s->ver[2] = 50;
	s->ver[3] = 3425;
	s->nmods = 3;
	s->mods[0] = "kernel";
	s->mods[1] = "bup";
	s->mods[2] = "syslib";
	s->ext_init = true;
	s->init_entry_size = 0x18;
	s->init_flags_first = 0x05;
	s->boot_flags_first = 0x03;
	s->ext_skucaps = true;
	s->caps = 0x3111bdd0;   /* as the corpus CSME 12 image: bit 2 clear, bit 8 (H) */
	s->attrib = 0x2210;     /* SKU type 1 (consumer), platform 0 (H) */
	s->ext_pkg = true;
	s->fw_type = 3;
	s->fw_sku = 2;
}

void tb_cpd_fix(uint8_t *buf, size_t cpd)
{
	uint32_t n = amt_rd32(buf + cpd + 4);
	unsigned hlen = buf[cpd + 0x0A];
	size_t len = hlen + (size_t)n * 0x18;
	if (buf[cpd + 8] == 1) {
		buf[cpd + 0x0B] = 0;
		buf[cpd + 0x0B] = (uint8_t)(0x100 - amt_sum8(buf + cpd, len));
	} else {
		amt_wr32(buf + cpd + 0x10, 0);
		amt_wr32(buf + cpd + 0x10, amt_crc32(buf + cpd, len));
	}
}

static void put_name(uint8_t *p, const char *s, size_t n)
{
	memset(p, 0, n);
	memcpy(p, s, strlen(s) < n ? strlen(s) : n);
}

void tb_cpd_write(uint8_t *buf, size_t size, size_t off, size_t room,
		  const struct tb_cpd_spec *s, struct tb_cpd_out *out)
{
	unsigned hlen = s->cpd_version == 2 ? 0x14 : 0x10;
	unsigned n = 1 + 2 * s->nmods;
	unsigned hdr = s->r2_manifest ? 0x384 : 0x284;
	unsigned hash = s->r2_manifest ? 48 : 32;
	unsigned esz = s->init_entry_size ? s->init_entry_size : 0x18;
	size_t pos;

	need(s->nmods <= TB_CSE_MAX_MODS, "too many modules");
	need(off < size && room <= size - off, "partition outside the buffer");
	memset(out, 0, sizeof(*out));
	memset(buf + off, 0xFF, room);
	out->cpd = off;
	out->entries = off + hlen;

	uint8_t *c = buf + off;
	memset(c, 0, hlen);
	memcpy(c, "$CPD", 4);
	amt_wr32(c + 4, n);
	c[8] = (uint8_t)s->cpd_version;
	c[9] = 1;
	c[0x0A] = (uint8_t)hlen;
	memcpy(c + 0x0C, s->name, 4);
	memset(c + hlen, 0, n * 0x18);

	/* manifest */
	pos = align(hlen + n * 0x18, 0x40);
	size_t man = off + pos;
	out->man = man;
	size_t ext = man + hdr;
	out->ext_first = ext;
	uint8_t *e;
	if (s->ext_init) {
		size_t len = 0x10 + (size_t)s->nmods * esz;
		need(amt_in(size, ext, len), "init script");
		e = buf + ext;
		memset(e, 0, len);
		amt_wr32(e, 0x01);
		amt_wr32(e + 4, (uint32_t)len);
		amt_wr32(e + 0x0C, s->nmods);
		for (unsigned i = 0; i < s->nmods; i++) {
			uint8_t *ie = e + 0x10 + i * esz;
			memcpy(ie, s->name, 4);
			put_name(ie + 4, s->mods[i], 12);
			amt_wr32(ie + 0x10, i == 0 ? s->init_flags_first : 0x04);
			amt_wr32(ie + 0x14, i == 0 ? s->boot_flags_first : 0x01);
		}
		out->ext_init = ext;
		ext += len;
	}
	/* partition info (hash filled in below) */
	size_t ext03 = ext;
	size_t p03len = 0x18 + hash;
	e = buf + ext;
	memset(e, 0, p03len);
	amt_wr32(e, 0x03);
	amt_wr32(e + 4, (uint32_t)p03len);
	memcpy(e + 8, s->name, 4);
	amt_wr32(e + 0x0C, (uint32_t)room);
	ext += p03len;
	if (s->ext_skucaps) {
		e = buf + ext;
		memset(e, 0, 0x30);
		amt_wr32(e, 0x0C);
		amt_wr32(e + 4, 0x30);
		amt_wr32(e + 8, s->caps);
		memset(e + 0x0C, 0xFF, 28);
		amt_wr32(e + 0x28, (uint32_t)s->attrib);
		amt_wr32(e + 0x2C, (uint32_t)(s->attrib >> 32));
		out->ext_0c = ext;
		ext += 0x30;
	}
	if (s->ext_pkg) {
		e = buf + ext;
		memset(e, 0, 0x34);
		amt_wr32(e, 0x0F);
		amt_wr32(e + 4, 0x34);
		memcpy(e + 8, s->name, 4);
		e[0x24] = s->fw_type;
		e[0x25] = s->fw_sku;
		ext += 0x34;
	}
	size_t man_size = ext - man;
	need(man_size % 4 == 0, "manifest size");
	uint8_t *m = buf + man;
	memset(m, 0, hdr);
	amt_wr32(m, 4);
	amt_wr32(m + 4, hdr / 4);
	amt_wr32(m + 8, s->r2_manifest ? 0x21000 : 0x10000);
	amt_wr32(m + 0x10, 0x8086);
	amt_wr32(m + 0x14, 0x20240101);
	amt_wr32(m + 0x18, (uint32_t)(man_size / 4));
	memcpy(m + 0x1C, "$MN2", 4);
	for (int i = 0; i < 4; i++)
		amt_wr16(m + 0x24 + 2 * i, s->ver[i]);
	amt_wr32(m + 0x78, s->r2_manifest ? 0x60 : 0x40);
	amt_wr32(m + 0x7C, 1);
	/* .man entry */
	uint8_t *ent = c + hlen;
	char nm[13];
	snprintf(nm, sizeof(nm), "%s.man", s->name);
	put_name(ent, nm, 12);
	amt_wr32(ent + 0x0C, (uint32_t)pos);
	amt_wr32(ent + 0x10, (uint32_t)man_size);

	/* .met entries then module data */
	pos = align(pos + man_size, 0x10);
	size_t attr_len = 0x18 + hash;
	/* 0x05 is 0x46 bytes and the next extension follows unaligned, as
	 * after the 0x5A-byte 0x05 of the corpus ME 11.8 bup.met */
	size_t decl_len = s->met_decls ? 0x46 + 0x18 + 0x18 + (0x20 + (s->met_decls_bad ? 4 : 0)) +
					 0x24 + 0x10 : 0;
	size_t met_len = attr_len + decl_len;
	size_t mod_pos = align(pos + s->nmods * met_len, 0x40);
	for (unsigned i = 0; i < s->nmods; i++) {
		bool huff = i == 0 && s->huffman_first;
		size_t mo = mod_pos + (size_t)i * MOD_SIZE;
		need(mo + MOD_SIZE <= room, "partition too small");
		uint8_t *md = buf + off + mo;
		for (unsigned k = 0; k < MOD_SIZE; k++)
			md[k] = (uint8_t)(k * 7 + i * 13 + 1);
		out->mod[i] = off + mo;
		uint8_t *me = c + hlen + (1 + 2 * i) * 0x18;
		put_name(me, s->mods[i], 12);
		amt_wr32(me + 0x0C, (uint32_t)mo | (huff ? 1u << 25 : 0));
		amt_wr32(me + 0x10, huff ? 2 * MOD_SIZE : MOD_SIZE);

		size_t mt = pos + (size_t)i * met_len;
		out->met[i] = off + mt;
		uint8_t *t = buf + off + mt;
		memset(t, 0, met_len);
		amt_wr32(t, 0x0A);
		amt_wr32(t + 4, (uint32_t)attr_len);
		if (s->met_decls)
			tb_met_decls(t + attr_len, i, s->met_decls_bad);
		t[8] = huff ? 1 : 0;
		amt_wr32(t + 0x0C, huff ? 2 * MOD_SIZE : MOD_SIZE);
		amt_wr32(t + 0x10, MOD_SIZE);
		amt_wr32(t + 0x14, 0x80860001);
		if (!huff) {
			uint8_t dig[EVP_MAX_MD_SIZE];
			unsigned dl = 0;
			EVP_Digest(md, MOD_SIZE, dig, &dl, hash == 32 ? EVP_sha256() : EVP_sha384(), NULL);
			for (unsigned k = 0; k < dl; k++)  /* stored byte-reversed */
				t[0x18 + k] = dig[dl - 1 - k];
		}
		uint8_t *te = c + hlen + (2 + 2 * i) * 0x18;
		snprintf(nm, sizeof(nm), "%s.met", s->mods[i]);
		put_name(te, nm, 12);
		amt_wr32(te + 0x0C, (uint32_t)mt);
		amt_wr32(te + 0x10, (uint32_t)met_len);
	}
	out->size = mod_pos + (size_t)s->nmods * MOD_SIZE;
	tb_cpd_fix(buf, off);   /* the directory is part of the 0x03 hash */
	{
		/* Ext 0x03 hash: the partition without its manifest, reversed */
		uint8_t dig[EVP_MAX_MD_SIZE];
		unsigned dl = 0;
		EVP_MD_CTX *x = EVP_MD_CTX_new();
		need(x && EVP_DigestInit_ex(x, hash == 32 ? EVP_sha256() : EVP_sha384(), NULL) &&
		     EVP_DigestUpdate(x, buf + off, man - off) &&
		     EVP_DigestUpdate(x, buf + man + man_size, off + room - man - man_size) &&
		     EVP_DigestFinal_ex(x, dig, &dl), "partition hash");
		EVP_MD_CTX_free(x);
		need(0x10 + dl <= p03len, "partition info too small");
		for (unsigned k = 0; k < dl; k++)
			buf[ext03 + 0x10 + k] = dig[dl - 1 - k];
	}
	if (!s->unsigned_man)
		tb_sign_manifest(buf, size, man, s->r2_manifest ? AMT_MAN_R2 : AMT_MAN_R1);
}

/* The declarations of tb_cpd_spec.met_decls for module i at p (layouts:
 * lib/fw/cse/met.c). */
void tb_met_decls(uint8_t *p, unsigned i, bool bad)
{
	/* 0x05 Process Manifest, one group id */
	memset(p, 0, 0x46);
	amt_wr32(p, 0x05);
	amt_wr32(p + 4, 0x46);
	amt_wr32(p + 0x08, 0x6);
	amt_wr32(p + 0x28, 0xE000C383u);
	amt_wr16(p + 0x34, (uint16_t)(0x100 + i));
	amt_wr16(p + 0x44, (uint16_t)(0x200 + i));
	p += 0x46;
	/* 0x06 Threads, one */
	memset(p, 0, 0x18);
	amt_wr32(p, 0x06);
	amt_wr32(p + 4, 0x18);
	amt_wr32(p + 8, 0x1000);
	p += 0x18;
	/* 0x07 Device IDs, two */
	memset(p, 0, 0x18);
	amt_wr32(p, 0x07);
	amt_wr32(p + 4, 0x18);
	amt_wr32(p + 8, 0x00020000u + i);
	amt_wr32(p + 0x10, 0x00030008u);
	p += 0x18;
	/* 0x08 MMIO Ranges, two (plus 4 stray bytes when bad) */
	uint32_t ml = 0x20 + (bad ? 4 : 0);
	memset(p, 0, ml);
	amt_wr32(p, 0x08);
	amt_wr32(p + 4, ml);
	amt_wr32(p + 8, 0xF0000000u + i * 0x1000u);
	amt_wr32(p + 0x0C, 0x1000);
	amt_wr32(p + 0x10, 3);
	amt_wr32(p + 0x14, 0xF7000000u);
	amt_wr32(p + 0x18, 0x20000);
	amt_wr32(p + 0x1C, 1);
	p += ml;
	/* 0x09 Special File Producer, one file */
	memset(p, 0, 0x24);
	amt_wr32(p, 0x09);
	amt_wr32(p + 4, 0x24);
	amt_wr16(p + 8, (uint16_t)(6 + i));
	char nm[13];
	snprintf(nm, sizeof(nm), i == 1 ? "heci1" : "file%u", i);
	memcpy(p + 0x0C, nm, strlen(nm));
	amt_wr16(p + 0x0C + 0x0C, 0x1B0);
	amt_wr16(p + 0x0C + 0x0E, (uint16_t)(0x100 + i));
	amt_wr16(p + 0x0C + 0x10, (uint16_t)(0x200 + i));
	p[0x0C + 0x12] = 1;
	p += 0x24;
	/* 0x0B Locked Ranges, one */
	memset(p, 0, 0x10);
	amt_wr32(p, 0x0B);
	amt_wr32(p + 4, 0x10);
	amt_wr32(p + 8, 0x80000);
	amt_wr32(p + 0x0C, 0x1000u * (i + 1));
}

void tb_cse_opts_default(struct tb_cse_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->with_nftp = true;
}

void tb_fpt_fix(uint8_t *buf, size_t fpt)
{
	buf[fpt + 0x0B] = 0;
	buf[fpt + 0x0B] = (uint8_t)(0x100 - amt_sum8(buf + fpt, 0x20));
}

struct fpt_ent {
	const char *name;
	uint32_t off, size, flags;
};

static void write_fpt(uint8_t *buf, size_t fpt, const struct fpt_ent *e, unsigned n)
{
	uint8_t *h = buf + fpt;
	memset(h, 0, 0x20 + n * 0x20);
	memcpy(h, "$FPT", 4);
	amt_wr32(h + 4, n);
	h[8] = 0x20;
	h[9] = 0x10;
	h[0x0A] = 0x20;
	amt_wr16(h + 0x18, 11);
	for (unsigned i = 0; i < n; i++) {
		uint8_t *p = h + 0x20 + i * 0x20;
		put_name(p, e[i].name, 4);
		amt_wr32(p + 8, e[i].off);
		amt_wr32(p + 12, e[i].size);
		amt_wr32(p + 0x1C, e[i].flags);
	}
	tb_fpt_fix(buf, fpt);
}

static void spec_for(struct tb_cpd_spec *s, const struct tb_cse_opts *o, const char *name,
		     const uint16_t defver[4])
{
	tb_cpd_spec_ftpr(s);
	memcpy(s->name, name, 5);
	s->unsigned_man = o->unsigned_man;
	memcpy(s->ver, o->ver[0] ? o->ver : defver, sizeof(s->ver));
	if (o->amt) {
		s->caps |= 1u << 2;
		s->attrib &= ~0x70ull;   /* SKU type 0: corporate */
	}
	if (strcmp(name, "FTPR")) {
		s->ext_init = s->ext_skucaps = s->ext_pkg = false;
		s->nmods = 2;
		s->mods[0] = o->amt && !strcmp(name, "NFTP") ? "amt" : "mca_srv";
		s->mods[1] = "pavp";
	}
}

struct tb_buf tb_cse_region(const struct tb_cse_opts *o, struct tb_cse_info *info)
{
	static const uint16_t v11[4] = { 11, 8, 50, 3425 };
	struct tb_buf b = tb_alloc(0x80000, 0xFF);
	struct tb_cpd_spec s;
	struct tb_cpd_out tmp;
	struct fpt_ent e[5];
	unsigned n = 0;

	memset(info, 0, sizeof(*info));
	memset(b.data, 0, 0x10);  /* ROM bypass */
	info->fpt = 0x10;
	e[n++] = (struct fpt_ent){ "FTPR", 0x1000, 0x20000, 0 };
	if (o->with_nftp)
		e[n++] = (struct fpt_ent){ "NFTP", 0x21000, 0x20000, 0 };
	if (o->with_locl)
		e[n++] = (struct fpt_ent){ "LOCL", 0x41000, 0x8000, 0 };
	e[n++] = (struct fpt_ent){ "MFS", 0x50000, 0x10000, 1 };
	write_fpt(b.data, 0x10, e, n);

	spec_for(&s, o, "FTPR", v11);
	info->ftpr = 0x1000;
	tb_cpd_write(b.data, b.size, 0x1000, 0x20000, &s, &info->ftpr_out);
	if (o->with_nftp) {
		spec_for(&s, o, "NFTP", v11);
		info->nftp = 0x21000;
		tb_cpd_write(b.data, b.size, 0x21000, 0x20000, &s, &info->nftp_out);
	}
	if (o->with_locl) {
		spec_for(&s, o, "LOCL", v11);
		s.mods[0] = "locl";
		s.nmods = 1;
		info->locl = 0x41000;
		tb_cpd_write(b.data, b.size, 0x41000, 0x8000, &s, &tmp);
	}
	memset(b.data + 0x50000, 0, 0x10);
	return b;
}

void tb_layout17_fix(uint8_t *buf, size_t layout)
{
	unsigned sz = amt_rd16(buf + layout + 0x10);
	amt_wr32(buf + layout + 0x14, 0);
	amt_wr32(buf + layout + 0x14, amt_crc32(buf + layout + 0x10, sz));
}

void tb_bpdt_fix(uint8_t *buf, size_t bpdt)
{
	if (amt_rd16(buf + bpdt + 6) != 2)
		return;
	size_t len = 0x18 + (size_t)amt_rd16(buf + bpdt + 4) * 12;
	amt_wr32(buf + bpdt + 8, 0);
	amt_wr32(buf + bpdt + 8, amt_crc32(buf + bpdt + 4, len - 4));
}

struct bpdt_ent {
	uint16_t type;
	uint32_t off, size;
};

static void write_bpdt(uint8_t *buf, size_t at, unsigned version, const struct bpdt_ent *e,
		       unsigned n)
{
	uint8_t *h = buf + at;
	memset(h, 0, 0x18 + n * 12);
	amt_wr32(h, 0x000055AA);
	amt_wr16(h + 4, (uint16_t)n);
	amt_wr16(h + 6, (uint16_t)version);
	amt_wr16(h + 0x10, 14);
	for (unsigned i = 0; i < n; i++) {
		uint8_t *p = h + 0x18 + i * 12;
		amt_wr16(p, e[i].type);
		amt_wr32(p + 4, e[i].off);
		amt_wr32(p + 8, e[i].size);
	}
	tb_bpdt_fix(buf, at);
}

struct tb_buf tb_ifwi_region(enum tb_ifwi_kind kind, const struct tb_cse_opts *o,
			     struct tb_cse_info *info)
{
	static const uint16_t v14[4] = { 14, 0, 10, 1204 };
	static const uint16_t v16[4] = { 16, 1, 30, 2307 };
	static const uint16_t v4[4] = { 4, 0, 50, 2083 };
	const uint16_t *dv = kind == TB_IFWI_16 ? v14 : kind == TB_IFWI_17 ? v16 : v4;
	bool r2 = kind == TB_IFWI_17;
	struct tb_buf b = tb_alloc(kind == TB_IFWI_BPDT ? 0x60000 : 0x100000, 0xFF);
	struct tb_cpd_spec s;
	size_t bp;

	memset(info, 0, sizeof(*info));
	if (kind == TB_IFWI_BPDT) {
		bp = 0;
	} else {
		uint8_t *l = b.data;
		info->layout = 0;
		info->data = 0x1000;
		info->bp1 = 0x11000;
		info->bp2 = 0x71000;
		unsigned dp = kind == TB_IFWI_17 ? 0x18 : 0x10;
		if (kind == TB_IFWI_17) {
			memset(l + 0x10, 0, 0x40);
			amt_wr16(l + 0x10, 0x40);
		} else {
			memset(l + 0x10, 0, 0x38);
			l[0x40] = 0x22;  /* as the corpus CSME 14 table (see lib/fw/cse/ifwi.c) */
			memset(l + 0x41, 0, 7);
		}
		amt_wr32(l + dp, 0x1000);
		amt_wr32(l + dp + 4, 0x10000);
		amt_wr32(l + dp + 8, 0x11000);
		amt_wr32(l + dp + 12, 0x60000);
		amt_wr32(l + dp + 16, 0x71000);
		amt_wr32(l + dp + 20, 0x20000);
		if (kind == TB_IFWI_17)
			tb_layout17_fix(b.data, 0);
		struct fpt_ent e[2] = { { "MFS", 0x1000, 0x4000, 1 }, { "FITC", 0x5000, 0x1000, 1 } };
		write_fpt(b.data, 0x1000, e, 2);
		info->fpt = 0x1000;
		bp = 0x11000;
	}
	unsigned bver = kind == TB_IFWI_17 ? 2 : 1;
	struct bpdt_ent pe[3] = {
		{ 9, 0, 0 },                 /* empty DLMP slot, as real tables */
		{ 2, 0x1000, 0x20000 },      /* FTPR */
		{ 5, 0x30000, 0x28000 },     /* S-BPDT */
	};
	struct bpdt_ent se[1] = { { 7, 0x31000, 0x20000 } };  /* NFTP */
	info->bpdt = bp;
	info->sbpdt = bp + 0x30000;
	info->sbpdt_entry = bp + 0x18 + 2 * 12;
	write_bpdt(b.data, bp, bver, pe, 3);
	write_bpdt(b.data, bp + 0x30000, bver, se, 1);

	spec_for(&s, o, "FTPR", dv);
	s.cpd_version = r2 ? 2 : 1;
	s.r2_manifest = r2;
	s.init_entry_size = kind == TB_IFWI_BPDT ? 0x18 : 0x1C;
	info->ftpr = bp + 0x1000;
	tb_cpd_write(b.data, b.size, info->ftpr, 0x20000, &s, &info->ftpr_out);
	spec_for(&s, o, "NFTP", dv);
	s.cpd_version = r2 ? 2 : 1;
	s.r2_manifest = r2;
	info->nftp = bp + 0x31000;
	tb_cpd_write(b.data, b.size, info->nftp, 0x20000, &s, &info->nftp_out);
	return b;
}

/* SPS Ignition regions as Intel publishes them (edk2-non-osi
 * PurleySiliconBinPkg c10580a, WhitleySiliconBinPkg 6bda6bf): ROM bypass,
 * $FPT v2.0 with FTPR, FTUP (invalid), DLMP and the data partitions at the
 * real offsets; FTPR is a $CPD R1 (FTPR.man, rbe, rbe.met, manuf,
 * manuf.met[, FTPR2.man]) whose checksum-8 covers the 0x10-byte header
 * only, as both real regions store it. Whitley: FTPR.man's signature does
 * not verify (pre-production key on the real image), FTPR2.man's does. */
struct tb_buf tb_sps_region(enum tb_sps_kind kind, struct tb_sps_info *info)
{
	bool whitley = kind == TB_SPS_WHITLEY_IGN;
	size_t size = whitley ? 0x71000 : 0x73000;
	size_t ftpr = whitley ? 0x33000 : 0x31000;
	uint32_t ftpr_len = whitley ? 0x3B3F0 : 0x40000;
	struct tb_buf b = tb_alloc(size, 0xFF);
	struct tb_cpd_spec s;

	memset(info, 0, sizeof(*info));
	memset(b.data, 0, 0x10);
	info->fpt = 0x10;
	struct fpt_ent e[9] = {
		{ "FTPR", (uint32_t)ftpr, ftpr_len, 0 },
		{ "FTUP", 0, 0, 0xFF000000u },          /* invalid entry, as real */
		{ "DLMP", whitley ? 0xB000 : 0x9000, 0x28000, 0 },
		{ "MFS", whitley ? 0x5000 : 0x4000, whitley ? 0x3000 : 0x2000, 1 },
		{ "FPTB", 0x1000, 0x1000, 1 },
		{ "MFSB", 0x2000, whitley ? 0x3000 : 0x2000, 1 },
		{ "FLOG", whitley ? 0x8000 : 0x6000, 0x1000, 1 },
		{ "UTOK", whitley ? 0x9000 : 0x7000, 0x2000, 1 },
		{ "FCP", whitley ? 0x6F000 : 0x71000, 0x2000, 1 },
	};
	write_fpt(b.data, 0x10, e, 9);
	memset(b.data + 0x1000, 0, 0x1000);

	tb_cpd_spec_ftpr(&s);
	s.ext_init = s.ext_skucaps = false;
	s.ext_pkg = true;
	s.fw_type = 0;
	s.fw_sku = 0;
	s.nmods = 2;
	s.mods[0] = "rbe";
	s.mods[1] = "manuf";
	static const uint16_t w[4] = { 4, 2, 4, 14 }, p[4] = { 1, 0, 2, 43 };
	memcpy(s.ver, whitley ? w : p, sizeof(s.ver));
	info->ftpr = ftpr;
	tb_cpd_write(b.data, b.size, ftpr, ftpr_len, &s, &info->ftpr_out);
	uint8_t *c = b.data + ftpr;
	size_t man = info->ftpr_out.man;
	uint32_t man_size = amt_rd32(b.data + man + 0x18) * 4;
	if (whitley) {
		/* FTPR2.man: the same manifest at +0x3B000, listed last */
		size_t m2 = ftpr + 0x3B000;
		need(0x3B000 + man_size <= ftpr_len, "FTPR2.man");
		memcpy(b.data + m2, b.data + man, man_size);
		uint32_t n = amt_rd32(c + 4);
		uint8_t *ent = c + 0x10 + n * 0x18;
		need(0x10 + (n + 1) * 0x18 <= man - ftpr, "entry room");
		memset(ent, 0, 0x18);
		put_name(ent, "FTPR2.man", 12);
		amt_wr32(ent + 0x0C, 0x3B000);
		amt_wr32(ent + 0x10, man_size);
		amt_wr32(c + 4, n + 1);
		tb_sign_manifest(b.data, b.size, m2, AMT_MAN_R1);
		tb_corrupt_signature(b.data, b.size, man, AMT_MAN_R1, 77);
		info->ftpr2_man = m2;
	}
	/* checksum-8 of the header alone */
	c[0x0B] = 0;
	c[0x0B] = (uint8_t)(0x100 - amt_sum8(c, 0x10));
	return b;
}

/* CSME 21-style IFWI: layout 1.7 of 0x48 bytes (ELog inside the data
 * partition), a version-2 BPDT whose entries hold OEMP (type 20, its own
 * manifest 21.0.0.7000), RBEP (1) and FTPR (2) in either order, as the two
 * CSME 21 images of LongSoft/UEFITool#467/#470 differ; an S-BPDT with NFTP. */
struct tb_buf tb_ifwi21_region(const struct tb_ifwi21_opts *o, struct tb_cse_info *info)
{
	static const uint16_t vfw[4] = { 21, 50, 1, 1278 }, voem[4] = { 21, 0, 0, 7000 };
	struct tb_buf b = tb_alloc(0x100000, 0xFF);
	struct tb_cpd_spec s;
	struct tb_cpd_out tmp;
	uint8_t *l = b.data;

	memset(info, 0, sizeof(*info));
	info->layout = 0;
	info->data = 0x1000;
	info->bp1 = 0x11000;
	memset(l, 0, 0x10);
	memset(l + 0x10, 0, 0x48);
	amt_wr16(l + 0x10, 0x48);
	l[0x12] = o->redundancy ? 1 : 0;
	amt_wr32(l + 0x18, 0x1000);          /* data */
	amt_wr32(l + 0x1C, 0x10000);
	amt_wr32(l + 0x20, 0x11000);         /* BP1 */
	amt_wr32(l + 0x24, 0x80000);
	amt_wr32(l + 0x50, 0xF000);          /* ELog, inside the data partition */
	amt_wr32(l + 0x54, 0x1000);
	tb_layout17_fix(b.data, 0);
	struct fpt_ent fe[2] = { { "MFS", 0x1000, 0x4000, 1 }, { "FITC", 0x5000, 0x1000, 1 } };
	write_fpt(b.data, 0x1000, fe, 2);
	info->fpt = 0x1000;

	size_t bp = 0x11000;
	struct bpdt_ent oemp = { 20, 0x1000, 0x8000 }, rbep = { 1, 0x9000, 0x8000 },
			ftpr = { 2, 0x11000, 0x20000 }, sb = { 5, 0x31000, 0x28000 };
	if (!o->with_ftpr)
		ftpr.size = 0;
	struct bpdt_ent pe[4];
	if (o->oemp_first) {
		pe[0] = oemp; pe[1] = rbep; pe[2] = ftpr;
	} else {
		pe[0] = rbep; pe[1] = ftpr; pe[2] = oemp;
	}
	pe[3] = sb;
	info->bpdt = bp;
	info->sbpdt = bp + 0x31000;
	write_bpdt(b.data, bp, 2, pe, 4);
	b.data[bp + 7] = o->bpdt_flags;
	tb_bpdt_fix(b.data, bp);
	struct bpdt_ent se[1] = { { 7, 0x32000, 0x20000 } };
	write_bpdt(b.data, bp + 0x31000, 2, se, 1);

	struct tb_cse_opts co;
	tb_cse_opts_default(&co);
	spec_for(&s, &co, "OEMP", voem);
	s.nmods = 1;
	s.mods[0] = "oemp_data";
	s.cpd_version = 2;
	s.r2_manifest = true;
	tb_cpd_write(b.data, b.size, bp + 0x1000, 0x8000, &s, &tmp);
	info->locl = bp + 0x1000;            /* the OEMP $CPD */
	spec_for(&s, &co, "RBEP", vfw);
	s.nmods = 1;
	s.mods[0] = "rbe";
	s.cpd_version = 2;
	s.r2_manifest = true;
	tb_cpd_write(b.data, b.size, bp + 0x9000, 0x8000, &s, &tmp);
	info->bp2 = bp + 0x9000;             /* the RBEP $CPD */
	if (o->with_ftpr) {
		spec_for(&s, &co, "FTPR", vfw);
		s.cpd_version = 2;
		s.r2_manifest = true;
		s.init_entry_size = 0x1C;
		info->ftpr = bp + 0x11000;
		tb_cpd_write(b.data, b.size, info->ftpr, 0x20000, &s, &info->ftpr_out);
	}
	spec_for(&s, &co, "NFTP", vfw);
	s.cpd_version = 2;
	s.r2_manifest = true;
	info->nftp = bp + 0x32000;
	tb_cpd_write(b.data, b.size, info->nftp, 0x20000, &s, &info->nftp_out);
	return b;
}
