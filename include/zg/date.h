/*
 * date.h - calendar dates as the ledgers write them (YYYY-MM-DD).
 *
 * Only real proleptic Gregorian dates are accepted: 2018-02-29 and
 * 2018-09-31 are errors, 2020-02-29 is fine.  Days are counted as a serial
 * number so that "days overdue" is a subtraction.
 */
#ifndef ZG_DATE_H
#define ZG_DATE_H

#include <stdbool.h>
#include <stddef.h>

struct zg_date {
	int year, month, day;
};

/* Parses exactly YYYY-MM-DD (len bytes, no surrounding text). */
bool zg_date_parse(const char *s, size_t len, struct zg_date *out);

/* Like zg_date_parse on a NUL-terminated string, and accepts "today". */
bool zg_date_parse_arg(const char *s, struct zg_date *out);

bool zg_date_valid(struct zg_date d);

/* Days since 1970-01-01 (negative before). */
long zg_date_serial(struct zg_date d);
struct zg_date zg_date_from_serial(long days);

/* <0, 0, >0 like strcmp. */
int zg_date_cmp(struct zg_date a, struct zg_date b);

/* b - a in days. */
long zg_date_diff(struct zg_date a, struct zg_date b);

struct zg_date zg_date_add_days(struct zg_date d, long days);

/* Today in the local time zone (the clerk's calendar, not UTC). */
struct zg_date zg_date_today(void);

/* Writes YYYY-MM-DD and a NUL into buf (11 bytes). */
void zg_date_format(struct zg_date d, char buf[static 11]);

#endif
