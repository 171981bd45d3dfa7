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

/* ---- builders (json_object_set_new tolerates NULL values by failing;
 * an allocation failure is caught once at the end by a NULL check) ---- */

static _Thread_local bool oom;  /* per thread: inspect renders files in parallel */

static void put(json_t *o, const char *k, json_t *v)
{
	if (!v || json_object_set_new(o, k, v) < 0)
		oom = true;
}

static void add(json_t *a, json_t *v)
{
	if (!v || json_array_append_new(a, v) < 0)
		oom = true;
}

static json_t *jint(uint64_t v)
{
	/* offsets and sizes: inputs are at most 256 MiB, never near 2^63 */
	return json_integer(v > INT64_MAX ? INT64_MAX : (json_int_t)v);
}

static json_t *joff(uint64_t v)
{
	return v == AMT_NO_OFFSET ? json_null() : jint(v);
}

static json_t *jhex(uint64_t v, int digits)
{
	char b[24];
	snprintf(b, sizeof(b), "0x%0*" PRIx64, digits, v);
	return json_string(b);
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
			oom = true;
			break;
		}
		put(o, "id", json_integer(r));
		put(o, "name", json_string(amt_region_name(r)));
		put(o, "raw", jhex(rg->raw, 8));
		put(o, "used", json_boolean(rg->used));
		put(o, "in_file", json_boolean(rg->in_file));
		if (rg->used) {
			uint64_t size = rg->limit - rg->base + 1;
			put(o, "base", jint(rg->base));
			put(o, "limit", jint(rg->limit));
			put(o, "size", jint(size));
			put(o, "share_percent",
			    json_real(total ? 100.0 * (double)size / (double)total : 0.0));
		} else {
			put(o, "base", json_null());
			put(o, "limit", json_null());
			put(o, "size", json_null());
			put(o, "share_percent", json_null());
		}
		add(a, o);
	}
	return a;
}

static json_t *j_regionset(uint32_t mask)
{
	json_t *a = json_array();
	for (unsigned r = 0; a && r < 16; r++)
		if (mask >> r & 1)
			add(a, json_string(amt_region_name(r)));
	return a;
}

static json_t *j_straps(const uint32_t *v, unsigned n)
{
	json_t *a = json_array();
	for (unsigned i = 0; a && i < n && i < AMT_IFD_MAX_STRAPS; i++)
		add(a, jhex(v[i], 8));
	return a;
}

