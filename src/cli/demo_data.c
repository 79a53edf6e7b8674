/* demo_data.c — generates the demo session's tables: posts, 549 delegates in 12 delegations with
 * seats, the non-voting attendees and the agenda, placing the real people of the seed newspaper page. */
#include "demo_data.h"

#include "yishi/alloc.h"
#include "yishi/buf.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---- the session ---- */

static const ys_demo_session SESSION = {
    .assembly = "山西省人民代表大会",
    .term = 14,
    .term_name = "第十四届",
    .session = 2,
    .session_name = "第二次会议",
    .title = "山西省第十四届人民代表大会第二次会议",
    .opens = "2024-01-21",
    .closes = "2024-01-25",
    .place = "太原",
    .rules = "prc-provincial",
    .delegates = YS_DEMO_DELEGATES_TOTAL,
};

const ys_demo_session *ys_demo_session_info(void) { return &SESSION; }
const char *ys_demo_session_title(void) { return SESSION.title; }

const char *ys_demo_table_name(ys_demo_table which)
{
    static const char *names[YS_DEMO__TABLES] = {"posts", "delegates", "attendees", "agenda", "hall"};
    return (unsigned)which < YS_DEMO__TABLES ? names[which] : NULL;
}

/* ---- delegations ---- */

enum { TY, DT, YQ, CZ, JC, SZ, JZ, YC, XZ, LF, LL, PLA };

/* Shanxi's cities in the order of their division codes (1401 太原 … 1411 吕梁), then the army.
 * Sizes follow the 2020 census population, 525 city delegates and 24 army delegates: 549. Of the
 * presidium, `presidium` is how many ordinary delegates of the delegation sit on it. */
static const struct delegation {
    const char *name;
    int size;
    int presidium;
} DELEGATIONS[YS_DEMO_DELEGATIONS] = {
    {"太原", 78, 5}, {"大同", 47, 3}, {"阳泉", 21, 1}, {"长治", 48, 3},
    {"晋城", 34, 2}, {"朔州", 25, 2}, {"晋中", 51, 3}, {"运城", 70, 5},
    {"忻州", 41, 3}, {"临汾", 59, 4}, {"吕梁", 51, 4}, {"解放军", 24, 0},
};

const char *ys_demo_delegation(size_t i)
{
    return i < YS_DEMO_DELEGATIONS ? DELEGATIONS[i].name : NULL;
}

/* ---- posts ---- */

enum {
    R_PRESIDIUM = 1 << 0,
    R_CHAIR = 1 << 1,
    R_SECGEN = 1 << 2,
    R_HEAD = 1 << 3,
    R_DEPUTY = 1 << 4,
};

static const char *const ROLE_NAMES[] = {"presidium", "executive_chair", "secretary_general",
                                         "delegation_head", "delegation_deputy_head"};

typedef struct post_def {
    int rank;
    const char *title;
} post_def;

/* The protocol list above the cities' own posts. Composite titles carry the rank of their
 * highest part, as the rostrum lists them. */
static const post_def POSTS_HIGH[] = {
    {1, "省委书记"},
    {2, "省人大常委会主任"},
    {3, "省长"},
    {4, "省政协主席"},
    {5, "省委副书记"},
    {6, "省委常委"},
    {6, "省委常委、省纪委书记、省监察委员会主任"},
    {6, "省委常委、太原市委书记"},
    {6, "省委常委、副省长"},
    {7, "省人大常委会副主任"},
    {8, "副省长"},
    {9, "省政协副主席"},
    {10, "省监察委员会主任"},
    {11, "省高级人民法院院长"},
    {12, "省人民检察院检察长"},
    {13, "省军区司令员"},
    {13, "省军区政治委员"},
    {14, "武警山西省总队司令员"},
    {14, "武警山西省总队政治委员"},
    {15, "原省委书记"},
    {15, "原省人大常委会副主任"},
    {15, "原省政协副主席"},
    {16, "两院院士"},
    {17, "省人大常委会秘书长"},
    {17, "省人民政府秘书长"},
    {18, "省人大常委会法制工作委员会主任"},
    {18, "省发展和改革委员会主任"},
    {18, "省财政厅厅长"},
    {18, "省教育厅厅长"},
    {18, "省工业和信息化厅厅长"},
    {18, "省能源局局长"},
};

