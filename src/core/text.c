/* text.c — the one check every free-text field of the session goes through (see text.h). */
#include "core/text.h"

#include "yishi/csv.h"

#include <string.h>

const char *ys_text_problem(const char *s, size_t max_bytes, bool required)
{
    if (!s || !*s)
        return required ? "is empty" : NULL;
    size_t n = strlen(s);
    if (n > max_bytes)
        return "is too long";
    if (!ys_utf8_valid(s, n))
        return "is not valid UTF-8";
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return "contains a control character";
    size_t lead = strspn(s, " \t");
    if (lead == n)
        return required ? "is blank" : NULL;
    if (lead || s[n - 1] == ' ')
        return "has spaces at its start or end";
    return NULL;
}

const char *ys_text_problem_lines(const char *s, size_t max_bytes)
{
    if (!s || !*s)
        return NULL;
    size_t n = strlen(s);
    if (n > max_bytes)
        return "is too long";
    if (!ys_utf8_valid(s, n))
        return "is not valid UTF-8";
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\r' && s[i] != '\t') || s[i] == 0x7f)
            return "contains a control character";
    return NULL;
}
