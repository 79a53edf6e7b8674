/* map.c — open-addressing hash table from strings to ids, with tombstones for deletion.
 * Kept at most half full so probes stay short. */
#include "core/map.h"

#include "yishi/alloc.h"

#include <stdint.h>
#include <string.h>

typedef struct slot {
    char *key;        /* NULL: empty; TOMBSTONE: deleted */
    int value;
} slot;

struct ys_map {
    slot *slots;
    size_t cap, used, live;   /* used counts live keys and tombstones */
};

static char tombstone_mark;
#define TOMBSTONE (&tombstone_mark)

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

ys_map *ys_map_new(void) { return ys_calloc(1, sizeof(ys_map)); }

void ys_map_free(ys_map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key && m->slots[i].key != TOMBSTONE)
            ys_free(m->slots[i].key);
    ys_free(m->slots);
    ys_free(m);
}

/* The slot holding key, or NULL. */
static slot *find(const ys_map *m, const char *key)
{
    if (!m->cap)
        return NULL;
    size_t mask = m->cap - 1;
    for (size_t i = fnv1a(key) & mask;; i = (i + 1) & mask) {
        slot *s = &m->slots[i];
        if (!s->key)
            return NULL;
        if (s->key != TOMBSTONE && strcmp(s->key, key) == 0)
            return s;
    }
}

int ys_map_get(const ys_map *m, const char *key)
{
    slot *s = find(m, key);
    return s ? s->value : 0;
}

static void insert_fresh(slot *slots, size_t cap, char *key, int value)
{
    size_t mask = cap - 1;
    size_t i = fnv1a(key) & mask;
    while (slots[i].key)
        i = (i + 1) & mask;
    slots[i].key = key;
    slots[i].value = value;
}

static int rehash(ys_map *m, size_t ncap)
{
    slot *ns = ys_calloc(ncap, sizeof *ns);
    if (!ns)
        return -1;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key && m->slots[i].key != TOMBSTONE)
            insert_fresh(ns, ncap, m->slots[i].key, m->slots[i].value);
    ys_free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    m->used = m->live;
    return 0;
}

int ys_map_put(ys_map *m, const char *key, int value)
{
    slot *s = find(m, key);
    if (s) {
        s->value = value;
        return 0;
    }
    if ((m->used + 1) * 2 > m->cap && rehash(m, m->cap ? m->cap * 2 : 16))
        return -1;
    char *k = ys_strdup(key);
    if (!k)
        return -1;
    insert_fresh(m->slots, m->cap, k, value);
    m->used++;
    m->live++;
    return 0;
}

int ys_map_del(ys_map *m, const char *key)
{
    slot *s = find(m, key);
    if (!s)
        return -1;
    ys_free(s->key);
    s->key = TOMBSTONE;
    m->live--;
    return 0;
}

size_t ys_map_size(const ys_map *m) { return m->live; }
