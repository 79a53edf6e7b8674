/* board.h — reading an exported log (`yishi log --export`, docs/files.md) one event at a time, for
 * yishi-verify: each line's fields as the hash covers them, the payload kept as its exact text. */
#ifndef YS_VERIFY_BOARD_H
#define YS_VERIFY_BOARD_H

#include "yishi/buf.h"
#include "yishi/event.h"

#include <stdio.h>

typedef struct ys_board {
    FILE *f;
    const char *name;    /* for messages: BOARD:LINE */
    long line;
    ys_buf text;         /* the current line */
} ys_board;

/* Reads from f (not closed here); name is borrowed. */
void ys_board_init(ys_board *b, FILE *f, const char *name);
void ys_board_free(ys_board *b);
/* The next event into *ev (ys_event_clear it): YS_OK, YS_NOT_FOUND at the end, YS_CORRUPT for a line that is
 * not an event as the export writes it (err names the line and the field), YS_IO, YS_NOMEM, YS_TOO_LARGE. */
ys_rc ys_board_next(ys_board *b, ys_event *ev, ys_err *err);

#endif
