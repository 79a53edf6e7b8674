/* rules.c — reads a rule file (INI-like, UTF-8, every number citing its article) into a ys_rules,
 * refusing it with every problem and its line, and does the statute's arithmetic on thresholds and ratios. */
#include "yishi/rules.h"

#include "yishi/alloc.h"
#include "yishi/utf8.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---- The law's arithmetic ---- */

int ys_threshold_min(const ys_threshold *t, int base)
{
    if (!t || !t->defined)
        return -1;
    if (t->den == 0)
        return t->count;
    if (base < 0)
        base = 0;
    /* 「以上」: smallest n with n*den >= num*base; 「过半数」: smallest n with n*den > num*base. */
    long long prod = (long long)t->num * base;
    long long n = t->cmp == YS_CMP_AT_LEAST ? (prod + t->den - 1) / t->den : prod / t->den + 1;
    return n > INT_MAX ? INT_MAX : (int)n;
}

bool ys_threshold_met(const ys_threshold *t, int n, int base)
{
    if (!t || !t->defined)
        return false;
    if (t->den == 0)
        return n >= t->count;
    long long lhs = (long long)n * t->den, rhs = (long long)t->num * (base < 0 ? 0 : base);
    return t->cmp == YS_CMP_AT_LEAST ? lhs >= rhs : lhs > rhs;
}

int ys_extra_of(const ys_extra *e, int seats)
{
    if (e->open)
        return -1;
    if (e->den == 0)
        return e->count;
    if (seats < 0)
        seats = 0;
    long long prod = (long long)e->num * seats;
    long long n = e->round == YS_ROUND_CEIL ? (prod + e->den - 1) / e->den : prod / e->den;
    return n > INT_MAX ? INT_MAX : (int)n;
}

/* seats + extra, where -1 means unbounded; saturates instead of overflowing. */
static int plus_extra(int seats, int extra)
{
    if (extra < 0 || extra > INT_MAX - seats)
        return INT_MAX;
    return seats + extra;
}

static ys_candidate_range ratio_range(const ys_office *o, int seats)
{
    ys_candidate_range c = {plus_extra(seats, ys_extra_of(&o->extra_min, seats)),
                            plus_extra(seats, ys_extra_of(&o->extra_max, seats))};
    return c;
}

ys_candidate_range ys_office_range(const ys_rules *r, const ys_office *o, int seats, bool by_election)
{
    ys_candidate_range none = {1, 0};
    if (!o || seats < 1)
        return none;
    ys_candidate_range c = ratio_range(o, seats);
    if (o->uncontested_single && seats == 1)
        c.min = seats;
    if (by_election && r) {
        /* Art. 30: 「候选人数可以多于应选人数，也可以同应选人数相等」 — a by-election may always be
         * contested, so its maximum never falls below seats + 1. */
        if (r->by_election_uncontested)
            c.min = seats;
        if (r->by_election_open)
            c.max = INT_MAX;
        else if (c.max < plus_extra(seats, 1))
            c.max = plus_extra(seats, 1);
    }
    return c;
}

ys_candidate_range ys_office_further_range(const ys_rules *r, const ys_office *o, int seats)
{
    (void)r;
    ys_candidate_range none = {1, 0};
    if (!o || seats < 1)
        return none;
    if (o->further_contested && seats == 1 && o->further_single > 0) {
        ys_candidate_range one = {o->further_single, o->further_single};
        return one;
    }
    ys_candidate_range c = ratio_range(o, seats);
    if (!o->further_contested)
        c.min = seats;
    return c;
}

const ys_office *ys_rules_office(const ys_rules *r, const char *key)
{
    if (!r || !key)
        return NULL;
    for (size_t i = 0; i < r->n_offices; i++)
        if (strcmp(r->offices[i].key, key) == 0)
            return &r->offices[i];
    return NULL;
}

const ys_threshold *ys_office_nomination(const ys_rules *r, const ys_office *o)
{
    if (o && o->nomination.defined)
        return &o->nomination;
    return &r->nomination;
}

void ys_rules_free(ys_rules *r)
{
    if (!r)
        return;
    ys_free(r->offices);
    ys_free(r->source);
    ys_free(r);
}

