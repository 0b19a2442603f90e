/*
 * cli.c - the shared manners of the zg commands.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "zg/i18n.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

const char *zg_cli_program = "zg";

void zg_cli_init(const char *program)
{
	zg_cli_program = program;
	zg_i18n_init();
	/*
	 * Each ledger's arena is freed before the next is read: keep the
	 * freed memory for the next one instead of returning it to the
	 * system and asking again (one brk pair per ledger otherwise).
	 */
#ifdef __GLIBC__
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 16 << 20);
#endif
	/* Findings and reports go out in large writes, not 4 KiB ones. */
	static char buf[1 << 16];
	setvbuf(stdout, buf, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, sizeof buf);
}

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
