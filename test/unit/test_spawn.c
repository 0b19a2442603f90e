/*
 * test_spawn.c - running a helper program: both output streams, large
 * output on both at once, exit status and signals, a program that is not
 * there, running out of descriptors or memory, and a caller whose signal
 * handlers interrupt the wait.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zg/spawn.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* ---- running a check in a child with a resource limit ---- */

static size_t address_space_in_use(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long pages = 0;
	if (f) {
		if (fscanf(f, "%lu", &pages) != 1)
			pages = 0;
		fclose(f);
	}
	return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

/*
 * Runs fn in a forked child with the soft limit of resource set to
 * limit (for RLIMIT_AS: the address space in use plus limit), and
 * returns its exit status, or 128+signal.  The child lifts the limit
 * again before it exits, so that coverage data can still be written.
 * fn must not use cmocka's assertions: it reports through its result.
 */
static int in_limited_child(int resource, rlim_t limit, int (*fn)(void *),
			    void *arg)
{
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit old, rl;
		if (getrlimit(resource, &old) != 0)
			exit(90);
		rl = old;
		rl.rlim_cur = resource == RLIMIT_AS
				      ? (rlim_t)address_space_in_use() + limit
				      : limit;
		if (setrlimit(resource, &rl) != 0)
			exit(91);
		int rc = fn(arg);
		setrlimit(resource, &old);
		exit(rc);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status)
				 : 128 + WTERMSIG(status);
}

/* The lowest descriptor number not in use. */
static int lowest_free_fd(void)
{
	int fd = dup(0);
	if (fd >= 0)
		close(fd);
	return fd;
}

static void run_ok(const char *const argv[], struct zg_spawn_result *r)
{
	assert_int_equal(zg_spawn(argv, r), 0);
	assert_non_null(r->out);
	assert_non_null(r->err);
	assert_int_equal(r->out[r->out_len], '\0');
	assert_int_equal(r->err[r->err_len], '\0');
}

static void test_both_streams_and_status(void **state)
{
	(void)state;
	const char *argv[] = { "sh", "-c",
			       "printf 'to out\\n'; printf 'to err' >&2; exit 3",
			       NULL };
	struct zg_spawn_result r;
	run_ok(argv, &r);
	assert_int_equal(r.status, 3);
	assert_string_equal(r.out, "to out\n");
	assert_int_equal(r.out_len, 7);
	assert_string_equal(r.err, "to err");
	assert_int_equal(r.err_len, 6);
	zg_spawn_result_release(&r);
	/* Released: nothing left to free twice. */
	assert_null(r.out);
	assert_null(r.err);
	assert_int_equal(r.out_len, 0);
	zg_spawn_result_release(&r);
}

static void test_silent_program_gives_empty_strings(void **state)
{
	(void)state;
	/* Standard input is /dev/null: cat ends at once instead of waiting. */
	const char *argv[] = { "cat", NULL };
	struct zg_spawn_result r;
	run_ok(argv, &r);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "");
	assert_int_equal(r.out_len, 0);
	assert_string_equal(r.err, "");
	zg_spawn_result_release(&r);
}

static void test_arguments_reach_the_program_unparsed(void **state)
{
	(void)state;
	/* No shell in between: spaces, $ and * arrive as written. */
	const char *argv[] = { "printf", "[%s]", "a b", "$HOME", "*", "x;y",
			       NULL };
	struct zg_spawn_result r;
	run_ok(argv, &r);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "[a b][$HOME][*][x;y]");
	zg_spawn_result_release(&r);
}

static bool all_lines(const char *s, size_t len, const char *line)
{
	size_t n = strlen(line);
	if (len % n)
		return false;
	for (size_t i = 0; i < len; i += n)
		if (memcmp(s + i, line, n) != 0)
			return false;
	return true;
}

static void test_large_output_on_both_streams(void **state)
{
	(void)state;
	/*
	 * 300 000 bytes to stderr first, then to stdout: far past a pipe's
	 * 64 KiB, so a parent that read only stdout would wait for ever on
	 * a child blocked writing stderr.
	 */
	const char *argv[] = {
		"sh", "-c",
		"yes err | head -c 300000 >&2; yes out | head -c 400000; "
		"yes err | head -c 100000 >&2",
		NULL,
	};
	struct zg_spawn_result r;
	run_ok(argv, &r);
	assert_int_equal(r.status, 0);
	assert_int_equal(r.out_len, 400000);
	assert_int_equal(r.err_len, 400000);
	assert_int_equal(strlen(r.out), 400000);
	assert_true(all_lines(r.out, r.out_len, "out\n"));
	assert_true(all_lines(r.err, r.err_len, "err\n"));
	zg_spawn_result_release(&r);
}

static void test_signals_are_128_plus_n(void **state)
{
	(void)state;
	const char *term[] = { "sh", "-c", "echo before; kill -TERM $$; echo after",
			       NULL };
	struct zg_spawn_result r;
	run_ok(term, &r);
	assert_int_equal(r.status, 128 + SIGTERM);
	assert_string_equal(r.out, "before\n");
	zg_spawn_result_release(&r);

	const char *kill9[] = { "sh", "-c", "kill -KILL $$", NULL };
	run_ok(kill9, &r);
	assert_int_equal(r.status, 128 + SIGKILL);
	zg_spawn_result_release(&r);

	/* An exit status of its own is not mistaken for a signal. */
	const char *exit200[] = { "sh", "-c", "exit 200", NULL };
	run_ok(exit200, &r);
	assert_int_equal(r.status, 200);
	zg_spawn_result_release(&r);
}

