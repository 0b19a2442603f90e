/*
 * test_rules.c - the rules of the rectification work (docs/rules.md, the
 * contract's section 3) on small projects: the 2018 deadlines of the seed
 * (submit 07-06, publicise 07-11, complete 11-20, self-review 11-30) and one
 * ledger written by each test, checked as of a chosen day.  Each finding is
 * asserted with its rule, severity, line and column (computed here from
 * the ledger text, in characters), and each rule at its boundaries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zg/date.h"
#include "zg/digest.h"
#include "zg/init.h"
#include "zg/project.h"
#include "zg/rules.h"

static char tmp[64];
static char start_dir[PATH_MAX];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	(void)state;
	assert_non_null(getcwd(start_dir, sizeof start_dir));
	snprintf(tmp, sizeof tmp, "/tmp/zg-test-rules-XXXXXX");
	assert_non_null(mkdtemp(tmp));
	assert_int_equal(chdir(tmp), 0);
	struct zg_init_options o;
	zg_init_defaults(&o);
	o.dir = "p";
	o.units = zg_luzhai_units;	/* zjj, 县住建局, first of the seed */
	o.nunits = 1;
	struct zg_error err;
	assert_int_equal(zg_init_create(&o, &err), 0);
	assert_int_equal(mkdir("p/evidence/zjj-001", 0755), 0);
	write_file("p/evidence/zjj-001/survey.pdf", "abc");
	write_file("outside.pdf", "abc");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(chdir(start_dir), 0);
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* ---- running the rules ---- */

struct run {
	char *text;		/* the ledger as written */
	struct zg_project p;
	struct zg_diags load;	/* the loader's and the project's findings */
	struct zg_diags d;	/* the rules' findings, sorted */
};

static struct run *run_at(const char *ledger, const char *as_of, long within)
{
	struct run *r = calloc(1, sizeof *r);
	assert_non_null(r);
	r->text = strdup(ledger);
	assert_non_null(r->text);
	write_file("p/ledgers/zjj.yaml", ledger);
	zg_diags_init(&r->load);
	zg_diags_init(&r->d);
	struct zg_error err;
	assert_int_equal(zg_project_open(&r->p, "p", &r->load, &err), 0);
	assert_int_equal(zg_project_load_ledgers(&r->p, NULL, 0, &r->load, &err), 0);
	assert_int_equal(r->p.nledgers, 1);
	struct zg_check_options o = { .due_within = within };
	assert_true(zg_date_parse(as_of, strlen(as_of), &o.as_of));
	zg_rules_check_ledger(&r->p, &r->p.ledgers[0], &o, &r->d);
	assert_false(r->d.oom);
	zg_diags_sort(&r->d);
	return r;
}

static struct run *run(const char *ledger, const char *as_of)
{
	return run_at(ledger, as_of, -1);
}

static void run_free(struct run *r)
{
	zg_project_release(&r->p);
	zg_diags_release(&r->load);
	zg_diags_release(&r->d);
	free(r->text);
	free(r);
}

static void dump(const struct zg_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		print_message("  %u:%u %s [%s] %s\n", d->v[i].line,
			      d->v[i].column, zg_severity_name(d->v[i].severity),
			      d->v[i].rule, d->v[i].message);
}

static size_t count(const struct run *r, const char *rule)
{
	size_t n = 0;
	for (size_t i = 0; i < r->d.n; i++)
		n += strcmp(r->d.v[i].rule, rule) == 0;
	return n;
}

static void expect_count(const struct run *r, const char *rule, size_t n)
{
	if (count(r, rule) != n) {
		dump(&r->d);
		fail_msg("%zu finding(s) of %s, want %zu", count(r, rule), rule, n);
	}
}

static void expect_clean(const struct run *r)
{
	if (r->load.n || r->d.n) {
		dump(&r->load);
		dump(&r->d);
		fail_msg("findings where none were expected");
	}
}

/*
 * Column (1-based, in characters) of the first needle on line of text,
 * computed from the text itself.
 */
static unsigned col_of(const char *text, unsigned line, const char *needle)
{
	const char *p = text;
	for (unsigned l = 1; l < line; l++) {
		p = strchr(p, '\n');
		assert_non_null(p);
		p++;
	}
	const char *end = strchr(p, '\n');
	const char *at = strstr(p, needle);
	if (!at || (end && at >= end))
		fail_msg("'%s' is not on line %u", needle, line);
	unsigned col = 1;
	for (const char *c = p; c < at; c++)
		col += ((unsigned char)*c & 0xC0) != 0x80;
	return col;
}

/*
 * The finding of rule at line, column of needle; asserts its severity,
 * its item and a part of its message.
 */
static const struct zg_diag *expect_at(const struct run *r, const char *rule,
				       enum zg_severity sev, unsigned line,
				       const char *needle, const char *item,
				       const char *part)
{
	unsigned col = col_of(r->text, line, needle);
	for (size_t i = 0; i < r->d.n; i++) {
		const struct zg_diag *g = &r->d.v[i];
		if (strcmp(g->rule, rule) != 0 || g->line != line ||
		    g->column != col)
			continue;
		assert_int_equal(g->severity, sev);
		assert_string_equal(g->file, "p/ledgers/zjj.yaml");
		if (item)
			assert_string_equal(g->item, item);
		if (part && !strstr(g->message, part))
			fail_msg("%s at %u:%u: '%s' lacks '%s'", rule, line, col,
				 g->message, part);
		return g;
	}
	dump(&r->d);
	fail_msg("no %s at %u:%u", rule, line, col);
	return NULL;
}

