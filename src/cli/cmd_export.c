/* cmd_export.c — `yishi export`: the session in open formats for others to read: Popolo JSON, the lists as CSV,
 * each meeting's record as an Akoma Ntoso debate; one file, or a folder of them. */
#include "cli/cli.h"
#include "cli/out_file.h"

#include "yishi/alloc.h"
#include "yishi/number.h"
#include "yishi/reports.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>

typedef struct export_opts {
    const char *list; /* csv: one list */
    int meeting;      /* akn: one meeting */
    const char *out;
} export_opts;

/* The folder -o names for an export of many files, made if missing. */
static int folder(const char *dir)
{
    ys_err err;
    if (!dir)
        return ys_cli_usage_error("export", "an export of many files needs -o DIR (or name one: --list, --meeting)");
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        ys_fail(&err, YS_IO, "output", "cannot make the folder %s: %s", dir, strerror(errno));
        return ys_cli_fail("export", YS_IO, &err);
    }
    return YS_EXIT_OK;
}

/* Writes bytes to path (NULL: standard output) and frees them; NULL bytes: the failure in err. */
static int emit(const char *path, char *bytes, size_t len, const ys_err *err)
{
    int code = bytes ? ys_cli_write_out("export", path, bytes, len) : ys_cli_fail("export", err->rc, err);
    ys_free(bytes);
    return code;
}

static int popolo(const ys_session *s, const export_opts *o)
{
    ys_err err = {0};
    json_t *j = ys_export_popolo(s, &err);
    char *text = j ? ys_json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    if (j && !text)
        ys_fail(&err, YS_NOMEM, "export", "out of memory for the Popolo export");
    return emit(o->out, text, text ? strlen(text) : 0, &err);
}

static int csv(const ys_session *s, const export_opts *o)
{
    ys_err err = {0};
    size_t len = 0;
    int code;
    char path[4096];
    char *bytes;
    if (o->list) {
        bytes = ys_export_csv(s, o->list, &len, &err);
        return emit(o->out, bytes, len, &err);
    }
    if ((code = folder(o->out)))
        return code;
    for (size_t i = 0; ys_export_csv_lists[i] && !code; i++) {
        snprintf(path, sizeof path, "%s/%s.csv", o->out, ys_export_csv_lists[i]);
        bytes = ys_export_csv(s, ys_export_csv_lists[i], &len, &err);
        code = emit(path, bytes, len, &err);
    }
    return code;
}

/* The command line reads the file itself, so what each speaker said goes in (the server decides per viewer). */
static int akn(const ys_session *s, const export_opts *o)
{
    ys_err err = {0};
    size_t len = 0;
    int code;
    char path[4096];
    char *bytes;
    if (o->meeting) {
        bytes = ys_export_akn(s, o->meeting, true, &len, &err);
        return emit(o->out, bytes, len, &err);
    }
    if ((code = folder(o->out)))
        return code;
    for (size_t i = 0; i < s->n_meetings && !code; i++) {
        snprintf(path, sizeof path, "%s/meeting-%d.xml", o->out, s->meetings[i].id);
        bytes = ys_export_akn(s, s->meetings[i].id, true, &len, &err);
        code = emit(path, bytes, len, &err);
    }
    return code;
}

static const struct {
    const char *name;
    int (*run)(const ys_session *s, const export_opts *o);
} formats[] = {{"popolo", popolo}, {"csv", csv}, {"akn", akn}};

int ys_cli_export(int argc, char **argv)
{
    static const struct option longopts[] = {YS_CLI_FILE_OPTION, {"list", required_argument, NULL, 'l'},
                                             {"meeting", required_argument, NULL, 'm'},
                                             {"output", required_argument, NULL, 'o'}, {NULL, 0, NULL, 0}};
    const char *file = YS_DEFAULT_FILE;
    export_opts o = {0};
    int c, code = YS_EXIT_USAGE;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:o:", longopts, NULL)) != -1) {
        long long v;
        if (c == 'f')
            file = optarg;
        else if (c == 'o')
            o.out = optarg;
        else if (c == 'l')
            o.list = optarg;
        else if (c == 'm') {
            if ((code = ys_cli_int("export", "--meeting", optarg, 1, YS_ID_MAX, &v)))
                return code;
            o.meeting = (int)v;
        } else
            return ys_cli_usage_error("export", "unknown option");
    }
    size_t k = 0;
    while (argc - optind == 1 && k < sizeof formats / sizeof formats[0] && strcmp(formats[k].name, argv[optind]))
        k++;
    if (argc - optind != 1 || k == sizeof formats / sizeof formats[0])
        return ys_cli_usage_error("export", "which export? (popolo, csv, akn)");
    if ((o.list && k != 1) || (o.meeting && k != 2))
        return ys_cli_usage_error("export", "%s is for the %s export", o.list ? "--list" : "--meeting",
                                  o.list ? "csv" : "akn");
    ys_journal *j = ys_cli_open("export", file, YS_STORE_READONLY, &code);
    if (!j)
        return code;
    code = formats[k].run(j->session, &o);
    ys_journal_close(j);
    return code;
}
