/*
 * test_diag.c - the findings list: adding, counting, printing, sorting,
 * filtering, appending and the CSV form (read back with libcsv).
 */
#define _GNU_SOURCE		/* fopencookie */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <wchar.h>

#include <cmocka.h>
#include <csv.h>

#include "zg/diag.h"

/* Runs zg_diag_print into memory; the caller frees the text. */
static char *printed(const struct zg_diag *g)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	zg_diag_print(f, g);
	assert_int_equal(fclose(f), 0);
	return text;
}

static void assert_printed(const struct zg_diag *g, const char *want)
{
	char *got = printed(g);
	assert_string_equal(got, want);
	free(got);
}

static void test_add_fields(void **state)
{
	(void)state;
	struct zg_diags d;
	zg_diags_init(&d);
	assert_int_equal(d.n, 0);
	char file[] = "ledgers/zjj.yaml";
	char item[] = "zjj-001";
	zg_diag_add(&d, ZG_ERROR, "unknown-key", file, 12, 5, item,
		    "unknown key '%s'; did you mean '%s'?", "stauts", "status");
	/* The list keeps its own copies. */
	memset(file, 'X', sizeof file - 1);
	memset(item, 'Y', sizeof item - 1);
	zg_diag_add(&d, ZG_WARNING, "unit", "zg.yaml", 0, 0, NULL, "%s",
		    "单位 lagou 还没有台账");
	zg_diag_add(&d, ZG_ERROR, "io", NULL, 0, 0, NULL, "cannot read %d files",
		    3);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.errors, 2);
	assert_int_equal(d.warnings, 1);
	assert_false(d.oom);

	const struct zg_diag *g = &d.v[0];
	assert_int_equal(g->severity, ZG_ERROR);
	assert_string_equal(g->rule, "unknown-key");
	assert_string_equal(g->file, "ledgers/zjj.yaml");
	assert_int_equal(g->line, 12);
	assert_int_equal(g->column, 5);
	assert_string_equal(g->item, "zjj-001");
	assert_string_equal(g->message,
			    "unknown key 'stauts'; did you mean 'status'?");
	g = &d.v[1];
	assert_int_equal(g->severity, ZG_WARNING);
	assert_string_equal(g->file, "zg.yaml");
	assert_int_equal(g->line, 0);
	assert_null(g->item);
	assert_string_equal(g->message, "单位 lagou 还没有台账");
	g = &d.v[2];
	assert_null(g->file);
	assert_null(g->item);
	assert_string_equal(g->message, "cannot read 3 files");
	/* Arrival order is recorded. */
	assert_true(d.v[0].seq < d.v[1].seq);
	assert_true(d.v[1].seq < d.v[2].seq);
	zg_diags_release(&d);
	assert_int_equal(d.n, 0);
	assert_int_equal(d.errors, 0);
	assert_null(d.v);
}

static void test_many_findings(void **state)
{
	(void)state;
	struct zg_diags d;
	zg_diags_init(&d);
	for (unsigned i = 0; i < 1000; i++)
		zg_diag_add(&d, i % 3 ? ZG_ERROR : ZG_WARNING, "r", "f.yaml",
			    i + 1, 1, NULL, "finding %u", i);
	assert_int_equal(d.n, 1000);
	assert_int_equal(d.warnings, 334);
	assert_int_equal(d.errors, 666);
	for (unsigned i = 0; i < 1000; i++) {
		char want[32];
		snprintf(want, sizeof want, "finding %u", i);
		assert_string_equal(d.v[i].message, want);
		assert_int_equal(d.v[i].line, i + 1);
	}
	zg_diags_release(&d);
	/* Released lists are reusable. */
	zg_diag_add(&d, ZG_ERROR, "r", NULL, 0, 0, NULL, "again");
	assert_int_equal(d.n, 1);
	assert_int_equal(d.errors, 1);
	assert_int_equal(d.warnings, 0);
	zg_diags_release(&d);
}

