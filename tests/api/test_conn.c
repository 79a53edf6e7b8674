/* test_conn.c — connections that would wear the server down: live streams whose client hung up, half-closed
 * or stopped reading are dropped within a few heartbeats, a client that sends a request a byte at a time,
 * just often enough to dodge the idle timeout, is cut off at the request deadline, and a burst is served. */
#include "apitest.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#define HEARTBEAT "1"      /* seconds: streams are checked every second */
#define REQUEST_LIMIT 2    /* seconds to send a whole request (--request-timeout below) */

static api_server srv;

static int setup(void **state)
{
    /* The idle timeout stays long, so that whatever drops a client here is not the idle timeout. */
    static const char *const extra[] = {"--heartbeat", HEARTBEAT, "--idle-timeout", "60", "--request-timeout", "2",
                                        NULL};
    (void)state;
    api_make_demo(&srv);
    api_start(&srv, extra);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    assert_int_equal(api_stop(&srv, SIGTERM), 0);
    api_cleanup(&srv);
    return 0;
}

/* ---- raw sockets: a client that misbehaves the way curl never would ---- */

static int dial_port(int port, int rcvbuf)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    if (rcvbuf) /* before connect, so that the window it offers is small from the start */
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    struct timeval tv = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

static int dial(int rcvbuf)
{
    return dial_port(srv.port, rcvbuf);
}

/* Opens the public stream and reads its response head. */
static int open_stream(int rcvbuf)
{
    static const char req[] = "GET /api/stream/public HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    char buf[2048];
    size_t n = 0;
    int fd = dial(rcvbuf);
    assert_int_equal(send(fd, req, sizeof req - 1, MSG_NOSIGNAL), (ssize_t)(sizeof req - 1));
    while (n < sizeof buf - 1) {
        ssize_t k = recv(fd, buf + n, sizeof buf - 1 - n, 0);
        assert_true(k > 0);
        n += (size_t)k;
        buf[n] = '\0';
        if (strstr(buf, "\r\n\r\n"))
            break;
    }
    assert_non_null(strstr(buf, "HTTP/1.1 200"));
    assert_non_null(strstr(buf, "text/event-stream"));
    return fd;
}

/* ---- dead stream clients ---- */

/* A board whose machine was switched off: its socket is gone, the server's next write fails. */
static void stream_client_gone(void **state)
{
    (void)state;
    int fd = open_stream(0);
    assert_true(api_wait_streams(&srv, 1, 5) >= 0);
    close(fd);
    double t = api_wait_streams(&srv, 0, 10);
    print_message("a closed stream was dropped after %.1f s\n", t);
    assert_true(t >= 0 && t < 5);
}

/* A client that half-closes still has a socket that takes the heartbeats; the heartbeat sees it hung up. */
static void stream_client_half_closed(void **state)
{
    (void)state;
    int fd = open_stream(0);
    assert_true(api_wait_streams(&srv, 1, 5) >= 0);
    shutdown(fd, SHUT_WR);
    double t = api_wait_streams(&srv, 0, 10);
    print_message("a half-closed stream was dropped after %.1f s\n", t);
    assert_true(t >= 0 && t < 5);
    close(fd);
}

/* A client that stops reading but keeps its connection: once its window is full, the server's data waits
 * unsent, and after two heartbeats the kernel gives up on it. The idle timeout (60 s) plays no part. */
static void stream_client_stops_reading(void **state)
{
    (void)state;
    char *sec = api_login_staff(&srv, "secretariat", "demo-secretariat");
    int fd = open_stream(1024);
    assert_true(api_wait_streams(&srv, 1, 5) >= 0);
    /* Forty public events of half a kilobyte each: more than the small window and the kernel take. */
    for (int i = 0; i < 40; i++) {
        api_resp r = api_call(&srv, "POST", "/api/polls", sec,
                              "{\"title\":\"关于一项很长的决议草案的表决，标题写满一百个字符以便填满一个不再读取的客户端的接收窗口而不必等待很久"
                              "，这是为了测试服务器能否发现已经停止读取的实时数据流客户端并且断开它\"}");
        api_expect(r, 201, NULL);
        api_free(&r);
    }
    double t = api_wait_streams(&srv, 0, 15);
    print_message("a stream that stopped reading was dropped after %.1f s\n", t);
    assert_true(t >= 0 && t < 10);
    close(fd);
    ys_free(sec);
}

/* A stream that keeps reading lives past the request deadline: the deadline is for receiving requests. */
static void stream_outlives_request_limit(void **state)
{
    (void)state;
    char buf[4096];
    int fd = open_stream(0);
    double t0 = api_now();
    int heartbeats = 0;
    while (api_now() - t0 < REQUEST_LIMIT + 2) {
        ssize_t k = recv(fd, buf, sizeof buf - 1, 0);
        assert_true(k > 0);
        buf[k] = '\0';
        for (const char *p = buf; (p = strstr(p, ": heartbeat")); p++)
            heartbeats++;
    }
    assert_true(heartbeats >= REQUEST_LIMIT);
    assert_int_equal(api_streams(&srv), 1);
    close(fd);
    assert_true(api_wait_streams(&srv, 0, 10) >= 0);
}

