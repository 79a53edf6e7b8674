// chair.js — the presiding chair's console (/chair): logs in as the chair, reads the session once (its
// seq first, so that the live stream resumes exactly after what was read), then keeps every panel live
// from the staff stream: attendance and turnout one event at a time, the rest refetched when it changes.

import './strings.js';
import { ApiError, currentLogin, get, login, logout, whoami } from '/lib/api.js';
import { $, fill, h } from '/lib/dom.js';
import { onLang, t } from '/lib/i18n.js';
import { openStream } from '/lib/stream.js';
import { connBanner, langButton, showError, startPage } from '/lib/ui.js';
import { paint } from './act.js';
import { buildHall, paintHall, paintSeat } from './hall.js';
import { drawAgenda, drawAttendance, drawMeeting } from './meeting.js';
import { drawMotions } from './motions.js';
import { drawSpeakers, skew } from './speakers.js';
import { Attendance } from './tally.js';
import { drawElectionForm, drawPollForm, drawVote, drawVotes, startTurnout, voteOf, votePresenceMoved, voterAdded } from './votes.js';

// What the console knows; the panels read it, the loaders and the stream write it.
const ctx = {
  session: null,
  meeting: null, /* the current meeting (GET /api/status), when one is open */
  meetings: [],
  agenda: [],
  delegates: new Map(), /* id → delegate */
  byCode: new Map(), /* code → id */
  polls: new Map(),
  elections: new Map(),
  offices: [], /* [{ key, name }] from the rule set */
  att: new Attendance(),
  turnout: null,
  focus: null, /* { kind, id }: the vote the vote panel shows */
  speakers: null,
  motions: [], /* GET /api/motions: the console shows those on the agenda */
  refresh,
  redraw,
  stats: { loadMs: null, events: 0, scriptMs: 0 }, /* for the benchmark; each frame drawn is a 'yishi.apply' measure */
};

const REFETCH_MS = 30; /* a burst of events of one kind is one refetch */
let stream = null;
let loading = 0;
let pending = [];
const banner = connBanner(null);

// ---- loading ----

async function loadMeeting() {
  const status = await get('/api/status');
  const m = status.meeting && status.meeting.open ? status.meeting : null;
  const [meetings, attendance, speakers] = await Promise.all([
    get('/api/meetings'),
    m ? get(`/api/meetings/${m.id}/attendance`) : null,
    m ? get(`/api/meetings/${m.id}/speakers`) : null,
  ]);
  ctx.meeting = m;
  ctx.meetings = meetings.meetings;
  ctx.speakers = speakers;
  if (m) {
    const rows = attendance.delegates.map((d) => ({ id: ctx.byCode.get(d.code), presence: d.presence }));
    ctx.att.load(m.id, true, attendance.summary, rows.filter((r) => r.id));
  } else {
    ctx.att.clear();
  }
}

async function loadDelegates() {
  const [r, hall] = await Promise.all([get('/api/delegates'), get('/api/hall').catch((e) => {
    if (e.status === 404) return null; /* a server without the hall's layout */
    throw e;
  })]);
  ctx.hall = hall;
  ctx.delegates.clear();
  ctx.byCode.clear();
  for (const d of r.delegates) {
    ctx.delegates.set(d.id, d);
    ctx.byCode.set(d.code, d.id);
  }
}

async function loadAgenda() {
  ctx.agenda = (await get('/api/agenda')).agenda;
}

async function loadMotions() {
  ctx.motions = (await get('/api/motions')).motions;
}

async function loadSpeakers() {
  ctx.speakers = ctx.meeting ? await get(`/api/meetings/${ctx.meeting.id}/speakers`) : null;
}

// The rule set's offices (GET /api/rules: the key to send, the name to show), for the election form.
async function loadRules() {
  const r = await get('/api/rules');
  ctx.offices = (r.offices || []).map((o) => ({ key: o.key, name: o.name }));
}

