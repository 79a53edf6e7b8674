// attendance.js — who is present at the current meeting, for the whole session or one delegation: check in,
// leave with a reason, absent, one delegate or all those shown; live from the stream, so that check-ins
// at the terminals show up here as they come.

import { get, post } from '/lib/api.js';
import { fill, h } from '/lib/dom.js';
import { onLang, t } from '/lib/i18n.js';
import { debounce, errorBox, fmtNumber } from '/lib/ui.js';
import { L, button, field, panel, run } from './util.js';

const PRESENCE = { 'attendance.checkin': 'present', 'attendance.leave': 'on_leave', 'attendance.absent': 'absent' };

export function attendancePanel(el, ctx) {
  const box = errorBox();
  const head = h('div', { class: 'summary num', role: 'status', 'aria-live': 'polite' });
  const delegation = h('select', { name: 'delegation' }, h('option', { value: '', 'data-i18n': 'att.all' }, t('att.all')));
  const reason = h('input', { name: 'reason', 'data-i18n-placeholder': 'att.reason.hint' });
  const filter = h('input', { name: 'filter', type: 'search', 'data-i18n-placeholder': 'att.filter.hint' });
  const all = button('att.checkin.all', { class: 'primary' });
  const rows = h('tbody');
  let meeting = null;
  let delegates = [];          // every delegate: id, code, name, delegation, seat
  let presence = new Map();    // code -> { presence, reason }
  const byId = new Map();

  const shown = () => {
    const d = Number(delegation.value) || 0;
    const q = filter.value.trim();
    return delegates.filter((x) => (!d || x.delegation === d) && (!q || x.name.includes(q) || x.code.includes(q) || (x.seat || '').includes(q)));
  };
  const act = async (btn, kind, codes) => {
    const body = codes.length === 1 ? { delegate: codes[0] } : { delegates: codes };
    if (kind === 'leave' && reason.value.trim()) body.reason = reason.value.trim();
    await run(btn, box, () => post(`/api/meetings/${meeting.id}/${kind}`, body));
  };
  const row = (x) => {
    const p = presence.get(x.code) || { presence: 'absent' };
    const b = (kind, key) => {
      const btn = button(key, { class: 'small', 'data-code': x.code });
      btn.addEventListener('click', () => act(btn, kind, [x.code]));
      return btn;
    };
    return h('tr', { 'data-code': x.code, class: `p-${p.presence}` },
      h('td', x.seat || ''), h('td', x.code), h('td', x.name), h('td', x.delegation_name),
      h('td', h('span', { class: 'presence' }, t(`att.${p.presence}`)), p.reason ? h('span', { class: 'muted' }, ` ${p.reason}`) : null),
      h('td', { class: 'actions' }, b('checkin', 'att.checkin'), b('leave', 'att.leave'), b('absent', 'att.absent')));
  };
  const draw = () => fill(rows, shown().map(row));
  const summary = async () => {
    const s = await get('/api/status').catch(() => null);
    const a = s?.meeting?.attendance;
    if (!a) return;
    fill(head, t('att.summary', { entitled: fmtNumber(a.entitled), present: fmtNumber(a.present), absent: fmtNumber(a.absent),
      leave: fmtNumber(a.on_leave), quorum: fmtNumber(a.quorum) }), ' ',
    h('strong', { class: a.quorate ? 'yes' : 'no' }, t(a.quorate ? 'att.quorate' : 'att.notquorate')));
  };
  const later = debounce(() => { summary(); draw(); }, 150);

  const load = async () => {
    const s = await run(null, box, () => get('/api/status'));
    meeting = s?.meeting && s.meeting.open ? s.meeting : null;
    if (!meeting) {
      fill(head, L('att.nomeeting'));
      fill(rows);
      all.disabled = true;
      return;
    }
    const [list, att, dl] = await Promise.all([get('/api/delegates'), get(`/api/meetings/${meeting.id}/attendance`), get('/api/delegations')]);
    delegates = list.delegates.filter((d) => d.entitled);
    for (const d of delegates) byId.set(d.id, d);
    presence = new Map(att.delegates.map((d) => [d.code, { presence: d.presence, reason: d.reason }]));
    fill(delegation, h('option', { value: '', 'data-i18n': 'att.all' }, t('att.all')),
      dl.delegations.map((d) => h('option', { value: d.id }, `${d.name} (${d.members})`)));
    all.disabled = false;
    fill(title, meeting.title);
    summary();
    draw();
  };
  const title = h('p', { class: 'meeting' });
  delegation.addEventListener('change', draw);
  filter.addEventListener('input', debounce(draw, 120));
  all.addEventListener('click', () => {
    const codes = shown().filter((x) => presence.get(x.code)?.presence !== 'present').map((x) => x.code);
    if (codes.length) act(all, 'checkin', codes);
  });
  ctx.onEvent((ev) => {
    if (ev.type === 'meeting.open' || ev.type === 'meeting.close') return load();
    const p = PRESENCE[ev.type];
    if (!p || !meeting || ev.payload.meeting !== meeting.id) return;
    const d = byId.get(ev.payload.delegate);
    if (!d) return;
    presence.set(d.code, { presence: p, reason: ev.payload.reason });
    later();
  });
  const off = onLang(() => { summary(); draw(); });
  el.append(panel('nav.attendance', title, head,
    h('div', { class: 'row' }, field('att.delegation', delegation), field('att.filter', filter), field('att.reason', reason), all),
    box,
    h('div', { class: 'scroll' }, h('table', { class: 'attendance' },
      h('thead', h('tr', ['att.seat', 'att.code', 'att.name', 'att.delegation', 'att.presence', 'att.actions'].map((k) => h('th', L(k))))),
      rows))));
  load();
  return { leave: off };
}