static void test_missing_program(void **state)
{
	(void)state;
	int before = lowest_free_fd();
	const char *argv[] = { "zg-test-no-such-program", "--version", NULL };
	struct zg_spawn_result r;
	assert_int_equal(zg_spawn(argv, &r), ENOENT);
	assert_null(r.out);
	assert_null(r.err);
	assert_int_equal(r.status, 0);
	/* The four pipe ends are closed again. */
	assert_int_equal(lowest_free_fd(), before);

	/* A path that is not there is the same. */
	const char *path[] = { "/nonexistent/zg/git", NULL };
	assert_int_equal(zg_spawn(path, &r), ENOENT);
}

/* ---- descriptors ---- */

static int spawn_with_few_fds(void *arg)
{
	(void)arg;
	const char *argv[] = { "echo", "hello", NULL };
	struct zg_spawn_result r;
	int before = lowest_free_fd();
	int e = zg_spawn(argv, &r);
	if (e != EMFILE)
		return 10;
	if (r.out || r.err)
		return 11;
	if (lowest_free_fd() != before)
		return 12;	/* a pipe end leaked */
	return 0;
}

static void test_out_of_descriptors(void **state)
{
	(void)state;
	int low = lowest_free_fd();
	assert_true(low >= 3);
	/* Make sure low and low+1 are both free, so the limits mean what
	 * they say: none free (the first pipe fails), two free (the second
	 * one does). */
	int a = dup(0), b = dup(0);
	assert_int_equal(a, low);
	assert_int_equal(b, low + 1);
	close(a);
	close(b);
	assert_int_equal(in_limited_child(RLIMIT_NOFILE, (rlim_t)low,
					  spawn_with_few_fds, NULL), 0);
	assert_int_equal(in_limited_child(RLIMIT_NOFILE, (rlim_t)low + 2,
					  spawn_with_few_fds, NULL), 0);
}

/* ---- memory ---- */

static int spawn_huge_output(void *arg)
{
	(void)arg;
	/* 256 MiB of output cannot be kept in 32 MiB. */
	const char *argv[] = { "head", "-c", "268435456", "/dev/zero", NULL };
	struct zg_spawn_result r;
	int e = zg_spawn(argv, &r);
	if (e != ENOMEM)
		return 20;
	if (r.out || r.err || r.out_len || r.err_len)
		return 21;
	return 0;
}

static void test_out_of_memory(void **state)
{
	(void)state;
#ifdef UNDER_ASAN
	(void)spawn_huge_output;
	skip();
#else
	assert_int_equal(in_limited_child(RLIMIT_AS, (rlim_t)32 << 20,
					  spawn_huge_output, NULL), 0);
#endif
}

/* ---- the caller's signals ---- */

static volatile sig_atomic_t ticks;

static void on_alarm(int sig)
{
	(void)sig;
	ticks++;
}

static void start_ticking(struct sigaction *old)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: poll and waitpid see EINTR */
	assert_int_equal(sigaction(SIGALRM, &sa, old), 0);
	struct itimerval it = { { 0, 2000 }, { 0, 2000 } };
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
}

static void stop_ticking(const struct sigaction *old)
{
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	assert_int_equal(setitimer(ITIMER_REAL, &off, NULL), 0);
	assert_int_equal(sigaction(SIGALRM, old, NULL), 0);
}

static void test_interrupted_by_signals(void **state)
{
	(void)state;
	struct sigaction old;
	ticks = 0;
	start_ticking(&old);
	/* Interrupted while waiting for output... */
	const char *slow[] = { "sh", "-c", "sleep 0.2; echo done; exit 4", NULL };
	struct zg_spawn_result r;
	int e = zg_spawn(slow, &r);
	/* ...and while waiting for the end, after both streams closed. */
	const char *quiet[] = { "sh", "-c", "exec >&- 2>&-; sleep 0.2; exit 5",
				NULL };
	struct zg_spawn_result q;
	int f = zg_spawn(quiet, &q);
	stop_ticking(&old);
	assert_true(ticks > 10);
	assert_int_equal(e, 0);
	assert_int_equal(r.status, 4);
	assert_string_equal(r.out, "done\n");
	zg_spawn_result_release(&r);
	assert_int_equal(f, 0);
	assert_int_equal(q.status, 5);
	assert_string_equal(q.out, "");
	zg_spawn_result_release(&q);
}

static void test_status_lost_when_children_are_ignored(void **state)
{
	(void)state;
	/*
	 * With SIGCHLD ignored the kernel reaps the child itself and its
	 * status is gone: the call fails rather than invent a status.
	 */
	struct sigaction ign, old;
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	assert_int_equal(sigaction(SIGCHLD, &ign, &old), 0);
	const char *argv[] = { "sh", "-c", "echo hi; exit 7", NULL };
	struct zg_spawn_result r;
	int e = zg_spawn(argv, &r);
	assert_int_equal(sigaction(SIGCHLD, &old, NULL), 0);
	assert_int_not_equal(e, 0);
	assert_null(r.out);
	assert_null(r.err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_both_streams_and_status),
		cmocka_unit_test(test_silent_program_gives_empty_strings),
		cmocka_unit_test(test_arguments_reach_the_program_unparsed),
		cmocka_unit_test(test_large_output_on_both_streams),
		cmocka_unit_test(test_signals_are_128_plus_n),
		cmocka_unit_test(test_missing_program),
		cmocka_unit_test(test_out_of_descriptors),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_interrupted_by_signals),
		cmocka_unit_test(test_status_lost_when_children_are_ignored),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
