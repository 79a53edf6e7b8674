// trustee.js — a trustee's side of the verifiable ballots (docs/verifiable.md §3, §8), as src/crypto/trustee.c
// makes it byte for byte: its polynomial and box key, its commitment, the shares it seals and opens, its share
// of the key, its backup, and partial decryptions; and what a checker does with them (proofs, combination).
//
// A trustee is a plain object holding its secrets as Uint8Array scalars; it lives on the trustee's device
// (the trustee page keeps it in the browser and in a backup file) and is never sent anywhere.
import sodium from '../vendor/libsodium/libsodium-wrappers.mjs';
import {
  G, Hash, TestRng, VerifiableError, arrayOf, at, b64, cpFrom, cpJson, cpProve, cpVerify, ctFrom, equal,
  exactKeys, add, sub, mul, mulBase, pointFrom, refuse, sAdd, sMul, sSum, scalarFrom, scalarOf, schnorrFrom,
  schnorrJson, schnorrProve, schnorrVerify, small, systemRng, unb64, wipe,
} from './verifiable.js';

export const SHARE_PLAIN = 112; // u64(i) ‖ u64(j) ‖ Qk ‖ fᵢ(j)
export const SHARE_SEALED = SHARE_PLAIN + sodium.crypto_box_SEALBYTES;

// A share that fails to open or to match its sender's commitments: the complaint names the sender.
export class Complaint extends VerifiableError {
  constructor(from, where, why) {
    super(where, why);
    this.name = 'Complaint';
    this.from = from;
  }
}

// ---- the ceremony's parameters: { sessionId, keyId, n, k, logins } ----

export function ceremonyQk(p) {
  if (!/^[0-9a-f]{64}$/.test(p.sessionId)) refuse('session_id', 'a session id is 64 lowercase hex digits');
  if (!(p.k >= 1 && p.k <= p.n && p.n <= 32) || p.logins.length !== p.n) refuse('k', `a ceremony needs 1 ≤ k ≤ n ≤ 32 (n = ${p.n}, k = ${p.k})`);
  const h = new Hash('yishi-v1/key').text(p.sessionId).u64(p.keyId).u64(p.n).u64(p.k);
  for (const login of p.logins) h.text(login);
  return h.digest();
}

const coefContext = (Qk, i, m) => new Hash('yishi-v1/coef').bytes(Qk).u64(i).u64(m);
const shareContext = (Qk, j) => new Hash('yishi-v1/share').bytes(Qk).u64(j);
export const decryptContext = (Q, j, label) => new Hash('yishi-v1/decrypt').bytes(Q).u64(j).text(label);

const u64Bytes = (n) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n));
  return b;
};
const u64At = (b, off) => Number(new DataView(b.buffer, b.byteOffset + off, 8).getBigUint64(0));

// fᵢ(j) = Σ_m aᵢ,ₘ·jᵐ by Horner, in scalar arithmetic.
function polyEval(a, j) {
  const js = scalarOf(j);
  let f = a[a.length - 1].slice();
  for (let m = a.length - 2; m >= 0; m--) f = sAdd(sMul(f, js), a[m]);
  return f;
}

// Σ_m jᵐ·Aₘ: what fᵢ(j)·G must be, from trustee i's commitments.
export function commitmentsAt(A, j) {
  const js = scalarOf(j);
  let P = A[A.length - 1];
  for (let m = A.length - 2; m >= 0; m--) P = add(mul(P, js), A[m]);
  return P;
}

// ---- a trustee ----

function params(p) {
  return { sessionId: p.sessionId, keyId: p.keyId, n: p.n, k: p.k, logins: p.logins.slice() };
}

function derive(t) {
  t.A = t.a.map(mulBase);
  t.got[t.index - 1] = polyEval(t.a, t.index);
}

