/*
 * digest.h - SHA-256 of evidence files and the canonical plan digest.
 *
 * SHA-256 comes from nettle: a well-kept library, not code of our own.
 * The plan digest locks a submitted plan (原则上不允许修改): it is computed
 * over a canonical text of the plan that ignores comments, quoting, key
 * order and indentation but sees every value; docs/format.md defines it
 * so that other tools can recompute it.
 */
#ifndef ZG_DIGEST_H
#define ZG_DIGEST_H

#include <stddef.h>

#include "zg/model.h"

enum { ZG_SHA256_HEX = 64, ZG_PLAN_DIGEST_SIZE = 7 + ZG_SHA256_HEX + 1 };

/* Lowercase hex SHA-256 of len bytes into hex (65 bytes with the NUL). */
void zg_sha256_hex(const void *data, size_t len, char hex[static ZG_SHA256_HEX + 1]);

/* Incremental SHA-256, for hashing bytes while they are copied. */
struct zg_sha256 {
	unsigned char state[256];	/* nettle's sha256_ctx, opaque here */
};
void zg_sha256_begin(struct zg_sha256 *h);
void zg_sha256_add(struct zg_sha256 *h, const void *data, size_t len);
void zg_sha256_end(struct zg_sha256 *h, char hex[static ZG_SHA256_HEX + 1]);

/*
 * Lowercase hex SHA-256 of a file's content.  Returns 0, or an errno
 * value when the file cannot be read.
 */
int zg_sha256_file(const char *path, char hex[static ZG_SHA256_HEX + 1]);

/*
 * The canonical text of a plan (malloc'd, NUL-terminated; NULL on out of
 * memory).  Exposed so that tests and docs can show it.
 */
char *zg_plan_canonical(const struct zg_plan *plan);

/*
 * "sha256:<hex>" of the plan's canonical text into out.  Returns 0, or -1
 * on out of memory.
 */
int zg_plan_digest(const struct zg_plan *plan, char out[static ZG_PLAN_DIGEST_SIZE]);

#endif
