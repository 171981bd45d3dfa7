/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The native rendering of a neutralization plan and its warnings. */
#include <stdio.h>
#include <string.h>

#include "report.h"

static const char *safe(const char *s, char *buf, size_t len)
{
	size_t i = 0;
	for (; s[i] && i + 1 < len; i++)
		buf[i] = ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f) ? '?' : s[i];
	buf[i] = '\0';
	return buf;
}

static void print_hex(FILE *f, const uint8_t *p, uint64_t n)
{
	uint64_t shown = n > 16 ? 16 : n;
	for (uint64_t i = 0; i < shown; i++)
		fprintf(f, "%02x", p[i]);
	if (n > shown)
		fprintf(f, "...");
}

static void edit_why(FILE *f, const struct amt_plan *p, const struct amt_edit *e)
{
	char n[20], pt[8];
	safe(e->name, n, sizeof(n));
	safe(e->part, pt, sizeof(pt));
	switch (e->why) {
	case AMT_W_DISABLE_BIT: {
		unsigned bit = 0;
		for (unsigned i = 0; i < p->ndisable; i++)
			if (!strcmp(p->disable_loc[i].strap, e->name))
				bit = p->disable_loc[i].bit;
		fprintf(f, "set %s (%s bit %u)", amt_disable_kind_str(p->disable_kind), n, bit);
		break;
	}
	case AMT_W_PARTITION: fprintf(f, "partition %s removed", n); break;
	case AMT_W_MODULE: fprintf(f, "module %s%s%s removed", pt, pt[0] ? "/" : "", n); break;
	case AMT_W_HUFFMAN_CHUNKS: fprintf(f, "Huffman chunks of removed %s modules", pt); break;
	case AMT_W_FPT: fprintf(f, "$FPT: entries of the kept partitions, count, checksum"); break;
	case AMT_W_CPD: fprintf(f, "$CPD %s without the removed entries", n); break;
	case AMT_W_RELOCATE_FPT: fprintf(f, "relocation: FTPR offset in its $FPT entry"); break;
	case AMT_W_RELOCATE_LLUT: fprintf(f, "relocation: LLUT fields and chunk offsets"); break;
	case AMT_W_RELOCATE: fprintf(f, "relocation: %s moved to the start of the ME region", n); break;
	case AMT_W_TRUNCATE: fprintf(f, "the file cut after what is kept"); break;
	case AMT_W_FLREG_ME: fprintf(f, "%s: the ME region register", n); break;
	case AMT_W_FLREG_NEXT: fprintf(f, "%s: the next region grows down", n); break;
	case AMT_W_REGION_TAIL: fprintf(f, "ME region: the space given to the %s region", n); break;
	case AMT_W_FLMSTR_ME: fprintf(f, "FLMSTR2: the ME may read and write its own region only"); break;
	case AMT_W_WIPE: fprintf(f, "the whole ME region wiped"); break;
	case AMT_W_CLEAR_DISABLE_BIT: {
		unsigned bit = 0;
		for (unsigned i = 0; i < p->ndisable; i++)
			if (!strcmp(p->disable_loc[i].strap, e->name))
				bit = p->disable_loc[i].bit;
		fprintf(f, "clear %s (%s bit %u): the ME is enabled again",
			amt_disable_kind_str(p->disable_kind), n, bit);
		break;
	}
	}
}

/* A fill whose bytes already hold the value, or a write of the same bytes:
 * it changes nothing in the input (in, size). */
static bool no_op(const struct amt_edit *e, const uint8_t *in, size_t size)
{
	if (!in || e->offset > size || e->length > size - e->offset)
		return false;
	if (e->kind == AMT_EDIT_FILL) {
		for (uint64_t i = 0; i < e->length; i++)
			if (in[e->offset + i] != e->fill)
				return false;
		return true;
	}
	if (e->kind == AMT_EDIT_WRITE && e->old_bytes && e->new_bytes)
		return !memcmp(e->old_bytes, e->new_bytes, e->length);
	return false;
}

