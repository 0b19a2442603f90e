/*
 * test_date.c - strict YYYY-MM-DD parsing, serial numbers and day
 * arithmetic, checked against an independent day-by-day walk and timegm.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "zg/date.h"

static struct zg_date D(int y, int m, int d)
{
	return (struct zg_date){ y, m, d };
}

static void assert_date(struct zg_date got, int y, int m, int d)
{
	if (got.year != y || got.month != m || got.day != d)
		fail_msg("got %04d-%02d-%02d, want %04d-%02d-%02d", got.year,
			 got.month, got.day, y, m, d);
}

/* The test's own calendar, written from the Gregorian rules. */
static int month_days(int y, int m)
{
	static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : n[m - 1];
}

static struct zg_date next_day(struct zg_date d)
{
	if (++d.day > month_days(d.year, d.month)) {
		d.day = 1;
		if (++d.month > 12) {
			d.month = 1;
			d.year++;
		}
	}
	return d;
}

static long timegm_days(struct zg_date d)
{
	struct tm tm = { 0 };
	tm.tm_year = d.year - 1900;
	tm.tm_mon = d.month - 1;
	tm.tm_mday = d.day;
	tm.tm_hour = 12;
	time_t t = timegm(&tm);
	return (long)((t - 12 * 3600) / 86400);
}

static bool parse(const char *s, struct zg_date *d)
{
	return zg_date_parse(s, strlen(s), d);
}

static void test_parse_accepts(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int y, m, d;
	} ok[] = {
		{ "2018-07-06", 2018, 7, 6 },
		{ "2020-02-29", 2020, 2, 29 },
		{ "2000-02-29", 2000, 2, 29 },
		{ "2018-11-30", 2018, 11, 30 },
		{ "2018-12-31", 2018, 12, 31 },
		{ "2018-01-01", 2018, 1, 1 },
		{ "1000-01-01", 1000, 1, 1 },
		{ "9999-12-31", 9999, 12, 31 },
	};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		struct zg_date d = { 0, 0, 0 };
		if (!parse(ok[i].s, &d))
			fail_msg("'%s' was refused", ok[i].s);
		assert_date(d, ok[i].y, ok[i].m, ok[i].d);
		assert_true(zg_date_valid(d));
	}
	/* Exactly len bytes are read: a longer buffer is fine. */
	struct zg_date d;
	assert_true(zg_date_parse("2018-07-06x", 10, &d));
	assert_date(d, 2018, 7, 6);
	assert_true(zg_date_parse("2018-07-06\n", 10, &d));
}

static void test_parse_rejects(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"2018-02-29",	/* not a leap year */
		"1900-02-29",	/* century, not a leap year */
		"2100-02-29",
		"2018-09-31", "2018-04-31", "2018-06-31", "2018-11-31",
		"2018-01-32", "2018-02-30",
		"2018-13-01", "2018-00-10", "2018-07-00",
		"2018-7-6", "2018-07-6", "2018-7-06", "18-07-06",
		" 2018-07-06", "2018-07-06 ", "2018-07-06x", "x2018-07-06",
		"", "today", "abcd-ef-gh", "2018-ab-06", "2018-07-0a",
		"2018/07/06", "2018.07.06", "20180706", "2018-07--6",
		"+018-07-06", "-018-07-06", "2018-+7-06", "2018- 7-06",
		"0999-12-31", "0000-01-01", "2018-07-06T00:00",
		"２０１８-07-06",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct zg_date d = { 1, 2, 3 };
		if (parse(bad[i], &d))
			fail_msg("'%s' was accepted as %04d-%02d-%02d", bad[i],
				 d.year, d.month, d.day);
		/* A refused parse leaves the output alone. */
		assert_date(d, 1, 2, 3);
	}
	/* Embedded NUL within len is refused. */
	struct zg_date d;
	assert_false(zg_date_parse("2018-07-\0006", 10, &d));
	/* Too short a len for a good date. */
	assert_false(zg_date_parse("2018-07-06", 9, &d));
}

