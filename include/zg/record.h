/*
 * record.h - recording what happens: the operations behind zg-add.
 *
 * Every operation is one transaction on one ledger: take the project's
 * lock (flock on .zg.lock), read the ledger, splice the change into its
 * bytes (edit.h), parse and type the result, refuse it if it would add a
 * loader finding (syntax, type, required …) — findings of the rules that
 * were already there never block — then write a temporary file in the
 * same folder, fsync it, rename it over the ledger and fsync the folder.
 * Concurrent writers queue on the lock, so nothing is lost; a crash
 * leaves either the old ledger or the new one.
 */
#ifndef ZG_RECORD_H
#define ZG_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "zg/date.h"
#include "zg/diag.h"
#include "zg/project.h"

enum zg_record_result {
	ZG_RECORD_OK = 0,
	ZG_RECORD_REFUSED = 1,	/* the change was refused; nothing written */
	ZG_RECORD_FAILED = 2,	/* usage, I/O or an unreadable project */
};

struct zg_suggestion_spec {
	const char *text;
	long no;		/* 0: no number */
};

struct zg_step_spec {
	struct zg_date due;
	const char *text;
};

struct zg_contact_spec {
	const char *name;	/* may be NULL */
	const char *phone;	/* may be NULL */
};

struct zg_item_spec {
	const char *unit;
	int category;		/* enum zg_category */
	struct zg_suggestion_spec *suggestions;
	size_t nsuggestions;
	const char *group, *investigation, *verdict;
	struct zg_date received;
	/* constructive */
	const char *goal, *task, *standard, *stage_target;
	struct zg_step_spec *steps;
	size_t nsteps;
	struct zg_date start, due;	/* year 0: not given */
	const char *leader, *owner_unit, *person, *outcome;
	/* other */
	const char *explanation, *cause;
	struct zg_contact_spec *contacts;
	size_t ncontacts;
};

struct zg_evidence_spec {
	const char *path;	/* the file to copy in */
	int kind;		/* enum zg_evidence_kind, or -1 */
};

struct zg_progress_spec {
	const char *id;
	struct zg_date date;
	const char *note;
	struct zg_evidence_spec *evidence;
	size_t nevidence;
	size_t step;		/* roadmap step to mark done, 1-based; 0: none */
};

/* What every operation returns besides its status. */
struct zg_record_out {
	struct zg_error err;	/* why, when not OK */
	char id[64];		/* the new item's id (zg_record_item) */
	size_t changed;		/* items changed (submit/publish --unit) */
};

/*
 * Adds an item to the unit's ledger (created from the template when
 * missing) under the next free id, and its contacts to
 * private/contacts.yaml only.  Findings that explain a refusal go to d.
 */
enum zg_record_result zg_record_item(const struct zg_project *p,
				     const struct zg_item_spec *s,
				     struct zg_diags *d,
				     struct zg_record_out *out);

/* Appends a progress entry; copies evidence into evidence/ID/. */
enum zg_record_result zg_record_progress(const struct zg_project *p,
					 const struct zg_progress_spec *s,
					 struct zg_diags *d,
					 struct zg_record_out *out);

/*
 * Sets the status; done and closed also set 'completed' to date when it
 * is missing.  result and satisfaction (< 0: not given) are optional.
 */
enum zg_record_result zg_record_status(const struct zg_project *p,
				       const char *id, int status,
				       struct zg_date date, const char *result,
				       double satisfaction, struct zg_diags *d,
				       struct zg_record_out *out);

/*
 * Marks items submitted on date and locks their plans (plan_digest):
 * the item id, or every item of unit not yet submitted.
 */
enum zg_record_result zg_record_submit(const struct zg_project *p,
				       const char *id, const char *unit,
				       struct zg_date date, struct zg_diags *d,
				       struct zg_record_out *out);

/* Records publication (公示) of an item, or of every item of a unit. */
enum zg_record_result zg_record_publish(const struct zg_project *p,
					const char *id, const char *unit,
					const char *where, struct zg_date date,
					struct zg_diags *d,
					struct zg_record_out *out);

/* Records the office's verification (核验) and closes the item (销号). */
enum zg_record_result zg_record_verify(const struct zg_project *p,
				       const char *id, const char *by,
				       double score, struct zg_date date,
				       struct zg_diags *d,
				       struct zg_record_out *out);

/* Records an approved change of a submitted plan and locks it anew. */
enum zg_record_result zg_record_amend(const struct zg_project *p,
				      const char *id, const char *reason,
				      const char *approved_by,
				      struct zg_date date, struct zg_diags *d,
				      struct zg_record_out *out);

/*
 * The unit code of an item id ("zjj" of "zjj-001") into buf; false when
 * the id is malformed.
 */
bool zg_record_unit_of(const char *id, char *buf, size_t size);

#endif
