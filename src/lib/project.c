/*
 * project.c - locating, reading and cross-checking a project's files.
 */
#include "zg/project.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zg/i18n.h"
#include "zg/load.h"
#include "zg/text.h"

static void set_error(struct zg_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_error(struct zg_error *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
}

int zg_read_file(const char *path, char **buf, size_t *len)
{
	*buf = NULL;
	*len = 0;
	/* O_NONBLOCK: a named pipe in place of a file must not hang zg. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return errno;
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		return e;
	}
	if (S_ISDIR(st.st_mode) || !S_ISREG(st.st_mode)) {
		close(fd);
		return S_ISDIR(st.st_mode) ? EISDIR : ENODEV;
	}
	if ((uintmax_t)st.st_size > ZG_MAX_FILE_SIZE) {
		close(fd);
		return EFBIG;
	}
	/*
	 * st_size is a hint (a pipe or /proc says 0); read until EOF.  Two
	 * bytes over: the NUL, and room for the read that sees EOF, so that a
	 * file of the size fstat told is read without growing the buffer.
	 */
	size_t cap = (size_t)st.st_size + 2, n = 0;
	char *b = malloc(cap);
	if (!b) {
		close(fd);
		return ENOMEM;
	}
	for (;;) {
		if (n + 1 >= cap) {
			if (cap > ZG_MAX_FILE_SIZE) {
				free(b);
				close(fd);
				return EFBIG;
			}
			char *nb = realloc(b, cap * 2);
			if (!nb) {
				free(b);
				close(fd);
				return ENOMEM;
			}
			b = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, b + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(b);
			close(fd);
			return e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

int zg_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int zg_finish_file(int fd, unsigned mode)
{
	int e = 0;
	if (fchmod(fd, (mode_t)mode) != 0)
		e = errno;
	if (!e && fsync(fd) != 0)
		e = errno;
	if (close(fd) != 0 && !e)
		e = errno;
	return e;
}

static bool has_config(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;
	if (snprintf(path, sizeof path, "%s/zg.yaml", dir) >= (int)sizeof path)
		return false;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static char *trimmed_copy(const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, dir, n);
		s[n] = '\0';
	}
	return s;
}

int zg_project_locate(const char *dir, char **root, struct zg_error *err)
{
	*root = NULL;
	const char *given = dir;
	const char *how = "-C";
	if (!given || !*given) {
		given = getenv("ZG_DIR");
		how = "ZG_DIR";
	}
	if (given && *given) {
		if (!has_config(given)) {
			set_error(err,
				  _("'%s' (from %s) is not a zg project: it has no zg.yaml"),
				  given, how);
			return -1;
		}
		*root = trimmed_copy(given);
		return *root ? 0 : -1;
	}

	/* Walk up as git does, but stop at the file system's root. */
	char rel[PATH_MAX] = ".";
	struct stat here, up;
	for (int depth = 0; depth < 64; depth++) {
		if (has_config(rel)) {
			*root = trimmed_copy(rel);
			return *root ? 0 : -1;
		}
		char parent[PATH_MAX];
		int n = depth == 0 ? snprintf(parent, sizeof parent, "..")
				   : snprintf(parent, sizeof parent, "%s/..", rel);
		if (n < 0 || n >= (int)sizeof parent)
			break;
		if (stat(rel, &here) != 0 || stat(parent, &up) != 0)
			break;
		if (here.st_dev == up.st_dev && here.st_ino == up.st_ino)
			break;
		memcpy(rel, parent, (size_t)n + 1);
	}
	set_error(err, "%s",
		  _("not in a zg project (no zg.yaml here or in any parent folder); run zg-init, or give the project with -C DIR or ZG_DIR"));
	return -1;
}

static char *join(const char *root, const char *rel)
{
	bool here = strcmp(root, ".") == 0;
	size_t n = (here ? 0 : strlen(root) + 1) + strlen(rel) + 1;
	char *s = malloc(n);
	if (!s)
		return NULL;
	if (here)
		snprintf(s, n, "%s", rel);
	else
		snprintf(s, n, "%s/%s", root, rel);
	return s;
}

char *zg_project_path(const struct zg_project *p, const char *rel)
{
	return join(p->root, rel);
}

bool zg_unit_code_valid(const char *code)
{
	size_t n = strlen(code);
	if (n < 1 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = code[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			  (i > 0 && (c == '_' || c == '-'));
		if (!ok)
			return false;
	}
	return true;
}

/* FNV-1a, folded to 32 bits; tables index by its low bits. */
static uint32_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return (uint32_t)(h ^ (h >> 32));
}

/* The index of the first unit declared with code[0..len), or SIZE_MAX. */
static size_t unit_index(const struct zg_project *p, const char *code,
			 size_t len)
{
	if (!p->unit_cap)
		return SIZE_MAX;
	size_t k = hash_bytes(code, len) & (p->unit_cap - 1);
	for (; p->unit_slots[k]; k = (k + 1) & (p->unit_cap - 1)) {
		size_t i = p->unit_slots[k] - 1;
		const char *c = p->units[i].code;
		if (strncmp(c, code, len) == 0 && c[len] == '\0')
			return i;
	}
	return SIZE_MAX;
}

const struct zg_unit_entry *zg_project_unit(const struct zg_project *p,
					    const char *code)
{
	if (!code)
		return NULL;
	size_t i = unit_index(p, code, strlen(code));
	return i == SIZE_MAX ? NULL : &p->units[i];
}

/* A copy of a scalar or collection node without its children. */
static const struct zg_node *keep_node(struct zg_arena *a,
				       const struct zg_node *n)
{
	if (!n)
		return NULL;
	struct zg_node *c = zg_arena_alloc(a, sizeof *c);
	if (!c)
		return NULL;
	*c = *n;
	c->n = 0;
	c->pairs = NULL;
	if (n->text)
		c->text = zg_arena_strndup(a, n->text, n->len);
	return c;
}

static void keep_date(struct zg_arena *a, struct zg_date_field *f)
{
	f->node = keep_node(a, f->node);
}

/* The header's records, with childless nodes, copied into p->arena. */
static void keep_header(struct zg_project *p, const struct zg_config *c)
{
	struct zg_arena *a = &p->arena;
	struct zg_config *k = zg_arena_alloc(a, sizeof *k);
	if (!k)
		return;
	*k = *c;
	k->node = keep_node(a, c->node);
	k->version.node = keep_node(a, c->version.node);
	k->county = keep_node(a, c->county);
	k->office = keep_node(a, c->office);
	k->evaluation_year.node = keep_node(a, c->evaluation_year.node);
	k->units = NULL;
	k->nunits = 0;
	if (c->deadlines) {
		struct zg_deadlines *d = zg_arena_alloc(a, sizeof *d);
		if (!d)
			return;
		*d = *c->deadlines;
		d->node = keep_node(a, d->node);
		keep_date(a, &d->submit);
		keep_date(a, &d->publicise);
		keep_date(a, &d->complete);
		keep_date(a, &d->self_review);
		k->deadlines = d;
	}
	p->config = k;
}

/* zg_unit_sink: a unit of zg.yaml, copied into the project's table. */
static int keep_unit(void *ctx, const struct zg_unit *u)
{
	struct zg_project *p = ctx;
	if (p->nunits == p->units_cap) {
		size_t cap = p->units_cap ? p->units_cap * 2 : 16;
		if (cap >= UINT32_MAX / 2)
			return -1;
		struct zg_unit_entry *v = realloc(p->units, cap * sizeof *v);
		if (!v)
			return -1;
		p->units = v;
		p->units_cap = cap;
	}
	const struct zg_node *at = u->code ? u->code : u->node;
	struct zg_unit_entry e = {
		.code = u->code ? zg_arena_strdup(&p->arena, u->code->text) : NULL,
		.name = u->name ? zg_arena_strdup(&p->arena, u->name->text) : NULL,
		.kind = u->kind.value,
		.line = at ? at->start.line : 0,
		.column = at ? at->start.column : 0,
	};
	if ((u->code && !e.code) || (u->name && !e.name))
		return -1;
	p->units[p->nunits++] = e;
	return 0;
}

/*
 * The hash of the units' codes, which also finds codes declared twice
 * and invalid ones (rule "unit").  false on out of memory.
 */
static bool index_units(struct zg_project *p, struct zg_diags *diags)
{
	size_t cap = 16;
	while (cap < p->nunits * 2)
		cap *= 2;
	p->unit_slots = calloc(cap, sizeof *p->unit_slots);
	if (!p->unit_slots)
		return false;
	p->unit_cap = cap;
	for (size_t i = 0; i < p->nunits; i++) {
		struct zg_unit_entry *e = &p->units[i];
		if (!e->code)
			continue;
		char shown[ZG_EXCERPT_SIZE];
		zg_text_excerpt(e->code, shown, sizeof shown);
		bool valid = zg_unit_code_valid(e->code);
		if (!valid)
			zg_diag_add(diags, ZG_ERROR, ZG_RULE_UNIT,
				    p->config_path, e->line, e->column, NULL,
				    _("unit code '%s' is not valid: it names the ledger file, so it is 1 to 32 of a-z, 0-9, '_' and '-', starting with a letter or digit"),
				    shown);
		size_t slot = hash_bytes(e->code, strlen(e->code)) & (cap - 1);
		for (; p->unit_slots[slot]; slot = (slot + 1) & (cap - 1)) {
			const struct zg_unit_entry *first =
				&p->units[p->unit_slots[slot] - 1];
			if (strcmp(first->code, e->code) != 0)
				continue;
			e->repeat = true;
			if (valid)
				zg_diag_add(diags, ZG_ERROR, ZG_RULE_UNIT,
					    p->config_path, e->line, e->column,
					    NULL,
					    _("unit code '%s' is declared twice (first at line %u)"),
					    shown, first->line);
			break;
		}
		if (!e->repeat)
			p->unit_slots[slot] = (uint32_t)i + 1;
	}
	return true;
}

int zg_project_open(struct zg_project *p, const char *root,
		    struct zg_diags *diags, struct zg_error *err)
{
	memset(p, 0, sizeof *p);
	char *config_path = NULL;
	char *trimmed = trimmed_copy(root);
	if (trimmed)
		config_path = join(trimmed, "zg.yaml");
	free(trimmed);
	if (!config_path) {
		set_error(err, "%s", _("out of memory"));
		return -1;
	}
	char *buf;
	size_t len;
	int e = zg_read_file(config_path, &buf, &len);
	if (e) {
		set_error(err, _("cannot read %s: %s"), config_path, strerror(e));
		free(config_path);
		return -1;
	}
	int rc = zg_project_open_text(p, root, config_path, buf, len, diags,
				      err);
	free(buf);
	free(config_path);
	return rc;
}

int zg_project_open_text(struct zg_project *p, const char *root,
			 const char *config_path, const char *buf, size_t len,
			 struct zg_diags *diags, struct zg_error *err)
{
	memset(p, 0, sizeof *p);
	zg_arena_init(&p->arena);
	p->root = trimmed_copy(root);
	p->config_path = strdup(config_path);
	if (!p->root || !p->config_path)
		goto nomem;
	/*
	 * The tree lives only while zg.yaml is typed, and its units not even
	 * that long: each is copied into the table as it is read and its
	 * nodes dropped, so that a region's thousands of units cost tens of
	 * bytes each, not a node a key and value.
	 */
	struct zg_arena parse;
	zg_arena_init(&parse);
	int rc;
	bool units_read;
	const struct zg_config *typed = zg_load_config_text(
		&parse, p->config_path, buf, len, diags, keep_unit, p, &rc,
		&units_read);
	if (!units_read)
		p->nunits = 0;
	if (typed && !diags->oom)
		keep_header(p, typed);
	zg_arena_release(&parse);
	if (rc == -2 || diags->oom || p->arena.failed)
		goto nomem;
	if (p->config && !index_units(p, diags))
		goto nomem;
	if (!p->config) {
		set_error(err,
			  _("%s cannot be used; fix the errors above first"),
			  p->config_path);
		return -1;
	}
	return 0;
nomem:
	p->config = NULL;
	set_error(err, "%s", _("out of memory"));
	return -1;
}

/* ---- ids across the project: open-addressing sets of 8-byte slots. */

void zg_id_index_init(struct zg_id_index *x, zg_id_find find,
		      zg_id_owner owner, void *ctx)
{
	memset(x, 0, sizeof *x);
	x->find = find;
	x->owner = owner;
	x->ctx = ctx;
	x->local_ledger = SIZE_MAX;
}

void zg_id_index_release(struct zg_id_index *x)
{
	free(x->slots);
	free(x->local);
	memset(x, 0, sizeof *x);
	x->local_ledger = SIZE_MAX;
}

uint32_t zg_id_hash(const char *s)
{
	return hash_bytes(s, strlen(s));
}

/* Grown at 7/8 full: linear probing compares 8-byte words only. */
static bool slots_grow(uint64_t **slots, size_t *cap)
{
	size_t ncap = *cap ? *cap * 2 : 64;
	uint64_t *v = calloc(ncap, sizeof *v);
	if (!v)
		return false;
	for (size_t i = 0; i < *cap; i++) {
		if (!(*slots)[i])
			continue;
		size_t k = (size_t)((*slots)[i] >> 32) & (ncap - 1);
		while (v[k])
			k = (k + 1) & (ncap - 1);
		v[k] = (*slots)[i];
	}
	free(*slots);
	*slots = v;
	*cap = ncap;
	return true;
}

static bool slots_room(uint64_t **slots, size_t *cap, size_t n)
{
	return (n + 1) * 8 <= *cap * 7 || slots_grow(slots, cap);
}

static void slots_put(uint64_t *slots, size_t cap, uint32_t h, size_t ledger)
{
	size_t k = h & (cap - 1);
	while (slots[k])
		k = (k + 1) & (cap - 1);
	slots[k] = (uint64_t)h << 32 | (uint64_t)(ledger + 1);
}

/*
 * Of the ledgers in slots whose ids hash to h, the earliest that holds id
 * (and is before *best) becomes *best, its place *first.  -1 when find
 * failed.
 */
static int slots_earliest(const struct zg_id_index *x, const uint64_t *slots,
			  size_t cap, uint32_t h, const char *id,
			  size_t *best, struct zg_id_first *first)
{
	if (!cap)
		return 0;
	for (size_t k = h & (cap - 1); slots[k]; k = (k + 1) & (cap - 1)) {
		size_t other = (size_t)(slots[k] & UINT32_MAX) - 1;
		if ((uint32_t)(slots[k] >> 32) != h || other >= *best)
			continue;
		struct zg_id_first at;
		int found = x->find(x->ctx, other, id, &at);
		if (found < 0)
			return -1;
		if (found) {
			*best = other;
			*first = at;
		}
	}
	return 0;
}

int zg_id_index_add(struct zg_id_index *x, size_t ledger, const char *code,
		    const char *id, const char *file, unsigned line,
		    unsigned column, struct zg_diags *d)
{
	if (ledger >= UINT32_MAX)
		return -1;
	if (ledger != x->local_ledger) {
		/* Cleared, not kept at the size of the largest ledger. */
		if (x->local_cap > 1024 && x->local_n * 4 < x->local_cap) {
			free(x->local);
			x->local = NULL;
			x->local_cap = 0;
		}
		if (x->local)
			memset(x->local, 0, x->local_cap * sizeof *x->local);
		x->local_n = 0;
		x->local_ledger = ledger;
	}
	if (!slots_room(&x->local, &x->local_cap, x->local_n))
		return -1;
	const char *dash = strrchr(id, '-');
	size_t prefix = dash ? (size_t)(dash - id) : strlen(id);
	bool own = code && strlen(code) == prefix &&
		   strncmp(code, id, prefix) == 0;
	if (!own && !slots_room(&x->slots, &x->cap, x->n))
		return -1;

	uint32_t h = zg_id_hash(id);
	size_t best = SIZE_MAX;
	struct zg_id_first first = { NULL, 0, 0 };
	if (slots_earliest(x, x->slots, x->cap, h, id, &best, &first) != 0 ||
	    slots_earliest(x, x->local, x->local_cap, h, id, &best,
			   &first) != 0)
		return -1;
	if (!own && x->owner) {
		size_t q = x->owner(x->ctx, id, prefix);
		struct zg_id_first at;
		int found = q < ledger && q < best ?
			x->find(x->ctx, q, id, &at) : 0;
		if (found < 0)
			return -1;
		if (found) {
			best = q;
			first = at;
		}
	}
	if (best != SIZE_MAX) {
		char shown[ZG_EXCERPT_SIZE];
		zg_diag_add(d, ZG_ERROR, ZG_RULE_ID, file, line, column, id,
			    _("duplicate item id '%s' (first at %s:%u:%u); every item needs its own id"),
			    zg_text_excerpt(id, shown, sizeof shown), first.file,
			    first.line, first.column);
		return 0;
	}
	slots_put(x->local, x->local_cap, h, ledger);
	x->local_n++;
	if (!own) {
		slots_put(x->slots, x->cap, h, ledger);
		x->n++;
	}
	return 0;
}

static bool id_well_formed(const char *id, const char **digits)
{
	const char *dash = strrchr(id, '-');
	if (!dash || dash == id)
		return false;
	size_t n = strlen(dash + 1);
	if (n < 3 || strspn(dash + 1, "0123456789") != n)
		return false;
	char code[40];
	size_t clen = (size_t)(dash - id);
	if (clen >= sizeof code)
		return false;
	memcpy(code, id, clen);
	code[clen] = '\0';
	*digits = dash + 1;
	return zg_unit_code_valid(code);
}

void zg_ledger_check_ids(const struct zg_ledger *l, struct zg_diags *diags)
{
	const char *unit = l->doc ? zg_text(l->doc->unit) : NULL;
	for (size_t i = 0; l->doc && i < l->doc->nitems; i++) {
		zg_text_t id = l->doc->items[i].id;
		if (!id)
			continue;
		const char *digits;
		unsigned line = id->start.line, col = id->start.column;
		char shown[ZG_EXCERPT_SIZE];
		if (!id_well_formed(id->text, &digits)) {
			zg_diag_add(diags, ZG_ERROR, ZG_RULE_ID, l->path, line,
				    col, id->text,
				    _("item id '%s' is malformed; an id is the unit code, '-' and a number of at least three digits, e.g. %s-001"),
				    zg_text_excerpt(id->text, shown, sizeof shown),
				    unit ? unit : "zjj");
			continue;
		}
		size_t prefix = (size_t)(digits - 1 - id->text);
		if (unit && (strlen(unit) != prefix ||
			     strncmp(unit, id->text, prefix) != 0))
			zg_diag_add(diags, ZG_ERROR, ZG_RULE_ID, l->path, line,
				    col, id->text,
				    _("item id '%s' does not start with this ledger's unit '%s-'"),
				    zg_text_excerpt(id->text, shown, sizeof shown),
				    unit);
	}
}

static void check_ledger_unit(const struct zg_project *p, struct zg_ledger *l,
			      struct zg_diags *diags)
{
	if (!zg_unit_code_valid(l->code)) {
		zg_diag_add(diags, ZG_ERROR, ZG_RULE_UNIT, l->path, 0, 0, NULL,
			    _("'%s.yaml' is not named after a unit code; ledgers are ledgers/<code>.yaml with a code of zg.yaml"),
			    l->code);
		return;
	}
	l->unit = zg_project_unit(p, l->code);
	zg_text_t unit = l->doc ? l->doc->unit : NULL;
	if (!unit)
		return;
	char shown[ZG_EXCERPT_SIZE];
	zg_text_excerpt(unit->text, shown, sizeof shown);
	if (strcmp(unit->text, l->code) != 0)
		zg_diag_add(diags, ZG_ERROR, ZG_RULE_UNIT, l->path,
			    unit->start.line, unit->start.column, NULL,
			    _("'unit' is '%s' but the file is %s.yaml; a ledger's file is named after its unit code"),
			    shown, l->code);
	else if (!l->unit)
		zg_diag_add(diags, ZG_ERROR, ZG_RULE_UNIT, l->path,
			    unit->start.line, unit->start.column, NULL,
			    _("unit '%s' is not declared in zg.yaml; add it under 'units', or move the ledger"),
			    shown);
}

/* Declared units first in zg.yaml's order, then the strays by name. */
static size_t unit_rank(const struct zg_project *p, const char *code)
{
	return unit_index(p, code, strlen(code));
}

bool zg_project_link_out(const struct zg_project *p, const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
		return false;
	char *root = realpath(p->root, NULL);
	char *real = realpath(path, NULL);
	bool out = true;
	if (root && real) {
		size_t n = strlen(root);
		out = strncmp(real, root, n) != 0 ||
		      (real[n] != '/' && real[n] != '\0');
	}
	free(root);
	free(real);
	return out;
}

int zg_ledger_open(const struct zg_project *p, const char *code,
		   struct zg_ledger *l, struct zg_diags *diags)
{
	memset(l, 0, sizeof *l);
	zg_arena_init(&l->arena);
	char rel[64 + PATH_MAX];
	snprintf(rel, sizeof rel, "ledgers/%s.yaml", code);
	l->path = join(p->root, rel);
	l->code = strdup(code);
	if (!l->path || !l->code)
		return -1;
	l->order = unit_rank(p, code);
	/* A ledger that is a link out of the project is not read. */
	if (zg_project_link_out(p, l->path)) {
		zg_diag_add(diags, ZG_ERROR, ZG_RULE_IO, l->path, 0, 0, NULL, "%s",
			    _("the ledger is a link that leads out of the project, or to nothing; a ledger is a file of the project"));
		return 0;
	}
	int e = zg_read_file(l->path, &l->buf, &l->len);
	if (e == ENOENT)
		return 1;
	if (e == ENOMEM)
		return -1;
	if (e == ENODEV) {
		zg_diag_add(diags, ZG_ERROR, ZG_RULE_IO, l->path, 0, 0, NULL, "%s",
			    _("the ledger is not a regular file (a pipe, a socket or a device); it is not read"));
		return 0;
	}
	if (e) {
		zg_diag_add(diags, ZG_ERROR, ZG_RULE_IO, l->path, 0, 0, NULL,
			    _("cannot read the ledger: %s"), strerror(e));
		return 0;
	}
	size_t before = diags->errors;
	int rc = zg_tree_parse(&l->arena, l->path, l->buf, l->len, &l->root,
			       diags);
	if (rc == -2)
		return -1;
	if (rc == 0)
		l->doc = zg_load_ledger(&l->arena, l->path, l->root, diags);
	if (diags->oom)
		return -1;
	l->load_errors = diags->errors - before;
	check_ledger_unit(p, l, diags);
	zg_ledger_check_ids(l, diags);
	return 0;
}

void zg_ledger_release(struct zg_ledger *l)
{
	if (!l)
		return;
	free(l->path);
	free(l->code);
	free(l->buf);
	zg_arena_release(&l->arena);
	memset(l, 0, sizeof *l);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * names[0..n) copied into one malloc'd block: the NULL-terminated vector
 * and the strings after it, so that a region's thousands of codes cost
 * one allocation (and leave no small holes in the heap).
 */
static char **codes_block(const char *const *names, size_t n)
{
	size_t bytes = (n + 1) * sizeof(char *);
	for (size_t i = 0; i < n; i++)
		bytes += strlen(names[i]) + 1;
	char **v = malloc(bytes);
	if (!v)
		return NULL;
	char *at = (char *)(v + n + 1);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]) + 1;
		v[i] = memcpy(at, names[i], len);
		at += len;
	}
	v[n] = NULL;
	return v;
}

/* The codes of the ledger files, sorted, in one block as codes_block makes. */
static char **list_ledgers(const struct zg_project *p, size_t *n, int *err)
{
	char *dir = join(p->root, "ledgers");
	*n = 0;
	*err = 0;
	if (!dir) {
		*err = ENOMEM;
		return NULL;
	}
	DIR *d = opendir(dir);
	free(dir);
	if (!d) {
		*err = errno == ENOENT ? 0 : errno;
		return calloc(1, sizeof(char *));
	}
	/* The names packed one after another, and where each starts. */
	char *text = NULL;
	size_t used = 0, cap = 0, count = 0, offcap = 0;
	size_t *starts = NULL;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len <= 5 || de->d_name[0] == '.' ||
		    strcmp(de->d_name + len - 5, ".yaml") != 0)
			continue;
		if (used + len - 4 > cap) {
			size_t ncap = cap ? cap * 2 : 4096;
			while (ncap < used + len - 4)
				ncap *= 2;
			char *nt = realloc(text, ncap);
			if (!nt)
				break;
			text = nt;
			cap = ncap;
		}
		if (count == offcap) {
			size_t ncap = offcap ? offcap * 2 : 256;
			size_t *ns = realloc(starts, ncap * sizeof *ns);
			if (!ns)
				break;
			starts = ns;
			offcap = ncap;
		}
		memcpy(text + used, de->d_name, len - 5);
		text[used + len - 5] = '\0';
		starts[count++] = used;
		used += len - 4;
	}
	bool complete = de == NULL;
	closedir(d);
	/* The block codes_block makes, built from the packed names at once. */
	char **names = complete ? malloc((count + 1) * sizeof *names + used)
				: NULL;
	if (names) {
		char *at = (char *)(names + count + 1);
		if (used)
			memcpy(at, text, used);
		for (size_t i = 0; i < count; i++)
			names[i] = at + starts[i];
		names[count] = NULL;
	}
	free(starts);
	free(text);
	if (!names) {
		*err = ENOMEM;
		return NULL;
	}
	*n = count;
	qsort(names, *n, sizeof *names, name_cmp);
	return names;
}

