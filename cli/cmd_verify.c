/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * amtless verify IMAGE: every signature, checksum and structure, and
 * whether the ME is neutralized (disable bit, what remains). Exit 0 only
 * when all is sound.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amtless/image.h>

#include "cli.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: amtless verify [-q] IMAGE\n\n"
		   "Checks every manifest signature, every checksum/CRC and the structure of a\n"
		   "flash image or ME region, and reports whether the ME is neutralized (disable\n"
		   "bit, partitions and modules that remain).\n"
		   "A bare ME region truncated after its kept data (me_cleaner -t, amtless\n"
		   "--truncate) keeps the original partition lengths in its $FPT: it is checked\n"
		   "as if padded back with 0xff. A full image whose ME region was shrunk after\n"
		   "its kept data (amtless --shrink-region, me_cleaner -D/-M with -t flashed\n"
		   "together) is checked as the region was before shrinking.\n\n"
		   "  -q, --quiet   print only the verdict\n"
		   "  -h, --help    this help\n\n"
		   "Exit: 0 sound, 1 problems found, 2 usage, 3 unreadable, 4 not recognised,\n"
		   "5 update file, 70 internal error (out of memory).\n");
}

static void amt_wr32v(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* A name from the image, printable: control bytes and non-ASCII as '?'. */
static const char *safe(const char *s, char *buf, size_t n)
{
	size_t i = 0;
	for (; s[i] && i + 1 < n; i++)
		buf[i] = ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f) ? '?' : s[i];
	buf[i] = 0;
	return buf;
}

/* A full image whose ME region was shrunk after its kept data (amtless
 * --shrink-region, or me_cleaner's -D/-M with -t flashed together): $FPT
 * entries run past the region into the next one. Returns the end of the
 * last such partition, or 0. */
static uint64_t shrunk_to(const struct amt_image *img)
{
	if (img->kind != AMT_KIND_FULL || !img->has_fw || !img->has_ifd ||
	    img->ifd.nregions <= AMT_RGN_ME || !img->ifd.region[AMT_RGN_ME].used)
		return 0;
	uint64_t rs = img->fw.region_offset, re = rs + img->fw.region_size, need = 0;
	for (size_t i = 0; i < img->fw.npartitions; i++) {
		const struct amt_partition *p = &img->fw.partitions[i];
		if (p->container != AMT_CONT_FPT || p->entry_offset + 0x10 > img->size)
			continue;
		/* the entry's own length (the model clips it to the region) */
		const uint8_t *e = img->data + p->entry_offset;
		uint64_t len = (uint64_t)e[12] | (uint64_t)e[13] << 8 | (uint64_t)e[14] << 16 |
			       (uint64_t)e[15] << 24;
		if (len == 0 || len >= 0xffffffffu)
			continue;
		if (p->offset >= rs && p->offset < re && p->offset + len > re &&
		    p->offset + len > need && p->offset + len <= img->size)
			need = p->offset + len;
	}
	/* regions end on 4 KiB boundaries */
	need = (need + 0xfff) & ~(uint64_t)0xfff;
	return need <= img->size ? need : 0;
}

/* A bare region whose partitions run past its end: the padded size, or 0. */
static size_t truncated_to(const struct amt_image *img)
{
	if (img->kind != AMT_KIND_ME_REGION || !img->has_fw)
		return 0;
	uint64_t need = 0;
	for (size_t i = 0; i < img->fw.npartitions; i++) {
		const struct amt_partition *p = &img->fw.partitions[i];
		if (p->empty || !p->valid)
			continue;
		if (p->offset < img->size && p->offset + p->size > img->size &&
		    p->offset + p->size > need && p->offset + p->size <= 64u << 20)
			need = p->offset + p->size;
	}
	return need > img->size ? (size_t)need : 0;
}

/* A hash check of a module whose bytes are all 0xff (or gone): the module
 * was removed by a neutralization, which is not a problem. The check is
 * named "PART/MODULE ...". */
