/*
 * date.c - strict date parsing and day arithmetic.
 *
 * The serial conversion is Howard Hinnant's days_from_civil, exact over
 * the whole int range we accept (years 1000..9999).
 */
#include "zg/date.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool zg_date_valid(struct zg_date d)
{
	return d.year >= 1000 && d.year <= 9999 && d.month >= 1 &&
	       d.month <= 12 && d.day >= 1 &&
	       d.day <= days_in_month(d.year, d.month);
}

static int digits(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool zg_date_parse(const char *s, size_t len, struct zg_date *out)
{
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return false;
	struct zg_date d = {
		.year = digits(s, 4),
		.month = digits(s + 5, 2),
		.day = digits(s + 8, 2),
	};
	if (d.year < 0 || d.month < 0 || d.day < 0 || !zg_date_valid(d))
		return false;
	*out = d;
	return true;
}

bool zg_date_parse_arg(const char *s, struct zg_date *out)
{
	if (strcmp(s, "today") == 0) {
		*out = zg_date_today();
		return true;
	}
	return zg_date_parse(s, strlen(s), out);
}

long zg_date_serial(struct zg_date d)
{
	long y = d.year - (d.month <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long mp = (d.month + 9) % 12;
	long doy = (153 * mp + 2) / 5 + d.day - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

struct zg_date zg_date_from_serial(long z)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	struct zg_date d;
	d.day = (int)(doy - (153 * mp + 2) / 5 + 1);
	d.month = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.year = (int)(yoe + era * 400 + (d.month <= 2));
	return d;
}

int zg_date_cmp(struct zg_date a, struct zg_date b)
{
	long x = a.year * 10000L + a.month * 100 + a.day;
	long y = b.year * 10000L + b.month * 100 + b.day;
	return (x > y) - (x < y);
}

long zg_date_diff(struct zg_date a, struct zg_date b)
{
	return zg_date_serial(b) - zg_date_serial(a);
}

struct zg_date zg_date_add_days(struct zg_date d, long days)
{
	return zg_date_from_serial(zg_date_serial(d) + days);
}

struct zg_date zg_date_today(void)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	return (struct zg_date){ tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday };
}

/* YYYY-MM-DD by hand: the rules format dates for most of their findings. */
void zg_date_format(struct zg_date d, char buf[static 11])
{
	unsigned y = (unsigned)d.year % 10000u, m = (unsigned)d.month % 100u,
		 day = (unsigned)d.day % 100u;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + day / 10);
	buf[9] = (char)('0' + day % 10);
	buf[10] = '\0';
}
