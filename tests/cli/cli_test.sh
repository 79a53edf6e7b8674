#!/bin/sh
# cli_test.sh — the yishi command end to end on temporary session files: every command's --help,
# init, imports (good and bad files), meetings, attendance, status, log, doc, verify (and tamper), the export and
# yishi-verify, the hall, demo.
# usage: cli_test.sh PATH/TO/yishi
set -u
YISHI=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
n=0

fail() { failures=$((failures + 1)); echo "FAIL: $*"; }
# expect CODE CMD…: runs CMD, keeps stdout in $dir/out and stderr in $dir/err, checks the exit code
expect() {
  want=$1; shift; n=$((n + 1))
  "$@" >"$dir/out" 2>"$dir/err"; got=$?
  [ "$got" -eq "$want" ] || { fail "exit $got, wanted $want: $*"; sed 's/^/  | /' "$dir/err" | head -20; }
}
has() { grep -qF -- "$1" "$dir/$2" || { fail "$2 lacks '$1'"; sed 's/^/  | /' "$dir/$2" | head -20; }; }
lacks() { ! grep -qF -- "$1" "$dir/$2" || { fail "$2 has '$1'"; sed 's/^/  | /' "$dir/$2" | head -20; }; }
same() { [ "$(cat "$dir/out")" = "$1" ] || fail "output '$(cat "$dir/out")', wanted '$1'"; }

db=$dir/s.db

# --- help and usage
expect 0 "$YISHI" --help
for c in init import meeting checkin leave status delegate speech motion opinion poll election report export doc log verify demo count hall; do
  expect 0 "$YISHI" "$c" --help; has "usage: yishi $c" out
done
expect 2 "$YISHI" frobnicate; has "unknown command 'frobnicate'" err
expect 2 "$YISHI"
expect 2 "$YISHI" init -f "$db"; has "输入无效 / invalid input: --rules is required" err
expect 2 "$YISHI" status -f "$db" --bogus

# --- init
expect 1 "$YISHI" status -f "$db"; has "no session file" err
echo "not a database" >"$dir/text.db"
expect 1 "$YISHI" status -f "$dir/text.db"; has "is not a yishi session file" err
expect 1 "$YISHI" init -f "$db" --rules prc-nowhere; has "prc-provincial" err
[ ! -e "$db" ] || fail "a refused init left a file"
printf '[rules]\nid = broken\nlevel = galactic\n[quorum]\nshare = 3/2 at_least\n' >"$dir/bad.rules"
expect 1 "$YISHI" init -f "$db" --rules "$dir/bad.rules"; has "bad.rules:3:" err; has "bad.rules:5:" err
[ ! -e "$db" ] || fail "a refused init left a file"
expect 0 "$YISHI" init -f "$db" --rules prc-county --assembly 测试县人民代表大会 --term 第十八届 --session 第三次会议
expect 1 "$YISHI" init -f "$db" --rules prc-county; has "already holds a session" err
expect 0 "$YISHI" status -f "$db" --json; same '{"entitled":0,"present":0,"absent":0,"quorum":0,"quorate":false}'

# --- imports: all rows or none, every bad row named by its line
printf '\357\273\277rank,title\r\n1,县委书记\r\n2,县长\r\n' >"$dir/posts.csv"
expect 0 "$YISHI" import posts "$dir/posts.csv" -f "$db"; has "imported 2 rows" out
cat >"$dir/bad.csv" <<'CSV'
code,name,gender,ethnicity,delegation,seat,roles,post
C1,甲,男,汉族,城关,1-1,,县委书记
C2,乙,男,汉族,城关,1-1,,
C3,丙,?,汉族,城关,1-3,,
C1,丁,女,汉族,城关,1-4,,
C5,戊,女,汉族,城关,1-5,mayor,
C6,己,女,汉族,城关,1-6,,省长
CSV
expect 1 "$YISHI" import delegates "$dir/bad.csv" -f "$db"
for l in 3 4 5 6 7; do has "bad.csv:$l:" err; done
has "nothing was imported" err
expect 0 "$YISHI" status -f "$db" --json; has '"entitled":0' out
expect 2 "$YISHI" import delegates "$dir/missing.csv" -f "$db"; has "读写错误 / input/output error: cannot read" err
expect 2 "$YISHI" import people "$dir/bad.csv" -f "$db"
{
  echo "code,name,gender,ethnicity,delegation,seat,roles,post"
  i=1; while [ $i -le 30 ]; do echo "C$i,代表$i,男,汉族,第$((i % 3 + 1))组,2-$i,,"; i=$((i + 1)); done
} >"$dir/delegates.csv"
expect 0 "$YISHI" import delegates "$dir/delegates.csv" -f "$db"; has "imported 30 rows" out
expect 1 "$YISHI" import delegates "$dir/delegates.csv" -f "$db"; has "already in the session" err
printf 'order,kind,title,presenter,document\n1,deliberate,审议政府工作报告,县长,政府工作报告\n2,vote,表决决议,,\n' >"$dir/agenda.csv"
expect 0 "$YISHI" import agenda "$dir/agenda.csv" -f "$db"

