// docs.js — the agenda and its documents on the terminal: every version of a document readable, and what
// changed from the version before it shown line by line (added, removed), computed here from the texts.

import { get } from '/lib/api.js';
import { h, fill } from '/lib/dom.js';
import { addStrings, t } from '/lib/i18n.js';
import { errorBox, fmtDateTime, showError } from '/lib/ui.js';
import { diffLines, diffStats, lines, withContext } from './diff.js';

addStrings({
  zh: {
    'docs.agenda': '会议议程',
    'docs.others': '其他文件',
    'docs.read': '阅读文件',
    'docs.none': '暂无议程',
    'docs.presenter': '报告人：{name}',
    'docs.versions': '版本',
    'docs.version': '第{n}稿',
    'docs.changes': '与第{n}稿相比的修改',
    'docs.text': '全文',
    'docs.stats': '新增{added}行，删除{removed}行',
    'docs.same': '与上一稿相同',
    'docs.skip': '……（{n}行未改动）',
    'docs.added': '新增',
    'docs.removed': '删除',
    'docs.back': '返回议程',
    'docs.size': '{n}字节',
  },
  en: {
    'docs.agenda': 'Agenda',
    'docs.others': 'Other documents',
    'docs.read': 'Read',
    'docs.none': 'No agenda yet',
    'docs.presenter': 'Presented by {name}',
    'docs.versions': 'Versions',
    'docs.version': 'Version {n}',
    'docs.changes': 'Changes from version {n}',
    'docs.text': 'Full text',
    'docs.stats': '{added} lines added, {removed} removed',
    'docs.same': 'The same as the version before',
    'docs.skip': '… ({n} lines unchanged)',
    'docs.added': 'added',
    'docs.removed': 'removed',
    'docs.back': 'Back to the agenda',
    'docs.size': '{n} bytes',
  },
});

const blobs = new Map();

// A version's content by its hash; a hash names one content for ever, so it is kept once read.
async function blob(hash) {
  if (!blobs.has(hash)) {
    const p = get(`/api/blobs/${hash}`).then((x) => String(x));
    blobs.set(hash, p);
    p.catch(() => blobs.delete(hash));
  }
  return blobs.get(hash);
}

export class Docs {
  constructor(root) {
    this.root = root;
    this.agenda = [];
    this.documents = [];
    this.open = null; /* { doc, version, mode: 'text' | 'changes' } */
    this.current = null; /* the agenda item the meeting is at */
    this.err = errorBox();
  }

  async load() {
    const [a, d] = await Promise.all([get('/api/agenda'), get('/api/documents')]);
    this.agenda = a.agenda || [];
    this.documents = d.documents || [];
    if (this.open) await this.read(this.open.doc.id, null, this.open.mode, false);
    else this.render();
  }

  setCurrent(item) {
    if (item === this.current) return;
    this.current = item;
    for (const li of this.root.querySelectorAll('.agenda .item[data-item]')) {
      const now = Number(li.dataset.item) === item;
      li.classList.toggle('current', now);
      if (now) li.setAttribute('aria-current', 'step');
      else li.removeAttribute('aria-current');
    } /* marked in place, so that a delegate reading the agenda keeps the focus */
  }

  render() {
    if (this.open) return this.renderDoc();
    const onAgenda = new Set(this.agenda.map((i) => i.document).filter(Boolean));
    const titleOf = new Map(this.documents.map((d) => [d.id, d]));
    const items = this.agenda.map((i) =>
      h('li', { class: ['item', i.id === this.current && 'current'], 'data-item': i.id, 'aria-current': i.id === this.current ? 'step' : null },
        h('span', { class: 'order num' }, String(i.order)),
        h('div', { class: 'grow' },
          h('p', { class: 'item-title' }, h('span', { class: 'kind' }, i.kind_zh), ' ', i.title),
          i.presenter ? h('p', { class: 'muted small' }, t('docs.presenter', { name: i.presenter })) : null),
        i.document ? this.readButton(i.document, titleOf.get(i.document)) : null));
    const others = this.documents.filter((d) => !onAgenda.has(d.id)).map((d) =>
      h('li', { class: 'item' }, h('p', { class: 'grow item-title' }, d.title), this.readButton(d.id, d)));
    fill(this.root,
      h('h2', t('docs.agenda')),
      this.err,
      items.length ? h('ol', { class: 'agenda' }, items) : h('p', { class: 'muted' }, t('docs.none')),
      others.length ? [h('h3', t('docs.others')), h('ul', { class: 'agenda' }, others)] : null);
  }