/* ---- Words ---- */

static const struct {
    ys_method m;
    const char *word;
} method_words[] = {
    {YS_METHOD_TERMINAL, "terminal"},
    {YS_METHOD_SHOW_OF_HANDS, "show_of_hands"},
    {YS_METHOD_PAPER, "paper"},
    {YS_METHOD_SECRET_BALLOT, "secret_ballot"},
};

const char *ys_method_word(ys_method m)
{
    for (size_t i = 0; i < sizeof method_words / sizeof method_words[0]; i++)
        if (method_words[i].m == m)
            return method_words[i].word;
    return "?";
}

ys_method ys_method_parse(const char *word)
{
    for (size_t i = 0; word && i < sizeof method_words / sizeof method_words[0]; i++)
        if (strcmp(word, method_words[i].word) == 0)
            return method_words[i].m;
    return 0;
}

const char *ys_cmp_word(ys_cmp c) { return c == YS_CMP_AT_LEAST ? "at_least" : "more_than"; }

static const char *const base_words[] = {"all", "present", "members"};

const char *ys_base_word(ys_base b) { return (unsigned)b < 3 ? base_words[b] : "?"; }

static const char *const levels[] = {"npc", "provincial", "municipal", "county", "township"};

bool ys_rules_level_valid(const char *level)
{
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
        if (level && strcmp(level, levels[i]) == 0)
            return true;
    return false;
}

/* ---- Reading a rule file ----
 * One pass over the lines. A section's keys are applied as they come; when the next header (or the
 * end) closes the section, its required keys and combinations are checked and reported at the line of
 * its header. Nothing stops at the first problem: the file is refused with all of them. */

#define RULES_FILE_MAX (1 << 20) /* a rule set is a page of text; anything larger is not one */
#define RULES_LINE_MAX 2048
#define RULES_NUM_MAX 100000     /* keeps every cross-multiplication far inside 64 bits */
#define RULES_OFFICES_MAX 256

typedef enum sec_kind {
    SEC_NONE,       /* before the first header */
    SEC_SKIP,       /* unknown or malformed header: its keys are not checked */
    SEC_RULES,
    SEC_THRESHOLD,
    SEC_METHODS,
    SEC_BY_ELECTION,
    SEC_OFFICE,
} sec_kind;

static const struct section_def {
    const char *name;
    sec_kind kind;
    size_t offset;  /* for a threshold: where it lives in ys_rules */
    bool required;
} section_defs[] = {
    {"rules", SEC_RULES, 0, true},
    {"quorum", SEC_THRESHOLD, offsetof(ys_rules, quorum), true},
    {"extra_session", SEC_THRESHOLD, offsetof(ys_rules, extra_session), true},
    {"adoption", SEC_THRESHOLD, offsetof(ys_rules, adoption), true},
    {"constitutional", SEC_THRESHOLD, offsetof(ys_rules, constitutional), false},
    {"turnout", SEC_THRESHOLD, offsetof(ys_rules, turnout), false},
    {"election", SEC_THRESHOLD, offsetof(ys_rules, election), true},
    {"motion", SEC_THRESHOLD, offsetof(ys_rules, motion), true},
    {"amendment", SEC_THRESHOLD, offsetof(ys_rules, amendment), false},
    {"inquiry", SEC_THRESHOLD, offsetof(ys_rules, inquiry), true},
    {"recall", SEC_THRESHOLD, offsetof(ys_rules, recall), true},
    {"nomination", SEC_THRESHOLD, offsetof(ys_rules, nomination), false},
    {"delegation_motion", SEC_THRESHOLD, offsetof(ys_rules, delegation_motion), false},
    {"presidium_quorum", SEC_THRESHOLD, offsetof(ys_rules, presidium_quorum), false},
    {"presidium_adoption", SEC_THRESHOLD, offsetof(ys_rules, presidium_adoption), false},
    {"methods", SEC_METHODS, 0, true},
    {"by_election", SEC_BY_ELECTION, 0, true},
};
#define N_SECTION_DEFS (sizeof section_defs / sizeof section_defs[0])

