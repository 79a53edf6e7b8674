// imports.js — the lists a session starts from, as CSV (docs/files.md): posts, delegates, attendees, agenda.
// Pasted or read from a file; the server takes all rows or none and names every bad row, shown as the
// command line shows them.

import { post } from '/lib/api.js';
import { h } from '/lib/dom.js';
import { t } from '/lib/i18n.js';
import { errorBox } from '/lib/ui.js';
import { L, field, note, panel, readText, run } from './util.js';

const KINDS = [
  ['delegates', 'code,name,gender,ethnicity,delegation[,seat,roles,post]'],
  ['posts', 'rank,title'],
  ['attendees', 'name,kind[,post,affiliation]'],
  ['agenda', 'order,kind,title[,presenter,document]'],
];

export function importsPanel(el) {
  const box = errorBox();
  const done = note();
  const kind = h('select', { name: 'kind' }, KINDS.map(([k]) => h('option', { value: k, 'data-i18n': `import.${k}` }, t(`import.${k}`))));
  const header = h('code', { class: 'columns' });
  const csv = h('textarea', { name: 'csv', rows: 12, spellcheck: 'false', class: 'mono' });
  const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv,text/plain' });
  const go = h('button', { type: 'submit', class: 'primary', 'data-i18n': 'import.go' }, t('import.go'));
  const showColumns = () => { header.textContent = KINDS.find((k) => k[0] === kind.value)[1]; };
  kind.addEventListener('change', showColumns);
  showColumns();
  file.addEventListener('change', async () => {
    if (file.files[0]) csv.value = await readText(file.files[0]);
  });
  const form = h('form', { class: 'import' },
    L('import.intro', 'p'),
    h('div', { class: 'row' }, field('import.kind', kind), h('p', { class: 'grow' }, L('import.columns'), ' ', header)),
    field('import.file', file),
    field('import.csv', csv),
    box, done, go);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    done.set(null);
    const r = await run(go, box, () => post(`/api/import/${kind.value}`, { csv: csv.value }));
    if (r) done.set('import.done', { n: r.events?.length ?? 0 });
  });
  el.append(panel('nav.imports', form));
}
