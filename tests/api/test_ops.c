/* test_ops.c — one session, one writer, one port: a second server or a writing command beside a running
 * server is refused naming it (and the route that does it instead), a port in use is refused, a file-size
 * limit refuses writes (507) until it is lifted instead of killing the server, SIGTERM answers a client
 * that sent only a request's head at once, what the server refuses before the router is still the error
 * table's JSON, staff accounts and cards are made through the running server, and a backup taken while it
 * writes is whole, verifies and serves. */
#define _GNU_SOURCE /* prlimit: lifting the limit of the running server */
#include "apitest.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>

/* Runs the yishi command with `args` (a shell fragment) on the session file; returns its exit code and
 * keeps what it said on stderr in `err`. */
static int yishi(const api_server *s, const char *args, char *err, size_t size)
{
    char cmd[1400], path[400];
    snprintf(path, sizeof path, "%s/stderr", s->dir);
    snprintf(cmd, sizeof cmd, "'%s' %s >/dev/null 2>'%s'", api_yishi, args, path);
    int status = system(cmd);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(err, 1, size - 1, f) : 0;
    err[n] = '\0';
    if (f)
        fclose(f);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void one_writer_per_file(void **state)
{
    api_server s = {0};
    char args[800], err[2048], pid[32];
    (void)state;
    api_make_demo(&s);
    api_start(&s, NULL);
    snprintf(pid, sizeof pid, "pid %d", (int)s.pid);
    snprintf(args, sizeof args, "serve -f '%s' --listen 127.0.0.1:0", s.file);
    assert_int_equal(yishi(&s, args, err, sizeof err), 1);
    if (!strstr(err, pid) || !strstr(err, "yishi serve")) /* the holder, and its command from /proc */
        fail_msg("the refusal does not name %s, yishi serve: %s", pid, err);
    snprintf(args, sizeof args, "leave 140100001 --reason 因公请假 -f '%s'", s.file);
    assert_int_equal(yishi(&s, args, err, sizeof err), 1);
    assert_non_null(strstr(err, pid));
    snprintf(args, sizeof args, "status -f '%s'", s.file); /* readers still read */
    assert_int_equal(yishi(&s, args, err, sizeof err), 0);
    long long seq = api_seq(&s);
    assert_int_equal(api_stop(&s, SIGTERM), 0);
    snprintf(args, sizeof args, "leave 140100001 --reason 因公请假 -f '%s'", s.file);
    assert_int_equal(yishi(&s, args, err, sizeof err), 0);
    snprintf(args, sizeof args, "verify -f '%s'", s.file);
    assert_int_equal(yishi(&s, args, err, sizeof err), 0);
    api_start(&s, NULL);
    assert_true(api_seq(&s) > seq); /* the command's event is in the file the server opens */
    assert_int_equal(api_stop(&s, SIGTERM), 0);
    api_cleanup(&s);
}

static void a_port_in_use_is_refused(void **state)
{
    api_server a = {0}, other = {0};
    char args[800], err[2048], addr[64];
    (void)state;
    api_make_demo(&a);
    api_make_demo(&other); /* a second session, which the port refuses, not its writer's lock */
    api_start(&a, NULL);
    snprintf(addr, sizeof addr, "127.0.0.1:%d", a.port);
    snprintf(args, sizeof args, "serve -f '%s' --listen %s", other.file, addr);
    assert_int_equal(yishi(&a, args, err, sizeof err), 3);
    assert_non_null(strstr(err, addr));
    assert_non_null(strstr(err, "in use"));
    for (int i = 0; i < 10; i++) { /* every connection reaches the one server */
        api_resp r = api_call(&a, "GET", "/api/health", NULL, NULL);
        api_expect(r, 200, NULL);
        api_free(&r);
    }
    assert_int_equal(api_stop(&a, SIGTERM), 0);
    api_cleanup(&other);
    api_cleanup(&a);
}

/* ---- raw sockets ---- */

static int dial(const api_server *s)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct timeval tv = {10, 0};
    assert_true(fd >= 0);
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

/* Reads until the server closes (or 10 s pass); returns the bytes, NUL-terminated, to ys_free(). */
static char *read_all(int fd)
{
    size_t n = 0, cap = 1 << 16;
    char *buf = ys_malloc(cap);
    ssize_t k;
    while (n < cap - 1 && (k = recv(fd, buf + n, cap - 1 - n, 0)) > 0)
        n += (size_t)k;
    buf[n] = '\0';
    return buf;
}

/* Sends a raw request and returns the answer's status; its body's JSON goes to *json (NULL if none). */
static int raw(const api_server *s, const char *req, size_t len, json_t **json)
{
    int fd = dial(s), status = 0;
    size_t sent = 0;
    while (sent < len) {
        ssize_t k = send(fd, req + sent, len - sent, MSG_NOSIGNAL);
        if (k <= 0)
            break; /* the server may answer and close before it has read everything */
        sent += (size_t)k;
    }
    char *answer = read_all(fd);
    close(fd);
    const char *body = strstr(answer, "\r\n\r\n");
    sscanf(answer, "HTTP/1.1 %d", &status);
    *json = body ? json_loads(body + 4, 0, NULL) : NULL;
    ys_free(answer);
    return status;
}

/* The documented error shape: the table's code and the message in both languages. */
static void expect_error(json_t *j, const char *code, const char *zh)
{
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "error")), code);
    const char *msg = json_string_value(json_object_get(j, "message"));
    assert_non_null(msg);
    assert_non_null(strstr(msg, zh));
    assert_non_null(strstr(msg, " / "));
    json_decref(j);
}

