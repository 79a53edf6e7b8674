/* test_logins.c — session tokens held in memory: the table itself against a plain list, and the logins of
 * a session file (or, as test_logins_pg, of a session in PostgreSQL): a check reads no SQL, logout and expiry
 * end a token at once, a restart keeps the rest. */
#include "storeutil.h"

#include "store/auth_tokens.h"
#include "yishi/auth.h"
#include "yishi/store.h"

#include <sodium.h>
#include <time.h>

#define N_REF 3000

typedef struct ref_token {
    uint8_t h[YS_HASH_BYTES];
    bool card, live;
    int64_t expires;
    char name[16];
} ref_token;

static void ref_principal(const ref_token *r, ys_principal *who)
{
    memset(who, 0, sizeof *who);
    who->role = r->card ? YS_AUTH_DELEGATE : YS_AUTH_DELEGATION_SECRETARY;
    snprintf(who->name, sizeof who->name, "%s", r->name);
    snprintf(who->delegation, sizeof who->delegation, "%s", r->card ? "" : "太原市");
    who->expires = r->expires;
}

/* Every token the list says is live is found with its holder, and no other. */
static void tokens_match(ys_tokens *t, const ref_token *ref, size_t n, int64_t now)
{
    for (size_t i = 0; i < n; i++) {
        ys_principal got, want;
        bool live = ref[i].live && ref[i].expires > now;
        assert_int_equal(ys_tokens_get(t, ref[i].h, now, &got), live);
        if (!live)
            continue;
        ref_principal(&ref[i], &want);
        assert_int_equal(got.role, want.role);
        assert_string_equal(got.name, want.name);
        assert_string_equal(got.delegation, want.delegation);
        assert_int_equal(got.expires, want.expires);
    }
}

static void token_table_matches_a_list(void **state)
{
    (void)state;
    static ref_token ref[N_REF];
    const int64_t now = 1000000;
    ys_tokens *t = ys_tokens_new();
    assert_non_null(t);
    for (size_t i = 0; i < N_REF; i++) { /* enough to grow every shard several times */
        ys_principal who;
        randombytes_buf(ref[i].h, sizeof ref[i].h);
        ref[i].card = i % 3 != 0;
        ref[i].live = true;
        ref[i].expires = i % 2 ? now + 1000 : now + 10 + (int64_t)(i % 50);
        snprintf(ref[i].name, sizeof ref[i].name, "%s%zu", ref[i].card ? "14010" : "clerk", i % 700);
        ref_principal(&ref[i], &who);
        assert_int_equal(ys_tokens_put(t, ref[i].h, ref[i].card, &who, now), 0);
    }
    tokens_match(t, ref, N_REF, now);
    for (size_t i = 0; i < N_REF; i += 7) { /* logouts */
        ys_tokens_drop(t, ref[i].h);
        ref[i].live = false;
    }
    ys_tokens_drop_subject(t, true, "140105"); /* a new card ends every login of that card, and no other */
    ys_tokens_drop_subject(t, false, "clerk3");
    for (size_t i = 0; i < N_REF; i++)
        if ((ref[i].card && !strcmp(ref[i].name, "140105")) || (!ref[i].card && !strcmp(ref[i].name, "clerk3")))
            ref[i].live = false;
    tokens_match(t, ref, N_REF, now);
    tokens_match(t, ref, N_REF, now + 30); /* expiry, with nothing swept yet */
    assert_int_equal(ys_tokens_count(t), N_REF);
    /* A token added a minute on sweeps its shard: what ended is freed, what lives is still found. */
    ys_principal who;
    ref_token late = {.card = true, .live = true, .expires = now + 200, .name = "140100001"};
    randombytes_buf(late.h, sizeof late.h);
    ref_principal(&late, &who);
    assert_int_equal(ys_tokens_put(t, late.h, true, &who, now + 90), 0);
    assert_true(ys_tokens_count(t) < N_REF);
    tokens_match(t, ref, N_REF, now + 90);
    assert_true(ys_tokens_get(t, late.h, now + 199, &who));
    assert_false(ys_tokens_get(t, late.h, now + 200, &who));
    ys_tokens_free(t);
}

