// vtally.js — the board's check of a verifiable election's count, in the browser (docs/verifiable.md §3, §8):
// every trustee's public share against the commitments, every partial decryption's proof against the public
// shares, and that k of them combine into exactly the numbers the count gives. The cryptography is loaded
// only when a verifiable election is on the screen.

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

const checks = new Map(); /* election id → Promise of { ok, trustees, ms } or { ok: false, why } */

// What the count says each aggregate decrypts to: yes + B·no for each listed candidate, in the order of the
// list, then the number of names written in.
function expected(e) {
  const B = e.verifiable.context.B;
  const counts = e.result?.candidates || [];
  const values = (e.candidates || []).map((c) => {
    const r = counts.find((x) => x.name === c.name && !x.write_in);
    if (!r) throw new Error(`${c.name}: no count`);
    return r.yes + B * r.no;
  });
  values.push(counts.filter((x) => x.write_in).reduce((n, x) => n + x.yes, 0));
  return values;
}

async function verify(e) {
  const started = performance.now();
  const [v, tr] = await Promise.all([import('/lib/verifiable.js'), import('/lib/trustee.js')]);
  const [key, tally] = await Promise.all([get(`/api/keys/${e.verifiable.key}`), get(`/api/elections/${e.id}/tally`)]);
  const logins = key.trustees.map((x) => x.login);
  const Qk = tr.ceremonyQk({ sessionId: e.verifiable.context.session, keyId: key.id, n: logins.length, k: key.threshold, logins });
  const As = key.trustees.map((x) => tr.commitmentFrom(Qk, x.index, key.threshold, x.commitment).A);
  const X = key.trustees.map((x) => tr.publicShareFrom(Qk, x.index, As, x.public_share));
  if (tally.Q !== e.verifiable.context.Q) throw new Error('Q');
  const Q = v.unb64(tally.Q, 'Q', 64);
  const Ds = tally.partials.map((p) => tr.checkPartials(X[p.trustee - 1], p.trustee, Q, tally.ciphertexts, p.partial));
  if (Ds.length < key.threshold) throw new Error(`${Ds.length} < ${key.threshold}`);
  const set = tally.partials.slice(0, key.threshold).map((p) => p.trustee);
  const M = tr.combine(tally.ciphertexts, set, Ds.slice(0, key.threshold));
  const want = expected(e);
  if (M.length !== want.length) throw new Error(`${M.length} ≠ ${want.length}`);
  M.forEach((m, i) => {
    if (!tr.encodes(m, want[i])) throw new Error(`${tally.ciphertexts[i].label} ≠ ${want[i]}`);
  });
  return { ok: true, trustees: Ds.length, ms: Math.round(performance.now() - started) };
}

// The check of election e, once per election (and again if the board's view of it changes).
export function tallyCheck(e) {
  const id = `${e.id}:${e.verifiable.decrypted_by?.length}:${JSON.stringify(e.result?.candidates || [])}`;
  if (!checks.has(id)) checks.set(id, verify(e).catch((err) => ({ ok: false, why: err.message })));
  return checks.get(id);
}
