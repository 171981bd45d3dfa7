/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * amtless audit: decoders, tables, every fixture tree of
 * tests/fixtures/audit (tests/fixtures/audit/README.md), edge-case trees built at
 * run time, --probe against the emulated MEI peer, --image facts.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <amtless/audit.h>
#include <amtless/image.h>

#include "audit_peer.h"

#ifndef AUDIT_FIXTURES_DIR
#define AUDIT_FIXTURES_DIR "tests/fixtures/audit"
#endif

static struct amt_audit *load(const char *name)
{
	char root[512];
	struct amt_audit *a = NULL;
	amt_error err;

	snprintf(root, sizeof(root), "%s/%s", AUDIT_FIXTURES_DIR, name);
	amt_error_clear(&err);
	assert_int_equal(amt_audit_collect(root, &a, &err), AMT_OK);
	assert_non_null(a);
	return a;
}

static bool has_reason(const struct amt_audit *a, const char *needle)
{
	for (size_t i = 0; i < a->nreasons; i++)
		if (strstr(a->reasons[i], needle))
			return true;
	return false;
}

static bool has_evidence(const struct amt_audit *a, const char *path_part, const char *finding_part)
{
	for (size_t i = 0; i < a->nevidence; i++)
		if (strstr(a->evidence[i].path, path_part) && strstr(a->evidence[i].finding, finding_part))
			return true;
	return false;
}

/* ---- decoders and tables ------------------------------------------- */

static void test_hfsts1_real_values(void **state)
{
	struct amt_hfsts1 h;

	/* fwupd "Alder Lake-P HAP set" */
	amt_hfsts1_decode(0x80022054, &h);
	assert_int_equal(h.working_state, 4);
	assert_int_equal(h.operation_state, 1);
	assert_int_equal(h.error_code, 2);
	assert_int_equal(h.operation_mode, 2);
	assert_false(h.init_complete);
	assert_true(h.bit4);
	/* fwupd Z790 consumer, normal */
	amt_hfsts1_decode(0x90000245, &h);
	assert_int_equal(h.working_state, 5);
	assert_int_equal(h.operation_mode, 0);
	assert_int_equal(h.error_code, 0);
	assert_true(h.init_complete);
	assert_false(h.fpt_bad);
	/* op-mode 0xF (SPS), fpt bad, error 3 */
	amt_hfsts1_decode(0x000F3025, &h);
	assert_int_equal(h.operation_mode, 0xF);
	assert_true(h.fpt_bad);
	assert_int_equal(h.error_code, 3);
	assert_string_equal(amt_hfsts1_working_state_str(4), "Disabled");
	assert_string_equal(amt_hfsts1_working_state_str(0xE), "Halt");
	assert_string_equal(amt_hfsts1_working_state_str(0xC), "reserved");
	assert_int_equal(amt_hfsts3_sku(0x20), 2);
	assert_int_equal(amt_hfsts3_sku(0x30), 3);
}

static void test_uuid_le(void **state)
{
	uint8_t u[16];
	/* AMTHI as sent in the connect ioctl (fwupd capture) */
	static const uint8_t want[16] = { 0x28, 0x00, 0xf8, 0x12, 0xb7, 0xb4, 0x2d, 0x4b,
					  0xac, 0xa8, 0x46, 0xe0, 0xff, 0x65, 0x81, 0x4c };
	assert_true(amt_uuid_le_parse(AMT_UUID_AMTHI, u));
	assert_memory_equal(u, want, 16);
	assert_true(amt_uuid_le_parse("12F80028-B4B7-4B2D-ACA8-46E0FF65814C", u));
	assert_memory_equal(u, want, 16);
	assert_false(amt_uuid_le_parse("12f80028-b4b7-4b2d-aca8-46e0ff65814", u));
	assert_false(amt_uuid_le_parse("12f80028-b4b7-4b2d-aca8x46e0ff65814c", u));
	assert_false(amt_uuid_le_parse("12f8002g-b4b7-4b2d-aca8-46e0ff65814c", u));
	assert_false(amt_uuid_le_parse(NULL, u));
}

static void test_tables(void **state)
{
	assert_int_equal(amt_nic_lookup(0x15B7)->cls, AMT_NIC_AMT_CAPABLE);  /* I219-LM (2) */
	assert_int_equal(amt_nic_lookup(0x15B8)->cls, AMT_NIC_NOT_AMT);      /* I219-V (2) */
	assert_int_equal(amt_nic_lookup(0x10BD)->cls, AMT_NIC_AMT_CAPABLE);  /* ICH9_IGP_AMT */
	assert_int_equal(amt_nic_lookup(0x1533)->cls, AMT_NIC_NOT_AMT);      /* I210 */
	assert_int_equal(amt_nic_lookup(0x15F2)->cls, AMT_NIC_POSSIBLE);     /* I225-LM */
	assert_null(amt_nic_lookup(0x1234));
	assert_int_equal(amt_heci_lookup(0xA13A)->me_major, 11);
	assert_int_equal(amt_heci_lookup(0x1E3A)->nregs, 2);
	assert_int_equal(amt_heci_lookup(0x29B4)->nregs, 0);
	assert_true(amt_heci_lookup(0x7A68)->sps_sku_quirk);
	assert_true(amt_heci_lookup(0xA1BA)->server);
	assert_null(amt_heci_lookup(0x1234));
	assert_int_equal(amt_redir_lookup(0xA13D), AMT_REDIR_KT);
	assert_int_equal(amt_redir_lookup(0x1C3C), AMT_REDIR_IDER);
	assert_int_equal(amt_redir_lookup(0xA13A), AMT_REDIR_NONE);
	assert_true(amt_mei_client_lookup("12F80028-B4B7-4B2D-ACA8-46E0FF65814C")->amt_specific);
	assert_false(amt_mei_client_lookup("8e6a6715-9abc-4043-88ef-9e39c6f63e0f")->amt_specific);
	assert_null(amt_mei_client_lookup("00000000-0000-0000-0000-000000000000"));
	assert_string_equal(amt_audit_verdict_str(AMT_VERDICT_CAPABLE_DISABLED), "capable_currently_disabled");
}

/* ---- fixtures ------------------------------------------------------- */

struct expect {
	const char *name;
	amt_audit_verdict verdict;
	amt_audit_tri cpu, nic, corp;
	amt_me_state state;
	amt_fw_sku sku;
};