/* The keys of each kind of section; a key's index is its bit in parser.seen. */
enum { R_ID, R_LEVEL, R_NAME, R_STATUTE };
static const char *const rules_keys[] = {"id", "level", "name", "statute", NULL};
enum { T_SHARE, T_COUNT, T_BASE, T_DELEGATIONS, T_ARTICLE };
static const char *const threshold_keys[] = {"share", "count", "base", "delegations", "article", NULL};
enum { M_RESOLUTION, M_ELECTION, M_CONSTITUTIONAL, M_ARTICLE };
static const char *const methods_keys[] = {"resolution", "election", "constitutional", "article", NULL};
enum { B_UNCONTESTED, B_MAX, B_ARTICLE };
static const char *const by_election_keys[] = {"uncontested", "max", "article", NULL};
enum { O_NAME, O_EXTRA_MIN, O_EXTRA_MAX, O_UNCONTESTED, O_FURTHER_ROUND, O_FURTHER_SINGLE,
       O_NOMINATION, O_NOMINATION_ARTICLE, O_ARTICLE };
static const char *const office_keys[] = {"name", "extra_min", "extra_max", "uncontested",
                                          "further_round", "further_single", "nomination",
                                          "nomination_article", "article", NULL};
#define KEYS_MAX 16

#define BIT(k) (1u << (k))

typedef struct parser {
    ys_rules *r;
    ys_diags *diags;    /* may be NULL: problems are then only counted */
    size_t errors;
    bool nomem;
    int line;

    /* the open section */
    sec_kind kind;
    char sec[64];       /* its name as written, for messages */
    int sec_line;
    const char *const *keys;
    unsigned seen;
    int key_line[KEYS_MAX];
    ys_threshold *thr;
    ys_office *office;
    bool extra_ok[2];   /* extra_min, extra_max parsed well enough to compare */

    int def_line[N_SECTION_DEFS]; /* header line of each fixed section, 0 if not seen */
    int office_line[RULES_OFFICES_MAX];
    size_t office_cap;
    ys_office scratch;  /* a duplicate office is read here, checked, and dropped */
} parser;

static void bad(parser *p, int line, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void bad(parser *p, int line, const char *field, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    p->errors++;
    if (p->diags)
        ys_diags_add(p->diags, line, field, "%s", msg);
}

/* ---- Values ---- */

static bool parse_int(const char *s, int max, int *out)
{
    long v = 0;
    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (*s - '0');
        if (v > max)
            return false;
    }
    *out = (int)v;
    return true;
}

/* Splits s in place at spaces and tabs; returns the number of words (at most max, plus one if more). */
static size_t split_words(char *s, char **w, size_t max)
{
    size_t n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(s, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
        if (n == max)
            return max + 1;
        w[n++] = tok;
    }
    return n;
}

/* "N/D" with both parts plain integers; the sense of the numbers is checked by check_fraction. */
static bool parse_fraction(char *s, int *num, int *den)
{
    char *slash = strchr(s, '/');
    if (!slash)
        return false;
    *slash = '\0';
    return parse_int(s, RULES_NUM_MAX, num) && parse_int(slash + 1, RULES_NUM_MAX, den);
}

static bool check_fraction(parser *p, const char *key, int num, int den)
{
    if (den == 0) {
        bad(p, p->line, key, "the denominator is 0");
        return false;
    }
    if (num == 0) {
        bad(p, p->line, key, "a share of 0/%d is no rule", den);
        return false;
    }
    if (num > den) {
        bad(p, p->line, key, "%d/%d is more than the whole", num, den);
        return false;
    }
    return true;
}

static void parse_share(parser *p, const char *v, ys_threshold *t)
{
    char buf[RULES_LINE_MAX];
    char *w[3];
    snprintf(buf, sizeof buf, "%s", v);
    size_t n = split_words(buf, w, 2);
    int num = 0, den = 0;
    if (n != 2 || !parse_fraction(w[0], &num, &den)) {
        bad(p, p->line, "share", "malformed share '%s': write N/D at_least or N/D more_than", v);
        return;
    }
    if (strcmp(w[1], "at_least") == 0)
        t->cmp = YS_CMP_AT_LEAST;
    else if (strcmp(w[1], "more_than") == 0)
        t->cmp = YS_CMP_MORE_THAN;
    else {
        bad(p, p->line, "share", "'%s' is neither at_least (以上) nor more_than (过半数, 超过)", w[1]);
        return;
    }
    if (!check_fraction(p, "share", num, den))
        return;
    if (num == den && t->cmp == YS_CMP_MORE_THAN) {
        bad(p, p->line, "share", "more than %d/%d can never be met", num, den);
        return;
    }
    t->num = num;
    t->den = den;
}

