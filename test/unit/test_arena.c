/*
 * test_arena.c - bump allocation: contents, alignment, zero fill, big
 * requests, string helpers, release and reuse.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wchar.h>

#include <cmocka.h>

#include "zg/arena.h"

#define ALIGN _Alignof(max_align_t)

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

#ifdef UNDER_ASAN
/* A request the system cannot satisfy is NULL under ASan too, as from
 * malloc, instead of a report: that is what these tests check. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}
#endif

static bool aligned(const void *p)
{
	return (uintptr_t)p % ALIGN == 0;
}

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static unsigned char pattern(size_t i, size_t k)
{
	return (unsigned char)(i * 131 + k * 7 + 1);
}

/* Sizes that straddle the block ends at 4 KiB, 8 KiB, ... */
static size_t size_of(size_t i)
{
	return 1 + (i * 37) % 300;
}

static void test_many_allocations_keep_contents(void **state)
{
	(void)state;
	enum { N = 20000 };
	struct zg_arena a = ZG_ARENA_INIT;
	unsigned char **p = calloc(N, sizeof *p);
	assert_non_null(p);
	size_t sum = 0;
	for (size_t i = 0; i < N; i++) {
		size_t n = size_of(i);
		p[i] = zg_arena_alloc(&a, n);
		assert_non_null(p[i]);
		assert_true(aligned(p[i]));
		assert_true(all_zero(p[i], n));
		for (size_t k = 0; k < n; k++)
			p[i][k] = pattern(i, k);
		sum += n;
	}
	/* Several blocks were needed, and they hold at least what we asked. */
	assert_true(a.total >= sum);
	assert_true(a.total > 4096 * 4);
	for (size_t i = 0; i < N; i++) {
		size_t n = size_of(i);
		for (size_t k = 0; k < n; k++)
			if (p[i][k] != pattern(i, k))
				fail_msg("allocation %zu byte %zu was overwritten",
					 i, k);
	}
	/* No two allocations overlap: sorted, each ends before the next. */
	for (size_t i = 1; i < N; i++) {
		if (p[i - 1] < p[i] && p[i - 1] + size_of(i - 1) > p[i])
			fail_msg("allocation %zu overlaps %zu", i - 1, i);
	}
	free(p);
	zg_arena_release(&a);
}

static void test_alignment_of_odd_sizes(void **state)
{
	(void)state;
	struct zg_arena a;
	zg_arena_init(&a);
	static const size_t sizes[] = { 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31,
					33, 63, 65, 4095, 4096, 4097, 1 };
	for (int round = 0; round < 50; round++) {
		for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
			char *q = zg_arena_alloc(&a, sizes[i]);
			assert_non_null(q);
			assert_true(aligned(q));
			/* Usable as the most demanding type. */
			max_align_t *m = (max_align_t *)q;
			memset(m, 0xAB, sizes[i]);
		}
	}
	zg_arena_release(&a);
}

static void test_zero_fill_after_reuse(void **state)
{
	(void)state;
	struct zg_arena a = ZG_ARENA_INIT;
	/* Dirty memory, release it, and ask again: malloc may hand it back. */
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < 200; i++) {
			size_t n = 50 + i;
			unsigned char *q = zg_arena_alloc(&a, n);
			assert_non_null(q);
			assert_true(all_zero(q, n));
			memset(q, 0xFF, n);
		}
		zg_arena_release(&a);
	}
}

static void test_request_larger_than_cap(void **state)
{
	(void)state;
	struct zg_arena a = ZG_ARENA_INIT;
	char *small = zg_arena_strdup(&a, "before");
	assert_non_null(small);
	size_t big = (size_t)3 << 20;	/* 3 MiB, past the 1 MiB block cap */
	unsigned char *q = zg_arena_alloc(&a, big);
	assert_non_null(q);
	assert_true(aligned(q));
	assert_true(all_zero(q, big));
	memset(q, 0x5A, big);
	assert_int_equal(q[0], 0x5A);
	assert_int_equal(q[big - 1], 0x5A);
	assert_true(a.total >= big + 4096);
	/* Later allocations do not land inside the big one. */
	char *after = zg_arena_strdup(&a, "after");
	assert_non_null(after);
	assert_true((unsigned char *)after >= q + big ||
		    (unsigned char *)after + 6 <= q);
	assert_int_equal(q[big - 1], 0x5A);
	assert_string_equal(small, "before");
	assert_string_equal(after, "after");
	/* Exactly the cap, and a second big one. */
	unsigned char *r = zg_arena_alloc(&a, (size_t)1 << 20);
	assert_non_null(r);
	assert_true(all_zero(r, (size_t)1 << 20));
	unsigned char *s = zg_arena_alloc(&a, ((size_t)1 << 20) + 1);
	assert_non_null(s);
	assert_true(aligned(s));
	assert_true(all_zero(s, ((size_t)1 << 20) + 1));
	memset(r, 1, (size_t)1 << 20);
	memset(s, 2, ((size_t)1 << 20) + 1);
	assert_int_equal(q[big - 1], 0x5A);
	assert_int_equal(r[((size_t)1 << 20) - 1], 1);
	assert_string_equal(after, "after");
	zg_arena_release(&a);
}

