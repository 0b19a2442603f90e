/*
 * test_emit.c - scalars that read back as exactly the same text: what may
 * be plain, and the written form read back through libyaml in block and
 * flow context.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <yaml.h>

#include "zg/emit.h"

static void test_plain_ok(void **state)
{
	(void)state;
	static const char *const plain[] = {
		"县城部分老旧小区雨天积水严重",
		"abc def",
		"改造老旧小区排水管网 3.2 公里",
		"a:b",
		"a#b",
		"C#",
		"100%",
		"a-b",
		"x?",
		"what?",
		"it's",
		"a \"quoted\" word",
		"path/to/file.pdf",
		"zjj-001",
		"李某 副局长",
		"第3期",
		"2018年7月6日",
		"y2k",
		"nul",
		"Null value",
		"1st",
		"3.5 公里",
		"0xg",
		"2018-07-06 开会",
		"\xC2\xA9 2018",
		"\xEF\xBF\xBD",
	};
	for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
		if (!zg_emit_plain_ok(plain[i]))
			fail_msg("'%s' should be plain", plain[i]);

	static const char *const quoted[] = {
		"", " ", " lead", "trail ", "a: b", "a:", "a #b", "-x", "- x",
		"-", "#x", "[x", "x]", "{x}", "a,b", "a]b", "a{b",
		"null", "Null", "NULL", "~", "yes", "Yes", "no", "NO", "on",
		"off", "true", "False", "y", "n",
		"123", "-1", "+1", "0x1F", "0o17", "1e3", "1_000",
		"2018-07-06", "3.5", ".5", ".inf", "12:30", "0XAB", "0xff", "0x",
		"a\nb", "\n", "trail\n", "\t", "a\tb", "\r", "a\rb",
		"\x01", "a\x1f" "b", "a\x7f",
		"?x", ":x", "&anchor", "*alias", "!tag", "|", ">", "'q'",
		"\"q\"", "%x", "@x", "`x",
		"\xEF\xBB\xBF" "bom", "a\xE2\x80\xA8" "b", "a\xE2\x80\xA9" "b",
		"a\xC2\x85" "b", "c1 \xC2\x80", "\xC2\x9F", "\xEF\xBF\xBE",
		"x\xEF\xBF\xBF",
	};
	for (size_t i = 0; i < sizeof quoted / sizeof *quoted; i++)
		if (zg_emit_plain_ok(quoted[i]))
			fail_msg("quoted[%zu] should not be plain", i);
}

/* ---- reading the written form back with libyaml ---- */

enum { MAX_SCALARS = 8 };

struct scalar {
	char *text;
	size_t len;
	yaml_scalar_style_t style;
};

/*
 * Parses doc, which must parse without error and hold exactly nwant
 * scalars (and no alias), and returns them in order.
 */
static void read_back(const char *doc, struct scalar *out, size_t nwant)
{
	yaml_parser_t p;
	assert_true(yaml_parser_initialize(&p));
	yaml_parser_set_input_string(&p, (const unsigned char *)doc,
				     strlen(doc));
	size_t n = 0;
	bool done = false;
	while (!done) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev))
			fail_msg("libyaml refused [%s]: %s", doc,
				 p.problem ? p.problem : "?");
		if (ev.type == YAML_SCALAR_EVENT) {
			if (n < nwant) {
				out[n].len = ev.data.scalar.length;
				out[n].text = malloc(out[n].len + 1);
				assert_non_null(out[n].text);
				memcpy(out[n].text, ev.data.scalar.value,
				       out[n].len + 1);
				out[n].style = ev.data.scalar.style;
			}
			n++;
		}
		if (ev.type == YAML_ALIAS_EVENT)
			n += 100;
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	if (n != nwant)
		fail_msg("[%s] holds %zu scalars, want %zu", doc, n, nwant);
}

static char *emitted(const char *s)
{
	size_t need = zg_emit_scalar(s, NULL, 0);
	char *buf = malloc(need + 1);
	assert_non_null(buf);
	memset(buf, 'Z', need + 1);
	assert_int_equal(zg_emit_scalar(s, buf, need + 1), need);
	assert_int_equal(strlen(buf), need);
	return buf;
}

/*
 * Writes s into fmt's %s and reads the document back: it must hold
 * the scalars want[] with s at the place of NULL.
 */
