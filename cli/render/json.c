/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The JSON rendering of the image model: the "amtless-inspect" document,
 * version 1, described by doc/inspect.schema.json. Conventions:
 *  - offsets, sizes, counts and indices are JSON integers; an absent
 *    offset is null;
 *  - raw register-like values (FLMAP, FLREG, straps, flags, checksums) are
 *    lowercase hex strings "0x..." (they may use all 64 bits);
 *  - strings from images follow out.h: byte b of a name becomes U+00bb.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jbuild.h"
#include "out.h"
#include "remains.h"

json_t *out_json_str(const char *s, size_t n, enum out_mode mode)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = s ? strnlen(s, n) : 0;
	/* every byte becomes at most 2 UTF-8 bytes (U+0000-U+00FF), or stays
	 * as part of a valid sequence */
	char *buf = malloc(2 * len + 1);
	if (!buf)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		size_t seq = mode == OUT_MSG ? out_utf8_seq(p + i, len - i) : 0;
		if (seq) {
			memcpy(buf + o, p + i, seq);
			o += seq;
			i += seq;
		} else if (p[i] < 0x80) {
			buf[o++] = (char)p[i++];
		} else {
			buf[o++] = (char)(0xC0 | p[i] >> 6);
			buf[o++] = (char)(0x80 | (p[i] & 0x3F));
			i++;
		}
	}
	json_t *j = json_stringn(buf, o);
	free(buf);
	return j;
}

json_t *out_json_nstr(const char *s, enum out_mode mode)
{
	return s ? out_json_str(s, strlen(s), mode) : json_null();
}

static json_t *jhexb(const uint8_t *p, size_t n)
{
	char b[2 * 64 + 1];
	return json_string(out_hex(p, n, b));
}

static json_t *jtri(amt_tristate t)
{
	return json_string(amt_tristate_str(t));
}

static json_t *jname(const char *s, size_t n)
{
	return out_json_str(s, n, OUT_NAME);
}

static json_t *jmsg(const char *s)
{
	return out_json_nstr(s, OUT_MSG);
}

static json_t *jver(const struct amt_version *v)
{
	char b[64];
	return json_string(amt_version_fmt(v, b, sizeof(b)));
}

#define JNAME(field) jname((field), sizeof(field))

/* ---- descriptor ------------------------------------------------------ */

static json_t *j_regions(const struct amt_ifd *ifd, uint64_t total)
{
	json_t *a = json_array();
	for (unsigned r = 0; a && r < ifd->nregions && r < AMT_IFD_MAX_REGIONS; r++) {
		const struct amt_ifd_region *rg = &ifd->region[r];
		json_t *o = json_object();
		if (!o) {
			jb_oom = true;
			break;
		}
		jb_put(o, "id", json_integer(r));
		jb_put(o, "name", json_string(amt_region_name(r)));
		jb_put(o, "raw", jb_hex(rg->raw, 8));
		jb_put(o, "used", json_boolean(rg->used));
		jb_put(o, "in_file", json_boolean(rg->in_file));
		if (rg->used) {
			uint64_t size = rg->limit - rg->base + 1;
			jb_put(o, "base", jb_int(rg->base));
			jb_put(o, "limit", jb_int(rg->limit));
			jb_put(o, "size", jb_int(size));
			jb_put(o, "share_percent",
			    json_real(total ? 100.0 * (double)size / (double)total : 0.0));
		} else {
			jb_put(o, "base", json_null());
			jb_put(o, "limit", json_null());
			jb_put(o, "size", json_null());
			jb_put(o, "share_percent", json_null());
		}
		jb_add(a, o);
	}
	return a;
}

static json_t *j_regionset(uint32_t mask)
{
	json_t *a = json_array();
	for (unsigned r = 0; a && r < 16; r++)
		if (mask >> r & 1)
			jb_add(a, json_string(amt_region_name(r)));
	return a;
}

static json_t *j_straps(const uint32_t *v, unsigned n)
{
	json_t *a = json_array();
	for (unsigned i = 0; a && i < n && i < AMT_IFD_MAX_STRAPS; i++)
		jb_add(a, jb_hex(v[i], 8));
	return a;
}

