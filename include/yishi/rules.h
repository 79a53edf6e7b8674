/* rules.h — a rule set: every number the statute fixes for one level of congress (quorum,
 * adoption, co-signatures, competitive ratios, methods), each with the article it comes from.
 * Rule sets are data files under rules/; this is their parsed form and the law's arithmetic on it. */
#ifndef YISHI_RULES_H
#define YISHI_RULES_H

#include "yishi/diag.h"
#include "yishi/error.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

/* How a share is compared, in the law's own words:
 * 「以上」 includes the number (n/base >= num/den); 「过半数」「超过」 exclude it (n/base > num/den). */
typedef enum ys_cmp { YS_CMP_AT_LEAST, YS_CMP_MORE_THAN } ys_cmp;

/* What a share is taken of. The law's default is all delegates (全体代表). */
typedef enum ys_base { YS_BASE_ALL, YS_BASE_PRESENT, YS_BASE_MEMBERS } ys_base;

/* Room for a citation and the quoted clause: 「…」 in UTF-8 takes three bytes a character, and the
 * longer clauses (选举法第三十一条) run past a hundred characters. Longer quotes are refused, never cut. */
#define YS_ARTICLE_MAX 384

/* One threshold: either an absolute count (「十人以上」: count = 10, at least) or a share of a
 * base (「三分之二以上」: 2/3 at least of all). Integers only: never a float near the law. */
typedef struct ys_threshold {
    bool defined;       /* false: this rule set has no such rule */
    int count;          /* absolute minimum, used when den == 0 */
    int num, den;       /* share of the base */
    ys_cmp cmp;
    ys_base base;
    int delegations;    /* or this many delegations instead (NPC: 「一个代表团」, 「三个以上的代表团」); 0: no such route */
    char article[YS_ARTICLE_MAX];
} ys_threshold;

/* Smallest n that meets t out of `base` (for a count rule: the count). Returns -1 if t is not defined.
 * The answer may exceed `base`: then the rule cannot be met (「过半数」 of 0). */
int ys_threshold_min(const ys_threshold *t, int base);
/* Whether n out of `base` meets t: compares with integer cross-multiplication, no division.
 * A rule the set does not define is never met: a caller with an optional condition (turnout)
 * checks t->defined first. */
bool ys_threshold_met(const ys_threshold *t, int n, int base);

/* How many candidates above the seats an office's list may carry: a count ("1") or a share of the
 * seats rounded the way that keeps the list inside the law's range ("1/10 ceil", "1/5 floor"). */
typedef enum ys_round { YS_ROUND_EXACT, YS_ROUND_CEIL, YS_ROUND_FLOOR } ys_round;
typedef struct ys_extra {
    int count;          /* used when den == 0 */
    int num, den;
    ys_round round;     /* a share read from a file always says ceil or floor; EXACT rounds down */
    bool open;          /* "open": the statute sets no bound (NPC); the session's 选举办法 does */
} ys_extra;

/* The number of extra candidates for `seats`, or -1 when e is open (no bound). */
int ys_extra_of(const ys_extra *e, int seats);

#define YS_OFFICE_KEY_MAX 32
typedef struct ys_office {
    char key[YS_OFFICE_KEY_MAX];  /* "governor", "vice_governor", "sc_member", "npc_deputy" … */
    char name[96];                /* 省长 */
    ys_extra extra_min, extra_max;
    bool uncontested_single;      /* one nominee only: may be elected uncontested (等额) */
    bool further_contested;       /* a further round (另行选举) is contested at the same ratio */
    int further_single;           /* a contested further round for one seat has exactly this many
                                   * candidates (选举法第四十五条「如果只选一人，候选人应为二人」); 0: none */
    ys_threshold nomination;      /* co-signers for a nomination to this office when it differs from the
                                   * set's (deputies: 选举法第三十条, 十人以上); !defined: use the set's */
    char article[YS_ARTICLE_MAX];
} ys_office;

/* The range of candidates allowed for `seats` of an office, first round or by-election. */
typedef struct ys_candidate_range {
    int min, max;
} ys_candidate_range;

typedef enum ys_method {
    YS_METHOD_TERMINAL = 1 << 0,      /* 按表决器 */
    YS_METHOD_SHOW_OF_HANDS = 1 << 1, /* 举手 */
    YS_METHOD_PAPER = 1 << 2,         /* 投票（纸质表决票） */
    YS_METHOD_SECRET_BALLOT = 1 << 3, /* 无记名投票 */
} ys_method;

