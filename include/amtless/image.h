/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * amtless - the image model: what a flash image, an ME region or an IFWI
 * image contains. Produced by amt_image_parse(); read-only afterwards.
 *
 * All offsets in this model are ABSOLUTE offsets in the parsed input buffer
 * unless a field's comment says otherwise. Sizes are in bytes.
 */
#ifndef AMTLESS_IMAGE_H
#define AMTLESS_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <amtless/error.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum amt_tristate {
	AMT_UNKNOWN = 0,
	AMT_NO = 1,
	AMT_YES = 2,
} amt_tristate;

const char *amt_tristate_str(amt_tristate t); /* "unknown", "no", "yes" */

/* ------------------------------------------------------------------ */
/* Input kinds                                                         */

typedef enum amt_input_kind {
	AMT_KIND_UNKNOWN = 0,
	AMT_KIND_FULL,            /* flash descriptor + regions */
	AMT_KIND_DESCRIPTOR_ONLY, /* a descriptor whose ME region is not in the file */
	AMT_KIND_ME_REGION,       /* bare ME/TXE/SPS region: $FPT at 0 or 0x10 */
	AMT_KIND_IFWI_REGION,     /* bare CSE region starting with a layout table */
	AMT_KIND_BPDT,            /* IFWI image starting with a BPDT (TXE 3/4) */
	AMT_KIND_UPDATE,          /* ME update file: not a flash region */
	AMT_KIND_ERASED,          /* every byte 0xFF: an erased (wiped) flash region */
} amt_input_kind;

const char *amt_input_kind_str(amt_input_kind k);

typedef enum amt_family {
	AMT_FAM_UNKNOWN = 0,
	AMT_FAM_ME,
	AMT_FAM_TXE,
	AMT_FAM_SPS,
	AMT_FAM_CSME,
	AMT_FAM_CSTXE,
	AMT_FAM_CSSPS,
} amt_family;

const char *amt_family_str(amt_family f); /* "ME", "TXE", "SPS", "CSME", ... */

/* ------------------------------------------------------------------ */
/* Flash descriptor                                                    */

#define AMT_IFD_SIGNATURE 0x0FF0A55Au
#define AMT_IFD_SIZE 0x1000u
#define AMT_IFD_MAX_REGIONS 16
#define AMT_IFD_MAX_MASTERS 8
#define AMT_IFD_MAX_STRAPS 256

enum amt_region_id {
	AMT_RGN_FD = 0,
	AMT_RGN_BIOS = 1,
	AMT_RGN_ME = 2,
	AMT_RGN_GBE = 3,
	AMT_RGN_PDR = 4,
	AMT_RGN_DEVEXP1 = 5,
	AMT_RGN_BIOS2 = 6,
	AMT_RGN_EC = 8,
	AMT_RGN_DEVEXP2 = 9,
	AMT_RGN_IE = 10,
	AMT_RGN_10GBE0 = 11,
	AMT_RGN_10GBE1 = 12,
	AMT_RGN_PTT = 15,
};

/* "Descriptor", "BIOS", "ME", "GbE", ... ("Region N" for unnamed ids). */
const char *amt_region_name(unsigned id);

struct amt_ifd_region {
	uint32_t raw;    /* FLREGn as stored */
	uint64_t base;   /* absolute offset in the flash (== in a full image) */
	uint64_t limit;  /* last byte, inclusive */
	bool used;       /* base <= limit */
	bool in_file;    /* used and [base, limit] lies inside the input */
};

struct amt_ifd_master {
	uint32_t raw;    /* FLMSTRn as stored */
	uint32_t read;   /* bit r set: may read region r */
	uint32_t write;  /* bit r set: may write region r */
};

typedef enum amt_platform_id {
	AMT_PLAT_UNKNOWN = 0,
	AMT_PLAT_ICH8_10,     /* gen 1, ME 2-5 */
	AMT_PLAT_IBX_WPT,     /* 5-9 series PCH, ME 6-10 */
	AMT_PLAT_BYT_BSW,     /* Bay Trail / Braswell SoC, TXE 1-2 */
	AMT_PLAT_SPT_KBP,     /* 100/200 series, ME 11 */
	AMT_PLAT_CNP_LP,      /* CNP-LP / CMP-LP */
	AMT_PLAT_CNP_H,       /* CNP-H / CMP-H/S */
	AMT_PLAT_CMP_V,
	AMT_PLAT_JSP,
	AMT_PLAT_ICP_LP,
	AMT_PLAT_ICX_D,
	AMT_PLAT_TGP_LP,
	AMT_PLAT_TGP_H,       /* TGL-H, RKL on 500 series */
	AMT_PLAT_MCC,         /* Elkhart Lake */
	AMT_PLAT_ADP_P,       /* ADL-P/H, RPL-P/H/U */
	AMT_PLAT_ADP_S_B0,    /* ADL-S B0 / RPL-S */
	AMT_PLAT_ADP_S_A0,
	AMT_PLAT_MTL,
	AMT_PLAT_LBG,
	AMT_PLAT_DNV,
	AMT_PLAT_APL_GLK,
	AMT_PLAT_ADP_N,       /* ADL-N, Twin Lake, Amston Lake */
	AMT_PLAT_ADP_PN,      /* Alder Point-P or -N, the straps do not say which */
	AMT_PLAT_ARL_HU,      /* Arrow Lake-H/U: no public HAP location */
	AMT_PLAT_ARL_S,       /* Arrow Lake-S/HX, 800 series PCH: no public HAP location */
	AMT_PLAT_LNL,         /* Lunar Lake: no public HAP location */
	AMT_PLAT_PTL,         /* Panther Lake: no public HAP location */
	AMT_PLAT_WCL,         /* Wildcat Lake: no public HAP location */
	AMT_PLAT_NVL,         /* Nova Lake: no public HAP location */
	AMT_PLAT_EBG,         /* Emmitsburg (C740 series): no public HAP location */
	AMT_PLAT_SNR,         /* Snow Ridge: no public HAP location */
	AMT_PLAT__COUNT
} amt_platform_id;

