/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a CSE module declares in its ".met" entry: the extensions the
 * walker in cse_ext.c meets besides Module Attributes (0x0A). Layouts
 * (facts, from MEA.py CSE_Ext_04 .. CSE_Ext_0B, platomav/MEAnalyzer;
 * the same names appear in ptresearch/unME11 "MAN_PROCESS_EXTENSION",
 * "MmioRanges", "DeviceIds"; doc/formats.md#met-declarations):
 *
 *   0x04 Shared Library: +0x08 context size, +0x0C total allocated
 *        virtual space, +0x10 code base address, +0x14 TLS size (0x1C).
 *   0x05 Process Manifest: +0x08 flags (b0 fault tolerant, b1 permanent,
 *        b2 single instance, b3 trusted SendReceive sender, b4 trusted
 *        Notify sender, b5 public SendReceive receiver, b6 public Notify
 *        receiver), +0x0C main thread id, +0x10 code base, +0x14 code size
 *        (uncompressed), +0x18 CM0 heap, +0x1C BSS, +0x20 default heap,
 *        +0x24 main thread entry, +0x28 allowed system calls (3 x u32),
 *        +0x34 user id u16, then from +0x44 the group ids (u16 each) to
 *        the end of the extension.
 *   0x06 Threads: entries of 0x10: stack size, flags, scheduling policy,
 *        reserved.
 *   0x07 Device IDs: entries of 8: id u32, reserved u32. The ids are the
 *        ME's own device numbers (MEA names the R1 form "Device Types"),
 *        not PCI vendor/device ids.
 *   0x08 MMIO Ranges: entries of 0x0C: base u32, size u32, access u32
 *        (0 none, 1 read only, 2 write only, 3 read & write), addresses in
 *        the ME's own address space.
 *   0x09 Special File Producer: +0x08 major number u16, +0x0A flags u16,
 *        then entries of 0x18: name[12], +0x0C access mode u16, +0x0E user
 *        id u16, +0x10 group id u16, +0x12 minor u8.
 *   0x0B Locked Ranges: entries of 8: base u32, size u32.
 *
 * Sizes seen on the corpus (ME 11.8, TXE 3, CSME 12-16): the entry
 * tables fill their extensions exactly; a body that does not is recorded
 * as a problem and its whole entries are still read.
 */
#include <string.h>

#include "cse_int.h"

#define DECL_MAX 4096u     /* bound on declarations per extension */
#define DECLS_MAX 0x20000u /* bound on declarations per image (a hostile $CPD may
			      point many .met entries at the same bytes); the
			      corpus CSME 16 image has a few thousand */

static struct amt_decl *add(struct amt_parse_ctx *c, size_t mod, amt_decl_kind kind,
			    uint64_t off)
{
	struct amt_fw *fw = &c->img->fw;
	struct amt_decl *d = amt_grow((void **)&fw->decls, &fw->ndecls, sizeof(*d));
	if (d) {   /* amt_grow zeroes the new entry */
		d->module = mod;
		d->kind = kind;
		d->offset = off;
	}
	return d;
}

static const char *ext_name(uint32_t tag)
{
	switch (tag) {
	case 0x04: return "Shared Library";
	case 0x05: return "Process Manifest";
	case 0x06: return "Threads";
	case 0x07: return "Device IDs";
	case 0x08: return "MMIO Ranges";
	case 0x09: return "Special File Producer";
	case 0x0B: return "Locked Ranges";
	default: return "extension";
	}
}

/* Entries of esz bytes from off + first to off + size. */
static amt_status table(struct amt_parse_ctx *c, size_t mod, uint32_t tag, uint64_t off,
			uint32_t size, uint32_t first, uint32_t esz)
{
	const struct amt_module *m = &c->img->fw.modules[mod];
	const uint8_t *b = c->data;
	uint32_t body = size - first, n = body / esz;

	if (body % esz) {
		amt_status st = amt_image_problemf(c->img, AMT_E_RANGE, ext_name(tag), off,
						   "%s/%s.met: %s extension of 0x%x bytes is not a "
						   "whole number of 0x%x-byte entries", m->partition,
						   m->name, ext_name(tag), size, esz);
		if (st)
			return st;
	}
	uint32_t all = n;
	if (n > DECL_MAX)
		n = DECL_MAX;
	if (n > DECLS_MAX - c->img->fw.ndecls)   /* amt_cse_met_decl: ndecls < DECLS_MAX */
		n = DECLS_MAX - (uint32_t)c->img->fw.ndecls;
	if (n < all) {
		/* the declarations are incomplete: a problem, said once */
		c->img->fw.decls_cut = true;
		amt_status st = amt_image_problemf(c->img, AMT_E_RANGE, ext_name(tag), off,
						   "%s/%s.met: %s extension of %u entries: only %u "
						   "are read (at most %u per extension, %u per "
						   "image)", m->partition, m->name, ext_name(tag), all,
						   n, DECL_MAX, DECLS_MAX);
		if (st)
			return st;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint64_t e = off + first + (uint64_t)i * esz;
		const uint8_t *p = b + e;
		struct amt_decl *d;
		switch (tag) {
		case 0x06:
			if (!(d = add(c, mod, AMT_DECL_THREAD, e)))
				return AMT_E_NOMEM;
			d->u.thread.stack_size = amt_rd32(p);
			d->u.thread.flags = amt_rd32(p + 4);
			d->u.thread.policy = amt_rd32(p + 8);
			break;
		case 0x07:
			if (!(d = add(c, mod, AMT_DECL_DEVICE, e)))
				return AMT_E_NOMEM;
			d->u.device.id = amt_rd32(p);
			break;
		case 0x08:
			if (!(d = add(c, mod, AMT_DECL_MMIO, e)))
				return AMT_E_NOMEM;
			d->u.mmio.base = amt_rd32(p);
			d->u.mmio.size = amt_rd32(p + 4);
			d->u.mmio.access = amt_rd32(p + 8);
			break;
		case 0x09:
			if (!(d = add(c, mod, AMT_DECL_SPECIAL_FILE, e)))
				return AMT_E_NOMEM;
			amt_name_copy(d->u.file.name, p, 12);
			d->u.file.major = amt_rd16(b + off + 8);
			d->u.file.mode = amt_rd16(p + 0x0C);
			d->u.file.user_id = amt_rd16(p + 0x0E);
			d->u.file.group_id = amt_rd16(p + 0x10);
			d->u.file.minor = p[0x12];
			break;
		case 0x0B:
			if (!(d = add(c, mod, AMT_DECL_LOCKED_RANGE, e)))
				return AMT_E_NOMEM;
			d->u.locked.base = amt_rd32(p);
			d->u.locked.size = amt_rd32(p + 4);
			break;
		case 0x05:
			if (!(d = add(c, mod, AMT_DECL_GROUP, e)))
				return AMT_E_NOMEM;
			d->u.group.id = amt_rd16(p);
			break;
		default:
			return AMT_OK;
		}
	}
	return AMT_OK;
}