/* text with its only occurrence of from replaced by to (malloc'd). */
static char *edit(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	if (!at)
		fail_msg("'%s' is not in the ledger", from);
	if (strstr(at + 1, from))
		fail_msg("'%s' is not unique in the ledger", from);
	size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
	char *s = malloc(n);
	assert_non_null(s);
	snprintf(s, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	return s;
}

/* Runs base edited once. */
static struct run *run_edit(const char *base, const char *from, const char *to,
			    const char *as_of)
{
	char *s = edit(base, from, to);
	struct run *r = run(s, as_of);
	free(s);
	return r;
}

/* ---- the ledgers ---- */

/* A constructive item that meets the five haves; in progress, not yet
 * submitted (fine until 07-06). */
static const char good[] =
	"unit: zjj\n"							/* 1 */
	"items:\n"							/* 2 */
	"  - id: zjj-001\n"						/* 3 */
	"    category: constructive\n"					/* 4 */
	"    suggestions: [县城部分老旧小区雨天积水严重，希望改造排水管网。]\n" /* 5 */
	"    received: 2018-06-20\n"					/* 6 */
	"    plan:\n"							/* 7 */
	"      goal: 消除老旧小区雨天积水\n"				/* 8 */
	"      task: 改造排水管网 3.2 公里\n"				/* 9 */
	"      standard: 雨后两小时内路面无积水\n"			/* 10 */
	"      roadmap:\n"						/* 11 */
	"        - {due: 2018-08-15, step: 完成勘察设计}\n"		/* 12 */
	"        - {due: 2018-11-15, step: 完工验收}\n"			/* 13 */
	"      start: 2018-07-01\n"					/* 14 */
	"      due: 2018-11-15\n"					/* 15 */
	"      owner: {leader: 李某 副局长, unit: 县住建局城建股, person: 王某}\n" /* 16 */
	"      outcome: 竣工验收报告、整改前后对比照片\n"		/* 17 */
	"    status: in_progress\n";					/* 18 */

/* The same item when all is done: silent on any day after. */
static const char finished[] =
	"unit: zjj\n"							/* 1 */
	"items:\n"							/* 2 */
	"  - id: zjj-001\n"						/* 3 */
	"    category: constructive\n"					/* 4 */
	"    suggestions: [县城部分老旧小区雨天积水严重，希望改造排水管网。]\n" /* 5 */
	"    received: 2018-06-20\n"					/* 6 */
	"    plan:\n"							/* 7 */
	"      goal: 消除老旧小区雨天积水\n"				/* 8 */
	"      task: 改造排水管网 3.2 公里\n"				/* 9 */
	"      standard: 雨后两小时内路面无积水\n"			/* 10 */
	"      roadmap:\n"						/* 11 */
	"        - {due: 2018-08-15, step: 完成勘察设计, done: 2018-08-14}\n" /* 12 */
	"        - {due: 2018-11-15, step: 完工验收, done: 2018-11-12}\n" /* 13 */
	"      start: 2018-07-01\n"					/* 14 */
	"      due: 2018-11-15\n"					/* 15 */
	"      owner: {leader: 李某 副局长, unit: 县住建局城建股, person: 王某}\n" /* 16 */
	"      outcome: 竣工验收报告、整改前后对比照片\n"		/* 17 */
	"    submitted: 2018-07-05\n"					/* 18 */
	"    published: {date: 2018-07-10, where: 县住建局门户网站}\n"	/* 19 */
	"    progress:\n"						/* 20 */
	"      - date: 2018-08-14\n"					/* 21 */
	"        note: 完成勘察设计\n"					/* 22 */
	"        evidence: [evidence/zjj-001/survey.pdf]\n"		/* 23 */
	"    status: done\n"						/* 24 */
	"    completed: 2018-11-12\n"					/* 25 */
	"    result: 改造排水管网 3.2 公里，积水点全部消除\n"		/* 26 */
	"    satisfaction: 96\n";					/* 27 */

/* An item of the other category, explained. */
static const char other[] =
	"unit: zjj\n"							/* 1 */
	"items:\n"							/* 2 */
	"  - id: zjj-002\n"						/* 3 */
	"    category: other\n"						/* 4 */
	"    suggestions: [希望县城增设公交线路]\n"			/* 5 */
	"    investigation: 经调查，县城公交线路规划由县交通运输局负责\n" /* 6 */
	"    explanation: 已将意见转县交通运输局研究办理\n"		/* 7 */
	"    cause: 不属本单位职能\n"					/* 8 */
	"    status: in_progress\n";					/* 9 */

static void test_clean_items(void **state)
{
	(void)state;
	struct run *r = run(good, "2018-07-05");
	expect_clean(r);
	run_free(r);
	r = run(finished, "2018-12-31");
	expect_clean(r);
	run_free(r);
	r = run(other, "2018-07-06");
	expect_clean(r);
	run_free(r);
}

/* ---- the five haves ---- */

static void test_five_haves_task(void **state)
{
	(void)state;
	struct run *r = run_edit(good, "改造排水管网 3.2 公里", "进一步加强排水管网管理",
				 "2018-07-05");
	expect_count(r, "five-haves/task", 1);
	expect_at(r, "five-haves/task", ZG_ERROR, 9, "进一步", "zjj-001",
		  "进一步加强排水管网管理");
	assert_int_equal(r->d.n, 1);
	run_free(r);

	/* Chinese numerals count. */
	r = run_edit(good, "改造排水管网 3.2 公里", "每月开展两次排水管网巡查",
		     "2018-07-05");
	expect_clean(r);
	run_free(r);

	/* No task at all: the plan is pointed at. */
	r = run_edit(good, "      task: 改造排水管网 3.2 公里\n", "", "2018-07-05");
	expect_count(r, "five-haves/task", 1);
	expect_at(r, "five-haves/task", ZG_ERROR, 8, "goal", "zjj-001", "'task'");
	run_free(r);
}

static void test_five_haves_roadmap(void **state)
{
	(void)state;
	/* One step only. */
	struct run *r = run_edit(good, "        - {due: 2018-08-15, step: 完成勘察设计}\n",
				 "", "2018-07-05");
	expect_count(r, "five-haves/roadmap", 1);
	expect_at(r, "five-haves/roadmap", ZG_ERROR, 12, "-", "zjj-001", "1 step");
	run_free(r);

	/* No roadmap at all. */
	r = run_edit(good,
		     "      roadmap:\n"
		     "        - {due: 2018-08-15, step: 完成勘察设计}\n"
		     "        - {due: 2018-11-15, step: 完工验收}\n", "", "2018-07-05");
	expect_count(r, "five-haves/roadmap", 1);
	expect_at(r, "five-haves/roadmap", ZG_ERROR, 8, "goal", "zjj-001", "0 step");
	run_free(r);

	/* A step without a due date, and one without what is to be done. */
	r = run_edit(good, "{due: 2018-08-15, step: 完成勘察设计}", "{step: 完成勘察设计}",
		     "2018-07-05");
	expect_count(r, "five-haves/roadmap", 1);
	expect_at(r, "five-haves/roadmap", ZG_ERROR, 12, "{", "zjj-001", "'due'");
	run_free(r);
	r = run_edit(good, "{due: 2018-11-15, step: 完工验收}", "{due: 2018-11-15}",
		     "2018-07-05");
	expect_count(r, "five-haves/roadmap", 1);
	expect_at(r, "five-haves/roadmap", ZG_ERROR, 13, "{", "zjj-001", "'step'");
	run_free(r);

	/* Out of date order: the later-listed, earlier step is pointed at. */
	r = run_edit(good, "{due: 2018-11-15, step: 完工验收}",
		     "{due: 2018-08-14, step: 完工验收}", "2018-07-05");
	expect_count(r, "five-haves/roadmap", 1);
	expect_at(r, "five-haves/roadmap", ZG_ERROR, 13, "2018-08-14", "zjj-001",
		  "date order");
	run_free(r);

	/* Before the start, and after the due date of the plan. */
	r = run_edit(good, "{due: 2018-08-15,", "{due: 2018-06-30,", "2018-07-05");
	expect_count(r, "five-haves/roadmap", 1);
	expect_at(r, "five-haves/roadmap", ZG_ERROR, 12, "2018-06-30", "zjj-001",
		  "2018-07-01");
	run_free(r);
	r = run_edit(good, "{due: 2018-11-15, step: 完工验收}",
		     "{due: 2018-11-16, step: 完工验收}", "2018-07-05");
	expect_count(r, "five-haves/roadmap", 1);
	expect_at(r, "five-haves/roadmap", ZG_ERROR, 13, "2018-11-16", "zjj-001",
		  "2018-11-15");
	run_free(r);

	/* On the start and on the due date is inside. */
	char *s = edit(good, "{due: 2018-08-15,", "{due: 2018-07-01,");
	r = run(s, "2018-06-30");
	expect_clean(r);
	run_free(r);
	free(s);
}

static void test_five_haves_timetable(void **state)
{
	(void)state;
	struct run *r = run_edit(good, "      start: 2018-07-01\n", "", "2018-07-05");
	expect_count(r, "five-haves/timetable", 1);
	expect_at(r, "five-haves/timetable", ZG_ERROR, 8, "goal", "zjj-001", "'start'");
	run_free(r);

	r = run_edit(good, "      due: 2018-11-15\n", "", "2018-07-05");
	expect_count(r, "five-haves/timetable", 1);
	expect_at(r, "five-haves/timetable", ZG_ERROR, 8, "goal", "zjj-001", "'due'");
	run_free(r);

	/* Start after due (the steps between are then out of range too). */
	r = run_edit(good, "start: 2018-07-01", "start: 2018-11-16", "2018-07-05");
	expect_count(r, "five-haves/timetable", 1);
	expect_at(r, "five-haves/timetable", ZG_ERROR, 14, "2018-11-16", "zjj-001",
		  "after");
	run_free(r);

	/* Start on the due date is fine. */
	char *s = edit(good, "start: 2018-07-01", "start: 2018-08-15");
	char *t = edit(s, "      due: 2018-11-15\n", "      due: 2018-08-15\n");
	char *u = edit(t, "{due: 2018-11-15, step: 完工验收}", "{due: 2018-08-15, step: 完工验收}");
	r = run(u, "2018-07-05");
	expect_count(r, "five-haves/timetable", 0);
	expect_count(r, "five-haves/roadmap", 0);
	run_free(r);
	free(s);
	free(t);
	free(u);
}

static void test_five_haves_owner(void **state)
{
	(void)state;
	struct run *r = run_edit(good, "unit: 县住建局城建股", "unit: 县住建局相关部门",
				 "2018-07-05");
	expect_count(r, "five-haves/owner", 1);
	expect_at(r, "five-haves/owner", ZG_ERROR, 16, "县住建局相关部门", "zjj-001",
		  "'unit'");
	run_free(r);

	r = run_edit(good, "leader: 李某 副局长", "leader: 领导", "2018-07-05");
	expect_count(r, "five-haves/owner", 1);
	expect_at(r, "five-haves/owner", ZG_ERROR, 16, "领导", "zjj-001", "'leader'");
	run_free(r);

	r = run_edit(good, "person: 王某", "person: 待定", "2018-07-05");
	expect_count(r, "five-haves/owner", 1);
	expect_at(r, "five-haves/owner", ZG_ERROR, 16, "待定", "zjj-001", "'person'");
	run_free(r);

	/* 无 inside a name, and 领导 with a name, name someone. */
	char *s = edit(good, "unit: 县住建局城建股", "unit: 县住建局无障碍股");
	r = run_edit(s, "leader: 李某 副局长", "leader: 分管领导李某", "2018-07-05");
	expect_clean(r);
	run_free(r);
	free(s);

	/* A missing person: the owner mapping is pointed at. */
	r = run_edit(good, ", person: 王某}", "}", "2018-07-05");
	expect_count(r, "five-haves/owner", 1);
	expect_at(r, "five-haves/owner", ZG_ERROR, 16, "{", "zjj-001", "'person'");
	run_free(r);

	/* Three vague fields, three findings. */
	r = run_edit(good, "{leader: 李某 副局长, unit: 县住建局城建股, person: 王某}",
		     "{leader: 待定, unit: 各股室, person: TBD}", "2018-07-05");
	expect_count(r, "five-haves/owner", 3);
	run_free(r);

	/* No owner at all. */
	r = run_edit(good, "      owner: {leader: 李某 副局长, unit: 县住建局城建股, person: 王某}\n",
		     "", "2018-07-05");
	expect_count(r, "five-haves/owner", 1);
	expect_at(r, "five-haves/owner", ZG_ERROR, 8, "goal", "zjj-001", "'owner'");
	run_free(r);
}

static void test_five_haves_outcome(void **state)
{
	(void)state;
	struct run *r = run_edit(good, "outcome: 竣工验收报告、整改前后对比照片",
				 "outcome: 群众满意", "2018-07-05");
	expect_count(r, "five-haves/outcome", 1);
	expect_at(r, "five-haves/outcome", ZG_ERROR, 17, "群众满意", "zjj-001",
		  "群众满意");
	assert_int_equal(r->d.n, 1);
	run_free(r);

	r = run_edit(good, "outcome: 竣工验收报告、整改前后对比照片",
		     "outcome: 满意度测评数据", "2018-07-05");
	expect_clean(r);
	run_free(r);

	r = run_edit(good, "      outcome: 竣工验收报告、整改前后对比照片\n", "",
		     "2018-07-05");
	expect_count(r, "five-haves/outcome", 1);
	expect_at(r, "five-haves/outcome", ZG_ERROR, 8, "goal", "zjj-001", "'outcome'");
	run_free(r);
}

static void test_plan(void **state)
{
	(void)state;
	/* A constructive item without a plan: the id is pointed at. */
	struct run *r = run(
		"unit: zjj\n"
		"items:\n"
		"  - id: zjj-001\n"
		"    category: constructive\n"
		"    suggestions: [县城部分老旧小区雨天积水严重]\n"
		"    status: not_started\n", "2018-07-05");
	expect_count(r, "plan", 1);
	expect_at(r, "plan", ZG_ERROR, 3, "zjj-001", "zjj-001", "整改方案");
	assert_int_equal(r->d.n, 1);
	run_free(r);

	/* A plan without goal and standard: the plan is pointed at, twice. */
	char *s = edit(good, "      goal: 消除老旧小区雨天积水\n", "");
	r = run_edit(s, "      standard: 雨后两小时内路面无积水\n", "", "2018-07-05");
	expect_count(r, "plan", 2);
	assert_string_equal(r->d.v[0].rule, "plan");
	assert_int_equal(r->d.v[0].line, 8);
	assert_int_equal(r->d.v[0].column, col_of(r->text, 8, "task"));
	assert_non_null(strstr(r->d.v[0].message, "'goal'"));
	assert_int_equal(r->d.v[1].line, 8);
	assert_non_null(strstr(r->d.v[1].message, "'standard'"));
	run_free(r);
	free(s);

	/* The other category needs no plan. */
	r = run(other, "2018-07-05");
	expect_count(r, "plan", 0);
	run_free(r);
}

/* ---- deadlines of the plan ---- */

static void test_deadline_complete(void **state)
{
	(void)state;
	/* Due the day after 11-20 without a stage target. */
	char *s = edit(good, "      due: 2018-11-15\n", "      due: 2018-11-21\n");
	struct run *r = run(s, "2018-07-05");
	expect_count(r, "deadline/complete", 1);
	expect_at(r, "deadline/complete", ZG_ERROR, 15, "2018-11-21", "zjj-001",
		  "2018-11-20");
	assert_int_equal(r->d.n, 1);
	run_free(r);

	/* With a stage target and a step due by 11-20, silent. */
	r = run_edit(s, "      due: 2018-11-21\n",
		     "      due: 2018-11-21\n      stage_target: 完成主体工程\n",
		     "2018-07-05");
	expect_clean(r);
	run_free(r);
	free(s);

	/* Due on the deadline itself. */
	r = run_edit(good, "      due: 2018-11-15\n", "      due: 2018-11-20\n",
		     "2018-07-05");
	expect_clean(r);
	run_free(r);
}

static void test_deadline_stage(void **state)
{
	(void)state;
	/* Every step after 11-20: the stage target is not reached this year. */
	char *a = edit(good, "{due: 2018-08-15,", "{due: 2018-11-21,");
	char *b = edit(a, "{due: 2018-11-15, step: 完工验收}", "{due: 2018-12-20, step: 完工验收}");
	char *c = edit(b, "      due: 2018-11-15\n",
		       "      due: 2018-12-31\n      stage_target: 完成主体工程\n");
	struct run *r = run(c, "2018-07-05");
	expect_count(r, "deadline/stage", 1);
	expect_at(r, "deadline/stage", ZG_ERROR, 16, "完成主体工程", "zjj-001",
		  "2018-11-20");
	expect_count(r, "deadline/complete", 0);
	assert_int_equal(r->d.n, 1);
	run_free(r);

	/* A step due on 11-20 reaches it. */
	r = run_edit(c, "{due: 2018-11-21,", "{due: 2018-11-20,", "2018-07-05");
	expect_clean(r);
	run_free(r);
	free(a);
	free(b);
	free(c);
}

/* ---- time ---- */

static void test_overdue(void **state)
{
	(void)state;
	/* Step 1 is done, so that only the plan's due date speaks. */
	char *s = edit(good, "step: 完成勘察设计}", "step: 完成勘察设计, done: 2018-08-14}");
	struct run *r = run(s, "2018-11-15");
	expect_count(r, "overdue", 0);
	run_free(r);

	r = run(s, "2018-11-16");
	expect_count(r, "overdue", 1);
	const struct zg_diag *g = expect_at(r, "overdue", ZG_ERROR, 15, "2018-11-15",
					    "zjj-001", "overdue by 1 day:");
	assert_non_null(strstr(g->message, "in_progress"));
	run_free(r);

	r = run(s, "2018-11-17");
	expect_at(r, "overdue", ZG_ERROR, 15, "2018-11-15", "zjj-001",
		  "overdue by 2 days");
	run_free(r);

	r = run_edit(s, "status: in_progress", "status: not_started", "2018-12-25");
	expect_at(r, "overdue", ZG_ERROR, 15, "2018-11-15", "zjj-001",
		  "overdue by 40 days");
	run_free(r);

	/* Done, staged and closed are not overdue. */
	static const char *const over[] = {
		"status: done\n    completed: 2018-11-12\n",
		"status: staged\n",
		("status: closed\n    completed: 2018-11-12\n"
		 "    verification: {date: 2018-12-10, by: 县绩效办, score: 95}\n"),
	};
	for (size_t i = 0; i < 3; i++) {
		r = run_edit(s, "status: in_progress\n", over[i], "2018-12-25");
		expect_count(r, "overdue", 0);
		run_free(r);
	}
	free(s);
}

static void test_overdue_step(void **state)
{
	(void)state;
	struct run *r = run(good, "2018-08-15");
	expect_count(r, "overdue/step", 0);
	run_free(r);

	r = run(good, "2018-08-16");
	expect_count(r, "overdue/step", 1);
	expect_at(r, "overdue/step", ZG_WARNING, 12, "{", "zjj-001", "1 day ago");
	run_free(r);

	/* Both steps late on 11-25, step 1 by 102 days. */
	r = run(good, "2018-11-25");
	expect_count(r, "overdue/step", 2);
	expect_at(r, "overdue/step", ZG_WARNING, 12, "{", "zjj-001", "102 days ago");
	expect_at(r, "overdue/step", ZG_WARNING, 13, "{", "zjj-001", "step 2");
	run_free(r);

	/* A step with its done date is not late. */
	r = run_edit(good, "step: 完成勘察设计}", "step: 完成勘察设计, done: 2018-08-20}",
		     "2018-08-25");
	expect_count(r, "overdue/step", 0);
	run_free(r);

	/* Nor any step of a finished item. */
	r = run_edit(good, "status: in_progress\n",
		     "status: done\n    completed: 2018-11-12\n", "2018-11-25");
	expect_count(r, "overdue/step", 0);
	run_free(r);
}

static void test_due_soon(void **state)
{
	(void)state;
	char *s = edit(good, "step: 完成勘察设计}", "step: 完成勘察设计, done: 2018-08-14}");
	/* Off unless asked for. */
	struct run *r = run(s, "2018-11-12");
	expect_count(r, "due-soon", 0);
	run_free(r);

	/* 3 days before, within 3: the plan and its last step. */
	r = run_at(s, "2018-11-12", 3);
	expect_count(r, "due-soon", 2);
	expect_at(r, "due-soon", ZG_WARNING, 15, "2018-11-15", "zjj-001", "in 3 days");
	expect_at(r, "due-soon", ZG_WARNING, 13, "{", "zjj-001", "in 3 days");
	run_free(r);

	/* 4 days before, within 3: not yet. */
	r = run_at(s, "2018-11-11", 3);
	expect_count(r, "due-soon", 0);
	run_free(r);

	/* The day itself is within any window, 0 included. */
	r = run_at(s, "2018-11-15", 3);
	expect_count(r, "due-soon", 2);
	expect_at(r, "due-soon", ZG_WARNING, 15, "2018-11-15", "zjj-001", "due today");
	expect_count(r, "overdue", 0);
	run_free(r);
	r = run_at(s, "2018-11-15", 0);
	expect_count(r, "due-soon", 2);
	run_free(r);
	r = run_at(s, "2018-11-14", 0);
	expect_count(r, "due-soon", 0);
	run_free(r);

	/* The day after it is overdue, not due soon. */
	r = run_at(s, "2018-11-16", 3);
	expect_count(r, "due-soon", 0);
	expect_count(r, "overdue", 1);
	run_free(r);

	/* A finished plan is not due. */
	r = run_edit(s, "status: in_progress\n",
		     "status: done\n    completed: 2018-11-12\n", "2018-11-12");
	expect_count(r, "due-soon", 0);
	run_free(r);
	free(s);
}

static void test_deadline_submit(void **state)
{
	(void)state;
	struct run *r = run(good, "2018-07-06");
	expect_count(r, "deadline/submit", 0);
	run_free(r);

	r = run(good, "2018-07-07");
	expect_count(r, "deadline/submit", 1);
	expect_at(r, "deadline/submit", ZG_ERROR, 3, "zjj-001", "zjj-001", "2018-07-06");
	run_free(r);

	r = run_edit(good, "status: in_progress\n",
		     "status: in_progress\n    submitted: 2018-07-06\n", "2018-07-07");
	expect_count(r, "deadline/submit", 0);
	run_free(r);

	/* A suggestion received after the deadline is not late for it. */
	r = run_edit(good, "received: 2018-06-20", "received: 2018-07-07", "2018-07-20");
	expect_count(r, "deadline/submit", 0);
	run_free(r);
	r = run_edit(good, "received: 2018-06-20", "received: 2018-07-06", "2018-07-20");
	expect_count(r, "deadline/submit", 1);
	run_free(r);

	/* Other items are submitted too (the explanation table). */
	r = run(other, "2018-07-07");
	expect_count(r, "deadline/submit", 1);
	expect_at(r, "deadline/submit", ZG_ERROR, 3, "zjj-002", "zjj-002", NULL);
	run_free(r);
}

static void test_deadline_publicise(void **state)
{
	(void)state;
	char *s = edit(good, "status: in_progress\n",
		       "status: in_progress\n    submitted: 2018-07-05\n");
	struct run *r = run(s, "2018-07-11");
	expect_count(r, "deadline/publicise", 0);
	run_free(r);

	r = run(s, "2018-07-12");
	expect_count(r, "deadline/publicise", 1);
	expect_at(r, "deadline/publicise", ZG_ERROR, 3, "zjj-001", "zjj-001",
		  "2018-07-11");
	run_free(r);

	r = run_edit(s, "    submitted: 2018-07-05\n",
		     "    submitted: 2018-07-05\n"
		     "    published: {date: 2018-07-10, where: 县住建局门户网站}\n",
		     "2018-07-12");
	expect_count(r, "deadline/publicise", 0);
	run_free(r);

	/* Received after the deadline: exempt. */
	r = run_edit(s, "received: 2018-06-20", "received: 2018-07-12", "2018-07-20");
	expect_count(r, "deadline/publicise", 0);
	run_free(r);
	free(s);
}

static void test_deadline_self_review(void **state)
{
	(void)state;
	/* finished without completed, result and satisfaction, but done
	 * would need completed: use staged. */
	char *a = edit(finished, "    status: done\n", "    status: staged\n");
	char *b = edit(a, "    completed: 2018-11-12\n", "");
	char *c = edit(b, "    result: 改造排水管网 3.2 公里，积水点全部消除\n", "");
	char *d = edit(c, "    satisfaction: 96\n", "");
	struct run *r = run(d, "2018-11-30");
	expect_count(r, "deadline/self-review", 0);
	run_free(r);

	r = run(d, "2018-12-01");
	expect_count(r, "deadline/self-review", 1);
	const struct zg_diag *g = expect_at(r, "deadline/self-review", ZG_ERROR, 3,
					    "zjj-001", "zjj-001", "2018-11-30");
	assert_non_null(strstr(g->message, "'result'"));
	assert_non_null(strstr(g->message, "'satisfaction'"));
	/* A staged item has no completion date yet. */
	assert_null(strstr(g->message, "'completed'"));
	run_free(r);

	/* In progress: never asked for a completion date of unfinished work. */
	r = run_edit(d, "    status: staged\n", "    status: in_progress\n", "2018-12-01");
	g = expect_at(r, "deadline/self-review", ZG_ERROR, 3, "zjj-001", "zjj-001",
		      "'result'");
	assert_null(strstr(g->message, "'completed'"));
	run_free(r);

	/* Only the missing satisfaction. */
	r = run_edit(finished, "    satisfaction: 96\n", "", "2018-12-01");
	expect_count(r, "deadline/self-review", 1);
	g = expect_at(r, "deadline/self-review", ZG_ERROR, 3, "zjj-001", "zjj-001",
		      "'satisfaction'");
	assert_null(strstr(g->message, "'result'"));
	assert_null(strstr(g->message, "'completed'"));
	run_free(r);

	/* The other category has no completion table. */
	r = run(other, "2018-12-01");
	expect_count(r, "deadline/self-review", 0);
	run_free(r);
	free(a);
	free(b);
	free(c);
	free(d);
}

/* ---- other ---- */

static void test_other_explanation(void **state)
{
	(void)state;
	struct run *r = run_edit(other, "    explanation: 已将意见转县交通运输局研究办理\n",
				 "", "2018-07-05");
	expect_count(r, "other/explanation", 1);
	expect_at(r, "other/explanation", ZG_ERROR, 3, "zjj-002", "zjj-002",
		  "'explanation'");
	assert_int_equal(r->d.n, 1);
	run_free(r);

	r = run_edit(other, "    cause: 不属本单位职能\n", "", "2018-07-05");
	expect_count(r, "other/explanation", 1);
	expect_at(r, "other/explanation", ZG_ERROR, 3, "zjj-002", "zjj-002", "'cause'");
	run_free(r);

	char *s = edit(other, "    cause: 不属本单位职能\n", "");
	r = run_edit(s, "    explanation: 已将意见转县交通运输局研究办理\n", "", "2018-07-05");
	expect_count(r, "other/explanation", 2);
	run_free(r);
	free(s);

	/* A constructive item needs neither. */
	r = run(good, "2018-07-05");
	expect_count(r, "other/explanation", 0);
	run_free(r);
}

/* ---- evidence ---- */

static void test_evidence_required(void **state)
{
	(void)state;
	/* A done item without evidence: the status is pointed at. */
	char *s = edit(finished,
		       "    progress:\n"
		       "      - date: 2018-08-14\n"
		       "        note: 完成勘察设计\n"
		       "        evidence: [evidence/zjj-001/survey.pdf]\n", "");
	struct run *r = run(s, "2018-12-31");
	expect_count(r, "evidence/required", 1);
	expect_at(r, "evidence/required", ZG_ERROR, 20, "done", "zjj-001", "done");
	run_free(r);

	/* A progress entry without evidence is no evidence. */
	r = run_edit(finished, "        evidence: [evidence/zjj-001/survey.pdf]\n", "",
		     "2018-12-31");
	expect_count(r, "evidence/required", 1);
	run_free(r);

	/* Staged and closed need it too; before the submit deadline. */
	r = run_edit(s, "status: done", "status: staged", "2018-07-05");
	expect_count(r, "evidence/required", 1);
	run_free(r);
	free(s);

	/* In progress: only once the plans were due. */
	r = run(good, "2018-07-06");
	expect_count(r, "evidence/required", 0);
	run_free(r);
	r = run(good, "2018-07-07");
	expect_count(r, "evidence/required", 1);
	expect_at(r, "evidence/required", ZG_ERROR, 3, "zjj-001", "zjj-001", NULL);
	run_free(r);
	r = run_edit(good, "received: 2018-06-20", "received: 2018-07-10", "2018-07-20");
	expect_count(r, "evidence/required", 0);
	run_free(r);
}

/* finished with the evidence entry replaced (line 23). */
static struct run *with_evidence(const char *entry, const char *as_of)
{
	char line[PATH_MAX + 128];
	snprintf(line, sizeof line, "        evidence: [%s]\n", entry);
	return run_edit(finished, "        evidence: [evidence/zjj-001/survey.pdf]\n",
			line, as_of);
}

static void test_evidence_files(void **state)
{
	(void)state;
	char abc[ZG_SHA256_HEX + 1], entry[256];
	zg_sha256_hex("abc", 3, abc);

	struct run *r = with_evidence("evidence/zjj-001/minutes.pdf", "2018-12-31");
	expect_count(r, "evidence/missing", 1);
	expect_at(r, "evidence/missing", ZG_ERROR, 23, "evidence/zjj-001/minutes.pdf",
		  "zjj-001", "does not exist");
	expect_count(r, "evidence/required", 0);
	run_free(r);

	r = with_evidence("../outside.pdf", "2018-12-31");
	expect_count(r, "evidence/outside", 1);
	expect_at(r, "evidence/outside", ZG_ERROR, 23, "../outside.pdf", "zjj-001", NULL);
	expect_count(r, "evidence/missing", 0);
	run_free(r);

	r = with_evidence("evidence/../../outside.pdf", "2018-12-31");
	expect_count(r, "evidence/outside", 1);
	run_free(r);

	char abs[PATH_MAX + 32];
	snprintf(abs, sizeof abs, "%s/outside.pdf", tmp);
	r = with_evidence(abs, "2018-12-31");
	expect_count(r, "evidence/outside", 1);
	expect_at(r, "evidence/outside", ZG_ERROR, 23, abs, "zjj-001", NULL);
	run_free(r);

	/* A link inside evidence/ that leads out. */
	snprintf(abs, sizeof abs, "%s/outside.pdf", tmp);
	assert_int_equal(symlink(abs, "p/evidence/zjj-001/link.pdf"), 0);
	r = with_evidence("evidence/zjj-001/link.pdf", "2018-12-31");
	expect_count(r, "evidence/outside", 1);
	expect_at(r, "evidence/outside", ZG_ERROR, 23, "evidence/zjj-001/link.pdf",
		  "zjj-001", "link");
	run_free(r);

	/* Recorded sha256 matches: silent; another: changed, at the sha256. */
	snprintf(entry, sizeof entry,
		 "{file: evidence/zjj-001/survey.pdf, kind: report, sha256: %s}", abc);
	r = with_evidence(entry, "2018-12-31");
	expect_clean(r);
	run_free(r);

	char other_hex[ZG_SHA256_HEX + 1];
	zg_sha256_hex("abd", 3, other_hex);
	snprintf(entry, sizeof entry,
		 "{file: evidence/zjj-001/survey.pdf, kind: report, sha256: %s}",
		 other_hex);
	r = with_evidence(entry, "2018-12-31");
	expect_count(r, "evidence/changed", 1);
	expect_at(r, "evidence/changed", ZG_ERROR, 23, other_hex, "zjj-001",
		  "survey.pdf");
	assert_int_equal(r->d.n, 1);
	run_free(r);
}

/* ---- status ---- */

static void test_status(void **state)
{
	(void)state;
	/* done without completed. */
	struct run *r = run_edit(finished, "    completed: 2018-11-12\n", "", "2018-12-31");
	expect_count(r, "status", 1);
	expect_at(r, "status", ZG_ERROR, 24, "done", "zjj-001", "'completed'");
	run_free(r);

	/* completed after as-of; on as-of is fine. */
	r = run(finished, "2018-11-11");
	expect_count(r, "status", 1);
	expect_at(r, "status", ZG_ERROR, 25, "2018-11-12", "zjj-001", "2018-11-11");
	run_free(r);
	r = run(finished, "2018-11-12");
	expect_count(r, "status", 0);
	run_free(r);

	/* closed without verification; with it, silent. */
	r = run_edit(finished, "    status: done\n", "    status: closed\n", "2018-12-31");
	expect_count(r, "status", 1);
	expect_at(r, "status", ZG_ERROR, 24, "closed", "zjj-001", "verification");
	run_free(r);
	r = run_edit(finished, "    status: done\n",
		     "    status: closed\n"
		     "    verification: {date: 2018-12-10, by: 县绩效办, score: 95}\n",
		     "2018-12-31");
	expect_clean(r);
	run_free(r);
}

/* ---- plan-locked ---- */

/* The canonical text of good's plan, written down from the format. */
static const char good_canonical[] =
	"zg-plan-1\n"
	"goal=消除老旧小区雨天积水\n"
	"task=改造排水管网 3.2 公里\n"
	"standard=雨后两小时内路面无积水\n"
	"start=2018-07-01\n"
	"due=2018-11-15\n"
	"outcome=竣工验收报告、整改前后对比照片\n"
	"owner.leader=李某 副局长\n"
	"owner.unit=县住建局城建股\n"
	"owner.person=王某\n"
	"roadmap.1.due=2018-08-15\n"
	"roadmap.1.step=完成勘察设计\n"
	"roadmap.2.due=2018-11-15\n"
	"roadmap.2.step=完工验收\n";

static void test_plan_locked(void **state)
{
	(void)state;
	char hex[ZG_SHA256_HEX + 1], lines[256];
	zg_sha256_hex(good_canonical, strlen(good_canonical), hex);
	snprintf(lines, sizeof lines,
		 "    status: in_progress\n"
		 "    submitted: 2018-07-05\n"
		 "    plan_digest: sha256:%s\n", hex);
	char *locked = edit(good, "    status: in_progress\n", lines);

	struct run *r = run(locked, "2018-07-06");
	expect_clean(r);
	run_free(r);

	/* Reformatting and marking a step done keep the lock. */
	r = run_edit(locked, "step: 完成勘察设计}", "step: \"完成勘察设计\", done: 2018-08-14}",
		     "2018-07-06");
	expect_clean(r);
	run_free(r);

	/* Any change to a value breaks it: the plan is pointed at. */
	r = run_edit(locked, "3.2 公里", "3.0 公里", "2018-07-06");
	expect_count(r, "plan-locked", 1);
	expect_at(r, "plan-locked", ZG_ERROR, 8, "goal", "zjj-001", "line 20");
	assert_int_equal(r->d.n, 1);
	run_free(r);
	r = run_edit(locked, "person: 王某", "person: 赵某", "2018-07-06");
	expect_count(r, "plan-locked", 1);
	run_free(r);

	/* Without a digest there is nothing to lock. */
	r = run_edit(good, "3.2 公里", "3.0 公里", "2018-07-05");
	expect_count(r, "plan-locked", 0);
	run_free(r);
	free(locked);
}

/* ---- privacy ---- */

static void test_privacy_leak(void **state)
{
	(void)state;
	/* A mobile in the investigation: masked in the message. */
	struct run *r = run_edit(other, "经调查，", "经回访群众（电话13812345678），",
				 "2018-07-05");
	expect_count(r, "privacy/leak", 1);
	const struct zg_diag *g = expect_at(r, "privacy/leak", ZG_ERROR, 6, "经回访",
					    "zjj-002", "138****5678");
	assert_null(strstr(g->message, "13812345678"));
	assert_int_equal(r->d.n, 1);
	run_free(r);

	/* An e-mail in a suggestion, an ID card in a progress note. */
	r = run_edit(other, "[希望县城增设公交线路]",
		     "[希望县城增设公交线路，回复至 zhang.san@example.cn]", "2018-07-05");
	expect_count(r, "privacy/leak", 1);
	expect_at(r, "privacy/leak", ZG_ERROR, 5, "希望", "zjj-002", "z***@example.cn");
	run_free(r);
	r = run_edit(finished, "note: 完成勘察设计", "note: 回访群众，身份证号440524188001010014",
		     "2018-12-31");
	expect_count(r, "privacy/leak", 1);
	expect_at(r, "privacy/leak", ZG_ERROR, 22, "回访", "zjj-001", "4405**********0014");
	run_free(r);

	/* In the owner fields, a phone is the officer's own and allowed. */
	r = run_edit(good, "person: 王某", "person: 王某 13912345678", "2018-07-05");
	expect_count(r, "privacy/leak", 0);
	expect_clean(r);
	run_free(r);
	r = run_edit(good, "leader: 李某 副局长", "leader: 李某 副局长 li@luzhai.gov.cn",
		     "2018-07-05");
	expect_clean(r);
	run_free(r);

	/* Elsewhere in the plan, it is not. */
	r = run_edit(good, "step: 完工验收}", "step: 完工验收，联系13912345678}",
		     "2018-07-05");
	expect_count(r, "privacy/leak", 1);
	expect_at(r, "privacy/leak", ZG_ERROR, 13, "完工验收", "zjj-001", "139****5678");
	run_free(r);

	/* Numbers that are not personal data are not findings. */
	r = run_edit(good, "改造排水管网 3.2 公里", "改造排水管网 3.2 公里，投资 1380 万元",
		     "2018-07-05");
	expect_clean(r);
	run_free(r);
}

static size_t count_diags(const struct zg_diags *d, const char *rule)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		n += strcmp(d->v[i].rule, rule) == 0;
	return n;
}

