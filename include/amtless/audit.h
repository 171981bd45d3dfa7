/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * amtless - live-machine audit: is this machine exposed to Intel AMT?
 *
 * Three steps, each a library call without printing or exit():
 *   1. amt_audit_collect(): read a directory tree laid out like a Linux
 *      root (procfs + sysfs; "/" on a live machine, a fixture tree in tests)
 *      into an evidence model (struct amt_audit).
 *   2. optional additions: amt_audit_probe() talks to the ME through an
 *      MEI transport (MKHI + AMTHI); amt_audit_add_image() adds what a flash
 *      dump of this machine says.
 *   3. amt_audit_decide(): the verdict, the three Purism conditions (vPro
 *      CPU, AMT-capable Intel NIC, corporate ME firmware), the ME state and
 *      the reasons.
 *
 * A missing file means "not visible here" (old kernel, no driver, no
 * privilege), never a hardware fact. Facts: doc/formats.md#hfsts.
 */
#ifndef AMTLESS_AUDIT_H
#define AMTLESS_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <amtless/error.h>

#ifdef __cplusplus
extern "C" {
#endif

struct amt_image;

/* Version of the JSON document (doc/audit.schema.json); 2 added the checks,
 * advisories, the summary, the recovery and heci_hidden states. */
#define AMT_AUDIT_SCHEMA_VERSION 2

/* Verdicts. The CLI maps them to exit codes 10..14 in this order. */
typedef enum amt_audit_verdict {
	AMT_VERDICT_NOT_EXPOSED = 0,        /* a required piece is missing or the ME is off for good */
	AMT_VERDICT_EXPOSED,                /* AMT present and provisioned (or being provisioned) */
	AMT_VERDICT_CAPABLE,                /* all three pieces present, AMT can be turned on */
	AMT_VERDICT_CAPABLE_DISABLED,       /* all pieces present, ME/AMT currently disabled (reversible) */
	AMT_VERDICT_INDETERMINATE,          /* not enough evidence visible from here */
} amt_audit_verdict;

const char *amt_audit_verdict_str(amt_audit_verdict v); /* "not_exposed", ... */

/* Strength of one condition. Never YES on a guess. */
typedef enum amt_audit_tri {
	AMT_TRI_UNKNOWN = 0,
	AMT_TRI_NO,
	AMT_TRI_UNLIKELY,
	AMT_TRI_LIKELY,
	AMT_TRI_YES,
} amt_audit_tri;

const char *amt_audit_tri_str(amt_audit_tri t); /* "unknown", "no", ... */

typedef enum amt_nic_class {
	AMT_NIC_UNKNOWN = 0,    /* Intel network controller not in the table */
	AMT_NIC_AMT_CAPABLE,    /* -LM/-DM/-MM manageability part (PCH-integrated) */
	AMT_NIC_NOT_AMT,        /* -V/-LC/-DC/-LF, discrete I210/I211, non-Intel */
	AMT_NIC_WIFI_INTEL,     /* Intel Wi-Fi: wireless AMT possible */
	AMT_NIC_POSSIBLE,       /* discrete -LM parts marketed for vPro (I225/I226-LM) */
} amt_nic_class;

const char *amt_nic_class_str(amt_nic_class c); /* "amt_capable", ... */

typedef enum amt_me_state {
	AMT_ME_UNKNOWN = 0,          /* HECI visible but its status is not readable */
	AMT_ME_NORMAL,               /* working state Normal, operation mode Normal */
	AMT_ME_DISABLED_HAP,         /* CWS Disabled + error Disabled + op-mode 2, CSME 11+ */
	AMT_ME_DISABLED_ALTMEDISABLE,/* same pattern on ME 6-10 */
	AMT_ME_DISABLED_STRAP,       /* same pattern, generation unknown */
	AMT_ME_DISABLED_SOFT,        /* op-mode 3: soft temporary disable (HECI/BIOS) */
	AMT_ME_DISABLED_OTHER,       /* CWS Disabled, cause not recognised */
	AMT_ME_SECURITY_OVERRIDE,    /* op-mode 4/5: flash protection overridden */
	AMT_ME_ERROR,                /* error code, bad FPT, recovery, invalid CPU, halt */
	AMT_ME_SERVER_FW,            /* SPS / IGN firmware */
	AMT_ME_ABSENT_OR_HIDDEN,     /* no HECI PCI function visible */
	AMT_ME_DRIVER_NOT_BOUND,     /* HECI visible, mei_me not bound, cause unknown */
	AMT_ME_RECOVERY,             /* working state Recovery: a recovery loader runs, not the firmware */
	AMT_ME_HECI_HIDDEN,          /* an Intel PCH is visible, its HECI function is not: hidden by firmware */
} amt_me_state;

/* The ME reports itself stopped by the disable strap (HAP / AltMeDisable). */
static inline bool amt_me_disabled_by_strap(amt_me_state s)
{
	return s == AMT_ME_DISABLED_HAP || s == AMT_ME_DISABLED_ALTMEDISABLE || s == AMT_ME_DISABLED_STRAP;
}

const char *amt_me_state_str(amt_me_state s); /* "normal", "disabled_hap", ... */

typedef enum amt_fw_sku {
	AMT_SKU_UNKNOWN = 0,
	AMT_SKU_CONSUMER,
	AMT_SKU_CORPORATE,
	AMT_SKU_LITE,
	AMT_SKU_IGN,
	AMT_SKU_SPS,
	AMT_SKU_CORPORATE_INFERRED,  /* AMT-only clients / iamt_wdt seen */
} amt_fw_sku;

const char *amt_fw_sku_str(amt_fw_sku s);

typedef enum amt_prov_state {
	AMT_PROV_NONE = 0,           /* not probed / not answered */
	AMT_PROV_UNPROVISIONED,
	AMT_PROV_BEING_PROVISIONED,
	AMT_PROV_PROVISIONED,
	AMT_PROV_UNKNOWN,            /* answered with a value outside 0..2 */
} amt_prov_state;

const char *amt_prov_state_str(amt_prov_state p); /* NULL for NONE */

/* ---- pure decoders and tables (audit/tables.c, audit/hfsts.c) ---- */

struct amt_hfsts1 {
	unsigned working_state;   /* 3:0 */
	bool bit4;                /* mfg mode (<= CSME15) / SPI protection mode (16+) */
	bool fpt_bad;             /* 5 */
	unsigned operation_state; /* 8:6 */
	bool init_complete;       /* 9 */
	bool bup_load_failure;    /* 10 */
	bool update_in_progress;  /* 11 */
	unsigned error_code;      /* 15:12 */
	unsigned operation_mode;  /* 19:16 */
};

void amt_hfsts1_decode(uint32_t v, struct amt_hfsts1 *out);
const char *amt_hfsts1_working_state_str(unsigned cws);
const char *amt_hfsts1_op_mode_str(unsigned mode);
const char *amt_hfsts1_error_str(unsigned err);
/* HFSTS3 bits 6:4 (CSME 11+ only). */
static inline unsigned amt_hfsts3_sku(uint32_t v) { return (v >> 4) & 7; }

struct amt_heci_id {
	uint16_t device;
	const char *name;      /* "Sunrise Point-H (CSME 11)" */
	int me_major;          /* lowest ME major of the family: 11 for CSME 11 ... */
	int nregs;             /* fw_status register count of the kernel config */
	bool sps_sku_quirk;    /* kernel checks HFSTS3 SKU IGN/SPS on this config */
	bool server;           /* server PCH (Lewisburg, Emmitsburg, ...) */
};
const struct amt_heci_id *amt_heci_lookup(uint16_t device);

struct amt_nic_id {
	uint16_t device;
	const char *name;
	amt_nic_class cls;
};
const struct amt_nic_id *amt_nic_lookup(uint16_t device);

typedef enum amt_redir_kind { AMT_REDIR_NONE = 0, AMT_REDIR_IDER, AMT_REDIR_KT } amt_redir_kind;
amt_redir_kind amt_redir_lookup(uint16_t device);

struct amt_mei_client_id {
	const char *uuid;      /* lower-case canonical text */
	const char *name;
	bool amt_specific;
};
/* NULL when the UUID is not in the table. uuid is compared case-insensitively. */
const struct amt_mei_client_id *amt_mei_client_lookup(const char *uuid);

/* Table sources, for the evidence and --help. */
extern const char amt_audit_nic_table_source[];
extern const char amt_audit_heci_table_source[];

/* ---- the checks fwupd users expect (audit/checks.c) ------------------ */

/*
 * Checks read from the same HFSTS registers as the verdict, each with
 * amtless's own reading and, where fwupd has the same check (its HSI
 * attribute), the result fwupd computes from these registers. Sources:
 * fwupd libfwupdplugin/fu-intel-me-device.c + fu-intel-me.rs (6e950496),
 * coreboot src/soc/intel/common/block/cse/cse.c + cse_spec.c (f0f91182).
 */
typedef enum amt_check_id {
	AMT_CHECK_MANUFACTURING_MODE = 0, /* end of manufacturing closed */
	AMT_CHECK_SPI_PROTECTION,         /* HFSTS1 bit 4 on CSME 15+ */
	AMT_CHECK_OVERRIDE_STRAP,         /* security override: jumper/strap or MEI message */
	AMT_CHECK_BOOTGUARD_ENABLED,
	AMT_CHECK_BOOTGUARD_VERIFIED,
	AMT_CHECK_BOOTGUARD_ACM,
	AMT_CHECK_BOOTGUARD_POLICY,
	AMT_CHECK_BOOTGUARD_OTP,
	AMT_CHECK_ME_VERSION,             /* firmware version vs published advisories */
	AMT_CHECK_COUNT
} amt_check_id;

const char *amt_check_name(amt_check_id id);   /* "manufacturing_mode", ... */
/* fwupd HSI AppStream ID of the same check ("org.fwupd.hsi.Mei.ManufacturingMode"),
 * NULL when fwupd has none. */
const char *amt_check_hsi_id(amt_check_id id);

typedef enum amt_check_status {
	AMT_CHECK_NOT_APPLICABLE = 0, /* this generation does not carry it */
	AMT_CHECK_PASS,
	AMT_CHECK_FAIL,
	AMT_CHECK_UNKNOWN,            /* the registers or the version are not visible */
} amt_check_status;

const char *amt_check_status_str(amt_check_status s); /* "pass", "fail", ... */

/* fwupd's HSI result words (libfwupd fwupd-security-attr.h). */
typedef enum amt_hsi_result {
	AMT_HSI_NONE = 0,             /* no result (fwupd reports nothing) */
	AMT_HSI_VALID,
	AMT_HSI_NOT_VALID,
	AMT_HSI_ENABLED,
	AMT_HSI_NOT_ENABLED,
	AMT_HSI_LOCKED,
	AMT_HSI_NOT_LOCKED,
	AMT_HSI_NOT_SUPPORTED,
} amt_hsi_result;

const char *amt_hsi_result_str(amt_hsi_result r); /* "valid", "not-valid", ...; NULL for NONE */

/* What HFSTS1 bit 4 means on this generation. */
typedef enum amt_bit4_meaning {
	AMT_BIT4_UNKNOWN = 0,          /* generation unknown */
	AMT_BIT4_MANUFACTURING_MODE,   /* ME 6 .. CSME 14 */
	AMT_BIT4_SPI_PROTECTION_MODE,  /* CSME 15 (Tiger Lake) and later */
} amt_bit4_meaning;

struct amt_audit_check {
	amt_check_status status;  /* amtless's reading */
	amt_hsi_result result;    /* amtless's reading in fwupd's words (NONE: none) */
	amt_hsi_result fwupd;     /* what fwupd computes from the same registers */
	bool differs;             /* fwupd's result is present and differs from amtless's */
	char detail[320];
};

/* ---- Intel security advisories by firmware version (audit/advisories.c) */

typedef enum amt_advisory_scope {
	AMT_ADV_ALL_FIRMWARE = 0,     /* the ME firmware itself: every SKU */
	AMT_ADV_MANAGEABILITY_ONLY,   /* only AMT / ISM / SBT (corporate) firmware */
} amt_advisory_scope;

/* One row: versions from..to (major.minor.hotfix.build, both inclusive) are
 * affected. Rows come only from public tables that give the versions; each
 * names its source. */
struct amt_advisory {
	const char *id;          /* "INTEL-SA-00086" */
	const char *cves;        /* "CVE-2017-5705, CVE-2017-5706, ..." */
	uint16_t from[4], to[4];
	const char *fixed_in;    /* first fixed version of this branch; NULL: the source names none */
	amt_advisory_scope scope;
	const char *source;
};

/* The whole table (n rows). */
const struct amt_advisory *amt_advisory_table(size_t *n);

#define AMT_AUDIT_MAX_ADVISORIES 16

struct amt_audit_advisory_hit {
	const struct amt_advisory *row;
	amt_audit_tri applies;   /* YES, or UNKNOWN when the row needs a manageability SKU not proven here */
};

/* ---- the evidence model ------------------------------------------ */

#define AMT_AUDIT_MAX_NICS 32
#define AMT_AUDIT_MAX_CLIENTS 64
#define AMT_AUDIT_MAX_REDIR 4
#define AMT_AUDIT_MAX_VERSIONS 24

struct amt_audit_item {
	char path[192];        /* file read (relative to the root), or "mei:..." / "image:..." */
	char value[128];       /* what it held (trimmed) */
	char finding[256];     /* what it means */
};

struct amt_audit_cpu {
	bool visible;          /* /proc/cpuinfo could be read */
	char vendor[32];
	char model_name[96];
	int family, model;     /* -1 if not given */
	bool smx, hypervisor;
};

struct amt_audit_nic {
	char bdf[16];
	uint16_t vendor, device;
	uint32_t class_code;
	char driver[32];       /* "" when no driver link */
	const char *name;      /* table name, or NULL */
	amt_nic_class cls;
};

struct amt_audit_client {
	char uuid[37];
	const char *name;      /* table name or NULL */
	bool amt_specific;
};

struct amt_audit_me {
	bool pci_visible;      /* sys/bus/pci/devices could be listed */
	bool pci_present;      /* a HECI (8086, class 0x0780) at dev 0x16 fn 0 */
	char pci_bdf[16];
	uint16_t pci_device;
	const struct amt_heci_id *gen;   /* NULL: unknown generation */
	bool driver_bound;
	char driver[32];
	char mei_dev[16];      /* "mei0", "" if none */
	unsigned n_mei_devs;   /* class devices seen (all kinds) */
	char kind[16];         /* "" when the attribute is missing */
	char dev_state[24];
	char hbm_ver[16];
	bool fw_ver_known;     /* fw_ver present and block 1 non-zero */
	unsigned fw_platform, fw_major, fw_minor, fw_hotfix, fw_build;
	unsigned nhfsts;
	uint32_t hfsts[6];
	enum { AMT_HFSTS_NONE = 0, AMT_HFSTS_SYSFS, AMT_HFSTS_CONFIG } hfsts_source;
	bool fw_status_file;   /* the fw_status attribute exists (kernel >= 3.19) */
	struct amt_hfsts1 h1;
	amt_fw_sku sku;
	amt_me_state state;
	bool security_override; /* op-mode 4/5 seen (flag, independent of state) */
	unsigned nredir;
	struct { char bdf[16]; uint16_t device; amt_redir_kind kind; } redir[AMT_AUDIT_MAX_REDIR];
	bool bus_visible;      /* sys/bus/mei/devices could be listed */
	unsigned nclients;
	struct amt_audit_client clients[AMT_AUDIT_MAX_CLIENTS];
	bool amt_clients;      /* an AMT-specific client is on the bus */
	bool amthi_client;     /* the AMTHI (PTHI) client itself is on the bus */
	bool iamt_wdt;         /* a watchdog with identity "iamt_wdt" */
	/* an Intel PCH function (LPC/eSPI bridge or other 00:1f.x): proves an ME
	 * exists even when its HECI function is not on PCI */
	bool pch_seen;
	char pch_bdf[16];
	uint16_t pch_device;
	int major;             /* ME/CSME major used for decoding: fw_ver, MKHI, else
				  the HECI ID table; -1 unknown, 0 TXE/IE */
	amt_bit4_meaning bit4_meaning;
};

struct amt_audit_probe {
	bool probed;           /* amt_audit_probe() ran */
	char error[160];       /* transport-level failure ("" if none) */
	/* MKHI */
	bool mkhi_connected;
	bool fw_version_known;
	unsigned fw_major, fw_minor, fw_hotfix, fw_build;
	bool caps_known;  uint32_t caps;        /* rule 0 */
	bool platform_known; uint32_t platform;  /* rule 0x1D */
	bool features_known; uint32_t features;  /* rule 0x20 */
	/* AMTHI */
	int amthi_connect;     /* 0 connected, or -errno */
	amt_audit_tri present; /* AMT client in firmware */
	amt_audit_tri enabled;
	uint32_t amthi_status; /* last AMTHI status */
	amt_prov_state prov;
	char amt_version[24];  /* "AMT" entry of CODE_VERSIONS */
	char sku_string[24];   /* "Sku" entry */
	unsigned nversions;
	struct { char desc[21]; char ver[21]; } versions[AMT_AUDIT_MAX_VERSIONS];
};

/* MKHI platform type (rule 0x1D) fields; LMS GetPlatformTypeCommand.h */
static inline unsigned amt_mkhi_image_type(uint32_t p) { return (p >> 8) & 0xF; }
static inline unsigned amt_mkhi_brand(uint32_t p) { return (p >> 12) & 0xF; }
const char *amt_mkhi_brand_str(unsigned brand); /* "none", "amt", ... */

struct amt_audit_image {
	bool given;
	char label[128];
	amt_audit_tri amt_present;   /* from fw.amt_present */
	char sku[48];
	amt_audit_tri disable_set;   /* ifd.disable.state */
	char disable_kind[24];
};

struct amt_audit {
	char root[256];
	char kernel_release[64];
	struct amt_audit_cpu cpu;
	bool pci_visible;
	unsigned nnics;
	struct amt_audit_nic nics[AMT_AUDIT_MAX_NICS];
	struct amt_audit_me me;
	struct amt_audit_probe probe;
	struct amt_audit_image image;

	/* filled by amt_audit_decide() */
	bool decided;
	amt_audit_verdict verdict;
	amt_audit_tri cpu_vpro, amt_nic, corporate_me;
	/* corporate firmware + AMT-capable NIC + AMTHI client, not provisioned:
	 * root on this machine can provision AMT (Intel's rpc-go does it from
	 * the OS, client control mode, no MEBx visit) */
	amt_audit_tri root_can_provision;
	struct amt_audit_check checks[AMT_CHECK_COUNT];
	/* fwupd would decode these registers: it takes the generation from the
	 * firmware version (fw_ver), so it has no view when that is missing,
	 * and none before CSME 11 */
	bool fwupd_has_view;
	bool fw_version_known;           /* a firmware version was available for the advisories */
	unsigned fw_version[4];          /* the one used (fw_ver, else MKHI) */
	unsigned nadvisories;
	struct amt_audit_advisory_hit advisories[AMT_AUDIT_MAX_ADVISORIES];

	size_t nevidence;
	struct amt_audit_item *evidence;
	size_t nreasons;
	char **reasons;
};

/*
 * Read the tree under root (NULL or "" = "/"). Only fails for an unusable
 * root (AMT_E_IO: not a directory) or no memory; everything missing below
 * it is recorded as "not visible".
 */
amt_status amt_audit_collect(const char *root, struct amt_audit **out, amt_error *err);

/* Add the facts of a parsed flash image of this machine. */
void amt_audit_add_image(struct amt_audit *a, const struct amt_image *img, const char *label);

/* Compute verdict, conditions and reasons (idempotent: reasons are rebuilt). */
void amt_audit_decide(struct amt_audit *a);

void amt_audit_free(struct amt_audit *a);

/* ---- talking to the ME (audit/probe.c, audit/meidev.c) ------------- */

/*
 * An MEI transport: one client connection at a time. Every function returns
 * 0 or a negative errno (-ENOTTY: client not in firmware, -ENODEV: ME not
 * ready, -ETIMEDOUT, -EIO, ...).
 */
struct amt_mei_transport {
	void *ctx;
	/* uuid: 16 bytes in Linux uuid_le byte order. */
	int (*connect)(void *ctx, const uint8_t uuid[16], uint32_t *max_msg_len);
	int (*send)(void *ctx, const uint8_t *buf, size_t len);
	int (*recv)(void *ctx, uint8_t *buf, size_t cap, size_t *got);
	void (*disconnect)(void *ctx);
};

/* Text UUID -> uuid_le bytes (first three fields little-endian). */
bool amt_uuid_le_parse(const char *text, uint8_t out[16]);

extern const char AMT_UUID_MKHI[];   /* 8e6a6715-9abc-4043-88ef-9e39c6f63e0f */
extern const char AMT_UUID_AMTHI[];  /* 12f80028-b4b7-4b2d-aca8-46e0ff65814c */

/* Message constants (LMS MKHICommand.h / AMTHIClient, coreboot cse.h). */
#define AMT_MKHI_GRP_FWCAPS 0x03
#define AMT_MKHI_GRP_GEN 0xFF
#define AMT_MKHI_GET_FW_VERSION 0x02
#define AMT_MKHI_FWCAPS_GET_RULE 0x02
#define AMT_MKHI_RULE_FW_SKU 0x00
#define AMT_MKHI_RULE_PLATFORM_TYPE 0x1D
#define AMT_MKHI_RULE_FEATURE_STATE 0x20
#define AMT_MKHI_CAP_AMT (1u << 2)
#define AMT_AMTHI_GET_CODE_VERSIONS 0x0400001Au
#define AMT_AMTHI_GET_PROVISIONING_STATE 0x04000011u
#define AMT_AMTHI_RESPONSE_BIT 0x00800000u
#define AMT_AMTHI_STATUS_DISABLED 0x4000u

/* Run MKHI + AMTHI over t and record the answers (never fails: errors go
 * into a->probe.error / the evidence). */
void amt_audit_probe(struct amt_audit *a, const struct amt_mei_transport *t);

/* The real transport: /dev/meiN with IOCTL_MEI_CONNECT_CLIENT, one open()
 * per connection. Returns NULL on no memory. timeout_ms bounds each recv. */
struct amt_mei_transport *amt_mei_dev_transport_new(const char *path, int timeout_ms);
void amt_mei_dev_transport_free(struct amt_mei_transport *t);

#ifdef __cplusplus
}
#endif
#endif
