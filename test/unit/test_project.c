/*
 * test_project.c - finding a project, reading it, and the checks across
 * files (unit, id).
 */
#define _GNU_SOURCE		/* O_PATH */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

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

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void rm_tree(const char *dir)
{
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
	(void)state;
	assert_non_null(getcwd(start_dir, sizeof start_dir));
	snprintf(tmp, sizeof tmp, "/tmp/zg-test-project-XXXXXX");
	assert_non_null(mkdtemp(tmp));
	struct zg_init_options o;
	zg_init_defaults(&o);
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s/p", tmp);
	o.dir = dir;
	o.units = zg_luzhai_units;
	o.nunits = 4;
	struct zg_error err;
	assert_int_equal(zg_init_create(&o, &err), 0);
	snprintf(dir, sizeof dir, "%s/p/evidence/zjj-001/deep", tmp);
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(chdir(start_dir), 0);
	rm_tree(tmp);
	unsetenv("ZG_DIR");
	return 0;
}

static void test_locate_walks_up(void **state)
{
	(void)state;
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s/p/evidence/zjj-001/deep", tmp);
	assert_int_equal(chdir(dir), 0);
	unsetenv("ZG_DIR");
	char *root = NULL;
	struct zg_error err;
	assert_int_equal(zg_project_locate(NULL, &root, &err), 0);
	assert_string_equal(root, "../../..");
	free(root);
	snprintf(dir, sizeof dir, "%s/p", tmp);
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(zg_project_locate(NULL, &root, &err), 0);
	assert_string_equal(root, ".");
	free(root);
}

static void test_locate_outside(void **state)
{
	(void)state;
	assert_int_equal(chdir(tmp), 0);
	unsetenv("ZG_DIR");
	char *root = (char *)"sentinel";
	struct zg_error err;
	assert_int_equal(zg_project_locate(NULL, &root, &err), -1);
	assert_null(root);
	assert_non_null(strstr(err.message, "not in a zg project"));
}

static void test_locate_option_and_env(void **state)
{
	(void)state;
	assert_int_equal(chdir(tmp), 0);
	char *root = NULL;
	struct zg_error err;
	setenv("ZG_DIR", "p", 1);
	assert_int_equal(zg_project_locate(NULL, &root, &err), 0);
	assert_string_equal(root, "p");
	free(root);
	/* -C wins over the environment, and trailing slashes go. */
	setenv("ZG_DIR", "nowhere", 1);
	assert_int_equal(zg_project_locate("p//", &root, &err), 0);
	assert_string_equal(root, "p");
	free(root);
	assert_int_equal(zg_project_locate(NULL, &root, &err), -1);
	assert_non_null(strstr(err.message, "ZG_DIR"));
	assert_int_equal(zg_project_locate("p/ledgers", &root, &err), -1);
	assert_non_null(strstr(err.message, "-C"));
	unsetenv("ZG_DIR");
}

static void test_open_and_load_in_unit_order(void **state)
{
	(void)state;
	assert_int_equal(chdir(tmp), 0);
	struct zg_project p;
	struct zg_diags d;
	struct zg_error err;
	zg_diags_init(&d);
	assert_int_equal(zg_project_open(&p, "p", &d, &err), 0);
	assert_int_equal(zg_project_load_ledgers(&p, NULL, 0, &d, &err), 0);
	assert_int_equal(d.n, 0);
	/* zg.yaml's order (zjj jyj rsj hbj), not the alphabet's. */
	assert_int_equal(p.nledgers, 4);
	assert_string_equal(p.ledgers[0].code, "zjj");
	assert_string_equal(p.ledgers[1].code, "jyj");
	assert_string_equal(p.ledgers[2].code, "rsj");
	assert_string_equal(p.ledgers[3].code, "hbj");
	assert_string_equal(p.ledgers[0].path, "p/ledgers/zjj.yaml");
	assert_ptr_equal(p.ledgers[1].unit, zg_project_unit(&p, "jyj"));
	assert_non_null(p.ledgers[0].doc);
	assert_int_equal(p.ledgers[0].doc->nitems, 0);
	zg_project_release(&p);
	zg_diags_release(&d);
}

static void test_unit_filter(void **state)
{
	(void)state;
	assert_int_equal(chdir(tmp), 0);
	struct zg_project p;
	struct zg_diags d;
	struct zg_error err;
	zg_diags_init(&d);
	assert_int_equal(zg_project_open(&p, "p", &d, &err), 0);
	const char *units[] = { "hbj" };
	assert_int_equal(zg_project_load_ledgers(&p, units, 1, &d, &err), 0);
	assert_int_equal(p.nledgers, 1);
	assert_string_equal(p.ledgers[0].code, "hbj");
	zg_project_release(&p);

	assert_int_equal(zg_project_open(&p, "p", &d, &err), 0);
	const char *unknown[] = { "nosuch" };
	assert_int_equal(zg_project_load_ledgers(&p, unknown, 1, &d, &err), -1);
	assert_non_null(strstr(err.message, "nosuch"));
	zg_project_release(&p);
	zg_diags_release(&d);
}

static void test_ids_and_units_across_files(void **state)
{
	(void)state;
	assert_int_equal(chdir(tmp), 0);
	write_file("p/ledgers/zjj.yaml",
		   "unit: zjj\nitems:\n"
		   "  - {id: zjj-001, category: other, suggestions: [a], status: done}\n"
		   "  - {id: zjj-0001, category: other, suggestions: [b], status: done}\n");
	write_file("p/ledgers/jyj.yaml",
		   "unit: jyj\nitems:\n"
		   "  - {id: zjj-001, category: other, suggestions: [c], status: done}\n");
	write_file("p/ledgers/rsj.yaml", "unit: hbj\nitems: []\n");
	write_file("p/ledgers/stray.yaml", "unit: stray\nitems: []\n");
	struct zg_project p;
	struct zg_diags d;
	struct zg_error err;
	zg_diags_init(&d);
	assert_int_equal(zg_project_open(&p, "p", &d, &err), 0);
	assert_int_equal(zg_project_load_ledgers(&p, NULL, 0, &d, &err), 0);
	zg_diags_sort(&d);
	assert_int_equal(d.n, 4);
	/* jyj: wrong prefix, and a duplicate of zjj's first id. */
	assert_string_equal(d.v[0].rule, "id");
	assert_string_equal(d.v[0].file, "p/ledgers/jyj.yaml");
	assert_non_null(strstr(d.v[0].message, "does not start"));
	assert_string_equal(d.v[1].rule, "id");
	assert_non_null(strstr(d.v[1].message, "first at p/ledgers/zjj.yaml:3:10"));
	assert_string_equal(d.v[2].rule, "unit");
	assert_string_equal(d.v[2].file, "p/ledgers/rsj.yaml");
	assert_string_equal(d.v[3].rule, "unit");
	assert_string_equal(d.v[3].file, "p/ledgers/stray.yaml");
	assert_non_null(strstr(d.v[3].message, "not declared"));
	/* zjj-0001 has four digits: well formed, and not a twin of zjj-001. */
	assert_int_equal(p.nledgers, 5);
	assert_string_equal(p.ledgers[4].code, "stray");
	assert_null(p.ledgers[4].unit);
	zg_project_release(&p);
	zg_diags_release(&d);
}

