// cards.js — delegates' login cards: issued (or re-issued, which stops the card printed before) for one
// delegation or all, then printed several to an A4 page through the browser's print dialog. A card's code
// is shown once, by the answer that made it: this page keeps it only until it is left.

import { get, post } from '/lib/api.js';
import { $, fill, h } from '/lib/dom.js';
import { t } from '/lib/i18n.js';
import { errorBox } from '/lib/ui.js';
import { L, button, field, note, panel, run } from './util.js';

const PARALLEL = 4; /* card requests at once: each waits for its re-issue to be on disk */

// The card's QR code alone, from the card route's SVG page (QR code, then two lines of text beneath): the
// same drawing with its view cut to the square. Parsed as SVG, never as HTML, and shown as an image.
export function qrImage(svg) {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement;
  const size = Number(root.getAttribute('width')) || 0;
  if (root.nodeName !== 'svg' || !size) return null;
  root.setAttribute('viewBox', `0 0 ${size} ${size}`);
  root.setAttribute('height', String(size));
  for (const text of [...root.querySelectorAll('text')]) text.remove();
  const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(root))}`;
  return h('img', { class: 'qr', src: url, alt: '' });
}

function printCard(c, cropMarks) {
  const d = c.delegate;
  return h('div', { class: ['print-card', cropMarks && 'marks'] },
    h('div', { class: 'pc-text' },
      h('div', { class: 'pc-assembly' }, c.session),
      h('div', { class: 'pc-name' }, d.name),
      h('div', { class: 'pc-line' }, d.delegation_name, d.seat ? ` · ${t('cards.seat')} ${d.seat}` : ''),
      h('div', { class: 'pc-line muted' }, `${t('cards.delegate')} ${d.code}`),
      h('div', { class: 'pc-code' }, c.card)),
    qrImage(c.svg));
}

// The print layout: pages of `perPage` cards (8: two columns of four; 10: two of five).
export function layout(area, cards, perPage, cropMarks) {
  const pages = [];
  for (let i = 0; i < cards.length; i += perPage) {
    const sheet = h('div', { class: 'sheet' }, cards.slice(i, i + perPage).map((c) => printCard(c, cropMarks)));
    sheet.style.setProperty('--rows', String(perPage / 2));
    pages.push(sheet);
  }
  fill(area, pages);
  return pages.length;
}

export function cardsPanel(el, ctx) {
  const box = errorBox();
  const done = note();
  const delegation = h('select', { name: 'delegation' });
  const reissue = h('input', { type: 'checkbox', name: 'reissue' });
  const perPage = h('select', { name: 'per-page' }, [8, 10].map((n) => h('option', { value: n }, String(n))));
  const marks = h('input', { type: 'checkbox', name: 'marks', checked: true });
  const issue = button('cards.issue', { class: 'primary' });
  const print = button('cards.print', { disabled: true });
  const list = h('tbody');
  const area = $('#print-area');
  const issued = [];
  let delegates = [];

  const chosen = () => {
    const d = Number(delegation.value) || 0;
    return delegates.filter((x) => x.entitled && (!d || x.delegation === d));
  };
  const relayout = () => {
    issued.sort((a, b) => a.delegate.id - b.delegate.id); /* in the list's order, whichever answered first */
    const pages = layout(area, issued, Number(perPage.value), marks.checked);
    print.disabled = pages === 0;
    return pages;
  };
  const shown = (r) => {
    issued.push({ ...r, session: ctx.session.title });
    const d = r.delegate;
    list.append(h('tr', h('td', d.code), h('td', d.name), h('td', d.delegation_name), h('td', d.seat || ''),
      h('td', { class: 'mono' }, r.card), h('td', r.replaced ? L('cards.replaced') : L('cards.first'))));
  };
  // First cards in bulk, in one transaction (POST /api/cards): who has one already is skipped, never replaced.
  const first = async () => {
    const d = Number(delegation.value) || 0;
    const r = await post('/api/cards', d ? { delegation: d } : {});
    for (const c of r.cards || []) shown(c);
    done.set('cards.done', { n: r.issued, pages: relayout() });
    if (r.skipped?.length) {
      const e = new Error(t('cards.have', { n: r.skipped.length }));
      e.errors = r.skipped.map((x) => ({ line: x.code, field: x.name, message: x.delegation }));
      throw e;
    }
  };
  // A re-issue is logged per card and stops the old one: the single card route, a few at a time.
  const again = async () => {
    const todo = chosen();
    const failures = [];
    let next = 0;
    const worker = async () => {
      while (next < todo.length) {
        const d = todo[next++];
        try {
          shown(await post(`/api/delegates/${d.id}/card`, { reissue: true }));
        } catch (e) {
          failures.push({ line: d.code, field: d.name, message: e.text() });
        }
        done.set('cards.progress', { done: next, n: todo.length });
      }
    };
    done.set('cards.progress', { done: 0, n: todo.length });
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    done.set('cards.done', { n: todo.length - failures.length, pages: relayout() });
    if (failures.length) {
      const e = new Error(t('cards.failed', { n: failures.length }));
      e.errors = failures;
      throw e;
    }
  };
  issue.addEventListener('click', () => run(issue, box, reissue.checked ? again : first));
  perPage.addEventListener('change', relayout);
  marks.addEventListener('change', relayout);
  print.addEventListener('click', () => window.print());

  el.append(panel('nav.cards',
    h('p', { class: 'warn', role: 'note' }, L('cards.warn')),
    h('div', { class: 'row' }, field('att.delegation', delegation),
      h('label', { class: 'check' }, reissue, L('cards.reissue')),
      field('cards.perpage', perPage), h('label', { class: 'check' }, marks, L('cards.marks'))),
    h('div', { class: 'row' }, issue, print), box, done,
    h('div', { class: 'scroll' }, h('table', { class: 'cards' },
      h('thead', h('tr', ['att.code', 'att.name', 'att.delegation', 'att.seat', 'cards.code', 'cards.what'].map((k) => h('th', L(k))))),
      list))));
  Promise.all([get('/api/delegations'), get('/api/delegates')]).then(([dl, all]) => {
    delegates = all.delegates;
    fill(delegation, h('option', { value: '', 'data-i18n': 'att.all' }, t('att.all')),
      dl.delegations.map((d) => h('option', { value: d.id }, `${d.name} (${d.members})`)));
  }, (e) => run(null, box, () => { throw e; }));
  return { leave: () => fill(area) }; /* the codes go with the page */
}
