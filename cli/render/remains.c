/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * "What remains": the kept code modules, their role and what their .met
 * declares (<amtless/remains.h>), in text (inspect, neutralize) and JSON
 * (inspect). Renders the library's typed result; decides nothing.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <amtless/neutralize.h>
#include <amtless/remains.h>

#include "jbuild.h"
#include "out.h"
#include "remains.h"

#define ESC(s, buf) out_esc((s), sizeof(s), OUT_NAME, (buf), sizeof(buf))

static const char *access_str(uint32_t a)
{
	switch (a) {
	case AMT_MMIO_NONE: return "none";
	case AMT_MMIO_READ: return "ro";
	case AMT_MMIO_WRITE: return "wo";
	case AMT_MMIO_RW: return "rw";
	default: return "?";
	}
}

static void reach_list(FILE *f, unsigned reach)
{
	bool any = false;
	for (unsigned b = 1; b <= AMT_REACH__ALL; b <<= 1)
		if (reach & b) {
			fprintf(f, "%s%s", any ? ", " : "", amt_reach_str(b));
			any = true;
		}
	if (!any)
		fputs("none", f);
}

static void text_module(FILE *f, const struct amt_fw *fw, const struct amt_remain *r,
			const struct out_style *s)
{
	const struct amt_module *m = &fw->modules[r->module];
	char p[24], n[72], sz[32];

	fprintf(f, "  %s%s/%s%s  %s, %s", s->bold, ESC(m->partition, p), ESC(m->name, n), s->reset,
		out_size(r->stored_bytes, sz, sizeof(sz)), amt_compression_str(m->comp));
	if (m->usize && m->usize != r->stored_bytes)
		fprintf(f, " (%s unpacked)", out_size(m->usize, sz, sizeof(sz)));
	fputc('\n', f);
	if (r->role)
		fprintf(f, "    role: %s [%s]\n", r->role->role, r->role->source);
	else
		fprintf(f, "    role: %sno public source gives one%s\n", s->dim, s->reset);
	if (r->reach) {
		fprintf(f, "    %sreaches: ", s->yellow);
		reach_list(f, r->reach);
		fprintf(f, "%s (%s)\n", s->reset,
			r->reach_declared ? "its .met declares it" : "from its public role");
	}
	if (fw->generation == 2) {
		fprintf(f, "    declares: nothing (gen 2 $MME headers carry no declarations); "
			"loaded at 0x%08" PRIx32 ", flags 0x%08" PRIx32 "\n", m->load_base, m->flags);
		return;
	}
	if (fw->generation != 3) {
		fprintf(f, "    declares: nothing (this format carries no declarations)\n");
		return;
	}
	if (!m->has_met) {
		fprintf(f, "    declares: no .met of its own (CSME 12+ keeps module metadata "
			"inside rbe and pm, which amtless does not read yet)\n");
		return;
	}
	fprintf(f, "    module id 0x%04x, vendor 0x%04x%s\n", m->met_module_id, m->met_vendor_id,
		m->encrypted ? ", encrypted" : "");
	for (size_t k = 0; k < fw->ndecls; k++) {
		const struct amt_decl *d = &fw->decls[k];
		if (d->module != r->module)
			continue;
		switch (d->kind) {
		case AMT_DECL_PROCESS:
			fprintf(f, "    process: user 0x%04x, flags 0x%" PRIx32 ", %u group(s), %u "
				"thread(s), system calls %08" PRIx32 "%08" PRIx32 "%08" PRIx32 "\n",
				d->u.process.user_id, d->u.process.flags, r->ngroups, r->nthreads,
				d->u.process.syscalls[2], d->u.process.syscalls[1],
				d->u.process.syscalls[0]);
			break;
		case AMT_DECL_SHARED_LIB:
			fprintf(f, "    shared library: code at 0x%08" PRIx32 ", 0x%" PRIx32
				" bytes of virtual space\n", d->u.shlib.code_base,
				d->u.shlib.virtual_size);
			break;
		default:
			break;
		}
	}
	if (r->ndevices) {
		fprintf(f, "    devices (ME device numbers, not PCI ids):");
		for (size_t k = 0; k < fw->ndecls; k++)
			if (fw->decls[k].module == r->module && fw->decls[k].kind == AMT_DECL_DEVICE)
				fprintf(f, " 0x%08" PRIx32, fw->decls[k].u.device.id);
		fputc('\n', f);
	} else {
		fprintf(f, "    devices: none declared\n");
	}
	if (r->nmmio) {
		fprintf(f, "    MMIO ranges (%u, ME address space):", r->nmmio);
		unsigned col = 0;
		for (size_t k = 0; k < fw->ndecls; k++) {
			const struct amt_decl *d = &fw->decls[k];
			if (d->module != r->module || d->kind != AMT_DECL_MMIO)
				continue;
			if (col++ % 3 == 0)
				fputs("\n      ", f);
			fprintf(f, " 0x%08" PRIx32 "+0x%-7" PRIx32 " %-4s", d->u.mmio.base,
				d->u.mmio.size, access_str(d->u.mmio.access));
		}
		fputc('\n', f);
	} else {
		fprintf(f, "    MMIO ranges: none declared\n");
	}
	if (r->nfiles) {
		fprintf(f, "    special files (%u):", r->nfiles);
		unsigned col = 0;
		for (size_t k = 0; k < fw->ndecls; k++) {
			const struct amt_decl *d = &fw->decls[k];
			if (d->module != r->module || d->kind != AMT_DECL_SPECIAL_FILE)
				continue;
			char fn[64];
			if (col++ % 4 == 0)
				fputs("\n      ", f);
			fprintf(f, " %s", ESC(d->u.file.name, fn));
		}
		fputc('\n', f);
	}
	for (size_t k = 0; k < fw->ndecls; k++) {
		const struct amt_decl *d = &fw->decls[k];
		if (d->module == r->module && d->kind == AMT_DECL_LOCKED_RANGE)
			fprintf(f, "    locked range: 0x%08" PRIx32 "+0x%" PRIx32 "\n",
				d->u.locked.base, d->u.locked.size);
	}
}

