/* session.c — the session's state: creating and freeing it, look-ups, enum names, attendance
 * and quorum. Applying events is in apply.c; the state digest is in digest.c. */
#include "yishi/session.h"

#include "core/fold.h"
#include "core/map.h"
#include "yishi/alloc.h"
#include "yishi/poll.h"
#include "yishi/speech.h"

#include <string.h>

ys_session *ys_session_new(void)
{
    ys_session *s = ys_calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->by_code = ys_map_new();
    s->by_seat = ys_map_new();
    s->by_delegation = ys_map_new();
    s->by_post = ys_map_new();
    s->by_document = ys_map_new();
    if (!s->by_code || !s->by_seat || !s->by_delegation || !s->by_post || !s->by_document) {
        ys_session_free(s);
        return NULL;
    }
    return s;
}

void ys_session_free(ys_session *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_posts; i++)
        ys_free(s->posts[i].title);
    for (size_t i = 0; i < s->n_delegations; i++)
        ys_free(s->delegations[i].name);
    for (size_t i = 0; i < s->n_delegates; i++) {
        ys_delegate *d = &s->delegates[i];
        ys_free(d->code);
        ys_free(d->name);
        ys_free(d->ethnicity);
        ys_free(d->seat);
    }
    for (size_t i = 0; i < s->n_attendees; i++) {
        ys_free(s->attendees[i].name);
        ys_free(s->attendees[i].affiliation);
    }
    for (size_t i = 0; i < s->n_documents; i++) {
        ys_document *doc = &s->documents[i];
        for (size_t k = 0; k < doc->n_versions; k++)
            ys_free(doc->versions[k].note);
        ys_free(doc->versions);
        ys_free(doc->title);
    }
    for (size_t i = 0; i < s->n_items; i++) {
        ys_free(s->items[i].title);
        ys_free(s->items[i].presenter);
    }
    for (size_t i = 0; i < s->n_meetings; i++) {
        ys_free(s->meetings[i].title);
        ys_free(s->meetings[i].presence);
        for (size_t k = 0; k < s->meetings[i].reasons_cap; k++)
            ys_free(s->meetings[i].reasons[k]);
        ys_free(s->meetings[i].reasons);
        ys__meeting_held_free(&s->meetings[i]);
    }
    ys_free(s->bulletins);
    ys_polls_free(s);
    ys_elections_free(s);
    ys_speeches_free(s);
    ys_motions_free(s);
    ys_opinions_free(s);
    ys__hall_free(s);
    ys__keys_free(s);
    ys_free(s->posts);
    ys_free(s->delegations);
    ys_free(s->delegates);
    ys_free(s->attendees);
    ys_free(s->documents);
    ys_free(s->items);
    ys_free(s->meetings);
    ys_map_free(s->by_code);
    ys_map_free(s->by_seat);
    ys_map_free(s->by_delegation);
    ys_map_free(s->by_post);
    ys_map_free(s->by_document);
    ys_rules_free(s->rules);
    ys_free(s->assembly);
    ys_free(s->term);
    ys_free(s->name);
    ys_free(s);
}

bool ys_session_initialized(const ys_session *s) { return s->rules != NULL; }

void ys_session_title(const ys_session *s, char *out, size_t n)
{
    static const char body[] = "人民代表大会";
    const char *assembly = s->assembly ? s->assembly : "";
    const char *at = strstr(assembly, body);
    if (strcmp(assembly, "全国人民代表大会") == 0) /* 第十四届全国人民代表大会第二次会议 */
        snprintf(out, n, "%s%s%s", s->term, assembly, s->name);
    else if (at && at[sizeof body - 1] == '\0')
        snprintf(out, n, "%.*s%s%s%s", (int)(at - assembly), assembly, s->term, body, s->name);
    else
        snprintf(out, n, "%s%s%s", assembly, s->term ? s->term : "", s->name ? s->name : "");
}

const ys_delegate *ys_delegate_by_code(const ys_session *s, const char *code)
{
    int id = ys_map_get(s->by_code, code);
    return id ? &s->delegates[id - 1] : NULL;
}

const ys_delegation *ys_delegation_by_name(const ys_session *s, const char *name)
{
    int id = ys_map_get(s->by_delegation, name);
    return id ? &s->delegations[id - 1] : NULL;
}

const ys_post *ys_post_by_title(const ys_session *s, const char *title)
{
    int id = ys_map_get(s->by_post, title);
    return id ? &s->posts[id - 1] : NULL;
}

