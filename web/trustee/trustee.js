// trustee.js — the trustee page (/trustee): a scrutineer (监票人) logs in, and for each key it holds a share of
// sees the ceremony's next step for it (commit, send shares, open them and publish, or complain), then the
// closed verifiable elections and polls of its keys that wait for its shuffle or its decryption, which
// web/trustee/votes.js checks and makes (docs/verifiable.md §3, §8, §9).
//
// The secrets are made here (web/lib/trustee.js) and kept in this browser's localStorage, per session, key
// and login, as the backup JSON the C code reads too; nothing is posted before that backup is downloaded.

import { get, login, logout, post, whoami } from '/lib/api.js';
import { $, fill, h } from '/lib/dom.js';
import { addStrings, onLang, t } from '/lib/i18n.js';
import { langButton, showError, startPage } from '/lib/ui.js';
import * as votes from './votes.js';

addStrings({
  zh: {
    'tr.title': '监票人',
    'tr.login.heading': '监票人登录',
    'tr.login.name': '用户名',
    'tr.login.password': '密码',
    'tr.login.nottrustee': '此账户不是监票人账户（{role}）：请用监票人账户登录',
    'tr.who': '监票人：{name}',
    'tr.secrets': '本页面生成的秘密（多项式系数、收件私钥、密钥份额）只保存在本浏览器和您下载的备份文件中，从不发送到服务器。',
    'tr.keys': '密钥',
    'tr.keys.none': '您不是任何密钥的监票人。',
    'tr.key': '密钥 {id}：{k}/{n} 门限（您是第 {j} 位监票人）',
    'tr.state.committing': '提交承诺中',
    'tr.state.sharing': '发送份额中',
    'tr.state.publishing': '公布公钥份额中',
    'tr.state.complete': '已完成',
    'tr.state.failed': '已失败',
    'tr.t.committed': '已承诺',
    'tr.t.shared': '已发送份额',
    'tr.t.ready': '已公布',
    'tr.t.none': '未开始',
    'tr.step.create': '下一步：在本设备上生成您的多项式和收件密钥。',
    'tr.step.create.go': '生成秘密',
    'tr.step.commit': '下一步：提交承诺（多项式系数的承诺、其证明和收件公钥）。',
    'tr.step.commit.go': '提交承诺',
    'tr.step.share': '下一步：把份额加密发送给其他每位监票人。',
    'tr.step.share.go': '发送份额',
    'tr.step.open': '下一步：打开其他监票人发给您的份额，并与其承诺核对。',
    'tr.step.open.go': '打开并核对份额',
    'tr.step.ready': '下一步：份额核对无误，公布您的公钥份额。',
    'tr.step.ready.go': '公布公钥份额',
    'tr.step.lost': '本设备没有此密钥的秘密：请从备份文件恢复。',
    'tr.step.mismatch': '本设备保存的秘密与您已提交的承诺不符：请从正确的备份文件恢复。',
    'tr.wait.commit': '等待其他监票人提交承诺（{done}/{n}）。',
    'tr.wait.shares': '等待其他监票人发送份额（{done}/{n}）。',
    'tr.wait.ready': '等待其他监票人公布公钥份额（{done}/{n}）。',
    'tr.complete.ok': '密钥已完成。本设备持有的份额与公布的公钥份额一致。',
    'tr.complete.lost': '密钥已完成，但本设备没有您的份额：解密前请从备份文件恢复。',
    'tr.failed': '仪式失败：第 {by} 位监票人对第 {against} 位提出申诉（{reason}）。请秘书处重新发起。',
    'tr.complaint': '第 {from} 位监票人的份额未通过核对：{why}',
    'tr.complaint.go': '对第 {from} 位监票人提出申诉',
    'tr.backup': '备份',
    'tr.backup.need': '提交前请先下载备份文件并妥善保存（内含秘密，请勿外传）。',
    'tr.backup.done': '当前备份已下载。',
    'tr.backup.download': '下载备份',
    'tr.backup.restore': '从备份文件恢复',
    'tr.backup.restored': '已从备份恢复。',
    'tr.backup.bad': '备份文件无法使用：{why}',
    'tr.sent': '已提交。',
  },
  en: {
    'tr.title': 'Trustee',
    'tr.login.heading': 'Trustee login',
    'tr.login.name': 'User name',
    'tr.login.password': 'Password',
    'tr.login.nottrustee': 'This account is not a trustee’s ({role}): log in with a trustee account',
    'tr.who': 'Trustee: {name}',
    'tr.secrets': 'The secrets this page makes (the polynomial’s coefficients, the box key, the share of the key) are kept only in this browser and in the backup you download, never sent to the server.',
    'tr.keys': 'Keys',
    'tr.keys.none': 'You are a trustee of no key.',
    'tr.key': 'Key {id}: threshold {k} of {n} (you are trustee {j})',
    'tr.state.committing': 'committing',
    'tr.state.sharing': 'sending shares',
    'tr.state.publishing': 'publishing shares',
    'tr.state.complete': 'complete',
    'tr.state.failed': 'failed',
    'tr.t.committed': 'committed',
    'tr.t.shared': 'shares sent',
    'tr.t.ready': 'published',
    'tr.t.none': 'not started',
    'tr.step.create': 'Next: make your polynomial and box key on this device.',
    'tr.step.create.go': 'Make the secrets',
    'tr.step.commit': 'Next: post your commitment (the coefficients’ commitments, their proofs and your box key).',
    'tr.step.commit.go': 'Post the commitment',
    'tr.step.share': 'Next: send each other trustee its share, sealed to it.',
    'tr.step.share.go': 'Send the shares',
    'tr.step.open': 'Next: open the shares the others sent you and check them against their commitments.',
    'tr.step.open.go': 'Open and check the shares',
    'tr.step.ready': 'Next: the shares check; publish your public share.',
    'tr.step.ready.go': 'Publish the public share',
    'tr.step.lost': 'This device holds no secrets of this key: restore them from your backup file.',
    'tr.step.mismatch': 'The secrets on this device are not those you committed to: restore the right backup file.',
    'tr.wait.commit': 'Waiting for the other trustees’ commitments ({done} of {n}).',
    'tr.wait.shares': 'Waiting for the other trustees’ shares ({done} of {n}).',
    'tr.wait.ready': 'Waiting for the other trustees’ public shares ({done} of {n}).',
    'tr.complete.ok': 'The key is complete. The share on this device matches your public share.',
    'tr.complete.lost': 'The key is complete, but this device has no share of it: restore your backup before decrypting.',
    'tr.failed': 'The ceremony failed: trustee {by} complained against trustee {against} ({reason}). The secretariat starts a new one.',
    'tr.complaint': 'The share of trustee {from} does not check: {why}',
    'tr.complaint.go': 'Complain against trustee {from}',
    'tr.backup': 'Backup',
    'tr.backup.need': 'Download the backup file and keep it safe before posting (it holds your secrets: never share it).',
    'tr.backup.done': 'The current backup is downloaded.',
    'tr.backup.download': 'Download the backup',
    'tr.backup.restore': 'Restore from a backup file',
    'tr.backup.restored': 'Restored from the backup.',
    'tr.backup.bad': 'The backup cannot be used: {why}',
    'tr.sent': 'Posted.',
  },
});

