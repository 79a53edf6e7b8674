/* event.h — one entry of the session log, and the hash chain that links the entries.
 * Every accepted action is one event; the session's state is the fold of its events. */
#ifndef YISHI_EVENT_H
#define YISHI_EVENT_H

#include "yishi/error.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define YS_HASH_BYTES 32
#define YS_HASH_HEX (YS_HASH_BYTES * 2 + 1)

typedef struct ys_event {
    int64_t seq;                       /* 1, 2, 3 … assigned when chained */
    char time[32];                     /* UTC, ISO 8601 to the millisecond: 2024-01-23T15:00:00.000Z */
    char actor[96];                    /* who: "cli", "secretariat:zhang", "delegate:140101001" */
    char type[48];                     /* "delegate.add", "attendance.checkin" … */
    json_t *payload;                   /* owned reference */
    char *payload_text;                /* the exact text hashed and stored; owned; set by ys_event_chain */
    uint8_t prev_hash[YS_HASH_BYTES];
    uint8_t hash[YS_HASH_BYTES];
    /* A sealed event is the content of an anonymous or secret ballot. It is not chained and has no
     * seq, time or actor: it goes into the ballot box under a random id (kept in `hash`), so that
     * nothing links it to the chained event that records who voted. */
    bool sealed;
} ys_event;

/* The types of event, from the one table (events.def): YS_EV_SESSION_INIT … */
typedef enum ys_event_id {
#define YS_EVENT(id, type, apply, view, secret, tables, vote) YS_EV_##id,
#include "yishi/events.def"
#undef YS_EVENT
    YS_EV_N
} ys_event_id;

/* What a live stream shows of an event, per audience (events.def says what each means). */
typedef enum ys_event_view {
    YS_VIEW_ALL, YS_VIEW_ALL_BUT_RULES, YS_VIEW_ALL_BUT_MIX, YS_VIEW_TURNOUT, YS_VIEW_STAFF, YS_VIEW_NEVER, YS_VIEW_N
} ys_event_view;

/* Whether an event is a vote: named (who and what), a cast (who, for a ballot that is sealed), a ballot. */
typedef enum ys_event_vote { YS_VOTE_NONE, YS_VOTE_NAMED, YS_VOTE_CAST, YS_VOTE_BALLOT } ys_event_vote;

typedef struct ys_event_type {
    const char *name;       /* "poll.cast" */
    ys_event_view view;
    ys_event_vote vote;     /* YS_VOTE_BALLOT: sealed, never chained */
    const char *tables;     /* the projection tables it writes, separated by spaces; "" for none */
} ys_event_type;

extern const ys_event_type ys_event_types[YS_EV_N];
/* The type called `name`, or NULL when the table has none. */
const ys_event_type *ys_event_type_of(const char *name);

typedef struct ys_events {
    ys_event *v;
    size_t n, cap;
} ys_events;

void ys_events_init(ys_events *e);
void ys_events_free(ys_events *e);   /* frees every event and the array */
void ys_event_clear(ys_event *ev);   /* releases what one event owns */
/* Writes the time an event carries for unix time sec + nsec nanoseconds, in UTC to the millisecond:
 * "2024-01-23T15:00:00.123Z". The core reads no clock; the server and the command line pass it in. */
void ys_event_time(int64_t sec, long nsec, char out[32]);
/* Appends an event of `type` that takes over `payload` (a new reference; released on failure). */
ys_rc ys_events_add(ys_events *e, const char *time, const char *actor, const char *type,
                    json_t *payload, ys_err *err);

/* Appends a sealed event (see ys_event.sealed) taking over `payload`. */
ys_rc ys_events_add_sealed(ys_events *e, const char *type, json_t *payload, ys_err *err);

/* Fills seq, prev_hash, payload_text and hash, linking ev after (prev_seq, prev_hash). */
ys_rc ys_event_chain(ys_event *ev, int64_t prev_seq, const uint8_t prev_hash[YS_HASH_BYTES],
                     ys_err *err);
/* BLAKE2b-256 over the previous hash and the event's fields, each length-prefixed so that no two
 * different events encode alike. Uses payload_text as stored, never a re-serialisation. */
void ys_event_hash(const ys_event *ev, uint8_t out[YS_HASH_BYTES]);

void ys_hash_hex(const uint8_t h[YS_HASH_BYTES], char out[YS_HASH_HEX]);
int ys_hash_from_hex(const char *hex, uint8_t out[YS_HASH_BYTES]); /* 0 ok, -1 malformed */

/* The canonical text of a payload: compact, keys sorted, UTF-8 kept. ys_free() the result. */
char *ys_json_canonical(const json_t *payload);

/* json_dumps as jansson's, but NULL whenever memory ran out on the way (jansson's own can then return
 * text with a key missing); what yishi stores or sends as JSON text comes from here. ys_free() it. */
char *ys_json_dumps(const json_t *json, size_t flags);

/* json_loadb as jansson's, which can return a document with a character missing when memory runs out:
 * YS_OK with *out, YS_NOMEM (memory ran out; *out NULL), or YS_INVALID (not JSON: *jerr says where). */
ys_rc ys_json_loadb(const char *text, size_t len, size_t flags, json_t **out, json_error_t *jerr);

#endif
