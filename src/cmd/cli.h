/*
 * cli.h - what the command mains share: messages to the user, --version,
 * and the one place that maps a finished run to stdout's fate.
 */
#ifndef ZG_CLI_H
#define ZG_CLI_H

#include <stdio.h>

#include "zg/diag.h"

enum {
	ZG_EXIT_OK = 0,
	ZG_EXIT_FINDINGS = 1,	/* findings, or a refused change */
	ZG_EXIT_USAGE = 2,	/* usage, I/O, unreadable project */
};

/* Set once by each main: the name messages start with. */
extern const char *zg_cli_program;

/*
 * What every main does first: its name for messages, the locale and
 * message catalogue, memory kept between ledgers, buffered output.
 */
void zg_cli_init(const char *program);

/* Prints "PROGRAM: MESSAGE" and a newline to stderr. */
void zg_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints the usage error, a pointer to --help, and returns ZG_EXIT_USAGE. */
int zg_cli_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

void zg_cli_version(void);

/* Prints every finding in text form to out. */
void zg_cli_print_diags(FILE *out, const struct zg_diags *d);

/*
 * Flushes and closes stdout; a full disk or a closed pipe becomes an
 * error message and ZG_EXIT_USAGE instead of a silent loss.
 */
int zg_cli_finish(int status);

#endif
