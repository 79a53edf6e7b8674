/* count.c — the counting engine: quorum and majorities of a vote, and elections ballot by ballot
 * (validity, write-ins, threshold, ties at the cut, further rounds). Every number comes from the rule set. */
#include "yishi/count.h"

#include "core/map.h"
#include "yishi/alloc.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ys_rc no_memory(ys_err *err)
{
    return ys_fail(err, YS_NOMEM, "", "out of memory while counting");
}

/* The number a share is taken of: the law's default is all delegates; a rule set may say present. */
static int base_of(const ys_threshold *t, int all, int present)
{
    return t->base == YS_BASE_PRESENT ? present : all;
}

static ys_rc check_count(const char *field, int n, ys_err *err)
{
    if (n < 0 || n > YS_COUNT_MAX_DELEGATES)
        return ys_fail(err, YS_BAD_VALUE, field, "%s must be between 0 and %d, not %d",
                       field, YS_COUNT_MAX_DELEGATES, n);
    return YS_OK;
}

/* ---- votes on a question ---- */

static ys_rc check_tally(const ys_vote_tally *t, ys_err *err)
{
    const struct { const char *name; int v; } f[] = {
        {"entitled", t->entitled}, {"present", t->present}, {"yes", t->yes},
        {"no", t->no}, {"abstain", t->abstain}, {"not_voted", t->not_voted},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        ys_rc rc = check_count(f[i].name, f[i].v, err);
        if (rc)
            return rc;
    }
    if (t->entitled < 1)
        return ys_fail(err, YS_BAD_VALUE, "entitled", "entitled must be at least 1");
    if (t->present > t->entitled)
        return ys_fail(err, YS_PRESENT_EXCEEDS_ENTITLED, "present",
                       "%d present but only %d entitled", t->present, t->entitled);
    /* Each term is at most YS_COUNT_MAX_DELEGATES, so the sum fits an int. */
    int sum = t->yes + t->no + t->abstain + t->not_voted;
    if (sum != t->present)
        return ys_fail(err, YS_TOTALS_MISMATCH, "present",
                       "yes %d + no %d + abstain %d + not_voted %d = %d, but %d present", t->yes,
                       t->no, t->abstain, t->not_voted, sum, t->present);
    return YS_OK;
}

static const char *const majority_words[] = {"simple", "two_thirds"};

const char *ys_majority_word(ys_majority m)
{
    return (unsigned)m < sizeof majority_words / sizeof majority_words[0] ? majority_words[m] : "?";
}

bool ys_majority_parse(const char *word, ys_majority *out)
{
    for (size_t i = 0; word && i < sizeof majority_words / sizeof majority_words[0]; i++)
        if (strcmp(word, majority_words[i]) == 0) {
            *out = (ys_majority)i;
            return true;
        }
    return false;
}

static const ys_threshold *majority_rule(const ys_rules *r, ys_majority m)
{
    return m == YS_MAJORITY_TWO_THIRDS ? &r->constitutional : &r->adoption;
}

ys_rc ys_count_vote(const ys_rules *r, const ys_vote_tally *t, ys_vote_result *out, ys_err *err)
{
    ys_rc rc = check_tally(t, err);
    if (rc)
        return rc;
    const ys_threshold *maj = majority_rule(r, t->majority);
    if (!maj->defined)
        return ys_fail(err, YS_MAJORITY_NOT_IN_RULES, "majority",
                       "rule set %s defines no %s majority", r->id, ys_majority_word(t->majority));
    if (!r->quorum.defined)
        return ys_fail(err, YS_RULE_NOT_IN_RULES, "rules", "rule set %s has no quorum",
                       r->id);
    memset(out, 0, sizeof *out);
    out->quorum = ys_threshold_min(&r->quorum, base_of(&r->quorum, t->entitled, t->present));
    out->quorate = ys_threshold_met(&r->quorum, t->present,
                                    base_of(&r->quorum, t->entitled, t->present));
    out->threshold = ys_threshold_min(maj, base_of(maj, t->entitled, t->present));
    out->has_turnout = r->turnout.defined;
    out->turnout_met = true;
    if (out->has_turnout) {
        /* 「参加表决」: those who voted yes, no or abstain; pressing nothing is not taking part. */
        int base = base_of(&r->turnout, t->entitled, t->present);
        out->turnout_min = ys_threshold_min(&r->turnout, base);
        out->turnout_met = ys_threshold_met(&r->turnout, t->yes + t->no + t->abstain, base);
    }
    bool majority = ys_threshold_met(maj, t->yes, base_of(maj, t->entitled, t->present));
    out->passed = out->quorate && out->turnout_met && majority;
    return YS_OK;
}

