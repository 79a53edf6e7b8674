// speakers.js — the console's speakers list: who is speaking with a timer against a limit the chair sets,
// who waits in order (give one the floor, withdraw a request), calling the next, ending a speech with what
// was said, and putting a delegate on the list on their behalf.

import { post } from '/lib/api.js';
import { $, fill, h } from '/lib/dom.js';
import { t } from '/lib/i18n.js';
import { fmtNumber, fmtTime } from '/lib/ui.js';
import { ask, run } from './act.js';

const LIMIT_KEY = 'yishi.chair.speechLimit';
const DEFAULT_LIMIT_MIN = 5;
const WARN_MS = 60 * 1000; /* the last minute is shown as a warning */

function limitMinutes() {
  try {
    const v = Number(localStorage.getItem(LIMIT_KEY));
    return v > 0 && v <= 240 ? v : DEFAULT_LIMIT_MIN;
  } catch {
    return DEFAULT_LIMIT_MIN;
  }
}

function keepLimit(v) {
  try {
    localStorage.setItem(LIMIT_KEY, String(v));
  } catch {
    /* not remembered: the limit holds for this page */
  }
}

let ticker = null;
let clock = null; /* { el, started, box } of the speech under way */

// The server's clock as this device reads it: events carry the server's time, so the timer counts from
// the server's start of the speech whatever this device's clock says.
export const skew = { ms: 0 };

