/*
 * test_init.c - creating a project: the layout, the private modes whatever
 * the umask, never writing over a project, undoing a failed run, the units
 * CSV, and the result loading back through the library without findings.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "zg/init.h"
#include "zg/project.h"

/* ---- file system helpers ---- */

static char *join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *s = malloc(n);
	assert_non_null(s);
	snprintf(s, n, "%s/%s", a, b);
	return s;
}

static char *make_tmp(void)
{
	char tmpl[] = "/tmp/zg-test-init-XXXXXX";
	char *d = mkdtemp(tmpl);
	assert_non_null(d);
	char *s = strdup(d);
	assert_non_null(s);
	return s;
}

static void rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		chmod(path, 0700);
		DIR *d = opendir(path);
		assert_non_null(d);
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char *sub = join(path, e->d_name);
			rm_rf(sub);
			free(sub);
		}
		closedir(d);
		assert_int_equal(rmdir(path), 0);
	} else {
		assert_int_equal(unlink(path), 0);
	}
}

static void clean_tmp(char *dir)
{
	rm_rf(dir);
	free(dir);
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s: %s", path, strerror(errno));
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = (n + 4096 + 1) * 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		size_t r = fread(buf + n, 1, 4096, f);
		n += r;
		if (r < 4096)
			break;
	}
	assert_int_equal(ferror(f), 0);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static void write_all(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

static char *read_in(const char *dir, const char *rel)
{
	char *p = join(dir, rel);
	char *s = read_all(p, NULL);
	free(p);
	return s;
}

static bool exists_in(const char *dir, const char *rel)
{
	char *p = join(dir, rel);
	struct stat st;
	bool found = lstat(p, &st) == 0;
	free(p);
	return found;
}

static mode_t mode_in(const char *dir, const char *rel, mode_t type)
{
	char *p = join(dir, rel);
	struct stat st;
	if (lstat(p, &st) != 0)
		fail_msg("%s is missing", p);
	if ((st.st_mode & S_IFMT) != type)
		fail_msg("%s has the wrong type", p);
	free(p);
	return st.st_mode & 07777;
}

static size_t count_entries(const char *path)
{
	DIR *d = opendir(path);
	assert_non_null(d);
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

struct lines {
	char **v;
	size_t n, cap;
};

static void lines_add(struct lines *l, char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		assert_non_null(l->v);
	}
	l->v[l->n++] = s;
}

static void walk(const char *root, const char *rel, struct lines *out)
{
	char *path = *rel ? join(root, rel) : strdup(root);
	assert_non_null(path);
	struct stat st;
	assert_int_equal(lstat(path, &st), 0);
	uint64_t h = 0;
	if (S_ISREG(st.st_mode)) {
		size_t n;
		char *text = read_all(path, &n);
		h = fnv(text, n);
		free(text);
	} else if (S_ISLNK(st.st_mode)) {
		char target[4096];
		ssize_t n = readlink(path, target, sizeof target);
		assert_true(n >= 0);
		h = fnv(target, (size_t)n);
	}
	char line[8192];
	snprintf(line, sizeof line, "%s type=%o mode=%o size=%lld mtime=%lld.%09ld ino=%llu hash=%016llx",
		 *rel ? rel : ".", (unsigned)(st.st_mode & S_IFMT),
		 (unsigned)(st.st_mode & 07777), (long long)st.st_size,
		 (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec,
		 (unsigned long long)st.st_ino, (unsigned long long)h);
	char *copy = strdup(line);
	assert_non_null(copy);
	lines_add(out, copy);
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		assert_non_null(d);
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char *sub = *rel ? join(rel, e->d_name) : strdup(e->d_name);
			assert_non_null(sub);
			walk(root, sub, out);
			free(sub);
		}
		closedir(d);
	}
	free(path);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * A recursive listing with types, modes, sizes, mtimes and content
 * hashes, sorted; the root's own line only when with_root (a run that made
 * and removed entries changes the root's mtime, and nothing else).
 */
static char *listing(const char *root, bool with_root)
{
	struct lines l = { NULL, 0, 0 };
	walk(root, "", &l);
	qsort(l.v, l.n, sizeof *l.v, cmp_str);
	size_t total = 1;
	for (size_t i = 0; i < l.n; i++)
		total += strlen(l.v[i]) + 1;
	char *s = malloc(total);
	assert_non_null(s);
	s[0] = '\0';
	for (size_t i = 0; i < l.n; i++) {
		if (with_root || strncmp(l.v[i], ". ", 2) != 0) {
			strcat(s, l.v[i]);
			strcat(s, "\n");
		}
		free(l.v[i]);
	}
	free(l.v);
	return s;
}

static void assert_same_listing(const char *before, const char *after)
{
	if (strcmp(before, after) != 0)
		fail_msg("the folder changed:\n--- before\n%s--- after\n%s",
			 before, after);
}

static size_t count_lines_equal(const char *text, const char *line)
{
	size_t n = 0, len = strlen(line);
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);
		if (l == len && strncmp(p, line, len) == 0)
			n++;
		p += l + (nl != NULL);
	}
	return n;
}

/* ---- loading the result back ---- */

static void print_findings(const struct zg_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		zg_diag_print(stderr, &d->v[i]);
}

