/*
 * test_load.c - typing a tree against the ledger format: every kind of
 * loader finding at its exact line and column, and the typed records.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "zg/load.h"

struct loaded {
	struct zg_arena arena;
	struct zg_diags diags;
	struct zg_node *root;
	struct zg_ledger_doc *doc;
	struct zg_config *config;
};

static struct loaded *load(const char *text, bool config)
{
	struct loaded *l = calloc(1, sizeof *l);
	assert_non_null(l);
	zg_arena_init(&l->arena);
	zg_diags_init(&l->diags);
	int rc = zg_tree_parse(&l->arena, "t.yaml", text, strlen(text),
			       &l->root, &l->diags);
	assert_int_equal(rc, 0);
	if (config)
		l->config = zg_load_config(&l->arena, "t.yaml", l->root, &l->diags);
	else
		l->doc = zg_load_ledger(&l->arena, "t.yaml", l->root, &l->diags);
	zg_diags_sort(&l->diags);
	return l;
}

static void done(struct loaded *l)
{
	zg_diags_release(&l->diags);
	zg_arena_release(&l->arena);
	free(l);
}

/* Asserts finding i: rule, line, column, item, and a part of the message. */
static void expect(const struct loaded *l, size_t i, const char *rule,
		   unsigned line, unsigned column, const char *item,
		   const char *part)
{
	assert_true(i < l->diags.n);
	const struct zg_diag *g = &l->diags.v[i];
	assert_string_equal(g->rule, rule);
	assert_int_equal(g->line, line);
	assert_int_equal(g->column, column);
	if (item)
		assert_string_equal(g->item, item);
	else
		assert_null(g->item);
	if (part && !strstr(g->message, part))
		fail_msg("message '%s' lacks '%s'", g->message, part);
}

static const char good_ledger[] =
	"unit: zjj\n"
	"items:\n"
	"  - id: zjj-001\n"
	"    category: constructive\n"
	"    suggestions:\n"
	"      - {no: 12, text: 县城部分老旧小区雨天积水严重}\n"
	"      - 城东片区排水不畅\n"
	"    received: \"2018-06-20\"\n"
	"    plan:\n"
	"      goal: 消除积水\n"
	"      task: 改造排水管网 3.2 公里\n"
	"      roadmap:\n"
	"        - {due: 2018-08-15, step: 完成勘察设计}\n"
	"        - {due: 2018-11-15, step: 完工验收, done: 2018-11-12}\n"
	"      start: 2018-07-01\n"
	"      due: 2018-11-15\n"
	"      owner: {leader: 李某 副局长, unit: 县住建局城建股, person: 王某}\n"
	"      outcome: 竣工验收报告\n"
	"    progress:\n"
	"      - date: 2018-08-14\n"
	"        note: 完成勘察设计\n"
	"        evidence:\n"
	"          - evidence/zjj-001/survey.pdf\n"
	"          - {file: evidence/zjj-001/minutes.pdf, kind: minutes}\n"
	"    status: in_progress\n"
	"    satisfaction: 96.5\n"
	"    verification: {date: 2018-12-10, by: 县绩效办, score: 95}\n";