static void check_project(struct zg_diags *d)
{
	struct zg_project p;
	struct zg_diags load;
	struct zg_error err;
	zg_diags_init(&load);
	assert_int_equal(zg_project_open(&p, "p", &load, &err), 0);
	struct zg_check_options o = { .due_within = -1 };
	assert_true(zg_date_parse("2018-07-05", 10, &o.as_of));
	zg_rules_check_project(&p, &o, d);
	zg_diags_sort(d);
	zg_project_release(&p);
	zg_diags_release(&load);
}

static void test_privacy_perms(void **state)
{
	(void)state;
	struct zg_diags d;
	/* As zg-init made them: 0700 and 0600. */
	zg_diags_init(&d);
	check_project(&d);
	assert_int_equal(count_diags(&d, "privacy/perms"), 0);
	zg_diags_release(&d);

	assert_int_equal(chmod("p/private", 0755), 0);
	zg_diags_init(&d);
	check_project(&d);
	assert_int_equal(count_diags(&d, "privacy/perms"), 1);
	assert_string_equal(d.v[0].rule, "privacy/perms");
	assert_int_equal(d.v[0].severity, ZG_ERROR);
	assert_string_equal(d.v[0].file, "p/private");
	assert_non_null(strstr(d.v[0].message, "0755"));
	assert_non_null(strstr(d.v[0].message, "700"));
	zg_diags_release(&d);

	assert_int_equal(chmod("p/private/contacts.yaml", 0644), 0);
	zg_diags_init(&d);
	check_project(&d);
	assert_int_equal(count_diags(&d, "privacy/perms"), 2);
	assert_string_equal(d.v[1].file, "p/private/contacts.yaml");
	assert_non_null(strstr(d.v[1].message, "0644"));
	assert_non_null(strstr(d.v[1].message, "600"));
	zg_diags_release(&d);

	/* Group-readable only is still readable by others than the clerk. */
	assert_int_equal(chmod("p/private", 0700), 0);
	assert_int_equal(chmod("p/private/contacts.yaml", 0640), 0);
	zg_diags_init(&d);
	check_project(&d);
	assert_int_equal(count_diags(&d, "privacy/perms"), 1);
	assert_string_equal(d.v[0].file, "p/private/contacts.yaml");
	zg_diags_release(&d);

	assert_int_equal(chmod("p/private/contacts.yaml", 0600), 0);
	zg_diags_init(&d);
	check_project(&d);
	assert_int_equal(count_diags(&d, "privacy/perms"), 0);
	zg_diags_release(&d);
}

