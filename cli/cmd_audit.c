/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amtless audit: is this machine exposed to Intel AMT? (live system) */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amtless/audit.h>
#include <amtless/image.h>

#include "cli.h"

/* Exit codes of the audit verdicts (cli.h reserves 10-14). */
enum {
	EXIT_AUDIT_NOT_EXPOSED = 10,
	EXIT_AUDIT_EXPOSED = 11,
	EXIT_AUDIT_CAPABLE = 12,
	EXIT_AUDIT_CAPABLE_DISABLED = 13,
	EXIT_AUDIT_INDETERMINATE = 14,
};

static int exit_for_verdict(amt_audit_verdict v)
{
	switch (v) {
	case AMT_VERDICT_NOT_EXPOSED: return EXIT_AUDIT_NOT_EXPOSED;
	case AMT_VERDICT_EXPOSED: return EXIT_AUDIT_EXPOSED;
	case AMT_VERDICT_CAPABLE: return EXIT_AUDIT_CAPABLE;
	case AMT_VERDICT_CAPABLE_DISABLED: return EXIT_AUDIT_CAPABLE_DISABLED;
	case AMT_VERDICT_INDETERMINATE: break;
	}
	return EXIT_AUDIT_INDETERMINATE;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s audit [OPTIONS]\n"
		"\n"
		"Is this machine exposed to Intel AMT? Checks the three pieces AMT needs\n"
		"(a vPro-capable Intel CPU, an AMT-capable Intel network controller, corporate\n"
		"ME firmware) and the state of the ME, from /proc/cpuinfo, /sys/bus/pci,\n"
		"/sys/class/mei, /sys/bus/mei and /sys/class/watchdog. No root needed.\n"
		"A file that is missing means 'not visible here' (old kernel, no driver,\n"
		"no privilege), never a hardware fact. Every conclusion lists its evidence.\n"
		"\n"
		"Options:\n"
		"  --root DIR         read the tree under DIR instead of / (tests, chroots)\n"
		"  --json             print one JSON document (schema \"amtless-audit\",\n"
		"                     version %d; see doc/audit.schema.json)\n"
		"  --probe            also ask the ME over /dev/mei0 (needs root): MKHI firmware\n"
		"                     version and capabilities, AMTHI code versions and\n"
		"                     provisioning state\n"
		"  --mei-device PATH  the MEI character device for --probe (default: /dev/ and\n"
		"                     the generic MEI device found, else /dev/mei0; required\n"
		"                     with --probe when --root is not /)\n"
		"  --image FILE       a flash dump of THIS machine: add its firmware SKU, AMT\n"
		"                     presence and disable bit to the evidence\n"
		"  -h, --help         this help\n"
		"\n"
		"Verdicts and exit codes:\n"
		" 10  not_exposed: a required piece is missing (not Intel, no AMT-capable\n"
		"     Intel NIC, consumer/lite/server firmware) or the ME is disabled by\n"
		"     HAP/AltMeDisable\n"
		" 11  exposed: AMT answers and is provisioned (or being provisioned)\n"
		" 12  capable: all three pieces present and the ME runs: AMT can be enabled\n"
		"     or provisioned\n"
		" 13  capable_currently_disabled: all pieces present, the ME or AMT is\n"
		"     disabled now in a reversible way (soft disable, AMT off in MEBx)\n"
		" 14  indeterminate: not enough evidence visible here (e.g. in a virtual\n"
		"     machine, HECI hidden, old kernel)\n"
		"  2  usage error\n"
		"  3  --root or --image cannot be read\n"
		"  4  --image is not recognised or is malformed\n"
		" 70  internal error (out of memory)\n",
		cli_progname, AMT_AUDIT_SCHEMA_VERSION);
}

/* ---- text ---------------------------------------------------------- */

static void put_clean(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7F ? *s : '?', f);
}

static const char *verdict_title(amt_audit_verdict v)
{
	switch (v) {
	case AMT_VERDICT_NOT_EXPOSED: return "NOT EXPOSED to Intel AMT";
	case AMT_VERDICT_EXPOSED: return "EXPOSED: Intel AMT is present and provisioned";
	case AMT_VERDICT_CAPABLE: return "CAPABLE: Intel AMT can be enabled on this machine";
	case AMT_VERDICT_CAPABLE_DISABLED: return "CAPABLE, CURRENTLY DISABLED";
	case AMT_VERDICT_INDETERMINATE: break;
	}
	return "INDETERMINATE: not enough evidence visible here";
}

