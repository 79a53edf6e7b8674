/* count_json.c — the JSON side of `yishi count`: checks a ballot file strictly (every key known,
 * every type right), feeds the counting engine, and writes its result. The engine decides; this only translates. */
#include "cli/count_json.h"

#include "yishi/alloc.h"
#include "yishi/count.h"
#include "yishi/poll.h"
#include "yishi/utf8.h"

#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A list of names taken from one JSON array: pointers into the parsed document. */
typedef struct names {
    const char **v;
    size_t n, cap;
} names;

typedef struct reader {
    ys_err *err;           /* never NULL; its rc is the stable code once something is refused */
    ys_count_rules_fn rules_fn;
    void *rules_ctx;
    const ys_rules *rules;
    names yes, no, write_in, list;  /* reused for every ballot, so reading stays linear */
} reader;

/* Takes over a refusal from the engine, naming the file's field when the engine could not. */
static ys_rc engine_fault(reader *rd, ys_rc rc, const char *field)
{
    char inner[sizeof rd->err->field];
    snprintf(inner, sizeof inner, "%s", rd->err->field);
    /* A path too long for the field is cut; the message still names the ballot. */
    if (snprintf(rd->err->field, sizeof rd->err->field, "%s%s%s", field, *inner ? "." : "", inner) >=
        (int)sizeof rd->err->field)
        rd->err->field[sizeof rd->err->field - 1] = '\0';
    return rc;
}

/* ---- reading fields ---- */

static ys_rc check_keys(reader *rd, json_t *obj, const char *const *allowed, const char *where)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        size_t i = 0;
        while (allowed[i] && strcmp(allowed[i], key) != 0)
            i++;
        if (!allowed[i]) {
            ys_rc rc = ys_fail(rd->err, YS_UNKNOWN_FIELD, key, "%s%sunknown field \"%s\"",
                               where, *where ? ": " : "", key);
            /* The path names the ballot; a key too long for the field is cut. */
            if (*where && rd->err &&
                snprintf(rd->err->field, sizeof rd->err->field, "%s.%s", where, key) >=
                    (int)sizeof rd->err->field)
                rd->err->field[sizeof rd->err->field - 1] = '\0';
            return rc;
        }
    }
    return YS_OK;
}

static json_t *member(reader *rd, json_t *obj, const char *key, bool required, ys_rc *rc)
{
    json_t *v = json_object_get(obj, key);
    *rc = YS_OK;
    if (!v && required)
        *rc = ys_fail(rd->err, YS_MISSING_FIELD, key, "missing field \"%s\"", key);
    return v;
}

static ys_rc get_int(reader *rd, json_t *obj, const char *key, bool required, int *out)
{
    ys_rc rc;
    json_t *v = member(rd, obj, key, required, &rc);
    if (!v)
        return rc;
    if (!json_is_integer(v))
        return ys_fail(rd->err, YS_WRONG_TYPE, key, "\"%s\" must be an integer", key);
    json_int_t n = json_integer_value(v);
    if (n < 0 || n > YS_COUNT_MAX_DELEGATES)
        return ys_fail(rd->err, YS_BAD_VALUE, key, "\"%s\" must be between 0 and %d",
                       key, YS_COUNT_MAX_DELEGATES);
    *out = (int)n;
    return YS_OK;
}

static ys_rc get_str(reader *rd, json_t *obj, const char *key, bool required, const char **out)
{
    ys_rc rc;
    json_t *v = member(rd, obj, key, required, &rc);
    if (!v)
        return rc;
    if (!json_is_string(v))
        return ys_fail(rd->err, YS_WRONG_TYPE, key, "\"%s\" must be a string", key);
    *out = json_string_value(v);
    return YS_OK;
}

static ys_rc get_bool(reader *rd, json_t *obj, const char *key, bool *out)
{
    ys_rc rc;
    json_t *v = member(rd, obj, key, false, &rc);
    if (!v)
        return rc;
    if (!json_is_boolean(v))
        return ys_fail(rd->err, YS_WRONG_TYPE, key, "\"%s\" must be true or false", key);
    *out = json_is_true(v);
    return YS_OK;
}

