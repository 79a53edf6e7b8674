// terminal.test.mjs — the delegate terminal in Chromium: a first login that sets the PIN, check-in, a vote
// cast with the keyboard alone on a poll the chair opens through the API, the receipt and the announced
// result; an over-marked election ballot refused on the page before it is sent; English; a dropped
// connection; a document's changes; screenshots at the three sizes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHall } from './lib/harness.mjs';

let hall;
let chair;
let secretariat;
before(async () => {
  hall = await startHall();
  chair = (await hall.login(hall.logins.chair)).token;
  secretariat = (await hall.login(hall.logins.secretariat)).token;
});
after(async () => { await hall?.stop(); });

// The API as staff call it (a POST with no body sends {}); a refusal fails the test with its answer.
const api = (token, method, path, body) => hall.call(method, path, token, method === 'GET' ? undefined : body ?? {});

// Presses Tab until `selector` has the focus, as a delegate with a keyboard would.
async function tabTo(page, selector, max = 60) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

// The page's console errors, less Chromium's note of each API refusal the test provokes on purpose
// ("Failed to load resource: … 4xx" for /api/…), which the page shows as a message instead.
const unexpected = (page) => page.errors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d .*\/api\//.test(e));

const focused = (page) => page.evaluate(() => document.activeElement?.className || document.activeElement?.id || '');

test('a first login sets the PIN, refusing a weak one with the API\'s reason', async () => {
  const page = await hall.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto('/terminal');
  await hall.screenshot(page, 'terminal-login');
  // By keyboard: the card code has the focus; Tab on to the first-login switch.
  assert.equal(await page.evaluate(() => document.activeElement.id), 'code');
  await page.keyboard.type('demo-0001-4080-0070'); /* 任文, absent from the closing plenary; any case, dashes */
  await tabTo(page, '.login .link');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'pin');
  await page.keyboard.type('123456');
  await page.keyboard.press('Tab');
  await page.keyboard.type('123457');
  await page.keyboard.press('Enter');
  await page.locator('#login-error').getByText('两次输入的密码不一致').waitFor();
  await page.locator('#pin').fill('123456');
  await page.locator('#pin2').fill('123456');
  await page.locator('#pin2').press('Enter');
  const refusal = page.locator('#login-error');
  await refusal.getByText('输入无效').waitFor();
  assert.match(await refusal.innerText(), /6 to 12 digits|not one digit repeated nor a run/);
  await page.locator('#pin').fill('240817');
  await page.locator('#pin2').fill('240817');
  await page.locator('#pin2').press('Enter');
  await page.locator('#flash').getByText('密码已设置').waitFor();
  assert.match(await page.locator('#who').innerText(), /任文 · 运城代表团 · 座位 13-14/);
  // The PIN is the card's now: a second device logs in with it.
  assert.equal((await hall.login({ code: 'DEMO000140800070', pin: '240817' })).role, 'delegate');
  assert.deepEqual(unexpected(page), []);
});

test('check in, vote with the keyboard alone, see the receipt and then the announced result', async () => {
  const page = await hall.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto('/terminal');
  await page.keyboard.type('DEMO000140800070');
  await page.keyboard.press('Tab');
  await page.keyboard.type('240817');
  await page.keyboard.press('Enter');
  await page.locator('#meeting .presence[data-presence="absent"]').waitFor();
  await tabTo(page, '.checkin');
  await page.keyboard.press('Enter');
  await page.locator('#meeting .presence[data-presence="present"]').waitFor();
  await page.locator('.conn').waitFor({ state: 'hidden' }); /* the stream is live */

  const created = await api(chair, 'POST', '/api/polls', { title: '关于终端测试的决议（草案）' });
  const poll = created.events[0].payload.id;
  await api(chair, 'POST', `/api/polls/${poll}/open`);
  // The vote takes the screen and the focus as it opens.
  await page.locator('.choices .choice-yes').waitFor();
  assert.match(await focused(page), /choice-yes/);
  await hall.screenshot(page, 'terminal-vote');
  await page.keyboard.press('Tab'); /* 反对 */
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('.chosen').innerText(), '反对');
  assert.match(await focused(page), /confirm/);
  await page.keyboard.press('Escape'); /* change */
  await page.locator('.choices').waitFor();
  await page.keyboard.press('3'); /* 弃权 */
  assert.equal(await page.locator('.chosen').innerText(), '弃权');
  await hall.screenshot(page, 'terminal-confirm');
  await page.keyboard.press('Enter');
  const receipt = page.locator('.receipt');
  await receipt.waitFor();
  assert.match(await receipt.innerText(), /您的表决已记录/);
  const seq = Number(await receipt.locator('.seq').innerText());
  const log = await api(chair, 'GET', `/api/log?after=${seq - 1}&limit=1`);
  assert.equal(log.events[0].type, 'poll.cast');
  assert.equal((await receipt.locator('.hash').innerText()).replace(/\s/g, ''), log.events[0].hash);
  await hall.screenshot(page, 'terminal-receipt');

  // The receipt checked against the chain (GET /api/receipts/{seq}).
  await receipt.locator('.check').press('Enter');
  const check = receipt.locator('.receipt-check');
  await check.locator('xpath=self::*[@data-state="ok"]').waitFor();
  assert.match(await check.innerText(), /已核对/);

  // A second vote is refused by the API and said so; the page does not offer the ballot again after a reload.
  await page.reload();
  await page.locator('.receipt').waitFor();
  assert.equal(await page.locator('.choices').count(), 0);

  await api(chair, 'POST', `/api/polls/${poll}/close`);
  await page.getByText('表决已结束').waitFor();
  assert.equal(await page.locator('.choices').count(), 0);
  const announced = await api(chair, 'POST', `/api/polls/${poll}/announce`);
  const result = page.locator('#vote .result');
  await result.waitFor();
  const totals = await api(chair, 'GET', `/api/polls/${poll}`);
  assert.equal(totals.abstain, 1);
  assert.equal(await result.locator('.choice-abstain .n').innerText(), String(totals.abstain));
  assert.equal(await result.locator('.choice-yes .n').innerText(), String(totals.yes));
  assert.equal(await result.locator('.not-voted .n').innerText(), String(totals.not_voted));
  assert.equal(await result.locator('.announcement').innerText(), announced.events[0].payload.text);
  await page.locator('#results details[open] .announcement').waitFor();
  await hall.screenshot(page, 'terminal-result');
  assert.deepEqual(unexpected(page), []);
});