static json_t *j_disable(const struct amt_disable_bit *d)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	jb_put(o, "kind", json_string(amt_disable_kind_str(d->kind)));
	jb_put(o, "located", json_boolean(d->located));
	jb_put(o, "state", jtri(d->state));
	json_t *locs = json_array();
	for (unsigned i = 0; locs && d->located && i < d->nloc && i < 2; i++) {
		const struct amt_strap_bit *b = &d->loc[i];
		json_t *l = json_object();
		if (!l) {
			jb_oom = true;
			break;
		}
		jb_put(l, "strap", JNAME(b->strap));
		jb_put(l, "index", json_integer(b->index));
		jb_put(l, "bit", json_integer(b->bit));
		jb_put(l, "file_offset", jb_int(b->file_offset));
		jb_put(l, "byte_bit", json_integer(b->byte_bit));
		jb_put(l, "set", json_boolean(b->set));
		jb_add(locs, l);
	}
	jb_put(o, "locations", locs);
	jb_put(o, "source", jmsg(d->source));
	jb_put(o, "note", jmsg(d->note));
	return o;
}

/* The platform: typed outcome, evidence, the row's facts and sources,
 * and what setting HAP does there. */
static json_t *j_platform(const struct amt_platform_info *pi, const struct out_opts *opts)
{
	json_t *pl = json_object();
	if (!pl)
		return NULL;
	bool known = pi->id != AMT_PLAT_UNKNOWN;
	const struct amt_platform_desc *row = known ? amt_platform_describe(pi->id) : NULL;
	jb_put(pl, "known", json_boolean(known));
	jb_put(pl, "key", row ? json_string(row->key) : json_null());
	jb_put(pl, "name", known ? jmsg(pi->name) : json_null());
	jb_put(pl, "status", json_string(amt_platform_status_str(pi->status)));
	jb_put(pl, "confidence", json_string(amt_confidence_str(pi->confidence)));
	json_t *ev = json_array();
	static const struct { unsigned bit; const char *name; } evn[] = {
		{ AMT_PEV_GEOMETRY, "geometry" }, { AMT_PEV_STRAPS, "straps" },
		{ AMT_PEV_FIRMWARE, "firmware" }, { AMT_PEV_NAMED, "named" },
	};
	for (size_t i = 0; ev && i < sizeof(evn) / sizeof(evn[0]); i++)
		if (pi->evidence & evn[i].bit)
			jb_add(ev, json_string(evn[i].name));
	jb_put(pl, "evidence", ev);
	jb_put(pl, "named", json_boolean(pi->named));
	jb_put(pl, "expert_override", json_boolean(pi->expert_override));
	jb_put(pl, "source", jmsg(pi->source));
	jb_put(pl, "ambiguous", json_boolean(pi->ambiguous));
	jb_put(pl, "why", jmsg(pi->why));
	jb_put(pl, "override", opts->platform ? jmsg(opts->platform) : json_null());
	json_t *r = json_null();
	if (row) {
		r = json_object();
		if (r) {
			jb_put(r, "firmware", jmsg(row->firmware));
			jb_put(r, "fingerprint", jmsg(row->fingerprint));
			jb_put(r, "fingerprint_source", jmsg(row->fingerprint_source));
			jb_put(r, "straps", jmsg(row->straps));
			jb_put(r, "straps_source", jmsg(row->straps_source));
			jb_put(r, "hap_known", json_boolean(row->hap_known));
			jb_put(r, "strap", row->hap_known ? json_integer(row->strap_index) : json_null());
			jb_put(r, "bit", row->hap_known ? json_integer(row->bit) : json_null());
			jb_put(r, "source", jmsg(row->source));
			jb_put(r, "confidence", json_string(amt_confidence_str(row->confidence)));
			jb_put(r, "doubtful", json_boolean(row->doubtful));
		} else {
			jb_oom = true;
		}
	}
	jb_put(pl, "row", r);
	json_t *cs = json_array();
	for (unsigned b = 1; cs && b <= AMT_HAPFX__ALL; b <<= 1) {
		if (!(pi->hap_consequences & b))
			continue;
		json_t *c = json_object();
		if (!c) {
			jb_oom = true;
			break;
		}
		jb_put(c, "text", jmsg(amt_hap_consequence_str(b)));
		jb_put(c, "source", jmsg(amt_hap_consequence_source(b)));
		jb_add(cs, c);
	}
	jb_put(pl, "hap_consequences", cs);
	return pl;
}

