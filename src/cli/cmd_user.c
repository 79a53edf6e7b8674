/* cmd_user.c — the server's logins from the command line: `yishi user` adds, lists and unlocks staff accounts,
 * `yishi cards` issues delegates' login cards (the code as text, and as a QR code in text or SVG), and
 * the demo session's published demo logins. */
#include "cli/cli.h"
#include "cli/cmd_server.h"

#include "yishi/alloc.h"
#include "yishi/auth.h"
#include "yishi/card.h"

#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Opens the session file for writing (which brings its schema, logins included, up to date) and its
 * logins. A file another process holds for writing — a running server, during a session — is refused
 * with what to do instead: `instead`, the server's route for it, or (NULL) to stop the server first.
 * Returns an exit code; on success both are open. */
static int open_logins(const char *cmd, const char *file, const char *instead, ys_journal **j, ys_auth **a)
{
    ys_err err = {0};
    ys_rc rc = ys_journal_open(file, 0, j, &err);
    *a = NULL;
    if (rc == YS_CONFLICT && (!strcmp(err.field, "file") || !strcmp(err.field, "session"))) { /* the writer lock */
        ys_cli_fail(cmd, rc, &err);
        if (instead)
            fprintf(stderr, "yishi %s: while a server runs on %s, %s, logged in as the secretariat (docs/api.md)\n",
                    cmd, file, instead);
        else
            fprintf(stderr, "yishi %s: this needs the file to itself: stop the server on %s first\n", cmd, file);
        return YS_EXIT_REFUSED;
    }
    if (!rc)
        rc = ys_auth_open(file, a, &err);
    if (rc) {
        ys_journal_close(*j);
        *j = NULL;
        return ys_cli_fail(cmd, rc, &err);
    }
    return YS_EXIT_OK;
}

static char *read_password(const char *path)
{
    size_t len = 0;
    char *p = ys_cli_read_file(path, &len);
    while (p && len && (p[len - 1] == '\n' || p[len - 1] == '\r'))
        p[--len] = '\0';
    return p;
}

static void print_login(const char *kind, const char *name, const char *role, const char *delegation, bool pin_set,
                        const char *since, void *ud)
{
    (void)since, (void)ud;
    if (strcmp(kind, "account") == 0)
        printf("%-22s %-28s %s\n", role, name, delegation);
    else
        printf("%-22s %-28s card issued, PIN %s\n", role, name, pin_set ? "set" : "not set yet");
}

static int user_add(ys_journal *j, ys_auth *a, const char *name, const char *role_s, const char *delegation,
                    const char *password_file)
{
    int role = ys_auth_role_parse(role_s);
    ys_err err = {0};
    if (role != YS_AUTH_SECRETARIAT && role != YS_AUTH_CHAIR && role != YS_AUTH_DELEGATION_SECRETARY &&
        role != YS_AUTH_TRUSTEE)
        return ys_cli_usage_error("user", "--role is secretariat, chair, delegation_secretary or trustee");
    if (!name || !password_file)
        return ys_cli_usage_error("user", "add needs --name and --password-file");
    if (delegation && !ys_delegation_by_name(j->session, delegation))
        return ys_cli_fail("user", YS_NOT_FOUND, &(ys_err){.msg = "no such delegation in this session"});
    char *password = read_password(password_file);
    if (!password) {
        fprintf(stderr, "yishi user: cannot read %s: %s\n", password_file, strerror(errno));
        return YS_EXIT_USAGE;
    }
    ys_rc rc = ys_auth_add_account(a, name, (ys_auth_role)role, delegation, password, &err);
    sodium_memzero(password, strlen(password));
    ys_free(password);
    if (rc)
        return ys_cli_fail("user", rc, &err);
    printf("%s: account %s (%s%s%s) added\n", j->session->name, name, role_s, delegation ? ", " : "",
           delegation ? delegation : "");
    return YS_EXIT_OK;
}

