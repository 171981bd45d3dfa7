/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Intel flash descriptor (IFD): find it, decode its maps, regions,
 * masters, straps, component density and a signed-descriptor (FDV)
 * manifest. Facts: doc/formats.md#descriptor (ifdtool.c/ifdtool.h, me_cleaner.py,
 * MEA.py); comments name the exact source of each rule.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Header of the descriptor, relative to the signature. */
#define SIG_TO_FLMAP0 4u
#define PCH_SIG_OFFSET 0x10u     /* IFDv2/PCH: signature at descriptor+0x10 */
#define FLUMAP1_OFFSET 0xEFCu    /* ifdtool find_flumap: 4096 - 256 - 4 */
#define FDV_START 0x800u         /* MEA.py: FD manifest data = FD[0x800:0xC00] */
#define FDV_END 0xC00u

static uint32_t flmap_fcba(uint32_t m0) { return (m0 & 0xFFu) << 4; }
static uint32_t flmap_frba(uint32_t m0) { return ((m0 >> 16) & 0xFFu) << 4; }
static uint32_t flmap_fmba(uint32_t m1) { return (m1 & 0xFFu) << 4; }
static uint32_t flmap_fpsba(uint32_t m1) { return ((m1 >> 16) & 0xFFu) << 4; }
static uint32_t flmap_fmsba(uint32_t m2) { return (m2 & 0xFFu) << 4; }

/* MEA.py fd_anl_init: FCBA byte x16 == 0x10 means the ICH8-10 layout,
 * whose descriptor starts at the signature. */
static bool ich_layout_of(uint32_t flmap0)
{
	return flmap_fcba(flmap0) == 0x10;
}

/* Where the descriptor would start for a signature at sig, or -1. */
static int64_t desc_start(uint64_t sig, uint32_t flmap0)
{
	if (ich_layout_of(flmap0))
		return (int64_t)sig;
	if (sig < PCH_SIG_OFFSET)
		return -1;
	return (int64_t)(sig - PCH_SIG_OFFSET);
}

/*
 * Plausibility of a signature found by scanning (a vendor header may
 * precede the descriptor): the FLMAP0/FLMAP1 section bases must lie past
 * the header inside the 4 KiB descriptor and be distinct, the whole
 * descriptor must be in the file, and FLREG0 must describe the descriptor
 * region itself (base 0, limit 0xFFF: value 0, as in every real
 * descriptor in the corpus and ifdtool's layout) and FLREG1 a BIOS
 * region past it. Random data rarely passes all of these.
 */
static bool scan_plausible(const uint8_t *d, size_t size, uint64_t sig)
{
	if (!amt_in(size, sig, 16))
		return false;
	uint32_t m0 = amt_rd32(d + sig + 4), m1 = amt_rd32(d + sig + 8);
	int64_t start = desc_start(sig, m0);
	if (start < 0 || !amt_in(size, (uint64_t)start, AMT_IFD_SIZE))
		return false;
	uint32_t hdr_end = (uint32_t)(sig - (uint64_t)start) + 0x10;
	uint32_t b[4] = { flmap_fcba(m0), flmap_frba(m0), flmap_fmba(m1), flmap_fpsba(m1) };
	for (int i = 0; i < 4; i++) {
		if (b[i] < hdr_end || b[i] >= FLUMAP1_OFFSET)
			return false;
		for (int j = 0; j < i; j++)
			if (b[i] == b[j])
				return false;
	}
	if (amt_rd32(d + (uint64_t)start + b[1]) != 0)
		return false;
	/* FLREG1 (BIOS) must be a real region past the descriptor: a run of
	 * zeros or of 0xFF in random data is not. */
	uint32_t r1 = amt_rd32(d + (uint64_t)start + b[1] + 4);
	uint32_t base1 = r1 & 0x7FFF, lim1 = (r1 >> 16) & 0x7FFF;
	return base1 != 0 && base1 != 0x7FFF && base1 <= lim1;
}