void zg_project_codes_free(char **codes)
{
	free(codes);
}

struct ranked {
	size_t rank;
	char *code;
};

static int rank_cmp(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return strcmp(a->code, b->code);
}

/* Sorts codes into the order every command shows. */
static int sort_by_unit(const struct zg_project *p, char **codes, size_t n)
{
	struct ranked *v = malloc((n ? n : 1) * sizeof *v);
	if (!v)
		return -1;
	for (size_t i = 0; i < n; i++)
		v[i] = (struct ranked){ unit_rank(p, codes[i]), codes[i] };
	qsort(v, n, sizeof *v, rank_cmp);
	for (size_t i = 0; i < n; i++)
		codes[i] = v[i].code;
	free(v);
	return 0;
}

int zg_project_ledger_codes(const struct zg_project *p,
			    const char *const *units, size_t nunits,
			    char ***codes, size_t *n, struct zg_error *err)
{
	*codes = NULL;
	*n = 0;
	if (nunits) {
		for (size_t i = 0; i < nunits; i++) {
			if (!zg_unit_code_valid(units[i]) ||
			    !zg_project_unit(p, units[i])) {
				set_error(err,
					  _("unknown unit '%s': it is not declared in %s"),
					  units[i], p->config_path);
				return -1;
			}
		}
		const char **v = malloc(nunits * sizeof *v);
		for (size_t i = 0; v && i < nunits; i++) {
			/* Only the ledgers that exist: a missing one is a warning. */
			char rel[64];
			snprintf(rel, sizeof rel, "ledgers/%s.yaml", units[i]);
			char *path = join(p->root, rel);
			struct stat st;
			bool there = path && stat(path, &st) == 0;
			free(path);
			bool twice = false;
			for (size_t k = 0; k < *n; k++)
				twice |= strcmp(v[k], units[i]) == 0;
			if (there && !twice)
				v[(*n)++] = units[i];
		}
		*codes = v ? codes_block(v, *n) : NULL;
		free(v);
		if (!*codes) {
			*n = 0;
			set_error(err, "%s", _("out of memory"));
			return -1;
		}
	} else {
		int e;
		*codes = list_ledgers(p, n, &e);
		if (!*codes || e) {
			zg_project_codes_free(*codes);
			*codes = NULL;
			set_error(err, _("cannot read %s/ledgers: %s"), p->root,
				  strerror(e ? e : ENOMEM));
			return -1;
		}
	}
	/* The order every command shows: zg.yaml's units, then strays. */
	if (sort_by_unit(p, *codes, *n) != 0) {
		zg_project_codes_free(*codes);
		*codes = NULL;
		set_error(err, "%s", _("out of memory"));
		return -1;
	}
	return 0;
}

