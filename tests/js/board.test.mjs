// board.test.mjs — web/lib/verifiable.js's BoardSums, what the trustee page checks before it decrypts: the
// board's ballots summed into the aggregates the close records, and what a dishonest server could ask instead —
// one delegate's ballot as "the aggregate", a ballot changed or copied on the board, a code that is not its
// ballot's, a shuffle's label — each refused, naming where.
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
