#!/bin/sh
# outage_test.sh — the server on a session in PostgreSQL while the database goes away and comes back: writes
# are answered 503 store_unreachable while it is down (nothing written), reads go on from memory, health says
# the store is not writable; once it is back the next write is taken without a restart, and everything that
# was answered is in the log, which verifies. Usage: outage_test.sh YISHI
set -eu
yishi=$1
here=$(dirname "$0")
tmp=$(mktemp -d)
[ "$(id -u)" -eq 0 ] && chown nobody "$tmp"
pid=""
bin=${YISHI_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  "$here/cluster.sh" stop "$tmp/pg" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [ -f "$tmp/serve.err" ] && sed 's/^/  | /' "$tmp/serve.err" >&2; exit 1; }
export YISHI_TEST_WEAK_PWHASH=1

url=$("$here/cluster.sh" start "$tmp/pg")
out=$("$yishi" init -f "$url" --rules prc-county --assembly 某县人民代表大会)
located=${out%%: new session*}
printf 'desk-password-1\n' >"$tmp/pw"
"$yishi" user add -f "$located" --role secretariat --name desk --password-file "$tmp/pw" >/dev/null
printf 'code,name,gender,ethnicity,delegation\nA1,甲,男,汉族,一团\nA2,乙,女,汉族,二团\n' >"$tmp/d.csv"
"$yishi" import delegates "$tmp/d.csv" -f "$located" >/dev/null

"$yishi" serve -f "$located" --listen 127.0.0.1:0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
pid=$!
base=""
for _ in $(seq 100); do
  base=$(sed -n 's/^listening on \(http:\/\/127.0.0.1:[0-9]*\).*/\1/p' "$tmp/serve.out")
  [ -n "$base" ] && break
  sleep 0.1
done
[ -n "$base" ] || fail "the server did not start"
token=$(curl -s -X POST "$base/api/login" -d '{"name":"desk","password":"desk-password-1"}' |
  sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || fail "no login"
post() { curl -s -o "$tmp/body" -w '%{http_code}' -X POST "$base$1" -H "Authorization: Bearer $token" -d "$2"; }

code=$(post /api/meetings '{"kind":"plenary","title":"第一次全体会议"}')
[ "$code" = 201 ] || fail "opening a meeting: $code $(cat "$tmp/body")"

# the database goes away
as_owner "$bin/pg_ctl" -D "$tmp/pg/data" -m fast -w stop >/dev/null
code=$(post /api/meetings/1/checkin '{"delegate":"A1"}')
[ "$code" = 503 ] || fail "a write while the database is down: $code $(cat "$tmp/body")"
grep -q '"store_unreachable"' "$tmp/body" || fail "the refusal does not say the database is unreachable: $(cat "$tmp/body")"
code=$(post /api/meetings/1/checkin '{"delegate":"A1"}')
[ "$code" = 503 ] || fail "a second write while the database is down: $code"
curl -sf "$base/api/status" >/dev/null || fail "reads stop while the database is down"
curl -s "$base/api/health" | grep -q '"writable":false' || fail "health does not say the store cannot write"

# and comes back: the next write is taken by the same server
as_owner "$bin/pg_ctl" -D "$tmp/pg/data" -l "$tmp/pg/postgres.log" -w -t 60 \
  -o "-c listen_addresses='' -c unix_socket_directories='$tmp/pg' -c max_connections=200" start >/dev/null
code=$(post /api/meetings/1/checkin '{"delegate":"A1"}')
[ "$code" = 201 ] || fail "a write once the database is back: $code $(cat "$tmp/body")"
code=$(post /api/meetings/1/checkin '{"delegate":"A2"}')
[ "$code" = 201 ] || fail "a second write once the database is back: $code $(cat "$tmp/body")"
curl -s "$base/api/meetings/1/attendance" | grep -q '"present":2' || fail "the attendance after the outage"
kill "$pid"
wait "$pid" || fail "the server did not stop cleanly"
pid=""
"$yishi" verify -f "$located" >"$tmp/verify" 2>&1 || fail "verify: $(cat "$tmp/verify")"
n=$("$yishi" log -f "$located" --json | grep -c '"attendance.checkin"')
[ "$n" -eq 2 ] || fail "$n check-ins in the log, not the 2 answered"
echo "outage: 503 while PostgreSQL was down, writes again once it was back, nothing answered lost"
