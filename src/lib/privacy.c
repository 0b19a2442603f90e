/*
 * privacy.c - mobile numbers, ID-card numbers and e-mail addresses.
 *
 * Plain scanning rather than regular expressions: the patterns are short,
 * and the check digit of an ID card is arithmetic a regex cannot do.
 */
#include "zg/privacy.h"

#include <stdlib.h>
#include <string.h>

#include "zg/i18n.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * A mainland mobile number: 1[3-9] and nine more digits, optionally
 * grouped 3-4-4 by '-' or ' ', not part of a longer run of digits.
 * Returns its length in bytes, or 0.
 */
/* True when the digits before i are a country code: 86, +86 or 0086. */
static bool country_code_before(const char *s, size_t i)
{
	size_t k = i;
	while (k > 0 && is_digit(s[k - 1]))
		k--;
	size_t n = i - k;
	return (n == 2 && strncmp(s + k, "86", 2) == 0) ||
	       (n == 4 && strncmp(s + k, "0086", 4) == 0);
}

static size_t mobile_at(const char *s, size_t i)
{
	if (i > 0 && is_digit(s[i - 1]) && !country_code_before(s, i))
		return 0;
	if (s[i] != '1' || s[i + 1] < '3' || s[i + 1] > '9')
		return 0;
	size_t p = i, digits = 0;
	char sep = 0;
	while (digits < 11) {
		if (is_digit(s[p])) {
			digits++;
			p++;
			continue;
		}
		/* One separator allowed after the 3rd and the 7th digit. */
		if ((digits == 3 || digits == 7) && (s[p] == '-' || s[p] == ' ') &&
		    (!sep || sep == s[p]) && is_digit(s[p + 1])) {
			sep = s[p++];
			continue;
		}
		return 0;
	}
	if (is_digit(s[p]))
		return 0;
	/* An amount is no telephone: 投资15000000000元. */
	if (strncmp(s + p, "元", 3) == 0 || strncmp(s + p, "万", 3) == 0 ||
	    strncmp(s + p, "亿", 3) == 0)
		return 0;
	return p - i;
}

