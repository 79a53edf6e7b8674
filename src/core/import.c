/* import.c — the secretariat's lists (posts, delegates, attendees, agenda, and the hall's layout in hall.c)
 * from CSV into events.
 * Every row is checked against the state and the rest of the file before any event is emitted:
 * one bad row and nothing is imported, with each bad row named by its line. */
#include "core/import.h"

#include "core/text.h"
#include "yishi/alloc.h"
#include "yishi/hall.h" /* ys_seat_canonical */

#include <string.h>

static const column post_columns[] = {{"rank", true, 9}, {"title", true, 120}, {NULL, false, 0}};
static const column delegate_columns[] = {
    {"code", true, 32}, {"name", true, 64}, {"gender", true, 8}, {"ethnicity", true, 32},
    {"delegation", true, 64}, {"seat", false, 16}, {"roles", false, 200}, {"post", false, 120},
    {NULL, false, 0}};
static const column attendee_columns[] = {
    {"name", true, 64}, {"kind", true, 16}, {"post", false, 120}, {"affiliation", false, 200}, {NULL, false, 0}};
static const column agenda_columns[] = {
    {"order", true, 6}, {"kind", true, 16}, {"title", true, 300}, {"presenter", false, 120},
    {"document", false, 200}, {NULL, false, 0}};

static const char *kind_keys[] = {NULL, "posts", "delegates", "attendees", "agenda", "hall"};
static const column *kind_columns[] = {NULL, post_columns, delegate_columns, attendee_columns, agenda_columns,
                                       ys__hall_columns};

const char *ys_import_kind_key(ys_import_kind k) { return k >= 1 && k <= YS_IMPORT_HALL ? kind_keys[k] : "?"; }

int ys_import_kind_parse(const char *key)
{
    for (int i = 1; i <= YS_IMPORT_HALL; i++)
        if (key && strcmp(kind_keys[i], key) == 0)
            return i;
    return 0;
}

/* Checks the header: every required column present, no unknown ones. */
static bool map_header(importer *im)
{
    size_t ncols = 0;
    for (; im->cols[ncols].name; ncols++)
        im->at[ncols] = ys_csv_column(im->csv, im->cols[ncols].name);
    for (size_t k = 0; k < ncols; k++)
        if (im->cols[k].required && im->at[k] < 0)
            ys_diags_add(im->diags, im->csv->header.line, im->cols[k].name, "required column '%s' is missing",
                         im->cols[k].name);
    for (size_t h = 0; h < im->csv->header.n; h++) {
        bool known = false;
        for (size_t k = 0; k < ncols; k++)
            known |= im->at[k] == (int)h;
        if (!known)
            ys_diags_add(im->diags, im->csv->header.line, im->csv->header.fields[h],
                         "unknown column '%s'", im->csv->header.fields[h]);
    }
    return ys_diags_count(im->diags) == 0;
}

/* The text checks every cell gets; true if the row's cells are all acceptable as text. */
static bool check_cells(importer *im, const ys_csv_row *row)
{
    bool ok = true;
    for (int k = 0; im->cols[k].name; k++) {
        const char *why = ys_text_problem(cell(im, row, k), im->cols[k].max, im->cols[k].required);
        if (why) {
            ys_diags_add(im->diags, row->line, im->cols[k].name, "%s %s", im->cols[k].name, why);
            ok = false;
        }
    }
    return ok;
}

/* ---- posts: rank,title ---- */

static void post_row(importer *im, const ys_csv_row *row)
{
    int rank;
    const char *title = cell(im, row, 1);
    bool ok = true;
    if (!parse_int(cell(im, row, 0), 1, 100000, &rank))
        bad(im, row, 0, "rank '%s' is not a whole number from 1 to 100000", cell(im, row, 0)), ok = false;
    if (ys_post_by_title(im->s, title))
        bad(im, row, 1, "post '%s' already exists in the session", title), ok = false;
    ok &= once(im, im->seen_a, row, 1, title, "post");
    if (ok)
        emit(im, "post.add", json_pack("{s:i, s:i, s:s}", "id", im->next_new_id++, "rank", rank, "title", title));
}

/* ---- delegates: code,name,gender,ethnicity,delegation,seat,roles,post ---- */

static bool valid_code(const char *v)
{
    for (; *v; v++)
        if (!isalnum((unsigned char)*v) && *v != '-' && *v != '_')
            return false;
    return true;
}

