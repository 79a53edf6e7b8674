/* cmd_import.c — `yishi import KIND FILE.csv`: posts, delegates, attendees or the agenda from a
 * secretariat's spreadsheet. All rows or none: every bad row is listed with its line and reason. */
#include "cli/cli.h"

#include "yishi/alloc.h"

#include <string.h>
#include <unistd.h>

/* A progress bar on standard error while a long import is written, when it is a terminal. */
static void progress(size_t done, size_t total, void *ud)
{
    (void)ud;
    int width = 40, filled = (int)(done * (size_t)width / (total ? total : 1));
    fprintf(stderr, "\r[%.*s%*s] %3zu%% %zu/%zu", filled, "########################################",
            width - filled, "", done * 100 / (total ? total : 1), done, total);
    if (done == total)
        fputc('\n', stderr);
}

int ys_cli_import_text(ys_journal *j, ys_import_kind kind, const char *name, const char *text, size_t len,
                       bool quiet)
{
    ys_csv *csv = NULL;
    ys_diags diags;
    ys_events evs;
    char now[32];
    ys_ctx ctx = ys_cli_ctx(now);
    int code = YS_EXIT_OK;
    ys_diags_init(&diags);
    ys_events_init(&evs);
    ys_rc rc = ys_csv_parse(text, len, &csv, &diags);
    if (!rc)
        rc = ys_cmd_import(j->session, &ctx, kind, csv, &evs, &diags);
    if (rc) {
        ys_diags_print(&diags, stderr, name);
        fprintf(stderr, "yishi import: %s: %zu problem%s; nothing was imported\n", name, ys_diags_count(&diags),
                ys_diags_count(&diags) == 1 ? "" : "s");
        code = rc == YS_NOMEM ? YS_EXIT_FAILED : YS_EXIT_REFUSED;
        goto out;
    }
    size_t rows = csv->n_rows;
    if (!quiet && isatty(STDERR_FILENO) && evs.n >= 500)
        j->progress = progress;
    code = ys_cli_commit("import", j, &evs);
    j->progress = NULL;
    if (!code && !quiet)
        printf("%s: imported %zu %s from %s\n", ys_import_kind_key(kind), rows, rows == 1 ? "row" : "rows", name);
out:
    ys_events_free(&evs);
    ys_csv_free(csv);
    ys_diags_free(&diags);
    return code;
}

static int import_file(ys_journal *j, ys_import_kind kind, const char *csv_path)
{
    size_t len = 0;
    char *text = ys_cli_read_file(csv_path, &len);
    if (!text) {
        return ys_cli_unreadable("import", csv_path);
    }
    int code = ys_cli_import_text(j, kind, csv_path, text, len, false);
    ys_free(text);
    return code;
}

int ys_cli_import(int argc, char **argv)
{
    const char *file;
    int code = ys_cli_simple_options("import", argc, argv, 2, &file, NULL);
    if (code)
        return code;
    if (argc - optind != 2)
        return ys_cli_usage_error("import", "needs what to import and the CSV file");
    if (!ys_import_kind_parse(argv[optind]))
        return ys_cli_usage_error("import", "unknown list '%s' (posts, delegates, attendees, agenda or hall)", argv[optind]);
    ys_journal *j = ys_cli_open("import", file, 0, &code);
    if (!j)
        return code;
    code = import_file(j, (ys_import_kind)ys_import_kind_parse(argv[optind]), argv[optind + 1]);
    ys_journal_close(j);
    return code;
}