void render_edits(FILE *f, const struct amt_plan *p, const uint8_t *in, size_t size)
{
	size_t same = 0;
	for (size_t i = 0; i < p->nedits; i++)
		same += no_op(&p->edits[i], in, size);
	fprintf(f, "Plan: %zu edit%s", p->nedits - same, p->nedits - same == 1 ? "" : "s");
	if (same)
		fprintf(f, " (%zu more change nothing here: their bytes already hold the result; "
			   "not listed)", same);
	fprintf(f, "\n");
	for (size_t i = 0; i < p->nedits; i++) {
		const struct amt_edit *e = &p->edits[i];
		if (no_op(e, in, size))
			continue;
		switch (e->kind) {
		case AMT_EDIT_WRITE:
			fprintf(f, "  0x%08llx-0x%08llx %8llu B  ", (unsigned long long)e->offset,
				(unsigned long long)(e->offset + e->length - 1),
				(unsigned long long)e->length);
			print_hex(f, e->old_bytes, e->length);
			fprintf(f, " -> ");
			print_hex(f, e->new_bytes, e->length);
			break;
		case AMT_EDIT_FILL:
			fprintf(f, "  0x%08llx-0x%08llx %8llu B  fill 0x%02x",
				(unsigned long long)e->offset,
				(unsigned long long)(e->offset + e->length - 1),
				(unsigned long long)e->length, e->fill);
			break;
		case AMT_EDIT_MOVE:
			fprintf(f, "  0x%08llx-0x%08llx %8llu B  moved to 0x%08llx (source filled 0x%02x)",
				(unsigned long long)e->src, (unsigned long long)(e->src + e->length - 1),
				(unsigned long long)e->length, (unsigned long long)e->offset, e->fill);
			break;
		case AMT_EDIT_RESIZE:
			fprintf(f, "  file size %llu -> %llu B", (unsigned long long)p->in_size,
				(unsigned long long)e->length);
			break;
		}
		fprintf(f, "  : ");
		edit_why(f, p, e);
		fprintf(f, "\n");
	}
}

/* Names of the partitions or modules (kind) whose disposition is kept or
 * not, wrapped; returns how many. */
static size_t name_list(FILE *f, const struct amt_plan *p, amt_event_kind kind, bool kept,
			bool print)
{
	char n[20];
	size_t count = 0;
	int col = 4;
	for (size_t i = 0; i < p->nevents; i++) {
		const struct amt_event *e = &p->events[i];
		if (!render_event_listed(e, kind, kept))
			continue;
		if (print) {
			safe(e->name, n, sizeof(n));
			if (count)
				col += fprintf(f, ",");
			if (col + (int)strlen(n) > 76) {
				fprintf(f, "\n    ");
				col = 4;
			} else if (count) {
				col += fprintf(f, " ");
			}
			col += fprintf(f, "%s", n);
		}
		count++;
	}
	return count;
}

void render_neutralize_summary(FILE *f, const struct amt_plan *p, const struct amt_code_measure *code,
			       uint64_t before, uint64_t after)
{
	/* what changed: the removals, then one line for what stays */
	size_t rp = name_list(f, p, AMT_EV_PARTITION, false, false);
	size_t rm = name_list(f, p, AMT_EV_MODULE, false, false);
	size_t kp = name_list(f, p, AMT_EV_PARTITION, true, false);
	size_t km = name_list(f, p, AMT_EV_MODULE, true, false);
	fprintf(f, "Changes:\n");
	if (p->disable_known && p->disable_before != p->disable_after)
		fprintf(f, "  disable bit %s (%s bit %u): %s -> %s\n", amt_disable_kind_str(p->disable_kind),
			p->disable_loc[0].strap, p->disable_loc[0].bit,
			p->disable_before == AMT_YES ? "set" : "not set",
			p->disable_after == AMT_YES ? "set" : "not set");
	if (p->wipe)
		fprintf(f, "  the whole ME region wiped\n");
	if (rp) {
		fprintf(f, "  %zu of %zu partition%s removed:\n    ", rp, rp + kp, rp + kp == 1 ? "" : "s");
		name_list(f, p, AMT_EV_PARTITION, false, true);
		fprintf(f, "\n");
	}
	if (rm) {
		fprintf(f, "  %zu of %zu module%s removed:\n    ", rm, rm + km, rm + km == 1 ? "" : "s");
		name_list(f, p, AMT_EV_MODULE, false, true);
		fprintf(f, "\n");
	}
	if (p->shrunk)
		fprintf(f, "  the ME region shrunk to 0x%llx bytes (see the notes)\n",
			(unsigned long long)p->min_me_size);
	if (!rp && !rm && !p->wipe && !(p->disable_known && p->disable_before != p->disable_after))
		fprintf(f, "  none to the firmware\n");
	if (kp + km) {
		fprintf(f, "Kept unchanged: ");
		if (kp + km <= 12) {
			if (kp) {
				fprintf(f, "partition%s ", kp == 1 ? "" : "s");
				name_list(f, p, AMT_EV_PARTITION, true, true);
			}
			if (km) {
				fprintf(f, "%smodule%s ", kp ? "; " : "", km == 1 ? "" : "s");
				name_list(f, p, AMT_EV_MODULE, true, true);
			}
			fprintf(f, "\n");
		} else {
			fprintf(f, "%zu partition%s and %zu module%s\n", kp, kp == 1 ? "" : "s", km,
				km == 1 ? "" : "s");
		}
	}
	(void)code;   /* the summary gives it ("Code remains") */
	if (before)
		fprintf(f, "Firmware bytes in the ME region (not 0xff): %.1f KiB -> %.1f KiB (%.1f%% kept)\n",
			before / 1024.0, after / 1024.0, 100.0 * (double)after / (double)before);
	if (p->min_me_size)
		fprintf(f, "Minimum ME region size: 0x%llx (%.1f KiB)\n",
			(unsigned long long)p->min_me_size, p->min_me_size / 1024.0);
	if (!p->disable_known && !p->full_image)
		fprintf(f, "Disable bit: not in this file (it lives in the flash descriptor): "
			   "neutralize the full flash image to set it\n");
	else if (p->disable_known && p->disable_before == p->disable_after)
		fprintf(f, "Disable bit %s (%s bit %u): %s, unchanged\n",
			amt_disable_kind_str(p->disable_kind), p->disable_loc[0].strap,
			p->disable_loc[0].bit, p->disable_after == AMT_YES ? "set" : "not set");
}

