/* cmd_backup.c — `yishi backup`: a consistent copy of a session file while a server may be serving it. The
 * copy is one read transaction's snapshot written whole (no WAL beside it, which copying the files by hand
 * would take half of), then verified as `yishi verify` verifies, so a backup that was made is one that
 * restores. */
#include "cli.h"

#include "yishi/store.h"

#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

/* The copy replays: its chain, its checkpoints, its ballot box and its projections as the file's. */
static int verify_copy(const char *out)
{
    ys_verify_report rep;
    ys_err err = {0};
    ys_rc rc = ys_journal_verify(out, &rep, &err);
    if (rc || !rep.ok) {
        unlink(out);
        if (rc)
            return ys_cli_fail("backup", rc, &err);
        fprintf(stderr, "yishi backup: the copy does not verify (%s); nothing was kept\n", rep.reason);
        return YS_EXIT_REFUSED;
    }
    char digest[YS_HASH_HEX];
    ys_hash_hex(rep.digest, digest);
    printf("backed up to %s: %lld events, state digest %s, verified\n", out, (long long)rep.events, digest);
    return YS_EXIT_OK;
}

int ys_cli_backup(int argc, char **argv)
{
    static const struct option longopts[] = {YS_CLI_FILE_OPTION, {NULL, 0, NULL, 0}};
    const char *file = YS_DEFAULT_FILE;
    ys_store *st = NULL;
    ys_err err = {0};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
        if (c != 'f')
            return ys_cli_usage_error("backup", "unknown option");
        file = optarg;
    }
    if (optind != argc - 1)
        return ys_cli_usage_error("backup", optind == argc ? "name the copy to write (OUT)" : "one copy at a time");
    const char *out = argv[optind];
    /* read-only: no writer's lock, so a running server goes on writing while the snapshot is read */
    ys_rc rc = ys_store_open(file, YS_STORE_READONLY, &st, &err);
    if (!rc)
        rc = ys_store_backup(st, out, &err);
    ys_store_close(st);
    return rc ? ys_cli_fail("backup", rc, &err) : verify_copy(out);
}