async function loadVotes() {
  const [p, e] = await Promise.all([get('/api/polls'), get('/api/elections')]);
  ctx.polls = new Map(p.polls.map((x) => [x.id, x]));
  ctx.elections = new Map(e.elections.map((x) => [x.id, x]));
  const open = openVote();
  if (open && !(ctx.turnout && ctx.turnout.kind === open.kind && ctx.turnout.id === open.id)) {
    await startTurnout(ctx, open.kind, open.id, true);
  } else if (!open) {
    ctx.turnout = null;
  }
  if (open) ctx.focus = open;
  else if (!ctx.focus || !voteOf(ctx, ctx.focus)) ctx.focus = lastUnannounced();
}

function openVote() {
  for (const p of ctx.polls.values()) if (p.state === 'open') return { kind: 'poll', id: p.id };
  for (const e of ctx.elections.values()) if (e.state === 'open') return { kind: 'election', id: e.id };
  return null;
}


function lastUnannounced() {
  let best = null;
  const consider = (kind, v) => {
    const announced = kind === 'poll' ? v.announced : !!v.announcement;
    if (v.state === 'closed' && !announced && (!best || (v.closed_at || '') > (best.at || ''))) best = { kind, id: v.id, at: v.closed_at };
  };
  for (const p of ctx.polls.values()) consider('poll', p);
  for (const e of ctx.elections.values()) consider('election', e);
  return best ? { kind: best.kind, id: best.id } : null;
}

// Runs a loader while buffering the attendance and vote events that arrive meanwhile; they are applied
// again once it is done (idempotently), so that a read that raced an event never loses it.
async function loading_(f) {
  loading++;
  try {
    await f();
  } finally {
    loading--;
    if (!loading) {
      const again = pending;
      pending = [];
      for (const ev of again) applyCount(ev);
    }
  }
}

const loaders = {
  meeting: () => loadMeeting(),
  delegates: async () => {
    await loadDelegates();
    await loadMeeting();
    buildHall(ctx);
  },
  agenda: () => loadAgenda(),
  votes: () => loadVotes(),
  speakers: () => loadSpeakers(),
  motions: () => loadMotions(),
};
const timers = {};

// Refetches one part of the console a moment after the event that changed it, then redraws.
function refresh(part) {
  clearTimeout(timers[part]);
  timers[part] = setTimeout(async () => {
    try {
      await loading_(loaders[part]);
      redraw();
    } catch (e) {
      failed(e);
    }
  }, REFETCH_MS);
}

// ---- live events ----

// The events counted one by one: presence and turnout. Returns true when one of them.
function applyCount(ev) {
  const p = ev.payload;
  switch (ev.type) {
    case 'attendance.checkin':
    case 'attendance.leave':
    case 'attendance.absent': {
      const from = ctx.att.apply(ev.type, p);
      if (from !== null) {
        votePresenceMoved(ctx, p.delegate, from, ctx.att.presence.get(p.delegate));
        paintSeat(ctx, p.delegate);
        paint('attendance', () => drawAttendance(ctx));
      }
      return true;
    }
    case 'poll.vote':
    case 'poll.cast':
    case 'election.cast': {
      const tu = ctx.turnout;
      const id = ev.type === 'election.cast' ? p.election : p.poll;
      const kind = ev.type === 'election.cast' ? 'election' : 'poll';
      if (tu && tu.kind === kind && tu.id === id && tu.add(p.delegate)) {
        voterAdded(ctx, p.delegate);
        paintSeat(ctx, p.delegate);
      }
      return true;
    }
    default:
      return false;
  }
}

