// desk.test.mjs — the secretariat's desk (/desk) in Chromium: a session set up through the page from
// `yishi serve --setup`, imports refused whole with each bad line and taken whole, login cards issued and
// laid out for print (N to an A4 page, each with its QR code), verify, the English switch, screenshots.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARTIFACTS, YISHI, startHall, watch } from './lib/harness.mjs';

let hall;
before(async () => { hall = await startHall(); });
after(async () => { await hall?.stop(); });

async function deskLogin(page) {
  await page.goto('/desk');
  await page.getByLabel('账户名').fill(hall.logins.secretariat.name);
  await page.getByLabel('密码').fill(hall.logins.secretariat.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('tab', { name: '导入名单' }).waitFor();
}

// `yishi serve --setup` on a file not there yet: resolves with its base URL and the setup code it printed.
function serveSetup(file) {
  const child = spawn(YISHI, ['serve', '-f', file, '--setup', '--listen', '127.0.0.1:0'], {
    env: { ...process.env, YISHI_TEST_WEAK_PWHASH: '1' }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  return new Promise((ok, fail) => {
    child.on('exit', (code) => fail(new Error(`yishi serve --setup exited (${code}):\n${out}`)));
    child.stdout.on('data', (d) => {
      out += d;
      const base = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      const code = /setup code (\S+)/.exec(out);
      if (base && code) ok({ child, base: base[1], code: code[1] });
    });
  });
}

test('a new session is set up through the page', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'yishi-desk-'));
  const s = await serveSetup(join(dir, 'county.db'));
  try {
    const context = await hall.browser.newContext({ baseURL: s.base, locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.errors = watch(page);
    await page.goto('/desk');
    await page.getByLabel('设立码').fill('0000-0000');
    await page.getByLabel('规则集').selectOption('prc-county');
    await page.getByLabel('人民代表大会', { exact: true }).fill('某县人民代表大会');
    await page.getByLabel('届次').fill('第十八届');
    await page.getByLabel('会次').fill('第三次会议');
    await page.getByLabel('账户名').fill('desk');
    await page.locator('input[name="password"]').fill('desk-password-1');
    await page.getByLabel('再次输入密码').fill('desk-password-1');
    await page.getByRole('button', { name: '设立会议' }).click();
    await page.getByRole('alert').getByText('无此权限').waitFor(); // the wrong code, refused in Chinese
    await hall.screenshot(page, 'desk-setup', [{ width: 1280, height: 800 }, { width: 3840, height: 2160 }]);
    await page.getByLabel('设立码').fill(s.code.toUpperCase());
    await page.getByRole('button', { name: '设立会议' }).click();
    await page.getByRole('heading', { name: '某县第十八届人民代表大会第三次会议' }).waitFor();
    await page.getByRole('tab', { name: '导入名单' }).waitFor();
    const session = await (await fetch(`${s.base}/api/session`)).json();
    assert.equal(session.rules, 'prc-county');
    assert.equal(session.title, '某县第十八届人民代表大会第三次会议');
    assert.deepEqual(page.errors.filter((e) => !/status of 403/.test(e)), []);
    await context.close();
  } finally {
    s.child.kill('SIGTERM');
    await new Promise((r) => s.child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an import with a bad row shows its line and imports nothing; a good one imports', async () => {
  const page = await hall.newPage({ viewport: { width: 1280, height: 800 } });
  await deskLogin(page);
  const before = (await (await fetch(`${hall.base}/api/posts`)).json()).posts.length;
  await page.getByLabel('名单').selectOption('posts');
  await page.getByLabel('CSV内容（可直接粘贴）').fill('rank,title\n901,大会副秘书长（甲）\nfirst,\n');
  await page.getByRole('button', { name: '导入' }).click();
  const alert = page.getByRole('alert');
  await alert.getByText('第3行（title）').waitFor();
  assert.match(await alert.innerText(), /nothing imported|1 bad row/);
  assert.equal((await (await fetch(`${hall.base}/api/posts`)).json()).posts.length, before);
  await hall.screenshot(page, 'desk-import-refused', [{ width: 1280, height: 800 }, { width: 3840, height: 2160 }]);
  await page.getByLabel('CSV内容（可直接粘贴）').fill('rank,title\n901,大会副秘书长（甲）\n902,大会副秘书长（乙）\n');
  await page.getByRole('button', { name: '导入' }).click();
  await page.getByText('已导入，共2条记录').waitFor();
  assert.equal(await alert.isHidden(), true);
  const posts = (await (await fetch(`${hall.base}/api/posts`)).json()).posts;
  assert.equal(posts.length, before + 2);
  assert.ok(posts.some((p) => p.title === '大会副秘书长（乙）'));
  assert.deepEqual(page.errors.filter((e) => !/status of 400/.test(e)), []);
});

test('cards are issued for a delegation and laid out to print, 8 or 10 to a page, each with its QR code', async () => {
  const page = await hall.newPage({ viewport: { width: 1280, height: 800 } });
  await deskLogin(page);
  await page.getByRole('tab', { name: '代表证' }).click();
  await page.getByText('代表证号只在制证时显示一次').waitFor();
  const delegations = (await (await fetch(`${hall.base}/api/delegations`)).json()).delegations;
  const pla = delegations.find((d) => d.name === '解放军');
  await page.getByLabel('代表团').selectOption(String(pla.id));
  // Every demo delegate has a card: without re-issue each is refused and none is replaced.
  await page.getByRole('button', { name: '为所选代表制证' }).click();
  await page.getByRole('alert').getByText('已有代表证').waitFor();
  assert.equal(await page.locator('#print-area .print-card').count(), 0);
  await page.getByLabel('重新制证（原代表证失效）').check();
  await page.getByRole('button', { name: '为所选代表制证' }).click();
  await page.getByText(`已制证${pla.members}张`).waitFor();
  await page.emulateMedia({ media: 'print' });
  const pages = page.locator('#print-area .sheet');
  assert.equal(await pages.count(), Math.ceil(pla.members / 8));
  for (let i = 0; i < (await pages.count()); i++) {
    const n = await pages.nth(i).locator('.print-card').count();
    assert.equal(n, i < (await pages.count()) - 1 ? 8 : pla.members - 8 * i);
  }
  assert.equal(await page.locator('#print-area .print-card img.qr').count(), pla.members);
  const qr = await page.locator('#print-area img.qr').first().evaluate((img) => ({ w: img.naturalWidth, src: img.src }));
  assert.ok(qr.src.startsWith('data:image/svg+xml'), qr.src.slice(0, 40));
  assert.ok(qr.w > 0, 'the QR image loads');
  const box = await pages.first().boundingBox(); // A4 at 96 px an inch: 210 × 297 mm
  assert.ok(Math.abs(box.width - 793.7) < 2 && Math.abs(box.height - 1122.5) < 2, JSON.stringify(box));
  assert.equal(await page.locator('main').isVisible(), false);
  // The printed code logs in: a re-issued card works, the old one does not.
  const first = await page.locator('#print-area .print-card').first();
  const code = await first.locator('.pc-code').innerText();
  const delegate = (await first.locator('.pc-line.muted').innerText()).replace(/\D/g, '');
  const ok = await fetch(`${hall.base}/api/login`, { method: 'POST', body: JSON.stringify({ code, pin: '246813' }) });
  assert.equal(ok.status, 200);
  const old = await fetch(`${hall.base}/api/login`, { method: 'POST', body: JSON.stringify(hall.delegateLogin(delegate)) });
  assert.equal(old.status, 401);
  await page.emulateMedia({ media: 'screen' });
  await page.getByLabel('每页张数').selectOption('10');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await pages.count(), Math.ceil(pla.members / 10));
  assert.equal(await pages.first().locator('.print-card').count(), Math.min(10, pla.members));
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'desk-cards-print.png'), fullPage: true }); // the pages as printed
  await page.emulateMedia({ media: 'screen' });
  await hall.screenshot(page, 'desk-cards', [{ width: 1280, height: 800 }, { width: 3840, height: 2160 }]);
  assert.deepEqual(page.errors.filter((e) => !/status of 409/.test(e)), []);
});

