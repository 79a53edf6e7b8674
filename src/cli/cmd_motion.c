/* cmd_motion.c — `yishi motion`: motions, amendments, inquiries, recall and suggestions from the
 * secretariat's desk: a draft entered from paper, its co-signatures, the submission, the presidium's
 * deadline and decision, withdrawal, the answer and the delegate's satisfaction; and what there is. */
#include "cli/cli.h"

#include "yishi/alloc.h"
#include "yishi/motion.h"
#include "yishi/number.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CMD "motion"

typedef struct motion_opts {
    const char *file, *kind, *title, *lead, *by, *to, *person, *note, *answer_by;
    const char *texts[3][2]; /* --grounds, --plan, --text: the text, or the file holding it */
    int amends;
    bool consent;
} motion_opts;

enum { T_GROUNDS, T_PLAN, T_TEXT };

static int parse(int argc, char **argv, motion_opts *o)
{
    static const struct option longopts[] = {
        YS_CLI_FILE_OPTION, {"kind", required_argument, NULL, 'k'}, {"title", required_argument, NULL, 't'},
        {"grounds", required_argument, NULL, 'g'}, {"grounds-file", required_argument, NULL, 'G'},
        {"plan", required_argument, NULL, 'p'}, {"plan-file", required_argument, NULL, 'P'},
        {"text", required_argument, NULL, 'x'}, {"text-file", required_argument, NULL, 'X'},
        {"lead", required_argument, NULL, 'l'}, {"by", required_argument, NULL, 'b'},
        {"to", required_argument, NULL, 'o'}, {"person", required_argument, NULL, 'n'},
        {"amends", required_argument, NULL, 'a'}, {"note", required_argument, NULL, 'N'},
        {"consent", no_argument, NULL, 'c'}, {NULL, 0, NULL, 0}};
    int c, code;
    long long n;
    o->file = YS_DEFAULT_FILE;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': o->file = optarg; break;
        case 'k': o->kind = optarg; break;
        case 't': o->title = optarg; break;
        case 'g': o->texts[T_GROUNDS][0] = optarg; break;
        case 'G': o->texts[T_GROUNDS][1] = optarg; break;
        case 'p': o->texts[T_PLAN][0] = optarg; break;
        case 'P': o->texts[T_PLAN][1] = optarg; break;
        case 'x': o->texts[T_TEXT][0] = optarg; break;
        case 'X': o->texts[T_TEXT][1] = optarg; break;
        case 'l': o->lead = optarg; break;
        case 'b': o->by = o->answer_by = optarg; break;
        case 'o': o->to = optarg; break;
        case 'n': o->person = optarg; break;
        case 'N': o->note = optarg; break;
        case 'c': o->consent = true; break;
        case 'a':
            if ((code = ys_cli_int(CMD, "--amends", optarg, 1, YS_ID_MAX, &n)))
                return code;
            o->amends = (int)n;
            break;
        default: return ys_cli_usage_error(CMD, "unknown option");
        }
    }
    return YS_EXIT_OK;
}

/* The texts given inline or from their files (--grounds-file …); an exit code. */
static int read_texts(const motion_opts *o, char *read[3], const char *out[3])
{
    static const char *const names[] = {"--grounds", "--plan", "--text"};
    for (int i = 0; i < 3; i++) {
        out[i] = o->texts[i][0];
        if (o->texts[i][0] && o->texts[i][1])
            return ys_cli_usage_error(CMD, "%s and %s-file: one or the other", names[i], names[i]);
        if (o->texts[i][1] && !(out[i] = read[i] = ys_cli_read_file(o->texts[i][1], NULL)))
            return ys_cli_unreadable(CMD, o->texts[i][1]);
    }
    return YS_EXIT_OK;
}

/* "2024-01-24 18:00" in Beijing time (UTC+8, no summer time) as an event's time; "none" lifts a deadline. */
static bool beijing_to_utc(const char *text, char out[32])
{
    struct tm tm = {0};
    int y, mo, d, h, mi;
    char end;
    if (!strcmp(text, "none")) {
        out[0] = '\0';
        return true;
    }
    if (sscanf(text, "%4d-%2d-%2d %2d:%2d%c", &y, &mo, &d, &h, &mi, &end) != 5 || mo < 1 || mo > 12 || d < 1 ||
        d > 31 || h > 23 || mi > 59 || y < 2000 || y > 2999)
        return false;
    tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d, tm.tm_hour = h, tm.tm_min = mi;
    time_t t = timegm(&tm);
    struct tm back;
    gmtime_r(&t, &back);
    if (back.tm_mday != d) /* 2月30日 */
        return false;
    ys_event_time((int64_t)t - 8 * 3600, 0, out);
    return true;
}

static const char *delegate_name(const ys_session *s, int id) { return id ? s->delegates[id - 1].name : ""; }

