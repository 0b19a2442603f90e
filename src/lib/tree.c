/*
 * tree.c - libyaml's event stream folded into a tree of positioned nodes.
 *
 * The builder is iterative: open collections are frames on a stack and
 * their children wait on one shared scratch vector until the collection
 * ends, when they are copied into the arena in one piece.  Depth is capped
 * so that hostile nesting costs neither the C stack nor unbounded memory.
 * libyaml returns 1 for success; that convention stays in this file.
 */
#include "zg/tree.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "zg/i18n.h"
#include "zg/text.h"

_Static_assert(sizeof(struct zg_node) <= 64, "a node stays within 64 bytes");

struct frame {
	struct zg_node *node;
	size_t base;		/* where its children start in scratch */
	bool offered;		/* an entry the caller's take is asked about */
	struct zg_arena_mark mark;	/* the arena before its node */
};

struct builder {
	struct zg_arena *arena;
	const char *file;
	const char *buf;
	size_t len;
	struct zg_diags *diags;
	struct frame stack[ZG_TREE_MAX_DEPTH + 1];
	size_t depth;
	struct zg_node **scratch;
	size_t nscratch, cap;
	struct zg_node *root;
	zg_tree_take take;
	void *take_ctx;
	bool oom;
};

static struct zg_mark mark_of(yaml_mark_t m)
{
	return (struct zg_mark){
		.index = (uint32_t)m.index,
		.line = (unsigned)m.line + 1,
		.column = (unsigned)m.column + 1,
	};
}

static void report(struct builder *b, const char *rule, struct zg_mark at,
		   const char *fmt, const char *arg)
{
	zg_diag_add(b->diags, ZG_ERROR, rule, b->file, at.line, at.column,
		    NULL, fmt, arg);
}

static bool scratch_push(struct builder *b, struct zg_node *n)
{
	if (b->nscratch == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		struct zg_node **v = realloc(b->scratch, cap * sizeof *v);
		if (!v)
			return false;
		b->scratch = v;
		b->cap = cap;
	}
	b->scratch[b->nscratch++] = n;
	return true;
}

/* Hands a finished node to its parent, or makes it the root. */
static bool attach(struct builder *b, struct zg_node *n)
{
	if (b->depth == 0) {
		b->root = n;
		return true;
	}
	return scratch_push(b, n);
}

static struct zg_node *new_node(struct builder *b, enum zg_node_kind kind,
				enum zg_node_style style, yaml_mark_t start,
				yaml_mark_t end)
{
	struct zg_node *n = zg_arena_alloc(b->arena, sizeof *n);
	if (!n)
		return NULL;
	n->kind = kind;
	n->style = style;
	n->start = mark_of(start);
	n->end = mark_of(end);
	n->text = "";
	return n;
}

static enum zg_node_style scalar_style(yaml_scalar_style_t s)
{
	switch (s) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE: return ZG_STYLE_SINGLE_QUOTED;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return ZG_STYLE_DOUBLE_QUOTED;
	case YAML_LITERAL_SCALAR_STYLE: return ZG_STYLE_LITERAL;
	case YAML_FOLDED_SCALAR_STYLE: return ZG_STYLE_FOLDED;
	default: return ZG_STYLE_PLAIN;
	}
}

static void refuse_anchor(struct builder *b, const yaml_char_t *anchor,
			  yaml_mark_t at)
{
	char shown[ZG_EXCERPT_SIZE];
	if (anchor)
		report(b, ZG_RULE_TYPE, mark_of(at),
		       _("anchors ('&%s') are not allowed in a ledger; write each value out"),
		       zg_text_excerpt((const char *)anchor, shown, sizeof shown));
}

static int key_cmp(const void *pa, const void *pb)
{
	const struct zg_pair *a = *(struct zg_pair *const *)pa;
	const struct zg_pair *b = *(struct zg_pair *const *)pb;
	size_t n = a->key->len < b->key->len ? a->key->len : b->key->len;
	int c = memcmp(a->key->text, b->key->text, n);
	if (!c && a->key->len != b->key->len)
		c = a->key->len < b->key->len ? -1 : 1;
	if (c)
		return c;
	return (a > b) - (a < b);	/* earlier pair first */
}