static void check_in(const char *s, const char *fmt, const char *const *want,
		     size_t n)
{
	char *out = emitted(s);
	size_t doclen = strlen(fmt) + strlen(out) + 1;
	char *doc = malloc(doclen);
	assert_non_null(doc);
	snprintf(doc, doclen, fmt, out);
	struct scalar sc[MAX_SCALARS];
	memset(sc, 0, sizeof sc);
	assert_true(n <= MAX_SCALARS);
	read_back(doc, sc, n);
	for (size_t i = 0; i < n; i++) {
		if (want[i]) {
			assert_string_equal(sc[i].text, want[i]);
			continue;
		}
		struct scalar *v = &sc[i];
		if (v->len != strlen(s) || memcmp(v->text, s, v->len) != 0)
			fail_msg("[%s] read back as [%s], want [%s]", doc,
				 v->text, s);
		/* Plain exactly when plain is safe: "123" stays text. */
		if (zg_emit_plain_ok(s)) {
			assert_string_equal(out, s);
			assert_int_equal(v->style, YAML_PLAIN_SCALAR_STYLE);
		} else {
			assert_int_equal(v->style,
					 YAML_DOUBLE_QUOTED_SCALAR_STYLE);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(sc[i].text);
	free(doc);
	free(out);
}

static void check_round_trip(const char *s, bool flow_too)
{
	static const char *const kv[] = { "k", NULL };
	static const char *const v[] = { NULL };
	static const char *const nested[] = { "x", "k", NULL, "z", "1" };
	check_in(s, "k: %s\n", kv, 2);
	check_in(s, "k: %s  # 注释\n", kv, 2);
	check_in(s, "- %s\n", v, 1);
	if (!flow_too)
		return;
	check_in(s, "{k: %s}\n", kv, 2);
	check_in(s, "x: {k: %s, z: 1}\n", nested, 5);
	check_in(s, "[%s]\n", v, 1);
	check_in(s, "[%s, 1]\n", (const char *const[]){ NULL, "1" }, 2);
}

static const char *const nasty[] = {
	"他说\"好\"", "\"", "\"\"", "'single'", "it's",
	"back\\slash", "\\", "C:\\path\\n",
	"a: b", "a:", ":", "a:b", "key: value: more",
	"a #b", "#", "a#b", "a # b",
	" lead", "trail ", " both ", " ", "  ", "a  b",
	"line1\nline2", "\n", "\n\n", "trailing newline\n", "\nleading",
	"a \n b", "a\r\nb", "\r", "cr\r",
	"tab\there", "\t", "\ttab", "tab\t", " \t ",
	"\x01", "ctrl\x01x\x1f", "\x7f", "bell\a", "\x1b[0m",
	"县城部分老旧小区雨天积水严重", "县城部分老旧小区雨天积水严重，希望改造排水管网。",
	"整改目标：完成 3.2 公里", "emoji \xF0\x9F\x98\x80",
	"null", "Null", "~", "true", "yes", "no", "on", "off", "y", "n",
	"123", "-1", "+1", "3.5", "1e3", "0x1F", "0xg", ".inf", ".nan",
	"2018-07-06", "12:30", "1_000",
	"-", "- x", "-x", "--", "---", "...", "--- x",
	"?", "? x", "x?", "?x",
	"[x]", "{x}", "[", "]", "{", "}", "a,b", ",", "a, b",
	"&a", "*a", "!a", "!!str", "|", ">", "|-", "%YAML", "@", "`",
	"<<", "=",
	"", "abc def", "zjj-001",
	"\xC2\xA0nbsp\xC2\xA0",
	"\xEF\xBB\xBF" "bom first", "mid\xEF\xBB\xBF" "bom",
	"a\xC2\x85" "b", "a \xC2\x85 b", "a\xE2\x80\xA8" "b", "a \xE2\x80\xA9 b",
	"\xC2\x80", "c1 \xC2\x9F", "\xEF\xBF\xBE", "\xEF\xBF\xBF",
	"\xEF\xBF\xBD",
};

/* Keys: what looks typed is still a plain key; what breaks YAML is not. */
static void test_plain_key_ok(void **state)
{
	(void)state;
	static const char *const plain[] = {
		"no", "status", "2018", "true", "null", "zjj-001", "县住建局",
	};
	for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
		if (!zg_emit_plain_key_ok(plain[i]))
			fail_msg("'%s' should be a plain key", plain[i]);
	/* As values, they are quoted. */
	assert_false(zg_emit_plain_ok("no"));
	assert_false(zg_emit_plain_ok("2018"));
	static const char *const quoted[] = {
		"", "anatioe; ", " lead", "a: b", "a:", "#x", "-x", "[x",
		"a,b", "a #b", "&a", "*a", "!t", "x\ty", "\xC2\x85",
	};
	for (size_t i = 0; i < sizeof quoted / sizeof *quoted; i++)
		if (zg_emit_plain_key_ok(quoted[i]))
			fail_msg("'%s' should be a quoted key", quoted[i]);
}

static void test_round_trip_block(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof nasty / sizeof *nasty; i++)
		check_round_trip(nasty[i], false);
}

static void test_round_trip_flow(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof nasty / sizeof *nasty; i++)
		check_round_trip(nasty[i], true);
}

