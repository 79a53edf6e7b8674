/* digest_v1.c — the state digest of version 1, which checkpoints of files written before the incremental
 * digest hold: the whole state hashed in one canonical order. Frozen: it is part of those files' format. */
#include "core/digest.h"

#include "yishi/poll.h"
#include "yishi/speech.h"

#include <string.h>

typedef ys__dig dig;

static void dig_raw(dig *d, const void *p, size_t n) { ys__dig_raw(d, p, n); }

/* Variable-length fields go in with their length, so that ("ab","c") and ("a","bc") digest differently. */
static void dig_bytes(dig *d, const void *p, size_t n)
{
    uint64_t len = n;
    dig_raw(d, &len, sizeof len);
    dig_raw(d, p, n);
}
static void dig_str(dig *d, const char *s) { dig_bytes(d, s ? s : "", s ? strlen(s) : 0); }
static void dig_int(dig *d, long long v) { dig_raw(d, &v, sizeof v); }
static void dig_byte(dig *d, uint8_t v) { dig_raw(d, &v, 1); }

static void dig_people(dig *st, const ys_session *s)
{
    for (size_t i = 0; i < s->n_posts; i++) {
        dig_int(st, s->posts[i].rank);
        dig_str(st, s->posts[i].title);
    }
    for (size_t i = 0; i < s->n_delegations; i++) {
        dig_str(st, s->delegations[i].name);
        dig_int(st, s->delegations[i].members);
    }
    for (size_t i = 0; i < s->n_delegates; i++) {
        const ys_delegate *d = &s->delegates[i];
        dig_str(st, d->code), dig_str(st, d->name), dig_int(st, d->gender);
        dig_str(st, d->ethnicity), dig_int(st, d->delegation), dig_str(st, d->seat);
        dig_int(st, d->roles), dig_int(st, d->post), dig_int(st, d->entitled);
    }
    for (size_t i = 0; i < s->n_attendees; i++) {
        const ys_attendee *a = &s->attendees[i];
        dig_str(st, a->name), dig_int(st, a->kind), dig_int(st, a->post), dig_str(st, a->affiliation);
    }
}

static void dig_business(dig *st, const ys_session *s)
{
    for (size_t i = 0; i < s->n_documents; i++) {
        const ys_document *d = &s->documents[i];
        dig_str(st, d->title);
        for (size_t k = 0; k < d->n_versions; k++) {
            dig_int(st, d->versions[k].number), dig_str(st, d->versions[k].hash);
            dig_int(st, d->versions[k].size), dig_str(st, d->versions[k].note);
        }
    }
    for (size_t i = 0; i < s->n_items; i++) {
        const ys_item *it = &s->items[i];
        dig_int(st, it->order), dig_int(st, it->kind), dig_str(st, it->title);
        dig_str(st, it->presenter), dig_int(st, it->document);
    }
    for (size_t i = 0; i < s->n_meetings; i++) {
        const ys_meeting *m = &s->meetings[i];
        dig_int(st, m->kind), dig_str(st, m->title), dig_int(st, m->delegation), dig_int(st, m->open);
        dig_str(st, m->opened_at), dig_str(st, m->closed_at);
        dig_int(st, m->present), dig_int(st, m->on_leave);
        for (size_t k = 0; k < s->n_delegates; k++)
            dig_byte(st, (uint8_t)ys_meeting_presence(m, (int)k + 1));
    }
}

static void dig_speeches(dig *st, const ys_session *s)
{
    for (size_t i = 0; i < s->n_speeches; i++) {
        const ys_speech *sp = &s->speeches[i];
        dig_int(st, sp->meeting), dig_int(st, sp->delegate), dig_int(st, sp->state);
        dig_str(st, sp->topic), dig_str(st, sp->summary);
        dig_str(st, sp->requested_at), dig_str(st, sp->started_at), dig_str(st, sp->ended_at);
    }
}

static void dig_votes(dig *st, const ys_session *s)
{
    for (size_t i = 0; i < s->n_polls; i++) {
        const ys_poll *p = &s->polls[i];
        dig_int(st, p->item), dig_str(st, p->title), dig_int(st, p->majority), dig_int(st, p->method);
        dig_int(st, p->named), dig_int(st, p->changeable), dig_int(st, p->amends), dig_int(st, p->state);
        dig_int(st, p->meeting), dig_int(st, p->voted), dig_int(st, p->result.passed), dig_str(st, p->announcement);
        /* What the ballot box holds is outside the chain until the close records it, so an open
         * sealed poll's running tally is left out: replay reaches it only after the last event. */
        bool sealed_open = !p->named && p->method == YS_METHOD_TERMINAL && p->state != YS_POLL_CLOSED;
        if (!sealed_open) {
            dig_int(st, p->yes), dig_int(st, p->no), dig_int(st, p->abstain);
            dig_bytes(st, p->box, YS_HASH_BYTES);
        }
        for (size_t k = 0; k < s->n_delegates; k++)
            dig_byte(st, k < p->choice_cap ? p->choice[k] : 0);
    }
    for (size_t i = 0; i < s->n_elections; i++) {
        const ys_session_election *el = &s->elections[i];
        dig_int(st, el->item), dig_int(st, el->kind), dig_str(st, el->office), dig_int(st, el->seats);
        dig_int(st, el->office_seats), dig_int(st, el->by_election), dig_int(st, el->round_of);
        dig_int(st, el->round), dig_int(st, el->state), dig_int(st, el->meeting), dig_int(st, el->issued);
        dig_int(st, el->returned), dig_str(st, el->announcement);
        if (el->state == YS_POLL_CLOSED)
            dig_bytes(st, el->box, YS_HASH_BYTES);
        for (size_t k = 0; k < el->n_nominees; k++)
            dig_str(st, el->nominees[k].name), dig_str(st, el->nominees[k].by);
        for (size_t k = 0; k < s->n_delegates; k++)
            dig_byte(st, (uint8_t)((k < el->voted_cap ? el->voted[k] : 0) | (k < el->issued_cap ? el->issued_to[k] << 1 : 0)));
        dig_str(st, el->result_text);
    }
}

void ys__digest_v1(const ys_session *s, uint8_t out[YS_HASH_BYTES])
{
    dig d;
    ys__dig_init(&d);
    dig_str(&d, s->assembly), dig_str(&d, s->term), dig_str(&d, s->name);
    dig_str(&d, s->rules_digest);
    dig_int(&d, s->entitled), dig_int(&d, s->current_meeting), dig_int(&d, s->seq);
    dig_bytes(&d, s->head, YS_HASH_BYTES);
    dig_people(&d, s);
    dig_business(&d, s);
    dig_votes(&d, s);
    dig_speeches(&d, s);
    ys__dig_final(&d, out);
}
