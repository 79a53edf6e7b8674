/* hall.c — the plenary hall's layout: its import from CSV (one row per seat) into one hall.layout event, the
 * fold of that event into tiers, blocks and seats, moving delegates between seats (delegate.seat), and which
 * delegation a block belongs to. A layout is replaced whole; the seats delegates hold are theirs, not its. */
#include "yishi/hall.h"

#include "core/fold.h"
#include "core/import.h"
#include "core/payload.h"
#include "yishi/alloc.h"

#include <string.h>

bool ys_seat_canonical(const char *v, char out[16])
{
    int row, num;
    char part[8];
    const char *dash = strchr(v, '-');
    if (!dash || dash == v || dash - v > 3 || strlen(dash + 1) > 3)
        return false;
    memcpy(part, v, (size_t)(dash - v));
    part[dash - v] = '\0';
    if (!parse_int(part, 1, 999, &row) || !parse_int(dash + 1, 1, 999, &num))
        return false;
    snprintf(out, 16, "%d-%d", row, num);
    return true;
}

const ys_hall_seat *ys_hall_seat_of(const ys_session *s, const char *code)
{
    int i = s->hall && code ? ys_map_get(s->hall->by_code, code) : 0;
    return i ? &s->hall->seats[i - 1] : NULL;
}

const ys_delegate *ys_seat_holder(const ys_session *s, const char *code)
{
    int id = code ? ys_map_get(s->by_seat, code) : 0;
    return id ? &s->delegates[id - 1] : NULL;
}

int ys_hall_block_delegation(const ys_session *s, const ys_hall_block *b, bool *reserved)
{
    int best = 0, best_n = 0;
    *reserved = b->delegation != 0;
    if (b->delegation)
        return b->delegation;
    /* Blocks are small beside the delegations (a few hundred seats at most): count by a pass per seat. */
    int *count = ys_calloc(s->n_delegations + 1, sizeof *count);
    if (!count)
        return 0;
    for (size_t i = b->first; i < b->first + b->n; i++) {
        const ys_delegate *d = ys_seat_holder(s, s->hall->seats[i].code);
        int dl = d ? d->delegation : 0;
        if (dl && (++count[dl] > best_n || (count[dl] == best_n && dl < best)))
            best = dl, best_n = count[dl];
    }
    ys_free(count);
    return best;
}

ys_hall_fit ys_hall_fit_of(const ys_session *s)
{
    ys_hall_fit f = {0};
    for (size_t i = 0; i < s->n_delegates; i++) {
        const ys_delegate *d = &s->delegates[i];
        f.placed += d->seat && ys_hall_seat_of(s, d->seat);
        f.unplaced += d->seat && !ys_hall_seat_of(s, d->seat);
        f.unseated += !d->seat && d->entitled;
    }
    f.empty = (s->hall ? s->hall->n_seats : 0) - f.placed;
    return f;
}

/* ---- the import: seat,tier,block,row,number[,tier_name,delegation] ---- */

enum { C_SEAT, C_TIER, C_BLOCK, C_ROW, C_NUMBER, C_TIER_NAME, C_DELEGATION };

const column ys__hall_columns[] = {
    {"seat", true, 16},       {"tier", true, 8},        {"block", true, 32},      {"row", true, 3},
    {"number", true, 4},      {"tier_name", false, 32}, {"delegation", false, 64}, {NULL, false, 0}};

typedef struct b_block {
    int floor;
    const char *name;  /* the file's text, which outlives the import */
    int delegation;
    int line;          /* where it first appears, and where its delegation was given */
} b_block;

typedef struct b_seat {
    char code[16];
    int block;         /* index into blocks, in order of first appearance */
    int row, number;
} b_seat;

struct ys__hall_build {
    const char *tier_name[YS_HALL_TIERS + 1];
    int tier_line[YS_HALL_TIERS + 1];
    b_block blocks[YS_HALL_BLOCKS];
    size_t n_blocks;
    b_seat *seats;
    size_t n_seats, cap_seats;
    ys_map *block_of;  /* "FLOOR NAME" → index + 1 */
};

bool ys__hall_begin(importer *im)
{
    char vote[400];
    if (ys_vote_in_progress(im->s, vote, sizeof vote)) {
        ys_diags_add(im->diags, 0, "", "%s is open; the hall's layout cannot change under a vote", vote);
        return false;
    }
    if (!(im->hall = ys_calloc(1, sizeof *im->hall)) || !(im->hall->block_of = ys_map_new())) {
        im->nomem = true;
        return false;
    }
    return true;
}

