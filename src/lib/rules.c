/*
 * rules.c - the rules of the rectification work, applied to typed items.
 *
 * Each check reads the typed records the loader built and points at the
 * node at fault.  A field the loader refused is left out of the record;
 * before reporting a field as missing, a check asks the tree whether it
 * was written at all, so that one mistake is reported once.
 */
#include "zg/rules.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "zg/digest.h"
#include "zg/i18n.h"
#include "zg/privacy.h"
#include "zg/spawn.h"
#include "zg/text.h"
#include "zg/words.h"

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

bool zg_rule_wanted(const struct zg_check_options *o, const char *rule)
{
	return !o->wanted || o->wanted(rule, o->wanted_ctx);
}

static bool want_any(const struct zg_check_options *o, const char *const *rules)
{
	for (size_t i = 0; rules[i]; i++)
		if (zg_rule_wanted(o, rules[i]))
			return true;
	return false;
}

bool zg_rule_pattern_known(const char *pattern)
{
	for (size_t i = 0; zg_rule_ids[i]; i++)
		if (zg_rule_matches(pattern, zg_rule_ids[i]))
			return true;
	return false;
}

/* ---- the checks ---- */

struct ctx {
	const struct zg_project *p;
	const struct zg_ledger *l;
	const struct zg_check_options *o;
	struct zg_diags *d;
	const struct zg_item *it;
	const struct zg_deadlines *dl;	/* NULL when zg.yaml has none */
	char *root_real;		/* the project root, resolved when needed */
	bool root_resolved;
	/* Evidence folders (project-relative) known to be there, or not. */
	char *folder_there, *folder_gone;
	/* The missing-evidence message, translated once a ledger: a ledger
	 * copied without its evidence folder has hundreds of them. */
	const char *says_missing;
};

static void report(struct ctx *c, enum zg_severity sev, const char *rule,
		   const struct zg_node *at, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void report(struct ctx *c, enum zg_severity sev, const char *rule,
		   const struct zg_node *at, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!at)
		at = c->it ? c->it->node : NULL;
	zg_diag_add_text(c->d, sev, rule, c->l->path, at ? at->start.line : 0,
			 at ? at->start.column : 0, zg_item_id(c->it), msg);
}

/* The node to point at for an item as a whole: its id, else its start. */
static const struct zg_node *item_place(const struct zg_item *it)
{
	return it->id ? it->id : it->node;
}

/*
 * True when key was written in the record's mapping with a value the
 * loader refused (a list where text belongs, say): the loader has spoken.
 * Blank text counts as not written, so that its absence is reported.
 */
static bool written(const struct zg_node *record, const char *key)
{
	const struct zg_node *v = zg_node_get(record, key);
	if (!v || zg_node_is_null(v))
		return false;
	return v->kind != ZG_SCALAR || v->text[strspn(v->text, " \t\r\n")] != '\0';
}

static bool date_ok(const struct zg_date_field *f)
{
	return f->node && f->ok;
}

static void fmt_date(struct zg_date d, char buf[static 11])
{
	zg_date_format(d, buf);
}

/* A deadline of zg.yaml by its member's offset: zg.yaml may lack them. */
static bool deadline(const struct ctx *c, size_t member, struct zg_date *out)
{
	if (!c->dl)
		return false;
	const struct zg_date_field *f =
		(const struct zg_date_field *)((const char *)c->dl + member);
	if (!date_ok(f))
		return false;
	*out = f->date;
	return true;
}

#define DEADLINE(name) offsetof(struct zg_deadlines, name)

static bool status_is(const struct zg_item *it, int s)
{
	return it->status.value == s;
}

/* done, staged or closed: the plan's work is over for this year. */
static bool finished(const struct zg_item *it)
{
	return status_is(it, ZG_DONE) || status_is(it, ZG_STAGED) ||
	       status_is(it, ZG_CLOSED);
}

/* ---- the five haves ---- */