static bool removed_module_check(const struct amt_image *img, const uint8_t *d, size_t size,
				 const struct amt_check *k)
{
	const char *slash = strchr(k->what, '/');
	const char *sp = slash ? strchr(slash, ' ') : NULL;
	if (!slash || !sp || slash - k->what > 4 || sp - slash - 1 > 16)
		return false;
	char part[5], name[17];
	snprintf(part, sizeof(part), "%.*s", (int)(slash - k->what), k->what);
	snprintf(name, sizeof(name), "%.*s", (int)(sp - slash - 1), slash + 1);
	for (size_t i = 0; i < img->fw.nmodules; i++) {
		const struct amt_module *m = &img->fw.modules[i];
		if (strcmp(m->partition, part) || strcmp(m->name, name))
			continue;
		if (m->offset >= size || m->size == 0)
			return true;
		uint64_t end = m->offset + m->size > size ? size : m->offset + m->size;
		for (uint64_t o = m->offset; o < end; o++)
			if (d[o] != 0xff)
				return false;
		return true;
	}
	return false;
}

/* "FTPR partition hash ..." of a partition some of whose modules were
 * removed: the signed hash covers the removed bytes, so it cannot match
 * any more (the ME does not check it at boot: me_cleaner relies on that). */
static bool stripped_partition_check(const struct amt_image *img, const uint8_t *d, size_t size,
				     const struct amt_check *k)
{
	const char *sp = strchr(k->what, ' ');
	if (!sp || sp - k->what > 4 || !strstr(k->what, "partition hash"))
		return false;
	char part[5];
	snprintf(part, sizeof(part), "%.*s", (int)(sp - k->what), k->what);
	for (size_t i = 0; i < img->fw.nmodules; i++) {
		const struct amt_module *m = &img->fw.modules[i];
		if (strcmp(m->partition, part) || m->kind != AMT_MOD_MODULE || !m->size ||
		    m->offset >= size)
			continue;
		uint64_t end = m->offset + m->size > size ? size : m->offset + m->size;
		bool ff = true;
		for (uint64_t o = m->offset; o < end && ff; o++)
			ff = d[o] == 0xff;
		if (ff)
			return true;
	}
	return false;
}