/* The platform named by its short key ("spt", "cnp-h", "adp-p", ...,
 * aliases such as "rpl-s" or "twl" included), or AMT_PLAT_UNKNOWN. */
amt_platform_id amt_platform_from_key(const char *key);
/* The short key of a platform, or NULL (AMT_PLAT_UNKNOWN, out of range). */
const char *amt_platform_key(amt_platform_id id);

typedef enum amt_disable_kind {
	AMT_DIS_NONE = 0,
	AMT_DIS_MEDISABLE,    /* ME <= 5: ICHSTRP0 bit 0 + MCHSTRP0 bit 0 */
	AMT_DIS_ALTMEDISABLE, /* ME 6-10: PCHSTRP10 bit 7 */
	AMT_DIS_HAP,          /* ME 11+: per-platform PCHSTRPn bit 16 */
} amt_disable_kind;

const char *amt_disable_kind_str(amt_disable_kind k); /* "MeDisable", ... */

/* How the platform (and with it the disable bit) was settled. Only
 * RECOGNISED locates the bit for an unattended write; DOUBTFUL and
 * EXPERT_OVERRIDE locate it but want the user to stand behind it; every
 * other status leaves disable.located false. */
typedef enum amt_platform_status {
	AMT_PST_UNKNOWN = 0,          /* no row of the table fits the descriptor: refused */
	AMT_PST_RECOGNISED,           /* recognised (or named) and consistent: located */
	AMT_PST_AMBIGUOUS,            /* several rows fit and nothing settles it: refused */
	AMT_PST_DOUBTFUL,             /* located, but the sources dispute or doubt the place,
					 or only one weak signal names the platform */
	AMT_PST_CONTRADICTS_FW,       /* the (named or recognised) platform cannot run this
					 firmware: refused */
	AMT_PST_CONTRADICTS_DESCRIPTOR, /* the named platform is not the one the descriptor
					   geometry shows: refused */
	AMT_PST_NO_PUBLIC_SOURCE,     /* recognised, but no public source gives its HAP
					 location: refused, never a guessed strap */
	AMT_PST_TOO_FEW_STRAPS,       /* the descriptor has no strap at that index: refused */
	AMT_PST_EXPERT_OVERRIDE,      /* location given explicitly as strap + bit: UNVERIFIED */
} amt_platform_status;

/* "unknown", "recognised", "ambiguous", "doubtful", "contradicts-firmware",
 * "contradicts-descriptor", "no-public-source", "too-few-straps",
 * "expert-override". */
const char *amt_platform_status_str(amt_platform_status s);

/* How much the public sources agree on a row's disable-bit location. */
typedef enum amt_confidence {
	AMT_CONF_NONE = 0,    /* no public source (the row is refused) */
	AMT_CONF_LOW,         /* one unconfirmed source, or sources that disagree */
	AMT_CONF_MEDIUM,      /* one maintained source, not contradicted */
	AMT_CONF_HIGH,        /* several independent sources or confirmed on hardware */
} amt_confidence;

const char *amt_confidence_str(amt_confidence c); /* "none", "low", "medium", "high" */

/* What setting the disable bit does on a platform besides stopping the ME
 * (bits of amt_platform_info.hap_consequences and amt_platform_desc): to
 * be said before writing. */
enum {
	AMT_HAPFX_HECI_VISIBLE = 1u << 0, /* the ME PCI function stays visible unless the
					     firmware hides it */
	AMT_HAPFX_NO_S0IX = 1u << 1,      /* S0ix (modern standby) needs a running ME */
	AMT_HAPFX_HSPHY = 1u << 2,        /* PCIe 5.0 HSPHY firmware comes from the ME: it
					     must be cached in flash */
	AMT_HAPFX_CAPSULE = 1u << 3,      /* Dasharo capsule updates need HAP on */
	AMT_HAPFX__ALL = 0xFu,
};
/* One sentence for one AMT_HAPFX_* bit, and its sources; NULL otherwise. */
const char *amt_hap_consequence_str(unsigned bit);
const char *amt_hap_consequence_source(unsigned bit);

/* Firmware a platform runs (used to refuse a platform that contradicts
 * the firmware). family AMT_FAM_UNKNOWN ends the list. */
struct amt_fw_span {
	amt_family family;
	unsigned major_min, major_max;
	unsigned minor_min, minor_max;
};

/* One row of the platform table (static storage). */
struct amt_platform_desc {
	amt_platform_id id;
	const char *key;        /* short name: "cnp-h", "adp-p", ... */
	const char *name;       /* human name */
	const char *firmware;   /* firmware it runs, e.g. "CSME 16.0-16.1" */
	const char *fingerprint;        /* descriptor geometry that recognises it, or NULL */
	const char *fingerprint_source;
	const char *straps;             /* strap pattern that confirms it, or NULL */
	const char *straps_source;
	amt_disable_kind kind;
	bool hap_known;         /* a public source gives the location */
	unsigned strap_index;   /* PCHSTRPn (HAP / AltMeDisable) when hap_known */
	unsigned bit;
	const char *source;     /* where the location (or its absence) comes from */
	bool doubtful;          /* sources conflict or say it may not work */
	amt_confidence confidence;
	uint32_t hap_consequences; /* AMT_HAPFX_* */
	struct amt_fw_span fw[3];
};

/* The table row of a platform, or NULL (AMT_PLAT_UNKNOWN, out of range). */
const struct amt_platform_desc *amt_platform_describe(amt_platform_id id);

/* One strap bit. */
struct amt_strap_bit {
	char strap[16];        /* "PCHSTRP32", "ICHSTRP0", "MCHSTRP0" */
	unsigned index;        /* dword index within its strap section */
	unsigned bit;          /* bit within the dword */
	uint64_t file_offset;  /* absolute offset of the byte holding the bit */
	unsigned byte_bit;     /* bit within that byte */
	bool set;
};

struct amt_disable_bit {
	amt_disable_kind kind;
	bool located;                  /* false: platform unknown/ambiguous/refused */
	unsigned nloc;                 /* 1, or 2 for gen 1 (ICH + MCH) */
	struct amt_strap_bit loc[2];
	amt_tristate state;            /* YES: all set; NO: clear; UNKNOWN: not located */
	const char *source;            /* where the location comes from */
	char note[320];                /* why not located, conflicts, ... */
};

