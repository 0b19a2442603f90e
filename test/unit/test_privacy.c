/*
 * test_privacy.c - finding and masking citizens' personal data in free
 * text: mainland mobile numbers, 18-digit ID-card numbers with their
 * ISO 7064 MOD 11-2 check character, e-mail addresses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zg/privacy.h"

/* The check character of GB 11643 (ISO 7064 MOD 11-2), computed here. */
static char id_check(const char *first17)
{
	static const int weight[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3,
					 7, 9, 10, 5, 8, 4, 2 };
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (first17[i] - '0') * weight[i];
	/* (12 - sum mod 11) mod 11, with 10 written X. */
	int c = (12 - sum % 11) % 11;
	return c == 10 ? 'X' : (char)('0' + c);
}

/* An 18-character ID from 17 digits and its computed check character. */
static void make_id(const char *first17, char out[19])
{
	memcpy(out, first17, 17);
	out[17] = id_check(first17);
	out[18] = '\0';
}

/* A valid ID of Nanning (450102) whose check character is X. */
static void make_id_x(char out[19])
{
	char base[18];
	for (int seq = 0; seq < 1000; seq++) {
		snprintf(base, sizeof base, "45010219850315%03d", seq);
		if (id_check(base) == 'X') {
			make_id(base, out);
			return;
		}
	}
	fail_msg("no sequence gives X");
}

static void expect_found(const char *s, size_t from, enum zg_pii_kind kind,
			 size_t offset, size_t len)
{
	struct zg_pii p;
	if (!zg_pii_find(s, from, &p))
		fail_msg("nothing found in '%s' from %zu", s, from);
	assert_int_equal(p.kind, kind);
	assert_int_equal(p.offset, offset);
	assert_int_equal(p.len, len);
}

static void expect_none(const char *s)
{
	struct zg_pii p;
	if (zg_pii_find(s, 0, &p))
		fail_msg("found kind %d at %zu+%zu in '%s'", (int)p.kind,
			 p.offset, p.len, s);
}

/* ---- the check character itself ---- */

static void test_id_check_known_numbers(void **state)
{
	(void)state;
	/* The sample numbers of GB 11643-1999. */
	assert_int_equal(id_check("11010519491231002"), 'X');
	assert_int_equal(id_check("44052418800101001"), '4');
	expect_found("11010519491231002X", 0, ZG_PII_ID_CARD, 0, 18);
	expect_found("440524188001010014", 0, ZG_PII_ID_CARD, 0, 18);
}

/* ---- mobiles ---- */

static void test_mobiles_found(void **state)
{
	(void)state;
	expect_found("13812345678", 0, ZG_PII_MOBILE, 0, 11);
	expect_found("138-1234-5678", 0, ZG_PII_MOBILE, 0, 13);
	expect_found("138 1234 5678", 0, ZG_PII_MOBILE, 0, 13);
	/* Inside Chinese text: offsets are in bytes (电话 is 6). */
	expect_found("电话13812345678联系", 0, ZG_PII_MOBILE, 6, 11);
	expect_found("联系人张某，电话：199 0000 1111。", 0, ZG_PII_MOBILE,
		     strlen("联系人张某，电话："), 13);
	/* Every second digit 3 to 9. */
	for (char c = '3'; c <= '9'; c++) {
		char s[32];
		snprintf(s, sizeof s, "tel 1%c012345678.", c);
		expect_found(s, 0, ZG_PII_MOBILE, 4, 11);
	}
}

static void test_mobiles_not_found(void **state)
{
	(void)state;
	expect_none("12812345678");		/* no such prefix */
	expect_none("10012345678");
	expect_none("1381234567");		/* 10 digits */
	expect_none("138123456789");		/* 12 digits */
	expect_none("9913812345678");		/* inside a longer run */
	expect_none("编号2013812345678号");
	expect_none("138-1234-567");
	expect_none("138--1234-5678");
	expect_none("改造排水管网 3.2 公里，投资 1380 万元");
	expect_none("");
}

/* ---- ID cards ---- */

