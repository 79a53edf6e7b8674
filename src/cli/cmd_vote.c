/* cmd_vote.c — `yishi poll` and `yishi election`: votes held at the session's plenary, from the
 * secretariat's desk. A delegate's own vote comes from their terminal through the server, logged with
 * their login as actor; the `vote` actions here record one for them from this desk (a terminal that is
 * not networked, and the tests), logged with the operator as actor, and `yishi verify` counts them. */
#include "cli/cli.h"

#include "yishi/alloc.h"
#include "yishi/number.h"
#include "yishi/poll.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

typedef struct vote_opts {
    const char *file, *title, *majority, *method, *office, *reason;
    char *cosigners, *yes_list, *no_list, *write_ins; /* comma-separated, split in place */
    const char *abstain;                              /* a number, for tellers' totals */
    int item, amends, seats, office_seats, key, motion;
    bool named, changeable, preliminary, by_election, runoff, json, correct;
} vote_opts;

static int parse(const char *cmd, int argc, char **argv, vote_opts *o)
{
    static const struct option longopts[] = {
        YS_CLI_FILE_OPTION, {"title", required_argument, NULL, 't'}, {"item", required_argument, NULL, 'i'},
        {"majority", required_argument, NULL, 'M'}, {"method", required_argument, NULL, 'm'},
        {"named", no_argument, NULL, 'N'}, {"changeable", no_argument, NULL, 'C'},
        {"amends", required_argument, NULL, 'a'}, {"office", required_argument, NULL, 'o'},
        {"seats", required_argument, NULL, 's'}, {"office-seats", required_argument, NULL, 'S'},
        {"preliminary", no_argument, NULL, 'P'}, {"by-election", no_argument, NULL, 'B'},
        {"cosigners", required_argument, NULL, 'c'}, {"yes", required_argument, NULL, 'y'},
        {"no", required_argument, NULL, 'n'}, {"abstain", required_argument, NULL, 'A'},
        {"write-in", required_argument, NULL, 'w'}, {"runoff", no_argument, NULL, 'R'},
        {"json", no_argument, NULL, 'j'}, {"correct", no_argument, NULL, 'K'},
        {"reason", required_argument, NULL, 'r'}, {"key", required_argument, NULL, 'k'},
        {"motion", required_argument, NULL, 'X'}, {NULL, 0, NULL, 0}};
    int c, code;
    long long n;
    o->file = YS_DEFAULT_FILE;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
        int *num = c == 'i' ? &o->item : c == 'a' ? &o->amends : c == 's' ? &o->seats : c == 'S' ? &o->office_seats
                 : c == 'k' ? &o->key : c == 'X' ? &o->motion : NULL;
        bool is_id = c == 'i' || c == 'a' || c == 'k' || c == 'X';
        switch (c) {
        case 'f': o->file = optarg; break;
        case 't': o->title = optarg; break;
        case 'M': o->majority = optarg; break;
        case 'm': o->method = optarg; break;
        case 'N': o->named = true; break;
        case 'C': o->changeable = true; break;
        case 'o': o->office = optarg; break;
        case 'P': o->preliminary = true; break;
        case 'B': o->by_election = true; break;
        case 'c': o->cosigners = optarg; break;
        case 'R': o->runoff = true; break;
        case 'j': o->json = true; break;
        case 'K': o->correct = true; break;
        case 'r': o->reason = optarg; break;
        case 'y': o->yes_list = optarg; break; /* a list of names for an election, a number for tellers' totals */
        case 'n': o->no_list = optarg; break;
        case 'A': o->abstain = optarg; break;
        case 'w': o->write_ins = optarg; break;
        case 'i': case 'a': case 's': case 'S': case 'k': case 'X':
            if ((code = ys_cli_int(cmd, c == 'i' ? "--item" : c == 'a' ? "--amends" : c == 's' ? "--seats"
                                        : c == 'k' ? "--key" : c == 'X' ? "--motion" : "--office-seats",
                                   optarg, 1, is_id ? YS_ID_MAX : YS_COUNT_MAX, &n)))
                return code;
            *num = (int)n;
            break;
        default: return ys_cli_usage_error(cmd, "unknown option");
        }
    }
    return YS_EXIT_OK;
}

/* Splits "a,b,c" (or with the full-width "，") into a list of names, in place; returns the count. A
 * multi-byte separator is matched whole: strtok's byte set would cut through Chinese characters. */
