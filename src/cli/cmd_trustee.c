/* cmd_trustee.c — `yishi trustee`: a scrutineer's (监票人's) side of verifiable ballots, run on the trustee's own
 * machine against the hall's server: log in, the key ceremony, the partial decryption after a close, and what a
 * secret file holds. src/crypto makes and checks every value; this file only moves them between file and server. */
#include "cli/cli.h"
#include "cli/client.h"
#include "cli/secret_file.h"
#include "cli/trustee_board.h"

#include "yishi/alloc.h"
#include "yishi/auth.h"
#include "yishi/vkey.h"

#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define CMD "trustee"
#define PASSWORD_ENV "YISHI_TRUSTEE_PASSWORD"
#define LOGIN_ENV "YISHI_TRUSTEE_LOGIN"

typedef struct opts {
    const char *server, *token, *cacert, *login_file, *name, *password_file, *secret;
    long long key, election, poll, interval, timeout;
    char login_path[4096];
} opts;

/* A connection as one trustee: the client and who the server says the login is. */
typedef struct session {
    ys_client c;
    char name[96];
    char id[65]; /* the session's id, which every hash of the key includes */
} session;

static const char *jstr(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static json_int_t jint(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

/* Prints a failure and gives its exit code: a file named on the command line that is not there is a usage error
 * (cli.h); a server's refusal is printed in its own words. */
static int fail(const session *s, ys_rc rc, const ys_err *err)
{
    if (rc == YS_NOT_FOUND && !strcmp(err->field, "file")) {
        ys_cli_fail(CMD, rc, err);
        return YS_EXIT_USAGE;
    }
    return ys_client_fail(CMD, &s->c, rc, err);
}

/* Says `before` ahead of the detail err holds already (copied first: ys_fail writes where it would read). */
static ys_rc explain(ys_err *err, ys_rc rc, const char *field, const char *before)
{
    ys_err was = *err;
    return ys_fail(err, rc, field ? field : was.field, "%s%s", before, was.msg);
}

/* ---- the login file ---- */

static const char *login_path(opts *o)
{
    const char *home = getenv("HOME");
    if (o->login_file)
        return o->login_file;
    if (getenv(LOGIN_ENV) && *getenv(LOGIN_ENV))
        return getenv(LOGIN_ENV);
    snprintf(o->login_path, sizeof o->login_path, "%s/.yishi-trustee-login.json", home && *home ? home : ".");
    return o->login_path;
}

/* Asks on the terminal, echo off while it is typed; NULL when there is no terminal (a script, a service). */
static char *ask_password(const char *name)
{
    char line[1024] = "";
    struct termios old, quiet;
    FILE *tty = fopen("/dev/tty", "r+");
    if (!tty)
        return NULL;
    fprintf(tty, "password for %s: ", name);
    fflush(tty);
    bool hidden = tcgetattr(fileno(tty), &old) == 0;
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    if (hidden)
        tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
    char *got = fgets(line, sizeof line, tty);
    if (hidden)
        tcsetattr(fileno(tty), TCSAFLUSH, &old);
    fprintf(tty, "\n");
    fclose(tty);
    line[strcspn(line, "\r\n")] = '\0';
    char *p = got ? ys_strdup(line) : NULL;
    sodium_memzero(line, sizeof line);
    return p;
}

/* The password from --password-file (FILE, or - for standard input), else $YISHI_TRUSTEE_PASSWORD, else asked
 * for on the terminal. The caller wipes and frees it. */
static char *password_of(const opts *o, ys_err *err)
{
    char *p = NULL;
    size_t len = 0;
    if (o->password_file) {
        if (!(p = ys_cli_read_file(o->password_file, &len)))
            ys_fail(err, errno == ENOENT ? YS_NOT_FOUND : YS_IO, "file", "cannot read %s: %s", o->password_file,
                    strerror(errno));
        while (p && len && (p[len - 1] == '\n' || p[len - 1] == '\r'))
            p[--len] = '\0';
    } else if (getenv(PASSWORD_ENV)) {
        p = ys_strdup(getenv(PASSWORD_ENV));
    } else if (!(p = ask_password(o->name))) {
        ys_fail(err, YS_INVALID, "password", "no terminal to ask for the password on: give --password-file FILE "
                "(- for standard input) or set " PASSWORD_ENV);
    }
    return p;
}

static ys_rc post_login(session *s, const opts *o, const char *password, json_t **out, ys_err *err)
{
    json_t *old = NULL, *body = json_pack("{s:s, s:s}", "name", o->name, "password", password);
    ys_err ignored;
    /* a device token from the last login: its failures are charged to this machine, not to the name */
    if (body && ys_secret_file_read(login_path((opts *)o), &old, &ignored) == YS_OK && jstr(old, "device") &&
        !strcmp(jstr(old, "name") ? jstr(old, "name") : "", o->name))
        json_object_set_new(body, "device", json_string(jstr(old, "device")));
    json_decref(old);
    ys_rc rc = body ? ys_client_call(&s->c, "POST", "/api/login", body, out, err) : YS_NOMEM;
    json_decref(body);
    return rc;
}

/* POST /api/login as a trustee; the token is kept in the login file (0600) for the other subcommands. */
static int login(opts *o)
{
    session s = {0};
    ys_err err = {0};
    json_t *ans = NULL, *kept = NULL;
    char *password = NULL;
    int code;
    if (!o->server || !o->name)
        return ys_cli_usage_error(CMD, "login needs --server URL and --name NAME");
    ys_rc rc = ys_client_open(&s.c, o->server, NULL, o->cacert, &err);
    if (!rc && !(password = password_of(o, &err)))
        rc = err.rc ? err.rc : YS_NOMEM;
    if (!rc)
        rc = post_login(&s, o, password, &ans, &err);
    if (password) {
        sodium_memzero(password, strlen(password));
        ys_free(password);
    }
    if (!rc && strcmp(jstr(ans, "role") ? jstr(ans, "role") : "", "trustee")) {
        snprintf(s.c.token, sizeof s.c.token, "%s", jstr(ans, "token") ? jstr(ans, "token") : "");
        json_t *bye = NULL;
        ys_client_call(&s.c, "POST", "/api/logout", NULL, &bye, &(ys_err){0}); /* not a login to keep */
        json_decref(bye);
        s.c.refused = false;
        rc = ys_fail(&err, YS_FORBIDDEN, "name", "%s is a login of the role %s, not a trustee's (监票人: yishi user "
                     "add --role trustee)", o->name, jstr(ans, "role") ? jstr(ans, "role") : "?");
    }
    if (!rc && !(kept = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s?}", "server", s.c.url, "name", o->name, "token",
                                  jstr(ans, "token"), "expires", jint(ans, "expires"), "cacert", o->cacert ? o->cacert : "",
                                  "device", jstr(ans, "device"))))
        rc = ys_fail(&err, YS_NOMEM, NULL, "out of memory");
    if (!rc)
        rc = ys_secret_file_write(login_path(o), kept, &err);
    if (!rc) {
        time_t until = (time_t)jint(ans, "expires");
        char when[64];
        strftime(when, sizeof when, "%Y-%m-%d %H:%M", localtime(&until));
        printf("logged in to %s as %s (trustee) until %s; the login is kept in %s (mode 0600)\n", s.c.url, o->name,
               when, login_path(o));
    }
    code = rc ? fail(&s, rc, &err) : YS_EXIT_OK;
    json_decref(ans);
    json_decref(kept);
    ys_client_close(&s.c);
    return code;
}

