/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared printing helpers (escaping, sizes, colours, enum keys) and the
 * human-readable rendering of the image model used by `amtless inspect`.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <amtless/verify.h>

#include "out.h"
#include "remains.h"

/* ---- escaping -------------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at p encoding a code point
 * >= U+00A0 (printable beyond ASCII), or 0. */
size_t out_utf8_seq(const unsigned char *p, size_t avail)
{
	unsigned char c = p[0];
	size_t n;
	unsigned char lo = 0x80, hi = 0xBF;

	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		if (c == 0xC2)
			lo = 0xA0; /* U+0080-U+009F are C1 controls */
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		if (c == 0xE0)
			lo = 0xA0;  /* overlong */
		else if (c == 0xED)
			hi = 0x9F;  /* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	return n;
}

char *out_esc(const char *s, size_t n, enum out_mode mode, char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, i = 0;

	if (len == 0)
		return buf;
	if (!s) {
		buf[0] = '\0';
		return buf;
	}
	while (i < n && p[i]) {
		char tmp[8];
		size_t tl;
		size_t seq = mode == OUT_MSG ? out_utf8_seq(p + i, strnlen(s + i, n - i)) : 0;
		if (seq) {
			memcpy(tmp, p + i, seq);
			tl = seq;
		} else if (p[i] == '\\') {
			tmp[0] = tmp[1] = '\\';
			tl = 2;
			seq = 1;
		} else if (p[i] >= 0x20 && p[i] < 0x7F) {
			tmp[0] = (char)p[i];
			tl = 1;
			seq = 1;
		} else {
			snprintf(tmp, sizeof(tmp), "\\x%02x", p[i]);
			tl = 4;
			seq = 1;
		}
		if (o + tl + 1 > len)
			break;
		memcpy(buf + o, tmp, tl);
		o += tl;
		i += seq;
	}
	buf[o] = '\0';
	return buf;
}

void out_puts_esc(FILE *f, const char *s, enum out_mode mode)
{
	if (!s)
		return;
	size_t n = strlen(s);
	char small[300];
	char *buf = small;
	size_t need = 4 * n + 1;
	if (need > sizeof(small)) {
		/* print in pieces that never split a character */
		size_t i = 0;
		while (i < n) {
			size_t chunk = n - i > 60 ? 60 : n - i;
			/* extend over a UTF-8 sequence cut at the chunk end */
			while (i + chunk < n && ((unsigned char)s[i + chunk] & 0xC0) == 0x80 &&
			       chunk < 64)
				chunk++;
			fputs(out_esc(s + i, chunk, mode, small, sizeof(small)), f);
			i += chunk;
		}
		return;
	}
	fputs(out_esc(s, n, mode, buf, need), f);
}

/* ---- small formatters ------------------------------------------------ */

char *out_size(uint64_t b, char *buf, size_t len)
{
	if (b < 1024)
		snprintf(buf, len, "%" PRIu64 " B", b);
	else if (b < 1024 * 1024)
		snprintf(buf, len, b % 1024 ? "%.1f KiB" : "%.0f KiB", (double)b / 1024);
	else
		snprintf(buf, len, b % (1024 * 1024) ? "%.2f MiB" : "%.0f MiB",
			 (double)b / (1024 * 1024));
	return buf;
}

char *out_hex(const uint8_t *p, size_t n, char *buf)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		buf[2 * i] = hx[p[i] >> 4];
		buf[2 * i + 1] = hx[p[i] & 15];
	}
	buf[2 * n] = '\0';
	return buf;
}

char *out_hash_le(const uint8_t *p, size_t n, char *buf)
{
	static const char hx[] = "0123456789abcdef";
	buf[0] = '0';
	buf[1] = 'x';
	for (size_t i = 0; i < n; i++) {
		buf[2 + 2 * i] = hx[p[n - 1 - i] >> 4];
		buf[3 + 2 * i] = hx[p[n - 1 - i] & 15];
	}
	buf[2 + 2 * n] = '\0';
	return buf;
}

void out_style_init(struct out_style *s, bool color)
{
	s->color = color;
	s->bold = color ? "\033[1m" : "";
	s->dim = color ? "\033[2m" : "";
	s->red = color ? "\033[31m" : "";
	s->green = color ? "\033[32m" : "";
	s->yellow = color ? "\033[33m" : "";
	s->cyan = color ? "\033[36m" : "";
	s->reset = color ? "\033[0m" : "";
}

const char *out_code_scope_key(amt_code_scope s)
{
	return s == AMT_CODE_SCOPE_FIRMWARE ? "firmware" : "boot-partition";
}

const char *out_code_scope_text(amt_code_scope s)
{
	/* the boot partition is FTPR on every layout with one (gen 1 CODE is
	 * wiped whole: nothing is kept there) */
	return s == AMT_CODE_SCOPE_FIRMWARE ? "" : " FTPR code";
}

const char *out_kind_key(amt_input_kind k)
{
	switch (k) {
	case AMT_KIND_FULL: return "full";
	case AMT_KIND_DESCRIPTOR_ONLY: return "descriptor-only";
	case AMT_KIND_ME_REGION: return "me-region";
	case AMT_KIND_IFWI_REGION: return "ifwi-region";
	case AMT_KIND_BPDT: return "bpdt";
	case AMT_KIND_UPDATE: return "update";
	case AMT_KIND_ERASED: return "erased";
	case AMT_KIND_UNKNOWN: break;
	}
	return "unknown";
}

const char *out_layout_key(amt_layout l)
{
	switch (l) {
	case AMT_LAYOUT_GEN1: return "gen1";
	case AMT_LAYOUT_GEN2: return "gen2";
	case AMT_LAYOUT_CSE_FPT: return "cse-fpt";
	case AMT_LAYOUT_IFWI16: return "ifwi16";
	case AMT_LAYOUT_IFWI17: return "ifwi17";
	case AMT_LAYOUT_BPDT: return "bpdt";
	case AMT_LAYOUT_NONE: break;
	}
	return "none";
}

const char *out_manifest_kind_str(amt_manifest_kind k)
{
	switch (k) {
	case AMT_MAN_GEN1: return "gen1";
	case AMT_MAN_R0: return "r0";
	case AMT_MAN_R1: return "r1";
	case AMT_MAN_R2: return "r2";
	}
	return "unknown";
}

const char *out_container_str(amt_part_container c)
{
	switch (c) {
	case AMT_CONT_FPT: return "fpt";
	case AMT_CONT_BPDT: return "bpdt";
	case AMT_CONT_SBPDT: return "sbpdt";
	case AMT_CONT_LAYOUT: return "layout";
	}
	return "unknown";
}