/* Reads an array of strings into `into` (reused). `path` names it in errors. */
static ys_rc get_names(reader *rd, json_t *obj, const char *key, bool required, const char *path,
                       names *into)
{
    ys_rc rc;
    json_t *v = member(rd, obj, key, required, &rc), *s;
    size_t i;
    into->n = 0;
    if (!v)
        return rc;
    if (!json_is_array(v))
        return ys_fail(rd->err, YS_WRONG_TYPE, path, "%s must be an array of names", path);
    if (ys_grow((void **)&into->v, &into->cap, json_array_size(v) + 1, sizeof *into->v))
        return ys_fail(rd->err, YS_NOMEM, path, "out of memory");
    json_array_foreach(v, i, s) {
        if (!json_is_string(s))
            return ys_fail(rd->err, YS_WRONG_TYPE, path, "%s[%zu] must be a string", path, i);
        into->v[into->n++] = json_string_value(s);
    }
    return YS_OK;
}

static ys_rc load_rules(reader *rd, json_t *root)
{
    const char *name = NULL;
    ys_rc rc = get_str(rd, root, "rules", true, &name);
    if (rc)
        return rc;
    rc = rd->rules_fn(rd->rules_ctx, name, &rd->rules, rd->err);
    /* The code printed is the one returned, whatever the loader left in the detail. */
    if (rc)
        rd->err->rc = rc;
    return rc;
}

/* ---- writing the result ---- */

/* Builds objects without checking each call: jansson returns NULL or -1 on failure, which
 * this remembers, and the whole result is refused at the end. */
typedef struct writer {
    bool failed;
} writer;

static void put(writer *w, json_t *obj, const char *key, json_t *v)
{
    if (!obj || !v || json_object_set_new(obj, key, v))
        w->failed = true;
}

static ys_rc dump(reader *rd, writer *w, json_t *obj, char **out)
{
    char *s = w->failed ? NULL : ys_json_dumps(obj, JSON_COMPACT);
    size_t len = s ? strlen(s) : 0;
    json_decref(obj);
    *out = s ? ys_malloc(len + 2) : NULL;
    if (*out) {
        memcpy(*out, s, len);
        memcpy(*out + len, "\n", 2);
    }
    ys_free(s);
    return *out ? YS_OK : ys_fail(rd->err, YS_NOMEM, "", "out of memory");
}

/* ---- resolutions ---- */

static const char *const resolution_keys[] = {"kind", "rules", "comment", "entitled", "present",
                                              "yes", "no", "abstain", "not_voted", "majority", NULL};

static ys_rc read_majority(reader *rd, json_t *root, ys_majority *m)
{
    const char *s = NULL;
    ys_rc rc = get_str(rd, root, "majority", false, &s);
    *m = YS_MAJORITY_SIMPLE;
    if (rc || !s || ys_majority_parse(s, m))
        return rc;
    return ys_fail(rd->err, YS_BAD_VALUE, "majority",
                   "\"majority\" must be \"simple\" or \"two_thirds\"");
}

static ys_rc read_tally(reader *rd, json_t *root, ys_vote_tally *t)
{
    struct { const char *key; int *v; } f[] = {
        {"entitled", &t->entitled}, {"present", &t->present}, {"yes", &t->yes},
        {"no", &t->no}, {"abstain", &t->abstain}, {"not_voted", &t->not_voted},
    };
    ys_rc rc = YS_OK;
    for (size_t i = 0; !rc && i < sizeof f / sizeof f[0]; i++)
        rc = get_int(rd, root, f[i].key, true, f[i].v);
    return rc ? rc : read_majority(rd, root, &t->majority);
}

