// sessions.test.mjs — two sessions on one service in Chromium (`yishi serve -f A -f B`): the front page lists
// them; each session's front page and desk are under its path and speak to its own API; a login at one is
// not a login at the other, even in one tab, and each page's links stay within its session.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { YISHI, startHall } from './lib/harness.mjs';

let hall;
let dir;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'yishi-sessions-'));
  const second = join(dir, 'county.db');
  execFileSync(YISHI, ['init', '-f', second, '--rules', 'prc-county', '--assembly', '某县人民代表大会'], { stdio: 'ignore' });
  execFileSync(YISHI, ['user', 'add', '--role', 'secretariat', '--name', 'county', '--password-file', '-', '-f', second],
    { input: 'county-password-1\n', stdio: ['pipe', 'ignore', 'inherit'], env: { ...process.env, YISHI_TEST_WEAK_PWHASH: '1' } });
  hall = await startHall({ serveArgs: ['-f', second] });
});
after(async () => {
  await hall?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function deskLogin(page, base, name, password) {
  await page.goto(`${base}/desk`);
  await page.getByLabel('账户名').fill(name);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('tab', { name: '导入名单' }).waitFor();
}

test('the front lists the sessions; each desk is its session\'s, with its own login', async () => {
  const page = await hall.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto('/');
  const list = page.locator('ul.sessions');
  await list.getByRole('link', { name: '山西省第十四届人民代表大会第二次会议' }).waitFor();
  await list.getByRole('link', { name: /某县第一届人民代表大会/ }).click();
  await page.waitForURL(/\/s\/2\/$/);
  assert.equal(await page.getByRole('link', { name: '秘书处' }).getAttribute('href'), '/s/2/desk');

  await deskLogin(page, '/s/2', 'county', 'county-password-1');
  await page.getByRole('heading', { name: /某县第一届人民代表大会/ }).waitFor();
  // the same tab at the other session: not logged in there, and the county's account is not one of its
  await page.goto('/s/1/desk');
  await page.getByLabel('账户名').waitFor();
  await page.getByLabel('账户名').fill('county');
  await page.getByLabel('密码').fill('county-password-1');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('alert').waitFor();
  await deskLogin(page, '/s/1', hall.logins.secretariat.name, hall.logins.secretariat.password);
  await page.getByRole('heading', { name: '山西省第十四届人民代表大会第二次会议' }).waitFor();
  await page.getByRole('tab', { name: '报告与导出' }).click();
  assert.equal(await page.getByRole('link', { name: 'Popolo JSON' }).getAttribute('href'), '/s/1/api/exports/popolo');
  // and the county's desk in this tab is still logged in as the county
  await page.goto('/s/2/desk');
  await page.getByRole('heading', { name: /某县第一届人民代表大会/ }).waitFor();
  assert.deepEqual(page.errors.filter((e) => !/status of 40[134]/.test(e)), []);
});
