#!/bin/sh
# clean_root_test.sh — the .deb installed into a fresh Debian 12 root (debootstrap minbase, from the mirror this
# machine's apt uses), where each file went, and the service started as systemd starts it: ExecStart= run
# as User= in its WorkingDirectory= with NOTIFY_SOCKET set, READY=1 awaited, /api/health and a session route
# asked, the backup script run as the timer runs it, STOPPING=1 on SIGTERM. No systemd need run here (PID 1
# is not systemd on this machine nor in CI). As root, with the mirror reachable; loopback ports 18550–18599.
# usage: clean_root_test.sh DIST/yishi_VERSION_ARCH.deb
set -u
started=$(date +%s)
src=$(cd "$(dirname "$0")/../.." && pwd)
die() {
  echo "clean_root_test: $*" >&2
  exit 2
}

[ $# -eq 1 ] || die "usage: $0 DIST/yishi_VERSION_ARCH.deb (scripts/package makes it)"
deb=$1
case $deb in *.deb) ;; *) die "$deb: not a .deb (scripts/package makes dist/yishi_VERSION_ARCH.deb)" ;; esac
[ -f "$deb" ] || die "$deb: no such file (scripts/package makes it)"
[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, chroot and mounts need it); try: sudo $0 $deb"
for tool in debootstrap python3 curl setpriv prlimit; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (scripts/install-deps installs it)"
done
deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")

# The mirror of this machine's apt: the deb822 sources' URIs of the suite bookworm, else sources.list's.
mirror=""
if [ -r /etc/apt/sources.list.d/debian.sources ]; then
  mirror=$(awk '/^URIs:/ { u = $2 } /^Suites:/ && / bookworm( |$)/ { print u; exit }' /etc/apt/sources.list.d/debian.sources)
fi
if [ -z "$mirror" ] && [ -r /etc/apt/sources.list ]; then
  mirror=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list)
