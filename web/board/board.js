// board.js — the hall's big screen: the meeting and its item, 应出席 / 出席 / 缺席, a vote under way (turnout
// only), the result in large type once the chair announces it, an election's result per candidate, and the
// seat map. Everything comes from the public API and the public stream, so the screen shows exactly what
// the public may see; it survives a dropped network and a server restart by resuming its stream.

import { get, ApiError } from '../lib/api.js';
import { openStream } from '../lib/stream.js';
import { h, fill, $ } from '../lib/dom.js';
import { addStrings, t, onLang, getLang } from '../lib/i18n.js';
import { langButton, connBanner, startPage, fmtNumber, fmtTime, batchedRedraw } from '../lib/ui.js';
import { seatMap, layoutFromHall, layoutFromSeats } from '../lib/seatmap.js';
import { tallyCheck } from './vtally.js';

addStrings({
  zh: {
    'board.title': '大屏',
    'board.entitled': '应出席',
    'board.present': '出席',
    'board.absent': '缺席',
    'board.leave': '请假',
    'board.quorum': '法定人数',
    'board.quorate': '出席人数符合法定人数',
    'board.not_quorate': '出席人数不足法定人数',
    'board.no_meeting': '现在没有会议',
    'board.item': '现在进行：第{order}项 {title}',
    'board.voting': '正在表决',
    'board.electing': '正在投票选举',
    'board.voted': '已表决',
    'board.returned': '已投票',
    'board.of_present': '出席 {n} 人',
    'board.closed': '表决结束，等待会议主持人宣布结果',
    'board.el_closed': '投票结束，等待宣布选举结果',
    'board.yes': '赞成',
    'board.no': '反对',
    'board.abstain': '弃权',
    'board.not_voted': '未按表决器',
    'board.passed': '通过',
    'board.failed': '未通过',
    'board.threshold': '通过需赞成票 {n} 票',
    'board.elected': '当选',
    'board.not_elected': '未当选',
    'board.write_in': '另选他人',
    'board.candidate': '候选人',
    'board.ballots': '发出选票 {issued} 张，收回 {returned} 张，有效 {valid} 张，无效 {void} 张',
    'board.void_election': '本次选举无效',
    'board.speaking': '正在发言：{name}（{delegation}）',
    'board.map': '座位图',
    'board.legend.present': '出席',
    'board.legend.absent': '缺席',
    'board.legend.leave': '请假',
    'board.legend.voted': '已表决',
    'board.loading': '正在连接服务器…',
  },
  en: {
    'board.title': 'Hall screen',
    'board.entitled': 'Entitled',
    'board.present': 'Present',
    'board.absent': 'Absent',
    'board.leave': 'on leave',
    'board.quorum': 'Quorum',
    'board.quorate': 'The meeting is quorate',
    'board.not_quorate': 'The meeting is not quorate',
    'board.no_meeting': 'No meeting is in session',
    'board.item': 'Now: item {order}, {title}',
    'board.voting': 'Voting',
    'board.electing': 'Election under way',
    'board.voted': 'Voted',
    'board.returned': 'Ballots cast',
    'board.of_present': 'of {n} present',
    'board.closed': 'Voting has ended; the chair will announce the result',
    'board.el_closed': 'Voting has ended; the result will be announced',
    'board.yes': 'Yes',
    'board.no': 'No',
    'board.abstain': 'Abstain',
    'board.not_voted': 'Did not vote',
    'board.passed': 'Adopted',
    'board.failed': 'Not adopted',
    'board.threshold': '{n} yes votes needed',
    'board.elected': 'Elected',
    'board.not_elected': 'Not elected',
    'board.write_in': 'write-in',
    'board.candidate': 'Candidate',
    'board.ballots': '{issued} ballots issued, {returned} returned, {valid} valid, {void} void',
    'board.void_election': 'The election is void',
    'board.speaking': 'Speaking: {name} ({delegation})',
    'board.map': 'Seat map',
    'board.legend.present': 'Present',
    'board.legend.absent': 'Absent',
    'board.legend.leave': 'On leave',
    'board.legend.voted': 'Voted',
    'board.loading': 'Connecting to the server…',
  },
});