/* Opens the project and its ledgers and asserts there is no finding. */
static void load_back(const char *dir, const struct zg_unit_spec *units,
		      size_t nunits, const char *county, const char *office)
{
	struct zg_project p;
	struct zg_diags d;
	struct zg_error err = { { 0 } };
	zg_diags_init(&d);
	int rc = zg_project_open(&p, dir, &d, &err);
	if (rc != 0 || d.n != 0) {
		print_findings(&d);
		fail_msg("zg.yaml does not load: %s (%zu findings)",
			 err.message, d.n);
	}
	rc = zg_project_load_ledgers(&p, NULL, 0, &d, &err);
	if (rc != 0 || d.n != 0) {
		print_findings(&d);
		fail_msg("the ledgers do not load: %s (%zu findings)",
			 err.message, d.n);
	}
	assert_string_equal(zg_text(p.config->county), county);
	assert_string_equal(zg_text(p.config->office), office);
	assert_int_equal(p.nunits, nunits);
	assert_int_equal(p.nledgers, nunits);
	for (size_t i = 0; i < nunits; i++) {
		const struct zg_unit_entry *u = &p.units[i];
		assert_string_equal(u->code, units[i].code);
		assert_string_equal(u->name, units[i].name);
		assert_int_equal(u->kind, (int)units[i].kind);
		/* Ledgers come in the order of zg.yaml. */
		assert_string_equal(p.ledgers[i].code, units[i].code);
		assert_non_null(p.ledgers[i].doc);
		assert_string_equal(zg_text(p.ledgers[i].doc->unit),
				    units[i].code);
		assert_int_equal(p.ledgers[i].doc->nitems, 0);
	}
	const struct zg_deadlines *dl = p.config->deadlines;
	assert_non_null(dl);
	assert_true(dl->submit.ok && dl->complete.ok);
	zg_project_release(&p);
	zg_diags_release(&d);
}

/* ---- the seed ---- */

static void test_luzhai_units(void **state)
{
	(void)state;
	static const char *const names[] = {
		"县住建局", "县教育局", "县人社局", "县环保局",
		"鹿寨镇", "四排镇", "寨沙镇", "中渡镇", "黄冕镇", "平山镇",
		"江口乡", "导江乡", "拉沟乡",
	};
	assert_int_equal(zg_luzhai_nunits, 13);
	for (size_t i = 0; i < 13; i++) {
		const struct zg_unit_spec *u = &zg_luzhai_units[i];
		assert_string_equal(u->name, names[i]);
		enum zg_unit_kind want = i < 4 ? ZG_UNIT_BUREAU
				       : i < 10 ? ZG_UNIT_TOWN
						: ZG_UNIT_TOWNSHIP;
		assert_int_equal(u->kind, want);
		assert_true(zg_unit_code_valid(u->code));
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(u->code, zg_luzhai_units[j].code);
	}
}

static void test_defaults(void **state)
{
	(void)state;
	struct zg_init_options o;
	memset(&o, 0x55, sizeof o);
	zg_init_defaults(&o);
	assert_string_equal(o.dir, ".");
	assert_string_equal(o.county, "鹿寨县");
	assert_string_equal(o.office, "鹿寨县绩效考评委员会办公室");
	assert_int_equal(o.evaluation_year, 2017);
	assert_int_equal(zg_date_cmp(o.submit, (struct zg_date){ 2018, 7, 6 }), 0);
	assert_int_equal(zg_date_cmp(o.publicise, (struct zg_date){ 2018, 7, 11 }), 0);
	assert_int_equal(zg_date_cmp(o.complete, (struct zg_date){ 2018, 11, 20 }), 0);
	assert_int_equal(zg_date_cmp(o.self_review, (struct zg_date){ 2018, 11, 30 }), 0);
	assert_null(o.units);
	assert_int_equal(o.nunits, 0);
	assert_false(o.git);
}

/* ---- creating ---- */

static void seed_options(struct zg_init_options *o, const char *dir)
{
	zg_init_defaults(o);
	o->dir = dir;
	o->units = zg_luzhai_units;
	o->nunits = zg_luzhai_nunits;
}

static void check_layout(const char *dir)
{
	assert_int_equal(mode_in(dir, "private", S_IFDIR), 0700);
	assert_int_equal(mode_in(dir, "private/contacts.yaml", S_IFREG), 0600);
	/* The rest is readable by the office and writable by its owner only. */
	static const char *const files[] = { "zg.yaml", ".gitignore" };
	for (size_t i = 0; i < 2; i++) {
		mode_t m = mode_in(dir, files[i], S_IFREG);
		assert_int_equal(m & 0600, 0600);
		assert_int_equal(m & 0022, 0);
	}
	assert_int_equal(mode_in(dir, "ledgers", S_IFDIR) & 0700, 0700);
	assert_int_equal(mode_in(dir, "evidence", S_IFDIR) & 0700, 0700);

	char *ledgers = join(dir, "ledgers");
	assert_int_equal(count_entries(ledgers), zg_luzhai_nunits);
	free(ledgers);
	for (size_t i = 0; i < zg_luzhai_nunits; i++) {
		char rel[64];
		snprintf(rel, sizeof rel, "ledgers/%s.yaml",
			 zg_luzhai_units[i].code);
		mode_t m = mode_in(dir, rel, S_IFREG);
		assert_int_equal(m & 0600, 0600);
		assert_int_equal(m & 0022, 0);
		char *text = read_in(dir, rel);
		char want[64];
		snprintf(want, sizeof want, "\nunit: %s ",
			 zg_luzhai_units[i].code);
		if (!strstr(text, want))
			fail_msg("%s does not declare its unit", rel);
		assert_non_null(strstr(text, zg_luzhai_units[i].name));
		free(text);
	}

	char *cfg = read_in(dir, "zg.yaml");
	assert_non_null(strstr(cfg, "county: 鹿寨县\n"));
	assert_non_null(strstr(cfg, "  complete: 2018-11-20 "));
	assert_non_null(strstr(cfg, "{code: lagou, name: 拉沟乡, kind: township}"));
	free(cfg);

	char *gi = read_in(dir, ".gitignore");
	assert_int_equal(count_lines_equal(gi, "/private/"), 1);
	free(gi);
	char *contacts = read_in(dir, "private/contacts.yaml");
	assert_true(strlen(contacts) > 0);
	free(contacts);
}

