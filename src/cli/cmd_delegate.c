/* cmd_delegate.c — `yishi delegate`: one delegate's record (delegation, seat, post, roles, attendance),
 * moving them to another seat (or none), and the end of a mandate (代表资格终止), after which the law's base
 * of all delegates is one smaller. */
#include "cli/cli.h"

#include "yishi/hall.h"

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

/* seat CODE SEAT [--swap] or unseat CODE: the move, and where the delegate (and whom they swapped with) sit now. */
static int move(ys_journal *j, const char *who, const char *seat, bool swap)
{
    ys_events evs;
    ys_err err = {0};
    char now[32];
    ys_ctx ctx = ys_cli_ctx(now);
    ys_events_init(&evs);
    ys_rc rc = ys_cmd_delegate_seat(j->session, &ctx, who, seat, swap, &evs, &err);
    int other = !rc && evs.n ? (int)json_integer_value(json_object_get(evs.v[0].payload, "swap")) : 0;
    int code = rc ? ys_cli_fail("delegate", rc, &err) : ys_cli_commit("delegate", j, &evs);
    const ys_delegate *d = ys_delegate_by_code(j->session, who);
    if (!code)
        printf("%s %s: %s\n", d->code, d->name, d->seat ? d->seat : "no seat");
    if (!code && other)
        printf("%s %s: %s\n", j->session->delegates[other - 1].code, j->session->delegates[other - 1].name,
               j->session->delegates[other - 1].seat);
    ys_events_free(&evs);
    return code;
}

static int end_mandate(ys_journal *j, const char *who, const char *reason)
{
    ys_events evs;
    ys_err err = {0};
    char now[32];
    ys_ctx ctx = ys_cli_ctx(now);
    ys_events_init(&evs);
    ys_rc rc = ys_cmd_delegate_end(j->session, &ctx, who, reason, &evs, &err);
    int code = rc ? ys_cli_fail("delegate", rc, &err) : ys_cli_commit("delegate", j, &evs);
    if (!code)
        printf("the mandate of %s has ended; %d delegates are entitled\n", who, j->session->entitled);
    ys_events_free(&evs);
    return code;
}

int ys_cli_delegate(int argc, char **argv)
{
    static const struct option longopts[] = {YS_CLI_FILE_OPTION, {"reason", required_argument, NULL, 'r'},
                                             {"swap", no_argument, NULL, 's'}, {NULL, 0, NULL, 0}};
    const char *file = YS_DEFAULT_FILE, *reason = NULL;
    bool swap = false;
    int c, code;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
        if (c == 'f')
            file = optarg;
        else if (c == 'r')
            reason = optarg;
        else if (c == 's')
            swap = true;
        else
            return ys_cli_usage_error("delegate", "unknown option");
    }
    const char *verb = optind < argc ? argv[optind] : "";
    int want = !strcmp(verb, "seat") ? 3 : (!strcmp(verb, "show") || !strcmp(verb, "end") || !strcmp(verb, "unseat")) ? 2 : 0;
    if (!want || argc - optind != want)
        return ys_cli_usage_error("delegate", "give show CODE, seat CODE SEAT [--swap], unseat CODE or end CODE --reason TEXT");
    if (!strcmp(verb, "end") && !reason)
        return ys_cli_usage_error("delegate", "end needs --reason (辞职, 罢免, 死亡 …)");
    if (swap && strcmp(verb, "seat"))
        return ys_cli_usage_error("delegate", "--swap goes with seat CODE SEAT");
    bool showing = !strcmp(verb, "show");
    ys_journal *j = ys_cli_open("delegate", file, showing ? YS_STORE_READONLY : 0, &code);
    if (!j)
        return code;
    const ys_delegate *d = ys_delegate_by_code(j->session, argv[optind + 1]);
    if (showing && !d)
        code = ys_cli_fail("delegate", YS_NOT_FOUND, &(ys_err){.msg = "no delegate with that code"});
    else if (showing)
        show(j->session, d);
    else if (!strcmp(verb, "end"))
        code = end_mandate(j, argv[optind + 1], reason);
    else
        code = move(j, argv[optind + 1], want == 3 ? argv[optind + 2] : NULL, swap);
    ys_journal_close(j);
    return code;
}
