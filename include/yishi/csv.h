/* csv.h — RFC 4180 CSV in UTF-8 as secretariats export it from spreadsheets: a byte-order mark
 * is accepted, CRLF or LF line ends, quoted fields with embedded commas, quotes and newlines.
 * The parser only splits; what the columns mean is checked by the importer. */
#ifndef YISHI_CSV_H
#define YISHI_CSV_H

#include "yishi/diag.h"
#include "yishi/error.h"

#include <stddef.h>

typedef struct ys_csv_row {
    int line;        /* line in the file where the record starts (1-based) */
    size_t n;        /* number of fields */
    char **fields;   /* NUL-terminated, owned by the ys_csv */
} ys_csv_row;

typedef struct ys_csv {
    ys_csv_row header;  /* the first record; names trimmed of surrounding spaces */
    ys_csv_row *rows;   /* the records after the header; blank lines are skipped */
    size_t n_rows;
} ys_csv;

#define YS_CSV_MAX_FIELD 4096  /* bytes in one field */
#define YS_CSV_MAX_FIELDS 64   /* fields in one record */

/* Parses `text`. Problems of form (invalid UTF-8, an unterminated quote, a stray quote, a field or
 * record too long, a record whose field count differs from the header's, an empty or duplicated
 * header name) go to `diags` with their line; then YS_INVALID is returned and *out is NULL. */
ys_rc ys_csv_parse(const char *text, size_t len, ys_csv **out, ys_diags *diags);
void ys_csv_free(ys_csv *c);

/* Index of the header column `name` (exact match after trimming), or -1. */
int ys_csv_column(const ys_csv *c, const char *name);

/* Whether s is valid UTF-8 of n bytes (no overlongs, no surrogates). */
int ys_utf8_valid(const char *s, size_t n);

#endif
