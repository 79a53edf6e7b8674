/* csv.c — splits RFC 4180 CSV text into a header and records, and checks its form: every problem
 * goes to the caller's list with its line. Pure C with no I/O, and safe on any bytes (it is fuzzed). */
#include "yishi/csv.h"

#include "yishi/alloc.h"
#include "yishi/utf8.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* How a field ended. */
enum { END_FIELD, END_RECORD, END_FILE };

typedef struct parser {
    const unsigned char *p, *end;
    int line;             /* physical line of *p, 1-based */
    ys_diags *diags;      /* may be NULL: then problems are only counted */
    size_t problems;
    bool nomem;
    bool stop;            /* too many records: the rest is not read */

    /* The record being read. Fields past YS_CSV_MAX_FIELDS and bytes past YS_CSV_MAX_FIELD are
     * counted but not kept, so this buffer never grows beyond those limits. */
    int rec_line;
    char *buf;
    size_t len, cap;
    size_t n_fields;
    size_t start[YS_CSV_MAX_FIELDS];
    bool too_long[YS_CSV_MAX_FIELDS];
    size_t flen;          /* bytes of the current field, kept or not */
    bool quoted_first;    /* a record of one quoted empty field ("") is data, not a blank line */
    bool ink;             /* the record holds a byte other than space or tab, kept or not */

    ys_csv *csv;
    size_t rows_cap;
    bool have_header;
} parser;

/* ---- problems ---- */

