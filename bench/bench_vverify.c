/* bench_vverify.c — writes the session file that bench/run-verify times yishi-verify on: N delegates (3,000
 * unless given), all present, a key of three trustees (threshold 2), a verifiable 1-seat election of two
 * candidates with write-ins allowed, every delegate's ballot encrypted and checked as terminal and server
 * would, the close, two decryptions and the count. Not a test. */
#include "cli/rules_file.h"
#include "yishi/alloc.h"
#include "yishi/command.h"
#include "yishi/journal.h"
#include "yishi/key.h"
#include "yishi/poll.h"
#include "yishi/vballot.h"
#include "yishi/vkey.h"
#include "yishi/vstate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TRUSTEES 3
#define BATCH 100 /* ballots committed together, as the server's group commit would */

static const char *const logins[TRUSTEES] = {"zong", "jian1", "jian2"};
static ys_ctx ctx = {"2026-12-02T07:00:00.000Z", "bench"};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void check(ys_rc rc, const ys_err *err, const char *what)
{
    if (rc) {
        fprintf(stderr, "bench_vverify: %s: %s\n", what, err ? err->msg : ys_rc_text_en(rc));
        exit(1);
    }
}

/* The events a command made, into the open batch (begin … end). */
static void add(ys_journal *j, ys_rc rc, ys_events *evs, ys_err *err, const char *what)
{
    check(rc, err, what);
    check(ys_journal_add(j, evs, err), err, what);
}

static void one(ys_journal *j, ys_rc rc, ys_events *evs, ys_err *err, const char *what)
{
    check(rc, err, what);
    check(ys_journal_commit(j, evs, err), err, what);
}

static void delegates_present(ys_journal *j, int n)
{
    ys_events evs;
    ys_err err = {0};
    ys_diags d;
    ys_csv *c = NULL;
    size_t cap = 128 + (size_t)n * 64, at = 0;
    char *csv = ys_malloc(cap);
    ys_events_init(&evs);
    ys_diags_init(&d);
    at += (size_t)snprintf(csv, cap, "code,name,gender,ethnicity,delegation\n");
    for (int i = 1; i <= n; i++)
        at += (size_t)snprintf(csv + at, cap - at, "V%d,代表%d,%s,汉族,第%d代表团\n", i, i, i % 4 ? "男" : "女", i % 35 + 1);
    check(ys_csv_parse(csv, at, &c, &d), NULL, "delegates");
    one(j, ys_cmd_import(j->session, &ctx, YS_IMPORT_DELEGATES, c, &evs, &d), &evs, &err, "import");
    ys_csv_free(c);
    ys_free(csv);
    const char *agenda = "order,kind,title\n1,elect,选举省长\n";
    check(ys_csv_parse(agenda, strlen(agenda), &c, &d), NULL, "agenda");
    one(j, ys_cmd_import(j->session, &ctx, YS_IMPORT_AGENDA, c, &evs, &d), &evs, &err, "agenda");
    ys_csv_free(c);
    ys_diags_free(&d);
    one(j, ys_cmd_meeting_open(j->session, &ctx, YS_MEETING_PLENARY, "全体会议", NULL, &evs, &err), &evs, &err, "open");
    check(ys_journal_begin(j, &err), &err, "begin");
    for (int i = 1; i <= n; i++) {
        char code[16];
        snprintf(code, sizeof code, "V%d", i);
        add(j, ys_cmd_attendance(j->session, &ctx, 1, code, YS_PRESENT, NULL, &evs, &err), &evs, &err, "checkin");
    }
    check(ys_journal_end(j, &err), &err, "end");
}

/* Key 1, each trustee's part made by its own device (here, this program) and posted. */
static void ceremony(ys_journal *j, ys_vtrustee **t)
{
    ys_events evs;
    ys_err err = {0};
    json_t *m = NULL;
    ys_events_init(&evs);
    one(j, ys_cmd_key_create(j->session, &ctx, logins, TRUSTEES, 2, &evs, &err), &evs, &err, "key");
    for (int i = 0; i < TRUSTEES; i++) {
        check(ys_vtrustee_new(ys_key_get(j->session, 1)->v, (unsigned)i + 1, &t[i], &err), &err, "trustee");
        m = ys_vtrustee_commitment(t[i]);
        one(j, ys_cmd_key_commit(j->session, &ctx, 1, logins[i], m, &evs, &err), &evs, &err, "commit");
        json_decref(m);
    }
    for (int i = 0; i < TRUSTEES; i++) {
        check(ys_vtrustee_seal_shares(t[i], ys_key_get(j->session, 1)->v, &m, &err), &err, "seal");
        one(j, ys_cmd_key_shares(j->session, &ctx, 1, logins[i], m, &evs, &err), &evs, &err, "shares");
        json_decref(m);
    }
    for (int i = 0; i < TRUSTEES; i++) {
        const ys_key *key = ys_key_get(j->session, 1);
        for (int from = 0; from < TRUSTEES; from++)
            if (from != i)
                check(ys_vtrustee_open_share(t[i], key->v, (unsigned)from + 1, key->trustees[from].shares, &err), &err,
                      "open share");
        check(ys_vtrustee_public_share(t[i], &m, &err), &err, "public share");
        one(j, ys_cmd_key_ready(j->session, &ctx, 1, logins[i], m, &evs, &err), &evs, &err, "ready");
        json_decref(m);
    }
}

