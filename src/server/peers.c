/* peers.c — connections counted per client address, so that one address cannot take every connection
 * the server has (the hall's terminals sit behind few addresses: the limit is an option, and generous). */
#include "server/peers.h"

#include "core/map.h"

#include "yishi/alloc.h"

#include <pthread.h>

struct ys_peers {
    pthread_mutex_t lock;
    ys_map *by_address;          /* address → connections open from it */
    unsigned total, max_total, max_per_address;
};

ys_peers *ys_peers_new(unsigned max_total, unsigned max_per_address)
{
    ys_peers *p = ys_calloc(1, sizeof *p);
    if (p && !(p->by_address = ys_map_new())) {
        ys_free(p);
        return NULL;
    }
    if (p) {
        pthread_mutex_init(&p->lock, NULL);
        p->max_total = max_total;
        p->max_per_address = max_per_address;
    }
    return p;
}

void ys_peers_free(ys_peers *p)
{
    if (!p)
        return;
    ys_map_free(p->by_address);
    pthread_mutex_destroy(&p->lock);
    ys_free(p);
}

ys_peer_verdict ys_peers_add(ys_peers *p, const char *addr)
{
    ys_peer_verdict v = YS_PEER_OK;
    pthread_mutex_lock(&p->lock);
    int n = ys_map_get(p->by_address, addr) + 1;
    if (ys_map_put(p->by_address, addr, n) != 0) {
        v = YS_PEER_SERVER_FULL; /* out of memory: refused like a full server, and not counted */
    } else {
        p->total++;
        if (p->total > p->max_total)
            v = YS_PEER_SERVER_FULL;
        else if ((unsigned)n > p->max_per_address)
            v = YS_PEER_ADDRESS_FULL;
    }
    pthread_mutex_unlock(&p->lock);
    return v;
}

void ys_peers_remove(ys_peers *p, const char *addr)
{
    pthread_mutex_lock(&p->lock);
    int n = ys_map_get(p->by_address, addr);
    if (n > 0) {
        p->total--;
        if (n == 1)
            ys_map_del(p->by_address, addr);
        else
            ys_map_put(p->by_address, addr, n - 1); /* the key is there: no allocation, cannot fail */
    }
    pthread_mutex_unlock(&p->lock);
}