/* ---- the logins of a session file, or of a session in PostgreSQL ---- */

static char *new_logins_file(void)
{
    char *path = test_store_new();
    ys_store *st = NULL;
    ys_err err = {0};
    assert_int_equal(ys_store_open(path, YS_STORE_CREATE, &st, &err), YS_OK); /* the schema, logins included */
    ys_store_close(st);
    return path;
}

static ys_auth *open_logins(const char *path)
{
    ys_auth *a = NULL;
    ys_err err = {0};
    assert_int_equal(ys_auth_open(path, &a, &err), YS_OK);
    return a;
}

/* Logs in `name` with PASSWORD at `now` for `ttl` seconds; returns the token (ys_free it). */
#define PASSWORD "a long enough password"
static char *login(ys_auth *a, const char *name, int64_t now, int ttl)
{
    ys_login out;
    ys_err err = {0};
    ys_login_try t = {.name = name, .password = PASSWORD, .now = now, .ttl = ttl};
    assert_int_equal(ys_auth_login(a, &t, &out, &err), YS_OK);
    return ys_strdup(out.token);
}

static char *card_login(ys_auth *a, const char *code, int64_t now)
{
    ys_login out;
    ys_err err = {0};
    ys_login_try t = {.code = code, .pin = "472913", .now = now, .ttl = 3600};
    assert_int_equal(ys_auth_login(a, &t, &out, &err), YS_OK);
    return ys_strdup(out.token);
}

static bool holds(ys_auth *a, const char *token, int64_t now)
{
    ys_principal who;
    ys_err err = {0};
    ys_rc rc = ys_auth_check(a, token, now, &who, &err);
    assert_true(rc == YS_OK || rc == YS_UNAUTHORIZED);
    return rc == YS_OK;
}

static int setup(void **state)
{
    setenv("YISHI_TEST_WEAK_PWHASH", "1", 1);
    char *path = new_logins_file();
    ys_auth *a = open_logins(path);
    ys_err err = {0};
    assert_int_equal(ys_auth_add_account(a, "张明", YS_AUTH_SECRETARIAT, NULL, PASSWORD, &err), YS_OK);
    assert_int_equal(ys_auth_add_account(a, "taiyuan", YS_AUTH_DELEGATION_SECRETARY, "太原市", PASSWORD, &err), YS_OK);
    assert_int_equal(ys_auth_add_account(a, "chair", YS_AUTH_CHAIR, NULL, PASSWORD, &err), YS_OK);
    ys_auth_close(a);
    *state = path;
    return 0;
}

static int teardown(void **state)
{
    test_store_remove(*state);
    ys_free(*state);
    return 0;
}

static void logout_and_expiry_end_a_token_at_once(void **state)
{
    int64_t now = (int64_t)time(NULL);
    ys_auth *a = open_logins(*state);
    char *gone = login(a, "张明", now, 3600), *kept = login(a, "张明", now, 3600), *brief = login(a, "chair", now, 100);
    assert_true(holds(a, gone, now));
    ys_err err = {0};
    assert_int_equal(ys_auth_logout(a, gone, &err), YS_OK);
    assert_false(holds(a, gone, now));
    assert_true(holds(a, kept, now)); /* the account's other login stays */
    assert_true(holds(a, brief, now + 99));
    assert_false(holds(a, brief, now + 100));
    ys_auth_close(a);
    a = open_logins(*state); /* a restart: the file is the record */
    assert_false(holds(a, gone, now));
    assert_true(holds(a, kept, now));
    ys_auth_close(a);
    ys_free(gone), ys_free(kept), ys_free(brief);
}

static void a_restart_keeps_who_holds_a_token(void **state)
{
    int64_t now = (int64_t)time(NULL);
    ys_auth *a = open_logins(*state);
    char *t = login(a, "taiyuan", now, 3600);
    ys_auth_close(a);
    a = open_logins(*state);
    ys_principal who;
    ys_err err = {0};
    assert_int_equal(ys_auth_check(a, t, now, &who, &err), YS_OK);
    assert_int_equal(who.role, YS_AUTH_DELEGATION_SECRETARY);
    assert_string_equal(who.name, "taiyuan");
    assert_string_equal(who.delegation, "太原市");
    assert_string_equal(who.actor, "delegation_secretary:taiyuan");
    assert_int_equal(who.expires, now + 3600);
    ys_auth_close(a);
    ys_free(t);
}