/* ---- slow clients ---- */

/* Sends `text` a byte every 300 ms (the idle timeout is 60 s) and returns the seconds until the server
 * cut the connection, or -1 if it took the whole request. */
static double dribble(const char *head, const char *text)
{
    int fd = dial(0);
    double t0 = api_now(), cut = -1;
    assert_int_equal(send(fd, head, strlen(head), MSG_NOSIGNAL), (ssize_t)strlen(head));
    for (const char *p = text; *p && cut < 0; p++) {
        nanosleep(&(struct timespec){0, 300 * 1000 * 1000}, NULL);
        char c;
        /* Cut: the socket reads as closed (or reset), or the byte cannot be sent. */
        ssize_t k = recv(fd, &c, 1, MSG_DONTWAIT);
        if (k == 0 || (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK) || send(fd, p, 1, MSG_NOSIGNAL) != 1)
            cut = api_now() - t0;
    }
    close(fd);
    return cut;
}

static void slow_headers_cut(void **state)
{
    (void)state;
    char pad[64];
    memset(pad, 'a', sizeof pad - 1);
    pad[sizeof pad - 1] = '\0';
    char text[256];
    snprintf(text, sizeof text, "Host: 127.0.0.1\r\nX-Slow: %s\r\n\r\n", pad);
    double t = dribble("GET /api/status HTTP/1.1\r\n", text);
    print_message("headers a byte at a time: cut after %.1f s\n", t);
    assert_true(t >= REQUEST_LIMIT - 0.5 && t < REQUEST_LIMIT + 2);
}

static void slow_body_cut(void **state)
{
    (void)state;
    char body[128];
    memset(body, ' ', sizeof body - 1);
    body[sizeof body - 1] = '\0';
    double t = dribble("POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                       "Content-Length: 127\r\n\r\n",
                       body);
    print_message("a body a byte at a time: cut after %.1f s\n", t);
    assert_true(t >= REQUEST_LIMIT - 0.5 && t < REQUEST_LIMIT + 2);
    /* The server still answers everyone else. */
    api_resp r = api_call(&srv, "GET", "/api/status", NULL, NULL);
    api_expect(r, 200, NULL);
    api_free(&r);
}

/* A kept-alive connection gets the full limit again for each request it sends. */
static void keepalive_requests_each_get_the_limit(void **state)
{
    (void)state;
    static const char req[] = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    char buf[2048];
    int fd = dial(0);
    for (int i = 0; i < 3; i++) {
        nanosleep(&(struct timespec){1, 0}, NULL); /* three requests, 3 s in all: more than the limit */
        assert_int_equal(send(fd, req, sizeof req - 1, MSG_NOSIGNAL), (ssize_t)(sizeof req - 1));
        ssize_t k = recv(fd, buf, sizeof buf - 1, 0);
        assert_true(k > 0);
        buf[k] = '\0';
        assert_non_null(strstr(buf, "HTTP/1.1 200"));
    }
    close(fd);
}

/* ---- a burst on one HTTP thread ---- */

static const char health[] = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

/* Reads one whole answer (head and Content-Length body) of a kept-alive connection; its status. */
static int read_answer(int fd)
{
    char buf[4096];
    size_t n = 0, want = 0;
    while (!want || n < want) {
        ssize_t k = recv(fd, buf + n, sizeof buf - 1 - n, 0);
        assert_true(k > 0);
        n += (size_t)k;
        buf[n] = '\0';
        const char *end = strstr(buf, "\r\n\r\n"), *cl = strstr(buf, "Content-Length: ");
        if (end && !want) {
            assert_non_null(cl);
            want = (size_t)(end + 4 - buf) + strtoul(cl + 16, NULL, 10);
        }
    }
    return atoi(buf + 9);
}

/* Sends a request on each of n kept-alive connections while the server is stopped, so that they are all
 * ready at once when it goes on; returns how many were answered within `max` seconds. */
static int burst_while_stopped(const api_server *s, const int *fd, int n, double max)
{
    struct pollfd p[512];
    int answered = 0;
    kill(s->pid, SIGSTOP);
    for (int i = 0; i < n; i++) {
        assert_int_equal(send(fd[i], health, sizeof health - 1, MSG_NOSIGNAL), (ssize_t)(sizeof health - 1));
        p[i] = (struct pollfd){.fd = fd[i], .events = POLLIN};
    }
    nanosleep(&(struct timespec){0, 200 * 1000 * 1000}, NULL);
    kill(s->pid, SIGCONT);
    for (double t0 = api_now(); answered < n && api_now() - t0 < max;) {
        if (poll(p, (nfds_t)n, 100) <= 0)
            continue;
        for (int i = 0; i < n; i++)
            if (p[i].revents) {
                assert_int_equal(read_answer(fd[i]), 200);
                p[i].fd = -1; /* answered: poll skips it */
                answered++;
            }
    }
    return answered;
}

