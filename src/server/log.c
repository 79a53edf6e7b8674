/* log.c — what the server says on standard error, by level. Under systemd (JOURNAL_STREAM names our
 * standard error) each line starts with its syslog priority, <3> to <7>, so the journal files it under
 * that level; elsewhere a line is as a person reads it. */
#include "server/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static atomic_int max_level = YS_LOG_NOTICE;
static atomic_bool to_journal;

static const char *const level_names[] = {"error", "warning", "notice", "info", "debug"};

int ys_log_level_named(const char *name)
{
    for (int i = 0; name && i < 5; i++)
        if (strcmp(name, level_names[i]) == 0)
            return YS_LOG_ERROR + i;
    return -1;
}

/* True if standard error is the stream systemd connected to the journal ("device:inode"). */
static bool stderr_is_journal(void)
{
    const char *js = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    struct stat st;
    return js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 && fstat(2, &st) == 0 &&
           (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void ys_log_init(int level)
{
    atomic_store(&max_level, level ? level : YS_LOG_NOTICE);
    atomic_store(&to_journal, stderr_is_journal());
}

bool ys_log_enabled(int level) { return level <= atomic_load(&max_level); }

void ys_log(int level, const char *fmt, ...)
{
    char line[2048];
    va_list ap;
    if (!ys_log_enabled(level))
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    size_t n = strlen(line);
    while (n && line[n - 1] == '\n')
        line[--n] = '\0';
    /* One write per line, so that lines of different threads do not interleave. */
    if (atomic_load(&to_journal))
        fprintf(stderr, "<%d>yishi serve: %s\n", level, line);
    else
        fprintf(stderr, "yishi serve: %s\n", line);
}
