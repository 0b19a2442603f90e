/*
 * test_edit.c - the byte-preserving splicer (edit.h) on ledgers written
 * here.
 *
 * Every case parses a text with zg_tree_parse, makes its splices, applies
 * them and compares the result byte for byte with the text expected; the
 * result is then parsed again, so that no edit leaves a file that does
 * not read.  Comments, quoting, blank lines, CRLF and CR line ends and
 * the BOM around an edit must stay exactly as they were.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zg/edit.h"
#include "zg/tree.h"

/*
 * ---- out of memory, on demand ----
 *
 * The test replaces malloc, calloc and realloc (glibc allows it) with
 * ones that fail once, at the Nth call after oom_arm(N).  Not under
 * AddressSanitizer, which brings its own allocator: there the out of
 * memory tests are skipped.
 */
#include "oom.h"

/* ---- a text, its tree and an editor on it ---- */

struct ed {
	struct zg_arena arena;
	struct zg_diags diags;
	struct zg_node *root;
	struct zg_editor e;
};

static struct ed *ed_open_n(const char *text, size_t len)
{
	struct ed *x = calloc(1, sizeof *x);
	assert_non_null(x);
	zg_arena_init(&x->arena);
	zg_diags_init(&x->diags);
	assert_int_equal(zg_tree_parse(&x->arena, "t.yaml", text, len,
				       &x->root, &x->diags), 0);
	zg_editor_init(&x->e, text, len, &x->arena);
	return x;
}

static struct ed *ed_open(const char *text)
{
	struct ed *x = ed_open_n(text, strlen(text));
	if (x->diags.errors)
		fail_msg("the text before the edit has %zu error(s)", x->diags.errors);
	assert_non_null(x->root);
	return x;
}

static void ed_close(struct ed *x)
{
	zg_editor_release(&x->e);
	zg_diags_release(&x->diags);
	zg_arena_release(&x->arena);
	free(x);
}

/* Shows a buffer with its line ends visible, for a failure message. */
static void show(const char *what, const char *s, size_t n)
{
	print_message("%s (%zu bytes):\n", what, n);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r')
			print_message("\\r");
		else if (s[i] == '\n')
			print_message("\\n\n");
		else
			print_message("%c", s[i]);
	}
	print_message("<end>\n");
}

/*
 * Applies the splices; the result must be want (want_len bytes) and parse
 * again without an error (but the duplicate keys already there).
 */
static void ed_expect_n(struct ed *x, const char *want, size_t want_len)
{
	char *out = NULL;
	size_t len = 0;
	assert_int_equal(zg_editor_apply(&x->e, &out, &len), 0);
	assert_non_null(out);
	assert_int_equal(out[len], '\0');
	if (len != want_len || memcmp(out, want, len) != 0) {
		show("got", out, len);
		show("want", want, want_len);
		fail_msg("the edit's result differs");
	}
	struct zg_arena a = ZG_ARENA_INIT;
	struct zg_diags d;
	zg_diags_init(&d);
	struct zg_node *root = NULL;
	assert_int_equal(zg_tree_parse(&a, "t.yaml", out, len, &root, &d), 0);
	size_t dup = 0;
	for (size_t i = 0; i < d.n; i++)
		dup += strcmp(d.v[i].rule, ZG_RULE_DUPLICATE_KEY) == 0;
	if (d.errors != dup)
		fail_msg("the result does not parse cleanly: %s", d.v[0].message);
	zg_diags_release(&d);
	zg_arena_release(&a);
	free(out);
}

static void ed_expect(struct ed *x, const char *want)
{
	ed_expect_n(x, want, strlen(want));
}

/*
 * A node by path: "items/1/plan" (keys of mappings, indexes of lists);
 * "" is the root.
 */
static const struct zg_node *at(const struct ed *x, const char *path)
{
	const struct zg_node *n = x->root;
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *part = strtok(buf, "/"); part; part = strtok(NULL, "/")) {
		assert_non_null(n);
		if (n->kind == ZG_SEQUENCE) {
			size_t i = (size_t)strtoul(part, NULL, 10);
			assert_true(i < n->n);
			n = n->items[i];
		} else {
			n = zg_node_get(n, part);
		}
	}
	if (!n)
		fail_msg("no node at '%s'", path);
	return n;
}

/* The text of the scalar at path once text is parsed (malloc'd). */
static char *scalar_in(const char *text, const char *path)
{
	struct ed *x = ed_open(text);
	const struct zg_node *n = at(x, path);
	assert_int_equal(n->kind, ZG_SCALAR);
	char *s = strdup(n->text);
	assert_non_null(s);
	ed_close(x);
	return s;
}

static struct zg_value *sc(struct ed *x, const char *text)
{
	struct zg_value *v = zg_value_scalar(&x->arena, text);
	assert_non_null(v);
	return v;
}

static struct zg_value *raw(struct ed *x, const char *text)
{
	struct zg_value *v = zg_value_raw(&x->arena, text);
	assert_non_null(v);
	assert_true(v->raw);
	return v;
}

/*
 * A mapping of scalar texts: keys and values alternate, NULL ends.  flow
 * is an int: va_start after a parameter that promotes (bool) is undefined.
 */
static struct zg_value *map_of(struct ed *x, int flow, ...)
{
	struct zg_value *m = zg_value_map(&x->arena, flow);
	assert_non_null(m);
	va_list ap;
	va_start(ap, flow);
	for (const char *k; (k = va_arg(ap, const char *));) {
		const char *v = va_arg(ap, const char *);
		assert_int_equal(zg_value_add_text(&x->arena, m, k, v), 0);
	}
	va_end(ap);
	return m;
}

/* A list of scalar texts, NULL ends. */
static struct zg_value *list_of(struct ed *x, int flow, ...)
{
	struct zg_value *l = zg_value_list(&x->arena, flow);
	assert_non_null(l);
	va_list ap;
	va_start(ap, flow);
	for (const char *t; (t = va_arg(ap, const char *));)
		assert_int_equal(zg_value_add(&x->arena, l, NULL, sc(x, t)), 0);
	va_end(ap);
	return l;
}

/* ---- values ---- */

static void test_value_builders(void **state)
{
	(void)state;
	struct zg_arena a = ZG_ARENA_INIT;
	struct zg_value *m = zg_value_map(&a, false);
	assert_non_null(m);
	assert_int_equal(m->kind, ZG_VALUE_MAP);
	assert_false(m->flow);
	/* Nothing to add to: an error; nothing to add: no error, no entry. */
	assert_int_equal(zg_value_add(&a, NULL, "k", zg_value_scalar(&a, "v")), -1);
	assert_int_equal(zg_value_add(&a, m, "k", NULL), 0);
	assert_int_equal(zg_value_add_text(&a, m, "k", NULL), 0);
	assert_int_equal(m->n, 0);
	/* Past the first 8 entries the arrays grow and keep their order. */
	char key[8], text[8];
	for (int i = 0; i < 20; i++) {
		snprintf(key, sizeof key, "k%d", i);
		snprintf(text, sizeof text, "v%d", i);
		assert_int_equal(zg_value_add_text(&a, m, zg_arena_strdup(&a, key), text), 0);
	}
	assert_int_equal(m->n, 20);
	assert_true(m->cap >= 20);
	for (size_t i = 0; i < 20; i++) {
		snprintf(key, sizeof key, "k%zu", i);
		snprintf(text, sizeof text, "v%zu", i);
		assert_string_equal(m->keys[i], key);
		assert_int_equal(m->items[i]->kind, ZG_VALUE_SCALAR);
		assert_string_equal(m->items[i]->text, text);
		assert_false(m->items[i]->raw);
	}
	/* The text is copied into the arena. */
	char mine[] = "原文";
	struct zg_value *s = zg_value_scalar(&a, mine);
	mine[0] = 'x';
	assert_string_equal(s->text, "原文");
	struct zg_value *l = zg_value_list(&a, true);
	assert_int_equal(l->kind, ZG_VALUE_LIST);
	assert_true(l->flow);
	zg_arena_release(&a);
}