/* libmicrohttpd's own threads (0.9.75, as Debian ships it) lose a burst: when one epoll_wait hands a thread
 * exactly its 128 events, it waits again, with the time left to the nearest idle timeout, before it serves
 * any of them. 256, 384 or 512 requests ready on one thread's kept-alive connections stayed unanswered for
 * half a minute, until the request deadline cut them — as 256 votes were after a restart of the hall. */
static void a_burst_on_one_thread_is_answered(void **state)
{
    static const char *const extra[] = {"--threads", "1", NULL};
    static const int sizes[] = {256, 384, 512};
    api_server one = {0};
    int fd[512];
    (void)state;
    api_make_demo(&one);
    api_start(&one, extra);
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        int n = sizes[k];
        for (int i = 0; i < n; i++) { /* each connection accepted and answered once: idle, kept alive */
            fd[i] = dial_port(one.port, 0);
            assert_int_equal(send(fd[i], health, sizeof health - 1, MSG_NOSIGNAL), (ssize_t)(sizeof health - 1));
            assert_int_equal(read_answer(fd[i]), 200);
        }
        int answered = burst_while_stopped(&one, fd, n, 5);
        print_message("%d requests ready at once on one thread: %d answered within 5 s\n", n, answered);
        assert_int_equal(answered, n);
        for (int i = 0; i < n; i++)
            close(fd[i]);
    }
    assert_int_equal(api_stop(&one, SIGTERM), 0);
    api_cleanup(&one);
}

/* ---- a request the server reads only after its deadline ---- */

/* Reads what a connection answers within 5 s: its status, or 0 if it was closed (or reset) unanswered. */
static int answer_or_closed(int fd)
{
    char buf[4096];
    size_t n = 0;
    for (;;) {
        ssize_t k = recv(fd, buf + n, sizeof buf - 1 - n, 0);
        if (k <= 0)
            return n >= 12 ? atoi(buf + 9) : 0;
        n += (size_t)k;
        buf[n] = '\0';
        if (strstr(buf, "\r\n\r\n"))
            return atoi(buf + 9);
    }
}

/* The server is stopped past its request deadline while commands wait in its sockets' buffers: when it goes
 * on, its reaper and its HTTP threads race for them. Whichever wins, a command is acted on if and only if
 * it is answered: a ballot cast on a connection already cut would be counted with no receipt, and found
 * "already voted" when the terminal sends it again. */
static void a_command_read_after_its_deadline_is_answered_or_not_done(void **state)
{
    enum { N = 24 };
    int fd[N], status[N], answered = 0;
    char req[512], body[64];
    (void)state;
    char *sec = api_login_staff(&srv, "secretariat", "demo-secretariat");
    api_resp att = api_call(&srv, "GET", "/api/meetings/6/attendance", sec, NULL);
    api_expect(att, 200, NULL);
    const json_t *ds = json_object_get(att.json, "delegates");
    assert_true(json_array_size(ds) >= N);
    for (int i = 0; i < N; i++) { /* kept alive after one answer: the deadline runs from that answer on */
        fd[i] = dial(0);
        assert_int_equal(send(fd[i], health, sizeof health - 1, MSG_NOSIGNAL), (ssize_t)(sizeof health - 1));
        assert_int_equal(read_answer(fd[i]), 200);
    }
    long long seq0 = api_seq(&srv);
    kill(srv.pid, SIGSTOP);
    for (int i = 0; i < N; i++) {
        int blen = snprintf(body, sizeof body, "{\"delegate\":\"%s\"}",
                            json_string_value(json_object_get(json_array_get(ds, (size_t)i), "code")));
        int len = snprintf(req, sizeof req,
                           "POST /api/meetings/6/speakers HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                           "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
                           sec, blen, body);
        assert_int_equal(send(fd[i], req, (size_t)len, MSG_NOSIGNAL), len);
    }
    nanosleep(&(struct timespec){REQUEST_LIMIT, 500 * 1000 * 1000}, NULL);
    kill(srv.pid, SIGCONT);
    for (int i = 0; i < N; i++) {
        status[i] = answer_or_closed(fd[i]);
        answered += status[i] == 201;
        assert_true(status[i] == 201 || status[i] == 0);
        close(fd[i]);
    }
    long long done = api_seq(&srv) - seq0;
    print_message("%d commands read after their deadline: %d answered, %lld done\n", N, answered, done);
    assert_int_equal(done, answered);
    api_free(&att);
    ys_free(sec);
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
        cmocka_unit_test(stream_client_gone),          cmocka_unit_test(stream_client_half_closed),
        cmocka_unit_test(stream_client_stops_reading), cmocka_unit_test(stream_outlives_request_limit),
        cmocka_unit_test(slow_headers_cut),            cmocka_unit_test(slow_body_cut),
        cmocka_unit_test(keepalive_requests_each_get_the_limit), cmocka_unit_test(a_burst_on_one_thread_is_answered),
        cmocka_unit_test(a_command_read_after_its_deadline_is_answered_or_not_done),
    };
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return failed;
}
