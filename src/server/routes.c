/* routes.c — the one route table (method, path, handler, the roles that may call it), which the router
 * and the role test both walk, and the handlers that read: the session, its lists, the log, the streams. */
#include "server/routes.h"

#include "yishi/alloc.h"
#include "yishi/number.h"
#include "yishi/reader.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>

const ys_srv_route ys_srv_routes[] = {
    {"GET", "/api/sessions", ys_h_sessions, YS_R_ANYONE, "the sessions this service serves, each with where its pages are"},
    {"GET", "/api/health", ys_h_health, YS_R_ANYONE, 
     "whether the server runs and can write: version, the log's head, the store and its disk, streams, connections"},
    {"POST", "/api/login", ys_h_login, YS_R_ANYONE, "log in: staff name and password, or card code and PIN"},
    {"POST", "/api/logout", ys_h_logout, YS_R_LOGGED_IN, "end this login"},
    {"GET", "/api/me", ys_h_me, YS_R_LOGGED_IN, "who is logged in"},
    {"POST", "/api/logins/unlock", ys_h_login_unlock, YS_R_SECRETARIAT,
     "empty the failed-login bucket of a staff name, a delegate's card or an address"},
    {"POST", "/api/users", ys_h_user_add, YS_R_SECRETARIAT, "add a staff account (secretariat, chair, delegation secretary)"},
    {"GET", "/api/session", ys_h_session, YS_R_ANYONE, "the session: title, rule set, counts, the log's head"},
    {"GET", "/api/rules", ys_h_rules, YS_R_ANYONE, "the rule set in force, with its text"},
    {"GET", "/api/status", ys_h_status, YS_R_ANYONE, "the current meeting's attendance and quorum"},
    {"GET", "/api/delegations", ys_h_delegations, YS_R_ANYONE, "the delegations"},
    {"GET", "/api/delegations/{id}", ys_h_delegation, YS_R_ANYONE, "one delegation and its delegates"},
    {"GET", "/api/delegates", ys_h_delegates, YS_R_ANYONE, "the delegates with their seats (?delegation=ID)"},
    {"GET", "/api/delegates/{id}", ys_h_delegate, YS_R_ANYONE, "one delegate"},
    {"POST", "/api/delegates/{id}/end", ys_h_delegate_end, YS_R_SECRETARIAT,
     "end a delegate's mandate (代表资格终止), with its reason"},
    {"POST", "/api/delegates/{id}/card", ys_h_card, YS_R_SECRETARIAT,
     "issue a delegate's login card, or replace it (reissue, logged): the code, its QR payload and SVG"},
    {"GET", "/api/posts", ys_h_posts, YS_R_ANYONE, "posts in protocol order"},
    {"GET", "/api/attendees", ys_h_attendees, YS_R_ANYONE, "non-voting attendees and observers"},
    {"GET", "/api/agenda", ys_h_agenda, YS_R_ANYONE, "the agenda"},
    {"GET", "/api/documents", ys_h_documents, YS_R_ANYONE, "the documents"},
    {"GET", "/api/documents/{id}", ys_h_document, YS_R_ANYONE, "one document and its versions"},
    {"POST", "/api/documents", ys_h_document_add, YS_R_SECRETARIAT, "add a version of a document"},
    {"GET", "/api/blobs/{hash}", ys_h_blob, YS_R_ANYONE, "a document version's content, by its hash"},
    {"POST", "/api/import/{name}", ys_h_import, YS_R_SECRETARIAT, "import posts, delegates, attendees, agenda or the hall's layout (CSV)"},
    {"GET", "/api/meetings", ys_h_meetings, YS_R_ANYONE, "the meetings"},
    {"POST", "/api/meetings", ys_h_meeting_open, YS_R_STAFF, "open a meeting"},
    {"GET", "/api/meetings/{id}", ys_h_meeting, YS_R_ANYONE, "one meeting with its attendance"},
    {"POST", "/api/meetings/{id}/close", ys_h_meeting_close, YS_R_STAFF,
     "close a meeting"},
    {"POST", "/api/meetings/{id}/item", ys_h_meeting_item, YS_R_STAFF, "move a meeting to an agenda item"},
    {"GET", "/api/meetings/{id}/attendance", ys_h_attendance, YS_R_ANYONE, "each delegate's presence"},
    {"POST", "/api/meetings/{id}/checkin", ys_h_checkin, YS_R_SECRETARIAT | YS_R_DSEC | YS_R_DELEGATE,
     "check delegates in (a delegate: only themself)"},
    {"POST", "/api/meetings/{id}/leave", ys_h_leave, YS_R_SECRETARIAT | YS_R_DSEC, "record leave (请假)"},
    {"POST", "/api/meetings/{id}/absent", ys_h_absent, YS_R_SECRETARIAT | YS_R_DSEC, "record as absent"},
    {"GET", "/api/meetings/{id}/speakers", ys_h_speakers, YS_R_ANYONE,
     "the speakers list, in order (what each said: staff only)"},
    {"POST", "/api/meetings/{id}/speakers", ys_h_speech_request, YS_R_STAFF | YS_R_DELEGATE,
     "ask for the floor (a delegate: only for themself)"},
    {"POST", "/api/meetings/{id}/speakers/withdraw", ys_h_speech_withdraw, YS_R_STAFF | YS_R_DELEGATE,
     "give up a request for the floor"},
    {"POST", "/api/meetings/{id}/speakers/next", ys_h_speech_next, YS_R_STAFF,
     "give the floor to the first waiting, or to a named delegate"},
    {"POST", "/api/meetings/{id}/speakers/end", ys_h_speech_end, YS_R_STAFF,
     "end the speech under way, with what was said"},
    {"GET", "/api/log", ys_h_log, YS_R_STAFF, "the log, a page at a time"},
    {"GET", "/api/verify", ys_h_verify, YS_R_SECRETARIAT | YS_R_CHAIR, "recompute the chain and replay the log"},
    {"GET", "/api/stream/public", ys_h_stream, YS_R_ANYONE, "live events for the board (SSE)"},
    {"GET", "/api/stream", ys_h_stream, YS_R_LOGGED_IN, "live events for a logged-in client (SSE)"},
    {"GET", "/api/polls", ys_h_polls, YS_R_ANYONE, "votes on questions (表决); totals only once closed"},
    {"POST", "/api/polls", ys_h_poll_create, YS_R_SECRETARIAT | YS_R_CHAIR, "create a poll"},
    {"GET", "/api/polls/{id}", ys_h_poll, YS_R_ANYONE, "one poll; turnout while open, the result once closed"},
    {"GET", "/api/polls/{id}/votes", ys_h_poll_votes, YS_R_ANYONE, "a named poll's votes, who and how, once closed"},
    {"POST", "/api/polls/{id}/open", ys_h_poll_open, YS_R_CHAIR, "open a poll (quorate plenary)"},
    {"POST", "/api/polls/{id}/close", ys_h_poll_close, YS_R_CHAIR, "close and count a poll"},
    {"POST", "/api/polls/{id}/announce", ys_h_poll_announce, YS_R_CHAIR, "announce the result (logged)"},
    {"POST", "/api/polls/{id}/totals", ys_h_poll_totals, YS_R_SECRETARIAT, "tellers' totals (hands, paper)"},
    {"POST", "/api/polls/{id}/votes", ys_h_poll_vote, YS_R_DELEGATE, "cast one's own vote: a receipt {seq, hash}"},
    {"GET", "/api/elections", ys_h_elections, YS_R_ANYONE, "elections (选举)"},
    {"POST", "/api/elections", ys_h_election_create, YS_R_SECRETARIAT | YS_R_CHAIR, "create an election"},
    {"GET", "/api/elections/{id}", ys_h_election, YS_R_ANYONE, "one election; the result once closed"},
    {"POST", "/api/elections/{id}/nominations", ys_h_election_nominate, YS_R_SECRETARIAT | YS_R_CHAIR,
     "nominate a candidate (presidium, or co-signing delegates)"},
    {"POST", "/api/elections/{id}/open", ys_h_election_open, YS_R_CHAIR, "open the ballot"},
    {"POST", "/api/elections/{id}/close", ys_h_election_close, YS_R_CHAIR, "close and count"},
    {"POST", "/api/elections/{id}/announce", ys_h_election_announce, YS_R_CHAIR, "announce the result (logged)"},
    {"POST", "/api/elections/{id}/next-round", ys_h_election_next, YS_R_CHAIR, "a further round or a runoff"},
    {"POST", "/api/elections/{id}/ballots", ys_h_election_ballot, YS_R_DELEGATE,
     "cast one's own secret ballot (marks, or encrypted for a verifiable election): a receipt {seq, hash}"},
    {"GET", "/api/elections/{id}/codes", ys_h_election_codes, YS_R_ANYONE,
     "a verifiable election's board: the confirmation code of every ballot cast, in order"},
    {"GET", "/api/elections/{id}/decrypt", ys_h_election_to_decrypt, YS_R_ANYONE,
     "what the trustees decrypt after the close: the aggregates and the context Q"},
    {"POST", "/api/elections/{id}/decrypt", ys_h_election_decrypt, YS_R_TRUSTEE,
     "a trustee's partial decryptions of the aggregates; the k-th brings the count"},
    {"GET", "/api/polls/{id}/codes", ys_h_poll_codes, YS_R_ANYONE,
     "a verifiable poll's board: the confirmation code of every ballot cast, in order"},
    {"GET", "/api/polls/{id}/decrypt", ys_h_poll_to_decrypt, YS_R_ANYONE,
     "what the trustees decrypt after a verifiable poll's close: its aggregate and the context Q"},
    {"POST", "/api/polls/{id}/decrypt", ys_h_poll_decrypt, YS_R_TRUSTEE,
     "a trustee's partial decryption of a verifiable poll; the k-th brings the totals"},
    {"GET", "/api/elections/{id}/tally", ys_h_election_tally, YS_R_ANYONE,
     "a closed verifiable election's aggregates and every partial decryption, to check the count by"},
    {"GET", "/api/elections/{id}/shuffle", ys_h_election_to_shuffle, YS_R_TRUSTEE,
     "what a trustee shuffles next when names were written in: m, the input tuples, K and Q"},
    {"POST", "/api/elections/{id}/shuffles", ys_h_election_shuffle, YS_R_TRUSTEE,
     "a trustee's shuffle of the write-in tuples, its proof checked before it is queued"},
    {"GET", "/api/polls/{id}/voters", ys_h_poll_voters, YS_R_SECRETARIAT | YS_R_CHAIR,
     "who has voted (named polls) or how many (anonymous), never a choice"},
    {"GET", "/api/elections/{id}/voters", ys_h_election_voters, YS_R_SECRETARIAT | YS_R_CHAIR,
     "how many have handed in a ballot (secret: never who)"},
    {"GET", "/api/receipts/{seq}", ys_h_receipt, YS_R_SECRETARIAT | YS_R_DELEGATE,
     "a receipt checked: its event, bound by the hash chain to the head (?hash=HEX)"},
    {"POST", "/api/cards", ys_h_cards_issue, YS_R_SECRETARIAT,
     "issue cards to the delegates (of a delegation, named, or all) who have none, for printing"},
    {"GET", "/api/cards", ys_h_cards, YS_R_SECRETARIAT, "which delegates hold a card and whether its PIN is set"},
    {"GET", "/api/users", ys_h_users, YS_R_SECRETARIAT, "the staff accounts"},
    {"GET", "/api/reports/bulletin", ys_h_bulletin, YS_R_STAFF, "a meeting's bulletin (简报), as text"},
    {"GET", "/api/hall", ys_h_hall, YS_R_ANYONE,
     "the hall's layout for the seat map: tiers, blocks, rows, each seat's delegate; what is not placed"},
    {"POST", "/api/delegates/{id}/seat", ys_h_delegate_seat, YS_R_SECRETARIAT,
     "move a delegate to a seat, swap two, or unseat one (seat null)"},
    {"GET", "/api/setup", ys_h_setup_state, YS_R_ANYONE, "whether the session waits to be set up, and its rule sets"},
    {"POST", "/api/setup", ys_h_setup, YS_R_ANYONE,
     "create the session (yishi serve --setup): the setup code, rule set, names, first secretariat account"},
    {"GET", "/api/keys", ys_h_keys, YS_R_ANYONE, "the keys of verifiable ballots and their ceremonies"},
    {"GET", "/api/keys/{id}", ys_h_key, YS_R_ANYONE,
     "one key: its trustees' progress and every message they posted, the joint key once known"},
    {"POST", "/api/keys", ys_h_key_create, YS_R_SECRETARIAT,
     "start a key ceremony: the trustees' logins (accounts of the role trustee) and the threshold"},
    {"POST", "/api/keys/{id}/commit", ys_h_key_commit, YS_R_TRUSTEE,
     "a trustee's commitments, their proofs and its box key (docs/verifiable.md §3)"},
    {"POST", "/api/keys/{id}/shares", ys_h_key_shares, YS_R_TRUSTEE, "a trustee's sealed shares for the others"},
    {"POST", "/api/keys/{id}/ready", ys_h_key_ready, YS_R_TRUSTEE,
     "a trustee's public share and its proof, checked against every commitment"},
    {"POST", "/api/keys/{id}/complaint", ys_h_key_complaint, YS_R_TRUSTEE,
     "a trustee found a share sent to it wrong: the ceremony fails"},
    {"GET", "/api/polls/{id}/tally", ys_h_poll_tally, YS_R_ANYONE,
     "a closed verifiable poll's aggregate and every partial decryption, to check the count by"},
    {"GET", "/api/elections/{id}/board", ys_h_election_board, YS_R_ANYONE,
     "a verifiable election's board, a page at a time: its context and every cast ballot as logged, in order"},
    {"GET", "/api/polls/{id}/board", ys_h_poll_board, YS_R_ANYONE,
     "a verifiable poll's board, a page at a time: its context and every cast ballot as logged, in order"},
    {"GET", "/api/elections/{id}/shuffles", ys_h_election_shuffles, YS_R_ANYONE,
     "the write-ins' shuffles of a closed verifiable election: the list, or ?m=M one as logged with its proof"},
    {"POST", "/api/delegates/{id}/correct", ys_h_delegate_correct, YS_R_SECRETARIAT,
     "correct a delegate's name, gender, ethnicity, delegation or post, with its reason (logged with what it replaces)"},
    {"POST", "/api/agenda/{id}/correct", ys_h_item_correct, YS_R_SECRETARIAT,
     "correct an agenda item's title, kind, presenter or document, with its reason"},
    {"POST", "/api/attendees/{id}/correct", ys_h_attendee_correct, YS_R_SECRETARIAT,
     "correct an attendee's name, kind, post or affiliation, with its reason"},
    /* a meeting as held (routes_held.c) */
    {"GET", "/api/meetings/{id}/held", ys_h_meeting_held_view, YS_R_ANYONE,
     "a meeting as held: its date and half-day, who presided, led, joined, attended, sat on the rostrum; items taken up"},
    {"POST", "/api/meetings/{id}/held", ys_h_meeting_held, YS_R_STAFF, "the date and half-day a meeting was held"},
    {"POST", "/api/meetings/{id}/people", ys_h_meeting_person, YS_R_STAFF,
     "record (or remove) a delegate or attendee presiding, leading, joining, attending or on the rostrum"},
    {"POST", "/api/meetings/{id}/takeups", ys_h_meeting_takeup, YS_R_STAFF,
     "an agenda item the meeting took up: how, the document and version, who presented it"},
    {"POST", "/api/meetings/{id}/bulletin", ys_h_bulletin_issue, YS_R_STAFF, "number the meeting's bulletin (第N期)"},
    {"GET", "/api/reports/plenary", ys_h_report_plenary, YS_R_STAFF, "a plenary's report, as text (?meeting=N)"},
    /* the reports and exports (routes_report.c): public, as what they are made of is; a roll call only of named polls */
    {"GET", "/api/reports/results", ys_h_report_results, YS_R_ANYONE,
     "the results of the votes and elections as announced (?poll=ID, ?election=ID; ?format=text|html|pdf)"},
    {"GET", "/api/reports/summary", ys_h_report_summary, YS_R_ANYONE,
     "the session summary: meetings and attendance, every result (?format=text|html|pdf)"},
    {"GET", "/api/reports/rollcall", ys_h_report_rollcall, YS_R_ANYONE,
     "the roll call of named polls: who voted how (?poll=ID; ?format=text|html|pdf)"},
    {"GET", "/api/exports/popolo", ys_h_export_popolo, YS_R_ANYONE, "the session as Popolo / Open Civic Data JSON"},
    {"GET", "/api/exports/csv", ys_h_export_csv, YS_R_ANYONE, "one list as CSV (?list=NAME)"},
    {"GET", "/api/exports/akn", ys_h_export_akn, YS_R_ANYONE, "a meeting's record as an Akoma Ntoso debate (?meeting=ID)"},
    /* motions, amendments, inquiries, recall and suggestions (routes_motion.c) */
    {"GET", "/api/motions", ys_h_motions, YS_R_ANYONE, "the motions, one line each (?kind=K), and the deadlines set"},
    {"GET", "/api/motions/{id}", ys_h_motion, YS_R_ANYONE, "one motion whole: its text, who signed, the decision, the answer"},
    {"POST", "/api/motions", ys_h_motion_draft, YS_R_SECRETARIAT | YS_R_DELEGATE,
     "draft a motion, amendment, inquiry, recall or suggestion (a delegate: as its lead)"},
    {"POST", "/api/motions/{id}/signatures", ys_h_motion_sign, YS_R_SECRETARIAT | YS_R_DELEGATE,
     "co-sign a draft (a delegate: themself; the secretariat: a signature from paper)"},
    {"POST", "/api/motions/{id}/submit", ys_h_motion_submit, YS_R_SECRETARIAT | YS_R_DELEGATE,
     "submit a draft that has the rule set's signatures (a delegate: their own draft)"},
    {"POST", "/api/motions/{id}/withdraw", ys_h_motion_withdraw, YS_R_SECRETARIAT | YS_R_CHAIR | YS_R_DELEGATE,
     "withdraw a motion (on the agenda: with the presidium's consent, from staff)"},
    {"POST", "/api/motions/{id}/decide", ys_h_motion_decide, YS_R_SECRETARIAT | YS_R_CHAIR,
     "the presidium's decision on a submitted motion"},
    {"POST", "/api/motions/{id}/answer", ys_h_motion_answer, YS_R_SECRETARIAT,
     "the answer of the body it went to, or a recalled person's response"},
    {"POST", "/api/motions/{id}/rating", ys_h_motion_rate, YS_R_SECRETARIAT | YS_R_DELEGATE,
     "the lead delegate's satisfaction with the answer"},
    /* opinions on documents (routes_opinion.c) */
    {"GET", "/api/documents/{id}/opinions", ys_h_opinions, YS_R_STAFF,
     "the opinions on a document, each with its section, delegation and delegate, and the versions' explanations"},
    {"POST", "/api/documents/{id}/opinions", ys_h_opinion_add, YS_R_SECRETARIAT | YS_R_DSEC,
     "record an opinion on a document (a delegation secretary: their delegation's)"},
    {"POST", "/api/documents/{id}/explanations", ys_h_document_explain, YS_R_SECRETARIAT,
     "a version's explanation of changes (修改说明) and the opinions it took up"},
    {"GET", "/api/reports/opinions", ys_h_report_opinions, YS_R_STAFF,
     "the opinions on a document gathered by section for its drafting team (?document=ID; ?format=text|html|pdf)"},
    {"POST", "/api/motion-deadlines", ys_h_motion_deadline, YS_R_SECRETARIAT | YS_R_CHAIR,
     "the presidium's deadline for a kind of motion (an event's time in UTC; \"\" lifts it)"},
};
const size_t ys_srv_n_routes = sizeof ys_srv_routes / sizeof ys_srv_routes[0];

