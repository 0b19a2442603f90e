/*
 * arena.c - bump allocation in chained blocks.
 *
 * Blocks grow geometrically up to a cap so that a small ledger costs one
 * small block and a huge one does not waste much at the tail; a request
 * larger than the cap gets a block of its own.
 */
#include "zg/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct zg_arena_block {
	struct zg_arena_block *prev;
	size_t size;
	max_align_t data[];
};

enum { ARENA_FIRST = 4096, ARENA_CAP = 1 << 20 };

void zg_arena_init(struct zg_arena *a)
{
	a->head = NULL;
	a->used = 0;
	a->total = 0;
	a->failed = false;
}

static size_t align_up(size_t n)
{
	const size_t al = _Alignof(max_align_t);
	return (n + al - 1) & ~(al - 1);
}

/* A new head block for size bytes; NULL when memory ran out. */
static void *grow(struct zg_arena *a, size_t size)
{
	/* Before rounding up, which would wrap a size near SIZE_MAX to 0. */
	if (size > SIZE_MAX / 2) {
		a->failed = true;
		return NULL;
	}
	size_t want = a->head ? a->head->size * 2 : ARENA_FIRST;
	if (want > ARENA_CAP)
		want = ARENA_CAP;
	if (want < size)
		want = align_up(size);
	struct zg_arena_block *b = malloc(sizeof *b + want);
	if (!b) {
		a->failed = true;
		return NULL;
	}
	b->prev = a->head;
	b->size = want;
	a->head = b;
	a->total += want;
	a->used = size;
	return b->data;
}

/*
 * size bytes at an offset that is a multiple of align (a power of two up
 * to max_align_t's), not zeroed.  Strings take align 1: they pack.
 */
static inline void *bump(struct zg_arena *a, size_t size, size_t align)
{
	if (a->head) {
		size_t at = (a->used + align - 1) & ~(align - 1);
		if (at <= a->head->size && a->head->size - at >= size) {
			a->used = at + size;
			return (char *)a->head->data + at;
		}
	}
	return grow(a, size);
}

void *zg_arena_alloc(struct zg_arena *a, size_t size)
{
	/* Before rounding up, which would wrap a size near SIZE_MAX to 0. */
	if (size > SIZE_MAX / 2) {
		a->failed = true;
		return NULL;
	}
	size = align_up(size ? size : 1);
	void *p = bump(a, size, _Alignof(max_align_t));
	if (p)
		memset(p, 0, size);
	return p;
}

char *zg_arena_strndup(struct zg_arena *a, const char *s, size_t len)
{
	if (len == SIZE_MAX) {
		a->failed = true;
		return NULL;
	}
	char *p = bump(a, len + 1, 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *zg_arena_strdup(struct zg_arena *a, const char *s)
{
	return zg_arena_strndup(a, s, strlen(s));
}

char *zg_arena_printf(struct zg_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = zg_arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

struct zg_arena_mark zg_arena_mark(const struct zg_arena *a)
{
	return (struct zg_arena_mark){ a->head, a->used, a->total };
}

void zg_arena_rewind(struct zg_arena *a, struct zg_arena_mark m)
{
	while (a->head != m.head) {
		struct zg_arena_block *prev = a->head->prev;
		free(a->head);
		a->head = prev;
	}
	a->used = m.used;
	a->total = m.total;
}

void zg_arena_release(struct zg_arena *a)
{
	struct zg_arena_block *b = a->head;
	while (b) {
		struct zg_arena_block *prev = b->prev;
		free(b);
		b = prev;
	}
	zg_arena_init(a);
}
