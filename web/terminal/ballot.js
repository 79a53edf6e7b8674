// ballot.js — the vote in progress on the terminal: a poll's 赞成 / 反对 / 弃权 or an election's marks per
// candidate with write-ins, a confirmation step, the receipt, and the result once the chair announces it.
// An election ballot that would be void (more marks than seats) is refused here, before it is sent. A
// verifiable election's or poll's ballot is encrypted here, and cast or challenged (vballot.js).

import { post } from '/lib/api.js';
import { h, fill } from '/lib/dom.js';
import { addStrings, t } from '/lib/i18n.js';
import { errorBox, showError } from '/lib/ui.js';
import { keepReceipt, receiptCard, receiptFor } from './receipt.js';
import { resultView } from './results.js';
import { auditView, checkBoard, codeCard, isVerifiable, sealFor, voteOf } from './vballot.js';

addStrings({
  zh: {
    'vote.none': '当前没有进行中的表决。表决开始时将在此显示。',
    'vote.poll': '表决',
    'vote.election': '选举',
    'vote.preliminary': '预选',
    'vote.named': '记名表决',
    'vote.anonymous': '无记名表决',
    'vote.secret': '无记名投票',
    'vote.voted': '已投票 {n} 人',
    'vote.returned': '已投票 {n} 人 · 发出选票 {issued} 张',
    'choice.yes': '赞成',
    'choice.no': '反对',
    'choice.abstain': '弃权',
    'vote.keys': '也可按数字键 1 赞成、2 反对、3 弃权',
    'vote.your': '您的选择',
    'vote.confirm': '确认投票',
    'vote.change': '修改',
    'vote.sending': '正在提交…',
    'vote.closed': '表决已结束，等待主持人宣布结果。',
    'vote.closed.election': '投票已结束，等待宣布选举结果。',
    'vote.not_present': '您尚未在本次会议签到，签到后才能表决。',
    'vote.stale': '连接中断，表决状态暂时无法确认；恢复连接后再投票。',
    'ballot.seats': '应选 {seats} 名 · 您已选 {n} 名',
    'ballot.over': '所选人数多于应选人数：应选 {seats} 名，您选了 {n} 名（含另选他人）。按《选举法》第四十四条第二款，这样的选票作废。请减少赞成或另选他人，再继续。',
    'ballot.writein': '另选他人',
    'ballot.writein.add': '添加',
    'ballot.writein.remove': '删除 {name}',
    'ballot.writein.listed': '「{name}」已是候选人，请在其名下选“赞成”。',
    'ballot.writein.twice': '「{name}」已在另选名单中。',
    'ballot.next': '下一步：核对选票',
    'ballot.summary.yes': '赞成',
    'ballot.summary.no': '反对',
    'ballot.summary.abstain': '弃权',
    'ballot.summary.writein': '另选他人',
    'ballot.summary.none': '无',
    'ballot.candidate': '候选人',
  },
  en: {
    'vote.none': 'No vote is open. A vote will appear here as soon as it opens.',
    'vote.poll': 'Vote',
    'vote.election': 'Election',
    'vote.preliminary': 'Preliminary election',
    'vote.named': 'Named vote',
    'vote.anonymous': 'Anonymous vote',
    'vote.secret': 'Secret ballot',
    'vote.voted': '{n} have voted',
    'vote.returned': '{n} have voted · {issued} ballots issued',
    'choice.yes': 'Yes',
    'choice.no': 'No',
    'choice.abstain': 'Abstain',
    'vote.keys': 'Or press 1 for yes, 2 for no, 3 to abstain',
    'vote.your': 'Your choice',
    'vote.confirm': 'Confirm my vote',
    'vote.change': 'Change',
    'vote.sending': 'Sending…',
    'vote.closed': 'The vote is closed; the chair will announce the result.',
    'vote.closed.election': 'The ballot is closed; the result will be announced.',
    'vote.not_present': 'You are not checked in at this meeting; check in to vote.',
    'vote.stale': 'The connection is lost, so the vote’s state cannot be confirmed; vote once it is back.',
    'ballot.seats': '{seats} to elect · you have marked {n}',
    'ballot.over': 'More marks than seats: {seats} to elect, you marked {n} (write-ins included). Under Art. 44(2) of the Election Law such a ballot is void. Remove yes marks or write-ins to go on.',
    'ballot.writein': 'Write in a name',
    'ballot.writein.add': 'Add',
    'ballot.writein.remove': 'Remove {name}',
    'ballot.writein.listed': '“{name}” is on the list already; mark yes under their name.',
    'ballot.writein.twice': '“{name}” is written in already.',
    'ballot.next': 'Next: check the ballot',
    'ballot.summary.yes': 'Yes',
    'ballot.summary.no': 'No',
    'ballot.summary.abstain': 'Abstain',
    'ballot.summary.writein': 'Written in',
    'ballot.summary.none': 'none',
    'ballot.candidate': 'Candidate',
  },
});