int ys_h_param_id(const ys_srv_call *call, int i)
{
    return call->params[i] ? atoi(call->params[i]) : 0;
}

void ys_h_read_view(const ys_srv_call *call, ys_srv_resp *resp, ys_h_view_fn fn)
{
    ys_err err = {.rc = YS_NOT_FOUND};
    const ys_session *s = ys_srv_read_begin(call->srv);
    json_t *o = fn(call, s, &err);
    ys_srv_read_end(call->srv);
    if (o)
        ys_srv_json(resp, 200, o);
    else
        ys_srv_error(resp, err.rc, &err);
}

/* The session file's side of health: how the last write ended, the room left on its disk and what the file
 * (and its WAL) take, so that monitoring can warn before a disk fills during a sitting. */
static ys_rc any_event(const ys_event *ev, void *ud, ys_err *err)
{
    (void)ev, (void)ud, (void)err;
    return YS_OK;
}

/* A session in PostgreSQL: no file to measure, but whether the database answers (a read of the log past its
 * head, on one of the read connections) and the session's id in it. The URI is not shown: it may name a
 * user or a host. */
static json_t *pg_health(const ys_srv *srv, int64_t seq, bool *writable)
{
    ys_rc last = (ys_rc)atomic_load(&srv->store_rc);
    ys_err err = {0};
    bool reachable = srv->reader && ys_reader_scan(srv->reader, seq, any_event, NULL, &err) == YS_OK;
    *writable = !last && reachable;
    json_t *o = json_pack("{s:s, s:s, s:b, s:I, s:b}", "backend", "postgresql", "last_write", ys_rc_code(last),
                          "writable", *writable, "session", (json_int_t)ys_store_session(srv->journal->store),
                          "reachable", reachable);
    if (o && !reachable)
        json_object_set_new(o, "error", json_string(err.msg[0] ? err.msg : "no read connection"));
    return o;
}