let tr = null; /* web/lib/trustee.js, loaded once logged in */
let vmod = null; /* web/lib/verifiable.js, likewise */
const ctx = { me: null, session: null, keys: [], elections: [], polls: [], seen: '', busy: 0, notes: new Map() };
let timer = null;

// ---- the secrets in this browser: { backup, downloaded } per session, key and login ----

const storeKey = (keyId) => `yishi.trustee.${ctx.session.id}.${keyId}.${ctx.me.name}`;

function loadLocal(keyId) {
  try {
    return JSON.parse(localStorage.getItem(storeKey(keyId)) || 'null');
  } catch {
    return null;
  }
}

function saveLocal(keyId, rec) {
  localStorage.setItem(storeKey(keyId), JSON.stringify(rec));
}

const paramsOf = (key) => {
  const logins = key.trustees.map((x) => x.login);
  return { sessionId: ctx.session.id, keyId: key.id, n: logins.length, k: key.threshold, logins };
};
const indexOf = (key) => key.trustees.findIndex((x) => x.login === ctx.me.name) + 1;

function trusteeOf(key) {
  const rec = loadLocal(key.id);
  return rec ? tr.restoreTrustee(paramsOf(key), indexOf(key), rec.backup) : null;
}

// Keeps the trustee's secrets; a changed backup has to be downloaded again before the next post.
function keep(key, trustee) {
  const rec = loadLocal(key.id) || {};
  rec.backup = tr.backupOf(trustee);
  saveLocal(key.id, rec);
}

