/* recount.c — verify's recount of every closed anonymous poll and election from its ballot box: the
 * totals, the count and the box's multiset hash must equal what the close event recorded. */
#include "yishi/poll.h"

#include "core/fold.h"
#include "core/payload.h"
#include "yishi/alloc.h"

#include <string.h>

typedef struct tally {
    int yes, no, abstain, n;
    uint8_t box[YS_HASH_BYTES];
    ys_election *count;      /* elections only */
} tally;

struct ys_recount {
    const ys_session *s;
    tally *polls;            /* by poll id - 1 */
    tally *elections;        /* by election id - 1 */
};

void ys_recount_free(ys_recount *r)
{
    if (!r)
        return;
    for (size_t i = 0; r->elections && i < r->s->n_elections; i++)
        ys_election_free(r->elections[i].count);
    ys_free(r->polls);
    ys_free(r->elections);
    ys_free(r);
}

ys_rc ys_recount_new(const ys_session *s, ys_recount **out, ys_err *err)
{
    ys_recount *r = ys_calloc(1, sizeof *r);
    ys_rc rc = YS_OK;
    *out = NULL;
    if (!r || !(r->polls = ys_calloc(s->n_polls + 1, sizeof *r->polls)) ||
        !(r->elections = ys_calloc(s->n_elections + 1, sizeof *r->elections))) {
        rc = ys_fail(err, YS_NOMEM, NULL, "out of memory starting a recount");
        goto out;
    }
    r->s = s;
    for (size_t i = 0; i < s->n_elections && !rc; i++)
        if (s->elections[i].state == YS_POLL_CLOSED)
            rc = ys__election_count_new(s, &s->elections[i], &r->elections[i].count, err);
    if (!rc) {
        *out = r;
        r = NULL;
    }
out:
    ys_recount_free(r);
    return rc;
}

static ys_rc add_poll_ballot(ys_recount *r, const ys_event *sealed, ys_err *err)
{
    long long id;
    const char *choice;
    ys_rc rc;
    if ((rc = ys_pl_int(sealed->payload, "poll", 1, (long long)r->s->n_polls, &id, err)) ||
        (rc = ys_pl_str(sealed->payload, "choice", &choice, err)))
        return rc;
    if (r->s->polls[id - 1].state != YS_POLL_CLOSED)
        return YS_OK; /* an open poll's box is loaded into the state, not recounted */
    tally *t = &r->polls[id - 1];
    switch (ys__choice_parse(choice)) {
    case YS_CHOICE_YES: t->yes++; break;
    case YS_CHOICE_NO: t->no++; break;
    case YS_CHOICE_ABSTAIN: t->abstain++; break;
    default: return ys_fail(err, YS_CORRUPT, "choice", "a ballot of poll %lld has choice '%s'", id, choice);
    }
    t->n++;
    ys_box_hash_add(t->box, sealed->hash, sealed->payload_text);
    return YS_OK;
}

static ys_rc add_election_ballot(ys_recount *r, const ys_event *sealed, ys_err *err)
{
    long long id;
    ys_rc rc = ys_pl_int(sealed->payload, "election", 1, (long long)r->s->n_elections, &id, err);
    if (rc || r->s->elections[id - 1].state != YS_POLL_CLOSED)
        return rc;
    tally *t = &r->elections[id - 1];
    if ((rc = ys__election_add_sealed(t->count, sealed->payload, err)))
        return rc;
    t->n++;
    ys_box_hash_add(t->box, sealed->hash, sealed->payload_text);
    return YS_OK;
}

ys_rc ys_recount_add(ys_recount *r, const ys_event *sealed, ys_err *err)
{
    if (strcmp(sealed->type, "poll.ballot") == 0)
        return add_poll_ballot(r, sealed, err);
    if (strcmp(sealed->type, "election.ballot") == 0)
        return add_election_ballot(r, sealed, err);
    return ys_fail(err, YS_CORRUPT, "type", "unknown kind of sealed ballot '%s'", sealed->type);
}

static ys_rc check_poll(const ys_poll *p, const tally *t, int64_t *bad_seq, ys_err *err)
{
    /* A verifiable poll has no box: its count follows from the decryptions the replay has checked. */
    if (p->state != YS_POLL_CLOSED || p->named || p->method != YS_METHOD_TERMINAL || p->v)
        return YS_OK;
    if (t->n != p->voted || t->yes != p->yes || t->no != p->no || t->abstain != p->abstain ||
        memcmp(t->box, p->box, YS_HASH_BYTES) != 0) {
        *bad_seq = p->closed_seq;
        return ys_fail(err, YS_CORRUPT, "poll",
                       "poll %d: the ballot box holds %d ballots (yes %d, no %d, abstain %d) but %d delegates voted and "
                       "the close recorded yes %d, no %d, abstain %d%s", p->id, t->n, t->yes, t->no, t->abstain,
                       p->voted, p->yes, p->no, p->abstain,
                       memcmp(t->box, p->box, YS_HASH_BYTES) ? "; the box's hash differs" : "");
    }
    return YS_OK;
}

static ys_rc check_election(const ys_session_election *el, const tally *t, int64_t *bad_seq, ys_err *err)
{
    ys_election_result *res = NULL;
    /* A verifiable election has no box: its ballots are in the chain, and its count follows from the
     * trustees' decryptions, which the replay has checked. */
    if (el->state != YS_POLL_CLOSED || el->v)
        return YS_OK;
    ys_rc rc = ys_election_result_get(t->count, &res, err);
    if (rc)
        return rc;
    json_t *recounted = ys_election_result_json(res);
    ys_election_result_free(res);
    if (!recounted)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory recounting election %d", el->id);
    bool same = json_equal(recounted, el->result) && t->n == el->returned &&
                memcmp(t->box, el->box, YS_HASH_BYTES) == 0;
    json_decref(recounted);
    if (same)
        return YS_OK;
    *bad_seq = el->closed_seq;
    return ys_fail(err, YS_CORRUPT, "election", "election %d: the recount of its ballot box (%d ballots, %d turned in) "
                   "differs from the result its close recorded", el->id, t->n, el->returned);
}

ys_rc ys_recount_check(ys_recount *r, int64_t *bad_seq, ys_err *err)
{
    ys_rc rc = YS_OK;
    *bad_seq = 0;
    for (size_t i = 0; i < r->s->n_polls && !rc; i++)
        rc = check_poll(&r->s->polls[i], &r->polls[i], bad_seq, err);
    for (size_t i = 0; i < r->s->n_elections && !rc; i++)
        rc = check_election(&r->s->elections[i], &r->elections[i], bad_seq, err);
    return rc;
}
