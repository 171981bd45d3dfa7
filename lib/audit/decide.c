/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * From evidence to verdict: ME state, the three Purism conditions (vPro
 * CPU, AMT-capable Intel NIC, corporate ME firmware) and the verdict.
 * Decision procedure: our own, with the HAP pattern of doc/formats.md#hfsts
 * (working state, error code AND operation mode together).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <amtless/image.h>

#include "audit_int.h"

/* Lowest ME major known for this machine, -1 if not known. */
static int me_major(const struct amt_audit *a)
{
	if (a->me.fw_ver_known)
		return (int)a->me.fw_major;
	if (a->probe.fw_version_known)
		return (int)a->probe.fw_major;
	if (a->me.gen && a->me.gen->me_major > 0)
		return a->me.gen->me_major;
	return -1;
}

static void derive_sku(struct amt_audit *a)
{
	struct amt_audit_me *me = &a->me;
	int major = me_major(a);

	me->sku = AMT_SKU_UNKNOWN;
	/* HFSTS3 bits 6:4 on CSME 11+ (coreboot cse.h me_fw_sku, fwupd, hw-me-regs.h) */
	if (me->nhfsts >= 3 && major >= 11) {
		switch (amt_hfsts3_sku(me->hfsts[2])) {
		case 2: me->sku = AMT_SKU_CONSUMER; break;
		case 3: me->sku = AMT_SKU_CORPORATE; break;
		case 5: me->sku = AMT_SKU_LITE; break;
		case 6: me->sku = AMT_SKU_SPS; break;
		case 0:
			/* IGN only where the kernel itself checks it */
			if (me->gen && me->gen->sps_sku_quirk)
				me->sku = AMT_SKU_IGN;
			break;
		}
	}
	if (me->sku == AMT_SKU_UNKNOWN && (me->amt_clients || me->iamt_wdt))
		me->sku = AMT_SKU_CORPORATE_INFERRED;
}

static void derive_state(struct amt_audit *a)
{
	struct amt_audit_me *me = &a->me;
	struct amt_hfsts1 *h = &me->h1;
	int major = me_major(a);

	me->security_override = false;
	memset(h, 0, sizeof(*h));
	me->major = major;
	/* HFSTS1 bit 4: manufacturing mode up to CSME 14, SPI protection mode
	 * from CSME 15 / Tiger Lake (coreboot cse.c; sources in checks.c) */
	me->bit4_meaning = major >= 15 ? AMT_BIT4_SPI_PROTECTION_MODE :
			   major >= 0 ? AMT_BIT4_MANUFACTURING_MODE : AMT_BIT4_UNKNOWN;
	if (!me->pci_present && !me->mei_dev[0]) {
		if (!me->pci_visible)
			me->state = AMT_ME_UNKNOWN;
		else if (me->pch_seen && !a->cpu.hypervisor)
			me->state = AMT_ME_HECI_HIDDEN; /* an Intel PCH always holds an ME */
		else
			me->state = AMT_ME_ABSENT_OR_HIDDEN;
		return;
	}
	if (me->nhfsts == 0) {
		me->state = me->driver_bound || me->mei_dev[0] ? AMT_ME_UNKNOWN : AMT_ME_DRIVER_NOT_BOUND;
		return;
	}
	amt_hfsts1_decode(me->hfsts[0], h);
	me->security_override = h->operation_mode == 4 || h->operation_mode == 5;
	if (h->operation_mode == 0xF || me->sku == AMT_SKU_SPS || me->sku == AMT_SKU_IGN) {
		me->state = AMT_ME_SERVER_FW;
	} else if (h->working_state == 4 && h->error_code == 2 && h->operation_mode == 2) {
		/* HAP (ME >= 11) / AltMeDisable (ME 6-10); fwupd "Alder Lake-P HAP set" 0x80022054 */
		me->state = major >= 11 ? AMT_ME_DISABLED_HAP :
			    major >= 6 ? AMT_ME_DISABLED_ALTMEDISABLE : AMT_ME_DISABLED_STRAP;
	} else if (h->working_state == 2) {
		/* Recovery: fwupd/firmware-lenovo#623, P14s Gen 4 HFSTS1 0x94000642 */
		me->state = AMT_ME_RECOVERY;
	} else if (h->operation_mode == 3) {
		me->state = AMT_ME_DISABLED_SOFT; /* System76 intel-me.md: CWS 4, op-mode 3, error 2 */
	} else if ((h->error_code != 0 && !(h->error_code == 2 && h->working_state == 4)) ||
		   h->fpt_bad || h->bup_load_failure ||
		   h->working_state == 8 || h->working_state == 0xE ||
		   h->operation_state == 7) {
		me->state = AMT_ME_ERROR;
	} else if (h->working_state == 4) {
		me->state = AMT_ME_DISABLED_OTHER;
	} else if (h->working_state == 5) {
		me->state = me->security_override ? AMT_ME_SECURITY_OVERRIDE : AMT_ME_NORMAL;
	} else {
		me->state = AMT_ME_UNKNOWN; /* reset, init, test, transition: a moment, not a state */
	}
}