static size_t split(char *list, const char **out, size_t cap)
{
    static const char wide_comma[] = "，";
    size_t n = 0;
    char *start = list;
    for (char *at = list; list && *start && n < cap;) {
        size_t sep = *at == ',' ? 1 : strncmp(at, wide_comma, sizeof wide_comma - 1) == 0 ? sizeof wide_comma - 1 : 0;
        if (sep || !*at) {
            bool end = !*at;
            *at = '\0';
            if (*start)
                out[n++] = start;
            if (end)
                break;
            at += sep;
            start = at;
        } else {
            at++;
        }
    }
    return n;
}

static int positional_id(const char *cmd, int argc, char **argv, int at, int *id)
{
    long long n = 0;
    if (at >= argc)
        return ys_cli_usage_error(cmd, "which one? give its number");
    int code = ys_cli_int(cmd, cmd, argv[at], 1, YS_ID_MAX, &n);
    *id = (int)n;
    return code;
}

static void print_poll(const ys_session *s, const ys_poll *p)
{
    printf("poll %d  %s  [%s, %s%s]\n", p->id, p->title, ys_poll_state_word(p->state), ys_method_word(p->method),
           p->named ? ", named" : p->method == YS_METHOD_TERMINAL ? ", anonymous" : "");
    if (p->state == YS_POLL_OPEN)
        printf("  %d of %d present have voted\n", p->voted, ys_meeting_attendance(s, ys_meeting_get(s, p->meeting)).present);
    if (p->state == YS_POLL_CLOSED) {
        char text[1024];
        ys_poll_announcement(p, text, sizeof text);
        printf("  %s%s\n", text, p->announcement ? "  (announced)" : "");
    }
}

static ys_rc poll_action(ys_journal *j, const ys_ctx *ctx, vote_opts *o, int argc, char **argv, ys_events *evs,
                         ys_err *err, int *code)
{
    const ys_session *s = j->session;
    const char *verb = optind < argc ? argv[optind] : "list";
    int id = 0;
    if (!strcmp(verb, "list")) {
        for (size_t i = 0; i < s->n_polls; i++)
            print_poll(s, &s->polls[i]);
        return YS_OK;
    }
    if (!strcmp(verb, "create")) {
        ys_poll_args a = {.item = o->item, .title = o->title, .method = o->method ? ys_method_parse(o->method) : YS_METHOD_TERMINAL, .named = o->named,
                          .changeable = o->changeable, .amends = o->amends, .majority = YS_MAJORITY_SIMPLE, .key = o->key,
                          .motion = o->motion};
        if (o->majority && !ys_majority_parse(o->majority, &a.majority))
            return ys_fail(err, YS_INVALID, "majority", "--majority is simple or two_thirds");
        return ys_cmd_poll_create(s, ctx, &a, evs, err);
    }
    if ((*code = positional_id("poll", argc, argv, optind + 1, &id)))
        return YS_OK;
    if (!strcmp(verb, "show")) {
        if (!ys_poll_get(s, id))
            return ys_fail(err, YS_NOT_FOUND, "poll", "no poll %d", id);
        print_poll(s, ys_poll_get(s, id));
        return YS_OK;
    }
    if (!strcmp(verb, "open"))
        return ys_cmd_poll_open(s, ctx, id, evs, err);
    if (!strcmp(verb, "close"))
        return ys_cmd_poll_close(s, ctx, id, evs, err);
    if (!strcmp(verb, "announce"))
        return ys_cmd_poll_announce(s, ctx, id, evs, err);
    if (!strcmp(verb, "totals")) {
        long long yes, no, abstain;
        ys_rc rc;
        if (!o->yes_list || !o->no_list || !o->abstain) {
            *code = ys_cli_usage_error("poll", "totals need --yes N --no N --abstain N");
            return YS_OK;
        }
        if (o->correct != (o->reason != NULL)) {
            *code = ys_cli_usage_error("poll", "a correction is --correct --reason TEXT, the two together");
            return YS_OK;
        }
        if ((rc = ys_int_text(o->yes_list, "--yes", 0, YS_COUNT_MAX, YS_INVALID, &yes, err)) ||
            (rc = ys_int_text(o->no_list, "--no", 0, YS_COUNT_MAX, YS_INVALID, &no, err)) ||
            (rc = ys_int_text(o->abstain, "--abstain", 0, YS_COUNT_MAX, YS_INVALID, &abstain, err)))
            return rc;
        ys_totals_args t = {.yes = (int)yes, .no = (int)no, .abstain = (int)abstain, .correct = o->correct,
                            .reason = o->reason};
        return ys_cmd_poll_totals(s, ctx, id, &t, evs, err);
    }
    if (!strcmp(verb, "vote")) {
        ys_choice choice;
        ys_rc rc;
        if (optind + 3 >= argc) {
            *code = ys_cli_usage_error("poll", "vote needs the poll, the delegate's code and the choice");
            return YS_OK;
        }
        if ((rc = ys_choice_parse(argv[optind + 3], &choice, err)))
            return rc;
        return ys_cmd_poll_vote(s, ctx, id, argv[optind + 2], choice, evs, err);
    }
    *code = ys_cli_usage_error("poll", "unknown action '%s'", verb);
    return YS_OK;
}

