/* gen_ballots.c — writes tests/vectors/ballots.json (docs/verifiable.md §13) to standard output:
 * `cmake --build build --target vballot_vectors && build/vballot_vectors > tests/vectors/ballots.json`. */
#include "ballots_gen.h"

#include "yishi/alloc.h"

#include <stdio.h>

int main(void)
{
    ys_err err = { 0 };
    char *text = ys_vectors_text(&err);
    if (!text) {
        fprintf(stderr, "vballot_vectors: %s: %s\n", err.field, err.msg);
        return 1;
    }
    fputs(text, stdout);
    ys_free(text);
    return 0;
}