const char *out_module_kind_str(amt_module_kind k)
{
	switch (k) {
	case AMT_MOD_MODULE: return "module";
	case AMT_MOD_MANIFEST: return "manifest";
	case AMT_MOD_METADATA: return "metadata";
	case AMT_MOD_OTHER: return "other";
	}
	return "unknown";
}

const char *out_check_result(amt_tristate ok)
{
	return ok == AMT_YES ? "ok" : ok == AMT_NO ? "mismatch" : "unknown";
}

/* ---- text rendering -------------------------------------------------- */

#define BAR_WIDTH 64
#define POS_WIDTH 24

struct txt {
	FILE *f;
	struct out_style s;
	const struct amt_image *img;
	const struct out_opts *o;
};

/* Escaped name into a static-size buffer (names are at most 16 bytes). */
#define ESC(s, buf) out_esc((s), sizeof(s), OUT_NAME, (buf), sizeof(buf))

static void heading(struct txt *t, const char *title)
{
	fprintf(t->f, "\n%s%s%s\n", t->s.bold, title, t->s.reset);
}

static void field(struct txt *t, const char *label)
{
	fprintf(t->f, "  %-16s", label);
}

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* A position bar: '#' where [off, off+len) lies within [base, base+total). */
static void pos_bar(char *out, int width, uint64_t base, uint64_t total, uint64_t off,
		    uint64_t len)
{
	int marked = 0;
	for (int i = 0; i < width; i++) {
		uint64_t s = base + (uint64_t)((double)total * i / width);
		uint64_t e = base + (uint64_t)((double)total * (i + 1) / width);
		bool hit = len > 0 && off < e && off + len > s;
		out[i] = hit ? '#' : '.';
		marked += hit;
	}
	if (!marked && len > 0 && off >= base && off - base < total) {
		int i = (int)((double)(off - base) * width / (double)total);
		out[i < width ? i : width - 1] = '#';
	}
	out[width] = '\0';
}

static char region_letter(unsigned id)
{
	static const char letters[16] = "DBMGPXbzExI01yzT";
	return id < 16 ? letters[id] : '?';
}

static const char *tri_colour(struct txt *t, amt_tristate v, bool yes_is_good)
{
	if (v == AMT_UNKNOWN)
		return t->s.yellow;
	return (v == AMT_YES) == yes_is_good ? t->s.green : t->s.red;
}

static void print_header(struct txt *t, const char *file)
{
	const struct amt_image *img = t->img;
	char sz[32];
	fprintf(t->f, "%samtless inspect%s ", t->s.bold, t->s.reset);
	out_puts_esc(t->f, file, OUT_MSG);
	fputc('\n', t->f);
	field(t, "Size");
	fprintf(t->f, "%zu bytes (%s)\n", img->size, out_size(img->size, sz, sizeof(sz)));
	field(t, "Input");
	const char *ks = amt_input_kind_str(img->kind);
	if (strncmp(img->kind_detail, ks, strlen(ks)) != 0) {
		fputs(ks, t->f);
		if (img->kind_detail[0])
			fputs(": ", t->f);
	}
	out_puts_esc(t->f, img->kind_detail, OUT_MSG);
	fputc('\n', t->f);
}

/* The flash the regions describe: the file from the descriptor on, or
 * the flash size / the highest region end when the file is smaller. */
static uint64_t region_span(const struct amt_image *img)
{
	const struct amt_ifd *ifd = &img->ifd;
	uint64_t total = img->size - ifd->offset;
	if (ifd->flash_size > total)
		total = ifd->flash_size;
	for (unsigned r = 0; r < ifd->nregions && r < AMT_IFD_MAX_REGIONS; r++)
		if (ifd->region[r].used && ifd->region[r].limit + 1 > total)
			total = ifd->region[r].limit + 1;
	return total;
}

struct seg {
	char c;
	uint64_t size;
	int w;
	bool region;
};

static void region_bar(const struct amt_ifd *ifd, uint64_t total, char *map)
{
	struct seg seg[2 * AMT_IFD_MAX_REGIONS + 2];
	unsigned ids[AMT_IFD_MAX_REGIONS], nid = 0, nseg = 0;
	uint64_t pos = 0;

	for (unsigned r = 0; r < ifd->nregions && r < AMT_IFD_MAX_REGIONS; r++)
		if (ifd->region[r].used)
			ids[nid++] = r;
	for (unsigned i = 1; i < nid; i++) /* insertion sort by base */
		for (unsigned j = i; j > 0 && ifd->region[ids[j - 1]].base > ifd->region[ids[j]].base; j--) {
			unsigned x = ids[j];
			ids[j] = ids[j - 1];
			ids[j - 1] = x;
		}
	for (unsigned i = 0; i < nid; i++) {
		const struct amt_ifd_region *rg = &ifd->region[ids[i]];
		if (rg->base > pos)
			seg[nseg++] = (struct seg){ '.', rg->base - pos, 0, false };
		uint64_t start = rg->base > pos ? rg->base : pos;
		uint64_t end = rg->limit + 1;
		seg[nseg++] = (struct seg){ region_letter(ids[i]), end > start ? end - start : 0, 0, true };
		if (end > pos)
			pos = end;
	}
	if (pos < total)
		seg[nseg++] = (struct seg){ '.', total - pos, 0, false };

	int sum = 0;
	for (unsigned i = 0; i < nseg; i++) {
		seg[i].w = total ? (int)((double)seg[i].size * BAR_WIDTH / (double)total + 0.5) : 0;
		if (seg[i].region && seg[i].w < 1)
			seg[i].w = 1;
		sum += seg[i].w;
	}
	while (sum != BAR_WIDTH && nseg) {
		/* take from / give to the widest segment that can spare one */
		int best = -1;
		for (unsigned i = 0; i < nseg; i++) {
			int min = seg[i].region ? 1 : 0;
			if (sum > BAR_WIDTH && seg[i].w <= min)
				continue;
			if (best < 0 || seg[i].w > seg[best].w)
				best = (int)i;
		}
		if (best < 0)
			break;
		seg[best].w += sum > BAR_WIDTH ? -1 : 1;
		sum += sum > BAR_WIDTH ? -1 : 1;
	}
	int o = 0;
	for (unsigned i = 0; i < nseg; i++)
		for (int k = 0; k < seg[i].w && o < BAR_WIDTH; k++)
			map[o++] = seg[i].c;
	while (o < BAR_WIDTH)
		map[o++] = '.';
	map[BAR_WIDTH] = '\0';
}

