/* test_streams.c — live streams at the scale of a hall: thousands of streams each get every event whole;
 * clients that ask for the whole log and never read leave memory bounded and votes prompt; a stream that
 * stops reading a while misses nothing, one too slow to keep up is cut and resumes by id with nothing
 * missing; connections per address and in all are limited, with JSON. */
#include "apitest.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#define STALLED 1500       /* the clients of the stall: after=0, never reading */
#define MANY 2000          /* board streams of the fan-out test, beside STAFF_STREAMS of the secretariat */
#define STAFF_STREAMS 100
#define STREAM_TEXT (16 << 10) /* what each of them may receive in the test */

static api_server srv;

static int setup(void **state)
{
    (void)state;
    api_make_demo(&srv);
    api_start(&srv, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    assert_int_equal(api_stop(&srv, SIGTERM), 0);
    api_cleanup(&srv);
    return 0;
}

static void raise_fd_limit(void)
{
    struct rlimit r;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &r), 0);
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
}

/* A connection from loopback address `from` that sends `req` (NULL: nothing), with a receive buffer of
 * `rcvbuf` bytes (0: the system's). */
static int dial_buf(const api_server *s, const char *from, const char *req, int rcvbuf)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
    struct sockaddr_in me = {.sin_family = AF_INET};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    if (rcvbuf)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    inet_pton(AF_INET, from, &me.sin_addr);
    assert_int_equal(bind(fd, (struct sockaddr *)&me, sizeof me), 0);
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    if (req)
        assert_int_equal(send(fd, req, strlen(req), MSG_NOSIGNAL), (ssize_t)strlen(req));
    return fd;
}

/* The same, never read: a small window, as a stalled client's. */
static int dial_from(const api_server *s, const char *from, const char *req)
{
    return dial_buf(s, from, req, 4096);
}

/* The server's resident memory in KiB, from /proc. */
static long rss_kib(void)
{
    char path[64], line[256];
    long kib = -1;
    snprintf(path, sizeof path, "/proc/%d/status", (int)srv.pid);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
            break;
    fclose(f);
    return kib;
}

static double timed_health(void)
{
    double t0 = api_now();
    api_resp r = api_call(&srv, "GET", "/api/health", NULL, NULL);
    api_expect(r, 200, NULL);
    api_free(&r);
    return api_now() - t0;
}

/* ---- thousands of streams, every event on each ---- */

typedef struct raw_stream {
    int fd;
    char *text;
    size_t len, cap;
    const char *body;              /* after the response head, once it has come */
} raw_stream;

static void stream_init(raw_stream *st, int fd, size_t cap)
{
    *st = (raw_stream){.fd = fd, .text = ys_malloc(cap), .cap = cap};
    assert_non_null(st->text);
}

static char *stream_request(const char *path, const char *token)
{
    char *req = ys_malloc(512);
    assert_non_null(req);
    snprintf(req, 512, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s%s%s\r\n", path, token ? "Authorization: Bearer " : "",
             token ? token : "", token ? "\r\n" : "");
    return req;
}

/* Reads what has come on a stream; false when it ended or overflowed. */
static bool stream_take(raw_stream *st)
{
    ssize_t k;
    while ((k = recv(st->fd, st->text + st->len, st->cap - 1 - st->len, MSG_DONTWAIT)) > 0) {
        st->len += (size_t)k;
        st->text[st->len] = '\0';
        if (!st->body && strstr(st->text, "\r\n\r\n"))
            st->body = strstr(st->text, "\r\n\r\n") + 4;
    }
    return !(k == 0 || (k < 0 && errno != EAGAIN) || st->len == st->cap - 1);
}

/* Whether the frame of event `id` has come whole. */
static bool stream_has(const raw_stream *st, long long id)
{
    char want[40];
    snprintf(want, sizeof want, "id: %lld\n", id);
    const char *p = st->body ? strstr(st->body, want) : NULL;
    return p && strstr(p, "\n\n");
}

/* The stream's body holds nothing but Server-Sent Events lines (no chunk sizes, nothing torn or mixed),
 * its frames' ids rise, and the last is `last`. Returns the body without heartbeats (free it). */
