/* test_agree.c — the session counts as `yishi count` does: every counting case in tests/cases with an
 * expected result is held again as a poll, an election or a plenary's quorum of a session (delegates
 * checked in, votes cast one by one through the commands, secret ballots through the box) and must give
 * the same result; a case file that does not parse fails. */
#include "testutil.h"

#include "yishi/poll.h"

#include <dirent.h>

typedef struct held {
    ys_session *s;
    int skipped;   /* cases a session cannot hold: more ballots than issued, no quorum to open, not a vote */
    int agreed;
} held;

static held tally;

static void must(ys_rc rc, const ys_err *err, const char *what, const char *file)
{
    if (rc)
        fail_msg("%s: %s: %s", file, what, err->msg);
}

static ys_rc apply_all(ys_session *s, ys_events *evs, ys_err *err)
{
    ys_rc rc = ys_session_accept(s, evs->v, evs->n, NULL, err);
    ys_events_free(evs);
    return rc;
}

/* A session under `rules` with `entitled` delegates D1…, the first `present` checked in at an open plenary. */
static ys_session *hall(const char *rules, int entitled, int present, const char *file)
{
    ys_session *s = test_session(rules);
    char *csv = test_delegates_csv(entitled, 1);
    ys_events evs;
    ys_err err = {0};
    must(test_import(s, YS_IMPORT_DELEGATES, csv, NULL), &err, "import", file);
    ys_free(csv);
    ys_events_init(&evs);
    must(ys_cmd_meeting_open(s, &test_ctx, YS_MEETING_PLENARY, "全体会议", NULL, &evs, &err), &err, "meeting", file);
    must(apply_all(s, &evs, &err), &err, "apply", file);
    ys_events_init(&evs);
    for (int i = 1; i <= present; i++) {
        char code[16];
        snprintf(code, sizeof code, "D%d", i);
        must(ys_cmd_attendance(s, &test_ctx, 1, code, YS_PRESENT, NULL, &evs, &err), &err, "checkin", file);
    }
    must(apply_all(s, &evs, &err), &err, "apply", file);
    return s;
}

static int num(const json_t *o, const char *key) { return (int)json_integer_value(json_object_get(o, key)); }

static void hold_resolution(const json_t *in, const json_t *want, const char *file)
{
    ys_session *s = hall(json_string_value(json_object_get(in, "rules")), num(in, "entitled"), num(in, "present"), file);
    const char *majority = json_string_value(json_object_get(in, "majority"));
    ys_poll_args a = {.title = "决议", .method = YS_METHOD_TERMINAL, .named = true,
                      .majority = majority && !strcmp(majority, "two_thirds") ? YS_MAJORITY_TWO_THIRDS : YS_MAJORITY_SIMPLE};
    ys_events evs;
    ys_err err = {0};
    ys_events_init(&evs);
    must(ys_cmd_poll_create(s, &test_ctx, &a, &evs, &err), &err, "create", file);
    must(apply_all(s, &evs, &err), &err, "apply", file);
    ys_events_init(&evs);
    ys_rc rc = ys_cmd_poll_open(s, &test_ctx, 1, &evs, &err);
    if (!json_is_true(json_object_get(want, "quorate"))) {
        /* the count says not quorate, so not passed; the session does not even open the vote */
        assert_int_equal(rc, YS_STATE);
        ys_events_free(&evs);
        ys_session_free(s);
        tally.agreed++;
        return;
    }
    must(rc, &err, "open", file);
    must(apply_all(s, &evs, &err), &err, "apply", file);
    int voter = 1;
    static const char *const keys[] = {"yes", "no", "abstain"};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < num(in, keys[k]); i++, voter++) {
            char code[16];
            snprintf(code, sizeof code, "D%d", voter);
            ys_events_init(&evs);
            must(ys_cmd_poll_vote(s, &test_ctx, 1, code, (ys_choice)(k + 1), &evs, &err), &err, "vote", file);
            must(apply_all(s, &evs, &err), &err, "apply", file);
        }
    ys_events_init(&evs);
    must(ys_cmd_poll_close(s, &test_ctx, 1, &evs, &err), &err, "close", file);
    must(apply_all(s, &evs, &err), &err, "apply", file);
    const ys_poll *p = ys_poll_get(s, 1);
    char text[1024];
    ys_poll_announcement(p, text, sizeof text);
    if (p->result.passed != json_is_true(json_object_get(want, "passed")) || p->result.quorum != num(want, "quorum") ||
        p->result.threshold != num(want, "threshold") ||
        strcmp(text, json_string_value(json_object_get(want, "announcement"))))
        fail_msg("%s: the session's poll gives passed=%d quorum=%d threshold=%d «%s»", file, p->result.passed,
                 p->result.quorum, p->result.threshold, text);
    tally.agreed++;
    ys_session_free(s);
}

