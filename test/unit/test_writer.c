/*
 * test_writer.c - reports as CSV and Markdown (writer.h).
 *
 * The format an output name asks for; CSV read back with libcsv's own
 * strict parser to the very cells that were written (quotes, commas,
 * line breaks, spaces at the ends, Chinese text), with and without the
 * BOM; pandoc's Markdown with '|' escaped, line breaks as '；' and the
 * total row in bold; and the messages when pandoc or xelatex is missing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zg/report.h"
#include "zg/writer.h"

/* ---- the format of an output name ---- */

static void test_format_of_path(void **state)
{
	(void)state;
	static const struct {
		const char *path;
		int format;
	} cases[] = {
		{ "weekly.csv", ZG_FORMAT_CSV },
		{ "县住建局措施表.CSV", ZG_FORMAT_CSV },
		{ "out/weekly.md", ZG_FORMAT_MD },
		{ "weekly.Md", ZG_FORMAT_MD },
		{ "weekly.markdown", ZG_FORMAT_MD },
		{ "weekly.docx", ZG_FORMAT_DOCX },
		{ "weekly.DocX", ZG_FORMAT_DOCX },
		{ "weekly.odt", ZG_FORMAT_ODT },
		{ "weekly.ODT", ZG_FORMAT_ODT },
		{ "weekly.html", ZG_FORMAT_HTML },
		{ "weekly.htm", ZG_FORMAT_HTML },
		{ "weekly.HTML", ZG_FORMAT_HTML },
		{ "weekly.pdf", ZG_FORMAT_PDF },
		{ "a.b/weekly.Pdf", ZG_FORMAT_PDF },
		{ "weekly.2018.docx", ZG_FORMAT_DOCX },
		{ "weekly.txt", -1 },
		{ "weekly.doc", -1 },
		{ "weekly.xlsx", -1 },
		{ "weekly.csv.bak", -1 },
		{ "weekly.docx~", -1 },
		{ "weekly", -1 },
		{ "weekly.", -1 },
		{ "", -1 },
		{ "reports.md/weekly", -1 },
		{ "./weekly", -1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int got = zg_format_of_path(cases[i].path);
		if (got != cases[i].format)
			fail_msg("zg_format_of_path(\"%s\") = %d, expected %d",
				 cases[i].path, got, cases[i].format);
	}
}

/* ---- a report made by hand ---- */

static const char *const headers[] = { "序号", "意见建议", "情况说明" };

static const char *tricky_cells[] = {
	"1", "县城\"老旧小区\"积水, 排水|管网", "第一行\n第二行",
	"2", " 前后有空格 ", "回车换行\r\n之后",
	"3", "", "\"",
	"4", "，全角逗号不必加引号", "结尾换行\n",
	"5", "a,b", "\"\"\"",
};

static void tricky_report(struct zg_report *r)
{
	memset(r, 0, sizeof *r);
	r->kind = ZG_REPORT_EXPLANATIONS;
	r->title = "其它意见建议情况说明表";
	r->subtitle = "鹿寨县　截至 2018-10-15";
	r->table.title = r->title;
	r->table.headers = headers;
	r->table.ncols = 3;
	r->table.cells = tricky_cells;
	r->table.nrows = r->table.cap = 5;
}

/* What a writer put in a memory stream (malloc'd). */
struct out {
	char *buf;
	size_t len;
	FILE *f;
};

static void out_open(struct out *o)
{
	o->buf = NULL;
	o->len = 0;
	o->f = open_memstream(&o->buf, &o->len);
	assert_non_null(o->f);
}

static void out_close(struct out *o)
{
	assert_int_equal(fclose(o->f), 0);
	o->f = NULL;
}

/* ---- CSV, read back with libcsv ---- */

struct parsed {
	char *fields[64];
	size_t nfields;
	size_t record_ends[16];	/* nfields at the end of each record */
	size_t nrecords;
};

static void on_field(void *s, size_t len, void *data)
{
	struct parsed *p = data;
	assert_in_range(p->nfields, 0, 63);
	char *f = malloc(len + 1);
	assert_non_null(f);
	if (len)
		memcpy(f, s, len);
	f[len] = '\0';
	p->fields[p->nfields++] = f;
}

static void on_record(int c, void *data)
{
	(void)c;
	struct parsed *p = data;
	assert_in_range(p->nrecords, 0, 15);
	p->record_ends[p->nrecords++] = p->nfields;
}

static void parse_csv(const char *buf, size_t len, struct parsed *p)
{
	memset(p, 0, sizeof *p);
	struct csv_parser csv;
	assert_int_equal(csv_init(&csv, CSV_STRICT | CSV_STRICT_FINI), 0);
	size_t n = csv_parse(&csv, buf, len, on_field, on_record, p);
	if (n != len)
		fail_msg("libcsv stopped at byte %zu of %zu: %s", n, len,
			 csv_strerror(csv_error(&csv)));
	assert_int_equal(csv_fini(&csv, on_field, on_record, p), 0);
	csv_free(&csv);
}

static void parsed_free(struct parsed *p)
{
	for (size_t i = 0; i < p->nfields; i++)
		free(p->fields[i]);
}

static void assert_round_trip(const struct parsed *p, const struct zg_report *r)
{
	const struct zg_table *t = &r->table;
	assert_int_equal(p->nrecords, t->nrows + 1);
	for (size_t k = 0; k < p->nrecords; k++)
		assert_int_equal(p->record_ends[k], (k + 1) * t->ncols);
	for (size_t c = 0; c < t->ncols; c++)
		assert_string_equal(p->fields[c], t->headers[c]);
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		assert_string_equal(p->fields[t->ncols + i], t->cells[i]);
}

static void test_csv_round_trip(void **state)
{
	(void)state;
	struct zg_report r;
	tricky_report(&r);
	struct out o;
	out_open(&o);
	assert_int_equal(zg_write_csv(o.f, &r, false), 0);
	out_close(&o);

	struct parsed p;
	parse_csv(o.buf, o.len, &p);
	assert_round_trip(&p, &r);
	parsed_free(&p);

	/* RFC 4180 on the bytes: CRLF ends each record; a cell is quoted
	 * only for , " CR LF or spaces at its ends, quotes doubled. */
	static const char want[] =
		"序号,意见建议,情况说明\r\n"
		"1,\"县城\"\"老旧小区\"\"积水, 排水|管网\",\"第一行\n第二行\"\r\n"
		"2,\" 前后有空格 \",\"回车换行\r\n之后\"\r\n"
		"3,,\"\"\"\"\r\n"
		"4,，全角逗号不必加引号,\"结尾换行\n\"\r\n"
		"5,\"a,b\",\"\"\"\"\"\"\"\"\r\n";
	assert_int_equal(o.len, strlen(want));
	assert_memory_equal(o.buf, want, o.len);
	free(o.buf);
}

static void test_csv_bom(void **state)
{
	(void)state;
	struct zg_report r;
	tricky_report(&r);
	struct out plain, bom;
	out_open(&plain);
	assert_int_equal(zg_write_csv(plain.f, &r, false), 0);
	out_close(&plain);
	out_open(&bom);
	assert_int_equal(zg_write_csv(bom.f, &r, true), 0);
	out_close(&bom);

	/* Without: the first header's bytes (序 = E5 BA 8F). */
	assert_memory_equal(plain.buf, "\xE5\xBA\x8F", 3);
	/* With: EF BB BF, then the very same bytes. */
	assert_int_equal(bom.len, plain.len + 3);
	assert_memory_equal(bom.buf, "\xEF\xBB\xBF", 3);
	assert_memory_equal(bom.buf + 3, plain.buf, plain.len);

	/* The BOM is not part of the first cell once skipped. */
	struct parsed p;
	parse_csv(bom.buf + 3, bom.len - 3, &p);
	assert_round_trip(&p, &r);
	parsed_free(&p);
	free(plain.buf);
	free(bom.buf);
}

static void test_csv_plan(void **state)
{
	(void)state;
	struct zg_report r;
	memset(&r, 0, sizeof r);
	r.kind = ZG_REPORT_PLAN;
	r.title = "《县住建局对2017年度第12项社会评价群众意见建议整改方案》";
	r.document = "# 《县住建局对2017年度第12项社会评价群众意见建议整改方案》\n\n"
		     "| 1 | 2018-08-15 | \"设计\", 出图 | |\n";
	struct out o;
	out_open(&o);
	assert_int_equal(zg_write_csv(o.f, &r, false), 0);
	out_close(&o);
	/* One header, one cell: the whole document. */
	struct parsed p;
	parse_csv(o.buf, o.len, &p);
	assert_int_equal(p.nrecords, 2);
	assert_int_equal(p.nfields, 2);
	assert_string_equal(p.fields[0], "整改方案");
	assert_string_equal(p.fields[1], r.document);
	parsed_free(&p);
	free(o.buf);

	/* Markdown: the document as it is. */
	out_open(&o);
	assert_int_equal(zg_write_markdown(o.f, &r), 0);
	out_close(&o);
	assert_string_equal(o.buf, r.document);
	free(o.buf);
}

/* ---- Markdown ---- */

static void test_markdown_table(void **state)
{
	(void)state;
	struct zg_report r;
	tricky_report(&r);
	struct out o;
	out_open(&o);
	assert_int_equal(zg_write_markdown(o.f, &r), 0);
	out_close(&o);
	/* Markup escaped with a backslash ('|', '"' …), a line break inside
	 * a cell as '；' (CR dropped, trailing blanks dropped). */
	static const char want[] =
		"# 其它意见建议情况说明表\n"
		"\n"
		"鹿寨县　截至 2018-10-15\n"
		"\n"
		"| 序号 | 意见建议 | 情况说明 |\n"
		"|---|---|---|\n"
		"| 1 | 县城\\\"老旧小区\\\"积水, 排水\\|管网 | 第一行；第二行 |\n"
		"| 2 |  前后有空格 | 回车换行；之后 |\n"
		"| 3 |  | \\\" |\n"
		"| 4 | ，全角逗号不必加引号 | 结尾换行 |\n"
		"| 5 | a,b | \\\"\\\"\\\" |\n";
	assert_string_equal(o.buf, want);
	free(o.buf);
}

static void test_markdown_progress(void **state)
{
	(void)state;
	static const char *const ph[] = { "责任单位", "事项总数", "完成率" };
	static const char *pc[] = {
		"县住建局", "3", "66.7%",
		"县人社局", "0", "—",
		"合计", "3", "66.7%",
	};
	static const char *const oh[] = { "责任单位", "事项编号", "逾期天数" };
	static const char *oc[] = { "县住建局", "zjj-002", "14" };
	struct zg_report r;
	memset(&r, 0, sizeof r);
	r.kind = ZG_REPORT_PROGRESS;
	r.title = "整改工作进度表";
	r.subtitle = "鹿寨县";
	r.table = (struct zg_table){ r.title, ph, 3, pc, 3, 3, true };
	r.overdue = (struct zg_table){ "逾期事项", oh, 3, oc, 0, 1, false };

	/* No overdue item: said so. */
	struct out o;
	out_open(&o);
	assert_int_equal(zg_write_markdown(o.f, &r), 0);
	out_close(&o);
	static const char want[] =
		"# 整改工作进度表\n"
		"\n"
		"鹿寨县\n"
		"\n"
		"| 责任单位 | 事项总数 | 完成率 |\n"
		"|---|---|---|\n"
		"| 县住建局 | 3 | 66.7% |\n"
		"| 县人社局 | 0 | — |\n"
		"| **合计** | **3** | **66.7%** |\n"
		"\n"
		"## 逾期事项\n"
		"\n"
		"无。\n";
	assert_string_equal(o.buf, want);
	free(o.buf);

	/* One overdue item: its table, not bold. */
	r.overdue.nrows = 1;
	out_open(&o);
	assert_int_equal(zg_write_markdown(o.f, &r), 0);
	out_close(&o);
	const char *list = strstr(o.buf, "## 逾期事项\n");
	assert_non_null(list);
	assert_string_equal(list,
			    "## 逾期事项\n"
			    "\n"
			    "| 责任单位 | 事项编号 | 逾期天数 |\n"
			    "|---|---|---|\n"
			    "| 县住建局 | zjj-002 | 14 |\n");
	free(o.buf);

	/* CSV: the table and its total row, never the overdue list. */
	out_open(&o);
	assert_int_equal(zg_write_csv(o.f, &r, false), 0);
	out_close(&o);
	assert_string_equal(o.buf,
			    "责任单位,事项总数,完成率\r\n"
			    "县住建局,3,66.7%\r\n"
			    "县人社局,0,—\r\n"
			    "合计,3,66.7%\r\n");
	free(o.buf);
}

/* ---- pandoc ---- */

static void test_pandoc_missing(void **state)
{
	(void)state;
	struct zg_error err = { { 0 } };
	/* Only docx, odt, html and pdf go through pandoc. */
	assert_int_equal(zg_pandoc_render("in.md", "out.csv", ZG_FORMAT_CSV, &err), -1);
	assert_non_null(strstr(err.message, "pandoc"));

	/* Nothing on PATH: the messages name what is missing and the
	 * Markdown alternative. */
	char *path = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	assert_int_equal(setenv("PATH", "/nonexistent-zg-test", 1), 0);
	memset(&err, 0, sizeof err);
	assert_int_equal(zg_pandoc_render("in.md", "out.docx", ZG_FORMAT_DOCX, &err), -1);
	assert_non_null(strstr(err.message, "pandoc is not installed"));
	assert_non_null(strstr(err.message, "-o FILE.md"));
	memset(&err, 0, sizeof err);
	assert_int_equal(zg_pandoc_render("in.md", "out.pdf", ZG_FORMAT_PDF, &err), -1);
	assert_non_null(strstr(err.message, "xelatex"));
	assert_non_null(strstr(err.message, "-o FILE.md"));
	if (path) {
		assert_int_equal(setenv("PATH", path, 1), 0);
		free(path);
	} else {
		unsetenv("PATH");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_of_path),
		cmocka_unit_test(test_csv_round_trip),
		cmocka_unit_test(test_csv_bom),
		cmocka_unit_test(test_csv_plan),
		cmocka_unit_test(test_markdown_table),
		cmocka_unit_test(test_markdown_progress),
		cmocka_unit_test(test_pandoc_missing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
