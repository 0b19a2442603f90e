/*
 * test_tree.c - the YAML tree: positions, refusals, and the libyaml facts
 * of shared/spec/libyaml-notes.md, each pinned so an upgrade is noticed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "zg/tree.h"

struct parsed {
	struct zg_arena arena;
	struct zg_diags diags;
	struct zg_node *root;
	int rc;
};

static struct parsed *parse_n(const char *text, size_t len)
{
	struct parsed *p = calloc(1, sizeof *p);
	assert_non_null(p);
	zg_arena_init(&p->arena);
	zg_diags_init(&p->diags);
	p->rc = zg_tree_parse(&p->arena, "t.yaml", text, len, &p->root,
			      &p->diags);
	return p;
}

static struct parsed *parse(const char *text)
{
	return parse_n(text, strlen(text));
}

static void done(struct parsed *p)
{
	zg_diags_release(&p->diags);
	zg_arena_release(&p->arena);
	free(p);
}

/* The one finding of a parse, checked for rule and place. */
static void assert_one(struct parsed *p, const char *rule, unsigned line,
		       unsigned column)
{
	assert_int_equal(p->diags.n, 1);
	assert_string_equal(p->diags.v[0].rule, rule);
	assert_int_equal(p->diags.v[0].line, line);
	assert_int_equal(p->diags.v[0].column, column);
	assert_string_equal(p->diags.v[0].file, "t.yaml");
}

static void test_marks_count_characters(void **state)
{
	(void)state;
	struct parsed *p = parse("a: 县城排水\nb: x\n");
	assert_int_equal(p->rc, 0);
	assert_int_equal(p->diags.n, 0);
	assert_int_equal(p->root->kind, ZG_MAPPING);
	assert_int_equal(p->root->n, 2);
	const struct zg_node *b = p->root->pairs[1].key;
	assert_string_equal(b->text, "b");
	assert_int_equal(b->start.line, 2);
	assert_int_equal(b->start.column, 1);
	/* libyaml counts characters: 8, where the byte offset is 16. */
	assert_int_equal(b->start.index, 8);
	const struct zg_node *v = p->root->pairs[0].value;
	assert_string_equal(v->text, "县城排水");
	assert_int_equal(v->len, 12);
	assert_int_equal(v->start.column, 4);
	assert_int_equal(v->end.column, 8);
	done(p);
}

static void test_flow_columns_after_chinese(void **state)
{
	(void)state;
	struct parsed *p = parse("{a: 县城, b: x}\n");
	assert_int_equal(p->rc, 0);
	assert_int_equal(p->root->style, ZG_STYLE_FLOW);
	assert_int_equal(p->root->pairs[1].key->start.column, 9);
	assert_int_equal(p->root->pairs[1].value->start.column, 12);
	done(p);
}

static void test_bom_not_counted(void **state)
{
	(void)state;
	struct parsed *p = parse("\xEF\xBB\xBF" "a: 1\nb: 2\n");
	assert_int_equal(p->rc, 0);
	assert_int_equal(p->diags.n, 0);
	const struct zg_node *a = p->root->pairs[0].key;
	assert_int_equal(a->start.index, 0);
	assert_int_equal(a->start.line, 1);
	assert_int_equal(a->start.column, 1);
	assert_int_equal(p->root->pairs[1].key->start.index, 5);
	done(p);
}

static void test_crlf_counts_two(void **state)
{
	(void)state;
	struct parsed *p = parse("a: 1\r\nb: 2\r\n");
	assert_int_equal(p->rc, 0);
	assert_int_equal(p->diags.n, 0);
	const struct zg_node *b = p->root->pairs[1].key;
	assert_int_equal(b->start.index, 6);
	assert_int_equal(b->start.line, 2);
	assert_int_equal(b->start.column, 1);
	assert_string_equal(p->root->pairs[0].value->text, "1");
	done(p);
}

static void test_scalars_stay_text(void **state)
{
	(void)state;
	struct parsed *p = parse("d: 2018-07-05\nq: \"2018-07-05\"\nn: 96\ny: yes\nz: null\ne:\n");
	assert_int_equal(p->rc, 0);
	assert_string_equal(zg_node_text(zg_node_get(p->root, "d")), "2018-07-05");
	const struct zg_node *q = zg_node_get(p->root, "q");
	assert_string_equal(q->text, "2018-07-05");
	assert_int_equal(q->style, ZG_STYLE_DOUBLE_QUOTED);
	assert_string_equal(zg_node_text(zg_node_get(p->root, "n")), "96");
	assert_string_equal(zg_node_text(zg_node_get(p->root, "y")), "yes");
	assert_true(zg_node_is_null(zg_node_get(p->root, "z")));
	assert_true(zg_node_is_null(zg_node_get(p->root, "e")));
	assert_null(zg_node_text(zg_node_get(p->root, "e")));
	assert_null(zg_node_get(p->root, "missing"));
	done(p);
}

