/* test_trustee_cli.c — `yishi trustee` against a real demo server, as three trustees would run it on their own
 * machines: logins, three ceremonies at once to a complete key (one going on from the trustee page's backup,
 * one run again once done), a verifiable poll and a verifiable election held on it, closed and decrypted by two
 * of them until counted; each refusal named (a wrong password, a login that is no trustee's, a wrong key,
 * another key's file, a file edited by hand, a file others may read); a dealer's bad shares complained of; and
 * a dishonest server (a proxy in the test that rewrites the real one's answers) whose "aggregate" is one
 * delegate's ballot, refused by the trustee before it decrypts anything. */
#include "apitest.h"
#include "vtest.h"

#include "yishi/vballot.h"
#include "yishi/vkey.h"

#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sys/stat.h>

static api_server srv;
static int key_id; /* the key the three ceremonies make (the demo's own is key 1) */
static char poll_id[16]; /* the poll held on it */

static int group_setup(void **state)
{
    (void)state;
    return api_demo_up(&srv);
}

static int group_teardown(void **state)
{
    (void)state;
    return api_demo_down(&srv);
}

/* A file in the test's directory. */
static const char *at(const char *name, int i)
{
    static char paths[8][400];
    static int next;
    char *p = paths[next++ % 8];
    snprintf(p, sizeof paths[0], "%s/%s%d", srv.dir, name, i);
    return p;
}

