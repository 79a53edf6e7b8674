// act.js — how the console acts: every destructive step asks first in a modal dialog (keyboard: Enter
// confirms, Escape cancels), every call shows the API's refusal in the panel that made it, and redrawing
// is coalesced into one animation frame however many events arrive within it.

import { h, fill } from '/lib/dom.js';
import { onLang, t } from '/lib/i18n.js';
import { batchedRedraw, showError } from '/lib/ui.js';

let dialog = null;

function ensureDialog() {
  if (dialog) return dialog;
  dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-heading' });
  document.body.append(dialog);
  return dialog;
}

// Asks before a destructive step. `text` says what will happen; `body` (elements) is shown beneath it,
// e.g. the announcement to be read out or a summary to fill in. Resolves true when confirmed.
export function ask({ heading, text, body = null, ok = t('action.confirm'), danger = true }) {
  const d = ensureDialog();
  return new Promise((resolve) => {
    const okBtn = h('button', { type: 'submit', class: danger ? 'primary danger' : 'primary', value: 'ok' }, ok);
    const cancel = h('button', { type: 'button', value: 'cancel', onclick: () => d.close('cancel') }, t('action.cancel'));
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', { id: 'confirm-heading' }, heading || t('confirm.heading')),
      text ? h('p', text) : null,
      body,
      h('div', { class: 'row buttons' }, cancel, okBtn),
    );
    fill(d, form);
    d.returnValue = '';
    d.addEventListener('close', () => resolve(d.returnValue === 'ok'), { once: true });
    d.showModal();
    (body && body.querySelector?.('textarea, input')) ? body.querySelector('textarea, input').focus() : cancel.focus();
  });
}

// Runs an API call from a button: disabled while it runs (no double submit), the error shown in `box`,
// cleared on success. Returns the call's answer, or null when refused.
export async function run(button, box, call) {
  if (button) button.disabled = true;
  try {
    const r = await call();
    if (box) {
      shown.delete(box);
      showError(box, null);
    }
    return r;
  } catch (e) {
    if (!box) throw e;
    shown.set(box, e);
    showError(box, e);
    return null;
  } finally {
    if (button) button.disabled = false;
  }
}

// The refusals on show, redrawn in the other language when it is switched (the API sent both).
const shown = new Map();
onLang(() => {
  for (const [box, e] of shown) {
    if (box.isConnected && !box.hidden) showError(box, e);
    else shown.delete(box);
  }
});

// Marks a part of the page for redrawing; all marked parts are drawn once, in the next animation frame
// (ui.js's batchedRedraw, which measures each frame drawn as 'yishi.apply').
const draws = new Map();
const redraw = batchedRedraw((parts) => {
  for (const p of parts) draws.get(p)();
});
export function paint(key, draw) {
  draws.set(key, draw);
  redraw(key);
}
