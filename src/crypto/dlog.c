/* dlog.c — the small discrete logarithm v of M = v·G, 0 ≤ v ≤ bound, by baby-step giant-step
 * (docs/verifiable.md §8). The baby steps are made once per bound and serve every look-up of a count. */
#include "crypto/keys.h"

#include "yishi/alloc.h"

#include <pthread.h>
#include <string.h>

/* Baby steps j·G (0 ≤ j < m) keyed by the first 8 bytes of their encoding, in an open-addressed table of
 * `slots` (a power of two, at least 2m). Encoding costs 6 µs and an addition 0.2 µs, so the table is made
 * 8 times larger than √bound: a look-up then takes at most √bound/8 giant steps (≈ 3 ms for 12.3 million)
 * for a table built once in ≈ 0.2 s. */
struct ys_vdlog {
    uint64_t bound, m;
    size_t slots;
    uint64_t *keys;
    uint32_t *idx;            /* j + 1; 0 is an empty slot */
    ysv_point giant;          /* −m·G */
};

static uint64_t key_of(const ysv_point *p)
{
    uint8_t b[YS_V_BYTES];
    uint64_t k = 0;
    ysv_point_encode(b, p);
    memcpy(&k, b, sizeof k);
    return k;
}

/* ⌈√x⌉ */
static uint64_t sqrt_up(uint64_t x)
{
    uint64_t r = 0;
    for (uint64_t bit = 1ULL << 31; bit; bit >>= 1)
        if ((r + bit) * (r + bit) <= x)
            r += bit;
    return r * r == x ? r : r + 1;
}

static size_t slot_of(uint64_t key, size_t slots)
{
    return (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 17) & (slots - 1);
}

ys_vdlog *ys_vdlog_new(uint64_t bound)
{
    if (bound >= 1ULL << 48)
        return NULL;
    uint64_t m = 8 * sqrt_up(bound + 1);
    if (m > bound + 1)
        m = bound + 1;
    if (m > UINT32_MAX / 2)
        return NULL;
    ys_vdlog *t = ys_calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->bound = bound;
    t->m = m;
    for (t->slots = 16; t->slots < 2 * m; t->slots *= 2)
        ;
    t->keys = ys_calloc(t->slots, sizeof *t->keys);
    t->idx = ys_calloc(t->slots, sizeof *t->idx);
    if (!t->keys || !t->idx) {
        ys_vdlog_free(t);
        return NULL;
    }
    ysv_point p, g;
    ysv_point_identity(&p);
    ysv_point_base(&g);
    for (uint64_t j = 0; j < m; j++) {
        uint64_t k = key_of(&p);
        size_t s = slot_of(k, t->slots);
        while (t->idx[s])
            s = (s + 1) & (t->slots - 1);
        t->keys[s] = k;
        t->idx[s] = (uint32_t)(j + 1);
        ysv_point_add(&p, &p, &g);
    }
    ysv_point_neg(&t->giant, &p); /* p = m·G */
    return t;
}

void ys_vdlog_free(ys_vdlog *t)
{
    if (!t)
        return;
    ys_free(t->keys);
    ys_free(t->idx);
    ys_free(t);
}

static bool find_upto(const ys_vdlog *t, uint64_t bound, const ysv_point *M, uint64_t *v)
{
    ysv_point p = *M;
    if (bound > t->bound)
        bound = t->bound;
    for (uint64_t g = 0; g * t->m <= bound; g++) {
        uint64_t k = key_of(&p);
        for (size_t s = slot_of(k, t->slots); t->idx[s]; s = (s + 1) & (t->slots - 1)) {
            uint64_t cand = g * t->m + t->idx[s] - 1;
            ysv_point check;
            if (t->keys[s] != k || cand > bound)
                continue;
            ysv_mul_base_u64(&check, cand); /* 8 bytes of the encoding matched: make sure of all of it */
            if (ysv_point_eq(&check, M)) {
                *v = cand;
                return true;
            }
        }
        ysv_point_add(&p, &p, &t->giant);
    }
    return false;
}

bool ysv_dlog_find(const ys_vdlog *t, const ysv_point *M, uint64_t *v) { return find_upto(t, t->bound, M, v); }

ys_rc ys_vdlog_find_upto(const ys_vdlog *t, uint64_t bound, const char *m_b64, uint64_t *v, ys_err *err)
{
    uint8_t b[YS_V_BYTES];
    ysv_point M;
    if (bound > t->bound)
        bound = t->bound;
    if (!m_b64 || !ysv_unb64(b, m_b64) || !ysv_point_decode(&M, b))
        return ys_fail(err, YS_BAD_FIELD, "element", "a decrypted element is 32 bytes of an element in base64");
    if (!find_upto(t, bound, &M, v))
        return ys_fail(err, YS_BAD_PROOF, "element", "the decryption is no number from 0 to %llu: it is wrong",
                       (unsigned long long)bound);
    return YS_OK;
}

ys_rc ys_vdlog_find(const ys_vdlog *t, const char *m_b64, uint64_t *v, ys_err *err)
{
    return ys_vdlog_find_upto(t, t->bound, m_b64, v, err);
}

/* ---- the tables kept for the process ---- */

/* Every table made, the largest first; none is freed, since a thread may be looking one up. A new one is
 * made at least twice the largest, so that a process makes few. */
static struct shared {
    ys_vdlog *t;
    struct shared *next;
} *shared_tables;
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;

const ys_vdlog *ys_vdlog_shared(uint64_t bound)
{
    const ys_vdlog *found = NULL;
    pthread_mutex_lock(&shared_lock);
    if (shared_tables && shared_tables->t->bound >= bound) {
        found = shared_tables->t;
    } else {
        uint64_t want = shared_tables && shared_tables->t->bound * 2 > bound ? shared_tables->t->bound * 2 : bound;
        struct shared *e = ys_calloc(1, sizeof *e);
        if (e && (e->t = ys_vdlog_new(want))) {
            e->next = shared_tables;
            shared_tables = e;
            found = e->t;
        } else {
            ys_free(e);
        }
    }
    pthread_mutex_unlock(&shared_lock);
    return found;
}