void zg_project_check_missing(const struct zg_project *p,
			      char *const *codes, size_t ncodes,
			      const char *const *units, size_t nunits,
			      struct zg_diags *diags)
{
	bool *has = calloc(p->nunits ? p->nunits : 1, sizeof *has);
	if (!has) {
		diags->oom = true;
		return;
	}
	for (size_t k = 0; k < ncodes; k++) {
		size_t i = unit_index(p, codes[k], strlen(codes[k]));
		if (i != SIZE_MAX)
			has[i] = true;
	}
	for (size_t i = 0; i < p->nunits; i++) {
		const struct zg_unit_entry *u = &p->units[i];
		/* A code declared twice is reported once, at its first place. */
		if (!u->code || u->repeat || has[i] ||
		    !zg_unit_code_valid(u->code))
			continue;
		bool wanted = nunits == 0;
		for (size_t k = 0; k < nunits && !wanted; k++)
			wanted = strcmp(units[k], u->code) == 0;
		if (wanted)
			zg_diag_add(diags, ZG_WARNING, ZG_RULE_UNIT,
				    p->config_path, u->line, u->column, NULL,
				    _("unit '%s' has no ledger yet (ledgers/%s.yaml); create it with zg-add item --unit %s"),
				    u->code, u->code, u->code);
	}
	free(has);
}

