/* digest.c — the state digest (version 2): a BLAKE2b hash of each record of the state, summed mod 2^256
 * and kept current as the fold changes records, so that reading it costs the same at 500 delegates as at
 * 100,000. The format is docs/design.md's "The state digest"; a full recompute checks the sum kept. */
#include "core/digest.h"

#include "yishi/hall.h"
#include "yishi/key.h"
#include "yishi/meeting.h"
#include "yishi/motion.h"
#include "yishi/opinion.h"
#include "yishi/vkey.h"
#include "yishi/vstate.h"
#include "yishi/poll.h"
#include "yishi/speech.h"

#include <string.h>

void ys__dig_init(ys__dig *d)
{
    d->n = 0;
    crypto_generichash_init(&d->st, NULL, 0, YS_HASH_BYTES);
}

static void dig_flush(ys__dig *d)
{
    crypto_generichash_update(&d->st, d->buf, d->n);
    d->n = 0;
}

void ys__dig_raw(ys__dig *d, const void *p, size_t n)
{
    if (d->n + n > sizeof d->buf)
        dig_flush(d);
    if (n > sizeof d->buf) {
        crypto_generichash_update(&d->st, p, n);
        return;
    }
    memcpy(d->buf + d->n, p, n);
    d->n += n;
}

void ys__dig_final(ys__dig *d, uint8_t out[YS_HASH_BYTES])
{
    dig_flush(d);
    crypto_generichash_final(&d->st, out, YS_HASH_BYTES);
}

void ys__sum_add(uint8_t sum[YS_HASH_BYTES], const uint8_t h[YS_HASH_BYTES])
{
    unsigned carry = 0;
    for (int i = 0; i < YS_HASH_BYTES; i++) {
        unsigned v = sum[i] + h[i] + carry;
        sum[i] = (uint8_t)v;
        carry = v >> 8;
    }
}

static void sum_sub(uint8_t sum[YS_HASH_BYTES], const uint8_t h[YS_HASH_BYTES])
{
    int borrow = 0;
    for (int i = 0; i < YS_HASH_BYTES; i++) {
        int v = sum[i] - h[i] - borrow;
        sum[i] = (uint8_t)v;
        borrow = v < 0;
    }
}

/* ---- the encoding: whole numbers as 8 bytes little-endian, text after its length ---- */

static void put_int(ys__dig *d, int64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)((uint64_t)v >> (8 * i));
    ys__dig_raw(d, b, sizeof b);
}

/* The length keeps ("ab","c") and ("a","bc") apart; no text at all (NULL) has the length 2^64 - 1, so
 * that it is not the empty text. */
static void put_str(ys__dig *d, const char *s)
{
    put_int(d, s ? (int64_t)strlen(s) : -1);
    if (s)
        ys__dig_raw(d, s, strlen(s));
}

/* ---- the records: each writes its fields and says whether it exists ---- */

typedef bool (*record_fn)(const ys_session *s, int a, int b, ys__dig *d);

static bool in_range(int id, size_t n) { return id >= 1 && (size_t)id <= n; }

static bool rec_post(const ys_session *s, int a, int b, ys__dig *d)
{
    (void)b;
    if (!in_range(a, s->n_posts))
        return false;
    put_int(d, s->posts[a - 1].rank), put_str(d, s->posts[a - 1].title);
    return true;
}

static bool rec_delegation(const ys_session *s, int a, int b, ys__dig *d)
{
    (void)b;
    if (!in_range(a, s->n_delegations))
        return false;
    put_str(d, s->delegations[a - 1].name), put_int(d, s->delegations[a - 1].members);
    return true;
}

static bool rec_delegate(const ys_session *s, int a, int b, ys__dig *d)
{
    (void)b;
    if (!in_range(a, s->n_delegates))
        return false;
    const ys_delegate *x = &s->delegates[a - 1];
    put_str(d, x->code), put_str(d, x->name), put_int(d, x->gender), put_str(d, x->ethnicity);
    put_int(d, x->delegation), put_str(d, x->seat), put_int(d, x->roles), put_int(d, x->post), put_int(d, x->entitled);
    return true;
}

static bool rec_attendee(const ys_session *s, int a, int b, ys__dig *d)
{
    (void)b;
    if (!in_range(a, s->n_attendees))
        return false;
    const ys_attendee *x = &s->attendees[a - 1];
    put_str(d, x->name), put_int(d, x->kind), put_int(d, x->post), put_str(d, x->affiliation);
    return true;
}

