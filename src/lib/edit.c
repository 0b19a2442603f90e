/*
 * edit.c - splices computed from libyaml's marks.
 *
 * Marks count characters from after the BOM; a cached forward walk turns
 * them into byte offsets.  Where a block collection ends is found through
 * its last leaf, because libyaml's end mark of a block collection lies
 * past trailing comments (often at the next key): the insertion point is
 * the end of the leaf's line, or, for a literal or folded scalar, the
 * line after it.
 */
#include "zg/edit.h"

#include <stdlib.h>
#include <string.h>

#include "zg/emit.h"

/* ---- values ---- */

static struct zg_value *value_new(struct zg_arena *a, enum zg_value_kind k,
				  bool flow)
{
	struct zg_value *v = zg_arena_alloc(a, sizeof *v);
	if (v) {
		v->kind = k;
		v->flow = flow;
	}
	return v;
}

struct zg_value *zg_value_scalar(struct zg_arena *a, const char *text)
{
	struct zg_value *v = value_new(a, ZG_VALUE_SCALAR, true);
	if (v && !(v->text = zg_arena_strdup(a, text)))
		return NULL;
	return v;
}

struct zg_value *zg_value_raw(struct zg_arena *a, const char *text)
{
	struct zg_value *v = zg_value_scalar(a, text);
	if (v)
		v->raw = true;
	return v;
}

struct zg_value *zg_value_map(struct zg_arena *a, bool flow)
{
	return value_new(a, ZG_VALUE_MAP, flow);
}

struct zg_value *zg_value_list(struct zg_arena *a, bool flow)
{
	return value_new(a, ZG_VALUE_LIST, flow);
}

int zg_value_add(struct zg_arena *a, struct zg_value *to, const char *key,
		 struct zg_value *value)
{
	if (!to)
		return -1;
	if (!value)
		return 0;
	if (to->n == to->cap) {
		size_t cap = to->cap ? to->cap * 2 : 8;
		const char **keys = zg_arena_alloc(a, cap * sizeof *keys);
		struct zg_value **items = zg_arena_alloc(a, cap * sizeof *items);
		if (!keys || !items)
			return -1;
		if (to->n) {
			memcpy(keys, to->keys, to->n * sizeof *keys);
			memcpy(items, to->items, to->n * sizeof *items);
		}
		to->keys = keys;
		to->items = items;
		to->cap = cap;
	}
	to->keys[to->n] = key;
	to->items[to->n++] = value;
	return 0;
}

int zg_value_add_text(struct zg_arena *a, struct zg_value *map,
		      const char *key, const char *text)
{
	if (!text)
		return 0;
	struct zg_value *v = zg_value_scalar(a, text);
	return v ? zg_value_add(a, map, key, v) : -1;
}

/* ---- rendering ---- */

struct out {
	char *s;
	size_t len, cap;
	bool oom;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->oom)
		return;
	if (o->len + n + 1 > o->cap) {
		size_t cap = (o->len + n + 1) * 2;
		char *p = realloc(o->s, cap);
		if (!p) {
			o->oom = true;
			return;
		}
		o->s = p;
		o->cap = cap;
	}
	memcpy(o->s + o->len, s, n);
	o->len += n;
	o->s[o->len] = '\0';
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void spaces(struct out *o, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put(o, " ", 1);
}

static void scalar(struct out *o, const char *text)
{
	size_t n = zg_emit_scalar(text, NULL, 0);
	char *buf = malloc(n + 1);
	if (!buf) {
		o->oom = true;
		return;
	}
	zg_emit_scalar(text, buf, n + 1);
	put(o, buf, n);
	free(buf);
}

/* A key: plain when it can be (field names), quoted otherwise (an id). */
static void key_text(struct out *o, const char *key)
{
	if (zg_emit_plain_key_ok(key))
		puts_(o, key);
	else
		scalar(o, key);
}

static void flow(struct out *o, const struct zg_value *v)
{
	switch (v->kind) {
	case ZG_VALUE_SCALAR:
		if (v->raw)
			puts_(o, v->text);
		else
			scalar(o, v->text);
		break;
	case ZG_VALUE_MAP:
		puts_(o, "{");
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				puts_(o, ", ");
			key_text(o, v->keys[i]);
			puts_(o, ": ");
			flow(o, v->items[i]);
		}
		puts_(o, "}");
		break;
	case ZG_VALUE_LIST:
		puts_(o, "[");
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				puts_(o, ", ");
			flow(o, v->items[i]);
		}
		puts_(o, "]");
		break;
	}
}