/* An office's extra candidates: a count ("1"), a share of the seats that says how it rounds
 * ("1/10 ceil"), or, for a maximum only, "open". */
static bool parse_extra(parser *p, const char *key, const char *v, ys_extra *e, bool may_be_open)
{
    char buf[RULES_LINE_MAX];
    char *w[3];
    snprintf(buf, sizeof buf, "%s", v);
    size_t n = split_words(buf, w, 2);
    memset(e, 0, sizeof *e);
    if (n == 1 && may_be_open && strcmp(w[0], "open") == 0) {
        e->open = true;
        return true;
    }
    if (n == 1 && parse_int(w[0], RULES_NUM_MAX, &e->count))
        return true;
    if (n == 1 && strchr(w[0], '/')) {
        bad(p, p->line, key, "'%s': a share of the seats must say how it rounds: ceil or floor", v);
        return false;
    }
    if (n != 2 || !parse_fraction(w[0], &e->num, &e->den)) {
        bad(p, p->line, key, "malformed '%s': write a count (1), a share with rounding (1/10 ceil)%s", v,
            may_be_open ? " or open" : "");
        return false;
    }
    if (strcmp(w[1], "ceil") == 0)
        e->round = YS_ROUND_CEIL;
    else if (strcmp(w[1], "floor") == 0)
        e->round = YS_ROUND_FLOOR;
    else {
        bad(p, p->line, key, "'%s' is neither ceil nor floor", w[1]);
        return false;
    }
    return check_fraction(p, key, e->num, e->den);
}

static bool parse_methods(parser *p, const char *key, const char *v, unsigned *out)
{
    char buf[RULES_LINE_MAX];
    snprintf(buf, sizeof buf, "%s", v);
    unsigned bits = 0;
    bool ok = true;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        tok += strspn(tok, " \t");
        size_t len = strcspn(tok, " \t");
        if (tok[len + strspn(tok + len, " \t")] != '\0')
            len = strlen(tok); /* words separated by spaces but no comma: report them whole */
        tok[len] = '\0';
        unsigned bit = (unsigned)ys_method_parse(tok);
        if (!bit) {
            bad(p, p->line, key, "unknown method '%s' (known: terminal, show_of_hands, paper, secret_ballot)",
                tok);
            ok = false;
        }
        bits |= bit;
    }
    if (ok && !bits) {
        bad(p, p->line, key, "no method listed");
        ok = false;
    }
    *out = bits;
    return ok;
}

/* Copies a text value that must fit its field; a value is refused rather than cut mid-character. */
static void set_text(parser *p, const char *key, char *dst, size_t cap, const char *v)
{
    size_t len = strlen(v);
    if (len >= cap) {
        bad(p, p->line, key, "too long: %zu bytes, at most %zu", len, cap - 1);
        return;
    }
    memcpy(dst, v, len + 1);
}

static bool word_is(const char *v, const char *a) { return strcmp(v, a) == 0; }

static void bad_word(parser *p, const char *key, const char *v, const char *choices)
{
    bad(p, p->line, key, "'%s' is not one of: %s", v, choices);
}

/* ---- Keys of each section ---- */

static void rules_key(parser *p, int k, const char *key, const char *v)
{
    ys_rules *r = p->r;
    if (k == R_ID) {
        if (strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(v))
            bad(p, p->line, key, "'%s': an id is lowercase letters, digits and -", v);
        else
            set_text(p, key, r->id, sizeof r->id, v);
    } else if (k == R_LEVEL) {
        if (!ys_rules_level_valid(v))
            bad_word(p, key, v, "npc, provincial, municipal, county, township");
        else
            set_text(p, key, r->level, sizeof r->level, v);
    } else if (k == R_NAME) {
        set_text(p, key, r->name, sizeof r->name, v);
    } else {
        set_text(p, key, r->statute, sizeof r->statute, v);
    }
}

