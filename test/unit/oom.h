/*
 * oom.h - out of memory on demand, for the unit tests that sweep it.
 *
 * Included by one test file per executable: it replaces malloc, calloc
 * and realloc (glibc allows it) with ones that fail once, at the Nth call
 * after oom_arm(N).  Not under AddressSanitizer, which brings its own
 * allocator: there OOM_TESTS is 0 and the out of memory tests skip.
 */
#ifndef ZG_TEST_OOM_H
#define ZG_TEST_OOM_H

#include <stdbool.h>
#include <stddef.h>

#if defined(__SANITIZE_ADDRESS__)
#define OOM_TESTS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OOM_TESTS 0
#endif
#endif
#ifndef OOM_TESTS
#define OOM_TESTS 1
#endif

#if OOM_TESTS
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);

static long oom_countdown = -1;	/* calls left before the failure; -1: none */
static bool oom_hit;

static bool oom_now(void)
{
	if (oom_countdown < 0)
		return false;
	if (oom_countdown-- > 0)
		return false;
	oom_hit = true;
	return true;
}

void *malloc(size_t size)
{
	return oom_now() ? NULL : __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	return oom_now() ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
	return oom_now() ? NULL : __libc_realloc(p, size);
}

static inline void oom_arm(long n)
{
	oom_hit = false;
	oom_countdown = n;
}

/* Disarms; true when an allocation was made to fail. */
static inline bool oom_disarm(void)
{
	oom_countdown = -1;
	return oom_hit;
}
#endif

#endif