static bool inline_value(const struct zg_value *v)
{
	return v->kind == ZG_VALUE_SCALAR || v->flow || v->n == 0;
}

static void pair(struct out *o, const char *key, const struct zg_value *v,
		 size_t indent);
static void list_item(struct out *o, const struct zg_value *v, size_t dash);

/* The lines of a block value under a key written at indent. */
static void block_body(struct out *o, const struct zg_value *v, size_t indent)
{
	for (size_t i = 0; i < v->n; i++) {
		if (v->kind == ZG_VALUE_MAP)
			pair(o, v->keys[i], v->items[i], indent + 2);
		else
			list_item(o, v->items[i], indent + 2);
	}
}

/* What follows "key:" for a key written at indent. */
static void after_key(struct out *o, const struct zg_value *v, size_t indent)
{
	if (inline_value(v)) {
		puts_(o, " ");
		flow(o, v);
		puts_(o, "\n");
		return;
	}
	puts_(o, "\n");
	block_body(o, v, indent);
}

static void pair(struct out *o, const char *key, const struct zg_value *v,
		 size_t indent)
{
	spaces(o, indent);
	/* Keys are field names, or an item's id (contacts): any text. */
	key_text(o, key);
	puts_(o, ":");
	after_key(o, v, indent);
}

static void list_item(struct out *o, const struct zg_value *v, size_t dash)
{
	spaces(o, dash);
	if (inline_value(v)) {
		puts_(o, "- ");
		flow(o, v);
		puts_(o, "\n");
		return;
	}
	if (v->kind == ZG_VALUE_LIST) {
		puts_(o, "-\n");
		for (size_t i = 0; i < v->n; i++)
			list_item(o, v->items[i], dash + 2);
		return;
	}
	puts_(o, "- ");
	key_text(o, v->keys[0]);
	puts_(o, ":");
	after_key(o, v->items[0], dash + 2);
	for (size_t i = 1; i < v->n; i++)
		pair(o, v->keys[i], v->items[i], dash + 2);
}

char *zg_value_render_flow(struct zg_arena *a, const struct zg_value *v)
{
	struct out o = { 0 };
	flow(&o, v);
	char *s = o.oom ? NULL : zg_arena_strdup(a, o.s ? o.s : "");
	free(o.s);
	return s;
}

/* ---- the editor ---- */

/* True when a line break (any of YAML's) starts at byte b. */
static bool is_break(const struct zg_editor *e, size_t b)
{
	const unsigned char *u = (const unsigned char *)e->buf + b;
	if (b >= e->len)
		return false;
	if (u[0] == '\n' || u[0] == '\r')
		return true;
	if (e->len - b >= 2 && u[0] == 0xC2 && u[1] == 0x85)
		return true;
	return e->len - b >= 3 && u[0] == 0xE2 && u[1] == 0x80 &&
	       (u[2] == 0xA8 || u[2] == 0xA9);
}

void zg_editor_init(struct zg_editor *e, const char *buf, size_t len,
		    struct zg_arena *arena)
{
	memset(e, 0, sizeof *e);
	e->buf = buf;
	e->len = len;
	e->arena = arena;
	e->bom = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	/*
	 * The first line break says which the file uses: LF, CRLF, CR, or
	 * one of the breaks YAML 1.1 adds (NEL, LS, PS).
	 */
	e->eol = "\n";
	for (size_t b = 0; b < len; b++) {
		if (!is_break(e, b))
			continue;
		e->eol = buf[b] == '\n' ? "\n"
			 : buf[b] == '\r' ? (b + 1 < len && buf[b + 1] == '\n' ? "\r\n" : "\r")
			 : buf[b] == '\xC2' ? "\xC2\x85"
			 : buf[b + 2] == '\xA8' ? "\xE2\x80\xA8" : "\xE2\x80\xA9";
		break;
	}
	e->cached_byte = e->bom;
}

void zg_editor_release(struct zg_editor *e)
{
	free(e->v);
	e->v = NULL;
	e->n = e->cap = 0;
}