static json_t *store_health(const ys_srv *srv, int64_t seq, bool *writable)
{
    if (ys_store_is_postgresql(srv->cfg.file))
        return pg_health(srv, seq, writable);
    struct statvfs fs;
    struct stat st;
    char dir[PATH_MAX], wal[PATH_MAX];
    const char *file = srv->cfg.file, *slash = file ? strrchr(file, '/') : NULL;
    ys_rc last = (ys_rc)atomic_load(&srv->store_rc);
    json_t *o = json_pack("{s:s, s:s}", "backend", "sqlite", "last_write", ys_rc_code(last));
    snprintf(dir, sizeof dir, "%.*s", slash ? (slash == file ? 1 : (int)(slash - file)) : 1, slash ? file : ".");
    long long room = statvfs(dir, &fs) == 0 ? (long long)fs.f_bavail * (long long)fs.f_frsize : -1;
    long long size = stat(file, &st) == 0 ? (long long)st.st_size : -1;
    snprintf(wal, sizeof wal, "%s-wal", file);
    long long wal_size = stat(wal, &st) == 0 ? (long long)st.st_size : 0;
    *writable = !last && room != 0;
    json_object_set_new(o, "writable", json_boolean(*writable));
    json_object_set_new(o, "disk_free", room >= 0 ? json_integer(room) : json_null());
    json_object_set_new(o, "file_size", size >= 0 ? json_integer(size) : json_null());
    json_object_set_new(o, "wal_size", json_integer(wal_size));
    return o;
}