static char *stream_check(const raw_stream *st, long long last)
{
    char *events = ys_malloc(st->len + 1);
    size_t n = 0;
    long long prev = -1;
    assert_non_null(events);
    assert_non_null(st->body);
    assert_memory_equal(st->text, "HTTP/1.1 200", 12);
    assert_null(strstr(st->text, "Transfer-Encoding"));
    for (const char *p = st->body, *e; *p; p = e + 1) {
        assert_non_null(e = strchr(p, '\n'));
        size_t len = (size_t)(e - p) + 1;
        bool ok = len == 1 || !strncmp(p, "retry: ", 7) || !strncmp(p, ": ", 2) || !strncmp(p, "event: ", 7) ||
                  !strncmp(p, "data: {", 7) || !strncmp(p, "id: ", 4);
        if (!ok)
            fail_msg("not an event stream's line: %.*s", (int)len, p);
        if (!strncmp(p, "id: ", 4)) {
            assert_true(atoll(p + 4) > prev);
            prev = atoll(p + 4);
        }
        if (!strncmp(p, ": heartbeat", 11)) {
            e += e[1] == '\n'; /* and its blank line */
            continue;
        }
        if (strncmp(p, "retry: ", 7) && strncmp(p, ": yishi", 7)) {
            memcpy(events + n, p, len);
            n += len;
        }
    }
    events[n] = '\0';
    assert_int_equal(prev, last);
    return events;
}

static void open_raw_streams(raw_stream *sts, int from, int to, const char *path, const char *token, int ep)
{
    char *req = stream_request(path, token);
    for (int i = from; i < to; i++) {
        stream_init(&sts[i], dial_buf(&srv, "127.0.0.1", req, 0), STREAM_TEXT);
        struct epoll_event e = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        assert_int_equal(epoll_ctl(ep, EPOLL_CTL_ADD, sts[i].fd, &e), 0);
    }
    ys_free(req);
}

/* Reads every stream until each has event `id` whole (or `max` seconds pass); returns how many have it. */
static int wait_all(raw_stream *sts, int n, int ep, long long id, double max)
{
    struct epoll_event evs[256];
    int have = 0;
    for (double t0 = api_now(); api_now() - t0 < max;) {
        have = 0;
        for (int i = 0; i < n; i++)
            have += stream_has(&sts[i], id);
        if (have == n)
            break;
        int k = epoll_wait(ep, evs, 256, 100);
        for (int j = 0; j < k; j++)
            if (!stream_take(&sts[evs[j].data.u32]))
                fail_msg("stream %u ended or overflowed:\n%s", evs[j].data.u32, sts[evs[j].data.u32].text);
    }
    return have;
}

/* Every one of thousands of streams gets every event, whole and in order, and the streams of one audience
 * the very same text: a poll opened, a vote (turnout on the boards, the ballot's receipt to staff) and the
 * close with its result. */