// Trustee `index` of the ceremony p: a fresh polynomial and box key pair. With a TestRng (§13) the box key is
// seeded from H("yishi-test/box"; seed bytes), as the C code's test trustees are.
export function createTrustee(p, index, rng = systemRng) {
  if (!(index >= 1 && index <= p.n)) refuse('index', `no trustee ${index} in a ceremony of ${p.n}`);
  const t = { ...params(p), Qk: ceremonyQk(p), index, rng, got: new Array(p.n).fill(null), x: null };
  const box = rng instanceof TestRng
    ? sodium.crypto_box_seed_keypair(new Hash('yishi-test/box').bytes(rng.seed).digest().slice(0, 32))
    : sodium.crypto_box_keypair();
  t.boxPk = box.publicKey;
  t.boxSk = box.privateKey;
  t.a = [];
  for (let m = 0; m < p.k; m++) t.a.push(rng.scalar());
  derive(t);
  t.proofs = t.a.map((a, m) => schnorrProve(coefContext(t.Qk, index, m), G, t.A[m], a, rng));
  return t;
}

export function wipeTrustee(t) {
  for (const s of [...t.a, ...t.got.filter(Boolean), t.boxSk, t.x].filter(Boolean)) wipe(s);
}

// { "commitments": [A₀…Aₖ₋₁], "proofs": [π₀…], "box": its box public key }
export function commitmentOf(t) {
  return { commitments: t.A.map(b64), proofs: t.proofs.map(schnorrJson), box: b64(t.boxPk) };
}

// Trustee i's commitment message checked whole (as the board checks it): { A, box }.
export function commitmentFrom(Qk, i, k, msg, where = `trustee ${i}`) {
  exactKeys(msg, ['commitments', 'proofs', 'box'], where);
  const A = arrayOf(msg.commitments, k, at(where, 'commitments')).map((x, m) => pointFrom(x, `${where}.commitments[${m}]`));
  arrayOf(msg.proofs, k, at(where, 'proofs')).forEach((pj, m) => {
    const w = `${where}.proofs[${m}]`;
    if (!schnorrVerify(schnorrFrom(pj, w), coefContext(Qk, i, m), G, A[m])) refuse(w, `the proof of coefficient ${m} does not verify`);
  });
  return { A, box: unb64(msg.box, at(where, 'box')) };
}

function sharePlain(t, j) {
  const plain = new Uint8Array(SHARE_PLAIN);
  plain.set(u64Bytes(t.index), 0);
  plain.set(u64Bytes(j), 8);
  plain.set(t.Qk, 16);
  const f = polyEval(t.a, j);
  plain.set(f, 80);
  wipe(f);
  return plain;
}
export { sharePlain as sharePlaintext };

// [ { "to": j, "sealed": base64 }, … ] for each j ≠ index; boxes[j − 1] is trustee j's box public key.
export function sealShares(t, boxes) {
  const out = [];
  for (let j = 1; j <= t.n; j++) {
    if (j === t.index) continue;
    const plain = sharePlain(t, j);
    out.push({ to: j, sealed: b64(sodium.crypto_box_seal(plain, boxes[j - 1])) });
    wipe(plain);
  }
  return out;
}

// Opens the share trustee `from` sealed to this one (its whole shares message) and checks it against from's
// commitments A. A failure is a Complaint naming `from`; a success records fᵢ(j).
export function openShare(t, from, A, shares) {
  if (!(from >= 1 && from <= t.n) || from === t.index) refuse('from', `no share is expected from trustee ${from}`);
  const who = `trustee ${from} (${t.logins[from - 1]})`;
  if (!Array.isArray(shares)) throw new Complaint(from, 'shares', `${who}'s shares are not an array`);
  const entry = shares.find((e) => e && e.to === t.index);
  if (!entry) throw new Complaint(from, 'shares', `${who} sent no share to trustee ${t.index}`);
  let plain;
  try {
    plain = sodium.crypto_box_seal_open(unb64(entry.sealed, 'sealed', SHARE_SEALED), t.boxPk, t.boxSk);
  } catch (e) {
    if (e instanceof VerifiableError) throw new Complaint(from, 'sealed', `${who}'s share to trustee ${t.index} is not ${SHARE_SEALED} bytes in base64`);
    throw new Complaint(from, 'sealed', `${who}'s share does not open with trustee ${t.index}'s box key`);
  }
  try {
    let f;
    try {
      f = scalarFrom(b64(plain.slice(80)), 'sealed');
    } catch { /* the text's form is refused below */ }
    if (plain.length !== SHARE_PLAIN || u64At(plain, 0) !== from || u64At(plain, 8) !== t.index || !equal(plain.slice(16, 80), t.Qk) || !f) {
      throw new Complaint(from, 'sealed', `${who}'s share is not u64(${from}) ‖ u64(${t.index}) ‖ Qk ‖ a scalar`);
    }
    if (!equal(mulBase(f), commitmentsAt(A, t.index))) {
      wipe(f);
      throw new Complaint(from, 'from', `complaint: ${who}'s share to trustee ${t.index} does not match its commitments`);
    }
    t.got[from - 1] = f;
  } finally {
    wipe(plain);
  }
}

