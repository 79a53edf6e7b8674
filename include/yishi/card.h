/* card.h — a delegate's login card as the secretariat prints it: the card's code, and its QR code (which
 * encodes the code exactly as printed, nothing more) as SVG or as text for a terminal. */
#ifndef YISHI_CARD_H
#define YISHI_CARD_H

#include "yishi/error.h"

#include <stdio.h>

/* The card as an SVG page: the QR code of `card`, then the code and the delegate under it. Returns a
 * ys_malloc'd text, or NULL when out of memory. */
char *ys_card_svg(const char *card, const char *delegate_code, const char *delegate_name);

/* The QR code of `card` in a terminal, two modules per character cell (upper and lower half blocks).
 * YS_NOMEM if it cannot be made. */
ys_rc ys_card_qr_text(const char *card, FILE *out);

#endif