static void test_render_flow(void **state)
{
	(void)state;
	struct zg_arena a = ZG_ARENA_INIT;
	/* Scalars quoted only where YAML needs it; raw ones as they are. */
	assert_string_equal(zg_value_render_flow(&a, zg_value_scalar(&a, "县住建局")),
			    "县住建局");
	assert_string_equal(zg_value_render_flow(&a, zg_value_scalar(&a, "a: b")),
			    "\"a: b\"");
	assert_string_equal(zg_value_render_flow(&a, zg_value_scalar(&a, "2018-07-01")),
			    "\"2018-07-01\"");
	assert_string_equal(zg_value_render_flow(&a, zg_value_raw(&a, "2018-07-01")),
			    "2018-07-01");
	assert_string_equal(zg_value_render_flow(&a, zg_value_scalar(&a, "")), "\"\"");
	/* Empty collections. */
	assert_string_equal(zg_value_render_flow(&a, zg_value_map(&a, true)), "{}");
	assert_string_equal(zg_value_render_flow(&a, zg_value_list(&a, false)), "[]");
	/* Nested: a block value renders as flow all the same. */
	struct zg_value *m = zg_value_map(&a, false);
	assert_int_equal(zg_value_add(&a, m, "date", zg_value_raw(&a, "2018-10-01")), 0);
	assert_int_equal(zg_value_add_text(&a, m, "where", "县政府网站, 公示栏"), 0);
	struct zg_value *l = zg_value_list(&a, false);
	assert_int_equal(zg_value_add(&a, l, NULL, zg_value_scalar(&a, "x")), 0);
	assert_int_equal(zg_value_add(&a, l, NULL, zg_value_scalar(&a, "[y]")), 0);
	assert_int_equal(zg_value_add(&a, l, NULL, zg_value_map(&a, true)), 0);
	assert_int_equal(zg_value_add(&a, m, "list", l), 0);
	assert_string_equal(zg_value_render_flow(&a, m),
			    "{date: 2018-10-01, where: \"县政府网站, 公示栏\", "
			    "list: [x, \"[y]\", {}]}");
	zg_arena_release(&a);
}

/* ---- replacing scalars ---- */

static void test_set_plain_and_quoted(void **state)
{
	(void)state;
	struct ed *x = ed_open("# 台账\n"
			       "a: 旧值  # 注释留着\n"
			       "b: 'single'\n"
			       "c: \"double\"   # 双引号\n"
			       "d: plain\n"
			       "e: x\n");
	assert_int_equal(zg_edit_set_scalar(&x->e, at(x, "a"), "新值"), 0);
	/* New text is quoted as YAML needs, whatever the old style was. */
	assert_int_equal(zg_edit_set_scalar(&x->e, at(x, "b"), "it's: here"), 0);
	assert_int_equal(zg_edit_set_scalar(&x->e, at(x, "c"), "plain now"), 0);
	/* Raw values (dates, numbers) go in as they are. */
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "d", raw(x, "2018-07-01")), 0);
	/* A text that would read as a date is quoted. */
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "e", sc(x, "2018-07-01")), 0);
	ed_expect(x, "# 台账\n"
		     "a: 新值  # 注释留着\n"
		     "b: \"it's: here\"\n"
		     "c: plain now   # 双引号\n"
		     "d: 2018-07-01\n"
		     "e: \"2018-07-01\"\n");
	ed_close(x);
}

static void test_set_empty_value(void **state)
{
	(void)state;
	/* "key:" holds an empty scalar right after the colon: a space goes in. */
	struct ed *x = ed_open("a:\nb: 1\n");
	assert_int_equal(zg_edit_set_scalar(&x->e, at(x, "a"), "x"), 0);
	ed_expect(x, "a: x\nb: 1\n");
	ed_close(x);
	x = ed_open("a: ~\nb: 1\n");
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "a", raw(x, "3")), 0);
	ed_expect(x, "a: 3\nb: 1\n");
	ed_close(x);
}

static void test_set_block_scalars(void **state)
{
	(void)state;
	/* The blank lines after a literal block are the file's: kept. */
	struct ed *x = ed_open("a: |\n"
			       "  第一行\n"
			       "  第二行\n"
			       "\n"
			       "\n"
			       "b: x\n");
	assert_int_equal(zg_edit_set_scalar(&x->e, at(x, "a"), "一行"), 0);
	ed_expect(x, "a: 一行\n\n\nb: x\n");
	ed_close(x);

	/* A folded block with a chomping indicator, then a comment. */
	x = ed_open("a: >-\n"
		    "  folded\n"
		    "  text   \n"
		    "  \n"
		    "# 说明\n"
		    "b: x\n");
	assert_int_equal(zg_edit_set_scalar(&x->e, at(x, "a"), "new: text"), 0);
	ed_expect(x, "a: \"new: text\"\n  \n# 说明\nb: x\n");
	ed_close(x);

	/* A literal block that ends the file, and one nested in a list. */
	x = ed_open("items:\n"
		    "  - note: |+\n"
		    "      keep\n"
		    "\n"
		    "    n: 1\n"
		    "tail: |\n"
		    "  end");
	assert_int_equal(zg_edit_set_scalar(&x->e, at(x, "items/0/note"), "短"), 0);
	assert_int_equal(zg_edit_set_scalar(&x->e, at(x, "tail"), "完"), 0);
	ed_expect(x, "items:\n"
		     "  - note: 短\n"
		     "\n"
		     "    n: 1\n"
		     "tail: 完\n");
	ed_close(x);
}

static void test_set_refused(void **state)
{
	(void)state;
	struct ed *x = ed_open("a: {b: 1}\nl: [1]\ns: text\n");
	/* Only scalars are replaced. */
	assert_int_equal(zg_edit_set_scalar(&x->e, at(x, "a"), "x"), -1);
	/* map_set needs a mapping; a collection is not replaced by it. */
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "l"), "k", sc(x, "v")), -1);
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "a", sc(x, "v")), -1);
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "l", sc(x, "v")), -1);
	/* Nor is a text replaced by a collection. */
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "s", map_of(x, true, "k", "v", NULL)), -1);
	/* list_append needs a mapping holding a list (or nothing) there. */
	assert_int_equal(zg_edit_list_append(&x->e, at(x, "l"), "k", sc(x, "v")), -1);
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "s", sc(x, "v")), -1);
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "a", sc(x, "v")), -1);
	/* Nothing was spliced. */
	assert_int_equal(x->e.n, 0);
	ed_expect(x, "a: {b: 1}\nl: [1]\ns: text\n");
	ed_close(x);
}

static void test_duplicate_key(void **state)
{
	(void)state;
	/* The first of twin keys is the one that counts, and is the one set. */
	struct ed *x = ed_open_n("a: 1\na: 2\nab: 3\n", 16);
	assert_true(x->diags.n > 0);
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "a", raw(x, "9")), 0);
	/* A key that is a prefix of another is not that other key. */
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "abc", raw(x, "4")), 0);
	ed_expect(x, "a: 9\na: 2\nab: 3\nabc: 4\n");
	ed_close(x);
}

/* ---- adding keys ---- */

static void test_add_key_block(void **state)
{
	(void)state;
	struct ed *x = ed_open("unit: zjj\n"
			       "items:\n"
			       "  - id: zjj-001\n"
			       "    plan:\n"
			       "      goal: 目标\n"
			       "      owner: {leader: 李某}\n"
			       "    status: in_progress  # 推进中\n"
			       "# 文件结束\n");
	/* At the end of the mapping, at its keys' indentation, before the
	 * comment that follows it. */
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "items/0"), "completed",
					 raw(x, "2018-10-15")), 0);
	/* A mapping whose last value is a flow mapping. */
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "items/0/plan"), "outcome",
					 sc(x, "验收报告")), 0);
	ed_expect(x, "unit: zjj\n"
		     "items:\n"
		     "  - id: zjj-001\n"
		     "    plan:\n"
		     "      goal: 目标\n"
		     "      owner: {leader: 李某}\n"
		     "      outcome: 验收报告\n"
		     "    status: in_progress  # 推进中\n"
		     "    completed: 2018-10-15\n"
		     "# 文件结束\n");
	ed_close(x);
}