static void many_streams_each_get_every_event(void **state)
{
    (void)state;
    const int n = MANY + STAFF_STREAMS;
    raw_stream *sts = ys_calloc((size_t)n, sizeof *sts);
    char *chair = api_login_staff(&srv, "chair", "demo-chair");
    char *sec = api_login_staff(&srv, "secretariat", "demo-secretariat");
    char *del = api_login_delegate(&srv, "140100009", "135792");
    char path[64];
    int ep = epoll_create1(0);
    assert_non_null(sts);
    raise_fd_limit();
    open_raw_streams(sts, 0, MANY, "/api/stream/public", NULL, ep);
    open_raw_streams(sts, MANY, n, "/api/stream", sec, ep);
    assert_true(0 <= api_wait_streams(&srv, n, 60));
    int poll = api_open_poll(&srv, chair, "{\"title\":\"关于两千个直播流的测试\"}");
    long long opened = api_seq(&srv);
    assert_int_equal(wait_all(sts, n, ep, opened, 30), n);
    snprintf(path, sizeof path, "/api/polls/%d/votes", poll);
    api_post_expect(&srv, path, del, "{\"choice\":\"yes\"}", 201, NULL);
    snprintf(path, sizeof path, "/api/polls/%d/close", poll);
    api_resp r = api_call(&srv, "POST", path, chair, NULL);
    api_expect(r, 200, NULL);
    api_free(&r);
    long long closed = api_seq(&srv);
    assert_int_equal(wait_all(sts, n, ep, closed, 30), n);
    char *board = stream_check(&sts[0], closed), *staff = stream_check(&sts[MANY], closed);
    assert_non_null(strstr(board, "event: poll.open\n"));
    assert_non_null(strstr(board, "event: poll.turnout\n"));
    assert_non_null(strstr(board, "event: poll.close\n"));
    assert_non_null(strstr(staff, "event: poll.close\n"));
    for (int i = 0; i < n; i++) {
        char *text = stream_check(&sts[i], closed);
        assert_string_equal(text, i < MANY ? board : staff);
        ys_free(text);
        close(sts[i].fd);
        ys_free(sts[i].text);
    }
    assert_true(0 <= api_wait_streams(&srv, 0, 30));
    close(ep);
    ys_free(board);
    ys_free(staff);
    ys_free(sts);
    ys_free(chair);
    ys_free(sec);
    ys_free(del);
}

/* ---- the stall ---- */

static void stalled_streams_do_not_stall_the_hall(void **state)
{
    (void)state;
    static const char req[] = "GET /api/stream/public?after=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    char *chair = api_login_staff(&srv, "chair", "demo-chair");
    char *del = api_login_delegate(&srv, "140100005", "135792");
    int poll = api_open_poll(&srv, chair, "{\"title\":\"关于停滞连接的测试\"}"), fds[STALLED];
    char path[64];
    raise_fd_limit();
    long before = rss_kib();
    for (int i = 0; i < STALLED; i++)
        fds[i] = dial_from(&srv, "127.0.0.1", req);
    assert_true(0 <= api_wait_streams(&srv, STALLED, 60));
    sleep(1); /* what each would have been sent by now is sent, or waits */
    long after = rss_kib();
    double health = timed_health();
    snprintf(path, sizeof path, "/api/polls/%d/votes", poll);
    double t0 = api_now();
    api_resp r = api_call(&srv, "POST", path, del, "{\"choice\":\"yes\"}");
    double vote = api_now() - t0;
    api_expect(r, 201, NULL);
    api_free(&r);
    print_message("%d stalled streams from after=0: RSS %ld → %ld MiB, health %.3f s, a vote %.3f s\n", STALLED,
                  before / 1024, after / 1024, health, vote);
    /* Generous bounds for a loaded machine; the stall this guards against took 36 s and a gigabyte. */
    assert_true(health < 2.0);
    assert_true(vote < 2.0);
    assert_true(after - before < 200 * 1024);
    for (int i = 0; i < STALLED; i++)
        close(fds[i]);
    assert_true(0 <= api_wait_streams(&srv, 0, 30));
    ys_free(chair);
    ys_free(del);
}

/* ---- a stream too slow to keep up ---- */

static long long frame_id_after(const char *text, long long after)
{
    long long last = after;
    for (const char *p = text; (p = strstr(p, "id: ")); p += 4)
        last = atoll(p + 4);
    return last;
}