static size_t byte_at(struct zg_editor *e, size_t index)
{
	if (index < e->cached_index) {
		e->cached_index = 0;
		e->cached_byte = e->bom;
	}
	size_t i = e->cached_index, b = e->cached_byte;
	while (i < index && b < e->len) {
		unsigned char c = (unsigned char)e->buf[b];
		b += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		i++;
	}
	if (b > e->len)
		b = e->len;
	e->cached_index = i;
	e->cached_byte = b;
	return b;
}

/* Just past the line break at or after byte b (or the end of the file). */
static size_t line_end(const struct zg_editor *e, size_t b)
{
	/* YAML 1.1 also breaks lines at NEL, LS and PS, as libyaml does. */
	while (b < e->len && e->buf[b] != '\n' && e->buf[b] != '\r') {
		const unsigned char *u = (const unsigned char *)e->buf + b;
		if (e->len - b >= 2 && u[0] == 0xC2 && u[1] == 0x85)
			return b + 2;
		if (e->len - b >= 3 && u[0] == 0xE2 && u[1] == 0x80 &&
		    (u[2] == 0xA8 || u[2] == 0xA9))
			return b + 3;
		b++;
	}
	if (b < e->len && e->buf[b] == '\r') {
		b++;
		if (b < e->len && e->buf[b] == '\n')
			b++;
	} else if (b < e->len) {
		b++;
	}
	return b;
}

/*
 * libyaml allows no tab at the start of a line in block context, so a
 * line of blanks with a tab in it can only be a trailing line of a plain
 * scalar, which may end in blank lines indented as deep as its own
 * continuation lines could be.  New lines must not come between such a
 * scalar and such a line, nor may the scalar be replaced by anything but
 * a plain scalar.  Returns the end of the last blank line holding a tab
 * in the run of blank lines that starts at b, or b when there is none.
 */
static size_t past_tab_lines(const struct zg_editor *e, size_t b)
{
	size_t at = b;
	while (b < e->len) {
		size_t k = b;
		bool tab = false;
		while (k < e->len && (e->buf[k] == ' ' || e->buf[k] == '\t'))
			tab |= e->buf[k++] == '\t';
		if (k < e->len && !is_break(e, k))
			break;
		size_t end = line_end(e, k);
		if (tab)
			at = end;
		b = end;
	}
	return at;
}

/* True when the line ending at or after byte b is followed by such lines. */
static bool tab_lines_after(const struct zg_editor *e, size_t b)
{
	size_t end = line_end(e, b);
	return past_tab_lines(e, end) != end;
}

/*
 * The column (0-based, in characters) at which byte b stands on its
 * line: what new lines beside the thing at b are indented by.
 */
static size_t column_of(const struct zg_editor *e, size_t b)
{
	size_t col = 0;
	while (b > e->bom) {
		unsigned char c = (unsigned char)e->buf[b - 1];
		if (c == '\n' || c == '\r')
			break;
		if (c == 0x85 && b - 1 > e->bom &&
		    (unsigned char)e->buf[b - 2] == 0xC2)
			break;
		if ((c == 0xA8 || c == 0xA9) && b - 2 > e->bom &&
		    (unsigned char)e->buf[b - 2] == 0x80 &&
		    (unsigned char)e->buf[b - 3] == 0xE2)
			break;
		if ((c & 0xC0) != 0x80)
			col++;
		b--;
	}
	return col;
}

/* Past blanks, and past a comment up to its line break. */
static size_t skip_blanks(const struct zg_editor *e, size_t b)
{
	while (b < e->len && (e->buf[b] == ' ' || e->buf[b] == '\t'))
		b++;
	if (b < e->len && e->buf[b] == '#')
		while (b < e->len && !is_break(e, b))
			b++;
	return b;
}

/*
 * Past the line break at b, a BOM that starts the next line (libyaml
 * skips one there, counting it as a column), and blanks and a comment.
 */
static size_t next_line(const struct zg_editor *e, size_t b)
{
	b = line_end(e, b);
	if (e->len - b >= 3 && memcmp(e->buf + b, "\xEF\xBB\xBF", 3) == 0)
		b += 3;
	return skip_blanks(e, b);
}