/* Each city has these three, at ranks 19, 20 and 21, written as city name + suffix. */
static const char *const CITY_POSTS[] = {"市委书记", "市长", "市人大常委会主任"};
enum { CITY_RANK = 19 };

static const post_def POSTS_LOW[] = {
    {22, "高等学校校长"},
    {23, "县（市、区）委书记"},
    {24, "县（市、区）长"},
    {25, "乡（镇）党委书记"},
    {26, "企业负责人"},
    {27, "医院院长"},
    {27, "中小学校长"},
    {28, "村党支部书记"},
    {28, "社区党组织书记"},
};

/* Posts of ordinary city delegates, by weight; "" is a delegate without one (workers, farmers,
 * teachers, doctors, researchers). */
static const struct weighted_post {
    const char *title;
    int weight;
} ORDINARY_POSTS[] = {
    {"", 50}, {"县（市、区）委书记", 9}, {"县（市、区）长", 5}, {"乡（镇）党委书记", 5},
    {"企业负责人", 13}, {"村党支部书记", 9}, {"社区党组织书记", 3}, {"医院院长", 3},
    {"中小学校长", 2}, {"高等学校校长", 1},
};

/* ---- the real people of the seed page ---- */

typedef struct real_delegate {
    const char *name;
    int delegation;
    const char *gender;
    const char *post;
    unsigned roles;
} real_delegate;

/* From the Shanxi Daily of 2024-01-24: 唐登杰 with the 晋中 delegation, where 吴俊清 attended and
 * 常书铭、刘星、刘玉东、王慧琴、王超、原丽花 spoke; 韦韬 heads 太原. The other leaders are the seed's
 * rostrum list, with the offices they were elected to in January 2023; which delegation each of
 * them belongs to is this demo's choice. */
static const real_delegate REAL_DELEGATES[] = {
    {"唐登杰", JZ, "男", "省委书记", R_PRESIDIUM},
    {"吴俊清", JZ, "男", "省人大常委会副主任", R_PRESIDIUM | R_CHAIR},
    {"常书铭", JZ, "男", "", 0},
    {"刘星", JZ, "女", "", 0},
    {"刘玉东", JZ, "男", "", 0},
    {"王慧琴", JZ, "女", "", 0},
    {"王超", JZ, "男", "", 0},
    {"原丽花", JZ, "女", "", 0},
    {"韦韬", TY, "男", "省委常委、太原市委书记", R_PRESIDIUM | R_HEAD},
    {"汤志平", TY, "男", "副省长", R_PRESIDIUM},
    {"杨勤荣", TY, "女", "副省长", R_PRESIDIUM},
    {"冯军", TY, "男", "省高级人民法院院长", R_PRESIDIUM},
    {"王拥军", DT, "男", "省委常委、省纪委书记、省监察委员会主任", R_PRESIDIUM},
    {"徐广国", YQ, "男", "省委常委", R_PRESIDIUM},
    {"张吉福", CZ, "男", "省委常委", R_PRESIDIUM},
    {"李成林", CZ, "男", "副省长", R_PRESIDIUM},
    {"李凤岐", JC, "男", "省委常委", R_PRESIDIUM},
    {"赵红严", JC, "女", "副省长", R_PRESIDIUM},
    {"卢东亮", SZ, "男", "省委常委", R_PRESIDIUM | R_CHAIR},
    {"金湘军", YC, "男", "省长", R_PRESIDIUM},
    {"杨景海", YC, "男", "省人民检察院检察长", R_PRESIDIUM},
    {"徐宝龙", XZ, "男", "省委常委", R_PRESIDIUM},
    {"贺天才", XZ, "男", "省人大常委会副主任", R_PRESIDIUM | R_CHAIR},
    {"吴伟", LF, "男", "省委常委、副省长", R_PRESIDIUM},
    {"熊继军", LF, "男", "副省长", R_PRESIDIUM},
    {"田越", LL, "男", "省委常委", R_PRESIDIUM},
    {"杨盛明", PLA, "男", "武警山西省总队司令员", R_PRESIDIUM},
    {"任明龙", PLA, "男", "武警山西省总队政治委员", R_PRESIDIUM},
};