typedef struct ys_rules {
    char id[48];          /* "prc-provincial" */
    char level[24];       /* "npc", "provincial", "municipal", "county", "township" */
    char name[128];       /* 省级人民代表大会 */
    char statute[192];    /* the law the numbers come from */

    ys_threshold quorum;             /* meeting may be held: 2/3 at least of all */
    ys_threshold extra_session;      /* request for an extra session: 1/5 at least */
    ys_threshold adoption;           /* resolutions: more than 1/2 of all */
    ys_threshold constitutional;     /* constitutional amendment (NPC): 2/3 at least of all */
    ys_threshold turnout;            /* optional: a vote is valid only if this many took part (粤规 Art. 60) */
    ys_threshold election;           /* elected: more than 1/2 of all */
    ys_threshold motion;             /* co-signers for a motion: 10 */
    ys_threshold amendment;          /* co-signers for a written amendment: 10 */
    ys_threshold inquiry;            /* co-signers for an inquiry: 10 */
    ys_threshold recall;             /* co-signers for a recall: 1/10 of all */
    ys_threshold nomination;         /* co-signers for a nomination: 30 / 20 / 10 */
    ys_threshold delegation_motion;  /* NPC: a delegation's own motion, more than 1/2 of its members */
    ys_threshold presidium_quorum;   /* presidium meets with 2/3 of its members */
    ys_threshold presidium_adoption; /* presidium decides by more than 1/2 of its members */

    unsigned resolution_methods;     /* ys_method bits allowed for votes on questions */
    unsigned election_methods;       /* ys_method bits allowed for elections */
    unsigned constitutional_methods; /* ys_method bits for a constitutional amendment (NPC); 0 if none */
    char methods_article[YS_ARTICLE_MAX];

    bool by_election_uncontested;    /* 补选: candidates may equal seats (Art. 30) */
    bool by_election_open;           /* 补选: no upper bound on candidates (Art. 30 sets none); false:
                                      * the office's first-round maximum, and never below seats + 1 */
    char by_election_article[YS_ARTICLE_MAX];

    ys_office *offices;
    size_t n_offices;

    char *source;        /* the file's exact text, recorded in the session log at init */
    size_t source_len;
} ys_rules;

/* Parses a rule file. On success *out is a new rule set the caller frees with ys_rules_free().
 * On failure returns YS_RULES with every problem (and its line) in `diags`, and *out is NULL. */
ys_rc ys_rules_parse(const char *text, size_t len, ys_rules **out, ys_diags *diags);
void ys_rules_free(ys_rules *r);

const ys_office *ys_rules_office(const ys_rules *r, const char *key); /* NULL if unknown */
/* A threshold by the name of its section in the rule file ("quorum", "motion", "recall" …); NULL if there
 * is no such kind of rule. A rule set without that rule gives a threshold whose `defined` is false. */
const ys_threshold *ys_rules_threshold(const ys_rules *r, const char *name);
/* The co-signature rule for nominating to `o`: the office's own, else the rule set's. */
const ys_threshold *ys_office_nomination(const ys_rules *r, const ys_office *o);

/* Candidates allowed for `seats` seats of `office`. A by-election may also be uncontested when the
 * rule set allows it. Returns min > max when no list can satisfy the law for that many seats (three
 * seats at 「十分之一至五分之一」: one extra is already a third). max is INT_MAX when nothing bounds it.
 * One seat of an office marked `uncontested = single` allows one candidate (Art. 27: 「如果提名的候选人
 * 只有一人，也可以等额选举」). */
ys_candidate_range ys_office_range(const ys_rules *r, const ys_office *o, int seats, bool by_election);
/* The range for a further round (另行选举) of `seats` unfilled seats: the first-round ratio when the
 * office's further round is contested (Art. 29 ¶3), else from seats (uncontested) to the first-round
 * maximum (Art. 29 ¶2 sets no ratio). */
ys_candidate_range ys_office_further_range(const ys_rules *r, const ys_office *o, int seats);

/* Words used in rule files and reports: "terminal", "at_least", "all", "provincial". */
const char *ys_method_word(ys_method m);
ys_method ys_method_parse(const char *word); /* 0 if unknown */
const char *ys_cmp_word(ys_cmp c);
const char *ys_base_word(ys_base b);
/* True if `level` is one of npc, provincial, municipal, county, township. */
bool ys_rules_level_valid(const char *level);

#endif
