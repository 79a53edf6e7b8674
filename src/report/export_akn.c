/* export_akn.c — a meeting's record as an Akoma Ntoso 3.0 `debate`: the FRBR identity of the meeting, the people
 * who spoke (TLCPerson), each speech in the order given, and the votes taken with their quorum and counts (the
 * parliamentary analysis). Well-formed XML: every text and attribute escaped. */
#include "report/held.h"
#include "report/report_int.h"

#include "yishi/alloc.h"
#include "yishi/buf.h"
#include "yishi/poll.h"
#include "yishi/speech.h"

#include <stdio.h>
#include <string.h>

/* An element with escaped text: <name attrs>text</name>. */
static void el(ys_buf *t, const char *indent, const char *open, const char *close, const char *text)
{
    ys_buf_addf(t, "%s<%s>", indent, open);
    ys_rdoc_escape(t, text);
    ys_buf_addf(t, "</%s>\n", close);
}

static bool spoke(const ys_speech *sp, int meeting)
{
    return sp->meeting == meeting && sp->state == YS_SPEECH_DONE;
}

static void identification(ys_buf *t, const char *date, int meeting)
{
    static const char *const level[] = {"Work", "Expression", "Manifestation"};
    static const char *const suffix[] = {"", "/zho@", "/zho@"};
    ys_buf_addstr(t, "      <identification source=\"#yishi\">\n");
    for (int i = 0; i < 3; i++) {
        ys_buf_addf(t, "        <FRBR%s>\n          <FRBRthis value=\"/akn/cn/debate/%s/meeting-%d%s/!main%s\"/>\n"
                       "          <FRBRuri value=\"/akn/cn/debate/%s/meeting-%d%s%s\"/>\n"
                       "          <FRBRdate date=\"%s\" name=\"%s\"/>\n          <FRBRauthor href=\"#%s\"/>\n",
                    level[i], date, meeting, suffix[i], i == 2 ? ".xml" : "", date, meeting, suffix[i], i == 2 ? ".xml" : "",
                    date, "meeting", i == 0 ? "assembly" : i == 1 ? "secretariat" : "yishi");
        ys_buf_addstr(t, i == 0 ? "          <FRBRcountry value=\"cn\"/>\n" : i == 1 ? "          <FRBRlanguage language=\"zho\"/>\n" : "");
        ys_buf_addf(t, "        </FRBR%s>\n", level[i]);
    }
    ys_buf_addstr(t, "      </identification>\n");
}

static void voting(ys_buf *t, const ys_poll *p)
{
    ys_buf_addf(t, "        <voting eId=\"vote_poll_%d\" href=\"#dbsect_votes__poll_%d\" outcome=\"#%s\">\n"
                   "          <quorum value=\"%d\" refersTo=\"#quorum\"/>\n",
                p->id, p->id, p->result.passed ? "passed" : "rejected", p->result.quorum);
    const int v[] = {p->tally.present, p->tally.yes, p->tally.no, p->tally.abstain, p->tally.not_voted};
    static const char *const what[] = {"present", "yes", "no", "abstain", "notVoted"};
    for (int i = 0; i < 5; i++)
        ys_buf_addf(t, "          <count value=\"%d\" refersTo=\"#%s\"/>\n", v[i], what[i]);
    ys_buf_addstr(t, "        </voting>\n");
}

static bool counted_here(const ys_poll *p, int meeting)
{
    return p->meeting == meeting && p->state == YS_POLL_CLOSED && p->counted;
}

/* The quorum and the votes; a delegation's meeting without a vote has neither, and the schema wants
 * <parliamentary> to hold at least one, so then there is no analysis. */
static void analysis(ys_buf *t, const ys_session *s, int meeting, const ys_attendance *a)
{
    bool any = a->has_quorum;
    for (size_t i = 0; i < s->n_polls && !any; i++)
        any = counted_here(&s->polls[i], meeting);
    if (!any)
        return;
    ys_buf_addstr(t, "      <analysis source=\"#yishi\">\n        <parliamentary>\n");
    if (a->has_quorum)
        ys_buf_addf(t, "        <quorumVerification eId=\"quorum_meeting\" outcome=\"#%s\">\n"
                       "          <quorum value=\"%d\" refersTo=\"#quorum\"/>\n"
                       "          <count value=\"%d\" refersTo=\"#present\"/>\n        </quorumVerification>\n",
                    ys__meeting_quorate(a) ? "quorate" : "inquorate", a->quorum, a->present);
    for (size_t i = 0; i < s->n_polls; i++)
        if (counted_here(&s->polls[i], meeting))
            voting(t, &s->polls[i]);
    ys_buf_addstr(t, "        </parliamentary>\n      </analysis>\n");
}