/* The ledgers loaded so far, and how many ids of the last were indexed. */
struct loaded_ids {
	const struct zg_project *p;
	size_t added;
};

/* zg_id_find over them: an earlier ledger whole, the last up to added. */
static int find_loaded_id(void *ctx, size_t ledger, const char *id,
			  struct zg_id_first *out)
{
	const struct loaded_ids *c = ctx;
	const struct zg_ledger *l = &c->p->ledgers[ledger];
	size_t n = l->doc ? l->doc->nitems : 0;
	if (ledger + 1 == c->p->nledgers && c->added < n)
		n = c->added;
	for (size_t k = 0; k < n; k++) {
		zg_text_t t = l->doc->items[k].id;
		if (t && strcmp(t->text, id) == 0) {
			*out = (struct zg_id_first){ l->path, t->start.line,
						     t->start.column };
			return 1;
		}
	}
	return 0;
}

/* zg_id_owner over them (zg-add loads a ledger or two: a walk will do). */
static size_t loaded_owner(void *ctx, const char *code, size_t len)
{
	const struct loaded_ids *c = ctx;
	for (size_t i = 0; i < c->p->nledgers; i++) {
		const char *own = c->p->ledgers[i].code;
		if (strncmp(own, code, len) == 0 && own[len] == '\0')
			return i;
	}
	return SIZE_MAX;
}

