/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness: amt_flash_match_backup(), whether a backup belongs to
 * a flash chip (amtless flash --restore). Input: a mode byte, then
 *  - mode bit 0 clear: a 4-byte little-endian length L, the backup (L
 *    bytes, cut to what is there), the chip (the rest): unrelated images;
 *  - mode bit 0 set: a flip count K (one byte, at most 16), K flips of
 *    (16-bit little-endian offset, XOR byte), then the backup; the chip is
 *    the backup with the flips applied - a neutralized chip, or one that
 *    changed elsewhere. Mode bit 1: the offsets count back from the end
 *    (where the BIOS region lies). The layout is fuzz_diff's, so its seeds
 *    (fuzz_seeds) serve here too.
 * The oracle, from the bytes and the model of the backup alone:
 *  - a full image (descriptor at 0) belongs to itself;
 *  - whatever belongs has the backup's size, and every byte outside the
 *    backup's descriptor and ME regions (its own model's map) is the same;
 *  - a flip that changes a byte outside those two regions is refused;
 *  - a refusal is AMT_E_REFUSED with a typed reason, or a parse error of
 *    the backup (never a crash, never AMT_E_ARG).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amtless/flash.h>
#include <amtless/image.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "flash match oracle: %s\n", what);
	abort();
}

/* [fd_s, fd_e) and [me_s, me_e) of the backup's own model; false when it
 * is not a full image with its descriptor at 0. */
static bool map_of(const uint8_t *d, size_t n, uint64_t *fd_s, uint64_t *fd_e, uint64_t *me_s,
		   uint64_t *me_e)
{
	struct amt_parse_opts po;
	struct amt_image *img = NULL;
	amt_error e;
	amt_parse_opts_init(&po);
	po.verify_signatures = false;
	if (amt_image_parse(d, n, &po, &img, &e) != AMT_OK)
		return false;
	bool ok = img->has_ifd && img->ifd.offset == 0;
	if (ok) {
		const struct amt_ifd *ifd = &img->ifd;
		*fd_s = ifd->region[AMT_RGN_FD].base;
		*fd_e = ifd->region[AMT_RGN_FD].limit + 1;
		*me_s = *me_e = 0;
		if (ifd->nregions > AMT_RGN_ME && ifd->region[AMT_RGN_ME].used) {
			*me_s = ifd->region[AMT_RGN_ME].base;
			*me_e = ifd->region[AMT_RGN_ME].limit + 1;
		}
	}
	amt_image_free(img);
	return ok;
}

static bool outside(uint64_t i, uint64_t fd_s, uint64_t fd_e, uint64_t me_s, uint64_t me_e)
{
	return !((i >= fd_s && i < fd_e) || (i >= me_s && i < me_e));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	uint8_t mode = data[0];
	const uint8_t *backup, *chip;
	size_t nb, nc;
	uint8_t *flipped = NULL;
	uint32_t flip_off[16];
	unsigned nflips = 0;
	data++;
	size--;
	if (!(mode & 1)) {
		if (size < 4)
			return 0;
		size_t l = (size_t)data[0] | (size_t)data[1] << 8 | (size_t)data[2] << 16 |
			   (size_t)data[3] << 24;
		data += 4;
		size -= 4;
		if (l > size)
			l = size;
		backup = data;
		nb = l;
		chip = data + l;
		nc = size - l;
	} else {
		unsigned k = data[0] > 16 ? 16 : data[0];
		data++;
		size--;
		if (size < 3u * k)
			return 0;
		const uint8_t *fl = data;
		backup = data + 3u * k;
		nb = size - 3u * k;
		if (!nb)
			return 0;
		flipped = malloc(nb);
		if (!flipped)
			return 0;
		memcpy(flipped, backup, nb);
		for (unsigned i = 0; i < k; i++) {
			uint32_t off = (uint32_t)fl[3 * i] | (uint32_t)fl[3 * i + 1] << 8;
			off %= (uint32_t)nb;
			if (mode & 2)
				off = (uint32_t)nb - 1 - off;
			flipped[off] ^= fl[3 * i + 2];
			flip_off[nflips++] = off;
		}
		chip = flipped;
		nc = nb;
	}

	uint64_t fd_s = 0, fd_e = 0, me_s = 0, me_e = 0;
	bool full = map_of(backup, nb, &fd_s, &fd_e, &me_s, &me_e);
	amt_error e;

	if (full && amt_flash_match_backup(backup, nb, backup, nb, &e) != AMT_OK &&
	    e.code != AMT_E_NOMEM)
		fail("a full image does not belong to itself");

	amt_status st = amt_flash_match_backup(chip, nc, backup, nb, &e);
	if (st == AMT_E_ARG)
		fail("AMT_E_ARG on two buffers");
	if (st == AMT_E_REFUSED && e.reason == AMT_R_NONE)
		fail("a refusal without a typed reason");
	if (st == AMT_OK) {
		if (!full)
			fail("a backup that is not a full image was matched");
		if (nc != nb)
			fail("sizes differ, yet it belongs");
		for (uint64_t i = 0; i < nb; i++)
			if (outside(i, fd_s, fd_e, me_s, me_e) && chip[i] != backup[i])
				fail("a byte outside the descriptor and ME regions differs, yet it "
				     "belongs");
	}
	if (flipped && full) {
		for (unsigned i = 0; i < nflips; i++)
			if (outside(flip_off[i], fd_s, fd_e, me_s, me_e) &&
			    chip[flip_off[i]] != backup[flip_off[i]] && st == AMT_OK)
				fail("a flip outside the descriptor and ME regions was accepted");
	}
	free(flipped);
	return 0;
}