const mmss = (ms) => {
  const s = Math.floor(Math.abs(ms) / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};

function tick() {
  if (!clock || !clock.el.isConnected) return;
  const limit = limitMinutes() * 60 * 1000;
  const elapsed = Math.max(0, Date.now() - skew.ms - clock.started);
  const left = limit - elapsed;
  clock.el.textContent = `${mmss(elapsed)} / ${mmss(limit)}`;
  clock.el.classList.toggle('warn', left > 0 && left <= WARN_MS);
  clock.el.classList.toggle('over', left <= 0);
  clock.over.textContent = left <= 0 ? t('sp.over', { t: mmss(-left) }) : '';
}

function speakingOf(list) {
  return list.speakers.find((s) => s.state === 'speaking') || null;
}

export function drawSpeakers(ctx) {
  const card = $('#speakers');
  const box = $('.error', card);
  const body = $('.body', card);
  const list = ctx.speakers;
  clearInterval(ticker);
  clock = null;
  if (!ctx.meeting || !list) {
    fill(body, h('p', { class: 'muted' }, t('sp.nomeeting')));
    return;
  }
  const m = ctx.meeting.id;
  const speaking = speakingOf(list);
  const waiting = list.speakers.filter((s) => s.state === 'waiting');
  const spoke = list.speakers.filter((s) => s.state === 'spoke');
  const next = h(
    'button',
    { type: 'button', class: 'primary', id: 'sp-next', disabled: !!speaking || !waiting.length, onclick: (e) => run(e.currentTarget, box, () => post(`/api/meetings/${m}/speakers/next`)) },
    t('sp.next'),
  );
  fill(
    body,
    speakingBlock(m, speaking, box),
    h('div', { class: 'row' }, next, limitInput()),
    h('h3', t('sp.waiting', { n: fmtNumber(waiting.length) })),
    waiting.length
      ? h(
          'ol',
          { class: 'speakers', id: 'sp-waiting' },
          waiting.map((s) =>
            h(
              'li',
              h('span', { class: 'order num' }, String(s.order)),
              h('span', { class: 'grow' }, h('span', { class: 'name' }, s.name), h('span', { class: 'muted' }, ` ${s.delegation}`), s.topic ? h('span', { class: 'topic' }, s.topic) : null),
              h(
                'button',
                { type: 'button', disabled: !!speaking, onclick: (e) => run(e.currentTarget, box, () => post(`/api/meetings/${m}/speakers/next`, { delegate: s.code })) },
                t('sp.give'),
              ),
              h(
                'button',
                {
                  type: 'button',
                  onclick: async (e) => {
                    const btn = e.currentTarget;
                    if (await ask({ text: t('sp.withdraw.confirm', { name: s.name }), ok: t('sp.withdraw') })) await run(btn, box, () => post(`/api/meetings/${m}/speakers/withdraw`, { delegate: s.code }));
                  },
                },
                t('sp.withdraw'),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('sp.none')),
    addForm(m, box),
    spoke.length
      ? h(
          'details',
          { class: 'spoke' },
          h('summary', `${t('sp.spoke')} (${fmtNumber(spoke.length)})`),
          h(
            'ol',
            spoke.map((s) =>
              h('li', h('span', { class: 'name' }, s.name), h('span', { class: 'muted' }, ` ${s.delegation} · ${fmtTime(s.started_at)}–${fmtTime(s.ended_at)}`), s.summary ? h('p', { class: 'summary' }, s.summary) : null),
            ),
          ),
        )
      : null,
  );
  if (clock) {
    tick();
    ticker = setInterval(tick, 250);
  }
}

function speakingBlock(m, s, box) {
  if (!s) return h('div', { class: 'speaking none' }, h('p', { class: 'muted' }, t('sp.nobody')));
  const timer = h('span', { class: 'timer num', id: 'sp-timer', role: 'timer', 'aria-label': t('sp.time') });
  const over = h('span', { class: 'over-note', 'aria-live': 'polite' });
  clock = { el: timer, over, started: Date.parse(s.started_at) };
  return h(
    'div',
    { class: 'speaking', id: 'sp-speaking' },
    h('p', { class: 'label' }, t('sp.speaking')),
    h('p', { class: 'speaker' }, h('span', { class: 'name' }, s.name), h('span', { class: 'muted' }, ` ${s.delegation}`)),
    s.topic ? h('p', { class: 'topic' }, `${t('sp.topic')}：${s.topic}`) : null,
    h('p', timer, ' ', over),
    h('button', { type: 'button', class: 'danger', id: 'sp-end', onclick: (e) => endSpeech(e.currentTarget, box, m, s) }, t('sp.end')),
  );
}

async function endSpeech(btn, box, m, s) {
  const summary = h('textarea', { rows: 4, id: 'sp-summary' });
  const body = h('label', h('span', t('sp.summary')), summary);
  if (!(await ask({ heading: t('sp.end.heading', { name: s.name }), body, ok: t('sp.end') }))) return;
  const text = summary.value.trim();
  await run(btn, box, () => post(`/api/meetings/${m}/speakers/end`, text ? { summary: text } : {}));
}

function limitInput() {
  const input = h('input', { type: 'number', min: 1, max: 240, step: 1, value: String(limitMinutes()), id: 'sp-limit', class: 'narrow' });
  input.addEventListener('change', () => {
    const v = Number(input.value);
    if (v > 0 && v <= 240) {
      keepLimit(v);
      tick();
    } else input.value = String(limitMinutes());
  });
  return h('label', { class: 'inline' }, h('span', t('sp.limit')), input);
}

function addForm(m, box) {
  const code = h('input', { name: 'code', required: true, autocomplete: 'off', 'aria-label': t('sp.add.code'), placeholder: t('sp.add.code') });
  const topic = h('input', { name: 'topic', 'aria-label': t('sp.add.topic'), placeholder: t('sp.add.topic') });
  const submit = h('button', { type: 'submit' }, t('sp.add'));
  return h(
    'details',
    { class: 'add-speaker' },
    h('summary', t('sp.add')),
    h(
      'form',
      {
        onsubmit: async (e) => {
          e.preventDefault();
          const req = { delegate: code.value.trim() };
          if (topic.value.trim()) req.topic = topic.value.trim();
          if (await run(submit, box, () => post(`/api/meetings/${m}/speakers`, req))) {
            code.value = '';
            topic.value = '';
          }
        },
      },
      code,
      topic,
      submit,
    ),
  );
}
