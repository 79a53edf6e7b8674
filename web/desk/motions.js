// motions.js — the desk's motions (议案、质询案、罢免案、建议): a draft entered from paper (its lead named by
// code, or a recall by the presidium or the standing committee), the co-signatures on the paper sheet, the
// submission, the presidium's deadlines, decisions and consent to withdraw, and the answers of the agencies;
// one motion open at a time, the list live from the stream. What may be done is the server's to say.

import { get, post } from '/lib/api.js';
import { fill, h } from '/lib/dom.js';
import { addStrings, t } from '/lib/i18n.js';
import { debounce, errorBox, showError } from '/lib/ui.js';
import { L, button, field, note, panel, run } from './util.js';

addStrings({
  zh: {
    'nav.motions': '议案与建议',
    'mo.new': '录入议案（纸质）',
    'mo.kind': '类别',
    'mo.k.motion': '议案', 'mo.k.amendment': '修正案', 'mo.k.inquiry': '质询案', 'mo.k.recall': '罢免案',
    'mo.k.suggestion': '建议、批评和意见',
    'mo.by': '提出人',
    'mo.by.delegates': '代表联名（领衔代表）', 'mo.by.presidium': '主席团', 'mo.by.standing_committee': '常务委员会',
    'mo.lead': '领衔代表（代表证号）',
    'mo.title': '案由',
    'mo.grounds': '案据 / 质询的内容 / 罢免理由',
    'mo.plan': '方案',
    'mo.addressee': '质询对象 / 交办单位',
    'mo.person': '被提出罢免的人员',
    'mo.amends': '所修正的议案编号',
    'mo.add': '录入',
    'mo.added': '已录入{kind} {id}',
    'mo.list': '议案与建议',
    'mo.none': '暂无',
    'mo.col.id': '编号', 'mo.col.kind': '类别', 'mo.col.title': '案由', 'mo.col.lead': '领衔', 'mo.col.state': '状态',
    'mo.col.signed': '联名',
    'mo.s.draft': '征集联名', 'mo.s.submitted': '已提出', 'mo.s.decided': '主席团已决定', 'mo.s.withdrawn': '已撤回',
    'mo.open': '处理',
    'mo.sheet': '纸质联名（代表证号，以空格或逗号分隔）',
    'mo.sign': '录入联名',
    'mo.signed': '已录入 {n} 人联名',
    'mo.submit': '提交',
    'mo.decision': '主席团决定',
    'mo.d.agenda': '列入大会议程', 'mo.d.committee': '先交有关的专门委员会审议',
    'mo.d.suggestion': '不列入大会议程，作为代表建议处理', 'mo.d.oral': '口头答复', 'mo.d.written': '书面答复',
    'mo.d.refer': '交有关机关办理',
    'mo.note': '说明（可不填）',
    'mo.decide': '记录决定',
    'mo.withdraw': '撤回（经主席团同意）',
    'mo.answer.by': '答复单位',
    'mo.answer.text': '答复内容',
    'mo.answer': '记录答复',
    'mo.deadlines': '主席团规定的截止时间',
    'mo.deadline.kind': '类别',
    'mo.deadline.at': '截止时间（北京时间）',
    'mo.deadline.set': '规定',
    'mo.deadline.lift': '取消',
    'mo.deadline.none': '未规定',
    'mo.signers': '联名代表',
    'mo.answered': '{by}答复',
    'mo.rating': '代表评价：{r}',
    'mo.r.satisfied': '满意', 'mo.r.basically': '基本满意', 'mo.r.unsatisfied': '不满意',
  },
  en: {
    'nav.motions': 'Motions',
    'mo.new': 'Enter a motion from paper',
    'mo.kind': 'Kind',
    'mo.k.motion': 'Motion', 'mo.k.amendment': 'Amendment', 'mo.k.inquiry': 'Inquiry', 'mo.k.recall': 'Recall',
    'mo.k.suggestion': 'Suggestion',
    'mo.by': 'Put by',
    'mo.by.delegates': 'Delegates (a lead)', 'mo.by.presidium': 'The presidium', 'mo.by.standing_committee': 'The standing committee',
    'mo.lead': 'Lead delegate (card code)',
    'mo.title': 'Title (案由)',
    'mo.grounds': 'Grounds / content / reasons',
    'mo.plan': 'Proposal (方案)',
    'mo.addressee': 'Body questioned / agencies',
    'mo.person': 'Person to recall',
    'mo.amends': 'Motion amended (number)',
    'mo.add': 'Enter',
    'mo.added': '{kind} {id} entered',
    'mo.list': 'Motions',
    'mo.none': 'None yet',
    'mo.col.id': 'No.', 'mo.col.kind': 'Kind', 'mo.col.title': 'Title', 'mo.col.lead': 'Lead', 'mo.col.state': 'State',
    'mo.col.signed': 'Signed',
    'mo.s.draft': 'gathering signatures', 'mo.s.submitted': 'submitted', 'mo.s.decided': 'decided', 'mo.s.withdrawn': 'withdrawn',
    'mo.open': 'Open',
    'mo.sheet': 'Signatures on paper (codes, by spaces or commas)',
    'mo.sign': 'Enter signatures',
    'mo.signed': '{n} signatures entered',
    'mo.submit': 'Submit',
    'mo.decision': 'The presidium decides',
    'mo.d.agenda': 'On the agenda', 'mo.d.committee': 'To a special committee first',
    'mo.d.suggestion': 'Not on the agenda: as a suggestion', 'mo.d.oral': 'Oral answer', 'mo.d.written': 'Written answer',
    'mo.d.refer': 'Referred to the agencies',
    'mo.note': 'Note (optional)',
    'mo.decide': 'Record the decision',
    'mo.withdraw': 'Withdraw (the presidium consents)',
    'mo.answer.by': 'Answered by',
    'mo.answer.text': 'The answer',
    'mo.answer': 'Record the answer',
    'mo.deadlines': "The presidium's deadlines",
    'mo.deadline.kind': 'Kind',
    'mo.deadline.at': 'Until (Beijing time)',
    'mo.deadline.set': 'Set',
    'mo.deadline.lift': 'Lift',
    'mo.deadline.none': 'none',
    'mo.signers': 'Signed by',
    'mo.answered': 'Answer of {by}',
    'mo.rating': 'The delegate: {r}',
    'mo.r.satisfied': 'satisfied', 'mo.r.basically': 'basically satisfied', 'mo.r.unsatisfied': 'not satisfied',
  },
});

