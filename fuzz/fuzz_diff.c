/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness: amt_diff() on two images and its two renderings
 * (cli/render/diff.c). Input: a mode byte, then
 *  - mode bit 0 clear: a 4-byte little-endian length L, A (L bytes, cut
 *    to what is there), B (the rest): two unrelated images;
 *  - mode bit 0 set: a flip count K (one byte, at most 16), K flips of
 *    (16-bit little-endian offset, XOR byte), then A; B is A with the
 *    flips applied - the near-identical pairs `amtless diff` is for (a
 *    descriptor against itself with a strap bit set).
 * Mode bit 1 names the platform of both (Alder Point-P) instead of
 * detecting it.
 * The oracle, from the bytes alone: a diff of an image against itself is
 * empty (but for items that cannot be compared at all); identical iff the bytes are; the byte count is right; every
 * strap listed differs and holds the values the model read at the offsets
 * given; the bit count is the sum of the changed bits; the one strap bit
 * is the one the bytes say; regions' counts, first and last offsets are
 * those of the bytes; the diff of B against A mirrors the one of A
 * against B; the JSON rendering exists (the text rendering runs).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amtless/diff.h>

#include "diff_out.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "diff oracle: %s\n", what);
	abort();
}

static unsigned pop(uint32_t v)
{
	unsigned n = 0;
	for (; v; v &= v - 1)
		n++;
	return n;
}

static struct amt_diff *run(const struct amt_image *a, const struct amt_image *b)
{
	struct amt_diff *d = NULL;
	amt_error e;
	amt_status st = amt_diff(a, b, &d, &e);
	if (st == AMT_E_NOMEM)
		return NULL;
	if (st != AMT_OK || !d)
		fail("amt_diff failed on two parsed images");
	return d;
}

static void check_one(const struct amt_diff *d, const uint8_t *a, size_t na, const uint8_t *b,
		      size_t nb)
{
	size_t n = na < nb ? na : nb;
	uint64_t bytes = na > nb ? na - nb : nb - na;
	for (size_t i = 0; i < n; i++)
		bytes += a[i] != b[i];
	if (d->ndiff_bytes != bytes)
		fail("differing byte count");
	if (d->identical != (bytes == 0))
		fail("identical does not match the bytes");
	unsigned bits = 0, only = 0;
	for (size_t i = 0; i < d->nstraps; i++) {
		const struct amt_diff_strap *s = &d->straps[i];
		if (!s->in_a && !s->in_b)
			fail("a strap in neither input");
		if (s->in_a && (s->offset_a > na || na - s->offset_a < 4 || amt_rd32(a + s->offset_a) != s->a))
			fail("a strap of A is not what A holds at its offset");
		if (s->in_b && (s->offset_b > nb || nb - s->offset_b < 4 || amt_rd32(b + s->offset_b) != s->b))
			fail("a strap of B is not what B holds at its offset");
		if (s->in_a && s->in_b) {
			if (s->a == s->b || s->changed != (s->a ^ s->b))
				fail("a strap listed that does not differ, or a wrong mask");
			bits += pop(s->changed);
		} else {
			only++;
		}
	}
	if (bits != d->strap_bits || only != d->straps_only_one)
		fail("strap bit counts");
	if (d->one_strap_bit) {
		const struct amt_diff_bit *x = &d->bit;
		if (bits != 1 || only || x->file_offset >= na || x->file_offset >= nb)
			fail("one strap bit without exactly one bit");
		if (((a[x->file_offset] >> x->byte_bit) & 1) != x->set_a ||
		    ((b[x->file_offset] >> x->byte_bit) & 1) != x->set_b || x->set_a == x->set_b)
			fail("the one strap bit is not the bit the bytes hold");
	} else if (d->bit.known != AMT_DK_NOT_ONE_BIT) {
		fail("an answer for a bit that is not one");
	}
	for (size_t i = 0; i < d->nregions; i++) {
		const struct amt_diff_region *r = &d->regions[i];
		if (!r->compared) {
			if (r->ndiff)
				fail("a region not compared has differences");
			continue;
		}
		if (r->base_a > na || r->compared_len > na - r->base_a || r->base_b > nb ||
		    r->compared_len > nb - r->base_b)
			fail("a region compared outside its file");
		uint64_t c = 0, first = AMT_NO_OFFSET, last = AMT_NO_OFFSET;
		for (uint64_t k = 0; k < r->compared_len; k++)
			if (a[r->base_a + k] != b[r->base_b + k]) {
				if (first == AMT_NO_OFFSET)
					first = k;
				last = k;
				c++;
			}
		if (c != r->ndiff || first != r->first || last != r->last)
			fail("a region's count, first or last");
	}
	for (size_t i = 0; i < d->nitems; i++) {
		const struct amt_diff_item *it = &d->items[i];
		if (it->change == AMT_DCH_SAME)
			fail("an item listed as the same");
		uint64_t m = it->size_a < it->size_b ? it->size_a : it->size_b;
		if (it->ndiff > m || (it->ndiff && it->first >= m))
			fail("an item's byte count");
	}
}