/* ---- a connection as a trustee: --server and --token, or the login file ---- */

static ys_rc whoami(session *s, ys_err *err)
{
    json_t *me = NULL, *sess = NULL;
    ys_rc rc = ys_client_call(&s->c, "GET", "/api/me", NULL, &me, err);
    if (rc == YS_UNAUTHORIZED)
        return ys_fail(err, rc, "token", "the login to %s has ended or expired: yishi trustee login --server %s "
                       "--name NAME", s->c.url, s->c.url);
    if (!rc && strcmp(jstr(me, "role") ? jstr(me, "role") : "", "trustee")) {
        s->c.refused = false;
        rc = ys_fail(err, YS_FORBIDDEN, "token", "the login is %s's, of the role %s, not a trustee's",
                     jstr(me, "name") ? jstr(me, "name") : "?", jstr(me, "role") ? jstr(me, "role") : "?");
    }
    if (!rc)
        snprintf(s->name, sizeof s->name, "%s", jstr(me, "name"));
    if (!rc && !(rc = ys_client_call(&s->c, "GET", "/api/session", NULL, &sess, err))) {
        if (!jstr(sess, "id") || strlen(jstr(sess, "id")) != 64)
            rc = ys_fail(err, YS_IO, "server", "%s gives no session id: is it a yishi server?", s->c.url);
        else
            memcpy(s->id, jstr(sess, "id"), 65);
    }
    json_decref(me);
    json_decref(sess);
    return rc;
}

static bool same_url(const char *a, const char *b)
{
    size_t na = strlen(a), nb = b ? strlen(b) : 0;
    while (na && a[na - 1] == '/')
        na--;
    while (nb && b[nb - 1] == '/')
        nb--;
    return b && na == nb && !strncmp(a, b, na);
}

static ys_rc connect_as_trustee(opts *o, session *s, ys_err *err)
{
    json_t *kept = NULL;
    ys_rc rc;
    memset(s, 0, sizeof *s);
    if (o->token) {
        if (!o->server)
            return ys_fail(err, YS_INVALID, "server", "--token needs --server URL");
        rc = ys_client_open(&s->c, o->server, o->token, o->cacert, err);
    } else {
        rc = ys_secret_file_read(login_path(o), &kept, err);
        if (rc == YS_NOT_FOUND)
            return ys_fail(err, YS_UNAUTHORIZED, "login", "not logged in (no %s): yishi trustee login --server URL "
                           "--name NAME, or give --server URL --token TOKEN", login_path(o));
        if (!rc && o->server && !same_url(o->server, jstr(kept, "server")))
            rc = ys_fail(err, YS_UNAUTHORIZED, "server", "the login in %s is to %s, not %s: yishi trustee login "
                         "--server %s --name NAME", login_path(o), jstr(kept, "server"), o->server, o->server);
        if (!rc)
            rc = ys_client_open(&s->c, jstr(kept, "server"), jstr(kept, "token"),
                                o->cacert ? o->cacert : jstr(kept, "cacert"), err);
        json_decref(kept);
    }
    return rc ? rc : whoami(s, err);
}

/* ---- the board's view of a key, checked again here ---- */

typedef struct board {
    json_t *key;        /* GET /api/keys/{id} */
    ys_vkey *v;         /* its public side: every commitment and public share posted, each proof checked here */
    unsigned index;     /* this login's trustee number, 1 … n */
    const json_t *me;   /* its entry in key.trustees */
} board;

static void board_free(board *b)
{
    json_decref(b->key);
    ys_vkey_free(b->v);
    memset(b, 0, sizeof *b);
}

static const json_t *trustee_at(const board *b, unsigned i)
{
    return json_array_get(json_object_get(b->key, "trustees"), i - 1);
}

static const char *state_of(const board *b) { return jstr(b->key, "state") ? jstr(b->key, "state") : "?"; }

static ys_rc board_params(const session *s, board *b, long long id, ys_err *err)
{
    const json_t *ts = json_object_get(b->key, "trustees");
    const char *logins[YS_VKEY_MAX_TRUSTEES];
    size_t n = json_array_size(ts);
    if (!n || n > YS_VKEY_MAX_TRUSTEES)
        return ys_fail(err, YS_IO, "trustees", "key %lld on the board has no list of 1 to %d trustees", id,
                       YS_VKEY_MAX_TRUSTEES);
    for (size_t i = 0; i < n; i++) {
        logins[i] = jstr(json_array_get(ts, i), "login");
        if (logins[i] && !strcmp(logins[i], s->name))
            b->index = (unsigned)i + 1;
    }
    if (!b->index)
        return ys_fail(err, YS_FORBIDDEN, "key", "%s is not one of the %zu trustees of key %lld", s->name, n, id);
    b->me = json_array_get(ts, b->index - 1);
    ys_vkey_params p = {s->id, (uint64_t)id, (unsigned)n, (unsigned)jint(b->key, "threshold"), logins};
    return ys_vkey_new(&p, &b->v, err);
}

