/* lock.c — one writer per session file: an exclusive flock on FILE-lock, held from open to close, with
 * the holder's pid written in it so that a refused writer can say which process holds the file. */
#include "yishi/store.h"

#include "yishi/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* The lock is on a file of its own, not on the session file: SQLite takes POSIX locks on the session
 * file, and closing any descriptor of it (as SQLite does) would drop a POSIX lock of ours. flock locks
 * belong to the open file, so two opens even in one process exclude each other. */
struct ys_store_lock {
    int fd;
    char *path;
};

/* "pid 1234 (yishi serve -f demo.db)", or what can be known of the holder. */
static void describe_holder(int fd, char *out, size_t size)
{
    char buf[32] = "", path[64], cmd[160] = "";
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    long pid = n > 0 ? strtol(buf, NULL, 10) : 0;
    snprintf(out, size, "another process");
    if (pid <= 0)
        return;
    snprintf(path, sizeof path, "/proc/%ld/cmdline", pid);
    FILE *f = fopen(path, "rb");
    size_t len = f ? fread(cmd, 1, sizeof cmd - 1, f) : 0;
    if (f)
        fclose(f);
    for (size_t i = 0; len && i < len - 1; i++) /* arguments are NUL-separated */
        if (cmd[i] == '\0')
            cmd[i] = ' ';
    cmd[len] = '\0';
    snprintf(out, size, len ? "pid %ld (%s)" : "pid %ld", pid, cmd);
}

/* Once locked, the lock file must still be the one at its path: a holder removes it when it lets go,
 * and a lock on the removed file would exclude nobody. */
static bool still_linked(int fd, const char *path)
{
    struct stat a, b;
    return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static ys_rc refuse(int fd, const char *file, ys_err *err)
{
    char who[256];
    describe_holder(fd, who, sizeof who);
    return ys_fail(err, YS_CONFLICT, "file", "%s is open for writing by %s; one writer per session file (stop it, "
                   "or use the server's API while it runs)", file, who);
}

ys_rc ys_store_lock_take(const char *file, ys_store_lock **out, ys_err *err)
{
    ys_store_lock *lk = ys_calloc(1, sizeof *lk);
    size_t n = strlen(file) + sizeof "-lock";
    ys_rc rc = YS_OK;
    *out = NULL;
    if (!lk || !(lk->path = ys_malloc(n))) {
        ys_free(lk);
        return ys_fail(err, YS_NOMEM, NULL, "out of memory locking %s", file);
    }
    snprintf(lk->path, n, "%s-lock", file);
    for (;;) {
        if ((lk->fd = open(lk->path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0) {
            rc = ys_fail(err, YS_IO, "file", "cannot create the lock file %s: %s", lk->path, strerror(errno));
            break;
        }
        if (flock(lk->fd, LOCK_EX | LOCK_NB) != 0) {
            rc = errno == EWOULDBLOCK ? refuse(lk->fd, file, err)
                                      : ys_fail(err, YS_IO, "file", "cannot lock %s: %s", lk->path, strerror(errno));
            break;
        }
        if (still_linked(lk->fd, lk->path))
            break;
        close(lk->fd); /* its holder removed it between our open and our lock: take the new one */
    }
    if (!rc) {
        char pid[32];
        int len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
        if (ftruncate(lk->fd, 0) != 0 || pwrite(lk->fd, pid, (size_t)len, 0) != len)
            rc = ys_fail(err, YS_IO, "file", "cannot write the lock file %s: %s", lk->path, strerror(errno));
    }
    if (rc) {
        if (lk->fd >= 0)
            close(lk->fd);
        ys_free(lk->path);
        ys_free(lk);
        return rc;
    }
    *out = lk;
    return YS_OK;
}

void ys_store_lock_release(ys_store_lock *lk)
{
    if (!lk)
        return;
    unlink(lk->path); /* while still held, so that no one locks a file that is about to go */
    close(lk->fd);
    ys_free(lk->path);
    ys_free(lk);
}
