#!/bin/sh
# board_nchan_test.sh — the public board through nginx + nchan: yishi serve publishing to
# scripts/board-nchan, a watcher there gets the frames of /api/stream/public with the same ids, and
# resumes with Last-Event-ID (from nchan's memory, or from yishi's file when that is too old), also after
# nginx, and then yishi, were restarted. usage: board_nchan_test.sh PATH/TO/yishi REPO; exits 77 (skipped) only
# when nginx or its nchan module is not installed (scripts/install-deps installs both).
set -u
YISHI=$1
REPO=$2
module=${NCHAN_MODULE:-/usr/lib/nginx/modules/ngx_nchan_module.so}
if ! command -v nginx >/dev/null || [ ! -f "$module" ]; then
  echo "SKIPPED: nginx or libnginx-mod-nchan is not installed (scripts/install-deps installs them)"
  exit 77
fi
dir=$(mktemp -d)
chmod 755 "$dir" # nginx's workers (nobody, when started as root) reach their paths through it
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
failures=0
fail() { failures=$((failures + 1)); echo "FAIL: $*"; }

# Four ports next to each other, picked from the pid so that parallel runs do not meet.
base=$((20000 + ($$ % 3000) * 4)) # below the ephemeral ports (32768 on)
YPORT=$base BOARD=$((base + 1)) PUB=$((base + 2)) RESUME=$((base + 3))
API=http://127.0.0.1:$YPORT/api
STREAM=http://127.0.0.1:$BOARD/board/stream