/* What recognised the platform (bits of amt_platform_info.evidence). */
enum {
	AMT_PEV_GEOMETRY = 1u << 0,   /* descriptor geometry (FLMAP/FLUMAP fields) */
	AMT_PEV_STRAPS = 1u << 1,     /* strap pattern */
	AMT_PEV_FIRMWARE = 1u << 2,   /* the ME firmware's family and version */
	AMT_PEV_NAMED = 1u << 3,      /* named by the caller */
};

struct amt_platform_info {
	amt_platform_id id;
	const char *name;      /* "Cannon Point-H / Comet Lake-H/S" */
	const char *source;    /* how it is recognised: geometry / strap sources */
	bool ambiguous;        /* status AMBIGUOUS, DOUBTFUL or EXPERT_OVERRIDE: the
				  user must name it (or stand behind the location) */
	char why[320];         /* how it was recognised, or why not (no option names) */
	amt_platform_status status;
	amt_confidence confidence; /* of the location used (NONE when not located or
				      given by an expert override) */
	unsigned evidence;     /* AMT_PEV_* */
	bool named;            /* the caller named the platform */
	bool expert_override;  /* disable bit placed by amt_parse_opts.hap_override */
	uint32_t hap_consequences; /* AMT_HAPFX_* of the platform's row */
};

/* Signed descriptor (FDV): a $MN2 with CSE extension 0x17 at FD+0x800. */
struct amt_fdv {
	bool present;
	uint64_t manifest_offset;
	unsigned nexcl;
	uint16_t excl_start[8], excl_end[8];  /* relative to the descriptor */
};

struct amt_ifd {
	uint64_t offset;       /* absolute offset of the descriptor's first byte */
	uint64_t sig_offset;   /* absolute offset of the signature dword */
	int version;           /* 1 (IFDv1) or 2 (IFDv2) */
	bool ich_layout;       /* signature at descriptor+0 (ICH8-10) */
	uint32_t flmap[4];
	bool has_flmap3;
	/* section bases, RELATIVE to the descriptor start */
	uint32_t fcba, frba, fmba, fpsba, fmsba;
	unsigned nc, nr, nm, psl, msl;
	/* geometry as flashrom/flashprog guess_ich_chipset read it */
	uint32_t flumap1;      /* descriptor + 0xEFC */
	unsigned iccriba;      /* FLMAP2[23:16] (from Tiger Point on: CSSL) */
	unsigned csso;         /* FLMAP2[11:2], CPU soft-strap offset (Tiger Point on) */
	unsigned mdtba;        /* FLUMAP1[31:24], MIP descriptor table base (CNP on) */
	unsigned nregions;
	struct amt_ifd_region region[AMT_IFD_MAX_REGIONS];
	unsigned nmasters;     /* FLMSTR1..nmasters */
	struct amt_ifd_master master[AMT_IFD_MAX_MASTERS]; /* [0] = FLMSTR1 */
	bool extended_regions; /* master encoding carries regions 12-15 */
	unsigned npchstrp;
	uint32_t pchstrp[AMT_IFD_MAX_STRAPS]; /* ICHSTRPn on IFDv1 */
	unsigned nmchstrp;
	uint32_t mchstrp[AMT_IFD_MAX_STRAPS];
	uint64_t flash_size;   /* from component density, 0 if unknown */
	struct amt_platform_info platform;
	struct amt_disable_bit disable;
	struct amt_fdv fdv;
	/* Two used regions share bytes (the first such pair), or a used region
	 * ends past the flash size the components give: the region map cannot
	 * be trusted for edits (lib/ifd/ifd.c). */
	bool regions_overlap;
	unsigned overlap_a, overlap_b;   /* region ids of that pair (a pair of
					    primary regions first) */
	bool primary_overlap;            /* two of descriptor, BIOS and ME share
					    bytes: a broken map; an overlap with
					    another region (Meteor Lake's DevExp2
					    inside its ME region) is how some
					    vendors lay out their flash */
	bool region_past_flash;          /* a used region ends past flash_size */
	unsigned past_flash_region;
};

/* ------------------------------------------------------------------ */
/* ME firmware                                                         */


typedef enum amt_layout {
	AMT_LAYOUT_NONE = 0,
	AMT_LAYOUT_GEN1,      /* ME 2-5: $FPT + CODE + $MAN */
	AMT_LAYOUT_GEN2,      /* ME 6-10, TXE 1-2, SPS 2-3: $FPT + $MN2 + $MME */
	AMT_LAYOUT_CSE_FPT,   /* ME 11, SPS 4, TXE 3/4 regions: $FPT + $CPD */
	AMT_LAYOUT_IFWI16,    /* CSE layout table 1.6 (CSME 12-14) */
	AMT_LAYOUT_IFWI17,    /* CSE layout table 1.7 (CSME 15+) */
	AMT_LAYOUT_BPDT,      /* IFWI 2.0: BPDT at region start (TXE 3/4) */
} amt_layout;

const char *amt_layout_str(amt_layout l);

struct amt_version {
	uint16_t major, minor, hotfix, build;
};

typedef enum amt_sig_status {
	AMT_SIG_NOT_CHECKED = 0,
	AMT_SIG_VALID,
	AMT_SIG_INVALID,
	AMT_SIG_UNSUPPORTED,
} amt_sig_status;

const char *amt_sig_status_str(amt_sig_status s); /* "valid", ... */

typedef enum amt_manifest_kind {
	AMT_MAN_GEN1 = 0,  /* $MAN, RSA-2048 + SHA-1 */
	AMT_MAN_R0,        /* $MN2 ME 6-10: RSA-2048 PKCS#1 v1.5 + SHA-256 */
	AMT_MAN_R1,        /* $MN2 CSE R1: RSA-2048 PKCS#1 v1.5 + SHA-256 */
	AMT_MAN_R2,        /* $MN2 CSE R2: RSA-3072 PSS + SHA-384 */
} amt_manifest_kind;

