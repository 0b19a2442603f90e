/*
 * text.h - UTF-8 facts the loader and the messages need.
 */
#ifndef ZG_TEXT_H
#define ZG_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Returns true when buf[0..len) is well-formed UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF).  Otherwise *bad is the byte offset
 * of the first byte of the first bad sequence.
 */
bool zg_utf8_valid(const char *buf, size_t len, size_t *bad);

/* Number of characters (code points) in well-formed UTF-8. */
size_t zg_utf8_length(const char *s, size_t len);

/*
 * Line and column (1-based, column in characters as editors count them) of
 * a byte offset.  A leading UTF-8 BOM is not counted, as libyaml does not.
 */
void zg_text_position(const char *buf, size_t len, size_t offset,
		      unsigned *line, unsigned *column);

/*
 * Optimal-string-alignment edit distance between two UTF-8 strings,
 * counted in characters: a swap of neighbours ("stauts") costs one.
 */
size_t zg_edit_distance(const char *a, const char *b);

/*
 * The candidate nearest to word, or NULL when none is near enough to be a
 * plausible typo (distance at most a third of the word, and at least 1).
 */
const char *zg_nearest(const char *word, const char *const *candidates,
		       size_t n);

/*
 * Copies s into buf (size bytes) for quoting in a one-line message: at
 * most ZG_EXCERPT_CHARS characters then "…", line breaks and tabs as \n
 * and \t, other control characters as '?'.  Returns buf.
 */
enum { ZG_EXCERPT_CHARS = 40, ZG_EXCERPT_SIZE = 4 * ZG_EXCERPT_CHARS + 8 };
const char *zg_text_excerpt(const char *s, char *buf, size_t size);

#endif