static void refused_requests_are_json(void **state)
{
    api_server s = {0};
    json_t *j = NULL;
    char big[40 * 1024 + 128];
    (void)state;
    api_make_demo(&s);
    api_start(&s, NULL);
    /* headers of 24 KiB are within the default max_header (32 KiB) */
    int n = snprintf(big, sizeof big, "GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Filler: ");
    memset(big + n, 'a', 24 * 1024);
    snprintf(big + n + 24 * 1024, sizeof big - (size_t)n - 24 * 1024, "\r\n\r\n");
    assert_int_equal(raw(&s, big, strlen(big), &j), 200);
    json_decref(j);
    /* headers past it but within what libmicrohttpd holds: ours */
    n = snprintf(big, sizeof big, "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Filler: ");
    memset(big + n, 'a', 40 * 1024);
    n += 40 * 1024;
    n += snprintf(big + n, sizeof big - (size_t)n, "\r\n\r\n");
    assert_int_equal(raw(&s, big, (size_t)n, &j), 431);
    expect_error(j, "headers_too_large", "请求头过大");
    static const char no_host[] = "GET /api/health HTTP/1.1\r\n\r\n";
    assert_int_equal(raw(&s, no_host, sizeof no_host - 1, &j), 400);
    expect_error(j, "invalid", "输入无效");
    static const char chunked[] = "POST /api/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                  "zz\r\nnot a chunk\r\n0\r\n\r\n";
    assert_int_equal(raw(&s, chunked, sizeof chunked - 1, &j), 411);
    expect_error(j, "length_required", "Content-Length");
    static const char long_body[] = "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n{}";
    assert_int_equal(raw(&s, long_body, sizeof long_body - 1, &j), 413);
    expect_error(j, "too_large", "输入过大");
    /* What libmicrohttpd refuses while it reads the request line and headers, before any handler of
     * ours runs, it answers itself (docs/api.md, "What the server answers itself"): the statuses hold. */
    static const struct { const char *req; int status; } theirs[] = {
        {"GET /api/health HTTP/2.0\r\nHost: x\r\n\r\n", 505},
        {"GET /api/health HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n", 400},
        {"POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Length: 12ab\r\n\r\n", 400},
        {"POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n", 413},
        {"NONSENSE\r\n\r\n", 0}, /* closed without an answer */
    };
    for (size_t i = 0; i < sizeof theirs / sizeof *theirs; i++) {
        assert_int_equal(raw(&s, theirs[i].req, strlen(theirs[i].req), &j), theirs[i].status);
        json_decref(j);
    }
    api_resp r = api_call(&s, "GET", "/api/health", NULL, NULL); /* and the server is none the worse */
    api_expect(r, 200, NULL);
    api_free(&r);
    assert_int_equal(api_stop(&s, SIGTERM), 0);
    api_cleanup(&s);
}

