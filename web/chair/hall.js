// hall.js — the seat map on the chair's console: each seat coloured by its delegate's presence, and while a
// vote is open by whether they have voted (the chair always sees who has voted, never how). One seat is
// recoloured per event; the map is drawn again only when the delegates change.

import { fill, h, $ } from '/lib/dom.js';
import { t } from '/lib/i18n.js';
import { layoutFromHall, layoutFromSeats, seatMap } from '/lib/seatmap.js';

const PRESENCE_STATE = { present: 'present', on_leave: 'leave', absent: 'absent' };
let map = null;

function seatState(ctx, id) {
  if (ctx.turnout && ctx.turnout.has(id)) return 'voted';
  return PRESENCE_STATE[ctx.att.presence.get(id)] || 'absent';
}

// Draws the map from the hall's layout (or, without one, the delegates' seats ROW-NUMBER), with the legend.
export function buildHall(ctx) {
  map = seatMap(layoutFromHall(ctx.hall) || layoutFromSeats([...ctx.delegates.values()]), { title: t('hall.map') });
  fill($('#hall .body'), map.el, h('ul', { class: 'legend', id: 'hall-legend' }));
  paintHall(ctx);
}

// Every seat again: after a snapshot, when a vote opens or closes.
export function paintHall(ctx) {
  if (!map) return;
  map.setAll((id) => seatState(ctx, id));
  const keys = ctx.turnout ? ['voted', 'present', 'absent', 'leave'] : ['present', 'absent', 'leave'];
  fill($('#hall-legend'), keys.map((k) => h('li', { class: k }, t(`hall.${k}`))));
}

// One delegate's seat, after their presence changed or they voted.
export function paintSeat(ctx, id) {
  if (map) map.set(id, seatState(ctx, id));
}
