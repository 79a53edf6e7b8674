#!/bin/sh
# run.sh YISHI ARTIFACTS — the browser tests (every *.test.mjs here) with node's test runner, against that
# yishi binary, screenshots into ARTIFACTS. Run by ctest as `browser`; exits 77 (skipped) only when node or
# Chromium (/usr/bin/chromium, Debian's package) is not installed: scripts/install-deps installs both.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 2 ] || { echo "usage: run.sh PATH-TO-YISHI ARTIFACTS-DIR" >&2; exit 2; }
chromium=${YISHI_CHROMIUM:-/usr/bin/chromium}
if ! command -v node >/dev/null 2>&1; then
  echo "browser tests skipped: node is not installed (scripts/install-deps installs nodejs)"
  exit 77
fi
if [ ! -x "$chromium" ]; then
  echo "browser tests skipped: $chromium is not installed (scripts/install-deps installs chromium)"
  exit 77
fi
command -v npm >/dev/null 2>&1 || { echo "browser tests: npm is missing (scripts/install-deps installs it)" >&2; exit 1; }
"$here/setup.sh"
mkdir -p "$2"
# Absolute, for the tests run from this folder.
YISHI_BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
YISHI_ARTIFACTS=$(cd "$2" && pwd)
export YISHI_BIN YISHI_ARTIFACTS YISHI_CHROMIUM="$chromium"
# One file at a time: each starts a server and a Chromium, and the machine may have two cores.
one=""
node --test-concurrency=1 --eval '' 2>/dev/null && one="--test-concurrency=1"
cd "$here"
# shellcheck disable=SC2086
exec node --test $one ./*.test.mjs