static void print_text(const struct amt_audit *a, FILE *f)
{
	const struct amt_audit_me *me = &a->me;
	const struct amt_audit_probe *p = &a->probe;

	fprintf(f, "Verdict: %s (%s, exit %d)\n\n", verdict_title(a->verdict),
		amt_audit_verdict_str(a->verdict), exit_for_verdict(a->verdict));
	fprintf(f, "The three pieces AMT needs:\n");
	fprintf(f, "  vPro-capable CPU:          %s\n", amt_audit_tri_str(a->cpu_vpro));
	fprintf(f, "  AMT-capable Intel NIC:     %s\n", amt_audit_tri_str(a->amt_nic));
	fprintf(f, "  corporate ME firmware:     %s\n", amt_audit_tri_str(a->corporate_me));
	fprintf(f, "\nME: state %s", amt_me_state_str(me->state));
	if (me->pci_present) {
		fprintf(f, ", HECI %s 8086:%04x (%s)", me->pci_bdf, me->pci_device,
			me->gen ? me->gen->name : "unknown generation");
		fprintf(f, ", driver %s", me->driver[0] ? me->driver : "none");
	}
	fprintf(f, "\n    firmware SKU %s", amt_fw_sku_str(me->sku));
	if (me->fw_ver_known)
		fprintf(f, ", version %u.%u.%u.%u", me->fw_major, me->fw_minor, me->fw_hotfix, me->fw_build);
	if (me->mei_dev[0])
		fprintf(f, ", %s", me->mei_dev);
	if (me->dev_state[0]) {
		fprintf(f, " (");
		put_clean(f, me->dev_state);
		fprintf(f, ")");
	}
	fprintf(f, "\n");
	if (me->nhfsts) {
		fprintf(f, "    HFSTS (%s):", me->hfsts_source == AMT_HFSTS_SYSFS ? "fw_status" : "PCI config");
		for (unsigned i = 0; i < me->nhfsts; i++)
			fprintf(f, " %08X", me->hfsts[i]);
		fprintf(f, "\n");
	}
	if (me->security_override)
		fprintf(f, "    RED FLAG: security override (operation mode %u)\n", me->h1.operation_mode);
	if (p->probed) {
		fprintf(f, "\nProbe (MEI):");
		if (p->error[0])
			fprintf(f, " %s", p->error);
		else {
			if (p->fw_version_known)
				fprintf(f, " firmware %u.%u.%u.%u;", p->fw_major, p->fw_minor, p->fw_hotfix, p->fw_build);
			fprintf(f, " AMT present %s, enabled %s", amt_audit_tri_str(p->present),
				amt_audit_tri_str(p->enabled));
			if (p->prov != AMT_PROV_NONE)
				fprintf(f, ", %s", amt_prov_state_str(p->prov));
			if (p->amt_version[0]) {
				fprintf(f, ", AMT ");
				put_clean(f, p->amt_version);
			}
		}
		fprintf(f, "\n");
	}
	fprintf(f, "\nWhy:\n");
	for (size_t i = 0; i < a->nreasons; i++) {
		fprintf(f, "  - ");
		put_clean(f, a->reasons[i]);
		fputc('\n', f);
	}
	fprintf(f, "\nEvidence (under %s):\n", a->root);
	for (size_t i = 0; i < a->nevidence; i++) {
		const struct amt_audit_item *it = &a->evidence[i];
		fprintf(f, "  ");
		put_clean(f, it->path);
		if (it->value[0]) {
			fprintf(f, " = ");
			put_clean(f, it->value);
		}
		fprintf(f, "\n      ");
		put_clean(f, it->finding);
		fputc('\n', f);
	}
	fprintf(f, "\nA live audit can prove presence (AMT answering, AMT-only firmware clients,\n"
		   "corporate SKU register) and some absences (non-Intel CPU, consumer/server\n"
		   "firmware, HAP). It cannot see a BIOS-hidden ME or NIC, and cannot prove vPro.\n");
}

/* ---- JSON ---------------------------------------------------------- */

static json_t *jstr_or_null(const char *s)
{
	return s && s[0] ? json_string(s) : json_null();
}

static json_t *hex4(uint16_t v)
{
	char b[8];
	snprintf(b, sizeof(b), "0x%04x", v);
	return json_string(b);
}