test('verify, the log a page at a time, and attendance', async () => {
  const page = await hall.newPage({ viewport: { width: 1280, height: 800 } });
  await deskLogin(page);
  await page.getByRole('tab', { name: '会议日志' }).click();
  await page.getByRole('button', { name: '校验会议日志' }).click();
  await page.getByText(/校验通过：\d+条事件/).waitFor();
  await page.getByText('第1至50条').waitFor();
  await page.getByRole('button', { name: '下一页' }).click();
  await page.getByText('第51至100条').waitFor();
  await page.getByLabel('事件类型（前缀）').fill('poll.announce');
  await page.getByRole('button', { name: '筛选' }).click();
  await page.locator('table.log tbody tr').first().getByText('poll.announce').waitFor();
  await hall.screenshot(page, 'desk-log', [{ width: 1280, height: 800 }, { width: 3840, height: 2160 }]);
  // Attendance, live: a delegate put on leave here shows so at once, and the summary follows.
  await page.getByRole('tab', { name: '出席' }).click();
  await page.getByText(/应出席549人/).waitFor();
  const row = page.locator('tr[data-code="140100005"]');
  await page.getByLabel('请假事由').fill('因公请假');
  await row.getByRole('button', { name: '请假' }).click();
  await row.getByText('请假', { exact: true }).first().waitFor();
  await row.locator('.presence', { hasText: '请假' }).waitFor();
  await row.getByRole('button', { name: '签到' }).click();
  await row.locator('.presence', { hasText: '出席' }).waitFor();
  await hall.screenshot(page, 'desk-attendance', [{ width: 1280, height: 800 }, { width: 3840, height: 2160 }]);
  assert.deepEqual(page.errors, []);
});