/* Lets a login that failed too often in again at once (the owner, say, after an attacker's guesses). */
static int user_unlock(const char *file, const char *name, bool card)
{
    ys_err err = {0};
    ys_auth *a = NULL;
    ys_rc rc = ys_auth_open(file, &a, &err);
    if (!rc)
        rc = ys_auth_unlock(a, name, card, &err);
    ys_auth_close(a);
    if (rc)
        return ys_cli_fail("user", rc, &err);
    printf("%s %s: failed logins forgotten; it may log in again now\n", card ? "the card of" : "account", name);
    return YS_EXIT_OK;
}

/* The accounts and cards: a reader, so beside a running server too. */
static int user_list(const char *file)
{
    ys_err err = {0};
    ys_auth *a = NULL;
    int code;
    ys_journal *j = ys_cli_open("user", file, YS_STORE_READONLY, &code); /* a session file, or its error */
    ys_rc rc = j ? ys_auth_open(file, &a, &err) : YS_OK;
    if (j && !rc)
        rc = ys_auth_list(a, print_login, NULL, &err);
    if (rc)
        code = ys_cli_fail("user", rc, &err);
    ys_auth_close(a);
    ys_journal_close(j);
    return code;
}

int ys_cli_user(int argc, char **argv)
{
    static const struct option longopts[] = {
        YS_CLI_FILE_OPTION, {"role", required_argument, NULL, 'r'}, {"name", required_argument, NULL, 'n'},
        {"delegation", required_argument, NULL, 'd'}, {"password-file", required_argument, NULL, 'p'},
        {"card", no_argument, NULL, 'c'}, {NULL, 0, NULL, 0}};
    const char *file = YS_DEFAULT_FILE, *role = NULL, *name = NULL, *delegation = NULL, *pw = NULL;
    bool card = false;
    ys_journal *j = NULL;
    ys_auth *a = NULL;
    ys_err err = {0};
    int c, code;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': file = optarg; break;
        case 'r': role = optarg; break;
        case 'n': name = optarg; break;
        case 'd': delegation = optarg; break;
        case 'p': pw = optarg; break;
        case 'c': card = true; break;
        default: return ys_cli_usage_error("user", "unknown option");
        }
    }
    const char *verb = optind < argc ? argv[optind] : "list";
    if (strcmp(verb, "add") != 0 && strcmp(verb, "list") != 0 && strcmp(verb, "passwd") != 0 &&
        strcmp(verb, "unlock") != 0)
        return ys_cli_usage_error("user", "unknown action '%s' (add, passwd, unlock or list)", verb);
    if (!name && optind + 1 < argc)
        name = argv[optind + 1];
    if (strcmp(verb, "unlock") == 0 && !name)
        return ys_cli_usage_error("user", "unlock needs an account name, or --card and a delegate's code");
    if (strcmp(verb, "unlock") == 0) /* the logins only, not the log: a running server holds that */
        return user_unlock(file, name, card);
    if (strcmp(verb, "list") == 0)
        return user_list(file);
    if ((code = open_logins("user", file, strcmp(verb, "add") == 0 ? "add the account through it: POST /api/users "
                            "{\"name\",\"role\",\"password\"[,\"delegation\"]}" : NULL, &j, &a)))
        return code;
    if (strcmp(verb, "add") == 0) {
        code = user_add(j, a, name, role ? role : "", delegation, pw);
    } else if (strcmp(verb, "passwd") == 0) {
        char *password = name && pw ? read_password(pw) : NULL;
        ys_rc rc = password ? ys_auth_set_password(a, name, password, &err) : YS_INVALID;
        code = !password ? ys_cli_usage_error("user", "passwd needs --name and a readable --password-file")
               : rc      ? ys_cli_fail("user", rc, &err)
                         : YS_EXIT_OK;
        ys_free(password);
    }
    ys_auth_close(a);
    ys_journal_close(j);
    return code;
}

/* ---- cards ---- */