static void test_good_ledger_typed(void **state)
{
	(void)state;
	struct loaded *l = load(good_ledger, false);
	assert_int_equal(l->diags.n, 0);
	assert_non_null(l->doc);
	assert_string_equal(zg_text(l->doc->unit), "zjj");
	assert_int_equal(l->doc->nitems, 1);
	const struct zg_item *it = &l->doc->items[0];
	assert_string_equal(zg_item_id(it), "zjj-001");
	assert_int_equal(it->category.value, ZG_CONSTRUCTIVE);
	assert_int_equal(it->status.value, ZG_IN_PROGRESS);
	assert_int_equal(it->verdict.value, -1);
	assert_null(it->verdict.node);
	assert_int_equal(it->nsuggestions, 2);
	assert_true(it->suggestions[0].no.ok);
	assert_true(it->suggestions[0].no.value == 12);
	assert_string_equal(zg_text(it->suggestions[1].text), "城东片区排水不畅");
	assert_false(it->suggestions[1].no.ok);
	assert_true(it->received.ok);
	assert_int_equal(it->received.date.month, 6);
	const struct zg_plan *plan = it->plan;
	assert_non_null(plan);
	assert_int_equal(plan->nroadmap, 2);
	assert_true(plan->roadmap[1].done.ok);
	assert_int_equal(plan->roadmap[1].done.date.day, 12);
	assert_null(plan->roadmap[0].done.node);
	assert_string_equal(zg_text(plan->owner->unit), "县住建局城建股");
	assert_int_equal(plan->roadmap_node->start.line, 13);
	assert_int_equal(it->nprogress, 1);
	assert_int_equal(it->progress[0].nevidence, 2);
	assert_string_equal(zg_text(it->progress[0].evidence[0].file),
			    "evidence/zjj-001/survey.pdf");
	assert_int_equal(it->progress[0].evidence[0].kind.value, -1);
	assert_int_equal(it->progress[0].evidence[1].kind.value, ZG_EV_MINUTES);
	assert_true(it->satisfaction.ok);
	assert_true(it->satisfaction.value == 96.5);
	assert_true(it->verification->score.value == 95);
	done(l);
}

static void test_unknown_key_hints(void **state)
{
	(void)state;
	struct loaded *l = load(
		"unit: zjj\n"
		"items:\n"
		"  - id: zjj-001\n"
		"    category: other\n"
		"    suggestions: [路灯不亮]\n"
		"    stauts: done\n"
		"    task: 修路灯 20 盏\n"
		"    状态: done\n"
		"    colour: red\n", false);
	assert_int_equal(l->diags.n, 5);
	expect(l, 0, ZG_RULE_REQUIRED, 3, 5, "zjj-001", "'status'");
	expect(l, 1, ZG_RULE_UNKNOWN_KEY, 6, 5, "zjj-001", "did you mean 'status'?");
	expect(l, 2, ZG_RULE_UNKNOWN_KEY, 7, 5, "zjj-001", "belongs in plan");
	expect(l, 3, ZG_RULE_UNKNOWN_KEY, 8, 5, "zjj-001", "did you mean 'status' (整改状态)?");
	expect(l, 4, ZG_RULE_UNKNOWN_KEY, 9, 5, "zjj-001", "the keys here are: id, category");
	done(l);
}

static void test_types_dates_enums(void **state)
{
	(void)state;
	struct loaded *l = load(
		"unit: zjj\n"
		"items:\n"
		"  - id: zjj-002\n"
		"    category: 其他类\n"
		"    suggestions: []\n"
		"    status: 已完成\n"
		"    received: 2018-02-30\n"
		"    completed: 2018/11/12\n"
		"    satisfaction: 120\n"
		"    verdict: 真的\n"
		"    plan:\n"
		"      owner: 相关部门\n"
		"      roadmap:\n"
		"        - {due: 2018-08-15, step: 勘察}\n"
		"        - 完工\n"
		"    progress:\n"
		"      - date: 2018-08-14\n"
		"    explanation: [a, b]\n", false);
	size_t i = 0;
	expect(l, i++, ZG_RULE_TYPE, 4, 15, "zjj-002", "did you mean 'other'?");
	expect(l, i++, ZG_RULE_REQUIRED, 5, 18, "zjj-002", "at least one");
	expect(l, i++, ZG_RULE_STATUS, 6, 13, "zjj-002", "did you mean 'done'?");
	expect(l, i++, ZG_RULE_DATE, 7, 15, "zjj-002", "does not exist");
	expect(l, i++, ZG_RULE_DATE, 8, 16, "zjj-002", "YYYY-MM-DD");
	expect(l, i++, ZG_RULE_TYPE, 9, 19, "zjj-002", "outside 0..100");
	expect(l, i++, ZG_RULE_TYPE, 10, 14, "zjj-002", "not one of: 属实");
	expect(l, i++, ZG_RULE_TYPE, 12, 14, "zjj-002", "must be a mapping");
	expect(l, i++, ZG_RULE_TYPE, 15, 11, "zjj-002", "must be a mapping");
	expect(l, i++, ZG_RULE_REQUIRED, 17, 9, "zjj-002", "'note'");
	expect(l, i++, ZG_RULE_TYPE, 18, 18, "zjj-002", "single value");
	assert_int_equal(l->diags.n, i);
	/* Malformed values are left out of the record, not guessed at. */
	const struct zg_item *it = &l->doc->items[0];
	assert_int_equal(it->category.value, -1);
	assert_int_equal(it->status.value, -1);
	assert_non_null(it->status.node);
	assert_false(it->received.ok);
	assert_non_null(it->received.node);
	assert_false(it->satisfaction.ok);
	assert_null(it->plan->owner);
	assert_int_equal(it->plan->nroadmap, 1);
	assert_null(it->explanation);
	done(l);
}