void ys_h_sessions(const ys_srv_call *call, ys_srv_resp *resp) { ys_srv_json(resp, 200, ys_srv_sessions_json(call->srv)); }

void ys_h_health(const ys_srv_call *call, ys_srv_resp *resp)
{
    ys_srv *srv = call->srv, *front = srv->front ? srv->front : srv; /* the connections are the front's */
    const ys_session *s = ys_srv_read_begin(srv);
    char head[YS_HASH_HEX];
    ys_hash_hex(s->head, head);
    json_t *o = json_pack("{s:b, s:s, s:I, s:s, s:I, s:I, s:I, s:I}", "ok", 1, "version", YS_VERSION, "seq",
                          (json_int_t)s->seq, "head", head, "streams",
                          (json_int_t)(srv->hub ? ys_sse_clients(srv->hub) : 0), "connections",
                          (json_int_t)atomic_load(&front->connections), "requests",
                          (json_int_t)atomic_load(&front->in_flight), "queued",
                          (json_int_t)(srv->writer ? ys_srv_writer_pending(srv) : 0));
    int64_t seq = s->seq;
    ys_srv_read_end(srv);
    if (srv->cfg.file && srv->journal) {
        bool writable;
        json_object_set_new(o, "store", store_health(srv, seq, &writable));
        json_object_set_new(o, "ok", json_boolean(writable));
    }
    long long until = atomic_load(&front->tls_not_after);
    if (until) { /* so that monitoring can warn before the certificate a hall's tablets trust expires */
        char when[32];
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&(time_t){(time_t)until}));
        json_object_set_new(o, "tls", json_pack("{s:s, s:I}", "not_after", when, "seconds_left",
                                                (json_int_t)(until - (long long)time(NULL))));
    }
    ys_srv_json(resp, 200, o);
}