static bool rec_document(const ys_session *s, int a, int b, ys__dig *d)
{
    (void)b;
    if (!in_range(a, s->n_documents))
        return false;
    put_str(d, s->documents[a - 1].title);
    return true;
}

static bool rec_version(const ys_session *s, int a, int b, ys__dig *d)
{
    if (!in_range(a, s->n_documents) || !in_range(b, s->documents[a - 1].n_versions))
        return false;
    const ys_doc_version *v = &s->documents[a - 1].versions[b - 1];
    put_str(d, v->hash), put_int(d, v->size), put_str(d, v->note), put_str(d, v->time);
    return true;
}

static bool rec_item(const ys_session *s, int a, int b, ys__dig *d)
{
    (void)b;
    if (!in_range(a, s->n_items))
        return false;
    const ys_item *x = &s->items[a - 1];
    put_int(d, x->order), put_int(d, x->kind), put_str(d, x->title), put_str(d, x->presenter), put_int(d, x->document);
    return true;
}

static bool rec_meeting(const ys_session *s, int a, int b, ys__dig *d)
{
    (void)b;
    if (!in_range(a, s->n_meetings))
        return false;
    const ys_meeting *m = &s->meetings[a - 1];
    put_int(d, m->kind), put_str(d, m->title), put_int(d, m->delegation), put_int(d, m->open);
    put_str(d, m->opened_at), put_str(d, m->closed_at), put_int(d, m->present), put_int(d, m->on_leave);
    if (m->item) /* nothing before the chair names an item, so the digests of files from before it stay */
        put_int(d, m->item);
    return true;
}

/* Absent is no record: a delegate added later costs the meetings nothing. */
static bool rec_attendance(const ys_session *s, int a, int b, ys__dig *d)
{
    if (!in_range(a, s->n_meetings) || !in_range(b, s->n_delegates))
        return false;
    ys_presence p = ys_meeting_presence(&s->meetings[a - 1], b);
    if (p == YS_ABSENT)
        return false;
    put_int(d, p), put_str(d, ys_meeting_leave_reason(&s->meetings[a - 1], b));
    return true;
}

static bool rec_speech(const ys_session *s, int a, int b, ys__dig *d)
{
    (void)b;
    if (!in_range(a, s->n_speeches))
        return false;
    const ys_speech *x = &s->speeches[a - 1];
    put_int(d, x->meeting), put_int(d, x->delegate), put_int(d, x->state), put_str(d, x->topic);
    put_str(d, x->summary), put_str(d, x->requested_at), put_str(d, x->started_at), put_str(d, x->ended_at);
    if (x->kind != YS_SPEECH_DELEGATE) /* a delegate's speech digests as before kinds were kept */
        put_int(d, x->kind);
    return true;
}

static void put_person(ys__dig *d, ys_person p) { put_int(d, p.delegate), put_int(d, p.attendee); }

/* A meeting as held, once it has anything of it (a meeting opened before dates were recorded has none): the
 * date, the people in their roles and the take-ups in the order recorded, and which speech took the floor
 * when. */
static bool rec_held(const ys_session *s, int a, int b, ys__dig *d)
{
    (void)b;
    if (!in_range(a, s->n_meetings))
        return false;
    const ys_meeting *m = &s->meetings[a - 1];
    if (!m->date[0] && !m->n_people && !m->n_takeups)
        return false;
    put_str(d, m->date), put_int(d, m->half_day), put_int(d, (int64_t)m->n_people);
    for (size_t i = 0; i < m->n_people; i++)
        put_int(d, m->people[i].role), put_person(d, m->people[i].who), put_str(d, m->people[i].group);
    put_int(d, (int64_t)m->n_takeups);
    for (size_t i = 0; i < m->n_takeups; i++) {
        const ys_takeup *t = &m->takeups[i];
        put_int(d, t->item), put_int(d, t->action), put_int(d, t->document), put_int(d, t->version);
        put_person(d, t->presenter), put_int(d, t->presents), put_str(d, t->body);
    }
    for (size_t i = 0; i < s->n_speeches; i++)
        if (s->speeches[i].meeting == a && s->speeches[i].spoke)
            put_int(d, s->speeches[i].id), put_int(d, s->speeches[i].spoke);
    return true;
}