# --- meetings and attendance: 30 delegates, quorum 20 (2/3 以上, Art. 14)
expect 1 "$YISHI" checkin C1 -f "$db"; has "当前状态下不允许 / not allowed in the current state: no meeting is open" err
expect 1 "$YISHI" speech next -f "$db"; has "no meeting is open" err; lacks "meeting 0" err
expect 0 "$YISHI" speech list -f "$db"; has "no meeting is open" out; lacks "meeting 0" out
expect 1 "$YISHI" meeting open --kind delegation --title 小组会议 -f "$db"
has "输入无效 / invalid input: a delegation meeting needs the name of its delegation" err
expect 2 "$YISHI" meeting open --kind plenary -f "$db"
expect 0 "$YISHI" meeting open --kind plenary --title 第一次全体会议 -f "$db"; has "meeting 1 opened" out
expect 1 "$YISHI" meeting open --kind plenary --title 又一次 -f "$db"; has "still open" err
expect 0 "$YISHI" meeting item 1 -f "$db"; has "meeting 1 moved to its item" out
expect 1 "$YISHI" meeting item 1 -f "$db"; has "item 1 (审议政府工作报告) is already under way at meeting 1" err
expect 1 "$YISHI" meeting item 9 -f "$db"; has "no agenda item 9" err
expect 1 "$YISHI" meeting item first -f "$db"; has "item" err
expect 2 "$YISHI" meeting item -f "$db"; has "meeting item N" err
expect 0 "$YISHI" meeting list -f "$db"
i=1; codes=""; while [ $i -le 19 ]; do codes="$codes C$i"; i=$((i + 1)); done
# shellcheck disable=SC2086
expect 0 "$YISHI" checkin $codes -f "$db"; has "19 delegates checked in" out
expect 0 "$YISHI" status -f "$db" --json; same '{"entitled":30,"present":19,"absent":11,"quorum":20,"quorate":false}'
expect 1 "$YISHI" checkin C1 -f "$db"; has "already checked in" err
expect 1 "$YISHI" checkin C20 C404 -f "$db"; has "C404" err
expect 0 "$YISHI" status -f "$db" --json; has '"present":19' out
expect 0 "$YISHI" checkin C20 -f "$db"
expect 0 "$YISHI" leave C21 C22 --reason 因病请假 -f "$db"
expect 0 "$YISHI" status -f "$db" --json; same '{"entitled":30,"present":20,"absent":10,"quorum":20,"quorate":true}'
expect 2 "$YISHI" delegate end C20 -f "$db"; has "needs --reason" err
expect 0 "$YISHI" delegate end C20 --reason 辞职 -f "$db"; has "29 delegates are entitled" out
expect 1 "$YISHI" delegate end C20 --reason 辞职 -f "$db"; has "already ended" err
expect 1 "$YISHI" checkin C20 -f "$db"; has "no longer a delegate" err
expect 0 "$YISHI" delegate show C20 -f "$db"; has "mandate ended" out
# corrections: the record changes, the log keeps what was replaced and why
expect 0 "$YISHI" correct delegate C21 --name 王小红 --gender 女 --reason 姓名性别录入有误 -f "$db"; has "gender male → female" out
expect 0 "$YISHI" delegate show C21 -f "$db"; has "C21 王小红 (女" out
expect 0 "$YISHI" log -f "$db" --type delegate.correct; has '"reason":"姓名性别录入有误","set":{"gender":"female","name":"王小红"}' out
expect 1 "$YISHI" correct delegate C21 --name 王小红 --reason 再改 -f "$db"; has "nothing to correct" err
expect 2 "$YISHI" correct delegate C21 --name 王小红 -f "$db"; has "needs --reason" err
expect 2 "$YISHI" correct delegate C21 --title 主任 --reason 录入有误 -f "$db"; has "correct delegate takes no --title" err
expect 1 "$YISHI" correct delegate C21 --delegation 第9组 --reason 录入有误 -f "$db"; has "delegation '第9组' is not in the session" err
expect 1 "$YISHI" correct item 1 --kind sing --reason 录入有误 -f "$db"; has "not 'sing'" err
expect 1 "$YISHI" correct attendee one --name x --reason 录入有误 -f "$db"; has "is not an id" err
expect 0 "$YISHI" verify -f "$db"
# 29 delegates: the quorum is 20 (29×2/3 = 19.3), and C20 no longer counts as present
expect 0 "$YISHI" status -f "$db" --json; same '{"entitled":29,"present":19,"absent":10,"quorum":20,"quorate":false}'
expect 0 "$YISHI" checkin C23 -f "$db"
expect 0 "$YISHI" status -f "$db"; has "出席人数符合法定人数" out; has "请假2人" out
expect 0 "$YISHI" meeting open --kind delegation --delegation 第2组 --title 第二组会议 -f "$db"
expect 0 "$YISHI" checkin --all -f "$db"; has "10 delegates checked in" out
expect 0 "$YISHI" status -f "$db" --json; same '{"entitled":10,"present":10,"absent":0,"quorum":null,"quorate":null}'
expect 0 "$YISHI" speech request C4 --topic 审议政府工作报告 -f "$db"
expect 0 "$YISHI" speech request C7 -f "$db"
expect 1 "$YISHI" speech request C2 -f "$db"; has "not a member" err
expect 0 "$YISHI" speech next -f "$db"; has "代表4" out
printf '赞同报告。\n建议加强基层医疗。\n' >"$dir/said.txt"
expect 0 "$YISHI" speech end --summary-file "$dir/said.txt" -f "$db"
expect 0 "$YISHI" speech start C10 -f "$db"
expect 1 "$YISHI" speech next -f "$db"; has "still speaking" err
expect 0 "$YISHI" speech end --summary 完全赞同 -f "$db"
expect 0 "$YISHI" speech list -f "$db"; has "建议加强基层医疗" out; has "waiting   代表7" out
expect 0 "$YISHI" meeting close -f "$db"
expect 0 "$YISHI" meeting list -f "$db"; has "第一次全体会议" out; has "closed" out

# --- motions: co-signed to the rule set's threshold (地方组织法第二十二条: 十人以上), decided, withdrawn with consent
expect 0 "$YISHI" motion --help; has "usage: yishi motion draft" out
expect 2 "$YISHI" motion draft --title 关于修建县城污水处理厂的议案 -f "$db"; has "--lead CODE" err
expect 1 "$YISHI" motion draft --title "" --lead C1 -f "$db"; has "案由" err
expect 1 "$YISHI" motion draft --title 关于修建县城污水处理厂的议案 --lead C20 -f "$db"; has "代表资格终止" err
printf '县城生活污水直排河道。\n' >"$dir/grounds.txt"
expect 0 "$YISHI" motion draft --title 关于修建县城污水处理厂的议案 --lead C1 --grounds-file "$dir/grounds.txt" \
  --plan 列入明年县级财政预算 -f "$db"; has "议案 1 「关于修建县城污水处理厂的议案」: draft, 1 signature (10 needed)" out