/* Who put a name on the list, as the secretariat says it. */
static void print_nominator(const char *by)
{
    size_t signers = 0;
    if (strncmp(by, "delegates:", 10) == 0) {
        for (const char *c = by + 10; *c; c++)
            signers += *c == ',';
        printf("代表%zu人联名提名\n", signers + 1);
    } else {
        printf("%s\n", !strcmp(by, "presidium") ? "主席团提名" : !strcmp(by, "further_round") ? "另行选举的候选人"
                       : !strcmp(by, "runoff") ? "得票相等，再次投票" : by);
    }
}

static long long result_int(const json_t *o, const char *key) { return json_integer_value(json_object_get(o, key)); }

/* The names of a list in the result, joined with 、 as a Chinese text joins them. */
static void print_names(const char *label, const json_t *names)
{
    printf("  %s", label);
    for (size_t i = 0; i < json_array_size(names); i++)
        printf("%s%s", i ? "、" : "", json_string_value(json_array_get(names, i)));
    printf("%s\n", json_array_size(names) ? "" : "无");
}

/* A closed election's count: ballots, the threshold, each candidate's votes, who was elected. */
static void print_count(const ys_session_election *el)
{
    const json_t *r = el->result, *cands = json_object_get(r, "candidates"), *further = json_object_get(r, "further_round");
    bool pre = el->kind == YS_PRELIMINARY;
    printf("  ballots    %d issued, %lld returned: %lld valid, %lld void%s\n", el->issued,
           result_int(r, "ballots_returned"), result_int(r, "ballots_valid"), result_int(r, "ballots_void"),
           json_is_true(json_object_get(r, "valid")) ? "" : " — the election is void (选举无效)");
    if (!pre)
        printf("  threshold  %lld votes to be elected\n", result_int(r, "threshold"));
    for (size_t i = 0; i < json_array_size(cands); i++) {
        const json_t *c = json_array_get(cands, i);
        printf("  %s  %s%lld %s%lld %s%lld%s%s\n", json_string_value(json_object_get(c, "name")),
               ys_choice_zh(YS_CHOICE_YES), result_int(c, "yes"), ys_choice_zh(YS_CHOICE_NO), result_int(c, "no"),
               ys_choice_zh(YS_CHOICE_ABSTAIN), result_int(c, "abstain"),
               json_is_true(json_object_get(c, "write_in")) ? "  (另选他人)" : "",
               json_is_true(json_object_get(c, pre ? "formal" : "elected")) ? (pre ? "  正式候选人" : "  当选") : "");
    }
    print_names(pre ? "formal     " : "elected    ", json_object_get(r, pre ? "formal" : "elected"));
    if (json_array_size(json_object_get(r, "tied")))
        print_names("tied       ", json_object_get(r, "tied"));
    if (result_int(r, "unfilled"))
        printf("  unfilled   %lld seat%s\n", result_int(r, "unfilled"), result_int(r, "unfilled") == 1 ? "" : "s");
    if (json_is_object(further))
        print_names("further round, in order: ", json_object_get(further, "ranked"));
}

static void print_election(const ys_session *s, const ys_session_election *el, bool whole)
{
    printf("election %d  %s%s, %d seat%s%s  [%s]\n", el->id, ys_election_office_name(s, el),
           el->kind == YS_PRELIMINARY ? " (预选)" : el->by_election ? " (补选)" : "", el->seats,
           el->seats == 1 ? "" : "s", el->round == YS_ROUND_FURTHER ? ", further round (另行选举)"
                                      : el->round == YS_ROUND_RUNOFF ? ", new vote among the tied" : "",
           ys_poll_state_word(el->state));
    for (size_t i = 0; whole && i < el->n_nominees; i++) {
        printf("  %zu. %s  ", i + 1, el->nominees[i].name);
        print_nominator(el->nominees[i].by);
    }
    if (el->state == YS_POLL_OPEN)
        printf("  %d of %d ballots returned\n", el->returned, el->issued);
    if (el->result && whole)
        print_count(el);
    if (el->result) {
        char said[4096];
        ys_election_announcement(s, el, said, sizeof said);
        printf("  %s%s\n", said, el->announcement ? "  (announced)" : "");
    }
}

