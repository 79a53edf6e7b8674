/* test_events.c — the one table of event types (include/yishi/events.def) is whole: every type has a fold,
 * a projection that writes the tables it names, a rule for each stream's audience, and its place in the docs. */
#include "server/server.h"
#include "store/schema_sqlite.h"
#include "testutil.h"

#include "yishi/poll.h"

static const ys_event_type *types = ys_event_types;

static void every_type_is_whole(void **state)
{
    (void)state;
    for (size_t i = 0; i < YS_EV_N; i++) {
        const ys_event_type *t = &types[i];
        const char *dot = strchr(t->name, '.');
        if (!dot || dot == t->name || !dot[1] || strlen(t->name) >= sizeof ((ys_event *)0)->type)
            fail_msg("'%s' is not noun.verb", t->name);
        assert_ptr_equal(ys_event_type_of(t->name), t);
        assert_true(t->view < YS_VIEW_N);
        /* A ballot's content is on no stream; a vote's voter and choice only as turnout. */
        if ((t->vote == YS_VOTE_BALLOT) != (t->view == YS_VIEW_NEVER))
            fail_msg("%s: sealed ballots and only they are never streamed", t->name);
        if ((t->vote == YS_VOTE_NAMED || t->vote == YS_VOTE_CAST) != (t->view == YS_VIEW_TURNOUT))
            fail_msg("%s: votes and only they stream as turnout", t->name);
    }
    assert_null(ys_event_type_of("poll.bogus"));
    assert_null(ys_event_type_of("election.vote")); /* a name the old visibility table had, not an event */
}

/* Every type reaches its own fold: an empty payload is refused for a missing field, never as unknown. */
static void every_type_applies(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-county");
    for (size_t i = 0; i < YS_EV_N; i++) {
        ys_event ev = {.seq = s->seq + 1, .payload = json_object(), .payload_text = ys_strdup("{}")};
        ys_err err = {0};
        snprintf(ev.type, sizeof ev.type, "%s", types[i].name);
        bool sealed = types[i].vote == YS_VOTE_BALLOT;
        ys_rc rc = sealed ? ys_session_apply_sealed(s, &ev, &err) : ys_session_apply(s, &ev, &err);
        if (rc != YS_CORRUPT || strstr(err.msg, "unknown"))
            fail_msg("%s: %d %s", types[i].name, rc, err.msg);
        /* the other path refuses it as not its kind */
        rc = sealed ? ys_session_apply(s, &ev, &err) : ys_session_apply_sealed(s, &ev, &err);
        assert_int_equal(rc, YS_CORRUPT);
        assert_non_null(strstr(err.msg, "unknown"));
        ys_event_clear(&ev);
    }
    ys_session_free(s);
}

static bool sql_writes(const char *sql, const char *table)
{
    char into[80], update[80], from[80];
    snprintf(into, sizeof into, "INTO %s ", table);
    snprintf(update, sizeof update, "UPDATE %s ", table);
    snprintf(from, sizeof from, "DELETE FROM %s ", table);
    return strstr(sql, into) || strstr(sql, update) || strstr(sql, from);
}

