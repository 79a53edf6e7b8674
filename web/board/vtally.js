// vtally.js — the board's check of a verifiable election's or poll's count, in the browser (docs/verifiable.md
// §3, §8): every trustee's public share against the commitments, every partial decryption's proof against the
// public shares, and that k of them combine into exactly the numbers the count gives (web/lib/vview.js). The
// cryptography is loaded only when a verifiable vote is on the screen.

import { get } from '/lib/api.js';
import { addStrings } from '/lib/i18n.js';

addStrings({
  zh: {
    'vt.ballots': '公告板上的加密选票：{n} 张',
    'vt.checking': '正在核验计票…',
    'vt.ok': '计票已验证：{t} 位监票人的部分解密证明全部成立，解密结果与公布的票数一致。',
    'vt.bad': '计票验证未通过：{why}',
    'vt.waiting': '等待监票人解密（{done}/{k}）',
  },
  en: {
    'vt.ballots': 'Encrypted ballots on the board: {n}',
    'vt.checking': 'Checking the count…',
    'vt.ok': 'The count verifies: all {t} trustees’ partial decryptions prove correct, and they decrypt to the announced numbers.',
    'vt.bad': 'The count does not verify: {why}',
    'vt.waiting': 'Waiting for the trustees’ decryption ({done} of {k})',
  },
});

const checks = new Map(); /* kind, id and what the view counted → Promise of { ok, trustees, ms } or { ok: false, why } */

const path = (kind, id) => `/api/${kind === 'poll' ? 'polls' : 'elections'}/${id}`;

async function verify(kind, d) {
  const started = performance.now();
  const { checkTally } = await import('/lib/vview.js');
  const [key, tally] = await Promise.all([get(`/api/keys/${d.verifiable.key}`), get(`${path(kind, d.id)}/tally`)]);
  const { trustees } = checkTally(kind, d, key, tally);
  return { ok: true, trustees, ms: Math.round(performance.now() - started) };
}

// The check of a counted vote, once (and again if the board's view of its count changes).
export function tallyCheck(kind, d) {
  const counted = kind === 'poll' ? [d.yes, d.no, d.abstain] : d.result?.candidates || [];
  const id = `${kind}:${d.id}:${d.verifiable.decrypted_by?.length}:${JSON.stringify(counted)}`;
  if (!checks.has(id)) checks.set(id, verify(kind, d).catch((err) => ({ ok: false, why: err.message })));
  return checks.get(id);
}
