/* rules_file.h — finds a rule set by name (prc-provincial) or path and reads it: the part of loading
 * rules that touches the disk, which the core's parser (yishi/rules.h) must not. */
#ifndef YISHI_CLI_RULES_FILE_H
#define YISHI_CLI_RULES_FILE_H

#include "yishi/diag.h"
#include "yishi/error.h"
#include "yishi/rules.h"

#include <stddef.h>

/* Loads a rule set. A name such as "prc-provincial" is looked up as NAME.rules in $YISHI_RULES_DIR,
 * then, for a binary in its build tree, the rules/ link beside it, then share/yishi/rules relative to the
 * binary and under the configured prefix (YS_INSTALL_RULES_DIR);
 * an argument containing '/' or ending in .rules is read as a path. On success *out is a rule set
 * to ys_rules_free(). Errors: YS_NOT_FOUND (unknown name, listing the sets there are, or no such
 * file), YS_IO, YS_TOO_LARGE, YS_RULES (the file's problems are in diags, each with its line),
 * YS_NOMEM. */
ys_rc ys_rules_load(const char *name_or_path, ys_rules **out, ys_diags *diags, ys_err *err);

/* The names of the rule sets that ys_rules_load finds by name, sorted, each once. *names is an
 * array of *n strings to free with ys_rules_names_free(). */
ys_rc ys_rules_names(char ***names, size_t *n, ys_err *err);
void ys_rules_names_free(char **names, size_t n);

#endif