static void check_task(struct ctx *c, const struct zg_plan *plan)
{
	char shown[ZG_EXCERPT_SIZE];
	if (!plan->task) {
		if (!written(plan->node, "task"))
			report(c, ZG_ERROR, "five-haves/task", plan->node, "%s",
			       _("有量化的工作任务: the plan has no 'task'; state the work with a quantity (e.g. 改造排水管网 3.2 公里)"));
		return;
	}
	if (!zg_words_has_quantity(plan->task->text))
		report(c, ZG_ERROR, "five-haves/task", plan->task,
		       _("有量化的工作任务: 'task' is '%s', which carries no quantity; say how much (a number, 3.2公里, 100%%, 两次)"),
		       zg_text_excerpt(plan->task->text, shown, sizeof shown));
}

static void check_timetable(struct ctx *c, const struct zg_plan *plan)
{
	bool start = plan->start.node, due = plan->due.node;
	if (!start || !due) {
		report(c, ZG_ERROR, "five-haves/timetable", plan->node,
		       _("有明确的时间表: the plan has no %s; give start and due dates"),
		       !start && !due ? _("'start' or 'due'") : !start ? "'start'" : "'due'");
		return;
	}
	if (date_ok(&plan->start) && date_ok(&plan->due) &&
	    zg_date_cmp(plan->start.date, plan->due.date) > 0) {
		char a[11], b[11];
		fmt_date(plan->start.date, a);
		fmt_date(plan->due.date, b);
		report(c, ZG_ERROR, "five-haves/timetable", plan->start.node,
		       _("有明确的时间表: 'start' %s is after 'due' %s"), a, b);
	}
}

static void check_roadmap(struct ctx *c, const struct zg_plan *plan)
{
	const char *rule = "five-haves/roadmap";
	/* Count the steps as written: a refused one was reported already. */
	size_t written_steps = plan->roadmap_node ? plan->roadmap_node->n : 0;
	if (written_steps < 2 && (plan->roadmap_node || !written(plan->node, "roadmap")))
		report(c, ZG_ERROR, rule,
		       plan->roadmap_node ? plan->roadmap_node : plan->node,
		       _("有可操作的推进路线图: the roadmap has %zu step(s); give at least 2 dated steps"),
		       written_steps);
	const struct zg_date_field *prev = NULL;
	for (size_t i = 0; i < plan->nroadmap; i++) {
		const struct zg_step *s = &plan->roadmap[i];
		bool no_due = !s->due.node, no_text = !s->step && !written(s->node, "step");
		if (no_due || no_text) {
			report(c, ZG_ERROR, rule, s->node,
			       _("有可操作的推进路线图: step %zu has no '%s'; each step needs a due date and what is to be done"),
			       i + 1, no_due ? "due" : "step");
		}
		if (!date_ok(&s->due))
			continue;
		char a[11], b[11];
		fmt_date(s->due.date, a);
		if (prev && zg_date_cmp(prev->date, s->due.date) > 0) {
			fmt_date(prev->date, b);
			report(c, ZG_ERROR, rule, s->due.node,
			       _("有可操作的推进路线图: step %zu is due %s, before the step above it (%s); list steps in date order"),
			       i + 1, a, b);
		}
		if (date_ok(&plan->start) &&
		    zg_date_cmp(s->due.date, plan->start.date) < 0) {
			fmt_date(plan->start.date, b);
			report(c, ZG_ERROR, rule, s->due.node,
			       _("有可操作的推进路线图: step %zu is due %s, before the plan starts (%s)"),
			       i + 1, a, b);
		}
		if (date_ok(&plan->due) &&
		    zg_date_cmp(s->due.date, plan->due.date) > 0) {
			fmt_date(plan->due.date, b);
			report(c, ZG_ERROR, rule, s->due.node,
			       _("有可操作的推进路线图: step %zu is due %s, after the plan is due (%s)"),
			       i + 1, a, b);
		}
		prev = &s->due;
	}
}

