/*
 * zg - run a zg command by its short name, as git does: "zg check" runs
 * zg-check with the rest of the arguments.
 *
 * The command next to this program is preferred (so that a build folder
 * or a non-standard prefix works), then the one on PATH.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "zg/i18n.h"

static const char *const commands[] = { "init", "add", "check", "report" };

static void usage(FILE *out)
{
	fprintf(out, _("Usage: zg COMMAND [ARGUMENT]...\n"
		       "Run zg-COMMAND with the arguments: zg check runs zg-check.\n"
		       "\n"
		       "Commands: init, add, check, report (see each one's --help).\n"));
}

int main(int argc, char **argv)
{
	zg_cli_init("zg");
	if (argc < 2)
		return zg_cli_usage_error("%s", _("missing a command: init, add, check or report"));
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return zg_cli_finish(ZG_EXIT_OK);
	}
	if (strcmp(argv[1], "--version") == 0) {
		zg_cli_version();
		return zg_cli_finish(ZG_EXIT_OK);
	}
	size_t i = 0;
	while (i < sizeof commands / sizeof *commands && strcmp(argv[1], commands[i]) != 0)
		i++;
	if (i == sizeof commands / sizeof *commands)
		return zg_cli_usage_error(_("'%s' is not a zg command: init, add, check or report"),
					  argv[1]);
	char name[32];
	snprintf(name, sizeof name, "zg-%s", commands[i]);
	argv[1] = name;
	/* Beside this program first: /proc/self/exe names it. */
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash && (size_t)(slash - self) + 1 + strlen(name) < sizeof self) {
			strcpy(slash + 1, name);
			if (access(self, X_OK) == 0)
				execv(self, argv + 1);
		}
	}
	execvp(name, argv + 1);
	zg_cli_error(_("cannot run %s: %s"), name, strerror(errno));
	return ZG_EXIT_USAGE;
}