static void test_many_ids_hash(void **state)
{
	(void)state;
	assert_int_equal(chdir(tmp), 0);
	FILE *f = fopen("p/ledgers/hbj.yaml", "w");
	assert_non_null(f);
	fputs("unit: hbj\nitems:\n", f);
	for (int i = 1; i <= 3000; i++)
		fprintf(f, "  - {id: hbj-%03d, category: other, suggestions: [x], status: done}\n",
			i == 2999 ? 17 : i);
	assert_int_equal(fclose(f), 0);
	struct zg_project p;
	struct zg_diags d;
	struct zg_error err;
	zg_diags_init(&d);
	const char *units[] = { "hbj" };
	assert_int_equal(zg_project_open(&p, "p", &d, &err), 0);
	assert_int_equal(zg_project_load_ledgers(&p, units, 1, &d, &err), 0);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].line, 2999 + 2);
	assert_string_equal(d.v[0].item, "hbj-017");
	zg_project_release(&p);
	zg_diags_release(&d);
}

/* ---- the compact id index, with ledgers in memory ---- */

struct mem_ledger {
	char file[16];
	char **ids;
	size_t n;
	char code[8];
};

struct mem_ids {
	struct mem_ledger *ledgers;
	size_t nledgers;
	size_t current, added;	/* ids of the current ledger indexed so far */
	size_t finds;
};

static size_t mem_owner(void *ctx, const char *code, size_t len)
{
	struct mem_ids *m = ctx;
	for (size_t i = 0; i < m->nledgers; i++)
		if (strlen(m->ledgers[i].code) == len &&
		    strncmp(m->ledgers[i].code, code, len) == 0)
			return i;
	return SIZE_MAX;
}

/* Ids are at line k + 1, column ledger + 1 of file "L<ledger>". */
static int mem_find(void *ctx, size_t ledger, const char *id,
		    struct zg_id_first *out)
{
	struct mem_ids *m = ctx;
	const struct mem_ledger *l = &m->ledgers[ledger];
	size_t n = ledger == m->current ? m->added : l->n;
	m->finds++;
	for (size_t k = 0; k < n; k++) {
		if (strcmp(l->ids[k], id) == 0) {
			*out = (struct zg_id_first){ l->file, (unsigned)k + 1,
						     (unsigned)ledger + 1 };
			return 1;
		}
	}
	return 0;
}

static void mem_add_ledger(struct zg_id_index *x, struct mem_ids *m,
			   size_t ledger, struct zg_diags *d)
{
	struct mem_ledger *l = &m->ledgers[ledger];
	snprintf(l->file, sizeof l->file, "L%zu", ledger);
	m->current = ledger;
	for (size_t k = 0; k < l->n; k++) {
		m->added = k;
		assert_int_equal(zg_id_index_add(x, ledger, l->code, l->ids[k],
						 l->file,
						 (unsigned)k + 1,
						 (unsigned)ledger + 1, d), 0);
	}
}

/* A new index and list of findings, fed every ledger of m in order. */
static void index_all(struct zg_id_index *x, struct mem_ids *m,
		      struct zg_diags *d)
{
	zg_diags_init(d);
	zg_id_index_init(x, mem_find, mem_owner, m);
	for (size_t i = 0; i < m->nledgers; i++)
		mem_add_ledger(x, m, i, d);
}

static int cmp_hashed(const void *pa, const void *pb)
{
	const uint64_t *a = pa, *b = pb;
	return (*a > *b) - (*a < *b);
}

/* Two different ids of the same 32-bit hash, found by the birthday way. */
static void colliding_ids(char *a, char *b, size_t size)
{
	enum { N = 400000 };
	uint64_t *v = malloc(N * sizeof *v);
	assert_non_null(v);
	char id[32];
	for (uint32_t i = 0; i < N; i++) {
		snprintf(id, sizeof id, "t-%06u", i);
		v[i] = (uint64_t)zg_id_hash(id) << 32 | i;
	}
	qsort(v, N, sizeof *v, cmp_hashed);
	size_t k = 1;
	while (k < N && (v[k] >> 32) != (v[k - 1] >> 32))
		k++;
	assert_true(k < N);
	snprintf(a, size, "t-%06u", (unsigned)(v[k - 1] & UINT32_MAX));
	snprintf(b, size, "t-%06u", (unsigned)(v[k] & UINT32_MAX));
	free(v);
	assert_string_not_equal(a, b);
	assert_int_equal(zg_id_hash(a), zg_id_hash(b));
}

static void test_id_index_collisions(void **state)
{
	(void)state;
	char a[32], b[32];
	colliding_ids(a, b, sizeof a);
	/* L0 (code t) has a, its own; L1 has b (same hash: no duplicate),
	 * then a and b again; L2 has a: first at L0, which only L0's code
	 * says, though L1's slot of b comes in the chain. */
	char *l0[] = { a, "x-1" };
	char *l1[] = { b, "x-2", a, b };
	char *l2[] = { a };
	struct mem_ledger ledgers[] = {
		{ "", l0, 2, "t" }, { "", l1, 4, "q" }, { "", l2, 1, "r" },
	};
	struct mem_ids m = { ledgers, 3, 0, 0, 0 };
	struct zg_id_index x;
	struct zg_diags d;
	index_all(&x, &m, &d);
	assert_int_equal(x.n, 3);	/* the foreign ones: x-1, b, x-2 */
	assert_int_equal(d.n, 3);
	assert_string_equal(d.v[0].file, "L1");
	assert_int_equal(d.v[0].line, 3);
	assert_string_equal(d.v[0].item, a);
	assert_non_null(strstr(d.v[0].message, "(first at L0:1:1)"));
	assert_string_equal(d.v[1].file, "L1");
	assert_int_equal(d.v[1].line, 4);
	assert_string_equal(d.v[1].item, b);
	assert_non_null(strstr(d.v[1].message, "(first at L1:1:2)"));
	assert_string_equal(d.v[2].file, "L2");
	assert_string_equal(d.v[2].item, a);
	assert_non_null(strstr(d.v[2].message, "(first at L0:1:1)"));
	zg_id_index_release(&x);
	zg_diags_release(&d);
}

/* Own ids after the same ids foreign in earlier ledgers, a foreign id
 * found in the earlier ledger its prefix names, and ids with more than
 * one '-', whose prefix is all before the last. */
