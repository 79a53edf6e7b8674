/* poll.h — votes held in a session: polls on a question (表决) and elections (选举), as state and as
 * commands. The arithmetic is the counting engine's (count.h); here is who may vote when, and what
 * the log keeps. A named poll logs each choice with its voter. An anonymous poll and a secret ballot
 * log only *that* a delegate voted; the content goes, sealed, into a ballot box with no voter and no
 * order (ys_event.sealed), and the close event records the totals and the box's multiset hash. */
#ifndef YISHI_POLL_H
#define YISHI_POLL_H

#include "yishi/command.h"
#include "yishi/count.h"

typedef enum ys_poll_state { YS_POLL_CREATED = 1, YS_POLL_OPEN, YS_POLL_CLOSED } ys_poll_state;
typedef enum ys_choice { YS_CHOICE_YES = 1, YS_CHOICE_NO, YS_CHOICE_ABSTAIN } ys_choice;

/* A poll's or an election's state as a word for the API and the command line ("created", "open",
 * "closed"), and as said in a message ("not open yet", "open", "closed"). "?" when out of range. */
const char *ys_poll_state_word(ys_poll_state st);
const char *ys_poll_state_phrase(ys_poll_state st);

struct ys_poll {
    int id;
    int item;                 /* agenda item, 0 if none */
    char *title;
    ys_majority majority;
    ys_method method;         /* terminal, show of hands or paper */
    bool named;               /* terminal only: choices are logged with their voters */
    bool changeable;          /* named only: a delegate may change a vote until close */
    int amends;               /* the poll this amendment amends; amendments are voted first */
    int motion;               /* the motion, amendment or recall it decides (motion.h), 0 for none */
    ys_poll_state state;
    int meeting;              /* the plenary it was opened at */
    char opened_at[32], closed_at[32];
    uint8_t *choice;          /* per delegate id - 1: named: ys_choice; anonymous: 1 if voted */
    size_t choice_cap;
    int yes, no, abstain;     /* the running tally (secret content is only ever summed) */
    bool totals_entered;      /* show of hands, paper: the tellers' totals are in (a second entry corrects) */
    int voted;                /* delegates who voted */
    int n_box;                /* sealed ballots in the box (anonymous polls) */
    int64_t closed_seq;       /* the event that closed it */
    uint8_t box[YS_HASH_BYTES]; /* multiset hash of the sealed ballots */
    ys_vote_tally tally;      /* at close */
    ys_vote_result result;    /* at close */
    char *announcement;       /* once the chair has announced it (NPC rules Art. 59), else NULL */
    struct ys_vstate *v;      /* a verifiable poll (vstate.h): its ballots encrypted to a key; else NULL */
    bool counted;             /* closed and counted: always for a poll with a box, after the decryption for a
                                 verifiable one */
};

typedef struct ys_nomination {
    char *name;
    char *by;                 /* "presidium", "further_round", "runoff", or "delegates:CODE,CODE,…" */
} ys_nomination;

/* One election held in the session: one office, a number of seats, a list of candidates. A further
 * round (另行选举) or a new vote among the tied is an election of its own whose round_of names the
 * one before. The count in progress is a ys_election of the counting engine. */
struct ys_session_election {
    int id;
    int item;
    ys_election_kind kind;    /* election, or preliminary (预选) */
    char office[YS_OFFICE_KEY_MAX];
    int seats;                /* seats; for a preliminary, the number of formal candidates */
    int office_seats;         /* preliminary: the seats of the election it prepares */
    bool by_election;
    int round_of;             /* the election this further round or runoff follows, 0 if none */
    ys_ballot_round round;
    ys_poll_state state;
    int meeting;
    char opened_at[32], closed_at[32];
    ys_nomination *nominees;
    size_t n_nominees, cap_nominees;
    int issued;               /* ballots issued: delegates present when it opened */
    int entitled;             /* delegates entitled when it opened: the base of its majority, which a
                                 mandate ended later does not change (verify recounts with it) */
    uint8_t *issued_to;       /* per delegate id - 1: 1 if issued a ballot */
    size_t issued_cap;
    uint8_t *voted;           /* per delegate id - 1 */
    size_t voted_cap;
    int returned;             /* delegates who turned in a ballot */
    int n_box;                /* ballots in the box */
    int64_t closed_seq;       /* the event that closed it */
    uint8_t box[YS_HASH_BYTES];
    ys_election *count;       /* the count in progress while open */
    json_t *result;           /* at close: the result as recorded in the log */
    char *result_text;        /* and its canonical text, made at close so that the state digest never
                                 allocates (it has no way to fail) */
    char *announcement;       /* once the presidium has announced it (粤规 Art. 42), else NULL */
    struct ys_vstate *v;      /* a verifiable election (vstate.h): its ballots encrypted to a key; else NULL */
};