static void test_add_key_block_values(void **state)
{
	(void)state;
	struct ed *x = ed_open("id: zjj-001\n");
	/* A block mapping holding a block list of flow mappings, a block
	 * list of block lists, and an empty block list (written []). */
	struct zg_value *plan = zg_value_map(&x->arena, false);
	assert_int_equal(zg_value_add_text(&x->arena, plan, "goal", "消除积水点"), 0);
	struct zg_value *road = zg_value_list(&x->arena, false);
	assert_int_equal(zg_value_add(&x->arena, road, NULL,
				      map_of(x, true, "due", "2018-08-01", "step", "勘察", NULL)), 0);
	assert_int_equal(zg_value_add(&x->arena, plan, "roadmap", road), 0);
	struct zg_value *nested = zg_value_list(&x->arena, false);
	assert_int_equal(zg_value_add(&x->arena, nested, NULL, list_of(x, false, "a", "b", NULL)), 0);
	assert_int_equal(zg_value_add(&x->arena, plan, "nested", nested), 0);
	assert_int_equal(zg_value_add(&x->arena, plan, "none", zg_value_list(&x->arena, false)), 0);
	struct zg_value *owner = map_of(x, false, "leader", "李某", "person", "王某", NULL);
	assert_int_equal(zg_value_add(&x->arena, plan, "owner", owner), 0);
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "plan", plan), 0);
	ed_expect(x, "id: zjj-001\n"
		     "plan:\n"
		     "  goal: 消除积水点\n"
		     "  roadmap:\n"
		     "    - {due: \"2018-08-01\", step: 勘察}\n"
		     "  nested:\n"
		     "    -\n"
		     "      - a\n"
		     "      - b\n"
		     "  none: []\n"
		     "  owner:\n"
		     "    leader: 李某\n"
		     "    person: 王某\n");
	ed_close(x);
}

static void test_add_key_flow(void **state)
{
	(void)state;
	struct ed *x = ed_open("a: {x: 1, y: 2}  # 注\n"
			       "b: {}\n"
			       "c: { }\n");
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "a"), "z", raw(x, "3")), 0);
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "b"), "k", sc(x, "v, w")), 0);
	/* Inside a flow mapping even a block value is written as flow. */
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "c"), "m",
					 map_of(x, false, "p", "1", NULL)), 0);
	ed_expect(x, "a: {x: 1, y: 2, z: 3}  # 注\n"
		     "b: {k: \"v, w\"}\n"
		     "c: {m: {p: \"1\"} }\n");
	ed_close(x);
}

static void test_null_takes_value(void **state)
{
	(void)state;
	/* "key: ~" and "key:" take a block value under the key. */
	struct ed *x = ed_open("a: ~\n"
			       "b:\n"
			       "c: null   # 空\n"
			       "d: 1\n");
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "a",
					 map_of(x, false, "x", "1", "y", "二", NULL)), 0);
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "b",
					 list_of(x, false, "甲", "乙", NULL)), 0);
	/* A flow value stays on the key's line. */
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "c",
					 map_of(x, true, "date", "今天", NULL)), 0);
	ed_expect(x, "a:\n"
		     "  x: \"1\"\n"
		     "  y: 二\n"
		     "b:\n"
		     "  - 甲\n"
		     "  - 乙\n"
		     "c: {date: 今天}   # 空\n"
		     "d: 1\n");
	ed_close(x);

	/* In a flow mapping a null takes a flow value in place. */
	x = ed_open("m: {a: ~, b: 1}\n");
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "m"), "a",
					 list_of(x, false, "x", "z", NULL)), 0);
	ed_expect(x, "m: {a: [x, z], b: 1}\n");
	ed_close(x);
}

/* ---- appending to lists ---- */

static void test_append_block_lists(void **state)
{
	(void)state;
	/* An indentless list, followed by a comment. */
	struct ed *x = ed_open("items:\n"
			       "- a\n"
			       "- b  # 乙\n"
			       "# 尾注\n"
			       "next: 1\n");
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "items", sc(x, "c")), 0);
	ed_expect(x, "items:\n- a\n- b  # 乙\n- c\n# 尾注\nnext: 1\n");
	ed_close(x);

	/* 4-space indentation: the new entry's dash and keys in the columns
	 * of its siblings'. */
	x = ed_open("root:\n"
		    "    items:\n"
		    "        - id: 1\n"
		    "          x: y\n");
	assert_int_equal(zg_edit_list_append(&x->e, at(x, "root"), "items",
					     map_of(x, false, "id", "二", "x", "z", NULL)), 0);
	ed_expect(x, "root:\n"
		     "    items:\n"
		     "        - id: 1\n"
		     "          x: y\n"
		     "        - id: 二\n"
		     "          x: z\n");
	ed_close(x);
}

static void test_append_after_literal(void **state)
{
	(void)state;
	/* The last entry ends in a literal block: the new one goes after it. */
	struct ed *x = ed_open("items:\n"
			       "  - id: 1\n"
			       "    note: |\n"
			       "      第一行\n"
			       "      第二行\n"
			       "next: 1\n");
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "items",
					     map_of(x, false, "id", "二", NULL)), 0);
	ed_expect(x, "items:\n"
		     "  - id: 1\n"
		     "    note: |\n"
		     "      第一行\n"
		     "      第二行\n"
		     "  - id: 二\n"
		     "next: 1\n");
	ed_close(x);

	/* A kept (|+) block's trailing blank lines are its content: the
	 * new entry goes after them and the value reads back the same. */
	static const char keep[] = "items:\n"
				   "  - note: |+\n"
				   "      留\n"
				   "\n"
				   "\n"
				   "z: 1\n";
	char *before = scalar_in(keep, "items/0/note");
	assert_string_equal(before, "留\n\n\n");
	x = ed_open(keep);
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "items", sc(x, "新")), 0);
	static const char kept[] = "items:\n"
				   "  - note: |+\n"
				   "      留\n"
				   "\n"
				   "\n"
				   "  - 新\n"
				   "z: 1\n";
	ed_expect(x, kept);
	ed_close(x);
	char *after = scalar_in(kept, "items/0/note");
	assert_string_equal(after, before);
	free(before);
	free(after);

	/* A folded block as the entry itself. */
	x = ed_open("l:\n  - >\n    folded\n");
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "l", sc(x, "x")), 0);
	ed_expect(x, "l:\n  - >\n    folded\n  - x\n");
	ed_close(x);
}

static void test_append_no_final_newline(void **state)
{
	(void)state;
	/* The file lacks its last line end: one is written before the entry. */
	struct ed *x = ed_open("items:\n  - a  # 注");
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "items", sc(x, "b")), 0);
	ed_expect(x, "items:\n  - a  # 注\n  - b\n");
	ed_close(x);
	x = ed_open("a: 1");
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "b", raw(x, "2")), 0);
	ed_expect(x, "a: 1\nb: 2\n");
	ed_close(x);
}

static void test_append_flow_lists(void **state)
{
	(void)state;
	struct ed *x = ed_open("tags: [a, b]  # 注\n"
			       "none: []\n"
			       "spaced: [ ]\n"
			       "m: {l: [1]}\n");
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "tags", sc(x, "c, d")), 0);
	/* A scalar or flow value keeps an empty list on its line. */
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "none", sc(x, "x")), 0);
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "spaced",
					     map_of(x, true, "k", "v", NULL)), 0);
	/* In a flow mapping even a block value goes in as flow. */
	assert_int_equal(zg_edit_list_append(&x->e, at(x, "m"), "l",
					     map_of(x, false, "k", "v", NULL)), 0);
	ed_expect(x, "tags: [a, b, \"c, d\"]  # 注\n"
		     "none: [x]\n"
		     "spaced: [{k: v} ]\n"
		     "m: {l: [1, {k: v}]}\n");
	ed_close(x);
}