void render_bit_summary(FILE *f, const struct amt_plan *p)
{
	if (!p->disable_known)
		return;
	fprintf(f, "Disable bit %s:", amt_disable_kind_str(p->disable_kind));
	for (unsigned i = 0; i < p->ndisable; i++)
		fprintf(f, "%s %s bit %u (file byte 0x%llx bit %u)", i ? "," : "",
			p->disable_loc[i].strap, p->disable_loc[i].bit,
			(unsigned long long)p->disable_loc[i].file_offset, p->disable_loc[i].byte_bit);
	fprintf(f, ": %s -> %s (%s)\n", amt_tristate_str(p->disable_before),
		amt_tristate_str(p->disable_after),
		p->disable_after == AMT_YES ? "ME disabled" : "ME enabled");
}

static const char *reduce_why(uint64_t w)
{
	switch (w) {
	case AMT_REDUCE_ESSENTIAL_OR_SHARED:
		return "the modules flagged Removable are essential or share their bytes with what is kept";
	case AMT_REDUCE_NO_SAFE_MODULE:
		return "no module outside the HAP boot flow can be removed safely";
	case AMT_REDUCE_NO_HAP_FLAGS:
		return "its InitScript flags no module Removable and never sets the HAP boot flag, "
		       "so it says nothing about the HAP flow";
	default:
		return "no InitScript (extension 0x01) was found in its manifests";
	}
}

