/*
 * rules.c - the catalogue of rule ids.
 */
#include "zg/rules.h"

#include <string.h>

const char *const zg_rule_ids[] = {
	"syntax", "encoding", "duplicate-key", "unknown-key", "type",
	"required", "date", "id", "unit", "io",
	"five-haves/task", "five-haves/roadmap", "five-haves/timetable",
	"five-haves/owner", "five-haves/outcome", "plan",
	"deadline/complete", "deadline/stage", "overdue", "overdue/step",
	"deadline/submit", "deadline/publicise", "deadline/self-review",
	"other/explanation", "evidence/required", "evidence/missing",
	"evidence/outside", "evidence/changed", "due-soon", "history",
	"status", "plan-locked", "privacy/leak", "privacy/perms",
	"privacy/git", NULL,
};

bool zg_rule_is_time(const char *rule)
{
	return strcmp(rule, "overdue") == 0 ||
	       strcmp(rule, "overdue/step") == 0 ||
	       strcmp(rule, "due-soon") == 0 ||
	       strncmp(rule, "deadline/", 9) == 0;
}

bool zg_rule_matches(const char *pattern, const char *rule)
{
	size_t n = strlen(pattern);
	return strncmp(pattern, rule, n) == 0 &&
	       (rule[n] == '\0' || rule[n] == '/');
}

bool zg_rule_pattern_known(const char *pattern)
{
	for (size_t i = 0; zg_rule_ids[i]; i++)
		if (zg_rule_matches(pattern, zg_rule_ids[i]))
			return true;
	return false;
}
