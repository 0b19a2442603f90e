/*
 * fuzz_load.c - the front door: any bytes as a ledger, through the loader,
 * the rules, the reports and the privacy scanner.
 *
 * The input is what zg_ledger_open would have read from ledgers/zjj.yaml,
 * and the struct zg_ledger is filled as it fills it.  The project around
 * it is built in memory once: zg.yaml is a fixed text (the example's), and
 * its root is examples/luzhai (ZG_FUZZ_ROOT at build time, or the
 * environment's ZG_FUZZ_ROOT), so that evidence paths in the input resolve
 * to real files and get hashed.  No file is written; zg_history, the
 * project-wide rules (which run git) and project.c's static unit check are
 * left out.
 *
 * Per input: zg_tree_parse, zg_load_ledger (and zg_load_config on the same
 * tree: zg.yaml goes through the same door; and zg.yaml read with its units
 * taken as they are read must give the units and findings of the whole
 * tree), the id and unit checks, every
 * rule at two dates, the findings printed and written as CSV, every report
 * kind built and written as CSV and Markdown, and over every scalar the
 * excerpt and the privacy scanner with their contracts checked.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zg/arena.h"
#include "zg/diag.h"
#include "zg/load.h"
#include "zg/privacy.h"
#include "zg/project.h"
#include "zg/report.h"
#include "zg/rules.h"
#include "zg/text.h"
#include "zg/tree.h"
#include "zg/writer.h"

#include "fuzz_utf8.h"

#ifndef ZG_FUZZ_ROOT
#define ZG_FUZZ_ROOT "."
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* examples/luzhai/zg.yaml, so that the example ledgers are seeds that fit. */
static const char config_yaml[] =
	"zg: 1\n"
	"county: 鹿寨县\n"
	"office: 鹿寨县绩效考评委员会办公室\n"
	"evaluation_year: 2017\n"
	"deadlines:\n"
	"  submit: 2018-07-06\n"
	"  publicise: 2018-07-11\n"
	"  complete: 2018-11-20\n"
	"  self_review: 2018-11-30\n"
	"units:\n"
	"  - {code: zjj, name: 县住建局, kind: bureau}\n"
	"  - {code: jyj, name: 县教育局, kind: bureau}\n"
	"  - {code: rsj, name: 县人社局, kind: bureau}\n"
	"  - {code: hbj, name: 县环保局, kind: bureau}\n"
	"  - {code: luzhai, name: 鹿寨镇, kind: town}\n"
	"  - {code: sipai, name: 四排镇, kind: town}\n"
	"  - {code: zhaisha, name: 寨沙镇, kind: town}\n"
	"  - {code: zhongdu, name: 中渡镇, kind: town}\n"
	"  - {code: huangmian, name: 黄冕镇, kind: town}\n"
	"  - {code: pingshan, name: 平山镇, kind: town}\n"
	"  - {code: jiangkou, name: 江口乡, kind: township}\n"
	"  - {code: daojiang, name: 导江乡, kind: township}\n"
	"  - {code: lagou, name: 拉沟乡, kind: township}\n";

static struct zg_project project;
static FILE *sink;

/* The one ledger of a run, as the id index sees it. */
struct fuzz_ids {
	const struct zg_ledger *l;
	size_t added;
};

static int fuzz_find_id(void *ctx, size_t ledger, const char *id,
			struct zg_id_first *out)
{
	const struct fuzz_ids *f = ctx;
	(void)ledger;
	for (size_t k = 0; k < f->added; k++) {
		zg_text_t t = f->l->doc->items[k].id;
		if (t && strcmp(t->text, id) == 0) {
			*out = (struct zg_id_first){ f->l->path, t->start.line,
						     t->start.column };
			return 1;
		}
	}
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *root = getenv("ZG_FUZZ_ROOT");
	struct zg_diags d;
	zg_diags_init(&d);
	struct zg_error err;
	if (zg_project_open_text(&project, root && *root ? root : ZG_FUZZ_ROOT,
				 "zg.yaml", config_yaml, strlen(config_yaml),
				 &d, &err) != 0 || d.errors) {
		fprintf(stderr, "fuzz_load: the built-in zg.yaml does not load\n");
		abort();
	}
	zg_diags_release(&d);
	sink = fopen("/dev/null", "w");
	if (!sink)
		abort();
	return 0;
}

