/* test_streams.c — live streams at the scale of a hall: many clients that ask for the whole log and never
 * read leave the server's memory bounded and health and votes prompt; a stream too slow to keep up is cut
 * and resumes by id with nothing missing; connections per address and in all are limited, with JSON. */
#include "apitest.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>

#define STALLED 1500       /* the clients of the stall: after=0, never reading */

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

/* A connection from loopback address `from` that sends `req` (NULL: nothing) and is never read. */
static int dial_from(const api_server *s, const char *from, const char *req)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
    struct sockaddr_in me = {.sin_family = AF_INET};
    int fd = socket(AF_INET, SOCK_STREAM, 0), small = 4096;
    assert_true(fd >= 0);
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small); /* a small window, as a stalled client's */
    inet_pton(AF_INET, from, &me.sin_addr);
    assert_int_equal(bind(fd, (struct sockaddr *)&me, sizeof me), 0);
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    if (req)
        assert_int_equal(send(fd, req, strlen(req), MSG_NOSIGNAL), (ssize_t)strlen(req));
    return fd;
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

/* ---- limits on connections ---- */

/* A kept-alive connection from `from` that has had one answer. */
static int answered(const api_server *s, const char *from)
{
    char buf[1024];
    int fd = dial_from(s, from, "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    ssize_t k = recv(fd, buf, sizeof buf - 1, 0);
    assert_true(k > 0);
    buf[k] = '\0';
    assert_non_null(strstr(buf, "HTTP/1.1 200"));
    return fd;
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
    for (int i = 40; i < 60; i++)
        fds[i] = answered(&lim, "127.0.0.3");
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
        cmocka_unit_test(stalled_streams_do_not_stall_the_hall),
        cmocka_unit_test(slow_stream_is_cut_and_resumes),
        cmocka_unit_test(connections_limited_per_address_and_in_all),
    };
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return failed;
}
