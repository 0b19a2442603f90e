/*
 * test_tree.c - the YAML tree: positions, refusals, and the libyaml facts
 * of shared/spec/libyaml-notes.md, each pinned so an upgrade is noticed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yaml.h>

#include "zg/tree.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

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

static void test_error_places_at_the_edges(void **state)
{
	(void)state;
	/* A byte-order mark before a syntax error is not counted. */
	struct parsed *p = parse("\xEF\xBB\xBF" "a: [1\nb: 2\n");
	assert_int_equal(p->rc, -1);
	assert_one(p, ZG_RULE_SYNTAX, 2, 2);
	done(p);
	/* A file shorter than a byte-order mark. */
	p = parse("[");
	assert_int_equal(p->rc, -1);
	assert_one(p, ZG_RULE_SYNTAX, 2, 1);
	assert_non_null(strstr(p->diags.v[0].message, "did not find expected node content"));
	done(p);
	/* libyaml counts a lone CR as a line break; the file has no LF. */
	p = parse("a: 1\r\rb: [\r");
	assert_int_equal(p->rc, -1);
	assert_one(p, ZG_RULE_SYNTAX, 4, 1);
	done(p);
	/* An error on a line of nothing but spaces: no tab to hint at. */
	p = parse("a: 'x\n   ");
	assert_int_equal(p->rc, -1);
	assert_one(p, ZG_RULE_SYNTAX, 2, 4);
	assert_string_equal(p->diags.v[0].message,
			    "cannot parse YAML: found unexpected end of stream (while scanning a quoted scalar that starts at line 1, column 4)");
	done(p);
	/* Spaces, then text: no tab either. */
	p = parse("a:\n  - b\n c: d\n");
	assert_int_equal(p->rc, -1);
	assert_one(p, ZG_RULE_SYNTAX, 3, 2);
	assert_null(strstr(p->diags.v[0].message, "tab"));
	done(p);
	/* Spaces, then a tab: the hint. */
	p = parse("a:\n  \tb: 1\n");
	assert_int_equal(p->rc, -1);
	assert_one(p, ZG_RULE_SYNTAX, 2, 3);
	assert_non_null(strstr(p->diags.v[0].message,
			       "this line is indented with a tab, and YAML allows only spaces"));
	done(p);
}

static void test_bom_lookalikes_are_not_utf16(void **state)
{
	(void)state;
	/* FF or FE followed by anything but the other half of a BOM. */
	struct parsed *p = parse("\xFF\x41: 1\n");
	assert_int_equal(p->rc, -1);
	assert_one(p, ZG_RULE_ENCODING, 1, 1);
	assert_non_null(strstr(p->diags.v[0].message,
			       "not UTF-8 (byte 0xFF cannot start a character here)"));
	done(p);
	p = parse("\xFE\x41: 1\n");
	assert_int_equal(p->rc, -1);
	assert_one(p, ZG_RULE_ENCODING, 1, 1);
	assert_non_null(strstr(p->diags.v[0].message, "byte 0xFE"));
	done(p);
}

static void test_utf16_without_bom(void **state)
{
	(void)state;
	/* "a: b" in UTF-16LE: every other byte is NUL. */
	static const char text[] = "a\0:\0 \0b\0\n\0";
	struct parsed *p = parse_n(text, sizeof text - 1);
	assert_int_equal(p->rc, -1);
	assert_one(p, ZG_RULE_ENCODING, 1, 2);
	assert_non_null(strstr(p->diags.v[0].message, "it looks like UTF-16 or UTF-32 text"));
	done(p);
	/* One NUL in a page of text is damage, not another encoding. */
	static const char one[] = "a: 1\nb: 2\nc: 3\nd: 4\ne: x\0y\n";
	p = parse_n(one, sizeof one - 1);
	assert_int_equal(p->rc, -1);
	assert_one(p, ZG_RULE_ENCODING, 5, 5);
	assert_non_null(strstr(p->diags.v[0].message, "a NUL byte, which text never holds"));
	done(p);
}