/* Voter i's marks: 甲 yes and 乙 no from two in three, the other way round from the rest; a few abstain. */
static void marks_of(int i, ys_vmark m[2])
{
    m[0] = i % 3 ? YS_VMARK_YES : YS_VMARK_NO;
    m[1] = i % 3 ? YS_VMARK_NO : YS_VMARK_YES;
    if (i % 17 == 0)
        m[0] = m[1] = YS_VMARK_ABSTAIN;
}

/* Every delegate's ballot: encrypted (terminal), checked (server), cast; committed BATCH at a time. */
static void cast_all(ys_journal *j, int n)
{
    ys_events evs;
    ys_err err = {0};
    ys_vvote *v = NULL;
    ys_events_init(&evs);
    check(ys_election_vvote(j->session, 1, &v, &err), &err, "context");
    for (int i = 1; i <= n; i++) {
        char code[16];
        ys_vmark m[2];
        json_t *ballot = NULL;
        ys_vcast *checked = NULL;
        snprintf(code, sizeof code, "V%d", i);
        marks_of(i, m);
        check(ys_vballot_encrypt(v, code, m, NULL, 0, NULL, &ballot, NULL, &err), &err, "encrypt");
        check(ys_vballot_check(v, code, ballot, &checked, &err), &err, "check");
        if (i % BATCH == 1)
            check(ys_journal_begin(j, &err), &err, "begin");
        add(j, ys_cmd_election_cast(j->session, &ctx, 1, code, ballot, checked, &evs, &err), &evs, &err, "cast");
        if (i % BATCH == 0 || i == n)
            check(ys_journal_end(j, &err), &err, "end");
        ys_vcast_free(checked);
        json_decref(ballot);
    }
    ys_vvote_free(v);
}

static void count(ys_journal *j, ys_vtrustee **t)
{
    ys_events evs;
    ys_err err = {0};
    ys_events_init(&evs);
    one(j, ys_cmd_election_close(j->session, &ctx, 1, &evs, &err), &evs, &err, "close");
    for (int i = 0; i < 2; i++) {
        json_t *cts = ys_election_to_decrypt(j->session, 1, &err), *partials = NULL;
        check(cts ? YS_OK : err.rc, &err, "to decrypt");
        const ys_vvote *v = ys_session_election_get(j->session, 1)->v->vote;
        check(ys_vtrustee_decrypt(t[i], ys_vvote_Q(v), cts, &partials, &err), &err, "decrypt");
        one(j, ys_cmd_election_decrypt(j->session, &ctx, 1, logins[i], partials, &evs, &err), &evs, &err, "decrypt");
        json_decref(partials);
        json_decref(cts);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_vverify FILE [DELEGATES]\n");
        return 2;
    }
    int n = argc > 2 ? atoi(argv[2]) : 3000;
    ys_journal *j = NULL;
    ys_rules *r = NULL;
    ys_diags d;
    ys_err err = {0};
    ys_events evs;
    ys_vtrustee *t[TRUSTEES] = {0};
    ys_diags_init(&d);
    ys_events_init(&evs);
    check(ys_rules_load("prc-provincial", &r, &d, &err), &err, "rules");
    ys_init_args a = {"测试省人民代表大会", "第一届", "第一次会议", r};
    check(ys_journal_create(argv[1], &ctx, &a, &j, &err), &err, argv[1]);
    ys_rules_free(r);
    delegates_present(j, n);
    ceremony(j, t);
    ys_election_args ea = {.item = 1, .kind = YS_ELECTION, .office = "governor", .seats = 1, .key = 1};
    one(j, ys_cmd_election_create(j->session, &ctx, &ea, &evs, &err), &evs, &err, "election");
    one(j, ys_cmd_election_nominate(j->session, &ctx, 1, "甲", NULL, 0, &evs, &err), &evs, &err, "nominate");
    /* The presidium puts up one name for one seat; 30 delegates the other (Art. 26). */
    const char *cosigners[30];
    char codes[30][8];
    for (int i = 0; i < 30; i++)
        snprintf(codes[i], sizeof codes[i], "V%d", i + 1), cosigners[i] = codes[i];
    one(j, ys_cmd_election_nominate(j->session, &ctx, 1, "乙", cosigners, 30, &evs, &err), &evs, &err, "nominate");
    one(j, ys_cmd_election_open(j->session, &ctx, 1, &evs, &err), &evs, &err, "open");
    double t0 = now();
    cast_all(j, n);
    double t1 = now();
    count(j, t);
    const json_t *res = ys_session_election_get(j->session, 1)->result;
    const char *elected = json_string_value(json_array_get(json_object_get(res, "elected"), 0));
    printf("%s: %d ballots encrypted, checked and cast in %.1f s (%.2f ms each); counted: %s elected\n", argv[1], n,
           t1 - t0, 1e3 * (t1 - t0) / n, elected ? elected : "nobody");
    for (int i = 0; i < TRUSTEES; i++)
        ys_vtrustee_free(t[i]);
    ys_journal_close(j);
    return 0;
}