struct amt_key_info {
	bool present;          /* key bytes could be read */
	unsigned modulus_bits;
	uint32_t exponent;
	uint8_t modulus_sha256[32]; /* SHA-256 of the modulus (big-endian bytes) */
	uint8_t me_cleaner_md5[16]; /* MD5 of the 0x104 bytes at manifest+0x80 */
	/* me_cleaner 1.2's own key table (corna/me_cleaner 43612a6 pubkeys_md5):
	 * whether it knows this key, the variant it names ("ME", "TXE", "SPS"
	 * as AMT_FAM_ME/TXE/SPS) and its "firmware versions" label */
	bool me_cleaner_known;
	amt_family me_cleaner_variant;
	const char *me_cleaner_versions;
	/* SHA-256 of the modulus bytes as stored (little-endian): the
	 * fingerprint MEA uses for its key lists (MEA.py rsa_key_hash) */
	uint8_t stored_sha256[32];
	/* MEA.dat rsa_pre_keys lists it: Intel's pre-production (debug) key */
	bool preproduction;
	bool known;
	const char *name;      /* "Intel ME 11.x production" (known keys) */
	const char *source;    /* where the fingerprint comes from */
	amt_family family;     /* family the known key implies (UNKNOWN if not known) */
	unsigned major_min, major_max; /* firmware majors the key is known for (0 = n/a) */
};

struct amt_manifest {
	char partition[5];     /* owning partition ("FTPR", "CODE", ...) */
	char name[13];         /* CPD entry name ("FTPR.man") or "" */
	amt_manifest_kind kind;
	uint64_t offset;       /* absolute offset of the manifest header */
	uint32_t header_len;   /* bytes (HeaderLength * 4) */
	uint32_t size;         /* bytes (Size * 4) */
	uint32_t header_version;
	uint32_t flags;
	uint32_t vendor;
	uint32_t date;         /* BCD 0xYYYYMMDD */
	struct amt_version version;
	uint32_t svn;
	/* Version Control Number, where the generation keeps it (MEA.py): $MN2
	 * R0 +0x34 (ME 8-10, TXE 0-2); CSE: extension 0x03 (+0x30 R1, +0x40
	 * R2), else 0x0F (+0x0C), else 0x23 (+0x0C). vcn_known false: this
	 * manifest holds none (vcn is then 0 and means nothing). */
	bool vcn_known;
	uint32_t vcn;
	uint64_t vcn_offset;   /* absolute offset of the field (vcn_known) */
	uint32_t module_count; /* $MAN / $MN2 R0 */
	uint64_t modulus_offset, exponent_offset, signature_offset;
	unsigned key_bytes;    /* 256 or 384 */
	struct amt_key_info key;
	amt_sig_status sig;
	char sig_detail[96];   /* why invalid/unsupported */
	/* RSASSA-PSS (R2): the salt length the signature carries, recovered
	 * from the verified block; -1 when not PSS or not verified */
	int pss_salt_len;
};

/* Flags bit 31 of a $MAN/$MN2 header: signed for debug (MEA.py
 * MN2_Manifest_Flags DebugSigned). */
#define AMT_MAN_FLAG_DEBUG 0x80000000u

typedef enum amt_compression {
	AMT_COMP_NONE = 0,
	AMT_COMP_HUFFMAN,
	AMT_COMP_LZMA,
	AMT_COMP_UNKNOWN,
} amt_compression;

const char *amt_compression_str(amt_compression c);

/* Why a module's stored hash was not compared (hash_ok UNKNOWN). */
typedef enum amt_unchecked {
	AMT_UNCHECKED_NONE = 0,      /* compared (hash_ok YES/NO), or no reason recorded */
	AMT_UNCHECKED_NO_HASH,       /* the image holds no hash for this module */
	AMT_UNCHECKED_ENCRYPTED,     /* Module Attributes (0x0A) say encrypted */
	AMT_UNCHECKED_REMOVED,       /* its bytes are erased or cut off (present NO) */
	AMT_UNCHECKED_OUT_OF_RANGE,  /* its bytes are not (all) in the input */
	AMT_UNCHECKED_NO_CHUNK_TABLE, /* gen 2 Huffman: no LLUT/GLUT maps its pages */
	AMT_UNCHECKED_CODE_BOOK_GAP, /* uses a Huffman code word whose symbol is not
					known (lib/fw/huffman_books.txt "-") */
	AMT_UNCHECKED_TOO_LARGE,     /* over AMT_UNPACK_MAX unpacked */
	AMT_UNCHECKED_COMPRESSION,   /* unknown compression */
	AMT_UNCHECKED_KNOWN_BAD_HASH, /* a known exception: the stored hash is not
					that of its bytes (ME 6 VE_FW_NAND: it unpacks
					without error, yet its $MME hash matches no
					decoding; unhuffme 2.4 names it the one module
					it cannot verify) */
} amt_unchecked;

/* "none", "no hash", "encrypted", "removed", ... */
const char *amt_unchecked_str(amt_unchecked u);

typedef enum amt_module_kind {
	AMT_MOD_MODULE = 0,  /* code/data module */
	AMT_MOD_MANIFEST,    /* $CPD ".man" entry */
	AMT_MOD_METADATA,    /* $CPD ".met" entry */
	AMT_MOD_OTHER,       /* other $CPD entry (keys, config, ...) */
} amt_module_kind;

