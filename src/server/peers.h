/* peers.h — the connections open per client address and in all, against a flood from one address.
 * Internal to src/server; http.c counts each connection from its start to its close. */
#ifndef YS_SERVER_PEERS_H
#define YS_SERVER_PEERS_H

typedef struct ys_peers ys_peers;

typedef enum ys_peer_verdict {
    YS_PEER_OK,
    YS_PEER_ADDRESS_FULL,        /* its address already holds max_per_address connections */
    YS_PEER_SERVER_FULL,         /* the server already holds max_total */
} ys_peer_verdict;

/* NULL when out of memory. */
ys_peers *ys_peers_new(unsigned max_total, unsigned max_per_address);
void ys_peers_free(ys_peers *p);
/* Counts a new connection from `addr` and says whether it is within the limits. Every add that is not
 * YS_PEER_SERVER_FULL for want of memory is counted, refused or not, until ys_peers_remove. */
ys_peer_verdict ys_peers_add(ys_peers *p, const char *addr);
void ys_peers_remove(ys_peers *p, const char *addr);

#endif
