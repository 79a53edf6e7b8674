/* server.h — the parts of the session server and what they share: a request as the router sees it,
 * its response, commands queued to the one writer, the SSE hub. Internal to src/server. */
#ifndef YS_SERVER_SERVER_H
#define YS_SERVER_SERVER_H

#include "yishi/auth.h"
#include "yishi/command.h"
#include "yishi/journal.h"
#include "yishi/reader.h"
#include "yishi/server.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

typedef struct ys_srv ys_srv;
typedef struct ys_srv_writer ys_srv_writer;
typedef struct ys_srv_checkers ys_srv_checkers;
typedef struct ys_sse_hub ys_sse_hub;
typedef struct ys_srv_throttle ys_srv_throttle;
typedef struct ys_nchan ys_nchan;

/* ---- requests and responses ---- */

#define YS_SRV_MAX_ARGS 8
#define YS_SRV_MAX_PARAMS 4

/* A request, whatever brought it (libmicrohttpd, or the fuzzer). Strings are borrowed; any may be NULL. */
typedef struct ys_srv_req {
    const char *method;          /* "GET", "POST" … */
    const char *path;            /* "/api/meetings/3/checkin", without the query */
    const char *body;            /* not NUL-terminated */
    size_t body_len;
    const char *authorization;   /* "Bearer TOKEN" */
    const char *cookie;          /* the Cookie header */
    const char *csrf;            /* X-Yishi-CSRF */
    const char *origin, *host;   /* Origin and Host, for the cross-site check */
    const char *last_event_id;   /* SSE resume */
    const char *addr;            /* the client's address, for the per-address slowdown */
    struct { const char *key, *value; } args[YS_SRV_MAX_ARGS];  /* the query */
    size_t n_args;
} ys_srv_req;

typedef struct ys_srv_cmd ys_srv_cmd;

/* Who is looking, for what they may see (view.c): a role, and a delegation secretary's delegation id. */
typedef struct ys_viewer {
    ys_auth_role role;
    int delegation;              /* a delegation secretary's; 0 for everyone else (or a delegation not found) */
} ys_viewer;

typedef struct ys_srv_resp {
    int status;
    json_t *json;                /* the body, owned */
    char *raw;                   /* or a raw body (a document's content), owned, ys_free */
    size_t raw_len;
    const char *content_type;    /* of `raw` */
    char set_cookie[320];
    char device_cookie[192];     /* a second Set-Cookie: the device token of a login */
    int retry_after;             /* seconds, 0 for none */
    bool close;                  /* Connection: close (a connection over the limits) */
    const char *allow;           /* for 405 */
    ys_srv_cmd *cmd;             /* a write for the writer: whoever brought the request submits it */
    bool stream;                 /* a live stream for `audience`, resuming after `stream_after` */
    ys_viewer audience;
    int64_t stream_after;        /* -1: from now */
} ys_srv_resp;