size_t ys_vote_announcement(const ys_vote_tally *t, const ys_vote_result *res, char *buf, size_t cap)
{
    char turnout[160] = "";
    if (!res->turnout_met)
        snprintf(turnout, sizeof turnout, "参加表决%d人，不足表决有效所需的%d人。",
                 t->yes + t->no + t->abstain, res->turnout_min);
    const char *idle = t->method == 0 || t->method == YS_METHOD_TERMINAL ? "未按表决器" : "未表决";
    int n = snprintf(buf, cap,
                     "应出席代表%d人，出席%d人，缺席%d人，出席人数%s法定人数。"
                     "赞成%d票，反对%d票，弃权%d票，%s%d人。%s%s",
                     t->entitled, t->present, t->entitled - t->present,
                     res->quorate ? "符合" : "不足", t->yes, t->no, t->abstain, idle, t->not_voted,
                     turnout, res->passed ? "通过。" : "未通过。");
    return n < 0 ? 0 : (size_t)n;
}

/* ---- elections ---- */

typedef struct cand {
    char *name;
    int yes, no;
    bool listed;       /* on the printed list */
    bool counted;      /* a write-in that appeared on a valid ballot */
    size_t stamp;      /* serial of the last ballot that marked this name: finds double marks */
} cand;

struct ys_election {
    const ys_rules *rules;
    const ys_office *office;
    ys_election_kind kind;
    ys_ballot_round round;
    int seats, entitled, issued;
    cand *c;
    size_t n, cap, n_listed;
    ys_map *index;     /* name -> candidate index + 1 */
    size_t serial;     /* ballots added so far */
    int returned, void_ballots;
};

void ys_election_free(ys_election *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->n; i++)
        ys_free(e->c[i].name);
    ys_free(e->c);
    ys_map_free(e->index);
    ys_free(e);
}

static ys_rc check_name(const char *field, const char *name, ys_err *err)
{
    size_t len = name ? strlen(name) : 0;
    if (len == 0 || len > YS_COUNT_MAX_NAME)
        return ys_fail(err, YS_BAD_VALUE, field,
                       "a name must have 1 to %d bytes", YS_COUNT_MAX_NAME);
    return YS_OK;
}

/* Adds a name not yet known; returns its index through *at. */
static ys_rc add_cand(ys_election *e, const char *name, bool listed, size_t *at)
{
    if (ys_grow((void **)&e->c, &e->cap, e->n + 1, sizeof *e->c))
        return YS_NOMEM;
    char *copy = ys_strdup(name);
    if (!copy || ys_map_put(e->index, name, (int)e->n + 1)) {
        ys_free(copy);
        return YS_NOMEM;
    }
    e->c[e->n] = (cand){.name = copy, .listed = listed};
    *at = e->n++;
    return YS_OK;
}

static bool find_cand(const ys_election *e, const char *name, size_t *at)
{
    int v = ys_map_get(e->index, name);
    if (v)
        *at = (size_t)v - 1;
    return v != 0;
}