void ys__hall_end(importer *im)
{
    if (!im->hall)
        return;
    ys_map_free(im->hall->block_of);
    ys_free(im->hall->seats);
    ys_free(im->hall);
    im->hall = NULL;
}

/* A tier's name is the same on every line that gives one. */
static bool tier_named(importer *im, const ys_csv_row *row, int floor, const char *name)
{
    ys__hall_build *h = im->hall;
    if (!*name)
        return true;
    if (h->tier_name[floor] && strcmp(h->tier_name[floor], name) != 0) {
        ys_diags_add(im->diags, row->line, "tier_name", "tier %d is named '%s' on line %d, not '%s'", floor,
                     h->tier_name[floor], h->tier_line[floor], name);
        return false;
    }
    h->tier_name[floor] = name;
    h->tier_line[floor] = row->line;
    return true;
}

/* The block named on this line (index + 1), added when new; 0 with the problem reported. */
static int block_of(importer *im, const ys_csv_row *row, int floor, const char *name, const ys_delegation *dl)
{
    ys__hall_build *h = im->hall;
    char key[48];
    snprintf(key, sizeof key, "%d %s", floor, name);
    int b = ys_map_get(h->block_of, key);
    if (!b) {
        if (h->n_blocks == YS_HALL_BLOCKS) {
            bad(im, row, C_BLOCK, "block '%s' is one too many: a hall has at most 200 blocks", name);
            return 0;
        }
        h->blocks[h->n_blocks] = (b_block){floor, name, 0, row->line};
        b = (int)++h->n_blocks;
        if (ys_map_put(h->block_of, key, b))
            im->nomem = true;
    }
    b_block *bl = &h->blocks[b - 1];
    if (dl && bl->delegation && bl->delegation != dl->id) {
        ys_diags_add(im->diags, row->line, "delegation", "block '%s' of tier %d is reserved for %s on line %d, not %s",
                     name, floor, im->s->delegations[bl->delegation - 1].name, bl->line, dl->name);
        return 0;
    }
    if (dl && !bl->delegation)
        bl->delegation = dl->id, bl->line = row->line;
    return b;
}

/* Two seats in one place of one block: reported at the second, naming the first. */
static bool place_once(importer *im, const ys_csv_row *row, int floor, const char *block, int r, int n)
{
    char key[80];
    snprintf(key, sizeof key, "%d %d %d %s", floor, r, n, block);
    int first = ys_map_get(im->seen_b, key);
    if (first) {
        ys_diags_add(im->diags, row->line, "number", "tier %d, block '%s', row %d, place %d is also on line %d", floor,
                     block, r, n, first);
        return false;
    }
    if (ys_map_put(im->seen_b, key, row->line))
        im->nomem = true;
    return true;
}

void ys__hall_row(importer *im, const ys_csv_row *row)
{
    ys__hall_build *h = im->hall;
    const char *dname = cell(im, row, C_DELEGATION), *block = cell(im, row, C_BLOCK);
    const ys_delegation *dl = *dname ? ys_delegation_by_name(im->s, dname) : NULL;
    char code[16];
    int floor, r, n, b;
    bool ok = true;
    if (!ys_seat_canonical(cell(im, row, C_SEAT), code))
        bad(im, row, C_SEAT, "seat '%s' is not ROW-NUMBER such as 12-5", cell(im, row, C_SEAT)), ok = false;
    else
        ok &= once(im, im->seen_a, row, C_SEAT, code, "seat");
    if (!parse_int(cell(im, row, C_TIER), 1, YS_HALL_TIERS, &floor))
        bad(im, row, C_TIER, "tier '%s' is not a floor from 1 to 9 (1 the ground floor; tiers are drawn in that order)",
            cell(im, row, C_TIER)), ok = false;
    if (!parse_int(cell(im, row, C_ROW), 1, YS_HALL_ROWS, &r))
        bad(im, row, C_ROW, "row '%s' is not a whole number from 1 to 99 (1 the front row of its block)",
            cell(im, row, C_ROW)), ok = false;
    if (!parse_int(cell(im, row, C_NUMBER), 1, YS_HALL_ROW_SEATS, &n))
        bad(im, row, C_NUMBER, "number '%s' is not a place from 1 to 200 in its row (1 the left; a row holds at "
            "most 200 seats)", cell(im, row, C_NUMBER)), ok = false;
    if (*dname && !dl)
        bad(im, row, C_DELEGATION, "delegation '%s' is not in the session (import the delegates first)", dname), ok = false;
    if (!ok || !tier_named(im, row, floor, cell(im, row, C_TIER_NAME)) || !(b = block_of(im, row, floor, block, dl)) ||
        !place_once(im, row, floor, block, r, n))
        return;
    if (h->n_seats == YS_HALL_SEATS) {
        bad(im, row, C_SEAT, "seat '%s' is one too many: a hall has at most 20000 seats", code);
        return;
    }
    if (ys_grow((void **)&h->seats, &h->cap_seats, h->n_seats + 1, sizeof *h->seats)) {
        im->nomem = true;
        return;
    }
    b_seat *st = &h->seats[h->n_seats++];
    snprintf(st->code, sizeof st->code, "%s", code);
    st->block = b, st->row = r, st->number = n;
}