static bool rec_bulletin(const ys_session *s, int a, int b, ys__dig *d)
{
    (void)b;
    if (!in_range(a, s->n_bulletins))
        return false;
    put_int(d, s->bulletins[a - 1].meeting), put_str(d, s->bulletins[a - 1].time);
    return true;
}

/* A motion with all it gathered: its text, each signature with its time, the presidium's decision and the
 * answer. */
static bool rec_motion(const ys_session *s, int a, int b, ys__dig *d)
{
    (void)b;
    if (!in_range(a, s->n_motions))
        return false;
    const ys_motion *m = &s->motions[a - 1];
    put_int(d, m->kind), put_int(d, m->by), put_int(d, m->state), put_int(d, m->lead), put_int(d, m->amends);
    put_str(d, m->title), put_str(d, m->grounds), put_str(d, m->plan), put_str(d, m->addressee);
    put_str(d, m->person), put_int(d, (int64_t)m->n_signatures);
    for (size_t i = 0; i < m->n_signatures; i++)
        put_int(d, m->signatures[i].delegate), put_str(d, m->signatures[i].at);
    put_int(d, m->decision), put_str(d, m->decision_note), put_str(d, m->answer), put_str(d, m->answered_by);
    put_int(d, m->satisfaction), put_int(d, m->withdrawn_with_consent), put_str(d, m->drafted_at);
    put_int(d, m->election);
    put_str(d, m->submitted_at), put_str(d, m->decided_at), put_str(d, m->answered_at);
    return true;
}

static bool rec_motion_deadline(const ys_session *s, int a, int b, ys__dig *d)
{
    (void)b;
    if (a < 1 || a >= (int)(sizeof s->motion_deadlines / sizeof s->motion_deadlines[0]) || !s->motion_deadlines[a][0])
        return false;
    put_str(d, s->motion_deadlines[a]);
    return true;
}

static bool rec_opinion(const ys_session *s, int a, int b, ys__dig *d)
{
    (void)b;
    if (!in_range(a, s->n_opinions))
        return false;
    const ys_opinion *o = &s->opinions[a - 1];
    put_int(d, o->document), put_int(d, o->version), put_str(d, o->section), put_str(d, o->text);
    put_int(d, o->delegation), put_int(d, o->delegate), put_int(d, o->meeting), put_int(d, o->taken_up_in);
    put_str(d, o->at);
    return true;
}

static bool rec_explanation(const ys_session *s, int a, int b, ys__dig *d)
{
    (void)b;
    if (!in_range(a, s->n_explanations))
        return false;
    const ys_explanation *x = &s->explanations[a - 1];
    put_int(d, x->document), put_int(d, x->version), put_str(d, x->text), put_str(d, x->at);
    put_int(d, (int64_t)x->n_taken);
    for (size_t i = 0; i < x->n_taken; i++)
        put_int(d, x->taken[i]);
    return true;
}

static bool rec_poll(const ys_session *s, int a, int b, ys__dig *d)
{
    (void)b;
    if (!in_range(a, s->n_polls))
        return false;
    const ys_poll *p = &s->polls[a - 1];
    put_int(d, p->item), put_str(d, p->title), put_int(d, p->majority), put_int(d, p->method);
    put_int(d, p->named), put_int(d, p->changeable), put_int(d, p->amends), put_int(d, p->state);
    put_int(d, p->meeting), put_str(d, p->opened_at), put_str(d, p->closed_at), put_int(d, p->voted);
    put_int(d, p->totals_entered), put_int(d, p->closed_seq), put_str(d, p->announcement);
    if (p->motion) /* a poll deciding no motion digests as before motions were kept */
        put_int(d, p->motion);
    /* What the ballot box holds is outside the chain until the close records it, so an open sealed
     * poll's running tally is left out: replay reaches it only after the last event. */
    if (p->named || p->method != YS_METHOD_TERMINAL || p->state == YS_POLL_CLOSED) {
        put_int(d, p->yes), put_int(d, p->no), put_int(d, p->abstain);
        ys__dig_raw(d, p->box, YS_HASH_BYTES);
    }
    if (p->v) /* a verifiable poll: its key and how far its count has got (a poll with a box has none) */
        put_int(d, p->v->key), put_int(d, p->v->n_partials), put_int(d, p->counted);
    if (p->state == YS_POLL_CLOSED) {
        put_int(d, p->tally.entitled), put_int(d, p->tally.present), put_int(d, p->tally.not_voted);
        put_int(d, p->result.passed);
    }
    return true;
}

