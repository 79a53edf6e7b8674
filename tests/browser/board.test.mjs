// board.test.mjs — the hall's screen (/board) in Chromium: turnout then the announced result as the API
// counts it, a named poll lighting seats as delegates vote and colouring them by choice after the close,
// an election's result per candidate, and the screen going on by itself through a dropped connection and a
// server restart. Screenshots at phone, terminal and 4K sizes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHall } from './lib/harness.mjs';

let hall;
let chair;
before(async () => {
  hall = await startHall();
  chair = (await hall.login(hall.logins.chair)).token;
});
after(async () => {
  await hall?.stop();
});


// Delegates of the open plenary who are checked in (the demo's meeting 6), as login tokens.
async function presentDelegates(n) {
  const att = await hall.call('GET', '/api/meetings/6/attendance');
  const codes = att.delegates.filter((d) => d.presence === 'present').slice(0, n).map((d) => d.code);
  return Promise.all(codes.map(async (code) => ({ code, token: (await hall.login(hall.delegateLogin(code))).token })));
}

async function boardReady(page) {
  await page.goto('/board');
  await page.locator('#board[data-ready="true"]').waitFor();
}

const figure = (page, cls) => page.locator(`#vote .${cls} .value`);

test('a vote: turnout rising, then the result as announced, equal to the votes cast', async () => {
  const page = await hall.newPage();
  await boardReady(page);
  const voters = await presentDelegates(12);
  const poll = (await hall.call('POST', '/api/polls', chair, { title: '关于大屏测试的决议（草案）' })).events[0].payload.id;
  await hall.call('POST', `/api/polls/${poll}/open`, chair);
  await page.getByText('正在表决').waitFor();
  const choices = ['yes', 'yes', 'yes', 'yes', 'yes', 'yes', 'yes', 'no', 'no', 'abstain', 'yes', 'no'];
  for (let i = 0; i < 6; i++) await hall.call('POST', `/api/polls/${poll}/votes`, voters[i].token, { choice: choices[i] });
  await page.locator('#vote .turnout .big', { hasText: /^6$/ }).waitFor();
  await Promise.all(voters.slice(6).map((v, i) => hall.call('POST', `/api/polls/${poll}/votes`, v.token, { choice: choices[i + 6] })));
  await page.locator('#vote .turnout .big', { hasText: /^12$/ }).waitFor();
  await hall.screenshot(page, 'board-voting');
  await hall.call('POST', `/api/polls/${poll}/close`, chair);
  await page.getByText('表决结束，等待会议主持人宣布结果').waitFor();
  assert.equal(await figure(page, 'yes').count(), 0, 'no totals before the announcement');
  await hall.call('POST', `/api/polls/${poll}/announce`, chair);
  await page.locator('#vote .verdict').waitFor();
  const result = await hall.call('GET', `/api/polls/${poll}`);
  assert.equal(await figure(page, 'yes').textContent(), String(result.yes));
  assert.equal(await figure(page, 'no').textContent(), String(result.no));
  assert.equal(await figure(page, 'abstain').textContent(), String(result.abstain));
  assert.equal(result.yes, choices.filter((c) => c === 'yes').length);
  assert.equal(await page.locator('#vote .verdict').textContent(), result.passed ? '通过' : '未通过');
  await hall.screenshot(page, 'board-result');
  assert.deepEqual(page.errors, []);
});

test('a named poll: seats light as delegates vote, and take their choice after the close', async () => {
  const page = await hall.newPage();
  await boardReady(page);
  const voters = await presentDelegates(5);
  const poll = (await hall.call('POST', '/api/polls', chair, { title: '记名表决测试', named: true })).events[0].payload.id;
  await hall.call('POST', `/api/polls/${poll}/open`, chair);
  await page.getByText('正在表决').waitFor();
  const delegates = (await hall.call('GET', '/api/delegates')).delegates;
  const seatOf = (code) => delegates.find((d) => d.code === code).seat;
  await hall.call('POST', `/api/polls/${poll}/votes`, voters[0].token, { choice: 'no' });
  await page.locator(`.seatmap .seat.voted[data-seat="${seatOf(voters[0].code)}"]`).waitFor();
  assert.equal(await page.locator('.seatmap .seat.voted').count(), 1, 'only the seat that voted is lit');
  await hall.call('POST', `/api/polls/${poll}/close`, chair);
  await page.locator(`.seatmap .seat.no[data-seat="${seatOf(voters[0].code)}"]`).waitFor();
  assert.deepEqual(page.errors, []);
});

test('an election: the result per candidate once announced', async () => {
  const page = await hall.newPage();
  await boardReady(page);
  const voters = await presentDelegates(4);
  const el = (await hall.call('POST', '/api/elections', chair, { office: 'vice_governor', seats: 1, by_election: true })).events[0].payload.id;
  await hall.call('POST', `/api/elections/${el}/nominations`, chair, { name: '测试候选人' });
  await hall.call('POST', `/api/elections/${el}/open`, chair);
  await page.getByText('正在投票选举').waitFor();
  for (const v of voters) await hall.call('POST', `/api/elections/${el}/ballots`, v.token, { yes: ['测试候选人'], no: [], write_in: [] });
  await page.locator('#vote .turnout .big', { hasText: /^4$/ }).waitFor();
  await hall.call('POST', `/api/elections/${el}/close`, chair);
  await hall.call('POST', `/api/elections/${el}/announce`, chair);
  const row = page.locator('#vote table.candidates tbody tr', { hasText: '测试候选人' });
  await row.waitFor();
  assert.equal(await row.locator('td').first().textContent(), '4');
  await hall.screenshot(page, 'board-election');
  assert.deepEqual(page.errors, []);
});

test('a dropped connection and a server restart: the screen says so, then goes on by itself', async () => {
  const page = await hall.newPage();
  await boardReady(page);
  const present = await page.locator('#attendance .present .value').textContent();
  await hall.restart(async () => {
    await page.locator('.conn:not([hidden])').waitFor();
    assert.ok(await page.locator('#board.stale').count(), 'stale figures are dimmed while the link is down');
  });
  await page.locator('.conn[hidden]').waitFor({ state: 'attached', timeout: 20000 });
  const [someone] = (await hall.call('GET', '/api/meetings/6/attendance')).delegates.filter((d) => d.presence === 'absent');
  const sec = (await hall.login(hall.logins.secretariat)).token;
  await hall.call('POST', '/api/meetings/6/checkin', sec, { delegate: someone.code });
  await page.locator('#attendance .present .value', { hasText: String(Number(present) + 1) }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('the English switch, remembered by the device', async () => {
  const page = await hall.newPage();
  await boardReady(page);
  await page.getByRole('button', { name: /切换为英文|English/ }).click();
  await page.getByText('Entitled').waitFor();
  await page.reload();
  await page.locator('#board[data-ready="true"]').waitFor();
  await page.getByText('Entitled').waitFor();
  await hall.screenshot(page, 'board-english');
  assert.deepEqual(page.errors, []);
});
