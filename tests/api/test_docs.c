/* test_docs.c — keeps docs/api.md true: every route of the table has a section there, and every example
 * request in it is sent, in order, to a fresh demo server, which must answer with the documented status. */
#include "apitest.h"

#include "server/server.h"

static api_server srv;
static const char *doc_path;

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

static void every_route_documented(void **state)
{
    (void)state;
    char *doc = read_all(doc_path);
    for (size_t i = 0; i < ys_srv_n_routes; i++) {
        char heading[256];
        snprintf(heading, sizeof heading, "\n### %s %s\n", ys_srv_routes[i].method, ys_srv_routes[i].pattern);
        if (!strstr(doc, heading))
            fail_msg("docs/api.md has no section '### %s %s'", ys_srv_routes[i].method, ys_srv_routes[i].pattern);
    }
    free(doc);
}

static const struct { const char *name, *login; } logins[] = {
    {"secretariat", "{\"name\":\"secretariat\",\"password\":\"demo-secretariat\"}"},
    {"chair", "{\"name\":\"chair\",\"password\":\"demo-chair\"}"},
    {"taiyuan", "{\"name\":\"taiyuan\",\"password\":\"demo-taiyuan\"}"},
    {"delegate", "{\"code\":\"DEMO-0001-4010-0001\",\"pin\":\"1234\"}"},
    {"delegate2", "{\"code\":\"DEMO-0001-4010-0034\",\"pin\":\"2222\"}"},
};
#define N_LOGINS (sizeof logins / sizeof logins[0])

/* One ```http block: "METHOD PATH", an optional "Authorization: Bearer {who}", a blank line and a body;
 * then "→ `STATUS`". Returns the text after it, or NULL at the end. */
static const char *run_example(const char *p, char *tokens[N_LOGINS], int *count)
{
    const char *start = strstr(p, "```http\n");
    if (!start)
        return NULL;
    start += 8;
    const char *end = strstr(start, "\n```");
    assert_non_null(end);
    char block[8192], method[16], path[1024], who[32] = "";
    snprintf(block, sizeof block, "%.*s", (int)(end - start), start);
    assert_int_equal(sscanf(block, "%15s %1023s", method, path), 2);
    const char *auth = strstr(block, "Authorization: Bearer {");
    if (auth)
        sscanf(auth + strlen("Authorization: Bearer {"), "%31[^}]", who);
    const char *body = strstr(block, "\n\n");
    const char *arrow = strstr(end, "→ `");
    assert_non_null(arrow);
    long want = atol(arrow + strlen("→ `"));
    const char *token = NULL;
    for (size_t i = 0; who[0] && i < N_LOGINS; i++)
        if (!strcmp(who, logins[i].name))
            token = tokens[i];
    if (who[0] && !token)
        fail_msg("unknown login {%s} in docs/api.md", who);
    long got;
    if (!strncmp(path, "/api/stream", 11)) {
        got = api_stream_status(&srv, path, token);
    } else {
        api_resp r = api_call(&srv, method, path, token, body ? body + 2 : NULL);
        got = r.status;
        if (got != want)
            fail_msg("docs/api.md: %s %s answered %ld %s, the doc says %ld", method, path, got, r.body, want);
        api_free(&r);
    }
    if (got != want)
        fail_msg("docs/api.md: %s %s answered %ld, the doc says %ld", method, path, got, want);
    (*count)++;
    return arrow + 4;
}

static void every_example_answers_as_documented(void **state)
{
    (void)state;
    char *doc = read_all(doc_path), *tokens[N_LOGINS];
    int count = 0;
    for (size_t i = 0; i < N_LOGINS; i++)
        tokens[i] = api_login(&srv, logins[i].login);
    for (const char *p = doc; (p = run_example(p, tokens, &count));)
        ;
    printf("docs/api.md: %d examples answered as documented\n", count);
    assert_true(count >= (int)ys_srv_n_routes);
    for (size_t i = 0; i < N_LOGINS; i++)
        free(tokens[i]);
    free(doc);
}

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
    int code = api_stop(&srv, SIGTERM);
    api_cleanup(&srv);
    return code;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_docs PATH-TO-YISHI docs/api.md\n");
        return 2;
    }
    api_yishi = argv[1];
    doc_path = argv[2];
    curl_global_init(CURL_GLOBAL_ALL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_route_documented),
        cmocka_unit_test(every_example_answers_as_documented),
    };
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return failed;
}
