#!/bin/sh
# check.sh — the seed as a test: loads the afternoon (session.sh) into a new session file, has its two
# delegation bulletins numbered and printed and the plenary report printed, and checks that they carry the
# factual sentences of the Shanxi Daily of 24 January 2024 (dates, names, the order of speaking, the titles of
# the reports, the rostrum's order); then that the file verifies.
# usage: check.sh PATH/TO/yishi
set -u
Y=$1
D=$(dirname "$0")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
fail() { failures=$((failures + 1)); echo "FAIL: $*"; }
has() { grep -qF -- "$2" "$dir/$1" || { fail "$1 lacks: $2"; sed 's/^/  | /' "$dir/$1" | head -30; }; }
lacks() { ! grep -qF -- "$2" "$dir/$1" || fail "$1 has: $2"; }

sh "$D/session.sh" "$Y" "$dir/s.db" || { echo "FAIL: session.sh"; exit 1; }
"$Y" meeting bulletin --meeting 1 -f "$dir/s.db" >"$dir/jinzhong" || fail "bulletin of meeting 1"
"$Y" meeting bulletin --meeting 2 -f "$dir/s.db" >"$dir/taiyuan" || fail "bulletin of meeting 2"
"$Y" report plenary --meeting 3 -f "$dir/s.db" >"$dir/plenary" || fail "plenary report of meeting 3"
"$Y" report bulletin --meeting 1 -f "$dir/s.db" >"$dir/again" || fail "bulletin of meeting 1 again"

# 晋中: the date of the meeting, never the clock's; the secretary deliberating with his own delegation; the
# vice-chair who joined; the six in the order they took the floor (not the order they asked); his remarks.
has jinzhong "（第1期）"
has jinzhong "1月23日下午，省委书记唐登杰来到他所在的晋中代表团，与代表们一起审议政府工作报告。"
has jinzhong "省人大常委会副主任吴俊清参加审议。"
has jinzhong "审议中，常书铭、刘星、刘玉东、王慧琴、王超、原丽花等代表先后发言"
has jinzhong "在认真听取大家发言后，唐登杰说，金湘军同志作的政府工作报告"
has jinzhong "是一个求真务实、奋发有为、鼓舞人心的报告。"
lacks jinzhong "唐登杰代表"
lacks jinzhong "吴俊清代表"
has jinzhong "应出席9人，出席7人，请假1人（郝建平），缺席1人（段丽霞）。"
# 太原: the head of the delegation deliberates with it and speaks, alone
has taiyuan "（第2期）"
has taiyuan "1月23日下午，太原代表团举行全体会议。"
# the head of the delegation is one of its delegates (「省人大代表、」); the presenter by name and title
has taiyuan "省人大代表、省委常委、市委书记韦韬与代表们一起审议金湘军省长作的政府工作报告。"
has taiyuan "审议中，韦韬代表发言。"
lacks taiyuan "先后发言"
has taiyuan "完全赞同金湘军省长所作的政府工作报告"
# a number once issued stays the meeting's
has again "（第1期）"
# the plenary: what it examined and heard, the rostrum in the page's order, the academicians, who attended
has plenary "1月23日下午"
has plenary "大会审查了省人民政府关于山西省2023年国民经济和社会发展计划执行情况与2024年国民经济和社会发展计划(草案)的报告，关于山西省2023年全省和省本级预算执行情况与2024年全省和省本级预算(草案)的报告。"
has plenary "大会听取了省人大常委会副主任贺天才作的关于《山西省人民代表大会议事规则(修订草案)》的说明。"
has plenary "在主席台就座的还有：王拥军、徐广国、张吉福、李凤岐、吴伟、卢东亮、韦韬、徐宝龙、田越、汤志平、李成林、赵红严、杨勤荣、熊继军、李正印、张复明、李晓波、李青山、李思进、王立伟、闫晨曦、王蕾、冯军、杨景海、杨盛明、任明龙、骆惠宁、卫小春、李悦娥、李俊明、张瑞鹏、席小军、李武章等。"
has plenary "在晋两院院士王一德、黄庆学、徐明岗也在主席台就座。"
# the four categories in the page's order and punctuation: the two that begin alike (在晋十四届) one group
has plenary "在晋十四届全国人大代表、在晋十四届全国政协委员，十三届省政协委员，中央驻晋单位和企业负责同志等列席会议。"
# each report ends with the log head it was made from, which verify prints for the same file
head=$("$Y" log -f "$dir/s.db" --json 2>/dev/null | tail -n 1 | sed -n 's/.*"hash": *"\([0-9a-f]*\)".*/\1/p')
[ -n "$head" ] || fail "the log's last hash"
has jinzhong "本文件由会议日志生成，截至第"
has again "哈希 $head"
has plenary "哈希 $head"
"$Y" verify -f "$dir/s.db" >"$dir/verify" 2>&1 || fail "the session does not verify"
has verify "verified"
[ "$failures" -eq 0 ] && echo "seed-2024-01-23: the page's sentences are in the reports" || exit 1
