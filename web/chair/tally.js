// tally.js — the console's live counts, kept up to date one event at a time: each delegate's presence at
// the meeting, and who has voted in the vote under way. Every change is O(1), so 3,000 votes arriving in a
// few seconds cost 3,000 small updates and never a recount. No DOM here: the panels read these.

const PRESENCES = new Set(['present', 'on_leave', 'absent']);
const EVENT_PRESENCE = { 'attendance.checkin': 'present', 'attendance.leave': 'on_leave', 'attendance.absent': 'absent' };

// The meeting's attendance: entitled and quorum as the core counted them at the snapshot, then each
// check-in, leave and absence applied to the delegate it names. A delegate not in the snapshot's list
// (not entitled) never counts.
export class Attendance {
  constructor() {
    this.meeting = null;
    this.presence = new Map(); /* delegate id → 'present' | 'on_leave' | 'absent' */
    this.entitled = 0;
    this.present = 0;
    this.onLeave = 0;
    this.quorum = null;
    this.open = false;
    this.listeners = new Set();
  }

  // summary: the API's attendance object; rows: [{ id, presence }] for each entitled delegate.
  load(meeting, open, summary, rows) {
    this.meeting = meeting;
    this.open = open;
    this.presence.clear();
    for (const r of rows) if (PRESENCES.has(r.presence)) this.presence.set(r.id, r.presence);
    this.entitled = summary.entitled;
    this.quorum = summary.quorum ?? null;
    this.recount();
  }

  recount() {
    let present = 0;
    let onLeave = 0;
    for (const p of this.presence.values()) {
      if (p === 'present') present++;
      else if (p === 'on_leave') onLeave++;
    }
    this.present = present;
    this.onLeave = onLeave;
  }

  clear() {
    this.load(null, false, { entitled: 0, quorum: null }, []);
  }

  get absent() {
    return this.entitled - this.present;
  }

  // The rule set's quorum is the least number present (ys_threshold_min), so meeting it is reaching it.
  get quorate() {
    return this.open && this.quorum !== null && this.present >= this.quorum;
  }

  is(id, presence) {
    return this.presence.get(id) === presence;
  }

  // Applies one attendance event; returns the delegate's presence before, or null when nothing changed.
  apply(type, payload) {
    const to = EVENT_PRESENCE[type];
    if (!to || payload.meeting !== this.meeting || !this.presence.has(payload.delegate)) return null;
    const from = this.presence.get(payload.delegate);
    if (from === to) return null;
    this.presence.set(payload.delegate, to);
    if (from === 'present') this.present--;
    if (from === 'on_leave') this.onLeave--;
    if (to === 'present') this.present++;
    if (to === 'on_leave') this.onLeave++;
    for (const f of this.listeners) f(payload.delegate, from, to);
    return from;
  }

  // f(delegateId, from, to) after each change of one delegate's presence.
  onChange(f) {
    this.listeners.add(f);
  }
}

// Who has voted in one poll or election while it is open. Present for a poll is as the core counts it:
// checked in now, or checked in when they voted (a voter who leaves the hall still counts as present).
export class Turnout {
  constructor(kind, id, attendance) {
    this.kind = kind; /* 'poll' | 'election' */
    this.id = id;
    this.att = attendance;
    this.voters = new Set();
    this.away = 0; /* voters not present now */
    this.issued = null; /* an election: the ballots issued at the opening */
  }

  // Adds a voter; false when they were counted already (the snapshot and the stream overlap).
  add(delegate) {
    if (this.voters.has(delegate)) return false;
    this.voters.add(delegate);
    if (!this.att.is(delegate, 'present')) this.away++;
    return true;
  }

  has(delegate) {
    return this.voters.has(delegate);
  }

  // A voter's presence changed: keeps `away` true without a recount.
  moved(delegate, from, to) {
    if (!this.voters.has(delegate)) return;
    if (from === 'present' && to !== 'present') this.away++;
    else if (from !== 'present' && to === 'present') this.away--;
  }

  get voted() {
    return this.voters.size;
  }

  // Those who could vote: the ballots issued for an election, those present (or voted) for a poll.
  get present() {
    return this.issued !== null ? this.issued : this.att.present + this.away;
  }

  get notVoted() {
    return Math.max(0, this.present - this.voted);
  }
}