static amt_audit_tri cond_cpu(struct amt_audit *a)
{
	const struct amt_audit_cpu *cpu = &a->cpu;
	const struct amt_audit_probe *p = &a->probe;

	if (p->prov == AMT_PROV_PROVISIONED) {
		audit_reason(a, "vPro: yes: AMT answers as provisioned, which only a vPro platform does");
		return AMT_TRI_YES;
	}
	if (p->platform_known && (amt_mkhi_brand(p->platform) == 1 || amt_mkhi_brand(p->platform) == 2)) {
		audit_reason(a, "vPro: yes: the ME reports platform brand %s (MKHI rule 0x1D)",
			     amt_mkhi_brand_str(amt_mkhi_brand(p->platform)));
		return AMT_TRI_YES;
	}
	if (!cpu->visible || !cpu->vendor[0]) {
		audit_reason(a, "vPro: unknown: /proc/cpuinfo not visible");
		return AMT_TRI_UNKNOWN;
	}
	if (strcmp(cpu->vendor, "GenuineIntel")) {
		if (cpu->hypervisor) {
			/* a hypervisor may present another vendor than the host's */
			audit_reason(a, "vPro: unlikely: the virtual CPU reports %s; normally that is the host's vendor, which would rule Intel AMT out",
				     cpu->vendor);
			return AMT_TRI_UNLIKELY;
		}
		audit_reason(a, "vPro: no: the CPU is %s, not Intel", cpu->vendor);
		return AMT_TRI_NO;
	}
	if (p->platform_known && amt_mkhi_brand(p->platform) == 0) {
		audit_reason(a, "vPro: unlikely: the ME reports no manageability brand (MKHI rule 0x1D)");
		return AMT_TRI_UNLIKELY;
	}
	if (cpu->smx) {
		audit_reason(a, "vPro: likely: Intel CPU with SMX (TXT), a vPro feature; the host cannot prove vPro");
		return AMT_TRI_LIKELY;
	}
	if (cpu->hypervisor) {
		audit_reason(a, "vPro: unknown: Intel CPU under a hypervisor, which hides SMX");
		return AMT_TRI_UNKNOWN;
	}
	audit_reason(a, "vPro: unlikely: Intel CPU without SMX (TXT); vPro parts normally have it");
	return AMT_TRI_UNLIKELY;
}

static amt_audit_tri cond_nic(struct amt_audit *a)
{
	bool cap = false, wifi = false, poss = false, unk = false;
	const char *cap_name = NULL;

	for (unsigned i = 0; i < a->nnics; i++) {
		switch (a->nics[i].cls) {
		case AMT_NIC_AMT_CAPABLE: cap = true; cap_name = a->nics[i].name; break;
		case AMT_NIC_WIFI_INTEL: wifi = true; break;
		case AMT_NIC_POSSIBLE: poss = true; break;
		case AMT_NIC_UNKNOWN: unk = true; break;
		case AMT_NIC_NOT_AMT: break;
		}
	}
	if (cap) {
		audit_reason(a, "NIC: yes: %s is an Intel manageability LAN part", cap_name);
		return AMT_TRI_YES;
	}
	if (a->cpu.hypervisor) {
		audit_reason(a, "NIC: unknown: a virtual machine sees virtual network devices, not the host's");
		return AMT_TRI_UNKNOWN;
	}
	if (!a->pci_visible) {
		audit_reason(a, "NIC: unknown: /sys/bus/pci/devices not visible");
		return AMT_TRI_UNKNOWN;
	}
	if (wifi || poss) {
		audit_reason(a, "NIC: likely: %s", wifi ? "Intel Wi-Fi present (wireless AMT possible)" :
			     "a discrete Intel -LM controller (I225/I226-LM) is present");
		return AMT_TRI_LIKELY;
	}
	if (unk) {
		audit_reason(a, "NIC: unknown: an Intel network controller not in the table is present");
		return AMT_TRI_UNKNOWN;
	}
	audit_reason(a, "NIC: no: no Intel AMT-capable wired or Intel Wi-Fi controller on PCI (a BIOS-disabled one would not show)");
	return AMT_TRI_NO;
}

