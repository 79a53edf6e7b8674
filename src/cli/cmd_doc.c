/* cmd_doc.c — `yishi doc`: documents and their versions. A version's content is stored in the
 * session file by its BLAKE2b hash; the log records the hash, so a changed text is caught by verify. */
#include "cli/cli.h"

#include "yishi/alloc.h"

#include <getopt.h>
#include <sodium.h>
#include <string.h>

static int add(ys_journal *j, const char *title, const char *path, const char *note)
{
    size_t len = 0;
    char hex[YS_HASH_HEX], now[32];
    uint8_t h[YS_HASH_BYTES];
    ys_events evs;
    ys_err err = {0};
    char *data = ys_cli_read_file(path, &len);
    if (!data) {
        return ys_cli_unreadable("doc", path);
    }
    crypto_generichash(h, sizeof h, (const uint8_t *)data, len, NULL, 0);
    ys_hash_hex(h, hex);
    ys_ctx ctx = ys_cli_ctx(now);
    ys_events_init(&evs);
    ys_rc rc = ys_cmd_document(j->session, &ctx, title, hex, (long long)len, note, &evs, &err);
    ys_blob blob = {hex, data, len};
    if (!rc)
        rc = ys_journal_commit_blobs(j, &evs, &blob, 1, &err);
    ys_events_free(&evs);
    ys_free(data);
    if (rc)
        return ys_cli_fail("doc", rc, &err);
    const ys_document *d = ys_document_by_title(j->session, title);
    printf("%s: version %zu, %zu bytes, blake2b %.16s…\n", title, d->n_versions, len, hex);
    return YS_EXIT_OK;
}

static void list(const ys_session *s)
{
    for (size_t i = 0; i < s->n_documents; i++) {
        const ys_document *d = &s->documents[i];
        const ys_doc_version *v = d->n_versions ? &d->versions[d->n_versions - 1] : NULL;
        printf("%3d  %s  ", d->id, d->title);
        if (v)
            printf("(v%d, %lld bytes, %s)\n", v->number, (long long)v->size, v->time);
        else
            printf("(no text yet)\n");
    }
}

int ys_cli_doc(int argc, char **argv)
{
    static const struct option longopts[] = {YS_CLI_FILE_OPTION, {"note", required_argument, NULL, 'n'},
                                             {NULL, 0, NULL, 0}};
    const char *file = YS_DEFAULT_FILE, *note = NULL;
    int c, code;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
        if (c == 'f')
            file = optarg;
        else if (c == 'n')
            note = optarg;
        else
            return ys_cli_usage_error("doc", "unknown option");
    }
    const char *verb = optind < argc ? argv[optind] : "list";
    bool adding = strcmp(verb, "add") == 0;
    if (!adding && strcmp(verb, "list") != 0)
        return ys_cli_usage_error("doc", "unknown action '%s' (add or list)", verb);
    if (adding && argc - optind != 3)
        return ys_cli_usage_error("doc", "add needs a title and a file");
    ys_journal *j = ys_cli_open("doc", file, adding ? 0 : YS_STORE_READONLY, &code);
    if (!j)
        return code;
    if (adding)
        code = add(j, argv[optind + 1], argv[optind + 2], note);
    else
        list(j->session);
    ys_journal_close(j);
    return code;
}