/* Every message the board holds, through the checks a verifier makes (a server cannot slip in a bad one). */
static ys_rc board_check(board *b, ys_err *err)
{
    char before[96];
    unsigned n = ys_vkey_n(b->v);
    for (unsigned i = 1; i <= n; i++) {
        const json_t *c = json_object_get(trustee_at(b, i), "commitment");
        ys_rc rc = json_is_object(c) ? ys_vkey_add_commitment(b->v, i, c, err) : YS_OK;
        snprintf(before, sizeof before, "trustee %u's commitment on the board does not check: ", i);
        if (rc)
            return explain(err, rc, "commitment", before);
    }
    for (unsigned j = 1; ys_vkey_committed(b->v) && j <= n; j++) {
        const json_t *x = json_object_get(trustee_at(b, j), "public_share");
        ys_rc rc = json_is_object(x) ? ys_vkey_add_public_share(b->v, j, x, err) : YS_OK;
        snprintf(before, sizeof before, "trustee %u's public share on the board does not check: ", j);
        if (rc)
            return explain(err, rc, "public_share", before);
    }
    return YS_OK;
}

static ys_rc board_read(session *s, long long id, board *b, ys_err *err)
{
    char path[64];
    memset(b, 0, sizeof *b);
    snprintf(path, sizeof path, "/api/keys/%lld", id);
    ys_rc rc = ys_client_call(&s->c, "GET", path, NULL, &b->key, err);
    if (!rc)
        rc = board_params(s, b, id, err);
    if (!rc)
        rc = board_check(b, err);
    if (rc)
        board_free(b);
    return rc;
}

/* ---- the secret file ---- */

/* The file's own word on whose secrets it holds, before any cryptography: the clearest refusals. */
static ys_rc file_matches(const char *path, const json_t *f, const session *s, const board *b, long long id,
                          ys_err *err)
{
    const char *sid = jstr(f, "session_id");
    if (!json_is_integer(json_object_get(f, "key_id")) || !sid)
        return ys_fail(err, YS_BAD_FIELD, "file", "%s is not a trustee's secret file (no key_id or session_id; "
                       "docs/verifiable.md §3)", path);
    if (jint(f, "key_id") != id)
        return ys_fail(err, YS_CONFLICT, "key", "%s holds trustee %lld's secrets for key %lld, not key %lld", path,
                       (long long)jint(f, "index"), (long long)jint(f, "key_id"), id);
    if (strcmp(sid, s->id))
        return ys_fail(err, YS_CONFLICT, "session_id", "%s is of session %.12s…, and %s serves session %.12s…", path,
                       sid, s->c.url, s->id);
    if (jint(f, "index") != (json_int_t)b->index)
        return ys_fail(err, YS_CONFLICT, "index", "%s holds trustee %lld's secrets, and %s is trustee %u of key %lld",
                       path, (long long)jint(f, "index"), s->name, b->index, id);
    return YS_OK;
}

static const char *path_colon(const char *path, char *out, size_t cap)
{
    snprintf(out, cap, "%s: ", path);
    return out;
}

static ys_rc secret_load(const char *path, const session *s, const board *b, long long id, ys_vtrustee **t,
                         ys_err *err)
{
    char before[4200];
    json_t *f = NULL;
    ys_rc rc = ys_secret_file_read(path, &f, err);
    if (!rc)
        rc = file_matches(path, f, s, b, id, err);
    if (!rc && (rc = ys_vtrustee_restore(b->v, b->index, f, t, err)))
        explain(err, rc, NULL, path_colon(path, before, sizeof before));
    json_decref(f);
    return rc;
}

static ys_rc secret_save(const char *path, const ys_vtrustee *t, ys_err *err)
{
    json_t *backup = ys_vtrustee_backup(t);
    ys_rc rc = backup ? ys_secret_file_write(path, backup, err) : ys_fail(err, YS_NOMEM, NULL, "out of memory");
    json_decref(backup);
    return rc;
}

/* What this trustee posted must be what the file makes: else the file is another's, or edited. */
static ys_rc same_as_posted(const char *path, const board *b, const char *what, const json_t *mine, ys_err *err)
{
    const json_t *posted = json_object_get(b->me, what);
    if (!json_is_object(posted))
        return YS_OK;
    if (!strcmp(what, "public_share") ? !json_equal(json_object_get(posted, "share"), json_object_get(mine, "share"))
                                      : !json_equal(posted, mine))
        return ys_fail(err, YS_CONFLICT, "file", "%s is not the file trustee %u posted its %s to key %lld with: the "
                       "values it makes differ from the board's (a file edited, or another's)", path, b->index,
                       !strcmp(what, "public_share") ? "public share" : "commitment", (long long)jint(b->key, "id"));
    return YS_OK;
}

/* The trustee's secrets: from the file, checked against what it posted; or new, and saved before anything of
 * them is posted (a commitment without its secrets would leave the key unusable). */
static ys_rc secret_open(const opts *o, const session *s, const board *b, ys_vtrustee **t, ys_err *err)
{
    json_t *mine = NULL;
    ys_rc rc;
    if (ys_secret_file_exists(o->secret)) {
        rc = secret_load(o->secret, s, b, o->key, t, err);
    } else if (json_is_true(json_object_get(b->me, "committed"))) {
        return ys_fail(err, YS_NOT_FOUND, "secret", "%s does not exist, and trustee %u (%s) has already committed to "
                       "key %lld: give the file it committed with (the trustee page's backup is the same JSON)",
                       o->secret, b->index, s->name, o->key);
    } else if (!(rc = ys_vtrustee_new(b->v, b->index, t, err)) && !(rc = secret_save(o->secret, *t, err))) {
        printf("%s: new secrets of trustee %u of key %lld, mode 0600; keep it (and a copy offline): the key cannot "
               "decrypt without it\n", o->secret, b->index, o->key);
    }
    if (!rc && !(mine = ys_vtrustee_commitment(*t)))
        rc = ys_fail(err, YS_NOMEM, NULL, "out of memory");
    if (!rc)
        rc = same_as_posted(o->secret, b, "commitment", mine, err);
    json_decref(mine);
    if (rc) {
        ys_vtrustee_free(*t);
        *t = NULL;
    }
    return rc;
}

