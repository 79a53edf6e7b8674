// encrypt.mjs — bench/run-encrypt: the time a delegate's terminal takes to encrypt a verifiable ballot
// (web/lib/verifiable.js), in Debian's Chromium on a page served by yishi (its CSP, the embedded libsodium)
// and in node, for a 1-seat election and a 72-candidate, 60-seat one. Prints the figures RESULTS.md keeps.
import { startHall } from '../tests/browser/lib/harness.mjs';
import * as lib from '../web/lib/verifiable.js';

const RUNS = Number(process.env.RUNS || 10);

// Runs in either engine (as source in the page): RUNS encryptions of each ballot with the system's
// randomness, then one check of the last (what the server does), in ms.
function measure(v, runs) {
  const K = v.mulBase(v.systemRng.scalar());
  const shape = (S, names) => v.voteContext({
    Qk: new v.Hash('yishi-v1/key').digest(), K, X: [K], sessionId: '0'.repeat(64), kind: 'election', id: 1, V: 3000, S, names, writeIns: true,
  });
  const members = Array.from({ length: 72 }, (_, i) => `候选人${i + 1}`);
  const cases = [
    ['1 seat, 2 candidates, write-ins, V = 3000', shape(1, ['甲', '乙']), { marks: ['abstain', 'abstain'], writeins: ['王五'] }],
    ['60 seats, 72 candidates, write-ins, V = 3000', shape(60, members),
      { marks: members.map((_, i) => (i < 55 ? 'yes' : i < 65 ? 'no' : 'abstain')), writeins: ['王五', '赵六'] }],
  ];
  return cases.map(([name, vote, choice]) => {
    const times = [];
    let sealed;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      sealed = v.encryptBallot(vote, '140100034', choice, v.systemRng);
      times.push(performance.now() - t0);
    }
    const t0 = performance.now();
    v.verifyBallot(vote, '140100034', sealed.ballot);
    const check = performance.now() - t0;
    times.sort((a, b) => a - b);
    return { name, median: times[times.length >> 1], min: times[0], max: times[times.length - 1], check, bytes: JSON.stringify(sealed.ballot).length };
  });
}

function print(engine, rows) {
  for (const r of rows)
    console.log(`${engine.padEnd(9)} ${r.name.padEnd(46)} encrypt median ${r.median.toFixed(0)} ms (min ${r.min.toFixed(0)}, max ${r.max.toFixed(0)}); ` +
      `check ${r.check.toFixed(0)} ms; ${(r.bytes / 1024).toFixed(1)} KiB of JSON`);
}

const hall = await startHall();
try {
  const page = await hall.newPage();
  await page.goto('/');
  const got = await page.evaluate(`(async () => {
    const t0 = performance.now();
    const v = await import('/lib/verifiable.js');
    const load = performance.now() - t0;
    return { load, rows: (${measure.toString()})(v, ${RUNS}) };
  })()`);
  if (page.errors.length) throw new Error(page.errors.join('\n'));
  console.log(`chromium  loading verifiable.js with libsodium (fetch, compile, init): ${got.load.toFixed(0)} ms`);
  print('chromium', got.rows);
} finally {
  await hall.stop();
}
print(`node ${process.versions.node.split('.')[0]}`, measure(lib, RUNS));
