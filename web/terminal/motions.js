// motions.js — motions from the terminal: a delegate drafts a motion (议案), an inquiry (质询案), a recall
// (罢免案) or a suggestion (建议) with its 案由, 案据 and 方案; co-signs the drafts of others with a tap (the
// login is the signature); submits and withdraws their own; and says whether an answer satisfies. The
// counts are kept live from the stream (motion.* events). Whether a step is allowed is the server's.

import { get, post } from '/lib/api.js';
import { h, fill } from '/lib/dom.js';
import { addStrings, t } from '/lib/i18n.js';
import { errorBox, showError } from '/lib/ui.js';

addStrings({
  zh: {
    'mo.title': '议案与建议',
    'mo.new': '提出议案、质询案或建议',
    'mo.kind': '类别',
    'mo.kind.motion': '议案',
    'mo.kind.inquiry': '质询案',
    'mo.kind.recall': '罢免案',
    'mo.kind.suggestion': '建议、批评和意见',
    'mo.kind.amendment': '修正案',
    'mo.kind.nomination': '联名提名候选人',
    'mo.f.election': '选举',
    'mo.f.candidate': '候选人姓名',
    'mo.f.title': '案由',
    'mo.f.title.inquiry': '质询的问题',
    'mo.f.grounds': '案据',
    'mo.f.grounds.inquiry': '质询的内容',
    'mo.f.grounds.recall': '罢免理由',
    'mo.f.plan': '方案',
    'mo.f.addressee': '质询对象',
    'mo.f.addressee.suggestion': '交办单位（可不填）',
    'mo.f.person': '被提出罢免的人员',
    'mo.draft': '保存草稿并征集联名',
    'mo.mine': '我领衔的',
    'mo.others': '征集联名中',
    'mo.none': '暂无',
    'mo.count': '已联名 {n} 人',
    'mo.needed': '已联名 {n} 人，需 {need} 人',
    'mo.sign': '联名',
    'mo.signed': '✓ 已联名',
    'mo.submit': '提交',
    'mo.withdraw': '撤回',
    'mo.state.draft': '征集联名',
    'mo.state.submitted': '已提出，待主席团决定',
    'mo.state.decided': '主席团已决定',
    'mo.state.withdrawn': '已撤回',
    'mo.state.nominated': '已列入候选人名单',
    'mo.answer': '{by}答复：',
    'mo.rate': '对答复是否满意：',
    'mo.rate.satisfied': '满意',
    'mo.rate.basically': '基本满意',
    'mo.rate.unsatisfied': '不满意',
    'mo.rated': '您的评价：{r}',
    'mo.done.draft': '已保存草稿，可邀请代表联名',
    'mo.done.sign': '已联名',
    'mo.done.submit': '已提交',
    'mo.done.withdraw': '已撤回',
    'mo.done.rating': '评价已记录',
  },
  en: {
    'mo.title': 'Motions and suggestions',
    'mo.new': 'Put a motion, an inquiry or a suggestion',
    'mo.kind': 'Kind',
    'mo.kind.motion': 'Motion',
    'mo.kind.inquiry': 'Inquiry',
    'mo.kind.recall': 'Recall',
    'mo.kind.suggestion': 'Suggestion, criticism or opinion',
    'mo.kind.amendment': 'Amendment',
    'mo.kind.nomination': 'Nominate a candidate',
    'mo.f.election': 'Election',
    'mo.f.candidate': "The candidate's name",
    'mo.f.title': 'Title',
    'mo.f.title.inquiry': 'The question',
    'mo.f.grounds': 'Grounds',
    'mo.f.grounds.inquiry': 'Its content',
    'mo.f.grounds.recall': 'The reasons',
    'mo.f.plan': 'Proposal',
    'mo.f.addressee': 'The body questioned',
    'mo.f.addressee.suggestion': 'To (optional)',
    'mo.f.person': 'The person to recall',
    'mo.draft': 'Save the draft and gather signatures',
    'mo.mine': 'Mine',
    'mo.others': 'Gathering signatures',
    'mo.none': 'None',
    'mo.count': '{n} signed',
    'mo.needed': '{n} signed of {need} needed',
    'mo.sign': 'Co-sign',
    'mo.signed': '✓ Signed',
    'mo.submit': 'Submit',
    'mo.withdraw': 'Withdraw',
    'mo.state.draft': 'gathering signatures',
    'mo.state.submitted': 'submitted, awaiting the presidium',
    'mo.state.decided': 'decided by the presidium',
    'mo.state.withdrawn': 'withdrawn',
    'mo.state.nominated': 'on the list of candidates',
    'mo.answer': 'Answer of {by}:',
    'mo.rate': 'Does the answer satisfy you?',
    'mo.rate.satisfied': 'Satisfied',
    'mo.rate.basically': 'Basically',
    'mo.rate.unsatisfied': 'Not satisfied',
    'mo.rated': 'Your rating: {r}',
    'mo.done.draft': 'Draft saved: other delegates may co-sign it',
    'mo.done.sign': 'Signed',
    'mo.done.submit': 'Submitted',
    'mo.done.withdraw': 'Withdrawn',
    'mo.done.rating': 'Rating recorded',
  },
});