/* One line: 议案 3 「…」 submitted, 10 signatures (10 needed). */
static void print_line(const ys_session *s, const ys_motion *m)
{
    const char *rule = ys_motion_rule(m->kind);
    const ys_threshold *t = rule ? ys_rules_threshold(s->rules, rule) : NULL;
    printf("%s %d 「%s」: %s", ys_motion_kind_zh(m->kind), m->id, m->title, ys_motion_state_key(m->state));
    if (m->by == YS_BY_DELEGATES) {
        printf(", %zu signature%s", m->n_signatures, m->n_signatures == 1 ? "" : "s");
        if (t && t->defined)
            printf(" (%d needed)", ys_threshold_min(t, s->entitled));
    } else
        printf(", by the %s", ys_motion_by_key(m->by));
    if (m->decision)
        printf(": %s", ys_motion_decision_zh(m->decision));
    printf("\n");
}

static void print_text(const char *label, const char *text)
{
    if (!text)
        return;
    printf("%s:\n", label);
    for (const char *line = text; *line;) {
        size_t n = strcspn(line, "\n");
        printf("  %.*s\n", (int)n, line);
        line += n + (line[n] == '\n');
    }
}

static void show(const ys_session *s, const ys_motion *m)
{
    print_line(s, m);
    if (m->lead)
        printf("lead: %s (%s)\n", delegate_name(s, m->lead), s->delegates[m->lead - 1].code);
    if (m->amends)
        printf("amends: 议案 %d 「%s」\n", m->amends, s->motions[m->amends - 1].title);
    if (m->person)
        printf("person: %s\n", m->person);
    if (m->addressee)
        printf("to: %s\n", m->addressee);
    print_text(m->kind == YS_MOTION_RECALL ? "罢免理由" : m->kind == YS_MOTION_INQUIRY ? "质询的内容" : "案据", m->grounds);
    print_text("方案", m->plan);
    if (m->n_signatures) {
        printf("signed by (联名):");
        for (size_t i = 0; i < m->n_signatures; i++)
            printf("%s%s", i ? "、" : " ", delegate_name(s, m->signatures[i].delegate));
        printf("\n");
    }
    if (m->decision_note)
        printf("the presidium: %s\n", m->decision_note);
    if (m->state == YS_MOTION_WITHDRAWN)
        printf("withdrawn%s\n", m->withdrawn_with_consent ? " with the presidium's consent" : "");
    print_text(m->answered_by ? m->answered_by : "answer", m->answer);
    if (m->satisfaction)
        printf("the delegate is %s\n", ys_satisfaction_key(m->satisfaction));
}

static void list(const ys_session *s, int kind)
{
    size_t shown = 0;
    for (size_t i = 0; i < s->n_motions; i++)
        if (!kind || s->motions[i].kind == (ys_motion_kind)kind) {
            print_line(s, &s->motions[i]);
            shown++;
        }
    if (!shown)
        printf("no %s yet\n", kind ? ys_motion_kind_zh((ys_motion_kind)kind) : "motions");
}

/* The ID argument of an action, into *id; an exit code. */
static int motion_id(int argc, char **argv, const char *verb, int *id)
{
    long long n;
    if (optind + 1 >= argc)
        return ys_cli_usage_error(CMD, "%s needs the motion's number", verb);
    int code = ys_cli_int(CMD, "the motion's number", argv[optind + 1], 1, YS_ID_MAX, &n);
    *id = (int)n;
    return code;
}

static ys_rc draft(const ys_session *s, const ys_ctx *ctx, const motion_opts *o, const char *const *texts,
                   ys_events *evs, ys_err *err, int *code)
{
    ys_motion_draft d = {.kind = (ys_motion_kind)ys_motion_kind_parse(o->kind ? o->kind : "motion"),
                         .by = o->lead ? YS_BY_DELEGATES : (ys_motion_by)ys_motion_by_parse(o->by),
                         .lead = o->lead, .amends = o->amends, .title = o->title, .grounds = texts[T_GROUNDS],
                         .plan = texts[T_PLAN], .addressee = o->to, .person = o->person};
    if (!d.kind)
        *code = ys_cli_usage_error(CMD, "unknown --kind '%s' (motion, amendment, inquiry, recall, suggestion)", o->kind);
    else if (o->lead && o->by)
        *code = ys_cli_usage_error(CMD, "--lead CODE or --by presidium|standing_committee: one or the other");
    else if (!d.by)
        *code = ys_cli_usage_error(CMD, "draft needs --lead CODE (the delegate who drafts it) or, for a recall, --by "
                                   "presidium|standing_committee");
    return *code ? YS_OK : ys_cmd_motion_draft(s, ctx, &d, evs, err);
}

/* Signatures gathered on paper, several at once: all or none. */
static ys_rc sign(const ys_session *s, const ys_ctx *ctx, int id, int argc, char **argv, ys_events *evs, ys_err *err,
                  int *code)
{
    if (optind + 2 >= argc) {
        *code = ys_cli_usage_error(CMD, "sign needs the motion's number and the signers' codes");
        return YS_OK;
    }
    for (int i = optind + 2; i < argc; i++) {
        for (int k = optind + 2; k < i; k++)
            if (!strcmp(argv[k], argv[i]))
                return ys_fail(err, YS_INVALID, "delegate", "%s is named twice", argv[i]);
        ys_rc rc = ys_cmd_motion_sign(s, ctx, id, argv[i], evs, err);
        if (rc)
            return rc;
    }
    return YS_OK;
}