static json_t *j_disable(const struct amt_disable_bit *d)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	put(o, "kind", json_string(amt_disable_kind_str(d->kind)));
	put(o, "located", json_boolean(d->located));
	put(o, "state", jtri(d->state));
	json_t *locs = json_array();
	for (unsigned i = 0; locs && d->located && i < d->nloc && i < 2; i++) {
		const struct amt_strap_bit *b = &d->loc[i];
		json_t *l = json_object();
		if (!l) {
			oom = true;
			break;
		}
		put(l, "strap", JNAME(b->strap));
		put(l, "index", json_integer(b->index));
		put(l, "bit", json_integer(b->bit));
		put(l, "file_offset", jint(b->file_offset));
		put(l, "byte_bit", json_integer(b->byte_bit));
		put(l, "set", json_boolean(b->set));
		add(locs, l);
	}
	put(o, "locations", locs);
	put(o, "source", jmsg(d->source));
	put(o, "note", jmsg(d->note));
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
	put(pl, "known", json_boolean(known));
	put(pl, "key", row ? json_string(row->key) : json_null());
	put(pl, "name", known ? jmsg(pi->name) : json_null());
	put(pl, "status", json_string(amt_platform_status_str(pi->status)));
	put(pl, "confidence", json_string(amt_confidence_str(pi->confidence)));
	json_t *ev = json_array();
	static const struct { unsigned bit; const char *name; } evn[] = {
		{ AMT_PEV_GEOMETRY, "geometry" }, { AMT_PEV_STRAPS, "straps" },
		{ AMT_PEV_FIRMWARE, "firmware" }, { AMT_PEV_NAMED, "named" },
	};
	for (size_t i = 0; ev && i < sizeof(evn) / sizeof(evn[0]); i++)
		if (pi->evidence & evn[i].bit)
			add(ev, json_string(evn[i].name));
	put(pl, "evidence", ev);
	put(pl, "named", json_boolean(pi->named));
	put(pl, "expert_override", json_boolean(pi->expert_override));
	put(pl, "source", jmsg(pi->source));
	put(pl, "ambiguous", json_boolean(pi->ambiguous));
	put(pl, "why", jmsg(pi->why));
	put(pl, "override", opts->platform ? jmsg(opts->platform) : json_null());
	json_t *r = json_null();
	if (row) {
		r = json_object();
		if (r) {
			put(r, "firmware", jmsg(row->firmware));
			put(r, "fingerprint", jmsg(row->fingerprint));
			put(r, "fingerprint_source", jmsg(row->fingerprint_source));
			put(r, "straps", jmsg(row->straps));
			put(r, "straps_source", jmsg(row->straps_source));
			put(r, "hap_known", json_boolean(row->hap_known));
			put(r, "strap", row->hap_known ? json_integer(row->strap_index) : json_null());
			put(r, "bit", row->hap_known ? json_integer(row->bit) : json_null());
			put(r, "source", jmsg(row->source));
			put(r, "confidence", json_string(amt_confidence_str(row->confidence)));
			put(r, "doubtful", json_boolean(row->doubtful));
		} else {
			oom = true;
		}
	}
	put(pl, "row", r);
	json_t *cs = json_array();
	for (unsigned b = 1; cs && b <= AMT_HAPFX__ALL; b <<= 1) {
		if (!(pi->hap_consequences & b))
			continue;
		json_t *c = json_object();
		if (!c) {
			oom = true;
			break;
		}
		put(c, "text", jmsg(amt_hap_consequence_str(b)));
		put(c, "source", jmsg(amt_hap_consequence_source(b)));
		add(cs, c);
	}
	put(pl, "hap_consequences", cs);
	return pl;
}

static json_t *j_descriptor(const struct amt_image *img, const struct out_opts *opts)
{
	const struct amt_ifd *ifd = &img->ifd;
	json_t *o = json_object();
	if (!o)
		return NULL;
	put(o, "offset", jint(ifd->offset));
	put(o, "signature_offset", jint(ifd->sig_offset));
	put(o, "ifd_version", json_integer(ifd->version));
	put(o, "ich_layout", json_boolean(ifd->ich_layout));
	json_t *fl = json_array();
	for (unsigned i = 0; fl && i < 4; i++)
		add(fl, jhex(ifd->flmap[i], 8));
	put(o, "flmap", fl);
	put(o, "has_flmap3", json_boolean(ifd->has_flmap3));
	json_t *sec = json_object();
	if (sec) {
		put(sec, "fcba", jint(ifd->fcba));
		put(sec, "frba", jint(ifd->frba));
		put(sec, "fmba", jint(ifd->fmba));
		put(sec, "fpsba", jint(ifd->fpsba));
		put(sec, "fmsba", jint(ifd->fmsba));
	}
	put(o, "sections", sec);
	json_t *cnt = json_object();
	if (cnt) {
		put(cnt, "nc", json_integer(ifd->nc));
		put(cnt, "nr", json_integer(ifd->nr));
		put(cnt, "nm", json_integer(ifd->nm));
		put(cnt, "psl", json_integer(ifd->psl));
		put(cnt, "msl", json_integer(ifd->msl));
	}
	put(o, "counts", cnt);
	put(o, "flash_size", ifd->flash_size ? jint(ifd->flash_size) : json_null());
	put(o, "regions", j_regions(ifd, img->size - ifd->offset));
	json_t *ms = json_array();
	for (unsigned m = 0; ms && m < ifd->nmasters && m < AMT_IFD_MAX_MASTERS; m++) {
		json_t *mo = json_object();
		if (!mo) {
			oom = true;
			break;
		}
		put(mo, "index", json_integer(m + 1));
		put(mo, "raw", jhex(ifd->master[m].raw, 8));
		put(mo, "read", j_regionset(ifd->master[m].read));
		put(mo, "write", j_regionset(ifd->master[m].write));
		add(ms, mo);
	}
	put(o, "masters", ms);
	put(o, "extended_regions", json_boolean(ifd->extended_regions));
	put(o, "pch_straps", j_straps(ifd->pchstrp, ifd->npchstrp));
	put(o, "mch_straps", j_straps(ifd->mchstrp, ifd->nmchstrp));

	json_t *geo = json_object();
	if (geo) {
		put(geo, "flumap1", jhex(ifd->flumap1, 8));
		put(geo, "iccriba", json_integer(ifd->iccriba));
		put(geo, "csso", json_integer(ifd->csso));
		put(geo, "mdtba", json_integer(ifd->mdtba));
	}
	put(o, "geometry", geo);

	put(o, "platform", j_platform(&ifd->platform, opts));
	put(o, "disable_bit", j_disable(&ifd->disable));

	json_t *fdv = json_object();
	if (fdv) {
		put(fdv, "present", json_boolean(ifd->fdv.present));
		put(fdv, "manifest_offset",
		    ifd->fdv.present ? jint(ifd->fdv.manifest_offset) : json_null());
		json_t *ex = json_array();
		for (unsigned i = 0; ex && ifd->fdv.present && i < ifd->fdv.nexcl && i < 8; i++) {
			json_t *e = json_object();
			if (!e) {
				oom = true;
				break;
			}
			put(e, "start", json_integer(ifd->fdv.excl_start[i]));
			put(e, "end", json_integer(ifd->fdv.excl_end[i]));
			add(ex, e);
		}
		put(fdv, "exclusions", ex);
	}
	put(o, "fdv", fdv);
	return o;
}

