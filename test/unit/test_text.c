/*
 * test_text.c - UTF-8 validation with the exact bad offset, character
 * counts, line/column of byte offsets, edit distance and "did you mean".
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "zg/text.h"

#define S(lit) lit, sizeof lit - 1

static void check_valid(const char *buf, size_t len)
{
	size_t bad = 12345;
	if (!zg_utf8_valid(buf, len, &bad))
		fail_msg("valid text refused at offset %zu", bad);
	assert_true(zg_utf8_valid(buf, len, NULL));
}

static void check_invalid(const char *buf, size_t len, size_t want)
{
	size_t bad = 12345;
	if (zg_utf8_valid(buf, len, &bad))
		fail_msg("invalid text accepted (want bad offset %zu)", want);
	if (bad != want)
		fail_msg("bad offset %zu, want %zu", bad, want);
	assert_false(zg_utf8_valid(buf, len, NULL));
}

static void test_utf8_valid_accepts(void **state)
{
	(void)state;
	check_valid(S(""));
	check_valid(S("status: in_progress\n"));
	check_valid(S("县住建局"));
	check_valid(S("unit: zjj  # 县住建局\n"));
	check_valid(S("\xF0\x9F\x98\x80"));		/* U+1F600 */
	check_valid(S("ok \xF0\x9F\x98\x80 县"));
	check_valid(S("\xC2\x80"));			/* U+0080, smallest 2-byte */
	check_valid(S("\xDF\xBF"));			/* U+07FF */
	check_valid(S("\xE0\xA0\x80"));		/* U+0800, smallest 3-byte */
	check_valid(S("\xED\x9F\xBF"));		/* U+D7FF, below surrogates */
	check_valid(S("\xEE\x80\x80"));		/* U+E000, above surrogates */
	check_valid(S("\xEF\xBB\xBF" "a"));		/* BOM */
	check_valid(S("\xEF\xBF\xBD"));		/* U+FFFD */
	check_valid(S("\xF0\x90\x80\x80"));		/* U+10000, smallest 4-byte */
	check_valid(S("\xF4\x8F\xBF\xBF"));		/* U+10FFFF, the largest */
	check_valid(S("a\0b"));			/* NUL is a character */
	check_valid(S("\x7F"));
	/* Only len bytes count: a cut in the middle of the buffer. */
	check_valid("县住", 3);
}

static void test_utf8_valid_rejects(void **state)
{
	(void)state;
	/* 县 in GBK is CF D8: CF leads a 2-byte sequence, D8 cannot follow. */
	check_invalid(S("\xCF\xD8" "abc"), 0);
	check_invalid(S("unit: \xCF\xD8\xD7\xA1\xBD\xA8\xBE\xD6\n"), 6);
	check_invalid(S("县住建局\xCF\xD8"), 12);
	/* A lone continuation byte. */
	check_invalid(S("\x80"), 0);
	check_invalid(S("ab\x80" "cd"), 2);
	check_invalid(S("县\xBF"), 3);
	/* Truncated at the end of the buffer. */
	check_invalid(S("ab\xE5\x8E"), 2);
	check_invalid(S("ab\xE5"), 2);
	check_invalid(S("\xF0\x9F\x98"), 0);
	check_invalid(S("ok\xC2"), 2);
	check_invalid("县住", 5, 3);
	/* Truncated before other text: the continuation is missing. */
	check_invalid(S("\xE5\x8E" "a"), 0);
	check_invalid(S("x\xF0\x9F\x98" "a"), 1);
	/* Overlongs. */
	check_invalid(S("\xC0\xAF"), 0);
	check_invalid(S("a\xC1\xBF"), 1);
	check_invalid(S("\xE0\x80\xAF"), 0);
	check_invalid(S("ab\xE0\x9F\xBF"), 2);
	check_invalid(S("\xF0\x80\x80\xAF"), 0);
	check_invalid(S("\xF0\x8F\xBF\xBF"), 0);
	/* Surrogates. */
	check_invalid(S("\xED\xA0\x80"), 0);
	check_invalid(S("县\xED\xBF\xBF"), 3);
	/* Past U+10FFFF, and bytes that never occur. */
	check_invalid(S("\xF4\x90\x80\x80"), 0);
	check_invalid(S("abc\xF5\x80\x80\x80"), 3);
	check_invalid(S("\xF8\x88\x80\x80\x80"), 0);
	check_invalid(S("\xFE"), 0);
	check_invalid(S("a\xFF"), 1);
	/* The first bad sequence is the one reported. */
	check_invalid(S("县\x80\xCF\xD8"), 3);
	/* UTF-16LE with a BOM. */
	check_invalid(S("\xFF\xFE" "a\0"), 0);
}

