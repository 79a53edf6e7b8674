/* opinions.c — the opinions on one document gathered for its drafting team (审议意见汇总), from the log alone:
 * section by section in the order the sections were first raised, each opinion with its delegation and
 * delegate and whether a later version took it up; then each version's explanation of changes (修改说明)
 * with the opinions it names. */
#include "report/report_int.h"

#include "yishi/opinion.h"

#include <stdio.h>
#include <string.h>

/* 「太原代表团韦韬代表」 or 「太原代表团」 when the delegation spoke as a whole. */
static void from_whom(const ys_session *s, const ys_opinion *o, char *out, size_t n)
{
    const char *delegation = s->delegations[o->delegation - 1].name;
    if (o->delegate)
        snprintf(out, n, "%s代表团%s代表", delegation, s->delegates[o->delegate - 1].name);
    else
        snprintf(out, n, "%s代表团", delegation);
}

static bool section_seen_before(const ys_session *s, int document, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (s->opinions[k].document == document && !strcmp(s->opinions[k].section, s->opinions[i].section))
            return true;
    return false;
}

static void by_section(ys_rdoc *d, const ys_session *s, int document)
{
    for (size_t i = 0; i < s->n_opinions; i++) {
        if (s->opinions[i].document != document || section_seen_before(s, document, i))
            continue;
        ys_rdoc_heading(d, 2, "%s", s->opinions[i].section);
        ys_rdoc_list(d);
        for (size_t k = i; k < s->n_opinions; k++) {
            const ys_opinion *o = &s->opinions[k];
            char who[256], taken[64] = "";
            if (o->document != document || strcmp(o->section, s->opinions[i].section) != 0)
                continue;
            from_whom(s, o, who, sizeof who);
            if (o->taken_up_in)
                snprintf(taken, sizeof taken, "（第%d稿已采纳）", o->taken_up_in);
            ys_rdoc_item(d, "第%d条　%s（就第%d稿）：%s%s", o->id, who, o->version, o->text, taken);
        }
    }
}

static void explanations(ys_rdoc *d, const ys_session *s, const ys_document *doc)
{
    for (size_t v = 2; v <= doc->n_versions; v++) {
        const ys_explanation *x = ys_explanation_of(s, doc->id, (int)v);
        if (!x)
            continue;
        ys_rdoc_heading(d, 2, "第%zu稿修改说明", v);
        ys_rdoc_para(d, "%s", x->text);
        if (!x->n_taken) {
            ys_rdoc_para(d, "本稿未采纳代表团的审议意见。");
            continue;
        }
        char list[2048] = "";
        size_t at = 0;
        for (size_t i = 0; i < x->n_taken && at < sizeof list; i++) {
            int n = snprintf(list + at, sizeof list - at, "%s第%d条", i ? "、" : "", x->taken[i]);
            at += n > 0 ? (size_t)n : 0;
        }
        ys_rdoc_para(d, "本稿采纳的审议意见：%s。", list);
    }
}

ys_rdoc *ys_report_opinions(const ys_session *s, int document, ys_err *err)
{
    const ys_document *doc = document >= 1 && (size_t)document <= s->n_documents ? &s->documents[document - 1] : NULL;
    if (!doc) {
        ys_fail(err, YS_NOT_FOUND, "document", "no document %d", document);
        return NULL;
    }
    char name[600];
    snprintf(name, sizeof name, "《%s》审议意见汇总", doc->title);
    ys_rdoc *d = ys__report_begin(s, name, err);
    if (!d)
        return NULL;
    size_t n = 0, delegations = 0;
    for (size_t i = 0; i < s->n_opinions; i++)
        if (s->opinions[i].document == doc->id && ++n) {
            bool seen = false;
            for (size_t k = 0; k < i && !seen; k++)
                seen = s->opinions[k].document == doc->id && s->opinions[k].delegation == s->opinions[i].delegation;
            delegations += !seen;
        }
    if (!n)
        ys_rdoc_para(d, "尚未收到对《%s》的审议意见。", doc->title);
    else
        ys_rdoc_para(d, "共收到%zu个代表团对《%s》提出的审议意见%zu条，按所涉部分汇总如下。", delegations, doc->title, n);
    by_section(d, s, doc->id);
    explanations(d, s, doc);
    return d;
}