const CHOICES = ['yes', 'no', 'abstain'];

// The panel: one vote at a time, the one most recently opened at the meeting. `actor` keys the receipts
// kept for this login.
export class VotePanel {
  constructor(root, { actor, voter }) {
    this.root = root;
    this.actor = actor;
    this.voter = voter; /* the delegate's code: a verifiable ballot's proofs are bound to it */
    this.vctx = null; /* { kind, id, vote }: a verifiable vote's context, built once per vote */
    this.vote = null; /* { kind: 'poll' | 'election', data } as read from the API */
    this.live = false;
    this.presence = null;
    this.err = errorBox();
    this.resetBallot();
  }

  resetBallot() {
    this.stage = 'choose'; /* choose → confirm → sending; a receipt ends it. Verifiable: choose → encrypting
                              → confirm (the code) → sending, or → audit → encrypting again */
    this.sealed = null;
    this.choice = null;
    this.marks = new Map();
    this.writeIns = [];
    this.final = null; /* a refusal that no retry can mend (already voted): shown instead of the ballot */
    this.receipt = null;
    this.result = null;
    showError(this.err, null);
  }

  // A vote as the API reads it. A new vote starts a new ballot and takes the focus, as a vote that opens
  // in the hall takes everyone's attention; the same vote read again keeps what the delegate has marked.
  setVote(kind, data) {
    const same = this.vote && this.vote.kind === kind && this.vote.data.id === data.id;
    const opened = data.state === 'open' && !(same && this.vote.data.state === 'open');
    if (!same) this.resetBallot();
    this.vote = { kind, data };
    this.receipt = receiptFor(this.actor, kind, data.id);
    if (data.state !== 'open' && this.stage !== 'sending') this.stage = 'choose';
    this.render();
    if (opened && !this.receipt) this.focusFirst();
  }

  // Turnout from the stream, written in place so that nothing the delegate is doing is redrawn.
  setTurnout(kind, id, voted) {
    if (!this.vote || this.vote.kind !== kind || this.vote.data.id !== id) return;
    const key = kind === 'poll' ? 'voted' : 'returned';
    this.vote.data[key] = Math.max(this.vote.data[key] || 0, voted);
    const el = this.root.querySelector('.turnout');
    if (el) el.textContent = this.turnoutText();
  }

  setResult(kind, id, result) {
    if (!this.vote || this.vote.kind !== kind || this.vote.data.id !== id) return;
    this.result = result;
    this.render();
  }

  setLive(live) {
    if (live === this.live) return;
    this.live = live;
    const idle = !document.activeElement || document.activeElement === document.body;
    this.render();
    if (live && idle && this.isOpen() && !this.receipt) this.focusFirst(); /* a vote already open when the page came up */
  }

  setPresence(p) {
    if (p === this.presence) return;
    this.presence = p;
    this.render();
  }

  isOpen() {
    return !!this.vote && this.vote.data.state === 'open';
  }

  focusFirst() {
    const b = this.root.querySelector('[data-focus-first]');
    if (b) {
      b.focus();
      this.root.scrollIntoView?.({ block: 'start', behavior: 'instant' });
    }
  }

  // Number keys 1, 2, 3 choose on a poll; Escape goes back from the confirmation. Keys typed into a field
  // are the field's.
  handleKey(e) {
    if (!this.isOpen() || !this.live || this.receipt || this.final || e.ctrlKey || e.altKey || e.metaKey) return;
    if (e.target.closest?.('input, textarea, select')) return;
    if (this.vote.kind === 'poll' && this.stage === 'choose' && ['1', '2', '3'].includes(e.key)) {
      e.preventDefault();
      this.choose(CHOICES[Number(e.key) - 1]);
    } else if (this.stage === 'confirm' && e.key === 'Escape') {
      e.preventDefault();
      this.back();
    }
  }

  // A verifiable poll's choice is encrypted at once: its confirmation shows the code beside it.
  choose(choice) {
    this.choice = choice;
    if (isVerifiable(this.vote.data)) return this.encrypt();
    this.stage = 'confirm';
    showError(this.err, null);
    this.render();
    this.root.querySelector('.confirm')?.focus();
  }

