/* election.c — elections held in the session (选举): creating, nominating (Art. 26), opening with
 * the list checked against the office's ratio (Art. 27), secret ballots, counting (Arts. 25, 29), and
 * the next round after ties or a shortfall. The count itself is the counting engine's. */
#include "yishi/poll.h"

#include "core/fold.h"
#include "core/payload.h"
#include "core/text.h"
#include "yishi/alloc.h"
#include "yishi/key.h"
#include "yishi/vstate.h"

#include <stdarg.h>
#include <string.h>

static const char *const round_keys[] = {"first", "further", "runoff"};

const ys_session_election *ys_session_election_get(const ys_session *s, int id)
{
    return id >= 1 && (size_t)id <= s->n_elections ? &s->elections[id - 1] : NULL;
}

ys_rc ys_election_turnout(const ys_session_election *el, ys_turnout *out, ys_err *err)
{
    memset(out, 0, sizeof *out);
    if (el->state == YS_POLL_CREATED)
        return ys_fail(err, YS_STATE, "election", "election %d is not open yet: it has no meeting and no ballots "
                       "issued", el->id);
    /* A ballot was issued to each delegate present at the opening; only they can hand one in. */
    *out = (ys_turnout){.entitled = el->entitled, .present = el->issued, .absent = el->entitled - el->issued,
                        .voted = el->returned, .not_voted = el->issued - el->returned};
    return YS_OK;
}

void ys_elections_free(ys_session *s)
{
    for (size_t i = 0; i < s->n_elections; i++) {
        ys_session_election *el = &s->elections[i];
        for (size_t k = 0; k < el->n_nominees; k++) {
            ys_free(el->nominees[k].name);
            ys_free(el->nominees[k].by);
        }
        ys_free(el->nominees);
        ys_free(el->voted);
        ys_free(el->issued_to);
        ys_free(el->announcement);
        ys_election_free(el->count);
        json_decref(el->result);
        ys_free(el->result_text);
        ys_vstate_free(el->v);
    }
    ys_free(s->elections);
}

static ys_rc get_election(const ys_session *s, int id, ys_poll_state want, const ys_session_election **out,
                          ys_err *err)
{
    const ys_session_election *el = ys_session_election_get(s, id);
    *out = NULL;
    if (!el)
        return ys_fail(err, YS_NOT_FOUND, "election", "no election %d", id);
    if (el->state != want)
        return ys_fail(err, YS_STATE, "election", "election %d (%s) is %s", id, ys_election_office_name(s, el),
                       ys_poll_state_phrase(el->state));
    *out = el;
    return YS_OK;
}

/* ---- creating and nominating ---- */

static json_t *create_payload(const ys_session *s, const ys_election_args *a, int round_of, ys_ballot_round round)
{
    json_t *p = json_pack("{s:i, s:i, s:s, s:s, s:i, s:i, s:b, s:i, s:s}", "id", (int)s->n_elections + 1, "item",
                          a->item, "kind", a->kind == YS_PRELIMINARY ? "preliminary" : "election", "office", a->office,
                          "seats", a->seats, "office_seats", a->office_seats, "by_election", a->by_election,
                          "round_of", round_of, "round", round_keys[round]);
    if (p && a->key && json_object_set_new(p, "key", json_integer(a->key))) {
        json_decref(p);
        p = NULL;
    }
    return p;
}

ys_rc ys_cmd_election_create(const ys_session *s, const ys_ctx *c, const ys_election_args *a, ys_events *out,
                             ys_err *err)
{
    if (!ys_session_initialized(s))
        return ys_fail(err, YS_STATE, NULL, "the session has not been initialised");
    if (!a->office || !ys_rules_office(s->rules, a->office))
        return ys_fail(err, YS_NOT_FOUND, "office", "rule set %s has no office '%s'", s->rules->id,
                       a->office ? a->office : "");
    if (a->seats < 1 || a->seats > 10000)
        return ys_fail(err, YS_INVALID, "seats", "seats must be from 1 to 10000");
    if (a->kind == YS_PRELIMINARY && (a->office_seats < 1 || a->office_seats > 10000))
        return ys_fail(err, YS_INVALID, "office_seats", "a preliminary needs the seats of the election it prepares");
    if (a->item && (a->item < 0 || (size_t)a->item > s->n_items))
        return ys_fail(err, YS_NOT_FOUND, "item", "no agenda item %d", a->item);
    if (a->item && s->items[a->item - 1].kind != YS_ITEM_ELECT)
        return ys_fail(err, YS_INVALID, "item", "agenda item %d (%s) is not an election (选举)", a->item,
                       s->items[a->item - 1].title);
    if (a->key && !ys_key_get(s, a->key))
        return ys_fail(err, YS_NOT_FOUND, "key", "no key %d", a->key);
    return ys_events_add(out, c->time, c->actor, "election.create", create_payload(s, a, 0, YS_ROUND_FIRST), err);
}

