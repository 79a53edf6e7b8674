// vectors.test.mjs — the C code's ballots (tests/vectors/ballots.json, written by src/crypto's vector tool)
// reproduced here byte for byte from their seeds and marks, and every proof in them checked. Skipped, saying
// so, where the file is not in the tree.
//
// The file, as this test reads it: { "votes": [ { "context": { "Q": base64 of 64 bytes, "K", "kind", "V",
// "S", "C", "P", "B", "names": [...] }, "ballots": [ { "seed", "voter", "marks": ["yes" | "no" |
// "abstain"…], "writeins": [names], "ballot": {…§5}, "code": base64 of h } ] } ] }.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as v from '../../web/lib/verifiable.js';

// YISHI_BALLOT_VECTORS names another file (to try the test on one made elsewhere).
const FILE = process.env.YISHI_BALLOT_VECTORS || new URL('../vectors/ballots.json', import.meta.url);
const skip = existsSync(FILE) ? false : 'tests/vectors/ballots.json is not in this tree (the C side writes it): nothing to reproduce';

// The context as the board records it: Q and K in base64, the rest as numbers.
function contextOf(c) {
  const vote = { Q: v.unb64(c.Q, 'context/Q', 64), K: v.pointFrom(c.K, 'context/K'), kind: c.kind, V: c.V, S: c.S, C: c.C, P: c.P, B: c.B, names: c.names };
  assert.equal(vote.names.length, vote.C, 'C is the number of names');
  assert.equal(vote.P, v.blockPoints(vote.S, vote.P > 0), 'P as §4 gives it');
  assert.equal(vote.B, v.markBase(vote.V, vote.C, vote.S), 'B as §4 gives it');
  return vote;
}

test('every ballot of the C code\'s vectors, reproduced from its seed, and its proofs checked', { skip }, () => {
  const file = JSON.parse(readFileSync(FILE, 'utf8'));
  let n = 0;
  for (const [i, entry] of file.votes.entries()) {
    const vote = contextOf(entry.context);
    for (const [j, b] of entry.ballots.entries()) {
      const what = `votes[${i}].ballots[${j}] (seed ${b.seed})`;
      assert.equal(v.b64(v.verifyBallot(vote, b.voter, b.ballot)), b.code, `${what}: its proofs and code`);
      const made = v.encryptBallot(vote, b.voter, { marks: b.marks, writeins: b.writeins || [] }, new v.TestRng(b.seed));
      assert.deepEqual(made.ballot, b.ballot, `${what}: the same ballot`);
      assert.equal(v.b64(made.code), b.code, `${what}: the same code`);
      n++;
    }
  }
  assert.ok(n > 0, 'the file holds ballots');
});
