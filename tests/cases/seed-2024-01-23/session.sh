#!/bin/sh
# session.sh — the afternoon of 23 January 2024 at the Shanxi provincial congress (the Shanxi Daily of the
# 24th, ../../../../shared/seed/shanxi-daily-2024-01-24.txt), entered as a secretariat enters it from the
# desk's command line: the lists imported, the documents added, then each meeting recorded as it was held.
# usage: session.sh PATH/TO/yishi SESSION-FILE
set -eu
Y=$1
F=$2
D=$(dirname "$0")
y() { "$Y" "$@" -f "$F" >/dev/null; }

"$Y" init -f "$F" --rules prc-provincial --assembly 山西省人民代表大会 --term 第十四届 --session 第二次会议 >/dev/null
for list in posts delegates attendees agenda; do y import "$list" "$D/$list.csv"; done
y doc add 政府工作报告 "$D/docs/government-work-report.txt"
y doc add "关于山西省2023年国民经济和社会发展计划执行情况与2024年国民经济和社会发展计划(草案)的报告" "$D/docs/plan-report.txt"
y doc add "关于山西省2023年全省和省本级预算执行情况与2024年全省和省本级预算(草案)的报告" "$D/docs/budget-report.txt"
y doc add "关于《山西省人民代表大会议事规则(修订草案)》的说明" "$D/docs/rules-explanation.txt"

# 晋中: the provincial party secretary deliberates with the delegation he belongs to; a vice-chair of the
# standing committee, a delegate of 大同, joins; six delegates speak, then the secretary's remarks.
y meeting open --kind delegation --delegation 晋中 --title "晋中代表团全体会议（审议政府工作报告）" --date 2024-01-23 --half 下午
y checkin J01 J02 J03 J04 J05 J06 J07
y leave J08 --reason 因公请假
y meeting takeup 1
y meeting lead 唐登杰
y meeting join 吴俊清
# hands went up in this order; the floor was given in the order the page prints
for who in J06 J02 J07 J03 J05 J04; do y speech request "$who" --topic 审议政府工作报告; done
for who in J02 J03 J04 J05 J06 J07; do
  y speech start "$who"
  y speech end --summary "结合工作实际谈体会、谋发展、献良策，赞同政府工作报告。"
done
y speech start J01 --kind remarks
y speech end --summary-file "$D/tang-remarks.txt"
y meeting close

# 太原: the delegation's head, a member of the provincial standing committee, deliberates with it and speaks.
y meeting open --kind delegation --delegation 太原 --title "太原代表团全体会议（审议政府工作报告）" --date 2024-01-23 --half 下午
y checkin --delegation 太原
y meeting takeup 1 --presenter 金湘军
y meeting lead 韦韬
y speech start T01
y speech end --summary-file "$D/weitao.txt"
y meeting close

# The plenary of the afternoon: the plan and budget reports examined, the explanation of the draft rules
# heard; the rostrum entered as the protocol office's list came (the CPPCC's and the senior comrades' first),
# the academicians named as a group, and those attending without a vote by category.
y meeting open --kind plenary --title 第二次全体会议 --date 2024-01-23 --half 下午
y checkin --all
y meeting preside 吴俊清 卢东亮
y meeting takeup 2 --body 省人民政府
y meeting takeup 3 --body 省人民政府
y meeting takeup 4 --presenter 贺天才 --presents explain
y meeting rostrum 李正印 张复明 李晓波 李青山 李思进 王立伟 闫晨曦 王蕾
y meeting rostrum 骆惠宁 卫小春 李悦娥 李俊明 张瑞鹏 席小军 李武章
y meeting rostrum 王拥军 徐广国 张吉福 李凤岐 吴伟 卢东亮 韦韬 徐宝龙 田越 汤志平 李成林 赵红严 杨勤荣 熊继军
y meeting rostrum 冯军 杨景海 杨盛明 任明龙
y meeting rostrum 王一德 黄庆学 徐明岗 --group 在晋两院院士
for category in 在晋十四届全国人大代表 在晋十四届全国政协委员 十三届省政协委员 中央驻晋单位和企业负责同志; do
  y meeting attend --category "$category"
done
y meeting close