static _Thread_local const ys__hall_build *sort_build; /* qsort has no context argument */

static int seat_order(const void *pa, const void *pb)
{
    const b_seat *a = pa, *b = pb;
    const b_block *ba = &sort_build->blocks[a->block - 1], *bb = &sort_build->blocks[b->block - 1];
    if (ba->floor != bb->floor)
        return ba->floor - bb->floor;
    if (a->block != b->block)
        return a->block - b->block;
    return a->row != b->row ? a->row - b->row : a->number - b->number;
}

/* Appends `v` to `to`; false (and v released) when memory runs out. */
static bool put(json_t *to, json_t *v) { return v && json_array_append_new(to, v) == 0; }

/* The layout as the event carries it: tiers → blocks → rows → [place, seat code], each in order. */
static json_t *layout_json(const importer *im)
{
    const ys__hall_build *h = im->hall;
    json_t *tiers = json_array(), *blocks = NULL, *rows = NULL, *seats = NULL;
    bool ok = tiers != NULL;
    for (size_t i = 0; ok && i < h->n_seats; i++) {
        const b_seat *st = &h->seats[i], *prev = i ? &h->seats[i - 1] : NULL;
        const b_block *bl = &h->blocks[st->block - 1];
        if (!prev || h->blocks[prev->block - 1].floor != bl->floor) {
            const char *name = h->tier_name[bl->floor];
            ok = (blocks = json_array()) &&
                 put(tiers, json_pack("{s:i, s:o, s:o}", "tier", bl->floor, "name", name ? json_string(name) : json_null(),
                                      "blocks", blocks));
        }
        if (ok && (!prev || prev->block != st->block))
            ok = (rows = json_array()) && put(blocks, json_pack("{s:s, s:i, s:o}", "name", bl->name, "delegation",
                                                                bl->delegation, "rows", rows));
        if (ok && (!prev || prev->block != st->block || prev->row != st->row))
            ok = (seats = json_array()) && put(rows, json_pack("{s:i, s:o}", "row", st->row, "seats", seats));
        ok = ok && put(seats, json_pack("[i, s]", st->number, st->code));
    }
    if (!ok) {
        json_decref(tiers);
        return NULL;
    }
    return json_pack("{s:b, s:i, s:o}", "replaces", im->s->hall != NULL, "seats", (int)h->n_seats, "tiers", tiers);
}

void ys__hall_finish(importer *im)
{
    sort_build = im->hall;
    qsort(im->hall->seats, im->hall->n_seats, sizeof *im->hall->seats, seat_order);
    sort_build = NULL;
    emit(im, "hall.layout", layout_json(im));
}

/* ---- the fold of hall.layout ---- */

static void hall_free(ys_hall *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n_tiers; i++)
        ys_free(h->tiers[i].name);
    for (size_t i = 0; i < h->n_blocks; i++)
        ys_free(h->blocks[i].name);
    for (size_t i = 0; i < h->n_seats; i++)
        ys_free(h->seats[i].code);
    ys_free(h->tiers), ys_free(h->blocks), ys_free(h->seats);
    ys_map_free(h->by_code);
    ys_free(h);
}

void ys__hall_free(ys_session *s)
{
    hall_free(s->hall);
    s->hall = NULL;
}