static void test_empty_required_value(void **state)
{
	(void)state;
	struct loaded *l = load(
		"unit:\n"
		"items:\n"
		"  - id: zjj-003\n"
		"    category: other\n"
		"    suggestions: [x]\n"
		"    status: ~\n", false);
	assert_int_equal(l->diags.n, 2);
	expect(l, 0, ZG_RULE_REQUIRED, 1, 1, NULL, "'unit'");
	expect(l, 1, ZG_RULE_REQUIRED, 6, 5, "zjj-003", "is empty");
	done(l);
}

static void test_numbers(void **state)
{
	(void)state;
	struct loaded *l = load(
		"unit: zjj\n"
		"items:\n"
		"  - id: zjj-004\n"
		"    category: other\n"
		"    suggestions:\n"
		"      - {no: 3.5, text: a}\n"
		"      - {no: '7', text: b}\n"
		"      - {no: 0x10, text: c}\n"
		"      - {no: ' 8', text: d}\n"
		"    status: done\n"
		"    satisfaction: 96%\n"
		"    verification: {date: 2018-12-01, by: 县绩效办, score: -1}\n", false);
	size_t i = 0;
	expect(l, i++, ZG_RULE_TYPE, 6, 14, "zjj-004", "whole number");
	expect(l, i++, ZG_RULE_TYPE, 8, 14, "zjj-004", "whole number");
	expect(l, i++, ZG_RULE_TYPE, 9, 14, "zjj-004", "whole number");
	expect(l, i++, ZG_RULE_TYPE, 11, 19, "zjj-004", "must be a number");
	expect(l, i++, ZG_RULE_TYPE, 12, 55, "zjj-004", "outside 0..100");
	assert_int_equal(l->diags.n, i);
	/* A quoted number is still a number: clerks quote things. */
	assert_true(l->doc->items[0].suggestions[1].no.ok);
	assert_true(l->doc->items[0].suggestions[1].no.value == 7);
	done(l);
}

static void test_hex_fields(void **state)
{
	(void)state;
	struct loaded *l = load(
		"unit: zjj\n"
		"items:\n"
		"  - id: zjj-005\n"
		"    category: other\n"
		"    suggestions: [x]\n"
		"    status: done\n"
		"    plan_digest: sha256:abc\n"
		"    progress:\n"
		"      - date: 2018-08-14\n"
		"        note: n\n"
		"        evidence:\n"
		"          - {file: a.pdf, sha256: 9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08}\n"
		"          - {file: b.pdf, sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08}\n",
		false);
	assert_int_equal(l->diags.n, 2);
	expect(l, 0, ZG_RULE_TYPE, 7, 18, "zjj-005", "'sha256:'");
	expect(l, 1, ZG_RULE_TYPE, 12, 35, "zjj-005", "64 lowercase hex");
	assert_null(l->doc->items[0].plan_digest);
	assert_non_null(l->doc->items[0].progress[0].evidence[1].sha256);
	done(l);
}

