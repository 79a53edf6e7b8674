// verifiable.js — the pages' side of the verifiable ballots (docs/verifiable.md §1, §2, §4–§6, §8, §9, §13):
// ristretto255 through the vendored libsodium, the hash, the proofs, a vote's context, a ballot and its audit,
// the write-ins' shuffle and its proof, and a trustee's sums of the board.
//
// Points and scalars are their 32-byte encodings (Uint8Array), as libsodium's ristretto255 API takes them; a
// ciphertext is [α, β]. Everything a verifier refuses is thrown as a VerifiableError naming where it was
// found ("marks/3/proof"), the way the C verifier names the first thing that does not hold.
import sodium from '../vendor/libsodium/libsodium-wrappers.mjs';

// The ESM build of libsodium.js is WebAssembly only: it fails here rather than fall back to asm.js.
await sodium.ready;

const utf8 = new TextEncoder();

export class VerifiableError extends Error {
  constructor(where, why) {
    super(`${where}: ${why}`);
    this.name = 'VerifiableError';
    this.where = where;
  }
}

export function refuse(where, why) {
  throw new VerifiableError(where, why);
}

// A field's path as the C verifier names it, 0-based as in the JSON: marks[3].proof, no.range.proofs[2].
export const at = (base, key) => (typeof key === 'number' ? `${base}[${key}]` : base ? `${base}.${key}` : key);

// ---- §1 the group and its encodings ----

export const BYTES = 32;
export const IDENTITY = new Uint8Array(BYTES);

// q = 2^252 + 27742317777372353535851937790883648493, little-endian, for the canonical check of scalars.
const Q_LE = sodium.from_hex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');