/* A whole number of a list in the event, within [min, max]; false when it is not. */
static bool item_int(const json_t *v, int min, int max, int *out)
{
    json_int_t n = json_is_integer(v) ? json_integer_value(v) : (json_int_t)min - 1;
    *out = (int)n;
    return n >= min && n <= max;
}

static ys_rc corrupt(ys_err *err, const char *what) { return ys_fail(err, YS_CORRUPT, "tiers", "hall.layout: %s", what); }
static ys_rc nomem(ys_err *err) { return ys_fail(err, YS_NOMEM, NULL, "out of memory applying hall.layout"); }

/* One row's seats, [place, code] in increasing place, each code canonical and new to the hall; `cap` is the
 * number of seats the event declares, for which room was made. */
static ys_rc fold_seats(ys_hall *h, size_t cap, const json_t *arr, int block, int row, ys_err *err)
{
    size_t i;
    const json_t *v;
    int last = 0, n;
    char canon[16];
    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return corrupt(err, "a row without seats");
    json_array_foreach(arr, i, v) {
        const char *code = json_string_value(json_array_get(v, 1));
        if (json_array_size(v) != 2 || !item_int(json_array_get(v, 0), last + 1, YS_HALL_ROW_SEATS, &n) || !code ||
            !ys_seat_canonical(code, canon) || strcmp(canon, code) != 0)
            return corrupt(err, "a seat is not [place, code] with places in increasing order");
        if (ys_map_get(h->by_code, code))
            return ys_fail(err, YS_CORRUPT, "tiers", "hall.layout: seat %s is given twice", code);
        if (h->n_seats == cap)
            return corrupt(err, "more seats than it says it has");
        ys_hall_seat *st = &h->seats[h->n_seats];
        *st = (ys_hall_seat){ys_strdup(code), block, row, n};
        if (!st->code || ys_map_put(h->by_code, code, (int)h->n_seats + 1))
            return nomem(err);
        h->n_seats++;
        last = n;
    }
    return YS_OK;
}

static ys_rc fold_block(const ys_session *s, ys_hall *h, size_t cap, const json_t *b, ys_err *err)
{
    const char *name;
    long long dl;
    ys_rc rc;
    size_t i;
    const json_t *r;
    int last = 0, row;
    if ((rc = ys_pl_str(b, "name", &name, err)) || (rc = ys_pl_int(b, "delegation", 0, (long long)s->n_delegations, &dl, err)))
        return rc;
    if (h->n_blocks == YS_HALL_BLOCKS)
        return corrupt(err, "more than 200 blocks");
    ys_hall_block *bl = &h->blocks[h->n_blocks++];
    *bl = (ys_hall_block){(int)h->n_tiers, ys_strdup(name), (int)dl, h->n_seats, 0};
    if (!bl->name)
        return nomem(err);
    const json_t *rows = json_object_get(b, "rows");
    if (!json_is_array(rows) || json_array_size(rows) == 0)
        return corrupt(err, "a block without rows");
    json_array_foreach(rows, i, r) {
        if (!item_int(json_object_get(r, "row"), last + 1, YS_HALL_ROWS, &row))
            return corrupt(err, "a block's rows are not numbered 1 to 99 from the front");
        if ((rc = fold_seats(h, cap, json_object_get(r, "seats"), (int)h->n_blocks, row, err)))
            return rc;
        last = row;
    }
    bl->n = h->n_seats - bl->first;
    return YS_OK;
}

static ys_rc fold_tier(const ys_session *s, ys_hall *h, size_t cap, const json_t *t, ys_err *err)
{
    const char *name;
    int floor, last = h->n_tiers ? h->tiers[h->n_tiers - 1].floor : 0;
    ys_rc rc;
    size_t i;
    const json_t *b, *blocks = json_object_get(t, "blocks");
    if (!item_int(json_object_get(t, "tier"), last + 1, YS_HALL_TIERS, &floor))
        return corrupt(err, "tiers are not floors 1 to 9 in increasing order");
    if ((rc = ys_pl_str_opt(t, "name", &name, err)))
        return rc;
    ys_hall_tier *ti = &h->tiers[h->n_tiers++];
    *ti = (ys_hall_tier){floor, name ? ys_strdup(name) : NULL, h->n_blocks, 0};
    if (name && !ti->name)
        return nomem(err);
    if (!json_is_array(blocks) || json_array_size(blocks) == 0)
        return corrupt(err, "a tier without blocks");
    json_array_foreach(blocks, i, b)
        if ((rc = fold_block(s, h, cap, b, err)))
            return rc;
    ti->n = h->n_blocks - ti->first;
    return YS_OK;
}

