// vshuffle.test.mjs — a verifiable election's write-ins (docs/verifiable.md §9) counted through the trustee
// pages in Chromium: two trustees decrypt the aggregates, a page handed a shuffle input that is not the board's
// tuples refuses and posts nothing, the two shuffle in turn (each checking the shuffles before its own), then
// decrypt the shuffled counts and the blocks until the count names the write-ins; and a verifiable poll made
// from the chair console's form (a refusal of the server shown first), decrypted from the trustee pages.
// The key's ceremony and the ballots are made in node over the API (tests/browser/lib/verifiable.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { castEncrypted, ceremony, restoreOn, trusteePage, unexpected, verifiableHall } from './lib/verifiable.mjs';

const s = verifiableHall();
const api = (...a) => s.api(...a);

// Clicks the card's step, then waits until the vote's view (GET `path`) says `done` and the page has put up its
// note of this step in the phase it was taken (the server may answer the API before the page has drawn what its
// own post returned); a refusal the page shows instead fails with its text.
async function step(page, card, name, path, done) {
  const button = page.locator(`${card} [data-step="${name}"] button`);
  await button.waitFor({ timeout: 20000 });
  const phase = await page.locator(card).getAttribute('data-phase');
  await button.click({ timeout: 20000 });
  const note = page.locator(`${card} p.ok[data-done="${name}:${phase}"]`);
  const until = Date.now() + 60000;
  for (;;) {
    const shown = page.locator('#error:not([hidden])');
    if (await shown.count()) throw new Error(`the page refused: ${await shown.innerText()}`);
    const view = await api(null, 'GET', path);
    if (done(view.verifiable) && (await note.count())) return note.innerText();
    if (Date.now() > until) throw new Error(`${path} did not get to the step after ${name}: ${JSON.stringify(view.verifiable)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let key;
let pages;
test('two trustee pages shuffle the write-ins in turn and decrypt them until the count', async (t) => {
  const made = await ceremony(s.hall, s.secretariat);
  key = made.id;
  pages = [await trusteePage(s.hall, 1), await trusteePage(s.hall, 2)];
  for (const [i, p] of pages.entries()) await restoreOn(s.hall, p, key, made.ts[i]);

  const id = (await api(s.chair, 'POST', '/api/elections', { office: 'vice_governor', seats: 2, by_election: true, key })).events[0].payload.id;
  for (const name of ['赵一', '钱二']) await api(s.chair, 'POST', `/api/elections/${id}/nominations`, { name });
  await api(s.chair, 'POST', `/api/elections/${id}/open`);
  await castEncrypted(s.hall, 'election', id, '140100001', { 赵一: 'yes' });
  await castEncrypted(s.hall, 'election', id, '140100002', {}, ['孙三']);
  await castEncrypted(s.hall, 'election', id, '140100003', { 钱二: 'no' }, ['李四']);
  await api(s.chair, 'POST', `/api/elections/${id}/close`);
  const path = `/api/elections/${id}`;
  const card = `.velection[data-election="${id}"]`;
  const phase = (p) => (vv) => vv.phase === p;

  // The aggregates, by both: then the shuffles are awaited.
  await step(pages[0], card, 'decrypt', path, (vv) => vv.decrypted_by.includes(1));
  await step(pages[1], card, 'decrypt', path, phase('shuffle'));
  await pages[0].locator(`${card}[data-phase="shuffle"] [data-step="shuffle"]`).waitFor({ timeout: 20000 });
  await s.hall.screenshot(pages[0], 'trustee-shuffle');

  // Trustee 2's page is handed an input that is not the board's tuples (two swapped): it refuses, posts nothing.
  await pages[1].route(`**/api/elections/${id}/shuffle`, async (route) => {
    const response = await route.fetch();
    const json = await response.json();
    [json.input[0], json.input[1]] = [json.input[1], json.input[0]];
    return route.fulfill({ response, json });
  });
  await pages[1].locator(`${card} [data-step="shuffle"] button`).click({ timeout: 20000 });
  const refusal = pages[1].locator('#error:not([hidden])');
  await refusal.waitFor({ timeout: 30000 });
  assert.match(await refusal.innerText(), /拒绝洗牌：input\[0\]: tuple 1 of the input is not tuple 1 of the ballots' tuples on the board/);
  assert.deepEqual((await api(null, 'GET', `${path}/shuffles`)).shuffles, []);
  await s.hall.screenshot(pages[1], 'trustee-shuffle-refused');
  await pages[1].unroute(`**/api/elections/${id}/shuffle`);

  // Trustee 1 shuffles first; trustee 2 checks that shuffle, then makes the second.
  const said = [];
  said.push(await step(pages[0], card, 'shuffle', path, (vv) => vv.shuffled_by.length === 1));
  await pages[0].locator(`${card} [data-step="shuffled"]`).waitFor({ timeout: 20000 });
  said.push(await step(pages[1], card, 'shuffle', path, phase('mix')));
  assert.match(said[0], /已提交第 1 次洗牌（3 组密文，已核对此前 0 次洗牌/);
  assert.match(said[1], /已提交第 2 次洗牌（3 组密文，已核对此前 1 次洗牌/);
  const list = await api(null, 'GET', `${path}/shuffles`);
  assert.deepEqual(list.shuffles.map((x) => [x.m, x.trustee]), [[1, 1], [2, 2]]);
  t.diagnostic(`shuffles on the page (ms): ${await pages[0].locator(`${card} p.ok[data-ms]`).getAttribute('data-ms')}, ${await pages[1].locator(`${card} p.ok[data-ms]`).getAttribute('data-ms')}`);

  // The shuffled counts, then the blocks, each decrypted after the two shuffles are checked again.
  for (const [now, next] of [['mix', 'block'], ['block', 'count']]) {
    await pages[0].locator(`${card}[data-phase="${now}"] [data-step="decrypt"]`).waitFor({ timeout: 20000 });
    const text = await step(pages[0], card, 'decrypt', path, (vv) => vv.decrypted_by.includes(1));
    assert.match(text, /已核对公告板上的 3 张选票和 2 次洗牌的证明/);
    await step(pages[1], card, 'decrypt', path, (vv) => vv.phase !== now);
    assert.equal((await api(null, 'GET', path)).verifiable.phase, next);
  }
  const el = await api(null, 'GET', path);
  assert.equal(el.verifiable.counted, true);
  const names = el.result.candidates.map((c) => c.name);
  for (const name of ['赵一', '钱二', '孙三', '李四']) assert.ok(names.includes(name), `${name} is in the result: ${names}`);
  assert.equal(el.result.candidates.find((c) => c.name === '孙三').yes, 1);
  await pages[0].locator(`${card} [data-step="counted"]`).waitFor({ timeout: 20000 });
  await s.hall.screenshot(pages[0], 'trustee-writeins-counted');
  for (const p of pages) assert.deepEqual(unexpected(p), []);
});

test('a verifiable poll made from the chair console on a key it lists, decrypted from the trustee pages', async () => {
  const console_ = await s.hall.chairPage();
  await console_.locator('#new-poll summary').click();
  const form = console_.locator('#poll-form');
  const title = '关于可验证表决的第二项决定（草案）';
  await form.locator('[name=title]').fill(title);
  await form.locator('[name=method]').selectOption('verifiable');
  await form.locator(`#poll-key option[value="${key}"]`).waitFor({ state: 'attached' });
  await form.locator('#poll-key').selectOption(String(key));
  // A named verifiable vote: the server refuses, and the form says why.
  await form.locator('[name=named]').check();
  await form.locator('button[type=submit]').click();
  await form.locator('.error:not([hidden])').waitFor();
  assert.match(await form.locator('.error').innerText(), /a verifiable vote is anonymous/);
  await form.locator('[name=named]').uncheck();
  await form.locator('button[type=submit]').click();
  await form.locator('[role=status]', { hasText: title }).waitFor();
  await s.hall.screenshot(console_, 'chair-vpoll-form');
  const poll = (await api(null, 'GET', '/api/polls')).polls.find((p) => p.title === title);
  assert.equal(poll.verifiable.key, key);
  assert.equal(poll.named, false);

  await api(s.chair, 'POST', `/api/polls/${poll.id}/open`);
  await castEncrypted(s.hall, 'poll', poll.id, '140100001', { [title]: 'yes' });
  await castEncrypted(s.hall, 'poll', poll.id, '140100002', { [title]: 'yes' });
  await castEncrypted(s.hall, 'poll', poll.id, '140100003', { [title]: 'no' });
  await api(s.chair, 'POST', `/api/polls/${poll.id}/close`);
  const path = `/api/polls/${poll.id}`;
  const card = `.vpoll[data-poll="${poll.id}"]`;
  const text = await step(pages[1], card, 'decrypt', path, (vv) => vv.decrypted_by.includes(2));
  assert.match(text, /已核对公告板上的 3 张选票（每张选票的证明均已验证/);
  await step(pages[0], card, 'decrypt', path, (vv) => vv.counted);
  const counted = await api(null, 'GET', path);
  assert.deepEqual([counted.yes, counted.no, counted.abstain], [2, 1, 0]);
  await console_.locator('#poll-result').waitFor({ timeout: 20000 });
  for (const p of [...pages, console_]) assert.deepEqual(unexpected(p), []);
});
