/*
 * report.c - the forms of the rectification work as tables.
 *
 * Cells are arena strings, masked as they are made; a line break inside a
 * cell is kept as '\n' and left to each writer (CSV keeps it, Markdown
 * turns it into '；').
 */
#include "zg/report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zg/i18n.h"
#include "zg/privacy.h"
#include "zg/writer.h"

static const char *const measures_headers[] = {
	"序号", "责任单位", "意见建议", "整改目标", "整改措施", "推进路线图",
	"整改标准", "完成时限", "责任领导", "责任股室", "责任人", "成果形式",
};
static const char *const explanations_headers[] = {
	"序号", "责任单位", "意见建议", "调查情况", "原因分析", "情况说明",
	"佐证材料",
};
static const char *const completion_headers[] = {
	"序号", "责任单位", "意见建议", "整改措施", "完成时限", "完成时间",
	"完成情况", "整改成效", "群众满意度", "佐证材料",
};
static const char *const progress_headers[] = {
	"责任单位", "事项总数", "建设性", "其他类", "未启动", "推进中",
	"阶段性完成", "已完成", "已销号", "逾期", "完成率", "本期进展",
};
static const char *const overdue_headers[] = {
	"责任单位", "事项编号", "意见建议", "完成时限", "逾期天数",
};
static const char *const status_zh[] = {
	"未启动", "推进中", "阶段性完成", "已完成", "已销号",
};

#define COUNT(a) (sizeof a / sizeof *a)

int zg_report_kind_parse(const char *name)
{
	static const char *const names[] = {
		"measures", "explanations", "completion", "progress", "plan",
	};
	for (size_t i = 0; i < COUNT(names); i++)
		if (strcmp(name, names[i]) == 0)
			return (int)i;
	return -1;
}

struct build {
	const struct zg_project *p;
	const struct zg_report_options *o;	/* the report's own copy */
	/*
	 * Where cells go: the main table's rows into r->pending, freed each
	 * time the writer has taken them; everything kept to the end
	 * (titles, the progress and overdue tables, the plan) into r->arena.
	 */
	struct zg_arena *cells;
	const struct zg_diags *d;
	struct zg_report *r;
	bool oom;
};

/* A masked copy of s in the report's arena ("" for NULL). */
static const char *cell(struct build *b, const char *s)
{
	if (!s)
		return "";
	char *masked = zg_pii_mask(s);
	/* A block scalar's final line break is layout, not content. */
	size_t n = masked ? strlen(masked) : 0;
	while (n > 0 && strchr(" \t\r\n", masked[n - 1]))
		n--;
	const char *c = masked ? zg_arena_strndup(b->cells, masked, n) : NULL;
	free(masked);
	if (!c) {
		b->oom = true;
		return "";
	}
	return c;
}