/* Provincial posts held by generated delegates, and where they sit. */
static const struct placed_post {
    int delegation;
    const char *post;
    unsigned roles;
} PROVINCIAL_POSTS[] = {
    {TY, "省人大常委会秘书长", R_SECGEN},
    {JZ, "省人民政府秘书长", 0},
    {TY, "省人大常委会法制工作委员会主任", 0},
    {DT, "省发展和改革委员会主任", 0},
    {CZ, "省财政厅厅长", 0},
    {YC, "省教育厅厅长", 0},
    {LF, "省工业和信息化厅厅长", 0},
    {LL, "省能源局局长", 0},
};

/* Heads of delegations that also chair plenary meetings (执行主席). */
static const int CHAIRING_HEADS[] = {DT, CZ, JC, YC, LF, LL, PLA};
/* Delegations whose first ordinary presidium member also chairs. */
static const int CHAIRING_ORDINARY[] = {TY, JZ, XZ};

typedef struct real_attendee {
    const char *name;
    const char *post;
    const char *affiliation;
} real_attendee;

/* The seed's rostrum list beyond the delegates: the CPPCC's leaders, senior comrades and the
 * academicians; the posts are those they held or last held (吴存荣 and the vice chairs of the
 * 13th provincial CPPCC, elected January 2023). */
static const real_attendee REAL_ATTENDEES[] = {
    {"吴存荣", "省政协主席", "省政协"},
    {"李正印", "省政协副主席", "省政协"},
    {"张复明", "省政协副主席", "省政协"},
    {"李晓波", "省政协副主席", "省政协"},
    {"李青山", "省政协副主席", "省政协"},
    {"李思进", "省政协副主席", "省政协"},
    {"王立伟", "省政协副主席", "省政协"},
    {"闫晨曦", "省政协副主席", "省政协"},
    {"王蕾", "省政协副主席", "省政协"},
    {"骆惠宁", "原省委书记", "在晋十四届全国人大代表"},
    {"卫小春", "原省人大常委会副主任", "老同志"},
    {"李悦娥", "原省人大常委会副主任", "老同志"},
    {"李俊明", "原省人大常委会副主任", "老同志"},
    {"张瑞鹏", "原省政协副主席", "老同志"},
    {"席小军", "原省政协副主席", "老同志"},
    {"李武章", "原省政协副主席", "老同志"},
    {"王一德", "两院院士", "两院院士"},
    {"黄庆学", "两院院士", "两院院士"},
    {"徐明岗", "两院院士", "两院院士"},
};

/* The seed's 列席 categories, with how many generated people attend for each. */
static const struct attendee_group {
    const char *kind;
    const char *affiliation;
    int count;
} ATTENDEE_GROUPS[] = {
    {"attendee", "在晋十四届全国人大代表", 28},
    {"attendee", "在晋十四届全国政协委员", 20},
    {"attendee", "十三届省政协委员", 48},
    {"attendee", "中央驻晋单位和企业负责同志", 18},
    {"observer", "公民旁听", 12},
};

/* ---- agenda: the seed session's items ---- */

