/* web.c — a page request answered: its path resolved to a file (a folder's index.html for "/" and each
 * page), found in the embedded table or, with --web DIR, read from that folder and never from outside it. */
#include "server/web.h"

#include "yishi/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A page file read from disk is at most this large; a larger one is not a page. */
#define WEB_FILE_MAX ((size_t)64 << 20)

bool ys_web_is_api(const char *path)
{
    return strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0;
}

static int by_path(const void *key, const void *elem)
{
    return strcmp(key, ((const ys_web_file *)elem)->path);
}

/* The embedded file at exactly `path`, filled into `out`; false when there is none. */
static bool find_embedded(const char *path, ys_web_answer *out)
{
    const ys_web_file *f = ys_web_n_files ? bsearch(path, ys_web_files, ys_web_n_files, sizeof *f, by_path) : NULL;
    if (!f)
        return false;
    out->body = f->data;
    out->len = f->len;
    out->type = f->type;
    snprintf(out->etag, sizeof out->etag, "%s", f->etag);
    return true;
}

static unsigned char *read_fd(int fd, size_t size)
{
    unsigned char *p = ys_malloc(size ? size : 1);
    size_t got = 0;
    while (p && got < size) {
        ssize_t n = read(fd, p + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ys_free(p);
            return NULL;
        }
        got += (size_t)n;
    }
    return p;
}

/* The regular file at `path` under the folder whose real path is `root`, read whole; false when there is
 * none, or when it (through a symlink, say) really lies outside root. */
static bool find_on_disk(const char *root, const char *path, ys_web_answer *out)
{
    char full[PATH_MAX], real[PATH_MAX];
    size_t rlen = strlen(root);
    struct stat st;
    if ((size_t)snprintf(full, sizeof full, "%s%s", root, path) >= sizeof full || !realpath(full, real) ||
        strncmp(real, root, rlen) != 0 || real[rlen] != '/')
        return false;
    int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK); /* a FIFO would block */
    if (fd < 0)
        return false;
    bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size <= WEB_FILE_MAX &&
              (out->owned = read_fd(fd, (size_t)st.st_size));
    close(fd);
    if (!ok)
        return false;
    out->body = out->owned;
    out->len = (size_t)st.st_size;
    out->type = ys_web_type(real);
    ys_web_etag(out->body, out->len, out->etag);
    return true;
}

static bool find_file(const char *root, const char *path, ys_web_answer *out)
{
    return root ? find_on_disk(root, path, out) : find_embedded(path, out);
}

/* The file a path names: itself, or the index.html of the folder it names, with or without its '/'. */
static bool resolve(const char *root, const char *path, ys_web_answer *out)
{
    char index[YS_WEB_PATH_MAX + 16];
    size_t n = strlen(path);
    if (path[n - 1] != '/' && find_file(root, path, out))
        return true;
    snprintf(index, sizeof index, "%s%sindex.html", path, path[n - 1] == '/' ? "" : "/");
    return find_file(root, index, out);
}

/* Whether If-None-Match (a list of ETags, weak or strong, or "*") names this one. */
static bool etag_matches(const char *list, const char *etag)
{
    size_t elen = strlen(etag);
    for (const char *p = list; p && *p;) {
        p += strspn(p, " \t,");
        if (strncmp(p, "W/", 2) == 0)
            p += 2;
        size_t len = strcspn(p, " \t,");
        if ((len == 1 && p[0] == '*') || (len == elen && strncmp(p, etag, elen) == 0))
            return true;
        p += len;
    }
    return false;
}

static void not_found(ys_web_answer *out)
{
    static const char body[] = "404 not found\n";
    ys_web_answer_free(out);
    out->status = 404;
    out->type = "text/plain; charset=utf-8";
    out->body = (const unsigned char *)body;
    out->len = sizeof body - 1;
    out->etag[0] = '\0';
}

void ys_web_answer_request(const char *dir, const char *method, const char *path, bool nul,
                           const char *if_none_match, ys_web_answer *out)
{
    char root[PATH_MAX];
    memset(out, 0, sizeof *out);
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        static const char body[] = "405 only GET and HEAD\n";
        out->status = 405;
        out->type = "text/plain; charset=utf-8";
        out->body = (const unsigned char *)body;
        out->len = sizeof body - 1;
        return;
    }
    bool root_ok = dir && realpath(dir, root);
    if (root_ok && strcmp(root, "/") == 0)
        root[0] = '\0'; /* --web /: a path under it is "/x", not "//x" */
    if (nul || !ys_web_path_ok(path) || (dir && !root_ok) || !resolve(dir ? root : NULL, path, out)) {
        not_found(out);
        return;
    }
    out->status = if_none_match && etag_matches(if_none_match, out->etag) ? 304 : 200;
}

void ys_web_answer_free(ys_web_answer *a)
{
    ys_free(a->owned);
    a->owned = NULL;
    a->body = NULL;
}
