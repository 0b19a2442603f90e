/*
 * check.c - the worker pool behind zg-check.
 *
 * Workers take the next ledger index from a shared counter, check the
 * ledger into a result of their own and signal; the calling thread takes
 * results strictly in order, adds the duplicate-id findings (which need
 * every earlier ledger), and hands them to the sink.  A worker never
 * touches another's result, and the calling thread touches a result only
 * once its pointer is set, so one mutex and one condition suffice.
 */
#include "zg/check.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zg/history.h"
#include "zg/i18n.h"

struct id_entry {
	const char *id;		/* in the result's arena */
	unsigned line, column;
};

struct result {
	struct zg_diags diags;
	char *path;			/* the ledger's display path */
	struct id_entry *ids;
	size_t nids;
	struct zg_arena arena;
	size_t items;
	bool read;			/* the file existed */
	bool oom;
};

struct pool {
	const struct zg_project *p;
	const struct zg_check_options *o;
	char **codes;
	size_t n;
	struct result **results;	/* NULL until checked */
	size_t next;			/* next ledger to take */
	size_t merged;			/* ledgers the calling thread is done with */
	size_t ahead;			/* how far workers may run ahead of it */
	pthread_mutex_t lock;
	pthread_cond_t ready;
};

unsigned zg_check_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 && n < 256 ? (unsigned)n : 1;
}

static void check_one(const struct pool *pool, size_t i, struct result *r)
{
	struct zg_ledger l;
	zg_diags_init(&r->diags);
	zg_arena_init(&r->arena);
	int rc = zg_ledger_open(pool->p, pool->codes[i], &l, &r->diags);
	if (rc < 0) {
		r->oom = true;
	} else if (rc == 0) {
		r->read = true;
		r->path = strdup(l.path);
		zg_rules_check_ledger(pool->p, &l, pool->o, &r->diags);
		if (pool->o->history && zg_rule_wanted(pool->o, "history"))
			zg_history_check_ledger(pool->o->history, &l, &r->diags);
		size_t n = l.doc ? l.doc->nitems : 0;
		r->items = n;
		r->ids = n ? zg_arena_alloc(&r->arena, n * sizeof *r->ids) : NULL;
		for (size_t k = 0; k < n && (r->ids || !n); k++) {
			zg_text_t id = l.doc->items[k].id;
			if (!id)
				continue;
			const char *copy = zg_arena_strdup(&r->arena, id->text);
			if (!copy) {
				r->oom = true;
				break;
			}
			r->ids[r->nids++] = (struct id_entry){
				copy, id->start.line, id->start.column,
			};
		}
		if (!r->path || (n && !r->ids) || r->diags.oom)
			r->oom = true;
	}
	zg_ledger_release(&l);
}

/* The result of a ledger that memory did not suffice to check. */
static struct result no_memory = { .oom = true };

static void *worker(void *arg)
{
	struct pool *pool = arg;
	for (;;) {
		/*
		 * Workers stay within ahead ledgers of the merge, so that
		 * results waiting for a slow merge (a slow reader of the
		 * output) do not pile up: memory stays flat in ledgers.
		 */
		pthread_mutex_lock(&pool->lock);
		while (pool->next < pool->n &&
		       pool->next >= pool->merged + pool->ahead)
			pthread_cond_wait(&pool->ready, &pool->lock);
		size_t i = pool->next++;
		pthread_mutex_unlock(&pool->lock);
		if (i >= pool->n)
			return NULL;
		struct result *r = calloc(1, sizeof *r);
		if (r)
			check_one(pool, i, r);
		else
			r = &no_memory;
		pthread_mutex_lock(&pool->lock);
		pool->results[i] = r;
		pthread_cond_broadcast(&pool->ready);
		pthread_mutex_unlock(&pool->lock);
	}
}

/*
 * The id index keeps no text: when hashes meet, the ids of the ledger in
 * question are looked at.  The one being merged is in memory; an earlier
 * one is read again (once, and only for a duplicate or a collision of
 * hashes) and its ids are kept for the rest of the run.
 */
