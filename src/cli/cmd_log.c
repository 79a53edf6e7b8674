/* cmd_log.c — `yishi log` prints the session log (or exports it whole, for `yishi-verify`); `yishi verify`
 * recomputes its hash chain and replays it, naming the first event that does not match. */
#include "cli/cli.h"

#include "yishi/alloc.h"
#include "yishi/utf8.h"
#include "yishi/number.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

typedef struct log_opts {
    const char *file, *type;
    long long after, limit, shown;
    bool json, export;
} log_opts;

/* One line of the export (docs/files.md): every field the hash covers, the payload as the exact text that was
 * hashed (a string), so that anyone can rechain the log and replay it without the session file. */
static ys_rc export_event(const ys_event *ev, void *ud, ys_err *err)
{
    char hash[YS_HASH_HEX], prev[YS_HASH_HEX];
    (void)ud;
    ys_hash_hex(ev->hash, hash);
    ys_hash_hex(ev->prev_hash, prev);
    json_t *line = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "seq", (json_int_t)ev->seq, "time", ev->time,
                             "actor", ev->actor, "type", ev->type, "payload", ev->payload_text, "prev_hash", prev,
                             "hash", hash);
    char *text = line ? ys_json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(line);
    if (!text)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory exporting event %lld", (long long)ev->seq);
    int failed = fputs(text, stdout) < 0 || putchar('\n') == EOF;
    ys_free(text);
    return failed ? ys_fail(err, YS_IO, NULL, "cannot write the export (event %lld)", (long long)ev->seq) : YS_OK;
}

static ys_rc print_event(const ys_event *ev, void *ud, ys_err *err)
{
    log_opts *o = ud;
    (void)err;
    if (o->type && strncmp(ev->type, o->type, strlen(o->type)) != 0)
        return YS_OK;
    if (o->limit && o->shown >= o->limit)
        return YS_OK;
    o->shown++;
    char hash[YS_HASH_HEX];
    ys_hash_hex(ev->hash, hash);
    if (o->json) {
        json_t *line = json_pack("{s:I, s:s, s:s, s:s, s:O, s:s}", "seq", (json_int_t)ev->seq, "time", ev->time,
                                 "actor", ev->actor, "type", ev->type, "payload", ev->payload, "hash", hash);
        json_dumpf(line, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
        putchar('\n');
        json_decref(line);
        return YS_OK;
    }
    const char *p = ev->payload_text;
    size_t shown = ys_utf8_cut(p, 100); /* about a line's worth, and never half a character */
    printf("%6lld  %s  %-18s %-22s %.12s  %.*s%s\n", (long long)ev->seq, ev->time, ev->actor, ev->type, hash,
           (int)shown, p, p[shown] ? "…" : "");
    return YS_OK;
}

int ys_cli_log(int argc, char **argv)
{
    static const struct option longopts[] = {
        YS_CLI_FILE_OPTION, {"after", required_argument, NULL, 'a'}, {"limit", required_argument, NULL, 'n'},
        {"from", required_argument, NULL, 'F'},
        {"type", required_argument, NULL, 't'}, {"json", no_argument, NULL, 'j'}, {"export", no_argument, NULL, 'x'},
        {NULL, 0, NULL, 0}};
    log_opts o = {.file = YS_DEFAULT_FILE};
    ys_store *st = NULL;
    ys_err err = {0};
    int c, code;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:n:", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': o.file = optarg; break;
        case 'a': case 'n':
            if ((code = ys_cli_int("log", c == 'a' ? "--after" : "--limit", optarg, 0, YS_SEQ_MAX,
                                   c == 'a' ? &o.after : &o.limit)))
                return code;
            break;
        case 'F': /* the word of older versions: the API says after, and so does the command line now */
            return ys_cli_usage_error("log", "--from is now --after SEQ, the events after SEQ (as the API's after)");
        case 't': o.type = optarg; break;
        case 'j': o.json = true; break;
        case 'x': o.export = true; break;
        default: return ys_cli_usage_error("log", "unknown option");
        }
    }
    if (optind < argc)
        return ys_cli_usage_error("log", "unexpected argument '%s'", argv[optind]);
    if (o.export && (o.after || o.limit || o.type || o.json))
        return ys_cli_usage_error("log", "--export writes the whole log, to be rechained from its first event: it "
                                  "takes no --after, --limit, --type or --json");
    ys_rc rc = ys_store_open(o.file, YS_STORE_READONLY, &st, &err);
    if (!rc)
        rc = ys_store_scan(st, o.after, o.export ? export_event : print_event, &o, &err);
    if (!rc && fflush(stdout) == EOF)
        rc = ys_fail(&err, YS_IO, NULL, "cannot write to the standard output");
    ys_store_close(st);
    return rc ? ys_cli_fail("log", rc, &err) : YS_EXIT_OK;
}

/* "SEQ:HASH" as printed on a receipt. */
static bool parse_receipt(const char *text, ys_receipt *r)
{
    char *end;
    memset(r, 0, sizeof *r);
    r->seq = strtoll(text, &end, 10);
    return r->seq > 0 && *end == ':' && ys_hash_from_hex(end + 1, r->hash) == 0;
}