/*
 * Past the property (a tag or an anchor) at b, no further than limit.  An
 * anchor's name is letters, digits, '-' and '_', as libyaml reads it, so
 * "&a:" ends before the ':'; a tag runs to a blank or a line break.
 */
static size_t property_end(const struct zg_editor *e, size_t b, size_t limit)
{
	bool anchor = e->buf[b] == '&';
	for (b++; b < limit && e->buf[b] != ' ' && e->buf[b] != '\t' &&
		  !is_break(e, b); b++) {
		unsigned char c = (unsigned char)e->buf[b];
		if (anchor && !(c == '-' || c == '_' || (c >= '0' && c <= '9') ||
				((c | 0x20) >= 'a' && (c | 0x20) <= 'z')))
			break;
	}
	return b;
}

/*
 * The column of a block collection's first token (its first key, '?' or
 * '-'), which new keys or entries must share.  libyaml's start mark is
 * there unless a tag or an anchor leads: the collection's own properties
 * end their line and the first token is on a later one; properties on
 * the first token's line are the first key's, and start the line's text.
 */
static size_t block_indent(struct zg_editor *e, const struct zg_node *n)
{
	size_t b = byte_at(e, n->start.index), first = b;
	while (b < e->len && (e->buf[b] == '!' || e->buf[b] == '&')) {
		b = property_end(e, b, e->len);
		/* "&a: …": the anchor of the first key, which is ':' … */
		if (b < e->len && e->buf[b] != ' ' && e->buf[b] != '\t' &&
		    !is_break(e, b))
			break;
		b = skip_blanks(e, b);
		if (b < e->len && !is_break(e, b))
			continue;	/* the first key's own property */
		while (b < e->len && is_break(e, b))
			b = next_line(e, b);
		first = b;
	}
	return column_of(e, first);
}

/*
 * Where node n's own text starts: past the tag and anchor that libyaml's
 * start mark includes, which an edit keeps.  For a node that is only
 * properties (an empty value with a tag or an anchor), its end.
 */
static size_t content_start(struct zg_editor *e, const struct zg_node *n)
{
	size_t end = byte_at(e, n->end.index);
	size_t b = byte_at(e, n->start.index);
	while (b < end && (e->buf[b] == '!' || e->buf[b] == '&')) {
		b = property_end(e, b, end);
		if (b >= end)
			return end;
		if (e->buf[b] != ' ' && e->buf[b] != '\t' && !is_break(e, b))
			break;	/* "&a:": the node's text starts at once */
		b = skip_blanks(e, b);
		while (b < end && is_break(e, b))
			b = next_line(e, b);
	}
	return b < end ? b : end;
}

/* A block scalar whose header gives its indentation: "|2", ">-1" … */
static bool indentation_indicator(struct zg_editor *e, const struct zg_node *n)
{
	if (n->style != ZG_STYLE_LITERAL && n->style != ZG_STYLE_FOLDED)
		return false;
	size_t b = content_start(e, n);
	if (b >= e->len || (e->buf[b] != '|' && e->buf[b] != '>'))
		return false;
	for (b++; b < e->len && (e->buf[b] == '+' || e->buf[b] == '-' ||
				 (e->buf[b] >= '0' && e->buf[b] <= '9')); b++)
		if (e->buf[b] != '+' && e->buf[b] != '-')
			return true;
	return false;
}

/* A key written after '?' (the explicit form), or not a scalar at all. */
static bool explicit_key(struct zg_editor *e, const struct zg_node *key)
{
	if (key->kind != ZG_SCALAR)
		return true;
	size_t b = byte_at(e, key->start.index);
	while (b > 0 && (e->buf[b - 1] == ' ' || e->buf[b - 1] == '\t' ||
			 e->buf[b - 1] == '\n' || e->buf[b - 1] == '\r'))
		b--;
	return b > 0 && e->buf[b - 1] == '?';
}

static bool layout_known(struct zg_editor *e, const struct zg_node *n,
			 int depth)
{
	if (!n || depth > ZG_TREE_MAX_DEPTH)
		return n == NULL;
	if (n->kind == ZG_SCALAR)
		return !indentation_indicator(e, n);
	for (size_t i = 0; i < n->n; i++) {
		if (n->kind == ZG_MAPPING) {
			if (explicit_key(e, n->pairs[i].key) ||
			    !layout_known(e, n->pairs[i].value, depth + 1))
				return false;
		} else if (!layout_known(e, n->items[i], depth + 1)) {
			return false;
		}
	}
	return true;
}

