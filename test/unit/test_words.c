/*
 * test_words.c - the word lists behind the five haves (五个有): a quantified
 * task, a specific owner, a checkable outcome, on real Chinese text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "zg/words.h"

/* True when w is one of the NULL-terminated list. */
static bool in_list(const char *const *list, const char *w)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], w) == 0)
			return true;
	return false;
}

static size_t list_len(const char *const *list)
{
	size_t n = 0;
	while (list[n])
		n++;
	return n;
}

/* ---- zg_words_has_quantity ---- */

static void test_quantity_present(void **state)
{
	(void)state;
	/* Arabic numerals, with a decimal point, with a unit, a percentage. */
	assert_true(zg_words_has_quantity("改造排水管网3.2公里"));
	assert_true(zg_words_has_quantity("改造老旧小区排水管网 3.2 公里"));
	assert_true(zg_words_has_quantity("新建公厕2座"));
	assert_true(zg_words_has_quantity("覆盖率达到100%"));
	/* Chinese numerals, including 两 and large units. */
	assert_true(zg_words_has_quantity("每月开展两次"));
	assert_true(zg_words_has_quantity("培训三百人次"));
	assert_true(zg_words_has_quantity("硬化道路五公里"));
	assert_true(zg_words_has_quantity("半年内完成"));
	assert_true(zg_words_has_quantity("整治〇星点位"));
	/* Full-width digits, as some input methods type them. */
	assert_true(zg_words_has_quantity("全年１２期"));
	assert_true(zg_words_has_quantity("办理０件"));
	assert_true(zg_words_has_quantity("办理９件"));
	/* A digit at the very start or end. */
	assert_true(zg_words_has_quantity("9"));
	assert_true(zg_words_has_quantity("路灯0"));
}

static void test_quantity_absent(void **state)
{
	(void)state;
	assert_false(zg_words_has_quantity("进一步加强管理"));
	assert_false(zg_words_has_quantity("统一规划"));
	assert_false(zg_words_has_quantity("一些问题"));
	assert_false(zg_words_has_quantity("千方百计"));
	assert_false(zg_words_has_quantity("千方百计解决群众反映的问题"));
	assert_false(zg_words_has_quantity("切实加强管理，提高服务水平"));
	assert_false(zg_words_has_quantity("做好一站式服务，推进一网通办"));
	assert_false(zg_words_has_quantity(""));
	assert_false(zg_words_has_quantity("   "));
	/* Latin letters that merely look like numbers are not numerals. */
	assert_false(zg_words_has_quantity("Ol lI"));
}

static void test_quantity_after_set_phrase(void **state)
{
	(void)state;
	/* The set phrase is skipped, the real quantity after it is not. */
	assert_true(zg_words_has_quantity("进一步加强管理，新增路灯20盏"));
	assert_true(zg_words_has_quantity("统一规划，建成三个停车场"));
	assert_true(zg_words_has_quantity("千方百计筹措资金50万元"));
	assert_true(zg_words_has_quantity("一些路段新增２处"));
	/* A numeral directly after a set phrase still counts. */
	assert_true(zg_words_has_quantity("进一步二"));
	/* And before it. */
	assert_true(zg_words_has_quantity("3次进一步"));
}

static void test_every_not_quantity_phrase(void **state)
{
	(void)state;
	assert_true(list_len(zg_words_not_quantities) > 0);
	for (size_t i = 0; zg_words_not_quantities[i]; i++) {
		const char *w = zg_words_not_quantities[i];
		char buf[128];
		/* Alone, and inside a sentence with no other numeral. */
		if (zg_words_has_quantity(w))
			fail_msg("'%s' alone should carry no quantity", w);
		snprintf(buf, sizeof buf, "要%s做好工作", w);
		if (zg_words_has_quantity(buf))
			fail_msg("'%s' should carry no quantity", buf);
		/* Followed by a real quantity, it does not hide it. */
		snprintf(buf, sizeof buf, "%s，完成8处", w);
		if (!zg_words_has_quantity(buf))
			fail_msg("'%s' should carry a quantity", buf);
		snprintf(buf, sizeof buf, "%s，完成八处", w);
		if (!zg_words_has_quantity(buf))
			fail_msg("'%s' should carry a quantity", buf);
	}
}