static ys_rc act(const ys_session *s, const ys_ctx *ctx, const motion_opts *o, const char *const *texts, int argc,
                 char **argv, ys_events *evs, ys_err *err, int *code, int *id)
{
    const char *verb = optind < argc ? argv[optind] : "list";
    if (!strcmp(verb, "list")) {
        int kind = o->kind ? ys_motion_kind_parse(o->kind) : 0;
        if (o->kind && !kind)
            *code = ys_cli_usage_error(CMD, "unknown --kind '%s'", o->kind);
        else
            list(s, kind);
        return YS_OK;
    }
    if (!strcmp(verb, "draft"))
        return draft(s, ctx, o, texts, evs, err, code);
    if (!strcmp(verb, "deadline")) {
        char until[32];
        int kind = optind + 1 < argc ? ys_motion_kind_parse(argv[optind + 1]) : 0;
        if (!kind || optind + 2 >= argc)
            *code = ys_cli_usage_error(CMD, "deadline KIND \"YYYY-MM-DD HH:MM\" (Beijing time) or KIND none");
        else if (!beijing_to_utc(argv[optind + 2], until))
            *code = ys_cli_usage_error(CMD, "'%s' is not a time as 2024-01-24 18:00 (Beijing time), nor none",
                                       argv[optind + 2]);
        return *code ? YS_OK : ys_cmd_motion_deadline(s, ctx, (ys_motion_kind)kind, until, evs, err);
    }
    if ((*code = motion_id(argc, argv, verb, id)))
        return YS_OK;
    if (!strcmp(verb, "show")) {
        const ys_motion *m = ys_motion_get(s, *id);
        if (!m)
            return ys_fail(err, YS_NOT_FOUND, "motion", "no motion %d", *id);
        show(s, m);
        return YS_OK;
    }
    if (!strcmp(verb, "sign"))
        return sign(s, ctx, *id, argc, argv, evs, err, code);
    if (!strcmp(verb, "submit"))
        return ys_cmd_motion_submit(s, ctx, *id, evs, err);
    if (!strcmp(verb, "withdraw"))
        return ys_cmd_motion_withdraw(s, ctx, *id, o->consent, evs, err);
    if (!strcmp(verb, "answer"))
        return ys_cmd_motion_answer(s, ctx, *id, o->answer_by, texts[T_TEXT], evs, err);
    const char *word = optind + 2 < argc ? argv[optind + 2] : NULL;
    if (!strcmp(verb, "decide")) {
        int d = word ? ys_motion_decision_parse(word) : 0;
        if (!d)
            *code = ys_cli_usage_error(CMD, "decide ID agenda|committee|suggestion|oral|written|refer");
        return *code ? YS_OK : ys_cmd_motion_decide(s, ctx, *id, (ys_motion_decision)d, o->note, evs, err);
    }
    if (!strcmp(verb, "rate")) {
        int r = optind + 3 < argc ? ys_satisfaction_parse(argv[optind + 3]) : 0;
        if (!r)
            *code = ys_cli_usage_error(CMD, "rate ID CODE satisfied|basically|unsatisfied (满意|基本满意|不满意)");
        return *code ? YS_OK : ys_cmd_motion_rate(s, ctx, *id, word, (ys_satisfaction)r, evs, err);
    }
    *code = ys_cli_usage_error(CMD, "unknown action '%s'", verb);
    return YS_OK;
}

int ys_cli_motion(int argc, char **argv)
{
    motion_opts o = {0};
    ys_events evs;
    ys_err err = {0};
    char now[32], *read[3] = {NULL, NULL, NULL};
    const char *texts[3];
    ys_ctx ctx = ys_cli_ctx(now);
    int id = 0, code = parse(argc, argv, &o);
    ys_journal *j = NULL;
    if (code || (code = read_texts(&o, read, texts)) || !(j = ys_cli_open(CMD, o.file, 0, &code)))
        goto out;
    ys_events_init(&evs);
    ys_rc rc = act(j->session, &ctx, &o, texts, argc, argv, &evs, &err, &code, &id);
    if (rc)
        code = ys_cli_fail(CMD, rc, &err);
    else if (!code && evs.n && !(code = ys_cli_commit(CMD, j, &evs))) {
        const ys_motion *m = ys_motion_get(j->session, id ? id : (int)j->session->n_motions);
        if (m && strcmp(argv[optind], "deadline") != 0)
            print_line(j->session, m);
        else
            printf("the presidium's deadline is set\n");
    }
    ys_events_free(&evs);
    ys_journal_close(j);
out:
    for (int i = 0; i < 3; i++)
        ys_free(read[i]);
    return code;
}
