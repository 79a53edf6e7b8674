// plenary.test.mjs — a whole plenary vote across the four pages, as a hall runs it: the secretariat
// imports a delegation at the desk and issues its login cards; the chair opens a poll at the console; 20
// delegates, each on a device of their own, log in at the terminal with the printed card, check in and
// vote; the board shows the turnout, then the result once the chair announces it — and the result is the
// votes cast.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHall } from './lib/harness.mjs';

let hall;
before(async () => { hall = await startHall(); });
after(async () => { await hall?.stop(); });

const N = 20;
const CHOICES = ['yes', 'no', 'abstain'];
const BUTTON = { yes: '.choice-yes', no: '.choice-no', abstain: '.choice-abstain' };

async function desk() {
  const page = await hall.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto('/desk');
  await page.getByLabel('账户名').fill(hall.logins.secretariat.name);
  await page.getByLabel('密码').fill(hall.logins.secretariat.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('tab', { name: '导入名单' }).waitFor();
  return page;
}

// A delegate's terminal on a device of its own: the card's code and a PIN of their choosing (the first
// login sets it), then check-in.
async function terminal(code, pin) {
  const page = await hall.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto('/terminal');
  await page.locator('#code').fill(code);
  await page.locator('#pin').fill(pin);
  await page.locator('#pin').press('Enter');
  await page.locator('#meeting .checkin').click();
  await page.locator('#meeting .presence[data-presence="present"]').waitFor();
  await page.locator('.conn').waitFor({ state: 'hidden' });
  return page;
}

test('a plenary vote: cards from the desk, the chair opens, 20 terminals vote, the board shows the announced result', async () => {
  // The desk: a delegation of 20 imported, and their cards issued.
  const sec = await desk();
  const rows = Array.from({ length: N }, (_, i) => `T${String(i + 1).padStart(4, '0')},试${i + 1}号代表,${i % 2 ? '女' : '男'},汉族,测试代表团,`);
  await sec.getByLabel('CSV内容（可直接粘贴）').fill(`code,name,gender,ethnicity,delegation,seat\n${rows.join('\n')}\n`);
  await sec.getByRole('button', { name: '导入', exact: true }).click();
  await sec.getByText(/已导入，共\d+条记录/).waitFor();
  await sec.getByRole('tab', { name: '代表证' }).click();
  const delegation = (await (await fetch(`${hall.base}/api/delegations`)).json()).delegations.find((d) => d.name === '测试代表团');
  await sec.getByLabel('代表团').selectOption(String(delegation.id));
  await sec.getByRole('button', { name: '为所选代表制证' }).click();
  await sec.getByText(`已制证${N}张`).waitFor();
  const codes = await sec.locator('#print-area .print-card .pc-code').allInnerTexts();
  assert.equal(codes.length, N);

  // The board and the chair.
  const board = await hall.newPage({ viewport: { width: 1920, height: 1080 } });
  await board.goto('/board');
  await board.locator('#board[data-ready="true"]').waitFor();
  const chair = await hall.chairPage({ viewport: { width: 1280, height: 800 } });

  // The delegates log in with their printed cards and check in; the board counts them present.
  const before = Number((await board.locator('#attendance .present .value').innerText()).replace(/\D/g, ''));
  const terminals = [];
  for (const code of codes) terminals.push(await terminal(code, '246813'));
  await board.locator('#attendance .present .value', { hasText: (before + N).toLocaleString('zh-CN') }).waitFor();

  // The chair opens a poll; every terminal shows it.
  await chair.locator('#new-poll summary').click();
  await chair.locator('#poll-form [name=title]').fill('关于全流程测试的决议（草案）');
  await chair.locator('#poll-form button[type=submit]').click();
  await chair.locator('#vote-open').click();
  await board.getByText('正在表决').waitFor();

  const cast = { yes: 0, no: 0, abstain: 0 };
  await Promise.all(terminals.map(async (page, i) => {
    const choice = CHOICES[i % 3 === 2 && i > 10 ? 2 : i % 2];
    await page.locator(`.choices ${BUTTON[choice]}`).click();
    await page.locator('.confirm-step .confirm').click();
    await page.locator('.receipt').waitFor();
    cast[choice]++;
  }));
  await board.locator('#vote .turnout .big', { hasText: new RegExp(`^${N}$`) }).waitFor();
  await chair.waitForFunction((n) => document.querySelector('#turnout-voted').textContent === String(n), N);

  // The chair closes and announces; the board shows the result, which is the votes cast.
  await chair.locator('#vote-close').click();
  await chair.locator('dialog.confirm[open] button[value=ok]').click();
  await chair.locator('#poll-result').waitFor();
  await chair.locator('#vote-announce').click();
  await chair.locator('dialog.confirm[open] button[value=ok]').click();
  await chair.locator('#announcement').waitFor();
  await board.locator('#vote .verdict').waitFor();
  const fig = async (cls) => Number(await board.locator(`#vote .${cls} .value`).innerText());
  assert.deepEqual({ yes: await fig('yes'), no: await fig('no'), abstain: await fig('abstain') }, cast);
  await terminals[0].locator('#results').getByText('未按表决器').first().waitFor(); /* and the terminals the announced result */
  for (const p of [sec, board, chair, ...terminals]) assert.deepEqual(p.errors, []);
});