static void test_collections_as_keys(void **state)
{
	(void)state;
	struct parsed *p = parse("? {a: 1}\n: x\n");
	assert_int_equal(p->rc, 0);
	assert_one(p, ZG_RULE_TYPE, 1, 3);
	assert_string_equal(p->diags.v[0].message,
			    "a key must be a plain value, not a mapping");
	done(p);

	/* Among a few keys: the sequence key is skipped by the duplicate
	 * check and by lookups, wherever it stands. */
	p = parse("? [x]\n: 1\na: 1\na: 2\nb: 3\n");
	assert_int_equal(p->rc, 0);
	assert_int_equal(p->diags.n, 2);
	assert_string_equal(p->diags.v[0].rule, ZG_RULE_TYPE);
	assert_string_equal(p->diags.v[0].message,
			    "a key must be a plain value, not a sequence");
	assert_string_equal(p->diags.v[1].rule, ZG_RULE_DUPLICATE_KEY);
	assert_int_equal(p->diags.v[1].line, 4);
	assert_non_null(strstr(p->diags.v[1].message, "first at line 3"));
	assert_string_equal(zg_node_get(p->root, "a")->text, "1");
	assert_string_equal(zg_node_get(p->root, "b")->text, "3");
	done(p);

	p = parse("a: 1\n? [x]\n: 2\n");
	assert_int_equal(p->rc, 0);
	assert_one(p, ZG_RULE_TYPE, 2, 3);
	assert_int_equal(p->root->n, 2);
	assert_string_equal(zg_node_get(p->root, "a")->text, "1");
	done(p);
}

static void test_large_mapping_edge_keys(void **state)
{
	(void)state;
	/*
	 * More than 16 keys, so duplicates are found by sorting: keys that
	 * are prefixes of others ("k", "k1"), a key that is a sequence, and
	 * twins of the greatest key, which sort last.
	 */
	char text[4096] = "";
	for (int i = 0; i < 20; i++) {
		char line[32];
		snprintf(line, sizeof line, "k%d: %d\n", i, i);
		strcat(text, line);
	}
	strcat(text, "k: short\nzz: 1\n? [x]\n: seq\nzz: 2\nzz: 3\n");
	struct parsed *p = parse(text);
	assert_int_equal(p->rc, 0);
	zg_diags_sort(&p->diags);
	assert_int_equal(p->diags.n, 3);
	assert_string_equal(p->diags.v[0].rule, ZG_RULE_TYPE);
	assert_int_equal(p->diags.v[0].line, 23);
	assert_string_equal(p->diags.v[1].rule, ZG_RULE_DUPLICATE_KEY);
	assert_int_equal(p->diags.v[1].line, 25);
	assert_non_null(strstr(p->diags.v[1].message, "duplicate key 'zz' (first at line 22)"));
	assert_string_equal(p->diags.v[2].rule, ZG_RULE_DUPLICATE_KEY);
	assert_int_equal(p->diags.v[2].line, 26);
	assert_non_null(strstr(p->diags.v[2].message, "(first at line 22)"));
	assert_string_equal(zg_node_get(p->root, "k")->text, "short");
	assert_string_equal(zg_node_get(p->root, "k1")->text, "1");
	assert_string_equal(zg_node_get(p->root, "k19")->text, "19");
	assert_string_equal(zg_node_get(p->root, "zz")->text, "1");
	done(p);
}

static void test_long_and_empty_collections(void **state)
{
	(void)state;
	char *text = malloc(8 * 1000 + 16);
	assert_non_null(text);
	strcpy(text, "[");
	for (int i = 0; i < 1000; i++) {
		char num[16];
		snprintf(num, sizeof num, "%s%d", i ? ", " : "", i);
		strcat(text, num);
	}
	strcat(text, "]\n");
	struct parsed *p = parse(text);
	free(text);
	assert_int_equal(p->rc, 0);
	assert_int_equal(p->diags.n, 0);
	assert_int_equal(p->root->kind, ZG_SEQUENCE);
	assert_int_equal(p->root->n, 1000);
	assert_string_equal(p->root->items[0]->text, "0");
	assert_string_equal(p->root->items[999]->text, "999");
	done(p);

	p = parse("a: []\nb: {}\n");
	assert_int_equal(p->rc, 0);
	const struct zg_node *a = zg_node_get(p->root, "a");
	const struct zg_node *b = zg_node_get(p->root, "b");
	assert_int_equal(a->kind, ZG_SEQUENCE);
	assert_int_equal(a->n, 0);
	assert_int_equal(b->kind, ZG_MAPPING);
	assert_int_equal(b->n, 0);
	assert_null(zg_node_get(b, "a"));
	done(p);
}