bool zg_edit_layout_known(struct zg_editor *e, const struct zg_node *root)
{
	return layout_known(e, root, 0);
}

/* True when s[0..n) ends in a line break (any of YAML's). */
static bool ends_in_break(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	if (n >= 1 && (u[n - 1] == '\n' || u[n - 1] == '\r'))
		return true;
	if (n >= 2 && u[n - 2] == 0xC2 && u[n - 1] == 0x85)
		return true;
	return n >= 3 && u[n - 3] == 0xE2 && u[n - 2] == 0x80 &&
	       (u[n - 1] == 0xA8 || u[n - 1] == 0xA9);
}

/*
 * True when the value indicator ':' follows the key (past blanks,
 * comments and line breaks, as after an explicit "? key"): a ':' before
 * a blank, a line break, the end or a flow indicator, or right after a
 * quoted or flow key.  (":x" is a plain scalar, the next key.)
 */
static bool colon_after(struct zg_editor *e, const struct zg_node *key)
{
	size_t end = byte_at(e, key->end.index);
	size_t b = skip_blanks(e, end);
	while (b < e->len && is_break(e, b))
		b = next_line(e, b);
	if (b >= e->len || e->buf[b] != ':')
		return false;
	if (b == end && end > 0 && e->buf[end - 1] &&
	    strchr("\"']}", e->buf[end - 1]))
		return true;
	return b + 1 >= e->len || e->buf[b + 1] == ' ' || e->buf[b + 1] == '\t' ||
	       is_break(e, b + 1) ||
	       (e->buf[b + 1] && strchr(",[]{}", e->buf[b + 1]));
}

/*
 * True when a key has no ':' and its value is empty, and libyaml gave the
 * value the mark of the next token ("? key" with no value): that mark
 * lies past the key's line, in whatever comes next, and must never be
 * edited at.  (An empty value after "? key" and ':' on the next line is
 * marked at that ':'; one that is a tag or an anchor on a later line is
 * text of its own: their marks are theirs.)
 */
static bool value_marked_later(struct zg_editor *e, const struct zg_pair *p)
{
	return p->value->kind == ZG_SCALAR && p->value->len == 0 &&
	       p->value->start.index == p->value->end.index &&
	       p->value->start.line > p->key->end.line && !colon_after(e, p->key);
}

/* Where a new line can start after node n (see the file's comment). */
static size_t after_node(struct zg_editor *e, const struct zg_node *n)
{
	const struct zg_node *leaf = n;
	while (leaf->kind != ZG_SCALAR && leaf->style == ZG_STYLE_BLOCK &&
	       leaf->n > 0) {
		if (leaf->kind == ZG_MAPPING) {
			const struct zg_pair *last = &leaf->pairs[leaf->n - 1];
			/* An unnamed key (a lone '?') has no place to write after. */
			if (last->key->kind == ZG_SCALAR && last->key->len == 0)
				e->unsafe = true;
			leaf = value_marked_later(e, last) ? last->key : last->value;
		} else {
			leaf = leaf->items[leaf->n - 1];
		}
	}
	size_t b = byte_at(e, leaf->end.index);
	if (!(leaf->kind == ZG_SCALAR && (leaf->style == ZG_STYLE_LITERAL ||
					  leaf->style == ZG_STYLE_FOLDED)))
		b = line_end(e, b);
	return past_tab_lines(e, b);
}

/* Records a splice; text uses "\n" and is converted to the file's ends. */
static int splice_ranked(struct zg_editor *e, size_t start, size_t end,
			 const char *text, bool new_line, long rank)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 8;
		struct zg_splice *v = realloc(e->v, cap * sizeof *v);
		if (!v) {
			e->oom = true;
			return -1;
		}
		e->v = v;
		e->cap = cap;
	}
	/* New text says "\n"; the file may say "\r\n", "\r" or NEL, LS, PS. */
	size_t eol = strlen(e->eol), extra = 0;
	for (const char *p = text; *p; p++)
		extra += *p == '\n' ? eol - 1 : 0;
	char *t = zg_arena_alloc(e->arena, strlen(text) + extra + 1);
	if (!t) {
		e->oom = true;
		return -1;
	}
	char *w = t;
	for (const char *p = text; *p; p++) {
		if (*p != '\n')
			*w++ = *p;
		else
			for (const char *q = e->eol; *q; q++)
				*w++ = *q;
	}
	*w = '\0';
	e->v[e->n++] = (struct zg_splice){ start, end, t, new_line, rank };
	return 0;
}

