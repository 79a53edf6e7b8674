// vview.test.mjs — a verifiable vote as the API shows it (web/lib/vview.js): a poll's and an election's
// context rebuilt from views shaped as GET /api/polls/{id}, /api/elections/{id} and /api/keys/{id} give them
// (the key of tests/vectors/keys.json, its trustees restored from the C code's backups), refused when the
// view does not give the recorded Q; and the board's check of a count from a tally that three encrypted
// ballots and two trustees' decryptions make here, refused when any part of it is changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as v from '../../web/lib/verifiable.js';
import * as tr from '../../web/lib/trustee.js';
import { checkTally, expectedValues, voteFrom } from '../../web/lib/vview.js';

const cer = JSON.parse(readFileSync(new URL('../vectors/keys.json', import.meta.url))).ceremony;
const P = { sessionId: cer.session_id, keyId: cer.key_id, n: cer.n, k: cer.k, logins: cer.logins };
const trustees = cer.trustees.map((t) => tr.restoreTrustee(P, t.index, t.backup));

// The key's record as GET /api/keys/{id} gives it, complete.
const key = {
  id: cer.key_id, threshold: cer.k, state: 'complete', joint_key: cer.key,
  trustees: cer.trustees.map((t, i) => ({ index: t.index, login: cer.logins[i], commitment: t.commitment, public_share: t.public_share })),
};

const TITLE = '关于2027年预算的决议';

// A view whose context is what the C code would record: made here by voteContext from the same inputs.
function viewOf(kind, extra) {
  const base = { id: 4, ...extra };
  const vote = v.voteContext({
    Qk: v.unb64(cer.qk, 'qk', 64), K: v.pointFrom(cer.key), X: cer.trustees.map((t) => v.pointFrom(t.public_share.share)),
    sessionId: cer.session_id, kind, id: base.id, V: 30,
    ...(kind === 'poll' ? { S: 1, names: [base.title] } : { S: base.seats, names: base.candidates.map((c) => c.name) }),
    writeIns: kind === 'election',
  });
  const context = { V: 30, B: vote.B, P: vote.P, Q: v.b64(vote.Q), joint_key: cer.key, session: cer.session_id };
  return { ...base, verifiable: { key: cer.key_id, threshold: cer.k, context, counted: true } };
}

const refused = (f, where) => assert.throws(f, (e) => e instanceof v.VerifiableError && e.where === where);

test('a poll\'s context and an election\'s from their views and the key, and a view that is not the one opened refused', () => {
  const poll = viewOf('poll', { title: TITLE });
  const vote = voteFrom('poll', poll, key);
  assert.equal(v.b64(vote.Q), poll.verifiable.context.Q);
  assert.deepEqual([vote.kind, vote.C, vote.S, vote.P, vote.names], ['poll', 1, 1, 0, [TITLE]]);
  const el = viewOf('election', { seats: 2, candidates: [{ name: '甲' }, { name: '乙' }, { name: '丙' }] });
  const ev = voteFrom('election', el, key);
  assert.equal(v.b64(ev.Q), el.verifiable.context.Q);
  assert.ok(ev.P > 0, 'an election takes write-ins');
  // The question changed, another id, the poll read as an election, another joint key, a share not the key's.
  refused(() => voteFrom('poll', { ...poll, title: `${TITLE}（草案）` }, key), 'Q');
  refused(() => voteFrom('poll', { ...poll, id: 5 }, key), 'Q');
  refused(() => voteFrom('election', { ...poll, seats: 1, candidates: [{ name: TITLE }] }, key), 'Q');
  refused(() => voteFrom('poll', poll, { ...key, joint_key: cer.trustees[0].public_share.share }), 'joint_key');
  const swapped = { ...key, trustees: [key.trustees[1], key.trustees[0], key.trustees[2]].map((t, i) => ({ ...t, index: i + 1 })) };
  assert.throws(() => voteFrom('poll', poll, swapped), v.VerifiableError);
  refused(() => voteFrom('poll', { ...poll, verifiable: { ...poll.verifiable, context: undefined } }, key), 'verifiable.context');
});

