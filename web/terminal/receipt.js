// receipt.js — a delegate's receipt for a vote or a ballot: the seq and hash of the event that recorded it,
// kept for this tab's login (never the choice), shown, and checked against the server's hash chain.

import { get } from '/lib/api.js';
import { h } from '/lib/dom.js';
import { addStrings, t } from '/lib/i18n.js';
import { fmtTime } from '/lib/ui.js';

addStrings({
  zh: {
    'receipt.title': '投票回执',
    'receipt.counted': '您的表决已记录，计入已投票人数。',
    'receipt.counted.election': '您的选票已投入票箱，计入收回选票。',
    'receipt.seq': '序号',
    'receipt.hash': '哈希',
    'receipt.time': '时间',
    'receipt.check': '核对回执',
    'receipt.checking': '正在核对…',
    'receipt.ok': '已核对：该记录在会议日志的哈希链中，序号与哈希一致。',
    'receipt.bad': '核对未通过：{why}',
    'receipt.keep': '请记下序号和哈希前几位，可随时核对。选票内容不会保存在本终端。',
  },
  en: {
    'receipt.title': 'Receipt',
    'receipt.counted': 'Your vote is recorded and counted as cast.',
    'receipt.counted.election': 'Your ballot is in the ballot box and counted as returned.',
    'receipt.seq': 'Seq',
    'receipt.hash': 'Hash',
    'receipt.time': 'Time',
    'receipt.check': 'Check the receipt',
    'receipt.checking': 'Checking…',
    'receipt.ok': 'Checked: this record is in the session’s hash chain, with this seq and hash.',
    'receipt.bad': 'The check failed: {why}',
    'receipt.keep': 'Note the seq and the first characters of the hash to check it later. Your choice is not kept on this terminal.',
  },
});

const KEY = 'yishi.receipts';

function all() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) || '{}') || {};
  } catch {
    return {};
  }
}

// The receipt this login holds for a vote ('poll', 8), or null.
export function receiptFor(actor, kind, id) {
  return all()[actor]?.[`${kind}:${id}`] || null;
}

// Keeps { seq, hash, time } (and a verifiable ballot's code) for this tab: a reload still shows that the
// delegate has voted.
export function keepReceipt(actor, kind, id, r) {
  const a = all();
  a[actor] = { ...(a[actor] || {}), [`${kind}:${id}`]: { seq: r.seq, hash: r.hash, time: r.time, code: r.code, display: r.display } };
  try {
    sessionStorage.setItem(KEY, JSON.stringify(a));
  } catch {
    /* not kept: shown until the page is left */
  }
}

export function forgetReceipts() {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    /* nothing kept */
  }
}

// Asks the server whether (seq, hash) is in its chain (GET /api/receipts/{seq}): 'ok' only when the event
// at seq has this hash and the chain from it to the head holds; else 'bad' with the reason.
export async function checkReceipt(r) {
  try {
    const ans = await get(`/api/receipts/${encodeURIComponent(r.seq)}?hash=${encodeURIComponent(r.hash)}`);
    if (ans && ans.in_chain === true && ans.seq === r.seq && ans.hash === r.hash) return { state: 'ok', answer: ans };
    return { state: 'bad', why: ans?.reason || '' };
  } catch (e) {
    return { state: 'bad', why: e.text() };
  }
}

// The receipt as shown: what it means, seq, hash in groups a person can read out, time, and the check.
export function receiptCard(r, { election = false } = {}) {
  const out = h('p', { class: 'receipt-check', role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'check' }, t('receipt.check'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    out.textContent = t('receipt.checking');
    const res = await checkReceipt(r);
    button.disabled = false;
    out.dataset.state = res.state;
    if (res.state === 'ok') out.textContent = t('receipt.ok');
    else out.textContent = t('receipt.bad', { why: res.why });
  });
  return h('div', { class: 'receipt', 'data-seq': r.seq },
    h('p', { class: 'counted' }, '✓ ', t(election ? 'receipt.counted.election' : 'receipt.counted')),
    h('dl', null,
      h('dt', t('receipt.seq')), h('dd', { class: 'num seq' }, String(r.seq)),
      h('dt', t('receipt.hash')), h('dd', { class: 'hash' }, groups(r.hash)),
      r.time ? [h('dt', t('receipt.time')), h('dd', { class: 'num' }, fmtTime(r.time))] : null),
    h('p', { class: 'muted small' }, t('receipt.keep')),
    button,
    out);
}

// A hash in groups of eight, so that it can be read out and compared.
function groups(hash) {
  return String(hash || '').match(/.{1,8}/g)?.join(' ') || '';
}