static void test_append_empty_flow_becomes_block(void **state)
{
	(void)state;
	/* "progress: []" under a block mapping becomes a block list. */
	struct ed *x = ed_open("items:\n"
			       "  - id: zjj-001\n"
			       "    progress: []   # 暂无\n"
			       "    status: not_started\n");
	assert_int_equal(zg_edit_list_append(&x->e, at(x, "items/0"), "progress",
					     map_of(x, false, "date", "十月", "note", "开工", NULL)), 0);
	ed_expect(x, "items:\n"
		     "  - id: zjj-001\n"
		     "    progress:   # 暂无\n"
		     "      - date: 十月\n"
		     "        note: 开工\n"
		     "    status: not_started\n");
	ed_close(x);
}

static void test_append_to_null_or_missing(void **state)
{
	(void)state;
	struct ed *x = ed_open("a:\n"
			       "b: ~\n"
			       "c: 1\n");
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "a", sc(x, "x")), 0);
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "b",
					     map_of(x, false, "k", "v", "k2", "v2", NULL)), 0);
	/* A missing key is created, holding a block list. */
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "d", sc(x, "丙")), 0);
	ed_expect(x, "a:\n"
		     "  - x\n"
		     "b:\n"
		     "  - k: v\n"
		     "    k2: v2\n"
		     "c: 1\n"
		     "d:\n"
		     "  - 丙\n");
	ed_close(x);

	/* In a flow mapping: a flow list. */
	x = ed_open("m: {a: 1, n: ~}\nz: {}\n");
	assert_int_equal(zg_edit_list_append(&x->e, at(x, "m"), "l", sc(x, "x")), 0);
	assert_int_equal(zg_edit_list_append(&x->e, at(x, "m"), "n", sc(x, "丁")), 0);
	assert_int_equal(zg_edit_list_append(&x->e, at(x, "z"), "l", sc(x, "w")), 0);
	ed_expect(x, "m: {a: 1, n: [丁], l: [x]}\nz: {l: [w]}\n");
	ed_close(x);
}

/* ---- line ends and the BOM ---- */

static void test_crlf(void **state)
{
	(void)state;
	static const char text[] = "\xEF\xBB\xBF# 台账\r\n"
				   "unit: zjj\r\n"
				   "items:\r\n"
				   "  - id: zjj-001\r\n"
				   "    note: |\r\n"
				   "      一\r\n"
				   "\r\n"
				   "tail: x\r\n";
	struct ed *x = ed_open(text);
	assert_int_equal(x->e.bom, 3);
	assert_string_equal(x->e.eol, "\r\n");
	assert_int_equal(zg_edit_set_scalar(&x->e, at(x, "unit"), "jyj"), 0);
	assert_int_equal(zg_edit_set_scalar(&x->e, at(x, "items/0/note"), "二"), 0);
	/* After a block scalar the new entry goes past the blank lines that
	 * follow it (libyaml's end mark is there; for a |+ block they are
	 * its content): the blank line now precedes the new entry. */
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "items",
					     map_of(x, false, "id", "zjj-002", "s", "x", NULL)), 0);
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "extra",
					 list_of(x, false, "p", NULL)), 0);
	ed_expect(x, "\xEF\xBB\xBF# 台账\r\n"
		     "unit: jyj\r\n"
		     "items:\r\n"
		     "  - id: zjj-001\r\n"
		     "    note: 二\r\n"
		     "\r\n"
		     "  - id: zjj-002\r\n"
		     "    s: x\r\n"
		     "tail: x\r\n"
		     "extra:\r\n"
		     "  - p\r\n");
	ed_close(x);

	/* Without a final line end, the one written first is CRLF too. */
	x = ed_open("a: 1\r\nb: 2");
	assert_int_equal(zg_edit_append_raw(&x->e, "c: 3\nd: 4\n"), 0);
	ed_expect(x, "a: 1\r\nb: 2\r\nc: 3\r\nd: 4\r\n");
	ed_close(x);
}

static void test_cr_only(void **state)
{
	(void)state;
	struct ed *x = ed_open("a: 1\r"
			       "items:\r"
			       "  - x  # 注\r"
			       "b: 2\r");
	assert_string_equal(x->e.eol, "\r");
	assert_int_equal(x->e.bom, 0);
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "items",
					     map_of(x, false, "k", "v", "k2", "v2", NULL)), 0);
	assert_int_equal(zg_edit_set_scalar(&x->e, at(x, "b"), "三"), 0);
	ed_expect(x, "a: 1\r"
		     "items:\r"
		     "  - x  # 注\r"
		     "  - k: v\r"
		     "    k2: v2\r"
		     "b: 三\r");
	ed_close(x);

	/* One CR, as the last byte: the file still says CR. */
	x = ed_open("a: 1\r");
	assert_string_equal(x->e.eol, "\r");
	assert_int_equal(zg_edit_append_raw(&x->e, "b: 2\n"), 0);
	ed_expect(x, "a: 1\rb: 2\r");
	ed_close(x);
}

static void test_bom_and_eol_detection(void **state)
{
	(void)state;
	/* The BOM is kept, and marks after it are counted from it. */
	struct ed *x = ed_open("\xEF\xBB\xBF" "a: 县\nb: 2\n");
	assert_int_equal(x->e.bom, 3);
	assert_string_equal(x->e.eol, "\n");
	assert_int_equal(zg_edit_set_scalar(&x->e, at(x, "b"), "乡"), 0);
	assert_int_equal(zg_edit_set_scalar(&x->e, at(x, "a"), "镇"), 0);
	ed_expect(x, "\xEF\xBB\xBF" "a: 镇\nb: 乡\n");
	ed_close(x);

	/* No line break at all: LF for anything new. */
	x = ed_open("a: 1");
	assert_string_equal(x->e.eol, "\n");
	ed_close(x);
	x = ed_open("\xEF\xBB\xBF" "a: 1");
	assert_int_equal(x->e.bom, 3);
	assert_int_equal(zg_edit_append_raw(&x->e, "b: 2\n"), 0);
	ed_expect(x, "\xEF\xBB\xBF" "a: 1\nb: 2\n");
	ed_close(x);
}

/* ---- raw appends ---- */

static void test_append_raw(void **state)
{
	(void)state;
	/* A file of comments only: no tree, text appended as it is. */
	struct ed *x = ed_open_n("# 只有注释", strlen("# 只有注释"));
	assert_null(x->root);
	assert_int_equal(zg_edit_append_raw(&x->e, "zjj-001:\n  - {name: 张}\n"), 0);
	ed_expect(x, "# 只有注释\nzjj-001:\n  - {name: 张}\n");
	ed_close(x);
	/* An empty file, and a BOM alone: nothing to end first. */
	x = ed_open_n("", 0);
	assert_int_equal(zg_edit_append_raw(&x->e, "k: 1\n"), 0);
	ed_expect(x, "k: 1\n");
	ed_close(x);
	x = ed_open_n("\xEF\xBB\xBF", 3);
	assert_int_equal(zg_edit_append_raw(&x->e, "k: 1\n"), 0);
	ed_expect(x, "\xEF\xBB\xBF" "k: 1\n");
	ed_close(x);
}

/* ---- several splices ---- */

static void test_splices_at_one_place(void **state)
{
	(void)state;
	/* Three insertions at the file's end, made outermost first: they
	 * land deepest first, so each reads back where it belongs. */
	struct ed *x = ed_open("a: 1\n"
			       "items:\n"
			       "  - id: 1\n"
			       "    note: x\n");
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "z", raw(x, "9")), 0);
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "items", sc(x, "新")), 0);
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "items/0"), "extra", sc(x, "有")), 0);
	ed_expect(x, "a: 1\n"
		     "items:\n"
		     "  - id: 1\n"
		     "    note: x\n"
		     "    extra: 有\n"
		     "  - 新\n"
		     "z: 9\n");
	ed_close(x);
}

