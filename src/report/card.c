/* card.c — a delegate's login card: the QR code of its code, drawn as SVG (printed cards, and the card
 * route's answer) or with half-block characters (a terminal). Shared by `yishi cards` and the server. */
#include "yishi/card.h"

#include "yishi/buf.h"

#include <qrencode.h>
#include <stdbool.h>

/* A card's page is a few hundred modules of path and two lines of text: far below this. */
#define CARD_SVG_MAX ((size_t)1 << 20)

static QRcode *encode(const char *card)
{
    return QRcode_encodeString(card, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
}

/* Text for an SVG text node: a delegate's name is anyone's data. */
static void add_escaped(ys_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': ys_buf_addstr(b, "&amp;"); break;
        case '<': ys_buf_addstr(b, "&lt;"); break;
        case '>': ys_buf_addstr(b, "&gt;"); break;
        case '"': ys_buf_addstr(b, "&quot;"); break;
        default: ys_buf_add(b, s, 1);
        }
    }
}

char *ys_card_svg(const char *card, const char *delegate_code, const char *delegate_name)
{
    QRcode *q = encode(card);
    if (!q)
        return NULL;
    int w = q->width, quiet = 4, cell = 6, size = (w + 2 * quiet) * cell;
    ys_buf b;
    ys_buf_init(&b, CARD_SVG_MAX);
    ys_buf_addf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n"
                    "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\"",
                size, size + 60, size, size + 60);
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w; x++)
            if (q->data[y * w + x] & 1)
                ys_buf_addf(&b, "M%d %dh%dv%dh-%dz", (x + quiet) * cell, (y + quiet) * cell, cell, cell, cell);
    ys_buf_addf(&b, "\"/>\n<text x=\"%d\" y=\"%d\" font-family=\"monospace\" font-size=\"18\" text-anchor=\"middle\">",
                size / 2, size + 20);
    add_escaped(&b, card);
    ys_buf_addf(&b, "</text>\n<text x=\"%d\" y=\"%d\" font-family=\"sans-serif\" font-size=\"16\" "
                    "text-anchor=\"middle\">", size / 2, size + 45);
    add_escaped(&b, delegate_code);
    ys_buf_addstr(&b, " ");
    add_escaped(&b, delegate_name);
    ys_buf_addstr(&b, "</text>\n</svg>\n");
    QRcode_free(q);
    char *svg = ys_buf_take(&b, NULL);
    ys_buf_free(&b);
    return svg;
}

ys_rc ys_card_qr_text(const char *card, FILE *out)
{
    QRcode *q = encode(card);
    if (!q)
        return YS_NOMEM;
    int w = q->width, quiet = 2;
    for (int y = -quiet; y < w + quiet; y += 2) {
        for (int x = -quiet; x < w + quiet; x++) {
            bool top = y >= 0 && y < w && x >= 0 && x < w && (q->data[y * w + x] & 1);
            bool bottom = y + 1 >= 0 && y + 1 < w && x >= 0 && x < w && (q->data[(y + 1) * w + x] & 1);
            /* dark modules print as spaces on a light background: the block characters are the light part */
            fputs(top && bottom ? " " : top ? "▄" : bottom ? "▀" : "█", out);
        }
        fputc('\n', out);
    }
    QRcode_free(q);
    return YS_OK;
}