static void create_with_umask(mode_t mask)
{
	mode_t old = umask(mask);
	char *dir = make_tmp();
	struct zg_init_options o;
	seed_options(&o, dir);
	struct zg_error err = { { 0 } };
	int rc = zg_init_create(&o, &err);
	umask(old);
	if (rc != 0)
		fail_msg("zg_init_create: %s", err.message);
	check_layout(dir);
	load_back(dir, zg_luzhai_units, zg_luzhai_nunits, "鹿寨县",
		  "鹿寨县绩效考评委员会办公室");
	clean_tmp(dir);
}

static void test_create_umask_022(void **state)
{
	(void)state;
	create_with_umask(022);
}

static void test_create_umask_077(void **state)
{
	(void)state;
	create_with_umask(077);
}

static void test_create_umask_000(void **state)
{
	(void)state;
	create_with_umask(0);
}

static void test_create_new_folder(void **state)
{
	(void)state;
	char *tmp = make_tmp();
	char *dir = join(tmp, "县-2018");
	struct zg_init_options o;
	seed_options(&o, dir);
	struct zg_error err = { { 0 } };
	assert_int_equal(zg_init_create(&o, &err), 0);
	check_layout(dir);
	load_back(dir, zg_luzhai_units, zg_luzhai_nunits, "鹿寨县",
		  "鹿寨县绩效考评委员会办公室");
	/* A folder whose parent is missing is not made. */
	char *deep = join(tmp, "missing/proj");
	o.dir = deep;
	assert_int_equal(zg_init_create(&o, &err), -1);
	assert_true(strlen(err.message) > 0);
	assert_false(exists_in(tmp, "missing"));
	/* A file where the folder should be. */
	char *file = join(tmp, "plain-file");
	write_all(file, "x");
	o.dir = file;
	err.message[0] = '\0';
	assert_int_equal(zg_init_create(&o, &err), -1);
	assert_true(strlen(err.message) > 0);
	size_t len;
	char *text = read_all(file, &len);
	assert_string_equal(text, "x");
	free(text);
	free(file);
	free(deep);
	free(dir);
	clean_tmp(tmp);
}

static void test_no_units(void **state)
{
	(void)state;
	char *dir = make_tmp();
	struct zg_init_options o;
	zg_init_defaults(&o);
	o.dir = dir;
	struct zg_error err = { { 0 } };
	assert_int_equal(zg_init_create(&o, &err), 0);
	char *ledgers = join(dir, "ledgers");
	assert_int_equal(count_entries(ledgers), 0);
	free(ledgers);
	struct zg_project p;
	struct zg_diags d;
	zg_diags_init(&d);
	assert_int_equal(zg_project_open(&p, dir, &d, &err), 0);
	assert_int_equal(p.nunits, 0);
	assert_int_equal(d.errors, 0);
	zg_project_release(&p);
	zg_diags_release(&d);
	clean_tmp(dir);
}

static void test_second_create_refused(void **state)
{
	(void)state;
	char *dir = make_tmp();
	struct zg_init_options o;
	seed_options(&o, dir);
	struct zg_error err = { { 0 } };
	assert_int_equal(zg_init_create(&o, &err), 0);
	/* Let a changed mtime be visible at any timestamp resolution. */
	char *before = listing(dir, true);
	sleep(1);
	err.message[0] = '\0';
	assert_int_equal(zg_init_create(&o, &err), -1);
	assert_non_null(strstr(err.message, "zg.yaml"));
	char *after = listing(dir, true);
	assert_same_listing(before, after);
	free(after);
	/* Other units, other options: still refused. */
	static const struct zg_unit_spec other[] = {
		{ "abc", "某局", ZG_UNIT_BUREAU },
	};
	o.units = other;
	o.nunits = 1;
	o.county = "某县";
	assert_int_equal(zg_init_create(&o, &err), -1);
	after = listing(dir, true);
	assert_same_listing(before, after);
	free(after);
	free(before);
	clean_tmp(dir);
}