static amt_audit_tri cond_corporate(struct amt_audit *a)
{
	const struct amt_audit_me *me = &a->me;
	const struct amt_audit_probe *p = &a->probe;

	if (p->caps_known) {
		bool amt = p->caps & AMT_MKHI_CAP_AMT;
		audit_reason(a, "corporate ME: %s: MKHI FW capabilities bit 2 (AMT) is %s", amt ? "yes" : "no",
			     amt ? "set" : "clear");
		return amt ? AMT_TRI_YES : AMT_TRI_NO;
	}
	if (p->probed && p->amthi_connect == 0) {
		audit_reason(a, "corporate ME: yes: the AMTHI client accepted a connection");
		return AMT_TRI_YES;
	}
	switch (me->sku) {
	case AMT_SKU_CORPORATE:
		audit_reason(a, "corporate ME: yes: HFSTS3 firmware SKU = Corporate");
		return AMT_TRI_YES;
	case AMT_SKU_CONSUMER: case AMT_SKU_LITE: case AMT_SKU_IGN: case AMT_SKU_SPS:
		audit_reason(a, "corporate ME: no: firmware SKU = %s", amt_fw_sku_str(me->sku));
		return AMT_TRI_NO;
	case AMT_SKU_CORPORATE_INFERRED:
		audit_reason(a, "corporate ME: yes: %s", me->amt_clients ?
			     "AMT-only MEI clients are on the bus" : "the iamt_wdt watchdog is registered");
		return AMT_TRI_YES;
	default:
		break;
	}
	if (me->state == AMT_ME_SERVER_FW) {
		audit_reason(a, "corporate ME: no: server (SPS) firmware");
		return AMT_TRI_NO;
	}
	if (p->probed && p->mkhi_connected && p->amthi_connect == -ENOTTY) {
		audit_reason(a, "corporate ME: no: the firmware has no AMTHI client (connect refused, ENOTTY)");
		return AMT_TRI_NO;
	}
	if (a->image.given && a->image.amt_present != AMT_TRI_UNKNOWN) {
		bool yes = a->image.amt_present == AMT_TRI_YES;
		audit_reason(a, "corporate ME: %s: the flash image %s AMT", yes ? "yes" : "no",
			     yes ? "contains" : "does not contain");
		return yes ? AMT_TRI_YES : AMT_TRI_NO;
	}
	if (me->nredir) {
		audit_reason(a, "corporate ME: likely: an AMT redirection function (%s) is on PCI; it exists for AMT",
			     me->redir[0].kind == AMT_REDIR_IDER ? "IDE-R" : "KT/SOL");
		return AMT_TRI_LIKELY;
	}
	if (me->bus_visible && me->nclients >= 3 && !strcmp(me->dev_state, "ENABLED")) {
		audit_reason(a, "corporate ME: unlikely: %u firmware clients on the MEI bus, none AMT-only",
			     me->nclients);
		return AMT_TRI_UNLIKELY;
	}
	audit_reason(a, "corporate ME: unknown: %s", !me->pci_present ? "the ME interface is not visible" :
		     me->nhfsts < 3 || me_major(a) < 11 ? "no HFSTS3 SKU on this generation/kernel and no AMT client seen" :
		     "no SKU evidence");
	return AMT_TRI_UNKNOWN;
}

static bool me_running(const struct amt_audit *a)
{
	const struct amt_audit_me *me = &a->me;
	return me->state == AMT_ME_NORMAL || me->state == AMT_ME_SECURITY_OVERRIDE ||
	       (me->state == AMT_ME_UNKNOWN &&
		(!strcmp(me->dev_state, "ENABLED") || me->amt_clients || me->iamt_wdt ||
		 (a->probe.probed && a->probe.mkhi_connected)));
}

