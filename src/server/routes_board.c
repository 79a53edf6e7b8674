/* routes_board.c — a verifiable vote's public board, a page at a time: its context and every cast ballot as the
 * log holds it, in the order cast, so that a trustee (or anyone) can check every ballot and sum them before the
 * aggregates are decrypted (docs/verifiable.md §7, §8). Read from the file, never from the state. */
#include "server/routes.h"

#include "yishi/alloc.h"
#include "yishi/key.h"
#include "yishi/number.h"
#include "yishi/poll.h"
#include "yishi/reader.h"
#include "yishi/vstate.h"

#include <sodium.h>
#include <string.h>

/* A page of 72-candidate ballots is some 60 KB each: the largest page stays some 30 MB. */
#define PAGE_DEFAULT 50
#define PAGE_MAX 500

typedef struct board_page {
    ys_srv *srv;
    bool poll;
    int id;
    int64_t closed_seq;  /* the vote's close (0 while open): no ballot of it comes after */
    json_t *ballots;
    long limit;
    int64_t next;
} board_page;

/* The names on the vote's list: the candidates, or the poll's question. */
static json_t *names_of(const ys_poll *p, const ys_session_election *e)
{
    json_t *a = json_array();
    for (size_t i = 0; a && e && i < e->n_nominees; i++)
        if (json_array_append_new(a, json_string(e->nominees[i].name))) {
            json_decref(a);
            return NULL;
        }
    if (a && p && json_array_append_new(a, json_string(p->title))) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* The page's head: the vote, its state, the ballots cast, and the context a ballot is encrypted under (§4):
 * everything that goes into Q, beside the Q, B and P the open recorded. */
static json_t *board_head(const ys_session *s, bool poll, int id, int64_t *closed_seq, ys_err *err)
{
    const ys_poll *p = poll ? ys_poll_get(s, id) : NULL;
    const ys_session_election *e = poll ? NULL : ys_session_election_get(s, id);
    const ys_vstate *v = p ? p->v : e ? e->v : NULL;
    if (!v || !v->vote) {
        ys_fail(err, v ? YS_STATE : YS_NOT_FOUND, "id", v ? "%s %d is not open yet: its board is empty" :
                "no verifiable %s %d", poll ? "poll" : "election", id);
        return NULL;
    }
    char q[2 * YS_VHASH];
    sodium_bin2base64(q, sizeof q, ys_vvote_Q(v->vote), YS_VHASH, sodium_base64_VARIANT_ORIGINAL);
    ys_poll_state state = p ? p->state : e->state;
    *closed_seq = state == YS_POLL_CLOSED ? (p ? p->closed_seq : e->closed_seq) : 0;
    json_t *ctx = json_pack("{s:s, s:i, s:i, s:s, s:i, s:i, s:o, s:I, s:I, s:s}", "kind", poll ? "poll" : "election",
                            "id", id, "key", v->key, "session", s->session_id, "V", p ? v->entitled : e->entitled,
                            "S", p ? 1 : e->seats, "names", names_of(p, e), "B", (json_int_t)ys_vvote_B(v->vote), "P",
                            (json_int_t)ys_vvote_P(v->vote), "Q", q);
    json_t *o = ctx ? json_pack("{s:i, s:s, s:I, s:o}", poll ? "poll" : "election", id, "state",
                                ys_poll_state_word(state), "cast", (json_int_t)json_array_size(v->codes), "context",
                                ctx)
                    : NULL;
    if (!o)
        ys_fail(err, YS_NOMEM, NULL, "out of memory");
    return o;
}

/* Each cast of the vote, as logged: its event, the delegate and its code (what its proofs are bound to), the
 * ballot and its code h. */
static ys_rc board_event(const ys_event *ev, void *ud, ys_err *err)
{
    board_page *p = ud;
    if (p->closed_seq && ev->seq > p->closed_seq)
        return YS_CONFLICT; /* stops the scan: the vote's ballots are all behind */
    if (strcmp(ev->type, p->poll ? "poll.cast" : "election.cast") != 0 ||
        json_integer_value(json_object_get(ev->payload, p->poll ? "poll" : "election")) != p->id)
        return YS_OK;
    if ((long)json_array_size(p->ballots) >= p->limit) {
        p->next = ev->seq - 1;
        return YS_CONFLICT; /* the page is full */
    }
    json_int_t d = json_integer_value(json_object_get(ev->payload, "delegate"));
    const ys_session *s = ys_srv_read_begin(p->srv);
    const char *voter = d >= 1 && (size_t)d <= s->n_delegates ? s->delegates[d - 1].code : "";
    json_t *one = json_pack("{s:I, s:I, s:s, s:O, s:O}", "seq", (json_int_t)ev->seq, "delegate", d, "voter", voter,
                            "code", json_object_get(ev->payload, "code"), "ballot",
                            json_object_get(ev->payload, "ballot"));
    ys_srv_read_end(p->srv);
    if (!one || json_array_append_new(p->ballots, one))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory reading the board");
    return YS_OK;
}

static void board(const ys_srv_call *call, ys_srv_resp *resp, bool poll)
{
    long long after = 0, limit = PAGE_DEFAULT;
    const char *a = ys_srv_arg(call->req, "after"), *l = ys_srv_arg(call->req, "limit");
    ys_err err = {0};
    board_page p = {.srv = call->srv, .poll = poll, .id = ys_h_param_id(call, 0)};
    if ((a && ys_int_text(a, "after", 0, YS_SEQ_MAX, YS_INVALID, &after, &err)) ||
        (l && ys_int_text(l, "limit", 1, PAGE_MAX, YS_INVALID, &limit, &err))) {
        ys_srv_error(resp, YS_INVALID, &err);
        return;
    }
    p.limit = (long)limit;
    json_t *o = board_head(ys_srv_read_begin(call->srv), poll, p.id, &p.closed_seq, &err);
    ys_srv_read_end(call->srv);
    ys_rc rc = o && (p.ballots = json_array()) ? YS_OK : o ? ys_fail(&err, YS_NOMEM, NULL, "out of memory") : err.rc;
    if (!rc && call->srv->reader)
        rc = ys_reader_scan(call->srv->reader, after, board_event, &p, &err);
    if (rc == YS_CONFLICT)
        rc = YS_OK;
    json_t *ballots = p.ballots; /* the answer's from here: json_object_set_new takes it, set or not */
    if (!rc && (json_object_set_new(o, "ballots", ballots) ||
                json_object_set_new(o, "next", p.next ? json_integer(p.next) : json_null())))
        rc = ys_fail(&err, YS_NOMEM, NULL, "out of memory");
    else if (rc)
        json_decref(ballots);
    if (rc) {
        json_decref(o);
        ys_srv_error(resp, rc, &err);
        return;
    }
    ys_srv_json(resp, 200, o);
}

void ys_h_election_board(const ys_srv_call *call, ys_srv_resp *resp) { board(call, resp, false); }
void ys_h_poll_board(const ys_srv_call *call, ys_srv_resp *resp) { board(call, resp, true); }

/* ---- the write-ins' shuffles (§9), as logged ---- */

typedef struct shuffle_scan {
    int election;
    long long m;        /* the one asked for, or 0 for the list */
    json_t *list;       /* [ { m, trustee, seq } ] */
    json_t *found;      /* shuffle m: { election, m, trustee, seq, output, proof } */
} shuffle_scan;

static ys_rc shuffle_event(const ys_event *ev, void *ud, ys_err *err)
{
    shuffle_scan *sc = ud;
    const json_t *pl = ev->payload;
    if (strcmp(ev->type, "election.shuffle") != 0 || json_integer_value(json_object_get(pl, "election")) != sc->election)
        return YS_OK;
    json_int_t m = json_integer_value(json_object_get(pl, "m"));
    const json_t *trustee = json_object_get(pl, "trustee");
    if (sc->m == m) {
        sc->found = json_pack("{s:i, s:I, s:O, s:I, s:O, s:O}", "election", sc->election, "m", m, "trustee", trustee,
                              "seq", (json_int_t)ev->seq, "output", json_object_get(pl, "output"), "proof",
                              json_object_get(pl, "proof"));
        return sc->found ? YS_CONFLICT /* stops the scan: the one asked for is read */
                         : ys_fail(err, YS_NOMEM, NULL, "out of memory reading the shuffles");
    }
    json_t *one = json_pack("{s:I, s:O, s:I}", "m", m, "trustee", trustee, "seq", (json_int_t)ev->seq);
    if (!one || json_array_append_new(sc->list, one))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory reading the shuffles");
    return YS_OK;
}

/* The election's close (its shuffles are all behind it) and its key's k, or an error naming why there are none. */
static ys_rc shuffles_head(const ys_session *s, int id, int64_t *closed_seq, int *k, int *made, ys_err *err)
{
    const ys_session_election *e = ys_session_election_get(s, id);
    if (!e || !e->v)
        return ys_fail(err, YS_NOT_FOUND, "id", "no verifiable election %d", id);
    if (e->state != YS_POLL_CLOSED)
        return ys_fail(err, YS_STATE, "id", "election %d is not closed: nothing is shuffled before the close", id);
    const ys_key *key = ys_key_get(s, e->v->key);
    *closed_seq = e->closed_seq;
    *k = key ? key->k : 0;
    *made = e->v->n_shuffles;
    return YS_OK;
}

/* The answer: shuffle m as logged, or the list of those made. */
static json_t *shuffles_answer(shuffle_scan *sc, int k, ys_err *err)
{
    json_t *o = sc->m ? sc->found : json_pack("{s:i, s:i, s:O}", "election", sc->election, "k", k, "shuffles", sc->list);
    sc->found = NULL;
    if (!o && sc->m)
        ys_fail(err, YS_NOT_FOUND, "m", "shuffle %lld of election %d is not on the log", sc->m, sc->election);
    else if (!o)
        ys_fail(err, YS_NOMEM, NULL, "out of memory");
    return o;
}

void ys_h_election_shuffles(const ys_srv_call *call, ys_srv_resp *resp)
{
    const char *m = ys_srv_arg(call->req, "m");
    shuffle_scan sc = {.election = ys_h_param_id(call, 0)};
    int64_t closed_seq = 0;
    int k = 0, made = 0;
    ys_err err = {0};
    json_t *o = NULL;
    ys_rc rc = m ? ys_int_text(m, "m", 1, YS_VKEY_MAX_TRUSTEES, YS_INVALID, &sc.m, &err) : YS_OK;
    if (!rc) {
        rc = shuffles_head(ys_srv_read_begin(call->srv), sc.election, &closed_seq, &k, &made, &err);
        ys_srv_read_end(call->srv);
    }
    if (!rc && sc.m > made)
        rc = ys_fail(&err, YS_NOT_FOUND, "m", "election %d has %d of its %d shuffles, not shuffle %lld", sc.election,
                     made, k, sc.m);
    if (!rc && !(sc.list = json_array()))
        rc = ys_fail(&err, YS_NOMEM, NULL, "out of memory");
    if (!rc && call->srv->reader)
        rc = ys_reader_scan(call->srv->reader, closed_seq, shuffle_event, &sc, &err);
    if (rc == YS_CONFLICT)
        rc = YS_OK;
    if (!rc && !(o = shuffles_answer(&sc, k, &err)))
        rc = err.rc;
    json_decref(sc.list);
    json_decref(sc.found);
    if (rc) {
        ys_srv_error(resp, rc, &err);
        return;
    }
    ys_srv_json(resp, 200, o);
}
