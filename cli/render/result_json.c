/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * JSON of the decisions: "amtless-verify" (doc/verify.schema.json) from the
 * verification report, and "amtless-neutralize" (doc/neutralize.schema.json)
 * from a neutralization: its plan (the edits, what is removed and kept, the
 * disable bit before -> after), its typed outcome and the verification of
 * its output (the same object as verify's "report").
 */
#include <string.h>

#include "jbuild.h"
#include "out.h"
#include "report.h"
#include "result_json.h"

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

static json_t *j_findings(const struct amt_finding *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++) {
		const struct amt_finding *f = &v[i];
		json_t *o = json_object();
		jb_put(o, "kind", json_string(finding_key(f->kind)));
		jb_put(o, "structure", out_json_str(f->structure, sizeof(f->structure), OUT_MSG));
		jb_put(o, "offset", f->offset == AMT_NO_OFFSET ? json_null() : jb_int(f->offset));
		jb_put(o, "name", out_json_str(f->name, sizeof(f->name), OUT_NAME));
		jb_put(o, "message", out_json_str(f->message, sizeof(f->message), OUT_MSG));
		jb_add(a, o);
	}
	if (!a)
		jb_oom = true;
	return a;
}

static json_t *j_bitloc(const struct amt_strap_bit *loc, unsigned n)
{
	json_t *a = json_array();
	for (unsigned i = 0; a && i < n && i < 2; i++) {
		json_t *o = json_object();
		jb_put(o, "strap", out_json_str(loc[i].strap, sizeof(loc[i].strap), OUT_NAME));
		jb_put(o, "bit", jb_int(loc[i].bit));
		jb_put(o, "file_offset", jb_int(loc[i].file_offset));
		jb_put(o, "byte_bit", jb_int(loc[i].byte_bit));
		jb_add(a, o);
	}
	if (!a)
		jb_oom = true;
	return a;
}

static json_t *j_code(const struct amt_code_measure *m)
{
	if (!m->known)
		return json_null();
	json_t *o = json_object();
	jb_put(o, "scope", json_string(out_code_scope_key(m->scope)));
	jb_put(o, "total_bytes", jb_int(m->total));
	jb_put(o, "kept_bytes", jb_int(m->kept));
	jb_put(o, "kept_percent", json_real(m->total ? 100.0 * (double)m->kept / (double)m->total : 0.0));
	jb_put(o, "modules", jb_int(m->nmodules));
	jb_put(o, "modules_kept", jb_int(m->nkept));
	return o;
}

