/* cmd_held.c — `yishi meeting held|preside|lead|join|attend|rostrum|takeup|bulletin|show`: a meeting as it
 * was held, entered at the secretariat's desk as it happens or afterwards from the paper record: its date and
 * half-day, who presided, led, joined, attended and sat on the rostrum, the items it took up, and its
 * bulletin's number. Several people at once are one commit. */
#include "cli/cli.h"

#include "yishi/alloc.h"
#include "yishi/meeting.h"
#include "yishi/number.h"
#include "yishi/rdoc.h"
#include "yishi/report.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

typedef struct held_opts {
    const char *file, *group, *category, *action, *presenter, *presents, *body, *document;
    int meeting, version;
    bool remove;
} held_opts;

static int parse(int argc, char **argv, held_opts *o)
{
    static const struct option longopts[] = {
        YS_CLI_FILE_OPTION, {"meeting", required_argument, NULL, 'm'}, {"group", required_argument, NULL, 'g'},
        {"category", required_argument, NULL, 'c'}, {"remove", no_argument, NULL, 'R'},
        {"action", required_argument, NULL, 'a'}, {"presenter", required_argument, NULL, 'p'},
        {"presents", required_argument, NULL, 'P'}, {"body", required_argument, NULL, 'b'},
        {"document", required_argument, NULL, 'd'}, {"version", required_argument, NULL, 'v'}, {NULL, 0, NULL, 0}};
    int c, code;
    long long n;
    o->file = YS_DEFAULT_FILE;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:m:", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': o->file = optarg; break;
        case 'g': o->group = optarg; break;
        case 'c': o->category = optarg; break;
        case 'R': o->remove = true; break;
        case 'a': o->action = optarg; break;
        case 'p': o->presenter = optarg; break;
        case 'P': o->presents = optarg; break;
        case 'b': o->body = optarg; break;
        case 'd': o->document = optarg; break;
        case 'm':
        case 'v':
            if ((code = ys_cli_int("meeting", c == 'm' ? "--meeting" : "--version", optarg, 1, YS_ID_MAX, &n)))
                return code;
            *(c == 'm' ? &o->meeting : &o->version) = (int)n;
            break;
        default: return ys_cli_usage_error("meeting", "unknown option");
        }
    }
    return YS_EXIT_OK;
}

static const struct { const char *verb; ys_person_role role; } ROLE_VERBS[] = {
    {"preside", YS_PERSON_PRESIDING}, {"lead", YS_PERSON_LEADER}, {"join", YS_PERSON_JOINED},
    {"attend", YS_PERSON_ATTENDING}, {"rostrum", YS_PERSON_ROSTRUM},
};

static int role_of(const char *verb)
{
    for (size_t i = 0; i < sizeof ROLE_VERBS / sizeof *ROLE_VERBS; i++)
        if (!strcmp(verb, ROLE_VERBS[i].verb))
            return (int)ROLE_VERBS[i].role;
    return 0;
}

bool ys_cli_held_verb(const char *verb)
{
    return role_of(verb) || !strcmp(verb, "held") || !strcmp(verb, "takeup") || !strcmp(verb, "bulletin") ||
           !strcmp(verb, "show");
}

/* The people named, and with --category every attendee of that affiliation (列席 by category). */
static ys_rc people(const ys_session *s, const ys_ctx *ctx, int meeting, ys_person_role role, const held_opts *o,
                    int first, int argc, char **argv, ys_events *evs, ys_err *err)
{
    ys_rc rc;
    int n = 0;
    for (int i = first; i < argc; i++)
        if ((rc = ys_cmd_meeting_person(s, ctx, meeting, role, argv[i], o->group, o->remove, evs, err)))
            return rc;
    for (size_t i = 0; o->category && i < s->n_attendees; i++) {
        char spec[32];
        if (!s->attendees[i].affiliation || strcmp(s->attendees[i].affiliation, o->category))
            continue;
        snprintf(spec, sizeof spec, "attendee:%zu", i + 1);
        if ((rc = ys_cmd_meeting_person(s, ctx, meeting, role, spec, o->group, o->remove, evs, err)))
            return rc;
        n++;
    }
    if (o->category && !n)
        return ys_fail(err, YS_NOT_FOUND, "category", "no attendee's affiliation is '%s'", o->category);
    return YS_OK;
}

