/* rules_file.c — finds a rule set by name in the rule directories, or by path, reads it and hands the
 * text to the core's parser; also lists the rule sets there are, for messages and --help. */
#include "cli/rules_file.h"

#include "yishi/alloc.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef YS_INSTALL_RULES_DIR
#define YS_INSTALL_RULES_DIR "/usr/local/share/yishi/rules"
#endif
#ifndef YS_RULES_FROM_BIN
#define YS_RULES_FROM_BIN "../share/yishi/rules"
#endif

#define RULES_FILE_LIMIT (1 << 20) /* the parser refuses more; reading stops there */
#define SUFFIX ".rules"

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool is_name(const char *s, size_t n)
{
    return n > 0 && n < 48 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") >= n;
}

/* The directories searched, in order, and room for the two found from where the binary is. */
typedef struct {
    const char *dir[4];
    size_t n;
    char build_tree[PATH_MAX];
    char beside_bin[PATH_MAX];
} rule_dirs;

/* The directory of the running binary into `out`, or false. */
static bool binary_dir(char out[PATH_MAX])
{
    ssize_t n = readlink("/proc/self/exe", out, PATH_MAX - 1);
    if (n <= 0)
        return false;
    out[n] = '\0';
    char *slash = strrchr(out, '/');
    if (!slash)
        return false;
    *slash = '\0';
    return true;
}

/* $YISHI_RULES_DIR comes first, so that tests and a secretariat can put their own sets beside the shipped
 * ones. A binary in its build tree (CMakeCache.txt beside it) reads the rules/ link the build makes to the
 * source's sets; an installed one reads share/yishi/rules relative to itself (a package staged or moved
 * keeps its sets), then under the prefix it was configured for. No path of the build tree is compiled in. */
static void find_rule_dirs(rule_dirs *d)
{
    char bin[PATH_MAX], cache[PATH_MAX + 16];
    const char *env = getenv("YISHI_RULES_DIR");
    d->n = 0;
    if (env && *env)
        d->dir[d->n++] = env;
    if (binary_dir(bin)) {
        snprintf(cache, sizeof cache, "%s/CMakeCache.txt", bin);
        if (access(cache, F_OK) == 0 &&
            snprintf(d->build_tree, sizeof d->build_tree, "%s/rules", bin) < (int)sizeof d->build_tree)
            d->dir[d->n++] = d->build_tree;
        if (snprintf(d->beside_bin, sizeof d->beside_bin, "%s/%s", bin, YS_RULES_FROM_BIN) < (int)sizeof d->beside_bin)
            d->dir[d->n++] = d->beside_bin;
    }
    d->dir[d->n++] = YS_INSTALL_RULES_DIR;
}

static ys_rc read_text(const char *path, char **text, size_t *len, ys_err *err)
{
    ys_rc rc = YS_OK;
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    if (!f)
        return ys_fail(err, errno == ENOENT ? YS_NOT_FOUND : YS_IO, "rules", "cannot open %s: %s", path,
                       strerror(errno));
    buf = ys_malloc(RULES_FILE_LIMIT + 1);
    if (!buf) {
        rc = ys_fail(err, YS_NOMEM, "rules", "no memory to read %s", path);
        goto out;
    }
    size_t n = fread(buf, 1, RULES_FILE_LIMIT + 1, f);
    if (ferror(f))
        rc = ys_fail(err, YS_IO, "rules", "cannot read %s", path);
    else if (n > RULES_FILE_LIMIT)
        rc = ys_fail(err, YS_TOO_LARGE, "rules", "%s is larger than %d bytes", path, RULES_FILE_LIMIT);
    if (rc)
        goto out;
    buf[n] = '\0';
    *text = buf;
    *len = n;
    buf = NULL;
out:
    ys_free(buf);
    fclose(f);
    return rc;
}

/* `want_id`, when set, is the name the set was asked for: a file whose id says otherwise is refused,
 * so a renamed copy cannot pass for another level's rules. */
