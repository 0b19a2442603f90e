/*
 * history.c - comparing a ledger with its version at a git revision.
 *
 * Entries are compared through a canonical text of their values (as the
 * plan digest is), so re-indenting, re-quoting or commenting a ledger is
 * no change; editing a value is.
 */
#include "zg/history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zg/digest.h"
#include "zg/i18n.h"
#include "zg/load.h"
#include "zg/spawn.h"
#include "zg/text.h"

static int git(const char *root, const char *const *args,
	       struct zg_spawn_result *r)
{
	const char *argv[16] = { "git", "-C", root };
	size_t n = 3;
	for (size_t i = 0; args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return zg_spawn(argv, r);
}

static char *first_line(const char *s)
{
	return strndup(s, strcspn(s, "\n"));
}

int zg_history_open(const struct zg_project *p, const char *rev,
		    struct zg_history *h, struct zg_error *err)
{
	memset(h, 0, sizeof *h);
	h->root = p->root;
	struct zg_spawn_result r;
	const char *inside[] = { "rev-parse", "--show-prefix", NULL };
	int e = git(p->root, inside, &r);
	if (e) {
		snprintf(err->message, sizeof err->message,
			 _("--against needs git, and git cannot be run: %s"),
			 strerror(e));
		return -1;
	}
	if (r.status != 0) {
		snprintf(err->message, sizeof err->message,
			 _("--against needs a git repository, and %s is not in one"),
			 p->root);
		zg_spawn_result_release(&r);
		return -1;
	}
	h->prefix = first_line(r.out);
	zg_spawn_result_release(&r);
	char spec[512];
	snprintf(spec, sizeof spec, "%s^{commit}", rev);
	const char *verify[] = { "rev-parse", "--verify", "--quiet", spec, NULL };
	if (git(p->root, verify, &r) != 0 || r.status != 0) {
		if (r.out || r.err)
			zg_spawn_result_release(&r);
		snprintf(err->message, sizeof err->message,
			 _("--against '%s' names no commit of the repository"), rev);
		zg_history_release(h);
		return -1;
	}
	h->commit = first_line(r.out);
	h->rev = strdup(rev);
	zg_spawn_result_release(&r);
	if (!h->prefix || !h->commit || !h->rev) {
		snprintf(err->message, sizeof err->message, "%s", _("out of memory"));
		zg_history_release(h);
		return -1;
	}
	return 0;
}

void zg_history_release(struct zg_history *h)
{
	free(h->rev);
	free(h->commit);
	free(h->prefix);
	memset(h, 0, sizeof *h);
}

/* ---- canonical texts ---- */

struct text {
	char *s;
	size_t len;
	bool oom;
};

static void add(struct text *t, const char *key, const char *value)
{
	if (!value || t->oom)
		return;
	size_t n = strlen(key) + strlen(value) + 3;
	char *s = realloc(t->s, t->len + n + 1);
	if (!s) {
		t->oom = true;
		return;
	}
	t->s = s;
	t->len += (size_t)snprintf(t->s + t->len, n + 1, "%s=%s\n", key, value);
}

static const char *date_text(const struct zg_date_field *d)
{
	return d->node ? d->node->text : NULL;
}

/* The values of a progress entry; malloc'd. */
static char *entry_text(const struct zg_progress *p)
{
	struct text t = { NULL, 0, false };
	add(&t, "date", date_text(&p->date));
	add(&t, "note", zg_text(p->note));
	for (size_t i = 0; i < p->nevidence; i++) {
		add(&t, "file", zg_text(p->evidence[i].file));
		if (p->evidence[i].kind.value >= 0)
			add(&t, "kind", zg_evidence_kind_names[p->evidence[i].kind.value]);
		add(&t, "sha256", zg_text(p->evidence[i].sha256));
	}
	if (t.oom) {
		free(t.s);
		return NULL;
	}
	return t.s ? t.s : strdup("");
}

static bool same_entry(const struct zg_progress *a, const struct zg_progress *b)
{
	char *x = entry_text(a), *y = entry_text(b);
	bool same = x && y && strcmp(x, y) == 0;
	free(x);
	free(y);
	return same;
}

static const struct zg_item *find(const struct zg_ledger_doc *doc, const char *id)
{
	for (size_t i = 0; doc && i < doc->nitems; i++)
		if (zg_item_id(&doc->items[i]) &&
		    strcmp(zg_item_id(&doc->items[i]), id) == 0)
			return &doc->items[i];
	return NULL;
}

static void finding(const struct zg_ledger *l, struct zg_diags *d,
		    const struct zg_node *at, const char *item,
		    const char *msg)
{
	zg_diag_add(d, ZG_ERROR, ZG_RULE_HISTORY, l->path,
		    at ? at->start.line : 0, at ? at->start.column : 0, item,
		    "%s", msg);
}

static void compare_item(const struct zg_history *h, const struct zg_ledger *l,
			 const struct zg_item *then, const struct zg_item *now,
			 struct zg_diags *d)
{
	const char *id = zg_item_id(now);
	char msg[1024];
	for (size_t i = 0; i < then->nprogress; i++) {
		char date[16];
		snprintf(date, sizeof date, "%s",
			 then->progress[i].date.node ? then->progress[i].date.node->text : "?");
		if (i >= now->nprogress) {
			snprintf(msg, sizeof msg,
				 _("the progress entry of %s is gone since %s; the trace (过程留痕) is only ever added to"),
				 date, h->rev);
			finding(l, d, now->progress_node ? now->progress_node : now->node,
				id, msg);
			continue;
		}
		if (!same_entry(&then->progress[i], &now->progress[i])) {
			snprintf(msg, sizeof msg,
				 _("the progress entry of %s was edited since %s (its date, note or evidence differ); the trace (过程留痕) is only ever added to: add a new entry instead"),
				 date, h->rev);
			finding(l, d, now->progress[i].node, id, msg);
		}
	}
	/* A plan submitted then is locked, unless an amendment came since. */
	if (then->submitted.node && then->plan && now->plan &&
	    now->namendments <= then->namendments) {
		char a[ZG_PLAN_DIGEST_SIZE], b[ZG_PLAN_DIGEST_SIZE];
		if (zg_plan_digest(then->plan, a) == 0 &&
		    zg_plan_digest(now->plan, b) == 0 && strcmp(a, b) != 0) {
			snprintf(msg, sizeof msg,
				 _("the plan was submitted on %s and has changed since %s without an amendment; record the approved change with zg-add amend"),
				 then->submitted.node->text, h->rev);
			finding(l, d, now->plan->node, id, msg);
		}
	}
}

void zg_history_check_ledger(const struct zg_history *h,
			     const struct zg_ledger *l, struct zg_diags *d)
{
	if (!l->doc)
		return;
	char spec[1024];
	snprintf(spec, sizeof spec, "%s:%sledgers/%s.yaml", h->commit, h->prefix,
		 l->code);
	const char *show[] = { "show", spec, NULL };
	struct zg_spawn_result r;
	if (git(h->root, show, &r) != 0)
		return;
	if (r.status != 0) {	/* the ledger did not exist then */
		zg_spawn_result_release(&r);
		return;
	}
	struct zg_arena arena = ZG_ARENA_INIT;
	struct zg_diags ignored;
	zg_diags_init(&ignored);
	struct zg_node *root = NULL;
	struct zg_ledger_doc *then = NULL;
	if (zg_tree_parse(&arena, l->path, r.out, r.out_len, &root, &ignored) == 0)
		then = zg_load_ledger(&arena, l->path, root, &ignored);
	for (size_t i = 0; then && i < then->nitems; i++) {
		const struct zg_item *old = &then->items[i];
		const char *id = zg_item_id(old);
		if (!id)
			continue;
		const struct zg_item *now = find(l->doc, id);
		if (now) {
			compare_item(h, l, old, now, d);
		} else {
			char msg[1024];
			snprintf(msg, sizeof msg,
				 _("item %s was in the ledger at %s and is gone; an item is never removed, only closed"),
				 id, h->rev);
			finding(l, d, l->doc->items_node ? l->doc->items_node : l->doc->node,
				id, msg);
		}
	}
	zg_diags_release(&ignored);
	zg_arena_release(&arena);
	zg_spawn_result_release(&r);
}

static bool among(const char *code, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], code) == 0)
			return true;
	return false;
}