static json_t *v_session(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    (void)call;
    if (!ys_session_initialized(s)) {
        ys_fail(err, YS_STATE, NULL, "the session file has not been initialised");
        return NULL;
    }
    return ys_view_session(s);
}
void ys_h_session(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, v_session); }

static json_t *v_rules(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    (void)call;
    if (!s->rules) {
        ys_fail(err, YS_STATE, NULL, "the session has no rule set yet");
        return NULL;
    }
    return ys_view_rules(s->rules);
}
void ys_h_rules(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, v_rules); }

static json_t *v_status(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    (void)call;
    (void)err;
    const ys_meeting *m = ys_current_meeting(s);
    json_t *o = json_pack("{s:o}", "meeting", m ? ys_view_meeting(s, m) : json_null());
    if (o && m) {
        ys_attendance a = ys_meeting_attendance(s, m);
        json_object_update_new(o, ys_view_attendance(&a));
    }
    return o;
}
void ys_h_status(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, v_status); }

static json_t *v_delegations(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    (void)call;
    (void)err;
    json_t *a = json_array();
    for (size_t i = 0; i < s->n_delegations; i++)
        json_array_append_new(a, ys_view_delegation(s, &s->delegations[i]));
    return json_pack("{s:o}", "delegations", a);
}
void ys_h_delegations(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, v_delegations); }