function shareKey(t) {
  const missing = t.got.findIndex((g) => !g);
  if (missing >= 0) refuse('shares', `trustee ${t.index} has no share from trustee ${missing + 1} yet`);
  t.x = sSum(t.got);
  t.X = mulBase(t.x);
}

// Once every other trustee's share is open: xⱼ, and { "share": Xⱼ, "proof": π } (made once, then kept).
export function publicShareOf(t) {
  if (!t.x) {
    shareKey(t);
    t.xProof = schnorrProve(shareContext(t.Qk, t.index), G, t.X, t.x, t.rng);
  }
  return { share: b64(t.X), proof: schnorrJson(t.xProof) };
}

// Trustee j's public share message checked against every trustee's commitments (As[i − 1] = Aᵢ): Xⱼ.
export function publicShareFrom(Qk, j, As, msg, where = `trustee ${j}`) {
  exactKeys(msg, ['share', 'proof'], where);
  const X = pointFrom(msg.share, at(where, 'share'));
  if (!schnorrVerify(schnorrFrom(msg.proof, at(where, 'proof')), shareContext(Qk, j), G, X)) refuse(at(where, 'proof'), `the proof of trustee ${j}'s share does not verify`);
  const want = As.reduce((P, A) => add(P, commitmentsAt(A, j)), mulBase(new Uint8Array(32)));
  if (!equal(X, want)) refuse(at(where, 'share'), `trustee ${j}'s public share does not match the commitments`);
  return X;
}

// ---- the backup: the JSON ys_vtrustee_backup writes, field for field ----

export function backupOf(t) {
  return {
    session_id: t.sessionId, key_id: t.keyId, n: t.n, k: t.k, logins: t.logins.slice(), index: t.index,
    coefficients: t.a.map(b64), proofs: t.proofs.map(schnorrJson), box_secret: b64(t.boxSk),
    received: t.got.map((g) => (g ? b64(g) : null)), share_proof: t.x ? schnorrJson(t.xProof) : null,
  };
}

// A backup of trustee `index` of the ceremony p (refused when it is another ceremony's or trustee's).
export function restoreTrustee(p, index, b) {
  if (typeof b !== 'object' || b === null || Array.isArray(b)) refuse('backup', "a trustee's backup is a JSON object");
  if (!Array.isArray(b.logins) || b.logins.length > 32) refuse('logins', "the backup's logins are not an array of at most 32");
  if (!Number.isSafeInteger(b.key_id) || b.key_id < 0 || b.n !== b.logins.length || !(b.k >= 1 && b.k <= b.n)) refuse('backup', "the backup's key_id, n or k is not valid");
  const theirs = { sessionId: b.session_id, keyId: b.key_id, n: b.n, k: b.k, logins: b.logins };
  if (!equal(ceremonyQk(theirs), ceremonyQk(p))) refuse('backup', `the backup is of another ceremony (session ${String(b.session_id).slice(0, 12)}…, key ${b.key_id})`);
  if (b.index !== index) refuse('index', `the backup is trustee ${b.index}'s, not trustee ${index}'s`);
  if (!Array.isArray(b.coefficients) || b.coefficients.length !== p.k || !Array.isArray(b.proofs) || b.proofs.length !== p.k || !Array.isArray(b.received) || b.received.length !== p.n) {
    refuse('backup', "the backup's coefficients, proofs or received shares are missing");
  }
  const t = { ...params(p), Qk: ceremonyQk(p), index, rng: systemRng, got: new Array(p.n).fill(null), x: null };
  t.a = b.coefficients.map((c, m) => scalarFrom(c, `coefficients[${m}]`));
  t.proofs = b.proofs.map((pr, m) => schnorrFrom(pr, `proofs[${m}]`));
  t.boxSk = unb64(b.box_secret, 'box_secret');
  t.boxPk = sodium.crypto_scalarmult_base(t.boxSk);
  derive(t);
  b.received.forEach((g, m) => {
    if (g !== null && m + 1 !== index) t.got[m] = scalarFrom(g, `received[${m}]`);
  });
  if (b.share_proof !== null) {
    t.xProof = schnorrFrom(b.share_proof, 'share_proof');
    shareKey(t);
  }
  return t;
}