static bool same_key(const struct zg_node *a, const struct zg_node *b)
{
	return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

static void flag_duplicate(struct builder *b, struct zg_pair *first,
			   struct zg_pair *twin)
{
	twin->duplicate = true;
	char shown[ZG_EXCERPT_SIZE];
	zg_diag_add(b->diags, ZG_ERROR, ZG_RULE_DUPLICATE_KEY, b->file,
		    twin->key->start.line, twin->key->start.column, NULL,
		    _("duplicate key '%s' (first at line %u); YAML keeps only one, so one value would be lost"),
		    zg_text_excerpt(twin->key->text, shown, sizeof shown),
		    first->key->start.line);
}

/*
 * libyaml passes both pairs of a repeated key; report every later twin.
 * Small mappings compare pairwise; large ones (contacts keyed by item id)
 * sort pointers so the cost stays n log n.
 */
static void find_duplicates(struct builder *b, struct zg_node *map)
{
	size_t n = map->n;
	if (n < 2)
		return;
	if (n <= 16) {
		for (size_t i = 1; i < n; i++) {
			struct zg_pair *p = &map->pairs[i];
			if (p->key->kind != ZG_SCALAR)
				continue;
			for (size_t j = 0; j < i; j++) {
				struct zg_pair *q = &map->pairs[j];
				if (q->key->kind == ZG_SCALAR && !q->duplicate &&
				    same_key(p->key, q->key)) {
					flag_duplicate(b, q, p);
					break;
				}
			}
		}
		return;
	}
	struct zg_pair **sorted = malloc(n * sizeof *sorted);
	if (!sorted) {
		b->oom = true;
		return;
	}
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (map->pairs[i].key->kind == ZG_SCALAR)
			sorted[m++] = &map->pairs[i];
	qsort(sorted, m, sizeof *sorted, key_cmp);
	for (size_t i = 1; i < m; i++) {
		size_t first = i - 1;
		while (i < m && same_key(sorted[i]->key, sorted[first]->key))
			flag_duplicate(b, sorted[first], sorted[i++]);
	}
	free(sorted);
}

/*
 * True when a collection starting now is an entry of a list that is the
 * value of a key of the root mapping: what zg_tree_parse_taking offers.
 */
static bool offers_entry(const struct builder *b)
{
	return b->take && b->depth == 2 &&
	       b->stack[0].node->kind == ZG_MAPPING &&
	       b->stack[1].node->kind == ZG_SEQUENCE &&
	       (b->stack[1].base - b->stack[0].base) % 2 == 1;
}

static bool open_collection(struct builder *b, struct zg_node *n,
			    bool offered, struct zg_arena_mark mark)
{
	if (b->depth == ZG_TREE_MAX_DEPTH) {
		zg_diag_add(b->diags, ZG_ERROR, ZG_RULE_SYNTAX, b->file,
			    n->start.line, n->start.column, NULL,
			    _("nesting deeper than %d levels; a ledger never needs this"),
			    ZG_TREE_MAX_DEPTH);
		return false;
	}
	b->stack[b->depth++] = (struct frame){ n, b->nscratch, offered, mark };
	return true;
}

static bool close_collection(struct builder *b, yaml_mark_t end)
{
	struct frame f = b->stack[--b->depth];
	struct zg_node *n = f.node;
	size_t count = b->nscratch - f.base;
	/* No child pushed yet: scratch may still be NULL (an empty first []). */
	struct zg_node **kids = count ? b->scratch + f.base : NULL;
	n->end = mark_of(end);
	if (n->kind == ZG_SEQUENCE) {
		n->n = count;
		n->items = zg_arena_alloc(b->arena, count * sizeof *n->items);
		if (!n->items)
			return false;
		if (count)
			memcpy(n->items, kids, count * sizeof *kids);
	} else {
		n->n = count / 2;
		n->pairs = zg_arena_alloc(b->arena, n->n * sizeof *n->pairs);
		if (!n->pairs)
			return false;
		for (size_t i = 0; i < n->n; i++) {
			n->pairs[i].key = kids[2 * i];
			n->pairs[i].value = kids[2 * i + 1];
		}
		find_duplicates(b, n);
	}
	b->nscratch = f.base;
	if (f.offered) {
		/* The list's key is the root mapping's child before the list. */
		const struct zg_node *key = b->scratch[b->stack[1].base - 1];
		int taken = b->take(b->take_ctx, key, n);
		if (taken < 0)
			return false;
		if (taken) {
			zg_arena_rewind(b->arena, f.mark);
			return true;
		}
	}
	return attach(b, n);
}

/* The key position of a mapping frame expects a scalar. */
static void check_key_position(struct builder *b, struct zg_node *n)
{
	if (b->depth == 0)
		return;
	struct frame *f = &b->stack[b->depth - 1];
	if (f->node->kind == ZG_MAPPING && (b->nscratch - f->base) % 2 == 0 &&
	    n->kind != ZG_SCALAR)
		report(b, ZG_RULE_TYPE, n->start,
		       _("a key must be a plain value, not a %s"),
		       n->kind == ZG_MAPPING ? _("mapping") : _("sequence"));
}

static size_t line_start_offset(const char *buf, size_t len, unsigned line)
{
	size_t off = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	for (unsigned l = 1; l < line && off < len; off++)
		if (buf[off] == '\n')
			l++;
	return off;
}

static bool report_not_utf8(struct builder *b);

static void report_parse_error(struct builder *b, const yaml_parser_t *p)
{
	if (p->error == YAML_MEMORY_ERROR) {
		b->oom = true;
		return;
	}
	if (p->error == YAML_READER_ERROR && report_not_utf8(b))
		return;
	struct zg_mark at;
	if (p->error == YAML_READER_ERROR) {
		zg_text_position(b->buf, b->len, p->problem_offset, &at.line,
				 &at.column);
	} else {
		at = mark_of(p->problem_mark);
	}
	const char *problem = p->problem ? p->problem : _("unknown error");
	size_t off = line_start_offset(b->buf, b->len, at.line);
	bool tab = false;
	for (size_t i = off; i < b->len && b->buf[i] != '\n'; i++) {
		if (b->buf[i] == '\t') {
			tab = true;
			break;
		}
		if (b->buf[i] != ' ')
			break;
	}
	if (tab) {
		report(b, ZG_RULE_SYNTAX, at,
		       _("cannot parse YAML: %s; this line is indented with a tab, and YAML allows only spaces"),
		       problem);
	} else if (p->context) {
		zg_diag_add(b->diags, ZG_ERROR, ZG_RULE_SYNTAX, b->file,
			    at.line, at.column, NULL,
			    _("cannot parse YAML: %s (%s that starts at line %u, column %u)"),
			    problem, p->context,
			    (unsigned)p->context_mark.line + 1,
			    (unsigned)p->context_mark.column + 1);
	} else {
		report(b, ZG_RULE_SYNTAX, at, _("cannot parse YAML: %s"),
		       problem);
	}
}

/* Refuses what libyaml would silently transcode or choke on. */
static bool check_encoding(struct builder *b)
{
	const unsigned char *u = (const unsigned char *)b->buf;
	size_t len = b->len;
	struct zg_mark first = { 0, 1, 1 };
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
			 (u[0] == 0xFE && u[1] == 0xFF))) {
		report(b, ZG_RULE_ENCODING, first,
		       _("the file is UTF-16 (it starts with a %s byte-order mark); ledgers are UTF-8: convert it with 'iconv -f UTF-16 -t UTF-8'"),
		       u[0] == 0xFF ? "FF FE" : "FE FF");
		return false;
	}
	const char *nul = memchr(b->buf, '\0', len);
	if (nul) {
		struct zg_mark at;
		zg_text_position(b->buf, len, (size_t)(nul - b->buf), &at.line,
				 &at.column);
		/* Text in UTF-16/32 without a byte-order mark is full of NULs. */
		size_t head = len < 64 ? len : 64, zeros = 0;
		for (size_t i = 0; i < head; i++)
			zeros += u[i] == 0;
		report(b, ZG_RULE_ENCODING, at, "%s",
		       zeros * 4 >= head
			       ? _("the file contains NUL bytes: it looks like UTF-16 or UTF-32 text, and ledgers are UTF-8; convert it with 'iconv -f UTF-16 -t UTF-8'")
			       : _("the file contains a NUL byte, which text never holds; remove it (a damaged copy, or binary data pasted in)"));
		return false;
	}
	return true;
}

