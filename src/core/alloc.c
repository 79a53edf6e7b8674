/* alloc.c — the allocation wrappers and the fault injector that the tests use to fail
 * the n-th allocation; jansson is handed the same wrappers. */
#include "yishi/alloc.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static long fail_countdown; /* 0: never fail */
/* Allocations that failed on this thread (see ys_alloc_failures). */
static _Thread_local unsigned long failed_here;

void ys_alloc_fail_after(long n) { fail_countdown = n; }

unsigned long ys_alloc_failures(void) { return failed_here; }

static void *counted(void *p)
{
    failed_here += !p;
    return p;
}

static int should_fail(void)
{
    if (fail_countdown <= 0)
        return 0;
    return --fail_countdown == 0;
}

void *ys_malloc(size_t n) { return counted(should_fail() ? NULL : malloc(n ? n : 1)); }

void *ys_calloc(size_t count, size_t size)
{
    return counted(should_fail() ? NULL : calloc(count ? count : 1, size ? size : 1));
}

void *ys_realloc(void *p, size_t n) { return counted(should_fail() ? NULL : realloc(p, n ? n : 1)); }

void ys_free(void *p) { free(p); }

/* While jansson parses (ys_json_loadb), a failure the injector makes is counted but jansson gets the
 * memory all the same: jansson 2.14's lexer, denied it, drops a character and then asserts (load.c,
 * lex_scan_string) or reads past its buffer. The count moved, so the parse is refused as out of memory
 * and callers meet the failure as they would. */
static _Thread_local bool parsing;

void ys__alloc_parsing(bool on) { parsing = on; }

static void *jansson_malloc(size_t n)
{
    void *p = ys_malloc(n);
    return p || !parsing ? p : malloc(n ? n : 1);
}

/* jansson allocates through the wrappers too, so that the fault tests fail its allocations and what it
 * returns (json_dumps) is freed with ys_free. A constructor, because every program that links the core
 * (the command and its server, each test, fuzzer and benchmark) needs it before its first json_ call,
 * and none can then forget it. */
__attribute__((constructor)) static void alloc_hand_to_jansson(void) { json_set_alloc_funcs(jansson_malloc, ys_free); }

char *ys_strndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *d = ys_malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *ys_strdup(const char *s) { return s ? ys_strndup(s, strlen(s)) : NULL; }

int ys_grow(void **v, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return -1;
        ncap *= 2;
    }
    if (ncap > SIZE_MAX / size)
        return -1;
    void *nv = ys_realloc(*v, ncap * size);
    if (!nv)
        return -1;
    *v = nv;
    *cap = ncap;
    return 0;
}
