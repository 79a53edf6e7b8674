// verifiable.test.mjs — web/lib/verifiable.js in node: the encodings and the hash as the C code computes them,
// every proof made then checked, every value of a proof or a ballot changed and refused, a ballot beyond the
// limit that a forced prover cannot make pass, the audit of a terminal that lied, and seeded reproducibility.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as v from '../../web/lib/verifiable.js';

const hex = (b) => Buffer.from(b).toString('hex');
const fromHex = (s) => new Uint8Array(Buffer.from(s, 'hex'));
const C_ANSWERS = JSON.parse(readFileSync(new URL('./c-answers.json', import.meta.url)));
const VOTER = '140100034';

function refused(f, where) {
  assert.throws(f, (e) => {
    assert.ok(e instanceof v.VerifiableError, e.stack);
    assert.ok(!where || e.where.startsWith(where), `refused at ${e.where}, wanted ${where}`);
    return true;
  });
}

// A context from a seeded key: K and the trustees' shares need not be real for a ballot.
function makeVote({ kind = 'election', S = 1, names = ['甲', '乙'], writeIns = true, V = 3000, seed = 'key' } = {}) {
  const K = v.mulBase(new v.TestRng(seed).scalar());
  return v.voteContext({ Qk: new v.Hash('yishi-v1/key').text(seed).digest(), K, X: [K], sessionId: 'a'.repeat(64), kind, id: 3, V, S, names, writeIns });
}

// ---- the group, the encodings and the hash ----

test('multiples of G have RFC 9496 encodings, and the identity is 32 zero bytes', () => {
  assert.equal(hex(v.G), 'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76');
  assert.equal(hex(v.add(v.G, v.G)), '6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919');
  assert.equal(hex(v.mulBase(v.scalarOf(2))), hex(v.add(v.G, v.G)));
  assert.equal(hex(v.mulBase(v.scalarOf(0))), '00'.repeat(32));
  assert.equal(hex(v.mul(v.IDENTITY, v.scalarOf(5))), '00'.repeat(32));
  assert.equal(hex(v.sub(v.G, v.G)), '00'.repeat(32));
});

test('decoders refuse what is not canonical, and base64 other than padded', () => {
  const q = fromHex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');
  refused(() => v.scalarFrom(v.b64(q), 's'), 's');
  const below = q.slice();
  below[0]--;
  assert.equal(hex(v.scalarFrom(v.b64(below), 's')), hex(below));
  const odd = new Uint8Array(32);
  odd[0] = 1; // a negative field element: not canonical
  refused(() => v.pointFrom(v.b64(odd), 'p'), 'p');
  refused(() => v.pointFrom(v.b64(new Uint8Array(32).fill(0xff)), 'p'), 'p');
  assert.equal(v.b64(v.G).length, 44);
  assert.match(v.b64(v.G), /=$/);
  refused(() => v.pointFrom(v.b64(v.G).slice(0, 43), 'p'), 'p');
  refused(() => v.pointFrom(v.b64(v.G).slice(0, 43) + 'A', 'p'), 'p');
  // the same bytes spelled with stray bits in the last character
  const text = v.b64(new Uint8Array(32));
  refused(() => v.unb64(text.slice(0, 42) + 'B=', 'x'), 'x');
  refused(() => v.unb64(7, 'x'), 'x');
});

test('H is BLAKE2b-512 over length-prefixed parts, as node computes it', () => {
  const raw = Buffer.from([0, 0, 0, 1, 0x74, 0, 0, 0, 2, 0x61, 0x62, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0]);
  const want = createHash('blake2b512').update(raw).digest('hex');
  assert.equal(hex(new v.Hash('t').text('ab').u64(258).bytes(new Uint8Array(0)).digest()), want);
  assert.notEqual(hex(new v.Hash('t').text('a').text('b').digest()), hex(new v.Hash('t').text('ab').digest()));
});