test('the staff accounts are listed and one is added; the bulletin of a deliberation', async () => {
  const page = await hall.newPage({ viewport: { width: 1280, height: 800 } });
  await deskLogin(page);
  await page.getByRole('tab', { name: '工作人员账户' }).click();
  await page.locator('td', { hasText: 'taiyuan' }).waitFor();
  await page.getByLabel('账户名').fill('chair2');
  await page.getByLabel('角色').selectOption('chair');
  await page.locator('input[name="password"]').fill('chair2-password');
  await page.getByRole('button', { name: '添加', exact: true }).click();
  await page.getByText('账户 chair2 已添加').waitFor();
  await page.locator('td', { hasText: 'chair2' }).waitFor();
  assert.equal((await hall.login({ name: 'chair2', password: 'chair2-password' })).role, 'chair');
  await page.getByRole('tab', { name: '简报' }).click();
  await page.getByLabel('会议').selectOption('3');
  await page.getByLabel('期号').fill('5');
  await page.getByRole('button', { name: '生成简报' }).click();
  await page.locator('pre.bulletin', { hasText: '（第5期）' }).first().waitFor();
  assert.match(await page.locator('main pre.bulletin').innerText(), /常书铭代表说/);
  assert.deepEqual(page.errors, []);
});

test('the reports: the session summary shown, its printable page and PDF linked; the exports listed', async () => {
  const page = await hall.newPage({ viewport: { width: 1280, height: 800 } });
  await deskLogin(page);
  await page.getByRole('tab', { name: '报告与导出' }).click();
  await page.locator('select[name=kind]').selectOption('summary');
  await page.getByRole('button', { name: '生成报告' }).click();
  await page.locator('main pre.report', { hasText: '三、议案及其处理情况' }).waitFor();
  assert.match(await page.locator('main pre.report').innerText(), /唐登杰当选/);
  const pdf = await fetch(hall.base + await page.getByRole('link', { name: 'PDF' }).getAttribute('href'));
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.equal(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5)), '%PDF-');
  const html = await page.getByRole('link', { name: '打印版网页' }).getAttribute('href');
  assert.match(html, /format=html/);
  await page.getByRole('link', { name: 'delegates' }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('motions from paper: a draft entered with its lead, the signature sheet to ten, submitted, decided, an answer; a deadline', async () => {
  const page = await hall.newPage({ viewport: { width: 1280, height: 800 } });
  await deskLogin(page);
  await page.getByRole('tab', { name: '议案与建议' }).click();
  const form = page.locator('form.motion-new');
  await form.getByLabel('领衔代表（代表证号）').fill('140100001');
  await form.getByLabel('案由').fill('关于制定山西省黄河流域生态保护条例的议案');
  await form.getByLabel('方案').fill('建议列入二〇二四年立法计划。');
  await form.getByRole('button', { name: '录入' }).click();
  await page.getByText('已录入议案 1').waitFor();
  const detail = page.locator('.motion-detail');
  await detail.getByText('议案 1「关于制定山西省黄河流域生态保护条例的议案」').waitFor();
  // a sheet with a code that is no delegate's: the signatures before it are entered, the rest stays with the reason
  await detail.getByLabel('纸质联名').fill('140100002 140100003 X-1 140100004');
  await detail.getByRole('button', { name: '录入联名' }).click();
  await page.getByRole('alert').getByText('only delegates sign').waitFor();
  assert.equal(await detail.getByLabel('纸质联名').inputValue(), 'X-1 140100004');
  await detail.getByLabel('纸质联名').fill('140100004,140100005，140100006、140100007 140100008 140100009 140100010');
  await detail.getByRole('button', { name: '录入联名' }).click();
  await page.locator('tr[data-motion="1"]').getByText('10 / 10').waitFor();
  await detail.getByRole('button', { name: '提交' }).click();
  await detail.getByLabel('主席团决定').waitFor();
  await detail.getByLabel('主席团决定').selectOption('committee');
  await detail.getByLabel('说明（可不填）').fill('交法制委员会审议');
  await detail.getByRole('button', { name: '记录决定' }).click();
  await detail.getByText('先交有关的专门委员会审议').waitFor();
  await detail.getByRole('button', { name: '记录答复' }).click(); /* without who answers: refused, said */
  await page.getByRole('alert').getByText('who answers is empty').waitFor();
  await detail.getByLabel('答复单位').fill('省人大法制委员会');
  await detail.getByLabel('答复内容').fill('法制委员会建议列入立法规划。');
  // a motion drafted elsewhere meanwhile redraws the panel from the stream, and leaves what is typed here
  const { token } = await hall.login(hall.logins.secretariat);
  await hall.call('POST', '/api/motions', token, { kind: 'suggestion', lead: '140100011', title: '关于加强农村公路养护的建议' });
  await page.locator('tr[data-motion="2"]').waitFor();
  await page.waitForTimeout(500);
  assert.equal(await detail.getByLabel('答复内容').inputValue(), '法制委员会建议列入立法规划。');
  await detail.getByRole('button', { name: '记录答复' }).click();
  await detail.getByText('法制委员会建议列入立法规划。').waitFor();
  const m = await hall.call('GET', '/api/motions/1');
  assert.deepEqual([m.state, m.decision, m.signatures], ['decided', 'committee', 10]);
  // the presidium's deadline for inquiries, typed in Beijing time
  await page.getByLabel('截止时间（北京时间）').fill('2024-01-25T12:00');
  await page.locator('select[name=deadline-kind]').selectOption('inquiry');
  await page.getByRole('button', { name: '规定' }).click();
  await page.locator('ul.deadlines').getByText('2024/1/25 12:00:00').waitFor();
  assert.equal((await hall.call('GET', '/api/motions')).deadlines.inquiry, '2024-01-25T04:00:00.000Z');
  await hall.screenshot(page, 'desk-motions', [{ width: 1280, height: 800 }]);
  assert.deepEqual(page.errors.filter((e) => !/status of 4\d\d/.test(e)), []);
});

test('an opinion recorded on a document, taken up by its second version, and the drafting team\'s summary shown', async () => {
  const page = await hall.newPage({ viewport: { width: 1280, height: 800 } });
  await deskLogin(page);
  await page.getByRole('tab', { name: '会议文件' }).click();
  const form = page.locator('form.opinion');
  await form.locator('select[name=opinion-document]').selectOption({ label: '政府工作报告' });
  await form.locator('[name=section]').fill('第二部分');
  await form.locator('[name=opinion]').fill('建议进一步加大对县域经济的支持力度。');
  await form.locator('[name=delegate]').fill('140200002');
  await form.getByRole('button', { name: '记录意见' }).click();
  await page.getByText(/已记录第\d+条意见/).waitFor();
  const doc = (await hall.call('GET', '/api/documents')).documents.find((d) => d.title === '政府工作报告');
  const secretariat = (await hall.login(hall.logins.secretariat)).token;
  const opinions = (await hall.call('GET', `/api/documents/${doc.id}/opinions`, secretariat)).opinions;
  const mine = opinions.find((o) => o.text === '建议进一步加大对县域经济的支持力度。');
  assert.equal(mine.delegate.code, '140200002'); /* of 大同: the delegation is the delegate's */
  assert.equal(mine.delegation, '大同');
  await hall.call('POST', '/api/documents', secretariat, { title: '政府工作报告', content: '第二稿', note: '根据审议意见修改' });
  const v = (await hall.call('GET', `/api/documents/${doc.id}`, secretariat)).versions.length;
  await hall.call('POST', `/api/documents/${doc.id}/explanations`, secretariat, { version: v, text: '在第二部分增加支持县域经济的内容。', taken_up: [mine.id] });
  await page.getByRole('tab', { name: '报告与导出' }).click();
  await page.locator('select[name=kind]').selectOption('opinions');
  await page.locator('select[name=document]').selectOption(String(doc.id));
  await page.getByRole('button', { name: '生成报告' }).click();
  await page.locator('main pre.report', { hasText: '《政府工作报告》审议意见汇总' }).waitFor();
  const text = await page.locator('main pre.report').innerText();
  assert.match(text, new RegExp(`第${mine.id}条　大同代表团.*建议进一步加大对县域经济的支持力度。（第${v}稿已采纳）`));
  assert.match(text, /修改说明/);
  assert.deepEqual(page.errors.filter((e) => !/status of 4\d\d/.test(e)), []);
});

test('the desk switches to English and back, by keyboard', async () => {
  const page = await hall.newPage({ viewport: { width: 1280, height: 800 } });
  await deskLogin(page);
  await page.getByRole('button', { name: '切换为英文' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('tab', { name: 'Imports' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.getByRole('tab', { name: 'Imports' }).focus();
  await page.keyboard.press('ArrowRight');
  await page.getByText(/549 entitled/).waitFor();
  assert.equal(await page.getByRole('tab', { name: 'Attendance' }).getAttribute('aria-selected'), 'true');
  await hall.screenshot(page, 'desk-english', [{ width: 1280, height: 800 }, { width: 3840, height: 2160 }]);
  await page.getByRole('button', { name: 'Switch to Chinese' }).click();
  await page.getByRole('tab', { name: '出席' }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('the hall: its seat map and counts, a delegate moved to an empty seat clicked on the map, a taken seat refused', async () => {
  const page = await hall.newPage({ viewport: { width: 1280, height: 800 } });
  await deskLogin(page);
  await page.getByRole('tab', { name: '会场座位' }).click();
  const layout = await (await fetch(`${hall.base}/api/hall`)).json();
  await page.getByText(`座位 ${layout.seats} 个，已安排代表 ${layout.placed} 人`).waitFor();
  const empty = layout.tiers.flatMap((t) => t.blocks.flatMap((b) => b.rows.flatMap((r) => r.seats))).find((s) => s.delegate === null);
  await page.locator(`.hall-map .seat[data-seat="${empty.code}"]`).click();
  assert.equal(await page.getByLabel(/^座位（排-号/).inputValue(), empty.code);
  await page.getByLabel('代表证号').fill('140100005');
  await page.getByRole('button', { name: '调整', exact: true }).click();
  await page.getByText(`的座位已改为 ${empty.code}`).waitFor();
  const moved = await (await fetch(`${hall.base}/api/delegates/5`)).json();
  assert.equal(moved.seat, empty.code);
  await page.getByLabel(/^座位（排-号/).fill('1-1');
  await page.getByRole('button', { name: '调整', exact: true }).click();
  await page.getByText(/seat 1-1 is taken by/).waitFor();
  await hall.screenshot(page, 'desk-hall', [{ width: 1280, height: 800 }]);
  assert.deepEqual(page.errors, []);
});