const ys_document *ys_document_by_title(const ys_session *s, const char *title)
{
    int id = ys_map_get(s->by_document, title);
    return id ? &s->documents[id - 1] : NULL;
}

const ys_meeting *ys_meeting_get(const ys_session *s, int id)
{
    return id >= 1 && (size_t)id <= s->n_meetings ? &s->meetings[id - 1] : NULL;
}

const ys_meeting *ys_current_meeting(const ys_session *s)
{
    return ys_meeting_get(s, s->current_meeting);
}

ys_presence ys_meeting_presence(const ys_meeting *m, int delegate_id)
{
    if (delegate_id < 1 || (size_t)delegate_id > m->presence_cap)
        return YS_ABSENT;
    return (ys_presence)m->presence[delegate_id - 1];
}

const char *ys_meeting_leave_reason(const ys_meeting *m, int delegate_id)
{
    if (ys_meeting_presence(m, delegate_id) != YS_ON_LEAVE || (size_t)delegate_id > m->reasons_cap)
        return NULL;
    return m->reasons[delegate_id - 1];
}

static bool meeting_counts_everyone(const ys_meeting *m)
{
    return m->kind == YS_MEETING_PLENARY || m->kind == YS_MEETING_PREPARATORY;
}

ys_attendance ys_meeting_attendance(const ys_session *s, const ys_meeting *m)
{
    ys_attendance a = {0};
    if (!m || meeting_counts_everyone(m)) {
        a.entitled = s->entitled;
        a.has_quorum = s->rules && s->rules->quorum.defined;
    } else {
        a.entitled = m->delegation ? s->delegations[m->delegation - 1].members : s->entitled;
    }
    a.present = m ? m->present : 0;
    a.on_leave = m ? m->on_leave : 0;
    a.absent = a.entitled - a.present;
    if (a.has_quorum) {
        a.quorum = ys_threshold_min(&s->rules->quorum, a.entitled);
        a.quorate = m && m->open && ys_threshold_met(&s->rules->quorum, a.present, a.entitled);
    }
    return a;
}

/* ---- names of enums ---- */

static const char *meeting_keys[] = {NULL, "preparatory", "plenary", "delegation", "group"};
static const char *meeting_zh[] = {NULL, "预备会议", "全体会议", "代表团全体会议", "代表团小组会议"};
static const char *item_keys[] = {NULL, "deliberate", "examine", "hear", "vote", "elect"};
static const char *item_zh[] = {NULL, "审议", "审查", "听取", "表决", "选举"};

static int parse_key(const char *const *keys, int n, const char *key)
{
    for (int i = 1; i < n; i++)
        if (key && strcmp(keys[i], key) == 0)
            return i;
    return 0;
}

const char *ys_meeting_kind_key(ys_meeting_kind k) { return k >= 1 && k <= 4 ? meeting_keys[k] : "?"; }
const char *ys_meeting_kind_zh(ys_meeting_kind k) { return k >= 1 && k <= 4 ? meeting_zh[k] : "?"; }
int ys_meeting_kind_parse(const char *key) { return parse_key(meeting_keys, 5, key); }
const char *ys_item_kind_key(ys_item_kind k) { return k >= 1 && k <= 5 ? item_keys[k] : "?"; }
const char *ys_item_kind_zh(ys_item_kind k) { return k >= 1 && k <= 5 ? item_zh[k] : "?"; }
int ys_item_kind_parse(const char *key) { return parse_key(item_keys, 6, key); }

const char *ys_role_key(unsigned role_bit)
{
#define YS__ROLE_KEY(name, bit, key, zh) if (role_bit == (1u << bit)) return key;
    YS_ROLE_MAP(YS__ROLE_KEY)
#undef YS__ROLE_KEY
    return NULL;
}

unsigned ys_role_parse(const char *key)
{
#define YS__ROLE_PARSE(name, bit, k, zh) if (strcmp(key, k) == 0) return 1u << bit;
    YS_ROLE_MAP(YS__ROLE_PARSE)
#undef YS__ROLE_PARSE
    return 0;
}

const char *ys_gender_zh(ys_gender g) { return g == YS_GENDER_FEMALE ? "女" : "男"; }

const char *ys_gender_parse(const char *v)
{
    if (!strcmp(v, "男") || !strcmp(v, "M") || !strcmp(v, "m") || !strcmp(v, "male"))
        return "male";
    if (!strcmp(v, "女") || !strcmp(v, "F") || !strcmp(v, "f") || !strcmp(v, "female"))
        return "female";
    return NULL;
}
