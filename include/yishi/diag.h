/* diag.h — a list of problems found in one file (a CSV, a rule file, a ballot file), each with
 * its line. Files are checked whole and refused with every problem, not just the first. */
#ifndef YISHI_DIAG_H
#define YISHI_DIAG_H

#include "yishi/error.h"

#include <stddef.h>
#include <stdio.h>

/* Each problem is a ys_err like any other failure's detail: rc YS_INVALID, `line` 1-based (0 when
 * the problem is with the file as a whole), `field` the column or key at fault ("" if none). */
typedef struct ys_diags {
    ys_err *v;
    size_t n, cap;
    size_t dropped;    /* problems beyond YS_DIAGS_MAX, counted but not kept */
} ys_diags;

#define YS_DIAGS_MAX 1000

void ys_diags_init(ys_diags *d);
void ys_diags_free(ys_diags *d);
void ys_diags_add(ys_diags *d, int line, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
size_t ys_diags_count(const ys_diags *d); /* kept + dropped */
/* Prints "file:line: field: message" per problem. */
void ys_diags_print(const ys_diags *d, FILE *out, const char *file);

#endif
