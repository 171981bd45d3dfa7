/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The renderings of amt_diff(): text, answer first, and the "amtless-diff"
 * JSON document, version 1 (doc/diff.schema.json). Conventions as the
 * inspect document's: offsets and sizes are integers (an absent offset is
 * null), register and strap values lowercase hex strings, names read from
 * images escaped (out.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "diff_out.h"
#include "jbuild.h"
#include "out.h"

/* ---- shared ----------------------------------------------------------- */

static const char *plat_name(amt_platform_id id)
{
	const struct amt_platform_desc *p = amt_platform_describe(id);
	return p ? p->name : "not recognised";
}

static const char *region_name(unsigned id)
{
	return amt_region_name(id);
}

/* ---- text ------------------------------------------------------------- */

static void ver(FILE *f, bool known, amt_family fam, const struct amt_version *v)
{
	char b[48];
	fprintf(f, "%s %s", amt_family_str(fam), known ? amt_version_fmt(v, b, sizeof(b)) : "(version unknown)");
}

static void input_line(FILE *f, const char *tag, const char *file, size_t size,
		       amt_input_kind kind, bool ifd, int ifdv, amt_platform_id plat,
		       amt_platform_status pst, bool fw, amt_family fam, bool vk,
		       const struct amt_version *v)
{
	char sz[32];
	fprintf(f, "  %s  ", tag);
	out_puts_esc(f, file, OUT_MSG);
	fprintf(f, ": %s, %zu bytes (%s)", amt_input_kind_str(kind), size, out_size(size, sz, sizeof(sz)));
	if (ifd)
		fprintf(f, "; IFDv%d, platform %s (%s)", ifdv, plat_name(plat),
			amt_platform_status_str(pst));
	if (fw) {
		fprintf(f, "; ");
		ver(f, vk, fam, v);
	}
	fputc('\n', f);
}

static void known_sentence(FILE *f, const struct amt_diff_bit *b)
{
	const struct amt_platform_desc *p = amt_platform_describe(b->platform);
	switch (b->known) {
	case AMT_DK_KNOWN:
		fprintf(f, "The platform table knows it: the %s disable bit of %s [%s], confidence %s.\n",
			amt_disable_kind_str(b->table_kind), p->name, p->key,
			amt_confidence_str(p->confidence));
		break;
	case AMT_DK_OTHER_PLACE:
		fprintf(f, "The platform table puts the disable bit of %s [%s] elsewhere (%s bit %u, "
			   "confidence %s): this bit is something else, or the table is wrong for this "
			   "board.\n", p->name, p->key, b->table_strap, b->table_bit,
			amt_confidence_str(p->confidence));
		break;
	case AMT_DK_NO_SOURCE:
		fprintf(f, "No public source gives the disable bit of %s [%s]: this may be it. Only an "
			   "expert writes it (UNVERIFIED): amtless neutralize --disable-bit-only "
			   "--expert-disable-bit %s:%u; please publish both descriptors.\n", p->name,
			p->key, b->strap, b->bit);
		break;
	case AMT_DK_PLATFORM_UNKNOWN:
		fprintf(f, "The platform is not recognised: there is nothing to compare this bit with.\n");
		break;
	case AMT_DK_PLATFORMS_DIFFER:
		fprintf(f, "A and B are recognised as different platforms: the bit is not compared with "
			   "the table.\n");
		break;
	case AMT_DK_NOT_ONE_BIT:
		break;
	}
}

static void summary(FILE *f, const struct amt_diff *d)
{
	if (d->identical) {
		fprintf(f, "A and B are identical (%zu bytes).\n", d->size_a);
		return;
	}
	fprintf(f, "A and B differ:");
	const char *sep = " ";
	if (d->ifd_a != d->ifd_b) {
		fprintf(f, "%sonly %s has a flash descriptor", sep, d->ifd_a ? "A" : "B");
		sep = "; ";
	}
	if (d->size_a != d->size_b) {
		fprintf(f, "%ssizes (%zu and %zu bytes)", sep, d->size_a, d->size_b);
		sep = "; ";
	}
	if (d->strap_bits || d->straps_only_one) {
		fprintf(f, "%s%u strap bit%s in %zu strap%s", sep, d->strap_bits,
			d->strap_bits == 1 ? "" : "s", d->nstraps, d->nstraps == 1 ? "" : "s");
		if (d->straps_only_one)
			fprintf(f, " (%u in one descriptor only)", d->straps_only_one);
		sep = "; ";
	}
	if (d->nregs) {
		fprintf(f, "%s%zu descriptor register%s", sep, d->nregs, d->nregs == 1 ? "" : "s");
		sep = "; ";
	}
	if (d->desc_other_ndiff) {
		fprintf(f, "%s%" PRIu64 " other descriptor byte%s", sep, d->desc_other_ndiff,
			d->desc_other_ndiff == 1 ? "" : "s");
		sep = "; ";
	}
	bool any = false;
	for (size_t i = 0; i < d->nregions; i++) {
		const struct amt_diff_region *r = &d->regions[i];
		if (r->id == AMT_RGN_FD || !r->compared || (!r->ndiff && r->same_place))
			continue;
		fprintf(f, "%s%s region", any ? ", " : sep, region_name(r->id));
		if (r->ndiff)
			fprintf(f, " (%" PRIu64 " byte%s)", r->ndiff, r->ndiff == 1 ? "" : "s");
		else
			fprintf(f, " (moved or resized)");
		any = true;
	}
	if (any)
		sep = "; ";
	if (d->nitems) {
		unsigned np = 0, nm = 0;
		for (size_t i = 0; i < d->nitems; i++) {
			if (d->items[i].kind == AMT_DITEM_PARTITION)
				np++;
			else
				nm++;
		}
		fprintf(f, "%sfirmware: %u partition%s and %u module%s", sep, np, np == 1 ? "" : "s",
			nm, nm == 1 ? "" : "s");
		sep = "; ";
	}
	if (sep[0] == ' ')
		fprintf(f, " %" PRIu64 " byte%s outside every structure compared", d->ndiff_bytes,
			d->ndiff_bytes == 1 ? "" : "s");
	fprintf(f, ".\n");
	if (d->one_strap_bit) {
		const struct amt_diff_bit *b = &d->bit;
		fprintf(f, "The one strap bit that differs: %s bit %u (A: file byte 0x%" PRIx64
			" bit %u), %s in A, %s in B.\n", b->strap, b->bit, b->file_offset, b->byte_bit,
			b->set_a ? "set" : "clear", b->set_b ? "set" : "clear");
		known_sentence(f, b);
	}
}

static void bits_text(FILE *f, const struct amt_diff_strap *s)
{
	uint32_t c = s->in_a && s->in_b ? s->changed : 0;
	unsigned shown = 0;
	for (unsigned bit = 0; bit < 32; bit++) {
		if (!((c >> bit) & 1))
			continue;
		if (shown == 8) {
			fprintf(f, ", ...");
			break;
		}
		fprintf(f, "%sbit %u %u->%u", shown ? ", " : "", bit, (s->a >> bit) & 1, (s->b >> bit) & 1);
		shown++;
	}
}

static void region_span(FILE *f, bool used, uint64_t base, uint64_t limit)
{
	if (used)
		fprintf(f, "0x%08" PRIx64 "-0x%08" PRIx64, base, limit);
	else
		fprintf(f, "(unused)");
}

void out_text_diff(FILE *f, const char *file_a, const char *file_b, const struct amt_diff *d)
{
	summary(f, d);
	fprintf(f, "\nInputs\n");
	input_line(f, "A", file_a, d->size_a, d->kind_a, d->ifd_a, d->ifd_version_a, d->platform_a,
		   d->platform_status_a, d->fw_a, d->family_a, d->version_known_a, &d->version_a);
	input_line(f, "B", file_b, d->size_b, d->kind_b, d->ifd_b, d->ifd_version_b, d->platform_b,
		   d->platform_status_b, d->fw_b, d->family_b, d->version_known_b, &d->version_b);
	if (d->identical)
		return;

	if (d->ifd_a && d->ifd_b) {
		fprintf(f, "\nStraps: %zu differ\n", d->nstraps);
		for (size_t i = 0; i < d->nstraps; i++) {
			const struct amt_diff_strap *s = &d->straps[i];
			fprintf(f, "  %-11s ", s->name);
			if (s->in_a)
				fprintf(f, "0x%08" PRIx32, s->a);
			else
				fprintf(f, "(none)    ");
			fprintf(f, " -> ");
			if (s->in_b)
				fprintf(f, "0x%08" PRIx32, s->b);
			else
				fprintf(f, "(none)    ");
			if (s->in_a && s->in_b) {
				fprintf(f, "  ");
				bits_text(f, s);
			} else {
				fprintf(f, "  in %s only", s->in_a ? "A" : "B");
			}
			if (s->disable_bit)
				fprintf(f, "  [the disable bit]");
			fputc('\n', f);
		}
		fprintf(f, "\nDescriptor registers: %zu differ\n", d->nregs);
		for (size_t i = 0; i < d->nregs; i++) {
			const struct amt_diff_reg *r = &d->regs[i];
			fprintf(f, "  %-9s 0x%08" PRIx32 " -> 0x%08" PRIx32, r->name, r->a, r->b);
			if (r->kind == AMT_DREG_FLREG) {
				fprintf(f, "  %s ", region_name(r->index));
				region_span(f, r->in_a && r->used_a, r->base_a, r->limit_a);
				fprintf(f, " -> ");
				region_span(f, r->in_b && r->used_b, r->base_b, r->limit_b);
			} else if (r->kind == AMT_DREG_FLMSTR) {
				fprintf(f, "  read 0x%04" PRIx32 " -> 0x%04" PRIx32 ", write 0x%04" PRIx32
					" -> 0x%04" PRIx32 " (bit n: region n)", r->read_a, r->read_b,
					r->write_a, r->write_b);
			}
			if (!r->in_a || !r->in_b)
				fprintf(f, "  (in %s only)", r->in_a ? "A" : "B");
			fputc('\n', f);
		}
		if (d->desc_other_ndiff)
			fprintf(f, "  other descriptor bytes: %" PRIu64 " differ, 0x%" PRIx64 "-0x%" PRIx64
				" (component section, VSCC table, OEM section, signature...)\n",
				d->desc_other_ndiff, d->desc_other_first, d->desc_other_last);
	} else if (d->ifd_a != d->ifd_b) {
		fprintf(f, "\nOnly %s has a flash descriptor: straps and registers are not compared.\n",
			d->ifd_a ? "A" : "B");
	}

	if (d->nregions) {
		fprintf(f, "\nRegions\n  %-11s %-23s %-23s %s\n", "Region", "A", "B", "Bytes that differ");
		for (size_t i = 0; i < d->nregions; i++) {
			const struct amt_diff_region *r = &d->regions[i];
			char a[40], b[40];
			if (r->used_a)
				snprintf(a, sizeof(a), "0x%08" PRIx64 "-0x%08" PRIx64, r->base_a, r->end_a - 1);
			else
				snprintf(a, sizeof(a), "(unused)");
			if (r->used_b)
				snprintf(b, sizeof(b), "0x%08" PRIx64 "-0x%08" PRIx64, r->base_b, r->end_b - 1);
			else
				snprintf(b, sizeof(b), "(unused)");
			fprintf(f, "  %-11s %-23s %-23s ", region_name(r->id), a, r->same_place ? "same place" : b);
			if (!r->compared)
				fprintf(f, "not compared (%s)\n", !r->used_a || !r->used_b ? "not in both" :
					"not in both files");
			else if (!r->ndiff)
				fprintf(f, "none of 0x%" PRIx64 "%s\n", r->compared_len,
					r->same_place ? "" : " (compared from each start)");
			else
				fprintf(f, "%" PRIu64 " of 0x%" PRIx64 ", first +0x%" PRIx64 ", last +0x%" PRIx64
					"%s\n", r->ndiff, r->compared_len, r->first, r->last,
					r->same_place ? "" : " (compared from each start)");
		}
	}

	if (d->fw_a && d->fw_b) {
		fprintf(f, "\nFirmware: A ");
		ver(f, d->version_known_a, d->family_a, &d->version_a);
		fprintf(f, ", B ");
		ver(f, d->version_known_b, d->family_b, &d->version_b);
		fprintf(f, "; %u partition%s and %u module%s the same\n", d->same_partitions,
			d->same_partitions == 1 ? "" : "s", d->same_modules, d->same_modules == 1 ? "" : "s");
		for (size_t i = 0; i < d->nitems; i++) {
			const struct amt_diff_item *it = &d->items[i];
			char p[24], n[72];
			out_esc(it->partition, sizeof(it->partition), OUT_NAME, p, sizeof(p));
			out_esc(it->name, sizeof(it->name), OUT_NAME, n, sizeof(n));
			if (it->kind == AMT_DITEM_PARTITION)
				fprintf(f, "  partition %-17s ", p);
			else
				fprintf(f, "  module    %s/%-*s ", p, (int)(16 - (strlen(p) < 16 ? strlen(p) : 16)), n);
			switch (it->change) {
			case AMT_DCH_ONLY_A: fprintf(f, "in A only (0x%" PRIx64 " bytes)", it->size_a); break;
			case AMT_DCH_ONLY_B: fprintf(f, "in B only (0x%" PRIx64 " bytes)", it->size_b); break;
			case AMT_DCH_UNKNOWN: fprintf(f, "not compared (neither its stored hash nor its chunks can be read)"); break;
			case AMT_DCH_CHANGED:
				if (it->by_hash)
					fprintf(f, "changed (stored hash, presence or hash check)");
				else if (it->ndiff)
					fprintf(f, "changed: %" PRIu64 " byte%s differ, first at +0x%" PRIx64,
						it->ndiff, it->ndiff == 1 ? "" : "s", it->first);
				else
					fprintf(f, "changed");
				if (it->size_a != it->size_b)
					fprintf(f, "%s size 0x%" PRIx64 " -> 0x%" PRIx64,
						it->by_hash || it->ndiff ? ";" : ":", it->size_a, it->size_b);
				break;
			case AMT_DCH_SAME: fprintf(f, "same"); break;
			}
			fputc('\n', f);
		}
	} else if (d->fw_a != d->fw_b) {
		fprintf(f, "\nOnly %s holds ME firmware the model reads: partitions and modules are not "
			   "compared.\n", d->fw_a ? "A" : "B");
	}
}

/* ---- JSON ------------------------------------------------------------- */

static json_t *jhex32(uint32_t v)
{
	char b[16];
	snprintf(b, sizeof(b), "0x%08" PRIx32, v);
	return json_string(b);
}

static json_t *jkey(amt_platform_id id)
{
	const char *k = amt_platform_key(id);
	return k ? json_string(k) : json_null();
}

static json_t *j_input(const char *file, size_t size, amt_input_kind kind, bool ifd, int ifdv,
		       amt_platform_id plat, amt_platform_status pst, bool fw, amt_family fam,
		       bool vk, const struct amt_version *v)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	char b[48];
	jb_put(o, "file", out_json_nstr(file, OUT_MSG));
	jb_put(o, "size", jb_int(size));
	jb_put(o, "kind", json_string(out_kind_key(kind)));
	jb_put(o, "descriptor", json_boolean(ifd));
	jb_put(o, "ifd_version", ifd ? json_integer(ifdv) : json_null());
	jb_put(o, "platform", ifd ? jkey(plat) : json_null());
	jb_put(o, "platform_status", ifd ? json_string(amt_platform_status_str(pst)) : json_null());
	json_t *f = json_null();
	if (fw) {
		f = json_object();
		if (f) {
			jb_put(f, "family", json_string(amt_family_str(fam)));
			jb_put(f, "version", vk ? json_string(amt_version_fmt(v, b, sizeof(b))) : json_null());
		}
	}
	jb_put(o, "firmware", f);
	return o;
}