static void test_wrong_shapes_at_root(void **state)
{
	(void)state;
	struct loaded *l = load("- a\n- b\n", false);
	assert_null(l->doc);
	assert_int_equal(l->diags.n, 1);
	expect(l, 0, ZG_RULE_TYPE, 1, 1, NULL, "a ledger is a mapping");
	done(l);
	l = load("# nothing\n", false);
	assert_null(l->doc);
	expect(l, 0, ZG_RULE_REQUIRED, 1, 1, NULL, "empty");
	done(l);
	l = load("unit: zjj\nitems: {id: x}\n", false);
	expect(l, 0, ZG_RULE_TYPE, 2, 8, NULL, "must be a list");
	done(l);
	l = load("unit: zjj\nitems:\n  - just text\n", false);
	expect(l, 0, ZG_RULE_TYPE, 3, 5, NULL, "must be a mapping");
	assert_int_equal(l->doc->nitems, 0);
	done(l);
}

static void test_duplicate_key_not_typed_twice(void **state)
{
	(void)state;
	struct loaded *l = load(
		"unit: zjj\n"
		"items:\n"
		"  - id: zjj-006\n"
		"    category: other\n"
		"    suggestions: [x]\n"
		"    status: done\n"
		"    status: bogus\n", false);
	assert_int_equal(l->diags.n, 1);
	expect(l, 0, ZG_RULE_DUPLICATE_KEY, 7, 5, NULL, "first at line 6");
	assert_int_equal(l->doc->items[0].status.value, ZG_DONE);
	done(l);
}

static const char good_config[] =
	"zg: 1\n"
	"county: 鹿寨县\n"
	"office: 鹿寨县绩效考评委员会办公室\n"
	"evaluation_year: 2017\n"
	"deadlines:\n"
	"  submit: 2018-07-06\n"
	"  publicise: 2018-07-11\n"
	"  complete: 2018-11-20\n"
	"  self_review: 2018-11-30\n"
	"units:\n"
	"  - {code: zjj, name: 县住建局, kind: bureau}\n"
	"  - {code: luzhai, name: 鹿寨镇, kind: town}\n";

static void test_good_config(void **state)
{
	(void)state;
	struct loaded *l = load(good_config, true);
	assert_int_equal(l->diags.n, 0);
	assert_non_null(l->config);
	assert_true(l->config->version.value == 1);
	assert_true(l->config->evaluation_year.value == 2017);
	assert_int_equal(l->config->nunits, 2);
	assert_int_equal(l->config->units[1].kind.value, ZG_UNIT_TOWN);
	assert_int_equal(l->config->deadlines->complete.date.month, 11);
	assert_int_equal(l->config->deadlines->complete.date.day, 20);
	done(l);
}

static void test_bad_config(void **state)
{
	(void)state;
	struct loaded *l = load(
		"zg: 2\n"
		"county: 鹿寨县\n"
		"office: 办公室\n"
		"evaluation_year: 二〇一七\n"
		"deadlines:\n"
		"  submit: 2018-07-06\n"
		"  publicise: 2018-07-11\n"
		"  complete: 2018-11-31\n"
		"units:\n"
		"  - {code: zjj, name: 县住建局, kind: 局}\n", true);
	size_t i = 0;
	expect(l, i++, ZG_RULE_TYPE, 1, 5, NULL, "outside 1..1");
	expect(l, i++, ZG_RULE_TYPE, 4, 18, NULL, "whole number");
	expect(l, i++, ZG_RULE_REQUIRED, 6, 3, NULL, "'self_review'");
	expect(l, i++, ZG_RULE_DATE, 8, 13, NULL, "2018-11-31");
	expect(l, i++, ZG_RULE_TYPE, 10, 35, NULL, "did you mean 'bureau'?");
	assert_int_equal(l->diags.n, i);
	done(l);
}

/* The units handed on by zg_load_config_text, as "code/name/kind;". */
struct units_seen {
	char text[512];
	size_t n;
	bool fail;
};

