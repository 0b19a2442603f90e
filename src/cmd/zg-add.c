/*
 * zg-add - not built yet; its issue lands it.  Exits 2 so that no script
 * mistakes it for a working command.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "zg/i18n.h"

int main(int argc, char **argv)
{
	zg_cli_program = "zg-add";
	zg_i18n_init();
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		zg_cli_version();
		return zg_cli_finish(ZG_EXIT_OK);
	}
	zg_cli_error("%s", _("not yet implemented"));
	return ZG_EXIT_USAGE;
}
