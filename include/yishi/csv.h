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
#define YS_CSV_MAX_ROWS 100000 /* records after the header; far above the largest congress */

/* Parses `text`. A line ends at CRLF, LF or a lone CR; inside a quoted field each such line end
 * becomes one LF, so a value does not depend on the system that exported the file. A line that is
 * empty or holds only spaces and tabs is skipped. On success *out is the table, owned by the caller,
 * freed with ys_csv_free(). YS_NOMEM when memory runs out (then *out is NULL too).
 * Problems of form (no header row, invalid UTF-8 or a NUL byte, an unterminated quote, a stray
 * quote, a field or record too long, too many records, a record whose field count differs from the
 * header's, an empty or duplicated header name) go to `diags` (may be NULL) with their line, the
 * file as a whole on line 0; then YS_INVALID is returned and *out is NULL. */
ys_rc ys_csv_parse(const char *text, size_t len, ys_csv **out, ys_diags *diags);
void ys_csv_free(ys_csv *c);

/* Index of the header column `name` (exact match, both sides trimmed of spaces and tabs), or -1. */
int ys_csv_column(const ys_csv *c, const char *name);

#endif