export function scalarOf(n) {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a small non-negative integer: ${n}`);
  const s = new Uint8Array(BYTES);
  for (let i = 0, x = BigInt(n); x > 0n; i++, x >>= 8n) s[i] = Number(x & 0xffn);
  return s;
}

export const G = sodium.crypto_scalarmult_ristretto255_base(scalarOf(1));

export function equal(a, b) {
  return a.length === b.length && sodium.memcmp(a, b);
}

export const add = (p, q) => sodium.crypto_core_ristretto255_add(p, q);
export const sub = (p, q) => sodium.crypto_core_ristretto255_sub(p, q);

// libsodium refuses to return the identity from a multiplication (it guards X25519-style protocols); here a
// zero scalar (an encryption of 0 has v·G = O) or the identity is an ordinary value. In a group of prime
// order nothing else multiplies to O, so these two cases are all there is.
export function mulBase(s) {
  return sodium.is_zero(s) ? IDENTITY.slice() : sodium.crypto_scalarmult_ristretto255_base(s);
}

export function mul(p, s) {
  if (equal(p, G)) return mulBase(s);
  return sodium.is_zero(s) || sodium.is_zero(p) ? IDENTITY.slice() : sodium.crypto_scalarmult_ristretto255(s, p);
}

export const sAdd = (a, b) => sodium.crypto_core_ristretto255_scalar_add(a, b);
export const sSub = (a, b) => sodium.crypto_core_ristretto255_scalar_sub(a, b);
export const sMul = (a, b) => sodium.crypto_core_ristretto255_scalar_mul(a, b);
export const reduce = (bytes64) => sodium.crypto_core_ristretto255_scalar_reduce(bytes64);

export function sSum(list) {
  return list.reduce((acc, s) => sAdd(acc, s), new Uint8Array(BYTES));
}

function scalarCanonical(s) {
  for (let i = BYTES - 1; i >= 0; i--) if (s[i] !== Q_LE[i]) return s[i] < Q_LE[i];
  return false; // equal to q
}

export const wipe = (s) => sodium.memzero(s);

// v·G for the few plaintexts a ballot uses (0, 1, B and the range weights), computed once each.
const smallPoints = new Map();
export function small(v) {
  if (!smallPoints.has(v)) smallPoints.set(v, mulBase(scalarOf(v)));
  return smallPoints.get(v);
}

// ---- base64 (RFC 4648 §4, padded) ----

export const b64 = (bytes) => sodium.to_base64(bytes, sodium.base64_variants.ORIGINAL);

// Exactly the padded base64 of `n` bytes: re-encoding must give the text back, so that no other spelling of
// the same bytes (stray bits in the last character) is taken.
export function unb64(text, where, n = BYTES) {
  if (typeof text !== 'string' || text.length !== 4 * Math.ceil(n / 3)) refuse(where, `not the base64 of ${n} bytes`);
  let bytes;
  try {
    bytes = sodium.from_base64(text, sodium.base64_variants.ORIGINAL);
  } catch {
    refuse(where, `not the base64 of ${n} bytes`);
  }
  if (bytes.length !== n || b64(bytes) !== text) refuse(where, `not the base64 of ${n} bytes`);
  return bytes;
}

export function pointFrom(text, where) {
  const p = unb64(text, where);
  if (!sodium.crypto_core_ristretto255_is_valid_point(p)) refuse(where, 'not the canonical encoding of a ristretto255 element');
  return p;
}

export function scalarFrom(text, where) {
  const s = unb64(text, where);
  if (!scalarCanonical(s)) refuse(where, 'not a scalar below the group order');
  return s;
}

export const ctJson = (e) => [b64(e[0]), b64(e[1])];

export function ctFrom(json, where) {
  if (!Array.isArray(json) || json.length !== 2) refuse(where, 'a ciphertext is an array [α, β]');
  return [pointFrom(json[0], at(where, 0)), pointFrom(json[1], at(where, 1))];
}

// ---- the hash H(tag; x₁, …, xₙ): BLAKE2b-512 over length-prefixed parts ----

export class Hash {
  constructor(tag) {
    this.parts = [];
    if (tag !== undefined) this.text(tag);
  }

  copy() {
    const h = new Hash();
    h.parts = this.parts.slice();
    return h;
  }

  bytes(b) {
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, b.length);
    this.parts.push(len, b);
    return this;
  }

  text(s) {
    return this.bytes(utf8.encode(s));
  }

  u64(n) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(n));
    return this.bytes(b);
  }

  ct(e) {
    return this.bytes(e[0]).bytes(e[1]);
  }

  digest() {
    const all = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of this.parts) all.set(p, (at += p.length) - p.length);
    return sodium.crypto_generichash(64, all, null);
  }

  // Hq: a challenge.
  challenge() {
    return reduce(this.digest());
  }

  // Hg: a generator whose logarithm nobody knows.
  generator() {
    return sodium.crypto_core_ristretto255_from_hash(this.digest());
  }
}

// ---- §13 the provers' randomness ----

// The i-th scalar drawn is Hq("yishi-test/rng"; H("yishi-test/seed"; seed), u64(i)): the vectors' seeds.
export class TestRng {
  constructor(seed) {
    this.seed = new Hash('yishi-test/seed').text(seed).digest();
    this.n = 0;
  }

  scalar() {
    return new Hash('yishi-test/rng').bytes(this.seed).u64(this.n++).challenge();
  }
}

// 64 bytes from the browser's CSPRNG reduced mod q, as the C side reduces libsodium's.
export const systemRng = {
  scalar() {
    const b = globalThis.crypto.getRandomValues(new Uint8Array(64));
    const s = reduce(b);
    wipe(b);
    return s;
  },
};

// ---- ElGamal under K ----

export function encryptPoint(K, M, r) {
  return [mulBase(r), add(mul(K, r), M)];
}

export const encrypt = (K, v, r) => encryptPoint(K, small(v), r);
export const ctAdd = (x, y) => [add(x[0], y[0]), add(x[1], y[1])];
export const ctSub = (x, y) => [sub(x[0], y[0]), sub(x[1], y[1])];
export const ctMul = (e, s) => [mul(e[0], s), mul(e[1], s)];
export const ctZero = () => [IDENTITY.slice(), IDENTITY.slice()];
export const ctSum = (list) => list.reduce(ctAdd, ctZero());

// ---- §2 proofs. A context is a Hash holding the tag and the context's parts; a proof appends its own. ----

// Schnorr: knowledge of x with X = x·B.
export function schnorrProve(ctx, B, X, x, rng) {
  const u = rng.scalar();
  const a = mul(B, u);
  const c = ctx.copy().bytes(B).bytes(X).bytes(a).challenge();
  const s = sAdd(u, sMul(c, x));
  wipe(u);
  return { a, s };
}

export function schnorrVerify(p, ctx, B, X) {
  const c = ctx.copy().bytes(B).bytes(X).bytes(p.a).challenge();
  return equal(mul(B, p.s), add(p.a, mul(X, c)));
}

// Chaum–Pedersen: equal logarithms of X = x·G and D = x·α.
export function cpProve(ctx, X, alpha, D, x, rng) {
  const u = rng.scalar();
  const a = mulBase(u);
  const b = mul(alpha, u);
  const c = ctx.copy().bytes(X).bytes(alpha).bytes(D).bytes(a).bytes(b).challenge();
  const s = sAdd(u, sMul(c, x));
  wipe(u);
  return { a, b, s };
}

export function cpVerify(p, ctx, X, alpha, D) {
  const c = ctx.copy().bytes(X).bytes(alpha).bytes(D).bytes(p.a).bytes(p.b).challenge();
  return equal(mulBase(p.s), add(p.a, mul(X, c))) && equal(mul(alpha, p.s), add(p.b, mul(D, c)));
}

export const schnorrJson = (p) => ({ a: b64(p.a), s: b64(p.s) });
export const cpJson = (p) => ({ a: b64(p.a), b: b64(p.b), s: b64(p.s) });

export function schnorrFrom(json, where) {
  exactKeys(json, ['a', 's'], where);
  return { a: pointFrom(json.a, at(where, 'a')), s: scalarFrom(json.s, at(where, 's')) };
}

export function cpFrom(json, where) {
  exactKeys(json, ['a', 'b', 's'], where);
  return { a: pointFrom(json.a, at(where, 'a')), b: pointFrom(json.b, at(where, 'b')), s: scalarFrom(json.s, at(where, 's')) };
}

export function exactKeys(json, keys, where) {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) refuse(where, 'not an object');
  for (const k of keys) if (json[k] === undefined) refuse(where, `"${k}" is missing`);
  for (const k of Object.keys(json)) if (!keys.includes(k)) refuse(where, `"${k}" is not part of it`);
}

export function arrayOf(json, n, where) {
  if (!Array.isArray(json) || json.length !== n) refuse(where, `an array of ${n} is wanted`);
  return json;
}

// The disjunctive proof that E = (r·G, r·K + v·G) with v one of `values`. `st` is the statement's names:
// { Q, voter, label }. The prover knows r and the index t of v; the other branches are simulated.
function orChallenge(st, E, values, a, b) {
  const h = new Hash('yishi-v1/or').bytes(st.Q).text(st.voter).text(st.label).ct(E).u64(values.length);
  for (const v of values) h.u64(v);
  for (let j = 0; j < values.length; j++) h.bytes(a[j]).bytes(b[j]);
  return h.challenge();
}

// β − vⱼ·G: what the branch of vⱼ claims is r·K.
const shifted = (E, v) => sub(E[1], small(v));

export function orProve(st, K, E, values, t, r, rng) {
  const m = values.length;
  const a = [], b = [], c = [], s = [];
  let u;
  for (let j = 0; j < m; j++) {
    if (j === t) {
      u = rng.scalar();
      a[j] = mulBase(u);
      b[j] = mul(K, u);
    } else {
      c[j] = rng.scalar();
      s[j] = rng.scalar();
      a[j] = sub(mulBase(s[j]), mul(E[0], c[j]));
      b[j] = sub(mul(K, s[j]), mul(shifted(E, values[j]), c[j]));
    }
  }
  const others = c.filter((_, j) => j !== t);
  c[t] = sSub(orChallenge(st, E, values, a, b), sSum(others));
  s[t] = sAdd(u, sMul(c[t], r));
  wipe(u);
  return { a, b, c: c.slice(0, m - 1), s };
}

export function orVerify(p, st, K, E, values) {
  const m = values.length;
  const c = [...p.c, sSub(orChallenge(st, E, values, p.a, p.b), sSum(p.c))];
  for (let j = 0; j < m; j++) {
    if (!equal(mulBase(p.s[j]), add(p.a[j], mul(E[0], c[j])))) return false;
    if (!equal(mul(K, p.s[j]), add(p.b[j], mul(shifted(E, values[j]), c[j])))) return false;
  }
  return true;
}

export const orJson = (p) => ({ a: p.a.map(b64), b: p.b.map(b64), c: p.c.map(b64), s: p.s.map(b64) });

export function orFrom(json, m, where) {
  exactKeys(json, ['a', 'b', 'c', 's'], where);
  const points = (k, n) => arrayOf(json[k], n, at(where, k)).map((x, i) => pointFrom(x, at(at(where, k), i)));
  const scalars = (k, n) => arrayOf(json[k], n, at(where, k)).map((x, i) => scalarFrom(x, at(at(where, k), i)));
  return { a: points('a', m), b: points('b', m), c: scalars('c', m - 1), s: scalars('s', m) };
}

// ---- the range proof [0, R], by the weights of R's bits ----

// w_i = 2^i for i < L−1 and w_{L−1} = R − 2^{L−1} + 1, L the bit length of R.
export function rangeWeights(R) {
  if (!Number.isSafeInteger(R) || R < 1) throw new RangeError(`a range [0, R] needs R ≥ 1: ${R}`);
  const L = R.toString(2).length;
  const w = Array.from({ length: L - 1 }, (_, i) => 2 ** i);
  w.push(R - 2 ** (L - 1) + 1);
  return w;
}

// Which weights make v: its binary digits when v < 2^{L−1}, else the last weight and the binary digits of
// v − w_{L−1} (docs/verifiable.md §2 fixes this choice, which both provers must make alike). A value outside
// [0, R] has none: the nearest bound's is claimed, and the proof of the last bit then fails — what a
// terminal that forces its prover gets.
export function rangeBits(v, R) {
  const w = rangeWeights(R);
  const L = w.length;
  let rest = Math.min(Math.max(v, 0), R);
  const top = rest >= 2 ** (L - 1) ? 1 : 0;
  rest -= top * w[L - 1];
  return [...Array.from({ length: L - 1 }, (_, i) => Math.floor(rest / 2 ** i) % 2), top];
}

function bitCiphertexts(E, sent) {
  return [...sent, ctSub(E, ctSum(sent))];
}

const bitStatement = (st, i) => ({ ...st, label: `${st.label}/${i}` });

// Proves that E, encrypted with r, holds v ∈ [0, R]. Returns the proof and the randomness of the bits sent
// (for an audit).
export function rangeProve(st, K, E, v, r, R, rng) {
  const w = rangeWeights(R);
  const bits = rangeBits(v, R);
  const rs = w.slice(0, -1).map(() => rng.scalar());
  const sent = rs.map((ri, i) => encrypt(K, bits[i] * w[i], ri));
  const all = bitCiphertexts(E, sent);
  const rLast = sSub(r, sSum(rs));
  const proofs = w.map((wi, i) => orProve(bitStatement(st, i), K, all[i], [0, wi], bits[i], i < rs.length ? rs[i] : rLast, rng));
  wipe(rLast);
  return { range: { bits: sent, proofs }, r: rs };
}

// The index of the first bit whose proof fails, or −1 when the range holds.
export function rangeFailure(p, st, K, E, R) {
  const all = bitCiphertexts(E, p.bits);
  return rangeWeights(R).findIndex((wi, i) => !orVerify(p.proofs[i], bitStatement(st, i), K, all[i], [0, wi]));
}

export const rangeVerify = (p, st, K, E, R) => rangeFailure(p, st, K, E, R) < 0;

export const rangeJson = (p) => ({ bits: p.bits.map(ctJson), proofs: p.proofs.map(orJson) });

export function rangeFrom(json, R, where) {
  exactKeys(json, ['bits', 'proofs'], where);
  const L = rangeWeights(R).length;
  return {
    bits: arrayOf(json.bits, L - 1, at(where, 'bits')).map((e, i) => ctFrom(e, at(at(where, 'bits'), i))),
    proofs: arrayOf(json.proofs, L, at(where, 'proofs')).map((p, i) => orFrom(p, 2, at(at(where, 'proofs'), i))),
  };
}

// ---- §4 a vote's context ----

// P: the write-in block's points, room for S names of four Chinese characters and at least one of 19.
export const blockPoints = (S, writeIns) => (writeIns ? Math.max(2, Math.ceil((12 * S) / 30)) : 0);

// B: the smallest power of two above both V and C + S, so that yes + B·no never carries.
export function markBase(V, C, S) {
  let B = 1;
  while (B <= V || B <= C + S) B *= 2;
  return B;
}

// { Qk (64 bytes), K, X: [X₁…Xₙ], sessionId, kind: 'election' | 'poll', id, V, S, names, writeIns }
export function voteContext(o) {
  if (o.kind !== 'election' && o.kind !== 'poll') throw new RangeError(`a vote is an election or a poll: ${o.kind}`);
  const C = o.names.length;
  const P = blockPoints(o.S, o.kind === 'election' && o.writeIns);
  const B = markBase(o.V, C, o.S);
  const h = new Hash('yishi-v1/vote').bytes(o.Qk).bytes(o.K);
  for (const X of o.X) h.bytes(X);
  h.text(o.sessionId).text(o.kind).u64(o.id).u64(o.V).u64(o.S).u64(P).u64(B).u64(C);
  for (const name of o.names) h.text(name);
  return { Q: h.digest(), K: o.K, kind: o.kind, V: o.V, S: o.S, C, P, B, names: o.names.slice() };
}

// ---- §5 the names of the write-in block ----

const CHUNK = 30;

// Each name's UTF-8 and a zero byte, padded with zeros to 30·P bytes; a terminal refuses what does not fit.
export function nameBytes(names, P) {
  const out = new Uint8Array(CHUNK * P);
  let at = 0;
  for (const name of names) {
    const b = utf8.encode(name);
    if (b.length === 0) throw new RangeError('a name written in is empty');
    if (b.length > 255) throw new RangeError(`a name written in is over 255 bytes: ${name}`);
    if (b.includes(0)) throw new RangeError(`a name written in holds a zero byte: ${name}`);
    if (at + b.length + 1 > out.length) throw new RangeError(`the names written in do not fit in ${P} blocks of ${CHUNK} bytes`);
    out.set(b, at);
    at += b.length + 1;
  }
  return out;
}

// Chunk → the element [2·t, chunk…, 0] for the least t that is a valid encoding (all zeros: the identity).
export function chunkPoint(chunk) {
  const enc = new Uint8Array(BYTES);
  enc.set(chunk, 1);
  for (let t = 0; t < 128; t++) {
    enc[0] = 2 * t;
    if (sodium.crypto_core_ristretto255_is_valid_point(enc)) return enc;
  }
  throw new RangeError('no element carries this part of the names'); // about 2^-50 for a chunk
}

export function namePoints(names, P) {
  const bytes = nameBytes(names, P);
  return Array.from({ length: P }, (_, i) => chunkPoint(bytes.subarray(CHUNK * i, CHUNK * (i + 1))));
}

// The first W names carried by the block's elements (bytes 1…30 of each).
export function namesOf(points, W) {
  const bytes = new Uint8Array(CHUNK * points.length);
  points.forEach((p, i) => bytes.set(p.subarray(1, 1 + CHUNK), CHUNK * i));
  const names = [];
  const dec = new TextDecoder('utf-8', { fatal: true });
  for (let at = 0; names.length < W && at < bytes.length; ) {
    const end = bytes.indexOf(0, at);
    const stop = end < 0 ? bytes.length : end;
    names.push(dec.decode(bytes.subarray(at, stop)));
    at = stop + 1;
  }
  return names;
}

// ---- §5 a ballot ----

export const MARKS = ['abstain', 'yes', 'no'];
const markValue = (vote, mark) => [0, 1, vote.B][MARKS.indexOf(mark)];
const markValues = (vote) => [0, 1, vote.B];

const isPoll = (vote) => vote.kind === 'poll';
const st = (vote, voter, label) => ({ Q: vote.Q, voter, label });
// β is hashed too, so that the proof of α's randomness also fixes the name the ciphertext carries.
const blockContext = (vote, voter, i, beta) => new Hash('yishi-v1/block').bytes(vote.Q).text(voter).u64(i).bytes(beta);

// A terminal's own check of what the delegate chose, before anything is encrypted: one mark per candidate,
// write-ins only where the statute allows them, never a listed name (it is made a yes mark first, see
// choiceFrom), and no more yes marks and write-ins than seats, since an encrypted ballot is never void.
export function checkChoice(vote, choice) {
  const writeins = choice.writeins || [];
  if (!Array.isArray(choice.marks) || choice.marks.length !== vote.C) throw new RangeError(`a ballot has one mark for each of the ${vote.C} candidates`);
  for (const m of choice.marks) if (!MARKS.includes(m)) throw new RangeError(`a mark is abstain, yes or no: ${m}`);
  if (writeins.length && vote.P === 0) throw new RangeError('this vote has no write-ins');
  for (const name of writeins) if (vote.names.includes(name)) throw new RangeError(`${name} is on the list: mark yes for them instead`);
  nameBytes(writeins, vote.P);
  const yes = choice.marks.filter((m) => m === 'yes').length;
  if (yes + writeins.length > vote.S) throw new RangeError(`${yes} yes marks and ${writeins.length} names written in are more than the ${vote.S} seats`);
}

// What the terminal does with a name written in that is on the list (§5): a yes mark for that candidate.
export function choiceFrom(vote, marks, names) {
  const out = { marks: marks.slice(), writeins: [] };
  for (const name of names) {
    const c = vote.names.indexOf(name);
    if (c >= 0) out.marks[c] = 'yes';
    else out.writeins.push(name);
  }
  return out;
}

// Encrypts a checked choice. Returns { ballot (its JSON, §5), code (h, 64 bytes), opening (§6) }.
export function encryptBallot(vote, voter, choice, rng) {
  checkChoice(vote, choice);
  const marks = choice.marks.map((m) => markValue(vote, m));
  const n = choice.marks.filter((m) => m === 'no').length;
  return sealBallot(vote, voter, { marks, writeins: choice.writeins || [], n }, rng);
}

// Encrypts and proves the plaintexts as given, in the draw order of §13, checking nothing: a choice beyond
// the limit gives a ballot whose limit proof fails (the tests force it so). Plaintexts: { marks: [v_c…],
// writeins: [names], n }.
export function sealBallot(vote, voter, plain, rng) {
  const parts = { marks: plain.marks.map((v, i) => sealMark(vote, voter, v, i + 1, rng)) };
  if (!isPoll(vote)) {
    if (vote.P > 0) parts.writein = sealWriteins(vote, voter, plain.writeins, rng);
    parts.no = sealRanged(vote, voter, plain.n, vote.C, 'no', rng);
    parts.limit = sealLimit(vote, voter, parts, plain, rng);
  }
  const ballot = ballotJson(vote, parts);
  const code = ballotCode(vote, voter, parts);
  return { ballot, code, opening: openingJson(vote, parts, plain) };
}

function sealMark(vote, voter, v, c, rng) {
  const r = rng.scalar();
  const ct = encrypt(vote.K, v, r);
  // A value none of 0, 1, B (only a forced prover has one) claims the first, and its proof fails.
  const t = Math.max(0, markValues(vote).indexOf(v));
  const proof = orProve(st(vote, voter, `mark/${c}`), vote.K, ct, markValues(vote), t, r, rng);
  return { ct, proof, r };
}

function sealRanged(vote, voter, v, R, label, rng) {
  const r = rng.scalar();
  const ct = encrypt(vote.K, v, r);
  const { range, r: bits } = rangeProve(st(vote, voter, label), vote.K, ct, v, r, R, rng);
  return { ct, range, r, bits };
}

function sealWriteins(vote, voter, names, rng) {
  const count = sealRanged(vote, voter, names.length, vote.S, 'writein', rng);
  const block = namePoints(names, vote.P).map((M, i) => {
    const r = rng.scalar();
    const ct = encryptPoint(vote.K, M, r);
    return { ct, proof: schnorrProve(blockContext(vote, voter, i + 1, ct[1]), G, ct[0], r, rng), r };
  });
  return { count, block };
}

// Λ = Σ_c E_c + U − B·N, with the randomness and value that follow.
function limitOf(vote, parts) {
  const Bs = scalarOf(vote.B);
  const sum = ctSum([...parts.marks.map((m) => m.ct), ...(parts.writein ? [parts.writein.count.ct] : [])]);
  return ctSub(sum, ctMul(parts.no.ct, Bs));
}

function sealLimit(vote, voter, parts, plain, rng) {
  const Bs = scalarOf(vote.B);
  const rs = [...parts.marks.map((m) => m.r), ...(parts.writein ? [parts.writein.count.r] : [])];
  const r = sSub(sSum(rs), sMul(Bs, parts.no.r));
  const v = plain.marks.reduce((a, b) => a + b, 0) + (parts.writein ? plain.writeins.length : 0) - vote.B * plain.n;
  const { range, r: bits } = rangeProve(st(vote, voter, 'limit'), vote.K, limitOf(vote, parts), v, r, vote.S, rng);
  wipe(r);
  return { range, bits };
}

function ballotJson(vote, parts) {
  const ranged = (x) => ({ ct: ctJson(x.ct), range: rangeJson(x.range) });
  const out = { marks: parts.marks.map((m) => ({ ct: ctJson(m.ct), proof: orJson(m.proof) })) };
  if (parts.writein) {
    out.writein = {
      count: ranged(parts.writein.count),
      block: parts.writein.block.map((d) => ({ ct: ctJson(d.ct), proof: schnorrJson(d.proof) })),
    };
  }
  if (parts.no) {
    out.no = ranged(parts.no);
    out.limit = rangeJson(parts.limit.range);
  }
  return out;
}

// h = H("yishi-v1/code"; Q, voter, E₁…E_C, U, D₁…D_P, N, the bits sent of U's, N's and Λ's ranges).
export function ballotCode(vote, voter, parts) {
  const h = new Hash('yishi-v1/code').bytes(vote.Q).text(voter);
  for (const e of sentCiphertexts(parts)) h.ct(e);
  return h.digest();
}

// Every ciphertext a ballot sends, in the code's order: E₁ … E_C, U, D₁ … D_P, N, the ranges' bits.
function sentCiphertexts(parts) {
  const w = parts.writein;
  return [
    ...parts.marks.map((m) => m.ct),
    ...(w ? [w.count.ct, ...w.block.map((d) => d.ct)] : []),
    ...(parts.no ? [parts.no.ct] : []),
    ...(w ? w.count.range.bits : []),
    ...(parts.no ? [...parts.no.range.bits, ...parts.limit.range.bits] : []),
  ];
}

// Crockford's base32 of the code's first 10 bytes, most significant bit first, in groups of four.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export function codeText(h) {
  let bits = 0n;
  for (const b of h.subarray(0, 10)) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 15; i >= 0; i--) out += CROCKFORD[Number((bits >> BigInt(5 * i)) & 31n)];
  return out.match(/.{4}/g).join('-');
}

// ---- verifying a ballot (what the server does before it logs one) ----

// The ballot's parts from its JSON, each value checked for form; throws naming the first that is not.
export function ballotFrom(vote, json) {
  const keys = isPoll(vote) ? ['marks'] : vote.P > 0 ? ['marks', 'writein', 'no', 'limit'] : ['marks', 'no', 'limit'];
  exactKeys(json, keys, 'ballot');
  const parts = {
    marks: arrayOf(json.marks, vote.C, 'marks').map((m, i) => {
      const where = at('marks', i);
      exactKeys(m, ['ct', 'proof'], where);
      return { ct: ctFrom(m.ct, at(where, 'ct')), proof: orFrom(m.proof, 3, at(where, 'proof')) };
    }),
  };
  const ranged = (x, R, where) => {
    exactKeys(x, ['ct', 'range'], where);
    return { ct: ctFrom(x.ct, at(where, 'ct')), range: rangeFrom(x.range, R, at(where, 'range')) };
  };
  if (json.writein !== undefined) {
    exactKeys(json.writein, ['count', 'block'], 'writein');
    parts.writein = {
      count: ranged(json.writein.count, vote.S, 'writein.count'),
      block: arrayOf(json.writein.block, vote.P, 'writein.block').map((d, i) => {
        const where = at('writein.block', i);
        exactKeys(d, ['ct', 'proof'], where);
        return { ct: ctFrom(d.ct, at(where, 'ct')), proof: schnorrFrom(d.proof, at(where, 'proof')) };
      }),
    };
  }
  if (json.no !== undefined) {
    parts.no = ranged(json.no, vote.C, 'no');
    parts.limit = { range: rangeFrom(json.limit, vote.S, 'limit') };
  }
  return parts;
}

// Checks every proof of a ballot cast by `voter`; returns its code (h). Throws naming what fails.
export function verifyBallot(vote, voter, json) {
  return verifyParts(vote, voter, ballotFrom(vote, json));
}

function checkRange(p, st, K, E, R, where) {
  const i = rangeFailure(p, st, K, E, R);
  if (i >= 0) refuse(`${where}.proofs[${i}]`, 'does not hold');
}

function verifyParts(vote, voter, parts) {
  parts.marks.forEach((m, i) => {
    if (!orVerify(m.proof, st(vote, voter, `mark/${i + 1}`), vote.K, m.ct, markValues(vote))) refuse(`marks[${i}].proof`, 'does not hold');
  });
  if (parts.writein) {
    const { count, block } = parts.writein;
    checkRange(count.range, st(vote, voter, 'writein'), vote.K, count.ct, vote.S, 'writein.count.range');
    block.forEach((d, i) => {
      if (!schnorrVerify(d.proof, blockContext(vote, voter, i + 1, d.ct[1]), G, d.ct[0])) refuse(`writein.block[${i}].proof`, 'does not hold');
    });
  }
  if (parts.no) {
    checkRange(parts.no.range, st(vote, voter, 'no'), vote.K, parts.no.ct, vote.C, 'no.range');
    checkRange(parts.limit.range, st(vote, voter, 'limit'), vote.K, limitOf(vote, parts), vote.S, 'limit');
  }
  return ballotCode(vote, voter, parts);
}

// ---- §6 the audit of a challenged ballot ----

// What the ballot encrypts and the randomness of every ciphertext sent, as the audit's fields beside the
// ballot (docs/verifiable.md §6): marks, then writein (names, count, block), no and limit.
function openingJson(vote, parts, plain) {
  const ranged = (x, v) => ({ v, r: b64(x.r), bits: x.bits.map(b64) });
  const out = { marks: parts.marks.map((m, i) => ({ v: plain.marks[i], r: b64(m.r) })) };
  if (parts.writein) {
    out.writein = {
      names: plain.writeins.slice(),
      count: ranged(parts.writein.count, plain.writeins.length),
      block: parts.writein.block.map((d) => b64(d.r)),
    };
  }
  if (parts.no) {
    out.no = ranged(parts.no, plain.n);
    out.limit = { bits: parts.limit.bits.map(b64) };
  }
  return out;
}

// The audit the terminal shows when the delegate challenges: { voter, code, ballot, marks, writein, no, limit }.
export function auditOf(voter, sealed) {
  return { voter, code: b64(sealed.code), ballot: sealed.ballot, ...sealed.opening };
}

function smallInt(v, max, where) {
  if (!Number.isSafeInteger(v) || v < 0 || v > max) refuse(where, `not an integer of [0, ${max}]`);
  return v;
}

function sameCt(got, want, where) {
  if (!equal(got[0], want[0]) || !equal(got[1], want[1])) refuse(where, 'is not the encryption of what the audit shows');
}

// A range's bits, re-encrypted from the value they decompose and their randomness (the audit's `where`),
// against the ballot's (`ballotWhere`).
function sameBits(vote, got, v, R, rs, where, ballotWhere) {
  const w = rangeWeights(R);
  const bits = rangeBits(v, R);
  arrayOf(rs, w.length - 1, at(where, 'bits')).forEach((r, i) => {
    sameCt(got[i], encrypt(vote.K, bits[i] * w[i], scalarFrom(r, at(at(where, 'bits'), i))), at(ballotWhere, i));
  });
}

function checkMarks(vote, parts, list) {
  arrayOf(list, vote.C, 'audit.marks').forEach((m, i) => {
    const where = at('audit.marks', i);
    exactKeys(m, ['v', 'r'], where);
    if (!markValues(vote).includes(m.v)) refuse(at(where, 'v'), `a mark is 0, 1 or ${vote.B}`);
    sameCt(parts.marks[i].ct, encrypt(vote.K, m.v, scalarFrom(m.r, at(where, 'r'))), `marks[${i}].ct`);
  });
}

// A value with a range (U or N): its ciphertext and its bits from v and their randomness. `name` is its
// place in the ballot ("writein.count", "no").
function checkRanged(vote, part, o, R, name) {
  const where = `audit.${name}`;
  exactKeys(o, ['v', 'r', 'bits'], where);
  const v = smallInt(o.v, R, at(where, 'v'));
  sameCt(part.ct, encrypt(vote.K, v, scalarFrom(o.r, at(where, 'r'))), `${name}.ct`);
  sameBits(vote, part.range.bits, v, R, o.bits, where, `${name}.range.bits`);
  return v;
}

function checkWriteins(vote, parts, o) {
  exactKeys(o, ['names', 'count', 'block'], 'audit.writein');
  const W = checkRanged(vote, parts.writein.count, o.count, vote.S, 'writein.count');
  if (!Array.isArray(o.names) || o.names.length !== W || !o.names.every((x) => typeof x === 'string'))
    refuse('audit.writein.names', `${W} names are wanted`);
  let points;
  try {
    points = namePoints(o.names, vote.P);
  } catch (e) {
    refuse('audit.writein.names', e.message);
  }
  const rs = arrayOf(o.block, vote.P, 'audit.writein.block');
  points.forEach((M, i) => {
    const r = scalarFrom(rs[i], at('audit.writein.block', i));
    sameCt(parts.writein.block[i].ct, encryptPoint(vote.K, M, r), `writein.block[${i}].ct`);
  });
  return W;
}

// Checks an audit against the vote's context (from the board, not from the audit): every proof, every
// ciphertext re-encrypted from what the audit shows, and the code from the ciphertexts. Returns what the
// ballot held: { marks: ['yes'…], writeins: [names], n }. Throws naming the first thing that does not hold.
export function checkAudit(vote, audit) {
  const fields = isPoll(vote) ? ['marks'] : vote.P > 0 ? ['marks', 'writein', 'no', 'limit'] : ['marks', 'no', 'limit'];
  exactKeys(audit, ['voter', 'code', 'ballot', ...fields], 'audit');
  if (typeof audit.voter !== 'string') refuse('audit.voter', 'not a text');
  const parts = ballotFrom(vote, audit.ballot);
  const code = verifyParts(vote, audit.voter, parts);
  checkMarks(vote, parts, audit.marks);
  const marks = audit.marks.map((m) => MARKS[markValues(vote).indexOf(m.v)]);
  let writeins = [], n = 0;
  if (parts.writein) {
    checkWriteins(vote, parts, audit.writein);
    writeins = audit.writein.names;
  }
  if (parts.no) {
    n = checkRanged(vote, parts.no, audit.no, vote.C, 'no');
    if (n !== marks.filter((m) => m === 'no').length) refuse('audit.no.v', 'is not the number of no marks');
    exactKeys(audit.limit, ['bits'], 'audit.limit');
    const v = audit.marks.reduce((a, m) => a + m.v, 0) + writeins.length - vote.B * n;
    if (v < 0 || v > vote.S) refuse('audit', `${v} is not within the limit [0, ${vote.S}]`);
    sameBits(vote, parts.limit.range.bits, v, vote.S, audit.limit.bits, 'audit.limit', 'limit.bits');
  }
  if (!equal(unb64(audit.code, 'audit.code', 64), code)) refuse('audit.code', 'is not the code of these ciphertexts');
  return { marks, writeins, n };
}

// ---- §9 the shuffle of the write-ins' tuples and its proof (Terelius–Wikström, as src/crypto/mix.c) ----

// A shuffle's input and output: N tuples of w ciphertexts, [[[α, β], …], …] in JSON.
export const tuplesJson = (tuples) => tuples.map((tuple) => tuple.map(ctJson));

export function tuplesFrom(json, N, w, where) {
  return arrayOf(json, N, where).map((tuple, i) =>
    arrayOf(tuple, w, at(where, i)).map((e, l) => ctFrom(e, at(at(where, i), l))));
}

// h₀ … h_N = Hg("yishi-v1/mix-h"; Q, u64(i)).
function mixGenerators(Q, N) {
  return Array.from({ length: N + 1 }, (_, i) => new Hash('yishi-v1/mix-h').bytes(Q).u64(i).generator());
}

// d = H("yishi-v1/mix"; Q, u64(m), u64(N), u64(w), the input's elements, the output's, c₁ … c_N), and
// u_j = Hq("yishi-v1/mix-u"; d, u64(j)).
function mixDigest(Q, m, input, output, c) {
  const h = new Hash('yishi-v1/mix').bytes(Q).u64(m).u64(input.length).u64(input[0].length);
  for (const tuple of [...input, ...output]) for (const e of tuple) h.ct(e);
  for (const ci of c) h.bytes(ci);
  const d = h.digest();
  return { d, u: input.map((_, j) => new Hash('yishi-v1/mix-u').bytes(d).u64(j + 1).challenge()) };
}

function mixChallenge(d, cHat, t) {
  const h = new Hash('yishi-v1/mix-c').bytes(d);
  for (const x of cHat) h.bytes(x);
  h.bytes(t.t1).bytes(t.t2).bytes(t.t3);
  for (const e of t.t4) h.ct(e);
  for (const x of t.t_hat) h.bytes(x);
  return h.challenge();
}

// A uniform permutation of 0 … N−1 from the browser's CSPRNG (Fisher–Yates, unbiased by rejection).
export function randomPermutation(N) {
  const perm = Array.from({ length: N }, (_, i) => i);
  const word = new Uint32Array(1);
  for (let i = N - 1; i > 0; i--) {
    const limit = 2 ** 32 - (2 ** 32 % (i + 1));
    do globalThis.crypto.getRandomValues(word); while (word[0] >= limit);
    const j = word[0] % (i + 1);
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  return perm;
}

const sNeg = (s) => sodium.crypto_core_ristretto255_scalar_negate(s);

// Shuffle number m of the vote (its Q and K) of `input` (decoded tuples): output tuple i is input tuple
// perm[i] re-encrypted (perm is ψ, 0-based; a random one unless given). Draws from rng in §13's order.
// Returns §9's JSON { output, c, c_hat, t, s }; the proof the board logs is this without its output.
export function proveShuffle(vote, m, input, { rng = systemRng, perm = randomPermutation(input.length) } = {}) {
  const N = input.length, w = input[0].length, K = vote.K;
  const h = mixGenerators(vote.Q, N);
  const rt = input.map(() => Array.from({ length: w }, () => rng.scalar()));
  const output = perm.map((j, i) => input[j].map((e, l) => ctAdd(e, encryptPoint(K, IDENTITY, rt[i][l]))));
  const r = new Array(N), c = new Array(N);
  perm.forEach((j, i) => {
    r[j] = rng.scalar();
    c[j] = add(mulBase(r[j]), h[i + 1]);
  });
  const { d, u } = mixDigest(vote.Q, m, input, output, c);
  const up = perm.map((j) => u[j]);
  const rh = [], cHat = [];
  for (let i = 0; i < N; i++) {
    rh[i] = rng.scalar();
    cHat[i] = add(mulBase(rh[i]), mul(i ? cHat[i - 1] : h[0], up[i]));
  }
  const [w1, w2, w3] = [rng.scalar(), rng.scalar(), rng.scalar()];
  const w4 = Array.from({ length: w }, () => rng.scalar());
  const wh = input.map(() => rng.scalar());
  const wp = input.map(() => rng.scalar());
  const t = { t1: mulBase(w1), t2: mulBase(w2), t3: mulBase(w3), t4: w4.map((x) => encryptPoint(K, IDENTITY, sNeg(x))), t_hat: [] };
  for (let i = 0; i < N; i++) {
    t.t3 = add(t.t3, mul(h[i + 1], wp[i]));
    for (let l = 0; l < w; l++) t.t4[l] = ctAdd(t.t4[l], ctMul(output[i][l], wp[i]));
    t.t_hat[i] = add(mulBase(wh[i]), mul(i ? cHat[i - 1] : h[0], wp[i]));
  }
  const ch = mixChallenge(d, cHat, t);
  const respond = (omega, sum) => sAdd(omega, sMul(ch, sum));
  let sum2 = new Uint8Array(BYTES), vi = scalarOf(1);
  for (let i = N - 1; i >= 0; i--) { // v_N = 1, v_i = u'_{i+1}·v_{i+1}
    sum2 = sAdd(sum2, sMul(rh[i], vi));
    vi = sMul(vi, up[i]);
  }
  const s = {
    s1: respond(w1, sSum(r)),
    s2: respond(w2, sum2),
    s3: respond(w3, sSum(r.map((x, j) => sMul(x, u[j])))),
    s4: w4.map((x, l) => respond(x, sSum(rt.map((row, i) => sMul(row[l], up[i]))))),
    s_hat: wh.map((x, i) => respond(x, rh[i])),
    s_prime: wp.map((x, i) => respond(x, up[i])),
  };
  for (const x of [...rt.flat(), ...r, ...rh, w1, w2, w3, ...w4, ...wh, ...wp, sum2]) wipe(x);
  return {
    output: tuplesJson(output),
    c: c.map(b64),
    c_hat: cHat.map(b64),
    t: { t1: b64(t.t1), t2: b64(t.t2), t3: b64(t.t3), t4: t.t4.map(ctJson), t_hat: t.t_hat.map(b64) },
    s: { s1: b64(s.s1), s2: b64(s.s2), s3: b64(s.s3), s4: s.s4.map(b64), s_hat: s.s_hat.map(b64), s_prime: s.s_prime.map(b64) },
  };
}

// §9's JSON of a shuffle of N tuples of w, read and checked for form, naming the part that is wrong.
export function shuffleFrom(json, N, w, where = 'shuffle') {
  exactKeys(json, ['output', 'c', 'c_hat', 't', 's'], where);
  const points = (o, k, n, base) => arrayOf(o[k], n, at(base, k)).map((x, i) => pointFrom(x, at(at(base, k), i)));
  const scalars = (o, k, n, base) => arrayOf(o[k], n, at(base, k)).map((x, i) => scalarFrom(x, at(at(base, k), i)));
  const tw = at(where, 't'), sw = at(where, 's');
  exactKeys(json.t, ['t1', 't2', 't3', 't4', 't_hat'], tw);
  exactKeys(json.s, ['s1', 's2', 's3', 's4', 's_hat', 's_prime'], sw);
  return {
    output: tuplesFrom(json.output, N, w, at(where, 'output')),
    c: points(json, 'c', N, where),
    c_hat: points(json, 'c_hat', N, where),
    t: {
      t1: pointFrom(json.t.t1, at(tw, 't1')), t2: pointFrom(json.t.t2, at(tw, 't2')), t3: pointFrom(json.t.t3, at(tw, 't3')),
      t4: arrayOf(json.t.t4, w, at(tw, 't4')).map((e, l) => ctFrom(e, at(at(tw, 't4'), l))),
      t_hat: points(json.t, 't_hat', N, tw),
    },
    s: {
      s1: scalarFrom(json.s.s1, at(sw, 's1')), s2: scalarFrom(json.s.s2, at(sw, 's2')), s3: scalarFrom(json.s.s3, at(sw, 's3')),
      s4: scalars(json.s, 's4', w, sw), s_hat: scalars(json.s, 's_hat', N, sw), s_prime: scalars(json.s, 's_prime', N, sw),
    },
  };
}

// Σ kᵢ·Pᵢ over pairs [k, P].
const lincomb = (pairs) => pairs.reduce((acc, [k, P]) => add(acc, mul(P, k)), IDENTITY.slice());

// The equations of §9 in order, each [its name, whether it holds] computed when asked, so that the first
// that fails is named and the rest not computed.
function* mixEquations(vote, input, x, h, u, ch) {
  const N = input.length, w = input[0].length, K = vote.K;
  const sumPoints = (list) => list.reduce(add, IDENTITY.slice());
  yield ['s1', () => equal(mulBase(x.s.s1), add(x.t.t1, mul(sub(sumPoints(x.c), sumPoints(h.slice(1))), ch)))];
  const prod = u.reduce(sMul, scalarOf(1));
  yield ['s2', () => equal(mulBase(x.s.s2), add(x.t.t2, mul(sub(x.c_hat[N - 1], mul(h[0], prod)), ch)))];
  yield ['s3', () => equal(add(mulBase(x.s.s3), lincomb(x.s.s_prime.map((s, i) => [s, h[i + 1]]))),
    add(x.t.t3, mul(lincomb(u.map((ui, i) => [ui, x.c[i]])), ch)))];
  for (let l = 0; l < w; l++) {
    for (const [part, base, name] of [[0, G, 'α'], [1, K, 'β']]) {
      yield [`s4/${l + 1} (${name})`, () => equal(
        sub(lincomb(x.s.s_prime.map((s, i) => [s, x.output[i][l][part]])), mul(base, x.s.s4[l])),
        add(x.t.t4[l][part], mul(lincomb(u.map((ui, i) => [ui, input[i][l][part]])), ch)))];
    }
  }
  for (let i = 0; i < N; i++) {
    yield [`s_hat/${i + 1}`, () => equal(add(mulBase(x.s.s_hat[i]), mul(i ? x.c_hat[i - 1] : h[0], x.s.s_prime[i])), add(x.t.t_hat[i], mul(x.c_hat[i], ch)))];
  }
}

// Checks shuffle number m (§9's JSON, its output included) of `input` (decoded tuples) under the vote's Q
// and K. Returns its output, decoded: the next shuffle's input. Throws naming the part that is malformed or
// the first equation that does not hold.
export function verifyShuffle(vote, m, input, shuffle) {
  if (!Array.isArray(input) || !input.length) refuse('input', 'a shuffle shuffles a non-empty list of tuples');
  const N = input.length, w = input[0].length;
  const x = shuffleFrom(shuffle, N, w);
  const h = mixGenerators(vote.Q, N);
  const { d, u } = mixDigest(vote.Q, m, input, x.output, x.c);
  const ch = mixChallenge(d, x.c_hat, x.t);
  for (const [name, holds] of mixEquations(vote, input, x, h, u, ch)) {
    if (!holds()) refuse(name, `shuffle ${m}'s proof does not verify: its equation ${name} does not hold`);
  }
  return x.output;
}

