/*
 * digest.c - nettle's SHA-256 over files and over the canonical plan.
 */
#include "zg/digest.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void to_hex(const uint8_t *d, char hex[static ZG_SHA256_HEX + 1])
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[ZG_SHA256_HEX] = '\0';
}

void zg_sha256_hex(const void *data, size_t len, char hex[static ZG_SHA256_HEX + 1])
{
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof d, d);
	to_hex(d, hex);
}

_Static_assert(sizeof(struct sha256_ctx) <= sizeof(struct zg_sha256),
	       "struct zg_sha256 must hold nettle's context");

void zg_sha256_begin(struct zg_sha256 *h)
{
	sha256_init((struct sha256_ctx *)(void *)h->state);
}

void zg_sha256_add(struct zg_sha256 *h, const void *data, size_t len)
{
	sha256_update((struct sha256_ctx *)(void *)h->state, len, data);
}

void zg_sha256_end(struct zg_sha256 *h, char hex[static ZG_SHA256_HEX + 1])
{
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_digest((struct sha256_ctx *)(void *)h->state, sizeof d, d);
	to_hex(d, hex);
}

int zg_sha256_file(const char *path, char hex[static ZG_SHA256_HEX + 1])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	uint8_t buf[65536];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			return e;
		}
		if (n == 0)
			break;
		sha256_update(&ctx, (size_t)n, buf);
	}
	close(fd);
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_digest(&ctx, sizeof d, d);
	to_hex(d, hex);
	return 0;
}

struct canon {
	char *s;
	size_t len, cap;
	bool oom;
};

static void put(struct canon *c, const char *s, size_t n)
{
	if (c->oom)
		return;
	if (c->len + n + 1 > c->cap) {
		size_t cap = (c->len + n + 1) * 2;
		char *p = realloc(c->s, cap);
		if (!p) {
			c->oom = true;
			return;
		}
		c->s = p;
		c->cap = cap;
	}
	memcpy(c->s + c->len, s, n);
	c->len += n;
	c->s[c->len] = '\0';
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* One "PATH=VALUE\n" line; absent and blank values give no line. */
static void field(struct canon *c, const char *path, const char *value)
{
	if (!value)
		return;
	size_t start = 0, end = strlen(value);
	while (start < end && is_blank(value[start]))
		start++;
	while (end > start && is_blank(value[end - 1]))
		end--;
	if (start == end)
		return;
	put(c, path, strlen(path));
	put(c, "=", 1);
	/* Runs of ordinary bytes go in one piece; only escapes are single. */
	for (size_t i = start; i < end;) {
		size_t run = strcspn(value + i, "\\\n\r\t");
		if (run > end - i)
			run = end - i;
		put(c, value + i, run);
		i += run;
		if (i >= end)
			break;
		switch (value[i++]) {
		case '\\': put(c, "\\\\", 2); break;
		case '\n': put(c, "\\n", 2); break;
		case '\r': put(c, "\\r", 2); break;
		default: put(c, "\\t", 2); break;
		}
	}
	put(c, "\n", 1);
}

static const char *date_text(const struct zg_date_field *d)
{
	return d->node ? d->node->text : NULL;
}

char *zg_plan_canonical(const struct zg_plan *plan)
{
	struct canon c = { NULL, 0, 0, false };
	put(&c, "zg-plan-1\n", 10);
	field(&c, "goal", zg_text(plan->goal));
	field(&c, "task", zg_text(plan->task));
	field(&c, "standard", zg_text(plan->standard));
	field(&c, "start", date_text(&plan->start));
	field(&c, "due", date_text(&plan->due));
	field(&c, "stage_target", zg_text(plan->stage_target));
	field(&c, "outcome", zg_text(plan->outcome));
	if (plan->owner) {
		field(&c, "owner.leader", zg_text(plan->owner->leader));
		field(&c, "owner.unit", zg_text(plan->owner->unit));
		field(&c, "owner.person", zg_text(plan->owner->person));
	}
	/* A step's "done" is progress, not plan: marking it keeps the lock. */
	for (size_t i = 0; i < plan->nroadmap; i++) {
		char path[48];
		snprintf(path, sizeof path, "roadmap.%zu.due", i + 1);
		field(&c, path, date_text(&plan->roadmap[i].due));
		snprintf(path, sizeof path, "roadmap.%zu.step", i + 1);
		field(&c, path, zg_text(plan->roadmap[i].step));
	}
	if (c.oom) {
		free(c.s);
		return NULL;
	}
	return c.s;
}

int zg_plan_digest(const struct zg_plan *plan, char out[static ZG_PLAN_DIGEST_SIZE])
{
	char *text = zg_plan_canonical(plan);
	if (!text)
		return -1;
	memcpy(out, "sha256:", 7);
	zg_sha256_hex(text, strlen(text), out + 7);
	free(text);
	return 0;
}