int zg_project_load_ledgers(struct zg_project *p, const char *const *units,
			    size_t nunits, struct zg_diags *diags,
			    struct zg_error *err)
{
	char **codes;
	size_t n;
	if (zg_project_ledger_codes(p, units, nunits, &codes, &n, err) != 0)
		return -1;
	p->ledgers = calloc(n ? n : 1, sizeof *p->ledgers);
	struct loaded_ids loaded = { p, 0 };
	struct zg_id_index ids;
	zg_id_index_init(&ids, find_loaded_id, loaded_owner, &loaded);
	int rc = p->ledgers ? 0 : -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct zg_ledger *l = &p->ledgers[p->nledgers];
		int r = zg_ledger_open(p, codes[i], l, diags);
		if (r == 1) {	/* gone between the listing and now */
			zg_ledger_release(l);
			continue;
		}
		p->nledgers++;	/* so that release frees it */
		if (r < 0) {
			rc = -1;
			break;
		}
		for (size_t k = 0; l->doc && k < l->doc->nitems && rc == 0; k++) {
			zg_text_t id = l->doc->items[k].id;
			loaded.added = k;
			if (id)
				rc = zg_id_index_add(&ids, p->nledgers - 1,
						     l->code, id->text, l->path,
						     id->start.line,
						     id->start.column, diags);
		}
	}
	if (rc == 0)
		zg_project_check_missing(p, codes, n, units, nunits, diags);
	zg_id_index_release(&ids);
	zg_project_codes_free(codes);
	if (rc != 0 || diags->oom) {
		set_error(err, "%s", _("out of memory"));
		return -1;
	}
	return 0;
}

void zg_project_release(struct zg_project *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nledgers; i++)
		zg_ledger_release(&p->ledgers[i]);
	free(p->ledgers);
	free(p->root);
	free(p->config_path);
	free(p->units);
	free(p->unit_slots);
	zg_arena_release(&p->arena);
	memset(p, 0, sizeof *p);
}
