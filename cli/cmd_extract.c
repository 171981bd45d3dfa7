/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amtless extract: write an image's regions, partitions and modules to files. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dirent.h>
#include <jansson.h>

#include <amtless/extract.h>
#include <amtless/image.h>

#include "cli.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s extract [OPTIONS] IMAGE\n"
		"\n"
		"Write the pieces of IMAGE to files under DIR:\n"
		"  regions     descriptor.bin, bios.bin, me.bin, gbe.bin, ... (each used\n"
		"              descriptor region that lies inside the file)\n"
		"  partitions  partitions/NAME.bin ($FPT, BPDT and layout-table partitions\n"
		"              with data in the image)\n"
		"  modules     modules/PART/NAME.bin, as stored ($CPD entries keep their\n"
		"              own name: FTPR.man, kernel.met, ...)\n"
		"Names read from the image are made safe: bytes other than letters,\n"
		"digits and \"._-+\" (and a leading '.') become _xNN. Nothing is written\n"
		"outside DIR; files are created exclusively, never through a symlink.\n"
		"\n"
		"Options:\n"
		"  -d, --dir DIR    output directory (default: IMAGE's base name +\n"
		"                   \".extracted\", in the current directory); created\n"
		"                   if missing, refused if not empty (see --force)\n"
		"  --force          write into a non-empty DIR, replacing files of the\n"
		"                   same name\n"
		"  --regions        only the regions       } combine to select several;\n"
		"  --partitions     only the partitions    } default: all three\n"
		"  --modules        only the modules       }\n"
		"  --only NAME      one piece: a region (\"ME\", \"bios\"), a partition\n"
		"                   (\"FTPR\"), a module (\"kernel\" or \"FTPR/kernel\"), or\n"
		"                   a path as --list prints it\n"
		"  --unpack         also write LZMA- and Huffman-compressed modules\n"
		"                   unpacked, as PART/NAME.unpacked.bin, and check their\n"
		"                   stored hash (encrypted modules are written as stored)\n"
		"  --list           print what would be written; write nothing\n"
		"  --layout FILE    also write IMAGE's flashrom layout file to FILE:\n"
		"                   \"START:END NAME\" per region its descriptor defines,\n"
		"                   hex (fd, bios, me, gbe, ...: ifdtool -f's names)\n"
		"  --json           print a JSON listing (schema \"amtless-extract\",\n"
		"                   version 1; see doc/extract.schema.json): path,\n"
		"                   offset, size, sha256 of each file\n"
		"  -h, --help       this help\n"
		"\n"
		"Exit codes:\n"
		"  0  every selected piece was written (or listed)\n"
		"  2  usage error; --only NAME names nothing, or several pieces;\n"
		"     --layout on an IMAGE without a flash descriptor\n"
		"  3  IMAGE cannot be read (missing, a directory, empty, I/O error)\n"
		"  4  IMAGE is not recognised or malformed; a module could not be\n"
		"     unpacked (the other files are written); --only NAME cannot be\n"
		"     extracted (its bytes are not in the file)\n"
		"  5  IMAGE is an ME update file, not a flash region\n"
		"  7  DIR is not empty (without --force) or cannot be created, or a file\n"
		"     cannot be written: extraction stops there, naming the file (files\n"
		"     written before it remain)\n"
		" 70  internal error (out of memory)\n",
		cli_progname);
}

/* ---- options and state ------------------------------------------------- */

struct xopts {
	const char *image, *dir, *only, *layout;
	unsigned kinds;
	bool force, list, json, unpack;
};

struct xstate {
	const struct xopts *o;
	const struct amt_image *img;
	struct amt_piece_list *pieces;
	int dirfd;
	size_t nwritten;
	size_t nunpack_failed;
	json_t *files, *skipped, *notes;
};

/* Image names hold any byte: printable ASCII kept, the rest as \xNN. */
static void printable(char *dst, size_t len, const char *s)
{
	size_t o = 0;
	for (; *s && o + 5 < len; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch >= 0x20 && ch < 0x7F && ch != '\\')
			dst[o++] = (char)ch;
		else
			o += (size_t)snprintf(dst + o, len - o, "\\x%02x", ch);
	}
	dst[o] = '\0';
}

