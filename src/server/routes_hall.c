/* routes_hall.c — the hall's routes: the layout as the seat map draws it (each seat with who sits there, each
 * block with its delegation, and what does not fit), and moving a delegate, which the core decides. */
#include "server/routes.h"

#include "yishi/hall.h"

#include <string.h>

/* Appends `v` to `to`; false when either is missing (out of memory), so that no half answer goes out. */
static bool put(json_t *to, json_t *v) { return v && json_array_append_new(to, v) == 0; }

/* A block as the map draws it: its name, its delegation (id and name, as a delegate's are given, and whether
 * the block is reserved for it), its seats and its rows. */
static json_t *block_json(const ys_session *s, const ys_hall_block *b, json_t *rows)
{
    bool reserved;
    int dl = ys_hall_block_delegation(s, b, &reserved);
    return json_pack("{s:s, s:o, s:o, s:b, s:i, s:o}", "name", b->name, "delegation", dl ? json_integer(dl) : json_null(),
                     "delegation_name", dl ? json_string(s->delegations[dl - 1].name) : json_null(), "reserved", reserved,
                     "seats", (int)b->n, "rows", rows);
}

/* A block's rows: {"row", "seats": [{"number", "code", "delegate": id or null}, …]}, front to back. */
static json_t *block_rows(const ys_session *s, const ys_hall_block *b)
{
    json_t *rows = json_array(), *seats = NULL;
    bool ok = rows != NULL;
    for (size_t i = b->first; ok && i < b->first + b->n; i++) {
        const ys_hall_seat *st = &s->hall->seats[i];
        const ys_delegate *d = ys_seat_holder(s, st->code);
        if (i == b->first || s->hall->seats[i - 1].row != st->row)
            ok = (seats = json_array()) && put(rows, json_pack("{s:i, s:o}", "row", st->row, "seats", seats));
        ok = ok && put(seats, json_pack("{s:i, s:s, s:o}", "number", st->number, "code", st->code, "delegate",
                                        d ? json_integer(d->id) : json_null()));
    }
    if (!ok) {
        json_decref(rows);
        return NULL;
    }
    return rows;
}

static json_t *tiers_json(const ys_session *s)
{
    json_t *tiers = json_array();
    bool ok = tiers != NULL;
    for (size_t t = 0; ok && s->hall && t < s->hall->n_tiers; t++) {
        const ys_hall_tier *ti = &s->hall->tiers[t];
        json_t *blocks = json_array();
        ok = put(tiers, json_pack("{s:i, s:o, s:o}", "tier", ti->floor, "name",
                                  ti->name ? json_string(ti->name) : json_null(), "blocks", blocks));
        for (size_t i = ti->first; ok && i < ti->first + ti->n; i++) {
            const ys_hall_block *b = &s->hall->blocks[i];
            ok = put(blocks, block_json(s, b, block_rows(s, b)));
        }
    }
    if (!ok) {
        json_decref(tiers);
        return NULL;
    }
    return tiers;
}

/* What does not fit: the layout's seats no delegate has, delegates whose seat is not in it, and entitled
 * delegates with no seat at all. */
static json_t *misfits(const ys_session *s)
{
    json_t *empty = json_array(), *outside = json_array(), *unseated = json_array();
    bool ok = empty && outside && unseated;
    for (size_t i = 0; ok && s->hall && i < s->hall->n_seats; i++)
        if (!ys_seat_holder(s, s->hall->seats[i].code))
            ok = put(empty, json_string(s->hall->seats[i].code));
    for (size_t i = 0; ok && i < s->n_delegates; i++) {
        const ys_delegate *d = &s->delegates[i];
        if (d->seat && !ys_hall_seat_of(s, d->seat))
            ok = put(outside, json_pack("{s:i, s:s, s:s, s:s}", "id", d->id, "code", d->code, "name", d->name, "seat",
                                        d->seat));
        else if (!d->seat && d->entitled)
            ok = put(unseated, json_integer(d->id));
    }
    json_t *o = ok ? json_pack("{s:o, s:o, s:o}", "seats", empty, "delegates", outside, "unseated", unseated) : NULL;
    if (!o) {
        json_decref(empty), json_decref(outside), json_decref(unseated);
        return NULL;
    }
    return o;
}

static json_t *v_hall(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    (void)call;
    ys_hall_fit f = ys_hall_fit_of(s);
    json_t *o = json_pack("{s:o, s:i, s:i, s:i, s:o, s:o}", "layout",
                          s->hall ? json_integer(s->hall->generation) : json_null(), "seats",
                          s->hall ? (int)s->hall->n_seats : 0, "placed", (int)f.placed, "empty", (int)f.empty, "tiers",
                          tiers_json(s), "unplaced", misfits(s));
    if (!o)
        ys_fail(err, YS_NOMEM, NULL, "out of memory drawing the hall");
    return o;
}
void ys_h_hall(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, v_hall); }

static ys_rc run_delegate_seat(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    int id = ys_h_arg_int(cmd, "delegate");
    if (id < 1 || (size_t)id > s->n_delegates)
        return ys_fail(err, YS_NOT_FOUND, "id", "no delegate %d", id);
    return ys_cmd_delegate_seat(s, c, s->delegates[id - 1].code, ys_h_arg_str(cmd, "seat"), ys_h_arg_bool(cmd, "swap"),
                                out, err);
}

void ys_h_delegate_seat(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"seat", YS_F_ANY, true}, {"swap", YS_F_BOOL, false}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, "delegate", run_delegate_seat, 200);
    json_t *seat = resp->cmd ? json_object_get(resp->cmd->args, "seat") : NULL;
    if (resp->cmd && !json_is_string(seat) && !json_is_null(seat)) {
        ys_srv_cmd_free(resp->cmd);
        resp->cmd = NULL;
        ys_srv_errorf(resp, YS_BAD_FIELD, "seat", "'seat' must be a seat code such as \"3-17\", or null to unseat");
    }
}