static void test_valid(void **state)
{
	(void)state;
	assert_true(zg_date_valid(D(2018, 7, 6)));
	assert_false(zg_date_valid(D(999, 12, 31)));
	assert_true(zg_date_valid(D(1000, 1, 1)));
	assert_true(zg_date_valid(D(9999, 12, 31)));
	assert_false(zg_date_valid(D(10000, 1, 1)));
	assert_false(zg_date_valid(D(2018, 0, 1)));
	assert_false(zg_date_valid(D(2018, 13, 1)));
	assert_false(zg_date_valid(D(2018, 1, 0)));
	assert_true(zg_date_valid(D(2018, 1, 31)));
	assert_false(zg_date_valid(D(2018, 1, 32)));
	assert_false(zg_date_valid(D(2018, 2, 29)));
	assert_true(zg_date_valid(D(2016, 2, 29)));
	assert_false(zg_date_valid(D(2016, 2, 30)));
	assert_false(zg_date_valid(D(1900, 2, 29)));
	assert_true(zg_date_valid(D(2000, 2, 29)));
	assert_false(zg_date_valid(D(2018, -1, 5)));
	assert_false(zg_date_valid(D(2018, 5, -5)));
	/* Every month's last day, and the day after it. */
	for (int m = 1; m <= 12; m++) {
		assert_true(zg_date_valid(D(2019, m, month_days(2019, m))));
		assert_false(zg_date_valid(D(2019, m, month_days(2019, m) + 1)));
	}
}

static void test_parse_arg(void **state)
{
	(void)state;
	struct zg_date before = zg_date_today();
	struct zg_date d = { 0, 0, 0 };
	assert_true(zg_date_parse_arg("today", &d));
	struct zg_date after = zg_date_today();
	/* Around midnight, today may change between the calls. */
	if (zg_date_cmp(d, before) != 0)
		assert_int_equal(zg_date_cmp(d, after), 0);
	assert_true(zg_date_valid(d));
	assert_true(d.year >= 2024);

	assert_true(zg_date_parse_arg("2018-11-20", &d));
	assert_date(d, 2018, 11, 20);
	d = D(1, 2, 3);
	assert_false(zg_date_parse_arg("today ", &d));
	assert_false(zg_date_parse_arg(" today", &d));
	assert_false(zg_date_parse_arg("tomorrow", &d));
	assert_false(zg_date_parse_arg("", &d));
	assert_false(zg_date_parse_arg("2018-02-29", &d));
	assert_date(d, 1, 2, 3);
}

static void test_today_is_local(void **state)
{
	(void)state;
	time_t now = time(NULL);
	struct zg_date t = zg_date_today();
	char want[16], got[11];
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(want, sizeof want, "%Y-%m-%d", &tm);
	zg_date_format(t, got);
	if (strcmp(want, got) != 0) {
		/* Midnight between the two calls: one more try. */
		now = time(NULL);
		localtime_r(&now, &tm);
		strftime(want, sizeof want, "%Y-%m-%d", &tm);
		t = zg_date_today();
		zg_date_format(t, got);
	}
	assert_string_equal(got, want);
}

static void test_serial_known(void **state)
{
	(void)state;
	assert_int_equal(zg_date_serial(D(1970, 1, 1)), 0);
	assert_int_equal(zg_date_serial(D(1970, 1, 2)), 1);
	assert_int_equal(zg_date_serial(D(1969, 12, 31)), -1);
	assert_int_equal(zg_date_serial(D(2018, 11, 20)), 17855);
	assert_int_equal(zg_date_serial(D(2000, 3, 1)), 11017);
	assert_date(zg_date_from_serial(0), 1970, 1, 1);
	assert_date(zg_date_from_serial(-1), 1969, 12, 31);
	assert_date(zg_date_from_serial(17855), 2018, 11, 20);
	/* The ends of the accepted range agree with timegm. */
	assert_int_equal(zg_date_serial(D(1000, 1, 1)),
			 timegm_days(D(1000, 1, 1)));
	assert_int_equal(zg_date_serial(D(9999, 12, 31)),
			 timegm_days(D(9999, 12, 31)));
	assert_date(zg_date_from_serial(zg_date_serial(D(1000, 1, 1))), 1000,
		    1, 1);
	assert_date(zg_date_from_serial(zg_date_serial(D(9999, 12, 31))),
		    9999, 12, 31);
}

