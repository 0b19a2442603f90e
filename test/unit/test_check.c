/*
 * test_check.c - the worker pool behind zg-check: ledgers reach the sink
 * in file order with the same findings whatever the number of threads,
 * duplicate ids name their first place, the counts, unknown units, and
 * what happens when threads or memory run short.
 */
#define _GNU_SOURCE		/* pthread_getattr_default_np */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zg/check.h"
#include "zg/init.h"
#include "zg/project.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

static char tmp[64];
static char start_dir[PATH_MAX];

static const struct zg_unit_spec units[] = {
	{ "zjj", "县住建局", ZG_UNIT_BUREAU },
	{ "jyj", "县教育局", ZG_UNIT_BUREAU },
	{ "a-b", "甲乙镇", ZG_UNIT_TOWN },
	{ "a", "甲镇", ZG_UNIT_TOWN },
	{ "hbj", "县环保局", ZG_UNIT_BUREAU },
};

static const char item_fmt[] =
	"  - id: %s\n"
	"    category: other\n"
	"    suggestions: [路灯不亮]\n"
	"    received: 2018-06-20\n"
	"    explanation: 已修\n"
	"    cause: 老化\n"
	"    status: done\n"
	"    completed: 2018-07-01\n"
	"    result: 已更换路灯\n";