static ys_rc load_path(const char *path, const char *want_id, ys_rules **out, ys_diags *diags, ys_err *err)
{
    char *text = NULL;
    size_t len = 0;
    ys_rules *r = NULL;
    ys_rc rc = read_text(path, &text, &len, err);
    if (rc)
        return rc;
    size_t before = diags ? ys_diags_count(diags) : 0;
    rc = ys_rules_parse(text, len, &r, diags);
    if (rc == YS_OK && want_id && strcmp(r->id, want_id) != 0) {
        if (diags)
            ys_diags_add(diags, 0, "id", "the file is %s.rules but its id is '%s'", want_id, r->id);
        rc = YS_RULES;
    }
    if (rc == YS_RULES)
        ys_fail(err, rc, "rules", "rule file %s is not valid: %zu problems", path,
                diags ? ys_diags_count(diags) - before : (size_t)1);
    else if (rc)
        ys_fail(err, rc, "rules", "cannot parse %s", path);
    if (rc)
        goto out;
    *out = r;
    r = NULL;
out:
    ys_rules_free(r);
    ys_free(text);
    return rc;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool listed(char **names, size_t n, const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(names[i]) == len && strncmp(names[i], s, len) == 0)
            return true;
    return false;
}

static ys_rc add_dir(const char *dir, char ***names, size_t *n, size_t *cap)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    ys_rc rc = YS_OK;
    if (!d)
        return YS_OK; /* a missing directory simply has no sets */
    while (rc == YS_OK && (e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (!ends_with(e->d_name, SUFFIX))
            continue;
        len -= strlen(SUFFIX);
        if (!is_name(e->d_name, len) || listed(*names, *n, e->d_name, len))
            continue;
        if (ys_grow((void **)names, cap, *n + 1, sizeof **names) ||
            !((*names)[*n] = ys_strndup(e->d_name, len)))
            rc = YS_NOMEM;
        else
            (*n)++;
    }
    closedir(d);
    return rc;
}

ys_rc ys_rules_names(char ***names, size_t *n, ys_err *err)
{
    rule_dirs dirs;
    size_t cap = 0;
    find_rule_dirs(&dirs);
    *names = NULL;
    *n = 0;
    for (size_t i = 0; i < dirs.n; i++)
        if (add_dir(dirs.dir[i], names, n, &cap)) {
            ys_rules_names_free(*names, *n);
            *names = NULL;
            *n = 0;
            return ys_fail(err, YS_NOMEM, "rules", "no memory to list the rule sets");
        }
    if (*n)
        qsort(*names, *n, sizeof **names, cmp_names);
    return YS_OK;
}

void ys_rules_names_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ys_free(names[i]);
    ys_free(names);
}

static ys_rc not_found(const char *name, ys_err *err)
{
    char **names = NULL;
    size_t n = 0;
    char avail[400] = "";
    if (ys_rules_names(&names, &n, NULL) == YS_OK)
        for (size_t i = 0; i < n; i++)
            snprintf(avail + strlen(avail), sizeof avail - strlen(avail), "%s%s", i ? ", " : "", names[i]);
    ys_rules_names_free(names, n);
    return ys_fail(err, YS_NOT_FOUND, "rules", "no rule set named '%s' (available: %s)", name,
                   n ? avail : "none found");
}

ys_rc ys_rules_load(const char *name_or_path, ys_rules **out, ys_diags *diags, ys_err *err)
{
    rule_dirs dirs;
    char path[PATH_MAX];
    *out = NULL;
    if (!name_or_path || !*name_or_path)
        return ys_fail(err, YS_INVALID, "rules", "no rule set given");
    if (strchr(name_or_path, '/') || ends_with(name_or_path, SUFFIX))
        return load_path(name_or_path, NULL, out, diags, err);
    if (!is_name(name_or_path, strlen(name_or_path)))
        return not_found(name_or_path, err);
    find_rule_dirs(&dirs);
    for (size_t i = 0; i < dirs.n; i++) {
        int w = snprintf(path, sizeof path, "%s/%s%s", dirs.dir[i], name_or_path, SUFFIX);
        if (w > 0 && (size_t)w < sizeof path && access(path, F_OK) == 0)
            return load_path(path, name_or_path, out, diags, err);
    }
    return not_found(name_or_path, err);
}
