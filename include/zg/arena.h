/*
 * arena.h - region allocation for everything loaded from one file.
 *
 * A ledger's nodes, strings and typed records are born together while the
 * file is read and die together when the ledger is freed, so one arena per
 * ledger replaces thousands of small malloc/free pairs and makes "who frees
 * this string" a question with one answer: nobody, the arena does.
 */
#ifndef ZG_ARENA_H
#define ZG_ARENA_H

#include <stdbool.h>
#include <stddef.h>

struct zg_arena_block;

struct zg_arena {
	struct zg_arena_block *head;	/* newest block; older ones chained */
	size_t used;			/* bytes used in head */
	size_t total;			/* bytes held by all blocks (for bench) */
	/*
	 * Set when a request failed for want of memory.  A value built from
	 * many small allocations (a new item, a progress entry) checks this
	 * once instead of after every call: a missing part is never written.
	 */
	bool failed;
};

#define ZG_ARENA_INIT { NULL, 0, 0, false }

void zg_arena_init(struct zg_arena *a);

/*
 * Returns size bytes aligned for any object, zero-filled, or NULL (and
 * sets a->failed) when the system is out of memory.  The memory lives
 * until zg_arena_release().
 */
void *zg_arena_alloc(struct zg_arena *a, size_t size);

/*
 * Copies len bytes of s and a terminating NUL into the arena.  Strings
 * are packed (byte-aligned) and only what is copied is written.
 */
char *zg_arena_strndup(struct zg_arena *a, const char *s, size_t len);
char *zg_arena_strdup(struct zg_arena *a, const char *s);

/* printf into the arena; NULL on out of memory. */
char *zg_arena_printf(struct zg_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A point to come back to: zg_arena_rewind gives back everything
 * allocated after it (freeing the blocks made since), so that a part of
 * a file that is looked at and copied from can be dropped at once.
 */
struct zg_arena_mark {
	struct zg_arena_block *head;
	size_t used, total;
};

struct zg_arena_mark zg_arena_mark(const struct zg_arena *a);

/* Everything allocated since m is invalid afterwards; failed stays. */
void zg_arena_rewind(struct zg_arena *a, struct zg_arena_mark m);

/* Frees every block; the arena is empty and reusable afterwards. */
void zg_arena_release(struct zg_arena *a);

#endif
