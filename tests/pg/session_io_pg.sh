#!/bin/sh
# session_io_pg.sh — a session moved between a file and a PostgreSQL service: the demo's file imported
# (import-session prints the new session's id and its URI) and exported back (export-session), all three
# verifying with the same state digest and the two files' log exports byte for byte the same; a second import is
# a second session; a file that does not verify is refused with nothing imported; an existing output file, a
# missing session and a wrong command line are refused clearly. Usage: session_io_pg.sh YISHI URL.
set -eu
yishi=$1 url=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
digest_of() { "$yishi" verify "$@" | sed -n 's/^state digest //p'; }
# the sessions of the demo's assembly (other tests write other sessions into the database meanwhile)
sessions() { psql -qtA "$url" -c "SELECT count(*) FROM session WHERE assembly = '$assembly'"; }

"$yishi" demo -f "$tmp/X.db" >/dev/null
assembly=$(sqlite3 "$tmp/X.db" "SELECT assembly FROM session")
out=$("$yishi" import-session "$tmp/X.db" --store "$url") || fail "import-session: $out"
id=$(echo "$out" | sed -n 's/^imported .* as session \([0-9][0-9]*\): .*/\1/p')
[ -n "$id" ] || fail "import-session did not print the session's id: $out"
echo "$out" | grep -q "&session=$id\$" || fail "import-session did not print the session's URI: $out"
echo "$out" | grep -q "verified" || fail "import-session: $out"

out=$("$yishi" export-session --store "$url" --session "$id" -f "$tmp/Y.db") || fail "export-session: $out"
echo "$out" | grep -q "to $tmp/Y.db: .* events, state digest .*, verified" || fail "export-session says: $out"
[ ! -e "$tmp/Y.db-exporting" ] && [ ! -e "$tmp/Y.db-wal" ] && [ ! -e "$tmp/Y.db-lock" ] ||
  fail "export-session left files beside Y.db: $(ls "$tmp")"

dx=$(digest_of -f "$tmp/X.db") || fail "X.db does not verify"
ds=$(digest_of --store "$url" --session "$id") || fail "session $id does not verify"
dy=$(digest_of -f "$tmp/Y.db") || fail "Y.db does not verify"
[ -n "$dx" ] && [ "$dx" = "$ds" ] && [ "$ds" = "$dy" ] || fail "the state digests differ: $dx $ds $dy"
"$yishi" log -f "$tmp/X.db" --export > "$tmp/X.jsonl"
"$yishi" log -f "$tmp/Y.db" --export > "$tmp/Y.jsonl"
[ -s "$tmp/X.jsonl" ] && cmp -s "$tmp/X.jsonl" "$tmp/Y.jsonl" || fail "the log exports of X.db and Y.db differ"
for t in blobs checkpoints ballot_box; do
  [ "$(sqlite3 "$tmp/X.db" "SELECT count(*) FROM $t")" = "$(sqlite3 "$tmp/Y.db" "SELECT count(*) FROM $t")" ] ||
    fail "X.db and Y.db hold different numbers of rows in $t"
done
[ "$(sqlite3 "$tmp/X.db" "SELECT group_concat(hash || length(content)) FROM (SELECT * FROM blobs ORDER BY hash)")" = \
  "$(sqlite3 "$tmp/Y.db" "SELECT group_concat(hash || length(content)) FROM (SELECT * FROM blobs ORDER BY hash)")" ] ||
  fail "the documents differ"
[ "$(sqlite3 "$tmp/Y.db" "SELECT count(*) FROM auth_accounts")" = 0 ] || fail "logins were copied"

# a second import is a second session, with its own id
out=$("$yishi" import-session "$tmp/X.db" --store "$url") || fail "a second import-session: $out"
id2=$(echo "$out" | sed -n 's/^imported .* as session \([0-9][0-9]*\): .*/\1/p')
[ -n "$id2" ] && [ "$id2" != "$id" ] || fail "a second import is not a new session: $id then $id2"

