// board.test.mjs — web/lib/verifiable.js's BoardSums, what the trustee page checks before it decrypts: the
// board's ballots summed into the aggregates the close records, and what a dishonest server could ask instead —
// one delegate's ballot as "the aggregate", a ballot changed or copied on the board, a code that is not its
// ballot's, a shuffle's label before its shuffles are checked — each refused, naming where; and the write-ins'
// tuples with the shuffles of §9 checked in turn (a changed input or output, a repeated shuffler refused).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from '../../web/lib/verifiable.js';

const K = v.mulBase(new v.TestRng('board-key').scalar());
const vote = v.voteContext({ Qk: new v.Hash('yishi-v1/key').text('board').digest(), K, X: [K], sessionId: 'b'.repeat(64), kind: 'election', id: 4, V: 20, S: 1, names: ['甲', '乙'], writeIns: true });
const MARKS = [['yes', 'no'], ['yes', 'abstain'], ['no', 'yes'], ['abstain', 'abstain']];
const rng = new v.TestRng('board-ballots');
const board = MARKS.map((marks, i) => {
  const voter = `1401000${10 + i}`;
  const sealed = v.encryptBallot(vote, voter, v.choiceFrom(vote, marks, i === 3 ? ['丙'] : []), rng);
  return { seq: 100 + i, voter, code: v.b64(sealed.code), ballot: sealed.ballot };
});
const copy = (x) => JSON.parse(JSON.stringify(x));

// What an honest close records: each candidate's Σ E_c, and Σ U, with their labels.
function honestCiphertexts() {
  const sum = (f) => v.ctJson(v.ctSum(board.map((x) => v.ctFrom(f(x.ballot), 'ct'))));
  return [
    { label: 'tally/1', ct: sum((b) => b.marks[0].ct) },
    { label: 'tally/2', ct: sum((b) => b.marks[1].ct) },
    { label: 'tally/writein', ct: sum((b) => b.writein.count.ct) },
  ];
}

function sums(list = board, opts) {
  const s = new v.BoardSums(vote, opts);
  s.add(list);
  return s;
}

function refused(f, where, text) {
  assert.throws(f, (e) => {
    assert.ok(e instanceof v.VerifiableError, e.stack);
    assert.equal(e.where, where);
    assert.ok(!text || e.message.includes(text), e.message);
    return true;
  });
}

test('the sums of the board are the aggregates, with proofs checked or not', () => {
  for (const proofs of [true, false]) {
    const s = sums(board, { proofs });
    assert.equal(s.count, 4);
    s.match(honestCiphertexts());
  }
});

test("one delegate's ballot handed over as the aggregate is refused, naming the ciphertext", () => {
  const cts = honestCiphertexts();
  cts[0].ct = board[1].ballot.marks[0].ct;
  refused(() => sums().match(cts), 'ciphertexts[0]', 'tally/1 is not the sum of the 4 ballots on the board');
  const w = honestCiphertexts();
  w[2].ct = board[3].ballot.writein.count.ct;
  refused(() => sums().match(w), 'ciphertexts[2]', 'tally/writein');
});

test('a board of that one ballot sums to it: the count is what tells (the page compares it with the vote)', () => {
  const s = sums([board[1]]);
  s.match([{ label: 'tally/1', ct: board[1].ballot.marks[0].ct }]);
  assert.equal(s.count, 1);
});

test('a ballot changed, copied or with another code on the board is refused, naming it', () => {
  const changed = copy(board);
  changed[2].ballot.marks[0].ct = board[0].ballot.marks[0].ct;
  refused(() => sums(changed), 'marks[0].proof', 'the ballot of delegate 140100012 (event 102)');
  refused(() => sums([board[0], { ...board[0], seq: 104 }], { proofs: false }), 'ballot', 'a copied ballot');
  refused(() => sums([{ ...board[1], code: board[0].code }], { proofs: false }), 'code', 'event 101');
});

test('labels that name no aggregate, and a shuffle\'s outputs, are not decrypted', () => {
  const s = sums();
  refused(() => s.match([{ label: 'tally/3', ct: honestCiphertexts()[0].ct }]), 'ciphertexts[0]', 'tally/3 names no aggregate');
  refused(() => s.match([{ label: 'mix/1', ct: honestCiphertexts()[0].ct }]), 'ciphertexts[0]', 'mix/1');
  refused(() => s.match([]), 'ciphertexts');
});

test('every proof of 40 ballots of two candidates, timed', () => {
  const many = Array.from({ length: 40 }, (_, i) => {
    const voter = `1402${String(i).padStart(5, '0')}`;
    const sealed = v.encryptBallot(vote, voter, v.choiceFrom(vote, ['yes', 'no'], []), rng);
    return { seq: 200 + i, voter, code: v.b64(sealed.code), ballot: sealed.ballot };
  });
  for (const proofs of [false, true]) {
    const t = performance.now();
    assert.equal(sums(many, { proofs }).count, 40);
    console.log(`# 40 ballots of 2 candidates summed, proofs ${proofs ? 'checked' : 'not checked'}: ${Math.round(performance.now() - t)} ms`);
  }
});