static void test_print(void **state)
{
	(void)state;
	struct zg_diags d;
	zg_diags_init(&d);
	zg_diag_add(&d, ZG_ERROR, "unknown-key", "ledgers/zjj.yaml", 12, 5,
		    "zjj-001", "unknown key 'stauts'");
	zg_diag_add(&d, ZG_WARNING, "unit", "zg.yaml", 0, 0, NULL,
		    "unit 'lagou' has no ledger yet");
	zg_diag_add(&d, ZG_ERROR, "io", NULL, 0, 0, NULL,
		    "cannot read ledgers: Permission denied");
	zg_diag_add(&d, ZG_WARNING, "overdue/step", "ledgers/jyj.yaml", 30, 9,
		    NULL, "步骤已逾期");
	zg_diag_add(&d, ZG_ERROR, "id", "ledgers/rsj.yaml", 0, 0, "rsj-002",
		    "duplicate");
	zg_diag_add(&d, ZG_ERROR, "io", NULL, 7, 3, "x-001", "no file");

	assert_printed(&d.v[0],
		       "ledgers/zjj.yaml:12:5: error: unknown key 'stauts' [unknown-key] (zjj-001)\n");
	assert_printed(&d.v[1],
		       "zg.yaml: warning: unit 'lagou' has no ledger yet [unit]\n");
	assert_printed(&d.v[2],
		       "zg: error: cannot read ledgers: Permission denied [io]\n");
	assert_printed(&d.v[3],
		       "ledgers/jyj.yaml:30:9: warning: 步骤已逾期 [overdue/step]\n");
	assert_printed(&d.v[4],
		       "ledgers/rsj.yaml: error: duplicate [id] (rsj-002)\n");
	/* Without a file, a line means nothing. */
	assert_printed(&d.v[5], "zg: error: no file [io] (x-001)\n");
	zg_diags_release(&d);
}

static void test_severity_name(void **state)
{
	(void)state;
	assert_string_equal(zg_severity_name(ZG_ERROR), "error");
	assert_string_equal(zg_severity_name(ZG_WARNING), "warning");
}

static void add_at(struct zg_diags *d, const char *file, unsigned line,
		   unsigned column, const char *msg)
{
	zg_diag_add(d, ZG_ERROR, "r", file, line, column, NULL, "%s", msg);
}

static void assert_order(const struct zg_diags *d, const char *const *want,
			 size_t n)
{
	assert_int_equal(d->n, n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(d->v[i].message, want[i]) != 0)
			fail_msg("position %zu holds %s, want %s", i,
				 d->v[i].message, want[i]);
}

static void test_sort(void **state)
{
	(void)state;
	struct zg_diags d;
	zg_diags_init(&d);
	add_at(&d, "b.yaml", 3, 1, "m0");
	add_at(&d, "a.yaml", 10, 2, "m1");
	add_at(&d, "a.yaml", 9, 5, "m2");
	add_at(&d, NULL, 0, 0, "m3");
	add_at(&d, "a.yaml", 10, 1, "m4");
	add_at(&d, "a.yaml", 10, 2, "m5");
	add_at(&d, "b.yaml", 0, 0, "m6");
	add_at(&d, NULL, 0, 0, "m7");
	add_at(&d, "a.yaml", 10, 2, "m8");
	add_at(&d, "a.yaml", 2, 30, "m9");
	add_at(&d, "a.yaml", 9, 30, "m10");
	add_at(&d, "a.yaml", 9, 5, "m11");
	zg_diags_sort(&d);
	/* Lines and columns compare as numbers (10 after 9, 30 after 5),
	 * ties keep their order of arrival; the file-less come first. */
	static const char *const want[] = {
		"m3", "m7", "m9", "m2", "m11", "m10", "m4", "m1", "m5", "m8",
		"m6", "m0",
	};
	assert_order(&d, want, sizeof want / sizeof *want);
	/* Sorting a sorted list changes nothing. */
	zg_diags_sort(&d);
	assert_order(&d, want, sizeof want / sizeof *want);
	zg_diags_release(&d);

	/* Empty and single lists. */
	zg_diags_sort(&d);
	add_at(&d, "x", 1, 1, "only");
	zg_diags_sort(&d);
	assert_string_equal(d.v[0].message, "only");
	zg_diags_release(&d);
}

