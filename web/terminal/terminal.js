// terminal.js — the delegate's terminal (/terminal): login with the card, check-in, the vote in progress,
// the speakers list, results and documents, all kept live from the login's stream. What is shown comes
// from a snapshot read at a seq and the events after it, so nothing is missed between the two.

import { currentLogin, get, logout, post, whoami } from '/lib/api.js';
import { h, fill, $ } from '/lib/dom.js';
import { addStrings, onLang, t } from '/lib/i18n.js';
import { openStream } from '/lib/stream.js';
import { connBanner, debounce, errorBox, fmtNumber, langButton, showError, startPage } from '/lib/ui.js';
import { VotePanel, electionTitle } from './ballot.js';
import { Docs } from './docs.js';
import { loginView } from './login.js';
import { forgetReceipts } from './receipt.js';
import { resultView } from './results.js';
import { Speakers } from './speakers.js';
import { Motions } from './motions.js';

addStrings({
  zh: {
    'term.title': '代表终端',
    'term.who': '{name} · {delegation}代表团 · 座位 {seat}',
    'term.pin_set': '密码已设置，请牢记。下次登录请使用此密码。',
    'term.not_delegate': '此终端供代表使用，请用代表登录卡登录。',
    'meeting.none': '当前没有进行中的会议',
    'meeting.present': '已签到',
    'meeting.on_leave': '已请假',
    'meeting.absent': '未签到',
    'meeting.checkin': '签到',
    'meeting.checking': '正在签到…',
    'meeting.counts': '应出席 {entitled} 人 · 出席 {present} 人',
    'meeting.not_entitled': '您不在本次会议的应出席名单中',
    'meeting.item': '现在进行第{order}项议程：{title}',
    'results.title': '表决结果',
    'results.none': '本次会议尚无宣布的结果',
    'live.poll_open': '表决开始：{title}',
    'live.poll_closed': '表决结束：{title}',
    'live.announced': '结果已宣布：{title}',
  },
  en: {
    'term.title': 'Delegate terminal',
    'term.who': '{name} · {delegation} delegation · seat {seat}',
    'term.pin_set': 'Your PIN is set; remember it for your next login.',
    'term.not_delegate': 'This terminal is for delegates: log in with a delegate’s card.',
    'meeting.none': 'No meeting is open',
    'meeting.present': 'Checked in',
    'meeting.on_leave': 'On leave',
    'meeting.absent': 'Not checked in',
    'meeting.checkin': 'Check in',
    'meeting.checking': 'Checking in…',
    'meeting.counts': 'Entitled {entitled} · present {present}',
    'meeting.not_entitled': 'You are not among those entitled to attend this meeting',
    'meeting.item': 'Now: agenda item {order}, {title}',
    'results.title': 'Results',
    'results.none': 'No result has been announced at this meeting yet',
    'live.poll_open': 'Vote open: {title}',
    'live.poll_closed': 'Vote closed: {title}',
    'live.announced': 'Result announced: {title}',
  },
});

const els = {};
let app = null;

function boot() {
  els.header = $('#header-actions');
  els.who = $('#who');
  els.main = $('#main');
  els.login = $('#login');
  els.app = $('#app');
  els.conn = $('#conn');
  els.say = $('#say');
  els.logout = h('button', { type: 'button', class: 'logout', hidden: true, onclick: () => app?.logout() });
  els.header.append(langButton(), els.logout);
  startPage(); /* translates the frame, the language button with it */
  const drawLogout = () => (els.logout.textContent = t('action.logout'));
  drawLogout();
  onLang(drawLogout);
  document.addEventListener('keydown', (e) => app?.key(e));
  start();
}

async function start(notice = null) {
  const me = currentLogin() ? await whoami().catch(() => null) : null;
  if (me) return enter(me, null);
  showLogin(notice);
}

function showLogin(notice) {
  els.app.hidden = true;
  els.login.hidden = false;
  els.logout.hidden = true;
  fill(els.who);
  const stop = loginView(els.login, {
    notice,
    onLogin: async (answer) => {
      stop();
      const me = await whoami();
      enter(me, answer.pin_set ? t('term.pin_set') : null);
    },
  });
}

function enter(me, flash) {
  fill(els.login);
  els.login.hidden = true;
  els.app.hidden = false;
  els.logout.hidden = false;
  app = new Terminal(me, flash);
}

// Speaks a change to screen readers without moving the focus.
function say(text) {
  els.say.textContent = '';
  setTimeout(() => (els.say.textContent = text), 50);
}