static void test_id_index_own_and_foreign(void **state)
{
	(void)state;
	char *l0[] = { "q-r-001", "q-001" };
	char *l1[] = { "q-r-001", "q-002", "q-r-002" };
	char *l2[] = { "q-001", "q-002", "q-r-002" };
	char *l3[] = { "q-r-001" };
	struct mem_ledger ledgers[] = {
		{ "", l0, 2, "p" }, { "", l1, 3, "q-r" }, { "", l2, 3, "q" },
		{ "", l3, 1, "s" },
	};
	struct mem_ids m = { ledgers, 4, 0, 0, 0 };
	struct zg_id_index x;
	struct zg_diags d;
	index_all(&x, &m, &d);
	static const struct {
		const char *file, *item, *first;
		unsigned line;
	} want[] = {
		{ "L1", "q-r-001", "L0:1:1", 1 },
		{ "L2", "q-001", "L0:2:1", 1 },
		{ "L2", "q-002", "L1:2:2", 2 },
		{ "L2", "q-r-002", "L1:3:2", 3 },
		{ "L3", "q-r-001", "L0:1:1", 1 },
	};
	assert_int_equal(d.n, sizeof want / sizeof *want);
	for (size_t k = 0; k < d.n; k++) {
		char first[32];
		snprintf(first, sizeof first, "(first at %s)", want[k].first);
		assert_string_equal(d.v[k].file, want[k].file);
		assert_string_equal(d.v[k].item, want[k].item);
		assert_int_equal(d.v[k].line, want[k].line);
		assert_non_null(strstr(d.v[k].message, first));
	}
	assert_int_equal(x.n, 3);	/* L0's two, L1's q-002 */
	zg_id_index_release(&x);
	zg_diags_release(&d);
}

/* ledgers[i] holds ids u<i>-<k>; their code is u<i> when own is true. */
static void id_index_growth(bool own)
{
	/* 60 ledgers of 1,000 ids, then one with every 97th id again. */
	enum { L = 60, N = 1000 };
	struct mem_ledger *ledgers = calloc(L + 1, sizeof *ledgers);
	char (*text)[16] = malloc((size_t)L * N * sizeof *text);
	assert_non_null(ledgers);
	assert_non_null(text);
	for (size_t i = 0; i <= L; i++) {
		ledgers[i].ids = calloc(N, sizeof *ledgers[i].ids);
		assert_non_null(ledgers[i].ids);
		snprintf(ledgers[i].code, sizeof ledgers[i].code,
			 own && i < L ? "u%02zu" : "z%02zu", i);
	}
	for (size_t i = 0; i < L; i++) {
		ledgers[i].n = N;
		for (size_t k = 0; k < N; k++) {
			snprintf(text[i * N + k], sizeof *text, "u%02zu-%04zu", i, k);
			ledgers[i].ids[k] = text[i * N + k];
		}
	}
	for (size_t j = 0; j < (size_t)L * N; j += 97)
		ledgers[L].ids[ledgers[L].n++] = text[j];
	struct mem_ids m = { ledgers, L + 1, 0, 0, 0 };
	struct zg_id_index x;
	struct zg_diags d;
	zg_diags_init(&d);
	zg_id_index_init(&x, mem_find, mem_owner, &m);
	for (size_t i = 0; i < L; i++)
		mem_add_ledger(&x, &m, i, &d);
	assert_int_equal(d.n, 0);
	if (own) {
		/* Own ids are not kept past their ledger: memory is flat. */
		assert_int_equal(x.n, 0);
		assert_true(x.cap <= 64);
	} else {
		assert_int_equal(x.n, (size_t)L * N);
		/* At most 7/8 full, a power of two, 8 bytes a slot. */
		assert_true(x.n * 8 <= x.cap * 7);
		assert_int_equal(x.cap & (x.cap - 1), 0);
		assert_true(x.cap <= 2 * (size_t)L * N * 8 / 7);
	}
	/* The table of one ledger's ids is the size of one ledger. */
	assert_true(x.local_n * 8 <= x.local_cap * 7);
	assert_true(x.local_cap <= 2 * (size_t)N * 8 / 7);
	size_t finds = m.finds;
	mem_add_ledger(&x, &m, L, &d);
	assert_int_equal(d.n, ledgers[L].n);
	for (size_t k = 0; k < d.n; k++) {
		size_t j = k * 97, from = j / N;
		char want[64];
		snprintf(want, sizeof want, "(first at L%zu:%zu:%zu)", from,
			 j % N + 1, from + 1);
		assert_non_null(strstr(d.v[k].message, want));
	}
	/* Ledgers are asked only when hashes meet, or, for a foreign id,
	 * its prefix names an earlier ledger: about once a duplicate. */
	assert_true(m.finds - finds < 2 * ledgers[L].n);
	assert_true(finds < (size_t)L * N / 100);
	zg_id_index_release(&x);
	zg_diags_release(&d);
	for (size_t i = 0; i <= L; i++)
		free(ledgers[i].ids);
	free(ledgers);
	free(text);
}

static void test_id_index_growth(void **state)
{
	(void)state;
	id_index_growth(false);
}

static void test_id_index_flat(void **state)
{
	(void)state;
	id_index_growth(true);
}

static int fail_find(void *ctx, size_t ledger, const char *id,
		     struct zg_id_first *out)
{
	(void)ctx;
	(void)ledger;
	(void)id;
	(void)out;
	return -1;
}

static void test_id_index_find_fails(void **state)
{
	(void)state;
	struct zg_id_index x;
	struct zg_diags d;
	zg_diags_init(&d);
	zg_id_index_init(&x, fail_find, NULL, NULL);
	assert_int_equal(zg_id_index_add(&x, 0, "b", "a-001", "f", 1, 1, &d), 0);
	/* The same id: the ledger must be asked, and it cannot answer. */
	assert_int_equal(zg_id_index_add(&x, 1, "c", "a-001", "g", 1, 1, &d), -1);
	assert_int_equal(zg_id_index_add(&x, UINT32_MAX, "b", "b-001", "g", 1, 1, &d), -1);
	assert_int_equal(d.n, 0);
	zg_id_index_release(&x);
	zg_id_index_release(&x);	/* released twice: still fine */
	zg_diags_release(&d);
}

static void test_unreadable_config(void **state)
{
	(void)state;
	assert_int_equal(chdir(tmp), 0);
	struct zg_project p;
	struct zg_diags d;
	struct zg_error err;
	zg_diags_init(&d);
	assert_int_equal(zg_project_open(&p, "nowhere", &d, &err), -1);
	assert_non_null(strstr(err.message, "nowhere/zg.yaml"));
	zg_project_release(&p);
	write_file("p/zg.yaml", "zg: [1\n");
	assert_int_equal(zg_project_open(&p, "p", &d, &err), -1);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].rule, "syntax");
	zg_project_release(&p);
	zg_diags_release(&d);
}