static ys_rc check_ratio(const ys_election *e, const ys_election_spec *s, ys_err *err)
{
    /* A preliminary's own list may be any length above the formal number; what the law bounds is
     * the formal list it produces, checked when the election's seats are given. */
    int seats = s->kind == YS_PRELIMINARY ? s->office_seats : s->seats;
    int listed = s->kind == YS_PRELIMINARY ? s->seats : (int)s->n_candidates;
    if (!e->office || seats <= 0 || s->round == YS_ROUND_RUNOFF)
        return YS_OK;
    ys_candidate_range rg = s->round == YS_ROUND_FURTHER
                                ? ys_office_further_range(e->rules, e->office, seats)
                                : ys_office_range(e->rules, e->office, seats, s->by_election);
    if (listed >= rg.min && listed <= rg.max)
        return YS_OK;
    char allowed[64];
    if (rg.min > rg.max)
        snprintf(allowed, sizeof allowed, "no list can meet the ratio");
    else if (rg.max == INT_MAX)
        snprintf(allowed, sizeof allowed, "the law allows %d or more", rg.min);
    else
        snprintf(allowed, sizeof allowed, "the law allows %d to %d", rg.min, rg.max);
    return ys_fail(err, YS_CANDIDATES_OUTSIDE_RATIO, "candidates",
                   "%d candidates for %d seat(s) of %s: %s (%s)", listed, seats, e->office->key,
                   allowed, s->by_election ? e->rules->by_election_article : e->office->article);
}

static ys_rc check_spec(const ys_election *e, const ys_election_spec *s, ys_err *err)
{
    ys_rc rc = check_count("entitled", s->entitled, err);
    if (!rc)
        rc = check_count("ballots_issued", s->ballots_issued, err);
    if (rc)
        return rc;
    const char *seats_field = s->kind == YS_PRELIMINARY ? "formal_candidates" : "seats";
    if (s->entitled < 1)
        return ys_fail(err, YS_BAD_VALUE, "entitled", "entitled must be at least 1");
    if (s->seats < 1 || s->seats > YS_COUNT_MAX_DELEGATES || s->office_seats < 0 ||
        s->office_seats > YS_COUNT_MAX_DELEGATES)
        return ys_fail(err, YS_BAD_SEATS, seats_field, "%s must be at least 1",
                       seats_field);
    if (s->ballots_issued > s->entitled)
        return ys_fail(err, YS_ISSUED_EXCEEDS_ENTITLED, "ballots_issued",
                       "%d ballots issued but only %d entitled", s->ballots_issued, s->entitled);
    if (s->kind == YS_PRELIMINARY && s->n_candidates <= (size_t)s->seats)
        return ys_fail(err, YS_TOO_FEW_NOMINEES, "candidates",
                       "%zu nominees for %d formal candidates: no preliminary is needed",
                       s->n_candidates, s->seats);
    if (s->kind == YS_ELECTION && !e->rules->election.defined)
        return ys_fail(err, YS_RULE_NOT_IN_RULES, "rules",
                       "rule set %s has no election threshold", e->rules->id);
    return check_ratio(e, s, err);
}

static ys_rc add_list(ys_election *e, const ys_election_spec *s, ys_err *err)
{
    if (s->n_candidates > (size_t)YS_COUNT_MAX_DELEGATES)
        return ys_fail(err, YS_TOO_LARGE, "candidates", "too many candidates");
    for (size_t i = 0; i < s->n_candidates; i++) {
        size_t at;
        ys_rc rc = check_name("candidates", s->candidates[i], err);
        if (rc)
            return rc;
        if (find_cand(e, s->candidates[i], &at))
            return ys_fail(err, YS_DUPLICATE_CANDIDATE, "candidates",
                           "%s is on the list twice", s->candidates[i]);
        if (add_cand(e, s->candidates[i], true, &at))
            return no_memory(err);
    }
    e->n_listed = e->n;
    return YS_OK;
}

static ys_rc resolve_office(ys_election *e, const ys_election_spec *s, ys_err *err)
{
    if (!s->office && s->kind == YS_PRELIMINARY)
        return YS_OK;
    e->office = s->office ? ys_rules_office(e->rules, s->office) : NULL;
    if (!e->office)
        return ys_fail(err, YS_UNKNOWN_OFFICE, "office", "rule set %s has no office %s",
                       e->rules->id, s->office ? s->office : "(none)");
    return YS_OK;
}