static const struct expect fixtures[] = {
	{ "amd_cpu", AMT_VERDICT_NOT_EXPOSED, AMT_TRI_NO, AMT_TRI_NO, AMT_TRI_UNKNOWN, AMT_ME_ABSENT_OR_HIDDEN, AMT_SKU_UNKNOWN },
	{ "vm_guest", AMT_VERDICT_INDETERMINATE, AMT_TRI_UNKNOWN, AMT_TRI_UNKNOWN, AMT_TRI_UNKNOWN, AMT_ME_ABSENT_OR_HIDDEN, AMT_SKU_UNKNOWN },
	{ "consumer_z790", AMT_VERDICT_NOT_EXPOSED, AMT_TRI_UNLIKELY, AMT_TRI_NO, AMT_TRI_NO, AMT_ME_NORMAL, AMT_SKU_CONSUMER },
	{ "corporate_skl", AMT_VERDICT_CAPABLE, AMT_TRI_LIKELY, AMT_TRI_YES, AMT_TRI_YES, AMT_ME_NORMAL, AMT_SKU_CORPORATE },
	{ "hap_adlp", AMT_VERDICT_NOT_EXPOSED, AMT_TRI_LIKELY, AMT_TRI_YES, AMT_TRI_NO, AMT_ME_DISABLED_HAP, AMT_SKU_CONSUMER },
	{ "heci_hidden", AMT_VERDICT_INDETERMINATE, AMT_TRI_LIKELY, AMT_TRI_YES, AMT_TRI_UNKNOWN, AMT_ME_HECI_HIDDEN, AMT_SKU_UNKNOWN },
	{ "soft_disabled", AMT_VERDICT_CAPABLE_DISABLED, AMT_TRI_LIKELY, AMT_TRI_YES, AMT_TRI_YES, AMT_ME_DISABLED_SOFT, AMT_SKU_CORPORATE },
	{ "me_error", AMT_VERDICT_INDETERMINATE, AMT_TRI_LIKELY, AMT_TRI_YES, AMT_TRI_YES, AMT_ME_ERROR, AMT_SKU_CORPORATE },
	{ "security_override", AMT_VERDICT_CAPABLE, AMT_TRI_LIKELY, AMT_TRI_YES, AMT_TRI_YES, AMT_ME_SECURITY_OVERRIDE, AMT_SKU_CORPORATE },
	{ "sps_server", AMT_VERDICT_NOT_EXPOSED, AMT_TRI_LIKELY, AMT_TRI_NO, AMT_TRI_NO, AMT_ME_SERVER_FW, AMT_SKU_SPS },
	{ "old_kernel_pch7", AMT_VERDICT_INDETERMINATE, AMT_TRI_LIKELY, AMT_TRI_YES, AMT_TRI_UNKNOWN, AMT_ME_NORMAL, AMT_SKU_UNKNOWN },
	{ "old_kernel_pch7_amthi", AMT_VERDICT_CAPABLE, AMT_TRI_LIKELY, AMT_TRI_YES, AMT_TRI_YES, AMT_ME_NORMAL, AMT_SKU_CORPORATE_INFERRED },
	{ "ich9_q35", AMT_VERDICT_INDETERMINATE, AMT_TRI_LIKELY, AMT_TRI_YES, AMT_TRI_UNKNOWN, AMT_ME_UNKNOWN, AMT_SKU_UNKNOWN },
	{ "intel_v_nic_only", AMT_VERDICT_NOT_EXPOSED, AMT_TRI_LIKELY, AMT_TRI_NO, AMT_TRI_YES, AMT_ME_NORMAL, AMT_SKU_CORPORATE },
	{ "intel_v_plus_wifi", AMT_VERDICT_CAPABLE, AMT_TRI_LIKELY, AMT_TRI_LIKELY, AMT_TRI_YES, AMT_ME_NORMAL, AMT_SKU_CORPORATE },
	{ "parsing_edges", AMT_VERDICT_NOT_EXPOSED, AMT_TRI_UNLIKELY, AMT_TRI_LIKELY, AMT_TRI_NO, AMT_ME_NORMAL, AMT_SKU_CONSUMER },
	{ "iamt_wdt_only", AMT_VERDICT_CAPABLE, AMT_TRI_LIKELY, AMT_TRI_YES, AMT_TRI_YES, AMT_ME_NORMAL, AMT_SKU_CORPORATE_INFERRED },
	{ "two_mei", AMT_VERDICT_NOT_EXPOSED, AMT_TRI_UNLIKELY, AMT_TRI_YES, AMT_TRI_NO, AMT_ME_NORMAL, AMT_SKU_CONSUMER },
	{ "heci_no_driver", AMT_VERDICT_INDETERMINATE, AMT_TRI_LIKELY, AMT_TRI_YES, AMT_TRI_UNKNOWN, AMT_ME_DRIVER_NOT_BOUND, AMT_SKU_UNKNOWN },
	{ "no_sysfs", AMT_VERDICT_INDETERMINATE, AMT_TRI_LIKELY, AMT_TRI_UNKNOWN, AMT_TRI_UNKNOWN, AMT_ME_UNKNOWN, AMT_SKU_UNKNOWN },
	{ "hap_mtl", AMT_VERDICT_NOT_EXPOSED, AMT_TRI_UNLIKELY, AMT_TRI_LIKELY, AMT_TRI_NO, AMT_ME_DISABLED_HAP, AMT_SKU_CONSUMER },
	{ "recovery_p14s", AMT_VERDICT_INDETERMINATE, AMT_TRI_LIKELY, AMT_TRI_YES, AMT_TRI_YES, AMT_ME_RECOVERY, AMT_SKU_CORPORATE },
	{ "heci_hidden_pch", AMT_VERDICT_INDETERMINATE, AMT_TRI_UNLIKELY, AMT_TRI_LIKELY, AMT_TRI_UNKNOWN, AMT_ME_HECI_HIDDEN, AMT_SKU_UNKNOWN },
	{ "corporate_adl_unprovisioned", AMT_VERDICT_CAPABLE, AMT_TRI_LIKELY, AMT_TRI_YES, AMT_TRI_YES, AMT_ME_NORMAL, AMT_SKU_CORPORATE },
	{ "corporate_arl_p16g3", AMT_VERDICT_CAPABLE, AMT_TRI_LIKELY, AMT_TRI_LIKELY, AMT_TRI_YES, AMT_ME_NORMAL, AMT_SKU_CORPORATE },
	{ "corporate_lnl_xps9350", AMT_VERDICT_CAPABLE, AMT_TRI_LIKELY, AMT_TRI_LIKELY, AMT_TRI_YES, AMT_ME_NORMAL, AMT_SKU_CORPORATE },
	{ "vulnerable_skl_11_6", AMT_VERDICT_CAPABLE, AMT_TRI_LIKELY, AMT_TRI_YES, AMT_TRI_YES, AMT_ME_NORMAL, AMT_SKU_CORPORATE },
};

static void test_fixture_verdicts(void **state)
{
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		const struct expect *e = &fixtures[i];
		struct amt_audit *a = load(e->name);
		if (a->verdict != e->verdict || a->cpu_vpro != e->cpu || a->amt_nic != e->nic ||
		    a->corporate_me != e->corp || a->me.state != e->state || a->me.sku != e->sku)
			fail_msg("%s: got %s cpu=%s nic=%s corp=%s state=%s sku=%s", e->name,
				 amt_audit_verdict_str(a->verdict), amt_audit_tri_str(a->cpu_vpro),
				 amt_audit_tri_str(a->amt_nic), amt_audit_tri_str(a->corporate_me),
				 amt_me_state_str(a->me.state), amt_fw_sku_str(a->me.sku));
		assert_true(a->nreasons > 0);
		assert_true(a->nevidence > 0);
		amt_audit_free(a);
	}
}

static void test_fixture_consumer_z790(void **state)
{
	struct amt_audit *a = load("consumer_z790");
	assert_string_equal(a->kernel_release, "6.5.0-14-generic");
	assert_string_equal(a->me.pci_bdf, "0000:00:16.0");
	assert_int_equal(a->me.pci_device, 0x7A68);
	assert_int_equal(a->me.nhfsts, 6);
	assert_int_equal(a->me.hfsts[0], 0x90000245);
	assert_int_equal(a->me.hfsts[5], 0x40200002);
	assert_int_equal(a->me.hfsts_source, AMT_HFSTS_SYSFS);
	assert_true(a->me.fw_ver_known);
	assert_int_equal(a->me.fw_major, 16);
	assert_int_equal(a->me.fw_build, 2473);
	assert_string_equal(a->me.dev_state, "ENABLED");
	assert_int_equal(a->me.nclients, 10);
	assert_false(a->me.amt_clients);
	assert_int_equal(a->nnics, 1);
	assert_int_equal(a->nics[0].cls, AMT_NIC_NOT_AMT);
	assert_string_equal(a->nics[0].driver, "r8169");
	assert_true(has_reason(a, "corporate ME: no"));
	amt_audit_free(a);
}

static void test_fixture_corporate_skl(void **state)
{
	struct amt_audit *a = load("corporate_skl");
	assert_int_equal(a->me.nredir, 1);
	assert_int_equal(a->me.redir[0].kind, AMT_REDIR_KT);
	assert_true(a->me.amt_clients);
	assert_int_equal(a->me.nclients, 11);
	assert_true(a->cpu.smx);
	assert_false(a->cpu.hypervisor);
	assert_int_equal(a->cpu.family, 6);
	assert_int_equal(a->cpu.model, 94);
	assert_string_equal(a->nics[0].name, "I219-LM (2)");
	assert_true(has_evidence(a, "sys/bus/mei/devices/0000:00:16.0-12f80028", "AMTHI"));
	assert_true(has_evidence(a, "sys/bus/pci/devices/0000:00:16.3", "KT/SOL"));
	assert_false(a->probe.probed);
	amt_audit_free(a);
}

static void test_fixture_hap(void **state)
{
	struct amt_audit *a = load("hap_adlp");
	assert_int_equal(a->me.h1.working_state, 4);
	assert_int_equal(a->me.h1.operation_mode, 2);
	assert_false(a->me.fw_ver_known);   /* 0:0.0.0.0 x3 */
	assert_true(has_reason(a, "disabled_hap"));
	assert_true(has_evidence(a, "fw_ver", "not filled"));
	amt_audit_free(a);
}

static void test_fixture_two_mei(void **state)
{
	struct amt_audit *a = load("two_mei");
	assert_string_equal(a->me.mei_dev, "mei1");
	assert_string_equal(a->me.kind, "mei");
	assert_int_equal(a->me.n_mei_devs, 2);
	assert_int_equal(a->me.hfsts[0], 0x90000245);
	/* the AMT-looking client on 00:16.4 belongs to the other function */
	assert_false(a->me.amt_clients);
	assert_int_equal(a->me.nclients, 10);
	amt_audit_free(a);
}

