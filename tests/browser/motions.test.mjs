// motions.test.mjs — motions from the delegates' terminals in Chromium: a delegate drafts a motion, another
// co-signs it with a tap and the first sees the count rise live, signatures from paper bring it to the
// threshold and its lead submits it; an inquiry without the body it questions is refused with the
// server's reason; a suggestion answered by the agency is rated from the terminal.
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

const api = (token, method, path, body) => hall.call(method, path, token, method === 'GET' ? undefined : body ?? {});
const unexpected = (page) => page.errors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d .*\/api\//.test(e));
const TITLE = '关于制定山西省黄河流域生态保护条例的议案';

async function draft(page, fields) {
  const card = page.locator('#motions');
  if (!(await card.locator('details.new-motion[open]').count())) await card.locator('details.new-motion summary').click();
  const form = card.locator('.motion-form');
  await form.locator('[name=kind]').selectOption(fields.kind || 'motion');
  for (const [k, v] of Object.entries(fields)) if (k !== 'kind') await form.locator(`[name=${k}]`).fill(v);
  await form.locator('button[type=submit]').click();
}

test('a draft co-signed from another terminal, counted live, brought to ten and submitted by its lead', async () => {
  const lead = await hall.terminalPage('140100001', { viewport: { width: 1280, height: 800 } });
  const other = await hall.terminalPage('140100002');
  await draft(lead, { title: TITLE, grounds: '黄河流域生态保护和高质量发展是重大国家战略。', plan: '建议列入二〇二四年立法计划。' });
  const mine = lead.locator('#motions li.motion[data-motion="1"]');
  await mine.getByText('已联名 1 人，需 10 人').waitFor();
  assert.equal(await mine.locator('button.submit').isDisabled(), true);

  const offered = other.locator('#motions li.motion[data-motion="1"]');
  await offered.getByText(TITLE).waitFor();
  await offered.locator('button.sign').click();
  await offered.locator('.signed').waitFor();
  await mine.getByText('已联名 2 人，需 10 人').waitFor(); /* the lead's page, from the stream */

  for (let i = 3; i <= 10; i++)
    await api(secretariat, 'POST', '/api/motions/1/signatures', { delegate: `1401000${String(i).padStart(2, '0')}` });
  await mine.getByText('已联名 10 人，需 10 人').waitFor();
  await mine.locator('button.submit:not([disabled])').click();
  await mine.getByText('已提出，待主席团决定').waitFor();
  const m = await api(null, 'GET', '/api/motions/1');
  assert.equal(m.state, 'submitted');
  assert.deepEqual(m.signers.slice(0, 2).map((s) => s.name), ['韦韬', '汤志平']);
  await hall.screenshot(lead, 'terminal-motions');
  for (const p of [lead, other]) assert.deepEqual(unexpected(p), []);
});

test('an inquiry without the body it questions is refused with the reason; a suggestion answered is rated', async () => {
  const page = await hall.terminalPage('140100003');
  await draft(page, { kind: 'inquiry', title: '关于农村公路养护资金使用情况的质询', grounds: '部分县养护资金被挪用。' });
  const refusal = page.locator('#motions .error:not([hidden])');
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /质询对象/);
  assert.equal((await api(null, 'GET', '/api/motions?kind=inquiry')).motions.length, 0);

  await draft(page, { kind: 'suggestion', title: '关于加强山区农村供水保障的建议', grounds: '部分山区村庄季节性缺水。', addressee: '省水利厅' });
  const line = page.locator('#motions li.motion', { hasText: '关于加强山区农村供水保障的建议' });
  await line.locator('button.submit:not([disabled])').click();
  await line.getByText('已提出，待主席团决定').waitFor();
  const id = Number(await line.getAttribute('data-motion'));
  await api(chair, 'POST', `/api/motions/${id}/decide`, { decision: 'refer', note: '交省水利厅办理' });
  await api(secretariat, 'POST', `/api/motions/${id}/answer`, { by: '省水利厅', text: '已列入2024年农村供水保障工程。' });
  await line.getByText('已列入2024年农村供水保障工程。').waitFor();
  await line.locator('button.rate[data-rating="basically"]').click();
  await line.getByText('您的评价：基本满意').waitFor();
  assert.equal((await api(null, 'GET', `/api/motions/${id}`)).satisfaction, 'basically');
  assert.deepEqual(unexpected(page), []);
});