fi
mirror=${mirror:-http://deb.debian.org/debian}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/yishi-clean-root.XXXXXX")
root=$tmp/root
pid=""
listener=""
failures=0
fail() {
  failures=$((failures + 1))
  echo "FAIL: $*"
}
note() { echo "clean_root_test: $*"; }
# Every mount under the root comes off before anything is removed, and a root that still has one is left
# in place (named) rather than removed through it.
cleanup() {
  [ -z "$pid" ] || kill "$pid" 2>/dev/null
  [ -z "$listener" ] || kill "$listener" 2>/dev/null
  wait 2>/dev/null
  for m in $(awk -v r="$root" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m"
  done
  if awk -v r="$root" 'index($2, r) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
    echo "clean_root_test: $root still has mounts; left in place" >&2
  else
    rm -rf --one-file-system "$tmp"
  fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
in_root() { chroot "$root" "$@"; }

# --- a fresh bookworm, and the package with its dependencies from the mirror
note "debootstrap --variant=minbase bookworm from $mirror"
t=$(date +%s)
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$tmp/debootstrap.log" 2>&1 || {
  tail -n 20 "$tmp/debootstrap.log"
  die "debootstrap failed (the end of its log is above)"
}
t_debootstrap=$(($(date +%s) - t))
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
# As in a build root or an image: no service started by a maintainer script.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"
cp "$deb" "$root/tmp/"
t=$(date +%s)
# Recommends (fonts-noto-cjk, for the PDFs, 60 MB) are only looked up: the service does not need them.
if ! DEBIAN_FRONTEND=noninteractive in_root sh -c "apt-get update -q && apt-get install -y -q --no-install-recommends /tmp/$(basename "$deb")" \
  >"$tmp/apt.log" 2>&1; then
  tail -n 30 "$tmp/apt.log"
  die "apt-get install of $(basename "$deb") failed in the clean root (above)"
fi
t_install=$(($(date +%s) - t))
for r in $(dpkg-deb -f "$deb" Recommends | tr -d ' ' | tr ',' ' '); do
  in_root apt-cache show "$r" >/dev/null 2>&1 || fail "Recommends: $r is not in $mirror"
done

# --- the layout
for f in /usr/bin/yishi /usr/bin/yishi-verify /usr/lib/yishi/yishi-backup; do
  [ -x "$root$f" ] || fail "$f is not installed executable"
done
for f in /etc/yishi/yishi.conf /lib/systemd/system/yishi.service /lib/systemd/system/yishi-backup.service \
  /lib/systemd/system/yishi-backup.timer /usr/lib/sysusers.d/yishi.conf /usr/lib/tmpfiles.d/yishi.conf \
  /usr/share/doc/yishi/operations.md /usr/share/doc/yishi/copyright; do
  [ -f "$root$f" ] || fail "$f is not installed"
done
n_rules=$(find "$root/usr/share/yishi/rules" -name '*.rules' 2>/dev/null | wc -l)
[ "$n_rules" -eq "$(find "$src/rules" -name '*.rules' | wc -l)" ] ||
  fail "/usr/share/yishi/rules has $n_rules rule sets, the source $(find "$src/rules" -name '*.rules' | wc -l)"
in_root dpkg-query -W -f='${Conffiles}\n' yishi | grep -q '^ /etc/yishi/yishi.conf ' ||
  fail "/etc/yishi/yishi.conf is not a conffile"
in_root yishi init --help >/dev/null 2>&1 || fail "yishi does not run in the clean root"
# The manual pages, once the tree builds them (cmake/man.cmake).
if [ -f "$src/cmake/man.cmake" ]; then
  for page in man1/yishi.1 man1/yishi-serve.1 man1/yishi-verify.1 man1/yishi-backup.1 man5/yishi.conf.5; do
    [ -f "$root/usr/share/man/$page.gz" ] || fail "/usr/share/man/$page.gz is not installed"
  done
fi
in_root getent passwd yishi >"$tmp/passwd" || fail "no user yishi after the installation (sysusers.d)"
case $(cut -d: -f3 "$tmp/passwd") in '' | 0) fail "the user yishi is root or has no uid" ;; esac
for d in /var/lib/yishi /var/backups/yishi; do
  [ "$(in_root stat -c '%U %a' "$d" 2>/dev/null)" = "yishi 750" ] ||
    fail "$d is not the user yishi's, mode 750 (it is: $(in_root stat -c '%U %a' "$d" 2>&1))"
done
in_root systemd-analyze verify --man=no yishi.service yishi-backup.service yishi-backup.timer >"$tmp/verify.log" 2>&1 ||
  fail "systemd-analyze verify: $(cat "$tmp/verify.log")"

# --- the service as systemd starts it, from what the installed unit says
unit=$root/lib/systemd/system/yishi.service
key() { sed -n "s/^$1=//p" "$unit" | tail -n 1; }
exec_start=$(key ExecStart)
user=$(key User)
group=$(key Group)
workdir=$(key WorkingDirectory)
state=$(key StateDirectory)
state_mode=$(key StateDirectoryMode)
limit_nofile=$(key LimitNOFILE)
[ "$(key Type)" = notify ] || fail "Type= is $(key Type), not notify"
[ -n "$exec_start" ] && [ -n "$user" ] && [ -n "$workdir" ] || die "the unit lacks ExecStart=, User= or WorkingDirectory="
# StateDirectory=: made, and given to the user, as systemd does before ExecStart.
install -d -m "${state_mode:-0755}" "$root/var/lib/$state"
in_root chown "$user:${group:-$user}" "/var/lib/$state"
conf=/etc/yishi/yishi.conf
session=$(sed -n 's/^[[:space:]]*file[[:space:]]*=[[:space:]]*//p' "$root$conf" | tail -n 1)
[ -n "$session" ] || die "$conf names no session file (file = …)"
as_user() { in_root setpriv --reuid="$user" --regid="${group:-$user}" --init-groups -- "$@"; }
as_user sh -c "cd '$workdir' && yishi init -f '$session' --rules prc-county --assembly 试验县人民代表大会 \
  --term 第一届 --session 第一次会议" >"$tmp/init.log" 2>&1 || fail "yishi init as $user in $workdir: $(cat "$tmp/init.log")"

# TLS as docs/operations.md installs it: /etc/yishi/tls, root:yishi, the key readable by the service only.
# cert NAME DAYS: a self-signed pair for 127.0.0.1 into $tmp/NAME-{cert,key}.pem.
cert() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days "$2" -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$tmp/$1-key.pem" -out "$tmp/$1-cert.pem" >/dev/null 2>&1 ||
    die "openssl could not make a certificate"
  cp "$tmp/$1-cert.pem" "$root/tmp/cert.pem" && cp "$tmp/$1-key.pem" "$root/tmp/key.pem"
  in_root install -m 0640 -o root -g "${group:-$user}" /tmp/cert.pem /tmp/key.pem /etc/yishi/tls/
}
tls=0
if command -v openssl >/dev/null 2>&1; then
  tls=1
  in_root install -d -m 0750 -o root -g "${group:-$user}" /etc/yishi/tls
  cert first 30
  sed -i 's,^#[[:space:]]*\(tls-cert\|tls-key\)[[:space:]]*=,\1 =,' "$root$conf"
  grep -q '^tls-cert = /etc/yishi/tls/cert.pem' "$root$conf" && grep -q '^tls-key = /etc/yishi/tls/key.pem' "$root$conf" ||
    fail "$conf has no tls-cert and tls-key lines to uncomment"