static json_t *j_descriptor(const struct amt_image *img, const struct out_opts *opts)
{
	const struct amt_ifd *ifd = &img->ifd;
	json_t *o = json_object();
	if (!o)
		return NULL;
	jb_put(o, "offset", jb_int(ifd->offset));
	jb_put(o, "signature_offset", jb_int(ifd->sig_offset));
	jb_put(o, "ifd_version", json_integer(ifd->version));
	jb_put(o, "ich_layout", json_boolean(ifd->ich_layout));
	json_t *fl = json_array();
	for (unsigned i = 0; fl && i < 4; i++)
		jb_add(fl, jb_hex(ifd->flmap[i], 8));
	jb_put(o, "flmap", fl);
	jb_put(o, "has_flmap3", json_boolean(ifd->has_flmap3));
	json_t *sec = json_object();
	if (sec) {
		jb_put(sec, "fcba", jb_int(ifd->fcba));
		jb_put(sec, "frba", jb_int(ifd->frba));
		jb_put(sec, "fmba", jb_int(ifd->fmba));
		jb_put(sec, "fpsba", jb_int(ifd->fpsba));
		jb_put(sec, "fmsba", jb_int(ifd->fmsba));
	}
	jb_put(o, "sections", sec);
	json_t *cnt = json_object();
	if (cnt) {
		jb_put(cnt, "nc", json_integer(ifd->nc));
		jb_put(cnt, "nr", json_integer(ifd->nr));
		jb_put(cnt, "nm", json_integer(ifd->nm));
		jb_put(cnt, "psl", json_integer(ifd->psl));
		jb_put(cnt, "msl", json_integer(ifd->msl));
	}
	jb_put(o, "counts", cnt);
	jb_put(o, "flash_size", ifd->flash_size ? jb_int(ifd->flash_size) : json_null());
	jb_put(o, "regions", j_regions(ifd, img->size - ifd->offset));
	json_t *ms = json_array();
	for (unsigned m = 0; ms && m < ifd->nmasters && m < AMT_IFD_MAX_MASTERS; m++) {
		json_t *mo = json_object();
		if (!mo) {
			jb_oom = true;
			break;
		}
		jb_put(mo, "index", json_integer(m + 1));
		jb_put(mo, "raw", jb_hex(ifd->master[m].raw, 8));
		jb_put(mo, "read", j_regionset(ifd->master[m].read));
		jb_put(mo, "write", j_regionset(ifd->master[m].write));
		jb_add(ms, mo);
	}
	jb_put(o, "masters", ms);
	jb_put(o, "extended_regions", json_boolean(ifd->extended_regions));
	jb_put(o, "pch_straps", j_straps(ifd->pchstrp, ifd->npchstrp));
	jb_put(o, "mch_straps", j_straps(ifd->mchstrp, ifd->nmchstrp));

	json_t *geo = json_object();
	if (geo) {
		jb_put(geo, "flumap1", jb_hex(ifd->flumap1, 8));
		jb_put(geo, "iccriba", json_integer(ifd->iccriba));
		jb_put(geo, "csso", json_integer(ifd->csso));
		jb_put(geo, "mdtba", json_integer(ifd->mdtba));
	}
	jb_put(o, "geometry", geo);

	jb_put(o, "platform", j_platform(&ifd->platform, opts));
	jb_put(o, "disable_bit", j_disable(&ifd->disable));

	json_t *fdv = json_object();
	if (fdv) {
		jb_put(fdv, "present", json_boolean(ifd->fdv.present));
		jb_put(fdv, "manifest_offset",
		    ifd->fdv.present ? jb_int(ifd->fdv.manifest_offset) : json_null());
		json_t *ex = json_array();
		for (unsigned i = 0; ex && ifd->fdv.present && i < ifd->fdv.nexcl && i < 8; i++) {
			json_t *e = json_object();
			if (!e) {
				jb_oom = true;
				break;
			}
			jb_put(e, "start", json_integer(ifd->fdv.excl_start[i]));
			jb_put(e, "end", json_integer(ifd->fdv.excl_end[i]));
			jb_add(ex, e);
		}
		jb_put(fdv, "exclusions", ex);
	}
	jb_put(o, "fdv", fdv);
	return o;
}

/* ---- firmware -------------------------------------------------------- */