static void test_fixture_old_and_ich9(void **state)
{
	struct amt_audit *a = load("old_kernel_pch7");
	assert_int_equal(a->me.nhfsts, 2);
	assert_false(a->me.fw_ver_known);
	assert_string_equal(a->me.kind, "");
	assert_string_equal(a->me.dev_state, "");
	assert_false(a->me.bus_visible);
	assert_true(has_evidence(a, "fw_ver", "kernel < 4.18"));
	assert_true(has_evidence(a, "dev_state", "kernel < 5.1"));
	amt_audit_free(a);

	a = load("old_kernel_pch7_amthi");  /* bus entries without a uuid attribute */
	assert_int_equal(a->me.nclients, 2);
	assert_true(a->me.amt_clients);
	amt_audit_free(a);

	a = load("ich9_q35");
	assert_true(a->me.fw_status_file);
	assert_int_equal(a->me.nhfsts, 0);
	assert_int_equal(a->me.hfsts_source, AMT_HFSTS_NONE);
	assert_string_equal(a->me.pci_bdf, "0000:00:03.0");
	assert_true(has_evidence(a, "config", "needs root"));
	amt_audit_free(a);
}

static void test_fixture_sps_and_edges(void **state)
{
	struct amt_audit *a = load("sps_server");
	assert_false(a->me.driver_bound);
	assert_int_equal(a->me.hfsts_source, AMT_HFSTS_CONFIG);
	assert_int_equal(a->me.hfsts[0], 0x000F0255);
	assert_int_equal(a->me.h1.operation_mode, 0xF);
	assert_string_equal(a->me.mei_dev, "");
	amt_audit_free(a);

	a = load("parsing_edges");
	assert_int_equal(a->me.nhfsts, 6);
	assert_int_equal(a->me.hfsts[0], 0xA4000245);
	assert_int_equal(a->me.hfsts[5], 0xC7E003CB);  /* last line without newline */
	assert_string_equal(a->me.dev_state, "ENABLED");
	assert_false(a->me.fw_ver_known);
	assert_int_equal(a->me.nclients, 5);
	assert_int_equal(a->nics[0].cls, AMT_NIC_WIFI_INTEL);
	amt_audit_free(a);

	a = load("security_override");
	assert_true(a->me.security_override);
	assert_true(has_reason(a, "red flag"));
	amt_audit_free(a);

	a = load("vm_guest");
	assert_true(a->cpu.hypervisor);
	assert_true(has_reason(a, "virtual machine"));
	amt_audit_free(a);
}

/* ---- trees built at run time (edge cases) ---------------------------- */

static char tmproot[256];

static void wfile(const char *rel, const char *text)
{
	char p[512], dir[600];
	snprintf(p, sizeof(p), "%s/%s", tmproot, rel);
	snprintf(dir, sizeof(dir), "mkdir -p \"$(dirname '%.500s')\"", p);
	assert_int_equal(system(dir), 0);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void mktree(void)
{
	snprintf(tmproot, sizeof(tmproot), "/tmp/amtless-audit-XXXXXX");
	assert_non_null(mkdtemp(tmproot));
}

static void rmtree(void)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmproot);
	assert_int_equal(system(cmd), 0);
}

static struct amt_audit *collect_tmp(void)
{
	struct amt_audit *a = NULL;
	amt_error err;
	assert_int_equal(amt_audit_collect(tmproot, &a, &err), AMT_OK);
	return a;
}

static void heci_dev(const char *device, const char *fw_status)
{
	wfile("proc/cpuinfo", "vendor_id\t: GenuineIntel\nflags\t\t: fpu smx\n");
	wfile("sys/bus/pci/devices/0000:00:16.0/vendor", "0x8086\n");
	wfile("sys/bus/pci/devices/0000:00:16.0/device", device);
	wfile("sys/bus/pci/devices/0000:00:16.0/class", "0x078000\n");
	wfile("sys/class/mei/mei0/fw_status", fw_status);
}

static void heci(const char *fw_status)
{
	heci_dev("0xa13a\n", fw_status);
}

/* HFSTS1/HFSTS3 -> ME state and SKU (doc/formats.md#hfsts). */
static void test_state_matrix(void **state)
{
	static const struct {
		const char *device, *fw_status;
		amt_me_state st;
		amt_fw_sku sku;
	} m[] = {
		{ "0xa13a", "80002044\n0\n00000030\n", AMT_ME_DISABLED_OTHER, AMT_SKU_CORPORATE },
		{ "0xa13a", "00000245\n0\n00000030\n", AMT_ME_NORMAL, AMT_SKU_CORPORATE },
		{ "0xa13a", "00000242\n0\n00000030\n", AMT_ME_RECOVERY, AMT_SKU_CORPORATE }, /* CWS 2 */
		{ "0xa13a", "00000265\n0\n00000030\n", AMT_ME_ERROR, AMT_SKU_CORPORATE },    /* FPT bad */
		{ "0xa13a", "000001C5\n0\n00000030\n", AMT_ME_ERROR, AMT_SKU_CORPORATE },    /* op-state 7 */
		{ "0xa13a", "00002245\n0\n00000030\n", AMT_ME_ERROR, AMT_SKU_CORPORATE },    /* err 2, CWS 5 */
		{ "0xa13a", "00050245\n0\n00000020\n", AMT_ME_SECURITY_OVERRIDE, AMT_SKU_CONSUMER },
		{ "0xa13a", "00000241\n0\n00000030\n", AMT_ME_UNKNOWN, AMT_SKU_CORPORATE },  /* initializing */
		{ "0xa13a", "00000245\n0\n00000050\n", AMT_ME_NORMAL, AMT_SKU_LITE },
		{ "0xa13a", "00000245\n0\n00000060\n", AMT_ME_SERVER_FW, AMT_SKU_SPS },
		{ "0xa13a", "00000245\n0\n00000000\n", AMT_ME_NORMAL, AMT_SKU_UNKNOWN },     /* 0 is IGN only where the kernel checks */
		{ "0x7a68", "00000245\n0\n00000000\n", AMT_ME_SERVER_FW, AMT_SKU_IGN },
		{ "0x1e3a", "80022054\n0\n", AMT_ME_DISABLED_ALTMEDISABLE, AMT_SKU_UNKNOWN },
		{ "0x1234", "80022054\n", AMT_ME_DISABLED_STRAP, AMT_SKU_UNKNOWN },       /* generation unknown */
		{ "0x51e0", "80022054\n30284106\n00000030\n", AMT_ME_DISABLED_HAP, AMT_SKU_CORPORATE },
		{ "0x8c3a", "00000245\n0\n00000030\n", AMT_ME_NORMAL, AMT_SKU_UNKNOWN },     /* no SKU field on ME 9 */
		{ "0xa13a", "000F0245\n", AMT_ME_SERVER_FW, AMT_SKU_UNKNOWN },
	};
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		char dev[16];
		mktree();
		snprintf(dev, sizeof(dev), "%s\n", m[i].device);
		heci_dev(dev, m[i].fw_status);
		struct amt_audit *a = collect_tmp();
		if (a->me.state != m[i].st || a->me.sku != m[i].sku)
			fail_msg("case %zu (%s %s): state %s sku %s", i, m[i].device, m[i].fw_status,
				 amt_me_state_str(a->me.state), amt_fw_sku_str(a->me.sku));
		amt_audit_free(a);
		rmtree();
	}
}

/* A class device with fw_status but no PCI listing (e.g. a partial capture). */
static void test_mei_without_pci(void **state)
{
	struct amt_audit *a;

	mktree();
	wfile("proc/cpuinfo", "vendor_id\t: GenuineIntel\nflags\t\t: fpu\n");
	wfile("sys/class/mei/mei0/fw_status", "90000245\n39850106\n00000020\n");
	wfile("sys/class/mei/mei0/fw_ver", "0:16.1.32.2473\n0:16.1.32.2473\n0:16.1.25.2035\n");
	a = collect_tmp();
	assert_false(a->pci_visible);
	assert_string_equal(a->me.mei_dev, "mei0");
	assert_int_equal(a->me.state, AMT_ME_NORMAL);
	assert_int_equal(a->me.sku, AMT_SKU_CONSUMER);
	assert_int_equal(a->amt_nic, AMT_TRI_UNKNOWN);
	assert_int_equal(a->verdict, AMT_VERDICT_NOT_EXPOSED);
	amt_audit_free(a);
	rmtree();
}