void render_warnings(FILE *f, const struct amt_plan *p)
{
	bool head = false;
	char n[20], pt[8];
	for (size_t i = 0; i < p->nevents; i++) {
		const struct amt_event *e = &p->events[i];
		if (e->kind < AMT_EV_WARN_OVERLAP_KEPT)
			continue;
		if (!head)
			fprintf(f, "Notes:\n");
		head = true;
		safe(e->name, n, sizeof(n));
		safe(e->part, pt, sizeof(pt));
		fprintf(f, "  ");
		switch (e->kind) {
		case AMT_EV_WARN_OVERLAP_KEPT:
			fprintf(f, "partition %s overlaps the kept partition %s: the overlapping bytes "
				   "0x%llx-0x%llx are kept (me_cleaner 1.2 erases them)\n", n, pt,
				(unsigned long long)e->a, (unsigned long long)(e->b - 1));
			break;
		case AMT_EV_WARN_FDV_EXCLUDED:
			fprintf(f, "signed descriptor (FDV at 0x%llx): %s lies in exclusion range "
				   "0x%llx-0x%llx: the signature is not affected\n",
				(unsigned long long)e->a, n, (unsigned long long)e->b,
				(unsigned long long)e->c);
			break;
		case AMT_EV_WARN_FDV_BROKEN:
			fprintf(f, "WARNING: signed descriptor (FDV at 0x%llx): %s is hashed, its "
				   "signature is now invalid (--allow-signed-descriptor)\n",
				(unsigned long long)e->a, n);
			break;
		case AMT_EV_WARN_PLATFORM_NAMED:
			fprintf(f, "%sthe platform was named with --platform, not recognised from the "
				   "image%s\n", e->flag ? "WARNING: " : "",
				e->flag ? "; its disable-bit location is doubtful (the sources dispute "
				"or doubt it): it is written only because --platform named it" : "");
			break;
		case AMT_EV_WARN_PARTITION_HASH:
			fprintf(f, "%s: the partition hash of its manifest (extension 0x03) %s: it is "
				   "signed and covers the removed bytes; the manifest and its RSA "
				   "signature are unchanged\n", n, e->flag ?
				   "matched and no longer matches" :
				   "was not checkable in this image and cannot match now");
			break;
		case AMT_EV_WARN_REDUCE_SHARED:
			fprintf(f, "%s/%s is flagged removable but its bytes are shared with what is "
				   "kept: kept\n", pt, n);
			break;
		case AMT_EV_WARN_REDUCE_DIRECTORY:
			fprintf(f, "%s: a kept entry lies inside the $CPD directory, which would have to "
				   "be rewritten: nothing removed there\n", n);
			break;
		case AMT_EV_WARN_REDUCE_NOTHING:
			fprintf(f, "--reduce-cse: nothing removed: %s\n", reduce_why(e->a));
			break;
		case AMT_EV_WARN_REDUCE_DONE:
			fprintf(f, "--reduce-cse: %llu module%s removed (%.1f KiB), as the image's "
				   "InitScript allows; the HAP bit must be set for the ME to boot "
				   "without them\n", (unsigned long long)e->a, e->a == 1 ? "" : "s",
				e->b / 1024.0);
			break;
		case AMT_EV_WARN_NO_DISABLE_BIT:
			fprintf(f, "the disable bit was not set (--no-disable-bit)\n");
			break;
		case AMT_EV_WARN_REGION_SHRUNK:
			fprintf(f, "ME region 0x%llx-0x%llx -> 0x%llx-0x%llx; the %s region now starts "
				   "at 0x%llx\n", (unsigned long long)e->a, (unsigned long long)(e->b - 1),
				(unsigned long long)e->a, (unsigned long long)(e->c - 1), n,
				(unsigned long long)e->c);
			break;
		case AMT_EV_WARN_BARE_REGION:
			fprintf(f, "bare ME region: removal only; the disable bit needs the full flash "
				   "image (the straps live in the flash descriptor)\n");
			break;
		case AMT_EV_WARN_CSE_WHOLE:
			fprintf(f, "CSME 12+ / IFWI firmware: the HAP bit only, the firmware is left "
				   "byte for byte (module removal with --reduce-cse)\n");
			break;
		case AMT_EV_WARN_EXPERT_OVERRIDE:
			fprintf(f, "WARNING: UNVERIFIED: the disable bit was written at %s bit %llu because "
				   "you gave that place; no public source says it is right for this "
				   "platform\n", n, (unsigned long long)e->a);
			break;
		case AMT_EV_WARN_HAP_CONSEQUENCE: {
			const char *what = amt_hap_consequence_str((unsigned)e->a);
			const char *src = amt_hap_consequence_source((unsigned)e->a);
			fprintf(f, "%s: %s%s%s%s\n", e->flag ? "WARNING: clearing the disable bit" :
				"with the disable bit set", what ? what : "?",
				src ? " (" : "", src ? src : "", src ? ")" : "");
			break;
		}
		case AMT_EV_WARN_REGIONS_OVERLAP:
			if (e->flag)
				fprintf(f, "the descriptor's %s and %s regions overlap: left as they "
					   "are (the disable bit alone does not depend on the region "
					   "map; module removal is refused on such a map)\n",
					amt_region_name((unsigned)e->a), amt_region_name((unsigned)e->b));
			else
				fprintf(f, "the descriptor's %s region ends past the flash size: left "
					   "as it is (the disable bit alone does not depend on the "
					   "region map)\n", amt_region_name((unsigned)e->a));
			break;
		case AMT_EV_WARN_DESCRIPTOR_ALONE:
			fprintf(f, "a flash descriptor alone: the platform is recognised from the "
				   "descriptor only, no ME firmware was checked against it%s\n",
				e->flag ? "; the ME runs again only if the ME region flashed with this "
				"descriptor holds complete, stock firmware" :
				"; the bit takes effect once this descriptor is flashed");
			break;
		default:
			fprintf(f, "(note %d)\n", (int)e->kind);
		}
	}
}
