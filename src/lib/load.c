/*
 * load.c - the format's tables and the one walk that applies them.
 *
 * Each record of model.h has a schema here: its keys, their Chinese names
 * (used in messages and to recognise a key typed in Chinese), their types
 * and where in the record the value goes.  Adding a field to the format is
 * adding a line to a table, a member to the record and a sentence to
 * docs/format.md.
 */
#include "zg/load.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zg/i18n.h"
#include "zg/text.h"

const char *const zg_unit_kind_names[] = { "bureau", "town", "township", NULL };
const char *const zg_category_names[] = { "constructive", "other", NULL };
const char *const zg_status_names[] = {
	"not_started", "in_progress", "staged", "done", "closed", NULL,
};
const char *const zg_verdict_names[] = {
	"属实", "基本属实", "部分属实", "不属实", NULL,
};
const char *const zg_evidence_kind_names[] = {
	"plan", "notice", "minutes", "call", "statistics",
	"photo", "media", "report", "other", NULL,
};

/* What people write when they think in the paper form's words. */
static const char *const unit_kind_zh[] = { "局", "镇", "乡", NULL };
static const char *const category_zh[] = { "建设性", "其他类", NULL };
static const char *const status_zh[] = {
	"未启动", "推进中", "阶段性完成", "已完成", "已销号", NULL,
};
static const char *const evidence_kind_zh[] = {
	"工作方案", "通知", "会议记录", "通话记录", "统计数据",
	"图片", "声像", "报告", "其他", NULL,
};

enum field_type {
	T_TEXT,
	T_DATE,
	T_INT,
	T_NUMBER,
	T_ENUM,
	T_MAP,
	T_SEQ,
	T_DIGEST,	/* sha256:<64 hex> */
	T_SHA256,	/* <64 hex> */
};

enum {
	F_REQUIRED = 1,
	F_NONEMPTY = 2,	/* a sequence that needs at least one entry */
};

#define NO_OFFSET SIZE_MAX

struct schema;

struct field {
	const char *key;
	const char *zh;
	enum field_type type;
	size_t off;
	unsigned flags;
	const struct schema *sub;	/* T_MAP, T_SEQ */
	size_t count_off, seq_node_off;	/* T_SEQ */
	const char *const *names;	/* T_ENUM */
	const char *const *names_zh;
	const char *rule;		/* T_ENUM: rule when not in list */
	double min, max;		/* T_INT, T_NUMBER */
};

struct schema {
	const char *where;	/* how messages name this level */
	size_t size;
	size_t node_off;
	const char *shorthand;	/* key that a bare scalar stands for */
	bool is_item;
	const struct field *fields;
	size_t nfields;
};

#define TEXT(k, zh, S, m, fl) \
	{ k, zh, T_TEXT, offsetof(struct S, m), fl, NULL, 0, 0, NULL, NULL, NULL, 0, 0 }
#define DATE(k, zh, S, m, fl) \
	{ k, zh, T_DATE, offsetof(struct S, m), fl, NULL, 0, 0, NULL, NULL, NULL, 0, 0 }
#define NUM(k, zh, type, S, m, fl, lo, hi) \
	{ k, zh, type, offsetof(struct S, m), fl, NULL, 0, 0, NULL, NULL, NULL, lo, hi }
#define ENUM(k, zh, S, m, fl, names, zhn, rule) \
	{ k, zh, T_ENUM, offsetof(struct S, m), fl, NULL, 0, 0, names, zhn, rule, 0, 0 }
#define MAP(k, zh, S, m, fl, sub) \
	{ k, zh, T_MAP, offsetof(struct S, m), fl, &sub, 0, 0, NULL, NULL, NULL, 0, 0 }
#define SEQ(k, zh, S, m, fl, sub, cnt, nd) \
	{ k, zh, T_SEQ, offsetof(struct S, m), fl, &sub, offsetof(struct S, cnt), nd, NULL, NULL, NULL, 0, 0 }
#define HEX(k, zh, type, S, m) \
	{ k, zh, type, offsetof(struct S, m), 0, NULL, 0, 0, NULL, NULL, NULL, 0, 0 }
#define SCHEMA(w, S, sh, item, f) \
	{ w, sizeof(struct S), offsetof(struct S, node), sh, item, f, sizeof f / sizeof f[0] }

/* ---- zg.yaml ---- */

