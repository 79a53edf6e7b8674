// pages.test.mjs — the pages as a browser gets them from yishi serve: the front page links the four pages
// and switches to English (remembered on the device), and each page comes with the CSP and loads clean.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHall } from './lib/harness.mjs';

let hall;
before(async () => { hall = await startHall(); });
after(async () => { await hall?.stop(); });

test('the front page links the four pages, in Chinese by default', async () => {
  const page = await hall.newPage();
  const r = await page.goto('/');
  assert.equal(r.status(), 200);
  assert.match(r.headers()['content-security-policy'], /default-src 'self'/);
  const links = await page.locator('nav a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.innerText.trim()]));
  assert.deepEqual(links, [['/terminal', '终端'], ['/chair', '主持人'], ['/board', '大屏'], ['/desk', '秘书处'], ['/trustee', '监票人']]);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  await hall.screenshot(page, 'index');
  assert.deepEqual(page.errors, []);
});

test('the language switch shows English and is remembered on the device', async () => {
  const context = await hall.newContext();
  const page = await context.newPage();
  await page.goto('/');
  await page.locator('button.lang').click();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.equal(await page.locator('nav a[href="/board"]').innerText(), 'Hall screen');
  assert.equal(await page.locator('button.lang').innerText(), '中文');
  const again = await context.newPage();
  await again.goto('/');
  assert.equal(await again.locator('nav a[href="/terminal"]').innerText(), 'Delegate terminal');
  assert.equal(await again.title(), 'yishi');
  await again.locator('button.lang').press('Enter'); // by keyboard, back to Chinese
  assert.equal(await again.locator('nav a[href="/terminal"]').innerText(), '终端');
});

for (const path of ['/board', '/terminal', '/chair', '/trustee']) {
  test(`${path} is served with the CSP and loads without a console error`, async (t) => {
    const page = await hall.newPage();
    const r = await page.goto(path);
    assert.equal(r.status(), 200);
    const h = r.headers();
    assert.match(h['content-type'], /^text\/html; charset=utf-8$/);
    assert.match(h['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval';/);
    assert.match(h['content-security-policy'], /frame-ancestors 'none'/);
    assert.equal(h['x-content-type-options'], 'nosniff');
    assert.ok(h.etag, 'an ETag');
    // Every module has run by 'load'; a live page keeps its stream open, so it never goes network-idle.
    await page.waitForLoadState('load');
    await page.waitForTimeout(500);
    assert.ok((await page.title()).length > 0, 'a title');
    assert.deepEqual(page.errors, []);
    for (const e of page.apiErrors) t.diagnostic(e); // the API's refusals, which the page shows
  });
}

// The harness's watch sees what the CSP refuses: an inline script on a served page is a console error.
test('a CSP violation shows up as a console error', async () => {
  const page = await hall.newPage();
  await page.goto('/');
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.inlineRan = true';
    document.body.append(s);
  });
  await page.waitForTimeout(100);
  assert.equal(await page.evaluate(() => window.inlineRan), undefined);
  assert.ok(page.errors.some((e) => /Content Security Policy/.test(e)), page.errors.join('\n'));
});
