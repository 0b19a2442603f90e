/*
 * fault.c - a test-only LD_PRELOAD shim that makes one call fail.
 *
 * ZG_FAULT="CALL:N:ACTION" makes the Nth call of CALL fail with ACTION
 * as errno (ENOSPC, EIO, EACCES, EROFS, EPERM, EMFILE, ENOMEM) or, with
 * ACTION "kill", kills the process on the spot: the crash between
 * writing a temporary file and renaming it over the ledger.  CALL is one
 * of the names in `calls` below; "malloc" (malloc, calloc and realloc
 * as one series) exists only in the libzgoom.so build of this file,
 * because a sanitizer's allocator must not be replaced.
 *
 * ZG_FAULT_COUNT=FILE appends, when the process exits, one line
 * "CALL COUNT" for every call it made: the loop in every-fault uses it
 * to try each call of each kind in turn.
 *
 * Calls on the standard streams (fd 0-2) are neither counted nor failed:
 * a fault on the terminal would only hide the message under test.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

enum call {
	C_WRITE, C_READ, C_OPEN, C_CLOSE, C_FSYNC, C_RENAME, C_LINK,
	C_UNLINK, C_MKDIR, C_MKSTEMP, C_CHMOD, C_FCHMOD, C_FLOCK,
	C_OPENDIR, C_MALLOC, C_COUNT
};

static const char *const calls[C_COUNT] = {
	"write", "read", "open", "close", "fsync", "rename", "link",
	"unlink", "mkdir", "mkstemp", "chmod", "fchmod", "flock",
	"opendir", "malloc",
};

/* Parsed once, before main: getenv in malloc itself would be fragile. */
static int armed;
static int fault_call = -1;
static long fault_nth;
static int fault_errno;
static int fault_kill;
static long counts[C_COUNT];
static char count_file[4096];

static int errno_named(const char *name)
{
	static const struct { const char *name; int value; } names[] = {
		{ "ENOSPC", ENOSPC }, { "EIO", EIO }, { "EACCES", EACCES },
		{ "EROFS", EROFS }, { "EPERM", EPERM }, { "EMFILE", EMFILE },
		{ "ENOMEM", ENOMEM }, { "EDQUOT", EDQUOT },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i].name, name) == 0)
			return names[i].value;
	return EIO;
}

__attribute__((constructor)) static void fault_setup(void)
{
	const char *spec = getenv("ZG_FAULT");
	if (spec) {
		for (int k = 0; k < C_COUNT; k++) {
			size_t n = strlen(calls[k]);
			if (strncmp(spec, calls[k], n) == 0 && spec[n] == ':') {
				fault_call = k;
				fault_nth = atol(spec + n + 1);
				const char *action = strchr(spec + n + 1, ':');
				action = action ? action + 1 : "EIO";
				fault_kill = strcmp(action, "kill") == 0;
				fault_errno = errno_named(action);
				break;
			}
		}
	}
	const char *file = getenv("ZG_FAULT_COUNT");
	if (file && strlen(file) < sizeof count_file)
		strcpy(count_file, file);
	armed = 1;
}

__attribute__((destructor)) static void fault_report(void)
{
	if (!count_file[0])
		return;
	armed = 0;
	FILE *f = fopen(count_file, "a");
	if (!f)
		return;
	for (int k = 0; k < C_COUNT; k++)
		if (counts[k])
			fprintf(f, "%s %ld\n", calls[k], counts[k]);
	fclose(f);
}

/* 0 to go on with the real call, else the errno to fail with. */
static int fault_here(enum call k)
{
	if (!armed)
		return 0;
	long n = ++counts[k];
	if ((int)k != fault_call || n != fault_nth)
		return 0;
	if (fault_kill)
		raise(SIGKILL);
	return fault_errno;
}

#define REAL(name) \
	static __typeof__(name) *real; \
	if (!real) \
		real = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

#define FAIL_IF(k, ret) \
	do { \
		int e_ = fault_here(k); \
		if (e_) { \
			errno = e_; \
			return ret; \
		} \
	} while (0)

ssize_t write(int fd, const void *buf, size_t len)
{
	REAL(write);
	if (fd > 2)
		FAIL_IF(C_WRITE, -1);
	return real(fd, buf, len);
}

ssize_t read(int fd, void *buf, size_t len)
{
	REAL(read);
	if (fd > 2)
		FAIL_IF(C_READ, -1);
	return real(fd, buf, len);
}

int close(int fd)
{
	REAL(close);
	if (fd > 2) {
		int e = fault_here(C_CLOSE);
		if (e) {
			/* Like NFS: the descriptor is gone, the error stays. */
			real(fd);
			errno = e;
			return -1;
		}
	}
	return real(fd);
}

/* open and open64 are one call to count: the same flags, the same fault. */
static int open_with(int (*real)(const char *, int, ...), const char *path,
		     int flags, va_list ap)
{
	mode_t mode = flags & (O_CREAT | O_TMPFILE) ? va_arg(ap, mode_t) : 0;
	FAIL_IF(C_OPEN, -1);
	return real(path, flags, mode);
}

int open(const char *path, int flags, ...)
{
	REAL(open);
	va_list ap;
	va_start(ap, flags);
	int fd = open_with(real, path, flags, ap);
	va_end(ap);
	return fd;
}

int open64(const char *path, int flags, ...)
{
	REAL(open64);
	va_list ap;
	va_start(ap, flags);
	int fd = open_with(real, path, flags, ap);
	va_end(ap);
	return fd;
}

int fsync(int fd)
{
	REAL(fsync);
	FAIL_IF(C_FSYNC, -1);
	return real(fd);
}

int rename(const char *from, const char *to)
{
	REAL(rename);
	FAIL_IF(C_RENAME, -1);
	return real(from, to);
}

int link(const char *from, const char *to)
{
	REAL(link);
	FAIL_IF(C_LINK, -1);
	return real(from, to);
}

int unlink(const char *path)
{
	REAL(unlink);
	FAIL_IF(C_UNLINK, -1);
	return real(path);
}

int mkdir(const char *path, mode_t mode)
{
	REAL(mkdir);
	FAIL_IF(C_MKDIR, -1);
	return real(path, mode);
}

int mkstemp(char *template)
{
	REAL(mkstemp);
	FAIL_IF(C_MKSTEMP, -1);
	return real(template);
}

int chmod(const char *path, mode_t mode)
{
	REAL(chmod);
	FAIL_IF(C_CHMOD, -1);
	return real(path, mode);
}

int fchmod(int fd, mode_t mode)
{
	REAL(fchmod);
	FAIL_IF(C_FCHMOD, -1);
	return real(fd, mode);
}

int flock(int fd, int op)
{
	REAL(flock);
	FAIL_IF(C_FLOCK, -1);
	return real(fd, op);
}

DIR *opendir(const char *path)
{
	REAL(opendir);
	FAIL_IF(C_OPENDIR, NULL);
	return real(path);
}

#ifdef ZG_FAULT_MALLOC
/* glibc's own entry points: dlsym itself may allocate. */
void *__libc_malloc(size_t);
void *__libc_calloc(size_t, size_t);
void *__libc_realloc(void *, size_t);

void *malloc(size_t n)
{
	FAIL_IF(C_MALLOC, NULL);
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	FAIL_IF(C_MALLOC, NULL);
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	FAIL_IF(C_MALLOC, NULL);
	return __libc_realloc(p, n);
}
#endif
