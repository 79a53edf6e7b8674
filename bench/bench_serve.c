/* bench_serve.c — the session server under a hall's load: N boards on the public stream, 533 delegates
 * logging in, checking in and voting at once (libcurl multi), timed per request and per stream frame. */
#include "yishi/alloc.h"

#include <curl/curl.h>
#include <jansson.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define VOTERS 533        /* the demo's plenary: 533 of 549 present */
#define MAX_SEQS 8192     /* events followed on the streams after the start */

static const char *yishi;
static char base[64];
static int port;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_serve: %s\n", what);
    exit(1);
}

/* ---- the server ---- */

static pid_t start_server(const char *file, const char *threads)
{
    int out[2];
    char line[512];
    if (pipe(out) != 0)
        die("pipe");
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        execl(yishi, yishi, "serve", "-f", file, "--listen", "127.0.0.1:0", "--threads", threads, (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    FILE *f = fdopen(out[0], "r");
    while (!port && fgets(line, sizeof line, f)) {
        const char *p = strstr(line, "listening on http://127.0.0.1:");
        if (p)
            port = atoi(p + strlen("listening on http://127.0.0.1:"));
    }
    fclose(f);
    if (!port)
        die("the server did not start");
    snprintf(base, sizeof base, "http://127.0.0.1:%d", port);
    return pid;
}

/* ---- many requests at once (libcurl multi) ---- */

typedef struct req {
    char url[128], body[160], auth[128];
    long status;
    long long seq;        /* the receipt's event, for a vote */
    char *resp;
    size_t len;
    double done;          /* seconds after the burst began */
    struct curl_slist *headers;
} req;

static size_t collect(char *d, size_t s, size_t n, void *ud)
{
    req *r = ud;
    char *p = ys_realloc(r->resp, r->len + s * n + 1);
    if (!p)
        return 0;
    memcpy(p + r->len, d, s * n);
    r->resp = p;
    r->len += s * n;
    r->resp[r->len] = '\0';
    return s * n;
}

static CURL *easy_for(req *r)
{
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, r->url);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, r->body);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_PRIVATE, r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
    r->headers = curl_slist_append(NULL, "Content-Type: application/json");
    r->headers = curl_slist_append(r->headers, "Expect:");
    if (r->auth[0])
        r->headers = curl_slist_append(r->headers, r->auth);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, r->headers);
    return c;
}

/* Sends every request at once, each on its own connection, and returns the seconds until the last answer. */
static double burst(req *rs, int n)
{
    CURLM *m = curl_multi_init();
    int running = 0;
    curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, 0L);
    for (int i = 0; i < n; i++)
        curl_multi_add_handle(m, easy_for(&rs[i]));
    double t0 = now();
    do {
        CURLMsg *msg;
        int left;
        curl_multi_perform(m, &running);
        while ((msg = curl_multi_info_read(m, &left))) {
            req *r;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
            curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &r->status);
            r->done = now() - t0;
            curl_multi_remove_handle(m, msg->easy_handle);
            curl_easy_cleanup(msg->easy_handle);
            curl_slist_free_all(r->headers);
        }
        if (running)
            curl_multi_poll(m, NULL, 0, 100, NULL);
    } while (running);
    curl_multi_cleanup(m);
    return now() - t0;
}