struct amt_module {
	char name[17];
	char partition[5];
	amt_module_kind kind;
	uint64_t header_offset;  /* absolute: $MME header / $CPD entry */
	uint64_t offset;         /* absolute offset of the stored bytes */
	uint32_t size;           /* bytes stored in the image; for Huffman
				    modules (stored as scattered 4 KiB chunks)
				    the uncompressed size, with offset at the
				    chunk table (LLUT) and in_range covering
				    only that table: never read offset+size */
	uint32_t usize;          /* uncompressed size (0 if unknown) */
	amt_compression comp;
	uint32_t flags;          /* raw header flags */
	bool in_range;           /* offset/size inside the partition */
	amt_tristate removable;  /* InitScript Removable flag (CSE) */
	amt_tristate hap_boot;   /* InitScript boot type HAP flag (CSE) */
	bool kept;               /* kept by the default neutralization */
	amt_tristate hash_ok;    /* stored hash matches (when checkable) */
	amt_unchecked unchecked; /* why hash_ok is UNKNOWN (Huffman modules and
				    the modules whose check says why) */
	amt_tristate present;    /* YES: its stored bytes are in the input and
				    not all 0xFF; NO: erased (all 0xFF) or
				    entirely past the end of the input
				    (truncated away); UNKNOWN: cannot tell.
				    Gen 2 Huffman modules: see lib/fw/present.c */
	uint32_t load_base;      /* gen 2: $MME +0x34, the address the module
				    is loaded at (Huffman: selects its LLUT chunks) */
	int llut;                /* gen 2 Huffman: index into fw.lluts, -1 if none */
	/* The hash the image stores for this module, as stored: gen 2 $MME
	 * +0x14 (SHA-256), CSE .met Module Attributes (0x0A) +0x18 (SHA-256 or
	 * SHA-384); hash_len 0: none (then hash_offset is AMT_NO_OFFSET) */
	unsigned hash_len;
	uint8_t stored_hash[48];
	uint64_t hash_offset;    /* absolute offset of stored_hash in the input */
	/* CSE .met facts (lib/fw/cse/met.c): has_met false for other modules */
	bool has_met;            /* a .met with a Module Attributes extension */
	bool encrypted;          /* Module Attributes +0x09 is not zero */
	uint16_t met_module_id;  /* Module Attributes +0x14 (MEA "DEV_ID"): an
				    ME-internal module number, not a PCI id */
	uint16_t met_vendor_id;  /* Module Attributes +0x16 (0x8086) */
};

/* What a CSE module's .met declares (extensions 0x04-0x09, 0x0B; layouts
 * from MEA.py CSE_Ext_04..0B, doc/formats.md#met-declarations). One entry
 * per declared item, in fw.decls; module is the index in fw.modules. */
typedef enum amt_decl_kind {
	AMT_DECL_PROCESS = 1,     /* 0x05 Process Manifest: u.process */
	AMT_DECL_SHARED_LIB,      /* 0x04 Shared Library: u.shlib */
	AMT_DECL_GROUP,           /* 0x05 group ids (+0x44 on): u.group */
	AMT_DECL_THREAD,          /* 0x06 Threads, one entry: u.thread */
	AMT_DECL_DEVICE,          /* 0x07 Device IDs, one entry: u.device */
	AMT_DECL_MMIO,            /* 0x08 MMIO Ranges, one entry: u.mmio */
	AMT_DECL_SPECIAL_FILE,    /* 0x09 Special File Producer, one file: u.file */
	AMT_DECL_LOCKED_RANGE,    /* 0x0B Locked Ranges, one entry: u.locked */
} amt_decl_kind;

const char *amt_decl_kind_str(amt_decl_kind k); /* "process", "mmio", ... */

/* MMIO access (0x08 entry +0x08, MEA: N/A, read only, write only, read & write) */
enum { AMT_MMIO_NONE = 0, AMT_MMIO_READ = 1, AMT_MMIO_WRITE = 2, AMT_MMIO_RW = 3 };

/* Process Manifest flags (0x05 +0x08, MEA CSE_Ext_05_Flags) */
enum {
	AMT_PROC_FAULT_TOLERANT = 1u << 0,   /* terminate the process (else reset) */
	AMT_PROC_PERMANENT = 1u << 1,
	AMT_PROC_SINGLE_INSTANCE = 1u << 2,
	AMT_PROC_TRUSTED_SENDRECV = 1u << 3, /* trusted SendReceive sender */
	AMT_PROC_TRUSTED_NOTIFY = 1u << 4,   /* trusted Notify sender */
	AMT_PROC_PUBLIC_SENDRECV = 1u << 5,  /* public SendReceive receiver */
	AMT_PROC_PUBLIC_NOTIFY = 1u << 6,    /* public Notify receiver */
};

struct amt_decl {
	size_t module;           /* index into fw.modules */
	amt_decl_kind kind;
	uint64_t offset;         /* absolute offset of the entry in the input */
	union {
		struct {
			uint32_t flags;          /* AMT_PROC_* */
			uint32_t main_thread_id, code_base, code_size, cm0_heap, bss_size,
				 default_heap, entry;
			uint32_t syscalls[3];    /* allowed system calls, a bit each */
			uint16_t user_id;
		} process;
		struct {
			uint32_t context_size, virtual_size, code_base, tls_size;
		} shlib;
		struct { uint16_t id; } group;
		struct {
			uint32_t stack_size, flags, policy; /* flags b0: CM0 UMA only;
							       policy b0 fixed priority,
							       b31:7 priority */
		} thread;
		struct {
			uint32_t id;     /* ME-internal device number (MEA "Device ID";
					    R1 "Device Types"): not a PCI id */
		} device;
		struct {
			uint32_t base, size, access; /* ME address space; AMT_MMIO_* */
		} mmio;
		struct {
			char name[13];
			uint16_t major;  /* of its producer extension */
			uint16_t mode, user_id, group_id;
			uint8_t minor;
		} file;
		struct { uint32_t base, size; } locked;
	} u;
};

/* The LLUT of a generation-2 code partition: the table of the chunks
 * (chunk_size bytes of code each, compressed one by one) in which its
 * Huffman modules are stored (lib/fw/llut.c). */
struct amt_llut_chunk {
	uint32_t offset;   /* region-relative start of the chunk's bytes (entry
			      bits 24:0); 0: the chunk holds no data (entry
			      top byte 0x80, or 0) */
	uint8_t flags;     /* entry bits 31:25: 0x00 stored, 0x20 Huffman code,
			      0x40 empty, 0x60 Huffman data (unhuffme
			      pch_format.h) */
	uint32_t end;      /* region-relative end (exclusive): the next larger
			      offset of the table, or the end of the stream;
			      == offset when unknown */
	bool end_known;    /* false: at or past the end of the stream */
	bool repeated;     /* another entry has the same offset, or it is the
			      end of the stream (me_cleaner gives such chunks
			      no length and never erases them) */
};