static bool rec_choice(const ys_session *s, int a, int b, ys__dig *d)
{
    if (!in_range(a, s->n_polls) || !in_range(b, s->polls[a - 1].choice_cap) || !s->polls[a - 1].choice[b - 1])
        return false;
    put_int(d, s->polls[a - 1].choice[b - 1]);
    return true;
}

static bool rec_election(const ys_session *s, int a, int b, ys__dig *d)
{
    (void)b;
    if (!in_range(a, s->n_elections))
        return false;
    const ys_session_election *el = &s->elections[a - 1];
    put_int(d, el->item), put_int(d, el->kind), put_str(d, el->office), put_int(d, el->seats);
    put_int(d, el->office_seats), put_int(d, el->by_election), put_int(d, el->round_of), put_int(d, el->round);
    put_int(d, el->state), put_int(d, el->meeting), put_str(d, el->opened_at), put_str(d, el->closed_at);
    put_int(d, el->issued), put_int(d, el->entitled), put_int(d, el->returned), put_int(d, el->closed_seq);
    put_str(d, el->announcement);
    put_str(d, el->result_text);
    if (el->state == YS_POLL_CLOSED) /* while open, the box fills outside the chain, as a poll's */
        ys__dig_raw(d, el->box, YS_HASH_BYTES);
    if (el->v) /* a verifiable one: its key and how far its count has got (an election with a box has none) */
        put_int(d, el->v->key), put_int(d, el->v->n_partials), put_int(d, el->v->counted);
    /* and where names were written in, how far the shuffles and their decryptions have got (a record
     * without write-ins digests as before them) */
    if (el->v && (el->v->n_shuffles || el->v->phase == YS_VPHASE_SHUFFLE))
        put_int(d, el->v->phase), put_int(d, el->v->n_shuffles), put_int(d, el->v->n_later[0]),
            put_int(d, el->v->n_later[1]);
    return true;
}

static bool rec_nominee(const ys_session *s, int a, int b, ys__dig *d)
{
    if (!in_range(a, s->n_elections) || !in_range(b, s->elections[a - 1].n_nominees))
        return false;
    put_str(d, s->elections[a - 1].nominees[b - 1].name), put_str(d, s->elections[a - 1].nominees[b - 1].by);
    return true;
}

static bool rec_voter(const ys_session *s, int a, int b, ys__dig *d)
{
    if (!in_range(a, s->n_elections) || !in_range(b, s->n_delegates))
        return false;
    const ys_session_election *el = &s->elections[a - 1];
    int issued = (size_t)b <= el->issued_cap && el->issued_to[b - 1];
    int voted = (size_t)b <= el->voted_cap && el->voted[b - 1];
    if (!issued && !voted)
        return false;
    put_int(d, issued), put_int(d, voted);
    return true;
}

static bool rec_hall(const ys_session *s, int a, int b, ys__dig *d)
{
    (void)b;
    if (a != 1 || !s->hall)
        return false;
    put_int(d, s->hall->generation), put_int(d, (int64_t)s->hall->n_tiers), put_int(d, (int64_t)s->hall->n_blocks);
    put_int(d, (int64_t)s->hall->n_seats);
    return true;
}

static bool rec_hall_tier(const ys_session *s, int a, int b, ys__dig *d)
{
    (void)b;
    if (!s->hall || !in_range(a, s->hall->n_tiers))
        return false;
    const ys_hall_tier *t = &s->hall->tiers[a - 1];
    put_int(d, t->floor), put_str(d, t->name), put_int(d, (int64_t)t->first), put_int(d, (int64_t)t->n);
    return true;
}

static bool rec_hall_block(const ys_session *s, int a, int b, ys__dig *d)
{
    (void)b;
    if (!s->hall || !in_range(a, s->hall->n_blocks))
        return false;
    const ys_hall_block *x = &s->hall->blocks[a - 1];
    put_int(d, x->tier), put_str(d, x->name), put_int(d, x->delegation), put_int(d, (int64_t)x->first);
    put_int(d, (int64_t)x->n);
    return true;
}