static const struct field unit_fields[] = {
	TEXT("code", "单位代码", zg_unit, code, F_REQUIRED),
	TEXT("name", "单位名称", zg_unit, name, F_REQUIRED),
	ENUM("kind", "单位类型", zg_unit, kind, F_REQUIRED, zg_unit_kind_names, unit_kind_zh, NULL),
};
static const struct schema unit_schema = SCHEMA("units", zg_unit, NULL, false, unit_fields);

static const struct field deadline_fields[] = {
	DATE("submit", "材料报送", zg_deadlines, submit, F_REQUIRED),
	DATE("publicise", "公示材料报送", zg_deadlines, publicise, F_REQUIRED),
	DATE("complete", "整改完成", zg_deadlines, complete, F_REQUIRED),
	DATE("self_review", "自评", zg_deadlines, self_review, F_REQUIRED),
};
static const struct schema deadlines_schema = SCHEMA("deadlines", zg_deadlines, NULL, false, deadline_fields);

static const struct field config_fields[] = {
	NUM("zg", "格式版本", T_INT, zg_config, version, F_REQUIRED, 1, 1),
	TEXT("county", "县（区）", zg_config, county, F_REQUIRED),
	TEXT("office", "绩效办", zg_config, office, F_REQUIRED),
	NUM("evaluation_year", "考评年度", T_INT, zg_config, evaluation_year, F_REQUIRED, 2000, 2100),
	MAP("deadlines", "时间节点", zg_config, deadlines, F_REQUIRED, deadlines_schema),
	SEQ("units", "整改责任单位", zg_config, units, F_REQUIRED, unit_schema, nunits, NO_OFFSET),
};
static const struct schema config_schema = SCHEMA("zg.yaml", zg_config, NULL, false, config_fields);

/* ---- ledgers ---- */

static const struct field suggestion_fields[] = {
	NUM("no", "意见建议序号", T_INT, zg_suggestion, no, 0, 1, 1e9),
	TEXT("text", "意见建议内容", zg_suggestion, text, F_REQUIRED),
};
static const struct schema suggestion_schema = SCHEMA("suggestions", zg_suggestion, "text", false, suggestion_fields);

static const struct field step_fields[] = {
	DATE("due", "时限", zg_step, due, 0),
	TEXT("step", "步骤", zg_step, step, 0),
	DATE("done", "完成日期", zg_step, done, 0),
};
static const struct schema step_schema = SCHEMA("plan.roadmap", zg_step, NULL, false, step_fields);

static const struct field owner_fields[] = {
	TEXT("leader", "责任领导", zg_owner, leader, 0),
	TEXT("unit", "责任股室", zg_owner, unit, 0),
	TEXT("person", "责任人", zg_owner, person, 0),
};
static const struct schema owner_schema = SCHEMA("plan.owner", zg_owner, NULL, false, owner_fields);

static const struct field plan_fields[] = {
	TEXT("goal", "整改目标", zg_plan, goal, 0),
	TEXT("task", "量化的工作任务", zg_plan, task, 0),
	TEXT("standard", "整改标准", zg_plan, standard, 0),
	SEQ("roadmap", "推进路线图", zg_plan, roadmap, 0, step_schema, nroadmap, offsetof(struct zg_plan, roadmap_node)),
	DATE("start", "开始时间", zg_plan, start, 0),
	DATE("due", "完成时限", zg_plan, due, 0),
	TEXT("stage_target", "当年度整改目标", zg_plan, stage_target, 0),
	MAP("owner", "责任主体", zg_plan, owner, 0, owner_schema),
	TEXT("outcome", "成果形式", zg_plan, outcome, 0),
};
static const struct schema plan_schema = SCHEMA("plan", zg_plan, NULL, false, plan_fields);

static const struct field evidence_fields[] = {
	TEXT("file", "文件", zg_evidence, file, F_REQUIRED),
	ENUM("kind", "材料类型", zg_evidence, kind, 0, zg_evidence_kind_names, evidence_kind_zh, NULL),
	HEX("sha256", "校验值", T_SHA256, zg_evidence, sha256),
};
static const struct schema evidence_schema = SCHEMA("progress.evidence", zg_evidence, "file", false, evidence_fields);

static const struct field progress_fields[] = {
	DATE("date", "日期", zg_progress, date, F_REQUIRED),
	TEXT("note", "进展情况", zg_progress, note, F_REQUIRED),
	SEQ("evidence", "佐证材料", zg_progress, evidence, 0, evidence_schema, nevidence, offsetof(struct zg_progress, evidence_node)),
};
static const struct schema progress_schema = SCHEMA("progress", zg_progress, NULL, false, progress_fields);

