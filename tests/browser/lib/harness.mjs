// harness.mjs — what the browser tests share: a demo session in a temporary folder, the real `yishi serve`
// on a free loopback port with its built-in pages, Debian's Chromium through playwright-core, and screenshots.
import { chromium } from 'playwright-core';
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const source = resolve(here, '../../..');

// run.sh (and so ctest) sets these; the defaults are the build tree of scripts/build.
export const YISHI = process.env.YISHI_BIN || join(source, 'build/yishi');
export const ARTIFACTS = process.env.YISHI_ARTIFACTS || join(source, 'build/browser-artifacts');
export const CHROMIUM = process.env.YISHI_CHROMIUM || '/usr/bin/chromium';

// The sizes every page is shown at: a phone, a seat terminal or laptop, the hall's 4K screen.
export const SIZES = {
  phone: { width: 390, height: 844 },
  terminal: { width: 1280, height: 800 },
  hall: { width: 3840, height: 2160 },
};

// Servers still running when the process ends for any reason are killed with it.
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function testEnv() {
  // The cheapest argon2id, so that many demo delegates log in quickly (as the API tests do).
  return { ...process.env, YISHI_TEST_WEAK_PWHASH: '1', YISHI_RULES_DIR: process.env.YISHI_RULES_DIR || join(source, 'rules') };
}

// The demo logins yishi demo prints: "  LABEL {json}" per line after "demo logins".
export function parseLogins(text) {
  const logins = {};
  for (const line of text.split('\n')) {
    const m = /^\s+(secretariat|chair|delegation secretary|delegate)\b.*?(\{.*\})/.exec(line);
    if (m) logins[m[1] === 'delegation secretary' ? 'delegationSecretary' : m[1]] = JSON.parse(m[2]);
  }
  for (const need of ['secretariat', 'chair', 'delegationSecretary', 'delegate'])
    if (!logins[need]) throw new Error(`yishi demo printed no ${need} login:\n${text}`);
  return logins;
}

// Starts `yishi serve` on `file` and resolves with the child and its base URL once /api/health answers.
function serve(file, extra, timeoutMs, listen = '127.0.0.1:0') {
  const child = spawn(YISHI, ['serve', '-f', file, '--listen', listen, ...extra], {
    env: testEnv(), stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  let out = '', err = '';
  child.stderr.on('data', (d) => { err += d; });
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`yishi serve did not listen within ${timeoutMs} ms:\n${err}`)), timeoutMs);
    child.on('exit', (code) => fail(new Error(`yishi serve exited (${code}) before listening:\n${err}`)));
    child.stdout.on('data', async (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!m || child.base) return;
      child.base = m[1];
      try {
        await waitHealthy(child.base, timeoutMs);
        clearTimeout(timer);
        ok(child);
      } catch (e) {
        fail(e);
      }
    });
  });
}

async function waitHealthy(base, timeoutMs) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(`${base}/api/health`);
      if (r.ok && (await r.json()).ok) return;
    } catch { /* not yet */ }
    if (Date.now() > until) throw new Error(`${base}/api/health did not answer`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function stopChild(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10000);
    child.on('exit', () => { clearTimeout(kill); ok(); });
    child.kill('SIGTERM');
  });
}

// Console errors and uncaught exceptions of a page (a CSP violation is a console error), as text. Chromium
// also logs every API answer of 4xx or 5xx as an error, though such an answer is the page's data (a 401
// before login, a refusal it shows): those go to page.apiErrors instead. A page file that fails to load
// (a missing module, a favicon) stays an error.
export function watch(page) {
  const errors = [];
  page.apiErrors = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const url = m.location().url || page.url();
    const text = `console: ${m.text()} (${url})`;
    if (/^Failed to load resource/.test(m.text()) && new URL(url, page.url()).pathname.startsWith('/api/'))
      page.apiErrors.push(text);
    else
      errors.push(text);
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  return errors;
}

/**
 * A hall for one test file: a fresh demo session served by yishi with its built-in pages, and a browser.
 * Always `await hall.stop()` in an `after` hook: it stops the server and the browser, also after a failure.
 * Options: serveArgs (more `yishi serve` arguments), demoArgs (more `yishi demo` ones: ['--hall', 'npc']), timeoutMs.
 */
