/* client.c — a running yishi server from the command line over HTTP(S) (client.h): one libcurl handle, JSON
 * bodies with the bearer token, and a refusal turned back into the error table's code with the server's words. */
#include "cli/client.h"

#include "cli/cli.h"
#include "yishi/alloc.h"
#include "yishi/buf.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#define ANSWER_MAX ((size_t)64 << 20) /* a key's board or an election's aggregates: far below this */

ys_rc ys_client_open(ys_client *c, const char *url, const char *token, const char *cacert, ys_err *err)
{
    memset(c, 0, sizeof *c);
    size_t n = url ? strlen(url) : 0;
    while (n && url[n - 1] == '/')
        n--;
    if (!url || (strncmp(url, "http://", 7) && strncmp(url, "https://", 8)))
        return ys_fail(err, YS_INVALID, "server", "the server is a URL beginning http:// or https://, not '%s'",
                       url ? url : "");
    if (n >= sizeof c->url || (token && strlen(token) >= sizeof c->token) ||
        (cacert && strlen(cacert) >= sizeof c->cacert))
        return ys_fail(err, YS_INVALID, "server", "the server's URL, the token or the CA file's name is too long");
    memcpy(c->url, url, n);
    snprintf(c->token, sizeof c->token, "%s", token ? token : "");
    snprintf(c->cacert, sizeof c->cacert, "%s", cacert ? cacert : "");
    if (curl_global_init(CURL_GLOBAL_DEFAULT) || !(c->curl = curl_easy_init()))
        return ys_fail(err, YS_NOMEM, NULL, "cannot start libcurl");
    return YS_OK;
}

void ys_client_close(ys_client *c)
{
    if (c->curl) {
        curl_easy_cleanup(c->curl);
        curl_global_cleanup();
    }
    c->curl = NULL;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
    return ys_buf_add(ud, data, size * nmemb) == YS_OK ? size * nmemb : 0;
}

/* The table's code for the server's `error` text, or one that fits the status when it is unknown. */
static ys_rc rc_of(const char *code, long status)
{
    for (int rc = 1; code && rc < YS__RC_COUNT; rc++)
        if (!strcmp(ys_rc_code((ys_rc)rc), code))
            return (ys_rc)rc;
    return status >= 500 ? YS_IO : YS_INVALID;
}

static ys_rc refused(ys_client *c, const char *method, const char *path, json_t *answer, ys_err *err)
{
    const char *code = json_string_value(json_object_get(answer, "error"));
    const char *msg = json_string_value(json_object_get(answer, "message"));
    const char *field = json_string_value(json_object_get(answer, "field"));
    c->refused = true;
    ys_rc rc = ys_fail(err, rc_of(code, c->status), field, "%s %s: %ld %s: %s", method, path, c->status,
                       code ? code : "(no error code)", msg ? msg : "(the answer is not yishi's error JSON)");
    json_decref(answer);
    return rc;
}

static struct curl_slist *headers_of(const ys_client *c, bool body)
{
    char auth[160];
    struct curl_slist *h = curl_slist_append(NULL, "Accept: application/json");
    if (body)
        h = curl_slist_append(h, "Content-Type: application/json");
    if (c->token[0]) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", c->token);
        h = curl_slist_append(h, auth);
    }
    return h;
}

/* One request and its raw answer in b: YS_IO when there was no answer. */
static ys_rc perform(ys_client *c, const char *method, const char *path, const char *body, ys_buf *b, ys_err *err)
{
    char url[1024], why[CURL_ERROR_SIZE] = "";
    CURL *h = c->curl;
    snprintf(url, sizeof url, "%s%s", c->url, path);
    struct curl_slist *hd = headers_of(c, body != NULL);
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, b);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, why);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    if (c->cacert[0])
        curl_easy_setopt(h, CURLOPT_CAINFO, c->cacert);
    if (body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    CURLcode cc = curl_easy_perform(h);
    curl_slist_free_all(hd);
    c->status = 0;
    if (cc != CURLE_OK)
        return ys_fail(err, YS_IO, "server", "%s %s: no answer from %s: %s", method, path, c->url,
                       why[0] ? why : curl_easy_strerror(cc));
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &c->status);
    return YS_OK;
}

ys_rc ys_client_call(ys_client *c, const char *method, const char *path, const json_t *body, json_t **out,
                     ys_err *err)
{
    ys_buf b;
    json_error_t je;
    char *text = body ? ys_json_dumps(body, JSON_COMPACT) : NULL;
    *out = NULL;
    c->refused = false;
    if (body && !text)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory for a request");
    ys_buf_init(&b, ANSWER_MAX);
    ys_rc rc = perform(c, method, path, text, &b, err);
    ys_free(text);
    json_t *answer = NULL;
    if (!rc && b.len)
        answer = json_loadb(b.p, b.len, 0, &je);
    if (!rc && b.len && !answer)
        rc = ys_fail(err, YS_IO, "server", "%s %s: %ld, and the answer is not JSON (%s): is %s a yishi server?",
                     method, path, c->status, je.text, c->url);
    else if (!rc && (c->status < 200 || c->status > 299))
        rc = refused(c, method, path, answer, err);
    else if (!rc)
        *out = answer ? answer : json_null();
    ys_buf_free(&b);
    return rc;
}

int ys_client_fail(const char *cmd, const ys_client *c, ys_rc rc, const ys_err *err)
{
    if (!c->refused) /* no answer, or a fault found here: the detail is ours */
        return ys_cli_fail(cmd, rc, err);
    fprintf(stderr, "yishi %s: the server refused %s%s%s%s\n", cmd, err->msg, err->field[0] ? " (field " : "",
            err->field, err->field[0] ? ")" : "");
    return c->status >= 500 ? YS_EXIT_FAILED : YS_EXIT_REFUSED;
}