static void test_id_cards_found(void **state)
{
	(void)state;
	char id[19], x[19], text[128];
	make_id("45010219900101123", id);
	expect_found(id, 0, ZG_PII_ID_CARD, 0, 18);
	snprintf(text, sizeof text, "身份证号%s，住址", id);
	expect_found(text, 0, ZG_PII_ID_CARD, strlen("身份证号"), 18);

	make_id_x(x);
	assert_int_equal(x[17], 'X');
	expect_found(x, 0, ZG_PII_ID_CARD, 0, 18);
	/* Clerks type the X in lower case too. */
	x[17] = 'x';
	snprintf(text, sizeof text, "证件：%s。", x);
	expect_found(text, 0, ZG_PII_ID_CARD, strlen("证件："), 18);
}

static void test_id_cards_not_found(void **state)
{
	(void)state;
	char id[19], bad[19], text[64];
	make_id("45010219900101123", id);
	/* Every wrong check character is refused. */
	const char *all = "0123456789X";
	for (const char *c = all; *c; c++) {
		if (*c == id[17])
			continue;
		memcpy(bad, id, sizeof bad);
		bad[17] = *c;
		struct zg_pii p;
		if (zg_pii_find(bad, 0, &p))
			fail_msg("'%s' with a wrong check digit was found", bad);
	}
	/* 17 digits, and 19 (a valid 18 with one more digit either side). */
	expect_none("45010219900101123");
	snprintf(text, sizeof text, "%s7", id);
	expect_none(text);
	snprintf(text, sizeof text, "7%s", id);
	expect_none(text);
	char x[19];
	make_id_x(x);
	snprintf(text, sizeof text, "%sX", x);
	expect_none(text);
}

/* ---- e-mail addresses ---- */

static void test_emails(void **state)
{
	(void)state;
	expect_found("zhang.san@example.cn", 0, ZG_PII_EMAIL, 0, 20);
	expect_found("a@b.co", 0, ZG_PII_EMAIL, 0, 6);
	expect_found("邮箱zhang.san@example.cn。", 0, ZG_PII_EMAIL, 6, 20);
	/* A full stop after the address is not part of it. */
	expect_found("发至 li-si_2018@mail.gov.cn.", 0, ZG_PII_EMAIL,
		     strlen("发至 "), strlen("li-si_2018@mail.gov.cn"));
	expect_none("a@b");
	expect_none("@example.cn");
	expect_none("user@localhost");
	expect_none("user@example.c");
	expect_none("张某@县住建局");
}

/* ---- from ---- */

static void test_from_skips_earlier_data(void **state)
{
	(void)state;
	const char *s = "13812345678和13912345678";
	size_t second = 11 + strlen("和");
	expect_found(s, 0, ZG_PII_MOBILE, 0, 11);
	expect_found(s, 11, ZG_PII_MOBILE, second, 11);
	/* From inside the first number: its tail is not a number of its own. */
	expect_found(s, 1, ZG_PII_MOBILE, second, 11);
	expect_found(s, second, ZG_PII_MOBILE, second, 11);
	struct zg_pii p;
	assert_false(zg_pii_find(s, second + 1, &p));
	assert_false(zg_pii_find(s, strlen(s), &p));

	const char *m = "a@b.co，c@d.cn";
	expect_found(m, 0, ZG_PII_EMAIL, 0, 6);
	expect_found(m, 6, ZG_PII_EMAIL, 6 + strlen("，"), 6);
}

/* ---- masking ---- */

static char *masked(const char *s)
{
	char *m = zg_pii_mask(s);
	assert_non_null(m);
	return m;
}

static void expect_masked(const char *s, const char *want)
{
	char *m = masked(s);
	bool same = strcmp(m, want) == 0;
	if (!same)
		print_error("'%s' masked to '%s', want '%s'\n", s, m, want);
	free(m);
	if (!same)
		fail();
}