  back() {
    this.stage = 'choose';
    this.render();
    this.focusFirst();
  }

  turnoutText() {
    const d = this.vote.data;
    if (this.vote.kind === 'poll') return t('vote.voted', { n: d.voted ?? 0 });
    return t('vote.returned', { n: d.returned ?? 0, issued: d.issued ?? 0 });
  }

  render() {
    const v = this.vote;
    this.root.classList.toggle('active', this.isOpen());
    if (!v) {
      fill(this.root, h('p', { class: 'muted idle' }, t('vote.none')));
      return;
    }
    const d = v.data;
    const kindKey = v.kind === 'poll' ? 'vote.poll' : d.kind === 'preliminary' ? 'vote.preliminary' : 'vote.election';
    const tag = [v.kind === 'poll' ? t(d.named ? 'vote.named' : 'vote.anonymous') : t('vote.secret'),
      isVerifiable(d) ? ` · ${t('vb.tag')}` : ''].join('');
    const title = v.kind === 'poll' ? d.title : electionTitle(d);
    fill(this.root,
      h('p', { class: 'kicker' }, h('span', { class: 'kind' }, t(kindKey)), ' · ', tag,
        d.state === 'open' ? [' · ', h('span', { class: 'turnout num' }, this.turnoutText())] : null),
      h('h2', { id: 'vote-title', tabindex: '-1' }, title),
      this.err,
      this.body());
  }

  body() {
    const d = this.vote.data;
    const election = this.vote.kind === 'election';
    if (this.receipt) {
      const card = [receiptCard(this.receipt, { election }), this.boardCheck()];
      return d.state === 'open' ? card : [this.after(), card];
    }
    if (d.state !== 'open') return this.after();
    if (!this.live) return h('p', { class: 'notice stale-vote' }, t('vote.stale'));
    if (this.final) return null;
    const notPresent = this.presence && this.presence !== 'present'
      ? h('p', { class: 'notice' }, t('vote.not_present')) : null;
    if (this.stage === 'choose') return [notPresent, election ? this.electionBallot() : this.pollChoices()];
    if (this.stage === 'encrypting') return h('p', { class: 'notice encrypting', role: 'status' }, t('vb.encrypting'));
    if (this.stage === 'audit') return this.auditStep();
    return this.confirmStep();
  }

  // What follows a closed vote: the wait for the announcement, then the result.
  after() {
    if (this.result) return resultView(this.vote.kind, this.result);
    const election = this.vote.kind === 'election';
    return h('p', { class: 'notice' }, t(election ? 'vote.closed.election' : 'vote.closed'));
  }

  pollChoices() {
    const buttons = CHOICES.map((c, i) =>
      h('button', { type: 'button', class: ['choice', `choice-${c}`], 'data-choice': c, 'data-focus-first': i === 0 ? '' : null,
        'aria-keyshortcuts': String(i + 1), onclick: () => this.choose(c) },
        h('span', { class: 'label' }, t(`choice.${c}`)), h('span', { class: 'key', 'aria-hidden': 'true' }, String(i + 1))));
    return [h('div', { class: 'choices', role: 'group', 'aria-labelledby': 'vote-title' }, buttons), h('p', { class: 'muted small keys' }, t('vote.keys'))];
  }

  // What the delegate chose, as the confirmation shows it.
  chosen() {
    return this.vote.kind === 'poll'
      ? h('p', { class: ['chosen', `choice-${this.choice}`] }, t(`choice.${this.choice}`))
      : this.ballotSummary();
  }

  confirmStep() {
    if (this.sealed) return this.sealedStep();
    const sending = this.stage === 'sending';
    return h('div', { class: 'confirm-step' },
      h('p', { class: 'your' }, t('vote.your')),
      this.chosen(),
      h('div', { class: 'row actions' },
        h('button', { type: 'button', class: 'primary big confirm', disabled: sending, onclick: () => this.send() },
          t(sending ? 'vote.sending' : 'vote.confirm')),
        h('button', { type: 'button', class: 'big change', disabled: sending, onclick: () => this.back() }, t('vote.change'))));
  }

