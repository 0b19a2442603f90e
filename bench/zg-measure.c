/*
 * zg-measure.c - time one command and report its peak memory, for bench/run.
 *
 *   zg-measure [--stdout FILE] [--] COMMAND [ARG]...
 *
 * runs COMMAND (fork and execvp, an argument vector, no shell) with its
 * standard input from /dev/null and its standard output and error to
 * /dev/null (standard output to FILE with --stdout), waits for it with
 * wait4(2), and prints one line:
 *
 *   wall=1.234 user=1.100 sys=0.100 rss_kib=12345 status=1
 *
 * wall is seconds of CLOCK_MONOTONIC from before fork to after wait4; user
 * and sys the child's CPU seconds (ru_utime, ru_stime: all its threads), which
 * a busy machine disturbs less than wall time; rss_kib is the child's
 * ru_maxrss (peak resident set, KiB on Linux); status is the exit status, or
 * sig=N when a signal ended it. This replaces GNU time's
 * `/usr/bin/time -v`, which a clean machine does not have.
 *
 * Exit status: 0 when the command ran (whatever its own status), 2 when
 * zg-measure was misused or the command could not be started (127).
 */
/* Feature macros for a build outside CMake too (CMake defines them). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *to)
{
	fputs("Usage: zg-measure [--stdout FILE] [--] COMMAND [ARG]...\n"
	      "Run COMMAND with its output to /dev/null and print its wall time and peak RSS:\n"
	      "  wall=SECONDS user=SECONDS sys=SECONDS rss_kib=KIB status=EXIT|sig=N\n"
	      "\n"
	      "  -h, --help      show this help and exit\n"
	      "      --stdout F  keep COMMAND's standard output in F\n", to);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *out = "/dev/null";
	int i = 1;
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--stdout") == 0 && i + 1 < argc) {
			out = argv[i + 1];
			i += 2;
			continue;
		}
		usage(stderr);
		return 2;
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	int in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int out_fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	int err_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (in_fd < 0 || out_fd < 0 || err_fd < 0) {
		fprintf(stderr, "zg-measure: cannot open %s: %s\n", out, strerror(errno));
		return 2;
	}
	fflush(stdout);
	double t0 = now();
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "zg-measure: cannot fork: %s\n", strerror(errno));
		return 2;
	}
	if (pid == 0) {
		if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
			_exit(127);
		execvp(argv[i], argv + i);
		_exit(127);
	}
	int status;
	struct rusage ru;
	pid_t w;
	do
		w = wait4(pid, &status, 0, &ru);
	while (w < 0 && errno == EINTR);
	double t1 = now();
	if (w < 0) {
		fprintf(stderr, "zg-measure: wait4: %s\n", strerror(errno));
		return 2;
	}
	double user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
	double sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	printf("wall=%.3f user=%.3f sys=%.3f rss_kib=%ld ", t1 - t0, user, sys, ru.ru_maxrss);
	if (WIFEXITED(status))
		printf("status=%d\n", WEXITSTATUS(status));
	else
		printf("status=sig=%d\n", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	if (fclose(stdout) != 0)
		return 2;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		fprintf(stderr, "zg-measure: %s: could not be run (exit 127)\n", argv[i]);
		return 2;
	}
	return 0;
}
