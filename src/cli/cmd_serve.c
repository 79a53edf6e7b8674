/* cmd_serve.c — `yishi serve`: the session file as an HTTP JSON API with live updates, until SIGTERM.
 * Its settings come from one table, under the same names on the command line (--name VALUE) and in the
 * configuration file (name = VALUE, /etc/yishi/yishi.conf or --config FILE); the command line wins. They map
 * onto ys_serve_config; the server itself is src/server/. */
#include "cli/cli.h"
#include "cli/cmd_server.h"
#include "cli/rules_file.h"

#include "yishi/alloc.h"
#include "yishi/number.h"
#include "yishi/server.h"
#include "yishi/store.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* --setup offers every rule set `yishi init --rules` finds by name; one that does not load is left out,
 * with its problems said here. */
static ys_rules **setup_rules(size_t *n)
{
    char **names = NULL;
    size_t n_names = 0;
    ys_err err = {0};
    ys_rules **sets = NULL;
    *n = 0;
    if (ys_rules_names(&names, &n_names, &err) || !(sets = ys_calloc(n_names + 1, sizeof *sets)))
        goto out;
    for (size_t i = 0; i < n_names; i++) {
        ys_diags diags;
        ys_diags_init(&diags);
        if (ys_rules_load(names[i], &sets[*n], &diags, &err)) {
            ys_diags_print(&diags, stderr, names[i]);
            ys_cli_fail("serve", err.rc, &err);
        } else {
            (*n)++;
        }
        ys_diags_free(&diags);
    }
out:
    ys_rules_names_free(names, n_names);
    return sets;
}

static int serve(ys_serve_config *cfg)
{
    ys_err err = {0};
    ys_rules **sets = NULL;
    size_t n = 0;
    if (cfg->setup) {
        sets = setup_rules(&n);
        cfg->setup_rules = (const ys_rules *const *)sets;
        cfg->n_setup_rules = n;
    }
    ys_rc rc = ys_serve(cfg, &err);
    for (size_t i = 0; i < n; i++)
        ys_rules_free(sets[i]);
    ys_free(sets);
    return rc ? ys_cli_fail("serve", rc, &err) : YS_EXIT_OK;
}

#define CONFIG_MAX (1 << 20)

typedef enum { SET_TEXT, SET_FLAG, SET_INT, SET_UINT, SET_SIZE, SET_LEVEL } set_kind;

/* One setting: its name (--name, or name = in the file), how its value reads, and where it goes. */
typedef struct {
    const char *name;
    set_kind kind;
    long long min, max;
    size_t at;
} setting;

#define AT(field) offsetof(ys_serve_config, field)
static const setting settings[] = {
    {"file", SET_TEXT, 0, 0, AT(file)},
    {"store", SET_TEXT, 0, 0, AT(store)},
    {"listen", SET_TEXT, 0, 0, AT(listen)},
    {"tls-cert", SET_TEXT, 0, 0, AT(tls_cert)},
    {"tls-key", SET_TEXT, 0, 0, AT(tls_key)},
    {"token-ttl", SET_INT, 1, 1ll << 30, AT(token_ttl)},
    {"max-body", SET_SIZE, 1, 1ll << 30, AT(max_body)},
    {"threads", SET_UINT, 1, 1ll << 30, AT(threads)},
    {"check-threads", SET_UINT, 1, 256, AT(check_threads)},
    {"heartbeat", SET_UINT, 1, 1ll << 30, AT(heartbeat)},
    {"idle-timeout", SET_UINT, 1, 1ll << 30, AT(idle_timeout)},
    {"request-timeout", SET_UINT, 1, 1ll << 30, AT(request_timeout)},
    {"sse-ring", SET_SIZE, 1, 1ll << 30, AT(ring)},
    {"max-connections", SET_UINT, 1, 1000000, AT(max_connections)},
    {"max-per-address", SET_UINT, 1, 1000000, AT(max_per_address)},
    {"nchan-publish", SET_TEXT, 0, 0, AT(nchan_publish)},
    {"nchan-resume-port", SET_UINT, 1, 65535, AT(nchan_resume_port)},
    {"web", SET_TEXT, 0, 0, AT(web_dir)},
    {"log-level", SET_LEVEL, 0, 0, AT(log_level)},
    {"setup", SET_FLAG, 0, 0, AT(setup)},
};
#undef AT
#define N_SETTINGS (sizeof settings / sizeof settings[0])
enum { OPT_CONFIG = 1000, OPT_CHECK, OPT_SETTING = 1100 };