static void test_many_splices_any_order(void **state)
{
	(void)state;
	/* Twelve replacements, made from the last line up (the byte walk
	 * restarts for each), in text of 1-, 2-, 3- and 4-byte characters. */
	struct ed *x = ed_open("k0: é\nk1: 名\nk2: 𝄞\nk3: a\nk4: é\nk5: 名\n"
			       "k6: 𝄞\nk7: a\nk8: é\nk9: 名\nk10: 𝄞\nk11: a\n");
	char key[8];
	for (int i = 11; i >= 0; i--) {
		snprintf(key, sizeof key, "k%d", i);
		char v[8];
		snprintf(v, sizeof v, "%d", i * 10);
		assert_int_equal(zg_edit_map_set(&x->e, x->root, key, raw(x, v)), 0);
	}
	assert_int_equal(x->e.n, 12);
	ed_expect(x, "k0: 0\nk1: 10\nk2: 20\nk3: 30\nk4: 40\nk5: 50\n"
		     "k6: 60\nk7: 70\nk8: 80\nk9: 90\nk10: 100\nk11: 110\n");
	ed_close(x);
}

static void test_overlap_refused(void **state)
{
	(void)state;
	/* One place changed twice cannot be made. */
	struct ed *x = ed_open("a: 1\nb: 2\n");
	assert_int_equal(zg_edit_set_scalar(&x->e, at(x, "a"), "x"), 0);
	assert_int_equal(zg_edit_set_scalar(&x->e, at(x, "a"), "y"), 0);
	char *out = (char *)"untouched";
	size_t len = 7;
	assert_int_equal(zg_editor_apply(&x->e, &out, &len), -1);
	assert_null(out);
	assert_false(x->e.oom);
	ed_close(x);
	/* A null replaced by a block value and a key added to the same
	 * mapping still go in, one after the other. */
	x = ed_open("a: ~\n");
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "a",
					 list_of(x, false, "1", NULL)), 0);
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "b", raw(x, "2")), 0);
	ed_expect(x, "a:\n  - \"1\"\nb: 2\n");
	ed_close(x);
}

static void test_more_places(void **state)
{
	(void)state;
	/* A CR-only file ending in its only CR: a key goes after it. */
	struct ed *x = ed_open("a: 1\r");
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "b", raw(x, "2")), 0);
	ed_expect(x, "a: 1\rb: 2\r");
	ed_close(x);

	/* Tabs after a literal block's last line are layout, not kept. */
	x = ed_open("a: |\n  text\t\n  \t\nb: 1\n");
	assert_int_equal(zg_edit_set_scalar(&x->e, at(x, "a"), "x"), 0);
	ed_expect(x, "a: x\n  \t\nb: 1\n");
	ed_close(x);

	/* "key:" takes a flow value on its own line, after a space. */
	x = ed_open("c:\nd: 1\n");
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "c",
					 map_of(x, true, "k", "v", NULL)), 0);
	ed_expect(x, "c: {k: v}\nd: 1\n");
	ed_close(x);

	/* Two entries added to one empty flow collection. */
	x = ed_open("- {}\n- []\n");
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "0"), "a", raw(x, "1")), 0);
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "0"), "b", raw(x, "2")), 0);
	ed_expect(x, "- {a: 1, b: 2}\n- []\n");
	ed_close(x);
	x = ed_open("l: []\n");
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "l", sc(x, "a")), 0);
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "l", sc(x, "b")), 0);
	ed_expect(x, "l: [a, b]\n");
	ed_close(x);

	/* An empty [] inside a flow mapping stays flow for a block value. */
	x = ed_open("m: {l: []}\n");
	assert_int_equal(zg_edit_list_append(&x->e, at(x, "m"), "l",
					     map_of(x, false, "k", "v", NULL)), 0);
	ed_expect(x, "m: {l: [{k: v}]}\n");
	ed_close(x);
}

static void test_unicode_line_ends(void **state)
{
	(void)state;
	/* NEL, LS and PS end lines as LF does (YAML 1.1, libyaml): a key
	 * added after a line so ended starts after the separator. */
	static const char *const seps[] = { "\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9" };
	for (size_t i = 0; i < 3; i++) {
		char text[64], want[64];
		snprintf(text, sizeof text, "m:\n  a: 1%s  b: 2%sn: 1\n", seps[i], seps[i]);
		snprintf(want, sizeof want, "m:\n  a: 1%s  b: 2%s  c: 3\nn: 1\n", seps[i], seps[i]);
		struct ed *x = ed_open(text);
		assert_int_equal(zg_edit_map_set(&x->e, at(x, "m"), "c", raw(x, "3")), 0);
		ed_expect(x, want);
		ed_close(x);
		/* A file that ends in such a separator has its last line
		 * end: the key follows it directly, with no empty line, and
		 * ends in the file's first line break. */
		snprintf(text, sizeof text, "a: 1%s", seps[i]);
		snprintf(want, sizeof want, "a: 1%sc: 3%s", seps[i], seps[i]);
		x = ed_open(text);
		assert_string_equal(x->e.eol, seps[i]);
		ed_close(x);
		x = ed_open(text);
		assert_int_equal(zg_edit_map_set(&x->e, x->root, "c", raw(x, "3")), 0);
		ed_expect(x, want);
		ed_close(x);
		/* So does an entry appended to a list that ends the file. */
		snprintf(text, sizeof text, "l:\n  - a%s", seps[i]);
		snprintf(want, sizeof want, "l:\n  - a%s  - b\n", seps[i]);
		x = ed_open(text);
		assert_int_equal(zg_edit_list_append(&x->e, x->root, "l", sc(x, "b")), 0);
		ed_expect(x, want);
		ed_close(x);
	}
}

static void test_keys_without_values(void **state)
{
	(void)state;
	/* "? key" with no value: its value is marked at the next token,
	 * which is not a place to write. */
	struct ed *x = ed_open("? a\nb: 1\n");
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "a", sc(x, "v")), -1);
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "a", sc(x, "v")), -1);
	/* A mapping ending in one: a new key goes after its line. */
	ed_close(x);
	x = ed_open("b: 1\n? c\n# 尾\n");
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "d", raw(x, "9")), 0);
	ed_expect(x, "b: 1\n? c\nd: 9\n# 尾\n");
	ed_close(x);
	/* A flow key without ':'. */
	x = ed_open("m: {a , b: 1, c: ,d:\n  ,}\n");
	/* libyaml marks the empty value at the ',', past the blank (and
	 * the line break): the value is written right after its ':'. */
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "m"), "a", sc(x, "v")), -1);
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "m"), "c", sc(x, "v")), 0);
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "m"), "d", sc(x, "w")), 0);
	ed_expect(x, "m: {a , b: 1, c: v ,d: w\n  ,}\n");
	ed_close(x);
	/* "? key" and ':' on the next line, with no value: the value is
	 * marked at the ':', and is written there; a key added to the
	 * mapping goes after that line. */
	x = ed_open("? a\n:\n? b\n:\n");
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "a", sc(x, "v")), 0);
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "c", raw(x, "3")), 0);
	ed_expect(x, "? a\n: v\n? b\n:\nc: 3\n");
	ed_close(x);
	/* ":x" after "? key" is the next key, not the value indicator. */
	x = ed_open("? a\n:x: 1\n");
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "a", sc(x, "v")), -1);
	ed_close(x);
	x = ed_open("m: {a, b: 1}\n");
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "m"), "a", sc(x, "v")), -1);
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "m"), "c", raw(x, "2")), 0);
	ed_expect(x, "m: {a, b: 1, c: 2}\n");
	ed_close(x);
}

static void test_unnamed_key_refused(void **state)
{
	(void)state;
	/* A lone '?' is a key without a name: no key is added to its
	 * mapping, and no entry after a mapping that ends in one. */
	struct ed *x = ed_open_n("a: 1\n?\n", strlen("a: 1\n?\n"));
	assert_non_null(x->root);
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "b", raw(x, "2")), -1);
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "l", sc(x, "v")), -1);
	assert_int_equal(x->e.n, 0);
	ed_close(x);
	static const char text[] = "items:\n  - a: 1\n    ?\n";
	x = ed_open_n(text, strlen(text));
	assert_non_null(x->root);
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "items", sc(x, "v")), 0);
	assert_true(x->e.unsafe);
	char *out = (char *)"untouched";
	size_t len;
	assert_int_equal(zg_editor_apply(&x->e, &out, &len), -1);
	assert_null(out);
	ed_close(x);
}