static void test_existing_piece_refused(void **state)
{
	(void)state;
	static const char *const pieces[] = {
		"zg.yaml", "ledgers", "evidence", "private", "link",
	};
	for (size_t i = 0; i < sizeof pieces / sizeof *pieces; i++) {
		char *dir = make_tmp();
		if (i == 0) {
			char *p = join(dir, "zg.yaml");
			write_all(p, "county: 别动\n");
			free(p);
		} else if (i == 4) {
			/* A dangling link named zg.yaml counts as there. */
			char *p = join(dir, "zg.yaml");
			assert_int_equal(symlink("nowhere.yaml", p), 0);
			free(p);
		} else {
			char *p = join(dir, pieces[i]);
			assert_int_equal(mkdir(p, 0755), 0);
			free(p);
		}
		char *before = listing(dir, true);
		sleep(i == 0);
		struct zg_init_options o;
		seed_options(&o, dir);
		struct zg_error err = { { 0 } };
		assert_int_equal(zg_init_create(&o, &err), -1);
		assert_true(strlen(err.message) > 0);
		char *after = listing(dir, true);
		assert_same_listing(before, after);
		free(before);
		free(after);
		clean_tmp(dir);
	}
}

static void check_gitignore(const char *old, const char *want_prefix,
			    bool appended)
{
	char *dir = make_tmp();
	char *path = join(dir, ".gitignore");
	write_all(path, old);
	struct zg_init_options o;
	seed_options(&o, dir);
	struct zg_error err = { { 0 } };
	assert_int_equal(zg_init_create(&o, &err), 0);
	char *text = read_all(path, NULL);
	if (!appended) {
		assert_string_equal(text, old);
	} else {
		/* The old lines kept as they were, ours after them. */
		assert_memory_equal(text, want_prefix, strlen(want_prefix));
		assert_true(strlen(text) > strlen(want_prefix));
		assert_int_equal(count_lines_equal(text, "/private/"), 1);
		assert_int_equal(text[strlen(text) - 1], '\n');
	}
	free(text);
	free(path);
	clean_tmp(dir);
}

static void test_gitignore_kept_and_appended(void **state)
{
	(void)state;
	check_gitignore("build/\n*.o", "build/\n*.o\n", true);
	check_gitignore("node_modules/\n", "node_modules/\n", true);
	check_gitignore("", "", true);
	check_gitignore("/private/\n", NULL, false);
	check_gitignore("build/\n/private/\n", NULL, false);
	check_gitignore("private/\n", NULL, false);
	check_gitignore("*.o\nprivate/\n", NULL, false);
}

static void test_duplicate_codes_refused(void **state)
{
	(void)state;
	static const struct zg_unit_spec dup[] = {
		{ "zjj", "县住建局", ZG_UNIT_BUREAU },
		{ "jyj", "县教育局", ZG_UNIT_BUREAU },
		{ "zjj", "另一个住建局", ZG_UNIT_BUREAU },
	};
	char *tmp = make_tmp();
	char *before = listing(tmp, true);
	struct zg_init_options o;
	zg_init_defaults(&o);
	o.dir = tmp;
	o.units = dup;
	o.nunits = 3;
	struct zg_error err = { { 0 } };
	assert_int_equal(zg_init_create(&o, &err), -1);
	assert_non_null(strstr(err.message, "zjj"));
	char *after = listing(tmp, true);
	assert_same_listing(before, after);
	free(after);
	/* Into a folder that does not exist yet: it is not made. */
	char *dir = join(tmp, "new");
	o.dir = dir;
	assert_int_equal(zg_init_create(&o, &err), -1);
	assert_false(exists_in(tmp, "new"));
	after = listing(tmp, true);
	assert_same_listing(before, after);
	free(after);
	free(before);
	free(dir);
	clean_tmp(tmp);
}

static void test_bad_codes_refused(void **state)
{
	(void)state;
	/* A code names a file under ledgers/, so nothing else is taken. */
	static const char *const bad[] = {
		"../escape", "a/b", "Bad Code", "", "-lead", "ZJJ",
		"abcdefghijklmnopqrstuvwxyz0123456",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const struct zg_unit_spec units[] = {
			{ "zjj", "县住建局", ZG_UNIT_BUREAU },
			{ bad[i], "坏代码", ZG_UNIT_TOWN },
		};
		char *tmp = make_tmp();
		char *before = listing(tmp, false);
		struct zg_init_options o;
		zg_init_defaults(&o);
		o.dir = tmp;
		o.units = units;
		o.nunits = 2;
		struct zg_error err = { { 0 } };
		if (zg_init_create(&o, &err) != -1)
			fail_msg("unit code '%s' was accepted", bad[i]);
		assert_true(strlen(err.message) > 0);
		char *after = listing(tmp, false);
		assert_same_listing(before, after);
		free(before);
		free(after);
		clean_tmp(tmp);
	}
}

static void test_failure_half_way_leaves_nothing(void **state)
{
	(void)state;
	/* .gitignore is a folder: the very last step fails, after every
	 * ledger, evidence/ and private/ were made. */
	char *dir = make_tmp();
	char *gi = join(dir, ".gitignore");
	assert_int_equal(mkdir(gi, 0755), 0);
	char *inside = join(gi, "keep");
	write_all(inside, "mine\n");
	char *before = listing(dir, false);
	struct zg_init_options o;
	seed_options(&o, dir);
	struct zg_error err = { { 0 } };
	assert_int_equal(zg_init_create(&o, &err), -1);
	assert_true(strlen(err.message) > 0);
	char *after = listing(dir, false);
	assert_same_listing(before, after);
	assert_false(exists_in(dir, "zg.yaml"));
	assert_false(exists_in(dir, "ledgers"));
	assert_false(exists_in(dir, "private"));
	free(after);
	free(before);
	free(inside);
	free(gi);
	clean_tmp(dir);
}

