/* routes_receipt.c — a receipt checked over the API: the event a delegate was given the seq and hash of,
 * shown to that delegate (or the secretariat) with the chain from it to the head checked on the file. */
#include "server/routes.h"

#include "yishi/number.h"

#include <string.h>

/* The receipt being looked up, and what this login may see of its event (NULL: nothing, or not theirs). */
typedef struct receipt_look {
    ys_srv *srv;
    const ys_principal *who;
    int64_t seq;
    uint8_t hash[YS_HASH_BYTES];
    json_t *shown;
} receipt_look;

/* A receipt is the delegate's whose login made the event, or whom the event is about (a vote, a check-in
 * the desk entered for them); the secretariat, which keeps the log, may check anyone's. */
static bool is_theirs(const ys_session *s, const ys_principal *who, const ys_event *ev)
{
    if (who->role == YS_AUTH_SECRETARIAT)
        return true;
    if (who->role != YS_AUTH_DELEGATE)
        return false;
    const ys_delegate *d = ys_delegate_by_code(s, who->name);
    return !strcmp(ev->actor, who->actor) ||
           (d && json_integer_value(json_object_get(ev->payload, "delegate")) == d->id);
}

static ys_rc look_event(const ys_event *ev, void *ud, ys_err *err)
{
    receipt_look *l = ud;
    (void)err;
    if (ev->seq != l->seq || memcmp(ev->hash, l->hash, YS_HASH_BYTES) != 0)
        return YS_CONFLICT; /* stops the scan: one event is all it reads */
    const ys_session *s = ys_srv_read_begin(l->srv);
    if (is_theirs(s, l->who, ev)) { /* as this login may see it: a staff-only event stays staff-only */
        ys_viewer v = ys_srv_viewer(s, l->who);
        l->shown = ys_srv_event_view(ev, &v, ys_srv_event_owner(s, ev));
    }
    ys_srv_read_end(l->srv);
    return YS_CONFLICT;
}

/* The answer to a receipt that is not there, not theirs, or of another hash: one and the same, so that a
 * receipt tells no one else whether, or how, anybody voted. */
static void no_receipt(ys_srv_resp *resp)
{
    ys_srv_errorf(resp, YS_NOT_FOUND, "seq", "no receipt with that seq and hash for this login");
}

/* From the receipt's event to the head, on the file: each event's hash recomputed from what is stored and
 * each linked to the one before, up to the head the server holds. It reads the events since the receipt,
 * never the whole log (that is `yishi verify`'s work), so that a hall of delegates checking their receipts
 * at once costs little; a receipt checked right after its vote reads a few events. */
typedef struct chain_walk {
    int64_t seq, head_seq, last, bad_seq;
    uint8_t head[YS_HASH_BYTES], prev[YS_HASH_BYTES];
    const char *why;
} chain_walk;

static ys_rc walk_link(const ys_event *ev, void *ud, ys_err *err)
{
    chain_walk *w = ud;
    uint8_t h[YS_HASH_BYTES];
    (void)err;
    ys_event_hash(ev, h);
    if (memcmp(h, ev->hash, YS_HASH_BYTES) != 0)
        w->why = "its hash is not that of its content";
    else if (ev->seq != w->seq && (ev->seq != w->last + 1 || memcmp(ev->prev_hash, w->prev, YS_HASH_BYTES) != 0))
        w->why = "it is not linked to the event before it";
    else if (ev->seq == w->head_seq && memcmp(ev->hash, w->head, YS_HASH_BYTES) != 0)
        w->why = "the file's last event is not the server's";
    if (w->why) {
        w->bad_seq = ev->seq;
        return YS_CONFLICT;
    }
    memcpy(w->prev, ev->hash, YS_HASH_BYTES);
    w->last = ev->seq;
    return ev->seq >= w->head_seq ? YS_CONFLICT : YS_OK; /* the head reached: stop */
}

static ys_rc bind_to_head(ys_srv *srv, receipt_look *l, json_t *o, ys_err *err)
{
    chain_walk w = {.seq = l->seq};
    char head[YS_HASH_HEX];
    const ys_session *s = ys_srv_read_begin(srv);
    w.head_seq = s->seq;
    memcpy(w.head, s->head, YS_HASH_BYTES);
    ys_srv_read_end(srv);
    ys_rc rc = ys_reader_scan(srv->reader, l->seq - 1, walk_link, &w, err);
    if (rc && rc != YS_CONFLICT)
        return rc;
    bool in_chain = !w.why && w.last == w.head_seq;
    if (!w.why && !in_chain)
        w.why = "the file ends before the server's head", w.bad_seq = w.last + 1;
    ys_hash_hex(w.prev, head);
    if (json_object_set_new(o, "in_chain", json_boolean(in_chain)) ||
        json_object_set_new(o, "head", json_pack("{s:I, s:s}", "seq", (json_int_t)w.last, "hash", head)) ||
        (!in_chain && json_object_update_new(o, json_pack("{s:I, s:s}", "bad_event", (json_int_t)w.bad_seq,
                                                          "reason", w.why))))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory");
    return YS_OK;
}

void ys_h_receipt(const ys_srv_call *call, ys_srv_resp *resp)
{
    long long seq;
    const char *hash = ys_srv_arg(call->req, "hash");
    char hex[YS_HASH_HEX];
    ys_err err = {0};
    receipt_look l = {.srv = call->srv, .who = call->who};
    if (ys_int_text(call->params[0], "seq", 1, YS_SEQ_MAX, YS_INVALID, &seq, &err)) {
        ys_srv_error(resp, YS_INVALID, &err);
        return;
    }
    if (!hash || strlen(hash) != YS_HASH_HEX - 1 || ys_hash_from_hex(hash, l.hash)) {
        ys_srv_errorf(resp, YS_INVALID, "hash", "a receipt's hash is its 64 hex digits: ?hash=HEX");
        return;
    }
    l.seq = seq;
    ys_rc rc = call->srv->reader ? ys_reader_scan(call->srv->reader, seq - 1, look_event, &l, &err) : YS_OK;
    if (rc && rc != YS_CONFLICT) {
        ys_srv_error(resp, rc, &err);
        return;
    }
    if (!l.shown) {
        no_receipt(resp);
        return;
    }
    ys_hash_hex(l.hash, hex);
    json_t *o = json_pack("{s:I, s:s, s:O, s:O, s:O}", "seq", (json_int_t)seq, "hash", hex, "type",
                          json_object_get(l.shown, "type"), "time", json_object_get(l.shown, "time"), "payload",
                          json_object_get(l.shown, "payload"));
    json_decref(l.shown);
    rc = o ? bind_to_head(call->srv, &l, o, &err) : ys_fail(&err, YS_NOMEM, NULL, "out of memory");
    if (rc) {
        json_decref(o);
        ys_srv_error(resp, rc, &err);
        return;
    }
    ys_srv_json(resp, 200, o);
}