ys_rc ys_election_new(const ys_rules *r, const ys_election_spec *s, ys_election **out,
                      ys_err *err)
{
    ys_election *e = ys_calloc(1, sizeof *e);
    ys_rc rc = YS_OK;
    *out = NULL;
    if (!e)
        return no_memory(err);
    *e = (ys_election){.rules = r, .kind = s->kind, .round = s->round, .seats = s->seats,
                       .entitled = s->entitled, .issued = s->ballots_issued, .index = ys_map_new()};
    if (!e->index) {
        rc = no_memory(err);
        goto out;
    }
    rc = resolve_office(e, s, err);
    if (!rc)
        rc = check_spec(e, s, err);
    if (!rc)
        rc = add_list(e, s, err);
    if (rc)
        goto out;
    *out = e;
    e = NULL;
out:
    ys_election_free(e);
    return rc;
}

/* Resolves a yes or no mark to a listed candidate; a name off the list cannot be counted. */
static ys_rc resolve_marks(const ys_election *e, const char *field, const char *const *names,
                           size_t n, ys_err *err)
{
    for (size_t i = 0; i < n; i++) {
        size_t at;
        if (!names[i] || !find_cand(e, names[i], &at) || !e->c[at].listed)
            return ys_fail(err, YS_UNKNOWN_CANDIDATE, field,
                           "%s is not a candidate on the list", names[i] ? names[i] : "(null)");
    }
    return YS_OK;
}

/* Stamps every name on the ballot with its serial; a name stamped twice was marked twice. */
static bool stamp_marks(ys_election *e, const char *const *names, size_t n)
{
    bool twice = false;
    for (size_t i = 0; i < n; i++) {
        size_t at = 0;
        find_cand(e, names[i], &at);
        twice |= e->c[at].stamp == e->serial;
        e->c[at].stamp = e->serial;
    }
    return twice;
}

/* Makes sure every write-in has an entry, so that double marks are found the same way. An entry
 * made for a ballot that turns out void stays uncounted and is never reported. */
static ys_rc intern_write_ins(ys_election *e, const ys_ballot *b, ys_err *err)
{
    for (size_t i = 0; i < b->n_write_in; i++) {
        size_t at;
        ys_rc rc = check_name("write_in", b->write_in[i], err);
        if (rc)
            return rc;
        if (!find_cand(e, b->write_in[i], &at) && add_cand(e, b->write_in[i], false, &at))
            return no_memory(err);
    }
    return YS_OK;
}

static void apply(ys_election *e, const char *const *names, size_t n, bool yes)
{
    for (size_t i = 0; i < n; i++) {
        size_t at = 0;
        find_cand(e, names[i], &at);
        if (yes) {
            e->c[at].yes++;
            e->c[at].counted = true;
        } else {
            e->c[at].no++;
        }
    }
}

static ys_rc check_ballot(ys_election *e, const ys_ballot *b, ys_err *err)
{
    if (e->returned == INT_MAX)
        return ys_fail(err, YS_TOO_LARGE, "ballots", "too many ballots");
    if (b->n_write_in && e->kind == YS_PRELIMINARY)
        return ys_fail(err, YS_WRITE_IN_NOT_ALLOWED, "write_in",
                       "a preliminary ranks the nominees only; it takes no write-ins");
    ys_rc rc = resolve_marks(e, "yes", b->yes, b->n_yes, err);
    if (!rc)
        rc = resolve_marks(e, "no", b->no, b->n_no, err);
    return rc;
}

