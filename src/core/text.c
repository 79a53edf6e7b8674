/* text.c — the one check every free-text field of the session goes through (see text.h). */
#include "core/text.h"

#include "yishi/utf8.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Characters that print as nothing yet change how text around them reads: a name with U+202E in it shows
 * its letters reversed on a ballot, and a zero-width space makes two names that look alike differ. */
static const struct {
    uint32_t from, to;
    const char *what;
} invisible[] = {
    {0x00AD, 0x00AD, "a soft hyphen"},
    {0x061C, 0x061C, "a bidirectional mark"},
    {0x180E, 0x180E, "a Mongolian vowel separator"},
    {0x200B, 0x200D, "a zero-width character"},
    {0x200E, 0x200F, "a bidirectional mark"},
    {0x202A, 0x202E, "a bidirectional embedding or override"},
    {0x2060, 0x2064, "an invisible operator or word joiner"},
    {0x2066, 0x2069, "a bidirectional isolate"},
    {0x206A, 0x206F, "a deprecated formatting character"},
    {0xFEFF, 0xFEFF, "a zero-width no-break space (byte order mark)"},
    {0xFFF9, 0xFFFB, "an interlinear annotation character"},
    {0xE0001, 0xE007F, "a tag character"},
};

/* The code point at s (valid UTF-8), and its length in *len. */
static uint32_t decode(const unsigned char *s, size_t *len)
{
    if (s[0] < 0x80)
        return *len = 1, s[0];
    if (s[0] < 0xE0)
        return *len = 2, (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
    if (s[0] < 0xF0)
        return *len = 3, (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
    return *len = 4, (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 | (uint32_t)(s[2] & 0x3F) << 6 |
                     (s[3] & 0x3F);
}

/* The phrase names the code point, so it lives in a buffer of the calling thread until its next check. */
static const char *invisible_problem(const char *s, size_t n)
{
    static _Thread_local char why[160];
    for (size_t i = 0, len; i < n; i += len) {
        uint32_t cp = decode((const unsigned char *)s + i, &len);
        for (size_t k = 0; cp >= 0x80 && k < sizeof invisible / sizeof invisible[0]; k++)
            if (cp >= invisible[k].from && cp <= invisible[k].to) {
                snprintf(why, sizeof why, "contains U+%04" PRIX32 " (%s), an invisible character that can disguise "
                         "how the text reads", cp, invisible[k].what);
                return why;
            }
    }
    return NULL;
}

/* Length, encoding, control and invisible formatting characters; line breaks and tabs only where text
 * runs over lines. */
static const char *form_problem(const char *s, size_t n, size_t max_bytes, bool lines)
{
    if (n > max_bytes)
        return "is too long";
    if (!ys_utf8_valid(s, n))
        return "is not valid UTF-8";
    for (size_t i = 0; i < n; i++) {
        bool line_break = s[i] == '\n' || s[i] == '\r' || s[i] == '\t';
        if (((unsigned char)s[i] < 0x20 && !(lines && line_break)) || s[i] == 0x7f)
            return "contains a control character";
    }
    return invisible_problem(s, n);
}

const char *ys_text_problem(const char *s, size_t max_bytes, bool required)
{
    if (!s || !*s)
        return required ? "is empty" : NULL;
    size_t n = strlen(s);
    const char *why = form_problem(s, n, max_bytes, false);
    if (why)
        return why;
    size_t lead = strspn(s, " \t");
    if (lead == n)
        return required ? "is blank" : NULL;
    if (lead || s[n - 1] == ' ')
        return "has spaces at its start or end";
    return NULL;
}

const char *ys_text_problem_lines(const char *s, size_t max_bytes)
{
    return s && *s ? form_problem(s, strlen(s), max_bytes, true) : NULL;
}
