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
    const char *file, *title, *majority, *method, *office;
    char *cosigners, *yes_list, *no_list, *write_ins; /* comma-separated, split in place */
    const char *abstain;                              /* a number, for tellers' totals */
    int item, amends, seats, office_seats;
    bool named, changeable, preliminary, by_election, runoff, json;
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
        {"json", no_argument, NULL, 'j'}, {NULL, 0, NULL, 0}};
    int c, code;
    long long n;
    o->file = YS_DEFAULT_FILE;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
        int *num = c == 'i' ? &o->item : c == 'a' ? &o->amends : c == 's' ? &o->seats : c == 'S' ? &o->office_seats : NULL;
        bool is_id = c == 'i' || c == 'a';
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
        case 'y': o->yes_list = optarg; break; /* a list of names for an election, a number for tellers' totals */
        case 'n': o->no_list = optarg; break;
        case 'A': o->abstain = optarg; break;
        case 'w': o->write_ins = optarg; break;
        case 'i': case 'a': case 's': case 'S':
            if ((code = ys_cli_int(cmd, c == 'i' ? "--item" : c == 'a' ? "--amends" : c == 's' ? "--seats" : "--office-seats",
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

static ys_method method_of(const char *m)
{
    if (!m || !strcmp(m, "terminal"))
        return YS_METHOD_TERMINAL;
    return !strcmp(m, "show_of_hands") ? YS_METHOD_SHOW_OF_HANDS : !strcmp(m, "paper") ? YS_METHOD_PAPER : 0;
}

static int choice_of(const char *c)
{
    return !c ? 0 : !strcmp(c, "yes") ? YS_CHOICE_YES : !strcmp(c, "no") ? YS_CHOICE_NO
                  : !strcmp(c, "abstain") ? YS_CHOICE_ABSTAIN : 0;
}

static void print_poll(const ys_session *s, const ys_poll *p)
{
    static const char *const states[] = {NULL, "created", "open", "closed"};
    printf("poll %d  %s  [%s, %s%s]\n", p->id, p->title, states[p->state], ys_method_word(p->method),
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
        ys_poll_args a = {.item = o->item, .title = o->title, .method = method_of(o->method), .named = o->named,
                          .changeable = o->changeable, .amends = o->amends,
                          .majority = o->majority && !strcmp(o->majority, "two_thirds") ? YS_MAJORITY_TWO_THIRDS
                                                                                          : YS_MAJORITY_SIMPLE};
        if (o->majority && strcmp(o->majority, "simple") && strcmp(o->majority, "two_thirds"))
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
        if (!o->yes_list || !o->no_list || !o->abstain)
            return ys_fail(err, YS_INVALID, "yes", "totals need --yes N --no N --abstain N");
        if ((rc = ys_int_text(o->yes_list, "--yes", 0, YS_COUNT_MAX, YS_INVALID, &yes, err)) ||
            (rc = ys_int_text(o->no_list, "--no", 0, YS_COUNT_MAX, YS_INVALID, &no, err)) ||
            (rc = ys_int_text(o->abstain, "--abstain", 0, YS_COUNT_MAX, YS_INVALID, &abstain, err)))
            return rc;
        return ys_cmd_poll_totals(s, ctx, id, (int)yes, (int)no, (int)abstain, evs, err);
    }
    if (!strcmp(verb, "vote")) {
        if (optind + 3 >= argc || !choice_of(argv[optind + 3]))
            return ys_fail(err, YS_INVALID, "choice", "vote needs the poll, the delegate's code and yes, no or abstain");
        return ys_cmd_poll_vote(s, ctx, id, argv[optind + 2], (ys_choice)choice_of(argv[optind + 3]), evs, err);
    }
    *code = ys_cli_usage_error("poll", "unknown action '%s'", verb);
    return YS_OK;
}

static void print_election(const ys_session *s, const ys_session_election *el)
{
    static const char *const states[] = {NULL, "created", "open", "closed"};
    printf("election %d  %s, %d seat%s%s%s  [%s]\n", el->id, el->office, el->seats, el->seats == 1 ? "" : "s",
           el->kind == YS_PRELIMINARY ? ", preliminary" : "", el->by_election ? ", by-election" : "", states[el->state]);
    for (size_t i = 0; i < el->n_nominees; i++)
        printf("  %zu. %s  (%s)\n", i + 1, el->nominees[i].name, el->nominees[i].by);
    if (el->state == YS_POLL_OPEN)
        printf("  %d of %d ballots returned\n", el->returned, el->issued);
    if (el->result) {
        char *text = json_dumps(el->result, JSON_INDENT(2) | JSON_PRESERVE_ORDER), said[4096];
        printf("%s\n", text ? text : "");
        free(text);
        ys_election_announcement(s, el, said, sizeof said);
        printf("  %s%s\n", said, el->announcement ? "  (announced)" : "");
    }
}

static ys_rc election_action(ys_journal *j, const ys_ctx *ctx, vote_opts *o, int argc, char **argv, ys_events *evs,
                             ys_err *err, int *code)
{
    const ys_session *s = j->session;
    const char *verb = optind < argc ? argv[optind] : "list";
    int id = 0;
    if (!strcmp(verb, "list")) {
        for (size_t i = 0; i < s->n_elections; i++)
            print_election(s, &s->elections[i]);
        return YS_OK;
    }
    if (!strcmp(verb, "create")) {
        ys_election_args a = {.item = o->item, .kind = o->preliminary ? YS_PRELIMINARY : YS_ELECTION,
                              .office = o->office, .seats = o->seats, .office_seats = o->office_seats,
                              .by_election = o->by_election};
        return ys_cmd_election_create(s, ctx, &a, evs, err);
    }
    if ((*code = positional_id("election", argc, argv, optind + 1, &id)))
        return YS_OK;
    if (!strcmp(verb, "show")) {
        if (!ys_session_election_get(s, id))
            return ys_fail(err, YS_NOT_FOUND, "election", "no election %d", id);
        print_election(s, ys_session_election_get(s, id));
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