static void slow_stream_is_cut_and_resumes(void **state)
{
    (void)state;
    static const char req[] = "GET /api/stream/public HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    char *sec = api_login_staff(&srv, "secretariat", "demo-secretariat");
    api_resp ds = api_call(&srv, "GET", "/api/delegates", NULL, NULL);
    api_expect(ds, 200, NULL);
    json_t *list = json_is_array(ds.json) ? ds.json : json_object_get(ds.json, "delegates");
    long long start = api_seq(&srv);
    int fd = dial_from(&srv, "127.0.0.1", req);
    assert_true(0 <= api_wait_streams(&srv, 1, 10));
    /* One batch, one flush each: far more than a client that reads nothing may have waiting. */
    for (size_t i = 0; i < json_array_size(list); i++) {
        const char *code = json_string_value(json_object_get(json_array_get(list, i), "code"));
        char body[128];
        snprintf(body, sizeof body, "{\"delegate\":\"%s\",\"reason\":\"因公\"}", code);
        api_resp r = api_call(&srv, "POST", "/api/meetings/6/leave", sec, body);
        if (r.status != 201 && r.status != 409)
            fail_msg("leave: %ld %s", r.status, r.body);
        api_free(&r);
        snprintf(body, sizeof body, "{\"delegate\":\"%s\"}", code);
        r = api_call(&srv, "POST", "/api/meetings/6/checkin", sec, body);
        if (r.status != 201 && r.status != 409)
            fail_msg("checkin: %ld %s", r.status, r.body);
        api_free(&r);
    }
    long long end = api_seq(&srv);
    assert_true(end - start > 200);
    /* Cut long before the kernel would give up on it (two heartbeats: 30 s here). */
    assert_true(0 <= api_wait_streams(&srv, 0, 5));
    close(fd);
    /* What it missed comes back whole on resuming, from the ring and the file. */
    char *text = api_read_stream(&srv, "/api/stream/public", NULL, start, (int)(end - start));
    assert_int_equal(api_count_ids(text), end - start);
    assert_int_equal(frame_id_after(text, start), end);
    ys_free(text);
    api_free(&ds);
    ys_free(sec);
}

/* ---- a stream that stops reading a while ---- */

#define PAUSED_SPEECHES 6  /* speeches summed up while the client reads nothing, then 2 more */
#define SUMMARY 19000      /* bytes of each summary: six outgrow both sockets' buffers and the reader's */

static void speech(const char *sec, const char *chair, const char *code, const char *summary, char *body)
{
    snprintf(body, SUMMARY + 64, "{\"delegate\":\"%s\"}", code);
    api_post_expect(&srv, "/api/meetings/6/speakers", sec, body, 201, NULL);
    api_post_expect(&srv, "/api/meetings/6/speakers/next", chair, NULL, 201, NULL);
    snprintf(body, SUMMARY + 64, "{\"summary\":\"%s\"}", summary);
    api_post_expect(&srv, "/api/meetings/6/speakers/end", chair, body, 201, NULL);
}

/* Reads the stream until it has event `id` whole. */
static void read_until(raw_stream *st, long long id)
{
    int ep = epoll_create1(0);
    struct epoll_event e = {.events = EPOLLIN};
    assert_int_equal(epoll_ctl(ep, EPOLL_CTL_ADD, st->fd, &e), 0);
    assert_int_equal(wait_all(st, 1, ep, id, 20), 1);
    close(ep);
}

/* A staff stream whose client reads nothing while more comes than its socket and the server's reader
 * hold (the rest waits in the hub, handed back to libmicrohttpd) misses nothing: every event after it
 * opened comes once, in order, whole, and so does what comes once it reads again. */
static void paused_stream_misses_nothing(void **state)
{
    (void)state;
    char *sec = api_login_staff(&srv, "secretariat", "demo-secretariat"), *req = stream_request("/api/stream", sec);
    char *chair = api_login_staff(&srv, "chair", "demo-chair");
    char *body = ys_malloc(SUMMARY + 64), *summary = ys_malloc(SUMMARY + 1), code[16];
    raw_stream st[1];
    assert_non_null(body);
    assert_non_null(summary);
    memset(summary, 's', SUMMARY);
    summary[SUMMARY] = '\0';
    long long start = api_seq(&srv);
    stream_init(st, dial_buf(&srv, "127.0.0.1", req, 4096), (PAUSED_SPEECHES + 3) * (SUMMARY + 1024));
    for (double t0 = api_now(); !st->body && api_now() - t0 < 10; nanosleep(&(struct timespec){0, 10000000}, NULL))
        assert_true(stream_take(st)); /* its head and greeting: attached */
    assert_non_null(st->body);
    for (int i = 0; i < PAUSED_SPEECHES + 2; i++) {
        snprintf(code, sizeof code, "1401000%02d", 20 + i);
        speech(sec, chair, code, summary, body);
        if (i + 1 == PAUSED_SPEECHES) { /* the pause ends; had the stream been cut, its socket would end */
            read_until(st, api_seq(&srv));
            assert_true(st->len > PAUSED_SPEECHES * SUMMARY); /* more than the buffers on the way hold */
        }
    }
    long long end = api_seq(&srv);
    read_until(st, end);
    char *events = stream_check(st, end);
    assert_int_equal(api_count_ids(events), end - start);
    close(st->fd);
    ys_free(events);
    ys_free(st->text);
    ys_free(body);
    ys_free(summary);
    ys_free(req);
    ys_free(chair);
    ys_free(sec);
}