function onEvent(ev) {
  const lag = Date.now() - Date.parse(ev.time); /* the least lag seen is the clocks' difference */
  if (Number.isFinite(lag) && (!skew.seen || lag < skew.ms)) Object.assign(skew, { ms: lag, seen: true });
  if (loading && /^(attendance\.|poll\.vote|poll\.cast|election\.cast)/.test(ev.type)) pending.push(ev);
  const t0 = performance.now();
  if (applyCount(ev)) {
    ctx.stats.events++;
    ctx.stats.scriptMs += performance.now() - t0; /* the page's own work per event, apart from the frame */
    return;
  }
  const p = ev.payload;
  const type = ev.type;
  if (type === 'poll.open' || type === 'election.open') {
    /* counted from now on, before any refetch: the first votes may follow at once */
    const kind = type === 'poll.open' ? 'poll' : 'election';
    startTurnout(ctx, kind, p[kind], false, p.issued);
    ctx.focus = { kind, id: p[kind] };
    paintHall(ctx);
  }
  if (type.startsWith('meeting.')) {
    refresh('meeting');
    refresh('votes');
  } else if (type === 'delegate.add' || type === 'delegate.end' || type === 'delegate.seat' || type === 'hall.layout') refresh('delegates');
  else if (type === 'item.add') refresh('agenda');
  else if (type.startsWith('poll.') || type.startsWith('election.')) refresh('votes');
  else if (type.startsWith('speech.')) refresh('speakers');
  else if (type.startsWith('motion.')) refresh('motions');
  else if (type.startsWith('attendee.') || type.startsWith('document.')) return;
}

function onState(s) {
  banner.set(s);
  $('#console').classList.toggle('stale', s !== 'live');
  if (s === 'denied') showLogin();
}

// ---- drawing ----

function redraw() {
  paintHall(ctx);
  drawMeeting(ctx);
  drawAttendance(ctx);
  drawAgenda(ctx);
  drawVote(ctx);
  drawVotes(ctx);
  drawSpeakers(ctx);
  drawMotions(ctx);
}

function failed(e) {
  showError($('#meeting .error'), e instanceof ApiError ? e : new ApiError(0, null));
}

// ---- login ----

function showLogin(message) {
  if (stream) stream.close();
  stream = null;
  $('#console').hidden = true;
  $('#login').hidden = false;
  $('#logout').hidden = true;
  fill($('#who'));
  showError($('#login-error'), message ? { text: () => message } : null);
  $('#login-form [name=name]').focus();
}

async function start(me) {
  const t0 = performance.now();
  if (me.role !== 'chair') {
    await logout();
    showLogin(t('chair.login.notchair', { role: me.role }));
    return;
  }
  $('#login').hidden = true;
  $('#console').hidden = false;
  $('#logout').hidden = false;
  const who = () => fill($('#who'), t('chair.who', { name: me.name }));
  who();
  onLang(who);
  let seq = null;
  await loading_(async () => {
    ctx.session = await get('/api/session'); /* its seq first: the stream resumes after it */
    seq = ctx.session.seq;
    fill($('#session-title'), ctx.session.title);
    await Promise.all([loadDelegates(), loadAgenda(), loadRules(), loadMotions()]);
    await loadMeeting();
    await loadVotes();
  });
  drawPollForm(ctx);
  drawElectionForm(ctx);
  buildHall(ctx);
  redraw();
  $('#console').dataset.ready = ''; /* drawn from the loaded state; the tests and the bench wait for it */
  requestAnimationFrame(() => setTimeout(() => (ctx.stats.loadMs = performance.now() - t0), 0));
  stream = openStream({ path: '/api/stream', after: seq, onEvent, onState });
}

async function boot() {
  $('#lang-slot').replaceWith(langButton());
  $('#conn-slot').replaceWith(banner.el);
  startPage();
  onLang(() => {
    if (!$('#console').hidden) {
      buildHall(ctx);
      redraw();
      drawPollForm(ctx);
      drawElectionForm(ctx);
    }
  });
  $('#logout').addEventListener('click', async () => {
    await logout().catch(() => {});
    showLogin();
  });
  $('#login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = e.currentTarget;
    const btn = f.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      await login({ name: f.name.value.trim(), password: f.password.value });
      f.password.value = '';
      await start(await whoami());
    } catch (err) {
      showError($('#login-error'), err);
    } finally {
      btn.disabled = false;
    }
  });
  try {
    const me = currentLogin() ? await whoami() : null;
    if (me) await start(me);
    else showLogin();
  } catch (e) {
    showLogin();
    showError($('#login-error'), e);
  }
}

window.yishiChair = ctx; /* for the browser tests and the benchmark: read-only use */
boot();
