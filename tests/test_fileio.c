/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/fileio.c under hostile conditions: inputs that are not images
 * (empty, directory, FIFO, device, huge sparse, changing size, symlinks)
 * and outputs that fail (EIO, disk full, read-only directory, a kill in
 * the middle of the write, a symlink at the destination). The output
 * contract: the destination is the old file or the complete new one,
 * never partial, and no temporary file is left behind.
 *
 * cli/fileio.c is compiled into this program; write()/fsync()/read() are
 * wrapped (-Wl,--wrap) so errors can be injected.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli.h"

const char *cli_progname = "test_fileio";

/* ---- injected faults ------------------------------------------------ */

enum fault {
	F_NONE = 0,
	F_WRITE_EIO,        /* write(): first call writes half, next fails EIO */
	F_WRITE_ENOSPC,     /* write(): short writes, then ENOSPC */
	F_WRITE_KILL,       /* write(): write half, then SIGKILL ourselves */
	F_FSYNC_EIO,        /* fsync() of the file fails EIO */
	F_READ_GROW,        /* read(): the file grows before the first read */
	F_READ_SHRINK,      /* read(): the file shrinks before the first read */
	F_READ_EIO,         /* read(): fails EIO */
};

static enum fault fault;
static int fault_calls;
static const char *fault_path;

ssize_t __real_write(int fd, const void *buf, size_t n);
ssize_t __real_read(int fd, void *buf, size_t n);
int __real_fsync(int fd);
ssize_t __wrap_write(int fd, const void *buf, size_t n);
ssize_t __wrap_read(int fd, void *buf, size_t n);
int __wrap_fsync(int fd);

ssize_t __wrap_write(int fd, const void *buf, size_t n)
{
	int call = fault_calls++;
	switch (fault) {
	case F_WRITE_EIO:
		if (call == 0)
			return __real_write(fd, buf, n / 2);
		errno = EIO;
		return -1;
	case F_WRITE_ENOSPC:
		if (call < 3)
			return __real_write(fd, buf, n > 100 ? 100 : n);
		errno = ENOSPC;
		return -1;
	case F_WRITE_KILL:
		__real_write(fd, buf, n / 2);
		raise(SIGKILL);
		return -1;
	default:
		return __real_write(fd, buf, n);
	}
}

int __wrap_fsync(int fd)
{
	if (fault == F_FSYNC_EIO) {
		errno = EIO;
		return -1;
	}
	return __real_fsync(fd);
}

ssize_t __wrap_read(int fd, void *buf, size_t n)
{
	int call = fault_calls++;
	if (call == 0 && fault == F_READ_GROW)
		assert_int_equal(truncate(fault_path, 8192), 0);
	if (call == 0 && fault == F_READ_SHRINK)
		assert_int_equal(truncate(fault_path, 10), 0);
	if (fault == F_READ_EIO) {
		errno = EIO;
		return -1;
	}
	return __real_read(fd, buf, n);
}

static void set_fault(enum fault f)
{
	fault = f;
	fault_calls = 0;
}

/* ---- helpers -------------------------------------------------------- */

static char dir[256];

static int setup(void **state)
{
	const char *t = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/amtless-fileio-XXXXXX", t && t[0] ? t : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	set_fault(F_NONE);
	return 0;
}

static void rm_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		chmod(path, 0755);
		DIR *d = opendir(path);
		struct dirent *e;
		while (d && (e = readdir(d)) != NULL) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char sub[512];
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			rm_tree(sub);
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

static int teardown(void **state)
{
	char mnt[300];
	set_fault(F_NONE);
	snprintf(mnt, sizeof(mnt), "%s/small", dir);
	umount2(mnt, MNT_DETACH); /* left mounted when a disk-full assert failed */
	rm_tree(dir);
	return 0;
}

static char *pathof(const char *name)
{
	static char buf[4][512];
	static int i;
	char *p = buf[i++ & 3];
	snprintf(p, 512, "%s/%s", dir, name);
	return p;
}

static void put(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	if (n)
		assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* Contents of path equal data[0..n)? */
static void assert_file(const char *path, const void *data, size_t n)
{
	struct stat st;
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal((size_t)st.st_size, n);
	uint8_t *buf = malloc(n + 1);
	assert_non_null(buf);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(buf, 1, n + 1, f), n);
	fclose(f);
	assert_memory_equal(buf, data, n);
	free(buf);
}

