// ui.js — what every page has: the language switch, the live-connection banner, errors shown in the page's
// language (with an import's bad lines), and dates and numbers written the way the hall reads them.

import { h, fill } from './dom.js';
import { getLang, onLang, setLang, t, translate } from './i18n.js';

// A button that switches between Chinese and English; the choice is kept for this device.
export function langButton() {
  const b = h('button', { type: 'button', class: 'lang', 'data-i18n': 'lang.switch', 'data-i18n-label': 'lang.switch.label' });
  b.addEventListener('click', () => setLang(getLang() === 'zh' ? 'en' : 'zh'));
  return b;
}

// Translates the page as it loads, and marks it with the language chosen.
export function startPage() {
  translate(document);
}

// A banner that says whether the page is live. While it is not, the element given as `stale` (the figures)
// gets the class "stale", so that numbers from before a drop are never shown as current.
export function connBanner(stale) {
  const el = h('div', { class: 'conn', role: 'status', 'aria-live': 'polite' });
  let state = 'connecting';
  const draw = () => {
    el.dataset.state = state;
    el.textContent = state === 'live' ? '' : t(`conn.${state === 'connecting' ? 'connecting' : 'reconnecting'}`);
    el.hidden = state === 'live' || state === 'closed';
    if (stale) stale.classList.toggle('stale', state !== 'live');
  };
  onLang(draw);
  draw();
  return {
    el,
    set(s) {
      state = s;
      draw();
    },
  };
}

// Shows an error (an ApiError or any Error) in `box`, replacing what was there; an import refused for bad
// rows lists each row. `box` is an element with role="alert" so that a screen reader says it.
export function showError(box, err) {
  if (!err) {
    fill(box);
    box.hidden = true;
    return;
  }
  const text = typeof err.text === 'function' ? err.text() : err.message || t('err.unknown');
  const rows = (err.errors || []).map((e) =>
    h('li', t('err.line', { line: e.line ?? '?', field: e.field ?? '', message: e.message ?? '' })),
  );
  fill(box, h('p', text), rows.length ? h('ul', rows) : null);
  box.hidden = false;
}

export function errorBox() {
  return h('div', { class: 'error', role: 'alert', hidden: true });
}

const fmtCache = {};
function dateFmt(kind) {
  const key = `${getLang()}:${kind}`;
  if (!fmtCache[key]) {
    const opts =
      kind === 'time'
        ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }
        : { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false };
    fmtCache[key] = new Intl.DateTimeFormat(getLang() === 'zh' ? 'zh-CN' : 'en-GB', opts);
  }
  return fmtCache[key];
}

export const fmtTime = (iso) => (iso ? dateFmt('time').format(new Date(iso)) : '');
export const fmtDateTime = (iso) => (iso ? dateFmt('datetime').format(new Date(iso)) : '');
export const fmtNumber = (n) => (n === null || n === undefined ? '—' : Number(n).toLocaleString(getLang() === 'zh' ? 'zh-CN' : 'en'));

// Calls f at most once per `ms`, the last call winning: a refetch after a burst of events.
export function debounce(f, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => f(...args), ms);
  };
}

// Batches redraws to one per frame: redraw('vote', 'seats') marks parts, and draw(parts) runs once at the
// next animation frame with every part marked since. Each frame drawn is measured, from the oldest event
// it applies to the end of the draw, as a performance entry 'yishi.apply' — the figure bench/ reads to
// tell how long a live event takes to reach the screen.
export function batchedRedraw(draw) {
  let pending = new Set();
  let since = null;
  return (...parts) => {
    for (const p of parts) pending.add(p);
    if (since !== null) return;
    since = performance.now();
    requestAnimationFrame(() => {
      const todo = pending;
      const start = since;
      pending = new Set();
      since = null;
      draw(todo);
      performance.measure('yishi.apply', { start, end: performance.now() });
    });
  };
}
