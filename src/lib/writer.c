/*
 * writer.c - CSV through libcsv, pandoc's Markdown, and pandoc itself.
 */
#include "zg/writer.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "zg/i18n.h"
#include "zg/spawn.h"

#include <unistd.h>

int zg_format_of_path(const char *path)
{
	static const struct {
		const char *ext;
		enum zg_format format;
	} table[] = {
		{ ".csv", ZG_FORMAT_CSV }, { ".md", ZG_FORMAT_MD },
		{ ".markdown", ZG_FORMAT_MD }, { ".docx", ZG_FORMAT_DOCX },
		{ ".odt", ZG_FORMAT_ODT }, { ".html", ZG_FORMAT_HTML },
		{ ".htm", ZG_FORMAT_HTML }, { ".pdf", ZG_FORMAT_PDF },
	};
	const char *dot = strrchr(path, '.');
	if (!dot || strchr(dot, '/'))
		return -1;
	for (size_t i = 0; i < sizeof table / sizeof *table; i++)
		if (strcasecmp(dot, table[i].ext) == 0)
			return (int)table[i].format;
	return -1;
}

/* ---- CSV ---- */

static int csv_cell_raw(FILE *out, const char *s, bool last);

/*
 * A cell Excel would take for a formula (=, +, -, @ first) gets a leading
 * apostrophe, as spreadsheet guidance advises, unless it is a number.
 */
static bool formula_like(const char *s)
{
	if (!strchr("=+-@", s[0]) || !s[0])
		return false;
	char *end;
	strtod(s, &end);
	return *end != '\0';
}

static int csv_cell(FILE *out, const char *s, bool last)
{
	char *guarded = NULL;
	if (formula_like(s)) {
		size_t n = strlen(s);
		guarded = malloc(n + 2);
		if (!guarded)
			return -1;
		guarded[0] = '\'';
		memcpy(guarded + 1, s, n + 1);
		s = guarded;
	}
	int rc = csv_cell_raw(out, s, last);
	free(guarded);
	return rc;
}

static int csv_cell_raw(FILE *out, const char *s, bool last)
{
	size_t len = strlen(s);
	/* Quote only where RFC 4180 needs it, so plain cells stay plain. */
	/* Edge blanks (space or tab) would be trimmed by a reader: quote. */
	bool quote = strpbrk(s, ",\"\r\n") != NULL ||
		     (len && (s[0] == ' ' || s[len - 1] == ' ' ||
			      s[0] == '\t' || s[len - 1] == '\t'));
	if (quote ? csv_fwrite(out, s, len) != 0 : fwrite(s, 1, len, out) != len)
		return -1;
	return fputs(last ? "\r\n" : ",", out) == EOF ? -1 : 0;
}

static int csv_header(FILE *out, const struct zg_table *t)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (csv_cell(out, t->headers[c], c + 1 == t->ncols))
			return -1;
	return 0;
}

static int csv_rows(FILE *out, const struct zg_table *t)
{
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++)
			if (csv_cell(out, t->cells[r * t->ncols + c], c + 1 == t->ncols))
				return -1;
	return 0;
}

/* A plan is a document, not a table: one cell holds it whole. */
static int csv_plan(FILE *out, const struct zg_report *r)
{
	static const char *const header[] = { "整改方案" };
	const char *cells[1] = { r->document };
	struct zg_table t = { r->title, header, 1, cells, 1, 1, false };
	return csv_header(out, &t) || csv_rows(out, &t) ? -1 : 0;
}

/* ---- Markdown ---- */

/*
 * Characters pandoc's Markdown would read as markup (emphasis, links,
 * raw HTML, citations, table pipes, escapes): each is written with a
 * backslash, which pandoc reads as the character itself.
 */
static bool md_special(char c)
{
	return c && strchr("\\`*_[]<>|@#$~^\"'=+!{}", c);
}