/* The card as SVG, DIR/CODE.svg, for printing. */
static int write_svg(const char *dir, const ys_delegate *d, const char *card)
{
    char path[4096];
    ys_err err;
    char *svg = ys_card_svg(card, d->code, d->name);
    if (!svg)
        return ys_cli_fail("cards", YS_NOMEM, NULL);
    snprintf(path, sizeof path, "%s/%s.svg", dir, d->code);
    FILE *f = fopen(path, "w");
    bool ok = f && fputs(svg, f) >= 0;
    if (f && fclose(f) != 0)
        ok = false;
    ys_free(svg);
    if (!ok)
        return ys_cli_fail("cards", ys_fail(&err, YS_IO, "svg", "cannot write %s: %s", path, strerror(errno)), &err);
    return YS_EXIT_OK;
}

typedef struct cards_opts {
    const char *file, *delegation, *svg_dir;
    bool qr, reissue;
    char **codes;
    int n_codes;
    uint8_t *has_card; /* per delegate id - 1: 1 if a card was issued before */
    const ys_session *s;
} cards_opts;

static bool selected(const cards_opts *o, const ys_session *s, const ys_delegate *d)
{
    if (!d->entitled)
        return false;
    if (o->delegation && strcmp(s->delegations[d->delegation - 1].name, o->delegation) != 0)
        return false;
    for (int i = 0; i < o->n_codes; i++)
        if (strcmp(o->codes[i], d->code) == 0)
            return true;
    return o->n_codes == 0;
}

static void note_card(const char *kind, const char *name, const char *role, const char *delegation, bool pin_set,
                      const char *since, void *ud)
{
    cards_opts *o = ud;
    const ys_delegate *d = strcmp(kind, "card") == 0 ? ys_delegate_by_code(o->s, name) : NULL;
    (void)role, (void)delegation, (void)pin_set, (void)since;
    if (d)
        o->has_card[d->id - 1] = 1;
}

/* A card already printed stops working when another is issued, so replacing one is said (--reissue)
 * and logged (card.reissue: who replaced whose card, never the code) before any new card is made.
 * Without --reissue, a delegate who has a card is refused, and no card at all is issued. */
static int check_reissue(ys_journal *j, const cards_opts *o)
{
    const ys_session *s = j->session;
    ys_events evs;
    ys_err err = {0};
    char now[32];
    ys_ctx ctx = ys_cli_ctx(now);
    int held = 0, code = YS_EXIT_OK;
    ys_events_init(&evs);
    for (size_t i = 0; i < s->n_delegates && !code; i++) {
        const ys_delegate *d = &s->delegates[i];
        if (!selected(o, s, d) || !o->has_card[i])
            continue;
        if (!o->reissue && ++held <= 10) {
            ys_fail(&err, YS_CONFLICT, "delegate", "%s %s (%s) already has a card; --reissue replaces it, and the "
                    "card printed before stops working", d->code, d->name, s->delegations[d->delegation - 1].name);
            ys_cli_fail("cards", YS_CONFLICT, &err);
        }
        if (o->reissue && ys_cmd_card_issue(s, &ctx, d->code, true, &evs, &err))
            code = ys_cli_fail("cards", err.rc, &err);
    }
    if (held > 10)
        fprintf(stderr, "yishi cards: … and %d more delegates who already have a card\n", held - 10);
    if (held) {
        fprintf(stderr, "yishi cards: no card was issued\n");
        code = YS_EXIT_REFUSED;
    } else if (!code && evs.n) {
        code = ys_cli_commit("cards", j, &evs);
    }
    ys_events_free(&evs);
    return code;
}

/* Prints one issued card: its line, the note of the card it replaced, its QR code or SVG page. */
static int print_card(const cards_opts *o, const ys_session *s, const ys_delegate *d, const char *card)
{
    ys_rc rc;
    printf("%s\t%s\t%s\t%s\n", d->code, d->name, s->delegations[d->delegation - 1].name, card);
    if (o->has_card[d->id - 1])
        fprintf(stderr, "yishi cards: replaced the card of %s %s (%s): the card printed before no longer works, its "
                "PIN is cleared and its logins have ended\n", d->code, d->name, s->delegations[d->delegation - 1].name);
    if (o->qr && (rc = ys_card_qr_text(card, stdout)))
        return ys_cli_fail("cards", rc, NULL);
    return o->svg_dir ? write_svg(o->svg_dir, d, card) : YS_EXIT_OK;
}