static json_t *delegates_of(const ys_session *s, int delegation)
{
    json_t *a = json_array();
    for (size_t i = 0; i < s->n_delegates; i++)
        if (!delegation || s->delegates[i].delegation == delegation)
            json_array_append_new(a, ys_view_delegate(s, &s->delegates[i]));
    return a;
}

static json_t *v_delegation(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    int id = ys_h_param_id(call, 0);
    if (id < 1 || (size_t)id > s->n_delegations) {
        ys_fail(err, YS_NOT_FOUND, "id", "no delegation %d", id);
        return NULL;
    }
    json_t *o = ys_view_delegation(s, &s->delegations[id - 1]);
    json_object_set_new(o, "delegates", delegates_of(s, id));
    return o;
}
void ys_h_delegation(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, v_delegation); }

static json_t *v_delegates(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    const char *d = ys_srv_arg(call->req, "delegation");
    long long id = 0;
    if (d && ys_int_text(d, "delegation", 1, YS_ID_MAX, YS_INVALID, &id, err))
        return NULL;
    if (d && (size_t)id > s->n_delegations) {
        ys_fail(err, YS_NOT_FOUND, "delegation", "no delegation %lld", id);
        return NULL;
    }
    return json_pack("{s:o}", "delegates", delegates_of(s, (int)id));
}
void ys_h_delegates(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, v_delegates); }

static json_t *v_delegate(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    int id = ys_h_param_id(call, 0);
    if (id < 1 || (size_t)id > s->n_delegates) {
        ys_fail(err, YS_NOT_FOUND, "id", "no delegate %d", id);
        return NULL;
    }
    return ys_view_delegate(s, &s->delegates[id - 1]);
}
void ys_h_delegate(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, v_delegate); }

static json_t *v_posts(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    (void)call;
    (void)err;
    json_t *a = json_array();
    for (size_t i = 0; i < s->n_posts; i++)
        json_array_append_new(a, json_pack("{s:i, s:i, s:s}", "id", s->posts[i].id, "rank", s->posts[i].rank, "title",
                                           s->posts[i].title));
    return json_pack("{s:o}", "posts", a);
}
void ys_h_posts(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, v_posts); }