static void test_round_trip_plain_candidates(void **state)
{
	(void)state;
	static const char *const plain[] = {
		"县城部分老旧小区雨天积水严重", "abc def", "a:b", "a#b",
		"x?", "100%", "李某 副局长", "第3期",
	};
	for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
		assert_true(zg_emit_plain_ok(plain[i]));
		check_round_trip(plain[i], true);
	}
}

static void test_scalar_forms(void **state)
{
	(void)state;
	char buf[64];
	assert_int_equal(zg_emit_scalar("abc def", buf, sizeof buf), 7);
	assert_string_equal(buf, "abc def");
	assert_int_equal(zg_emit_scalar("123", buf, sizeof buf), 5);
	assert_string_equal(buf, "\"123\"");
	assert_int_equal(zg_emit_scalar("", buf, sizeof buf), 2);
	assert_string_equal(buf, "\"\"");
	zg_emit_scalar("a\"b\\c\nd\te\rf", buf, sizeof buf);
	assert_string_equal(buf, "\"a\\\"b\\\\c\\nd\\te\\rf\"");
	zg_emit_scalar("\x01" "x\x7f", buf, sizeof buf);
	assert_string_equal(buf, "\"\\x01x\\x7F\"");
	zg_emit_scalar(" 县 ", buf, sizeof buf);
	assert_string_equal(buf, "\" 县 \"");
}

static void test_truncation(void **state)
{
	(void)state;
	static const char *const inputs[] = {
		"abcdef", "a: b", "县城排水", "line\nbreak", "\x01\x02", "",
		"null",
	};
	for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
		char *full = emitted(inputs[i]);
		size_t need = strlen(full);
		for (size_t size = 1; size <= need + 1; size++) {
			char buf[64];
			memset(buf, 'Z', sizeof buf);
			size_t got = zg_emit_scalar(inputs[i], buf, size);
			assert_int_equal(got, need);
			/* NUL-terminated within size, a prefix of the full form. */
			size_t len = strnlen(buf, sizeof buf);
			assert_int_equal(len, size - 1 < need ? size - 1 : need);
			assert_memory_equal(buf, full, len);
			/* Nothing written past size. */
			for (size_t k = size; k < sizeof buf; k++)
				assert_int_equal(buf[k], 'Z');
		}
		/* Size 0 writes nothing at all. */
		char z = 'Z';
		assert_int_equal(zg_emit_scalar(inputs[i], &z, 0), need);
		assert_int_equal(z, 'Z');
		free(full);
	}
}

static void test_quoted_lookalikes_stay_raw(void **state)
{
	(void)state;
	/*
	 * Characters that start like the escaped ones (U+2028, U+FFFE) but
	 * are others (…, ⁀, �) are written as they are.
	 */
	char buf[64];
	size_t n = zg_emit_scalar("说明: …⁀�", buf, sizeof buf);
	assert_string_equal(buf, "\"说明: …⁀�\"");
	assert_int_equal(n, strlen(buf));
}

static void test_truncated_inside_an_escape(void **state)
{
	(void)state;
	/* "x: \" needs "\"x: \\\\\"", 7 bytes: cut anywhere, terminated. */
	static const char full[] = "\"x: \\\\\"";
	for (size_t size = 1; size <= sizeof full; size++) {
		char buf[16];
		memset(buf, 'Z', sizeof buf);
		assert_int_equal(zg_emit_scalar("x: \\", buf, size), sizeof full - 1);
		assert_int_equal(strlen(buf), size - 1);
		assert_memory_equal(buf, full, size - 1);
		for (size_t k = size; k < sizeof buf; k++)
			assert_int_equal(buf[k], 'Z');
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_ok),
		cmocka_unit_test(test_plain_key_ok),
		cmocka_unit_test(test_round_trip_block),
		cmocka_unit_test(test_round_trip_flow),
		cmocka_unit_test(test_round_trip_plain_candidates),
		cmocka_unit_test(test_scalar_forms),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_quoted_lookalikes_stay_raw),
		cmocka_unit_test(test_truncated_inside_an_escape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