static void test_sort_stable_many_ties(void **state)
{
	(void)state;
	struct zg_diags d;
	zg_diags_init(&d);
	enum { N = 600 };
	/* Three places, interleaved from the back, many ties each. */
	for (unsigned i = 0; i < N; i++) {
		char msg[16];
		snprintf(msg, sizeof msg, "%u", i);
		add_at(&d, "f.yaml", 3 - i % 3, 1, msg);
	}
	zg_diags_sort(&d);
	assert_int_equal(d.n, N);
	for (size_t k = 1; k < d.n; k++) {
		const struct zg_diag *a = &d.v[k - 1], *b = &d.v[k];
		assert_true(a->line <= b->line);
		if (a->line == b->line &&
		    strtoul(a->message, NULL, 10) >= strtoul(b->message, NULL, 10))
			fail_msg("%s before %s on line %u", a->message,
				 b->message, a->line);
	}
	assert_int_equal(d.v[0].line, 1);
	assert_string_equal(d.v[0].message, "2");
	assert_string_equal(d.v[N - 1].message, "597");
	zg_diags_release(&d);
}

struct keep_ctx {
	const char *rule;
	unsigned calls;
};

static bool keep_rule(const struct zg_diag *g, void *p)
{
	struct keep_ctx *k = p;
	k->calls++;
	return strcmp(g->rule, k->rule) == 0;
}

static bool keep_errors(const struct zg_diag *g, void *p)
{
	(void)p;
	return g->severity == ZG_ERROR;
}

static bool keep_none(const struct zg_diag *g, void *p)
{
	(void)g;
	(void)p;
	return false;
}

static void fill_mixed(struct zg_diags *d)
{
	zg_diag_add(d, ZG_ERROR, "a", "f", 1, 1, NULL, "e1");
	zg_diag_add(d, ZG_WARNING, "b", "f", 2, 1, NULL, "w1");
	zg_diag_add(d, ZG_ERROR, "b", "f", 3, 1, NULL, "e2");
	zg_diag_add(d, ZG_WARNING, "a", "f", 4, 1, NULL, "w2");
	zg_diag_add(d, ZG_ERROR, "a", "f", 5, 1, NULL, "e3");
}

static void test_filter(void **state)
{
	(void)state;
	struct zg_diags d;
	zg_diags_init(&d);
	fill_mixed(&d);
	assert_int_equal(d.errors, 3);
	assert_int_equal(d.warnings, 2);

	struct keep_ctx k = { "a", 0 };
	zg_diags_filter(&d, keep_rule, &k);
	assert_int_equal(k.calls, 5);
	static const char *const want_a[] = { "e1", "w2", "e3" };
	assert_order(&d, want_a, 3);
	assert_int_equal(d.errors, 2);
	assert_int_equal(d.warnings, 1);

	zg_diags_filter(&d, keep_errors, NULL);
	static const char *const want_e[] = { "e1", "e3" };
	assert_order(&d, want_e, 2);
	assert_int_equal(d.errors, 2);
	assert_int_equal(d.warnings, 0);

	/* New findings after a filter land after the kept ones. */
	zg_diag_add(&d, ZG_WARNING, "c", "f", 6, 1, NULL, "w3");
	static const char *const want_w[] = { "e1", "e3", "w3" };
	assert_order(&d, want_w, 3);
	assert_int_equal(d.warnings, 1);

	zg_diags_filter(&d, keep_none, NULL);
	assert_int_equal(d.n, 0);
	assert_int_equal(d.errors, 0);
	assert_int_equal(d.warnings, 0);
	zg_diags_release(&d);

	/* Only warnings kept. */
	zg_diags_init(&d);
	fill_mixed(&d);
	struct keep_ctx kb = { "b", 0 };
	zg_diags_filter(&d, keep_rule, &kb);
	static const char *const want_b[] = { "w1", "e2" };
	assert_order(&d, want_b, 2);
	assert_int_equal(d.errors, 1);
	assert_int_equal(d.warnings, 1);
	zg_diags_release(&d);
}

