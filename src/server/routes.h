/* routes.h — the handlers of the route table (routes.c), split by what they do: reads (routes.c),
 * logins (routes_auth.c) and writes that become commands for the writer (routes_write.c). */
#ifndef YS_SERVER_ROUTES_H
#define YS_SERVER_ROUTES_H

#include "server/server.h"
#include "yishi/rdoc.h"

int ys_h_param_id(const ys_srv_call *call, int i);
/* Runs fn with the state under the read lock and answers 200 with what it returns; NULL answers the error
 * it set (404 unless it says otherwise). */
typedef json_t *(*ys_h_view_fn)(const ys_srv_call *call, const ys_session *s, ys_err *err);
void ys_h_read_view(const ys_srv_call *call, ys_srv_resp *resp, ys_h_view_fn fn);

/* Parses the body against `fields`, adds the path's id as `id_key` (NULL: none), and leaves a command for
 * the writer in resp, to be answered with ok_status once committed (routes_write.c). */
void ys_h_submit(const ys_srv_call *call, ys_srv_resp *resp, const ys_srv_field *fields, const char *id_key,
                 ys_srv_cmd_fn run, int ok_status);
/* A command that takes only the path's id (open, close, announce …): its runner and its handler. */
#define YS_H_BY_ID(name, core_fn, ok_status)                                                                  \
    static ys_rc run_##name(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err) \
    {                                                                                                         \
        return core_fn(s, c, ys_h_arg_int(cmd, "id"), out, err);                                              \
    }                                                                                                         \
    void ys_h_##name(const ys_srv_call *call, ys_srv_resp *resp)                                              \
    {                                                                                                         \
        static const ys_srv_field none[] = {{NULL, 0, false}};                                                \
        ys_h_submit(call, resp, none, "id", run_##name, ok_status);                                           \
    }

const char *ys_h_arg_str(const ys_srv_cmd *cmd, const char *key);
int ys_h_arg_int(const ys_srv_cmd *cmd, const char *key);
bool ys_h_arg_bool(const ys_srv_cmd *cmd, const char *key);

#define YS__HANDLER(name) void ys_h_##name(const ys_srv_call *call, ys_srv_resp *resp);
#define YS_SRV_HANDLERS(X)                                                                                    \
    X(health) X(sessions) X(login) X(logout) X(me) X(session) X(rules) X(status) X(delegations) X(delegation) X(delegates) \
    X(delegate) X(posts) X(attendees) X(agenda) X(documents) X(document) X(document_add) X(blob) X(import)    \
    X(meetings) X(meeting_open) X(meeting) X(meeting_close) X(attendance) X(checkin) X(leave) X(absent)       \
    X(log) X(verify) X(stream) X(polls) X(poll) X(poll_create) X(poll_open) X(poll_close) X(poll_totals)       \
    X(poll_vote) X(elections) X(election) X(election_create) X(election_nominate) X(election_open)           \
    X(election_close) X(election_next) X(election_ballot) X(speakers) X(speech_request) X(speech_withdraw)     \
    X(speech_next) X(speech_end) X(poll_announce) X(election_announce) X(delegate_end)     \
    X(login_unlock) X(user_add) X(card) X(meeting_item) X(poll_votes) X(poll_voters) X(election_voters)       \
    X(receipt) X(cards_issue) X(cards) X(users) X(bulletin) X(hall) X(delegate_seat) X(setup_state) X(setup)   \
    X(keys) X(key) X(key_create) X(key_commit) X(key_shares) X(key_ready) X(key_complaint) X(election_codes)          \
    X(election_to_decrypt) X(election_decrypt) X(poll_codes) X(poll_to_decrypt) X(poll_decrypt) X(election_tally) \
    X(election_to_shuffle) X(election_shuffle) X(poll_tally)
YS_SRV_HANDLERS(YS__HANDLER)
/* A verifiable vote's public board, page by page (routes_board.c). */
YS__HANDLER(election_board) YS__HANDLER(poll_board) YS__HANDLER(election_shuffles)
/* Corrections of the record (routes_correct.c). */
YS__HANDLER(delegate_correct) YS__HANDLER(item_correct) YS__HANDLER(attendee_correct)
/* A meeting as held and the plenary report (routes_held.c). */
YS__HANDLER(meeting_held) YS__HANDLER(meeting_person) YS__HANDLER(meeting_takeup) YS__HANDLER(bulletin_issue)
YS__HANDLER(meeting_held_view) YS__HANDLER(report_plenary)
/* The reports and exports (routes_report.c). */
YS__HANDLER(report_results) YS__HANDLER(report_summary) YS__HANDLER(report_rollcall)
YS__HANDLER(export_popolo) YS__HANDLER(export_csv) YS__HANDLER(export_akn)
/* Motions, amendments, inquiries, recall and suggestions (routes_motion.c). */
YS__HANDLER(motions) YS__HANDLER(motion) YS__HANDLER(motion_draft) YS__HANDLER(motion_sign) YS__HANDLER(motion_submit)
YS__HANDLER(motion_withdraw) YS__HANDLER(motion_decide) YS__HANDLER(motion_answer) YS__HANDLER(motion_rate)
YS__HANDLER(motion_deadline)
/* Opinions on documents and explanations of versions (routes_opinion.c), and their report (routes_report.c). */
YS__HANDLER(opinions) YS__HANDLER(opinion_add) YS__HANDLER(document_explain) YS__HANDLER(report_opinions)
/* Answers document d (taken over; NULL: the failure `made` says) rendered in format f. */
void ys_h_send_rdoc(ys_srv_resp *resp, ys_rdoc *d, ys_rformat f, const ys_err *made);
/* Answers a report made as text (the bulletin, the plenary report; taken over), or NULL with `made` saying
 * why: as it is, or in HTML or PDF `doc` (taken over), the document of its paragraphs the caller made under
 * the read lock with ys_rdoc_from_text, so that the rendering (a PDF takes some hundreds of ms) holds no lock. */
void ys_h_send_text_report(ys_srv_resp *resp, char *text, ys_rdoc *doc, ys_rformat f, const ys_err *made);

#endif