/* How many names a nominator may put up: the seats of the election (for a preliminary, of the
 * election it prepares) — Art. 26: 「不得超过应选名额」. */
int ys_election_nomination_limit(const ys_session_election *el)
{
    return el->kind == YS_PRELIMINARY ? el->office_seats : el->seats;
}

static bool nominated(const ys_session_election *el, const char *name)
{
    for (size_t i = 0; i < el->n_nominees; i++)
        if (strcmp(el->nominees[i].name, name) == 0)
            return true;
    return false;
}

/* How many names a delegate has co-signed in this election. */
int ys_election_cosigned_by(const ys_session_election *el, const char *code)
{
    int n = 0;
    size_t len = strlen(code);
    for (size_t i = 0; i < el->n_nominees; i++) {
        const char *by = el->nominees[i].by;
        if (strncmp(by, "delegates:", 10) != 0)
            continue;
        for (const char *at = by + 10; at && *at; at = strchr(at, ',') ? strchr(at, ',') + 1 : NULL)
            if (strncmp(at, code, len) == 0 && (at[len] == ',' || at[len] == '\0'))
                n++;
    }
    return n;
}

static int presidium_names(const ys_session_election *el)
{
    int n = 0;
    for (size_t i = 0; i < el->n_nominees; i++)
        n += strcmp(el->nominees[i].by, "presidium") == 0;
    return n;
}

/* Checks a group of co-signers and writes "delegates:CODE,CODE" into `by`. */
static ys_rc check_cosigners(const ys_session *s, const ys_session_election *el, const char *const *codes, size_t n,
                             char *by, size_t cap, ys_err *err)
{
    const ys_threshold *t = ys_office_nomination(s->rules, ys_rules_office(s->rules, el->office));
    size_t at = (size_t)snprintf(by, cap, "delegates:");
    for (size_t i = 0; i < n; i++) {
        const ys_delegate *d = codes[i] ? ys_delegate_by_code(s, codes[i]) : NULL;
        if (!d || !d->entitled)
            return ys_fail(err, YS_NOT_FOUND, "cosigners", "no delegate with code '%s'", codes[i] ? codes[i] : "");
        for (size_t k = 0; k < i; k++)
            if (strcmp(codes[k], codes[i]) == 0)
                return ys_fail(err, YS_INVALID, "cosigners", "%s signed twice", codes[i]);
        if (ys_election_cosigned_by(el, d->code) + 1 > ys_election_nomination_limit(el))
            return ys_fail(err, YS_CONFLICT, "cosigners", "%s (%s) has already co-signed %d names for %d seats (Art. 26)",
                           d->name, d->code, ys_election_cosigned_by(el, d->code), ys_election_nomination_limit(el));
        if (at + strlen(d->code) + 2 >= cap)
            return ys_fail(err, YS_TOO_LARGE, "cosigners", "too many co-signers");
        at += (size_t)snprintf(by + at, cap - at, "%s%s", i ? "," : "", d->code);
    }
    if (!t || !t->defined || !ys_threshold_met(t, (int)n, s->entitled))
        return ys_fail(err, YS_INVALID, "cosigners", "%zu co-signers; a nomination needs %d (%s)", n,
                       t && t->defined ? ys_threshold_min(t, s->entitled) : 0, t ? t->article : "");
    return YS_OK;
}

ys_rc ys_cmd_election_nominate(const ys_session *s, const ys_ctx *c, int election, const char *name,
                               const char *const *codes, size_t n_codes, ys_events *out, ys_err *err)
{
    const ys_session_election *el;
    char by[8192] = "presidium";
    const char *why = ys_text_problem(name, 64, true);
    ys_rc rc = get_election(s, election, YS_POLL_CREATED, &el, err);
    if (rc)
        return rc;
    if (why)
        return ys_fail(err, YS_INVALID, "name", "the candidate's name %s", why);
    if (nominated(el, name))
        return ys_fail(err, YS_CONFLICT, "name", "%s is already a candidate in election %d", name, election);
    if (codes && (rc = check_cosigners(s, el, codes, n_codes, by, sizeof by, err)))
        return rc;
    if (!codes && presidium_names(el) + 1 > ys_election_nomination_limit(el))
        return ys_fail(err, YS_CONFLICT, "name", "the presidium has nominated %d names for %d seats (Art. 26)",
                       presidium_names(el), ys_election_nomination_limit(el));
    return ys_events_add(out, c->time, c->actor, "election.nominate",
                         json_pack("{s:i, s:s, s:s}", "election", election, "name", name, "by", by), err);
}

