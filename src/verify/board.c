/* board.c — the exported log read back line by line: each line one JSON object with exactly the fields the
 * chain hashes (seq, time, actor, type, payload as its exact text, prev_hash, hash), nothing re-serialised. */
#include "verify/board.h"

#include "yishi/alloc.h"

#include <string.h>

/* A line holds one event; the largest are a members' election's ballots (some 50 KB for 72 candidates). */
#define LINE_MAX_BYTES (64u << 20)

void ys_board_init(ys_board *b, FILE *f, const char *name)
{
    memset(b, 0, sizeof *b);
    b->f = f;
    b->name = name;
    ys_buf_init(&b->text, LINE_MAX_BYTES);
}

void ys_board_free(ys_board *b) { ys_buf_free(&b->text); }

/* The next line into b->text, without its newline: YS_OK, YS_NOT_FOUND at the end of the file. */
static ys_rc read_line(ys_board *b, ys_err *err)
{
    char chunk[65536];
    ys_buf_reset(&b->text);
    b->line++;
    while (fgets(chunk, sizeof chunk, b->f)) {
        size_t n = strlen(chunk);
        bool end = n && chunk[n - 1] == '\n';
        if (ys_buf_add(&b->text, chunk, end ? n - 1 : n))
            return ys_fail(err, b->text.rc, NULL, "%s:%ld: the line is longer than %u bytes, or memory ran out",
                           b->name, b->line, LINE_MAX_BYTES);
        if (end)
            return YS_OK;
    }
    if (ferror(b->f))
        return ys_fail(err, YS_IO, NULL, "%s:%ld: cannot be read", b->name, b->line);
    return b->text.len ? YS_OK : YS_NOT_FOUND;
}

static ys_rc bad(const ys_board *b, const char *field, const char *why, ys_err *err)
{
    return ys_fail(err, YS_CORRUPT, field, "%s:%ld: %s%s%s", b->name, b->line, field ? field : "", field ? ": " : "",
                   why);
}

/* A text field copied into its fixed place; one that would not fit was not written by yishi. */
static ys_rc text_field(const ys_board *b, const json_t *o, const char *key, char *out, size_t cap, ys_err *err)
{
    const char *v = json_string_value(json_object_get(o, key));
    if (!v)
        return bad(b, key, "missing, or not a string", err);
    if (strlen(v) >= cap)
        return bad(b, key, "longer than any event's", err);
    memcpy(out, v, strlen(v) + 1);
    return YS_OK;
}

static ys_rc hash_field(const ys_board *b, const json_t *o, const char *key, uint8_t out[YS_HASH_BYTES], ys_err *err)
{
    const char *v = json_string_value(json_object_get(o, key));
    if (!v || strlen(v) != 2 * YS_HASH_BYTES || ys_hash_from_hex(v, out))
        return bad(b, key, "not a hash of 64 hex digits", err);
    return YS_OK;
}

/* The payload: its text as hashed, and the object the fold reads, parsed from that text. */
static ys_rc payload_field(const ys_board *b, const json_t *o, ys_event *ev, ys_err *err)
{
    const char *v = json_string_value(json_object_get(o, "payload"));
    json_error_t jerr;
    if (!v)
        return bad(b, "payload", "missing, or not a string (the payload's exact text)", err);
    if (!(ev->payload_text = ys_strdup(v)))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory reading %s:%ld", b->name, b->line);
    ys_rc rc = ys_json_loadb(v, strlen(v), JSON_REJECT_DUPLICATES, &ev->payload, &jerr);
    if (rc == YS_NOMEM)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory reading %s:%ld", b->name, b->line);
    if (rc || !json_is_object(ev->payload))
        return bad(b, "payload", rc ? jerr.text : "not a JSON object", err);
    return YS_OK;
}

static ys_rc event_of(const ys_board *b, const json_t *o, ys_event *ev, ys_err *err)
{
    static const char *const keys[] = {"seq", "time", "actor", "type", "payload", "prev_hash", "hash"};
    const json_t *seq = json_object_get(o, "seq");
    ys_rc rc;
    if (json_object_size(o) != sizeof keys / sizeof keys[0])
        return bad(b, NULL, "an event has exactly seq, time, actor, type, payload, prev_hash and hash", err);
    if (!json_is_integer(seq) || json_integer_value(seq) < 1)
        return bad(b, "seq", "not a positive integer", err);
    ev->seq = json_integer_value(seq);
    if ((rc = text_field(b, o, "time", ev->time, sizeof ev->time, err)) ||
        (rc = text_field(b, o, "actor", ev->actor, sizeof ev->actor, err)) ||
        (rc = text_field(b, o, "type", ev->type, sizeof ev->type, err)) ||
        (rc = hash_field(b, o, "prev_hash", ev->prev_hash, err)) || (rc = hash_field(b, o, "hash", ev->hash, err)))
        return rc;
    return payload_field(b, o, ev, err);
}

ys_rc ys_board_next(ys_board *b, ys_event *ev, ys_err *err)
{
    json_t *o = NULL;
    json_error_t jerr;
    memset(ev, 0, sizeof *ev);
    ys_rc rc = read_line(b, err);
    if (rc)
        return rc;
    if (!b->text.len)
        return bad(b, NULL, "an empty line, where an event was expected", err);
    rc = ys_json_loadb(b->text.p, b->text.len, JSON_REJECT_DUPLICATES, &o, &jerr);
    if (rc == YS_NOMEM)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory reading %s:%ld", b->name, b->line);
    if (rc || !json_is_object(o))
        rc = bad(b, NULL, rc ? jerr.text : "not a JSON object", err);
    else
        rc = event_of(b, o, ev, err);
    json_decref(o);
    if (rc)
        ys_event_clear(ev);
    return rc;
}
