// chair.test.mjs — the presiding chair's console (/chair) in Chromium against a demo hall: a meeting opened
// and quorate live, a named poll opened from the console with turnout rising as delegates vote through the
// API, closed with the result equal to the votes cast and announced; a refusal with the API's reason; the
// speakers list from request to summary; an election counted; the English switch; screenshots.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SIZES, startHall } from './lib/harness.mjs';

let hall;
let chair; /* the chair's token, for what the test does beside the console */
let secretariat;
before(async () => {
  hall = await startHall();
  chair = (await hall.login(hall.logins.chair)).token;
  secretariat = (await hall.login(hall.logins.secretariat)).token;
});
after(async () => {
  await hall?.stop();
});


const api = (method, path, body, token) => hall.call(method, path, token, body);

const text = (page, sel) => page.locator(sel).innerText();
const tile = (page, card, key) => page.locator(`${card} .tile[data-k="${key}"] .n`).innerText();
const num = (s) => Number(String(s).replace(/[^\d]/g, ''));

async function confirm(page) {
  const ok = page.locator('dialog.confirm[open] button[value=ok]');
  await ok.waitFor();
  await ok.click();
}

test('a plenary from the console: meeting, quorum, a named poll with live turnout, result and announcement', async () => {
  const page = await hall.chairPage();
  // Close the demo's open plenary and open a new one.
  await page.locator('#meeting-close').click();
  await confirm(page);
  await page.locator('#meeting .open-meeting').waitFor();
  assert.equal(await text(page, '#attendance .body'), '会议未开');
  await page.locator('#meeting [name=title]').fill('第四次全体会议');
  await page.locator('#meeting .open-meeting button[type=submit]').click();
  await page.locator('#meeting .meeting-title').getByText('第四次全体会议').waitFor();
  assert.equal(await page.locator('#quorate').innerText(), '不足法定人数');

  // The secretariat checks in all but 40 delegates: the console counts them live and becomes quorate.
  const status = await api('GET', '/api/status');
  const meeting = status.meeting.id;
  const delegates = (await api('GET', '/api/delegates')).delegates.filter((d) => d.entitled);
  const here = delegates.slice(0, delegates.length - 40);
  await api('POST', `/api/meetings/${meeting}/checkin`, { delegates: here.map((d) => d.code) }, secretariat);
  await page.waitForFunction((n) => document.querySelector('#attendance .tile[data-k="present"] .n')?.textContent.replace(/\D/g, '') === String(n), here.length);
  assert.equal(num(await tile(page, '#attendance', 'entitled')), delegates.length);
  assert.equal(num(await tile(page, '#attendance', 'absent')), 40);
  assert.equal(await page.locator('#quorate').innerText(), '符合法定人数');

  // The meeting takes up an agenda item: marked as current on the console, in the meeting's view.
  const item = (await api('GET', '/api/agenda')).agenda.find((a) => a.kind === 'vote');
  await page.locator(`#agenda-list li[data-item="${item.id}"] button.take`).click();
  await page.locator(`#agenda-list li.current[data-item="${item.id}"]`).waitFor();
  assert.equal((await api('GET', '/api/status')).meeting.item, item.id);
  assert.equal(await page.locator('#hall .seatmap rect.seat.present').count(), here.length);

  // A named poll created and opened from the console.
  await page.locator('#new-poll summary').click();
  await page.locator('#poll-form [name=title]').fill('关于测试事项的决定（草案）');
  await page.locator('#poll-form [name=named]').check();
  await page.locator('#poll-form button[type=submit]').click();
  await page.locator('#vote-open').click();
  await page.locator('#turnout-voted').waitFor();
  assert.equal(await text(page, '#turnout-voted'), '0');
  assert.equal(num(await text(page, '#turnout-notvoted')), here.length);
  const poll = (await api('GET', '/api/polls')).polls.find((p) => p.state === 'open');
  assert.equal(poll.title, '关于测试事项的决定（草案）');
  assert.equal(poll.named, true);

  // 20 delegates vote; the console's turnout follows, and they leave the list of who has not voted.
  const choices = ['yes', 'yes', 'no', 'abstain'];
  const cast = { yes: 0, no: 0, abstain: 0 };
  const voters = here.slice(0, 20);
  await Promise.all(
    voters.map(async (d, i) => {
      const token = (await hall.login(hall.delegateLogin(d.code))).token;
      await api('POST', `/api/polls/${poll.id}/votes`, { choice: choices[i % 4] }, token);
      cast[choices[i % 4]]++;
    }),
  );
  await page.waitForFunction(() => document.querySelector('#turnout-voted').textContent === '20');
  assert.equal(num(await text(page, '#turnout-notvoted')), here.length - 20);
  assert.equal(await page.locator('#notvoted li').count(), here.length - 20);
  assert.equal(await page.locator('#notvoted li', { hasText: voters[0].name }).count(), 0);
  await page.locator('#notvoted li', { hasText: here[25].name }).first().waitFor();
  assert.equal(await page.locator('#hall .seatmap rect.seat.voted').count(), 20, 'the seat map shows who has voted');
  assert.equal(await page.locator('#hall .seatmap rect.seat.present').count(), here.length - 20);
  await hall.screenshot(page, 'chair-turnout', [SIZES.terminal, SIZES.hall]);

  // Closing asks first; the result is what was cast.
  await page.locator('#vote-close').click();
  await page.locator('dialog.confirm[open]').getByText('关于测试事项的决定（草案）', { exact: false }).waitFor();
  await confirm(page);
  await page.locator('#poll-result').waitFor();
  assert.equal(num(await tile(page, '#poll-result', 'vote.yes')), cast.yes);
  assert.equal(num(await tile(page, '#poll-result', 'vote.no')), cast.no);
  assert.equal(num(await tile(page, '#poll-result', 'vote.abstain')), cast.abstain);
  assert.equal(num(await tile(page, '#poll-result', 'vote.notpressed')), here.length - 20);
  assert.equal(await text(page, '#verdict'), '未通过');
  const closed = await api('GET', `/api/polls/${poll.id}`);
  assert.deepEqual([closed.yes, closed.no, closed.abstain], [cast.yes, cast.no, cast.abstain]);

  // Announcing shows the statute's words from the API first, then as announced.
  await page.locator('#vote-announce').click();
  assert.equal(await text(page, 'dialog.confirm[open] blockquote'), closed.announcement);
  await confirm(page);
  await page.locator('#announcement').waitFor();
  assert.equal(await text(page, '#announcement blockquote'), closed.announcement);
  assert.equal((await api('GET', `/api/polls/${poll.id}`)).announced, true);
  await hall.screenshot(page, 'chair-result', [SIZES.terminal, SIZES.hall]);
  assert.deepEqual(page.errors, []);
});