static void test_many_units(void **state)
{
	(void)state;
	/* A county with many more units than the seed. */
	enum { N = 120 };
	struct zg_unit_spec *units = calloc(N, sizeof *units);
	char (*codes)[16] = calloc(N, sizeof *codes);
	char (*names)[32] = calloc(N, sizeof *names);
	assert_non_null(units);
	assert_non_null(codes);
	assert_non_null(names);
	for (size_t i = 0; i < N; i++) {
		snprintf(codes[i], sizeof codes[i], "u%03zu", i);
		snprintf(names[i], sizeof names[i], "第%zu单位", i);
		units[i] = (struct zg_unit_spec){ codes[i], names[i],
						  (enum zg_unit_kind)(i % 3) };
	}
	char *dir = make_tmp();
	struct zg_init_options o;
	zg_init_defaults(&o);
	o.dir = dir;
	o.units = units;
	o.nunits = N;
	struct zg_error err = { { 0 } };
	if (zg_init_create(&o, &err) != 0)
		fail_msg("zg_init_create with %d units: %s", N, err.message);
	char *ledgers = join(dir, "ledgers");
	assert_int_equal(count_entries(ledgers), N);
	free(ledgers);
	load_back(dir, units, N, "鹿寨县", "鹿寨县绩效考评委员会办公室");
	clean_tmp(dir);

	/* And when such a run fails at its end, all of it is undone. */
	dir = make_tmp();
	char *gi = join(dir, ".gitignore");
	assert_int_equal(mkdir(gi, 0755), 0);
	char *before = listing(dir, false);
	o.dir = dir;
	assert_int_equal(zg_init_create(&o, &err), -1);
	char *after = listing(dir, false);
	assert_same_listing(before, after);
	free(before);
	free(after);
	free(gi);
	clean_tmp(dir);
	free(units);
	free(codes);
	free(names);
}

static void test_awkward_text_loads_back(void **state)
{
	(void)state;
	static const struct zg_unit_spec units[] = {
		{ "zjj", "县住建局: 城建股 #1", ZG_UNIT_BUREAU },
		{ "a1", "\"引号\"局", ZG_UNIT_BUREAU },
		{ "b-2", " 前后空格 ", ZG_UNIT_TOWN },
		{ "c_3", "null", ZG_UNIT_TOWN },
		{ "d4", "123", ZG_UNIT_TOWNSHIP },
		{ "e5", "[镇]", ZG_UNIT_TOWNSHIP },
	};
	char *dir = make_tmp();
	struct zg_init_options o;
	zg_init_defaults(&o);
	o.dir = dir;
	o.units = units;
	o.nunits = sizeof units / sizeof *units;
	o.county = "某某县: 东区 #2";
	o.office = "'绩效办', \"考评\"";
	o.evaluation_year = 2020;
	o.submit = (struct zg_date){ 2021, 7, 5 };
	struct zg_error err = { { 0 } };
	assert_int_equal(zg_init_create(&o, &err), 0);
	load_back(dir, units, o.nunits, o.county, o.office);
	clean_tmp(dir);
}

/* ---- the units CSV ---- */

static void test_read_units(void **state)
{
	(void)state;
	char *dir = make_tmp();
	char *path = join(dir, "units.csv");
	write_all(path,
		  "\xEF\xBB\xBF" "code,name,kind\r\n"	/* 1 */
		  "zjj,县住建局,局\r\n"			/* 2 */
		  "luzhai,鹿寨镇,镇\r\n"			/* 3 */
		  "jiangkou,江口乡,乡\r\n"			/* 4 */
		  "jyj,\"县教育局,体育\",bureau\r\n"	/* 5 */
		  "\r\n"				/* 6 */
		  "Bad Code,某市,city\r\n"			/* 7 */
		  "sipai,四排镇,town\r\n"			/* 8 */
		  "lagou,拉沟乡,township\r\n"		/* 9 */
		  "okcode,,town\r\n"			/* 10 */
		  "okcode2,名称,city\r\n"			/* 11 */
		  "a,b\r\n"				/* 12 */
		  "a,b,town,extra\r\n"			/* 13 */
		  "last,最后,乡");				/* 14 */
	struct zg_unit_spec *units = NULL;
	size_t n = 0;
	struct zg_diags d;
	zg_diags_init(&d);
	struct zg_error err = { { 0 } };
	assert_int_equal(zg_init_read_units(path, &units, &n, &d, &err), 0);
	static const struct zg_unit_spec want[] = {
		{ "zjj", "县住建局", ZG_UNIT_BUREAU },
		{ "luzhai", "鹿寨镇", ZG_UNIT_TOWN },
		{ "jiangkou", "江口乡", ZG_UNIT_TOWNSHIP },
		{ "jyj", "县教育局,体育", ZG_UNIT_BUREAU },
		{ "sipai", "四排镇", ZG_UNIT_TOWN },
		{ "lagou", "拉沟乡", ZG_UNIT_TOWNSHIP },
		{ "last", "最后", ZG_UNIT_TOWNSHIP },
	};
	assert_int_equal(n, sizeof want / sizeof *want);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(units[i].code, want[i].code);
		assert_string_equal(units[i].name, want[i].name);
		assert_int_equal(units[i].kind, want[i].kind);
	}
	static const unsigned bad_lines[] = { 7, 10, 11, 12, 13 };
	if (d.n != 5)
		print_findings(&d);
	assert_int_equal(d.n, 5);
	assert_int_equal(d.errors, 5);
	for (size_t i = 0; i < d.n; i++) {
		assert_string_equal(d.v[i].file, path);
		if (d.v[i].line != bad_lines[i])
			fail_msg("finding %zu is on line %u, want %u", i,
				 d.v[i].line, bad_lines[i]);
		assert_int_equal(d.v[i].column, 1);
		assert_int_equal(d.v[i].severity, ZG_ERROR);
	}
	zg_diags_release(&d);

	/* Read units make a project that loads back. */
	char *proj = join(dir, "proj");
	struct zg_init_options o;
	zg_init_defaults(&o);
	o.dir = proj;
	o.units = units;
	o.nunits = n;
	assert_int_equal(zg_init_create(&o, &err), 0);
	load_back(proj, units, n, "鹿寨县", "鹿寨县绩效考评委员会办公室");
	zg_init_units_free(units, n);
	free(proj);
	free(path);
	clean_tmp(dir);
}

