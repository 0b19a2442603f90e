/*
 * zg-floor.c - the floor of zg's benchmark: the least work any ledger reader
 * must do.
 *
 *   zg-floor [-j N] DIR
 *
 * reads every ledger (DIR/ledgers/NAME.yaml) once (one open, one fstat, reads into one
 * buffer), runs libyaml's event parser (yaml_parser_parse) over the bytes and
 * touches every scalar: its bytes go into an FNV-1a hash, so that the work
 * cannot be optimised away. It prints the number of files, events, scalars and
 * bytes, and a checksum that does not depend on the order of files or on N.
 * With -j N, N threads take files from a shared counter: the fair comparison
 * for a zg-check that runs on N threads.
 *
 * Exit status: 0, or 2 when a file cannot be read or parsed (the floor is
 * only meaningful on a corpus that parses).
 */
/* Feature macros for a build outside CMake too (CMake defines them). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

struct job {
	char **paths;
	size_t npaths;
	atomic_size_t next;
	atomic_bool failed;
};

struct tally {
	uint64_t events, scalars, bytes, scalar_bytes, checksum;
};

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The ledgers of DIR, as zg reads them: *.yaml, not starting with '.'. */
static char **list_ledgers(const char *dir, size_t *n)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/ledgers", dir);
	DIR *d = opendir(path);
	if (!d) {
		fprintf(stderr, "zg-floor: cannot read %s: %s\n", path, strerror(errno));
		exit(2);
	}
	char **list = NULL;
	size_t len = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t k = strlen(e->d_name);
		if (e->d_name[0] == '.' || k <= 5 || strcmp(e->d_name + k - 5, ".yaml") != 0)
			continue;
		if (len == cap) {
			cap = cap ? cap * 2 : 256;
			char **p = realloc(list, cap * sizeof *list);
			if (!p) {
				fputs("zg-floor: out of memory\n", stderr);
				exit(2);
			}
			list = p;
		}
		size_t plen = strlen(path) + 1 + k + 1;
		list[len] = malloc(plen);
		if (!list[len]) {
			fputs("zg-floor: out of memory\n", stderr);
			exit(2);
		}
		snprintf(list[len], plen, "%s/%s", path, e->d_name);
		len++;
	}
	closedir(d);
	if (len)
		qsort(list, len, sizeof *list, name_cmp);
	*n = len;
	return list;
}

/* Reads path whole into *buf (grown as needed). Returns the length, or -1. */
static long read_whole(const char *path, unsigned char **buf, size_t *cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) != 0) {
		close(fd);
		return -1;
	}
	size_t want = (size_t)st.st_size + 1;
	if (want > *cap) {
		unsigned char *p = realloc(*buf, want);
		if (!p) {
			close(fd);
			return -1;
		}
		*buf = p;
		*cap = want;
	}
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t k = read(fd, *buf + got, (size_t)st.st_size - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	return (long)got;
}

static uint64_t fnv1a(uint64_t h, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= UINT64_C(0x100000001B3);
	}
	return h;
}

/* Parses one file's bytes; adds to t. Returns false on a parse error. */
static bool parse(const char *path, const unsigned char *data, size_t len, struct tally *t)
{
	yaml_parser_t parser;
	yaml_event_t event;
	if (!yaml_parser_initialize(&parser))
		return false;
	yaml_parser_set_input_string(&parser, data, len);
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	bool ok = true;
	for (;;) {
		if (!yaml_parser_parse(&parser, &event)) {
			fprintf(stderr, "zg-floor: %s:%zu:%zu: %s\n", path,
				parser.problem_mark.line + 1, parser.problem_mark.column + 1,
				parser.problem ? parser.problem : "cannot parse");
			ok = false;
			break;
		}
		t->events++;
		if (event.type == YAML_SCALAR_EVENT) {
			t->scalars++;
			t->scalar_bytes += event.data.scalar.length;
			h = fnv1a(h, event.data.scalar.value, event.data.scalar.length);
		}
		bool end = event.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&event);
		if (end)
			break;
	}
	yaml_parser_delete(&parser);
	t->checksum += h;   /* a sum: independent of the order of files */
	t->bytes += len;
	return ok;
}

