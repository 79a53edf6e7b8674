/* serve.c — `yishi serve` from start to stop: open the session file (replaying it) and its logins, start
 * the writer, the live streams and HTTP; on SIGTERM stop taking work, answer what is in flight, commit
 * what is queued, and close. Nothing that was answered is lost. */
#include "server/http.h"
#include "server/log.h"
#include "server/publish.h"
#include "server/tls.h"

#include "yishi/alloc.h"
#include "yishi/buf.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#define DRAIN_SECONDS 30

/* Files the server holds besides its connections: each session's file, its WAL and shared memory, the
 * logins' and the streams' read connections, libmicrohttpd's epoll and wake-up descriptors per thread. */
#define FILES_PER_SESSION(cfg) (16 + 2 * (rlim_t)(cfg)->threads)
#define FILES_BESIDE_CONNECTIONS(cfg) \
    (48 + 2 * (rlim_t)(cfg)->threads + FILES_PER_SESSION(cfg) * (rlim_t)((cfg)->n_sessions ? (cfg)->n_sessions : 1))

/* Raises the process's own limit on open files to what the connections need. When the system's hard
 * limit is lower, an explicit --max-connections is refused with the reason; the default is lowered to
 * fit, and the server says so. */
static ys_rc raise_file_limit(ys_serve_config *cfg, bool asked, ys_err *err)
{
    struct rlimit r;
    rlim_t beside = FILES_BESIDE_CONNECTIONS(cfg), need = ys_http_connections_held(cfg) + beside;
    if (getrlimit(RLIMIT_NOFILE, &r) != 0 || r.rlim_cur >= need)
        return YS_OK;
    struct rlimit want = {need, r.rlim_max != RLIM_INFINITY && r.rlim_max < need ? need : r.rlim_max};
    if (setrlimit(RLIMIT_NOFILE, &want) == 0) /* above the hard limit only with CAP_SYS_RESOURCE */
        return YS_OK;
    want = (struct rlimit){r.rlim_max, r.rlim_max};
    setrlimit(RLIMIT_NOFILE, &want);
    rlim_t extra = beside + ys_http_connections_held(cfg) - cfg->max_connections; /* all but the connections */
    unsigned room = r.rlim_max > extra + 16 ? (unsigned)(r.rlim_max - extra) : 0;
    if (asked || room == 0)
        return ys_fail(err, YS_INVALID, "max-connections", "%u connections need %llu open files, and the system "
                       "allows this process %llu (ulimit -Hn): raise the hard limit (LimitNOFILE= in a systemd "
                       "unit, nofile in /etc/security/limits.conf) or pass a smaller --max-connections",
                       cfg->max_connections, (unsigned long long)need, (unsigned long long)r.rlim_max);
    ys_log(YS_LOG_WARNING, "the system allows %llu open files (ulimit -Hn): serving at most %u connections, "
            "not %u; raise the hard limit (LimitNOFILE= in a systemd unit) to allow more",
            (unsigned long long)r.rlim_max, room, cfg->max_connections);
    cfg->max_connections = room;
    return YS_OK;
}

/* The sessions a server serves: the many under a front, or itself alone. */
#define EACH_SESSION(front, i, one) \
    for (size_t i = 0; i < ((front)->n_sessions ? (front)->n_sessions : 1); i++) \
        for (ys_srv *one = (front)->n_sessions ? (front)->sessions[i] : (front); one; one = NULL)

static size_t queued(ys_srv *front)
{
    size_t n = 0;
    EACH_SESSION(front, i, srv)
        n += ys_srv_checkers_pending(srv) + ys_srv_writer_pending(srv);
    return n;
}

/* Waits until every request in flight has been answered and the queues are empty, or DRAIN_SECONDS pass. */
static void drain(ys_srv *srv)
{
    for (int i = 0; i < DRAIN_SECONDS * 100; i++) {
        if (atomic_load(&srv->in_flight) == 0 && queued(srv) == 0)
            return;
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    }
    ys_log(YS_LOG_WARNING, "%ld requests still open after %d s; closing them",
            (long)atomic_load(&srv->in_flight), DRAIN_SECONDS);
}

/* What serves a session once its file and logins are open: the read connections, the streams, the board's
 * publisher and the writer. On failure what it opened of them is closed again (a setup that cannot go on
 * removes the file it made). */
static void close_session(ys_srv *srv)
{
    ys_srv_checkers_stop(srv); /* first: what they checked last goes to the writer */
    ys_srv_writer_stop(srv);
    ys_nchan_stop(srv->nchan); /* after the writer: what it committed last is published too */
    ys_sse_hub_free(srv->hub);
    ys_reader_close(srv->reader);
    srv->nchan = NULL;
    srv->hub = NULL;
    srv->reader = NULL;
}

