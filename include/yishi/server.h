/* server.h — `yishi serve`: the session as an HTTP JSON API with live updates (SSE), in front of the
 * one writer that owns the session file. The routes and their roles are in docs/api.md. */
#ifndef YISHI_SERVER_H
#define YISHI_SERVER_H

#include "yishi/error.h"
#include "yishi/rules.h"

#include <stdbool.h>
#include <stdint.h>

#include <stddef.h>

/* One session of many on one service: its id in the routes (/s/ID/…) and its store's locator (store.h). */
typedef struct ys_serve_session {
    int64_t id;
    const char *locator;
} ys_serve_session;

typedef struct ys_serve_config {
    const char *file;            /* the session file */
    /* Many sessions on one service: with n_sessions > 0 each is served at /s/ID/ (its pages, its API, its
     * streams, its logins, its own writer) and `file` is not used; GET /api/sessions lists them. */
    const ys_serve_session *sessions;
    size_t n_sessions;
    /* A PostgreSQL database (a libpq URI) whose every session is served, each at /s/ID/ with ID its id there:
     * `yishi serve --store` lists them into `sessions` when it starts (ys_store_list_sessions). */
    const char *store;
    const char *listen;          /* "127.0.0.1:8080"; port 0 picks a free one */
    const char *tls_cert, *tls_key;   /* PEM files, both or neither */
    int token_ttl;               /* seconds a login lasts (default 12 h) */
    size_t max_body;             /* bytes of a request body (default 1 MiB); more is 413 */
    size_t max_header;           /* bytes of the request line and headers (default 32 KiB) */
    unsigned max_connections;    /* default 20,000 (fewer, with a warning, when the file limit allows fewer) */
    unsigned max_per_address;    /* connections from one client address (default 8,000) */
    unsigned threads;            /* HTTP threads (default 4) */
    unsigned check_threads;      /* threads checking verifiable ballots and shuffles (default: the cores) */
    unsigned idle_timeout;       /* seconds a connection may stay silent (default 60) */
    unsigned heartbeat;          /* seconds between SSE heartbeats (default 15) */
    unsigned request_timeout;    /* seconds a client has to send a whole request (default 30) */
    size_t ring;                 /* committed events kept in memory for SSE resume (default 8192) */
    size_t max_batch;            /* commands per group commit (default 4096) */
    const char *nchan_publish;   /* an nchan publisher location: the public stream is published there too */
    unsigned nchan_resume_port;  /* 127.0.0.1:PORT answers nginx's resume lookups (0: none) */
    int log_level;               /* what is logged: YS_LOG_ERROR … YS_LOG_DEBUG (default YS_LOG_NOTICE) */
    const char *web_dir;         /* serve the pages from this folder, read on each request (NULL: the built-in ones) */
    /* --setup: `file` does not exist yet. Until POST /api/setup creates it with its first secretariat account,
     * only the setup routes are served; then the session, as if started on it. */
    bool setup;
    const ys_rules *const *setup_rules;  /* the rule sets setup offers, by id (the caller's, kept until return) */
    size_t n_setup_rules;
} ys_serve_config;

/* The levels of what the server logs, as syslog and the journal number them. */
enum { YS_LOG_ERROR = 3, YS_LOG_WARNING = 4, YS_LOG_NOTICE = 5, YS_LOG_INFO = 6, YS_LOG_DEBUG = 7 };
/* The level called `name` (error, warning, notice, info, debug), or -1. */
int ys_log_level_named(const char *name);

/* Fills the defaults into every field left 0 or NULL. */
void ys_serve_defaults(ys_serve_config *cfg);

/* Serves until SIGTERM or SIGINT, then drains the queue, commits, answers what is in flight, and
 * returns. Prints "listening on URL" to standard output once it accepts connections. */
ys_rc ys_serve(const ys_serve_config *cfg, ys_err *err);

#endif