/* ---- one mistake, one finding ---- */

static size_t load_count(const struct run *r, const char *rule)
{
	return count_diags(&r->load, rule);
}

static void test_refused_fields_not_reported_again(void **state)
{
	(void)state;
	/* plan as text: the loader's type finding, and no "plan" finding. */
	struct run *r = run(
		"unit: zjj\n"
		"items:\n"
		"  - id: zjj-001\n"
		"    category: constructive\n"
		"    suggestions: [县城部分老旧小区雨天积水严重]\n"
		"    plan: 文本\n"
		"    status: in_progress\n", "2018-07-05");
	assert_int_equal(load_count(r, "type"), 1);
	assert_int_equal(r->load.v[0].line, 6);
	expect_count(r, "plan", 0);
	assert_int_equal(r->d.n, 0);
	run_free(r);

	/* owner as text. */
	r = run_edit(good, "{leader: 李某 副局长, unit: 县住建局城建股, person: 王某}",
		     "相关部门", "2018-07-05");
	assert_int_equal(load_count(r, "type"), 1);
	expect_count(r, "five-haves/owner", 0);
	assert_int_equal(r->d.n, 0);
	run_free(r);

	/* task, outcome and roadmap of the wrong shape. */
	r = run_edit(good, "task: 改造排水管网 3.2 公里", "task: [改造排水管网, 3.2 公里]",
		     "2018-07-05");
	assert_int_equal(load_count(r, "type"), 1);
	expect_count(r, "five-haves/task", 0);
	run_free(r);
	r = run_edit(good, "outcome: 竣工验收报告、整改前后对比照片",
		     "outcome: [竣工验收报告, 照片]", "2018-07-05");
	assert_int_equal(load_count(r, "type"), 1);
	expect_count(r, "five-haves/outcome", 0);
	run_free(r);
	r = run_edit(good,
		     "      roadmap:\n"
		     "        - {due: 2018-08-15, step: 完成勘察设计}\n"
		     "        - {due: 2018-11-15, step: 完工验收}\n",
		     "      roadmap: 分两步推进\n", "2018-07-05");
	assert_int_equal(load_count(r, "type"), 1);
	expect_count(r, "five-haves/roadmap", 0);
	assert_int_equal(r->d.n, 0);
	run_free(r);

	/* goal as a list: no "no goal". */
	r = run_edit(good, "goal: 消除老旧小区雨天积水", "goal: [消除积水]", "2018-07-05");
	assert_int_equal(load_count(r, "type"), 1);
	expect_count(r, "plan", 0);
	run_free(r);

	/* explanation as a list. */
	r = run_edit(other, "explanation: 已将意见转县交通运输局研究办理",
		     "explanation: [已转, 研究办理]", "2018-07-05");
	assert_int_equal(load_count(r, "type"), 1);
	expect_count(r, "other/explanation", 0);
	run_free(r);

	/* published and verification as text. */
	char *s = edit(good, "    status: in_progress\n",
		       "    status: in_progress\n"
		       "    submitted: 2018-07-05\n"
		       "    published: 2018-07-10\n");
	r = run(s, "2018-07-20");
	assert_int_equal(load_count(r, "type"), 1);
	expect_count(r, "deadline/publicise", 0);
	run_free(r);
	free(s);
	r = run_edit(finished, "    status: done\n",
		     "    status: closed\n    verification: 县绩效办核验\n", "2018-12-31");
	assert_int_equal(load_count(r, "type"), 1);
	expect_count(r, "status", 0);
	run_free(r);
}