/* Issues every selected delegate's card in one transaction (one sync for a whole hall), then prints
 * them: a failure issues none, and nothing is printed that is not a card in force. */
static int issue_selected(ys_auth *a, const cards_opts *o, const ys_session *s)
{
    const ys_delegate **who = ys_calloc(s->n_delegates + 1, sizeof *who);
    const char **codes = ys_calloc(s->n_delegates + 1, sizeof *codes);
    char (*cards)[YS_AUTH_CARD_TEXT] = ys_calloc(s->n_delegates + 1, sizeof *cards);
    size_t n = 0;
    int code = YS_EXIT_OK;
    ys_err err = {0};
    ys_rc rc;
    if (!who || !codes || !cards) {
        code = ys_cli_fail("cards", YS_NOMEM, NULL);
        goto out;
    }
    for (size_t i = 0; i < s->n_delegates; i++)
        if (selected(o, s, &s->delegates[i])) {
            who[n] = &s->delegates[i];
            codes[n++] = s->delegates[i].code;
        }
    if ((rc = ys_auth_issue_cards(a, codes, NULL, n, cards, &err))) {
        code = ys_cli_fail("cards", rc, &err);
        goto out;
    }
    for (size_t i = 0; !code && i < n; i++)
        code = print_card(o, s, who[i], cards[i]);
out:
    ys_free(who);
    ys_free(codes);
    ys_free(cards);
    return code;
}

int ys_cli_cards(int argc, char **argv)
{
    static const struct option longopts[] = {YS_CLI_FILE_OPTION, {"delegation", required_argument, NULL, 'd'},
                                             {"svg", required_argument, NULL, 's'}, {"qr", no_argument, NULL, 'q'},
                                             {"reissue", no_argument, NULL, 'R'}, {NULL, 0, NULL, 0}};
    cards_opts o = {.file = YS_DEFAULT_FILE};
    ys_journal *j = NULL;
    ys_auth *a = NULL;
    int c, code;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': o.file = optarg; break;
        case 'd': o.delegation = optarg; break;
        case 's': o.svg_dir = optarg; break;
        case 'q': o.qr = true; break;
        case 'R': o.reissue = true; break;
        default: return ys_cli_usage_error("cards", "unknown option");
        }
    }
    o.codes = argv + optind;
    o.n_codes = argc - optind;
    if (o.svg_dir && mkdir(o.svg_dir, 0700) != 0 && errno != EEXIST) {
        ys_err err;
        return ys_cli_fail("cards", ys_fail(&err, YS_IO, "svg", "cannot create %s: %s", o.svg_dir, strerror(errno)),
                           &err);
    }
    if ((code = open_logins("cards", o.file, "issue each card through it: POST /api/delegates/ID/card (the ID of "
                            "GET /api/delegates), with {\"reissue\":true} to replace one", &j, &a)))
        return code;
    const ys_session *s = o.s = j->session;
    ys_err err = {0};
    ys_rc rc = YS_OK;
    if (o.delegation && !ys_delegation_by_name(s, o.delegation))
        code = ys_cli_fail("cards", YS_NOT_FOUND, &(ys_err){.msg = "no such delegation in this session"});
    for (int i = 0; !code && i < o.n_codes; i++)
        if (!ys_delegate_by_code(s, o.codes[i]))
            code = ys_cli_fail("cards", YS_NOT_FOUND, &(ys_err){.msg = "no delegate with that code"});
    if (!code && !(o.has_card = ys_calloc(s->n_delegates + 1, 1)))
        code = ys_cli_fail("cards", YS_NOMEM, NULL);
    if (!code && (rc = ys_auth_list(a, note_card, &o, &err)))
        code = ys_cli_fail("cards", rc, &err);
    if (!code)
        code = check_reissue(j, &o);
    if (!code)
        code = issue_selected(a, &o, s);
    ys_free(o.has_card);
    ys_auth_close(a);
    ys_journal_close(j);
    return code;
}

/* ---- the demo's logins ---- */