static void test_tagged_mapping(void **state)
{
	(void)state;
	/* A tag before a mapping: new keys in its keys' column. */
	struct ed *x = ed_open("m: !!map\n  a: 1\n");
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "m"), "b", raw(x, "2")), 0);
	ed_expect(x, "m: !!map\n  a: 1\n  b: 2\n");
	ed_close(x);
}

/* The edit's result, byte for byte, for a text zg reports (anchors). */
static void ed_expect_reported(struct ed *x, const char *want)
{
	char *out = NULL;
	size_t len = 0;
	assert_int_equal(zg_editor_apply(&x->e, &out, &len), 0);
	assert_non_null(out);
	assert_string_equal(out, want);
	assert_int_equal(len, strlen(want));
	free(out);
}

static void test_anchor_of_first_key_without_blank(void **state)
{
	(void)state;
	/* "&a::" is the anchor a of the key ':' (a name ends at the ':'),
	 * not the mapping's own property: new keys go in its column, even
	 * when a comment ends the line.  (zg reports anchors; the tree is
	 * built all the same, and zg-add edits such a ledger.) */
	static const char keyed[] = "&a:: # 注\n";
	struct ed *x = ed_open_n(keyed, strlen(keyed));
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "b", raw(x, "2")), 0);
	ed_expect_reported(x, "&a:: # 注\nb: 2\n");
	ed_close(x);
	/* A mapping's own anchor, alone on its line: keys below it. */
	static const char own[] = "m: &m\n  a: 1\n";
	x = ed_open_n(own, strlen(own));
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "m"), "b", raw(x, "2")), 0);
	ed_expect_reported(x, "m: &m\n  a: 1\n  b: 2\n");
	ed_close(x);
}

static void test_layout_known(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		bool known;
	} cases[] = {
		{ "a: |\n  x\nb: >-\n  y\n", true },
		{ "a: |-\n  x\n", true },
		{ "l: [1, {k: v}]\nm: {a: 1}\n", true },
		{ "a: \"? not a key\"\n", true },
		{ "a: |2\n   x\n", false },
		{ "a: >-1\n  x\n", false },
		{ "a: |+3\n     x\n", false },
		{ "? a\n: 1\n", false },
		{ "m:\n  ?\n    k\n  : v\n", false },
		{ "l:\n  - x: 1\n    ? y\n", false },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct ed *x = ed_open_n(cases[i].text, strlen(cases[i].text));
		assert_non_null(x->root);
		if (zg_edit_layout_known(&x->e, x->root) != cases[i].known)
			fail_msg("case %zu (%s): want %d", i, cases[i].text,
				 cases[i].known);
		ed_close(x);
	}
}

static void test_empty_flow_value_before_new_keys(void **state)
{
	(void)state;
	/* The empty value of "result:" is marked at the '}', where the new
	 * keys go: it is written after its ':', so it stays its key's. */
	struct ed *x = ed_open("l:\n  - {id: a, result:  }\n");
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "l/0"), "status", raw(x, "closed")), 0);
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "l/0"), "result", sc(x, "好")), 0);
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "l/0"), "score", raw(x, "95")), 0);
	ed_expect(x, "l:\n  - {id: a, result: 好  , status: closed, score: 95}\n");
	ed_close(x);
}

/* An empty value with a tag (or an anchor) is marked at it, and its new
 * text goes after it; before it, the text would join the tag's scalar. */
static void test_empty_flow_value_with_property(void **state)
{
	(void)state;
	struct ed *x = ed_open("l:\n  - {id: a, status: !!str }\n"
			       "  - {id: b, status: !!str , x: 1}\n");
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "l/0"), "status", raw(x, "closed")), 0);
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "l/0"), "score", raw(x, "95")), 0);
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "l/1"), "status", raw(x, "done")), 0);
	ed_expect(x, "l:\n  - {id: a, status: !!str closed, score: 95 }\n"
		     "  - {id: b, status: !!str done , x: 1}\n");
	ed_close(x);
}

/* Keys that are not plain text (an item's id in the contacts) are
 * quoted; field names, even "no", stay plain. */
static void test_keys_quoted_when_needed(void **state)
{
	(void)state;
	struct ed *x = ed_open("a: 1\nf: {x: 1}\n");
	assert_int_equal(zg_edit_map_set(&x->e, at(x, ""), "zjj; ", raw(x, "1")), 0);
	assert_int_equal(zg_edit_map_set(&x->e, at(x, ""), "no", raw(x, "2")), 0);
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "f"), "a: b", raw(x, "3")), 0);
	ed_expect(x, "a: 1\nf: {x: 1, \"a: b\": 3}\n\"zjj; \": 1\nno: 2\n");
	ed_close(x);
}

static void test_pair_in_flow_sequence(void **state)
{
	(void)state;
	/* "[k: v]" holds a mapping without braces: ", b: 2" would be a new
	 * entry of the list.  Refused; its value can still be set. */
	struct ed *x = ed_open("l: [k: v, {a: 1}]\n");
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "l/0"), "b", raw(x, "2")), -1);
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "l/0"), "k", raw(x, "w")), 0);
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "l/1"), "b", raw(x, "2")), 0);
	ed_expect(x, "l: [k: w, {a: 1, b: 2}]\n");
	ed_close(x);
}

static void test_tagged_list_and_explicit_keys(void **state)
{
	(void)state;
	/* A tag before a list: the new entry goes in its dashes' column. */
	struct ed *x = ed_open("l: !!seq\n  - a\n");
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "l", sc(x, "b")), 0);
	ed_expect(x, "l: !!seq\n  - a\n  - b\n");
	ed_close(x);
	/* ... and a comment between the tag and the first entry. */
	x = ed_open("l: !!seq  # 注\n\n    - a\n");
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "l", sc(x, "b")), 0);
	ed_expect(x, "l: !!seq  # 注\n\n    - a\n    - b\n");
	ed_close(x);
	/* A BOM that starts a line counts as a column (libyaml skips it). */
	x = ed_open("m: !!map\n\xEF\xBB\xBF a: 1\n");
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "m"), "b", raw(x, "2")), 0);
	ed_expect(x, "m: !!map\n\xEF\xBB\xBF a: 1\n  b: 2\n");
	ed_close(x);
	/* A tag of the first key, on its line, starts that line. */
	x = ed_open("m:\n  !!str a: 1\n");
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "m"), "b", raw(x, "2")), 0);
	ed_expect(x, "m:\n  !!str a: 1\n  b: 2\n");
	ed_close(x);
	x = ed_open("m: !!map\n  !!str a: 1\n");
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "m"), "b", raw(x, "2")), 0);
	ed_expect(x, "m: !!map\n  !!str a: 1\n  b: 2\n");
	ed_close(x);
	/* A mapping whose first key is explicit: new keys in the '?' column,
	 * not in the key's. */
	x = ed_open("? a\n: 1\n");
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "b", raw(x, "2")), 0);
	ed_expect(x, "? a\n: 1\nb: 2\n");
	ed_close(x);
	x = ed_open("l:\n  - ? a\n    : 1\n");
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "l/0"), "b", raw(x, "2")), 0);
	ed_expect(x, "l:\n  - ? a\n    : 1\n    b: 2\n");
	ed_close(x);
}