static void text(FILE *f, const struct amt_image *img, const bool *kept, const char *title,
		 const struct out_style *s)
{
	struct amt_remains rs;
	amt_error e;
	char a[32], b[32];

	fprintf(f, "\n%s%s%s\n", s->bold, title, s->reset);
	if (amt_remains_collect(img, kept, kept ? img->fw.nmodules : 0, &rs, &e) != AMT_OK) {
		fprintf(f, "  not computed: ");
		out_puts_esc(f, e.message, OUT_MSG);
		fputc('\n', f);
		return;
	}
	if (!rs.n) {
		fprintf(f, "  no code module is kept\n");
		amt_remains_free(&rs);
		return;
	}
	fprintf(f, "  %zu code module%s, %s of %s%s (%.1f%%)\n", rs.n, rs.n == 1 ? "" : "s",
		out_size(rs.kept_bytes, a, sizeof(a)), out_size(rs.code_bytes, b, sizeof(b)),
		rs.scope == AMT_CODE_SCOPE_FIRMWARE ? " of code" : out_code_scope_text(rs.scope),
		rs.code_bytes ? 100.0 * (double)rs.kept_bytes / (double)rs.code_bytes : 0.0);
	fprintf(f, "  network controller or stack: %s\n",
		rs.reach & AMT_REACH_NETWORK ? "YES (see below)" : "none known or declared");
	fprintf(f, "  host-visible AMT interface (SOL, IDE-R, AMT HECI clients): %s\n",
		rs.reach & AMT_REACH_HOST_AMT ? "YES (see below)" : "none known or declared");
	fprintf(f, "  HECI, the host-visible message interface: %s\n",
		rs.reach & AMT_REACH_HECI ? "served by a kept module (see below)" :
		"no kept module known or declared to serve it");
	for (size_t i = 0; i < rs.n; i++)
		text_module(f, &img->fw, &rs.items[i], s);
	amt_remains_free(&rs);
}

void render_remains_text(FILE *f, const struct amt_image *img, bool color)
{
	struct out_style s;
	out_style_init(&s, color);
	if (img->has_fw)
		text(f, img, NULL, "What the kept code can touch", &s);
}

void render_remains_plan(FILE *f, const struct amt_plan *p, const uint8_t *in, size_t size)
{
	struct out_style s;
	struct amt_parse_opts po;
	struct amt_image *img = NULL;
	amt_error e;

	out_style_init(&s, false);
	amt_parse_opts_init(&po);
	po.verify_signatures = false;
	if (amt_image_parse(in, size, &po, &img, &e) != AMT_OK || !img->has_fw) {
		amt_image_free(img);
		return;
	}
	bool *kept = calloc(img->fw.nmodules ? img->fw.nmodules : 1, sizeof(*kept));
	if (kept && amt_plan_kept_modules(p, img, kept, img->fw.nmodules) == AMT_OK)
		text(f, img, kept, "What the kept code can touch", &s);
	free(kept);
	amt_image_free(img);
}

/* ---- JSON --------------------------------------------------------------- */

static json_t *jreach(unsigned reach)
{
	json_t *a = json_array();
	for (unsigned b = 1; a && b <= AMT_REACH__ALL; b <<= 1)
		if (reach & b)
			json_array_append_new(a, json_string(amt_reach_str(b)));
	return a;
}

