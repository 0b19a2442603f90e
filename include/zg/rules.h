/*
 * rules.h - the rule ids of the contract and what zg-check runs.
 *
 * Rule ids are stable API: scripts filter on them, cron jobs mail them,
 * other offices' tools read them.  Never rename or drop one.
 */
#ifndef ZG_RULES_H
#define ZG_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "zg/date.h"
#include "zg/diag.h"
#include "zg/project.h"

/* Every rule id zg knows, in the order of docs/rules.md; NULL-terminated. */
extern const char *const zg_rule_ids[];

/* True for the time rules that --overdue keeps. */
bool zg_rule_is_time(const char *rule);

/*
 * True when rule is selected by pattern: the same id, or pattern is a
 * prefix followed by '/' in rule ("five-haves" selects
 * "five-haves/task").
 */
bool zg_rule_matches(const char *pattern, const char *rule);

/* True when pattern selects at least one known rule. */
bool zg_rule_pattern_known(const char *pattern);

struct zg_history;

struct zg_check_options {
	struct zg_date as_of;	/* the day deadlines are judged on */
	long due_within;	/* due-soon window in days; -1: off */
	const struct zg_history *history;	/* --against REV, or NULL */
	/*
	 * Which rules will be shown (NULL: all): a rule nobody will see is
	 * not run, so that a cron job's --overdue pays for the time rules
	 * only, not for hashing evidence or scanning for telephone numbers.
	 */
	bool (*wanted)(const char *rule, void *ctx);
	void *wanted_ctx;
};

/* True when o wants findings of rule (no filter: every rule). */
bool zg_rule_wanted(const struct zg_check_options *o, const char *rule);

/*
 * Runs every rule of docs/rules.md on one loaded ledger and appends the
 * findings.  Items are judged on what loaded; a field the loader refused
 * is not reported again as missing.  Evidence files are looked up under
 * the project's root.
 */
void zg_rules_check_ledger(const struct zg_project *p,
			   const struct zg_ledger *l,
			   const struct zg_check_options *o,
			   struct zg_diags *d);

/*
 * The rules about the project as a whole: privacy/perms (private/ and
 * contacts.yaml closed to group and others) and privacy/git (contacts.yaml
 * neither tracked nor unignored; silent outside a git work tree).
 */
void zg_rules_check_project(const struct zg_project *p,
			    const struct zg_check_options *o,
			    struct zg_diags *d);

#endif