static const char *cellf(struct build *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static const char *cellf(struct build *b, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return cell(b, buf);
}

/* Text joined line by line, grown in a malloc'd buffer. */
struct lines {
	char *s;
	size_t len;
	bool oom;
};

static void add_line(struct lines *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_line(struct lines *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || l->oom)
		return;
	char *s = realloc(l->s, l->len + (size_t)n + 2);
	if (!s) {
		l->oom = true;
		return;
	}
	l->s = s;
	if (l->len)
		l->s[l->len++] = '\n';
	va_start(ap, fmt);
	vsnprintf(l->s + l->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	l->len += (size_t)n;
}

static const char *lines_cell(struct build *b, struct lines *l)
{
	if (l->oom)
		b->oom = true;
	const char *c = cell(b, l->s ? l->s : "");
	free(l->s);
	return c;
}

static void table_init(struct zg_table *t, const char *title,
		       const char *const *headers, size_t ncols)
{
	memset(t, 0, sizeof *t);
	t->title = title;
	t->headers = headers;
	t->ncols = ncols;
}

/* A new row of empty cells; NULL on out of memory. */
static const char **table_row(struct build *b, struct zg_table *t)
{
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		const char **cells = zg_arena_alloc(b->cells,
						    cap * t->ncols * sizeof *cells);
		if (!cells) {
			b->oom = true;
			return NULL;
		}
		if (t->nrows)
			memcpy(cells, t->cells, t->nrows * t->ncols * sizeof *cells);
		t->cells = cells;
		t->cap = cap;
	}
	const char **row = t->cells + t->nrows++ * t->ncols;
	for (size_t i = 0; i < t->ncols; i++)
		row[i] = "";
	return row;
}

/* ---- what the cells say ---- */

static const char *unit_name(const struct zg_ledger *l)
{
	const char *name = l->unit ? l->unit->name : NULL;
	return name ? name : l->code;
}

static const char *suggestions_cell(struct build *b, const struct zg_item *it)
{
	struct lines l = { 0 };
	for (size_t i = 0; i < it->nsuggestions; i++) {
		const struct zg_suggestion *s = &it->suggestions[i];
		const char *text = zg_text(s->text) ? zg_text(s->text) : "";
		if (s->no.ok)
			add_line(&l, "第%.0f条：%s", s->no.value, text);
		else
			add_line(&l, "%s", text);
	}
	return lines_cell(b, &l);
}

static const char *roadmap_cell(struct build *b, const struct zg_plan *plan)
{
	struct lines l = { 0 };
	for (size_t i = 0; plan && i < plan->nroadmap; i++) {
		const struct zg_step *s = &plan->roadmap[i];
		const char *due = s->due.node ? s->due.node->text : "";
		const char *text = zg_text(s->step) ? zg_text(s->step) : "";
		if (s->done.node)
			add_line(&l, "%s %s（%s 完成）", due, text, s->done.node->text);
		else
			add_line(&l, "%s %s", due, text);
	}
	return lines_cell(b, &l);
}

static const char *evidence_cell(struct build *b, const struct zg_item *it)
{
	struct lines l = { 0 };
	for (size_t i = 0; i < it->nprogress; i++)
		for (size_t k = 0; k < it->progress[i].nevidence; k++) {
			const char *f = zg_text(it->progress[i].evidence[k].file);
			if (f)
				add_line(&l, "%s", f);
		}
	return lines_cell(b, &l);
}

static const char *date_cell(struct build *b, const struct zg_date_field *d)
{
	return cell(b, d->node ? d->node->text : NULL);
}

static const char *status_cell(struct build *b, const struct zg_item *it)
{
	int s = it->status.value;
	return cell(b, s >= 0 ? status_zh[s] : NULL);
}

/* ---- which items, in which order ---- */

static bool has_loader_findings(const struct build *b,
				const struct zg_ledger *l, const char *id)
{
	for (size_t i = 0; b->d && i < b->d->n; i++) {
		const struct zg_diag *g = &b->d->v[i];
		if (g->item && g->file && strcmp(g->item, id) == 0 &&
		    strcmp(g->file, l->path) == 0)
			return true;
	}
	return false;
}

static long id_number(const char *id)
{
	const char *dash = strrchr(id, '-');
	return dash ? strtol(dash + 1, NULL, 10) : 0;
}

static int item_cmp(const void *pa, const void *pb)
{
	const struct zg_item *a = *(const struct zg_item *const *)pa;
	const struct zg_item *b = *(const struct zg_item *const *)pb;
	long x = id_number(zg_item_id(a)), y = id_number(zg_item_id(b));
	if (x != y)
		return x < y ? -1 : 1;
	return strcmp(zg_item_id(a), zg_item_id(b));
}

/*
 * The reportable items of a ledger sorted by id (malloc'd array).  Items
 * without an id or with loader findings are counted as skipped.
 */
static const struct zg_item **items_of(struct build *b,
				       const struct zg_ledger *l, size_t *n)
{
	*n = 0;
	if (!l->doc || !l->doc->nitems)
		return NULL;
	const struct zg_item **v = malloc(l->doc->nitems * sizeof *v);
	if (!v) {
		b->oom = true;
		return NULL;
	}
	/* A ledger of no declared unit has no row to go to. */
	bool stray = !l->unit;
	for (size_t i = 0; i < l->doc->nitems; i++) {
		const struct zg_item *it = &l->doc->items[i];
		const char *id = zg_item_id(it);
		if (!id || stray || has_loader_findings(b, l, id)) {
			b->r->skipped++;
			continue;
		}
		v[(*n)++] = it;
	}
	qsort(v, *n, sizeof *v, item_cmp);
	return v;
}

static bool is_overdue(const struct zg_item *it, struct zg_date as_of,
		       long *days)
{
	const struct zg_plan *plan = it->plan;
	int s = it->status.value;
	if (!plan || !plan->due.node || !plan->due.ok || s < 0 ||
	    s == ZG_DONE || s == ZG_STAGED || s == ZG_CLOSED)
		return false;
	*days = zg_date_diff(plan->due.date, as_of);
	return *days > 0;
}

/* ---- the tables ---- */

static void measures_row(struct build *b, const struct zg_ledger *l,
			 const struct zg_item *it, size_t no)
{
	const char **row = table_row(b, &b->r->table);
	const struct zg_plan *plan = it->plan;
	const struct zg_owner *o = plan ? plan->owner : NULL;
	if (!row)
		return;
	row[0] = cellf(b, "%zu", no);
	row[1] = cell(b, unit_name(l));
	row[2] = suggestions_cell(b, it);
	/* What cannot be finished this year states this year's target. */
	if (plan && plan->stage_target)
		row[3] = cellf(b, "%s\n当年度整改目标：%s",
			       zg_text(plan->goal) ? zg_text(plan->goal) : "",
			       zg_text(plan->stage_target));
	else
		row[3] = cell(b, plan ? zg_text(plan->goal) : NULL);
	row[4] = cell(b, plan ? zg_text(plan->task) : NULL);
	row[5] = roadmap_cell(b, plan);
	row[6] = cell(b, plan ? zg_text(plan->standard) : NULL);
	row[7] = plan ? date_cell(b, &plan->due) : "";
	row[8] = cell(b, o ? zg_text(o->leader) : NULL);
	row[9] = cell(b, o ? zg_text(o->unit) : NULL);
	row[10] = cell(b, o ? zg_text(o->person) : NULL);
	row[11] = cell(b, plan ? zg_text(plan->outcome) : NULL);
}

static void explanations_row(struct build *b, const struct zg_ledger *l,
			     const struct zg_item *it, size_t no)
{
	const char **row = table_row(b, &b->r->table);
	if (!row)
		return;
	row[0] = cellf(b, "%zu", no);
	row[1] = cell(b, unit_name(l));
	row[2] = suggestions_cell(b, it);
	row[3] = cell(b, zg_text(it->investigation));
	row[4] = cell(b, zg_text(it->cause));
	row[5] = cell(b, zg_text(it->explanation));
	row[6] = evidence_cell(b, it);
}

static void completion_row(struct build *b, const struct zg_ledger *l,
			   const struct zg_item *it, size_t no)
{
	const char **row = table_row(b, &b->r->table);
	const struct zg_plan *plan = it->plan;
	if (!row)
		return;
	row[0] = cellf(b, "%zu", no);
	row[1] = cell(b, unit_name(l));
	row[2] = suggestions_cell(b, it);
	row[3] = cell(b, plan ? zg_text(plan->task) : NULL);
	row[4] = plan ? date_cell(b, &plan->due) : "";
	row[5] = date_cell(b, &it->completed);
	row[6] = status_cell(b, it);
	row[7] = cell(b, zg_text(it->result));
	row[8] = it->satisfaction.ok ? cellf(b, "%g%%", it->satisfaction.value) : "";
	row[9] = evidence_cell(b, it);
}

struct counts {
	size_t total, constructive, other, status[5], overdue, progress;
};

static void count_item(struct build *b, const struct zg_item *it,
		       struct counts *c)
{
	c->total++;
	if (it->category.value == ZG_CONSTRUCTIVE)
		c->constructive++;
	else if (it->category.value == ZG_OTHER)
		c->other++;
	if (it->status.value >= 0)
		c->status[it->status.value]++;
	long days;
	if (is_overdue(it, b->o->as_of, &days))
		c->overdue++;
	for (size_t i = 0; i < it->nprogress; i++) {
		const struct zg_date_field *d = &it->progress[i].date;
		if (d->node && d->ok && zg_date_cmp(d->date, b->o->since) >= 0 &&
		    zg_date_cmp(d->date, b->o->as_of) <= 0)
			c->progress++;
	}
}

static void progress_row(struct build *b, const char *unit,
			 const struct counts *c)
{
	const char **row = table_row(b, &b->r->table);
	if (!row)
		return;
	row[0] = cell(b, unit);
	row[1] = cellf(b, "%zu", c->total);
	row[2] = cellf(b, "%zu", c->constructive);
	row[3] = cellf(b, "%zu", c->other);
	for (size_t s = 0; s < 5; s++)
		row[4 + s] = cellf(b, "%zu", c->status[s]);
	row[9] = cellf(b, "%zu", c->overdue);
	/* Completed means done or verified and closed. */
	row[10] = c->total ? cellf(b, "%.1f%%", 100.0 * (double)(c->status[ZG_DONE] + c->status[ZG_CLOSED]) / (double)c->total)
			   : cell(b, "—");
	row[11] = cellf(b, "%zu", c->progress);
}

static void overdue_rows(struct build *b, const struct zg_ledger *l,
			 const struct zg_item *const *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		long days;
		if (!is_overdue(items[i], b->o->as_of, &days))
			continue;
		const char **row = table_row(b, &b->r->overdue);
		if (!row)
			return;
		const struct zg_item *it = items[i];
		row[0] = cell(b, unit_name(l));
		row[1] = cell(b, zg_item_id(it));
		row[2] = it->nsuggestions ? cell(b, zg_text(it->suggestions[0].text)) : "";
		row[3] = date_cell(b, &it->plan->due);
		row[4] = cellf(b, "%ld", days);
	}
}