static ys_rc write_vote(reader *rd, const ys_vote_tally *t, const ys_vote_result *r, char **out)
{
    writer w = {0};
    char text[1024];
    ys_vote_announcement(t, r, text, sizeof text);
    json_t *o = json_object();
    put(&w, o, "kind", json_string("resolution"));
    put(&w, o, "quorate", json_boolean(r->quorate));
    put(&w, o, "quorum", json_integer(r->quorum));
    put(&w, o, "threshold", json_integer(r->threshold));
    if (r->has_turnout) {
        json_t *turnout = json_object();
        put(&w, turnout, "participated", json_integer(t->yes + t->no + t->abstain));
        put(&w, turnout, "min", json_integer(r->turnout_min));
        put(&w, turnout, "met", json_boolean(r->turnout_met));
        put(&w, o, "turnout", turnout);
    }
    put(&w, o, "passed", json_boolean(r->passed));
    put(&w, o, "announcement", json_string(text));
    return dump(rd, &w, o, out);
}

static ys_rc count_resolution(reader *rd, json_t *root, char **out)
{
    ys_vote_tally t = {0};
    ys_vote_result r;
    ys_rc rc = check_keys(rd, root, resolution_keys, "");
    if (!rc)
        rc = read_tally(rd, root, &t);
    if (!rc)
        rc = load_rules(rd, root);
    if (rc)
        return rc;
    rc = ys_count_vote(rd->rules, &t, &r, rd->err);
    return rc ? rc : write_vote(rd, &t, &r, out);
}

/* ---- elections and preliminaries ---- */

static const char *const election_keys[] = {"kind", "rules", "comment", "office", "seats",
                                            "by_election", "round", "entitled", "ballots_issued",
                                            "candidates", "ballots", NULL};
static const char *const preliminary_keys[] = {"kind", "rules", "comment", "formal_candidates",
                                               "office", "seats", "by_election", "entitled",
                                               "ballots_issued", "candidates", "ballots", NULL};
static const char *const ballot_keys[] = {"yes", "no", "write_in", NULL};

static ys_rc read_election_numbers(reader *rd, json_t *root, ys_election_spec *s)
{
    bool pre = s->kind == YS_PRELIMINARY;
    ys_rc rc = pre ? get_int(rd, root, "formal_candidates", true, &s->seats)
                   : get_int(rd, root, "seats", true, &s->seats);
    if (!rc && pre)
        rc = get_int(rd, root, "seats", false, &s->office_seats);
    if (!rc)
        rc = get_str(rd, root, "office", !pre, &s->office);
    if (!rc && pre && (!s->office) != (s->office_seats == 0))
        rc = ys_fail(rd->err, YS_MISSING_FIELD, s->office ? "seats" : "office",
                     "a preliminary gives \"office\" and \"seats\" together, or neither");
    if (!rc)
        rc = get_bool(rd, root, "by_election", &s->by_election);
    if (!rc)
        rc = get_int(rd, root, "entitled", true, &s->entitled);
    if (!rc)
        rc = get_int(rd, root, "ballots_issued", true, &s->ballots_issued);
    return rc;
}

/* "round": "first" (the default), "further" (另行选举: the further round's range) or "runoff" (a new
 * vote among those tied at the cut: the most votes win). */
static ys_rc read_round(reader *rd, json_t *root, ys_election_spec *s)
{
    static const char *const words[] = {"first", "further", "runoff"};
    const char *w = NULL;
    ys_rc rc = get_str(rd, root, "round", false, &w);
    for (int i = 0; !rc && w && i < 3; i++)
        if (!strcmp(w, words[i])) {
            s->round = (ys_ballot_round)i;
            return YS_OK;
        }
    return rc ? rc : w ? ys_fail(rd->err, YS_BAD_VALUE, "round", "round is first, further or runoff") : YS_OK;
}

static ys_rc read_spec(reader *rd, json_t *root, ys_election_spec *s)
{
    ys_rc rc = check_keys(rd, root, s->kind == YS_PRELIMINARY ? preliminary_keys : election_keys, "");
    if (!rc)
        rc = read_election_numbers(rd, root, s);
    if (!rc && s->kind == YS_ELECTION)
        rc = read_round(rd, root, s);
    if (!rc)
        rc = get_names(rd, root, "candidates", true, "candidates", &rd->list);
    s->candidates = rd->list.v;
    s->n_candidates = rd->list.n;
    return rc;
}

