/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * JSON of the decisions: "amtless-verify" (doc/verify.schema.json) from the
 * verification report, and "amtless-neutralize" (doc/neutralize.schema.json)
 * from a neutralization: its plan (the edits, what is removed and kept, the
 * disable bit before -> after), its typed outcome and the verification of
 * its output (the same object as verify's "report").
 */
#include <string.h>

#include "out.h"
#include "result_json.h"

struct jb {
	bool oom;
};

static void put(struct jb *b, json_t *o, const char *k, json_t *v)
{
	if (!o || !v || json_object_set_new(o, k, v) != 0)
		b->oom = true;
}

static void add(struct jb *b, json_t *a, json_t *v)
{
	if (!a || !v || json_array_append_new(a, v) != 0)
		b->oom = true;
}

static json_t *jint(uint64_t v)
{
	return json_integer((json_int_t)v);
}

static json_t *jtri(amt_tristate t)
{
	return t == AMT_YES ? json_true() : t == AMT_NO ? json_false() : json_null();
}

static json_t *jversion(bool known, const struct amt_version *v)
{
	char s[64];
	return known ? json_string(amt_version_fmt(v, s, sizeof(s))) : json_null();
}

static const char *verdict_key(amt_verdict v)
{
	return amt_verdict_str(v);
}

static const char *finding_key(amt_finding_kind k)
{
	switch (k) {
	case AMT_F_PARSE: return "parse";
	case AMT_F_STRUCTURE: return "structure";
	case AMT_F_NO_FIRMWARE: return "no-firmware";
	case AMT_F_NO_FTPR: return "no-ftpr";
	case AMT_F_SIGNATURE: return "signature";
	case AMT_F_CHECKSUM: return "checksum";
	case AMT_F_MODULE_HASH: return "module-hash";
	case AMT_F_REGIONS: return "regions";
	case AMT_F_DIFF_BOUND: return "diff-bound";
	case AMT_F_KEPT_CHANGED: return "kept-changed";
	case AMT_F_KEPT_UNKNOWN: return "kept-unknown";
	case AMT_F_DISABLE_BIT: return "disable-bit";
	case AMT_F_NOT_REMOVED: return "not-removed";
	case AMT_F_NOT_WIPED: return "not-wiped";
	case AMT_F_SIGNATURE_LOST: return "signature-lost";
	case AMT_F_SIZE: return "size";
	case AMT_F_EXTRACT: return "extract";
	case AMT_N_OVERLAP: return "overlap";
	case AMT_N_UNVERIFIED: return "unverified";
	case AMT_N_REMOVED_HASH: return "removed-hash";
	case AMT_N_STRIPPED_PARTITION_HASH: return "stripped-partition-hash";
	case AMT_N_TRUNCATED: return "truncated";
	case AMT_N_SHRUNK: return "shrunk";
	case AMT_N_ERASED: return "erased";
	case AMT_N_SIGNATURE_UNCHECKED: return "signature-unchecked";
	case AMT_N_STRUCTURE: return "structure-note";
	case AMT_N_DISABLE_UNLOCATED: return "disable-unlocated";
	case AMT_N_PARTITION_HASH: return "partition-hash";
	case AMT_N_REGIONS: return "regions-note";
	}
	return "other";
}

static json_t *j_findings(struct jb *b, const struct amt_finding *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++) {
		const struct amt_finding *f = &v[i];
		json_t *o = json_object();
		put(b, o, "kind", json_string(finding_key(f->kind)));
		put(b, o, "structure", out_json_str(f->structure, sizeof(f->structure), OUT_MSG));
		put(b, o, "offset", f->offset == AMT_NO_OFFSET ? json_null() : jint(f->offset));
		put(b, o, "name", out_json_str(f->name, sizeof(f->name), OUT_NAME));
		put(b, o, "message", out_json_str(f->message, sizeof(f->message), OUT_MSG));
		add(b, a, o);
	}
	if (!a)
		b->oom = true;
	return a;
}