static void test_properties_kept(void **state)
{
	(void)state;
	/* An empty value that is only a tag (or an anchor), on the line
	 * after its key: a key added after it goes after that line, not
	 * between the two. */
	struct ed *x = ed_open("ut1:\n !!str");
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "b", raw(x, "2")), 0);
	ed_expect(x, "ut1:\n !!str\nb: 2\n");
	ed_close(x);
	/* A tagged scalar replaced keeps its tag; an empty tagged value
	 * gets its value after the tag. */
	x = ed_open("a: !!str 1\nb: !!str\nc: !!str # 注\n  x\n");
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "a", sc(x, "v")), 0);
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "b", sc(x, "w")), 0);
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "c", sc(x, "新")), 0);
	ed_expect(x, "a: !!str v\nb: !!str w\nc: !!str # 注\n  新\n");
	ed_close(x);
	/* Empty tagged flow collections take their first entry inside. */
	x = ed_open("m: !!map {}\nl: !!seq []\n");
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "m"), "k", raw(x, "1")), 0);
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "l", sc(x, "v")), 0);
	ed_expect(x, "m: !!map {k: 1}\nl: !!seq [v]\n");
	ed_close(x);
	/* ... and a tagged [] becomes a block list under its tag. */
	x = ed_open("l: !!seq []\nz: 1\n");
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "l",
					     map_of(x, false, "k", "v", NULL)), 0);
	ed_expect(x, "l: !!seq\n  - k: v\nz: 1\n");
	ed_close(x);
}

static void test_blank_lines_with_tabs(void **state)
{
	(void)state;
	/* A line of blanks with a tab is legal only as a trailing line of a
	 * plain scalar: new lines go after it, never between the two. */
	struct ed *x = ed_open("u: (\n \t\t\t");
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "b", raw(x, "2")), 0);
	ed_expect(x, "u: (\n \t\t\t\nb: 2\n");
	ed_close(x);
	x = ed_open("items:\n  - a: x\n\n      \t\n\n  - b\nz: 1\n");
	assert_int_equal(zg_edit_map_set(&x->e, at(x, "items/0"), "c", raw(x, "3")), 0);
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "items", sc(x, "d")), 0);
	ed_expect(x, "items:\n  - a: x\n\n      \t\n    c: 3\n\n  - b\n  - d\nz: 1\n");
	ed_close(x);
	/* The scalar may be replaced by a plain one, which keeps them legal. */
	x = ed_open("a: x\n \t\nb: 1\n");
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "a", raw(x, "2018-07-05")), 0);
	ed_expect(x, "a: 2018-07-05\n \t\nb: 1\n");
	ed_close(x);
	/* Not by a quoted one, nor a null by a collection: refused. */
	static const char *const refused[][2] = {
		{ "a: x\n \t\nb: 1\n", "a" },
		{ "a: ~\n \t\nb: 1\n", "a" },
	};
	for (size_t i = 0; i < 2; i++) {
		x = ed_open(refused[i][0]);
		assert_int_equal(zg_edit_map_set(&x->e, x->root, refused[i][1],
						 sc(x, "a: b")), 0);
		char *out = (char *)"untouched";
		size_t len;
		assert_int_equal(zg_editor_apply(&x->e, &out, &len), -1);
		assert_null(out);
		ed_close(x);
	}
	x = ed_open("a: ~\n \t\nb: 1\n");
	assert_int_equal(zg_edit_list_append(&x->e, x->root, "a", sc(x, "v")), 0);
	assert_true(x->e.unsafe);
	ed_close(x);
	x = ed_open("a: null\n \t\nb: 1\n");
	assert_int_equal(zg_edit_map_set(&x->e, x->root, "a",
					 map_of(x, true, "k", "v", NULL)), 0);
	assert_true(x->e.unsafe);
	ed_close(x);
}

static void test_release_and_reuse(void **state)
{
	(void)state;
	struct ed *x = ed_open("a: 1\n");
	assert_int_equal(zg_edit_set_scalar(&x->e, at(x, "a"), "2"), 0);
	zg_editor_release(&x->e);
	assert_null(x->e.v);
	assert_int_equal(x->e.n, 0);
	/* Released: no splice left, the text comes back as it was. */
	ed_expect(x, "a: 1\n");
	ed_close(x);
}

/* ---- out of memory ---- */

#if OOM_TESTS
/* Bytes an arena hands out for n bytes asked (its alignment). */
static size_t arena_size(size_t n)
{
	const size_t al = _Alignof(max_align_t);
	return (n + al - 1) & ~(al - 1);
}

/*
 * Leaves exactly room bytes in the arena's only block, so that the next
 * allocation past them needs a new block, that is a malloc.  Strings
 * pack, so first an aligned allocation brings the arena to alignment.
 */
static void arena_leave(struct zg_arena *a, size_t room)
{
	if (!a->head || a->used % _Alignof(max_align_t))
		assert_non_null(zg_arena_alloc(a, 1));
	assert_true(a->total - a->used >= room);
	if (a->total - a->used > room)
		assert_non_null(zg_arena_alloc(a, a->total - a->used - room));
	assert_int_equal(a->total - a->used, room);
}
#endif

static void test_oom_values(void **state)
{
	(void)state;
#if !OOM_TESTS
	print_message("out of memory tests need the system allocator: skipped\n");
	skip();
#else
	struct zg_arena a = ZG_ARENA_INIT;
	/* No room for the value itself. */
	arena_leave(&a, 0);
	oom_arm(0);
	assert_null(zg_value_map(&a, false));
	assert_true(oom_disarm());
	oom_arm(0);
	assert_null(zg_value_list(&a, true));
	assert_true(oom_disarm());
	oom_arm(0);
	assert_null(zg_value_scalar(&a, "x"));
	assert_true(oom_disarm());
	oom_arm(0);
	assert_null(zg_value_raw(&a, "2018-01-01"));
	assert_true(oom_disarm());
	/* Room for the value, not for its text. */
	zg_arena_release(&a);
	arena_leave(&a, arena_size(sizeof(struct zg_value)));
	oom_arm(0);
	assert_null(zg_value_scalar(&a, "x"));
	assert_true(oom_disarm());

	/* Adding: no room for the keys, or for the items after them. */
	zg_arena_release(&a);
	struct zg_value *m = zg_value_map(&a, false);
	struct zg_value *v = zg_value_scalar(&a, "v");
	assert_non_null(m);
	assert_non_null(v);
	arena_leave(&a, 0);
	oom_arm(0);
	assert_int_equal(zg_value_add(&a, m, "k", v), -1);
	assert_true(oom_disarm());
	assert_int_equal(m->n, 0);
	zg_arena_release(&a);
	m = zg_value_map(&a, false);
	v = zg_value_scalar(&a, "v");
	arena_leave(&a, arena_size(8 * sizeof(const char *)));
	oom_arm(0);
	assert_int_equal(zg_value_add(&a, m, "k", v), -1);
	assert_true(oom_disarm());
	assert_int_equal(m->n, 0);
	/* add_text: no room for the scalar. */
	zg_arena_release(&a);
	m = zg_value_map(&a, false);
	arena_leave(&a, 0);
	oom_arm(0);
	assert_int_equal(zg_value_add_text(&a, m, "k", "v"), -1);
	assert_true(oom_disarm());
	assert_int_equal(m->n, 0);

	/* Rendering: the buffer, a scalar's buffer, the arena's copy (the
	 * arena is kept full, so that the copy needs a block of its own). */
	zg_arena_release(&a);
	m = zg_value_map(&a, true);
	assert_int_equal(zg_value_add_text(&a, m, "k", "a: b"), 0);
	long n = 0;
	for (;; n++) {
		struct zg_arena copy = ZG_ARENA_INIT;
		arena_leave(&copy, 0);
		oom_arm(n);
		char *s = zg_value_render_flow(&copy, m);
		bool hit = oom_disarm();
		if (!hit)
			assert_string_equal(s, "{k: \"a: b\"}");
		else
			assert_null(s);
		zg_arena_release(&copy);
		if (!hit)
			break;
	}
	assert_true(n >= 3);
	zg_arena_release(&a);
#endif
}

#if OOM_TESTS
static const char oom_text[] = "a: 1\n"
			       "b: ~\n"
			       "l: []\n"
			       "items:\n"
			       "  - id: 1\n";