// ---- §8 partial decryption, its check and the combination ----

// What is decrypted in one phase: [ { label, ct: [α, β] }, … ] → [ { label, ct } ] with decoded points.
export function ciphertextsFrom(cts, where = 'cts') {
  if (!Array.isArray(cts)) refuse(where, 'what is decrypted is an array of { label, ct }');
  return cts.map((c, i) => {
    exactKeys(c, ['label', 'ct'], `${where}[${i}]`);
    if (typeof c.label !== 'string') refuse(`${where}[${i}].label`, 'a label is a text');
    return { label: c.label, ct: ctFrom(c.ct, `${where}[${i}].ct`) };
  });
}

// Trustee t's partial decryptions of cts (JSON): [ { "d": Dⱼ, "proof": { a, b, s } }, … ].
export function decryptPartials(t, Q, cts) {
  if (!t.x) refuse('share', `trustee ${t.index} has no share of the key yet`);
  return ciphertextsFrom(cts).map(({ label, ct }) => {
    const D = mul(ct[0], t.x);
    return { d: b64(D), proof: cpJson(cpProve(decryptContext(Q, t.index, label), t.X, ct[0], D, t.x, t.rng)) };
  });
}

// Trustee j's partial decryptions checked against its public share Xⱼ: the Dⱼ, or a refusal naming partial[i].
export function checkPartials(X, j, Q, cts, partial, where = `trustee ${j}`) {
  const list = ciphertextsFrom(cts);
  arrayOf(partial, list.length, at(where, 'partial'));
  return list.map(({ label, ct }, i) => {
    const w = `${where}.partial[${i}]`;
    exactKeys(partial[i], ['d', 'proof'], w);
    const D = pointFrom(partial[i].d, at(w, 'd'));
    if (!cpVerify(cpFrom(partial[i].proof, at(w, 'proof')), decryptContext(Q, j, label), X, ct[0], D)) {
      refuse(w, `trustee ${j}: the partial decryption of ${label} does not verify`);
    }
    return D;
  });
}

// λⱼ = Π_{m ≠ j} m / (m − j) mod q over the set `trustees`.
export function lagrange(trustees, at_) {
  let num = scalarOf(1), den = scalarOf(1);
  trustees.forEach((m, i) => {
    if (i === at_) return;
    num = sMul(num, scalarOf(m));
    den = sMul(den, sodium.crypto_core_ristretto255_scalar_sub(scalarOf(m), scalarOf(trustees[at_])));
  });
  return sMul(num, sodium.crypto_core_ristretto255_scalar_invert(den));
}

// M = β − Σ λⱼ·Dⱼ for each ciphertext; Ds[t][i] is trustee trustees[t]'s Dⱼ of ciphertext i.
export function combine(cts, trustees, Ds) {
  const lambdas = trustees.map((_, t) => lagrange(trustees, t));
  return ciphertextsFrom(cts).map(({ ct }, i) => Ds.reduce((M, D, t) => sub(M, mul(D[i], lambdas[t])), ct[1]));
}

// Whether M = v·G: a checker that is told the count need not search for the logarithm.
export const encodes = (M, v) => equal(M, small(v));