# until SECONDS COMMAND…: runs COMMAND every 0.1 s until it succeeds; false when it never did
until_ok() {
  t=$(($1 * 10)); shift
  while [ $t -gt 0 ]; do "$@" && return 0; sleep 0.1; t=$((t - 1)); done
  return 1
}
# frames FILE: the stream's frames (not its comments nor heartbeats), one line each
frames() { awk 'BEGIN { RS = ""; FS = "\n" } /^id: [0-9]+\nevent: / { gsub(/\n/, " | "); print }' "$1"; }
# after SEQ: the frames of yishi's own public stream after SEQ
after() { frames "$dir/yishi.sse" | awk -v s="$1" '{ split($2, a, " "); if ($2 + 0 > s + 0) print }'; }
seqs() { frames "$1" | sed 's/^id: \([0-9]*\).*/\1/' | tr '\n' ' '; }
has_frame() { frames "$1" | grep -q "event: $2"; }
# watch NAME [CURL-ARGS…]: a watcher of the board in the background, into $dir/NAME.sse
watch() { name=$1; shift; curl -sN "$@" "$STREAM" >"$dir/$name.sse" 2>/dev/null & pids="$pids $!"; eval "pid_$name=$!"; }
start_nginx() {
  "$REPO/scripts/board-nchan" --listen 127.0.0.1:$BOARD --yishi 127.0.0.1:$YPORT --publish-port $PUB \
    --resume-port $RESUME --prefix "$dir/nginx" --workers 2 --connections 512 >"$dir/nginx.out" 2>&1 &
  nginx_pid=$!; pids="$pids $nginx_pid"
  until_ok 60 sh -c "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$PUB/board/pub | grep -q '^[23]'" ||
    { fail "nginx did not start on ports $BOARD, $PUB"; tail -5 "$dir/nginx.out" "$dir/nginx/logs/error.log"; exit 1; }
}
start_yishi() {
  "$YISHI" serve -f "$dir/demo.db" --listen 127.0.0.1:$YPORT --nchan-publish "http://127.0.0.1:$PUB/board/pub" \
    --nchan-resume-port $RESUME --heartbeat 1 >"$dir/yishi.out" 2>"$dir/yishi.err" &
  yishi_pid=$!; pids="$pids $yishi_pid"
  until_ok 60 grep -q "listening on" "$dir/yishi.out" || { echo "FAIL: yishi serve did not start"; cat "$dir/yishi.err"; exit 1; }
  # and answers: a restart replays the log (the demo's encrypted ballots take a second or more) before the
  # API is served
  until_ok 60 sh -c "curl -sf '$API/health' >/dev/null" || { echo "FAIL: yishi serve does not answer"; cat "$dir/yishi.err"; exit 1; }
}
login() { curl -s -X POST "$API/login" -d "$1" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p'; }
as() { t=$1; shift; curl -s -H "Authorization: Bearer $t" "$@"; }
vote() { # vote POLL CODE
  t=$(login "{\"code\":\"DEMO$(printf %012d "$2")\",\"pin\":\"135790\"}")
  as "$t" -X POST "$API/polls/$1/votes" -d '{"choice":"yes"}' | grep -q '"seq"' || fail "vote of $2 refused"
}

# The demo the run made once (the CTest fixture demo_template), else one of its own.
if [ -n "${YISHI_TEST_DEMO:-}" ] && [ -r "$YISHI_TEST_DEMO" ]; then
  cp "$YISHI_TEST_DEMO" "$dir/demo.db"
else
  "$YISHI" demo -f "$dir/demo.db" >/dev/null 2>&1 || { echo "FAIL: yishi demo"; exit 1; }
fi
start_nginx
start_yishi
# The publisher is attached once its first heartbeat has gone through nchan.
until_ok 60 sh -c "curl -s http://127.0.0.1:$PUB/board/pub | grep -q heartbeat" || fail "no heartbeat reached nchan"

curl -sN "$API/stream/public" >"$dir/yishi.sse" 2>/dev/null & pids="$pids $!"
watch all
watch early
until_ok 60 grep -q "live events" "$dir/yishi.sse" || fail "yishi's stream did not open"

# --- a vote: the same frames, with the same ids, on both sides
CHAIR=$(login '{"name":"chair","password":"demo-chair"}')
poll=$(as "$CHAIR" -X POST "$API/polls" -d '{"title":"关于政府工作报告的决议（草案）"}' | sed -n 's/.*"payload":{[^}]*"id":\([0-9]*\).*/\1/p')
[ -n "$poll" ] || fail "no poll created"
as "$CHAIR" -X POST "$API/polls/$poll/open" | grep -q '"seq"' || fail "poll not opened"
until_ok 60 has_frame "$dir/early.sse" poll.open || fail "the board's watcher did not see poll.open"
kill "$pid_early"
early_last=$(seqs "$dir/early.sse" | awk '{ print $NF }')
for code in 140100001 140100002 140100003; do vote "$poll" $code; done
as "$CHAIR" -X POST "$API/polls/$poll/close" | grep -q '"seq"' || fail "poll not closed"
until_ok 60 has_frame "$dir/yishi.sse" poll.close || fail "yishi's stream did not see poll.close"
until_ok 60 has_frame "$dir/all.sse" poll.close || fail "the board's watcher did not see poll.close"
[ "$(frames "$dir/all.sse")" = "$(frames "$dir/yishi.sse")" ] ||
  { fail "nchan's frames differ from yishi's"; diff "$dir/all.sse" "$dir/yishi.sse" | head -20; }
# the board sees the votes as turnout (one frame per flush of ballots), the last of them counting all 3
[ "$(frames "$dir/yishi.sse" | wc -l)" -ge 4 ] || fail "fewer frames than create, open, turnout, close"
frames "$dir/yishi.sse" | grep "event: poll.turnout" | tail -1 | grep -q '"voted":3' ||
  fail "the board's last turnout of poll $poll does not count the 3 votes"

# --- resume after a disconnect, from nchan's memory: exactly what came after, by header or by query
watch resumed -H "Last-Event-ID: $early_last"
watch resumed_q --get --data "last_event_id=$early_last"
until_ok 60 has_frame "$dir/resumed.sse" poll.close || fail "the resumed watcher did not get to poll.close"
until_ok 60 has_frame "$dir/resumed_q.sse" poll.close || fail "the watcher resumed by query did not get to poll.close"
[ "$(frames "$dir/resumed.sse")" = "$(after "$early_last")" ] ||
  fail "resumed after $early_last: got $(seqs "$dir/resumed.sse"), wanted those of yishi after it"
[ "$(frames "$dir/resumed_q.sse")" = "$(after "$early_last")" ] || fail "resumed by query: got $(seqs "$dir/resumed_q.sse")"
grep -q "live events" "$dir/resumed.sse" && fail "a resume nchan could serve went to yishi"

# --- an id older than nchan's memory: yishi serves it from the file, through the same URL
first=$(seqs "$dir/yishi.sse" | awk '{ print $1 }')
watch old -H "Last-Event-ID: $((first - 1))"
until_ok 60 has_frame "$dir/old.sse" poll.close || fail "the watcher with an old id did not get to poll.close"
[ "$(frames "$dir/old.sse")" = "$(frames "$dir/yishi.sse")" ] || fail "resumed from the file: got $(seqs "$dir/old.sse")"

# --- nginx restarted (nchan's memory gone) while the hall goes on: nothing is lost on the board
last=$(seqs "$dir/yishi.sse" | awk '{ print $NF }')
kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null
poll2=$(as "$CHAIR" -X POST "$API/polls" -d '{"title":"第二项"}' | sed -n 's/.*"payload":{[^}]*"id":\([0-9]*\).*/\1/p')
as "$CHAIR" -X POST "$API/polls/$poll2/open" >/dev/null
start_nginx
until_ok 60 sh -c "curl -s http://127.0.0.1:$PUB/board/pub | grep -q 'id: '" || fail "nothing published after nginx came back"
watch back -H "Last-Event-ID: $last"
vote "$poll2" 140100004
turnout2="\"poll\":$poll2,\"voted\":1"
until_ok 60 grep -q "$turnout2" "$dir/yishi.sse" || fail "yishi's stream did not see the turnout of poll $poll2"
until_ok 60 grep -q "$turnout2" "$dir/back.sse" || fail "the watcher who came back did not see the turnout of poll $poll2"
[ "$(frames "$dir/back.sse")" = "$(after "$last")" ] ||
  fail "after nginx's restart, resumed after $last: got $(seqs "$dir/back.sse"), wanted $(after "$last" | sed 's/^id: \([0-9]*\).*/\1/' | tr '\n' ' ')"

# --- yishi restarted while nginx stays: the watchers stay connected and a resume still comes from nchan
# (the one who came back above is on yishi's own stream, being resumed from the file: not this one)
watch stay
until_ok 60 grep -q heartbeat "$dir/stay.sse" || fail "a new watcher got no heartbeat"
kill "$yishi_pid"; wait "$yishi_pid"; rc=$?
[ $rc -eq 0 ] || fail "yishi serve exited $rc on SIGTERM"
last=$(seqs "$dir/yishi.sse" | awk '{ print $NF }')
start_yishi
curl -sN "$API/stream/public?after=$last" >"$dir/yishi2.sse" 2>/dev/null & pids="$pids $!"
watch again -H "Last-Event-ID: $last"
CHAIR=$(login '{"name":"chair","password":"demo-chair"}')
closed=$(as "$CHAIR" -X POST "$API/polls/$poll2/close"); echo "$closed" | grep -q '"seq"' || fail "second poll not closed: $closed"
until_ok 60 has_frame "$dir/stay.sse" poll.close || fail "a watcher connected across yishi's restart missed the close"
until_ok 60 has_frame "$dir/again.sse" poll.close || fail "the watcher resumed after yishi's restart missed the close"
until_ok 60 has_frame "$dir/yishi2.sse" poll.close || fail "yishi's stream missed the close"
[ "$(frames "$dir/again.sse")" = "$(frames "$dir/yishi2.sse")" ] || fail "resumed after yishi's restart: got $(seqs "$dir/again.sse")"
grep -q "live events" "$dir/again.sse" && fail "after yishi's restart, a resume nchan could serve went to yishi"

kill "$yishi_pid"; wait "$yishi_pid"; rc=$?
[ $rc -eq 0 ] && grep -q "stopped at event" "$dir/yishi.err" ||
  { fail "yishi serve did not stop cleanly (exit $rc)"; tail -20 "$dir/yishi.err"; }
[ $failures -eq 0 ] && echo "board through nchan: all checks passed" || echo "$failures failures"
[ $failures -eq 0 ]