static json_t *j_strap(const struct amt_diff_strap *s)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	jb_put(o, "section", json_string(amt_strap_section_str(s->section)));
	jb_put(o, "name", json_string(s->name));
	jb_put(o, "index", json_integer(s->index));
	jb_put(o, "a", s->in_a ? jhex32(s->a) : json_null());
	jb_put(o, "b", s->in_b ? jhex32(s->b) : json_null());
	jb_put(o, "changed", jhex32(s->in_a && s->in_b ? s->changed : 0));
	json_t *bits = json_array();
	for (unsigned bit = 0; bits && s->in_a && s->in_b && bit < 32; bit++) {
		if (!((s->changed >> bit) & 1))
			continue;
		json_t *x = json_object();
		if (!x) {
			jb_oom = true;
			break;
		}
		jb_put(x, "bit", json_integer(bit));
		jb_put(x, "a", json_integer((s->a >> bit) & 1));
		jb_put(x, "b", json_integer((s->b >> bit) & 1));
		jb_add(bits, x);
	}
	jb_put(o, "bits", bits);
	jb_put(o, "offset_a", jb_off(s->offset_a));
	jb_put(o, "offset_b", jb_off(s->offset_b));
	jb_put(o, "disable_bit", json_boolean(s->disable_bit));
	return o;
}