static void test_append(void **state)
{
	(void)state;
	struct zg_diags src, dst;
	zg_diags_init(&src);
	zg_diags_init(&dst);
	zg_diag_add(&dst, ZG_ERROR, "id", "ledgers/a.yaml", 5, 1, NULL, "first");
	zg_diag_add(&src, ZG_WARNING, "unit", "zg.yaml", 5, 1, "zjj-001",
		    "来自 src 的警告");
	zg_diag_add(&src, ZG_ERROR, "io", NULL, 0, 0, NULL, "no file");
	zg_diag_add(&src, ZG_ERROR, "id", "ledgers/a.yaml", 5, 1, NULL,
		    "second");

	zg_diags_append(&dst, &src);
	/* src is left as it was. */
	assert_int_equal(src.n, 3);
	assert_int_equal(src.errors, 2);
	assert_int_equal(src.warnings, 1);
	assert_string_equal(src.v[0].message, "来自 src 的警告");
	/* dst has its own copies. */
	assert_int_equal(dst.n, 4);
	assert_int_equal(dst.errors, 3);
	assert_int_equal(dst.warnings, 1);
	assert_ptr_not_equal(dst.v[1].message, src.v[0].message);
	assert_ptr_not_equal(dst.v[1].file, src.v[0].file);
	assert_ptr_not_equal(dst.v[1].item, src.v[0].item);
	zg_diags_release(&src);

	assert_string_equal(dst.v[0].message, "first");
	assert_int_equal(dst.v[1].severity, ZG_WARNING);
	assert_string_equal(dst.v[1].rule, "unit");
	assert_string_equal(dst.v[1].file, "zg.yaml");
	assert_int_equal(dst.v[1].line, 5);
	assert_int_equal(dst.v[1].column, 1);
	assert_string_equal(dst.v[1].item, "zjj-001");
	assert_string_equal(dst.v[1].message, "来自 src 的警告");
	assert_null(dst.v[2].file);
	assert_null(dst.v[2].item);
	assert_string_equal(dst.v[2].message, "no file");
	assert_string_equal(dst.v[3].message, "second");
	/* Appended findings arrive after dst's own: a tie keeps dst's first. */
	zg_diags_sort(&dst);
	assert_string_equal(dst.v[0].message, "no file");
	assert_string_equal(dst.v[1].message, "first");
	assert_string_equal(dst.v[2].message, "second");
	assert_string_equal(dst.v[3].message, "来自 src 的警告");

	/* Appending an empty list changes nothing. */
	zg_diags_init(&src);
	zg_diags_append(&dst, &src);
	assert_int_equal(dst.n, 4);
	assert_int_equal(dst.errors, 3);
	zg_diags_release(&dst);
}

/* ---- CSV read back with libcsv ---- */

enum { MAX_ROWS = 16, MAX_FIELDS = 10 };

struct csv_rows {
	char *field[MAX_ROWS][MAX_FIELDS];
	size_t nfield[MAX_ROWS];
	size_t nrows;
	bool overflow;
};

static void on_field(void *s, size_t len, void *p)
{
	struct csv_rows *r = p;
	if (r->nrows >= MAX_ROWS || r->nfield[r->nrows] >= MAX_FIELDS) {
		r->overflow = true;
		return;
	}
	char *copy = malloc(len + 1);
	assert_non_null(copy);
	if (len)
		memcpy(copy, s, len);
	copy[len] = '\0';
	r->field[r->nrows][r->nfield[r->nrows]++] = copy;
}

