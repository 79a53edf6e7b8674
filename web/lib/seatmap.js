// seatmap.js — the hall as an SVG seat map, drawn from the layout data (tiers, blocks, rows, seats), each
// seat coloured by a state the page sets: absent, present, on leave, has voted, or a named vote's choice.
// Built once; a live event changes one seat's class, never the whole map, so that 3,000 seats stay fast.

import { s } from './dom.js';

const PITCH = 12; /* a seat's cell, in SVG units: the map scales to its box */
const SEAT = 10;
const ROW_GAP = 3;
const BLOCK_GAP = 18;
const TIER_GAP = 36;
const LABEL = 14;

export const SEAT_STATES = ['empty', 'absent', 'present', 'leave', 'voted', 'yes', 'no', 'abstain'];

// The layout the map draws: { tiers: [{ name, blocks: [{ name, delegation, rows: [[{ seat, delegate }]] }] }] }
// with rows front to back and seats left to right; `delegate` is an id or null (an empty seat).
// A session without a hall layout still gets a map: its delegates' seats `ROW-NUMBER` as one block.
export function layoutFromSeats(delegates) {
  const rows = new Map();
  for (const d of delegates) {
    const m = /^(\d+)-(\d+)$/.exec(d.seat || '');
    if (!m) continue;
    const r = Number(m[1]);
    if (!rows.has(r)) rows.set(r, []);
    rows.get(r).push({ seat: d.seat, delegate: d.id, n: Number(m[2]) });
  }
  const ordered = [...rows.keys()].sort((a, b) => a - b).map((r) => rows.get(r).sort((a, b) => a.n - b.n));
  return { tiers: [{ name: '', blocks: [{ name: '', delegation: null, rows: ordered }] }] };
}

// GET /api/hall as the map draws it: tiers of blocks of rows of seats, each seat with its delegate; null
// when the session has no layout yet (the caller then draws layoutFromSeats).
export function layoutFromHall(hall) {
  const tiers = (hall?.tiers || []).map((tier) => ({
    name: tier.name || '',
    blocks: (tier.blocks || []).map((b) => ({
      name: b.name || '',
      delegation: b.delegation_name || null,
      rows: (b.rows || []).map((r) => (r.seats || []).map((x) => ({ seat: x.code, delegate: x.delegate ?? null }))),
    })),
  }));
  return tiers.length ? { tiers } : null;
}

// Where each seat of a tier goes: blocks side by side, rows bowed gently around the rostrum as a hall's
// are, the widest row of a block setting its width. Returns the tier's seats with x, y and its height.
function placeTier(tier, top) {
  const blocks = tier.blocks.map((b) => ({ b, width: Math.max(1, ...b.rows.map((r) => r.length)) * PITCH }));
  const total = blocks.reduce((w, x) => w + x.width, 0) + BLOCK_GAP * Math.max(0, blocks.length - 1);
  const radius = Math.max(total * 1.1, 400);
  const placed = [];
  const labels = [];
  let left = 0;
  let depth = 0;
  for (const { b, width } of blocks) {
    b.rows.forEach((row, ri) => {
      const offset = (width - row.length * PITCH) / 2;
      row.forEach((seat, si) => {
        const x = left + offset + si * PITCH + PITCH / 2;
        const dx = x - total / 2;
        const bow = radius - Math.sqrt(Math.max(0, radius * radius - dx * dx));
        placed.push({ seat, x, y: top + LABEL + ri * (PITCH + ROW_GAP) + bow + PITCH / 2 });
      });
    });
    const rowsDepth = b.rows.length * (PITCH + ROW_GAP);
    const mid = left + width / 2 - total / 2;
    const bowMid = radius - Math.sqrt(Math.max(0, radius * radius - mid * mid));
    depth = Math.max(depth, LABEL + rowsDepth + bowMid);
    if (b.name || b.delegation) labels.push({ text: b.delegation || b.name, x: left + width / 2, y: top + bowMid + LABEL - 3 });
    left += width + BLOCK_GAP;
  }
  return { placed, labels, width: total, height: depth };
}

// Draws the map. Returns { el, set(delegateId, state), setAll(f), count(state) }: set() changes one seat.
export function seatMap(layout, { title = '' } = {}) {
  const tiers = [];
  let top = 30; /* the rostrum's band */
  let width = 0;
  for (const tier of layout.tiers || []) {
    const t = placeTier(tier, top);
    tiers.push({ tier, ...t, top });
    width = Math.max(width, t.width);
    top += t.height + TIER_GAP;
  }
  const height = Math.max(top - TIER_GAP + 10, 60);
  const svg = s('svg', { viewBox: `0 0 ${width + 20} ${height}`, class: 'seatmap', role: 'img', 'aria-label': title });
  if (title) svg.append(s('title', {}, title));
  svg.append(s('rect', { class: 'rostrum', x: (width + 20) / 2 - 120, y: 4, width: 240, height: 16, rx: 3 }));
  const byDelegate = new Map();
  const states = new Map();
  for (const t of tiers) {
    const shift = 10 + (width - t.width) / 2;
    const g = s('g', { transform: `translate(${shift} 0)` });
    if (t.tier.name) g.append(s('text', { class: 'tier-label', x: -4, y: t.top + LABEL - 3, 'text-anchor': 'end' }, t.tier.name));
    for (const l of t.labels) g.append(s('text', { class: 'block-label', x: l.x, y: l.y, 'text-anchor': 'middle' }, l.text));
    for (const p of t.placed) {
      const state = p.seat.delegate ? 'absent' : 'empty';
      const r = s('rect', {
        class: `seat ${state}`,
        x: (p.x - SEAT / 2).toFixed(1),
        y: (p.y - SEAT / 2).toFixed(1),
        width: SEAT,
        height: SEAT,
        rx: 2,
        'data-seat': p.seat.seat,
      });
      g.append(r);
      if (p.seat.delegate) {
        byDelegate.set(p.seat.delegate, r);
        states.set(p.seat.delegate, state);
      }
    }
    svg.append(g);
  }
  return {
    el: svg,
    has: (id) => byDelegate.has(id),
    set(id, state) {
      const r = byDelegate.get(id);
      if (!r || states.get(id) === state) return;
      r.classList.replace(states.get(id), state);
      states.set(id, state);
    },
    setAll(f) {
      for (const id of byDelegate.keys()) this.set(id, f(id));
    },
    count(state) {
      let n = 0;
      for (const v of states.values()) n += v === state;
      return n;
    },
  };
}