/* ---- polls ---- */

typedef struct ys_poll_args {
    int item;                 /* agenda item of kind vote (表决), 0 for none */
    const char *title;
    ys_majority majority;
    ys_method method;
    bool named, changeable;
    int amends;               /* 0, or the poll this one amends; for the poll of an amendment (motion), 0 takes
                                 the poll of the motion it amends */
    int motion;               /* 0, or the motion placed on the agenda this vote decides: an amendment's poll
                                 amends its motion's, a recall's is anonymous and by a majority of all */
    int key;                  /* verifiable (docs/verifiable.md): anonymous at the terminals, encrypted to this
                                 key; 0 for the sealed box */
} ys_poll_args;

ys_rc ys_cmd_poll_create(const ys_session *s, const ys_ctx *c, const ys_poll_args *a, ys_events *out, ys_err *err);
/* Opens a poll at the current plenary; refused unless the meeting is quorate, no other vote is open,
 * and every amendment of it has been voted. */
ys_rc ys_cmd_poll_open(const ys_session *s, const ys_ctx *c, int poll, ys_events *out, ys_err *err);
/* A delegate's vote at a terminal: entitled, checked in, the poll open, once (or changed, if allowed). */
ys_rc ys_cmd_poll_vote(const ys_session *s, const ys_ctx *c, int poll, const char *code, ys_choice choice,
                       ys_events *out, ys_err *err);
/* A choice as a person writes it: yes, no, abstain, or 赞成, 反对, 弃权. Refused naming the word. */
ys_rc ys_choice_parse(const char *word, ys_choice *out, ys_err *err);
/* A choice as the log and the API write it ("yes"), and as a text in Chinese says it (赞成); "?" if unknown. */
const char *ys_choice_word(ys_choice c);
const char *ys_choice_zh(ys_choice c);
/* Totals counted by the tellers, for a show of hands or paper poll. They are entered once: entering
 * them again is refused unless it is a correction (`correct`) with its reason, which the log keeps
 * with the totals it replaces. */
typedef struct ys_totals_args {
    int yes, no, abstain;
    bool correct;
    const char *reason;       /* a correction's reason; NULL otherwise */
} ys_totals_args;
ys_rc ys_cmd_poll_totals(const ys_session *s, const ys_ctx *c, int poll, const ys_totals_args *a, ys_events *out,
                         ys_err *err);
/* A verifiable poll's ballot (as ys_cmd_election_cast): checked before, off the writer. */
typedef struct ys_vcast ys_vcast;
typedef struct ys_vvote ys_vvote;
ys_rc ys_cmd_poll_cast(const ys_session *s, const ys_ctx *c, int poll, const char *code, const json_t *ballot,
                       const ys_vcast *checked, ys_events *out, ys_err *err);
/* The context of an open verifiable poll, made anew for a caller's thread (free with ys_vvote_free). */
ys_rc ys_poll_vvote(const ys_session *s, int poll, ys_vvote **out, ys_err *err);
/* A trustee's partial decryptions of a closed verifiable poll's aggregate; the k-th brings the count. */
ys_rc ys_cmd_poll_decrypt(const ys_session *s, const ys_ctx *c, int poll, const char *login, const json_t *partials,
                          ys_events *out, ys_err *err);
/* What the trustees decrypt: [ { "label", "ct" } ]. */
json_t *ys_poll_to_decrypt(const ys_session *s, int poll, ys_err *err);
/* What anyone checks a closed verifiable poll's count by, counted or not: as ys_election_tally, for its one
 * aggregate (tally/1). */
json_t *ys_poll_tally(const ys_session *s, int poll, ys_err *err);
/* Closes and counts: present is who is checked in now; the result follows the rule set. A verifiable
 * poll's close records the turnout and the aggregate; its count comes with the trustees' decryptions. */
ys_rc ys_cmd_poll_close(const ys_session *s, const ys_ctx *c, int poll, ys_events *out, ys_err *err);

/* The chair announces a closed poll's result (「表决结果由会议主持人当场宣布」): the text is logged. */
ys_rc ys_cmd_poll_announce(const ys_session *s, const ys_ctx *c, int poll, ys_events *out, ys_err *err);

const ys_poll *ys_poll_get(const ys_session *s, int id);
/* The chair's announcement of a closed poll; see ys_vote_announcement. */
size_t ys_poll_announcement(const ys_poll *p, char *buf, size_t cap);

/* How far a vote has got, as the chair's console shows it: of the `entitled`, those `present` for it
 * (checked in, or already voted: who was here when they voted counts as here) and the rest `absent`; of
 * those present, who has `voted` and who has `not_voted` (未按表决器). While the vote is open it is the
 * state now; once closed, what the close recorded. Never any choice. */