/* "presidium;delegation_head" → a JSON list of role keys, or NULL with the problem reported. */
static json_t *parse_roles(importer *im, const ys_csv_row *row, const char *v)
{
    json_t *list = json_array();
    unsigned have = 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", v);
    if (!list)
        im->nomem = true; /* not a row to leave out: the whole import fails */
    for (char *save = NULL, *tok = strtok_r(buf, ";", &save); list && tok; tok = strtok_r(NULL, ";", &save)) {
        while (*tok == ' ')
            tok++;
        unsigned bit = ys_role_parse(tok);
        if (!bit || (have & bit)) {
            bad(im, row, 6, bit ? "role '%s' is given twice" : "unknown role '%s' (known: presidium, "
                "executive_chair, secretary_general, delegation_head, delegation_deputy_head)", tok);
            json_decref(list);
            return NULL;
        }
        have |= bit;
        if (json_array_append_new(list, json_string(tok))) { /* a delegate without a role they hold: never */
            im->nomem = true;
            json_decref(list);
            return NULL;
        }
    }
    return list;
}

static int delegation_id(importer *im, const char *name)
{
    const ys_delegation *d = ys_delegation_by_name(im->s, name);
    if (d)
        return d->id;
    int id = ys_map_get(im->new_names, name);
    if (id)
        return id;
    id = (int)im->s->n_delegations + (int)ys_map_size(im->new_names) + 1;
    if (ys_map_put(im->new_names, name, id))
        im->nomem = true;
    emit(im, "delegation.add", json_pack("{s:i, s:s}", "id", id, "name", name));
    return id;
}

static void delegate_row(importer *im, const ys_csv_row *row)
{
    const char *code = cell(im, row, 0), *seat_in = cell(im, row, 5), *post = cell(im, row, 7);
    char seat[16] = "";
    const char *gender = ys_gender_parse(cell(im, row, 2));
    const ys_post *po = *post ? ys_post_by_title(im->s, post) : NULL;
    bool ok = true;
    if (!valid_code(code))
        bad(im, row, 0, "code '%s' may hold only letters, digits, '-' and '_'", code), ok = false;
    else if (ys_delegate_by_code(im->s, code))
        bad(im, row, 0, "delegate code '%s' is already in the session", code), ok = false;
    else
        ok &= once(im, im->seen_a, row, 0, code, "delegate code");
    if (!gender)
        bad(im, row, 2, "gender '%s' is not 男 or 女 (M or F)", cell(im, row, 2)), ok = false;
    if (*seat_in && !ys_seat_canonical(seat_in, seat))
        bad(im, row, 5, "seat '%s' is not ROW-NUMBER such as 12-5", seat_in), ok = false;
    else if (*seat && ys_map_get(im->s->by_seat, seat))
        bad(im, row, 5, "seat '%s' is already taken in the session", seat), ok = false;
    else if (*seat)
        ok &= once(im, im->seen_b, row, 5, seat, "seat");
    if (*post && !po)
        bad(im, row, 7, "post '%s' is not in the session's list of posts (import posts first)", post), ok = false;
    json_t *roles = parse_roles(im, row, cell(im, row, 6));
    if (!ok || !roles || ys_diags_count(im->diags)) {
        json_decref(roles);
        return;
    }
    int dl = delegation_id(im, cell(im, row, 4));
    json_t *p = json_pack("{s:i, s:s, s:s, s:s, s:s, s:i, s:o, s:i}", "id", im->next_new_id++, "code", code,
                          "name", cell(im, row, 1), "gender", gender, "ethnicity", cell(im, row, 3),
                          "delegation", dl, "roles", roles, "post", po ? po->id : 0);
    if (p && *seat && json_object_set_new(p, "seat", json_string(seat)))
        im->nomem = true;
    emit(im, "delegate.add", p);
}

/* ---- attendees: name,kind,post,affiliation ---- */

static void attendee_row(importer *im, const ys_csv_row *row)
{
    const char *kind = cell(im, row, 1), *post = cell(im, row, 2), *aff = cell(im, row, 3);
    const ys_post *po = *post ? ys_post_by_title(im->s, post) : NULL;
    bool ok = true;
    if (strcmp(kind, "attendee") && strcmp(kind, "observer"))
        bad(im, row, 1, "kind '%s' is not attendee (列席) or observer (旁听)", kind), ok = false;
    if (*post && !po)
        bad(im, row, 2, "post '%s' is not in the session's list of posts", post), ok = false;
    if (!ok || ys_diags_count(im->diags))
        return;
    json_t *p = json_pack("{s:i, s:s, s:s, s:i}", "id", im->next_new_id++, "name", cell(im, row, 0), "kind", kind,
                          "post", po ? po->id : 0);
    if (p && *aff && json_object_set_new(p, "affiliation", json_string(aff)))
        im->nomem = true;
    emit(im, "attendee.add", p);
}

