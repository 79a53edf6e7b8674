/* demo_npc.c — the national demo's tables (yishi demo --hall npc): 2,977 generated delegates in the 35
 * delegations of the National People's Congress, seated by delegation in a three-tier hall like the Great Hall's. */
#include "demo_data.h"

#include "yishi/alloc.h"
#include "yishi/buf.h"

#include <stdio.h>
#include <string.h>

static const ys_demo_session SESSION = {
    .assembly = "全国人民代表大会",
    .term = 14,
    .term_name = "第十四届",
    .session = 2,
    .session_name = "第二次会议",
    .title = "第十四届全国人民代表大会第二次会议",
    .opens = "2024-03-05",
    .closes = "2024-03-11",
    .place = "北京",
    .rules = "prc-npc",
    .delegates = YS_NPC_DELEGATES_TOTAL,
};

const ys_demo_session *ys_npc_session_info(void) { return &SESSION; }

/* In the order the NPC lists them; sizes proportioned like the 14th NPC's (2023), 2,977 in all. Where a
 * delegation has many delegates of a minority nationality, `minority` names it and `share` is its per mille. */
static const struct npc_delegation {
    const char *name;
    int size;
    const char *minority;
    unsigned share;
} DELEGATIONS[YS_NPC_DELEGATIONS] = {
    {"北京", 54, "满族", 40},      {"天津", 41, "回族", 40},      {"河北", 127, "满族", 60},
    {"山西", 68, NULL, 0},          {"内蒙古", 58, "蒙古族", 300}, {"辽宁", 98, "满族", 150},
    {"吉林", 62, "朝鲜族", 120},    {"黑龙江", 89, "满族", 60},    {"上海", 58, NULL, 0},
    {"江苏", 147, NULL, 0},         {"浙江", 99, "畲族", 20},      {"安徽", 110, "回族", 20},
    {"福建", 67, "畲族", 40},       {"江西", 79, NULL, 0},         {"山东", 175, "回族", 20},
    {"河南", 172, "回族", 30},      {"湖北", 114, "土家族", 80},   {"湖南", 118, "土家族", 100},
    {"广东", 168, "瑶族", 20},      {"广西", 89, "壮族", 400},     {"海南", 26, "黎族", 200},
    {"重庆", 59, "土家族", 100},    {"四川", 149, "彝族", 120},    {"贵州", 71, "苗族", 350},
    {"云南", 89, "彝族", 380},      {"西藏", 24, "藏族", 700},     {"陕西", 69, NULL, 0},
    {"甘肃", 51, "回族", 150},      {"青海", 22, "藏族", 400},     {"宁夏", 22, "回族", 380},
    {"新疆", 60, "维吾尔族", 450},  {"香港", 36, NULL, 0},         {"澳门", 12, NULL, 0},
    {"台湾省", 13, "高山族", 80},   {"解放军和武警部队", 281, NULL, 0},
};

/* Common surnames of the whole country, most frequent first; the weight falls with the rank. */
static const char *const SURNAMES[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林",
    "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "邓", "冯", "曹", "彭", "曾", "肖", "田", "董", "潘",
    "袁", "蔡", "蒋", "余", "于", "杜", "叶", "程", "魏", "苏", "吕", "丁", "任", "卢", "姚", "沈", "钟", "姜",
    "崔", "谭", "陆", "范", "汪", "廖", "石", "金", "韦", "贾", "夏", "付", "方", "邹", "熊", "白", "孟", "秦",
    "邱", "侯", "江", "尹", "薛", "闫", "段", "雷", "龙", "黎", "史", "陶", "贺", "毛", "郝", "顾", "龚", "邵",
};
#define N_SURNAMES (sizeof SURNAMES / sizeof *SURNAMES)

/* The hall: per tier, its rows (every block of a tier has as many) and its blocks' widths, left to right. */
static const struct npc_tier {
    const char *name;
    int rows, first_row; /* first_row: the seat code's row of its front row */
    int widths[3];
} TIERS[] = {
    {"一层", 25, 1, {16, 32, 16}},
    {"二层", 14, 101, {22, 38, 22}},
    {"三层", 10, 201, {24, 40, 24}},
};
#define N_TIERS (sizeof TIERS / sizeof *TIERS)
#define N_BLOCKS (N_TIERS * 3)
static const char *const BLOCK_NAMES[3] = {"左区", "中区", "右区"};

#define NAME_MAX_BYTES 16

typedef struct npc_world {
    char names[YS_NPC_DELEGATES_TOTAL][NAME_MAX_BYTES];
    char seats[YS_NPC_DELEGATES_TOTAL][16];
    bool female[YS_NPC_DELEGATES_TOTAL];
    int delegation_of_block[N_BLOCKS]; /* the one delegation seated in a block, 0 none yet, -1 several */
} npc_world;