ys_rc ys_election_add(ys_election *e, const ys_ballot *b, bool *was_void, ys_err *err)
{
    ys_rc rc = check_ballot(e, b, err);
    if (rc)
        return rc;
    e->returned++;
    e->serial++;
    /* Compare without adding the counts, which come from the caller and could overflow. */
    bool is_void = b->n_yes > (size_t)e->seats || b->n_write_in > (size_t)e->seats - b->n_yes;
    if (!is_void) {
        rc = intern_write_ins(e, b, err);
        if (rc)
            return rc;
        /* Every list is stamped, none skipped, so a name is caught across yes, no and write-in. */
        bool twice_yes = stamp_marks(e, b->yes, b->n_yes);
        bool twice_no = stamp_marks(e, b->no, b->n_no);
        bool twice_write = stamp_marks(e, b->write_in, b->n_write_in);
        is_void = twice_yes || twice_no || twice_write;
    }
    if (is_void) {
        e->void_ballots++;
    } else {
        apply(e, b->yes, b->n_yes, true);
        apply(e, b->write_in, b->n_write_in, true);
        apply(e, b->no, b->n_no, false);
    }
    if (was_void)
        *was_void = is_void;
    return YS_OK;
}

/* The sums make sense for `ballots` valid ballots: every count within the ballots, and all yes marks and
 * write-ins within seats × ballots. Sums of int counts are taken in long long, which cannot overflow. */
static ys_rc check_totals(const ys_election *e, const ys_election_totals *t, ys_err *err)
{
    if (t->ballots < 0 || t->ballots > YS_COUNT_MAX_DELEGATES || e->returned > INT_MAX - t->ballots)
        return ys_fail(err, YS_BAD_VALUE, "ballots", "%d ballots cannot be counted", t->ballots);
    if (t->n_listed != e->n_listed)
        return ys_fail(err, YS_BAD_VALUE, "yes", "totals for %zu candidates, but the list has %zu", t->n_listed,
                       e->n_listed);
    if (t->n_write_in && e->kind == YS_PRELIMINARY)
        return ys_fail(err, YS_WRITE_IN_NOT_ALLOWED, "write_in",
                       "a preliminary ranks the nominees only; it takes no write-ins");
    long long marks = 0;
    for (size_t i = 0; i < t->n_listed; i++) {
        if (t->yes[i] < 0 || t->no[i] < 0 || (long long)t->yes[i] + t->no[i] > t->ballots)
            return ys_fail(err, YS_BAD_VALUE, "yes", "%s: %d yes and %d no on %d ballots", e->c[i].name, t->yes[i],
                           t->no[i], t->ballots);
        marks += t->yes[i];
    }
    for (size_t i = 0; i < t->n_write_in; i++) {
        size_t at;
        ys_rc rc = check_name("write_in", t->write_in[i], err);
        if (rc)
            return rc;
        if (find_cand(e, t->write_in[i], &at) && e->c[at].listed)
            return ys_fail(err, YS_BAD_VALUE, "write_in", "%s is on the list: not a write-in", t->write_in[i]);
        if (t->write_in_votes[i] < 0 || t->write_in_votes[i] > t->ballots)
            return ys_fail(err, YS_BAD_VALUE, "write_in", "%s: %d votes on %d ballots", t->write_in[i],
                           t->write_in_votes[i], t->ballots);
        marks += t->write_in_votes[i];
    }
    if (marks > (long long)e->seats * t->ballots)
        return ys_fail(err, YS_BAD_VALUE, "yes", "%lld yes marks and write-ins on %d ballots of %d seats", marks,
                       t->ballots, e->seats);
    return YS_OK;
}

ys_rc ys_election_add_totals(ys_election *e, const ys_election_totals *t, ys_err *err)
{
    ys_rc rc = check_totals(e, t, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < t->n_write_in; i++) {
        size_t at;
        if (!find_cand(e, t->write_in[i], &at) && add_cand(e, t->write_in[i], false, &at))
            return no_memory(err);
        /* A second entry of the same name adds up; the engine's counts are ints like the ballots'. */
        if (e->c[at].yes > INT_MAX - t->write_in_votes[i])
            return ys_fail(err, YS_TOO_LARGE, "write_in", "too many votes for %s", t->write_in[i]);
        e->c[at].yes += t->write_in_votes[i];
        e->c[at].counted |= t->write_in_votes[i] > 0;
    }
    for (size_t i = 0; i < t->n_listed; i++) {
        e->c[i].yes += t->yes[i];
        e->c[i].no += t->no[i];
        e->c[i].counted |= t->yes[i] > 0;
    }
    e->returned += t->ballots;
    return YS_OK;
}

