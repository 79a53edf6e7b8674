/* event.c — events, their canonical text and the BLAKE2b hash chain of the session log.
 * The chain makes the log tamper-evident: changing any byte of any event breaks its hash. */
#include "yishi/event.h"

#include "yishi/alloc.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

const ys_event_type ys_event_types[YS_EV_N] = {
#define YS_EVENT(id, type, apply, view, secret, tables, vote) [YS_EV_##id] = {type, YS_VIEW_##view, YS_VOTE_##vote, tables},
#include "yishi/events.def"
#undef YS_EVENT
};

const ys_event_type *ys_event_type_of(const char *name)
{
    for (size_t i = 0; i < YS_EV_N; i++)
        if (strcmp(ys_event_types[i].name, name) == 0)
            return &ys_event_types[i];
    return NULL;
}

void ys_event_time(int64_t sec, long nsec, char out[32])
{
    struct tm tm;
    time_t t = (time_t)sec;
    char date[24] = "";
    if (gmtime_r(&t, &tm))
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, 32, "%.19s.%03dZ", date, (int)((nsec / 1000000) % 1000));
}

void ys_events_init(ys_events *e) { memset(e, 0, sizeof *e); }

void ys_event_clear(ys_event *ev)
{
    json_decref(ev->payload);
    ys_free(ev->payload_text);
    memset(ev, 0, sizeof *ev);
}

void ys_events_free(ys_events *e)
{
    for (size_t i = 0; i < e->n; i++)
        ys_event_clear(&e->v[i]);
    ys_free(e->v);
    memset(e, 0, sizeof *e);
}

ys_rc ys_events_add(ys_events *e, const char *time, const char *actor, const char *type,
                    json_t *payload, ys_err *err)
{
    if (!payload)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory building a %s event", type);
    if (ys_grow((void **)&e->v, &e->cap, e->n + 1, sizeof *e->v)) {
        json_decref(payload);
        return ys_fail(err, YS_NOMEM, NULL, "out of memory adding a %s event", type);
    }
    ys_event *ev = &e->v[e->n++];
    memset(ev, 0, sizeof *ev);
    snprintf(ev->time, sizeof ev->time, "%s", time);
    snprintf(ev->actor, sizeof ev->actor, "%s", actor);
    snprintf(ev->type, sizeof ev->type, "%s", type);
    ev->payload = payload;
    return YS_OK;
}

ys_rc ys_events_add_sealed(ys_events *e, const char *type, json_t *payload, ys_err *err)
{
    ys_rc rc = ys_events_add(e, "", "", type, payload, err);
    if (rc)
        return rc;
    e->v[e->n - 1].sealed = true;
    return YS_OK;
}

/* jansson's json_dumps drops an object's key when its buffer cannot grow while it writes the key, and
 * returns the rest as if nothing had happened: any allocation that failed meanwhile fails the whole. */
char *ys_json_dumps(const json_t *json, size_t flags)
{
    unsigned long before = ys_alloc_failures();
    char *text = json_dumps(json, flags);
    if (text && ys_alloc_failures() != before) {
        ys_free(text);
        return NULL;
    }
    return text;
}

/* Likewise json_loadb: its lexer drops a character it cannot store and parses on. */
ys_rc ys_json_loadb(const char *text, size_t len, size_t flags, json_t **out, json_error_t *jerr)
{
    unsigned long before = ys_alloc_failures();
    ys__alloc_parsing(true);
    *out = json_loadb(text, len, flags, jerr);
    ys__alloc_parsing(false);
    if (ys_alloc_failures() != before) {
        json_decref(*out);
        *out = NULL;
        return YS_NOMEM;
    }
    return *out ? YS_OK : YS_INVALID;
}

char *ys_json_canonical(const json_t *payload) { return ys_json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS); }

static void hash_field(crypto_generichash_state *st, const void *data, size_t len)
{
    uint8_t prefix[8];
    for (int i = 0; i < 8; i++)
        prefix[i] = (uint8_t)((uint64_t)len >> (8 * i));
    crypto_generichash_update(st, prefix, sizeof prefix);
    crypto_generichash_update(st, data, len);
}

void ys_event_hash(const ys_event *ev, uint8_t out[YS_HASH_BYTES])
{
    crypto_generichash_state st;
    uint8_t seq[8];
    for (int i = 0; i < 8; i++)
        seq[i] = (uint8_t)((uint64_t)ev->seq >> (8 * i));
    const char *payload = ev->payload_text ? ev->payload_text : "";
    crypto_generichash_init(&st, NULL, 0, YS_HASH_BYTES);
    crypto_generichash_update(&st, ev->prev_hash, YS_HASH_BYTES);
    crypto_generichash_update(&st, seq, sizeof seq);
    hash_field(&st, ev->time, strlen(ev->time));
    hash_field(&st, ev->actor, strlen(ev->actor));
    hash_field(&st, ev->type, strlen(ev->type));
    hash_field(&st, payload, strlen(payload));
    crypto_generichash_final(&st, out, YS_HASH_BYTES);
}

ys_rc ys_event_chain(ys_event *ev, int64_t prev_seq, const uint8_t prev_hash[YS_HASH_BYTES],
                     ys_err *err)
{
    ev->seq = prev_seq + 1;
    memcpy(ev->prev_hash, prev_hash, YS_HASH_BYTES);
    if (!ev->payload_text) {
        ev->payload_text = ys_json_canonical(ev->payload);
        if (!ev->payload_text)
            return ys_fail(err, YS_NOMEM, NULL, "out of memory encoding event %lld",
                           (long long)ev->seq);
    }
    ys_event_hash(ev, ev->hash);
    return YS_OK;
}

void ys_hash_hex(const uint8_t h[YS_HASH_BYTES], char out[YS_HASH_HEX])
{
    sodium_bin2hex(out, YS_HASH_HEX, h, YS_HASH_BYTES);
}

int ys_hash_from_hex(const char *hex, uint8_t out[YS_HASH_BYTES])
{
    size_t len = 0;
    if (!hex || strlen(hex) != YS_HASH_BYTES * 2)
        return -1;
    if (sodium_hex2bin(out, YS_HASH_BYTES, hex, strlen(hex), NULL, &len, NULL) || len != YS_HASH_BYTES)
        return -1;
    return 0;
}
