/* pdf.c — a report document as PDF: A4 pages drawn by cairo, the text laid out by pango (Chinese line breaking
 * and punctuation rules, the Noto CJK fonts through fontconfig), each page numbered and naming the log head. */
#include "yishi/rdoc.h"

#include "yishi/alloc.h"
#include "yishi/buf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <string.h>

#define PAGE_W 595.276 /* A4 in points */
#define PAGE_H 841.890
#define MARGIN 56.7    /* 20 mm */
#define BOTTOM (PAGE_H - 70.0)
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define CELL_PAD 3.0

#define SERIF "Noto Serif CJK SC"
#define SANS "Noto Sans CJK SC"

typedef struct pdf {
    cairo_t *cr;
    const ys_rdoc *d;
    double y;
    int page;
} pdf;

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int n)
{
    return ys_buf_add(closure, data, n) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static PangoLayout *layout(pdf *p, const char *family, double size, bool bold, double width, const char *text)
{
    PangoLayout *l = pango_cairo_create_layout(p->cr);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, family);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_text(l, text, -1);
    return l;
}

/* The page's foot: its number, and the log head, so that a page alone can be checked against the file. */
static void page_foot(pdf *p)
{
    char text[160];
    snprintf(text, sizeof text, "第 %d 页 · 日志第%lld条 %.16s…", p->page, (long long)p->d->seq, p->d->head);
    PangoLayout *l = layout(p, SANS, 8, false, CONTENT_W, text);
    pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
    cairo_move_to(p->cr, MARGIN, PAGE_H - 45);
    pango_cairo_show_layout(p->cr, l);
    g_object_unref(l);
}

static void new_page(pdf *p)
{
    if (p->page)
        cairo_show_page(p->cr);
    p->page++;
    p->y = MARGIN;
    page_foot(p);
}