/* The items of ledgers/code.yaml at the revision, each a finding. */
static void gone_ledger(const struct zg_history *h, const struct zg_project *p,
			const char *code, struct zg_diags *d)
{
	char rel[128], spec[1024];
	snprintf(rel, sizeof rel, "ledgers/%s.yaml", code);
	snprintf(spec, sizeof spec, "%s:%s%s", h->commit, h->prefix, rel);
	const char *show[] = { "show", spec, NULL };
	struct zg_spawn_result r;
	if (git(h->root, show, &r) != 0)
		return;
	char *path = zg_project_path(p, rel);
	struct zg_arena arena = ZG_ARENA_INIT;
	struct zg_diags ignored;
	zg_diags_init(&ignored);
	struct zg_node *root = NULL;
	struct zg_ledger_doc *then = NULL;
	if (r.status == 0 && path &&
	    zg_tree_parse(&arena, path, r.out, r.out_len, &root, &ignored) == 0)
		then = zg_load_ledger(&arena, path, root, &ignored);
	for (size_t i = 0; then && i < then->nitems; i++) {
		const struct zg_item *old = &then->items[i];
		const char *id = zg_item_id(old);
		if (!id)
			continue;
		/* The place is the item's at the revision: the file is gone. */
		zg_diag_add(d, ZG_ERROR, ZG_RULE_HISTORY, path,
			    old->id->start.line, old->id->start.column, id,
			    _("item %s was in this ledger at %s (this line then), and the ledger is gone; an item is never removed, only closed"),
			    id, h->rev);
	}
	if (!path)
		d->oom = true;
	free(path);
	zg_diags_release(&ignored);
	zg_arena_release(&arena);
	zg_spawn_result_release(&r);
}

void zg_history_check_gone(const struct zg_history *h,
			   const struct zg_project *p, char *const *codes,
			   size_t ncodes, const char *const *units,
			   size_t nunits, struct zg_diags *d)
{
	char spec[1024];
	snprintf(spec, sizeof spec, "%s:%sledgers", h->commit, h->prefix);
	/* --full-tree: run inside the project's folder, ls-tree would list
	 * only the names under that folder's path within the tree given. */
	const char *ls[] = { "ls-tree", "--full-tree", "--name-only", spec, NULL };
	struct zg_spawn_result r;
	if (git(h->root, ls, &r) != 0)
		return;
	/* Without a ledgers/ folder then, nothing can have gone. */
	for (char *line = r.status == 0 ? r.out : NULL, *next; line && *line;
	     line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		size_t n = strlen(line);
		if (n <= 5 || strcmp(line + n - 5, ".yaml") != 0)
			continue;
		line[n - 5] = '\0';
		if (!zg_unit_code_valid(line) ||
		    among(line, (const char *const *)codes, ncodes) ||
		    (nunits && !among(line, units, nunits)))
			continue;
		gone_ledger(h, p, line, d);
	}
	zg_spawn_result_release(&r);
}