static void test_impossible_sizes(void **state)
{
	(void)state;
	struct zg_arena a = ZG_ARENA_INIT;
	/* Rounding such a size up must not wrap around to a tiny block. */
	assert_null(zg_arena_alloc(&a, SIZE_MAX));
	assert_null(zg_arena_alloc(&a, SIZE_MAX - 1));
	assert_null(zg_arena_alloc(&a, SIZE_MAX - ALIGN + 2));
	assert_null(zg_arena_alloc(&a, SIZE_MAX / 2 + 1));
	assert_null(zg_arena_strndup(&a, "x", SIZE_MAX));
	/* The arena still works. */
	char *s = zg_arena_strdup(&a, "ok");
	assert_non_null(s);
	assert_string_equal(s, "ok");
	zg_arena_release(&a);
}

static void test_strndup_strdup(void **state)
{
	(void)state;
	struct zg_arena a = ZG_ARENA_INIT;
	char *s = zg_arena_strndup(&a, "hello world", 5);
	assert_string_equal(s, "hello");
	assert_int_equal(strlen(s), 5);
	/* Source without a terminating NUL: only len bytes are read. */
	static const char raw[4] = { 'a', 'b', 'c', 'd' };
	char *t = zg_arena_strndup(&a, raw, sizeof raw);
	assert_string_equal(t, "abcd");
	assert_ptr_not_equal(t, raw);
	char *e = zg_arena_strndup(&a, "anything", 0);
	assert_non_null(e);
	assert_string_equal(e, "");
	char *z = zg_arena_strdup(&a, "");
	assert_non_null(z);
	assert_string_equal(z, "");
	char src[] = "县住建局";
	char *c = zg_arena_strdup(&a, src);
	assert_ptr_not_equal(c, src);
	src[0] = 'X';
	assert_string_equal(c, "县住建局");
	/* Embedded NUL: strndup copies len bytes, strlen stops at the NUL. */
	char *n = zg_arena_strndup(&a, "ab\0cd", 5);
	assert_memory_equal(n, "ab\0cd", 6);
	/* A long string crossing into a new block. */
	char *longer = malloc(10000);
	assert_non_null(longer);
	memset(longer, 'q', 9999);
	longer[9999] = '\0';
	char *l = zg_arena_strdup(&a, longer);
	assert_string_equal(l, longer);
	free(longer);
	assert_string_equal(s, "hello");
	assert_string_equal(c, "县住建局");
	zg_arena_release(&a);
}

static void test_printf(void **state)
{
	(void)state;
	struct zg_arena a = ZG_ARENA_INIT;
	char *s = zg_arena_printf(&a, "%s-%03d", "zjj", 7);
	assert_string_equal(s, "zjj-007");
	char *e = zg_arena_printf(&a, "%s", "");
	assert_non_null(e);
	assert_string_equal(e, "");
	char *u = zg_arena_printf(&a, "%s整改%d项", "县住建局", 12);
	assert_string_equal(u, "县住建局整改12项");
	/* Longer than the first block. */
	char *w = zg_arena_printf(&a, "[%*d]", 6000, 42);
	assert_non_null(w);
	assert_int_equal(strlen(w), 6002);
	assert_int_equal(w[0], '[');
	assert_int_equal(w[1], ' ');
	assert_string_equal(w + 5999, "42]");
	assert_true(aligned(w));
	assert_string_equal(s, "zjj-007");
	assert_string_equal(u, "县住建局整改12项");
	zg_arena_release(&a);
}

static void test_release_and_reuse(void **state)
{
	(void)state;
	struct zg_arena a;
	zg_arena_init(&a);
	assert_null(a.head);
	assert_int_equal(a.total, 0);
	zg_arena_release(&a);	/* releasing an empty arena is fine */
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 1000; i++) {
			char *s = zg_arena_printf(&a, "round %d item %d",
						  round, i);
			assert_non_null(s);
		}
		assert_non_null(a.head);
		assert_true(a.total > 0);
		zg_arena_release(&a);
		assert_null(a.head);
		assert_int_equal(a.used, 0);
		assert_int_equal(a.total, 0);
	}
	char *s = zg_arena_strdup(&a, "again");
	assert_string_equal(s, "again");
	zg_arena_release(&a);
	zg_arena_release(&a);	/* and twice */
}