expect 1 "$YISHI" motion sign 1 C2 C3 C2 -f "$db"; has "C2 is named twice" err
expect 1 "$YISHI" motion sign 1 C2 X9 -f "$db"; has "only delegates sign" err
expect 0 "$YISHI" motion sign 1 C2 C3 C4 C5 C6 C7 C8 C9 -f "$db"; has "draft, 9 signatures" out
expect 1 "$YISHI" motion sign 1 C9 -f "$db"; has "has already signed" err
expect 1 "$YISHI" motion submit 1 -f "$db"; has "9 delegates have signed; 议案 needs 10 (地方组织法（2022）第二十二条第二款" err
expect 0 "$YISHI" motion sign 1 C10 -f "$db"
expect 0 "$YISHI" motion submit 1 -f "$db"; has "submitted, 10 signatures" out
expect 2 "$YISHI" motion decide 1 maybe -f "$db"
expect 0 "$YISHI" motion decide 1 agenda --note 交县人大常委会法工委 -f "$db"; has "列入大会议程" out
expect 1 "$YISHI" motion withdraw 1 -f "$db"; has "经主席团同意" err
expect 0 "$YISHI" motion withdraw 1 --consent -f "$db"; has "withdrawn" out
expect 0 "$YISHI" motion show 1 -f "$db"; has "县城生活污水直排河道" out; has "withdrawn with the presidium's consent" out
has "signed by (联名): 代表1、代表2" out
# an inquiry one short of ten, the presidium's deadline in Beijing time
expect 1 "$YISHI" motion draft --kind inquiry --title 关于农村公路养护资金的质询 --lead C1 --grounds 资金被挪用 -f "$db"
has "质询对象" err
expect 0 "$YISHI" motion draft --kind 质询案 --title 关于农村公路养护资金的质询 --lead C1 --grounds 资金被挪用 --to 县交通运输局 -f "$db"
expect 0 "$YISHI" motion sign 2 C2 C3 C4 C5 C6 C7 C8 C9 -f "$db"
expect 1 "$YISHI" motion submit 2 -f "$db"; has "9 delegates have signed; 质询案 needs 10 (地方组织法（2022）第二十四条" err
expect 2 "$YISHI" motion deadline inquiry "2024-02-30 12:00" -f "$db"; has "Beijing time" err
expect 0 "$YISHI" motion deadline inquiry "2000-01-01 08:00" -f "$db"
expect 1 "$YISHI" motion sign 2 C10 -f "$db"; has "deadline for 质询案 (inquiry) passed at 2000-01-01T00:00:00.000Z" err
expect 0 "$YISHI" motion deadline inquiry none -f "$db"
expect 0 "$YISHI" motion sign 2 C10 -f "$db"
expect 0 "$YISHI" motion submit 2 -f "$db"
expect 0 "$YISHI" motion decide 2 written -f "$db"
expect 0 "$YISHI" motion answer 2 --by 县交通运输局 --text 已全部追回并整改 -f "$db"
expect 1 "$YISHI" motion rate 2 C2 satisfied -f "$db"; has "only the delegate who drafted" err
expect 0 "$YISHI" motion rate 2 C1 基本满意 -f "$db"
expect 0 "$YISHI" motion list --kind inquiry -f "$db"; has "质询案 2" out; lacks "议案 1" out
# the vote that decides a motion on the agenda: one poll each, and the summary says how it went
expect 0 "$YISHI" motion draft --title 关于修建县城垃圾处理厂的议案 --lead C2 -f "$db"
expect 0 "$YISHI" motion sign 3 C1 C3 C4 C5 C6 C7 C8 C9 C10 -f "$db"
expect 0 "$YISHI" motion submit 3 -f "$db"
expect 1 "$YISHI" poll create --title 表决关于修建县城垃圾处理厂的议案 --motion 3 -f "$db"; has "not on the agenda" err
expect 0 "$YISHI" motion decide 3 agenda -f "$db"
expect 0 "$YISHI" poll create --title 表决关于修建县城垃圾处理厂的议案 --motion 3 -f "$db"
expect 1 "$YISHI" poll create --title 再次表决 --motion 3 -f "$db"; has "is decided by poll" err
expect 0 "$YISHI" report summary -f "$db"; has "主席团决定列入大会议程；交付大会表决" out
expect 0 "$YISHI" verify -f "$db"

# --- documents, log, verify
echo "政府工作报告 第一稿" >"$dir/r1.txt"
expect 0 "$YISHI" doc add 政府工作报告 "$dir/r1.txt" -f "$db"; has "version 1" out
expect 1 "$YISHI" doc add 政府工作报告 "$dir/r1.txt" -f "$db"; has "already has this content" err
echo "政府工作报告 第二稿" >"$dir/r2.txt"
expect 0 "$YISHI" doc add 政府工作报告 "$dir/r2.txt" --note 修改稿 -f "$db"; has "version 2" out
# a write past a file-size limit (ulimit -f, in a subshell) is refused as on a full disk: exit 3, not SIGXFSZ
head -c 3000000 /dev/zero | tr '\0' x >"$dir/big.txt"
expect 3 sh -c 'ulimit -f 1024 && exec "$0" doc add 附件 "$1" -f "$2"' "$YISHI" "$dir/big.txt" "$db"
has "no room to write the session file (disk full or a file size limit)" err
expect 0 "$YISHI" doc list -f "$db"; lacks "附件" out
expect 0 "$YISHI" log -f "$db" --json
lines=$(wc -l <"$dir/out")
[ "$lines" -gt 60 ] || fail "log has $lines events"
expect 0 "$YISHI" log -f "$db" --type meeting.; has "meeting.open" out
# one vocabulary with GET /api/log: --after SEQ gives the events after SEQ
expect 0 "$YISHI" log -f "$db" --after 3 --limit 2 --json; [ "$(wc -l <"$dir/out")" = 2 ] || fail "--limit 2 gave $(wc -l <"$dir/out") events"
has '"seq":4,' out; has '"seq":5,' out; lacks '"seq":3,' out
expect 2 "$YISHI" log -f "$db" --from 3; has "--from is now --after SEQ" err
expect 0 "$YISHI" verify -f "$db"; has "verified: $lines events" out
# the export: every event as hashed, for yishi-verify (beside yishi), which needs no session file
VERIFY=$(dirname "$YISHI")/yishi-verify
expect 0 "$YISHI" log -f "$db" --export; cp "$dir/out" "$dir/board.jsonl"
[ "$(wc -l <"$dir/board.jsonl")" = "$lines" ] || fail "the export has $(wc -l <"$dir/board.jsonl") events, the log $lines"
has '"payload":"{\"assembly\":' out; has '"prev_hash":"0000000000000000000000000000000000000000000000000000000000000000"' out
expect 2 "$YISHI" log -f "$db" --export --type meeting.; has "--export writes the whole log" err
expect 0 "$VERIFY" "$dir/board.jsonl"; has "verified: $lines events, each linked to the one before" out
expect 0 "$VERIFY" --json - <"$dir/board.jsonl"; has '"ok":true' out; has '"elections":[],"polls":[]' out
expect 2 "$VERIFY"; has "usage: yishi-verify" err
expect 2 "$VERIFY" "$dir/none.jsonl"; has "cannot open" err
sed '5s/"actor":"[^"]*"/"actor":"someone"/' "$dir/board.jsonl" >"$dir/changed.jsonl"
expect 1 "$VERIFY" "$dir/changed.jsonl"; has "DOES NOT VERIFY at event 5: event 5 (" out; has "does not match its hash" out
sed '3s/^{/[/' "$dir/board.jsonl" >"$dir/broken.jsonl"
expect 1 "$VERIFY" "$dir/broken.jsonl"; has "DOES NOT VERIFY: $dir/broken.jsonl:3:" out