// Three ballots (yes, no, yes) encrypted for the poll, their aggregate, and trustees 3 and 1 decrypting it.
function pollTally(poll) {
  const vote = voteFrom('poll', poll, key);
  const rng = new v.TestRng('vview/poll');
  const cts = ['yes', 'no', 'yes'].map((m, i) => v.ctFrom(v.encryptBallot(vote, `D000${i + 1}`, { marks: [m] }, rng).ballot.marks[0].ct, 'ct'));
  const ciphertexts = [{ label: 'tally/1', ct: v.ctJson(v.ctSum(cts)) }];
  const Q = vote.Q;
  const partials = [1, 3].map((j) => ({ trustee: j, partial: tr.decryptPartials(trustees[j - 1], Q, ciphertexts) }));
  return { poll: poll.id, Q: v.b64(Q), ciphertexts, partials, counted: true };
}

test('a poll\'s count checked from its tally, and every changed part of it refused', () => {
  const poll = viewOf('poll', { title: TITLE, yes: 2, no: 1, abstain: 0 });
  assert.deepEqual(expectedValues('poll', poll), [2 + poll.verifiable.context.B]);
  const tally = pollTally(poll);
  assert.deepEqual(checkTally('poll', poll, key, tally), { trustees: 2 });
  // Totals other than the ballots'.
  refused(() => checkTally('poll', { ...poll, yes: 1, no: 2 }, key, tally), 'tally/1');
  refused(() => checkTally('poll', { ...poll, yes: 3, no: 0 }, key, tally), 'tally/1');
  refused(() => checkTally('poll', { ...poll, yes: undefined }, key, tally), 'poll');
  // A partial decryption changed, moved to another trustee, or missing.
  const moved = (d) => v.b64(v.add(v.pointFrom(d), v.G));
  const bad = structuredClone(tally);
  bad.partials[0].partial[0].d = moved(bad.partials[0].partial[0].d);
  refused(() => checkTally('poll', poll, key, bad), 'trustee 1.partial[0]');
  refused(() => checkTally('poll', poll, key, { ...tally, partials: [{ ...tally.partials[0], trustee: 2 }, tally.partials[1]] }), 'trustee 2.partial[0]');
  refused(() => checkTally('poll', poll, key, { ...tally, partials: tally.partials.slice(1) }), 'partials');
  refused(() => checkTally('poll', poll, key, { ...tally, partials: [{ ...tally.partials[0], trustee: 9 }] }), 'partials');
  // Another aggregate (the partials then no longer prove), another context.
  const other = structuredClone(tally);
  other.ciphertexts[0].ct[1] = moved(other.ciphertexts[0].ct[1]);
  assert.throws(() => checkTally('poll', poll, key, other), v.VerifiableError);
  refused(() => checkTally('poll', poll, key, { ...tally, Q: v.b64(new v.Hash('other').digest()) }), 'Q');
});

test('an election\'s numbers: yes + B·no per listed candidate in list order, then the names written in', () => {
  const el = viewOf('election', { seats: 1, candidates: [{ name: '甲' }, { name: '乙' }] });
  const B = el.verifiable.context.B;
  const result = { candidates: [{ name: '乙', yes: 1, no: 2 }, { name: '甲', yes: 3, no: 0 }, { name: '王五', yes: 2, write_in: true }] };
  assert.deepEqual(expectedValues('election', { ...el, result }), [3, 1 + 2 * B, 2]);
  refused(() => expectedValues('election', { ...el, result: { candidates: result.candidates.slice(1) } }), 'result');
  // A name that counts for no one is still one written in: T_W is what the view says, never fewer than counted.
  const voided = { ...el, verifiable: { ...el.verifiable, written_in: 3 }, result };
  assert.deepEqual(expectedValues('election', voided), [3, 1 + 2 * B, 3]);
  refused(() => expectedValues('election', { ...voided, verifiable: { ...el.verifiable, written_in: 1 } }), 'result');
});
