/* out_file.c — a command's output to standard output or, whole, to a file (reports, exports). */
#include "cli/out_file.h"

#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int ys_cli_write_out(const char *cmd, const char *path, const char *bytes, size_t len)
{
    ys_err err;
    char tmp[4200];
    if (!path || strcmp(path, "-") == 0) {
        if (fwrite(bytes, 1, len, stdout) == len && fflush(stdout) == 0)
            return YS_EXIT_OK;
        ys_fail(&err, YS_IO, "output", "cannot write the output: %s", strerror(errno));
        return ys_cli_fail(cmd, YS_IO, &err);
    }
    if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= (int)sizeof tmp) {
        ys_fail(&err, YS_INVALID, "output", "the file's name is too long: %s", path);
        return ys_cli_fail(cmd, YS_INVALID, &err);
    }
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    int bad = !f ? errno : fwrite(bytes, 1, len, f) != len || fflush(f) != 0 || fsync(fd) != 0 ? errno : 0;
    if (!bad)
        bad = fchmod(fd, 0644) != 0 ? errno : 0;
    if (f && fclose(f) != 0 && !bad)
        bad = errno;
    else if (!f && fd >= 0)
        close(fd);
    if (!bad && rename(tmp, path) != 0)
        bad = errno;
    if (bad) {
        if (fd >= 0)
            unlink(tmp);
        ys_fail(&err, bad == ENOSPC ? YS_DISK_FULL : YS_IO, "output", "cannot write %s: %s", path, strerror(bad));
        return ys_cli_fail(cmd, err.rc, &err);
    }
    return YS_EXIT_OK;
}
