/*
 * fuzz_utf8.h - an independent UTF-8 check for the fuzz targets, so that
 * a bug in text.c, which is under test, cannot hide one.
 */
#ifndef ZG_FUZZ_UTF8_H
#define ZG_FUZZ_UTF8_H

#include <stdbool.h>
#include <stdint.h>

static inline bool utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p, n;
		uint32_t v;
		if (c < 0x80) {
			p++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 1;
			v = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2;
			v = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3;
			v = c & 0x07;
		} else {
			return false;
		}
		for (unsigned k = 1; k <= n; k++) {
			if ((p[k] & 0xC0) != 0x80)
				return false;
			v = (v << 6) | (p[k] & 0x3F);
		}
		static const uint32_t min[4] = { 0, 0x80, 0x800, 0x10000 };
		if (v < min[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
			return false;
		p += n + 1;
	}
	return true;
}

#endif
