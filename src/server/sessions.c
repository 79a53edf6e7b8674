/* sessions.c — many sessions on one service: which session a path names (/s/ID/…) and the list of them.
 * Each session is a server of its own (its store, logins, writer, streams); the front only finds it. */
#include "server/server.h"

#include "yishi/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ys_srv *ys_srv_session_of(ys_srv *front, const char *path, const char **rest)
{
    if (!front->n_sessions) {
        *rest = path;
        return front;
    }
    if (strncmp(path, "/s/", 3) != 0 || path[3] < '1' || path[3] > '9')
        return NULL;
    char *end;
    long long id = strtoll(path + 3, &end, 10);
    if (*end != '/' && *end != '\0')
        return NULL;
    for (size_t i = 0; i < front->n_sessions; i++)
        if (front->sessions[i]->id == id) {
            *rest = *end ? end : "/";
            return front->sessions[i];
        }
    return NULL;
}

static json_t *one(ys_srv *srv)
{
    char title[512];
    const ys_session *s = ys_srv_read_begin(srv);
    ys_session_title(s, title, sizeof title);
    json_t *o = json_pack("{s:I, s:s, s:I, s:s+}", "id", (json_int_t)(srv->id ? srv->id : 1), "title", title, "seq",
                          (json_int_t)s->seq, "path", srv->base, "/");
    ys_srv_read_end(srv);
    return o;
}

json_t *ys_srv_sessions_json(ys_srv *front)
{
    json_t *list = json_array();
    if (!front->n_sessions && list && !atomic_load(&front->pending))
        json_array_append_new(list, one(front));
    for (size_t i = 0; list && i < front->n_sessions; i++)
        json_array_append_new(list, one(front->sessions[i]));
    return list ? json_pack("{s:o}", "sessions", list) : NULL;
}

/* The front's own answers: the list of sessions, and the health of the service (each session's log and
 * last write, the connections it holds); any other path of the API names a session. */
void ys_srv_front_dispatch(ys_srv *front, const ys_srv_req *req, ys_srv_resp *resp)
{
    bool get = !strcmp(req->method, "GET") || !strcmp(req->method, "HEAD");
    memset(resp, 0, sizeof *resp);
    resp->stream_after = -1;
    if (!strcmp(req->path, "/api/sessions") && get) {
        ys_srv_json(resp, 200, ys_srv_sessions_json(front));
        return;
    }
    if (!strncmp(req->path, "/s/", 3)) {
        ys_srv_errorf(resp, YS_NOT_FOUND, "session", "no session %.*s on this service (GET /api/sessions lists them)",
                      (int)strcspn(req->path + 3, "/"), req->path + 3);
        return;
    }
    if (strcmp(req->path, "/api/health") != 0 || !get) {
        ys_srv_errorf(resp, YS_NOT_FOUND, "path", "this service serves %zu sessions: a session's API is at "
                      "/s/ID/api/… (GET /api/sessions lists them)", front->n_sessions);
        return;
    }
    bool ok = true;
    json_t *list = json_array();
    for (size_t i = 0; list && i < front->n_sessions; i++) {
        ys_srv *srv = front->sessions[i];
        ys_rc last = (ys_rc)atomic_load(&srv->store_rc);
        int64_t seq = ys_srv_read_begin(srv)->seq;
        ys_srv_read_end(srv);
        ok &= last == YS_OK;
        json_array_append_new(list, json_pack("{s:I, s:I, s:s, s:I}", "id", (json_int_t)srv->id, "seq",
                                              (json_int_t)seq, "last_write", ys_rc_code(last), "queued",
                                              (json_int_t)ys_srv_writer_pending(srv)));
    }
    ys_srv_json(resp, 200, json_pack("{s:b, s:s, s:I, s:I, s:o}", "ok", ok, "version", YS_VERSION, "connections",
                                     (json_int_t)atomic_load(&front->connections), "requests",
                                     (json_int_t)atomic_load(&front->in_flight), "sessions", list));
}