struct recalled {
	char *path;
	struct id_entry *ids;
	size_t nids;
	struct zg_arena arena;
};

struct merge {
	const struct pool *pool;
	const struct result *cur;	/* ledger number at, being merged */
	size_t at, added;		/* of cur's ids, added so far */
	struct recalled **recalled;	/* by ledger number, NULL until read */
};

static struct recalled *recall(const struct pool *pool, size_t i)
{
	struct recalled *rc = calloc(1, sizeof *rc);
	if (!rc)
		return NULL;
	zg_arena_init(&rc->arena);
	struct zg_diags scratch;
	zg_diags_init(&scratch);
	struct zg_ledger l;
	int e = zg_ledger_open(pool->p, pool->codes[i], &l, &scratch);
	bool ok = e >= 0;
	size_t n = e == 0 && l.doc ? l.doc->nitems : 0;
	if (ok && e == 0) {
		rc->path = zg_arena_strdup(&rc->arena, l.path);
		ok = rc->path != NULL;
	}
	if (ok && n) {
		rc->ids = zg_arena_alloc(&rc->arena, n * sizeof *rc->ids);
		ok = rc->ids != NULL;
	}
	for (size_t k = 0; ok && k < n; k++) {
		zg_text_t id = l.doc->items[k].id;
		if (!id)
			continue;
		const char *copy = zg_arena_strdup(&rc->arena, id->text);
		ok = copy != NULL;
		rc->ids[rc->nids++] = (struct id_entry){
			copy, id->start.line, id->start.column,
		};
	}
	zg_ledger_release(&l);
	zg_diags_release(&scratch);
	if (!ok) {
		zg_arena_release(&rc->arena);
		free(rc);
		return NULL;
	}
	return rc;
}

static int find_id(void *ctx, size_t ledger, const char *id,
		   struct zg_id_first *out)
{
	struct merge *m = ctx;
	const char *path;
	const struct id_entry *ids;
	size_t n;
	if (ledger == m->at) {
		path = m->cur->path;
		ids = m->cur->ids;
		n = m->added;
	} else {
		if (!m->recalled[ledger] &&
		    !(m->recalled[ledger] = recall(m->pool, ledger)))
			return -1;
		path = m->recalled[ledger]->path;
		ids = m->recalled[ledger]->ids;
		n = m->recalled[ledger]->nids;
	}
	for (size_t k = 0; k < n; k++) {
		if (strcmp(ids[k].id, id) == 0) {
			*out = (struct zg_id_first){ path, ids[k].line,
						     ids[k].column };
			return 1;
		}
	}
	return 0;
}

static void result_release(struct result *r)
{
	zg_diags_release(&r->diags);
	zg_arena_release(&r->arena);
	free(r->path);
	memset(r, 0, sizeof *r);
}

/* The byte at i of "<code>.yaml", 0 past its end. */
static int yaml_name_at(const char *code, size_t len, size_t i)
{
	if (i < len)
		return (unsigned char)code[i];
	return i < len + 5 ? ".yaml"[i - len] : 0;
}

/* strcmp of a[0..alen) ".yaml" and b ".yaml", without copying them. */
static int yaml_name_cmp(const char *a, size_t alen, const char *b,
			 size_t blen)
{
	for (size_t i = 0;; i++) {
		int x = yaml_name_at(a, alen, i), y = yaml_name_at(b, blen, i);
		if (x != y || x == 0)
			return x - y;
	}
}

/* Findings are sorted by path: ledgers/<code>.yaml, as strcmp orders it. */
static int file_cmp(const void *pa, const void *pb)
{
	const char *a = *(char *const *)pa, *b = *(char *const *)pb;
	return yaml_name_cmp(a, strlen(a), b, strlen(b));
}

/* zg_id_owner over the codes, which are in file_cmp's order. */
static size_t owner_of(void *ctx, const char *code, size_t len)
{
	const struct merge *m = ctx;
	size_t lo = 0, hi = m->pool->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *c = m->pool->codes[mid];
		int r = yaml_name_cmp(code, len, c, strlen(c));
		if (r == 0)
			return mid;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return SIZE_MAX;
}

