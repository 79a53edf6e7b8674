/* cmd_key.c — `yishi key`: the keys of verifiable ballots from the secretariat's desk. A ceremony is started
 * here (or by POST /api/keys); each trustee's steps are made on the trustee's own device (the trustee page)
 * and posted to the server, never run on the hall's machine, which must not hold a trustee's secret. */
#include "cli/cli.h"

#include "yishi/auth.h"
#include "yishi/key.h"
#include "yishi/vkey.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#define MAX_TRUSTEES 32

static void print_key(const ys_key *k)
{
    char joint[45] = "";
    bool known = ys_vkey_committed(k->v) && ys_vkey_joint_key(k->v, joint, NULL) == YS_OK;
    printf("key %d: %d of %d trustees, %s%s%s\n", k->id, k->k, k->n, ys_key_state_word(k->state),
           known ? "; joint key " : "", joint);
    for (int i = 0; i < k->n; i++) {
        const ys_key_trustee *t = &k->trustees[i];
        printf("  %d %-24s %s\n", i + 1, t->login,
               t->ready ? "public share published" : t->shared ? "shares sent" : t->committed ? "committed" : "waiting");
    }
    if (k->complaint)
        printf("  complaint by trustee %d against trustee %d: %s\n", k->complaint_by, k->complaint_against, k->complaint);
}

static int list(const char *file)
{
    int code = YS_EXIT_OK;
    ys_journal *j = ys_cli_open("key", file, YS_STORE_READONLY, &code);
    if (!j)
        return code;
    if (!j->session->n_keys)
        printf("no keys yet (yishi key create --trustee LOGIN … --threshold K)\n");
    for (size_t i = 0; i < j->session->n_keys; i++)
        print_key(&j->session->keys[i]);
    ys_journal_close(j);
    return code;
}

/* Each login named is a trustee's account in the file's logins, as POST /api/keys checks. */
static ys_rc check_accounts(const char *file, const char *const *trustees, size_t n, ys_err *err)
{
    ys_auth *a = NULL;
    ys_rc rc = ys_auth_open(file, &a, err);
    if (!rc)
        rc = ys_auth_check_trustees(a, trustees, n, err);
    ys_auth_close(a);
    return rc;
}

static int create(const char *file, const char *const *trustees, size_t n, int k)
{
    char now[32];
    ys_ctx ctx = ys_cli_ctx(now);
    ys_events evs;
    ys_err err = {0};
    int code = YS_EXIT_OK;
    if (!n || !k)
        return ys_cli_usage_error("key", "create needs --trustee LOGIN (once for each trustee) and --threshold K");
    ys_journal *j = ys_cli_open("key", file, 0, &code);
    if (!j)
        return code;
    ys_events_init(&evs);
    ys_rc rc = check_accounts(file, trustees, n, &err);
    if (!rc)
        rc = ys_cmd_key_create(j->session, &ctx, trustees, n, k, &evs, &err);
    if (rc)
        code = ys_cli_fail("key", rc, &err);
    else if (!(code = ys_cli_commit("key", j, &evs)))
        print_key(&j->session->keys[j->session->n_keys - 1]);
    ys_events_free(&evs);
    ys_journal_close(j);
    return code;
}

int ys_cli_key(int argc, char **argv)
{
    static const struct option longopts[] = {YS_CLI_FILE_OPTION, {"trustee", required_argument, NULL, 't'},
                                             {"threshold", required_argument, NULL, 'k'}, {NULL, 0, NULL, 0}};
    const char *file = YS_DEFAULT_FILE, *trustees[MAX_TRUSTEES + 1];
    size_t n = 0;
    long long k = 0;
    int c, code;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': file = optarg; break;
        case 't':
            if (n == MAX_TRUSTEES)
                return ys_cli_usage_error("key", "a key has at most %d trustees", MAX_TRUSTEES);
            trustees[n++] = optarg;
            break;
        case 'k':
            if ((code = ys_cli_int("key", "--threshold", optarg, 1, MAX_TRUSTEES, &k)))
                return code;
            break;
        default: return ys_cli_usage_error("key", "unknown option");
        }
    }
    const char *verb = optind < argc ? argv[optind] : "list";
    if (!strcmp(verb, "list"))
        return list(file);
    if (!strcmp(verb, "create"))
        return create(file, trustees, n, (int)k);
    return ys_cli_usage_error("key", "unknown action '%s' (create or list)", verb);
}