/* A vote's head with its body still to come: SIGTERM answers it 503 at once instead of waiting out the
 * request timeout (30 s by default), and the server is gone within two seconds. */
static void shutdown_answers_a_half_sent_request(void **state)
{
    api_server s = {0};
    static const char head[] = "POST /api/polls/1/votes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                               "Content-Length: 20\r\n\r\n";
    int status = 0;
    (void)state;
    api_make_demo(&s);
    api_start(&s, NULL);
    int fd = dial(&s);
    assert_int_equal(send(fd, head, sizeof head - 1, MSG_NOSIGNAL), (ssize_t)(sizeof head - 1));
    nanosleep(&(struct timespec){0, 300 * 1000 * 1000}, NULL); /* the server has the head */
    double t0 = api_now();
    kill(s.pid, SIGTERM);
    waitpid(s.pid, &status, 0);
    assert_true(api_now() - t0 < 2.0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    char *answer = read_all(fd);
    close(fd);
    assert_non_null(strstr(answer, "HTTP/1.1 503"));
    assert_non_null(strstr(answer, "\"error\":\"unavailable\""));
    ys_free(answer);
    api_cleanup(&s);
}

static api_resp create_poll(const api_server *s, const char *chair, int i)
{
    char body[128];
    snprintf(body, sizeof body, "{\"title\":\"关于第%d项的决议（草案）\"}", i);
    return api_call(s, "POST", "/api/polls", chair, body);
}

/* What GET /api/health says of the store: whether it can write, and how its last write ended. */
static void expect_store_health(const api_server *s, bool writable, const char *last_write)
{
    api_resp r = api_call(s, "GET", "/api/health", NULL, NULL);
    api_expect(r, 200, NULL);
    json_t *store = json_object_get(r.json, "store");
    assert_non_null(store);
    assert_string_equal(json_string_value(json_object_get(store, "backend")), "sqlite");
    assert_int_equal(json_is_true(json_object_get(store, "writable")), writable);
    assert_int_equal(json_is_true(json_object_get(r.json, "ok")), writable);
    assert_string_equal(json_string_value(json_object_get(store, "last_write")), last_write);
    assert_true(json_integer_value(json_object_get(store, "disk_free")) > 0);
    assert_true(json_integer_value(json_object_get(store, "file_size")) > 0);
    assert_non_null(api_str(&r, "version"));
    assert_int_equal(strlen(api_str(&r, "head")), 64);
    assert_true(api_int(&r, "connections") >= 1);
    api_free(&r);
}

/* Under ulimit -f the server refuses writes with disk_full (507), as on a full disk, rather than dying
 * of SIGXFSZ; once the limit is lifted the next write goes through, and the file verifies. */
static void a_file_size_limit_refuses_writes_until_lifted(void **state)
{
    api_server s = {0};
    struct rlimit was, small;
    char args[800], err[2048];
    int ok = 0, refused = 0;
    (void)state;
    api_make_demo(&s);
    if (api_on_postgresql(&s)) { /* the limit is a file's: test_ops runs it on the file */
        fprintf(stderr, "a file size limit: the session is in PostgreSQL, which has no file of its own here\n");
        api_cleanup(&s);
        skip();
    }
    /* The limit is inherited by the server only: set around its start, it is lifted here at once. */
    getrlimit(RLIMIT_FSIZE, &was);
    small = (struct rlimit){.rlim_cur = 1u << 20, .rlim_max = was.rlim_max};
    setrlimit(RLIMIT_FSIZE, &small);
    api_start(&s, NULL);
    setrlimit(RLIMIT_FSIZE, &was);
    char *chair = api_login_staff(&s, "chair", "demo-chair");
    long long before = api_seq(&s);
    expect_store_health(&s, true, "ok");
    for (int i = 0; i < 2000 && !refused; i++) {
        api_resp r = create_poll(&s, chair, i);
        if (r.status == 201)
            ok++;
        else {
            api_expect(r, 507, "disk_full");
            assert_non_null(strstr(api_str(&r, "message"), "磁盘已满"));
            refused++;
        }
        api_free(&r);
    }
    assert_int_equal(refused, 1);
    assert_true(ok > 0);
    assert_int_equal(kill(s.pid, 0), 0); /* still serving */
    api_resp r = create_poll(&s, chair, -1);
    api_expect(r, 507, "disk_full");
    api_free(&r);
    expect_store_health(&s, false, "disk_full"); /* what monitoring sees while the disk is full */
    assert_int_equal(prlimit(s.pid, RLIMIT_FSIZE, &was, NULL), 0); /* room again */
    r = create_poll(&s, chair, -2);
    api_expect(r, 201, NULL);
    api_free(&r);
    expect_store_health(&s, true, "ok");
    ok++;
    assert_int_equal(api_seq(&s), before + ok); /* one event per poll acknowledged, none for the refused */
    ys_free(chair);
    assert_int_equal(api_stop(&s, SIGTERM), 0);
    snprintf(args, sizeof args, "verify -f '%s'", s.file);
    assert_int_equal(yishi(&s, args, err, sizeof err), 0);
    api_cleanup(&s);
}

/* ---- the secretariat's logins while the server holds the file ---- */

/* Writes `text` to DIR/name and returns that path in `path`. */
static void write_file(const api_server *s, const char *name, const char *text, char path[400])
{
    snprintf(path, 400, "%s/%s", s->dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A whole file, NUL-terminated, to ys_free(). */
static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    size_t n = (size_t)ftell(f);
    char *buf = ys_malloc(n + 1);
    rewind(f);
    assert_int_equal(fread(buf, 1, n, f), n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* A small session of its own (not the demo, whose delegates all have cards), with one secretariat account. */
static void make_small(api_server *s)
{
    char args[1200], err[2048], path[400];
    snprintf(s->dir, sizeof s->dir, "/tmp/yishi-api-XXXXXX");
    assert_non_null(mkdtemp(s->dir));
    snprintf(s->file, sizeof s->file, "%s/small.db", s->dir);
    write_file(s, "delegates.csv",
               "code,name,gender,ethnicity,delegation,seat,roles,post\nC1,甲<&乙,男,汉族,城关,1-1,,\nC2,乙,女,汉族,城关,1-2,,\n",
               path);
    snprintf(args, sizeof args, "init -f '%s' --rules prc-county", s->file);
    assert_int_equal(yishi(s, args, err, sizeof err), 0);
    snprintf(args, sizeof args, "import delegates '%s' -f '%s'", path, s->file);
    assert_int_equal(yishi(s, args, err, sizeof err), 0);
    write_file(s, "desk.pw", "secret-desk-1\n", path);
    snprintf(args, sizeof args, "user add --role secretariat --name 秘书处 --password-file '%s' -f '%s'", path, s->file);
    assert_int_equal(yishi(s, args, err, sizeof err), 0);
}

/* Logs in with a card and a PIN; returns the status (and the token in `token`, when 200). */
static long card_login(const api_server *s, const char *card, char *token, size_t size)
{
    char body[128];
    snprintf(body, sizeof body, "{\"code\":\"%s\",\"pin\":\"246813\"}", card);
    api_resp r = api_call(s, "POST", "/api/login", NULL, body);
    long status = r.status;
    if (token)
        snprintf(token, size, "%s", status == 200 ? api_str(&r, "token") : "");
    api_free(&r);
    return status;
}

/* The card route's answer: 201, the card, its QR payload (the code itself) and its SVG; *card gets the code. */
static void expect_card(api_resp *r, bool replaced, char card[32])
{
    api_expect(*r, 201, NULL);
    snprintf(card, 32, "%s", api_str(r, "card"));
    assert_int_equal(strlen(card), 19); /* XXXX-XXXX-XXXX-XXXX */
    assert_string_equal(api_str(r, "qr"), card);
    assert_non_null(strstr(api_str(r, "svg"), card));
    assert_int_equal(strncmp(api_str(r, "svg"), "<svg ", 5), 0);
    assert_non_null(strstr(api_str(r, "svg"), ">C1 甲&lt;&amp;乙</text>")); /* a name is text, never markup */
    assert_string_equal(json_string_value(json_object_get(json_object_get(r->json, "delegate"), "code")), "C1");
    assert_int_equal(json_is_true(json_object_get(r->json, "replaced")), replaced);
    size_t n = json_array_size(json_object_get(r->json, "events"));
    assert_int_equal(n, replaced ? 1 : 0); /* only a replacement is logged */
    api_free(r);
}

/* The commands that write the logins are refused beside a server, saying which route does it instead;
 * through the routes a staff account is added and a card issued, refused a second time, re-issued (logged,
 * with no code in the log): the old card stops working, its logins end, the new one logs in. */
static void logins_while_the_server_runs(void **state)
{
    api_server s = {0};
    char args[1200], err[2048], first[32], second[32], token[64], pw[400];
    (void)state;
    make_small(&s);
    api_start(&s, NULL);
    snprintf(args, sizeof args, "cards C1 --reissue -f '%s'", s.file);
    assert_int_equal(yishi(&s, args, err, sizeof err), 1);
    assert_non_null(strstr(err, "yishi serve"));
    assert_non_null(strstr(err, "POST /api/delegates/ID/card"));
    write_file(&s, "chair.pw", "chair-pass-12\n", pw);
    snprintf(args, sizeof args, "user add --role chair --name 主席 --password-file '%s' -f '%s'", pw, s.file);
    assert_int_equal(yishi(&s, args, err, sizeof err), 1);
    assert_non_null(strstr(err, "POST /api/users"));
    char *desk = api_login_staff(&s, "秘书处", "secret-desk-1");
    api_post_expect(&s, "/api/users", desk, "{\"name\":\"主席\",\"role\":\"chair\",\"password\":\"chair-pass-12\"}", 201,
                    NULL);
    api_post_expect(&s, "/api/users", desk, "{\"name\":\"主席\",\"role\":\"chair\",\"password\":\"chair-pass-12\"}", 409,
                    "conflict");
    api_post_expect(&s, "/api/users", desk, "{\"name\":\"d\",\"role\":\"delegate\",\"password\":\"chair-pass-12\"}", 400,
                    "invalid");
    api_post_expect(&s, "/api/users", desk,
                    "{\"name\":\"d\",\"role\":\"delegation_secretary\",\"delegation\":\"无此团\",\"password\":\"x-pass-1234\"}",
                    404, "not_found");
    char *chair = api_login_staff(&s, "主席", "chair-pass-12");
    api_post_expect(&s, "/api/users", chair, "{\"name\":\"e\",\"role\":\"chair\",\"password\":\"chair-pass-12\"}", 403,
                    "forbidden");
    api_post_expect(&s, "/api/delegates/1/card", chair, "{}", 403, "forbidden");
    long long seq = api_seq(&s);
    api_resp r = api_call(&s, "POST", "/api/delegates/1/card", desk, "{}");
    expect_card(&r, false, first);
    assert_int_equal(card_login(&s, first, token, sizeof token), 200); /* the first login sets the PIN */
    r = api_call(&s, "POST", "/api/delegates/1/card", desk, "{}");
    api_expect(r, 409, "conflict");
    assert_string_equal(api_str(&r, "field"), "reissue");
    api_free(&r);
    assert_int_equal(api_seq(&s), seq); /* neither a first card nor a refusal is logged */
    assert_int_equal(card_login(&s, first, NULL, 0), 200);
    r = api_call(&s, "POST", "/api/delegates/1/card", desk, "{\"reissue\":true}");
    expect_card(&r, true, second);
    assert_string_not_equal(first, second);
    assert_int_equal(card_login(&s, first, NULL, 0), 401); /* the printed card no longer works */
    r = api_call(&s, "GET", "/api/me", token, NULL);
    api_expect(r, 401, "unauthorized"); /* and its logins have ended */
    api_free(&r);
    assert_int_equal(card_login(&s, second, NULL, 0), 200);
    r = api_call(&s, "GET", "/api/log?type=card.", desk, NULL);
    api_expect(r, 200, NULL);
    json_t *evs = json_object_get(r.json, "events");
    assert_int_equal(json_array_size(evs), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(evs, 0), "actor")), "secretariat:秘书处");
    assert_null(strstr(r.body, first));
    assert_null(strstr(r.body, second));
    api_free(&r);
    api_post_expect(&s, "/api/delegates/3/card", desk, "{\"reissue\":true}", 404, "not_found");
    ys_free(desk);
    ys_free(chair);
    assert_int_equal(api_stop(&s, SIGTERM), 0);
    snprintf(args, sizeof args, "verify -f '%s'", s.file);
    assert_int_equal(yishi(&s, args, err, sizeof err), 0);
    /* No code (as printed, or without its dashes, as the store normalises it) and no password anywhere in
     * the file in the clear. */
    snprintf(args, sizeof args, "sqlite3 '%s' .dump | tr -d - >'%s/dump.sql'", s.file, s.dir);
    assert_int_equal(system(args), 0);
    snprintf(args, sizeof args, "%s/dump.sql", s.dir);
    char *dump = read_file(args);
    assert_non_null(strstr(dump, "INSERT INTO auth_cards")); /* the dump holds the logins */
    for (const char *secret[] = {first, second, "chairpass12"}, **p = secret; p < secret + 3; p++) {
        char bare[32];
        size_t n = 0;
        for (const char *c = *p; *c && n < sizeof bare - 1; c++)
            if (*c != '-')
                bare[n++] = *c;
        bare[n] = '\0';
        if (strstr(dump, bare))
            fail_msg("the session file holds %s in the clear", *p);
    }
    ys_free(dump);
    api_cleanup(&s);
}

/* `yishi backup` (export-session, for a session in PostgreSQL) beside a server that is writing: the copy is one snapshot (no WAL beside it), verifies, holds
 * at least what was acknowledged before it began, and is served as a session of its own. */
static void a_backup_while_serving(void **state)
{
    api_server s = {0}, copy = {0};
    char args[1200], err[2048], out[400];
    (void)state;
    api_make_demo(&s);
    api_start(&s, NULL);
    char *chair = api_login_staff(&s, "chair", "demo-chair");
    long long before = api_seq(&s);
    pid_t writer = fork();
    assert_true(writer >= 0);
    if (writer == 0) { /* writes go on while the copy is read */
        for (int i = 0; i < 60; i++) {
            api_resp r = create_poll(&s, chair, i);
            api_free(&r);
        }
        _exit(0);
    }
    snprintf(out, sizeof out, "%s/copy.db", s.dir);
    if (api_on_postgresql(&s)) { /* a session in PostgreSQL comes down to a file with export-session */
        char url[400], id[16];
        api_store_and_session(&s, url, sizeof url, id);
        snprintf(args, sizeof args, "export-session --store '%s' --session %s -f '%s'", url, id, out);
    } else {
        snprintf(args, sizeof args, "backup -f '%s' '%s'", s.file, out);
    }
    assert_int_equal(yishi(&s, args, err, sizeof err), 0);
    int status = 0;
    assert_int_equal(waitpid(writer, &status, 0), writer);
    char wal[420];
    snprintf(wal, sizeof wal, "%s-wal", out);
    assert_int_not_equal(access(wal, F_OK), 0);
    assert_int_equal(yishi(&s, args, err, sizeof err), 1); /* never over a file */
    assert_non_null(strstr(err, "exists"));
    snprintf(args, sizeof args, "verify -f '%s'", out);
    assert_int_equal(yishi(&s, args, err, sizeof err), 0);
    long long after = api_seq(&s);
    assert_int_equal(api_stop(&s, SIGTERM), 0);
    /* the copy is served: its head is between what was there before and what was there after */
    snprintf(copy.file, sizeof copy.file, "%s/copy.db", s.dir);
    snprintf(copy.dir, sizeof copy.dir, "%s", s.dir);
    api_start(&copy, NULL);
    long long seq = api_seq(&copy);
    assert_true(seq >= before && seq <= after);
    assert_int_equal(api_stop(&copy, SIGTERM), 0);
    ys_free(chair);
    api_cleanup(&s);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_writer_per_file),
        cmocka_unit_test(a_port_in_use_is_refused),
        cmocka_unit_test(refused_requests_are_json),
        cmocka_unit_test(shutdown_answers_a_half_sent_request),
        cmocka_unit_test(a_file_size_limit_refuses_writes_until_lifted),
        cmocka_unit_test(logins_while_the_server_runs),
        cmocka_unit_test(a_backup_while_serving),
    };
    if (argc < 2) {
        fprintf(stderr, "usage: %s PATH/TO/yishi\n", argv[0]);
        return 2;
    }
    api_yishi = argv[1];
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