static json_t *j_flreg(bool in, bool used, uint64_t base, uint64_t limit)
{
	if (!in)
		return json_null();
	json_t *o = json_object();
	if (!o)
		return NULL;
	jb_put(o, "used", json_boolean(used));
	jb_put(o, "base", used ? jb_int(base) : json_null());
	jb_put(o, "limit", used ? jb_int(limit) : json_null());
	return o;
}

static json_t *j_access(bool in, uint32_t rd, uint32_t wr)
{
	if (!in)
		return json_null();
	json_t *o = json_object();
	if (!o)
		return NULL;
	jb_put(o, "read", jhex32(rd));
	jb_put(o, "write", jhex32(wr));
	return o;
}

static json_t *j_reg(const struct amt_diff_reg *r)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	jb_put(o, "kind", json_string(amt_diff_reg_kind_str(r->kind)));
	jb_put(o, "name", json_string(r->name));
	jb_put(o, "index", json_integer(r->index));
	jb_put(o, "a", r->in_a ? jhex32(r->a) : json_null());
	jb_put(o, "b", r->in_b ? jhex32(r->b) : json_null());
	if (r->kind == AMT_DREG_FLREG) {
		json_t *g = json_object();
		if (g) {
			jb_put(g, "id", json_integer(r->index));
			jb_put(g, "name", json_string(region_name(r->index)));
			jb_put(g, "a", j_flreg(r->in_a, r->used_a, r->base_a, r->limit_a));
			jb_put(g, "b", j_flreg(r->in_b, r->used_b, r->base_b, r->limit_b));
		}
		jb_put(o, "region", g);
	} else if (r->kind == AMT_DREG_FLMSTR) {
		json_t *g = json_object();
		if (g) {
			jb_put(g, "a", j_access(r->in_a, r->read_a, r->write_a));
			jb_put(g, "b", j_access(r->in_b, r->read_b, r->write_b));
		}
		jb_put(o, "access", g);
	}
	return o;
}

