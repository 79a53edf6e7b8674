/* hall_board.h — the public board at a hall benchmark's large size: nginx + nchan in front of yishi serve
 * (scripts/board-nchan) and processes of watchers (hall_watch), started, asked and stopped by hall_load. */
#ifndef HALL_BOARD_H
#define HALL_BOARD_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

/* One process holds at most 20,000 files here, and a source address has ~28,000 ports: so a process of
 * watchers holds at most this many, each process from a source address of its own. */
#define HALL_WATCH_PER_PROC 17000

typedef struct hall_watcher {
    pid_t pid;
    int n;
    char source[16];
    FILE *to, *from;
} hall_watcher;

typedef struct hall_board {
    int port, pub, resume;    /* the watchers' side, nchan's publisher, yishi's resume lookups */
    char publish_url[64], resume_port[8];
    pid_t nginx;              /* nginx's master (board-nchan execs it), daemon off */
    char prefix[320];
    int workers, connections; /* nginx workers, and worker_connections of each */
    int procs, n;             /* processes of watchers, watchers in all */
    hall_watcher *w;          /* [procs] */
} hall_board;

typedef struct hall_board_counts {
    int open, failed, dropped; /* streams open; failed before their headers; open and then ended */
    int opens, closes;         /* streams that have had poll.open / poll.close since hall_board_arm */
    long frames;
} hall_board_counts;

/* The three ports: base, base + 1, base + 2, or free ones when base is 0. */
void hall_board_ports(hall_board *b, int base);
/* Starts scripts/board-nchan under dir/board in front of yishi on 127.0.0.1:yishi_port with enough workers
 * for n watchers; waits until nchan has yishi's first frame (its publisher attached) or fails. */
bool hall_board_start(hall_board *b, const char *script, const char *dir, int yishi_port, int n, double secs);
/* n watchers in processes of at most HALL_WATCH_PER_PROC, the k-th from source address first + k (127.0.0.x),
 * each given `timeout` for its headers; waits until every one is open or failed, or none has come for `stall`
 * seconds; prints what it got. */
void hall_board_watch(hall_board *b, const char *bin, int n, const char *first, double timeout, double stall);
void hall_board_status(hall_board *b, hall_board_counts *st);
void hall_board_arm(hall_board *b);
/* Waits until every open watcher has had poll.open (what = 'o') or poll.close ('c'), or secs pass. */
void hall_board_wait(hall_board *b, char what, double secs, hall_board_counts *st);
/* What one watcher saw since the last arm: when (CLOCK_MONOTONIC seconds, 0: not yet) and under which id. */
typedef struct hall_board_seen {
    double t_open, t_close;
    long long id_open, id_close;
} hall_board_seen;

/* Every watcher's poll.open and poll.close since the last arm, into out[n]; returns how many were read. */
int hall_board_times(hall_board *b, hall_board_seen *out);
/* Ends the watchers and nginx (SIGTERM to its master), and waits for them. Safe to call twice. */
void hall_board_stop(hall_board *b);

#endif
