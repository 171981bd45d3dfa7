/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The flashrom layout file of an image (neutralize --layout, extract
 * --layout): one "START:END NAME" line per region the flash descriptor
 * defines, START and END the first and last byte in hexadecimal (8 digits),
 * in region order, the way coreboot's `ifdtool -f` writes it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amtless/image.h>

#include "cli.h"

/* Region names: the terse names of coreboot util/ifdtool/ifdtool.c
 * (region_names[], coreboot f0f91182, 2026-08). flashrom's own --ifd layout
 * (ich_descriptors.c layout_from_ich_descriptors) uses the same names for
 * fd, bios, me, gbe, pd, bios2, ec and ie, and "regN" for the others. */
static const char *const names[AMT_IFD_MAX_REGIONS] = {
	"fd", "bios", "me", "gbe", "pd", "devexp", "bios2", "res7",
	"ec", "devexp2", "ie", "10gbe_0", "10gbe_1", "res13", "res14", "ptt",
};

const char *cli_layout_region_name(unsigned id)
{
	return id < AMT_IFD_MAX_REGIONS ? names[id] : NULL;
}

char *cli_layout_text(const struct amt_image *img)
{
	char *buf = NULL;
	size_t len = 0;
	if (!img->has_ifd)
		return NULL;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		return NULL;
	const struct amt_ifd *ifd = &img->ifd;
	for (unsigned i = 0; i < ifd->nregions && i < AMT_IFD_MAX_REGIONS; i++) {
		const struct amt_ifd_region *r = &ifd->region[i];
		/* a region is defined when its base is not past its limit */
		if (r->used)
			fprintf(m, "%08" PRIx64 ":%08" PRIx64 " %s\n", r->base, r->limit, names[i]);
	}
	if (fclose(m) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

amt_status cli_write_layout(const char *path, const struct amt_image *img, amt_error *err)
{
	char *text = cli_layout_text(img);
	if (!text)
		return amt_error_set(err, img->has_ifd ? AMT_E_NOMEM : AMT_E_ARG, "layout",
				     AMT_NO_OFFSET, "%s", img->has_ifd ? "out of memory" :
				     "no flash descriptor: no region to lay out");
	amt_status st = cli_write_atomic(path, (const uint8_t *)text, strlen(text), err);
	free(text);
	return st;
}