static void test_utf8_length(void **state)
{
	(void)state;
	assert_int_equal(zg_utf8_length(S("")), 0);
	assert_int_equal(zg_utf8_length(S("abc")), 3);
	assert_int_equal(zg_utf8_length(S("县住建局")), 4);
	assert_int_equal(zg_utf8_length(S("\xF0\x9F\x98\x80")), 1);
	assert_int_equal(zg_utf8_length(S("a县\xF0\x9F\x98\x80" "b\xC2\xA9")), 5);
	assert_int_equal(zg_utf8_length("县住建局", 6), 2);
	assert_int_equal(zg_utf8_length(S("a\0b")), 3);
}

struct pos {
	size_t offset;
	unsigned line, column;
};

static void check_positions(const char *buf, size_t len, const struct pos *p,
			    size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned line = 0, column = 0;
		zg_text_position(buf, len, p[i].offset, &line, &column);
		if (line != p[i].line || column != p[i].column)
			fail_msg("offset %zu: %u:%u, want %u:%u", p[i].offset,
				 line, column, p[i].line, p[i].column);
	}
}

#define CHECK_POSITIONS(buf, ...)                                         \
	do {                                                              \
		static const struct pos p_[] = { __VA_ARGS__ };           \
		check_positions(buf, sizeof buf - 1, p_,                  \
				sizeof p_ / sizeof *p_);                  \
	} while (0)

static void test_position_ascii(void **state)
{
	(void)state;
	CHECK_POSITIONS("abc\ndef\n",
			{ 0, 1, 1 }, { 2, 1, 3 }, { 3, 1, 4 }, { 4, 2, 1 },
			{ 6, 2, 3 }, { 7, 2, 4 }, { 8, 3, 1 },
			/* past the end: the end */
			{ 100, 3, 1 });
	CHECK_POSITIONS("\n\n\nx", { 0, 1, 1 }, { 1, 2, 1 }, { 2, 3, 1 },
			{ 3, 4, 1 });
	unsigned line, column;
	zg_text_position("", 0, 0, &line, &column);
	assert_int_equal(line, 1);
	assert_int_equal(column, 1);
}

static void test_position_chinese(void **state)
{
	(void)state;
	/* "a: 县城排水\nb: x\n": the b is byte 16 but character 12. */
	CHECK_POSITIONS("a: 县城排水\nb: x\n",
			{ 3, 1, 4 },	/* 县 */
			{ 9, 1, 6 },	/* 排 */
			{ 12, 1, 7 },	/* 水 */
			{ 15, 1, 8 },	/* the newline */
			{ 16, 2, 1 },	/* b */
			{ 19, 2, 4 });	/* x */
	CHECK_POSITIONS("县住建局\n整改: \xF0\x9F\x98\x80!\n",
			{ 13, 2, 1 }, { 19, 2, 3 }, { 21, 2, 5 },
			{ 25, 2, 6 });
}

static void test_position_bom(void **state)
{
	(void)state;
	/* The BOM is not a column. */
	CHECK_POSITIONS("\xEF\xBB\xBF" "a: 1\nb: 2\n",
			{ 3, 1, 1 }, { 4, 1, 2 }, { 7, 1, 5 }, { 8, 2, 1 },
			{ 11, 2, 4 });
	CHECK_POSITIONS("\xEF\xBB\xBF县: x", { 3, 1, 1 }, { 6, 1, 2 },
			{ 8, 1, 4 });
	/* An offset inside the BOM is the start of the text. */
	CHECK_POSITIONS("\xEF\xBB\xBF" "a: 1\n", { 0, 1, 1 }, { 1, 1, 1 },
			{ 2, 1, 1 });
	/* A BOM anywhere else is an ordinary character. */
	CHECK_POSITIONS("a\xEF\xBB\xBF" "b", { 4, 1, 3 });
}

static void test_position_crlf(void **state)
{
	(void)state;
	CHECK_POSITIONS("a: 1\r\nb: 县\r\nc: 2\r\n",
			{ 4, 1, 5 },	/* \r */
			{ 5, 1, 6 },	/* \n */
			{ 6, 2, 1 },	/* b */
			{ 9, 2, 4 },	/* 县 */
			{ 12, 2, 5 },	/* \r */
			{ 14, 3, 1 },	/* c */
			{ 17, 3, 4 });	/* 2 */
}