static const char *surname(uint64_t *seed)
{
    /* weight N_SURNAMES - rank: 王 about 90 times as often as 邵 */
    unsigned total = N_SURNAMES * (N_SURNAMES + 1) / 2, x = ys_demo_below(seed, total);
    for (size_t i = 0; i < N_SURNAMES; i++) {
        unsigned w = (unsigned)(N_SURNAMES - i);
        if (x < w)
            return SURNAMES[i];
        x -= w;
    }
    return SURNAMES[0];
}

static bool name_taken(const npc_world *w, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(w->names[i], name) == 0)
            return true;
    return false;
}

static void make_name(npc_world *w, size_t i, bool female, uint64_t *seed)
{
    char given[12];
    do {
        const char *sur = surname(seed);
        ys_demo_given_name(seed, female, given, sizeof given);
        snprintf(w->names[i], NAME_MAX_BYTES, "%s%s", sur, given);
    } while (name_taken(w, i, w->names[i]));
}

/* Seats by delegation, in order: each delegation from a fresh row of the current block, row after row, on to
 * the next block (left to right, then the tier above) when one is full. */
static void seat_all(npc_world *w)
{
    size_t block = 0, i = 0;
    int row = 0;
    for (int dg = 0; dg < YS_NPC_DELEGATIONS; dg++) {
        for (int left = DELEGATIONS[dg].size; left > 0 && block < N_BLOCKS; row++) {
            const struct npc_tier *t = &TIERS[block / 3];
            int b = (int)(block % 3), width = t->widths[b], first = 1;
            for (int k = 0; k < b; k++)
                first += t->widths[k];
            for (int k = 0; k < width && left > 0; k++, left--, i++)
                snprintf(w->seats[i], sizeof w->seats[i], "%d-%d", t->first_row + row, first + k);
            int *only = &w->delegation_of_block[block];
            *only = *only == 0 || *only == dg + 1 ? dg + 1 : -1;
            if (row + 1 == t->rows)
                block++, row = -1;
        }
    }
}

static void build(npc_world *w)
{
    uint64_t seed = 0x4e50432d32303234u; /* "NPC-2024" */
    memset(w, 0, sizeof *w);
    for (size_t i = 0; i < YS_NPC_DELEGATES_TOTAL; i++) {
        w->female[i] = ys_demo_below(&seed, 1000) < 265; /* about 26.5% women, as in the 14th NPC */
        make_name(w, i, w->female[i], &seed);
    }
    seat_all(w);
}

static void write_delegates(ys_buf *b, const npc_world *w)
{
    uint64_t seed = 0x657468u;
    size_t i = 0;
    ys_buf_addstr(b, "code,name,gender,ethnicity,delegation,seat,roles\n");
    for (int dg = 0; dg < YS_NPC_DELEGATIONS; dg++)
        for (int k = 1; k <= DELEGATIONS[dg].size; k++, i++) {
            const struct npc_delegation *d = &DELEGATIONS[dg];
            bool minority = d->minority && ys_demo_below(&seed, 1000) < d->share;
            ys_buf_addf(b, "14%02d%04d,%s,%s,%s,%s,%s,%s\n", dg + 1, k, w->names[i], w->female[i] ? "女" : "男",
                        minority ? d->minority : "汉族", d->name, w->seats[i],
                        k == 1 ? "delegation_head;presidium" : k == 2 ? "delegation_deputy_head" : "");
        }
}

static void write_hall(ys_buf *b, const npc_world *w)
{
    ys_buf_addstr(b, "seat,tier,block,row,number,tier_name,delegation\n");
    for (size_t block = 0; block < N_BLOCKS; block++) {
        const struct npc_tier *t = &TIERS[block / 3];
        int bi = (int)(block % 3), first = 1, only = w->delegation_of_block[block];
        for (int k = 0; k < bi; k++)
            first += t->widths[k];
        for (int r = 0; r < t->rows; r++)
            for (int k = 0; k < t->widths[bi]; k++)
                ys_buf_addf(b, "%d-%d,%d,%s,%d,%d,%s,%s\n", t->first_row + r, first + k, (int)(block / 3) + 1,
                            BLOCK_NAMES[bi], r + 1, k + 1, t->name, only > 0 ? DELEGATIONS[only - 1].name : "");
    }
}

char *ys_npc_csv(ys_npc_table which, size_t *len)
{
    ys_buf b;
    char *text = NULL;
    npc_world *w = NULL;
    if ((unsigned)which >= YS_NPC__TABLES || !(w = ys_malloc(sizeof *w)))
        return NULL;
    build(w);
    ys_buf_init(&b, (size_t)4 << 20);
    if (which == YS_NPC_DELEGATES)
        write_delegates(&b, w);
    else
        write_hall(&b, w);
    text = ys_buf_take(&b, len);
    ys_buf_free(&b);
    ys_free(w);
    return text;
}
