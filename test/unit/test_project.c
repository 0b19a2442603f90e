/*
 * test_project.c - finding a project, reading it, and the checks across
 * files (unit, id).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zg/init.h"
#include "zg/project.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_locate_walks_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_locate_outside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_locate_option_and_env, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_and_load_in_unit_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unit_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ids_and_units_across_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_ids_hash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_file, setup, teardown),
		cmocka_unit_test(test_unit_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