static void threshold_key(parser *p, int k, const char *key, const char *v, ys_threshold *t)
{
    if (k == T_SHARE) {
        parse_share(p, v, t);
    } else if (k == T_COUNT) {
        if (!parse_int(v, RULES_NUM_MAX, &t->count) || t->count < 1)
            bad(p, p->line, key, "'%s': a count is a whole number from 1 to %d", v, RULES_NUM_MAX);
    } else if (k == T_BASE) {
        if (word_is(v, "all"))
            t->base = YS_BASE_ALL;
        else if (word_is(v, "present"))
            t->base = YS_BASE_PRESENT;
        else if (word_is(v, "members"))
            t->base = YS_BASE_MEMBERS;
        else
            bad_word(p, key, v, "all, present, members");
    } else if (k == T_DELEGATIONS) {
        if (!parse_int(v, RULES_NUM_MAX, &t->delegations) || t->delegations < 1)
            bad(p, p->line, key, "'%s': a number of delegations is a whole number from 1", v);
    } else {
        set_text(p, key, t->article, sizeof t->article, v);
    }
}

static void methods_key(parser *p, int k, const char *key, const char *v)
{
    ys_rules *r = p->r;
    if (k == M_RESOLUTION)
        parse_methods(p, key, v, &r->resolution_methods);
    else if (k == M_ELECTION)
        parse_methods(p, key, v, &r->election_methods);
    else if (k == M_CONSTITUTIONAL)
        parse_methods(p, key, v, &r->constitutional_methods);
    else
        set_text(p, key, r->methods_article, sizeof r->methods_article, v);
}

static void by_election_key(parser *p, int k, const char *key, const char *v)
{
    ys_rules *r = p->r;
    if (k == B_UNCONTESTED) {
        if (word_is(v, "yes") || word_is(v, "no"))
            r->by_election_uncontested = word_is(v, "yes");
        else
            bad_word(p, key, v, "yes, no");
    } else if (k == B_MAX) {
        if (word_is(v, "open") || word_is(v, "ratio"))
            r->by_election_open = word_is(v, "open");
        else
            bad_word(p, key, v, "open, ratio");
    } else {
        set_text(p, key, r->by_election_article, sizeof r->by_election_article, v);
    }
}

static void office_key(parser *p, int k, const char *key, const char *v)
{
    ys_office *o = p->office;
    if (k == O_NAME) {
        set_text(p, key, o->name, sizeof o->name, v);
    } else if (k == O_EXTRA_MIN || k == O_EXTRA_MAX) {
        ys_extra *e = k == O_EXTRA_MIN ? &o->extra_min : &o->extra_max;
        p->extra_ok[k == O_EXTRA_MAX] = parse_extra(p, key, v, e, k == O_EXTRA_MAX);
    } else if (k == O_UNCONTESTED) {
        if (word_is(v, "single"))
            o->uncontested_single = true;
        else
            bad_word(p, key, v, "single");
    } else if (k == O_FURTHER_ROUND) {
        if (word_is(v, "contested") || word_is(v, "any"))
            o->further_contested = word_is(v, "contested");
        else
            bad_word(p, key, v, "contested, any");
    } else if (k == O_FURTHER_SINGLE) {
        if (!parse_int(v, RULES_NUM_MAX, &o->further_single) || o->further_single < 2)
            bad(p, p->line, key, "'%s': a contested round for one seat needs 2 or more candidates", v);
    } else if (k == O_NOMINATION) {
        if (!parse_int(v, RULES_NUM_MAX, &o->nomination.count) || o->nomination.count < 1)
            bad(p, p->line, key, "'%s': a count is a whole number from 1 to %d", v, RULES_NUM_MAX);
        o->nomination.defined = true;
        o->nomination.cmp = YS_CMP_AT_LEAST;
    } else if (k == O_NOMINATION_ARTICLE) {
        set_text(p, key, o->nomination.article, sizeof o->nomination.article, v);
    } else {
        set_text(p, key, o->article, sizeof o->article, v);
    }
}

