/*
 * spawn.c - posix_spawnp with both output streams collected by poll(), so
 * that a child filling one pipe while we wait on the other cannot stall.
 */
#include "zg/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct sink {
	char *buf;
	size_t len, cap;
};

static int sink_read(int fd, struct sink *s)
{
	if (s->cap - s->len < 4096) {
		size_t cap = s->cap ? s->cap * 2 : 8192;
		char *b = realloc(s->buf, cap);
		if (!b)
			return -1;
		s->buf = b;
		s->cap = cap;
	}
	ssize_t n = read(fd, s->buf + s->len, s->cap - s->len - 1);
	if (n < 0)
		return errno == EINTR ? 1 : -1;
	s->len += (size_t)n;
	s->buf[s->len] = '\0';
	return n > 0;
}

/* The parent's ends must not leak into the child or a later child. */
static int pipe_cloexec(int fds[2])
{
	if (pipe(fds) != 0)
		return -1;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

int zg_spawn(const char *const argv[], struct zg_spawn_result *r)
{
	memset(r, 0, sizeof *r);
	int out[2], err[2];
	if (pipe_cloexec(out) != 0)
		return errno;
	if (pipe_cloexec(err) != 0) {
		int e = errno;
		close(out[0]);
		close(out[1]);
		return e;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	pid_t pid;
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv,
			      environ);
	posix_spawn_file_actions_destroy(&fa);
	close(out[1]);
	close(err[1]);
	if (rc != 0) {
		close(out[0]);
		close(err[0]);
		return rc;
	}
	struct sink so = { 0 }, se = { 0 };
	struct pollfd fds[2] = { { out[0], POLLIN, 0 }, { err[0], POLLIN, 0 } };
	int open_fds = 2;
	bool failed = false;
	while (open_fds > 0) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			failed = true;
			break;
		}
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !fds[i].revents)
				continue;
			int k = sink_read(fds[i].fd, i == 0 ? &so : &se);
			if (k < 0)
				failed = true;
			if (k <= 0) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open_fds--;
			}
		}
	}
	for (int i = 0; i < 2; i++)
		if (fds[i].fd >= 0)
			close(fds[i].fd);
	int status = 0, wait_error = 0;
	pid_t w;
	while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (w < 0)
		wait_error = errno;	/* ECHILD when SIGCHLD is ignored */
	r->status = WIFEXITED(status) ? WEXITSTATUS(status)
				      : 128 + WTERMSIG(status);
	r->out = so.buf ? so.buf : calloc(1, 1);
	r->out_len = so.len;
	r->err = se.buf ? se.buf : calloc(1, 1);
	r->err_len = se.len;
	if (failed || wait_error || !r->out || !r->err) {
		zg_spawn_result_release(r);
		return wait_error ? wait_error : ENOMEM;
	}
	return 0;
}

void zg_spawn_result_release(struct zg_spawn_result *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof *r);
}