/* "BIOS,ME" for the used regions in mask, "all" when it covers them all. */
static void region_list(const struct amt_ifd *ifd, uint32_t mask, char *buf, size_t len)
{
	size_t n = 0;
	bool all = true;
	buf[0] = '\0';
	for (unsigned r = 0; r < ifd->nregions && r < AMT_IFD_MAX_REGIONS; r++) {
		if (!ifd->region[r].used)
			continue;
		if (!(mask >> r & 1)) {
			all = false;
			continue;
		}
		if (n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "," : "",
					      amt_region_name(r));
	}
	if (!n)
		snprintf(buf, len, "none");
	else if (all)
		snprintf(buf, len, "all");
}

static void print_regions(struct txt *t)
{
	const struct amt_image *img = t->img;
	const struct amt_ifd *ifd = &img->ifd;
	char sz[32], bar[BAR_WIDTH + 1];
	uint64_t total = region_span(img);

	heading(t, "Flash descriptor");
	field(t, "Descriptor");
	fprintf(t->f, "IFDv%d at 0x%" PRIx64 " (signature at 0x%" PRIx64 ")%s\n", ifd->version,
		ifd->offset, ifd->sig_offset, ifd->ich_layout ? ", ICH8-10 layout" : "");
	field(t, "Flash size");
	if (ifd->flash_size)
		fprintf(t->f, "%s (from the component section)\n",
			out_size(ifd->flash_size, sz, sizeof(sz)));
	else
		fprintf(t->f, "unknown (no plan: neutralize refuses this image)\n");
	field(t, "Signed (FDV)");
	if (ifd->fdv.present)
		fprintf(t->f, "%syes%s: manifest at 0x%" PRIx64 ", %u excluded ranges\n",
			t->s.yellow, t->s.reset, ifd->fdv.manifest_offset, ifd->fdv.nexcl);
	else
		fprintf(t->f, "no\n");
	field(t, "Straps");
	fprintf(t->f, "%u PCH/ICH straps, %u MCH straps\n", ifd->npchstrp, ifd->nmchstrp);

	/* One bar over the flash: regions in address order, each as wide as
	 * its share (at least one character, so even a small ME shows), gaps
	 * as '.'. */
	char map[BAR_WIDTH + 1];
	region_bar(ifd, total, map);

	heading(t, "Region map");
	fprintf(t->f, "  %s, one character ~ %s (every region gets at least one)\n  |", out_size(total, sz, sizeof(sz)),
		out_size((total + BAR_WIDTH - 1) / BAR_WIDTH, bar, sizeof(bar)));
	for (int i = 0; i < BAR_WIDTH; i++) {
		bool me = map[i] == 'M';
		fprintf(t->f, "%s%c%s", me ? t->s.red : "", map[i], me ? t->s.reset : "");
	}
	fprintf(t->f, "|\n  ");
	for (unsigned r = 0; r < ifd->nregions && r < AMT_IFD_MAX_REGIONS; r++)
		if (ifd->region[r].used)
			fprintf(t->f, "%c %s  ", region_letter(r), amt_region_name(r));
	fprintf(t->f, ". unused\n\n");

	fprintf(t->f, "  %s%-11s %-10s %-10s %10s %6s  %-7s  %-*s%s\n", t->s.dim, "Region", "Start",
		"End", "Size", "Share", "In file", POS_WIDTH, "Where", t->s.reset);
	for (unsigned r = 0; r < ifd->nregions && r < AMT_IFD_MAX_REGIONS; r++) {
		const struct amt_ifd_region *rg = &ifd->region[r];
		if (!rg->used) {
			if (r <= AMT_RGN_PDR)
				fprintf(t->f, "  %-11s %s(unused, FLREG%u=0x%08x)%s\n",
					amt_region_name(r), t->s.dim, r, rg->raw, t->s.reset);
			continue;
		}
		uint64_t size = rg->limit - rg->base + 1;
		pos_bar(bar, POS_WIDTH, 0, total, rg->base, size);
		bool me = r == AMT_RGN_ME;
		fprintf(t->f, "  %s%-11s%s 0x%08" PRIx64 " 0x%08" PRIx64 " %10s %5.1f%%  %-7s  %s\n",
			me ? t->s.red : "", amt_region_name(r), me ? t->s.reset : "", rg->base,
			rg->limit, out_size(size, sz, sizeof(sz)), pct(size, total),
			rg->in_file ? "yes" : "no", bar);
	}

	if (ifd->nmasters) {
		fprintf(t->f, "\n  %s%-8s %-10s %-30s %s%s\n", t->s.dim, "Master", "Raw", "Reads",
			"Writes (of the used regions)", t->s.reset);
		for (unsigned m = 0; m < ifd->nmasters && m < AMT_IFD_MAX_MASTERS; m++) {
			char rd[128], wr[128], name[16];
			region_list(ifd, ifd->master[m].read, rd, sizeof(rd));
			region_list(ifd, ifd->master[m].write, wr, sizeof(wr));
			snprintf(name, sizeof(name), "FLMSTR%u", m + 1);
			fprintf(t->f, "  %-8s 0x%08x %-30s %s\n", name, ifd->master[m].raw, rd, wr);
		}
	}
}

static void print_key(struct txt *t, const struct amt_key_info *k)
{
	char hx[65];
	if (!k || !k->present) {
		fprintf(t->f, "%sunknown%s (no key could be read)\n", t->s.yellow, t->s.reset);
		return;
	}
	if (k->known) {
		fprintf(t->f, "%s%s%s", t->s.green, k->name ? k->name : "known key", t->s.reset);
		if (k->source) {
			fputs(" (source: ", t->f);
			out_puts_esc(t->f, k->source, OUT_MSG);
			fputc(')', t->f);
		}
		fputc('\n', t->f);
	} else {
		fprintf(t->f, "%sunknown key%s, RSA-%u e=%u\n", t->s.yellow, t->s.reset,
			k->modulus_bits, k->exponent);
	}
	fprintf(t->f, "  %-16s  modulus SHA-256 %s\n", "", out_hex(k->modulus_sha256, 32, hx));
	fprintf(t->f, "  %-16s  me_cleaner MD5  %s\n", "", out_hex(k->me_cleaner_md5, 16, hx));
}

/* What the user can do, from the typed outcome (the library's sentences
 * name no option). */