/* A ledger of unit with the given item ids. */
static void write_ledger(const char *code, const char *unit,
			 const char *const *ids, size_t n)
{
	char path[128];
	snprintf(path, sizeof path, "p/ledgers/%s.yaml", code);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "unit: %s\nitems:\n", unit);
	if (n == 0)
		fputs("  []\n", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, item_fmt, ids[i]);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	(void)state;
	assert_non_null(getcwd(start_dir, sizeof start_dir));
	snprintf(tmp, sizeof tmp, "/tmp/zg-test-check-XXXXXX");
	assert_non_null(mkdtemp(tmp));
	assert_int_equal(chdir(tmp), 0);
	struct zg_init_options o;
	zg_init_defaults(&o);
	o.dir = "p";
	o.units = units;
	o.nunits = sizeof units / sizeof *units;
	struct zg_error err;
	assert_int_equal(zg_init_create(&o, &err), 0);

	const char *zjj[] = { "zjj-001", "zjj-002", "zjj-01" };
	const char *jyj[] = { "zjj-001", "jyj-001" };
	const char *a[] = { "a-001" };
	write_ledger("zjj", "zjj", zjj, 3);
	write_ledger("jyj", "jyj", jyj, 2);
	write_ledger("a", "a", a, 1);
	write_ledger("a-b", "a", NULL, 0);	/* in the wrong file */
	write_ledger("stray", "stray", NULL, 0);
	assert_int_equal(unlink("p/ledgers/hbj.yaml"), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(chdir(start_dir), 0);
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* What the sink saw: one block per call, one line per finding. */
struct seen {
	char *text;
	size_t len;
	size_t calls;
	pthread_t thread;
	bool other_thread;
};

static void seen_add(struct seen *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void seen_add(struct seen *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *t = realloc(s->text, s->len + (size_t)n + 1);
	assert_non_null(t);
	s->text = t;
	va_start(ap, fmt);
	vsnprintf(s->text + s->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	s->len += (size_t)n;
}

static void sink(const struct zg_diags *ledger, void *ctx)
{
	struct seen *s = ctx;
	if (!pthread_equal(pthread_self(), s->thread))
		s->other_thread = true;
	s->calls++;
	seen_add(s, "-- %zu\n", ledger->n);
	for (size_t i = 0; i < ledger->n; i++) {
		const struct zg_diag *g = &ledger->v[i];
		seen_add(s, "%s:%u:%u %s %s [%s] %s\n", g->file, g->line,
			 g->column, zg_severity_name(g->severity), g->rule,
			 g->item ? g->item : "-", g->message);
	}
}

static void seen_init(struct seen *s)
{
	memset(s, 0, sizeof *s);
	s->thread = pthread_self();
	s->text = calloc(1, 1);
	assert_non_null(s->text);
}

static void options(struct zg_check_options *o)
{
	memset(o, 0, sizeof *o);
	o->as_of = (struct zg_date){ 2018, 9, 1 };
	o->due_within = -1;
}

/* Only the rules across files; the reader's own findings come anyway. */
static bool ids_and_units(const char *rule, void *ctx)
{
	(void)ctx;
	return strcmp(rule, "id") == 0 || strcmp(rule, "unit") == 0;
}

struct run {
	struct seen seen;
	struct zg_diags project;
	struct zg_check_stats stats;
	struct zg_error err;
	int rc;
};

static void run_check(const char *const *only, size_t nonly, unsigned jobs,
		      const struct zg_check_options *o, struct run *r)
{
	struct zg_project p;
	struct zg_diags d;
	struct zg_error err;
	zg_diags_init(&d);
	assert_int_equal(zg_project_open(&p, "p", &d, &err), 0);
	assert_int_equal(d.n, 0);
	zg_diags_release(&d);
	seen_init(&r->seen);
	zg_diags_init(&r->project);
	memset(&r->stats, 0xAB, sizeof r->stats);
	r->err.message[0] = '\0';
	r->rc = zg_check_run(&p, only, nonly, o, jobs, sink, &r->seen,
			     &r->project, &r->stats, &r->err);
	zg_project_release(&p);
}

static void run_release(struct run *r)
{
	free(r->seen.text);
	zg_diags_release(&r->project);
}

/* The block of the sink's n-th call (0-based), as a fresh string. */
static char *block(const struct seen *s, size_t n)
{
	const char *p = s->text;
	for (size_t i = 0; i <= n; i++) {
		p = strstr(i ? p + 1 : p, "-- ");
		assert_non_null(p);
	}
	const char *end = strstr(p + 1, "\n-- ");
	size_t len = end ? (size_t)(end - p) + 1 : strlen(p);
	return strndup(p, len);
}

static void test_file_order_and_same_findings_for_any_jobs(void **state)
{
	(void)state;
	struct zg_check_options o;
	options(&o);
	o.wanted = ids_and_units;
	struct run one, four, many;
	run_check(NULL, 0, 1, &o, &one);
	run_check(NULL, 0, 4, &o, &four);
	run_check(NULL, 0, 64, &o, &many);
	assert_int_equal(one.rc, 0);
	assert_int_equal(four.rc, 0);
	assert_int_equal(many.rc, 0);

	/* a-b, a, jyj, stray, zjj: by file name as strcmp orders them
	 * ("a-b.yaml" < "a.yaml"), not by zg.yaml's order or the codes. */
	assert_int_equal(one.seen.calls, 5);
	char *b0 = block(&one.seen, 0), *b1 = block(&one.seen, 1),
	     *b2 = block(&one.seen, 2), *b3 = block(&one.seen, 3),
	     *b4 = block(&one.seen, 4);
	assert_string_equal(b0, "-- 1\n"
			    "p/ledgers/a-b.yaml:1:7 error unit [-] 'unit' is 'a' but the file is a-b.yaml; a ledger's file is named after its unit code\n");
	assert_string_equal(b1, "-- 0\n");	/* a: a good ledger */
	assert_string_equal(b2, "-- 1\n"
			    "p/ledgers/jyj.yaml:3:9 error id [zjj-001] item id 'zjj-001' does not start with this ledger's unit 'jyj-'\n");
	assert_string_equal(b3, "-- 1\n"
			    "p/ledgers/stray.yaml:1:7 error unit [-] unit 'stray' is not declared in zg.yaml; add it under 'units', or move the ledger\n");
	/* jyj's zjj-001 comes first in file order: zjj's own is the twin,
	 * and the findings of a ledger are sorted by place. */
	assert_string_equal(b4, "-- 2\n"
			    "p/ledgers/zjj.yaml:3:9 error id [zjj-001] duplicate item id 'zjj-001' (first at p/ledgers/jyj.yaml:3:9); every item needs its own id\n"
			    "p/ledgers/zjj.yaml:21:9 error id [zjj-01] item id 'zjj-01' is malformed; an id is the unit code, '-' and a number of at least three digits, e.g. zjj-001\n");
	free(b0);
	free(b1);
	free(b2);
	free(b3);
	free(b4);

	/* The same findings, in the same order, on one thread or many, and
	 * always handed over on the calling thread. */
	assert_string_equal(four.seen.text, one.seen.text);
	assert_string_equal(many.seen.text, one.seen.text);
	assert_false(one.seen.other_thread);
	assert_false(four.seen.other_thread);
	assert_false(many.seen.other_thread);

	/* Counts: five files read, 0 + 1 + 2 + 0 + 3 items. */
	assert_int_equal(one.stats.ledgers, 5);
	assert_int_equal(one.stats.items, 6);
	assert_int_equal(four.stats.ledgers, 5);
	assert_int_equal(four.stats.items, 6);

	/* zg.yaml: hbj is declared and has no ledger. */
	assert_int_equal(one.project.n, 1);
	assert_int_equal(four.project.n, 1);
	const struct zg_diag *g = &one.project.v[0];
	assert_string_equal(g->file, "p/zg.yaml");
	assert_int_equal(g->severity, ZG_WARNING);
	assert_string_equal(g->rule, "unit");
	assert_string_equal(g->message,
			    "unit 'hbj' has no ledger yet (ledgers/hbj.yaml); create it with zg-add item --unit hbj");
	assert_string_equal(four.project.v[0].message, g->message);
	run_release(&one);
	run_release(&four);
	run_release(&many);
}

static void test_every_rule_same_for_any_jobs(void **state)
{
	(void)state;
	struct zg_check_options o;
	options(&o);
	struct run one, four;
	run_check(NULL, 0, 1, &o, &one);
	run_check(NULL, 0, 4, &o, &four);
	assert_int_equal(one.rc, 0);
	assert_int_equal(four.rc, 0);
	assert_int_equal(one.seen.calls, 5);
	/* The time and evidence rules ran too. */
	assert_non_null(strstr(one.seen.text, " deadline/submit [a-001] "));
	assert_non_null(strstr(one.seen.text, " evidence/required [zjj-002] "));
	assert_string_equal(four.seen.text, one.seen.text);
	assert_int_equal(four.project.n, one.project.n);
	for (size_t i = 0; i < one.project.n; i++)
		assert_string_equal(four.project.v[i].message,
				    one.project.v[i].message);
	run_release(&one);
	run_release(&four);
}

static void test_zero_jobs_is_one(void **state)
{
	(void)state;
	struct zg_check_options o;
	options(&o);
	struct run zero, one;
	run_check(NULL, 0, 0, &o, &zero);
	run_check(NULL, 0, 1, &o, &one);
	assert_int_equal(zero.rc, 0);
	assert_int_equal(zero.seen.calls, 5);
	assert_string_equal(zero.seen.text, one.seen.text);
	run_release(&zero);
	run_release(&one);
}

static void test_selected_units(void **state)
{
	(void)state;
	struct zg_check_options o;
	options(&o);
	const char *only[] = { "zjj", "hbj", "zjj" };
	struct run r;
	run_check(only, 3, 4, &o, &r);
	assert_int_equal(r.rc, 0);
	/* zjj once; hbj has no file.  Alone, zjj's first zjj-001 is no
	 * duplicate any more. */
	assert_int_equal(r.seen.calls, 1);
	assert_int_equal(r.stats.ledgers, 1);
	assert_int_equal(r.stats.items, 3);
	assert_null(strstr(r.seen.text, "duplicate"));
	assert_non_null(strstr(r.seen.text, "[zjj-01] item id 'zjj-01' is malformed"));
	/* Only the wanted unit without a ledger is reported. */
	assert_int_equal(r.project.warnings, 1);
	bool hbj = false;
	for (size_t i = 0; i < r.project.n; i++)
		hbj |= strstr(r.project.v[i].message, "unit 'hbj' has no ledger") != NULL;
	assert_true(hbj);
	run_release(&r);
}

static void test_broken_ledgers(void **state)
{
	(void)state;
	/* A ledger that does not parse, and an item without an id. */
	FILE *f = fopen("p/ledgers/jyj.yaml", "w");
	assert_non_null(f);
	fputs("unit: jyj\nitems: [\n", f);
	assert_int_equal(fclose(f), 0);
	f = fopen("p/ledgers/a.yaml", "w");
	assert_non_null(f);
	fputs("unit: a\nitems:\n", f);
	fprintf(f, item_fmt, "a-001");
	fputs("  - category: other\n    suggestions: [无编号]\n", f);
	assert_int_equal(fclose(f), 0);
	struct zg_check_options o;
	options(&o);
	o.wanted = ids_and_units;
	struct run one, four;
	run_check(NULL, 0, 1, &o, &one);
	run_check(NULL, 0, 4, &o, &four);
	assert_int_equal(one.rc, 0);
	assert_string_equal(four.seen.text, one.seen.text);
	assert_int_equal(one.seen.calls, 5);
	/* Both files were read; jyj has no items to count, a has two. */
	assert_int_equal(one.stats.ledgers, 5);
	assert_int_equal(one.stats.items, 2 + 3);
	char *a = block(&one.seen, 1), *jyj = block(&one.seen, 2);
	assert_non_null(strstr(a, "p/ledgers/a.yaml:12:5 error required [-] missing required field 'id'"));
	assert_non_null(strstr(jyj, "p/ledgers/jyj.yaml:"));
	assert_non_null(strstr(jyj, " error syntax [-] cannot parse YAML"));
	/* With jyj unreadable, zjj's zjj-001 is the first one. */
	assert_null(strstr(one.seen.text, "duplicate"));
	free(a);
	free(jyj);
	run_release(&one);
	run_release(&four);
}

static void test_fifo_ledger_while_checking(void **state)
{
	(void)state;
	/* A named pipe in place of a ledger is reported, never waited on. */
	assert_int_equal(unlink("p/ledgers/a.yaml"), 0);
	assert_int_equal(mkfifo("p/ledgers/a.yaml", 0600), 0);
	struct zg_check_options o;
	options(&o);
	o.wanted = ids_and_units;
	struct run r;
	run_check(NULL, 0, 1, &o, &r);
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.seen.text, "not a regular file"));
	run_release(&r);
}

static void test_unknown_unit(void **state)
{
	(void)state;
	struct zg_check_options o;
	options(&o);
	const char *only[] = { "zjj", "nosuch" };
	struct run r;
	run_check(only, 2, 4, &o, &r);
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.err.message,
			    "unknown unit 'nosuch': it is not declared in p/zg.yaml");
	assert_int_equal(r.seen.calls, 0);
	assert_int_equal(r.stats.ledgers, 0);
	assert_int_equal(r.stats.items, 0);
	assert_int_equal(r.project.n, 0);
	run_release(&r);

	/* A code that could not name a file is refused the same way. */
	const char *bad[] = { "../zjj" };
	run_check(bad, 1, 1, &o, &r);
	assert_int_equal(r.rc, -1);
	assert_non_null(strstr(r.err.message, "unknown unit '../zjj'"));
	run_release(&r);
}

