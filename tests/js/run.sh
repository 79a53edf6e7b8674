#!/bin/sh
# run.sh — the pages' libraries tested in node alone, no browser (every *.test.mjs here: the verifiable
# ballots' cryptography, web/lib/verifiable.js). Run by ctest as `js`; exits 77 (skipped) only when node is
# not installed (scripts/install-deps installs it). Needs node 19 or later (WebCrypto on globalThis).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null 2>&1; then
  echo "js tests skipped: node is not installed (scripts/install-deps installs nodejs)"
  exit 77
fi
cd "$here"
exec node --test ./*.test.mjs
