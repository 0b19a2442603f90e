/*
 * emit.c - a conservative scalar writer: plain when surely safe, else
 * double-quoted, whose escapes can represent any string.
 */
#include "zg/emit.h"

#include <stdio.h>
#include <string.h>

static bool looks_typed(const char *s)
{
	static const char *const words[] = {
		"~", "null", "Null", "NULL", "true", "True", "TRUE", "false",
		"False", "FALSE", "yes", "Yes", "YES", "no", "No", "NO", "on",
		"On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N",
	};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strcmp(s, words[i]) == 0)
			return true;
	/* Numbers, dates and times (0x1F, 1e5, 2018-07-06, 12:30), or signs. */
	if (s[0] >= '0' && s[0] <= '9' &&
	    strspn(s, "0123456789.-+:eExXoObB_") == strlen(s))
		return true;
	/* Hexadecimal with letters: 0x1F. */
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s[2] &&
	    strspn(s + 2, "0123456789abcdefABCDEF_") == strlen(s + 2))
		return true;
	return s[0] == '.' || s[0] == '+' || (s[0] == '-' && s[1] >= '0' && s[1] <= '9');
}

bool zg_emit_plain_key_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || s[0] == ' ' || s[n - 1] == ' ')
		return false;
	if (strchr("-?:,[]{}#&*!|>'\"%@`", s[0]))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7F || strchr(",[]{}", *p))
			return false;
		/* libyaml refuses ":?" inside [] or {}: quote it anywhere. */
		if (*p == ':' && (p[1] == ' ' || p[1] == '\0' || p[1] == '?'))
			return false;
		if (*p == '#' && p > (const unsigned char *)s && p[-1] == ' ')
			return false;
	}
	/* U+FEFF and the Unicode line separators confuse readers. */
	if (strstr(s, "\xEF\xBB\xBF") || strstr(s, "\xE2\x80\xA8") ||
	    strstr(s, "\xE2\x80\xA9") || strstr(s, "\xC2\x85"))
		return false;
	/* C1 controls, U+FFFE and U+FFFF: libyaml refuses them unescaped. */
	for (const char *c = strchr(s, '\xC2'); c; c = strchr(c + 1, '\xC2'))
		if ((unsigned char)c[1] >= 0x80 && (unsigned char)c[1] <= 0x9F)
			return false;
	if (strstr(s, "\xEF\xBF\xBE") || strstr(s, "\xEF\xBF\xBF"))
		return false;
	return true;
}

bool zg_emit_plain_ok(const char *s)
{
	return zg_emit_plain_key_ok(s) && !looks_typed(s);
}

size_t zg_emit_scalar(const char *s, char *buf, size_t size)
{
	if (zg_emit_plain_ok(s)) {
		size_t n = strlen(s);
		if (size)
			snprintf(buf, size, "%s", s);
		return n;
	}
	size_t n = 0;
#define PUT(c) do { if (n + 1 < size) buf[n] = (c); n++; } while (0)
	PUT('"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': PUT('\\'); PUT('"'); break;
		case '\\': PUT('\\'); PUT('\\'); break;
		case '\n': PUT('\\'); PUT('n'); break;
		case '\t': PUT('\\'); PUT('t'); break;
		case '\r': PUT('\\'); PUT('r'); break;
		default:
			if (*p < 0x20 || *p == 0x7F) {
				char esc[5];
				snprintf(esc, sizeof esc, "\\x%02X", *p);
				for (int i = 0; i < 4; i++)
					PUT(esc[i]);
			} else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
				/*
				 * C1 controls are not allowed raw, and a raw
				 * NEL (U+0085) is a line break that folds.
				 */
				char esc[5];
				snprintf(esc, sizeof esc, "\\x%02X", *++p);
				for (int i = 0; i < 4; i++)
					PUT(esc[i]);
			} else if (*p == 0xE2 && p[1] == 0x80 &&
				   (p[2] == 0xA8 || p[2] == 0xA9)) {
				/* Raw U+2028/U+2029 are line breaks too. */
				PUT('\\');
				PUT(p[2] == 0xA8 ? 'L' : 'P');
				p += 2;
			} else if (*p == 0xEF && p[1] == 0xBF &&
				   (p[2] == 0xBE || p[2] == 0xBF)) {
				/* Noncharacters libyaml refuses raw. */
				const char *esc = p[2] == 0xBE ? "\\uFFFE"
							       : "\\uFFFF";
				for (int i = 0; i < 6; i++)
					PUT(esc[i]);
				p += 2;
			} else {
				PUT((char)*p);
			}
		}
	}
	PUT('"');
#undef PUT
	if (size)
		buf[n < size ? n : size - 1] = '\0';
	return n;
}