static void test_serial_round_trip_every_day(void **state)
{
	(void)state;
	struct zg_date d = D(1999, 12, 25);
	const struct zg_date end = D(2101, 1, 5);
	long s = zg_date_serial(d);
	assert_int_equal(s, timegm_days(d));
	long days = 0;
	for (;;) {
		long got = zg_date_serial(d);
		if (got != s)
			fail_msg("serial of %04d-%02d-%02d is %ld, want %ld",
				 d.year, d.month, d.day, got, s);
		struct zg_date back = zg_date_from_serial(s);
		if (back.year != d.year || back.month != d.month ||
		    back.day != d.day)
			fail_msg("from_serial(%ld) is %04d-%02d-%02d, want %04d-%02d-%02d",
				 s, back.year, back.month, back.day, d.year,
				 d.month, d.day);
		if (days % 97 == 0)
			assert_int_equal(s, timegm_days(d));
		if (d.year == end.year && d.month == end.month &&
		    d.day == end.day)
			break;
		d = next_day(d);
		s++;
		days++;
	}
	/* 101 years and 12 days, 25 of them leap (2000 yes, 2100 no). */
	assert_int_equal(days, 101 * 365 + 25 + 11);
}

static void test_diff(void **state)
{
	(void)state;
	assert_int_equal(zg_date_diff(D(2018, 7, 6), D(2018, 11, 20)), 137);
	assert_int_equal(zg_date_diff(D(2018, 11, 20), D(2018, 7, 6)), -137);
	assert_int_equal(zg_date_diff(D(2018, 7, 6), D(2018, 7, 6)), 0);
	assert_int_equal(zg_date_diff(D(2018, 7, 6), D(2018, 7, 11)), 5);
	assert_int_equal(zg_date_diff(D(2018, 11, 20), D(2018, 11, 30)), 10);
	assert_int_equal(zg_date_diff(D(2019, 1, 1), D(2020, 1, 1)), 365);
	assert_int_equal(zg_date_diff(D(2020, 1, 1), D(2021, 1, 1)), 366);
	assert_int_equal(zg_date_diff(D(2020, 2, 28), D(2020, 3, 1)), 2);
	assert_int_equal(zg_date_diff(D(2019, 2, 28), D(2019, 3, 1)), 1);
}

static void test_cmp(void **state)
{
	(void)state;
	assert_int_equal(zg_date_cmp(D(2018, 7, 6), D(2018, 7, 6)), 0);
	assert_true(zg_date_cmp(D(2018, 7, 6), D(2018, 7, 7)) < 0);
	assert_true(zg_date_cmp(D(2018, 7, 7), D(2018, 7, 6)) > 0);
	assert_true(zg_date_cmp(D(2018, 6, 30), D(2018, 7, 1)) < 0);
	assert_true(zg_date_cmp(D(2018, 7, 1), D(2018, 6, 30)) > 0);
	/* The year decides before a larger month or day. */
	assert_true(zg_date_cmp(D(2018, 12, 31), D(2019, 1, 1)) < 0);
	assert_true(zg_date_cmp(D(2019, 1, 1), D(2018, 12, 31)) > 0);
	assert_true(zg_date_cmp(D(2018, 1, 31), D(2018, 2, 1)) < 0);
	/* cmp agrees with the sign of diff. */
	struct zg_date a = D(2018, 2, 27);
	for (int i = -400; i <= 400; i += 7) {
		struct zg_date b = zg_date_add_days(a, i);
		int c = zg_date_cmp(a, b);
		long d = zg_date_diff(a, b);
		assert_int_equal(c, (d < 0) - (d > 0));
	}
}