static void test_null_and_lookup_helpers(void **state)
{
	(void)state;
	assert_false(zg_node_is_null(NULL));
	assert_null(zg_node_get(NULL, "a"));
	assert_null(zg_node_text(NULL));
	struct parsed *p = parse("a:\nb: NULL\nc: Null\nd: null\ne: ~\n"
				 "f: 'null'\ng: nil\nh: [x]\ni: \"\"\n");
	assert_int_equal(p->rc, 0);
	static const char *const nulls[] = { "a", "b", "c", "d", "e" };
	for (size_t i = 0; i < 5; i++) {
		const struct zg_node *n = zg_node_get(p->root, nulls[i]);
		assert_non_null(n);
		assert_true(zg_node_is_null(n));
		assert_null(zg_node_text(n));
	}
	/* Quoted, it is text; "nil" is not YAML's null. */
	assert_false(zg_node_is_null(zg_node_get(p->root, "f")));
	assert_string_equal(zg_node_text(zg_node_get(p->root, "f")), "null");
	assert_string_equal(zg_node_text(zg_node_get(p->root, "g")), "nil");
	assert_string_equal(zg_node_text(zg_node_get(p->root, "i")), "");
	/* A sequence is neither null nor text, nor a mapping to look in. */
	const struct zg_node *h = zg_node_get(p->root, "h");
	assert_false(zg_node_is_null(h));
	assert_null(zg_node_text(h));
	assert_null(zg_node_get(h, "x"));
	assert_null(zg_node_get(p->root, "zz"));
	done(p);
}

/*
 * ---- out of memory ----
 *
 * In a fresh copy of this program (fork and exec) whose address space is
 * limited with RLIMIT_AS to what it uses plus 16 MiB: a fresh process has
 * no freed heap to draw on, so the parse fails the same way every time.
 * The copy reports through its exit status and lifts the limit before
 * it exits, so that coverage data can still be written.
 */

static size_t address_space_in_use(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long pages = 0;
	if (f) {
		if (fscanf(f, "%lu", &pages) != 1)
			pages = 0;
		fclose(f);
	}
	return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

static int limited_main(const char *scenario)
{
	bool nodes = strcmp(scenario, "nodes") == 0;
	/* 4 MiB of tiny scalars: the nodes take far more than the text. */
	size_t len = (size_t)(nodes ? 4 : 8) << 20;
	char *text = malloc(len + 1);
	if (!text)
		return 80;
	if (nodes) {
		text[0] = '[';
		for (size_t i = 1; i + 1 < len; i += 2)
			memcpy(text + i, "1,", 2);
		text[len - 1] = ']';
	} else {
		/* One 8 MiB scalar: libyaml's own buffer, doubling to
		 * hold it, runs out. */
		memcpy(text, "a: ", 3);
		memset(text + 3, 'x', len - 3);
	}
	text[len] = '\0';
	struct rlimit old, rl;
	if (getrlimit(RLIMIT_AS, &old) != 0)
		return 81;
	rl = old;
	rl.rlim_cur = (rlim_t)(address_space_in_use() + ((size_t)16 << 20));
	if (setrlimit(RLIMIT_AS, &rl) != 0)
		return 82;
	struct zg_arena arena = ZG_ARENA_INIT;
	struct zg_diags d;
	zg_diags_init(&d);
	struct zg_node *root = (struct zg_node *)&arena;
	int rc = zg_tree_parse(&arena, "big.yaml", text, len, &root, &d);
	zg_arena_release(&arena);
	setrlimit(RLIMIT_AS, &old);
	if (rc != -2)
		return 10;
	if (root)
		return 11;
	/* Out of memory is no finding about the file. */
	if (d.n != 0)
		return 12;
	zg_diags_release(&d);
	free(text);
	return 0;
}

static int run_limited(const char *scenario)
{
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execl("/proc/self/exe", "test_tree", "--limited", scenario,
		      (char *)NULL);
		_exit(127);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status)
				 : 128 + WTERMSIG(status);
}

