/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amtless audit, JSON: one document, schema "amtless-audit" (doc/audit.schema.json). */
#include <stdio.h>
#include <string.h>

#include "audit_out.h"
#include "out.h"

#ifndef AMTLESS_VERSION
#define AMTLESS_VERSION "unknown"
#endif

/* Strings read from the machine may hold any byte: escaped as out.h says. */
static json_t *jtext(const char *s)
{
	return out_json_str(s ? s : "", SIZE_MAX, OUT_MSG);
}

static json_t *jtext_or_null(const char *s)
{
	return s && s[0] ? jtext(s) : json_null();
}

static json_t *hex4(uint16_t v)
{
	char b[8];
	snprintf(b, sizeof(b), "0x%04x", v);
	return json_string(b);
}

static json_t *hsi_or_null(amt_hsi_result r)
{
	const char *s = amt_hsi_result_str(r);
	return s ? json_string(s) : json_null();
}

static json_t *version4(const uint16_t v[4])
{
	char b[32];
	snprintf(b, sizeof(b), "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
	return json_string(b);
}

static json_t *summary_json(const struct amt_audit *a)
{
	struct audit_summary s;
	json_t *o = json_object(), *notes = json_array();

	audit_summarize(a, &s);
	json_object_set_new(o, "headline", json_string(s.headline));
	json_object_set_new(o, "cpu_vpro", jtext(s.cpu));
	json_object_set_new(o, "amt_nic", jtext(s.nic));
	json_object_set_new(o, "corporate_me", jtext(s.corporate));
	json_object_set_new(o, "me", jtext(s.me));
	for (unsigned i = 0; i < s.nnotes; i++)
		json_array_append_new(notes, jtext(s.notes[i]));
	json_object_set_new(o, "notes", notes);
	return o;
}

static json_t *checks_json(const struct amt_audit *a)
{
	json_t *arr = json_array();
	for (int i = 0; i < AMT_CHECK_COUNT; i++) {
		const struct amt_audit_check *c = &a->checks[i];
		const char *hsi = amt_check_hsi_id((amt_check_id)i);
		json_t *e = json_object();
		json_object_set_new(e, "id", json_string(amt_check_name((amt_check_id)i)));
		json_object_set_new(e, "hsi_id", hsi ? json_string(hsi) : json_null());
		json_object_set_new(e, "status", json_string(amt_check_status_str(c->status)));
		json_object_set_new(e, "result", hsi_or_null(c->result));
		json_object_set_new(e, "fwupd_result", hsi_or_null(c->fwupd));
		json_object_set_new(e, "differs_from_fwupd", json_boolean(c->differs));
		json_object_set_new(e, "detail", jtext(c->detail));
		json_array_append_new(arr, e);
	}
	return arr;
}

static json_t *advisories_json(const struct amt_audit *a)
{
	json_t *o = json_object(), *arr = json_array(), *ids = json_array();
	char b[48];
	size_t n;
	const struct amt_advisory *t = amt_advisory_table(&n);

	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t k = 0; k < i; k++)
			seen |= !strcmp(t[k].id, t[i].id);
		if (!seen)
			json_array_append_new(ids, json_string(t[i].id));
	}
	json_object_set_new(o, "table", ids);
	if (a->fw_version_known) {
		snprintf(b, sizeof(b), "%u.%u.%u.%u", a->fw_version[0], a->fw_version[1], a->fw_version[2],
			 a->fw_version[3]);
		json_object_set_new(o, "firmware_version", json_string(b));
	} else {
		json_object_set_new(o, "firmware_version", json_null());
	}
	for (unsigned i = 0; i < a->nadvisories; i++) {
		const struct amt_advisory *r = a->advisories[i].row;
		json_t *e = json_object();
		json_object_set_new(e, "id", json_string(r->id));
		json_object_set_new(e, "cves", json_string(r->cves));
		json_object_set_new(e, "affected_from", version4(r->from));
		json_object_set_new(e, "affected_to", version4(r->to));
		json_object_set_new(e, "fixed_in", r->fixed_in ? json_string(r->fixed_in) : json_null());
		json_object_set_new(e, "scope", json_string(r->scope == AMT_ADV_MANAGEABILITY_ONLY ?
							    "manageability_only" : "all_firmware"));
		json_object_set_new(e, "applies", json_string(amt_audit_tri_str(a->advisories[i].applies)));
		json_object_set_new(e, "source", json_string(r->source));
		json_array_append_new(arr, e);
	}
	json_object_set_new(o, "matches", arr);
	return o;
}