static void hex(char *dst, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(dst + 2 * i, "%02x", p[i]);
}

/* ---- --only ------------------------------------------------------------- */

static bool name_matches(const struct amt_piece *p, const char *want)
{
	char qual[32];
	if (!strcmp(p->path, want) || !strcmp(p->name, want))
		return true;
	if (p->kind == AMT_PIECE_REGION) {
		char stem[AMT_PIECE_PATH_MAX];
		snprintf(stem, sizeof(stem), "%s", p->path);
		char *dot = strrchr(stem, '.');
		if (dot)
			*dot = '\0';
		return !strcasecmp(p->name, want) || !strcasecmp(stem, want);
	}
	if (p->kind == AMT_PIECE_MODULE) {
		snprintf(qual, sizeof(qual), "%s/%s", p->group, p->name);
		return !strcmp(qual, want);
	}
	return false;
}

static bool is_duplicate(const struct amt_piece *p)
{
	return p->skipped && !strncmp(p->note, "the same bytes as ", 18);
}

/* Keep only the piece NAME: returns its index, or -1 (message printed,
 * *rc set). */
static long select_only(const struct xopts *o, const struct amt_piece_list *l, int *rc)
{
	long found = -1;
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (is_duplicate(&l->v[i]) || !name_matches(&l->v[i], o->only))
			continue;
		if (found < 0)
			found = (long)i;
		n++;
	}
	char pn[80];
	printable(pn, sizeof(pn), o->only);
	if (n == 0) {
		*rc = cli_usage_error("extract", "%s: nothing named '%s' (see --list for the names)",
				      o->image, pn);
		return -1;
	}
	if (n > 1) {
		char paths[1024] = "";
		for (size_t i = 0; i < l->n; i++)
			if (!is_duplicate(&l->v[i]) && name_matches(&l->v[i], o->only))
				snprintf(paths + strlen(paths), sizeof(paths) - strlen(paths), "%s%s",
					 paths[0] ? ", " : "", l->v[i].path);
		*rc = cli_usage_error("extract", "%s: '%s' names %zu pieces; give one of these "
				      "paths: %s", o->image, pn, n, paths);
		return -1;
	}
	if (l->v[found].skipped) {
		fprintf(stderr, "%s: extract: %s: %s cannot be extracted: %s\n", cli_progname,
			o->image, l->v[found].path, l->v[found].note);
		*rc = EXIT_UNKNOWN;
		return -1;
	}
	return found;
}

/* ---- the output directory ------------------------------------------- */

/* Open (creating it if missing) the output directory; refuse a non-empty
 * one without --force. Returns the fd or -1 (message printed). */
static int open_outdir(const struct xopts *o)
{
	const char *dir = o->dir;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "%s: extract: %s: cannot create the directory: %s\n", cli_progname,
			dir, strerror(errno));
		return -1;
	}
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "%s: extract: %s: %s\n", cli_progname, dir,
			errno == ENOTDIR ? "exists and is not a directory" : strerror(errno));
		return -1;
	}
	if (o->force)
		return fd;
	int dfd = dup(fd);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		fprintf(stderr, "%s: extract: %s: cannot read the directory: %s\n", cli_progname,
			dir, strerror(errno));
		close(fd);
		return -1;
	}
	bool empty = true;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			empty = false;
			break;
		}
	closedir(d);
	if (!empty) {
		fprintf(stderr, "%s: extract: %s: the directory is not empty; nothing was written "
			"(use --force to write into it, or -d another directory)\n", cli_progname, dir);
		close(fd);
		return -1;
	}
	return fd;
}

/* Write data to path (relative to dirfd, safe components separated by
 * '/'): directories made with mkdir 0755 and entered without following
 * symlinks, the file created with O_EXCL | O_NOFOLLOW (after unlinking a
 * previous one under --force). Returns 0, or -1 with a message naming the
 * file. */
