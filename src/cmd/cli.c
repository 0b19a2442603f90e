/*
 * cli.c - the shared manners of the zg commands.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "zg/i18n.h"

const char *zg_cli_program = "zg";

void zg_cli_error(const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fprintf(stderr, "%s: ", zg_cli_program);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int zg_cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", zg_cli_program);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fprintf(stderr, _("Try '%s --help' for more information.\n"),
		zg_cli_program);
	return ZG_EXIT_USAGE;
}

void zg_cli_version(void)
{
	printf("%s (zg) %s\n", zg_cli_program, ZG_VERSION);
}

void zg_cli_print_diags(FILE *out, const struct zg_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		zg_diag_print(out, &d->v[i]);
}

int zg_cli_finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		if (errno != EPIPE)
			zg_cli_error(_("cannot write the output: %s"),
				     strerror(errno));
		return ZG_EXIT_USAGE;
	}
	return status;
}