static const struct field amendment_fields[] = {
	DATE("date", "日期", zg_amendment, date, F_REQUIRED),
	TEXT("reason", "修改理由", zg_amendment, reason, F_REQUIRED),
	TEXT("approved_by", "批准单位", zg_amendment, approved_by, F_REQUIRED),
};
static const struct schema amendment_schema = SCHEMA("amendments", zg_amendment, NULL, false, amendment_fields);

static const struct field publication_fields[] = {
	DATE("date", "公示日期", zg_publication, date, F_REQUIRED),
	TEXT("where", "公示地点", zg_publication, where, F_REQUIRED),
};
static const struct schema publication_schema = SCHEMA("published", zg_publication, NULL, false, publication_fields);

static const struct field verification_fields[] = {
	DATE("date", "核验日期", zg_verification, date, F_REQUIRED),
	TEXT("by", "核验单位", zg_verification, by, F_REQUIRED),
	NUM("score", "核验得分", T_NUMBER, zg_verification, score, 0, 0, 100),
};
static const struct schema verification_schema = SCHEMA("verification", zg_verification, NULL, false, verification_fields);

static const struct field item_fields[] = {
	TEXT("id", "事项编号", zg_item, id, F_REQUIRED),
	ENUM("category", "意见建议类别", zg_item, category, F_REQUIRED, zg_category_names, category_zh, NULL),
	SEQ("suggestions", "意见建议", zg_item, suggestions, F_REQUIRED | F_NONEMPTY, suggestion_schema, nsuggestions, offsetof(struct zg_item, suggestions_node)),
	TEXT("group", "归类", zg_item, group, 0),
	DATE("received", "接收日期", zg_item, received, 0),
	TEXT("investigation", "调查摸底情况", zg_item, investigation, 0),
	ENUM("verdict", "调查结论", zg_item, verdict, 0, zg_verdict_names, NULL, NULL),
	MAP("plan", "整改方案", zg_item, plan, 0, plan_schema),
	TEXT("explanation", "情况说明", zg_item, explanation, 0),
	TEXT("cause", "原因分析", zg_item, cause, 0),
	DATE("submitted", "报送日期", zg_item, submitted, 0),
	HEX("plan_digest", "方案摘要", T_DIGEST, zg_item, plan_digest),
	SEQ("amendments", "方案修改记录", zg_item, amendments, 0, amendment_schema, namendments, offsetof(struct zg_item, amendments_node)),
	MAP("published", "公示", zg_item, published, 0, publication_schema),
	SEQ("progress", "整改进展", zg_item, progress, 0, progress_schema, nprogress, offsetof(struct zg_item, progress_node)),
	ENUM("status", "整改状态", zg_item, status, F_REQUIRED, zg_status_names, status_zh, ZG_RULE_STATUS),
	DATE("completed", "完成时间", zg_item, completed, 0),
	TEXT("result", "整改成效", zg_item, result, 0),
	NUM("satisfaction", "群众满意度", T_NUMBER, zg_item, satisfaction, 0, 0, 100),
	MAP("verification", "核验", zg_item, verification, 0, verification_schema),
};
static const struct schema item_schema = SCHEMA("items", zg_item, NULL, true, item_fields);

static const struct field ledger_fields[] = {
	TEXT("unit", "整改责任单位", zg_ledger_doc, unit, F_REQUIRED),
	SEQ("items", "整改事项", zg_ledger_doc, items, F_REQUIRED, item_schema, nitems, offsetof(struct zg_ledger_doc, items_node)),
};
static const struct schema ledger_schema = SCHEMA("ledger", zg_ledger_doc, NULL, false, ledger_fields);

/* Every level, for "this key belongs elsewhere" hints. */
static const struct schema *const all_schemas[] = {
	&item_schema, &plan_schema, &owner_schema, &step_schema,
	&progress_schema, &evidence_schema, &suggestion_schema,
	&amendment_schema, &publication_schema, &verification_schema,
	&ledger_schema, &config_schema, &deadlines_schema, &unit_schema,
};

enum { MAX_FIELDS = 32 };

struct walk {
	struct zg_arena *arena;
	const char *file;
	struct zg_diags *diags;
	const char *item;	/* id of the item being walked, for messages */
	bool oom;
};