function backedUp(key) {
  const rec = loadLocal(key.id);
  return !!rec && rec.downloaded === JSON.stringify(rec.backup);
}

// ---- actions: each shows the API's refusal, or the library's, and reads the board again ----

async function act(key, f) {
  ctx.busy++;
  showError($('#error'), null);
  try {
    await f();
  } catch (e) {
    showError($('#error'), e);
  } finally {
    ctx.busy--;
    await refresh(true);
  }
}

const note = (id, el) => ctx.notes.set(id, el);

function create(key) {
  return act(key, async () => {
    keep(key, tr.createTrustee(paramsOf(key), indexOf(key)));
  });
}

function commit(key) {
  return act(key, async () => {
    await post(`/api/keys/${key.id}/commit`, tr.commitmentOf(trusteeOf(key)));
    note(`key${key.id}`, { ok: t('tr.sent') });
  });
}

// Every other trustee's commitment checked again here (the server did), then a share sealed to each box.
function commitments(key) {
  const Qk = tr.ceremonyQk(paramsOf(key));
  return key.trustees.map((x) => tr.commitmentFrom(Qk, x.index, key.threshold, x.commitment));
}

function share(key) {
  return act(key, async () => {
    const shares = tr.sealShares(trusteeOf(key), commitments(key).map((c) => c.box));
    await post(`/api/keys/${key.id}/shares`, { shares });
    note(`key${key.id}`, { ok: t('tr.sent') });
  });
}

function openShares(key) {
  return act(key, async () => {
    const me = trusteeOf(key);
    const coms = commitments(key);
    for (const x of key.trustees) {
      if (x.index === me.index) continue;
      try {
        tr.openShare(me, x.index, coms[x.index - 1].A, x.shares);
      } catch (e) {
        if (!(e instanceof tr.Complaint)) throw e;
        note(`key${key.id}`, { complaint: e });
        return;
      }
    }
    tr.publicShareOf(me);
    keep(key, me);
  });
}

function ready(key) {
  return act(key, async () => {
    await post(`/api/keys/${key.id}/ready`, tr.publicShareOf(trusteeOf(key)));
    note(`key${key.id}`, { ok: t('tr.sent') });
  });
}

function complain(key, e) {
  return act(key, async () => {
    await post(`/api/keys/${key.id}/complaint`, { against: e.from, reason: e.message });
    ctx.notes.delete(`key${key.id}`);
  });
}

// ---- the votes to count: votes.js, given what it needs of the page ----

// The key's context as this page checked it: Qk, every trustee's commitments and public share, and K.
function keyContext(key) {
  const Qk = tr.ceremonyQk(paramsOf(key));
  const As = commitments(key).map((c) => c.A);
  const X = key.trustees.map((x) => tr.publicShareFrom(Qk, x.index, As, x.public_share));
  const K = As.reduce((P, A) => vmod.add(P, A[0]), vmod.IDENTITY.slice());
  return { Qk, K, X };
}

const page = {
  ctx, note, keyContext, trusteeOf, indexOf,
  tr: () => tr,
  act: (f) => act(null, f),
  button: (...a) => button(...a),
};

// ---- the backup: downloaded before anything is posted, restored from a file ----