/* Disabled for an unknown cause with all pieces: reversible, not "not exposed". */
static void test_disabled_other_and_redirection(void **state)
{
	struct amt_audit *a;

	mktree();
	heci("80002044\n0\n00000030\n");
	wfile("sys/bus/pci/devices/0000:00:1f.6/vendor", "0x8086\n");
	wfile("sys/bus/pci/devices/0000:00:1f.6/device", "0x15b7\n");
	wfile("sys/bus/pci/devices/0000:00:1f.6/class", "0x020000\n");
	a = collect_tmp();
	assert_int_equal(a->verdict, AMT_VERDICT_CAPABLE_DISABLED);
	amt_audit_free(a);
	rmtree();

	/* ME 8, no SKU register, only an IDE-R function: corporate likely, not proven */
	mktree();
	heci_dev("0x1e3a\n", "1E000245\n60000000\n");
	wfile("sys/bus/pci/devices/0000:00:16.2/vendor", "0x8086\n");
	wfile("sys/bus/pci/devices/0000:00:16.2/device", "0x1e3c\n");
	wfile("sys/bus/pci/devices/0000:00:16.2/class", "0x010185\n");
	wfile("sys/bus/pci/devices/0000:00:19.0/vendor", "0x8086\n");
	wfile("sys/bus/pci/devices/0000:00:19.0/device", "0x1502\n");
	wfile("sys/bus/pci/devices/0000:00:19.0/class", "0x020000\n");
	a = collect_tmp();
	assert_int_equal(a->me.nredir, 1);
	assert_int_equal(a->me.redir[0].kind, AMT_REDIR_IDER);
	assert_int_equal(a->corporate_me, AMT_TRI_LIKELY);
	assert_int_equal(a->verdict, AMT_VERDICT_INDETERMINATE);
	assert_true(has_reason(a, "IDE-R"));
	amt_audit_free(a);
	rmtree();
}

static void test_bad_roots(void **state)
{
	struct amt_audit *a = NULL;
	amt_error err;
	amt_error_clear(&err);
	assert_int_equal(amt_audit_collect("/nonexistent/amtless-root", &a, &err), AMT_E_IO);
	assert_null(a);
	assert_non_null(strstr(err.message, "nonexistent"));
	assert_int_equal(amt_audit_collect("/proc/self/status", &a, &err), AMT_E_IO);
	assert_null(a);

	mktree();   /* an empty root: nothing visible, nothing claimed */
	a = collect_tmp();
	assert_false(a->cpu.visible);
	assert_false(a->pci_visible);
	assert_int_equal(a->verdict, AMT_VERDICT_INDETERMINATE);
	assert_int_equal(a->cpu_vpro, AMT_TRI_UNKNOWN);
	assert_int_equal(a->amt_nic, AMT_TRI_UNKNOWN);
	assert_int_equal(a->corporate_me, AMT_TRI_UNKNOWN);
	amt_audit_free(a);
	rmtree();
}

static void test_fw_status_garbage(void **state)
{
	struct amt_audit *a;

	mktree();
	heci("90000245\nnot-hex\n00000030\n");
	a = collect_tmp();
	assert_int_equal(a->me.nhfsts, 1);          /* stops at the bad line */
	assert_true(has_evidence(a, "fw_status", "unexpected"));
	assert_int_equal(a->me.sku, AMT_SKU_UNKNOWN);
	amt_audit_free(a);
	rmtree();

	mktree();
	heci("1234567890\n");                        /* 10 digits: not a register */
	a = collect_tmp();
	assert_int_equal(a->me.nhfsts, 0);
	amt_audit_free(a);
	rmtree();

	mktree();
	heci("1\n2\n3\n4\n5\n6\n7\n8\n");           /* more than 6 lines */
	a = collect_tmp();
	assert_int_equal(a->me.nhfsts, 6);
	assert_int_equal(a->me.hfsts[5], 6);
	amt_audit_free(a);
	rmtree();

	mktree();
	heci("-0000001\n");
	a = collect_tmp();
	assert_int_equal(a->me.nhfsts, 0);
	amt_audit_free(a);
	rmtree();
}

static void test_bad_pci_attrs(void **state)
{
	struct amt_audit *a;

	mktree();
	wfile("proc/cpuinfo", "vendor_id : GenuineIntel\n");
	wfile("sys/bus/pci/devices/0000:00:1f.6/vendor", "0x8086\n");
	wfile("sys/bus/pci/devices/0000:00:1f.6/device", "0x15b7 junk\n");
	wfile("sys/bus/pci/devices/0000:00:1f.6/class", "0x020000\n");
	wfile("sys/bus/pci/devices/0000:00:19.0/vendor", "0x18086\n");   /* > 16 bits */
	wfile("sys/bus/pci/devices/0000:00:19.0/device", "0x153a\n");
	wfile("sys/bus/pci/devices/0000:00:19.0/class", "0x020000\n");
	/* a FIFO where an attribute should be: must not block */
	char fifo[512];
	snprintf(fifo, sizeof(fifo), "%s/sys/bus/pci/devices/0000:00:1a.0", tmproot);
	mkdir(fifo, 0755);
	strcat(fifo, "/vendor");
	assert_int_equal(mkfifo(fifo, 0644), 0);
	a = collect_tmp();
	assert_true(a->pci_visible);
	assert_int_equal(a->nnics, 0);
	assert_int_equal(a->amt_nic, AMT_TRI_NO);
	assert_int_equal(a->cpu_vpro, AMT_TRI_UNLIKELY);  /* Intel, no flags line => no smx */
	amt_audit_free(a);
	rmtree();
}

/* ---- --probe against the emulated peer -------------------------------- */

static void test_probe_provisioned(void **state)
{
	struct audit_peer peer;
	struct amt_audit *a = load("corporate_skl");

	audit_peer_init_amt(&peer);
	amt_audit_probe(a, &peer.t);
	assert_int_equal(peer.bad_requests, 0);
	assert_true(a->probe.mkhi_connected);
	assert_true(a->probe.fw_version_known);
	assert_int_equal(a->probe.fw_major, 11);
	assert_int_equal(a->probe.fw_hotfix, 93);
	assert_int_equal(a->probe.fw_build, 4323);
	assert_true(a->probe.caps_known);
	assert_true(a->probe.caps & AMT_MKHI_CAP_AMT);
	assert_int_equal(amt_mkhi_image_type(a->probe.platform), 4);
	assert_int_equal(amt_mkhi_brand(a->probe.platform), 1);
	assert_int_equal(a->probe.amthi_connect, 0);
	assert_int_equal(a->probe.present, AMT_TRI_YES);
	assert_int_equal(a->probe.enabled, AMT_TRI_YES);
	assert_string_equal(a->probe.amt_version, "11.8.93");
	assert_string_equal(a->probe.sku_string, "16392");
	assert_int_equal(a->probe.nversions, 7);
	assert_int_equal(a->probe.prov, AMT_PROV_PROVISIONED);
	assert_int_equal(a->verdict, AMT_VERDICT_EXPOSED);
	assert_int_equal(a->cpu_vpro, AMT_TRI_YES);
	assert_true(has_evidence(a, "mei:AMTHI GET_PROVISIONING_STATE", "provisioned"));
	/* probing again replaces, never duplicates, the probe evidence */
	size_t n = a->nevidence;
	amt_audit_probe(a, &peer.t);
	assert_int_equal(a->nevidence, n);
	amt_audit_free(a);
}

static void test_probe_states(void **state)
{
	struct audit_peer peer;
	struct amt_audit *a;

	a = load("corporate_skl");
	audit_peer_init_amt(&peer);
	peer.prov_state = 0;
	amt_audit_probe(a, &peer.t);
	assert_int_equal(a->probe.prov, AMT_PROV_UNPROVISIONED);
	assert_int_equal(a->verdict, AMT_VERDICT_CAPABLE);
	assert_true(has_reason(a, "unprovisioned"));
	amt_audit_free(a);

	a = load("corporate_skl");
	audit_peer_init_amt(&peer);
	peer.prov_state = 1;
	amt_audit_probe(a, &peer.t);
	assert_int_equal(a->verdict, AMT_VERDICT_EXPOSED);
	amt_audit_free(a);

	a = load("corporate_skl");
	audit_peer_init_amt(&peer);
	peer.amthi_status = AMT_AMTHI_STATUS_DISABLED;
	amt_audit_probe(a, &peer.t);
	assert_int_equal(a->probe.enabled, AMT_TRI_NO);
	assert_int_equal(a->probe.prov, AMT_PROV_NONE);
	assert_int_equal(a->verdict, AMT_VERDICT_CAPABLE_DISABLED);
	amt_audit_free(a);

	/* AMT capable but not enabled in the MKHI feature state, AMTHI silent */
	a = load("corporate_skl");
	audit_peer_init_amt(&peer);
	peer.features = 0;
	peer.has_amthi = false;
	peer.caps = AMT_MKHI_CAP_AMT;
	amt_audit_probe(a, &peer.t);
	assert_true(a->probe.features_known);
	assert_int_equal(a->corporate_me, AMT_TRI_YES);
	assert_int_equal(a->verdict, AMT_VERDICT_CAPABLE_DISABLED);
	assert_true(has_reason(a, "rule 0x20"));
	amt_audit_free(a);

	/* old kernel, SKU unknown: a firmware without AMTHI settles it */
	a = load("old_kernel_pch7");
	assert_int_equal(a->verdict, AMT_VERDICT_INDETERMINATE);
	audit_peer_init_amt(&peer);
	peer.has_amthi = false;
	peer.caps = 1u << 12;   /* no AMT bit */
	peer.platform = 3u << 8;
	amt_audit_probe(a, &peer.t);
	assert_int_equal(a->probe.amthi_connect, -ENOTTY);
	assert_int_equal(a->probe.present, AMT_TRI_NO);
	assert_int_equal(a->corporate_me, AMT_TRI_NO);
	assert_int_equal(a->verdict, AMT_VERDICT_NOT_EXPOSED);
	amt_audit_free(a);

	/* no privilege: nothing learnt, verdict unchanged, error said */
	a = load("old_kernel_pch7");
	audit_peer_init_amt(&peer);
	peer.open_error = -EACCES;
	amt_audit_probe(a, &peer.t);
	assert_true(a->probe.probed);
	assert_non_null(strstr(a->probe.error, "needs root"));
	assert_int_equal(a->probe.present, AMT_TRI_UNKNOWN);
	assert_int_equal(a->verdict, AMT_VERDICT_INDETERMINATE);
	assert_int_equal(peer.connects, 1);  /* does not go on to AMTHI */
	amt_audit_free(a);
}