static json_t *j_key(const struct amt_key_info *k)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	jb_put(o, "present", json_boolean(k->present));
	jb_put(o, "modulus_bits", json_integer(k->modulus_bits));
	jb_put(o, "exponent", json_integer(k->exponent));
	jb_put(o, "modulus_sha256", k->present ? jhexb(k->modulus_sha256, 32) : json_null());
	jb_put(o, "me_cleaner_md5", k->present ? jhexb(k->me_cleaner_md5, 16) : json_null());
	jb_put(o, "stored_sha256", k->present ? jhexb(k->stored_sha256, 32) : json_null());
	jb_put(o, "preproduction", json_boolean(k->present && k->preproduction));
	jb_put(o, "known", json_boolean(k->known));
	jb_put(o, "name", k->known ? jmsg(k->name) : json_null());
	jb_put(o, "source", jmsg(k->source));
	return o;
}

static json_t *j_manifest(const struct amt_manifest *m, size_t index)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	jb_put(o, "index", jb_int(index));
	jb_put(o, "partition", JNAME(m->partition));
	jb_put(o, "name", JNAME(m->name));
	jb_put(o, "kind", json_string(out_manifest_kind_str(m->kind)));
	jb_put(o, "offset", jb_off(m->offset));
	jb_put(o, "header_length", jb_int(m->header_len));
	jb_put(o, "size", jb_int(m->size));
	jb_put(o, "header_version", jb_hex(m->header_version, 8));
	jb_put(o, "flags", jb_hex(m->flags, 8));
	jb_put(o, "vendor", jb_hex(m->vendor, 4));
	if (m->date) {
		char d[16];
		snprintf(d, sizeof(d), "%04x-%02x-%02x", m->date >> 16, m->date >> 8 & 0xFF,
			 m->date & 0xFF);
		jb_put(o, "date", json_string(d));
	} else {
		jb_put(o, "date", json_null());
	}
	jb_put(o, "version", jver(&m->version));
	jb_put(o, "svn", jb_int(m->svn));
	jb_put(o, "vcn", m->vcn_known ? jb_int(m->vcn) : json_null());
	jb_put(o, "module_count", jb_int(m->module_count));
	jb_put(o, "modulus_offset", jb_int(m->modulus_offset));
	jb_put(o, "exponent_offset", jb_int(m->exponent_offset));
	jb_put(o, "signature_offset", jb_int(m->signature_offset));
	jb_put(o, "key_bytes", jb_int(m->key_bytes));
	jb_put(o, "key", j_key(&m->key));
	json_t *s = json_object();
	if (s) {
		jb_put(s, "status", json_string(amt_sig_status_str(m->sig)));
		jb_put(s, "detail", jmsg(m->sig_detail));
		jb_put(s, "pss_salt_length", m->pss_salt_len >= 0 ? json_integer(m->pss_salt_len)
							       : json_null());
	}
	jb_put(o, "signature", s);
	return o;
}

static json_t *j_partition(const struct amt_partition *p)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	jb_put(o, "name", JNAME(p->name));
	jb_put(o, "owner", JNAME(p->owner));
	jb_put(o, "container", json_string(out_container_str(p->container)));
	jb_put(o, "type", jb_int(p->type));
	jb_put(o, "type_name", p->container == AMT_CONT_FPT ? json_string(amt_fpt_type_str(p->type))
							 : json_null());
	jb_put(o, "raw_flags", jb_hex(p->raw_flags, 8));
	jb_put(o, "entry_offset", jb_off(p->entry_offset));
	jb_put(o, "offset", jb_int(p->offset));
	jb_put(o, "size", jb_int(p->size));
	jb_put(o, "valid", json_boolean(p->valid));
	jb_put(o, "empty", json_boolean(p->empty));
	jb_put(o, "in_range", json_boolean(p->in_range));
	jb_put(o, "manifest", p->manifest >= 0 ? json_integer(p->manifest) : json_null());
	if (p->has_cpd) {
		json_t *c = json_object();
		if (c) {
			jb_put(c, "offset", jb_int(p->cpd_offset));
			jb_put(c, "version", jb_int(p->cpd_version));
			jb_put(c, "entries", jb_int(p->cpd_entries));
		}
		jb_put(o, "cpd", c);
	} else {
		jb_put(o, "cpd", json_null());
	}
	jb_put(o, "first_module", jb_int(p->first_module));
	jb_put(o, "module_count", jb_int(p->nmodules));
	jb_put(o, "kept", json_boolean(p->kept));
	return o;
}