static void show(const ys_session *s, const ys_meeting *m)
{
    printf("meeting %d  %s  %s %s\n", m->id, m->title, m->date[0] ? m->date : "(no date recorded)",
           ys_half_day_zh((ys_half_day)m->half_day));
    for (size_t i = 0; i < m->n_people; i++) {
        const ys_meeting_person *p = &m->people[i];
        const char *post = ys_person_post(s, p->who);
        printf("  %-10s %s%s%s%s%s\n", ys_person_role_key(p->role), ys_person_name(s, p->who), post ? " · " : "",
               post ? post : "", p->group ? " · " : "", p->group ? p->group : "");
    }
    for (size_t i = 0; i < m->n_takeups; i++) {
        const ys_takeup *t = &m->takeups[i];
        printf("  takes up   item %d (%s) %s", t->item, ys_item_kind_zh(t->action), s->items[t->item - 1].title);
        if (t->document)
            printf(" — %s v%d", s->documents[t->document - 1].title, t->version);
        if (t->presenter.delegate || t->presenter.attendee)
            printf(" — %s %s", ys_person_name(s, t->presenter), t->presents == YS_PRESENTS_EXPLAIN ? "作说明" : "作报告");
        printf("\n");
    }
    int issued = ys_meeting_bulletin(s, m->id);
    if (issued)
        printf("  bulletin   第%d期\n", issued);
}

static ys_rc act(const ys_session *s, const ys_ctx *ctx, const held_opts *o, const char *verb, int meeting, int argc,
                 char **argv, ys_events *evs, ys_err *err, int *code)
{
    int role = role_of(verb), rest = argc - optind;
    long long item;
    if (role && !rest && !o->category) {
        *code = ys_cli_usage_error("meeting", "%s needs the people: a delegate's code or name, attendee:ID or an "
                                   "attendee's name (or --category AFFILIATION)", verb);
        return YS_OK;
    }
    if (role)
        return people(s, ctx, meeting, (ys_person_role)role, o, optind, argc, argv, evs, err);
    if (!strcmp(verb, "held")) {
        if (rest != 2) {
            *code = ys_cli_usage_error("meeting", "held needs the date and the half-day: held 2024-01-23 下午");
            return YS_OK;
        }
        return ys_cmd_meeting_held(s, ctx, meeting, argv[optind], argv[optind + 1], evs, err);
    }
    if (!strcmp(verb, "takeup")) {
        ys_rc rc;
        if (rest != 1) {
            *code = ys_cli_usage_error("meeting", "takeup needs the agenda item's id: takeup N");
            return YS_OK;
        }
        if ((rc = ys_int_text(argv[optind], "item", 1, YS_ID_MAX, YS_INVALID, &item, err)))
            return rc;
        ys_takeup_args a = {(int)item, o->action, o->document, o->version, o->presenter, o->presents, o->body};
        return ys_cmd_meeting_takeup(s, ctx, meeting, &a, evs, err);
    }
    return ys_cmd_bulletin_issue(s, ctx, meeting, evs, err);
}

/* After a commit: what the meeting now holds, or the bulletin with its new number. */
static int after(const ys_session *s, const char *verb, int meeting)
{
    ys_err err = {0};
    const ys_meeting *m = ys_meeting_get(s, meeting);
    if (strcmp(verb, "bulletin") != 0) {
        if (m)
            show(s, m);
        return YS_EXIT_OK;
    }
    char *text = ys_rdoc_text_footed(s, ys_report_bulletin(s, meeting, 0, true, &err));
    if (!text && !err.rc)
        ys_fail(&err, YS_NOMEM, "bulletin", "out of memory for the bulletin");
    if (!text)
        return ys_cli_fail("meeting", err.rc, &err);
    fputs(text, stdout);
    ys_free(text);
    return YS_EXIT_OK;
}

int ys_cli_held(int argc, char **argv)
{
    held_opts o = {0};
    ys_events evs;
    ys_err err = {0};
    char now[32];
    ys_ctx ctx = ys_cli_ctx(now);
    int code = parse(argc, argv, &o);
    if (code)
        return code;
    const char *verb = argv[optind++]; /* the first word that is not an option, as ys_cli_meeting found it */
    ys_journal *j = ys_cli_open("meeting", o.file, strcmp(verb, "show") ? 0 : YS_STORE_READONLY, &code);
    if (!j)
        return code;
    ys_events_init(&evs);
    int meeting = o.meeting ? o.meeting : j->session->current_meeting;
    const ys_meeting *m = ys_meeting_get(j->session, meeting);
    ys_rc rc = YS_OK;
    if (!strcmp(verb, "show") && m)
        show(j->session, m);
    else if (!strcmp(verb, "show"))
        rc = ys_fail(&err, meeting ? YS_NOT_FOUND : YS_STATE, "meeting", meeting ? "no meeting %d" : "no meeting is "
                     "open: name the meeting (--meeting N)", meeting);
    else
        rc = act(j->session, &ctx, &o, verb, meeting, argc, argv, &evs, &err, &code);
    if (rc)
        code = ys_cli_fail("meeting", rc, &err);
    else if (!code && evs.n && !(code = ys_cli_commit("meeting", j, &evs)))
        code = after(j->session, verb, meeting);
    ys_events_free(&evs);
    ys_journal_close(j);
    return code;
}