static const struct agenda_item {
    const char *kind, *title, *presenter, *document;
} AGENDA[] = {
    {"deliberate", "审议政府工作报告", "金湘军", "政府工作报告"},
    {"examine",
     "审查山西省2023年国民经济和社会发展计划执行情况与2024年国民经济和社会发展计划（草案）的报告", "",
     "关于山西省2023年国民经济和社会发展计划执行情况与2024年国民经济和社会发展计划（草案）的报告"},
    {"examine", "审查山西省2023年全省和省本级预算执行情况与2024年全省和省本级预算（草案）的报告", "",
     "关于山西省2023年全省和省本级预算执行情况与2024年全省和省本级预算（草案）的报告"},
    {"deliberate", "审议山西省人民代表大会常务委员会工作报告", "",
     "山西省人民代表大会常务委员会工作报告"},
    {"deliberate", "审议山西省高级人民法院工作报告", "冯军", "山西省高级人民法院工作报告"},
    {"deliberate", "审议山西省人民检察院工作报告", "杨景海", "山西省人民检察院工作报告"},
    {"hear", "听取关于《山西省人民代表大会议事规则（修订草案）》的说明", "贺天才",
     "关于《山西省人民代表大会议事规则（修订草案）》的说明"},
    {"deliberate", "审议《山西省人民代表大会议事规则（修订草案）》", "",
     "山西省人民代表大会议事规则（修订草案）"},
    {"elect", "补选山西省第十四届人民代表大会常务委员会主任", "",
     "山西省第十四届人民代表大会第二次会议选举办法"},
    {"vote", "表决关于政府工作报告的决议", "", "关于政府工作报告的决议（草案）"},
    {"vote", "表决关于2023年国民经济和社会发展计划执行情况与2024年国民经济和社会发展计划的决议", "",
     "关于2023年国民经济和社会发展计划执行情况与2024年国民经济和社会发展计划的决议（草案）"},
    {"vote", "表决关于2023年全省和省本级预算执行情况与2024年全省和省本级预算的决议", "",
     "关于2023年全省和省本级预算执行情况与2024年全省和省本级预算的决议（草案）"},
    {"vote", "表决关于山西省人民代表大会常务委员会工作报告的决议", "",
     "关于山西省人民代表大会常务委员会工作报告的决议（草案）"},
    {"vote", "表决关于山西省高级人民法院工作报告的决议", "",
     "关于山西省高级人民法院工作报告的决议（草案）"},
    {"vote", "表决关于山西省人民检察院工作报告的决议", "",
     "关于山西省人民检察院工作报告的决议（草案）"},
    {"vote", "表决《山西省人民代表大会议事规则（修订草案）》", "",
     "山西省人民代表大会议事规则（修订草案表决稿）"},
};

/* ---- names ---- */

/* Common surnames with weights leaning to Shanxi (王、李、张、刘、郭、武、贾、郝 …). */
static const struct weighted_char {
    const char *s;
    int weight;
} SURNAMES[] = {
    {"王", 75}, {"李", 70}, {"张", 65}, {"刘", 55}, {"杨", 30}, {"赵", 30}, {"郭", 28}, {"陈", 20},
    {"武", 18}, {"高", 18}, {"贾", 15}, {"韩", 15}, {"田", 14}, {"马", 14}, {"郝", 13}, {"任", 13},
    {"梁", 12}, {"孙", 12}, {"冯", 11}, {"宋", 11}, {"吴", 10}, {"程", 9},  {"薛", 9},  {"段", 9},
    {"白", 9},  {"徐", 9},  {"杜", 9},  {"侯", 8},  {"乔", 8},  {"周", 8},  {"秦", 8},  {"牛", 8},
    {"董", 8},  {"闫", 8},  {"范", 7},  {"孟", 7},  {"曹", 7},  {"许", 6},  {"常", 6},  {"史", 6},
    {"卫", 6},  {"贺", 6},  {"吕", 6},  {"黄", 6},  {"胡", 6},  {"朱", 6},  {"苏", 5},  {"柴", 5},
    {"崔", 5},  {"原", 4},  {"申", 4},  {"温", 4},  {"霍", 4},  {"翟", 4},  {"姚", 4},  {"康", 4},
    {"石", 4},  {"邢", 3},  {"雷", 3},  {"阎", 3},  {"彭", 3},  {"毛", 3},  {"安", 3},  {"苗", 3},
    {"靳", 3},  {"焦", 3},  {"裴", 3},  {"路", 3},  {"卢", 3},  {"尹", 3},  {"邓", 3},  {"谢", 3},
    {"罗", 3},  {"郑", 3},  {"魏", 3},  {"于", 3},  {"袁", 3},  {"宁", 2},  {"荣", 2},  {"栗", 2},
    {"樊", 2},  {"智", 2},  {"关", 2},  {"丁", 2},  {"燕", 2},  {"狄", 1},  {"暴", 1},  {"弓", 1},
};

static const char *const GIVEN_MALE[] = {
    "建", "国", "军", "伟", "强", "明", "华", "平", "志", "文", "斌", "海", "涛", "鹏", "飞", "勇",
    "杰", "峰", "俊", "刚", "磊", "宏", "亮", "东", "晓", "林", "波", "辉", "永", "成", "宇", "龙",
    "春", "新", "生", "民", "光", "忠", "锋", "超", "毅", "云", "彬", "浩", "瑞", "鑫", "兵", "晨",
    "剑", "凯", "坤", "山", "利", "金", "德", "卫", "庆", "胜", "喜", "旭", "贵", "福", "祥", "荣",
};