static const char oom_want[] = "a: \"x: y\"\n"
			       "b:\n"
			       "  k0: v0\n"
			       "  k1: v1\n"
			       "  k2: v2\n"
			       "  k3: v3\n"
			       "  k4: v4\n"
			       "  k5: v5\n"
			       "  k6: v6\n"
			       "  k7: v7\n"
			       "  k8: v8\n"
			       "l:\n"
			       "  - e: f\n"
			       "    g: h\n"
			       "items:\n"
			       "  - id: 1\n"
			       "    note: 记\n"
			       "  - 新\n"
			       "z0: 0\n"
			       "z1: 1\n"
			       "z2: 2\n"
			       "z3: 3\n"
			       "z4: 4\n"
			       "z5: 5\n";

/*
 * Every kind of edit, on a fresh arena; -1 at the first failure.  An
 * edit that fails must leave the editor refusing to apply.
 */
static int oom_scenario(struct ed *x, struct zg_arena *a, char **out,
			size_t *len)
{
	*out = NULL;
	struct zg_editor *e = &x->e;
	zg_editor_init(e, oom_text, strlen(oom_text), a);
	struct zg_value *m = zg_value_map(a, false);
	if (!m)
		return -1;
	for (int i = 0; i < 9; i++) {
		char *k = zg_arena_printf(a, "k%d", i), *v = zg_arena_printf(a, "v%d", i);
		if (!k || !v || zg_value_add_text(a, m, k, v))
			return -1;
	}
	struct zg_value *entry = zg_value_map(a, false);
	if (!entry || zg_value_add_text(a, entry, "e", "f") ||
	    zg_value_add_text(a, entry, "g", "h"))
		return -1;
	struct zg_value *s = zg_value_scalar(a, "新"), *n = zg_value_scalar(a, "记");
	if (!s || !n)
		return -1;
	int rc = zg_edit_set_scalar(e, at(x, "a"), "x: y");
	rc = rc ? rc : zg_edit_map_set(e, x->root, "b", m);
	rc = rc ? rc : zg_edit_list_append(e, x->root, "l", entry);
	rc = rc ? rc : zg_edit_list_append(e, x->root, "items", s);
	rc = rc ? rc : zg_edit_map_set(e, at(x, "items/0"), "note", n);
	for (int i = 0; i < 6 && !rc; i++) {
		char *line = zg_arena_printf(a, "z%d: %d\n", i, i);
		rc = line ? zg_edit_append_raw(e, line) : -1;
	}
	if (rc) {
		assert_true(e->oom);
		assert_int_equal(zg_editor_apply(e, out, len), -1);
		assert_null(*out);
		return -1;
	}
	return zg_editor_apply(e, out, len);
}
#endif

static void test_oom_edits(void **state)
{
	(void)state;
#if !OOM_TESTS
	print_message("out of memory tests need the system allocator: skipped\n");
	skip();
#else
	/* The Nth allocation fails, for every N up to the edit's last: the
	 * edit fails as a whole or gives the very text it would have. */
	long n = 0;
	for (;; n++) {
		struct ed *x = ed_open(oom_text);
		struct zg_arena a = ZG_ARENA_INIT;
		char *out = NULL;
		size_t len = 0;
		oom_arm(n);
		int rc = oom_scenario(x, &a, &out, &len);
		bool hit = oom_disarm();
		if (!hit) {
			assert_int_equal(rc, 0);
			assert_non_null(out);
			if (strcmp(out, oom_want) != 0) {
				show("got", out, len);
				fail_msg("the edit without a failure differs");
			}
		} else {
			assert_int_equal(rc, -1);
			assert_null(out);
		}
		free(out);
		zg_editor_release(&x->e);
		zg_arena_release(&a);
		ed_close(x);
		if (!hit)
			break;
	}
	/* Each call that allocates was made to fail once. */
	assert_true(n > 20);

	/* With the arena full, each kind of splice fails on its text. */
	for (int k = 0; k < 7; k++) {
		struct ed *x = ed_open(oom_text);
		struct zg_arena a = ZG_ARENA_INIT;
		zg_editor_init(&x->e, oom_text, strlen(oom_text), &a);
		struct zg_value *v = k == 1 ? list_of(x, false, "p", NULL)
				     : k == 2 ? map_of(x, false, "q", "r", NULL)
				     : sc(x, "s");
		/* Past the buffers of the text, the arena's block. */
		int rc = 0;
		for (long at_call = 0; at_call < 8; at_call++) {
			zg_editor_release(&x->e);
			zg_arena_release(&a);
			zg_editor_init(&x->e, oom_text, strlen(oom_text), &a);
			arena_leave(&a, 0);
			oom_arm(at_call);
			switch (k) {
			case 0: rc = zg_edit_set_scalar(&x->e, at(x, "a"), "t"); break;
			case 1: rc = zg_edit_map_set(&x->e, x->root, "b", v); break;
			case 2: rc = zg_edit_list_append(&x->e, x->root, "l", v); break;
			case 3: rc = zg_edit_list_append(&x->e, x->root, "items", v); break;
			case 4: rc = zg_edit_map_set(&x->e, x->root, "new", v); break;
			case 5: rc = zg_edit_append_raw(&x->e, "t: 1\n"); break;
			default: rc = zg_edit_list_append(&x->e, x->root, "b", v); break;
			}
			bool hit = oom_disarm();
			if (!hit) {
				assert_int_equal(rc, 0);
				break;
			}
			assert_int_equal(rc, -1);
			assert_true(x->e.oom);
		}
		zg_editor_release(&x->e);
		zg_arena_release(&a);
		ed_close(x);
	}

	/* The result's buffer. */
	struct ed *x = ed_open("a: 1\n");
	assert_int_equal(zg_edit_set_scalar(&x->e, at(x, "a"), "2"), 0);
	char *out = (char *)"untouched";
	size_t len = 0;
	oom_arm(0);
	assert_int_equal(zg_editor_apply(&x->e, &out, &len), -1);
	assert_true(oom_disarm());
	assert_null(out);
	ed_close(x);
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value_builders),
		cmocka_unit_test(test_render_flow),
		cmocka_unit_test(test_set_plain_and_quoted),
		cmocka_unit_test(test_set_empty_value),
		cmocka_unit_test(test_set_block_scalars),
		cmocka_unit_test(test_set_refused),
		cmocka_unit_test(test_duplicate_key),
		cmocka_unit_test(test_add_key_block),
		cmocka_unit_test(test_add_key_block_values),
		cmocka_unit_test(test_add_key_flow),
		cmocka_unit_test(test_null_takes_value),
		cmocka_unit_test(test_append_block_lists),
		cmocka_unit_test(test_append_after_literal),
		cmocka_unit_test(test_append_no_final_newline),
		cmocka_unit_test(test_append_flow_lists),
		cmocka_unit_test(test_append_empty_flow_becomes_block),
		cmocka_unit_test(test_append_to_null_or_missing),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_cr_only),
		cmocka_unit_test(test_bom_and_eol_detection),
		cmocka_unit_test(test_append_raw),
		cmocka_unit_test(test_splices_at_one_place),
		cmocka_unit_test(test_many_splices_any_order),
		cmocka_unit_test(test_overlap_refused),
		cmocka_unit_test(test_more_places),
		cmocka_unit_test(test_unicode_line_ends),
		cmocka_unit_test(test_keys_without_values),
		cmocka_unit_test(test_unnamed_key_refused),
		cmocka_unit_test(test_tagged_mapping),
		cmocka_unit_test(test_anchor_of_first_key_without_blank),
		cmocka_unit_test(test_layout_known),
		cmocka_unit_test(test_empty_flow_value_before_new_keys),
		cmocka_unit_test(test_empty_flow_value_with_property),
		cmocka_unit_test(test_keys_quoted_when_needed),
		cmocka_unit_test(test_pair_in_flow_sequence),
		cmocka_unit_test(test_tagged_list_and_explicit_keys),
		cmocka_unit_test(test_blank_lines_with_tabs),
		cmocka_unit_test(test_properties_kept),
		cmocka_unit_test(test_release_and_reuse),
		cmocka_unit_test(test_oom_values),
		cmocka_unit_test(test_oom_edits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