/* ---- opening, voting, closing ---- */


/* The counting engine's spec for an election of the session; `names` must hold n_nominees. */
static ys_election_spec spec_of(const ys_session *s, const ys_session_election *el, int issued, const char **names)
{
    for (size_t i = 0; i < el->n_nominees; i++)
        names[i] = el->nominees[i].name;
    return (ys_election_spec){.kind = el->kind, .office = el->office, .seats = el->seats,
                              .office_seats = el->office_seats, .by_election = el->by_election,
                              .round = el->round, .entitled = el->state == YS_POLL_CREATED ? s->entitled : el->entitled,
                              .ballots_issued = issued,
                              .candidates = names, .n_candidates = el->n_nominees};
}

/* Starts a count as opening would: the engine checks the list against the ratio. */
static ys_rc start_count(const ys_session *s, const ys_session_election *el, int issued, ys_election **out,
                         ys_err *err)
{
    const char **names = ys_calloc(el->n_nominees + 1, sizeof *names);
    if (!names)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory opening election %d", el->id);
    ys_election_spec spec = spec_of(s, el, issued, names);
    ys_rc rc = ys_election_new(s->rules, &spec, out, err);
    ys_free(names);
    return rc;
}

ys_rc ys_cmd_election_open(const ys_session *s, const ys_ctx *c, int election, ys_events *out, ys_err *err)
{
    const ys_session_election *el;
    const ys_meeting *m;
    ys_election *probe = NULL;
    ys_rc rc;
    if ((rc = get_election(s, election, YS_POLL_CREATED, &el, err)) || (rc = ys__quorate_plenary(s, &m, err)))
        return rc;
    if (el->n_nominees == 0)
        return ys_fail(err, YS_STATE, "election", "election %d has no candidates yet", election);
    ys_attendance a = ys_meeting_attendance(s, m);
    if ((rc = start_count(s, el, a.present, &probe, err))) {
        if (rc == YS_CANDIDATES_OUTSIDE_RATIO && el->kind == YS_ELECTION && err)
            snprintf(err->msg + strlen(err->msg), sizeof err->msg - strlen(err->msg),
                     "; with more nominees than the list allows, hold a preliminary election (预选) first");
        /* A list the engine refuses is not yet ready to be opened; running out is still running out. */
        if (rc == YS_NOMEM || rc == YS_TOO_LARGE)
            return rc;
        return err ? (err->rc = YS_STATE) : YS_STATE;
    }
    ys_election_free(probe);
    json_t *p = json_pack("{s:i, s:i, s:i}", "election", election, "meeting", m->id, "issued", a.present);
    if (el->v && p && (rc = ys__election_v_open_payload(s, el, p, err))) {
        json_decref(p);
        return rc;
    }
    return ys_events_add(out, c->time, c->actor, "election.open", p, err);
}

static json_t *names_json(const char *const *names, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, json_string(names[i]))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static ys_rc check_ballot(const ys_session_election *el, const ys_ballot *b, ys_err *err)
{
    const char *const *lists[] = {b->yes, b->no};
    size_t ns[] = {b->n_yes, b->n_no};
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < ns[l]; i++)
            if (!lists[l][i] || !nominated(el, lists[l][i]))
                return ys_fail(err, YS_INVALID, l ? "no" : "yes", "%s is not a candidate in election %d",
                               lists[l][i] ? lists[l][i] : "(null)", el->id);
    for (size_t i = 0; i < b->n_write_in; i++) {
        const char *why = ys_text_problem(b->write_in[i], 64, true);
        if (why)
            return ys_fail(err, YS_INVALID, "write_in", "a written-in name %s", why);
    }
    if (b->n_write_in && el->kind == YS_PRELIMINARY)
        return ys_fail(err, YS_INVALID, "write_in", "a preliminary election takes no written-in names");
    return YS_OK;
}

const ys_delegate *ys__election_voter(const ys_session *s, const ys_session_election *el, const char *code,
                                      ys_err *err)
{
    const ys_delegate *d = ys__voter(s, el->meeting, code, err);
    if (!d)
        return NULL;
    /* Ballots were issued to those present when the election opened; a later arrival has none to hand
     * in, else more could come back than were issued and void the whole election (选举法 Art. 44). */
    if ((size_t)d->id > el->issued_cap || !el->issued_to[d->id - 1]) {
        ys_fail(err, YS_FORBIDDEN, "delegate", "%s (%s) was not present when the ballots of election %d were issued",
                d->name, d->code, el->id);
        return NULL;
    }
    if ((size_t)d->id <= el->voted_cap && el->voted[d->id - 1]) {
        ys_fail(err, YS_CONFLICT, "delegate", "%s (%s) has already turned in a ballot in election %d", d->name, d->code,
                el->id);
        return NULL;
    }
    return d;
}