/* ---- limits on connections ---- */

/* A kept-alive connection from `from` that has had one answer. */
static int answered(const api_server *s, const char *from)
{
    char buf[1024];
    int fd = dial_from(s, from, "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    ssize_t k = recv(fd, buf, sizeof buf - 1, 0);
    assert_true(k > 0);
    buf[k] = '\0';
    if (!strstr(buf, "HTTP/1.1 200"))
        fail_msg("a connection from %s was answered: %s", from, buf);
    return fd;
}

/* answered(), once the server has room: a 503 server_full is tried again for up to 5 s. */
static int answered_once_room(const api_server *s, const char *from)
{
    char buf[1024];
    for (double t0 = api_now(); api_now() - t0 < 5; nanosleep(&(struct timespec){0, 50000000}, NULL)) {
        int fd = dial_from(s, from, "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        ssize_t k = recv(fd, buf, sizeof buf - 1, 0);
        assert_true(k > 0);
        buf[k] = '\0';
        if (strstr(buf, "HTTP/1.1 200"))
            return fd;
        close(fd);
        if (!strstr(buf, "server_full"))
            fail_msg("a connection from %s was answered: %s", from, buf);
    }
    fail_msg("a connection from %s found the server full for 5 s", from);
    return -1;
}

static void connections_limited_per_address_and_in_all(void **state)
{
    (void)state;
    static const char *const extra[] = {"--max-per-address", "40", "--max-connections", "60", NULL};
    api_server lim;
    int fds[60];
    api_make_demo(&lim);
    api_start(&lim, extra);
    for (int i = 0; i < 40; i++) /* each answered, so that the server has surely counted it */
        fds[i] = answered(&lim, "127.0.0.1");
    api_resp r = api_call_from(&lim, "127.0.0.1", "GET", "/api/health", NULL, NULL, NULL);
    api_expect(r, 429, "too_many_connections");
    assert_non_null(strstr(api_str(&r, "message"), "--max-per-address"));
    api_free(&r);
    r = api_call_from(&lim, "127.0.0.2", "GET", "/api/health", NULL, NULL, NULL); /* another address */
    api_expect(r, 200, NULL);
    api_free(&r);
    /* the connection from 127.0.0.2 is counted until the server has seen it close: until then the last of
     * these may find the server full, and is tried again */
    for (int i = 40; i < 60; i++)
        fds[i] = answered_once_room(&lim, "127.0.0.3");
    r = api_call_from(&lim, "127.0.0.4", "GET", "/api/health", NULL, NULL, NULL);
    api_expect(r, 503, "server_full");
    api_free(&r);
    for (int i = 0; i < 60; i++)
        close(fds[i]);
    bool freed = false;
    for (double t0 = api_now(); !freed && api_now() - t0 < 10; nanosleep(&(struct timespec){0, 50000000}, NULL)) {
        r = api_call_from(&lim, "127.0.0.1", "GET", "/api/health", NULL, NULL, NULL);
        freed = r.status == 200;
        api_free(&r);
    }
    assert_true(freed);
    assert_int_equal(api_stop(&lim, SIGTERM), 0);
    api_cleanup(&lim);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s YISHI\n", argv[0]);
        return 2;
    }
    api_yishi = argv[1];
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(many_streams_each_get_every_event),
        cmocka_unit_test(stalled_streams_do_not_stall_the_hall),
        cmocka_unit_test(slow_stream_is_cut_and_resumes),
        cmocka_unit_test(connections_limited_per_address_and_in_all),
        cmocka_unit_test(paused_stream_misses_nothing),
    };
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return failed;
}