/* ---- deciding: display order, threshold, the cut, further rounds ---- */

typedef struct rank {
    int yes;
    size_t at;  /* index in the result's candidates, which are already in tie-break order */
} rank;

static int rank_cmp(const void *a, const void *b)
{
    const rank *x = a, *y = b;
    if (x->yes != y->yes)
        return x->yes > y->yes ? -1 : 1;
    return x->at < y->at ? -1 : x->at > y->at;
}

static int cand_name_cmp(const void *a, const void *b)
{
    return strcmp((*(const cand *const *)a)->name, (*(const cand *const *)b)->name);
}

/* The order of the result's candidates: the list as printed, then write-ins by name. */
static const cand **display_order(const ys_election *e, size_t *n)
{
    const cand **v = ys_calloc(e->n ? e->n : 1, sizeof *v);
    size_t k = 0;
    if (!v)
        return NULL;
    for (size_t i = 0; i < e->n; i++)
        if (e->c[i].listed || e->c[i].counted)
            v[k++] = &e->c[i];
    qsort(v + e->n_listed, k - e->n_listed, sizeof *v, cand_name_cmp);
    *n = k;
    return v;
}

static ys_rc fill_candidates(const ys_election *e, ys_election_result *res)
{
    size_t n = 0;
    const cand **order = display_order(e, &n);
    ys_rc rc = YS_NOMEM;
    if (!order)
        return rc;
    res->candidates = ys_calloc(n ? n : 1, sizeof *res->candidates);
    if (!res->candidates)
        goto out;
    for (size_t i = 0; i < n; i++, res->n_candidates++) {
        const cand *c = order[i];
        ys_candidate_count *o = &res->candidates[i];
        if (!(o->name = ys_strdup(c->name)))
            goto out;
        o->yes = c->yes;
        o->no = c->no;
        o->abstain = c->listed ? res->ballots_valid - c->yes - c->no : 0;
        o->write_in = !c->listed;
    }
    rc = YS_OK;
out:
    ys_free(order);
    return rc;
}

static rank *ranking(const ys_election_result *res)
{
    rank *v = ys_calloc(res->n_candidates ? res->n_candidates : 1, sizeof *v);
    if (!v)
        return NULL;
    for (size_t i = 0; i < res->n_candidates; i++)
        v[i] = (rank){res->candidates[i].yes, i};
    qsort(v, res->n_candidates, sizeof *v, rank_cmp);
    return v;
}

/* How many of the ranked meet the threshold: a prefix, since the threshold is monotone in votes. */
static size_t passing(const ys_election *e, const ys_election_result *res, const rank *v)
{
    if (e->kind == YS_PRELIMINARY)
        return res->n_candidates;
    const ys_threshold *t = &e->rules->election;
    int base = base_of(t, e->entitled, e->issued);
    size_t p = 0;
    /* A new vote among the tied is decided by the most votes (Art. 29: 「就票数相等的人再次投票，以得
     * 票多的当选」): they all passed the majority in the vote before; here one vote is the least. */
    while (p < res->n_candidates &&
           (e->round == YS_ROUND_RUNOFF ? v[p].yes >= 1 : ys_threshold_met(t, v[p].yes, base)))
        p++;
    return p;
}

/* Fills elected and tied from the ranking: the most votes win; a tie across the cut goes to a
 * new vote among the tied for the seats left (Art. 29). */
