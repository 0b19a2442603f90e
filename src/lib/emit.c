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
	/* Numbers, dates and times: digits with . - : + e, or a leading sign. */
	if (strspn(s, "0123456789.-+:eExXoObB_") == strlen(s))
		return true;
	return s[0] == '.' || s[0] == '+' || (s[0] == '-' && s[1] >= '0' && s[1] <= '9');
}

bool zg_emit_plain_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || s[0] == ' ' || s[n - 1] == ' ')
		return false;
	if (strchr("-?:,[]{}#&*!|>'\"%@`", s[0]))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7F || strchr(",[]{}", *p))
			return false;
		if (*p == ':' && (p[1] == ' ' || p[1] == '\0'))
			return false;
		if (*p == '#' && p > (const unsigned char *)s && p[-1] == ' ')
			return false;
	}
	/* U+FEFF and the Unicode line separators confuse readers. */
	if (strstr(s, "\xEF\xBB\xBF") || strstr(s, "\xE2\x80\xA8") ||
	    strstr(s, "\xE2\x80\xA9") || strstr(s, "\xC2\x85"))
		return false;
	return !looks_typed(s);
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