/* ---- the ceremony ---- */

static ys_rc post_to_key(session *s, long long id, const char *what, json_t *body, ys_err *err)
{
    char path[80];
    json_t *ans = NULL;
    snprintf(path, sizeof path, "/api/keys/%lld/%s", id, what);
    ys_rc rc = body ? ys_client_call(&s->c, "POST", path, body, &ans, err) : ys_fail(err, YS_NOMEM, NULL, "out of memory");
    json_decref(body);
    json_decref(ans);
    return rc;
}

/* "trustee2, trustee3": the trustees whose flag is still false. */
static void missing(const board *b, const char *flag, char *out, size_t cap)
{
    size_t at = 0;
    out[0] = '\0';
    for (unsigned i = 1; i <= ys_vkey_n(b->v) && at < cap; i++)
        if (!json_is_true(json_object_get(trustee_at(b, i), flag)))
            at += (size_t)snprintf(out + at, cap - at, "%s%s", at ? ", " : "", jstr(trustee_at(b, i), "login"));
}

/* Opens and checks every other trustee's share; a bad one is a complaint against its sender, posted. */
static ys_rc open_shares(session *s, const board *b, ys_vtrustee *t, ys_err *err)
{
    for (unsigned i = 1; i <= ys_vkey_n(b->v); i++) {
        if (i == b->index)
            continue;
        ys_rc rc = ys_vtrustee_open_share(t, b->v, i, json_object_get(trustee_at(b, i), "shares"), err);
        if (rc != YS_BAD_PROOF && rc != YS_BAD_FIELD) {
            if (rc)
                return rc;
            continue;
        }
        ys_err bad = *err;
        rc = post_to_key(s, jint(b->key, "id"), "complaint",
                         json_pack("{s:i, s:s}", "against", (int)i, "reason", bad.msg), err);
        if (rc == YS_STATE) { /* another trustee's complaint came first: the key has failed already */
            s->c.refused = false;
            return ys_fail(err, YS_BAD_PROOF, "shares", "%s; key %lld had failed already, on another trustee's "
                           "complaint: the secretariat starts a new ceremony", bad.msg, (long long)jint(b->key, "id"));
        }
        if (rc)
            return rc;
        return ys_fail(err, YS_BAD_PROOF, "shares", "%s; the complaint against trustee %u is posted and key %lld has "
                       "failed: the secretariat starts a new ceremony", bad.msg, i, (long long)jint(b->key, "id"));
    }
    return YS_OK;
}

static ys_rc publish_share(const opts *o, session *s, const board *b, ys_vtrustee *t, ys_err *err)
{
    json_t *msg = NULL;
    ys_rc rc = open_shares(s, b, t, err);
    if (!rc)
        rc = ys_vtrustee_public_share(t, &msg, err);
    if (!rc) /* the share and its proof on file before the board has them */
        rc = secret_save(o->secret, t, err);
    if (!rc && json_is_true(json_object_get(b->me, "ready"))) {
        rc = same_as_posted(o->secret, b, "public_share", msg, err);
        json_decref(msg);
        return rc;
    }
    if (!rc) {
        printf("key %lld: the shares of the other %u trustees open and match their commitments\n", o->key,
               ys_vkey_n(b->v) - 1);
        rc = post_to_key(s, o->key, "ready", msg, err);
        msg = NULL;
    }
    if (!rc)
        printf("key %lld: public share posted\n", o->key);
    json_decref(msg);
    return rc;
}

/* A ceremony under way on this machine: the trustee's secrets, and whether its public share on the board has
 * been checked against the file (once; after a resumption, from a file that may have been edited). */
typedef struct run {
    const opts *o;
    session *s;
    ys_vtrustee *t;
    bool checked;
} run;

static ys_rc post_shares(run *r, const board *b, ys_err *err)
{
    json_t *shares = NULL;
    ys_rc rc = ys_vtrustee_seal_shares(r->t, b->v, &shares, err);
    if (!rc && !(rc = post_to_key(r->s, r->o->key, "shares", json_pack("{s:o}", "shares", shares), err)))
        printf("key %lld: a share sealed to each of the other %u trustees posted\n", r->o->key, ys_vkey_n(b->v) - 1);
    return rc;
}

/* One step of the ceremony from where the board stands: *posted when it posted something (the board is read
 * again at once), *done once nothing is left to this trustee or to wait for. */
static ys_rc step(run *r, const board *b, bool *posted, bool *done, ys_err *err)
{
    const char *st = state_of(b);
    ys_rc rc = YS_OK;
    *posted = *done = false;
    if (!strcmp(st, "failed")) {
        const json_t *c = json_object_get(b->key, "complaint");
        return ys_fail(err, YS_STATE, "key", "key %lld has failed: trustee %lld complained against trustee %lld: %s",
                       r->o->key, (long long)jint(c, "by"), (long long)jint(c, "against"),
                       jstr(c, "reason") ? jstr(c, "reason") : "");
    }
    if (!json_is_true(json_object_get(b->me, "committed"))) {
        if (!(rc = post_to_key(r->s, r->o->key, "commit", ys_vtrustee_commitment(r->t), err)))
            printf("key %lld: commitment posted\n", r->o->key);
        *posted = true;
    } else if (!strcmp(st, "committing")) {
        /* waiting for the others' commitments */
    } else if (!json_is_true(json_object_get(b->me, "shared"))) {
        rc = post_shares(r, b, err);
        *posted = true;
    } else if (!strcmp(st, "sharing")) {
        /* waiting for the others' shares */
    } else {
        /* posts the public share, or when the board has it already, checks it is the file's */
        if (!r->checked || !json_is_true(json_object_get(b->me, "ready"))) {
            *posted = !json_is_true(json_object_get(b->me, "ready"));
            rc = publish_share(r->o, r->s, b, r->t, err);
            r->checked = true;
        }
        *done = !rc && !*posted && !strcmp(st, "complete");
    }
    return rc;
}