static void cut(ys_election_result *res, const rank *v, size_t pass)
{
    size_t seats = (size_t)res->seats;
    if (pass <= seats) {
        for (size_t i = 0; i < pass; i++)
            res->elected[res->n_elected++] = v[i].at;
        return;
    }
    int at_cut = v[seats - 1].yes;
    bool tie = v[seats].yes == at_cut;
    for (size_t i = 0; i < pass; i++) {
        if (v[i].yes > at_cut || (!tie && i < seats))
            res->elected[res->n_elected++] = v[i].at;
        else if (tie && v[i].yes == at_cut)
            res->tied[res->n_tied++] = v[i].at;
    }
    if (tie)
        res->tied_seats = res->seats - (int)res->n_elected;
}

static void further(const ys_election *e, ys_election_result *res, const rank *v)
{
    ys_candidate_range rg = ys_office_further_range(e->rules, e->office, res->unfilled);
    res->has_further = true;
    res->further.seats = res->unfilled;
    res->further.min_candidates = rg.min;
    res->further.max_candidates = rg.max;
    for (size_t i = 0; i < res->n_candidates; i++)
        if (!res->candidates[v[i].at].elected)
            res->further.ranked[res->further.n_ranked++] = v[i].at;
}

static ys_rc decide(const ys_election *e, ys_election_result *res)
{
    size_t n = res->n_candidates ? res->n_candidates : 1;
    rank *v = ranking(res);
    res->elected = ys_calloc(n, sizeof *res->elected);
    res->tied = ys_calloc(n, sizeof *res->tied);
    res->further.ranked = ys_calloc(n, sizeof *res->further.ranked);
    if (!v || !res->elected || !res->tied || !res->further.ranked) {
        ys_free(v);
        return YS_NOMEM;
    }
    res->unfilled = res->seats;
    if (res->valid) {
        cut(res, v, passing(e, res, v));
        for (size_t i = 0; i < res->n_elected; i++)
            res->candidates[res->elected[i]].elected = true;
        for (size_t i = 0; i < res->n_tied; i++)
            res->candidates[res->tied[i]].tied = true;
        res->unfilled = res->seats - (int)res->n_elected - res->tied_seats;
        if (res->unfilled > 0 && e->kind == YS_ELECTION)
            further(e, res, v);
    }
    ys_free(v);
    return YS_OK;
}

static int election_threshold(const ys_election *e)
{
    if (e->kind == YS_PRELIMINARY)
        return 0;
    if (e->round == YS_ROUND_RUNOFF)
        return 1;
    const ys_threshold *t = &e->rules->election;
    return ys_threshold_min(t, base_of(t, e->entitled, e->issued));
}

ys_rc ys_election_result_get(const ys_election *e, ys_election_result **out, ys_err *err)
{
    ys_election_result *res = ys_calloc(1, sizeof *res);
    ys_rc rc = YS_NOMEM;
    *out = NULL;
    if (!res)
        goto out;
    res->kind = e->kind;
    /* More ballots back than were issued voids the whole election; as many or fewer is valid
     * (Election Law Art. 44, and the sessions' 选举办法). */
    res->valid = e->returned <= e->issued;
    res->reason = res->valid ? NULL : "more_ballots_than_issued";
    res->seats = e->seats;
    res->threshold = election_threshold(e);
    res->ballots_returned = e->returned;
    res->ballots_void = e->void_ballots;
    res->ballots_valid = e->returned - e->void_ballots;
    if ((rc = fill_candidates(e, res)) || (rc = decide(e, res)))
        goto out;
    *out = res;
    res = NULL;
out:
    ys_election_result_free(res);
    return rc ? ys_fail(err, rc, "", "out of memory while counting") : YS_OK;
}

void ys_election_result_free(ys_election_result *res)
{
    if (!res)
        return;
    for (size_t i = 0; i < res->n_candidates; i++)
        ys_free((char *)res->candidates[i].name);
    ys_free(res->candidates);
    ys_free(res->elected);
    ys_free(res->tied);
    ys_free(res->further.ranked);
    ys_free(res);
}