  async send() {
    if (this.stage !== 'confirm') return;
    const { kind, data } = this.vote;
    this.stage = 'sending';
    this.render();
    try {
      const path = kind === 'poll' ? `/api/polls/${data.id}/votes` : `/api/elections/${data.id}/ballots`;
      const body = this.sealed ? { encrypted: this.sealed.ballot } : kind === 'poll' ? { choice: this.choice } : this.ballotBody();
      const r = await post(path, body);
      const receipt = { seq: r.seq, hash: r.hash, time: new Date().toISOString(),
        ...(this.sealed ? { code: this.sealed.code, display: this.sealed.display } : {}) };
      keepReceipt(this.actor, kind, data.id, receipt);
      this.receipt = receipt;
      this.choice = null;
      this.marks = new Map(); /* the marks are forgotten once they are in the box */
      this.writeIns = [];
      this.sealed = null;
      this.render();
      this.root.querySelector('.receipt .check')?.focus();
    } catch (e) {
      this.stage = 'choose';
      /* Already voted, or the vote closed: no retry can help, so the ballot is not offered again. */
      if (e.code === 'conflict' || (e.code === 'wrong_state' && e.field === kind)) this.final = e;
      this.render();
      showError(this.err, e);
      this.err.tabIndex = -1;
      if (this.final) this.err.focus();
      else this.focusFirst();
    }
  }

  // --- elections ---

  ballotBody() {
    const yes = [];
    const no = [];
    for (const [name, m] of this.marks) {
      if (m === 'yes') yes.push(name);
      else if (m === 'no') no.push(name);
    }
    return { yes, no, write_in: [...this.writeIns] };
  }

  marked() {
    return this.ballotBody().yes.length + this.writeIns.length;
  }

  electionBallot() {
    const d = this.vote.data;
    const count = h('p', { class: 'seats num', 'aria-live': 'polite' });
    const over = h('p', { class: 'error over', role: 'alert', hidden: true });
    const update = () => {
      const n = this.marked();
      count.textContent = t('ballot.seats', { seats: d.seats, n });
      count.classList.toggle('too-many', n > d.seats);
      over.hidden = n <= d.seats;
      over.textContent = n > d.seats ? t('ballot.over', { seats: d.seats, n }) : '';
    };
    const rows = (d.candidates || []).map((c, i) => this.candidateRow(c.name, i, update));
    const next = h('button', { type: 'button', class: 'primary big next', onclick: () => this.toConfirm(over) }, t('ballot.next'));
    update();
    return h('div', { class: 'ballot' },
      count,
      h('div', { class: 'candidates' }, rows),
      d.kind === 'preliminary' ? null : this.writeInBox(update),
      over,
      h('div', { class: 'row actions' }, next));
  }

  candidateRow(name, i, update) {
    const group = `cand-${i}`;
    const mark = this.marks.get(name) || 'abstain';
    const options = CHOICES.map((c) => {
      const input = h('input', { type: 'radio', name: group, value: c, checked: mark === c,
        'data-focus-first': i === 0 && c === mark ? '' : null });
      input.addEventListener('change', () => {
        if (c === 'abstain') this.marks.delete(name);
        else this.marks.set(name, c);
        update();
      });
      return h('label', { class: ['mark', `mark-${c}`] }, input, h('span', t(`choice.${c}`)));
    });
    return h('fieldset', { class: 'candidate', 'data-name': name }, h('legend', name), h('div', { class: 'marks' }, options));
  }