static void check_owner(struct ctx *c, const struct zg_plan *plan)
{
	const char *rule = "five-haves/owner";
	const struct zg_owner *o = plan->owner;
	if (!o) {
		if (!written(plan->node, "owner"))
			report(c, ZG_ERROR, rule, plan->node, "%s",
			       _("有具体的责任主体: the plan has no 'owner'; name the leader, the unit (股室) and the person"));
		return;
	}
	static const struct {
		const char *key, *zh;
		size_t off;
	} fields[] = {
		{ "leader", "责任领导", offsetof(struct zg_owner, leader) },
		{ "unit", "责任股室", offsetof(struct zg_owner, unit) },
		{ "person", "责任人", offsetof(struct zg_owner, person) },
	};
	for (size_t i = 0; i < 3; i++) {
		zg_text_t t = *(const zg_text_t *)((const char *)o + fields[i].off);
		if (!t && written(o->node, fields[i].key))
			continue;	/* the loader has said what is wrong */
		if (!t) {
			report(c, ZG_ERROR, rule, o->node,
			       _("责任主体不具体: '%s' (%s) is missing"),
			       fields[i].key, fields[i].zh);
			continue;
		}
		const char *vague = zg_words_vague_owner(t->text);
		char shown[ZG_EXCERPT_SIZE];
		if (vague)
			report(c, ZG_ERROR, rule, t,
			       _("责任主体不具体: '%s' (%s) is '%s'; name a specific %s"),
			       fields[i].key, fields[i].zh,
			       zg_text_excerpt(t->text, shown, sizeof shown),
			       i == 0 ? _("leader") : i == 1 ? _("unit or office") : _("person"));
	}
}

static void check_outcome(struct ctx *c, const struct zg_plan *plan)
{
	const char *rule = "five-haves/outcome";
	if (!plan->outcome) {
		if (!written(plan->node, "outcome"))
			report(c, ZG_ERROR, rule, plan->node, "%s",
			       _("有可以检验的成果形式: the plan has no 'outcome'; name what will prove it (验收报告, 照片, 台账 …)"));
		return;
	}
	char shown[ZG_EXCERPT_SIZE];
	if (!zg_words_checkable_outcome(plan->outcome->text))
		report(c, ZG_ERROR, rule, plan->outcome,
		       _("有可以检验的成果形式: 'outcome' is '%s', which names no form someone can check (报告, 照片, 台账, 数据, 记录, 验收 …)"),
		       zg_text_excerpt(plan->outcome->text, shown, sizeof shown));
}

static void check_plan(struct ctx *c)
{
	const struct zg_item *it = c->it;
	const struct zg_plan *plan = it->plan;
	if (it->category.value != ZG_CONSTRUCTIVE)
		return;
	if (!plan) {
		if (!written(it->node, "plan"))
			report(c, ZG_ERROR, "plan", item_place(it), "%s",
			       _("a constructive item needs a rectification plan (整改方案): add 'plan' with goal, task, standard, roadmap, start, due, owner and outcome"));
		return;
	}
	if (!plan->goal && !written(plan->node, "goal"))
		report(c, ZG_ERROR, "plan", plan->node, "%s",
		       _("the plan has no 'goal' (整改目标)"));
	if (!plan->standard && !written(plan->node, "standard"))
		report(c, ZG_ERROR, "plan", plan->node, "%s",
		       _("the plan has no 'standard' (整改标准)"));
	check_task(c, plan);
	check_roadmap(c, plan);
	check_timetable(c, plan);
	check_owner(c, plan);
	check_outcome(c, plan);

	struct zg_date complete;
	if (deadline(c, DEADLINE(complete), &complete)) {
		char a[11], b[11];
		fmt_date(complete, b);
		if (date_ok(&plan->due) && !plan->stage_target &&
		    zg_date_cmp(plan->due.date, complete) > 0) {
			fmt_date(plan->due.date, a);
			report(c, ZG_ERROR, "deadline/complete", plan->due.node,
			       _("the plan is due %s, after the deadline for completion (%s); state this year's stage target in 'stage_target' (当年度的整改目标)"),
			       a, b);
		}
		if (plan->stage_target) {
			bool staged_step = false;
			for (size_t i = 0; i < plan->nroadmap; i++)
				staged_step |= date_ok(&plan->roadmap[i].due) &&
					       zg_date_cmp(plan->roadmap[i].due.date, complete) <= 0;
			if (!staged_step)
				report(c, ZG_ERROR, "deadline/stage", plan->stage_target,
				       _("the stage target has no roadmap step due by %s; add the step that reaches it this year"),
				       b);
		}
	}

	if (it->plan_digest && zg_rule_wanted(c->o, "plan-locked")) {
		char digest[ZG_PLAN_DIGEST_SIZE];
		if (zg_plan_digest(plan, digest) != 0) {
			c->d->oom = true;
		} else if (strcmp(digest, it->plan_digest->text) != 0) {
			report(c, ZG_ERROR, "plan-locked", plan->node,
			       _("the plan was changed after it was submitted (plan_digest at line %u no longer matches); a submitted plan may not be modified (原则上不允许修改): undo the change, or record the approved change with zg-add amend"),
			       it->plan_digest->start.line);
		}
	}
}

