/*
 * tree.h - a YAML document as a tree of nodes that remember where they are.
 *
 * The one file that talks to libyaml.  Every node keeps the 1-based line
 * and column (in characters, as editors count them) where it starts, and
 * libyaml's character index of its start and end, from which the editor
 * finds the bytes to splice.  Nodes and strings live in the caller's arena.
 *
 * Refused at this level, with a place: bytes that are not UTF-8 (a GBK
 * export), UTF-16/32, NUL bytes, more than one document, anchors and
 * aliases, non-scalar keys, nesting deeper than ZG_TREE_MAX_DEPTH.
 * Duplicate keys are reported and flagged, not dropped.
 */
#ifndef ZG_TREE_H
#define ZG_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "zg/arena.h"
#include "zg/diag.h"

enum zg_node_kind {
	ZG_SCALAR,
	ZG_MAPPING,
	ZG_SEQUENCE,
};

enum zg_node_style {
	ZG_STYLE_PLAIN,
	ZG_STYLE_SINGLE_QUOTED,
	ZG_STYLE_DOUBLE_QUOTED,
	ZG_STYLE_LITERAL,
	ZG_STYLE_FOLDED,
	ZG_STYLE_BLOCK,		/* block mapping or sequence */
	ZG_STYLE_FLOW,		/* {…} or […] */
};

/*
 * A place in the file.  The index fits 32 bits: zg reads no file larger
 * than 256 MiB (ZG_MAX_FILE_SIZE), and counts characters, not bytes.
 */
struct zg_mark {
	uint32_t index;		/* libyaml's 0-based character index */
	unsigned line;		/* 1-based */
	unsigned column;	/* 1-based, characters */
};

struct zg_pair;

/* 64 bytes: a ledger has thousands of nodes, zg.yaml seven a unit. */
struct zg_node {
	struct zg_mark start, end;
	enum zg_node_kind kind : 8;
	enum zg_node_style style : 8;
	/* Scalars: the value, NUL-terminated; len counts bytes. */
	const char *text;
	size_t len;
	/* Mappings: n pairs; sequences: n items. */
	size_t n;
	union {
		struct zg_pair *pairs;		/* mappings */
		struct zg_node **items;		/* sequences */
	};
};

struct zg_pair {
	struct zg_node *key;
	struct zg_node *value;
	bool duplicate;		/* a later twin of an earlier key */
};

enum { ZG_TREE_MAX_DEPTH = 256 };

/* Rules this module reports. */
#define ZG_RULE_SYNTAX "syntax"
#define ZG_RULE_ENCODING "encoding"
#define ZG_RULE_DUPLICATE_KEY "duplicate-key"
#define ZG_RULE_TYPE "type"

/*
 * Parses buf[0..len) (the whole file) into *root.  Findings are appended
 * to diags under the display name file.  Returns 0 when a tree was built
 * (it may still carry duplicate-key or alias findings), -1 when the text
 * could not be parsed at all (*root is NULL; the reason is in diags), or
 * -2 on out of memory.  An empty document gives 0 and *root NULL.
 */
int zg_tree_parse(struct zg_arena *arena, const char *file, const char *buf,
		  size_t len, struct zg_node **root, struct zg_diags *diags);

/*
 * Asked, as each mapping or list that is an entry of a list under a key
 * of the root mapping ends, whether the caller takes it: 1 when it has
 * copied what it needs (the entry is then left out of the tree and its
 * memory given back to the arena), 0 to leave it in the tree, -1 on out
 * of memory (the parse returns -2).  key is the list's key, as built.
 */
typedef int (*zg_tree_take)(void *ctx, const struct zg_node *key,
			    const struct zg_node *entry);

/*
 * zg_tree_parse, offering such entries to take as they are read, so that
 * a long list costs the memory of one entry: zg.yaml's units.
 */
int zg_tree_parse_taking(struct zg_arena *arena, const char *file,
			 const char *buf, size_t len, struct zg_node **root,
			 struct zg_diags *diags, zg_tree_take take, void *ctx);

/* True for a plain scalar that YAML reads as null: "", "~", "null". */
bool zg_node_is_null(const struct zg_node *n);

/* True when n is a scalar whose text is s: a key, typically. */
static inline bool zg_node_is(const struct zg_node *n, const char *s)
{
	/* Inline, so that strlen of a literal folds and memcmp is a compare. */
	size_t len = strlen(s);
	return n && n->kind == ZG_SCALAR && n->len == len &&
	       memcmp(n->text, s, len) == 0;
}

/* The value of key in a mapping (first occurrence), or NULL. */
const struct zg_node *zg_node_get(const struct zg_node *map, const char *key);

/* The scalar's text, or NULL for anything else (and for null scalars). */
const char *zg_node_text(const struct zg_node *n);

#endif