static void test_edit_distance(void **state)
{
	(void)state;
	assert_int_equal(zg_edit_distance("stauts", "status"), 1);
	assert_int_equal(zg_edit_distance("status", "stauts"), 1);
	assert_int_equal(zg_edit_distance("status", "statu"), 1);
	assert_int_equal(zg_edit_distance("statu", "status"), 1);
	assert_int_equal(zg_edit_distance("status", "statis"), 1);
	assert_int_equal(zg_edit_distance("status", "status"), 0);
	assert_int_equal(zg_edit_distance("", ""), 0);
	assert_int_equal(zg_edit_distance("", "abc"), 3);
	assert_int_equal(zg_edit_distance("abc", ""), 3);
	assert_int_equal(zg_edit_distance("kitten", "sitting"), 3);
	assert_int_equal(zg_edit_distance("sumbitted", "submitted"), 1);
	/* Optimal string alignment: no edit of a swapped pair. */
	assert_int_equal(zg_edit_distance("ca", "abc"), 3);
	/* Characters, not bytes. */
	assert_int_equal(zg_edit_distance("整改目标", "整改目的"), 1);
	assert_int_equal(zg_edit_distance("整改目标", "整改目标"), 0);
	assert_int_equal(zg_edit_distance("县住建局", "住县建局"), 1);
	assert_int_equal(zg_edit_distance("整改目标", ""), 4);
	assert_int_equal(zg_edit_distance("a", "县"), 1);
	assert_int_equal(zg_edit_distance("状态", "status"), 6);
	assert_int_equal(zg_edit_distance("\xF0\x9F\x98\x80", "\xF0\x9F\x98\x81"), 1);
}

static const char *const item_keys[] = {
	"id", "category", "suggestions", "group", "received",
	"investigation", "verdict", "plan", "explanation", "cause",
	"submitted", "plan_digest", "amendments", "published", "progress",
	"status", "completed", "result", "satisfaction", "verification",
};
#define N_ITEM_KEYS (sizeof item_keys / sizeof *item_keys)

static void check_nearest(const char *word, const char *const *c, size_t n,
			  const char *want)
{
	const char *got = zg_nearest(word, c, n);
	if (!want && got)
		fail_msg("'%s': got '%s', want none", word, got);
	if (want && (!got || strcmp(got, want) != 0))
		fail_msg("'%s': got '%s', want '%s'", word,
			 got ? got : "(none)", want);
}

static void test_nearest(void **state)
{
	(void)state;
	check_nearest("stauts", item_keys, N_ITEM_KEYS, "status");
	check_nearest("sumbitted", item_keys, N_ITEM_KEYS, "submitted");
	check_nearest("verificaton", item_keys, N_ITEM_KEYS, "verification");
	check_nearest("plan_digets", item_keys, N_ITEM_KEYS, "plan_digest");
	check_nearest("progres", item_keys, N_ITEM_KEYS, "progress");
	check_nearest("amendment", item_keys, N_ITEM_KEYS, "amendments");
	check_nearest("Status", item_keys, N_ITEM_KEYS, "status");
	check_nearest("xyz", item_keys, N_ITEM_KEYS, NULL);
	check_nearest("unit", item_keys, N_ITEM_KEYS, NULL);
	check_nearest("deadline", item_keys, N_ITEM_KEYS, NULL);

	static const char *const progress_keys[] = { "date", "note", "evidence" };
	check_nearest("evidences", progress_keys, 3, "evidence");
	check_nearest("evidance", progress_keys, 3, "evidence");
	check_nearest("notes", progress_keys, 3, "note");
	check_nearest("xyz", progress_keys, 3, NULL);
	check_nearest("anything", progress_keys, 0, NULL);
}

static void test_nearest_limit(void **state)
{
	(void)state;
	/* Six characters allow two edits, not three. */
	static const char *const stat[] = { "stat" };
	static const char *const sta[] = { "sta" };
	check_nearest("stauts", stat, 1, "stat");
	check_nearest("stauts", sta, 1, NULL);
	/* Short words still allow one edit. */
	static const char *const ac[] = { "ac" };
	static const char *const cd[] = { "cd" };
	check_nearest("ab", ac, 1, "ac");
	check_nearest("ab", cd, 1, NULL);
	check_nearest("a", cd, 1, NULL);
	/* The limit counts characters: 目的 is 2 of them (6 bytes). */
	static const char *const xiangmu[] = { "项目" };
	check_nearest("目的", xiangmu, 1, NULL);
	static const char *const zh[] = { "整改成效", "整改目标" };
	check_nearest("整改目的", zh, 2, "整改目标");
	/* The nearest wins, whatever its place; ties go to the first. */
	static const char *const order[] = { "note", "date", "data" };
	check_nearest("dat", order, 3, "date");
	check_nearest("datx", order, 3, "date");
}

/* ---- excerpts for messages ---- */