/* ---- zg_words_vague_owner ---- */

static void test_vague_owner_placeholders(void **state)
{
	(void)state;
	const char *v;
	v = zg_words_vague_owner("相关部门");
	assert_non_null(v);
	assert_string_equal(v, "相关部门");
	v = zg_words_vague_owner("县住建局相关部门");
	assert_non_null(v);
	assert_string_equal(v, "相关部门");
	v = zg_words_vague_owner("待定");
	assert_non_null(v);
	assert_string_equal(v, "待定");
	v = zg_words_vague_owner("TBD");
	assert_non_null(v);
	assert_string_equal(v, "TBD");
	v = zg_words_vague_owner("有关单位负责同志");
	assert_non_null(v);
	assert_string_equal(v, "有关单位");
	v = zg_words_vague_owner("各单位");
	assert_non_null(v);
}

static void test_vague_owner_whole_values(void **state)
{
	(void)state;
	const char *v;
	v = zg_words_vague_owner("无");
	assert_non_null(v);
	assert_string_equal(v, "无");
	/* 无 inside a real name (the barrier-free office) names someone. */
	assert_null(zg_words_vague_owner("无障碍股"));
	assert_null(zg_words_vague_owner("县住建局无障碍设施股"));
	v = zg_words_vague_owner("领导");
	assert_non_null(v);
	assert_string_equal(v, "领导");
	assert_null(zg_words_vague_owner("分管领导李某"));
	assert_null(zg_words_vague_owner("李某 副局长"));
	assert_null(zg_words_vague_owner("李某"));
	assert_null(zg_words_vague_owner("县住建局城建股"));
	assert_null(zg_words_vague_owner("王某"));
	assert_null(zg_words_vague_owner(NULL));
}

static void test_vague_owner_blank_and_padding(void **state)
{
	(void)state;
	const char *v;
	/* Empty or blank says nobody: vague. */
	assert_non_null(zg_words_vague_owner(""));
	assert_non_null(zg_words_vague_owner(" "));
	assert_non_null(zg_words_vague_owner(" \t\r\n"));
	assert_non_null(zg_words_vague_owner("\xE3\x80\x80"));
	assert_non_null(zg_words_vague_owner("\xE3\x80\x80 \xE3\x80\x80"));
	/* A whole-value placeholder padded with blanks, ideographic or not. */
	v = zg_words_vague_owner("\xE3\x80\x80无\xE3\x80\x80");
	assert_non_null(v);
	assert_string_equal(v, "无");
	v = zg_words_vague_owner("  无\t");
	assert_non_null(v);
	assert_string_equal(v, "无");
	v = zg_words_vague_owner("\xE3\x80\x80\xE3\x80\x80领导 \xE3\x80\x80");
	assert_non_null(v);
	assert_string_equal(v, "领导");
	/* Padding does not make a name vague. */
	assert_null(zg_words_vague_owner("\xE3\x80\x80李某\xE3\x80\x80"));
	assert_null(zg_words_vague_owner(" 无障碍股 "));
}

static void test_every_vague_anywhere_word(void **state)
{
	(void)state;
	assert_true(list_len(zg_words_vague_anywhere) > 0);
	for (size_t i = 0; zg_words_vague_anywhere[i]; i++) {
		const char *w = zg_words_vague_anywhere[i];
		char buf[128];
		const char *v = zg_words_vague_owner(w);
		if (!v)
			fail_msg("'%s' alone should be vague", w);
		snprintf(buf, sizeof buf, "县住建局%s李某", w);
		v = zg_words_vague_owner(buf);
		if (!v)
			fail_msg("'%s' should be vague", buf);
		/* What it names is the placeholder, found in the value. */
		if (!strstr(buf, v) || !in_list(zg_words_vague_anywhere, v))
			fail_msg("'%s' gave '%s'", buf, v);
	}
}