static json_t *build_json(const struct amt_audit *a)
{
	const struct amt_audit_me *me = &a->me;
	const struct amt_audit_probe *p = &a->probe;
	json_t *o = json_object(), *arr, *x;
	char b[64];

	json_object_set_new(o, "schema", json_string("amtless-audit"));
	json_object_set_new(o, "version", json_integer(AMT_AUDIT_SCHEMA_VERSION));
	json_object_set_new(o, "root", json_string(a->root));
	json_object_set_new(o, "kernel_release", jstr_or_null(a->kernel_release));
	json_object_set_new(o, "verdict", json_string(amt_audit_verdict_str(a->verdict)));
	json_object_set_new(o, "exit_code", json_integer(exit_for_verdict(a->verdict)));
	arr = json_array();
	for (size_t i = 0; i < a->nreasons; i++)
		json_array_append_new(arr, json_string(a->reasons[i]));
	json_object_set_new(o, "reasons", arr);

	x = json_object();
	json_object_set_new(x, "cpu_vpro", json_string(amt_audit_tri_str(a->cpu_vpro)));
	json_object_set_new(x, "amt_nic", json_string(amt_audit_tri_str(a->amt_nic)));
	json_object_set_new(x, "corporate_me", json_string(amt_audit_tri_str(a->corporate_me)));
	json_object_set_new(o, "conditions", x);

	x = json_object();
	json_object_set_new(x, "visible", json_boolean(a->cpu.visible));
	json_object_set_new(x, "vendor", jstr_or_null(a->cpu.vendor));
	json_object_set_new(x, "model_name", jstr_or_null(a->cpu.model_name));
	json_object_set_new(x, "family", a->cpu.family >= 0 ? json_integer(a->cpu.family) : json_null());
	json_object_set_new(x, "model", a->cpu.model >= 0 ? json_integer(a->cpu.model) : json_null());
	json_object_set_new(x, "smx", json_boolean(a->cpu.smx));
	json_object_set_new(x, "hypervisor", json_boolean(a->cpu.hypervisor));
	json_object_set_new(o, "cpu", x);

	json_object_set_new(o, "pci_visible", json_boolean(a->pci_visible));
	arr = json_array();
	for (unsigned i = 0; i < a->nnics; i++) {
		const struct amt_audit_nic *n = &a->nics[i];
		json_t *e = json_object();
		json_object_set_new(e, "bdf", json_string(n->bdf));
		json_object_set_new(e, "vendor", hex4(n->vendor));
		json_object_set_new(e, "device", hex4(n->device));
		snprintf(b, sizeof(b), "0x%06x", n->class_code);
		json_object_set_new(e, "class", json_string(b));
		json_object_set_new(e, "driver", jstr_or_null(n->driver));
		json_object_set_new(e, "name", jstr_or_null(n->name));
		json_object_set_new(e, "amt_class", json_string(amt_nic_class_str(n->cls)));
		json_array_append_new(arr, e);
	}
	json_object_set_new(o, "nics", arr);

	x = json_object();
	json_object_set_new(x, "pci_present", json_boolean(me->pci_present));
	json_object_set_new(x, "pci_bdf", jstr_or_null(me->pci_bdf));
	json_object_set_new(x, "pci_device", me->pci_present ? hex4(me->pci_device) : json_null());
	json_object_set_new(x, "generation", me->gen ? json_string(me->gen->name) : json_null());
	json_object_set_new(x, "driver_bound", json_boolean(me->driver_bound));
	json_object_set_new(x, "mei_class_dev", jstr_or_null(me->mei_dev));
	json_object_set_new(x, "kind", jstr_or_null(me->kind));
	json_object_set_new(x, "dev_state", jstr_or_null(me->dev_state));
	if (me->fw_ver_known) {
		snprintf(b, sizeof(b), "%u.%u.%u.%u", me->fw_major, me->fw_minor, me->fw_hotfix, me->fw_build);
		json_object_set_new(x, "fw_version", json_string(b));
	} else {
		json_object_set_new(x, "fw_version", json_null());
	}
	arr = json_array();
	for (unsigned i = 0; i < me->nhfsts; i++) {
		snprintf(b, sizeof(b), "0x%08X", me->hfsts[i]);
		json_array_append_new(arr, json_string(b));
	}
	json_object_set_new(x, "hfsts", arr);
	json_object_set_new(x, "hfsts_source", json_string(me->hfsts_source == AMT_HFSTS_SYSFS ? "sysfs_fw_status" :
							   me->hfsts_source == AMT_HFSTS_CONFIG ? "pci_config" : "none"));
	if (me->nhfsts) {
		json_t *h = json_object();
		json_object_set_new(h, "working_state", json_integer(me->h1.working_state));
		json_object_set_new(h, "operation_state", json_integer(me->h1.operation_state));
		json_object_set_new(h, "operation_mode", json_integer(me->h1.operation_mode));
		json_object_set_new(h, "error_code", json_integer(me->h1.error_code));
		json_object_set_new(h, "fpt_bad", json_boolean(me->h1.fpt_bad));
		json_object_set_new(h, "init_complete", json_boolean(me->h1.init_complete));
		json_object_set_new(h, "bit4", json_boolean(me->h1.bit4));
		json_object_set_new(x, "hfsts1", h);
	} else {
		json_object_set_new(x, "hfsts1", json_null());
	}
	json_object_set_new(x, "fw_sku", json_string(amt_fw_sku_str(me->sku)));
	json_object_set_new(x, "state", json_string(amt_me_state_str(me->state)));
	json_object_set_new(x, "security_override", json_boolean(me->security_override));
	arr = json_array();
	for (unsigned i = 0; i < me->nredir; i++) {
		json_t *e = json_object();
		json_object_set_new(e, "bdf", json_string(me->redir[i].bdf));
		json_object_set_new(e, "device", hex4(me->redir[i].device));
		json_object_set_new(e, "kind", json_string(me->redir[i].kind == AMT_REDIR_IDER ? "ide-r" : "kt"));
		json_array_append_new(arr, e);
	}
	json_object_set_new(x, "amt_redirection_functions", arr);
	json_object_set_new(x, "bus_visible", json_boolean(me->bus_visible));
	arr = json_array();
	for (unsigned i = 0; i < me->nclients; i++) {
		json_t *e = json_object();
		json_object_set_new(e, "uuid", json_string(me->clients[i].uuid));
		json_object_set_new(e, "name", jstr_or_null(me->clients[i].name));
		json_object_set_new(e, "amt_specific", json_boolean(me->clients[i].amt_specific));
		json_array_append_new(arr, e);
	}
	json_object_set_new(x, "clients", arr);
	json_object_set_new(x, "iamt_watchdog", json_boolean(me->iamt_wdt));
	json_object_set_new(o, "me", x);

	x = json_object();
	json_object_set_new(x, "probed", json_boolean(p->probed));
	json_object_set_new(x, "error", jstr_or_null(p->error));
	json_object_set_new(x, "present", json_string(amt_audit_tri_str(p->present)));
	json_object_set_new(x, "enabled", json_string(amt_audit_tri_str(p->enabled)));
	json_object_set_new(x, "provisioning_state", p->prov ? json_string(amt_prov_state_str(p->prov)) : json_null());
	json_object_set_new(x, "version", jstr_or_null(p->amt_version));
	json_object_set_new(x, "sku_string", jstr_or_null(p->sku_string));
	if (p->fw_version_known) {
		snprintf(b, sizeof(b), "%u.%u.%u.%u", p->fw_major, p->fw_minor, p->fw_hotfix, p->fw_build);
		json_object_set_new(x, "mkhi_fw_version", json_string(b));
	} else {
		json_object_set_new(x, "mkhi_fw_version", json_null());
	}
	json_object_set_new(x, "mkhi_fw_caps", p->caps_known ? json_integer(p->caps) : json_null());
	json_object_set_new(x, "mkhi_image_type", p->platform_known ? json_integer(amt_mkhi_image_type(p->platform)) : json_null());
	json_object_set_new(x, "mkhi_brand", p->platform_known ? json_string(amt_mkhi_brand_str(amt_mkhi_brand(p->platform))) : json_null());
	json_object_set_new(x, "mkhi_features", p->features_known ? json_integer(p->features) : json_null());
	json_object_set_new(o, "amt", x);

	if (a->image.given) {
		x = json_object();
		json_object_set_new(x, "file", json_string(a->image.label));
		json_object_set_new(x, "amt_present", json_string(amt_audit_tri_str(a->image.amt_present)));
		json_object_set_new(x, "sku", jstr_or_null(a->image.sku));
		json_object_set_new(x, "disable_bit", json_string(amt_audit_tri_str(a->image.disable_set)));
		json_object_set_new(x, "disable_kind", jstr_or_null(a->image.disable_kind));
		json_object_set_new(o, "image", x);
	} else {
		json_object_set_new(o, "image", json_null());
	}

	arr = json_array();
	for (size_t i = 0; i < a->nevidence; i++) {
		json_t *e = json_object();
		json_object_set_new(e, "path", json_string(a->evidence[i].path));
		json_object_set_new(e, "value", json_string(a->evidence[i].value));
		json_object_set_new(e, "finding", json_string(a->evidence[i].finding));
		json_array_append_new(arr, e);
	}
	json_object_set_new(o, "evidence", arr);
	return o;
}

