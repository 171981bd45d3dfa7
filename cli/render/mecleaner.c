/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What me_cleaner 1.2 prints (corna/me_cleaner 43612a6), rendered from the
 * typed events of the plan: the me_cleaner front end prints this, word for
 * word where me_cleaner works (the corpus logs hold the reference).
 */
#include <stdio.h>
#include <string.h>

#include "report.h"

/* Names come from the image: control bytes as '?' (me_cleaner would print
 * them raw to the terminal). */
static const char *safe(const char *s, char *buf, size_t len)
{
	size_t i = 0;
	for (; s[i] && i + 1 < len; i++)
		buf[i] = ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] == 0x7f) ? '?' : s[i];
	buf[i] = '\0';
	return buf;
}

static const char *bit_name(amt_disable_kind k)
{
	return k == AMT_DIS_ALTMEDISABLE ? "AltMeDisable" : k == AMT_DIS_HAP ? "HAP" : "meDisable";
}

/* Python's round() (half to even) of n/1024. */
static unsigned long long kib_round(unsigned long long n)
{
	unsigned long long q = n / 1024, r = n % 1024;
	if (r * 2 > 1024 || (r * 2 == 1024 && (q & 1)))
		q++;
	return q;
}

void render_mc_log(FILE *f, const struct amt_plan *p, const char *desc_name, const char *me_name)
{
	int gen = 0;
	char n1[20], n2[4096];
	for (size_t i = 0; i < p->nevents; i++) {
		const struct amt_event *e = &p->events[i];
		const char *nm = safe(e->name, n1, sizeof(n1));
		switch (e->kind) {
		case AMT_EV_INPUT_REGION: fprintf(f, "ME/TXE image detected\n"); break;
		case AMT_EV_INPUT_FULL: fprintf(f, "Full image detected\n"); break;
		case AMT_EV_ME_REGION_DISABLED:
			fprintf(f, "The ME region in this image has already been disabled\n");
			break;
		case AMT_EV_FPT: fprintf(f, "Found FPT header at 0x%llx\n", (unsigned long long)e->a); break;
		case AMT_EV_PARTITION_COUNT:
			fprintf(f, "Found %llu partition(s)\n", (unsigned long long)e->a);
			break;
		case AMT_EV_FTPR:
			fprintf(f, "Found FTPR header: FTPR partition spans from 0x%llx to 0x%llx\n",
				(unsigned long long)e->a, (unsigned long long)e->b);
			break;
		case AMT_EV_FTPR_MANIFEST:
			fprintf(f, "Found FTPR manifest at 0x%llx\n", (unsigned long long)e->a);
			break;
		case AMT_EV_VERSION:
			gen = e->generation;
			fprintf(f, "ME/TXE firmware version %u.%u.%u.%u (generation %d)\n",
				e->version.major, e->version.minor, e->version.hotfix, e->version.build,
				e->generation);
			break;
		case AMT_EV_KEY:
			if (e->flag) {
				fprintf(f, "Public key match: Intel %s, firmware versions %s\n",
					amt_family_str(e->family), e->label ? e->label : "?");
			} else {
				fprintf(f, "WARNING Unknown public key ");
				for (int k = 0; k < 16; k++)
					fprintf(f, "%02x", e->md5[k]);
				fprintf(f, "\n        Assuming Intel %s\n        Please report this warning "
					   "to the project's maintainer!\n", amt_family_str(e->family));
			}
			break;
		case AMT_EV_DISABLE_STATE:
			if (e->disable_kind == AMT_DIS_MEDISABLE)
				fprintf(f, "The meDisable bit in %s is %s\n", nm,
					e->flag ? "SET" : e->flag2 ? "NOT SET, setting it now..." :
					"NOT SET");
			else
				fprintf(f, "The %s bit is %s\n", bit_name(e->disable_kind),
					e->flag ? "SET" : "NOT SET");
			break;
		case AMT_EV_ME_REGION_DISABLE: fprintf(f, "Disabling the ME region...\n"); break;
		case AMT_EV_ME_REGION_WIPE: fprintf(f, "Wiping the ME region...\n"); break;
		case AMT_EV_IGNITION:
			fprintf(f, "ME 6 Ignition firmware detected, removing everything...\n");
			break;
		case AMT_EV_READ_PARTITIONS: fprintf(f, "Reading partitions list...\n"); break;
		case AMT_EV_PARTITION:
			if (e->disp == AMT_DISP_NVRAM || e->disp == AMT_DISP_NO_DATA)
				fprintf(f, " %-4s (%-24s, 0x%08llx total bytes): nothing to remove\n", nm,
					e->disp == AMT_DISP_NVRAM ? "NVRAM partition, no data" :
					"      no data here      ", (unsigned long long)e->c);
			else
				fprintf(f, " %-4s (0x%08llx - 0x%09llx, 0x%08llx total bytes): %s\n", nm,
					(unsigned long long)e->a, (unsigned long long)e->b,
					(unsigned long long)e->c,
					amt_disposition_kept(e->disp) ? "NOT removed" : "removed");
			break;
		case AMT_EV_FPT_ENTRIES: fprintf(f, "Removing partition entries in FPT...\n"); break;
		case AMT_EV_EFFS_FLAG: fprintf(f, "Removing EFFS presence flag...\n"); break;
		case AMT_EV_FPT_CHECKSUM:
			if (!e->flag)
				fprintf(f, "Correcting checksum (0x%02llx)...\n", (unsigned long long)e->a);
			break;
		case AMT_EV_READ_MODULES: fprintf(f, "Reading FTPR modules list...\n"); break;
		case AMT_EV_MODULES_NO_STRIDE:
			fprintf(f, "Can't find the module header size; skipping modules removal\n");
			break;
		case AMT_EV_MODULES_SHORT:
			fprintf(f, "Found less modules than expected in the FTPR partition; skipping "
				   "modules removal\n");
			break;
		case AMT_EV_MODULE:
			if (gen == 3) {
				const char *comp = e->flag ? "uncompressed" :
						   e->comp == AMT_COMP_HUFFMAN ? "Huffman" : "LZMA/uncomp.";
				const char *why = e->disp == AMT_DISP_KEPT_MANIFEST ?
						  "NOT removed, partition manif." :
						  e->disp == AMT_DISP_KEPT_METADATA ?
						  "NOT removed, module metadata" :
						  e->disp == AMT_DISP_KEPT ? "NOT removed, essential" :
						  e->disp == AMT_DISP_KEPT_IN_DIRECTORY ?
						  "NOT removed, its range overlaps the $CPD directory" :
						  "removed";
				fprintf(f, " %-12s (%-12s, 0x%06llx - 0x%06llx): %s\n", nm, comp,
					(unsigned long long)e->a, (unsigned long long)e->b, why);
			} else if (e->comp == AMT_COMP_HUFFMAN) {
				char sz[24];
				snprintf(sz, sizeof(sz), "~%llu KiB", kib_round(e->a));
				fprintf(f, " %-16s (%-7s, fragmented data, %-9s): %s\n", nm, "Huffman", sz,
					amt_disposition_kept(e->disp) ? "NOT removed, essential" :
					"removed");
			} else if (e->comp == AMT_COMP_UNKNOWN) {
				/* me_cleaner prints this without a newline */
				fprintf(f, " %-16s (%-7s, 0x%06llx - 0x%06llx): unknown compression, "
					   "skipping", nm, "?", (unsigned long long)e->a,
					(unsigned long long)e->b);
			} else {
				fprintf(f, " %-16s (%-7s, 0x%06llx - 0x%06llx       ): %s\n", nm,
					e->comp == AMT_COMP_LZMA ? "LZMA" : "uncomp.",
					(unsigned long long)e->a, (unsigned long long)e->b,
					amt_disposition_kept(e->disp) ? "NOT removed, essential" :
					"removed");
			}
			break;
		case AMT_EV_RELOCATE:
			fprintf(f, "Relocating %s from 0x%llx - 0x%llx to 0x%llx - 0x%llx...\n", nm,
				(unsigned long long)e->a, (unsigned long long)e->b,
				(unsigned long long)e->c, (unsigned long long)e->d);
			break;
		case AMT_EV_RELOCATE_FPT: fprintf(f, " Adjusting FPT entry...\n"); break;
		case AMT_EV_RELOCATE_LUT_START: fprintf(f, " Adjusting LUT start offset...\n"); break;
		case AMT_EV_RELOCATE_HUFFMAN_START:
			fprintf(f, " Adjusting Huffman start offset...\n");
			break;
		case AMT_EV_RELOCATE_CHUNKS: fprintf(f, " Adjusting chunks offsets...\n"); break;
		case AMT_EV_RELOCATE_NO_HUFFMAN: fprintf(f, " No Huffman modules found\n"); break;
		case AMT_EV_RELOCATE_MOVE: fprintf(f, " Moving data...\n"); break;
		case AMT_EV_MIN_SIZE:
			fprintf(f, "The ME minimum size should be %llu bytes (0x%llx bytes)\n",
				(unsigned long long)e->a, (unsigned long long)e->a);
			break;
		case AMT_EV_REDUCIBLE:
			fprintf(f, "The ME region can be reduced up to:\n %08llx:%08llx me\n",
				(unsigned long long)e->a, (unsigned long long)e->b);
			break;
		case AMT_EV_TRUNCATE:
			fprintf(f, "Truncating file at 0x%llx...\n", (unsigned long long)e->a);
			break;
		case AMT_EV_SET_DISABLE:
			fprintf(f, "Setting the %s bit in %s to disable Intel ME...\n",
				bit_name(e->disable_kind), nm);
			break;
		case AMT_EV_FIX_MASTER:
			fprintf(f, "Removing ME/TXE R/W access to the other flash regions...\n");
			break;
		case AMT_EV_EXTRACT_DESCRIPTOR:
			fprintf(f, "Extracting the descriptor to \"%s\"...\n",
				safe(desc_name ? desc_name : "", n2, sizeof(n2)));
			break;
		case AMT_EV_DESCRIPTOR_REGIONS:
			fprintf(f, "Modifying the regions of the extracted descriptor...\n"
				   " %08llx:%08llx me   --> %08llx:%08llx me\n"
				   " %08llx:%08llx bios --> %08llx:%08llx bios\n",
				(unsigned long long)e->a, (unsigned long long)(e->b - 1),
				(unsigned long long)e->a, (unsigned long long)(e->c - 1),
				(unsigned long long)e->d, (unsigned long long)(e->f - 1),
				(unsigned long long)e->e, (unsigned long long)(e->f - 1));
			break;
		case AMT_EV_BIOS_NOT_ADJACENT:
			fprintf(f, "\nWARNING:\nThe start address of the BIOS region (0x%08llx) isn't "
				   "equal to the end address\nof the ME region (0x%08llx): if you want to "
				   "recover the space from the ME \nregion you have to manually modify "
				   "the descriptor.\n\n", (unsigned long long)e->a,
				(unsigned long long)e->b);
			break;
		case AMT_EV_EXTRACT_ME:
			fprintf(f, "Extracting %sthe ME image to \"%s\"...\n",
				e->flag ? "and truncating " : "",
				safe(me_name ? me_name : "", n2, sizeof(n2)));
			break;
		default:
			break;   /* the native front end's warnings */
		}
	}
}

const char *render_mc_error(const amt_error *err)
{
	switch (err->reason) {
	case AMT_R_OPT_NEEDS_FULL_IMAGE: return "-d, -D, -M, -S and -s require a full dump";
	case AMT_R_OPT_CHECK_COMBINED: return "-c can't be used with -S, -s, -r, -d, -t or -O";
	case AMT_R_OPT_DISABLE_ONLY_COMBINED: return "-s can't be used with -r or -t";
	case AMT_R_OPT_RELOCATE_LISTS:
		return "Relocation is not yet supported with custom whitelist or blacklist";
	case AMT_R_UNKNOWN_IMAGE:
	case AMT_R_UPDATE_FILE:
		return "Unknown image";
	case AMT_R_ME_FIRMWARE_MISSING:
		return "The ME/TXE region is valid but the firmware is corrupted or missing";
	case AMT_R_NO_FTPR: return "FTPR header not found, this image doesn't seem to be valid";
	case AMT_R_NO_FTPR_MANIFEST: return "Can't find the manifest of the FTPR partition";
	default: return NULL;
	}
}
