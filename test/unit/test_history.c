/*
 * test_history.c - the "history" rule (--against REV): a ledger compared
 * with its version at a git revision.  A git repository is made in a
 * scratch folder, a ledger committed and then changed, and each finding
 * checked with its place; and the refusals: no git, no repository, no
 * such revision.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zg/check.h"
#include "zg/history.h"
#include "zg/init.h"
#include "zg/project.h"

static char tmp[64];
static char start_dir[PATH_MAX];
static char *saved_path;

static const struct zg_unit_spec units[] = {
	{ "zjj", "县住建局", ZG_UNIT_BUREAU },
	{ "jyj", "县教育局", ZG_UNIT_BUREAU },
};

#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* The ledger as committed. */
static const char v1[] =
	"unit: zjj\n"
	"items:\n"
	"  - id: zjj-001\n"
	"    category: constructive\n"
	"    suggestions: [老旧小区积水]\n"
	"    received: 2018-06-20\n"
	"    plan:\n"
	"      goal: 消除积水\n"
	"      task: 改造管网 3.2 公里\n"
	"      standard: 汛期不积水\n"
	"      start: 2018-07-01\n"
	"      due: 2018-11-15\n"
	"      owner: {leader: 李某, unit: 城建股, person: 王某}\n"
	"      outcome: 竣工验收报告\n"
	"    submitted: 2018-07-05\n"
	"    progress:\n"
	"      - {date: 2018-08-10, note: 完成勘察}\n"
	"      - date: 2018-08-20\n"
	"        note: 开始施工\n"
	"        evidence:\n"
	"          - {file: evidence/zjj-001/a.jpg, kind: photo, sha256: " HEX64 "}\n"
	"          - {file: evidence/zjj-001/b.txt, kind: nosuchkind}\n"
	"    status: in_progress\n"
	"  - id: zjj-002\n"
	"    category: other\n"
	"    suggestions: [路灯不亮]\n"
	"    progress:\n"
	"      - {date: 2018-08-11, note: 已更换}\n"
	"    status: in_progress\n"
	"  - id: zjj-003\n"
	"    category: other\n"
	"    suggestions: [道路破损]\n"
	"    progress:\n"
	"      - {date: 2018-08-12, note: 已修补}\n"
	"      - {note: 没写日期}\n"
	"      - {}\n"
	"    status: in_progress\n"
	"  - id: zjj-004\n"
	"    category: other\n"
	"    suggestions: [噪音]\n"
	"    status: not_started\n"
	"  - id: zjj-005\n"
	"    category: constructive\n"
	"    suggestions: [绿化]\n"
	"    plan: {goal: 增加绿地, task: 种树 100 棵}\n"
	"    submitted: 2018-07-05\n"
	"    status: in_progress\n"
	"  - id: zjj-006\n"
	"    category: constructive\n"
	"    suggestions: [停车难]\n"
	"    plan: {goal: 增加车位, task: 划线 200 个}\n"
	"    submitted: 2018-07-05\n"
	"    status: in_progress\n"
	"  - category: other\n"
	"    suggestions: [没有编号]\n";

/*
 * The same ledger written differently: block instead of flow, quotes,
 * comments, a new progress entry, a new item.  No value of the trace
 * changed, so no finding.
 */
static const char v1_reformatted[] =
	"# 县住建局整改台账\n"
	"unit: \"zjj\"   # 单位\n"
	"items:\n"
	"  - id: 'zjj-001'\n"
	"    category: constructive\n"
	"    suggestions:\n"
	"      - 老旧小区积水\n"
	"    received: 2018-06-20\n"
	"    plan: {goal: 消除积水, task: \"改造管网 3.2 公里\", standard: 汛期不积水,\n"
	"           start: 2018-07-01, due: 2018-11-15,\n"
	"           owner: {person: 王某, unit: 城建股, leader: 李某}, outcome: 竣工验收报告}\n"
	"    submitted: 2018-07-05\n"
	"    progress:\n"
	"      - date: 2018-08-10\n"
	"        note: \"完成勘察\"   # 已核实\n"
	"      - {date: 2018-08-20, note: 开始施工, evidence: [\n"
	"          {sha256: " HEX64 ", kind: photo, file: evidence/zjj-001/a.jpg},\n"
	"          {file: evidence/zjj-001/b.txt, kind: nosuchkind}]}\n"
	"      - {date: 2018-09-01, note: 管网铺设过半}\n"
	"    status: in_progress\n"
	"  - {id: zjj-002, category: other, suggestions: [路灯不亮],\n"
	"     progress: [{date: 2018-08-11, note: 已更换}], status: done}\n"
	"  - id: zjj-003\n"
	"    category: other\n"
	"    suggestions: [道路破损]\n"
	"    progress:\n"
	"      - {date: 2018-08-12, note: 已修补}\n"
	"      - {note: 没写日期}\n"
	"      - {}\n"
	"    status: in_progress\n"
	"  - {id: zjj-004, category: other, suggestions: [噪音], status: not_started}\n"
	"  - {id: zjj-005, category: constructive, suggestions: [绿化],\n"
	"     plan: {goal: 增加绿地, task: 种树 100 棵}, submitted: 2018-07-05,\n"
	"     status: in_progress}\n"
	"  - {id: zjj-006, category: constructive, suggestions: [停车难],\n"
	"     plan: {task: 划线 200 个, goal: 增加车位}, submitted: 2018-07-05,\n"
	"     status: in_progress}\n"
	"  - id: zjj-007\n"
	"    category: other\n"
	"    suggestions: [新的意见]\n";

