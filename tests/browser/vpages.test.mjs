// vpages.test.mjs — a verifiable election held through the pages in Chromium: a new key's ceremony by three
// trustees on the trustee page (each its own browser context, one restoring its secrets from the backup it
// downloaded), the election opened by the chair through the API, delegates encrypting on the terminal (one
// challenging first, its audit checked in node by web/lib/verifiable.js), the close, a trustee's page refusing a
// dishonest server's "aggregate" (one ballot), two trustees decrypting on the page after checking the board's
// ballots, and the board showing the count verified. Screenshots as the other tests take.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startHall } from './lib/harness.mjs';
import { trusteePage, unexpected } from './lib/verifiable.mjs';
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
// The step this trustee's page shows for the key, waited for.
const stepOf = (page, key, step) => page.locator(`.key[data-key="${key}"] [data-step="${step}"]`);

// Downloads the backup the page offers for the key (which unlocks posting) and returns its JSON.
async function downloadBackup(page, key) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator(`.key[data-key="${key}"] a.download`).click()]);
  return { path: await dl.path(), json: JSON.parse(await readFile(await dl.path(), 'utf8')) };
}

async function postStep(page, key, step, { backup = true } = {}) {
  const s = stepOf(page, key, step);
  await s.waitFor({ timeout: 20000 });
  const b = backup ? await downloadBackup(page, key) : null;
  const go = s.locator('button');
  await assert.doesNotReject(go.click({ timeout: 5000 }));
  return b;
}

// The vote's context as the terminal builds it, here in node, to check an audit by.
async function contextOf(id) {
  const el = await api(null, 'GET', `/api/elections/${id}`);
  return voteFrom('election', el, await api(null, 'GET', `/api/keys/${el.verifiable.key}`));
}

// Marks on the terminal: { name: 'yes' | 'no' } (others abstain), write-ins; then on to the code.
async function markAndEncrypt(page, marks, writeins = []) {
  for (const [name, m] of Object.entries(marks)) await page.locator(`.candidate[data-name="${name}"] .mark-${m}`).click();
  for (const w of writeins) {
    await page.locator('#writein').fill(w);
    await page.locator('#writein').press('Enter');
  }
  await page.locator('.ballot .next').click();
  const code = page.locator('.vcode .code');
  await code.waitFor({ timeout: 20000 });
  return { display: await code.innerText(), code: await code.getAttribute('data-code'), ms: Number(await page.locator('.vtime').getAttribute('data-ms')) };
}

// The challenge: the audit file downloaded and checked here, then the choice encrypted anew or changed.
async function challenge(page, id, want) {
  await page.locator('button.challenge').click();
  await page.locator('.audit').waitFor();
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('.audit a.download').click()]);
  const audit = JSON.parse(await readFile(await dl.path(), 'utf8'));
  assert.equal(await page.locator('.audit-text').innerText(), JSON.stringify(audit, null, 2));
  const opened = v.checkAudit(await contextOf(id), audit);
  assert.deepEqual(opened.marks, want.marks);
  assert.deepEqual(opened.writeins, want.writeins);
  return audit;
}