static ys_rc open_session(ys_srv *srv, ys_err *err)
{
    ys_rc rc;
    if ((rc = ys_reader_open(srv->cfg.file, srv->cfg.threads, &srv->reader, err)) ||
        (rc = ys_sse_hub_new(srv, &srv->hub, err)) ||
        (srv->cfg.nchan_publish && (rc = ys_nchan_start(srv, &srv->nchan, err))) ||
        (rc = ys_srv_writer_start(srv, err)) || (rc = ys_srv_checkers_start(srv, err)))
        close_session(srv);
    return rc;
}

static ys_rc open_sessions(ys_srv *front, ys_err *err);

/* With --setup there is no file yet: the throttle (which counts wrong setup codes) and the setup code,
 * and the rest once POST /api/setup has made the file (setup.c). A front of many sessions opens each. */
static ys_rc open_parts(ys_srv *srv, ys_err *err)
{
    ys_rc rc;
    if (!(srv->throttle = ys_srv_throttle_new()))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory");
    if (srv->cfg.n_sessions)
        return open_sessions(srv, err);
    if (srv->cfg.setup) {
        srv->open_session = open_session;
        if (!(srv->setup = ys_srv_setup_new(srv->cfg.setup_rules, srv->cfg.n_setup_rules)))
            return ys_fail(err, YS_NOMEM, NULL, "out of memory");
        atomic_store(&srv->pending, true);
        return YS_OK;
    }
    if ((rc = ys_journal_open(srv->cfg.file, 0, &srv->journal, err)))
        return rc;
    if (!ys_session_initialized(srv->journal->session))
        return ys_fail(err, YS_STATE, "file", "%s holds no initialised session", srv->cfg.file);
    if ((rc = ys_auth_open(srv->cfg.file, &srv->auth, err)))
        return rc;
    return open_session(srv, err);
}

static void close_one(ys_srv *srv);

static void close_parts(ys_srv *srv)
{
    for (size_t i = 0; i < srv->n_sessions; i++)
        close_one(srv->sessions[i]);
    ys_free(srv->sessions);
    srv->sessions = NULL;
    srv->n_sessions = 0;
    close_session(srv);
    ys_srv_throttle_free(srv->throttle);
    ys_auth_close(srv->auth);
    ys_journal_close(srv->journal);
    ys_srv_setup_free(srv->setup);
}

/* One session of many: a server of its own (store, logins, writer, streams) under the front, at /s/ID. */
static void init_one(ys_srv *srv, const ys_srv *front, const ys_serve_session *ss)
{
    srv->cfg = front->cfg;
    srv->cfg.file = ss->locator;
    srv->cfg.sessions = NULL;
    srv->cfg.n_sessions = 0;
    srv->front = (ys_srv *)front;
    srv->id = ss->id;
    snprintf(srv->base, sizeof srv->base, "/s/%lld", (long long)ss->id);
    srv->request_timeout = front->request_timeout;
    pthread_rwlock_init(&srv->state_lock, NULL);
    ys_srv_vcache_init(srv);
}

static void close_one(ys_srv *srv)
{
    if (!srv)
        return;
    close_parts(srv);
    ys_srv_vcache_free(srv);
    pthread_rwlock_destroy(&srv->state_lock);
    ys_free(srv);
}

/* Opens every session of cfg.sessions, each with its own parts; the first that cannot be served stops the
 * start, named. Two entries for one id, or for one store, are refused. */
static ys_rc open_sessions(ys_srv *front, ys_err *err)
{
    const ys_serve_config *cfg = &front->cfg;
    ys_rc rc = YS_OK;
    for (size_t i = 0; i < cfg->n_sessions; i++)
        for (size_t k = 0; k < i; k++)
            if (cfg->sessions[k].id == cfg->sessions[i].id || !strcmp(cfg->sessions[k].locator, cfg->sessions[i].locator))
                return ys_fail(err, YS_CONFLICT, "sessions", "session %lld (%s) is given twice",
                               (long long)cfg->sessions[i].id, cfg->sessions[i].locator);
    if (!(front->sessions = ys_calloc(cfg->n_sessions, sizeof *front->sessions)))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory");
    for (size_t i = 0; i < cfg->n_sessions && !rc; i++) {
        ys_srv *srv = ys_calloc(1, sizeof *srv);
        if (!srv)
            return ys_fail(err, YS_NOMEM, NULL, "out of memory");
        init_one(srv, front, &cfg->sessions[i]);
        front->sessions[front->n_sessions++] = srv;
        if ((rc = open_parts(srv, err))) { /* the session named before the reason, which is kept whole */
            char why[sizeof err->msg];
            int n = snprintf(why, sizeof why, "session %lld (%.200s): ", (long long)srv->id, srv->cfg.file);
            snprintf(why + n, sizeof why - (size_t)n, "%.*s", (int)(sizeof why - (size_t)n - 1), err->msg);
            memcpy(err->msg, why, sizeof why);
        }
    }
    return rc;
}