/* Nominations are applied as the presidium's directly: counting does not depend on who nominated,
 * and Art. 26's co-signature numbers could not be met in a nine-delegate case. */
static void nominate_all(ys_session *s, const json_t *in, const char *file)
{
    size_t i;
    const json_t *v;
    ys_events evs;
    ys_err err = {0};
    ys_events_init(&evs);
    json_array_foreach(json_object_get(in, "candidates"), i, v)
        must(ys_events_add(&evs, test_ctx.time, test_ctx.actor, "election.nominate",
                           json_pack("{s:i, s:s, s:s}", "election", 1, "name", json_string_value(v), "by", "presidium"),
                           &err), &err, "nominate", file);
    must(apply_all(s, &evs, &err), &err, "apply", file);
}

static const char **names_of(const json_t *ballot, const char *key, size_t *n)
{
    const json_t *a = json_object_get(ballot, key);
    *n = json_array_size(a);
    const char **v = ys_calloc(*n + 1, sizeof *v);
    for (size_t i = 0; i < *n; i++)
        v[i] = json_string_value(json_array_get(a, i));
    return v;
}

static void hold_election(const json_t *in, const json_t *want, bool preliminary, const char *file)
{
    const json_t *ballots = json_object_get(in, "ballots");
    int issued = num(in, "ballots_issued");
    /* a terminal hands out no more ballots than it issued; a session's preliminary prepares an office */
    if (json_array_size(ballots) > (size_t)issued || !json_object_get(in, "office")) {
        tally.skipped++;
        return;
    }
    ys_session *s = hall(json_string_value(json_object_get(in, "rules")), num(in, "entitled"), issued, file);
    ys_attendance att = ys_meeting_attendance(s, ys_current_meeting(s));
    if (!att.quorate) {
        tally.skipped++;
        ys_session_free(s);
        return;
    }
    ys_election_args a = {.kind = preliminary ? YS_PRELIMINARY : YS_ELECTION,
                          .office = json_string_value(json_object_get(in, "office")),
                          .seats = preliminary ? num(in, "formal_candidates") : num(in, "seats"),
                          .office_seats = preliminary ? num(in, "seats") : 0,
                          .by_election = json_is_true(json_object_get(in, "by_election"))};
    ys_events evs;
    ys_err err = {0};
    ys_events_init(&evs);
    must(ys_cmd_election_create(s, &test_ctx, &a, &evs, &err), &err, "create", file);
    const char *round = json_string_value(json_object_get(in, "round"));
    if (round) /* a further round or a new vote among the tied follows an election this case does not hold */
        json_object_set_new(evs.v[0].payload, "round", json_string(round));
    must(apply_all(s, &evs, &err), &err, "apply", file);
    nominate_all(s, in, file);
    ys_events_init(&evs);
    must(ys_cmd_election_open(s, &test_ctx, 1, &evs, &err), &err, "open", file);
    must(apply_all(s, &evs, &err), &err, "apply", file);
    size_t i;
    const json_t *b;
    json_array_foreach(ballots, i, b) {
        ys_ballot bl;
        const char **yes = names_of(b, "yes", &bl.n_yes), **no = names_of(b, "no", &bl.n_no);
        const char **wi = names_of(b, "write_in", &bl.n_write_in);
        char code[16];
        bl.yes = yes, bl.no = no, bl.write_in = wi;
        snprintf(code, sizeof code, "D%d", (int)i + 1);
        ys_events_init(&evs);
        must(ys_cmd_election_vote(s, &test_ctx, 1, code, &bl, &evs, &err), &err, "vote", file);
        must(apply_all(s, &evs, &err), &err, "apply", file);
        ys_free(yes), ys_free(no), ys_free(wi);
    }
    ys_events_init(&evs);
    must(ys_cmd_election_close(s, &test_ctx, 1, &evs, &err), &err, "close", file);
    must(apply_all(s, &evs, &err), &err, "apply", file);
    const json_t *got = ys_session_election_get(s, 1)->result;
    if (!json_equal(got, want)) {
        char *g = json_dumps(got, JSON_COMPACT), *w = json_dumps(want, JSON_COMPACT);
        fail_msg("%s:\n session %s\n count   %s", file, g, w);
    }
    tally.agreed++;
    ys_session_free(s);
}