/* What the settings are being read from: the file's name and line, or the command line (line 0). */
typedef struct {
    const char *file;
    int line;
    int problems;
    int origin[N_SETTINGS]; /* the line each setting was last set on in the file; 0 from the command line */
    char **kept; /* the file's values, which the config points into until the server returns */
    ys_serve_session *files; /* the command line's -f, each a session when there are more than one; or --store's */
    const char *store;       /* --store, while its sessions are listed */
    size_t n_files;
    size_t n_kept, cap_kept;
} reading;

static void vproblem(reading *rd, const setting *s, const char *fmt, va_list ap)
{
    if (rd->line)
        fprintf(stderr, "yishi serve: %s:%d: %s%s", rd->file, rd->line, s ? s->name : "", s ? ": " : "");
    else
        fprintf(stderr, "yishi serve: %s%s%s", s ? "--" : "", s ? s->name : "", s ? ": " : "");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    rd->problems++;
}

static void problem(reading *rd, const setting *s, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void problem(reading *rd, const setting *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vproblem(rd, s, fmt, ap);
    va_end(ap);
}

static const setting *find_setting(const char *name, size_t len);

/* A problem of a setting found once all are read: named by the line it was set on, if in the file. */
static void problem_of(reading *rd, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void problem_of(reading *rd, const char *name, const char *fmt, ...)
{
    const setting *s = find_setting(name, strlen(name));
    va_list ap;
    rd->line = rd->origin[s - settings];
    va_start(ap, fmt);
    vproblem(rd, s, fmt, ap);
    va_end(ap);
    rd->line = 0;
}

static const setting *find_setting(const char *name, size_t len)
{
    for (size_t i = 0; i < N_SETTINGS; i++)
        if (strlen(settings[i].name) == len && strncmp(settings[i].name, name, len) == 0)
            return &settings[i];
    return NULL;
}

static bool read_flag(const char *v, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"}, *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcmp(v, yes[i]) == 0)
            return *out = true, true;
        if (strcmp(v, no[i]) == 0)
            return !(*out = false);
    }
    return false;
}

/* Sets one setting from its text; a value that does not read is a problem named by where it came from. */
static void apply(ys_serve_config *cfg, const setting *s, const char *value, reading *rd)
{
    char *at = (char *)cfg + s->at;
    long long v = 0;
    rd->origin[s - settings] = rd->line;
    ys_err err = {0};
    int level;
    bool flag = true;
    char field[40];
    switch (s->kind) {
    case SET_TEXT:
        if (!*value)
            return problem(rd, s, "takes a value");
        *(const char **)at = value;
        return;
    case SET_FLAG:
        if (value && !read_flag(value, &flag))
            return problem(rd, s, "'%s' is not true or false (yes/no, on/off, 1/0)", value);
        *(bool *)at = flag;
        return;
    case SET_LEVEL:
        if ((level = ys_log_level_named(value)) < 0)
            return problem(rd, s, "'%s' is not a level: error, warning, notice, info or debug", value);
        *(int *)at = level;
        return;
    default:
        /* The message names the setting as it was written: --threads on the command line, threads in the file. */
        snprintf(field, sizeof field, "%s%s", rd->line ? "" : "--", s->name);
        if (ys_int_text(value, field, s->min, s->max, YS_INVALID, &v, &err))
            return problem(rd, NULL, "%s", err.msg);
        if (s->kind == SET_INT)
            *(int *)at = (int)v;
        else if (s->kind == SET_UINT)
            *(unsigned *)at = (unsigned)v;
        else
            *(size_t *)at = (size_t)v;
    }
}

static char *trim(char *s)
{
    char *end = s + strlen(s);
    while (*s == ' ' || *s == '\t')
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        *--end = '\0';
    return s;
}

/* One line of the file: blank, a # comment, or name = value (a value in "double quotes" keeps its spaces). */
static void config_line(ys_serve_config *cfg, char *line, int seen[N_SETTINGS], reading *rd)
{
    char *text = trim(line), *eq = strchr(text, '=');
    if (!*text || *text == '#')
        return;
    if (!eq)
        return problem(rd, NULL, "'%s' is not name = value", text);
    *eq = '\0';
    char *name = trim(text), *value = trim(eq + 1);
    const setting *s = find_setting(name, strlen(name));
    if (!s)
        return problem(rd, NULL, "no setting is called '%s' (the names are yishi serve's options without --)", name);
    size_t n = strlen(value);
    if (n >= 2 && value[0] == '"' && value[n - 1] == '"') {
        value[n - 1] = '\0';
        value++;
    }
    if (seen[s - settings])
        return problem(rd, s, "already set on line %d", seen[s - settings]);
    seen[s - settings] = rd->line;
    apply(cfg, s, value, rd);
}

/* Reads the configuration file into cfg. The default file may be missing; one named by --config may not. */
static int read_config(ys_serve_config *cfg, const char *path, bool named, reading *rd)
{
    size_t len = 0;
    char *text = ys_cli_read_file(path, &len);
    int seen[N_SETTINGS] = {0};
    if (!text)
        return !named && errno == ENOENT ? YS_EXIT_OK : ys_cli_unreadable("serve", path);
    if (len > CONFIG_MAX || strlen(text) != len) {
        ys_free(text);
        return ys_cli_usage_error("serve", "%s: not a configuration file (%s)", path,
                                  len > CONFIG_MAX ? "larger than 1 MiB" : "it holds a NUL byte");
    }
    if (ys_grow((void **)&rd->kept, &rd->cap_kept, rd->n_kept + 1, sizeof *rd->kept)) {
        ys_free(text);
        return ys_cli_fail("serve", YS_NOMEM, NULL);
    }
    rd->kept[rd->n_kept++] = text;
    rd->file = path;
    for (char *line = text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        rd->line++;
        config_line(cfg, line, seen, rd);
    }
    rd->line = 0;
    return YS_EXIT_OK;
}

/* What can be told wrong before serving: settings that go together, and the files they name. */
static void check_together(const ys_serve_config *cfg, reading *rd)
{
    struct stat st;
    if (!!cfg->tls_cert != !!cfg->tls_key)
        problem_of(rd, cfg->tls_cert ? "tls-cert" : "tls-key", "goes with %s (the certificate and its key, both PEM)",
                   cfg->tls_cert ? "--tls-key" : "--tls-cert");
    if (cfg->nchan_resume_port && !cfg->nchan_publish)
        problem_of(rd, "nchan-resume-port", "goes with nchan-publish");
    /* --web is read on each request: a folder that is not there is a mistake to say at once. */
    if (cfg->web_dir && (stat(cfg->web_dir, &st) != 0 || !S_ISDIR(st.st_mode)))
        problem_of(rd, "web", "%s: not a folder (it takes the folder of the pages, e.g. web/)", cfg->web_dir);
    if (cfg->tls_cert && access(cfg->tls_cert, R_OK) != 0)
        problem_of(rd, "tls-cert", "%s: %s", cfg->tls_cert, strerror(errno));
    if (cfg->tls_key && access(cfg->tls_key, R_OK) != 0)
        problem_of(rd, "tls-key", "%s: %s", cfg->tls_key, strerror(errno));
    if (!cfg->setup && !cfg->n_sessions && !cfg->store && !ys_store_exists(cfg->file))
        problem_of(rd, "file", "%s: %s (yishi init creates a session file; setup = true serves the desk's setup "
                   "instead)", cfg->file, ys_store_is_postgresql(cfg->file) ? "no such session" : strerror(errno));
    /* --store's sessions are the database's own list, taken once: one removed since would be no mistake of the
     * settings (the server then refuses to start naming it) */
    for (size_t i = 0; !cfg->store && i < cfg->n_sessions; i++)
        if (!ys_store_exists(cfg->sessions[i].locator))
            problem_of(rd, "file", "%s: %s (session %lld of those given)", cfg->sessions[i].locator,
                       ys_store_is_postgresql(cfg->sessions[i].locator) ? "no such session" : strerror(errno),
                       (long long)cfg->sessions[i].id);
    if (cfg->n_sessions && (cfg->setup || cfg->nchan_publish))
        problem_of(rd, cfg->setup ? "setup" : "nchan-publish", "serves one session, not the %zu files given",
                   cfg->n_sessions);
}

/* The command line's long options: every setting, --config and --check-config. */
static void long_options(struct option opts[N_SETTINGS + 3])
{
    for (size_t i = 0; i < N_SETTINGS; i++)
        opts[i] = (struct option){settings[i].name, settings[i].kind == SET_FLAG ? no_argument : required_argument,
                                  NULL, OPT_SETTING + (int)i};
    opts[N_SETTINGS] = (struct option){"config", required_argument, NULL, OPT_CONFIG};
    opts[N_SETTINGS + 1] = (struct option){"check-config", no_argument, NULL, OPT_CHECK};
    opts[N_SETTINGS + 2] = (struct option){NULL, 0, NULL, 0};
}

static void keep_free(reading *rd)
{
    for (size_t i = 0; i < rd->n_kept; i++)
        ys_free(rd->kept[i]);
    ys_free(rd->kept);
    ys_free(rd->files);
}

/* A session to serve at /s/ID/: -f given more than once numbers them in the order given (/s/1/, /s/2/ …),
 * --store by their ids in the database. */
static int add_session(reading *rd, int64_t id, const char *locator)
{
    ys_serve_session *grown = ys_realloc(rd->files, (rd->n_files + 1) * sizeof *grown);
    if (!grown)
        return ys_cli_usage_error("serve", "out of memory");
    rd->files = grown;
    rd->files[rd->n_files] = (ys_serve_session){id, locator};
    rd->n_files++;
    return YS_EXIT_OK;
}

static int add_file(reading *rd, const char *file) { return add_session(rd, (int64_t)rd->n_files + 1, file); }

/* Keeps `text` (ys_malloc'd, or NULL when memory ran out) with the file's values until the server returns. */
static const char *keep(reading *rd, char *text)
{
    if (text && ys_grow((void **)&rd->kept, &rd->cap_kept, rd->n_kept + 1, sizeof *rd->kept) == 0)
        return rd->kept[rd->n_kept++] = text;
    ys_free(text);
    return NULL;
}

static ys_rc add_stored(int64_t id, const char *congress, void *ud, ys_err *err)
{
    reading *rd = ud;
    (void)congress;
    const char *locator = keep(rd, ys_store_session_locator(rd->store, id));
    if (!locator || add_session(rd, id, locator))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory");
    return YS_OK;
}

/* --store: every session of the database, listed once as the server starts (a session made after is served
 * from the next start). */
static void list_stored(const ys_serve_config *cfg, reading *rd)
{
    ys_err err = {0};
    rd->store = cfg->store;
    if (rd->n_files || strcmp(cfg->file, YS_DEFAULT_FILE) != 0)
        return problem_of(rd, "store", "serves every session of the database, not also a session file (file, -f)");
    if (ys_store_list_sessions(cfg->store, add_stored, rd, &err))
        return problem_of(rd, "store", "%s", err.msg);
    if (!rd->n_files)
        problem_of(rd, "store", "the database holds no session yet (yishi init -f URL makes one)");
}

int ys_cli_serve(int argc, char **argv)
{
    struct option opts[N_SETTINGS + 3];
    ys_serve_config cfg = {.file = YS_DEFAULT_FILE};
    reading rd = {0};
    const char *config = NULL;
    bool check = false;
    int c, code = YS_EXIT_OK;
    long_options(opts);
    /* First the file, whose settings the command line then overrides. */
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "f:", opts, NULL)) != -1)
        if (c == OPT_CONFIG)
            config = optarg;
    if ((code = read_config(&cfg, config ? config : YS_CONFIG_FILE, config != NULL, &rd)))
        goto out;
    optind = 0;
    opterr = 1;
    while ((c = getopt_long(argc, argv, "f:", opts, NULL)) != -1) {
        if (c == 'f' || c == OPT_SETTING) { /* -f, --file: the first is `file`, each a session when many */
            apply(&cfg, &settings[0], optarg, &rd);
            if ((code = add_file(&rd, optarg)))
                goto out;
        }
        else if (c == OPT_CHECK)
            check = true;
        else if (c >= OPT_SETTING && c < OPT_SETTING + (int)N_SETTINGS)
            apply(&cfg, &settings[c - OPT_SETTING], optarg, &rd);
        else if (c != OPT_CONFIG) {
            code = ys_cli_usage_error("serve", "unknown option");
            goto out;
        }
    }
    if (optind < argc) {
        code = ys_cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
        goto out;
    }
    if (cfg.store)
        list_stored(&cfg, &rd);
    if (rd.n_files > 1 || (cfg.store && rd.n_files)) {
        cfg.sessions = rd.files;
        cfg.n_sessions = rd.n_files;
    }
    check_together(&cfg, &rd);
    if (rd.problems) {
        fprintf(stderr, "yishi serve: %d problem%s in the settings; nothing served\n", rd.problems,
                rd.problems == 1 ? "" : "s");
        code = YS_EXIT_USAGE;
    } else if (check) {
        printf("yishi serve: the settings are good (%s)\n", rd.file ? rd.file : "command line only");
    } else {
        code = serve(&cfg);
    }
out:
    keep_free(&rd);
    return code;
}