// ---- §8 the aggregates from the board, and what a trustee is asked to decrypt ----

// The cast ballots of a vote as its board lists them ({ seq, voter, code, ballot }, in the order cast), summed
// as the close sums them: T_c = Σ E_c and, with write-ins, T_W = Σ U; and with write-ins each ballot's tuple
// (U, D₁ … D_P), the first shuffle's input (§9). Each ballot is read (every point canonical), its code must be
// the board's and none of its α cast before; with `proofs` every proof is checked too (what the server did
// before it logged the ballot, and yishi verify does again). Throws naming the ballot. `k` is the threshold
// of the key the trustee holds: the number of shuffles (addShuffle) that must be checked before a shuffle's
// outputs are decrypted.
export class BoardSums {
  constructor(vote, { proofs = true, k = 0 } = {}) {
    this.vote = vote;
    this.proofs = proofs;
    this.k = k;
    this.marks = vote.names.map(() => ctZero());
    this.writein = vote.P > 0 ? ctZero() : null;
    this.count = 0;
    this.seen = new Set();
    this.tuples = [];
    this.shufflers = [];
  }

  add(list) {
    for (const x of list) this.addOne(x);
  }

  addOne({ seq, voter, code, ballot }) {
    if (this.shufflers.length) refuse('board', 'a ballot after the shuffles began: the board is read whole before them');
    let parts;
    try {
      parts = ballotFrom(this.vote, ballot);
      const h = this.proofs ? verifyParts(this.vote, voter, parts) : ballotCode(this.vote, voter, parts);
      if (b64(h) !== code) refuse('code', "the code the board gives is not the ballot's");
      const mine = sentCiphertexts(parts).map((e) => b64(e[0]));
      if (mine.some((a, i) => this.seen.has(a) || mine.indexOf(a) !== i)) refuse('ballot', 'it repeats a ciphertext (a copied ballot)');
      mine.forEach((a) => this.seen.add(a));
    } catch (e) {
      if (e instanceof VerifiableError) refuse(e.where, `the ballot of delegate ${voter} (event ${seq}) on the board: ${e.message}`);
      throw e;
    }
    parts.marks.forEach((m, c) => { this.marks[c] = ctAdd(this.marks[c], m.ct); });
    if (this.writein) {
      this.writein = ctAdd(this.writein, parts.writein.count.ct);
      this.tuples.push([parts.writein.count.ct, ...parts.writein.block.map((d) => d.ct)]);
    }
    this.count++;
  }