static void finding(struct walk *w, const char *rule,
		    const struct zg_node *at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void finding(struct walk *w, const char *rule,
		    const struct zg_node *at, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	zg_diag_add_text(w->diags, ZG_ERROR, rule, w->file, at->start.line,
			 at->start.column, w->item, msg);
}

static const char *kind_name(const struct zg_node *n)
{
	switch (n->kind) {
	case ZG_MAPPING: return _("a mapping");
	case ZG_SEQUENCE: return _("a list");
	default: return _("text");
	}
}

static void *slot(void *record, size_t off)
{
	return (char *)record + off;
}

static bool expect_scalar(struct walk *w, const struct field *f,
			  const struct zg_node *v)
{
	if (v->kind == ZG_SCALAR)
		return true;
	finding(w, ZG_RULE_TYPE, v, _("'%s' (%s) must be a single value, not %s"),
		f->key, f->zh, kind_name(v));
	return false;
}

/*
 * The bytes walk_text stops at: NUL, C0 controls but tab and line breaks,
 * DEL, and C2 (the lead byte of the C1 controls U+0080..U+009F).
 */
static const bool control_lead[256] = {
	[0x00] = true, [0x01] = true, [0x02] = true, [0x03] = true,
	[0x04] = true, [0x05] = true, [0x06] = true, [0x07] = true,
	[0x08] = true, [0x0B] = true, [0x0C] = true, [0x0E] = true,
	[0x0F] = true, [0x10] = true, [0x11] = true, [0x12] = true,
	[0x13] = true, [0x14] = true, [0x15] = true, [0x16] = true,
	[0x17] = true, [0x18] = true, [0x19] = true, [0x1A] = true,
	[0x1B] = true, [0x1C] = true, [0x1D] = true, [0x1E] = true,
	[0x1F] = true, [0x7F] = true, [0xC2] = true,
};

/*
 * u advanced eight bytes at a time over bytes that need no look: none
 * below 0x20, DEL or 0xC2 (word-at-a-time tests, exact for each of the
 * three).  Texts are long and almost never hold one, so walk_text looks
 * at most bytes in eights.  Reads only below end.
 */
static const unsigned char *skip_plain(const unsigned char *u,
				       const unsigned char *end)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	while (end - u >= 8) {
		uint64_t x, del, c2;
		memcpy(&x, u, sizeof x);
		del = x ^ ones * 0x7F;
		c2 = x ^ ones * 0xC2;
		if (((x - ones * 0x20) & ~x & highs) |
		    ((del - ones) & ~del & highs) | ((c2 - ones) & ~c2 & highs))
			break;
		u += 8;
	}
	return u;
}

static void walk_text(struct walk *w, const struct field *f,
		      const struct zg_node *v, void *rec)
{
	if (!expect_scalar(w, f, v))
		return;
	/*
	 * Control characters (written as escapes in quotes) would reach a
	 * terminal or a report raw: an ESC can retitle a window or clear a
	 * screen.  Tab and line breaks are text.  One pass finds the first
	 * control character and the end; a NUL before len is said first.
	 */
	const unsigned char *u = (const unsigned char *)v->text;
	const unsigned char *end = u + v->len, *ctrl = NULL;
	for (;;) {
		u = skip_plain(u, end);
		if (!control_lead[*u]) {
			u++;
			continue;
		}
		if (!*u)
			break;
		if (*u != 0xC2 || (u[1] >= 0x80 && u[1] <= 0x9F)) {
			ctrl = u;
			u += strlen((const char *)u);
			break;
		}
		u++;
	}
	if ((size_t)(u - (const unsigned char *)v->text) != v->len) {
		finding(w, ZG_RULE_TYPE, v,
			_("'%s' (%s) contains a NUL character ('\\0')"), f->key,
			f->zh);
		return;
	}
	if (ctrl) {
		finding(w, ZG_RULE_TYPE, v,
			_("'%s' (%s) contains a control character (U+%04X); remove it"),
			f->key, f->zh, *ctrl == 0xC2 ? ctrl[1] : *ctrl);
		return;
	}
	if (v->text[strspn(v->text, " \t\r\n")] == '\0') {
		if (f->flags & F_REQUIRED)
			finding(w, ZG_RULE_REQUIRED, v,
				_("'%s' (%s) is blank, and it is required"),
				f->key, f->zh);
		return;
	}
	*(const struct zg_node **)slot(rec, f->off) = v;
}