static int report_receipt(const char *file, const ys_receipt *r, const ys_verify_report *rep)
{
    char head[YS_HASH_HEX];
    ys_hash_hex(r->head, head);
    if (!rep->ok) {
        printf("%s: DOES NOT VERIFY, so no receipt can be checked against it: %s\n", file, rep->reason);
        return YS_EXIT_REFUSED;
    }
    if (!r->found) {
        printf("%s: receipt %lld does NOT match: %s\n", file, (long long)r->seq,
               r->type[0] ? "that event has another hash" : "there is no such event");
        return YS_EXIT_REFUSED;
    }
    printf("%s: receipt %lld matches event %lld (%s), bound by the hash chain to the head of the log, event %lld %s\n",
           file, (long long)r->seq, (long long)r->seq, r->type, (long long)r->head_seq, head);
    return YS_EXIT_OK;
}

static int verify_and_say(const char *file, ys_receipt *receipt, bool json);

int ys_cli_verify(int argc, char **argv)
{
    static const struct option longopts[] = {YS_CLI_FILE_OPTION, {"json", no_argument, NULL, 'j'},
                                             {"receipt", required_argument, NULL, 'r'},
                                             {"store", required_argument, NULL, 's'},
                                             {"session", required_argument, NULL, 'S'}, {NULL, 0, NULL, 0}};
    const char *file = YS_DEFAULT_FILE, *receipt_text = NULL, *url = NULL, *session = NULL;
    char *located = NULL;
    ys_receipt receipt;
    bool json = false, file_given = false;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
        if (c == 'f')
            file = optarg, file_given = true;
        else if (c == 'j')
            json = true;
        else if (c == 'r')
            receipt_text = optarg;
        else if (c == 's')
            url = optarg;
        else if (c == 'S')
            session = optarg;
        else
            return ys_cli_usage_error("verify", "unknown option");
    }
    if (optind < argc)
        return ys_cli_usage_error("verify", "unexpected argument '%s'", argv[optind]);
    if (receipt_text && !parse_receipt(receipt_text, &receipt))
        return ys_cli_usage_error("verify", "a receipt is SEQ:HASH (the hash in 64 hex digits), not '%s'", receipt_text);
    if ((url || session) && file_given)
        return ys_cli_usage_error("verify", "-f FILE, or --store URL --session ID: not both");
    if (url || session) {
        int code = ys_cli_store_session("verify", url, session, &located);
        if (code)
            return code;
        file = located;
    }
    int code = verify_and_say(file, receipt_text ? &receipt : NULL, json);
    ys_free(located);
    return code;
}

/* Verifies the store at `file` (a file, or a session's locator), with a receipt if one is given, and says how
 * it went. */
static int verify_and_say(const char *file, ys_receipt *receipt, bool json)
{
    ys_verify_report rep;
    ys_err err = {0};
    ys_rc rc = receipt ? ys_journal_verify_receipt(file, receipt, &rep, &err) : ys_journal_verify(file, &rep, &err);
    if (rc)
        return ys_cli_fail("verify", rc, &err);
    if (receipt)
        return report_receipt(file, receipt, &rep);
    char digest[YS_HASH_HEX];
    ys_hash_hex(rep.digest, digest);
    if (json) {
        json_t *o = json_pack("{s:b, s:I, s:I, s:I, s:I, s:I, s:I}", "ok", rep.ok, "events", (json_int_t)rep.events,
                              "checkpoints", (json_int_t)rep.checkpoints, "proxy_votes", (json_int_t)rep.proxy_votes,
                              "verifiable_ballots", (json_int_t)rep.v_ballots, "decryptions",
                              (json_int_t)rep.v_decryptions, "shuffles", (json_int_t)rep.v_shuffles);
        if (rep.ok)
            json_object_set_new(o, "state_digest", json_string(digest));
        else
            json_object_set_new(o, "bad_event", json_integer(rep.bad_seq)),
                json_object_set_new(o, "reason", json_string(rep.reason));
        json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
        putchar('\n');
        json_decref(o);
    } else if (rep.ok) {
        printf("%s: verified: %lld events, hash chain intact, %lld checkpoints match the replayed state, votes "
               "recounted from the ballot box, projections match\nstate digest %s\n", file, (long long)rep.events,
               (long long)rep.checkpoints, digest);
        if (rep.v_ballots || rep.v_decryptions)
            printf("verifiable ballots: every proof of %lld ballots holds, of %lld trustees' decryptions and of %lld "
                   "shuffles\n", (long long)rep.v_ballots, (long long)rep.v_decryptions, (long long)rep.v_shuffles);
        if (rep.proxy_votes)
            printf("note: %lld votes or ballots were recorded by an operator, not from the voter's own login "
                   "(yishi log --type poll. / election. shows who)\n", (long long)rep.proxy_votes);
    } else if (rep.bad_seq) {
        printf("%s: DOES NOT VERIFY at event %lld: %s\n", file, (long long)rep.bad_seq, rep.reason);
    } else {
        printf("%s: DOES NOT VERIFY: %s\n", file, rep.reason);
    }
    return rep.ok ? YS_EXIT_OK : YS_EXIT_REFUSED;
}
