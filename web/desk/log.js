// log.js — the session's log a page at a time (after, limit, type prefix: GET /api/log), and verify: the
// chain recomputed and the log replayed by the server, as `yishi verify` does.

import { get } from '/lib/api.js';
import { fill, h } from '/lib/dom.js';
import { t } from '/lib/i18n.js';
import { errorBox, fmtDateTime } from '/lib/ui.js';
import { L, button, field, panel, run } from './util.js';

const LIMIT = 50;

export function logPanel(el) {
  const box = errorBox();
  const vbox = errorBox();
  const type = h('input', { name: 'type', 'data-i18n-placeholder': 'log.type.hint' });
  const rows = h('tbody');
  const where = h('p', { class: 'muted' });
  const prev = button('log.prev');
  const next = button('log.next');
  const verify = button('log.verify', { class: 'primary' });
  const verdict = h('div', { class: 'verdict', role: 'status', 'aria-live': 'polite' });
  const starts = [0];           // the `after` of each page seen, to go back
  let nextAfter = null;

  const load = async (after) => {
    const q = new URLSearchParams({ after: String(after), limit: String(LIMIT) });
    if (type.value.trim()) q.set('type', type.value.trim());
    const r = await run(null, box, () => get(`/api/log?${q}`));
    if (!r) return;
    nextAfter = r.next;
    fill(rows, r.events.map((e) => h('tr', h('td', { class: 'num' }, String(e.seq)), h('td', fmtDateTime(e.time)),
      h('td', h('code', e.type)), h('td', e.actor), h('td', h('code', { class: 'payload' }, JSON.stringify(e.payload))))));
    where.textContent = r.events.length ? t('log.page', { from: r.events[0].seq, to: r.events[r.events.length - 1].seq }) : t('log.empty');
    prev.disabled = starts.length < 2;
    next.disabled = nextAfter === null;
  };
  prev.addEventListener('click', () => {
    starts.pop();
    load(starts[starts.length - 1]);
  });
  next.addEventListener('click', () => {
    if (nextAfter === null) return;
    starts.push(nextAfter);
    load(nextAfter);
  });
  const form = h('form', { class: 'row' }, field('log.type', type), h('button', { type: 'submit', 'data-i18n': 'log.filter' }, t('log.filter')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    starts.length = 1;
    load(0);
  });
  verify.addEventListener('click', async () => {
    fill(verdict, L('log.verifying'));
    const r = await run(verify, vbox, () => get('/api/verify'));
    if (!r) return fill(verdict);
    fill(verdict, h('p', { class: r.ok ? 'ok' : 'bad' }, t(r.ok ? 'log.ok' : 'log.bad', { events: r.events, checkpoints: r.checkpoints })),
      r.reason ? h('p', r.reason) : null, r.state_digest ? h('p', { class: 'mono muted' }, `${t('log.digest')} ${r.state_digest}`) : null);
  });
  el.append(panel('log.verify.title', L('log.verify.intro', 'p'), verify, vbox, verdict),
    panel('nav.log', form, box, where, h('div', { class: 'row' }, prev, next),
      h('div', { class: 'scroll' }, h('table', { class: 'log' },
        h('thead', h('tr', ['log.seq', 'log.time', 'log.kind', 'log.actor', 'log.payload'].map((k) => h('th', L(k))))), rows))));
  load(0);
}