static ys_rc read_ballot(reader *rd, json_t *b, size_t i, ys_ballot *out)
{
    char where[48], path[64];
    snprintf(where, sizeof where, "ballots[%zu]", i);
    if (!json_is_object(b))
        return ys_fail(rd->err, YS_WRONG_TYPE, where, "%s must be an object", where);
    ys_rc rc = check_keys(rd, b, ballot_keys, where);
    names *lists[] = {&rd->yes, &rd->no, &rd->write_in};
    for (size_t k = 0; !rc && k < 3; k++) {
        snprintf(path, sizeof path, "%s.%s", where, ballot_keys[k]);
        rc = get_names(rd, b, ballot_keys[k], false, path, lists[k]);
    }
    *out = (ys_ballot){rd->yes.v, rd->yes.n, rd->no.v, rd->no.n, rd->write_in.v, rd->write_in.n};
    return rc;
}

static ys_rc add_ballots(reader *rd, json_t *root, ys_election *e)
{
    ys_rc rc;
    json_t *a = member(rd, root, "ballots", true, &rc), *b;
    size_t i;
    if (!a)
        return rc;
    if (!json_is_array(a))
        return ys_fail(rd->err, YS_WRONG_TYPE, "ballots", "\"ballots\" must be an array");
    json_array_foreach(a, i, b) {
        ys_ballot ballot;
        char where[48];
        if ((rc = read_ballot(rd, b, i, &ballot)))
            return rc;
        if ((rc = ys_election_add(e, &ballot, NULL, rd->err))) {
            snprintf(where, sizeof where, "ballots[%zu]", i);
            return engine_fault(rd, rc, where);
        }
    }
    return YS_OK;
}

/* The engine's result in the one JSON shape the session log uses too (ys_election_result_json). */
static ys_rc write_election(reader *rd, const ys_election_result *res, char **out)
{
    writer w = {0};
    json_t *o = ys_election_result_json(res);
    if (!o)
        w.failed = true;
    return dump(rd, &w, o, out);
}

static ys_rc count_election(reader *rd, json_t *root, ys_election_kind kind, char **out)
{
    ys_election_spec s = {.kind = kind};
    ys_election *e = NULL;
    ys_election_result *res = NULL;
    ys_rc rc = read_spec(rd, root, &s);
    if (!rc)
        rc = load_rules(rd, root);
    if (rc)
        goto out;
    if ((rc = ys_election_new(rd->rules, &s, &e, rd->err)) || (rc = add_ballots(rd, root, e)) ||
        (rc = ys_election_result_get(e, &res, rd->err)))
        goto out;
    rc = write_election(rd, res, out);
out:
    ys_election_result_free(res);
    ys_election_free(e);
    return rc;
}

/* ---- the document ---- */

static ys_rc parse(reader *rd, const char *text, size_t len, json_t **root)
{
    json_error_t je;
    if (len > YS_COUNT_JSON_MAX)
        return ys_fail(rd->err, YS_TOO_LARGE, "", "input larger than %u bytes",
                       YS_COUNT_JSON_MAX);
    ys_rc lrc = ys_json_loadb(text, len, JSON_REJECT_DUPLICATES, root, &je);
    if (lrc == YS_NOMEM)
        return ys_fail(rd->err, YS_NOMEM, "", "out of memory");
    if (lrc) {
        ys_rc rc = ys_fail(rd->err, YS_BAD_JSON, "", "line %d, column %d: %s", je.line,
                           je.column, je.text);
        if (rd->err)
            rd->err->line = je.line;
        return rc;
    }
    if (!json_is_object(*root))
        return ys_fail(rd->err, YS_WRONG_TYPE, "", "the document must be a JSON object");
    return YS_OK;
}

/* ---- any other threshold of the rule set: co-signatures, quorum, the presidium … ---- */

static const char *const threshold_keys[] = {"kind", "rules", "comment", "rule", "base", "count", NULL};