static void test_probe_malformed(void **state)
{
	struct audit_peer peer;
	struct amt_audit *a;

	/* every reply cut to 6 bytes: nothing parsed past the bounds */
	a = load("old_kernel_pch7");
	audit_peer_init_amt(&peer);
	peer.truncate_to = 6;
	amt_audit_probe(a, &peer.t);
	assert_false(a->probe.fw_version_known);
	assert_false(a->probe.caps_known);
	assert_false(a->probe.platform_known);
	assert_int_equal(a->probe.prov, AMT_PROV_NONE);
	assert_int_equal(a->probe.present, AMT_TRI_YES);   /* the connect itself succeeded */
	assert_int_equal(a->verdict, AMT_VERDICT_CAPABLE);  /* AMTHI exists + LM NIC + ME runs */
	amt_audit_free(a);

	/* AMTHI length field larger than the reply */
	a = load("corporate_skl");
	audit_peer_init_amt(&peer);
	peer.lie_length = true;
	amt_audit_probe(a, &peer.t);
	assert_int_equal(a->probe.prov, AMT_PROV_NONE);
	assert_string_equal(a->probe.amt_version, "");
	assert_true(has_evidence(a, "mei:AMTHI", "does not fit"));
	assert_int_equal(a->verdict, AMT_VERDICT_CAPABLE);
	amt_audit_free(a);

	/* replies without the response bit are rejected */
	a = load("corporate_skl");
	audit_peer_init_amt(&peer);
	peer.wrong_response_bit = true;
	amt_audit_probe(a, &peer.t);
	assert_false(a->probe.fw_version_known);
	assert_false(a->probe.caps_known);
	assert_int_equal(a->probe.prov, AMT_PROV_NONE);
	amt_audit_free(a);

	/* a NULL transport is an error, not a crash */
	a = load("corporate_skl");
	amt_audit_probe(a, NULL);
	assert_string_equal(a->probe.error, "no MEI transport");
	assert_int_equal(a->verdict, AMT_VERDICT_CAPABLE);
	amt_audit_free(a);
}

static void test_real_mei_device_missing(void **state)
{
	struct amt_mei_transport *t = amt_mei_dev_transport_new("/nonexistent/mei0", 100);
	struct amt_audit *a = load("corporate_skl");
	assert_non_null(t);
	amt_audit_probe(a, t);
	assert_non_null(strstr(a->probe.error, "cannot open"));
	assert_false(a->probe.mkhi_connected);
	amt_mei_dev_transport_free(t);
	amt_audit_free(a);
}

/* ---- --image facts ---------------------------------------------------- */

static void test_image_facts(void **state)
{
	struct amt_image img;
	struct amt_audit *a;

	memset(&img, 0, sizeof(img));
	img.has_fw = true;
	img.fw.amt_present = AMT_NO;
	snprintf(img.fw.sku, sizeof(img.fw.sku), "Consumer H");
	img.fw.sku_known = true;
	img.has_ifd = true;
	img.ifd.disable.kind = AMT_DIS_HAP;
	img.ifd.disable.located = true;
	img.ifd.disable.state = AMT_YES;

	a = load("heci_hidden");
	assert_int_equal(a->verdict, AMT_VERDICT_INDETERMINATE);
	amt_audit_add_image(a, &img, "flash.bin");
	assert_int_equal(a->image.amt_present, AMT_TRI_NO);
	assert_int_equal(a->image.disable_set, AMT_TRI_YES);
	assert_string_equal(a->image.sku, "Consumer H");
	assert_int_equal(a->corporate_me, AMT_TRI_NO);
	assert_int_equal(a->verdict, AMT_VERDICT_NOT_EXPOSED);
	assert_true(has_evidence(a, "image:flash.bin", "disable bit is set"));
	amt_audit_free(a);

	/* image says AMT, disable bit clear: corporate yes, ME still hidden */
	img.fw.amt_present = AMT_YES;
	img.ifd.disable.state = AMT_NO;
	a = load("heci_hidden");
	amt_audit_add_image(a, &img, "flash.bin");
	assert_int_equal(a->corporate_me, AMT_TRI_YES);
	assert_int_equal(a->verdict, AMT_VERDICT_INDETERMINATE);
	amt_audit_free(a);

	/* live ME normal but image has HAP set: a conflict is reported */
	img.ifd.disable.state = AMT_YES;
	a = load("corporate_skl");
	amt_audit_add_image(a, &img, "other.bin");
	assert_true(has_reason(a, "conflict"));
	assert_int_equal(a->verdict, AMT_VERDICT_CAPABLE);
	amt_audit_free(a);
}


/* ---- states after neutralizing (issue 13) ------------------------------ */

static void test_states_after_neutralizing(void **state)
{
	struct amt_audit *a;

	/* Meteor Lake HAP: HFSTS1 0x80022054 with 8086:7e70 still on PCI
	 * (Dasharo#1035): disabled by the strap, HECI visible */
	a = load("hap_mtl");
	assert_int_equal(a->me.state, AMT_ME_DISABLED_HAP);
	assert_true(amt_me_disabled_by_strap(a->me.state));
	assert_true(a->me.pci_present);
	assert_int_equal(a->me.pci_device, 0x7E70);
	assert_non_null(strstr(a->me.gen->name, "Meteor Lake"));
	assert_int_equal(a->me.major, 18);
	assert_int_equal(a->me.bit4_meaning, AMT_BIT4_SPI_PROTECTION_MODE);
	assert_int_equal(a->root_can_provision, AMT_TRI_NO);
	amt_audit_free(a);

	/* ME in recovery: P14s Gen 4 HFSTS1 0x94000642 (firmware-lenovo#623) */
	a = load("recovery_p14s");
	assert_int_equal(a->me.hfsts[0], 0x94000642);
	assert_int_equal(a->me.h1.working_state, 2);
	assert_int_equal(a->me.state, AMT_ME_RECOVERY);
	assert_false(amt_me_disabled_by_strap(a->me.state));
	assert_true(has_reason(a, "ME in recovery"));
	assert_true(has_reason(a, "not the disable bit"));
	assert_int_equal(a->fw_version[0], 16);
	assert_int_equal(a->fw_version[2], 42);
	assert_int_equal(a->fw_version[3], 2872);
	amt_audit_free(a);

	/* HECI hidden by firmware: the PCH's eSPI bridge is visible */
	a = load("heci_hidden_pch");
	assert_false(a->me.pci_present);
	assert_true(a->me.pch_seen);
	assert_string_equal(a->me.pch_bdf, "0000:00:1f.0");
	assert_int_equal(a->me.pch_device, 0x5182);
	assert_int_equal(a->me.state, AMT_ME_HECI_HIDDEN);
	assert_true(has_reason(a, "HECI hidden by firmware"));
	assert_true(has_evidence(a, "0000:00:1f.0", "contains an ME"));
	amt_audit_free(a);

	/* no HECI and no Intel PCH (AMD): absent, not hidden */
	a = load("amd_cpu");
	assert_false(a->me.pch_seen);
	assert_int_equal(a->me.state, AMT_ME_ABSENT_OR_HIDDEN);
	amt_audit_free(a);

	/* a virtual machine with QEMU's ICH9 LPC bridge: not "hidden by firmware" */
	mktree();
	wfile("proc/cpuinfo", "vendor_id\t: GenuineIntel\nflags\t\t: fpu hypervisor\n");
	wfile("sys/bus/pci/devices/0000:00:1f.0/vendor", "0x8086\n");
	wfile("sys/bus/pci/devices/0000:00:1f.0/device", "0x2918\n");
	wfile("sys/bus/pci/devices/0000:00:1f.0/class", "0x060100\n");
	a = collect_tmp();
	assert_true(a->me.pch_seen);
	assert_int_equal(a->me.state, AMT_ME_ABSENT_OR_HIDDEN);
	assert_int_equal(a->verdict, AMT_VERDICT_INDETERMINATE);
	amt_audit_free(a);
	rmtree();

	/* an Intel device at 00:1f.x on another bus is not a PCH */
	mktree();
	wfile("proc/cpuinfo", "vendor_id\t: GenuineIntel\nflags\t\t: fpu smx\n");
	wfile("sys/bus/pci/devices/0000:05:1f.0/vendor", "0x8086\n");
	wfile("sys/bus/pci/devices/0000:05:1f.0/device", "0x1533\n");
	wfile("sys/bus/pci/devices/0000:05:1f.0/class", "0x020000\n");
	a = collect_tmp();
	assert_false(a->me.pch_seen);
	assert_int_equal(a->me.state, AMT_ME_ABSENT_OR_HIDDEN);
	amt_audit_free(a);
	rmtree();
}