static void references(ys_buf *t, const ys_session *s, int meeting)
{
    static const char *const concepts[] = {"quorum", "present", "yes", "no", "abstain", "notVoted", "passed",
                                           "rejected", "quorate", "inquorate"};
    ys_buf_addstr(t, "      <references source=\"#yishi\">\n");
    ys_buf_addstr(t, "        <TLCOrganization eId=\"assembly\" href=\"/ontology/organization/assembly\" showAs=\"");
    ys_rdoc_escape(t, s->assembly);
    ys_buf_addstr(t, "\"/>\n        <TLCOrganization eId=\"secretariat\" href=\"/ontology/organization/secretariat\" "
                     "showAs=\"秘书处\"/>\n        <TLCOrganization eId=\"yishi\" href=\"/ontology/organization/yishi\" "
                     "showAs=\"yishi\"/>\n");
    /* each speaker once, in the order they first spoke */
    for (size_t i = 0; i < s->n_speeches; i++) {
        const ys_speech *sp = &s->speeches[i];
        bool first = spoke(sp, meeting);
        for (size_t k = 0; first && k < i; k++)
            first = !(spoke(&s->speeches[k], meeting) && s->speeches[k].delegate == sp->delegate);
        if (!first)
            continue;
        const ys_delegate *d = &s->delegates[sp->delegate - 1];
        ys_buf_addstr(t, "        <TLCPerson eId=\"p_");
        ys_rdoc_escape(t, d->code);
        ys_buf_addstr(t, "\" href=\"/ontology/person/");
        ys_rdoc_escape(t, d->code);
        ys_buf_addstr(t, "\" showAs=\"");
        ys_rdoc_escape(t, d->name);
        ys_buf_addstr(t, "\"/>\n");
    }
    for (size_t i = 0; i < sizeof concepts / sizeof concepts[0]; i++)
        ys_buf_addf(t, "        <TLCConcept eId=\"%s\" href=\"/ontology/concept/%s\" showAs=\"%s\"/>\n", concepts[i],
                    concepts[i], concepts[i]);
    ys_buf_addstr(t, "      </references>\n");
}

static void speeches(ys_buf *t, const ys_session *s, int meeting, bool said)
{
    int n = 0;
    ys_buf_addstr(t, "      <debateSection eId=\"dbsect_speeches\" name=\"speeches\">\n        <heading>发言</heading>\n");
    for (size_t i = 0; i < s->n_speeches; i++) {
        const ys_speech *sp = &s->speeches[i];
        if (!spoke(sp, meeting))
            continue;
        const ys_delegate *d = &s->delegates[sp->delegate - 1];
        ys_buf_addf(t, "        <speech eId=\"dbsect_speeches__spc_%d\" by=\"#p_", ++n);
        ys_rdoc_escape(t, d->code);
        ys_buf_addstr(t, "\">\n");
        el(t, "          ", "from", "from", d->name);
        el(t, "          ", "p", "p", said && sp->summary ? sp->summary : sp->topic ? sp->topic : "");
        ys_buf_addstr(t, "        </speech>\n");
    }
    if (!n)
        ys_buf_addstr(t, "        <p>会上没有代表发言。</p>\n");
    ys_buf_addstr(t, "      </debateSection>\n");
}

