// motions.js — the motions the presidium has placed on the congress's agenda, as the chair puts them to the
// vote: each with its amendments, which are voted first, and the poll that decides it (not yet created, open,
// carried or not); a motion chosen here fills the new-vote form, where a recall becomes a secret vote of the
// simple majority of all delegates. What may be voted and in which order is the server's to say.

import { $, fill, h } from '/lib/dom.js';
import { addStrings, t } from '/lib/i18n.js';

addStrings({
  zh: {
    'mo.heading': '列入议程的议案',
    'mo.none': '主席团尚未将议案列入大会议程',
    'mo.k.motion': '议案', 'mo.k.amendment': '修正案', 'mo.k.recall': '罢免案',
    'mo.amends': '修正议案 {id}',
    'mo.poll.none': '尚未建立表决',
    'mo.poll': '表决 {id}：{state}',
    'mo.carried': '通过', 'mo.lost': '未通过',
    'mo.put': '付表决',
    'poll.motion': '议案',
    'poll.motion.none': '（不关联议案）',
    'poll.motion.recall': '罢免案以无记名方式表决，经全体代表的过半数同意。',
  },
  en: {
    'mo.heading': 'Motions on the agenda',
    'mo.none': 'The presidium has placed no motion on the agenda yet',
    'mo.k.motion': 'Motion', 'mo.k.amendment': 'Amendment', 'mo.k.recall': 'Recall',
    'mo.amends': 'amends motion {id}',
    'mo.poll.none': 'no vote yet',
    'mo.poll': 'vote {id}: {state}',
    'mo.carried': 'carried', 'mo.lost': 'not carried',
    'mo.put': 'Put to the vote',
    'poll.motion': 'Motion',
    'poll.motion.none': '(no motion)',
    'poll.motion.recall': 'A recall is voted by secret ballot and needs more than half of all delegates.',
  },
});

const VOTED = ['motion', 'amendment', 'recall'];

// The motions the congress votes on: those the presidium placed on the agenda (GET /api/motions).
export function votedMotions(list) {
  return list.filter((m) => VOTED.includes(m.kind) && m.state === 'decided' && m.decision === 'agenda');
}

const pollOf = (ctx, m) => [...ctx.polls.values()].find((p) => p.motion === m.id) || null;

function pollState(p) {
  if (!p) return t('mo.poll.none');
  const state = p.state === 'closed' && typeof p.passed === 'boolean' ? t(p.passed ? 'mo.carried' : 'mo.lost') : t(`vote.state.${p.state}`);
  return t('mo.poll', { id: p.id, state });
}

// Chooses `m` in the new-vote form and opens it.
function putToVote(m) {
  const select = $('#poll-motion');
  if (!select) return;
  select.value = String(m.id);
  select.dispatchEvent(new Event('change'));
  $('#new-poll').open = true;
  $('#new-poll').scrollIntoView({ block: 'nearest' });
}

// An amendment is listed under the motion it amends, in the order voted: amendments first.
function ordered(motions) {
  const out = [];
  for (const m of motions.filter((x) => x.kind !== 'amendment' || !motions.some((y) => y.id === x.amends))) {
    out.push(...motions.filter((a) => a.kind === 'amendment' && a.amends === m.id), m);
  }
  return out;
}

export function drawMotions(ctx) {
  const body = $('#motions .body');
  if (!body) return;
  const motions = votedMotions(ctx.motions);
  fill(body, motions.length
    ? h('ul', { class: 'motions' }, ordered(motions).map((m) => {
      const p = pollOf(ctx, m);
      return h('li', { 'data-motion': m.id, class: m.kind === 'amendment' ? 'amendment' : null },
        h('span', { class: 'badge' }, t(`mo.k.${m.kind}`), ' ', m.id), ' ', h('span', { class: 'title' }, m.title),
        m.kind === 'amendment' ? h('span', { class: 'muted' }, ' · ', t('mo.amends', { id: m.amends })) : null,
        h('div', { class: 'muted small poll-state' }, pollState(p)),
        p ? null : h('button', { type: 'button', class: 'small', onclick: () => putToVote(m) }, t('mo.put')));
    }))
    : h('p', { class: 'muted' }, t('mo.none')));
  fillMotionChoice(ctx);
}

// The new-vote form's motion choice: the motions on the agenda without a poll yet.
function fillMotionChoice(ctx) {
  const select = $('#poll-motion');
  if (!select) return;
  const keep = select.value;
  const open = votedMotions(ctx.motions).filter((m) => !pollOf(ctx, m));
  fill(select, h('option', { value: '' }, t('poll.motion.none')),
    open.map((m) => h('option', { value: String(m.id) }, `${t(`mo.k.${m.kind}`)} ${m.id} · ${m.title}`)));
  select.value = open.some((m) => String(m.id) === keep) ? keep : '';
}

// The motion choice of the new-vote form: choosing one names the poll after it; a recall is secret and of
// the simple majority of all delegates, so those two are set and held. Returns the row and the select.
export function motionChooser(ctx, { title, majority, named, method }) {
  const select = h('select', { name: 'motion', id: 'poll-motion' });
  const note = h('p', { class: 'muted small', hidden: true }, t('poll.motion.recall'));
  select.addEventListener('change', () => {
    const m = ctx.motions.find((x) => String(x.id) === select.value);
    const recall = m?.kind === 'recall';
    if (m && (!title.value.trim() || title.dataset.fromMotion)) {
      title.value = m.title;
      title.dataset.fromMotion = '1';
    }
    if (recall) {
      majority.value = 'simple';
      named.checked = false;
      if (method.value === 'show_of_hands') method.value = 'terminal';
    }
    majority.disabled = recall;
    named.disabled = recall;
    note.hidden = !recall;
  });
  title.addEventListener('input', () => delete title.dataset.fromMotion);
  const row = h('div', h('label', h('span', t('poll.motion')), select), note);
  setTimeout(() => fillMotionChoice(ctx), 0);
  return { row, select };
}