static void check_excerpt(const char *s, size_t size, const char *want)
{
	char buf[ZG_EXCERPT_SIZE + 8];
	memset(buf, 'Z', sizeof buf);
	assert_ptr_equal(zg_text_excerpt(s, buf, size), buf);
	assert_string_equal(buf, want);
	assert_true(strlen(buf) < size);
	for (size_t k = size; k < sizeof buf; k++)
		assert_int_equal(buf[k], 'Z');
}

static void test_excerpt_escapes(void **state)
{
	(void)state;
	check_excerpt("a\nb\rc\td", 64, "a\\nb\\rc\\td");
	/* Other control characters become '?'. */
	check_excerpt("x\x01y\x7fz\x1b", 64, "x?y?z?");
	/* Chinese stays whole, and counts one character each. */
	check_excerpt("整改台账", 64, "整改台账");
	/* A byte that cannot lead a character is copied as it is, and a
	 * character cut short by the end of the text is kept as far as it
	 * goes: nothing is read past the NUL. */
	check_excerpt("a\x80" "b", 64, "a\x80" "b");
	check_excerpt("ab\xE6\x95", 64, "ab\xE6\x95");
	check_excerpt("", 64, "");
}

static void test_excerpt_cut(void **state)
{
	(void)state;
	char s[128], want[128];
	/* Forty characters, then an ellipsis. */
	memset(s, 'k', 60);
	s[60] = '\0';
	memset(want, 'k', ZG_EXCERPT_CHARS);
	strcpy(want + ZG_EXCERPT_CHARS, "\xE2\x80\xA6");
	check_excerpt(s, ZG_EXCERPT_SIZE, want);
	/* Exactly forty: no ellipsis. */
	s[ZG_EXCERPT_CHARS] = '\0';
	check_excerpt(s, ZG_EXCERPT_SIZE, s);
	/* Forty Chinese characters and more fit the documented size. */
	s[0] = '\0';
	for (int i = 0; i < 41; i++)
		strcat(s, "整");
	want[0] = '\0';
	for (int i = 0; i < 40; i++)
		strcat(want, "整");
	strcat(want, "\xE2\x80\xA6");
	char big[ZG_EXCERPT_SIZE];
	assert_string_equal(zg_text_excerpt(s, big, sizeof big), want);
	/* A small buffer: as many whole characters as fit. */
	check_excerpt("abcdefgh", 5, "abcd");
	check_excerpt("abcdefgh", 8, "abcdefg");
	/* Just room for the text and its NUL: whole. */
	check_excerpt("abcdefgh", 9, "abcdefgh");
	/* Thirteen Chinese characters are 39 bytes, fourteen are 42: short
	 * texts either way, whole. */
	check_excerpt("整改台账整改台账整改台账整", 64, "整改台账整改台账整改台账整");
	check_excerpt("整改台账整改台账整改台账整改", 64, "整改台账整改台账整改台账整改");
	check_excerpt("整改台账", 8, "整改");
	check_excerpt("a\nb", 3, "a");
	check_excerpt("abc", 1, "");
	/* Size 0 writes nothing. */
	char none[4] = "ZZZ";
	assert_ptr_equal(zg_text_excerpt("abc", none, 0), none);
	assert_string_equal(none, "ZZZ");
}

static void test_edit_distance_bad_bytes_and_long_words(void **state)
{
	(void)state;
	/* Bytes that are not UTF-8 count one character each. */
	assert_int_equal(zg_edit_distance("\xE6\x95" "ab", "ab"), 2);
	assert_int_equal(zg_edit_distance("\x80" "ab", "ab"), 1);
	assert_int_equal(zg_edit_distance("\xE6\x95\xB4" "ab", "ab"), 1);
	/* A hostile, very long key costs no more than a long one. */
	static char huge[100001];
	memset(huge, 'x', sizeof huge - 1);
	size_t d = zg_edit_distance(huge, "status");
	assert_true(d >= 6 && d <= 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid_accepts),
		cmocka_unit_test(test_utf8_valid_rejects),
		cmocka_unit_test(test_utf8_length),
		cmocka_unit_test(test_position_ascii),
		cmocka_unit_test(test_position_chinese),
		cmocka_unit_test(test_position_bom),
		cmocka_unit_test(test_position_crlf),
		cmocka_unit_test(test_edit_distance),
		cmocka_unit_test(test_nearest),
		cmocka_unit_test(test_nearest_limit),
		cmocka_unit_test(test_excerpt_escapes),
		cmocka_unit_test(test_excerpt_cut),
		cmocka_unit_test(test_edit_distance_bad_bytes_and_long_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