static json_t *v_attendees(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    (void)call;
    (void)err;
    json_t *a = json_array();
    for (size_t i = 0; i < s->n_attendees; i++) {
        const ys_attendee *at = &s->attendees[i];
        json_array_append_new(a, json_pack("{s:i, s:s, s:s, s:o, s:o}", "id", at->id, "name", at->name, "kind",
                                           at->kind == YS_OBSERVER ? "observer" : "attendee", "post",
                                           at->post ? json_string(s->posts[at->post - 1].title) : json_null(),
                                           "affiliation", at->affiliation ? json_string(at->affiliation) : json_null()));
    }
    return json_pack("{s:o}", "attendees", a);
}
void ys_h_attendees(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, v_attendees); }

static json_t *v_agenda(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    (void)call;
    (void)err;
    json_t *a = json_array();
    for (size_t i = 0; i < s->n_items; i++)
        json_array_append_new(a, ys_view_item(&s->items[i]));
    return json_pack("{s:o}", "agenda", a);
}
void ys_h_agenda(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, v_agenda); }

static json_t *v_documents(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    (void)call;
    (void)err;
    json_t *a = json_array();
    for (size_t i = 0; i < s->n_documents; i++)
        json_array_append_new(a, ys_view_document(&s->documents[i], false));
    return json_pack("{s:o}", "documents", a);
}
void ys_h_documents(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, v_documents); }

static json_t *v_document(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    int id = ys_h_param_id(call, 0);
    if (id < 1 || (size_t)id > s->n_documents) {
        ys_fail(err, YS_NOT_FOUND, "id", "no document %d", id);
        return NULL;
    }
    return ys_view_document(&s->documents[id - 1], true);
}
void ys_h_document(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, v_document); }

void ys_h_blob(const ys_srv_call *call, ys_srv_resp *resp)
{
    ys_err err = {0};
    char *data = NULL;
    size_t len = 0;
    if (!call->srv->reader) {
        ys_srv_errorf(resp, YS_NOT_FOUND, "hash", "no stored content in memory mode");
        return;
    }
    ys_rc rc = ys_reader_blob(call->srv->reader, call->params[0], &data, &len, &err);
    if (rc) {
        ys_srv_error(resp, rc, &err);
        return;
    }
    resp->status = 200;
    resp->raw = data;
    resp->raw_len = len;
    resp->content_type = "text/plain; charset=utf-8";
}

static json_t *v_meetings(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    (void)call;
    (void)err;
    json_t *a = json_array();
    for (size_t i = 0; i < s->n_meetings; i++)
        json_array_append_new(a, ys_view_meeting(s, &s->meetings[i]));
    return json_pack("{s:o}", "meetings", a);
}
void ys_h_meetings(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, v_meetings); }

static json_t *v_meeting(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    const ys_meeting *m = ys_meeting_get(s, ys_h_param_id(call, 0));
    if (!m) {
        ys_fail(err, YS_NOT_FOUND, "id", "no meeting %d", ys_h_param_id(call, 0));
        return NULL;
    }
    return ys_view_meeting(s, m);
}
void ys_h_meeting(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, v_meeting); }

static json_t *v_attendance(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    static const char *words[] = {"absent", "present", "on_leave"};
    const ys_meeting *m = ys_meeting_get(s, ys_h_param_id(call, 0));
    if (!m) {
        ys_fail(err, YS_NOT_FOUND, "id", "no meeting %d", ys_h_param_id(call, 0));
        return NULL;
    }
    json_t *a = json_array();
    ys_viewer v = ys_srv_viewer(s, call->who);
    for (size_t i = 0; i < s->n_delegates; i++) {
        const ys_delegate *d = &s->delegates[i];
        if (!d->entitled || (m->delegation && d->delegation != m->delegation))
            continue;
        ys_presence p = ys_meeting_presence(m, d->id);
        const char *reason = ys_meeting_leave_reason(m, d->id);
        json_t *o = json_pack("{s:s, s:s, s:o, s:s}", "code", d->code, "name", d->name, "seat",
                              d->seat ? json_string(d->seat) : json_null(), "presence", words[p <= YS_ON_LEAVE ? p : 0]);
        if (o && reason && ys_srv_may_see(&v, YS_SECRET_LEAVE_REASON, d->delegation))
            json_object_set_new(o, "reason", json_string(reason));
        json_array_append_new(a, o);
    }
    ys_attendance at = ys_meeting_attendance(s, m);
    return json_pack("{s:i, s:o, s:o}", "meeting", m->id, "summary", ys_view_attendance(&at), "delegates", a);
}
void ys_h_attendance(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, v_attendance); }

/* ---- the log ---- */

typedef struct log_page {
    ys_srv *srv;
    ys_viewer viewer;
    json_t *events;
    long limit;
    const char *type;
    int64_t next;
} log_page;

