/* cmd_hall.c — `yishi hall`: the hall's layout as the session holds it — each tier and its blocks from left to
 * right with their seats and delegation — and how it meets the delegates: who is placed, what is left over. */
#include "cli/cli.h"

#include "yishi/hall.h"

static void show_tier(const ys_session *s, const ys_hall_tier *t)
{
    printf("tier %d%s%s%s:", t->floor, t->name ? " (" : "", t->name ? t->name : "", t->name ? ")" : "");
    for (size_t i = t->first; i < t->first + t->n; i++) {
        const ys_hall_block *b = &s->hall->blocks[i];
        bool reserved;
        int dl = ys_hall_block_delegation(s, b, &reserved);
        int rows = b->n ? s->hall->seats[b->first + b->n - 1].row : 0;
        printf(" %s %zu seats in %d rows%s%s%s", b->name, b->n, rows, dl ? (reserved ? " reserved for " : " mostly ") : "",
               dl ? s->delegations[dl - 1].name : "", i + 1 < t->first + t->n ? ";" : "\n");
    }
}

int ys_cli_hall(int argc, char **argv)
{
    const char *file;
    int code = ys_cli_simple_options("hall", argc, argv, 0, &file, NULL);
    if (code)
        return code;
    ys_journal *j = ys_cli_open("hall", file, YS_STORE_READONLY, &code);
    if (!j)
        return code;
    const ys_session *s = j->session;
    ys_hall_fit f = ys_hall_fit_of(s);
    if (!s->hall)
        printf("no hall layout (yishi import hall FILE.csv)\n");
    else
        printf("hall layout %d: %zu tiers, %zu blocks, %zu seats\n", s->hall->generation, s->hall->n_tiers,
               s->hall->n_blocks, s->hall->n_seats);
    for (size_t i = 0; s->hall && i < s->hall->n_tiers; i++)
        show_tier(s, &s->hall->tiers[i]);
    printf("placed %zu delegates; %zu seats empty; %zu delegates seated outside the layout; %zu without a seat\n",
           f.placed, f.empty, f.unplaced, f.unseated);
    for (size_t i = 0; i < s->n_delegates && f.unplaced; i++) {
        const ys_delegate *d = &s->delegates[i];
        if (d->seat && !ys_hall_seat_of(s, d->seat))
            printf("  unplaced %s %s: seat %s\n", d->code, d->name, d->seat);
    }
    ys_journal_close(j);
    return YS_EXIT_OK;
}
