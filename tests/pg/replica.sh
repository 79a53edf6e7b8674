#!/bin/sh
# replica.sh — a primary and a streaming-replication standby of the tests' own, each on a Unix socket in its
# own folder (no TCP, no system service). The standby is synchronous: a commit returns on the primary only once
# the standby has it on disk (synchronous_commit = on with synchronous_standby_names), so a failover to it loses
# nothing that was acknowledged.
#   replica.sh start DIR    primary in DIR/primary, standby in DIR/standby; prints the URL naming both hosts,
#                            which libpq tries in turn for the one that takes writes (target_session_attrs)
#   replica.sh promote DIR  the standby becomes the primary (after the primary is gone)
#   replica.sh kill DIR     the primary stops at once, as a crash would (pg_ctl -m immediate)
#   replica.sh stop DIR     both stop; DIR is removed
set -eu
cmd=${1:?usage: replica.sh start|promote|kill|stop DIR}
dir=${2:?usage: replica.sh start|promote|kill|stop DIR}
here=$(dirname "$0")
bin=${YISHI_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
p=$dir/primary s=$dir/standby

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}
pg_ctl_in() { # pg_ctl_in FOLDER ARGS…
  d=$1
  shift
  as_owner "$bin/pg_ctl" -D "$d/data" -l "$d/postgres.log" -w -t 60 "$@"
}

case $cmd in
start)
  [ -d "$dir" ] && "$0" stop "$dir" 2>/dev/null || true
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown nobody "$dir"
  "$here/cluster.sh" start "$p" >/dev/null
  mkdir -p "$s"
  [ "$(id -u)" -eq 0 ] && chown nobody "$s"
  chmod 700 "$s"
  as_owner "$bin/pg_basebackup" -h "$p" -U yishi -D "$s/data" -R -X stream -c fast \
    -d "host=$p user=yishi application_name=standby" >/dev/null
  pg_ctl_in "$s" -o "-c listen_addresses='' -c unix_socket_directories='$s' -c max_connections=200" start >/dev/null ||
    { cat "$s/postgres.log" >&2; exit 1; }
  # once it streams, the primary waits for its flush before a commit returns
  as_owner "$bin/psql" -q -h "$p" -U yishi -d yishi \
    -c "ALTER SYSTEM SET synchronous_standby_names = 'standby'" -c "SELECT pg_reload_conf()" >/dev/null
  for _ in $(seq 1 100); do
    state=$(as_owner "$bin/psql" -At -h "$p" -U yishi -d yishi -c \
      "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby'")
    [ "$state" = sync ] && break
    sleep 0.1
  done
  [ "$state" = sync ] || { echo "replica.sh: the standby does not stream synchronously" >&2; exit 1; }
  echo "postgresql:///yishi?host=$p,$s&user=yishi&target_session_attrs=read-write"
  ;;
promote)
  as_owner "$bin/pg_ctl" -D "$s/data" -w -t 60 promote >/dev/null
  ;;
kill)
  as_owner "$bin/pg_ctl" -D "$p/data" -m immediate stop >/dev/null
  ;;
stop)
  for d in "$s" "$p"; do
    if [ -f "$d/data/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$d/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
  done
  rm -rf "$dir"
  ;;
*)
  echo "usage: replica.sh start|promote|kill|stop DIR" >&2
  exit 2
  ;;
esac
