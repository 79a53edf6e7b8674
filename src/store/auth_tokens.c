/* auth_tokens.c — the live session tokens in memory, in shards of open-addressing tables keyed by the
 * BLAKE2b of a token, each shard under its own read-write lock. Dropped tokens are marked, then swept. */
#include "store/auth_tokens.h"

#include "yishi/alloc.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define N_SHARDS 16        /* a power of two; checks on different shards never meet */
#define SWEEP_EVERY 60     /* seconds between sweeps of a shard's ended tokens, done as tokens are added */
#define DROPPED INT64_MIN  /* the expiry of a token logged out: refused at once, swept later */

typedef struct entry {
    uint8_t hash[YS_HASH_BYTES];
    int64_t expires;
    ys_auth_role role;
    bool card;
    size_t name_len;
    char text[];           /* the name, NUL, the delegation, NUL */
} entry;

typedef struct shard {
    pthread_rwlock_t lock;
    entry **slots;         /* NULL: empty */
    size_t cap, n;         /* cap is 0 or a power of two; at most half the slots are taken */
    int64_t swept_at;
} shard;

struct ys_tokens {
    shard shards[N_SHARDS];
};

/* BLAKE2b's bytes are uniform: the first picks the shard, the next eight the slot. */
static shard *shard_of(ys_tokens *t, const uint8_t h[YS_HASH_BYTES]) { return &t->shards[h[0] & (N_SHARDS - 1)]; }

static size_t home(const uint8_t h[YS_HASH_BYTES], size_t cap)
{
    uint64_t v;
    memcpy(&v, h + 1, sizeof v);
    return (size_t)v & (cap - 1);
}

/* The slot holding `h`, or the empty slot where it would go. cap > 0. */
static size_t probe(const shard *s, const uint8_t h[YS_HASH_BYTES])
{
    size_t i = home(h, s->cap);
    while (s->slots[i] && memcmp(s->slots[i]->hash, h, YS_HASH_BYTES) != 0)
        i = (i + 1) & (s->cap - 1);
    return i;
}

ys_tokens *ys_tokens_new(void)
{
    ys_tokens *t = ys_calloc(1, sizeof *t);
    for (int i = 0; t && i < N_SHARDS; i++)
        pthread_rwlock_init(&t->shards[i].lock, NULL);
    return t;
}

void ys_tokens_free(ys_tokens *t)
{
    if (!t)
        return;
    for (int i = 0; i < N_SHARDS; i++) {
        shard *s = &t->shards[i];
        for (size_t j = 0; j < s->cap; j++)
            ys_free(s->slots[j]);
        ys_free(s->slots);
        pthread_rwlock_destroy(&s->lock);
    }
    ys_free(t);
}

/* Moves the tokens still live at `now` into `cap` new slots and frees the others. Under the write lock.
 * Returns -1, changing nothing, when memory runs out. */
static int rebuild(shard *s, size_t cap, int64_t now)
{
    entry **old = s->slots;
    size_t old_cap = s->cap;
    if (!(s->slots = ys_calloc(cap, sizeof *s->slots))) {
        s->slots = old;
        return -1;
    }
    s->cap = cap;
    s->n = 0;
    s->swept_at = now;
    for (size_t j = 0; j < old_cap; j++) {
        if (old[j] && old[j]->expires > now) {
            s->slots[probe(s, old[j]->hash)] = old[j];
            s->n++;
        } else {
            ys_free(old[j]);
        }
    }
    ys_free(old);
    return 0;
}

static entry *entry_new(const uint8_t h[YS_HASH_BYTES], bool card, const ys_principal *who)
{
    size_t n = strlen(who->name), d = strlen(who->delegation);
    entry *e = ys_malloc(sizeof *e + n + d + 2);
    if (!e)
        return NULL;
    memcpy(e->hash, h, YS_HASH_BYTES);
    e->expires = who->expires;
    e->role = who->role;
    e->card = card;
    e->name_len = n;
    memcpy(e->text, who->name, n + 1);
    memcpy(e->text + n + 1, who->delegation, d + 1);
    return e;
}

int ys_tokens_put(ys_tokens *t, const uint8_t h[YS_HASH_BYTES], bool card, const ys_principal *who, int64_t now)
{
    shard *s = shard_of(t, h);
    entry *e = entry_new(h, card, who);
    int rc = e ? 0 : -1;
    pthread_rwlock_wrlock(&s->lock);
    bool full = 2 * (s->n + 1) > s->cap;
    if (!rc && (full || now - s->swept_at >= SWEEP_EVERY)) {
        size_t cap = s->cap ? s->cap : 64;
        while (2 * (s->n + 1) > cap) /* the sweep may free room, but never count on it */
            cap *= 2;
        if (rebuild(s, cap, now) && full) /* a sweep that could not run waits for the next token */
            rc = -1;
    }
    if (!rc) {
        size_t i = probe(s, h);
        if (s->slots[i])
            ys_free(s->slots[i]);
        else
            s->n++;
        s->slots[i] = e;
        e = NULL;
    }
    pthread_rwlock_unlock(&s->lock);
    ys_free(e);
    return rc;
}

bool ys_tokens_get(ys_tokens *t, const uint8_t h[YS_HASH_BYTES], int64_t now, ys_principal *out)
{
    shard *s = shard_of(t, h);
    bool found = false;
    pthread_rwlock_rdlock(&s->lock);
    const entry *e = s->cap ? s->slots[probe(s, h)] : NULL;
    if (e && e->expires > now) {
        found = true;
        out->role = e->role;
        memcpy(out->name, e->text, e->name_len + 1);
        snprintf(out->delegation, sizeof out->delegation, "%s", e->text + e->name_len + 1);
        out->expires = e->expires;
    }
    pthread_rwlock_unlock(&s->lock);
    return found;
}

void ys_tokens_drop(ys_tokens *t, const uint8_t h[YS_HASH_BYTES])
{
    shard *s = shard_of(t, h);
    pthread_rwlock_wrlock(&s->lock);
    entry *e = s->cap ? s->slots[probe(s, h)] : NULL;
    if (e)
        e->expires = DROPPED;
    pthread_rwlock_unlock(&s->lock);
}

void ys_tokens_drop_subject(ys_tokens *t, bool card, const char *name)
{
    for (int i = 0; i < N_SHARDS; i++) {
        shard *s = &t->shards[i];
        pthread_rwlock_wrlock(&s->lock);
        for (size_t j = 0; j < s->cap; j++)
            if (s->slots[j] && s->slots[j]->card == card && strcmp(s->slots[j]->text, name) == 0)
                s->slots[j]->expires = DROPPED;
        pthread_rwlock_unlock(&s->lock);
    }
}

size_t ys_tokens_count(ys_tokens *t)
{
    size_t n = 0;
    for (int i = 0; i < N_SHARDS; i++) {
        pthread_rwlock_rdlock(&t->shards[i].lock);
        n += t->shards[i].n;
        pthread_rwlock_unlock(&t->shards[i].lock);
    }
    return n;
}