# --- tamper: change one event, verify names it and the file is refused
if command -v sqlite3 >/dev/null; then
  cp "$db" "$dir/t.db"
  sqlite3 "$dir/t.db" "DROP TRIGGER events_append_only_update; UPDATE events SET payload = replace(payload, '代表7\"', '代表8\"') WHERE seq = (SELECT seq FROM events WHERE payload LIKE '%\"代表7\"%')"
  seq=$(sqlite3 "$dir/t.db" "SELECT seq FROM events WHERE payload LIKE '%\"代表8\"%' ORDER BY seq LIMIT 1")
  expect 1 "$YISHI" verify -f "$dir/t.db"; has "DOES NOT VERIFY at event $seq:" out
  expect 1 "$YISHI" status -f "$dir/t.db"; has "event $seq" err
  # status checks the end of the log against the last checkpoint: the last events cut off, or a
  # checkpoint that the replayed state does not match, are refused (exit 1) with a message
  cp "$db" "$dir/cut.db"; cp "$db" "$dir/cp.db"
  last=$(sqlite3 "$dir/cut.db" "SELECT max(seq) FROM events")
  sqlite3 "$dir/cut.db" "DROP TRIGGER events_append_only_delete; DELETE FROM events WHERE seq = $last"
  expect 1 "$YISHI" status -f "$dir/cut.db"
  has "会议日志校验失败 / session log does not verify: the last checkpoint is at event $last but the log ends at event $((last - 1)): events were removed" err
  has "yishi verify" err; [ ! -s "$dir/out" ] || fail "status printed figures of a log that does not verify"
  expect 1 "$YISHI" status --json -f "$dir/cut.db"; [ ! -s "$dir/out" ] || fail "status --json printed a log that does not verify"
  sqlite3 "$dir/cp.db" "UPDATE checkpoints SET state_digest = (CASE substr(state_digest, 1, 1) WHEN '0' THEN '1' ELSE '0' END) || substr(state_digest, 2) WHERE seq = $last"
  expect 1 "$YISHI" status -f "$dir/cp.db"; has "differs from the checkpoint at event $last, its last" err
  expect 1 "$YISHI" verify -f "$dir/cp.db"
else
  fail "sqlite3 is not installed (scripts/install-deps installs it)"
fi

# --- votes: a poll needs a quorate plenary; secret ballots leave no choice in the log
vdb=$dir/v.db
expect 0 "$YISHI" init -f "$vdb" --rules prc-county
expect 0 "$YISHI" import delegates "$dir/delegates.csv" -f "$vdb"
expect 0 "$YISHI" import agenda "$dir/agenda.csv" -f "$vdb"
expect 0 "$YISHI" poll create --title 表决决议 --item 2 -f "$vdb"
expect 1 "$YISHI" poll create --title 表决决议 --item 1 -f "$vdb"; has "not a vote" err
expect 1 "$YISHI" poll open 1 -f "$vdb"; has "no plenary meeting is open" err
expect 0 "$YISHI" meeting open --kind plenary --title 全体会议 -f "$vdb"
i=1; codes=""; while [ $i -le 19 ]; do codes="$codes C$i"; i=$((i + 1)); done
# shellcheck disable=SC2086
expect 0 "$YISHI" checkin $codes -f "$vdb"
expect 1 "$YISHI" poll open 1 -f "$vdb"; has "not quorate: 19 present, 20 needed" err
expect 0 "$YISHI" checkin C20 C21 -f "$vdb"
expect 0 "$YISHI" poll open 1 -f "$vdb"
i=1; while [ $i -le 15 ]; do expect 0 "$YISHI" poll vote 1 "C$i" yes -f "$vdb"; i=$((i + 1)); done
expect 1 "$YISHI" poll vote 1 C16 yse -f "$vdb"; has "'yse' is not a choice: yes (赞成), no (反对) or abstain (弃权)" err
expect 2 "$YISHI" poll vote 1 C16 -f "$vdb"; has "needs the poll, the delegate's code and the choice" err
expect 0 "$YISHI" poll vote 1 C16 赞成 -f "$vdb"
expect 0 "$YISHI" poll vote 1 C17 反对 -f "$vdb"
expect 1 "$YISHI" poll vote 1 C17 yes -f "$vdb"; has "already voted" err
expect 0 "$YISHI" status -f "$vdb"; has "quorate    yes" out
expect 1 "$YISHI" poll vote 1 C30 yes -f "$vdb"; has "not checked in" err
expect 0 "$YISHI" poll close 1 -f "$vdb"
expect 0 "$YISHI" poll show 1 -f "$vdb"
has "应出席代表30人，出席21人，缺席9人，出席人数符合法定人数。赞成16票，反对1票，弃权0票，未按表决器4人。通过。" out
# tellers' totals are entered once; a second entry is a correction with its reason, logged
expect 0 "$YISHI" poll create --title 举手表决 --item 2 --method show_of_hands -f "$vdb"
expect 0 "$YISHI" poll open 2 -f "$vdb"
expect 0 "$YISHI" poll totals 2 --yes 15 --no 2 --abstain 1 -f "$vdb"
expect 1 "$YISHI" poll totals 2 --yes 16 --no 2 --abstain 1 -f "$vdb"
has "与现有数据冲突 / conflicts with what exists: the totals of poll 2 are already entered (yes 15, no 2, abstain 1)" err
expect 2 "$YISHI" poll totals 2 --yes 16 --no 2 --abstain 1 --correct -f "$vdb"; has "--correct --reason TEXT" err
expect 0 "$YISHI" poll totals 2 --yes 16 --no 2 --abstain 1 --correct --reason 计票员漏计一票 -f "$vdb"
expect 0 "$YISHI" log --type poll.totals --json -f "$vdb"; has '"reason":"计票员漏计一票"' out
has '"replaces":{"abstain":1,"no":2,"yes":15}' out
expect 0 "$YISHI" poll close 2 -f "$vdb"
expect 0 "$YISHI" poll show 2 -f "$vdb"; has "赞成16票，反对2票，弃权1票" out
expect 0 "$YISHI" election create --office governor --seats 1 -f "$vdb"
expect 0 "$YISHI" election nominate 1 甲 -f "$vdb"
expect 1 "$YISHI" election nominate 1 乙 -f "$vdb"; has "presidium has nominated 1 names for 1 seats" err
expect 1 "$YISHI" election nominate 1 乙 --cosigners C1,C2,C3 -f "$vdb"; has "needs 10" err
expect 0 "$YISHI" election nominate 1 乙 --cosigners C1,C2,C3,C4,C5,C6,C7,C8,C9,C10 -f "$vdb"
expect 0 "$YISHI" election open 1 -f "$vdb"
i=1; while [ $i -le 12 ]; do expect 0 "$YISHI" election vote 1 "C$i" --yes 甲 -f "$vdb"; i=$((i + 1)); done
expect 0 "$YISHI" election vote 1 C13 --yes 乙 --no 甲 -f "$vdb"
expect 0 "$YISHI" election vote 1 C14 --write-in 丙 -f "$vdb"
expect 1 "$YISHI" election vote 1 C14 --yes 甲 -f "$vdb"; has "already turned in a ballot" err
expect 1 "$YISHI" election vote 1 C15 --yes 丁 -f "$vdb"; has "not a candidate" err
expect 0 "$YISHI" election close 1 -f "$vdb"
# what a person reads: the office as the rule set names it, the count as text, whole characters
expect 0 "$YISHI" election show 1 -f "$vdb"; has "election 1  县长, 1 seat  [closed]" out; has "代表10人联名提名" out
has "threshold  16 votes" out; has "甲  赞成12 反对1 弃权1" out; has "unfilled   1 seat" out; lacks "governor" out; lacks "{" out
expect 0 "$YISHI" election show 1 --json -f "$vdb"; has '"threshold":16' out; has '"unfilled":1' out
expect 0 "$YISHI" election list -f "$vdb"; has "选举县长：" out; lacks "governor" out
expect 0 "$YISHI" election announce 1 -f "$vdb"
expect 1 "$YISHI" election announce 1 -f "$vdb"; has "already been announced" err
expect 0 "$YISHI" election show 1 -f "$vdb"; has "甲得赞成票12张" out; has "尚缺1名，应当另行选举。" out
expect 0 "$YISHI" election next 1 -f "$vdb"
expect 0 "$YISHI" election show 2 -f "$vdb"; has "further round (另行选举)" out; has "另行选举的候选人" out
expect 0 "$YISHI" log -f "$vdb"; has "…" out
[ "$(LC_ALL=C.UTF-8 grep -caxv '.*' "$dir/out")" = 0 ] || fail "yishi log cut a character in half"
# login cards: a second card for a delegate is refused unless --reissue, which logs whose card it replaced
expect 0 "$YISHI" cards C1 C2 -f "$vdb"; has "$(printf 'C1\t代表1\t第2组\t')" out
first=$(grep '^C1' "$dir/out" | cut -f4)
expect 1 "$YISHI" cards C1 -f "$vdb"
has "与现有数据冲突 / conflicts with what exists: C1 代表1 (第2组) already has a card; --reissue replaces it" err
has "no card was issued" err; lacks "C1" out
expect 1 "$YISHI" cards --delegation 第2组 -f "$vdb"; has "C1 代表1 (第2组) already has a card" err
expect 0 "$YISHI" user list -f "$vdb"; [ "$(grep -c 'card issued' "$dir/out")" = 2 ] || fail "a refused cards issued a card"
expect 0 "$YISHI" cards C1 --reissue -f "$vdb"; has "replaced the card of C1 代表1 (第2组)" err
second=$(grep '^C1' "$dir/out" | cut -f4)
[ -n "$first" ] && [ -n "$second" ] && [ "$first" != "$second" ] || fail "cards --reissue gave '$second' after '$first'"
expect 0 "$YISHI" log --type card. --json -f "$vdb"; has '"type":"card.reissue","payload":{"delegate":1}' out
has '"actor":"cli:' out; lacks "$first" out; lacks "$second" out; [ "$(wc -l <"$dir/out")" = 1 ] || fail "card.reissue logged $(wc -l <"$dir/out") times"