static const char *platform_hint(const struct amt_platform_info *pi, bool cli_named)
{
	switch (pi->status) {
	case AMT_PST_UNKNOWN:
	case AMT_PST_AMBIGUOUS:
		return "if you know the platform, name it with --platform KEY (see --help)";
	case AMT_PST_DOUBTFUL:
		return pi->named ? "the location is doubtful: written only because --platform names it"
				 : "doubtful: neutralize writes it only when --platform KEY names "
				   "the platform";
	case AMT_PST_CONTRADICTS_FW:
		return cli_named ? "the platform given with --platform cannot run this firmware"
				 : "the descriptor and the firmware belong to different platforms";
	case AMT_PST_CONTRADICTS_DESCRIPTOR:
		return "the platform given with --platform is not the one the descriptor shows";
	case AMT_PST_NO_PUBLIC_SOURCE:
		return "nothing is written to a guessed strap";
	case AMT_PST_TOO_FEW_STRAPS:
		return "the descriptor is shorter than the platform's strap table";
	case AMT_PST_EXPERT_OVERRIDE:
		return "UNVERIFIED: the location comes from an expert override";
	case AMT_PST_RECOGNISED:
		break;
	}
	return NULL;
}

static void print_platform(struct txt *t, const struct amt_ifd *ifd)
{
	const struct amt_platform_info *pi = &ifd->platform;
	const struct amt_platform_desc *row = amt_platform_describe(pi->id);
	field(t, "Platform");
	if (pi->id != AMT_PLAT_UNKNOWN && pi->name)
		fprintf(t->f, "%s", pi->name);
	else
		fprintf(t->f, "%sunknown%s", t->s.yellow, t->s.reset);
	if (row)
		fprintf(t->f, " [%s]", row->key);
	if (t->o->platform)
		fprintf(t->f, " (--platform %s)", t->o->platform);
	fputc('\n', t->f);
	fprintf(t->f, "  %-16s%s%s%s", "", pi->status == AMT_PST_RECOGNISED ? t->s.green : t->s.yellow,
		amt_platform_status_str(pi->status), t->s.reset);
	if (pi->status == AMT_PST_RECOGNISED || pi->status == AMT_PST_DOUBTFUL)
		fprintf(t->f, ", confidence %s", amt_confidence_str(pi->confidence));
	if (pi->evidence) {
		static const struct { unsigned bit; const char *name; } ev[] = {
			{ AMT_PEV_GEOMETRY, "descriptor geometry" }, { AMT_PEV_STRAPS, "straps" },
			{ AMT_PEV_FIRMWARE, "firmware" }, { AMT_PEV_NAMED, "named" },
		};
		const char *sep = "; by ";
		for (size_t i = 0; i < sizeof(ev) / sizeof(ev[0]); i++) {
			if (!(pi->evidence & ev[i].bit))
				continue;
			fprintf(t->f, "%s%s", sep, ev[i].name);
			sep = ", ";
		}
	}
	fputc('\n', t->f);
	if (pi->why[0]) {
		fprintf(t->f, "  %-16s", "");
		out_puts_esc(t->f, pi->why, OUT_MSG);
		fputc('\n', t->f);
	}
	const char *hint = platform_hint(pi, t->o->platform != NULL);
	if (hint)
		fprintf(t->f, "  %-16s%s%s%s\n", "", t->s.yellow, hint, t->s.reset);
	if (pi->source) {
		fprintf(t->f, "  %-16ssource: ", "");
		out_puts_esc(t->f, pi->source, OUT_MSG);
		fputc('\n', t->f);
	}
}

static void print_consequences(struct txt *t, const struct amt_ifd *ifd)
{
	uint32_t fx = ifd->platform.hap_consequences;
	if (!fx)
		return;
	field(t, "With HAP set");
	bool first = true;
	for (unsigned b = 1; b <= AMT_HAPFX__ALL; b <<= 1) {
		if (!(fx & b))
			continue;
		if (!first)
			fprintf(t->f, "  %-16s", "");
		first = false;
		fputs("- ", t->f);
		out_puts_esc(t->f, amt_hap_consequence_str(b), OUT_MSG);
		fputc('\n', t->f);
		fprintf(t->f, "  %-16s  source: ", "");
		out_puts_esc(t->f, amt_hap_consequence_source(b), OUT_MSG);
		fputc('\n', t->f);
	}
}

static void print_disable(struct txt *t, const struct amt_ifd *ifd)
{
	const struct amt_disable_bit *d = &ifd->disable;
	print_platform(t, ifd);
	field(t, "Disable bit");
	if (!d->located) {
		fprintf(t->f, "%scannot be located%s", t->s.yellow, t->s.reset);
		if (d->kind != AMT_DIS_NONE)
			fprintf(t->f, " (%s)", amt_disable_kind_str(d->kind));
		fputc('\n', t->f);
	} else {
		bool all = d->state == AMT_YES;
		fprintf(t->f, "%s: %s%s%s\n", amt_disable_kind_str(d->kind),
			all ? t->s.green : t->s.yellow,
			d->state == AMT_YES ? "set (ME disabled)" :
			d->state == AMT_NO ? "clear (ME enabled)" : "unknown", t->s.reset);
		for (unsigned i = 0; i < d->nloc && i < 2; i++) {
			const struct amt_strap_bit *b = &d->loc[i];
			char strap[sizeof(b->strap) * 4 + 1];
			fprintf(t->f, "  %-16s  %s bit %u = file byte 0x%" PRIx64 " bit %u: %s\n", "",
				out_esc(b->strap, sizeof(b->strap), OUT_NAME, strap, sizeof(strap)),
				b->bit, b->file_offset, b->byte_bit, b->set ? "set" : "clear");
		}
	}
	if (d->note[0]) {
		fprintf(t->f, "  %-16s  ", "");
		out_puts_esc(t->f, d->note, OUT_MSG);
		fputc('\n', t->f);
	}
	if (d->source) {
		fprintf(t->f, "  %-16s  source: ", "");
		out_puts_esc(t->f, d->source, OUT_MSG);
		fputc('\n', t->f);
	}
	print_consequences(t, ifd);
}

