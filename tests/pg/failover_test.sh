#!/bin/sh
# failover_test.sh — a session on a primary with a synchronous standby (replica.sh): events written through
# the URL naming both hosts; the primary killed as a crash would and the standby promoted; the same URL then
# reaches the new primary, which holds every event acknowledged before the crash (the log's export up to then
# is byte for byte what it was), takes new ones, and verifies. Usage: failover_test.sh YISHI
set -eu
yishi=$1
here=$(dirname "$0")
tmp=$(mktemp -d)
[ "$(id -u)" -eq 0 ] && chown nobody "$tmp"
trap '"$here/replica.sh" stop "$tmp/pg" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

url=$("$here/replica.sh" start "$tmp/pg")
out=$("$yishi" init -f "$url" --rules prc-county --assembly 某县人民代表大会)
located=${out%%: new session*}
session=${located##*session=}
printf 'code,name,gender,ethnicity,delegation\nA1,甲,男,汉族,一团\nA2,乙,女,汉族,二团\nA3,丙,女,汉族,二团\n' >"$tmp/d.csv"
"$yishi" import delegates "$tmp/d.csv" -f "$located" >/dev/null
"$yishi" meeting open --kind plenary --title 第一次全体会议 -f "$located" >/dev/null
"$yishi" checkin A1 A2 -f "$located" >/dev/null
"$yishi" log --export -f "$located" >"$tmp/before.jsonl"
[ -s "$tmp/before.jsonl" ] || fail "no log exported before the failover"

# the crash, and the standby promoted: what was acknowledged is there, through the same URL
"$here/replica.sh" kill "$tmp/pg"
"$here/replica.sh" promote "$tmp/pg"
"$yishi" checkin A3 -f "$located" >/dev/null || fail "no write after the failover"
"$yishi" log --export -f "$located" >"$tmp/after.jsonl"
lines=$(wc -l <"$tmp/before.jsonl")
head -n "$lines" "$tmp/after.jsonl" | cmp -s - "$tmp/before.jsonl" || fail "the log before the failover changed"
[ "$(wc -l <"$tmp/after.jsonl")" -eq $((lines + 1)) ] || fail "the write after the failover is not in the log"
"$yishi" verify --store "${url}" --session "$session" >"$tmp/verify" || fail "verify after the failover: $(cat "$tmp/verify")"
grep -q "verified" "$tmp/verify" || fail "verify says: $(cat "$tmp/verify")"
echo "failover: nothing acknowledged lost, writes resume on the promoted standby"