function backupBox(key, { need }) {
  const rec = loadLocal(key.id);
  const parts = [];
  if (rec) {
    const text = JSON.stringify(rec.backup, null, 2);
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const a = h('a', { class: 'download', href: url, download: `yishi-trustee-key${key.id}-${ctx.me.name}.json` }, t('tr.backup.download'));
    a.addEventListener('click', () => {
      rec.downloaded = JSON.stringify(rec.backup);
      saveLocal(key.id, rec);
      setTimeout(() => refresh(true), 0);
    });
    parts.push(a);
  }
  const file = h('input', { type: 'file', accept: 'application/json,.json', class: 'restore-file', 'aria-label': t('tr.backup.restore') });
  file.addEventListener('change', () => restore(key, file.files[0]));
  parts.push(h('label', { class: 'restore' }, h('span', t('tr.backup.restore')), ' ', file));
  const said = need ? (backedUp(key) ? t('tr.backup.done') : t('tr.backup.need')) : null;
  return h('div', { class: 'backup' }, said ? h('p', { class: 'small' }, said) : null, h('div', { class: 'row' }, parts));
}

function restore(key, f) {
  return act(key, async () => {
    if (!f) return;
    let b;
    try {
      b = JSON.parse(await f.text());
      tr.restoreTrustee(paramsOf(key), indexOf(key), b);
    } catch (e) {
      throw new Error(t('tr.backup.bad', { why: e.message }));
    }
    /* the file is a backup the trustee has: it need not download it again */
    saveLocal(key.id, { backup: b, downloaded: JSON.stringify(b) });
    note(`key${key.id}`, { ok: t('tr.backup.restored') });
  });
}

// ---- drawing ----

const button = (label, onclick, { disabled = false, cls = 'primary' } = {}) =>
  h('button', { type: 'button', class: cls, disabled: disabled || ctx.busy > 0, onclick }, label);

function step(textKey, action, { gate = null, key = null } = {}) {
  return h('div', { class: 'step', 'data-step': textKey },
    h('p', { class: 'next' }, t(textKey)),
    gate ? backupBox(key, { need: true }) : null,
    action ? h('div', { class: 'row' }, button(t(`${textKey}.go`), action, { disabled: gate && !backedUp(key) })) : null);
}

const waiting = (textKey, key, flag) =>
  h('div', { class: 'step', 'data-step': textKey }, h('p', { class: 'next' }, t(textKey, { done: key.trustees.filter((x) => x[flag]).length, n: key.trustees.length })));

function sameCommitment(trustee, posted) {
  const mine = tr.commitmentOf(trustee);
  return posted && posted.box === mine.box && JSON.stringify(posted.commitments) === JSON.stringify(mine.commitments);
}

// The next thing this trustee does in the key's ceremony.
function nextStep(key, j) {
  const me = key.trustees[j - 1];
  if (key.state === 'failed') {
    const c = key.complaint || {};
    return h('p', { class: 'step complaint' }, t('tr.failed', { by: c.by, against: c.against, reason: c.reason }));
  }
  let mine = null;
  try {
    mine = trusteeOf(key);
  } catch (e) {
    return [h('p', { class: 'error' }, t('tr.backup.bad', { why: e.message })), backupBox(key, { need: false })];
  }
  if (key.state === 'complete') {
    const ok = mine?.x && tr.publicShareOf(mine).share === me.public_share?.share;
    return [h('p', { class: ok ? 'ok' : 'error', 'data-step': ok ? 'complete' : 'lost' }, t(ok ? 'tr.complete.ok' : 'tr.complete.lost')),
      ok ? null : backupBox(key, { need: false })];
  }
  if (!mine) {
    if (me.committed) return [h('p', { class: 'error', 'data-step': 'lost' }, t('tr.step.lost')), backupBox(key, { need: false })];
    return [step('tr.step.create', () => create(key)), backupBox(key, { need: false })];
  }
  if (me.committed && !sameCommitment(mine, me.commitment)) {
    return [h('p', { class: 'error' }, t('tr.step.mismatch')), backupBox(key, { need: false })];
  }
  if (!me.committed) return step('tr.step.commit', () => commit(key), { gate: true, key });
  if (key.state === 'committing') return waiting('tr.wait.commit', key, 'committed');
  if (!me.shared) return step('tr.step.share', () => share(key), { gate: true, key });
  if (key.state === 'sharing') return waiting('tr.wait.shares', key, 'shared');
  const complaint = ctx.notes.get(`key${key.id}`)?.complaint;
  if (complaint) {
    return h('div', { class: 'step complaint', 'data-step': 'complaint' },
      h('p', { class: 'next' }, t('tr.complaint', { from: complaint.from, why: complaint.message })),
      button(t('tr.complaint.go', { from: complaint.from }), () => complain(key, complaint), { cls: 'primary danger' }));
  }
  if (!me.ready && !mine.x) return step('tr.step.open', () => openShares(key));
  if (!me.ready) return step('tr.step.ready', () => ready(key), { gate: true, key });
  return waiting('tr.wait.ready', key, 'ready');
}