static void test_mark_and_rewind(void **state)
{
	(void)state;
	struct zg_arena a;
	zg_arena_init(&a);
	struct zg_arena_mark empty = zg_arena_mark(&a);
	char *kept = zg_arena_strdup(&a, "kept");
	struct zg_arena_mark m = zg_arena_mark(&a);
	size_t total = a.total;
	/* Enough to need blocks of their own, then all given back. */
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 5000; i++)
			assert_non_null(zg_arena_printf(&a, "entry %d", i));
		assert_true(a.total > total);
		zg_arena_rewind(&a, m);
		assert_int_equal(a.total, total);
		assert_ptr_equal(a.head, m.head);
		assert_int_equal(a.used, m.used);
		assert_string_equal(kept, "kept");
	}
	/* What comes next goes where the given back memory began. */
	char *next = zg_arena_strdup(&a, "next");
	assert_ptr_equal(next, kept + 5);
	zg_arena_rewind(&a, empty);
	assert_null(a.head);
	assert_int_equal(a.total, 0);
	assert_string_equal(zg_arena_strdup(&a, "again"), "again");
	zg_arena_release(&a);
}

static void test_alloc_zero(void **state)
{
	(void)state;
	struct zg_arena a = ZG_ARENA_INIT;
	char *p = zg_arena_alloc(&a, 0);
	assert_non_null(p);
	assert_true(aligned(p));
	char *q = zg_arena_alloc(&a, 0);
	assert_non_null(q);
	/* Distinct pointers, each with room for at least one byte. */
	assert_ptr_not_equal(p, q);
	assert_true(q >= p + 1 || p >= q + 1);
	*p = 'x';
	*q = 'y';
	assert_int_equal(*p, 'x');
	assert_int_equal(*q, 'y');
	zg_arena_release(&a);
}

static void test_requests_the_system_refuses(void **state)
{
	(void)state;
	struct zg_arena a = ZG_ARENA_INIT;
	char *before = zg_arena_strdup(&a, "before");
	/* Not too big to round, too big for any machine: NULL, and the
	 * arena is as it was. */
	size_t total = a.total;
	assert_null(zg_arena_alloc(&a, SIZE_MAX / 2));
	assert_int_equal(a.total, total);
	assert_null(zg_arena_strndup(&a, "x", SIZE_MAX / 2));
	assert_int_equal(a.total, total);
	assert_string_equal(before, "before");
	assert_string_equal(zg_arena_strdup(&a, "after"), "after");
	zg_arena_release(&a);
}

static void test_printf_that_cannot_be_formatted(void **state)
{
	(void)state;
	/* A wide character with no multibyte form: no text, NULL. */
	static const wchar_t bad[] = { 0x110000, 0 };
	struct zg_arena a = ZG_ARENA_INIT;
	assert_null(zg_arena_printf(&a, "%ls", bad));
	assert_string_equal(zg_arena_printf(&a, "%d", 7), "7");
	zg_arena_release(&a);
}

/*
 * Out of memory for real: in a fresh copy of this program (fork and
 * exec) whose address space may grow by 16 MiB only.  The copy reports
 * through its exit status, and lifts the limit before it exits so that
 * coverage data can still be written.
 */
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

static int limited_main(void)
{
	struct rlimit old, rl;
	if (getrlimit(RLIMIT_AS, &old) != 0)
		return 81;
	rl = old;
	rl.rlim_cur = (rlim_t)(address_space_in_use() + ((size_t)16 << 20));
	if (setrlimit(RLIMIT_AS, &rl) != 0)
		return 82;
	struct zg_arena a = ZG_ARENA_INIT;
	char *small = zg_arena_printf(&a, "%s-%03d", "zjj", 1);
	/* 64 MiB of text does not fit in 16. */
	char *big = zg_arena_printf(&a, "%*d", 64 << 20, 1);
	void *block = zg_arena_alloc(&a, (size_t)32 << 20);
	char *again = zg_arena_printf(&a, "%s-%03d", "zjj", 2);
	setrlimit(RLIMIT_AS, &old);
	int rc = 0;
	if (!small || strcmp(small, "zjj-001") != 0)
		rc = 10;
	else if (big)
		rc = 11;
	else if (block)
		rc = 12;
	else if (!again || strcmp(again, "zjj-002") != 0)
		rc = 13;
	zg_arena_release(&a);
	return rc;
}

static void test_out_of_memory(void **state)
{
	(void)state;
#ifdef UNDER_ASAN
	skip();
#else
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execl("/proc/self/exe", "test_arena", "--limited", (char *)NULL);
		_exit(127);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
#endif
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--limited") == 0)
		return limited_main();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_allocations_keep_contents),
		cmocka_unit_test(test_alignment_of_odd_sizes),
		cmocka_unit_test(test_zero_fill_after_reuse),
		cmocka_unit_test(test_request_larger_than_cap),
		cmocka_unit_test(test_impossible_sizes),
		cmocka_unit_test(test_strndup_strdup),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_release_and_reuse),
		cmocka_unit_test(test_mark_and_rewind),
		cmocka_unit_test(test_alloc_zero),
		cmocka_unit_test(test_requests_the_system_refuses),
		cmocka_unit_test(test_printf_that_cannot_be_formatted),
		cmocka_unit_test(test_out_of_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
