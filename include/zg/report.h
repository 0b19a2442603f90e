/*
 * report.h - the office's forms, built from the ledgers.
 *
 * The measures table, the explanation table, the completion table, the
 * weekly progress table and one plan document per item, with the
 * contract's Chinese headers in the contract's order.  Rows come in the
 * unit order of zg.yaml, then by item id, so that a report kept in git
 * diffs cleanly.  Every text cell is masked (privacy.h): a telephone
 * number that slipped into a ledger never reaches paper.  Nothing here
 * reads private/.
 */
#ifndef ZG_REPORT_H
#define ZG_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "zg/arena.h"
#include "zg/date.h"
#include "zg/diag.h"
#include "zg/project.h"

enum zg_report_kind {
	ZG_REPORT_MEASURES,
	ZG_REPORT_EXPLANATIONS,
	ZG_REPORT_COMPLETION,
	ZG_REPORT_PROGRESS,
	ZG_REPORT_PLAN,
};

/* The kind named on the command line, or -1. */
int zg_report_kind_parse(const char *name);

struct zg_table {
	const char *title;
	const char *const *headers;
	size_t ncols;
	const char **cells;	/* row-major, nrows × ncols */
	size_t nrows, cap;
	bool total;		/* the last row is the total (合计) */
};

struct zg_report_options {
	enum zg_report_kind kind;
	const char *id;			/* plan ID */
	struct zg_date as_of;
	struct zg_date since;		/* progress: start of the period */
	const char *const *units;	/* progress: only these rows; none: all */
	size_t nunits;
};

struct counts;

/*
 * Where a progress report's overdue rows wait until the table above them
 * is written: an unlinked temporary file, or a memory stream.
 */
struct zg_spill {
	FILE *f;		/* NULL until the first overdue row */
	bool in_memory;		/* no temporary file: buf and len */
	char *buf;
	size_t len;
	int error;		/* why the rows could not wait there, or 0 */
};

struct zg_report {
	struct zg_arena arena;
	struct zg_arena pending;	/* the table's rows not yet written */
	struct zg_report_options options;
	struct counts *counts;	/* progress: one per unit of zg.yaml */
	size_t rows;		/* numbered rows so far (序号) */
	enum zg_report_kind kind;
	const char *title;	/* the document's title */
	const char *subtitle;	/* county, office, as-of */
	struct zg_table table;
	/*
	 * progress: the overdue items found since the writer last took
	 * rows (their cells are in pending, as the table's); the writer
	 * keeps the Markdown of those it took in spill until the table is
	 * done, so that memory does not grow with the overdue items.
	 */
	struct zg_table overdue;
	struct zg_spill spill;
	const char *document;	/* plan: the whole Markdown document */
	size_t skipped;		/* items left out for their loader findings */
};

/*
 * Builds the report from the loaded project.  Items that have findings of
 * the loader's rules in d are left out (and counted in r->skipped), so
 * that no half-read item is printed; rule findings never matter here.
 * Returns 0, or -1 with err set (an unknown plan id, out of memory).
 */
int zg_report_build(const struct zg_project *p,
		    const struct zg_report_options *o,
		    const struct zg_diags *d, struct zg_report *r,
		    struct zg_error *err);

/*
 * The same, a ledger at a time, so that a command can free each ledger
 * before reading the next: begin, add every ledger in the order of
 * zg_project_ledger_codes with the findings of its loading, finish.
 * Each returns 0, or -1 with err set.
 */
int zg_report_begin(const struct zg_project *p,
		    const struct zg_report_options *o, struct zg_report *r,
		    struct zg_error *err);
int zg_report_add_ledger(struct zg_report *r, const struct zg_project *p,
			 const struct zg_ledger *l, const struct zg_diags *d,
			 struct zg_error *err);
int zg_report_finish(struct zg_report *r, const struct zg_project *p,
		     struct zg_error *err);

/*
 * Forgets the table's rows once a writer has written them, freeing their
 * memory: a report of any size is written in pieces (zg_write_rows).
 */
void zg_report_take_rows(struct zg_report *r);

void zg_report_release(struct zg_report *r);

#endif
