/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * runstat: run a command N times, print the median wall time and the
 * largest peak RSS (ru_maxrss of the child) as
 *   "<median_ms> <min_ms> <max_ms> <peak_rss_kib> <exit>"
 * usage: runstat N CMD [ARGS...]   (stdout/stderr of CMD go to /dev/null)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: runstat N CMD [ARGS...]\n");
		return 2;
	}
	int n = atoi(argv[1]);
	if (n < 1 || n > 1000)
		n = 5;
	double *t = calloc((size_t)n, sizeof(*t));
	long peak = 0;
	int status = 0;
	for (int i = 0; i < n; i++) {
		struct timespec a, b;
		clock_gettime(CLOCK_MONOTONIC, &a);
		pid_t pid = fork();
		if (pid < 0)
			return 70;
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);
			if (fd >= 0) {
				dup2(fd, 1);
				dup2(fd, 2);
			}
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		struct rusage ru;
		if (wait4(pid, &status, 0, &ru) < 0)
			return 70;
		clock_gettime(CLOCK_MONOTONIC, &b);
		t[i] = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
		if (ru.ru_maxrss > peak)
			peak = ru.ru_maxrss;
	}
	qsort(t, (size_t)n, sizeof(*t), cmp);
	printf("%.2f %.2f %.2f %ld %d\n", t[n / 2], t[0], t[n - 1], peak,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128);
	free(t);
	return 0;
}