static void check_excerpt(const char *s)
{
	static const size_t sizes[] = { ZG_EXCERPT_SIZE, 1, 2, 4, 9, 40 };
	bool valid = utf8_ok(s);
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		char buf[ZG_EXCERPT_SIZE];
		memset(buf, 'Z', sizeof buf);
		const char *r = zg_text_excerpt(s, buf, sizes[i]);
		size_t n = strnlen(buf, sizes[i]);
		if (r != buf || n >= sizes[i]) {
			fprintf(stderr, "zg_text_excerpt: not terminated within %zu bytes\n",
				sizes[i]);
			abort();
		}
		if (sizes[i] < sizeof buf && buf[sizes[i]] != 'Z') {
			fprintf(stderr, "zg_text_excerpt: wrote past %zu bytes\n",
				sizes[i]);
			abort();
		}
		if (valid && !utf8_ok(buf)) {
			fprintf(stderr, "zg_text_excerpt: cut a character in two (size %zu)\n",
				sizes[i]);
			abort();
		}
	}
}

static void check_privacy(const char *s)
{
	size_t len = strlen(s), from = 0;
	struct zg_pii p;
	for (int guard = 0; from <= len && zg_pii_find(s, from, &p); guard++) {
		if (guard > (int)len + 1 || p.offset < from || p.len == 0 ||
		    p.offset + p.len > len) {
			fprintf(stderr, "zg_pii_find: from %zu gave offset %zu len %zu (text %zu bytes)\n",
				from, p.offset, p.len, len);
			abort();
		}
		(void)zg_pii_kind_name(p.kind);
		char small[8], big[256];
		zg_pii_mask_one(s, &p, small, sizeof small);
		zg_pii_mask_one(s, &p, big, sizeof big);
		if (strnlen(small, sizeof small) >= sizeof small ||
		    strnlen(big, sizeof big) >= sizeof big)
			abort();
		from = p.offset + p.len;
	}
	char *masked = zg_pii_mask(s);
	if (masked) {
		if (strlen(masked) > 2 * len) {
			fprintf(stderr, "zg_pii_mask: %zu bytes from %zu\n",
				strlen(masked), len);
			abort();
		}
		free(masked);
	}
}

/* Every scalar, keys too; recursion is bounded by ZG_TREE_MAX_DEPTH. */
static void scan(const struct zg_node *n)
{
	if (!n)
		return;
	switch (n->kind) {
	case ZG_SCALAR:
		check_excerpt(n->text);
		check_privacy(n->text);
		break;
	case ZG_SEQUENCE:
		for (size_t i = 0; i < n->n; i++)
			scan(n->items[i]);
		break;
	case ZG_MAPPING:
		for (size_t i = 0; i < n->n; i++) {
			scan(n->pairs[i].key);
			scan(n->pairs[i].value);
		}
		break;
	}
}

static void reports(const struct zg_ledger *l, const struct zg_diags *d)
{
	static const enum zg_report_kind kinds[] = {
		ZG_REPORT_MEASURES, ZG_REPORT_EXPLANATIONS, ZG_REPORT_COMPLETION,
		ZG_REPORT_PROGRESS, ZG_REPORT_PLAN,
	};
	const char *plan_id = NULL;
	for (size_t i = 0; l->doc && i < l->doc->nitems && !plan_id; i++)
		plan_id = zg_item_id(&l->doc->items[i]);
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
		if (kinds[k] == ZG_REPORT_PLAN && !plan_id)
			continue;
		struct zg_report_options o = {
			.kind = kinds[k],
			.id = plan_id,
			.as_of = { 2018, 10, 15 },
			.since = { 2018, 10, 8 },
		};
		struct zg_report r;
		struct zg_error err = { "" };
		if (zg_report_begin(&project, &o, &r, &err) == 0 &&
		    zg_report_add_ledger(&r, &project, l, d, &err) == 0 &&
		    zg_report_finish(&r, &project, &err) == 0) {
			zg_write_csv(sink, &r, k & 1);
			zg_write_markdown(sink, &r);
		}
		zg_report_release(&r);
	}
}

/* A unit as a line of text, for comparing two readings of zg.yaml. */
static int list_unit(void *ctx, const struct zg_unit *u)
{
	const struct zg_node *at = u->code ? u->code : u->node;
	fprintf(ctx, "%s|%s|%d|%u:%u\n",
		zg_text(u->code) ? zg_text(u->code) : "-",
		zg_text(u->name) ? zg_text(u->name) : "-", u->kind.value,
		at ? at->start.line : 0, at ? at->start.column : 0);
	return 0;
}

static void differ(const char *what)
{
	fprintf(stderr, "fuzz_load: zg.yaml read as a whole and with its units taken differ: %s\n", what);
	abort();
}