// ---- the write-ins' tuples and the shuffles (§9) ----

const K2 = { proofs: false, k: 2 };
const asBoard = (shuffle) => {
  const { output, ...proof } = shuffle;
  return { output, proof };
};
// Shuffle m of the current tuples of s, by a prover drawing from the seed: { output, proof } as the board has it.
const shuffleOf = (s, m, seed = `board-mix/${m}`) => asBoard(v.proveShuffle(vote, m, s.tuples, { rng: new v.TestRng(seed) }));

test("each ballot's tuple (U, D₁ … D_P) in the order cast: the first shuffle's input", () => {
  const s = sums(board, K2);
  assert.equal(s.tuples.length, 4);
  assert.deepEqual(v.tuplesJson(s.tuples), board.map((x) => [x.ballot.writein.count.ct, ...x.ballot.writein.block.map((d) => d.ct)]));
  assert.equal(s.tuples[0].length, vote.P + 1);
});

test('k shuffles checked in turn; then mix/i and block/i/p match the last output, and not before', () => {
  const s = sums(board, K2);
  const first = shuffleOf(s, 1);
  s.addShuffle(1, 3, first.output, first.proof);
  assert.deepEqual(v.tuplesJson(s.tuples), first.output);
  const last = [{ label: 'mix/1', ct: first.output[0][0] }, { label: 'block/2/1', ct: first.output[1][1] }];
  refused(() => s.match(last), 'ciphertexts[0]', 'this trustee has checked 1 of the 2 shuffles');
  const second = shuffleOf(s, 2);
  s.addShuffle(2, 1, second.output, second.proof);
  refused(() => s.match(last), 'ciphertexts[0]', 'mix/1 is not the ciphertext of the last of the 2 shuffles checked');
  const cts = [
    ...second.output.map((t, i) => ({ label: `mix/${i + 1}`, ct: t[0] })),
    ...second.output[2].slice(1).map((ct, p) => ({ label: `block/3/${p + 1}`, ct })),
  ];
  s.match(cts);
  refused(() => s.match([{ label: 'block/5/1', ct: second.output[0][1] }]), 'ciphertexts[0]', 'block/5/1 names no ciphertext of the 4 tuples of 3');
  refused(() => s.match([{ label: `block/1/${vote.P + 1}`, ct: second.output[0][1] }]), 'ciphertexts[0]', 'names no ciphertext');
  // The aggregates still match: the shuffles change the tuples, not the sums.
  s.match(honestCiphertexts());
});

test('a shuffle of a changed input, a repeated shuffler, a shuffle out of turn or beyond k are refused', () => {
  const s = sums(board, K2);
  // A shuffle made of other tuples (one ballot's block replaced by another's) does not verify against the board's.
  const forged = sums(board, K2);
  forged.tuples[0] = forged.tuples[1].map((e) => v.ctAdd(e, v.encryptPoint(K, v.IDENTITY, new v.TestRng('re').scalar())));
  const bad = shuffleOf(forged, 1);
  refused(() => s.addShuffle(1, 2, bad.output, bad.proof), 'shuffle 1.s1', 'shuffle 1 by trustee 2');
  assert.equal(s.shufflers.length, 0);
  const first = shuffleOf(s, 1);
  refused(() => s.addShuffle(2, 2, first.output, first.proof), 'shuffle 2', 'shuffle 1 is the next to check');
  s.addShuffle(1, 2, first.output, first.proof);
  const again = shuffleOf(s, 2);
  refused(() => s.addShuffle(2, 2, again.output, again.proof), 'shuffle 2', 'trustee 2 made shuffle 1 already');
  s.addShuffle(2, 3, again.output, again.proof);
  const third = shuffleOf(s, 3);
  refused(() => s.addShuffle(3, 1, third.output, third.proof), 'shuffle 3', 'only 2 shuffles are made');
  refused(() => s.addShuffle(3, 1, third.output, { ...third.proof, output: third.output }), 'shuffle 3');
});

test('a changed output or response of a shuffle is refused, naming the equation', () => {
  const s = sums(board, K2);
  const good = shuffleOf(s, 1);
  const out = copy(good.output);
  out[0][0] = good.output[1][0];
  // The output is hashed into the challenge: the first equation already fails.
  refused(() => s.addShuffle(1, 1, out, good.proof), 'shuffle 1.s1', "shuffle 1's proof does not verify");
  const proof = copy(good.proof);
  proof.s.s_hat[2] = good.proof.s.s_hat[1];
  refused(() => s.addShuffle(1, 1, good.output, proof), 'shuffle 1.s_hat/3');
  const malformed = copy(good.proof);
  malformed.c.pop();
  refused(() => s.addShuffle(1, 1, good.output, malformed), 'shuffle 1.shuffle.c', 'an array of 4');
  s.addShuffle(1, 1, good.output, good.proof);
});