/* The tables a type names are the ones its statements write, and every projection table has a type. */
static void every_type_projects(void **state)
{
    (void)state;
    bool used[sizeof ys_sqlite_projection_tables / sizeof *ys_sqlite_projection_tables] = {0};
    for (size_t i = 0; i < YS_EV_N; i++) {
        const char *const *sql = ys_sqlite_projections[i];
        char tables[128], *save = NULL;
        if (!types[i].tables[0] != !sql[0])
            fail_msg("%s names tables '%s' but its projection says otherwise", types[i].name, types[i].tables);
        snprintf(tables, sizeof tables, "%s", types[i].tables);
        for (char *t = strtok_r(tables, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
            bool written = false;
            for (size_t k = 0; k < YS_PROJ_MAX && sql[k]; k++)
                written |= sql_writes(sql[k], t);
            if (!written)
                fail_msg("%s: no statement writes %s", types[i].name, t);
            for (size_t k = 0; k < sizeof used; k++)
                used[k] |= strncmp(ys_sqlite_projection_tables[k], t, strlen(t)) == 0 &&
                           ys_sqlite_projection_tables[k][strlen(t)] == ' ';
        }
    }
    for (size_t k = 0; k < sizeof used; k++)
        if (!used[k])
            fail_msg("projection table %s is written by no event type", ys_sqlite_projection_tables[k]);
    ys_store *st = NULL; /* every statement prepares against the schema */
    ys_err err = {0};
    assert_int_equal(ys_store_open(":memory:", YS_STORE_CREATE, &st, &err), YS_OK);
    ys_store_close(st);
}

static char *read_doc(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", YS_DOCS_DIR, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *text = ys_calloc(1, 1 << 20);
    size_t n = fread(text, 1, (1 << 20) - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

/* The line of `text` that starts with `head`; NULL when there is none. Ends at the newline (or NUL). */
static const char *line_of(const char *text, const char *head, size_t *len)
{
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, head, strlen(head)) == 0) {
            *len = strcspn(p, "\n");
            return p;
        }
    return NULL;
}

static bool names_type(const char *from, size_t len, const char *type)
{
    char quoted[64];
    snprintf(quoted, sizeof quoted, "`%s`", type);
    const char *p = strstr(from, quoted);
    return p && p < from + len;
}

/* docs/files.md lists every type; docs/api.md puts each in the row of what the streams show of it. */
static void docs_name_every_type(void **state)
{
    (void)state;
    static const char *const rows[YS_VIEW_N] = {
        [YS_VIEW_ALL] = "| everyone sees it |", [YS_VIEW_ALL_BUT_RULES] = "| everyone, without the rule set's text |",
        [YS_VIEW_ALL_BUT_MIX] = "| everyone, without a shuffle's output and proof |",
        [YS_VIEW_TURNOUT] = "| turnout |", [YS_VIEW_STAFF] = "| staff only |", [YS_VIEW_NEVER] = "| no stream |"};
    char *files = read_doc("files.md"), *api = read_doc("api.md");
    size_t flen, alen;
    const char *list = line_of(files, "Event types:", &flen);
    assert_non_null(list);
    flen = strstr(list, "\n\n") ? (size_t)(strstr(list, "\n\n") - list) : strlen(list);
    for (size_t i = 0; i < YS_EV_N; i++) {
        const char *row = line_of(api, rows[types[i].view], &alen);
        if (!names_type(list, flen, types[i].name))
            fail_msg("docs/files.md does not list %s", types[i].name);
        if (!row || !names_type(row, alen, types[i].name))
            fail_msg("docs/api.md: %s is not in the row '%s'", types[i].name, rows[types[i].view]);
    }
    ys_free(files);
    ys_free(api);
}

/* ---- every event type against every audience of a stream ---- */

enum { BOARD, DELEGATE, DSEC_OWN, DSEC_OTHER, CHAIR, SECRETARIAT, N_AUDIENCES };
static const ys_viewer audiences[N_AUDIENCES] = {
    [BOARD] = {YS_AUTH_OBSERVER, 0},         [DELEGATE] = {YS_AUTH_DELEGATE, 0},
    [DSEC_OWN] = {YS_AUTH_DELEGATION_SECRETARY, 1}, [DSEC_OTHER] = {YS_AUTH_DELEGATION_SECRETARY, 2},
    [CHAIR] = {YS_AUTH_CHAIR, 0},            [SECRETARIAT] = {YS_AUTH_SECRETARIAT, 0},
};

/* Whether audience `a` may see `field` of an event of type t whose secret belongs to delegation 1, as
 * docs/api.md says it: no choice ever; the voter only to staff; the rule set's text at GET /api/rules;
 * a leave's reason to the secretariat and the delegate's own delegation secretary; what a speaker said
 * to the secretariat, the chair and that delegation's secretary; a shuffle's output and proof to no
 * stream (the exported log has them). */
static bool may_see_field(const ys_event_type *t, int a, const char *field)
{
    bool staff = a != BOARD && a != DELEGATE;
    bool vote = t->vote == YS_VOTE_NAMED || t->vote == YS_VOTE_CAST;
    if (vote && !strcmp(field, "choice"))
        return false;
    if (vote && !strcmp(field, "delegate"))
        return staff;
    if (!strcmp(t->name, "session.init") && !strcmp(field, "rules_text"))
        return false;
    if (!strcmp(t->name, "election.shuffle") && (!strcmp(field, "output") || !strcmp(field, "proof")))
        return false;
    if (!strcmp(t->name, "attendance.leave") && !strcmp(field, "reason"))
        return a == SECRETARIAT || a == DSEC_OWN;
    if (!strcmp(t->name, "speech.end") && !strcmp(field, "summary"))
        return a == SECRETARIAT || a == CHAIR || a == DSEC_OWN;
    return true;
}

static bool may_see_event(const ys_event_type *t, int a)
{
    if (t->vote == YS_VOTE_BALLOT)
        return false;
    /* whose card was replaced is the secretariat's business; the deliberations' opinions the drafting team's */
    if (!strcmp(t->name, "card.reissue") || !strcmp(t->name, "opinion.add"))
        return a != BOARD && a != DELEGATE;
    return true;
}

static void streams_show_each_audience(void **state)
{
    (void)state;
    static const char *const fields[] = {"delegate", "choice", "poll", "election", "rules_text", "reason",
                                         "summary", "speech", "meeting", "title", "output", "proof"};
    for (size_t i = 0; i < YS_EV_N; i++) {
        ys_event ev = {.seq = 7, .time = "2024-01-23T07:00:00.000Z", .actor = "delegate:D1"};
        snprintf(ev.type, sizeof ev.type, "%s", types[i].name);
        ev.sealed = types[i].vote == YS_VOTE_BALLOT;
        ev.payload = json_object();
        for (size_t f = 0; f < sizeof fields / sizeof *fields; f++)
            json_object_set_new(ev.payload, fields[f], json_string("x"));
        for (int a = 0; a < N_AUDIENCES; a++) {
            json_t *view = ys_srv_event_view(&ev, &audiences[a], 1);
            if (!may_see_event(&types[i], a)) {
                if (view)
                    fail_msg("%s reaches audience %d", types[i].name, a);
                continue;
            }
            if (!view)
                fail_msg("%s does not reach audience %d", types[i].name, a);
            json_t *p = json_object_get(view, "payload");
            assert_null(json_object_get(view, "actor"));
            assert_int_equal(json_integer_value(json_object_get(view, "seq")), 7);
            for (size_t f = 0; f < sizeof fields / sizeof *fields; f++)
                if ((json_object_get(p, fields[f]) != NULL) != may_see_field(&types[i], a, fields[f]))
                    fail_msg("%s, audience %d: field %s %s", types[i].name, a, fields[f],
                             json_object_get(p, fields[f]) ? "shown" : "hidden");
            json_decref(view);
        }
        ys_event_clear(&ev);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_type_is_whole),  cmocka_unit_test(every_type_applies),
        cmocka_unit_test(every_type_projects),  cmocka_unit_test(docs_name_every_type),
        cmocka_unit_test(streams_show_each_audience),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