static void on_row(int c, void *p)
{
	(void)c;
	struct csv_rows *r = p;
	if (r->nrows < MAX_ROWS)
		r->nrows++;
	else
		r->overflow = true;
}

static void rows_free(struct csv_rows *r)
{
	for (size_t i = 0; i < MAX_ROWS; i++)
		for (size_t k = 0; k < MAX_FIELDS; k++)
			free(r->field[i][k]);
}

static void parse_csv(const char *text, size_t len, struct csv_rows *r)
{
	memset(r, 0, sizeof *r);
	struct csv_parser p;
	assert_int_equal(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI), 0);
	assert_int_equal(csv_parse(&p, text, len, on_field, on_row, r), len);
	assert_int_equal(csv_fini(&p, on_field, on_row, r), 0);
	csv_free(&p);
	assert_false(r->overflow);
}

static char *csv_text(const struct zg_diags *d, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);
	assert_non_null(f);
	assert_int_equal(zg_diags_write_csv(f, d), 0);
	assert_int_equal(fclose(f), 0);
	return text;
}

static const char header[] = "file,line,column,severity,rule,item,message\r\n";

static void test_csv_empty(void **state)
{
	(void)state;
	struct zg_diags d;
	zg_diags_init(&d);
	size_t len;
	char *text = csv_text(&d, &len);
	assert_string_equal(text, header);
	assert_int_equal(len, strlen(header));
	free(text);
	zg_diags_release(&d);
}

static void test_csv_round_trip(void **state)
{
	(void)state;
	static const char *const messages[] = {
		"unknown key \"stauts\", did you mean status?\nsee docs, please",
		"cannot read: 没有那个文件或目录",
		" leading and trailing ",
		"CR\ronly, and \"\" two quotes",
		"\ttab first and last\t",
		"plain",
		"",
	};
	struct zg_diags d;
	zg_diags_init(&d);
	zg_diag_add(&d, ZG_ERROR, "unknown-key", "ledgers/zjj.yaml", 12, 5,
		    "zjj-001", "%s", messages[0]);
	zg_diag_add(&d, ZG_WARNING, "io", NULL, 0, 0, NULL, "%s", messages[1]);
	zg_diag_add(&d, ZG_ERROR, "five-haves/owner", "ledgers/县住建局.yaml",
		    3, 0, "jyj-002", "%s", messages[2]);
	zg_diag_add(&d, ZG_ERROR, "syntax", "a,b.yaml", 1, 17, "x\"y", "%s",
		    messages[3]);
	zg_diag_add(&d, ZG_WARNING, "due-soon", "f.yaml", 100000, 2, NULL,
		    "%s", messages[4]);
	zg_diag_add(&d, ZG_ERROR, "r", "", 1, 1, "", "%s", messages[5]);
	zg_diag_add(&d, ZG_ERROR, "r", "f", 2, 2, NULL, "%s", messages[6]);

	size_t len;
	char *text = csv_text(&d, &len);
	assert_int_equal(strlen(text), len);
	/* The header exactly; Chinese text as is; quoting as RFC 4180. */
	assert_memory_equal(text, header, strlen(header));
	const char *row1 = text + strlen(header);
	static const char want1[] =
		"ledgers/zjj.yaml,12,5,error,unknown-key,zjj-001,"
		"\"unknown key \"\"stauts\"\", did you mean status?\nsee docs, please\"\r\n";
	assert_memory_equal(row1, want1, strlen(want1));
	const char *row2 = row1 + strlen(want1);
	static const char want2[] =
		",,,warning,io,,cannot read: 没有那个文件或目录\r\n";
	assert_memory_equal(row2, want2, strlen(want2));
	/* Every row ends in CRLF. */
	assert_memory_equal(text + len - 2, "\r\n", 2);

	struct csv_rows r;
	parse_csv(text, len, &r);
	assert_int_equal(r.nrows, 1 + d.n);
	static const char *const head[] = { "file", "line", "column",
		"severity", "rule", "item", "message" };
	assert_int_equal(r.nfield[0], 7);
	for (size_t k = 0; k < 7; k++)
		assert_string_equal(r.field[0][k], head[k]);
	static const char *const want[][6] = {
		{ "ledgers/zjj.yaml", "12", "5", "error", "unknown-key", "zjj-001" },
		{ "", "", "", "warning", "io", "" },
		{ "ledgers/县住建局.yaml", "3", "", "error", "five-haves/owner",
		  "jyj-002" },
		{ "a,b.yaml", "1", "17", "error", "syntax", "x\"y" },
		{ "f.yaml", "100000", "2", "warning", "due-soon", "" },
		{ "", "1", "1", "error", "r", "" },
		{ "f", "2", "2", "error", "r", "" },
	};
	for (size_t i = 0; i < d.n; i++) {
		if (r.nfield[i + 1] != 7)
			fail_msg("row %zu has %zu fields", i + 1, r.nfield[i + 1]);
		for (size_t k = 0; k < 6; k++)
			assert_string_equal(r.field[i + 1][k], want[i][k]);
		assert_string_equal(r.field[i + 1][6], messages[i]);
	}
	rows_free(&r);
	free(text);
	zg_diags_release(&d);
}