/* corporate + AMT NIC + AMTHI client, not provisioned: root can provision */
static void test_root_can_provision(void **state)
{
	struct audit_peer peer;
	struct amt_audit *a;

	a = load("corporate_adl_unprovisioned");
	assert_true(a->me.amthi_client);
	assert_int_equal(a->verdict, AMT_VERDICT_CAPABLE);
	assert_int_equal(a->root_can_provision, AMT_TRI_LIKELY);
	assert_true(has_reason(a, "root on this machine can provision it"));
	audit_peer_init_amt(&peer);
	peer.prov_state = 0;
	amt_audit_probe(a, &peer.t);
	assert_int_equal(a->probe.prov, AMT_PROV_UNPROVISIONED);
	assert_int_equal(a->root_can_provision, AMT_TRI_YES);
	amt_audit_free(a);

	/* provisioned: exposed, nothing left for root to provision */
	a = load("corporate_adl_unprovisioned");
	audit_peer_init_amt(&peer);
	amt_audit_probe(a, &peer.t);
	assert_int_equal(a->verdict, AMT_VERDICT_EXPOSED);
	assert_int_equal(a->root_can_provision, AMT_TRI_NO);
	amt_audit_free(a);

	/* AMT disabled in MEBx (AMTHI status 0x4000): unlikely */
	a = load("corporate_adl_unprovisioned");
	audit_peer_init_amt(&peer);
	peer.amthi_status = AMT_AMTHI_STATUS_DISABLED;
	amt_audit_probe(a, &peer.t);
	assert_int_equal(a->verdict, AMT_VERDICT_CAPABLE_DISABLED);
	assert_int_equal(a->root_can_provision, AMT_TRI_UNLIKELY);
	amt_audit_free(a);

	/* capable, but the AMTHI client is not on the bus: not claimed */
	a = load("iamt_wdt_only");
	assert_int_equal(a->verdict, AMT_VERDICT_CAPABLE);
	assert_false(a->me.amthi_client);
	assert_int_equal(a->root_can_provision, AMT_TRI_UNKNOWN);
	amt_audit_free(a);

	/* consumer firmware: no */
	a = load("consumer_z790");
	assert_int_equal(a->root_can_provision, AMT_TRI_NO);
	amt_audit_free(a);
}

/* ---- the checks fwupd users expect ------------------------------------ */

static const struct amt_audit_check *chk(const struct amt_audit *a, amt_check_id id)
{
	return &a->checks[id];
}

/*
 * Expectations from fwupd itself: the HSI results fwupd reported on the
 * real ThinkPad P16 Gen 3 (canonical/secboot#572) and the ones its own
 * tests assert for the Z790, the Alder Lake-P HAP capture and the XPS 13
 * 9350 (libfwupdplugin/fu-intel-me-test.c @6e950496).
 */
static void test_checks_match_fwupd(void **state)
{
	struct amt_audit *a;

	/* P16 Gen 3, CSME 19: "MEI manufacturing mode Locked, csme18 override
	 * Locked, Intel BootGuard Enabled, ACM protected Valid, OTP fuse Valid" */
	a = load("corporate_arl_p16g3");
	assert_true(a->fwupd_has_view);
	assert_int_equal(chk(a, AMT_CHECK_MANUFACTURING_MODE)->fwupd, AMT_HSI_LOCKED);
	assert_int_equal(chk(a, AMT_CHECK_OVERRIDE_STRAP)->fwupd, AMT_HSI_LOCKED);
	assert_int_equal(chk(a, AMT_CHECK_BOOTGUARD_ENABLED)->fwupd, AMT_HSI_ENABLED);
	assert_int_equal(chk(a, AMT_CHECK_BOOTGUARD_ACM)->fwupd, AMT_HSI_VALID);
	assert_int_equal(chk(a, AMT_CHECK_BOOTGUARD_OTP)->fwupd, AMT_HSI_VALID);
	/* amtless agrees, although HFSTS6 bit 21 (manufacturing lock) is clear */
	assert_int_equal(a->me.hfsts[5], 0x40000000);
	for (int i = 0; i < AMT_CHECK_COUNT; i++)
		assert_false(a->checks[i].differs);
	assert_int_equal(chk(a, AMT_CHECK_MANUFACTURING_MODE)->status, AMT_CHECK_PASS);
	assert_int_equal(chk(a, AMT_CHECK_SPI_PROTECTION)->status, AMT_CHECK_PASS);
	assert_int_equal(chk(a, AMT_CHECK_BOOTGUARD_VERIFIED)->status, AMT_CHECK_NOT_APPLICABLE);
	amt_audit_free(a);

	/* fwupd test "16-device" (ROG MAXIMUS Z790 HERO): Acm not-valid,
	 * Enabled enabled, Otp valid, Policy not-valid, Verified not-valid,
	 * OverrideStrap locked, Version valid, no ManufacturingMode */
	a = load("consumer_z790");
	assert_int_equal(chk(a, AMT_CHECK_BOOTGUARD_ACM)->fwupd, AMT_HSI_NOT_VALID);
	assert_int_equal(chk(a, AMT_CHECK_BOOTGUARD_ENABLED)->fwupd, AMT_HSI_ENABLED);
	assert_int_equal(chk(a, AMT_CHECK_BOOTGUARD_OTP)->fwupd, AMT_HSI_VALID);
	assert_int_equal(chk(a, AMT_CHECK_BOOTGUARD_POLICY)->fwupd, AMT_HSI_NOT_VALID);
	assert_int_equal(chk(a, AMT_CHECK_BOOTGUARD_VERIFIED)->fwupd, AMT_HSI_NOT_VALID);
	assert_int_equal(chk(a, AMT_CHECK_OVERRIDE_STRAP)->fwupd, AMT_HSI_LOCKED);
	assert_int_equal(chk(a, AMT_CHECK_ME_VERSION)->fwupd, AMT_HSI_VALID);
	assert_int_equal(chk(a, AMT_CHECK_MANUFACTURING_MODE)->fwupd, AMT_HSI_NONE);
	assert_non_null(strstr(chk(a, AMT_CHECK_MANUFACTURING_MODE)->detail, "CSME 16/17"));
	for (int i = AMT_CHECK_BOOTGUARD_ENABLED; i <= AMT_CHECK_BOOTGUARD_OTP; i++)
		assert_int_equal(a->checks[i].result, a->checks[i].fwupd);
	amt_audit_free(a);

	/* fwupd test "16-device/hap" (Alder Lake-P HAP): Acm, Otp, Policy,
	 * Verified valid, Enabled enabled, OverrideStrap locked, Version
	 * not-enabled. fwupd needs the firmware version for that; the capture
	 * has none (fw_ver zero), so here amtless alone gives those results,
	 * from the generation of the HECI ID. */
	a = load("hap_adlp");
	assert_false(a->fwupd_has_view);
	assert_int_equal(chk(a, AMT_CHECK_BOOTGUARD_ENABLED)->fwupd, AMT_HSI_NOT_SUPPORTED);
	assert_int_equal(chk(a, AMT_CHECK_BOOTGUARD_ACM)->result, AMT_HSI_VALID);
	assert_int_equal(chk(a, AMT_CHECK_BOOTGUARD_ENABLED)->result, AMT_HSI_ENABLED);
	assert_int_equal(chk(a, AMT_CHECK_BOOTGUARD_OTP)->result, AMT_HSI_VALID);
	assert_int_equal(chk(a, AMT_CHECK_BOOTGUARD_POLICY)->result, AMT_HSI_VALID);
	assert_int_equal(chk(a, AMT_CHECK_BOOTGUARD_VERIFIED)->result, AMT_HSI_VALID);
	assert_int_equal(chk(a, AMT_CHECK_OVERRIDE_STRAP)->result, AMT_HSI_LOCKED);
	assert_int_equal(chk(a, AMT_CHECK_ME_VERSION)->result, AMT_HSI_NOT_ENABLED);
	assert_int_equal(chk(a, AMT_CHECK_ME_VERSION)->status, AMT_CHECK_PASS);
	amt_audit_free(a);

	/* fwupd test "18-device" (XPS 13 9350, HFSTS1 0xA4000255):
	 * ManufacturingMode not-locked, OverrideStrap locked, Enabled enabled,
	 * Otp not-valid, Version valid (its Acm input differs from the capture) */
	a = load("corporate_lnl_xps9350");
	assert_int_equal(chk(a, AMT_CHECK_MANUFACTURING_MODE)->fwupd, AMT_HSI_NOT_LOCKED);
	assert_int_equal(chk(a, AMT_CHECK_OVERRIDE_STRAP)->fwupd, AMT_HSI_LOCKED);
	assert_int_equal(chk(a, AMT_CHECK_BOOTGUARD_ENABLED)->fwupd, AMT_HSI_ENABLED);
	assert_int_equal(chk(a, AMT_CHECK_BOOTGUARD_OTP)->fwupd, AMT_HSI_NOT_VALID);
	assert_int_equal(chk(a, AMT_CHECK_ME_VERSION)->fwupd, AMT_HSI_VALID);
	/* amtless: bit 4 is SPI protection off; FPF not committed */
	assert_int_equal(chk(a, AMT_CHECK_SPI_PROTECTION)->status, AMT_CHECK_FAIL);
	assert_int_equal(chk(a, AMT_CHECK_MANUFACTURING_MODE)->status, AMT_CHECK_FAIL);
	assert_non_null(strstr(chk(a, AMT_CHECK_MANUFACTURING_MODE)->detail, "HFSTS6 bit 30"));
	amt_audit_free(a);
}