static void test_read_file(void **state)
{
	(void)state;
	assert_int_equal(chdir(tmp), 0);
	char *buf;
	size_t len;
	write_file("empty", "");
	assert_int_equal(zg_read_file("empty", &buf, &len), 0);
	assert_int_equal(len, 0);
	assert_int_equal(buf[0], '\0');
	free(buf);
	assert_int_equal(zg_read_file("missing", &buf, &len), ENOENT);
	assert_null(buf);
	assert_int_equal(zg_read_file("p", &buf, &len), EISDIR);
	/* /proc files report size 0 but have content. */
	assert_int_equal(zg_read_file("/proc/self/status", &buf, &len), 0);
	assert_true(len > 0);
	assert_non_null(strstr(buf, "Name:"));
	free(buf);
}

static void test_unit_codes(void **state)
{
	(void)state;
	assert_true(zg_unit_code_valid("zjj"));
	assert_true(zg_unit_code_valid("a"));
	assert_true(zg_unit_code_valid("9town_2-b"));
	assert_true(zg_unit_code_valid("abcdefghijabcdefghijabcdefghij12"));
	assert_false(zg_unit_code_valid("abcdefghijabcdefghijabcdefghij123"));
	assert_false(zg_unit_code_valid(""));
	assert_false(zg_unit_code_valid("Zjj"));
	assert_false(zg_unit_code_valid("-zjj"));
	assert_false(zg_unit_code_valid("_zjj"));
	assert_false(zg_unit_code_valid("../../etc"));
	assert_false(zg_unit_code_valid("a/b"));
	assert_false(zg_unit_code_valid("住建局"));
}

static const char config_head[] =
	"zg: 1\n"
	"county: 鹿寨县\n"
	"office: 鹿寨县绩效考评委员会办公室\n"
	"evaluation_year: 2017\n"
	"deadlines: {submit: 2018-07-06, publicise: 2018-07-11, complete: 2018-11-20, self_review: 2018-11-30}\n";

static void open_ok(struct zg_project *p, struct zg_diags *d)
{
	struct zg_error err;
	zg_diags_init(d);
	assert_int_equal(zg_project_open(p, "p", d, &err), 0);
}

static void test_read_file_errors(void **state)
{
	(void)state;
	assert_int_equal(chdir(tmp), 0);
	char *buf = (char *)"sentinel";
	size_t len = 7;
	/* Bigger than any ledger could be: refused before it is read. */
	int fd = open("huge", O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)ZG_MAX_FILE_SIZE + 1), 0);
	close(fd);
	assert_int_equal(zg_read_file("huge", &buf, &len), EFBIG);
	assert_null(buf);
	assert_int_equal(len, 0);
	/* A file that cannot be read although it opens. */
	assert_int_equal(zg_read_file("/proc/self/mem", &buf, &len), EIO);
	assert_null(buf);
}

/* ---- writing ---- */