test('a candidate nominated from the terminals: co-signed to the office\'s thirty, then on the election\'s list', async () => {
  const { events } = await api(chair, 'POST', '/api/elections', { office: 'vice_governor', seats: 1, by_election: true });
  const election = events[0].payload.id;
  const page = await hall.terminalPage('140100011');
  await draft(page, { kind: 'nomination', person: '赵六' });
  const line = page.locator('#motions li.motion', { hasText: '提名赵六为' });
  await line.getByText('已联名 1 人，需 30 人').waitFor();
  const id = Number(await line.getAttribute('data-motion'));
  assert.equal((await api(null, 'GET', `/api/motions/${id}`)).election, election);
  for (let i = 12; i <= 40; i++) await api(secretariat, 'POST', `/api/motions/${id}/signatures`, { delegate: `1401000${i}` });
  await line.getByText('已联名 30 人，需 30 人').waitFor();
  await line.locator('button.submit:not([disabled])').click();
  await line.getByText('已列入候选人名单').waitFor();
  const el = await api(null, 'GET', `/api/elections/${election}`);
  assert.ok(el.candidates.some((c) => c.name === '赵六'), JSON.stringify(el.candidates));
  assert.deepEqual(unexpected(page), []);
});

test('the chair puts the motions on the agenda to the vote: a recall secret and of all delegates\' majority', async () => {
  // a motion gathered to ten and placed on the agenda, and a recall by the presidium (地方组织法第三十一条)
  const title = '关于修改山西省水资源管理条例的议案';
  const m = (await api(secretariat, 'POST', '/api/motions', { lead: '140100001', title, grounds: '条例已施行多年。', plan: '修改第三章。' })).events[0].payload.id;
  for (let i = 2; i <= 10; i++) await api(secretariat, 'POST', `/api/motions/${m}/signatures`, { delegate: `1401000${String(i).padStart(2, '0')}` });
  await api(secretariat, 'POST', `/api/motions/${m}/submit`);
  await api(chair, 'POST', `/api/motions/${m}/decide`, { decision: 'agenda' });
  const page = await hall.chairPage({ viewport: { width: 1600, height: 1000 } });
  const line = page.locator(`#motions li[data-motion="${m}"]`);
  await line.getByText('尚未建立表决').waitFor();

  const r = (await api(secretariat, 'POST', '/api/motions', { kind: 'recall', by: 'presidium', person: '某某', title: '关于罢免某某的省人民代表大会代表职务的议案', grounds: '严重违法。' })).events[0].payload.id;
  await api(chair, 'POST', `/api/motions/${r}/decide`, { decision: 'agenda' });
  const recall = page.locator(`#motions li[data-motion="${r}"]`);
  await recall.waitFor(); // live, from the stream
  await recall.getByRole('button', { name: '付表决' }).click();
  const form = page.locator('#poll-form');
  assert.equal(await form.locator('[name=title]').inputValue(), '关于罢免某某的省人民代表大会代表职务的议案');
  assert.equal(await form.locator('[name=named]').isDisabled(), true);
  assert.equal(await form.locator('[name=majority]').inputValue(), 'simple');
  await form.getByText('罢免案以无记名方式表决').waitFor();
  await form.locator('button[type=submit]').click();
  await recall.getByText(/表决 \d+：未开始/).waitFor();

  await line.getByRole('button', { name: '付表决' }).click();
  assert.equal(await form.locator('[name=title]').inputValue(), title);
  assert.equal(await form.locator('[name=named]').isDisabled(), false);
  await form.locator('button[type=submit]').click();
  await line.getByText(/表决 \d+：未开始/).waitFor();
  const polls = (await api(chair, 'GET', '/api/polls')).polls;
  const ofRecall = polls.find((p) => p.motion === r);
  assert.equal(ofRecall.named, false);
  assert.equal(polls.find((p) => p.motion === m).title, title);
  assert.equal(await page.locator('#poll-motion option').count(), 1); // both have their poll now
  await hall.screenshot(page, 'chair-motions', [{ width: 1600, height: 1000 }]);
  assert.deepEqual(unexpected(page), []);
});