typedef struct ys_turnout {
    int entitled, present, absent, voted, not_voted;
} ys_turnout;

/* Where one delegate stands in a vote: the same split as ys_turnout's. */
typedef enum ys_voter_state { YS_VOTER_ABSENT, YS_VOTER_NOT_VOTED, YS_VOTER_VOTED } ys_voter_state;

/* The turnout of a poll voted at the terminals, once it has been opened at a meeting: YS_STATE naming
 * the poll before it is opened, or when it is voted by show of hands or on paper (no one votes at a
 * terminal, so no one is known to have voted). */
ys_rc ys_poll_turnout(const ys_session *s, const ys_poll *p, ys_turnout *out, ys_err *err);
/* Where delegate `id` stands in poll p (opened): voted, present and not voted, or absent. */
ys_voter_state ys_poll_voter(const ys_session *s, const ys_poll *p, int id);

/* ---- elections ---- */

typedef struct ys_election_args {
    int item;
    ys_election_kind kind;
    const char *office;
    int seats;
    int office_seats;         /* preliminary only */
    bool by_election;
    int key;                  /* verifiable (docs/verifiable.md): the key its ballots are encrypted to; 0: the box */
} ys_election_args;

ys_rc ys_cmd_election_create(const ys_session *s, const ys_ctx *c, const ys_election_args *a, ys_events *out,
                             ys_err *err);
/* A nomination by the presidium (codes NULL) or by co-signing delegates (Art. 26): enough of them
 * under the rule set, and no nominator putting up more names than seats. */
/* How many names one nominator may put up in the election (Art. 26: 「不得超过应选名额」), and how many a
 * delegate has co-signed in it. */
int ys_election_nomination_limit(const ys_session_election *el);
int ys_election_cosigned_by(const ys_session_election *el, const char *code);
ys_rc ys_cmd_election_nominate(const ys_session *s, const ys_ctx *c, int election, const char *name,
                               const char *const *codes, size_t n_codes, ys_events *out, ys_err *err);
/* Opens the ballot: quorate meeting, the list inside the office's ratio (else a preliminary is due). */
ys_rc ys_cmd_election_open(const ys_session *s, const ys_ctx *c, int election, ys_events *out, ys_err *err);
/* A secret ballot: logs that `code` voted; the marks go sealed into the ballot box. */
ys_rc ys_cmd_election_vote(const ys_session *s, const ys_ctx *c, int election, const char *code,
                           const ys_ballot *ballot, ys_events *out, ys_err *err);
ys_rc ys_cmd_election_close(const ys_session *s, const ys_ctx *c, int election, ys_events *out, ys_err *err);

/* A verifiable election's ballot, cast from the delegate's terminal: `checked` is what ys_vballot_check made
 * of `ballot` for this delegate against the election's context (done before, off the writer: it costs
 * milliseconds); here the delegate's right to vote now and that no α of it was cast before. */
typedef struct ys_vcast ys_vcast;
ys_rc ys_cmd_election_cast(const ys_session *s, const ys_ctx *c, int election, const char *code, const json_t *ballot,
                           const ys_vcast *checked, ys_events *out, ys_err *err);
/* The context a verifiable election was opened with, made anew for a caller that checks ballots on a thread
 * of its own (the caller frees it with ys_vvote_free). */
typedef struct ys_vvote ys_vvote;
ys_rc ys_election_vvote(const ys_session *s, int election, ys_vvote **out, ys_err *err);
/* A trustee's partial decryptions of a closed verifiable election's aggregates (docs/verifiable.md §8),
 * checked; the k-th also brings the count (election.count), unless names were written in, which wait for
 * the shuffle. */
ys_rc ys_cmd_election_decrypt(const ys_session *s, const ys_ctx *c, int election, const char *login,
                              const json_t *partials, ys_events *out, ys_err *err);
/* What the trustees decrypt now: [ { "label", "ct" } ]: the aggregates of a closed verifiable election, then,
 * when names were written in and the shuffles are made, each shuffled tuple's count (mix/i), then the blocks
 * of the tuples that hold names (block/i/p). YS_STATE while the shuffles are awaited. */
json_t *ys_election_to_decrypt(const ys_session *s, int election, ys_err *err);
/* The write-ins' shuffles (docs/verifiable.md §9): after the aggregates' decryption says names were written in,
 * k trustees of the key, each a different one, shuffle the tuples (U, D₁ … D_P) in turn. What trustee `login`
 * needs for the next: { "election", "m", "k", "trustee" (its index), "Q", "K" (base64), "input" ([[ct, …], …]:
 * the cast ballots' tuples in cast order for m = 1, else shuffle m − 1's output) }. Refused as the command
 * would refuse the shuffle. */
