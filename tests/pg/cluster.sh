#!/bin/sh
# cluster.sh — a PostgreSQL of the tests' own: `start DIR` runs initdb into DIR as an unprivileged user (nobody,
# when run as root), starts postgres listening only on a Unix socket in DIR, creates the database yishi and
# prints its URL; `stop DIR` stops it and removes DIR. No system service, no TCP port. YISHI_PG_MAX_CONNECTIONS
# (200) is its max_connections: a server holds about six per session it serves.
set -eu
cmd=${1:?usage: cluster.sh start|stop|url DIR}
dir=${2:?usage: cluster.sh start|stop|url DIR}
bin=${YISHI_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$bin/initdb" ] || { echo "cluster.sh: no PostgreSQL server binaries (install postgresql)" >&2; exit 1; }
url="postgresql:///yishi?host=$dir&user=yishi"

# as_owner CMD…: runs CMD as the owner of DIR (nobody under root; postgres refuses to run as root).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

case $cmd in
start)
  if [ -f "$dir/data/postmaster.pid" ]; then # a cluster left by a run that was cut short
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown nobody "$dir"
  chmod 700 "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U yishi -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c max_connections=${YISHI_PG_MAX_CONNECTIONS:-200}" start >/dev/null ||
    { cat "$dir/postgres.log" >&2; exit 1; }
  as_owner "$bin/createdb" -h "$dir" -U yishi yishi
  echo "$url"
  ;;
stop)
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  fi
  rm -rf "$dir"
  ;;
url)
  echo "$url"
  ;;
*)
  echo "usage: cluster.sh start|stop|url DIR" >&2
  exit 2
  ;;
esac