static bool rec_hall_seat(const ys_session *s, int a, int b, ys__dig *d)
{
    (void)b;
    if (!s->hall || !in_range(a, s->hall->n_seats))
        return false;
    const ys_hall_seat *x = &s->hall->seats[a - 1];
    put_str(d, x->code), put_int(d, x->block), put_int(d, x->row), put_int(d, x->number);
    return true;
}

/* A key: its trustees and threshold, how far each trustee has got, the complaint, and the joint key once
 * known (the commitments and proofs are in the log, which the chain covers). */
static bool rec_key(const ys_session *s, int a, int b, ys__dig *d)
{
    (void)b;
    if (!in_range(a, s->n_keys))
        return false;
    const ys_key *k = &s->keys[a - 1];
    char joint[45] = "";
    put_int(d, k->n), put_int(d, k->k), put_int(d, k->state), put_str(d, k->created_at), put_str(d, k->completed_at);
    for (int i = 0; i < k->n; i++) {
        const ys_key_trustee *t = &k->trustees[i];
        put_str(d, t->login), put_int(d, t->committed), put_int(d, t->shared), put_int(d, t->ready);
    }
    put_int(d, k->complaint_by), put_int(d, k->complaint_against), put_str(d, k->complaint);
    if (ys_vkey_committed(k->v) && ys_vkey_joint_key(k->v, joint, NULL) == YS_OK)
        put_str(d, joint);
    return true;
}

static const record_fn records[] = {
    [YS_REC_POST] = rec_post,           [YS_REC_DELEGATION] = rec_delegation, [YS_REC_DELEGATE] = rec_delegate,
    [YS_REC_ATTENDEE] = rec_attendee,   [YS_REC_DOCUMENT] = rec_document,     [YS_REC_VERSION] = rec_version,
    [YS_REC_ITEM] = rec_item,           [YS_REC_MEETING] = rec_meeting,       [YS_REC_ATTENDANCE] = rec_attendance,
    [YS_REC_SPEECH] = rec_speech,       [YS_REC_POLL] = rec_poll,             [YS_REC_CHOICE] = rec_choice,
    [YS_REC_ELECTION] = rec_election,   [YS_REC_NOMINEE] = rec_nominee,       [YS_REC_VOTER] = rec_voter,
    [YS_REC_HALL] = rec_hall,           [YS_REC_HALL_TIER] = rec_hall_tier,   [YS_REC_HALL_BLOCK] = rec_hall_block,
    [YS_REC_HALL_SEAT] = rec_hall_seat, [YS_REC_KEY] = rec_key,
    [YS_REC_HELD] = rec_held,           [YS_REC_BULLETIN] = rec_bulletin,
    [YS_REC_MOTION] = rec_motion,       [YS_REC_MOTION_DEADLINE] = rec_motion_deadline,
    [YS_REC_OPINION] = rec_opinion,     [YS_REC_EXPLANATION] = rec_explanation,
};

/* H(record) = BLAKE2b-256("yishi.state.record.2" ‖ kind ‖ a ‖ b ‖ fields); false when it does not exist. */
static bool record_hash(const ys_session *s, ys_rec kind, int a, int b, uint8_t out[YS_HASH_BYTES])
{
    ys__dig d;
    ys__dig_init(&d);
    put_str(&d, "yishi.state.record.2"), put_int(&d, kind), put_int(&d, a), put_int(&d, b);
    if (!records[kind](s, a, b, &d))
        return false;
    ys__dig_final(&d, out);
    return true;
}

void ys__rec_out(ys_session *s, ys_rec kind, int a, int b)
{
    uint8_t h[YS_HASH_BYTES];
    if (record_hash(s, kind, a, b, h))
        sum_sub(s->digest_sum, h);
}

void ys__rec_in(ys_session *s, ys_rec kind, int a, int b)
{
    uint8_t h[YS_HASH_BYTES];
    if (record_hash(s, kind, a, b, h))
        ys__sum_add(s->digest_sum, h);
}

/* ---- the digest: the session's own fields, the log's head, and the records' sum ---- */