json_t *ys_election_to_shuffle(const ys_session *s, int election, const char *login, ys_err *err);
/* A shuffle's proof is checked away from the writer (4.6 s for 3,000 ballots of 25 names' room): begun under
 * the read lock (what the command would refuse is refused here; the context and a reference to the input are
 * kept), checked with no lock held, then handed to the command with the same output and proof. */
typedef struct ys_vshuffle ys_vshuffle;
ys_rc ys_election_shuffle_begin(const ys_session *s, int election, const char *login, int m, ys_vshuffle **out,
                                ys_err *err);
ys_rc ys_vshuffle_check(ys_vshuffle *sh, const json_t *output, const json_t *proof, ys_err *err);
void ys_vshuffle_free(ys_vshuffle *sh);
/* The check itself: shuffle m, its output and proof (as the event holds them), against `input` under the
 * vote's K and Q. What the server, the verifier and a trustee (ys_vboard_shuffle) each run. */
ys_rc ys_vshuffle_verify(const ys_vvote *vote, int m, const json_t *input, const json_t *output, const json_t *proof,
                         ys_err *err);
/* Trustee `login`'s shuffle m: its `output` tuples and its `proof` { c, c_hat, t, s } (§9's JSON less the
 * output). Refused: the election not waiting for shuffles, login no trustee of its key or one who has shuffled,
 * m not the next, a proof that does not hold (checked here when `checked` is NULL; else `checked` must be the
 * check of this output and proof for this shuffle). Logged as election.shuffle {election, trustee, m, output,
 * proof}; a replay does not check the proof again (yishi verify does). */
ys_rc ys_cmd_election_shuffle(const ys_session *s, const ys_ctx *c, int election, const char *login, int m,
                              const json_t *output, const json_t *proof, const ys_vshuffle *checked, ys_events *out,
                              ys_err *err);
/* What anyone checks a closed verifiable election's count by, counted or not: { "Q", "ciphertexts" (as
 * ys_election_to_decrypt), "partials": [ { "trustee": j, "partial": [ … ] } ] of those who have decrypted,
 * "counted" }. */
json_t *ys_election_tally(const ys_session *s, int election, ys_err *err);
/* After a count with ties or unfilled seats: a new vote among the tied, or a further round (另行选举)
 * with the not-elected in order of first-round votes at the office's ratio. After a preliminary (预选):
 * the election itself, its candidates the formal list in order of preliminary votes. */
ys_rc ys_cmd_election_next_round(const ys_session *s, const ys_ctx *c, int election, bool runoff,
                                 ys_events *out, ys_err *err);

/* The presidium announces a closed election's result; the text (ys_election_announcement) is logged. */
ys_rc ys_cmd_election_announce(const ys_session *s, const ys_ctx *c, int election, ys_events *out, ys_err *err);
/* The announcement of a closed election in the form secretariats read out: turnout, ballots issued,
 * returned, valid and void, validity, and each one elected with their votes. Like snprintf. */
size_t ys_election_announcement(const ys_session *s, const ys_session_election *el, char *buf, size_t cap);

const ys_session_election *ys_session_election_get(const ys_session *s, int id);
/* The turnout of an election once opened: the ballots issued are those present, the ballots returned
 * those who voted; YS_STATE naming the election before it is opened. */
ys_rc ys_election_turnout(const ys_session_election *el, ys_turnout *out, ys_err *err);

/* The office an election fills, as the rule set names it (县长), for what people read; the key if the
 * rule set has no such office. */
const char *ys_election_office_name(const ys_session *s, const ys_session_election *el);

/* The result of a count as JSON, in the shape `yishi count` prints (docs/count.md). */
json_t *ys_election_result_json(const ys_election_result *res);

/* ---- the sealed ballots (journal and verify) ---- */

/* Adds a sealed ballot to the running count of its open poll or election; `id` is the ballot's
 * random id in the box, which goes into the box's multiset hash. */
ys_rc ys_session_apply_sealed(ys_session *s, const ys_event *sealed, ys_err *err);
/* Adds H(id ‖ content) to a multiset hash (sum mod 2^256): the same ballots give the same hash in
 * any order. */
void ys_box_hash_add(uint8_t box[YS_HASH_BYTES], const uint8_t id[YS_HASH_BYTES], const char *content);

/* Recounting every closed anonymous poll and election from its ballot box, as verify does: feed each
 * sealed ballot of the file (any order), then check. A mismatch names the close event. */
typedef struct ys_recount ys_recount;
ys_rc ys_recount_new(const ys_session *s, ys_recount **out, ys_err *err);
ys_rc ys_recount_add(ys_recount *r, const ys_event *sealed, ys_err *err);
/* YS_OK when every recount matches; else YS_CORRUPT with *bad_seq the close event that differs. */
ys_rc ys_recount_check(ys_recount *r, int64_t *bad_seq, ys_err *err);
void ys_recount_free(ys_recount *r);

#endif