int64_t amt_ifd_find(const uint8_t *data, size_t size)
{
	if (!data)
		return -1;
	/* IFDv2 / PCH: signature at 0x10 (me_cleaner magic10; ifdtool find_flumap). */
	if (amt_in(size, PCH_SIG_OFFSET, 8) && amt_rd32(data + PCH_SIG_OFFSET) == AMT_IFD_SIGNATURE)
		return PCH_SIG_OFFSET;
	/* ICH8-10: signature at 0 and FCBA == 0x10 (me_cleaner magic0; MEA). */
	if (amt_in(size, 0, 8) && amt_rd32(data) == AMT_IFD_SIGNATURE && ich_layout_of(amt_rd32(data + 4)))
		return 0;
	/* ifdtool find_fd scans 4-byte steps; accept plausible hits only. */
	for (uint64_t o = 0; o + 4 <= size; o += 4) {
		if (amt_rd32(data + o) != AMT_IFD_SIGNATURE)
			continue;
		if (scan_plausible(data, size, o))
			return (int64_t)o;
	}
	return -1;
}

/* Component density code -> bytes (ifdtool decode_component_density;
 * MEA comp_dict goes on to 8 = 128 MiB, 9 = 256 MiB). 0 = unknown/unused. */
static uint64_t density_bytes(unsigned code, int version)
{
	if (version == 1)
		return code <= 5 ? (uint64_t)0x80000 << code : 0;
	return code <= 9 ? (uint64_t)0x80000 << code : 0;
}

/*
 * Descriptor version, decided like ifdtool (get_ifd_version_from_fcba of
 * upstream ifdtool before the --platform switch): FLCOMP read clock
 * frequency [19:17] 20 MHz (0) means IFDv1, 17 MHz (6) or 30 MHz (4)
 * means IFDv2. 500-series+ redefined the field (Dasharo ifdtool
 * is_platform_ifd_2 comment; ADL descriptors carry 0), so a descriptor
 * with the reserved FLMAP0 NR field [26:24] at 0 (reserved from SPT on,
 * ifdtool is_platform_with_100x_series_pch) and more straps than any
 * IFDv1 PCH has (PSL > 21, ifdtool ifd1_guess_chipset) is IFDv2 too.
 */
static int decide_version(const struct amt_ifd *ifd, uint32_t flcomp)
{
	if (ifd->ich_layout)
		return 1;
	unsigned rf = (flcomp >> 17) & 7;
	if (rf == 6 || rf == 4)
		return 2;
	if (((ifd->flmap[0] >> 24) & 7) == 0 && ifd->psl > 21)
		return 2;
	return 1;
}

void amt_ifd_decode_masters(struct amt_ifd *ifd, bool extended)
{
	ifd->extended_regions = ifd->version == 2 && extended;
	for (unsigned i = 0; i < ifd->nmasters; i++) {
		struct amt_ifd_master *m = &ifd->master[i];
		uint32_t r = m->raw;
		if (ifd->version == 1) {
			/* ifdtool FLMSTR_RD_SHIFT_V1 16 / FLMSTR_WR_SHIFT_V1 24 */
			m->read = (r >> 16) & 0xFF;
			m->write = (r >> 24) & 0xFF;
		} else {
			/* ifdtool FLMSTR_RD_SHIFT_V2 8 / FLMSTR_WR_SHIFT_V2 20;
			 * platform_has_extended_regions: regions 12-15 in [3:0]/[7:4] */
			m->read = (r >> 8) & 0xFFF;
			m->write = (r >> 20) & 0xFFF;
			if (ifd->extended_regions) {
				m->read |= (r & 0xF) << 12;
				m->write |= ((r >> 4) & 0xF) << 12;
			}
		}
	}
}

/* Number of dwords from base to the next section start (or FLUMAP1). */
static uint32_t room_dwords(const struct amt_ifd *ifd, uint32_t base)
{
	uint32_t next = FLUMAP1_OFFSET;
	uint32_t s[5] = { ifd->fcba, ifd->frba, ifd->fmba, ifd->fpsba, FLUMAP1_OFFSET };
	for (int i = 0; i < 5; i++)
		if (s[i] > base && s[i] < next)
			next = s[i];
	return base < next ? (next - base) / 4 : 0;
}