static int splice(struct zg_editor *e, size_t start, size_t end,
		  const char *text, bool new_line)
{
	return splice_ranked(e, start, end, text, new_line, 0);
}

/*
 * Lines inserted at one place by different edits go deepest first: keys
 * added to the last entry of a list come before a new entry of the list.
 */
static int insert_lines(struct zg_editor *e, size_t at, struct out *o,
			size_t indent)
{
	if (o->oom) {
		free(o->s);
		e->oom = true;
		return -1;
	}
	int rc = splice_ranked(e, at, at, o->s ? o->s : "", true, -(long)indent);
	free(o->s);
	return rc;
}

static int splice_out(struct zg_editor *e, size_t start, size_t end,
		      struct out *o, bool new_line)
{
	if (o->oom) {
		free(o->s);
		e->oom = true;
		return -1;
	}
	int rc = splice(e, start, end, o->s ? o->s : "", new_line);
	free(o->s);
	return rc;
}

/*
 * True when an earlier edit already inserts text at byte at: a second
 * entry of an empty flow collection then needs its ", ".
 */
static bool inserted_at(const struct zg_editor *e, size_t at)
{
	for (size_t i = 0; i < e->n; i++)
		if (e->v[i].start == at && e->v[i].end == at && !e->v[i].line)
			return true;
	return false;
}

static const struct zg_pair *find_pair(const struct zg_node *map,
				       const char *key)
{
	for (size_t i = 0; i < map->n; i++) {
		const struct zg_pair *p = &map->pairs[i];
		if (!p->duplicate && p->key->kind == ZG_SCALAR &&
		    p->key->len == strlen(key) && strcmp(p->key->text, key) == 0)
			return p;
	}
	return NULL;
}

/* True when value is written as a plain scalar. */
static bool plain_value(const struct zg_value *v)
{
	return v->kind == ZG_VALUE_SCALAR && (v->raw || zg_emit_plain_ok(v->text));
}

/*
 * Replacing plain scalar n by anything but a plain scalar would leave the
 * blank lines with tabs that may follow it (past_tab_lines) illegal:
 * such an edit is refused (the editor is marked unsafe).
 */
static bool keeps_tab_lines(struct zg_editor *e, const struct zg_node *n,
			    bool plain)
{
	if (plain || n->style != ZG_STYLE_PLAIN ||
	    !tab_lines_after(e, byte_at(e, n->end.index)))
		return true;
	e->unsafe = true;
	return false;
}

static int set_scalar(struct zg_editor *e, const struct zg_node *n,
		      const char *value, bool raw)
{
	if (n->kind != ZG_SCALAR)
		return -1;
	if (!keeps_tab_lines(e, n, raw || zg_emit_plain_ok(value)))
		return 0;
	struct out o = { 0 };
	size_t start = content_start(e, n);
	size_t end = byte_at(e, n->end.index);
	/* An empty value sits right after the colon: keep a space. */
	if (start == end)
		puts_(&o, " ");
	if (raw)
		puts_(&o, value);
	else
		scalar(&o, value);
	if (n->style == ZG_STYLE_LITERAL || n->style == ZG_STYLE_FOLDED) {
		/*
		 * A block scalar's end mark lies past its trailing blank
		 * lines; they are the file's, not the value's: keep them.
		 */
		size_t last = end;
		while (last > start && (e->buf[last - 1] == ' ' || e->buf[last - 1] == '\t' ||
					e->buf[last - 1] == '\n' || e->buf[last - 1] == '\r'))
			last--;
		end = line_end(e, last);
		puts_(&o, "\n");
	}
	return splice_out(e, start, end, &o, false);
}

int zg_edit_set_scalar(struct zg_editor *e, const struct zg_node *n,
		       const char *value)
{
	return set_scalar(e, n, value, false);
}

