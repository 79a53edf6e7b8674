// vectors.test.mjs — the C code's ballots (tests/vectors/ballots.json, written by src/crypto's
// vballot_vectors) reproduced here byte for byte from their seeds and marks: the vote's context, the ballot,
// its code and display, the audit; and every proof in them checked; and shuffle 1 of tests/vectors/keys.json
// (gen_keys.c) made again from its seed, verified, and refused once changed. Skipped, saying so, where a file is
// not in the tree. Their format is in docs/verifiable.md §13.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as v from '../../web/lib/verifiable.js';

// YISHI_BALLOT_VECTORS names another file (to try the test on one made elsewhere).
const FILE = process.env.YISHI_BALLOT_VECTORS || new URL('../vectors/ballots.json', import.meta.url);
const skip = existsSync(FILE) ? false : 'tests/vectors/ballots.json is not in this tree (src/crypto writes it): nothing to reproduce';

// The context from the inputs the file gives, checked against the B, P and Q it records (§4).
function contextOf(c, what) {
  const vote = v.voteContext({
    Qk: v.unb64(c.Qk, `${what}.Qk`, 64), K: v.pointFrom(c.K, `${what}.K`), X: c.X.map((x, i) => v.pointFrom(x, `${what}.X[${i}]`)),
    sessionId: c.session, kind: c.kind, id: c.id, V: c.V, S: c.S, names: c.names, writeIns: c.writeins,
  });
  assert.equal(vote.B, c.B, `${what}.B`);
  assert.equal(vote.P, c.P, `${what}.P`);
  assert.equal(v.b64(vote.Q), c.Q, `${what}.Q`);
  return vote;
}

test('every ballot of the C code\'s vectors, reproduced from its seed, and its proofs checked', { skip }, () => {
  const file = JSON.parse(readFileSync(FILE, 'utf8'));
  assert.ok(file.ballots.length > 0, 'the file holds ballots');
  for (const [i, b] of file.ballots.entries()) {
    const what = `ballots[${i}] (${b.name})`;
    const vote = contextOf(b.context, `${what}.context`);
    assert.equal(v.b64(v.verifyBallot(vote, b.voter, b.ballot)), b.code, `${what}: its proofs hold and its code is h`);
    assert.deepEqual(v.checkAudit(vote, b.audit), { marks: b.marks, writeins: b.writeins, n: b.marks.filter((m) => m === 'no').length }, `${what}: its audit`);
    const made = v.encryptBallot(vote, b.voter, { marks: b.marks, writeins: b.writeins }, new v.TestRng(b.seed));
    // compact JSON compares the values and the order of the keys
    assert.equal(JSON.stringify(made.ballot), JSON.stringify(b.ballot), `${what}: the same ballot`);
    assert.equal(v.b64(made.code), b.code, `${what}: the same code`);
    assert.equal(v.codeText(made.code), b.display, `${what}: the same display`);
    assert.equal(JSON.stringify(v.auditOf(b.voter, made)), JSON.stringify(b.audit), `${what}: the same audit`);
  }
});

// Shuffle 1 of tests/vectors/keys.json (gen_keys.c): 4 tuples of 3 under the vectors' key and context.
const KEYS = new URL('../vectors/keys.json', import.meta.url);
const skipKeys = existsSync(KEYS) ? false : 'tests/vectors/keys.json is not in this tree (gen_keys.c writes it): nothing to reproduce';

function shuffleVector() {
  const file = JSON.parse(readFileSync(KEYS, 'utf8'));
  const x = file.shuffle;
  const K = v.pointFrom(file.ceremony.key, 'ceremony.key');
  const vote = { Q: v.unb64(x.q, 'shuffle.q', 64), K };
  assert.equal(v.b64(vote.Q), v.b64(new v.Hash('yishi-test/q').text('keys').digest()), 'Q = H("yishi-test/q"; "keys")');
  return { x, K, vote, input: v.tuplesFrom(x.input, 4, 3, 'shuffle.input') };
}

test("the C code's shuffle 1, its input and its proof reproduced from their seeds, and verified", { skip: skipKeys }, () => {
  const { x, K, vote, input } = shuffleVector();
  const rng = new v.TestRng(x.input_seed);
  const encrypted = input.map((tuple, i) => tuple.map((_, l) => v.encrypt(K, 100 * (i + 1) + l + 1, rng.scalar())));
  assert.deepEqual(v.tuplesJson(encrypted), x.input, 'the input encrypts 100·i + ℓ');
  const made = v.proveShuffle(vote, x.m, input, { rng: new v.TestRng(x.seed), perm: x.permutation.map((p) => p - 1) });
  assert.equal(JSON.stringify(made), JSON.stringify(x.shuffle), 'the same shuffle, byte for byte');
  assert.deepEqual(v.tuplesJson(v.verifyShuffle(vote, x.m, input, x.shuffle)), x.shuffle.output);
});

test("the C code's shuffle refused with a changed output, a changed response or another m", { skip: skipKeys }, () => {
  const { x, vote, input } = shuffleVector();
  const refused = (shuffle, m, where) => assert.throws(() => v.verifyShuffle(vote, m, input, shuffle), (e) => {
    assert.ok(e instanceof v.VerifiableError, e.stack);
    assert.equal(e.where, where);
    assert.match(e.message, new RegExp(`shuffle ${m}'s proof does not verify: its equation .* does not hold`));
    return true;
  });
  const copy = () => JSON.parse(JSON.stringify(x.shuffle));
  const out = copy();
  [out.output[0], out.output[1]] = [out.output[1], out.output[0]];
  refused(out, 1, 's1');
  const s4 = copy();
  s4.s.s4[1] = x.shuffle.s.s4[0];
  refused(s4, 1, 's4/2 (α)');
  const sPrime = copy();
  sPrime.s.s_prime[3] = x.shuffle.s.s_prime[0];
  refused(sPrime, 1, 's3');
  refused(x.shuffle, 2, 's1');
});
