/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mkimage: write a synthetic sample image made with the test builder
 * library (real Intel firmware cannot be shipped). Used by README's first
 * command and by the CLI tests.
 *
 *   mkimage --kind KIND [--odd-name] OUT
 *   mkimage --list
 *
 * --odd-name (gen 1/gen 2 kinds) renames the first code module to the
 * bytes 01 FF 22 'o' 'd' 'd' (to test how names from images are escaped)
 * and signs the manifest again.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amtless/image.h>

#include "build_cse.h"
#include "build_ifd.h"
#include "build_me.h"
#include "build_sign.h"
#include "builder.h"

static const uint8_t odd_name[] = { 0x01, 0xFF, '"', 'o', 'd', 'd' };

struct made {
	struct tb_buf buf;
	const char *what;
};

/* ---- ME regions ------------------------------------------------------ */

static void rename_gen2_module(struct tb_buf *r, const struct tb_me_layout *l)
{
	/* $MME header: name[16] at +0x04 (MEA MME_Header_New; doc/formats.md#mme) */
	uint8_t *name = r->data + l->mme_off + 0x04;
	memset(name, 0, 16);
	memcpy(name, odd_name, sizeof(odd_name));
	tb_sign_manifest(r->data, r->size, l->man_off, AMT_MAN_R0);
}

static struct tb_buf region_gen2(bool odd)
{
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen2(&o);
	struct tb_buf r = tb_build_gen2(&o, &l);
	tb_sign_manifest(r.data, r.size, l.man_off, AMT_MAN_R0);
	if (l.nftp_man_off)
		tb_sign_manifest(r.data, r.size, l.nftp_man_off, AMT_MAN_R0);
	if (odd)
		rename_gen2_module(&r, &l);
	return r;
}

static struct tb_buf region_gen1(bool odd)
{
	struct tb_me_opts o;
	struct tb_me_layout l;
	tb_me_opts_gen1(&o);
	struct tb_buf r = tb_build_gen1(&o, &l);
	if (odd) {
		/* gen 1 $MME headers (0x50 bytes): name[16] at +0x1C (MEA MME_Header_Old);
		 * the module's $MOD header repeats it at +0x30 */
		uint8_t *name = r.data + l.mme_off + 0x1C;
		memset(name, 0, 16);
		memcpy(name, odd_name, sizeof(odd_name));
		name = r.data + l.mod_off[0] + 0x30;
		memset(name, 0, 16);
		memcpy(name, odd_name, sizeof(odd_name));
	}
	tb_sign_manifest(r.data, r.size, l.man_off, AMT_MAN_GEN1);
	return r;
}

/* ---- full images ------------------------------------------------------ */

static size_t round_up(size_t v, size_t a)
{
	return (v + a - 1) / a * a;
}

/* A flash image: descriptor at 0, the ME region at 0x1000, BIOS after it
 * up to the end of an 8 MiB (or larger) flash, filled with 0xFF. */
static struct tb_buf full_image(struct tb_ifd_opts *o, const struct tb_buf *me)
{
	size_t me_base = 0x1000;
	size_t me_size = round_up(me->size, 0x1000);
	size_t bios_base = round_up(me_base + me_size, 0x10000);
	size_t total = 8u << 20;
	while (total < bios_base + 0x100000)
		total <<= 1;
	o->flreg[AMT_RGN_ME] = tb_ifd_flreg((uint32_t)me_base, (uint32_t)(me_base + me_size - 1));
	o->flreg[AMT_RGN_BIOS] = tb_ifd_flreg((uint32_t)bios_base, (uint32_t)(total - 1));
	struct tb_buf img = tb_ifd_image(o, total, 0);
	memcpy(img.data + me_base, me->data, me->size);
	/* something BIOS-like so the region is not blank */
	memcpy(img.data + total - 16, "_FIT_ amtless  ", 16);
	return img;
}

static struct made make_full_gen2(bool odd)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 1);
	struct tb_buf me = region_gen2(odd);
	struct made m = { full_image(&o, &me), "IFDv1 descriptor + ME 8-like region (gen 2)" };
	tb_free(&me);
	return m;
}

