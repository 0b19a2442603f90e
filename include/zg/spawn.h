/*
 * spawn.h - running a helper program (git, pandoc) without a shell.
 *
 * The program is found on PATH and started with posix_spawnp and an
 * argument vector, so that no file name or text is ever parsed by a shell.
 */
#ifndef ZG_SPAWN_H
#define ZG_SPAWN_H

#include <stddef.h>

struct zg_spawn_result {
	int status;		/* exit status, or 128+signal */
	char *out;		/* what it wrote to stdout (malloc'd, NUL-terminated) */
	size_t out_len;
	char *err;		/* what it wrote to stderr */
	size_t err_len;
};

/*
 * Runs argv[0] with argv, standard input from /dev/null, and collects
 * its output.  Returns 0 when the program ran (whatever its status), or
 * an errno value when it could not be started (ENOENT: not installed).
 */
int zg_spawn(const char *const argv[], struct zg_spawn_result *r);

void zg_spawn_result_release(struct zg_spawn_result *r);

#endif
