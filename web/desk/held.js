// held.js — a meeting as it was held, entered at the desk as it happens or afterwards from the paper record:
// its date and half-day, who presided, led, joined, attended and sat on the rostrum, the agenda items it took
// up with who presented them, the speakers in the order they spoke with what each said, and its bulletin's
// number; then the bulletin or the plenary report made from it, to read and print. A delegation secretary
// sees only this panel and only their delegation's meetings; what may be recorded is the server's to say.

import { get, post } from '/lib/api.js';
import { $, fill, h } from '/lib/dom.js';
import { addStrings, t } from '/lib/i18n.js';
import { errorBox } from '/lib/ui.js';
import { L, button, field, note, panel, run } from './util.js';

addStrings({
  zh: {
    'nav.held': '会议记录',
    'held.meeting': '会议',
    'held.when': '召开时间',
    'held.date': '日期', 'held.half': '时段',
    'held.h.morning': '上午', 'held.h.afternoon': '下午', 'held.h.evening': '晚上',
    'held.when.set': '记录时间',
    'held.when.none': '未记录召开时间',
    'held.people': '主持、参加和列席人员',
    'held.r.presiding': '主持', 'held.r.leader': '与代表们一起审议', 'held.r.joined': '参加审议',
    'held.r.attending': '列席', 'held.r.rostrum': '主席台就座',
    'held.role': '身份', 'held.person': '人员（代表证号、姓名或 attendee:编号）',
    'held.group': '主席台分组（可不填）',
    'held.person.add': '添加', 'held.remove': '移除',
    'held.none': '暂无',
    'held.col.role': '身份', 'held.col.name': '姓名', 'held.col.post': '职务', 'held.col.group': '分组',
    'held.takeups': '议程',
    'held.item': '议程项目', 'held.action': '方式',
    'held.a.deliberate': '审议', 'held.a.examine': '审查', 'held.a.hear': '听取', 'held.a.vote': '表决', 'held.a.elect': '选举',
    'held.a.default': '按议程项目',
    'held.document': '文件', 'held.document.none': '按议程项目', 'held.version': '版本（可空）',
    'held.presenter': '报告人 / 说明人（可不填）',
    'held.presents': '作', 'held.p.none': '—', 'held.p.report': '作报告', 'held.p.explain': '作说明',
    'held.body': '所代表的机关（可不填）',
    'held.takeup.add': '记录议程',
    'held.speeches': '发言（按发言顺序）',
    'held.sp.closed': '会议未在进行：发言只在会议进行中记录。',
    'held.sp.speaking': '正在发言：{name}',
    'held.sp.summary': '发言摘要',
    'held.sp.end': '结束发言并记录摘要',
    'held.sp.who': '发言人（代表证号）',
    'held.sp.kind': '类别', 'held.k.speech': '代表发言', 'held.k.remarks': '领导讲话（在认真听取大家发言后）',
    'held.sp.start': '开始发言',
    'held.bulletin': '简报与报告',
    'held.bulletin.no': '简报：第{n}期', 'held.bulletin.none': '简报未编号',
    'held.bulletin.issue': '编发简报期号',
    'held.report': '生成报告', 'held.print': '打印',
    'held.saved': '已记录',
  },
  en: {
    'nav.held': 'Meetings as held',
    'held.meeting': 'Meeting',
    'held.when': 'When it was held',
    'held.date': 'Date', 'held.half': 'Half-day',
    'held.h.morning': 'Morning', 'held.h.afternoon': 'Afternoon', 'held.h.evening': 'Evening',
    'held.when.set': 'Record the date',
    'held.when.none': 'Date not recorded',
    'held.people': 'Who presided, joined and attended',
    'held.r.presiding': 'Presided', 'held.r.leader': 'Deliberated with the delegates', 'held.r.joined': 'Joined the deliberation',
    'held.r.attending': 'Attended without a vote', 'held.r.rostrum': 'On the rostrum',
    'held.role': 'Role', 'held.person': 'Person (delegate code, name or attendee:ID)',
    'held.group': 'Rostrum group (optional)',
    'held.person.add': 'Add', 'held.remove': 'Remove',
    'held.none': 'None yet',
    'held.col.role': 'Role', 'held.col.name': 'Name', 'held.col.post': 'Post', 'held.col.group': 'Group',
    'held.takeups': 'Items taken up',
    'held.item': 'Agenda item', 'held.action': 'How',
    'held.a.deliberate': 'Deliberated', 'held.a.examine': 'Examined', 'held.a.hear': 'Heard', 'held.a.vote': 'Voted', 'held.a.elect': 'Elected',
    'held.a.default': 'As on the agenda',
    'held.document': 'Document', 'held.document.none': 'As on the agenda', 'held.version': 'Version (optional)',
    'held.presenter': 'Presented or explained by (optional)',
    'held.presents': 'Gave', 'held.p.none': '—', 'held.p.report': 'the report', 'held.p.explain': 'the explanation',
    'held.body': 'On behalf of (optional)',
    'held.takeup.add': 'Record the item',
    'held.speeches': 'Speeches, in the order given',
    'held.sp.closed': 'The meeting is not under way: speeches are recorded while it is.',
    'held.sp.speaking': 'Speaking: {name}',
    'held.sp.summary': 'What was said',
    'held.sp.end': 'End the speech and record it',
    'held.sp.who': 'Speaker (delegate code)',
    'held.sp.kind': 'Kind', 'held.k.speech': 'A delegate’s speech', 'held.k.remarks': 'A leader’s closing remarks',
    'held.sp.start': 'Give the floor',
    'held.bulletin': 'Bulletin and report',
    'held.bulletin.no': 'Bulletin no. {n}', 'held.bulletin.none': 'Bulletin not numbered',
    'held.bulletin.issue': 'Number the bulletin',
    'held.report': 'Make the report', 'held.print': 'Print',
    'held.saved': 'Recorded',
  },
});