static void walk_date(struct walk *w, const struct field *f,
		      const struct zg_node *v, void *rec)
{
	if (!expect_scalar(w, f, v))
		return;
	struct zg_date_field *d = slot(rec, f->off);
	d->node = v;
	d->ok = zg_date_parse(v->text, v->len, &d->date);
	if (d->ok)
		return;
	char shown[ZG_EXCERPT_SIZE];
	zg_text_excerpt(v->text, shown, sizeof shown);
	struct zg_date shape;
	bool looks = v->len == 10 && v->text[4] == '-' && v->text[7] == '-';
	if (looks && sscanf(v->text, "%4d-%2d-%2d", &shape.year, &shape.month,
			    &shape.day) == 3)
		finding(w, ZG_RULE_DATE, v,
			_("'%s' (%s) is %s, a day that does not exist"),
			f->key, f->zh, shown);
	else
		finding(w, ZG_RULE_DATE, v,
			_("'%s' (%s) is '%s', not a date; write YYYY-MM-DD, e.g. 2018-07-06"),
			f->key, f->zh, shown);
}

static void walk_number(struct walk *w, const struct field *f,
			const struct zg_node *v, void *rec)
{
	if (!expect_scalar(w, f, v))
		return;
	struct zg_number_field *num = slot(rec, f->off);
	num->node = v;
	const char *s = v->text;
	char *end = NULL;
	errno = 0;
	double x = strtod(s, &end);
	bool ok = *s && end && *end == '\0' && errno == 0 && isfinite(x) &&
		  !(s[0] == ' ' || s[0] == '+' || s[0] == '\t') &&
		  strspn(s, "0123456789.-eE") == v->len;
	if (ok && f->type == T_INT)
		ok = strspn(s, "0123456789-") == v->len && x == floor(x);
	if (ok && x >= f->min && x <= f->max) {
		num->value = x;
		num->ok = true;
		return;
	}
	char shown[ZG_EXCERPT_SIZE];
	zg_text_excerpt(s, shown, sizeof shown);
	if (ok) {
		finding(w, ZG_RULE_TYPE, v,
			_("'%s' (%s) is %s, outside %g..%g"), f->key, f->zh,
			shown, f->min, f->max);
		return;
	}
	finding(w, ZG_RULE_TYPE, v,
		f->type == T_INT
			? _("'%s' (%s) must be a whole number, not '%s'")
			: _("'%s' (%s) must be a number, not '%s'"),
		f->key, f->zh, shown);
}