const KINDS = ['motion', 'inquiry', 'suggestion', 'recall', 'nomination'];

export class Motions {
  constructor(root, { me }) {
    this.root = root;
    this.me = me; /* the delegate record from GET /api/me */
    this.list = [];
    this.details = new Map(); /* id → GET /api/motions/{id}, for one's own decided motions' answers */
    this.busy = false;
    this.err = errorBox();
    this.note = h('p', { class: 'ok small', role: 'status' });
    this.form = null;
  }

  async load() {
    const [motions, elections] = await Promise.all([get('/api/motions'), get('/api/elections')]);
    this.list = motions.motions || [];
    /* the elections still taking nominations, for a nomination's choice */
    this.elections = (elections.elections || []).filter((e) => e.state === 'created');
    this.fillElections();
    const answered = this.list.filter((m) => m.lead?.code === this.me.code && m.state === 'decided');
    await Promise.all(answered.map(async (m) => this.details.set(m.id, await get(`/api/motions/${m.id}`))));
    this.render();
  }

  fillElections() {
    if (!this.electionSelect) return;
    const keep = this.electionSelect.value;
    fill(this.electionSelect, (this.elections || []).map((e) => h('option', { value: e.id }, `${e.id} · ${e.office_name}`)));
    if (keep) this.electionSelect.value = keep;
  }