/* The ledger with the trace rewritten. */
static const char v2[] =
	"unit: zjj   # 县住建局\n"
	"items:\n"
	"  - id: zjj-001\n"
	"    category: constructive\n"
	"    suggestions: [老旧小区积水]\n"
	"    received: 2018-06-20\n"
	"    plan:\n"
	"      goal: 消除积水\n"
	"      task: 改造管网 2 公里\n"
	"      standard: 汛期不积水\n"
	"      start: 2018-07-01\n"
	"      due: 2018-11-15\n"
	"      owner: {leader: 李某, unit: 城建股, person: 王某}\n"
	"      outcome: 竣工验收报告\n"
	"    submitted: 2018-07-05\n"
	"    progress:\n"
	"      - {date: 2018-08-10, note: 完成勘察设计（补记）}\n"
	"      - date: 2018-08-20\n"
	"        note: 开始施工\n"
	"        evidence:\n"
	"          - {file: evidence/zjj-001/a.jpg, kind: photo, sha256: " HEX64 "}\n"
	"          - {file: evidence/zjj-001/b.txt, kind: nosuchkind}\n"
	"      - {date: 2018-09-01, note: 管网铺设过半}\n"
	"    status: in_progress\n"
	"  - id: zjj-002\n"
	"    category: other\n"
	"    suggestions: [路灯不亮]\n"
	"    status: in_progress\n"
	"  - id: zjj-003\n"
	"    category: other\n"
	"    suggestions: [道路破损]\n"
	"    progress:\n"
	"      - {date: 2018-08-12, note: 已修补}\n"
	"      - {note: 没写日期}\n"
	"    status: in_progress\n"
	"  - id: zjj-005\n"
	"    category: constructive\n"
	"    suggestions: [绿化]\n"
	"    plan: {goal: 增加绿地, task: 种树 200 棵}\n"
	"    submitted: 2018-07-05\n"
	"    amendments:\n"
	"      - {date: 2018-08-01, reason: 预算增加, approved_by: 县绩效办}\n"
	"    status: in_progress\n"
	"  - id: zjj-006\n"
	"    category: constructive\n"
	"    suggestions: [停车难]\n"
	"    submitted: 2018-07-05\n"
	"    status: in_progress\n"
	"  - category: other\n"
	"    suggestions: [没有编号]\n";

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void sh(const char *cmd)
{
	assert_int_equal(system(cmd), 0);
}

static void commit(const char *message)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd,
		 "git add -A && git commit -q --no-verify -m '%s'", message);
	sh(cmd);
}