static int name_index(const char *const *names, const char *s)
{
	for (int i = 0; names && names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

static size_t count_names(const char *const *names)
{
	size_t n = 0;
	while (names[n])
		n++;
	return n;
}

static void join_names(const char *const *names, char *buf, size_t size)
{
	buf[0] = '\0';
	for (size_t i = 0; names[i]; i++) {
		size_t used = strlen(buf);
		snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
			 names[i]);
	}
}

static void walk_enum(struct walk *w, const struct field *f,
		      const struct zg_node *v, void *rec)
{
	if (!expect_scalar(w, f, v))
		return;
	struct zg_enum_field *e = slot(rec, f->off);
	e->node = v;
	e->value = name_index(f->names, v->text);
	if (e->value >= 0)
		return;
	const char *rule = f->rule ? f->rule : ZG_RULE_TYPE;
	char shown[ZG_EXCERPT_SIZE];
	zg_text_excerpt(v->text, shown, sizeof shown);
	char list[256];
	join_names(f->names, list, sizeof list);
	int zh = name_index(f->names_zh, v->text);
	const char *near = zh >= 0 ? f->names[zh]
				   : zg_nearest(v->text, f->names,
						count_names(f->names));
	if (near)
		finding(w, rule, v,
			_("'%s' (%s) is '%s'; did you mean '%s'? (one of: %s)"),
			f->key, f->zh, shown, near, list);
	else
		finding(w, rule, v, _("'%s' (%s) is '%s', not one of: %s"),
			f->key, f->zh, shown, list);
}

static bool is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static void walk_hex(struct walk *w, const struct field *f,
		     const struct zg_node *v, void *rec)
{
	if (!expect_scalar(w, f, v))
		return;
	bool ok = f->type == T_DIGEST
			  ? v->len == 71 && strncmp(v->text, "sha256:", 7) == 0 &&
				    is_hex(v->text + 7, 64)
			  : v->len == 64 && is_hex(v->text, 64);
	if (!ok) {
		finding(w, ZG_RULE_TYPE, v,
			f->type == T_DIGEST
				? _("'%s' (%s) must be 'sha256:' and 64 lowercase hex digits; zg-add submit writes it")
				: _("'%s' (%s) must be 64 lowercase hex digits (sha256sum's output)"),
			f->key, f->zh);
		return;
	}
	*(const struct zg_node **)slot(rec, f->off) = v;
}

static void *walk_record(struct walk *w, const struct schema *s,
			 const struct zg_node *n, void *rec);

static void walk_map(struct walk *w, const struct field *f,
		     const struct zg_node *v, void *rec)
{
	if (v->kind != ZG_MAPPING) {
		finding(w, ZG_RULE_TYPE, v,
			_("'%s' (%s) must be a mapping of keys and values, not %s"),
			f->key, f->zh, kind_name(v));
		return;
	}
	void *sub = zg_arena_alloc(w->arena, f->sub->size);
	if (!sub) {
		w->oom = true;
		return;
	}
	walk_record(w, f->sub, v, sub);
	*(void **)slot(rec, f->off) = sub;
}

static void walk_seq(struct walk *w, const struct field *f,
		     const struct zg_node *v, void *rec)
{
	if (v->kind != ZG_SEQUENCE) {
		finding(w, ZG_RULE_TYPE, v,
			_("'%s' (%s) must be a list (entries starting with '- '), not %s"),
			f->key, f->zh, kind_name(v));
		return;
	}
	if (f->seq_node_off != NO_OFFSET)
		*(const struct zg_node **)slot(rec, f->seq_node_off) = v;
	if (v->n == 0) {
		if (f->flags & F_NONEMPTY)
			finding(w, ZG_RULE_REQUIRED, v,
				_("'%s' (%s) needs at least one entry"), f->key,
				f->zh);
		return;
	}
	char *elems = zg_arena_alloc(w->arena, v->n * f->sub->size);
	if (!elems) {
		w->oom = true;
		return;
	}
	size_t kept = 0;
	for (size_t i = 0; i < v->n; i++)
		if (walk_record(w, f->sub, v->items[i], elems + kept * f->sub->size))
			kept++;
	*(void **)slot(rec, f->off) = elems;
	*(size_t *)slot(rec, f->count_off) = kept;
}

static void walk_field(struct walk *w, const struct field *f,
		       const struct zg_node *v, void *rec)
{
	switch (f->type) {
	case T_TEXT: walk_text(w, f, v, rec); break;
	case T_DATE: walk_date(w, f, v, rec); break;
	case T_INT:
	case T_NUMBER: walk_number(w, f, v, rec); break;
	case T_ENUM: walk_enum(w, f, v, rec); break;
	case T_MAP: walk_map(w, f, v, rec); break;
	case T_SEQ: walk_seq(w, f, v, rec); break;
	case T_DIGEST:
	case T_SHA256: walk_hex(w, f, v, rec); break;
	}
}

static const struct field *find_field(const struct schema *s, const char *key)
{
	/* Two bytes first: many keys share their first letter. */
	for (size_t i = 0; i < s->nfields; i++)
		if (s->fields[i].key[0] == key[0] && key[0] &&
		    s->fields[i].key[1] == key[1] &&
		    strcmp(s->fields[i].key, key) == 0)
			return &s->fields[i];
	return NULL;
}

/* The field a key names: a scalar key with no NUL in it, or none. */
static const struct field *key_field(const struct schema *s,
				     const struct zg_node *key)
{
	return key->kind == ZG_SCALAR && key->len == strlen(key->text)
		       ? find_field(s, key->text)
		       : NULL;
}

/* True when key names zg.yaml's units. */
static bool names_units(const struct zg_node *key)
{
	const struct field *f = key_field(&config_schema, key);
	return f && f->sub == &unit_schema;
}

/*
 * True when key is the Chinese name or its tail ("状态" for "整改状态"),
 * as clerks shorten the form's words; at least two characters.
 */
static bool ends_with_word(const char *zh, const char *key)
{
	size_t n = strlen(zh), k = strlen(key);
	return k >= 6 && k <= n && strcmp(zh + n - k, key) == 0 &&
	       ((unsigned char)key[0] & 0xC0) != 0x80;
}

static void unknown_key(struct walk *w, const struct schema *s,
			const struct zg_node *key)
{
	const char *keys[MAX_FIELDS];
	for (size_t i = 0; i < s->nfields; i++)
		keys[i] = s->fields[i].key;
	char shown[ZG_EXCERPT_SIZE];
	zg_text_excerpt(key->text, shown, sizeof shown);
	for (size_t i = 0; i < s->nfields; i++) {
		if (ends_with_word(s->fields[i].zh, key->text)) {
			finding(w, ZG_RULE_UNKNOWN_KEY, key,
				_("unknown key '%s' in %s; did you mean '%s' (%s)? keys are written in English"),
				shown, s->where, keys[i], s->fields[i].zh);
			return;
		}
	}
	const char *near = zg_nearest(key->text, keys, s->nfields);
	if (near) {
		finding(w, ZG_RULE_UNKNOWN_KEY, key,
			_("unknown key '%s' in %s; did you mean '%s'?"),
			shown, s->where, near);
		return;
	}
	for (size_t i = 0; i < sizeof all_schemas / sizeof *all_schemas; i++) {
		const struct schema *other = all_schemas[i];
		for (size_t k = 0; other != s && k < other->nfields; k++) {
			const struct field *f = &other->fields[k];
			if (ends_with_word(f->zh, key->text)) {
				finding(w, ZG_RULE_UNKNOWN_KEY, key,
					_("unknown key '%s' in %s; did you mean '%s' (%s) of %s? keys are written in English"),
					shown, s->where, f->key, f->zh,
					other->where);
				return;
			}
		}
	}
	for (size_t i = 0; i < sizeof all_schemas / sizeof *all_schemas; i++) {
		const struct schema *other = all_schemas[i];
		if (other != s && find_field(other, key->text)) {
			finding(w, ZG_RULE_UNKNOWN_KEY, key,
				_("unknown key '%s' in %s; '%s' belongs in %s (check the indentation)"),
				shown, s->where, shown, other->where);
			return;
		}
	}
	char list[512];
	list[0] = '\0';
	for (size_t i = 0; i < s->nfields; i++) {
		size_t used = strlen(list);
		snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
			 keys[i]);
	}
	finding(w, ZG_RULE_UNKNOWN_KEY, key,
		_("unknown key '%s' in %s; the keys here are: %s"), shown,
		s->where, list);
}