static void test_mask_each_kind(void **state)
{
	(void)state;
	expect_masked("13812345678", "138****5678");
	expect_masked("电话13812345678联系", "电话138****5678联系");
	expect_masked("zhang.san@example.cn", "z***@example.cn");
	expect_masked("请联系 a@b.co。", "请联系 a***@b.co。");

	char id[19], want[19], text[128], wtext[128];
	make_id("45010219900101123", id);
	/* The first 4 and the last 4 stay, the 10 between are starred. */
	snprintf(want, sizeof want, "4501**********%s", id + 14);
	expect_masked(id, want);
	snprintf(text, sizeof text, "身份证%s。", id);
	snprintf(wtext, sizeof wtext, "身份证%s。", want);
	expect_masked(text, wtext);

	char x[19];
	make_id_x(x);
	x[17] = 'x';
	snprintf(want, sizeof want, "4501**********%s", x + 14);
	expect_masked(x, want);
	assert_int_equal(want[17], 'x');
}

static void test_mask_separated_mobile(void **state)
{
	(void)state;
	const char *forms[] = { "138-1234-5678", "138 1234 5678" };
	for (size_t i = 0; i < 2; i++) {
		char *m = masked(forms[i]);
		/* The first three and the last four digits, nothing between. */
		assert_true(strncmp(m, "138", 3) == 0);
		assert_non_null(strstr(m, "5678"));
		assert_null(strstr(m, "1234"));
		assert_null(strchr(m + 3, '1'));
		assert_null(strchr(m, '2'));
		free(m);
	}
}

static void test_mask_several(void **state)
{
	(void)state;
	char id[19], text[256], want[256];
	make_id("44052418800101001", id);
	snprintf(text, sizeof text,
		 "群众张某（电话13812345678，身份证%s，邮箱zhang.san@example.cn）"
		 "反映，另一号码139-8765-4321。",
		 id);
	snprintf(want, sizeof want,
		 "群众张某（电话138****5678，身份证4405**********%s，邮箱z***@example.cn）"
		 "反映，另一号码139****4321。",
		 id + 14);
	expect_masked(text, want);
	char *m = masked(text);
	/* The middle of each datum is gone. */
	assert_null(strstr(m, "1234"));
	assert_null(strstr(m, "8765"));
	assert_null(strstr(m, "2418800101"));
	assert_null(strstr(m, "zhang.san"));
	free(m);
}

static void test_mask_leaves_other_text(void **state)
{
	(void)state;
	const char *plain[] = {
		"",
		"改造老旧小区排水管网 3.2 公里，2018-11-15 前完成",
		"投资 1380 万元，新建公厕 12 座，编号 2013812345678",
		"县住建局@城建股",
		"45010219900101123",
	};
	for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
		expect_masked(plain[i], plain[i]);
}

static void test_mask_never_keeps_the_middle(void **state)
{
	(void)state;
	/* Many mobiles: none of their middle four digits survives. */
	for (int k = 0; k < 200; k++) {
		char s[64];
		snprintf(s, sizeof s, "电话1%d%d%04d%04d。", 3 + k % 7, k % 10,
			 (k * 7919) % 10000, (k * 31) % 10000);
		char *m = masked(s);
		const char *digits = m + strlen("电话");
		if (strncmp(digits + 3, "****", 4) != 0)
			fail_msg("'%s' masked to '%s'", s, m);
		/* Only 7 digits remain: 3 at the front and 4 at the back. */
		size_t n = 0;
		for (const char *c = m; *c; c++)
			n += *c >= '0' && *c <= '9';
		assert_int_equal(n, 7);
		free(m);
	}
	/* IDs: only 8 of the 18 characters remain. */
	for (int k = 0; k < 200; k++) {
		char base[18], id[19];
		snprintf(base, sizeof base, "4502%02d19%02d0%d1%d%03d", k % 30,
			 50 + k % 50, 1 + k % 9, k % 3, k);
		make_id(base, id);
		char *m = masked(id);
		assert_int_equal(strlen(m), 18);
		assert_memory_equal(m, "4502", 4);
		assert_memory_equal(m + 4, "**********", 10);
		assert_memory_equal(m + 14, id + 14, 4);
		free(m);
	}
}