static void test_csv_write_error(void **state)
{
	(void)state;
	FILE *f = fopen("/dev/full", "w");
	if (!f)
		skip();
	setvbuf(f, NULL, _IONBF, 0);
	struct zg_diags d;
	zg_diags_init(&d);
	zg_diag_add(&d, ZG_ERROR, "r", "f", 1, 1, NULL, "m");
	assert_int_equal(zg_diags_write_csv(f, &d), -1);
	fclose(f);

	/* Buffered: the error shows when the buffer is flushed. */
	f = fopen("/dev/full", "w");
	assert_non_null(f);
	for (int i = 0; i < 2000; i++)
		zg_diag_add(&d, ZG_ERROR, "r", "f", 1, 1, NULL,
			    "a rather long message number %d", i);
	assert_int_equal(zg_diags_write_csv(f, &d), -1);
	fclose(f);
	zg_diags_release(&d);
}

/* A stream that takes limit bytes and then refuses, unbuffered. */
struct sink {
	char buf[512];
	size_t len, limit;
};

static ssize_t sink_write(void *cookie, const char *data, size_t n)
{
	struct sink *k = cookie;
	if (k->len >= k->limit)
		return -1;
	if (n > k->limit - k->len)
		n = k->limit - k->len;
	memcpy(k->buf + k->len, data, n);
	k->len += n;
	return (ssize_t)n;
}

static FILE *open_sink(struct sink *k, size_t limit, int mode)
{
	memset(k, 0, sizeof *k);
	k->limit = limit;
	cookie_io_functions_t io = { NULL, sink_write, NULL, NULL };
	FILE *f = fopencookie(k, "w", io);
	assert_non_null(f);
	assert_int_equal(setvbuf(f, NULL, mode, mode == _IONBF ? 0 : 4096), 0);
	return f;
}