/* ---- agenda: order,kind,title,presenter,document ---- */

static int document_id(importer *im, const char *title)
{
    const ys_document *d = ys_document_by_title(im->s, title);
    if (d)
        return d->id;
    int id = ys_map_get(im->new_names, title);
    if (id)
        return id;
    id = (int)im->s->n_documents + (int)ys_map_size(im->new_names) + 1;
    if (ys_map_put(im->new_names, title, id))
        im->nomem = true;
    emit(im, "document.add", json_pack("{s:i, s:s}", "id", id, "title", title));
    return id;
}

static void agenda_row(importer *im, const ys_csv_row *row)
{
    int order, kind = ys_item_kind_parse(cell(im, row, 1));
    const char *presenter = cell(im, row, 3), *doc = cell(im, row, 4);
    bool ok = true;
    if (!parse_int(cell(im, row, 0), 1, 99999, &order))
        bad(im, row, 0, "order '%s' is not a whole number from 1 to 99999", cell(im, row, 0)), ok = false;
    else {
        for (size_t i = 0; i < im->s->n_items; i++)
            if (im->s->items[i].order == order) {
                bad(im, row, 0, "agenda position %s is already taken in the session", cell(im, row, 0));
                ok = false;
            }
        ok &= once(im, im->seen_a, row, 0, cell(im, row, 0), "agenda position");
    }
    if (!kind)
        bad(im, row, 1, "kind '%s' is not deliberate, examine, hear, vote or elect", cell(im, row, 1)), ok = false;
    if (!ok || ys_diags_count(im->diags))
        return;
    int document = *doc ? document_id(im, doc) : 0;
    json_t *p = json_pack("{s:i, s:i, s:s, s:s, s:i}", "id", im->next_new_id++, "order", order, "kind",
                          ys_item_kind_key((ys_item_kind)kind), "title", cell(im, row, 2), "document", document);
    if (p && *presenter && json_object_set_new(p, "presenter", json_string(presenter)))
        im->nomem = true;
    emit(im, "item.add", p);
}

static int first_new_id(const ys_session *s, ys_import_kind kind)
{
    switch (kind) {
    case YS_IMPORT_POSTS: return (int)s->n_posts + 1;
    case YS_IMPORT_DELEGATES: return (int)s->n_delegates + 1;
    case YS_IMPORT_ATTENDEES: return (int)s->n_attendees + 1;
    case YS_IMPORT_AGENDA: return (int)s->n_items + 1;
    case YS_IMPORT_HALL: return 1;
    }
    return 1;
}

ys_rc ys_cmd_import(const ys_session *s, const ys_ctx *c, ys_import_kind kind, const ys_csv *csv,
                    ys_events *out, ys_diags *diags)
{
    static void (*const row_fn[])(importer *, const ys_csv_row *) = {NULL, post_row, delegate_row,
                                                                     attendee_row, agenda_row, ys__hall_row};
    importer im = {.s = s, .c = c, .csv = csv, .out = out, .diags = diags};
    ys_rc rc = YS_INVALID;
    if (!ys_session_initialized(s)) {
        ys_diags_add(diags, 0, "", "the session file has not been initialised (yishi init)");
        return YS_STATE;
    }
    if (kind < YS_IMPORT_POSTS || kind > YS_IMPORT_HALL)
        return YS_INVALID;
    im.cols = kind_columns[kind];
    im.next_new_id = first_new_id(s, kind);
    im.seen_a = ys_map_new(), im.seen_b = ys_map_new(), im.new_names = ys_map_new();
    if (!im.seen_a || !im.seen_b || !im.new_names) {
        rc = YS_NOMEM;
        goto out;
    }
    if (kind == YS_IMPORT_HALL && !ys__hall_begin(&im)) {
        rc = im.nomem ? YS_NOMEM : YS_STATE;
        goto out;
    }
    if (!map_header(&im))
        goto out;
    if (csv->n_rows == 0) {
        ys_diags_add(diags, csv->header.line, "", "the file has a header but no rows");
        goto out;
    }
    for (size_t i = 0; i < csv->n_rows && !im.nomem; i++)
        if (check_cells(&im, &csv->rows[i]))
            row_fn[kind](&im, &csv->rows[i]);
    if (kind == YS_IMPORT_HALL && !im.nomem && !ys_diags_count(diags))
        ys__hall_finish(&im);
    rc = im.nomem ? YS_NOMEM : ys_diags_count(diags) ? YS_INVALID : YS_OK;
out:
    if (rc)
        ys_events_free(out);
    ys__hall_end(&im);
    ys_map_free(im.seen_a), ys_map_free(im.seen_b), ys_map_free(im.new_names);
    return rc;
}
