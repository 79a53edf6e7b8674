// documents.js — the session's documents and their versions: a new version is a title (new or existing),
// its text (typed, or read from a file) and a note; every version stays, each with its hash.

import { at, get, post } from '/lib/api.js';
import { fill, h } from '/lib/dom.js';
import { addStrings, t } from '/lib/i18n.js';
import { errorBox, fmtDateTime } from '/lib/ui.js';
import { L, field, note, panel, readText, run } from './util.js';

addStrings({
  zh: {
    'op.title': '记录审议意见', 'op.document': '文件', 'op.section': '所涉部分（如：第二部分、第十二条）',
    'op.text': '意见', 'op.delegate': '代表证号（代表团整体意见可不填）', 'op.delegation': '代表团（可由代表或会议确定）',
    'op.meeting': '会议编号（可不填）', 'op.add': '记录意见', 'op.done': '已记录第{id}条意见',
  },
  en: {
    'op.title': 'Record an opinion', 'op.document': 'Document', 'op.section': 'Section (第二部分, 第十二条)',
    'op.text': 'Opinion', 'op.delegate': "Delegate's code (none: the delegation's as a whole)",
    'op.delegation': 'Delegation (else the delegate\'s or the meeting\'s)', 'op.meeting': 'Meeting (optional)',
    'op.add': 'Record the opinion', 'op.done': 'Opinion {id} recorded',
  },
});

// An opinion voiced in a deliberation, tagged to its document and section (POST /api/documents/{id}/opinions);
// the drafting team's summary is a report (报告与导出).
function opinionForm(box, docs) {
  const done = note();
  const inputs = { section: h('input', { name: 'section', required: true }), delegate: h('input', { name: 'delegate' }),
    delegation: h('input', { name: 'delegation' }), meeting: h('input', { name: 'meeting', type: 'number', min: 1 }) };
  const text = h('textarea', { name: 'opinion', rows: 3 });
  const go = h('button', { type: 'submit', class: 'primary', 'data-i18n': 'op.add' }, t('op.add'));
  const form = h('form', { class: 'opinion' }, field('op.document', docs), field('op.section', inputs.section),
    field('op.text', text), h('div', { class: 'grid3' }, field('op.delegate', inputs.delegate),
      field('op.delegation', inputs.delegation), field('op.meeting', inputs.meeting)), done, go);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    done.set(null);
    const body = { section: inputs.section.value.trim(), text: text.value.trim() };
    for (const k of ['delegate', 'delegation']) if (inputs[k].value.trim()) body[k] = inputs[k].value.trim();
    if (inputs.meeting.value) body.meeting = Number(inputs.meeting.value);
    const r = await run(go, box, () => post(`/api/documents/${docs.value}/opinions`, body));
    if (!r) return;
    done.set('op.done', { id: r.events[0].payload.id });
    text.value = '';
  });
  return form;
}

export function documentsPanel(el) {
  const box = errorBox();
  const done = note();
  const list = h('div', { class: 'docs' });
  const docs = h('select', { name: 'opinion-document' });
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
      h('li', h('a', { href: at(`/api/blobs/${v.hash}`), target: '_blank', rel: 'noopener' }, t('docs.version', { n: v.number })),
        ' ', v.note || '', ' ', h('span', { class: 'muted' }, `${fmtDateTime(v.time)} · ${v.size} B · ${v.hash.slice(0, 12)}…`)))));
  };
  const load = async () => {
    const r = await run(null, box, () => get('/api/documents'));
    if (!r) return;
    fill(titles, r.documents.map((d) => h('option', { value: d.title })));
    const keep = docs.value;
    fill(docs, r.documents.map((d) => h('option', { value: d.id }, d.title)));
    if (keep) docs.value = keep;
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
  const opBox = errorBox();
  el.append(panel('docs.new', form), panel('nav.documents', list), panel('op.title', opBox, opinionForm(opBox, docs)));
  load();
}