int cmd_verify(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool quiet = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", lo, NULL)) != -1) {
		switch (c) {
		case 'q': quiet = true; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *in = argv[optind];
	amt_error err;
	uint8_t *data = NULL;
	size_t size = 0;
	amt_status st = cli_read_file(in, &data, &size, &err);
	if (st != AMT_OK) {
		cli_print_error(NULL, &err);
		return cli_exit_for(st);
	}
	struct amt_parse_opts po;
	amt_parse_opts_init(&po);
	po.verify_signatures = true;
	struct amt_image *img = NULL;
	st = amt_image_parse(data, size, &po, &img, &err);
	if (st != AMT_OK) {
		cli_print_error(in, &err);
		free(data);
		return cli_exit_for(st);
	}
	size_t pad = truncated_to(img);
	if (pad) {
		uint8_t *p = realloc(data, pad);
		if (!p) {
			amt_image_free(img);
			free(data);
			return EXIT_INTERNAL;
		}
		memset(p + size, 0xff, pad - size);
		data = p;
		amt_image_free(img);
		img = NULL;
		st = amt_image_parse(data, pad, &po, &img, &err);
		if (st != AMT_OK) {
			cli_print_error(in, &err);
			free(data);
			return cli_exit_for(st);
		}
		if (!quiet)
			printf("Truncated ME region (0x%zx bytes): checked as padded with 0xff to 0x%zx\n",
			       size, pad);
	}

	uint64_t ext = pad ? 0 : shrunk_to(img);
	if (ext) {
		/* check it as the region was before shrinking: ME region up to the
		 * end of its partitions, the bytes past its real end 0xff */
		uint64_t me_end = img->fw.region_offset + img->fw.region_size;
		uint64_t flreg2 = img->ifd.offset + img->ifd.frba + 8;
		uint8_t *v = malloc(ext);
		if (!v || flreg2 + 4 > ext) {
			free(v);
			amt_image_free(img);
			free(data);
			return EXIT_INTERNAL;
		}
		memcpy(v, data, ext);
		memset(v + me_end, 0xff, ext - me_end);
		uint64_t base = img->ifd.region[AMT_RGN_ME].base;
		uint64_t lim = ext - 1 - img->ifd.offset;
		amt_wr32v(v + flreg2, (uint32_t)((base >> 12) & 0x7fff) | (uint32_t)(((lim >> 12) & 0x7fff) << 16));
		struct amt_image *vi = NULL;
		amt_status vst = amt_image_parse(v, ext, &po, &vi, &err);
		if (vst == AMT_OK && vi->has_fw) {
			if (!quiet)
				printf("ME region 0x%llx-0x%llx was shrunk after its kept data: its partitions are "
				       "checked as if it reached 0x%llx (bytes past its end read as 0xff)\n",
				       (unsigned long long)img->fw.region_offset, (unsigned long long)(me_end - 1),
				       (unsigned long long)(ext - 1));
			amt_image_free(img);
			img = vi;
			free(data);
			data = v;
			size = ext;
		} else {
			amt_image_free(vi);
			free(v);
		}
	}

	unsigned bad = 0;
	char b1[300], b2[300];
	if (!quiet)
		printf("%s: %s\n", in, img->kind_detail);
	if (img->has_fw) {
		const struct amt_fw *fw = &img->fw;
		unsigned nman = 0;
		for (size_t i = 0; i < fw->nmanifests; i++) {
			const struct amt_manifest *m = &fw->manifests[i];
			bool ok = m->sig == AMT_SIG_VALID;
			/* only the FTPR/CODE manifest must verify; another one that
			 * cannot be checked (OEM SMIP, unsupported scheme) is a note */
			bool is_ftpr = (int)i == fw->ftpr_manifest;
			bool problem = m->sig == AMT_SIG_INVALID || (is_ftpr && !ok);
			nman++;
			if (problem)
				bad++;
			if (!quiet || problem)
				printf("  %-7s signature %-4s %-12s at 0x%08llx: %s%s%s\n",
				       ok ? "ok" : problem ? "PROBLEM" : "note",
				       safe(m->partition, b1, sizeof(b1)), safe(m->name, b2, sizeof(b2)),
				       (unsigned long long)m->offset,
				       amt_sig_status_str(m->sig), m->sig_detail[0] ? ": " : "", m->sig_detail);
		}
		if (fw->ftpr_manifest < 0) {
			bad++;
			printf("  PROBLEM no FTPR/CODE manifest was found\n");
		}
		unsigned nck = 0, ckbad = 0, nremoved = 0;
		for (size_t i = 0; i < fw->nchecks; i++) {
			const struct amt_check *k = &fw->checks[i];
			nck++;
			if (k->ok == AMT_NO && (removed_module_check(img, img->data, img->size, k) ||
						stripped_partition_check(img, img->data, img->size, k))) {
				nremoved++;
				continue;
			}
			if (k->ok == AMT_NO) {
				ckbad++;
				bad++;
				printf("  PROBLEM %s at 0x%llx: stored 0x%llx, computed 0x%llx%s%s\n",
				       safe(k->what, b1, sizeof(b1)),
				       (unsigned long long)k->offset, (unsigned long long)k->stored,
				       (unsigned long long)k->computed, k->note[0] ? ": " : "",
				       safe(k->note, b2, sizeof(b2)));
			}
		}
		if (!quiet)
			printf("  %u signature(s), %u checksum(s)/hash(es), %u mismatch(es), %u hash(es) of "
			       "removed modules (all 0xff) or of partitions stripped of them not counted\n", nman, nck, ckbad, nremoved);
	} else if (img->kind != AMT_KIND_DESCRIPTOR_ONLY && !(img->has_ifd &&
		   img->ifd.nregions > AMT_RGN_ME && !img->ifd.region[AMT_RGN_ME].used)) {
		bad++;
		printf("  PROBLEM no ME firmware was found\n");
	}
	for (size_t i = 0; i < img->nproblems; i++) {
		const amt_error *e = &img->problems[i];
		/* overlapping partitions are how Intel lays out ME 11 (FTUP over
		 * NFTP, DLMP over FTPR/MFS): a note, not a defect */
		bool note = e->code == AMT_E_OVERLAP;
		if (note && quiet)
			continue;
		bad += !note;
		printf("  %s %s", note ? "note   " : "PROBLEM", safe(e->structure, b1, sizeof(b1)));
		if (e->offset != AMT_NO_OFFSET)
			printf(" at 0x%llx", (unsigned long long)e->offset);
		printf(": %s\n", safe(e->message, b2, sizeof(b2)));
	}

	if (!quiet) {
		printf("Neutralization:\n");
		if (img->has_ifd) {
			const struct amt_disable_bit *d = &img->ifd.disable;
			if (d->located)
				printf("  disable bit %s (%s bit %u): %s\n", amt_disable_kind_str(d->kind),
				       d->loc[0].strap, d->loc[0].bit, amt_tristate_str(d->state));
			else
				printf("  disable bit: not located (%s)\n", d->note[0] ? d->note : "unknown platform");
			if (img->ifd.nregions > AMT_RGN_ME && !img->ifd.region[AMT_RGN_ME].used)
				printf("  ME region: disabled in the descriptor\n");
		} else {
			printf("  disable bit: not in this file (no flash descriptor)\n");
		}
		if (img->has_fw) {
			const struct amt_fw *fw = &img->fw;
			unsigned np = 0, nm = 0;
			printf("  partitions with data:");
			for (size_t i = 0; i < fw->npartitions; i++) {
				const struct amt_partition *p = &fw->partitions[i];
				if (p->empty || !p->in_range)
					continue;
				printf(" %s", safe(p->name, b1, sizeof(b1)));
				np++;
			}
			printf("%s\n", np ? "" : " none");
			unsigned nyes = 0, nno = 0, nunk = 0;
			for (size_t i = 0; i < fw->nmodules; i++) {
				const struct amt_module *m = &fw->modules[i];
				if (m->kind != AMT_MOD_MODULE)
					continue;
				nm++;
				nyes += m->present == AMT_YES;
				nno += m->present == AMT_NO;
				nunk += m->present == AMT_UNKNOWN;
			}
			/* the modules that still hold code, by name when some are
			 * gone (or the list is short) */
			printf("  modules holding code: %u of %u", nyes, nm);
			if (nyes) {
				const char *sep = " (";
				unsigned shown = 0;
				for (size_t i = 0; i < fw->nmodules && shown < 12; i++) {
					const struct amt_module *m = &fw->modules[i];
					if (m->kind != AMT_MOD_MODULE || m->present != AMT_YES)
						continue;
					/* ME 6 Huffman headers store no packed size */
					bool packed = m->size || !m->usize;
					printf("%s%s/%s %.1f KiB%s", sep, safe(m->partition, b1, sizeof(b1)),
					       safe(m->name, b2, sizeof(b2)),
					       (packed ? m->size : m->usize) / 1024.0,
					       packed ? "" : " unpacked");
					sep = ", ";
					shown++;
				}
				if (nyes > shown)
					printf(" and %u more", nyes - shown);
				printf(")");
			}
			printf("\n  modules removed (erased or truncated away): %u", nno);
			if (nunk)
				printf("; %u whose data could not be checked", nunk);
			printf("\n  firmware stripped: %s\n", fw->stripped ? "yes (only the boot modules "
			       "hold code)" : "no");
			printf("  AMT present: %s\n", amt_tristate_str(fw->amt_present));
		}
	}
	printf("%s: %s\n", in, bad ? "PROBLEMS FOUND" : "sound");
	amt_image_free(img);
	free(data);
	return bad ? EXIT_FINDINGS : EXIT_OK;
}