class Terminal {
  constructor(me, flash) {
    this.me = me;
    this.delegate = me.delegate || null;
    this.meeting = null;
    this.presence = null;
    this.stream = null;
    this.down = false;
    this.err = errorBox();
    const flashEl = $('#flash');
    flashEl.hidden = !flash;
    flashEl.textContent = flash || '';
    if (!this.delegate) {
      fill($('#vote'), h('p', { class: 'notice' }, t('term.not_delegate')));
      return;
    }
    this.banner = connBanner($('#app .cols')); /* the vote says for itself that it cannot be confirmed */
    fill(els.conn, this.banner.el);
    this.vote = new VotePanel($('#vote'), { actor: me.actor, voter: this.delegate.code });
    this.speakers = new Speakers($('#speakers'), { me: this.delegate });
    this.motions = new Motions($('#motions'), { me: this.delegate });
    this.docs = new Docs($('#docs'));
    this.refreshStatus = debounce(() => this.loadStatus().catch(() => {}), 400);
    this.refreshSpeakers = debounce(() => this.speakers.load(this.meeting).catch(() => {}), 150);
    this.refreshMotions = debounce(() => this.motions.load().catch(() => {}), 300);
    this.refreshDocs = debounce(() => this.docs.load().catch(() => {}), 300);
    this.stopLang = onLang(() => this.redraw());
    this.drawWho();
    this.vote.render();
    this.load();
  }

  drawWho() {
    const d = this.delegate;
    fill(els.who, t('term.who', { name: d.name, delegation: d.delegation_name, seat: d.seat || '—' }));
  }

  redraw() {
    this.drawWho();
    this.vote.render();
    this.speakers.redraw();
    this.motions.redraw();
    this.docs.render();
    this.drawMeeting();
    this.drawResults();
  }

  // The snapshot: read the log's seq first, then everything, then the stream from that seq, so that an
  // event committed while the snapshot was read is applied again rather than missed.
  async load() {
    try {
      const session = await get('/api/session');
      await Promise.all([this.loadMeeting(), this.docs.load(), this.motions.load()]);
      showError(this.err, null);
      if (!this.stream) this.openStream(session.seq);
    } catch (e) {
      showError(this.err, e);
      fill($('#meeting'), this.err);
      setTimeout(() => this.load(), 3000);
    }
  }

  openStream(after) {
    this.stream = openStream({
      path: '/api/stream',
      after,
      onEvent: (ev) => this.onEvent(ev),
      onState: (s) => this.onState(s),
    });
  }

  onState(s) {
    this.banner.set(s);
    if (s === 'denied') return this.ended();
    const live = s === 'live';
    this.vote.setLive(live);
    if (s === 'reconnecting') this.down = true;
    else if (live && this.down) {
      this.down = false;
      this.loadMeeting().catch(() => {}); /* belt and braces after a gap: the stream has resumed too */
    }
  }

  async loadMeeting() {
    const [status, polls, elections] = await Promise.all([get('/api/status'), get('/api/polls'), get('/api/elections')]);
    this.meeting = status.meeting && status.meeting.open ? status.meeting : null;
    this.polls = polls.polls || [];
    this.elections = elections.elections || [];
    await Promise.all([this.loadPresence(), this.speakers.load(this.meeting)]);
    const open = this.polls.find((p) => p.state === 'open');
    const openEl = this.elections.find((e) => e.state === 'open');
    if (open) this.vote.setVote('poll', open);
    else if (openEl) this.vote.setVote('election', openEl);
    else if (this.vote.isOpen()) this.vote.setVote(this.vote.vote.kind, await this.fetchVote(this.vote.vote.kind, this.vote.vote.data.id));
    this.drawMeeting();
    this.drawResults();
  }

  async loadStatus() {
    const status = await get('/api/status');
    if (status.meeting && this.meeting && status.meeting.id === this.meeting.id) this.meeting = status.meeting;
    this.drawMeeting();
  }

  async loadPresence() {
    this.presence = null;
    if (this.meeting) {
      const att = await get(`/api/meetings/${this.meeting.id}/attendance`);
      const row = (att.delegates || []).find((d) => d.code === this.delegate.code);
      this.presence = row ? row.presence : 'not_entitled';
    }
    this.vote.setPresence(this.presence);
  }

  // Drawn again at each change; the check-in button keeps the focus if it had it.
  drawMeeting() {
    const root = $('#meeting');
    const hadFocus = root.contains(document.activeElement) && document.activeElement.classList.contains('checkin');
    this.paintMeeting(root);
    if (hadFocus) ($('#meeting .checkin') || $('#meeting h2'))?.focus();
  }

  paintMeeting(root) {
    const m = this.meeting;
    if (!m) {
      this.docs.setCurrent(null);
      fill(root, this.err, h('p', { class: 'muted' }, t('meeting.none')));
      return;
    }
    const p = this.presence;
    const state = p === 'present' || p === 'on_leave' || p === 'absent' ? t(`meeting.${p}`) : p === 'not_entitled' ? t('meeting.not_entitled') : '';
    const a = m.attendance || {};
    const button = p === 'absent' || p === 'on_leave'
      ? h('button', { type: 'button', class: 'primary big checkin', disabled: this.checkingIn, onclick: () => this.checkin() },
        t(this.checkingIn ? 'meeting.checking' : 'meeting.checkin'))
      : null;
    const item = m.item ? this.docs.agenda.find((i) => i.id === m.item) : null;
    this.docs.setCurrent(m.item || null);
    fill(root,
      h('p', { class: 'kicker' }, m.kind_zh),
      h('h2', { tabindex: '-1' }, m.title),
      item ? h('p', { class: 'current-item' }, t('meeting.item', { order: item.order, title: item.title })) : null,
      this.err,
      h('p', { class: ['presence', p], 'data-presence': p }, p === 'present' ? '✓ ' : '', state),
      button,
      h('p', { class: 'muted small num' }, t('meeting.counts', { entitled: fmtNumber(a.entitled), present: fmtNumber(a.present) })));
  }