ys_rc ys_cmd_election_vote(const ys_session *s, const ys_ctx *c, int election, const char *code,
                           const ys_ballot *b, ys_events *out, ys_err *err)
{
    const ys_session_election *el;
    ys_rc rc;
    if ((rc = get_election(s, election, YS_POLL_OPEN, &el, err)) || (rc = check_ballot(el, b, err)))
        return rc;
    if (el->v)
        return ys_fail(err, YS_STATE, "election", "election %d is verifiable: its ballots are encrypted on the "
                       "delegate's terminal, never entered in the clear", election);
    const ys_delegate *d = ys__election_voter(s, el, code, err);
    if (!d)
        return err ? err->rc : YS_FORBIDDEN;
    if ((rc = ys_events_add(out, c->time, c->actor, "election.cast",
                            json_pack("{s:i, s:i}", "election", election, "delegate", d->id), err)))
        return rc;
    json_t *marks = json_pack("{s:i, s:o, s:o, s:o}", "election", election, "yes", names_json(b->yes, b->n_yes), "no",
                              names_json(b->no, b->n_no), "write_in", names_json(b->write_in, b->n_write_in));
    return ys_events_add_sealed(out, "election.ballot", marks, err);
}

ys_rc ys_cmd_election_close(const ys_session *s, const ys_ctx *c, int election, ys_events *out, ys_err *err)
{
    const ys_session_election *el;
    ys_election_result *res = NULL;
    char box[YS_HASH_HEX];
    ys_rc rc;
    if ((rc = get_election(s, election, YS_POLL_OPEN, &el, err)))
        return rc;
    if (el->v) /* the aggregates, for the trustees to decrypt: the count comes with their decryptions */
        return ys_events_add(out, c->time, c->actor, "election.close", ys__election_v_close_payload(el), err);
    if ((rc = ys_election_result_get(el->count, &res, err)))
        return rc;
    ys_hash_hex(el->box, box);
    json_t *p = json_pack("{s:i, s:i, s:i, s:s, s:o}", "election", election, "issued", el->issued, "returned",
                          el->returned, "box", box, "result", ys_election_result_json(res));
    ys_election_result_free(res);
    return ys_events_add(out, c->time, c->actor, "election.close", p, err);
}

/* ---- the next round ---- */

static ys_rc add_round_nominees(const ys_session *s, const ys_ctx *c, const json_t *names, size_t limit,
                                const char *by, ys_events *out, ys_err *err)
{
    size_t i;
    const json_t *v;
    ys_rc rc = YS_OK;
    json_array_foreach(names, i, v) {
        if (i >= limit || rc)
            break;
        rc = ys_events_add(out, c->time, c->actor, "election.nominate",
                           json_pack("{s:i, s:s, s:s}", "election", (int)s->n_elections + 1, "name",
                                     json_string_value(v), "by", by), err);
    }
    return rc;
}

/* After a preliminary (Art. 27): the election itself, with the formal candidates in the order of
 * their preliminary votes. A tie at the cut must be settled before the list is known. */
static ys_rc formal_election(const ys_session *s, const ys_ctx *c, const ys_session_election *pre, ys_events *out,
                             ys_err *err)
{
    const json_t *res = pre->result;
    if (!json_is_true(json_object_get(res, "valid")))
        return ys_fail(err, YS_STATE, "election", "preliminary %d is void and must be held again", pre->id);
    if (json_integer_value(json_object_get(res, "tied_seats")) > 0)
        return ys_fail(err, YS_STATE, "election", "preliminary %d has a tie at the cut for %lld places; hold a new "
                       "preliminary among the tied first", pre->id,
                       (long long)json_integer_value(json_object_get(res, "tied_seats")));
    ys_election_args a = {.item = pre->item, .kind = YS_ELECTION, .office = pre->office, .seats = pre->office_seats,
                          .by_election = pre->by_election, .key = pre->v ? pre->v->key : 0};
    ys_rc rc = ys_events_add(out, c->time, c->actor, "election.create", create_payload(s, &a, pre->id, YS_ROUND_FIRST),
                             err);
    return rc ? rc : add_round_nominees(s, c, json_object_get(res, "formal"), SIZE_MAX, "preliminary", out, err);
}