/* ---- firmware -------------------------------------------------------- */

static json_t *j_key(const struct amt_key_info *k)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	put(o, "present", json_boolean(k->present));
	put(o, "modulus_bits", json_integer(k->modulus_bits));
	put(o, "exponent", json_integer(k->exponent));
	put(o, "modulus_sha256", k->present ? jhexb(k->modulus_sha256, 32) : json_null());
	put(o, "me_cleaner_md5", k->present ? jhexb(k->me_cleaner_md5, 16) : json_null());
	put(o, "stored_sha256", k->present ? jhexb(k->stored_sha256, 32) : json_null());
	put(o, "preproduction", json_boolean(k->present && k->preproduction));
	put(o, "known", json_boolean(k->known));
	put(o, "name", k->known ? jmsg(k->name) : json_null());
	put(o, "source", jmsg(k->source));
	return o;
}

static json_t *j_manifest(const struct amt_manifest *m, size_t index)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	put(o, "index", jint(index));
	put(o, "partition", JNAME(m->partition));
	put(o, "name", JNAME(m->name));
	put(o, "kind", json_string(out_manifest_kind_str(m->kind)));
	put(o, "offset", joff(m->offset));
	put(o, "header_length", jint(m->header_len));
	put(o, "size", jint(m->size));
	put(o, "header_version", jhex(m->header_version, 8));
	put(o, "flags", jhex(m->flags, 8));
	put(o, "vendor", jhex(m->vendor, 4));
	if (m->date) {
		char d[16];
		snprintf(d, sizeof(d), "%04x-%02x-%02x", m->date >> 16, m->date >> 8 & 0xFF,
			 m->date & 0xFF);
		put(o, "date", json_string(d));
	} else {
		put(o, "date", json_null());
	}
	put(o, "version", jver(&m->version));
	put(o, "svn", jint(m->svn));
	put(o, "vcn", m->vcn_known ? jint(m->vcn) : json_null());
	put(o, "module_count", jint(m->module_count));
	put(o, "modulus_offset", jint(m->modulus_offset));
	put(o, "exponent_offset", jint(m->exponent_offset));
	put(o, "signature_offset", jint(m->signature_offset));
	put(o, "key_bytes", jint(m->key_bytes));
	put(o, "key", j_key(&m->key));
	json_t *s = json_object();
	if (s) {
		put(s, "status", json_string(amt_sig_status_str(m->sig)));
		put(s, "detail", jmsg(m->sig_detail));
		put(s, "pss_salt_length", m->pss_salt_len >= 0 ? json_integer(m->pss_salt_len)
							       : json_null());
	}
	put(o, "signature", s);
	return o;
}