const ROLES = ['presiding', 'leader', 'joined', 'attending', 'rostrum'];
const ACTIONS = ['deliberate', 'examine', 'hear', 'vote', 'elect'];
const option = (value, key) => h('option', { value, 'data-i18n': key }, t(key));

// How the record names a person back to the server: a delegate by code, an attendee by id.
const personSpec = (p) => (p.delegate ? p.delegate : `attendee:${p.attendee}`);

function peopleTable(held, remove) {
  if (!held.people.length) return L('held.none', 'p');
  const cols = ['role', 'name', 'post', 'group'].map((c) => h('th', { 'data-i18n': `held.col.${c}` }, t(`held.col.${c}`)));
  return h('table', { class: 'list', id: 'held-people' },
    h('thead', h('tr', cols, h('th'))),
    h('tbody', held.people.map((p) => {
      const b = button('held.remove', { class: 'small' });
      b.addEventListener('click', () => remove(b, p));
      return h('tr', { 'data-role': p.role },
        h('td', L(`held.r.${p.role}`)), h('td', p.name), h('td', p.post || ''), h('td', p.group || ''), h('td', b));
    })));
}

function takeupList(held, agenda) {
  if (!held.takeups.length) return L('held.none', 'p');
  return h('ol', { id: 'held-takeups' }, held.takeups.map((x) => {
    const item = agenda.find((a) => a.id === x.item);
    const by = x.presenter ? ` — ${x.presenter.name}${x.presents ? t(`held.p.${x.presents}`) : ''}` : '';
    return h('li', `${x.action_zh}：${x.document ? `《${x.document}》` : item ? item.title : x.item}`,
      x.version ? ` (v${x.version})` : '', by);
  }));
}

// The meeting's speakers as the bulletin will list them: in the order they took the floor.
function speechList(list) {
  const spoke = list.speakers.filter((s) => s.state === 'spoke' || s.state === 'speaking')
    .sort((a, b) => (a.spoke || 1e9) - (b.spoke || 1e9));
  if (!spoke.length) return L('held.none', 'p');
  return h('ol', { id: 'held-speeches' }, spoke.map((s) => h('li', { 'data-state': s.state },
    h('strong', s.name), s.kind === 'remarks' ? ` (${t('held.k.remarks')})` : '', s.summary ? `：${s.summary}` : '')));
}