static const char *const GIVEN_FEMALE[] = {
    "丽", "芳", "娟", "敏", "静", "霞", "艳", "燕", "玲", "红", "梅", "萍", "慧", "琴", "英", "华",
    "秀", "兰", "洁", "婷", "雪", "晶", "云", "莉", "凤", "丹", "宁", "颖", "琳", "佳", "欣", "月",
    "璐", "蓉", "蕾", "娜", "爱", "春", "晓", "文", "玉", "彩", "翠", "美", "珍", "瑶", "倩", "悦",
};

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* ---- a fixed-seed generator: splitmix64, so the demo is the same everywhere ---- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0; the bias of 32-bit multiply-shift is far below what a demo can show. */
static uint32_t rng_below(rng *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * n) >> 32);
}

unsigned ys_demo_below(uint64_t *seed, unsigned n)
{
    rng r = {*seed};
    unsigned v = rng_below(&r, n);
    *seed = r.s;
    return v;
}

/* True with probability per_mille / 1000. */
static bool rng_chance(rng *r, uint32_t per_mille) { return rng_below(r, 1000) < per_mille; }

/* ---- the generated world ---- */

typedef struct person {
    char name[16];          /* at most four characters of three bytes */
    const char *gender;
    const char *ethnicity;
    int delegation;         /* delegates only */
    char post[64];
    unsigned roles;
    bool ordinary;          /* generated without a leading post: may get a minority ethnicity */
    const char *kind, *affiliation; /* attendees only */
} person;

enum { MAX_ATTENDEES = 200 };

typedef struct world {
    rng r;
    person d[YS_DEMO_DELEGATES_TOTAL];
    size_t nd;
    person a[MAX_ATTENDEES];
    size_t na;
} world;

static bool name_taken(const world *w, const char *name)
{
    for (size_t i = 0; i < COUNT(REAL_DELEGATES); i++)
        if (strcmp(REAL_DELEGATES[i].name, name) == 0)
            return true;
    for (size_t i = 0; i < COUNT(REAL_ATTENDEES); i++)
        if (strcmp(REAL_ATTENDEES[i].name, name) == 0)
            return true;
    for (size_t i = 0; i < w->nd; i++)
        if (strcmp(w->d[i].name, name) == 0)
            return true;
    for (size_t i = 0; i < w->na; i++)
        if (strcmp(w->a[i].name, name) == 0)
            return true;
    return false;
}

static const char *pick_surname(rng *r)
{
    int total = 0;
    for (size_t i = 0; i < COUNT(SURNAMES); i++)
        total += SURNAMES[i].weight;
    int x = (int)rng_below(r, (uint32_t)total);
    for (size_t i = 0; i < COUNT(SURNAMES); i++)
        if ((x -= SURNAMES[i].weight) < 0)
            return SURNAMES[i].s;
    return SURNAMES[0].s;
}

/* A surname and a given name of one character (a quarter of people) or two different ones,
 * unique among everyone in the demo (a stronger rule than unique within a delegation). */
static void make_name(world *w, bool female, char *out, size_t cap)
{
    const char *const *given = female ? GIVEN_FEMALE : GIVEN_MALE;
    uint32_t n = female ? COUNT(GIVEN_FEMALE) : COUNT(GIVEN_MALE);
    do {
        const char *sur = pick_surname(&w->r);
        uint32_t a = rng_below(&w->r, n), b = rng_below(&w->r, n);
        if (rng_chance(&w->r, 250))
            snprintf(out, cap, "%s%s", sur, given[a]);
        else if (a != b)
            snprintf(out, cap, "%s%s%s", sur, given[a], given[b]);
        else
            out[0] = '\0';
    } while (!out[0] || name_taken(w, out));
}