static void say_waiting(const opts *o, const board *b, char *said, size_t cap)
{
    const char *st = state_of(b);
    const char *flag = !strcmp(st, "committing") ? "committed" : !strcmp(st, "sharing") ? "shared" : "ready";
    const char *verb = !strcmp(st, "committing") ? "commit" : !strcmp(st, "sharing") ? "send their shares"
                                                                                     : "publish their shares";
    char who[1024], line[1200];
    missing(b, flag, who, sizeof who);
    snprintf(line, sizeof line, "key %lld: waiting for %s to %s", o->key, who, verb);
    if (strcmp(line, said)) {
        printf("%s\n", line);
        fflush(stdout);
        snprintf(said, cap, "%s", line);
    }
}

static ys_rc run_ceremony(const opts *o, session *s, ys_err *err)
{
    board b;
    run r = {o, s, NULL, false};
    char said[1200] = "";
    time_t start = time(NULL);
    ys_rc rc = board_read(s, o->key, &b, err);
    if (!rc && !(rc = secret_open(o, s, &b, &r.t, err)))
        printf("key %lld: trustee %u of %u (%s), threshold %u; %s\n", o->key, b.index, ys_vkey_n(b.v), s->name,
               ys_vkey_k(b.v), state_of(&b));
    for (bool posted = false, done = false; !rc && !done;) {
        if (!(rc = step(&r, &b, &posted, &done, err)) && !done && !posted) {
            say_waiting(o, &b, said, sizeof said);
            if (o->timeout && time(NULL) - start >= o->timeout)
                rc = ys_fail(err, YS_STATE, "timeout", "gave up after %lld s (%s); run the same command again to go on",
                             o->timeout, said);
            else
                sleep((unsigned)o->interval);
        }
        if (!rc && !done) {
            board_free(&b);
            rc = board_read(s, o->key, &b, err);
        }
    }
    char joint[45];
    if (!rc && ys_vkey_joint_key(b.v, joint, err) == YS_OK)
        printf("key %lld: complete; joint key %s\n", o->key, joint);
    ys_vtrustee_free(r.t);
    board_free(&b);
    return rc;
}

/* Runs fn logged in as a trustee; the exit code of what failed, the server's refusal in its own words. */
static int as_trustee(opts *o, ys_rc (*fn)(const opts *o, session *s, ys_err *err))
{
    session s;
    ys_err err = {0};
    ys_rc rc = connect_as_trustee(o, &s, &err);
    if (!rc)
        rc = fn(o, &s, &err);
    int code = rc ? fail(&s, rc, &err) : YS_EXIT_OK;
    ys_client_close(&s.c);
    return code;
}

static int ceremony(opts *o)
{
    if (!o->key || !o->secret)
        return ys_cli_usage_error(CMD, "ceremony needs --key ID and --secret FILE");
    return as_trustee(o, run_ceremony);
}

/* ---- decryption ---- */

typedef struct vote {
    const char *kind;   /* "election" or "poll" */
    long long id;
    char path[64];      /* /api/elections/ID or /api/polls/ID */
    json_t *json;
} vote;

static bool is_poll(const vote *v) { return !strcmp(v->kind, "poll"); }

/* The vote and the key it is encrypted to, which must be the file's. */
static ys_rc vote_read(session *s, const opts *o, vote *v, long long *key, ys_err *err)
{
    json_t *f = NULL;
    v->kind = o->poll ? "poll" : "election";
    v->id = o->poll ? o->poll : o->election;
    snprintf(v->path, sizeof v->path, "/api/%ss/%lld", v->kind, v->id);
    ys_rc rc = ys_client_call(&s->c, "GET", v->path, NULL, &v->json, err);
    const json_t *ver = json_object_get(v->json, "verifiable");
    if (!rc && !json_is_object(ver))
        rc = ys_fail(err, YS_STATE, v->kind, "%s %lld is not verifiable: there is nothing for a trustee to decrypt",
                     v->kind, v->id);
    if (!rc && o->secret)
        rc = ys_secret_file_read(o->secret, &f, err);
    if (!rc && json_is_integer(json_object_get(f, "key_id")) && jint(f, "key_id") != jint(ver, "key"))
        rc = ys_fail(err, YS_CONFLICT, "secret", "%s %lld is encrypted to key %lld, and %s holds a share of key %lld",
                     v->kind, v->id, (long long)jint(ver, "key"), o->secret, (long long)jint(f, "key_id"));
    if (!rc)
        *key = jint(ver, "key");
    json_decref(f);
    return rc;
}

/* What trustee_board.h checks the vote's board against: the vote as its own view gives it. */
static ys_trustee_vote trustee_vote(const vote *v)
{
    const char *kind = jstr(v->json, "kind");
    const json_t *ver = json_object_get(v->json, "verifiable");
    return (ys_trustee_vote){.poll = is_poll(v), .id = v->id, .path = v->path,
                             .writeins = !is_poll(v) && kind && strcmp(kind, "preliminary") != 0,
                             .cast = jint(v->json, is_poll(v) ? "voted" : "returned"), .shuffles = jint(ver, "shuffles")};
}

/* Whether trustee `index` is in the view's list `which` (decrypted_by: in the phase under way; shuffled_by). */
static bool listed(const vote *v, const char *which, unsigned index)
{
    const json_t *who = json_object_get(json_object_get(v->json, "verifiable"), which), *j;
    size_t i;
    json_array_foreach(who, i, j) if (json_integer_value(j) == (json_int_t)index) return true;
    return false;
}

/* What the server asks to decrypt, checked against the board first (trustee_board.h): a server that hands one
 * delegate's ballot over as "the aggregate" is refused here, before this trustee's share touches it. */
