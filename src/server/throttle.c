/* throttle.c — failed logins slow down per client address too, so that one machine cannot try every
 * card code: after a run of failures an address waits 1, 2, 4 … seconds (at most 15 minutes). Lenient,
 * because a hall's Wi-Fi may put many terminals behind one address. */
#include "server/server.h"

#include "yishi/alloc.h"

#include <string.h>

#define SLOTS 1024
#define FREE_FAILURES 10
#define WAIT_MAX 900

typedef struct slot {
    char addr[64];
    int failures;
    int64_t until, last;
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

/* The address's slot; with `make`, a new one in place of the least recently used. Under the lock. */
static slot *find(ys_srv_throttle *t, const char *addr, bool make)
{
    slot *oldest = &t->slots[0];
    for (size_t i = 0; i < SLOTS; i++) {
        if (t->slots[i].addr[0] && strcmp(t->slots[i].addr, addr) == 0)
            return &t->slots[i];
        if (t->slots[i].last < oldest->last)
            oldest = &t->slots[i];
    }
    if (!make)
        return NULL;
    memset(oldest, 0, sizeof *oldest);
    snprintf(oldest->addr, sizeof oldest->addr, "%s", addr);
    return oldest;
}

int ys_srv_throttle_wait(ys_srv_throttle *t, const char *addr, int64_t now)
{
    if (!t)
        return 0;
    pthread_mutex_lock(&t->lock);
    slot *s = find(t, addr, false);
    int wait = s && s->until > now ? (int)(s->until - now) : 0;
    pthread_mutex_unlock(&t->lock);
    return wait;
}

void ys_srv_throttle_fail(ys_srv_throttle *t, const char *addr, int64_t now)
{
    if (!t)
        return;
    pthread_mutex_lock(&t->lock);
    slot *s = find(t, addr, true);
    s->failures++;
    s->last = now;
    if (s->failures >= FREE_FAILURES) {
        int shift = s->failures - FREE_FAILURES;
        int64_t wait = shift >= 10 ? WAIT_MAX : (1 << shift) < WAIT_MAX ? (1 << shift) : WAIT_MAX;
        s->until = now + wait;
    }
    pthread_mutex_unlock(&t->lock);
}

void ys_srv_throttle_ok(ys_srv_throttle *t, const char *addr)
{
    if (!t)
        return;
    pthread_mutex_lock(&t->lock);
    slot *s = find(t, addr, false);
    if (s)
        memset(s, 0, sizeof *s);
    pthread_mutex_unlock(&t->lock);
}