static void test_add_days(void **state)
{
	(void)state;
	assert_date(zg_date_add_days(D(2018, 7, 6), 0), 2018, 7, 6);
	assert_date(zg_date_add_days(D(2018, 7, 6), 137), 2018, 11, 20);
	assert_date(zg_date_add_days(D(2018, 11, 20), -137), 2018, 7, 6);
	assert_date(zg_date_add_days(D(2018, 1, 31), 1), 2018, 2, 1);
	assert_date(zg_date_add_days(D(2018, 4, 30), 1), 2018, 5, 1);
	assert_date(zg_date_add_days(D(2018, 12, 31), 1), 2019, 1, 1);
	assert_date(zg_date_add_days(D(2019, 1, 1), -1), 2018, 12, 31);
	assert_date(zg_date_add_days(D(2019, 2, 28), 1), 2019, 3, 1);
	assert_date(zg_date_add_days(D(2020, 2, 28), 1), 2020, 2, 29);
	assert_date(zg_date_add_days(D(2020, 2, 29), 1), 2020, 3, 1);
	assert_date(zg_date_add_days(D(2020, 3, 1), -1), 2020, 2, 29);
	assert_date(zg_date_add_days(D(2018, 3, 1), -1), 2018, 2, 28);
	assert_date(zg_date_add_days(D(2000, 2, 28), 1), 2000, 2, 29);
	assert_date(zg_date_add_days(D(2100, 2, 28), 1), 2100, 3, 1);
	assert_date(zg_date_add_days(D(2020, 2, 29), 365), 2021, 2, 28);
	assert_date(zg_date_add_days(D(2020, 2, 29), 366), 2021, 3, 1);
	assert_date(zg_date_add_days(D(2018, 11, 20), 10), 2018, 11, 30);
	assert_date(zg_date_add_days(D(1970, 1, 1), -365), 1969, 1, 1);
}

static void test_format(void **state)
{
	(void)state;
	char buf[12];
	memset(buf, 'X', sizeof buf);
	zg_date_format(D(2018, 7, 6), buf);
	assert_string_equal(buf, "2018-07-06");
	assert_int_equal(buf[11], 'X');	/* 11 bytes, no more */
	zg_date_format(D(2018, 11, 20), buf);
	assert_string_equal(buf, "2018-11-20");
	zg_date_format(D(1000, 1, 1), buf);
	assert_string_equal(buf, "1000-01-01");
	zg_date_format(D(9999, 12, 31), buf);
	assert_string_equal(buf, "9999-12-31");
	/* format and parse are inverse. */
	struct zg_date d = D(2000, 2, 29), back;
	zg_date_format(d, buf);
	assert_true(parse(buf, &back));
	assert_int_equal(zg_date_cmp(d, back), 0);
}

static void test_serial_before_year_zero(void **state)
{
	(void)state;
	/* The civil calendar runs on backwards, proleptically. */
	struct zg_date d = { 0, 3, 1 };
	assert_int_equal(zg_date_serial(d), -719468);
	struct zg_date early = { -1, 12, 31 };
	assert_int_equal(zg_date_serial(early), -719469 - 60);
	struct zg_date back = zg_date_from_serial(zg_date_serial(early));
	assert_int_equal(back.year, -1);
	assert_int_equal(back.month, 12);
	assert_int_equal(back.day, 31);
	back = zg_date_from_serial(-800000);
	assert_int_equal(zg_date_serial(back), -800000);
	assert_true(back.year < 0);
	/* Ten characters with the second dash out of place. */
	struct zg_date out;
	assert_false(zg_date_parse("2018-07/06", 10, &out));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_accepts),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_parse_arg),
		cmocka_unit_test(test_today_is_local),
		cmocka_unit_test(test_serial_known),
		cmocka_unit_test(test_serial_round_trip_every_day),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_cmp),
		cmocka_unit_test(test_add_days),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_serial_before_year_zero),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