static void a_new_password_or_card_ends_its_logins(void **state)
{
    int64_t now = (int64_t)time(NULL);
    char card[YS_AUTH_CARD_TEXT];
    ys_err err = {0};
    ys_auth *a = open_logins(*state);
    assert_int_equal(ys_auth_issue_card(a, "140100001", "AAAA-BBBB-CCCC-DDDD", card, &err), YS_OK);
    assert_int_equal(ys_auth_issue_card(a, "140100002", "AAAA-BBBB-CCCC-EEEE", card, &err), YS_OK);
    char *staff = login(a, "chair", now, 3600), *other = login(a, "张明", now, 3600);
    char *held = card_login(a, "AAAA-BBBB-CCCC-DDDD", now), *neighbour = card_login(a, "AAAA-BBBB-CCCC-EEEE", now);
    assert_int_equal(ys_auth_set_password(a, "chair", "another long password", &err), YS_OK);
    assert_false(holds(a, staff, now));
    assert_true(holds(a, other, now));
    assert_int_equal(ys_auth_issue_card(a, "140100001", NULL, card, &err), YS_OK);
    assert_false(holds(a, held, now));
    assert_true(holds(a, neighbour, now));
    ys_auth_close(a);
    a = open_logins(*state);
    assert_false(holds(a, staff, now));
    assert_false(holds(a, held, now));
    assert_true(holds(a, neighbour, now));
    assert_int_equal(ys_auth_set_password(a, "chair", PASSWORD, &err), YS_OK);
    ys_auth_close(a);
    ys_free(staff), ys_free(other), ys_free(held), ys_free(neighbour);
}

/* A hall's cards are issued in one transaction: when one of them cannot be (here a code that is another
 * delegate's), none is, and the cards already in force still log in. */
static void cards_are_issued_all_or_none(void **state)
{
    int64_t now = (int64_t)time(NULL);
    char cards[3][YS_AUTH_CARD_TEXT];
    ys_err err = {0};
    ys_auth *a = open_logins(*state);
    const char *first[] = {"140200001", "140200009"}, *first_codes[] = {"FFFF-GGGG-HHHH-JJJJ", "2222-3333-4444-5555"};
    assert_int_equal(ys_auth_issue_cards(a, first, first_codes, 2, cards, &err), YS_OK);
    char *held = card_login(a, "FFFF-GGGG-HHHH-JJJJ", now);
    /* the third code is 140200009's, who is not in the batch */
    const char *who[] = {"140200002", "140200001", "140200003"};
    const char *codes[] = {"KKKK-MMMM-NNNN-PPPP", "QQQQ-RRRR-SSSS-TTTT", "2222-3333-4444-5555"};
    assert_int_equal(ys_auth_issue_cards(a, who, codes, 3, cards, &err), YS_CONFLICT);
    ys_login out;
    ys_login_try t = {.code = "KKKK-MMMM-NNNN-PPPP", .pin = "472913", .now = now, .ttl = 3600};
    assert_int_equal(ys_auth_login(a, &t, &out, &err), YS_UNAUTHORIZED); /* the first of the batch is not issued */
    ys_free(card_login(a, "FFFF-GGGG-HHHH-JJJJ", now));                   /* and 140200001's card still works */
    const char *ok_codes[] = {"KKKK-MMMM-NNNN-PPPP", "QQQQ-RRRR-SSSS-TTTT", "VVVV-WWWW-XXXX-YYYY"};
    assert_int_equal(ys_auth_issue_cards(a, who, ok_codes, 3, cards, &err), YS_OK);
    assert_string_equal(cards[2], "VVVV-WWWW-XXXX-YYYY");
    assert_false(holds(a, held, now)); /* 140200001's card was replaced: its login ended */
    ys_free(card_login(a, "QQQQ-RRRR-SSSS-TTTT", now));
    ys_free(card_login(a, "2222-3333-4444-5555", now));
    ys_auth_close(a);
    ys_free(held);
}

