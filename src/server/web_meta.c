/* web_meta.c — what the build's page generator (web_gen.c) and the server share about a page file: its
 * type, its ETag, and which paths may name one; so that a file is described the same embedded or on disk. */
#include "server/web.h"

#include <sodium.h>
#include <string.h>
#include <strings.h>

static const struct { const char *ext, *type; } types[] = {
    {"html", "text/html; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"json", "application/json; charset=utf-8"},
    {"map", "application/json; charset=utf-8"},
    {"svg", "image/svg+xml; charset=utf-8"},
    {"txt", "text/plain; charset=utf-8"},
    {"md", "text/plain; charset=utf-8"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"ico", "image/x-icon"},
    {"woff2", "font/woff2"},
    {"woff", "font/woff"},
    {"wasm", "application/wasm"},
    {"webmanifest", "application/manifest+json; charset=utf-8"},
};

const char *ys_web_type(const char *path)
{
    const char *base = strrchr(path, '/'), *dot;
    base = base ? base + 1 : path;
    /* A vendored package's LICENSE, README or NOTICE has no extension: it is text. */
    if (!(dot = strrchr(base, '.')))
        return "text/plain; charset=utf-8";
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcasecmp(dot + 1, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

void ys_web_etag(const unsigned char *data, size_t len, char out[YS_WEB_ETAG])
{
    unsigned char h[16];
    crypto_generichash(h, sizeof h, data, len, NULL, 0);
    out[0] = '"';
    sodium_bin2hex(out + 1, 33, h, sizeof h);
    out[33] = '"';
    out[34] = '\0';
}

bool ys_web_path_ok(const char *path)
{
    size_t n = strlen(path);
    if (n == 0 || n >= YS_WEB_PATH_MAX || path[0] != '/')
        return false;
    for (const char *seg = path + 1;; seg++) {
        size_t len = strcspn(seg, "/");
        if (seg[0] == '.' || (len == 0 && seg[len] == '/'))
            return false;
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)seg[i] < 0x20 || seg[i] == 0x7f || seg[i] == '\\')
                return false;
        seg += len;
        if (!*seg)
            return true;
    }
}