void ys_demo_given_name(uint64_t *seed, bool female, char *out, size_t cap)
{
    const char *const *given = female ? GIVEN_FEMALE : GIVEN_MALE;
    uint32_t n = female ? COUNT(GIVEN_FEMALE) : COUNT(GIVEN_MALE);
    rng r = {*seed};
    uint32_t a = rng_below(&r, n), b = rng_below(&r, n - 1);
    if (rng_chance(&r, 250))
        snprintf(out, cap, "%s", given[a]);
    else
        snprintf(out, cap, "%s%s", given[a], given[b < a ? b : b + 1]);
    *seed = r.s;
}

/* Adds a generated delegate; leaders and soldiers are women less often than other delegates, so
 * that about 30% of the whole are women. */
static person *add_generated(world *w, int delegation, const char *post, unsigned roles, bool leader)
{
    person *p = &w->d[w->nd];
    bool female = rng_chance(&w->r, leader || delegation == PLA ? 120 : 350);
    make_name(w, female, p->name, sizeof p->name);
    w->nd++;
    p->gender = female ? "女" : "男";
    p->ethnicity = "汉族";
    p->delegation = delegation;
    snprintf(p->post, sizeof p->post, "%s", post);
    p->roles = roles;
    p->ordinary = !leader;
    return p;
}

static void add_real_delegates(world *w, int delegation)
{
    for (size_t i = 0; i < COUNT(REAL_DELEGATES); i++) {
        const real_delegate *r = &REAL_DELEGATES[i];
        if (r->delegation != delegation)
            continue;
        person *p = &w->d[w->nd++];
        snprintf(p->name, sizeof p->name, "%s", r->name);
        p->gender = r->gender;
        p->ethnicity = "汉族";
        p->delegation = delegation;
        snprintf(p->post, sizeof p->post, "%s", r->post);
        p->roles = r->roles;
    }
}

static bool chairs(const int *list, size_t n, int delegation)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == delegation)
            return true;
    return false;
}

/* The delegation's own leaders: the head (the city's party secretary, unless a real person of the
 * seed heads it) and deputy heads; for the army, the military district's commissar and commander. */
static void add_leaders(world *w, int dg)
{
    unsigned head = R_HEAD | R_PRESIDIUM;
    if (chairs(CHAIRING_HEADS, COUNT(CHAIRING_HEADS), dg))
        head |= R_CHAIR;
    if (dg == PLA) {
        add_generated(w, dg, "省军区政治委员", head, true);
        add_generated(w, dg, "省军区司令员", R_DEPUTY | R_PRESIDIUM, true);
        return;
    }
    char post[64];
    const char *city = DELEGATIONS[dg].name;
    if (dg != TY) {
        snprintf(post, sizeof post, "%s%s", city, CITY_POSTS[0]);
        add_generated(w, dg, post, head, true);
    }
    snprintf(post, sizeof post, "%s%s", city, CITY_POSTS[1]);
    add_generated(w, dg, post, R_DEPUTY | R_PRESIDIUM, true);
    snprintf(post, sizeof post, "%s%s", city, CITY_POSTS[2]);
    add_generated(w, dg, post, R_DEPUTY, true);
    for (size_t i = 0; i < COUNT(PROVINCIAL_POSTS); i++)
        if (PROVINCIAL_POSTS[i].delegation == dg)
            add_generated(w, dg, PROVINCIAL_POSTS[i].post, PROVINCIAL_POSTS[i].roles, true);
}

static const char *ordinary_post(rng *r, int dg)
{
    if (dg == PLA)
        return "";
    int total = 0;
    for (size_t i = 0; i < COUNT(ORDINARY_POSTS); i++)
        total += ORDINARY_POSTS[i].weight;
    int x = (int)rng_below(r, (uint32_t)total);
    for (size_t i = 0; i < COUNT(ORDINARY_POSTS); i++)
        if ((x -= ORDINARY_POSTS[i].weight) < 0)
            return ORDINARY_POSTS[i].title;
    return "";
}

/* Fills the delegation to its size with ordinary delegates; the first few sit on the presidium. */
static void add_ordinary(world *w, int dg, size_t first)
{
    int presidium = DELEGATIONS[dg].presidium;
    bool chair = chairs(CHAIRING_ORDINARY, COUNT(CHAIRING_ORDINARY), dg);
    while (w->nd - first < (size_t)DELEGATIONS[dg].size) {
        unsigned roles = 0;
        if (presidium > 0) {
            roles = R_PRESIDIUM | (chair ? R_CHAIR : 0);
            presidium--;
            chair = false;
        }
        const char *post = ordinary_post(&w->r, dg);
        /* 高等学校 are in the capital in this demo. */
        if (dg != TY && strcmp(post, "高等学校校长") == 0)
            post = "中小学校长";
        add_generated(w, dg, post, roles, false);
    }
}

