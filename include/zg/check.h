/*
 * check.h - checking a whole project, ledger by ledger, on every core.
 *
 * Ledgers are independent until the project-wide id check, so they are
 * read, typed and checked on a pool of threads, one ledger at a time per
 * thread, and freed as soon as their findings and ids are kept.  The
 * findings are handed back in file order from the calling thread, so the
 * output is the same whatever the number of threads, and memory stays
 * flat in the number of ledgers.
 */
#ifndef ZG_CHECK_H
#define ZG_CHECK_H

#include <stddef.h>

#include "zg/diag.h"
#include "zg/project.h"
#include "zg/rules.h"

/*
 * Receives the findings of one ledger (sorted; the duplicate-id findings
 * included), in file order, on the thread that called zg_check_run.  The
 * list is the sink's to read; it is released after the call.
 */
typedef void (*zg_check_sink)(const struct zg_diags *ledger, void *ctx);

struct zg_check_stats {
	size_t ledgers;		/* ledger files read */
	size_t items;		/* items in them */
};

/* The number of online processors, at least 1. */
unsigned zg_check_default_jobs(void);

/*
 * Checks the ledgers of units (all when nunits is 0) with jobs threads,
 * calling sink for each ledger in file order, then appends to d the
 * findings about zg.yaml (units without a ledger) and the project-wide
 * rules.  Returns 0, or -1 with err set (an unknown unit, out of memory).
 */
int zg_check_run(const struct zg_project *p, const char *const *units,
		 size_t nunits, const struct zg_check_options *o,
		 unsigned jobs, zg_check_sink sink, void *ctx,
		 struct zg_diags *d, struct zg_check_stats *stats,
		 struct zg_error *err);

#endif
