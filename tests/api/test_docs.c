/* test_docs.c — keeps docs/api.md true: every route of the table has a section there, and every example
 * request in it is sent, in order, to a fresh demo server, which must answer with the documented status
 * and a body of the documented shape (its keys, its error code and field, the types of its events). */
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
    char *s = ys_malloc((size_t)n + 1);
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
    ys_free(doc);
}

static const struct { const char *name, *login; } logins[] = {
    {"secretariat", "{\"name\":\"secretariat\",\"password\":\"demo-secretariat\"}"},
    {"chair", "{\"name\":\"chair\",\"password\":\"demo-chair\"}"},
    {"taiyuan", "{\"name\":\"taiyuan\",\"password\":\"demo-taiyuan\"}"},
    {"delegate", "{\"code\":\"DEMO-0001-4010-0001\",\"pin\":\"135790\"}"},
    {"delegate2", "{\"code\":\"DEMO-0001-4010-0034\",\"pin\":\"284613\"}"},
    {"trustee", "{\"name\":\"trustee1\",\"password\":\"demo-trustee1\"}"},
};
#define N_LOGINS (sizeof logins / sizeof logins[0])

/* The documented answer shown after "→ `STATUS`" as a ```json block, parsed; NULL if none is shown. */
static json_t *documented_body(const char *after_arrow)
{
    const char *nl = strchr(after_arrow, '\n');
    if (!nl || strncmp(nl + 1, "```json\n", 8) != 0)
        return NULL;
    const char *start = nl + 9, *end = strstr(start, "\n```");
    json_error_t e;
    json_t *v = end ? json_loadb(start, (size_t)(end - start), 0, &e) : NULL;
    if (!v)
        fail_msg("docs/api.md: the answer shown after line '%.40s' is not JSON: %s", after_arrow, end ? e.text : "");
    return v;
}

/* The answer has every key the documented one shows, the same error code and field, and its events are
 * of the documented types in the documented order. Values that differ from run to run are not compared. */
static void expect_shape(const json_t *doc, const json_t *got, const char *method, const char *path)
{
    const char *key;
    const json_t *v;
    if (!json_is_object(doc))
        return;
    if (!json_is_object(got))
        fail_msg("docs/api.md: %s %s answered no JSON object", method, path);
    json_object_foreach((json_t *)doc, key, v) {
        if (!json_object_get(got, key))
            fail_msg("docs/api.md: %s %s answered without \"%s\"", method, path, key);
    }
    static const char *const same[] = {"error", "field"};
    for (size_t i = 0; i < 2; i++)
        if (json_object_get(doc, same[i]) && !json_equal(json_object_get(doc, same[i]), json_object_get(got, same[i])))
            fail_msg("docs/api.md: %s %s answered %s \"%s\", the doc says \"%s\"", method, path, same[i],
                     json_string_value(json_object_get(got, same[i])), json_string_value(json_object_get(doc, same[i])));
    const json_t *de = json_object_get(doc, "events"), *ge = json_object_get(got, "events");
    if (!json_is_array(de) || json_object_get(doc, "next")) /* /api/log's events are a page of the log */
        return;
    if (json_array_size(de) != json_array_size(ge))
        fail_msg("docs/api.md: %s %s answered %zu events, the doc shows %zu", method, path, json_array_size(ge),
                 json_array_size(de));
    for (size_t i = 0; i < json_array_size(de); i++) {
        const json_t *dt = json_object_get(json_array_get(de, i), "type"), *gt = json_object_get(json_array_get(ge, i), "type");
        if (!json_equal(dt, gt))
            fail_msg("docs/api.md: %s %s answered event %zu of type %s, the doc says %s", method, path, i,
                     json_string_value(gt), json_string_value(dt));
    }
}

/* The receipt of the last write answered (its "seq" and "hash"), which a path may name as {receipt.seq}
 * and {receipt.hash}: a receipt's hash covers the event's time, so no run gives the same twice. */
static char receipt_seq[24], receipt_hash[72];

static void note_receipt(const api_resp *r)
{
    if (json_is_integer(json_object_get(r->json, "seq")) && api_str(r, "hash")) {
        snprintf(receipt_seq, sizeof receipt_seq, "%lld", api_int(r, "seq"));
        snprintf(receipt_hash, sizeof receipt_hash, "%s", api_str(r, "hash"));
    }
}

/* Replaces each {receipt.seq} and {receipt.hash} of `path` (in place, within n bytes). */
static void fill_receipt(char *path, size_t n)
{
    static const char *const marks[] = {"{receipt.seq}", "{receipt.hash}"};
    const char *values[] = {receipt_seq, receipt_hash};
    for (size_t i = 0; i < 2; i++) {
        char *at = strstr(path, marks[i]);
        if (!at)
            continue;
        char rest[1024];
        snprintf(rest, sizeof rest, "%s", at + strlen(marks[i]));
        snprintf(at, n - (size_t)(at - path), "%s%s", values[i], rest);
    }
}

/* One ```http block: "METHOD PATH", an optional "Authorization: Bearer {who}", a blank line and a body;
 * then "→ `STATUS`" and, if shown, the answer's JSON. Returns the text after it, or NULL at the end. */
static const char *run_example(const char *p, char *tokens[N_LOGINS], int *count, int *bodies)
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
    fill_receipt(path, sizeof path);
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
        note_receipt(&r);
        if (got != want)
            fail_msg("docs/api.md: %s %s answered %ld %s, the doc says %ld", method, path, got, r.body, want);
        json_t *doc = documented_body(arrow);
        if (doc) {
            expect_shape(doc, r.json, method, path);
            (*bodies)++;
        }
        json_decref(doc);
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
    int count = 0, bodies = 0;
    for (size_t i = 0; i < N_LOGINS; i++)
        tokens[i] = api_login(&srv, logins[i].login);
    for (const char *p = doc; (p = run_example(p, tokens, &count, &bodies));)
        ;
    printf("docs/api.md: %d examples answered as documented, %d of them with the documented body\n", count, bodies);
    assert_true(count >= (int)ys_srv_n_routes);
    assert_true(bodies > count / 2); /* most examples show their answer, and each was compared */
    for (size_t i = 0; i < N_LOGINS; i++)
        ys_free(tokens[i]);
    ys_free(doc);
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