test('H, Hq, Hg and the test randomness give the C code\'s bytes', () => {
  const rng = new v.TestRng('seed');
  assert.deepEqual([0, 1, 2].map(() => hex(rng.scalar())), C_ANSWERS.draws);
  assert.equal(hex(new v.Hash('yishi-v1/test').text('议事').u64(0x0102030405060708n).digest()), C_ANSWERS.H);
  assert.equal(hex(new v.Hash('yishi-v1/mix-h').u64(3).generator()), C_ANSWERS.Hg);
  assert.equal(hex(new v.Hash('yishi-v1/mix-u').u64(3).challenge()), C_ANSWERS.Hq);
  assert.notEqual(hex(new v.TestRng('seed').scalar()), hex(new v.TestRng('other').scalar()));
  assert.notEqual(hex(v.systemRng.scalar()), hex(v.systemRng.scalar()));
});

// ---- proofs ----

// Every base64 value of a JSON tree changed in turn (a point by one more G, a scalar by one more): the
// check must refuse each. A proof's scalars are its "s" and "c"; an opening holds scalars only. Yields
// [path, changed copy].
const proofScalar = (path) => /\/[sc](\/\d+)?$/.test(path);
function* eachValueChanged(json, isScalar = proofScalar, path = '') {
  if (typeof json === 'string' && json.length === 44) {
    const b = v.unb64(json, path);
    yield [path, v.b64(isScalar(path) ? v.sAdd(b, v.scalarOf(1)) : v.add(b, v.G))];
  } else if (Array.isArray(json) || (json && typeof json === 'object')) {
    for (const [k, x] of Object.entries(json)) {
      for (const [p, changed] of eachValueChanged(x, isScalar, `${path}/${k}`)) {
        const copy = Array.isArray(json) ? json.slice() : { ...json };
        copy[k] = changed;
        yield [p, copy];
      }
    }
  }
}

test('Schnorr and Chaum–Pedersen: the C code\'s proofs, checked, and each value changed refused', () => {
  const rng = new v.TestRng('kat');
  const x = rng.scalar(), y = rng.scalar();
  const X = v.mulBase(x), alpha = v.mulBase(y), D = v.mul(alpha, x);
  const ctx = new v.Hash('yishi-v1/coef').u64(1);
  const s = v.schnorrProve(ctx, v.G, X, x, rng);
  const cp = v.cpProve(ctx, X, alpha, D, x, rng);
  assert.deepEqual(v.schnorrJson(s), C_ANSWERS.schnorr);
  assert.deepEqual(v.cpJson(cp), C_ANSWERS.cp);
  assert.ok(v.schnorrVerify(s, ctx, v.G, X));
  assert.ok(v.cpVerify(cp, ctx, X, alpha, D));
  assert.ok(!v.schnorrVerify(s, new v.Hash('yishi-v1/coef').u64(2), v.G, X), 'another context');
  assert.ok(!v.schnorrVerify(s, ctx, v.G, v.add(X, v.G)), 'another statement');
  assert.ok(!v.cpVerify(cp, ctx, X, alpha, v.add(D, v.G)), 'another D');
  let n = 0;
  for (const [p, bad] of eachValueChanged(v.schnorrJson(s))) assert.ok(!v.schnorrVerify(v.schnorrFrom(bad, 'p'), ctx, v.G, X), p), n++;
  for (const [p, bad] of eachValueChanged(v.cpJson(cp))) assert.ok(!v.cpVerify(v.cpFrom(bad, 'p'), ctx, X, alpha, D), p), n++;
  assert.equal(n, 5);
  // a Schnorr proof to another base (a trustee's key share to α, say)
  const t = v.schnorrProve(ctx, alpha, D, x, rng);
  assert.ok(v.schnorrVerify(t, ctx, alpha, D));
});