static void print_summary(struct txt *t)
{
	const struct amt_image *img = t->img;
	const struct amt_fw *fw = &img->fw;
	char buf[64], sz[32];

	heading(t, "ME summary");
	if (!img->has_fw) {
		field(t, "Firmware");
		if (img->kind == AMT_KIND_DESCRIPTOR_ONLY)
			fprintf(t->f, "not in this file (descriptor only)\n");
		else
			fprintf(t->f, "%snone found%s (see problems)\n", t->s.yellow, t->s.reset);
	} else {
		field(t, "Firmware");
		fprintf(t->f, "%s", amt_family_str(fw->family));
		if (fw->version_known)
			fprintf(t->f, " %u", fw->version.major);
		fprintf(t->f, ", generation %d, layout %s\n", fw->generation,
			amt_layout_str(fw->layout));
		field(t, "Version");
		if (fw->version_known)
			fprintf(t->f, "%s\n", amt_version_fmt(&fw->version, buf, sizeof(buf)));
		else
			fprintf(t->f, "%sunknown%s\n", t->s.yellow, t->s.reset);
		if (fw->release != AMT_REL_UNKNOWN) {
			field(t, "Release");
			fprintf(t->f, "%s%s%s", fw->release == AMT_REL_PRODUCTION ? "" : t->s.yellow,
				amt_release_str(fw->release), t->s.reset);
			const char *sep = " (";
			if (fw->release_why & AMT_RELWHY_ROMB) {
				fprintf(t->f, "%sROMB partition holds a ROM bypass", sep);
				sep = "; ";
			}
			if (fw->release_why & AMT_RELWHY_DEBUG_FLAG) {
				fprintf(t->f, "%smanifest flagged debug-signed", sep);
				sep = "; ";
			}
			if (fw->release_why & AMT_RELWHY_PRE_KEY) {
				fprintf(t->f, "%ssigned with a pre-production key", sep);
				sep = "; ";
			}
			fprintf(t->f, "%s\n", strcmp(sep, " (") ? ")" : "");
		}
		if (fw->fw_type != AMT_FWT_UNKNOWN) {
			static const char *const what[] = {
				[AMT_FWT_STOCK] = "stock region (Intel's, as released)",
				[AMT_FWT_EXTRACTED] = "extracted (built for a board, or read from one)",
				[AMT_FWT_UPDATE] = "update image",
			};
			field(t, "Image");
			fputs(what[fw->fw_type], t->f);
			if (fw->fw_type_rule == AMT_FWTR_FIT_VERSION)
				fprintf(t->f, ", built with FIT %s",
					amt_version_fmt(&fw->fpt.fit_version, buf, sizeof(buf)));
			fputc('\n', t->f);
		}
		if (fw->vcn_known) {
			field(t, "VCN");
			fprintf(t->f, "%u\n", fw->vcn);
		}
		field(t, "ME region");
		fprintf(t->f, "0x%" PRIx64 "-0x%" PRIx64 ", %s (%.1f%% of the file)\n",
			fw->region_offset, fw->region_offset + fw->region_size - (fw->region_size > 0),
			out_size(fw->region_size, sz, sizeof(sz)), pct(fw->region_size, img->size));
		field(t, "Signing key");
		print_key(t, fw->key);
		field(t, "SKU");
		if (fw->sku_known && fw->sku[0])
			out_puts_esc(t->f, fw->sku, OUT_MSG);
		else
			fprintf(t->f, "%sunknown%s", t->s.yellow, t->s.reset);
		if (fw->sku_platform_source == AMT_SKUPLAT_KERNEL)
			fputs(", platform read in the FTPR kernel", t->f);
		if (fw->sku_nbytes) {
			/* the SKU field as the image stores it, byte by byte */
			fputs(" (raw ", t->f);
			for (unsigned i = 0; i < fw->sku_nbytes && i < sizeof(fw->sku_bytes); i++)
				fprintf(t->f, "%s%02X", i && i % 4 == 0 ? " " : "", fw->sku_bytes[i]);
			fprintf(t->f, " at 0x%" PRIx64 ")", fw->sku_offset);
		}
		fputc('\n', t->f);

		field(t, "AMT present");
		fprintf(t->f, "%s%s%s\n", tri_colour(t, fw->amt_present, false),
			amt_tristate_str(fw->amt_present), t->s.reset);
		for (size_t i = 0; i < fw->namt_evidence; i++) {
			fprintf(t->f, "  %-16s  - ", "");
			out_puts_esc(t->f, fw->amt_evidence[i].text, OUT_MSG);
			fputc('\n', t->f);
		}
		if (!fw->namt_evidence)
			fprintf(t->f, "  %-16s  (no evidence recorded)\n", "");
		if (fw->stripped) {
			size_t nm = 0, nh = 0;
			for (size_t i = 0; i < fw->nmodules; i++) {
				const struct amt_module *m = &fw->modules[i];
				nm += m->kind == AMT_MOD_MODULE;
				nh += m->kind == AMT_MOD_MODULE && m->present == AMT_YES;
			}
			field(t, "Stripped");
			fprintf(t->f, "%syes%s - firmware stripped (neutralized): %zu of %zu module%s "
				"%s code\n", t->s.green, t->s.reset, nh, nm, nm == 1 ? "" : "s",
				nh == 1 ? "holds" : "hold");
		}
	}
	if (img->has_ifd)
		print_disable(t, &img->ifd);
	else {
		field(t, "Disable bit");
		fprintf(t->f, "%snot in this file%s: the straps live in the flash descriptor, "
			"which this input does not contain\n", t->s.yellow, t->s.reset);
		if (t->o->platform)
			fprintf(t->f, "  %-16s  (--platform %s has no effect without a descriptor)\n",
				"", t->o->platform);
	}
	if (!img->has_fw)
		return;

	size_t nv = 0, ni = 0, no = 0;
	for (size_t i = 0; i < fw->nmanifests; i++) {
		amt_sig_status s = fw->manifests[i].sig;
		nv += s == AMT_SIG_VALID;
		ni += s == AMT_SIG_INVALID;
		no += s != AMT_SIG_VALID && s != AMT_SIG_INVALID;
	}
	field(t, "Signatures");
	fprintf(t->f, "%zu manifest%s: %s%zu valid%s, %s%zu invalid%s, %zu not verified%s\n",
		fw->nmanifests, fw->nmanifests == 1 ? "" : "s", nv ? t->s.green : "", nv, t->s.reset, ni ? t->s.red : "", ni,
		t->s.reset, no, t->o->verify ? "" : " (--no-verify)");
	size_t cok = 0, cbad = 0, cunk = 0;
	for (size_t i = 0; i < fw->nchecks; i++) {
		cok += fw->checks[i].ok == AMT_YES;
		cbad += fw->checks[i].ok == AMT_NO;
		cunk += fw->checks[i].ok == AMT_UNKNOWN;
	}
	field(t, "Checksums");
	fprintf(t->f, "%zu: %s%zu ok%s, %s%zu mismatch%s, %zu not checkable\n", fw->nchecks,
		cok ? t->s.green : "", cok, t->s.reset, cbad ? t->s.red : "", cbad, t->s.reset,
		cunk);
}

