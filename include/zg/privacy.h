/*
 * privacy.h - finding and masking citizens' personal data in free text.
 *
 * Contact details belong in private/contacts.yaml only.  A mobile number,
 * an 18-digit ID-card number (with a valid check digit) or an e-mail
 * address that slips into a ledger is a finding (privacy/leak), and is
 * masked in every report (去标识化): 138****1234, 4501**********1234,
 * z***@example.cn.
 */
#ifndef ZG_PRIVACY_H
#define ZG_PRIVACY_H

#include <stdbool.h>
#include <stddef.h>

enum zg_pii_kind {
	ZG_PII_MOBILE,
	ZG_PII_ID_CARD,
	ZG_PII_EMAIL,
};

struct zg_pii {
	enum zg_pii_kind kind;
	size_t offset;		/* byte offset in the text */
	size_t len;		/* bytes */
};

/*
 * Finds the first personal datum in s at or after byte offset from.
 * Returns true and fills *out, or false when there is none.
 */
bool zg_pii_find(const char *s, size_t from, struct zg_pii *out);

/* The kind's name for messages ("mobile number" …), translated. */
const char *zg_pii_kind_name(enum zg_pii_kind kind);

/*
 * A copy of s with every personal datum masked (malloc'd; NULL on out of
 * memory).  The masked form keeps enough to recognise, not to call.
 */
char *zg_pii_mask(const char *s);

/* The masked form of one datum into buf (size bytes). */
void zg_pii_mask_one(const char *s, const struct zg_pii *p, char *buf,
		     size_t size);

#endif
