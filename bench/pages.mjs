// pages.mjs — bench/run-pages: the board and the chair's console on the national demo, every delegate
// present voting at once (tests/browser/lib/national.mjs does the work; the browser test national.test.mjs
// runs the same and checks what the pages showed). Prints the figures bench/RESULTS.md keeps.
import { describe, measureNational } from '../tests/browser/lib/national.mjs';

const [w, h] = (process.env.BOARD_SIZE || '3840x2160').split('x').map(Number);
const r = await measureNational({ voters: Number(process.env.VOTERS || 64), board: { width: w, height: h } });
console.log(describe(r));