/* The input as zg.yaml, both ways: the same units, the same findings. */
static void config_both_ways(const char *buf, size_t len)
{
	struct zg_arena a, b;
	struct zg_diags d, e;
	zg_arena_init(&a);
	zg_arena_init(&b);
	zg_diags_init(&d);
	zg_diags_init(&e);
	char *want = NULL, *got = NULL;
	size_t wlen = 0, glen = 0;
	FILE *wf = open_memstream(&want, &wlen), *gf = open_memstream(&got, &glen);
	if (!wf || !gf)
		abort();

	struct zg_node *root = NULL;
	int rc = zg_tree_parse(&a, "zg.yaml", buf, len, &root, &d);
	struct zg_config *c = rc == 0 ? zg_load_config(&a, "zg.yaml", root, &d)
				      : NULL;
	for (size_t i = 0; c && i < c->nunits; i++)
		list_unit(wf, &c->units[i]);
	int rc2;
	bool read;
	struct zg_config *c2 = zg_load_config_text(&b, "zg.yaml", buf, len, &e,
						   list_unit, gf, &rc2, &read);
	fclose(wf);
	fclose(gf);
	if (rc != rc2)
		differ("the parse's result");
	if (!c != !c2)
		differ("whether there is a configuration");
	if (c2 && c2->nunits != 0)
		differ("units left in the record");
	if (c && read && strcmp(want, got) != 0)
		differ("the units");
	if (c && !read && c->nunits != 0)
		differ("units of a key the loader reads were dropped");
	zg_diags_sort(&d);
	zg_diags_sort(&e);
	if (d.n != e.n)
		differ("the number of findings");
	for (size_t i = 0; i < d.n; i++)
		if (strcmp(d.v[i].rule, e.v[i].rule) != 0 ||
		    d.v[i].line != e.v[i].line ||
		    d.v[i].column != e.v[i].column ||
		    strcmp(d.v[i].message, e.v[i].message) != 0)
			differ("a finding");
	free(want);
	free(got);
	zg_diags_release(&d);
	zg_diags_release(&e);
	zg_arena_release(&a);
	zg_arena_release(&b);
}

static bool is_error(const struct zg_diag *g, void *ctx)
{
	(void)ctx;
	return g->severity == ZG_ERROR;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* What zg_ledger_open builds for ledgers/zjj.yaml. */
	struct zg_ledger l;
	memset(&l, 0, sizeof l);
	zg_arena_init(&l.arena);
	l.path = "ledgers/zjj.yaml";
	l.code = "zjj";
	l.order = 0;
	l.buf = malloc(size + 1);	/* zg_read_file's: NUL-terminated */
	if (!l.buf)
		return 0;
	if (size)
		memcpy(l.buf, data, size);
	l.buf[size] = '\0';
	l.len = size;

	struct zg_diags ld;
	zg_diags_init(&ld);
	int rc = zg_tree_parse(&l.arena, l.path, l.buf, l.len, &l.root, &ld);
	if (rc == 0 && l.root) {
		l.doc = zg_load_ledger(&l.arena, l.path, l.root, &ld);
		/* zg.yaml is read by the same door: type the tree as one. */
		struct zg_diags cd;
		zg_diags_init(&cd);
		(void)zg_load_config(&l.arena, "zg.yaml", l.root, &cd);
		zg_diags_release(&cd);
	}
	l.load_errors = ld.errors;
	config_both_ways(l.buf, l.len);
	l.unit = zg_project_unit(&project, l.code);
	zg_ledger_check_ids(&l, &ld);

	struct fuzz_ids fi = { &l, 0 };
	struct zg_id_index ids;
	zg_id_index_init(&ids, fuzz_find_id, NULL, &fi);
	for (size_t i = 0; l.doc && i < l.doc->nitems; i++) {
		zg_text_t id = l.doc->items[i].id;
		fi.added = i;
		if (id)
			zg_id_index_add(&ids, 0, l.code, id->text, l.path,
					id->start.line, id->start.column, &ld);
	}
	zg_id_index_release(&ids);

	/* Before the deadlines and after them all, with due-soon on and off. */
	struct zg_diags rd;
	zg_diags_init(&rd);
	struct zg_check_options early = { .as_of = { 2018, 7, 8 }, .due_within = 14 };
	struct zg_check_options late = { .as_of = { 2019, 1, 2 }, .due_within = -1 };
	zg_rules_check_ledger(&project, &l, &early, &rd);
	zg_rules_check_ledger(&project, &l, &late, &rd);
	zg_diags_append(&rd, &ld);
	zg_diags_sort(&rd);
	for (size_t i = 0; i < rd.n; i++)
		zg_diag_print(sink, &rd.v[i]);
	zg_diags_write_csv(sink, &rd);
	zg_diags_release(&rd);

	/* zg-report hands over the loading's errors only. */
	zg_diags_filter(&ld, is_error, NULL);
	reports(&l, &ld);
	scan(l.root);

	zg_diags_release(&ld);
	zg_arena_release(&l.arena);
	free(l.buf);
	return 0;
}