static json_t *j_partition(const struct amt_partition *p)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	put(o, "name", JNAME(p->name));
	put(o, "owner", JNAME(p->owner));
	put(o, "container", json_string(out_container_str(p->container)));
	put(o, "type", jint(p->type));
	put(o, "type_name", p->container == AMT_CONT_FPT ? json_string(amt_fpt_type_str(p->type))
							 : json_null());
	put(o, "raw_flags", jhex(p->raw_flags, 8));
	put(o, "entry_offset", joff(p->entry_offset));
	put(o, "offset", jint(p->offset));
	put(o, "size", jint(p->size));
	put(o, "valid", json_boolean(p->valid));
	put(o, "empty", json_boolean(p->empty));
	put(o, "in_range", json_boolean(p->in_range));
	put(o, "manifest", p->manifest >= 0 ? json_integer(p->manifest) : json_null());
	if (p->has_cpd) {
		json_t *c = json_object();
		if (c) {
			put(c, "offset", jint(p->cpd_offset));
			put(c, "version", jint(p->cpd_version));
			put(c, "entries", jint(p->cpd_entries));
		}
		put(o, "cpd", c);
	} else {
		put(o, "cpd", json_null());
	}
	put(o, "first_module", jint(p->first_module));
	put(o, "module_count", jint(p->nmodules));
	put(o, "kept", json_boolean(p->kept));
	return o;
}

static json_t *j_module(const struct amt_module *m)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	put(o, "name", JNAME(m->name));
	put(o, "partition", JNAME(m->partition));
	put(o, "kind", json_string(out_module_kind_str(m->kind)));
	put(o, "header_offset", joff(m->header_offset));
	put(o, "offset", jint(m->offset));
	put(o, "size", jint(m->size));
	put(o, "uncompressed_size", m->usize ? jint(m->usize) : json_null());
	put(o, "compression", json_string(amt_compression_str(m->comp)));
	put(o, "flags", jhex(m->flags, 8));
	put(o, "in_range", json_boolean(m->in_range));
	put(o, "removable", jtri(m->removable));
	put(o, "hap_boot", jtri(m->hap_boot));
	put(o, "hash_ok", jtri(m->hash_ok));
	put(o, "hash_unchecked", m->unchecked == AMT_UNCHECKED_NONE ? json_null() :
				 json_string(amt_unchecked_str(m->unchecked)));
	put(o, "present", jtri(m->present));
	put(o, "kept", json_boolean(m->kept));
	return o;
}

static json_t *j_check(const struct amt_check *c)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	put(o, "what", jmsg(c->what));
	put(o, "offset", joff(c->offset));
	put(o, "result", json_string(out_check_result(c->ok)));
	if (c->hash_len) {
		/* whole digests, as little-endian numbers like the other values
		 * (and MEA): the CSE stores digests byte-reversed, so this is the
		 * digest as sha256sum prints it */
		char b[2 * 48 + 3];
		put(o, "stored", json_string(out_hash_le(c->stored_hash, c->hash_len, b)));
		put(o, "computed", json_string(out_hash_le(c->computed_hash, c->hash_len, b)));
	} else {
		put(o, "stored", jhex(c->stored, 1));
		put(o, "computed", jhex(c->computed, 1));
	}
	put(o, "note", jmsg(c->note));
	return o;
}

static json_t *j_fpt(const struct amt_fpt *f)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	put(o, "offset", jint(f->offset));
	put(o, "rom_bypass_offset", joff(f->romb_offset));
	put(o, "entries", jint(f->nentries));
	put(o, "header_version", jhex(f->header_version, 2));
	put(o, "entry_version", jhex(f->entry_version, 2));
	put(o, "header_length", jint(f->header_len));
	put(o, "checksum", jhex(f->checksum, 2));
	put(o, "crc32", jhex(f->crc32, 8));
	put(o, "flags", jhex(f->flags, 8));
	put(o, "fit_version", jver(&f->fit_version));
	return o;
}

