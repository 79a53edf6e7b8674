/* main.c — yishi-verify: checks an exported log (`yishi log --export`) with no session file: rechains every
 * event, replays it into a fresh session in memory with the audit of verifiable ballots, and summarises each
 * verifiable election and poll. */
#include "verify/board.h"

#include "yishi/alloc.h"
#include "yishi/vaudit.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* The exit codes of the yishi command (src/cli/cli.h): verified, does not verify, usage, could not check. */
enum { EXIT_VERIFIED = 0, EXIT_REFUSED = 1, EXIT_USAGE = 2, EXIT_FAILED = 3 };

static const char usage[] =
    "usage: yishi-verify [--json] BOARD   (BOARD: the output of yishi log -f FILE --export; - for stdin)\n"
    "Rechains every event of an exported session log, replays it (every key ceremony's proofs, each verifiable\n"
    "vote's context, aggregates, decryptions and count) and checks every proof of every encrypted ballot,\n"
    "naming the first thing that does not hold (docs/verifiable.md §10).\n";

typedef struct run {
    const char *name;
    ys_session *s;
    ys_vaudit *audit;
    int64_t bad_seq;     /* the event that does not hold, 0 when the fault is not one event's */
    ys_err err;
} run;

/* Every event in turn through the audited replay; YS_CORRUPT names the first that does not hold. */
static ys_rc replay_board(run *r, FILE *f)
{
    ys_board b;
    ys_event ev;
    ys_rc rc;
    ys_board_init(&b, f, r->name);
    while (!(rc = ys_board_next(&b, &ev, &r->err))) {
        rc = ys_vaudit_replay(r->audit, r->s, &ev, &r->bad_seq, &r->err);
        ys_event_clear(&ev);
        if (rc)
            break;
    }
    ys_board_free(&b);
    if (rc == YS_NOT_FOUND)
        rc = r->s->seq ? ys_vaudit_finish(r->audit, &r->bad_seq, &r->err)
                       : ys_fail(&r->err, YS_CORRUPT, NULL, "%s holds no event", r->name);
    return rc;
}

/* ---- the summary ---- */

static void print_names(const json_t *names)
{
    size_t i;
    const json_t *n;
    json_array_foreach(names, i, n)
        printf("%s%s", i ? ", " : "", json_string_value(n));
    if (!json_array_size(names))
        printf("nobody");
}

static void print_result(const json_t *res)
{
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(res, "candidates"), i, c)
        printf("  %s  yes %lld  no %lld  abstain %lld%s\n", json_string_value(json_object_get(c, "name")),
               (long long)json_integer_value(json_object_get(c, "yes")),
               (long long)json_integer_value(json_object_get(c, "no")),
               (long long)json_integer_value(json_object_get(c, "abstain")),
               json_is_true(json_object_get(c, "elected")) ? "  elected" : "");
    printf("  %s: ", json_is_true(json_object_get(res, "valid")) ? "elected" : "the election is void; elected");
    print_names(json_object_get(res, "elected"));
    printf("\n");
}

static void print_election(const json_t *e)
{
    long long seats = (long long)json_integer_value(json_object_get(e, "seats"));
    printf("election %lld (%s, %lld seat%s): %s; %lld ballots cast of %lld issued, every proof of %lld checked; "
           "decrypted by ", (long long)json_integer_value(json_object_get(e, "election")),
           json_string_value(json_object_get(e, "office")), seats, seats == 1 ? "" : "s",
           json_string_value(json_object_get(e, "state")), (long long)json_integer_value(json_object_get(e, "cast")),
           (long long)json_integer_value(json_object_get(e, "issued")),
           (long long)json_integer_value(json_object_get(e, "checked")));
    print_names(json_object_get(e, "trustees"));
    printf(" (key %lld)\n", (long long)json_integer_value(json_object_get(e, "key")));
    if (json_integer_value(json_object_get(e, "written_in")))
        printf("  %lld names written in: %lld shuffles, every proof checked, then the shuffled blocks decrypted\n",
               (long long)json_integer_value(json_object_get(e, "written_in")),
               (long long)json_integer_value(json_object_get(e, "shuffles")));
    if (json_is_object(json_object_get(e, "result")))
        print_result(json_object_get(e, "result"));
}

static void print_poll(const json_t *p)
{
    const json_t *res = json_object_get(p, "result");
    printf("poll %lld (%s): %s; %lld ballots cast, every proof of %lld checked; decrypted by ",
           (long long)json_integer_value(json_object_get(p, "poll")), json_string_value(json_object_get(p, "title")),
           json_string_value(json_object_get(p, "state")), (long long)json_integer_value(json_object_get(p, "cast")),
           (long long)json_integer_value(json_object_get(p, "checked")));
    print_names(json_object_get(p, "trustees"));
    printf(" (key %lld)\n", (long long)json_integer_value(json_object_get(p, "key")));
    if (json_is_object(res))
        printf("  yes %lld  no %lld  abstain %lld  not voted %lld: %s\n",
               (long long)json_integer_value(json_object_get(res, "yes")),
               (long long)json_integer_value(json_object_get(res, "no")),
               (long long)json_integer_value(json_object_get(res, "abstain")),
               (long long)json_integer_value(json_object_get(res, "not_voted")),
               json_is_true(json_object_get(res, "passed")) ? "passed" : "not passed");
}