/* {"kind":"threshold","rule":"motion","base":549,"count":10}: does `count` out of `base` meet the rule? */
static ys_rc count_threshold(reader *rd, json_t *root, char **out)
{
    const char *name = NULL;
    int base = 0, count = 0;
    writer w = {0};
    ys_rc rc = check_keys(rd, root, threshold_keys, "");
    if (!rc)
        rc = load_rules(rd, root);
    if (!rc)
        rc = get_str(rd, root, "rule", true, &name);
    if (!rc)
        rc = get_int(rd, root, "base", true, &base);
    if (!rc)
        rc = get_int(rd, root, "count", true, &count);
    if (rc)
        return rc;
    const ys_threshold *t = ys_rules_threshold(rd->rules, name);
    if (!t)
        return ys_fail(rd->err, YS_BAD_VALUE, "rule", "no kind of rule named \"%.64s\"", name);
    if (!t->defined)
        return ys_fail(rd->err, YS_RULE_NOT_IN_RULES, "rule", "rule set %s has no %s rule", rd->rules->id, name);
    if (count > base && t->den)
        return ys_fail(rd->err, YS_BAD_VALUE, "count", "count %d is more than the base %d", count, base);
    json_t *o = json_object();
    put(&w, o, "kind", json_string("threshold"));
    put(&w, o, "rule", json_string(name));
    put(&w, o, "base", json_integer(base));
    put(&w, o, "count", json_integer(count));
    put(&w, o, "needed", json_integer(ys_threshold_min(t, base)));
    put(&w, o, "met", json_boolean(ys_threshold_met(t, count, base)));
    put(&w, o, "article", json_string(t->article));
    return dump(rd, &w, o, out);
}

static ys_rc dispatch(reader *rd, json_t *root, char **out)
{
    const char *kind = NULL;
    ys_rc rc = get_str(rd, root, "kind", true, &kind);
    if (rc)
        return rc;
    if (strcmp(kind, "resolution") == 0)
        return count_resolution(rd, root, out);
    if (strcmp(kind, "election") == 0)
        return count_election(rd, root, YS_ELECTION, out);
    if (strcmp(kind, "preliminary") == 0)
        return count_election(rd, root, YS_PRELIMINARY, out);
    if (strcmp(kind, "threshold") == 0)
        return count_threshold(rd, root, out);
    return ys_fail(rd->err, YS_UNKNOWN_KIND, "kind",
                   "\"kind\" must be \"resolution\", \"election\", \"preliminary\" or \"threshold\"");
}

ys_rc ys_count_json(const char *text, size_t len, ys_count_rules_fn rules, void *ctx, char **out,
                    ys_err *err)
{
    ys_err local = {0};
    reader rd = {.err = err ? err : &local, .rules_fn = rules, .rules_ctx = ctx};
    json_t *root = NULL;
    *out = NULL;
    ys_err_clear(rd.err);
    ys_rc rc = parse(&rd, text, len, &root);
    if (!rc)
        rc = dispatch(&rd, root, out);
    json_decref(root);
    ys_free(rd.yes.v);
    ys_free(rd.no.v);
    ys_free(rd.write_in.v);
    ys_free(rd.list.v);
    if (rc)
        rd.err->rc = rc;   /* the detail's code is the one returned, for ys_count_json_error */
    return rc;
}

char *ys_count_json_error(const ys_err *err)
{
    writer w = {0};
    char msg[sizeof err->msg];
    snprintf(msg, sizeof msg, "%s", err && *err->msg ? err->msg : "cannot be counted");
    /* Messages quote the input (jansson's "near '…'" may cut a character in two), and
     * snprintf may cut one at the end. */
    ys_utf8_scrub(msg);
    json_t *o = json_object();
    put(&w, o, "error", json_string(ys_rc_code(err && err->rc ? err->rc : YS_UNCOUNTABLE)));
    put(&w, o, "message", json_string(msg));
    if (err && *err->field) {
        char fld[sizeof err->field];
        snprintf(fld, sizeof fld, "%s", err->field);
        ys_utf8_scrub(fld);
        put(&w, o, "field", json_string(fld));
    }
    char *s = w.failed ? NULL : ys_json_dumps(o, JSON_COMPACT);
    json_decref(o);
    char *line = s ? ys_malloc(strlen(s) + 2) : NULL;
    if (line)
        sprintf(line, "%s\n", s);
    ys_free(s);
    return line;
}
