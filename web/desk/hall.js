// hall.js — the hall's layout and who sits where: the seat map from GET /api/hall with what does not fit
// (seats no one has, delegates outside the layout or without a seat), a new layout imported as CSV
// (docs/files.md, one row per seat), and a delegate moved, swapped or unseated. Clicking a seat on the map
// fills it in as the seat to move to.

import { get, post } from '/lib/api.js';
import { addStrings, t } from '/lib/i18n.js';
import { fill, h } from '/lib/dom.js';
import { errorBox } from '/lib/ui.js';
import { layoutFromHall, layoutFromSeats, seatMap } from '/lib/seatmap.js';
import { L, field, note, panel, readText, run } from './util.js';

addStrings({
  zh: {
    'nav.hall': '会场座位',
    'hall.none': '尚未导入会场布局：座位图按代表的座位号（排-号）排列。',
    'hall.counts': '座位 {seats} 个，已安排代表 {placed} 人，空座 {empty} 个',
    'hall.unplaced': '未能安排：布局外的代表 {outside} 人，未分配座位的代表 {unseated} 人',
    'hall.import': '导入会场布局',
    'hall.import.intro': '每个座位一行：seat,tier,block,row,number[,tier_name,delegation]。再次导入会替换现有布局；表决进行中不能导入。',
    'hall.file': '选择CSV文件',
    'hall.csv': 'CSV内容',
    'hall.import.go': '导入布局',
    'hall.imported': '已导入会场布局',
    'hall.move': '调整座位',
    'hall.move.code': '代表证号',
    'hall.move.seat': '座位（排-号；点击座位图可填入）',
    'hall.move.swap': '与该座位上的代表互换',
    'hall.move.go': '调整',
    'hall.unseat': '取消座位',
    'hall.moved': '{name} 的座位已改为 {seat}',
    'hall.unseated': '{name} 已无座位',
    'hall.nodelegate': '没有代表证号为 {code} 的代表',
  },
  en: {
    'nav.hall': 'Hall and seats',
    'hall.none': 'No hall layout imported yet: the map follows the delegates’ seat codes (ROW-NUMBER).',
    'hall.counts': '{seats} seats, {placed} delegates seated, {empty} empty',
    'hall.unplaced': 'Not placed: {outside} delegates outside the layout, {unseated} without a seat',
    'hall.import': 'Import the hall’s layout',
    'hall.import.intro': 'One row per seat: seat,tier,block,row,number[,tier_name,delegation]. A new import replaces the layout; not while a vote is open.',
    'hall.file': 'Choose a CSV file',
    'hall.csv': 'CSV',
    'hall.import.go': 'Import the layout',
    'hall.imported': 'The hall’s layout is imported',
    'hall.move': 'Move a delegate',
    'hall.move.code': 'Delegate code',
    'hall.move.seat': 'Seat (ROW-NUMBER; click the map to fill it in)',
    'hall.move.swap': 'Swap with whoever sits there',
    'hall.move.go': 'Move',
    'hall.unseat': 'Unseat',
    'hall.moved': '{name} now sits at {seat}',
    'hall.unseated': '{name} has no seat now',
    'hall.nodelegate': 'No delegate with code {code}',
  },
});

export function hallPanel(el, ctx) {
  const summary = h('div', { class: 'summary', role: 'status' });
  const mapBox = h('div', { class: 'hall-map' });
  const box = errorBox();
  const done = note();
  const code = h('input', { name: 'code', autocomplete: 'off', required: true });
  const seat = h('input', { name: 'seat', autocomplete: 'off', placeholder: '03-17' });
  const swap = h('input', { type: 'checkbox', name: 'swap' });
  const go = h('button', { type: 'submit', class: 'primary', 'data-i18n': 'hall.move.go' }, t('hall.move.go'));
  const unseat = h('button', { type: 'button', 'data-i18n': 'hall.unseat' }, t('hall.unseat'));
  let delegates = [];

  async function draw() {
    const [hall, d] = await Promise.all([get('/api/hall'), get('/api/delegates')]);
    delegates = d.delegates;
    const layout = layoutFromHall(hall);
    const map = seatMap(layout || layoutFromSeats(delegates), { title: t('nav.hall') });
    const seated = new Set(delegates.filter((x) => x.seat).map((x) => x.id));
    map.setAll((id) => (seated.has(id) ? 'present' : 'absent'));
    fill(mapBox, map.el);
    const u = hall.unplaced || {};
    fill(summary,
      layout ? h('p', t('hall.counts', { seats: hall.seats ?? 0, placed: hall.placed ?? 0, empty: hall.empty ?? 0 })) : h('p', t('hall.none')),
      layout ? h('p', { class: 'muted' }, t('hall.unplaced', { outside: (u.delegates || []).length, unseated: (u.unseated || []).length })) : null);
  }

  mapBox.addEventListener('click', (ev) => {
    const s = ev.target.closest('[data-seat]');
    if (s) seat.value = s.dataset.seat;
  });

  async function move(to) {
    done.set(null);
    const d = delegates.find((x) => x.code === code.value.trim());
    const r = await run(go, box, async () => {
      if (!d) throw Object.assign(new Error(t('hall.nodelegate', { code: code.value.trim() })), { text: () => t('hall.nodelegate', { code: code.value.trim() }) });
      return post(`/api/delegates/${d.id}/seat`, to === null ? { seat: null } : { seat: to, swap: swap.checked });
    });
    if (r) {
      done.set(to === null ? 'hall.unseated' : 'hall.moved', { name: d.name, seat: to });
      await draw();
    }
  }

  const moveForm = h('form', { class: 'hall-move' },
    h('div', { class: 'row' }, field('hall.move.code', code), field('hall.move.seat', seat)),
    h('label', { class: 'check' }, swap, ' ', L('hall.move.swap')), box, done, h('div', { class: 'row' }, go, unseat));
  moveForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    move(seat.value.trim());
  });
  unseat.addEventListener('click', () => move(null));

  const ibox = errorBox();
  const idone = note();
  const csv = h('textarea', { name: 'csv', rows: 8, spellcheck: 'false', class: 'mono' });
  const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv,text/plain' });
  const igo = h('button', { type: 'submit', 'data-i18n': 'hall.import.go' }, t('hall.import.go'));
  file.addEventListener('change', async () => {
    if (file.files[0]) csv.value = await readText(file.files[0]);
  });
  const importForm = h('form', { class: 'hall-import' }, L('hall.import.intro', 'p'), field('hall.file', file), field('hall.csv', csv), ibox, idone, igo);
  importForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    idone.set(null);
    if (await run(igo, ibox, () => post('/api/import/hall', { csv: csv.value }))) {
      idone.set('hall.imported');
      await draw();
    }
  });

  el.append(panel('nav.hall', summary, mapBox), panel('hall.move', moveForm), panel('hall.import', importForm));
  ctx.onEvent((ev) => {
    if (ev.type === 'hall.layout' || ev.type === 'delegate.seat' || ev.type === 'delegate.add') draw();
  });
  draw().catch((e) => run(null, box, () => Promise.reject(e)));
}
