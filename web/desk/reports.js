// reports.js — the reports and exports the secretariat publishes (GET /api/reports/…, /api/exports/…): a report
// shown as text and printed, or opened as its printable HTML page or A4 PDF; the exports to download.

import { at, get } from '/lib/api.js';
import { $, fill, h } from '/lib/dom.js';
import { addStrings, t } from '/lib/i18n.js';
import { errorBox } from '/lib/ui.js';
import { button, field, panel, run } from './util.js';

addStrings({
  zh: {
    'nav.reports': '报告与导出', 'rep.kind': '报告', 'rep.poll': '表决编号（可空）', 'rep.show': '生成报告',
    'rep.print': '打印', 'rep.html': '打印版网页', 'rep.pdf': 'PDF', 'rep.results': '表决和选举结果',
    'rep.summary': '会议情况汇总', 'rep.rollcall': '记名表决情况', 'rep.exports': '导出',
    'rep.popolo': 'Popolo JSON', 'rep.csv': 'CSV：', 'rep.akn': 'Akoma Ntoso：会议',
    'rep.opinions': '审议意见汇总', 'rep.document': '文件（审议意见汇总）',
  },
  en: {
    'nav.reports': 'Reports and exports', 'rep.kind': 'Report', 'rep.poll': 'Poll (optional)', 'rep.show': 'Make the report',
    'rep.print': 'Print', 'rep.html': 'Printable page', 'rep.pdf': 'PDF', 'rep.results': 'Results of votes and elections',
    'rep.summary': 'Session summary', 'rep.rollcall': 'Roll calls of named votes', 'rep.exports': 'Exports',
    'rep.popolo': 'Popolo JSON', 'rep.csv': 'CSV: ', 'rep.akn': 'Akoma Ntoso: meeting ',
    'rep.opinions': 'Opinions gathered', 'rep.document': 'Document (opinions gathered)',
  },
});

const LISTS = ['delegates', 'delegations', 'attendees', 'meetings', 'attendance', 'polls', 'elections'];

// The report's address in a format: ?poll= only for the reports that take it, ?document= for the opinions.
function address(kind, poll, format, document) {
  const q = new URLSearchParams({ format });
  if (kind === 'opinions') q.set('document', document);
  else if (poll && kind !== 'summary') q.set('poll', poll);
  return `/api/reports/${kind}?${q}`;
}

export function reportsPanel(el) {
  const box = errorBox();
  const kind = h('select', { name: 'kind' }, ['results', 'summary', 'rollcall', 'opinions'].map((k) => h('option', { value: k, 'data-i18n': `rep.${k}` }, t(`rep.${k}`))));
  const poll = h('input', { name: 'poll', type: 'number', min: 1 });
  const documentSel = h('select', { name: 'document' });
  get('/api/documents').then((r) => fill(documentSel, r.documents.map((d) => h('option', { value: d.id }, `${d.id} · ${d.title}`))),
    (e) => run(null, box, () => { throw e; }));
  const show = button('rep.show', { class: 'primary' });
  const print = button('rep.print', { disabled: true });
  const links = h('span', { class: 'report-links' });
  const text = h('pre', { class: 'bulletin report' });
  const area = $('#print-area');
  show.addEventListener('click', () => run(show, box, async () => {
    const r = await get(address(kind.value, poll.value, 'text', documentSel.value));
    text.textContent = r;
    fill(area, h('pre', { class: 'bulletin' }, r));
    fill(links, h('a', { href: at(address(kind.value, poll.value, 'html', documentSel.value)), target: '_blank', rel: 'noopener', 'data-i18n': 'rep.html' }, t('rep.html')), ' · ',
      h('a', { href: at(address(kind.value, poll.value, 'pdf', documentSel.value)), target: '_blank', rel: 'noopener', 'data-i18n': 'rep.pdf' }, t('rep.pdf')));
    print.disabled = false;
  }));
  print.addEventListener('click', () => window.print());
  const meetings = h('span');
  get('/api/meetings').then((r) => fill(meetings, r.meetings.map((m, i) => [i ? ' · ' : '',
    h('a', { href: at(`/api/exports/akn?meeting=${m.id}`), download: `meeting-${m.id}.xml` }, `${m.id}`)])),
  (e) => run(null, box, () => { throw e; }));
  const exportsRow = h('p', { class: 'exports' },
    h('a', { href: at('/api/exports/popolo'), download: 'popolo.json' }, t('rep.popolo')), ' · ',
    h('span', { 'data-i18n': 'rep.csv' }, t('rep.csv')),
    LISTS.map((l, i) => [i ? ', ' : '', h('a', { href: at(`/api/exports/csv?list=${l}`), download: `${l}.csv` }, l)]),
    ' · ', h('span', { 'data-i18n': 'rep.akn' }, t('rep.akn')), meetings);
  el.append(panel('nav.reports', h('div', { class: 'row' }, field('rep.kind', kind), field('rep.poll', poll), field('rep.document', documentSel), show, print, links),
    box, text), panel('rep.exports', exportsRow));
  return { leave: () => fill(area) };
}