# a first card as a QR code in the terminal and as SVG to print; not logged, as no first card is
expect 0 "$YISHI" cards C3 --qr --svg "$dir/svg" -f "$vdb"; has "█" out
third=$(grep '^C3' "$dir/out" | cut -f4)
[ -n "$third" ] && grep -qF ">$third</text>" "$dir/svg/C3.svg" && grep -qF '<svg ' "$dir/svg/C3.svg" || fail "no SVG card for C3"
expect 0 "$YISHI" log --type card. --json -f "$vdb"; [ "$(wc -l <"$dir/out")" = 1 ] || fail "a first card was logged"

# --- whole numbers on the command line: within the option's range or refused, never cut to 32 bits
expect 0 "$YISHI" poll create --title 举手表决 --method show_of_hands -f "$vdb"
expect 0 "$YISHI" poll open 3 -f "$vdb"
seq_before=$(sqlite3 "$vdb" "SELECT max(seq) FROM events")
for v in 4294967297 -1 1e3 12abc 99999999999999999999 ""; do
  expect 2 "$YISHI" election create --office governor --seats "$v" -f "$vdb"; has "'--seats' must be a whole number from 1 to 10000000" err
  expect 2 "$YISHI" poll create --title 决议 --item "$v" -f "$vdb"; has "'--item' must be a whole number from 1 to" err
  expect 2 "$YISHI" checkin C22 --meeting "$v" -f "$vdb"; has "'--meeting' must be a whole number" err
  expect 2 "$YISHI" speech list --meeting "$v" -f "$vdb"; has "'--meeting' must be a whole number" err
  expect 2 "$YISHI" report bulletin --meeting "$v" -f "$vdb"; has "'--meeting' must be a whole number" err
  if [ "$v" != 4294967297 ]; then expect 2 "$YISHI" log --limit "$v" -f "$vdb"; has "'--limit' must be a whole number" err; fi
  expect 2 "$YISHI" serve --threads "$v" -f "$vdb"; has "'--threads' must be a whole number" err
  expect 1 "$YISHI" poll totals 3 --yes "$v" --no 0 --abstain 0 -f "$vdb"; has "'--yes' must be a whole number from 0" err
  expect 1 "$YISHI" poll totals 3 --yes 1 --no 0 --abstain "$v" -f "$vdb"; has "'--abstain' must be a whole number" err
done
expect 2 "$YISHI" poll show 4294967298 -f "$vdb"; has "must be a whole number from 1 to 999999999" err
# --- yishi serve's configuration file: the options' names, problems said by line, the command line wins
printf '# settings\nfile = %s\nlisten = 127.0.0.1:0\nthreads = 0\nlisen = x\nthreads = 2\nsetup = maybe\nlog-level = loud\nno equals\n' "$vdb" >"$dir/bad.conf"
expect 2 "$YISHI" serve --config "$dir/bad.conf" --check-config
has "bad.conf:4: 'threads' must be a whole number from 1" err; has "bad.conf:5: no setting is called 'lisen'" err
has "bad.conf:6: threads: already set on line 4" err; has "bad.conf:7: setup: 'maybe' is not true or false" err
has "bad.conf:8: log-level: 'loud' is not a level" err; has "bad.conf:9: 'no equals' is not name = value" err
has "6 problems in the settings; nothing served" err
printf 'file = %s/none.db\ntls-cert = "%s/cert.pem"\n' "$dir" "$dir" >"$dir/tls.conf"
expect 2 "$YISHI" serve --config "$dir/tls.conf" --check-config
has "tls.conf:1: file: $dir/none.db: No such file" err; has "tls.conf:2: tls-cert: goes with --tls-key" err
expect 2 "$YISHI" serve --tls-cert= -f "$vdb" --check-config; has "--tls-cert: takes a value" err
printf 'file = %s\nlisten = 127.0.0.1:0\nlog-level = info\n' "$vdb" >"$dir/good.conf"
expect 0 "$YISHI" serve --config "$dir/good.conf" --check-config; has "the settings are good ($dir/good.conf)" out
expect 0 "$YISHI" serve --config "$(dirname "$0")/../../deploy/yishi.conf" -f "$vdb" --check-config   # the shipped example
expect 2 "$YISHI" serve --config "$dir/good.conf" --threads 0 --check-config; has "'--threads' must be a whole number from 1" err
expect 2 "$YISHI" serve --config "$dir/missing.conf" --check-config; has "missing.conf" err