ys_rc ys_cmd_election_next_round(const ys_session *s, const ys_ctx *c, int election, bool runoff,
                                 ys_events *out, ys_err *err)
{
    const ys_session_election *el;
    ys_rc rc = get_election(s, election, YS_POLL_CLOSED, &el, err);
    if (rc)
        return rc;
    const json_t *res = el->result;
    if (!res)
        return ys_fail(err, YS_STATE, "election", "election %d is still being counted", election);
    if (el->kind == YS_PRELIMINARY)
        return formal_election(s, c, el, out, err);
    const json_t *further = json_object_get(res, "further_round");
    int tied_seats = (int)json_integer_value(json_object_get(res, "tied_seats"));
    ys_election_args a = {.item = el->item, .kind = YS_ELECTION, .office = el->office, .by_election = el->by_election,
                          .key = el->v ? el->v->key : 0};
    if (runoff && tied_seats < 1)
        return ys_fail(err, YS_STATE, "election", "election %d has no tie to settle", election);
    if (!runoff && !json_is_object(further))
        return ys_fail(err, YS_STATE, "election", "election %d has no unfilled seats", election);
    a.seats = runoff ? tied_seats : (int)json_integer_value(json_object_get(further, "seats"));
    json_t *max = json_object_get(further, "max_candidates");
    size_t limit = runoff || !json_is_integer(max) ? SIZE_MAX : (size_t)json_integer_value(max);
    if ((rc = ys_events_add(out, c->time, c->actor, "election.create",
                            create_payload(s, &a, election, runoff ? YS_ROUND_RUNOFF : YS_ROUND_FURTHER), err)))
        return rc;
    return add_round_nominees(s, c, runoff ? json_object_get(res, "tied") : json_object_get(further, "ranked"), limit,
                              runoff ? "runoff" : "further_round", out, err);
}

/* ---- the fold ---- */

ys_rc ys__election_ref(ys_session *s, const json_t *p, ys_poll_state want, ys_session_election **out, ys_err *err)
{
    int id;
    *out = NULL;
    ys_rc rc = ys_fold_ref(p, "election", s->n_elections, false, &id, err);
    if (rc)
        return rc;
    *out = &s->elections[id - 1];
    if ((*out)->state != want)
        return ys_fail(err, YS_CORRUPT, "election", "election %d is not in the state this event needs", id);
    return YS_OK;
}

static int round_parse(const char *key)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(round_keys[i], key) == 0)
            return i;
    return -1;
}

ys_rc ys_apply_election_create(ys_session *s, const ys_event *ev, ys_err *err)
{
    const json_t *p = ev->payload;
    const char *kind, *office, *round;
    long long seats, office_seats;
    int item, round_of;
    bool by_election;
    ys_rc rc;
    if ((rc = ys_fold_next_id(p, s->n_elections, err)) || (rc = ys_pl_str(p, "kind", &kind, err)) ||
        (rc = ys_pl_str(p, "office", &office, err)) || (rc = ys_pl_str(p, "round", &round, err)) ||
        (rc = ys_pl_int(p, "seats", 1, 10000, &seats, err)) ||
        (rc = ys_pl_int(p, "office_seats", 0, 10000, &office_seats, err)) ||
        (rc = ys_pl_bool(p, "by_election", &by_election, err)) ||
        (rc = ys_fold_ref(p, "item", s->n_items, true, &item, err)) ||
        (rc = ys_fold_ref(p, "round_of", s->n_elections, true, &round_of, err)))
        return rc;
    if ((strcmp(kind, "election") && strcmp(kind, "preliminary")) || round_parse(round) < 0 ||
        strlen(office) >= YS_OFFICE_KEY_MAX)
        return ys_fail(err, YS_CORRUPT, "kind", "election event with unknown kind, round or office");
    if (ys_grow((void **)&s->elections, &s->cap_elections, s->n_elections + 1, sizeof *s->elections))
        return ys_fold_nomem(ev, err);
    ys_session_election *el = &s->elections[s->n_elections];
    memset(el, 0, sizeof *el);
    el->id = (int)s->n_elections + 1;
    el->item = item;
    el->kind = strcmp(kind, "preliminary") == 0 ? YS_PRELIMINARY : YS_ELECTION;
    snprintf(el->office, sizeof el->office, "%s", office);
    el->seats = (int)seats;
    el->office_seats = (int)office_seats;
    el->by_election = by_election;
    el->round_of = round_of;
    el->round = (ys_ballot_round)round_parse(round);
    el->state = YS_POLL_CREATED;
    if ((rc = ys__election_v_create(s, el, p, err)))
        return rc;
    s->n_elections++;
    ys__rec_in(s, YS_REC_ELECTION, el->id, 0);
    return YS_OK;
}