char *zg_md_escape(const char *s, bool one_line)
{
	/* Trailing blanks and breaks of a block scalar are not content. */
	size_t n = strlen(s);
	while (n > 0 && strchr(" \t\r\n", s[n - 1]))
		n--;
	/* Worst case: every byte escaped, or a break become "；" (3 bytes). */
	char *out = malloc(3 * n + 2);
	if (!out)
		return NULL;
	char *w = out;
	bool line_start = true;
	for (const char *p = s; p < s + n; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n') {
			if (one_line) {
				if (p + 1 < s + n) {
					memcpy(w, "；", 3);
					w += 3;
				}
			} else if (p + 1 < s + n && p[1] != '\n' && p[1] != '\r' &&
				   !(p > s && p[-1] == '\n')) {
				/* A single break stays a break: pandoc's "\\" end. */
				*w++ = '\\';
				*w++ = '\n';
			} else {
				*w++ = '\n';
			}
			line_start = true;
			continue;
		}
		/*
		 * At a line's start "- " would open a list, and so would
		 * "1. " or "1) ": escape the '-', or the mark after the digits
		 * (pandoc escapes punctuation only, never a digit).
		 */
		if (line_start && !one_line && *p >= '0' && *p <= '9') {
			size_t k = strspn(p, "0123456789");
			memcpy(w, p, k);
			w += k;
			p += k - 1;
			if (p[1] == '.' || p[1] == ')') {
				*w++ = '\\';
				*w++ = *++p;
			}
			line_start = false;
			continue;
		}
		if (md_special(*p) || (line_start && !one_line && *p == '-'))
			*w++ = '\\';
		*w++ = *p;
		line_start = false;
	}
	*w = '\0';
	return out;
}

/* A cell on one line: markup escaped, line breaks as '；'. */
static void md_cell(FILE *out, const char *s, bool bold)
{
	fputs(bold ? " **" : " ", out);
	char *e = zg_md_escape(s, true);
	fputs(e ? e : "", out);
	free(e);
	fputs(bold ? "** |" : " |", out);
}

static void md_header(FILE *out, const struct zg_table *t)
{
	fputc('|', out);
	for (size_t c = 0; c < t->ncols; c++)
		md_cell(out, t->headers[c], false);
	fputs("\n|", out);
	for (size_t c = 0; c < t->ncols; c++)
		fputs("---|", out);
	fputc('\n', out);
}

static void md_rows(FILE *out, const struct zg_table *t)
{
	for (size_t r = 0; r < t->nrows; r++) {
		bool total = t->total && r + 1 == t->nrows;
		fputc('|', out);
		for (size_t c = 0; c < t->ncols; c++)
			md_cell(out, t->cells[r * t->ncols + c], total);
		fputc('\n', out);
	}
}

/* ---- a report in pieces ---- */

int zg_write_begin(FILE *out, const struct zg_report *r, enum zg_format f,
		   bool bom)
{
	if (f == ZG_FORMAT_CSV) {
		if (bom && fputs("\xEF\xBB\xBF", out) == EOF)
			return -1;
		if (r->kind != ZG_REPORT_PLAN && csv_header(out, &r->table))
			return -1;
	} else if (r->kind != ZG_REPORT_PLAN) {
		fprintf(out, "# %s\n\n%s\n\n", r->title, r->subtitle);
		md_header(out, &r->table);
	}
	return ferror(out) ? -1 : 0;
}

static int rows(FILE *out, const struct zg_report *r, enum zg_format f)
{
	if (f == ZG_FORMAT_CSV)
		return csv_rows(out, &r->table);
	md_rows(out, &r->table);
	return 0;
}

/*
 * Where the overdue list waits for the end of the table: an unlinked file
 * in $TMPDIR (or /tmp), or, where none can be made, memory.
 */