static json_t *j_ifwi(const struct amt_ifwi *w)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	put(o, "has_layout", json_boolean(w->has_layout));
	put(o, "layout_offset", w->has_layout ? jint(w->layout_offset) : json_null());
	put(o, "layout_version", w->has_layout ? jint(w->layout_version) : json_null());
	put(o, "data_offset", w->has_layout ? jint(w->data_offset) : json_null());
	put(o, "data_size", w->has_layout ? jint(w->data_size) : json_null());
	json_t *b = json_array();
	for (unsigned i = 0; b && i < w->nboot && i < 5; i++) {
		json_t *e = json_object();
		if (!e) {
			oom = true;
			break;
		}
		put(e, "offset", jint(w->boot_offset[i]));
		put(e, "size", jint(w->boot_size[i]));
		add(b, e);
	}
	put(o, "boot_partitions", b);
	json_t *bp = json_array();
	for (unsigned i = 0; bp && i < w->nbpdt && i < 8; i++)
		add(bp, jint(w->bpdt_offset[i]));
	put(o, "bpdt_offsets", bp);
	put(o, "bpdt_version", w->nbpdt ? jint(w->bpdt_version) : json_null());
	bool v17 = w->has_layout && w->layout_version == 17;
	put(o, "layout_size", v17 ? jint(w->layout_size) : json_null());
	put(o, "redundancy", json_boolean(v17 && w->redundancy));
	json_t *tp = json_null(), *el = json_null();
	if (v17 && w->temp_size) {
		tp = json_object();
		if (tp) {
			put(tp, "offset", jint(w->temp_offset));
			put(tp, "size", jint(w->temp_size));
		}
	}
	if (v17 && w->elog_size) {
		el = json_object();
		if (el) {
			put(el, "offset", jint(w->elog_offset));
			put(el, "size", jint(w->elog_size));
		}
	}
	put(o, "temp_pages", tp);
	put(o, "elog", el);
	put(o, "bpdt_flags", w->nbpdt ? jhex(w->bpdt_flags, 2) : json_null());
	put(o, "bpdt_ifwi_version", w->nbpdt ? jhex(w->bpdt_ifwi_version, 8) : json_null());
	put(o, "bpdt_fit_version", w->nbpdt ? jver(&w->bpdt_fit_version) : json_null());
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
			put(s, "fwsku_caps", jhex(c->fwsku_caps, 8));
			put(s, "fwsku_attrib", jhex(c->fwsku_attrib, 16));
			put(s, "sku_type", json_integer(c->sku_type));
			put(s, "sku_platform", c->sku_platform >= 0 ? json_integer(c->sku_platform)
								    : json_null());
		}
		put(o, "skucaps", s);
	} else {
		put(o, "skucaps", json_null());
	}
	if (c->has_pkg_info) {
		json_t *p = json_object();
		if (p) {
			put(p, "fw_type", json_integer(c->fw_type));
			put(p, "fw_sku", json_integer(c->fw_sku));
		}
		put(o, "package_info", p);
	} else {
		put(o, "package_info", json_null());
	}
	json_t *in = json_array();
	for (size_t i = 0; in && c->init && i < c->ninit; i++) {
		const struct amt_init_entry *e = &c->init[i];
		json_t *j = json_object();
		if (!j) {
			oom = true;
			break;
		}
		put(j, "partition", JNAME(e->partition));
		put(j, "module", JNAME(e->module));
		put(j, "init_flags", jhex(e->init_flags, 8));
		put(j, "boot_flags", jhex(e->boot_flags, 8));
		add(in, j);
	}
	put(o, "init", in);
	return o;
}

