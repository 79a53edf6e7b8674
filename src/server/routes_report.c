/* routes_report.c — the reports and exports the server serves, from the same functions as `yishi report` and
 * `yishi export`: each document made under the read lock (a copy of what it says), rendered after it is released. */
#include "server/routes.h"

#include "yishi/alloc.h"
#include "yishi/number.h"
#include "yishi/reports.h"

#include <string.h>

/* ?format=text|html|pdf (text when left out); false, with the error answered, for any other word. */
static bool format_of(const ys_srv_call *call, ys_srv_resp *resp, ys_rformat *out)
{
    const char *f = ys_srv_arg(call->req, "format");
    *out = f ? ys_rformat_parse(f) : YS_RFORMAT_TEXT;
    if (!*out)
        ys_srv_errorf(resp, YS_INVALID, "format", "format must be text, html or pdf, not '%s'", f);
    return *out != 0;
}

/* ?NAME=ID, 0 when left out; false, with the error answered, when it is no id. */
static bool id_arg(const ys_srv_call *call, ys_srv_resp *resp, const char *name, int *out)
{
    const char *v = ys_srv_arg(call->req, name);
    long long n = 0;
    ys_err err = {0};
    if (v && ys_int_text(v, name, 1, YS_ID_MAX, YS_INVALID, &n, &err)) {
        ys_srv_error(resp, YS_INVALID, &err);
        return false;
    }
    *out = (int)n;
    return true;
}

static void send_raw(ys_srv_resp *resp, char *bytes, size_t len, const char *type, const ys_err *err)
{
    if (!bytes) {
        ys_srv_error(resp, err->rc, err);
        return;
    }
    resp->status = 200;
    resp->raw = bytes;
    resp->raw_len = len;
    resp->content_type = type;
}

void ys_h_send_rdoc(ys_srv_resp *resp, ys_rdoc *d, ys_rformat f, const ys_err *made)
{
    ys_err err = made ? *made : (ys_err){.rc = YS_NOMEM};
    size_t len = 0;
    char *bytes = d ? ys_rdoc_render(d, f, &len, &err) : NULL;
    ys_rdoc_free(d);
    send_raw(resp, bytes, len, ys_rformat_mime(f), &err);
}

void ys_h_send_text_report(ys_srv_resp *resp, char *text, ys_rdoc *doc, ys_rformat f, const ys_err *made)
{
    if (text && f != YS_RFORMAT_TEXT) {
        ys_free(text);
        ys_h_send_rdoc(resp, doc, f, NULL);
    } else if (!text && !made->rc) {
        ys_srv_errorf(resp, YS_NOMEM, "report", "out of memory for the report");
    } else if (text) {
        resp->status = 200;
        resp->raw = text;
        resp->raw_len = strlen(text);
        resp->content_type = "text/plain; charset=utf-8";
    } else {
        ys_srv_error(resp, made->rc, made);
    }
}

typedef enum { R_RESULTS, R_SUMMARY, R_ROLLCALL, R_OPINIONS } report_kind;

static void report(const ys_srv_call *call, ys_srv_resp *resp, report_kind k)
{
    ys_rformat f;
    int poll = 0, election = 0, document = 0;
    ys_err err = {0};
    if (!format_of(call, resp, &f) || !id_arg(call, resp, "poll", &poll) || !id_arg(call, resp, "election", &election) ||
        !id_arg(call, resp, "document", &document))
        return;
    if (k == R_OPINIONS && !document) {
        ys_srv_errorf(resp, YS_INVALID, "document", "the opinions are of one document: ?document=ID");
        return;
    }
    const ys_session *s = ys_srv_read_begin(call->srv);
    ys_rdoc *d = k == R_RESULTS ? ys_report_results(s, poll, election, &err)
                 : k == R_SUMMARY ? ys_report_summary(s, &err)
                 : k == R_ROLLCALL ? ys_report_rollcall(s, poll, &err)
                                   : ys_report_opinions(s, document, &err);
    ys_srv_read_end(call->srv);
    if (!d) {
        ys_srv_error(resp, err.rc, &err);
        return;
    }
    ys_h_send_rdoc(resp, d, f, &err);
}

void ys_h_report_results(const ys_srv_call *call, ys_srv_resp *resp) { report(call, resp, R_RESULTS); }
void ys_h_report_summary(const ys_srv_call *call, ys_srv_resp *resp) { report(call, resp, R_SUMMARY); }
void ys_h_report_rollcall(const ys_srv_call *call, ys_srv_resp *resp) { report(call, resp, R_ROLLCALL); }
void ys_h_report_opinions(const ys_srv_call *call, ys_srv_resp *resp) { report(call, resp, R_OPINIONS); }

/* ---- exports ---- */

void ys_h_export_popolo(const ys_srv_call *call, ys_srv_resp *resp)
{
    ys_err err = {0};
    const ys_session *s = ys_srv_read_begin(call->srv);
    json_t *p = ys_export_popolo(s, &err);
    ys_srv_read_end(call->srv);
    if (!p)
        ys_srv_error(resp, err.rc, &err);
    else
        ys_srv_json(resp, 200, p);
}

void ys_h_export_csv(const ys_srv_call *call, ys_srv_resp *resp)
{
    ys_err err = {0};
    size_t len = 0;
    const char *list = ys_srv_arg(call->req, "list");
    if (!list) {
        ys_srv_errorf(resp, YS_INVALID, "list", "which list? list=delegates, delegations, attendees, meetings, "
                      "attendance, polls or elections");
        return;
    }
    const ys_session *s = ys_srv_read_begin(call->srv);
    char *csv = ys_export_csv(s, list, &len, &err);
    ys_srv_read_end(call->srv);
    send_raw(resp, csv, len, "text/csv; charset=utf-8", &err);
}

/* What each speaker said goes into a meeting's record only for those who may read it there (view.c). */
void ys_h_export_akn(const ys_srv_call *call, ys_srv_resp *resp)
{
    ys_err err = {0};
    size_t len = 0;
    int meeting = 0;
    if (!id_arg(call, resp, "meeting", &meeting))
        return;
    if (!meeting) {
        ys_srv_errorf(resp, YS_INVALID, "meeting", "which meeting? meeting=ID");
        return;
    }
    const ys_session *s = ys_srv_read_begin(call->srv);
    const ys_meeting *m = ys_meeting_get(s, meeting);
    ys_viewer v = ys_srv_viewer(s, call->who);
    bool said = m && ys_srv_may_see(&v, YS_SECRET_SPEECH_SUMMARY, m->delegation);
    char *xml = ys_export_akn(s, meeting, said, &len, &err);
    ys_srv_read_end(call->srv);
    send_raw(resp, xml, len, "application/akn+xml; charset=utf-8", &err);
}