// What the screen knows, folded from the snapshot and then from each live event.
const st = {
  session: null,
  meeting: null, /* the current meeting's view, with its attendance summary */
  agenda: new Map(),
  delegates: new Map(), /* id → delegate */
  byCode: new Map(),
  presence: new Map(), /* id → present | leave (absent when missing), at the current meeting */
  polls: new Map(),
  elections: new Map(),
  shown: null, /* { kind: 'poll' | 'election', id }: the vote on screen */
  votedBy: new Set(), /* a named poll's voters so far, where the stream names them */
  choices: null, /* a named poll's choices after the close, where the API gives them */
  speaker: null,
  map: null,
};

const ui = {
  root: $('#board'),
  title: $('#session-title'),
  meeting: $('#meeting'),
  item: $('#item'),
  attendance: $('#attendance'),
  vote: $('#vote'),
  speaker: $('#speaker'),
  mapBox: $('#map'),
  legend: $('#legend'),
  clock: $('#clock'),
};

const conn = connBanner(ui.root);
$('#conn').replaceWith(conn.el);
$('#lang').replaceWith(langButton());

/* ---- the snapshot ---- */

// Everything the screen needs, in two round trips: the session (whose seq the stream resumes after, and
// which names the current meeting), then the rest at once.
async function snapshot() {
  const session = await get('/api/session');
  const m = session.current_meeting;
  const [status, agenda, delegates, polls, elections, hall, att, sp] = await Promise.all([
    get('/api/status'),
    get('/api/agenda'),
    get('/api/delegates'),
    get('/api/polls'),
    get('/api/elections'),
    get('/api/hall').catch((e) => {
      if (e instanceof ApiError && e.status === 404) return null; /* a server without the hall's layout */
      throw e;
    }),
    m ? get(`/api/meetings/${m}/attendance`) : null,
    m ? get(`/api/meetings/${m}/speakers`) : null,
  ]);
  st.session = session;
  st.agenda = new Map(agenda.agenda.map((a) => [a.id, a]));
  st.delegates = new Map(delegates.delegates.map((d) => [d.id, d]));
  st.byCode = new Map(delegates.delegates.map((d) => [d.code, d]));
  st.polls = new Map(polls.polls.map((p) => [p.id, p]));
  st.elections = new Map(elections.elections.map((e) => [e.id, e]));
  if (status.meeting && status.meeting.id === m) applyMeeting(status.meeting, att, sp);
  else await setMeeting(status.meeting); /* a meeting opened between the two reads */
  st.shown = pickShown();
  await loadChoices();
  drawMap(hall);
  return session.seq;
}

async function setMeeting(meeting) {
  if (!meeting) return applyMeeting(null);
  const [att, sp] = await Promise.all([
    get(`/api/meetings/${meeting.id}/attendance`),
    get(`/api/meetings/${meeting.id}/speakers`),
  ]);
  applyMeeting(meeting, att, sp);
}

function applyMeeting(meeting, att, sp) {
  st.meeting = meeting;
  st.presence = new Map();
  st.speaker = null;
  if (!meeting) return;
  for (const a of att.delegates) {
    const d = st.byCode.get(a.code);
    if (d && a.presence !== 'absent') st.presence.set(d.id, a.presence === 'present' ? 'present' : 'leave');
  }
  st.meeting.attendance = att.summary;
  st.speaker = sp.speaking ? sp.speakers.find((x) => x.state === 'speaking') || null : null;
}

// The vote the screen shows: one under way at the current meeting, else the last one of it closed.
function pickShown() {
  const m = st.meeting?.id;
  const all = [
    ...[...st.polls.values()].map((v) => ({ kind: 'poll', v })),
    ...[...st.elections.values()].map((v) => ({ kind: 'election', v })),
  ].filter((x) => x.v.meeting === m && m);
  const open = all.find((x) => x.v.state === 'open');
  if (open) return { kind: open.kind, id: open.v.id };
  const closed = all.filter((x) => x.v.state === 'closed').sort((a, b) => (b.v.closed_at || '').localeCompare(a.v.closed_at || ''));
  return closed.length ? { kind: closed[0].kind, id: closed[0].v.id } : null;
}

async function buildMap() {
  let hall = null;
  try {
    hall = await get('/api/hall');
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
  }
  drawMap(hall);
}

function drawMap(hall) {
  const layout = layoutFromHall(hall) || layoutFromSeats([...st.delegates.values()]);
  st.map = seatMap(layout, { title: t('board.map') });
  fill(ui.mapBox, st.map.el);
  paintSeats();
}

/* ---- the seats ---- */

function seatState(id) {
  const v = shownVote();
  if (v && st.shown.kind === 'poll' && v.named) {
    if (st.choices && st.choices.has(id)) return st.choices.get(id);
    if (v.state === 'open' && st.votedBy.has(id)) return 'voted';
  }
  return st.presence.get(id) || 'absent';
}