static size_t key_indent(const struct zg_pair *p)
{
	return p->key->start.column - 1;
}

static int map_add(struct zg_editor *e, const struct zg_node *map,
		   const char *key, const struct zg_value *value)
{
	struct out o = { 0 };
	if (map->style == ZG_STYLE_FLOW) {
		/*
		 * "[k: v]": a pair in a flow sequence is a mapping without
		 * braces, and ", k2: v2" after it would be a new entry of the
		 * sequence, not a key of the mapping.  No place to write.
		 */
		size_t open = content_start(e, map);
		if (open >= e->len || e->buf[open] != '{')
			return -1;
		size_t at;
		if (map->n == 0) {
			at = content_start(e, map) + 1;
			if (inserted_at(e, at))
				puts_(&o, ", ");
		} else {
			at = byte_at(e, map->pairs[map->n - 1].value->end.index);
			puts_(&o, ", ");
		}
		key_text(&o, key);
		puts_(&o, ": ");
		flow(&o, value);
		return splice_out(e, at, at, &o, false);
	}
	size_t at = after_node(e, map);
	size_t indent = block_indent(e, map);
	pair(&o, key, value, indent);
	return insert_lines(e, at, &o, indent);
}

int zg_edit_map_set(struct zg_editor *e, const struct zg_node *map,
		    const char *key, const struct zg_value *value)
{
	if (map->kind != ZG_MAPPING)
		return -1;
	/* A mapping with an unnamed key (a lone '?'): no safe indentation. */
	for (size_t i = 0; i < map->n; i++)
		if (map->pairs[i].key->kind == ZG_SCALAR && map->pairs[i].key->len == 0)
			return -1;
	const struct zg_pair *p = find_pair(map, key);
	if (!p)
		return map_add(e, map, key, value);
	/*
	 * A key without ':' or value ("? key", or "{key, …}" and "{key ,…}"
	 * whose empty value libyaml marks at the ','): no safe place to write.
	 */
	if (value_marked_later(e, p) ||
	    (p->value->kind == ZG_SCALAR && p->value->len == 0 &&
	     !colon_after(e, p->key)))
		return -1;
	if (map->style == ZG_STYLE_FLOW && p->value->kind == ZG_SCALAR &&
	    p->value->len == 0 &&
	    p->value->start.index == p->value->end.index) {
		/*
		 * "{k: }": libyaml marks the empty value at the '}' (or ','),
		 * where new keys go too; written right after the ':' instead,
		 * the value stays before them, its key's.  An empty value
		 * with a tag or an anchor ("{k: &a}") is marked at those,
		 * and is written after them, as any value is: before them,
		 * it would be text of the same plain scalar.
		 */
		size_t b = skip_blanks(e, byte_at(e, p->key->end.index));
		while (b < e->len && is_break(e, b))
			b = next_line(e, b);
		if (b < e->len && e->buf[b] == ':') {
			struct out o = { 0 };
			puts_(&o, " ");
			flow(&o, value);
			return splice_out(e, b + 1, b + 1, &o, false);
		}
	}
	if (p->value->kind == ZG_SCALAR && value->kind == ZG_VALUE_SCALAR)
		return set_scalar(e, p->value, value->text, value->raw);
	if (zg_node_is_null(p->value)) {
		/* "key:" or "key: ~" takes the whole new value. */
		if (!keeps_tab_lines(e, p->value, plain_value(value)))
			return 0;
		struct out o = { 0 };
		size_t start = content_start(e, p->value);
		size_t end = byte_at(e, p->value->end.index);
		if (map->style == ZG_STYLE_FLOW || inline_value(value)) {
			if (start == end)
				puts_(&o, " ");
			flow(&o, value);
			return splice_out(e, start, end, &o, false);
		}
		while (start > 0 && e->buf[start - 1] == ' ')
			start--;	/* "key: ~" becomes "key:", not "key: " */
		if (splice(e, start, end, "", false))
			return -1;
		size_t at = line_end(e, end);
		block_body(&o, value, key_indent(p));
		return insert_lines(e, at, &o, key_indent(p) + 2);
	}
	return -1;
}

