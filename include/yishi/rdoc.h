/* rdoc.h — the document model of what the secretariat publishes (headings, paragraphs, lists, tables and a
 * footer naming the log head it was made from), and its renderers: plain text, printable HTML, PDF. */
#ifndef YISHI_RDOC_H
#define YISHI_RDOC_H

#include "yishi/buf.h"
#include "yishi/session.h"

#include <stddef.h>
#include <stdint.h>

typedef enum ys_rblock_kind {
    YS_RB_HEADING = 1, /* level 1 (the title), 2 (a section) or 3 */
    YS_RB_PARA,
    YS_RB_LIST,        /* items, in order */
    YS_RB_TABLE,       /* cols columns; the first row is the header */
} ys_rblock_kind;

typedef struct ys_rblock {
    ys_rblock_kind kind;
    int level;         /* headings */
    int cols;          /* tables */
    char **cells;      /* a heading's or paragraph's one text; a list's items; a table's rows × cols */
    size_t n, cap;
} ys_rblock;

/* A document: its blocks, in order, and the log head it was made from. Building it never fails halfway for
 * the caller: the first failure (YS_NOMEM, YS_TOO_LARGE past YS_RDOC_MAX bytes of text) sticks in rc, every
 * later add is ignored, and the renderers refuse the document with that code. */
typedef struct ys_rdoc {
    char *title;       /* the HTML page's and the PDF's title */
    ys_rblock *blocks;
    size_t n_blocks, cap_blocks;
    int64_t seq;       /* the last event the document was made from */
    char head[YS_HASH_HEX];
    size_t bytes;      /* text held, against YS_RDOC_MAX */
    ys_rc rc;
} ys_rdoc;

/* The most text one document holds: as a bulletin's (YS_REPORT_MAX). */
#define YS_RDOC_MAX ((size_t)64 << 20)

/* A new document titled `title`, made from s as it stands (its seq and head go into the footer). NULL only
 * when out of memory. Free with ys_rdoc_free. */
ys_rdoc *ys_rdoc_new(const ys_session *s, const char *title);
/* The adds below do nothing on a NULL document, so that a writer may check once, at the end. */
void ys_rdoc_free(ys_rdoc *d);

void ys_rdoc_heading(ys_rdoc *d, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void ys_rdoc_para(ys_rdoc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A list begins empty; each ys_rdoc_item adds to the list begun last. */
void ys_rdoc_list(ys_rdoc *d);
void ys_rdoc_item(ys_rdoc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A table with `cols` columns and its header row (cols texts); each ys_rdoc_row adds cols texts (NULL: empty)
 * to the table begun last. */
void ys_rdoc_table(ys_rdoc *d, int cols, const char *const *header);
void ys_rdoc_row(ys_rdoc *d, const char *const *cells);

/* A document from a text of paragraphs separated by blank lines (as ys_report_bulletin writes it): the first
 * paragraph's lines become the headings (the first line the title), each later one a paragraph. */
ys_rdoc *ys_rdoc_from_text(const ys_session *s, const char *title, const char *text);

/* The footer every rendering ends with, in Chinese and English: the seq and hash of the log head. */
void ys_rdoc_footer(const ys_rdoc *d, char *out, size_t n);
/* A report written as text (the bulletin, the plenary report) ended with the same footer, of the state `s` it
 * was made from: takes `text` (ys_malloc'd) and returns it footed, or NULL (text freed) when memory ran out. */
char *ys_rdoc_text_footed(const ys_session *s, char *text);

typedef enum ys_rformat { YS_RFORMAT_TEXT = 1, YS_RFORMAT_HTML, YS_RFORMAT_PDF } ys_rformat;
/* "text", "html", "pdf"; 0 for any other word. */
ys_rformat ys_rformat_parse(const char *word);
/* The MIME type of a rendering: text/plain; charset=utf-8, text/html; charset=utf-8, application/pdf. */
const char *ys_rformat_mime(ys_rformat f);

/* Each renderer returns a ys_malloc'd rendering (NUL-terminated; *len its length, may be NULL) or NULL with
 * err filled: the document's own failure, or the renderer's.
 * Text: headings and paragraphs as lines between blank lines, list items as 「- 」 lines, tables with their
 * columns padded to the widest cell (CJK characters two columns wide), the footer after a rule. */
char *ys_rdoc_text(const ys_rdoc *d, size_t *len, ys_err *err);
/* A self-contained HTML page (inline print CSS for A4, no outside resources) that is also well-formed XML:
 * every text escaped. */
char *ys_rdoc_html(const ys_rdoc *d, size_t *len, ys_err *err);
/* A PDF of A4 pages laid out by pango with the Noto CJK fonts (fontconfig finds them), each page numbered and
 * naming the log head. Built in ys_pdf (src/report/pdf.c), linked by the command line and the server. */
char *ys_rdoc_pdf(const ys_rdoc *d, size_t *len, ys_err *err);

/* Appends s to t with & < > " ' as entities: safe in HTML and XML text and attribute values alike. */
void ys_rdoc_escape(ys_buf *t, const char *s);

/* The rendering of d in format f, as the three above. */
char *ys_rdoc_render(const ys_rdoc *d, ys_rformat f, size_t *len, ys_err *err);

#endif