function paintSeats() {
  if (!st.map) return;
  st.map.setAll(seatState);
  const named = shownVote()?.named && st.shown.kind === 'poll';
  const keys = ['present', 'absent', 'leave'];
  if (named && shownVote().state === 'open') keys.unshift('voted');
  if (named && st.choices) keys.unshift('yes', 'no', 'abstain');
  fill(ui.legend, keys.map((k) => h('li', { class: k }, t(['yes', 'no', 'abstain'].includes(k) ? `board.${k}` : `board.legend.${k}`))));
}

// A named poll's choices, once it is closed, where the API shows them.
async function loadChoices() {
  st.choices = null;
  const v = shownVote();
  if (!v || st.shown.kind !== 'poll' || !v.named || v.state !== 'closed') return;
  try {
    const r = await get(`/api/polls/${v.id}/votes`);
    st.choices = new Map((r.votes || []).map((x) => [x.delegate, x.choice]));
  } catch (e) {
    if (!(e instanceof ApiError) || (e.status !== 404 && e.status !== 405)) throw e;
  }
}

/* ---- drawing ---- */

function shownVote() {
  if (!st.shown) return null;
  return (st.shown.kind === 'poll' ? st.polls : st.elections).get(st.shown.id) || null;
}

function drawHeader() {
  const s = st.session;
  ui.title.textContent = s ? s.title : '';
  document.title = s ? `${s.title} · ${t('board.title')}` : t('board.title');
  const m = st.meeting;
  ui.meeting.textContent = m ? m.title : t('board.no_meeting');
  const it = m?.item ? st.agenda.get(m.item) : null;
  ui.item.textContent = it ? t('board.item', { order: it.order, title: it.title }) : '';
  ui.item.hidden = !it;
  const sp = st.speaker;
  ui.speaker.textContent = sp ? t('board.speaking', { name: sp.name, delegation: sp.delegation || '' }) : '';
  ui.speaker.hidden = !sp;
}

function figure(label, value, cls) {
  return h('div', { class: ['figure', cls] }, h('span', { class: 'label' }, label), h('span', { class: 'value num' }, fmtNumber(value)));
}

function drawAttendance() {
  const a = st.meeting?.attendance;
  if (!a) return fill(ui.attendance);
  fill(
    ui.attendance,
    h('div', { class: 'figures' }, figure(t('board.entitled'), a.entitled), figure(t('board.present'), a.present, 'present'), figure(t('board.absent'), a.absent, 'absent')),
    h('p', { class: 'quorum' }, `${t('board.leave')} ${fmtNumber(a.on_leave)} · ${t('board.quorum')} ${fmtNumber(a.quorum)} · `, h('strong', { class: a.quorate ? 'ok' : 'bad' }, t(a.quorate ? 'board.quorate' : 'board.not_quorate'))),
  );
}

function drawVote() {
  const v = shownVote();
  if (!v) return fill(ui.vote);
  if (st.shown.kind === 'poll') return fill(ui.vote, pollView(v));
  return fill(ui.vote, electionView(v));
}

function turnout(label, voted, present) {
  const pct = present ? Math.min(100, (100 * voted) / present) : 0;
  const bar = h('div', { class: 'bar' }, h('div', { class: 'fill' }));
  bar.firstChild.style.width = `${pct}%`;
  return h('div', { class: 'turnout' }, h('div', { class: 'big num' }, fmtNumber(voted)), h('div', { class: 'label' }, `${label} · ${t('board.of_present', { n: fmtNumber(present) })}`), bar);
}

function pollView(p) {
  const head = h('h2', { class: 'vote-title' }, p.title);
  if (p.state === 'open') {
    return [h('p', { class: 'phase live' }, t('board.voting')), head, turnout(t('board.voted'), p.voted, st.meeting?.attendance?.present ?? p.present ?? 0),
      ballotsLine(p)];
  }
  if (p.state !== 'closed') return [];
  if (!p.announced) return [head, h('p', { class: 'phase' }, t('board.closed')), verifiedLine('poll', p)];
  return [
    head,
    h('div', { class: 'result' }, figure(t('board.yes'), p.yes, 'yes'), figure(t('board.no'), p.no, 'no'), figure(t('board.abstain'), p.abstain, 'abstain'), figure(t('board.not_voted'), p.not_voted, 'not-voted')),
    h('p', { class: ['verdict', p.passed ? 'passed' : 'failed'] }, t(p.passed ? 'board.passed' : 'board.failed')),
    h('p', { class: 'threshold muted' }, t('board.threshold', { n: fmtNumber(p.threshold) })),
    verifiedLine('poll', p),
  ];
}