test('the disjunctive proof: the C code\'s bytes, each branch proven, each value changed refused', () => {
  const rng = new v.TestRng('kat3');
  const K = v.mulBase(rng.scalar());
  const st = { Q: new v.Hash('t').digest(), voter: VOTER, label: 'mark/1' };
  const r = rng.scalar();
  const E = v.encrypt(K, 4096, r);
  const p = v.orProve(st, K, E, [0, 1, 4096], 2, r, rng);
  assert.deepEqual(v.orJson(p), C_ANSWERS.or);
  assert.ok(v.orVerify(p, st, K, E, [0, 1, 4096]));
  for (const [path, bad] of eachValueChanged(v.orJson(p))) assert.ok(!v.orVerify(v.orFrom(bad, 3, 'p'), st, K, E, [0, 1, 4096]), path);
  for (const other of [{ ...st, label: 'mark/2' }, { ...st, voter: '140100035' }, { ...st, Q: new v.Hash('u').digest() }])
    assert.ok(!v.orVerify(p, other, K, E, [0, 1, 4096]), 'bound to its label, voter and vote');
  assert.ok(!v.orVerify(p, st, K, v.ctAdd(E, [v.IDENTITY, v.G]), [0, 1, 4096]), 'bound to its ciphertext');
  for (const t of [0, 1, 2]) {
    const rt = rng.scalar();
    const Et = v.encrypt(K, [0, 1, 4096][t], rt);
    assert.ok(v.orVerify(v.orProve(st, K, Et, [0, 1, 4096], t, rt, rng), st, K, Et, [0, 1, 4096]), `branch ${t}`);
  }
  // A prover forced to claim a value the ciphertext does not hold (2 is none of them) is refused.
  const r2 = rng.scalar();
  const E2 = v.encrypt(K, 2, r2);
  for (const t of [0, 1, 2]) assert.ok(!v.orVerify(v.orProve(st, K, E2, [0, 1, 4096], t, r2, rng), st, K, E2, [0, 1, 4096]));
  refused(() => v.orFrom({ ...v.orJson(p), c: [] }, 3, 'p'), 'p.c');
  refused(() => v.orFrom({ ...v.orJson(p), x: 1 }, 3, 'p'), 'p');
});

test('the range proof: the C code\'s bytes, every value of small ranges, out of range refused', () => {
  const rng = new v.TestRng('kat3');
  const K = v.mulBase(rng.scalar());
  const st = { Q: new v.Hash('t').digest(), voter: VOTER, label: 'mark/1' };
  // The C run drew a mark's r and its proof (5 draws) first.
  rng.scalar();
  v.orProve(st, K, v.encrypt(K, 0, v.scalarOf(1)), [0, 1, 4096], 0, v.scalarOf(1), rng);
  const r = rng.scalar();
  const E = v.encrypt(K, 57, r);
  const lim = { ...st, label: 'limit' };
  const { range } = v.rangeProve(lim, K, E, 57, r, 60, rng);
  assert.deepEqual(v.rangeJson(range), C_ANSWERS.range);
  assert.ok(v.rangeVerify(range, lim, K, E, 60));
  for (const [path, bad] of eachValueChanged(v.rangeJson(range))) assert.ok(!v.rangeVerify(v.rangeFrom(bad, 60, 'p'), lim, K, E, 60), path);
  for (const R of [1, 2, 3, 4, 5, 7, 8, 12]) {
    const w = v.rangeWeights(R);
    for (let x = 0; x <= R + 1; x++) {
      const bits = v.rangeBits(x, R);
      if (x <= R) assert.equal(bits.reduce((s, b, i) => s + b * w[i], 0), x, `${x} in [0, ${R}] by its bits`);
      const rx = rng.scalar();
      const Ex = v.encrypt(K, x, rx);
      const p = v.rangeProve(lim, K, Ex, x, rx, R, rng).range;
      assert.equal(v.rangeVerify(p, lim, K, Ex, R), x <= R, `${x} in [0, ${R}]`);
    }
  }
  assert.deepEqual(v.rangeWeights(60), [1, 2, 4, 8, 16, 29]);
  assert.deepEqual(v.rangeBits(31, 60), [1, 1, 1, 1, 1, 0], 'below 2^{L−1}: binary');
  assert.deepEqual(v.rangeBits(32, 60), [1, 1, 0, 0, 0, 1], 'at 2^{L−1}: the last weight and 3');
});

// ---- a vote's context ----

