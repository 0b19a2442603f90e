/*
 * emit.h - writing YAML scalars that read back as exactly the same text.
 *
 * New text that zg writes into a ledger (a template value, a suggestion a
 * clerk typed) may contain ': ', '#', quotes, leading spaces or newlines.
 * A value is written plain only when it is plainly safe in both block and
 * flow context and cannot be mistaken for another type; anything else is
 * double-quoted with escapes.
 */
#ifndef ZG_EMIT_H
#define ZG_EMIT_H

#include <stdbool.h>
#include <stddef.h>

/* True when s can be written as a plain scalar anywhere. */
bool zg_emit_plain_ok(const char *s);

/*
 * True when s can be written plain as a key: as above, except that text
 * a reader could take for a number, date or boolean ("no", "2018") is
 * fine, as zg reads every key as text (and "no" is a field name).
 */
bool zg_emit_plain_key_ok(const char *s);

/*
 * Writes s as a scalar into buf (size bytes, NUL-terminated) and returns
 * the length it needs, like snprintf: a result >= size means truncated.
 */
size_t zg_emit_scalar(const char *s, char *buf, size_t size);

#endif