/* ---- which rules run ---- */

/* Rules given by a NULL-terminated list of those not wanted. */
static bool not_in(const char *rule, void *ctx)
{
	for (const char *const *p = ctx; *p; p++)
		if (zg_rule_matches(*p, rule))
			return false;
	return true;
}

static bool only(const char *rule, void *ctx)
{
	return zg_rule_matches(ctx, rule);
}

static struct run *run_wanted(const char *ledger, const char *as_of,
			      bool (*wanted)(const char *, void *), const void *ctx)
{
	struct run *r = calloc(1, sizeof *r);
	assert_non_null(r);
	r->text = strdup(ledger);
	assert_non_null(r->text);
	write_file("p/ledgers/zjj.yaml", ledger);
	zg_diags_init(&r->load);
	zg_diags_init(&r->d);
	struct zg_error err;
	assert_int_equal(zg_project_open(&r->p, "p", &r->load, &err), 0);
	assert_int_equal(zg_project_load_ledgers(&r->p, NULL, 0, &r->load, &err), 0);
	struct zg_check_options o = { .due_within = -1, .wanted = wanted,
				      .wanted_ctx = (void *)ctx };
	assert_true(zg_date_parse(as_of, strlen(as_of), &o.as_of));
	zg_rules_check_ledger(&r->p, &r->p.ledgers[0], &o, &r->d);
	zg_diags_sort(&r->d);
	return r;
}