static json_t *call(const char *method, const char *path, const char *token, const char *body)
{
    req r = {0};
    snprintf(r.url, sizeof r.url, "%s%s", base, path);
    snprintf(r.body, sizeof r.body, "%s", body ? body : "");
    if (token)
        snprintf(r.auth, sizeof r.auth, "Authorization: Bearer %s", token);
    CURL *c = easy_for(&r);
    if (!body)
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    else
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_perform(c);
    curl_easy_cleanup(c);
    curl_slist_free_all(r.headers);
    json_t *j = json_loads(r.resp ? r.resp : "", 0, NULL);
    ys_free(r.resp);
    if (!j)
        die(path);
    return j;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* p50, p99 and max of `n` figures (sorted in place), in milliseconds. */
static void print_spread(const char *what, double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    printf("%-34s p50 %7.1f ms   p99 %7.1f ms   max %7.1f ms   (%zu)\n", what, v[n / 2] * 1e3,
           v[n * 99 / 100] * 1e3, v[n - 1] * 1e3, n);
}

/* Runs one burst and prints its rate and latencies; every request must get `want`. */
static void timed_burst(const char *what, req *rs, int n, long want)
{
    double *lat = ys_malloc(sizeof *lat * (size_t)n);
    double total = burst(rs, n);
    for (int i = 0; i < n; i++) {
        if (rs[i].status != want) {
            fprintf(stderr, "%s: %ld %s\n", what, rs[i].status, rs[i].resp ? rs[i].resp : "");
            die("a request of the burst failed");
        }
        lat[i] = rs[i].done;
    }
    printf("%-10s %d at once: %.3f s, %.0f/s\n", what, n, total, n / total);
    print_spread("           latency", lat, (size_t)n);
    ys_free(lat);
}

/* ---- the streams ---- */

typedef struct board {
    int fd;
    char line[256];
    size_t len;
} board;

static board *boards;
static int n_boards;
static long long first_seq;               /* streams record events after this */
static double *arrival;                   /* [board][seq - first_seq - 1], 0 until it came */
static volatile long long last_wanted;    /* the reader stops once every board has it */
static volatile bool reader_stop;

static int open_board(void)
{
    static const char get[] = "GET /api/stream/public HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0 || send(fd, get, sizeof get - 1, 0) < 0)
        die("cannot open a stream (ulimit -n?)");
    fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

/* One line of a stream: "id: SEQ" marks an event's arrival. */
static void board_line(int b, const char *line, double t)
{
    if (strncmp(line, "id: ", 4) != 0)
        return;
    long long seq = atoll(line + 4);
    if (seq > first_seq && seq - first_seq <= MAX_SEQS && arrival[(size_t)b * MAX_SEQS + (size_t)(seq - first_seq - 1)] == 0)
        arrival[(size_t)b * MAX_SEQS + (size_t)(seq - first_seq - 1)] = t;
}

static void board_read(int b, double t)
{
    char buf[65536];
    ssize_t k;
    board *s = &boards[b];
    while ((k = recv(s->fd, buf, sizeof buf, 0)) > 0)
        for (ssize_t i = 0; i < k; i++) {
            if (buf[i] == '\n') {
                s->line[s->len] = '\0';
                board_line(b, s->line, t);
                s->len = 0;
            } else if (s->len < sizeof s->line - 1) {
                s->line[s->len++] = buf[i];
            }
        }
}

static bool all_have(long long seq)
{
    for (int b = 0; b < n_boards; b++)
        if (arrival[(size_t)b * MAX_SEQS + (size_t)(seq - first_seq - 1)] == 0)
            return false;
    return true;
}

static void *reader_main(void *ud)
{
    int ep = epoll_create1(0);
    struct epoll_event evs[256];
    (void)ud;
    for (int b = 0; b < n_boards; b++) {
        struct epoll_event e = {.events = EPOLLIN, .data.u32 = (uint32_t)b};
        epoll_ctl(ep, EPOLL_CTL_ADD, boards[b].fd, &e);
    }
    while (!reader_stop) {
        int n = epoll_wait(ep, evs, 256, 100);
        double t = now();
        for (int i = 0; i < n; i++)
            board_read((int)evs[i].data.u32, t);
        if (last_wanted > first_seq && all_have(last_wanted))
            break;
    }
    close(ep);
    return NULL;
}

/* Per-stream arrivals of event `seq` after `ref` (a time; or, when ref < 0, the first board's arrival),
 * into v; returns how many. */
static size_t delays(long long seq, double ref, double *v)
{
    size_t n = 0;
    double first = 0;
    for (int b = 0; b < n_boards; b++) {
        double t = arrival[(size_t)b * MAX_SEQS + (size_t)(seq - first_seq - 1)];
        if (t > 0 && (first == 0 || t < first))
            first = t;
    }
    for (int b = 0; b < n_boards; b++) {
        double t = arrival[(size_t)b * MAX_SEQS + (size_t)(seq - first_seq - 1)];
        if (t > 0)
            v[n++] = t - (ref < 0 ? first : ref);
    }
    return n;
}

/* ---- the plenary ---- */

static char codes[VOTERS][32];
static char *tokens[VOTERS];

static void load_codes(void)
{
    json_t *j = call("GET", "/api/delegates", NULL, NULL), *a = json_object_get(j, "delegates");
    if (json_array_size(a) < VOTERS)
        die("the demo has fewer delegates than voters");
    for (int i = 0; i < VOTERS; i++)
        snprintf(codes[i], sizeof codes[i], "%s", json_string_value(json_object_get(json_array_get(a, i), "code")));
    json_decref(j);
}

static char *login(const char *body)
{
    json_t *j = call("POST", "/api/login", NULL, body);
    const char *t = json_string_value(json_object_get(j, "token"));
    if (!t)
        die("login refused");
    char *s = ys_strdup(t);
    json_decref(j);
    return s;
}

static long long id_of(json_t *answer)
{
    json_t *ev = json_array_get(json_object_get(answer, "events"), 0);
    return json_integer_value(json_object_get(json_object_get(ev, "payload"), "id"));
}

static req *requests(const char *path, const char *body, bool with_token)
{
    req *rs = ys_calloc(VOTERS, sizeof *rs);
    for (int i = 0; i < VOTERS; i++) {
        snprintf(rs[i].url, sizeof rs[i].url, "%s%s", base, path);
        if (with_token)
            snprintf(rs[i].auth, sizeof rs[i].auth, "Authorization: Bearer %s", tokens[i]);
        if (body)
            snprintf(rs[i].body, sizeof rs[i].body, "%s", body);
        else
            snprintf(rs[i].body, sizeof rs[i].body, "{\"code\":\"DEMO%012lld\",\"pin\":\"202401\"}", atoll(codes[i]));
    }
    return rs;
}

static void free_requests(req *rs)
{
    for (int i = 0; i < VOTERS; i++)
        ys_free(rs[i].resp);
    ys_free(rs);
}

/* 533 logins, then a new plenary to which all 533 check themselves in. Returns the meeting's id. */
static long long arrive(const char *chair)
{
    req *rs = requests("/api/login", NULL, false);
    timed_burst("logins", rs, VOTERS, 200);
    for (int i = 0; i < VOTERS; i++) {
        json_t *j = json_loads(rs[i].resp, 0, NULL);
        tokens[i] = ys_strdup(json_string_value(json_object_get(j, "token")));
        json_decref(j);
    }
    free_requests(rs);
    json_decref(call("POST", "/api/meetings/6/close", chair, ""));
    json_t *m = call("POST", "/api/meetings", chair, "{\"kind\":\"plenary\",\"title\":\"第四次全体会议\"}");
    long long meeting = id_of(m);
    json_decref(m);
    char path[64];
    snprintf(path, sizeof path, "/api/meetings/%lld/checkin", meeting);
    rs = requests(path, "{}", true);
    timed_burst("check-ins", rs, VOTERS, 201);
    free_requests(rs);
    return meeting;
}

/* Opens a poll, and reports how long its poll.open event took to reach every board. */
static long long open_poll(const char *chair, double *v)
{
    json_t *p = call("POST", "/api/polls", chair, "{\"title\":\"关于政府工作报告的决议（草案）\"}");
    long long poll = id_of(p);
    char path[64];
    json_decref(p);
    snprintf(path, sizeof path, "/api/polls/%lld/open", poll);
    double sent = now();
    json_t *o = call("POST", path, chair, "");
    long long seq = json_integer_value(json_object_get(o, "seq"));
    json_decref(o);
    for (double t0 = now(); now() - t0 < 10 && !all_have(seq);)
        usleep(10000);
    /* The commit happens between the request and its answer; the writer publishes to the streams before
     * it answers, so "after the request" bounds commit-to-board from above. */
    print_spread("poll.open on the boards, after POST", v, delays(seq, sent, v));
    print_spread("  after the first board had it", v, delays(seq, -1, v));
    return poll;
}

/* The burst of votes; then how long each vote's turnout event took to reach the boards after its 201. */
static void vote(long long poll, double *v)
{
    char path[64];
    snprintf(path, sizeof path, "/api/polls/%lld/votes", poll);
    req *rs = requests(path, "{\"choice\":\"yes\"}", true);
    double t0 = now();
    timed_burst("votes", rs, VOTERS, 201);
    long long max_seq = 0;
    size_t n = 0;
    for (int i = 0; i < VOTERS; i++) {
        json_t *j = json_loads(rs[i].resp, 0, NULL);
        long long seq = json_integer_value(json_object_get(j, "seq"));
        json_decref(j);
        max_seq = seq > max_seq ? seq : max_seq;
        rs[i].seq = seq;
    }
    last_wanted = max_seq;
    for (double w = now(); now() - w < 20 && !all_have(max_seq);)
        usleep(10000);
    for (int i = 0; i < VOTERS; i++)
        n += delays(rs[i].seq, t0 + rs[i].done, v + n);
    print_spread("each vote on the boards, after 201", v, n);
    n = 0;
    for (int i = 0; i < VOTERS; i++)
        n += delays(rs[i].seq, -1, v + n);
    print_spread("  after the first board had it", v, n);
    free_requests(rs);
}

static void raise_fd_limit(void)
{
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) == 0) {
        r.rlim_cur = r.rlim_max;
        setrlimit(RLIMIT_NOFILE, &r);
    }
}