const KINDS = ['motion', 'amendment', 'inquiry', 'recall', 'suggestion'];
const DECISIONS = { motion: ['agenda', 'committee', 'suggestion'], amendment: ['agenda'], recall: ['agenda'],
  inquiry: ['oral', 'written'], suggestion: ['refer'] };

const options = (values, prefix) => values.map((v) => h('option', { value: v }, t(`${prefix}${v}`)));

// "2024-01-25T12:00" typed in Beijing time (UTC+8, no summer time) as an event's time in UTC.
function beijingToUtc(local) {
  const [d, hm] = local.split('T');
  return new Date(`${d}T${hm}:00.000+08:00`).toISOString();
}

function draftForm(box, done, reload) {
  const kind = h('select', { name: 'kind' }, options(KINDS, 'mo.k.'));
  const by = h('select', { name: 'by' }, options(['delegates', 'presidium', 'standing_committee'], 'mo.by.'));
  const inputs = Object.fromEntries(['lead', 'title', 'addressee', 'person', 'amends'].map((n) => [n, h('input', { name: n, autocomplete: 'off' })]));
  inputs.amends.type = 'number';
  inputs.amends.min = 1;
  const grounds = h('textarea', { name: 'grounds', rows: 4 });
  const plan = h('textarea', { name: 'plan', rows: 4 });
  const go = h('button', { type: 'submit', class: 'primary', 'data-i18n': 'mo.add' }, t('mo.add'));
  const form = h('form', { class: 'motion-new' },
    h('div', { class: 'grid3' }, field('mo.kind', kind), field('mo.by', by), field('mo.lead', inputs.lead)),
    field('mo.title', inputs.title),
    h('div', { class: 'grid3' }, field('mo.addressee', inputs.addressee), field('mo.person', inputs.person), field('mo.amends', inputs.amends)),
    field('mo.grounds', grounds), field('mo.plan', plan), go);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    done.set(null);
    const body = { kind: kind.value, title: inputs.title.value.trim() };
    if (by.value === 'delegates') body.lead = inputs.lead.value.trim();
    else body.by = by.value;
    for (const [k, el] of [['addressee', inputs.addressee], ['person', inputs.person], ['grounds', grounds], ['plan', plan]])
      if (el.value.trim()) body[k] = el.value.trim();
    if (inputs.amends.value) body.amends = Number(inputs.amends.value);
    const r = await run(go, box, () => post('/api/motions', body));
    if (!r) return;
    const id = r.events[0].payload.id;
    done.set('mo.added', { kind: t(`mo.k.${body.kind}`), id });
    for (const el of [...Object.values(inputs), grounds, plan]) el.value = '';
    reload(id);
  });
  return form;
}