/* A realistic few of the ordinary delegates are of Shanxi's minorities. */
static void set_minorities(world *w)
{
    static const struct {
        const char *name;
        int count;
    } minorities[] = {{"回族", 8}, {"满族", 3}, {"蒙古族", 3}};
    for (size_t m = 0; m < COUNT(minorities); m++)
        for (int k = 0; k < minorities[m].count;) {
            person *p = &w->d[rng_below(&w->r, (uint32_t)w->nd)];
            if (p->ordinary && strcmp(p->ethnicity, "汉族") == 0) {
                p->ethnicity = minorities[m].name;
                k++;
            }
        }
}

static void add_attendees(world *w)
{
    for (size_t i = 0; i < COUNT(REAL_ATTENDEES); i++) {
        person *p = &w->a[w->na++];
        snprintf(p->name, sizeof p->name, "%s", REAL_ATTENDEES[i].name);
        snprintf(p->post, sizeof p->post, "%s", REAL_ATTENDEES[i].post);
        p->kind = "attendee";
        p->affiliation = REAL_ATTENDEES[i].affiliation;
    }
    for (size_t g = 0; g < COUNT(ATTENDEE_GROUPS); g++)
        for (int k = 0; k < ATTENDEE_GROUPS[g].count && w->na < MAX_ATTENDEES; k++) {
            person *p = &w->a[w->na];
            make_name(w, rng_chance(&w->r, 300), p->name, sizeof p->name);
            w->na++;
            p->post[0] = '\0';
            p->kind = ATTENDEE_GROUPS[g].kind;
            p->affiliation = ATTENDEE_GROUPS[g].affiliation;
        }
}

static void build_world(world *w)
{
    memset(w, 0, sizeof *w);
    w->r.s = 0x5958324A414E3234u; /* fixed: the demo must be the same bytes everywhere */
    for (int dg = 0; dg < YS_DEMO_DELEGATIONS; dg++) {
        size_t first = w->nd;
        add_real_delegates(w, dg);
        add_leaders(w, dg);
        add_ordinary(w, dg, first);
    }
    set_minorities(w);
    add_attendees(w);
}

/* ---- CSV text ---- */

/* The demo's lists are a few hundred kilobytes; this is far past them. */
#define DEMO_CSV_MAX ((size_t)16 << 20)

/* One field, quoted when RFC 4180 needs it, then a comma or the line end. */
static void sb_field(ys_buf *b, const char *v, bool last)
{
    if (strpbrk(v, ",\"\r\n")) {
        ys_buf_addstr(b, "\"");
        for (const char *q; (q = strchr(v, '"')); v = q + 1) {
            ys_buf_add(b, v, (size_t)(q - v));
            ys_buf_addstr(b, "\"\"");
        }
        ys_buf_addstr(b, v);
        ys_buf_addstr(b, "\"");
    } else {
        ys_buf_addstr(b, v);
    }
    ys_buf_addstr(b, last ? "\n" : ",");
}

static void sb_int(ys_buf *b, long v, bool last)
{
    char num[24];
    snprintf(num, sizeof num, "%ld", v);
    sb_field(b, num, last);
}

static void write_posts(ys_buf *b)
{
    ys_buf_addstr(b, "rank,title\n");
    for (size_t i = 0; i < COUNT(POSTS_HIGH); i++) {
        sb_int(b, POSTS_HIGH[i].rank, false);
        sb_field(b, POSTS_HIGH[i].title, true);
    }
    for (size_t k = 0; k < COUNT(CITY_POSTS); k++)
        for (int dg = 0; dg < PLA; dg++) {
            char title[64];
            snprintf(title, sizeof title, "%s%s", DELEGATIONS[dg].name, CITY_POSTS[k]);
            sb_int(b, CITY_RANK + (long)k, false);
            sb_field(b, title, true);
        }
    for (size_t i = 0; i < COUNT(POSTS_LOW); i++) {
        sb_int(b, POSTS_LOW[i].rank, false);
        sb_field(b, POSTS_LOW[i].title, true);
    }
}