static void test_every_vague_whole_word(void **state)
{
	(void)state;
	assert_true(list_len(zg_words_vague_whole) > 0);
	for (size_t i = 0; zg_words_vague_whole[i]; i++) {
		const char *w = zg_words_vague_whole[i];
		char buf[128];
		const char *v = zg_words_vague_owner(w);
		if (!v || strcmp(v, w) != 0)
			fail_msg("'%s' alone should be vague as itself, gave '%s'",
				 w, v ? v : "(null)");
		snprintf(buf, sizeof buf, " \xE3\x80\x80%s\t", w);
		v = zg_words_vague_owner(buf);
		if (!v || strcmp(v, w) != 0)
			fail_msg("padded '%s' should be vague", w);
		/* Part of a longer name, it names someone. */
		snprintf(buf, sizeof buf, "县住建局%s股李某", w);
		if (zg_words_vague_owner(buf))
			fail_msg("'%s' should not be vague", buf);
	}
}

/* ---- zg_words_checkable_outcome ---- */

static void expect_outcome(const char *s)
{
	const char *v = zg_words_checkable_outcome(s);
	if (!v)
		fail_msg("'%s' should name a checkable form", s);
	if (!strstr(s, v) || !in_list(zg_words_outcome_forms, v))
		fail_msg("'%s' gave '%s', not a listed form inside it", s, v);
}

static void test_outcome(void **state)
{
	(void)state;
	expect_outcome("竣工验收报告");
	expect_outcome("整改前后对比照片");
	expect_outcome("工作台账");
	expect_outcome("满意度测评数据");
	expect_outcome("竣工验收报告、整改前后对比照片");
	expect_outcome("会议纪要");
	assert_null(zg_words_checkable_outcome("群众满意"));
	assert_null(zg_words_checkable_outcome("完成"));
	assert_null(zg_words_checkable_outcome("按时完成整改，群众满意"));
	assert_null(zg_words_checkable_outcome("取得明显成效"));
	assert_null(zg_words_checkable_outcome(""));
	assert_null(zg_words_checkable_outcome(NULL));
}

static void test_every_outcome_form(void **state)
{
	(void)state;
	assert_true(list_len(zg_words_outcome_forms) > 0);
	for (size_t i = 0; zg_words_outcome_forms[i]; i++) {
		const char *w = zg_words_outcome_forms[i];
		char buf[128];
		expect_outcome(w);
		snprintf(buf, sizeof buf, "整改完成后形成%s一份，报县绩效办", w);
		expect_outcome(buf);
	}
}

static void test_set_phrase_followed_by_a_measure(void **state)
{
	(void)state;
	/* 三公 (the three public expenses) is no quantity; 三公里 is. */
	assert_false(zg_words_has_quantity("压缩三公经费"));
	assert_true(zg_words_has_quantity("新修道路三公里"));
	assert_false(zg_words_has_quantity("群众十分满意"));
	assert_true(zg_words_has_quantity("步行十分钟可达"));
}

static void test_quantity_in_other_scripts(void **state)
{
	(void)state;
	/* Two- and four-byte characters are stepped over whole. */
	assert_false(zg_words_has_quantity("café 😀 ok"));
	assert_true(zg_words_has_quantity("café 😀 三个"));
	/* A character cut short at the end is not read past. */
	assert_false(zg_words_has_quantity("完成\xE4"));
	assert_false(zg_words_has_quantity("完成\xF0\x9F"));
}

static void test_vague_owner_line_breaks(void **state)
{
	(void)state;
	/* Trailing line breaks, as a block scalar leaves them. */
	assert_string_equal(zg_words_vague_owner("无\r\n"), "无");
	assert_string_equal(zg_words_vague_owner("领导\n"), "领导");
	assert_null(zg_words_vague_owner("王某\r\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantity_present),
		cmocka_unit_test(test_set_phrase_followed_by_a_measure),
		cmocka_unit_test(test_quantity_in_other_scripts),
		cmocka_unit_test(test_vague_owner_line_breaks),
		cmocka_unit_test(test_quantity_absent),
		cmocka_unit_test(test_quantity_after_set_phrase),
		cmocka_unit_test(test_every_not_quantity_phrase),
		cmocka_unit_test(test_vague_owner_placeholders),
		cmocka_unit_test(test_vague_owner_whole_values),
		cmocka_unit_test(test_vague_owner_blank_and_padding),
		cmocka_unit_test(test_every_vague_anywhere_word),
		cmocka_unit_test(test_every_vague_whole_word),
		cmocka_unit_test(test_outcome),
		cmocka_unit_test(test_every_outcome_form),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