static void test_quoted_null_is_text(void **state)
{
	(void)state;
	struct parsed *p = parse("a: 'null'\nb: ''\n");
	assert_false(zg_node_is_null(zg_node_get(p->root, "a")));
	assert_false(zg_node_is_null(zg_node_get(p->root, "b")));
	done(p);
}

static void test_styles(void **state)
{
	(void)state;
	struct parsed *p = parse("a: |\n  x\nb: >\n  y\nc: 'z'\nd: [1]\ne:\n  - 1\n");
	assert_int_equal(zg_node_get(p->root, "a")->style, ZG_STYLE_LITERAL);
	assert_string_equal(zg_node_get(p->root, "a")->text, "x\n");
	assert_int_equal(zg_node_get(p->root, "b")->style, ZG_STYLE_FOLDED);
	assert_int_equal(zg_node_get(p->root, "c")->style, ZG_STYLE_SINGLE_QUOTED);
	assert_int_equal(zg_node_get(p->root, "d")->style, ZG_STYLE_FLOW);
	assert_int_equal(zg_node_get(p->root, "d")->kind, ZG_SEQUENCE);
	assert_int_equal(zg_node_get(p->root, "e")->style, ZG_STYLE_BLOCK);
	assert_int_equal(zg_node_get(p->root, "e")->n, 1);
	done(p);
}

static void test_duplicate_key(void **state)
{
	(void)state;
	struct parsed *p = parse("a: 1\nb: 2\na: 3\n");
	assert_int_equal(p->rc, 0);
	assert_one(p, ZG_RULE_DUPLICATE_KEY, 3, 1);
	assert_non_null(strstr(p->diags.v[0].message, "first at line 1"));
	assert_true(p->root->pairs[2].duplicate);
	assert_false(p->root->pairs[0].duplicate);
	/* The first value is the one the model reads. */
	assert_string_equal(zg_node_get(p->root, "a")->text, "1");
	done(p);
}

static void test_duplicate_key_in_large_mapping(void **state)
{
	(void)state;
	char text[4096] = "";
	for (int i = 0; i < 40; i++) {
		char line[32];
		snprintf(line, sizeof line, "k%02d: %d\n", i, i);
		strcat(text, line);
	}
	strcat(text, "k07: again\nk07: thrice\n");
	struct parsed *p = parse(text);
	assert_int_equal(p->rc, 0);
	assert_int_equal(p->diags.n, 2);
	assert_int_equal(p->diags.v[0].line, 41);
	assert_int_equal(p->diags.v[1].line, 42);
	assert_non_null(strstr(p->diags.v[1].message, "first at line 8"));
	assert_string_equal(zg_node_get(p->root, "k07")->text, "7");
	done(p);
}

static void test_aliases_and_anchors_refused(void **state)
{
	(void)state;
	struct parsed *p = parse("a: &x 1\nb: *x\n");
	assert_int_equal(p->rc, 0);
	assert_int_equal(p->diags.n, 2);
	assert_string_equal(p->diags.v[0].rule, ZG_RULE_TYPE);
	assert_int_equal(p->diags.v[0].line, 1);
	assert_int_equal(p->diags.v[0].column, 4);
	assert_string_equal(p->diags.v[1].rule, ZG_RULE_TYPE);
	assert_int_equal(p->diags.v[1].line, 2);
	assert_int_equal(p->diags.v[1].column, 4);
	/* The alias is not expanded: its place holds a null. */
	assert_true(zg_node_is_null(zg_node_get(p->root, "b")));
	done(p);
}

