/* text.h — checks on the text people type into the session: valid UTF-8, no control characters,
 * no invisible formatting characters, not blank when required, not longer than a limit. Internal to the core. */
#ifndef YS_CORE_TEXT_H
#define YS_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* NULL if `s` is acceptable; otherwise the reason, as a phrase: "is empty", "is too long", "contains U+202E
 * (…)". The phrase is valid until the calling thread's next check. Refused everywhere: control characters
 * and the invisible formatting characters that can disguise text (bidi overrides and isolates, zero-width
 * characters, U+FEFF anywhere). */
const char *ys_text_problem(const char *s, size_t max_bytes, bool required);

/* The same for text of several lines (what a delegate said): line breaks and tabs are allowed. */
const char *ys_text_problem_lines(const char *s, size_t max_bytes);

#endif
