/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a firmware module is: one line per module name, with the public
 * source it comes from. Only names whose role a public source gives are
 * listed; any other module has no role (amt_module_role returns NULL) and
 * is reported as such, never guessed from its name.
 *
 * Sources (named in each row):
 *  SKO  I. Skochinsky, "Intel ME Secrets", RECON 2014 (ME 6-10 module
 *       list and the boot flow ROM -> ROMP -> BUP -> kernel).
 *  PTD  Positive Technologies, "Disabling Intel ME 11 via undocumented
 *       mode" (2017): the ME 11 start-up chain RBE -> kernel -> syslib ->
 *       BUP, BUP reads the HAP bit.
 *  FFS  D. Sklyarov, "Intel ME: Flash File System Explained", Black Hat
 *       Europe 2017 (the ME 11 VFS).
 *  INT  Intel's public names of the features (PTT firmware TPM, Dynamic
 *       Application Loader, Integrated Sensor Hub, Protected Audio Video
 *       Path, Integrated Clock Control); MCTP: DMTF DSP0236.
 *  MEI  the Linux kernel's MEI driver documentation (HECI, the host
 *       interface of the ME) and the heci1, heci2, heci3 device nodes the
 *       ME 11 heci module declares in its .met (doc/formats.md).
 */
#include <string.h>
#include <strings.h>

#include <amtless/remains.h>

#include "internal.h"

#define SKO "Skochinsky, \"Intel ME Secrets\", RECON 2014"
#define PTD "Positive Technologies, \"Disabling Intel ME 11 via undocumented mode\", 2017"
#define FFS "Sklyarov, \"Intel ME: Flash File System Explained\", Black Hat EU 2017"
#define INT "Intel's public feature name"
#define MCTP "DMTF DSP0236 (MCTP)"
#define MEI "Linux Documentation/driver-api/mei (HECI); ME 11 heci.met makes heci1-heci3"

static const struct amt_module_role roles[] = {
	/* generation 2: ME 6-10, TXE 1-2 ($MME) */
	{ 2, "ROMP", false, "ROM patch: the first code read from flash, it amends the boot ROM",
	  SKO, 0 },
	{ 2, "BUP", false, "bring-up: initialises the hardware the ME needs and starts the kernel",
	  SKO, 0 },
	{ 2, "KERNEL", false, "the ME's operating-system kernel", SKO, 0 },
	{ 2, "POLICY", false, "policy manager: applies the firmware's configuration and SKU rules",
	  SKO, 0 },
	{ 2, "HOSTCOMM", false, "host communication over HECI, the interface the host OS sees",
	  SKO, AMT_REACH_HECI },
	{ 2, "NET_STACK", false, "network stack (AMT's TCP/IP over the platform's Intel LAN)", SKO,
	  AMT_REACH_NETWORK },
	{ 2, "TDT", false, "Theft Deterrence Technology (Intel Anti-Theft)", SKO, 0 },
	{ 2, "ICC", false, "Integrated Clock Control", INT, 0 },
	{ 2, "PAVP", false, "Protected Audio Video Path (content protection)", INT, 0 },
	{ 2, "MCTP", false, "Management Component Transport Protocol", MCTP, 0 },
	{ 2, "fTPM", false, "firmware TPM (Platform Trust Technology)", INT, 0 },
	/* generation 3: ME 11+, TXE 3+, SPS 4+ (CSE) */
	{ 3, "rbe", true, "ROM boot extensions: checks and starts the next stages of the boot",
	  PTD, 0 },
	{ 3, "kernel", true, "the ME's microkernel", PTD, 0 },
	{ 3, "syslib", true, "system library shared by the ME's processes", PTD, 0 },
	{ 3, "bup", true, "bring-up: initialises the platform, reads the HAP bit and stops the ME "
	  "when it is set", PTD, 0 },
	{ 3, "heci", false, "HECI driver: the message interface the host OS sees (MEI)", MEI,
	  AMT_REACH_HECI },
	{ 3, "vfs", false, "virtual file system over the flash file system (MFS)", FFS, 0 },
	{ 3, "ptt", false, "Platform Trust Technology: the firmware TPM 2.0", INT, 0 },
	{ 3, "icc", false, "Integrated Clock Control", INT, 0 },
	{ 3, "pavp", false, "Protected Audio Video Path (content protection)", INT, 0 },
	{ 3, "mctp", false, "Management Component Transport Protocol", MCTP, 0 },
	{ 3, "dal_", true, "Dynamic Application Loader: runs Java applets inside the ME", INT, 0 },
	{ 3, "ish_", true, "Integrated Sensor Hub firmware and services", INT, 0 },
};

const struct amt_module_role *amt_module_role(int generation, const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		const struct amt_module_role *r = &roles[i];
		if (r->generation != generation)
			continue;
		if (r->prefix ? !strncasecmp(name, r->name, strlen(r->name))
			      : !strcasecmp(name, r->name))
			return r;
	}
	return NULL;
}

const char *amt_reach_str(unsigned bit)
{
	switch (bit) {
	case AMT_REACH_NETWORK: return "network";
	case AMT_REACH_HOST_AMT: return "host-amt";
	case AMT_REACH_HECI: return "heci";
	default: return NULL;
	}
}
