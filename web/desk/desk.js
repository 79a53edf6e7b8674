// desk.js — the secretariat's desk (/desk): the session's setup when there is none yet, the staff login, and
// the desk's panels (imports, attendance, meetings as held, the hall, documents, motions, login cards, staff
// accounts, the log, the bulletin, reports), one at a time; a delegation secretary's desk is the meetings panel.

import { get, login, logout, post, whoami } from '/lib/api.js';
import { $, fill, h } from '/lib/dom.js';
import { onLang, t, translate } from '/lib/i18n.js';
import { openStream } from '/lib/stream.js';
import { connBanner, errorBox, langButton, showError } from '/lib/ui.js';
import './strings.js';
import { L, button, field, panel, run } from './util.js';
import { importsPanel } from './imports.js';
import { attendancePanel } from './attendance.js';
import { documentsPanel } from './documents.js';
import { staffPanel } from './staff.js';
import { cardsPanel } from './cards.js';
import { logPanel } from './log.js';
import { bulletinPanel } from './bulletin.js';
import { hallPanel } from './hall.js';
import { reportsPanel } from './reports.js';
import { motionsPanel } from './motions.js';
import { heldPanel } from './held.js';

// [id, label, panel, who else than the secretariat sees it]
const PANELS = [
  ['imports', 'nav.imports', importsPanel],
  ['attendance', 'nav.attendance', attendancePanel],
  ['held', 'nav.held', heldPanel, ['delegation_secretary']],
  ['hall', 'nav.hall', hallPanel],
  ['documents', 'nav.documents', documentsPanel],
  ['motions', 'nav.motions', motionsPanel],
  ['cards', 'nav.cards', cardsPanel],
  ['staff', 'nav.staff', staffPanel],
  ['log', 'nav.log', logPanel],
  ['bulletin', 'nav.bulletin', bulletinPanel],
  ['reports', 'nav.reports', reportsPanel],
];

// A delegation secretary records their delegation's meetings here; the rest of the desk is the secretariat's.
const DESK_ROLES = ['secretariat', 'delegation_secretary'];
const panelsOf = (role) => PANELS.filter((p) => role === 'secretariat' || (p[3] || []).includes(role));

const main = $('#main');
const tools = $('#header-tools');

// ---- setup: the session does not exist yet (yishi serve --setup) ----

function setupView(state) {
  const box = errorBox();
  const code = h('input', { name: 'code', autocomplete: 'off', spellcheck: 'false', required: true });
  const rules = h('select', { name: 'rules', required: true },
    state.rules.map((r) => h('option', { value: r.id }, `${r.name} (${r.id})`)));
  const county = state.rules.find((r) => r.level === 'county');
  if (county) rules.value = county.id;
  const assembly = h('input', { name: 'assembly', 'data-i18n-placeholder': 'setup.assembly.hint' });
  const term = h('input', { name: 'term', 'data-i18n-placeholder': 'setup.term.hint' });
  const session = h('input', { name: 'session', 'data-i18n-placeholder': 'setup.session.hint' });
  const name = h('input', { name: 'name', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 10 });
  const again = h('input', { name: 'password2', type: 'password', autocomplete: 'new-password', required: true });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-i18n': 'setup.create' }, t('setup.create'));
  const form = h('form', { class: 'setup', novalidate: true },
    L('setup.intro', 'p'),
    field('setup.code', code, 'setup.code.hint'),
    field('setup.rules', rules),
    h('div', { class: 'grid3' }, field('setup.assembly', assembly), field('setup.term', term), field('setup.session', session)),
    h('h3', { 'data-i18n': 'setup.account' }, t('setup.account')),
    h('div', { class: 'grid3' }, field('login.name', name), field('setup.password', password, 'setup.password.hint'),
      field('setup.password2', again)),
    box, submit);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (password.value !== again.value) {
      showError(box, new Error(t('setup.mismatch')));
      return;
    }
    const body = { code: code.value.trim(), rules: rules.value, name: name.value.trim(), password: password.value };
    for (const [k, el] of [['assembly', assembly], ['term', term], ['session', session]])
      if (el.value.trim()) body[k] = el.value.trim();
    const done = await run(submit, box, async () => {
      await post('/api/setup', body);
      return login({ name: body.name, password: body.password });
    });
    if (done) start();
  });
  fill(main, panel('setup.title', form));
  translate(main);
  code.focus();
}