test('a refusal is shown with the API’s reason: a vote opened while another is open', async () => {
  const page = await hall.chairPage();
  const a = await api('POST', '/api/polls', { title: '先开的表决', majority: 'simple' }, chair);
  const b = await api('POST', '/api/polls', { title: '后开的表决', majority: 'simple' }, chair);
  const first = a.events[0].payload.id;
  await api('POST', `/api/polls/${first}/open`, {}, chair);
  await page.locator('#vote-title').getByText('先开的表决').waitFor();
  await page.locator('#votes li', { hasText: '后开的表决' }).getByRole('button', { name: '开始表决' }).click();
  const box = page.locator('#votes .error');
  await box.waitFor();
  assert.match(await box.innerText(), /^当前状态下不允许：poll \d+ \(先开的表决\) is still open/);
  assert.equal((await api('GET', `/api/polls/${b.events[0].payload.id}`)).state, 'created');
  // The same refusal in English once switched.
  await page.locator('button.lang').click();
  assert.match(await box.innerText(), /^not allowed in the current state: poll \d+/);
  await page.locator('button.lang').click();
  await api('POST', `/api/polls/${first}/close`, {}, chair);
  await page.locator('#poll-result').waitFor();
  // Refused browser requests are logged by Chromium as console errors; nothing else may be.
  assert.deepEqual(page.errors.filter((e) => !/status of 409/.test(e)), []);
});

