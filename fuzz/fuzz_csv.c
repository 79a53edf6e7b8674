/* fuzz_csv.c — libFuzzer target for the CSV parser: any bytes must give either a table or a list of
 * problems, never a crash, a leak or undefined behaviour; a table must hold what the header promises. */
#include "yishi/csv.h"
#include "yishi/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What a caller relies on when parsing succeeds; abort() makes a broken promise a crash. */
static void check_table(const ys_csv *c)
{
    if (c->header.n == 0 || c->header.n > YS_CSV_MAX_FIELDS)
        abort();
    for (size_t i = 0; i < c->header.n; i++)
        if (!c->header.fields[i][0] || ys_csv_column(c, c->header.fields[i]) != (int)i)
            abort();
    int last = c->header.line;
    for (size_t r = 0; r < c->n_rows; r++) {
        const ys_csv_row *row = &c->rows[r];
        if (row->n != c->header.n || row->line <= last)
            abort();
        last = row->line;
        for (size_t i = 0; i < row->n; i++) {
            size_t n = strlen(row->fields[i]);
            if (n > YS_CSV_MAX_FIELD || !ys_utf8_valid(row->fields[i], n))
                abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ys_diags d;
    ys_csv *c = NULL;
    ys_diags_init(&d);
    ys_rc rc = ys_csv_parse((const char *)data, size, &c, &d);
    if (rc == YS_OK) {
        if (!c || ys_diags_count(&d) != 0)
            abort();
        check_table(c);
    } else if (c || (rc == YS_INVALID && ys_diags_count(&d) == 0)) {
        abort();
    }
    for (size_t i = 0; i < d.n; i++)
        if (d.v[i].line < 0)
            abort();
    ys_csv_free(c);
    ys_diags_free(&d);
    return 0;
}
