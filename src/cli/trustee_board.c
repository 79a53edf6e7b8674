/* trustee_board.c — the board of a vote checked by a trustee before it decrypts anything (docs/verifiable.md §8):
 * the context remade from the key the trustee has checked, every cast ballot's proofs, and the asked ciphertexts
 * compared with the sums of those ballots. src/core's ys_vboard does the checking; this file reads the pages. */
#include "cli/trustee_board.h"

#include "yishi/alloc.h"
#include "yishi/vboard.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Ballots asked for a page: some 3 MB of a 72-candidate election's, a few hundred KB of a 1-seat one. */
#define PAGE 50

typedef struct reading {
    ys_client *c;
    const ys_trustee_vote *v;
    const ys_vkey *key;
    const char *session_id;
    ys_vboard *board;
    char Q[2 * YS_VHASH];  /* the context's Q, as base64 */
    json_int_t cast;       /* the ballots cast, as the last page says */
} reading;

static const char *kind_of(const ys_trustee_vote *v) { return v->poll ? "poll" : "election"; }

static ys_rc refuse(ys_err *err, const reading *r, const char *field, const char *why)
{
    return ys_fail(err, YS_BAD_PROOF, field, "%s %lld: refusing to decrypt: %s", kind_of(r->v), r->v->id, why);
}

/* The vote's context from the trustee's key and the board's V, S and list; the Q, B and P the open recorded must
 * be what they make, else the board is another vote's (or made up). */
static ys_rc make_vote(reading *r, const json_t *ctx, ys_err *err)
{
    const json_t *names = json_object_get(ctx, "names"), *V = json_object_get(ctx, "V"), *S = json_object_get(ctx, "S");
    size_t n = json_array_size(names);
    const char **list = ys_calloc(n + 1, sizeof *list);
    ys_vvote *vote = NULL;
    if (!list)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory reading the board");
    bool ok = n && json_is_integer(V) && json_integer_value(V) > 0 && json_is_integer(S) && json_integer_value(S) > 0;
    for (size_t i = 0; ok && i < n; i++)
        ok = (list[i] = json_string_value(json_array_get(names, i))) != NULL;
    ys_rc rc = ok ? ys_vvote_for_key(r->key, r->session_id, r->v->poll, (uint64_t)r->v->id,
                                     (uint64_t)json_integer_value(V), (uint64_t)json_integer_value(S), list, n,
                                     r->v->writeins, &vote, err)
                  : refuse(err, r, "context", "the board gives no context (V, S and the names on the list)");
    ys_free(list);
    if (rc)
        return rc;
    sodium_bin2base64(r->Q, sizeof r->Q, ys_vvote_Q(vote), YS_VHASH, sodium_base64_VARIANT_ORIGINAL);
    const char *theirs = json_string_value(json_object_get(ctx, "Q"));
    if (!theirs || strcmp(theirs, r->Q) || json_integer_value(json_object_get(ctx, "B")) != (json_int_t)ys_vvote_B(vote) ||
        json_integer_value(json_object_get(ctx, "P")) != (json_int_t)ys_vvote_P(vote)) {
        ys_vvote_free(vote);
        return refuse(err, r, "context", "the board's context (its Q, B or P) is not what the key and the vote's list "
                      "make: its ballots are another vote's");
    }
    return ys_vboard_new(&r->board, vote, ys_vkey_k(r->key), err);
}

/* One page's ballots, in order, into the board. */
static ys_rc add_page(reading *r, const json_t *page, ys_err *err)
{
    const json_t *list = json_object_get(page, "ballots"), *one;
    size_t n = json_array_size(list), i;
    if (!json_is_array(list))
        return refuse(err, r, "ballots", "a page of the board has no list of ballots");
    ys_vboard_ballot *x = ys_calloc(n ? n : 1, sizeof *x);
    if (!x)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory reading the board");
    json_array_foreach(list, i, one) {
        x[i] = (ys_vboard_ballot){json_integer_value(json_object_get(one, "seq")),
                                  json_string_value(json_object_get(one, "voter")),
                                  json_string_value(json_object_get(one, "code")), json_object_get(one, "ballot")};
    }
    ys_err why = {0};
    ys_rc rc = ys_vboard_add(r->board, n, x, &why);
    ys_free(x);
    if (rc && rc != YS_NOMEM)
        return refuse(err, r, why.field, why.msg);
    return rc ? ys_fail(err, rc, NULL, "%s", why.msg) : YS_OK;
}