static int see_unit(void *ctx, const struct zg_unit *u)
{
	struct units_seen *s = ctx;
	if (s->fail)
		return -1;
	size_t at = strlen(s->text);
	snprintf(s->text + at, sizeof s->text - at, "%s/%s/%d;",
		 zg_text(u->code) ? zg_text(u->code) : "-",
		 zg_text(u->name) ? zg_text(u->name) : "-", u->kind.value);
	s->n++;
	return 0;
}

/* zg.yaml read with its units taken as read and read as a whole tree:
 * the same units, the same findings in the same order. */
static void streamed_as_whole(const char *text, size_t units, bool read)
{
	struct loaded *whole = load(text, true);
	struct units_seen want = { "", 0, false };
	for (size_t i = 0; whole->config && i < whole->config->nunits; i++)
		see_unit(&want, &whole->config->units[i]);

	struct zg_arena arena;
	struct zg_diags d;
	zg_arena_init(&arena);
	zg_diags_init(&d);
	struct units_seen got = { "", 0, false };
	int rc;
	bool units_read;
	struct zg_config *c = zg_load_config_text(&arena, "t.yaml", text,
						  strlen(text), &d, see_unit,
						  &got, &rc, &units_read);
	assert_int_equal(rc, 0);
	assert_non_null(c);
	assert_int_equal(c->nunits, 0);
	assert_int_equal(units_read, read);
	if (read) {
		assert_int_equal(got.n, units);
		assert_string_equal(got.text, want.text);
	}
	zg_diags_sort(&d);
	assert_int_equal(d.n, whole->diags.n);
	for (size_t i = 0; i < d.n; i++) {
		assert_string_equal(d.v[i].rule, whole->diags.v[i].rule);
		assert_int_equal(d.v[i].line, whole->diags.v[i].line);
		assert_int_equal(d.v[i].column, whole->diags.v[i].column);
		assert_string_equal(d.v[i].message, whole->diags.v[i].message);
	}
	zg_diags_release(&d);
	zg_arena_release(&arena);

	/* A sink that cannot keep a unit fails the read as out of memory. */
	if (units) {
		struct units_seen failing = { "", 0, true };
		zg_arena_init(&arena);
		zg_diags_init(&d);
		assert_null(zg_load_config_text(&arena, "t.yaml", text,
						strlen(text), &d, see_unit,
						&failing, &rc, &units_read));
		assert_int_equal(rc, -2);
		zg_diags_release(&d);
		zg_arena_release(&arena);
	}
	done(whole);
}

static void test_config_units_taken_as_read(void **state)
{
	(void)state;
	streamed_as_whole(good_config, 2, true);
	/* Faults in and between the units. */
	streamed_as_whole(
		"zg: 1\ncounty: 鹿寨县\noffice: 办公室\nevaluation_year: 2017\n"
		"deadlines: {submit: 2018-07-06, publicise: 2018-07-11, "
		"complete: 2018-11-20, self_review: 2018-11-30}\n"
		"units:\n"
		"  - {code: zjj, name: 县住建局, kind: 局}\n"
		"  - ~\n"
		"  - {code: jyj, kind: agency, colour: red}\n"
		"  - [zjj, 县住建局]\n"
		"  - plain\n"
		"  - {code: a, code: b, name: 重复, kind: town}\n"
		"  - {单位代码: lzz, 单位名称: 鹿寨镇, 单位类型: 镇}\n", 4, true);
	/* A second units key: the first is read, the second reported; a
	 * key in the form's Chinese is only a hint. */
	streamed_as_whole(
		"zg: 1\ncounty: 鹿寨县\noffice: 办公室\nevaluation_year: 2017\n"
		"deadlines: {submit: 2018-07-06, publicise: 2018-07-11, "
		"complete: 2018-11-20, self_review: 2018-11-30}\n"
		"units:\n"
		"  - {code: zjj, name: 县住建局, kind: bureau}\n"
		"units:\n"
		"  - {code: jyj, name: 县教育局, kind: bureau}\n"
		"整改责任单位:\n"
		"  - {code: rsj, name: 县人社局, kind: bureau}\n", 1, true);
	/* The first units key holds no list: the entries taken are of the
	 * second, which the loader does not read, and are dropped with what
	 * their typing found. */
	streamed_as_whole(
		"zg: 1\ncounty: 鹿寨县\noffice: 办公室\nevaluation_year: 2017\n"
		"deadlines: {submit: 2018-07-06, publicise: 2018-07-11, "
		"complete: 2018-11-20, self_review: 2018-11-30}\n"
		"units: none\n"
		"units:\n"
		"  - {code: rsj, name: 县人社局, kind: bureau}\n"
		"  - {code: zjj, kind: 局, colour: red}\n", 2, false);
}

