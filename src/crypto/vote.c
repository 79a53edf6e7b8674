/* vote.c — a verifiable vote's context (docs/verifiable.md §4: B, P and the hash Q), the write-in block's
 * names as elements and back (§5, §9), and the confirmation code's display in Crockford's base32. */
#include "crypto/vote.h"

#include "yishi/alloc.h"
#include "yishi/utf8.h"

#include <stdio.h>
#include <string.h>

#define CHUNK 30             /* bytes of names an element carries */

/* The largest R a range proof takes; C and S are ranges' bounds. */
#define MAX_RANGE ((1u << YSV_RANGE_BITS) - 1)

static uint64_t block_size(const ys_vvote_spec *s)
{
    if (s->poll || !s->writeins)
        return 0;
    uint64_t p = (12 * s->seats + CHUNK - 1) / CHUNK;
    return p < 2 ? 2 : p;
}

static uint64_t power_above(uint64_t V, uint64_t CS)
{
    uint64_t B = 1;
    while (B <= V || B <= CS)
        B <<= 1;
    return B;
}

static void context_hash(ys_vvote *v, const ys_vvote_spec *s)
{
    ysv_hash h;
    ysv_hash_init(&h, "yishi-v1/vote");
    ysv_hash_bytes(&h, s->key_hash, YS_VHASH);
    ysv_hash_bytes(&h, s->key, YS_VPOINT);
    for (size_t i = 0; i < s->nshares; i++)
        ysv_hash_bytes(&h, s->shares[i], YS_VPOINT);
    ysv_hash_text(&h, s->session_id);
    ysv_hash_text(&h, s->poll ? "poll" : "election");
    ysv_hash_u64(&h, s->id);
    ysv_hash_u64(&h, v->V);
    ysv_hash_u64(&h, v->S);
    ysv_hash_u64(&h, v->P);
    ysv_hash_u64(&h, v->B);
    ysv_hash_u64(&h, v->C);
    for (size_t i = 0; i < s->ncandidates; i++)
        ysv_hash_text(&h, s->names[i]);
    ysv_hash_final(&h, v->Q);
}

static ys_rc check_spec(const ys_vvote_spec *s, ys_err *err)
{
    ysv_point p;
    if (!ysv_point_decode(&p, s->key))
        return ys_fail(err, YS_BAD_FIELD, "K", "the election key is not a canonical element");
    for (size_t i = 0; i < s->nshares; i++)
        if (!ysv_point_decode(&p, s->shares[i]))
            return ys_fail(err, YS_BAD_FIELD, "X", "public share %zu is not a canonical element", i + 1);
    if (!s->session_id || !s->names)
        return ys_fail(err, YS_MISSING_FIELD, s->session_id ? "names" : "session", "a vote needs both");
    if (s->ncandidates == 0 || s->ncandidates > MAX_RANGE)
        return ys_fail(err, YS_BAD_VALUE, "C", "%zu candidates: a ballot proves 1 to %u", s->ncandidates, MAX_RANGE);
    if (s->seats == 0 || s->seats > MAX_RANGE || (s->poll && (s->seats != 1 || s->ncandidates != 1)))
        return ys_fail(err, YS_BAD_SEATS, "S", "%llu seats for %zu candidates", (unsigned long long)s->seats,
                       s->ncandidates);
    if (s->entitled > ((uint64_t)1 << 40))
        return ys_fail(err, YS_BAD_VALUE, "V", "%llu entitled", (unsigned long long)s->entitled);
    return YS_OK;
}

ys_rc ys_vvote_new(ys_vvote **out, const ys_vvote_spec *s, ys_err *err)
{
    *out = NULL;
    ys_rc rc = check_spec(s, err);
    if (rc)
        return rc;
    ys_vvote *v = ys_calloc(1, sizeof *v);
    if (!v || !(v->names = ys_calloc(s->ncandidates, sizeof *v->names)))
        goto nomem;
    v->C = s->ncandidates;
    for (size_t i = 0; i < v->C; i++)
        if (!(v->names[i] = ys_strdup(s->names[i])))
            goto nomem;
    ysv_point_decode(&v->K, s->key);
    v->poll = s->poll;
    v->V = s->entitled;
    v->S = s->seats;
    v->P = block_size(s);
    v->B = power_above(v->V, v->C + v->S);
    context_hash(v, s);
    *out = v;
    return YS_OK;
nomem:
    ys_vvote_free(v);
    return ys_fail(err, YS_NOMEM, NULL, "vote context");
}

void ys_vvote_free(ys_vvote *v)
{
    if (!v)
        return;
    for (size_t i = 0; v->names && i < v->C; i++)
        ys_free(v->names[i]);
    ys_free(v->names);
    ys_free(v);
}

uint64_t ys_vvote_B(const ys_vvote *v) { return v->B; }
uint64_t ys_vvote_P(const ys_vvote *v) { return v->P; }
const uint8_t *ys_vvote_Q(const ys_vvote *v) { return v->Q; }

/* ---- the block's names ---- */

static bool on_list(const ys_vvote *v, const char *name, size_t n)
{
    for (size_t i = 0; i < v->C; i++)
        if (strlen(v->names[i]) == n && memcmp(v->names[i], name, n) == 0)
            return true;
    return false;
}

/* Byte 0 = 2·t for the least t that makes a valid encoding, bytes 1…30 the chunk, byte 31 = 0. */
static bool chunk_point(ysv_point *M, const uint8_t chunk[CHUNK])
{
    uint8_t e[YS_V_BYTES] = { 0 };
    memcpy(e + 1, chunk, CHUNK);
    for (unsigned t = 0; t < 128; t++) {
        e[0] = (uint8_t)(2 * t);
        if (ysv_point_decode(M, e))
            return true;
    }
    return false;
}