static void parse_fdv(const uint8_t *d, size_t size, struct amt_ifd *ifd)
{
	uint64_t fd = ifd->offset;
	memset(&ifd->fdv, 0, sizeof(ifd->fdv));
	/* MEA: manifest pattern (vendor 0x8086 at +0x10, "$MN2" at +0x1C)
	 * searched in the first 0x20 bytes of FD[0x800:0xC00]. */
	for (uint64_t t = fd + FDV_START + 0x1C; t < fd + FDV_START + 0x20 + 0x1C; t += 4) {
		if (!amt_tag_at(d, size, t, "$MN2") || amt_rd32(d + t - 0x0C) != 0x8086)
			continue;
		uint64_t man = t - 0x1C;
		uint64_t end = fd + FDV_END;
		ifd->fdv.present = true;
		ifd->fdv.manifest_offset = man;
		uint64_t hlen = (uint64_t)amt_rd32(d + man + 4) * 4;
		uint64_t msize = (uint64_t)amt_rd32(d + man + 0x18) * 4;
		if (msize && man + msize < end)
			end = man + msize;
		/* Extensions follow the header (type u32, length u32). */
		uint64_t e = man + hlen;
		for (unsigned n = 0; n < 64 && amt_in(end, e, 8); n++) {
			uint32_t type = amt_rd32(d + e), len = amt_rd32(d + e + 4);
			if (len < 8 || !amt_in(end, e, len))
				break;
			/* MEA CSE_Ext_17: 8 x (u16 start, u16 end) at +8, then the hash. */
			if (type == 0x17 && len >= 0x28) {
				for (unsigned k = 0; k < 8; k++) {
					uint16_t s = amt_rd16(d + e + 8 + 4 * k);
					uint16_t x = amt_rd16(d + e + 10 + 4 * k);
					if (x > s) {
						ifd->fdv.excl_start[ifd->fdv.nexcl] = s;
						ifd->fdv.excl_end[ifd->fdv.nexcl] = x;
						ifd->fdv.nexcl++;
					}
				}
				break;
			}
			e += len;
		}
		return;
	}
}

amt_status amt_ifd_parse(const uint8_t *data, size_t size, uint64_t sig_offset,
			 struct amt_ifd *ifd, amt_error *err)
{
	memset(ifd, 0, sizeof(*ifd));
	if (!data || !amt_in(size, sig_offset, 4) || amt_rd32(data + sig_offset) != AMT_IFD_SIGNATURE)
		return amt_error_set(err, AMT_E_BADMAGIC, "descriptor", sig_offset,
				     "no flash descriptor signature 0x0FF0A55A here");
	if (!amt_in(size, sig_offset, 16))
		return amt_error_set(err, AMT_E_TRUNCATED, "FLMAP0", sig_offset + 4,
				     "the descriptor header (FLMAP0-2) runs past the end of the %zu-byte file",
				     size);
	ifd->sig_offset = sig_offset;
	for (int i = 0; i < 3; i++)
		ifd->flmap[i] = amt_rd32(data + sig_offset + 4 + 4 * i);
	ifd->ich_layout = ich_layout_of(ifd->flmap[0]);
	int64_t start = desc_start(sig_offset, ifd->flmap[0]);
	if (start < 0)
		return amt_error_set(err, AMT_E_RANGE, "FLMAP0", sig_offset + 4,
				     "FCBA 0x%x is not the ICH layout, so the descriptor would start "
				     "0x10 bytes before the signature, before the start of the file",
				     flmap_fcba(ifd->flmap[0]));
	ifd->offset = (uint64_t)start;
	if (!amt_in(size, ifd->offset, AMT_IFD_SIZE))
		return amt_error_set(err, AMT_E_TRUNCATED, "descriptor", ifd->offset,
				     "the 4 KiB descriptor at 0x%llx runs past the end of the %zu-byte file",
				     (unsigned long long)ifd->offset, size);

	const uint8_t *fd = data + ifd->offset;
	uint32_t sig_rel = (uint32_t)(sig_offset - ifd->offset);
	uint32_t hdr_end = sig_rel + 0x10;
	uint64_t m0_off = sig_offset + 4, m1_off = sig_offset + 8, m2_off = sig_offset + 12;

	ifd->fcba = flmap_fcba(ifd->flmap[0]);
	ifd->frba = flmap_frba(ifd->flmap[0]);
	ifd->nc = ((ifd->flmap[0] >> 8) & 3) + 1;
	ifd->nr = (ifd->flmap[0] >> 24) & 7;
	ifd->fmba = flmap_fmba(ifd->flmap[1]);
	ifd->nm = (ifd->flmap[1] >> 8) & 3;
	ifd->fpsba = flmap_fpsba(ifd->flmap[1]);
	ifd->psl = (ifd->flmap[1] >> 24) & 0xFF;
	ifd->fmsba = flmap_fmsba(ifd->flmap[2]);
	ifd->msl = (ifd->flmap[2] >> 8) & 0xFF;
	/* Snow Ridge descriptors leave FLMAP2 erased (flashprog
	 * guess_ich_chipset: FLMAP2 0xFFFFFFFF): no MCH/processor straps */
	if (ifd->flmap[2] == 0xFFFFFFFFu) {
		ifd->fmsba = 0;
		ifd->msl = 0;
	}
	/* flashrom/flashprog include/ich_descriptors.h: FLMAP2 ICCRIBA [23:16]
	 * (read as CSSL from Tiger Point on), CSSO [11:2]; FLUMAP1 (at
	 * 0xEFC) MDTBA [31:24], new since Cannon Point */
	ifd->iccriba = (ifd->flmap[2] >> 16) & 0xFF;
	ifd->csso = (ifd->flmap[2] >> 2) & 0x3FF;
	ifd->flumap1 = amt_rd32(fd + FLUMAP1_OFFSET);
	ifd->mdtba = (ifd->flumap1 >> 24) & 0xFF;