static const char heci_hidden_reason[] =
	"HECI hidden by firmware: an Intel PCH is on PCI, so this machine has an ME, but its host interface "
	"is not: the firmware hid it (BIOS or coreboot function disable; coreboot's disable_heci1_at_pre_boot "
	"hides it while the ME runs normally; some firmware also hides it after setting HAP). A hidden interface "
	"does not tell whether the ME runs: a flash dump of this machine shows the disable bit";

static const char recovery_reason[] =
	"ME in recovery (HFSTS1 working state Recovery): a recovery loader runs instead of the firmware, "
	"so AMT does not run now; this is not the disable bit, it follows a failed update or a damaged ME "
	"region (fwupd/firmware-lenovo#614, #623)";

/* corporate firmware + AMT-capable NIC + the AMTHI client, not provisioned:
 * root on this machine can provision AMT (88plug/amt-activate-linux README:
 * Intel's rpc-go "activate -local -ccm" from the OS, no MEBx visit) */
static void derive_local_provisioning(struct amt_audit *a)
{
	const struct amt_audit_probe *p = &a->probe;
	bool amthi = a->me.amthi_client || (p->probed && p->amthi_connect == 0);

	if (a->verdict == AMT_VERDICT_NOT_EXPOSED || p->prov == AMT_PROV_PROVISIONED) {
		a->root_can_provision = AMT_TRI_NO;
		return;
	}
	if (a->verdict == AMT_VERDICT_CAPABLE_DISABLED) {
		a->root_can_provision = AMT_TRI_UNLIKELY;
		return;
	}
	if (a->verdict != AMT_VERDICT_CAPABLE || !amthi) {
		a->root_can_provision = AMT_TRI_UNKNOWN;
		if (a->verdict == AMT_VERDICT_CAPABLE)
			audit_reason(a, "root provisioning: the AMTHI client is not seen on the MEI bus (the bus omits multi-connection clients); asking the ME over MEI (as root) tells");
		return;
	}
	a->root_can_provision = p->prov == AMT_PROV_UNPROVISIONED ? AMT_TRI_YES : AMT_TRI_LIKELY;
	audit_reason(a, "AMT-capable and unprovisioned: root on this machine can provision it (corporate firmware, an AMT-capable NIC and the AMTHI client are all present%s); Intel's own rpc-go activates AMT from the OS in client control mode without a MEBx visit",
		     p->prov == AMT_PROV_UNPROVISIONED ? ", AMTHI reports unprovisioned" :
		     ", provisioning state not asked: asking AMTHI over MEI (as root) tells");
}

static void decide_verdict(struct amt_audit *a);

void amt_audit_decide(struct amt_audit *a)
{
	decide_verdict(a);
	derive_local_provisioning(a);
	audit_advisories(a);
	audit_checks(a);
}

