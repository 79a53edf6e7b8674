#!/bin/sh
# setup.sh — installs the browser tests' npm packages (package-lock.json) into tests/browser/node_modules
# with `npm ci`, unless what is there was installed from this very lock: so that a re-run works offline.
set -eu
cd "$(dirname "$0")"
stamp=node_modules/.yishi-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
# playwright-core downloads nothing by itself; the tests drive Debian's /usr/bin/chromium, never a browser
# build of Playwright's own.
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
echo "$want" > "$stamp"