static void run(const char *file)
{
    pthread_t reader;
    pid_t pid = start_server(file, "4");
    char *chair = login("{\"name\":\"chair\",\"password\":\"demo-chair\"}");
    double *v = ys_calloc((size_t)n_boards * VOTERS + 1, sizeof *v);
    load_codes();
    json_t *h = call("GET", "/api/health", NULL, NULL);
    first_seq = json_integer_value(json_object_get(h, "seq"));
    json_decref(h);
    arrival = ys_calloc((size_t)n_boards * MAX_SEQS, sizeof *arrival);
    boards = ys_calloc((size_t)n_boards, sizeof *boards);
    double t0 = now();
    for (int b = 0; b < n_boards; b++)
        boards[b].fd = open_board();
    pthread_create(&reader, NULL, reader_main, NULL);
    usleep(500000);
    h = call("GET", "/api/health", NULL, NULL);
    printf("streams    %lld public streams open (%.2f s to connect)\n",
           (long long)json_integer_value(json_object_get(h, "streams")), now() - t0);
    json_decref(h);
    arrive(chair);
    vote(open_poll(chair, v), v);
    reader_stop = true;
    pthread_join(reader, NULL);
    for (int b = 0; b < n_boards; b++)
        close(boards[b].fd);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    for (int i = 0; i < VOTERS; i++)
        ys_free(tokens[i]);
    ys_free(chair);
    ys_free(v);
    ys_free(arrival);
    ys_free(boards);
}

int main(int argc, char **argv)
{
    char file[512], cmd[1200];
    if (argc < 3) {
        fprintf(stderr, "usage: bench_serve YISHI TMPDIR [STREAMS]\n");
        return 2;
    }
    yishi = argv[1];
    n_boards = argc > 3 ? atoi(argv[3]) : 1000;
    raise_fd_limit();
    signal(SIGPIPE, SIG_IGN);
    snprintf(file, sizeof file, "%s/demo.db", argv[2]);
    snprintf(cmd, sizeof cmd, "'%s' demo -f '%s' >/dev/null", yishi, file);
    if (system(cmd) != 0)
        die("yishi demo failed");
    curl_global_init(CURL_GLOBAL_ALL);
    run(file);
    curl_global_cleanup();
    return 0;
}