// ---- login ----

function loginView(refusal) {
  const box = errorBox();
  const name = h('input', { name: 'name', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-i18n': 'action.login' }, t('action.login'));
  const form = h('form', { class: 'login' }, field('login.name', name), field('login.password', password), box, submit);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const r = await run(submit, box, () => login({ name: name.value.trim(), password: password.value }));
    if (r && !DESK_ROLES.includes(r.role)) {
      await logout();
      showError(box, new Error(t('login.notsecretariat')));
    } else if (r) {
      start();
    }
  });
  fill(main, panel('login.title', refusal ? L(refusal, 'p') : null, form));
  if (refusal) showError(box, new Error(t(refusal)));
  name.focus();
}

// ---- the desk ----

let stream = null;
const listeners = new Set();

function openDeskStream(after) {
  if (stream) stream.close();
  const banner = connBanner(main);
  fill($('#conn'), banner.el);
  stream = openStream({
    path: '/api/stream', after,
    onEvent: (ev) => { for (const f of listeners) f(ev); },
    onState: (s) => {
      banner.set(s);
      if (s === 'denied') start();
    },
  });
}

function deskView(me, session) {
  $('#session-title').removeAttribute('data-i18n');
  $('#session-title').textContent = session.title;
  $('#who').textContent = me.name;
  const tabs = h('nav', { class: 'tabs', role: 'tablist', 'aria-label': t('nav.label') });
  const body = h('div', { class: 'panel', role: 'tabpanel' });
  let current = null;
  const ctx = {
    me,
    session,
    // f(event) for each live event until the panel is left; returns the unsubscribe.
    onEvent(f) {
      listeners.add(f);
      return () => listeners.delete(f);
    },
  };
  const panels = panelsOf(me.role);
  const show = (id) => {
    const entry = panels.find((p) => p[0] === id) || panels[0];
    if (current?.leave) current.leave();
    listeners.clear();
    for (const b of tabs.children) b.setAttribute('aria-selected', String(b.dataset.panel === entry[0]));
    fill(body);
    current = entry[2](body, ctx) || null;
    translate(body);
    if (location.hash !== `#${entry[0]}`) history.replaceState(null, '', `#${entry[0]}`);
  };
  for (const [id, key] of panels) {
    const b = button(key, { role: 'tab', 'data-panel': id, class: 'tab' });
    b.addEventListener('click', () => show(id));
    b.addEventListener('keydown', (ev) => { // arrow keys move along the tabs
      const i = panels.findIndex((p) => p[0] === id);
      const j = ev.key === 'ArrowRight' ? i + 1 : ev.key === 'ArrowLeft' ? i - 1 : -1;
      if (j >= 0 && j < panels.length) {
        tabs.children[j].focus();
        show(panels[j][0]);
      }
    });
    tabs.append(b);
  }
  fill(main, tabs, body);
  openDeskStream(session.seq);
  show(location.hash.slice(1));
}

function headerTools(loggedIn) {
  const out = button('action.logout', { class: 'lang' });
  out.addEventListener('click', async () => {
    await logout();
    if (stream) stream.close();
    stream = null;
    $('#who').textContent = '';
    start();
  });
  fill(tools, langButton(), loggedIn ? out : null);
  translate(tools);
}

export async function start() {
  const box = errorBox();
  try {
    const setup = await get('/api/setup');
    if (setup.pending) {
      headerTools(false);
      setupView(setup);
      return;
    }
    const me = await whoami();
    headerTools(!!me);
    if (!me) return loginView(null);
    if (!DESK_ROLES.includes(me.role)) {
      await logout();
      headerTools(false);
      return loginView('login.notsecretariat');
    }
    deskView(me, await get('/api/session'));
  } catch (e) {
    const again = button('action.retry');
    again.addEventListener('click', start);
    fill(main, box, again);
    showError(box, e);
  }
}

onLang(() => {
  if (!$('#session-title').dataset.i18n) return;
  $('#session-title').textContent = t('desk.heading');
});
translate(document);
start();