/* --setup serves a session that is not there yet; one that is would be a session to serve, not to create. */
static ys_rc check_setup(const ys_serve_config *cfg, ys_err *err)
{
    if (ys_store_exists(cfg->file))
        return ys_fail(err, YS_CONFLICT, "file", "%s exists already: --setup creates a new session (serve "
                       "this one without --setup, or name a new file or no session of the database)", cfg->file);
    if (cfg->n_setup_rules == 0)
        return ys_fail(err, YS_NOT_FOUND, "rules", "no rule sets found to offer (rules/*.rules, $YISHI_RULES_DIR)");
    return YS_OK;
}

static void announce(ys_srv *srv, ys_http *http)
{
    char title[512];
    const char *host_end = strrchr(srv->cfg.listen, ':');
    static const char *const pages[][2] = {{"terminal", "the delegates' terminal (代表终端)"},
                                           {"chair", "the chair's console (主持人)"},
                                           {"board", "the hall's screen (大屏)"},
                                           {"desk", "the secretariat's desk (秘书处)"}};
    char base[320];
    snprintf(base, sizeof base, "%s://%.*s:%d", srv->cfg.tls_cert ? "https" : "http",
             (int)(host_end - srv->cfg.listen), srv->cfg.listen, ys_http_port(http));
    if (srv->n_sessions) {
        printf("yishi serve: %zu sessions\n", srv->n_sessions);
        for (size_t i = 0; i < srv->n_sessions; i++) {
            ys_session_title(srv->sessions[i]->journal->session, title, sizeof title);
            printf("  %s%s/  %s — %lld events, %s\n", base, srv->sessions[i]->base, title,
                   (long long)srv->sessions[i]->journal->session->seq, srv->sessions[i]->cfg.file);
        }
    } else if (srv->setup) {
        printf("yishi serve: no session yet: %s is made by the setup at the desk\n", srv->cfg.file);
        printf("setup code %s (once, for POST /api/setup)\n", ys_srv_setup_code(srv->setup));
    } else {
        ys_session_title(srv->journal->session, title, sizeof title);
        printf("yishi serve: %s — %lld events, %s\n", title, (long long)srv->journal->session->seq, srv->cfg.file);
    }
    printf("listening on %s\n", base);
    if (srv->setup)
        printf("set up the session at %s/desk\n", base);
    else if (srv->n_sessions)
        printf("  %s/api/sessions lists them; each session's pages are under its path (%s/s/ID/desk …)\n", base, base);
    else
        for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
            printf("  %s/%-9s %s\n", base, pages[i][0], pages[i][1]);
    if (ys_auth_weak_hashing())
        ys_log(YS_LOG_WARNING, "WARNING: YISHI_TEST_WEAK_PWHASH is set: new passwords and PINs are hashed at "
                        "the lowest cost. This is for tests only; never run a session so.");
    if (getenv("YISHI_TEST_LOGIN_LEAK"))
        ys_log(YS_LOG_WARNING, "WARNING: YISHI_TEST_LOGIN_LEAK is set: failed logins are forgiven every %d s."
                        " This is for tests only; never run a session so.", ys_auth_bucket_interval(YS_AUTH_B_CARD));
    fflush(stdout);
}

/* SIGHUP: the certificate and key read again from their files (a renewal), for the handshakes that
 * follow; a pair that does not load is said and the one in use kept. */
static void reload(ys_srv *srv)
{
    ys_err e = {0};
    char until[32] = "";
    sd_notify(0, "RELOADING=1");
    if (!srv->cfg.tls_cert)
        ys_log(YS_LOG_NOTICE, "SIGHUP: nothing to reload (the server has no TLS certificate)");
    else if (ys_tls_load(srv->cfg.tls_cert, srv->cfg.tls_key, &e))
        ys_log(YS_LOG_ERROR, "SIGHUP: %s; still serving with the certificate loaded before", e.msg);
    else {
        time_t t = ys_tls_not_after();
        atomic_store(&srv->tls_not_after, (long long)t);
        strftime(until, sizeof until, "%Y-%m-%d %H:%M UTC", gmtime(&t));
        ys_log(YS_LOG_NOTICE, "SIGHUP: the TLS certificate and key reloaded from %s and %s (valid until %s)",
               srv->cfg.tls_cert, srv->cfg.tls_key, until);
    }
    sd_notify(0, "READY=1");
}

