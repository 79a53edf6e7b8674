// documents.js — the session's documents and their versions: a new version is a title (new or existing),
// its text (typed, or read from a file) and a note; every version stays, each with its hash.

import { get, post } from '/lib/api.js';
import { fill, h } from '/lib/dom.js';
import { t } from '/lib/i18n.js';
import { errorBox, fmtDateTime } from '/lib/ui.js';
import { L, field, note, panel, readText, run } from './util.js';

export function documentsPanel(el) {
  const box = errorBox();
  const done = note();
  const list = h('div', { class: 'docs' });
  const titles = h('datalist', { id: 'doc-titles' });
  const title = h('input', { name: 'title', list: 'doc-titles', required: true });
  const content = h('textarea', { name: 'content', rows: 10 });
  const file = h('input', { type: 'file', name: 'file', accept: '.txt,.md,text/plain' });
  const noteIn = h('input', { name: 'note' });
  const go = h('button', { type: 'submit', class: 'primary', 'data-i18n': 'docs.add' }, t('docs.add'));
  file.addEventListener('change', async () => {
    if (file.files[0]) content.value = await readText(file.files[0]);
  });

  const versions = async (doc, into) => {
    const d = await run(null, box, () => get(`/api/documents/${doc.id}`));
    if (!d) return;
    fill(into, h('ol', d.versions.map((v) =>
      h('li', h('a', { href: `/api/blobs/${v.hash}`, target: '_blank', rel: 'noopener' }, t('docs.version', { n: v.number })),
        ' ', v.note || '', ' ', h('span', { class: 'muted' }, `${fmtDateTime(v.time)} · ${v.size} B · ${v.hash.slice(0, 12)}…`)))));
  };
  const load = async () => {
    const r = await run(null, box, () => get('/api/documents'));
    if (!r) return;
    fill(titles, r.documents.map((d) => h('option', { value: d.title })));
    fill(list, h('table', h('thead', h('tr', h('th', L('docs.title')), h('th', L('docs.versions')))),
      h('tbody', r.documents.map((d) => {
        const more = h('div');
        const b = h('button', { type: 'button', class: 'link' }, String(d.versions_count));
        b.addEventListener('click', () => versions(d, more));
        return h('tr', h('td', d.title, more), h('td', b));
      }))));
  };
  const form = h('form', { class: 'doc' }, field('docs.title', title), titles, field('docs.file', file),
    field('docs.content', content), field('docs.note', noteIn), box, done, go);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    done.set(null);
    const body = { title: title.value.trim(), content: content.value };
    if (noteIn.value.trim()) body.note = noteIn.value.trim();
    const r = await run(go, box, () => post('/api/documents', body));
    if (!r) return;
    const v = r.events.find((e) => e.type === 'document.version');
    done.set('docs.done', { title: body.title, n: v?.payload.number ?? '' });
    content.value = '';
    load();
  });
  el.append(panel('docs.new', form), panel('nav.documents', list));
  load();
}