/* ---- Opening and closing sections ---- */

static void require(parser *p, unsigned mask)
{
    for (int k = 0; p->keys[k]; k++)
        if ((mask & BIT(k)) && !(p->seen & BIT(k)))
            bad(p, p->sec_line, p->keys[k], "section [%s] has no '%s'", p->sec, p->keys[k]);
}

static void close_threshold(parser *p)
{
    ys_threshold *t = p->thr;
    bool share = p->seen & BIT(T_SHARE), count = p->seen & BIT(T_COUNT);
    require(p, BIT(T_ARTICLE));
    if (!share && !count)
        bad(p, p->sec_line, p->sec, "section [%s] needs 'share = N/D at_least|more_than' or 'count = N'",
            p->sec);
    if (share && count)
        bad(p, p->key_line[T_COUNT], "count", "[%s] has both a share and a count; give one", p->sec);
    if ((p->seen & BIT(T_BASE)) && !share)
        bad(p, p->key_line[T_BASE], "base", "a base belongs to a share; a count has none");
    if (count)
        t->num = t->den = 0;
    t->defined = true;
}

static void close_office(parser *p)
{
    ys_office *o = p->office;
    require(p, BIT(O_NAME) | BIT(O_EXTRA_MIN) | BIT(O_EXTRA_MAX) | BIT(O_FURTHER_ROUND) | BIT(O_ARTICLE));
    if ((p->seen & BIT(O_NOMINATION)) && !(p->seen & BIT(O_NOMINATION_ARTICLE)))
        bad(p, p->key_line[O_NOMINATION], "nomination", "a nomination count needs its nomination_article");
    if (!(p->seen & BIT(O_NOMINATION)) && (p->seen & BIT(O_NOMINATION_ARTICLE)))
        bad(p, p->key_line[O_NOMINATION_ARTICLE], "nomination_article", "there is no nomination count to cite");
    if (!p->extra_ok[0] || !p->extra_ok[1] || o->extra_max.open)
        return;
    /* Two counts or two shares compare directly; a count against a share depends on the seats. */
    const ys_extra *lo = &o->extra_min, *hi = &o->extra_max;
    bool inverted = false;
    if (lo->den == 0 && hi->den == 0)
        inverted = lo->count > hi->count;
    else if (lo->den && hi->den)
        inverted = (long long)lo->num * hi->den > (long long)hi->num * lo->den;
    if (inverted)
        bad(p, p->key_line[O_EXTRA_MIN], "extra_min", "extra_min is more than extra_max");
}

static void close_section(parser *p)
{
    if (p->kind == SEC_RULES)
        require(p, BIT(R_ID) | BIT(R_LEVEL) | BIT(R_NAME) | BIT(R_STATUTE));
    else if (p->kind == SEC_THRESHOLD)
        close_threshold(p);
    else if (p->kind == SEC_METHODS)
        require(p, BIT(M_RESOLUTION) | BIT(M_ELECTION) | BIT(M_ARTICLE));
    else if (p->kind == SEC_BY_ELECTION)
        require(p, BIT(B_UNCONTESTED) | BIT(B_MAX) | BIT(B_ARTICLE));
    else if (p->kind == SEC_OFFICE)
        close_office(p);
    p->kind = SEC_NONE;
}

static void start_section(parser *p, sec_kind kind, const char *const *keys)
{
    p->kind = kind;
    p->keys = keys;
    p->seen = 0;
    p->extra_ok[0] = p->extra_ok[1] = false;
    memset(p->key_line, 0, sizeof p->key_line);
}