ys_rc ys_apply_election_nominate(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_session_election *el;
    const char *name, *by;
    ys_rc rc;
    if ((rc = ys__election_ref(s, ev->payload, YS_POLL_CREATED, &el, err)) ||
        (rc = ys_pl_str(ev->payload, "name", &name, err)) || (rc = ys_pl_str(ev->payload, "by", &by, err)))
        return rc;
    if (nominated(el, name))
        return ys_fail(err, YS_CORRUPT, "name", "%s nominated twice in election %d", name, el->id);
    if (ys_grow((void **)&el->nominees, &el->cap_nominees, el->n_nominees + 1, sizeof *el->nominees))
        return ys_fold_nomem(ev, err);
    ys_nomination *n = &el->nominees[el->n_nominees];
    n->name = ys_strdup(name);
    n->by = ys_strdup(by);
    if (!n->name || !n->by) {
        ys_free(n->name), ys_free(n->by);
        return ys_fold_nomem(ev, err);
    }
    el->n_nominees++;
    ys__rec_in(s, YS_REC_NOMINEE, el->id, (int)el->n_nominees);
    return YS_OK;
}

ys_rc ys_apply_election_open(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_session_election *el;
    int meeting;
    long long issued;
    ys_rc rc;
    if ((rc = ys__election_ref(s, ev->payload, YS_POLL_CREATED, &el, err)) ||
        (rc = ys_fold_ref(ev->payload, "meeting", s->n_meetings, false, &meeting, err)) ||
        (rc = ys_pl_int(ev->payload, "issued", 0, s->entitled, &issued, err)))
        return rc;
    if ((rc = start_count(s, el, (int)issued, &el->count, err)))
        return rc == YS_NOMEM ? rc : ys_fail(err, YS_CORRUPT, "election", "election %d cannot open: %s", el->id,
                                             err ? err->msg : "");
    const ys_meeting *m = ys_meeting_get(s, meeting);
    int present = 0;
    if (ys_fold_cover(&el->issued_to, &el->issued_cap, s->n_delegates))
        return ys_fold_nomem(ev, err);
    ys__rec_out(s, YS_REC_ELECTION, el->id, 0);
    for (size_t i = 0; i < s->n_delegates; i++) {
        ys__rec_out(s, YS_REC_VOTER, el->id, (int)i + 1);
        present += el->issued_to[i] = ys_meeting_presence(m, (int)i + 1) == YS_PRESENT;
        ys__rec_in(s, YS_REC_VOTER, el->id, (int)i + 1);
    }
    if (present != issued)
        return ys_fail(err, YS_CORRUPT, "issued", "election %d records %lld ballots issued but %d were present", el->id,
                       issued, present);
    el->state = YS_POLL_OPEN;
    el->meeting = meeting;
    el->issued = (int)issued;
    el->entitled = s->entitled;
    if (el->v && (rc = ys__election_v_open(s, el, ev->payload, err)))
        return rc;
    snprintf(el->opened_at, sizeof el->opened_at, "%s", ev->time);
    ys__rec_in(s, YS_REC_ELECTION, el->id, 0);
    return YS_OK;
}

ys_rc ys_apply_election_cast(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_session_election *el;
    int delegate;
    ys_rc rc;
    if ((rc = ys__election_ref(s, ev->payload, YS_POLL_OPEN, &el, err)) ||
        (rc = ys_fold_ref(ev->payload, "delegate", s->n_delegates, false, &delegate, err)))
        return rc;
    if (ys_fold_cover(&el->voted, &el->voted_cap, s->n_delegates))
        return ys_fold_nomem(ev, err);
    if (el->voted[delegate - 1])
        return ys_fail(err, YS_CORRUPT, "delegate", "a second ballot from delegate %d in election %d", delegate, el->id);
    if ((el->v != NULL) != (json_object_get(ev->payload, "ballot") != NULL))
        return ys_fail(err, YS_CORRUPT, "ballot", "election %d: a cast %s", el->id,
                       el->v ? "without its encrypted ballot" : "with an encrypted ballot in an election that has a box");
    if (el->v && (rc = ys__election_v_cast(s, el, ev->payload, err)))
        return rc;
    ys__rec_out(s, YS_REC_ELECTION, el->id, 0);
    ys__rec_out(s, YS_REC_VOTER, el->id, delegate);
    el->voted[delegate - 1] = 1;
    el->returned++;
    ys__rec_in(s, YS_REC_VOTER, el->id, delegate);
    ys__rec_in(s, YS_REC_ELECTION, el->id, 0);
    return YS_OK;
}

/* Reads a list of names out of a sealed ballot; `out` borrows the payload's strings. */
static ys_rc ballot_names(const json_t *p, const char *key, const char ***out, size_t *n, ys_err *err)
{
    const json_t *a = json_object_get(p, key), *v;
    size_t i;
    *n = json_array_size(a);
    *out = NULL;
    if (!json_is_array(a))
        return ys_fail(err, YS_CORRUPT, key, "sealed ballot without a '%s' list", key);
    if (*n && !(*out = ys_calloc(*n, sizeof **out)))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory counting a ballot");
    json_array_foreach(a, i, v) {
        if (!json_is_string(v))
            return ys_fail(err, YS_CORRUPT, key, "sealed ballot with a name that is not text");
        (*out)[i] = json_string_value(v);
    }
    return YS_OK;
}