/* The session's quorum for a threshold case of the quorum rule: `base` entitled, `count` checked in. */
static void hold_quorum(const json_t *in, const json_t *want, const char *file)
{
    ys_session *s = hall(json_string_value(json_object_get(in, "rules")), num(in, "base"), num(in, "count"), file);
    ys_attendance att = ys_meeting_attendance(s, ys_current_meeting(s));
    if (att.quorum != num(want, "needed") || att.quorate != json_is_true(json_object_get(want, "met")))
        fail_msg("%s: the session's plenary gives quorum %d, quorate %d", file, att.quorum, att.quorate);
    tally.agreed++;
    ys_session_free(s);
}

/* A case file, parsed; NULL only if there is no such file. A file that does not parse fails the test. */
static json_t *load(const char *dir, const char *name)
{
    char path[1024];
    json_error_t e;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (access(path, F_OK) != 0)
        return NULL;
    json_t *v = json_load_file(path, 0, &e);
    if (!v)
        fail_msg("%s does not parse: line %d: %s", name, e.line, e.text);
    return v;
}

static void hold_case(const json_t *in, const json_t *want, const char *file)
{
    const char *kind = json_string_value(json_object_get(in, "kind"));
    const char *rule = json_string_value(json_object_get(in, "rule"));
    if (!kind)
        fail_msg("%s has no kind", file);
    if (!strcmp(kind, "resolution"))
        hold_resolution(in, want, file);
    else if (!strcmp(kind, "election") || !strcmp(kind, "preliminary"))
        hold_election(in, want, !strcmp(kind, "preliminary"), file);
    else if (!strcmp(kind, "threshold") && rule && !strcmp(rule, "quorum"))
        hold_quorum(in, want, file);
    else if (!strcmp(kind, "threshold"))
        tally.skipped++; /* co-signatures and the presidium's rules are not a vote of the session */
    else
        fail_msg("%s: unknown kind %s", file, kind);
}

static void every_case_agrees(void **state)
{
    (void)state;
    DIR *d = opendir(YS_CASES_DIR);
    struct dirent *ent;
    int with_result = 0;
    assert_non_null(d);
    while ((ent = readdir(d))) {
        size_t len = strlen(ent->d_name);
        if (len < 6 || strcmp(ent->d_name + len - 5, ".json") != 0)
            continue;
        char expected[512];
        snprintf(expected, sizeof expected, "%.*s.expected", (int)(len - 5), ent->d_name);
        json_t *in = load(YS_CASES_DIR, ent->d_name), *want = load(YS_CASES_DIR, expected);
        if (want) { /* a case with an .error file is refused by the count and has nothing to agree on */
            with_result++;
            hold_case(in, want, ent->d_name);
        }
        json_decref(in);
        json_decref(want);
    }
    closedir(d);
    print_message("%d cases held in a session agree with yishi count; %d cannot be held in one\n", tally.agreed,
                  tally.skipped);
    assert_int_equal(tally.agreed + tally.skipped, with_result); /* every case was held or said why not */
    assert_true(tally.agreed >= 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_case_agrees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