// How many encrypted ballots a verifiable vote has on the board (GET …/codes lists them) while it is open.
function ballotsLine(v) {
  return v.verifiable ? h('p', { class: 'vballots num' }, t('vt.ballots', { n: fmtNumber(v.verifiable.ballots) })) : null;
}

function electionView(e) {
  const office = e.office_name || e.office;
  const head = h('h2', { class: 'vote-title' }, office);
  if (e.state === 'open') {
    return [h('p', { class: 'phase live' }, t('board.electing')), head, turnout(t('board.returned'), e.returned, e.issued), ballotsLine(e)];
  }
  if (e.state !== 'closed') return [];
  if (!e.announcement || !e.result) return [head, h('p', { class: 'phase' }, t('board.el_closed')), verifiedLine('election', e)];
  const r = e.result;
  const rows = (r.candidates || []).map((c) =>
    h(
      'tr',
      { class: c.elected ? 'elected' : '' },
      h('th', { scope: 'row' }, c.name, c.write_in ? h('span', { class: 'tag' }, t('board.write_in')) : null),
      h('td', { class: 'num' }, fmtNumber(c.yes)),
      h('td', { class: 'num' }, fmtNumber(c.no)),
      h('td', { class: 'num' }, fmtNumber(c.abstain)),
      h('td', { class: 'outcome' }, t(c.elected ? 'board.elected' : 'board.not_elected')),
    ),
  );
  return [
    head,
    h('p', { class: 'ballots' }, t('board.ballots', { issued: fmtNumber(e.issued), returned: fmtNumber(r.ballots_returned), valid: fmtNumber(r.ballots_valid), void: fmtNumber(r.ballots_void) })),
    r.valid === false ? h('p', { class: 'verdict failed' }, t('board.void_election')) : null,
    verifiedLine('election', e),
    h(
      'table',
      { class: 'candidates' },
      h('thead', h('tr', h('th', t('board.candidate')), h('th', t('board.yes')), h('th', t('board.no')), h('th', t('board.abstain')), h('th', ''))),
      h('tbody', rows),
    ),
  ];
}

// A verifiable vote's count checked here (vtally.js): the line fills in when the check is done.
function verifiedLine(kind, d) {
  const v = d.verifiable;
  if (!v) return null;
  if (!v.counted) return h('p', { class: 'vtally muted' }, t('vt.waiting', { done: (v.decrypted_by || []).length, k: v.threshold }));
  const line = h('p', { class: 'vtally', 'data-state': 'checking', role: 'status' }, t('vt.checking'));
  tallyCheck(kind, d).then((r) => {
    line.dataset.state = r.ok ? 'ok' : 'bad';
    if (r.ms !== undefined) line.dataset.ms = r.ms;
    line.textContent = r.ok ? `✓ ${t('vt.ok', { t: r.trustees })}` : t('vt.bad', { why: r.why });
  });
  return line;
}

function drawAll() {
  drawHeader();
  drawAttendance();
  drawVote();
  paintSeats();
}

/* ---- live events ---- */

// Redrawing is batched to one frame: 3,000 votes arriving in a second cost a few dozen draws.
const redraw = batchedRedraw((todo) => {
  if (todo.has('all')) return drawAll();
  if (todo.has('header')) drawHeader();
  if (todo.has('attendance')) drawAttendance();
  if (todo.has('vote')) drawVote();
  if (todo.has('seats')) paintSeats();
});

// Work that needs the server (a vote's new view, a new meeting) runs one at a time, in the order the
// events came, so that a slow answer never overwrites a newer one.
let chain = Promise.resolve();
function later(f) {
  chain = chain.then(f).catch((e) => console.warn('board: refresh failed', e));
}

function setPresence(id, presence) {
  const a = st.meeting?.attendance;
  const was = st.presence.get(id) || 'absent';
  if (was === presence || !a) return;
  if (was === 'present') a.present--;
  if (was === 'leave') a.on_leave--;
  if (presence === 'present') a.present++;
  if (presence === 'leave') a.on_leave++;
  if (presence === 'absent') st.presence.delete(id);
  else st.presence.set(id, presence);
  a.absent = a.entitled - a.present;
  a.quorate = a.present >= a.quorum;
  if (st.map) st.map.set(id, seatState(id));
  redraw('attendance');
}