static void test_mask_long_email(void **state)
{
	(void)state;
	/* A long domain is kept whole: masking hides the local part only. */
	char domain[200], s[256], want[256];
	snprintf(domain, sizeof domain, "%s",
		 "rectification-office.performance-evaluation.luzhai-county.liuzhou.guangxi.gov.cn");
	snprintf(s, sizeof s, "发至zhangsan@%s，谢谢", domain);
	snprintf(want, sizeof want, "发至z***@%s，谢谢", domain);
	expect_masked(s, want);
}

static void test_mask_one_truncates_safely(void **state)
{
	(void)state;
	const char *s = "13812345678";
	struct zg_pii p;
	assert_true(zg_pii_find(s, 0, &p));
	char buf[32];

	memset(buf, 'Z', sizeof buf);
	zg_pii_mask_one(s, &p, buf, sizeof buf);
	assert_string_equal(buf, "138****5678");

	/* Too small: cut, terminated, and nothing written past size. */
	for (size_t size = 1; size <= 12; size++) {
		memset(buf, 'Z', sizeof buf);
		zg_pii_mask_one(s, &p, buf, size);
		assert_int_equal(strlen(buf), size - 1);
		assert_memory_equal(buf, "138****5678", size - 1);
		for (size_t k = size; k < sizeof buf; k++)
			assert_int_equal(buf[k], 'Z');
	}
	/* Size 0 writes nothing at all. */
	memset(buf, 'Z', sizeof buf);
	zg_pii_mask_one(s, &p, buf, 0);
	for (size_t k = 0; k < sizeof buf; k++)
		assert_int_equal(buf[k], 'Z');

	const char *e = "zhang.san@example.cn";
	assert_true(zg_pii_find(e, 0, &p));
	memset(buf, 'Z', sizeof buf);
	zg_pii_mask_one(e, &p, buf, 6);
	assert_string_equal(buf, "z***@");
	assert_int_equal(buf[6], 'Z');
}

static void test_kind_names(void **state)
{
	(void)state;
	const char *m = zg_pii_kind_name(ZG_PII_MOBILE);
	const char *i = zg_pii_kind_name(ZG_PII_ID_CARD);
	const char *e = zg_pii_kind_name(ZG_PII_EMAIL);
	assert_non_null(m);
	assert_non_null(i);
	assert_non_null(e);
	assert_string_not_equal(m, i);
	assert_string_not_equal(i, e);
	assert_string_not_equal(m, e);
}

/* ---- full-width digits and signs, and the edges of each pattern ---- */

static void test_full_width_mobiles(void **state)
{
	(void)state;
	/* １３８… typed on a full-width keyboard: 3 bytes a digit. */
	const char *s = "电话：１３８１２３４５６７８。";
	size_t at = strlen("电话：");
	expect_found(s, 0, ZG_PII_MOBILE, at, 33);
	expect_masked(s, "电话：138****5678。");
	/* Full-width separators too, and a full-width plus before 86. */
	const char *g = "＋８６ １３８－１２３４－５６７８";
	expect_found(g, 0, ZG_PII_MOBILE, strlen("＋８６ "), 39);
	expect_masked(g, "＋８６ 138****5678");
	/* Other full-width letters (ａ is EF BD 81) stay as they are. */
	expect_found("ａ１３９１２３４５６７８ｂ", 0, ZG_PII_MOBILE, 3, 33);
	/* From a byte offset past the first datum: the next one. */
	const char *two = "１３８１２３４５６７８，13912345678";
	size_t second = strlen("１３８１２３４５６７８，");
	expect_found(two, 1, ZG_PII_MOBILE, second, 11);
	expect_found(two, second, ZG_PII_MOBILE, second, 11);
	struct zg_pii p;
	assert_false(zg_pii_find(two, strlen(two), &p));
	/* Full-width punctuation alone is no datum. */
	expect_none("（一）、（二）：＋－");
}