# invisible formatting characters (here U+202E, U+200F) are refused in what ballots and reports print
expect 1 "$YISHI" poll create --title "$(printf '\342\200\256关于决议')" -f "$vdb"; has "title contains U+202E" err
printf 'rank,title\n1,县长\n2,副\342\200\217县长\n' >"$dir/bidi.csv"
expect 1 "$YISHI" import posts "$dir/bidi.csv" -f "$vdb"; has "bidi.csv:3:" err; has "U+200F" err
[ "$(sqlite3 "$vdb" "SELECT max(seq) FROM events")" = "$seq_before" ] || fail "a refused number or text changed the log"
expect 0 "$YISHI" poll totals 3 --yes 15 --no 3 --abstain 1 -f "$vdb"
expect 0 "$YISHI" verify -f "$vdb"; has "verified" out; has "were recorded by an operator" out
receipt=$(sqlite3 "$vdb" "SELECT seq || ':' || hash FROM events WHERE type = 'election.cast' LIMIT 1")
expect 0 "$YISHI" verify -f "$vdb" --receipt "$receipt"; has "(election.cast), bound by the hash chain" out
expect 1 "$YISHI" verify -f "$vdb" --receipt "${receipt%%:*}:0000000000000000000000000000000000000000000000000000000000000000"
has "does NOT match" out
expect 2 "$YISHI" verify -f "$vdb" --receipt 12
n_choice=$(sqlite3 "$vdb" "SELECT count(*) FROM events WHERE type IN ('poll.cast','election.cast') AND (payload LIKE '%yes%' OR payload LIKE '%甲%')")
[ "$n_choice" = 0 ] || fail "a cast event holds a choice"
sqlite3 "$vdb" "UPDATE ballot_box SET content = replace(content, '乙', '甲') WHERE content LIKE '%乙%'"
expect 1 "$YISHI" verify -f "$vdb"; has "recount of its ballot box" out

# --- count: exit 1 for input it refuses, as every command; 2 for usage
printf '{"kind":"resolution","rules":"prc-provincial","entitled":549,"present":533,"yes":500,"no":10,"abstain":13,"not_voted":10,"majority":"simple"}\n' >"$dir/res.json"
expect 0 "$YISHI" count "$dir/res.json"; has '"passed":true' out
printf '{"kind":"resolution","rules":"prc-provincial","entitled":549,"present":533,"yes":500,"no":10,"abstain":13,"not_voted":11,"majority":"simple"}\n' >"$dir/bad.json"
expect 1 "$YISHI" count "$dir/bad.json"; has '"error":"totals_mismatch"' err
expect 2 "$YISHI" count "$dir/nothing.json"; has '"error":"io"' err
expect 2 "$YISHI" count

# --- demo: the seed's arithmetic
expect 0 "$YISHI" demo -f "$dir/demo.db"; has "549 delegates" out
expect 0 "$YISHI" status -f "$dir/demo.db" --json; same '{"entitled":549,"present":533,"absent":16,"quorum":366,"quorate":true}'
expect 0 "$YISHI" verify -f "$dir/demo.db"
expect 0 "$YISHI" poll show 1 -f "$dir/demo.db"; has "赞成500票，反对10票，弃权13票，未按表决器10人。通过。" out
expect 0 "$YISHI" election show 1 -f "$dir/demo.db"; has "唐登杰得赞成票519张，当选。" out; has "  当选" out; lacks '"elected"' out
expect 0 "$YISHI" report bulletin --meeting 3 --issue 12 -f "$dir/demo.db"
has "（第12期）" out; has "1月23日下午，省委书记唐登杰来到他所在的晋中代表团，与代表们一起审议政府工作报告。" out
has "审议中，常书铭、刘星、刘玉东、王慧琴、王超、原丽花等代表先后发言。" out; has "在认真听取大家发言后，唐登杰说，" out
# --- a meeting as held: the demo's afternoon, numbered bulletins, the plenary report, and bad input refused
cp "$dir/demo.db" "$dir/held.db"
expect 0 "$YISHI" report plenary --meeting 5 -f "$dir/held.db"; has "大会听取了省人大常委会副主任贺天才作的" out
has "在晋两院院士王一德、黄庆学、徐明岗也在主席台就座。" out; has "等列席会议。" out
expect 1 "$YISHI" report plenary --meeting 3 -f "$dir/held.db"; has "its report is the bulletin" err
expect 0 "$YISHI" meeting bulletin --meeting 4 -f "$dir/held.db"; has "（第1期）" out; has "审议中，韦韬代表发言。" out
lacks "先后发言" out
expect 0 "$YISHI" meeting bulletin --meeting 3 -f "$dir/held.db"; has "（第2期）" out
expect 0 "$YISHI" report bulletin --meeting 4 -f "$dir/held.db"; has "（第1期）" out
expect 0 "$YISHI" log -f "$dir/held.db"; cp "$dir/out" "$dir/log-before"
expect 1 "$YISHI" speech start 140700003 --meeting 3 -f "$dir/held.db"; has "当前状态下不允许 / not allowed in the current state: meeting 3" err
has "is closed" err
expect 1 "$YISHI" meeting preside 张三 --meeting 5 -f "$dir/held.db"; has "对象不存在 / no such thing" err
has "neither a delegate nor on the attendees list" err
expect 1 "$YISHI" meeting held 2024-01-23 中午 --meeting 5 -f "$dir/held.db"; has "输入无效 / invalid input: unknown half-day '中午'" err
expect 1 "$YISHI" meeting held 2024-02-30 下午 --meeting 5 -f "$dir/held.db"; has "'2024-02-30' is not a date" err
expect 1 "$YISHI" meeting open --kind plenary --title 第四次全体会议 --date 1月25日 -f "$dir/held.db"; has "is not a date" err
expect 1 "$YISHI" meeting join 140700003 --meeting 3 -f "$dir/held.db"; has "check them in instead" err
expect 2 "$YISHI" meeting held 2024-01-23 --meeting 5 -f "$dir/held.db"; has "held needs the date and the half-day" err
expect 0 "$YISHI" log -f "$dir/held.db"; cmp -s "$dir/out" "$dir/log-before" || fail "a refused command changed the log"
expect 0 "$YISHI" meeting held 2024-01-23 晚上 --meeting 5 -f "$dir/held.db"; has "2024-01-23 晚上" out
expect 0 "$YISHI" meeting show --meeting 5 -f "$dir/held.db"; has "rostrum    王一德 · 两院院士 · 在晋两院院士" out
expect 0 "$YISHI" verify -f "$dir/held.db"
expect 2 "$YISHI" report minutes -f "$dir/demo.db"
# --- opinions on a document, gathered by section; a second version's explanation takes one up
cp "$dir/demo.db" "$dir/op.db"
expect 1 "$YISHI" opinion add --document 政府工作报告 --section 第二部分 --text 建议加大对县域经济的支持 --delegate 140100001 \
  --meeting 3 -f "$dir/op.db"; has "nor recorded as joining its meeting" err