/* Every page, from the first to the one whose `next` is null. */
static ys_rc read_board(reading *r, ys_err *err)
{
    long long after = 0;
    ys_rc rc = YS_OK;
    for (bool more = true; !rc && more;) {
        char path[128];
        json_t *page = NULL;
        snprintf(path, sizeof path, "%s/board?after=%lld&limit=%d", r->v->path, after, PAGE);
        rc = ys_client_call(r->c, "GET", path, NULL, &page, err);
        if (!rc && !r->board)
            rc = make_vote(r, json_object_get(page, "context"), err);
        if (!rc)
            rc = add_page(r, page, err);
        const json_t *next = json_object_get(page, "next");
        r->cast = json_integer_value(json_object_get(page, "cast"));
        more = json_is_integer(next);
        if (!rc && more && json_integer_value(next) <= after)
            rc = refuse(err, r, "next", "the board's pages do not move on");
        else if (!rc && !more && !json_is_null(next))
            rc = refuse(err, r, "next", "a page of the board says neither where the next begins nor that it is the last");
        after = json_integer_value(next);
        json_decref(page);
    }
    return rc;
}

/* Shuffle m as logged, into the board: its proof against the tuples the board holds. */
static ys_rc add_shuffle(reading *r, long long m, ys_err *err)
{
    char path[128];
    json_t *sh = NULL;
    snprintf(path, sizeof path, "%s/shuffles?m=%lld", r->v->path, m);
    ys_rc rc = ys_client_call(r->c, "GET", path, NULL, &sh, err);
    ys_err why = {0};
    if (!rc && json_integer_value(json_object_get(sh, "m")) != m)
        rc = refuse(err, r, "m", "the server gives another shuffle than the one asked for");
    if (!rc && (rc = ys_vboard_shuffle(r->board, (int)m, (int)json_integer_value(json_object_get(sh, "trustee")),
                                       json_object_get(sh, "output"), json_object_get(sh, "proof"), &why)))
        rc = rc == YS_NOMEM ? ys_fail(err, rc, NULL, "%s", why.msg) : refuse(err, r, why.field, why.msg);
    json_decref(sh);
    return rc;
}

/* Every shuffle the log holds, in order, each checked from the one before (the first from the ballots). */
static ys_rc read_shuffles(reading *r, ys_err *err)
{
    char path[128];
    json_t *list = NULL;
    if (r->v->poll || !r->v->writeins || !r->v->shuffles)
        return YS_OK;
    snprintf(path, sizeof path, "%s/shuffles", r->v->path);
    ys_rc rc = ys_client_call(r->c, "GET", path, NULL, &list, err);
    size_t n = json_array_size(json_object_get(list, "shuffles"));
    if (!rc && n != (size_t)r->v->shuffles)
        rc = refuse(err, r, "shuffles", "the log lists another number of shuffles than the election's view gives");
    for (size_t m = 1; !rc && m <= n; m++)
        rc = add_shuffle(r, (long long)m, err);
    json_decref(list);
    return rc;
}

/* The board read whole: as many ballots as the board and the vote's own view say were cast. */
static ys_rc same_count(reading *r, ys_err *err)
{
    char why[200];
    unsigned long long have = ys_vboard_count(r->board);
    if (have == (unsigned long long)r->cast && have == (unsigned long long)r->v->cast)
        return YS_OK;
    snprintf(why, sizeof why, "the board holds %llu ballots, and says %lld were cast (the %s itself says %lld)", have,
             (long long)r->cast, kind_of(r->v), r->v->cast);
    return refuse(err, r, "cast", why);
}