/* The code book a LUT names at +0x38 (unhuffme pch_format.h). */
typedef enum amt_llut_book {
	AMT_LLUT_BOOK_UNNAMED = 0,
	AMT_LLUT_BOOK_PCH,      /* "PCH ": the ME 6 book */
	AMT_LLUT_BOOK_CPT,      /* "CPT ": the ME 7-10 book */
} amt_llut_book;

struct amt_llut {
	size_t partition;       /* index into fw.partitions */
	uint64_t offset;        /* absolute offset of "LLUT" (or "GLUT") */
	uint32_t nchunks;       /* +0x04 */
	uint32_t addr_base;     /* +0x08: chunk i holds the code at
				   0x10000000 + addr_base + i * chunk_size */
	uint32_t spi_base;      /* +0x0C */
	uint32_t stream_len;    /* +0x10 */
	uint32_t stream_start;  /* +0x14: region-relative start of the stream */
	uint64_t stream_end;    /* stream_start + stream_len */
	uint32_t chunk_size;    /* +0x30 */
	amt_llut_book book;     /* +0x38 */
	bool table_ok;          /* the chunk table lies inside the partition and
				   chunk_size is not 0: chunks[] is filled */
	struct amt_llut_chunk *chunks;  /* nchunks entries when table_ok */
};

typedef enum amt_part_container {
	AMT_CONT_FPT = 0,
	AMT_CONT_BPDT,           /* primary BPDT */
	AMT_CONT_SBPDT,          /* secondary BPDT */
	AMT_CONT_LAYOUT,         /* CSE layout table (data / boot partitions) */
} amt_part_container;

struct amt_partition {
	char name[5];
	char owner[5];
	amt_part_container container;
	uint32_t type;          /* FPT flags[6:0] or BPDT entry type */
	uint32_t raw_flags;
	uint64_t entry_offset;  /* absolute offset of its FPT/BPDT entry */
	uint64_t offset;        /* absolute offset of its data */
	uint64_t size;
	uint32_t raw_offset, raw_size; /* FPT/BPDT entry fields as stored */
	bool valid;             /* entry not marked invalid */
	bool empty;             /* no data in flash (NVRAM, 0/0xFFFFFFFF) */
	bool in_range;          /* data inside the region/image */
	int manifest;           /* index into fw.manifests, -1 if none */
	bool has_cpd;
	uint64_t cpd_offset;
	unsigned cpd_version;   /* 1 or 2 */
	unsigned cpd_entries;
	size_t first_module, nmodules; /* range in fw.modules */
	bool kept;              /* kept by the default neutralization */
};

/* FPT partition types (flags[6:0]) */
enum {
	AMT_FPT_CODE = 0,
	AMT_FPT_DATA = 1,
	AMT_FPT_NVRAM = 2,
	AMT_FPT_GENERIC = 3,
	AMT_FPT_EFFS = 4,
	AMT_FPT_ROM = 5,
};
const char *amt_fpt_type_str(uint32_t type);

struct amt_fpt {
	uint64_t offset;        /* absolute offset of "$FPT" */
	uint64_t romb_offset;   /* absolute offset of the 16-byte ROM bypass, or AMT_NO_OFFSET */
	uint32_t nentries;
	uint8_t header_version; /* 0x10, 0x20, 0x21 */
	uint8_t entry_version;
	uint8_t header_len;
	uint8_t checksum;       /* 8-bit checksum byte as stored (v1/2.0) */
	uint32_t crc32;         /* as stored (v2.1) */
	bool v21;               /* 2.1 rules: CRC-32 at +0x14 (also a 2.0 tag
				   with the FIT bug, see lib/fw/fpt.c) */
	uint32_t flags;
	struct amt_version fit_version;
};

/* What a check covers (typed, so callers never parse `what`). */
typedef enum amt_check_kind {
	AMT_CHECK_STRUCTURE = 0,  /* a checksum/CRC of a table or header */
	AMT_CHECK_MODULE_HASH,    /* the hash of one module (module: its index) */
	AMT_CHECK_PARTITION_HASH, /* the signed hash of a partition, manifest extension
				     0x03 (partition: its index) */
	AMT_CHECK_CPD,            /* a $CPD checksum-8 (R1) / CRC-32 (R2): a structure */
} amt_check_kind;

/* A checksum/CRC/hash in the image and whether it matches. */
struct amt_check {
	amt_check_kind kind;
	int module;             /* AMT_CHECK_MODULE_HASH: index into fw.modules, else -1 */
	int partition;          /* AMT_CHECK_PARTITION_HASH: index into fw.partitions, else -1 */
	char what[48];          /* "$FPT checksum-8", "$CPD FTPR CRC-32", ... */
	uint64_t offset;        /* absolute offset of the stored value */
	amt_tristate ok;        /* YES match, NO mismatch, UNKNOWN not checkable */
	uint64_t stored, computed;
	/* hash checks (module / partition hashes): the whole digests, in the
	 * byte order the image stores them; hash_len 0 for other checks (then
	 * stored/computed hold the values, for hashes only their first 8 bytes) */
	unsigned hash_len;
	uint8_t stored_hash[48], computed_hash[48];
	char note[80];
};

/* CSE layout table / BPDT summary. */
struct amt_ifwi {
	bool has_layout;
	uint64_t layout_offset;
	unsigned layout_version;     /* 16 or 17 */
	uint64_t data_offset, data_size;   /* absolute, the data $FPT */
	unsigned nboot;
	uint64_t boot_offset[5], boot_size[5];
	unsigned nbpdt;
	uint64_t bpdt_offset[8];     /* primary/secondary BPDTs found */
	unsigned bpdt_version;       /* 1 (IFWI 1.6 / 2.0) or 2 (1.7) */
	/* layout table 1.7 (MEA CSE_Layout_Table_17; coreboot cse_layout.h) */
	unsigned layout_size;        /* bytes from +0x10: 0x40, or 0x48 with the ELog */
	bool redundancy;             /* flags bit 0: BP2 holds a backup of BP1 */
	uint64_t temp_offset, temp_size;   /* temporary pages (DRAM cache), absolute; size 0: none */
	uint64_t elog_offset, elog_size;   /* external fatal error log, absolute; size 0: none */
	/* the first (primary) BPDT's header */
	unsigned bpdt_flags;         /* version 2, +0x07: bit 0 BPDT redundancy */
	uint32_t bpdt_ifwi_version;  /* +0x0C, build server mark */
	struct amt_version bpdt_fit_version; /* +0x10 */
};

