/*
 * history.h - the trace is append-only: the "history" rule (--against REV).
 *
 * A ledger is compared with its version at a git revision: every item of
 * REV must still be there, every progress entry of REV unchanged (date,
 * note, evidence) and in its place, and a plan submitted at REV unchanged
 * unless an amendment was recorded since.  git is run with an argument
 * vector; nothing is written.
 */
#ifndef ZG_HISTORY_H
#define ZG_HISTORY_H

#include <stdbool.h>

#include "zg/diag.h"
#include "zg/project.h"

#define ZG_RULE_HISTORY "history"

struct zg_history {
	const char *root;	/* the project's display root */
	char *rev;		/* the revision as given */
	char *commit;		/* its full commit id */
	char *prefix;		/* the project's folder inside the repository */
};

/*
 * Checks that git runs, that the project is in a work tree and that rev
 * names a commit.  Returns 0, or -1 with err set (exit status 2).
 */
int zg_history_open(const struct zg_project *p, const char *rev,
		    struct zg_history *h, struct zg_error *err);
void zg_history_release(struct zg_history *h);

/*
 * Compares ledger l with its version at the revision and appends
 * history findings.  A ledger that did not exist then has no history.
 * Safe to call from several threads.
 */
void zg_history_check_ledger(const struct zg_history *h,
			     const struct zg_ledger *l, struct zg_diags *d);

/*
 * The ledgers deleted whole since the revision: a finding for each item a
 * ledger held then, at its line then, for every ledger at the revision
 * that is not among codes (the ledgers read now) and, when nunits > 0,
 * is one of units.
 */
void zg_history_check_gone(const struct zg_history *h,
			   const struct zg_project *p, char *const *codes,
			   size_t ncodes, const char *const *units,
			   size_t nunits, struct zg_diags *d);

#endif