/* Number of ".amtless-*" temporary files left in the directory. */
static int leftovers(const char *d)
{
	int n = 0;
	DIR *dh = opendir(d);
	assert_non_null(dh);
	struct dirent *e;
	while ((e = readdir(dh)) != NULL)
		if (!strncmp(e->d_name, ".amtless-", 9))
			n++;
	closedir(dh);
	return n;
}

static uint8_t *pattern(size_t n, unsigned seed)
{
	uint8_t *b = malloc(n ? n : 1);
	assert_non_null(b);
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)((i * 131 + seed * 7 + (i >> 9)) & 0xff);
	return b;
}

static const uint8_t old_content[] = "old image: must survive every failure";

/* ---- reading -------------------------------------------------------- */

static void test_read_regular(void **state)
{
	uint8_t *d = pattern(70000, 1), *got;
	size_t n;
	amt_error err;
	put(pathof("img"), d, 70000);
	assert_int_equal(cli_read_file(pathof("img"), &got, &n, &err), AMT_OK);
	assert_int_equal(n, 70000);
	assert_memory_equal(got, d, n);
	free(got);
	free(d);
}

static void test_read_one_byte(void **state)
{
	uint8_t *got;
	size_t n;
	amt_error err;
	put(pathof("one"), "\x5a", 1);
	assert_int_equal(cli_read_file(pathof("one"), &got, &n, &err), AMT_OK);
	assert_int_equal(n, 1);
	assert_int_equal(got[0], 0x5a);
	free(got);
}

/* A failed read must leave *data NULL, *size 0 and a message naming the file. */
static void expect_read_error(const char *path, const char *words)
{
	uint8_t *got = (uint8_t *)"x";
	size_t n = 99;
	amt_error err;
	amt_error_clear(&err);
	assert_int_equal(cli_read_file(path, &got, &n, &err), AMT_E_IO);
	assert_null(got);
	assert_int_equal(n, 0);
	assert_int_equal(err.code, AMT_E_IO);
	assert_non_null(strstr(err.message, path));
	if (!strstr(err.message, words))
		fail_msg("message \"%s\" lacks \"%s\"", err.message, words);
}

static void test_read_empty(void **state)
{
	put(pathof("empty"), "", 0);
	expect_read_error(pathof("empty"), "empty");
}

static void test_read_missing(void **state)
{
	expect_read_error(pathof("no-such-file"), "cannot open");
}

static void test_read_directory(void **state)
{
	expect_read_error(dir, "directory");
}

static void test_read_fifo(void **state)
{
	/* no writer: a blocking open would hang forever */
	assert_int_equal(mkfifo(pathof("fifo"), 0600), 0);
	expect_read_error(pathof("fifo"), "not a regular file");
}

static void test_read_dev_zero(void **state)
{
	struct stat st;
	if (stat("/dev/zero", &st) < 0 || !S_ISCHR(st.st_mode))
		skip();
	expect_read_error("/dev/zero", "not a regular file");
}

static void test_read_huge_sparse(void **state)
{
	/* 1 GiB of holes: refused from its size, never read or allocated */
	int fd = open(pathof("sparse"), O_CREAT | O_WRONLY, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)1 << 30), 0);
	close(fd);
	set_fault(F_NONE);
	expect_read_error(pathof("sparse"), "larger than any SPI flash");
	assert_int_equal(fault_calls, 0); /* not one read() */
}

static void test_read_symlinks(void **state)
{
	uint8_t *got;
	size_t n;
	amt_error err;
	put(pathof("target"), "abc", 3);
	assert_int_equal(symlink(pathof("target"), pathof("link")), 0);
	assert_int_equal(cli_read_file(pathof("link"), &got, &n, &err), AMT_OK);
	assert_int_equal(n, 3);
	assert_memory_equal(got, "abc", 3);
	free(got);
	/* a symlink to a device or nowhere is refused like its target */
	assert_int_equal(symlink("/dev/zero", pathof("zlink")), 0);
	expect_read_error(pathof("zlink"), "not a regular file");
	assert_int_equal(symlink(pathof("nowhere"), pathof("dangling")), 0);
	expect_read_error(pathof("dangling"), "cannot open");
}

