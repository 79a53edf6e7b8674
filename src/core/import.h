/* import.h — what the importers of the core's CSV lists share (import.c: posts, delegates, attendees, agenda;
 * hall.c: the hall's layout): an import in progress, reading its cells, and reporting a bad row. Internal. */
#ifndef YS_CORE_IMPORT_H
#define YS_CORE_IMPORT_H

#include "core/map.h"
#include "yishi/command.h"

#include <ctype.h>
#include <stdlib.h>

typedef struct column {
    const char *name;
    bool required;
    size_t max;           /* bytes */
} column;

typedef struct ys__hall_build ys__hall_build;

/* One import in progress: the file, where each column is, the events so far, and the checks that
 * span rows (codes, seats and titles already taken in this file). */
typedef struct importer {
    const ys_session *s;
    const ys_ctx *c;
    const ys_csv *csv;
    const column *cols;
    int at[16];               /* column index in the file, -1 if absent */
    ys_events *out;
    ys_diags *diags;
    ys_map *seen_a, *seen_b;  /* per kind: codes and seats, titles, orders … */
    ys_map *new_names;        /* delegations / documents created by this file: name → new id */
    int next_new_id;
    bool nomem;
    ys__hall_build *hall;     /* the layout being gathered (hall.c), for a hall import */
} importer;

static inline const char *cell(const importer *im, const ys_csv_row *row, int col)
{
    int at = im->at[col];
    return at >= 0 && (size_t)at < row->n ? row->fields[at] : "";
}

static inline void bad(importer *im, const ys_csv_row *row, int col, const char *fmt, const char *v)
{
    ys_diags_add(im->diags, row->line, im->cols[col].name, fmt, v);
}

static inline bool parse_int(const char *v, int min, int max, int *out)
{
    char *end;
    *out = 0;
    if (!*v || !isdigit((unsigned char)*v))
        return false;
    long n = strtol(v, &end, 10);
    if (*end || n < min || n > max)
        return false;
    *out = (int)n;
    return true;
}

static inline void emit(importer *im, const char *type, json_t *p)
{
    ys_err err;
    if (ys_events_add(im->out, im->c->time, im->c->actor, type, p, &err))
        im->nomem = true;
}

/* A name seen twice in the file is reported at its second line, with the first. */
static inline bool once(importer *im, ys_map *seen, const ys_csv_row *row, int col, const char *v, const char *what)
{
    int first = ys_map_get(seen, v);
    if (first) {
        ys_diags_add(im->diags, row->line, im->cols[col].name, "%s '%s' is also on line %d", what, v, first);
        return false;
    }
    if (ys_map_put(seen, v, row->line))
        im->nomem = true;
    return true;
}

/* The hall's layout (hall.c): its columns; starting (refused while a vote is open), one row, and the end,
 * which emits the one hall.layout event when every row was good. */
extern const column ys__hall_columns[];
bool ys__hall_begin(importer *im);
void ys__hall_row(importer *im, const ys_csv_row *row);
void ys__hall_finish(importer *im);
void ys__hall_end(importer *im);

#endif
