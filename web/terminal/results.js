// results.js — a result as the chair announced it: the announcement's text as read in the hall, and the
// totals beside it (a poll's 赞成 · 反对 · 弃权 · 未按表决器, an election's votes per candidate).

import { h } from '/lib/dom.js';
import { addStrings, t } from '/lib/i18n.js';
import { fmtNumber } from '/lib/ui.js';

addStrings({
  zh: {
    'result.passed': '通过',
    'result.failed': '未通过',
    'result.not_voted': '未按表决器',
    'result.entitled': '应出席',
    'result.present': '出席',
    'result.elected': '当选',
    'result.not_elected': '未当选',
    'result.writein': '另选',
    'result.ballots': '收回选票 {returned} 张，有效 {valid} 张，无效 {void} 张',
    'result.void': '本次选举无效',
  },
  en: {
    'result.passed': 'Passed',
    'result.failed': 'Not passed',
    'result.not_voted': 'Did not vote',
    'result.entitled': 'Entitled',
    'result.present': 'Present',
    'result.elected': 'Elected',
    'result.not_elected': 'Not elected',
    'result.writein': 'written in',
    'result.ballots': '{returned} ballots returned, {valid} valid, {void} void',
    'result.void': 'The election is void',
  },
});

export function resultView(kind, d) {
  return kind === 'poll' ? pollResult(d) : electionResult(d);
}

function pollResult(p) {
  const cell = (cls, label, n) => h('div', { class: ['total', cls] }, h('span', { class: 'n num' }, fmtNumber(n)), h('span', { class: 'l' }, label));
  return h('div', { class: 'result', 'data-poll': p.id },
    h('p', { class: ['verdict', p.passed ? 'passed' : 'failed'] }, t(p.passed ? 'result.passed' : 'result.failed')),
    h('div', { class: 'totals' },
      cell('choice-yes', t('choice.yes'), p.yes),
      cell('choice-no', t('choice.no'), p.no),
      cell('choice-abstain', t('choice.abstain'), p.abstain),
      cell('not-voted', t('result.not_voted'), p.not_voted)),
    p.announcement ? h('p', { class: 'announcement', lang: 'zh-CN' }, p.announcement) : null);
}

function electionResult(e) {
  const r = e.result || {};
  const rows = (r.candidates || []).map((c) =>
    h('tr', { class: c.elected ? 'elected' : null },
      h('th', { scope: 'row' }, c.name, c.write_in ? h('span', { class: 'muted small' }, ` (${t('result.writein')})`) : null),
      h('td', { class: 'num' }, fmtNumber(c.yes)),
      h('td', { class: 'num' }, fmtNumber(c.no)),
      h('td', { class: 'num' }, fmtNumber(c.abstain)),
      h('td', null, t(c.elected ? 'result.elected' : 'result.not_elected'))));
  return h('div', { class: 'result', 'data-election': e.id },
    r.valid === false ? h('p', { class: 'verdict failed' }, t('result.void')) : null,
    h('p', { class: 'muted' }, t('result.ballots', { returned: r.ballots_returned ?? 0, valid: r.ballots_valid ?? 0, void: r.ballots_void ?? 0 })),
    h('table', { class: 'cands' },
      h('thead', null, h('tr', null, h('th', t('ballot.candidate')), h('th', t('choice.yes')), h('th', t('choice.no')), h('th', t('choice.abstain')), h('th', ''))),
      h('tbody', null, rows)),
    e.announcement ? h('p', { class: 'announcement', lang: 'zh-CN' }, e.announcement) : null);
}