static void test_mobile_edges(void **state)
{
	(void)state;
	/* 0086 and 86 are country codes, not part of a longer number. */
	expect_found("008613812345678", 0, ZG_PII_MOBILE, 4, 11);
	expect_found("8613812345678", 0, ZG_PII_MOBILE, 2, 11);
	expect_none("0013812345678");
	/* A 1 followed by a letter. */
	expect_none("编号1a2b3c4d5e6f");
	/* Two kinds of separator in one number. */
	expect_none("138-1234 5678");
	expect_none("138 1234-5678");
	/* Amounts. */
	expect_none("投资13812345678元");
	expect_none("13812345678万");
	expect_none("13812345678亿");
	expect_found("13812345678人", 0, ZG_PII_MOBILE, 0, 11);
}

static void test_id_card_edges(void **state)
{
	(void)state;
	char id[19], s[64];
	make_id("45010219850315123", id);
	/* Glued to an X or an x on either side: part of something else. */
	snprintf(s, sizeof s, "X%s", id);
	expect_none(s);
	snprintf(s, sizeof s, "x%s", id);
	expect_none(s);
	snprintf(s, sizeof s, "%sx", id);
	expect_none(s);
	snprintf(s, sizeof s, "%sX", id);
	expect_none(s);
	snprintf(s, sizeof s, "身份证%s。", id);
	expect_found(s, 0, ZG_PII_ID_CARD, strlen("身份证"), 18);
}

static void test_email_edges(void **state)
{
	(void)state;
	/* Every character a local part may have; capitals and digits in
	 * the domain and its top level. */
	expect_found("A.b_c%d+e-f9@Mail2.Example.CN", 0, ZG_PII_EMAIL, 0, 29);
	/* A trailing '-' or '.' is not part of the domain. */
	expect_found("写信a@b.cn-", 0, ZG_PII_EMAIL, 6, 6);
	expect_found("写信a@b.cn.", 0, ZG_PII_EMAIL, 6, 6);
	/* Not addresses: no dot, a dot right after '@', a top level with a
	 * digit or of one letter, nothing before '@'. */
	expect_none("a@localhost");
	expect_none("a@.cn");
	expect_none("a@b.c1");
	expect_none("a@b.c");
	expect_none("@b.cn");
	expect_none("张三@b.cn");
	expect_masked("A.b_c%d+e-f9@Mail2.Example.CN", "A***@Mail2.Example.CN");
}

static void test_mask_one_email_in_tiny_buffers(void **state)
{
	(void)state;
	const char *e = "zhang@x.cn";
	struct zg_pii p;
	assert_true(zg_pii_find(e, 0, &p));
	static const char *const want[] = { "", "z", "z*", "z**", "z***",
					    "z***@" };
	for (size_t size = 1; size <= 6; size++) {
		char buf[16];
		memset(buf, 'Z', sizeof buf);
		zg_pii_mask_one(e, &p, buf, size);
		assert_string_equal(buf, want[size - 1]);
		for (size_t k = size; k < sizeof buf; k++)
			assert_int_equal(buf[k], 'Z');
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_id_check_known_numbers),
		cmocka_unit_test(test_mobiles_found),
		cmocka_unit_test(test_mobiles_not_found),
		cmocka_unit_test(test_id_cards_found),
		cmocka_unit_test(test_id_cards_not_found),
		cmocka_unit_test(test_emails),
		cmocka_unit_test(test_from_skips_earlier_data),
		cmocka_unit_test(test_mask_each_kind),
		cmocka_unit_test(test_mask_separated_mobile),
		cmocka_unit_test(test_mask_several),
		cmocka_unit_test(test_mask_leaves_other_text),
		cmocka_unit_test(test_mask_never_keeps_the_middle),
		cmocka_unit_test(test_mask_long_email),
		cmocka_unit_test(test_mask_one_truncates_safely),
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_full_width_mobiles),
		cmocka_unit_test(test_mobile_edges),
		cmocka_unit_test(test_id_card_edges),
		cmocka_unit_test(test_email_edges),
		cmocka_unit_test(test_mask_one_email_in_tiny_buffers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
