/* run_cases.c — the data-driven counting cases: runs `yishi count` on each tests/cases/NAME.json and
 * compares, as parsed JSON, stdout with NAME.expected (exit 0) or the error code with NAME.error (exit 1);
 * an expected result without its input fails. */
#include "yishi/alloc.h"

#include <dirent.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *slurp(FILE *f)
{
    size_t n = 0, cap = 4096;
    char *buf = ys_malloc(cap);
    rewind(f);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0;) {
        n += got;
        if (cap - n < 2 && !(buf = ys_realloc(buf, cap *= 2)))
            return NULL;
    }
    if (buf)
        buf[n] = '\0';
    return buf;
}

/* Runs `yishi count path`; returns its exit status (or -1) with stdout and stderr. */
static int run(const char *yishi, const char *path, char **out, char **err)
{
    FILE *o = tmpfile(), *e = tmpfile();
    int status = -1;
    *out = *err = NULL;
    if (!o || !e)
        goto done;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fileno(o), 1);
        dup2(fileno(e), 2);
        execl(yishi, "yishi", "count", path, (char *)NULL);
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &status, 0) < 0)
        goto done;
    status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    *out = slurp(o);
    *err = slurp(e);
done:
    if (o)
        fclose(o);
    if (e)
        fclose(e);
    return status;
}

static bool exists(const char *path) { return access(path, R_OK) == 0; }

static void show(const char *label, const json_t *j, const char *raw)
{
    char *s = j ? json_dumps(j, JSON_INDENT(1) | JSON_SORT_KEYS) : NULL;
    fprintf(stderr, "  %s: %s\n", label, s ? s : raw ? raw : "(nothing)");
    ys_free(s);
}

static bool check_output(const char *want_path, int status, const char *out, const char *err)
{
    json_t *want = json_load_file(want_path, JSON_REJECT_DUPLICATES, NULL);
    json_t *got = out ? json_loads(out, 0, NULL) : NULL;
    bool ok = want && got && status == 0 && json_equal(want, got);
    if (!ok) {
        fprintf(stderr, "  exit %d (want 0)\n", status);
        show("want", want, "(unreadable .expected)");
        show("got", got, out);
        if (err && *err)
            fprintf(stderr, "  stderr: %s", err);
    }
    json_decref(want);
    json_decref(got);
    return ok;
}

/* An error case: exit 1 (refused), nothing on stdout, and {"error": CODE, "message": TEXT} on stderr whose
 * code matches; the message is free text and only has to be there. */
static bool check_error(const char *want_path, int status, const char *out, const char *err)
{
    json_t *want = json_load_file(want_path, JSON_REJECT_DUPLICATES, NULL);
    json_t *got = err ? json_loads(err, 0, NULL) : NULL;
    const char *code = json_string_value(json_object_get(want, "error"));
    json_t *want_exit = json_object_get(want, "exit");
    int exit_code = want_exit ? (int)json_integer_value(want_exit) : 1;
    bool ok = code && got && status == exit_code && out && !*out &&
              json_equal(json_object_get(got, "error"), json_object_get(want, "error")) &&
              json_string_length(json_object_get(got, "message")) > 0;
    if (!ok) {
        fprintf(stderr, "  exit %d (want %d)\n", status, exit_code);
        show("want", want, "(unreadable .error)");
        show("got", got, err);
        if (out && *out)
            fprintf(stderr, "  stdout: %s", out);
    }
    json_decref(want);
    json_decref(got);
    return ok;
}

static bool run_case(const char *yishi, const char *dir, const char *name)
{
    char in[4096], expected[4096], error[4096];
    size_t stem = strlen(name) - strlen(".json");
    snprintf(in, sizeof in, "%s/%s", dir, name);
    snprintf(expected, sizeof expected, "%s/%.*s.expected", dir, (int)stem, name);
    snprintf(error, sizeof error, "%s/%.*s.error", dir, (int)stem, name);
    char *out = NULL, *err = NULL;
    bool ok;
    if (exists(expected) == exists(error)) {
        fprintf(stderr, "  needs exactly one of .expected and .error\n");
        return false;
    }
    int status = run(yishi, in, &out, &err);
    ok = exists(expected) ? check_output(expected, status, out, err)
                          : check_error(error, status, out, err);
    ys_free(out);
    ys_free(err);
    return ok;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);
    return n > k && strcmp(name + n - k, suffix) == 0;
}

static bool is_case(const char *name) { return ends_with(name, ".json"); }

/* An .expected or .error whose input is gone would never run: that is a failure, not a skip. */
static bool orphan(const char *dir, const char *name)
{
    const char *suffix = ends_with(name, ".expected") ? ".expected" : ends_with(name, ".error") ? ".error" : NULL;
    char in[4096];
    if (!suffix)
        return false;
    snprintf(in, sizeof in, "%s/%.*s.json", dir, (int)(strlen(name) - strlen(suffix)), name);
    return !exists(in);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: run_cases YISHI CASES_DIR\n");
        return 2;
    }
    DIR *d = opendir(argv[2]);
    struct dirent *ent;
    char *names[4096];
    size_t n = 0, failed = 0;
    if (!d) {
        perror(argv[2]);
        return 2;
    }
    while ((ent = readdir(d)) && n < sizeof names / sizeof names[0]) {
        if (is_case(ent->d_name))
            names[n++] = ys_strdup(ent->d_name);
        else if (orphan(argv[2], ent->d_name))
            printf("FAIL %s has no .json input\n", ent->d_name), failed++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        printf("%s\n", names[i]); /* first, so that a failure's details follow its name */
        fflush(stdout);
        bool ok = run_case(argv[1], argv[2], names[i]);
        if (!ok)
            printf("FAIL %s\n", names[i]);
        failed += !ok;
        ys_free(names[i]);
    }
    printf("%zu cases, %zu failed\n", n, failed);
    return n == 0 || failed ? 1 : 0;
}