expect 0 "$YISHI" opinion add --document 政府工作报告 --section 第二部分 --text 建议加大对县域经济的支持 --delegate 140100001 \
  --meeting 4 -f "$dir/op.db"; has "opinion 1 recorded" out
expect 0 "$YISHI" opinion add --document 政府工作报告 --section 第三部分 --text 建议增加生态保护内容 --delegation 晋中 -f "$dir/op.db"
expect 1 "$YISHI" opinion add --document 无此文件 --section 第一部分 --text 赞同 --delegation 晋中 -f "$dir/op.db"; has "no document titled" err
expect 2 "$YISHI" opinion explain --document 政府工作报告 --text 说明 -f "$dir/op.db"; has "--version N" err
expect 1 "$YISHI" opinion explain --document 政府工作报告 --version 2 --text 说明 --takes 1 -f "$dir/op.db"; has "version 2 or later" err
printf '政府工作报告（第二稿）\n' >"$dir/v2.txt"
expect 0 "$YISHI" doc add 政府工作报告 "$dir/v2.txt" --note 根据审议意见修改 -f "$dir/op.db"
expect 2 "$YISHI" opinion explain --document 政府工作报告 --version 2 --text 说明 --takes 1,x -f "$dir/op.db"
expect 0 "$YISHI" opinion explain --document 政府工作报告 --version 2 --text 在第二部分增加支持县域经济的内容 --takes 1 -f "$dir/op.db"
expect 0 "$YISHI" opinion list --document 政府工作报告 -f "$dir/op.db"; has "(taken up)" out
expect 2 "$YISHI" report opinions -f "$dir/op.db"
expect 1 "$YISHI" report opinions --document 99 -f "$dir/op.db"; has "no document 99" err
expect 0 "$YISHI" report opinions --document 1 -f "$dir/op.db"; has "《政府工作报告》审议意见汇总" out
has "第1条　太原代表团韦韬代表（就第1稿）：建议加大对县域经济的支持（第2稿已采纳）" out; has "本稿采纳的审议意见：第1条。" out
expect 0 "$YISHI" report opinions --document 1 --format pdf -o "$dir/opinions.pdf" -f "$dir/op.db"
expect 0 "$YISHI" verify -f "$dir/op.db"

