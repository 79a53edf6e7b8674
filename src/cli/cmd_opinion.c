/* cmd_opinion.c — `yishi opinion`: the opinions a deliberation gathers on a document, recorded by its
 * delegation's secretary or the secretariat, each tagged to its section; a new version's explanation of
 * changes with the opinions it took up; and the list. The drafting team's summary is `yishi report opinions`. */
#include "cli/cli.h"

#include "yishi/alloc.h"
#include "yishi/number.h"
#include "yishi/opinion.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define CMD "opinion"
#define TAKEN_MAX 4096

typedef struct opinion_opts {
    const char *file, *document, *section, *text, *text_file, *delegate, *delegation, *takes;
    int meeting, version;
} opinion_opts;

static int parse(int argc, char **argv, opinion_opts *o)
{
    static const struct option longopts[] = {
        YS_CLI_FILE_OPTION, {"document", required_argument, NULL, 'd'}, {"section", required_argument, NULL, 's'},
        {"text", required_argument, NULL, 't'}, {"text-file", required_argument, NULL, 'T'},
        {"delegate", required_argument, NULL, 'g'}, {"delegation", required_argument, NULL, 'G'},
        {"meeting", required_argument, NULL, 'm'}, {"version", required_argument, NULL, 'v'},
        {"takes", required_argument, NULL, 'k'}, {NULL, 0, NULL, 0}};
    int c, code;
    long long n;
    o->file = YS_DEFAULT_FILE;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': o->file = optarg; break;
        case 'd': o->document = optarg; break;
        case 's': o->section = optarg; break;
        case 't': o->text = optarg; break;
        case 'T': o->text_file = optarg; break;
        case 'g': o->delegate = optarg; break;
        case 'G': o->delegation = optarg; break;
        case 'k': o->takes = optarg; break;
        case 'm':
        case 'v':
            if ((code = ys_cli_int(CMD, c == 'm' ? "--meeting" : "--version", optarg, 1, YS_ID_MAX, &n)))
                return code;
            *(c == 'm' ? &o->meeting : &o->version) = (int)n;
            break;
        default: return ys_cli_usage_error(CMD, "unknown option");
        }
    }
    return YS_EXIT_OK;
}

/* "1,3,7" into ids; an exit code. */
static int parse_takes(const char *text, int *ids, size_t *n)
{
    *n = 0;
    for (const char *at = text; at && *at;) {
        size_t len = strcspn(at, ",，、 ");
        char one[24];
        long long v;
        int code;
        if (len && len < sizeof one) {
            memcpy(one, at, len), one[len] = '\0';
            if ((code = ys_cli_int(CMD, "--takes", one, 1, YS_ID_MAX, &v)))
                return code;
            if (*n == TAKEN_MAX)
                return ys_cli_usage_error(CMD, "--takes names more than %d opinions", TAKEN_MAX);
            ids[(*n)++] = (int)v;
        } else if (len)
            return ys_cli_usage_error(CMD, "--takes: '%.*s' is not an opinion's number", (int)len, at);
        at += len;
        at += strspn(at, ",，、 ");
    }
    return YS_EXIT_OK;
}

static void list(const ys_session *s, const char *title)
{
    const ys_document *only = title ? ys_document_by_title(s, title) : NULL;
    size_t shown = 0;
    for (size_t i = 0; i < s->n_opinions; i++) {
        const ys_opinion *o = &s->opinions[i];
        if (only && o->document != only->id)
            continue;
        printf("%3d  《%s》第%d稿 %s  %s%s%s%s\n", o->id, s->documents[o->document - 1].title, o->version, o->section,
               s->delegations[o->delegation - 1].name, o->delegate ? " " : "",
               o->delegate ? s->delegates[o->delegate - 1].name : "", o->taken_up_in ? "  (taken up)" : "");
        printf("     %s\n", o->text);
        shown++;
    }
    if (!shown)
        printf("no opinions%s%s\n", title ? " on " : "", title ? title : "");
}

static ys_rc act(const ys_session *s, const ys_ctx *ctx, const opinion_opts *o, const char *text, const char *verb,
                 ys_events *evs, ys_err *err, int *code)
{
    if (!strcmp(verb, "list")) {
        if (o->document && !ys_document_by_title(s, o->document))
            return ys_fail(err, YS_NOT_FOUND, "document", "no document titled '%s'", o->document);
        list(s, o->document);
        return YS_OK;
    }
    if (!strcmp(verb, "add")) {
        ys_opinion_args a = {.document = o->document, .section = o->section, .text = text, .delegate = o->delegate,
                             .delegation = o->delegation, .meeting = o->meeting};
        return ys_cmd_opinion_add(s, ctx, &a, evs, err);
    }
    if (!strcmp(verb, "explain")) {
        static int taken[TAKEN_MAX];
        size_t n = 0;
        if (!o->version) {
            *code = ys_cli_usage_error(CMD, "explain needs --version N (the version whose changes it explains)");
            return YS_OK;
        }
        if (o->takes && (*code = parse_takes(o->takes, taken, &n)))
            return YS_OK;
        return ys_cmd_document_explain(s, ctx, o->document, o->version, text, taken, n, evs, err);
    }
    *code = ys_cli_usage_error(CMD, "unknown action '%s' (add, explain, list)", verb);
    return YS_OK;
}

int ys_cli_opinion(int argc, char **argv)
{
    opinion_opts o = {0};
    ys_events evs;
    ys_err err = {0};
    char now[32], *read = NULL;
    ys_ctx ctx = ys_cli_ctx(now);
    int code = parse(argc, argv, &o);
    ys_journal *j = NULL;
    const char *verb = optind < argc ? argv[optind] : "list";
    if (code)
        return code;
    if (o.text && o.text_file)
        return ys_cli_usage_error(CMD, "--text and --text-file: one or the other");
    if (o.text_file && !(read = ys_cli_read_file(o.text_file, NULL)))
        return ys_cli_unreadable(CMD, o.text_file);
    if (!(j = ys_cli_open(CMD, o.file, 0, &code))) {
        ys_free(read);
        return code;
    }
    ys_events_init(&evs);
    ys_rc rc = act(j->session, &ctx, &o, read ? read : o.text, verb, &evs, &err, &code);
    if (rc)
        code = ys_cli_fail(CMD, rc, &err);
    else if (!code && evs.n && !(code = ys_cli_commit(CMD, j, &evs))) {
        if (!strcmp(verb, "add"))
            printf("opinion %zu recorded\n", j->session->n_opinions);
        else
            printf("the explanation of version %d is recorded\n", o.version);
    }
    ys_events_free(&evs);
    ys_journal_close(j);
    ys_free(read);
    return code;
}
