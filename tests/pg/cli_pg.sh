#!/bin/sh
# cli_pg.sh — the command line on a session in PostgreSQL: yishi init makes one and prints the URI that names
# it, yishi import and status work on it as on a file, yishi verify --store URL --session ID verifies it in place
# and catches a projection edited behind its back, a backup is refused as a file's; yishi user and cards work on
# a session's logins, yishi init --congress (and --organisation) names a new session's congress, and serve
# --store is checked.
# Usage: cli_pg.sh YISHI URL (the URL of tests/pg/cluster.sh start).
set -eu
yishi=$1 url=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

out=$("$yishi" init -f "$url" --rules prc-county)
located=${out%%: new session*}
case $located in *"&session="*) ;; *) fail "yishi init did not name the session it made: $out" ;; esac
session=${located##*session=}
printf 'code,name,gender,ethnicity,delegation\nA1,甲,男,汉族,一团\nA2,乙,女,汉族,二团\n' > "$tmp/d.csv"
"$yishi" import delegates "$tmp/d.csv" -f "$located" >/dev/null
"$yishi" status -f "$located" | grep -q "2 delegates entitled" || fail "status does not show the delegates"

out=$("$yishi" verify --store "$url" --session "$session") || fail "verify --store: $out"
echo "$out" | grep -q "verified: 5 events" || fail "verify --store says: $out"
"$yishi" verify --store "$url" --session "$session" --json | grep -q '"ok":true' || fail "verify --json"

# usage: both or neither, a number, no file beside them
for args in "--store $url" "--session $session" "--store $url --session x" "--store $tmp/f.db --session 1" \
            "-f $tmp/f.db --store $url --session $session"; do
  # shellcheck disable=SC2086
  set +e; "$yishi" verify $args >/dev/null 2>&1; code=$?; set -e
  [ "$code" -eq 2 ] || fail "verify $args exits $code, not 2"
done
set +e; "$yishi" verify --store "$url" --session 999999 >/dev/null 2>&1; code=$?; set -e
[ "$code" -eq 1 ] || fail "a session that is not there exits $code, not 1"

psql -q "$url" -c "UPDATE delegates SET name = '丙' WHERE session_id = $session AND code = 'A2'"
set +e; out=$("$yishi" verify --store "$url" --session "$session"); code=$?; set -e
[ "$code" -eq 1 ] || fail "an edited projection verifies (exit $code)"
echo "$out" | grep -q "projection table delegates" || fail "verify does not name the edited table: $out"

set +e; out=$("$yishi" backup -f "$located" "$tmp/copy.db" 2>&1); code=$?; set -e
[ "$code" -ne 0 ] && echo "$out" | grep -q "pg_dump" || fail "a backup of a session: $out"
[ ! -e "$tmp/copy.db" ] || fail "a refused backup left a file"
# the logins of a session: its congress's accounts, its own cards
printf 'a-long-password\n' > "$tmp/pw"
YISHI_TEST_WEAK_PWHASH=1 "$yishi" user add -f "$located" --role secretariat --name 秘书 --password-file "$tmp/pw" \
  >/dev/null || fail "user add on a session"
"$yishi" user list -f "$located" | grep -q "secretariat  *秘书" || fail "user list on a session"
[ "$("$yishi" cards -f "$located" | grep -c -- '-....-....-')" -eq 2 ] || fail "cards on a session"
"$yishi" user list -f "$located" | grep -q "A2 .*card issued" || fail "the cards are not listed"
"$yishi" user unlock -f "$located" 秘书 >/dev/null || fail "user unlock on a session"
# a new session's congress: named, or one of its own; --congress only for a new session in a database
out=$("$yishi" init -f "$url" --rules prc-county --congress 丙县第一届人大) || fail "init --congress: $out"
echo "$out" | grep -q "of congress 丙县第一届人大" || fail "init --congress says: $out"
other=${out%%: new session*}
set +e; out=$("$yishi" user list -f "$other" 2>&1); set -e
echo "$out" | grep -q 秘书 && fail "an account of one congress is listed at another's session: $out"
set +e; "$yishi" init -f "$tmp/x.db" --rules prc-county --congress X >/dev/null 2>&1; code=$?; set -e
[ "$code" -eq 2 ] || fail "--congress on a file exits $code, not 2"
# organisations: a congress's name is its organisation's; the same name in two organisations is two congresses
org_a="甲县人大常委会-$$" org_b="乙县人大常委会-$$"
sa=$("$yishi" init -f "$url" --rules prc-county --congress 第一届人大 --organisation "$org_a") || fail "--organisation: $sa"
sa=${sa%%: new session*}
sb=$("$yishi" init -f "$url" --rules prc-county --congress 第一届人大 --organisation "$org_b") || fail "--organisation: $sb"
sb=${sb%%: new session*}
YISHI_TEST_WEAK_PWHASH=1 "$yishi" user add -f "$sa" --role chair --name 主任 --password-file "$tmp/pw" >/dev/null ||
  fail "user add in an organisation's congress"
"$yishi" user list -f "$sb" | grep -q 主任 && fail "an account of one organisation's congress is at the other's"
[ "$(psql -qtA "$url" -c "SELECT count(DISTINCT c.id) FROM congresses c JOIN organisations o ON o.id = c.organisation_id
      WHERE c.name = '第一届人大' AND o.name IN ('$org_a', '$org_b')")" = 2 ] || fail "not two congresses of that name"
sa2=$("$yishi" init -f "$url&congress=%E7%AC%AC%E4%B8%80%E5%B1%8A%E4%BA%BA%E5%A4%A7&organisation=$(printf %s "$org_a" |
      od -An -tx1 | tr -d ' \n' | sed 's/\(..\)/%\1/g')" --rules prc-county) || fail "the URI's organisation: $sa2"
sa2=${sa2%%: new session*}
"$yishi" user list -f "$sa2" | grep -q 主任 || fail "a second session of the organisation's congress lacks its account"
set +e; out=$("$yishi" init -f "$url&organisation=X" --rules prc-county 2>&1); code=$?; set -e
[ "$code" -ne 0 ] && echo "$out" | grep -q "name the congress too" || fail "an organisation without a congress: $out"
set +e; "$yishi" init -f "$tmp/y.db" --rules prc-county --organisation X >/dev/null 2>&1; code=$?; set -e
[ "$code" -eq 2 ] || fail "--organisation on a file exits $code, not 2"
set +e; out=$("$yishi" serve --store "$tmp/f.db" --check-config 2>&1); code=$?; set -e
[ "$code" -eq 2 ] && echo "$out" | grep -q "not a PostgreSQL database" || fail "serve --store on a file: $out"
"$yishi" serve --store "$url" --check-config >/dev/null || fail "serve --store --check-config"
echo "cli_pg: all checks passed"
