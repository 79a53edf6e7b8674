/* hall_setup.h — what the hall benchmark and the crash harness share: a session of N delegates made with
 * the yishi command line, `yishi serve` started and stopped, logins with tokens ready, /proc figures. */
#ifndef HALL_SETUP_H
#define HALL_SETUP_H

#include <stdbool.h>
#include <sys/types.h>

#define HALL_STAFF_PASSWORD "bench-staff-password"

typedef struct hall_session {
    const char *yishi;   /* the binary */
    char dir[256], file[320];
    int n;               /* delegates, all checked in at the open plenary */
    char (*card)[32];    /* [n] the login code of each delegate's card */
    char (*token)[64];   /* [n] after hall_login_all */
    char chair[64], secretariat[64];
} hall_session;

typedef struct hall_server {
    pid_t pid;
    int port;
    char out[320], err[320];
} hall_server;

typedef struct hall_proc {
    double cpu;          /* user + system seconds, the process and its children (nginx's workers) */
    long rss_kib, hwm_kib;
} hall_proc;

void hall_die(const char *fmt, ...);
/* A new session file in dir: N delegates (prc-npc), a plenary open with all checked in, a chair and a
 * secretariat account, a card for every delegate. */
void hall_session_make(hall_session *s, const char *yishi, const char *dir, int n);
/* The same under another rule set. */
void hall_session_make_rules(hall_session *s, const char *yishi, const char *dir, int n, const char *rules);
void hall_session_free(hall_session *s);
/* Starts `yishi serve` on the session's file on 127.0.0.1 (port 0: any) with extra arguments
 * (NULL-terminated); false if it did not say it listens within 60 s. */
bool hall_serve(hall_server *srv, const hall_session *s, int port, const char *const *extra);
/* The port a server said it listens on in its output file `out` ("listening on http://127.0.0.1:PORT"), 0 before. */
int hall_listening_port(const char *out);
/* Sends sig and waits; returns the exit status, or 128 + the signal that ended it. */
int hall_stop(hall_server *srv, int sig);
/* Logs in every delegate (PIN set on first login) and the two staff accounts over `conns` connections. */
void hall_login_all(hall_session *s, int port, int conns);
bool hall_proc_read(pid_t pid, hall_proc *p);
/* A port on 127.0.0.1 that was free a moment ago. */
int hall_free_port(void);
/* Runs a shell command; false unless it exits 0. */
bool hall_sh(const char *fmt, ...);

#endif
