/* utf8.h — the one UTF-8 check of yishi (RFC 3629: no overlongs, no surrogates, nothing above
 * U+10FFFF), for files, fields and messages alike. Pure functions over bytes. */
#ifndef YISHI_UTF8_H
#define YISHI_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes of the well-formed character at s (1 to 4, at most n), or 0 if none starts there. */
size_t ys_utf8_char(const char *s, size_t n);

/* Length of the longest well-formed prefix of s[0..n). */
size_t ys_utf8_prefix(const char *s, size_t n);

/* Whether s[0..n) is well-formed UTF-8. NUL is a character like any other here. */
bool ys_utf8_valid(const char *s, size_t n);

/* The length of the first max bytes of the string s (or all of s, if shorter) without a character cut
 * short at their end: what to keep when text must be cut, or was cut by snprintf, so that no
 * character is cut in half. */
size_t ys_utf8_cut(const char *s, size_t max);

/* Replaces, in the string s, every byte that is not part of a well-formed character with '?'. */
void ys_utf8_scrub(char *s);

#endif