static void mirror(const struct amt_diff *ab, const struct amt_diff *ba)
{
	if (ab->nstraps != ba->nstraps || ab->strap_bits != ba->strap_bits ||
	    ab->nregs != ba->nregs || ab->ndiff_bytes != ba->ndiff_bytes ||
	    ab->one_strap_bit != ba->one_strap_bit || ab->nregions != ba->nregions ||
	    ab->desc_other_ndiff != ba->desc_other_ndiff || ab->nitems != ba->nitems)
		fail("the diff of B against A does not mirror A against B");
	for (size_t i = 0; i < ab->nstraps; i++)
		if (ab->straps[i].a != ba->straps[i].b || ab->straps[i].b != ba->straps[i].a)
			fail("a strap's values do not mirror");
	for (size_t i = 0; i < ab->nregions; i++)
		if (ab->regions[i].ndiff != ba->regions[i].ndiff)
			fail("a region's count does not mirror");
}

static void render(const struct amt_diff *d)
{
	static FILE *null;
	if (!null)
		null = fopen("/dev/null", "w");
	json_t *doc = out_json_diff("a\xff.bin", "b.bin", d);
	if (doc) {
		char *s = json_dumps(doc, JSON_ENSURE_ASCII);
		if (!s)
			fail("the JSON document cannot be written");
		free(s);
		json_decref(doc);
	}
	if (null)
		out_text_diff(null, "a.bin", "b\n.bin", d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	uint8_t mode = data[0];
	const uint8_t *a0, *b0 = NULL;
	size_t na = 0, nb = 0;
	uint8_t *bcopy = NULL;
	if (mode & 1) {
		unsigned k = data[1] % 17;
		size_t hdr = 2 + 3u * k;
		if (size <= hdr)
			return 0;
		a0 = data + hdr;
		na = size - hdr;
		bcopy = malloc(na);
		if (!bcopy)
			return 0;
		memcpy(bcopy, a0, na);
		for (unsigned i = 0; i < k; i++) {
			size_t off = (size_t)(data[2 + 3 * i] | (data[3 + 3 * i] << 8)) % na;
			bcopy[off] ^= data[4 + 3 * i];
		}
		nb = na;
	} else {
		if (size < 5)
			return 0;
		size_t l = (size_t)data[1] | (size_t)data[2] << 8 | (size_t)data[3] << 16 |
			   (size_t)data[4] << 24;
		if (l > size - 5)
			l = size - 5;
		a0 = data + 5;
		na = l;
		b0 = data + 5 + l;
		nb = size - 5 - l;
	}
	/* exact-size copies: ASan sees every read past the end */
	uint8_t *a = malloc(na ? na : 1), *b = bcopy;
	if (!b) {
		b = malloc(nb ? nb : 1);
		if (b && nb)
			memcpy(b, b0, nb);
	}
	if (!a || !b) {
		free(a);
		free(b);
		return 0;
	}
	if (na)
		memcpy(a, a0, na);
	struct amt_parse_opts po;
	amt_parse_opts_init(&po);
	po.verify_signatures = false;
	if (mode & 2)
		po.platform_override = AMT_PLAT_ADP_P;
	struct amt_image *ia = NULL, *ib = NULL;
	amt_error e;
	if (amt_image_parse(a, na, &po, &ia, &e) == AMT_OK &&
	    amt_image_parse(b, nb, &po, &ib, &e) == AMT_OK) {
		struct amt_diff *self = run(ia, ia);
		if (self) {
			if (!self->identical || self->nstraps || self->nregs ||
			    self->desc_other_ndiff || self->one_strap_bit)
				fail("an image differs from itself");
			/* only what cannot be compared at all may be listed */
			for (size_t i = 0; i < self->nitems; i++)
				if (self->items[i].change != AMT_DCH_UNKNOWN)
					fail("an item of an image differs from itself");
			amt_diff_free(self);
		}
		struct amt_diff *ab = run(ia, ib), *ba = ab ? run(ib, ia) : NULL;
		if (ab) {
			check_one(ab, a, na, b, nb);
			render(ab);
		}
		if (ab && ba) {
			check_one(ba, b, nb, a, na);
			mirror(ab, ba);
		}
		amt_diff_free(ab);
		amt_diff_free(ba);
	}
	amt_image_free(ia);
	amt_image_free(ib);
	free(a);
	free(b);
	return 0;
}