/* An 18-character resident ID with a valid ISO 7064 MOD 11-2 check. */
static size_t id_card_at(const char *s, size_t i)
{
	static const int weight[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	static const char check[] = "10X98765432";
	if (i > 0 && (is_digit(s[i - 1]) || s[i - 1] == 'X' || s[i - 1] == 'x'))
		return 0;
	int sum = 0;
	for (size_t k = 0; k < 17; k++) {
		if (!is_digit(s[i + k]))
			return 0;
		sum += (s[i + k] - '0') * weight[k];
	}
	char last = s[i + 17];
	if (last == 'x')
		last = 'X';
	if (last != check[sum % 11])
		return 0;
	if (is_digit(s[i + 18]) || s[i + 18] == 'X' || s[i + 18] == 'x')
		return 0;
	return 18;
}

static bool email_local(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       is_digit(c) || strchr("._%+-", c);
}

static bool email_domain(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       is_digit(c) || c == '-' || c == '.';
}

/* local@domain.tld around the '@' at position at; sets *start. */
static size_t email_around(const char *s, size_t at, size_t from, size_t *start)
{
	size_t b = at;
	while (b > from && email_local(s[b - 1]))
		b--;
	if (b == at)
		return 0;
	size_t e = at + 1;
	while (email_domain(s[e]))
		e++;
	while (e > at + 1 && (s[e - 1] == '.' || s[e - 1] == '-'))
		e--;
	/* The domain needs a dot and a top level of two letters or more. */
	const char *dot = NULL;
	for (size_t k = at + 1; k < e; k++)
		if (s[k] == '.')
			dot = s + k;
	if (!dot || dot == s + at + 1)
		return 0;
	size_t tld = (size_t)(s + e - dot - 1);
	if (tld < 2)
		return 0;
	for (const char *t = dot + 1; t < s + e; t++)
		if (!((*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z')))
			return 0;
	*start = b;
	return e - b;
}

/*
 * People type numbers with a full-width keyboard too (１３８…): the
 * scanners read a copy with full-width digits and signs as ASCII, and
 * map[k] gives the original offset of byte k of the copy.
 */
static char *normalize(const char *s, size_t len, size_t **map)
{
	char *out = malloc(len + 1);
	*map = malloc((len + 1) * sizeof **map);
	if (!out || !*map) {
		free(out);
		free(*map);
		*map = NULL;
		return NULL;
	}
	size_t w = 0;
	for (size_t r = 0; r < len;) {
		const unsigned char *u = (const unsigned char *)s + r;
		(*map)[w] = r;
		if (len - r >= 3 && u[0] == 0xEF && u[1] == 0xBC &&
		    ((u[2] >= 0x90 && u[2] <= 0x99) || u[2] == 0x8B || u[2] == 0x8D)) {
			out[w++] = u[2] == 0x8B ? '+' : u[2] == 0x8D ? '-'
						       : (char)('0' + (u[2] - 0x90));
			r += 3;
		} else {
			out[w++] = s[r++];
		}
	}
	(*map)[w] = len;
	out[w] = '\0';
	return out;
}

/* The bytes at which a datum can start: an ASCII digit or an '@'. */
#define PII_STARTS "0123456789@"

/* A full-width digit, '+' or '-' at u (EF BC 90-99, 8B, 8D). */
static bool full_width_at(const unsigned char *u)
{
	return u[0] == 0xEF && u[1] == 0xBC &&
	       ((u[2] >= 0x90 && u[2] <= 0x99) || u[2] == 0x8B || u[2] == 0x8D);
}

static bool has_full_width(const char *s)
{
	for (const char *p = strchr(s, '\xEF'); p; p = strchr(p + 1, '\xEF'))
		if (full_width_at((const unsigned char *)p))
			return true;
	return false;
}

/* The datum starting at s[i] (a digit or '@'), if any. */
static bool pii_at(const char *s, size_t i, size_t from, struct zg_pii *out)
{
	size_t n;
	if (s[i] == '@') {
		size_t start;
		if ((n = email_around(s, i, from, &start))) {
			*out = (struct zg_pii){ ZG_PII_EMAIL, start, n };
			return true;
		}
		return false;
	}
	if ((n = id_card_at(s, i))) {
		*out = (struct zg_pii){ ZG_PII_ID_CARD, i, n };
		return true;
	}
	if ((n = mobile_at(s, i))) {
		*out = (struct zg_pii){ ZG_PII_MOBILE, i, n };
		return true;
	}
	return false;
}

/*
 * The datum at s[*i] (a digit or '@') or later in its run of digits.
 * Inside a run, only the digit after a country code (86, 0086) can start
 * one; *i is left on the run's last digit.
 */
static bool pii_in_run(const char *s, size_t *i, size_t from,
		       struct zg_pii *out)
{
	size_t at = *i;
	if (pii_at(s, at, from, out))
		return true;
	if (s[at] == '@')
		return false;
	size_t start = at, end = at + 1;
	while (start > 0 && is_digit(s[start - 1]))
		start--;
	while (is_digit(s[end]))
		end++;
	const char *c = s + start;
	size_t after = c[0] == '8' && c[1] == '6' ? start + 2
		       : c[0] == '0' && c[1] == '0' && c[2] == '8' && c[3] == '6'
			       ? start + 4
			       : 0;
	*i = end - 1;
	return after > at && after < end && pii_at(s, after, from, out);
}

/* The first datum at or after from, reading s as it is. */
static bool find_ascii(const char *s, size_t from, struct zg_pii *out)
{
	for (size_t i = from + strcspn(s + from, PII_STARTS); s[i];
	     i += 1 + strcspn(s + i + 1, PII_STARTS))
		if (pii_in_run(s, &i, from, out))
			return true;
	return false;
}

/* The same in a copy with full-width digits and signs folded to ASCII. */
static bool find_folded(const char *s, size_t from, struct zg_pii *out)
{
	if (!strstr(s + from, "\xEF\xBC"))
		return find_ascii(s, from, out);
	size_t len = strlen(s), *map;
	char *n = normalize(s, len, &map);
	if (!n)
		return find_ascii(s, from, out);
	size_t nfrom = 0;
	while (map[nfrom] < from && n[nfrom])
		nfrom++;
	bool found = find_ascii(n, nfrom, out);
	if (found) {
		size_t end = out->offset + out->len;
		out->offset = map[out->offset];
		out->len = map[end] - out->offset;
	}
	free(n);
	free(map);
	return found;
}

/*
 * Text without a full-width digit or sign reads the same folded or not.
 * So the common case is one pass over the bytes that stops only where a
 * datum can start, or at an EF lead byte to see whether it begins a
 * full-width digit; the folded copy is made only for text that has one.
 */
bool zg_pii_find(const char *s, size_t from, struct zg_pii *out)
{
	if (from > 0)
		return has_full_width(s) ? find_folded(s, from, out)
					 : find_ascii(s, from, out);
	for (size_t i = strcspn(s, PII_STARTS "\xEF"); s[i];
	     i += 1 + strcspn(s + i + 1, PII_STARTS "\xEF")) {
		if ((unsigned char)s[i] == 0xEF) {
			if (full_width_at((const unsigned char *)s + i))
				return find_folded(s, 0, out);
			continue;
		}
		size_t at = i;
		if (pii_in_run(s, &i, 0, out))
			return has_full_width(s + at) ? find_folded(s, 0, out)
						      : true;
	}
	return false;
}

const char *zg_pii_kind_name(enum zg_pii_kind kind)
{
	switch (kind) {
	case ZG_PII_MOBILE: return _("a mobile number");
	case ZG_PII_ID_CARD: return _("an ID-card number");
	default: return _("an e-mail address");
	}
}

void zg_pii_mask_one(const char *s, const struct zg_pii *p, char *buf,
		     size_t size)
{
	/* Mask the ASCII reading of the datum (full-width digits folded). */
	size_t *map;
	char *folded = normalize(s + p->offset, p->len, &map);
	struct zg_pii q = *p;
	if (folded) {
		free(map);
		q.offset = 0;
		q.len = strlen(folded);
		s = folded;
		p = &q;
	}
	const char *t = s + p->offset;
	size_t n = 0;
#define PUT(c) do { if (n + 1 < size) buf[n] = (c); n++; } while (0)
	if (p->kind == ZG_PII_EMAIL) {
		/* The first letter of the local part and the whole domain. */
		const char *at = memchr(t, '@', p->len);
		PUT(t[0]);
		PUT('*');
		PUT('*');
		PUT('*');
		for (const char *c = at; c < t + p->len; c++)
			PUT(*c);
	} else {
		/* Keep the first 3 (mobile) or 4 (ID) digits and the last 4. */
		size_t keep = p->kind == ZG_PII_MOBILE ? 3 : 4, seen = 0;
		size_t total = 0;
		for (size_t k = 0; k < p->len; k++)
			total += is_digit(t[k]) || t[k] == 'X' || t[k] == 'x';
		for (size_t k = 0; k < p->len; k++) {
			if (!(is_digit(t[k]) || t[k] == 'X' || t[k] == 'x'))
				continue;
			seen++;
			PUT(seen <= keep || seen > total - 4 ? t[k] : '*');
		}
	}
#undef PUT
	if (size)
		buf[n < size ? n : size - 1] = '\0';
	free(folded);
}

char *zg_pii_mask(const char *s)
{
	size_t len = strlen(s);
	/* Masking an e-mail adds at most three bytes to one of five or more. */
	char *out = malloc(2 * len + 1);
	if (!out)
		return NULL;
	size_t w = 0, from = 0;
	struct zg_pii p;
	while (zg_pii_find(s, from, &p)) {
		memcpy(out + w, s + from, p.offset - from);
		w += p.offset - from;
		/* Straight into out: an e-mail's domain is kept whole, and it
		 * can be longer than any fixed buffer. */
		zg_pii_mask_one(s, &p, out + w, 2 * len + 1 - w);
		w += strlen(out + w);
		from = p.offset + p.len;
	}
	memcpy(out + w, s + from, len - from);
	w += len - from;
	out[w] = '\0';
	return out;
}
