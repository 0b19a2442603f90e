/*
 * edit.h - changing a ledger without touching a byte it was not asked to.
 *
 * An edit is a list of splices into the original bytes, computed from the
 * positions the loader kept: replace one scalar, add a key to a mapping,
 * append an entry to a list (creating the key, or turning an empty `[]`
 * into a block list).  Comments, key order, quoting, blank lines, CRLF
 * line ends and a BOM elsewhere in the file stay exactly as they were.
 * New text follows the style around it: block entries at the indentation
 * of their siblings, flow entries inside flow collections, and scalars
 * quoted only where YAML needs it (emit.h).
 */
#ifndef ZG_EDIT_H
#define ZG_EDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "zg/arena.h"
#include "zg/tree.h"

/* A value to write: a scalar, or a mapping or list of values. */
enum zg_value_kind { ZG_VALUE_SCALAR, ZG_VALUE_MAP, ZG_VALUE_LIST };

struct zg_value {
	enum zg_value_kind kind;
	bool flow;		/* write as {…} or […] on one line */
	bool raw;		/* a date, number or name of ours: as is */
	const char *text;	/* scalars */
	const char **keys;	/* maps: keys[i] -> items[i] */
	struct zg_value **items;
	size_t n, cap;
};

/* Builders; all memory lives in the arena.  NULL on out of memory. */
struct zg_value *zg_value_scalar(struct zg_arena *a, const char *text);
/* A scalar known to read back as itself unquoted (a date, a number). */
struct zg_value *zg_value_raw(struct zg_arena *a, const char *text);
struct zg_value *zg_value_map(struct zg_arena *a, bool flow);
struct zg_value *zg_value_list(struct zg_arena *a, bool flow);

/*
 * Adds key: value to a map (or value to a list when key is NULL).
 * A NULL value or text is skipped, so optional fields need no test.
 * Returns 0, or -1 on out of memory.
 */
int zg_value_add(struct zg_arena *a, struct zg_value *to, const char *key,
		 struct zg_value *value);
int zg_value_add_text(struct zg_arena *a, struct zg_value *map,
		      const char *key, const char *text);

struct zg_splice {
	size_t start, end;	/* byte range replaced */
	const char *text;	/* new bytes */
	bool line;		/* new lines: start on a line of their own */
	long rank;		/* order among new lines at one place */
};

struct zg_editor {
	const char *buf;	/* the ledger as read */
	size_t len;
	size_t bom;		/* 3 with a UTF-8 BOM, else 0 */
	const char *eol;	/* the file's line end: LF, CRLF, CR, NEL, LS or PS */
	struct zg_arena *arena;
	struct zg_splice *v;
	size_t n, cap;
	bool oom;
	bool unsafe;		/* a place to write could not be found safely */
	/* libyaml counts characters: a cached walk maps them to bytes. */
	size_t cached_index, cached_byte;
};

void zg_editor_init(struct zg_editor *e, const char *buf, size_t len,
		    struct zg_arena *arena);
void zg_editor_release(struct zg_editor *e);

/*
 * False when the text uses a layout the splices are not made for: an
 * explicit key ('?'), a key that is a collection, or a block scalar with
 * an indentation indicator ("|2").  Ledgers typed by hand or made by
 * zg-init have none; zg-add refuses to edit one that has, rather than
 * risk a change that parses but lands in the wrong place.
 */
bool zg_edit_layout_known(struct zg_editor *e, const struct zg_node *root);

/* Replaces a scalar node's text with value (emitted with quoting as needed). */
int zg_edit_set_scalar(struct zg_editor *e, const struct zg_node *scalar,
		       const char *value);

/*
 * Sets map[key] = value: replaces the value when key holds a scalar,
 * adds the key at the end of the mapping when it is absent.  Returns 0,
 * or -1 (out of memory, or key holds a collection).
 */
int zg_edit_map_set(struct zg_editor *e, const struct zg_node *map,
		    const char *key, const struct zg_value *value);

/*
 * Appends value to the list map[key], creating the key when absent or
 * null, and turning an empty flow list into a block list.  Returns 0, or
 * -1 (out of memory, or map[key] is not a list).
 */
int zg_edit_list_append(struct zg_editor *e, const struct zg_node *map,
			const char *key, const struct zg_value *value);

/*
 * Appends text to the end of the file as it is (after a line end if the
 * file lacks a final one).
 */
int zg_edit_append_raw(struct zg_editor *e, const char *text);

/*
 * Applies the splices to a new buffer (malloc'd, NUL-terminated).
 * Returns 0, or -1 on out of memory, overlapping splices, or an edit
 * that found no safe place to write (unsafe).
 */
int zg_editor_apply(struct zg_editor *e, char **out, size_t *out_len);

/* Renders value as the file would hold it after "key:" (for tests). */
char *zg_value_render_flow(struct zg_arena *a, const struct zg_value *v);

#endif
