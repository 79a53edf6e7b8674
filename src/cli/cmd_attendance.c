/* cmd_attendance.c — `yishi meeting`, `yishi checkin` and `yishi leave`: opening and closing
 * meetings, and who is present or on leave at them. Several delegates at once are one commit. */
#include "cli/cli.h"

#include "yishi/meeting.h"
#include "yishi/number.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

typedef struct attend_opts {
    const char *file, *delegation, *reason, *kind, *title, *date, *half_day;
    int meeting;
    bool all;
} attend_opts;

/* Options shared by checkin, leave and meeting; positional arguments stay at argv[optind..]. */
static int parse(const char *cmd, int argc, char **argv, attend_opts *o)
{
    static const struct option longopts[] = {
        YS_CLI_FILE_OPTION, {"meeting", required_argument, NULL, 'm'}, {"delegation", required_argument, NULL, 'd'},
        {"reason", required_argument, NULL, 'r'}, {"all", no_argument, NULL, 'A'},
        {"kind", required_argument, NULL, 'k'}, {"title", required_argument, NULL, 't'},
        {"date", required_argument, NULL, 'D'}, {"half", required_argument, NULL, 'H'}, {NULL, 0, NULL, 0}};
    int c, code;
    long long n;
    o->file = YS_DEFAULT_FILE;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:m:d:r:", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': o->file = optarg; break;
        case 'm':
            if ((code = ys_cli_int(cmd, "--meeting", optarg, 1, YS_ID_MAX, &n)))
                return code;
            o->meeting = (int)n;
            break;
        case 'd': o->delegation = optarg; break;
        case 'r': o->reason = optarg; break;
        case 'A': o->all = true; break;
        case 'k': o->kind = optarg; break;
        case 't': o->title = optarg; break;
        case 'D': o->date = optarg; break;
        case 'H': o->half_day = optarg; break;
        default: return ys_cli_usage_error(cmd, "unknown option");
        }
    }
    return YS_EXIT_OK;
}

/* The delegates a command names: codes on the command line, a whole delegation, or everyone. */
static ys_rc collect(const ys_session *s, const ys_ctx *ctx, int meeting, ys_presence to, const attend_opts *o,
                     int argc, char **argv, ys_events *evs, ys_err *err)
{
    ys_rc rc;
    for (int i = optind; i < argc; i++) {
        for (int k = optind; k < i; k++)
            if (strcmp(argv[k], argv[i]) == 0)
                return ys_fail(err, YS_INVALID, "delegate", "delegate %s is named twice", argv[i]);
        if ((rc = ys_cmd_attendance(s, ctx, meeting, argv[i], to, o->reason, evs, err)))
            return rc;
    }
    if (!o->all && !o->delegation)
        return YS_OK;
    const ys_delegation *dl = o->delegation ? ys_delegation_by_name(s, o->delegation) : NULL;
    if (o->delegation && !dl)
        return ys_fail(err, YS_NOT_FOUND, "delegation", "no delegation named '%s'", o->delegation);
    const ys_meeting *m = ys_meeting_get(s, meeting);
    for (size_t i = 0; m && i < s->n_delegates; i++) {
        const ys_delegate *d = &s->delegates[i];
        bool named = false;
        for (int k = optind; k < argc; k++)
            named |= strcmp(argv[k], d->code) == 0;
        if (named || !d->entitled || (dl && d->delegation != dl->id) || (m->delegation && d->delegation != m->delegation) ||
            ys_meeting_presence(m, d->id) == to)
            continue;
        if ((rc = ys_cmd_attendance(s, ctx, meeting, d->code, to, o->reason, evs, err)))
            return rc;
    }
    return YS_OK;
}

static int mark(const char *cmd, ys_presence to, int argc, char **argv)
{
    attend_opts o = {0};
    ys_events evs;
    ys_err err = {0};
    char now[32];
    ys_ctx ctx = ys_cli_ctx(now);
    int code = parse(cmd, argc, argv, &o);
    if (code)
        return code;
    if (optind == argc && !o.all && !o.delegation)
        return ys_cli_usage_error(cmd, "name delegates by code, or give --delegation NAME or --all");
    ys_journal *j = ys_cli_open(cmd, o.file, 0, &code);
    if (!j)
        return code;
    ys_events_init(&evs);
    int meeting = o.meeting ? o.meeting : j->session->current_meeting;
    ys_rc rc = collect(j->session, &ctx, meeting, to, &o, argc, argv, &evs, &err);
    size_t n = evs.n;
    if (rc)
        code = ys_cli_fail(cmd, rc, &err);
    else if (n == 0)
        printf("nobody to mark: everyone named is already %s\n", to == YS_PRESENT ? "present" : "on leave");
    else if (!(code = ys_cli_commit(cmd, j, &evs)))
        printf("meeting %d: %zu delegate%s %s\n", meeting, n, n == 1 ? "" : "s",
               to == YS_PRESENT ? "checked in" : "on leave");
    ys_events_free(&evs);
    ys_journal_close(j);
    return code;
}