static struct made make_full_gen1(bool odd)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults_ich(&o);
	struct tb_buf me = region_gen1(odd);
	struct made m = { full_image(&o, &me), "ICH descriptor + ME 4-like region (gen 1)" };
	tb_free(&me);
	return m;
}

static struct made make_me_gen2(bool odd)
{
	return (struct made){ region_gen2(odd), "bare ME 8-like region (gen 2)" };
}

static struct made make_me_gen1(bool odd)
{
	return (struct made){ region_gen1(odd), "bare ME 4-like region (gen 1)" };
}

static struct made make_descriptor(bool odd)
{
	struct tb_ifd_opts o;
	(void)odd;
	tb_ifd_defaults(&o, 2);
	/* CSSL 0x20 with a MIP table base: a geometry no chipset guess of
	 * flashrom/flashprog lists, and no strap pattern: an unknown platform */
	o.iccriba = 0x20;
	o.flumap1 = 0xC0FF02DF;
	return (struct made){ tb_ifd_build(&o), "IFDv2 flash descriptor alone (4 KiB), "
			      "unknown platform" };
}

static struct tb_buf region_cse(bool amt)
{
	struct tb_cse_opts o;
	struct tb_cse_info info;
	tb_cse_opts_default(&o);
	o.amt = amt;
	o.with_nftp = true;
	return tb_cse_region(&o, &info);
}

static struct tb_buf region_ifwi(enum tb_ifwi_kind kind, bool amt)
{
	struct tb_cse_opts o;
	struct tb_cse_info info;
	tb_cse_opts_default(&o);
	o.amt = amt;
	o.with_nftp = true;
	return tb_ifwi_region(kind, &o, &info);
}

static struct made full_cse(struct tb_buf me, const char *platform, const char *what)
{
	struct tb_ifd_opts o;
	tb_ifd_defaults(&o, 2);
	if (platform && !tb_ifd_platform_straps(&o, platform)) {
		fprintf(stderr, "mkimage: no geometry/strap pattern for %s\n", platform);
		exit(1);
	}
	/* tb_ifd_platform_straps sets the geometry (FLMAP2, FLUMAP1) of real
	 * descriptors of the platform too, so flashrom --ifd recognises it */
	struct made m = { full_image(&o, &me), what };
	tb_free(&me);
	return m;
}

static struct made make_full_me11(bool odd)
{
	(void)odd;
	return full_cse(region_cse(false), NULL,
			"IFDv2 descriptor + ME 11-like region ($FPT + $CPD, consumer)");
}

static struct made make_full_me11_amt(bool odd)
{
	(void)odd;
	return full_cse(region_cse(true), NULL,
			"IFDv2 descriptor + ME 11-like region ($FPT + $CPD, corporate with AMT)");
}

static struct made make_me11(bool odd)
{
	(void)odd;
	return (struct made){ region_cse(false), "bare ME 11-like region ($FPT + $CPD)" };
}

static struct made make_ifwi16(bool odd)
{
	(void)odd;
	return (struct made){ region_ifwi(TB_IFWI_16, false),
			      "bare CSME 14-like IFWI region (layout 1.6 + BPDT)" };
}

static struct made make_ifwi17(bool odd)
{
	(void)odd;
	return (struct made){ region_ifwi(TB_IFWI_17, false),
			      "bare CSME 16-like IFWI region (layout 1.7 + BPDT)" };
}

static struct made make_bpdt(bool odd)
{
	(void)odd;
	return (struct made){ region_ifwi(TB_IFWI_BPDT, false),
			      "TXE 4-like IFWI 2.0 image (BPDT at 0)" };
}

static struct made make_full_ifwi16(bool odd)
{
	(void)odd;
	return full_cse(region_ifwi(TB_IFWI_16, false), "cnp-h",
			"IFDv2 descriptor (CNP-H straps) + CSME 14-like IFWI region");
}

static struct made make_full_ifwi17(bool odd)
{
	(void)odd;
	return full_cse(region_ifwi(TB_IFWI_17, false), "adp-p",
			"IFDv2 descriptor (ADP-P straps) + CSME 16-like IFWI region");
}