static json_t *j_module(const struct amt_module *m)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	jb_put(o, "name", JNAME(m->name));
	jb_put(o, "partition", JNAME(m->partition));
	jb_put(o, "kind", json_string(out_module_kind_str(m->kind)));
	jb_put(o, "header_offset", jb_off(m->header_offset));
	jb_put(o, "offset", jb_int(m->offset));
	jb_put(o, "size", jb_int(m->size));
	jb_put(o, "uncompressed_size", m->usize ? jb_int(m->usize) : json_null());
	jb_put(o, "compression", json_string(amt_compression_str(m->comp)));
	jb_put(o, "flags", jb_hex(m->flags, 8));
	jb_put(o, "in_range", json_boolean(m->in_range));
	jb_put(o, "removable", jtri(m->removable));
	jb_put(o, "hap_boot", jtri(m->hap_boot));
	jb_put(o, "hash_ok", jtri(m->hash_ok));
	jb_put(o, "hash_unchecked", m->unchecked == AMT_UNCHECKED_NONE ? json_null() :
				 json_string(amt_unchecked_str(m->unchecked)));
	jb_put(o, "present", jtri(m->present));
	jb_put(o, "kept", json_boolean(m->kept));
	return o;
}

static json_t *j_check(const struct amt_check *c)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	jb_put(o, "what", jmsg(c->what));
	jb_put(o, "offset", jb_off(c->offset));
	jb_put(o, "result", json_string(out_check_result(c->ok)));
	if (c->hash_len) {
		/* whole digests, as little-endian numbers like the other values
		 * (and MEA): the CSE stores digests byte-reversed, so this is the
		 * digest as sha256sum prints it */
		char b[2 * 48 + 3];
		jb_put(o, "stored", json_string(out_hash_le(c->stored_hash, c->hash_len, b)));
		jb_put(o, "computed", json_string(out_hash_le(c->computed_hash, c->hash_len, b)));
	} else {
		jb_put(o, "stored", jb_hex(c->stored, 1));
		jb_put(o, "computed", jb_hex(c->computed, 1));
	}
	jb_put(o, "note", jmsg(c->note));
	return o;
}

static json_t *j_fpt(const struct amt_fpt *f)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	jb_put(o, "offset", jb_int(f->offset));
	jb_put(o, "rom_bypass_offset", jb_off(f->romb_offset));
	jb_put(o, "entries", jb_int(f->nentries));
	jb_put(o, "header_version", jb_hex(f->header_version, 2));
	jb_put(o, "entry_version", jb_hex(f->entry_version, 2));
	jb_put(o, "header_length", jb_int(f->header_len));
	jb_put(o, "checksum", jb_hex(f->checksum, 2));
	jb_put(o, "crc32", jb_hex(f->crc32, 8));
	jb_put(o, "flags", jb_hex(f->flags, 8));
	jb_put(o, "fit_version", jver(&f->fit_version));
	return o;
}

static json_t *j_ifwi(const struct amt_ifwi *w)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	jb_put(o, "has_layout", json_boolean(w->has_layout));
	jb_put(o, "layout_offset", w->has_layout ? jb_int(w->layout_offset) : json_null());
	jb_put(o, "layout_version", w->has_layout ? jb_int(w->layout_version) : json_null());
	jb_put(o, "data_offset", w->has_layout ? jb_int(w->data_offset) : json_null());
	jb_put(o, "data_size", w->has_layout ? jb_int(w->data_size) : json_null());
	json_t *b = json_array();
	for (unsigned i = 0; b && i < w->nboot && i < 5; i++) {
		json_t *e = json_object();
		if (!e) {
			jb_oom = true;
			break;
		}
		jb_put(e, "offset", jb_int(w->boot_offset[i]));
		jb_put(e, "size", jb_int(w->boot_size[i]));
		jb_add(b, e);
	}
	jb_put(o, "boot_partitions", b);
	json_t *bp = json_array();
	for (unsigned i = 0; bp && i < w->nbpdt && i < 8; i++)
		jb_add(bp, jb_int(w->bpdt_offset[i]));
	jb_put(o, "bpdt_offsets", bp);
	jb_put(o, "bpdt_version", w->nbpdt ? jb_int(w->bpdt_version) : json_null());
	bool v17 = w->has_layout && w->layout_version == 17;
	jb_put(o, "layout_size", v17 ? jb_int(w->layout_size) : json_null());
	jb_put(o, "redundancy", json_boolean(v17 && w->redundancy));
	json_t *tp = json_null(), *el = json_null();
	if (v17 && w->temp_size) {
		tp = json_object();
		if (tp) {
			jb_put(tp, "offset", jb_int(w->temp_offset));
			jb_put(tp, "size", jb_int(w->temp_size));
		}
	}
	if (v17 && w->elog_size) {
		el = json_object();
		if (el) {
			jb_put(el, "offset", jb_int(w->elog_offset));
			jb_put(el, "size", jb_int(w->elog_size));
		}
	}
	jb_put(o, "temp_pages", tp);
	jb_put(o, "elog", el);
	jb_put(o, "bpdt_flags", w->nbpdt ? jb_hex(w->bpdt_flags, 2) : json_null());
	jb_put(o, "bpdt_ifwi_version", w->nbpdt ? jb_hex(w->bpdt_ifwi_version, 8) : json_null());
	jb_put(o, "bpdt_fit_version", w->nbpdt ? jver(&w->bpdt_fit_version) : json_null());
	return o;
}