  readButton(id, d) {
    const label = d ? `${t('docs.read')}（${t('docs.version', { n: d.versions_count })}）` : t('docs.read');
    return h('button', { type: 'button', class: 'read', 'data-doc': id, onclick: () => this.read(id) }, label);
  }

  // Opens a document at a version (the newest by default), as text or as the changes from the one before.
  async read(id, number = null, mode = 'text', focus = true) {
    try {
      const doc = await get(`/api/documents/${id}`);
      const versions = doc.versions || [];
      const version = versions.find((v) => v.number === number) || versions[versions.length - 1];
      const prev = version ? versions.find((v) => v.number === version.number - 1) : null;
      const [text, before] = await Promise.all([version ? blob(version.hash) : '', prev ? blob(prev.hash) : null]);
      this.open = { doc, version, prev, text, before, mode: prev ? mode : 'text' };
      showError(this.err, null);
      this.renderDoc();
      if (focus) this.root.querySelector('h2')?.focus();
    } catch (e) {
      showError(this.err, e);
    }
  }

  close() {
    const id = this.open?.doc.id;
    this.open = null;
    this.render();
    this.root.querySelector(`[data-doc="${id}"]`)?.focus();
  }

  renderDoc() {
    const { doc, version, prev, text, before, mode } = this.open;
    const tabs = (doc.versions || []).map((v) =>
      h('button', { type: 'button', class: 'version', 'aria-pressed': String(v === version || v.number === version?.number),
        onclick: () => this.read(doc.id, v.number, mode, false) },
        t('docs.version', { n: v.number }), v.note ? h('span', { class: 'small muted' }, ` ${v.note}`) : null));
    const modes = prev
      ? h('div', { class: 'row modes', role: 'group' },
        h('button', { type: 'button', 'aria-pressed': String(mode === 'text'), onclick: () => this.setMode('text') }, t('docs.text')),
        h('button', { type: 'button', class: 'show-changes', 'aria-pressed': String(mode === 'changes'), onclick: () => this.setMode('changes') },
          t('docs.changes', { n: prev.number })))
      : null;
    fill(this.root,
      h('div', { class: 'row doc-head' },
        h('button', { type: 'button', class: 'back', onclick: () => this.close() }, '← ', t('docs.back'))),
      h('h2', { tabindex: '-1' }, doc.title),
      this.err,
      h('div', { class: 'row versions', role: 'group', 'aria-label': t('docs.versions') }, tabs),
      version ? h('p', { class: 'muted small' }, fmtDateTime(version.time), ' · ', t('docs.size', { n: version.size })) : null,
      modes,
      mode === 'changes' && prev ? changesView(before, text) : h('pre', { class: 'doc-text', lang: 'zh-CN' }, text));
  }

  setMode(mode) {
    this.open.mode = mode;
    this.renderDoc();
    this.root.querySelector(`.modes [aria-pressed="true"]`)?.focus();
  }
}

// The changes from `before` to `after`: removed lines struck through, added ones marked, unchanged runs
// folded to two lines of context.
function changesView(before, after) {
  const script = diffLines(lines(before), lines(after));
  const { added, removed } = diffStats(script);
  if (!added && !removed) return h('p', { class: 'muted' }, t('docs.same'));
  const rows = withContext(script, 2).map((e) => {
    if (e.op === 'skip') return h('li', { class: 'skip muted' }, t('docs.skip', { n: e.count }));
    const sign = e.op === 'add' ? '+' : e.op === 'del' ? '−' : ' ';
    const label = e.op === 'add' ? t('docs.added') : e.op === 'del' ? t('docs.removed') : null;
    const tag = e.op === 'add' ? 'ins' : e.op === 'del' ? 'del' : 'span';
    return h('li', { class: ['line', e.op] },
      h('span', { class: 'sign', 'aria-hidden': 'true' }, sign),
      label ? h('span', { class: 'sr' }, `${label}: `) : null,
      h(tag, { class: 'text' }, e.line || ' '));
  });
  return h('div', { class: 'changes' },
    h('p', { class: 'stats' }, t('docs.stats', { added, removed })),
    h('ol', { class: 'diff', lang: 'zh-CN' }, rows));
}