static amt_status short_ext(struct amt_parse_ctx *c, size_t mod, uint32_t tag, uint64_t off,
			    uint32_t size, uint32_t need)
{
	const struct amt_module *m = &c->img->fw.modules[mod];
	return amt_image_problemf(c->img, AMT_E_TRUNCATED, ext_name(tag), off,
				  "%s/%s.met: %s extension of 0x%x bytes (needs 0x%x)", m->partition,
				  m->name, ext_name(tag), size, need);
}

amt_status amt_cse_met_decl(struct amt_parse_ctx *c, size_t mod, uint32_t tag, uint64_t off,
			    uint32_t size)
{
	const uint8_t *p = c->data + off;
	struct amt_decl *d;

	if (mod >= c->img->fw.nmodules || size < 8 || !amt_in(c->size, off, size))
		return AMT_OK;
	if (c->img->fw.ndecls >= DECLS_MAX) {
		if (c->img->fw.decls_cut)
			return AMT_OK;   /* said once */
		c->img->fw.decls_cut = true;
		const struct amt_module *m = &c->img->fw.modules[mod];
		return amt_image_problemf(c->img, AMT_E_RANGE, ext_name(tag), off,
					  "%s/%s.met: more than %u declarations in the image: "
					  "the rest are not read", m->partition, m->name, DECLS_MAX);
	}
	switch (tag) {
	case 0x04:
		if (size < 0x18)
			return short_ext(c, mod, tag, off, size, 0x18);
		if (!(d = add(c, mod, AMT_DECL_SHARED_LIB, off)))
			return AMT_E_NOMEM;
		d->u.shlib.context_size = amt_rd32(p + 0x08);
		d->u.shlib.virtual_size = amt_rd32(p + 0x0C);
		d->u.shlib.code_base = amt_rd32(p + 0x10);
		d->u.shlib.tls_size = amt_rd32(p + 0x14);
		return AMT_OK;
	case 0x05:
		if (size < 0x44)
			return short_ext(c, mod, tag, off, size, 0x44);
		if (!(d = add(c, mod, AMT_DECL_PROCESS, off)))
			return AMT_E_NOMEM;
		d->u.process.flags = amt_rd32(p + 0x08);
		d->u.process.main_thread_id = amt_rd32(p + 0x0C);
		d->u.process.code_base = amt_rd32(p + 0x10);
		d->u.process.code_size = amt_rd32(p + 0x14);
		d->u.process.cm0_heap = amt_rd32(p + 0x18);
		d->u.process.bss_size = amt_rd32(p + 0x1C);
		d->u.process.default_heap = amt_rd32(p + 0x20);
		d->u.process.entry = amt_rd32(p + 0x24);
		for (unsigned i = 0; i < 3; i++)
			d->u.process.syscalls[i] = amt_rd32(p + 0x28 + 4 * i);
		d->u.process.user_id = amt_rd16(p + 0x34);
		return table(c, mod, tag, off, size, 0x44, 2);
	case 0x06:
		return table(c, mod, tag, off, size, 8, 0x10);
	case 0x07:
		return table(c, mod, tag, off, size, 8, 8);
	case 0x08:
		return table(c, mod, tag, off, size, 8, 0x0C);
	case 0x09:
		if (size < 0x0C)
			return short_ext(c, mod, tag, off, size, 0x0C);
		return table(c, mod, tag, off, size, 0x0C, 0x18);
	case 0x0B:
		return table(c, mod, tag, off, size, 8, 8);
	default:
		return AMT_OK;
	}
}

const char *amt_decl_kind_str(amt_decl_kind k)
{
	switch (k) {
	case AMT_DECL_PROCESS: return "process";
	case AMT_DECL_SHARED_LIB: return "shared-library";
	case AMT_DECL_GROUP: return "group";
	case AMT_DECL_THREAD: return "thread";
	case AMT_DECL_DEVICE: return "device";
	case AMT_DECL_MMIO: return "mmio";
	case AMT_DECL_SPECIAL_FILE: return "special-file";
	case AMT_DECL_LOCKED_RANGE: return "locked-range";
	}
	return "unknown";
}