/* Where amtless and fwupd read the same registers differently. */
static void test_checks_disagreements(void **state)
{
	struct amt_audit *a;

	/* HAP'd Meteor Lake (CSME 18): fwupd scores manufacturing mode from bit 4 */
	a = load("hap_mtl");
	assert_int_equal(chk(a, AMT_CHECK_MANUFACTURING_MODE)->fwupd, AMT_HSI_NOT_LOCKED);
	assert_int_equal(chk(a, AMT_CHECK_MANUFACTURING_MODE)->result, AMT_HSI_LOCKED);
	assert_true(chk(a, AMT_CHECK_MANUFACTURING_MODE)->differs);
	assert_non_null(strstr(chk(a, AMT_CHECK_MANUFACTURING_MODE)->detail, "SPI protection mode"));
	assert_non_null(strstr(chk(a, AMT_CHECK_MANUFACTURING_MODE)->detail, "HAP stop"));
	assert_int_equal(chk(a, AMT_CHECK_SPI_PROTECTION)->status, AMT_CHECK_FAIL);
	assert_int_equal(chk(a, AMT_CHECK_ME_VERSION)->fwupd, AMT_HSI_NOT_ENABLED);
	amt_audit_free(a);

	/* CSME 18 HAP with bit 4 clear: fwupd says debug mode (not-valid) */
	mktree();
	heci_dev("0x7e70\n", "80022044\n32284110\n00000020\n00000000\n00001F03\n40000000\n");
	wfile("sys/class/mei/mei0/fw_ver", "0:18.0.5.2028\n0:18.0.5.2028\n0:0.0.0.0\n");
	a = collect_tmp();
	assert_int_equal(a->me.state, AMT_ME_DISABLED_HAP);
	assert_int_equal(chk(a, AMT_CHECK_MANUFACTURING_MODE)->fwupd, AMT_HSI_NOT_VALID);
	assert_int_equal(chk(a, AMT_CHECK_MANUFACTURING_MODE)->result, AMT_HSI_LOCKED);
	assert_non_null(strstr(chk(a, AMT_CHECK_MANUFACTURING_MODE)->detail, "debug mode"));
	assert_int_equal(chk(a, AMT_CHECK_SPI_PROTECTION)->status, AMT_CHECK_PASS);
	amt_audit_free(a);
	rmtree();

	/* Tiger Lake (CSME 15), bit 4 set, fuses committed: fwupd (CSME11
	 * family) says manufacturing mode; coreboot: SPI protection mode */
	mktree();
	heci_dev("0xa0e0\n", "90000255\n0\n00000030\n0\n0\n40000000\n");
	wfile("sys/class/mei/mei0/fw_ver", "0:15.0.41.2158\n0:15.0.41.2158\n0:0.0.0.0\n");
	a = collect_tmp();
	assert_int_equal(a->me.bit4_meaning, AMT_BIT4_SPI_PROTECTION_MODE);
	assert_int_equal(chk(a, AMT_CHECK_MANUFACTURING_MODE)->fwupd, AMT_HSI_NOT_LOCKED);
	assert_int_equal(chk(a, AMT_CHECK_MANUFACTURING_MODE)->result, AMT_HSI_LOCKED);
	assert_true(chk(a, AMT_CHECK_MANUFACTURING_MODE)->differs);
	assert_int_equal(chk(a, AMT_CHECK_SPI_PROTECTION)->status, AMT_CHECK_FAIL);
	amt_audit_free(a);
	rmtree();

	/* CSME 12, bit 4 set: manufacturing mode for everyone */
	mktree();
	heci_dev("0x9de0\n", "90000255\n0\n00000020\n0\n0\n40000000\n");
	wfile("sys/class/mei/mei0/fw_ver", "0:12.0.90.2072\n0:12.0.90.2072\n0:0.0.0.0\n");
	a = collect_tmp();
	assert_int_equal(a->me.bit4_meaning, AMT_BIT4_MANUFACTURING_MODE);
	assert_int_equal(chk(a, AMT_CHECK_MANUFACTURING_MODE)->status, AMT_CHECK_FAIL);
	assert_int_equal(chk(a, AMT_CHECK_MANUFACTURING_MODE)->fwupd, AMT_HSI_NOT_LOCKED);
	assert_false(chk(a, AMT_CHECK_MANUFACTURING_MODE)->differs);
	assert_int_equal(chk(a, AMT_CHECK_SPI_PROTECTION)->status, AMT_CHECK_NOT_APPLICABLE);
	amt_audit_free(a);
	rmtree();

	/* security override by MEI message (5): fwupd flags only the jumper (4) */
	mktree();
	heci_dev("0xa13a\n", "90050245\n0\n00000030\n0\n0\n40000000\n");
	wfile("sys/class/mei/mei0/fw_ver", "0:11.8.92.4222\n0:11.8.92.4222\n0:0.0.0.0\n");
	a = collect_tmp();
	assert_int_equal(chk(a, AMT_CHECK_OVERRIDE_STRAP)->status, AMT_CHECK_FAIL);
	assert_int_equal(chk(a, AMT_CHECK_OVERRIDE_STRAP)->fwupd, AMT_HSI_LOCKED);
	assert_true(chk(a, AMT_CHECK_OVERRIDE_STRAP)->differs);
	amt_audit_free(a);
	rmtree();
	mktree();
	heci_dev("0xa13a\n", "90040245\n0\n00000030\n0\n0\n40000000\n");
	a = collect_tmp();
	assert_int_equal(chk(a, AMT_CHECK_OVERRIDE_STRAP)->status, AMT_CHECK_FAIL);
	assert_non_null(strstr(chk(a, AMT_CHECK_OVERRIDE_STRAP)->detail, "jumper"));
	assert_false(a->fwupd_has_view);   /* no fw_ver: fwupd has no family */
	amt_audit_free(a);
	rmtree();

	/* Boot Guard disabled (HFSTS6 bit 28): every CSME 11 Boot Guard check not-enabled */
	mktree();
	heci_dev("0xa13a\n", "90000245\n0\n00000030\n0\n0\n10000000\n");
	a = collect_tmp();
	for (int i = AMT_CHECK_BOOTGUARD_ENABLED; i <= AMT_CHECK_BOOTGUARD_OTP; i++)
		assert_int_equal(a->checks[i].result, AMT_HSI_NOT_ENABLED);
	amt_audit_free(a);
	rmtree();

	/* only two registers (ME 8): Boot Guard not applicable, bit 4 = mfg mode */
	a = load("old_kernel_pch7");
	assert_int_equal(chk(a, AMT_CHECK_BOOTGUARD_ACM)->status, AMT_CHECK_NOT_APPLICABLE);
	assert_int_equal(chk(a, AMT_CHECK_MANUFACTURING_MODE)->status, AMT_CHECK_PASS);
	assert_int_equal(chk(a, AMT_CHECK_ME_VERSION)->status, AMT_CHECK_UNKNOWN);
	amt_audit_free(a);

	/* nothing visible: every check unknown, none passes */
	a = load("no_sysfs");
	for (int i = 0; i < AMT_CHECK_COUNT; i++)
		assert_int_equal(a->checks[i].status, AMT_CHECK_UNKNOWN);
	amt_audit_free(a);
}