  // Shuffle m by trustee j, as GET …/shuffles?m= gives it ({ output, proof }, proof §9's JSON without the
  // output): m must be the next, j none of the earlier shufflers, and its proof must hold against the
  // current tuples (the ballots' for m = 1), whose place its output then takes. Throws naming what does not.
  addShuffle(m, trustee, output, proof) {
    const where = `shuffle ${m}`;
    if (!this.writein) refuse(where, 'this vote has no write-ins to shuffle');
    if (!this.tuples.length) refuse(where, 'no ballot on the board holds a write-in block to shuffle');
    const next = this.shufflers.length + 1;
    if (m !== next) refuse(where, `shuffle ${next} is the next to check, not shuffle ${m}`);
    if (m > this.k) refuse(where, `only ${this.k} shuffles are made, one by each of k trustees`);
    if (this.shufflers.includes(trustee)) refuse(where, `trustee ${trustee} made shuffle ${this.shufflers.indexOf(trustee) + 1} already: each shuffle is by a different trustee`);
    if (typeof proof !== 'object' || proof === null || Array.isArray(proof) || 'output' in proof) refuse(at(where, 'proof'), "a shuffle's proof is { c, c_hat, t, s }");
    try {
      this.tuples = verifyShuffle(this.vote, m, this.tuples, { output, ...proof });
    } catch (e) {
      if (e instanceof VerifiableError) refuse(`${where}.${e.where}`, `shuffle ${m} by trustee ${trustee}: ${e.message}`);
      throw e;
    }
    this.shufflers.push(trustee);
  }