static void test_csv_write_error_at_every_byte(void **state)
{
	(void)state;
	/*
	 * A disk that fills up anywhere in a row: at the quoted file name,
	 * a number, the severity, the rule, the item, the message or a
	 * separator.  The write fails wherever it stops, never succeeds
	 * with a short row.
	 */
	struct zg_diags d;
	zg_diags_init(&d);
	zg_diag_add(&d, ZG_ERROR, "unknown-key", "a,b.yaml", 12, 5, "zjj-001",
		    "message, with a comma");
	static const char row[] =
		"\"a,b.yaml\",12,5,error,unknown-key,zjj-001,\"message, with a comma\"\r\n";
	struct sink k;
	FILE *f = open_sink(&k, sizeof row - 1, _IONBF);
	assert_int_equal(zg_diag_write_csv(f, &d.v[0]), 0);
	fclose(f);
	assert_int_equal(k.len, sizeof row - 1);
	assert_memory_equal(k.buf, row, sizeof row - 1);
	for (size_t limit = 0; limit < sizeof row - 1; limit++) {
		f = open_sink(&k, limit, _IONBF);
		if (zg_diag_write_csv(f, &d.v[0]) != -1)
			fail_msg("a row cut at byte %zu was reported written", limit);
		fclose(f);
		assert_memory_equal(k.buf, row, k.len);
	}
	/* The same for the header, and for an unquoted file name. */
	static const char head[] = "file,line,column,severity,rule,item,message\r\n";
	for (size_t limit = 0; limit < sizeof head - 1; limit++) {
		f = open_sink(&k, limit, _IONBF);
		assert_int_equal(zg_diags_write_csv(f, &d), -1);
		fclose(f);
	}
	zg_diags_release(&d);
	zg_diags_init(&d);
	zg_diag_add(&d, ZG_WARNING, "io", "plain.yaml", 0, 0, NULL, "m");
	for (size_t limit = 0; limit < 8; limit++) {
		f = open_sink(&k, limit, _IONBF);
		assert_int_equal(zg_diag_write_csv(f, &d.v[0]), -1);
		fclose(f);
	}
	zg_diags_release(&d);
}

static void test_csv_earlier_error_is_reported(void **state)
{
	(void)state;
	/* The stream failed before: what follows fits in its buffer, and
	 * the error is still reported. */
	struct sink k;
	FILE *f = open_sink(&k, 0, _IOFBF);
	fputc('x', f);
	assert_int_equal(fflush(f), EOF);
	assert_true(ferror(f));
	struct zg_diags d;
	zg_diags_init(&d);
	zg_diag_add(&d, ZG_ERROR, "r", "f", 1, 1, NULL, "m");
	assert_int_equal(zg_diags_write_csv(f, &d), -1);
	fclose(f);
	zg_diags_release(&d);
}

static void test_csv_quotes_trailing_blanks(void **state)
{
	(void)state;
	struct zg_diags d;
	zg_diags_init(&d);
	zg_diag_add(&d, ZG_ERROR, "r", "f", 1, 1, "trailing ", "tab\t");
	size_t len;
	char *text = csv_text(&d, &len);
	assert_string_equal(text + strlen(header),
			    "f,1,1,error,r,\"trailing \",\"tab\t\"\r\n");
	free(text);
	zg_diags_release(&d);
}

static void test_message_that_cannot_be_formatted(void **state)
{
	(void)state;
	/*
	 * A wide character with no multibyte form: the message cannot be
	 * made, so the finding is dropped and the list says one was lost.
	 */
	static const wchar_t bad[] = { 0x110000, 0 };
	struct zg_diags d, dst;
	zg_diags_init(&d);
	zg_diags_init(&dst);
	zg_diag_add(&d, ZG_ERROR, "r", "f", 1, 1, NULL, "kept");
	zg_diag_add(&d, ZG_ERROR, "r", "f", 2, 1, NULL, "%ls", bad);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.errors, 1);
	assert_true(d.oom);
	/* Appending a list that lost a finding loses it in the copy too. */
	assert_false(dst.oom);
	zg_diags_append(&dst, &d);
	assert_int_equal(dst.n, 1);
	assert_string_equal(dst.v[0].message, "kept");
	assert_true(dst.oom);
	zg_diags_release(&d);
	zg_diags_release(&dst);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_fields),
		cmocka_unit_test(test_many_findings),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_severity_name),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_sort_stable_many_ties),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_csv_empty),
		cmocka_unit_test(test_csv_round_trip),
		cmocka_unit_test(test_csv_write_error),
		cmocka_unit_test(test_csv_write_error_at_every_byte),
		cmocka_unit_test(test_csv_earlier_error_is_reported),
		cmocka_unit_test(test_csv_quotes_trailing_blanks),
		cmocka_unit_test(test_message_that_cannot_be_formatted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