	struct { const char *what, *map; uint32_t base; uint64_t off; } sec[4] = {
		{ "FCBA", "FLMAP0", ifd->fcba, m0_off },
		{ "FRBA", "FLMAP0", ifd->frba, m0_off },
		{ "FMBA", "FLMAP1", ifd->fmba, m1_off },
		{ "FPSBA", "FLMAP1", ifd->fpsba, m1_off },
	};
	for (int i = 0; i < 4; i++) {
		if (sec[i].base < hdr_end || sec[i].base >= FLUMAP1_OFFSET)
			return amt_error_set(err, AMT_E_RANGE, sec[i].map, sec[i].off,
					     "%s 0x%x lies outside the descriptor body (0x%x-0x%x)",
					     sec[i].what, sec[i].base, hdr_end, FLUMAP1_OFFSET - 1);
		for (int j = 0; j < i; j++)
			if (sec[i].base == sec[j].base)
				return amt_error_set(err, AMT_E_OVERLAP, sec[i].map, sec[i].off,
						     "%s 0x%x is the same as %s", sec[i].what,
						     sec[i].base, sec[j].what);
	}

	/* FLCOMP (first dword of the component section) */
	uint32_t flcomp = amt_rd32(fd + ifd->fcba);
	ifd->version = decide_version(ifd, flcomp);

	/* FLMAP3: IFDv2 only, when the header has room for it before the
	 * first section and it is not erased flash (ifdtool prints it for
	 * 500-series+; the platform code clears it for older PCHs). */
	uint32_t min_base = ifd->fcba;
	for (int i = 1; i < 4; i++)
		if (sec[i].base < min_base)
			min_base = sec[i].base;
	if (ifd->version == 2 && hdr_end + 4 <= min_base) {
		ifd->flmap[3] = amt_rd32(fd + hdr_end);
		ifd->has_flmap3 = ifd->flmap[3] != 0xFFFFFFFFu;
	}

	/* Regions: ifdtool max_regions_from_fdbar (room to the next
	 * section), capped at 16, IFDv1 at 5 (MAX_REGIONS_OLD). */
	uint32_t nreg = room_dwords(ifd, ifd->frba);
	uint32_t cap = ifd->version == 1 ? 5 : AMT_IFD_MAX_REGIONS;
	if (nreg > cap)
		nreg = cap;
	if (nreg < 3)
		return amt_error_set(err, AMT_E_RANGE, "FLMAP0", m0_off,
				     "FRBA 0x%x leaves room for %u region registers only "
				     "before the next section (need FLREG0-2)", ifd->frba, nreg);
	ifd->nregions = nreg;
	/* IFDv2: 15-bit fields; IFDv1: ifdtool masks 12 bits (ifdtool get_region). */
	uint32_t mask = ifd->version == 2 ? 0x7FFF : 0xFFF;
	for (unsigned i = 0; i < nreg; i++) {
		struct amt_ifd_region *r = &ifd->region[i];
		r->raw = amt_rd32(fd + ifd->frba + 4 * i);
		r->base = (uint64_t)(r->raw & mask) << 12;
		r->limit = ((uint64_t)((r->raw >> 16) & mask) << 12) | 0xFFF;
		/* unused: base > limit (e.g. 0x00007FFF); an all-ones base
		 * field marks a reserved region too (ifdtool
		 * create_fmap_template: "base of 7FFFh ... reserved"). */
		r->used = r->base <= r->limit && (r->raw & mask) != mask;
		/* regions are flash offsets: flash 0 = descriptor start */
		r->in_file = r->used &&
			     amt_in(size, ifd->offset + r->base, r->limit - r->base + 1);
	}

