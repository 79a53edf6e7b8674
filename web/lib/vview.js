// vview.js — a verifiable election or poll as the API shows it (docs/verifiable.md §3, §4, §8): its context
// rebuilt from the vote's view and its key's record, and the check of a count from GET …/tally. Pure: the
// terminal, the board and the tests give it what they read; nothing here fetches.
//
// `kind` is 'election' or 'poll'; `data` the view of GET /api/elections/{id} or /api/polls/{id} (with its
// `verifiable`); `key` the record of GET /api/keys/{id}.
import { VerifiableError, b64, pointFrom, unb64, voteContext } from './verifiable.js';
import { ceremonyQk, checkPartials, combine, commitmentFrom, encodes, publicShareFrom } from './trustee.js';

// The ceremony's public side: Qk, and each trustee's public share checked against every commitment.
export function keyFrom(sessionId, key) {
  const logins = key.trustees.map((x) => x.login);
  const Qk = ceremonyQk({ sessionId, keyId: key.id, n: logins.length, k: key.threshold, logins });
  const As = key.trustees.map((x) => commitmentFrom(Qk, x.index, key.threshold, x.commitment).A);
  const X = key.trustees.map((x) => publicShareFrom(Qk, x.index, As, x.public_share));
  return { Qk, X, k: key.threshold };
}

// What §4 hashes for this vote: an election's list and seats, or a poll's question as its one "candidate"
// on one seat (what src/core/poll_v.c gives ys__vvote_for).
function listOf(kind, data) {
  if (kind === 'poll') return { S: 1, names: [data.title] };
  if (kind === 'election') return { S: data.seats, names: (data.candidates || []).map((c) => c.name) };
  throw new RangeError(`a vote is an election or a poll: ${kind}`);
}

// The vote's context (§4) from its view and key, checked against the joint key, B, P and Q its open
// recorded: a device that would encrypt or check under another context refuses here, naming what differs.
export function voteFrom(kind, data, key) {
  const ctx = data.verifiable?.context;
  if (!ctx) throw new VerifiableError('verifiable.context', 'the vote has no context before its open');
  if (key.joint_key !== ctx.joint_key) throw new VerifiableError('joint_key', 'the key’s joint key is not the one the vote was opened with');
  const { Qk, X } = keyFrom(ctx.session, key);
  const vote = voteContext({
    Qk, K: pointFrom(ctx.joint_key, 'joint_key'), X, sessionId: ctx.session, kind, id: data.id, V: ctx.V,
    ...listOf(kind, data), writeIns: ctx.P > 0,
  });
  if (vote.B !== ctx.B || vote.P !== ctx.P || b64(vote.Q) !== ctx.Q) {
    throw new VerifiableError('Q', `the context rebuilt here (Q ${b64(vote.Q).slice(0, 12)}…) is not the one the vote was opened with (Q ${String(ctx.Q).slice(0, 12)}…)`);
  }
  return vote;
}

// What the count says each aggregate decrypts to (§8): yes + B·no for each listed candidate in the order of
// the list, then the number of names written in; a poll's one aggregate, yes + B·no of its totals.
export function expectedValues(kind, data) {
  const B = data.verifiable.context.B;
  if (kind === 'poll') {
    if (!Number.isInteger(data.yes) || !Number.isInteger(data.no)) throw new VerifiableError('poll', 'no totals to check');
    return [data.yes + B * data.no];
  }
  const counts = data.result?.candidates || [];
  const values = (data.candidates || []).map((c) => {
    const r = counts.find((x) => x.name === c.name && !x.write_in);
    if (!r) throw new VerifiableError('result', `${c.name}: no count`);
    return r.yes + B * r.no;
  });
  // The names written in, valid or not (a name on the list, or empty, counts for no one, §9): what the view
  // says T_W decrypted to, which the names counted may not exceed. Their link to the names goes through the
  // shuffles, which yishi-verify checks.
  const named = counts.filter((x) => x.write_in).reduce((n, x) => n + x.yes, 0);
  const written = data.verifiable.written_in;
  if (Number.isInteger(written) && written < named)
    throw new VerifiableError('result', `${named} names counted of ${written} written in`);
  values.push(Number.isInteger(written) ? written : named);
  return values;
}

// The check of a counted vote by its tally (GET …/tally): every trustee's public share against the
// commitments, every partial decryption's proof, and that the first k of them combine into exactly the
// numbers the view's count gives. Returns { trustees } (how many decryptions were checked); throws naming
// the first thing that does not hold.
export function checkTally(kind, data, key, tally) {
  const ctx = data.verifiable.context;
  const { X, k } = keyFrom(ctx.session, key);
  if (tally.Q !== ctx.Q) throw new VerifiableError('Q', 'the tally is bound to another context than the vote’s');
  const Q = unb64(tally.Q, 'Q', 64);
  const Ds = tally.partials.map((p) => {
    if (!X[p.trustee - 1]) throw new VerifiableError('partials', `no trustee ${p.trustee} in key ${key.id}`);
    return checkPartials(X[p.trustee - 1], p.trustee, Q, tally.ciphertexts, p.partial);
  });
  if (Ds.length < k) throw new VerifiableError('partials', `${Ds.length} decryptions, ${k} needed`);
  const M = combine(tally.ciphertexts, tally.partials.slice(0, k).map((p) => p.trustee), Ds.slice(0, k));
  const want = expectedValues(kind, data);
  if (M.length !== want.length) throw new VerifiableError('ciphertexts', `${M.length} aggregates, ${want.length} numbers counted`);
  M.forEach((m, i) => {
    if (!encodes(m, want[i])) throw new VerifiableError(tally.ciphertexts[i].label, `does not decrypt to ${want[i]}, the number counted`);
  });
  return { trustees: Ds.length };
}
