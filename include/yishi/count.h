/* count.h — the counting engine: votes on resolutions, elections, preliminary elections and further
 * rounds, exactly as the statute counts. Pure functions over tallies and ballots: no I/O, no JSON. */
#ifndef YISHI_COUNT_H
#define YISHI_COUNT_H

#include "yishi/error.h"
#include "yishi/rules.h"

#include <stdbool.h>
#include <stddef.h>

/* Every fallible function below returns YS_OK or the error table's code of why the input cannot be
 * counted (YS_TOTALS_MISMATCH, YS_CANDIDATES_OUTSIDE_RATIO, …; YS_NOMEM, YS_TOO_LARGE), with `err`
 * (may be NULL) filled with the field and message. docs/count.md lists the codes. */

/* Limits that keep every product of the law's arithmetic inside an int. */
#define YS_COUNT_MAX_DELEGATES 10000000
#define YS_COUNT_MAX_NAME 256  /* bytes of a candidate's name, NUL excluded */

/* ---- Votes on a question (表决): resolutions, motions, amendments ---- */

typedef enum ys_majority {
    YS_MAJORITY_SIMPLE,     /* rules->adoption: more than half of all delegates (Art. 25) */
    YS_MAJORITY_TWO_THIRDS, /* rules->constitutional: two thirds or more of all delegates */
} ys_majority;

/* The majority's word in files, events and the API: "simple", "two_thirds". */
const char *ys_majority_word(ys_majority m);
/* Sets *out from its word; false (and *out untouched) for any other word or NULL. */
bool ys_majority_parse(const char *word, ys_majority *out);

typedef struct ys_vote_tally {
    int entitled;           /* 应出席 */
    int present;            /* 出席 */
    int yes, no, abstain;   /* 赞成, 反对, 弃权 */
    int not_voted;          /* present but pressed nothing (未按表决器); yes+no+abstain+not_voted == present */
    ys_majority majority;
    ys_method method;       /* how it was voted; only changes the announcement's wording. 0 = terminal */
} ys_vote_tally;

typedef struct ys_vote_result {
    bool quorate;           /* present meets rules->quorum */
    int quorum;             /* the fewest present that is quorate */
    int threshold;          /* the fewest yes votes that pass */
    bool has_turnout;       /* the rule set has a turnout rule (粤规 Art. 60) */
    int turnout_min;        /* the fewest yes+no+abstain for the vote to be valid, if has_turnout */
    bool turnout_met;       /* true when !has_turnout */
    bool passed;            /* quorate, turnout met, and yes meets the majority */
} ys_vote_result;

/* Counts a vote. Refuses numbers out of range (YS_BAD_VALUE), present > entitled, totals that do
 * not add up to present, and a majority or quorum the rule set does not define. */
ys_rc ys_count_vote(const ys_rules *r, const ys_vote_tally *t, ys_vote_result *out, ys_err *err);

/* Writes the chair's announcement in the statute's form into buf (always NUL-terminated when
 * cap > 0) and returns the length it needed, as snprintf does:
 * 「应出席代表549人，出席533人，缺席16人，出席人数符合法定人数。赞成500票，反对10票，弃权13票，
 * 未按表决器10人。通过。」 */
size_t ys_vote_announcement(const ys_vote_tally *t, const ys_vote_result *res, char *buf, size_t cap);

/* ---- Elections (选举) and preliminary elections (预选) ---- */

typedef enum ys_election_kind {
    YS_ELECTION,            /* elect `seats` to an office: majority of all delegates, Arts. 25, 29 */
    YS_PRELIMINARY,         /* rank nominees; the top `seats` become the formal candidates, Art. 27 */
} ys_election_kind;

/* Which round of an election this is; it decides which candidate range the law allows. */
typedef enum ys_ballot_round {
    YS_ROUND_FIRST,         /* the first ballot: ys_office_range (Art. 27) */
    YS_ROUND_FURTHER,       /* a further round (另行选举) for unfilled seats: ys_office_further_range (Art. 29) */
    YS_ROUND_RUNOFF,        /* a new vote among those tied at the cut (Art. 29): the tied, whatever their number;
                               the most votes win (「以得票多的当选」), with no majority of all required again */
} ys_ballot_round;

typedef struct ys_election_spec {
    ys_election_kind kind;
    ys_ballot_round round;  /* YS_ROUND_FIRST unless this is a further round or a runoff */
    const char *office;     /* office key in the rule set; may be NULL for a preliminary */
    int seats;              /* seats to fill; for a preliminary, the number of formal candidates */
    int office_seats;       /* preliminary only, with office: the seats of the election it prepares,
                               so that `seats` is checked against the office's ratio; 0 = unchecked */
    bool by_election;       /* 补选 (Art. 30): may be uncontested when the rule set allows it */
    int entitled;           /* all delegates: the base of the threshold */
    int ballots_issued;
    const char *const *candidates; /* the list in its printed order; names are copied */
    size_t n_candidates;
} ys_election_spec;

