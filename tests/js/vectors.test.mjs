// vectors.test.mjs — the C code's ballots (tests/vectors/ballots.json, written by src/crypto's
// vballot_vectors) reproduced here byte for byte from their seeds and marks: the vote's context, the ballot,
// its code and display, the audit; and every proof in them checked. Skipped, saying so, where the file is
// not in the tree. Its format is in docs/verifiable.md §13.
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