/* A control character is found wherever it stands in a long text: the
 * scan goes eight bytes at a time, so every offset around a word's edge
 * is tried, with text before and after it. */
static void test_control_characters_at_every_offset(void **state)
{
	(void)state;
	static const struct {
		const char *escape;
		const char *said;	/* in the message, NULL when allowed */
	} cases[] = {
		{ "\\x01", "U+0001" }, { "\\x1f", "U+001F" }, { "\\e", "U+001B" },
		{ "\\x7f", "U+007F" }, { "\\u0085", "U+0085" },
		{ "\\u009f", "U+009F" }, { "\\0", "NUL" },
		{ "\\t", NULL }, { "\\n", NULL }, { "\\r", NULL },
		{ "\\u00a0", NULL }, { "\\u00b7", NULL }, { "\\u00c2", NULL },
	};
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		for (size_t at = 0; at < 20; at++) {
			char text[512];
			int n = snprintf(text, sizeof text,
				"unit: zjj\nitems:\n  - id: zjj-001\n"
				"    category: other\n    suggestions: [x]\n"
				"    status: done\n    explanation: \"");
			for (size_t k = 0; k < at; k++)
				n += snprintf(text + n, sizeof text - (size_t)n,
					      k % 3 ? "a" : "已");
			n += snprintf(text + n, sizeof text - (size_t)n,
				      "%s已修复路灯共计十二盏，群众满意\"\n",
				      cases[c].escape);
			struct loaded *l = load(text, false);
			if (!cases[c].said) {
				if (l->diags.n)
					fail_msg("%s at %zu: %s", cases[c].escape,
						 at, l->diags.v[0].message);
				assert_non_null(l->doc->items[0].explanation);
			} else {
				assert_int_equal(l->diags.n, 1);
				expect(l, 0, ZG_RULE_TYPE, 7, 18, "zjj-001",
				       cases[c].said);
				assert_null(l->doc->items[0].explanation);
			}
			done(l);
		}
	}
}

