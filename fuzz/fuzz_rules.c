/* fuzz_rules.c — libFuzzer target for the rule-file parser: any bytes must give either a rule set
 * whose numbers are sane or a refusal with its problems listed, never a crash, a leak or a hang. */
#include "yishi/alloc.h"
#include "yishi/rules.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What a parsed set promises its users: arithmetic that cannot divide by zero or overflow. */
static void check(const ys_rules *r)
{
    const ys_threshold *t[] = {&r->quorum, &r->adoption, &r->election, &r->motion, &r->recall, &r->turnout};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        if (t[i]->defined && t[i]->den && (t[i]->num < 1 || t[i]->num > t[i]->den))
            abort();
        (void)ys_threshold_met(t[i], 366, 549);
        if (t[i]->defined && ys_threshold_min(t[i], 549) < 0)
            abort();
    }
    for (size_t i = 0; i < r->n_offices; i++)
        for (int seats = 0; seats < 60; seats += 7) {
            ys_candidate_range a = ys_office_range(r, &r->offices[i], seats, seats & 1);
            ys_candidate_range b = ys_office_further_range(r, &r->offices[i], seats);
            if (seats >= 1 && (a.max < seats || b.max < seats))
                abort();
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ys_rules *r = NULL;
    ys_diags d;
    ys_diags_init(&d);
    ys_rc rc = ys_rules_parse((const char *)data, size, &r, &d);
    if ((rc == YS_OK) != (r != NULL) || (rc == YS_RULES && ys_diags_count(&d) == 0))
        abort();
    if (r) {
        if (r->source_len != size)
            abort();
        check(r);
    }
    ys_rules_free(r);
    ys_diags_free(&d);
    return 0;
}