int cmd_audit(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_ROOT, OPT_PROBE, OPT_IMAGE, OPT_MEIDEV };
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "probe", no_argument, NULL, OPT_PROBE },
		{ "mei-device", required_argument, NULL, OPT_MEIDEV },
		{ "image", required_argument, NULL, OPT_IMAGE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false, probe = false;
	const char *root = "/", *image = NULL, *meidev = NULL;

	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_JSON: json = true; break;
		case OPT_ROOT: root = optarg; break;
		case OPT_PROBE: probe = true; break;
		case OPT_MEIDEV: meidev = optarg; break;
		case OPT_IMAGE: image = optarg; break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			if (optopt && optopt < 256)
				fprintf(stderr, "%s: audit: unknown option '-%c'\n", cli_progname, optopt);
			else
				fprintf(stderr, "%s: audit: bad option '%s'\n", cli_progname, argv[optind - 1]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s: audit: unexpected argument '%s'\n", cli_progname, argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!root[0]) {
		fprintf(stderr, "%s: audit: --root needs a directory\n", cli_progname);
		return EXIT_USAGE;
	}
	if (probe && !meidev && strcmp(root, "/")) {
		fprintf(stderr, "%s: audit: --probe talks to the live ME; with --root name the device with --mei-device\n",
			cli_progname);
		return EXIT_USAGE;
	}
	if (meidev && !probe) {
		fprintf(stderr, "%s: audit: --mei-device needs --probe\n", cli_progname);
		return EXIT_USAGE;
	}

	amt_error err;
	amt_error_clear(&err);
	struct amt_audit *a = NULL;
	amt_status st = amt_audit_collect(root, &a, &err);
	if (st != AMT_OK) {
		cli_print_error(NULL, &err);
		return st == AMT_E_NOMEM ? EXIT_INTERNAL : EXIT_INPUT;
	}
	if (image) {
		uint8_t *data = NULL;
		size_t size = 0;
		struct amt_image *img = NULL;
		struct amt_parse_opts popts;
		st = cli_read_file(image, &data, &size, &err);
		if (st != AMT_OK) {
			cli_print_error(NULL, &err);
			amt_audit_free(a);
			return cli_exit_for(st);
		}
		amt_parse_opts_init(&popts);
		popts.verify_signatures = false; /* presence facts only */
		st = amt_image_parse(data, size, &popts, &img, &err);
		if (st != AMT_OK) {
			cli_print_error(image, &err);
			free(data);
			amt_audit_free(a);
			return cli_exit_for(st);
		}
		amt_audit_add_image(a, img, image);
		amt_image_free(img);
		free(data);
	}
	if (probe) {
		/* default: the character device of the generic MEI device chosen
		 * (mei1 when mei0 is an iTouch instance), else /dev/mei0 */
		char devpath[64];
		snprintf(devpath, sizeof(devpath), "/dev/%s", a->me.mei_dev[0] ? a->me.mei_dev : "mei0");
		struct amt_mei_transport *t = amt_mei_dev_transport_new(meidev ? meidev : devpath, 2000);
		if (!t) {
			amt_audit_free(a);
			return EXIT_INTERNAL;
		}
		amt_audit_probe(a, t);
		amt_mei_dev_transport_free(t);
	}

	int rc = exit_for_verdict(a->verdict);
	if (json) {
		json_t *doc = build_json(a);
		if (!doc || json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII |
				       JSON_PRESERVE_ORDER) < 0) {
			fprintf(stderr, "%s: audit: cannot build the JSON document (out of memory)\n", cli_progname);
			rc = EXIT_INTERNAL;
		}
		fputc('\n', stdout);
		json_decref(doc);
	} else {
		print_text(a, stdout);
	}
	if (fflush(stdout) != 0)
		rc = EXIT_INTERNAL;
	amt_audit_free(a);
	return rc;
}
