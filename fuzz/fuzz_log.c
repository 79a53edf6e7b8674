/* fuzz_log.c — libFuzzer target for replaying a session log: any sequence of events (type and JSON
 * payload per line; a line starting with '!' is a sealed ballot) must be applied or refused, never crash
 * or leak; and any CSV given to an import must become events or a list of problems. */
#include "yishi/alloc.h"
#include "yishi/command.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *rules_text;

static void load_rules(void)
{
    FILE *f = fopen(YS_SOURCE_RULES_DIR "/prc-county.rules", "rb");
    if (!f)
        abort();
    rules_text = ys_calloc(1, 1 << 20);
    size_t n = fread(rules_text, 1, (1 << 20) - 1, f);
    rules_text[n] = '\0';
    fclose(f);
}

static int apply_line(ys_session *s, const char *line, size_t len)
{
    ys_event ev = {0};
    ys_err err;
    json_error_t jerr;
    bool sealed = len && line[0] == '!';
    const char *tab = memchr(line, '\t', len);
    if (!tab || (size_t)(tab - line) >= sizeof ev.type)
        return -1;
    snprintf(ev.type, sizeof ev.type, "%.*s", (int)(tab - line - sealed), line + sealed);
    snprintf(ev.time, sizeof ev.time, "2024-01-23T07:00:00.000Z");
    ev.payload = json_loadb(tab + 1, len - (size_t)(tab + 1 - line), JSON_REJECT_DUPLICATES, &jerr);
    ev.sealed = sealed;
    int rc = ev.payload && !ys_session_accept(s, &ev, 1, NULL, &err) ? 0 : -1;
    ys_event_clear(&ev);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!rules_text)
        load_rules();
    ys_session *s = ys_session_new();
    ys_rules *r = NULL;
    ys_events evs;
    ys_err err;
    ys_diags d;
    ys_diags_init(&d);
    ys_events_init(&evs);
    if (!s || ys_rules_parse(rules_text, strlen(rules_text), &r, &d))
        abort();
    ys_ctx ctx = {"2024-01-23T07:00:00.000Z", "fuzz"};
    ys_init_args a = {"县人民代表大会", "第一届", "第一次会议", r};
    if (ys_cmd_init(s, &ctx, &a, &evs, &err) || apply_line(s, "", 0) != -1)
        abort();
    if (ys_session_accept(s, evs.v, evs.n, NULL, &err))
        abort();
    ys_events_free(&evs);
    ys_rules_free(r);
    ys_diags_free(&d);
    if (size && data[0] == 'C') { /* a CSV for an import: the second byte picks the list */
        ys_csv *csv = NULL;
        ys_diags_init(&d);
        ys_events_init(&evs);
        if (size > 2 && !ys_csv_parse((const char *)data + 2, size - 2, &csv, &d)) {
            ys_rc rc = ys_cmd_import(s, &ctx, (ys_import_kind)(1 + data[1] % 4), csv, &evs, &d);
            if (rc ? evs.n != 0 || (rc == YS_INVALID && ys_diags_count(&d) == 0) : evs.n == 0)
                abort(); /* events and no refusal, or a refusal with its problems and no events */
        }
        ys_csv_free(csv);
        ys_events_free(&evs);
        ys_diags_free(&d);
    } else {
        size_t at = 0;
        while (at < size) {
            const uint8_t *nl = memchr(data + at, '\n', size - at);
            size_t len = nl ? (size_t)(nl - (data + at)) : size - at;
            if (apply_line(s, (const char *)data + at, len))
                break; /* a log is refused at its first bad event */
            at += len + 1;
        }
    }
    ys_session_free(s);
    return 0;
}
