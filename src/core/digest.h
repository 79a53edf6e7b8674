/* digest.h — what the state digest's versions share (fields staged in a buffer and hashed with BLAKE2b),
 * and the calls the fold makes around every record it changes so that the digest stays current. Internal. */
#ifndef YS_CORE_DIGEST_H
#define YS_CORE_DIGEST_H

#include "yishi/session.h"

#include <sodium.h>

/* Fields are staged in a buffer and hashed in large pieces: BLAKE2b on a few bytes at a time spends
 * its time in call overhead. */
typedef struct ys__dig {
    crypto_generichash_state st;
    size_t n;
    uint8_t buf[4096];
} ys__dig;

void ys__dig_init(ys__dig *d);
void ys__dig_raw(ys__dig *d, const void *p, size_t n);
void ys__dig_final(ys__dig *d, uint8_t out[YS_HASH_BYTES]);
/* sum += h, both 256-bit numbers little-endian, mod 2^256: commutative, so a sum of hashes is the same
 * in any order (the state's records, the ballot box's ballots). */
void ys__sum_add(uint8_t sum[YS_HASH_BYTES], const uint8_t h[YS_HASH_BYTES]);

/* The kinds of record the state is made of (docs/design.md, "The state digest"). The numbers are part
 * of the file format: never renumber, only add. A record is named by its kind and one or two ids. */
typedef enum ys_rec {
    YS_REC_POST = 1,         /* post id */
    YS_REC_DELEGATION = 2,   /* delegation id */
    YS_REC_DELEGATE = 3,     /* delegate id */
    YS_REC_ATTENDEE = 4,     /* attendee id */
    YS_REC_DOCUMENT = 5,     /* document id */
    YS_REC_VERSION = 6,      /* document id, version number */
    YS_REC_ITEM = 7,         /* agenda item id */
    YS_REC_MEETING = 8,      /* meeting id */
    YS_REC_ATTENDANCE = 9,   /* meeting id, delegate id: present or on leave */
    YS_REC_SPEECH = 10,      /* speech id */
    YS_REC_POLL = 11,        /* poll id */
    YS_REC_CHOICE = 12,      /* poll id, delegate id: who voted (and, in a named poll, how) */
    YS_REC_ELECTION = 13,    /* election id */
    YS_REC_NOMINEE = 14,     /* election id, position on the list */
    YS_REC_VOTER = 15,       /* election id, delegate id: issued a ballot, turned one in */
    YS_REC_HALL = 16,        /* 1: the hall's layout as a whole, while there is one */
    YS_REC_HALL_TIER = 17,   /* tier index in the layout */
    YS_REC_HALL_BLOCK = 18,  /* block index in the layout */
    YS_REC_HALL_SEAT = 19,   /* seat index in the layout */
    YS_REC_KEY = 20,         /* key id: its ceremony, trustee by trustee */
    /* a meeting as held, and the bulletins (meeting.h); numbered apart from the kinds other parts add */
    YS_REC_HELD = 30,        /* meeting id: date, half-day, people, take-ups and the order spoken */
    YS_REC_BULLETIN = 31,    /* bulletin number */
    /* motions, inquiries, recall and suggestions (motion.h) */
    YS_REC_MOTION = 32,          /* motion id */
    YS_REC_MOTION_DEADLINE = 33, /* kind of motion, while the presidium has set its deadline */
    /* opinions on documents and the explanations of versions (opinion.h) */
    YS_REC_OPINION = 34,         /* opinion id */
    YS_REC_EXPLANATION = 35,     /* explanation index, 1 … in the order given */
} ys_rec;

/* Around every change of a record in the fold: out before (its hash leaves the digest's sum), in after
 * (the new one joins). A record that does not exist (yet, or any more) counts for nothing, so adding one
 * is an in alone. When apply fails between the two, the session is dropped anyway. */
void ys__rec_out(ys_session *s, ys_rec kind, int a, int b);
void ys__rec_in(ys_session *s, ys_rec kind, int a, int b);

/* The digest of version 1: the whole state hashed in one canonical order (files written before 2027). */
void ys__digest_v1(const ys_session *s, uint8_t out[YS_HASH_BYTES]);

#endif
