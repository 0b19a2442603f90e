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

#endif