static int setup(void **state)
{
	(void)state;
	assert_non_null(getcwd(start_dir, sizeof start_dir));
	snprintf(tmp, sizeof tmp, "/tmp/zg-test-history-XXXXXX");
	assert_non_null(mkdtemp(tmp));
	assert_int_equal(chdir(tmp), 0);
	/* git as a clean install has it, whoever runs the tests. */
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
	setenv("GIT_CEILING_DIRECTORIES", "/tmp", 1);
	setenv("GIT_AUTHOR_NAME", "zg test", 1);
	setenv("GIT_AUTHOR_EMAIL", "zg@example.invalid", 1);
	setenv("GIT_COMMITTER_NAME", "zg test", 1);
	setenv("GIT_COMMITTER_EMAIL", "zg@example.invalid", 1);
	saved_path = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	assert_non_null(saved_path);

	struct zg_init_options o;
	zg_init_defaults(&o);
	o.dir = "p";
	o.units = units;
	o.nunits = 2;
	struct zg_error err;
	assert_int_equal(zg_init_create(&o, &err), 0);
	write_file("p/ledgers/zjj.yaml", v1);
	/* The repository is the scratch folder: the project is "p/" in it. */
	sh("git init -q . && rm -f p/ledgers/jyj.yaml");
	commit("week 32");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	setenv("PATH", saved_path, 1);
	free(saved_path);
	assert_int_equal(chdir(start_dir), 0);
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void open_project(struct zg_project *p)
{
	struct zg_diags d;
	struct zg_error err;
	zg_diags_init(&d);
	assert_int_equal(zg_project_open(p, "p", &d, &err), 0);
	zg_diags_release(&d);
}

/* The project p/, and its history against HEAD. */
static void open_against_head(struct zg_project *p, struct zg_history *h)
{
	struct zg_error err;
	open_project(p);
	assert_int_equal(zg_history_open(p, "HEAD", h, &err), 0);
}

/* The history findings for ledger code against rev, sorted. */
static void history_of(const struct zg_history *h, const struct zg_project *p,
		       const char *code, struct zg_diags *out)
{
	struct zg_ledger l;
	struct zg_diags d;
	zg_diags_init(&d);
	assert_int_equal(zg_ledger_open(p, code, &l, &d), 0);
	zg_diags_release(&d);
	zg_diags_init(out);
	zg_history_check_ledger(h, &l, out);
	zg_ledger_release(&l);
	zg_diags_sort(out);
	for (size_t i = 0; i < out->n; i++) {
		assert_string_equal(out->v[i].rule, "history");
		assert_int_equal(out->v[i].severity, ZG_ERROR);
	}
}

static void assert_finding(const struct zg_diags *d, size_t i, unsigned line,
			   unsigned column, const char *item, const char *msg)
{
	assert_true(i < d->n);
	const struct zg_diag *g = &d->v[i];
	assert_string_equal(g->file, "p/ledgers/zjj.yaml");
	assert_int_equal(g->line, line);
	assert_int_equal(g->column, column);
	assert_string_equal(g->item, item);
	assert_string_equal(g->message, msg);
}

static void test_open(void **state)
{
	(void)state;
	struct zg_project p;
	struct zg_history h;
	open_against_head(&p, &h);
	struct zg_error err;
	assert_string_equal(h.rev, "HEAD");
	assert_string_equal(h.prefix, "p/");
	assert_string_equal(h.root, "p");
	assert_int_equal(strlen(h.commit), 40);
	assert_int_equal(strspn(h.commit, "0123456789abcdef"), 40);
	/* The commit id itself names the same commit. */
	struct zg_history again;
	char full[41];
	snprintf(full, sizeof full, "%s", h.commit);
	assert_int_equal(zg_history_open(&p, full, &again, &err), 0);
	assert_string_equal(again.commit, h.commit);
	zg_history_release(&again);
	zg_history_release(&h);
	assert_null(h.rev);
	assert_null(h.commit);
	assert_null(h.prefix);
	zg_project_release(&p);
}

static void test_unchanged_and_reformatted_trace(void **state)
{
	(void)state;
	struct zg_project p;
	struct zg_history h;
	open_against_head(&p, &h);
	struct zg_diags d;
	history_of(&h, &p, "zjj", &d);
	assert_int_equal(d.n, 0);
	zg_diags_release(&d);

	/* Re-quoted, re-flowed, commented, keys reordered, entries and items
	 * added, a status changed: the trace is intact. */
	write_file("p/ledgers/zjj.yaml", v1_reformatted);
	history_of(&h, &p, "zjj", &d);
	assert_int_equal(d.n, 0);
	zg_diags_release(&d);
	zg_history_release(&h);
	zg_project_release(&p);
}

static void test_each_history_finding(void **state)
{
	(void)state;
	write_file("p/ledgers/zjj.yaml", v2);
	struct zg_project p;
	struct zg_history h;
	open_against_head(&p, &h);
	struct zg_diags d;
	history_of(&h, &p, "zjj", &d);
	assert_int_equal(d.n, 5);
	/* zjj-004 is gone: reported at the items list. */
	assert_finding(&d, 0, 3, 3, "zjj-004",
		       "item zjj-004 was in the ledger at HEAD and is gone; an item is never removed, only closed");
	/* zjj-001's submitted plan changed with no amendment. */
	assert_finding(&d, 1, 8, 7, "zjj-001",
		       "the plan was submitted on 2018-07-05 and has changed since HEAD without an amendment; record the approved change with zg-add amend");
	/* Its first progress entry was rewritten. */
	assert_finding(&d, 2, 17, 9, "zjj-001",
		       "the progress entry of 2018-08-10 was edited since HEAD (its date, note or evidence differ); the trace (过程留痕) is only ever added to: add a new entry instead");
	/* zjj-002 lost its whole progress list: reported at the item. */
	assert_finding(&d, 3, 25, 5, "zjj-002",
		       "the progress entry of 2018-08-11 is gone since HEAD; the trace (过程留痕) is only ever added to");
	/* zjj-003 lost its last, empty entry, which had no date. */
	assert_finding(&d, 4, 33, 7, "zjj-003",
		       "the progress entry of ? is gone since HEAD; the trace (过程留痕) is only ever added to");
	/* zjj-005's plan changed after an amendment, zjj-006 dropped its
	 * plan: neither is a history finding (plan rules speak of those). */
	zg_diags_release(&d);
	zg_history_release(&h);
	zg_project_release(&p);
}

static void test_evidence_is_part_of_the_trace(void **state)
{
	(void)state;
	static const char *const edits[][2] = {
		{ "evidence/zjj-001/a.jpg", "evidence/zjj-001/c.jpg" },
		{ "kind: photo", "kind: media" },
		{ "sha256: 0123", "sha256: 1123" },
		{ "date: 2018-08-20", "date: 2018-08-21" },
	};
	struct zg_project p;
	struct zg_history h;
	open_against_head(&p, &h);
	for (size_t i = 0; i < sizeof edits / sizeof *edits; i++) {
		char *text = strdup(v1);
		assert_non_null(text);
		char *at = strstr(text, edits[i][0]);
		assert_non_null(at);
		size_t from = strlen(edits[i][0]), to = strlen(edits[i][1]);
		assert_int_equal(from, to);
		memcpy(at, edits[i][1], to);
		write_file("p/ledgers/zjj.yaml", text);
		free(text);
		struct zg_diags d;
		history_of(&h, &p, "zjj", &d);
		assert_int_equal(d.n, 1);
		assert_int_equal(d.v[0].line, 18);
		assert_int_equal(d.v[0].column, 9);
		assert_non_null(strstr(d.v[0].message,
				       "the progress entry of 2018-08-20 was edited since HEAD"));
		zg_diags_release(&d);
	}
	zg_history_release(&h);
	zg_project_release(&p);
}

static void test_against_an_older_revision(void **state)
{
	(void)state;
	/* A second commit with the edits; HEAD~1 still has the original. */
	write_file("p/ledgers/zjj.yaml", v2);
	commit("week 33");
	struct zg_project p;
	struct zg_history h;
	open_against_head(&p, &h);
	struct zg_error err;
	struct zg_diags d;
	history_of(&h, &p, "zjj", &d);
	assert_int_equal(d.n, 0);
	zg_diags_release(&d);
	zg_history_release(&h);

	assert_int_equal(zg_history_open(&p, "HEAD~1", &h, &err), 0);
	history_of(&h, &p, "zjj", &d);
	assert_int_equal(d.n, 5);
	assert_non_null(strstr(d.v[0].message, "item zjj-004 was in the ledger at HEAD~1 and is gone"));
	zg_diags_release(&d);
	zg_history_release(&h);
	zg_project_release(&p);
}

static void test_no_history_to_compare(void **state)
{
	(void)state;
	struct zg_project p;
	open_project(&p);
	struct zg_history h;
	struct zg_error err;
	struct zg_diags d;
	assert_int_equal(zg_history_open(&p, "HEAD", &h, &err), 0);

	/* A ledger that did not exist at the revision has no history. */
	write_file("p/ledgers/jyj.yaml",
		   "unit: jyj\nitems:\n  - {id: jyj-001, category: other, suggestions: [a]}\n");
	history_of(&h, &p, "jyj", &d);
	assert_int_equal(d.n, 0);
	zg_diags_release(&d);

	/* A ledger that does not parse now is the syntax rule's business. */
	write_file("p/ledgers/zjj.yaml", "unit: zjj\nitems: [\n");
	history_of(&h, &p, "zjj", &d);
	assert_int_equal(d.n, 0);
	zg_diags_release(&d);

	/* A ledger that is not a ledger now: the same. */
	write_file("p/ledgers/zjj.yaml", "- just\n- a list\n");
	history_of(&h, &p, "zjj", &d);
	assert_int_equal(d.n, 0);
	zg_diags_release(&d);
	zg_history_release(&h);

	/* What was committed did not parse, or was no ledger: nothing to
	 * hold the new version to. */
	static const char *const old[] = { "unit: zjj\nitems: [\n",
					   "- just\n- a list\n",
					   "unit: zjj\n" };
	for (size_t i = 0; i < sizeof old / sizeof *old; i++) {
		write_file("p/ledgers/zjj.yaml", old[i]);
		commit("broken");
		assert_int_equal(zg_history_open(&p, "HEAD", &h, &err), 0);
		write_file("p/ledgers/zjj.yaml", v2);
		history_of(&h, &p, "zjj", &d);
		assert_int_equal(d.n, 0);
		zg_diags_release(&d);
		zg_history_release(&h);
	}
	zg_project_release(&p);
}

static void test_item_gone_from_ledger_without_items(void **state)
{
	(void)state;
	/* Every item removed, 'items' too: reported at the document. */
	write_file("p/ledgers/zjj.yaml", "# 清空了\nunit: zjj\n");
	struct zg_project p;
	struct zg_history h;
	open_against_head(&p, &h);
	struct zg_diags d;
	history_of(&h, &p, "zjj", &d);
	assert_int_equal(d.n, 6);
	for (size_t i = 0; i < d.n; i++) {
		char want[128];
		snprintf(want, sizeof want,
			 "item zjj-00%zu was in the ledger at HEAD and is gone",
			 i + 1);
		assert_non_null(strstr(d.v[i].message, want));
		assert_int_equal(d.v[i].line, 2);
		assert_int_equal(d.v[i].column, 1);
	}
	zg_diags_release(&d);
	zg_history_release(&h);
	zg_project_release(&p);
}

static void test_ledger_deleted_whole(void **state)
{
	(void)state;
	/* zjj's six items at HEAD, its file gone now: one finding each, at
	 * the line of its id then. */
	sh("rm p/ledgers/zjj.yaml");
	struct zg_project p;
	struct zg_history h;
	open_against_head(&p, &h);
	struct zg_error err;
	struct zg_diags d;
	zg_diags_init(&d);
	zg_history_check_gone(&h, &p, NULL, 0, NULL, 0, &d);
	zg_diags_sort(&d);
	assert_int_equal(d.n, 6);
	unsigned last = 0;
	for (size_t i = 0; i < d.n; i++) {
		char id[32], want[160];
		snprintf(id, sizeof id, "zjj-00%zu", i + 1);
		snprintf(want, sizeof want,
			 "item %s was in this ledger at HEAD (this line then), and the ledger is gone",
			 id);
		assert_string_equal(d.v[i].rule, "history");
		assert_string_equal(d.v[i].file, "p/ledgers/zjj.yaml");
		assert_string_equal(d.v[i].item, id);
		assert_non_null(strstr(d.v[i].message, want));
		assert_true(d.v[i].line > last);	/* each at its own line */
		last = d.v[i].line;
	}
	zg_diags_release(&d);

	/* Read now (among the codes), or left out by --unit: nothing. */
	char *codes[] = { "zjj" };
	zg_diags_init(&d);
	zg_history_check_gone(&h, &p, codes, 1, NULL, 0, &d);
	const char *jyj[] = { "jyj" };
	zg_history_check_gone(&h, &p, NULL, 0, jyj, 1, &d);
	assert_int_equal(d.n, 0);
	/* Named by --unit: reported. */
	const char *zjj[] = { "zjj" };
	zg_history_check_gone(&h, &p, NULL, 0, zjj, 1, &d);
	assert_int_equal(d.n, 6);
	zg_diags_release(&d);
	zg_history_release(&h);

	/* Against a revision without ledgers/ at all: nothing gone. */
	sh("git checkout -q --orphan empty && git rm -rq --cached . && "
	   "git commit -q --no-verify --allow-empty -m empty");
	assert_int_equal(zg_history_open(&p, "empty", &h, &err), 0);
	zg_diags_init(&d);
	zg_history_check_gone(&h, &p, NULL, 0, NULL, 0, &d);
	assert_int_equal(d.n, 0);
	zg_diags_release(&d);
	zg_history_release(&h);
	zg_project_release(&p);
}

static void test_unknown_revision(void **state)
{
	(void)state;
	struct zg_project p;
	open_project(&p);
	struct zg_history h;
	struct zg_error err;
	assert_int_equal(zg_history_open(&p, "no-such-branch", &h, &err), -1);
	assert_string_equal(err.message,
			    "--against 'no-such-branch' names no commit of the repository");
	assert_null(h.prefix);
	assert_null(h.commit);
	/* A tree is not a commit. */
	assert_int_equal(zg_history_open(&p, "HEAD^{tree}", &h, &err), -1);
	assert_string_equal(err.message,
			    "--against 'HEAD^{tree}' names no commit of the repository");
	/* Nor is a revision before the first. */
	assert_int_equal(zg_history_open(&p, "HEAD~5", &h, &err), -1);
	assert_non_null(strstr(err.message, "'HEAD~5' names no commit"));
	zg_project_release(&p);
}

static void test_not_a_repository(void **state)
{
	(void)state;
	sh("rm -rf .git");
	struct zg_project p;
	open_project(&p);
	struct zg_history h;
	struct zg_error err;
	assert_int_equal(zg_history_open(&p, "HEAD", &h, &err), -1);
	assert_string_equal(err.message,
			    "--against needs a git repository, and p is not in one");
	assert_null(h.prefix);
	zg_project_release(&p);
}

static void test_no_git(void **state)
{
	(void)state;
	struct zg_project p;
	open_project(&p);
	struct zg_history h;
	struct zg_error err;
	/* An empty folder as the whole PATH: git cannot be found. */
	assert_int_equal(mkdir("empty", 0755), 0);
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/empty", tmp);
	setenv("PATH", path, 1);
	assert_int_equal(zg_history_open(&p, "HEAD", &h, &err), -1);
	setenv("PATH", saved_path, 1);
	assert_string_equal(err.message,
			    "--against needs git, and git cannot be run: No such file or directory");

	/* git gone after the revision was found: the ledger cannot be
	 * compared, and nothing is claimed about it. */
	write_file("p/ledgers/zjj.yaml", v2);
	assert_int_equal(zg_history_open(&p, "HEAD", &h, &err), 0);
	setenv("PATH", path, 1);
	struct zg_diags d;
	history_of(&h, &p, "zjj", &d);
	setenv("PATH", saved_path, 1);
	assert_int_equal(d.n, 0);
	zg_diags_release(&d);
	zg_history_release(&h);
	zg_project_release(&p);
}

/* ---- through zg_check_run, as zg-check --against runs it ---- */

struct collected {
	size_t history;
	size_t calls;
};

static void count_history(const struct zg_diags *ledger, void *ctx)
{
	struct collected *c = ctx;
	c->calls++;
	for (size_t i = 0; i < ledger->n; i++)
		c->history += strcmp(ledger->v[i].rule, "history") == 0;
}

static bool only_history(const char *rule, void *ctx)
{
	(void)ctx;
	return strcmp(rule, "history") == 0;
}

static bool all_but_history(const char *rule, void *ctx)
{
	(void)ctx;
	return strcmp(rule, "history") != 0;
}

static void test_check_run_against(void **state)
{
	(void)state;
	write_file("p/ledgers/zjj.yaml", v2);
	struct zg_project p;
	struct zg_history h;
	open_against_head(&p, &h);
	struct zg_error err;
	struct zg_check_options o;
	memset(&o, 0, sizeof o);
	o.as_of = (struct zg_date){ 2018, 9, 2 };
	o.due_within = -1;
	o.history = &h;
	static bool (*const filters[])(const char *, void *) = {
		NULL, only_history, all_but_history,
	};
	static const size_t want[] = { 5, 5, 0 };
	for (size_t f = 0; f < 3; f++) {
		for (unsigned jobs = 1; jobs <= 4; jobs += 3) {
			o.wanted = filters[f];
			struct collected c = { 0, 0 };
			struct zg_diags d;
			struct zg_check_stats stats;
			zg_diags_init(&d);
			assert_int_equal(zg_check_run(&p, NULL, 0, &o, jobs,
						      count_history, &c, &d,
						      &stats, &err), 0);
			assert_int_equal(c.calls, 1);
			assert_int_equal(c.history, want[f]);
			assert_int_equal(stats.ledgers, 1);
			assert_int_equal(stats.items, 6);
			zg_diags_release(&d);
		}
	}
	zg_history_release(&h);
	zg_project_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unchanged_and_reformatted_trace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_each_history_finding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_evidence_is_part_of_the_trace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_against_an_older_revision, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_history_to_compare, setup, teardown),
		cmocka_unit_test_setup_teardown(test_item_gone_from_ledger_without_items, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ledger_deleted_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_revision, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_repository, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_git, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_run_against, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
