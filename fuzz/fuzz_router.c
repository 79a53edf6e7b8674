/* fuzz_router.c — libFuzzer over the server's router and JSON bodies, without sockets: the input is a
 * request ("METHOD PATH?QUERY" line, a token line, then the body), dispatched against a small session in
 * memory; writes run as the writer would run them. The server must answer every input, never crash, and
 * every refusal in the documented JSON. */
#include "cli/rules_file.h"
#include "server/server.h"
#include "yishi/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static ys_session *session;
static ys_srv *srv;

static const char posts_csv[] = "rank,title\n1,主任\n2,副主任\n";
static const char delegates_csv[] =
    "code,name,gender,ethnicity,delegation,seat,roles,post\n"
    "D1,甲,男,汉族,太原,1-1,presidium,主任\nD2,乙,女,回族,太原,1-2,,\nD3,丙,男,汉族,大同,2-1,,\n"
    "D4,丁,女,汉族,大同,2-2,,\nD5,戊,男,蒙古族,大同,2-3,,\n";

static void import(ys_import_kind kind, const char *text, const ys_ctx *ctx)
{
    ys_csv *csv = NULL;
    ys_diags d;
    ys_events evs;
    ys_diags_init(&d);
    ys_events_init(&evs);
    if (!ys_csv_parse(text, strlen(text), &csv, &d) && !ys_cmd_import(session, ctx, kind, csv, &evs, &d) &&
        ys_session_accept(session, evs.v, evs.n, NULL, NULL))
        abort();
    ys_events_free(&evs);
    ys_csv_free(csv);
    ys_diags_free(&d);
}

/* A provincial session with five delegates in two delegations and an open plenary. */
static void fresh_session(void)
{
    ys_ctx ctx = {.time = "2024-01-23T07:00:00.000Z", .actor = "fuzz"};
    ys_rules *rules = NULL;
    ys_diags d;
    ys_events evs;
    ys_diags_init(&d);
    ys_events_init(&evs);
    ys_session_free(session);
    session = ys_session_new();
    if (ys_rules_load("prc-provincial", &rules, &d, NULL))
        abort();
    ys_init_args a = {"测试省人民代表大会", "第一届", "第一次会议", rules};
    if (ys_cmd_init(session, &ctx, &a, &evs, NULL) || ys_session_accept(session, evs.v, evs.n, NULL, NULL))
        abort();
    ys_events_free(&evs);
    ys_rules_free(rules);
    ys_diags_free(&d);
    import(YS_IMPORT_POSTS, posts_csv, &ctx);
    import(YS_IMPORT_DELEGATES, delegates_csv, &ctx);
    if (srv) { /* a new session reuses the old one's ids: the contexts kept for its votes go with it */
        ys_srv_vcache_free(srv);
        ys_srv_vcache_init(srv);
        srv->memory = session;
    }
}

/* Splits "k=v&k=v" into the request's arguments, in place. */
static void split_query(char *q, ys_srv_req *req)
{
    while (q && *q && req->n_args < YS_SRV_MAX_ARGS) {
        char *amp = strchr(q, '&'), *eq;
        if (amp)
            *amp = '\0';
        eq = strchr(q, '=');
        if (eq)
            *eq = '\0';
        req->args[req->n_args].key = q;
        req->args[req->n_args].value = eq ? eq + 1 : "";
        req->n_args++;
        q = amp ? amp + 1 : NULL;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = ys_malloc(size + 1), *line2, *body = NULL, *sp, *q;
    char auth[160];
    ys_srv_req req = {0};
    ys_srv_resp resp;
    if (!session || session->seq > 2000) /* keep the state small as inputs pile up */
        fresh_session();
    if (!srv)
        srv = ys_srv_new_memory(session);
    memcpy(text, data, size);
    text[size] = '\0';
    line2 = strchr(text, '\n');
    if (line2) {
        *line2++ = '\0';
        body = strchr(line2, '\n');
        if (body)
            *body++ = '\0';
    }
    sp = strchr(text, ' ');
    req.method = text;
    req.path = "/";
    if (sp) {
        *sp = '\0';
        req.path = sp + 1;
        if ((q = strchr(sp + 1, '?'))) {
            *q = '\0';
            split_query(q + 1, &req);
        }
    }
    if (line2 && *line2) {
        snprintf(auth, sizeof auth, "Bearer %s", line2);
        req.authorization = auth;
    }
    req.body = body;
    req.body_len = body ? size - (size_t)(body - text) : 0;
    req.addr = "127.0.0.1";
    ys_srv_dispatch(srv, &req, &resp);
    if (resp.cmd) {
        ys_srv_cmd_run_memory(srv, session, resp.cmd);
        ys_srv_cmd_response(resp.cmd, &resp);
        ys_srv_cmd_free(resp.cmd);
        resp.cmd = NULL;
    }
    if (resp.status < 200 || resp.status > 599)
        abort(); /* every request gets a real answer */
    if (resp.status >= 400 && !resp.stream &&
        (!json_is_string(json_object_get(resp.json, "error")) || !json_is_string(json_object_get(resp.json, "message"))))
        abort(); /* and every refusal is the documented {"error", "message", "field"} */
    const char *code = json_string_value(json_object_get(resp.json, "error"));
    if (code && !strcmp(code, "out_of_memory"))
        abort(); /* nothing here fails an allocation, so a refusal must name its real cause */
    ys_srv_resp_free(&resp);
    ys_free(text);
    return 0;
}
