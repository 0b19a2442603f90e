/*
 * writer.h - reports as CSV, Markdown, and through pandoc as docx, odt,
 * html or pdf.
 *
 * CSV goes through libcsv (RFC 4180, CRLF, UTF-8, optionally with the BOM
 * that Excel on a Chinese Windows needs).  Markdown is pandoc's: pipe
 * tables with '|' escaped and line breaks inside a cell written as '；'.
 * pandoc runs as a child with an argument vector, never through a shell.
 */
#ifndef ZG_WRITER_H
#define ZG_WRITER_H

#include <stdbool.h>
#include <stdio.h>

#include "zg/project.h"
#include "zg/report.h"

enum zg_format {
	ZG_FORMAT_CSV,
	ZG_FORMAT_MD,
	ZG_FORMAT_DOCX,
	ZG_FORMAT_ODT,
	ZG_FORMAT_HTML,
	ZG_FORMAT_PDF,
};

/* The format a file name's extension asks for, or -1. */
int zg_format_of_path(const char *path);

/* Writes the report's table as CSV.  Returns 0, or -1 (errno set). */
int zg_write_csv(FILE *out, const struct zg_report *r, bool bom);

/*
 * Text as pandoc Markdown that reads back as the text itself: markup
 * characters escaped; with one_line, line breaks become '；' (for table
 * cells).  Trailing blank lines dropped.  malloc'd; NULL on out of memory.
 */
char *zg_md_escape(const char *s, bool one_line);

/* Writes the report as a Markdown document.  Returns 0, or -1. */
int zg_write_markdown(FILE *out, const struct zg_report *r);

/*
 * A report in pieces, so that memory does not grow with the project:
 * begin (BOM, title, header) once the report is begun; rows after each
 * ledger is added (they are then freed); end after the report is
 * finished (the last rows, a progress table's overdue list, a plan).
 * f is ZG_FORMAT_CSV or ZG_FORMAT_MD.  Each returns 0, or -1.
 */
int zg_write_begin(FILE *out, const struct zg_report *r, enum zg_format f,
		   bool bom);
int zg_write_rows(FILE *out, struct zg_report *r, enum zg_format f);
int zg_write_end(FILE *out, struct zg_report *r, enum zg_format f);

/*
 * Renders a Markdown file to out_path in format with pandoc.  Returns 0;
 * -1 with err saying what is missing (pandoc, or for pdf a LaTeX engine
 * with CJK fonts) or what pandoc said.
 */
int zg_pandoc_render(const char *md_path, const char *out_path,
		     enum zg_format format, struct zg_error *err);

#endif
