/* cmd_report.c — `yishi report`: what the secretariat publishes, printed from the session file as text, printable
 * HTML or PDF; one row of the table below per report. */
#include "cli/cli.h"
#include "cli/out_file.h"

#include "yishi/alloc.h"
#include "yishi/number.h"
#include "yishi/report.h"
#include "yishi/reports.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

typedef struct report_opts {
    int meeting, issue, poll, election, document;
} report_opts;

/* A report is either a text of its own (the bulletin), which HTML and PDF take paragraph by paragraph, or a
 * document of the model. */
typedef struct report_kind {
    const char *name;
    char *(*text)(const ys_session *s, const report_opts *o, ys_err *err);
    ys_rdoc *(*doc)(const ys_session *s, const report_opts *o, ys_err *err);
    const char *options; /* the options it takes, of m(eeting) i(ssue) p(oll) e(lection) d(ocument) */
} report_kind;

static char *bulletin(const ys_session *s, const report_opts *o, ys_err *err)
{
    return ys_report_bulletin(s, o->meeting, o->issue, true, err);
}

static char *plenary(const ys_session *s, const report_opts *o, ys_err *err)
{
    return ys_report_plenary(s, o->meeting, err);
}

static ys_rdoc *results(const ys_session *s, const report_opts *o, ys_err *err)
{
    return ys_report_results(s, o->poll, o->election, err);
}

static ys_rdoc *summary(const ys_session *s, const report_opts *o, ys_err *err)
{
    (void)o;
    return ys_report_summary(s, err);
}

static ys_rdoc *rollcall(const ys_session *s, const report_opts *o, ys_err *err)
{
    return ys_report_rollcall(s, o->poll, err);
}

static ys_rdoc *opinions(const ys_session *s, const report_opts *o, ys_err *err)
{
    return ys_report_opinions(s, o->document, err);
}

static const report_kind kinds[] = {
    {"bulletin", bulletin, NULL, "mi"},
    {"plenary", plenary, NULL, "m"},
    {"results", NULL, results, "pe"},
    {"summary", NULL, summary, ""},
    {"rollcall", NULL, rollcall, "p"},
    {"opinions", NULL, opinions, "d"},
};

static const report_kind *kind_named(const char *name)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].name, name) == 0)
            return &kinds[i];
    return NULL;
}

/* The rendering of report k in format f, or NULL with err. */
static char *make(const report_kind *k, const ys_session *s, const report_opts *o, ys_rformat f, size_t *len,
                  ys_err *err)
{
    char *text = k->text ? k->text(s, o, err) : NULL;
    if (k->text && (!text || f == YS_RFORMAT_TEXT)) {
        if (text && !(text = ys_rdoc_text_footed(s, text)))
            ys_fail(err, YS_NOMEM, "report", "out of memory for the %s", k->name);
        if (text)
            *len = strlen(text);
        return text;
    }
    ys_rdoc *d = k->doc ? k->doc(s, o, err) : ys_rdoc_from_text(s, k->name, text);
    ys_free(text);
    if (!d) {
        if (!k->doc)
            ys_fail(err, YS_NOMEM, "report", "out of memory for the %s", k->name);
        return NULL;
    }
    char *out = ys_rdoc_render(d, f, len, err);
    ys_rdoc_free(d);
    return out;
}

int ys_cli_report(int argc, char **argv)
{
    static const struct option longopts[] = {
        YS_CLI_FILE_OPTION,         {"meeting", required_argument, NULL, 'm'}, {"issue", required_argument, NULL, 'i'},
        {"poll", required_argument, NULL, 'p'}, {"election", required_argument, NULL, 'e'},
        {"document", required_argument, NULL, 'd'},
        {"format", required_argument, NULL, 'F'}, {"output", required_argument, NULL, 'o'}, {NULL, 0, NULL, 0}};
    const char *file = YS_DEFAULT_FILE, *out = NULL, *given = "";
    char seen[8] = "";
    report_opts o = {.issue = 0}; /* issue 0: the number the meeting's bulletin was issued with */
    ys_rformat format = YS_RFORMAT_TEXT;
    int c, code;
    ys_err err = {0};
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:o:", longopts, NULL)) != -1) {
        long long v;
        if (c == 'f' || c == 'o')
            *(c == 'f' ? &file : &out) = optarg;
        else if (c == 'F' && !(format = ys_rformat_parse(optarg)))
            return ys_cli_usage_error("report", "--format must be text, html or pdf, not '%s'", optarg);
        else if (c && strchr("miped", c)) {
            const char *name = c == 'm' ? "--meeting" : c == 'i' ? "--issue" : c == 'p' ? "--poll"
                             : c == 'e' ? "--election" : "--document";
            if ((code = ys_cli_int("report", name, optarg, 1, c == 'i' ? YS_REPORT_ISSUE_MAX : YS_ID_MAX, &v)))
                return code;
            *(c == 'm' ? &o.meeting : c == 'i' ? &o.issue : c == 'p' ? &o.poll : c == 'e' ? &o.election : &o.document) =
                (int)v;
            if (strlen(seen) < sizeof seen - 1 && !strchr(seen, c))
                seen[strlen(seen)] = (char)c;
        } else if (c != 'F')
            return ys_cli_usage_error("report", "unknown option");
    }
    const report_kind *k = argc - optind == 1 ? kind_named(argv[optind]) : NULL;
    if (!k)
        return ys_cli_usage_error("report", "which report? (bulletin, plenary, results, summary, rollcall, opinions)");
    for (given = seen; *given; given++)
        if (!strchr(k->options, *given))
            return ys_cli_usage_error("report", "the %s takes no --%s", k->name,
                                      *given == 'm' ? "meeting" : *given == 'i' ? "issue" : *given == 'p' ? "poll"
                                      : *given == 'e' ? "election" : "document");
    if (o.poll && o.election)
        return ys_cli_usage_error("report", "--poll or --election, not both");
    if (!strcmp(k->name, "opinions") && !o.document)
        return ys_cli_usage_error("report", "the opinions are of one document: --document N (yishi doc list)");
    ys_journal *j = ys_cli_open("report", file, YS_STORE_READONLY, &code);
    if (!j)
        return code;
    size_t len = 0;
    char *bytes = make(k, j->session, &o, format, &len, &err);
    code = bytes ? ys_cli_write_out("report", out, bytes, len) : ys_cli_fail("report", err.rc, &err);
    ys_free(bytes);
    ys_journal_close(j);
    return code;
}
