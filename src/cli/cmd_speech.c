/* cmd_speech.c — `yishi speech`: the speakers list of a meeting from the chair's or the delegation
 * secretary's desk: requests, the floor given in turn, and what each speaker said. */
#include "cli/cli.h"

#include "yishi/alloc.h"
#include "yishi/number.h"
#include "yishi/speech.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

typedef struct speech_opts {
    const char *file, *topic, *summary, *summary_file, *kind;
    int meeting;
} speech_opts;

static int parse(int argc, char **argv, speech_opts *o)
{
    static const struct option longopts[] = {
        YS_CLI_FILE_OPTION, {"meeting", required_argument, NULL, 'm'}, {"topic", required_argument, NULL, 't'},
        {"summary", required_argument, NULL, 's'}, {"summary-file", required_argument, NULL, 'S'},
        {"kind", required_argument, NULL, 'k'}, {NULL, 0, NULL, 0}};
    int c, code;
    long long n;
    o->file = YS_DEFAULT_FILE;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:m:", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': o->file = optarg; break;
        case 't': o->topic = optarg; break;
        case 's': o->summary = optarg; break;
        case 'S': o->summary_file = optarg; break;
        case 'k': o->kind = optarg; break;
        case 'm':
            if ((code = ys_cli_int("speech", "--meeting", optarg, 1, YS_ID_MAX, &n)))
                return code;
            o->meeting = (int)n;
            break;
        default: return ys_cli_usage_error("speech", "unknown option");
        }
    }
    return YS_EXIT_OK;
}

static void list(const ys_session *s, int meeting)
{
    int order = 0;
    for (size_t i = 0; i < s->n_speeches; i++) {
        const ys_speech *sp = &s->speeches[i];
        if (sp->meeting != meeting)
            continue;
        const ys_delegate *d = &s->delegates[sp->delegate - 1];
        char spoke[24] = "";
        if (sp->spoke)
            snprintf(spoke, sizeof spoke, " (#%d to speak)", sp->spoke);
        printf("%3d  %-9s %s (%s)%s%s%s%s\n", ++order, ys_speech_state_word(sp->state), d->name, d->code, spoke,
               sp->kind == YS_SPEECH_REMARKS ? " [讲话]" : "", sp->topic ? " — " : "", sp->topic ? sp->topic : "");
        for (const char *line = sp->summary; line && *line;) { /* each line of what was said, indented */
            size_t n = strcspn(line, "\n");
            printf("       %.*s\n", (int)n, line);
            line += n + (line[n] == '\n');
        }
    }
    if (!order)
        printf("nobody has asked to speak at meeting %d\n", meeting);
}

static ys_rc act(ys_journal *j, const ys_ctx *ctx, const speech_opts *o, const char *summary, int meeting, int argc,
                 char **argv, ys_events *evs, ys_err *err, int *code)
{
    const ys_session *s = j->session;
    const char *verb = optind < argc ? argv[optind] : "list";
    const char *who = optind + 1 < argc ? argv[optind + 1] : NULL;
    bool needs_who = !strcmp(verb, "request") || !strcmp(verb, "withdraw") || !strcmp(verb, "start");
    if (needs_who && !who) {
        *code = ys_cli_usage_error("speech", "%s needs the delegate's code", verb);
        return YS_OK;
    }
    if (!strcmp(verb, "list") && !meeting) {
        printf("no meeting is open (--meeting N lists the speakers of another)\n");
        return YS_OK;
    }
    if (!strcmp(verb, "list")) {
        list(s, meeting);
        return YS_OK;
    }
    ys_speech_kind kind = o->kind ? (ys_speech_kind)ys_speech_kind_parse(o->kind) : YS_SPEECH_DELEGATE;
    if (!kind) {
        *code = ys_cli_usage_error("speech", "unknown --kind '%s' (speech/发言, remarks/讲话)", o->kind);
        return YS_OK;
    }
    if (!strcmp(verb, "request"))
        return ys_cmd_speech_request_as(s, ctx, meeting, who, o->topic, kind, evs, err);
    if (!strcmp(verb, "withdraw"))
        return ys_cmd_speech_withdraw(s, ctx, meeting, who, evs, err);
    if (!strcmp(verb, "start"))
        return ys_cmd_speech_start_as(s, ctx, meeting, who, kind, evs, err);
    if (!strcmp(verb, "next"))
        return ys_cmd_speech_start(s, ctx, meeting, NULL, evs, err);
    if (!strcmp(verb, "end"))
        return ys_cmd_speech_end(s, ctx, meeting, summary, evs, err);
    *code = ys_cli_usage_error("speech", "unknown action '%s'", verb);
    return YS_OK;
}

int ys_cli_speech(int argc, char **argv)
{
    speech_opts o = {0};
    ys_events evs;
    ys_err err = {0};
    char now[32], *summary = NULL;
    ys_ctx ctx = ys_cli_ctx(now);
    int code = parse(argc, argv, &o);
    if (code)
        return code;
    if (o.summary_file && !(summary = ys_cli_read_file(o.summary_file, NULL))) {
        return ys_cli_unreadable("speech", o.summary_file);
    }
    ys_journal *j = ys_cli_open("speech", o.file, 0, &code);
    if (!j) {
        ys_free(summary);
        return code;
    }
    ys_events_init(&evs);
    int meeting = o.meeting ? o.meeting : j->session->current_meeting;
    ys_rc rc = act(j, &ctx, &o, summary ? summary : o.summary, meeting, argc, argv, &evs, &err, &code);
    if (rc)
        code = ys_cli_fail("speech", rc, &err);
    else if (!code && evs.n)
        code = ys_cli_commit("speech", j, &evs);
    if (!rc && !code && optind < argc && strcmp(argv[optind], "list") != 0) {
        const ys_speech *sp = ys_meeting_speaker(j->session, meeting);
        printf("meeting %d: %s\n", meeting, sp ? j->session->delegates[sp->delegate - 1].name : "nobody has the floor");
    }
    ys_events_free(&evs);
    ys_journal_close(j);
    ys_free(summary);
    return code;
}