static int write_piece(struct xstate *s, const char *path, const uint8_t *data, size_t size)
{
	char buf[AMT_PIECE_PATH_MAX + 32];
	const char *dir = s->o->dir;
	snprintf(buf, sizeof(buf), "%s", path);

	int cur = dup(s->dirfd);
	if (cur < 0)
		goto fail_errno;
	char *comp = buf, *slash;
	while ((slash = strchr(comp, '/'))) {
		*slash = '\0';
		if (mkdirat(cur, comp, 0755) < 0 && errno != EEXIST)
			goto fail_dir;
		int next = openat(cur, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0)
			goto fail_dir;
		close(cur);
		cur = next;
		*slash = '/';
		comp = slash + 1;
	}
	if (s->o->force && unlinkat(cur, comp, 0) < 0 && errno != ENOENT)
		goto fail_file;
	int fd = openat(cur, comp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		goto fail_file;
	const char *step = NULL;
	for (size_t done = 0; done < size && !step;) {
		ssize_t w = write(fd, data + done, size - done > (1u << 30) ? (1u << 30) : size - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			step = "write";
			break;
		}
		done += (size_t)w;
	}
	if (!step && fsync(fd) < 0)
		step = "fsync";
	if (close(fd) < 0 && !step)
		step = "close";
	if (step) {
		int e = errno;
		unlinkat(cur, comp, 0);
		close(cur);
		fprintf(stderr, "%s: extract: %s/%s: %s failed: %s; stopped (%zu file%s written "
			"before it remain%s)\n", cli_progname, dir, path, step, strerror(e),
			s->nwritten, s->nwritten == 1 ? "" : "s", s->nwritten == 1 ? "s" : "");
		return -1;
	}
	close(cur);
	return 0;

fail_errno:
	fprintf(stderr, "%s: extract: %s/%s: %s\n", cli_progname, dir, path, strerror(errno));
	return -1;
fail_dir: {
		int e = errno;
		struct stat sb;
		const char *why = strerror(e);
		if ((e == ELOOP || e == ENOTDIR) && fstatat(cur, comp, &sb, AT_SYMLINK_NOFOLLOW) == 0)
			why = S_ISLNK(sb.st_mode) ? "it is a symbolic link (not followed)"
				: !S_ISDIR(sb.st_mode) ? "it exists and is not a directory" : why;
		close(cur);
		fprintf(stderr, "%s: extract: %s/%s: cannot create or enter the directory '%s': %s; "
			"stopped (%zu files written before it remain)\n", cli_progname, dir, path, comp,
			why, s->nwritten);
		return -1;
	}
fail_file: {
		int e = errno;
		close(cur);
		fprintf(stderr, "%s: extract: %s/%s: cannot create the file: %s; stopped "
			"(%zu files written before it remain)\n", cli_progname, dir, path,
			e == EEXIST ? "it exists (use --force)" :
			e == ELOOP ? "it is a symbolic link" : strerror(e), s->nwritten);
		return -1;
	}
}

/* ---- one file ------------------------------------------------------------ */

static json_t *file_json(const struct amt_piece *p, const char *path, const uint8_t *data,
			 size_t size, bool unpacked, amt_hash_match match)
{
	uint8_t h[32];
	char hx[65], nm[80];
	amt_sha256(data, size, h);
	hex(hx, h, 32);
	printable(nm, sizeof(nm), p->name);
	json_t *j = json_object();
	json_object_set_new(j, "path", json_string(path));
	json_object_set_new(j, "kind", json_string(amt_piece_kind_str(p->kind)));
	json_object_set_new(j, "name", json_string(nm));
	if (p->kind == AMT_PIECE_MODULE) {
		printable(nm, sizeof(nm), p->group);
		json_object_set_new(j, "partition", json_string(nm));
		json_object_set_new(j, "compression", json_string(amt_compression_str(p->comp)));
	}
	json_object_set_new(j, "offset", json_integer((json_int_t)p->offset));
	json_object_set_new(j, "stored_size", json_integer((json_int_t)p->size));
	json_object_set_new(j, "size", json_integer((json_int_t)size));
	json_object_set_new(j, "sha256", json_string(hx));
	json_object_set_new(j, "unpacked", json_boolean(unpacked));
	if (unpacked)
		json_object_set_new(j, "hash", json_string(amt_hash_match_str(match)));
	return j;
}

static int emit(struct xstate *s, const struct amt_piece *p, const char *path,
		const uint8_t *data, size_t size, bool unpacked, amt_hash_match match)
{
	if (!s->o->list) {
		if (write_piece(s, path, data, size) < 0)
			return -1;
		s->nwritten++;
	}
	if (s->o->json) {
		json_t *j = file_json(p, path, data, size, unpacked, match);
		if (!j || json_array_append_new(s->files, j) < 0)
			return -2;
	} else {
		printf("  %-40s 0x%08llx %10zu", path, (unsigned long long)p->offset, size);
		if (unpacked)
			printf("  unpacked, stored hash: %s",
			       match == AMT_HASH_UNPACKED ? "matches the unpacked bytes" :
			       match == AMT_HASH_STORED ? "covers the compressed bytes (matches)" :
			       match == AMT_HASH_MISMATCH ? "MISMATCH" : "none");
		putchar('\n');
	}
	return 0;
}

/* The ".unpacked.bin" path of a module path. */
static void unpacked_path(char *dst, size_t len, const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t stem = dot && dot != base ? (size_t)(dot - path) : strlen(path);
	snprintf(dst, len, "%.*s.unpacked.bin", (int)stem, path);
}

static bool path_taken(const struct amt_piece_list *l, const char *path)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].path, path))
			return true;
	return false;
}

