// diff.test.mjs — the terminal's line diff (web/terminal/diff.js) in node, without a browser: every script
// rebuilds both versions, is as short as the longest common subsequence allows, and stays cheap on long texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffLines, diffStats, lines, withContext } from '../../web/terminal/diff.js';

const rebuilt = (script) => ({
  before: script.filter((e) => e.op !== 'add').map((e) => e.line),
  after: script.filter((e) => e.op !== 'del').map((e) => e.line),
});

function lcs(a, b) {
  const d = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i][j] = a[i - 1] === b[j - 1] ? d[i - 1][j - 1] + 1 : Math.max(d[i - 1][j], d[i][j - 1]);
  return d[a.length][b.length];
}

test('a changed line is one removal then one addition, with line numbers in each version', () => {
  const s = diffLines(['甲', '乙', '丙'], ['甲', '丁', '丙']);
  assert.deepEqual(s.map((e) => [e.op, e.line, e.old, e.new]), [
    ['same', '甲', 1, 1], ['del', '乙', 2, null], ['add', '丁', null, 2], ['same', '丙', 3, 3],
  ]);
  assert.deepEqual(diffStats(s), { added: 1, removed: 1 });
});

test('empty versions, and a final newline that makes no empty line', () => {
  assert.deepEqual(diffLines([], []), []);
  assert.deepEqual(lines('a\nb\n'), ['a', 'b']);
  assert.deepEqual(lines('a\r\nb'), ['a', 'b']);
  assert.deepEqual(diffLines([], ['x']).map((e) => e.op), ['add']);
});

test('random versions: both rebuilt, and the shortest script', () => {
  let seed = 7;
  const rand = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  for (let i = 0; i < 2000; i++) {
    const a = Array.from({ length: rand(14) }, () => 'abcd'[rand(4)]);
    const b = Array.from({ length: rand(14) }, () => 'abcd'[rand(4)]);
    const s = diffLines(a, b);
    assert.deepEqual(rebuilt(s), { before: a, after: b });
    const { added, removed } = diffStats(s);
    assert.equal(added + removed, a.length + b.length - 2 * lcs(a, b), `${a} → ${b}`);
  }
});

test('unchanged runs fold to the context around each change', () => {
  const a = lines('1\n2\n3\n4\n5\n6\n7\n8');
  const b = lines('1\n2\n3\n4\nX\n6\n7\n8');
  assert.deepEqual(withContext(diffLines(a, b), 1).map((e) => e.op === 'skip' ? `skip ${e.count}` : `${e.op} ${e.line}`),
    ['skip 3', 'same 4', 'del 5', 'add X', 'same 6', 'skip 2']);
});

test('a long document with a few changes, and one changed throughout, stay cheap', () => {
  const a = Array.from({ length: 20000 }, (_, i) => `第${i}行`);
  const b = a.slice();
  b[5000] = '改动';
  b.splice(12000, 3);
  assert.deepEqual(diffStats(diffLines(a, b)), { added: 1, removed: 4 });
  const c = a.map((l) => `${l}（改）`);
  const all = diffLines(a, c); /* beyond the edit limit: one replaced block */
  assert.deepEqual(rebuilt(all), { before: a, after: c });
  assert.deepEqual(diffStats(all), { added: 20000, removed: 20000 });
});