static bool wanted(const struct zg_report_options *o, const char *code)
{
	if (o->nunits == 0)
		return true;
	for (size_t i = 0; i < o->nunits; i++)
		if (strcmp(o->units[i], code) == 0)
			return true;
	return false;
}

/* Counts a ledger's items into its unit's row (declared units only). */
static void progress_ledger(struct build *b, const struct zg_ledger *l,
			    const struct zg_item *const *items, size_t n)
{
	if (l->order >= b->p->nunits || !b->r->counts)
		return;
	struct counts *c = &b->r->counts[l->order];
	for (size_t i = 0; i < n; i++)
		count_item(b, items[i], c);
	overdue_rows(b, l, items, n);
}

/* The rows in zg.yaml's order, a unit without ledger too, and the total. */
static void progress_rows(struct build *b)
{
	struct counts sum = { 0 };
	for (size_t u = 0; u < b->p->nunits; u++) {
		const char *code = b->p->units[u].code;
		const char *name = b->p->units[u].name;
		/* A code declared twice gets one row, the first. */
		if (!code || b->p->units[u].repeat || !wanted(b->o, code))
			continue;
		const struct counts *c = &b->r->counts[u];
		progress_row(b, name ? name : code, c);
		sum.total += c->total;
		sum.constructive += c->constructive;
		sum.other += c->other;
		for (size_t s = 0; s < 5; s++)
			sum.status[s] += c->status[s];
		sum.overdue += c->overdue;
		sum.progress += c->progress;
	}
	progress_row(b, "合计", &sum);
	b->r->table.total = true;
}