static void test_out_of_memory(void **state)
{
	(void)state;
#ifdef UNDER_ASAN
	(void)run_limited;
	skip();
#else
	assert_int_equal(run_limited("nodes"), 0);
	assert_int_equal(run_limited("scalar"), 0);
#endif
}

/* Takes the entries of the list under "take", counting their items. */
struct taker {
	size_t taken, values;
	bool fail;
	char seen[128];		/* the keys seen, comma-joined */
};

static int take_some(void *ctx, const struct zg_node *key,
		     const struct zg_node *entry)
{
	struct taker *t = ctx;
	assert_int_equal(key->kind, ZG_SCALAR);
	size_t n = strlen(t->seen);
	snprintf(t->seen + n, sizeof t->seen - n, "%s%s", n ? "," : "",
		 key->text);
	if (t->fail)
		return -1;
	if (strcmp(key->text, "take") != 0)
		return 0;
	t->taken++;
	t->values += entry->n;
	return 1;
}

/* text parsed into a new arena and list, entries offered to t. */
static int parse_taking(const char *text, struct zg_arena *arena,
			struct zg_diags *d, struct zg_node **root,
			struct taker *t)
{
	zg_arena_init(arena);
	zg_diags_init(d);
	return zg_tree_parse_taking(arena, "t.yaml", text, strlen(text), root,
				    d, take_some, t);
}

static void test_entries_taken_as_read(void **state)
{
	(void)state;
	static const char text[] =
		"take:\n"
		"  - {a: 1, b: 2}\n"
		"  - plain\n"
		"  - [x, y, z]\n"
		"  - {a: 3}\n"
		"keep:\n"
		"  - {a: 4}\n"
		"deep: {take: [{a: 5}]}\n";
	struct zg_arena arena;
	struct zg_diags d;
	struct zg_node *root;
	struct taker t = { 0 };
	assert_int_equal(parse_taking(text, &arena, &d, &root, &t), 0);
	assert_int_equal(d.n, 0);
	/* Collections that are entries of a root key's list are offered;
	 * a scalar entry and deeper lists are not. */
	assert_string_equal(t.seen, "take,take,take,keep");
	assert_int_equal(t.taken, 3);
	assert_int_equal(t.values, 2 + 3 + 1);
	const struct zg_node *take = zg_node_get(root, "take");
	assert_int_equal(take->n, 1);
	assert_string_equal(take->items[0]->text, "plain");
	assert_int_equal(zg_node_get(root, "keep")->n, 1);
	const struct zg_node *deep = zg_node_get(zg_node_get(root, "deep"), "take");
	assert_int_equal(deep->n, 1);
	assert_int_equal(deep->items[0]->pairs[0].value->text[0], '5');
	zg_arena_release(&arena);

	/* Memory: a long list taken costs one entry's nodes. */
	size_t n = 20000;
	char *big = malloc(n * 24 + 16);
	assert_non_null(big);
	static const char line[] = "  - {a: 1, b: 2, c: 3}\n";
	char *w = big + sprintf(big, "take:\n");
	for (size_t i = 0; i < n; i++, w += sizeof line - 1)
		memcpy(w, line, sizeof line - 1);
	*w = '\0';
	struct taker t2 = { 0 };
	zg_diags_release(&d);
	assert_int_equal(parse_taking(big, &arena, &d, &root, &t2), 0);
	assert_int_equal(t2.taken, n);
	assert_true(arena.total < 64 * 1024);
	zg_arena_release(&arena);

	/* A take that fails fails the parse as out of memory. */
	struct taker t3 = { .fail = true };
	zg_diags_release(&d);
	assert_int_equal(parse_taking(text, &arena, &d, &root, &t3), -2);
	zg_arena_release(&arena);
	zg_diags_release(&d);
	free(big);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--limited") == 0)
		return limited_main(argv[2]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries_taken_as_read),
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
		cmocka_unit_test(test_error_places_at_the_edges),
		cmocka_unit_test(test_bom_lookalikes_are_not_utf16),
		cmocka_unit_test(test_utf16_without_bom),
		cmocka_unit_test(test_collections_as_keys),
		cmocka_unit_test(test_large_mapping_edge_keys),
		cmocka_unit_test(test_long_and_empty_collections),
		cmocka_unit_test(test_null_and_lookup_helpers),
		cmocka_unit_test(test_out_of_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
