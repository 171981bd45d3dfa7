/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading the tree: /proc/cpuinfo, /sys/bus/pci/devices, /sys/class/mei,
 * /sys/bus/mei/devices, /sys/class/watchdog. Formats: Linux
 * drivers/misc/mei/main.c, bus.c; Documentation/ABI sysfs-class-mei.
 * Everything is read relative to a root directory so tests can use trees.
 * A missing file is "not visible here", never a hardware fact.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit_int.h"

#define ATTR_MAX 4096

struct ctx {
	struct amt_audit *a;
	const char *root;
};

static int join(const struct ctx *c, const char *rel, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s/%s", c->root, rel);
	return (n < 0 || (size_t)n >= cap) ? -ENAMETOOLONG : 0;
}

/* Read up to cap-1 bytes of a regular file; NUL-terminated. Returns the
 * length or -errno. Sysfs attributes are regular files. */
static long read_file(const struct ctx *c, const char *rel, char *buf, size_t cap)
{
	char path[PATH_MAX];
	struct stat st;
	size_t got = 0;
	int fd, e;

	if ((e = join(c, rel, path, sizeof(path))) < 0)
		return e;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	while (got + 1 < cap) {
		ssize_t r = read(fd, buf + got, cap - 1 - got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			e = -errno;
			close(fd);
			return e;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = 0;
	return (long)got;
}

static void rtrim(char *s)
{
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
}

/* Read a text attribute, trimmed; false if it cannot be read. */
static bool read_text(const struct ctx *c, const char *rel, char *buf, size_t cap)
{
	long n = read_file(c, rel, buf, cap);
	if (n < 0)
		return false;
	rtrim(buf); /* a NUL byte inside ends the text */
	return true;
}

static bool parse_hex(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	while (isspace((unsigned char)*s))
		s++;
	if (!isxdigit((unsigned char)*s) || *s == '-')
		return false;
	errno = 0;
	v = strtoul(s, &end, 16);
	if (errno || end == s || v > max)
		return false;
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return false;
	*out = v;
	return true;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* Name of the target of a symlink (e.g. "driver" -> ".../e1000e"). */
static bool link_name(const struct ctx *c, const char *rel, char *out, size_t cap)
{
	char path[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	if (join(c, rel, path, sizeof(path)) < 0)
		return false;
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return false;
	target[n] = 0;
	while (n > 1 && target[n - 1] == '/')
		target[--n] = 0;
	const char *b = base_name(target);
	size_t bl = strlen(b);
	if (!cap || bl >= cap)
		return false;
	memcpy(out, b, bl + 1);
	return true;
}

static int cmp_names(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Sorted directory listing without "." entries; NULL on error (errno). */
static char **list_dir(const struct ctx *c, const char *rel, size_t *count)
{
	char path[PATH_MAX];
	DIR *d;
	struct dirent *de;
	char **v = NULL;
	size_t n = 0;

	*count = 0;
	if (join(c, rel, path, sizeof(path)) < 0 || !(d = opendir(path)))
		return NULL;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n >= 4096)
			break; /* cap: no machine has that many devices */
		char **nv = realloc(v, (n + 1) * sizeof(*v));
		if (!nv)
			break;
		v = nv;
		if (!(v[n] = strdup(de->d_name)))
			break;
		n++;
	}
	closedir(d);
	if (!v)
		v = calloc(1, sizeof(*v));
	if (v)
		qsort(v, n, sizeof(*v), cmp_names);
	*count = n;
	return v;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* "0000:00:16.0" -> bus/device/function */
static bool parse_bdf3(const char *s, unsigned *bus, unsigned *dev, unsigned *fn)
{
	unsigned dom;
	char tail;
	return sscanf(s, "%4x:%2x:%2x.%1u%c", &dom, bus, dev, fn, &tail) == 4;
}


/* ---- CPU ------------------------------------------------------------ */

static bool has_word(const char *list, const char *w)
{
	size_t n = strlen(w);
	for (const char *p = list; (p = strstr(p, w)); p += n)
		if ((p == list || isspace((unsigned char)p[-1])) &&
		    (!p[n] || isspace((unsigned char)p[n])))
			return true;
	return false;
}

static void collect_cpu(struct ctx *c)
{
	struct amt_audit_cpu *cpu = &c->a->cpu;
	char *buf = malloc(65536);
	long n;

	cpu->family = cpu->model = -1;
	if (!buf)
		return;
	n = read_file(c, "proc/cpuinfo", buf, 65536);
	if (n < 0) {
		audit_evidence(c->a, "proc/cpuinfo", "", "not readable (%s): CPU not visible",
			       strerror((int)-n));
		free(buf);
		return;
	}
	cpu->visible = true;
	/* the first processor block is enough: all cores report the same */
	char *save = NULL;
	bool seen_flags = false;
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = 0;
		char *key = line, *val = colon + 1;
		rtrim(key);
		while (isspace((unsigned char)*val))
			val++;
		rtrim(val);
		if (!strcmp(key, "vendor_id") && !cpu->vendor[0])
			snprintf(cpu->vendor, sizeof(cpu->vendor), "%s", val);
		else if (!strcmp(key, "model name") && !cpu->model_name[0])
			snprintf(cpu->model_name, sizeof(cpu->model_name), "%s", val);
		else if (!strcmp(key, "cpu family") && cpu->family < 0)
			cpu->family = atoi(val);
		else if (!strcmp(key, "model") && cpu->model < 0)
			cpu->model = atoi(val);
		else if (!strcmp(key, "flags") && !seen_flags) {
			seen_flags = true;
			cpu->smx = has_word(val, "smx");
			cpu->hypervisor = has_word(val, "hypervisor");
		}
	}
	free(buf);
	audit_evidence(c->a, "proc/cpuinfo", cpu->vendor[0] ? cpu->vendor : "(none)",
		       "%sCPU vendor%s", cpu->hypervisor ? "virtual " : "", !cpu->vendor[0] ? " not given" :
		       strcmp(cpu->vendor, "GenuineIntel") ? ": not Intel" : ": Intel");
	if (cpu->model_name[0])
		audit_evidence(c->a, "proc/cpuinfo", cpu->model_name,
			       "CPU model name (the brand string never says whether the part is vPro)");
	bool intel = !strcmp(cpu->vendor, "GenuineIntel");
	if (seen_flags) {
		if (intel)
			audit_evidence(c->a, "proc/cpuinfo", cpu->smx ? "flags: smx" : "flags: no smx",
				       cpu->smx ? "SMX (Intel TXT) present: a vPro-class hint, not proof" :
				       "no SMX: vPro parts normally expose TXT/SMX (a hypervisor hides it)");
		if (cpu->hypervisor)
			audit_evidence(c->a, "proc/cpuinfo", "flags: hypervisor",
				       "running under a hypervisor: devices seen here are virtual, the host's ME/NIC are not visible");
	} else {
		audit_evidence(c->a, "proc/cpuinfo", "", "no flags line: smx/hypervisor unknown");
	}
}

/* ---- PCI -------------------------------------------------------------- */

static bool read_hex_attr(const struct ctx *c, const char *dev, const char *attr,
			  unsigned long max, unsigned long *out)
{
	char rel[PATH_MAX], buf[64];
	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/%s", dev, attr);
	return read_text(c, rel, buf, sizeof(buf)) && parse_hex(buf, max, out);
}

static void add_nic(struct ctx *c, const char *bdf, unsigned long vendor, unsigned long device,
		    unsigned long cls, const char *driver)
{
	struct amt_audit *a = c->a;
	char rel[PATH_MAX], val[64];
	struct amt_audit_nic *n;

	if (a->nnics >= AMT_AUDIT_MAX_NICS)
		return;
	n = &a->nics[a->nnics++];
	snprintf(n->bdf, sizeof(n->bdf), "%s", bdf);
	n->vendor = (uint16_t)vendor;
	n->device = (uint16_t)device;
	n->class_code = (uint32_t)cls;
	snprintf(n->driver, sizeof(n->driver), "%s", driver);
	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s", bdf);
	snprintf(val, sizeof(val), "%04lx:%04lx class %06lx%s%s", vendor, device, cls,
		 driver[0] ? " driver " : "", driver);
	if (vendor != 0x8086) {
		n->cls = AMT_NIC_NOT_AMT;
		audit_evidence(a, rel, val, "non-Intel network controller: cannot carry AMT traffic");
		return;
	}
	const struct amt_nic_id *id = amt_nic_lookup((uint16_t)device);
	if (id) {
		n->name = id->name;
		n->cls = id->cls;
	} else if ((cls >> 8) == 0x0280 || !strcmp(driver, "iwlwifi")) {
		n->name = "Intel Wi-Fi";
		n->cls = AMT_NIC_WIFI_INTEL;
	} else {
		n->cls = AMT_NIC_UNKNOWN;
	}
	switch (n->cls) {
	case AMT_NIC_AMT_CAPABLE:
		audit_evidence(a, rel, val, "%s: Intel manageability (AMT-capable) LAN part", n->name);
		break;
	case AMT_NIC_NOT_AMT:
		audit_evidence(a, rel, val, "%s: Intel part without AMT manageability", n->name);
		break;
	case AMT_NIC_POSSIBLE:
		audit_evidence(a, rel, val, "%s: discrete -LM part marketed for vPro: possibly AMT-capable (unverified)", n->name);
		break;
	case AMT_NIC_WIFI_INTEL:
		audit_evidence(a, rel, val, "Intel Wi-Fi: wireless AMT is possible on AMT platforms (profile needed)");
		break;
	case AMT_NIC_UNKNOWN:
		audit_evidence(a, rel, val, "Intel network controller not in the AMT table: capability unknown");
		break;
	}
}

static void collect_pci(struct ctx *c)
{
	struct amt_audit *a = c->a;
	size_t n;
	char **names = list_dir(c, "sys/bus/pci/devices", &n);

	if (!names) {
		audit_evidence(a, "sys/bus/pci/devices", "", "not readable (%s): PCI devices not visible",
			       strerror(errno));
		return;
	}
	a->pci_visible = a->me.pci_visible = true;
	for (size_t i = 0; i < n; i++) {
		unsigned long vendor, device, cls;
		unsigned dev, fn;
		char rel[PATH_MAX], driver[64] = "";

		if (!read_hex_attr(c, names[i], "vendor", 0xFFFF, &vendor) ||
		    !read_hex_attr(c, names[i], "device", 0xFFFF, &device) ||
		    !read_hex_attr(c, names[i], "class", 0xFFFFFF, &cls))
			continue;
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/driver", names[i]);
		link_name(c, rel, driver, sizeof(driver));

		if ((cls >> 16) == 0x02)
			add_nic(c, names[i], vendor, device, cls, driver);
		if (vendor != 0x8086)
			continue;
		unsigned bus = 0xFFFF;
		bool bdf_ok = parse_bdf3(names[i], &bus, &dev, &fn);
		/* An Intel PCH: its LPC/eSPI bridge (class 0x0601) or any function
		 * at 00:1f.x (LPC, HD audio, SMBus, SPI, GbE). Every Intel PCH holds
		 * an ME, so with one visible a missing HECI function was hidden. */
		if (!a->me.pch_seen && bdf_ok && bus == 0 &&
		    ((cls >> 8) == 0x0601 || dev == 0x1f)) {
			a->me.pch_seen = true;
			snprintf(a->me.pch_bdf, sizeof(a->me.pch_bdf), "%s", names[i]);
			a->me.pch_device = (uint16_t)device;
		}
		/* HECI1: class 0x0780xx at 00:16.0, or a known HECI1 ID */
		if (!a->me.pci_present &&
		    (amt_heci_lookup((uint16_t)device) ||
		     ((cls >> 8) == 0x0780 && bdf_ok && dev == 0x16 && fn == 0))) {
			a->me.pci_present = true;
			snprintf(a->me.pci_bdf, sizeof(a->me.pci_bdf), "%s", names[i]);
			a->me.pci_device = (uint16_t)device;
			a->me.gen = amt_heci_lookup((uint16_t)device);
			snprintf(a->me.driver, sizeof(a->me.driver), "%.31s", driver);
			a->me.driver_bound = driver[0] != 0;
			snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s", names[i]);
			char val[64];
			snprintf(val, sizeof(val), "8086:%04lx%s%.31s", device,
				 driver[0] ? " driver " : " no driver", driver);
			audit_evidence(a, rel, val, "ME host interface (HECI1): %s",
				       a->me.gen ? a->me.gen->name : "unknown generation");
			continue;
		}
		amt_redir_kind rk = amt_redir_lookup((uint16_t)device);
		if (rk == AMT_REDIR_NONE && bdf_ok && dev == 0x16) {
			/* unknown ID at 00:16.x: class tells IDE-R / KT (pci.ids names) */
			if (fn == 2 && (cls >> 8) == 0x0101)
				rk = AMT_REDIR_IDER;
			else if (fn == 3 && (cls >> 8) == 0x0700)
				rk = AMT_REDIR_KT;
		}
		if (rk != AMT_REDIR_NONE && a->me.nredir < AMT_AUDIT_MAX_REDIR) {
			unsigned k = a->me.nredir++;
			snprintf(a->me.redir[k].bdf, sizeof(a->me.redir[k].bdf), "%s", names[i]);
			a->me.redir[k].device = (uint16_t)device;
			a->me.redir[k].kind = rk;
			snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s", names[i]);
			char val[32];
			snprintf(val, sizeof(val), "8086:%04lx", device);
			audit_evidence(a, rel, val, "AMT %s redirection function: exists only for AMT (strong positive)",
				       rk == AMT_REDIR_IDER ? "IDE-R" : "KT/SOL serial");
		}
	}
	free_list(names, n);
	if (!a->me.pci_present) {
		audit_evidence(a, "sys/bus/pci/devices", "no 8086 class 0780 at 00:16.0",
			       "no ME host interface visible: no ME, HECI hidden by BIOS, or HAP (which can hide it)");
		if (a->me.pch_seen) {
			char rel[PATH_MAX], val[32];
			snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s", a->me.pch_bdf);
			snprintf(val, sizeof(val), "8086:%04x", a->me.pch_device);
			audit_evidence(a, rel, val,
				       "Intel PCH function: this chipset contains an ME, so its missing HECI function was hidden by firmware");
		}
	}
}

/* ---- HFSTS ------------------------------------------------------------ */

static void note_hfsts(struct ctx *c, const char *path)
{
	struct amt_audit_me *me = &c->a->me;
	char val[16];

	for (unsigned i = 0; i < me->nhfsts; i++) {
		snprintf(val, sizeof(val), "%08X", me->hfsts[i]);
		if (i == 0) {
			struct amt_hfsts1 h;
			amt_hfsts1_decode(me->hfsts[0], &h);
			audit_evidence(c->a, path, val,
				       "HFSTS1: working state %u (%s), operation mode %u (%s), error %u (%s), op-state %u, init %s%s",
				       h.working_state, amt_hfsts1_working_state_str(h.working_state),
				       h.operation_mode, amt_hfsts1_op_mode_str(h.operation_mode),
				       h.error_code, amt_hfsts1_error_str(h.error_code),
				       h.operation_state, h.init_complete ? "complete" : "not complete",
				       h.fpt_bad ? ", FPT bad" : "");
		} else if (i == 2) {
			audit_evidence(c->a, path, val, "HFSTS3: firmware SKU field (bits 6:4) = %u",
				       amt_hfsts3_sku(me->hfsts[2]));
		} else {
			audit_evidence(c->a, path, val, "HFSTS%u", i + 1);
		}
	}
}

static void read_config_hfsts(struct ctx *c)
{
	struct amt_audit_me *me = &c->a->me;
	static const unsigned off[6] = { 0x40, 0x48, 0x60, 0x64, 0x68, 0x6C }; /* hw-me-regs.h PCI_CFG_HFS_* */
	char rel[PATH_MAX];
	uint8_t buf[260];
	long n;

	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/config", me->pci_bdf);
	n = read_file(c, rel, (char *)buf, sizeof(buf));
	if (n < 0)
		return;
	if (n < 0x70) {
		char val[32];
		snprintf(val, sizeof(val), "%ld bytes", n);
		audit_evidence(c->a, rel, val, n <= 64 ?
			       "PCI config readable only up to 64 bytes (needs root): HFSTS not visible" :
			       "PCI config too short for HFSTS");
		return;
	}
	unsigned cnt = 6;
	if (me->gen && me->gen->nregs == 2)
		cnt = 2; /* HFSTS3..6 do not exist on PCH6/7 */
	for (unsigned i = 0; i < cnt; i++)
		me->hfsts[i] = (uint32_t)buf[off[i]] | (uint32_t)buf[off[i] + 1] << 8 |
			       (uint32_t)buf[off[i] + 2] << 16 | (uint32_t)buf[off[i] + 3] << 24;
	me->nhfsts = cnt;
	me->hfsts_source = AMT_HFSTS_CONFIG;
	note_hfsts(c, rel);
}

/* fw_status: one %08X line per register (main.c fw_status_show). */
static void parse_fw_status(struct ctx *c, const char *rel, char *buf)
{
	struct amt_audit_me *me = &c->a->me;
	char *save = NULL;
	unsigned i = 0;

	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long v;
		rtrim(line);
		if (!line[0])
			continue;
		if (i >= 6 || strlen(line) > 8 || !parse_hex(line, 0xFFFFFFFFul, &v)) {
			audit_evidence(c->a, rel, line, "unexpected fw_status line: ignored from here on");
			break;
		}
		me->hfsts[i++] = (uint32_t)v;
	}
	me->nhfsts = i;
	if (i) {
		me->hfsts_source = AMT_HFSTS_SYSFS;
		note_hfsts(c, rel);
	} else {
		audit_evidence(c->a, rel, "(empty)", "fw_status has no registers (ICH-era HECI exposes none)");
	}
}

/* ---- MEI class device --------------------------------------------------- */

static void collect_mei_class(struct ctx *c)
{
	struct amt_audit *a = c->a;
	struct amt_audit_me *me = &a->me;
	size_t n;
	char **names = list_dir(c, "sys/class/mei", &n);
	char rel[PATH_MAX], buf[ATTR_MAX];
	int pick = -1, pick_score = -1;

	if (!names) {
		audit_evidence(a, "sys/class/mei", "", "not present (%s): mei driver not loaded/bound, no ME visible, or kernel without MEI",
			       strerror(errno));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char kind[32] = "", dev[64] = "";
		int score = 0;
		if (strncmp(names[i], "mei", 3))
			continue;
		me->n_mei_devs++;
		snprintf(rel, sizeof(rel), "sys/class/mei/%s/kind", names[i]);
		bool has_kind = read_text(c, rel, kind, sizeof(kind));
		snprintf(rel, sizeof(rel), "sys/class/mei/%s/device", names[i]);
		link_name(c, rel, dev, sizeof(dev));
		/* the generic HECI1 instance: kind "mei" (or no kind attribute:
		 * kernel < 5.8), preferably on the HECI1 PCI function */
		if (has_kind && strcmp(kind, "mei"))
			score = 0;
		else
			score = 2 + (me->pci_present && !strcmp(dev, me->pci_bdf) ? 1 : 0);
		if (score > pick_score) {
			pick = (int)i;
			pick_score = score;
		}
		if (has_kind && strcmp(kind, "mei"))
			audit_evidence(a, rel, kind, "%s is a %s instance, not the generic ME interface", names[i], kind);
	}
	if (pick < 0 || pick_score == 0) {
		if (me->n_mei_devs)
			audit_evidence(a, "sys/class/mei", "", "no generic (kind mei) MEI device");
		free_list(names, n);
		return;
	}
	const char *mei = names[pick];
	snprintf(me->mei_dev, sizeof(me->mei_dev), "%s", mei);

	char dev[64] = "";
	snprintf(rel, sizeof(rel), "sys/class/mei/%s/device", mei);
	if (link_name(c, rel, dev, sizeof(dev)) && !me->pci_present) {
		/* PCI listing not visible but the class device names its parent */
		me->pci_present = true;
		snprintf(me->pci_bdf, sizeof(me->pci_bdf), "%.15s", dev);
		me->driver_bound = true;
		snprintf(me->driver, sizeof(me->driver), "mei_me");
	}
	if (me->pci_present)
		me->driver_bound = true; /* a class device exists: a driver is bound */

	snprintf(rel, sizeof(rel), "sys/class/mei/%s/kind", mei);
	if (read_text(c, rel, me->kind, sizeof(me->kind)))
		audit_evidence(a, rel, me->kind, "generic MEI device chosen");

	snprintf(rel, sizeof(rel), "sys/class/mei/%s/dev_state", mei);
	if (read_text(c, rel, me->dev_state, sizeof(me->dev_state)))
		audit_evidence(a, rel, me->dev_state, "%s",
			       !strcmp(me->dev_state, "ENABLED") ?
			       "host-ME link up: the ME answers the host bus protocol" :
			       "host-ME link not enabled");
	else
		audit_evidence(a, rel, "", "not present (kernel < 5.1)");

	snprintf(rel, sizeof(rel), "sys/class/mei/%s/hbm_ver", mei);
	if (read_text(c, rel, me->hbm_ver, sizeof(me->hbm_ver)))
		audit_evidence(a, rel, me->hbm_ver, "negotiated HBM protocol version");

	snprintf(rel, sizeof(rel), "sys/class/mei/%s/fw_ver", mei);
	if (read_text(c, rel, buf, sizeof(buf))) {
		unsigned p, M, m, h, b;
		char first[64];
		snprintf(first, sizeof(first), "%.*s", (int)strcspn(buf, "\n"), buf);
		if (sscanf(first, "%u:%u.%u.%u.%u", &p, &M, &m, &h, &b) == 5 && (M || m || h || b)) {
			me->fw_ver_known = true;
			me->fw_platform = p;
			me->fw_major = M; me->fw_minor = m; me->fw_hotfix = h; me->fw_build = b;
			audit_evidence(a, rel, first, "ME firmware version %u.%u.%u.%u", M, m, h, b);
		} else {
			audit_evidence(a, rel, first, "firmware version not filled (kernel could not ask the ME, or pre-ME 7)");
		}
	} else {
		audit_evidence(a, rel, "", "not present (kernel < 4.18)");
	}

	snprintf(rel, sizeof(rel), "sys/class/mei/%s/fw_status", mei);
	long r = read_file(c, rel, buf, sizeof(buf));
	if (r >= 0) {
		me->fw_status_file = true;
		parse_fw_status(c, rel, buf);
	} else {
		audit_evidence(a, rel, "", "not present (kernel < 3.19): HFSTS not visible through sysfs");
	}
	free_list(names, n);
}

/* ---- MEI bus clients ------------------------------------------------------ */

static bool uuid_shape(const char *s)
{
	if (strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

static void collect_mei_bus(struct ctx *c)
{
	struct amt_audit *a = c->a;
	struct amt_audit_me *me = &a->me;
	size_t n;
	char **names = list_dir(c, "sys/bus/mei/devices", &n);

	if (!names) {
		audit_evidence(a, "sys/bus/mei/devices", "", "not present: MEI client bus not visible (kernel < 3.10, or no MEI)");
		return;
	}
	me->bus_visible = true;
	for (size_t i = 0; i < n; i++) {
		char rel[PATH_MAX], uuid[64] = "";
		size_t len = strlen(names[i]);
		/* "<parent>-<uuid>": keep only clients of the chosen HECI function */
		if (me->pci_bdf[0] && (strncmp(names[i], me->pci_bdf, strlen(me->pci_bdf)) ||
				       names[i][strlen(me->pci_bdf)] != '-'))
			continue;
		snprintf(rel, sizeof(rel), "sys/bus/mei/devices/%s/uuid", names[i]);
		if (!read_text(c, rel, uuid, sizeof(uuid)) && len > 36)
			snprintf(uuid, sizeof(uuid), "%s", names[i] + len - 36);
		if (!uuid_shape(uuid))
			continue;
		for (char *p = uuid; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		bool dup = false;
		for (unsigned k = 0; k < me->nclients; k++)
			dup |= !strcmp(me->clients[k].uuid, uuid);
		if (dup || me->nclients >= AMT_AUDIT_MAX_CLIENTS)
			continue;
		struct amt_audit_client *cl = &me->clients[me->nclients++];
		const struct amt_mei_client_id *id = amt_mei_client_lookup(uuid);
		snprintf(cl->uuid, sizeof(cl->uuid), "%.36s", uuid);
		cl->name = id ? id->name : NULL;
		cl->amt_specific = id && id->amt_specific;
		if (!strcmp(cl->uuid, AMT_UUID_AMTHI))
			me->amthi_client = true;
		if (cl->amt_specific) {
			me->amt_clients = true;
			snprintf(rel, sizeof(rel), "sys/bus/mei/devices/%s", names[i]);
			audit_evidence(a, rel, uuid, "%s client: exists only in AMT (corporate) firmware", id->name);
		}
	}
	free_list(names, n);
	if (me->nclients && !me->amt_clients) {
		char val[32];
		snprintf(val, sizeof(val), "%u clients", me->nclients);
		audit_evidence(a, "sys/bus/mei/devices", val,
			       "no AMT-only client (AMTHI, LME, watchdog, ASF) on the bus (the bus can omit multi-connection clients)");
	}
}

static void collect_watchdog(struct ctx *c)
{
	size_t n;
	char **names = list_dir(c, "sys/class/watchdog", &n);

	if (!names)
		return;
	for (size_t i = 0; i < n; i++) {
		char rel[PATH_MAX], id[64];
		snprintf(rel, sizeof(rel), "sys/class/watchdog/%s/identity", names[i]);
		if (read_text(c, rel, id, sizeof(id)) && !strcmp(id, "iamt_wdt")) {
			c->a->me.iamt_wdt = true;
			audit_evidence(c->a, rel, id, "Intel AMT watchdog (mei_wdt) registered: AMT firmware present");
		}
	}
	free_list(names, n);
}

amt_status amt_audit_collect(const char *root, struct amt_audit **out, amt_error *err)
{
	struct amt_audit *a;
	struct stat st;
	char buf[128];

	*out = NULL;
	if (!root || !root[0])
		root = "/";
	if (stat(root, &st) < 0 || !S_ISDIR(st.st_mode))
		return amt_error_set(err, AMT_E_IO, "root", AMT_NO_OFFSET,
				     "%s: not a readable directory", root);
	if (!(a = calloc(1, sizeof(*a))))
		return amt_error_set(err, AMT_E_NOMEM, "audit", AMT_NO_OFFSET, "out of memory");
	snprintf(a->root, sizeof(a->root), "%s", root);
	/* "/" + "/" + rel would still work; strip one trailing slash for tidy paths */
	char rootbuf[PATH_MAX];
	snprintf(rootbuf, sizeof(rootbuf), "%s", root);
	size_t rl = strlen(rootbuf);
	while (rl > 1 && rootbuf[rl - 1] == '/')
		rootbuf[--rl] = 0;
	struct ctx c = { a, strcmp(rootbuf, "/") ? rootbuf : "" };

	if (read_text(&c, "proc/sys/kernel/osrelease", buf, sizeof(buf)))
		snprintf(a->kernel_release, sizeof(a->kernel_release), "%.63s", buf);
	collect_cpu(&c);
	collect_pci(&c);
	collect_mei_class(&c);
	if (a->me.pci_present && a->me.nhfsts == 0)
		read_config_hfsts(&c);
	collect_mei_bus(&c);
	collect_watchdog(&c);
	amt_audit_decide(a);
	*out = a;
	return AMT_OK;
}