/* Draws a laid-out text at x line by line from the current y, turning the page where a line does not fit. */
static void flow(pdf *p, PangoLayout *l, double x)
{
    PangoLayoutIter *it = pango_layout_get_iter(l);
    do {
        PangoRectangle r;
        pango_layout_iter_get_line_extents(it, NULL, &r);
        double h = (double)r.height / PANGO_SCALE, base = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
        double top = (double)r.y / PANGO_SCALE;
        if (p->y + h > BOTTOM)
            new_page(p);
        cairo_move_to(p->cr, x + (double)r.x / PANGO_SCALE, p->y + base - top);
        pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
        p->y += h;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

static void heading(pdf *p, const ys_rblock *b)
{
    static const double size[] = {0, 17, 13.5, 11.5};
    PangoLayout *l = layout(p, b->level == 3 ? SERIF : SANS, size[b->level], true, CONTENT_W, b->cells[0]);
    if (b->level == 1)
        pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
    /* a section's heading never ends a page alone: turn first when it and two lines do not fit */
    if (b->level > 1 && p->y + 3 * size[b->level] * 1.6 > BOTTOM)
        new_page(p);
    p->y += b->level == 1 ? 0 : size[b->level] * 0.6;
    flow(p, l, MARGIN);
    p->y += size[b->level] * 0.4;
    g_object_unref(l);
}

static void para(pdf *p, const char *text, double indent, const char *bullet)
{
    PangoLayout *l = layout(p, SERIF, 11, false, CONTENT_W - indent, text);
    pango_layout_set_spacing(l, 5 * PANGO_SCALE);
    if (!bullet)
        pango_layout_set_indent(l, 22 * PANGO_SCALE); /* 首行缩进两字 */
    else {
        if (p->y + 16 > BOTTOM)
            new_page(p);
        PangoLayout *m = layout(p, SERIF, 11, false, 0, bullet);
        cairo_move_to(p->cr, MARGIN + indent - 12, p->y);
        pango_cairo_show_layout(p->cr, m);
        g_object_unref(m);
    }
    flow(p, l, MARGIN + indent);
    p->y += 5;
    g_object_unref(l);
}

/* The columns' widths: each its widest cell's natural width, shrunk in proportion when they do not fit. */
static void column_widths(pdf *p, const ys_rblock *b, double *w)
{
    double total = 0;
    for (int c = 0; c < b->cols; c++)
        w[c] = 0;
    for (size_t i = 0; i < b->n; i++) {
        PangoLayout *l = layout(p, SERIF, 9.5, i < (size_t)b->cols, 0, b->cells[i]);
        int pw, ph;
        pango_layout_get_pixel_size(l, &pw, &ph);
        g_object_unref(l);
        double need = pw + 2 * CELL_PAD + 1;
        if (need > CONTENT_W * 0.6)
            need = CONTENT_W * 0.6;
        if (need > w[i % (size_t)b->cols])
            w[i % (size_t)b->cols] = need;
    }
    /* Too wide: the narrow columns keep their width (numbers never break), and the wide ones share what is left
     * in proportion to their own widths. */
    double left = CONTENT_W, wide = 0;
    for (int c = 0; c < b->cols; c++)
        total += w[c];
    if (total <= CONTENT_W)
        return;
    for (int c = 0; c < b->cols; c++)
        if (w[c] <= CONTENT_W / b->cols)
            left -= w[c];
        else
            wide += w[c];
    for (int c = 0; c < b->cols && wide > 0; c++)
        if (w[c] > CONTENT_W / b->cols)
            w[c] *= left / wide;
}

static double table_row(pdf *p, const ys_rblock *b, size_t row, const double *w, bool draw)
{
    double h = 0, x = MARGIN;
    PangoLayout *cells[64];
    int cols = b->cols < 64 ? b->cols : 64;
    for (int c = 0; c < cols; c++) {
        int pw, ph;
        cells[c] = layout(p, SERIF, 9.5, row == 0, w[c] - 2 * CELL_PAD, b->cells[row * (size_t)b->cols + (size_t)c]);
        pango_layout_get_pixel_size(cells[c], &pw, &ph);
        if (ph + 2 * CELL_PAD > h)
            h = ph + 2 * CELL_PAD;
    }
    for (int c = 0; c < cols; c++) {
        if (draw) {
            cairo_rectangle(p->cr, x, p->y, w[c], h);
            cairo_stroke(p->cr);
            cairo_move_to(p->cr, x + CELL_PAD, p->y + CELL_PAD);
            pango_cairo_show_layout(p->cr, cells[c]);
        }
        x += w[c];
        g_object_unref(cells[c]);
    }
    return h;
}

/* A table row by row; a row that does not fit goes to the next page under the header row again. */
static void table(pdf *p, const ys_rblock *b)
{
    double w[64];
    size_t rows = b->n / (size_t)b->cols;
    if (b->cols > 64)
        return;
    column_widths(p, b, w);
    cairo_set_line_width(p->cr, 0.5);
    p->y += 3;
    for (size_t r = 0; r < rows; r++) {
        double h = table_row(p, b, r, w, false);
        if (p->y + h > BOTTOM && p->y > MARGIN) {
            new_page(p);
            if (r > 0)
                p->y += table_row(p, b, 0, w, true);
        }
        p->y += table_row(p, b, r, w, true);
    }
    p->y += 8;
}

static void block(pdf *p, const ys_rblock *b)
{
    if (b->kind == YS_RB_HEADING)
        heading(p, b);
    else if (b->kind == YS_RB_PARA)
        para(p, b->cells[0], 0, NULL);
    else if (b->kind == YS_RB_LIST)
        for (size_t k = 0; k < b->n; k++)
            para(p, b->cells[k], 16, "•");
    else
        table(p, b);
}

/* Whether fontconfig gives pango a CJK face for the body font: without one Chinese would print as boxes. */
static bool have_cjk_font(pdf *p)
{
    PangoLayout *l = layout(p, SERIF, 11, false, 0, "议");
    bool ok = pango_layout_get_unknown_glyphs_count(l) == 0;
    g_object_unref(l);
    return ok;
}

static void render(pdf *p)
{
    char footer[512];
    new_page(p);
    for (size_t i = 0; i < p->d->n_blocks; i++)
        if (p->d->blocks[i].n)
            block(p, &p->d->blocks[i]);
    ys_rdoc_footer(p->d, footer, sizeof footer);
    PangoLayout *l = layout(p, SANS, 7.5, false, CONTENT_W, footer);
    p->y += 10;
    if (p->y + 30 > BOTTOM)
        new_page(p);
    cairo_move_to(p->cr, MARGIN, p->y);
    cairo_line_to(p->cr, PAGE_W - MARGIN, p->y);
    cairo_stroke(p->cr);
    p->y += 4;
    flow(p, l, MARGIN);
    g_object_unref(l);
    cairo_show_page(p->cr);
}

char *ys_rdoc_pdf(const ys_rdoc *d, size_t *len, ys_err *err)
{
    ys_buf out;
    if (d->rc) {
        ys_fail(err, d->rc, "report", "the report 「%s」 could not be made: %s", d->title, ys_rc_text_en(d->rc));
        return NULL;
    }
    ys_buf_init(&out, YS_RDOC_MAX * 4);
    cairo_surface_t *sf = cairo_pdf_surface_create_for_stream(to_buf, &out, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, d->title);
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR, "yishi");
    pdf p = {.cr = cairo_create(sf), .d = d};
    bool fonts = have_cjk_font(&p);
    if (fonts)
        render(&p);
    cairo_status_t st = cairo_status(p.cr);
    cairo_destroy(p.cr);
    cairo_surface_finish(sf);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(sf);
    cairo_surface_destroy(sf);
    if (!fonts) {
        ys_buf_free(&out);
        ys_fail(err, YS_STATE, "report", "the PDF needs a font with Chinese characters: fontconfig finds no %s "
                "(Debian package fonts-noto-cjk)", SERIF);
        return NULL;
    }
    if (st != CAIRO_STATUS_SUCCESS || out.rc) {
        ys_rc rc = out.rc ? out.rc : YS_NOMEM;
        ys_buf_free(&out);
        ys_fail(err, rc, "report", "the PDF of 「%s」 cannot be written: %s", d->title,
                out.rc ? ys_rc_text_en(rc) : cairo_status_to_string(st));
        return NULL;
    }
    char *bytes = ys_buf_take(&out, len);
    if (!bytes)
        ys_fail(err, YS_NOMEM, "report", "out of memory for the PDF of 「%s」", d->title);
    return bytes;
}

char *ys_rdoc_render(const ys_rdoc *d, ys_rformat f, size_t *len, ys_err *err)
{
    return f == YS_RFORMAT_PDF ? ys_rdoc_pdf(d, len, err) : f == YS_RFORMAT_HTML ? ys_rdoc_html(d, len, err)
                                                                                : ys_rdoc_text(d, len, err);
}
