/*
 * model.h - the project, its units and its ledgers as typed records.
 *
 * Every field points back at the YAML node it came from, so any later
 * message can name the exact line and column.  A field that is absent,
 * null or blank has node == NULL.  A malformed date, number or enum keeps
 * its node with ok == false (value -1 for enums); a malformed text, list or
 * mapping is left NULL, so a rule that reports a missing field asks the
 * tree (zg_node_get on the record's node) whether the key was written at
 * all before it speaks.  The loader has already said what was wrong.
 * Records live in the arena of the file they came from.
 */
#ifndef ZG_MODEL_H
#define ZG_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "zg/date.h"
#include "zg/tree.h"

/* A scalar text field: node->text is the value. */
typedef const struct zg_node *zg_text_t;

struct zg_date_field {
	const struct zg_node *node;
	struct zg_date date;
	bool ok;
};

struct zg_number_field {
	const struct zg_node *node;
	double value;
	bool ok;
};

struct zg_enum_field {
	const struct zg_node *node;
	int value;		/* -1 when absent or not in the list */
};

enum zg_unit_kind { ZG_UNIT_BUREAU, ZG_UNIT_TOWN, ZG_UNIT_TOWNSHIP };
enum zg_category { ZG_CONSTRUCTIVE, ZG_OTHER };
enum zg_status {
	ZG_NOT_STARTED,
	ZG_IN_PROGRESS,
	ZG_STAGED,
	ZG_DONE,
	ZG_CLOSED,
};
enum zg_verdict { ZG_TRUE, ZG_MOSTLY_TRUE, ZG_PARTLY_TRUE, ZG_UNTRUE };
enum zg_evidence_kind {
	ZG_EV_PLAN,
	ZG_EV_NOTICE,
	ZG_EV_MINUTES,
	ZG_EV_CALL,
	ZG_EV_STATISTICS,
	ZG_EV_PHOTO,
	ZG_EV_MEDIA,
	ZG_EV_REPORT,
	ZG_EV_OTHER,
};

/* The names as written in ledgers, indexed by the enums above. */
extern const char *const zg_unit_kind_names[];
extern const char *const zg_category_names[];
extern const char *const zg_status_names[];
extern const char *const zg_verdict_names[];
extern const char *const zg_evidence_kind_names[];

/* ---- zg.yaml ---- */

struct zg_unit {
	const struct zg_node *node;
	zg_text_t code, name;
	struct zg_enum_field kind;
};

struct zg_deadlines {
	const struct zg_node *node;
	struct zg_date_field submit, publicise, complete, self_review;
};

struct zg_config {
	const struct zg_node *node;
	struct zg_number_field version;
	zg_text_t county, office;
	struct zg_number_field evaluation_year;
	struct zg_deadlines *deadlines;
	struct zg_unit *units;
	size_t nunits;
};

/* ---- ledgers/<code>.yaml ---- */

struct zg_suggestion {
	const struct zg_node *node;	/* the bare string or the mapping */
	struct zg_number_field no;
	zg_text_t text;
};

struct zg_step {
	const struct zg_node *node;
	struct zg_date_field due;
	zg_text_t step;
	struct zg_date_field done;
};

struct zg_owner {
	const struct zg_node *node;
	zg_text_t leader, unit, person;
};

struct zg_plan {
	const struct zg_node *node;
	zg_text_t goal, task, standard;
	const struct zg_node *roadmap_node;
	struct zg_step *roadmap;
	size_t nroadmap;
	struct zg_date_field start, due;
	zg_text_t stage_target;
	struct zg_owner *owner;
	zg_text_t outcome;
};

struct zg_evidence {
	const struct zg_node *node;
	zg_text_t file;
	struct zg_enum_field kind;
	zg_text_t sha256;
};

struct zg_progress {
	const struct zg_node *node;
	struct zg_date_field date;
	zg_text_t note;
	const struct zg_node *evidence_node;
	struct zg_evidence *evidence;
	size_t nevidence;
};

struct zg_amendment {
	const struct zg_node *node;
	struct zg_date_field date;
	zg_text_t reason, approved_by;
};

struct zg_publication {
	const struct zg_node *node;
	struct zg_date_field date;
	zg_text_t where;
};

struct zg_verification {
	const struct zg_node *node;
	struct zg_date_field date;
	zg_text_t by;
	struct zg_number_field score;
};

struct zg_item {
	const struct zg_node *node;
	zg_text_t id;
	struct zg_enum_field category;
	const struct zg_node *suggestions_node;
	struct zg_suggestion *suggestions;
	size_t nsuggestions;
	zg_text_t group;
	struct zg_date_field received;
	zg_text_t investigation;
	struct zg_enum_field verdict;
	struct zg_plan *plan;
	zg_text_t explanation, cause;
	struct zg_date_field submitted;
	zg_text_t plan_digest;
	const struct zg_node *amendments_node;
	struct zg_amendment *amendments;
	size_t namendments;
	struct zg_publication *published;
	const struct zg_node *progress_node;
	struct zg_progress *progress;
	size_t nprogress;
	struct zg_enum_field status;
	struct zg_date_field completed;
	zg_text_t result;
	struct zg_number_field satisfaction;
	struct zg_verification *verification;
};

struct zg_ledger_doc {
	const struct zg_node *node;
	zg_text_t unit;
	const struct zg_node *items_node;
	struct zg_item *items;
	size_t nitems;
};

/* The text of a field, or NULL when absent. */
static inline const char *zg_text(zg_text_t t)
{
	return t ? t->text : NULL;
}

/* The item's id text, or NULL (for messages). */
static inline const char *zg_item_id(const struct zg_item *it)
{
	return it ? zg_text(it->id) : NULL;
}

#endif
