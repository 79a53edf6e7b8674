// util.js — the desk's small building blocks: labelled fields, panels, a translated text node, and a button
// that runs an API call once at a time and shows its refusal in the panel's error box.

import { h } from '/lib/dom.js';
import { t } from '/lib/i18n.js';
import { showError } from '/lib/ui.js';

// A text that follows the language switch (translate() fills every data-i18n element).
export const L = (key, tag = 'span') => h(tag, { 'data-i18n': key }, t(key));

// <label><span>Label</span><input></label>: the input is named by its label for screen readers and tests.
export function field(key, input, hint) {
  return h('label', L(key), input, hint ? h('small', { class: 'muted', 'data-i18n': hint }, t(hint)) : null);
}

export function panel(titleKey, ...children) {
  return h('section', { class: 'card' }, h('h2', { 'data-i18n': titleKey }, t(titleKey)), ...children);
}

export function button(key, attrs = {}) {
  return h('button', { type: 'button', 'data-i18n': key, ...attrs }, t(key));
}

// Runs fn() for a click or a submit: the button is disabled meanwhile, an error goes to `box`, a success
// clears it. Returns what fn returned, or undefined after an error.
export async function run(btn, box, fn) {
  if (btn) btn.disabled = true;
  try {
    const r = await fn();
    if (box) showError(box, null);
    return r;
  } catch (e) {
    if (box) showError(box, e);
    return undefined;
  } finally {
    if (btn) btn.disabled = false;
  }
}

// A status line ("imported 3 events") that screen readers announce; set(key, vars) to change it.
export function note() {
  const el = h('p', { class: 'note', role: 'status', 'aria-live': 'polite' });
  el.set = (key, vars) => {
    el.dataset.key = key || '';
    el.textContent = key ? t(key, vars) : '';
  };
  return el;
}

// Reads a chosen file as UTF-8 text.
export function readText(file) {
  return new Promise((ok, fail) => {
    const r = new FileReader();
    r.onload = () => ok(String(r.result));
    r.onerror = () => fail(r.error);
    r.readAsText(file, 'utf-8');
  });
}
