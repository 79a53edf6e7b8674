#!/bin/sh
# cli_pg.sh — the command line on a session in PostgreSQL: yishi init makes one and prints the URI that names
# it, yishi import and status work on it as on a file, yishi verify --store URL --session ID verifies it in place
# and catches a projection edited behind its back, a backup is refused as a file's, and the server refuses it
# clearly for now. Usage: cli_pg.sh YISHI URL (the URL of tests/pg/cluster.sh start).
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
set +e; out=$(timeout 20 "$yishi" serve -f "$located" --listen 127.0.0.1:18590 2>&1); code=$?; set -e
[ "$code" -ne 0 ] && echo "$out" | grep -q "not kept yet" || fail "the server on a session: $out"
echo "cli_pg: all checks passed"
