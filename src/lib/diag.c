/*
 * diag.c - the findings list and its two printed forms.
 */
#include "zg/diag.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void zg_diags_init(struct zg_diags *d)
{
	memset(d, 0, sizeof *d);
	zg_arena_init(&d->arena);
}

void zg_diags_release(struct zg_diags *d)
{
	free(d->v);
	zg_arena_release(&d->arena);
	zg_diags_init(d);
}

static struct zg_diag *diag_push(struct zg_diags *d)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 32;
		struct zg_diag *v = realloc(d->v, cap * sizeof *v);
		if (!v) {
			d->oom = true;
			return NULL;
		}
		d->v = v;
		d->cap = cap;
	}
	return &d->v[d->n];
}

static const char *keep_string(struct zg_diags *d, const char *s)
{
	if (!s)
		return NULL;
	const char *copy = zg_arena_strdup(&d->arena, s);
	if (!copy)
		d->oom = true;
	return copy;
}

/* A copy of s, shared with the finding before when it is the same text. */
static const char *keep_shared(struct zg_diags *d, const char *s,
			       const char **last)
{
	if (!s)
		return NULL;
	if (*last && (*last == s || strcmp(*last, s) == 0))
		return *last;
	const char *copy = keep_string(d, s);
	if (copy)
		*last = copy;
	return copy;
}

static void diag_commit(struct zg_diags *d, const struct zg_diag *g)
{
	struct zg_diag *slot = diag_push(d);
	if (!slot)
		return;
	*slot = *g;
	slot->seq = d->n++;
	if (g->severity == ZG_ERROR)
		d->errors++;
	else
		d->warnings++;
}

static void diag_add(struct zg_diags *d, enum zg_severity severity,
		     const char *rule, const char *file, unsigned line,
		     unsigned column, const char *item, const char *msg)
{
	struct zg_diag g = {
		.severity = severity,
		.rule = rule,
		.file = keep_shared(d, file, &d->last_file),
		.line = line,
		.column = column,
		.item = keep_shared(d, item, &d->last_item),
		.message = msg,
	};
	diag_commit(d, &g);
}

void zg_diag_add(struct zg_diags *d, enum zg_severity severity,
		 const char *rule, const char *file, unsigned line,
		 unsigned column, const char *item, const char *fmt, ...)
{
	/* Most messages fit here: formatted once, then copied. */
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	char *msg = len < 0 ? NULL : zg_arena_alloc(&d->arena, (size_t)len + 1);
	if (!msg) {
		d->oom = true;
		return;
	}
	if ((size_t)len < sizeof small) {
		memcpy(msg, small, (size_t)len + 1);
	} else {
		va_start(ap, fmt);
		vsnprintf(msg, (size_t)len + 1, fmt, ap);
		va_end(ap);
	}
	diag_add(d, severity, rule, file, line, column, item, msg);
}

void zg_diag_add_text(struct zg_diags *d, enum zg_severity severity,
		      const char *rule, const char *file, unsigned line,
		      unsigned column, const char *item, const char *message)
{
	const char *msg = keep_string(d, message);
	if (msg)
		diag_add(d, severity, rule, file, line, column, item, msg);
}

void zg_diags_append(struct zg_diags *dst, const struct zg_diags *src)
{
	for (size_t i = 0; i < src->n; i++) {
		struct zg_diag g = src->v[i];
		g.file = keep_shared(dst, g.file, &dst->last_file);
		g.item = keep_shared(dst, g.item, &dst->last_item);
		g.message = keep_string(dst, g.message);
		diag_commit(dst, &g);
	}
	if (src->oom)
		dst->oom = true;
}

static int strcmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int diag_cmp(const void *pa, const void *pb)
{
	const struct zg_diag *a = pa, *b = pb;
	int c = strcmp_null(a->file, b->file);
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->column != b->column)
		return a->column < b->column ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