static void test_billion_laughs_is_cheap(void **state)
{
	(void)state;
	struct parsed *p = parse(
		"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		"d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n");
	assert_int_equal(p->rc, 0);
	assert_int_equal(p->diags.n, 3 + 30);
	assert_true(p->arena.total < 64 * 1024);
	done(p);
}

static void test_second_document(void **state)
{
	(void)state;
	struct parsed *p = parse("a: 1\n---\nb: 2\n");
	assert_int_equal(p->rc, 0);
	assert_one(p, ZG_RULE_SYNTAX, 2, 1);
	assert_non_null(zg_node_get(p->root, "a"));
	assert_null(zg_node_get(p->root, "b"));
	done(p);
}

static void test_syntax_error_place(void **state)
{
	(void)state;
	struct parsed *p = parse("a: [1, 2\nb: 3\n");
	assert_int_equal(p->rc, -1);
	assert_null(p->root);
	assert_one(p, ZG_RULE_SYNTAX, 2, 2);
	assert_non_null(strstr(p->diags.v[0].message, "line 1, column 4"));
	done(p);
}

static void test_tab_indentation_hint(void **state)
{
	(void)state;
	struct parsed *p = parse("a:\n\tb: 1\n");
	assert_int_equal(p->rc, -1);
	assert_one(p, ZG_RULE_SYNTAX, 2, 1);
	assert_non_null(strstr(p->diags.v[0].message, "tab"));
	done(p);
}

static void test_gbk_refused_with_place(void **state)
{
	(void)state;
	/* 县城 in GBK after a UTF-8 line. */
	struct parsed *p = parse("unit: zjj\nname: \xCF\xD8\xB3\xC7\n");
	assert_int_equal(p->rc, -1);
	assert_one(p, ZG_RULE_ENCODING, 2, 7);
	assert_non_null(strstr(p->diags.v[0].message, "iconv"));
	assert_non_null(strstr(p->diags.v[0].message, "0xCF"));
	done(p);
}

static void test_invalid_utf8_after_chinese(void **state)
{
	(void)state;
	struct parsed *p = parse("a: 县城\xFF\n");
	assert_one(p, ZG_RULE_ENCODING, 1, 6);
	done(p);
}

static void test_utf16_refused(void **state)
{
	(void)state;
	static const char le[] = "\xFF\xFE" "a\0:\0 \0" "1\0\n\0";
	struct parsed *p = parse_n(le, sizeof le - 1);
	assert_int_equal(p->rc, -1);
	assert_one(p, ZG_RULE_ENCODING, 1, 1);
	assert_non_null(strstr(p->diags.v[0].message, "UTF-16"));
	done(p);
	static const char be[] = "\xFE\xFF" "\0a\0:";
	p = parse_n(be, sizeof be - 1);
	assert_one(p, ZG_RULE_ENCODING, 1, 1);
	done(p);
}

static void test_nul_byte_refused(void **state)
{
	(void)state;
	static const char text[] = "a: 1\nb: x\0y\n";
	struct parsed *p = parse_n(text, sizeof text - 1);
	assert_int_equal(p->rc, -1);
	assert_one(p, ZG_RULE_ENCODING, 2, 5);
	done(p);
}

static void test_control_character_place(void **state)
{
	(void)state;
	/* A reader error: libyaml gives no mark, only the byte offset. */
	struct parsed *p = parse("a: 县\nb: \x01\n");
	assert_int_equal(p->rc, -1);
	assert_one(p, ZG_RULE_SYNTAX, 2, 4);
	done(p);
}

static void test_depth_capped(void **state)
{
	(void)state;
	size_t n = 100000;
	char *text = malloc(2 * n + 2);
	assert_non_null(text);
	memset(text, '[', n);
	memset(text + n, ']', n);
	text[2 * n] = '\n';
	text[2 * n + 1] = '\0';
	struct parsed *p = parse(text);
	assert_int_equal(p->rc, -1);
	assert_one(p, ZG_RULE_SYNTAX, 1, ZG_TREE_MAX_DEPTH + 1);
	free(text);
	done(p);
}

static void test_empty_documents(void **state)
{
	(void)state;
	struct parsed *p = parse("");
	assert_int_equal(p->rc, 0);
	assert_null(p->root);
	assert_int_equal(p->diags.n, 0);
	done(p);
	p = parse("# only a comment\n");
	assert_int_equal(p->rc, 0);
	assert_null(p->root);
	done(p);
}

static void test_complex_key_refused(void **state)
{
	(void)state;
	struct parsed *p = parse("? [a, b]\n: 1\n");
	assert_int_equal(p->rc, 0);
	assert_one(p, ZG_RULE_TYPE, 1, 3);
	done(p);
}

static void test_sequence_of_mappings_marks(void **state)
{
	(void)state;
	struct parsed *p = parse("items:\n  - id: a-001\n    status: done\n  - {id: a-002}\n");
	const struct zg_node *items = zg_node_get(p->root, "items");
	assert_int_equal(items->n, 2);
	assert_int_equal(items->items[0]->start.line, 2);
	assert_int_equal(items->items[0]->start.column, 5);
	assert_int_equal(items->items[1]->start.line, 4);
	assert_int_equal(items->items[1]->start.column, 5);
	assert_int_equal(zg_node_get(items->items[0], "status")->start.column, 13);
	done(p);
}

/* libyaml decodes a UTF-16 file with a BOM silently: why we check first. */
static void test_libyaml_decodes_utf16(void **state)
{
	(void)state;
	static const unsigned char le[] = { 0xFF, 0xFE, 'a', 0, ':', 0, ' ', 0, '1', 0, '\n', 0 };
	yaml_parser_t parser;
	yaml_event_t ev;
	assert_int_equal(yaml_parser_initialize(&parser), 1);
	yaml_parser_set_input_string(&parser, le, sizeof le);
	bool saw_a = false;
	for (int i = 0; i < 8; i++) {
		assert_int_equal(yaml_parser_parse(&parser, &ev), 1);
		if (ev.type == YAML_SCALAR_EVENT && strcmp((char *)ev.data.scalar.value, "a") == 0)
			saw_a = true;
		bool end = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		if (end)
			break;
	}
	yaml_parser_delete(&parser);
	assert_true(saw_a);
}

/* libyaml reports invalid UTF-8 as a reader error with no mark. */
static void test_libyaml_reader_error_has_no_mark(void **state)
{
	(void)state;
	static const unsigned char text[] = "a: 1\nb: \xFF\n";
	yaml_parser_t parser;
	yaml_event_t ev;
	assert_int_equal(yaml_parser_initialize(&parser), 1);
	yaml_parser_set_input_string(&parser, text, sizeof text - 1);
	int ok = 1;
	for (int i = 0; i < 20 && ok; i++) {
		ok = yaml_parser_parse(&parser, &ev);
		if (ok) {
			bool end = ev.type == YAML_STREAM_END_EVENT;
			yaml_event_delete(&ev);
			if (end)
				break;
		}
	}
	assert_int_equal(ok, 0);
	assert_int_equal(parser.error, YAML_READER_ERROR);
	assert_int_equal(parser.problem_mark.line, 0);
	assert_int_equal(parser.problem_offset, 8);
	yaml_parser_delete(&parser);
}

/* libyaml does not detect duplicate keys: both pairs arrive. */
static void test_libyaml_passes_duplicates(void **state)
{
	(void)state;
	static const unsigned char text[] = "a: 1\na: 2\n";
	yaml_parser_t parser;
	yaml_event_t ev;
	assert_int_equal(yaml_parser_initialize(&parser), 1);
	yaml_parser_set_input_string(&parser, text, sizeof text - 1);
	int scalars = 0;
	for (;;) {
		assert_int_equal(yaml_parser_parse(&parser, &ev), 1);
		scalars += ev.type == YAML_SCALAR_EVENT;
		bool end = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		if (end)
			break;
	}
	yaml_parser_delete(&parser);
	assert_int_equal(scalars, 4);
}

/*
 * The end mark of a block collection lies past trailing comments, at the
 * next token; the end of its last entry is its last scalar's end (the
 * editor finds insertion points from the last leaf for this reason).
 */
static void test_libyaml_block_end_marks(void **state)
{
	(void)state;
	struct parsed *p = parse("items:\n  - id: a\n    s: b  # c\n  # trailing\nnext: 1\n");
	assert_int_equal(p->rc, 0);
	const struct zg_node *items = zg_node_get(p->root, "items");
	const struct zg_node *first = items->items[0];
	const struct zg_node *last_value = first->pairs[first->n - 1].value;
	/* "b" ends on line 3; the mapping and the list end at "next". */
	assert_int_equal(last_value->end.line, 3);
	assert_int_equal(last_value->end.column, 9);
	assert_int_equal(first->end.line, 5);
	assert_int_equal(first->end.column, 1);
	assert_int_equal(items->end.line, 5);
	done(p);
	/* A literal block scalar ends at the start of the line after it. */
	p = parse("a: |\n  x\n\nb: 1\n");
	const struct zg_node *a = zg_node_get(p->root, "a");
	assert_int_equal(a->end.line, 4);
	assert_int_equal(a->end.column, 1);
	done(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_marks_count_characters),
		cmocka_unit_test(test_flow_columns_after_chinese),
		cmocka_unit_test(test_bom_not_counted),
		cmocka_unit_test(test_crlf_counts_two),
		cmocka_unit_test(test_scalars_stay_text),
		cmocka_unit_test(test_quoted_null_is_text),
		cmocka_unit_test(test_styles),
		cmocka_unit_test(test_duplicate_key),
		cmocka_unit_test(test_duplicate_key_in_large_mapping),
		cmocka_unit_test(test_aliases_and_anchors_refused),
		cmocka_unit_test(test_billion_laughs_is_cheap),
		cmocka_unit_test(test_second_document),
		cmocka_unit_test(test_syntax_error_place),
		cmocka_unit_test(test_tab_indentation_hint),
		cmocka_unit_test(test_gbk_refused_with_place),
		cmocka_unit_test(test_invalid_utf8_after_chinese),
		cmocka_unit_test(test_utf16_refused),
		cmocka_unit_test(test_nul_byte_refused),
		cmocka_unit_test(test_control_character_place),
		cmocka_unit_test(test_depth_capped),
		cmocka_unit_test(test_empty_documents),
		cmocka_unit_test(test_complex_key_refused),
		cmocka_unit_test(test_sequence_of_mappings_marks),
		cmocka_unit_test(test_libyaml_decodes_utf16),
		cmocka_unit_test(test_libyaml_reader_error_has_no_mark),
		cmocka_unit_test(test_libyaml_passes_duplicates),
		cmocka_unit_test(test_libyaml_block_end_marks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