/* The count as the log records it, for scripts: the shape of docs/count.md. */
static ys_rc print_election_json(const ys_session_election *el, ys_err *err)
{
    char *text = el->result ? ys_json_dumps(el->result, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (!el->result)
        return ys_fail(err, YS_STATE, "election", "election %d has no result until it is closed", el->id);
    if (!text)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory");
    printf("%s\n", text);
    ys_free(text);
    return YS_OK;
}

static ys_rc election_action(ys_journal *j, const ys_ctx *ctx, vote_opts *o, int argc, char **argv, ys_events *evs,
                             ys_err *err, int *code)
{
    const ys_session *s = j->session;
    const char *verb = optind < argc ? argv[optind] : "list";
    int id = 0;
    if (!strcmp(verb, "list")) {
        for (size_t i = 0; i < s->n_elections; i++)
            print_election(s, &s->elections[i], false);
        return YS_OK;
    }
    if (!strcmp(verb, "create")) {
        ys_election_args a = {.item = o->item, .kind = o->preliminary ? YS_PRELIMINARY : YS_ELECTION,
                              .office = o->office, .seats = o->seats, .office_seats = o->office_seats,
                              .by_election = o->by_election, .key = o->key};
        return ys_cmd_election_create(s, ctx, &a, evs, err);
    }
    if ((*code = positional_id("election", argc, argv, optind + 1, &id)))
        return YS_OK;
    if (!strcmp(verb, "show")) {
        if (!ys_session_election_get(s, id))
            return ys_fail(err, YS_NOT_FOUND, "election", "no election %d", id);
        if (o->json)
            return print_election_json(ys_session_election_get(s, id), err);
        print_election(s, ys_session_election_get(s, id), true);
        return YS_OK;
    }
    if (!strcmp(verb, "open"))
        return ys_cmd_election_open(s, ctx, id, evs, err);
    if (!strcmp(verb, "close"))
        return ys_cmd_election_close(s, ctx, id, evs, err);
    if (!strcmp(verb, "announce"))
        return ys_cmd_election_announce(s, ctx, id, evs, err);
    if (!strcmp(verb, "next"))
        return ys_cmd_election_next_round(s, ctx, id, o->runoff, evs, err);
    if (!strcmp(verb, "nominate")) {
        const char *codes[1024];
        size_t n = split(o->cosigners, codes, 1024);
        if (optind + 2 >= argc)
            return ys_fail(err, YS_INVALID, "name", "nominate needs the election and the candidate's name");
        return ys_cmd_election_nominate(s, ctx, id, argv[optind + 2], o->cosigners ? codes : NULL, n, evs, err);
    }
    if (!strcmp(verb, "vote")) {
        const char *yes[256], *no[256], *wi[256];
        ys_ballot b = {.yes = yes, .no = no, .write_in = wi};
        b.n_yes = split(o->yes_list, yes, 256);
        b.n_no = split(o->no_list, no, 256);
        b.n_write_in = split(o->write_ins, wi, 256);
        if (optind + 2 >= argc)
            return ys_fail(err, YS_INVALID, "delegate", "vote needs the election and the delegate's code");
        return ys_cmd_election_vote(s, ctx, id, argv[optind + 2], &b, evs, err);
    }
    *code = ys_cli_usage_error("election", "unknown action '%s'", verb);
    return YS_OK;
}

typedef ys_rc (*action_fn)(ys_journal *, const ys_ctx *, vote_opts *, int, char **, ys_events *, ys_err *, int *);

static int run(const char *cmd, action_fn action, int argc, char **argv)
{
    vote_opts o = {0};
    ys_events evs;
    ys_err err = {0};
    char now[32];
    ys_ctx ctx = ys_cli_ctx(now);
    int code = parse(cmd, argc, argv, &o);
    if (code)
        return code;
    ys_journal *j = ys_cli_open(cmd, o.file, 0, &code);
    if (!j)
        return code;
    ys_events_init(&evs);
    int64_t before = j->session->seq;
    ys_rc rc = action(j, &ctx, &o, argc, argv, &evs, &err, &code);
    if (rc)
        code = ys_cli_fail(cmd, rc, &err);
    else if (!code && evs.n && !(code = ys_cli_commit(cmd, j, &evs)))
        printf("%s: recorded (log %lld → %lld)\n", cmd, (long long)before, (long long)j->session->seq);
    ys_events_free(&evs);
    ys_journal_close(j);
    return code;
}

int ys_cli_poll(int argc, char **argv) { return run("poll", poll_action, argc, argv); }
int ys_cli_election(int argc, char **argv) { return run("election", election_action, argc, argv); }