static void test_write_all_and_finish(void **state)
{
	(void)state;
	assert_int_equal(chdir(tmp), 0);
	size_t n = 1 << 20;
	char *data = malloc(n);
	assert_non_null(data);
	for (size_t i = 0; i < n; i++)
		data[i] = (char)('a' + i % 26);
	int fd = open("written", O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(zg_write_all(fd, data, n), 0);
	assert_int_equal(zg_write_all(fd, "", 0), 0);
	assert_int_equal(zg_finish_file(fd, 0640), 0);
	struct stat st;
	assert_int_equal(stat("written", &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_int_equal((size_t)st.st_size, n);
	char *back;
	size_t len;
	assert_int_equal(zg_read_file("written", &back, &len), 0);
	assert_int_equal(len, n);
	assert_memory_equal(back, data, n);
	free(back);

	/* A full disk, and a descriptor that is not open. */
	fd = open("/dev/full", O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(zg_write_all(fd, data, n), ENOSPC);
	close(fd);
	assert_int_equal(zg_write_all(-1, data, 1), EBADF);
	free(data);

	/* A descriptor without the rights to change the mode; a pipe,
	 * which cannot be flushed to disk.  Either way it is closed. */
	fd = open("written", O_PATH);
	assert_true(fd >= 0);
	assert_int_equal(zg_finish_file(fd, 0600), EBADF);
	assert_int_equal(fcntl(fd, F_GETFD), -1);
	int pfd[2];
	assert_int_equal(pipe(pfd), 0);
	assert_int_equal(zg_finish_file(pfd[1], 0600), EINVAL);
	assert_int_equal(fcntl(pfd[1], F_GETFD), -1);
	close(pfd[0]);
	assert_int_equal(zg_finish_file(-1, 0600), EBADF);
}

static volatile sig_atomic_t ticks;

static void on_alarm(int sig)
{
	(void)sig;
	ticks++;
}

static void test_write_all_through_signals(void **state)
{
	(void)state;
	/*
	 * 1 MiB into a pipe that a slow reader empties, while a timer
	 * interrupts the writer: every byte arrives, in order.
	 */
	size_t n = 1 << 20;
	int pfd[2];
	assert_int_equal(pipe(pfd), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(pfd[1]);
		usleep(100000);
		size_t got = 0;
		char buf[4096];
		ssize_t r;
		bool ok = true;
		while ((r = read(pfd[0], buf, sizeof buf)) > 0) {
			for (ssize_t k = 0; k < r; k++)
				ok &= buf[k] == (char)('a' + (got + (size_t)k) % 26);
			got += (size_t)r;
			usleep(200);
		}
		exit(ok && got == n ? 0 : 1);
	}
	close(pfd[0]);
	char *data = malloc(n);
	assert_non_null(data);
	for (size_t i = 0; i < n; i++)
		data[i] = (char)('a' + i % 26);
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	struct itimerval it = { { 0, 1000 }, { 0, 1000 } }, off = { { 0, 0 }, { 0, 0 } };
	ticks = 0;
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
	int e = zg_write_all(pfd[1], data, n);
	assert_int_equal(setitimer(ITIMER_REAL, &off, NULL), 0);
	assert_int_equal(sigaction(SIGALRM, &old, NULL), 0);
	close(pfd[1]);
	free(data);
	assert_int_equal(e, 0);
	assert_true(ticks > 0);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---- finding the project ---- */

static void test_locate_edges(void **state)
{
	(void)state;
	char *root = NULL;
	struct zg_error err;
	unsetenv("ZG_DIR");
	/* An empty -C or ZG_DIR is no choice: the search starts here. */
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s/p/ledgers", tmp);
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(zg_project_locate("", &root, &err), 0);
	assert_string_equal(root, "..");
	free(root);
	setenv("ZG_DIR", "", 1);
	assert_int_equal(zg_project_locate(NULL, &root, &err), 0);
	assert_string_equal(root, "..");
	free(root);
	unsetenv("ZG_DIR");

	/* A name too long for a path. */
	char *longname = malloc(PATH_MAX + 2);
	assert_non_null(longname);
	memset(longname, 'x', PATH_MAX + 1);
	longname[PATH_MAX + 1] = '\0';
	assert_int_equal(zg_project_locate(longname, &root, &err), -1);
	assert_null(root);
	/* The message quotes it, cut to fit. */
	assert_int_equal(strncmp(err.message, "'xxxxxxxx", 9), 0);
	assert_int_equal(strlen(err.message), sizeof err.message - 1);
	free(longname);

	/* A folder named zg.yaml is no configuration. */
	assert_int_equal(chdir(tmp), 0);
	assert_int_equal(mkdir("fake", 0755), 0);
	assert_int_equal(mkdir("fake/zg.yaml", 0755), 0);
	assert_int_equal(zg_project_locate("fake", &root, &err), -1);
	assert_string_equal(err.message,
			    "'fake' (from -C) is not a zg project: it has no zg.yaml");
	assert_int_equal(chdir("fake"), 0);
	assert_int_equal(zg_project_locate(NULL, &root, &err), -1);
	assert_null(root);
	assert_non_null(strstr(err.message, "not in a zg project"));
}

static void test_locate_stops(void **state)
{
	(void)state;
	char *root = NULL;
	struct zg_error err;
	unsetenv("ZG_DIR");
	/* At another file system (/proc), then at its root. */
	if (chdir("/proc") == 0) {
		assert_int_equal(zg_project_locate(NULL, &root, &err), -1);
		assert_null(root);
		assert_non_null(strstr(err.message, "not in a zg project"));
	}
	/* In a folder removed under us, the project above is still found. */
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s/p/gone", tmp);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(zg_project_locate(NULL, &root, &err), 0);
	assert_string_equal(root, "..");
	free(root);

	/* 63 folders up and no further: a zg.yaml 70 levels up is not
	 * found, 60 levels up it is. */
	snprintf(dir, sizeof dir, "%s/deep", tmp);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(chdir(dir), 0);
	write_file("zg.yaml", "zg: 1\n");
	for (int i = 0; i < 70; i++) {
		assert_int_equal(mkdir("d", 0755), 0);
		assert_int_equal(chdir("d"), 0);
	}
	assert_int_equal(zg_project_locate(NULL, &root, &err), -1);
	assert_null(root);
	assert_non_null(strstr(err.message, "not in a zg project"));
	assert_int_equal(chdir("../../../../../../../../../.."), 0);
	assert_int_equal(zg_project_locate(NULL, &root, &err), 0);
	char want[256] = "..";
	for (int i = 1; i < 60; i++)
		strcat(want, "/..");
	assert_string_equal(root, want);
	free(root);
}

static void test_locate_unsearchable_parent(void **state)
{
	(void)state;
	/*
	 * The folder above cannot be searched: the walk stops there with
	 * the usual message.  As root, permissions are checked as nobody
	 * (effective uid only, restored after).
	 */
	char locked[PATH_MAX], in[PATH_MAX];
	snprintf(locked, sizeof locked, "%s/locked", tmp);
	snprintf(in, sizeof in, "%s/locked/in", tmp);
	assert_int_equal(mkdir(locked, 0700), 0);
	assert_int_equal(mkdir(in, 0777), 0);
	assert_int_equal(chmod(in, 0777), 0);
	assert_int_equal(chdir(in), 0);
	assert_int_equal(chmod(locked, 0600), 0);
	bool root = geteuid() == 0;
	if (root)
		assert_int_equal(seteuid(65534), 0);
	char *root_dir = NULL;
	struct zg_error err;
	unsetenv("ZG_DIR");
	int rc = zg_project_locate(NULL, &root_dir, &err);
	if (root)
		assert_int_equal(seteuid(0), 0);
	assert_int_equal(chmod(locked, 0700), 0);
	assert_int_equal(rc, -1);
	assert_null(root_dir);
	assert_non_null(strstr(err.message, "not in a zg project"));
}

/* ---- zg.yaml and ledgers with odd contents ---- */

static void test_units_without_good_codes(void **state)
{
	(void)state;
	assert_int_equal(chdir(tmp), 0);
	char text[1024];
	snprintf(text, sizeof text, "%s%s", config_head,
		 "units:\n"
		 "  - {name: 无代码单位, kind: bureau}\n"
		 "  - {code: Bad, name: 大写, kind: bureau}\n"
		 "  - {code: zjj, name: 县住建局, kind: bureau}\n"
		 "  - {code: zjj, name: 又一个, kind: bureau}\n"
		 "  - {code: jyj, name: 县教育局, kind: bureau}\n");
	write_file("p/zg.yaml", text);
	assert_int_equal(system("rm -f p/ledgers/*.yaml"), 0);
	struct zg_project p;
	struct zg_diags d;
	open_ok(&p, &d);
	zg_diags_sort(&d);
	/* The missing code is the loader's; the others are the unit rule's. */
	assert_int_equal(d.n, 3);
	assert_string_equal(d.v[0].rule, "required");
	assert_int_equal(d.v[0].line, 7);
	assert_string_equal(d.v[1].rule, "unit");
	assert_int_equal(d.v[1].line, 8);
	assert_non_null(strstr(d.v[1].message, "unit code 'Bad' is not valid"));
	assert_string_equal(d.v[2].rule, "unit");
	assert_int_equal(d.v[2].line, 10);
	assert_string_equal(d.v[2].message,
			    "unit code 'zjj' is declared twice (first at line 9)");
	assert_null(zg_project_unit(&p, NULL));
	assert_ptr_equal(zg_project_unit(&p, "Bad"), &p.units[1]);
	/* The config keeps the header; the units are the table. */
	assert_null(p.config->units);
	assert_int_equal(p.nunits, 5);
	assert_null(p.units[0].code);
	assert_string_equal(p.units[0].name, "无代码单位");
	assert_int_equal(p.units[0].line, 7);
	assert_true(p.units[3].repeat);
	assert_false(p.units[2].repeat);
	assert_string_equal(p.units[3].name, "又一个");
	assert_int_equal(p.units[4].kind, ZG_UNIT_BUREAU);
	assert_ptr_equal(zg_project_unit(&p, "zjj"), &p.units[2]);
	zg_diags_release(&d);

	/* Only jyj has a ledger: zjj is missing once, at its first place;
	 * the code-less and the invalid unit are not reported again. */
	zg_diags_init(&d);
	struct zg_error err;
	write_file("p/ledgers/jyj.yaml", "unit: jyj\nitems: []\n");
	assert_int_equal(zg_project_load_ledgers(&p, NULL, 0, &d, &err), 0);
	assert_int_equal(p.nledgers, 1);
	assert_ptr_equal(p.ledgers[0].unit, &p.units[4]);
	assert_int_equal(p.ledgers[0].order, 4);
	zg_diags_sort(&d);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].line, 9);
	assert_non_null(strstr(d.v[0].message, "unit 'zjj' has no ledger yet"));
	zg_diags_release(&d);
	zg_project_release(&p);

	/* A project that was never opened has no units. */
	struct zg_project none;
	memset(&none, 0, sizeof none);
	assert_null(zg_project_unit(&none, "zjj"));
	zg_project_release(&none);
	zg_project_release(NULL);
	zg_ledger_release(NULL);
}

static void test_malformed_ids(void **state)
{
	(void)state;
	assert_int_equal(chdir(tmp), 0);
	write_file("p/ledgers/zjj.yaml",
		   "unit: zjj\nitems:\n"
		   "  - {id: zjj001, category: other, suggestions: [a], status: done}\n"
		   "  - {id: -001, category: other, suggestions: [a], status: done}\n"
		   "  - {id: zjj-00a, category: other, suggestions: [a], status: done}\n"
		   "  - {id: abcdefghijabcdefghijabcdefghijabcdefghijab-001, category: other, suggestions: [a], status: done}\n"
		   "  - {id: Zjj-001, category: other, suggestions: [a], status: done}\n"
		   "  - {category: other, suggestions: [no id], status: done}\n"
		   "  - {id: zjj-002, category: other, suggestions: [a], status: done}\n");
	/* No unit: the example names a made-up one, and no prefix is
	 * checked. */
	write_file("p/ledgers/jyj.yaml",
		   "items:\n"
		   "  - {id: x-1, category: other, suggestions: [a], status: done}\n"
		   "  - {id: rsj-001, category: other, suggestions: [a], status: done}\n");
	/* Not YAML at all, and not named after a code. */
	write_file("p/ledgers/rsj.yaml", "unit: rsj\nitems: [\n");
	write_file("p/ledgers/Bad.yaml", "unit: Bad\nitems: []\n");
	struct zg_project p;
	struct zg_diags d;
	struct zg_error err;
	open_ok(&p, &d);
	assert_int_equal(zg_project_load_ledgers(&p, NULL, 0, &d, &err), 0);
	zg_diags_sort(&d);
	size_t ids = 0;
	for (size_t i = 0; i < d.n; i++) {
		const struct zg_diag *g = &d.v[i];
		if (strcmp(g->rule, "id") != 0)
			continue;
		ids++;
		assert_non_null(strstr(g->message, "is malformed"));
		if (strcmp(g->file, "p/ledgers/jyj.yaml") == 0) {
			assert_string_equal(g->item, "x-1");
			assert_non_null(strstr(g->message, "e.g. zjj-001"));
		} else {
			assert_string_equal(g->file, "p/ledgers/zjj.yaml");
			assert_non_null(strstr(g->message, "e.g. zjj-001"));
		}
	}
	/* zjj001, -001, zjj-00a, the long one, Zjj-001; and x-1. */
	assert_int_equal(ids, 6);
	bool syntax = false, named = false;
	for (size_t i = 0; i < d.n; i++) {
		syntax |= strcmp(d.v[i].rule, "syntax") == 0 &&
			  strcmp(d.v[i].file, "p/ledgers/rsj.yaml") == 0;
		named |= strstr(d.v[i].message,
				"'Bad.yaml' is not named after a unit code") != NULL;
	}
	assert_true(syntax);
	assert_true(named);
	/* Strays come after zg.yaml's units, by name. */
	assert_int_equal(p.nledgers, 5);
	assert_string_equal(p.ledgers[4].code, "Bad");
	assert_null(p.ledgers[2].doc);	/* rsj */
	zg_diags_release(&d);
	zg_project_release(&p);
}

static void test_ledger_folder(void **state)
{
	(void)state;
	assert_int_equal(chdir(tmp), 0);
	/* Not ledgers: hidden, other suffixes, a bare ".yaml"; and more
	 * than 16 that are. */
	write_file("p/ledgers/.hidden.yaml", "unit: zjj\nitems: []\n");
	write_file("p/ledgers/notes.txt", "x\n");
	write_file("p/ledgers/zjj.yml", "x\n");
	write_file("p/ledgers/.yaml", "x\n");
	for (int i = 0; i < 20; i++) {
		char path[64], text[64];
		snprintf(path, sizeof path, "p/ledgers/s%02d.yaml", i);
		snprintf(text, sizeof text, "unit: s%02d\nitems: []\n", i);
		write_file(path, text);
	}
	/* A ledger that is a folder cannot be read. */
	assert_int_equal(mkdir("p/ledgers/dir.yaml", 0755), 0);
	struct zg_project p;
	struct zg_diags d;
	struct zg_error err;
	open_ok(&p, &d);
	assert_int_equal(zg_project_load_ledgers(&p, NULL, 0, &d, &err), 0);
	assert_int_equal(p.nledgers, 4 + 20 + 1);
	assert_string_equal(p.ledgers[4].code, "dir");
	assert_string_equal(p.ledgers[5].code, "s00");
	assert_string_equal(p.ledgers[24].code, "s19");
	bool io = false;
	for (size_t i = 0; i < d.n; i++)
		if (strcmp(d.v[i].rule, "io") == 0) {
			io = true;
			assert_string_equal(d.v[i].file, "p/ledgers/dir.yaml");
			assert_string_equal(d.v[i].message,
					    "cannot read the ledger: Is a directory");
		}
	assert_true(io);
	zg_diags_release(&d);
	zg_project_release(&p);

	/* One ledger asked for twice is read once; one without a file is
	 * not read. */
	struct zg_ledger l;
	zg_diags_init(&d);
	open_ok(&p, &d);
	assert_int_equal(zg_ledger_open(&p, "nosuch", &l, &d), 1);
	zg_ledger_release(&l);
	const char *twice[] = { "hbj", "hbj" };
	assert_int_equal(zg_project_load_ledgers(&p, twice, 2, &d, &err), 0);
	assert_int_equal(p.nledgers, 1);
	zg_diags_release(&d);
	zg_project_release(&p);

	/* Without a ledgers folder: no ledgers, every unit missing. */
	assert_int_equal(system("rm -rf p/ledgers"), 0);
	open_ok(&p, &d);
	assert_int_equal(zg_project_load_ledgers(&p, NULL, 0, &d, &err), 0);
	assert_int_equal(p.nledgers, 0);
	assert_int_equal(d.warnings, 4);
	zg_diags_release(&d);
	zg_project_release(&p);

	/* A file where the folder should be. */
	write_file("p/ledgers", "not a folder\n");
	open_ok(&p, &d);
	assert_int_equal(zg_project_load_ledgers(&p, NULL, 0, &d, &err), -1);
	assert_string_equal(err.message, "cannot read p/ledgers: Not a directory");
	char **codes = (char **)&err;
	size_t n = 9;
	assert_int_equal(zg_project_ledger_codes(&p, NULL, 0, &codes, &n, &err), -1);
	assert_null(codes);
	assert_int_equal(n, 0);
	zg_diags_release(&d);
	zg_project_release(&p);
}

static void test_project_at_dot(void **state)
{
	(void)state;
	/* Opened as ".", paths are shown without a "./" in front. */
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s/p", tmp);
	assert_int_equal(chdir(dir), 0);
	struct zg_project p;
	struct zg_diags d;
	struct zg_error err;
	zg_diags_init(&d);
	assert_int_equal(zg_project_open(&p, ".", &d, &err), 0);
	assert_string_equal(p.root, ".");
	assert_string_equal(p.config_path, "zg.yaml");
	char *path = zg_project_path(&p, "evidence/zjj-001/a.jpg");
	assert_string_equal(path, "evidence/zjj-001/a.jpg");
	free(path);
	assert_int_equal(zg_project_load_ledgers(&p, NULL, 0, &d, &err), 0);
	assert_string_equal(p.ledgers[0].path, "ledgers/zjj.yaml");
	zg_project_release(&p);

	/* Given as a path, joined with one '/'. */
	assert_int_equal(chdir(tmp), 0);
	assert_int_equal(zg_project_open(&p, "p/", &d, &err), 0);
	path = zg_project_path(&p, "ledgers");
	assert_string_equal(path, "p/ledgers");
	free(path);
	zg_project_release(&p);
	zg_diags_release(&d);
}

static void test_selected_units_edges(void **state)
{
	(void)state;
	assert_int_equal(chdir(tmp), 0);
	assert_int_equal(unlink("p/ledgers/zjj.yaml"), 0);
	struct zg_project p;
	struct zg_diags d;
	struct zg_error err;
	open_ok(&p, &d);
	/* A code that cannot be a unit's is refused before any lookup. */
	const char *bad[] = { "../x" };
	assert_int_equal(zg_project_load_ledgers(&p, bad, 1, &d, &err), -1);
	assert_string_equal(err.message,
			    "unknown unit '../x': it is not declared in p/zg.yaml");
	/* A declared unit without its file: not read, and missing. */
	const char *zjj[] = { "zjj", "jyj" };
	char **codes;
	size_t n;
	assert_int_equal(zg_project_ledger_codes(&p, zjj, 2, &codes, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(codes[0], "jyj");
	assert_null(codes[1]);
	zg_project_codes_free(codes);
	zg_project_codes_free(NULL);
	assert_int_equal(zg_project_load_ledgers(&p, zjj, 2, &d, &err), 0);
	assert_int_equal(p.nledgers, 1);
	assert_int_equal(d.warnings, 1);
	assert_non_null(strstr(d.v[0].message, "unit 'zjj' has no ledger yet"));
	zg_project_release(&p);
	zg_diags_release(&d);
}

static void test_id_prefix_of_same_length(void **state)
{
	(void)state;
	assert_int_equal(chdir(tmp), 0);
	write_file("p/ledgers/zjj.yaml",
		   "unit: zjj\nitems:\n"
		   "  - {id: zjk-001, category: other, suggestions: [a], status: done}\n"
		   "  - {id: zj-002, category: other, suggestions: [a], status: done}\n");
	struct zg_project p;
	struct zg_diags d;
	struct zg_error err;
	open_ok(&p, &d);
	const char *zjj[] = { "zjj" };
	assert_int_equal(zg_project_load_ledgers(&p, zjj, 1, &d, &err), 0);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.v[0].rule, "id");
	assert_string_equal(d.v[0].message,
			    "item id 'zjk-001' does not start with this ledger's unit 'zjj-'");
	assert_string_equal(d.v[1].message,
			    "item id 'zj-002' does not start with this ledger's unit 'zjj-'");
	zg_project_release(&p);
	zg_diags_release(&d);
	assert_false(zg_unit_code_valid("a{b"));
	assert_false(zg_unit_code_valid("a~"));
}

static void test_read_file_fifo(void **state)
{
	(void)state;
	/*
	 * A named pipe in place of a file is refused at once (ENODEV), with
	 * no writer anywhere: zg never waits on one.
	 */
	assert_int_equal(chdir(tmp), 0);
	assert_int_equal(mkfifo("fifo", 0600), 0);
	char *buf = (char *)"sentinel";
	size_t len = 7;
	assert_int_equal(zg_read_file("fifo", &buf, &len), ENODEV);
	assert_null(buf);
}

static void test_fifo_ledger_not_read(void **state)
{
	(void)state;
	/* A ledger that is a named pipe is an io finding, not a hang. */
	assert_int_equal(chdir(tmp), 0);
	assert_int_equal(unlink("p/ledgers/zjj.yaml"), 0);
	assert_int_equal(mkfifo("p/ledgers/zjj.yaml", 0600), 0);
	struct zg_project p;
	struct zg_diags d;
	struct zg_error err;
	open_ok(&p, &d);
	assert_int_equal(zg_project_load_ledgers(&p, NULL, 0, &d, &err), 0);
	bool found = false;
	for (size_t i = 0; i < d.n; i++)
		found |= strcmp(d.v[i].rule, "io") == 0 &&
			 strstr(d.v[i].message, "not a regular file") != NULL;
	assert_true(found);
	zg_project_release(&p);
	zg_diags_release(&d);
}

static void test_links_out_of_the_project(void **state)
{
	(void)state;
	assert_int_equal(chdir(tmp), 0);
	write_file("outside.yaml", "unit: zjj\nitems: []\n");
	assert_int_equal(mkdir("p2", 0755), 0);
	write_file("p2/zjj.yaml", "unit: zjj\nitems: []\n");
	write_file("p/inside.yaml", "unit: rsj\nitems: []\n");
	struct zg_project p;
	struct zg_diags d;
	open_ok(&p, &d);
	/* Not links at all, or not there: nothing to refuse. */
	assert_false(zg_project_link_out(&p, "p/ledgers/hbj.yaml"));
	assert_false(zg_project_link_out(&p, "p/ledgers/nosuch.yaml"));
	/* Links that stay inside, to a file or to the root itself. */
	assert_int_equal(unlink("p/ledgers/rsj.yaml"), 0);
	assert_int_equal(symlink("../inside.yaml", "p/ledgers/rsj.yaml"), 0);
	assert_false(zg_project_link_out(&p, "p/ledgers/rsj.yaml"));
	assert_int_equal(symlink("..", "p/ledgers/root.yaml"), 0);
	assert_false(zg_project_link_out(&p, "p/ledgers/root.yaml"));
	/* Links out: to a file outside, to a sibling whose name starts
	 * like the project's, to nothing. */
	assert_int_equal(unlink("p/ledgers/zjj.yaml"), 0);
	char target[PATH_MAX];
	snprintf(target, sizeof target, "%s/outside.yaml", tmp);
	assert_int_equal(symlink(target, "p/ledgers/zjj.yaml"), 0);
	assert_true(zg_project_link_out(&p, "p/ledgers/zjj.yaml"));
	assert_int_equal(unlink("p/ledgers/jyj.yaml"), 0);
	assert_int_equal(symlink("../../p2/zjj.yaml", "p/ledgers/jyj.yaml"), 0);
	assert_true(zg_project_link_out(&p, "p/ledgers/jyj.yaml"));
	assert_int_equal(symlink("nowhere.yaml", "p/ledgers/gone.yaml"), 0);
	assert_true(zg_project_link_out(&p, "p/ledgers/gone.yaml"));

	/* Read through zg_ledger_open: the links out are io findings and
	 * are not read; the link inside is read. */
	struct zg_ledger l;
	zg_diags_release(&d);
	zg_diags_init(&d);
	assert_int_equal(zg_ledger_open(&p, "zjj", &l, &d), 0);
	assert_null(l.buf);
	assert_null(l.doc);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].rule, "io");
	assert_string_equal(d.v[0].file, "p/ledgers/zjj.yaml");
	assert_string_equal(d.v[0].message,
			    "the ledger is a link that leads out of the project, or to nothing; a ledger is a file of the project");
	zg_ledger_release(&l);
	zg_diags_release(&d);
	zg_diags_init(&d);
	assert_int_equal(zg_ledger_open(&p, "rsj", &l, &d), 0);
	assert_non_null(l.doc);
	assert_string_equal(zg_text(l.doc->unit), "rsj");
	zg_ledger_release(&l);
	zg_diags_release(&d);
	zg_project_release(&p);
}

/*
 * ---- out of memory ----
 *
 * In a fresh copy of this program (fork and exec) whose address space is
 * limited with RLIMIT_AS to what it uses plus 16 MiB: a fresh process has
 * no freed heap to draw on, so what fails is the same every time.  The
 * copy reports through its exit status and lifts the limit before it
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

static int limited_main(const char *scenario)
{
	struct rlimit old, rl;
	if (getrlimit(RLIMIT_AS, &old) != 0)
		return 81;
	rl = old;
	rl.rlim_cur = (rlim_t)(address_space_in_use() + ((size_t)16 << 20));
	if (setrlimit(RLIMIT_AS, &rl) != 0)
		return 82;
	int rc = 0;
	char *buf = NULL;
	size_t len = 0;
	struct zg_project p;
	struct zg_diags d;
	struct zg_error err;
	zg_diags_init(&d);
	if (strcmp(scenario, "sparse") == 0) {
		/* 64 MiB to hold: no room. */
		rc = zg_read_file("sparse", &buf, &len) == ENOMEM && !buf ? 0 : 10;
	} else if (strcmp(scenario, "endless") == 0) {
		/* /dev/zero never ends: a device is not read at all. */
		rc = zg_read_file("/dev/zero", &buf, &len) == ENODEV && !buf ? 0 : 11;
	} else if (strcmp(scenario, "units") == 0) {
		/* 4 MiB of units (a node each key and value would be 80 MiB):
		 * each is copied as read and its nodes dropped, so they fit. */
		int r = zg_project_open(&p, "big", &d, &err);
		rc = r == 0 && p.nunits > 90000 && d.n == 0 ? 0 : 15;
		zg_project_release(&p);
	} else if (strcmp(scenario, "config") == 0) {
		/* A 4 MiB list of values is read, but its tree does not fit. */
		int r = zg_project_open(&p, "huge", &d, &err);
		rc = r == -1 && strcmp(err.message, "out of memory") == 0 ? 0 : 12;
	} else {
		/* The same for a 4 MiB ledger. */
		if (zg_project_open(&p, "p", &d, &err) != 0)
			rc = 13;
		else if (zg_project_load_ledgers(&p, NULL, 0, &d, &err) != -1 ||
			 strcmp(err.message, "out of memory") != 0)
			rc = 14;
	}
	setrlimit(RLIMIT_AS, &old);
	return rc;
}

