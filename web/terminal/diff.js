// diff.js — what changed between two versions of a document, line by line: Myers' shortest edit script,
// so that a long document with a few changed lines costs little. Plain data in, plain data out (no DOM).

// The lines of a text; a final newline does not make an empty last line.
export function lines(text) {
  const a = String(text ?? '').split(/\r\n|\r|\n/);
  if (a.length && a[a.length - 1] === '') a.pop();
  return a;
}

// Beyond this many changed lines the script would cost more memory than a terminal has to spare (the
// saved frontiers grow as its square); the versions are then shown as one replaced block.
const MAX_EDITS = 3000;

// [{ op: 'same' | 'del' | 'add', line, old, new }] turning `before` into `after` (arrays of lines), in
// reading order, deletions before the additions that replace them; `old` and `new` are 1-based line
// numbers in each version (null where the line is not in it).
export function diffLines(before, after) {
  const n = before.length;
  const m = after.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace = [];
  let found = max === 0;
  for (let d = 0; d <= max && !found; d++) {
    if (d > MAX_EDITS) return replaceAll(before, after);
    trace.push(v.slice(max - d, max + d + 1)); /* the frontier before step d: diagonals -d..d */
    for (let k = -d; k <= d; k += 2) {
      let x;
      if (k === -d || (k !== d && v[max + k - 1] < v[max + k + 1])) x = v[max + k + 1];
      else x = v[max + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && before[x] === after[y]) {
        x++;
        y++;
      }
      v[max + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  return backtrack(trace, before, after);
}

// Walks the saved frontiers back from the end, emitting the edit script in reverse, then turns it round.
function backtrack(trace, before, after) {
  const out = [];
  let x = before.length;
  let y = after.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const v = trace[d];
    const at = (kk) => v[kk + d];
    const k = x - y;
    let prevK;
    if (k === -d || (k !== d && at(k - 1) < at(k + 1))) prevK = k + 1;
    else prevK = k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      out.push({ op: 'same', line: before[x - 1], old: x, new: y });
      x--;
      y--;
    }
    if (d === 0) break;
    if (x === prevX) out.push({ op: 'add', line: after[y - 1], old: null, new: y });
    else out.push({ op: 'del', line: before[x - 1], old: x, new: null });
    x = prevX;
    y = prevY;
  }
  out.reverse();
  return groupChanges(out);
}

function replaceAll(before, after) {
  return [
    ...before.map((line, i) => ({ op: 'del', line, old: i + 1, new: null })),
    ...after.map((line, i) => ({ op: 'add', line, old: null, new: i + 1 })),
  ];
}

// Within each run of changes, the removed lines come first and then the added ones, as a reader expects.
function groupChanges(script) {
  const out = [];
  let dels = [];
  let adds = [];
  const flush = () => {
    out.push(...dels, ...adds);
    dels = [];
    adds = [];
  };
  for (const e of script) {
    if (e.op === 'del') dels.push(e);
    else if (e.op === 'add') adds.push(e);
    else {
      flush();
      out.push(e);
    }
  }
  flush();
  return out;
}

// How many lines were added and removed.
export function diffStats(script) {
  let added = 0;
  let removed = 0;
  for (const e of script) {
    if (e.op === 'add') added++;
    else if (e.op === 'del') removed++;
  }
  return { added, removed };
}

// The script cut to the changes and `context` unchanged lines around each; the lines left out become
// { op: 'skip', count }.
export function withContext(script, context = 2) {
  const keep = new Uint8Array(script.length);
  script.forEach((e, i) => {
    if (e.op === 'same') return;
    for (let j = Math.max(0, i - context); j <= Math.min(script.length - 1, i + context); j++) keep[j] = 1;
  });
  const out = [];
  let skipped = 0;
  script.forEach((e, i) => {
    if (keep[i]) {
      if (skipped) out.push({ op: 'skip', count: skipped });
      skipped = 0;
      out.push(e);
    } else skipped++;
  });
  if (skipped) out.push({ op: 'skip', count: skipped });
  return out;
}
