/* demo_data.h — the data of `yishi demo`: a synthetic but realistic 2nd session of the 14th Shanxi
 * Provincial People's Congress (January 2024), as the CSV tables that the importer reads.
 *
 * The tables and their columns (header row first, UTF-8, LF line ends, RFC 4180 quoting):
 *   posts.csv      rank,title                     rank >= 1, lower is higher protocol rank; equal
 *                                                 ranks allowed, file order breaks ties; title unique
 *   delegates.csv  code,name,gender,ethnicity,delegation,seat,roles,post
 *                  code: 9 digits "14" + delegation number (01-12) + 5-digit sequence, unique
 *                  gender: 男 | 女; delegation: 太原 … 吕梁, 解放军 (no "代表团" suffix)
 *                  seat: "RR-SS", row and seat number in the plenary hall, both zero-padded to two
 *                  digits ("03-07"); unique; delegations sit in contiguous blocks in their order
 *                  roles: ';'-separated from presidium, executive_chair, secretary_general,
 *                  delegation_head, delegation_deputy_head, or empty; post: empty or a posts title
 *   attendees.csv  name,kind,post,affiliation     kind: attendee (列席) | observer (旁听);
 *                                                 post: empty or a posts title; affiliation: the
 *                                                 group the person attends for (在晋十四届全国人大代表 …)
 *   hall.csv       seat,tier,block,row,number,tier_name   the plenary hall: one floor (一层) of 20 rows of 30
 *                  seats, in three blocks of 10 across (左区, 中区, 右区); every delegate's seat and 51 spare
 *   agenda.csv     order,kind,title,presenter,document
 *                  order 1..n; kind: deliberate | examine | hear | vote | elect; presenter empty
 *                  when the item is submitted in writing; document: the title of the report or draft
 * Everything is generated from a fixed seed: the same bytes on every call and every machine. */
#ifndef YISHI_DEMO_DATA_H
#define YISHI_DEMO_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum ys_demo_table {
    YS_DEMO_POSTS,
    YS_DEMO_DELEGATES,
    YS_DEMO_ATTENDEES,
    YS_DEMO_AGENDA,
    YS_DEMO_HALL,
    YS_DEMO__TABLES
} ys_demo_table;

typedef struct ys_demo_session {
    const char *assembly;      /* 山西省人民代表大会 */
    int term;                  /* 14 */
    const char *term_name;     /* 第十四届 */
    int session;               /* 2 */
    const char *session_name;  /* 第二次会议 */
    const char *title;         /* 山西省第十四届人民代表大会第二次会议 */
    const char *opens;         /* 2024-01-21 */
    const char *closes;        /* 2024-01-25 */
    const char *place;         /* 太原 */
    const char *rules;         /* prc-provincial */
    int delegates;             /* 549: the seed's announcements count 549 entitled */
} ys_demo_session;

#define YS_DEMO_DELEGATES_TOTAL 549
#define YS_DEMO_DELEGATIONS 12
#define YS_DEMO_SEATS_PER_ROW 30
#define YS_DEMO_HALL_ROWS 20

const ys_demo_session *ys_demo_session_info(void);
const char *ys_demo_session_title(void);

/* File stem of a table ("posts", "delegates", "attendees", "agenda", "hall"), or NULL out of range. */
const char *ys_demo_table_name(ys_demo_table which);

/* The delegations in seating order (Shanxi's cities in the official order, then 解放军);
 * NULL for i >= YS_DEMO_DELEGATIONS. */
const char *ys_demo_delegation(size_t i);

/* The CSV text of one table, NUL-terminated; *len (if not NULL) gets its length without the NUL.
 * The caller frees it with ys_free(). NULL when memory runs out or `which` is out of range. */
char *ys_demo_csv(ys_demo_table which, size_t *len);

/* What the national demo (demo_npc.c) borrows: the fixed-seed generator (uniform in [0, n)) and a given
 * name of one character or two different ones, from the lists the provincial demo draws on. */
unsigned ys_demo_below(uint64_t *seed, unsigned n);
void ys_demo_given_name(uint64_t *seed, bool female, char *out, size_t cap);

/* ---- the national demo (yishi demo --hall npc): demo_npc.c ----
 * A session of the size of the National People's Congress under prc-npc: 2,977 generated delegates (names
 * drawn from common surnames and given names, no real people) in 35 delegations proportioned like the 14th
 * NPC's, seated by delegation in a three-tier hall like the Great Hall of the People's: a wide ground floor
 * and two balconies, each with a central block and two side blocks, and spare seats at the back.
 *   delegates.csv  code,name,gender,ethnicity,delegation,seat,roles
 *                  code: "14" + delegation number (01-35) + 4-digit sequence; seat: ROW-NUMBER, rows 1-25 on
 *                  the ground floor, 101-114 and 201-210 on the balconies, numbers across the whole row
 *   hall.csv       seat,tier,block,row,number,tier_name,delegation   (a block only one delegation sits in
 *                  is reserved for it) */
#define YS_NPC_DELEGATES_TOTAL 2977
#define YS_NPC_DELEGATIONS 35

typedef enum ys_npc_table { YS_NPC_DELEGATES, YS_NPC_HALL, YS_NPC__TABLES } ys_npc_table;

const ys_demo_session *ys_npc_session_info(void);
/* As ys_demo_csv, for the national demo's tables. */
char *ys_npc_csv(ys_npc_table which, size_t *len);

#endif
