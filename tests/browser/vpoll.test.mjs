// vpoll.test.mjs — a verifiable poll (表决) held through the pages in Chromium: a new key's ceremony made
// here in node over the API (web/lib/trustee.js as the trustees' devices), the poll opened on it, a delegate
// choosing on the terminal, seeing the code, challenging once (the audit checked here in node) and casting,
// then finding the code on the board; two more delegates casting; the close, the chair's console showing
// it counting, two trustees decrypting over the API, the board showing the count verified and the chair
// the totals; and a board whose tally answer is changed on the way saying that the count does not verify.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { SIZES, startHall } from './lib/harness.mjs';
import { ceremony, unexpected } from './lib/verifiable.mjs';
import * as v from '../../web/lib/verifiable.js';
import * as tr from '../../web/lib/trustee.js';
import { voteFrom } from '../../web/lib/vview.js';

let hall;
let chair;
let secretariat;
before(async () => {
  hall = await startHall();
  chair = (await hall.login(hall.logins.chair)).token;
  secretariat = (await hall.login(hall.logins.secretariat)).token;
});
after(async () => { await hall?.stop(); });

const api = (token, method, path, body) => hall.call(method, path, token, method === 'GET' ? undefined : body ?? {});
// The poll's context as a device builds it from the API, here in node, to check an audit by.
async function contextOf(id) {
  const poll = await api(null, 'GET', `/api/polls/${id}`);
  return voteFrom('poll', poll, await api(null, 'GET', `/api/keys/${poll.verifiable.key}`));
}

// A choice on the terminal (1, 2, 3 or a click), then on to the code.
async function chooseAndEncrypt(page, choice) {
  await page.locator(`button.choice-${choice}`).click();
  const code = page.locator('.vcode .code');
  await code.waitFor({ timeout: 20000 });
  return { display: await code.innerText(), code: await code.getAttribute('data-code') };
}

// Waits for the board's line on the count to settle, and returns it.
async function tallyLine(board) {
  const line = board.locator('.vtally[data-state="ok"], .vtally[data-state="bad"]');
  await line.waitFor({ timeout: 20000 });
  return { state: await line.getAttribute('data-state'), text: await line.innerText() };
}

