/* report_int.h — what the report writers of src/report share and nobody else calls. */
#ifndef YS_REPORT_INT_H
#define YS_REPORT_INT_H

#include "yishi/reports.h"

/* A new report named `name` made from s: the session's title and the name as its first headings. NULL with err
 * when out of memory. */
ys_rdoc *ys__report_begin(const ys_session *s, const char *name, ys_err *err);

/* A poll's title as a report names it: 「表决关于…的决议」 — the title, with 表决 before it unless it starts so. */
const char *ys__poll_verb(const char *title);

/* Whether a meeting had its quorum: the present against the quorum, for a closed meeting as for an open one (the
 * state's quorate is of the meeting now, false once it is closed). */
bool ys__meeting_quorate(const ys_attendance *a);

#endif