static void test_no_ledgers_at_all(void **state)
{
	(void)state;
	assert_int_equal(system("rm -f p/ledgers/*.yaml"), 0);
	struct zg_check_options o;
	options(&o);
	struct run r;
	run_check(NULL, 0, 4, &o, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.seen.calls, 0);
	assert_int_equal(r.stats.ledgers, 0);
	/* Every declared unit lacks its ledger. */
	assert_int_equal(r.project.warnings, 5);
	run_release(&r);
}

static void test_more_ledgers_than_threads_allowed(void **state)
{
	(void)state;
	/* 300 ledgers and 300 jobs: at most 256 threads are started. */
	for (int i = 0; i < 300; i++) {
		char code[16];
		char id[24];
		snprintf(code, sizeof code, "x%03d", i);
		snprintf(id, sizeof id, "%s-001", code);
		const char *ids[] = { id };
		write_ledger(code, code, ids, 1);
	}
	struct zg_check_options o;
	options(&o);
	struct run wide, one;
	run_check(NULL, 0, 300, &o, &wide);
	run_check(NULL, 0, 1, &o, &one);
	assert_int_equal(wide.rc, 0);
	assert_int_equal(wide.seen.calls, 305);
	assert_int_equal(wide.stats.ledgers, 305);
	assert_int_equal(wide.stats.items, 306);
	assert_string_equal(wide.seen.text, one.seen.text);
	run_release(&wide);
	run_release(&one);
}