static void decide_verdict(struct amt_audit *a)
{
	struct amt_audit_me *me = &a->me;
	const struct amt_audit_probe *p = &a->probe;
	bool neg = false;

	audit_reasons_clear(a);
	derive_sku(a);
	derive_state(a);
	a->decided = true;

	/* proven exposure first: the firmware itself says so */
	bool exposed = p->prov == AMT_PROV_PROVISIONED || p->prov == AMT_PROV_BEING_PROVISIONED;
	if (exposed) {
		a->verdict = AMT_VERDICT_EXPOSED;
		audit_reason(a, "AMT answers over AMTHI: %s%s%s",
			     p->prov == AMT_PROV_PROVISIONED ? "provisioned (remote management configured)" :
			     "being provisioned (accepting remote setup)",
			     p->amt_version[0] ? ", AMT " : "", p->amt_version);
	}
	a->cpu_vpro = cond_cpu(a);
	a->amt_nic = cond_nic(a);
	a->corporate_me = cond_corporate(a);

	if (me->security_override)
		audit_reason(a, "red flag: ME operation mode %u (%s): flash protection is overridden",
			     me->h1.operation_mode, amt_hfsts1_op_mode_str(me->h1.operation_mode));
	if (a->image.given && a->image.disable_set == AMT_TRI_YES) {
		if (me->state == AMT_ME_NORMAL || me->state == AMT_ME_SECURITY_OVERRIDE)
			audit_reason(a, "conflict: the image has the %s bit set but the running ME is in normal state: the image is not what this machine runs",
				     a->image.disable_kind);
		else
			audit_reason(a, "the image has the %s bit set", a->image.disable_kind);
	}
	if (exposed)
		return;

	/* a missing piece that is a fact */
	if (a->cpu_vpro == AMT_TRI_NO && !a->cpu.hypervisor)
		neg = true;
	if (a->corporate_me == AMT_TRI_NO)
		neg = true;
	if (a->amt_nic == AMT_TRI_NO)
		neg = true;
	if (me->state == AMT_ME_DISABLED_HAP || me->state == AMT_ME_DISABLED_ALTMEDISABLE ||
	    me->state == AMT_ME_DISABLED_STRAP) {
		audit_reason(a, "ME state %s: HFSTS1 working state Disabled, error Disabled, mode Alt-Disable: the ME stops after hardware init, AMT never starts",
			     amt_me_state_str(me->state));
		neg = true;
	}
	if (me->state == AMT_ME_SERVER_FW) {
		audit_reason(a, "ME state server_fw: Server Platform Services firmware has no AMT");
		neg = true;
	}
	if (a->image.given && a->image.disable_set == AMT_TRI_YES &&
	    (me->state == AMT_ME_ABSENT_OR_HIDDEN || me->state == AMT_ME_HECI_HIDDEN ||
	     me->state == AMT_ME_DISABLED_OTHER)) {
		audit_reason(a, "the hidden/disabled ME is consistent with the image's disable bit");
		neg = true;
	}

	if (a->cpu.hypervisor) {
		a->verdict = AMT_VERDICT_INDETERMINATE;
		audit_reason(a, "virtual machine (hypervisor flag): the guest sees virtual CPU flags and devices; the host's ME, NIC and firmware are not visible here; run the audit on the host%s",
			     neg ? " (the negative signals above are about the guest's view)" : "");
		return;
	}
	if (neg) {
		a->verdict = AMT_VERDICT_NOT_EXPOSED;
		return;
	}

	bool pieces = a->corporate_me == AMT_TRI_YES &&
		      (a->amt_nic == AMT_TRI_YES || a->amt_nic == AMT_TRI_LIKELY);
	if (!pieces) {
		a->verdict = AMT_VERDICT_INDETERMINATE;
		if (a->corporate_me != AMT_TRI_YES)
			audit_reason(a, "missing: proof of corporate (AMT) firmware%s",
				     a->corporate_me == AMT_TRI_UNLIKELY ? " (signals point to no AMT)" : "");
		if (a->amt_nic != AMT_TRI_YES && a->amt_nic != AMT_TRI_LIKELY)
			audit_reason(a, "missing: an identified AMT-capable Intel NIC");
		if (me->state == AMT_ME_ABSENT_OR_HIDDEN)
			audit_reason(a, "the ME interface is hidden or absent: HAP (which may hide HECI), BIOS hiding, or no ME; a flash dump of this machine shows the disable bit");
		if (me->state == AMT_ME_HECI_HIDDEN)
			audit_reason(a, "%s", heci_hidden_reason);
		if (me->state == AMT_ME_ERROR)
			audit_reason(a, "the ME reports an error state");
		if (me->state == AMT_ME_RECOVERY)
			audit_reason(a, "%s", recovery_reason);
		if (!p->probed)
			audit_reason(a, "more evidence: ask the ME itself over MEI (/dev/mei0, as root)");
		return;
	}
	if (a->cpu_vpro == AMT_TRI_UNLIKELY)
		audit_reason(a, "note: the CPU shows no vPro hint, yet the firmware carries AMT");
	if (me->state == AMT_ME_DISABLED_SOFT || me->state == AMT_ME_DISABLED_OTHER) {
		a->verdict = AMT_VERDICT_CAPABLE_DISABLED;
		audit_reason(a, "ME state %s: the ME is disabled in this boot but can be re-enabled by BIOS or software",
			     amt_me_state_str(me->state));
		return;
	}
	if (me->state == AMT_ME_ERROR || me->state == AMT_ME_RECOVERY) {
		a->verdict = AMT_VERDICT_INDETERMINATE;
		audit_reason(a, "%s", me->state == AMT_ME_RECOVERY ? recovery_reason :
			     "the ME reports an error state: AMT may not be running now, but the pieces are there");
		if (me->state == AMT_ME_RECOVERY)
			audit_reason(a, "the pieces are there: once the full firmware runs again, AMT can be enabled");
		return;
	}
	if (me->state == AMT_ME_HECI_HIDDEN) {
		a->verdict = AMT_VERDICT_INDETERMINATE;
		audit_reason(a, "%s", heci_hidden_reason);
		return;
	}
	if (!me_running(a)) {
		a->verdict = AMT_VERDICT_INDETERMINATE;
		audit_reason(a, "all pieces seem present but the ME state (%s) is not visible here", amt_me_state_str(me->state));
		return;
	}
	if (p->enabled == AMT_TRI_NO) {
		a->verdict = AMT_VERDICT_CAPABLE_DISABLED;
		audit_reason(a, "AMTHI reports AMT disabled (status 0x4000): can be enabled in MEBx/BIOS");
		return;
	}
	if (p->features_known && !(p->features & AMT_MKHI_CAP_AMT) && p->prov == AMT_PROV_NONE) {
		/* LMS: capable (rule 0 bit 2) -> enabled (rule 0x20 bit 2) */
		a->verdict = AMT_VERDICT_CAPABLE_DISABLED;
		audit_reason(a, "MKHI feature state (rule 0x20) has AMT not enabled: can be enabled in MEBx/BIOS");
		return;
	}
	a->verdict = AMT_VERDICT_CAPABLE;
	audit_reason(a, "all three pieces present and the ME runs: AMT can be enabled/provisioned%s",
		     p->prov == AMT_PROV_UNPROVISIONED ? " (AMTHI: unprovisioned now)" : "");
}