static json_t *jmodule(const struct amt_fw *fw, const struct amt_remain *r)
{
	const struct amt_module *m = &fw->modules[r->module];
	json_t *o = json_object();
	if (!o)
		return NULL;
	jb_put(o, "partition", out_json_str(m->partition, sizeof(m->partition), OUT_NAME));
	jb_put(o, "name", out_json_str(m->name, sizeof(m->name), OUT_NAME));
	jb_put(o, "size", json_integer((json_int_t)r->stored_bytes));
	jb_put(o, "uncompressed_size", m->usize ? json_integer(m->usize) : json_null());
	jb_put(o, "compression", json_string(amt_compression_str(m->comp)));
	jb_put(o, "role", r->role ? json_string(r->role->role) : json_null());
	jb_put(o, "role_source", r->role ? json_string(r->role->source) : json_null());
	jb_put(o, "reach", jreach(r->reach));
	jb_put(o, "reach_declared", jreach(r->reach_declared));
	jb_put(o, "module_id", m->has_met ? jb_hex(m->met_module_id, 4) : json_null());
	jb_put(o, "encrypted", json_boolean(m->encrypted));
	json_t *proc = json_null(), *dev = json_array(), *mmio = json_array(),
	       *files = json_array(), *locked = json_array(), *groups = json_array(),
	       *threads = json_array();
	bool shlib = false;
	for (size_t k = 0; k < fw->ndecls; k++) {
		const struct amt_decl *d = &fw->decls[k];
		json_t *e;
		if (d->module != r->module)
			continue;
		switch (d->kind) {
		case AMT_DECL_PROCESS:
			json_decref(proc);
			proc = json_object();
			jb_put(proc, "flags", jb_hex(d->u.process.flags, 8));
			jb_put(proc, "user_id", json_integer(d->u.process.user_id));
			jb_put(proc, "code_base", jb_hex(d->u.process.code_base, 8));
			jb_put(proc, "code_size", json_integer(d->u.process.code_size));
			e = json_array();
			for (unsigned i = 0; e && i < 3; i++)
				json_array_append_new(e, jb_hex(d->u.process.syscalls[i], 8));
			jb_put(proc, "syscalls", e);
			break;
		case AMT_DECL_SHARED_LIB:
			shlib = true;
			break;
		case AMT_DECL_GROUP:
			json_array_append_new(groups, json_integer(d->u.group.id));
			break;
		case AMT_DECL_THREAD:
			e = json_object();
			jb_put(e, "stack_size", json_integer(d->u.thread.stack_size));
			jb_put(e, "flags", jb_hex(d->u.thread.flags, 8));
			jb_put(e, "policy", jb_hex(d->u.thread.policy, 8));
			json_array_append_new(threads, e);
			break;
		case AMT_DECL_DEVICE:
			json_array_append_new(dev, jb_hex(d->u.device.id, 8));
			break;
		case AMT_DECL_MMIO:
			e = json_object();
			jb_put(e, "base", jb_hex(d->u.mmio.base, 8));
			jb_put(e, "size", json_integer(d->u.mmio.size));
			jb_put(e, "access", json_string(access_str(d->u.mmio.access)));
			json_array_append_new(mmio, e);
			break;
		case AMT_DECL_SPECIAL_FILE:
			e = json_object();
			jb_put(e, "name", out_json_str(d->u.file.name, sizeof(d->u.file.name), OUT_NAME));
			jb_put(e, "major", json_integer(d->u.file.major));
			jb_put(e, "minor", json_integer(d->u.file.minor));
			jb_put(e, "mode", jb_hex(d->u.file.mode, 4));
			jb_put(e, "user_id", json_integer(d->u.file.user_id));
			jb_put(e, "group_id", json_integer(d->u.file.group_id));
			json_array_append_new(files, e);
			break;
		case AMT_DECL_LOCKED_RANGE:
			e = json_object();
			jb_put(e, "base", jb_hex(d->u.locked.base, 8));
			jb_put(e, "size", json_integer(d->u.locked.size));
			json_array_append_new(locked, e);
			break;
		}
	}
	if (json_is_object(proc)) {
		jb_put(proc, "groups", groups);
		jb_put(proc, "threads", threads);
	} else {
		json_decref(groups);
		json_decref(threads);
	}
	jb_put(o, "process", proc);
	jb_put(o, "shared_library", json_boolean(shlib));
	jb_put(o, "devices", dev);
	jb_put(o, "mmio", mmio);
	jb_put(o, "special_files", files);
	jb_put(o, "locked_ranges", locked);
	return o;
}

json_t *render_remains_json(const struct amt_image *img)
{
	struct amt_remains rs;
	amt_error e;
	if (!img->has_fw || amt_remains_collect(img, NULL, 0, &rs, &e) != AMT_OK)
		return json_null();
	json_t *o = json_object();
	if (!o) {
		amt_remains_free(&rs);
		return NULL;
	}
	jb_put(o, "code_scope", json_string(out_code_scope_key(rs.scope)));
	jb_put(o, "code_bytes", json_integer((json_int_t)rs.code_bytes));
	jb_put(o, "kept_bytes", json_integer((json_int_t)rs.kept_bytes));
	jb_put(o, "kept_percent", rs.code_bytes ? json_real(100.0 * (double)rs.kept_bytes /
							 (double)rs.code_bytes) : json_null());
	jb_put(o, "declarations", json_boolean(rs.declarations));
	jb_put(o, "reach", jreach(rs.reach));
	json_t *a = json_array();
	for (size_t i = 0; a && i < rs.n; i++)
		json_array_append_new(a, jmodule(&img->fw, &rs.items[i]));
	jb_put(o, "modules", a);
	amt_remains_free(&rs);
	return o;
}