  // What `label` names: tally/c and tally/writein the sums; once the k shuffles are checked, mix/i the count
  // U of tuple i of the last output and block/i/p its ciphertext p. Throws saying why a label matches nothing.
  ctOf(label) {
    if (label === 'tally/writein' && this.writein) return this.writein;
    let m = /^tally\/([1-9][0-9]{0,8})$/.exec(label);
    if (m && this.marks[Number(m[1]) - 1]) return this.marks[Number(m[1]) - 1];
    m = /^(?:mix\/([1-9][0-9]{0,8})|block\/([1-9][0-9]{0,8})\/([1-9][0-9]{0,8}))$/.exec(label);
    if (!m) refuse('label', `${label} names no aggregate this trustee can recompute`);
    if (this.shufflers.length < this.k || !this.k) {
      refuse('label', `${label} names an output of the shuffles, and this trustee has checked ${this.shufflers.length} of the ${this.k} shuffles`);
    }
    const tuple = this.tuples[Number(m[1] || m[2]) - 1];
    const e = tuple && tuple[m[1] ? 0 : Number(m[3])];
    if (!e) refuse('label', `${label} names no ciphertext of the ${this.tuples.length} tuples of ${this.vote.P + 1} the last shuffle gave`);
    return e;
  }

  // Each of cts ([ { label, ct } ], GET …/decrypt's) is exactly what its label names; throws naming cts[i].
  match(cts) {
    if (!Array.isArray(cts) || !cts.length) refuse('ciphertexts', 'what is to be decrypted is no list of labelled ciphertexts');
    cts.forEach((x, i) => {
      const where = at('ciphertexts', i);
      let want;
      try {
        want = this.ctOf(x?.label);
      } catch (e) {
        if (e instanceof VerifiableError) refuse(where, e.message.replace(/^label: /, ''));
        throw e;
      }
      const [a, b] = ctJson(want);
      if (!Array.isArray(x.ct) || x.ct[0] !== a || x.ct[1] !== b) {
        const what = x.label.startsWith('tally/') ? `the sum of the ${this.count} ballots on the board` : `the ciphertext of the last of the ${this.k} shuffles checked`;
        refuse(where, `${x.label} is not ${what}`);
      }
    });
  }
}