static void print_structures(struct txt *t)
{
	const struct amt_fw *fw = &t->img->fw;
	char sz[32];

	if (fw->has_fpt || fw->ifwi.has_layout || fw->ifwi.nbpdt || fw->has_llut ||
	    fw->cse.has_skucaps)
		heading(t, "Firmware structures");
	if (fw->has_fpt) {
		char v[64];
		field(t, "$FPT");
		fprintf(t->f, "at 0x%" PRIx64 ": header v0x%02x, entry v0x%02x, %u entries, ",
			fw->fpt.offset, fw->fpt.header_version, fw->fpt.entry_version,
			fw->fpt.nentries);
		if (fw->fpt.header_version >= 0x21)
			fprintf(t->f, "CRC-32 0x%08x", fw->fpt.crc32);
		else
			fprintf(t->f, "checksum 0x%02x", fw->fpt.checksum);
		fprintf(t->f, ", FIT %s\n", amt_version_fmt(&fw->fpt.fit_version, v, sizeof(v)));
		if (fw->fpt.romb_offset != AMT_NO_OFFSET)
			fprintf(t->f, "  %-16s  ROM bypass vector at 0x%" PRIx64 "\n", "",
				fw->fpt.romb_offset);
	}
	if (fw->ifwi.has_layout) {
		field(t, "CSE layout");
		fprintf(t->f, "%u.%u at 0x%" PRIx64 ", data $FPT 0x%" PRIx64 " (%s), %u boot partitions",
			fw->ifwi.layout_version / 10, fw->ifwi.layout_version % 10, fw->ifwi.layout_offset, fw->ifwi.data_offset,
			out_size(fw->ifwi.data_size, sz, sizeof(sz)), fw->ifwi.nboot);
		if (fw->ifwi.redundancy)
			fputs(", redundant (BP2 backs up BP1)", t->f);
		if (fw->ifwi.elog_size)
			fprintf(t->f, ", error log 0x%" PRIx64 " (%s)", fw->ifwi.elog_offset,
				out_size(fw->ifwi.elog_size, sz, sizeof(sz)));
		fputc('\n', t->f);
	}
	if (fw->ifwi.nbpdt) {
		char v[64];
		field(t, "BPDT");
		fprintf(t->f, "version %u at", fw->ifwi.bpdt_version);
		for (unsigned i = 0; i < fw->ifwi.nbpdt && i < 8; i++)
			fprintf(t->f, " 0x%" PRIx64, fw->ifwi.bpdt_offset[i]);
		fprintf(t->f, ", FIT %s\n", amt_version_fmt(&fw->ifwi.bpdt_fit_version, v, sizeof(v)));
	}
	if (fw->has_llut) {
		field(t, "Huffman LLUT");
		fprintf(t->f, "at 0x%" PRIx64 ": %u chunks of %u bytes\n", fw->llut_offset,
			fw->llut_chunks, fw->llut_chunk_size);
	}
	if (fw->cse.has_skucaps) {
		field(t, "FWSKU caps");
		fprintf(t->f, "0x%08x, attributes 0x%016" PRIx64 "\n", fw->cse.fwsku_caps,
			fw->cse.fwsku_attrib);
	}
}

/* Width of a name field once escaped (for column alignment). */
static int esc_width(const char *s, size_t n)
{
	char buf[4 * 32 + 1];
	return (int)strlen(out_esc(s, n, OUT_NAME, buf, sizeof(buf)));
}

static void print_manifests(struct txt *t)
{
	const struct amt_fw *fw = &t->img->fw;
	char a[80], b[80], v[64];

	heading(t, "Manifests and signatures");
	if (!fw->nmanifests) {
		fprintf(t->f, "  none found\n");
		return;
	}
	int wp = 5, wn = 4;
	for (size_t i = 0; i < fw->nmanifests; i++) {
		int w = esc_width(fw->manifests[i].partition, sizeof(fw->manifests[i].partition));
		wp = w > wp ? w : wp;
		w = esc_width(fw->manifests[i].name, sizeof(fw->manifests[i].name));
		wn = w > wn ? w : wn;
	}
	fprintf(t->f, "  %s%-*s %-*s %-4s %-10s %-14s %-10s %-26s %s%s\n", t->s.dim, wp, "Part.",
		wn, "Name", "Kind", "Offset", "Version", "Date", "Key", "Signature", t->s.reset);
	for (size_t i = 0; i < fw->nmanifests; i++) {
		const struct amt_manifest *m = &fw->manifests[i];
		char date[16] = "-";
		if (m->date)
			snprintf(date, sizeof(date), "%04x-%02x-%02x", m->date >> 16,
				 m->date >> 8 & 0xFF, m->date & 0xFF);
		char key[40];
		if (!m->key.present)
			snprintf(key, sizeof(key), "not read");
		else if (m->key.known)
			snprintf(key, sizeof(key), "%.26s", m->key.name ? m->key.name : "known");
		else
			snprintf(key, sizeof(key), "unknown %02x%02x%02x%02x...",
				 m->key.me_cleaner_md5[0], m->key.me_cleaner_md5[1],
				 m->key.me_cleaner_md5[2], m->key.me_cleaner_md5[3]);
		const char *col = m->sig == AMT_SIG_VALID ? t->s.green :
				  m->sig == AMT_SIG_INVALID ? t->s.red : t->s.yellow;
		fprintf(t->f, "  %-*s %-*s %-4s 0x%08" PRIx64 " %-14s %-10s %-26s %s%s%s",
			wp, ESC(m->partition, a), wn, m->name[0] ? ESC(m->name, b) : "-",
			out_manifest_kind_str(m->kind),
			m->offset, amt_version_fmt(&m->version, v, sizeof(v)), date, key, col,
			amt_sig_status_str(m->sig), t->s.reset);
		if (m->sig_detail[0]) {
			fputs(": ", t->f);
			out_puts_esc(t->f, m->sig_detail, OUT_MSG);
		}
		fputc('\n', t->f);
	}
}