  async checkin() {
    if (this.checkingIn) return;
    this.checkingIn = true;
    this.drawMeeting();
    try {
      await post(`/api/meetings/${this.meeting.id}/checkin`, {});
      showError(this.err, null);
      this.presence = 'present';
      this.vote.setPresence('present');
    } catch (e) {
      showError(this.err, e);
    }
    this.checkingIn = false;
    this.drawMeeting();
    ($('#meeting .checkin') || $('#meeting h2'))?.focus();
  }

  // The results announced at this meeting, newest first, the newest unfolded.
  drawResults() {
    const root = $('#results');
    const m = this.meeting;
    const polls = (this.polls || []).filter((p) => p.announced && (!m || p.meeting === m.id)).map((p) => ({ kind: 'poll', d: p, title: p.title }));
    const els2 = (this.elections || []).filter((e) => e.announcement && (!m || e.meeting === m.id)).map((e) => ({ kind: 'election', d: e, title: electionTitle(e) }));
    const all = [...polls, ...els2].sort((a, b) => (b.d.closed_at || '').localeCompare(a.d.closed_at || '') || b.d.id - a.d.id);
    fill(root,
      h('h2', t('results.title')),
      all.length
        ? all.map((r, i) => h('details', { class: 'past', open: i === 0 }, h('summary', r.title), resultView(r.kind, r.d)))
        : h('p', { class: 'muted' }, t('results.none')));
  }

  async fetchVote(kind, id) {
    return get(kind === 'poll' ? `/api/polls/${id}` : `/api/elections/${id}`);
  }

  // Keeps this page's lists of polls and elections current with one read back.
  remember(kind, d) {
    const list = kind === 'poll' ? (this.polls ||= []) : (this.elections ||= []);
    const at = list.findIndex((x) => x.id === d.id);
    if (at < 0) list.push(d);
    else list[at] = d;
  }

  async onVoteEvent(kind, id, what) {
    const d = await this.fetchVote(kind, id);
    this.remember(kind, d);
    const title = kind === 'poll' ? d.title : electionTitle(d);
    if (what === 'open' || this.vote.vote?.data.id === id || !this.vote.isOpen()) {
      if (what === 'open' || (this.vote.vote?.kind === kind && this.vote.vote.data.id === id)) this.vote.setVote(kind, d);
    }
    if (what === 'announce') {
      this.vote.setResult(kind, id, d);
      this.drawResults();
    }
    say(t(what === 'open' ? 'live.poll_open' : what === 'close' ? 'live.poll_closed' : 'live.announced', { title }));
  }

  onEvent(ev) {
    const p = ev.payload;
    const [noun, verb] = ev.type.split('.');
    if ((noun === 'poll' || noun === 'election') && ['open', 'close', 'announce'].includes(verb)) {
      this.onVoteEvent(noun, p[noun], verb).catch(() => {});
    } else if (ev.type === 'poll.turnout' || ev.type === 'election.turnout') {
      this.vote.setTurnout(noun, p[noun], p.voted);
    } else if (ev.type === 'meeting.item') {
      if (this.meeting && p.meeting === this.meeting.id) {
        this.meeting.item = p.item;
        this.drawMeeting();
      }
    } else if (noun === 'meeting') {
      this.loadMeeting().catch(() => {});
    } else if (noun === 'attendance') {
      if (this.meeting && p.meeting === this.meeting.id && p.delegate === this.delegate.id) {
        this.presence = verb === 'checkin' ? 'present' : verb === 'leave' ? 'on_leave' : 'absent';
        this.vote.setPresence(this.presence);
        this.drawMeeting();
      }
      this.refreshStatus();
    } else if (noun === 'speech') {
      this.refreshSpeakers();
    } else if (noun === 'motion') {
      this.refreshMotions();
    } else if (noun === 'document' || noun === 'item') {
      this.refreshDocs();
    }
  }

  key(e) {
    this.vote?.handleKey(e);
  }

  close() {
    this.stream?.close();
    this.stopLang?.();
  }

  async logout() {
    this.close();
    await logout().catch(() => {});
    forgetReceipts();
    app = null;
    showLogin(null);
  }

  // The login ended elsewhere (expired, logged out, the card replaced): back to the login.
  ended() {
    this.close();
    app = null;
    showLogin(t('login.expired'));
  }
}

boot();