/* ---- time ---- */

static void check_time(struct ctx *c)
{
	const struct zg_item *it = c->it;
	const struct zg_plan *plan = it->plan;
	struct zg_date as_of = c->o->as_of;
	char a[11], b[11];
	fmt_date(as_of, b);

	if (plan && date_ok(&plan->due) && it->status.value >= 0 &&
	    !finished(it)) {
		long late = zg_date_diff(plan->due.date, as_of);
		fmt_date(plan->due.date, a);
		if (late > 0)
			report(c, ZG_ERROR, "overdue", plan->due.node,
			       P_("overdue by %ld day: the plan was due %s and the status is still %s",
				  "overdue by %ld days: the plan was due %s and the status is still %s",
				  late),
			       late, a, zg_status_names[it->status.value]);
		else if (c->o->due_within >= 0 && late == 0)
			report(c, ZG_WARNING, "due-soon", plan->due.node,
			       _("the plan is due today, %s"), a);
		else if (c->o->due_within >= 0 && -late <= c->o->due_within)
			report(c, ZG_WARNING, "due-soon", plan->due.node,
			       P_("the plan is due %s, in %ld day", "the plan is due %s, in %ld days", -late),
			       a, -late);
	}
	if (plan && !status_is(it, ZG_DONE) && !status_is(it, ZG_CLOSED)) {
		for (size_t i = 0; i < plan->nroadmap; i++) {
			const struct zg_step *s = &plan->roadmap[i];
			if (!date_ok(&s->due) || s->done.node)
				continue;
			long late = zg_date_diff(s->due.date, as_of);
			fmt_date(s->due.date, a);
			if (late > 0)
				report(c, ZG_WARNING, "overdue/step", s->node,
				       P_("step %zu was due %s (%ld day ago) and has no 'done' date; record it with zg-add progress --step %zu",
					  "step %zu was due %s (%ld days ago) and has no 'done' date; record it with zg-add progress --step %zu",
					  late),
				       i + 1, a, late, i + 1);
			else if (c->o->due_within >= 0 && late == 0)
				report(c, ZG_WARNING, "due-soon", s->node,
				       _("step %zu is due today, %s"), i + 1, a);
			else if (c->o->due_within >= 0 && -late <= c->o->due_within)
				report(c, ZG_WARNING, "due-soon", s->node,
				       P_("step %zu is due %s, in %ld day", "step %zu is due %s, in %ld days", -late),
				       i + 1, a, -late);
		}
	}

	struct zg_date when;
	bool received_late = false;
	if (deadline(c, DEADLINE(submit), &when)) {
		/* A suggestion that arrived after the deadline has its own. */
		received_late = date_ok(&it->received) &&
				zg_date_cmp(it->received.date, when) > 0;
		fmt_date(when, a);
		if (zg_date_cmp(as_of, when) > 0 && !it->submitted.node &&
		    !received_late)
			report(c, ZG_ERROR, "deadline/submit", item_place(it),
			       _("not submitted, and the deadline for submission was %s (报送整改措施表、情况说明表和整改方案); record it with zg-add submit"),
			       a);
	}
	if (deadline(c, DEADLINE(publicise), &when)) {
		fmt_date(when, a);
		if (zg_date_cmp(as_of, when) > 0 && !it->published &&
		    !written(it->node, "published") && !received_late)
			report(c, ZG_ERROR, "deadline/publicise", item_place(it),
			       _("not published, and the deadline for publicity was %s; record it with zg-add publish"),
			       a);
	}
	if (it->category.value == ZG_CONSTRUCTIVE &&
	    deadline(c, DEADLINE(self_review), &when) &&
	    zg_date_cmp(as_of, when) > 0) {
		/*
		 * The self-review sums up measures, effect and satisfaction;
		 * a completion date is asked of finished items only (rule
		 * status), never of unfinished work.
		 */
		char missing[256] = "";
		if (!it->result && !written(it->node, "result"))
			strcat(missing, _(" 'result' (整改成效)"));
		if (!it->satisfaction.node) {
			if (missing[0])
				strcat(missing, _(","));
			strcat(missing, _(" 'satisfaction' (群众满意度)"));
		}
		fmt_date(when, a);
		if (missing[0])
			report(c, ZG_ERROR, "deadline/self-review", item_place(it),
			       _("the self-review was due %s and the item lacks%s"),
			       a, missing);
	}
}