/* The demo cards of delegates other than the first, for trying the terminal as several people. */
static void print_more_cards(const ys_session *s, char (*cards)[YS_AUTH_CARD_TEXT], size_t n, int more, FILE *out)
{
    for (int k = 1; k <= more; k++) {
        size_t i = n * (size_t)k / (size_t)(more + 1);
        const ys_delegate *d = &s->delegates[i];
        fprintf(out, "  delegate %s %s (%s, seat %s) {\"code\":\"%s\",\"pin\":\"135790\"}\n", d->code, d->name,
                s->delegations[d->delegation - 1].name, d->seat ? d->seat : "none", cards[i]);
    }
}

int ys_cli_demo_logins(const char *file, const char *delegation, const char *secretary, int cards_shown, FILE *out)
{
    char password[64];
    snprintf(password, sizeof password, "demo-%s", secretary);
    const struct { const char *name, *role, *delegation, *password; } staff[] = {
        {"secretariat", "secretariat", NULL, "demo-secretariat"},
        {"chair", "chair", NULL, "demo-chair"},
        {secretary, "delegation_secretary", delegation, password},
        /* the scrutineers (总监票人, 监票人) who hold the key of the verifiable ballots in shares */
        {"trustee1", "trustee", NULL, "demo-trustee1"},
        {"trustee2", "trustee", NULL, "demo-trustee2"},
        {"trustee3", "trustee", NULL, "demo-trustee3"},
    };
    ys_journal *j = NULL;
    ys_auth *a = NULL;
    ys_err err = {0};
    const ys_delegate *first_d = NULL;
    int code = open_logins("demo", file, NULL, &j, &a);
    if (code)
        return code;
    for (size_t i = 0; i < sizeof staff / sizeof staff[0] && !code; i++)
        if (ys_auth_add_account(a, staff[i].name, (ys_auth_role)ys_auth_role_parse(staff[i].role), staff[i].delegation,
                                staff[i].password, &err))
            code = ys_cli_fail("demo", err.rc, &err);
    /* Demo cards read DEMO- and the delegate's code, so that anyone can log in as any demo delegate; all
     * issued in one transaction, as `yishi cards` does. */
    size_t n = j->session->n_delegates;
    const char **who = ys_calloc(n + 1, sizeof *who), **codes = ys_calloc(n + 1, sizeof *codes);
    char (*wants)[32] = ys_calloc(n + 1, sizeof *wants), (*cards)[YS_AUTH_CARD_TEXT] = ys_calloc(n + 1, sizeof *cards);
    if (!code && (!who || !codes || !wants || !cards))
        code = ys_cli_fail("demo", YS_NOMEM, NULL);
    for (size_t i = 0; !code && i < n; i++) {
        const ys_delegate *d = &j->session->delegates[i];
        snprintf(wants[i], sizeof wants[i], "DEMO%012lld", atoll(d->code) % 1000000000000LL);
        who[i] = d->code;
        codes[i] = wants[i];
    }
    if (!code && ys_auth_issue_cards(a, who, codes, n, cards, &err))
        code = ys_cli_fail("demo", err.rc, &err);
    if (!code && n)
        first_d = &j->session->delegates[0];
    if (!code && first_d) {
        fprintf(out, "demo logins (DEMO ONLY — published credentials, never use them on a real session):\n"
                     "  secretariat          {\"name\":\"secretariat\",\"password\":\"demo-secretariat\"}\n"
                     "  chair                {\"name\":\"chair\",\"password\":\"demo-chair\"}\n"
                     "  delegation secretary {\"name\":\"%s\",\"password\":\"%s\"}  (%s)\n"
                     "  trustees (监票人)     {\"name\":\"trustee1\",\"password\":\"demo-trustee1\"}, trustee2, trustee3"
                     " likewise\n"
                     "  delegate %s %s {\"code\":\"%s\",\"pin\":\"135790\"}  (the first login sets the PIN;"
                     " every demo card is DEMO- and the delegate's code)\n",
                secretary, password, delegation, first_d->code, first_d->name, cards[0]);
        print_more_cards(j->session, cards, n, cards_shown - 1, out);
    }
    ys_free(who);
    ys_free(codes);
    ys_free(wants);
    ys_free(cards);
    ys_auth_close(a);
    ys_journal_close(j);
    return code;
}
