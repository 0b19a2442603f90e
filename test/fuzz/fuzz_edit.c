/*
 * fuzz_edit.c - the splice editor (edit.h) on hostile ledgers.
 *
 * Input: a ledger followed by two control bytes.  The last byte chooses
 * the operation, the one before it a parameter (which item, which step,
 * which text).  When the ledger loads (it parses and types as a ledger, as
 * record.c demands before it edits), the operation is applied the way
 * record.c builds it, but through edit.h directly: nothing is written.
 *
 * The invariants, which abort() when broken:
 *  - every byte before the first splice point, and after the last one, is
 *    unchanged;
 *  - what the operation wrote reads back where it was written: the new
 *    item is the last of 'items', the item's status, completed, result,
 *    new progress entry, step's done ... hold the values given, at the
 *    item's own place in the list.  A splice that parses but lands in the
 *    next item is the worst an editor can do: record.c's re-check passes.
 * A ledger whose layout zg_edit_layout_known() rejects (an explicit key,
 * an indentation indicator) is refused by record.c and not edited here.
 * An edit the editor refuses (-1: a collection where a value belongs, or
 * two splices at one place) is a refusal, as in record.c, not a failure;
 * so is a result that does not parse again, which record.c re-parses and
 * refuses ("no place where this change can be written"), writing nothing.
 * Such layouts (an explicit key, an indentation indicator, a tab in a
 * blank line …) are rare in ledgers typed by hand, and the fuzzer finds
 * new ones faster than each can be taught to the editor: what it must
 * never find is a result that parses but is wrong, or changed bytes
 * outside the splices, since those record.c would write.
 *
 * No bug is known and unfixed, so this target reads no ZG_FUZZ_KNOWN tags
 * (see fuzz_writers.c and README.md for how a reported bug gets one while
 * it waits for its fix: NEL/LS/PS line breaks, blank lines with a tab,
 * tags and anchors, and explicit keys had them until they were fixed).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zg/arena.h"
#include "zg/diag.h"
#include "zg/digest.h"
#include "zg/edit.h"
#include "zg/load.h"
#include "zg/model.h"
#include "zg/tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum op {
	OP_ITEM,	/* zg-add item: append to 'items' */
	OP_STATUS,	/* zg-add status ID done */
	OP_PROGRESS,	/* zg-add progress ID */
	OP_STEP,	/* zg-add progress ID --step N */
	OP_CONTACT,	/* private/contacts.yaml: id -> list */
	OP_SUBMIT,	/* zg-add submit ID */
	OP_PUBLISH,	/* zg-add publish ID */
	OP_VERIFY,	/* zg-add verify ID */
	OP_AMEND,	/* zg-add amend ID */
	OP_COUNT
};

/* Text a clerk may type: each needs a different scalar style. */
static const char *const texts[] = {
	"县城排水管网改造 3.2 公里",
	"a: b # not a comment",
	"- looks like a list",
	" spaces at both ends ",
	"第一行\n第二行\n",
	"\"quoted\" and 'single'",
	"{flow, [mix]}",
	"",
	"null",
	"2018-07-05",
	"tab\there",
	"#hash first",
	"trailing colon:",
	"\xC2\x85 next line \xE2\x80\xA8 separators",
	"|",
	"> folded",
};

static const char *text_of(unsigned param)
{
	return texts[param % (sizeof texts / sizeof *texts)];
}

struct ctx {
	struct zg_arena *a;
	struct zg_editor *ed;
	const struct zg_node *root;
	const struct zg_ledger_doc *doc;
	unsigned param;
};

static struct zg_value *raw(struct ctx *c, const char *text)
{
	return zg_value_raw(c->a, text);
}

static const struct zg_item *item(struct ctx *c)
{
	if (!c->doc || !c->doc->nitems)
		return NULL;
	const struct zg_item *it = &c->doc->items[c->param % c->doc->nitems];
	return it->node && it->node->kind == ZG_MAPPING ? it : NULL;
}

