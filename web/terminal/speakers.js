// speakers.js — asking for the floor from the terminal: the request with its topic, one's place among those
// waiting (kept live from the stream), and withdrawing a request that is still waiting.

import { get, post } from '/lib/api.js';
import { h, fill } from '/lib/dom.js';
import { addStrings, t } from '/lib/i18n.js';
import { errorBox, showError } from '/lib/ui.js';

addStrings({
  zh: {
    'speak.title': '申请发言',
    'speak.topic': '发言题目（可不填）',
    'speak.ask': '申请发言',
    'speak.withdraw': '撤回申请',
    'speak.place': '您排在第 {n} 位',
    'speak.of': '共 {n} 人等候发言',
    'speak.speaking': '您正在发言',
    'speak.now': '正在发言：{name}（{delegation}）',
    'speak.waiting': '等候发言',
    'speak.empty': '暂无代表等候发言',
    'speak.no_meeting': '当前没有进行中的会议',
    'speak.you': '（您）',
    'speak.spoke': '您已发言',
  },
  en: {
    'speak.title': 'Ask for the floor',
    'speak.topic': 'Topic (optional)',
    'speak.ask': 'Ask for the floor',
    'speak.withdraw': 'Withdraw my request',
    'speak.place': 'You are number {n} in the queue',
    'speak.of': '{n} waiting to speak',
    'speak.speaking': 'You have the floor',
    'speak.now': 'Speaking: {name} ({delegation})',
    'speak.waiting': 'Waiting to speak',
    'speak.empty': 'Nobody is waiting to speak',
    'speak.no_meeting': 'No meeting is open',
    'speak.you': ' (you)',
    'speak.spoke': 'You have spoken',
  },
});

export class Speakers {
  constructor(root, { me }) {
    this.root = root;
    this.me = me; /* the delegate record from GET /api/me */
    this.meeting = null;
    this.list = [];
    this.busy = false;
    this.err = errorBox();
    this.topic = h('input', { id: 'topic', maxlength: 200, autocomplete: 'off' });
  }

  async load(meeting) {
    this.meeting = meeting;
    this.list = meeting ? (await get(`/api/meetings/${meeting.id}/speakers`)).speakers || [] : [];
    this.render();
  }

  mine() {
    const rows = this.list.filter((s) => s.code === this.me.code);
    return rows.find((s) => s.state === 'waiting' || s.state === 'speaking') || rows[rows.length - 1] || null;
  }

  // Redrawn at every change of the list; the request form is redrawn only when what it offers changes, so
  // that a topic being typed keeps its focus while others join the queue.
  render() {
    if (!this.meeting) {
      this.parts = null;
      this.offer = null;
      fill(this.root, h('h2', t('speak.title')), h('p', { class: 'muted' }, t('speak.no_meeting')));
      return;
    }
    if (!this.parts) {
      this.parts = { status: h('div', { class: 'status' }), action: h('div', { class: 'action' }), queue: h('div', { class: 'queue-box' }) };
      fill(this.root, h('h2', t('speak.title')), this.err, this.parts.status, this.parts.action, this.parts.queue);
    }
    const waiting = this.list.filter((s) => s.state === 'waiting');
    const speaking = this.list.find((s) => s.state === 'speaking');
    const mine = this.mine();
    const place = mine && mine.state === 'waiting' ? waiting.indexOf(mine) + 1 : 0;
    fill(this.parts.status,
      mine?.state === 'speaking' ? h('p', { class: 'place speaking' }, t('speak.speaking')) : null,
      place ? h('p', { class: 'place' }, t('speak.place', { n: place })) : null,
      speaking && speaking !== mine ? h('p', { class: 'now' }, t('speak.now', { name: speaking.name, delegation: speaking.delegation })) : null);
    const offer = `${mine?.state === 'waiting' ? 'withdraw' : mine?.state === 'speaking' ? 'none' : 'ask'}:${this.busy}`;
    if (offer !== this.offer) {
      this.offer = offer;
      fill(this.parts.action, offer.startsWith('withdraw')
        ? h('button', { type: 'button', class: 'big withdraw', disabled: this.busy, onclick: () => this.withdraw() }, t('speak.withdraw'))
        : offer.startsWith('ask') ? this.askForm() : null);
    }
    fill(this.parts.queue,
      h('h3', t('speak.waiting'), ' ', h('span', { class: 'muted small' }, t('speak.of', { n: waiting.length }))),
      waiting.length
        ? h('ol', { class: 'queue' }, waiting.map((s) =>
          h('li', { class: s === mine ? 'me' : null }, s.name, ' ', h('span', { class: 'muted small' }, s.delegation), s === mine ? t('speak.you') : null,
            s.topic ? h('span', { class: 'topic small' }, s.topic) : null)))
        : h('p', { class: 'muted' }, t('speak.empty')));
  }

  // After a language switch everything is drawn again.
  redraw() {
    this.parts = null;
    this.offer = null;
    this.render();
  }

  askForm() {
    const form = h('form', { class: 'ask' },
      h('label', { for: 'topic' }, h('span', t('speak.topic'))),
      this.topic,
      h('button', { type: 'submit', class: 'primary big ask-button', disabled: this.busy }, t('speak.ask')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.ask();
    });
    return form;
  }

  async act(path, body, focusSel) {
    if (this.busy) return;
    this.busy = true;
    this.render();
    try {
      await post(`/api/meetings/${this.meeting.id}/speakers${path}`, body);
      showError(this.err, null);
      this.list = (await get(`/api/meetings/${this.meeting.id}/speakers`)).speakers || [];
    } catch (e) {
      showError(this.err, e);
    } finally {
      this.busy = false;
      this.render();
      this.root.querySelector(focusSel)?.focus();
    }
  }

  ask() {
    const topic = this.topic.value.trim();
    return this.act('', topic ? { topic } : {}, '.withdraw').then(() => {
      if (this.mine()?.state === 'waiting') this.topic.value = '';
    });
  }

  withdraw() {
    return this.act('/withdraw', {}, '.ask-button');
  }
}