static void open_office(parser *p, const char *key)
{
    ys_rules *r = p->r;
    if (!*key || strlen(key) >= YS_OFFICE_KEY_MAX ||
        strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(key)) {
        bad(p, p->line, p->sec, "an office key is 1 to %d lowercase letters, digits and _",
            YS_OFFICE_KEY_MAX - 1);
        p->kind = SEC_SKIP;
        return;
    }
    start_section(p, SEC_OFFICE, office_keys);
    p->office = &p->scratch;
    for (size_t i = 0; i < r->n_offices; i++)
        if (strcmp(r->offices[i].key, key) == 0) {
            bad(p, p->line, p->sec, "duplicate section [%s] (first at line %d)", p->sec, p->office_line[i]);
            memset(&p->scratch, 0, sizeof p->scratch);
            return;
        }
    if (r->n_offices == RULES_OFFICES_MAX) {
        bad(p, p->line, p->sec, "more than %d offices", RULES_OFFICES_MAX);
        return;
    }
    if (ys_grow((void **)&r->offices, &p->office_cap, r->n_offices + 1, sizeof *r->offices)) {
        p->nomem = true;
        p->kind = SEC_SKIP;
        return;
    }
    p->office_line[r->n_offices] = p->line;
    p->office = &r->offices[r->n_offices++];
    memset(p->office, 0, sizeof *p->office);
    memcpy(p->office->key, key, strlen(key) + 1);
}

static void open_fixed(parser *p, size_t i)
{
    const struct section_def *d = &section_defs[i];
    if (p->def_line[i])
        bad(p, p->line, p->sec, "duplicate section [%s] (first at line %d)", p->sec, p->def_line[i]);
    else
        p->def_line[i] = p->line;
    if (d->kind == SEC_RULES) {
        start_section(p, d->kind, rules_keys);
    } else if (d->kind == SEC_THRESHOLD) {
        start_section(p, d->kind, threshold_keys);
        p->thr = (ys_threshold *)((char *)p->r + d->offset);
        memset(p->thr, 0, sizeof *p->thr);
    } else if (d->kind == SEC_METHODS) {
        start_section(p, d->kind, methods_keys);
    } else {
        start_section(p, d->kind, by_election_keys);
    }
}

static void open_section(parser *p, const char *name)
{
    close_section(p);
    p->sec_line = p->line;
    snprintf(p->sec, sizeof p->sec, "%s", name);
    if (strncmp(name, "office.", 7) == 0) {
        open_office(p, name + 7);
        return;
    }
    for (size_t i = 0; i < N_SECTION_DEFS; i++)
        if (strcmp(name, section_defs[i].name) == 0) {
            open_fixed(p, i);
            return;
        }
    bad(p, p->line, p->sec, "unknown section [%s] (known: rules, quorum, extra_session, adoption, "
        "constitutional, turnout, election, motion, amendment, inquiry, recall, nomination, "
        "delegation_motion, presidium_quorum, presidium_adoption, methods, by_election, office.KEY)", p->sec);
    p->kind = SEC_SKIP;
}

static void key_value(parser *p, const char *key, const char *v)
{
    if (p->kind == SEC_NONE) {
        bad(p, p->line, key, "'%s' comes before any [section]", key);
        return;
    }
    if (p->kind == SEC_SKIP)
        return;
    int k = 0;
    while (p->keys[k] && strcmp(p->keys[k], key) != 0)
        k++;
    if (!p->keys[k]) {
        char known[256] = "";
        for (int i = 0; p->keys[i]; i++)
            snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", i ? ", " : "", p->keys[i]);
        bad(p, p->line, key, "unknown key '%s' in [%s] (known: %s)", key, p->sec, known);
        return;
    }
    if (p->seen & BIT(k)) {
        bad(p, p->line, key, "duplicate key '%s' (first at line %d)", key, p->key_line[k]);
        return;
    }
    p->seen |= BIT(k);
    p->key_line[k] = p->line;
    if (!*v) {
        bad(p, p->line, key, "'%s' has no value", key);
        return;
    }
    if (p->kind == SEC_RULES)
        rules_key(p, k, key, v);
    else if (p->kind == SEC_THRESHOLD)
        threshold_key(p, k, key, v, p->thr);
    else if (p->kind == SEC_METHODS)
        methods_key(p, k, key, v);
    else if (p->kind == SEC_BY_ELECTION)
        by_election_key(p, k, key, v);
    else
        office_key(p, k, key, v);
}

