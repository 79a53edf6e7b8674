// shuffle.mjs — the trustee page's shuffle of the write-ins (web/lib/verifiable.js proveShuffle and
// verifyShuffle, docs/verifiable.md §9) at a hall's size, in node: N tuples of w ciphertexts (N = 3000, w = 2
// unless N and W say otherwise), proved with the system's randomness and a random permutation, then checked.
// `node bench/shuffle.mjs`; prints the figures RESULTS.md keeps.
import * as v from '../web/lib/verifiable.js';

const N = Number(process.env.N || 3000);
const W = Number(process.env.W || 2);
const RUNS = Number(process.env.RUNS || 1);

const K = v.mulBase(v.systemRng.scalar());
const vote = { Q: new v.Hash('yishi-bench/q').text('shuffle').digest(), K };
const input = Array.from({ length: N }, (_, i) => Array.from({ length: W }, (_, l) => v.encrypt(K, i + l, v.systemRng.scalar())));

for (let run = 0; run < RUNS; run++) {
  let t0 = performance.now();
  const shuffle = v.proveShuffle(vote, 1, input);
  const prove = performance.now() - t0;
  t0 = performance.now();
  v.verifyShuffle(vote, 1, input, shuffle);
  const verify = performance.now() - t0;
  const bytes = JSON.stringify(shuffle).length;
  console.log(`node ${process.version}: N = ${N}, w = ${W}: prove ${(prove / 1000).toFixed(1)} s, verify ${(verify / 1000).toFixed(1)} s, JSON ${(bytes / 1048576).toFixed(2)} MiB`);
}