static void test_default_jobs(void **state)
{
	(void)state;
	unsigned n = zg_check_default_jobs();
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	assert_true(n >= 1);
	if (online > 0 && online < 256)
		assert_int_equal(n, (unsigned)online);
}

/*
 * ---- short of threads or memory ----
 *
 * These run in a fresh copy of this program (fork and exec), whose
 * address space is limited with RLIMIT_AS to what it uses at start plus
 * a headroom: a fresh process has no freed heap and no cached thread
 * stacks to draw on, so what fails is the same on every run.  The copy
 * reports through its exit status, and lifts the limit again before it
 * exits, so that coverage data can still be written.
 */

static size_t address_space_in_use(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long pages = 0;
	if (f) {
		if (fscanf(f, "%lu", &pages) != 1)
			pages = 0;
		fclose(f);
	}
	return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

static int run_limited(const char *scenario)
{
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execl("/proc/self/exe", "test_check", "--limited", scenario,
		      (char *)NULL);
		_exit(127);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status)
				 : 128 + WTERMSIG(status);
}

static size_t default_stack_size(void)
{
	pthread_attr_t attr;
	size_t stack = 0;
	if (pthread_getattr_default_np(&attr) != 0)
		return 0;
	if (pthread_attr_getstacksize(&attr, &stack) != 0)
		stack = 0;
	pthread_attr_destroy(&attr);
	return stack;
}