static void test_wanted(void **state)
{
	(void)state;
	struct zg_check_options o = { 0 };
	assert_true(zg_rule_wanted(&o, "anything"));
	o.wanted = only;
	o.wanted_ctx = (void *)"five-haves";
	assert_true(zg_rule_wanted(&o, "five-haves/task"));
	assert_false(zg_rule_wanted(&o, "status"));

	/* A missing evidence file: found while any file rule is wanted
	 * (the caller drops the unwanted ones) ... */
	char *s = edit(finished, "evidence: [evidence/zjj-001/survey.pdf]",
		       "evidence: [evidence/zjj-001/minutes.pdf]");
	static const char *const no_missing[] = { "evidence/missing", NULL };
	struct run *r = run_wanted(s, "2018-12-31", not_in, no_missing);
	expect_count(r, "evidence/missing", 1);
	run_free(r);
	/* ... and not even looked for when none is: no finding at all, nor
	 * evidence/required (the entry names a file). */
	static const char *const no_files[] = {
		"evidence/missing", "evidence/outside", "evidence/changed", NULL,
	};
	r = run_wanted(s, "2018-12-31", not_in, no_files);
	assert_int_equal(r->d.n, 0);
	run_free(r);
	/* No evidence rule at all: a done item without any, silent. */
	char *t = edit(s, "        evidence: [evidence/zjj-001/minutes.pdf]\n", "");
	static const char *const no_evidence[] = { "evidence", NULL };
	r = run_wanted(t, "2018-12-31", not_in, no_evidence);
	assert_int_equal(r->d.n, 0);
	run_free(r);
	r = run_wanted(t, "2018-12-31", only, "evidence/required");
	expect_count(r, "evidence/required", 1);
	run_free(r);
	free(t);
	free(s);

	/* The plan's rules, the time rules, the others: each group runs
	 * only when one of its rules is wanted. */
	s = edit(good, "      task: 改造排水管网 3.2 公里\n", "");
	r = run_wanted(s, "2018-12-31", only, "status");
	assert_int_equal(r->d.n, 0);
	run_free(r);
	r = run_wanted(s, "2018-12-31", only, "five-haves/task");
	expect_count(r, "five-haves/task", 1);
	run_free(r);
	r = run_wanted(s, "2018-12-31", only, "overdue");
	expect_count(r, "overdue", 1);
	expect_count(r, "five-haves/task", 0);
	run_free(r);
	free(s);
	s = edit(other, "    cause: 不属本单位职能\n", "    cause: 13812345678\n    explanation2: x\n");
	r = run_wanted(s, "2018-07-05", only, "status");
	assert_int_equal(r->d.n, 0);
	run_free(r);
	r = run_wanted(s, "2018-07-05", only, "privacy/leak");
	expect_count(r, "privacy/leak", 1);
	run_free(r);
	free(s);

	/* plan-locked alone not wanted: the digest is not computed. */
	char lines[256], hex[ZG_SHA256_HEX + 1];
	zg_sha256_hex("not the plan", 12, hex);
	snprintf(lines, sizeof lines,
		 "    status: in_progress\n"
		 "    submitted: 2018-07-05\n"
		 "    plan_digest: sha256:%s\n", hex);
	s = edit(good, "    status: in_progress\n", lines);
	static const char *const no_lock[] = { "plan-locked", NULL };
	r = run_wanted(s, "2018-07-06", not_in, no_lock);
	expect_count(r, "plan-locked", 0);
	run_free(r);
	r = run_wanted(s, "2018-07-06", only, "plan-locked");
	expect_count(r, "plan-locked", 1);
	run_free(r);
	free(s);

	/* The project's rules. */
	assert_int_equal(chmod("p/private", 0755), 0);
	struct zg_project p;
	struct zg_diags load, d;
	struct zg_error err;
	zg_diags_init(&load);
	zg_diags_init(&d);
	assert_int_equal(zg_project_open(&p, "p", &load, &err), 0);
	static const char *const no_privacy[] = { "privacy", NULL };
	struct zg_check_options po = { .due_within = -1, .wanted = not_in,
				       .wanted_ctx = (void *)no_privacy };
	zg_rules_check_project(&p, &po, &d);
	assert_int_equal(d.n, 0);
	po.wanted = only;
	po.wanted_ctx = (void *)"privacy/perms";
	zg_rules_check_project(&p, &po, &d);
	assert_int_equal(d.n, 1);
	zg_project_release(&p);
	zg_diags_release(&load);
	zg_diags_release(&d);
}