else
  note "no openssl here: served without TLS, and the reload reloads nothing"
fi
# health [CURL OPTIONS]: /api/health over http, or https trusting the pair in use.
health() {
  if [ "$tls" -eq 1 ]; then curl -s --cacert "$tmp/$pair-cert.pem" "$@" "$url/api/health"; else curl -s "$@" "$url/api/health"; fi
}
pair=first

# The notify socket: a datagram socket in the root's /run; each message written with its sender's pid.
cat >"$tmp/listen.py" <<'EOF'
import os, socket, struct, sys
path, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
s.bind(path)
os.chmod(path, 0o777)
with open(out, "a", buffering=1) as f:
    while True:
        data, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(12))
        pid = 0
        for level, kind, cdata in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                pid = struct.unpack("iII", cdata[:12])[0]
        for line in data.decode("utf-8", "replace").split("\n"):
            if line:
                f.write("%d %s\n" % (pid, line))
EOF
: >"$tmp/notify.log"
python3 "$tmp/listen.py" "$root/run/yishi-notify.sock" "$tmp/notify.log" &
listener=$!
for _ in $(seq 50); do [ -S "$root/run/yishi-notify.sock" ] && break; sleep 0.1; done
[ -S "$root/run/yishi-notify.sock" ] || die "the notify listener made no socket"

