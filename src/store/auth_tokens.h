/* auth_tokens.h — the live session tokens in memory: BLAKE2b of a token → who holds it and until when,
 * so that an authenticated request reads no SQL and waits on no global lock. Internal to src/store. */
#ifndef YS_STORE_AUTH_TOKENS_H
#define YS_STORE_AUTH_TOKENS_H

#include "yishi/auth.h"
#include "yishi/event.h"

#include <stdbool.h>
#include <stdint.h>

/* The file (auth_tokens) stays the durable record; this table is what the server's threads look up. It
 * is split in shards, each under its own read-write lock, so that checks only ever share a read lock. */
typedef struct ys_tokens ys_tokens;

ys_tokens *ys_tokens_new(void);   /* NULL when memory runs out */
void ys_tokens_free(ys_tokens *t);

/* Remembers the token of hash `h`: held by `who` (its role, name, delegation and expiry; the actor is
 * made again on every look-up), a card's when `card`. Returns 0, or -1 when memory runs out. Tokens
 * past their expiry are dropped now and then as others are added. */
int ys_tokens_put(ys_tokens *t, const uint8_t h[YS_HASH_BYTES], bool card, const ys_principal *who, int64_t now);

/* Who holds the token of hash `h`, if it is known and its expiry is after `now`. */
bool ys_tokens_get(ys_tokens *t, const uint8_t h[YS_HASH_BYTES], int64_t now, ys_principal *out);

/* Forgets one token (a logout), or every token of a staff account or of a card (a new password, a new
 * card). */
void ys_tokens_drop(ys_tokens *t, const uint8_t h[YS_HASH_BYTES]);
void ys_tokens_drop_subject(ys_tokens *t, bool card, const char *name);

size_t ys_tokens_count(ys_tokens *t); /* live or not yet swept: for tests */

#endif