void zg_diags_sort(struct zg_diags *d)
{
	if (d->n > 1)
		qsort(d->v, d->n, sizeof *d->v, diag_cmp);
}

void zg_diags_filter(struct zg_diags *d,
		     bool (*keep)(const struct zg_diag *, void *), void *ctx)
{
	size_t kept = 0;
	d->errors = d->warnings = 0;
	for (size_t i = 0; i < d->n; i++) {
		if (!keep(&d->v[i], ctx))
			continue;
		d->v[kept++] = d->v[i];
		if (d->v[i].severity == ZG_ERROR)
			d->errors++;
		else
			d->warnings++;
	}
	d->n = kept;
}

const char *zg_severity_name(enum zg_severity s)
{
	/* Not translated: editors and scripts match these words. */
	return s == ZG_ERROR ? "error" : "warning";
}

/* A line number as text, without printf: zg-check prints many. */
static void put_unsigned(FILE *out, unsigned n)
{
	char buf[16];
	size_t i = sizeof buf;
	do
		buf[--i] = (char)('0' + n % 10);
	while ((n /= 10) && i > 0);
	fwrite(buf + i, 1, sizeof buf - i, out);
}

void zg_diag_print(FILE *out, const struct zg_diag *g)
{
	if (g->file) {
		fputs(g->file, out);
		fputc(':', out);
		if (g->line) {
			put_unsigned(out, g->line);
			fputc(':', out);
			put_unsigned(out, g->column);
			fputc(':', out);
		}
		fputc(' ', out);
	} else {
		fputs("zg: ", out);
	}
	fputs(zg_severity_name(g->severity), out);
	fputs(": ", out);
	fputs(g->message, out);
	fputs(" [", out);
	fputs(g->rule, out);
	fputc(']', out);
	if (g->item) {
		fputs(" (", out);
		fputs(g->item, out);
		fputc(')', out);
	}
	fputc('\n', out);
}

static int csv_field(FILE *out, const char *s, bool last)
{
	if (!s)
		s = "";
	size_t len = strlen(s);
	/*
	 * Quote only where RFC 4180 needs it, so the header stays plain, and
	 * where readers (libcsv among them) would trim blanks at either end.
	 */
	bool quote = strpbrk(s, ",\"\r\n") != NULL ||
		     (len && (s[0] == ' ' || s[0] == '\t' ||
			      s[len - 1] == ' ' || s[len - 1] == '\t'));
	if (quote ? csv_fwrite(out, s, len) != 0
		  : fwrite(s, 1, len, out) != len)
		return -1;
	return fputs(last ? "\r\n" : ",", out) == EOF ? -1 : 0;
}

static int csv_number(FILE *out, unsigned n)
{
	char buf[16];
	if (n)
		snprintf(buf, sizeof buf, "%u", n);
	else
		buf[0] = '\0';
	return csv_field(out, buf, false);
}

int zg_diags_write_csv_header(FILE *out)
{
	static const char *const header[] = {
		"file", "line", "column", "severity", "rule", "item", "message",
	};
	for (size_t i = 0; i < 7; i++)
		if (csv_field(out, header[i], i == 6))
			return -1;
	return 0;
}

int zg_diag_write_csv(FILE *out, const struct zg_diag *g)
{
	if (csv_field(out, g->file, false) || csv_number(out, g->line) ||
	    csv_number(out, g->column) ||
	    csv_field(out, zg_severity_name(g->severity), false) ||
	    csv_field(out, g->rule, false) || csv_field(out, g->item, false) ||
	    csv_field(out, g->message, true))
		return -1;
	return 0;
}

int zg_diags_write_csv(FILE *out, const struct zg_diags *d)
{
	if (zg_diags_write_csv_header(out))
		return -1;
	for (size_t i = 0; i < d->n; i++)
		if (zg_diag_write_csv(out, &d->v[i]))
			return -1;
	return ferror(out) ? -1 : 0;
}