static json_t *j_span(bool used, bool in, uint64_t base, uint64_t end)
{
	if (!used)
		return json_null();
	json_t *o = json_object();
	if (!o)
		return NULL;
	jb_put(o, "base", jb_int(base));
	jb_put(o, "end", jb_int(end));
	jb_put(o, "in_file", json_boolean(in));
	return o;
}

static json_t *j_region(const struct amt_diff_region *r)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	jb_put(o, "id", json_integer(r->id));
	jb_put(o, "name", json_string(region_name(r->id)));
	jb_put(o, "a", j_span(r->used_a, r->in_a, r->base_a, r->end_a));
	jb_put(o, "b", j_span(r->used_b, r->in_b, r->base_b, r->end_b));
	jb_put(o, "same_place", json_boolean(r->same_place));
	jb_put(o, "compared", json_boolean(r->compared));
	jb_put(o, "compared_length", jb_int(r->compared_len));
	jb_put(o, "differing_bytes", jb_int(r->ndiff));
	jb_put(o, "first", jb_off(r->first));
	jb_put(o, "last", jb_off(r->last));
	return o;
}

static json_t *j_item(const struct amt_diff_item *it)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	jb_put(o, "kind", json_string(it->kind == AMT_DITEM_PARTITION ? "partition" : "module"));
	jb_put(o, "partition", out_json_str(it->partition, sizeof(it->partition), OUT_NAME));
	jb_put(o, "name", out_json_str(it->name, sizeof(it->name), OUT_NAME));
	jb_put(o, "change", json_string(amt_diff_change_str(it->change)));
	jb_put(o, "offset_a", jb_off(it->offset_a));
	jb_put(o, "offset_b", jb_off(it->offset_b));
	jb_put(o, "size_a", it->change == AMT_DCH_ONLY_B ? json_null() : jb_int(it->size_a));
	jb_put(o, "size_b", it->change == AMT_DCH_ONLY_A ? json_null() : jb_int(it->size_b));
	jb_put(o, "differing_bytes", jb_int(it->ndiff));
	jb_put(o, "first", jb_off(it->first));
	jb_put(o, "by_hash", json_boolean(it->by_hash));
	return o;
}