  // The draft form is made once and kept, so that what is being typed survives the redraws the stream brings.
  draftForm() {
    if (this.form) return this.form;
    const kind = h('select', { name: 'kind' }, KINDS.map((k) => h('option', { value: k }, t(`mo.kind.${k}`))));
    const input = (name, tag = 'input') => h(tag, { name, autocomplete: 'off', maxlength: tag === 'input' ? 200 : 20000 });
    const f = { kind, title: input('title'), grounds: input('grounds', 'textarea'), plan: input('plan', 'textarea'),
      addressee: input('addressee'), person: input('person') };
    f.election = this.electionSelect = h('select', { name: 'election' });
    this.fillElections();
    const labels = {};
    const row = (name) => h('label', { class: `field f-${name}` }, (labels[name] = h('span')), f[name]);
    const form = h('form', { class: 'motion-form' },
      h('label', { class: 'field' }, h('span', t('mo.kind')), kind),
      row('election'), row('title'), row('addressee'), row('person'), row('grounds'), row('plan'),
      h('button', { type: 'submit', class: 'primary' }, t('mo.draft')));
    // What each kind asks for, in its own words (第二十四条: 质询对象、问题和内容; 第三十一条: 人员和理由).
    const shape = () => {
      const k = kind.value;
      labels.title.textContent = t(k === 'inquiry' ? 'mo.f.title.inquiry' : 'mo.f.title');
      labels.grounds.textContent = t(k === 'inquiry' ? 'mo.f.grounds.inquiry' : k === 'recall' ? 'mo.f.grounds.recall' : 'mo.f.grounds');
      labels.plan.textContent = t('mo.f.plan');
      labels.addressee.textContent = t(k === 'suggestion' ? 'mo.f.addressee.suggestion' : 'mo.f.addressee');
      labels.person.textContent = t(k === 'nomination' ? 'mo.f.candidate' : 'mo.f.person');
      labels.election.textContent = t('mo.f.election');
      const nomination = k === 'nomination'; /* its title is made by the server: 提名X为…候选人 */
      form.querySelector('.f-addressee').hidden = k !== 'inquiry' && k !== 'suggestion';
      form.querySelector('.f-person').hidden = k !== 'recall' && !nomination;
      form.querySelector('.f-plan').hidden = k === 'inquiry' || k === 'recall' || nomination;
      form.querySelector('.f-election').hidden = !nomination;
      form.querySelector('.f-title').hidden = nomination;
      form.querySelector('.f-grounds').hidden = nomination;
    };
    kind.addEventListener('change', shape);
    shape();
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const body = { kind: kind.value };
      for (const k of ['title', 'grounds', 'plan', 'addressee', 'person']) {
        const v = f[k].value.trim();
        if (v && !form.querySelector(`.f-${k}`).hidden) body[k] = v;
      }
      if (body.kind === 'nomination') { if (Number(f.election.value)) body.election = Number(f.election.value); }
      else if (!body.title) body.title = ''; /* the server names what is missing */
      this.act('/api/motions', body, 'draft').then((ok) => {
        if (!ok) return;
        for (const k of ['title', 'grounds', 'plan', 'addressee', 'person']) f[k].value = '';
        this.form.open = false; /* the draft is in the list below, gathering signatures */
      });
    });
    this.form = h('details', { class: 'new-motion' }, h('summary', t('mo.new')), form);
    return this.form;
  }

  line(m, mine) {
    const signed = (m.signed_by || []).includes(this.me.code);
    const need = m.needed?.count;
    const enough = !need || m.signatures >= need;
    const acts = [];
    if (m.state === 'draft' && !mine)
      acts.push(signed ? h('span', { class: 'signed' }, t('mo.signed'))
        : h('button', { type: 'button', class: 'sign', disabled: this.busy, onclick: () => this.act(`/api/motions/${m.id}/signatures`, {}, 'sign') }, t('mo.sign')));
    if (mine && m.state === 'draft')
      acts.push(h('button', { type: 'button', class: 'primary submit', disabled: this.busy || !enough, onclick: () => this.act(`/api/motions/${m.id}/submit`, {}, 'submit') }, t('mo.submit')));
    if (mine && (m.state === 'draft' || m.state === 'submitted'))
      acts.push(h('button', { type: 'button', class: 'withdraw', disabled: this.busy, onclick: () => this.act(`/api/motions/${m.id}/withdraw`, {}, 'withdraw') }, t('mo.withdraw')));
    return h('li', { class: ['motion', m.state], 'data-motion': m.id },
      h('p', { class: 'mtitle' }, h('span', { class: 'kind' }, m.kind_name), ' ', m.title),
      h('p', { class: 'muted small' }, m.lead && !mine ? `${m.lead.name}（${m.lead.delegation}） · ` : '',
        t(m.kind === 'nomination' && m.state === 'submitted' ? 'mo.state.nominated' : `mo.state.${m.state}`), ' · ', need ? t('mo.needed', { n: m.signatures, need }) : t('mo.count', { n: m.signatures })),
      mine ? this.answer(m) : null,
      acts.length ? h('div', { class: 'row' }, acts) : null);
  }

  // One's own decided motion: the answer, and one's satisfaction with it.
  answer(m) {
    const d = this.details.get(m.id);
    if (!d?.answer) return null;
    const rate = ['satisfied', 'basically', 'unsatisfied'].map((r) =>
      h('button', { type: 'button', class: ['rate', d.satisfaction === r ? 'chosen' : null], 'data-rating': r, disabled: this.busy,
        onclick: () => this.act(`/api/motions/${m.id}/rating`, { rating: r }, 'rating') }, t(`mo.rate.${r}`)));
    return h('div', { class: 'answer' },
      h('p', { class: 'small' }, t('mo.answer', { by: d.answered_by || '' })),
      h('p', { class: 'answer-text' }, d.answer),
      d.satisfaction ? h('p', { class: 'small' }, t('mo.rated', { r: t(`mo.rate.${d.satisfaction}`) })) : h('p', { class: 'small' }, t('mo.rate')),
      h('div', { class: 'row' }, rate));
  }

  render() {
    const mine = this.list.filter((m) => m.lead?.code === this.me.code);
    const open = this.list.filter((m) => m.state === 'draft' && m.lead?.code !== this.me.code);
    const section = (title, rows, own) => [h('h3', title),
      rows.length ? h('ul', { class: 'motions' }, rows.map((m) => this.line(m, own))) : h('p', { class: 'muted small' }, t('mo.none'))];
    fill(this.root, h('h2', t('mo.title')), this.err, this.note, this.draftForm(),
      section(t('mo.mine'), mine, true), section(t('mo.others'), open, false));
  }

  redraw() {
    this.form = null;
    this.render();
  }

  async act(path, body, what) {
    if (this.busy) return false;
    this.busy = true;
    this.render();
    let ok = false;
    try {
      await post(path, body);
      showError(this.err, null);
      this.note.textContent = t(`mo.done.${what}`);
      ok = true;
      await this.load();
    } catch (e) {
      this.note.textContent = '';
      showError(this.err, e);
    } finally {
      this.busy = false;
      this.render();
    }
    return ok;
  }
}