json_t *audit_build_json(const struct amt_audit *a, const struct audit_run *run)
{
	const struct amt_audit_me *me = &a->me;
	const struct amt_audit_probe *p = &a->probe;
	json_t *o = json_object(), *arr, *x;
	char b[64];

	json_object_set_new(o, "schema", json_string("amtless-audit"));
	json_object_set_new(o, "version", json_integer(AMT_AUDIT_SCHEMA_VERSION));
	json_object_set_new(o, "amtless_version", json_string(AMTLESS_VERSION));
	audit_time_str(run->when, b, sizeof(b));
	json_object_set_new(o, "audited_at", json_string(b));
	json_object_set_new(o, "root", jtext(a->root));
	json_object_set_new(o, "kernel_release", jtext_or_null(a->kernel_release));
	json_object_set_new(o, "verdict", json_string(amt_audit_verdict_str(a->verdict)));
	json_object_set_new(o, "exit_code", json_integer(audit_exit_for_verdict(a->verdict)));
	json_object_set_new(o, "summary", summary_json(a));
	arr = json_array();
	for (size_t i = 0; i < a->nreasons; i++)
		json_array_append_new(arr, jtext(a->reasons[i]));
	json_object_set_new(o, "reasons", arr);

	x = json_object();
	json_object_set_new(x, "cpu_vpro", json_string(amt_audit_tri_str(a->cpu_vpro)));
	json_object_set_new(x, "amt_nic", json_string(amt_audit_tri_str(a->amt_nic)));
	json_object_set_new(x, "corporate_me", json_string(amt_audit_tri_str(a->corporate_me)));
	json_object_set_new(o, "conditions", x);

	x = json_object();
	json_object_set_new(x, "visible", json_boolean(a->cpu.visible));
	json_object_set_new(x, "vendor", jtext_or_null(a->cpu.vendor));
	json_object_set_new(x, "model_name", jtext_or_null(a->cpu.model_name));
	json_object_set_new(x, "family", a->cpu.family >= 0 ? json_integer(a->cpu.family) : json_null());
	json_object_set_new(x, "model", a->cpu.model >= 0 ? json_integer(a->cpu.model) : json_null());
	json_object_set_new(x, "smx", json_boolean(a->cpu.smx));
	json_object_set_new(x, "hypervisor", json_boolean(a->cpu.hypervisor));
	json_object_set_new(o, "cpu", x);

	json_object_set_new(o, "pci_visible", json_boolean(a->pci_visible));
	arr = json_array();
	for (unsigned i = 0; i < a->nnics; i++) {
		const struct amt_audit_nic *n = &a->nics[i];
		json_t *e = json_object();
		json_object_set_new(e, "bdf", jtext(n->bdf));
		json_object_set_new(e, "vendor", hex4(n->vendor));
		json_object_set_new(e, "device", hex4(n->device));
		snprintf(b, sizeof(b), "0x%06x", n->class_code);
		json_object_set_new(e, "class", json_string(b));
		json_object_set_new(e, "driver", jtext_or_null(n->driver));
		json_object_set_new(e, "name", n->name ? json_string(n->name) : json_null());
		json_object_set_new(e, "amt_class", json_string(amt_nic_class_str(n->cls)));
		json_array_append_new(arr, e);
	}
	json_object_set_new(o, "nics", arr);

	x = json_object();
	json_object_set_new(x, "pci_present", json_boolean(me->pci_present));
	json_object_set_new(x, "pci_bdf", jtext_or_null(me->pci_bdf));
	json_object_set_new(x, "pci_device", me->pci_present ? hex4(me->pci_device) : json_null());
	json_object_set_new(x, "generation", me->gen ? json_string(me->gen->name) : json_null());
	json_object_set_new(x, "major", me->major >= 0 ? json_integer(me->major) : json_null());
	json_object_set_new(x, "driver_bound", json_boolean(me->driver_bound));
	json_object_set_new(x, "mei_class_dev", jtext_or_null(me->mei_dev));
	json_object_set_new(x, "kind", jtext_or_null(me->kind));
	json_object_set_new(x, "dev_state", jtext_or_null(me->dev_state));
	if (me->fw_ver_known) {
		snprintf(b, sizeof(b), "%u.%u.%u.%u", me->fw_major, me->fw_minor, me->fw_hotfix, me->fw_build);
		json_object_set_new(x, "fw_version", json_string(b));
	} else {
		json_object_set_new(x, "fw_version", json_null());
	}
	arr = json_array();
	for (unsigned i = 0; i < me->nhfsts; i++) {
		snprintf(b, sizeof(b), "0x%08X", me->hfsts[i]);
		json_array_append_new(arr, json_string(b));
	}
	json_object_set_new(x, "hfsts", arr);
	json_object_set_new(x, "hfsts_source", json_string(me->hfsts_source == AMT_HFSTS_SYSFS ? "sysfs_fw_status" :
							   me->hfsts_source == AMT_HFSTS_CONFIG ? "pci_config" : "none"));
	if (me->nhfsts) {
		json_t *h = json_object();
		json_object_set_new(h, "working_state", json_integer(me->h1.working_state));
		json_object_set_new(h, "operation_state", json_integer(me->h1.operation_state));
		json_object_set_new(h, "operation_mode", json_integer(me->h1.operation_mode));
		json_object_set_new(h, "error_code", json_integer(me->h1.error_code));
		json_object_set_new(h, "fpt_bad", json_boolean(me->h1.fpt_bad));
		json_object_set_new(h, "init_complete", json_boolean(me->h1.init_complete));
		json_object_set_new(h, "bit4", json_boolean(me->h1.bit4));
		json_object_set_new(h, "bit4_meaning",
				    me->bit4_meaning == AMT_BIT4_SPI_PROTECTION_MODE ? json_string("spi_protection_mode") :
				    me->bit4_meaning == AMT_BIT4_MANUFACTURING_MODE ? json_string("manufacturing_mode") :
				    json_null());
		json_object_set_new(x, "hfsts1", h);
	} else {
		json_object_set_new(x, "hfsts1", json_null());
	}
	json_object_set_new(x, "fw_sku", json_string(amt_fw_sku_str(me->sku)));
	json_object_set_new(x, "state", json_string(amt_me_state_str(me->state)));
	json_object_set_new(x, "disabled_by_strap", json_boolean(amt_me_disabled_by_strap(me->state)));
	json_object_set_new(x, "heci_visible_while_disabled",
			    json_boolean(amt_me_disabled_by_strap(me->state) && me->pci_present));
	if (me->pch_seen) {
		json_t *pch = json_object();
		json_object_set_new(pch, "bdf", jtext(me->pch_bdf));
		json_object_set_new(pch, "device", hex4(me->pch_device));
		json_object_set_new(x, "pch", pch);
	} else {
		json_object_set_new(x, "pch", json_null());
	}
	json_object_set_new(x, "security_override", json_boolean(me->security_override));
	arr = json_array();
	for (unsigned i = 0; i < me->nredir; i++) {
		json_t *e = json_object();
		json_object_set_new(e, "bdf", jtext(me->redir[i].bdf));
		json_object_set_new(e, "device", hex4(me->redir[i].device));
		json_object_set_new(e, "kind", json_string(me->redir[i].kind == AMT_REDIR_IDER ? "ide-r" : "kt"));
		json_array_append_new(arr, e);
	}
	json_object_set_new(x, "amt_redirection_functions", arr);
	json_object_set_new(x, "bus_visible", json_boolean(me->bus_visible));
	arr = json_array();
	for (unsigned i = 0; i < me->nclients; i++) {
		json_t *e = json_object();
		json_object_set_new(e, "uuid", json_string(me->clients[i].uuid));
		json_object_set_new(e, "name", me->clients[i].name ? json_string(me->clients[i].name) : json_null());
		json_object_set_new(e, "amt_specific", json_boolean(me->clients[i].amt_specific));
		json_array_append_new(arr, e);
	}
	json_object_set_new(x, "clients", arr);
	json_object_set_new(x, "iamt_watchdog", json_boolean(me->iamt_wdt));
	json_object_set_new(o, "me", x);

	x = json_object();
	json_object_set_new(x, "probed", json_boolean(p->probed));
	json_object_set_new(x, "error", jtext_or_null(p->error));
	json_object_set_new(x, "present", json_string(amt_audit_tri_str(p->present)));
	json_object_set_new(x, "enabled", json_string(amt_audit_tri_str(p->enabled)));
	json_object_set_new(x, "provisioning_state", p->prov ? json_string(amt_prov_state_str(p->prov)) : json_null());
	json_object_set_new(x, "root_can_provision", json_string(amt_audit_tri_str(a->root_can_provision)));
	json_object_set_new(x, "version", jtext_or_null(p->amt_version));
	json_object_set_new(x, "sku_string", jtext_or_null(p->sku_string));
	if (p->fw_version_known) {
		snprintf(b, sizeof(b), "%u.%u.%u.%u", p->fw_major, p->fw_minor, p->fw_hotfix, p->fw_build);
		json_object_set_new(x, "mkhi_fw_version", json_string(b));
	} else {
		json_object_set_new(x, "mkhi_fw_version", json_null());
	}
	json_object_set_new(x, "mkhi_fw_caps", p->caps_known ? json_integer(p->caps) : json_null());
	json_object_set_new(x, "mkhi_image_type", p->platform_known ? json_integer(amt_mkhi_image_type(p->platform)) : json_null());
	json_object_set_new(x, "mkhi_brand", p->platform_known ? json_string(amt_mkhi_brand_str(amt_mkhi_brand(p->platform))) : json_null());
	json_object_set_new(x, "mkhi_features", p->features_known ? json_integer(p->features) : json_null());
	json_object_set_new(o, "amt", x);

	json_object_set_new(o, "checks", checks_json(a));
	json_object_set_new(o, "advisories", advisories_json(a));

	if (a->image.given) {
		x = json_object();
		json_object_set_new(x, "file", jtext(a->image.label));
		json_object_set_new(x, "amt_present", json_string(amt_audit_tri_str(a->image.amt_present)));
		json_object_set_new(x, "sku", jtext_or_null(a->image.sku));
		json_object_set_new(x, "disable_bit", json_string(amt_audit_tri_str(a->image.disable_set)));
		json_object_set_new(x, "disable_kind", jtext_or_null(a->image.disable_kind));
		json_object_set_new(o, "image", x);
	} else {
		json_object_set_new(o, "image", json_null());
	}

	arr = json_array();
	for (size_t i = 0; i < a->nevidence; i++) {
		json_t *e = json_object();
		json_object_set_new(e, "path", jtext(a->evidence[i].path));
		json_object_set_new(e, "value", jtext(a->evidence[i].value));
		json_object_set_new(e, "finding", jtext(a->evidence[i].finding));
		json_array_append_new(arr, e);
	}
	json_object_set_new(o, "evidence", arr);
	return o;
}