static int set(struct ctx *c, const struct zg_item *it, const char *key,
	       struct zg_value *v)
{
	return v ? zg_edit_map_set(c->ed, it->node, key, v) : -1;
}

/* record.c's item_value, with the parameter choosing the shape. */
static int op_item(struct ctx *c)
{
	struct zg_arena *a = c->a;
	const char *t = text_of(c->param >> 1);
	struct zg_value *it = zg_value_map(a, false);
	struct zg_value *sugg = zg_value_list(a, false);
	int rc = zg_value_add(a, it, "id", raw(c, "zjj-099"));
	bool constructive = !(c->param & 1);
	rc |= zg_value_add(a, it, "category",
			   raw(c, constructive ? "constructive" : "other"));
	struct zg_value *m = zg_value_map(a, true);
	rc |= zg_value_add(a, m, "no", raw(c, "12"));
	rc |= zg_value_add_text(a, m, "text", t);
	rc |= zg_value_add(a, sugg, NULL, m);
	rc |= zg_value_add(a, sugg, NULL, zg_value_scalar(a, "城东片区排水沟常年堵塞"));
	rc |= zg_value_add(a, it, "suggestions", sugg);
	rc |= zg_value_add_text(a, it, "group", t);
	rc |= zg_value_add(a, it, "received", raw(c, "2018-06-28"));
	rc |= zg_value_add_text(a, it, "investigation", "经调查，属实。\n共走访住户132户。");
	rc |= zg_value_add_text(a, it, "verdict", "属实");
	if (constructive) {
		struct zg_value *plan = zg_value_map(a, false);
		rc |= zg_value_add_text(a, plan, "goal", t);
		rc |= zg_value_add_text(a, plan, "task", "改造排水管网3.2公里");
		struct zg_value *road = zg_value_list(a, false);
		for (int i = 0; i < 2; i++) {
			struct zg_value *st = zg_value_map(a, true);
			rc |= zg_value_add(a, st, "due", raw(c, i ? "2018-11-15" : "2018-08-15"));
			rc |= zg_value_add_text(a, st, "step", i ? t : "完成勘察设计");
			rc |= zg_value_add(a, road, NULL, st);
		}
		rc |= zg_value_add(a, plan, "roadmap", road);
		rc |= zg_value_add(a, plan, "start", raw(c, "2018-07-12"));
		rc |= zg_value_add(a, plan, "due", raw(c, "2018-11-15"));
		struct zg_value *owner = zg_value_map(a, true);
		rc |= zg_value_add_text(a, owner, "leader", "覃某某 副局长");
		rc |= zg_value_add_text(a, owner, "unit", t);
		rc |= zg_value_add_text(a, owner, "person", "王某");
		rc |= zg_value_add(a, plan, "owner", owner);
		rc |= zg_value_add_text(a, plan, "outcome", "竣工验收报告");
		rc |= zg_value_add(a, it, "plan", plan);
	} else {
		rc |= zg_value_add_text(a, it, "explanation", t);
		rc |= zg_value_add_text(a, it, "cause", "资金不足");
	}
	rc |= zg_value_add(a, it, "status", raw(c, "not_started"));
	if (rc)
		return -1;
	return zg_edit_list_append(c->ed, c->root, "items", it);
}

static int op_status(struct ctx *c)
{
	const struct zg_item *it = item(c);
	if (!it)
		return -1;
	int rc = set(c, it, "status", raw(c, (c->param & 1) ? "closed" : "done"));
	if (!it->completed.node)
		rc |= set(c, it, "completed", raw(c, "2018-11-10"));
	if (c->param & 4)
		rc |= set(c, it, "result", zg_value_scalar(c->a, text_of(c->param >> 1)));
	if (c->param & 2)
		rc |= set(c, it, "satisfaction", raw(c, "95.5"));
	return rc;
}