/* Manifest extension facts collected from CSE manifests. */
struct amt_init_entry {
	char partition[5];
	char module[13];
	uint32_t init_flags;   /* b1 Removable */
	uint32_t boot_flags;   /* b1 HAP */
};

struct amt_cse_info {
	bool has_skucaps;        /* ext 0x0C */
	uint32_t fwsku_caps;
	uint64_t fwsku_attrib;
	int sku_type;            /* attrib [6:4]: 0 COR, 1 CON, 2 SLM, 3 SVR, 5 CHR */
	int sku_platform;        /* attrib [11:10] on CSME 11: 0 H, 1 LP; -1 n/a */
	bool has_pkg_info;       /* ext 0x0F */
	uint8_t fw_type, fw_sku;
	size_t ninit;
	struct amt_init_entry *init; /* ext 0x01 */
};

struct amt_evidence {
	char text[200];
};
/* Release of the firmware (MEA.py "Release"). */
typedef enum amt_release {
	AMT_REL_UNKNOWN = 0,
	AMT_REL_PRODUCTION,
	AMT_REL_PREPRODUCTION,   /* debug-signed, or signed with a pre-production key */
	AMT_REL_ROM_BYPASS,      /* pre-production with a ROM bypass (ROMB holds data) */
} amt_release;

const char *amt_release_str(amt_release r); /* "unknown", "Production", "Pre-Production", "ROM-Bypass" */

/* Why (bits of amt_fw.release_why). */
enum {
	AMT_RELWHY_DEBUG_FLAG = 1u << 0, /* FTPR manifest flags bit 31 (debug-signed) */
	AMT_RELWHY_PRE_KEY = 1u << 1,    /* FTPR key in MEA's pre-production key list */
	AMT_RELWHY_ROMB = 1u << 2,       /* a ROMB partition with data */
};

/* What kind of image the firmware is (MEA.py "Type"). */
typedef enum amt_fw_type {
	AMT_FWT_UNKNOWN = 0,
	AMT_FWT_STOCK,       /* Intel's clean region, as released (not built for a board) */
	AMT_FWT_EXTRACTED,   /* a region built for a board (Intel's FIT) or read from one */
	AMT_FWT_UPDATE,      /* a firmware update image */
} amt_fw_type;

const char *amt_fw_type_str(amt_fw_type t); /* "unknown", "stock", "extracted", "update" */

/* The rule that decided amt_fw.fw_type (MEA.py, "Firmware Type detection"). */
typedef enum amt_fwt_rule {
	AMT_FWTR_NONE = 0,          /* not decided (ME 2-3; see fw_type UNKNOWN) */
	AMT_FWTR_UPDATE_FILE,       /* no flash region: an update file */
	AMT_FWTR_UPDATE_PARTITIONS, /* $FPT whose only partitions with data are FTPR,
				       FTUP and NFTP */
	AMT_FWTR_IFWI,              /* an IFWI image (layout table / BPDT) */
	AMT_FWTR_SPS,               /* SPS regions are always built by hand */
	AMT_FWTR_FIT_VERSION,       /* the $FPT names the FIT version that built it */
	AMT_FWTR_CLEAN_FPT,         /* $FPT FIT build 0 or 0xFFFF, nothing configured */
	AMT_FWTR_FOVD,              /* FOVD (FIT overrides) holds data */
	AMT_FWTR_FIT_PLACEHOLDER,   /* CSTXE: $FPT header bytes left as FIT placeholders */
	AMT_FWTR_ROMB_ERASED,       /* CSME 13+: ROM bypass vectors erased (FWUpdate) */
	AMT_FWTR_KRND,              /* ME 4-7: a FITC configuration ("KRND") is present */
	AMT_FWTR_NO_KRND,           /* ME 4-7: no FITC configuration, FOVD clean */
	AMT_FWTR_MINIFAD,           /* ME 6 Ignition: fewer than two clean $MINIFAD sums */
} amt_fwt_rule;

/* Where the SKU platform (H / LP ...) was read. */
typedef enum amt_skuplat_src {
	AMT_SKUPLAT_NONE = 0,
	AMT_SKUPLAT_ATTRIB,   /* Ext 0x0C FWSKUAttrib bits 11:10 (CSME 11.0.0.1205+) */
	AMT_SKUPLAT_KERNEL,   /* the unpacked FTPR kernel (CSME 11 before 1205) */
	AMT_SKUPLAT_CAPS,     /* Ext 0x0C FWSKUCaps bits 8 (H) / 9 (LP) (CSME 12+) */
} amt_skuplat_src;

/* Partitions that overlap because Intel lays them out so (MEA.py ignores
 * exactly these): facts, not problems. */
typedef enum amt_overlap_why {
	AMT_OVL_FTUP = 1,     /* FTUP, the update partition, spans NFTP (and WCOD, LOCL) */
	AMT_OVL_DLMP,         /* DLMP's entry overlaps its neighbours (FTPR, MFS) */
} amt_overlap_why;

const char *amt_overlap_why_str(amt_overlap_why w);

struct amt_layout_overlap {
	size_t a, b;          /* indexes into fw.partitions (a listed first) */
	amt_overlap_why why;
	uint64_t start, end;  /* the shared bytes, absolute, end exclusive */
};


struct amt_fw {
	amt_layout layout;
	int generation;              /* 1, 2, 3 (3 = CSE incl. IFWI) */
	amt_family family;
	bool version_known;
	struct amt_version version;
	uint64_t region_offset, region_size; /* the ME region within the input */