/* ---- Intel advisories by firmware version ------------------------------ */

static bool has_adv(const struct amt_audit *a, const char *id, amt_audit_tri applies)
{
	for (unsigned i = 0; i < a->nadvisories; i++)
		if (!strcmp(a->advisories[i].row->id, id))
			return a->advisories[i].applies == applies;
	return false;
}

/* A corporate (HFSTS3 0x30) or consumer (0x20) Skylake ME with fw_ver. */
static struct amt_audit *ver_tree(const char *fw_ver, const char *hfsts3)
{
	char fs[64], fv[96];
	mktree();
	snprintf(fs, sizeof(fs), "90000245\n0\n%s\n0\n0\n40000000\n", hfsts3);
	heci(fs);
	snprintf(fv, sizeof(fv), "0:%s\n0:%s\n0:0.0.0.0\n", fw_ver, fw_ver);
	wfile("sys/class/mei/mei0/fw_ver", fv);
	return collect_tmp();
}

/* Expected rows from the sources named in lib/audit/advisories.c (Intel
 * SA-00075 fixed builds as Tenable lists them, SA-00082 builds, SA-00086
 * minors, Intel support article 000056594 for SA-00295). */
static void test_advisories(void **state)
{
	struct amt_audit *a;

	a = load("vulnerable_skl_11_6");
	assert_int_equal(a->nadvisories, 3);
	assert_true(has_adv(a, "INTEL-SA-00075", AMT_TRI_YES));
	assert_true(has_adv(a, "INTEL-SA-00086", AMT_TRI_YES));
	assert_true(has_adv(a, "INTEL-SA-00295", AMT_TRI_YES));
	assert_int_equal(chk(a, AMT_CHECK_ME_VERSION)->status, AMT_CHECK_FAIL);
	assert_int_equal(chk(a, AMT_CHECK_ME_VERSION)->result, AMT_HSI_NOT_VALID);
	amt_audit_free(a);

	/* exactly the SA-00075 fixed build 9.1.41.3024: not affected */
	a = load("iamt_wdt_only");
	assert_true(a->fw_version_known);
	assert_int_equal(a->nadvisories, 0);
	amt_audit_free(a);

	static const struct {
		const char *ver, *hfsts3, *ids; /* ids: space separated, "+"/"?" = applies yes/unknown */
	} m[] = {
		{ "11.6.26.3264", "00000030", "+INTEL-SA-00075 +INTEL-SA-00086 +INTEL-SA-00295" },
		{ "11.6.27.3264", "00000030", "+INTEL-SA-00086 +INTEL-SA-00295" },
		{ "11.6.12.3201", "00000030", "+INTEL-SA-00075 +INTEL-SA-00086 +INTEL-SA-00295" },
		{ "11.6.12.3202", "00000030", "+INTEL-SA-00086 +INTEL-SA-00295" },
		{ "11.6.0.1126", "00000020", "+INTEL-SA-00086 +INTEL-SA-00295" },   /* consumer: no SA-00075 */
		{ "11.0.18.3002", "00000030", "+INTEL-SA-00075 +INTEL-SA-00086 +INTEL-SA-00295" },
		{ "11.0.18.3003", "00000030", "+INTEL-SA-00086 +INTEL-SA-00295" },
		{ "11.0.25.3001", "00000030", "+INTEL-SA-00082 +INTEL-SA-00086 +INTEL-SA-00295" },
		{ "11.0.26.3000", "00000030", "+INTEL-SA-00082 +INTEL-SA-00086 +INTEL-SA-00295" },
		{ "11.8.76.3210", "00000030", "+INTEL-SA-00295" },
		{ "11.8.77.3664", "00000030", "" },
		{ "11.11.76.1000", "00000030", "+INTEL-SA-00295" },
		{ "11.22.77.1000", "00000030", "" },
		{ "12.0.63.1000", "00000020", "+INTEL-SA-00295" },
		{ "12.0.64.1551", "00000020", "" },
		{ "13.0.31.1000", "00000020", "+INTEL-SA-00295" },
		{ "14.0.32.1000", "00000020", "+INTEL-SA-00295" },
		{ "14.5.11.1000", "00000020", "+INTEL-SA-00295" },
		{ "14.5.12.1000", "00000020", "" },
		{ "16.1.25.1885", "00000030", "" },
	};
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		char want[200], got[200] = "";
		a = ver_tree(m[i].ver, m[i].hfsts3);
		snprintf(want, sizeof(want), "%s", m[i].ids);
		for (unsigned k = 0; k < a->nadvisories; k++) {
			size_t n = strlen(got);
			snprintf(got + n, sizeof(got) - n, "%s%c%s", n ? " " : "",
				 a->advisories[k].applies == AMT_TRI_YES ? '+' : '?', a->advisories[k].row->id);
		}
		if (strcmp(got, want))
			fail_msg("%s (HFSTS3 %s): got '%s', want '%s'", m[i].ver, m[i].hfsts3, got, want);
		amt_audit_free(a);
		rmtree();
	}

	/* ME 9 with an unproven SKU: SA-00075 needs manageability firmware */
	mktree();
	heci_dev("0x8c3a\n", "1E000245\n60000106\n0\n0\n0\n0\n");
	wfile("sys/class/mei/mei0/fw_ver", "0:9.1.40.1000\n0:9.1.40.1000\n0:0.0.0.0\n");
	a = collect_tmp();
	assert_true(has_adv(a, "INTEL-SA-00075", AMT_TRI_UNKNOWN));
	assert_int_equal(chk(a, AMT_CHECK_ME_VERSION)->status, AMT_CHECK_UNKNOWN);
	amt_audit_free(a);
	rmtree();

	/* 11.8.77: past SA-00295, but below fwupd's 11.8.92 (CSMEVDT table) */
	a = ver_tree("11.8.77.3664", "00000030");
	assert_int_equal(a->nadvisories, 0);
	assert_int_equal(chk(a, AMT_CHECK_ME_VERSION)->status, AMT_CHECK_FAIL);
	assert_int_equal(chk(a, AMT_CHECK_ME_VERSION)->fwupd, AMT_HSI_NOT_VALID);
	assert_non_null(strstr(chk(a, AMT_CHECK_ME_VERSION)->detail, "11.8.92"));
	amt_audit_free(a);
	rmtree();
	a = ver_tree("11.8.92.4222", "00000030");
	assert_int_equal(chk(a, AMT_CHECK_ME_VERSION)->status, AMT_CHECK_PASS);
	assert_int_equal(chk(a, AMT_CHECK_ME_VERSION)->fwupd, AMT_HSI_VALID);
	amt_audit_free(a);
	rmtree();

	/* the table itself: ordered ranges, sources, advisory numbers */
	size_t n;
	const struct amt_advisory *t = amt_advisory_table(&n);
	assert_true(n >= 20);
	for (size_t i = 0; i < n; i++) {
		unsigned long f = 0, to = 0;
		for (int k = 0; k < 4; k++) {
			f = f * 65536 + t[i].from[k];
			to = to * 65536 + t[i].to[k];
		}
		assert_true(f <= to);
		assert_int_equal(strncmp(t[i].id, "INTEL-SA-", 9), 0);
		assert_int_equal(strlen(t[i].id), 14);
		assert_true(strlen(t[i].source) > 20);
		assert_non_null(strstr(t[i].cves, "CVE-"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hfsts1_real_values),
		cmocka_unit_test(test_uuid_le),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_fixture_verdicts),
		cmocka_unit_test(test_fixture_consumer_z790),
		cmocka_unit_test(test_fixture_corporate_skl),
		cmocka_unit_test(test_fixture_hap),
		cmocka_unit_test(test_fixture_two_mei),
		cmocka_unit_test(test_fixture_old_and_ich9),
		cmocka_unit_test(test_fixture_sps_and_edges),
		cmocka_unit_test(test_bad_roots),
		cmocka_unit_test(test_fw_status_garbage),
		cmocka_unit_test(test_state_matrix),
		cmocka_unit_test(test_mei_without_pci),
		cmocka_unit_test(test_disabled_other_and_redirection),
		cmocka_unit_test(test_bad_pci_attrs),
		cmocka_unit_test(test_probe_provisioned),
		cmocka_unit_test(test_probe_states),
		cmocka_unit_test(test_probe_malformed),
		cmocka_unit_test(test_real_mei_device_missing),
		cmocka_unit_test(test_image_facts),
		cmocka_unit_test(test_states_after_neutralizing),
		cmocka_unit_test(test_root_can_provision),
		cmocka_unit_test(test_checks_match_fwupd),
		cmocka_unit_test(test_checks_disagreements),
		cmocka_unit_test(test_advisories),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