/* ---- Lines ---- */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* A # at the start of a line or after a space or tab starts a comment. */
static void cut_comment(char *s)
{
    for (char *c = s; *c; c++)
        if (*c == '#' && (c == s || c[-1] == ' ' || c[-1] == '\t')) {
            *c = '\0';
            return;
        }
}

static bool key_is_valid(const char *k)
{
    return *k && strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(k) && strlen(k) < 48;
}

static void parse_line(parser *p, char *s)
{
    cut_comment(s);
    s = trim(s);
    if (!*s)
        return;
    if (*s == '[') {
        size_t n = strlen(s);
        if (s[n - 1] != ']') {
            close_section(p);
            bad(p, p->line, "", "malformed section header: write [name]");
            p->kind = SEC_SKIP;
            return;
        }
        s[n - 1] = '\0';
        open_section(p, trim(s + 1));
        return;
    }
    char *eq = strchr(s, '=');
    if (!eq) {
        bad(p, p->line, "", "expected 'key = value', a [section] or a # comment");
        return;
    }
    *eq = '\0';
    char *key = trim(s);
    if (!key_is_valid(key)) {
        bad(p, p->line, "", "malformed key '%.40s': lowercase letters, digits and _", key);
        return;
    }
    key_value(p, key, trim(eq + 1));
}

static void check_line(parser *p, const char *s, size_t n)
{
    char buf[RULES_LINE_MAX];
    if (n && s[n - 1] == '\r')
        n--;
    /* A NUL would end the line early for everything after this check. */
    size_t ok = ys_utf8_prefix(s, n);
    const char *nul = memchr(s, '\0', ok);
    if (nul)
        ok = (size_t)(nul - s);
    if (ok != n) {
        bad(p, p->line, "", "invalid UTF-8 at byte %zu of the line", ok + 1);
        return;
    }
    if (n >= sizeof buf) {
        bad(p, p->line, "", "line too long: %zu bytes, at most %zu", n, sizeof buf - 1);
        return;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    parse_line(p, buf);
}

static void check_required(parser *p)
{
    for (size_t i = 0; i < N_SECTION_DEFS; i++)
        if (section_defs[i].required && !p->def_line[i])
            bad(p, 0, section_defs[i].name, "missing section [%s]", section_defs[i].name);
    if (p->r->n_offices == 0)
        bad(p, 0, "office", "no [office.KEY] section: a rule set elects at least one office");
}

static void parse_text(parser *p, const char *text, size_t len)
{
    size_t at = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        at = 3; /* a BOM, as some editors on Windows write */
    while (at < len && !p->nomem) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
        p->line++;
        check_line(p, text + at, n);
        at += n + 1;
    }
    close_section(p);
    check_required(p);
}

ys_rc ys_rules_parse(const char *text, size_t len, ys_rules **out, ys_diags *diags)
{
    ys_rc rc = YS_NOMEM;
    parser *p = NULL;
    ys_rules *r = NULL;
    *out = NULL;
    if (!text || len > RULES_FILE_MAX) {
        if (diags)
            ys_diags_add(diags, 0, "", "a rule file is at most %d bytes", RULES_FILE_MAX);
        return YS_RULES;
    }
    p = ys_calloc(1, sizeof *p); /* the parser is large: keep it off the stack */
    r = ys_calloc(1, sizeof *r);
    if (!p || !r)
        goto out;
    p->r = r;
    p->diags = diags;
    parse_text(p, text, len);
    if (p->nomem)
        goto out;
    rc = YS_RULES;
    if (p->errors)
        goto out;
    rc = YS_NOMEM;
    r->source = ys_strndup(text, len);
    if (!r->source)
        goto out;
    r->source_len = len;
    *out = r;
    r = NULL;
    rc = YS_OK;
out:
    ys_rules_free(r);
    ys_free(p);
    return rc;
}

const ys_threshold *ys_rules_threshold(const ys_rules *r, const char *name)
{
    for (size_t i = 0; i < sizeof section_defs / sizeof *section_defs; i++)
        if (section_defs[i].kind == SEC_THRESHOLD && strcmp(section_defs[i].name, name) == 0)
            return (const ys_threshold *)((const char *)r + section_defs[i].offset);
    return NULL;
}
