/* cmd_serve.c — `yishi serve`: the session file as an HTTP JSON API with live updates, until SIGTERM.
 * The options map onto ys_serve_config; the server itself is src/server/. */
#include "cli/cli.h"
#include "cli/cmd_server.h"
#include "cli/rules_file.h"

#include "yishi/alloc.h"
#include "yishi/server.h"

#include <getopt.h>
#include <stdlib.h>
#include <sys/stat.h>

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

int ys_cli_serve(int argc, char **argv)
{
    static const struct option longopts[] = {
        YS_CLI_FILE_OPTION, {"listen", required_argument, NULL, 'l'}, {"tls-cert", required_argument, NULL, 'c'},
        {"tls-key", required_argument, NULL, 'k'}, {"token-ttl", required_argument, NULL, 't'},
        {"max-body", required_argument, NULL, 'b'}, {"threads", required_argument, NULL, 'n'},
        {"heartbeat", required_argument, NULL, 'h'}, {"idle-timeout", required_argument, NULL, 'i'},
        {"sse-ring", required_argument, NULL, 'r'}, {"request-timeout", required_argument, NULL, 'q'},
        {"max-connections", required_argument, NULL, 'm'}, {"max-per-address", required_argument, NULL, 'a'},
        {"nchan-publish", required_argument, NULL, 'P'}, {"nchan-resume-port", required_argument, NULL, 'R'},
        {"web", required_argument, NULL, 'w'},         {"check-threads", required_argument, NULL, 'C'},
        {"setup", no_argument, NULL, 'S'}, {NULL, 0, NULL, 0}};
    ys_serve_config cfg = {.file = YS_DEFAULT_FILE};
    long long v;
    int c, code;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': cfg.file = optarg; break;
        case 'l': cfg.listen = optarg; break;
        case 'c': cfg.tls_cert = optarg; break;
        case 'k': cfg.tls_key = optarg; break;
        case 'P': cfg.nchan_publish = optarg; break;
        case 'w': cfg.web_dir = optarg; break;
        case 'S': cfg.setup = true; break;
        case 'R':
            if ((code = ys_cli_int("serve", "--nchan-resume-port", optarg, 1, 65535, &v)))
                return code;
            cfg.nchan_resume_port = (unsigned)v;
            break;
        case 'C':
            if ((code = ys_cli_int("serve", "--check-threads", optarg, 1, 256, &v)))
                return code;
            cfg.check_threads = (unsigned)v;
            break;
        case 't': case 'b': case 'n': case 'h': case 'i': case 'r': case 'q': case 'm': case 'a':
            if ((code = ys_cli_int("serve", c == 't' ? "--token-ttl" : c == 'b' ? "--max-body" : c == 'n' ? "--threads"
                                            : c == 'h' ? "--heartbeat" : c == 'i' ? "--idle-timeout"
                                            : c == 'q' ? "--request-timeout" : c == 'm' ? "--max-connections"
                                            : c == 'a' ? "--max-per-address" : "--sse-ring", optarg, 1,
                                   c == 'm' || c == 'a' ? 1000000 : 1ll << 30, &v)))
                return code;
            if (c == 't') cfg.token_ttl = (int)v;
            if (c == 'b') cfg.max_body = (size_t)v;
            if (c == 'n') cfg.threads = (unsigned)v;
            if (c == 'h') cfg.heartbeat = (unsigned)v;
            if (c == 'i') cfg.idle_timeout = (unsigned)v;
            if (c == 'r') cfg.ring = (size_t)v;
            if (c == 'q') cfg.request_timeout = (unsigned)v;
            if (c == 'm') cfg.max_connections = (unsigned)v;
            if (c == 'a') cfg.max_per_address = (unsigned)v;
            break;
        default: return ys_cli_usage_error("serve", "unknown option");
        }
    }
    if (optind < argc)
        return ys_cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
    if (cfg.nchan_resume_port && !cfg.nchan_publish)
        return ys_cli_usage_error("serve", "--nchan-resume-port goes with --nchan-publish");
    struct stat st;
    /* --web is read on each request: a folder that is not there is a mistake to say at once. */
    if (cfg.web_dir && (stat(cfg.web_dir, &st) != 0 || !S_ISDIR(st.st_mode)))
        return ys_cli_usage_error("serve", "--web %s: not a folder (it takes the folder of the pages, e.g. web/)",
                                  cfg.web_dir);
    return serve(&cfg);
}
