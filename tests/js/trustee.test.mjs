// trustee.test.mjs — web/lib/trustee.js against tests/vectors/keys.json (made by the C code, gen_keys.c): every
// commitment, share plaintext, public share, backup and partial decryption reproduced byte for byte from its
// seed, the C code's backups restored, and each failure named (a complaint names the sender).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as v from '../../web/lib/verifiable.js';
import * as tr from '../../web/lib/trustee.js';

const vectors = JSON.parse(readFileSync(new URL('../vectors/keys.json', import.meta.url)));
const cer = vectors.ceremony;
const P = { sessionId: cer.session_id, keyId: cer.key_id, n: cer.n, k: cer.k, logins: cer.logins };
const Qk = tr.ceremonyQk(P);

function refused(f, where, Kind = v.VerifiableError) {
  assert.throws(f, (e) => {
    assert.ok(e instanceof Kind, e.stack);
    assert.ok(e.where.startsWith(where), `refused at ${e.where}, wanted ${where}`);
    return true;
  });
}

// The three trustees from their seeds, through the whole ceremony with real sealed shares.
function ceremony() {
  const ts = cer.trustees.map((t) => tr.createTrustee(P, t.index, new v.TestRng(t.seed)));
  const coms = ts.map((t) => tr.commitmentFrom(Qk, t.index, P.k, tr.commitmentOf(t)));
  const sealed = ts.map((t) => tr.sealShares(t, coms.map((c) => c.box)));
  for (const t of ts) for (const s of ts) if (s !== t) tr.openShare(t, s.index, coms[s.index - 1].A, sealed[s.index - 1]);
  const pubs = ts.map((t) => tr.publicShareOf(t));
  return { ts, coms, sealed, pubs };
}

test('the ceremony: Qk, commitments, share plaintexts, public shares and K as the C code makes them', () => {
  assert.equal(v.b64(Qk), cer.qk);
  const { ts, coms, sealed, pubs } = ceremony();
  ts.forEach((t, i) => {
    const want = cer.trustees[i];
    assert.deepEqual(tr.commitmentOf(t), want.commitment);
    assert.deepEqual(want.share_plaintexts.map((s) => ({ to: s.to, plain: v.b64(tr.sharePlaintext(t, s.to)) })), want.share_plaintexts);
    assert.deepEqual(pubs[i], want.public_share);
    assert.equal(sealed[i].length, 2);
    for (const s of sealed[i]) assert.equal(v.unb64(s.sealed, 'sealed', tr.SHARE_SEALED).length, 160);
    const X = tr.publicShareFrom(Qk, t.index, coms.map((c) => c.A), want.public_share);
    assert.equal(v.b64(X), want.public_share.share);
  });
  assert.equal(v.b64(coms.reduce((K, c) => v.add(K, c.A[0]), v.IDENTITY)), cer.key);
});

test('backups: the same JSON as ys_vtrustee_backup, and the C code\'s backups restored', () => {
  const { ts } = ceremony();
  ts.forEach((t, i) => {
    const want = cer.trustees[i].backup;
    assert.equal(JSON.stringify(tr.backupOf(t)), JSON.stringify(want), 'field for field, in the same order');
    const back = tr.restoreTrustee(P, t.index, JSON.parse(JSON.stringify(want)));
    assert.deepEqual(tr.backupOf(back), want);
    assert.deepEqual(tr.publicShareOf(back), cer.trustees[i].public_share);
    assert.deepEqual(tr.commitmentOf(back), cer.trustees[i].commitment);
  });
  const b = cer.trustees[0].backup;
  refused(() => tr.restoreTrustee(P, 2, b), 'index');
  refused(() => tr.restoreTrustee({ ...P, keyId: 2 }, 1, b), 'backup');
  refused(() => tr.restoreTrustee(P, 1, { ...b, coefficients: b.coefficients.slice(1) }), 'backup');
  refused(() => tr.restoreTrustee(P, 1, { ...b, box_secret: 'x' }), 'box_secret');
  refused(() => tr.restoreTrustee(P, 1, { ...b, received: [b.received[0], 'AAAA', b.received[2]] }), 'received[1]');
  // A backup made before the shares were opened restores to a trustee that has only its own share.
  const early = tr.createTrustee(P, 2, new v.TestRng('keys/trustee/2'));
  const restored = tr.restoreTrustee(P, 2, tr.backupOf(early));
  assert.deepEqual(tr.backupOf(restored).received.map((r) => r !== null), [false, true, false]);
  refused(() => tr.publicShareOf(restored), 'shares');
});