/*
 * libyaml decodes UTF-8 itself and stops at the first bad sequence, so
 * the text is validated here only when libyaml's reader has failed: the
 * common, valid file is read once.  Returns true when it reported.
 */
static bool report_not_utf8(struct builder *b)
{
	size_t bad;
	if (zg_utf8_valid(b->buf, b->len, &bad))
		return false;
	struct zg_mark at;
	zg_text_position(b->buf, b->len, bad, &at.line, &at.column);
	char byte[8];
	snprintf(byte, sizeof byte, "0x%02X", (unsigned char)b->buf[bad]);
	report(b, ZG_RULE_ENCODING, at,
	       _("the file is not UTF-8 (byte %s cannot start a character here); a file saved as GBK/GB18030 converts with 'iconv -f GB18030 -t UTF-8'"),
	       byte);
	return true;
}

static int build(struct builder *b, yaml_parser_t *p)
{
	int documents = 0;
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(p, &ev)) {
			report_parse_error(b, p);
			return b->oom ? -2 : -1;
		}
		struct zg_node *n = NULL;
		bool ok = true, done = false;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++documents > 1) {
				report(b, ZG_RULE_SYNTAX, mark_of(ev.start_mark),
				       "%s",
				       _("a second YAML document starts here; a ledger is one document, so everything after this line is ignored"));
				done = true;
			}
			break;
		case YAML_ALIAS_EVENT: {
			char shown[ZG_EXCERPT_SIZE];
			report(b, ZG_RULE_TYPE, mark_of(ev.start_mark),
			       _("aliases ('*%s') are not allowed in a ledger; write the value out"),
			       zg_text_excerpt((const char *)ev.data.alias.anchor,
					       shown, sizeof shown));
			n = new_node(b, ZG_SCALAR, ZG_STYLE_PLAIN,
				     ev.start_mark, ev.end_mark);
			ok = n && attach(b, n);
			break;
		}
		case YAML_SCALAR_EVENT:
			refuse_anchor(b, ev.data.scalar.anchor, ev.start_mark);
			n = new_node(b, ZG_SCALAR,
				     scalar_style(ev.data.scalar.style),
				     ev.start_mark, ev.end_mark);
			if (n) {
				n->len = ev.data.scalar.length;
				n->text = zg_arena_strndup(
					b->arena,
					(const char *)ev.data.scalar.value,
					n->len);
			}
			ok = n && n->text && attach(b, n);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT: {
			bool seq = ev.type == YAML_SEQUENCE_START_EVENT;
			const yaml_char_t *anchor =
				seq ? ev.data.sequence_start.anchor
				    : ev.data.mapping_start.anchor;
			bool flow = seq ? ev.data.sequence_start.style ==
						  YAML_FLOW_SEQUENCE_STYLE
					: ev.data.mapping_start.style ==
						  YAML_FLOW_MAPPING_STYLE;
			refuse_anchor(b, anchor, ev.start_mark);
			bool offered = offers_entry(b);
			struct zg_arena_mark mark = zg_arena_mark(b->arena);
			n = new_node(b, seq ? ZG_SEQUENCE : ZG_MAPPING,
				     flow ? ZG_STYLE_FLOW : ZG_STYLE_BLOCK,
				     ev.start_mark, ev.end_mark);
			if (!n) {
				ok = false;
				break;
			}
			check_key_position(b, n);
			if (!open_collection(b, n, offered, mark)) {
				yaml_event_delete(&ev);
				return -1;
			}
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			ok = close_collection(b, ev.end_mark);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (!ok || b->oom)
			return -2;
		if (done)
			return 0;
	}
}

