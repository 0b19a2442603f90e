/*
 * diag.h - findings with exact places.
 *
 * Library functions never print: they append findings to a caller-owned
 * list and return a status, and the command mains decide what to show.
 * Every finding names its rule (stable API, see docs/rules.md), the file,
 * the 1-based line and column of the node at fault, and the item id where
 * there is one.
 */
#ifndef ZG_DIAG_H
#define ZG_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "zg/arena.h"

enum zg_severity {
	ZG_WARNING,
	ZG_ERROR,
};

struct zg_diag {
	enum zg_severity severity;
	const char *rule;	/* static rule id, e.g. "unknown-key" */
	const char *file;	/* display path, NULL when no file applies */
	unsigned line;		/* 1-based; 0 when the whole file is meant */
	unsigned column;	/* 1-based, in characters */
	const char *item;	/* item id, or NULL */
	const char *message;	/* translated, without position or rule */
	size_t seq;		/* order of arrival, keeps sorting stable */
};

/* The strings of every finding live in the list's own arena. */
struct zg_diags {
	struct zg_diag *v;
	size_t n, cap;
	size_t errors, warnings;
	bool oom;		/* a finding was lost for want of memory */
	struct zg_arena arena;
	/* The last file and item kept: findings in a row share the copies. */
	const char *last_file, *last_item;
};

void zg_diags_init(struct zg_diags *d);
void zg_diags_release(struct zg_diags *d);

/*
 * Appends a finding; fmt is a printf format for the message.  On out of
 * memory the finding is dropped and d->oom set, so callers need not check.
 */
void zg_diag_add(struct zg_diags *d, enum zg_severity severity,
		 const char *rule, const char *file, unsigned line,
		 unsigned column, const char *item, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

/* The same with the message as it is (copied), for a formatted one. */
void zg_diag_add_text(struct zg_diags *d, enum zg_severity severity,
		      const char *rule, const char *file, unsigned line,
		      unsigned column, const char *item, const char *message);

/* Copies every finding of src into dst (src is left as it was). */
void zg_diags_append(struct zg_diags *dst, const struct zg_diags *src);

/* Sorts by file, line, column, then arrival: the order zg-check prints. */
void zg_diags_sort(struct zg_diags *d);

/*
 * Keeps only the findings for which keep() returns true, in order, and
 * recounts errors and warnings.
 */
void zg_diags_filter(struct zg_diags *d,
		     bool (*keep)(const struct zg_diag *, void *), void *ctx);

/* Prints `FILE:LINE:COL: error: MESSAGE [RULE] (ITEM)` and a newline. */
void zg_diag_print(FILE *out, const struct zg_diag *g);

/*
 * Writes the list as RFC 4180 CSV with the header
 * file,line,column,severity,rule,item,message.  Returns 0, or -1 on a
 * write error (errno set).
 */
int zg_diags_write_csv(FILE *out, const struct zg_diags *d);

/* The header line, and one finding as a CSV record (the parts of the above). */
int zg_diags_write_csv_header(FILE *out);
int zg_diag_write_csv(FILE *out, const struct zg_diag *g);

const char *zg_severity_name(enum zg_severity s);

#endif