/*
 * Fills rec from n by schema s.  Returns rec, or NULL when n has the wrong
 * shape for a record at all (reported), so that lists keep only records.
 */
static void *walk_record(struct walk *w, const struct schema *s,
			 const struct zg_node *n, void *rec)
{
	const char *outer_item = w->item;
	*(const struct zg_node **)slot(rec, s->node_off) = n;
	for (size_t i = 0; i < s->nfields; i++)
		if (s->fields[i].type == T_ENUM)
			((struct zg_enum_field *)slot(rec, s->fields[i].off))
				->value = -1;

	if (n->kind == ZG_SCALAR && s->shorthand && !zg_node_is_null(n)) {
		walk_field(w, find_field(s, s->shorthand), n, rec);
		return rec;
	}
	if (zg_node_is_null(n)) {
		finding(w, ZG_RULE_TYPE, n,
			_("an empty entry in %s; fill it in or remove its '-' line"),
			s->where);
		return NULL;
	}
	if (n->kind != ZG_MAPPING) {
		if (s->shorthand)
			finding(w, ZG_RULE_TYPE, n,
				_("an entry of %s must be text or a mapping with '%s', not %s"),
				s->where, s->shorthand, kind_name(n));
		else
			finding(w, ZG_RULE_TYPE, n,
				_("an entry of %s must be a mapping of keys and values, not %s"),
				s->where, kind_name(n));
		return NULL;
	}
	if (s->is_item)
		w->item = zg_node_text(zg_node_get(n, "id"));

	bool seen[MAX_FIELDS] = { false };
	for (size_t i = 0; i < n->n; i++) {
		const struct zg_pair *p = &n->pairs[i];
		if (p->duplicate || p->key->kind != ZG_SCALAR)
			continue;
		const struct field *f = key_field(s, p->key);
		if (!f) {
			unknown_key(w, s, p->key);
			continue;
		}
		seen[f - s->fields] = true;
		if (zg_node_is_null(p->value)) {
			if (f->flags & F_REQUIRED)
				finding(w, ZG_RULE_REQUIRED, p->key,
					_("'%s' (%s) is empty, and %s needs it"),
					f->key, f->zh, s->where);
			continue;
		}
		walk_field(w, f, p->value, rec);
	}
	for (size_t i = 0; i < s->nfields; i++) {
		const struct field *f = &s->fields[i];
		if ((f->flags & F_REQUIRED) && !seen[i])
			finding(w, ZG_RULE_REQUIRED, n,
				_("missing required field '%s' (%s) in %s"),
				f->key, f->zh, s->where);
	}
	w->item = outer_item;
	return rec;
}