static void digest_of_sum(const ys_session *s, const uint8_t sum[YS_HASH_BYTES], uint8_t out[YS_HASH_BYTES])
{
    ys__dig d;
    ys__dig_init(&d);
    put_str(&d, "yishi.state.2");
    put_str(&d, s->assembly), put_str(&d, s->term), put_str(&d, s->name), put_str(&d, s->rules_digest);
    put_int(&d, s->entitled), put_int(&d, s->current_meeting), put_int(&d, s->seq);
    ys__dig_raw(&d, s->head, YS_HASH_BYTES);
    ys__dig_raw(&d, sum, YS_HASH_BYTES);
    ys__dig_final(&d, out);
}

void ys_session_digest(const ys_session *s, uint8_t out[YS_HASH_BYTES]) { digest_of_sum(s, s->digest_sum, out); }

/* Records named by a first id `a` (0 for kinds named by one id) and a second one from 1 to n. */
static void sum_records(const ys_session *s, ys_rec kind, int a, size_t n, uint8_t sum[YS_HASH_BYTES])
{
    uint8_t h[YS_HASH_BYTES];
    for (size_t i = 1; i <= n; i++)
        if (a ? record_hash(s, kind, a, (int)i, h) : record_hash(s, kind, (int)i, 0, h))
            ys__sum_add(sum, h);
}

void ys_session_digest_full(const ys_session *s, uint8_t out[YS_HASH_BYTES])
{
    uint8_t sum[YS_HASH_BYTES] = {0};
    sum_records(s, YS_REC_POST, 0, s->n_posts, sum);
    sum_records(s, YS_REC_DELEGATION, 0, s->n_delegations, sum);
    sum_records(s, YS_REC_DELEGATE, 0, s->n_delegates, sum);
    sum_records(s, YS_REC_ATTENDEE, 0, s->n_attendees, sum);
    sum_records(s, YS_REC_DOCUMENT, 0, s->n_documents, sum);
    for (size_t i = 0; i < s->n_documents; i++)
        sum_records(s, YS_REC_VERSION, (int)i + 1, s->documents[i].n_versions, sum);
    sum_records(s, YS_REC_ITEM, 0, s->n_items, sum);
    sum_records(s, YS_REC_MEETING, 0, s->n_meetings, sum);
    for (size_t i = 0; i < s->n_meetings; i++)
        sum_records(s, YS_REC_ATTENDANCE, (int)i + 1, s->n_delegates, sum);
    sum_records(s, YS_REC_SPEECH, 0, s->n_speeches, sum);
    sum_records(s, YS_REC_POLL, 0, s->n_polls, sum);
    for (size_t i = 0; i < s->n_polls; i++)
        sum_records(s, YS_REC_CHOICE, (int)i + 1, s->n_delegates, sum);
    sum_records(s, YS_REC_ELECTION, 0, s->n_elections, sum);
    for (size_t i = 0; i < s->n_elections; i++) {
        sum_records(s, YS_REC_NOMINEE, (int)i + 1, s->elections[i].n_nominees, sum);
        sum_records(s, YS_REC_VOTER, (int)i + 1, s->n_delegates, sum);
    }
    sum_records(s, YS_REC_KEY, 0, s->n_keys, sum);
    sum_records(s, YS_REC_HELD, 0, s->n_meetings, sum);
    sum_records(s, YS_REC_BULLETIN, 0, s->n_bulletins, sum);
    sum_records(s, YS_REC_MOTION, 0, s->n_motions, sum);
    sum_records(s, YS_REC_MOTION_DEADLINE, 0, YS_MOTION_KINDS, sum);
    sum_records(s, YS_REC_OPINION, 0, s->n_opinions, sum);
    sum_records(s, YS_REC_EXPLANATION, 0, s->n_explanations, sum);
    if (s->hall) {
        sum_records(s, YS_REC_HALL, 0, 1, sum);
        sum_records(s, YS_REC_HALL_TIER, 0, s->hall->n_tiers, sum);
        sum_records(s, YS_REC_HALL_BLOCK, 0, s->hall->n_blocks, sum);
        sum_records(s, YS_REC_HALL_SEAT, 0, s->hall->n_seats, sum);
    }
    digest_of_sum(s, sum, out);
}

bool ys_session_digest_of(const ys_session *s, int version, uint8_t out[YS_HASH_BYTES])
{
    if (version == 1)
        ys__digest_v1(s, out);
    else if (version == YS_DIGEST_VERSION)
        ys_session_digest(s, out);
    else
        return false;
    return true;
}
