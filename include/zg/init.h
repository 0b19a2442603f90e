/*
 * init.h - creating a new project (zg-init).
 *
 * Lays out zg.yaml, one ledger per unit, evidence/ and private/ with
 * commented templates, and never writes over anything: every file is
 * created with O_EXCL, and a failure half-way removes what this run made.
 */
#ifndef ZG_INIT_H
#define ZG_INIT_H

#include <stdbool.h>
#include <stddef.h>

#include "zg/date.h"
#include "zg/diag.h"
#include "zg/model.h"
#include "zg/project.h"

struct zg_unit_spec {
	const char *code;
	const char *name;
	enum zg_unit_kind kind;
};

/* The 13 responsible units of the 2018 Luzhai work plan, in its order. */
extern const struct zg_unit_spec zg_luzhai_units[];
extern const size_t zg_luzhai_nunits;

struct zg_init_options {
	const char *dir;
	const char *county, *office;
	int evaluation_year;
	struct zg_date submit, publicise, complete, self_review;
	const struct zg_unit_spec *units;
	size_t nunits;
	bool git;		/* git init and a pre-commit hook */
};

/* The seed's values: 鹿寨县, its office, 2017, and the 2018 deadlines. */
void zg_init_defaults(struct zg_init_options *o);

/*
 * Reads units from a CSV file of code,name,kind rows (a header row
 * starting with "code" is skipped; kind may be bureau/town/township or
 * 局/镇/乡).  Bad rows are findings with their line.  On success *units
 * (malloc'd, strings included; free with zg_init_units_free) and 0;
 * -1 with err set when the file cannot be read.
 */
int zg_init_read_units(const char *path, struct zg_unit_spec **units,
		       size_t *nunits, struct zg_diags *diags,
		       struct zg_error *err);
void zg_init_units_free(struct zg_unit_spec *units, size_t nunits);

/*
 * The commented template of a new, empty ledger for unit u (malloc'd;
 * NULL on out of memory).  zg-add starts a missing ledger from it.
 */
char *zg_init_ledger_text(const struct zg_unit_spec *u);

/*
 * Creates the project.  Returns 0, or -1 with err set and nothing left
 * behind that this call created (an existing project is never touched).
 */
int zg_init_create(const struct zg_init_options *o, struct zg_error *err);

#endif