static json_t *j_cse(const struct amt_cse_info *c)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	if (c->has_skucaps) {
		json_t *s = json_object();
		if (s) {
			jb_put(s, "fwsku_caps", jb_hex(c->fwsku_caps, 8));
			jb_put(s, "fwsku_attrib", jb_hex(c->fwsku_attrib, 16));
			jb_put(s, "sku_type", json_integer(c->sku_type));
			jb_put(s, "sku_platform", c->sku_platform >= 0 ? json_integer(c->sku_platform)
								    : json_null());
		}
		jb_put(o, "skucaps", s);
	} else {
		jb_put(o, "skucaps", json_null());
	}
	if (c->has_pkg_info) {
		json_t *p = json_object();
		if (p) {
			jb_put(p, "fw_type", json_integer(c->fw_type));
			jb_put(p, "fw_sku", json_integer(c->fw_sku));
		}
		jb_put(o, "package_info", p);
	} else {
		jb_put(o, "package_info", json_null());
	}
	json_t *in = json_array();
	for (size_t i = 0; in && c->init && i < c->ninit; i++) {
		const struct amt_init_entry *e = &c->init[i];
		json_t *j = json_object();
		if (!j) {
			jb_oom = true;
			break;
		}
		jb_put(j, "partition", JNAME(e->partition));
		jb_put(j, "module", JNAME(e->module));
		jb_put(j, "init_flags", jb_hex(e->init_flags, 8));
		jb_put(j, "boot_flags", jb_hex(e->boot_flags, 8));
		jb_add(in, j);
	}
	jb_put(o, "init", in);
	return o;
}

static json_t *j_keep(const struct amt_fw *fw, const struct out_opts *oo)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	jb_put(o, "code_bytes", jb_int(fw->code_bytes));
	jb_put(o, "kept_bytes", jb_int(fw->kept_bytes));
	jb_put(o, "kept_percent", fw->code_bytes ? json_real(100.0 * (double)fw->kept_bytes /
							  (double)fw->code_bytes)
					      : json_null());
	uint64_t min = oo && oo->min_region_known ? oo->min_region_size : 0;
	jb_put(o, "min_region_size", min ? jb_int(min) : json_null());
	json_t *kp = json_array(), *km = json_array();
	for (size_t i = 0; kp && i < fw->npartitions; i++)
		if (fw->partitions[i].kept)
			jb_add(kp, JNAME(fw->partitions[i].name));
	for (size_t i = 0; km && i < fw->nmodules; i++) {
		const struct amt_module *m = &fw->modules[i];
		if (!m->kept)
			continue;
		json_t *e = json_object();
		if (!e) {
			jb_oom = true;
			break;
		}
		jb_put(e, "partition", JNAME(m->partition));
		jb_put(e, "name", JNAME(m->name));
		jb_add(km, e);
	}
	jb_put(o, "partitions", kp);
	jb_put(o, "modules", km);
	return o;
}

