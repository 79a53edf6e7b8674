/* map.h — a string-to-int hash table (open addressing, FNV-1a) for the session's look-ups by
 * code, seat and name. Keys are copied; values are positive ids. Internal to the core. */
#ifndef YS_CORE_MAP_H
#define YS_CORE_MAP_H

#include <stddef.h>

typedef struct ys_map ys_map;

ys_map *ys_map_new(void);
void ys_map_free(ys_map *m);
int ys_map_get(const ys_map *m, const char *key);            /* 0 if absent */
int ys_map_put(ys_map *m, const char *key, int value);        /* 0 ok, -1 out of memory */
int ys_map_del(ys_map *m, const char *key);                   /* 0 removed, -1 absent */
size_t ys_map_size(const ys_map *m);

#endif