/* ---- the plan document ---- */

/*
 * Ledger text for the document: masked first (so that the mask's '*' is
 * then escaped), then escaped so pandoc reads it as text, not markup.
 * malloc'd; "" for NULL.
 */
static char *doc_text(struct build *b, const char *s, bool one_line)
{
	char *masked = zg_pii_mask(s ? s : "");
	char *e = masked ? zg_md_escape(masked, one_line) : NULL;
	free(masked);
	if (!e)
		b->oom = true;
	return e;
}

static void doc_section(struct build *b, struct lines *l, const char *heading,
			const char *text, bool escape)
{
	add_line(l, "%s", "");
	add_line(l, "## %s", heading);
	add_line(l, "%s", "");
	char *e = escape ? doc_text(b, text, false) : NULL;
	const char *shown = escape ? e : text;
	add_line(l, "%s", shown && *shown ? shown : "（未填写）");
	free(e);
}

/* Writes the plan document when the ledger holds the item; 1 if it does. */
static int plan_ledger(struct build *b, const struct zg_ledger *l,
		       struct zg_error *err)
{
	const char *id = b->o->id;
	{
		for (size_t i = 0; l->doc && i < l->doc->nitems; i++) {
			const struct zg_item *it = &l->doc->items[i];
			if (!zg_item_id(it) || strcmp(zg_item_id(it), id) != 0)
				continue;
			if (has_loader_findings(b, l, id)) {
				snprintf(err->message, sizeof err->message,
					 _("%s has errors (above) and is not printed half-read; fix them first"),
					 id);
				return -1;
			}
			if (it->category.value != ZG_CONSTRUCTIVE || !it->plan) {
				snprintf(err->message, sizeof err->message,
					 _("%s has no plan (an item of the other category, or a plan not yet written); its explanation is in zg-report explanations"),
					 id);
				return -1;
			}
			const struct zg_plan *plan = it->plan;
			struct lines nos = { 0 };
			for (size_t s = 0; s < it->nsuggestions; s++)
				if (it->suggestions[s].no.ok) {
					char n[32];
					snprintf(n, sizeof n, "%.0f", it->suggestions[s].no.value);
					if (nos.len) {
						char *t = realloc(nos.s, nos.len + strlen(n) + 4);
						if (!t)
							break;
						nos.s = t;
						strcpy(nos.s + nos.len, "、");
						strcpy(nos.s + nos.len + 3, n);
						nos.len += 3 + strlen(n);
					} else {
						add_line(&nos, "%s", n);
					}
				}
			const struct zg_number_field *year = &b->p->config->evaluation_year;
			char title[1024];
			snprintf(title, sizeof title,
				 "《%s对%.0f年度第%s项社会评价群众意见建议整改方案》",
				 unit_name(l), year->ok ? year->value : 0.0,
				 nos.s ? nos.s : id);
			free(nos.s);
			b->r->title = cell(b, title);

			struct lines d = { 0 };
			struct lines s = { 0 };
			add_line(&d, "# %s", title);
			add_line(&d, "%s", "");
			add_line(&d, "事项编号：%s　　责任单位：%s", id, unit_name(l));
			for (size_t k2 = 0; k2 < it->nsuggestions; k2++) {
				const struct zg_suggestion *g = &it->suggestions[k2];
				char *t = doc_text(b, zg_text(g->text), true);
				if (g->no.ok)
					add_line(&s, "- 第%.0f条：%s", g->no.value, t ? t : "");
				else
					add_line(&s, "- %s", t ? t : "");
				free(t);
			}
			doc_section(b, &d, "一、群众意见建议", s.s, false);
			free(s.s);
			doc_section(b, &d, "二、调查摸底情况", zg_text(it->investigation), true);
			doc_section(b, &d, "三、整改目标", zg_text(plan->goal), true);
			doc_section(b, &d, "四、整改措施（量化的工作任务）", zg_text(plan->task), true);
			add_line(&d, "%s", "");
			add_line(&d, "## 五、推进路线图");
			add_line(&d, "%s", "");
			add_line(&d, "| 序号 | 时限 | 步骤 | 完成情况 |");
			add_line(&d, "|---|---|---|---|");
			for (size_t k2 = 0; k2 < plan->nroadmap; k2++) {
				const struct zg_step *st = &plan->roadmap[k2];
				char *text = doc_text(b, zg_text(st->step), true);
				add_line(&d, "| %zu | %s | %s | %s |", k2 + 1,
					 st->due.node ? st->due.node->text : "",
					 text ? text : "",
					 st->done.node ? st->done.node->text : "");
				free(text);
			}
			doc_section(b, &d, "六、整改标准", zg_text(plan->standard), true);
			char due[256];
			snprintf(due, sizeof due, "%s 至 %s",
				 plan->start.node ? plan->start.node->text : "",
				 plan->due.node ? plan->due.node->text : "");
			doc_section(b, &d, "七、完成时限", due, true);
			if (plan->stage_target) {
				char *t = doc_text(b, zg_text(plan->stage_target), false);
				add_line(&d, "\n当年度整改目标：%s", t ? t : "");
				free(t);
			}
			const struct zg_owner *o = plan->owner;
			char owner[1024];
			snprintf(owner, sizeof owner, "责任领导：%s；责任股室：%s；责任人：%s",
				 o && zg_text(o->leader) ? zg_text(o->leader) : "",
				 o && zg_text(o->unit) ? zg_text(o->unit) : "",
				 o && zg_text(o->person) ? zg_text(o->person) : "");
			doc_section(b, &d, "八、责任主体", owner, true);
			doc_section(b, &d, "九、成果形式", zg_text(plan->outcome), true);
			add_line(&d, "%s", "");
			/* cell() trims; a document ends with its line break. */
			const char *doc = lines_cell(b, &d);
			b->r->document = zg_arena_printf(&b->r->arena, "%s\n", doc);
			if (!b->r->document)
				b->oom = true;
			return 1;
		}
	}
	return 0;
}