test('the speakers list: on the list, the next called with a timer, ended with a summary, one withdrawn', async () => {
  const page = await hall.chairPage();
  const meeting = (await api('GET', '/api/status')).meeting.id;
  const list = (await api('GET', `/api/meetings/${meeting}/attendance`)).delegates.filter((d) => d.presence === 'present');
  const [one, two, three] = list.slice(30, 33);
  // One put on the list from the console, two ask for the floor themselves.
  await page.locator('#speakers .add-speaker summary').click();
  await page.locator('#speakers [name=code]').fill(one.code);
  await page.locator('#speakers [name=topic]').fill('关于预算的意见');
  await page.locator('#speakers [name=topic]').press('Enter');
  for (const d of [two, three]) {
    const token = (await hall.login(hall.delegateLogin(d.code))).token;
    await api('POST', `/api/meetings/${meeting}/speakers`, { topic: '审议意见' }, token);
  }
  await page.waitForFunction(() => document.querySelectorAll('#sp-waiting li').length === 3);
  assert.deepEqual(await page.locator('#sp-waiting li .name').allInnerTexts(), [one.name, two.name, three.name]);

  // The limit is the chair's; the timer counts against it.
  await page.locator('#sp-limit').fill('3');
  await page.locator('#sp-limit').press('Tab');
  await page.locator('#sp-next').click();
  await page.locator('#sp-speaking .name').getByText(one.name).waitFor();
  await page.waitForFunction(() => /^00:0[1-9] \/ 03:00$/.test(document.querySelector('#sp-timer')?.textContent || ''));
  assert.ok(await page.locator('#sp-next').isDisabled(), 'one speaker at a time');
  await hall.screenshot(page, 'chair-speakers', [SIZES.terminal]);

  await page.locator('#sp-end').click();
  await page.locator('#sp-summary').fill('赞同预算报告，建议加大基层投入。');
  await confirm(page);
  await page.waitForFunction(() => !document.querySelector('#sp-speaking'));
  const after = await api('GET', `/api/meetings/${meeting}/speakers`, undefined, chair);
  const ended = after.speakers.find((s) => s.code === one.code);
  assert.equal(ended.state, 'spoke');
  assert.equal(ended.summary, '赞同预算报告，建议加大基层投入。');

  // The last one withdrawn, after a confirmation.
  await page.locator('#sp-waiting li', { hasText: three.name }).getByRole('button', { name: '撤回' }).click();
  await confirm(page);
  await page.waitForFunction(() => document.querySelectorAll('#sp-waiting li').length === 1);
  assert.deepEqual(await page.locator('#sp-waiting li .name').allInnerTexts(), [two.name]);
  assert.equal(await page.locator('#speakers details.spoke summary').innerText(), '已发言 (1)');
  assert.deepEqual(page.errors, []);
});

test('an election from the console: office from the rule set, candidates, ballots counted, announced', async () => {
  const page = await hall.chairPage();
  await page.locator('#new-election summary').click();
  await page.locator('#election-form [name=office]').selectOption('vice_governor');
  await page.locator('#election-form [name=by_election]').check();
  await page.locator('#election-form [name=nominees]').fill('甲候选人');
  await page.locator('#election-form button[type=submit]').click();
  await page.locator('#vote-title').getByText('补选副省长（1名）').waitFor();
  await page.locator('#vote .vote-head').getByText('候选人: 甲候选人').waitFor();
  await page.locator('#vote-open').click();
  await page.locator('#turnout-voted').waitFor();
  const el = (await api('GET', '/api/elections')).elections.find((e) => e.state === 'open');
  const meeting = (await api('GET', '/api/status')).meeting.id;
  const present = (await api('GET', `/api/meetings/${meeting}/attendance`)).delegates.filter((d) => d.presence === 'present');
  for (const [i, d] of present.slice(40, 46).entries()) {
    const token = (await hall.login(hall.delegateLogin(d.code))).token;
    const ballot = i < 4 ? { yes: ['甲候选人'], no: [] } : { yes: [], no: ['甲候选人'] };
    await api('POST', `/api/elections/${el.id}/ballots`, { ...ballot, write_in: [] }, token);
  }
  await page.waitForFunction(() => document.querySelector('#turnout-voted').textContent === '6');
  assert.match(await text(page, '#turnout-present'), new RegExp(`发出选票 ${el.issued.toLocaleString('zh-CN')} 张`));
  await page.locator('#vote-close').click();
  await confirm(page);
  await page.locator('#election-result').waitFor();
  const rows = await page.locator('#election-result tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].slice(0, 4).map((c) => c.innerText)));
  assert.deepEqual(rows, [['甲候选人', '4', '2', '0']]);
  await page.locator('#el-nextround').waitFor(); /* nobody has half of all delegates: a further round is due */
  await page.locator('#vote-announce').click();
  await confirm(page);
  await page.locator('#announcement').waitFor();
  const announced = await api('GET', `/api/elections/${el.id}`);
  assert.equal(await text(page, '#announcement blockquote'), announced.announcement);
  assert.deepEqual(page.errors, []);
});

test('the English switch, remembered on the device, and the console by keyboard', async () => {
  const page = await hall.chairPage();
  await page.locator('button.lang').focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.equal(await text(page, '#att-h'), 'Attendance');
  assert.equal(await text(page, '#vote-h'), 'Votes and elections');
  assert.equal(await text(page, '#sp-h'), 'Speakers');
  assert.match(await text(page, '#attendance .body'), /Entitled/);
  await hall.screenshot(page, 'chair-en', [SIZES.terminal, SIZES.hall]);
  await page.reload();
  await page.locator('#console[data-ready]').waitFor();
  assert.equal(await text(page, '#att-h'), 'Attendance', 'the language is kept across a reload');
  // A destructive step by keyboard: Escape cancels it, nothing changes.
  await page.locator('#meeting-close').focus();
  await page.keyboard.press('Enter');
  await page.locator('dialog.confirm[open]').waitFor();
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('dialog.confirm[open]'));
  assert.equal((await api('GET', '/api/status')).meeting.open, true);
  await page.locator('button.lang').click();
  assert.equal(await text(page, '#att-h'), '出席情况');
  await hall.screenshot(page, 'chair');
  assert.deepEqual(page.errors, []);
});