static void test_values_that_are_not_values(void **state)
{
	(void)state;
	struct loaded *l = load(
		"unit: \"a\\0b\"\n"
		"items:\n"
		"  - id: \" \"\n"
		"    category: other\n"
		"    suggestions: [x, ~, [y]]\n"
		"    received: [2018]\n"
		"    completed: yesterday\n"
		"    group: \"  \"\n"
		"    status: [done]\n"
		"    satisfaction: [1]\n"
		"    plan_digest: {a: 1}\n"
		"    progress: []\n"
		"    published: ~\n"
		"    责任人: 王某\n"
		"    \"k\\0ey\": 1\n"
		"    ? [z]\n"
		"    : 1\n"
		"    很长很长很长很长很长的键: 1\n", false);
	size_t i = 0;
	/* A NUL inside a quoted value would cut it short in C. */
	expect(l, i++, ZG_RULE_TYPE, 1, 7, NULL, "'unit' (整改责任单位) contains a NUL character");
	/* A required text of blanks is as good as missing. */
	expect(l, i++, ZG_RULE_REQUIRED, 3, 9, " ", "'id' (事项编号) is blank, and it is required");
	/* Shorthand lists: a null entry, and an entry that is a list. */
	expect(l, i++, ZG_RULE_TYPE, 5, 22, " ", "an empty entry in suggestions");
	expect(l, i++, ZG_RULE_TYPE, 5, 25, " ", "an entry of suggestions must be text or a mapping with 'text', not a list");
	/* Single values given as collections. */
	expect(l, i++, ZG_RULE_TYPE, 6, 15, " ", "'received' (接收日期) must be a single value, not a list");
	expect(l, i++, ZG_RULE_DATE, 7, 16, " ", "'completed' (完成时间) is 'yesterday', not a date");
	expect(l, i++, ZG_RULE_TYPE, 9, 13, " ", "'status' (整改状态) must be a single value, not a list");
	expect(l, i++, ZG_RULE_TYPE, 10, 19, " ", "'satisfaction' (群众满意度) must be a single value, not a list");
	expect(l, i++, ZG_RULE_TYPE, 11, 18, " ", "'plan_digest' (方案摘要) must be a single value, not a mapping");
	/* A Chinese key of another record: named with where it belongs. */
	expect(l, i++, ZG_RULE_UNKNOWN_KEY, 14, 5, " ", "did you mean 'person' (责任人) of plan.owner? keys are written in English");
	/* A key with a NUL in it is no key of the format. */
	expect(l, i++, ZG_RULE_UNKNOWN_KEY, 15, 5, " ", "the keys here are: id, category");
	/* A sequence as a key: the tree's finding, and no unknown-key. */
	expect(l, i++, ZG_RULE_TYPE, 16, 7, NULL, "a key must be a plain value, not a sequence");
	/* A key longer than every Chinese name. */
	expect(l, i++, ZG_RULE_UNKNOWN_KEY, 18, 5, " ", "unknown key '很长很长很长很长很长的键' in items; the keys here are");
	assert_int_equal(l->diags.n, i);
	/* Nothing of the refused values is in the record; a blank optional
	 * text, an empty optional list and a null are simply absent. */
	assert_null(l->doc->unit);
	const struct zg_item *it = &l->doc->items[0];
	assert_null(it->id);
	assert_int_equal(it->nsuggestions, 1);
	assert_string_equal(it->suggestions[0].text->text, "x");
	assert_null(it->received.node);
	assert_non_null(it->completed.node);
	assert_false(it->completed.ok);
	assert_null(it->group);
	assert_int_equal(it->status.value, -1);
	assert_null(it->status.node);
	assert_false(it->satisfaction.ok);
	assert_null(it->plan_digest);
	assert_int_equal(it->nprogress, 0);
	assert_non_null(it->progress_node);
	assert_null(it->published);
	done(l);
}

