#!/bin/sh
# demo_template.sh — the demo the API tests copy, in PostgreSQL: the demo file of the run (the fixture
# demo_template) imported into a database of its own, yishi_demo, whose locator is written to OUT. Each API test
# against PostgreSQL then makes its database with CREATE DATABASE … TEMPLATE yishi_demo (tests/api/apitest.h):
# a copy of files, where an import replays and verifies 7,000 events. Usage: demo_template.sh YISHI URL DEMO OUT.
set -eu
yishi=$1 url=$2 demo=$3 out=$4
template=yishi_demo
rm -f "$out"
psql -qtA "$url" -c "DROP DATABASE IF EXISTS $template WITH (FORCE)" -c "CREATE DATABASE $template" >/dev/null
# the database's URL with its name changed: postgresql:///yishi?… → postgresql:///yishi_demo?…
store=$(echo "$url" | sed "s|^\(postgresql://[^/]*/\)[^?]*|\1$template|")
said=$("$yishi" import-session "$demo" --store "$store" --with-logins)
locator=$(echo "$said" | sed -n 's/^imported .* as session [0-9][0-9]*: \(.*\)$/\1/p')
[ -n "$locator" ] || { echo "demo_template.sh: import-session did not print the session's URI: $said" >&2; exit 1; }
# no connection may stay on a template while it is copied
psql -qtA "$url" -c "ALTER DATABASE $template WITH ALLOW_CONNECTIONS false" >/dev/null
echo "$locator" >"$out"
echo "$locator"