static FILE *open_spill(struct zg_spill *sp)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	if (!dir || !*dir)
		dir = "/tmp";
	if (snprintf(path, sizeof path, "%s/zg-overdue.XXXXXX", dir) <
	    (int)sizeof path) {
		int fd = mkstemp(path);
		if (fd >= 0) {
			unlink(path);
			/* Not for pandoc or any other child to inherit. */
			(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
			FILE *f = fdopen(fd, "w+");
			if (f)
				return f;
			close(fd);
		}
	}
	sp->in_memory = true;
	return open_memstream(&sp->buf, &sp->len);
}

int zg_write_rows(FILE *out, struct zg_report *r, enum zg_format f)
{
	int rc = rows(out, r, f);
	/* The overdue list is Markdown only, after the table. */
	struct zg_spill *sp = &r->spill;
	if (!rc && f != ZG_FORMAT_CSV && r->overdue.nrows) {
		errno = 0;
		if (!sp->f)
			sp->f = open_spill(sp);
		if (sp->f)
			md_rows(sp->f, &r->overdue);
		if (!sp->f || ferror(sp->f)) {
			sp->error = errno ? errno : EIO;
			rc = -1;
		}
	}
	zg_report_take_rows(r);
	return rc || ferror(out) ? -1 : 0;
}

/* Copies the spilled overdue rows to out and closes the spill. */
static int copy_spill(FILE *out, struct zg_spill *sp)
{
	int rc = 0;
	errno = 0;
	if (sp->in_memory) {
		/* Closing a memory stream leaves its text in buf. */
		rc = fclose(sp->f) == 0 ? 0 : -1;
		if (!rc && sp->len && fwrite(sp->buf, 1, sp->len, out) != sp->len)
			rc = -1;
	} else {
		char buf[65536];
		size_t n;
		rc = fflush(sp->f) == 0 && fseek(sp->f, 0, SEEK_SET) == 0 ? 0 : -1;
		while (!rc && (n = fread(buf, 1, sizeof buf, sp->f)) > 0)
			if (fwrite(buf, 1, n, out) != n)
				rc = -1;
		if (ferror(sp->f))
			rc = -1;
		fclose(sp->f);
	}
	free(sp->buf);
	*sp = (struct zg_spill){ .error = rc ? (errno ? errno : EIO) : 0 };
	return rc;
}

int zg_write_end(FILE *out, struct zg_report *r, enum zg_format f)
{
	if (r->kind == ZG_REPORT_PLAN) {
		if (f == ZG_FORMAT_CSV ? csv_plan(out, r) : fputs(r->document, out) == EOF)
			return -1;
		return ferror(out) ? -1 : 0;
	}
	if (zg_write_rows(out, r, f))
		return -1;
	if (f != ZG_FORMAT_CSV && r->kind == ZG_REPORT_PROGRESS) {
		fprintf(out, "\n## %s\n\n", r->overdue.title);
		if (r->spill.f) {
			md_header(out, &r->overdue);
			if (copy_spill(out, &r->spill))
				return -1;
		} else {
			fputs("无。\n", out);
		}
	}
	return ferror(out) ? -1 : 0;
}

/* The whole report at once, for a report built in one piece. */
static int write_whole(FILE *out, const struct zg_report *r, enum zg_format f,
		       bool bom)
{
	/* A copy, so that writing the rows does not take them from r. */
	struct zg_report copy = *r;
	zg_arena_init(&copy.pending);
	copy.spill = (struct zg_spill){ 0 };
	int rc = zg_write_begin(out, &copy, f, bom) || rows(out, &copy, f) ? -1 : 0;
	copy.table.nrows = 0;
	if (!rc)
		rc = zg_write_end(out, &copy, f);
	if (copy.spill.f)
		fclose(copy.spill.f);
	free(copy.spill.buf);
	return rc;
}

int zg_write_csv(FILE *out, const struct zg_report *r, bool bom)
{
	return write_whole(out, r, ZG_FORMAT_CSV, bom);
}