/* A check reads the table in memory, never the file: a token ended in the file behind the process's back
 * (which no yishi process does while another holds the file for writing) still answers until the logins
 * are opened again, and then it does not. */
static void a_check_reads_no_sql(void **state)
{
    int64_t now = (int64_t)time(NULL);
    ys_auth *a = open_logins(*state);
    char *t = login(a, "张明", now, 3600);
    assert_true(test_store_sql(*state, "UPDATE auth_tokens SET revoked = 1",
                               "UPDATE auth_tokens SET revoked = 1 WHERE session_id = {session}"));
    assert_true(holds(a, t, now));
    ys_auth_close(a);
    a = open_logins(*state);
    assert_false(holds(a, t, now));
    ys_auth_close(a);
    ys_free(t);
}

/* The logins' throttle is unchanged: a name's bucket fills with failures and unlock empties it. */
static void unlock_still_opens_a_full_bucket(void **state)
{
    int64_t now = (int64_t)time(NULL);
    ys_auth *a = open_logins(*state);
    ys_login out;
    ys_err err = {0};
    ys_login_try bad = {.name = "taiyuan", .password = "not the password", .now = now, .ttl = 3600};
    for (int i = 0; i < ys_auth_bucket_capacity(YS_AUTH_B_ACCOUNT); i++)
        assert_int_equal(ys_auth_login(a, &bad, &out, &err), YS_UNAUTHORIZED);
    ys_login_try good = {.name = "taiyuan", .password = PASSWORD, .now = now, .ttl = 3600};
    assert_int_equal(ys_auth_login(a, &good, &out, &err), YS_RATE_LIMITED);
    assert_int_equal(ys_auth_unlock(a, "taiyuan", false, &err), YS_OK);
    assert_int_equal(ys_auth_login(a, &good, &out, &err), YS_OK);
    assert_true(holds(a, out.token, now));
    ys_auth_close(a);
}

static int tokens_ending_at(const char *path, int64_t when)
{
    char sql[120], *n = NULL;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM auth_tokens WHERE expires_at = %lld", (long long)when);
    assert_true(test_store_sql_value(path, sql, NULL, &n)); /* the session's rows, as a file's */
    int count = atoi(n);
    ys_free(n);
    return count;
}

/* Tokens that ended a day ago leave the file, but a login drops them at most once a minute (the deletes
 * scan their tables: at every login they made a hall's logins quadratic). */
static void ended_tokens_are_dropped_once_a_minute(void **state)
{
    const int64_t t0 = (int64_t)time(NULL), later = t0 + 86400 + 200;
    ys_auth *a = open_logins(*state);
    ys_free(login(a, "chair", t0, 123)); /* ends at t0 + 123, a day before `later` - 77 */
    assert_int_equal(tokens_ending_at(*state, t0 + 123), 1);
    ys_free(login(a, "chair", later, 3600));
    assert_int_equal(tokens_ending_at(*state, t0 + 123), 0);
    ys_free(login(a, "chair", t0 + 1, 123)); /* ends at t0 + 124, as old */
    ys_free(login(a, "chair", later + 30, 3600));
    assert_int_equal(tokens_ending_at(*state, t0 + 124), 1); /* not yet: 30 s after the last drop */
    ys_free(login(a, "chair", later + 60, 3600));
    assert_int_equal(tokens_ending_at(*state, t0 + 124), 0);
    ys_auth_close(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(token_table_matches_a_list),
        cmocka_unit_test(logout_and_expiry_end_a_token_at_once),
        cmocka_unit_test(a_restart_keeps_who_holds_a_token),
        cmocka_unit_test(a_new_password_or_card_ends_its_logins),
        cmocka_unit_test(cards_are_issued_all_or_none),
        cmocka_unit_test(a_check_reads_no_sql),
        cmocka_unit_test(unlock_still_opens_a_full_bucket),
        cmocka_unit_test(ended_tokens_are_dropped_once_a_minute),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