// The console at the session's full size: every delegate present votes in a burst; the turnout on the
// console must end at exactly that number. How long the console took to render and to show the events is
// printed (bench/ keeps the figures), not asserted: a shared machine's timings are not a test.
test('every delegate present votes in a burst: the console counts them all (render and update figures printed)', async () => {
  const page = await hall.chairPage();
  await page.waitForFunction(() => window.yishiChair.stats.loadMs !== null);
  const stats = await page.evaluate(() => window.yishiChair.stats.loadMs);
  const poll = (await api('POST', '/api/polls', { title: '全体表决（负载）', majority: 'simple', named: true }, chair)).events[0].payload.id;
  await api('POST', `/api/polls/${poll}/open`, {}, chair);
  await page.locator('#turnout-voted').waitFor();
  const meeting = (await api('GET', '/api/status')).meeting.id;
  const present = (await api('GET', `/api/meetings/${meeting}/attendance`)).delegates.filter((d) => d.presence === 'present');
  const already = (await api('GET', `/api/polls/${poll}`)).voted;
  const tokens = [];
  for (let i = 0; i < present.length; i += 50) {
    tokens.push(...(await Promise.all(present.slice(i, i + 50).map((d) => hall.login(hall.delegateLogin(d.code)).then((r) => r.token)))));
  }
  const started = Date.now();
  for (let i = 0; i < tokens.length; i += 100) {
    await Promise.all(tokens.slice(i, i + 100).map((tok, j) => api('POST', `/api/polls/${poll}/votes`, { choice: ['yes', 'no', 'abstain'][(i + j) % 3] }, tok)));
  }
  const total = String(present.length + already);
  await page.waitForFunction((n) => document.querySelector('#turnout-voted').textContent.replace(/\D/g, '') === n, total, { timeout: 60000 });
  const shown = Date.now() - started;
  assert.equal(num(await text(page, '#turnout-notvoted')), 0);
  assert.equal(await page.locator('#notvoted li').count(), 0);
  const s = await page.evaluate(() => {
    const frames = performance.getEntriesByName('yishi.apply');
    return { ...window.yishiChair.stats, frames: frames.length, applyMaxMs: Math.max(0, ...frames.map((f) => f.duration)) };
  });
  console.log(
    `chair console, ${present.length} delegates present: rendered in ${Math.round(stats)} ms; ${tokens.length} votes sent and all shown in ${shown} ms; ` +
      `${s.events} live events in ${s.frames} frames (${s.scriptMs.toFixed(1)} ms of script for all), the slowest shown ${Math.round(s.applyMaxMs)} ms after it arrived`,
  );
  await api('POST', `/api/polls/${poll}/close`, {}, chair);
  await page.locator('#poll-result').waitFor();
  assert.equal(num(await tile(page, '#poll-result', 'vote.notpressed')), 0);
  assert.deepEqual(page.errors, []);
});