int zg_write_markdown(FILE *out, const struct zg_report *r)
{
	return write_whole(out, r, ZG_FORMAT_MD, false);
}

/* ---- pandoc ---- */

static const char *pandoc_writer(enum zg_format f)
{
	switch (f) {
	case ZG_FORMAT_DOCX: return "docx";
	case ZG_FORMAT_ODT: return "odt";
	case ZG_FORMAT_HTML: return "html";
	case ZG_FORMAT_PDF: return "pdf";
	default: return NULL;
	}
}

/* True when the program answers --version. */
static bool runs(const char *program)
{
	const char *argv[] = { program, "--version", NULL };
	struct zg_spawn_result r;
	if (zg_spawn(argv, &r) != 0)
		return false;
	bool ok = r.status == 0;
	zg_spawn_result_release(&r);
	return ok;
}

/* A CJK font that fontconfig knows, for xelatex; NULL when none. */
static char *cjk_font(void)
{
	const char *argv[] = { "fc-list", ":lang=zh", "family", NULL };
	struct zg_spawn_result r;
	if (zg_spawn(argv, &r) != 0)
		return NULL;
	char *font = NULL;
	if (r.status == 0 && r.out_len) {
		size_t n = strcspn(r.out, ",\n");
		font = n ? strndup(r.out, n) : NULL;
	}
	zg_spawn_result_release(&r);
	return font;
}

int zg_pandoc_render(const char *md_path, const char *out_path,
		     enum zg_format format, struct zg_error *err)
{
	const char *to = pandoc_writer(format);
	if (!to) {
		snprintf(err->message, sizeof err->message, "%s",
			 _("pandoc renders docx, odt, html and pdf only"));
		return -1;
	}
	char *font = NULL;
	if (format == ZG_FORMAT_PDF) {
		if (!runs("xelatex") || !(font = cjk_font())) {
			snprintf(err->message, sizeof err->message, "%s",
				 _("a PDF needs xelatex and a Chinese font (apt-get install texlive-xetex fonts-noto-cjk); write the Markdown with -o FILE.md, or a .docx, instead"));
			return -1;
		}
	}
	char font_var[256];
	snprintf(font_var, sizeof font_var, "CJKmainfont=%s", font ? font : "");
	free(font);
	const char *argv[16];
	size_t n = 0;
	argv[n++] = "pandoc";
	/* No smart quotes: the ledgers' own punctuation is kept as typed. */
	argv[n++] = "--from=markdown-smart";
	argv[n++] = "--to";
	argv[n++] = format == ZG_FORMAT_PDF ? "latex" : to;
	argv[n++] = "--standalone";
	argv[n++] = "--metadata=lang:zh-CN";
	if (format == ZG_FORMAT_HTML)
		argv[n++] = "--metadata=pagetitle:zg";
	if (format == ZG_FORMAT_PDF) {
		argv[n++] = "--pdf-engine=xelatex";
		argv[n++] = "-V";
		argv[n++] = font_var;
	}
	argv[n++] = "--output";
	argv[n++] = out_path;
	argv[n++] = md_path;
	argv[n] = NULL;
	struct zg_spawn_result r;
	int e = zg_spawn(argv, &r);
	if (e == ENOENT) {
		snprintf(err->message, sizeof err->message, "%s",
			 _("pandoc is not installed (apt-get install pandoc); write the report as Markdown with -o FILE.md, or as CSV with -o FILE.csv"));
		return -1;
	}
	if (e) {
		snprintf(err->message, sizeof err->message,
			 _("cannot run pandoc: %s"), strerror(e));
		return -1;
	}
	int status = r.status;
	if (status != 0) {
		size_t len = strcspn(r.err, "\n");
		snprintf(err->message, sizeof err->message,
			 _("pandoc failed (exit %d): %.*s"), status, (int)len,
			 r.err);
	}
	zg_spawn_result_release(&r);
	return status == 0 ? 0 : -1;
}
