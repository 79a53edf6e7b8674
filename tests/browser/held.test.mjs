// held.test.mjs — meetings as held at the desk in Chromium: the seed's plenary read back with who presided and
// its report; the open plenary's rostrum added and removed, an item taken up with who reported, a speech given
// the floor and ended with what was said; a delegation secretary whose desk is their delegation's meetings only,
// who numbers its bulletin; a refusal shown with the server's reason.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHall } from './lib/harness.mjs';

let hall;
before(async () => { hall = await startHall(); });
after(async () => { await hall?.stop(); });

const unexpected = (page) => page.errors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e));

async function deskAs(login, tab) {
  const page = await hall.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto('/desk');
  await page.getByLabel('账户名').fill(login.name);
  await page.getByLabel('密码').fill(login.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('tab', { name: tab }).click();
  return page;
}

test('the seed plenary as held, and the open plenary recorded as it happens', async () => {
  const page = await deskAs(hall.logins.secretariat, '会议记录');
  const record = page.locator('#held-record');
  await page.locator('#main select[name=meeting]').selectOption('5');
  await record.locator('#held-people tr[data-role="presiding"]', { hasText: '贺天才' }).waitFor();
  assert.equal(await page.getByLabel('日期').inputValue(), '2024-01-23');
  await page.getByRole('button', { name: '生成报告' }).click();
  await page.locator('#held-report', { hasText: '在主席台就座的还有' }).waitFor();
  assert.match(await page.locator('#held-report').innerText(), /大会听取了省人大常委会副主任贺天才作的关于/);

  // the closing plenary, open in the demo: a rostrum seat added and taken back
  await page.locator('#main select[name=meeting]').selectOption('6');
  await record.locator('select[name=role]').selectOption('rostrum');
  await page.getByLabel('人员（代表证号、姓名或 attendee:编号）').fill('140100001');
  await page.getByRole('button', { name: '添加' }).click();
  const row = record.locator('#held-people tr[data-role="rostrum"]', { hasText: '韦韬' });
  await row.waitFor();
  await row.getByRole('button', { name: '移除' }).click();
  await row.waitFor({ state: 'detached' });

  // the same person twice is refused with the server's reason, and nothing is added
  await record.locator('select[name=role]').selectOption('presiding');
  await page.getByLabel('人员（代表证号、姓名或 attendee:编号）').fill('140900002');
  await page.getByRole('button', { name: '添加' }).click();
  await record.locator('#held-people tr[data-role="presiding"]', { hasText: '贺天才' }).waitFor();
  await record.locator('select[name=role]').selectOption('presiding');
  await page.getByLabel('人员（代表证号、姓名或 attendee:编号）').fill('140900002');
  await page.getByRole('button', { name: '添加' }).click();
  await page.getByRole('alert').getByText('already recorded').waitFor();
  assert.equal(await record.locator('#held-people tr[data-role="presiding"]').count(), 1);

  // an item taken up, with who reported on it
  await record.locator('select[name=item]').selectOption({ index: 0 });
  await record.locator('select[name=action]').selectOption('hear');
  await page.getByLabel('报告人 / 说明人（可不填）').fill('140800001');
  await record.locator('select[name=presents]').selectOption('report');
  await page.getByRole('button', { name: '记录议程' }).click();
  await record.locator('#held-takeups li', { hasText: '金湘军作报告' }).waitFor();

  // the floor given and the speech recorded
  await page.getByLabel('发言人（代表证号）').fill('140100002');
  await page.getByRole('button', { name: '开始发言' }).click();
  await record.getByText('正在发言：汤志平').waitFor();
  await page.getByLabel('发言摘要').fill('完全赞成大会各项决议。');
  await page.getByRole('button', { name: '结束发言并记录摘要' }).click();
  await record.locator('#held-speeches li', { hasText: '汤志平：完全赞成大会各项决议。' }).waitFor();

  await hall.screenshot(page, 'desk-held', [{ width: 1280, height: 900 }]);
  const held = await (await fetch(`${hall.base}/api/meetings/6/held`)).json();
  assert.deepEqual(held.people.map((p) => [p.role, p.name]), [['presiding', '贺天才']]);
  assert.equal(held.takeups.at(-1).presents, 'report');
  assert.deepEqual(unexpected(page), []);
});

test('a delegation secretary records only their delegation, and numbers its bulletin', async () => {
  const page = await deskAs(hall.logins.delegationSecretary, '会议记录');
  assert.deepEqual(await page.getByRole('tab').allInnerTexts(), ['会议记录']);
  const options = await page.locator('#main select[name=meeting]').locator('option').allInnerTexts();
  assert.ok(options.length >= 1 && options.every((o) => o.includes('太原')), options.join(' | '));
  await page.locator('#main select[name=meeting]').selectOption('4');
  await page.locator('#held-people tr[data-role="leader"]', { hasText: '韦韬' }).waitFor();
  await page.getByText('简报未编号').waitFor();
  await page.getByRole('button', { name: '编发简报期号' }).click();
  await page.locator('#held-bulletin', { hasText: /简报：第\d+期/ }).waitFor();
  await page.getByRole('button', { name: '生成报告' }).click();
  await page.locator('#held-report', { hasText: '太原代表团' }).waitFor();
  assert.match(await page.locator('#held-report').innerText(), /韦韬/);
  assert.deepEqual(unexpected(page), []);
});