static json_t *j_bit(const struct amt_diff *d)
{
	if (!d->one_strap_bit)
		return json_null();
	const struct amt_diff_bit *b = &d->bit;
	json_t *o = json_object();
	if (!o)
		return NULL;
	jb_put(o, "section", json_string(amt_strap_section_str(b->section)));
	jb_put(o, "strap", json_string(b->strap));
	jb_put(o, "index", json_integer(b->index));
	jb_put(o, "bit", json_integer(b->bit));
	jb_put(o, "file_offset", jb_int(b->file_offset));
	jb_put(o, "byte_bit", json_integer(b->byte_bit));
	jb_put(o, "set_a", json_boolean(b->set_a));
	jb_put(o, "set_b", json_boolean(b->set_b));
	jb_put(o, "known", json_string(amt_diff_known_str(b->known)));
	jb_put(o, "platform", jkey(b->platform));
	json_t *t = json_null();
	if (b->table_located) {
		t = json_object();
		if (t) {
			jb_put(t, "kind", json_string(amt_disable_kind_str(b->table_kind)));
			jb_put(t, "strap", json_string(b->table_strap));
			jb_put(t, "bit", json_integer(b->table_bit));
		}
	}
	jb_put(o, "table", t);
	return o;
}

json_t *out_json_diff(const char *file_a, const char *file_b, const struct amt_diff *d)
{
	bool outer = jb_begin();
	json_t *doc = json_object();
	if (!doc) {
		jb_end(outer);
		return NULL;
	}
	jb_put(doc, "schema", json_string(OUT_DIFF_SCHEMA));
	jb_put(doc, "version", json_integer(OUT_DIFF_VERSION));
	jb_put(doc, "a", j_input(file_a, d->size_a, d->kind_a, d->ifd_a, d->ifd_version_a, d->platform_a,
			      d->platform_status_a, d->fw_a, d->family_a, d->version_known_a,
			      &d->version_a));
	jb_put(doc, "b", j_input(file_b, d->size_b, d->kind_b, d->ifd_b, d->ifd_version_b, d->platform_b,
			      d->platform_status_b, d->fw_b, d->family_b, d->version_known_b,
			      &d->version_b));
	jb_put(doc, "identical", json_boolean(d->identical));
	jb_put(doc, "differing_bytes", jb_int(d->ndiff_bytes));
	json_t *a = json_array();
	for (size_t i = 0; a && i < d->nstraps; i++)
		jb_add(a, j_strap(&d->straps[i]));
	jb_put(doc, "straps", a);
	jb_put(doc, "strap_bits", json_integer(d->strap_bits));
	jb_put(doc, "straps_in_one_only", json_integer(d->straps_only_one));
	jb_put(doc, "one_strap_bit", j_bit(d));
	a = json_array();
	for (size_t i = 0; a && i < d->nregs; i++)
		jb_add(a, j_reg(&d->regs[i]));
	jb_put(doc, "registers", a);
	json_t *o = json_null();
	if (d->ifd_a && d->ifd_b) {
		o = json_object();
		if (o) {
			jb_put(o, "differing_bytes", jb_int(d->desc_other_ndiff));
			jb_put(o, "first", jb_off(d->desc_other_first));
			jb_put(o, "last", jb_off(d->desc_other_last));
		}
	}
	jb_put(doc, "descriptor_other", o);
	a = json_array();
	for (size_t i = 0; a && i < d->nregions; i++)
		jb_add(a, j_region(&d->regions[i]));
	jb_put(doc, "regions", a);
	json_t *fw = json_object();
	if (fw) {
		a = json_array();
		for (size_t i = 0; a && i < d->nitems; i++)
			jb_add(a, j_item(&d->items[i]));
		jb_put(fw, "compared", json_boolean(d->fw_a && d->fw_b));
		jb_put(fw, "items", a);
		jb_put(fw, "same_partitions", json_integer(d->same_partitions));
		jb_put(fw, "same_modules", json_integer(d->same_modules));
	}
	jb_put(doc, "firmware", fw);
	if (jb_end(outer)) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}