static void test_number_date_and_hex_edges(void **state)
{
	(void)state;
	struct loaded *l = load(
		"unit: zjj\n"
		"items:\n"
		"  - id: zjj-001\n"
		"    category: other\n"
		"    suggestions:\n"
		"      - {no: \"\", text: a}\n"
		"      - {no: 1e999, text: b}\n"
		"      - {no: inf, text: c}\n"
		"      - {no: \"\\t5\", text: d}\n"
		"      - {no: +5, text: e}\n"
		"      - {no: 5.0, text: f}\n"
		"      - {no: -0, text: g}\n"
		"    status: done\n"
		"    satisfaction: 0x1A\n"
		"    amendments:\n"
		"      - {date: 2018-07/06, reason: r, approved_by: b}\n"
		"      - {date: 2018-ab-cd, reason: r, approved_by: b}\n"
		"      - {date: 2018_07-06, reason: r, approved_by: b}\n"
		"    plan_digest: sha257:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
		"    progress:\n"
		"      - date: 2018-08-14\n"
		"        note: n\n"
		"        evidence:\n"
		"          - {file: a.pdf, sha256: +123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef}\n"
		"          - {file: b.pdf, sha256: [x]}\n"
		"          - {file: c.pdf, kind: [x]}\n"
		"  - {id: zjj-002, category: other, suggestions: [x], status: done, plan_digest: sha256:gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg}\n",
		false);
	size_t i = 0;
	/* Empty, out of range, infinite, led by a blank or a sign, or with
	 * a decimal point: none is a whole number as a clerk writes one. */
	expect(l, i++, ZG_RULE_TYPE, 6, 14, "zjj-001", "must be a whole number, not ''");
	expect(l, i++, ZG_RULE_TYPE, 7, 14, "zjj-001", "must be a whole number, not '1e999'");
	expect(l, i++, ZG_RULE_TYPE, 8, 14, "zjj-001", "must be a whole number, not 'inf'");
	expect(l, i++, ZG_RULE_TYPE, 9, 14, "zjj-001", "must be a whole number, not '\\t5'");
	expect(l, i++, ZG_RULE_TYPE, 10, 14, "zjj-001", "must be a whole number, not '+5'");
	expect(l, i++, ZG_RULE_TYPE, 11, 14, "zjj-001", "must be a whole number, not '5.0'");
	/* -0 is a whole number, and below the minimum of 1. */
	expect(l, i++, ZG_RULE_TYPE, 12, 14, "zjj-001", "is -0, outside 1..1e+09");
	/* strtod reads hexadecimal; a ledger does not. */
	expect(l, i++, ZG_RULE_TYPE, 14, 19, "zjj-001", "'satisfaction' (群众满意度) must be a number, not '0x1A'");
	/* Ten characters, but not YYYY-MM-DD. */
	expect(l, i++, ZG_RULE_DATE, 16, 16, "zjj-001", "is '2018-07/06', not a date");
	expect(l, i++, ZG_RULE_DATE, 17, 16, "zjj-001", "is '2018-ab-cd', not a date");
	expect(l, i++, ZG_RULE_DATE, 18, 16, "zjj-001", "is '2018_07-06', not a date");
	/* The right length, the wrong prefix. */
	expect(l, i++, ZG_RULE_TYPE, 19, 18, "zjj-001", "must be 'sha256:' and 64 lowercase hex digits");
	expect(l, i++, ZG_RULE_TYPE, 24, 35, "zjj-001", "must be 64 lowercase hex digits (sha256sum's output)");
	expect(l, i++, ZG_RULE_TYPE, 25, 35, "zjj-001", "'sha256' (校验值) must be a single value, not a list");
	expect(l, i++, ZG_RULE_TYPE, 26, 33, "zjj-001", "'kind' (材料类型) must be a single value, not a list");
	/* The right prefix and length, not hex. */
	expect(l, i++, ZG_RULE_TYPE, 27, 81, "zjj-002", "must be 'sha256:' and 64 lowercase hex digits");
	assert_int_equal(l->diags.n, i);
	const struct zg_item *it = &l->doc->items[0];
	assert_int_equal(it->nsuggestions, 7);
	for (size_t k = 0; k < 7; k++)
		assert_false(it->suggestions[k].no.ok);
	assert_int_equal(it->namendments, 3);
	assert_false(it->amendments[0].date.ok);
	assert_null(it->plan_digest);
	assert_int_equal(it->progress[0].nevidence, 3);
	assert_null(it->progress[0].evidence[0].sha256);
	assert_int_equal(it->progress[0].evidence[2].kind.value, -1);
	assert_null(l->doc->items[1].plan_digest);
	done(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_units_taken_as_read),
		cmocka_unit_test(test_control_characters_at_every_offset),
		cmocka_unit_test(test_good_ledger_typed),
		cmocka_unit_test(test_unknown_key_hints),
		cmocka_unit_test(test_types_dates_enums),
		cmocka_unit_test(test_empty_required_value),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_hex_fields),
		cmocka_unit_test(test_wrong_shapes_at_root),
		cmocka_unit_test(test_duplicate_key_not_typed_twice),
		cmocka_unit_test(test_good_config),
		cmocka_unit_test(test_bad_config),
		cmocka_unit_test(test_values_that_are_not_values),
		cmocka_unit_test(test_number_date_and_hex_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