/* In the copy: checks p with jobs threads, the sink's text to out. */
static int limited_check(unsigned jobs, char **out, struct zg_check_stats *stats,
			 struct zg_error *err)
{
	struct zg_check_options o;
	options(&o);
	struct zg_project p;
	struct zg_diags d;
	zg_diags_init(&d);
	if (zg_project_open(&p, "p", &d, err) != 0)
		return -2;
	struct seen s;
	memset(&s, 0, sizeof s);
	s.thread = pthread_self();
	s.text = calloc(1, 1);
	int rc = zg_check_run(&p, NULL, 0, &o, jobs, sink, &s, &d, stats, err);
	*out = s.text;
	return rc;
}

/* The copy's main: the scenario's exit status. */
static int limited_main(const char *scenario)
{
	bool threads = strcmp(scenario, "threads") == 0;
	size_t headroom = threads ? default_stack_size() / 2 : (size_t)16 << 20;
	if (headroom < ((size_t)1 << 19))
		return 80;
	struct rlimit old, rl;
	if (getrlimit(RLIMIT_AS, &old) != 0)
		return 81;
	rl = old;
	rl.rlim_cur = (rlim_t)(address_space_in_use() + headroom);
	if (setrlimit(RLIMIT_AS, &rl) != 0)
		return 82;
	char *text = NULL;
	struct zg_check_stats stats;
	struct zg_error err;
	int rc;
	if (threads) {
		/*
		 * No thread's stack fits: none starts, and the calling
		 * thread checks every ledger itself, with the findings
		 * the parent expects in want.txt.
		 */
		rc = limited_check(4, &text, &stats, &err);
		setrlimit(RLIMIT_AS, &old);
		if (rc != 0)
			return 10;
		char *want;
		size_t len;
		if (zg_read_file("want.txt", &want, &len) != 0)
			return 11;
		bool same = strcmp(text, want) == 0;
		free(want);
		if (!same)
			return 12;
		if (stats.ledgers != 5 || stats.items != 6)
			return 13;
	} else {
		rc = limited_check(1, &text, &stats, &err);
		setrlimit(RLIMIT_AS, &old);
		if (rc != -1)
			return 20;
		if (strcmp(err.message, "out of memory") != 0)
			return 21;
	}
	free(text);
	return 0;
}

static void test_threads_cannot_start(void **state)
{
	(void)state;
#ifdef UNDER_ASAN
	(void)run_limited;
	skip();
#else
	struct zg_check_options o;
	options(&o);
	struct run r;
	run_check(NULL, 0, 1, &o, &r);
	assert_int_equal(r.rc, 0);
	FILE *f = fopen("want.txt", "w");
	assert_non_null(f);
	fputs(r.seen.text, f);
	assert_int_equal(fclose(f), 0);
	run_release(&r);
	assert_int_equal(run_limited("threads"), 0);
#endif
}

static void test_out_of_memory(void **state)
{
	(void)state;
#ifdef UNDER_ASAN
	(void)run_limited;
	skip();
#else
	/*
	 * A 4 MiB ledger can be read in 16 MiB, but not parsed and
	 * checked: its tree takes many times its size.
	 */
	FILE *f = fopen("p/ledgers/zjj.yaml", "w");
	assert_non_null(f);
	fputs("unit: zjj\nitems:\n", f);
	for (int i = 1; ftell(f) < (4L << 20); i++) {
		char id[24];
		snprintf(id, sizeof id, "zjj-%05d", i);
		fprintf(f, item_fmt, id);
	}
	assert_int_equal(fclose(f), 0);
	assert_int_equal(run_limited("memory"), 0);
#endif
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--limited") == 0)
		return limited_main(argv[2]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_file_order_and_same_findings_for_any_jobs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_rule_same_for_any_jobs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zero_jobs_is_one, setup, teardown),
		cmocka_unit_test_setup_teardown(test_selected_units, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broken_ledgers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_ledger_while_checking, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_unit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_ledgers_at_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_more_ledgers_than_threads_allowed, setup, teardown),
		cmocka_unit_test(test_default_jobs),
		cmocka_unit_test_setup_teardown(test_threads_cannot_start, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