/* Starts `yishi trustee ARGS…` (NULL-terminated) with its output into out; returns the pid. */
static pid_t start_cli(const char *out, const char *const *args)
{
    const char *argv[40] = {api_yishi, "trustee"};
    int n = 2;
    for (int i = 0; args[i] && n < 39; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int none = open("/dev/null", O_RDONLY);
        dup2(fd, 1);
        dup2(fd, 2);
        dup2(none, 0);
        setsid(); /* no terminal: a password is never asked for on the test's */
        execv(api_yishi, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

static int wait_cli(pid_t pid)
{
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static char output[16384];

/* Runs it to the end: its exit code, and what it printed in `output`. */
static int cli(const char *const *args)
{
    const char *out = at("out", 0);
    int code = wait_cli(start_cli(out, args));
    FILE *f = fopen(out, "r");
    size_t n = f ? fread(output, 1, sizeof output - 1, f) : 0;
    output[n] = '\0';
    if (f)
        fclose(f);
    return code;
}

#define expect_cli(code, text, ...)                                                                                 \
    do {                                                                                                           \
        const char *const args_[] = {__VA_ARGS__, NULL};                                                           \
        int got_ = cli(args_);                                                                                     \
        if (got_ != (code) || !strstr(output, (text)))                                                             \
            fail_msg("yishi trustee %s: exit %d (want %d), output lacks '%s':\n%s", args_[0], got_, (code), (text), \
                     output);                                                                                      \
    } while (0)

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    assert_int_equal(chmod(path, mode), 0);
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 07777;
}

static json_t *get_json(const char *path)
{
    api_resp r = api_call(&srv, "GET", path, NULL, NULL);
    api_expect(r, 200, NULL);
    json_t *j = json_incref(r.json);
    api_free(&r);
    return j;
}

/* show prints the public values only: none of the file's secrets (its coefficients, box key, shares). */
static void no_secret_shown(const char *path)
{
    json_t *f = json_load_file(path, 0, NULL), *v;
    size_t i;
    assert_non_null(f);
    assert_null(strstr(output, json_string_value(json_object_get(f, "box_secret"))));
    json_array_foreach(json_object_get(f, "coefficients"), i, v) assert_null(strstr(output, json_string_value(v)));
    json_array_foreach(json_object_get(f, "received"), i, v) assert_null(strstr(output, json_string_value(v)));
    json_decref(f);
}

static void logins(void **state)
{
    (void)state;
    char pw[64];
    write_file(at("wrong", 0), "not-the-password\n", 0600);
    expect_cli(1, "401 unauthorized", "login", "--server", srv.base, "--name", "trustee1", "--password-file",
               at("wrong", 0), "--login-file", at("login", 9));
    assert_true(strstr(output, "wrong name or password"));
    write_file(at("chairpw", 0), "demo-chair\n", 0600);
    expect_cli(1, "chair is a login of the role chair, not a trustee's", "login", "--server", srv.base, "--name",
               "chair", "--password-file", at("chairpw", 0), "--login-file", at("login", 9));
    assert_int_equal(access(at("login", 9), F_OK), -1); /* nothing kept of a refused login */
    expect_cli(1, "no terminal to ask for the password on", "login", "--server", srv.base, "--name", "trustee1",
               "--login-file", at("login", 9));
    expect_cli(3, "no answer from http://127.0.0.1:1", "login", "--server", "http://127.0.0.1:1", "--name", "trustee1",
               "--password-file", at("wrong", 0), "--login-file", at("login", 9));
    expect_cli(1, "not logged in (no ", "status", "--login-file", at("login", 9));
    for (int i = 1; i <= 3; i++) {
        snprintf(pw, sizeof pw, "demo-trustee%d\n", i);
        write_file(at("pw", i), pw, 0600);
        snprintf(pw, sizeof pw, "trustee%d", i);
        expect_cli(0, "(trustee) until", "login", "--server", srv.base, "--name", pw, "--password-file", at("pw", i),
                   "--login-file", at("login", i));
        assert_int_equal(mode_of(at("login", i)), 0600);
    }
    expect_cli(0, "as trustee2 (trustee)", "status", "--login-file", at("login", 2));
    assert_true(strstr(output, "key 1: 2 of 3 trustees, complete"));
    char *token = api_login_staff(&srv, "trustee3", "demo-trustee3"); /* a token given on the command line */
    expect_cli(0, "as trustee3 (trustee)", "status", "--server", srv.base, "--token", token);
    expect_cli(1, "the login to", "status", "--server", srv.base, "--token", "not-a-token");
    ys_free(token);
}


/* A new ceremony of the three demo trustees, 2 of 3, started by the secretariat: its id. */
static int new_key(void)
{
    char *secretariat = api_login_staff(&srv, "secretariat", "demo-secretariat");
    api_resp made = api_call(&srv, "POST", "/api/keys", secretariat,
                             "{\"trustees\":[\"trustee1\",\"trustee2\",\"trustee3\"],\"threshold\":2}");
    api_expect(made, 201, NULL);
    int id = (int)json_integer_value(
        json_object_get(json_object_get(json_array_get(json_object_get(made.json, "events"), 0), "payload"), "id"));
    api_free(&made);
    ys_free(secretariat);
    return id;
}

/* POSTs /api/keys/{id}/WHAT as trustee i. */
static void post_as(int i, int id, const char *what, const json_t *body)
{
    char path[64], password[32];
    snprintf(password, sizeof password, "demo-%s", VT_LOGINS[i - 1]);
    char *token = api_login_staff(&srv, VT_LOGINS[i - 1], password);
    char *text = json_dumps(body, JSON_COMPACT);
    snprintf(path, sizeof path, "/api/keys/%d/%s", id, what);
    api_post_expect(&srv, path, token, text, 201, NULL);
    free(text);
    ys_free(token);
}

/* Trustee i commits to key id as the trustee page does (src/crypto is the page's, byte for byte: tests/js), and
 * keeps the page's backup in `backup` (unless NULL), which `yishi trustee ceremony` can then go on from. */
static ys_vtrustee *page_commits(int id, int i, const char *backup)
{
    ys_vkey *v = vt_device_view(&srv, &(vt_key){.id = id});
    ys_vtrustee *t = NULL;
    assert_int_equal(ys_vtrustee_new(v, (unsigned)i, &t, NULL), YS_OK);
    json_t *b = ys_vtrustee_backup(t), *c = ys_vtrustee_commitment(t);
    if (backup) {
        assert_int_equal(json_dump_file(b, backup, JSON_INDENT(2)), 0); /* as the page downloads it */
        assert_int_equal(chmod(backup, 0600), 0);
    }
    post_as(i, id, "commit", c);
    json_decref(c);
    json_decref(b);
    ys_vkey_free(v);
    return t;
}

/* What a command started with start_cli printed, into `output`. */
static void read_output(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(output, 1, sizeof output - 1, f);
    output[n] = '\0';
    fclose(f);
}

static void ceremony(void **state)
{
    (void)state;
    key_id = new_key();
    char key[16];
    snprintf(key, sizeof key, "%d", key_id);
    /* a file for key 1 that the demo's trustee never had: refused before anything is posted */
    expect_cli(1, "does not exist, and trustee 1 (trustee1) has already committed to key 1", "ceremony", "--key", "1",
               "--secret", at("secret", 9), "--login-file", at("login", 1));
    expect_cli(1, "404 not_found", "ceremony", "--key", "99", "--secret", at("secret", 1), "--login-file", at("login", 1));
    assert_true(strstr(output, "no key 99"));

    ys_vtrustee_free(page_commits(key_id, 3, at("secret", 3)));
    pid_t pid[3];
    for (int i = 1; i <= 3; i++) {
        const char *args[] = {"ceremony", "--key", key, "--secret", at("secret", i), "--login-file", at("login", i),
                              "--interval", "1", "--timeout", "120", NULL};
        pid[i - 1] = start_cli(at("ceremony", i), args);
    }
    for (int i = 1; i <= 3; i++) {
        int code = wait_cli(pid[i - 1]);
        read_output(at("ceremony", i));
        if (code != 0 || !strstr(output, "complete; joint key"))
            fail_msg("trustee %d's ceremony: exit %d\n%s", i, code, output);
        /* the trustee who committed on the page goes on from its backup: no second commitment */
        assert_true(i == 3 ? !strstr(output, "commitment posted") : !!strstr(output, "commitment posted"));
        assert_int_equal(mode_of(at("secret", i)), 0600);
    }
    char path[64];
    snprintf(path, sizeof path, "/api/keys/%d", key_id);
    json_t *k = get_json(path);
    assert_string_equal(json_string_value(json_object_get(k, "state")), "complete");
    json_decref(k);
    /* run again with the same file: nothing is left to do, and it says so */
    expect_cli(0, "complete; joint key", "ceremony", "--key", key, "--secret", at("secret", 2), "--login-file",
               at("login", 2));
    assert_null(strstr(output, "posted"));
    expect_cli(0, "its share   X3 = ", "show", "--secret", at("secret", 3));
    no_secret_shown(at("secret", 3));
}

/* The vote's context as a terminal makes it from the key's board (one seat, one name on its list). */
static ys_vvote *vote_of(bool poll, int id, const char *name)
{
    return vt_terminal_context(&srv, &(vt_key){.id = key_id}, poll, id, &name, 1, 1);
}

/* Five present delegates cast: yes, yes, no, abstain, yes; those not for the candidate write `writein` in
 * (when not NULL: an election's by-election of one seat). */
static void cast_five_writing(bool poll, int id, const ys_vvote *vote, const char *writein)
{
    static const ys_vmark marks[5] = {YS_VMARK_YES, YS_VMARK_YES, YS_VMARK_NO, YS_VMARK_ABSTAIN, YS_VMARK_YES};
    char path[64];
    snprintf(path, sizeof path, poll ? "/api/polls/%d/votes" : "/api/elections/%d/ballots", id);
    json_t *att = get_json("/api/meetings/6/attendance");
    const json_t *d;
    size_t i, k = 0;
    json_array_foreach(json_object_get(att, "delegates"), i, d) {
        if (k == 5 || strcmp(json_string_value(json_object_get(d, "presence")), "present"))
            continue;
        const char *code = json_string_value(json_object_get(d, "code"));
        char *token = api_login_delegate(&srv, code, "202401");
        json_t *ballot = NULL;
        const char *names[1] = {writein};
        size_t n = writein && marks[k] != YS_VMARK_YES ? 1 : 0;
        assert_int_equal(ys_vballot_encrypt(vote, code, &marks[k], names, n, NULL, &ballot, NULL, NULL), YS_OK);
        json_t *body = json_pack("{s:o}", "encrypted", ballot);
        char *text = json_dumps(body, JSON_COMPACT);
        api_post_expect(&srv, path, token, text, 201, NULL);
        free(text);
        json_decref(body);
        ys_free(token);
        k++;
    }
    assert_int_equal(k, 5);
    json_decref(att);
}

static void cast_five(bool poll, int id, const ys_vvote *vote) { cast_five_writing(poll, id, vote, NULL); }

static void decrypt_poll(void **state)
{
    (void)state;
    char *chair = api_login_staff(&srv, "chair", "demo-chair");
    char body[160], id[16], path[64];
    const char *title = "关于监票人命令行的决议（草案）";
    snprintf(body, sizeof body, "{\"title\":\"%s\",\"majority\":\"simple\",\"key\":%d}", title, key_id);
    int poll = api_open_poll(&srv, chair, body);
    snprintf(id, sizeof id, "%d", poll);
    snprintf(poll_id, sizeof poll_id, "%d", poll);
    ys_vvote *vote = vote_of(true, poll, title);
    /* before the close there is nothing to decrypt: the server's refusal, printed */
    expect_cli(1, "409 wrong_state", "decrypt", "--poll", id, "--secret", at("secret", 2), "--login-file", at("login", 2));
    cast_five(true, poll, vote);
    ys_vvote_free(vote);
    snprintf(path, sizeof path, "/api/polls/%d/close", poll);
    api_post_expect(&srv, path, chair, "{}", 200, NULL);
    expect_cli(0, "yishi trustee decrypt --poll", "status", "--login-file", at("login", 1));
    /* trustee 1's file for trustee 2's login: refused, naming both */
    expect_cli(1, "holds trustee 1's secrets, and trustee2 is trustee 2", "decrypt", "--poll", id, "--secret",
               at("secret", 1), "--login-file", at("login", 2));
    expect_cli(0, "1 of the 2 trustees needed have decrypted", "decrypt", "--poll", id, "--secret", at("secret", 2),
               "--login-file", at("login", 2));
    expect_cli(0, "has already decrypted it", "decrypt", "--poll", id, "--secret", at("secret", 2), "--login-file",
               at("login", 2));
    snprintf(path, sizeof path, "/api/polls/%d", poll);
    json_t *p = get_json(path);
    assert_null(json_object_get(p, "yes")); /* one trustee is not enough */
    json_decref(p);
    expect_cli(0, "counted (poll.count", "decrypt", "--poll", id, "--secret", at("secret", 3), "--login-file",
               at("login", 3));
    p = get_json(path);
    const json_t *totals = p; /* once counted, the poll's totals */
    assert_int_equal(json_integer_value(json_object_get(totals, "yes")), 3);
    assert_int_equal(json_integer_value(json_object_get(totals, "no")), 1);
    assert_int_equal(json_integer_value(json_object_get(totals, "abstain")), 1);
    assert_true(json_is_true(json_object_get(json_object_get(p, "verifiable"), "counted")));
    json_decref(p);
    expect_cli(1, "409 wrong_state", "decrypt", "--poll", id, "--secret", at("secret", 1), "--login-file", at("login", 1));
    ys_free(chair);
}

/* A by-election of one seat and one candidate, 张三, on the key, opened: its id, also as text in id. */
static int open_by_election(const char *chair, char id[16])
{
    char body[160], path[64];
    snprintf(body, sizeof body, "{\"office\":\"sc_chair\",\"seats\":1,\"by_election\":true,\"key\":%d}", key_id);
    api_resp made = api_call(&srv, "POST", "/api/elections", chair, body);
    api_expect(made, 201, NULL);
    int el = (int)json_integer_value(
        json_object_get(json_object_get(json_array_get(json_object_get(made.json, "events"), 0), "payload"), "id"));
    api_free(&made);
    snprintf(id, 16, "%d", el);
    snprintf(path, sizeof path, "/api/elections/%d/nominations", el);
    api_post_expect(&srv, path, chair, "{\"name\":\"张三\"}", 201, NULL);
    snprintf(path, sizeof path, "/api/elections/%d/open", el);
    api_post_expect(&srv, path, chair, "{}", 200, NULL);
    return el;
}

/* A by-election of one candidate on the key, five ballots, the close, and trustees 1 and 3 decrypting. */
static void decrypt_election(void **state)
{
    (void)state;
    char *chair = api_login_staff(&srv, "chair", "demo-chair");
    char id[16], path[64];
    int el = open_by_election(chair, id);
    ys_vvote *vote = vote_of(false, el, "张三");
    cast_five(false, el, vote);
    ys_vvote_free(vote);
    snprintf(path, sizeof path, "/api/elections/%d/close", el);
    api_post_expect(&srv, path, chair, "{}", 200, NULL);
    expect_cli(0, "1 of the 2 trustees needed have decrypted", "decrypt", "--election", id, "--secret", at("secret", 1),
               "--login-file", at("login", 1));
    expect_cli(0, "counted (election.count", "decrypt", "--election", id, "--secret", at("secret", 3),
               "--login-file", at("login", 3));
    snprintf(path, sizeof path, "/api/elections/%d", el);
    json_t *e = get_json(path);
    const json_t *cand = json_array_get(json_object_get(json_object_get(e, "result"), "candidates"), 0);
    assert_int_equal(json_integer_value(json_object_get(cand, "yes")), 3);
    assert_int_equal(json_integer_value(json_object_get(cand, "no")), 1);
    assert_int_equal(json_integer_value(json_object_get(cand, "abstain")), 1);
    json_decref(e);
    /* the demo's election 1 is on key 1: this file's key is another */
    expect_cli(1, "election 1 is encrypted to key 1, and", "decrypt", "--election", "1", "--secret", at("secret", 1),
               "--login-file", at("login", 1));
    ys_free(chair);
}

/* Copies trustee 1's secret file with one field changed. */
static const char *edited(const char *field, size_t index, json_t *value)
{
    json_t *f = json_load_file(at("secret", 1), 0, NULL);
    assert_non_null(f);
    assert_int_equal(json_array_set_new(json_object_get(f, field), index, value), 0);
    const char *out = at("edited", (int)index);
    assert_int_equal(json_dump_file(f, out, 0), 0);
    assert_int_equal(chmod(out, 0600), 0);
    json_decref(f);
    return out;
}

static void refusals(void **state)
{
    (void)state;
    char key[16];
    snprintf(key, sizeof key, "%d", key_id);
    /* another key's file */
    expect_cli(1, "holds trustee 1's secrets for key", "ceremony", "--key", "1", "--secret", at("secret", 1),
               "--login-file", at("login", 1));
    /* not JSON */
    write_file(at("broken", 0), "{\"session_id\": \"abc\",\n", 0600);
    expect_cli(1, "is not JSON: line 2", "ceremony", "--key", key, "--secret", at("broken", 0), "--login-file",
               at("login", 1));
    expect_cli(1, "is not JSON: line 2", "show", "--secret", at("broken", 0));
    /* others may read it */
    write_file(at("open", 0), "{}", 0644);
    expect_cli(1, "may be read by others (mode 0644)", "show", "--secret", at("open", 0));
    /* a coefficient that is no scalar, and one that is a scalar but not the one committed */
    const char *bad = edited("coefficients", 0, json_string("////////////////////////////////////////////8="));
    expect_cli(1, "the backup's coefficient 0 is not valid", "show", "--secret", bad);
    expect_cli(1, "the backup's coefficient 0 is not valid", "ceremony", "--key", key, "--secret", bad, "--login-file",
               at("login", 1));
    const char *other = edited("coefficients", 1, json_string("AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
    expect_cli(1, "is not the file trustee 1 posted its commitment", "ceremony", "--key", key, "--secret", other,
               "--login-file", at("login", 1));
    /* a received share changed: the public share it makes is not the one on the board */
    const char *share = edited("received", 1, json_string("AgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
    expect_cli(1, "is not the file trustee 1 posted its public share", "decrypt", "--poll", poll_id, "--secret", share,
               "--login-file", at("login", 1));
}

/* Trustee 1 (the test) commits, then sends shares of another polynomial: trustees 2 and 3, running yishi trustee,
 * find them wrong; a complaint naming trustee 1 is posted and the key fails. */
static void complaint(void **state)
{
    (void)state;
    char key[16], path[64];
    int id = new_key();
    snprintf(key, sizeof key, "%d", id);
    snprintf(path, sizeof path, "/api/keys/%d", id);
    ys_vtrustee *honest = page_commits(id, 1, NULL), *other = NULL;
    pid_t pid[2];
    for (int i = 2; i <= 3; i++) {
        const char *args[] = {"ceremony", "--key", key, "--secret", at("bad-key", i), "--login-file", at("login", i),
                              "--interval", "1", "--timeout", "120", NULL};
        pid[i - 2] = start_cli(at("complaint", i), args);
    }
    json_t *k = NULL;
    for (int tries = 0; tries < 1200; tries++, usleep(100000)) { /* until the two have committed */
        json_decref(k);
        k = get_json(path);
        if (strcmp(json_string_value(json_object_get(k, "state")), "committing"))
            break;
    }
    assert_string_equal(json_string_value(json_object_get(k, "state")), "sharing");
    json_decref(k);
    ys_vkey *v = vt_device_view(&srv, &(vt_key){.id = id});
    json_t *shares = NULL;
    assert_int_equal(ys_vtrustee_new(v, 1, &other, NULL), YS_OK);
    assert_int_equal(ys_vtrustee_seal_shares(other, v, &shares, NULL), YS_OK);
    json_t *body = json_pack("{s:o}", "shares", shares);
    post_as(1, id, "shares", body);
    json_decref(body);
    bool posted = false;
    for (int i = 2; i <= 3; i++) {
        assert_int_equal(wait_cli(pid[i - 2]), 1);
        read_output(at("complaint", i));
        posted = posted || strstr(output, "the complaint against trustee 1 is posted");
        if (!strstr(output, "trustee 1 (trustee1)") && !strstr(output, "against trustee 1"))
            fail_msg("trustee %d's ceremony does not name trustee 1:\n%s", i, output);
    }
    assert_true(posted);
    k = get_json(path);
    assert_string_equal(json_string_value(json_object_get(k, "state")), "failed");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(k, "complaint"), "against")), 1);
    json_decref(k);
    ys_vkey_free(v);
    ys_vtrustee_free(honest);
    ys_vtrustee_free(other);
}

/* ---- a dishonest server: the real one's answers, rewritten on their way to the trustee ---- */

typedef enum lie {
    HONEST,
    BALLOT_AS_AGGREGATE, /* GET …/decrypt hands the first ballot's mark as the aggregate */
    BALLOT_CHANGED,      /* GET …/board shows the first ballot with the second's mark in it */
    ONE_BALLOT_BOARD,    /* both: a board of the first ballot alone, and its mark as the aggregate */
    INPUT_SWAPPED,       /* GET …/shuffle hands the input with its first two tuples swapped */
    MIX_OF_FIRST,        /* GET …/decrypt hands the first shuffle's count of tuple 1 as the last one's */
    SHUFFLE_SWAPPED,     /* GET …/shuffles?m=… shows a shuffle with the first two tuples of its output swapped */
} lie;

static volatile lie lying;

typedef struct forwarded {
    char *body;
    size_t n;
} forwarded;

static enum MHD_Result query_arg(void *ud, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    char *q = ud;
    size_t n = strlen(q);
    snprintf(q + n, 256 - n, "%s%s=%s", n ? "&" : "?", key, value ? value : "");
    return MHD_YES;
}

static bool ends_with(const char *s, const char *tail)
{
    return strlen(s) >= strlen(tail) && !strcmp(s + strlen(s) - strlen(tail), tail);
}

/* The first ballot's first mark, read from the real server's board of the vote at `decrypt_url`. */
static json_t *first_mark(const char *decrypt_url)
{
    char path[128];
    snprintf(path, sizeof path, "%.*s/board?limit=1", (int)(strlen(decrypt_url) - strlen("/decrypt")), decrypt_url);
    api_resp r = api_call(&srv, "GET", path, NULL, NULL);
    json_t *ct = json_incref(json_object_get(
        json_array_get(json_object_get(json_object_get(json_array_get(json_object_get(r.json, "ballots"), 0), "ballot"),
                                       "marks"), 0), "ct"));
    api_free(&r);
    return ct;
}

/* The count U of tuple 1 of the first shuffle's output, from the real server, of the vote at `decrypt_url`. */
static json_t *first_shuffles_count(const char *decrypt_url)
{
    char path[128];
    snprintf(path, sizeof path, "%.*s/shuffles?m=1", (int)(strlen(decrypt_url) - strlen("/decrypt")), decrypt_url);
    api_resp r = api_call(&srv, "GET", path, NULL, NULL);
    json_t *ct = json_incref(json_array_get(json_array_get(json_object_get(r.json, "output"), 0), 0));
    api_free(&r);
    return ct;
}

/* The lie of the moment told about one answer. */
static void lie_about(const char *method, const char *url, json_t *answer)
{
    bool decrypt = !strcmp(method, "GET") && ends_with(url, "/decrypt"), board = strstr(url, "/board") != NULL;
    json_t *ballots = json_object_get(answer, "ballots"), *input = json_object_get(answer, "input");
    if (lying == SHUFFLE_SWAPPED && json_object_get(answer, "proof"))
        input = json_object_get(answer, "output");
    if (!strcmp(method, "GET") && (ends_with(url, "/shuffle") ? lying == INPUT_SWAPPED : lying == SHUFFLE_SWAPPED) &&
        json_array_size(input) > 1) {
        json_t *first = json_incref(json_array_get(input, 0));
        json_array_set(input, 0, json_array_get(input, 1));
        json_array_set_new(input, 1, first);
    }
    if (decrypt && lying == MIX_OF_FIRST)
        json_object_set_new(json_array_get(json_object_get(answer, "ciphertexts"), 0), "ct", first_shuffles_count(url));
    if (decrypt && (lying == BALLOT_AS_AGGREGATE || lying == ONE_BALLOT_BOARD))
        json_object_set_new(json_array_get(json_object_get(answer, "ciphertexts"), 0), "ct", first_mark(url));
    if (board && lying == BALLOT_CHANGED && json_array_size(ballots) > 1) {
        json_t *mark = json_array_get(json_object_get(json_object_get(json_array_get(ballots, 0), "ballot"), "marks"), 0);
        json_t *other = json_array_get(json_object_get(json_object_get(json_array_get(ballots, 1), "ballot"), "marks"), 0);
        json_object_set(mark, "ct", json_object_get(other, "ct"));
    }
    if (board && lying == ONE_BALLOT_BOARD) {
        while (json_array_size(ballots) > 1)
            json_array_remove(ballots, 1);
        json_object_set_new(answer, "cast", json_integer((json_int_t)json_array_size(ballots)));
        json_object_set_new(answer, "next", json_null());
    }
}

/* Every request goes on to the real server with its login; its answer comes back, lied about. */
static enum MHD_Result proxy_answer(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                    const char *version, const char *upload, size_t *upload_size, void **state)
{
    (void)cls, (void)version;
    forwarded *f = *state;
    if (!f) {
        *state = ys_calloc(1, sizeof *f);
        return *state ? MHD_YES : MHD_NO;
    }
    if (*upload_size) {
        char *more = ys_realloc(f->body, f->n + *upload_size + 1);
        if (!more)
            return MHD_NO;
        memcpy(more + f->n, upload, *upload_size);
        f->n += *upload_size;
        more[f->n] = '\0';
        f->body = more;
        *upload_size = 0;
        return MHD_YES;
    }
    char path[512], query[256] = "";
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, query_arg, query);
    snprintf(path, sizeof path, "%s%s", url, query);
    const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    api_resp r = api_call(&srv, method, path, auth && !strncmp(auth, "Bearer ", 7) ? auth + 7 : NULL, f->body);
    char *text = NULL;
    if (r.json) {
        lie_about(method, url, r.json);
        text = json_dumps(r.json, JSON_COMPACT);
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(text ? strlen(text) : r.len, text ? text : r.body,
                                                                MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(resp, "Content-Type", "application/json");
    enum MHD_Result ok = MHD_queue_response(conn, (unsigned)(r.status ? r.status : 502), resp);
    MHD_destroy_response(resp);
    free(text);
    api_free(&r);
    return ok;
}

static void proxy_done(void *cls, struct MHD_Connection *conn, void **state, enum MHD_RequestTerminationCode why)
{
    (void)cls, (void)conn, (void)why;
    forwarded *f = *state;
    if (f)
        ys_free(f->body);
    ys_free(f);
    *state = NULL;
}

/* The lying proxy, on a loopback port of its own: its URL in `url`. */
static struct MHD_Daemon *start_proxy(char url[64])
{
    struct sockaddr_in loopback = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL,
                                            NULL, proxy_answer, NULL, MHD_OPTION_NOTIFY_COMPLETED, proxy_done, NULL,
                                            MHD_OPTION_SOCK_ADDR, &loopback, MHD_OPTION_END);
    assert_non_null(d);
    snprintf(url, 64, "http://127.0.0.1:%u", MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)->port);
    return d;
}

/* A poll on the key, five ballots, closed; trustee 2 runs decrypt through the proxy while it lies three ways,
 * and each time refuses, naming what does not match, with nothing posted; told the truth, it decrypts. */
static void dishonest_server(void **state)
{
    (void)state;
    char proxy[64], id[16], body[200], path[64];
    struct MHD_Daemon *d = start_proxy(proxy);
    char *chair = api_login_staff(&srv, "chair", "demo-chair"), *token = api_login_staff(&srv, "trustee2", "demo-trustee2");
    const char *title = "关于监票人核对总和的决议（草案）";
    snprintf(body, sizeof body, "{\"title\":\"%s\",\"majority\":\"simple\",\"key\":%d}", title, key_id);
    int poll = api_open_poll(&srv, chair, body);
    snprintf(id, sizeof id, "%d", poll);
    ys_vvote *vote = vote_of(true, poll, title);
    cast_five(true, poll, vote);
    ys_vvote_free(vote);
    snprintf(path, sizeof path, "/api/polls/%d/close", poll);
    api_post_expect(&srv, path, chair, "{}", 200, NULL);
#define DECRYPT "decrypt", "--poll", id, "--secret", at("secret", 2), "--server", proxy, "--token", token
    lying = BALLOT_AS_AGGREGATE;
    expect_cli(1, "ciphertexts[0] (tally/1) is not the sum of the 5 ballots on the board", DECRYPT);
    assert_non_null(strstr(output, "refusing to decrypt"));
    lying = BALLOT_CHANGED;
    expect_cli(1, "refusing to decrypt: the ballot of delegate ", DECRYPT);
    assert_non_null(strstr(output, "marks[0]"));
    lying = ONE_BALLOT_BOARD;
    expect_cli(1, "the board holds 1 ballots, and says 1 were cast (the poll itself says 5)", DECRYPT);
    snprintf(path, sizeof path, "/api/polls/%d", poll);
    json_t *p = get_json(path);
    assert_int_equal(json_array_size(json_object_get(json_object_get(p, "verifiable"), "decrypted_by")), 0);
    json_decref(p);
    lying = HONEST;
    expect_cli(0, "the 5 ballots on the board checked, every proof", DECRYPT);
    assert_non_null(strstr(output, "1 of the 2 trustees needed have decrypted"));
#undef DECRYPT
    MHD_stop_daemon(d);
    ys_free(chair);
    ys_free(token);
}

/* The election's view: its verifiable part's list `what` (decrypted_by, shuffled_by) has n entries. */
static void listed(int el, const char *what, size_t n)
{
    char path[64];
    snprintf(path, sizeof path, "/api/elections/%d", el);
    json_t *e = get_json(path);
    assert_int_equal(json_array_size(json_object_get(json_object_get(e, "verifiable"), what)), n);
    json_decref(e);
}

/* A by-election on the key where two of the five write 李四 in: trustees 1 and 3 decrypt the aggregates, shuffle
 * the write-ins in turn from the command line (trustee 3 first through the proxy, which hands it an input of
 * its own making and is refused with nothing posted), then decrypt the shuffled counts (refusing, through the
 * proxy, a shuffle shown changed and the first shuffle's count given for the last's) and the blocks, until the
 * count names 李四. */
static void shuffle_election(void **state)
{
    (void)state;
    char proxy[64], id[16], path[64];
    struct MHD_Daemon *d = start_proxy(proxy);
    char *chair = api_login_staff(&srv, "chair", "demo-chair"), *token = api_login_staff(&srv, "trustee3", "demo-trustee3");
    int el = open_by_election(chair, id);
    ys_vvote *vote = vote_of(false, el, "张三");
    cast_five_writing(false, el, vote, "李四");
    ys_vvote_free(vote);
    expect_cli(1, "is not closed: its write-ins are shuffled after the close", "shuffle", "--election", id,
               "--login-file", at("login", 1));
    snprintf(path, sizeof path, "/api/elections/%d/close", el);
    api_post_expect(&srv, path, chair, "{}", 200, NULL);
    expect_cli(1, "is not waiting for shuffles (its count is at tally)", "shuffle", "--election", id, "--login-file",
               at("login", 1));
    expect_cli(0, "1 of the 2 trustees needed", "decrypt", "--election", id, "--secret", at("secret", 1), "--login-file",
               at("login", 1));
    expect_cli(0, "2 of the 2 trustees needed", "decrypt", "--election", id, "--secret", at("secret", 3), "--login-file",
               at("login", 3));
    expect_cli(0, "shuffled 0 of the 2 times needed: yishi trustee shuffle", "status", "--login-file", at("login", 1));
#define AS3_BY_PROXY "--server", proxy, "--token", token
    lying = INPUT_SWAPPED;
    expect_cli(1, "the input to shuffle is not the write-in tuples of the ballots on the board", "shuffle", "--election",
               id, AS3_BY_PROXY);
    listed(el, "shuffled_by", 0);
    lying = HONEST;
    expect_cli(0, "trustee 3's shuffle 1 of 2 (5 ballots' write-ins) posted", "shuffle", "--election", id, AS3_BY_PROXY);
    expect_cli(0, "has already made one of its shuffles", "shuffle", "--election", id, "--login-file", at("login", 3));
    expect_cli(0, "and the 1 shuffle of their write-ins", "shuffle", "--election", id, "--login-file", at("login", 1));
    assert_non_null(strstr(output, "trustee 1's shuffle 2 of 2"));
    listed(el, "shuffled_by", 2);
    lying = SHUFFLE_SWAPPED;
    expect_cli(1, "refusing to decrypt: shuffle 1 (by trustee 3): ", "decrypt", "--election", id, "--secret",
               at("secret", 3), AS3_BY_PROXY);
    lying = MIX_OF_FIRST;
    expect_cli(1, "ciphertexts[0] (mix/1) is not that ciphertext of the last of the 2 shuffles checked", "decrypt",
               "--election", id, "--secret", at("secret", 3), AS3_BY_PROXY);
    listed(el, "decrypted_by", 0);
    lying = HONEST;
    expect_cli(0, "and the 2 shuffles of their write-ins", "decrypt", "--election", id, "--secret", at("secret", 3),
               AS3_BY_PROXY);
#undef AS3_BY_PROXY
    expect_cli(0, "2 of the 2 trustees needed", "decrypt", "--election", id, "--secret", at("secret", 1),
               "--login-file", at("login", 1));
    expect_cli(0, "1 of the 2 trustees needed", "decrypt", "--election", id, "--secret", at("secret", 1),
               "--login-file", at("login", 1));
    expect_cli(0, "counted (election.count", "decrypt", "--election", id, "--secret", at("secret", 3), "--login-file",
               at("login", 3));
    snprintf(path, sizeof path, "/api/elections/%d", el);
    json_t *e = get_json(path);
    const json_t *cands = json_object_get(json_object_get(e, "result"), "candidates");
    assert_int_equal(json_array_size(cands), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(cands, 1), "name")), "李四");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(cands, 1), "yes")), 2);
    json_decref(e);
    MHD_stop_daemon(d);
    ys_free(chair);
    ys_free(token);
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {cmocka_unit_test(logins), cmocka_unit_test(ceremony),
                                       cmocka_unit_test(decrypt_poll), cmocka_unit_test(decrypt_election),
                                       cmocka_unit_test(refusals), cmocka_unit_test(complaint),
                                       cmocka_unit_test(dishonest_server), cmocka_unit_test(shuffle_election)};
    return api_run_tests(argc, argv, tests, group_setup, group_teardown);
}
