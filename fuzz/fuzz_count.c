/* fuzz_count.c — libFuzzer target for `yishi count`'s ballot files: any bytes must give either a
 * result that is valid JSON or an error with a code, never a crash, a leak or undefined behaviour. */
#include "cli/count_json.h"

#include "yishi/alloc.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A provincial rule set made by hand, so the fuzzer needs no file: the numbers of prc-provincial. */
static ys_office offices[] = {
    {.key = "governor", .extra_min = {.count = 1}, .extra_max = {.count = 1},
     .uncontested_single = true},
    {.key = "vice_governor", .extra_min = {.count = 1}, .extra_max = {.count = 3},
     .further_contested = true},
    {.key = "sc_member", .extra_min = {.num = 1, .den = 10, .round = YS_ROUND_CEIL},
     .extra_max = {.num = 1, .den = 5, .round = YS_ROUND_FLOOR}, .further_contested = true},
    {.key = "npc_deputy", .extra_min = {.num = 1, .den = 5, .round = YS_ROUND_CEIL},
     .extra_max = {.num = 1, .den = 2, .round = YS_ROUND_FLOOR}, .further_contested = true,
     .further_single = 2},
};

static ys_rules rules = {
    .id = "fuzz",
    .quorum = {.defined = true, .num = 2, .den = 3, .cmp = YS_CMP_AT_LEAST},
    .adoption = {.defined = true, .num = 1, .den = 2, .cmp = YS_CMP_MORE_THAN},
    .constitutional = {.defined = true, .num = 2, .den = 3, .cmp = YS_CMP_AT_LEAST},
    .turnout = {.defined = true, .num = 1, .den = 2, .cmp = YS_CMP_MORE_THAN},
    .election = {.defined = true, .num = 1, .den = 2, .cmp = YS_CMP_MORE_THAN},
    .by_election_uncontested = true,
    .by_election_open = true,
    .offices = offices,
    .n_offices = sizeof offices / sizeof offices[0],
};

/* Every name is this rule set, except "none", which takes the unknown-rules path. */
static ys_rc load(void *ctx, const char *name, const ys_rules **out, ys_err *err)
{
    (void)ctx;
    if (strcmp(name, "none") == 0)
        return ys_fail(err, YS_UNKNOWN_RULES, "rules", "no rule set %s", name);
    *out = &rules;
    return YS_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *out = NULL;
    ys_err err;
    ys_rc rc = ys_count_json((const char *)data, size, load, NULL, &out, &err);
    if (rc == YS_OK) {
        size_t n = out ? strlen(out) : 0;
        json_t *j = n ? json_loadb(out, n, 0, NULL) : NULL;
        if (!j || out[n - 1] != '\n' || !json_is_object(j))
            abort();
        json_decref(j);
    } else {
        char *line = ys_count_json_error(&err);
        json_t *j = line ? json_loads(line, 0, NULL) : NULL;
        if (err.rc != rc || !j)
            abort();
        json_decref(j);
        ys_free(line);
    }
    ys_free(out);
    return 0;
}
