/* cmd_init.c — `yishi init`: a new session file under a rule set. The rule file's text goes into
 * the first event of the log, so the rules cannot change under a running session. */
#include "cli/cli.h"
#include "cli/rules_file.h"

#include "yishi/alloc.h"
#include "yishi/store.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

typedef struct init_opts {
    const char *file, *rules, *assembly, *term, *name, *congress, *organisation;
} init_opts;

static int parse(int argc, char **argv, init_opts *o)
{
    static const struct option longopts[] = {
        YS_CLI_FILE_OPTION, {"rules", required_argument, NULL, 'r'}, {"assembly", required_argument, NULL, 'a'},
        {"term", required_argument, NULL, 't'}, {"session", required_argument, NULL, 's'}, {"congress", required_argument, NULL, 'c'},
        {"organisation", required_argument, NULL, 'o'}, {NULL, 0, NULL, 0}};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:r:", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': o->file = optarg; break;
        case 'r': o->rules = optarg; break;
        case 'a': o->assembly = optarg; break;
        case 't': o->term = optarg; break;
        case 's': o->name = optarg; break;
        case 'c': o->congress = optarg; break;
        case 'o': o->organisation = optarg; break;
        default: return ys_cli_usage_error("init", "unknown option");
        }
    }
    if (optind < argc)
        return ys_cli_usage_error("init", "unexpected argument '%s'", argv[optind]);
    if (!o->rules)
        return ys_cli_usage_error("init", "--rules is required (prc-npc, prc-provincial, prc-municipal, "
                                          "prc-county, prc-township, or a path to a .rules file)");
    if (o->congress && (!ys_store_is_postgresql(o->file) || strstr(o->file, "session=")))
        return ys_cli_usage_error("init", "--congress names the congress of a new session in PostgreSQL: -f takes "
                                          "the database's URI without session=");
    if (o->congress && (!*o->congress || strlen(o->congress) > 200))
        return ys_cli_usage_error("init", "--congress takes a name of 1 to 200 bytes");
    if (o->organisation && (!ys_store_is_postgresql(o->file) || strstr(o->file, "session=")))
        return ys_cli_usage_error("init", "--organisation names the organisation of a new session's congress in "
                                          "PostgreSQL: -f takes the database's URI without session=");
    if (o->organisation && (!*o->organisation || strlen(o->organisation) > 200))
        return ys_cli_usage_error("init", "--organisation takes a name of 1 to 200 bytes");
    return YS_EXIT_OK;
}

/* The locator of a new session in PostgreSQL with its congress: --congress, else the assembly and its term
 * (the congress is the assembly of one term: its staff log in to each of its sessions), else none (the session
 * has a congress of its own). ys_malloc'd; NULL without memory. */
static const char *congress_name(const init_opts *o, char *name, size_t cap)
{
    if (o->congress)
        snprintf(name, cap, "%s", o->congress);
    else if (o->assembly)
        snprintf(name, cap, "%s%s", o->term ? o->term : "", o->assembly);
    else
        name[0] = '\0';
    return name;
}

/* Appends `&key=` and `value` percent-encoded (but for the safe few) at out + *at. */
static void append_param(char *out, size_t n, size_t *at, const char *key, const char *value)
{
    *at += (size_t)snprintf(out + *at, n - *at, "%c%s=", strchr(out, '?') ? '&' : '?', key);
    for (const unsigned char *c = (const unsigned char *)value; *c; c++) {
        if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~", *c))
            *at += (size_t)snprintf(out + *at, n - *at, "%c", *c);
        else
            *at += (size_t)snprintf(out + *at, n - *at, "%%%02X", *c);
    }
}

static char *with_congress(const init_opts *o)
{
    char name[512];
    if (!*congress_name(o, name, sizeof name))
        return ys_strdup(o->file);
    size_t n = strlen(o->file) + 3 * strlen(name) + (o->organisation ? 3 * strlen(o->organisation) : 0) + 32;
    char *out = ys_malloc(n);
    if (!out)
        return NULL;
    size_t at = (size_t)snprintf(out, n, "%s", o->file);
    append_param(out, n, &at, "congress", name);
    if (o->organisation)
        append_param(out, n, &at, "organisation", o->organisation);
    return out;
}

/* Creates `path` holding a session initialised with `rules` (ys_journal_create, which the server's setup
 * shares); on failure nothing of it is left. */
int ys_cli_create_session(const char *cmd, const char *path, const ys_rules *rules, const char *assembly,
                          const char *term, const char *name, ys_journal **out)
{
    char now[32];
    ys_ctx ctx = ys_cli_ctx(now);
    ys_err err = {0};
    ys_journal *j = NULL;
    ys_init_args a = {.assembly = assembly, .term = term, .name = name, .rules = rules};
    ys_rc rc = ys_journal_create(path, &ctx, &a, &j, &err);
    if (rc)
        return ys_cli_fail(cmd, rc, &err);
    if (out)
        *out = j;
    else
        ys_journal_close(j);
    return YS_EXIT_OK;
}

int ys_cli_init(int argc, char **argv)
{
    init_opts o = {.file = YS_DEFAULT_FILE};
    ys_rules *rules = NULL;
    ys_diags diags;
    ys_err err = {0};
    int code = parse(argc, argv, &o);
    if (code)
        return code;
    ys_diags_init(&diags);
    ys_rc rc = ys_rules_load(o.rules, &rules, &diags, &err);
    if (rc) {
        ys_diags_print(&diags, stderr, o.rules);
        code = ys_cli_fail("init", rc, &err);
        goto out;
    }
    ys_journal *j = NULL;
    char name[512];
    bool in_db = ys_store_is_postgresql(o.file) && !strstr(o.file, "session=");
    congress_name(&o, name, sizeof name);
    if (!in_db)
        name[0] = '\0';
    char *where = in_db ? with_congress(&o) : NULL;
    if (in_db && !where) {
        code = ys_cli_fail("init", YS_NOMEM, NULL);
        goto out;
    }
    code = ys_cli_create_session("init", where ? where : o.file, rules, o.assembly, o.term, o.name, &j);
    if (!code) /* the store's locator: a session made in a database is named by the id it was given */
        printf("%s: new session under rule set %s (%s)%s%s\n", ys_store_locator(j->store), rules->id, rules->name,
               !in_db ? "" : *name ? ", of congress " : ", in a congress of its own", name);
    ys_journal_close(j);
    ys_free(where);
out:
    ys_diags_free(&diags);
    ys_rules_free(rules);
    return code;
}
