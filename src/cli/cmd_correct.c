/* cmd_correct.c — `yishi correct delegate|item|attendee`: a correction of the record with its reason, logged
 * with what it replaces (correct.h). The core checks each value; this file reads the options and says what
 * the record now holds. */
#include "cli/cli.h"

#include "yishi/alloc.h"
#include "yishi/correct.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define CMD "correct"

typedef struct opts {
    const char *file, *reason;
    /* the fields, by option: --name --gender --ethnicity --delegation --post --title --kind --presenter
     * --document --affiliation */
    const char *name, *gender, *ethnicity, *delegation, *post, *title, *kind, *presenter, *document, *affiliation;
} opts;

/* A value as people read it: a reference by the name of what it names ("none" for 0), a text as it is. */
static char *readable(const ys_session *s, const char *field, const json_t *v)
{
    json_int_t id = json_integer_value(v);
    const char *name = !json_is_integer(v) ? NULL : !id ? "none"
                     : !strcmp(field, "delegation") && (size_t)id <= s->n_delegations ? s->delegations[id - 1].name
                     : !strcmp(field, "post") && (size_t)id <= s->n_posts ? s->posts[id - 1].title
                     : !strcmp(field, "document") && (size_t)id <= s->n_documents ? s->documents[id - 1].title : NULL;
    return name ? ys_strdup(name) : json_is_null(v) ? ys_strdup("none")
                : json_is_string(v) ? ys_strdup(json_string_value(v)) : ys_json_dumps(v, JSON_ENCODE_ANY);
}

/* What the event changed, field by field: "name 常书铭 → 常书明". */
static void say_changes(const ys_session *s, const json_t *payload)
{
    const char *k;
    const json_t *v;
    const json_t *set = json_object_get(payload, "set"), *was = json_object_get(payload, "was");
    json_object_foreach((json_t *)set, k, v) {
        char *from = readable(s, k, json_object_get(was, k)), *to = readable(s, k, v);
        printf("  %s %s → %s\n", k, from ? from : "?", to ? to : "?");
        ys_free(from);
        ys_free(to);
    }
}

static int run(const opts *o, const char *what, const char *which)
{
    int code;
    ys_journal *j = ys_cli_open(CMD, o->file, 0, &code);
    if (!j)
        return code;
    ys_events evs;
    ys_err err = {0};
    char now[32], *end = NULL;
    ys_ctx ctx = ys_cli_ctx(now);
    long id = strtol(which, &end, 10);
    ys_rc rc;
    ys_events_init(&evs);
    if (!strcmp(what, "delegate"))
        rc = ys_cmd_delegate_correct(j->session, &ctx, which,
                                     &(ys_delegate_fix){o->name, o->gender, o->ethnicity, o->delegation, o->post},
                                     o->reason, &evs, &err);
    else if (*end || id < 1 || id > 1000000)
        rc = ys_fail(&err, YS_INVALID, what, "%s '%.40s' is not an id (a number from 1)", what, which);
    else if (!strcmp(what, "item"))
        rc = ys_cmd_item_correct(j->session, &ctx, (int)id,
                                 &(ys_item_fix){o->title, o->kind, o->presenter, o->document}, o->reason, &evs, &err);
    else
        rc = ys_cmd_attendee_correct(j->session, &ctx, (int)id,
                                     &(ys_attendee_fix){o->name, o->kind, o->post, o->affiliation}, o->reason, &evs,
                                     &err);
    json_t *payload = rc ? NULL : json_incref(evs.v[0].payload); /* the commit takes the events */
    code = rc ? ys_cli_fail(CMD, rc, &err) : ys_cli_commit(CMD, j, &evs);
    if (!code) {
        printf("%s %s corrected (event %lld): %s\n", what, which, (long long)j->session->seq, o->reason);
        say_changes(j->session, payload);
    }
    json_decref(payload);
    ys_events_free(&evs);
    ys_journal_close(j);
    return code;
}

/* The options each kind of record takes: another is a usage error, not silently ignored. */
static const char *const takes[][7] = {
    {"delegate", "name", "gender", "ethnicity", "delegation", "post", NULL},
    {"item", "title", "kind", "presenter", "document", NULL},
    {"attendee", "name", "kind", "post", "affiliation", NULL},
};

static bool taken(const char *what, const char *option)
{
    for (size_t i = 0; i < sizeof takes / sizeof takes[0]; i++)
        if (!strcmp(takes[i][0], what))
            for (size_t k = 1; takes[i][k]; k++)
                if (!strcmp(takes[i][k], option))
                    return true;
    return false;
}

int ys_cli_correct(int argc, char **argv)
{
    static const struct option longopts[] = {
        YS_CLI_FILE_OPTION,
        {"reason", required_argument, NULL, 'r'},     {"name", required_argument, NULL, 'n'},
        {"gender", required_argument, NULL, 'g'},     {"ethnicity", required_argument, NULL, 'e'},
        {"delegation", required_argument, NULL, 'd'}, {"post", required_argument, NULL, 'p'},
        {"title", required_argument, NULL, 't'},      {"kind", required_argument, NULL, 'k'},
        {"presenter", required_argument, NULL, 'P'},  {"document", required_argument, NULL, 'D'},
        {"affiliation", required_argument, NULL, 'a'}, {NULL, 0, NULL, 0}};
    opts o = {.file = YS_DEFAULT_FILE};
    const char *given[16];
    size_t n_given = 0;
    int c, index = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:", longopts, &index)) != -1) {
        const char **slot = c == 'f' ? &o.file : c == 'r' ? &o.reason : c == 'n' ? &o.name : c == 'g' ? &o.gender
                          : c == 'e' ? &o.ethnicity : c == 'd' ? &o.delegation : c == 'p' ? &o.post
                          : c == 't' ? &o.title : c == 'k' ? &o.kind : c == 'P' ? &o.presenter
                          : c == 'D' ? &o.document : c == 'a' ? &o.affiliation : NULL;
        if (!slot)
            return ys_cli_usage_error(CMD, "unknown option");
        *slot = optarg;
        if (c != 'f' && c != 'r' && n_given < 16)
            given[n_given++] = longopts[index].name;
        index = 0;
    }
    if (argc - optind != 2 || (strcmp(argv[optind], "delegate") && strcmp(argv[optind], "item") &&
                               strcmp(argv[optind], "attendee")))
        return ys_cli_usage_error(CMD, "give delegate CODE, item ID or attendee ID, what to change, and --reason TEXT");
    for (size_t i = 0; i < n_given; i++)
        if (!taken(argv[optind], given[i]))
            return ys_cli_usage_error(CMD, "correct %s takes no --%s", argv[optind], given[i]);
    if (!o.reason)
        return ys_cli_usage_error(CMD, "a correction needs --reason TEXT (录入有误, …): the log keeps why");
    return run(&o, argv[optind], argv[optind + 1]);
}