int zg_tree_parse(struct zg_arena *arena, const char *file, const char *buf,
		  size_t len, struct zg_node **root, struct zg_diags *diags)
{
	return zg_tree_parse_taking(arena, file, buf, len, root, diags, NULL,
				    NULL);
}

int zg_tree_parse_taking(struct zg_arena *arena, const char *file,
			 const char *buf, size_t len, struct zg_node **root,
			 struct zg_diags *diags, zg_tree_take take, void *ctx)
{
	struct builder *b = calloc(1, sizeof *b);
	if (!b)
		return -2;
	b->take = take;
	b->take_ctx = ctx;
	b->arena = arena;
	b->file = file;
	b->buf = buf;
	b->len = len;
	b->diags = diags;
	*root = NULL;

	int rc = -1;
	if (check_encoding(b)) {
		yaml_parser_t p;
		if (!yaml_parser_initialize(&p)) {
			rc = -2;
		} else {
			yaml_parser_set_input_string(
				&p, (const unsigned char *)buf, len);
			rc = build(b, &p);
			yaml_parser_delete(&p);
		}
	}
	if (rc == 0)
		*root = b->root;
	free(b->scratch);
	free(b);
	return rc;
}

bool zg_node_is_null(const struct zg_node *n)
{
	/* A plain scalar holds no NUL, so len is its strlen. */
	if (!n || n->kind != ZG_SCALAR || n->style != ZG_STYLE_PLAIN ||
	    (n->len != 0 && n->len != 1 && n->len != 4))
		return false;
	return n->len == 0 || strcmp(n->text, "~") == 0 ||
	       strcmp(n->text, "null") == 0 || strcmp(n->text, "Null") == 0 ||
	       strcmp(n->text, "NULL") == 0;
}

const struct zg_node *zg_node_get(const struct zg_node *map, const char *key)
{
	if (!map || map->kind != ZG_MAPPING)
		return NULL;
	size_t len = strlen(key);
	for (size_t i = 0; i < map->n; i++) {
		const struct zg_pair *p = &map->pairs[i];
		if (!p->duplicate && p->key->kind == ZG_SCALAR &&
		    p->key->len == len && memcmp(p->key->text, key, len) == 0)
			return p->value;
	}
	return NULL;
}

const char *zg_node_text(const struct zg_node *n)
{
	if (!n || n->kind != ZG_SCALAR || zg_node_is_null(n))
		return NULL;
	return n->text;
}