ys_rc ys__election_add_sealed(ys_election *count, const json_t *payload, ys_err *err)
{
    const char **yes = NULL, **no = NULL, **write_in = NULL;
    ys_ballot b = {0};
    ys_rc rc = ballot_names(payload, "yes", &yes, &b.n_yes, err);
    if (!rc)
        rc = ballot_names(payload, "no", &no, &b.n_no, err);
    if (!rc)
        rc = ballot_names(payload, "write_in", &write_in, &b.n_write_in, err);
    b.yes = yes, b.no = no, b.write_in = write_in;
    if (!rc)
        rc = ys_election_add(count, &b, NULL, err);
    ys_free(yes), ys_free(no), ys_free(write_in);
    return rc;
}

ys_rc ys__apply_election_ballot(ys_session *s, const ys_event *sealed, ys_err *err)
{
    ys_session_election *el;
    ys_rc rc = ys__election_ref(s, sealed->payload, YS_POLL_OPEN, &el, err);
    if (!rc && el->n_box >= el->returned)
        rc = ys_fail(err, YS_CORRUPT, "election", "election %d has more ballots in its box than were turned in", el->id);
    if (!rc)
        rc = ys__election_add_sealed(el->count, sealed->payload, err);
    if (rc)
        return rc;
    ys__rec_out(s, YS_REC_ELECTION, el->id, 0); /* unchanged: an open election's box is out of the digest */
    el->n_box++;
    ys_box_hash_add(el->box, sealed->hash, sealed->payload_text);
    ys__rec_in(s, YS_REC_ELECTION, el->id, 0);
    return YS_OK;
}

ys_rc ys__election_count_new(const ys_session *s, const ys_session_election *el, ys_election **out, ys_err *err)
{
    return start_count(s, el, el->issued, out, err);
}

ys_rc ys_apply_election_close(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_session_election *el;
    long long returned;
    const char *box;
    ys_rc rc;
    if ((rc = ys__election_ref(s, ev->payload, YS_POLL_OPEN, &el, err)) ||
        (rc = ys_pl_int(ev->payload, "returned", 0, YS_COUNT_MAX_DELEGATES, &returned, err)))
        return rc;
    if (el->v) {
        if (returned != el->returned)
            return ys_fail(err, YS_CORRUPT, "returned", "election %d closes with %lld ballots but %d were cast", el->id,
                           returned, el->returned);
        return ys__election_v_close(s, el, ev, err);
    }
    if ((rc = ys_pl_str(ev->payload, "box", &box, err)))
        return rc;
    json_t *result = json_object_get(ev->payload, "result");
    ys__rec_out(s, YS_REC_ELECTION, el->id, 0);
    if (!json_is_object(result) || returned != el->returned || ys_hash_from_hex(box, el->box))
        return ys_fail(err, YS_CORRUPT, "result", "election %d closes with a result that does not match its turnout",
                       el->id);
    if ((rc = ys__election_set_result(s, el, ev, result, err)))
        return rc;
    ys_election_free(el->count);
    el->count = NULL;
    el->state = YS_POLL_CLOSED;
    el->closed_seq = ev->seq;
    snprintf(el->closed_at, sizeof el->closed_at, "%s", ev->time);
    ys__rec_in(s, YS_REC_ELECTION, el->id, 0);
    return YS_OK;
}

/* Records the result (and its canonical text, which the state digest reads without allocating). The caller
 * has taken the election's record out of the digest and puts it back. */
ys_rc ys__election_set_result(ys_session *s, ys_session_election *el, const ys_event *ev, const json_t *result,
                              ys_err *err)
{
    (void)s;
    el->result = json_deep_copy(result);
    el->result_text = ys_json_canonical(result);
    if (!el->result || !el->result_text) {
        json_decref(el->result);
        ys_free(el->result_text);
        el->result = NULL, el->result_text = NULL;
        return ys_fold_nomem(ev, err);
    }
    return YS_OK;
}

/* ---- the announcement ---- */

/* Appends to buf like snprintf would, keeping track of the length it needs. */
static void say(char *buf, size_t cap, size_t *at, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void say(char *buf, size_t cap, size_t *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(*at < cap ? buf + *at : NULL, *at < cap ? cap - *at : 0, fmt, ap);
    va_end(ap);
    if (n > 0)
        *at += (size_t)n;
}

static const json_t *candidate_named(const json_t *res, const char *name)
{
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(res, "candidates"), i, c)
        if (strcmp(json_string_value(json_object_get(c, "name")), name) == 0)
            return c;
    return NULL;
}

