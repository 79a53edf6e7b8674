// national.mjs — the pages at a national hall's size, shared by bench/run-pages and the browser test
// national.test.mjs: `yishi demo --hall npc` (2,977 delegates, a three-tier hall), the board and the chair's
// console open in Chromium, every delegate present voting in a burst on a named poll. measureNational()
// returns how long each page took to render, how fast the votes went in, how long each live event took to
// reach the screen (each frame drawn is a 'yishi.apply' performance entry: from the oldest event it
// applies to the end of the draw), and what the pages showed at the end, for the caller to check.
import { cpus } from 'node:os';
import { startHall } from './harness.mjs';

function pct(xs, p) {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
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

export async function measureNational({ voters = 64, board: boardSize = { width: 3840, height: 2160 } } = {}) {
  const hall = await startHall({ demoArgs: ['--hall', 'npc'], timeoutMs: 120000 });
  try {
  const chair = (await hall.login(hall.logins.chair)).token;
  const size = boardSize;

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

  const meeting = (await hall.call('GET', '/api/status')).meeting.id;
  const present = (await hall.call('GET', `/api/meetings/${meeting}/attendance`)).delegates.filter((d) => d.presence === 'present');
  const tokens = new Array(present.length);
  await pool(present, 16, async (d, i) => { tokens[i] = (await hall.login(hall.delegateLogin(d.code))).token; });

  const poll = (await hall.call('POST', '/api/polls', chair, { title: '全体表决（负载测量）', named: true })).events[0].payload.id;
  await hall.call('POST', `/api/polls/${poll}/open`, chair);
  await board.getByText('正在表决').waitFor();
  const before = { board: (await frames(board)).length, chair: (await frames(console_)).length };

  const t0 = Date.now();
  await pool(tokens, voters, (tok, i) => hall.call('POST', `/api/polls/${poll}/votes`, tok, { choice: ['yes', 'no', 'abstain'][i % 3] }));
  const sentMs = Date.now() - t0;
  const total = String(present.length);
  await board.locator('#vote .turnout .big').filter({ hasText: new RegExp(`^${Number(total).toLocaleString('zh-CN')}$`) }).waitFor({ timeout: 60000 });
  const boardAllMs = Date.now() - t0;
  await console_.waitForFunction((n) => document.querySelector('#turnout-voted').textContent.replace(/\D/g, '') === n, total, { timeout: 60000 });
  const chairAllMs = Date.now() - t0;
  const lit = await board.locator('.seatmap .seat.voted').count();

  const fb = (await frames(board)).slice(before.board);
  const fc = (await frames(console_)).slice(before.chair);
  const stats = (f) => ({ frames: f.length, p50: pct(f, 50), p99: pct(f, 99), max: Math.max(0, ...f) });
  return {
    cores: cpus().length, size, present: present.length, boardMs, chairMs, sentMs, boardAllMs, chairAllMs, lit, voters,
    board: stats(fb), chair: stats(fc),
    boardTurnout: await board.locator('#vote .turnout .big').innerText(),
    chairTurnout: await console_.locator('#turnout-voted').innerText(),
  };
  } finally {
    await hall.stop();
  }
}

// The figures as printed lines.
export function describe(r) {
  const line = (name, f) =>
    `${name}: ${f.frames} frames; event to screen p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms, max ${f.max.toFixed(1)} ms`;
  return [
    `machine: ${r.cores} cores; ${r.present} of 2,977 delegates present`,
    `render (navigation start to the first full draw): board ${r.boardMs.toFixed(0)} ms at ${r.size.width}x${r.size.height}; chair's console ${r.chairMs.toFixed(0)} ms at 1920x1080`,
    `${r.present} votes sent by ${r.voters} clients in ${r.sentMs} ms (${((r.present * 1000) / r.sentMs).toFixed(0)}/s); all on the board after ${r.boardAllMs} ms, on the console after ${r.chairAllMs} ms; ${r.lit} seats lit on the board`,
    line('board', r.board),
    line('chair', r.chair),
  ].join('\n');
}