/* With --unpack: write an LZMA or Huffman module unpacked. */
static int do_unpack(struct xstate *s, const struct amt_piece *p, json_t *huff)
{
	const struct amt_image *img = s->img;
	int r;
	if (!s->o->unpack || p->kind != AMT_PIECE_MODULE ||
	    (p->comp != AMT_COMP_LZMA && p->comp != AMT_COMP_HUFFMAN))
		return 0;
	char up[AMT_PIECE_PATH_MAX + 16];
	unpacked_path(up, sizeof(up), p->path);
	if (path_taken(s->pieces, up)) {
		fprintf(stderr, "%s: extract: %s: not unpacked: %s is the name of another piece\n",
			cli_progname, p->path, up);
		s->nunpack_failed++;
		return 0;
	}
	uint8_t *u = NULL;
	size_t un = 0;
	amt_hash_match match = AMT_HASH_NONE;
	amt_error err;
	amt_error_clear(&err);
	amt_status st = amt_module_unpack(img, p->index, &u, &un, &match, &err);
	if (st == AMT_E_NOMEM)
		return -2;
	if (st == AMT_E_UNSUPPORTED) {
		/* encrypted, erased, no chunk table, a code book gap: written as
		 * stored (when one range), say why */
		fprintf(stderr, "%s: extract: note: %s\n", cli_progname, err.message);
		if (p->comp == AMT_COMP_HUFFMAN) {
			char nm[80], q[32];
			snprintf(q, sizeof(q), "%s/%s", p->group, p->name);
			printable(nm, sizeof(nm), q);
			json_array_append_new(huff, json_string(nm));
		}
		return 0;
	}
	if (st != AMT_OK) {
		cli_print_error(s->o->image, &err);
		s->nunpack_failed++;
		return 0;
	}
	if (match == AMT_HASH_MISMATCH)
		fprintf(stderr, "%s: extract: %s: warning: the stored hash matches neither the "
			"unpacked nor the stored bytes\n", cli_progname, up);
	r = emit(s, p, up, u, un, true, match);
	free(u);
	return r;
}

static int do_piece(struct xstate *s, const struct amt_piece *p, json_t *huff)
{
	const struct amt_image *img = s->img;
	int r = emit(s, p, p->path, img->data + p->offset, (size_t)p->size, false, AMT_HASH_NONE);
	if (r < 0)
		return r;
	return do_unpack(s, p, huff);
}

/* ---- the command ------------------------------------------------------- */