static json_t *j_firmware(const struct amt_fw *fw, const struct out_opts *oo)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	jb_put(o, "layout", json_string(out_layout_key(fw->layout)));
	jb_put(o, "layout_description", json_string(amt_layout_str(fw->layout)));
	jb_put(o, "generation", json_integer(fw->generation));
	jb_put(o, "family", json_string(amt_family_str(fw->family)));
	jb_put(o, "version", fw->version_known ? jver(&fw->version) : json_null());
	json_t *rg = json_object();
	if (rg) {
		jb_put(rg, "offset", jb_int(fw->region_offset));
		jb_put(rg, "size", jb_int(fw->region_size));
	}
	jb_put(o, "region", rg);
	jb_put(o, "fpt", fw->has_fpt ? j_fpt(&fw->fpt) : json_null());
	jb_put(o, "ifwi", j_ifwi(&fw->ifwi));
	json_t *sku = json_object();
	if (sku) {
		jb_put(sku, "known", json_boolean(fw->sku_known));
		jb_put(sku, "name", fw->sku_known ? jmsg(fw->sku) : json_null());
		jb_put(sku, "raw", jb_hex(fw->sku_raw, 1));
		jb_put(sku, "bytes", fw->sku_nbytes ? jhexb(fw->sku_bytes, fw->sku_nbytes) : json_null());
		jb_put(sku, "bytes_offset", fw->sku_nbytes ? jb_int(fw->sku_offset) : json_null());
		static const char *const psrc[] = {
			[AMT_SKUPLAT_NONE] = NULL, [AMT_SKUPLAT_ATTRIB] = "fwsku-attrib",
			[AMT_SKUPLAT_KERNEL] = "kernel", [AMT_SKUPLAT_CAPS] = "fwsku-caps",
		};
		const char *ps = (unsigned)fw->sku_platform_source < sizeof(psrc) / sizeof(psrc[0]) ?
				 psrc[fw->sku_platform_source] : NULL;
		jb_put(sku, "platform_source", ps ? json_string(ps) : json_null());
	}
	jb_put(o, "sku", sku);
	jb_put(o, "vcn", fw->vcn_known ? jb_int(fw->vcn) : json_null());
	json_t *rel = json_object();
	if (rel) {
		jb_put(rel, "name", json_string(amt_release_str(fw->release)));
		json_t *why = json_array();
		static const struct { unsigned bit; const char *key; } rw[] = {
			{ AMT_RELWHY_DEBUG_FLAG, "debug-flag" }, { AMT_RELWHY_PRE_KEY, "preproduction-key" },
			{ AMT_RELWHY_ROMB, "rom-bypass" },
		};
		for (size_t i = 0; why && i < sizeof(rw) / sizeof(rw[0]); i++)
			if (fw->release_why & rw[i].bit)
				jb_add(why, json_string(rw[i].key));
		jb_put(rel, "why", why);
	}
	jb_put(o, "release", rel);
	json_t *ty = json_object();
	if (ty) {
		static const char *const rules[] = {
			[AMT_FWTR_NONE] = NULL, [AMT_FWTR_UPDATE_FILE] = "update-file",
			[AMT_FWTR_UPDATE_PARTITIONS] = "update-partitions", [AMT_FWTR_IFWI] = "ifwi",
			[AMT_FWTR_SPS] = "sps", [AMT_FWTR_FIT_VERSION] = "fit-version",
			[AMT_FWTR_CLEAN_FPT] = "clean-fpt", [AMT_FWTR_FOVD] = "fovd",
			[AMT_FWTR_FIT_PLACEHOLDER] = "fit-placeholder",
			[AMT_FWTR_ROMB_ERASED] = "romb-erased", [AMT_FWTR_KRND] = "fitc-config",
			[AMT_FWTR_NO_KRND] = "no-fitc-config", [AMT_FWTR_MINIFAD] = "minifad",
		};
		const char *r = (unsigned)fw->fw_type_rule < sizeof(rules) / sizeof(rules[0]) ?
				rules[fw->fw_type_rule] : NULL;
		jb_put(ty, "name", json_string(amt_fw_type_str(fw->fw_type)));
		jb_put(ty, "rule", r ? json_string(r) : json_null());
	}
	jb_put(o, "image_type", ty);
	json_t *ov = json_array();
	for (size_t i = 0; ov && i < fw->nlayout_overlaps; i++) {
		const struct amt_layout_overlap *lo = &fw->layout_overlaps[i];
		json_t *e = json_object();
		if (!e) {
			jb_oom = true;
			break;
		}
		jb_put(e, "a", JNAME(fw->partitions[lo->a].name));
		jb_put(e, "b", JNAME(fw->partitions[lo->b].name));
		jb_put(e, "start", jb_int(lo->start));
		jb_put(e, "end", jb_int(lo->end));
		jb_put(e, "why", json_string(lo->why == AMT_OVL_FTUP ? "ftup" : "dlmp"));
		jb_put(e, "description", json_string(amt_overlap_why_str(lo->why)));
		jb_add(ov, e);
	}
	jb_put(o, "layout_overlaps", ov);
	json_t *amt = json_object();
	if (amt) {
		jb_put(amt, "present", jtri(fw->amt_present));
		json_t *ev = json_array();
		for (size_t i = 0; ev && i < fw->namt_evidence; i++)
			jb_add(ev, jmsg(fw->amt_evidence[i].text));
		jb_put(amt, "evidence", ev);
	}
	jb_put(o, "amt", amt);
	jb_put(o, "stripped", json_boolean(fw->stripped));
	jb_put(o, "cse", j_cse(&fw->cse));
	jb_put(o, "ftpr_manifest", fw->ftpr_manifest >= 0 ? json_integer(fw->ftpr_manifest)
						       : json_null());
	jb_put(o, "signing_key", fw->key ? j_key(fw->key) : json_null());

	json_t *a = json_array();
	for (size_t i = 0; a && i < fw->nmanifests; i++)
		jb_add(a, j_manifest(&fw->manifests[i], i));
	jb_put(o, "manifests", a);
	a = json_array();
	for (size_t i = 0; a && i < fw->npartitions; i++)
		jb_add(a, j_partition(&fw->partitions[i]));
	jb_put(o, "partitions", a);
	a = json_array();
	for (size_t i = 0; a && i < fw->nmodules; i++)
		jb_add(a, j_module(&fw->modules[i]));
	jb_put(o, "modules", a);
	a = json_array();
	for (size_t i = 0; a && i < fw->nchecks; i++)
		jb_add(a, j_check(&fw->checks[i]));
	jb_put(o, "checks", a);
	if (fw->has_llut) {
		json_t *l = json_object();
		if (l) {
			jb_put(l, "offset", jb_int(fw->llut_offset));
			jb_put(l, "chunks", jb_int(fw->llut_chunks));
			jb_put(l, "chunk_size", jb_int(fw->llut_chunk_size));
			jb_put(l, "address_base", jb_hex(fw->llut_addr_base, 8));
			jb_put(l, "spi_base", jb_hex(fw->llut_spi_base, 8));
		}
		jb_put(o, "llut", l);
	} else {
		jb_put(o, "llut", json_null());
	}
	jb_put(o, "neutralization", j_keep(fw, oo));
	return o;
}