static ys_rc page_event(const ys_event *ev, void *ud, ys_err *err)
{
    log_page *p = ud;
    char hash[YS_HASH_HEX], prev[YS_HASH_HEX];
    (void)err;
    if ((long)json_array_size(p->events) >= p->limit) {
        p->next = ev->seq - 1;
        return YS_CONFLICT; /* stops the scan: the page is full */
    }
    if (p->type && strncmp(ev->type, p->type, strlen(p->type)) != 0)
        return YS_OK;
    ys_hash_hex(ev->hash, hash);
    ys_hash_hex(ev->prev_hash, prev);
    const ys_session *s = ys_srv_read_begin(p->srv);
    int owner = ys_srv_event_owner(s, ev);
    ys_srv_read_end(p->srv);
    /* The hash is over the whole payload: a field this login may not see is left out, and its hash still
     * holds for `yishi verify` on the file. */
    json_t *payload = ys_srv_event_redact(ev, json_deep_copy(ev->payload), &p->viewer, owner);
    json_array_append_new(p->events, json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:s}", "seq", (json_int_t)ev->seq,
                                               "time", ev->time, "actor", ev->actor, "type", ev->type, "payload",
                                               payload, "prev_hash", prev, "hash", hash));
    return YS_OK;
}

/* A query's whole number (absent: *out unchanged), or false with resp filled. */
static bool query_int(ys_srv_resp *resp, const char *key, const char *text, long long min, long long max,
                      long long *out)
{
    ys_err err = {0};
    if (text && ys_int_text(text, key, min, max, YS_INVALID, out, &err)) {
        ys_srv_error(resp, YS_INVALID, &err);
        return false;
    }
    return true;
}

void ys_h_log(const ys_srv_call *call, ys_srv_resp *resp)
{
    long long after = 0, limit = 100;
    ys_err err = {0};
    if (!query_int(resp, "after", ys_srv_arg(call->req, "after"), 0, YS_SEQ_MAX, &after) ||
        !query_int(resp, "limit", ys_srv_arg(call->req, "limit"), 1, 1000, &limit))
        return;
    if (!call->srv->reader) {
        ys_srv_json(resp, 200, json_pack("{s:[], s:n}", "events", "next"));
        return;
    }
    log_page p = {call->srv, {0}, json_array(), (long)limit, ys_srv_arg(call->req, "type"), 0};
    p.viewer = ys_srv_viewer(ys_srv_read_begin(call->srv), call->who);
    ys_srv_read_end(call->srv);
    ys_rc rc = ys_reader_scan(call->srv->reader, after, page_event, &p, &err);
    if (rc && rc != YS_CONFLICT) {
        json_decref(p.events);
        ys_srv_error(resp, rc, &err);
        return;
    }
    ys_srv_json(resp, 200, json_pack("{s:o, s:o}", "events", p.events, "next",
                                     p.next ? json_integer(p.next) : json_null()));
}

void ys_h_verify(const ys_srv_call *call, ys_srv_resp *resp)
{
    ys_verify_report rep;
    ys_err err = {0};
    char digest[YS_HASH_HEX];
    if (!call->srv->cfg.file) {
        ys_srv_errorf(resp, YS_STATE, NULL, "nothing to verify in memory mode");
        return;
    }
    ys_rc rc = ys_journal_verify(call->srv->cfg.file, &rep, &err);
    if (rc) {
        ys_srv_error(resp, rc, &err);
        return;
    }
    ys_hash_hex(rep.digest, digest);
    json_t *o = json_pack("{s:b, s:I, s:I, s:I, s:I, s:I}", "ok", rep.ok, "events", (json_int_t)rep.events,
                          "checkpoints", (json_int_t)rep.checkpoints, "verifiable_ballots", (json_int_t)rep.v_ballots,
                          "decryptions", (json_int_t)rep.v_decryptions, "shuffles", (json_int_t)rep.v_shuffles);
    if (rep.ok)
        json_object_set_new(o, "state_digest", json_string(digest));
    else
        json_object_update_new(o, json_pack("{s:I, s:s}", "bad_event", (json_int_t)rep.bad_seq, "reason", rep.reason));
    ys_srv_json(resp, 200, o);
}

/* ---- live streams ---- */

void ys_h_stream(const ys_srv_call *call, ys_srv_resp *resp)
{
    const char *from = call->req->last_event_id ? call->req->last_event_id : ys_srv_arg(call->req, "after");
    long long after = -1;
    if (!query_int(resp, call->req->last_event_id ? "Last-Event-ID" : "after", from, 0, YS_SEQ_MAX, &after))
        return;
    const ys_principal observer = {.role = YS_AUTH_OBSERVER};
    const ys_session *s = ys_srv_read_begin(call->srv);
    /* The board's stream is the public's whoever opens it; /api/stream is the login's own. */
    resp->audience = ys_srv_viewer(s, strcmp(call->req->path, "/api/stream") == 0 ? call->who : &observer);
    ys_srv_read_end(call->srv);
    resp->status = 200;
    resp->stream = true;
    resp->stream_after = after;
}