static int parse_args(int argc, char **argv, struct xopts *o)
{
	enum { OPT_FORCE = 256, OPT_REGIONS, OPT_PARTITIONS, OPT_MODULES, OPT_ONLY, OPT_LIST,
	       OPT_JSON, OPT_UNPACK, OPT_LAYOUT };
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "regions", no_argument, NULL, OPT_REGIONS },
		{ "partitions", no_argument, NULL, OPT_PARTITIONS },
		{ "modules", no_argument, NULL, OPT_MODULES },
		{ "only", required_argument, NULL, OPT_ONLY },
		{ "list", no_argument, NULL, OPT_LIST },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "unpack", no_argument, NULL, OPT_UNPACK },
		{ "layout", required_argument, NULL, OPT_LAYOUT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_getopt g = { .cmd = "extract" };
	int c;
	while ((c = cli_getopt(&g, argc, argv, "d:h", longopts)) != -1) {
		switch (c) {
		case 'd': o->dir = optarg; break;
		case OPT_FORCE: o->force = true; break;
		case OPT_REGIONS: o->kinds |= AMT_PIECES_REGIONS; break;
		case OPT_PARTITIONS: o->kinds |= AMT_PIECES_PARTITIONS; break;
		case OPT_MODULES: o->kinds |= AMT_PIECES_MODULES; break;
		case OPT_ONLY: o->only = optarg; break;
		case OPT_LIST: o->list = true; break;
		case OPT_JSON: o->json = true; break;
		case OPT_UNPACK: o->unpack = true; break;
		case OPT_LAYOUT: o->layout = optarg; break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("extract", "%s", argc - optind < 1 ? "no IMAGE given" :
				       "only one IMAGE at a time");
	o->image = argv[optind];
	if (!o->kinds)
		o->kinds = AMT_PIECES_ALL;
	if (o->dir && !o->dir[0])
		return cli_usage_error("extract", "-d: empty directory name");
	if (o->layout && o->list)
		return cli_usage_error("extract", "--list writes nothing: --layout writes a file");
	return -1;
}

/* Default DIR: IMAGE's base name + ".extracted" (malloc'ed into *owned). */
static int default_dir(struct xopts *o, char **owned)
{
	const char *base = strrchr(o->image, '/');
	base = base ? base + 1 : o->image;
	if (!base[0] || !strcmp(base, ".") || !strcmp(base, "..")) {
		return cli_usage_error("extract", "%s: no file name to derive DIR from: give -d DIR",
				       o->image);
	}
	size_t n = strlen(base) + sizeof(".extracted");
	*owned = malloc(n);
	if (!*owned)
		return EXIT_INTERNAL;
	snprintf(*owned, n, "%s.extracted", base);
	o->dir = *owned;
	return -1;
}

static int run(struct xopts *o, const struct amt_image *img)
{
	struct amt_piece_list l = { 0 };
	amt_error err;
	amt_error_clear(&err);
	if (o->layout && !img->has_ifd)
		return cli_usage_error("extract", "%s has no flash descriptor: --layout needs a full "
				       "flash image or a descriptor; nothing was written", o->image);
	amt_status st = amt_extract_list(img, o->kinds, &l, &err);
	if (st != AMT_OK) {
		cli_print_error(o->image, &err);
		return cli_exit_for(st);
	}
	int rc = EXIT_OK;
	long only = -1;
	if (o->only && (only = select_only(o, &l, &rc)) < 0) {
		amt_piece_list_free(&l);
		return rc;
	}
	struct xstate s = { .o = o, .img = img, .pieces = &l, .dirfd = -1 };
	json_t *huff = json_array();
	if (o->json) {
		s.files = json_array();
		s.skipped = json_array();
		s.notes = json_array();
	}
	if (!huff || (o->json && (!s.files || !s.skipped || !s.notes))) {
		rc = EXIT_INTERNAL;
		goto out;
	}
	if (!o->list && (s.dirfd = open_outdir(o)) < 0) {
		rc = EXIT_OUTPUT;
		goto out;
	}
	if (!o->json)
		printf("%s %s%s\n  %-40s %-10s %10s\n", o->list ? "Would write, from" : "Writing, from",
		       o->image, o->list ? " (nothing is written)" : "", "Path", "Offset", "Bytes");
	for (size_t i = 0; i < l.n; i++) {
		const struct amt_piece *p = &l.v[i];
		if (only >= 0 && (long)i != only)
			continue;
		if (p->skipped) {
			if (o->json) {
				char nm[80];
				printable(nm, sizeof(nm), p->name);
				json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "path", p->path, "kind",
						      amt_piece_kind_str(p->kind), "name", nm,
						      "reason", p->note);
				if (!j || json_array_append_new(s.skipped, j) < 0) {
					rc = EXIT_INTERNAL;
					goto out;
				}
			} else {
				printf("  %-40s skipped: %s\n", p->path, p->note);
			}
			/* a gen 2 Huffman module is no single range, but unpacks */
			int r = p->comp == AMT_COMP_HUFFMAN ? do_unpack(&s, p, huff) : 0;
			if (r == -1) {
				rc = EXIT_OUTPUT;
				goto out;
			}
			if (r < 0) {
				fprintf(stderr, "%s: extract: out of memory\n", cli_progname);
				rc = EXIT_INTERNAL;
				goto out;
			}
			continue;
		}
		int r = do_piece(&s, p, huff);
		if (r == -1) {
			rc = EXIT_OUTPUT;
			goto out;
		}
		if (r < 0) {
			fprintf(stderr, "%s: extract: out of memory\n", cli_progname);
			rc = EXIT_INTERNAL;
			goto out;
		}
	}
	if (json_array_size(huff)) {
		char line[200];
		snprintf(line, sizeof(line), "%zu Huffman module%s not unpacked (encrypted, erased, "
			 "no chunk table or a code book gap: see above)",
			 json_array_size(huff), json_array_size(huff) == 1 ? "" : "s");
		if (o->json)
			json_array_append_new(s.notes, json_string(line));
		else
			fprintf(stderr, "%s: extract: note: %s\n", cli_progname, line);
	}
	if (o->layout) {
		if (cli_write_layout(o->layout, img, &err) != AMT_OK) {
			cli_print_error(NULL, &err);
			rc = EXIT_OUTPUT;
			goto out;
		}
		if (!o->json)
			printf("Layout (flashrom -l): %s\n", o->layout);
	}
	if (s.nunpack_failed) {
		fprintf(stderr, "%s: extract: %zu module%s could not be unpacked (see above)\n",
			cli_progname, s.nunpack_failed, s.nunpack_failed == 1 ? "" : "s");
		rc = EXIT_UNKNOWN;
	}
	if (o->json) {
		json_t *doc = json_pack("{s:s, s:i, s:s, s:s?, s:b, s:O, s:O, s:O, s:O, s:s?}",
					"schema", "amtless-extract", "version", 1, "image", o->image,
					"dir", o->list ? NULL : o->dir, "written", !o->list,
					"files", s.files, "skipped", s.skipped, "huffman_not_unpacked",
					huff, "notes", s.notes, "layout", o->layout);
		if (!doc || json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII |
					      JSON_PRESERVE_ORDER) < 0) {
			fprintf(stderr, "%s: extract: cannot build the JSON document\n", cli_progname);
			rc = EXIT_INTERNAL;
		} else {
			fputc('\n', stdout);
		}
		json_decref(doc);
	} else if (!o->list) {
		printf("%zu file%s written to %s\n", s.nwritten, s.nwritten == 1 ? "" : "s", o->dir);
	}
out:
	if (s.dirfd >= 0)
		close(s.dirfd);
	json_decref(huff);
	json_decref(s.files);
	json_decref(s.skipped);
	json_decref(s.notes);
	amt_piece_list_free(&l);
	return rc;
}

int cmd_extract(int argc, char **argv)
{
	struct xopts o = { 0 };
	char *owned_dir = NULL;
	int rc = parse_args(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (!o.dir && (rc = default_dir(&o, &owned_dir)) >= 0)
		return rc;

	uint8_t *data = NULL;
	size_t size = 0;
	amt_error err;
	amt_error_clear(&err);
	amt_status st = cli_read_file(o.image, &data, &size, &err);
	if (st != AMT_OK) {
		cli_print_error(NULL, &err);
		free(owned_dir);
		return cli_exit_for(st);
	}
	struct amt_parse_opts popts;
	amt_parse_opts_init(&popts);
	popts.verify_signatures = false;  /* not needed to cut pieces out */
	struct amt_image *img = NULL;
	st = amt_image_parse(data, size, &popts, &img, &err);
	if (st != AMT_OK) {
		cli_print_error(o.image, &err);
		rc = cli_exit_for(st);
	} else {
		rc = run(&o, img);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: extract: cannot write the listing to standard output\n",
			cli_progname);
		rc = rc ? rc : EXIT_OUTPUT;
	}
	amt_image_free(img);
	free(data);
	free(owned_dir);
	return rc;
}