/* ---- status ---- */

static void check_status(struct ctx *c)
{
	const struct zg_item *it = c->it;
	char a[11], b[11];
	if ((status_is(it, ZG_DONE) || status_is(it, ZG_CLOSED)) &&
	    !it->completed.node)
		report(c, ZG_ERROR, "status", it->status.node,
		       _("the status is %s but there is no 'completed' date (完成时间)"),
		       zg_status_names[it->status.value]);
	if (date_ok(&it->completed) &&
	    zg_date_cmp(it->completed.date, c->o->as_of) > 0) {
		fmt_date(it->completed.date, a);
		fmt_date(c->o->as_of, b);
		report(c, ZG_ERROR, "status", it->completed.node,
		       _("'completed' is %s, after %s: a completion cannot be in the future"),
		       a, b);
	}
	if (status_is(it, ZG_CLOSED) && !it->verification &&
	    !written(it->node, "verification"))
		report(c, ZG_ERROR, "status", it->status.node, "%s",
		       _("the status is closed (已销号) but there is no 'verification'; only the office's verification closes an item (zg-add verify)"));
}

static void check_other(struct ctx *c)
{
	const struct zg_item *it = c->it;
	if (it->category.value != ZG_OTHER)
		return;
	if (!it->explanation && !written(it->node, "explanation"))
		report(c, ZG_ERROR, "other/explanation", item_place(it), "%s",
		       _("an item of the other category needs an 'explanation' (情况说明)"));
	if (!it->cause && !written(it->node, "cause"))
		report(c, ZG_ERROR, "other/explanation", item_place(it), "%s",
		       _("an item of the other category needs a 'cause' (原因分析)"));
}

/* ---- evidence ---- */

/* True when '..' climbs above the project's root (evidence/../.. …). */
static bool climbs_out(const char *path)
{
	const char *p = path;
	long depth = 0;
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0)
				return true;
		} else if (n && !(n == 1 && p[0] == '.')) {
			depth++;
		}
		p += n;
		while (*p == '/')
			p++;
	}
	return false;
}

/*
 * True when a folder between evidence/ and the file is a link (an
 * evidence/ID folder linked elsewhere): then the file's real place must
 * be looked up.  Cheaper than resolving every path of the project.
 */
static bool has_link_above(const char *path)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof buf, "%s", path);
	char *slash;
	while ((slash = strrchr(buf, '/')) && slash > buf) {
		*slash = '\0';
		const char *name = strrchr(buf, '/') ? strrchr(buf, '/') + 1 : buf;
		struct stat st;
		if (lstat(buf, &st) == 0 && S_ISLNK(st.st_mode))
			return true;
		if (strcmp(name, "evidence") == 0)
			break;
	}
	return false;
}

static void remember(char **slot, const char *folder)
{
	free(*slot);
	*slot = strdup(folder);
}

/*
 * After an lstat of file failed: which of its folders are not there
 * either?  Deepest first, up to one that is there (each probed once), so
 * that the other files of a missing folder (evidence/ID/, or evidence/
 * itself) are known missing without a system call each.
 */