int ys_cli_checkin(int argc, char **argv) { return mark("checkin", YS_PRESENT, argc, argv); }
int ys_cli_leave(int argc, char **argv) { return mark("leave", YS_ON_LEAVE, argc, argv); }

static void list_meetings(const ys_session *s)
{
    for (size_t i = 0; i < s->n_meetings; i++) {
        const ys_meeting *m = &s->meetings[i];
        ys_attendance a = ys_meeting_attendance(s, m);
        printf("%3d  %-6s %s%s%s  %s  present %d/%d\n", m->id, m->open ? "open" : "closed",
               ys_meeting_kind_zh(m->kind), m->delegation ? " · " : "",
               m->delegation ? s->delegations[m->delegation - 1].name : "", m->title, a.present, a.entitled);
    }
    if (!s->n_meetings)
        printf("no meetings yet (yishi meeting open --kind plenary --title …)\n");
}

/* meeting item N: the agenda item the meeting (the current one, or --meeting) goes on to. */
static ys_rc meeting_item(const ys_session *s, const ys_ctx *ctx, int meeting, const char *arg, ys_events *evs,
                          ys_err *err)
{
    long long item;
    ys_rc rc = ys_int_text(arg, "item", 1, YS_ID_MAX, YS_INVALID, &item, err);
    return rc ? rc : ys_cmd_meeting_item(s, ctx, meeting, (int)item, evs, err);
}

int ys_cli_meeting(int argc, char **argv)
{
    attend_opts o = {0};
    ys_events evs;
    ys_err err = {0};
    char now[32];
    ys_ctx ctx = ys_cli_ctx(now);
    ys_rc rc = YS_OK;
    if (argc > 1 && ys_cli_held_verb(argv[1])) /* the verbs of a meeting as held come first */
        return ys_cli_held(argc, argv);
    int code = parse("meeting", argc, argv, &o);
    if (code)
        return code;
    const char *verb = optind < argc ? argv[optind] : "list";
    if (strcmp(verb, "open") && strcmp(verb, "close") && strcmp(verb, "item") && strcmp(verb, "list"))
        return ys_cli_usage_error("meeting", "unknown action '%s' (open, close, item, list, held, preside, lead, join, "
                                  "attend, rostrum, takeup, bulletin or show)", verb);
    if (!strcmp(verb, "open") && (!o.kind || !ys_meeting_kind_parse(o.kind) || !o.title))
        return ys_cli_usage_error("meeting", "open needs --kind preparatory|plenary|delegation|group and --title");
    if (!strcmp(verb, "item") && optind + 2 != argc)
        return ys_cli_usage_error("meeting", "item needs the agenda item's id: meeting item N");
    ys_journal *j = ys_cli_open("meeting", o.file, 0, &code);
    if (!j)
        return code;
    ys_events_init(&evs);
    const ys_session *s = j->session;
    int target = o.meeting ? o.meeting : s->current_meeting;
    bool opening = !strcmp(verb, "open");
    if (!strcmp(verb, "list"))
        list_meetings(s);
    else if (opening)
        rc = ys_cmd_meeting_open_on(s, &ctx, (ys_meeting_kind)ys_meeting_kind_parse(o.kind), o.title, o.delegation,
                                    o.date, o.half_day, &evs, &err);
    else if (!strcmp(verb, "item"))
        rc = meeting_item(s, &ctx, target, argv[optind + 1], &evs, &err);
    else
        rc = ys_cmd_meeting_close(s, &ctx, target, &evs, &err);
    if (rc)
        code = ys_cli_fail("meeting", rc, &err);
    else if (evs.n && !(code = ys_cli_commit("meeting", j, &evs)))
        printf("meeting %d %s\n", opening ? j->session->current_meeting : target,
               opening ? "opened" : !strcmp(verb, "item") ? "moved to its item" : "closed");
    ys_events_free(&evs);
    ys_journal_close(j);
    return code;
}
