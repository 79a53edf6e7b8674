/* text.c — the one check every free-text field of the session goes through (see text.h). */
#include "core/text.h"

#include "yishi/csv.h"

#include <string.h>

/* Length, encoding and control characters; line breaks and tabs only where text runs over lines. */
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
    return NULL;
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