json_t *out_json_report(const struct amt_report *r)
{
	bool outer = jb_begin();
	json_t *o = json_object();
	jb_put(o, "verdict", json_string(verdict_key(r->verdict)));
	jb_put(o, "safe_to_flash", json_boolean(r->verdict != AMT_VERDICT_PROBLEMS));
	jb_put(o, "input_kind", json_string(out_kind_key(r->kind)));
	jb_put(o, "parses", json_boolean(r->parses));
	json_t *fw = json_null();
	if (r->has_fw) {
		fw = json_object();
		jb_put(fw, "family", json_string(amt_family_str(r->family)));
		jb_put(fw, "version", jversion(r->version_known, &r->version));
		jb_put(fw, "sku", r->sku[0] ? out_json_str(r->sku, sizeof(r->sku), OUT_NAME) : json_null());
		jb_put(fw, "ftpr_signature", json_string(amt_sig_status_str(r->ftpr_sig)));
	}
	jb_put(o, "firmware", fw);
	jb_put(o, "amt_present", jtri(r->amt_present));
	json_t *db = json_object();
	jb_put(db, "in_file", json_boolean(r->has_descriptor));
	jb_put(db, "located", json_boolean(r->disable_located));
	jb_put(db, "kind", r->disable_located ? json_string(amt_disable_kind_str(r->disable_kind)) :
		json_null());
	jb_put(db, "locations", j_bitloc(r->disable_loc, r->disable_located ? r->ndisable : 0));
	jb_put(db, "set", jtri(r->disable_bit));
	jb_put(o, "disable_bit", db);
	jb_put(o, "me_region_disabled", json_boolean(r->me_region_disabled));
	jb_put(o, "wiped", json_boolean(r->wiped));
	jb_put(o, "stripped", json_boolean(r->stripped));
	jb_put(o, "code", j_code(&r->code));
	json_t *c = json_object();
	jb_put(c, "signatures", jb_int(r->nsignatures));
	jb_put(c, "signatures_valid", jb_int(r->nsignatures_valid));
	jb_put(c, "checks", jb_int(r->nchecks));
	jb_put(c, "checks_ok", jb_int(r->nchecks_ok));
	jb_put(c, "modules", jb_int(r->nmodules));
	jb_put(c, "modules_holding_code", jb_int(r->nmodules_code));
	jb_put(c, "modules_hash_ok", jb_int(r->nmodules_hash_ok));
	jb_put(c, "modules_unverified", jb_int(r->nmodules_unverified));
	jb_put(c, "modules_removed", jb_int(r->nmodules_removed));
	jb_put(o, "counts", c);
	jb_put(o, "problems", j_findings(r->findings, r->nfindings));
	jb_put(o, "notes", j_findings(r->notes, r->nnotes));
	json_t *mods = json_array();
	for (size_t i = 0; mods && i < r->nmods; i++) {
		const struct amt_report_module *m = &r->mods[i];
		json_t *mo = json_object();
		jb_put(mo, "name", out_json_str(m->name, sizeof(m->name), OUT_NAME));
		jb_put(mo, "partition", out_json_str(m->partition, sizeof(m->partition), OUT_NAME));
		jb_put(mo, "compression", json_string(amt_compression_str(m->comp)));
		jb_put(mo, "size", jb_int(m->size));
		jb_put(mo, "unpacked_size", m->usize ? jb_int(m->usize) : json_null());
		jb_put(mo, "holds_code", jtri(m->present));
		jb_put(mo, "hash_ok", jtri(m->hash_ok));
		jb_put(mo, "boot", json_boolean(m->boot));
		jb_add(mods, mo);
	}
	jb_put(o, "modules", mods);
	if (jb_end(outer)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *out_json_verify(const char *file, const struct amt_report *r)
{
	bool outer = jb_begin();
	json_t *doc = json_object();
	jb_put(doc, "schema", json_string(OUT_VERIFY_SCHEMA));
	jb_put(doc, "version", json_integer(OUT_VERIFY_VERSION));
	jb_put(doc, "file", out_json_str(file, strlen(file), OUT_MSG));
	jb_put(doc, "report", out_json_report(r));
	if (jb_end(outer)) {
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

static json_t *j_names(const struct amt_plan *p, amt_event_kind kind, bool kept)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < p->nevents; i++) {
		const struct amt_event *e = &p->events[i];
		if (!render_event_listed(e, kind, kept))
			continue;
		jb_add(a, out_json_str(e->name, sizeof(e->name), OUT_NAME));
	}
	if (!a)
		jb_oom = true;
	return a;
}

static json_t *j_plan(const struct amt_plan *p)
{
	json_t *o = json_object();
	jb_put(o, "input_kind", json_string(out_kind_key(p->kind)));
	jb_put(o, "generation", p->generation ? jb_int((uint64_t)p->generation) : json_null());
	jb_put(o, "family", p->generation ? json_string(amt_family_str(p->family)) : json_null());
	jb_put(o, "version", jversion(p->version_known, &p->version));
	jb_put(o, "input_size", jb_int(p->in_size));
	jb_put(o, "output_size", jb_int(p->out_size));
	json_t *db = json_object();
	jb_put(db, "located", json_boolean(p->disable_known));
	jb_put(db, "kind", p->disable_known ? json_string(amt_disable_kind_str(p->disable_kind)) :
		json_null());
	jb_put(db, "locations", j_bitloc(p->disable_loc, p->disable_known ? p->ndisable : 0));
	jb_put(db, "before", p->disable_known ? jtri(p->disable_before) : json_null());
	jb_put(db, "after", p->disable_known ? jtri(p->disable_after) : json_null());
	jb_put(o, "disable_bit", db);
	jb_put(o, "wipe", json_boolean(p->wipe));
	jb_put(o, "strips", json_boolean(p->strips));
	jb_put(o, "min_me_region_size", p->min_me_size ? jb_int(p->min_me_size) : json_null());
	jb_put(o, "me_region_shrunk", json_boolean(p->shrunk));
	json_t *rm = json_object(), *kp = json_object();
	jb_put(rm, "partitions", j_names(p, AMT_EV_PARTITION, false));
	jb_put(rm, "modules", j_names(p, AMT_EV_MODULE, false));
	jb_put(kp, "partitions", j_names(p, AMT_EV_PARTITION, true));
	jb_put(kp, "modules", j_names(p, AMT_EV_MODULE, true));
	jb_put(o, "removed", rm);
	jb_put(o, "kept", kp);
	json_t *ed = json_array();
	for (size_t i = 0; ed && i < p->nedits; i++) {
		const struct amt_edit *e = &p->edits[i];
		json_t *eo = json_object();
		jb_put(eo, "kind", json_string(edit_kind_key(e->kind)));
		jb_put(eo, "why", json_string(edit_why_key(e->why)));
		jb_put(eo, "name", out_json_str(e->name, sizeof(e->name), OUT_NAME));
		jb_put(eo, "partition", out_json_str(e->part, sizeof(e->part), OUT_NAME));
		jb_put(eo, "offset", jb_int(e->offset));
		jb_put(eo, "length", jb_int(e->length));
		jb_put(eo, "source", e->kind == AMT_EDIT_MOVE ? jb_int(e->src) : json_null());
		jb_put(eo, "fill", e->kind == AMT_EDIT_FILL || e->kind == AMT_EDIT_MOVE ? jb_int(e->fill) :
			json_null());
		jb_add(ed, eo);
	}
	jb_put(o, "edits", ed);
	return o;
}

json_t *out_json_neutralize(const char *file, const struct amt_neutralization *res, bool dry_run,
			    const char *written)
{
	bool outer = jb_begin();
	json_t *doc = json_object();
	jb_put(doc, "schema", json_string(OUT_NEUTRALIZE_SCHEMA));
	jb_put(doc, "version", json_integer(OUT_NEUTRALIZE_VERSION));
	jb_put(doc, "file", out_json_str(file, strlen(file), OUT_MSG));
	jb_put(doc, "dry_run", json_boolean(dry_run));
	jb_put(doc, "outcome", json_string(outcome_key(res->outcome)));
	jb_put(doc, "changed", json_boolean(res->changed));
	jb_put(doc, "written", written ? out_json_str(written, strlen(written), OUT_MSG) : json_null());
	jb_put(doc, "plan", j_plan(&res->plan));
	jb_put(doc, "report", res->report ? out_json_report(res->report) : json_null());
	if (jb_end(outer)) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}