# --with-logins: the accounts join the congress the URL names, the cards the session's; a second session of
# that congress keeps the accounts it has; an export with them carries both into the file
congress="io-$$"
logins() { "$yishi" user list "$@" | awk '{print $1, $2}' | sort; }
out=$("$yishi" import-session "$tmp/X.db" --store "$url&congress=$congress" --with-logins) || fail "--with-logins: $out"
echo "$out" | grep -q "^logins: 6 staff accounts and 549 cards copied$" || fail "import --with-logins says: $out"
id3=$(echo "$out" | sed -n 's/^imported .* as session \([0-9][0-9]*\): .*/\1/p')
[ "$(logins -f "$url&session=$id3")" = "$(logins -f "$tmp/X.db")" ] || fail "the imported logins differ from the file's"
out=$("$yishi" import-session "$tmp/X.db" --store "$url&congress=$congress" --with-logins) || fail "again: $out"
echo "$out" | grep -q "^logins: 0 staff accounts and 549 cards copied; kept as its congress had them: 6 accounts, 0 cards$" ||
  fail "a second import into the congress says: $out"
out=$("$yishi" export-session --store "$url" --session "$id3" -f "$tmp/L.db" --with-logins) || fail "export --with-logins: $out"
echo "$out" | grep -q "^logins: 6 staff accounts and 549 cards copied$" || fail "export --with-logins says: $out"
[ "$(logins -f "$tmp/L.db")" = "$(logins -f "$tmp/X.db")" ] || fail "the exported logins differ from the file's"
[ "$(sqlite3 "$tmp/L.db" "SELECT group_concat(card_hash || ifnull(pin_hash, '-')) FROM (SELECT * FROM auth_cards ORDER BY 1)")" = \
  "$(sqlite3 "$tmp/X.db" "SELECT group_concat(card_hash || ifnull(pin_hash, '-')) FROM (SELECT * FROM auth_cards ORDER BY 1)")" ] ||
  fail "the cards' hashes changed on the way"

# a file that does not verify: refused, and no session is left of it
cp "$tmp/X.db" "$tmp/bad.db"
sqlite3 "$tmp/bad.db" "UPDATE delegates SET name = '改过' WHERE id = 1"
before=$(sessions)
set +e; out=$("$yishi" import-session "$tmp/bad.db" --store "$url" 2>&1); code=$?; set -e
[ "$code" -eq 1 ] || fail "a file that does not verify: exit $code ($out)"
echo "$out" | grep -q "does not verify.*nothing was imported" || fail "the refusal says: $out"
[ "$(sessions)" = "$before" ] || fail "a refused import left a session"
[ "$(psql -qtA "$url" -c "SELECT count(*) FROM delegates WHERE name = '改过'")" = 0 ] || fail "the edited file's rows are there"

# an existing output file is left alone
echo keep > "$tmp/Z.db"
set +e; out=$("$yishi" export-session --store "$url" --session "$id" -f "$tmp/Z.db" 2>&1); code=$?; set -e
[ "$code" -eq 1 ] && echo "$out" | grep -q "exists" || fail "an existing file: exit $code ($out)"
[ "$(cat "$tmp/Z.db")" = keep ] || fail "an existing file was changed"

# a session that is not there
set +e; out=$("$yishi" export-session --store "$url" --session 999999 -f "$tmp/W.db" 2>&1); code=$?; set -e
[ "$code" -eq 1 ] && echo "$out" | grep -q "no session 999999" || fail "a missing session: exit $code ($out)"
[ ! -e "$tmp/W.db" ] && [ ! -e "$tmp/W.db-exporting" ] || fail "a failed export left a file"

# the command line: both of --store and --session, a file named, a database named where a file goes
for args in "export-session --store $url -f $tmp/V.db" "export-session --session $id -f $tmp/V.db" \
            "export-session --store $url --session $id" "export-session --store $tmp/X.db --session 1 -f $tmp/V.db" \
            "import-session $tmp/X.db" "import-session --store $url" "import-session $tmp/X.db --store $tmp/X.db" \
            "import-session $tmp/X.db --store $url&session=1"; do
  # shellcheck disable=SC2086
  set +e; "$yishi" $args >/dev/null 2>&1; code=$?; set -e
  [ "$code" -eq 2 ] || fail "yishi $args exits $code, not 2"
done
[ ! -e "$tmp/V.db" ] || fail "a refused command line wrote a file"
echo "session_io_pg: all checks passed"