/* The layout an event gives, whole and checked, or NULL with the reason. */
static ys_hall *fold_layout(const ys_session *s, const json_t *p, ys_err *err)
{
    long long n;
    bool replaces;
    size_t i;
    const json_t *t, *tiers = json_object_get(p, "tiers");
    if (ys_pl_bool(p, "replaces", &replaces, err) || ys_pl_int(p, "seats", 1, YS_HALL_SEATS, &n, err))
        return NULL;
    if (replaces != (s->hall != NULL)) {
        ys_fail(err, YS_CORRUPT, "replaces", "hall.layout says it %s a layout, and there %s", replaces ? "replaces" : "is the first",
                s->hall ? "is one" : "is none");
        return NULL;
    }
    if (!json_is_array(tiers) || json_array_size(tiers) == 0 || json_array_size(tiers) > YS_HALL_TIERS) {
        corrupt(err, "no list of 1 to 9 tiers");
        return NULL;
    }
    ys_hall *h = ys_calloc(1, sizeof *h);
    if (!h || !(h->by_code = ys_map_new()) || !(h->tiers = ys_calloc(YS_HALL_TIERS, sizeof *h->tiers)) ||
        !(h->blocks = ys_calloc(YS_HALL_BLOCKS, sizeof *h->blocks)) || !(h->seats = ys_calloc((size_t)n, sizeof *h->seats))) {
        nomem(err);
        goto fail;
    }
    h->generation = s->hall ? s->hall->generation + 1 : 1;
    json_array_foreach(tiers, i, t)
        if (fold_tier(s, h, (size_t)n, t, err))
            goto fail;
    if (h->n_seats != (size_t)n) {
        corrupt(err, "fewer seats than it says it has");
        goto fail;
    }
    return h;
fail:
    hall_free(h);
    return NULL;
}

/* The records of the digest a layout is made of (digest.c): the hall, its tiers, blocks and seats. */
static void hall_records(ys_session *s, void (*each)(ys_session *, ys_rec, int, int))
{
    if (!s->hall)
        return;
    each(s, YS_REC_HALL, 1, 0);
    for (size_t i = 1; i <= s->hall->n_tiers; i++)
        each(s, YS_REC_HALL_TIER, (int)i, 0);
    for (size_t i = 1; i <= s->hall->n_blocks; i++)
        each(s, YS_REC_HALL_BLOCK, (int)i, 0);
    for (size_t i = 1; i <= s->hall->n_seats; i++)
        each(s, YS_REC_HALL_SEAT, (int)i, 0);
}

ys_rc ys_apply_hall_layout(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_hall *h = fold_layout(s, ev->payload, err);
    if (!h)
        return err ? err->rc : YS_CORRUPT;
    hall_records(s, ys__rec_out);
    hall_free(s->hall);
    s->hall = h;
    hall_records(s, ys__rec_in);
    return YS_OK;
}

/* ---- moving a delegate: delegate.seat ---- */

static bool same_text(const char *a, const char *b) { return a == b || (a && b && strcmp(a, b) == 0); }

/* Checks a move against the state, as a replay must: the mover sits where it says, the seat is free (or held
 * by the one swapped with), in the layout when there is one. */
static ys_rc check_move(const ys_session *s, int id, const char *seat, const char *from, int swap, ys_err *err)
{
    char canon[16];
    const ys_delegate *d = &s->delegates[id - 1];
    int holder = seat ? ys_map_get(s->by_seat, seat) : 0;
    if (!same_text(d->seat, from))
        return ys_fail(err, YS_CORRUPT, "from", "delegate.seat: delegate %d does not sit in %s", id, from ? from : "no seat");
    if (same_text(seat, from))
        return ys_fail(err, YS_CORRUPT, "seat", "delegate.seat: a move of delegate %d to where they sit", id);
    if (seat && (!ys_seat_canonical(seat, canon) || strcmp(canon, seat) != 0 || (s->hall && !ys_hall_seat_of(s, seat))))
        return ys_fail(err, YS_CORRUPT, "seat", "delegate.seat: seat '%s' is not a seat of the hall", seat);
    if (swap ? !seat || !from || holder != swap : holder != 0)
        return ys_fail(err, YS_CORRUPT, "seat", "delegate.seat: seat %s is held by delegate %d", seat ? seat : "", holder);
    return YS_OK;
}