async function refreshVote(kind, id) {
  const v = await get(`/api/${kind === 'poll' ? 'polls' : 'elections'}/${id}`);
  (kind === 'poll' ? st.polls : st.elections).set(id, v);
  if (v.meeting === st.meeting?.id) st.shown = { kind, id };
  await loadChoices();
  redraw('vote', 'seats');
}

async function refreshMeeting() {
  const status = await get('/api/status');
  await setMeeting(status.meeting);
  st.shown = pickShown();
  st.votedBy = new Set();
  await loadChoices();
  redraw('all');
}

function onEvent(ev) {
  const p = ev.payload;
  const mine = p.meeting === undefined || p.meeting === st.meeting?.id;
  switch (ev.type) {
    case 'attendance.checkin':
      if (mine) setPresence(p.delegate, 'present');
      break;
    case 'attendance.leave':
      if (mine) setPresence(p.delegate, 'leave');
      break;
    case 'attendance.absent':
      if (mine) setPresence(p.delegate, 'absent');
      break;
    case 'poll.turnout':
    case 'election.turnout': {
      const kind = ev.type === 'poll.turnout' ? 'poll' : 'election';
      const v = (kind === 'poll' ? st.polls : st.elections).get(p[kind]);
      if (!v) break;
      if (kind === 'poll') v.voted = p.voted;
      else v.returned = p.voted;
      if (v.verifiable) v.verifiable.ballots = Math.max(v.verifiable.ballots || 0, p.voted); /* each cast is on the board */
      for (const id of p.delegates || []) {
        st.votedBy.add(id);
        if (st.map) st.map.set(id, seatState(id));
      }
      redraw('vote');
      break;
    }
    case 'poll.open':
    case 'poll.close':
    case 'poll.announce':
    case 'poll.totals':
    case 'poll.decrypt':
    case 'poll.count':
      if (ev.type === 'poll.open') st.votedBy = new Set();
      later(() => refreshVote('poll', p.poll));
      break;
    case 'poll.create':
      later(() => refreshVote('poll', p.id));
      break;
    case 'election.open':
    case 'election.close':
    case 'election.announce':
    case 'election.decrypt':
    case 'election.count':
      later(() => refreshVote('election', p.election));
      break;
    case 'election.create':
    case 'election.nominate':
      later(() => refreshVote('election', p.id ?? p.election));
      break;
    case 'meeting.open':
    case 'meeting.close':
    case 'meeting.item':
    case 'delegate.end':
      later(refreshMeeting);
      break;
    case 'speech.start':
    case 'speech.end':
      later(refreshSpeaker);
      break;
    case 'item.add':
      later(async () => {
        const a = await get('/api/agenda');
        st.agenda = new Map(a.agenda.map((x) => [x.id, x]));
        redraw('header');
      });
      break;
    case 'delegate.add':
    case 'delegate.seat':
    case 'hall.layout':
      later(async () => {
        const d = await get('/api/delegates');
        st.delegates = new Map(d.delegates.map((x) => [x.id, x]));
        st.byCode = new Map(d.delegates.map((x) => [x.code, x]));
        await buildMap();
      });
      break;
    default:
      if (ev.type.startsWith('hall.')) later(buildMap);
  }
}

async function refreshSpeaker() {
  if (!st.meeting) return;
  const sp = await get(`/api/meetings/${st.meeting.id}/speakers`);
  st.speaker = sp.speaking ? sp.speakers.find((x) => x.state === 'speaking') || null : null;
  redraw('header');
}

/* ---- start ---- */

function tick() {
  ui.clock.textContent = fmtTime(new Date().toISOString());
}

async function start() {
  startPage();
  tick();
  setInterval(tick, 1000);
  onLang(() => {
    redraw('all');
    tick();
  });
  let wait = 500;
  for (;;) {
    try {
      const seq = await snapshot();
      drawAll();
      ui.root.dataset.ready = 'true';
      performance.mark('yishi.ready'); /* from the page's start: what bench/ reads as the time to render */
      openStream({ path: '/api/stream/public', after: seq, onEvent, onState: (s) => conn.set(s) });
      return;
    } catch (e) {
      conn.set('reconnecting'); /* the server is not up yet, or restarting: try again */
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, 5000);
    }
  }
}

document.documentElement.lang = getLang() === 'zh' ? 'zh-CN' : 'en';
start();