/* What the server asks to decrypt: under this vote's Q, and each ciphertext the sum of the board's ballots. */
static ys_rc same_ciphertexts(reading *r, const json_t *job, ys_err *err)
{
    const char *q = json_string_value(json_object_get(job, "Q"));
    if (!q || strcmp(q, r->Q))
        return refuse(err, r, "Q", "what the server asks to decrypt is bound to another context Q than the board's");
    ys_err why = {0};
    ys_rc rc = ys_vboard_match(r->board, json_object_get(job, "ciphertexts"), &why);
    if (rc && rc != YS_NOMEM)
        return refuse(err, r, why.field, why.msg);
    return rc ? ys_fail(err, rc, NULL, "%s", why.msg) : YS_OK;
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The board and the shuffles so far, read and checked. */
static ys_rc read_all(reading *r, double *began, ys_err *err)
{
    *began = seconds();
    ys_rc rc = read_board(r, err);
    if (!rc)
        rc = same_count(r, err);
    if (!rc)
        rc = read_shuffles(r, err);
    return rc;
}

static void say_checked(const reading *r, double began, const char *then)
{
    int shuffles = ys_vboard_shuffles(r->board);
    printf("%s %lld: the %llu ballots on the board checked, every proof", kind_of(r->v), r->v->id,
           (unsigned long long)ys_vboard_count(r->board));
    if (shuffles)
        printf(", and the %d shuffle%s of their write-ins", shuffles, shuffles == 1 ? "" : "s");
    printf(" (%.1f s); %s\n", seconds() - began, then);
}

ys_rc ys_trustee_board_check(ys_client *c, const ys_trustee_vote *v, const ys_vkey *key, const char *session_id,
                             const json_t *job, uint8_t Q[YS_VHASH], ys_err *err)
{
    reading r = {.c = c, .v = v, .key = key, .session_id = session_id};
    double began = 0;
    char then[120];
    ys_rc rc = read_all(&r, &began, err);
    if (!rc)
        rc = same_ciphertexts(&r, job, err);
    if (!rc) {
        memcpy(Q, ys_vvote_Q(ys_vboard_vote(r.board)), YS_VHASH);
        snprintf(then, sizeof then, "the %zu ciphertexts to decrypt are what they make",
                 json_array_size(json_object_get(job, "ciphertexts")));
        say_checked(&r, began, then);
    }
    ys_vboard_free(r.board);
    return rc;
}

/* What the server hands to shuffle: the next shuffle, under this vote's Q and the key's K, of the tuples the
 * board and the shuffles checked make. */
static ys_rc same_input(reading *r, const json_t *job, ys_err *err)
{
    char K[45];
    const char *q = json_string_value(json_object_get(job, "Q")), *k = json_string_value(json_object_get(job, "K"));
    if (!q || strcmp(q, r->Q))
        return refuse(err, r, "Q", "what the server hands to shuffle is bound to another context Q than the board's");
    if (ys_vkey_joint_key(r->key, K, err) || !k || strcmp(k, K))
        return refuse(err, r, "K", "what the server hands to shuffle is under another joint key than the key's");
    if (json_integer_value(json_object_get(job, "m")) != ys_vboard_shuffles(r->board) + 1)
        return refuse(err, r, "m", "the server asks for another shuffle than the next after those on the log");
    if (!json_equal(json_object_get(job, "input"), ys_vboard_tuples(r->board)))
        return refuse(err, r, "input", ys_vboard_shuffles(r->board)
                      ? "the input to shuffle is not the output of the last shuffle on the log"
                      : "the input to shuffle is not the write-in tuples of the ballots on the board");
    return YS_OK;
}

ys_rc ys_trustee_board_check_shuffle(ys_client *c, const ys_trustee_vote *v, const ys_vkey *key,
                                     const char *session_id, const json_t *job, uint8_t Q[YS_VHASH], ys_err *err)
{
    reading r = {.c = c, .v = v, .key = key, .session_id = session_id};
    double began = 0;
    ys_rc rc = read_all(&r, &began, err);
    if (!rc)
        rc = same_input(&r, job, err);
    if (!rc) {
        memcpy(Q, ys_vvote_Q(ys_vboard_vote(r.board)), YS_VHASH);
        say_checked(&r, began, "the input to shuffle is what they make");
    }
    ys_vboard_free(r.board);
    return rc;
}