ys_rc ys_apply_delegate_seat(ys_session *s, const ys_event *ev, ys_err *err)
{
    const json_t *p = ev->payload;
    const char *seat, *from;
    int id, swap = 0;
    ys_rc rc;
    if ((rc = ys_fold_ref(p, "delegate", s->n_delegates, false, &id, err)) || (rc = ys_pl_str_opt(p, "seat", &seat, err)) ||
        (rc = ys_pl_str_opt(p, "from", &from, err)) ||
        (json_object_get(p, "swap") && (rc = ys_fold_ref(p, "swap", s->n_delegates, false, &swap, err))) ||
        (rc = check_move(s, id, seat, from, swap, err)))
        return rc;
    ys_delegate *d = &s->delegates[id - 1], *o = swap ? &s->delegates[swap - 1] : NULL;
    char *to = seat ? ys_strdup(seat) : NULL, *back = o ? ys_strdup(from) : NULL;
    if ((seat && !to) || (o && !back)) {
        ys_free(to), ys_free(back);
        return ys_fold_nomem(ev, err);
    }
    ys__rec_out(s, YS_REC_DELEGATE, id, 0);
    if (o)
        ys__rec_out(s, YS_REC_DELEGATE, swap, 0);
    if (from)
        ys_map_del(s->by_seat, from);
    ys_free(d->seat);
    d->seat = to;
    if (o) {
        ys_free(o->seat);
        o->seat = back;
    }
    if ((seat && ys_map_put(s->by_seat, seat, id)) || (o && ys_map_put(s->by_seat, from, swap)))
        return ys_fold_nomem(ev, err);
    ys__rec_in(s, YS_REC_DELEGATE, id, 0);
    if (o)
        ys__rec_in(s, YS_REC_DELEGATE, swap, 0);
    return YS_OK;
}

ys_rc ys_cmd_delegate_seat(const ys_session *s, const ys_ctx *c, const char *code, const char *seat, bool swap,
                           ys_events *out, ys_err *err)
{
    char to[16];
    const ys_delegate *d = code ? ys_delegate_by_code(s, code) : NULL;
    if (!ys_session_initialized(s))
        return ys_fail(err, YS_STATE, NULL, "the session file has not been initialised (yishi init)");
    if (!d)
        return ys_fail(err, YS_NOT_FOUND, "delegate", "no delegate with code '%s'", code ? code : "");
    if (!seat && !d->seat)
        return ys_fail(err, YS_CONFLICT, "seat", "%s (%s) has no seat", d->name, d->code);
    if (seat && !d->entitled)
        return ys_fail(err, YS_CONFLICT, "delegate", "the mandate of %s (%s) has ended; they take no seat", d->name, d->code);
    if (seat && !ys_seat_canonical(seat, to))
        return ys_fail(err, YS_INVALID, "seat", "seat '%.40s' is not ROW-NUMBER such as 12-5", seat);
    if (seat && s->hall && !ys_hall_seat_of(s, to))
        return ys_fail(err, YS_NOT_FOUND, "seat", "seat %s is not in the hall's layout (%zu seats)", to, s->hall->n_seats);
    if (seat && same_text(d->seat, to))
        return ys_fail(err, YS_CONFLICT, "seat", "%s (%s) already sits in %s", d->name, d->code, to);
    int holder = seat ? ys_map_get(s->by_seat, to) : 0;
    const ys_delegate *h = holder ? &s->delegates[holder - 1] : NULL;
    if (h && !swap)
        return ys_fail(err, YS_CONFLICT, "seat", "seat %s is taken by %s (%s, %s); move them first, or swap", to, h->name,
                       h->code, s->delegations[h->delegation - 1].name);
    if (h && !d->seat)
        return ys_fail(err, YS_CONFLICT, "swap", "%s (%s) has no seat to give %s (%s) in a swap", d->name, d->code, h->name,
                       h->code);
    json_t *p = json_pack("{s:i, s:o, s:o}", "delegate", d->id, "seat", seat ? json_string(to) : json_null(), "from",
                          d->seat ? json_string(d->seat) : json_null());
    if (p && h && json_object_set_new(p, "swap", json_integer(h->id))) {
        json_decref(p);
        p = NULL;
    }
    return ys_events_add(out, c->time, c->actor, "delegate.seat", p, err);
}