static json_t *j_problems(const amt_error *v, size_t n)
{
	json_t *pr = json_array();
	for (size_t i = 0; pr && i < n; i++) {
		const amt_error *e = &v[i];
		json_t *p = json_object();
		if (!p) {
			jb_oom = true;
			break;
		}
		jb_put(p, "code", json_string(amt_status_str(e->code)));
		jb_put(p, "structure", jmsg(e->structure));
		jb_put(p, "offset", jb_off(e->offset));
		jb_put(p, "message", jmsg(e->message));
		jb_add(pr, p);
	}
	return pr;
}

json_t *out_json_image(const char *file, const struct amt_image *img,
		       const struct out_opts *opts)
{
	bool outer = jb_begin();
	json_t *doc = json_object();
	if (!doc) {
		jb_end(outer);
		return NULL;
	}
	jb_put(doc, "schema", json_string(OUT_INSPECT_SCHEMA));
	jb_put(doc, "version", json_integer(OUT_INSPECT_VERSION));
	jb_put(doc, "file", jmsg(file));
	jb_put(doc, "size", jb_int(img->size));
	json_t *in = json_object();
	if (in) {
		jb_put(in, "kind", json_string(out_kind_key(img->kind)));
		jb_put(in, "description", json_string(amt_input_kind_str(img->kind)));
		jb_put(in, "detail", jmsg(img->kind_detail));
	}
	jb_put(doc, "input", in);
	jb_put(doc, "signatures_verified", json_boolean(opts->verify));
	jb_put(doc, "descriptor", img->has_ifd ? j_descriptor(img, opts) : json_null());
	jb_put(doc, "firmware", img->has_fw ? j_firmware(&img->fw, opts) : json_null());
	jb_put(doc, "remains", render_remains_json(img));
	jb_put(doc, "problems", j_problems(img->problems, img->nproblems));
	json_t *tr = json_null();
	if (img->truncated_to) {
		tr = json_object();
		if (tr) {
			jb_put(tr, "declared_size", jb_int(img->truncated_to));
			jb_put(tr, "notes", j_problems(img->truncation_notes, img->ntruncation_notes));
		}
	}
	jb_put(doc, "truncation", tr);
	if (jb_end(outer)) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}