static void votes(ys_buf *t, const ys_session *s, int meeting)
{
    char text[1024];
    int n = 0;
    ys_buf_addstr(t, "      <debateSection eId=\"dbsect_votes\" name=\"votes\">\n        <heading>表决</heading>\n");
    for (size_t i = 0; i < s->n_polls; i++) {
        const ys_poll *p = &s->polls[i];
        if (p->meeting != meeting || p->state != YS_POLL_CLOSED)
            continue;
        ys_buf_addf(t, "        <debateSection eId=\"dbsect_votes__poll_%d\" name=\"poll\">\n", p->id);
        n++;
        el(t, "          ", "heading", "heading", p->title);
        if (p->counted)
            ys_poll_announcement(p, text, sizeof text);
        el(t, "          ", "p", "p", p->announcement ? p->announcement : p->counted ? text : "正在计票。");
        ys_buf_addstr(t, "        </debateSection>\n");
    }
    for (size_t i = 0; i < s->n_elections; i++) {
        const ys_session_election *e = &s->elections[i];
        if (e->meeting != meeting || e->state != YS_POLL_CLOSED)
            continue;
        ys_buf_addf(t, "        <debateSection eId=\"dbsect_votes__election_%d\" name=\"election\">\n", e->id);
        n++;
        el(t, "          ", "heading", "heading", ys_election_office_name(s, e));
        if (e->result)
            ys_election_announcement(s, e, text, sizeof text);
        el(t, "          ", "p", "p", e->announcement ? e->announcement : e->result ? text : "正在计票。");
        ys_buf_addstr(t, "        </debateSection>\n");
    }
    if (!n)
        ys_buf_addstr(t, "        <p>会上没有表决。</p>\n");
    ys_buf_addstr(t, "      </debateSection>\n");
}

char *ys_export_akn(const ys_session *s, int meeting, bool said, size_t *len, ys_err *err)
{
    const ys_meeting *m = ys_meeting_get(s, meeting);
    char date[11], day[64], title[512], head[YS_HASH_HEX];
    ys_buf t;
    if (!m) {
        ys_fail(err, YS_NOT_FOUND, "meeting", "no meeting %d", meeting);
        return NULL;
    }
    ys_attendance a = ys_meeting_attendance(s, m);
    ys_report_meeting_date(m, date); /* the day it was held, never the clock's */
    ys_report_meeting_day(m, day, sizeof day);
    ys_session_title(s, title, sizeof title);
    ys_hash_hex(s->head, head);
    ys_buf_init(&t, YS_RDOC_MAX * 2);
    ys_buf_addstr(&t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<akomaNtoso xmlns=\"http://docs.oasis-open.org/legaldocml/ns/akn/3.0\">\n"
                      "  <debate name=\"");
    ys_rdoc_escape(&t, ys_meeting_kind_key(m->kind));
    ys_buf_addstr(&t, "\">\n    <meta>\n");
    identification(&t, date, m->id);
    analysis(&t, s, m->id, &a);
    references(&t, s, m->id);
    ys_buf_addf(&t, "      <proprietary source=\"#yishi\">\n        <yishi:log xmlns:yishi=\"urn:yishi:log\" seq=\"%lld\" "
                    "head=\"%s\"/>\n      </proprietary>\n    </meta>\n    <preface>\n",
                (long long)s->seq, head);
    ys_buf_addstr(&t, "      <p><docTitle>");
    ys_rdoc_escape(&t, m->title);
    ys_buf_addstr(&t, "</docTitle></p>\n      <p><docAuthority>");
    ys_rdoc_escape(&t, title);
    ys_buf_addf(&t, "</docAuthority></p>\n      <p><docDate date=\"%s\">", date);
    ys_rdoc_escape(&t, day);
    ys_buf_addstr(&t, "</docDate></p>\n      <p>");
    ys_buf attendance; /* the bulletin's sentence, escaped here */
    ys_buf_init(&attendance, 1 << 16);
    ys__rep_attendance(&attendance, s, m);
    if (!ys_buf_fail(&t, attendance.rc))
        ys_rdoc_escape(&t, attendance.p ? attendance.p : "");
    ys_buf_free(&attendance);
    ys_buf_addstr(&t, "</p>\n    </preface>\n    <debateBody>\n");
    speeches(&t, s, m->id, said);
    votes(&t, s, m->id);
    ys_buf_addstr(&t, "    </debateBody>\n  </debate>\n</akomaNtoso>\n");
    char *out = ys_buf_take(&t, len);
    if (!out)
        ys_fail(err, t.rc, "meeting", "the record of meeting %d cannot be written: %s", meeting, ys_rc_text_en(t.rc));
    return out;
}