/* ---- a zg.yaml without its deadlines ---- */

static void test_no_deadlines(void **state)
{
	(void)state;
	/* The deadlines gone (the loader's finding): no deadline rule
	 * speaks, nor the evidence asked for after submission. */
	write_file("p/zg.yaml",
		   "zg: 1\ncounty: 鹿寨县\noffice: 绩效办\nevaluation_year: 2017\n"
		   "units:\n  - {code: zjj, name: 县住建局, kind: bureau}\n");
	char *s = edit(good, "      due: 2018-11-15\n", "      due: 2018-12-15\n");
	struct run *r = run(s, "2018-12-31");
	expect_count(r, "deadline/submit", 0);
	expect_count(r, "deadline/publicise", 0);
	expect_count(r, "deadline/complete", 0);
	expect_count(r, "deadline/self-review", 0);
	expect_count(r, "evidence/required", 0);
	expect_count(r, "overdue", 1);
	run_free(r);
	/* Malformed deadline dates: the same. */
	write_file("p/zg.yaml",
		   "zg: 1\ncounty: 鹿寨县\noffice: 绩效办\nevaluation_year: 2017\n"
		   "deadlines: {submit: 7月6日, publicise: 7月11日, complete: 11月20日, self_review: 11月30日}\n"
		   "units:\n  - {code: zjj, name: 县住建局, kind: bureau}\n");
	r = run(s, "2018-12-31");
	expect_count(r, "deadline/submit", 0);
	expect_count(r, "deadline/complete", 0);
	expect_count(r, "deadline/self-review", 0);
	run_free(r);
	free(s);
}

/* ---- blank texts and fields the loader refused ---- */

static void test_blank_and_refused(void **state)
{
	(void)state;
	/* A blank task is no task; a blank step has no text. */
	struct run *r = run_edit(good, "task: 改造排水管网 3.2 公里", "task: \" \"", "2018-07-05");
	expect_count(r, "five-haves/task", 1);
	run_free(r);
	r = run_edit(good, "step: 完工验收}", "step: \"  \"}", "2018-07-05");
	expect_count(r, "five-haves/roadmap", 1);
	expect_at(r, "five-haves/roadmap", ZG_ERROR, 13, "{", "zjj-001", "'step'");
	run_free(r);

	/* An owner field, the standard, a result and a cause of the wrong
	 * shape: the loader has spoken, the rules do not again. */
	r = run_edit(good, "leader: 李某 副局长", "leader: [李某]", "2018-07-05");
	expect_count(r, "five-haves/owner", 0);
	assert_true(r->load.errors > 0);
	run_free(r);
	r = run_edit(good, "standard: 雨后两小时内路面无积水", "standard: [无积水]", "2018-07-05");
	expect_count(r, "plan", 0);
	run_free(r);
	char *s = edit(finished, "    result: 改造排水管网 3.2 公里，积水点全部消除\n", "    result: [消除]\n");
	char *t = edit(s, "    satisfaction: 96\n", "");
	r = run(t, "2018-12-31");
	expect_count(r, "deadline/self-review", 1);
	expect_at(r, "deadline/self-review", ZG_ERROR, 3, "zjj-001", "zjj-001", "'satisfaction'");
	const struct zg_diag *g = &r->d.v[0];
	assert_null(strstr(g->message, "'result'"));
	run_free(r);
	free(s);
	free(t);
	r = run_edit(other, "cause: 不属本单位职能", "cause: [不属]", "2018-07-05");
	expect_count(r, "other/explanation", 0);
	run_free(r);

	/* A malformed start: the timetable's order is not judged. */
	r = run_edit(good, "start: 2018-07-01", "start: 7月1日", "2018-07-05");
	expect_count(r, "five-haves/timetable", 0);
	run_free(r);

	/* A stage target whose only early step has a malformed due. */
	s = edit(good, "      due: 2018-11-15\n", "      due: 2018-12-15\n      stage_target: 完成一半\n");
	t = edit(s, "{due: 2018-08-15,", "{due: 8月15日,");
	char *u = edit(t, "{due: 2018-11-15, step: 完工验收}", "{due: 2018-12-15, step: 完工验收}");
	r = run(u, "2018-07-05");
	expect_count(r, "deadline/stage", 1);
	run_free(r);
	free(s);
	free(t);
	free(u);
}

/* ---- evidence paths ---- */