export function heldPanel(el, ctx) {
  const box = errorBox();
  const saved = note();
  const meeting = h('select', { name: 'meeting' });
  const body = h('div', { id: 'held-record' });
  const area = $('#print-area');
  let meetings = [];
  let agenda = [];
  let documents = [];
  let people = [];   // the datalist: delegates and attendees

  const current = () => meetings.find((m) => String(m.id) === meeting.value);
  const act = (btn, path, req) => run(btn, box, async () => {
    await post(`/api/meetings/${meeting.value}/${path}`, req);
    saved.set('held.saved');
    await refresh();
    return true;
  });

  const whenForm = (held) => {
    const date = h('input', { name: 'date', type: 'date', value: held.date || '' });
    const half = h('select', { name: 'half_day' }, ['morning', 'afternoon', 'evening'].map((x) => option(x, `held.h.${x}`)));
    if (held.half_day) half.value = held.half_day;
    const set = button('held.when.set', { class: 'primary' });
    set.addEventListener('click', () => act(set, 'held', { date: date.value, half_day: half.value }));
    return h('div', { class: 'row' }, field('held.date', date), field('held.half', half), set,
      held.date ? null : L('held.when.none', 'span'));
  };

  const personForm = (m) => {
    const role = h('select', { name: 'role' }, ROLES.map((r) => option(r, `held.r.${r}`)));
    role.value = m.delegation ? 'leader' : 'rostrum';
    const who = h('input', { name: 'person', list: 'held-people-list', autocomplete: 'off', required: true });
    const group = h('input', { name: 'group' });
    const add = button('held.person.add', { class: 'primary' });
    add.addEventListener('click', () => {
      const req = { role: role.value, person: who.value.trim().split(/\s+/)[0] || '' };
      if (group.value.trim()) req.group = group.value.trim();
      act(add, 'people', req).then((ok) => { if (ok) who.value = ''; });
    });
    const list = h('datalist', { id: 'held-people-list' }, people.map((p) => h('option', { value: p.spec }, p.label)));
    return h('div', { class: 'row' }, field('held.role', role), field('held.person', who), field('held.group', group), add, list);
  };

  const takeupForm = () => {
    const item = h('select', { name: 'item' }, agenda.map((a) => h('option', { value: a.id }, `${a.order}. ${a.title}`)));
    const action = h('select', { name: 'action' }, option('', 'held.a.default'), ACTIONS.map((a) => option(a, `held.a.${a}`)));
    const doc = h('select', { name: 'document' }, option('', 'held.document.none'),
      documents.map((d) => h('option', { value: d.title }, d.title)));
    const version = h('input', { name: 'version', type: 'number', min: 1 });
    const presenter = h('input', { name: 'presenter', list: 'held-people-list', autocomplete: 'off' });
    const presents = h('select', { name: 'presents' }, option('', 'held.p.none'), option('report', 'held.p.report'), option('explain', 'held.p.explain'));
    const org = h('input', { name: 'body' });
    const add = button('held.takeup.add', { class: 'primary' });
    add.addEventListener('click', () => {
      const req = { item: Number(item.value) };
      if (action.value) req.action = action.value;
      if (doc.value) req.document = doc.value;
      if (Number(version.value) >= 1) req.version = Number(version.value);
      if (presenter.value.trim()) req.presenter = presenter.value.trim().split(/\s+/)[0];
      if (presents.value) req.presents = presents.value;
      if (org.value.trim()) req.body = org.value.trim();
      act(add, 'takeups', req);
    });
    return h('div', h('div', { class: 'row' }, field('held.item', item), field('held.action', action)),
      h('div', { class: 'row' }, field('held.document', doc), field('held.version', version)),
      h('div', { class: 'row' }, field('held.presenter', presenter), field('held.presents', presents), field('held.body', org), add));
  };

  // The floor as the secretary records it: give it to a speaker (a leader's remarks apart), end with a summary.
  const speechForm = (m, list) => {
    if (!m.open) return L('held.sp.closed', 'p');
    const speaking = list.speakers.find((s) => s.state === 'speaking');
    if (speaking) {
      const summary = h('textarea', { name: 'summary', rows: 4 });
      const end = button('held.sp.end', { class: 'primary' });
      end.addEventListener('click', () => act(end, 'speakers/end', summary.value.trim() ? { summary: summary.value.trim() } : {}));
      return h('div', h('p', { class: 'speaking' }, t('held.sp.speaking', { name: speaking.name })), field('held.sp.summary', summary), end);
    }
    const who = h('input', { name: 'speaker', list: 'held-people-list', autocomplete: 'off' });
    const kind = h('select', { name: 'kind' }, option('speech', 'held.k.speech'), option('remarks', 'held.k.remarks'));
    const start = button('held.sp.start', { class: 'primary' });
    start.addEventListener('click', () => act(start, 'speakers/next', { delegate: who.value.trim().split(/\s+/)[0], kind: kind.value }));
    return h('div', { class: 'row' }, field('held.sp.who', who), field('held.sp.kind', kind), start);
  };

  const bulletinRow = (m) => {
    const number = h('span', { id: 'held-bulletin' });
    const issue = button('held.bulletin.issue');
    issue.addEventListener('click', () => act(issue, 'bulletin', {}));
    const show = button('held.report', { class: 'primary' });
    const print = button('held.print', { disabled: true });
    const text = h('pre', { class: 'bulletin', id: 'held-report' });
    show.addEventListener('click', () => run(show, box, async () => {
      const r = await get(m.delegation ? `/api/reports/bulletin?meeting=${m.id}` : `/api/reports/plenary?meeting=${m.id}`);
      text.textContent = r;
      fill(area, h('pre', { class: 'bulletin' }, r));
      print.disabled = false;
    }));
    print.addEventListener('click', () => window.print());
    const el = h('div', h('div', { class: 'row' }, m.delegation ? [number, issue] : null, show, print), text);
    el.update = (held) => {
      number.textContent = held.bulletin ? t('held.bulletin.no', { n: held.bulletin }) : t('held.bulletin.none');
      issue.hidden = !!held.bulletin;
    };
    return el;
  };

  // The parts a change redraws (the lists, the floor), apart from the forms, which keep what is being typed.
  let parts = null;
  const refresh = async () => {
    const m = current();
    if (!m || !parts) return;
    const [held, list] = await Promise.all([get(`/api/meetings/${m.id}/held`), get(`/api/meetings/${m.id}/speakers`)]);
    if (current() !== m) return; /* another meeting was chosen meanwhile */
    const remove = (b, p) => act(b, 'people', { role: p.role, person: personSpec(p), remove: true });
    fill(parts.people, peopleTable(held, remove));
    fill(parts.takeups, takeupList(held, agenda));
    fill(parts.speeches, speechList(list));
    const floor = `${m.open}:${list.speaking}`;
    if (parts.floor !== floor) {
      parts.floor = floor;
      fill(parts.speechForm, speechForm(m, list));
    }
    parts.bulletin.update(held);
    return held;
  };

  // Everything for the meeting chosen: its forms once, then the parts.
  const draw = async () => {
    const m = current();
    parts = null;
    if (!m) return fill(body);
    const held = await get(`/api/meetings/${m.id}/held`);
    parts = { people: h('div'), takeups: h('div'), speeches: h('div'), speechForm: h('div'), floor: null, bulletin: bulletinRow(m) };
    fill(body,
      h('h3', L('held.when')), whenForm(held),
      h('h3', L('held.people')), parts.people, personForm(m),
      h('h3', L('held.takeups')), parts.takeups, takeupForm(),
      h('h3', L('held.speeches')), parts.speeches, parts.speechForm,
      h('h3', L('held.bulletin')), parts.bulletin);
    await refresh();
  };

  const load = async () => {
    const [ms, ag, docs, ds, at] = await Promise.all([get('/api/meetings'), get('/api/agenda'), get('/api/documents'),
      get('/api/delegates'), get('/api/attendees')]);
    const mine = ctx.me.role === 'delegation_secretary' ? ctx.me.delegation : null;
    meetings = ms.meetings.filter((m) => !mine || m.delegation === mine);
    agenda = ag.agenda;
    documents = docs.documents;
    people = [...ds.delegates.filter((d) => d.entitled).map((d) => ({ spec: d.code, label: `${d.name} · ${d.delegation_name}${d.post ? ` · ${d.post}` : ''}` })),
      ...at.attendees.map((a) => ({ spec: `attendee:${a.id}`, label: `${a.name}${a.post ? ` · ${a.post}` : ''}` }))];
    const keep = meeting.value;
    fill(meeting, meetings.map((m) => h('option', { value: m.id }, `${m.id} · ${m.title}${m.open ? ' ●' : ''}`)));
    const open = meetings.find((m) => m.open);
    meeting.value = meetings.some((m) => String(m.id) === keep) ? keep : String((open || meetings[meetings.length - 1] || {}).id || '');
    await draw();
  };

  meeting.addEventListener('change', () => run(null, box, () => { saved.set(null); return draw(); }));
  /* another desk or the chair records the same meeting: redraw on what changes it */
  const redraw = () => run(null, box, refresh);
  let timer = null;
  ctx.onEvent((ev) => {
    if (ev.type === 'meeting.open' || ev.type === 'meeting.close') return void run(null, box, load);
    if (!/^(meeting\.|speech\.|bulletin\.)/.test(ev.type)) return;
    clearTimeout(timer);
    timer = setTimeout(redraw, 50);
  });
  run(null, box, load);
  el.append(panel('nav.held', h('div', { class: 'row' }, field('held.meeting', meeting)), box, saved, body));
  return { leave: () => { clearTimeout(timer); fill(area); } };
}
