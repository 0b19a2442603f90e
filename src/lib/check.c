/*
 * check.c - the worker pool behind zg-check.
 *
 * Workers take the next ledger index from a shared counter, check the
 * ledger into a result of their own and signal; the calling thread takes
 * results strictly in order, adds the duplicate-id findings (which need
 * every earlier ledger), and hands them to the sink.  A worker never
 * touches another's result, and the calling thread touches a result only
 * once it is marked done, so one mutex and one condition suffice.
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
	bool done;
	bool oom;
};

struct pool {
	const struct zg_project *p;
	const struct zg_check_options *o;
	char **codes;
	size_t n;
	struct result *results;
	size_t next;			/* next ledger to take */
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

static void *worker(void *arg)
{
	struct pool *pool = arg;
	for (;;) {
		pthread_mutex_lock(&pool->lock);
		size_t i = pool->next++;
		pthread_mutex_unlock(&pool->lock);
		if (i >= pool->n)
			return NULL;
		struct result r;
		memset(&r, 0, sizeof r);
		check_one(pool, i, &r);
		pthread_mutex_lock(&pool->lock);
		r.done = true;
		pool->results[i] = r;
		pthread_cond_broadcast(&pool->ready);
		pthread_mutex_unlock(&pool->lock);
	}
}

static void result_release(struct result *r)
{
	zg_diags_release(&r->diags);
	zg_arena_release(&r->arena);
	free(r->path);
	memset(r, 0, sizeof *r);
}

/* Findings are sorted by path: ledgers/<code>.yaml, as strcmp orders it. */
static int file_cmp(const void *pa, const void *pb)
{
	const char *a = *(char *const *)pa, *b = *(char *const *)pb;
	char x[80], y[80];
	snprintf(x, sizeof x, "%s.yaml", a);
	snprintf(y, sizeof y, "%s.yaml", b);
	return strcmp(x, y);
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
	/* One job needs no thread: the calling thread does the work. */
	if (jobs > 1)
		for (; started < jobs && started < 256; started++)
			if (pthread_create(&threads[started], NULL, worker, &pool) != 0)
				break;

	struct zg_id_index ids;
	zg_id_index_init(&ids);
	bool oom = false;
	for (size_t i = 0; i < pool.n; i++) {
		struct result *r = &pool.results[i];
		if (started == 0) {
			check_one(&pool, i, r);
		} else {
			pthread_mutex_lock(&pool.lock);
			while (!r->done)
				pthread_cond_wait(&pool.ready, &pool.lock);
			pthread_mutex_unlock(&pool.lock);
		}
		oom |= r->oom;
		if (r->read) {
			stats->ledgers++;
			stats->items += r->items;
			for (size_t k = 0; k < r->nids && !oom; k++)
				oom |= zg_id_index_add(&ids, r->ids[k].id, r->path,
						       r->ids[k].line,
						       r->ids[k].column,
						       &r->diags) != 0;
			zg_diags_sort(&r->diags);
			sink(&r->diags, ctx);
		}
		result_release(r);
	}
	for (unsigned t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	pthread_cond_destroy(&pool.ready);
	pthread_mutex_destroy(&pool.lock);
	zg_id_index_release(&ids);

	if (!oom) {
		zg_project_check_missing(p, pool.codes, pool.n, units, nunits, d);
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
