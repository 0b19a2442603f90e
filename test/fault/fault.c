/*
 * fault.c - a test-only LD_PRELOAD shim that makes one system call fail.
 *
 * ZG_FAULT="CALL:N:ACTION" makes the Nth call of CALL (write, fsync,
 * rename or link) either fail with ACTION as errno (ENOSPC, EIO, EACCES,
 * EROFS) or, with ACTION "kill", kill the process on the spot — the crash
 * between writing a temporary file and renaming it over the ledger.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fault_here(const char *call)
{
	static int counts[4];
	static const char *const calls[] = { "write", "fsync", "rename", "link" };
	const char *spec = getenv("ZG_FAULT");
	if (!spec)
		return 0;
	size_t n = strlen(call);
	if (strncmp(spec, call, n) != 0 || spec[n] != ':')
		return 0;
	int k = 0;
	while (k < 4 && strcmp(calls[k], call) != 0)
		k++;
	if (k == 4)
		return 0;
	int nth = atoi(spec + n + 1);
	if (++counts[k] != nth)
		return 0;
	const char *action = strchr(spec + n + 1, ':');
	action = action ? action + 1 : "EIO";
	if (strcmp(action, "kill") == 0)
		raise(SIGKILL);
	if (strcmp(action, "ENOSPC") == 0)
		return ENOSPC;
	if (strcmp(action, "EACCES") == 0)
		return EACCES;
	if (strcmp(action, "EROFS") == 0)
		return EROFS;
	return EIO;
}

ssize_t write(int fd, const void *buf, size_t len)
{
	static ssize_t (*real)(int, const void *, size_t);
	if (!real)
		real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	/* Only files: a fault on the terminal would hide the message. */
	int e = fd > 2 ? fault_here("write") : 0;
	if (e) {
		errno = e;
		return -1;
	}
	return real(fd, buf, len);
}

int fsync(int fd)
{
	static int (*real)(int);
	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	int e = fault_here("fsync");
	if (e) {
		errno = e;
		return -1;
	}
	return real(fd);
}

int rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);
	if (!real)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	int e = fault_here("rename");
	if (e) {
		errno = e;
		return -1;
	}
	return real(from, to);
}

int link(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);
	if (!real)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "link");
	int e = fault_here("link");
	if (e) {
		errno = e;
		return -1;
	}
	return real(from, to);
}