test('partial decryptions of trustees 1 and 3, their checks and the combination', () => {
  const { ts } = ceremony();
  const dec = vectors.decryption;
  const Q = v.unb64(dec.q, 'q', 64);
  const Ds = dec.partials.map(({ trustee, partial }) => {
    assert.deepEqual(tr.decryptPartials(ts[trustee - 1], Q, dec.cts), partial);
    return tr.checkPartials(v.pointFrom(cer.trustees[trustee - 1].public_share.share), trustee, Q, dec.cts, partial);
  });
  const M = tr.combine(dec.cts, [1, 3], Ds);
  assert.deepEqual(M.map(v.b64), dec.combined);
  M.forEach((m, i) => assert.ok(tr.encodes(m, dec.values[i])));
  assert.ok(!tr.encodes(M[1], 2));
  // Any two trustees give the same plaintexts; the decryption is of the key, not of a set.
  const D2 = tr.checkPartials(ts[1].X, 2, Q, dec.cts, tr.decryptPartials(ts[1], Q, dec.cts));
  assert.deepEqual(tr.combine(dec.cts, [2, 1], [D2, Ds[0]]).map(v.b64), dec.combined);
  // Each value of a partial decryption changed is refused, naming it.
  const X1 = ts[0].X;
  const part = dec.partials[0].partial;
  part.forEach((p, i) => {
    for (const k of ['d']) refused(() => tr.checkPartials(X1, 1, Q, dec.cts, part.map((q, n) => (n === i ? { ...q, [k]: v.b64(v.add(v.pointFrom(q[k]), v.G)) } : q))), `trustee 1.partial[${i}]`);
    for (const k of ['a', 'b']) refused(() => tr.checkPartials(X1, 1, Q, dec.cts, part.map((q, n) => (n === i ? { ...q, proof: { ...q.proof, [k]: v.b64(v.add(v.pointFrom(q.proof[k]), v.G)) } } : q))), `trustee 1.partial[${i}]`);
  });
  refused(() => tr.checkPartials(ts[1].X, 2, Q, dec.cts, part), 'trustee 2.partial[0]');
  refused(() => tr.checkPartials(X1, 1, Q, dec.cts, part.slice(1)), 'trustee 1.partial');
});

test('a share that does not open or does not match is a complaint naming its sender', () => {
  const ts = [1, 2, 3].map((i) => tr.createTrustee(P, i, new v.TestRng(`keys/trustee/${i}`)));
  const coms = ts.map((t) => tr.commitmentFrom(Qk, t.index, P.k, tr.commitmentOf(t)));
  const boxes = coms.map((c) => c.box);
  const good = tr.sealShares(ts[1], boxes);
  const complaint = (f, where) => refused(f, where, tr.Complaint);
  // Sealed to another trustee's box.
  const wrongBox = tr.sealShares(ts[1], [boxes[2], boxes[1], boxes[2]]);
  complaint(() => tr.openShare(ts[0], 2, coms[1].A, wrongBox), 'sealed');
  // Missing, or not base64 of 160 bytes.
  complaint(() => tr.openShare(ts[0], 2, coms[1].A, good.filter((e) => e.to !== 1)), 'shares');
  complaint(() => tr.openShare(ts[0], 2, coms[1].A, [{ to: 1, sealed: 'AAAA' }, good[1]]), 'sealed');
  // Checked against another trustee's commitments: it does not match.
  complaint(() => tr.openShare(ts[0], 2, coms[2].A, good), 'from');
  try {
    tr.openShare(ts[0], 2, coms[2].A, good);
  } catch (e) {
    assert.equal(e.from, 2);
    assert.match(e.message, /trustee 2 \(li\.na\)'s share to trustee 1 does not match/);
  }
  // A share sealed by trustee 3 but labelled as trustee 2's: its text does not begin u64(2).
  complaint(() => tr.openShare(ts[0], 2, coms[1].A, tr.sealShares(ts[2], boxes)), 'sealed');
  tr.openShare(ts[0], 2, coms[1].A, good);
  refused(() => tr.publicShareOf(ts[0]), 'shares');
  // A commitment whose proof does not hold is refused before anything is sealed to it.
  const bad = tr.commitmentOf(ts[2]);
  bad.proofs[1] = { ...bad.proofs[1], s: bad.proofs[0].s };
  refused(() => tr.commitmentFrom(Qk, 3, P.k, bad), 'trustee 3.proofs[1]');
  refused(() => tr.commitmentFrom(Qk, 2, P.k, tr.commitmentOf(ts[2])), 'trustee 2.proofs[0]');
});