static void roles_text(unsigned roles, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < COUNT(ROLE_NAMES); i++)
        if (roles & (1u << i))
            n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? ";" : "", ROLE_NAMES[i]);
}

static void write_delegates(ys_buf *b, const world *w)
{
    ys_buf_addstr(b, "code,name,gender,ethnicity,delegation,seat,roles,post\n");
    int seq = 0, last = -1;
    for (size_t i = 0; i < w->nd; i++) {
        const person *p = &w->d[i];
        char code[32], seat[32], roles[128];
        seq = p->delegation == last ? seq + 1 : 1;
        last = p->delegation;
        snprintf(code, sizeof code, "14%02d%05d", p->delegation + 1, seq);
        /* Delegations fill the hall row by row, in their order, so each is one block. */
        snprintf(seat, sizeof seat, "%02d-%02d", (int)(i / YS_DEMO_SEATS_PER_ROW) + 1,
                 (int)(i % YS_DEMO_SEATS_PER_ROW) + 1);
        roles_text(p->roles, roles, sizeof roles);
        sb_field(b, code, false);
        sb_field(b, p->name, false);
        sb_field(b, p->gender, false);
        sb_field(b, p->ethnicity, false);
        sb_field(b, DELEGATIONS[p->delegation].name, false);
        sb_field(b, seat, false);
        sb_field(b, roles, false);
        sb_field(b, p->post, true);
    }
}

static void write_attendees(ys_buf *b, const world *w)
{
    ys_buf_addstr(b, "name,kind,post,affiliation\n");
    for (size_t i = 0; i < w->na; i++) {
        sb_field(b, w->a[i].name, false);
        sb_field(b, w->a[i].kind, false);
        sb_field(b, w->a[i].post, false);
        sb_field(b, w->a[i].affiliation, true);
    }
}

/* The hall the delegates' seats are in: row r, seat k of 30 is in the block of its third of the row. */
static void write_hall(ys_buf *b)
{
    static const char *const blocks[] = {"左区", "中区", "右区"};
    const int per_block = YS_DEMO_SEATS_PER_ROW / 3;
    ys_buf_addstr(b, "seat,tier,block,row,number,tier_name\n");
    for (int r = 1; r <= YS_DEMO_HALL_ROWS; r++)
        for (int k = 1; k <= YS_DEMO_SEATS_PER_ROW; k++)
            ys_buf_addf(b, "%02d-%02d,1,%s,%d,%d,一层\n", r, k, blocks[(k - 1) / per_block], r, (k - 1) % per_block + 1);
}

static void write_agenda(ys_buf *b)
{
    ys_buf_addstr(b, "order,kind,title,presenter,document\n");
    for (size_t i = 0; i < COUNT(AGENDA); i++) {
        sb_int(b, (long)i + 1, false);
        sb_field(b, AGENDA[i].kind, false);
        sb_field(b, AGENDA[i].title, false);
        sb_field(b, AGENDA[i].presenter, false);
        sb_field(b, AGENDA[i].document, true);
    }
}

char *ys_demo_csv(ys_demo_table which, size_t *len)
{
    ys_buf b;
    world *w = NULL;
    char *text = NULL;
    if ((unsigned)which >= YS_DEMO__TABLES)
        return NULL;
    ys_buf_init(&b, DEMO_CSV_MAX);
    if (which == YS_DEMO_DELEGATES || which == YS_DEMO_ATTENDEES) {
        w = ys_malloc(sizeof *w);
        if (!w)
            goto out;
        build_world(w);
    }
    switch (which) {
    case YS_DEMO_POSTS: write_posts(&b); break;
    case YS_DEMO_DELEGATES: write_delegates(&b, w); break;
    case YS_DEMO_ATTENDEES: write_attendees(&b, w); break;
    case YS_DEMO_HALL: write_hall(&b); break;
    default: write_agenda(&b); break;
    }
    text = ys_buf_take(&b, len);
out:
    ys_free(w);
    ys_buf_free(&b);
    return text;
}
