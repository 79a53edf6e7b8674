/* cmd_delegate.c — `yishi delegate`: one delegate's record (delegation, seat, post, roles, attendance),
 * and the end of a mandate (代表资格终止), after which the law's base of all delegates is one smaller. */
#include "cli/cli.h"

#include <getopt.h>
#include <string.h>

static void show(const ys_session *s, const ys_delegate *d)
{
    printf("%s %s (%s, %s)\n", d->code, d->name, ys_gender_zh(d->gender), d->ethnicity);
    printf("  delegation %s, seat %s%s%s\n", s->delegations[d->delegation - 1].name, d->seat ? d->seat : "none",
           d->post ? ", " : "", d->post ? s->posts[d->post - 1].title : "");
    for (unsigned bit = 1; bit && bit <= d->roles; bit <<= 1)
        if (d->roles & bit)
            printf("  role %s\n", ys_role_key(bit));
    printf("  %s\n", d->entitled ? "entitled" : "mandate ended");
    for (size_t i = 0; i < s->n_meetings; i++) {
        static const char *const words[] = {"absent", "present", "on leave"};
        const ys_meeting *m = &s->meetings[i];
        if (!m->delegation || m->delegation == d->delegation)
            printf("  meeting %d %s: %s\n", m->id, m->title, words[ys_meeting_presence(m, d->id)]);
    }
}

int ys_cli_delegate(int argc, char **argv)
{
    static const struct option longopts[] = {YS_CLI_FILE_OPTION, {"reason", required_argument, NULL, 'r'},
                                             {NULL, 0, NULL, 0}};
    const char *file = YS_DEFAULT_FILE, *reason = NULL;
    ys_events evs;
    ys_err err = {0};
    char now[32];
    ys_ctx ctx = ys_cli_ctx(now);
    int c, code;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
        if (c == 'f')
            file = optarg;
        else if (c == 'r')
            reason = optarg;
        else
            return ys_cli_usage_error("delegate", "unknown option");
    }
    if (argc - optind != 2 || (strcmp(argv[optind], "show") && strcmp(argv[optind], "end")))
        return ys_cli_usage_error("delegate", "give show CODE or end CODE --reason TEXT");
    bool ending = strcmp(argv[optind], "end") == 0;
    if (ending && !reason)
        return ys_cli_usage_error("delegate", "end needs --reason (辞职, 罢免, 死亡 …)");
    ys_journal *j = ys_cli_open("delegate", file, ending ? 0 : YS_STORE_READONLY, &code);
    if (!j)
        return code;
    const ys_delegate *d = ys_delegate_by_code(j->session, argv[optind + 1]);
    ys_events_init(&evs);
    if (!ending && !d)
        code = ys_cli_fail("delegate", YS_NOT_FOUND, &(ys_err){.msg = "no delegate with that code"});
    else if (!ending)
        show(j->session, d);
    else {
        ys_rc rc = ys_cmd_delegate_end(j->session, &ctx, argv[optind + 1], reason, &evs, &err);
        code = rc ? ys_cli_fail("delegate", rc, &err) : ys_cli_commit("delegate", j, &evs);
        if (!code)
            printf("the mandate of %s has ended; %d delegates are entitled\n", argv[optind + 1], j->session->entitled);
    }
    ys_events_free(&evs);
    ys_journal_close(j);
    return code;
}