int zg_edit_list_append(struct zg_editor *e, const struct zg_node *map,
			const char *key, const struct zg_value *value)
{
	if (map->kind != ZG_MAPPING)
		return -1;
	const struct zg_pair *p = find_pair(map, key);
	struct out o = { 0 };
	if (!p || zg_node_is_null(p->value)) {
		struct zg_value *items[1] = { (struct zg_value *)value };
		struct zg_value list = {
			.kind = ZG_VALUE_LIST,
			.flow = map->style == ZG_STYLE_FLOW,
			.items = items,
			.n = 1,
			.cap = 1,
		};
		return zg_edit_map_set(e, map, key, &list);
	}
	const struct zg_node *l = p->value;
	if (l->kind != ZG_SEQUENCE)
		return -1;
	if (l->style == ZG_STYLE_FLOW && l->n == 0 &&
	    map->style == ZG_STYLE_BLOCK && !inline_value(value)) {
		/* "items: []" becomes a block list under its key. */
		size_t start = content_start(e, l);
		size_t end = byte_at(e, l->end.index);
		while (start > 0 && e->buf[start - 1] == ' ')
			start--;
		if (splice(e, start, end, "", false))
			return -1;
		size_t at = line_end(e, end);
		list_item(&o, value, key_indent(p) + 2);
		return insert_lines(e, at, &o, key_indent(p) + 2);
	}
	if (l->style == ZG_STYLE_FLOW) {
		size_t at;
		if (l->n == 0) {
			at = content_start(e, l) + 1;
			if (inserted_at(e, at))
				puts_(&o, ", ");
		} else {
			at = byte_at(e, l->items[l->n - 1]->end.index);
			puts_(&o, ", ");
		}
		flow(&o, value);
		return splice_out(e, at, at, &o, false);
	}
	size_t at = after_node(e, l);
	size_t indent = block_indent(e, l);
	list_item(&o, value, indent);
	return insert_lines(e, at, &o, indent);
}

int zg_edit_append_raw(struct zg_editor *e, const char *text)
{
	return splice(e, e->len, e->len, text, true);
}

/*
 * By place; at one place, text on the line there (a value after "key:")
 * before new lines, and new lines deepest first.
 */
static int splice_cmp(const void *pa, const void *pb)
{
	const struct zg_splice *a = pa, *b = pb;
	if (a->start != b->start)
		return (a->start > b->start) - (a->start < b->start);
	if (a->line != b->line)
		return a->line ? 1 : -1;
	return (a->rank > b->rank) - (a->rank < b->rank);
}

int zg_editor_apply(struct zg_editor *e, char **out, size_t *out_len)
{
	*out = NULL;
	if (e->oom || e->unsafe)
		return -1;
	/* An insertion sort keeps splices at one place in their order. */
	for (size_t i = 1; i < e->n; i++)
		for (size_t j = i; j > 0 && splice_cmp(&e->v[j - 1], &e->v[j]) > 0; j--) {
			struct zg_splice t = e->v[j];
			e->v[j] = e->v[j - 1];
			e->v[j - 1] = t;
		}
	size_t total = e->len;
	for (size_t i = 0; i < e->n; i++) {
		if (i && e->v[i].start < e->v[i - 1].end)
			return -1;
		total += strlen(e->v[i].text) - (e->v[i].end - e->v[i].start);
		total += e->v[i].line ? strlen(e->eol) : 0;
	}
	char *buf = malloc(total + 1);
	if (!buf)
		return -1;
	size_t r = 0, w = 0;
	for (size_t i = 0; i < e->n; i++) {
		memcpy(buf + w, e->buf + r, e->v[i].start - r);
		w += e->v[i].start - r;
		/*
		 * New lines start on a line of their own: at the end of a
		 * file that lacks its last line break, once, before the first.
		 */
		if (e->v[i].line && w > e->bom && !ends_in_break(buf, w)) {
			memcpy(buf + w, e->eol, strlen(e->eol));
			w += strlen(e->eol);
		}
		size_t n = strlen(e->v[i].text);
		memcpy(buf + w, e->v[i].text, n);
		w += n;
		r = e->v[i].end;
	}
	memcpy(buf + w, e->buf + r, e->len - r);
	w += e->len - r;
	buf[w] = '\0';
	*out = buf;
	*out_len = w;
	return 0;
}