function deadlinesBox(box, reload) {
  const kind = h('select', { name: 'deadline-kind' }, options(KINDS, 'mo.k.'));
  const at = h('input', { name: 'until', type: 'datetime-local' });
  const set = button('mo.deadline.set', { class: 'primary' });
  const lift = button('mo.deadline.lift');
  const shown = h('ul', { class: 'deadlines' });
  const send = (btn, until) => run(btn, box, () => post('/api/motion-deadlines', { kind: kind.value, until })).then(reload);
  set.addEventListener('click', () => at.value && send(set, beijingToUtc(at.value)));
  lift.addEventListener('click', () => send(lift, ''));
  return {
    el: h('div', h('div', { class: 'row' }, field('mo.deadline.kind', kind), field('mo.deadline.at', at), set, lift), shown),
    show(deadlines) {
      fill(shown, KINDS.map((k) => h('li', t(`mo.k.${k}`), '：', deadlines[k]
        ? new Date(deadlines[k]).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : t('mo.deadline.none'))));
    },
  };
}

// What is being typed in the fields of `into`, by name, when it still shows motion `id` in state `state`.
function typedIn(into, id, state) {
  if (into.dataset.motion !== String(id) || into.dataset.state !== state) return {};
  return Object.fromEntries([...into.querySelectorAll('[name]')].map((el) => [el.name, el.value]));
}