# The server sends READY=1 once it has sd_notify; until then the test waits for /api/health only.
if grep -rqs 'READY=1' "$src/src/server"; then has_notify=1; else has_notify=0; fi
# notified PREFIX SECONDS: a line of the main process starting with PREFIX arrives within SECONDS.
notified() {
  for _ in $(seq $(($2 * 10))); do
    grep -q "^$pid $1" "$tmp/notify.log" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

chroot=$(command -v chroot)
# LimitNOFILE=, soft and hard, as systemd sets it (prlimit; raising the hard limit needs CAP_SYS_RESOURCE).
limit=""
if [ -n "$limit_nofile" ] && prlimit --nofile="$limit_nofile:$limit_nofile" true 2>/dev/null; then
  limit="prlimit --nofile=$limit_nofile:$limit_nofile --"
elif [ -n "$limit_nofile" ]; then
  note "LimitNOFILE=$limit_nofile cannot be set here (prlimit): the server runs under $(prlimit --nofile -o HARD --noheadings) files"
fi
for port in $(seq 18550 18599); do
  sed -i "s/^[[:space:]]*listen[[:space:]]*=.*/listen = 127.0.0.1:$port/" "$root$conf"
  t=$(date +%s)
  # As systemd runs ExecStart=: a clean environment, the unit's limit on files, the user, the directory.
  # shellcheck disable=SC2086
  (exec $limit env -i PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 HOME="$workdir" USER="$user" LOGNAME="$user" \
      NOTIFY_SOCKET=/run/yishi-notify.sock "$chroot" "$root" setpriv --reuid="$user" --regid="${group:-$user}" \
      --init-groups -- sh -c "cd '$workdir' && exec $exec_start") >"$tmp/serve.log" 2>&1 &
  pid=$!
  url=http://127.0.0.1:$port
  [ "$tls" -eq 0 ] || url=https://127.0.0.1:$port
  up=0
  for _ in $(seq 200); do
    health -f >/dev/null 2>&1 && { up=1; break; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  [ "$up" -eq 1 ] && break
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  pid=""
  grep -q "in use" "$tmp/serve.log" || break
done
[ -n "$pid" ] || { sed 's/^/  | /' "$tmp/serve.log"; die "ExecStart= ($exec_start) did not serve on a port of 18550-18599"; }
if notified READY=1 10; then
  note "READY=1 from the main process, pid $pid, $(($(date +%s) - t)) s after ExecStart"
elif [ "$has_notify" -eq 1 ]; then
  fail "no READY=1 from pid $pid within 10 s of /api/health (notify socket saw: $(cat "$tmp/notify.log"))"
else
  note "no READY=1: the server does not send it yet (src/server has no sd_notify); waited for /api/health"
fi
grep -v "^$pid " "$tmp/notify.log" | grep . && fail "notify messages from a process other than the main one (NotifyAccess=main)"
health >"$tmp/health.json"
[ -z "$limit" ] || ! grep -q "open files" "$tmp/serve.log" || fail "under LimitNOFILE=$limit_nofile: $(grep "open files" "$tmp/serve.log")"
grep -q '"ok":[[:space:]]*true' "$tmp/health.json" || fail "/api/health: $(cat "$tmp/health.json")"
grep -q '"writable":[[:space:]]*true' "$tmp/health.json" || fail "/api/health: the store is not writable: $(cat "$tmp/health.json")"
curl -s --cacert "$tmp/first-cert.pem" "$url/api/session" >"$tmp/session.json"
grep -q 试验县人民代表大会 "$tmp/session.json" || fail "/api/session: $(cat "$tmp/session.json")"
[ "$(in_root stat -c %U "$workdir/$session")" = "$user" ] || fail "$workdir/$session is not $user's"

# --- the backup, as yishi-backup.service runs it beside the server
bunit=$root/lib/systemd/system/yishi-backup.service
bexec=$(sed -n 's/^ExecStart=//p' "$bunit")
bdir=$(sed -n 's/^WorkingDirectory=//p' "$bunit")
as_user sh -c "cd '$bdir' && exec $bexec" >"$tmp/backup.log" 2>&1 || fail "$bexec as $user: $(cat "$tmp/backup.log")"
copy=$(find "$root/var/backups/yishi" -name "${session%.db}-*Z.db" | head -n 1)
[ -n "$copy" ] || fail "$bexec made no copy in /var/backups/yishi: $(cat "$tmp/backup.log")"
[ -z "$copy" ] || as_user yishi verify -f "${copy#"$root"}" >/dev/null 2>&1 || fail "the copy ${copy#"$root"} does not verify"

# --- reload (SIGHUP) and stop (SIGTERM), as ExecReload= and systemctl stop do
# A renewal: a new pair put in place, then ExecReload=; new connections get it.
if grep -rqs 'RELOADING=1' "$src/src/server"; then
  if [ "$tls" -eq 1 ]; then
    before=$(sed -n 's/.*"not_after":[[:space:]]*"\([^"]*\)".*/\1/p' "$tmp/health.json")
    [ -n "$before" ] || fail "/api/health names no certificate: $(cat "$tmp/health.json")"
    cert renewed 60
  fi
  reload=$(sed -n 's/^ExecReload=//p' "$unit" | sed "s/\$MAINPID/$pid/")
  sh -c "$reload" || fail "ExecReload= ($reload) failed"
  for _ in $(seq 100); do
    [ "$(grep -c "^$pid READY=1" "$tmp/notify.log")" -ge 2 ] && break
    sleep 0.1
  done
  grep -q "^$pid RELOADING=1" "$tmp/notify.log" || fail "no RELOADING=1 after SIGHUP"
  [ "$(grep -c "^$pid READY=1" "$tmp/notify.log")" -ge 2 ] || fail "no READY=1 after the reload"
  pair=renewed
  health -f >"$tmp/health.json" || fail "/api/health over the renewed certificate: $(health 2>&1 | head -c 300)"
  if [ "$tls" -eq 1 ]; then
    after=$(sed -n 's/.*"not_after":[[:space:]]*"\([^"]*\)".*/\1/p' "$tmp/health.json")
    [ -n "$after" ] && [ "$after" != "$before" ] || fail "the certificate's end is $after after the reload, was $before"
    note "systemctl reload: the certificate until $before, then until $after"
  fi
fi
kill -TERM "$pid"
if [ "$has_notify" -eq 1 ]; then
  notified STOPPING=1 10 || grep -q "^$pid STOPPING=1" "$tmp/notify.log" || fail "no STOPPING=1 after SIGTERM"
fi
wait "$pid"
rc=$?
pid=""
[ "$rc" -eq 0 ] || { fail "the server exited $rc on SIGTERM"; sed 's/^/  | /' "$tmp/serve.log" | tail -n 20; }

note "the notify socket heard: $(cut -d' ' -f2- "$tmp/notify.log" | grep -v '^STATUS=' | tr '\n' ' ')"
elapsed=$(($(date +%s) - started))
note "debootstrap ${t_debootstrap} s, apt-get install ${t_install} s, all ${elapsed} s"
[ "$elapsed" -le 480 ] || fail "the test took ${elapsed} s, over its 8 minutes"
[ "$failures" -eq 0 ] || { echo "$failures failures"; exit 1; }
echo "clean root: $(basename "$deb") installed, laid out, served as $user and stopped"