static ys_rc post_partials(session *s, const vote *v, const board *b, ys_vtrustee *t, json_t **answer, ys_err *err)
{
    char path[80];
    json_t *job = NULL, *partials = NULL;
    uint8_t Q[YS_VKEY_HASH];
    ys_trustee_vote tv = trustee_vote(v);
    snprintf(path, sizeof path, "%s/decrypt", v->path);
    ys_rc rc = ys_client_call(&s->c, "GET", path, NULL, &job, err);
    if (!rc)
        rc = ys_trustee_board_check(&s->c, &tv, b->v, s->id, job, Q, err);
    if (!rc)
        rc = ys_vtrustee_decrypt(t, Q, json_object_get(job, "ciphertexts"), &partials, err);
    if (!rc) {
        json_t *body = json_pack("{s:o}", "partials", partials);
        rc = body ? ys_client_call(&s->c, "POST", path, body, answer, err) : YS_NOMEM;
        json_decref(body);
        if (!rc)
            printf("%s %lld: trustee %u's partial decryption of %zu ciphertexts posted\n", v->kind, v->id,
                   ys_vtrustee_index(t), json_array_size(json_object_get(job, "ciphertexts")));
    }
    json_decref(job);
    return rc;
}

/* What the answer's events say: the count once the k-th trustee is in, else how many are still needed. */
static void say_count(const vote *v, const json_t *answer, unsigned k)
{
    const json_t *e;
    size_t i;
    json_array_foreach(json_object_get(answer, "events"), i, e) {
        const char *type = jstr(e, "type");
        if (type && strlen(type) > 6 && !strcmp(type + strlen(type) - 6, ".count")) {
            char *p = ys_json_dumps(json_object_get(e, "payload"), JSON_COMPACT);
            printf("%s %lld: counted (%s, event %lld): %s\n", v->kind, v->id, type, (long long)jint(e, "seq"),
                   p ? p : "");
            ys_free(p);
            return;
        }
    }
    size_t have = json_array_size(json_object_get(json_object_get(v->json, "verifiable"), "decrypted_by")) + 1;
    printf("%s %lld: %zu of the %u trustees needed have decrypted\n", v->kind, v->id, have, k);
}

static ys_rc run_decrypt(const opts *o, session *s, ys_err *err)
{
    vote v = {0};
    board b = {0};
    ys_vtrustee *t = NULL;
    json_t *answer = NULL, *mine = NULL;
    long long key = 0;
    ys_rc rc = vote_read(s, o, &v, &key, err);
    if (!rc)
        rc = board_read(s, key, &b, err);
    if (!rc && !ys_vkey_complete(b.v))
        rc = ys_fail(err, YS_STATE, "key", "key %lld is not complete (%s)", key, state_of(&b));
    if (!rc)
        rc = secret_load(o->secret, s, &b, key, &t, err);
    if (!rc && (rc = ys_vtrustee_public_share(t, &mine, err))) {
        char before[4200];
        snprintf(before, sizeof before, "%s holds no share of key %lld yet: ", o->secret, key);
        explain(err, rc, "secret", before);
    }
    if (!rc)
        rc = same_as_posted(o->secret, &b, "public_share", mine, err);
    if (!rc && listed(&v, "decrypted_by", b.index))
        printf("%s %lld: trustee %u has already decrypted it\n", v.kind, v.id, b.index);
    else if (!rc && !(rc = post_partials(s, &v, &b, t, &answer, err)))
        say_count(&v, answer, ys_vkey_k(b.v));
    json_decref(mine);
    json_decref(answer);
    json_decref(v.json);
    ys_vtrustee_free(t);
    board_free(&b);
    return rc;
}

static int decrypt(opts *o)
{
    if (!o->secret || !(o->election || o->poll) || (o->election && o->poll))
        return ys_cli_usage_error(CMD, "decrypt needs --election ID or --poll ID, and --secret FILE");
    return as_trustee(o, run_decrypt);
}

/* ---- the write-ins' shuffle (docs/verifiable.md §9) ---- */

/* The next shuffle made on this machine, from an input checked against the board and the shuffles before it,
 * and posted: { m, output, proof }. Only public values go into it (the joint key and fresh randomness). */
static ys_rc post_shuffle(session *s, const vote *v, const board *b, json_t **answer, ys_err *err)
{
    char path[80];
    json_t *job = NULL, *proof = NULL, *body = NULL;
    uint8_t Q[YS_VKEY_HASH];
    ys_trustee_vote tv = trustee_vote(v);
    snprintf(path, sizeof path, "%s/shuffle", v->path);
    ys_rc rc = ys_client_call(&s->c, "GET", path, NULL, &job, err);
    if (!rc)
        rc = ys_trustee_board_check_shuffle(&s->c, &tv, b->v, s->id, job, Q, err);
    json_int_t m = jint(job, "m");
    if (!rc)
        rc = ys_vmix_prove(b->v, Q, (uint64_t)m, json_object_get(job, "input"), &proof, err);
    if (!rc) {
        json_t *output = json_incref(json_object_get(proof, "output"));
        json_object_del(proof, "output");
        body = json_pack("{s:I, s:o, s:O}", "m", m, "output", output, "proof", proof);
        snprintf(path, sizeof path, "%s/shuffles", v->path);
        rc = body ? ys_client_call(&s->c, "POST", path, body, answer, err) : YS_NOMEM;
    }
    if (!rc)
        printf("election %lld: trustee %u's shuffle %lld of %lld (%zu ballots' write-ins) posted\n", v->id, b->index,
               (long long)m, (long long)jint(job, "k"), json_array_size(json_object_get(job, "input")));
    json_decref(body);
    json_decref(proof);
    json_decref(job);
    return rc;
}

