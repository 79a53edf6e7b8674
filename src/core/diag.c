/* diag.c — the list of per-line problems that file parsers fill and the CLI prints. */
#include "yishi/diag.h"

#include "yishi/alloc.h"

#include <stdarg.h>
#include <string.h>

void ys_diags_init(ys_diags *d) { memset(d, 0, sizeof *d); }

void ys_diags_free(ys_diags *d)
{
    ys_free(d->v);
    memset(d, 0, sizeof *d);
}

void ys_diags_add(ys_diags *d, int line, const char *field, const char *fmt, ...)
{
    /* Out of memory or past the cap we still count the problem, so a file is never
     * accepted because its list of problems could not grow. */
    if (d->n >= YS_DIAGS_MAX || ys_grow((void **)&d->v, &d->cap, d->n + 1, sizeof *d->v)) {
        d->dropped++;
        return;
    }
    ys_err *g = &d->v[d->n++];
    va_list ap;
    va_start(ap, fmt);
    ys_vfail(g, YS_INVALID, field, fmt, ap);
    va_end(ap);
    g->line = line;
}

size_t ys_diags_count(const ys_diags *d) { return d->n + d->dropped; }

void ys_diags_print(const ys_diags *d, FILE *out, const char *file)
{
    for (size_t i = 0; i < d->n; i++) {
        const ys_err *g = &d->v[i];
        fprintf(out, "%s:%d: %s%s%s\n", file, g->line, g->field, g->field[0] ? ": " : "", g->msg);
    }
    if (d->dropped)
        fprintf(out, "%s: and %zu more problems\n", file, d->dropped);
}