function keyCard(key) {
  const j = indexOf(key);
  const flags = (x) => (x.ready ? 'tr.t.ready' : x.shared ? 'tr.t.shared' : x.committed ? 'tr.t.committed' : 'tr.t.none');
  const n = ctx.notes.get(`key${key.id}`);
  return h('div', { class: 'key', 'data-key': key.id, 'data-state': key.state },
    h('h3', null, t('tr.key', { id: key.id, k: key.threshold, n: key.trustees.length, j }), ' · ', h('span', { class: 'state' }, t(`tr.state.${key.state}`))),
    h('ul', { class: 'trustees' }, key.trustees.map((x) =>
      h('li', { 'data-me': x.index === j ? '' : null }, `${x.index}. ${x.login}：`, h('span', { class: x.ready ? 'done' : null }, t(flags(x)))))),
    n?.ok ? h('p', { class: 'ok small', role: 'status' }, n.ok) : null,
    nextStep(key, j));
}

function draw() {
  const mine = ctx.keys.filter((k) => indexOf(k) > 0);
  fill($('#keys .body'), mine.length ? mine.map(keyCard) : h('p', { class: 'muted' }, t('tr.keys.none')));
  const waiting = votes.waitingVotes(page, mine, ctx.elections, ctx.polls);
  fill($('#elections .body'), waiting.length
    ? waiting.map(({ vote, key }) => votes.voteCard(page, vote, key))
    : h('p', { class: 'muted' }, t('tr.elections.none')));
  $('#work').dataset.ready = '';
}

// Reads the keys, elections and polls again; draws when something changed (or when told to), never in an
// action.
async function refresh(force = false) {
  try {
    const [keys, els, polls] = await Promise.all([get('/api/keys'), get('/api/elections'), get('/api/polls')]);
    const seen = JSON.stringify([keys, els, polls]);
    ctx.keys = keys.keys || [];
    ctx.elections = els.elections || [];
    ctx.polls = polls.polls || [];
    if ((force || seen !== ctx.seen) && !ctx.busy) {
      ctx.seen = seen;
      draw();
    }
  } catch (e) {
    showError($('#error'), e);
  }
}

// ---- login ----

function showLogin(message) {
  clearInterval(timer);
  $('#work').hidden = true;
  $('#login').hidden = false;
  $('#logout').hidden = true;
  fill($('#who'));
  showError($('#login-error'), message ? { text: () => message } : null);
  $('#login-form [name=name]').focus();
}

async function start(me) {
  if (me.role !== 'trustee') {
    await logout();
    showLogin(t('tr.login.nottrustee', { role: me.role }));
    return;
  }
  ctx.me = me;
  tr = await import('/lib/trustee.js');
  vmod = await import('/lib/verifiable.js');
  ctx.session = await get('/api/session');
  $('#login').hidden = true;
  $('#work').hidden = false;
  $('#logout').hidden = false;
  fill($('#who'), t('tr.who', { name: me.name }));
  await refresh(true);
  timer = setInterval(() => refresh(), 1500);
}

async function boot() {
  $('#lang-slot').replaceWith(langButton());
  startPage();
  onLang(() => {
    if (ctx.me) {
      fill($('#who'), t('tr.who', { name: ctx.me.name }));
      draw();
    }
  });
  $('#login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    try {
      await login({ name: f.get('name'), password: f.get('password') });
      await start(await whoami());
    } catch (err) {
      showError($('#login-error'), err);
    }
  });
  $('#logout').addEventListener('click', async () => {
    await logout();
    ctx.me = null;
    showLogin();
  });
  const me = await whoami().catch(() => null);
  if (me) await start(me);
  else showLogin();
}

boot();
