/* throttle.c — failed logins slow down per client address too, so that one machine cannot try names,
 * codes and PINs as fast as it can send: a leaky bucket per address (auth.h), charged before the hash
 * runs and refunded when the attempt was no failed guess. Lenient, as a hall's Wi-Fi may put many
 * terminals behind one address. In memory: an address's failures matter for minutes, not days. */
#include "server/server.h"

#include "yishi/alloc.h"

#include <string.h>

#define SLOTS 4096

typedef struct slot {
    char addr[64];
    ys_auth_bucket b;
} slot;

struct ys_srv_throttle {
    pthread_mutex_t lock;
    slot slots[SLOTS];
};

ys_srv_throttle *ys_srv_throttle_new(void)
{
    ys_srv_throttle *t = ys_calloc(1, sizeof *t);
    if (t)
        pthread_mutex_init(&t->lock, NULL);
    return t;
}

void ys_srv_throttle_free(ys_srv_throttle *t)
{
    if (!t)
        return;
    pthread_mutex_destroy(&t->lock);
    ys_free(t);
}

/* The address's slot, drained to `now`; with `make`, else the emptiest slot, which the address takes
 * over as full as it was: flooding the table with new addresses never empties a bucket that matters.
 * Under the lock. */
static slot *find(ys_srv_throttle *t, const char *addr, int64_t now, bool make)
{
    slot *emptiest = NULL;
    for (size_t i = 0; i < SLOTS; i++) {
        slot *s = &t->slots[i];
        ys_auth_bucket_drain(&s->b, YS_AUTH_B_ADDRESS, now);
        if (s->addr[0] && strcmp(s->addr, addr) == 0)
            return s;
        if (!emptiest || s->b.level < emptiest->b.level)
            emptiest = s;
    }
    if (make)
        snprintf(emptiest->addr, sizeof emptiest->addr, "%s", addr);
    return make ? emptiest : NULL;
}

int ys_srv_throttle_take(ys_srv_throttle *t, const char *addr, int64_t now)
{
    if (!t)
        return 0;
    pthread_mutex_lock(&t->lock);
    int wait = ys_auth_bucket_take(&find(t, addr, now, true)->b, YS_AUTH_B_ADDRESS, now);
    pthread_mutex_unlock(&t->lock);
    return wait;
}

void ys_srv_throttle_refund(ys_srv_throttle *t, const char *addr, int64_t now)
{
    if (!t)
        return;
    pthread_mutex_lock(&t->lock);
    slot *s = find(t, addr, now, false);
    if (s)
        ys_auth_bucket_refund(&s->b, YS_AUTH_B_ADDRESS, now);
    pthread_mutex_unlock(&t->lock);
}

void ys_srv_throttle_clear(ys_srv_throttle *t, const char *addr, int64_t now)
{
    if (!t)
        return;
    pthread_mutex_lock(&t->lock);
    slot *s = find(t, addr, now, false);
    if (s)
        s->b.level = 0;
    pthread_mutex_unlock(&t->lock);
}