export async function startHall({ serveArgs = [], demoArgs = [], timeoutMs = 60000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'yishi-browser-'));
  const file = join(dir, 'demo.db');
  const hall = { dir, file, contexts: [], server: null, browser: null };
  hall.stop = async () => {
    await Promise.allSettled(hall.contexts.map((c) => c.close()));
    if (hall.browser) await hall.browser.close().catch(() => {});
    await stopChild(hall.server);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const { stdout } = await promisify(execFile)(YISHI, ['demo', ...demoArgs, '-f', file], { env: testEnv(), timeout: timeoutMs * 3 });
    hall.logins = parseLogins(stdout);
    hall.server = await serve(file, serveArgs, timeoutMs);
    hall.base = hall.server.base;
    // Chromium's own sandbox needs user namespaces that root in a container does not get.
    hall.browser = await chromium.launch({
      executablePath: CHROMIUM, headless: true, args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
    });
  } catch (e) {
    await hall.stop();
    throw e;
  }

  // A new browser context (its own cookies and storage: one device), on the server's base URL.
  hall.newContext = async (options = {}) => {
    const c = await hall.browser.newContext({ baseURL: hall.base, locale: 'zh-CN', ...options });
    hall.contexts.push(c);
    return c;
  };
  // A page in a new context, with page.errors collecting its console errors (watch).
  hall.newPage = async (options = {}) => {
    const page = await (await hall.newContext(options)).newPage();
    page.errors = watch(page);
    return page;
  };
  // The login body of demo delegate `code` (e.g. "140100001"): every demo card is DEMO and the code.
  hall.delegateLogin = (code, pin = '135790') => ({ code: `DEMO${String(code).padStart(12, '0')}`, pin });
  // The terminal of demo delegate `code` on a new device, logged in through its form (the PIN already set,
  // or set by this login), once the meeting shows.
  hall.terminalPage = async (code, options) => {
    const page = await hall.newPage(options);
    await page.goto('/terminal');
    const login = hall.delegateLogin(code);
    await page.locator('#code').fill(login.code);
    await page.locator('#pin').fill(login.pin);
    await page.locator('#pin').press('Enter');
    await page.locator('#meeting h2').waitFor();
    return page;
  };
  // The chair's console on a new device, logged in through its form, once it is ready.
  hall.chairPage = async (options) => {
    const page = await hall.newPage(options);
    await page.goto('/chair');
    await page.locator('#login-form [name=name]').fill(hall.logins.chair.name);
    await page.locator('#login-form [name=password]').fill(hall.logins.chair.password);
    await page.locator('#login-form [name=password]').press('Enter');
    await page.locator('#console[data-ready]').waitFor();
    return page;
  };
  // Logs in through the API (as a page would) and returns the answer: token, csrf, role …
  hall.login = async (body) => {
    const r = await fetch(`${hall.base}/api/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`login ${JSON.stringify(body)}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  // One API call as a test makes it (a login's `token` or none, `body` as JSON); a refusal fails the test
  // with its answer.
  hall.call = async (method, path, token, body) => {
    const r = await fetch(`${hall.base}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await r.json();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(data)}`);
    return data;
  };
  // Stops the server (SIGTERM, as an operator would), runs `whileDown` (what the pages show meanwhile), and
  // starts it again on the same file and port: the pages must go on by themselves.
  hall.restart = async (whileDown = async () => {}) => {
    const listen = new URL(hall.base).host;
    await stopChild(hall.server);
    await whileDown();
    hall.server = await serve(file, serveArgs, timeoutMs, listen);
  };
  // Screenshots of the page at each size (default: all three), as ARTIFACTS/NAME-WIDTHxHEIGHT.png.
  hall.screenshot = async (page, name, sizes = Object.values(SIZES)) => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const paths = [];
    for (const size of sizes) {
      await page.setViewportSize(size);
      const path = join(ARTIFACTS, `${name}-${size.width}x${size.height}.png`);
      await page.screenshot({ path, fullPage: false });
      paths.push(path);
    }
    return paths;
  };
  return hall;
}