void amt_audit_add_image(struct amt_audit *a, const struct amt_image *img, const char *label)
{
	struct amt_audit_image *im = &a->image;
	char path[200];

	memset(im, 0, sizeof(*im));
	im->given = true;
	snprintf(im->label, sizeof(im->label), "%s", label ? label : "image");
	snprintf(path, sizeof(path), "image:%s", im->label);
	audit_evidence_drop_prefix(a, "image:");
	if (!img) {
		audit_evidence(a, path, "", "image could not be parsed");
		amt_audit_decide(a);
		return;
	}
	if (img->has_fw) {
		im->amt_present = img->fw.amt_present == AMT_YES ? AMT_TRI_YES :
				  img->fw.amt_present == AMT_NO ? AMT_TRI_NO : AMT_TRI_UNKNOWN;
		if (img->fw.sku_known)
			snprintf(im->sku, sizeof(im->sku), "%s", img->fw.sku);
		audit_evidence(a, path, amt_tristate_str(img->fw.amt_present), "%s",
			       im->amt_present == AMT_TRI_YES ? "image: the ME firmware contains AMT" :
			       im->amt_present == AMT_TRI_NO ? "image: the ME firmware has no AMT" :
			       "image: AMT presence not determined");
		if (im->sku[0])
			audit_evidence(a, path, im->sku, "image: firmware SKU");
		for (size_t i = 0; i < img->fw.namt_evidence && i < 8; i++)
			audit_evidence(a, path, "", "image: %s", img->fw.amt_evidence[i].text);
	} else {
		audit_evidence(a, path, "", "image: no ME firmware found");
	}
	if (img->has_ifd && img->ifd.disable.located) {
		im->disable_set = img->ifd.disable.state == AMT_YES ? AMT_TRI_YES :
				  img->ifd.disable.state == AMT_NO ? AMT_TRI_NO : AMT_TRI_UNKNOWN;
		snprintf(im->disable_kind, sizeof(im->disable_kind), "%s",
			 amt_disable_kind_str(img->ifd.disable.kind));
		audit_evidence(a, path, amt_tristate_str(img->ifd.disable.state), "image: the %s disable bit is %s",
			       im->disable_kind, im->disable_set == AMT_TRI_YES ? "set" :
			       im->disable_set == AMT_TRI_NO ? "clear" : "of unknown state");
	}
	amt_audit_decide(a);
}
