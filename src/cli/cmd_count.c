/* cmd_count.c — `yishi count FILE|-`: counts a vote or an election from a JSON ballot file, as a
 * secretariat exports it from a ballot scanner, and prints the result as JSON. */
#include "cli/cli.h"
#include "cli/count_json.h"
#include "cli/rules_file.h"

#include "yishi/alloc.h"
#include "yishi/diag.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Loads the named rule set once; the count keeps it until the end. */
typedef struct loader {
    ys_rules *rules;
} loader;

static ys_rc load(void *ctx, const char *name, const ys_rules **out, ys_err *err)
{
    loader *l = ctx;
    ys_diags diags;
    ys_diags_init(&diags);
    ys_rc rc = ys_rules_load(name, &l->rules, &diags, err);
    if (rc) {
        /* A rule set that exists but does not parse is a different fault from one that is not there. */
        if (rc != YS_RULES && rc != YS_NOMEM)
            rc = YS_UNKNOWN_RULES;
        if (diags.n)
            ys_fail(err, rc, "rules", "rule set %s: line %d: %s", name, diags.v[0].line,
                    diags.v[0].msg);
        else if (err && !*err->msg)
            ys_fail(err, rc, "rules", "no rule set %s", name);
    }
    ys_diags_free(&diags);
    *out = l->rules;
    return rc;
}

/* The one-line JSON refusal of docs/count.md; returns `exit_code`. */
static int refuse(const ys_err *err, int exit_code)
{
    char *line = ys_count_json_error(err);
    fputs(line ? line : "{\"error\":\"out_of_memory\",\"message\":\"out of memory\"}\n", stderr);
    ys_free(line);
    return line ? exit_code : YS_EXIT_FAILED;
}

int ys_cli_count(int argc, char **argv)
{
    ys_err err;
    ys_err_clear(&err);
    if (argc != 2) {
        ys_cli_usage(stderr, "count");
        return YS_EXIT_USAGE;
    }
    size_t len = 0;
    char *text = ys_cli_read_file(argv[1], &len);
    if (!text) {
        ys_fail(&err, errno == EFBIG ? YS_TOO_LARGE : YS_IO, "file", "cannot read %s: %s", argv[1], strerror(errno));
        return refuse(&err, YS_EXIT_USAGE); /* as every command treats a file it is given and cannot read */
    }
    loader l = {0};
    char *out = NULL;
    ys_rc rc = ys_count_json(text, len, load, &l, &out, &err);
    ys_free(text);
    ys_rules_free(l.rules);
    if (rc)
        return refuse(&err, rc == YS_NOMEM ? YS_EXIT_FAILED : YS_EXIT_REFUSED);
    fputs(out, stdout);
    ys_free(out);
    return fflush(stdout) == 0 ? YS_EXIT_OK : YS_EXIT_REFUSED;
}