static void *worker(void *arg)
{
	struct job *job = arg;
	struct tally *t = calloc(1, sizeof *t);
	unsigned char *buf = NULL;
	size_t cap = 0;
	if (!t) {
		atomic_store(&job->failed, true);
		return NULL;
	}
	for (;;) {
		size_t i = atomic_fetch_add(&job->next, 1);
		if (i >= job->npaths)
			break;
		long len = read_whole(job->paths[i], &buf, &cap);
		if (len < 0) {
			fprintf(stderr, "zg-floor: cannot read %s: %s\n", job->paths[i], strerror(errno));
			atomic_store(&job->failed, true);
			continue;
		}
		if (!parse(job->paths[i], buf, (size_t)len, t))
			atomic_store(&job->failed, true);
	}
	free(buf);
	return t;
}

static void usage(FILE *to)
{
	fputs("Usage: zg-floor [-j N] DIR\n"
	      "Read every DIR/ledgers/NAME.yaml once, run libyaml's event parser over it and\n"
	      "hash every scalar: the floor that zg-check and zg-report are measured against.\n"
	      "\n"
	      "  -h, --help  show this help and exit\n"
	      "  -j N        parse on N threads (1 to 256, default 1)\n"
	      "\n"
	      "Prints files, events, scalars, bytes and a checksum of the scalars.\n", to);
}

int main(int argc, char **argv)
{
	long threads = 1;
	int argi = 1;
	while (argi < argc && argv[argi][0] == '-') {
		const char *a = argv[argi];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		}
		const char *v = NULL;
		if (strcmp(a, "-j") == 0 && argi + 1 < argc)
			v = argv[++argi];
		else if (strncmp(a, "-j", 2) == 0 && a[2])
			v = a + 2;
		if (!v) {
			usage(stderr);
			return 2;
		}
		char *end;
		threads = strtol(v, &end, 10);
		if (!*v || *end || threads < 1 || threads > 256) {
			fprintf(stderr, "zg-floor: -j '%s' is not a number of threads (1 to 256)\n", v);
			return 2;
		}
		argi++;
	}
	if (argi + 1 != argc) {
		usage(stderr);
		return 2;
	}
	struct job job = { 0 };
	job.paths = list_ledgers(argv[argi], &job.npaths);
	atomic_init(&job.next, 0);
	atomic_init(&job.failed, false);

	struct tally total = { 0 };
	pthread_t tid[256];
	long started = 0;
	if (threads == 1) {
		struct tally *t = worker(&job);
		if (t) {
			total = *t;
			free(t);
		}
	} else {
		for (; started < threads; started++)
			if (pthread_create(&tid[started], NULL, worker, &job) != 0)
				break;
		if (started == 0) {
			fputs("zg-floor: cannot start threads\n", stderr);
			return 2;
		}
		for (long i = 0; i < started; i++) {
			void *res;
			pthread_join(tid[i], &res);
			struct tally *t = res;
			if (!t)
				continue;
			total.events += t->events;
			total.scalars += t->scalars;
			total.bytes += t->bytes;
			total.scalar_bytes += t->scalar_bytes;
			total.checksum += t->checksum;
			free(t);
		}
	}
	printf("files=%zu events=%" PRIu64 " scalars=%" PRIu64 " bytes=%" PRIu64
	       " scalar_bytes=%" PRIu64 " checksum=%016" PRIx64 " threads=%ld\n",
	       job.npaths, total.events, total.scalars, total.bytes, total.scalar_bytes,
	       total.checksum, threads);
	for (size_t i = 0; i < job.npaths; i++)
		free(job.paths[i]);
	free(job.paths);
	if (fclose(stdout) != 0)
		return 2;
	return atomic_load(&job.failed) ? 2 : 0;
}