static ys_rc check_names(const ys_vvote *v, const char *const *names, size_t n, ys_err *err)
{
    size_t used = 0;
    char field[32];
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        snprintf(field, sizeof field, "writeins[%zu]", i);
        if (len == 0 || len > YS_VNAME_MAX || !ys_utf8_valid(names[i], len))
            return ys_fail(err, YS_INVALID, field, "a name written in is 1 to %d bytes of UTF-8", YS_VNAME_MAX);
        if (on_list(v, names[i], len))
            return ys_fail(err, YS_INVALID, field, "%s is on the list: mark it yes", names[i]);
        for (size_t j = 0; j < i; j++)
            if (strcmp(names[i], names[j]) == 0)
                return ys_fail(err, YS_INVALID, field, "%s is written in twice", names[i]);
        used += len + 1;
        if (used > CHUNK * v->P)
            return ys_fail(err, YS_TOO_LARGE, field, "the names written in need more than the %llu bytes of the block",
                           (unsigned long long)(CHUNK * v->P));
    }
    if (n > v->S)
        return ys_fail(err, YS_INVALID, "writeins", "%zu names written in for %llu seats", n,
                       (unsigned long long)v->S);
    return YS_OK;
}

ys_rc ysv_block_points(const ys_vvote *v, const char *const *names, size_t n, ysv_point *M, ys_err *err)
{
    ys_rc rc = check_names(v, names, n, err);
    if (rc)
        return rc;
    uint8_t *buf = ys_calloc(v->P ? v->P : 1, CHUNK);
    if (!buf)
        return ys_fail(err, YS_NOMEM, NULL, "write-in block");
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        memcpy(buf + at, names[i], len + 1);
        at += len + 1;
    }
    for (size_t i = 0; i < v->P && rc == YS_OK; i++)
        if (!chunk_point(&M[i], buf + CHUNK * i)) /* 2^-128 */
            rc = ys_fail(err, YS_INVALID, "writeins", "chunk %zu has no element", i + 1);
    ys_free(buf);
    return rc;
}

ys_rc ys_vblock_encode(const ys_vvote *v, const char *const *names, size_t n, uint8_t *out, ys_err *err)
{
    ysv_point *M = ys_malloc((v->P ? v->P : 1) * sizeof *M);
    if (!M)
        return ys_fail(err, YS_NOMEM, NULL, "write-in block");
    ys_rc rc = ysv_block_points(v, names, n, M, err);
    for (size_t i = 0; rc == YS_OK && i < v->P; i++)
        ysv_point_encode(out + YS_VPOINT * i, &M[i]);
    ys_free(M);
    return rc;
}

static ys_vname_status name_status(const ys_vvote *v, const uint8_t *s, size_t n)
{
    if (n == 0)
        return YS_VNAME_EMPTY;
    if (n > YS_VNAME_MAX)
        return YS_VNAME_TOO_LONG;
    if (!ys_utf8_valid((const char *)s, n))
        return YS_VNAME_BAD_UTF8;
    return on_list(v, (const char *)s, n) ? YS_VNAME_ON_LIST : YS_VNAME_OK;
}

void ys_vwriteins_free(ys_vwritein *w, size_t n)
{
    for (size_t i = 0; w && i < n; i++)
        ys_free(w[i].name);
    ys_free(w);
}

/* A name runs to its zero byte, or to the end of the block. */
ys_rc ys_vblock_decode(const ys_vvote *v, const uint8_t *elements, uint64_t count, ys_vwritein **out, ys_err *err)
{
    *out = NULL;
    if (count > v->S)
        return ys_fail(err, YS_BAD_VALUE, "count", "%llu names for %llu seats", (unsigned long long)count,
                       (unsigned long long)v->S);
    size_t size = CHUNK * v->P;
    uint8_t *buf = ys_malloc(size ? size : 1);
    ys_vwritein *w = ys_calloc(count ? count : 1, sizeof *w);
    if (!buf || !w)
        goto nomem;
    for (size_t i = 0; i < v->P; i++)
        memcpy(buf + CHUNK * i, elements + YS_VPOINT * i + 1, CHUNK);
    size_t at = 0;
    for (uint64_t k = 0; k < count; k++) {
        if (at >= size) {
            w[k].status = YS_VNAME_MISSING;
            continue;
        }
        const uint8_t *end = memchr(buf + at, 0, size - at);
        size_t n = end ? (size_t)(end - (buf + at)) : size - at;
        w[k].status = name_status(v, buf + at, n);
        if (w[k].status == YS_VNAME_OK && !(w[k].name = ys_strndup((const char *)buf + at, n)))
            goto nomem;
        at += n + 1;
    }
    ys_free(buf);
    *out = w;
    return YS_OK;
nomem:
    ys_free(buf);
    ys_vwriteins_free(w, count);
    return ys_fail(err, YS_NOMEM, NULL, "write-ins");
}

/* ---- the code's display ---- */

void ys_vcode_text(const uint8_t h[YS_VHASH], char out[YS_VCODE_TEXT])
{
    static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    size_t o = 0;
    for (unsigned i = 0; i < 16; i++) { /* 80 bits, the first of each byte first */
        unsigned bit = 5 * i, v = 0;
        for (unsigned b = 0; b < 5; b++, bit++)
            v = v << 1 | ((h[bit / 8] >> (7 - bit % 8)) & 1);
        if (i && i % 4 == 0)
            out[o++] = '-';
        out[o++] = alphabet[v];
    }
    out[o] = '\0';
}