test('a vote\'s P, B and Q', () => {
  assert.equal(v.blockPoints(1, true), 2);
  assert.equal(v.blockPoints(60, true), 24);
  assert.equal(v.blockPoints(60, false), 0);
  assert.equal(v.markBase(3000, 2, 1), 4096);
  assert.equal(v.markBase(3, 72, 60), 256);
  assert.equal(v.markBase(4096, 2, 1), 8192);
  const a = makeVote();
  assert.equal(a.Q.length, 64);
  assert.equal(makeVote({ kind: 'poll', names: ['议案'] }).P, 0);
  assert.equal(makeVote({ writeIns: false }).P, 0);
  for (const other of [makeVote({ S: 2 }), makeVote({ names: ['乙', '甲'] }), makeVote({ V: 2999 }), makeVote({ writeIns: false }), makeVote({ seed: 'k2' })])
    assert.notEqual(hex(other.Q), hex(a.Q));
});

// ---- names in the block ----

test('names written in fill the block and read back; what does not fit is refused', () => {
  const names = ['张三丰', '欧阳娜娜', 'Ola Nordmann'];
  const pts = v.namePoints(names, 2);
  assert.equal(pts.length, 2);
  assert.deepEqual(v.namesOf(pts, 3), names);
  assert.deepEqual(v.namesOf(v.namePoints([], 2), 0), []);
  assert.equal(hex(v.namePoints([], 2)[1]), '00'.repeat(32), 'an empty chunk is the identity');
  for (const p of pts) assert.equal(p[31], 0), assert.equal(p[0] % 2, 0);
  const long = '这'.repeat(19); // 57 bytes and a zero: one name of 19 fills two points
  assert.deepEqual(v.namesOf(v.namePoints([long], 2), 1), [long]);
  assert.throws(() => v.namePoints([long + '个'], 2), /do not fit/);
  assert.throws(() => v.namePoints([''], 2), /empty/);
  assert.throws(() => v.namePoints(['a\0b'], 2), /zero byte/);
  assert.throws(() => v.namePoints(['a'.repeat(256)], 20), /255 bytes/);
});

// ---- a ballot ----

const hasPart = (ballot, path) => path.split('/').filter(Boolean).reduce((o, k) => (o === undefined ? o : o[k]), ballot) !== undefined;