int zg_check_run(const struct zg_project *p, const char *const *units,
		 size_t nunits, const struct zg_check_options *o,
		 unsigned jobs, zg_check_sink sink, void *ctx,
		 struct zg_diags *d, struct zg_check_stats *stats,
		 struct zg_error *err)
{
	memset(stats, 0, sizeof *stats);
	struct pool pool = { .p = p, .o = o };
	if (zg_project_ledger_codes(p, units, nunits, &pool.codes, &pool.n,
				    err) != 0)
		return -1;
	qsort(pool.codes, pool.n, sizeof *pool.codes, file_cmp);
	pool.results = calloc(pool.n ? pool.n : 1, sizeof *pool.results);
	if (!pool.results) {
		zg_project_codes_free(pool.codes);
		snprintf(err->message, sizeof err->message, "%s", _("out of memory"));
		return -1;
	}
	pthread_mutex_init(&pool.lock, NULL);
	pthread_cond_init(&pool.ready, NULL);

	if (jobs < 1)
		jobs = 1;
	if (jobs > pool.n)
		jobs = pool.n ? (unsigned)pool.n : 1;
	pthread_t threads[256];
	unsigned started = 0;
	pool.ahead = 2 * (size_t)jobs + 2;
	/* One job needs no thread: the calling thread does the work. */
	if (jobs > 1)
		for (; started < jobs && started < 256; started++)
			if (pthread_create(&threads[started], NULL, worker, &pool) != 0)
				break;

	struct merge merge = { .pool = &pool };
	merge.recalled = calloc(pool.n ? pool.n : 1, sizeof *merge.recalled);
	struct zg_id_index ids;
	zg_id_index_init(&ids, find_id, owner_of, &merge);
	bool oom = !merge.recalled;
	for (size_t i = 0; i < pool.n; i++) {
		struct result here, *r = &here;
		if (started == 0) {
			memset(&here, 0, sizeof here);
			check_one(&pool, i, r);
		} else {
			pthread_mutex_lock(&pool.lock);
			while (!pool.results[i])
				pthread_cond_wait(&pool.ready, &pool.lock);
			r = pool.results[i];
			pthread_mutex_unlock(&pool.lock);
		}
		oom |= r->oom;
		if (r->read) {
			stats->ledgers++;
			stats->items += r->items;
			merge.cur = r;
			merge.at = i;
			for (size_t k = 0; k < r->nids && !oom; k++) {
				merge.added = k;
				oom |= zg_id_index_add(&ids, i, pool.codes[i],
						       r->ids[k].id,
						       r->path, r->ids[k].line,
						       r->ids[k].column,
						       &r->diags) != 0;
			}
			zg_diags_sort(&r->diags);
			sink(&r->diags, ctx);
		}
		if (r != &no_memory)
			result_release(r);
		if (r != &here && r != &no_memory)
			free(r);
		if (started) {
			pthread_mutex_lock(&pool.lock);
			pool.merged = i + 1;
			pthread_cond_broadcast(&pool.ready);
			pthread_mutex_unlock(&pool.lock);
		}
	}
	for (unsigned t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	pthread_cond_destroy(&pool.ready);
	pthread_mutex_destroy(&pool.lock);
	zg_id_index_release(&ids);
	for (size_t i = 0; merge.recalled && i < pool.n; i++) {
		if (merge.recalled[i]) {
			zg_arena_release(&merge.recalled[i]->arena);
			free(merge.recalled[i]);
		}
	}
	free(merge.recalled);

	if (!oom) {
		zg_project_check_missing(p, pool.codes, pool.n, units, nunits, d);
		if (o->history && zg_rule_wanted(o, ZG_RULE_HISTORY))
			zg_history_check_gone(o->history, p, pool.codes, pool.n,
					      units, nunits, d);
		zg_rules_check_project(p, o, d);
	}
	free(pool.results);
	zg_project_codes_free(pool.codes);
	if (oom || d->oom) {
		snprintf(err->message, sizeof err->message, "%s", _("out of memory"));
		return -1;
	}
	return 0;
}