static void note_missing(struct ctx *c, const char *file)
{
	char rel[PATH_MAX];
	if (strlen(file) >= sizeof rel)
		return;
	strcpy(rel, file);
	char *slash;
	while ((slash = strrchr(rel, '/')) && slash > rel) {
		*slash = '\0';
		if (c->folder_there && strcmp(c->folder_there, rel) == 0)
			return;
		char *path = zg_project_path(c->p, rel);
		if (!path)
			return;
		struct stat st;
		bool there = lstat(path, &st) == 0;
		free(path);
		remember(there ? &c->folder_there : &c->folder_gone, rel);
		if (there)
			return;
	}
}

/* True when file lies in a folder found missing: its lstat would fail. */
static bool in_missing_folder(const struct ctx *c, const char *file)
{
	size_t n = c->folder_gone ? strlen(c->folder_gone) : 0;
	return n && strncmp(file, c->folder_gone, n) == 0 && file[n] == '/';
}

static void check_evidence_file(struct ctx *c, const struct zg_evidence *e)
{
	const char *file = e->file->text;
	char shown[ZG_EXCERPT_SIZE];
	zg_text_excerpt(file, shown, sizeof shown);
	if (file[0] == '/' || climbs_out(file)) {
		report(c, ZG_ERROR, "evidence/outside", e->file,
		       _("evidence path '%s' leaves the project; keep evidence under evidence/%s/"),
		       shown, zg_item_id(c->it) ? zg_item_id(c->it) : "ID");
		return;
	}
	/* Evidence is kept under evidence/ (a report lists these paths). */
	if (strncmp(file, "evidence/", 9) != 0) {
		report(c, ZG_ERROR, "evidence/outside", e->file,
		       _("evidence path '%s' is not under evidence/; keep evidence under evidence/%s/"),
		       shown, zg_item_id(c->it) ? zg_item_id(c->it) : "ID");
		return;
	}
	char *path = zg_project_path(c->p, file);
	if (!path) {
		c->d->oom = true;
		return;
	}
	/*
	 * lstat first: a missing file, the common finding, costs one call,
	 * and none in a folder already found missing.
	 */
	struct stat st;
	if (in_missing_folder(c, file) || lstat(path, &st) != 0) {
		if (!in_missing_folder(c, file))
			note_missing(c, file);
		if (!c->says_missing)
			c->says_missing = _("evidence file '%s' does not exist");
		report(c, ZG_ERROR, "evidence/missing", e->file,
		       c->says_missing, shown);
		free(path);
		return;
	}
	if (S_ISLNK(st.st_mode) && stat(path, &st) != 0) {
		report(c, ZG_ERROR, "evidence/missing", e->file,
		       _("evidence '%s' is a link to nothing"), shown);
		free(path);
		return;
	}
	/* Only a link can lead out once '..' and '/' are excluded. */
	char *real = NULL;
	struct stat lst;
	if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
		real = realpath(path, NULL);
	else
		real = has_link_above(path) ? realpath(path, NULL) : NULL;
	/* Resolved once, and only for a ledger whose evidence has links. */
	if (real && !c->root_resolved) {
		c->root_real = realpath(c->p->root, NULL);
		c->root_resolved = true;
	}
	if (real && c->root_real) {
		size_t n = strlen(c->root_real);
		if (strncmp(real, c->root_real, n) != 0 ||
		    (real[n] != '/' && real[n] != '\0')) {
			report(c, ZG_ERROR, "evidence/outside", e->file,
			       _("evidence '%s' is a link that leads out of the project; copy the file in instead"),
			       shown);
			free(real);
			free(path);
			return;
		}
	}
	free(real);
	if (!S_ISREG(st.st_mode)) {
		report(c, ZG_ERROR, "evidence/missing", e->file,
		       _("evidence '%s' is not a file"), shown);
	} else if (e->sha256) {
		char hex[ZG_SHA256_HEX + 1];
		int err = zg_sha256_file(path, hex);
		if (err)
			report(c, ZG_ERROR, "evidence/missing", e->file,
			       _("evidence '%s' cannot be read: %s"), shown,
			       strerror(err));
		else if (strcmp(hex, e->sha256->text) != 0)
			report(c, ZG_ERROR, "evidence/changed", e->sha256,
			       _("evidence '%s' has changed since it was recorded (its sha256 is now %.12s…); evidence is never edited: add the new version as a new file"),
			       shown, hex);
	}
	free(path);
}