static json_t *j_bitloc(struct jb *b, const struct amt_strap_bit *loc, unsigned n)
{
	json_t *a = json_array();
	for (unsigned i = 0; a && i < n && i < 2; i++) {
		json_t *o = json_object();
		put(b, o, "strap", out_json_str(loc[i].strap, sizeof(loc[i].strap), OUT_NAME));
		put(b, o, "bit", jint(loc[i].bit));
		put(b, o, "file_offset", jint(loc[i].file_offset));
		put(b, o, "byte_bit", jint(loc[i].byte_bit));
		add(b, a, o);
	}
	if (!a)
		b->oom = true;
	return a;
}

static json_t *j_code(struct jb *b, const struct amt_code_measure *m)
{
	if (!m->known)
		return json_null();
	json_t *o = json_object();
	put(b, o, "scope", json_string(out_code_scope_key(m->scope)));
	put(b, o, "total_bytes", jint(m->total));
	put(b, o, "kept_bytes", jint(m->kept));
	put(b, o, "kept_percent", json_real(m->total ? 100.0 * (double)m->kept / (double)m->total : 0.0));
	put(b, o, "modules", jint(m->nmodules));
	put(b, o, "modules_kept", jint(m->nkept));
	return o;
}

json_t *out_json_report(const struct amt_report *r)
{
	struct jb b = { 0 };
	json_t *o = json_object();
	put(&b, o, "verdict", json_string(verdict_key(r->verdict)));
	put(&b, o, "safe_to_flash", json_boolean(r->verdict != AMT_VERDICT_PROBLEMS));
	put(&b, o, "input_kind", json_string(out_kind_key(r->kind)));
	put(&b, o, "parses", json_boolean(r->parses));
	json_t *fw = json_null();
	if (r->has_fw) {
		fw = json_object();
		put(&b, fw, "family", json_string(amt_family_str(r->family)));
		put(&b, fw, "version", jversion(r->version_known, &r->version));
		put(&b, fw, "sku", r->sku[0] ? out_json_str(r->sku, sizeof(r->sku), OUT_NAME) : json_null());
		put(&b, fw, "ftpr_signature", json_string(amt_sig_status_str(r->ftpr_sig)));
	}
	put(&b, o, "firmware", fw);
	put(&b, o, "amt_present", jtri(r->amt_present));
	json_t *db = json_object();
	put(&b, db, "in_file", json_boolean(r->has_descriptor));
	put(&b, db, "located", json_boolean(r->disable_located));
	put(&b, db, "kind", r->disable_located ? json_string(amt_disable_kind_str(r->disable_kind)) :
		json_null());
	put(&b, db, "locations", j_bitloc(&b, r->disable_loc, r->disable_located ? r->ndisable : 0));
	put(&b, db, "set", jtri(r->disable_bit));
	put(&b, o, "disable_bit", db);
	put(&b, o, "me_region_disabled", json_boolean(r->me_region_disabled));
	put(&b, o, "wiped", json_boolean(r->wiped));
	put(&b, o, "stripped", json_boolean(r->stripped));
	put(&b, o, "code", j_code(&b, &r->code));
	json_t *c = json_object();
	put(&b, c, "signatures", jint(r->nsignatures));
	put(&b, c, "signatures_valid", jint(r->nsignatures_valid));
	put(&b, c, "checks", jint(r->nchecks));
	put(&b, c, "checks_ok", jint(r->nchecks_ok));
	put(&b, c, "modules", jint(r->nmodules));
	put(&b, c, "modules_holding_code", jint(r->nmodules_code));
	put(&b, c, "modules_hash_ok", jint(r->nmodules_hash_ok));
	put(&b, c, "modules_unverified", jint(r->nmodules_unverified));
	put(&b, c, "modules_removed", jint(r->nmodules_removed));
	put(&b, o, "counts", c);
	put(&b, o, "problems", j_findings(&b, r->findings, r->nfindings));
	put(&b, o, "notes", j_findings(&b, r->notes, r->nnotes));
	json_t *mods = json_array();
	for (size_t i = 0; mods && i < r->nmods; i++) {
		const struct amt_report_module *m = &r->mods[i];
		json_t *mo = json_object();
		put(&b, mo, "name", out_json_str(m->name, sizeof(m->name), OUT_NAME));
		put(&b, mo, "partition", out_json_str(m->partition, sizeof(m->partition), OUT_NAME));
		put(&b, mo, "compression", json_string(amt_compression_str(m->comp)));
		put(&b, mo, "size", jint(m->size));
		put(&b, mo, "unpacked_size", m->usize ? jint(m->usize) : json_null());
		put(&b, mo, "holds_code", jtri(m->present));
		put(&b, mo, "hash_ok", jtri(m->hash_ok));
		put(&b, mo, "boot", json_boolean(m->boot));
		add(&b, mods, mo);
	}
	put(&b, o, "modules", mods);
	if (b.oom) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *out_json_verify(const char *file, const struct amt_report *r)
{
	struct jb b = { 0 };
	json_t *doc = json_object();
	put(&b, doc, "schema", json_string(OUT_VERIFY_SCHEMA));
	put(&b, doc, "version", json_integer(OUT_VERIFY_VERSION));
	put(&b, doc, "file", out_json_str(file, strlen(file), OUT_MSG));
	put(&b, doc, "report", out_json_report(r));
	if (b.oom) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

static const char *outcome_key(amt_neu_outcome o)
{
	switch (o) {
	case AMT_NEU_OUTCOME_CHANGED: return "changed";
	case AMT_NEU_OUTCOME_ALREADY_DONE: return "already-done";
	case AMT_NEU_OUTCOME_CHECK_ONLY:
	case AMT_NEU_OUTCOME_PLANNED: return "check-only";
	case AMT_NEU_OUTCOME_NONE: break;
	}
	return "not-written";
}

static const char *edit_kind_key(amt_edit_kind k)
{
	switch (k) {
	case AMT_EDIT_WRITE: return "write";
	case AMT_EDIT_FILL: return "fill";
	case AMT_EDIT_MOVE: return "move";
	case AMT_EDIT_RESIZE: return "resize";
	}
	return "other";
}

static const char *edit_why_key(amt_edit_why w)
{
	switch (w) {
	case AMT_W_DISABLE_BIT: return "disable-bit";
	case AMT_W_PARTITION: return "partition";
	case AMT_W_MODULE: return "module";
	case AMT_W_HUFFMAN_CHUNKS: return "huffman-chunks";
	case AMT_W_FPT: return "fpt";
	case AMT_W_CPD: return "cpd";
	case AMT_W_RELOCATE_FPT: return "relocate-fpt";
	case AMT_W_RELOCATE_LLUT: return "relocate-llut";
	case AMT_W_RELOCATE: return "relocate";
	case AMT_W_TRUNCATE: return "truncate";
	case AMT_W_FLREG_ME: return "flreg-me";
	case AMT_W_FLREG_NEXT: return "flreg-next";
	case AMT_W_REGION_TAIL: return "region-tail";
	case AMT_W_FLMSTR_ME: return "flmstr-me";
	case AMT_W_WIPE: return "wipe";
	case AMT_W_CLEAR_DISABLE_BIT: return "clear-disable-bit";
	}
	return "other";
}

static json_t *j_names(struct jb *b, const struct amt_plan *p, amt_event_kind kind, bool kept)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < p->nevents; i++) {
		const struct amt_event *e = &p->events[i];
		if (e->kind != kind || e->disp == AMT_DISP_NVRAM || e->disp == AMT_DISP_NO_DATA ||
		    e->disp == AMT_DISP_NONE || amt_disposition_kept(e->disp) != kept ||
		    e->disp == AMT_DISP_KEPT_MANIFEST || e->disp == AMT_DISP_KEPT_METADATA)
			continue;
		add(b, a, out_json_str(e->name, sizeof(e->name), OUT_NAME));
	}
	if (!a)
		b->oom = true;
	return a;
}

