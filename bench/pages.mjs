// pages.mjs — the pages at a national hall's size (bench/run-pages): `yishi demo --hall npc` (2,977
// delegates, a three-tier hall), the board and the chair's console open in Debian's Chromium, every
// delegate present voting in a burst on a named poll. Prints how long each page took to render, how fast
// the votes went in, and how long each live event took to reach the screen (each frame drawn is a
// 'yishi.apply' performance entry: from the oldest event it applies to the end of the draw).
import { startHall } from '../tests/browser/lib/harness.mjs';

const CONCURRENCY = Number(process.env.VOTERS || 64);

function pct(xs, p) {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function call(hall, method, path, token, body) {
  const r = await fetch(`${hall.base}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await r.json();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(data)}`);
  return data;
}

async function pool(items, n, f) {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      await f(items[i], i);
    }
  }));
}

const frames = (page) => page.evaluate(() => performance.getEntriesByName('yishi.apply').map((e) => e.duration));

const hall = await startHall({ demoArgs: ['--hall', 'npc'], timeoutMs: 120000 });
try {
  const chair = (await hall.login(hall.logins.chair)).token;
  const size = { width: 3840, height: 2160 };

  const board = await hall.newPage({ viewport: size });
  await board.goto('/board');
  await board.locator('#board[data-ready="true"]').waitFor({ timeout: 60000 });
  const boardMs = await board.evaluate(() => performance.getEntriesByName('yishi.ready')[0].startTime);

  const console_ = await hall.newPage({ viewport: { width: 1920, height: 1080 } });
  await console_.goto('/chair');
  await console_.locator('#login-form [name=name]').fill(hall.logins.chair.name);
  await console_.locator('#login-form [name=password]').fill(hall.logins.chair.password);
  await console_.locator('#login-form [name=password]').press('Enter');
  await console_.waitForFunction(() => window.yishiChair && window.yishiChair.stats.loadMs !== null, null, { timeout: 60000 });
  const chairMs = await console_.evaluate(() => window.yishiChair.stats.loadMs);

  const meeting = (await call(hall, 'GET', '/api/status')).meeting.id;
  const present = (await call(hall, 'GET', `/api/meetings/${meeting}/attendance`)).delegates.filter((d) => d.presence === 'present');
  const tokens = new Array(present.length);
  await pool(present, 16, async (d, i) => { tokens[i] = (await hall.login(hall.delegateLogin(d.code))).token; });

  const poll = (await call(hall, 'POST', '/api/polls', chair, { title: '全体表决（负载测量）', named: true })).events[0].payload.id;
  await call(hall, 'POST', `/api/polls/${poll}/open`, chair);
  await board.getByText('正在表决').waitFor();
  const before = { board: (await frames(board)).length, chair: (await frames(console_)).length };

  const t0 = Date.now();
  await pool(tokens, CONCURRENCY, (tok, i) => call(hall, 'POST', `/api/polls/${poll}/votes`, tok, { choice: ['yes', 'no', 'abstain'][i % 3] }));
  const sentMs = Date.now() - t0;
  const total = String(present.length);
  await board.locator('#vote .turnout .big').filter({ hasText: new RegExp(`^${Number(total).toLocaleString('zh-CN')}$`) }).waitFor({ timeout: 60000 });
  const boardAllMs = Date.now() - t0;
  await console_.waitForFunction((n) => document.querySelector('#turnout-voted').textContent.replace(/\D/g, '') === n, total, { timeout: 60000 });
  const chairAllMs = Date.now() - t0;
  const lit = await board.locator('.seatmap .seat.voted').count();

  const fb = (await frames(board)).slice(before.board);
  const fc = (await frames(console_)).slice(before.chair);
  const line = (name, f) => `${name}: ${f.length} frames; event to screen p50 ${pct(f, 50).toFixed(1)} ms, p99 ${pct(f, 99).toFixed(1)} ms, max ${Math.max(0, ...f).toFixed(1)} ms`;
  console.log(`machine: ${(await import('node:os')).cpus().length} cores; ${present.length} of 2,977 delegates present`);
  console.log(`render (navigation start to the first full draw): board ${boardMs.toFixed(0)} ms at 3840x2160; chair's console ${chairMs.toFixed(0)} ms at 1920x1080`);
  console.log(`${present.length} votes sent by ${CONCURRENCY} clients in ${sentMs} ms (${((present.length * 1000) / sentMs).toFixed(0)}/s); all on the board after ${boardAllMs} ms, on the console after ${chairAllMs} ms; ${lit} seats lit on the board`);
  console.log(line('board', fb));
  console.log(line('chair', fc));
} finally {
  await hall.stop();
}
