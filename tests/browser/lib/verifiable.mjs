// verifiable.mjs — what the browser tests of verifiable votes share: a key's ceremony made in node over the API
// (web/lib/trustee.js as the trustees' devices), a trustee page logged in, a trustee's secrets restored on its
// page from a backup file, a delegate's encrypted ballot cast from node, and a page's unexpected errors.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from '../../../web/lib/verifiable.js';
import * as tr from '../../../web/lib/trustee.js';
import { voteFrom } from '../../../web/lib/vview.js';
import { startHall } from './harness.mjs';

export const LOGINS = ['trustee1', 'trustee2', 'trustee3'];

// A hall for a test file, started before its tests and stopped after them: { hall, chair, secretariat (their
// tokens), api(token, method, path, body) }, filled in once it has started.
export function verifiableHall(options) {
  const s = { api: (token, method, path, body) => s.hall.call(method, path, token, method === 'GET' ? undefined : body ?? {}) };
  before(async () => {
    s.hall = await startHall(options);
    s.chair = (await s.hall.login(s.hall.logins.chair)).token;
    s.secretariat = (await s.hall.login(s.hall.logins.secretariat)).token;
  });
  after(async () => { await s.hall?.stop(); });
  return s;
}

// Console errors other than the API's refusals, which a page shows as its data.
export const unexpected = (page) => page.errors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d .*\/api\//.test(e));

// The ceremony of a new key (threshold 2) by the three demo trustees, each one's device a trustee object here:
// { id, ts, tokens, params }.
export async function ceremony(hall, secretariat) {
  const api = (token, method, path, body) => hall.call(method, path, token, method === 'GET' ? undefined : body ?? {});
  const made = await api(secretariat, 'POST', '/api/keys', { trustees: LOGINS, threshold: 2 });
  const id = made.events[0].payload.id;
  const params = { sessionId: (await api(null, 'GET', '/api/session')).id, keyId: id, n: 3, k: 2, logins: LOGINS };
  const Qk = tr.ceremonyQk(params);
  const tokens = [];
  for (const login of LOGINS) tokens.push((await hall.login({ name: login, password: `demo-${login}` })).token);
  const ts = LOGINS.map((_, i) => tr.createTrustee(params, i + 1));
  for (const [i, t] of ts.entries()) await api(tokens[i], 'POST', `/api/keys/${id}/commit`, tr.commitmentOf(t));
  let key = await api(null, 'GET', `/api/keys/${id}`);
  const coms = key.trustees.map((x) => tr.commitmentFrom(Qk, x.index, 2, x.commitment));
  for (const [i, t] of ts.entries()) await api(tokens[i], 'POST', `/api/keys/${id}/shares`, { shares: tr.sealShares(t, coms.map((c) => c.box)) });
  key = await api(null, 'GET', `/api/keys/${id}`);
  for (const [i, t] of ts.entries()) {
    for (const x of key.trustees) if (x.index !== t.index) tr.openShare(t, x.index, coms[x.index - 1].A, x.shares);
    await api(tokens[i], 'POST', `/api/keys/${id}/ready`, tr.publicShareOf(t));
  }
  assert.equal((await api(null, 'GET', `/api/keys/${id}`)).state, 'complete');
  return { id, ts, tokens, params };
}

// Demo trustee n's page on a new device, logged in through its form, once it is ready.
export async function trusteePage(hall, n) {
  const page = await hall.newPage();
  await page.goto('/trustee');
  await page.locator('#login-form [name=name]').fill(`trustee${n}`);
  await page.locator('#login-form [name=password]').fill(`demo-trustee${n}`);
  await page.locator('#login-form [name=password]').press('Enter');
  await page.locator('#work[data-ready]').waitFor();
  return page;
}

// Trustee t's secrets (a trustee object of `ceremony`) restored on its page from a backup file, as a trustee
// who made them on another device would.
export async function restoreOn(hall, page, key, t) {
  const path = join(hall.dir, `backup-key${key}-${t.index}.json`);
  await writeFile(path, JSON.stringify(tr.backupOf(t)));
  await page.locator(`.key[data-key="${key}"] input.restore-file`).setInputFiles(path);
  await page.locator(`.key[data-key="${key}"] [data-step="complete"]`).waitFor({ timeout: 20000 });
}

// Delegate `code`'s ballot, encrypted here as its terminal would (marks by candidate name, others abstain; names
// written in), cast over the API.
export async function castEncrypted(hall, kind, id, code, marks = {}, writeins = []) {
  const plural = kind === 'poll' ? 'polls' : 'elections';
  const data = await hall.call('GET', `/api/${plural}/${id}`);
  const vote = voteFrom(kind, data, await hall.call('GET', `/api/keys/${data.verifiable.key}`));
  const choice = v.choiceFrom(vote, vote.names.map((name) => marks[name] || 'abstain'), writeins);
  const sealed = v.encryptBallot(vote, code, choice, v.systemRng);
  const { token } = await hall.login(hall.delegateLogin(code));
  return hall.call('POST', kind === 'poll' ? `/api/polls/${id}/votes` : `/api/elections/${id}/ballots`, token, { encrypted: sealed.ballot });
}