static void test_read_readonly_file(void **state)
{
	uint8_t *got;
	size_t n;
	amt_error err;
	put(pathof("ro"), "readonly", 8);
	assert_int_equal(chmod(pathof("ro"), 0444), 0);
	assert_int_equal(cli_read_file(pathof("ro"), &got, &n, &err), AMT_OK);
	assert_int_equal(n, 8);
	free(got);
}

static void test_read_changes_size(void **state)
{
	uint8_t *d = pattern(4096, 2);
	put(pathof("grow"), d, 4096);
	fault_path = pathof("grow");
	set_fault(F_READ_GROW);
	expect_read_error(fault_path, "changed size");
	put(pathof("shrink"), d, 4096);
	fault_path = pathof("shrink");
	set_fault(F_READ_SHRINK);
	expect_read_error(fault_path, "changed size");
	free(d);
}

static void test_read_eio(void **state)
{
	put(pathof("eio"), "data", 4);
	set_fault(F_READ_EIO);
	expect_read_error(pathof("eio"), "read error");
}

/* ---- writing -------------------------------------------------------- */

static void test_write_new(void **state)
{
	uint8_t *d = pattern(100000, 3);
	amt_error err;
	mode_t um = umask(022);
	assert_int_equal(cli_write_atomic(pathof("out"), d, 100000, &err), AMT_OK);
	umask(um);
	assert_file(pathof("out"), d, 100000);
	struct stat st;
	assert_int_equal(stat(pathof("out"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(leftovers(dir), 0);
	free(d);
}

static void test_write_empty(void **state)
{
	amt_error err;
	assert_int_equal(cli_write_atomic(pathof("zero"), (const uint8_t *)"", 0, &err), AMT_OK);
	assert_file(pathof("zero"), "", 0);
	assert_int_equal(leftovers(dir), 0);
}

static void test_write_replace_keeps_mode(void **state)
{
	amt_error err;
	put(pathof("out"), old_content, sizeof(old_content));
	assert_int_equal(chmod(pathof("out"), 0600), 0);
	assert_int_equal(cli_write_atomic(pathof("out"), (const uint8_t *)"new", 3, &err), AMT_OK);
	assert_file(pathof("out"), "new", 3);
	struct stat st;
	assert_int_equal(stat(pathof("out"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(leftovers(dir), 0);
}

/* cli_write_new (flash's backup): never replaces what exists, leaves no
 * temp file; a new name is written. */
static void test_write_new_no_clobber(void **state)
{
	(void)state;
	amt_error err;
	put(pathof("out"), old_content, sizeof(old_content));
	assert_int_equal(cli_write_new(pathof("out"), (const uint8_t *)"new", 3, &err), AMT_E_IO);
	assert_non_null(strstr(err.message, "nothing was written"));
	assert_file(pathof("out"), old_content, sizeof(old_content));
	assert_int_equal(leftovers(dir), 0);
	assert_int_equal(cli_write_new(pathof("fresh"), (const uint8_t *)"new", 3, &err), AMT_OK);
	assert_file(pathof("fresh"), "new", 3);
	assert_int_equal(leftovers(dir), 0);
}

/* A writer that produces part of the output, then fails as a full disk
 * would (neutralize streams its output through such a writer). */
static int half_then_enospc(int fd, void *ctx)
{
	(void)ctx;
	if (cli_write_all(fd, (const uint8_t *)"partial", 7) < 0)
		return -1;
	errno = ENOSPC;
	return -1;
}

struct two_parts {
	const char *a, *b;
};

static int write_two_parts(int fd, void *ctx)
{
	const struct two_parts *t = ctx;
	if (cli_write_all(fd, (const uint8_t *)t->a, strlen(t->a)) < 0)
		return -1;
	return cli_write_all(fd, (const uint8_t *)t->b, strlen(t->b));
}

static void test_write_with_writer(void **state)
{
	amt_error err;
	put(pathof("out"), old_content, sizeof(old_content));
	assert_int_equal(chmod(pathof("out"), 0640), 0);
	/* a failing writer: the old file stays whole, no temporary file remains */
	assert_int_equal(cli_write_atomic_with(pathof("out"), half_then_enospc, NULL, &err), AMT_E_IO);
	assert_non_null(strstr(err.message, "nothing was written"));
	assert_file(pathof("out"), old_content, sizeof(old_content));
	assert_int_equal(leftovers(dir), 0);
	/* a writer in two parts: the new file is their concatenation, mode kept */
	struct two_parts t = { "window|", "rest of the image" };
	assert_int_equal(cli_write_atomic_with(pathof("out"), write_two_parts, &t, &err), AMT_OK);
	assert_file(pathof("out"), "window|rest of the image", 24);
	struct stat st;
	assert_int_equal(stat(pathof("out"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_int_equal(leftovers(dir), 0);
}

static void test_write_relative_path(void **state)
{
	amt_error err;
	char cwd[512];
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	amt_status st = cli_write_atomic("rel.bin", (const uint8_t *)"rel", 3, &err);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(st, AMT_OK);
	assert_file(pathof("rel.bin"), "rel", 3);
	assert_int_equal(leftovers(dir), 0);
}

static void test_write_symlink_not_followed(void **state)
{
	amt_error err;
	put(pathof("victim"), old_content, sizeof(old_content));
	assert_int_equal(symlink(pathof("victim"), pathof("out")), 0);
	assert_int_equal(cli_write_atomic(pathof("out"), (const uint8_t *)"new", 3, &err), AMT_OK);
	/* the symlink was replaced by a regular file; its target is untouched */
	assert_file(pathof("out"), "new", 3);
	assert_file(pathof("victim"), old_content, sizeof(old_content));
	assert_int_equal(leftovers(dir), 0);
}

static void test_write_same_path_as_input(void **state)
{
	uint8_t *d = pattern(5000, 4), *got;
	size_t n;
	amt_error err;
	put(pathof("img"), d, 5000);
	assert_int_equal(cli_read_file(pathof("img"), &got, &n, &err), AMT_OK);
	for (size_t i = 0; i < n; i++)
		got[i] ^= 0xff;
	assert_int_equal(cli_write_atomic(pathof("img"), got, n, &err), AMT_OK);
	assert_file(pathof("img"), got, n);
	free(got);
	free(d);
	assert_int_equal(leftovers(dir), 0);
}

/* A failed write: status AMT_E_IO, a message naming the file, the old
 * content in place, no temp file. */
static void expect_write_error(const char *path, const char *words)
{
	amt_error err;
	amt_error_clear(&err);
	uint8_t *d = pattern(300000, 5);
	assert_int_equal(cli_write_atomic(path, d, 300000, &err), AMT_E_IO);
	set_fault(F_NONE);
	free(d);
	assert_int_equal(err.code, AMT_E_IO);
	assert_non_null(strstr(err.message, path));
	if (words && !strstr(err.message, words))
		fail_msg("message \"%s\" lacks \"%s\"", err.message, words);
}

static void test_write_eio(void **state)
{
	put(pathof("out"), old_content, sizeof(old_content));
	set_fault(F_WRITE_EIO);
	expect_write_error(pathof("out"), "Input/output error");
	assert_file(pathof("out"), old_content, sizeof(old_content));
	assert_int_equal(leftovers(dir), 0);
}

static void test_write_enospc(void **state)
{
	put(pathof("out"), old_content, sizeof(old_content));
	set_fault(F_WRITE_ENOSPC);
	expect_write_error(pathof("out"), "No space left");
	assert_file(pathof("out"), old_content, sizeof(old_content));
	assert_int_equal(leftovers(dir), 0);
}

static void test_write_fsync_eio(void **state)
{
	put(pathof("out"), old_content, sizeof(old_content));
	set_fault(F_FSYNC_EIO);
	expect_write_error(pathof("out"), "fsync");
	assert_file(pathof("out"), old_content, sizeof(old_content));
	assert_int_equal(leftovers(dir), 0);
}

static void test_write_missing_dir(void **state)
{
	expect_write_error(pathof("nodir/out"), "temporary file");
	struct stat st;
	assert_int_equal(stat(pathof("nodir"), &st), -1);
}

static void test_write_onto_directory(void **state)
{
	assert_int_equal(mkdir(pathof("sub"), 0755), 0);
	expect_write_error(pathof("sub"), "rename");
	struct stat st;
	assert_int_equal(stat(pathof("sub"), &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(leftovers(dir), 0);
}

/* The real kernel error path: a file size limit makes write() fail EFBIG. */
static void test_write_file_size_limit(void **state)
{
	put(pathof("out"), old_content, sizeof(old_content));
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = { 65536, 65536 };
		signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &rl) < 0)
			_exit(3);
		amt_error err;
		uint8_t *d = pattern(300000, 6);
		amt_status s = cli_write_atomic(pathof("out"), d, 300000, &err);
		_exit(s == AMT_E_IO && strstr(err.message, "File too large") ? 0 : 1);
	}
	int ws;
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	assert_true(WIFEXITED(ws));
	assert_int_equal(WEXITSTATUS(ws), 0);
	assert_file(pathof("out"), old_content, sizeof(old_content));
	assert_int_equal(leftovers(dir), 0);
}

/* A real full filesystem: a 64 KiB tmpfs (needs root / CAP_SYS_ADMIN). */
static void test_write_disk_full(void **state)
{
	char mnt[300];
	snprintf(mnt, sizeof(mnt), "%s/small", dir);
	assert_int_equal(mkdir(mnt, 0755), 0);
	if (mount("tmpfs", mnt, "tmpfs", 0, "size=64k") < 0) {
		print_message("[  SKIP    ] cannot mount a small tmpfs (%s): not permitted here\n",
			      strerror(errno));
		skip();
	}
	char out[400];
	snprintf(out, sizeof(out), "%s/out", mnt);
	put(out, old_content, sizeof(old_content));
	expect_write_error(out, "No space left");
	assert_file(out, old_content, sizeof(old_content));
	int left = leftovers(mnt);
	/* and a write that fits still works afterwards: space was released */
	amt_error err;
	uint8_t *d = pattern(20000, 7);
	amt_status st = cli_write_atomic(out, d, 20000, &err);
	umount2(mnt, MNT_DETACH);
	assert_int_equal(left, 0);
	assert_int_equal(st, AMT_OK);
	free(d);
}

/* A read-only target directory: as an unprivileged user (root ignores
 * permission bits, so the child drops to nobody when it is root). */
static void test_write_readonly_dir(void **state)
{
	char ro[300];
	snprintf(ro, sizeof(ro), "%s/ro", dir);
	assert_int_equal(mkdir(ro, 0755), 0);
	char out[400];
	snprintf(out, sizeof(out), "%s/out", ro);
	put(out, old_content, sizeof(old_content));
	assert_int_equal(chmod(out, 0644), 0);
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(chmod(ro, 0555), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (geteuid() == 0 && (setgid(65534) < 0 || setuid(65534) < 0))
			_exit(3);
		if (access(ro, W_OK) == 0)
			_exit(3); /* still writable (capabilities): cannot test */
		amt_error err;
		amt_status s = cli_write_atomic(out, (const uint8_t *)"new", 3, &err);
		_exit(s == AMT_E_IO && strstr(err.message, out) ? 0 : 1);
	}
	int ws;
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	assert_true(WIFEXITED(ws));
	chmod(ro, 0755);
	if (WEXITSTATUS(ws) == 3) {
		print_message("[  SKIP    ] cannot make a directory read-only for this user\n");
		skip();
	}
	assert_int_equal(WEXITSTATUS(ws), 0);
	assert_file(out, old_content, sizeof(old_content));
	assert_int_equal(leftovers(ro), 0);
}

/* Killed in the middle of writing: the destination keeps the old content.
 * With O_TMPFILE (Linux, most filesystems) nothing is left behind either. */
static void test_write_killed_midway(void **state)
{
	put(pathof("out"), old_content, sizeof(old_content));
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		set_fault(F_WRITE_KILL);
		amt_error err;
		uint8_t *d = pattern(1 << 20, 8);
		cli_write_atomic(pathof("out"), d, 1 << 20, &err);
		_exit(0); /* not reached */
	}
	int ws;
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	assert_true(WIFSIGNALED(ws));
	assert_int_equal(WTERMSIG(ws), SIGKILL);
	assert_file(pathof("out"), old_content, sizeof(old_content));
	int fd = open(dir, O_TMPFILE | O_WRONLY, 0600);
	if (fd < 0) {
		print_message("[  SKIP    ] no O_TMPFILE here: a kill can leave a temp file\n");
		skip();
	}
	close(fd);
	assert_int_equal(leftovers(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_regular, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_one_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_dev_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_huge_sparse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_symlinks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_readonly_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_changes_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_eio, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_new, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_replace_keeps_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_with_writer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_relative_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_symlink_not_followed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_same_path_as_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_eio, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_enospc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_fsync_eio, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_missing_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_onto_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_file_size_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_disk_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_readonly_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_killed_midway, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_new_no_clobber, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