static void print_verified(const run *r, const json_t *votes)
{
    char head[YS_HASH_HEX];
    size_t i;
    const json_t *e;
    ys_hash_hex(r->s->head, head);
    printf("%s: verified: %lld events, each linked to the one before and matching its hash, replayed with every "
           "check of the session's fold\nhead: event %lld %s\n", r->name, (long long)r->s->seq, (long long)r->s->seq,
           head);
    printf("verifiable ballots: every proof of %lld ballots holds, of %lld trustees' decryptions and of %lld "
           "shuffles\n", (long long)ys_vaudit_ballots(r->audit), (long long)ys_vaudit_decryptions(r->audit),
           (long long)ys_vaudit_shuffles(r->audit));
    json_array_foreach(json_object_get(votes, "elections"), i, e)
        print_election(e);
    json_array_foreach(json_object_get(votes, "polls"), i, e)
        print_poll(e);
}

/* One JSON object on a line; false when memory ran out on the way. */
static bool print_json(json_t *o)
{
    char *text = o ? ys_json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (text)
        printf("%s\n", text);
    ys_free(text);
    json_decref(o);
    return text != NULL;
}

static int report_failure(const run *r, bool json)
{
    if (json && !print_json(json_pack("{s:b, s:I, s:s, s:s}", "ok", 0, "bad_event", (json_int_t)r->bad_seq, "field",
                                      r->err.field, "reason", r->err.msg)))
        return EXIT_FAILED;
    if (!json && r->bad_seq)
        printf("%s: DOES NOT VERIFY at event %lld: %s\n", r->name, (long long)r->bad_seq, r->err.msg);
    else if (!json)
        printf("%s: DOES NOT VERIFY: %s\n", r->name, r->err.msg);
    return EXIT_REFUSED;
}

static int report_verified(const run *r, bool json)
{
    char head[YS_HASH_HEX];
    json_t *votes = ys_vaudit_summary(r->audit, r->s);
    if (votes && !json) {
        print_verified(r, votes);
        json_decref(votes);
        return EXIT_VERIFIED;
    }
    ys_hash_hex(r->s->head, head);
    if (votes && print_json(json_pack("{s:b, s:I, s:s, s:I, s:I, s:I, s:O, s:O}", "ok", 1, "events",
                                      (json_int_t)r->s->seq, "head", head, "verifiable_ballots",
                                      (json_int_t)ys_vaudit_ballots(r->audit), "decryptions",
                                      (json_int_t)ys_vaudit_decryptions(r->audit), "shuffles",
                                      (json_int_t)ys_vaudit_shuffles(r->audit), "elections",
                                      json_object_get(votes, "elections"), "polls", json_object_get(votes, "polls")))) {
        json_decref(votes);
        return EXIT_VERIFIED;
    }
    json_decref(votes);
    fprintf(stderr, "yishi-verify: out of memory writing the report\n");
    return EXIT_FAILED;
}

static int report(const run *r, ys_rc rc, bool json)
{
    if (rc == YS_CORRUPT)
        return report_failure(r, json);
    if (rc) {
        fprintf(stderr, "yishi-verify: %s\n", r->err.msg);
        return EXIT_FAILED;
    }
    return report_verified(r, json);
}

int main(int argc, char **argv)
{
    bool json = false;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage, stdout);
            return EXIT_VERIFIED;
        }
        if (!strcmp(argv[i], "--json"))
            json = true;
        else if (path || (argv[i][0] == '-' && argv[i][1])) {
            fprintf(stderr, "yishi-verify: unexpected argument '%s'\n%s", argv[i], usage);
            return EXIT_USAGE;
        } else
            path = argv[i];
    }
    if (!path) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
    if (!f) {
        fprintf(stderr, "yishi-verify: cannot open %s\n", path);
        return EXIT_USAGE;
    }
    run r = {.name = path};
    ys_rc rc = sodium_init() < 0 ? ys_fail(&r.err, YS_IO, NULL, "libsodium cannot start")
             : !(r.s = ys_session_new()) ? ys_fail(&r.err, YS_NOMEM, NULL, "out of memory")
                                         : ys_vaudit_new(&r.audit, &r.err);
    if (!rc)
        rc = replay_board(&r, f);
    int code = report(&r, rc, json);
    if (f != stdin)
        fclose(f);
    ys_vaudit_free(r.audit);
    ys_session_free(r.s);
    return code;
}