static void print_checks(struct txt *t)
{
	const struct amt_fw *fw = &t->img->fw;
	char w[sizeof(fw->checks[0].what) * 4 + 1];

	heading(t, "Checksums");
	if (!fw->nchecks) {
		fprintf(t->f, "  none recorded\n");
		return;
	}
	fprintf(t->f, "  %s%-8s %-34s %-10s %-18s %-18s %s%s\n", t->s.dim, "Result", "What",
		"Offset", "Stored", "Computed", "Note", t->s.reset);
	for (size_t i = 0; i < fw->nchecks; i++) {
		const struct amt_check *c = &fw->checks[i];
		char off[24] = "-", st[24], co[24];
		if (c->offset != AMT_NO_OFFSET)
			snprintf(off, sizeof(off), "0x%08" PRIx64, c->offset);
		if (c->hash_len) {
			/* whole digests follow on their own lines */
			snprintf(st, sizeof(st), "(below)");
			snprintf(co, sizeof(co), "%s", c->ok == AMT_YES ? "(same)" : "(below)");
		} else {
			snprintf(st, sizeof(st), "0x%" PRIx64, c->stored);
			snprintf(co, sizeof(co), "0x%" PRIx64, c->computed);
		}
		fprintf(t->f, "  %s%-8s%s %-34s %-10s %-18s %-18s ", tri_colour(t, c->ok, true),
			out_check_result(c->ok), t->s.reset,
			out_esc(c->what, sizeof(c->what), OUT_MSG, w, sizeof(w)), off, st, co);
		out_puts_esc(t->f, c->note, OUT_MSG);
		fputc('\n', t->f);
		if (c->hash_len) {
			char h[2 * 48 + 3];
			fprintf(t->f, "  %-8s %s%s\n", "", c->ok == AMT_YES ? "" : "stored   ",
				out_hash_le(c->stored_hash, c->hash_len, h));
			if (c->ok != AMT_YES)
				fprintf(t->f, "  %-8s computed %s\n", "",
					out_hash_le(c->computed_hash, c->hash_len, h));
		}
	}
}

/* The $FPT owner field: "-" when unset (all 0xFF, as on GLUT, or all 0x00),
 * else the escaped bytes. */
static const char *owner_text(const struct amt_partition *p, char *buf, size_t len)
{
	bool unset = true;
	for (size_t i = 0; i < 4 && unset; i++)
		unset = (unsigned char)p->owner[i] == 0xff || (unsigned char)p->owner[i] == 0;
	if (unset) {
		snprintf(buf, len, "-");
		return buf;
	}
	return out_esc(p->owner, sizeof(p->owner), OUT_NAME, buf, len);
}

static void print_partitions(struct txt *t)
{
	const struct amt_fw *fw = &t->img->fw;
	char a[32], b[32], sz[32], bar[POS_WIDTH + 1];

	heading(t, "Partitions");
	if (!fw->npartitions) {
		fprintf(t->f, "  none found\n");
		return;
	}
	int wn = 4, wo = 5;
	for (size_t i = 0; i < fw->npartitions; i++) {
		int w = esc_width(fw->partitions[i].name, sizeof(fw->partitions[i].name));
		wn = w > wn ? w : wn;
		w = (int)strlen(owner_text(&fw->partitions[i], b, sizeof(b)));
		wo = w > wo ? w : wo;
	}
	fprintf(t->f, "  %s%-*s %-*s %-8s %-6s %-10s %10s  %-*s %-5s %-8s %s%s\n", t->s.dim, wn,
		"Name", wo, "Owner", "Type", "In", "Offset", "Size", POS_WIDTH,
		"Where in the ME region", "State", "Modules", "Kept", t->s.reset);
	for (size_t i = 0; i < fw->npartitions; i++) {
		const struct amt_partition *p = &fw->partitions[i];
		const char *state = !p->valid ? "inval" : p->empty ? "empty" :
				    !p->in_range ? "OUT" : "ok";
		pos_bar(bar, POS_WIDTH, fw->region_offset, fw->region_size, p->offset,
			p->empty ? 0 : p->size);
		char type[16];
		if (p->container == AMT_CONT_FPT)
			snprintf(type, sizeof(type), "%s", amt_fpt_type_str(p->type));
		else
			snprintf(type, sizeof(type), "0x%x", p->type);
		char mods[16];
		snprintf(mods, sizeof(mods), "%zu", p->nmodules);
		fprintf(t->f, "  %-*s %-*s %-8s %-6s 0x%08" PRIx64 " %10s  %s %s%-5s%s %-8s %s%s%s\n",
			wn, ESC(p->name, a), wo, owner_text(p, b, sizeof(b)), type, out_container_str(p->container),
			p->offset, out_size(p->size, sz, sizeof(sz)), bar,
			strcmp(state, "ok") ? t->s.yellow : "", state, t->s.reset, mods,
			p->kept ? t->s.green : t->s.dim, p->kept ? "kept" : "removed", t->s.reset);
	}
	/* overlaps Intel's layout has: facts, not problems */
	for (size_t i = 0; i < fw->nlayout_overlaps; i++) {
		const struct amt_layout_overlap *o = &fw->layout_overlaps[i];
		fprintf(t->f, "  %s overlaps %s (0x%" PRIx64 "-0x%" PRIx64 "): %s\n",
			ESC(fw->partitions[o->b].name, a), ESC(fw->partitions[o->a].name, b),
			o->start, o->end - 1, amt_overlap_why_str(o->why));
	}
}

static void print_modules(struct txt *t)
{
	const struct amt_fw *fw = &t->img->fw;
	char a[32], b[80], sz[32], usz[32];

	heading(t, "Modules");
	if (!fw->nmodules) {
		fprintf(t->f, "  none found\n");
		return;
	}
	int wp = 5, wn = 4;
	for (size_t i = 0; i < fw->nmodules; i++) {
		int w = esc_width(fw->modules[i].partition, sizeof(fw->modules[i].partition));
		wp = w > wp ? w : wp;
		w = esc_width(fw->modules[i].name, sizeof(fw->modules[i].name));
		wn = w > wn ? w : wn;
	}
	fprintf(t->f, "  %s%-*s %-*s %-8s %-10s %10s %10s %-7s %-9s %-7s %-7s %-7s %s%s\n", t->s.dim,
		wp, "Part.", wn, "Name", "Kind", "Offset", "Size", "Unpacked", "Comp.", "Removable",
		"HAP", "Hash", "Data", "Kept", t->s.reset);
	for (size_t i = 0; i < fw->nmodules; i++) {
		const struct amt_module *m = &fw->modules[i];
		if (m->usize)
			out_size(m->usize, usz, sizeof(usz));
		else
			snprintf(usz, sizeof(usz), "-");
		/* an unchecked hash says why, in a word (inspect --json: hash_unchecked) */
		static const char *const why[] = {
			[AMT_UNCHECKED_NONE] = "-", [AMT_UNCHECKED_NO_HASH] = "none",
			[AMT_UNCHECKED_ENCRYPTED] = "encrypt", [AMT_UNCHECKED_REMOVED] = "removed",
			[AMT_UNCHECKED_OUT_OF_RANGE] = "outside", [AMT_UNCHECKED_NO_CHUNK_TABLE] = "no-llut",
			[AMT_UNCHECKED_CODE_BOOK_GAP] = "gap", [AMT_UNCHECKED_TOO_LARGE] = "large",
			[AMT_UNCHECKED_COMPRESSION] = "comp?", [AMT_UNCHECKED_KNOWN_BAD_HASH] = "exempt",
		};
		const char *hash = m->hash_ok == AMT_YES ? "ok" : m->hash_ok == AMT_NO ? "BAD" :
				   (unsigned)m->unchecked < sizeof(why) / sizeof(why[0]) ?
				   why[m->unchecked] : "-";
		const char *data = m->present == AMT_YES ? "present" :
				   m->present == AMT_NO ? "erased" : "unknown";
		fprintf(t->f, "  %-*s %-*s %-8s 0x%08" PRIx64 " %10s %10s %-7s %-9s %-7s %s%-7s%s %s%-7s%s %s%s%s%s\n",
			wp, ESC(m->partition, a), wn, ESC(m->name, b), out_module_kind_str(m->kind),
			m->offset, out_size(m->size, sz, sizeof(sz)), usz,
			amt_compression_str(m->comp), amt_tristate_str(m->removable),
			amt_tristate_str(m->hap_boot), m->hash_ok == AMT_NO ? t->s.red : "", hash,
			t->s.reset, m->present == AMT_NO ? t->s.dim : m->present == AMT_UNKNOWN ?
			t->s.yellow : "", data, t->s.reset, m->kept ? t->s.green : t->s.dim, m->kept ? "kept" : "removed",
			t->s.reset, m->in_range ? "" : " (outside its partition)");
	}
}

