/* cmd_init.c — `yishi init`: a new session file under a rule set. The rule file's text goes into
 * the first event of the log, so the rules cannot change under a running session. */
#include "cli/cli.h"
#include "cli/rules_file.h"

#include <getopt.h>

typedef struct init_opts {
    const char *file, *rules, *assembly, *term, *name;
} init_opts;

static int parse(int argc, char **argv, init_opts *o)
{
    static const struct option longopts[] = {
        YS_CLI_FILE_OPTION, {"rules", required_argument, NULL, 'r'}, {"assembly", required_argument, NULL, 'a'},
        {"term", required_argument, NULL, 't'}, {"session", required_argument, NULL, 's'}, {NULL, 0, NULL, 0}};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:r:", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': o->file = optarg; break;
        case 'r': o->rules = optarg; break;
        case 'a': o->assembly = optarg; break;
        case 't': o->term = optarg; break;
        case 's': o->name = optarg; break;
        default: return ys_cli_usage_error("init", "unknown option");
        }
    }
    if (optind < argc)
        return ys_cli_usage_error("init", "unexpected argument '%s'", argv[optind]);
    if (!o->rules)
        return ys_cli_usage_error("init", "--rules is required (prc-npc, prc-provincial, prc-municipal, "
                                          "prc-county, prc-township, or a path to a .rules file)");
    return YS_EXIT_OK;
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
    code = ys_cli_create_session("init", o.file, rules, o.assembly, o.term, o.name, &j);
    if (!code) /* the store's locator: a session made in a database is named by the id it was given */
        printf("%s: new session under rule set %s (%s)\n", ys_store_locator(j->store), rules->id, rules->name);
    ys_journal_close(j);
out:
    ys_diags_free(&diags);
    ys_rules_free(rules);
    return code;
}
