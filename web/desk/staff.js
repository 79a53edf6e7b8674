// staff.js — staff accounts while the server holds the file (GET and POST /api/users, as `yishi user`): the
// secretariat, the chair and delegation secretaries, each with a password of at least 10 bytes.

import { get, post } from '/lib/api.js';
import { fill, h } from '/lib/dom.js';
import { t } from '/lib/i18n.js';
import { errorBox } from '/lib/ui.js';
import { L, field, note, panel, run } from './util.js';

const ROLES = ['secretariat', 'chair', 'delegation_secretary'];

export function staffPanel(el) {
  const box = errorBox();
  const done = note();
  const added = h('tbody');
  const name = h('input', { name: 'name', required: true, autocomplete: 'off' });
  const role = h('select', { name: 'role' }, ROLES.map((r) => h('option', { value: r, 'data-i18n': `role.${r}` }, t(`role.${r}`))));
  const delegation = h('select', { name: 'delegation' });
  const delegationField = field('staff.delegation', delegation);
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 10 });
  const go = h('button', { type: 'submit', class: 'primary', 'data-i18n': 'staff.add' }, t('staff.add'));
  const sync = () => { delegationField.hidden = role.value !== 'delegation_secretary'; };
  role.addEventListener('change', sync);
  sync();
  const list = async () => {
    const r = await run(null, box, () => get('/api/users'));
    if (r) fill(added, r.users.map((u) => h('tr', h('td', u.name), h('td', L(`role.${u.role}`)), h('td', u.delegation || ''))));
  };
  list();
  get('/api/delegations').then((r) => fill(delegation, r.delegations.map((d) => h('option', { value: d.name }, d.name))), () => {});
  const form = h('form', { class: 'staff' }, h('div', { class: 'grid3' }, field('login.name', name), field('staff.role', role),
    delegationField), field('setup.password', password, 'setup.password.hint'), box, done, go);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    done.set(null);
    const body = { name: name.value.trim(), role: role.value, password: password.value };
    if (role.value === 'delegation_secretary') body.delegation = delegation.value;
    const r = await run(go, box, () => post('/api/users', body));
    if (!r) return;
    done.set('staff.done', { name: r.name });
    list();
    name.value = '';
    password.value = '';
  });
  el.append(panel('staff.new', form),
    panel('staff.added', L('staff.added.hint', 'p'),
      h('table', h('thead', h('tr', h('th', L('login.name')), h('th', L('staff.role')), h('th', L('staff.delegation')))), added)));
}