static ys_rc run_shuffle(const opts *o, session *s, ys_err *err)
{
    vote v = {0};
    board b = {0};
    json_t *answer = NULL;
    long long key = 0;
    ys_rc rc = vote_read(s, o, &v, &key, err);
    const char *phase = jstr(json_object_get(v.json, "verifiable"), "phase");
    if (!rc)
        rc = board_read(s, key, &b, err);
    if (!rc && !ys_vkey_complete(b.v))
        rc = ys_fail(err, YS_STATE, "key", "key %lld is not complete (%s)", key, state_of(&b));
    if (!rc && listed(&v, "shuffled_by", b.index))
        printf("election %lld: trustee %u has already made one of its shuffles\n", v.id, b.index);
    else if (!rc && !phase)
        rc = ys_fail(err, YS_STATE, "election", "election %lld is not closed: its write-ins are shuffled after the "
                     "close, once the aggregates are decrypted and say names were written in", v.id);
    else if (!rc && strcmp(phase, "shuffle"))
        rc = ys_fail(err, YS_STATE, "election", "election %lld is not waiting for shuffles (its count is at %s): "
                     "only after the aggregates are decrypted and say names were written in", v.id, phase);
    else if (!rc)
        rc = post_shuffle(s, &v, &b, &answer, err);
    json_decref(answer);
    json_decref(v.json);
    board_free(&b);
    return rc;
}

static int shuffle(opts *o)
{
    if (!o->election || o->poll)
        return ys_cli_usage_error(CMD, "shuffle needs --election ID (a poll has no write-ins to shuffle)");
    return as_trustee(o, run_shuffle);
}

/* ---- what a file holds, and where things stand ---- */

/* The file restored against its own parameters: every value in it is checked, and only public ones printed. */
static ys_rc show_file(const char *path, ys_err *err)
{
    json_t *f = NULL, *c = NULL, *x = NULL;
    ys_vkey *k = NULL;
    ys_vtrustee *t = NULL;
    const json_t *logins = NULL;
    ys_rc rc = ys_secret_file_read(path, &f, err);
    const char *names[YS_VKEY_MAX_TRUSTEES];
    size_t n = 0;
    if (!rc) {
        logins = json_object_get(f, "logins");
        n = json_array_size(logins);
        if (!json_is_array(logins) || !n || n > YS_VKEY_MAX_TRUSTEES || !jstr(f, "session_id"))
            rc = ys_fail(err, YS_BAD_FIELD, "logins", "%s is not a trustee's secret file (no session_id, or no list "
                         "of 1 to %d logins; docs/verifiable.md §3)", path, YS_VKEY_MAX_TRUSTEES);
        for (size_t i = 0; !rc && i < n; i++)
            if (!(names[i] = json_string_value(json_array_get(logins, i))))
                rc = ys_fail(err, YS_BAD_FIELD, "logins", "%s: login %zu is not a text", path, i + 1);
    }
    ys_vkey_params p = {jstr(f, "session_id"), (uint64_t)jint(f, "key_id"), (unsigned)n, (unsigned)jint(f, "k"), names};
    if (!rc && !(rc = ys_vkey_new(&p, &k, err)))
        rc = ys_vtrustee_restore(k, (unsigned)jint(f, "index"), f, &t, err);
    char before[4200];
    if (rc && f)
        explain(err, rc, NULL, path_colon(path, before, sizeof before));
    if (!rc && !(c = ys_vtrustee_commitment(t)))
        rc = ys_fail(err, YS_NOMEM, NULL, "out of memory");
    if (!rc) {
        printf("%s: trustee %u of key %lld (%s), %u of %zu needed to decrypt\nsession     %s\n", path,
               ys_vtrustee_index(t), (long long)jint(f, "key_id"), names[ys_vtrustee_index(t) - 1], ys_vkey_k(k), n,
               jstr(f, "session_id"));
        for (size_t m = 0; m < json_array_size(json_object_get(c, "commitments")); m++)
            printf("commitment  A%zu = %s\n", m, json_string_value(json_array_get(json_object_get(c, "commitments"), m)));
        printf("box key     %s\n", jstr(c, "box"));
        for (size_t i = 0; i < n; i++)
            if (i + 1 != ys_vtrustee_index(t))
                printf("share from  trustee %zu (%s): %s\n", i + 1, names[i],
                       json_is_null(json_array_get(json_object_get(f, "received"), i)) ? "not yet opened" : "opened, checked");
        if (!json_is_null(json_object_get(f, "share_proof")) && ys_vtrustee_public_share(t, &x, NULL) == YS_OK)
            printf("its share   X%u = %s (public; the secret xⱼ stays in the file)\n", ys_vtrustee_index(t),
                   jstr(x, "share"));
        else
            printf("its share   not formed yet (yishi trustee ceremony goes on from here)\n");
    }
    json_decref(x);
    json_decref(c);
    json_decref(f);
    ys_vtrustee_free(t);
    ys_vkey_free(k);
    return rc;
}

static int show(opts *o)
{
    ys_err err = {0};
    if (!o->secret)
        return ys_cli_usage_error(CMD, "show needs --secret FILE");
    ys_rc rc = show_file(o->secret, &err);
    return rc ? ys_cli_fail(CMD, rc, &err) : YS_EXIT_OK;
}

static void print_key(const session *s, const json_t *k)
{
    const json_t *ts = json_object_get(k, "trustees"), *t;
    size_t i;
    printf("key %lld: %lld of %zu trustees, %s%s%s\n", (long long)jint(k, "id"), (long long)jint(k, "threshold"),
           json_array_size(ts), jstr(k, "state"), jstr(k, "joint_key") ? "; joint key " : "",
           jstr(k, "joint_key") ? jstr(k, "joint_key") : "");
    json_array_foreach(ts, i, t) {
        bool me = jstr(t, "login") && !strcmp(jstr(t, "login"), s->name);
        printf("  %zu %-24s %s%s\n", i + 1, jstr(t, "login"),
               json_is_true(json_object_get(t, "ready"))       ? "public share published"
               : json_is_true(json_object_get(t, "shared"))    ? "shares sent"
               : json_is_true(json_object_get(t, "committed")) ? "committed"
                                                               : "waiting",
               me ? "   ← you" : "");
    }
    const json_t *c = json_object_get(k, "complaint");
    if (c)
        printf("  complaint by trustee %lld against trustee %lld: %s\n", (long long)jint(c, "by"),
               (long long)jint(c, "against"), jstr(c, "reason"));
}

