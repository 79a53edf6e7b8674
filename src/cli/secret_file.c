/* secret_file.c — a trustee's secret and login files (secret_file.h): 0600, read only when no one else may
 * read them, and replaced atomically, so that an interrupted write never leaves half a key behind. */
#include "cli/secret_file.h"

#include "cli/cli.h"
#include "yishi/alloc.h"
#include "yishi/event.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool ys_secret_file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

ys_rc ys_secret_file_read(const char *path, json_t **out, ys_err *err)
{
    struct stat st;
    json_error_t je;
    size_t len = 0;
    *out = NULL;
    if (stat(path, &st) != 0)
        return ys_fail(err, errno == ENOENT ? YS_NOT_FOUND : YS_IO, "file", "cannot read %s: %s", path,
                       strerror(errno));
    if (!S_ISREG(st.st_mode))
        return ys_fail(err, YS_INVALID, "file", "%s is not a file", path);
    if (st.st_mode & 077)
        return ys_fail(err, YS_FORBIDDEN, "file", "%s may be read by others (mode %04o) and holds a trustee's "
                       "secrets: chmod 600 %s", path, (unsigned)(st.st_mode & 07777), path);
    char *text = ys_cli_read_file(path, &len);
    if (!text)
        return ys_fail(err, YS_IO, "file", "cannot read %s: %s", path, strerror(errno));
    json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    sodium_memzero(text, len);
    ys_free(text);
    if (!j)
        return ys_fail(err, YS_BAD_JSON, "file", "%s is not JSON: line %d, column %d: %s", path, je.line, je.column,
                       je.text);
    if (!json_is_object(j)) {
        json_decref(j);
        return ys_fail(err, YS_BAD_FIELD, "file", "%s is not a JSON object", path);
    }
    *out = j;
    return YS_OK;
}

/* Writes the whole text to fd and syncs it: 0, or the errno of the failure. */
static int write_all(int fd, const char *text, size_t len)
{
    for (size_t done = 0; done < len;) {
        ssize_t n = write(fd, text + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? errno : EIO;
        done += (size_t)n;
    }
    return fsync(fd) == 0 ? 0 : errno;
}

/* Syncs the folder of path, so that the rename is on disk too (a failure here loses nothing written). */
static void sync_folder(const char *path)
{
    char *copy = ys_strdup(path);
    int fd = copy ? open(dirname(copy), O_RDONLY | O_DIRECTORY) : -1;
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    ys_free(copy);
}

ys_rc ys_secret_file_write(const char *path, const json_t *j, ys_err *err)
{
    char tmp[4200];
    ys_rc rc = YS_OK;
    if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= (int)sizeof tmp)
        return ys_fail(err, YS_INVALID, "file", "the file's name is too long: %s", path);
    char *text = ys_json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!text)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory writing %s", path);
    size_t len = strlen(text);
    int fd = mkstemp(tmp); /* mode 0600 */
    int bad = fd < 0 ? errno : fchmod(fd, 0600) != 0 ? errno : write_all(fd, text, len);
    sodium_memzero(text, len);
    ys_free(text);
    if (fd >= 0 && close(fd) != 0 && !bad)
        bad = errno;
    if (!bad && rename(tmp, path) != 0)
        bad = errno;
    if (bad) {
        rc = ys_fail(err, bad == ENOSPC || bad == EDQUOT ? YS_DISK_FULL : YS_IO, "file", "cannot write %s: %s", path,
                     strerror(bad));
        if (fd >= 0)
            unlink(tmp);
        return rc;
    }
    sync_folder(path);
    return YS_OK;
}