static void test_read_units_no_header(void **state)
{
	(void)state;
	char *dir = make_tmp();
	char *path = join(dir, "units.csv");
	/* No header, no BOM, LF line ends, blank lines around. */
	write_all(path, "zjj,县住建局,bureau\n\n\nlagou,拉沟乡,乡\ncity,某市,市\n\n");
	struct zg_unit_spec *units = NULL;
	size_t n = 0;
	struct zg_diags d;
	zg_diags_init(&d);
	struct zg_error err = { { 0 } };
	assert_int_equal(zg_init_read_units(path, &units, &n, &d, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(units[0].code, "zjj");
	assert_int_equal(units[0].kind, ZG_UNIT_BUREAU);
	assert_string_equal(units[1].code, "lagou");
	assert_int_equal(units[1].kind, ZG_UNIT_TOWNSHIP);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].line, 5);
	zg_diags_release(&d);
	zg_init_units_free(units, n);

	/* A quoted field across lines: rows are named by their first line. */
	write_all(path, "bad code,\"两行\n的名称\",city\nBad2,x,y\n\nok,\"好\n\",town\nx,y\n");
	zg_diags_init(&d);
	assert_int_equal(zg_init_read_units(path, &units, &n, &d, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(units[0].name, "好\n");
	assert_int_equal(d.n, 3);
	assert_int_equal(d.v[0].line, 1);
	assert_int_equal(d.v[1].line, 3);
	assert_int_equal(d.v[2].line, 7);
	zg_diags_release(&d);
	zg_init_units_free(units, n);

	/* An empty file is no units and no finding. */
	write_all(path, "");
	units = NULL;
	n = 99;
	zg_diags_init(&d);
	assert_int_equal(zg_init_read_units(path, &units, &n, &d, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(d.n, 0);
	zg_init_units_free(units, n);
	zg_diags_release(&d);

	/* A file that is not there. */
	char *missing = join(dir, "missing.csv");
	zg_diags_init(&d);
	err.message[0] = '\0';
	assert_int_equal(zg_init_read_units(missing, &units, &n, &d, &err), -1);
	assert_non_null(strstr(err.message, "missing.csv"));
	assert_int_equal(d.n, 0);
	zg_diags_release(&d);
	free(missing);
	free(path);
	clean_tmp(dir);
}

static void test_read_units_odd_rows(void **state)
{
	(void)state;
	char *dir = make_tmp();
	char *path = join(dir, "units.csv");
	/* 20 good rows, so the list grows, among odd ones. */
	char text[4096] = "code,name,kind\n";			/* 1: header */
	strcat(text, "a,b,town,extra,more\n");		/* 2: five fields */
	strcat(text, "\"\"\n");				/* 3: one empty field */
	strcat(text, "lonely\n");				/* 4: one field */
	strcat(text, "code,name,kind\n");			/* 5: not line 1 */
	for (int i = 0; i < 20; i++) {
		char row[64];
		snprintf(row, sizeof row, "u%02d,单位%d,town\n", i, i);
		strcat(text, row);
	}
	write_all(path, text);
	struct zg_unit_spec *units = NULL;
	size_t n = 0;
	struct zg_diags d;
	zg_diags_init(&d);
	struct zg_error err = { { 0 } };
	assert_int_equal(zg_init_read_units(path, &units, &n, &d, &err), 0);
	assert_int_equal(n, 20);
	assert_string_equal(units[0].code, "u00");
	assert_string_equal(units[19].code, "u19");
	assert_string_equal(units[19].name, "单位19");
	/* The quoted empty row is blank; the header only counts on line 1. */
	static const unsigned bad_lines[] = { 2, 4, 5 };
	if (d.n != 3)
		print_findings(&d);
	assert_int_equal(d.n, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(d.v[i].line, bad_lines[i]);
		assert_string_equal(d.v[i].rule, "unit");
		assert_non_null(strstr(d.v[i].message, "a unit row is code,name,kind"));
	}
	zg_diags_release(&d);
	zg_init_units_free(units, n);
	free(path);
	clean_tmp(dir);
}

/* ---- --git ---- */

static char *saved_path;

static void git_env(void)
{
	/* git as a clean install has it, whoever runs the tests. */
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
	saved_path = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	assert_non_null(saved_path);
}

static void git_env_done(void)
{
	setenv("PATH", saved_path, 1);
	free(saved_path);
	setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
}

static void test_git_repository_and_hook(void **state)
{
	(void)state;
	git_env();
	char *dir = make_tmp();
	struct zg_init_options o;
	seed_options(&o, dir);
	o.git = true;
	struct zg_error err = { { 0 } };
	if (zg_init_create(&o, &err) != 0)
		fail_msg("zg_init_create: %s", err.message);
	check_layout(dir);
	assert_int_equal(mode_in(dir, ".git", S_IFDIR) & 0700, 0700);
	assert_int_equal(mode_in(dir, ".git/hooks/pre-commit", S_IFREG), 0755);
	char *hook = read_in(dir, ".git/hooks/pre-commit");
	assert_int_equal(strncmp(hook, "#!/bin/sh\n", 10), 0);
	assert_non_null(strstr(hook, "zg-check"));
	assert_non_null(strstr(hook, "--against HEAD"));
	free(hook);
	clean_tmp(dir);

	/* An existing repository: no second git init, and a hook of the
	 * office's own is kept as it is. */
	dir = make_tmp();
	char cmd[256];
	snprintf(cmd, sizeof cmd, "git init -q '%s'", dir);
	assert_int_equal(system(cmd), 0);
	char *own = join(dir, ".git/hooks/pre-commit");
	write_all(own, "#!/bin/sh\nexit 0\n");
	seed_options(&o, dir);
	o.git = true;
	assert_int_equal(zg_init_create(&o, &err), 0);
	char *kept = read_all(own, NULL);
	assert_string_equal(kept, "#!/bin/sh\nexit 0\n");
	free(kept);
	free(own);
	assert_true(exists_in(dir, "zg.yaml"));
	clean_tmp(dir);
	git_env_done();
}

static void test_git_failures_leave_nothing(void **state)
{
	(void)state;
	git_env();
	struct zg_init_options o;
	struct zg_error err = { { 0 } };

	/* git is not on PATH. */
	char *dir = make_tmp();
	char *before = listing(dir, false);
	setenv("PATH", "/nonexistent-zg-test", 1);
	seed_options(&o, dir);
	o.git = true;
	assert_int_equal(zg_init_create(&o, &err), -1);
	setenv("PATH", saved_path, 1);
	assert_string_equal(err.message, "cannot run git: git is not installed");
	char *after = listing(dir, false);
	assert_same_listing(before, after);
	free(after);

	/* A "git" that cannot be run. */
	char *bin = join(dir, "bin");
	assert_int_equal(mkdir(bin, 0755), 0);
	char *fake = join(bin, "git");
	write_all(fake, "not a program\n");
	assert_int_equal(chmod(fake, 0644), 0);
	free(before);
	before = listing(dir, false);
	setenv("PATH", bin, 1);
	assert_int_equal(zg_init_create(&o, &err), -1);
	setenv("PATH", saved_path, 1);
	assert_string_equal(err.message, "cannot run git: Permission denied");
	after = listing(dir, false);
	assert_same_listing(before, after);
	free(after);
	free(fake);
	free(bin);

	/* git runs, and fails: its own words are in the message. */
	char *bad = join(dir, "bad.gitconfig");
	write_all(bad, "[core\n");
	free(before);
	before = listing(dir, false);
	setenv("GIT_CONFIG_GLOBAL", bad, 1);
	assert_int_equal(zg_init_create(&o, &err), -1);
	setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
	assert_int_equal(strncmp(err.message, "git init failed: ", 17), 0);
	assert_non_null(strstr(err.message, "bad.gitconfig"));
	after = listing(dir, false);
	assert_same_listing(before, after);
	free(after);
	free(bad);

	/* A .git that is not a repository with hooks: the hook cannot be
	 * written; what zg-init made is removed, the .git stays. */
	char *git = join(dir, ".git");
	assert_int_equal(mkdir(git, 0755), 0);
	free(before);
	before = listing(dir, false);
	assert_int_equal(zg_init_create(&o, &err), -1);
	assert_non_null(strstr(err.message, ".git/hooks/pre-commit: No such file or directory"));
	assert_int_equal(strncmp(err.message, "cannot write ", 13), 0);
	after = listing(dir, false);
	assert_same_listing(before, after);
	free(after);
	free(before);
	free(git);
	clean_tmp(dir);
	git_env_done();
}

static void test_gitignore_not_writable(void **state)
{
	(void)state;
	/*
	 * A .gitignore zg-init may read but not write: it says so, and
	 * leaves nothing behind.  As root, the run is made as nobody
	 * (effective uid only, restored after).
	 */
	char *dir = make_tmp();
	assert_int_equal(chmod(dir, 0777), 0);
	char *gi = join(dir, ".gitignore");
	write_all(gi, "build/\n");
	assert_int_equal(chmod(gi, 0444), 0);
	char *before = listing(dir, false);
	struct zg_init_options o;
	seed_options(&o, dir);
	struct zg_error err = { { 0 } };
	bool root = geteuid() == 0;
	if (root)
		assert_int_equal(seteuid(65534), 0);
	int rc = zg_init_create(&o, &err);
	if (root)
		assert_int_equal(seteuid(0), 0);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err.message, ".gitignore: Permission denied"));
	char *after = listing(dir, false);
	assert_same_listing(before, after);
	free(after);
	free(before);
	free(gi);
	clean_tmp(dir);
}

/* ---- a disk that fills up: RLIMIT_FSIZE in a forked child ---- */

struct fsize_case {
	const char *dir;
	rlim_t limit;
	const char *want;	/* a part of the error message */
};

/*
 * Runs zg_init_create in a child whose files may not grow past limit
 * bytes (writes past it fail with EFBIG), and returns its exit status:
 * 0 when it failed with the message wanted.  The limit is lifted before
 * the child exits, so that coverage data can still be written.
 */
static int create_with_file_limit(const struct fsize_case *c)
{
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGXFSZ, SIG_IGN);
		struct rlimit old, rl;
		if (getrlimit(RLIMIT_FSIZE, &old) != 0)
			exit(90);
		rl = old;
		rl.rlim_cur = c->limit;
		if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
			exit(91);
		struct zg_init_options o;
		zg_init_defaults(&o);
		o.dir = c->dir;
		o.units = zg_luzhai_units;
		o.nunits = zg_luzhai_nunits;
		struct zg_error err = { { 0 } };
		int rc = zg_init_create(&o, &err);
		setrlimit(RLIMIT_FSIZE, &old);
		if (rc != -1)
			exit(10);
		if (!strstr(err.message, c->want)) {
			fprintf(stderr, "message: %s\n", err.message);
			exit(11);
		}
		exit(0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static off_t size_in(const char *dir, const char *rel)
{
	char *p = join(dir, rel);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	free(p);
	return st.st_size;
}

static void test_disk_full_leaves_nothing(void **state)
{
	(void)state;
	/* The sizes of what a good run writes. */
	char *good = make_tmp();
	struct zg_init_options o;
	seed_options(&o, good);
	struct zg_error err = { { 0 } };
	assert_int_equal(zg_init_create(&o, &err), 0);
	off_t config = size_in(good, "zg.yaml");
	off_t ledger = size_in(good, "ledgers/zjj.yaml");
	off_t biggest = config > ledger ? config : ledger;
	clean_tmp(good);

	char *dir = make_tmp();
	char *before = listing(dir, false);
	/* zg.yaml does not fit. */
	struct fsize_case c = { dir, 100, "/zg.yaml: File too large" };
	assert_int_equal(create_with_file_limit(&c), 0);
	char *after = listing(dir, false);
	assert_same_listing(before, after);
	free(after);
	/* zg.yaml fits, a ledger does not. */
	if (ledger > config) {
		c.limit = (rlim_t)config;
		c.want = "/ledgers/zjj.yaml: File too large";
		assert_int_equal(create_with_file_limit(&c), 0);
		after = listing(dir, false);
		assert_same_listing(before, after);
		free(after);
	}
	free(before);

	/*
	 * Everything fits but the lines appended to a long .gitignore:
	 * undone, and the .gitignore holds what it held, with or without a
	 * last newline.
	 */
	static const char *const ends[] = { "\n", "" };
	for (size_t k = 0; k < 2; k++) {
		char *gi = join(dir, ".gitignore");
		FILE *f = fopen(gi, "w");
		assert_non_null(f);
		while (ftell(f) <= (long)biggest + 100)
			fputs("# build output\nbuild/\n", f);
		fputs("*.o", f);
		fputs(ends[k], f);
		assert_int_equal(fclose(f), 0);
		size_t old_len;
		char *old = read_all(gi, &old_len);
		c.limit = (rlim_t)old_len;
		c.want = ".gitignore: File too large";
		assert_int_equal(create_with_file_limit(&c), 0);
		static const char *const ours[] = { "zg.yaml", "ledgers",
						    "evidence", "private" };
		for (size_t i = 0; i < 4; i++)
			assert_false(exists_in(dir, ours[i]));
		size_t new_len;
		char *now = read_all(gi, &new_len);
		assert_int_equal(new_len, old_len);
		assert_string_equal(now, old);
		free(now);
		free(old);
		assert_int_equal(unlink(gi), 0);
		free(gi);
	}
	clean_tmp(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_luzhai_units),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_create_umask_022),
		cmocka_unit_test(test_create_umask_077),
		cmocka_unit_test(test_create_umask_000),
		cmocka_unit_test(test_create_new_folder),
		cmocka_unit_test(test_no_units),
		cmocka_unit_test(test_second_create_refused),
		cmocka_unit_test(test_existing_piece_refused),
		cmocka_unit_test(test_gitignore_kept_and_appended),
		cmocka_unit_test(test_duplicate_codes_refused),
		cmocka_unit_test(test_bad_codes_refused),
		cmocka_unit_test(test_failure_half_way_leaves_nothing),
		cmocka_unit_test(test_many_units),
		cmocka_unit_test(test_awkward_text_loads_back),
		cmocka_unit_test(test_read_units),
		cmocka_unit_test(test_read_units_no_header),
		cmocka_unit_test(test_read_units_odd_rows),
		cmocka_unit_test(test_git_repository_and_hook),
		cmocka_unit_test(test_git_failures_leave_nothing),
		cmocka_unit_test(test_gitignore_not_writable),
		cmocka_unit_test(test_disk_full_leaves_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