static void test_evidence_paths(void **state)
{
	(void)state;
	/* Inside the project but not under evidence/. */
	struct run *r = with_evidence("ledgers/zjj.yaml", "2018-12-31");
	expect_count(r, "evidence/outside", 1);
	expect_at(r, "evidence/outside", ZG_ERROR, 23, "ledgers/zjj.yaml", "zjj-001",
		  "not under evidence/");
	run_free(r);
	/* "." and "//" and a ".." that stays inside. */
	r = with_evidence("evidence/./zjj-001//survey.pdf", "2018-12-31");
	expect_clean(r);
	run_free(r);
	r = with_evidence("evidence/zjj-001/../zjj-001/survey.pdf", "2018-12-31");
	expect_clean(r);
	run_free(r);
	/* A folder, not a file. */
	r = with_evidence("evidence/zjj-001", "2018-12-31");
	expect_count(r, "evidence/missing", 1);
	expect_at(r, "evidence/missing", ZG_ERROR, 23, "evidence/zjj-001", "zjj-001", "not a file");
	run_free(r);
	/* A link to nothing. */
	assert_int_equal(symlink("gone.pdf", "p/evidence/zjj-001/dead.pdf"), 0);
	r = with_evidence("evidence/zjj-001/dead.pdf", "2018-12-31");
	expect_count(r, "evidence/missing", 1);
	expect_at(r, "evidence/missing", ZG_ERROR, 23, "evidence/zjj-001/dead.pdf", "zjj-001",
		  "link to nothing");
	run_free(r);
	/* A link to a file inside the project is fine. */
	assert_int_equal(symlink("survey.pdf", "p/evidence/zjj-001/same.pdf"), 0);
	r = with_evidence("evidence/zjj-001/same.pdf", "2018-12-31");
	expect_clean(r);
	run_free(r);

	/* Folders that are links: to one inside, to one outside, to one
	 * whose name only begins like the project's. */
	assert_int_equal(symlink("zjj-001", "p/evidence/in"), 0);
	r = with_evidence("evidence/in/survey.pdf", "2018-12-31");
	expect_clean(r);
	run_free(r);
	assert_int_equal(mkdir("out", 0755), 0);
	write_file("out/survey.pdf", "abc");
	char target[PATH_MAX + 16];
	snprintf(target, sizeof target, "%s/out", tmp);
	assert_int_equal(symlink(target, "p/evidence/out"), 0);
	r = with_evidence("evidence/out/survey.pdf", "2018-12-31");
	expect_count(r, "evidence/outside", 1);
	expect_at(r, "evidence/outside", ZG_ERROR, 23, "evidence/out/survey.pdf", "zjj-001",
		  "leads out of the project");
	run_free(r);
	assert_int_equal(mkdir("p2", 0755), 0);
	write_file("p2/survey.pdf", "abc");
	snprintf(target, sizeof target, "%s/p2", tmp);
	assert_int_equal(symlink(target, "p/evidence/p2"), 0);
	r = with_evidence("evidence/p2/survey.pdf", "2018-12-31");
	expect_count(r, "evidence/outside", 1);
	run_free(r);
	/* An evidence entry without a file is no evidence: required. */
	r = with_evidence("{kind: photo}", "2018-12-31");
	expect_count(r, "evidence/required", 1);
	run_free(r);

	/* An item without an id: the message says where to keep it. */
	char *s = edit(finished, "  - id: zjj-001\n    category", "  - category");
	char *t = edit(s, "evidence: [evidence/zjj-001/survey.pdf]", "evidence: [/etc/passwd]");
	r = run(t, "2018-12-31");
	expect_count(r, "evidence/outside", 1);
	size_t i = 0;
	while (strcmp(r->d.v[i].rule, "evidence/outside") != 0)
		i++;
	assert_non_null(strstr(r->d.v[i].message, "evidence/ID/"));
	run_free(r);
	free(t);
	t = edit(s, "evidence: [evidence/zjj-001/survey.pdf]", "evidence: [ledgers/zjj.yaml]");
	r = run(t, "2018-12-31");
	expect_count(r, "evidence/outside", 1);
	run_free(r);
	free(t);
	free(s);

	/* A file that cannot be read (permissions do not bind root). */
	if (geteuid() == 0) {
		print_message("running as root: the unreadable evidence case is skipped\n");
		return;
	}
	char abc[ZG_SHA256_HEX + 1], entry[256];
	zg_sha256_hex("abc", 3, abc);
	snprintf(entry, sizeof entry, "{file: evidence/zjj-001/survey.pdf, sha256: %s}", abc);
	assert_int_equal(chmod("p/evidence/zjj-001/survey.pdf", 0), 0);
	r = with_evidence(entry, "2018-12-31");
	expect_count(r, "evidence/missing", 1);
	expect_at(r, "evidence/missing", ZG_ERROR, 23, "evidence/zjj-001/survey.pdf", "zjj-001",
		  "cannot be read");
	run_free(r);
	assert_int_equal(chmod("p/evidence/zjj-001/survey.pdf", 0644), 0);
}

/* ---- privacy: an owner that is not the plan's ---- */

static void test_privacy_other_owner(void **state)
{
	(void)state;
	/* Only the plan's owner may carry the officer's telephone; an
	 * "owner" anywhere else is text like any other. */
	struct run *r = run_edit(finished, "        note: 完成勘察设计\n",
		     "        note: 完成勘察设计\n        owner: {person: 13812345678}\n", "2018-12-31");
	expect_count(r, "privacy/leak", 1);
	expect_at(r, "privacy/leak", ZG_ERROR, 23, "13812345678", "zjj-001", "138****5678");
	run_free(r);
}

/* ---- privacy/git ---- */

static int sh(const char *cmd)
{
	char full[512];
	snprintf(full, sizeof full, "%s >/dev/null 2>&1", cmd);
	return system(full);
}

static size_t git_findings(void)
{
	struct zg_diags d;
	zg_diags_init(&d);
	check_project(&d);
	size_t n = count_diags(&d, "privacy/git");
	if (n)
		print_message("  %s: %s\n", d.v[0].file, d.v[0].message);
	zg_diags_release(&d);
	return n;
}

static void test_privacy_git(void **state)
{
	(void)state;
	if (sh("git --version") != 0) {
		print_message("git is not installed: skipped\n");
		skip();
	}
	/* Not a work tree: nothing to say. */
	assert_int_equal(git_findings(), 0);
	assert_int_equal(sh("git init -q p"), 0);
	/* zg-init's .gitignore keeps private/ out. */
	assert_int_equal(git_findings(), 0);
	/* Without it: not ignored; and when contacts.yaml is not there yet,
	 * it would not be. */
	assert_int_equal(rename("p/.gitignore", "gitignore"), 0);
	struct zg_diags d;
	zg_diags_init(&d);
	check_project(&d);
	assert_int_equal(count_diags(&d, "privacy/git"), 1);
	assert_string_equal(d.v[0].file, "p/private/contacts.yaml");
	assert_string_equal(d.v[0].message,
			    "not ignored by .gitignore: a 'git add .' would publish citizens' contact details; add /private/ to .gitignore");
	zg_diags_release(&d);
	assert_int_equal(rename("p/private/contacts.yaml", "contacts.yaml"), 0);
	zg_diags_init(&d);
	check_project(&d);
	assert_int_equal(count_diags(&d, "privacy/git"), 1);
	assert_non_null(strstr(d.v[0].message, "would not be ignored by .gitignore"));
	zg_diags_release(&d);
	/* No private/ at all: git is not asked. */
	assert_int_equal(rename("p/private", "private"), 0);
	assert_int_equal(git_findings(), 0);
	assert_int_equal(rename("private", "p/private"), 0);
	assert_int_equal(rename("contacts.yaml", "p/private/contacts.yaml"), 0);
	/* Tracked, even if ignored since. */
	assert_int_equal(sh("git -C p add -f private/contacts.yaml"), 0);
	assert_int_equal(rename("gitignore", "p/.gitignore"), 0);
	zg_diags_init(&d);
	check_project(&d);
	assert_int_equal(count_diags(&d, "privacy/git"), 1);
	assert_non_null(strstr(d.v[0].message, "tracked by git"));
	zg_diags_release(&d);

	/* Without git on PATH (in a child, the test's PATH untouched):
	 * silent. */
	fflush(stdout);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setenv("PATH", "/nonexistent-zg-test", 1);
		struct zg_diags cd;
		zg_diags_init(&cd);
		check_project(&cd);
		exit(count_diags(&cd, "privacy/git") == 0 ? 0 : 1);	/* (coverage written) */
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_clean_items),
		T(test_five_haves_task),
		T(test_five_haves_roadmap),
		T(test_five_haves_timetable),
		T(test_five_haves_owner),
		T(test_five_haves_outcome),
		T(test_plan),
		T(test_deadline_complete),
		T(test_deadline_stage),
		T(test_overdue),
		T(test_overdue_step),
		T(test_due_soon),
		T(test_deadline_submit),
		T(test_deadline_publicise),
		T(test_deadline_self_review),
		T(test_other_explanation),
		T(test_evidence_required),
		T(test_evidence_files),
		T(test_status),
		T(test_plan_locked),
		T(test_privacy_leak),
		T(test_privacy_perms),
		T(test_refused_fields_not_reported_again),
		T(test_wanted),
		T(test_no_deadlines),
		T(test_blank_and_refused),
		T(test_evidence_paths),
		T(test_privacy_other_owner),
		T(test_privacy_git),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