static int run_limited(const char *scenario)
{
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execl("/proc/self/exe", "test_project", "--limited", scenario,
		      (char *)NULL);
		_exit(127);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status)
				 : 128 + WTERMSIG(status);
}

static void test_out_of_memory(void **state)
{
	(void)state;
#ifdef UNDER_ASAN
	(void)run_limited;
	skip();
#else
	assert_int_equal(chdir(tmp), 0);
	int fd = open("sparse", O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)64 << 20), 0);
	close(fd);
	assert_int_equal(run_limited("sparse"), 0);
	assert_int_equal(run_limited("endless"), 0);

	assert_int_equal(mkdir("big", 0755), 0);
	FILE *f = fopen("big/zg.yaml", "w");
	assert_non_null(f);
	fputs(config_head, f);
	fputs("units:\n", f);
	for (int i = 0; ftell(f) < (4L << 20); i++)
		fprintf(f, "  - {code: u%d, name: 单位, kind: town}\n", i);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(run_limited("units"), 0);

	assert_int_equal(mkdir("huge", 0755), 0);
	f = fopen("huge/zg.yaml", "w");
	assert_non_null(f);
	fputs(config_head, f);
	fputs("units: [{code: zjj, name: 县住建局, kind: bureau}]\nnotes: [", f);
	while (ftell(f) < (4L << 20))
		fputs("1, ", f);
	fputs("1]\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(run_limited("config"), 0);

	f = fopen("p/ledgers/zjj.yaml", "w");
	assert_non_null(f);
	fputs("unit: zjj\nitems:\n", f);
	for (int i = 1; ftell(f) < (4L << 20); i++)
		fprintf(f, "  - {id: zjj-%05d, category: other, suggestions: [路灯不亮], status: done}\n", i);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(run_limited("ledger"), 0);
#endif
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--limited") == 0)
		return limited_main(argv[2]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_locate_walks_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_locate_outside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_locate_option_and_env, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_and_load_in_unit_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unit_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ids_and_units_across_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_ids_hash, setup, teardown),
		cmocka_unit_test(test_id_index_collisions),
		cmocka_unit_test(test_id_index_own_and_foreign),
		cmocka_unit_test(test_id_index_growth),
		cmocka_unit_test(test_id_index_flat),
		cmocka_unit_test(test_id_index_find_fails),
		cmocka_unit_test_setup_teardown(test_unreadable_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_file, setup, teardown),
		cmocka_unit_test(test_unit_codes),
		cmocka_unit_test_setup_teardown(test_read_file_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_all_and_finish, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_all_through_signals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_locate_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_locate_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_locate_unsearchable_parent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_units_without_good_codes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ledger_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_project_at_dot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_selected_units_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_id_prefix_of_same_length, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_file_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_ledger_not_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_links_out_of_the_project, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