/* One ballot as returned. Names refer to the list, except write-ins (另选他人), which may name
 * anyone: a write-in of a listed name is a yes mark for that candidate. */
typedef struct ys_ballot {
    const char *const *yes;
    size_t n_yes;
    const char *const *no;
    size_t n_no;
    const char *const *write_in;
    size_t n_write_in;
} ys_ballot;

/* An election being counted. Ballots are added one at a time, in any order, each in time
 * proportional to its marks, and none is kept: memory grows with candidates, not ballots. */
typedef struct ys_election ys_election;

/* Checks the spec against the rule set (office known, seats >= 1, issued <= entitled, no duplicate
 * name, list inside the office's ratio via ys_office_range) and starts a count. Free with
 * ys_election_free(). The rule set must outlive the count. */
ys_rc ys_election_new(const ys_rules *r, const ys_election_spec *s, ys_election **out, ys_err *err);
void ys_election_free(ys_election *e);

/* Counts one ballot. A ballot with more yes marks (write-ins included) than seats, or with a name
 * marked twice, is void and counted as such (YS_OK, *was_void true; was_void may be NULL). A yes or
 * no mark for a name not on the list cannot be counted (YS_UNKNOWN_CANDIDATE); after any error the
 * count is spoilt and may only be freed. */
ys_rc ys_election_add(ys_election *e, const ys_ballot *b, bool *was_void, ys_err *err);

/* Counts ballots known only by their sums, as the decryption of an encrypted election gives them
 * (docs/verifiable.md §8): `ballots` ballots, none void (an encrypted ballot proves it keeps the limit),
 * listed candidate i marked yes on yes[i] of them and no on no[i], in the list's order, and each write-in
 * name written in on write_in_votes[i]. Refused: sums that no set of valid ballots gives (more marks than
 * ballots, more yes marks and write-ins than seats on every ballot), a write-in of a listed name or in a
 * preliminary. May be called more than once; the sums add up. */
typedef struct ys_election_totals {
    int ballots;
    const int *yes, *no;
    size_t n_listed;
    const char *const *write_in;
    const int *write_in_votes;
    size_t n_write_in;
} ys_election_totals;
ys_rc ys_election_add_totals(ys_election *e, const ys_election_totals *t, ys_err *err);

typedef struct ys_candidate_count {
    const char *name;       /* owned by the result */
    int yes, no, abstain;   /* abstain: valid ballots that marked the listed name neither way;
                               0 for a write-in, who was on no printed ballot */
    bool write_in;          /* not on the list; got yes votes by write-in only */
    bool elected;           /* election: elected; preliminary: became a formal candidate */
    bool tied;              /* tied at the cut: a new vote among the tied decides (Art. 29) */
} ys_candidate_count;

typedef struct ys_further_round {
    int seats;              /* unfilled seats */
    int min_candidates, max_candidates; /* ys_office_further_range */
    size_t *ranked;         /* the not-elected, by first-round yes votes (indices into candidates) */
    size_t n_ranked;
} ys_further_round;

/* Display order, used everywhere a list of names is given: more yes votes first; equal votes keep
 * the list's printed order; write-ins come after listed candidates with equal votes, by name in
 * byte order (UTF-8), so no ordering ever depends on the order ballots were counted. */
typedef struct ys_election_result {
    ys_election_kind kind;
    bool valid;             /* false: the whole election is void and is held again */
    const char *reason;     /* NULL, or "more_ballots_than_issued" (Election Law Art. 44) */
    int seats;
    int threshold;          /* fewest yes votes that elect; 0 for a preliminary (ranking only) */
    int ballots_returned, ballots_void, ballots_valid;
    ys_candidate_count *candidates; /* the list's order, then write-ins by name */
    size_t n_candidates;
    size_t *elected;        /* indices into candidates, display order; void election: none */
    size_t n_elected;
    size_t *tied;           /* tied at the cut for tied_seats seats, display order */
    size_t n_tied;
    int tied_seats;
    int unfilled;           /* seats neither filled nor tied: seats - n_elected - tied_seats,
                               or all seats when the election is void */
    bool has_further;       /* election with unfilled seats (Art. 29): a further round is due */
    ys_further_round further;
} ys_election_result;

/* Decides the count. Counts are reported even for a void election; then nobody is elected.
 * Free the result with ys_election_result_free(). */
ys_rc ys_election_result_get(const ys_election *e, ys_election_result **out, ys_err *err);
void ys_election_result_free(ys_election_result *res);

#endif
