/* opinion.h — the opinions a deliberation gathers on a document (审议意见): each tagged to the document, the
 * version deliberated and the section it concerns, with the delegation (and the delegate) it came from; and
 * a new version's explanation of changes (修改说明), which says which opinions it took up. The drafting team
 * reads them gathered by section (ys_report_opinions). */
#ifndef YISHI_OPINION_H
#define YISHI_OPINION_H

#include "yishi/command.h"

typedef struct ys_opinion {
    int id;
    int document;
    int version;         /* the version deliberated: the latest when the opinion was recorded */
    char *section;       /* 「第三部分」「第十二条」, as the secretary wrote it */
    char *text;
    int delegation;      /* the delegation it came from */
    int delegate;        /* the delegate who voiced it, 0 for the delegation's as a whole */
    int meeting;         /* the meeting it was voiced at, 0 if not recorded */
    int taken_up_in;     /* the version that took it up, 0 while none has */
    char at[32];
} ys_opinion;

/* The explanation of the changes one version made (修改说明), and the opinions it took up. */
typedef struct ys_explanation {
    int document;
    int version;
    char *text;
    int *taken;
    size_t n_taken;
    char at[32];
} ys_explanation;

typedef struct ys_opinion_args {
    const char *document;   /* its title */
    const char *section;
    const char *text;
    const char *delegate;   /* a code, or NULL */
    const char *delegation; /* a name; NULL: the delegate's, or the meeting's */
    int meeting;            /* 0: none */
} ys_opinion_args;

/* Records an opinion on a document that has a version. The delegation is the one given, else the delegate's,
 * else the meeting's; a delegate must be of the delegation, or recorded as joining its meeting; a meeting of
 * a delegation must be of that delegation. */
ys_rc ys_cmd_opinion_add(const ys_session *s, const ys_ctx *c, const ys_opinion_args *a, ys_events *out, ys_err *err);
/* The explanation of version `version` (2 or later) of a document, naming the opinions it took up: each of
 * that document, voiced on an earlier version, not taken up already. Once per version. */
ys_rc ys_cmd_document_explain(const ys_session *s, const ys_ctx *c, const char *document, int version,
                              const char *text, const int *taken, size_t n_taken, ys_events *out, ys_err *err);

const ys_opinion *ys_opinion_get(const ys_session *s, int id);
/* The explanation of a document's version, or NULL. */
const ys_explanation *ys_explanation_of(const ys_session *s, int document, int version);

#endif