	/* Masters: IFDv1 has NM+1 (host, ME, GbE: NM = 2 in every ICH/PCH
	 * descriptor of the corpus); IFDv2 FLMSTR1..6 (ifdtool struct fmba,
	 * FLMSTR5 = EC, FLMSTR6 = IE on DNV). Capped by the room before the
	 * next section. */
	uint32_t nm = ifd->version == 1 ? ifd->nm + 1 : 6;
	uint32_t mroom = room_dwords(ifd, ifd->fmba);
	if (nm > mroom)
		nm = mroom;
	if (nm > AMT_IFD_MAX_MASTERS)
		nm = AMT_IFD_MAX_MASTERS;
	ifd->nmasters = nm;
	bool ext = false;
	for (unsigned i = 0; i < nm; i++) {
		ifd->master[i].raw = amt_rd32(fd + ifd->fmba + 4 * i);
		/* [7:0] are reserved without extended regions: non-zero means
		 * the CNL+ encoding (refined by the platform code). */
		if (ifd->master[i].raw & 0xFF)
			ext = true;
	}
	amt_ifd_decode_masters(ifd, ext);

	/* PCH/ICH straps: PSL dwords at FPSBA, capped to the descriptor
	 * (before FLUMAP1) and to the model. */
	uint32_t np = ifd->psl;
	uint32_t proom = (FLUMAP1_OFFSET - ifd->fpsba) / 4;
	if (np > proom)
		np = proom;
	if (np > AMT_IFD_MAX_STRAPS)
		np = AMT_IFD_MAX_STRAPS;
	ifd->npchstrp = np;
	for (unsigned i = 0; i < np; i++)
		ifd->pchstrp[i] = amt_rd32(fd + ifd->fpsba + 4 * i);

	/* MCH/processor straps: MSL dwords at FMSBA. */
	if (ifd->msl) {
		if (ifd->fmsba < hdr_end || ifd->fmsba >= FLUMAP1_OFFSET)
			return amt_error_set(err, AMT_E_RANGE, "FLMAP2", m2_off,
					     "FMSBA 0x%x lies outside the descriptor body (0x%x-0x%x) "
					     "while MSL is %u", ifd->fmsba, hdr_end,
					     FLUMAP1_OFFSET - 1, ifd->msl);
		uint32_t nms = ifd->msl;
		uint32_t mr = (FLUMAP1_OFFSET - ifd->fmsba) / 4;
		if (nms > mr)
			nms = mr;
		ifd->nmchstrp = nms;
		for (unsigned i = 0; i < nms; i++)
			ifd->mchstrp[i] = amt_rd32(fd + ifd->fmsba + 4 * i);
	}

	/* Flash size: component densities (ifdtool dump_fcba: IFDv1 3-bit
	 * fields [2:0]/[5:3], IFDv2 4-bit [3:0]/[7:4]; 0xF = unused). */
	unsigned c1, c2;
	if (ifd->version == 1) {
		c1 = flcomp & 7;
		c2 = (flcomp >> 3) & 7;
	} else {
		c1 = flcomp & 0xF;
		c2 = (flcomp >> 4) & 0xF;
	}
	uint64_t s1 = density_bytes(c1, ifd->version);
	uint64_t s2 = ifd->nc >= 2 ? density_bytes(c2, ifd->version) : 0;
	if (s1 && (ifd->nc < 2 || s2))
		ifd->flash_size = s1 + s2;

	/* Regions that share bytes, or run past the flash: an edit planned
	 * from such a map could erase another region's bytes. */
	for (unsigned i = 0; i < nreg && !ifd->primary_overlap; i++) {
		const struct amt_ifd_region *a = &ifd->region[i];
		if (!a->used)
			continue;
		for (unsigned j = i + 1; j < nreg; j++) {
			const struct amt_ifd_region *b = &ifd->region[j];
			if (!b->used || a->base > b->limit || b->base > a->limit)
				continue;
			bool primary = i <= AMT_RGN_ME && j <= AMT_RGN_ME;
			if (!ifd->regions_overlap || primary) {
				ifd->overlap_a = i;
				ifd->overlap_b = j;
			}
			ifd->regions_overlap = true;
			if (primary) {
				ifd->primary_overlap = true;
				break;
			}
		}
	}
	for (unsigned i = 0; i < nreg && ifd->flash_size; i++)
		if (ifd->region[i].used && ifd->region[i].limit >= ifd->flash_size) {
			ifd->region_past_flash = true;
			ifd->past_flash_region = i;
			break;
		}

	parse_fdv(data, size, ifd);
	return AMT_OK;
}