test('a verifiable poll on the terminal, the chair\'s console and the board, its count checked on the board', async (t) => {
  const { id: key, ts, tokens } = await ceremony(hall, secretariat);
  const title = '关于可验证表决试行办法的决定（草案）';
  const poll = (await api(chair, 'POST', '/api/polls', { title, majority: 'simple', key })).events[0].payload.id;
  const board = await hall.newPage();
  await board.goto('/board');
  const console_ = await hall.chairPage();
  await api(chair, 'POST', `/api/polls/${poll}/open`);
  await console_.locator('#vote .vote-head', { hasText: title }).locator('.badge', { hasText: '进行中' }).waitFor();

  // Delegate 1 chooses 赞成, challenges the ballot (its audit checked here), then casts a new encryption.
  const d1 = await hall.terminalPage('140100001');
  await d1.locator('#vote-title', { hasText: title }).waitFor();
  assert.match(await d1.locator('.vote .kicker, #vote .kicker').first().innerText(), /可验证选票/);
  const c1 = await chooseAndEncrypt(d1, 'yes');
  assert.equal(await d1.locator('.confirm-step .chosen').innerText(), '赞成');
  await hall.screenshot(d1, 'terminal-vpoll-code', [SIZES.phone, SIZES.terminal]);
  await d1.locator('button.challenge').click();
  await d1.locator('.audit').waitFor();
  const [dl] = await Promise.all([d1.waitForEvent('download'), d1.locator('.audit a.download').click()]);
  assert.equal(dl.suggestedFilename(), `audit-poll-${poll}-${c1.display}.json`);
  const audit = JSON.parse(await readFile(await dl.path(), 'utf8'));
  assert.equal(await d1.locator('.audit-text').innerText(), JSON.stringify(audit, null, 2));
  assert.deepEqual(Object.keys(audit), ['voter', 'code', 'ballot', 'marks']);
  assert.equal(audit.voter, '140100001');
  assert.deepEqual(v.checkAudit(await contextOf(poll), audit).marks, ['yes'], 'the audit opens to what was chosen');
  assert.equal(v.codeText(v.unb64(audit.code, 'code', 64)), c1.display);
  await hall.screenshot(d1, 'terminal-vpoll-audit', [SIZES.terminal]);
  await d1.locator('button.again').click();
  await d1.locator('.vcode .code').waitFor({ timeout: 20000 });
  const c1b = await d1.locator('.vcode .code').getAttribute('data-code');
  assert.notEqual(c1b, c1.code, 'a new encryption, a new code');
  await d1.locator('button.cast').click();
  await d1.locator('.board-check[data-state="ok"]').waitFor({ timeout: 10000 });
  assert.match(await d1.locator('.board-check').innerText(), /在公告板上/);
  assert.deepEqual((await api(null, 'GET', `/api/polls/${poll}/codes`)).codes, [c1b], 'the challenged ballot was never sent');
  await hall.screenshot(d1, 'terminal-vpoll-cast', [SIZES.terminal]);

  // Delegate 2 votes 反对 by its key, delegate 3 弃权; the board counts the ballots on it.
  const d2 = await hall.terminalPage('140100002');
  await d2.locator('#vote-title', { hasText: title }).waitFor();
  await d2.locator('button.choice-no').waitFor();
  await d2.keyboard.press('2');
  await d2.locator('.vcode .code').waitFor({ timeout: 20000 });
  await d2.locator('button.cast').click();
  await d2.locator('.board-check[data-state="ok"]').waitFor({ timeout: 10000 });
  const d3 = await hall.terminalPage('140100003');
  await d3.locator('#vote-title', { hasText: title }).waitFor();
  await chooseAndEncrypt(d3, 'abstain');
  await d3.locator('button.cast').click();
  await d3.locator('.board-check[data-state="ok"]').waitFor({ timeout: 10000 });
  await board.locator('.vballots', { hasText: '3' }).waitFor({ timeout: 10000 });
  assert.equal(await board.locator('.vballots').innerText(), '公告板上的加密选票：3 张');
  await hall.screenshot(board, 'board-vpoll-open', [SIZES.terminal, SIZES.hall]);

  // The close: the console shows it counting (no totals, no announcement) while the trustees decrypt.
  await api(chair, 'POST', `/api/polls/${poll}/close`);
  await console_.locator('#vote-decrypting[data-done="0"]').waitFor();
  assert.equal(await console_.locator('#vote .vote-head .badge').innerText(), '计票中');
  assert.equal(await console_.locator('#poll-result, #vote-announce').count(), 0);
  await board.locator('.vtally.muted', { hasText: '0/2' }).waitFor();
  const job = await api(null, 'GET', `/api/polls/${poll}/decrypt`);
  const Q = v.unb64(job.Q, 'Q', 64);
  const decrypt = (j) => api(tokens[j - 1], 'POST', `/api/polls/${poll}/decrypt`, { partials: tr.decryptPartials(ts[j - 1], Q, job.ciphertexts) });
  await decrypt(3);
  await console_.locator('#vote-decrypting[data-done="1"]').waitFor();
  await hall.screenshot(console_, 'chair-vpoll-counting', [SIZES.terminal]);
  await decrypt(1);
  const counted = await api(null, 'GET', `/api/polls/${poll}`);
  assert.deepEqual([counted.yes, counted.no, counted.abstain, counted.verifiable.counted], [1, 1, 1, true]);
  await console_.locator('#poll-result').waitFor();
  assert.equal(await console_.locator('#vote .vote-head .badge').innerText(), '已结束');
  await console_.locator('#vote-announce').waitFor();

  // The board checks the count itself, before and after the announcement.
  let line = await tallyLine(board);
  assert.equal(line.state, 'ok', line.text);
  assert.match(line.text, /计票已验证：2 位监票人/);
  await api(chair, 'POST', `/api/polls/${poll}/announce`);
  await board.locator('.result').waitFor();
  line = await tallyLine(board);
  assert.equal(line.state, 'ok', line.text);
  t.diagnostic(`the board's check of the poll's count (ms): ${await board.locator('.vtally').getAttribute('data-ms')}`);
  await hall.screenshot(board, 'board-vpoll-verified', [SIZES.terminal, SIZES.hall]);

  // A board whose tally answer is changed on the way (one partial decryption moved) says it does not verify.
  const tampered = await hall.newPage();
  await tampered.route(`**/api/polls/${poll}/tally`, async (route) => {
    const r = await route.fetch();
    const body = await r.json();
    const d = body.partials[0].partial[0];
    d.d = v.b64(v.add(v.pointFrom(d.d), v.G));
    await route.fulfill({ response: r, json: body });
  });
  await tampered.goto('/board');
  line = await tallyLine(tampered);
  assert.equal(line.state, 'bad');
  assert.match(line.text, /计票验证未通过：trustee 1\.partial\[0\]/);
  await hall.screenshot(tampered, 'board-vpoll-tampered', [SIZES.terminal]);
  for (const p of [d1, d2, d3, board, console_, tampered]) assert.deepEqual(unexpected(p), []);
});
