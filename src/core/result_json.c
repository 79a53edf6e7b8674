/* result_json.c — an election's count as JSON, in the one shape both the session log and
 * `yishi count` use (docs/count.md), so that a recount from either agrees byte for byte. */
#include "yishi/poll.h"

#include <limits.h>

typedef struct writer {
    bool failed;
} writer;

/* json_object_set_new releases v when it fails, also when obj is NULL (its own allocation failed). */
static void put(writer *w, json_t *obj, const char *key, json_t *v)
{
    if (!v || json_object_set_new(obj, key, v))
        w->failed = true;
}

static json_t *name_list(writer *w, const ys_election_result *res, const size_t *at, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, json_string(res->candidates[at[i]].name)))
            w->failed = true;
    if (!a)
        w->failed = true;
    return a;
}

static json_t *candidate_json(writer *w, const ys_candidate_count *c, bool pre)
{
    json_t *o = json_object();
    put(w, o, "name", json_string(c->name));
    put(w, o, "yes", json_integer(c->yes));
    put(w, o, "no", json_integer(c->no));
    put(w, o, "abstain", json_integer(c->abstain));
    if (!pre)
        put(w, o, "write_in", json_boolean(c->write_in));
    put(w, o, pre ? "formal" : "elected", json_boolean(c->elected));
    return o;
}

static json_t *candidates_json(writer *w, const ys_election_result *res)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < res->n_candidates; i++)
        if (json_array_append_new(a, candidate_json(w, &res->candidates[i], res->kind == YS_PRELIMINARY)))
            w->failed = true;
    if (!a)
        w->failed = true;
    return a;
}

static json_t *further_json(writer *w, const ys_election_result *res)
{
    if (!res->has_further)
        return json_null();
    const ys_further_round *f = &res->further;
    json_t *o = json_object();
    put(w, o, "seats", json_integer(f->seats));
    put(w, o, "min_candidates", json_integer(f->min_candidates));
    /* An office whose rule sets no upper bound (open) has no maximum to print. */
    put(w, o, "max_candidates", f->max_candidates == INT_MAX ? json_null() : json_integer(f->max_candidates));
    put(w, o, "ranked", name_list(w, res, f->ranked, f->n_ranked));
    return o;
}

json_t *ys_election_result_json(const ys_election_result *res)
{
    writer w = {0};
    bool pre = res->kind == YS_PRELIMINARY;
    json_t *o = json_object();
    put(&w, o, "kind", json_string(pre ? "preliminary" : "election"));
    put(&w, o, "valid", json_boolean(res->valid));
    put(&w, o, "reason", res->reason ? json_string(res->reason) : json_null());
    if (!pre)
        put(&w, o, "threshold", json_integer(res->threshold));
    put(&w, o, "ballots_returned", json_integer(res->ballots_returned));
    put(&w, o, "ballots_void", json_integer(res->ballots_void));
    put(&w, o, "ballots_valid", json_integer(res->ballots_valid));
    put(&w, o, "candidates", candidates_json(&w, res));
    put(&w, o, pre ? "formal" : "elected", name_list(&w, res, res->elected, res->n_elected));
    put(&w, o, "tied", name_list(&w, res, res->tied, res->n_tied));
    put(&w, o, "tied_seats", json_integer(res->tied_seats));
    if (!pre) {
        put(&w, o, "unfilled", json_integer(res->unfilled));
        put(&w, o, "further_round", further_json(&w, res));
    }
    if (w.failed) {
        json_decref(o);
        return NULL;
    }
    return o;
}