static json_t *j_plan(struct jb *b, const struct amt_plan *p)
{
	json_t *o = json_object();
	put(b, o, "input_kind", json_string(out_kind_key(p->kind)));
	put(b, o, "generation", p->generation ? jint((uint64_t)p->generation) : json_null());
	put(b, o, "family", p->generation ? json_string(amt_family_str(p->family)) : json_null());
	put(b, o, "version", jversion(p->version_known, &p->version));
	put(b, o, "input_size", jint(p->in_size));
	put(b, o, "output_size", jint(p->out_size));
	json_t *db = json_object();
	put(b, db, "located", json_boolean(p->disable_known));
	put(b, db, "kind", p->disable_known ? json_string(amt_disable_kind_str(p->disable_kind)) :
		json_null());
	put(b, db, "locations", j_bitloc(b, p->disable_loc, p->disable_known ? p->ndisable : 0));
	put(b, db, "before", p->disable_known ? jtri(p->disable_before) : json_null());
	put(b, db, "after", p->disable_known ? jtri(p->disable_after) : json_null());
	put(b, o, "disable_bit", db);
	put(b, o, "wipe", json_boolean(p->wipe));
	put(b, o, "strips", json_boolean(p->strips));
	put(b, o, "min_me_region_size", p->min_me_size ? jint(p->min_me_size) : json_null());
	put(b, o, "me_region_shrunk", json_boolean(p->shrunk));
	json_t *rm = json_object(), *kp = json_object();
	put(b, rm, "partitions", j_names(b, p, AMT_EV_PARTITION, false));
	put(b, rm, "modules", j_names(b, p, AMT_EV_MODULE, false));
	put(b, kp, "partitions", j_names(b, p, AMT_EV_PARTITION, true));
	put(b, kp, "modules", j_names(b, p, AMT_EV_MODULE, true));
	put(b, o, "removed", rm);
	put(b, o, "kept", kp);
	json_t *ed = json_array();
	for (size_t i = 0; ed && i < p->nedits; i++) {
		const struct amt_edit *e = &p->edits[i];
		json_t *eo = json_object();
		put(b, eo, "kind", json_string(edit_kind_key(e->kind)));
		put(b, eo, "why", json_string(edit_why_key(e->why)));
		put(b, eo, "name", out_json_str(e->name, sizeof(e->name), OUT_NAME));
		put(b, eo, "partition", out_json_str(e->part, sizeof(e->part), OUT_NAME));
		put(b, eo, "offset", jint(e->offset));
		put(b, eo, "length", jint(e->length));
		put(b, eo, "source", e->kind == AMT_EDIT_MOVE ? jint(e->src) : json_null());
		put(b, eo, "fill", e->kind == AMT_EDIT_FILL || e->kind == AMT_EDIT_MOVE ? jint(e->fill) :
			json_null());
		add(b, ed, eo);
	}
	put(b, o, "edits", ed);
	return o;
}

json_t *out_json_neutralize(const char *file, const struct amt_neutralization *res, bool dry_run,
			    const char *written)
{
	struct jb b = { 0 };
	json_t *doc = json_object();
	put(&b, doc, "schema", json_string(OUT_NEUTRALIZE_SCHEMA));
	put(&b, doc, "version", json_integer(OUT_NEUTRALIZE_VERSION));
	put(&b, doc, "file", out_json_str(file, strlen(file), OUT_MSG));
	put(&b, doc, "dry_run", json_boolean(dry_run));
	put(&b, doc, "outcome", json_string(outcome_key(res->outcome)));
	put(&b, doc, "changed", json_boolean(res->changed));
	put(&b, doc, "written", written ? out_json_str(written, strlen(written), OUT_MSG) : json_null());
	put(&b, doc, "plan", j_plan(&b, &res->plan));
	put(&b, doc, "report", res->report ? out_json_report(res->report) : json_null());
	if (b.oom) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}