// One motion whole, with what the desk may do next in its state. `keep`: a redraw for what another desk or a
// terminal did, which leaves what is being typed here as it is.
async function motionView(into, id, box, reload, sheetText = '', keep = false) {
  const m = await run(null, box, () => get(`/api/motions/${id}`));
  if (!m) return;
  const typed = keep ? typedIn(into, id, m.state) : {};
  const act = (btn, path, body) => run(btn, box, () => post(`/api/motions/${id}/${path}`, body)).then((r) => r && reload(id));
  const parts = [h('h3', `${m.kind_name} ${m.id}「${m.title}」`),
    h('p', { class: 'muted' }, t(`mo.s.${m.state}`), m.needed ? ` · ${m.signatures} / ${m.needed.count}` : '',
      m.decision_name ? ` · ${m.decision_name}` : '', m.decision_note ? `（${m.decision_note}）` : '')];
  for (const [key, v] of [['mo.addressee', m.addressee], ['mo.person', m.person], ['mo.grounds', m.grounds], ['mo.plan', m.plan]])
    if (v) parts.push(h('p', h('strong', L(key), '：'), v));
  if (m.signers.length) parts.push(h('p', h('strong', L('mo.signers'), '：'), m.signers.map((s) => s.name).join('、')));
  if (m.state === 'draft') {
    const sheet = h('textarea', { name: 'sheet', rows: 2, value: sheetText });
    const sign = button('mo.sign', { class: 'primary' });
    const submit = button('mo.submit');
    sign.addEventListener('click', async () => {
      const codes = sheet.value.split(/[\s,，、]+/).filter(Boolean);
      let n = 0;
      let refused = null;
      sign.disabled = true;
      for (const code of codes) {
        try {
          await post(`/api/motions/${id}/signatures`, { delegate: code });
          n++;
        } catch (e) {
          refused = e;
          break;
        }
      }
      /* what was refused stays on the sheet, with its reason in the box */
      if (n) await reload(id, codes.slice(n).join(' '));
      else sign.disabled = false;
      showError(box, refused);
    });
    submit.addEventListener('click', () => act(submit, 'submit', {}));
    parts.push(field('mo.sheet', sheet), h('div', { class: 'row' }, sign, submit));
  }
  if (m.state === 'submitted') {
    const decision = h('select', { name: 'decision' }, options(DECISIONS[m.kind], 'mo.d.'));
    const noteIn = h('input', { name: 'note' });
    const go = button('mo.decide', { class: 'primary' });
    go.addEventListener('click', () => act(go, 'decide', { decision: decision.value, ...(noteIn.value.trim() ? { note: noteIn.value.trim() } : {}) }));
    parts.push(h('div', { class: 'row' }, field('mo.decision', decision), field('mo.note', noteIn), go));
  }
  if (m.state === 'decided') {
    const by = h('input', { name: 'answer-by', value: m.answered_by || m.addressee || '' });
    const text = h('textarea', { name: 'answer-text', rows: 3 });
    const go = button('mo.answer', { class: 'primary' });
    go.addEventListener('click', () => act(go, 'answer', { text: text.value, ...(by.value.trim() ? { by: by.value.trim() } : {}) }));
    if (m.answer) parts.push(h('p', h('strong', t('mo.answered', { by: m.answered_by || '' }), '：'), m.answer));
    if (m.satisfaction) parts.push(h('p', t('mo.rating', { r: t(`mo.r.${m.satisfaction}`) })));
    parts.push(h('div', { class: 'grid3' }, field('mo.answer.by', by)), field('mo.answer.text', text), go);
  }
  if (m.state !== 'withdrawn' && !(m.state === 'decided' && m.decision !== 'agenda')) {
    const w = button('mo.withdraw');
    w.addEventListener('click', () => act(w, 'withdraw', { consent: m.state === 'decided' }));
    parts.push(h('div', { class: 'row' }, w));
  }
  fill(into, ...parts);
  for (const el of into.querySelectorAll('[name]')) if (el.name in typed) el.value = typed[el.name];
  into.dataset.motion = String(m.id);
  into.dataset.state = m.state;
}

export function motionsPanel(el, ctx) {
  const box = errorBox();
  const done = note();
  const rows = h('tbody');
  const detail = h('div', { class: 'motion-detail' });
  let open = null;
  const deadlines = deadlinesBox(box, () => load());
  const load = async (show = open, sheetText = '', keep = false) => {
    const r = await run(null, box, () => get('/api/motions'));
    if (!r) return;
    deadlines.show(r.deadlines || {});
    fill(rows, r.motions.length ? r.motions.map((m) => {
      const b = button('mo.open', { class: 'small link', 'data-motion': m.id });
      b.addEventListener('click', () => { open = m.id; motionView(detail, m.id, box, load); });
      return h('tr', { 'data-motion': m.id }, h('td', String(m.id)), h('td', m.kind_name), h('td', m.title),
        h('td', m.lead ? m.lead.name : t(`mo.by.${m.by}`)), h('td', t(`mo.s.${m.state}`)),
        h('td', { class: 'num' }, m.needed ? `${m.signatures} / ${m.needed.count}` : String(m.signatures)), h('td', b));
    }) : h('tr', h('td', { colspan: 7, class: 'muted' }, t('mo.none'))));
    open = show;
    if (open) await motionView(detail, open, box, load, sheetText, keep);
  };
  const later = debounce(() => load(open, '', true), 300);
  ctx.onEvent((ev) => { if (ev.type.startsWith('motion.')) later(); });
  el.append(panel('mo.new', draftForm(box, done, load), done),
    panel('mo.list', box, h('table', { class: 'motions' },
      h('thead', h('tr', ['mo.col.id', 'mo.col.kind', 'mo.col.title', 'mo.col.lead', 'mo.col.state', 'mo.col.signed', 'mo.open'].map((k) => h('th', L(k))))),
      rows), detail),
    panel('mo.deadlines', deadlines.el));
  load();
}
