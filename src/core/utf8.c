/* utf8.c — well-formed UTF-8 (see utf8.h): the check every file parser, text field and
 * message goes through, so the rule of what is accepted is written once. */
#include "yishi/utf8.h"

#include <string.h>

size_t ys_utf8_char(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    if (n == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t k;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF)
        k = 1;
    else if (c == 0xE0)
        k = 2, lo = 0xA0;               /* overlong below U+0800 */
    else if (c == 0xED)
        k = 2, hi = 0x9F;               /* surrogates U+D800..U+DFFF */
    else if (c >= 0xE1 && c <= 0xEF)
        k = 2;
    else if (c == 0xF0)
        k = 3, lo = 0x90;               /* overlong below U+10000 */
    else if (c >= 0xF1 && c <= 0xF3)
        k = 3;
    else if (c == 0xF4)
        k = 3, hi = 0x8F;               /* above U+10FFFF */
    else
        return 0;
    if (k > n - 1 || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t j = 2; j <= k; j++)
        if ((s[j] & 0xC0) != 0x80)
            return 0;
    return k + 1;
}

size_t ys_utf8_prefix(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t len = ys_utf8_char(s + i, n - i);
        if (!len)
            return i;
        i += len;
    }
    return n;
}

bool ys_utf8_valid(const char *s, size_t n)
{
    if (!s)
        return n == 0;
    return ys_utf8_prefix(s, n) == n;
}

size_t ys_utf8_cut(const char *s, size_t max)
{
    size_t n = strnlen(s, max), lead = n;
    /* Back over the continuation bytes at the end to the byte that starts the last character, and
     * leave that character out if it needs more bytes than are there. */
    while (lead > 0 && n - lead < 3 && ((unsigned char)s[lead - 1] & 0xC0) == 0x80)
        lead--;
    if (lead == 0)
        return n;
    unsigned char c = (unsigned char)s[lead - 1];
    size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return n - (lead - 1) < need ? lead - 1 : n;
}

void ys_utf8_scrub(char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t len = ys_utf8_char(s + i, n - i);
        if (len == 0) {
            s[i] = '?';
            len = 1;
        }
        i += len;
    }
}