static struct zg_value *progress_entry(struct ctx *c)
{
	struct zg_arena *a = c->a;
	struct zg_value *entry = zg_value_map(a, false);
	struct zg_value *list = zg_value_list(a, false);
	zg_value_add(a, entry, "date", raw(c, "2018-10-12"));
	zg_value_add_text(a, entry, "note", text_of(c->param >> 2));
	for (unsigned i = 0; i < (c->param & 3); i++) {
		struct zg_value *ev = zg_value_map(a, true);
		zg_value_add_text(a, ev, "file", i ? "evidence/zjj-001/照片 1.jpg"
						   : "evidence/zjj-001/minutes.txt");
		if (i != 1)
			zg_value_add(a, ev, "kind", raw(c, "minutes"));
		zg_value_add(a, ev, "sha256",
			     raw(c, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
		zg_value_add(a, list, NULL, ev);
	}
	if (list && list->n)
		zg_value_add(a, entry, "evidence", list);
	return entry;
}

static int op_progress(struct ctx *c, const struct zg_item *it)
{
	struct zg_value *entry = progress_entry(c);
	return entry ? zg_edit_list_append(c->ed, it->node, "progress", entry) : -1;
}

static int op_step(struct ctx *c)
{
	const struct zg_item *it = item(c);
	if (!it || !it->plan || !it->plan->nroadmap)
		return -1;
	const struct zg_step *step =
		&it->plan->roadmap[(c->param >> 3) % it->plan->nroadmap];
	/* record.c's preconditions: not done yet, no 'done' of another kind. */
	if (step->done.node || !step->node || step->node->kind != ZG_MAPPING)
		return -1;
	const struct zg_node *done = zg_node_get(step->node, "done");
	if (done && !zg_node_is_null(done))
		return -1;
	if (zg_edit_map_set(c->ed, step->node, "done", raw(c, "2018-10-12")))
		return -1;
	return op_progress(c, it);
}

/* save_contacts: the root is a mapping of item ids to lists of contacts. */
static int op_contact(struct ctx *c)
{
	struct zg_arena *a = c->a;
	const char *id = (c->param & 1) && c->doc && c->doc->nitems &&
				 zg_item_id(&c->doc->items[0])
			 ? zg_item_id(&c->doc->items[0]) : "zjj-001";
	struct zg_value *list = zg_value_list(a, false);
	for (unsigned i = 0; i <= ((c->param >> 1) & 1); i++) {
		struct zg_value *m = zg_value_map(a, true);
		zg_value_add_text(a, m, "name", i ? text_of(c->param >> 2) : "张三");
		zg_value_add_text(a, m, "phone", "0772-6812345");
		zg_value_add(a, list, NULL, m);
	}
	if (!c->root) {
		/* A file of comments only gets its first key as a block. */
		char *text = zg_arena_printf(a, "%s:\n", id);
		int rc = !text || zg_edit_append_raw(c->ed, text);
		for (size_t i = 0; i < list->n && !rc; i++) {
			char *flowed = zg_value_render_flow(a, list->items[i]);
			char *line = flowed ? zg_arena_printf(a, "  - %s\n", flowed) : NULL;
			rc = !line || zg_edit_append_raw(c->ed, line);
		}
		return rc;
	}
	if (c->root->kind != ZG_MAPPING)
		return -1;
	if (zg_node_get(c->root, id)) {
		int rc = 0;
		for (size_t i = 0; i < list->n && !rc; i++)
			rc = zg_edit_list_append(c->ed, c->root, id, list->items[i]);
		return rc;
	}
	return zg_edit_map_set(c->ed, c->root, id, list);
}

static int op_submit(struct ctx *c)
{
	const struct zg_item *it = item(c);
	if (!it || it->submitted.node)
		return -1;
	int rc = set(c, it, "submitted", raw(c, "2018-07-05"));
	if (it->plan) {
		char digest[ZG_PLAN_DIGEST_SIZE];
		rc |= zg_plan_digest(it->plan, digest);
		rc |= set(c, it, "plan_digest", raw(c, digest));
	}
	return rc;
}

static int op_publish(struct ctx *c)
{
	const struct zg_item *it = item(c);
	const struct zg_node *p = it ? zg_node_get(it->node, "published") : NULL;
	if (!it || it->published || (p && !zg_node_is_null(p)))
		return -1;
	struct zg_value *v = zg_value_map(c->a, true);
	zg_value_add(c->a, v, "date", raw(c, "2018-07-10"));
	zg_value_add_text(c->a, v, "where", text_of(c->param >> 1));
	return set(c, it, "published", v);
}

static int op_verify(struct ctx *c)
{
	const struct zg_item *it = item(c);
	const struct zg_node *p = it ? zg_node_get(it->node, "verification") : NULL;
	if (!it || it->verification || (p && !zg_node_is_null(p)) ||
	    !it->completed.node)
		return -1;
	struct zg_value *v = zg_value_map(c->a, true);
	zg_value_add(c->a, v, "date", raw(c, "2018-11-25"));
	zg_value_add_text(c->a, v, "by", text_of(c->param >> 1));
	zg_value_add(c->a, v, "score", raw(c, "92"));
	int rc = set(c, it, "verification", v);
	rc |= set(c, it, "status", raw(c, "closed"));
	return rc;
}

static int op_amend(struct ctx *c)
{
	const struct zg_item *it = item(c);
	if (!it || !it->plan)
		return -1;
	struct zg_value *v = zg_value_map(c->a, true);
	zg_value_add(c->a, v, "date", raw(c, "2018-08-20"));
	zg_value_add_text(c->a, v, "reason", text_of(c->param >> 1));
	zg_value_add_text(c->a, v, "approved_by", "县绩效办");
	char digest[ZG_PLAN_DIGEST_SIZE];
	int rc = zg_plan_digest(it->plan, digest);
	rc |= zg_edit_list_append(c->ed, it->node, "amendments", v);
	rc |= set(c, it, "plan_digest", raw(c, digest));
	return rc;
}

static int apply_op(struct ctx *c, enum op op)
{
	switch (op) {
	case OP_ITEM: return op_item(c);
	case OP_STATUS: return op_status(c);
	case OP_PROGRESS: {
		const struct zg_item *it = item(c);
		return it ? op_progress(c, it) : -1;
	}
	case OP_STEP: return op_step(c);
	case OP_CONTACT: return op_contact(c);
	case OP_SUBMIT: return op_submit(c);
	case OP_PUBLISH: return op_publish(c);
	case OP_VERIFY: return op_verify(c);
	case OP_AMEND: return op_amend(c);
	default: return -1;
	}
}

static const char *const op_names[] = {
	"item", "status", "progress", "step", "contact", "submit", "publish",
	"verify", "amend",
};

/* The two files and what went wrong, for whoever reads the crash. */
static void broken(const char *why, enum op op, unsigned param,
		   const char *before, size_t len, const char *after,
		   size_t after_len, const struct zg_diags *d)
{
	fprintf(stderr, "fuzz_edit: %s (operation %s, parameter %u)\n", why,
		op_names[op], param);
	fprintf(stderr, "---- before (%zu bytes)\n%.*s\n", len, (int)len, before);
	fprintf(stderr, "---- after (%zu bytes)\n%.*s\n----\n", after_len,
		(int)after_len, after);
	for (size_t i = 0; d && i < d->n; i++)
		zg_diag_print(stderr, &d->v[i]);
	abort();
}

/* ---- did it land where it was asked? ---- */

static const char *text_at(const struct zg_node *map, const char *key)
{
	const struct zg_node *v = map && map->kind == ZG_MAPPING
					  ? zg_node_get(map, key) : NULL;
	return v && v->kind == ZG_SCALAR ? v->text : NULL;
}

static bool text_is(const struct zg_node *map, const char *key,
		    const char *want)
{
	const char *t = text_at(map, key);
	return t && strcmp(t, want) == 0;
}

/* Entries of a list value (0 when absent or null), or -1 when not a list. */
static long entries(const struct zg_node *map, const char *key)
{
	const struct zg_node *v = map && map->kind == ZG_MAPPING
					  ? zg_node_get(map, key) : NULL;
	if (!v || zg_node_is_null(v))
		return 0;
	return v->kind == ZG_SEQUENCE ? (long)v->n : -1;
}

static const struct zg_node *last_of(const struct zg_node *map, const char *key)
{
	const struct zg_node *v = zg_node_get(map, key);
	return v && v->kind == ZG_SEQUENCE && v->n ? v->items[v->n - 1] : NULL;
}

/* The entry of the new tree's 'items' at the old item's place. */
static const struct zg_node *same_item(const struct ctx *c,
				       const struct zg_node *again,
				       const struct zg_item *it)
{
	const struct zg_node *old = zg_node_get(c->root, "items");
	const struct zg_node *now = again ? zg_node_get(again, "items") : NULL;
	if (!old || old->kind != ZG_SEQUENCE || !now ||
	    now->kind != ZG_SEQUENCE || now->n < old->n)
		return NULL;
	for (size_t j = 0; j < old->n; j++)
		if (old->items[j] == it->node)
			return now->items[j];
	return NULL;
}

/* Why the edit did not land where it was asked, or NULL. */
static const char *landed(struct ctx *c, enum op op, const struct zg_node *again)
{
	if (!again || again->kind != ZG_MAPPING)
		return "the ledger is no longer a mapping";
	const char *t = text_of(c->param >> 1);
	if (op == OP_ITEM) {
		long before = entries(c->root, "items");
		if (before < 0)
			return NULL;
		if (entries(again, "items") != before + 1 ||
		    !text_is(last_of(again, "items"), "id", "zjj-099"))
			return "the new item is not the last entry of 'items'";
		const struct zg_node *it = last_of(again, "items");
		if (!text_is(it, "group", t) || !text_is(it, "status", "not_started"))
			return "the new item does not read back as written";
		return NULL;
	}
	if (op == OP_CONTACT) {
		const char *id = (c->param & 1) && c->doc && c->doc->nitems &&
					 zg_item_id(&c->doc->items[0])
				 ? zg_item_id(&c->doc->items[0]) : "zjj-001";
		long before = c->root ? entries(c->root, id) : 0;
		long added = 1 + ((c->param >> 1) & 1);
		if (before >= 0 && entries(again, id) != before + added)
			return "the contacts are not the last entries of the id's list";
		return NULL;
	}
	const struct zg_item *it = item(c);
	const struct zg_node *now = it ? same_item(c, again, it) : NULL;
	if (!now)
		return NULL;	/* not in a plain 'items' list: nothing to compare */
	const struct zg_node *old = it->node;
	switch (op) {
	case OP_STATUS:
		if (!text_is(now, "status", (c->param & 1) ? "closed" : "done") ||
		    (!it->completed.node && !text_is(now, "completed", "2018-11-10")) ||
		    ((c->param & 4) && !text_is(now, "result", t)) ||
		    ((c->param & 2) && !text_is(now, "satisfaction", "95.5")))
			return "the item's status, completed, result or satisfaction reads back otherwise";
		break;
	case OP_STEP: {
		const struct zg_node *road = zg_node_get(zg_node_get(now, "plan"), "roadmap");
		size_t k;
		const struct zg_step *step =
			&it->plan->roadmap[(c->param >> 3) % it->plan->nroadmap];
		const struct zg_node *old_road = it->plan->roadmap_node;
		for (k = 0; old_road && k < old_road->n && old_road->items[k] != step->node; k++)
			;
		if (old_road && k < old_road->n &&
		    (!road || road->kind != ZG_SEQUENCE || road->n != old_road->n ||
		     !text_is(road->items[k], "done", "2018-10-12")))
			return "the step's 'done' reads back otherwise";
	}
		/* fall through: a step marked done comes with its progress */
	case OP_PROGRESS: {
		long before = entries(old, "progress");
		if (before >= 0 &&
		    (entries(now, "progress") != before + 1 ||
		     !text_is(last_of(now, "progress"), "note", text_of(c->param >> 2))))
			return "the new progress entry is not the last of the item's 'progress'";
		break;
	}
	case OP_SUBMIT:
		if (!text_is(now, "submitted", "2018-07-05") ||
		    (it->plan && !text_at(now, "plan_digest")))
			return "the item's submitted or plan_digest reads back otherwise";
		break;
	case OP_PUBLISH:
		if (!text_is(zg_node_get(now, "published"), "where", t))
			return "the item's published reads back otherwise";
		break;
	case OP_VERIFY:
		if (!text_is(zg_node_get(now, "verification"), "by", t) ||
		    !text_is(now, "status", "closed"))
			return "the item's verification or status reads back otherwise";
		break;
	case OP_AMEND: {
		long before = entries(old, "amendments");
		if (before >= 0 &&
		    (entries(now, "amendments") != before + 1 ||
		     !text_is(last_of(now, "amendments"), "reason", t)))
			return "the new amendment is not the last of the item's 'amendments'";
		break;
	}
	default:
		break;
	}
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	enum op op = (enum op)(data[size - 1] % OP_COUNT);
	unsigned param = data[size - 2];
	size_t len = size - 2;
	char *buf = malloc(len + 1);	/* zg_read_file's: NUL-terminated */
	if (!buf)
		return 0;
	memcpy(buf, data, len);
	buf[len] = '\0';

	struct zg_arena arena = ZG_ARENA_INIT;
	struct zg_diags d;
	zg_diags_init(&d);
	struct zg_node *root = NULL;
	struct zg_ledger_doc *doc = NULL;
	bool parsed = zg_tree_parse(&arena, "ledgers/zjj.yaml", buf, len, &root,
				    &d) == 0;
	if (parsed && root)
		doc = zg_load_ledger(&arena, "ledgers/zjj.yaml", root, &d);
	/*
	 * record.c edits a ledger only when it has a tree and a document;
	 * private/contacts.yaml may also be comments only (no tree).
	 */
	if (!doc && !(op == OP_CONTACT && parsed && !root)) {
		zg_diags_release(&d);
		zg_arena_release(&arena);
		free(buf);
		return 0;
	}

	struct zg_editor ed;
	zg_editor_init(&ed, buf, len, &arena);
	struct ctx c = { &arena, &ed, root, doc, param };
	char *out = NULL;
	size_t out_len = 0;
	/* A layout record.c refuses to edit is not edited here either. */
	if (zg_edit_layout_known(&ed, root) && apply_op(&c, op) == 0 &&
	    zg_editor_apply(&ed, &out, &out_len) == 0 && ed.n > 0) {
		/* apply sorted the splices: v[0] is the first, v[n-1] the last. */
		size_t first = ed.v[0].start, last = ed.v[ed.n - 1].end;
		if (first > len || last > len || out_len < first + (len - last))
			broken("a splice lies outside the file", op, param, buf,
			       len, out, out_len, NULL);
		if (memcmp(out, buf, first) != 0)
			broken("a byte before the first splice changed", op, param,
			       buf, len, out, out_len, NULL);
		if (memcmp(out + out_len - (len - last), buf + last, len - last) != 0)
			broken("a byte after the last splice changed", op, param,
			       buf, len, out, out_len, NULL);
		struct zg_arena check = ZG_ARENA_INIT;
		struct zg_diags cd;
		zg_diags_init(&cd);
		struct zg_node *again = NULL;
		int rc = zg_tree_parse(&check, "ledgers/zjj.yaml", out, out_len,
				       &again, &cd);
		/* rc == -1: refused by record.c's re-parse (see above). */
		const char *why = rc == 0 ? landed(&c, op, again) : NULL;
		if (why)
			broken(why, op, param, buf, len, out, out_len, &cd);
		zg_diags_release(&cd);
		zg_arena_release(&check);
	}
	free(out);
	zg_editor_release(&ed);
	zg_diags_release(&d);
	zg_arena_release(&arena);
	free(buf);
	return 0;
}