test('an election ballot with more marks than seats is refused on the page and never sent', async () => {
  const page = await hall.terminalPage('140100001', { viewport: { width: 390, height: 844 } });
  const el = await api(chair, 'POST', '/api/elections', { office: 'vice_governor', seats: 2, by_election: true });
  const id = el.events[0].payload.id;
  for (const name of ['赵一', '钱二']) await api(chair, 'POST', `/api/elections/${id}/nominations`, { name });
  const sent = [];
  page.on('request', (r) => r.url().includes(`/api/elections/${id}/ballots`) && sent.push(r.method()));
  await api(chair, 'POST', `/api/elections/${id}/open`);
  await page.locator('.candidate[data-name="赵一"]').waitFor();
  assert.match(await page.locator('#vote h2').innerText(), /副省长（应选2名）/);
  await page.locator('.candidate[data-name="赵一"] .mark-yes').click();
  await page.locator('.candidate[data-name="钱二"] .mark-yes').click();
  await page.locator('#writein').fill('孙三');
  await page.locator('#writein').press('Enter');
  await page.locator('.writeins li').getByText('孙三').waitFor();
  await page.locator('.ballot .next').click();
  const over = page.locator('.ballot .over');
  await over.waitFor();
  assert.match(await over.innerText(), /应选 2 名，您选了 3 名/);
  assert.match(await over.innerText(), /选举法》第四十四条第二款/);
  assert.equal(await page.locator('.confirm').count(), 0);
  await hall.screenshot(page, 'terminal-election-refused');
  // A listed name cannot be written in (it would be marked twice, which voids the ballot too).
  await page.locator('#writein').fill('钱二');
  await page.locator('#writein').press('Enter');
  await page.locator('.writein .error').getByText('已是候选人').waitFor();
  // Mended: the write-in removed and 钱二 marked no, the ballot goes through confirmation.
  await page.locator('.writeins .remove').click();
  await page.locator('.candidate[data-name="钱二"] .mark-no').click();
  assert.equal(await over.isHidden(), true);
  await page.locator('.ballot .next').click();
  const summary = page.locator('.ballot-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), /赞成\s*赵一/);
  assert.match(await summary.innerText(), /反对\s*钱二/);
  assert.deepEqual(sent, []);
  await page.locator('.confirm').click();
  await page.locator('.receipt').getByText('您的选票已投入票箱').waitFor();
  assert.deepEqual(sent, ['POST']);
  assert.equal((await api(chair, 'GET', `/api/elections/${id}`)).returned, 1);
  await api(chair, 'POST', `/api/elections/${id}/close`);
  await api(chair, 'POST', `/api/elections/${id}/announce`);
  const row = page.locator('#vote .result tr', { hasText: '赵一' });
  await row.waitFor();
  assert.match(await row.innerText(), /赵一\s+1\s+0\s+0/);
  assert.deepEqual(unexpected(page), []);
});

test('the English switch, remembered on the device, and a vote shown in English', async () => {
  const page = await hall.terminalPage('140100002');
  await page.locator('button.lang').click();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.equal(await page.locator('header.top h1').innerText(), 'Delegate terminal');
  assert.match(await page.locator('#who').innerText(), /delegation · seat/);
  assert.equal(await page.locator('#speakers h2').innerText(), 'Ask for the floor');
  const poll = (await api(chair, 'POST', '/api/polls', { title: 'English switch poll' })).events[0].payload.id;
  await api(chair, 'POST', `/api/polls/${poll}/open`);
  await page.locator('.choices .choice-yes').waitFor();
  assert.deepEqual(await page.locator('.choices .label').allInnerTexts(), ['Yes', 'No', 'Abstain']);
  await hall.screenshot(page, 'terminal-english');
  await page.reload();
  await page.locator('.choices .choice-yes').waitFor();
  assert.equal(await page.locator('button.lang').innerText(), '中文');
  // An API refusal in English: the second vote from another device of the same delegate.
  await page.keyboard.press('1');
  await page.keyboard.press('Enter');
  await page.locator('.receipt').waitFor();
  const other = await hall.terminalPage('140100002');
  await other.locator('button.lang').waitFor();
  assert.equal(await other.evaluate(() => document.documentElement.lang), 'zh-CN'); /* another device */
  await other.locator('.choices .choice-no').click();
  await other.locator('.confirm').click();
  await other.locator('#vote .error').getByText('与现有数据冲突').waitFor();
  assert.match(await other.locator('#vote .error').innerText(), /has already voted/);
  assert.equal(await other.locator('.choices').count(), 0);
  await api(chair, 'POST', `/api/polls/${poll}/close`);
  assert.deepEqual(unexpected(page), []);
});

test('a dropped connection shows the banner and hides the open vote until the stream is back', { timeout: 120000 }, async () => {
  const context = await hall.newContext();
  const page = await context.newPage();
  await page.goto('/terminal');
  const login = hall.delegateLogin('140100003');
  await page.locator('#code').fill(login.code);
  await page.locator('#pin').fill(login.pin);
  await page.locator('#pin').press('Enter');
  const poll = (await api(chair, 'POST', '/api/polls', { title: '断线测试' })).events[0].payload.id;
  await api(chair, 'POST', `/api/polls/${poll}/open`);
  await page.locator('.choices').waitFor();
  // The server stops answering (SIGSTOP) and new connections to the stream are refused: once two heartbeats
  // pass in silence the page says it is reconnecting, and no longer offers the vote as open.
  await page.route('**/api/stream*', (route) => route.abort());
  hall.server.kill('SIGSTOP');
  try {
    await page.locator('.conn').getByText('正在重新连接').waitFor({ timeout: 60000 });
  } finally {
    hall.server.kill('SIGCONT');
  }
  assert.equal(await page.locator('.choices').count(), 0);
  await page.locator('.stale-vote').waitFor();
  await api(chair, 'POST', `/api/polls/${poll}/close`); /* closed while the terminal is away */
  await page.waitForTimeout(300);
  assert.equal(await page.locator('.choices').count(), 0);
  await hall.screenshot(page, 'terminal-offline', [{ width: 390, height: 844 }]);
  await page.unroute('**/api/stream*');
  await page.getByText('表决已结束').waitFor({ timeout: 30000 });
  await page.locator('.conn').waitFor({ state: 'hidden' });
  assert.equal(await page.locator('.choices').count(), 0);
});

test('a document\'s versions, with the lines changed from the one before', async () => {
  const page = await hall.terminalPage('140100004', { viewport: { width: 1280, height: 800 } });
  const doc = await api(secretariat, 'GET', '/api/documents/1');
  const first = await (await fetch(`${hall.base}/api/blobs/${doc.versions[0].hash}`)).text();
  const lines = first.split('\n');
  const changed = [lines[0], '新增的一段：关于终端的说明。', ...lines.slice(2)].join('\n');
  await api(secretariat, 'POST', '/api/documents', { title: doc.title, content: changed, note: '修改稿' });
  await page.locator('.agenda .read[data-doc="1"]', { hasText: '第2稿' }).waitFor();
  await page.locator('.agenda .read[data-doc="1"]').click();
  await page.locator('.doc-text').waitFor();
  assert.equal((await page.locator('.doc-text').innerText()).trimEnd(), changed.trimEnd());
  await page.locator('.show-changes').click();
  assert.deepEqual(await page.locator('.diff .add .text').allInnerTexts(), ['新增的一段：关于终端的说明。']);
  assert.deepEqual(await page.locator('.diff .del .text').allInnerTexts(), [lines[1] || ' ']);
  await hall.screenshot(page, 'terminal-document');
  await page.locator('.versions button', { hasText: '第1稿' }).click();
  await page.locator('.doc-text').waitFor();
  assert.equal((await page.locator('.doc-text').innerText()).trimEnd(), first.trimEnd());
  assert.deepEqual(page.errors, []);
});