static void say_names(char *buf, size_t cap, size_t *at, const json_t *res, const json_t *names, const char *after)
{
    size_t i;
    const json_t *v;
    json_array_foreach(names, i, v) {
        const char *name = json_string_value(v);
        const json_t *c = candidate_named(res, name);
        say(buf, cap, at, "%s得赞成票%lld张%s", name, c ? (long long)json_integer_value(json_object_get(c, "yes")) : 0LL,
            after);
    }
}

const char *ys_election_office_name(const ys_session *s, const ys_session_election *el)
{
    const ys_office *o = ys_rules_office(s->rules, el->office);
    return o ? o->name : el->office;
}

size_t ys_election_announcement(const ys_session *s, const ys_session_election *el, char *buf, size_t cap)
{
    const json_t *res = el->result;
    static const char *const rounds[] = {"", "（另行选举）", "（再次投票）"};
    size_t at = 0;
    if (cap)
        buf[0] = '\0';
    if (!res)
        return 0;
    say(buf, cap, &at, "%s%s%s%s：应到代表%d人，发出选票%d张，收回选票%lld张，其中有效票%lld张，无效票%lld张。",
        el->by_election ? "补选" : "选举", ys_election_office_name(s, el), el->kind == YS_PRELIMINARY ? "预选" : "",
        rounds[el->round], s->entitled, el->issued, (long long)json_integer_value(json_object_get(res, "ballots_returned")),
        (long long)json_integer_value(json_object_get(res, "ballots_valid")),
        (long long)json_integer_value(json_object_get(res, "ballots_void")));
    if (!json_is_true(json_object_get(res, "valid"))) {
        say(buf, cap, &at, "收回选票多于发出选票，本次选举无效，应当重新进行选举。");
        return at;
    }
    say(buf, cap, &at, "本次选举有效。");
    if (el->kind == YS_PRELIMINARY)
        say_names(buf, cap, &at, res, json_object_get(res, "formal"), "，确定为正式候选人。");
    else
        say_names(buf, cap, &at, res, json_object_get(res, "elected"), "，当选。");
    if (json_array_size(json_object_get(res, "tied"))) {
        say_names(buf, cap, &at, res, json_object_get(res, "tied"), "，");
        say(buf, cap, &at, "得票相等，应当就票数相等的人再次投票。");
    }
    long long unfilled = json_integer_value(json_object_get(res, "unfilled"));
    const json_t *short_of = json_object_get(json_object_get(res, "further_round"), "ranked");
    if (unfilled > 0 && json_array_size(short_of)) {
        say_names(buf, cap, &at, res, short_of, "，");
        say(buf, cap, &at, "未获得全体代表过半数的选票，不能当选。");
    }
    if (unfilled > 0)
        say(buf, cap, &at, "尚缺%lld名，应当另行选举。", unfilled);
    return at;
}

ys_rc ys_cmd_election_announce(const ys_session *s, const ys_ctx *c, int election, ys_events *out, ys_err *err)
{
    const ys_session_election *el;
    char text[4096];
    ys_rc rc = get_election(s, election, YS_POLL_CLOSED, &el, err);
    if (rc)
        return rc;
    if (el->announcement)
        return ys_fail(err, YS_CONFLICT, "election", "the result of election %d has already been announced", election);
    if (!el->result)
        return ys_fail(err, YS_STATE, "election", "election %d is still being counted: its trustees' decryptions are "
                       "not all in", election);
    if (ys_election_announcement(s, el, text, sizeof text) >= sizeof text)
        return ys_fail(err, YS_TOO_LARGE, "election", "the announcement of election %d is too long to log", election);
    return ys_events_add(out, c->time, c->actor, "election.announce",
                         json_pack("{s:i, s:s}", "election", election, "text", text), err);
}

ys_rc ys_apply_election_announce(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_session_election *el;
    const char *text;
    ys_rc rc;
    if ((rc = ys__election_ref(s, ev->payload, YS_POLL_CLOSED, &el, err)) ||
        (rc = ys_pl_str(ev->payload, "text", &text, err)))
        return rc;
    if (el->announcement || !el->result)
        return ys_fail(err, YS_CORRUPT, "election", "election %d announced twice, or before its count", el->id);
    ys__rec_out(s, YS_REC_ELECTION, el->id, 0);
    if (!(el->announcement = ys_strdup(text)))
        return ys_fold_nomem(ev, err);
    ys__rec_in(s, YS_REC_ELECTION, el->id, 0);
    return YS_OK;
}