static void print_keep(struct txt *t)
{
	const struct amt_fw *fw = &t->img->fw;
	char a[32], b[80], sz[32], sz2[32];
	size_t nk = 0, nm = 0;

	heading(t, "Default neutralization would keep");
	bool any = false;
	for (size_t i = 0; i < fw->npartitions; i++)
		any = any || fw->partitions[i].kept;
	for (size_t i = 0; i < fw->nmodules; i++)
		any = any || fw->modules[i].kept;
	if (!any && !fw->code_bytes && !fw->min_region_size) {
		fprintf(t->f, "  %snot computed%s: no default neutralization plan for this "
			"firmware layout\n", t->s.yellow, t->s.reset);
		return;
	}
	field(t, "Partitions");
	for (size_t i = 0; i < fw->npartitions; i++)
		if (fw->partitions[i].kept)
			fprintf(t->f, "%s%s", nk++ ? ", " : "", ESC(fw->partitions[i].name, a));
	fprintf(t->f, "%s (%zu of %zu)\n", nk ? "" : "none", nk, fw->npartitions);
	field(t, "Modules");
	size_t col = 0;
	for (size_t i = 0; i < fw->nmodules; i++) {
		const struct amt_module *m = &fw->modules[i];
		if (m->kind != AMT_MOD_MODULE)
			continue;
		nm++;
		if (!m->kept)
			continue;
		const char *name = ESC(m->name, b);
		if (col && col + strlen(name) + 2 > 60) {
			fprintf(t->f, ",\n  %-16s", "");
			col = 0;
		} else if (col) {
			fputs(", ", t->f);
			col += 2;
		}
		fputs(name, t->f);
		col += strlen(name);
	}
	/* the one code measure (amt_code_measure), as neutralize and verify give it */
	struct amt_code_measure cm;
	amt_error err;
	amt_code_measure_init(&cm);
	bool measured = amt_code_measure(t->img, AMT_CODE_DEFAULT_KEEP, &cm, &err) == AMT_OK && cm.known;
	(void)nm;
	if (measured)
		fprintf(t->f, "%s (%u of %u code module%s)\n", cm.nkept ? "" : "none", cm.nkept,
			cm.nmodules, cm.nmodules == 1 ? "" : "s");
	else
		fprintf(t->f, "none\n");
	field(t, "Code kept");
	if (measured && cm.total)
		fprintf(t->f, "%s of %s (%.1f%%)\n", out_size(cm.kept, sz, sizeof(sz)),
			out_size(cm.total, sz2, sizeof(sz2)), pct(cm.kept, cm.total));
	else
		fprintf(t->f, "unknown (no code size computed)\n");
	field(t, "Min. ME region");
	uint64_t min = t->o->min_region_known ? t->o->min_region_size : 0;
	if (min)
		fprintf(t->f, "0x%" PRIx64 " bytes (%s) after truncation\n", min,
			out_size(min, sz, sizeof(sz)));
	else if (t->o->min_region_known)
		fprintf(t->f, "not offered (the default neutralization keeps the region as it is)\n");
	else
		fprintf(t->f, "unknown\n");
}

static void print_problem(struct txt *t, const amt_error *e, const char *colour)
{
	fprintf(t->f, "  %s%s%s: ", colour, amt_status_str(e->code), t->s.reset);
	if (e->structure[0])
		out_puts_esc(t->f, e->structure, OUT_MSG);
	if (e->offset != AMT_NO_OFFSET)
		fprintf(t->f, "%sat 0x%" PRIx64, e->structure[0] ? " " : "", e->offset);
	if (e->structure[0] || e->offset != AMT_NO_OFFSET)
		fputs(": ", t->f);
	out_puts_esc(t->f, e->message, OUT_MSG);
	fputc('\n', t->f);
}

static void print_problems(struct txt *t)
{
	const struct amt_image *img = t->img;
	if (img->truncated_to) {
		/* facts of a truncated region, not problems (verify reads it padded too) */
		heading(t, "Truncated region");
		fprintf(t->f, "  the file ends at 0x%zx, its partitions declare 0x%" PRIx64 " bytes: "
			"read as padded with 0xFF (me_cleaner -t writes regions so)\n", img->size,
			img->truncated_to);
		for (size_t i = 0; i < img->ntruncation_notes; i++)
			print_problem(t, &img->truncation_notes[i], t->s.dim);
	}
	heading(t, "Problems");
	if (!img->nproblems) {
		fprintf(t->f, "  none\n");
		return;
	}
	for (size_t i = 0; i < img->nproblems; i++)
		print_problem(t, &img->problems[i], t->s.red);
}

void out_text_image(FILE *f, const char *file, const struct amt_image *img,
		    const struct out_opts *o)
{
	struct txt t = { .f = f, .img = img, .o = o };
	out_style_init(&t.s, o->color);

	print_header(&t, file);
	if (img->has_ifd)
		print_regions(&t);
	print_summary(&t);
	if (img->has_fw) {
		print_structures(&t);
		print_manifests(&t);
		print_checks(&t);
		print_partitions(&t);
		print_modules(&t);
		print_keep(&t);
		render_remains_text(f, img, o->color);
	}
	print_problems(&t);
}