static bool holds(const session *s, const json_t *k)
{
    const json_t *t;
    size_t i;
    json_array_foreach(json_object_get(k, "trustees"), i, t) if (jstr(t, "login") && !strcmp(jstr(t, "login"), s->name))
        return true;
    return false;
}

/* Closed verifiable votes on the keys shown, still to be counted: what `decrypt` is for. */
static ys_rc print_pending(session *s, const char *kind, const json_t *keys, ys_err *err)
{
    char path[32];
    json_t *list = NULL;
    snprintf(path, sizeof path, "/api/%ss", kind);
    ys_rc rc = ys_client_call(&s->c, "GET", path, NULL, &list, err);
    const json_t *v, *k;
    size_t i, j;
    json_array_foreach(json_object_get(list, kind[0] == 'p' ? "polls" : "elections"), i, v) {
        const json_t *ver = json_object_get(v, "verifiable");
        if (!ver || json_is_true(json_object_get(ver, "counted")) || strcmp(jstr(v, "state") ? jstr(v, "state") : "", "closed"))
            continue;
        bool shuffling = jstr(ver, "phase") && !strcmp(jstr(ver, "phase"), "shuffle");
        json_array_foreach(keys, j, k) if (jint(k, "id") == jint(ver, "key") && shuffling)
            printf("%s %lld (key %lld): names were written in, shuffled %zu of the %lld times needed: yishi trustee "
                   "shuffle --election %lld\n", kind, (long long)jint(v, "id"), (long long)jint(ver, "key"),
                   json_array_size(json_object_get(ver, "shuffled_by")), (long long)jint(ver, "threshold"),
                   (long long)jint(v, "id"));
        else if (jint(k, "id") == jint(ver, "key"))
            printf("%s %lld (key %lld): closed, decrypted by %zu of the %lld needed%s%s: yishi trustee decrypt --%s "
                   "%lld --secret FILE\n", kind, (long long)jint(v, "id"), (long long)jint(ver, "key"),
                   json_array_size(json_object_get(ver, "decrypted_by")), (long long)jint(ver, "threshold"),
                   jstr(ver, "phase") ? " in phase " : "", jstr(ver, "phase") ? jstr(ver, "phase") : "", kind,
                   (long long)jint(v, "id"));
    }
    json_decref(list);
    return rc;
}

static ys_rc run_status(const opts *o, session *s, ys_err *err)
{
    json_t *all = NULL, *mine = json_array();
    const json_t *k;
    size_t i;
    ys_rc rc = mine ? ys_client_call(&s->c, "GET", "/api/keys", NULL, &all, err) : YS_NOMEM;
    printf("logged in to %s as %s (trustee)\n", s->c.url, s->name);
    json_array_foreach(json_object_get(all, "keys"), i, k) if (holds(s, k) && (!o->key || jint(k, "id") == o->key))
        json_array_append(mine, (json_t *)k);
    if (!rc && !json_array_size(mine) && o->key)
        printf("key %lld: there is none, or %s is not one of its trustees\n", o->key, s->name);
    else if (!rc && !json_array_size(mine))
        printf("no key names %s as a trustee yet\n", s->name);
    json_array_foreach(mine, i, k) print_key(s, k);
    if (!rc)
        rc = print_pending(s, "election", mine, err);
    if (!rc)
        rc = print_pending(s, "poll", mine, err);
    json_decref(all);
    json_decref(mine);
    return rc;
}

static int status(opts *o) { return as_trustee(o, run_status); }

/* ---- the command line ---- */

/* Each subcommand, one row. */
static const struct {
    const char *verb;
    int (*run)(opts *o);
} verbs[] = {
    {"login", login}, {"ceremony", ceremony}, {"decrypt", decrypt}, {"shuffle", shuffle}, {"status", status},
    {"show", show},
};

static int parse(opts *o, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"server", required_argument, NULL, 's'},   {"name", required_argument, NULL, 'n'},
        {"token", required_argument, NULL, 't'},    {"cacert", required_argument, NULL, 'c'},
        {"login-file", required_argument, NULL, 'l'}, {"password-file", required_argument, NULL, 'p'},
        {"secret", required_argument, NULL, 'S'},   {"key", required_argument, NULL, 'k'},
        {"election", required_argument, NULL, 'e'}, {"poll", required_argument, NULL, 'P'},
        {"interval", required_argument, NULL, 'i'}, {"timeout", required_argument, NULL, 'T'},
        {NULL, 0, NULL, 0}};
    int c, code = YS_EXIT_OK;
    optind = 0;
    while (!code && (c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 's': o->server = optarg; break;
        case 'n': o->name = optarg; break;
        case 't': o->token = optarg; break;
        case 'c': o->cacert = optarg; break;
        case 'l': o->login_file = optarg; break;
        case 'p': o->password_file = optarg; break;
        case 'S': o->secret = optarg; break;
        case 'k': code = ys_cli_int(CMD, "--key", optarg, 1, 999999999, &o->key); break;
        case 'e': code = ys_cli_int(CMD, "--election", optarg, 1, 999999999, &o->election); break;
        case 'P': code = ys_cli_int(CMD, "--poll", optarg, 1, 999999999, &o->poll); break;
        case 'i': code = ys_cli_int(CMD, "--interval", optarg, 1, 3600, &o->interval); break;
        case 'T': code = ys_cli_int(CMD, "--timeout", optarg, 0, 86400 * 30, &o->timeout); break;
        default: return ys_cli_usage_error(CMD, "unknown option");
        }
    }
    return code;
}

int ys_cli_trustee(int argc, char **argv)
{
    opts o = {.interval = 2};
    int code = parse(&o, argc, argv);
    if (code)
        return code;
    if (optind >= argc)
        return ys_cli_usage_error(CMD, "which: login, ceremony, decrypt, shuffle, status or show?");
    if (optind + 1 < argc)
        return ys_cli_usage_error(CMD, "unexpected '%s'", argv[optind + 1]);
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        if (!strcmp(argv[optind], verbs[i].verb))
            return verbs[i].run(&o);
    return ys_cli_usage_error(CMD, "unknown action '%s' (login, ceremony, decrypt, shuffle, status or show)", argv[optind]);
}