/* Copies s into dst (cap bytes) without cutting a UTF-8 character in two. */
static void clip(char *dst, size_t cap, const char *s)
{
    size_t n = ys_utf8_cut(s, cap - 1);
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static void problem(parser *ps, int line, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem(parser *ps, int line, const char *field, const char *fmt, ...)
{
    ps->problems++;
    if (!ps->diags)
        return;
    char msg[sizeof ps->diags->v[0].msg];
    char name[sizeof ps->diags->v[0].field];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    clip(name, sizeof name, field ? field : "");
    ys_diags_add(ps->diags, line, name, "%s", msg);
}

/* The header's name for column i, for messages; "" before the header is read. */
static const char *column_name(const parser *ps, size_t i)
{
    const ys_csv_row *h = &ps->csv->header;
    return ps->have_header && i < h->n ? h->fields[i] : "";
}

static void next_line(parser *ps)
{
    if (ps->line < INT_MAX)
        ps->line++;
}

/* Whole-file checks that do not depend on quoting: the encoding of each physical line. Invalid
 * bytes are reported on the line where they sit, even inside a quoted field spanning lines. */
static void check_encoding(parser *ps)
{
    const unsigned char *s = ps->p;
    int line = 1;
    bool bad = false;
    while (s < ps->end) {
        const unsigned char *e = s;
        while (e < ps->end && *e != '\n' && *e != '\r')
            e++;
        size_t n = (size_t)(e - s), ok = ys_utf8_prefix((const char *)s, n);
        if (ok < n) {
            problem(ps, line, "", "invalid UTF-8 at byte %zu of the line", ok + 1);
            bad = true;
        }
        if (memchr(s, '\0', n))
            problem(ps, line, "", "the line holds a NUL byte");
        if (e == ps->end)
            break;
        if (*e == '\r' && e + 1 < ps->end && e[1] == '\n')
            e++;
        s = e + 1;
        if (line < INT_MAX)
            line++;
    }
    /* Spreadsheets in China often save CSV as GBK; say how to fix it once, not per line. */
    if (bad)
        problem(ps, 0, "", "the file is not UTF-8 (GBK or GB18030?); save it again as \"CSV UTF-8\"");
}

/* Files that are not CSV text at all get one clear problem instead of a problem per line. */
static bool refuse_other_format(parser *ps)
{
    size_t n = (size_t)(ps->end - ps->p);
    const unsigned char *s = ps->p;
    if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
        problem(ps, 0, "", "the file is UTF-16; save it again as \"CSV UTF-8\"");
        return true;
    }
    if (n >= 4 && memcmp(s, "PK\x03\x04", 4) == 0) {
        problem(ps, 0, "", "the file is a spreadsheet (xlsx), not CSV; save it as \"CSV UTF-8\"");
        return true;
    }
    return false;
}

/* ---- reading fields ---- */

static void put(parser *ps, char c)
{
    size_t i = ps->n_fields;
    if (c != ' ' && c != '\t')
        ps->ink = true;
    if (i >= YS_CSV_MAX_FIELDS)
        return;
    if (ps->flen++ >= YS_CSV_MAX_FIELD) {
        ps->too_long[i] = true;
        return;
    }
    if (ys_grow((void **)&ps->buf, &ps->cap, ps->len + 1, 1)) {
        ps->nomem = true;
        return;
    }
    ps->buf[ps->len++] = c;
}

static void begin_field(parser *ps)
{
    ps->flen = 0;
    if (ps->n_fields < YS_CSV_MAX_FIELDS) {
        ps->start[ps->n_fields] = ps->len;
        ps->too_long[ps->n_fields] = false;
    }
}

static void end_field(parser *ps)
{
    if (ps->n_fields < YS_CSV_MAX_FIELDS) {
        if (ys_grow((void **)&ps->buf, &ps->cap, ps->len + 1, 1))
            ps->nomem = true;
        else
            ps->buf[ps->len++] = '\0';
    }
    ps->n_fields++;
}

/* Consumes one line end: CRLF, LF or a lone CR. */
static void eat_eol(parser *ps)
{
    if (*ps->p == '\r' && ps->p + 1 < ps->end && ps->p[1] == '\n')
        ps->p++;
    ps->p++;
    next_line(ps);
}

/* After a field: what ends it. *p is at the end, a comma or a line end. */
static int terminator(parser *ps)
{
    if (ps->p >= ps->end)
        return END_FILE;
    if (*ps->p == ',') {
        ps->p++;
        return END_FIELD;
    }
    eat_eol(ps);
    return END_RECORD;
}

static bool is_eol(unsigned char c) { return c == '\n' || c == '\r'; }

/* An unquoted field runs to the next comma or line end. A quote inside it is kept but reported:
 * it usually means a quoted field whose opening quote is not the field's first character. */
static int read_plain(parser *ps)
{
    bool stray = false;
    while (ps->p < ps->end && *ps->p != ',' && !is_eol(*ps->p)) {
        if (*ps->p == '"')
            stray = true;
        put(ps, (char)*ps->p++);
    }
    if (stray)
        problem(ps, ps->line, column_name(ps, ps->n_fields),
                "field %zu holds a quote but does not start with one; quote the whole field "
                "and double the quotes inside it", ps->n_fields + 1);
    return terminator(ps);
}

/* A quoted field: "" is one quote, line ends are kept as LF. After the closing quote only a comma,
 * a line end or the end of the file may follow; anything else is reported and skipped. */
static int read_quoted(parser *ps)
{
    int opened = ps->line;
    ps->p++;
    for (;;) {
        if (ps->p >= ps->end) {
            problem(ps, opened, column_name(ps, ps->n_fields),
                    "the quote that opens field %zu is never closed", ps->n_fields + 1);
            return END_FILE;
        }
        unsigned char c = *ps->p;
        if (c == '"') {
            if (ps->p + 1 < ps->end && ps->p[1] == '"') {
                put(ps, '"');
                ps->p += 2;
                continue;
            }
            ps->p++;
            break;
        }
        if (is_eol(c)) {
            eat_eol(ps);
            put(ps, '\n');
            continue;
        }
        put(ps, (char)c);
        ps->p++;
    }
    if (ps->p < ps->end && *ps->p != ',' && !is_eol(*ps->p)) {
        problem(ps, ps->line, column_name(ps, ps->n_fields),
                "text after the closing quote of field %zu", ps->n_fields + 1);
        while (ps->p < ps->end && *ps->p != ',' && !is_eol(*ps->p))
            ps->p++;
    }
    return terminator(ps);
}

/* Reads one record into ps->buf; returns how the last field ended. */
static int read_record(parser *ps)
{
    int end;
    ps->rec_line = ps->line;
    ps->len = 0;
    ps->n_fields = 0;
    ps->ink = false;
    ps->quoted_first = ps->p < ps->end && *ps->p == '"';
    do {
        begin_field(ps);
        end = ps->p < ps->end && *ps->p == '"' ? read_quoted(ps) : read_plain(ps);
        end_field(ps);
    } while (end == END_FIELD && !ps->nomem);
    return end;
}

/* A line that is empty or only spaces and tabs, however long. */
static bool record_is_blank(const parser *ps)
{
    return ps->n_fields == 1 && !ps->quoted_first && !ps->ink;
}

/* ---- building the table ---- */

/* Copies the record just read into row: one allocation holding the field pointers, then the bytes. */
static int build_row(parser *ps, ys_csv_row *row)
{
    size_t n = ps->n_fields < YS_CSV_MAX_FIELDS ? ps->n_fields : YS_CSV_MAX_FIELDS;
    char **block = ys_malloc(n * sizeof(char *) + ps->len);
    if (!block) {
        ps->nomem = true;
        return -1;
    }
    char *bytes = (char *)(block + n);
    memcpy(bytes, ps->buf, ps->len);
    for (size_t i = 0; i < n; i++)
        block[i] = bytes + ps->start[i];
    row->line = ps->rec_line;
    row->n = n;
    row->fields = block;
    return 0;
}

static bool is_space(char c) { return c == ' ' || c == '\t'; }

static void trim(char *s)
{
    size_t n = strlen(s), a = 0;
    while (a < n && is_space(s[a]))
        a++;
    while (n > a && is_space(s[n - 1]))
        n--;
    memmove(s, s + a, n - a);
    s[n - a] = '\0';
}

static void check_record_size(parser *ps)
{
    if (ps->n_fields > YS_CSV_MAX_FIELDS)
        problem(ps, ps->rec_line, "", "the record has %zu fields, more than %d", ps->n_fields,
                YS_CSV_MAX_FIELDS);
    for (size_t i = 0; i < ps->n_fields && i < YS_CSV_MAX_FIELDS; i++)
        if (ps->too_long[i])
            problem(ps, ps->rec_line, column_name(ps, i), "field %zu is longer than %d bytes",
                    i + 1, YS_CSV_MAX_FIELD);
}

static void take_header(parser *ps)
{
    ys_csv_row *h = &ps->csv->header;
    if (build_row(ps, h))
        return;
    ps->have_header = true;
    for (size_t i = 0; i < h->n; i++) {
        trim(h->fields[i]);
        if (!h->fields[i][0]) {
            problem(ps, h->line, "", "column %zu of the header has no name", i + 1);
            continue;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(h->fields[i], h->fields[j]) == 0) {
                problem(ps, h->line, h->fields[i], "column %zu repeats the name of column %zu",
                        i + 1, j + 1);
                break;
            }
    }
}

static void take_row(parser *ps)
{
    ys_csv *c = ps->csv;
    if (ps->n_fields != c->header.n)
        problem(ps, ps->rec_line, "", "the record has %zu fields, the header has %zu",
                ps->n_fields, c->header.n);
    if (c->n_rows >= YS_CSV_MAX_ROWS) {
        problem(ps, ps->rec_line, "", "more than %d records; the rest of the file is not read",
                YS_CSV_MAX_ROWS);
        ps->stop = true;
        return;
    }
    /* Once the file is known to be refused its rows are not kept: only its problems matter. */
    if (ps->problems)
        return;
    if (ys_grow((void **)&c->rows, &ps->rows_cap, c->n_rows + 1, sizeof *c->rows)) {
        ps->nomem = true;
        return;
    }
    if (build_row(ps, &c->rows[c->n_rows]) == 0)
        c->n_rows++;
}

static void take_record(parser *ps)
{
    check_record_size(ps);
    if (!ps->have_header)
        take_header(ps);
    else
        take_row(ps);
}

static void parse_records(parser *ps)
{
    while (ps->p < ps->end && !ps->nomem && !ps->stop) {
        int end = read_record(ps);
        if (ps->nomem)
            break;
        if (!record_is_blank(ps))
            take_record(ps);
        if (end == END_FILE)
            break;
    }
    if (!ps->nomem && !ps->have_header)
        problem(ps, 0, "", "the file is empty; it needs a header row naming the columns");
}

ys_rc ys_csv_parse(const char *text, size_t len, ys_csv **out, ys_diags *diags)
{
    ys_rc rc = YS_OK;
    parser ps = {.line = 1, .diags = diags};
    *out = NULL;
    if (!text && len)
        return YS_INVALID;
    ps.p = (const unsigned char *)(text ? text : "");
    ps.end = ps.p + len;
    if (len >= 3 && memcmp(ps.p, "\xEF\xBB\xBF", 3) == 0)
        ps.p += 3;
    ps.csv = ys_calloc(1, sizeof *ps.csv);
    if (!ps.csv) {
        rc = YS_NOMEM;
        goto out;
    }
    if (!refuse_other_format(&ps)) {
        check_encoding(&ps);
        parse_records(&ps);
    }
    if (ps.nomem)
        rc = YS_NOMEM;
    else if (ps.problems)
        rc = YS_INVALID;
out:
    ys_free(ps.buf);
    if (rc == YS_OK)
        *out = ps.csv;
    else
        ys_csv_free(ps.csv);
    return rc;
}

void ys_csv_free(ys_csv *c)
{
    if (!c)
        return;
    ys_free(c->header.fields);
    for (size_t i = 0; i < c->n_rows; i++)
        ys_free(c->rows[i].fields);
    ys_free(c->rows);
    ys_free(c);
}

int ys_csv_column(const ys_csv *c, const char *name)
{
    if (!c || !name)
        return -1;
    size_t n = strlen(name), a = 0;
    while (a < n && is_space(name[a]))
        a++;
    while (n > a && is_space(name[n - 1]))
        n--;
    for (size_t i = 0; i < c->header.n && i < INT_MAX; i++) {
        const char *h = c->header.fields[i];
        if (strlen(h) == n - a && memcmp(h, name + a, n - a) == 0)
            return (int)i;
    }
    return -1;
}
