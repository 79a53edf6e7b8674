/* deadline.h — the time limit on receiving a request, against clients that send a byte now and then to
 * dodge the idle timeout (slowloris). Internal to src/server; http.c arms it per connection. */
#ifndef YS_SERVER_DEADLINE_H
#define YS_SERVER_DEADLINE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ys_deadlines ys_deadlines;   /* every connection, and the thread that cuts the late ones */
typedef struct ys_deadline ys_deadline;     /* one connection's */

/* Starts the thread that shuts down connections armed for more than `seconds`. NULL when out of memory. */
ys_deadlines *ys_deadlines_new(unsigned seconds);
/* Stops the thread and frees what is left; call after the HTTP daemon has stopped. */
void ys_deadlines_free(ys_deadlines *d);
/* A new connection on socket `fd`, armed from now. Owned by `d` until ys_deadline_remove. */
ys_deadline *ys_deadline_add(ys_deadlines *d, int fd);
/* Arms (the clock starts now) or disarms a connection: armed while a request is on its way, disarmed
 * once it is read whole and the server is the one to answer. False when the connection was cut already:
 * its socket is shut down, so a request read from its buffer would be acted on with no way to answer it,
 * and must not be. NULL does nothing and returns true. */
bool ys_deadline_arm(ys_deadline *e, bool armed);
/* Marks a connection whose request head is in and whose body is still to come (true), or no longer
 * (false, once the request is read whole or done). NULL does nothing. */
void ys_deadline_receiving(ys_deadline *e, bool receiving);
/* At shutdown: every connection still receiving a request body gets `reply` (a whole HTTP response;
 * NULL for none, as on TLS, where only the connection's own thread may write) and is shut down, so that
 * no client that went quiet half-way keeps the server waiting. Returns how many there were. */
size_t ys_deadlines_refuse_receiving(ys_deadlines *d, const char *reply, size_t len);
/* Forgets a connection; call before its socket is closed. NULL does nothing. */
void ys_deadline_remove(ys_deadline *e);
/* How many connections have been cut so far. */
size_t ys_deadlines_cut(ys_deadlines *d);

#endif