/* An ME update-like file: a $MN2 manifest header at 0, no descriptor and
 * no $FPT at 0x0/0x10 (like Intel's *_UPD.bin files). */
static struct made make_update(bool odd)
{
	(void)odd;
	struct tb_buf b = tb_alloc(0x4000, 0x00);
	uint8_t *p = b.data;
	p[0x00] = 4;                         /* header type */
	p[0x04] = 0xA1;                      /* header length 0xA1 dwords */
	p[0x08] = 0x00; p[0x09] = 0x00; p[0x0A] = 0x01; /* header version 0x10000 */
	p[0x10] = 0x86; p[0x11] = 0x80;      /* vendor 0x8086 */
	memcpy(p + 0x1C, "$MN2", 4);
	p[0x18] = 0x00; p[0x19] = 0x10;      /* size 0x1000 dwords */
	return (struct made){ b, "ME update-like file ($MN2 manifest at 0, no $FPT)" };
}

/* Not an image: text. */
static struct made make_unknown(bool odd)
{
	(void)odd;
	static const char txt[] = "This is not a firmware image.\n";
	struct tb_buf b = tb_alloc(0x1000, ' ');
	memcpy(b.data, txt, sizeof(txt) - 1);
	return (struct made){ b, "not an image (text)" };
}

static const struct {
	const char *kind;
	struct made (*make)(bool odd);
} kinds[] = {
	{ "full-me11", make_full_me11 },
	{ "full-me11-amt", make_full_me11_amt },
	{ "full-me8", make_full_gen2 },
	{ "full-me4", make_full_gen1 },
	{ "me11", make_me11 },
	{ "me-gen2", make_me_gen2 },
	{ "me-gen1", make_me_gen1 },
	{ "ifwi16", make_ifwi16 },
	{ "ifwi17", make_ifwi17 },
	{ "bpdt", make_bpdt },
	{ "full-ifwi16", make_full_ifwi16 },
	{ "full-ifwi17", make_full_ifwi17 },
	{ "descriptor", make_descriptor },
	{ "update", make_update },
	{ "unknown", make_unknown },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: mkimage --kind KIND [--odd-name] OUT\n"
		   "       mkimage --list\n"
		   "Writes a synthetic image (made by the amtless test builder) to OUT.\n"
		   "--odd-name (gen 1/2 kinds) names the first code module 01 ff 22 'odd'.\n"
		   "Kinds:");
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		fprintf(f, " %s", kinds[i].kind);
	fputc('\n', f);
}

int main(int argc, char **argv)
{
	const char *kind = NULL, *out = NULL;
	bool odd = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--kind") && i + 1 < argc) {
			kind = argv[++i];
		} else if (!strncmp(argv[i], "--kind=", 7)) {
			kind = argv[i] + 7;
		} else if (!strcmp(argv[i], "--odd-name")) {
			odd = true;
		} else if (!strcmp(argv[i], "--list")) {
			for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
				puts(kinds[k].kind);
			return 0;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (argv[i][0] == '-' || out) {
			usage(stderr);
			return 2;
		} else {
			out = argv[i];
		}
	}
	if (!kind || !out) {
		usage(stderr);
		return 2;
	}
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if (strcmp(kind, kinds[k].kind))
			continue;
		struct made m = kinds[k].make(odd);
		FILE *f = fopen(out, "wb");
		if (!f) {
			fprintf(stderr, "mkimage: %s: %s\n", out, strerror(errno));
			tb_free(&m.buf);
			return 1;
		}
		size_t w = fwrite(m.buf.data, 1, m.buf.size, f);
		int bad = w != m.buf.size || ferror(f);
		if (fclose(f) != 0 || bad) {
			fprintf(stderr, "mkimage: %s: write failed\n", out);
			remove(out);
			tb_free(&m.buf);
			return 1;
		}
		printf("mkimage: wrote %s: %s, %zu bytes (synthetic, not real firmware)\n", out,
		       m.what, m.buf.size);
		tb_free(&m.buf);
		return 0;
	}
	fprintf(stderr, "mkimage: unknown kind '%s'\n", kind);
	usage(stderr);
	return 2;
}
