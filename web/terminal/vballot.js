// vballot.js — the terminal's side of a verifiable election or poll (docs/verifiable.md §4–§7): the vote's
// context rebuilt from the key and checked against the board's Q, the ballot encrypted here, its code, the
// audit of a challenged ballot, and the check that a cast ballot's code is on the board.
//
// The cryptography (web/lib/verifiable.js, vview.js and the vendored libsodium) is loaded only when a
// verifiable vote is on the terminal, so a plain vote costs nothing more.

import { get } from '/lib/api.js';
import { h } from '/lib/dom.js';
import { addStrings, t } from '/lib/i18n.js';

addStrings({
  zh: {
    'vb.tag': '可验证选票',
    'vb.encrypting': '正在本终端加密选票…',
    'vb.code': '确认码',
    'vb.code.help': '请记下确认码。投出后可在公告板上核对；选择核验时，终端会公开这张选票的加密随机数，供另一台设备核对加密是否如实。',
    'vb.time': '加密用时 {ms} 毫秒',
    'vb.cast': '投出',
    'vb.challenge': '核验',
    'vb.audit.title': '核验：这张选票已作废，不会投出',
    'vb.audit.help': '下面是这张选票的全部加密随机数及其内容。请在另一台设备上核对（yishi verify --audit 文件），确认码应为 {code}。核对后，终端将用新的随机数重新加密，生成新的确认码。',
    'vb.audit.download': '下载核验文件',
    'vb.again': '重新加密',
    'vb.board.checking': '正在公告板上查找确认码…',
    'vb.board.ok': '已核对：确认码 {code} 在公告板上（共 {n} 张选票）。',
    'vb.board.missing': '公告板上没有确认码 {code}，请告知监票人。',
    'vb.q': '选票上下文与公告板不符（Q 不同），终端拒绝加密。请告知秘书处：{why}',
    'vb.key': '无法取得本次表决或选举的密钥：{why}',
    'vb.fail': '加密失败：{why}',
  },
  en: {
    'vb.tag': 'Verifiable ballot',
    'vb.encrypting': 'Encrypting the ballot on this terminal…',
    'vb.code': 'Confirmation code',
    'vb.code.help': 'Note the code. Once cast you can find it on the board; if you challenge instead, the terminal reveals this ballot’s randomness so that another device can check it encrypted what you chose.',
    'vb.time': 'Encrypted in {ms} ms',
    'vb.cast': 'Cast',
    'vb.challenge': 'Challenge',
    'vb.audit.title': 'Challenge: this ballot is spoilt and will not be cast',
    'vb.audit.help': 'Below are this ballot’s randomness and what it encrypts. Check it on another device (yishi verify --audit FILE); its code must be {code}. Then the terminal encrypts your choice again, with new randomness and a new code.',
    'vb.audit.download': 'Download the audit file',
    'vb.again': 'Encrypt again',
    'vb.board.checking': 'Looking for the code on the board…',
    'vb.board.ok': 'Checked: code {code} is on the board ({n} ballots).',
    'vb.board.missing': 'Code {code} is not on the board: tell the scrutineers.',
    'vb.q': 'The ballot’s context differs from the board’s (another Q): the terminal will not encrypt. Tell the secretariat: {why}',
    'vb.key': 'The key of this vote could not be read: {why}',
    'vb.fail': 'Encryption failed: {why}',
  },
});

let lib = null;
const library = async () => (lib ||= await import('/lib/verifiable.js'));
const path = (kind, id) => `/api/${kind === 'poll' ? 'polls' : 'elections'}/${id}`;

// An error the delegate reads, in the page's language.
class BallotError extends Error {
  constructor(key, why) {
    super(t(key, { why }));
    this.key = key;
  }

  text() {
    return this.message;
  }
}

export const isVerifiable = (data) => !!data?.verifiable;

// The vote's context (§4) rebuilt from the key's record and the election's list or the poll's question, and
// checked against the Q the open event recorded (vview.js): a terminal that would encrypt under another
// context refuses here.
export async function voteOf(kind, data) {
  if (!data.verifiable.context) throw new BallotError('vb.key', 'no context before the open');
  let key;
  try {
    key = await get(`/api/keys/${data.verifiable.key}`);
  } catch (e) {
    throw new BallotError('vb.key', e.text ? e.text() : String(e));
  }
  const { voteFrom } = await import('/lib/vview.js');
  try {
    return voteFrom(kind, data, key);
  } catch (e) {
    throw new BallotError(e.where === 'Q' ? 'vb.q' : 'vb.key', e.message);
  }
}

// The delegate's marks (a Map of name → 'yes' | 'no'; a poll's one mark under its question) and write-ins
// encrypted for voter: { sealed, audit, code (base64), display, ms }.
export async function sealFor(vote, voter, marks, writeIns) {
  const v = await library();
  const started = performance.now();
  let sealed;
  try {
    const choice = v.choiceFrom(vote, vote.names.map((n) => marks.get(n) || 'abstain'), writeIns);
    sealed = v.encryptBallot(vote, voter, choice, v.systemRng);
  } catch (e) {
    throw new BallotError('vb.fail', e.message);
  }
  const ms = Math.round(performance.now() - started);
  return { ballot: sealed.ballot, audit: v.auditOf(voter, sealed), code: v.b64(sealed.code), display: v.codeText(sealed.code), ms };
}

export function codeCard(s) {
  return h('div', { class: 'vcode' },
    h('p', { class: 'kicker' }, t('vb.code')),
    h('p', { class: 'code num', 'data-code': s.code }, s.display),
    h('p', { class: 'muted small' }, t('vb.code.help')),
    h('p', { class: 'muted small vtime', 'data-ms': s.ms }, t('vb.time', { ms: s.ms })));
}

// A challenged ballot's audit: shown as text and offered as a file, for another device to check.
export function auditView(s, kind, id) {
  const text = JSON.stringify(s.audit, null, 2);
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  return h('div', { class: 'audit' },
    h('h3', null, t('vb.audit.title')),
    h('p', { class: 'muted small' }, t('vb.audit.help', { code: s.display })),
    h('p', { class: 'code num' }, s.display),
    h('a', { class: 'download', href: url, download: `audit-${kind}-${id}-${s.display}.json` }, t('vb.audit.download')),
    h('pre', { class: 'audit-text', tabindex: '0' }, text));
}

// Whether the cast ballot's code is on the board (GET /api/elections/{id}/codes or /api/polls/{id}/codes),
// written into `out`.
export async function checkBoard(kind, id, r, out) {
  out.dataset.state = 'checking';
  out.textContent = t('vb.board.checking');
  try {
    const board = await get(`${path(kind, id)}/codes`);
    const there = (board.codes || []).includes(r.code);
    out.dataset.state = there ? 'ok' : 'bad';
    out.textContent = t(there ? 'vb.board.ok' : 'vb.board.missing', { code: r.display, n: (board.codes || []).length });
  } catch (e) {
    out.dataset.state = 'bad';
    out.textContent = e.text ? e.text() : String(e);
  }
}
