/* alloc.h — every allocation in yishi goes through these wrappers, so that tests can make the
 * n-th allocation fail and prove that each path cleans up. Free with ys_free(). jansson is given
 * them before main (src/core/alloc.c): its allocations fail with the rest, its strings are freed
 * with ys_free(). */
#ifndef YISHI_ALLOC_H
#define YISHI_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

void *ys_malloc(size_t n);
void *ys_calloc(size_t count, size_t size);
void *ys_realloc(void *p, size_t n);
void ys_free(void *p);
char *ys_strdup(const char *s);            /* NULL in, NULL out */
char *ys_strndup(const char *s, size_t n);

/* Grows *v (an array of *cap elements of `size` bytes) so that it holds at least `need`.
 * Returns 0, or -1 on overflow or when memory runs out (then *v is unchanged). */
int ys_grow(void **v, size_t *cap, size_t need, size_t size);

/* How many allocations have failed on the calling thread so far. jansson carries on past some failed
 * allocations (a parsed string loses a character, a dumped object a key): its wrappers (event.h)
 * compare this before and after the call. */
unsigned long ys_alloc_failures(void);

/* For ys_json_loadb only: while on, jansson is never handed an injected failure (see alloc.c). */
void ys__alloc_parsing(bool on);

/* Test hook: the n-th allocation from now fails (n >= 1); 0 turns failure injection off. */
void ys_alloc_fail_after(long n);

#endif
