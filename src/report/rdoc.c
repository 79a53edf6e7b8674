/* rdoc.c — the document model of reports and its two renderers that need no library: plain text (tables
 * padded by display width) and printable, self-contained HTML that is also well-formed XML. */
#include "yishi/rdoc.h"

#include "yishi/alloc.h"
#include "yishi/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

ys_rdoc *ys_rdoc_new(const ys_session *s, const char *title)
{
    ys_rdoc *d = ys_calloc(1, sizeof *d);
    if (!d)
        return NULL;
    if (!(d->title = ys_strdup(title ? title : ""))) {
        ys_free(d);
        return NULL;
    }
    d->seq = s->seq;
    ys_hash_hex(s->head, d->head);
    return d;
}

void ys_rdoc_free(ys_rdoc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n_blocks; i++) {
        for (size_t k = 0; k < d->blocks[i].n; k++)
            ys_free(d->blocks[i].cells[k]);
        ys_free(d->blocks[i].cells);
    }
    ys_free(d->blocks);
    ys_free(d->title);
    ys_free(d);
}

static void fail(ys_rdoc *d, ys_rc rc)
{
    if (!d->rc)
        d->rc = rc;
}

static ys_rblock *new_block(ys_rdoc *d, ys_rblock_kind kind)
{
    if (!d || d->rc)
        return NULL;
    if (ys_grow((void **)&d->blocks, &d->cap_blocks, d->n_blocks + 1, sizeof *d->blocks)) {
        fail(d, YS_NOMEM);
        return NULL;
    }
    ys_rblock *b = &d->blocks[d->n_blocks++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

/* The block begun last if it is of `kind`; else the document fails (a caller's slip, not the input's). */
static ys_rblock *last_block(ys_rdoc *d, ys_rblock_kind kind)
{
    if (!d || d->rc)
        return NULL;
    if (!d->n_blocks || d->blocks[d->n_blocks - 1].kind != kind) {
        fail(d, YS_INVALID);
        return NULL;
    }
    return &d->blocks[d->n_blocks - 1];
}

static void add_cell(ys_rdoc *d, ys_rblock *b, const char *text)
{
    size_t n = strlen(text);
    char *copy = NULL;
    if (!b || d->rc)
        return;
    if (n > YS_RDOC_MAX - d->bytes) {
        fail(d, YS_TOO_LARGE);
        return;
    }
    if (ys_grow((void **)&b->cells, &b->cap, b->n + 1, sizeof *b->cells) || !(copy = ys_strdup(text))) {
        fail(d, YS_NOMEM);
        return;
    }
    b->cells[b->n++] = copy;
    d->bytes += n;
}

static void add_vcell(ys_rdoc *d, ys_rblock *b, const char *fmt, va_list ap)
{
    if (!b)
        return;
    char tmp[1];
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(tmp, sizeof tmp, fmt, aq);
    va_end(aq);
    char *text = n < 0 ? NULL : ys_malloc((size_t)n + 1);
    if (!text) {
        fail(d, n < 0 ? YS_INVALID : YS_NOMEM);
        return;
    }
    vsnprintf(text, (size_t)n + 1, fmt, ap);
    add_cell(d, b, text);
    ys_free(text);
}

void ys_rdoc_heading(ys_rdoc *d, int level, const char *fmt, ...)
{
    ys_rblock *b = new_block(d, YS_RB_HEADING);
    if (b)
        b->level = level < 1 ? 1 : level > 3 ? 3 : level;
    va_list ap;
    va_start(ap, fmt);
    add_vcell(d, b, fmt, ap);
    va_end(ap);
}

void ys_rdoc_para(ys_rdoc *d, const char *fmt, ...)
{
    ys_rblock *b = new_block(d, YS_RB_PARA);
    va_list ap;
    va_start(ap, fmt);
    add_vcell(d, b, fmt, ap);
    va_end(ap);
}

void ys_rdoc_list(ys_rdoc *d)
{
    new_block(d, YS_RB_LIST);
}

void ys_rdoc_item(ys_rdoc *d, const char *fmt, ...)
{
    ys_rblock *b = last_block(d, YS_RB_LIST);
    va_list ap;
    va_start(ap, fmt);
    add_vcell(d, b, fmt, ap);
    va_end(ap);
}

void ys_rdoc_table(ys_rdoc *d, int cols, const char *const *header)
{
    ys_rblock *b = new_block(d, YS_RB_TABLE);
    if (!b)
        return;
    if (cols < 1) {
        fail(d, YS_INVALID);
        return;
    }
    b->cols = cols;
    ys_rdoc_row(d, header);
}

void ys_rdoc_row(ys_rdoc *d, const char *const *cells)
{
    ys_rblock *b = last_block(d, YS_RB_TABLE);
    for (int i = 0; b && i < b->cols; i++)
        add_cell(d, b, cells[i] ? cells[i] : "");
}

/* Adds the n bytes at p as one cell, copied. */
static void add_span(ys_rdoc *d, ys_rblock *b, const char *p, size_t n)
{
    char *text = ys_strndup(p, n);
    if (!text) {
        fail(d, YS_NOMEM);
        return;
    }
    add_cell(d, b, text);
    ys_free(text);
}

ys_rdoc *ys_rdoc_from_text(const ys_session *s, const char *title, const char *text)
{
    ys_rdoc *d = ys_rdoc_new(s, title);
    bool first = true;
    for (const char *p = text; d && *p;) {
        const char *end = strstr(p, "\n\n");
        size_t n = end ? (size_t)(end - p) : strlen(p);
        while (n && p[n - 1] == '\n')
            n--;
        if (first) { /* the heading: each of its lines */
            for (const char *q = p; q < p + n;) {
                const char *nl = memchr(q, '\n', (size_t)(p + n - q));
                size_t m = nl ? (size_t)(nl - q) : (size_t)(p + n - q);
                ys_rblock *b = new_block(d, YS_RB_HEADING);
                if (b)
                    b->level = q == p ? 1 : 2;
                add_span(d, b, q, m);
                q += m + (nl ? 1 : 0);
            }
            first = false;
        } else if (n)
            add_span(d, new_block(d, YS_RB_PARA), p, n);
        p = end ? end + 2 : p + strlen(p);
    }
    return d;
}

static void footer_of(int64_t seq, const char *head, char *out, size_t n)
{
    snprintf(out, n, "本文件由会议日志生成，截至第%lld条事件，哈希 %s。\n"
             "Made from the session log up to event %lld, hash %s (yishi verify checks it against the file).",
             (long long)seq, head, (long long)seq, head);
}

void ys_rdoc_footer(const ys_rdoc *d, char *out, size_t n) { footer_of(d->seq, d->head, out, n); }

char *ys_rdoc_text_footed(const ys_session *s, char *text)
{
    char head[YS_HASH_HEX], footer[512];
    ys_buf t;
    if (!text)
        return NULL;
    ys_hash_hex(s->head, head);
    footer_of(s->seq, head, footer, sizeof footer);
    size_t n = strlen(text);
    ys_buf_init(&t, n + sizeof footer + 8);
    ys_buf_add(&t, text, n);
    ys_buf_addf(&t, "%s----\n%s\n", n && text[n - 1] != '\n' ? "\n" : "", footer);
    ys_free(text);
    return ys_buf_take(&t, NULL);
}

ys_rformat ys_rformat_parse(const char *word)
{
    static const char *const words[] = {[YS_RFORMAT_TEXT] = "text", [YS_RFORMAT_HTML] = "html", [YS_RFORMAT_PDF] = "pdf"};
    for (int i = YS_RFORMAT_TEXT; word && i <= YS_RFORMAT_PDF; i++)
        if (strcmp(word, words[i]) == 0)
            return (ys_rformat)i;
    return 0;
}

const char *ys_rformat_mime(ys_rformat f)
{
    return f == YS_RFORMAT_HTML ? "text/html; charset=utf-8" : f == YS_RFORMAT_PDF ? "application/pdf"
                                                                                   : "text/plain; charset=utf-8";
}

/* ---- plain text ---- */

/* The columns a UTF-8 text takes in a terminal: East Asian wide and fullwidth characters two, others one. */
static size_t display_width(const char *s)
{
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        unsigned cp = *p;
        int n = cp < 0x80 ? 1 : cp < 0xE0 ? 2 : cp < 0xF0 ? 3 : 4;
        if (n == 3)
            cp = (cp & 0x0F) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
        else if (n == 4)
            cp = 0x10000;
        w += (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
                     (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                     (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x10000
                 ? 2
                 : 1;
        for (int i = 0; i < n && *p; i++)
            p++;
    }
    return w;
}

static void text_table(ys_buf *t, const ys_rblock *b)
{
    size_t cols = (size_t)b->cols, rows = b->n / cols, width[64] = {0};
    for (size_t i = 0; i < b->n; i++)
        if (i % cols < 64 && display_width(b->cells[i]) > width[i % cols])
            width[i % cols] = display_width(b->cells[i]);
    for (size_t r = 0; r < rows; r++) {
        for (size_t c = 0; c < cols; c++) {
            const char *cell = b->cells[r * cols + c];
            ys_buf_addstr(t, cell);
            if (c + 1 < cols)
                ys_buf_addf(t, "%*s", (int)(c < 64 ? width[c] - display_width(cell) + 2 : 2), "");
        }
        ys_buf_addstr(t, "\n");
    }
}

static char *finish(ys_buf *t, const ys_rdoc *d, size_t *len, ys_err *err, const char *what)
{
    char *out = ys_buf_take(t, len);
    if (!out)
        ys_fail(err, t->rc, "report", "the %s of 「%s」 cannot be written: %s", what, d->title, ys_rc_text_en(t->rc));
    return out;
}

static bool refused(const ys_rdoc *d, ys_err *err)
{
    if (d->rc)
        ys_fail(err, d->rc, "report", "the report 「%s」 could not be made: %s", d->title, ys_rc_text_en(d->rc));
    return d->rc != YS_OK;
}

char *ys_rdoc_text(const ys_rdoc *d, size_t *len, ys_err *err)
{
    ys_buf t;
    char footer[512];
    if (refused(d, err))
        return NULL;
    ys_buf_init(&t, YS_RDOC_MAX * 2);
    for (size_t i = 0; i < d->n_blocks; i++) {
        const ys_rblock *b = &d->blocks[i];
        if (b->kind == YS_RB_TABLE)
            text_table(&t, b);
        else
            for (size_t k = 0; k < b->n; k++)
                ys_buf_addf(&t, "%s%s\n", b->kind == YS_RB_LIST ? "- " : "", b->cells[k]);
        ys_buf_addstr(&t, "\n");
    }
    ys_rdoc_footer(d, footer, sizeof footer);
    ys_buf_addf(&t, "----\n%s\n", footer);
    return finish(&t, d, len, err, "text");
}

/* ---- HTML ---- */

void ys_rdoc_escape(ys_buf *t, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        size_t run = strcspn(p, "&<>\"'");
        ys_buf_add(t, p, run);
        p += run;
        if (!*p)
            break;
        static const char *const ent[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
        ys_buf_addstr(t, ent[strchr("&<>\"'", *p) - "&<>\"'"]);
    }
}

static const char html_style[] =
    "@page{size:A4;margin:20mm 18mm 22mm 18mm;@bottom-center{content:counter(page)}}"
    "body{font-family:'Noto Serif CJK SC','Source Han Serif SC','Songti SC',serif;font-size:11pt;line-height:1.7;"
    "max-width:174mm;margin:0 auto;color:#000;background:#fff;line-break:strict}"
    "h1{font-family:'Noto Sans CJK SC','Source Han Sans SC',sans-serif;font-size:18pt;text-align:center;margin:0 0 .4em}"
    "h2{font-family:'Noto Sans CJK SC','Source Han Sans SC',sans-serif;font-size:14pt;margin:1.2em 0 .4em;"
    "break-after:avoid}h3{font-size:12pt;margin:1em 0 .3em;break-after:avoid}"
    "p{text-indent:2em;margin:.3em 0}table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:10pt}"
    "th,td{border:1px solid #444;padding:2px 6px;text-align:left;vertical-align:top}thead{display:table-header-group}"
    "tr{break-inside:avoid}footer{margin-top:2em;border-top:1px solid #444;font-size:8pt;color:#333;"
    "word-break:break-all}@media print{footer{break-inside:avoid}}";

static void html_block(ys_buf *t, const ys_rblock *b)
{
    if (b->kind == YS_RB_HEADING || b->kind == YS_RB_PARA) {
        char tag[4] = {'h', (char)('0' + b->level), 0, 0};
        const char *name = b->kind == YS_RB_PARA ? "p" : tag;
        ys_buf_addf(t, "<%s>", name);
        ys_rdoc_escape(t, b->n ? b->cells[0] : "");
        ys_buf_addf(t, "</%s>\n", name);
    } else if (b->kind == YS_RB_LIST) {
        ys_buf_addstr(t, "<ul>\n");
        for (size_t k = 0; k < b->n; k++) {
            ys_buf_addstr(t, "<li>");
            ys_rdoc_escape(t, b->cells[k]);
            ys_buf_addstr(t, "</li>\n");
        }
        ys_buf_addstr(t, "</ul>\n");
    } else {
        ys_buf_addstr(t, "<table>\n<thead><tr>");
        for (size_t k = 0; k < b->n; k++) {
            bool head = k < (size_t)b->cols;
            if (k && k % (size_t)b->cols == 0)
                ys_buf_addstr(t, k == (size_t)b->cols ? "</tr></thead>\n<tbody><tr>" : "</tr>\n<tr>");
            ys_buf_addstr(t, head ? "<th>" : "<td>");
            ys_rdoc_escape(t, b->cells[k]);
            ys_buf_addstr(t, head ? "</th>" : "</td>");
        }
        ys_buf_addstr(t, b->n > (size_t)b->cols ? "</tr></tbody>\n</table>\n" : "</tr></thead>\n</table>\n");
    }
}

char *ys_rdoc_html(const ys_rdoc *d, size_t *len, ys_err *err)
{
    ys_buf t;
    char footer[512];
    if (refused(d, err))
        return NULL;
    ys_buf_init(&t, YS_RDOC_MAX * 2);
    ys_buf_addstr(&t, "<!DOCTYPE html>\n<html lang=\"zh-CN\" xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n"
                      "<meta charset=\"utf-8\" />\n<title>");
    ys_rdoc_escape(&t, d->title);
    ys_buf_addf(&t, "</title>\n<meta name=\"yishi-log-head\" content=\"%lld:%s\" />\n<style>%s</style>\n</head>\n<body>\n",
                (long long)d->seq, d->head, html_style);
    for (size_t i = 0; i < d->n_blocks; i++)
        html_block(&t, &d->blocks[i]);
    ys_rdoc_footer(d, footer, sizeof footer);
    char *nl = strchr(footer, '\n');
    if (nl)
        *nl = '\0';
    ys_buf_addstr(&t, "<footer><p>");
    ys_rdoc_escape(&t, footer);
    ys_buf_addstr(&t, "<br />");
    ys_rdoc_escape(&t, nl ? nl + 1 : "");
    ys_buf_addstr(&t, "</p></footer>\n</body>\n</html>\n");
    return finish(&t, d, len, err, "HTML");
}