void ys_srv_resp_free(ys_srv_resp *r);
/* Sets an error response: {"error": code, "message": "中文 / English: detail", "field": name}. */
void ys_srv_error(ys_srv_resp *r, ys_rc rc, const ys_err *err);
void ys_srv_errorf(ys_srv_resp *r, ys_rc rc, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void ys_srv_json(ys_srv_resp *r, int status, json_t *body);  /* takes over `body` */
const char *ys_srv_arg(const ys_srv_req *req, const char *key);
/* The value of cookie `name`, if the request has one that fits in `size`. */
bool ys_srv_cookie(const ys_srv_req *req, const char *name, char *out, size_t size);

/* ---- commands for the writer ---- */

/* Runs on the writer against the current state: checks through the core (ys_cmd_*) and emits events.
 * Nothing here decides a rule of the session; it only translates the request's arguments. */
typedef ys_rc (*ys_srv_cmd_fn)(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out,
                               ys_err *err);

struct ys_srv_cmd {
    ys_srv_cmd_fn run;
    json_t *args;                /* the parsed body and path parameters, owned */
    ys_principal who;
    int ok_status;               /* 201, or 200 */
    char *blob;                  /* content to store with the events (a document version), owned */
    /* What the request's thread made of the body before queueing it (a verifiable ballot, checked: that
     * costs milliseconds, which the writer must not spend), freed with checked_free. */
    void *checked;
    void (*checked_free)(void *);
    /* What makes `checked`, on a checker thread (checkers.c) before the command is queued for the writer:
     * NULL for a command that carries nothing to check. A refusal is the command's answer. */
    ys_rc (*check)(ys_srv_cmd *cmd, ys_srv *srv, ys_err *err);
    size_t blob_len;
    char blob_hash[YS_HASH_HEX];
    /* Filled in by the writer before `done` is called. */
    ys_rc rc;
    ys_err err;
    json_t *diags;               /* an import's bad rows, [{"line","field","message"}] */
    int64_t first_seq, last_seq; /* the chained events it became; 0 when none */
    char hash[YS_HASH_HEX];      /* the hash of its last event: the receipt */
    json_t *events;              /* [{"seq","type","payload"}] */
    void (*done)(ys_srv_cmd *cmd, void *ud);
    void *done_ud;
    /* What follows once the command is committed, on the request's thread (NULL: nothing): the part of a
     * change that lies outside the log, made only after the log says it happened (a new login card after
     * its card.reissue). It may add to the answer, or turn it into an error. */
    void (*then)(ys_srv_cmd *cmd, ys_srv *srv, ys_srv_resp *r);
    ys_srv_cmd *next;
};

ys_srv_cmd *ys_srv_cmd_new(ys_srv_cmd_fn run, json_t *args, const ys_principal *who);
void ys_srv_cmd_free(ys_srv_cmd *cmd);
/* The response to a finished command: its error, or ok_status with the receipt and its events. */
void ys_srv_cmd_response(const ys_srv_cmd *cmd, ys_srv_resp *r);
/* Runs a command against a session held in memory (no file), its check first: for the fuzzer and unit tests. */
void ys_srv_cmd_run_memory(ys_srv *srv, ys_session *s, ys_srv_cmd *cmd);

/* ---- the writer (writer.c) ---- */

ys_rc ys_srv_writer_start(ys_srv *srv, ys_err *err);
/* Queues a command; cmd->done is called on the writer thread once it is committed (or refused).
 * Refused with YS_UNAVAILABLE once the writer is stopping. */
ys_rc ys_srv_submit(ys_srv *srv, ys_srv_cmd *cmd);
/* Drains the queue, commits, answers, and ends the writer thread. */
void ys_srv_writer_stop(ys_srv *srv);
size_t ys_srv_writer_pending(ys_srv *srv);

/* ---- the checkers (checkers.c) ---- */

ys_rc ys_srv_checkers_start(ys_srv *srv, ys_err *err);
/* Queues a command whose `check` runs on a checker thread; checked, it goes on to the writer (ys_srv_submit),
 * refused or not taken by the writer, cmd->done is called with the refusal. YS_UNAVAILABLE once stopping. */
ys_rc ys_srv_check(ys_srv *srv, ys_srv_cmd *cmd);
/* Checks what waits, hands it on, and ends the threads: before the writer stops. */
void ys_srv_checkers_stop(ys_srv *srv);
/* Commands queued or being checked, not yet with the writer. */
size_t ys_srv_checkers_pending(ys_srv *srv);

/* ---- the SSE hub (sse.c) ---- */

typedef struct ys_sse_client ys_sse_client;

ys_rc ys_sse_hub_new(ys_srv *srv, ys_sse_hub **out, ys_err *err);
void ys_sse_hub_free(ys_sse_hub *hub);
/* Hands a committed batch's chained events (evs[0..n), in seq order, owned by the caller and valid only
 * during the call: the hub copies what it keeps) to the streams and returns: the hub's own thread renders
 * and sends them. Called by the writer once the batch is answered, before the next begins (the hub reads from the
 * state, as the batch left it, whose secret each event is and each ballot's turnout). Sealed events are
 * skipped; the payloads are shared by reference, never changed. */
void ys_sse_publish_batch(ys_sse_hub *hub, const ys_event *evs, size_t n);
/* A new stream for `audience` that first catches up on what it missed after `after` (-1: nothing), from
 * the ring or the file, a page at a time as it reads. `fd` is the client's socket (-1: none), which the
 * hub peeks at to notice a client that hung up, and shuts down to cut one too slow to keep up; it must
 * stay open until ys_sse_detach. With `may_send` (a plain socket carrying the bare stream text, no TLS
 * and no chunked framing) the hub writes new events to fd itself while the reader is suspended. */
ys_sse_client *ys_sse_attach(ys_sse_hub *hub, ys_viewer audience, int64_t after, int fd, bool may_send);
/* Copies up to `max` bytes of pending stream text to buf and returns how many; -1 at the end of the
 * stream (closed, or cut). With nothing pending it calls suspend(ud) under the hub's lock and returns 0;
 * resume(ud) is called, once, when there is more, or when the hub, writing to the socket itself, finds it
 * full, hands the rest back to the reader, or ends the stream. Until then the reader must not write. */
long ys_sse_read(ys_sse_client *c, char *buf, size_t max, void (*suspend)(void *), void (*resume)(void *),
                 void *ud);
void ys_sse_detach(ys_sse_client *c);
/* Ends every stream (at shutdown). */
void ys_sse_close_all(ys_sse_hub *hub);
size_t ys_sse_clients(ys_sse_hub *hub);

/* ---- who may see what (view.c) ---- */

/* The things not everyone may see, wherever they are shown: on a stream, in the log, in a read route. */
typedef enum ys_secret { YS_SECRET_LEAVE_REASON, YS_SECRET_SPEECH_SUMMARY } ys_secret;

ys_viewer ys_srv_viewer(const ys_session *s, const ys_principal *who);
bool ys_srv_viewer_is_staff(const ys_viewer *v);
/* Whether `v` may see `what` that belongs to `delegation` (0: the whole assembly). The one rule. */
bool ys_srv_may_see(const ys_viewer *v, ys_secret what, int delegation);
/* The delegation an event's secret belongs to (0: the whole assembly's), or -1 when it has none (or the
 * state does not know it, and then only those who see it anywhere see it). */
int ys_srv_event_owner(const ys_session *s, const ys_event *ev);
/* Removes from `payload` (a copy of ev's, owned by the caller) what `v` may not see; returns payload. */
json_t *ys_srv_event_redact(const ys_event *ev, json_t *payload, const ys_viewer *v, int owner);
/* The event as `v` may see it on a stream, as {"seq","time","type","payload"}; NULL when it may not see it
 * at all. One rule per event type (a type without one is shown to staff only), then the secrets above. */
json_t *ys_srv_event_view(const ys_event *ev, const ys_viewer *v, int owner);

/* JSON views of the state, for the read routes. */
json_t *ys_view_session(const ys_session *s);
json_t *ys_view_delegation(const ys_session *s, const ys_delegation *d);
json_t *ys_view_delegate(const ys_session *s, const ys_delegate *d);
json_t *ys_view_meeting(const ys_session *s, const ys_meeting *m);
json_t *ys_view_attendance(const ys_attendance *a);
json_t *ys_view_document(const ys_document *d, bool versions);
json_t *ys_view_item(const ys_item *it);
json_t *ys_view_rules(const ys_rules *r);

/* ---- the per-address slowdown of failed logins (throttle.c) ---- */

ys_srv_throttle *ys_srv_throttle_new(void);
void ys_srv_throttle_free(ys_srv_throttle *t);
/* Charges a login attempt from `addr` before its hash runs: 0, or the seconds it must wait first (and
 * nothing is charged). */
int ys_srv_throttle_take(ys_srv_throttle *t, const char *addr, int64_t now);
/* Gives the charge back: the attempt succeeded, or was refused before any secret was judged. */
void ys_srv_throttle_refund(ys_srv_throttle *t, const char *addr, int64_t now);
/* Empties the address's bucket (the secretariat's unlock). */
void ys_srv_throttle_clear(ys_srv_throttle *t, const char *addr, int64_t now);

/* ---- a session created from the desk (setup.c) ---- */

typedef struct ys_srv_setup ys_srv_setup;

/* The setup of a session at cfg.file under one of `rules` (borrowed), with a new one-time setup code of
 * 160 random bits; NULL when out of memory. */
ys_srv_setup *ys_srv_setup_new(const ys_rules *const *rules, size_t n_rules);
void ys_srv_setup_free(ys_srv_setup *s);
/* The code as printed for the operator: groups of four characters. */
const char *ys_srv_setup_code(const ys_srv_setup *s);
/* Whether a route is one of setup's own, served while no session exists yet. */
bool ys_srv_setup_route(const char *pattern);

/* ---- the server ---- */

struct ys_srv {
    ys_serve_config cfg;
    ys_journal *journal;         /* the writer's; read under state_lock (NULL in memory mode) */
    ys_session *memory;          /* memory mode (fuzzer, tests): the state without a file */
    pthread_rwlock_t state_lock; /* the writer holds it for writing while a batch changes the state */
    ys_auth *auth;               /* NULL in memory mode: then "Bearer test-ROLE[-NAME]" logs in */
    ys_reader *reader;           /* the file's read connections, one per HTTP thread (NULL in memory mode) */
    ys_srv_writer *writer;
    ys_srv_checkers *checkers;   /* NULL in memory mode: a command's check runs where it is run */
    ys_sse_hub *hub;
    ys_srv_throttle *throttle;
    ys_nchan *nchan;             /* the board's publisher to nginx + nchan (publish.c), or NULL */
    atomic_bool draining;        /* SIGTERM: answer what is in flight, take nothing new */
    atomic_long in_flight;       /* requests between their first byte and their answer */
    atomic_long connections;     /* open HTTP connections (http.c), for GET /api/health */
    atomic_llong tls_not_after;  /* when the certificate in use expires (Unix time; 0 without TLS), for health */
    atomic_int store_rc;         /* how the last batch that wrote ended: YS_OK, or why the store refused it
                                    (YS_DISK_FULL …), for GET /api/health */
    unsigned request_timeout;    /* seconds to receive a whole request (--request-timeout, default 30) */
    /* --setup (setup.c): while `pending` there is no session, and only the setup routes are served; the
     * setup that creates it sets journal and auth, then opens the rest with open_session (serve.c). */
    ys_srv_setup *setup;
    atomic_bool pending;
    ys_rc (*open_session)(ys_srv *srv, ys_err *err);
    /* The contexts of the verifiable votes whose ballots were checked (routes_poll.c): each made once under
     * state_lock, then read without it. */
    pthread_mutex_t vcache_lock;
    struct ys_srv_vcontext *vcache;
    /* Many sessions on one service (cfg.sessions): the front holds the HTTP side (the connections, the
     * draining, the certificate) and serves only the list of sessions; each session is a ys_srv of its own
     * reached under its base. One session alone is its own front, with the base "". */
    ys_srv *front;
    ys_srv **sessions;           /* the front's, in the order given; NULL with one session */
    size_t n_sessions;
    int64_t id;                  /* the session's id in the routes, 0 when it is alone */
    char base[32];               /* "" or "/s/ID": what its paths begin with, and its cookies' Path */
};

/* The session a path names, and the path within it: "/s/7/api/status" is session 7's "/api/status". With
 * one session, that one and the path as it is. NULL (and *rest unchanged) for a path of the front's own: the
 * service's index and its list of sessions, or a session that is not there. */
ys_srv *ys_srv_session_of(ys_srv *front, const char *path, const char **rest);
/* GET /api/sessions: each session served, with its title, its events and where its pages are. */
json_t *ys_srv_sessions_json(ys_srv *front);
/* The API of a front of many sessions, outside any of them: GET /api/sessions and /api/health. */
void ys_srv_front_dispatch(ys_srv *front, const ys_srv_req *req, ys_srv_resp *resp);

void ys_srv_vcache_init(ys_srv *srv);
void ys_srv_vcache_free(ys_srv *srv);

/* Reads of the state: the current session under the read lock. */
const ys_session *ys_srv_read_begin(ys_srv *srv);
void ys_srv_read_end(ys_srv *srv);
int64_t ys_srv_now(void);          /* unix seconds */
void ys_srv_time_text(char out[32]);  /* UTC ISO 8601 with milliseconds, as events carry */

/* ---- the router (router.c) and its table (routes.c) ---- */

enum {
    YS_R_OBSERVER = 1u << YS_AUTH_OBSERVER,
    YS_R_SECRETARIAT = 1u << YS_AUTH_SECRETARIAT,
    YS_R_CHAIR = 1u << YS_AUTH_CHAIR,
    YS_R_DSEC = 1u << YS_AUTH_DELEGATION_SECRETARY,
    YS_R_DELEGATE = 1u << YS_AUTH_DELEGATE,
    YS_R_TRUSTEE = 1u << YS_AUTH_TRUSTEE,
    YS_R_STAFF = YS_R_SECRETARIAT | YS_R_CHAIR | YS_R_DSEC,
    YS_R_LOGGED_IN = YS_R_STAFF | YS_R_DELEGATE | YS_R_TRUSTEE,
    YS_R_ANYONE = YS_R_LOGGED_IN | YS_R_OBSERVER,
};

typedef struct ys_srv_call {
    ys_srv *srv;
    const ys_srv_req *req;
    const ys_principal *who;
    const char *token;           /* the caller's token, "" for an observer */
    const char *params[YS_SRV_MAX_PARAMS];  /* the path's {…} parts, in order */
} ys_srv_call;

typedef void (*ys_srv_handler)(const ys_srv_call *call, ys_srv_resp *resp);

typedef struct ys_srv_route {
    const char *method;
    const char *pattern;         /* "/api/meetings/{id}/checkin": {id} is digits, {hash} 64 hex, {name} any */
    ys_srv_handler fn;
    unsigned roles;              /* YS_R_* bits of the roles that may call it */
    const char *summary;
} ys_srv_route;

extern const ys_srv_route ys_srv_routes[];
extern const size_t ys_srv_n_routes;

/* Routes a request: finds the route, authenticates, checks the role and the CSRF guard, and calls the
 * handler. Always fills `resp`; a write leaves resp->cmd for the caller to submit. */
void ys_srv_dispatch(ys_srv *srv, const ys_srv_req *req, ys_srv_resp *resp);

/* Strict JSON bodies: an object with only the listed fields, each of its type. */
typedef enum ys_field_type { YS_F_STRING = 1, YS_F_INT, YS_F_BOOL, YS_F_STRINGS, YS_F_ANY } ys_field_type;
typedef struct ys_srv_field {
    const char *name;
    ys_field_type type;
    bool required;
    long long min, max;          /* a YS_F_INT's range (yishi/number.h), which the handler's int can hold */
} ys_srv_field;
/* Malformed JSON is YS_INVALID (400); anything but an object, an unknown field, a wrong type, an integer
 * outside its field's range or a missing field is YS_BAD_FIELD (422) naming the field. An empty body is {}
 * when nothing is required. */
ys_rc ys_srv_parse_body(const ys_srv_req *req, const ys_srv_field *fields, json_t **out, ys_err *err);

/* The memory-mode server for the fuzzer and tests: a session without a file, no auth store. */
ys_srv *ys_srv_new_memory(ys_session *s);
void ys_srv_free_memory(ys_srv *srv);

#endif
