// verifiable.test.mjs — the ballots' cryptography (web/lib/verifiable.js) in Chromium as yishi serve gives
// it, under the pages' CSP: libsodium compiles as WebAssembly, and a ballot encrypted from a test seed is
// byte for byte the one node makes (tests/js/ checks the library itself).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHall } from './lib/harness.mjs';
import * as v from '../../web/lib/verifiable.js';

let hall;
before(async () => { hall = await startHall(); });
after(async () => { await hall?.stop(); });

// The same ballot in both engines: a context from fixed values, then a seeded encryption.
function seededBallot(lib) {
  const rng = new lib.TestRng('browser');
  const K = lib.mulBase(rng.scalar());
  const vote = lib.voteContext({
    Qk: new lib.Hash('yishi-test/key').digest(), K, X: [K], sessionId: '0'.repeat(64), kind: 'election',
    id: 7, V: 3000, S: 1, names: ['甲', '乙'], writeIns: true,
  });
  const sealed = lib.encryptBallot(vote, '140100034', { marks: ['no', 'abstain'], writeins: ['王五'] }, rng);
  return { ballot: sealed.ballot, code: lib.codeText(sealed.code) };
}

test('the library loads under the CSP as WebAssembly and encrypts as node does', async () => {
  const page = await hall.newPage();
  const r = await page.goto('/');
  assert.match(r.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/);
  const vendored = await page.request.get('/vendor/libsodium/libsodium-sumo.mjs');
  assert.equal(vendored.status(), 200);
  assert.match(vendored.headers()['content-type'], /^text\/javascript/);
  // WebAssembly.instantiate counted before the library loads: libsodium compiles its module once, and the
  // CSP still refuses eval() of script.
  const got = await page.evaluate(`(async () => {
    const instantiate = WebAssembly.instantiate;
    let compiled = 0;
    WebAssembly.instantiate = (...args) => (compiled++, instantiate(...args));
    const lib = await import('/lib/verifiable.js');
    let evalRan;
    try { evalRan = eval('true'); } catch (e) { evalRan = e.name; }
    return { compiled, evalRan, made: (${seededBallot.toString()})(lib) };
  })()`);
  assert.equal(got.compiled, 1);
  assert.equal(got.evalRan, 'EvalError');
  assert.deepEqual(got.made, seededBallot(v));
  assert.deepEqual(page.errors, []);
});