	bool has_fpt;
	struct amt_fpt fpt;
	struct amt_ifwi ifwi;

	char sku[48];                /* "1.5MB", "5MB", "Ignition", "Consumer H" */
	uint64_t sku_raw;
	bool sku_known;
	/* the SKU field as stored (file byte order): $SKU+8 (4 bytes on ME 2-6,
	   8 on ME 7-10/TXE) or FWSKUAttrib (Ext 0x0C +0x28, 8 bytes) */
	uint8_t sku_bytes[8];
	unsigned sku_nbytes;         /* 0: none read */
	uint64_t sku_offset;         /* absolute offset of sku_bytes */
	amt_skuplat_src sku_platform_source;

	/* Version Control Number of the firmware (its FTPR/CODE manifest) */
	bool vcn_known;
	uint32_t vcn;
	amt_release release;
	unsigned release_why;        /* AMT_RELWHY_* */
	amt_fw_type fw_type;
	amt_fwt_rule fw_type_rule;
	size_t nlayout_overlaps;
	struct amt_layout_overlap *layout_overlaps;
	amt_tristate amt_present;
	bool stripped;               /* every code module outside the boot keep
					list is gone (present == NO) and no other
					code partition holds data: neutralized
					(lib/fw/strip.c) */
	size_t namt_evidence;
	struct amt_evidence *amt_evidence;

	struct amt_cse_info cse;

	int ftpr_manifest;           /* index of the FTPR/CODE manifest, -1 if none */
	const struct amt_key_info *key; /* key of the FTPR manifest (or NULL) */

	size_t npartitions;
	struct amt_partition *partitions;
	size_t nmanifests;
	struct amt_manifest *manifests;
	size_t nmodules;
	struct amt_module *modules;
	size_t nchecks;
	struct amt_check *checks;
	/* what CSE modules declare in their .met (lib/fw/cse/met.c) */
	size_t ndecls;
	struct amt_decl *decls;
	bool decls_cut;              /* more than the parser's bounds (4096 per
					extension, 0x20000 per image): the rest
					were not read (a problem says so) */

	/* Huffman LLUT of FTPR (gen 2): the fields of lluts[] of FTPR */
	bool has_llut;
	uint64_t llut_offset;
	uint32_t llut_chunks, llut_chunk_size, llut_addr_base, llut_spi_base;

	/* every LLUT of the image (one per gen 2 partition with Huffman modules) */
	size_t nlluts;
	struct amt_llut *lluts;

	bool ignition;               /* ME 6 Ignition firmware ($SKU value 0) */
	unsigned mme_stride;         /* gen 2 FTPR: $MME header size (0x60, 0x80,
					0x50), 0 when not found */
	/* the region was truncated after its kept data (me_cleaner -t,
	   amtless --truncate): partitions declared past the end of the input */
	bool truncated;

	/* Preview of the default neutralization (filled by amt_fw_mark_kept) */
	uint64_t code_bytes;         /* bytes of code partitions/modules before */
	uint64_t kept_bytes;         /* bytes that would remain */
	uint64_t min_region_size;    /* 0: the model does not plan. The smallest ME
					region is the plan's min_me_size (amt_neutralize
					with opts.plan_only), the one number inspect and
					neutralize show */
};

/* ------------------------------------------------------------------ */
/* The whole image                                                     */

struct amt_image {
	const uint8_t *data;         /* borrowed: caller keeps it alive */
	size_t size;
	amt_input_kind kind;
	char kind_detail[200];       /* what was found where */

	bool has_ifd;
	struct amt_ifd ifd;

	bool has_fw;
	struct amt_fw fw;
	/* The descriptor's ME region is in the file and every byte of it is
	   0xFF (wiped: me_cleaner on ME 6 Ignition / generation 1): has_fw is
	   false, and that is the neutralized state, not a problem. */
	bool me_erased;

	/* Non-fatal problems met while parsing (bad sub-structures). */
	size_t nproblems;
	amt_error *problems;

	/* A bare ME region truncated after its kept data (me_cleaner -t,
	   amtless --truncate): its $FPT partitions run past the end of the
	   file. truncated_to is the size its partitions declare (the file is
	   read as if padded with 0xFF to it), 0 otherwise; the parser's remarks
	   that only the truncation causes (they vanish on the padded file) are
	   facts of the truncation, listed here and not in problems. */
	uint64_t truncated_to;
	size_t ntruncation_notes;
	amt_error *truncation_notes;
};

/* Expert override of the disable bit's place: PCHSTRP<strap> bit <bit>,
 * used as given and reported as UNVERIFIED (status EXPERT_OVERRIDE). */
struct amt_hap_override {
	bool set;
	unsigned strap;              /* PCH strap dword index (from FPSBA) */
	unsigned bit;                /* 0-31 */
};

/* Size-versioned: set up by amt_parse_opts_init (struct_size); a library
 * newer than the program reads the fields the program knows and keeps its
 * defaults for the others. */
struct amt_parse_opts {
	size_t struct_size;          /* sizeof(struct amt_parse_opts): set by init */
	bool verify_signatures;      /* run RSA checks (default true) */
	amt_platform_id platform_override; /* AMT_PLAT_UNKNOWN = detect */
	struct amt_hap_override hap_override;
};

void amt_parse_opts_init(struct amt_parse_opts *o);

/*
 * Parse an in-memory input. On success *out holds a model that borrows
 * data (keep it alive until amt_image_free). Fails with AMT_E_UNKNOWN,
 * AMT_E_UPDATE_FILE, ... and a precise error; *out is then NULL.
 * Problems in sub-structures do not fail the parse: they are listed in
 * image->problems and image->fw.checks.
 */
amt_status amt_image_parse(const uint8_t *data, size_t size,
			   const struct amt_parse_opts *opts,
			   struct amt_image **out, amt_error *err);

void amt_image_free(struct amt_image *img);

/* Identify a manifest's signing key against the known-key table. */
void amt_key_identify(struct amt_key_info *key);

/* Version as "11.8.82.3838" into buf (returns buf). */
char *amt_version_fmt(const struct amt_version *v, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