int zg_report_begin(const struct zg_project *p,
		    const struct zg_report_options *o, struct zg_report *r,
		    struct zg_error *err)
{
	memset(r, 0, sizeof *r);
	zg_arena_init(&r->arena);
	zg_arena_init(&r->pending);
	r->kind = o->kind;
	r->options = *o;
	struct build b = { p, &r->options, &r->arena, NULL, r, false };
	char as_of[11];
	zg_date_format(o->as_of, as_of);
	r->subtitle = cellf(&b, "%s　%s　截至 %s",
			    zg_text(p->config->county) ? zg_text(p->config->county) : "",
			    zg_text(p->config->office) ? zg_text(p->config->office) : "",
			    as_of);
	switch (o->kind) {
	case ZG_REPORT_MEASURES:
		r->title = "建设性意见建议整改措施表";
		table_init(&r->table, r->title, measures_headers, COUNT(measures_headers));
		break;
	case ZG_REPORT_EXPLANATIONS:
		r->title = "其它意见建议情况说明表";
		table_init(&r->table, r->title, explanations_headers, COUNT(explanations_headers));
		break;
	case ZG_REPORT_COMPLETION:
		r->title = "建设性意见建议整改完成情况一览表";
		table_init(&r->table, r->title, completion_headers, COUNT(completion_headers));
		break;
	case ZG_REPORT_PROGRESS:
		r->title = "整改工作进度表";
		table_init(&r->table, r->title, progress_headers, COUNT(progress_headers));
		table_init(&r->overdue, "逾期事项", overdue_headers, COUNT(overdue_headers));
		r->counts = zg_arena_alloc(&r->arena, (p->nunits + 1) *
						      sizeof *r->counts);
		if (!r->counts)
			b.oom = true;
		break;
	case ZG_REPORT_PLAN:
		break;
	}
	if (b.oom) {
		snprintf(err->message, sizeof err->message, "%s", _("out of memory"));
		return -1;
	}
	return 0;
}