test('a verifiable election through the trustee page, the terminal and the board', async (t) => {
  // The ceremony of a new key (the demo's key 1 is complete), by trustees 1–3 with threshold 2.
  await api(secretariat, 'POST', '/api/keys', { trustees: ['trustee1', 'trustee2', 'trustee3'], threshold: 2 });
  const keys = (await api(null, 'GET', '/api/keys')).keys;
  const key = keys[keys.length - 1].id;
  const pages = [];
  for (const n of [1, 2, 3]) pages.push(await trusteePage(hall, n));
  const first = pages[0];
  assert.equal(await first.locator(`.key[data-key="${key}"] [data-step="tr.step.create"] button`).isDisabled(), false);
  await hall.screenshot(first, 'trustee-start');
  for (const p of pages) await postStep(p, key, 'tr.step.create', { backup: false });
  // Nothing is posted before the backup is downloaded.
  await stepOf(first, key, 'tr.step.commit').waitFor();
  assert.equal(await stepOf(first, key, 'tr.step.commit').locator('button').isDisabled(), true);
  const backups = [];
  for (const p of pages) backups.push(await postStep(p, key, 'tr.step.commit'));
  // Trustee 2's backup is what the C code's format holds (the library restores it as the C code does), and
  // restoring it on a device that lost its secrets takes the ceremony on.
  const record = await api(null, 'GET', `/api/keys/${key}`);
  const params = { sessionId: (await api(null, 'GET', '/api/session')).id, keyId: key, n: 3, k: 2, logins: ['trustee1', 'trustee2', 'trustee3'] };
  assert.deepEqual(Object.keys(backups[1].json), ['session_id', 'key_id', 'n', 'k', 'logins', 'index', 'coefficients', 'proofs', 'box_secret', 'received', 'share_proof']);
  assert.deepEqual(tr.commitmentOf(tr.restoreTrustee(params, 2, backups[1].json)).commitments, record.trustees[1].commitment.commitments);
  await pages[1].evaluate(() => localStorage.clear());
  await pages[1].reload();
  await stepOf(pages[1], key, 'lost').waitFor();
  await pages[1].locator(`.key[data-key="${key}"] input.restore-file`).setInputFiles(backups[1].path);
  for (const p of pages) await postStep(p, key, 'tr.step.share', { backup: false });
  for (const p of pages) await postStep(p, key, 'tr.step.open', { backup: false });
  for (const p of pages) await postStep(p, key, 'tr.step.ready');
  await stepOf(first, key, 'complete').waitFor({ timeout: 20000 });
  assert.equal((await api(null, 'GET', `/api/keys/${key}`)).state, 'complete');
  await hall.screenshot(first, 'trustee-complete');

  // The election on that key, opened by the chair through the API; the board watches.
  const made = await api(chair, 'POST', '/api/elections', { office: 'vice_governor', seats: 2, by_election: true, key });
  const id = made.events[0].payload.id;
  for (const name of ['赵一', '钱二']) await api(chair, 'POST', `/api/elections/${id}/nominations`, { name });
  const board = await hall.newPage();
  await board.goto('/board');
  await api(chair, 'POST', `/api/elections/${id}/open`);

  const times = [];
  // Delegate 1 challenges first (the audit checked here), then casts the ballot encrypted anew.
  const d1 = await hall.terminalPage('140100001');
  await d1.locator('.candidate[data-name="赵一"]').waitFor();
  const c1 = await markAndEncrypt(d1, { 赵一: 'yes' });
  times.push(c1.ms);
  await hall.screenshot(d1, 'terminal-verifiable-code');
  const audit = await challenge(d1, id, { marks: ['yes', 'abstain'], writeins: [] });
  assert.equal(v.codeText(v.unb64(audit.code, 'code', 64)), c1.display);
  await hall.screenshot(d1, 'terminal-verifiable-audit');
  await d1.locator('button.again').click();
  await d1.locator('.vcode .code').waitFor();
  const c1b = await d1.locator('.vcode .code').getAttribute('data-code');
  assert.notEqual(c1b, c1.code, 'a new encryption, a new code');
  times.push(Number(await d1.locator('.vtime').getAttribute('data-ms')));
  await d1.locator('button.cast').click();
  await d1.locator('.board-check[data-state="ok"]').waitFor({ timeout: 10000 });
  assert.match(await d1.locator('.board-check').innerText(), /在公告板上/);
  const codes = (await api(null, 'GET', `/api/elections/${id}/codes`)).codes;
  assert.deepEqual(codes, [c1b], 'the challenged ballot was never sent');
  await hall.screenshot(d1, 'terminal-verifiable-cast');

  // Delegate 2 writes a name in, challenges (the name is in the audit), then changes to no mark for it.
  const d2 = await hall.terminalPage('140100002');
  await d2.locator('.candidate[data-name="赵一"]').waitFor();
  const c2 = await markAndEncrypt(d2, { 赵一: 'no' }, ['孙三']);
  times.push(c2.ms);
  await challenge(d2, id, { marks: ['no', 'abstain'], writeins: ['孙三'] });
  await d2.locator('.audit-step button.change').click();
  await d2.locator('.writeins .remove').click();
  const c2b = await markAndEncrypt(d2, { 钱二: 'yes' });
  await d2.locator('button.cast').click();
  await d2.locator('.board-check[data-state="ok"]').waitFor({ timeout: 10000 });

  const d3 = await hall.terminalPage('140100003');
  await d3.locator('.candidate[data-name="赵一"]').waitFor();
  times.push((await markAndEncrypt(d3, {})).ms);
  await d3.locator('button.cast').click();
  await d3.locator('.board-check[data-state="ok"]').waitFor({ timeout: 10000 });
  assert.deepEqual((await api(null, 'GET', `/api/elections/${id}/codes`)).codes.length, 3);
  assert.ok(!(await api(null, 'GET', `/api/elections/${id}/codes`)).codes.includes(c2.code));
  assert.ok((await api(null, 'GET', `/api/elections/${id}/codes`)).codes.includes(c2b.code));
  await board.locator('.vballots').getByText('3').waitFor({ timeout: 10000 });
  await hall.screenshot(board, 'board-verifiable-open');
  t.diagnostic(`encryption on the page (ms): ${times.join(', ')}`);

  // The close. Trustee 2's page is handed a dishonest answer (one delegate's ballot as the aggregate of the
  // first candidate): it sums the board's ballots itself, refuses, and posts nothing.
  await api(chair, 'POST', `/api/elections/${id}/close`);
  const oneBallot = (await api(null, 'GET', `/api/elections/${id}/board?limit=1`)).ballots[0].ballot.marks[0].ct;
  await pages[1].route(`**/api/elections/${id}/decrypt`, async (route) => {
    if (route.request().method() !== 'GET') return route.continue();
    const response = await route.fetch();
    const json = await response.json();
    json.ciphertexts[0].ct = oneBallot;
    return route.fulfill({ response, json });
  });
  await pages[1].locator(`.velection[data-election="${id}"] [data-step="decrypt"] button`).click({ timeout: 20000 });
  const refusal = pages[1].locator('#error:not([hidden])');
  await refusal.waitFor({ timeout: 60000 });
  assert.match(await refusal.innerText(), /拒绝解密：ciphertexts\[0\]: tally\/1 is not the sum of the 3 ballots on the board/);
  assert.deepEqual((await api(null, 'GET', `/api/elections/${id}`)).verifiable.decrypted_by, []);
  await hall.screenshot(pages[1], 'trustee-refuses');
  await pages[1].unroute(`**/api/elections/${id}/decrypt`);

  // Trustees 1 and 3 decrypting on their pages, each after the same check.
  const decMs = [];
  for (const p of [pages[0], pages[2]]) {
    const card = p.locator(`.velection[data-election="${id}"]`);
    await card.locator('[data-step="decrypt"] button').click({ timeout: 20000 });
    const sent = card.locator('[data-ms]');
    await sent.waitFor({ timeout: 20000 });
    decMs.push(await sent.getAttribute('data-ms'));
    assert.match(await sent.innerText(), /已核对公告板上的 3 张选票（每张选票的证明均已验证/);
  }
  await hall.screenshot(pages[2], 'trustee-decrypted');
  t.diagnostic(`partial decryption on the page (ms): ${decMs.join(', ')}`);
  const el = await api(null, 'GET', `/api/elections/${id}`);
  assert.equal(el.verifiable.counted, true);
  const row = (name) => el.result.candidates.find((c) => c.name === name);
  assert.deepEqual([row('赵一').yes, row('赵一').no, row('赵一').abstain], [1, 1, 1]);
  assert.deepEqual([row('钱二').yes, row('钱二').no, row('钱二').abstain], [1, 0, 2]);
  await api(chair, 'POST', `/api/elections/${id}/announce`);
  const verified = board.locator('.vtally[data-state="ok"]');
  await verified.waitFor({ timeout: 20000 });
  assert.match(await verified.innerText(), /计票已验证：2 位监票人/);
  t.diagnostic(`the board's check of the count (ms): ${await verified.getAttribute('data-ms')}`);
  await hall.screenshot(board, 'board-verifiable-verified');
  for (const p of [...pages, d1, d2, d3, board]) assert.deepEqual(unexpected(p), []);
});
