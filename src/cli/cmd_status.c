/* cmd_status.c — `yishi status`: who is entitled and present at the current meeting, the quorum the
 * rule set requires, and whether the meeting is quorate, as text or --json; refused for a log whose end
 * does not match its last checkpoint. */
#include "cli/cli.h"

#include <string.h>

static void print_json(const ys_attendance *a)
{
    json_t *o = json_pack("{s:i, s:i, s:i}", "entitled", a->entitled, "present", a->present, "absent", a->absent);
    json_object_set_new(o, "quorum", a->has_quorum ? json_integer(a->quorum) : json_null());
    json_object_set_new(o, "quorate", a->has_quorum ? json_boolean(a->quorate) : json_null());
    json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
    putchar('\n');
    json_decref(o);
}

static const char *share_words(const ys_threshold *t)
{
    static char buf[64];
    snprintf(buf, sizeof buf, "%d/%d %s", t->num, t->den, t->cmp == YS_CMP_AT_LEAST ? "or more (以上)" : "more than (超过)");
    return buf;
}

static void print_text(const ys_session *s, const ys_meeting *m, const ys_attendance *a)
{
    char title[512];
    ys_session_title(s, title, sizeof title);
    printf("%s\n", title);
    printf("rule set   %s (%s)\n", s->rules->id, s->rules->name);
    printf("session    %zu delegations, %d delegates entitled, %zu non-voting attendees and observers, "
           "%zu agenda items, %zu documents\n", s->n_delegations, s->entitled, s->n_attendees, s->n_items,
           s->n_documents);
    if (!m) {
        printf("meeting    none open (yishi meeting open --kind plenary --title …)\n");
        return;
    }
    printf("meeting    %d · %s (%s%s%s), opened %s\n", m->id, m->title, ys_meeting_kind_zh(m->kind),
           m->delegation ? " · " : "", m->delegation ? s->delegations[m->delegation - 1].name : "", m->opened_at);
    printf("attendance 应出席%d人，出席%d人，缺席%d人（其中请假%d人）\n", a->entitled, a->present, a->absent, a->on_leave);
    if (!a->has_quorum) {
        printf("quorum     none set by statute for this kind of meeting\n");
        return;
    }
    printf("quorum     %d present needed: %s of all %d delegates (%s)\n", a->quorum, share_words(&s->rules->quorum),
           a->entitled, s->rules->quorum.article);
    printf("quorate    %s\n", a->quorate ? "yes — 出席人数符合法定人数" : "no — 出席人数不足法定人数");
}

/* The last checkpoint, which the commit that wrote it took of the state after its last event. */
typedef struct head_check {
    int64_t seq;
    int version;
    uint8_t digest[YS_HASH_BYTES];
    bool any;
} head_check;

static ys_rc keep_last(int64_t seq, int version, const uint8_t digest[YS_HASH_BYTES], void *ud, ys_err *err)
{
    head_check *h = ud;
    (void)err;
    h->seq = seq;
    h->version = version;
    memcpy(h->digest, digest, YS_HASH_BYTES);
    h->any = true;
    return YS_OK;
}

/* Opening the file has checked every event's hash and link; what that cannot see is the end of the log
 * cut off, or a state that no longer replays to what was committed (a ballot box changed). The last
 * checkpoint sees both, at the cost of one digest; `yishi verify` checks the whole log. */
static ys_rc check_head(ys_journal *j, ys_err *err)
{
    head_check h = {0};
    uint8_t now[YS_HASH_BYTES];
    const ys_session *s = j->session;
    ys_rc rc = ys_store_scan_checkpoints(j->store, keep_last, &h, err);
    if (rc)
        return rc;
    if (!h.any)
        return s->seq ? ys_fail(err, YS_CORRUPT, "checkpoint", "the log holds %lld events but no checkpoint",
                                (long long)s->seq)
                      : YS_OK;
    if (h.seq != s->seq)
        return ys_fail(err, YS_CORRUPT, "checkpoint", "the last checkpoint is at event %lld but the log ends at event "
                       "%lld: events were %s", (long long)h.seq, (long long)s->seq,
                       h.seq > s->seq ? "removed" : "added without a commit");
    if (!ys_session_digest_of(s, h.version, now))
        return ys_fail(err, YS_CORRUPT, "checkpoint", "the last checkpoint holds a state digest of version %d, which "
                       "this yishi does not know", h.version);
    if (memcmp(now, h.digest, YS_HASH_BYTES) != 0)
        return ys_fail(err, YS_CORRUPT, "checkpoint", "the state replayed from the log differs from the checkpoint "
                       "at event %lld, its last", (long long)h.seq);
    return YS_OK;
}

int ys_cli_status(int argc, char **argv)
{
    const char *file;
    bool json = false;
    int code = ys_cli_simple_options("status", argc, argv, 0, &file, &json);
    if (code)
        return code;
    ys_journal *j = ys_cli_open("status", file, YS_STORE_READONLY, &code);
    if (!j)
        return code;
    const ys_session *s = j->session;
    if (!ys_session_initialized(s)) {
        ys_err err;
        ys_fail(&err, YS_STATE, "file", "%s holds no initialised session", file);
        ys_journal_close(j);
        return ys_cli_fail("status", YS_STATE, &err);
    }
    ys_err err = {0};
    if (check_head(j, &err)) {
        code = ys_cli_fail("status", err.rc, &err);
        fprintf(stderr, "yishi status: %s cannot be trusted; yishi verify -f %s checks the whole log\n", file, file);
        ys_journal_close(j);
        return code;
    }
    const ys_meeting *m = ys_current_meeting(s);
    ys_attendance a = ys_meeting_attendance(s, m);
    if (json)
        print_json(&a);
    else
        print_text(s, m, &a);
    ys_journal_close(j);
    return YS_EXIT_OK;
}