test('ballots of an election with write-ins, one without, and a poll: made, checked, coded', () => {
  for (const [vote, choice] of [
    [makeVote(), { marks: ['no', 'abstain'], writeins: ['王五'] }],
    [makeVote({ S: 2, names: ['甲', '乙', '丙'], writeIns: false }), { marks: ['yes', 'no', 'yes'] }],
    [makeVote({ kind: 'poll', names: ['关于……的决议'] }), { marks: ['yes'] }],
  ]) {
    const s = v.encryptBallot(vote, VOTER, choice, new v.TestRng('b'));
    assert.deepEqual(Object.keys(s.ballot), vote.kind === 'poll' ? ['marks'] : vote.P ? ['marks', 'writein', 'no', 'limit'] : ['marks', 'no', 'limit']);
    assert.equal(hex(v.verifyBallot(vote, VOTER, s.ballot)), hex(s.code));
    assert.match(v.codeText(s.code), /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    refused(() => v.verifyBallot(vote, '140100035', s.ballot), 'marks[0].proof');
    const n = choice.marks.filter((m) => m === 'no').length;
    assert.deepEqual(v.checkAudit(vote, v.auditOf(VOTER, s)), { marks: choice.marks, writeins: choice.writeins || [], n });
  }
});

test('each value of a ballot changed in turn is refused', () => {
  const vote = makeVote();
  const s = v.encryptBallot(vote, VOTER, { marks: ['yes', 'no'], writeins: [] }, new v.TestRng('tamper'));
  let refusedN = 0, betas = 0;
  for (const [path, bad] of eachValueChanged(s.ballot)) {
    // β of a block ciphertext is in its proof's context (§5): a changed name is refused by that proof.
    const block = /^\/writein\/block\/(\d+)\/ct\/1$/.exec(path);
    if (block) {
      refused(() => v.verifyBallot(vote, VOTER, bad), `writein.block[${block[1]}].proof`);
      betas++;
    }
    refused(() => v.verifyBallot(vote, VOTER, bad), path.split('/')[1]);
    refusedN++;
  }
  assert.equal(betas, vote.P);
  assert.equal(refusedN, 66 + vote.P, 'every value of the ballot');
  refused(() => v.verifyBallot(vote, VOTER, { ...s.ballot, limit: undefined }), 'ballot');
  refused(() => v.verifyBallot(vote, VOTER, { ...s.ballot, extra: 1 }), 'ballot');
  refused(() => v.verifyBallot(vote, VOTER, { ...s.ballot, marks: s.ballot.marks.slice(1) }), 'marks');
  refused(() => v.verifyBallot(vote, VOTER, { ...s.ballot, marks: [s.ballot.marks[1], s.ballot.marks[0]] }), 'marks[0].proof');
});

test('a terminal refuses a choice beyond the limit, and a forced prover cannot make it verify', () => {
  const vote = makeVote({ S: 2, names: ['甲', '乙', '丙', '丁'] });
  assert.throws(() => v.encryptBallot(vote, VOTER, { marks: ['yes', 'yes', 'yes', 'abstain'] }, v.systemRng), /more than the 2 seats/);
  assert.throws(() => v.encryptBallot(vote, VOTER, { marks: ['yes', 'yes', 'no', 'abstain'], writeins: ['王五'] }, v.systemRng), /more than/);
  assert.throws(() => v.encryptBallot(vote, VOTER, { marks: ['yes', 'no', 'no', 'no'], writeins: ['甲'] }, v.systemRng), /on the list/);
  assert.throws(() => v.encryptBallot(vote, VOTER, { marks: ['yes', 'no', 'no'] }, v.systemRng), /one mark for each/);
  assert.deepEqual(v.choiceFrom(vote, ['abstain', 'no', 'abstain', 'abstain'], ['丙', '王五']), { marks: ['abstain', 'no', 'yes', 'abstain'], writeins: ['王五'] });
  const B = vote.B;
  const sealed = (plain) => v.sealBallot(vote, VOTER, { writeins: [], ...plain }, new v.TestRng('forced')).ballot;
  // three yes marks for two seats; the same with N lying by one either way; a third name written in
  refused(() => v.verifyBallot(vote, VOTER, sealed({ marks: [1, 1, 1, 0], n: 0 })), 'limit');
  refused(() => v.verifyBallot(vote, VOTER, sealed({ marks: [1, 1, 1, B], n: 0 })), 'limit');
  refused(() => v.verifyBallot(vote, VOTER, sealed({ marks: [1, 1, 1, B], n: 2 })), 'limit');
  refused(() => v.verifyBallot(vote, VOTER, sealed({ marks: [1, 1, 0, 0], writeins: ['王五'], n: 0 })), 'limit');
  refused(() => v.verifyBallot(vote, VOTER, sealed({ marks: [0, 0, 0, 0], writeins: ['王五', '赵六', '钱七'], n: 0 })), 'writein.count.range');
  // a mark of 2 (two yes marks in one)
  refused(() => v.verifyBallot(vote, VOTER, sealed({ marks: [2, 0, 0, 0], n: 0 })), 'marks[0].proof');
  // at the limit it passes
  assert.ok(v.verifyBallot(vote, VOTER, sealed({ marks: [1, 0, B, 0], writeins: ['王五'], n: 1 })));
});

// ---- the audit ----

function audited(vote, choice, seed = 'audit') {
  return v.auditOf(VOTER, v.encryptBallot(vote, VOTER, choice, new v.TestRng(seed)));
}

test('an audit checks out, and a terminal that encrypted something else than it showed is caught', () => {
  const vote = makeVote({ S: 2, names: ['甲', '乙', '丙'] });
  const choice = { marks: ['yes', 'no', 'abstain'], writeins: ['王五'] };
  const a = audited(vote, choice);
  assert.deepEqual(Object.keys(a), ['voter', 'code', 'ballot', 'marks', 'writein', 'no', 'limit']);
  assert.deepEqual(v.checkAudit(vote, a), { ...choice, n: 1 });
  const other = audited(vote, { marks: ['no', 'no', 'yes'], writeins: [] }); // the same randomness
  // the ballot of one choice shown with what another encrypts, part by part
  for (const part of ['marks', 'writein', 'no']) refused(() => v.checkAudit(vote, { ...a, [part]: other[part] }));
  refused(() => v.checkAudit(vote, { ...a, ballot: other.ballot }), 'marks[0].ct');
  const changed = (f) => {
    const c = structuredClone(a);
    f(c);
    return c;
  };
  refused(() => v.checkAudit(vote, changed((c) => { c.marks[2].v = 1; })), 'marks[2].ct');
  refused(() => v.checkAudit(vote, changed((c) => { c.marks[2].v = 2; })), 'audit.marks[2].v');
  refused(() => v.checkAudit(vote, changed((c) => { c.writein.names = ['王六']; })), 'writein.block[0].ct');
  refused(() => v.checkAudit(vote, changed((c) => { c.writein.count.v = 0; })), 'writein.count.ct');
  refused(() => v.checkAudit(vote, changed((c) => { c.no.v = 0; })), 'no.ct');
  // what the marks show and what N holds must agree even where each is a true encryption
  const twice = audited(vote, { marks: ['yes', 'no', 'no'], writeins: [] });
  const lied = structuredClone(twice);
  lied.marks[2].v = 0;
  refused(() => v.checkAudit(vote, lied), 'marks[2].ct');
  for (const part of ['marks', 'writein', 'no', 'limit'])
    for (const [, bad] of eachValueChanged(a[part], () => true)) refused(() => v.checkAudit(vote, { ...a, [part]: bad }));
  refused(() => v.checkAudit(vote, { ...a, code: v.b64(new Uint8Array(64)) }), 'audit.code');
  refused(() => v.checkAudit(vote, { ...a, voter: '140100035' }), 'marks[0].proof');
  refused(() => v.checkAudit(vote, { ...a, limit: undefined }), 'audit');
  refused(() => v.checkAudit(makeVote({ S: 2, names: ['甲', '乙', '丙'], seed: 'k2' }), a), 'marks[0].proof');
});

// ---- reproducibility ----

// Draws of a ballot in §13's order: 6 a mark (r, then u or c, s per branch), 1 + (L−1) + 3L a ranged value,
// 2 a block ciphertext, 4L − 1 the limit's range.
function drawsOf(vote) {
  const range = (R) => 4 * v.rangeWeights(R).length - 1;
  return 6 * vote.C + (vote.P ? 1 + range(vote.S) + 2 * vote.P : 0) + 1 + range(vote.C) + range(vote.S);
}

test('a seed gives the same ballot and code every time, another seed another; §13\'s number of draws', () => {
  const vote = makeVote({ S: 3, names: ['甲', '乙', '丙', '丁', '戊'] });
  const choice = { marks: ['yes', 'no', 'abstain', 'yes', 'no'], writeins: ['王五'] };
  const rng = new v.TestRng('same');
  const a = v.encryptBallot(vote, VOTER, choice, rng);
  const b = v.encryptBallot(vote, VOTER, choice, new v.TestRng('same'));
  assert.equal(JSON.stringify(a.ballot), JSON.stringify(b.ballot));
  assert.equal(v.codeText(a.code), v.codeText(b.code));
  assert.equal(rng.n, drawsOf(vote));
  assert.notEqual(v.codeText(v.encryptBallot(vote, VOTER, choice, new v.TestRng('other')).code), v.codeText(a.code));
  assert.notEqual(v.codeText(v.encryptBallot(vote, VOTER, choice, v.systemRng).code), v.codeText(v.encryptBallot(vote, VOTER, choice, v.systemRng).code));
});

test('the code\'s display: Crockford base32 of its first 10 bytes, most significant bit first', () => {
  assert.equal(v.codeText(new Uint8Array(64)), '0000-0000-0000-0000');
  assert.equal(v.codeText(new Uint8Array(64).fill(0xff)), 'ZZZZ-ZZZZ-ZZZZ-ZZZZ');
  const g = new Uint8Array(64);
  g.set([0x84, 0x21, 0x08, 0x42, 0x10, 0x84, 0x21, 0x08, 0x42, 0x10]); // 10000 sixteen times: 16 is G
  assert.equal(v.codeText(g), 'GGGG-GGGG-GGGG-GGGG');
  g[0] = 0x0c; // 00001 100…: 1, then 16 + 0 …
  assert.equal(v.codeText(g).slice(0, 2), '1G');
});