# --- reports and exports from the log alone, each carrying the log head
expect 0 "$YISHI" report results -f "$dir/demo.db"; has "唐登杰得赞成票519张，当选。" out
has "应出席代表549人，出席533人，缺席16人，出席人数符合法定人数。赞成500票，反对10票，弃权13票，未按表决器10人。通过。" out
head=$("$YISHI" log --json -f "$dir/demo.db" | tail -1 | sed 's/.*"hash":"\([0-9a-f]*\)".*/\1/')
has "$head" out
expect 0 "$YISHI" report summary -f "$dir/demo.db"; has "三、议案及其处理情况" out; has "晋中代表团全体会议" out
expect 0 "$YISHI" report summary --format html -o "$dir/summary.html" -f "$dir/demo.db"
expect 0 xmllint --noout "$dir/summary.html"
expect 0 "$YISHI" report summary --format pdf -o "$dir/summary.pdf" -f "$dir/demo.db"
expect 0 pdftotext -enc UTF-8 "$dir/summary.pdf" "$dir/out"; has "会议情况汇总" out; has "唐登杰当选" out
expect 0 "$YISHI" report bulletin --meeting 3 --format pdf -o "$dir/bulletin.pdf" -f "$dir/demo.db"
expect 0 pdftotext -enc UTF-8 "$dir/bulletin.pdf" "$dir/out"; has "常书铭" out
expect 2 "$YISHI" report summary --format docx -f "$dir/demo.db"; has "--format must be text, html or pdf" err
expect 2 "$YISHI" report summary --poll 1 -f "$dir/demo.db"; has "the summary takes no --poll" err
expect 1 "$YISHI" report rollcall --poll 1 -f "$dir/demo.db"; has "anonymous" err
expect 1 "$YISHI" report results --poll 99 -f "$dir/demo.db"; has "no poll 99" err
cp "$dir/demo.db" "$dir/named.db"
expect 0 "$YISHI" poll create --title 关于测试的决定 --named -f "$dir/named.db"
expect 0 "$YISHI" poll open 8 -f "$dir/named.db"
expect 0 "$YISHI" poll vote 8 140100001 yes -f "$dir/named.db"
expect 0 "$YISHI" poll vote 8 140100002 反对 -f "$dir/named.db"
expect 1 "$YISHI" report rollcall --poll 8 -f "$dir/named.db"; has "poll 8 is open" err
expect 0 "$YISHI" poll close 8 -f "$dir/named.db"
expect 0 "$YISHI" report rollcall -f "$dir/named.db"; has "关于测试的决定" out; has "韦韬" out
grep "140100002" "$dir/out" | grep -q "反对$" || fail "the roll call lacks 140100002's 反对"
expect 0 "$YISHI" export popolo -o "$dir/popolo.json" -f "$dir/named.db"
expect 0 python3 -c "import json,sys; d=json.load(open(sys.argv[1])); v=d['vote_events']; assert len(d['organizations'])==13; assert [e['id'] for e in v if 'votes' in e]==['vote/poll-8'], v" "$dir/popolo.json"
expect 0 "$YISHI" export csv -o "$dir/csv" -f "$dir/demo.db"
for l in delegates delegations attendees meetings attendance polls elections; do [ -s "$dir/csv/$l.csv" ] || fail "no $l.csv"; done
expect 0 python3 -c "import csv,sys; r=list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8'))); assert len(r)==550 and r[0][:2]==['code','name'], len(r)" "$dir/csv/delegates.csv"
expect 0 "$YISHI" export csv --list elections -f "$dir/demo.db"; has "唐登杰,519,4,7,false,true" out
expect 2 "$YISHI" export csv -f "$dir/demo.db"; has "needs -o DIR" err
expect 1 "$YISHI" export csv --list minutes -f "$dir/demo.db"; has "no list 'minutes'" err
expect 0 "$YISHI" export akn -o "$dir/akn" -f "$dir/demo.db"
for x in "$dir"/akn/*.xml; do expect 0 xmllint --noout "$x"; done
expect 0 "$YISHI" export akn --meeting 3 -f "$dir/demo.db"; has '<speech eId="dbsect_speeches__spc_1" by="#p_140700003">' out
expect 2 "$YISHI" export akn --list x -f "$dir/demo.db"; has "--list is for the csv export" err
expect 2 "$YISHI" export minutes -f "$dir/demo.db"
expect 1 "$YISHI" demo -f "$dir/demo.db"; has "already holds a session" err
# a demo killed half-way leaves no session that verifies but lacks half its meetings; the next one builds it whole
"$YISHI" demo -f "$dir/killed.db" >/dev/null 2>&1 &
pid=$!
i=0; while [ ! -s "$dir/killed.db-building" ] && [ $i -lt 200 ]; do sleep 0.02; i=$((i + 1)); done
kill -9 $pid; wait $pid 2>/dev/null
[ -e "$dir/killed.db-building" ] || fail "the demo was not building under its temporary name"
[ ! -e "$dir/killed.db" ] || fail "a demo killed half-way left $dir/killed.db"
expect 0 "$YISHI" demo -f "$dir/killed.db"; has "549 delegates" out
expect 0 "$YISHI" verify -f "$dir/killed.db"
[ ! -e "$dir/killed.db-building" ] || fail "a finished demo left its temporary file"

# --- the hall: a layout imported all or nothing, replaced whole, delegates moved, and the national demo
hall="$dir/hall.db"
expect 0 "$YISHI" init -f "$hall" --rules prc-county
printf 'code,name,gender,ethnicity,delegation,seat\nH1,甲,男,汉族,东区,1-1\nH2,乙,女,汉族,东区,1-2\nH3,丙,男,汉族,西区,9-9\n' >"$dir/hd.csv"
expect 0 "$YISHI" import delegates "$dir/hd.csv" -f "$hall"
printf 'seat,tier,block,row,number,tier_name,delegation\n1-1,1,左区,1,1,一层,东区\n1-2,1,左区,1,2,,\n2-1,2,楼座,1,1,二层,\n' >"$dir/hall.csv"
printf 'seat,tier,block,row,number\n1-1,1,A,1,1\n01-01,1,A,1,2\n1-2,顶层,A,1,3\n1-3,1,A,1,999\n' >"$dir/badhall.csv"
expect 1 "$YISHI" import hall "$dir/badhall.csv" -f "$hall"
has "badhall.csv:3: seat: seat '1-1' is also on line 2" err; has "badhall.csv:4: tier: tier '顶层' is not a floor" err
has "badhall.csv:5: number: number '999' is not a place from 1 to 200" err; has "3 problems; nothing was imported" err
expect 0 "$YISHI" hall -f "$hall"; has "no hall layout" out; has "3 delegates seated outside the layout" out
expect 0 "$YISHI" import hall "$dir/hall.csv" -f "$hall"; has "hall: imported 3 rows" out
expect 0 "$YISHI" hall -f "$hall"; has "hall layout 1: 2 tiers, 2 blocks, 3 seats" out
has "tier 1 (一层): 左区 2 seats in 1 rows reserved for 东区" out; has "unplaced H3 丙: seat 9-9" out
expect 1 "$YISHI" delegate seat H3 1-1 -f "$hall"; has "seat 1-1 is taken by 甲 (H1, 东区); move them first, or swap" err
expect 1 "$YISHI" delegate seat H3 5-5 -f "$hall"; has "seat 5-5 is not in the hall's layout" err
expect 0 "$YISHI" delegate seat H3 02-01 -f "$hall"; same 'H3 丙: 2-1'
expect 0 "$YISHI" delegate seat H3 1-1 --swap -f "$hall"; has 'H3 丙: 1-1' out; has 'H1 甲: 2-1' out
expect 0 "$YISHI" delegate unseat H2 -f "$hall"; same 'H2 乙: no seat'
expect 1 "$YISHI" delegate unseat H2 -f "$hall"; has "has no seat" err
expect 2 "$YISHI" delegate unseat H2 --swap -f "$hall"
expect 0 "$YISHI" hall -f "$hall"; has "placed 2 delegates; 1 seats empty; 0 delegates seated outside the layout; 1 without a seat" out
expect 0 "$YISHI" log --type delegate.seat --json -f "$hall"; has '"swap":1' out
expect 0 "$YISHI" import hall "$dir/hall.csv" -f "$hall"; expect 0 "$YISHI" hall -f "$hall"; has "hall layout 2:" out
expect 0 "$YISHI" verify -f "$hall"
expect 2 "$YISHI" demo --hall great -f "$dir/great.db"; has "no demo hall 'great' (shanxi, the default" err; has "npc:" err
expect 0 "$YISHI" demo --hall npc -f "$dir/npc.db"; has "35 delegations, 2977 delegates" out; has '"name":"beijing"' out
expect 0 "$YISHI" hall -f "$dir/npc.db"; has "3 tiers, 9 blocks" out
has "placed 2977 delegates;" out; has "0 delegates seated outside the layout; 0 without a seat" out
expect 0 "$YISHI" status -f "$dir/npc.db"; has "第十四届全国人民代表大会第二次会议" out
expect 0 "$YISHI" verify -f "$dir/npc.db"
expect 0 "$YISHI" hall -f "$dir/demo.db"; has "placed 549 delegates; 51 seats empty" out

# The keys of verifiable ballots: the demo's, complete; a new ceremony; votes on a key
expect 0 "$YISHI" key list -f "$dir/demo.db"; has "key 1: 2 of 3 trustees, complete; joint key" out
has "trustee3                 public share published" out
expect 2 "$YISHI" key create -f "$dir/demo.db"; has "create needs --trustee LOGIN" err
expect 1 "$YISHI" key create --trustee trustee1 --trustee trustee1 --threshold 1 -f "$dir/demo.db"; has "is named twice" err
expect 1 "$YISHI" key create --trustee trustee1 --trustee trustee2 --threshold 3 -f "$dir/demo.db"; has "the threshold is 1 to" err
expect 1 "$YISHI" key create --trustee trustee1 --trustee chair --threshold 1 -f "$dir/demo.db"
has "chair is not an account of the role trustee" err
expect 1 "$YISHI" key create --trustee trustee1 --trustee nobody --threshold 1 -f "$dir/demo.db"
has "nobody is not an account of the role trustee" err
expect 0 "$YISHI" key create --trustee trustee1 --trustee trustee2 --threshold 2 -f "$dir/demo.db"; has "key 2: 2 of 2 trustees, committing" out
expect 1 "$YISHI" key create --trustee trustee3 --threshold 1 -f "$dir/demo.db"; has "key 2's ceremony is still under way" err
expect 1 "$YISHI" poll create --title 决议 --key 9 -f "$dir/demo.db"; has "no key 9" err
expect 1 "$YISHI" poll create --title 决议 --key 1 --named -f "$dir/demo.db"; has "a verifiable vote is anonymous" err
expect 0 "$YISHI" poll create --title 决议 --key 1 -f "$dir/demo.db"
expect 0 "$YISHI" election create --office sc_chair --seats 1 --by-election --key 1 -f "$dir/demo.db"
expect 0 "$YISHI" log --type poll.create --json -f "$dir/demo.db"; has '"key":1' out
expect 0 "$YISHI" verify -f "$dir/demo.db"

echo "$n checks, $failures failed"
[ "$failures" -eq 0 ]