static void *load_root(struct zg_arena *arena, const char *file,
		       const struct zg_node *root, struct zg_diags *diags,
		       const struct schema *s, const char *what)
{
	struct walk w = { arena, file, diags, NULL, false };
	if (!root) {
		zg_diag_add(diags, ZG_ERROR, ZG_RULE_REQUIRED, file, 1, 1,
			    NULL, _("the file is empty; %s"), what);
		return NULL;
	}
	if (root->kind != ZG_MAPPING) {
		finding(&w, ZG_RULE_TYPE, root,
			_("the file is %s, but %s"), kind_name(root), what);
		return NULL;
	}
	void *rec = zg_arena_alloc(arena, s->size);
	if (!rec) {
		diags->oom = true;
		return NULL;
	}
	walk_record(&w, s, root, rec);
	if (w.oom) {
		diags->oom = true;
		return NULL;
	}
	return rec;
}

struct zg_config *zg_load_config(struct zg_arena *arena, const char *file,
				 const struct zg_node *root,
				 struct zg_diags *diags)
{
	return load_root(arena, file, root, diags, &config_schema,
			 _("zg.yaml is a mapping with zg, county, office, evaluation_year, deadlines and units"));
}

/* The entries of zg.yaml's units, typed and handed on as they are read. */
struct unit_taker {
	struct walk w;			/* findings go to a list of their own */
	const struct zg_node *key;	/* the units key whose entries are taken */
	zg_unit_sink add;
	void *ctx;
};

static int take_unit(void *ctx, const struct zg_node *key,
		     const struct zg_node *entry)
{
	struct unit_taker *t = ctx;
	/* Only the first units key's: a second is the loader's to report. */
	if (t->key ? key != t->key : !names_units(key))
		return 0;
	t->key = key;
	struct zg_unit u;
	memset(&u, 0, sizeof u);
	if (!walk_record(&t->w, &unit_schema, entry, &u))
		return 1;
	if (t->w.oom || t->w.diags->oom)
		return -1;
	return t->add(t->ctx, &u) == 0 ? 1 : -1;
}

struct zg_config *zg_load_config_text(struct zg_arena *arena,
				      const char *file, const char *buf,
				      size_t len, struct zg_diags *diags,
				      zg_unit_sink add, void *ctx, int *rc,
				      bool *units_read)
{
	*units_read = true;
	struct zg_diags of_units;
	zg_diags_init(&of_units);
	struct unit_taker t = {
		{ arena, file, &of_units, NULL, false }, NULL, add, ctx,
	};
	struct zg_node *root = NULL;
	struct zg_config *c = NULL;
	*rc = zg_tree_parse_taking(arena, file, buf, len, &root, diags,
				   take_unit, &t);
	if (*rc == 0) {
		c = zg_load_config(arena, file, root, diags);
		/* The loader reads the first key that names units; the
		 * entries taken may be of a later one, which it refuses, and
		 * whose findings are then not the file's either. */
		const struct zg_node *read = NULL;
		for (size_t i = 0; c && !read && i < root->n; i++)
			if (!root->pairs[i].duplicate &&
			    names_units(root->pairs[i].key))
				read = root->pairs[i].key;
		*units_read = t.key == read;
		/* Sorted by place, they fall where a whole tree puts them. */
		if (*units_read)
			zg_diags_append(diags, &of_units);
	}
	if (of_units.oom)
		diags->oom = true;
	zg_diags_release(&of_units);
	return c;
}

struct zg_ledger_doc *zg_load_ledger(struct zg_arena *arena, const char *file,
				     const struct zg_node *root,
				     struct zg_diags *diags)
{
	return load_root(arena, file, root, diags, &ledger_schema,
			 _("a ledger is a mapping with 'unit' and 'items'"));
}