static json_t *j_keep(const struct amt_fw *fw, const struct out_opts *oo)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	put(o, "code_bytes", jint(fw->code_bytes));
	put(o, "kept_bytes", jint(fw->kept_bytes));
	put(o, "kept_percent", fw->code_bytes ? json_real(100.0 * (double)fw->kept_bytes /
							  (double)fw->code_bytes)
					      : json_null());
	uint64_t min = oo && oo->min_region_known ? oo->min_region_size : 0;
	put(o, "min_region_size", min ? jint(min) : json_null());
	json_t *kp = json_array(), *km = json_array();
	for (size_t i = 0; kp && i < fw->npartitions; i++)
		if (fw->partitions[i].kept)
			add(kp, JNAME(fw->partitions[i].name));
	for (size_t i = 0; km && i < fw->nmodules; i++) {
		const struct amt_module *m = &fw->modules[i];
		if (!m->kept)
			continue;
		json_t *e = json_object();
		if (!e) {
			oom = true;
			break;
		}
		put(e, "partition", JNAME(m->partition));
		put(e, "name", JNAME(m->name));
		add(km, e);
	}
	put(o, "partitions", kp);
	put(o, "modules", km);
	return o;
}

static json_t *j_firmware(const struct amt_fw *fw, const struct out_opts *oo)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	put(o, "layout", json_string(out_layout_key(fw->layout)));
	put(o, "layout_description", json_string(amt_layout_str(fw->layout)));
	put(o, "generation", json_integer(fw->generation));
	put(o, "family", json_string(amt_family_str(fw->family)));
	put(o, "version", fw->version_known ? jver(&fw->version) : json_null());
	json_t *rg = json_object();
	if (rg) {
		put(rg, "offset", jint(fw->region_offset));
		put(rg, "size", jint(fw->region_size));
	}
	put(o, "region", rg);
	put(o, "fpt", fw->has_fpt ? j_fpt(&fw->fpt) : json_null());
	put(o, "ifwi", j_ifwi(&fw->ifwi));
	json_t *sku = json_object();
	if (sku) {
		put(sku, "known", json_boolean(fw->sku_known));
		put(sku, "name", fw->sku_known ? jmsg(fw->sku) : json_null());
		put(sku, "raw", jhex(fw->sku_raw, 1));
		put(sku, "bytes", fw->sku_nbytes ? jhexb(fw->sku_bytes, fw->sku_nbytes) : json_null());
		put(sku, "bytes_offset", fw->sku_nbytes ? jint(fw->sku_offset) : json_null());
		static const char *const psrc[] = {
			[AMT_SKUPLAT_NONE] = NULL, [AMT_SKUPLAT_ATTRIB] = "fwsku-attrib",
			[AMT_SKUPLAT_KERNEL] = "kernel", [AMT_SKUPLAT_CAPS] = "fwsku-caps",
		};
		const char *ps = (unsigned)fw->sku_platform_source < sizeof(psrc) / sizeof(psrc[0]) ?
				 psrc[fw->sku_platform_source] : NULL;
		put(sku, "platform_source", ps ? json_string(ps) : json_null());
	}
	put(o, "sku", sku);
	put(o, "vcn", fw->vcn_known ? jint(fw->vcn) : json_null());
	json_t *rel = json_object();
	if (rel) {
		put(rel, "name", json_string(amt_release_str(fw->release)));
		json_t *why = json_array();
		static const struct { unsigned bit; const char *key; } rw[] = {
			{ AMT_RELWHY_DEBUG_FLAG, "debug-flag" }, { AMT_RELWHY_PRE_KEY, "preproduction-key" },
			{ AMT_RELWHY_ROMB, "rom-bypass" },
		};
		for (size_t i = 0; why && i < sizeof(rw) / sizeof(rw[0]); i++)
			if (fw->release_why & rw[i].bit)
				add(why, json_string(rw[i].key));
		put(rel, "why", why);
	}
	put(o, "release", rel);
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
		put(ty, "name", json_string(amt_fw_type_str(fw->fw_type)));
		put(ty, "rule", r ? json_string(r) : json_null());
	}
	put(o, "image_type", ty);
	json_t *ov = json_array();
	for (size_t i = 0; ov && i < fw->nlayout_overlaps; i++) {
		const struct amt_layout_overlap *lo = &fw->layout_overlaps[i];
		json_t *e = json_object();
		if (!e) {
			oom = true;
			break;
		}
		put(e, "a", JNAME(fw->partitions[lo->a].name));
		put(e, "b", JNAME(fw->partitions[lo->b].name));
		put(e, "start", jint(lo->start));
		put(e, "end", jint(lo->end));
		put(e, "why", json_string(lo->why == AMT_OVL_FTUP ? "ftup" : "dlmp"));
		put(e, "description", json_string(amt_overlap_why_str(lo->why)));
		add(ov, e);
	}
	put(o, "layout_overlaps", ov);
	json_t *amt = json_object();
	if (amt) {
		put(amt, "present", jtri(fw->amt_present));
		json_t *ev = json_array();
		for (size_t i = 0; ev && i < fw->namt_evidence; i++)
			add(ev, jmsg(fw->amt_evidence[i].text));
		put(amt, "evidence", ev);
	}
	put(o, "amt", amt);
	put(o, "stripped", json_boolean(fw->stripped));
	put(o, "cse", j_cse(&fw->cse));
	put(o, "ftpr_manifest", fw->ftpr_manifest >= 0 ? json_integer(fw->ftpr_manifest)
						       : json_null());
	put(o, "signing_key", fw->key ? j_key(fw->key) : json_null());

	json_t *a = json_array();
	for (size_t i = 0; a && i < fw->nmanifests; i++)
		add(a, j_manifest(&fw->manifests[i], i));
	put(o, "manifests", a);
	a = json_array();
	for (size_t i = 0; a && i < fw->npartitions; i++)
		add(a, j_partition(&fw->partitions[i]));
	put(o, "partitions", a);
	a = json_array();
	for (size_t i = 0; a && i < fw->nmodules; i++)
		add(a, j_module(&fw->modules[i]));
	put(o, "modules", a);
	a = json_array();
	for (size_t i = 0; a && i < fw->nchecks; i++)
		add(a, j_check(&fw->checks[i]));
	put(o, "checks", a);
	if (fw->has_llut) {
		json_t *l = json_object();
		if (l) {
			put(l, "offset", jint(fw->llut_offset));
			put(l, "chunks", jint(fw->llut_chunks));
			put(l, "chunk_size", jint(fw->llut_chunk_size));
			put(l, "address_base", jhex(fw->llut_addr_base, 8));
			put(l, "spi_base", jhex(fw->llut_spi_base, 8));
		}
		put(o, "llut", l);
	} else {
		put(o, "llut", json_null());
	}
	put(o, "neutralization", j_keep(fw, oo));
	return o;
}