static void check_evidence(struct ctx *c)
{
	static const char *const file_rules[] = {
		"evidence/missing", "evidence/outside", "evidence/changed", NULL,
	};
	const struct zg_item *it = c->it;
	bool files = want_any(c->o, file_rules);
	size_t count = 0;
	for (size_t i = 0; i < it->nprogress; i++) {
		const struct zg_progress *pr = &it->progress[i];
		for (size_t k = 0; k < pr->nevidence; k++) {
			if (!pr->evidence[k].file)
				continue;
			count++;
			if (files)
				check_evidence_file(c, &pr->evidence[k]);
		}
	}
	if (count)
		return;
	struct zg_date submit;
	bool after_submit = deadline(c, DEADLINE(submit), &submit) &&
			    zg_date_cmp(c->o->as_of, submit) > 0 &&
			    !(date_ok(&it->received) &&
			      zg_date_cmp(it->received.date, submit) > 0);
	if (finished(it))
		report(c, ZG_ERROR, "evidence/required", it->status.node,
		       _("the status is %s but no progress entry names any evidence (佐证材料); add it with zg-add progress --evidence FILE"),
		       zg_status_names[it->status.value]);
	else if (after_submit && it->status.value >= 0)
		report(c, ZG_ERROR, "evidence/required", item_place(it), "%s",
		       _("no evidence (佐证材料) yet, and the plans were due; keep a trace of the work (过程留痕) with zg-add progress --evidence FILE"));
}

/* ---- privacy ---- */

static void scan_text(struct ctx *c, const struct zg_node *n)
{
	struct zg_pii pii;
	if (!zg_pii_find(n->text, 0, &pii))
		return;
	char masked[256];
	zg_pii_mask_one(n->text, &pii, masked, sizeof masked);
	report(c, ZG_ERROR, "privacy/leak", n,
	       _("%s (%s) in the ledger; citizens' contact details belong only in private/contacts.yaml (zg-add --contact)"),
	       zg_pii_kind_name(pii.kind), masked);
}

/* Every scalar value below n, but the owner fields of a plan. */
static void scan_tree(struct ctx *c, const struct zg_node *n, int depth)
{
	if (!n || depth > ZG_TREE_MAX_DEPTH)
		return;
	switch (n->kind) {
	case ZG_SCALAR:
		scan_text(c, n);
		break;
	case ZG_SEQUENCE:
		for (size_t i = 0; i < n->n; i++)
			scan_tree(c, n->items[i], depth + 1);
		break;
	case ZG_MAPPING:
		for (size_t i = 0; i < n->n; i++) {
			const struct zg_pair *pr = &n->pairs[i];
			if (depth == 0 && zg_node_is(pr->key, "owner"))
				continue;
			/* Digests are hex, not text: a run of digits is chance. */
			if (zg_node_is(pr->key, "sha256") ||
			    zg_node_is(pr->key, "plan_digest"))
				continue;
			scan_tree(c, pr->value, depth + 1);
		}
		break;
	}
}

static void check_privacy(struct ctx *c)
{
	const struct zg_node *item = c->it->node;
	for (size_t i = 0; i < item->n; i++) {
		const struct zg_pair *pr = &item->pairs[i];
		/* A duplicate key's value is text in the file all the same. */
		if (zg_node_is(pr->key, "plan_digest"))
			continue;
		/* Inside plan, depth 1 is plan's own keys: skip its owner. */
		if (zg_node_is(pr->key, "plan"))
			scan_tree(c, pr->value, 0);
		else
			scan_tree(c, pr->value, 2);
	}
}