  writeInBox(update) {
    const input = h('input', { id: 'writein', class: 'writein-name', maxlength: 64, autocomplete: 'off' });
    const msg = h('p', { class: 'error', role: 'alert', hidden: true });
    const list = h('ul', { class: 'writeins' });
    const drawList = () => {
      fill(list, this.writeIns.map((name) =>
        h('li', null, h('span', { class: 'name' }, name),
          h('button', { type: 'button', class: 'remove', 'aria-label': t('ballot.writein.remove', { name }),
            onclick: () => {
              this.writeIns = this.writeIns.filter((n) => n !== name);
              drawList();
              update();
              input.focus();
            } }, '×'))));
    };
    const add = () => {
      const name = input.value.trim();
      msg.hidden = true;
      if (!name) return;
      const listed = (this.vote.data.candidates || []).some((c) => c.name === name);
      const why = listed ? 'ballot.writein.listed' : this.writeIns.includes(name) ? 'ballot.writein.twice' : null;
      if (why) {
        msg.textContent = t(why, { name });
        msg.hidden = false;
        return;
      }
      this.writeIns.push(name);
      input.value = '';
      drawList();
      update();
    };
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        add();
      }
    });
    drawList();
    return h('div', { class: 'writein' },
      h('label', { for: 'writein' }, h('span', t('ballot.writein'))),
      h('div', { class: 'row' }, input, h('button', { type: 'button', class: 'add', onclick: add }, t('ballot.writein.add'))),
      msg, list);
  }

  // The check the statute makes when counting (more marks than seats voids the ballot), made before the
  // ballot leaves the terminal, so that a delegate's vote is never lost to a slip.
  toConfirm(over) {
    const n = this.marked();
    if (n > this.vote.data.seats) {
      over.hidden = false;
      over.tabIndex = -1;
      over.focus();
      return;
    }
    if (isVerifiable(this.vote.data)) return this.encrypt();
    this.stage = 'confirm';
    showError(this.err, null);
    this.render();
    this.root.querySelector('.confirm')?.focus();
  }

  // --- verifiable elections and polls: encrypt here, then cast or challenge ---

  async encrypt() {
    const { kind, data: d } = this.vote;
    this.stage = 'encrypting';
    this.sealed = null;
    showError(this.err, null);
    this.render();
    try {
      if (this.vctx?.kind !== kind || this.vctx.id !== d.id) this.vctx = { kind, id: d.id, vote: await voteOf(kind, d) };
      /* a poll's one mark is under its question, the one name of its context */
      const marks = kind === 'poll' ? new Map([[d.title, this.choice]]) : this.marks;
      this.sealed = await sealFor(this.vctx.vote, this.voter, marks, kind === 'poll' ? [] : this.writeIns);
      this.stage = 'confirm';
      this.render();
      this.root.querySelector('.confirm')?.focus();
    } catch (e) {
      this.stage = 'choose';
      this.render();
      showError(this.err, e);
    }
  }

  sealedStep() {
    const sending = this.stage === 'sending';
    return h('div', { class: 'confirm-step sealed' },
      h('p', { class: 'your' }, t('vote.your')),
      this.chosen(),
      codeCard(this.sealed),
      h('div', { class: 'row actions' },
        h('button', { type: 'button', class: 'primary big confirm cast', disabled: sending, onclick: () => this.send() },
          t(sending ? 'vote.sending' : 'vb.cast')),
        h('button', { type: 'button', class: 'big challenge', disabled: sending, onclick: () => this.challenge() }, t('vb.challenge')),
        h('button', { type: 'button', class: 'big change', disabled: sending, onclick: () => { this.sealed = null; this.back(); } }, t('vote.change'))));
  }

  // Benaloh's challenge: this ballot is never sent; its audit is shown, then the choice is encrypted anew.
  challenge() {
    if (this.stage !== 'confirm' || !this.sealed) return;
    this.audited = this.sealed;
    this.sealed = null;
    this.stage = 'audit';
    this.render();
    this.root.querySelector('.again')?.focus();
  }

  auditStep() {
    return h('div', { class: 'audit-step' },
      auditView(this.audited, this.vote.kind, this.vote.data.id),
      h('div', { class: 'row actions' },
        h('button', { type: 'button', class: 'primary big again', onclick: () => { this.audited = null; this.encrypt(); } }, t('vb.again')),
        h('button', { type: 'button', class: 'big change', onclick: () => { this.audited = null; this.back(); } }, t('vote.change'))));
  }

  // A cast verifiable ballot's code, looked for on the board when the receipt is shown.
  boardCheck() {
    if (!this.receipt?.code) return null;
    const out = h('p', { class: 'board-check', role: 'status', 'aria-live': 'polite' });
    checkBoard(this.vote.kind, this.vote.data.id, this.receipt, out);
    return h('div', { class: 'vreceipt' }, h('p', { class: 'kicker' }, t('vb.code')), h('p', { class: 'code num' }, this.receipt.display), out);
  }

  ballotSummary() {
    const b = this.ballotBody();
    const abstain = (this.vote.data.candidates || []).map((c) => c.name).filter((n) => !this.marks.has(n));
    const line = (key, names, cls) =>
      h('div', { class: ['sum', cls] }, h('dt', t(key)), h('dd', names.length ? names.join('、') : t('ballot.summary.none')));
    return h('dl', { class: 'ballot-summary' },
      line('ballot.summary.yes', b.yes, 'choice-yes'),
      line('ballot.summary.no', b.no, 'choice-no'),
      line('ballot.summary.abstain', abstain, 'choice-abstain'),
      this.vote.data.kind === 'preliminary' ? null : line('ballot.summary.writein', b.write_in, 'writein'));
  }
}

// An election's heading: the office as the rule set in force names it (省长), and the seats.
export function electionTitle(d) {
  return `${d.office_name || d.office}（${t('ballot.seats.short', { seats: d.seats })}）`;
}

addStrings({
  zh: { 'ballot.seats.short': '应选{seats}名' },
  en: { 'ballot.seats.short': '{seats} to elect' },
});