static json_t *j_problems(const amt_error *v, size_t n)
{
	json_t *pr = json_array();
	for (size_t i = 0; pr && i < n; i++) {
		const amt_error *e = &v[i];
		json_t *p = json_object();
		if (!p) {
			oom = true;
			break;
		}
		put(p, "code", json_string(amt_status_str(e->code)));
		put(p, "structure", jmsg(e->structure));
		put(p, "offset", joff(e->offset));
		put(p, "message", jmsg(e->message));
		add(pr, p);
	}
	return pr;
}

json_t *out_json_image(const char *file, const struct amt_image *img,
		       const struct out_opts *opts)
{
	oom = false;
	json_t *doc = json_object();
	if (!doc)
		return NULL;
	put(doc, "schema", json_string(OUT_INSPECT_SCHEMA));
	put(doc, "version", json_integer(OUT_INSPECT_VERSION));
	put(doc, "file", jmsg(file));
	put(doc, "size", jint(img->size));
	json_t *in = json_object();
	if (in) {
		put(in, "kind", json_string(out_kind_key(img->kind)));
		put(in, "description", json_string(amt_input_kind_str(img->kind)));
		put(in, "detail", jmsg(img->kind_detail));
	}
	put(doc, "input", in);
	put(doc, "signatures_verified", json_boolean(opts->verify));
	put(doc, "descriptor", img->has_ifd ? j_descriptor(img, opts) : json_null());
	put(doc, "firmware", img->has_fw ? j_firmware(&img->fw, opts) : json_null());
	put(doc, "remains", render_remains_json(img));
	put(doc, "problems", j_problems(img->problems, img->nproblems));
	json_t *tr = json_null();
	if (img->truncated_to) {
		tr = json_object();
		if (tr) {
			put(tr, "declared_size", jint(img->truncated_to));
			put(tr, "notes", j_problems(img->truncation_notes, img->ntruncation_notes));
		}
	}
	put(doc, "truncation", tr);
	if (oom) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}
