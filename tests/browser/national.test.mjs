// national.test.mjs — the board and the chair's console at the size of the National People's Congress
// (yishi demo --hall npc): every delegate present votes at once, and both pages end showing every vote and
// every voter's seat lit. The render and update figures are printed, not asserted: timings on a shared
// machine are not a test (bench/run-pages keeps them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describe, measureNational } from './lib/national.mjs';

test('2,977 delegates: the board and the console show every vote of a burst (figures printed)', async () => {
  const r = await measureNational();
  console.log(describe(r));
  assert.equal(Number(r.boardTurnout.replace(/\D/g, '')), r.present);
  assert.equal(Number(r.chairTurnout.replace(/\D/g, '')), r.present);
  assert.equal(r.lit, r.present, 'the seat of every delegate who voted is lit on the board');
  assert.ok(r.board.frames > 0 && r.chair.frames > 0);
});