void zg_rules_check_ledger(const struct zg_project *p,
			   const struct zg_ledger *l,
			   const struct zg_check_options *o,
			   struct zg_diags *d)
{
	if (!l->doc)
		return;
	struct ctx c = {
		.p = p, .l = l, .o = o, .d = d,
		.dl = p->config ? p->config->deadlines : NULL,
	};
	static const char *const plan_rules[] = {
		"plan", "five-haves/task", "five-haves/roadmap",
		"five-haves/timetable", "five-haves/owner", "five-haves/outcome",
		"deadline/complete", "deadline/stage", "plan-locked", NULL,
	};
	static const char *const time_rules[] = {
		"overdue", "overdue/step", "due-soon", "deadline/submit",
		"deadline/publicise", "deadline/self-review", NULL,
	};
	static const char *const evidence_rules[] = {
		"evidence/required", "evidence/missing", "evidence/outside",
		"evidence/changed", NULL,
	};
	bool plan = want_any(o, plan_rules), time = want_any(o, time_rules);
	bool other = zg_rule_wanted(o, "other/explanation");
	bool status = zg_rule_wanted(o, "status");
	bool evidence = want_any(o, evidence_rules);
	bool privacy = zg_rule_wanted(o, "privacy/leak");
	for (size_t i = 0; i < l->doc->nitems; i++) {
		c.it = &l->doc->items[i];
		if (plan)
			check_plan(&c);
		if (other)
			check_other(&c);
		if (time)
			check_time(&c);
		if (status)
			check_status(&c);
		if (evidence)
			check_evidence(&c);
		if (privacy)
			check_privacy(&c);
	}
	free(c.root_real);
	free(c.folder_there);
	free(c.folder_gone);
}

/* ---- the project as a whole ---- */

static void check_mode(const struct zg_project *p, const char *rel,
		       mode_t want, struct zg_diags *d)
{
	char *path = zg_project_path(p, rel);
	struct stat st;
	if (!path) {
		d->oom = true;
		return;
	}
	if (stat(path, &st) == 0 && (st.st_mode & 077))
		zg_diag_add(d, ZG_ERROR, "privacy/perms", path, 0, 0, NULL,
			    _("open to group or others (mode %04o), and it holds citizens' contact details; run chmod %o '%s'"),
			    (unsigned)(st.st_mode & 07777), (unsigned)want, path);
	free(path);
}

static int git_status(const struct zg_project *p, const char *const *args)
{
	const char *argv[12] = { "git", "-C", p->root };
	size_t n = 3;
	for (size_t i = 0; args[i] && n < 11; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	struct zg_spawn_result r;
	if (zg_spawn(argv, &r) != 0)
		return -1;
	int status = r.status;
	zg_spawn_result_release(&r);
	return status;
}

void zg_rules_check_project(const struct zg_project *p,
			    const struct zg_check_options *o,
			    struct zg_diags *d)
{
	if (zg_rule_wanted(o, "privacy/perms")) {
		check_mode(p, "private", 0700, d);
		check_mode(p, "private/contacts.yaml", 0600, d);
	}
	if (!zg_rule_wanted(o, "privacy/git"))
		return;
	/* Without private/ there is nothing for git to leak: no git run. */
	char *private_dir = zg_project_path(p, "private");
	struct stat pst;
	bool has_private = private_dir && stat(private_dir, &pst) == 0;
	free(private_dir);
	if (!has_private)
		return;

	char *contacts = zg_project_path(p, "private/contacts.yaml");
	struct stat st;
	bool exists = contacts && lstat(contacts, &st) == 0;
	if (!contacts)
		d->oom = true;
	static const char *const inside[] = { "rev-parse", "--is-inside-work-tree", NULL };
	static const char *const tracked[] = { "ls-files", "--error-unmatch", "--", "private/contacts.yaml", NULL };
	static const char *const ignored[] = { "check-ignore", "-q", "--no-index", "--", "private/contacts.yaml", NULL };
	if (contacts && git_status(p, inside) == 0) {
		if (git_status(p, tracked) == 0)
			zg_diag_add(d, ZG_ERROR, "privacy/git", contacts, 0, 0, NULL, "%s",
				    _("tracked by git: citizens' contact details must never enter the history; run git rm --cached private/contacts.yaml and add /private/ to .gitignore"));
		else if (git_status(p, ignored) == 1)
			zg_diag_add(d, ZG_ERROR, "privacy/git", contacts, 0, 0, NULL,
				    _("%s by .gitignore: a 'git add .' would publish citizens' contact details; add /private/ to .gitignore"),
				    exists ? _("not ignored") : _("would not be ignored"));
	}
	free(contacts);
}