int zg_report_add_ledger(struct zg_report *r, const struct zg_project *p,
			 const struct zg_ledger *l, const struct zg_diags *d,
			 struct zg_error *err)
{
	struct build b = { p, &r->options, &r->arena, d, r, false };
	if (r->kind == ZG_REPORT_PLAN) {
		if (!r->document && plan_ledger(&b, l, err) < 0)
			return -1;
	} else {
		size_t n = 0;
		const struct zg_item **items = items_of(&b, l, &n);
		b.cells = &r->pending;
		for (size_t i = 0; i < n; i++) {
			const struct zg_item *it = items[i];
			bool constructive = it->category.value == ZG_CONSTRUCTIVE;
			if (r->kind == ZG_REPORT_EXPLANATIONS && it->category.value == ZG_OTHER)
				explanations_row(&b, l, it, ++r->rows);
			else if (r->kind == ZG_REPORT_MEASURES && constructive)
				measures_row(&b, l, it, ++r->rows);
			else if (r->kind == ZG_REPORT_COMPLETION && constructive)
				completion_row(&b, l, it, ++r->rows);
		}
		/* Overdue rows go with the table's: taken at each write. */
		if (r->kind == ZG_REPORT_PROGRESS)
			progress_ledger(&b, l, items, n);
		b.cells = &r->arena;
		free(items);
	}
	if (b.oom) {
		snprintf(err->message, sizeof err->message, "%s", _("out of memory"));
		return -1;
	}
	return 0;
}

int zg_report_finish(struct zg_report *r, const struct zg_project *p,
		     struct zg_error *err)
{
	struct build b = { p, &r->options, &r->pending, NULL, r, false };
	if (r->kind == ZG_REPORT_PROGRESS)
		progress_rows(&b);
	if (r->kind == ZG_REPORT_PLAN && !r->document && !err->message[0]) {
		snprintf(err->message, sizeof err->message,
			 _("no item '%s' in the project"), r->options.id);
		return -1;
	}
	if (r->kind == ZG_REPORT_PLAN && !r->document)
		return -1;
	if (b.oom) {
		snprintf(err->message, sizeof err->message, "%s", _("out of memory"));
		return -1;
	}
	return 0;
}

int zg_report_build(const struct zg_project *p,
		    const struct zg_report_options *o,
		    const struct zg_diags *d, struct zg_report *r,
		    struct zg_error *err)
{
	err->message[0] = '\0';
	if (zg_report_begin(p, o, r, err) != 0)
		return -1;
	for (size_t k = 0; k < p->nledgers; k++)
		if (zg_report_add_ledger(r, p, &p->ledgers[k], d, err) != 0)
			return -1;
	return zg_report_finish(r, p, err);
}

void zg_report_take_rows(struct zg_report *r)
{
	r->table.cells = NULL;
	r->table.nrows = r->table.cap = 0;
	r->overdue.cells = NULL;
	r->overdue.nrows = r->overdue.cap = 0;
	zg_arena_release(&r->pending);
}

void zg_report_release(struct zg_report *r)
{
	if (r->spill.f)
		fclose(r->spill.f);
	free(r->spill.buf);
	zg_arena_release(&r->pending);
	zg_arena_release(&r->arena);
	memset(r, 0, sizeof *r);
}
