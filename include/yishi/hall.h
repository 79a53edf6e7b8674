/* hall.h — the plenary hall as data: tiers (floors), blocks within a tier from left to right, rows within a
 * block from the front, seats within a row in order, each with its seat code; and moving delegates between seats.
 * The layout comes from a CSV import (hall.layout, replaced whole by the next one); every page draws from it. */
#ifndef YISHI_HALL_H
#define YISHI_HALL_H

#include "yishi/command.h"

#define YS_HALL_TIERS 9        /* floors, 1 the ground floor */
#define YS_HALL_BLOCKS 200     /* blocks in the whole hall */
#define YS_HALL_ROWS 99        /* rows in one block */
#define YS_HALL_ROW_SEATS 200  /* places in one row */
#define YS_HALL_SEATS 20000    /* seats in the whole hall */

typedef struct ys_hall_seat {
    char *code;         /* the seat code, canonical ("3-17"); what a delegate's seat names */
    int block;          /* index into blocks, 1-based */
    int row;            /* within the block, 1 the front */
    int number;         /* place within the row, 1 the left */
} ys_hall_seat;

typedef struct ys_hall_block {
    int tier;           /* index into tiers, 1-based */
    char *name;         /* 中区, 左一区 … */
    int delegation;     /* the delegation it is reserved for, 0 for none */
    size_t first, n;    /* its seats: seats[first .. first + n), by row, then by place */
} ys_hall_block;

typedef struct ys_hall_tier {
    int floor;          /* 1 … YS_HALL_TIERS, increasing through tiers[] */
    char *name;         /* 一层, 二层 …, or NULL */
    size_t first, n;    /* its blocks: blocks[first .. first + n), from left to right */
} ys_hall_tier;

struct ys_hall {
    int generation;     /* 1 for the first layout imported, 2 for the one that replaced it … */
    ys_hall_tier *tiers;
    size_t n_tiers;
    ys_hall_block *blocks;
    size_t n_blocks;
    ys_hall_seat *seats;
    size_t n_seats;
    struct ys_map *by_code; /* seat code → index in seats, 1-based */
};

/* A seat code in its one form: "ROW-NUMBER", each 1 … 999 without leading zeros ("03-07" is "3-7"). False
 * when `v` is no seat code. */
bool ys_seat_canonical(const char *v, char out[16]);

/* The layout's seat with this code (canonical), or NULL (also when there is no layout). */
const ys_hall_seat *ys_hall_seat_of(const ys_session *s, const char *code);

/* The delegate who holds this seat (canonical code), or NULL. */
const ys_delegate *ys_seat_holder(const ys_session *s, const char *code);

/* The delegation of a block: the one it is reserved for (*reserved true), else the one most of the delegates
 * seated in it belong to (the lower id on a tie), else 0. */
int ys_hall_block_delegation(const ys_session *s, const ys_hall_block *b, bool *reserved);

/* How the delegates and the layout meet: delegates seated in it, its seats no delegate has, delegates whose
 * seat is not in it (all who have a seat, when there is no layout), and entitled delegates with no seat. */
typedef struct ys_hall_fit {
    size_t placed, empty, unplaced, unseated;
} ys_hall_fit;
ys_hall_fit ys_hall_fit_of(const ys_session *s);

/* Moves a delegate to `seat` (any form ys_seat_canonical takes), or unseats them (seat NULL): delegate.seat.
 * Refused when the seat is taken (naming who sits there) unless `swap`, which gives the one sitting there
 * the mover's seat; when a layout exists and has no such seat; for a delegate whose mandate has ended. */
ys_rc ys_cmd_delegate_seat(const ys_session *s, const ys_ctx *c, const char *code, const char *seat, bool swap,
                           ys_events *out, ys_err *err);

#endif
