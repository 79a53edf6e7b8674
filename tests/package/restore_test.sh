#!/bin/sh
# restore_test.sh — the backup and restore of docs/operations.md, end to end: a served session written to,
# `yishi backup` and the timer's script (deploy/yishi-backup) beside the running server, a write after the
# backup, the server stopped, the file replaced by the copy, `yishi verify`, and the session served again
# with what the copy holds and nothing after it. Loopback ports 18500–18549.
# usage: restore_test.sh PATH/TO/yishi PATH/TO/deploy/yishi-backup
set -u
YISHI=$1
BACKUP=$2
dir=$(mktemp -d)
pid=""
cleanup() {
  [ -z "$pid" ] || kill "$pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
failures=0
fail() { failures=$((failures + 1)); echo "FAIL: $*"; }
die() { echo "FAIL: $*"; exit 1; }

# serve: yishi serve on the first free port from 18500, until /api/health answers; sets $pid and $url.
serve() {
  for port in $(seq 18500 18549); do
    "$YISHI" serve --config "$dir/empty.conf" -f "$dir/s.db" --listen "127.0.0.1:$port" >>"$dir/serve.out" 2>&1 &
    pid=$!
    url=http://127.0.0.1:$port
    for _ in $(seq 100); do
      curl -sf "$url/api/health" >/dev/null 2>&1 && return 0
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=""
  done
  sed 's/^/  | /' "$dir/serve.out" | tail -20
  die "yishi serve answered on no port of 18500-18549"
}
# stop: SIGTERM to the server this test started, and its exit code 0.
stop() {
  kill -TERM "$pid"
  wait "$pid"; rc=$?; pid=""
  [ "$rc" -eq 0 ] || fail "yishi serve exited $rc on SIGTERM"
}
# document TITLE: a new document through the API, as the secretariat.
document() {
  code=$(curl -s -o "$dir/doc.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
    -d "{\"title\":\"$1\",\"content\":\"$1。\"}" "$url/api/documents")
  [ "$code" = 201 ] || fail "POST /api/documents $1: $code $(cat "$dir/doc.json")"
}
# script: deploy/yishi-backup as yishi-backup.service runs it, in the session's folder, with its settings.
script() {
  (cd "$dir" && YISHI=$YISHI YISHI_CONFIG=$dir/yishi.conf YISHI_BACKUP_DIR=$dir/backups YISHI_BACKUP_KEEP=2 \
    "$BACKUP") >"$dir/script.out" 2>&1 || { fail "yishi-backup exited $?"; sed 's/^/  | /' "$dir/script.out"; }
}
copies() {
  n=0
  for c in "$dir"/backups/s-[0-9]*T[0-9]*Z.db; do [ -e "$c" ] && n=$((n + 1)); done
  echo "$n"
}

: >"$dir/empty.conf"
printf '# as /etc/yishi/yishi.conf names it\nfile = "s.db"\nlisten = 127.0.0.1:8080\n' >"$dir/yishi.conf"
mkdir "$dir/backups"
"$YISHI" init -f "$dir/s.db" --rules prc-county --assembly 测试县人民代表大会 --term 第十八届 --session 第三次会议 \
  >/dev/null || die "yishi init"
printf 'correct-horse-battery\n' | "$YISHI" user add --role secretariat --name sec --password-file - -f "$dir/s.db" \
  >/dev/null || die "yishi user add"

# --- served and written to; backed up while served
serve
token=$(curl -s -d '{"name":"sec","password":"correct-horse-battery"}' "$url/api/login" |
  sed -n 's/.*"token":[[:space:]]*"\([^"]*\)".*/\1/p')
[ -n "$token" ] || die "no token from POST /api/login"
document 备份之前的通知
"$YISHI" backup -f "$dir/s.db" "$dir/copy.db" >"$dir/backup.out" 2>&1 || fail "yishi backup beside the server: $(cat "$dir/backup.out")"
grep -q "verified" "$dir/backup.out" || fail "yishi backup did not say the copy verified: $(cat "$dir/backup.out")"
"$YISHI" backup -f "$dir/s.db" "$dir/copy.db" >/dev/null 2>&1 && fail "yishi backup wrote over a copy"
seq_at_backup=$(curl -s "$url/api/health" | sed -n 's/.*"seq":\([0-9]*\).*/\1/p')

# --- the timer's script: a copy, none when nothing changed, the newest 2 kept
script
[ "$(copies)" -eq 1 ] || fail "yishi-backup made $(copies) copies, wanted 1: $(cat "$dir/script.out")"
sleep 1.1
script
grep -q "no new copy kept" "$dir/script.out" || fail "an unchanged session was copied again: $(cat "$dir/script.out")"
[ "$(copies)" -eq 1 ] || fail "after an unchanged run $(copies) copies, wanted 1"
document 第一次备份之后
sleep 1.1
script
document 第二次备份之后
sleep 1.1
script
[ "$(copies)" -eq 2 ] || fail "keep 2: $(copies) copies: $(ls "$dir/backups")"
grep -q "removed .*keeping the newest 2" "$dir/script.out" || fail "the oldest copy was not said removed: $(cat "$dir/script.out")"
for c in "$dir"/backups/s-*.db; do
  "$YISHI" verify -f "$c" >/dev/null 2>&1 || fail "$c does not verify"
done
YISHI_BACKUP_KEEP=zero "$BACKUP" >"$dir/bad.out" 2>&1 && fail "YISHI_BACKUP_KEEP=zero was taken"
grep -q "YISHI_BACKUP_KEEP='zero'" "$dir/bad.out" || fail "a bad YISHI_BACKUP_KEEP not named: $(cat "$dir/bad.out")"
YISHI_BACKUP_DIR=$dir/nowhere "$BACKUP" >"$dir/bad.out" 2>&1 && fail "a missing backup folder was taken"
grep -q "nowhere: no such folder" "$dir/bad.out" || fail "a missing backup folder not named: $(cat "$dir/bad.out")"

# --- the restore: stop, keep the damaged file aside, the copy in its place, verify, serve again
stop
mv "$dir/s.db" "$dir/s.db.damaged"
rm -f "$dir/s.db-wal" "$dir/s.db-shm"
cp "$dir/copy.db" "$dir/s.db"
"$YISHI" verify -f "$dir/s.db" >"$dir/verify.out" 2>&1 || fail "the restored file does not verify: $(cat "$dir/verify.out")"
serve
curl -s "$url/api/documents" >"$dir/docs.json"
grep -q 备份之前的通知 "$dir/docs.json" || fail "the restored session lacks what was written before the backup"
grep -q 第一次备份之后 "$dir/docs.json" && fail "the restored session has what was written after the backup"
seq_now=$(curl -s "$url/api/health" | sed -n 's/.*"seq":\([0-9]*\).*/\1/p')
[ "$seq_now" = "$seq_at_backup" ] || fail "served again at event $seq_now, the backup was at $seq_at_backup"
token=$(curl -s -d '{"name":"sec","password":"correct-horse-battery"}' "$url/api/login" |
  sed -n 's/.*"token":[[:space:]]*"\([^"]*\)".*/\1/p')
[ -n "$token" ] || fail "the secretariat's login is not in the copy"
document 恢复之后的通知
stop

[ "$failures" -eq 0 ] || { echo "$failures failures"; exit 1; }
echo "restore: backed up at event $seq_at_backup, restored, verified and served again"