/* Until SIGTERM or SIGINT, whose name it returns; SIGHUP reloads on the way. */
static const char *wait_for_stop(ys_srv *srv, const sigset_t *signals)
{
    int sig = 0;
    while (sigwait(signals, &sig) == 0 && sig == SIGHUP)
        reload(srv);
    return sig == SIGTERM ? "SIGTERM" : "SIGINT";
}

ys_rc ys_serve(const ys_serve_config *cfg, ys_err *err)
{
    ys_srv srv = {.cfg = *cfg};
    ys_http *http = NULL;
    sigset_t signals;
    ys_rc rc;
    ys_serve_defaults(&srv.cfg);
    ys_log_init(srv.cfg.log_level);
    srv.front = &srv;
    srv.request_timeout = srv.cfg.request_timeout;
    pthread_rwlock_init(&srv.state_lock, NULL);
    ys_srv_vcache_init(&srv);
    /* Every thread started from here on inherits the mask, so the signals come only to sigwait below. */
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* Under a file-size limit (ulimit -f) a write past it would kill the server; ignored, the write fails
     * with EFBIG and the batch is refused as on a full disk, until there is room again. */
    signal(SIGXFSZ, SIG_IGN);
    if ((!cfg->tls_cert) != (!cfg->tls_key)) {
        rc = ys_fail(err, YS_INVALID, "tls", "--tls-cert and --tls-key go together");
        goto out;
    }
    if (cfg->tls_cert && (rc = ys_tls_load(cfg->tls_cert, cfg->tls_key, err)))
        goto out;
    atomic_store(&srv.tls_not_after, (long long)ys_tls_not_after());
    if (cfg->setup && (rc = check_setup(cfg, err)))
        goto out;
    if (cfg->n_sessions && (cfg->setup || cfg->nchan_publish)) {
        rc = ys_fail(err, YS_INVALID, cfg->setup ? "setup" : "nchan-publish", "%s serves one session: not with many",
                     cfg->setup ? "--setup" : "--nchan-publish");
        goto out;
    }
    if ((rc = raise_file_limit(&srv.cfg, cfg->max_connections != 0, err)) || (rc = open_parts(&srv, err)) ||
        (rc = ys_http_start(&srv, cfg->tls_cert != NULL, &http, err)))
        goto out;
    announce(&srv, http);
    /* Type=notify: systemd starts what depends on the server once it listens, not once it forked. */
    if (srv.n_sessions)
        sd_notifyf(0, "READY=1\nSTATUS=serving %zu sessions on port %d", srv.n_sessions, ys_http_port(http));
    else
        sd_notifyf(0, "READY=1\nSTATUS=serving %s on port %d", srv.cfg.file, ys_http_port(http));
    const char *stop = wait_for_stop(&srv, &signals);
    sd_notify(0, "STOPPING=1\nSTATUS=finishing what is in flight");
    ys_log(YS_LOG_NOTICE, "%s: finishing what is in flight", stop);
    atomic_store(&srv.draining, true);
    EACH_SESSION(&srv, i, one)
        atomic_store(&one->draining, true);
    ys_http_quiesce(http);
    ys_http_refuse_unread(http);
    EACH_SESSION(&srv, i, one)
        if (one->hub) /* none while a setup waits */
            ys_sse_close_all(one->hub);
    drain(&srv);
    EACH_SESSION(&srv, i, one)
        if (!atomic_load(&one->pending))
            ys_log(YS_LOG_NOTICE, "%s%sstopped at event %lld", one->base, one->base[0] ? ": " : "",
                   (long long)one->journal->session->seq);
    ys_log(YS_LOG_NOTICE, "%zu connections cut for sending a request too slowly", ys_http_cut(http));
out:
    /* The checkers and the writers first: what they still answer resumes connections and wakes their HTTP
     * loops, which must outlive them. */
    EACH_SESSION(&srv, i, one) {
        ys_srv_checkers_stop(one);
        ys_srv_writer_stop(one);
    }
    ys_http_stop(http);
    ys_tls_unload(); /* after HTTP: no handshake is left to use a pair */
    close_parts(&srv);
    ys_srv_vcache_free(&srv);
    pthread_rwlock_destroy(&srv.state_lock);
    return rc;
}
