/*
 * text.c - UTF-8 validation, positions and "did you mean".
 */
#include "zg/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Length of the sequence led by c, or 0 for a byte that cannot lead. */
static size_t seq_length(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF)
		return 3;
	if (c >= 0xF0 && c <= 0xF4)
		return 4;
	return 0;
}

bool zg_utf8_valid(const char *buf, size_t len, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = 0;
	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		size_t n = seq_length(s[i]);
		if (n == 0 || len - i < n)
			goto fail;
		for (size_t k = 1; k < n; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				goto fail;
		/* Overlongs, surrogates and values past U+10FFFF. */
		if ((s[i] == 0xE0 && s[i + 1] < 0xA0) ||
		    (s[i] == 0xED && s[i + 1] > 0x9F) ||
		    (s[i] == 0xF0 && s[i + 1] < 0x90) ||
		    (s[i] == 0xF4 && s[i + 1] > 0x8F))
			goto fail;
		i += n;
	}
	return true;
fail:
	if (bad)
		*bad = i;
	return false;
}

size_t zg_utf8_length(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

void zg_text_position(const char *buf, size_t len, size_t offset,
		      unsigned *line, unsigned *column)
{
	size_t start = 0;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		start = 3;
	if (offset > len)
		offset = len;
	if (offset < start)	/* inside the BOM: the start of the text */
		offset = start;
	unsigned l = 1;
	size_t line_start = start;
	for (size_t i = start; i < offset; i++) {
		if (buf[i] == '\n') {
			l++;
			line_start = i + 1;
		}
	}
	*line = l;
	*column = (unsigned)zg_utf8_length(buf + line_start,
					   offset - line_start) + 1;
}

/* Decodes well-formed-or-not UTF-8 into code points (bad bytes as is). */
static size_t decode(const char *s, uint32_t *out, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;
	while (*p && n < max) {
		size_t k = seq_length(*p);
		uint32_t c = *p;
		if (k > 1) {
			size_t j;
			for (j = 1; j < k && (p[j] & 0xC0) == 0x80; j++)
				;
			if (j == k) {
				c = *p & (0x7F >> k);
				for (j = 1; j < k; j++)
					c = (c << 6) | (p[j] & 0x3F);
			} else {
				k = 1;
			}
		} else {
			k = 1;
		}
		out[n++] = c;
		p += k;
	}
	return n;
}

enum { EDIT_MAX = 64 };

size_t zg_edit_distance(const char *a, const char *b)
{
	uint32_t x[EDIT_MAX], y[EDIT_MAX];
	size_t m = decode(a, x, EDIT_MAX), n = decode(b, y, EDIT_MAX);
	size_t d[EDIT_MAX + 1][EDIT_MAX + 1];
	for (size_t i = 0; i <= m; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= n; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= m; i++) {
		for (size_t j = 1; j <= n; j++) {
			size_t cost = x[i - 1] != y[j - 1];
			size_t best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < best)
				best = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && x[i - 1] == y[j - 2] &&
			    x[i - 2] == y[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[m][n];
}

const char *zg_nearest(const char *word, const char *const *candidates,
		       size_t n)
{
	size_t len = zg_utf8_length(word, strlen(word));
	/* The distance sees EDIT_MAX characters: a longer word is no typo. */
	if (len > EDIT_MAX)
		return NULL;
	size_t limit = len / 3 > 1 ? len / 3 : 1;
	const char *best = NULL;
	size_t best_d = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		size_t dist = zg_edit_distance(word, candidates[i]);
		if (dist < best_d) {
			best_d = dist;
			best = candidates[i];
		}
	}
	return best_d <= limit ? best : NULL;
}

const char *zg_text_excerpt(const char *s, char *buf, size_t size)
{
	size_t n = 0, chars = 0;
	const unsigned char *p = (const unsigned char *)s;
	if (size == 0)
		return buf;
	/*
	 * Short and plain (a path, an id, a date): itself.  At most
	 * ZG_EXCERPT_CHARS bytes are at most that many characters, so the
	 * walk below would copy it whole too.
	 */
	size_t len = strnlen(s, ZG_EXCERPT_CHARS + 1);
	if (len <= ZG_EXCERPT_CHARS && len < size) {
		bool plain = true;
		for (size_t i = 0; i < len && plain; i++)
			plain = p[i] >= 0x20 && p[i] != 0x7F;
		if (plain) {
			memcpy(buf, s, len + 1);
			return buf;
		}
	}
	while (*p && chars < ZG_EXCERPT_CHARS) {
		char esc[3] = { 0 };
		size_t k = 1;
		if (*p == '\n' || *p == '\r' || *p == '\t') {
			esc[0] = '\\';
			esc[1] = *p == '\n' ? 'n' : *p == '\r' ? 'r' : 't';
			k = 2;
		} else if (*p < 0x20 || *p == 0x7F) {
			esc[0] = '?';
		} else {
			k = seq_length(*p);
			if (k == 0)
				k = 1;
			for (size_t j = 1; j < k; j++)
				if (!p[j]) {
					k = j;
					break;
				}
		}
		if (n + k + 1 > size)
			break;
		if (esc[0])
			memcpy(buf + n, esc, k);
		else
			memcpy(buf + n, p, k);
		n += k;
		p += esc[0] == '\\' || esc[0] == '?' ? 1 : k;
		chars++;
	}
	if (*p && n + 4 <= size) {
		memcpy(buf + n, "\xE2\x80\xA6", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}
